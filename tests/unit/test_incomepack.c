/*
 * test_incomepack.c — a person's income records in one blob
 * (pipeline/incomepack.h): what is appended reads back the same, record
 * for record, over random records; a pack cut short or damaged is
 * refused, never read past; appending out of id order or a text too long
 * is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "incomepack.h"

#include "banned.h"

#define N 2000

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static char texts[N][3][INCOMEPACK_TEXT_MAX + 1];

/* N random records, ids ascending by random steps, amounts of any sign
 * up to the extremes, texts of 0 to INCOMEPACK_TEXT_MAX bytes. */
static void make_rows(struct incomepack_row *rows, uint64_t seed)
{
	uint64_t s = seed;
	int64_t id = 0;
	int i, t;

	for (i = 0; i < N; i++) {
		struct incomepack_row *r = &rows[i];
		int64_t *amount[6] = { &r->ln_lb_ph_cents, &r->vak_bsl_cents, &r->wrd_pr_gebr_aut_cents,
				       &r->ing_lb_ph_cents, &r->bijdr_zvw_cents, &r->pr_wga_whk_wn_cents };
		int k;

		memset(r, 0, sizeof(*r));
		id += (int64_t)(rnd(&s) % (i % 7 == 0 ? 1000000000ULL : 50)) + 1;
		r->id = id;
		r->intrekking = (int)(rnd(&s) % 5 == 0);
		r->soort = (enum settle_soort)(rnd(&s) % 4);
		r->dat_aanv_tv = (int32_t)(rnd(&s) % 40000) - (i % 11 == 0 ? 30000 : 0);
		r->dat_eind_tv = r->dat_aanv_tv + (int32_t)(rnd(&s) % 400);
		for (k = 0; k < 6; k++) {
			uint64_t w = rnd(&s);
			*amount[k] = k == 0 && i == 3 ? INT64_MIN : k == 1 && i == 4 ? INT64_MAX :
				     (int64_t)(w % 2000000) - 1000000;
		}
		for (t = 0; t < 3; t++) {
			size_t len = (size_t)(rnd(&s) % (INCOMEPACK_TEXT_MAX + 1)), j;
			for (j = 0; j < len; j++)
				texts[i][t][j] = (char)('!' + rnd(&s) % 94);
			texts[i][t][len] = '\0';
		}
		r->opgave_id = texts[i][0];
		r->lhnr = texts[i][1];
		r->vervangt = texts[i][2];
	}
}

static void assert_same(const struct incomepack_row *a, const struct incomepack_row *b)
{
	assert_int_equal(a->id, b->id);
	assert_int_equal(a->intrekking, b->intrekking);
	assert_int_equal(a->soort, b->soort);
	assert_int_equal(a->dat_aanv_tv, b->dat_aanv_tv);
	assert_int_equal(a->dat_eind_tv, b->dat_eind_tv);
	assert_true(a->ln_lb_ph_cents == b->ln_lb_ph_cents && a->vak_bsl_cents == b->vak_bsl_cents &&
		    a->wrd_pr_gebr_aut_cents == b->wrd_pr_gebr_aut_cents &&
		    a->ing_lb_ph_cents == b->ing_lb_ph_cents && a->bijdr_zvw_cents == b->bijdr_zvw_cents &&
		    a->pr_wga_whk_wn_cents == b->pr_wga_whk_wn_cents);
	assert_string_equal(a->opgave_id, b->opgave_id);
	assert_string_equal(a->lhnr, b->lhnr);
	assert_string_equal(a->vervangt, b->vervangt);
}

/* Read all of `pack`: the number of records, or the error. */
static int read_all(const unsigned char *p, size_t len, struct incomepack_row *out, int cap)
{
	struct br_error err;
	size_t at = 0;
	int64_t prev = 0;
	int n = 0, rc;

	br_error_clear(&err);
	while ((rc = incomepack_next(&out[n < cap ? n : cap - 1], p, len, &at, prev, &err)) == 1) {
		assert_true(at <= len);
		prev = out[n < cap ? n : cap - 1].id;
		n++;
	}
	return rc < 0 ? rc : n;
}

static void test_round_trip(void **state)
{
	static struct incomepack_row rows[N], back[N + 1];
	struct incomepack_buf b, c;
	struct br_error err;
	int i;

	(void)state;
	br_error_clear(&err);
	make_rows(rows, 0x9e3779b97f4a7c15ULL);
	memset(&b, 0, sizeof(b));
	for (i = 0; i < N; i++)
		assert_int_equal(incomepack_append(&b, &rows[i], &err), 0);
	assert_int_equal(read_all(b.p, b.len, back, N), N);
	for (i = 0; i < N; i++)
		assert_same(&rows[i], &back[i]);
	/* an existing pack and records after it: one pack */
	memset(&c, 0, sizeof(c));
	assert_int_equal(incomepack_append_raw(&c, b.p, b.len, rows[N - 1].id, &err), 0);
	rows[0].id = rows[N - 1].id + 5;
	assert_int_equal(incomepack_append(&c, &rows[0], &err), 0);
	assert_int_equal(read_all(c.p, c.len, back, N + 1), N + 1);
	assert_same(&rows[0], &back[N]);
	incomepack_buf_free(&c);
	incomepack_buf_free(&b);
}

/* Cut short anywhere: the records before the cut, then a refusal, unless
 * the cut falls between two records; changed bytes never read past the
 * end. */
static void test_damaged(void **state)
{
	static struct incomepack_row rows[N], back[N];
	struct incomepack_buf b;
	struct br_error err;
	size_t cut, ends[41];
	int i, n_ends = 0;
	uint64_t s = 7;

	(void)state;
	br_error_clear(&err);
	make_rows(rows, 42);
	memset(&b, 0, sizeof(b));
	ends[n_ends++] = 0;
	for (i = 0; i < 40; i++) {
		assert_int_equal(incomepack_append(&b, &rows[i], &err), 0);
		ends[n_ends++] = b.len;
	}
	for (cut = 0; cut <= b.len; cut++) {
		int n = read_all(b.p, cut, back, N), boundary = -1, k;

		for (k = 0; k < n_ends; k++)
			if (ends[k] == cut)
				boundary = k;
		if (boundary >= 0)
			assert_int_equal(n, boundary);
		else
			assert_int_equal(n, BR_EINTERNAL);
	}
	for (i = 0; i < 20000; i++) {
		unsigned char copy[4096];
		size_t len = b.len < sizeof(copy) ? b.len : sizeof(copy);
		int n;

		memcpy(copy, b.p, len);
		copy[rnd(&s) % len] = (unsigned char)rnd(&s);
		n = read_all(copy, len, back, N);
		assert_true(n == BR_EINTERNAL || (n >= 0 && n <= 60));
	}
	incomepack_buf_free(&b);
}

static void test_refused(void **state)
{
	struct incomepack_row r;
	struct incomepack_buf b;
	struct br_error err;
	char long_text[INCOMEPACK_TEXT_MAX + 2];

	(void)state;
	br_error_clear(&err);
	memset(&b, 0, sizeof(b));
	memset(&r, 0, sizeof(r));
	r.id = 10;
	r.dat_aanv_tv = r.dat_eind_tv = 20000;
	r.opgave_id = "O-1";
	assert_int_equal(incomepack_append(&b, &r, &err), 0);
	/* not after the last */
	assert_int_equal(incomepack_append(&b, &r, &err), BR_EINTERNAL);
	r.id = 9;
	assert_int_equal(incomepack_append(&b, &r, &err), BR_EINTERNAL);
	/* a period that ends before it starts, a text too long */
	r.id = 11;
	r.dat_eind_tv = 19999;
	assert_int_equal(incomepack_append(&b, &r, &err), BR_EINTERNAL);
	r.dat_eind_tv = 20000;
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	r.lhnr = long_text;
	br_error_clear(&err);
	assert_int_equal(incomepack_append(&b, &r, &err), BR_EINTERNAL);
	assert_non_null(strstr(err.msg, "te lang"));
	incomepack_buf_free(&b);
}

/* The fuzz corpus (tests/fuzz/corpus/fuzz_incomepack), each file's exact
 * outcome: the records read before the end or the damage. */
static void test_corpus(void **state)
{
	static const struct { const char *name; int records; int rc; } want[] = {
		{ "empty.bin", 0, 0 },
		{ "three-records.bin", 3, 0 },
		{ "cut-in-text.bin", 1, BR_EINTERNAL },
		{ "zero-delta.bin", 1, BR_EINTERNAL },
		{ "flags-8.bin", 1, BR_EINTERNAL },
		{ "text-without-end.bin", 0, BR_EINTERNAL },
		{ "varint-11-bytes.bin", 0, BR_EINTERNAL },
		{ "span-past-int32.bin", 0, BR_EINTERNAL },
	};
	const char *dir = getenv("BR_SOURCE_DIR");
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		unsigned char buf[4096];
		char path[1024];
		struct incomepack_row r;
		struct br_error err;
		size_t len, at = 0;
		int64_t prev = 0;
		int n = 0, rc;
		FILE *f;

		snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/fuzz_incomepack/%s", dir ? dir : ".", want[i].name);
		assert_non_null(f = fopen(path, "rb"));
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		br_error_clear(&err);
		while ((rc = incomepack_next(&r, buf, len, &at, prev, &err)) == 1) {
			prev = r.id;
			n++;
		}
		if (n != want[i].records || rc != want[i].rc)
			fail_msg("%s: %d records, rc %d; want %d, %d", want[i].name, n, rc, want[i].records, want[i].rc);
		if (!strcmp(want[i].name, "three-records.bin"))
			assert_true(r.id == 0 || prev == 107);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

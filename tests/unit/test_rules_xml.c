/*
 * test_rules_xml.c — the rules file (parsers/rules_xml.h): the file shipped
 * in data/rules/ must hold exactly the parameters of rules.md §2 and §4
 * for the three required sets; choosing a set by month, staleness and the
 * AOW date follow the header's definitions; and a broken rules file
 * (tests/data/rules/) is BR_ECONFIG with file, line and what is wrong.
 *
 * Every file is loaded twice: with the schema (what the program does:
 * libxml2 often reports first, in its own words) and without it (the
 * loader's own checks must find the same problem on the same line).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "error.h"
#include "fsutil.h"
#include "levering.h"
#include "money.h"
#include "rules_xml.h"
#include "banned.h"

struct fixture {
	char root[1024];
	char xsd[1200];
	char shipped[1200];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *root = getenv("BR_SOURCE_DIR");

	if (!f)
		return -1;
	snprintf(f->root, sizeof(f->root), "%s", root && *root ? root : BR_SOURCE_DIR);
	snprintf(f->xsd, sizeof(f->xsd), "%s/data/schemas/regels.xsd", f->root);
	snprintf(f->shipped, sizeof(f->shipped), "%s/data/rules/regels.xml", f->root);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static int32_t ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static int32_t month(int y, int m)
{
	return y * 12 + (m - 1);
}

static void load_or_fail(struct rules *r, const char *path, const char *xsd)
{
	struct br_error err;

	br_error_clear(&err);
	if (rules_load(r, path, xsd, &err) < 0)
		fail_msg("%s line %ld: %s", err.file, err.line, err.msg);
}

/* rules.md §2, the table, in enum norm_cat order; per set. */
static const int64_t norms_cents[3][NORM_COUNT] = {
	{ 136906, 195580, 153021, 209498, 33798, 67596, 106712, 131588, 170704 }, /* 2025-07-01 */
	{ 140150, 200213, 156469, 214416, 34599, 69198, 109241, 134706, 174749 }, /* 2026-01-01 */
	{ 141946, 202779, 158734, 217610, 35042, 70084, 110640, 136432, 176988 }, /* 2026-07-01 */
};

static const char *const set_names[3] = { "2025-07-01", "2026-01-01", "2026-07-01" };
static const int set_y[3] = { 2025, 2026, 2026 };
static const int set_m[3] = { 7, 1, 7 };

static void expect_vrij(const struct rule_set *s, enum vrij_code c, int enabled, int64_t num,
			int64_t den, int64_t cap_cents, enum vrij_limit limit, int months,
			int min_age, int below_aow, int alleenstaande_ouder, int child_under,
			const char *article)
{
	const struct vrij_rule *v = &s->vrij[c];
	char bron[RULES_BRON_MAX + 1];

	if (v->enabled != enabled || v->pct_num != num || v->pct_den != den)
		print_error("set %s code %s: enabled %d pct %lld/%lld\n", s->naam, vrij_code_name(c),
			    v->enabled, (long long)v->pct_num, (long long)v->pct_den);
	assert_int_equal(v->enabled, enabled);
	assert_int_equal(v->pct_num, num);
	assert_int_equal(v->pct_den, den);
	assert_int_equal(v->has_cap, cap_cents >= 0);
	assert_int_equal(v->cap_cents, cap_cents >= 0 ? cap_cents : 0);
	assert_int_equal(v->limit, limit);
	assert_int_equal(v->limit_months, months);
	assert_int_equal(v->min_age, min_age);
	assert_int_equal(v->below_aow, below_aow);
	assert_int_equal(v->alleenstaande_ouder, alleenstaande_ouder);
	assert_int_equal(v->child_under, child_under);
	if (c == VRIJ_34A || c == VRIJ_34A_MU) {
		assert_non_null(strstr(v->bron, article));
	} else {
		snprintf(bron, sizeof(bron), "%s, BWBR0015703 versie %s", article, s->naam);
		assert_string_equal(v->bron, bron);
	}
}

/* The whole shipped file against rules.md, value by value. */
static void test_shipped_file(void **state)
{
	struct fixture *f = *state;
	/* rules.md §4 caps: 2025-07-01, then 2026 (both 2026 sets). */
	static const int64_t cap_n[3] = { 27800, 28500, 28500 };
	static const int64_t cap_r[3] = { 17387, 17766, 17766 };
	static const int64_t cap_yz[3] = { 17635, 18019, 18019 };
	static const char *const norm_art[NORM_COUNT] = {
		"art. 21(a) Pw", "art. 21(b) Pw", "art. 22(a) Pw", "art. 22(b) en (c) Pw",
		"art. 20(1)(a) en 20(2)(a) Pw", "art. 20(1)(b) Pw", "art. 20(2)(b) Pw",
		"art. 20(1)(c) Pw", "art. 20(2)(c) Pw"
	};
	char sha[SHA256_HEX_LEN + 1], bron[RULES_BRON_MAX + 1];
	struct br_error err;
	struct rules r;
	int pass, i, c;

	br_error_clear(&err);
	assert_int_equal(fsutil_digest_file(sha, NULL, f->shipped, 1u << 20, NULL, &err), 0);
	for (pass = 0; pass < 2; pass++) {
		load_or_fail(&r, f->shipped, pass == 0 ? f->xsd : NULL);
		assert_int_equal(r.n_sets, 3);
		assert_string_equal(r.sha256, sha);
		assert_string_equal(r.path, f->shipped);
		for (i = 0; i < 3; i++) {
			const struct rule_set *s = &r.sets[i];

			assert_string_equal(s->naam, set_names[i]);
			assert_int_equal(s->geldig_vanaf, ymd(set_y[i], set_m[i], 1));
			for (c = 0; c < NORM_COUNT; c++) {
				if (s->norm_cents[c] != norms_cents[i][c])
					print_error("set %s norm %s: %lld\n", s->naam, norm_cat_key(c),
						    (long long)s->norm_cents[c]);
				assert_int_equal(s->norm_cents[c], norms_cents[i][c]);
				snprintf(bron, sizeof(bron), "%s, BWBR0015703 versie %s", norm_art[c], s->naam);
				assert_string_equal(s->norm_bron[c], bron);
			}
			/* rules.md §4, row by row. */
			expect_vrij(s, VRIJ_N, 1, 25, 100, cap_n[i], VRIJ_LIMIT_MONTHS_APPLIED, 6, 27, 1, 0, 0,
				    "art. 31(2)(n) Pw");
			expect_vrij(s, VRIJ_R, 1, 125, 1000, cap_r[i], VRIJ_LIMIT_CONSECUTIVE, 30, 27, 0, 1, 12,
				    "art. 31(2)(r) Pw");
			expect_vrij(s, VRIJ_Y, 1, 15, 100, cap_yz[i], VRIJ_LIMIT_NONE, 0, 0, 0, 0, 0,
				    "art. 31(2)(y) Pw");
			expect_vrij(s, VRIJ_Z, 1, 15, 100, cap_yz[i], VRIJ_LIMIT_MONTHS_APPLIED, 12, 0, 0, 0, 0,
				    "art. 31(2)(z) Pw");
			expect_vrij(s, VRIJ_AA, 1, 15, 100, cap_yz[i], VRIJ_LIMIT_NONE, 0, 0, 0, 0, 0,
				    "art. 31(2)(aa) Pw");
			/* Not enabled in any shipped set (from 2027-01-01 only). */
			expect_vrij(s, VRIJ_34A, 0, 15, 100, -1, VRIJ_LIMIT_CONSECUTIVE, 12, 0, 1, 0, 0,
				    "art. 34a(1)(a) Pw");
			expect_vrij(s, VRIJ_34A_MU, 0, 15, 100, -1, VRIJ_LIMIT_NONE, 0, 0, 0, 0, 0,
				    "art. 34a(1)(b) Pw");
			/* rules.md §1's example: 12.5% of 1001.07 = 125.13. */
			assert_int_equal(money_mul_ratio(100107, s->vrij[VRIJ_R].pct_num,
							 s->vrij[VRIJ_R].pct_den), 12513);

			/* VT, art. 19(3)/45(1) Pw: 1369.06 → 1300.61 (rules.md §2). */
			assert_int_equal(s->vt_excl_num, 95);
			assert_int_equal(s->vt_excl_den, 100);
			assert_int_equal(money_mul_ratio(136906, s->vt_excl_num, s->vt_excl_den), 130061);
			snprintf(bron, sizeof(bron), "art. 19(3) en 45(1) Pw, BWBR0015703 versie %s", s->naam);
			assert_string_equal(s->vt_bron, bron);

			/* AOW age: 67y before 1961-01-01, then 67y3m. */
			assert_int_equal(s->n_aow, 2);
			assert_int_equal(s->aow[0].born_before, ymd(1961, 1, 1));
			assert_int_equal(s->aow[0].years, 67);
			assert_int_equal(s->aow[0].months, 0);
			assert_non_null(strstr(s->aow[0].bron, "art. 7a(1) AOW, BWBR0002221"));
			assert_int_equal(s->aow[1].born_before, DATE_NONE);
			assert_int_equal(s->aow[1].years, 67);
			assert_int_equal(s->aow[1].months, 3);
			assert_non_null(strstr(s->aow[1].bron, "art. 7a(2) AOW, BWBR0002221"));
			assert_string_equal(s->aow_bron, s->aow[1].bron);

			/* art. 22a Pw: (40 + 30·A) / (100·A). */
			assert_int_equal(s->kdn_base, 40);
			assert_int_equal(s->kdn_step, 30);
			assert_int_equal(s->kdn_den, 100);
			snprintf(bron, sizeof(bron), "art. 22a(1) Pw, BWBR0015703 versie %s", s->naam);
			assert_string_equal(s->kdn_bron, bron);
		}
		rules_release(&r);
		assert_null(r.sets);
		assert_int_equal(r.n_sets, 0);
	}
}

static void test_for_month(void **state)
{
	struct fixture *f = *state;
	struct rules r;

	load_or_fail(&r, f->shipped, f->xsd);
	assert_null(rules_for_month(&r, month(2025, 6)));
	assert_ptr_equal(rules_for_month(&r, month(2025, 7)), &r.sets[0]);
	assert_ptr_equal(rules_for_month(&r, month(2025, 12)), &r.sets[0]);
	assert_ptr_equal(rules_for_month(&r, month(2026, 1)), &r.sets[1]);
	assert_ptr_equal(rules_for_month(&r, month(2026, 6)), &r.sets[1]);
	assert_ptr_equal(rules_for_month(&r, month(2026, 7)), &r.sets[2]);
	assert_ptr_equal(rules_for_month(&r, month(2027, 12)), &r.sets[2]);
	assert_string_equal(rules_for_month(&r, month(2026, 3))->naam, "2026-01-01");
	assert_null(rules_for_month(NULL, month(2026, 1)));
	rules_release(&r);
}

/* Newest set 2026-07-01: "more than six months past" = month index
 * difference > 6. */
static void test_stale(void **state)
{
	struct fixture *f = *state;
	struct rules r;

	load_or_fail(&r, f->shipped, f->xsd);
	assert_int_equal(rules_stale(&r, month(2025, 7)), 0);
	assert_int_equal(rules_stale(&r, month(2026, 7)), 0);
	assert_int_equal(rules_stale(&r, month(2026, 12)), 0);
	assert_int_equal(rules_stale(&r, month(2027, 1)), 0);   /* 6 months past: not yet */
	assert_int_equal(rules_stale(&r, month(2027, 2)), 1);   /* 7: new norms are due */
	assert_int_equal(rules_stale(&r, month(2030, 1)), 1);
	assert_int_equal(rules_stale(NULL, month(2026, 1)), 1);
	rules_release(&r);
}

static void test_aow_date(void **state)
{
	struct fixture *f = *state;
	const struct rule_set *s;
	struct rules r;

	load_or_fail(&r, f->shipped, f->xsd);
	s = rules_for_month(&r, month(2026, 1));
	assert_non_null(s);
	/* The last day of the 67-year row and the first of 67y3m. */
	assert_int_equal(rules_aow_date(s, ymd(1960, 12, 31)), ymd(2027, 12, 31));
	assert_int_equal(rules_aow_date(s, ymd(1961, 1, 1)), ymd(2028, 4, 1));
	assert_int_equal(rules_aow_date(s, ymd(1958, 6, 15)), ymd(2025, 6, 15));
	/* 29 February: a non-leap target clamps to 28 February ... */
	assert_int_equal(rules_aow_date(s, ymd(1960, 2, 29)), ymd(2027, 2, 28));
	/* ... 67y3m from 29 February lands on 29 May. */
	assert_int_equal(rules_aow_date(s, ymd(1964, 2, 29)), ymd(2031, 5, 29));
	assert_int_equal(rules_aow_date(s, ymd(1968, 2, 29)), ymd(2035, 5, 29));
	/* 30 November + 67y3m: February's last day, 29 in a leap year. */
	assert_int_equal(rules_aow_date(s, ymd(1963, 11, 30)), ymd(2031, 2, 28));
	assert_int_equal(rules_aow_date(s, ymd(1964, 11, 30)), ymd(2032, 2, 29));
	assert_int_equal(rules_aow_date(NULL, ymd(1960, 1, 1)), DATE_NONE);
	rules_release(&r);
}

static void test_names(void **state)
{
	static const char *const keys[NORM_COUNT] = {
		"alleenstaande", "gehuwden", "aow_alleenstaande", "aow_gehuwden",
		"jong_alleenstaande", "jong_gehuwden", "jong_gehuwden_kind", "jong_gemengd",
		"jong_gemengd_kind"
	};
	static const char *const codes[VRIJ_COUNT] = { "N", "R", "Y", "Z", "AA", "34A", "34A_MU" };
	int i;

	(void)state;
	for (i = 0; i < NORM_COUNT; i++)
		assert_string_equal(norm_cat_key((enum norm_cat)i), keys[i]);
	for (i = 0; i < VRIJ_COUNT; i++) {
		assert_string_equal(vrij_code_name((enum vrij_code)i), codes[i]);
		assert_int_equal(vrij_code_from_name(codes[i]), i);
	}
	assert_string_equal(norm_cat_key(NORM_COUNT), "?");
	assert_string_equal(vrij_code_name(VRIJ_COUNT), "?");
	assert_int_equal(vrij_code_from_name("n"), -1);
	assert_int_equal(vrij_code_from_name("34"), -1);
	assert_int_equal(vrij_code_from_name(""), -1);
	assert_int_equal(vrij_code_from_name(NULL), -1);
}

/* Sets in any order in the file come out sorted. */
static void test_sorted(void **state)
{
	struct fixture *f = *state;
	struct rules r;
	char path[1200];
	int pass;

	snprintf(path, sizeof(path), "%s/tests/data/rules/good_two_sets.xml", f->root);
	for (pass = 0; pass < 2; pass++) {
		load_or_fail(&r, path, pass == 0 ? f->xsd : NULL);
		assert_int_equal(r.n_sets, 2);
		assert_string_equal(r.sets[0].naam, "2026-01-01");
		assert_string_equal(r.sets[1].naam, "2026-07-01");
		assert_int_equal(r.sets[0].geldig_vanaf, ymd(2026, 1, 1));
		assert_int_equal(r.sets[1].geldig_vanaf, ymd(2026, 7, 1));
		assert_null(rules_for_month(&r, month(2025, 12)));
		assert_ptr_equal(rules_for_month(&r, month(2026, 6)), &r.sets[0]);
		assert_ptr_equal(rules_for_month(&r, month(2026, 7)), &r.sets[1]);
		rules_release(&r);
	}
}

/*
 * Refused as BR_ECONFIG at `line`: the message is exactly
 * "regelbestand PATH regel N: WHAT" without the schema; with it, libxml2's
 * words contain `schema_msg` (or, schema_exact, the loader's own WHAT).
 */
static void expect_refused(void **state, const char *name, long schema_line,
			   const char *schema_msg, int schema_exact, long line, const char *what)
{
	struct fixture *f = *state;
	struct rules r;
	struct br_error err;
	char path[1200], prefix[1300], full[BR_ERROR_MSG_MAX + 1300];
	int pass;

	snprintf(path, sizeof(path), "%s/tests/data/rules/%s", f->root, name);
	for (pass = 0; pass < 2; pass++) {
		long want_line = pass == 0 ? schema_line : line;
		int exact = pass == 1 || schema_exact;
		const char *want = pass == 0 && !schema_exact ? schema_msg : what;
		int rc;

		snprintf(prefix, sizeof(prefix), "regelbestand %s regel %ld: ", path, want_line);
		snprintf(full, sizeof(full), "%s%s", prefix, want);
		br_error_clear(&err);
		rc = rules_load(&r, path, pass == 0 ? f->xsd : NULL, &err);
		if (rc != BR_ECONFIG || err.line != want_line ||
		    (exact ? strcmp(err.msg, full) != 0 : !strstr(err.msg, want)))
			print_error("%s (%s schema): rc %d, line %ld, \"%s\"; want line %ld, \"%s\"\n",
				    name, pass == 0 ? "with" : "without", rc, err.line, err.msg,
				    want_line, exact ? full : want);
		assert_int_equal(rc, BR_ECONFIG);
		assert_int_equal(err.code, BR_ECONFIG);
		assert_string_equal(err.file, path);
		assert_int_equal(err.line, want_line);
		assert_memory_equal(err.msg, prefix, strlen(prefix));
		if (exact)
			assert_string_equal(err.msg, full);
		else
			assert_non_null(strstr(err.msg, want));
		/* Nothing is left allocated, and releasing again is harmless. */
		assert_null(r.sets);
		assert_int_equal(r.n_sets, 0);
		rules_release(&r);
	}
}

static void test_not_xml(void **state)
{
	expect_refused(state, "not_xml.txt", 1, NULL, 1, 1,
		       "het bestand is geen XML: het begint niet met '<' (tekst of binaire gegevens)");
}

static void test_wrong_namespace(void **state)
{
	expect_refused(state, "wrong_namespace.xml", 3, "No matching global declaration", 0, 3,
		       "het rootelement is <Regels> in namespace 'urn:nl:betaalrun:regels:2'; "
		       "verwacht <Regels> in namespace 'urn:nl:betaalrun:regels:1'");
}

static void test_missing_norm(void **state)
{
	expect_refused(state, "missing_norm.xml", 4, NULL, 1, 4,
		       "set 2026-01-01 heeft geen norm 'jong_gemengd'");
}

static void test_duplicate_code(void **state)
{
	expect_refused(state, "duplicate_code.xml", 16, NULL, 1, 16,
		       "vrijlating 'R' komt twee keer voor in set 2026-01-01");
}

static void test_duplicate_set(void **state)
{
	expect_refused(state, "duplicate_set.xml", 26, NULL, 1, 26,
		       "geldig_vanaf 2026-01-01 komt twee keer voor: er is al een set voor die datum");
}

static void test_amount_3_decimals(void **state)
{
	expect_refused(state, "amount_3_decimals.xml", 5,
		       "The value '1401.505' is not accepted by the pattern", 0, 5,
		       "bedrag van norm 'alleenstaande' in set 2026-01-01: "
		       "bedrag '1401.505' heeft 3 decimalen; er moeten er precies 2 zijn");
}

static void test_pct_4_decimals(void **state)
{
	expect_refused(state, "pct_4_decimals.xml", 15,
		       "The value '12.5000' is not accepted by the pattern", 0, 15,
		       "vrijlating 'R' in set 2026-01-01: "
		       "percentage '12.5000' heeft meer dan 3 decimalen; ten hoogste 3 mogen");
}

static void test_missing_bron(void **state)
{
	expect_refused(state, "missing_bron.xml", 21, "The attribute 'bron' is required but missing",
		       0, 21, "attribuut bron van <Vakantietoeslag> ontbreekt");
}

static void test_unknown_norm(void **state)
{
	expect_refused(state, "unknown_norm.xml", 5,
		       "The value 'alleenstaand' is not an element of the set", 0, 5,
		       "onbekende norm 'alleenstaand' in set 2026-01-01; de sleutels zijn die van rules.md §2 "
		       "(alleenstaande, gehuwden, aow_alleenstaande, aow_gehuwden, jong_alleenstaande, "
		       "jong_gehuwden, jong_gehuwden_kind, jong_gemengd, jong_gemengd_kind)");
}

static void test_aow_not_open_ended(void **state)
{
	expect_refused(state, "aow_not_open_ended.xml", 4, NULL, 1, 4,
		       "de laatste <AowLeeftijd> van set 2026-01-01 heeft een geboren_voor; "
		       "de laatste rij moet open zijn");
}

static void test_geldig_vanaf_march(void **state)
{
	expect_refused(state, "geldig_vanaf_march.xml", 4,
		       "The value '2026-03-01' is not accepted by the pattern", 0, 4,
		       "geldig_vanaf 2026-03-01 van <Set> moet 1 januari of 1 juli zijn (rules.md)");
}

static void test_limit_without_months(void **state)
{
	expect_refused(state, "limit_without_months.xml", 14, NULL, 1, 14,
		       "maanden van vrijlating 'N' moet minstens 1 zijn bij een limiet");
}

static void test_missing_file(void **state)
{
	struct fixture *f = *state;
	struct rules r;
	struct br_error err;

	br_error_clear(&err);
	assert_int_equal(rules_load(&r, "/nonexistent/regels.xml", f->xsd, &err), BR_ECONFIG);
	assert_non_null(strstr(err.msg, "regelbestand /nonexistent/regels.xml: "));
	assert_non_null(strstr(err.msg, "kan niet worden geopend"));
	assert_null(r.sets);
	rules_release(&r);
	rules_release(NULL);

	/* A schema that cannot be read is a configuration error as well. */
	br_error_clear(&err);
	assert_int_equal(rules_load(&r, f->shipped, "/nonexistent/regels.xsd", &err), BR_ECONFIG);
	assert_non_null(strstr(err.msg, "/nonexistent/regels.xsd"));
	assert_null(r.sets);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_file),
		cmocka_unit_test(test_for_month),
		cmocka_unit_test(test_stale),
		cmocka_unit_test(test_aow_date),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_sorted),
		cmocka_unit_test(test_not_xml),
		cmocka_unit_test(test_wrong_namespace),
		cmocka_unit_test(test_missing_norm),
		cmocka_unit_test(test_duplicate_code),
		cmocka_unit_test(test_duplicate_set),
		cmocka_unit_test(test_amount_3_decimals),
		cmocka_unit_test(test_pct_4_decimals),
		cmocka_unit_test(test_missing_bron),
		cmocka_unit_test(test_unknown_norm),
		cmocka_unit_test(test_aow_not_open_ended),
		cmocka_unit_test(test_geldig_vanaf_march),
		cmocka_unit_test(test_limit_without_months),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

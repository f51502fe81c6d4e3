/*
 * test_settle_record.c — the settlement record (core/settle_record.h) and
 * its rendering (pipeline/specstore.h): exact outcomes for damaged
 * records, records that name what is not there, and the corpus of real
 * records (tests/fuzz/corpus/fuzz_record, cut from a prepared run).
 * The property test P9 in test_settle_props.c covers the round trip over
 * thousands of generated dossiers.
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
#include "rules_xml.h"
#include "settle.h"
#include "settle_record.h"
#include "specstore.h"
#include "banned.h"

struct fx {
	struct rules rules;
	struct settle_stand stand;
	struct settle_input in;
	struct settle_settings set;
	struct settle_result res;
	struct settle_record_facts facts;
	struct settle_record_buf buf;
	char root[1024];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *root = getenv("BR_SOURCE_DIR");
	char path[1200], xsd[1200];
	struct br_error err;

	if (!f)
		return -1;
	snprintf(f->root, sizeof(f->root), "%s", root && *root ? root : BR_SOURCE_DIR);
	snprintf(path, sizeof(path), "%s/data/rules/regels.xml", f->root);
	snprintf(xsd, sizeof(xsd), "%s/data/schemas/regels.xsd", f->root);
	br_error_clear(&err);
	if (rules_load(&f->rules, path, xsd, &err) < 0)
		return -1;
	/* an alleenstaande of 40 on bijstand since 2026-01-01, no income:
	 * settled for the run of November 2026 from startmaand October */
	f->stand.vanaf = date_from_ymd(2026, 1, 1);
	f->stand.aanvrager_id = 1;
	f->stand.aanvrager_geb = date_from_ymd(1986, 3, 14);
	f->stand.partner_geb = DATE_NONE;
	f->stand.jongste_kind_geb = DATE_NONE;
	f->stand.leefvorm = LEEFVORM_ALLEENSTAAND;
	f->in.regeling = REGELING_PW;
	f->in.ingangsdatum = f->stand.vanaf;
	f->in.einddatum = DATE_NONE;
	f->in.stands = &f->stand;
	f->in.n_stands = 1;
	f->set.startmaand = month_of(date_from_ymd(2026, 10, 1));
	f->set.vt_uitbetaalmaand = 6;
	f->set.verrekentermijn = 6;
	f->set.beslagvrije_voet_pct = 95;
	f->set.bufferbudget_ondergrens_pct = 95;
	settle_result_init(&f->res);
	br_error_clear(&err);
	if (settle_dossier(&f->res, &f->in, &f->rules, &f->set, month_of(date_from_ymd(2026, 11, 1)), &err) < 0)
		return -1;
	f->facts.s[0] = NULL;   /* the row's (specstore.h): `row` */
	f->facts.s[1] = "0405";
	f->facts.s[2] = "J. de Vries";
	f->facts.s[4] = "NL91ABNA0417164300";
	f->facts.s[5] = NULL;
	f->facts.s[6] = "0";
	f->facts.n = 9;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	settle_result_release(&f->res);
	rules_release(&f->rules);
	free(f->buf.p);
	free(f);
	return 0;
}

/* Decode the buffer; the outcome and, for a failure, the message. */
static int decode(struct fx *f, const void *p, size_t n, char msg[BR_ERROR_MSG_MAX])
{
	struct settle_record rec;
	struct br_error err;
	int rc;

	br_error_clear(&err);
	rc = settle_record_decode(&rec, p, n, &f->rules, &err);
	snprintf(msg, BR_ERROR_MSG_MAX, "%s", err.msg);
	settle_record_free(&rec);
	return rc;
}

/* The dossier number and payment date of the row the records belong to. */
static const struct specstore_row row = { "PW-0405-000123", "2026-11-25" };

static void encode_ok(struct fx *f)
{
	struct br_error err;

	br_error_clear(&err);
	assert_int_equal(settle_record_encode(&f->buf, &f->set, &f->in, &f->res, &f->facts, &f->rules, &err), 0);
}

/* The hand-made settlement renders: its advance is the 2026-07-01 norm for
 * an alleenstaande (€ 1.419,46 incl. VT, data/rules/regels.xml) less the
 * VT: round(141946 × 95 / 100) = 134849 cents. */
static void test_renders(void **state)
{
	struct fx *f = *state;
	struct br_error err;
	char *text = NULL;
	size_t len = 0;

	assert_int_equal(f->res.advance_cents, 134849);
	encode_ok(f);
	br_error_clear(&err);
	assert_int_equal(specstore_render(&text, &len, f->buf.p, f->buf.len, &row, &f->rules, 1, &err), 0);
	assert_int_equal(strlen(text), len);
	assert_non_null(strstr(text, "Dossier          PW-0405-000123\n"));
	assert_non_null(strstr(text, "Uitbetaaldatum   25-11-2026\n"));
	assert_non_null(strstr(text, "€ 1.348,49"));
	assert_null(strstr(text, "NL91ABNA0417164300"));   /* the account is shown masked */
	free(text);
	/* a record from before keeps its own; the row's are shown, the same
	 * in a real store */
	f->facts.s[0] = "PW-0405-999999";
	f->facts.s[5] = "2026-11-24";
	encode_ok(f);
	assert_int_equal(specstore_render(&text, &len, f->buf.p, f->buf.len, &row, &f->rules, 1, &err), 0);
	assert_non_null(strstr(text, "Dossier          PW-0405-000123\n"));
	assert_non_null(strstr(text, "Uitbetaaldatum   25-11-2026\n"));
	free(text);
	f->facts.s[0] = f->facts.s[5] = NULL;
}

/* Damaged bytes: each refused as a whole with what is wrong. */
static void test_damaged(void **state)
{
	struct fx *f = *state;
	char msg[BR_ERROR_MSG_MAX];
	unsigned char *p;
	size_t n;

	encode_ok(f);
	n = f->buf.len;
	assert_int_equal(decode(f, f->buf.p, 0, msg), BR_EINPUT);
	assert_string_equal(msg, "vastlegging beschadigd: het einde komt te vroeg");
	assert_int_equal(decode(f, f->buf.p, n - 1, msg), BR_EINPUT);
	assert_string_equal(msg, "vastlegging beschadigd: het einde komt te vroeg");
	assert_non_null(p = malloc(n + 12));
	memcpy(p, f->buf.p, n);
	p[n] = 0;
	assert_int_equal(decode(f, p, n + 1, msg), BR_EINPUT);
	assert_string_equal(msg, "vastlegging beschadigd: er staat meer in dan een afrekening");
	p[0] = SETTLE_RECORD_VERSION + 1;
	assert_int_equal(decode(f, p, n, msg), BR_EINPUT);
	assert_string_equal(msg, "vastlegging beschadigd: onbekende versie");
	memset(p, 0xff, 12);
	assert_int_equal(decode(f, p, 12, msg), BR_EINPUT);
	assert_string_equal(msg, "vastlegging beschadigd: een getal is te lang");
	/* the settings' bit set names a field past the seven there are */
	p[0] = 1;
	p[1] = 0x80;
	p[2] = 0x01;
	assert_int_equal(decode(f, p, 3, msg), BR_EINPUT);
	assert_string_equal(msg, "vastlegging beschadigd: een element heeft onbekende velden");
	free(p);
}

/* The first `n` bytes `what` in `p`, or NULL. */
static unsigned char *find(unsigned char *p, size_t len, const char *what, size_t n)
{
	size_t i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(p + i, what, n) == 0)
			return p + i;
	return NULL;
}

/* Records that decode but name what is not there: refused by name. */
static void test_wrong_references(void **state)
{
	struct fx *f = *state;
	char msg[BR_ERROR_MSG_MAX];
	struct settle_booking keep = f->res.bookings[0];
	enum norm_cat cat = f->res.months[0].cat;
	struct settle_month *m = &f->res.months[f->res.n_months - 1];
	struct settle_income_line line;
	struct settle_income income;
	struct br_error err;
	unsigned char *at;

	f->res.bookings[0].kind = (enum settle_booking_kind)SETTLE_BOOKING_KINDS;
	encode_ok(f);
	assert_int_equal(decode(f, f->buf.p, f->buf.len, msg), BR_EINPUT);
	assert_string_equal(msg, "vastlegging beschadigd: onbekende boeking");
	f->res.bookings[0] = keep;
	f->res.months[0].cat = NORM_COUNT;
	encode_ok(f);
	assert_int_equal(decode(f, f->buf.p, f->buf.len, msg), BR_EINPUT);
	assert_string_equal(msg, "vastlegging beschadigd: onbekende normcategorie");
	f->res.months[0].cat = cat;
	/* an income line naming no income record: the encoder refuses it; a
	 * record whose income record is cut out is refused by the decoder */
	memset(&line, 0, sizeof(line));
	memset(&income, 0, sizeof(income));
	income.opgave_id = "OPG-X";
	f->in.incomes = &income;
	f->in.n_incomes = 1;
	f->res.lines = &line;
	f->res.n_lines = 1;
	m->n_lines = 1;
	line.income = 1;
	br_error_clear(&err);
	assert_int_equal(settle_record_encode(&f->buf, &f->set, &f->in, &f->res, &f->facts, &f->rules, &err),
			 BR_EINTERNAL);
	assert_string_equal(err.msg, "een inkomensregel noemt geen opgave");
	line.income = 0;
	encode_ok(f);
	assert_int_equal(decode(f, f->buf.p, f->buf.len, msg), 0);
	/* count 1, an element with no field set, "OPG-X", no loonheffingennummer */
	assert_non_null(at = find(f->buf.p, f->buf.len, "\x01\x00\x06OPG-X\x00", 9));
	*at = 0;
	memmove(at + 1, at + 9, f->buf.len - (size_t)(at + 9 - f->buf.p));
	assert_int_equal(decode(f, f->buf.p, f->buf.len - 8, msg), BR_EINPUT);
	assert_string_equal(msg, "vastlegging beschadigd: een inkomensregel noemt geen opgave");
	m->n_lines = 0;
	f->res.lines = NULL;
	f->res.n_lines = 0;
	f->in.incomes = NULL;
	f->in.n_incomes = 0;
	encode_ok(f);
	assert_int_equal(decode(f, f->buf.p, f->buf.len, msg), 0);
}

/* A rules set that is not the run's cannot be recorded. */
static void test_foreign_rules(void **state)
{
	struct fx *f = *state;
	const struct rule_set *keep = f->res.months[0].rules;
	struct rule_set other;
	struct br_error err;

	memset(&other, 0, sizeof(other));
	f->res.months[0].rules = &other;
	br_error_clear(&err);
	assert_int_equal(settle_record_encode(&f->buf, &f->set, &f->in, &f->res, &f->facts, &f->rules, &err),
			 BR_EINTERNAL);
	assert_string_equal(err.msg, "de regels van een afgerekende maand zijn niet die van de run");
	f->res.months[0].rules = keep;
}

/* Version 2: a month without a difference is kept by its number only and
 * comes back as its number and days; a range that overlaps a month kept in
 * full is refused.  October is paid what it is owed, so the run of
 * November settles it without a difference. */
static void put_varint(unsigned char *p, size_t *n, uint64_t v)
{
	for (; v >= 0x80; v >>= 7)
		p[(*n)++] = (unsigned char)(v | 0x80);
	p[(*n)++] = (unsigned char)v;
}

static void test_month_ranges(void **state)
{
	struct fx *f = *state;
	int32_t oct = month_of(date_from_ymd(2026, 10, 1)), nov = month_of(date_from_ymd(2026, 11, 1));
	struct settle_paid paid;
	struct settle_record rec;
	struct br_error err;
	unsigned char want[16], *at;
	char msg[BR_ERROR_MSG_MAX], *text = NULL;
	size_t n = 0, len = 0;

	assert_int_equal(f->res.n_months, 2);
	memset(&paid, 0, sizeof(paid));
	paid.month = oct;
	paid.paid_cents = f->res.months[0].owed_cents;
	paid.advanced = 1;
	f->in.paid = &paid;
	f->in.n_paid = 1;
	br_error_clear(&err);
	assert_int_equal(settle_dossier(&f->res, &f->in, &f->rules, &f->set, nov, &err), 0);
	assert_int_equal(f->res.months[0].diff_cents, 0);
	encode_ok(f);
	assert_int_equal(settle_record_decode(&rec, f->buf.p, f->buf.len, &f->rules, &err), 0);
	assert_int_equal(rec.res.n_months, 2);
	assert_int_equal(rec.res.months[0].month, oct);
	assert_int_equal(rec.res.months[0].days, 31);
	assert_int_equal(rec.res.months[0].norm_cents, 0);   /* by number only */
	assert_int_equal(rec.res.months[1].norm_cents, f->res.months[1].norm_cents);
	assert_int_equal(rec.in.n_paid, 0);                   /* October's ledger entry is not kept */
	settle_record_free(&rec);
	assert_int_equal(specstore_render(&text, &len, f->buf.p, f->buf.len, &row, &f->rules, 1, &err), 0);
	assert_non_null(strstr(text, "Opnieuw berekend, geen verschil met wat al betaald is: oktober 2026."));
	free(text);
	/* one range: from month 0 to October, one month long; made to start
	 * at November, the month kept in full */
	want[n++] = 1;
	put_varint(want, &n, (uint64_t)oct);
	want[n++] = 0;
	assert_non_null(at = find(f->buf.p, f->buf.len, (const char *)want, n));
	n = 1;
	put_varint(at, &n, (uint64_t)nov);
	assert_int_equal(decode(f, f->buf.p, f->buf.len, msg), BR_EINPUT);
	assert_string_equal(msg, "vastlegging beschadigd: de maanden staan niet op volgorde");
	f->in.paid = NULL;
	f->in.n_paid = 0;
	assert_int_equal(settle_dossier(&f->res, &f->in, &f->rules, &f->set, nov, &err), 0);
}

/* Version 3: an absent date takes one byte (-1), and the values it moves
 * (the negative ones above INT32_MIN, one lower) come back exactly: an
 * end date absent, a claim's start on the day before 1970-01-01 (-1) and
 * a difference of -1 cent are what the engine was given and returned. */
static void test_absent_dates(void **state)
{
	struct fx *f = *state;
	struct settle_record rec;
	struct br_error err;

	assert_int_equal(f->in.einddatum, DATE_NONE);
	encode_ok(f);
	assert_int_equal(f->buf.p[0], 3);
	assert_null(find(f->buf.p, f->buf.len, "\xff\xff\xff\xff\x0f", 5));
	br_error_clear(&err);
	assert_int_equal(settle_record_decode(&rec, f->buf.p, f->buf.len, &f->rules, &err), 0);
	assert_int_equal(rec.in.einddatum, DATE_NONE);
	assert_int_equal(rec.in.stands[0].jongste_kind_geb, DATE_NONE);
	assert_int_equal(rec.in.ingangsdatum, f->in.ingangsdatum);
	settle_record_free(&rec);
	f->res.months[0].diff_cents = -1;
	f->res.months[0].vt_diff_cents = -2;
	f->res.months[0].wkv_cents = (int64_t)DATE_NONE + 1;
	f->res.months[0].vrij_cents = (int64_t)DATE_NONE - 1;
	encode_ok(f);
	assert_int_equal(settle_record_decode(&rec, f->buf.p, f->buf.len, &f->rules, &err), 0);
	assert_int_equal(rec.res.months[0].diff_cents, -1);
	assert_int_equal(rec.res.months[0].vt_diff_cents, -2);
	assert_int_equal(rec.res.months[0].wkv_cents, (int64_t)DATE_NONE + 1);
	assert_int_equal(rec.res.months[0].vrij_cents, (int64_t)DATE_NONE - 1);
	settle_record_free(&rec);
	br_error_clear(&err);
	assert_int_equal(settle_dossier(&f->res, &f->in, &f->rules, &f->set, month_of(date_from_ymd(2026, 11, 1)),
					&err), 0);
}

/* The corpus: real records render; the broken ones are refused. */
static void test_corpus(void **state)
{
	static const struct { const char *name; int rc; const char *msg; } cases[] = {
		{ "largest.bin", 0, NULL },
		{ "smallest.bin", 0, NULL },
		{ "held.bin", 0, "Niet betaald: uw uitkering is opgeschort sinds" },
		{ "derden.bin", 0, "Betaald aan " },
		{ "inhouding.bin", 0, "Inhouding " },
		{ "cut-40.bin", BR_EINPUT, "vastlegging beschadigd: een tekst loopt voorbij het einde" },
		{ "trailing.bin", BR_EINPUT, "vastlegging beschadigd: er staat meer in dan een afrekening" },
		{ "version-4.bin", BR_EINPUT, "vastlegging beschadigd: onbekende versie" },
		/* version 2, after 61 monthly runs (tests/bench/bench_history.sh):
		 * sixty months by number; a Bbz dossier whose months all have an
		 * event (income to assess by hand) and are kept in full */
		{ "v2-history-typical.bin", 0, "Opnieuw berekend, geen verschil met wat al betaald is: november 2026 t/m\n"
		  "november 2031." },
		{ "v2-history-largest.bin", 0, "Er zijn inkomsten over april 2028 bekend." },
		{ "empty.bin", BR_EINPUT, "vastlegging beschadigd: het einde komt te vroeg" },
		/* found by fuzz_record: a kenmerk longer than its field after the
		 * record was already found damaged was still copied */
		{ "crash-long-kenmerk-after-damage.bin", BR_EINPUT, "vastlegging beschadigd: een tekst bevat een NUL-teken" },
		/* found by fuzz_record: a version 1 record whose run month had
		 * -43 days with right and no rules set was rendered (and crashed
		 * on the norm); a month's days are its calendar's */
		{ "crash-negative-active-days.bin", BR_EINPUT, "vastlegging beschadigd: een maand heeft een onmogelijk aantal dagen" },
	};
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[1400], *bytes = NULL, *text = NULL;
		size_t n = 0, len = 0;
		struct br_error err;
		int rc;

		snprintf(path, sizeof(path), "%s/tests/fuzz/corpus/fuzz_record/%s", f->root, cases[i].name);
		br_error_clear(&err);
		assert_int_equal(fsutil_read_file(&bytes, &n, path, 1 << 20, &err), 0);
		rc = specstore_render(&text, &len, bytes, n, &row, &f->rules, 1, &err);
		if (rc != cases[i].rc)
			fail_msg("%s: rc %d, expected %d (%s)", cases[i].name, rc, cases[i].rc, err.msg);
		if (rc == 0) {
			assert_non_null(strstr(text, "Uitbetaald aan u") ? text : strstr(text, "Nu uitbetaald aan u"));
			if (cases[i].msg && !strstr(text, cases[i].msg))
				fail_msg("%s: the text does not say \"%s\"", cases[i].name, cases[i].msg);
		} else {
			assert_string_equal(err.msg, cases[i].msg);
		}
		free(text);
		free(bytes);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_renders),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_wrong_references),
		cmocka_unit_test(test_foreign_rules),
		cmocka_unit_test(test_month_ranges),
		cmocka_unit_test(test_absent_dates),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

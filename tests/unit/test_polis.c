/*
 * test_polis.c — the income parser (parsers/polis.h) on the data files in
 * tests/data/polis/.
 *
 * Every refused file is read twice: with the schema (what intake does:
 * libxml2 usually reports first, with its own words) and without it (what
 * a fuzz target does: the parser's own checks must catch the same problem
 * on the same line).
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
#include "polis.h"
#include "xmlin.h"

#define MAX_RECORDS 4

/* What one parse delivered; parse_test.h fills the header part. */
struct collected {
	int headers;
	struct levering_header hdr;
	int n;
	struct polis_record r[MAX_RECORDS];
};

#define PARSE_TEST_DATA "polis"
#define PARSE_TEST_SCHEMA "polis.xsd"
#define PARSE_TEST_REFUSED "Inkomstenlevering geweigerd: "
#include "parse_test.h"
#include "banned.h"

static int on_record(void *ctx, const struct polis_record *r, struct br_error *err)
{
	struct collected *c = ctx;

	if (c->n >= MAX_RECORDS)
		return br_error_set(err, BR_EINTERNAL, "test holds %d records", MAX_RECORDS);
	c->r[c->n++] = *r;
	return 0;
}

/* For parse_test.h: the parser under test, collecting into *c. */
static int parse_records(struct xmlin *x, struct collected *c, struct br_error *err)
{
	struct polis_handler h = { on_header, on_record, c };

	return polis_parse(x, &h, err);
}

static void test_good(void **state)
{
	struct collected *c = malloc(sizeof(*c));
	const struct polis_record *r;
	struct br_error err;
	int64_t ts = 0;
	int pass;

	assert_non_null(c);
	assert_int_equal(timestamp_parse(&ts, "2026-11-20T02:00:00", 19, NULL), 0);
	for (pass = 0; pass < 2; pass++) {
		assert_int_equal(parse(*state, "good.xml", pass == 0, c, &err), 0);
		assert_int_equal(c->headers, 1);
		assert_int_equal(c->hdr.kind, LEVERING_INKOMEN);
		assert_string_equal(c->hdr.levering_id, "OIB-2026-11-0001");
		assert_true(c->hdr.aanmaakdatum == ts);
		assert_int_equal(c->hdr.peildatum, DATE_NONE);
		assert_int_equal(c->n, 3);

		r = &c->r[0];
		assert_int_equal(r->line, 6);
		assert_string_equal(r->opgave_id, "P-2026-000000123");
		assert_string_equal(r->vervangt, "P-2026-000000077");
		assert_int_equal(r->intrekking, 0);
		assert_string_equal(r->bsn, "123456782");
		assert_string_equal(r->lhnr, "123456789L01");
		assert_int_equal(r->numiv, 1);
		assert_string_equal(r->soort, "ARBEID");
		assert_int_equal(r->dat_aanv_tv, day("2026-10-01"));
		assert_int_equal(r->dat_eind_tv, day("2026-10-31"));
		assert_int_equal(r->ln_lb_ph_cents, 103400);
		assert_int_equal(r->vak_bsl_cents, 1);
		assert_int_equal(r->extr_per_sal_cents, 2);
		assert_int_equal(r->opn_avwb_cents, 3);
		assert_int_equal(r->wrd_pr_gebr_aut_cents, 4);
		assert_int_equal(r->ing_lb_ph_cents, 1200);
		assert_int_equal(r->bijdr_zvw_cents, 5400);
		assert_int_equal(r->pr_wga_whk_wn_cents, 5);
		assert_int_equal(r->ind_heffingskorting, 1);
		assert_int_equal(r->aant_verl_u, 48);
		assert_int_equal(r->tags, POLIS_TAG_NIEUWE_IKV | POLIS_TAG_BEREKEN_VT_EN_EPS);

		/* Only the required elements: optional ones read as absent. */
		r = &c->r[1];
		assert_int_equal(r->line, 29);
		assert_string_equal(r->opgave_id, "P-2026-000000124");
		assert_string_equal(r->vervangt, "");
		assert_int_equal(r->intrekking, 0);
		assert_string_equal(r->bsn, "314159265");
		assert_string_equal(r->lhnr, "987654321L12");
		assert_int_equal(r->numiv, 12); /* " 12 ": xs:int collapses whitespace */
		assert_string_equal(r->soort, "UITKERING");
		assert_int_equal(r->dat_aanv_tv, day("2026-10-15"));
		assert_int_equal(r->dat_eind_tv, day("2026-10-15"));
		assert_int_equal(r->ln_lb_ph_cents, -25075);
		assert_int_equal(r->vak_bsl_cents, 0);
		assert_int_equal(r->ing_lb_ph_cents, -2010);
		assert_int_equal(r->ind_heffingskorting, 0);
		assert_int_equal(r->aant_verl_u, -1);
		assert_int_equal(r->tags, 0);

		/* A withdrawal: Intrekking "1". */
		r = &c->r[2];
		assert_string_equal(r->opgave_id, "P-2026-000000125");
		assert_string_equal(r->vervangt, "P-2026-000000124");
		assert_int_equal(r->intrekking, 1);
		assert_int_equal(r->ind_heffingskorting, 0);
		assert_int_equal(r->tags, POLIS_TAG_CORRECTIE);
	}
	free(c);
}

static void test_empty_delivery(void **state)
{
	struct collected *c = malloc(sizeof(*c));
	struct br_error err;

	assert_non_null(c);
	assert_int_equal(parse(*state, "empty.xml", 1, c, &err), 0);
	assert_int_equal(c->headers, 1);
	assert_string_equal(c->hdr.levering_id, "OIB-LEEG");
	assert_int_equal(c->n, 0);
	free(c);
}

static void test_wrong_namespace(void **state)
{
	expect_refused(state, "wrong_namespace.xml", 4, "No matching global declaration",
		       "het rootelement is <Inkomstenlevering> in namespace "
		       "'urn:nl:betaalrun:clientregister:1'; verwacht <Inkomstenlevering> in "
		       "namespace 'urn:nl:betaalrun:polis:1'");
}

static void test_missing_required(void **state)
{
	expect_refused(state, "missing_required.xml", 7, "LhNr': This element is not expected",
		       "<BSN> ontbreekt vóór <LhNr> in <Inkomstenopgave> "
		       "(Inkomstenopgave P-2026-000000123)");
}

static void test_amount_with_three_decimals(void **state)
{
	expect_refused(state, "amount_3_decimals.xml", 13, "The value '12.345' is not accepted",
		       "bedrag '12.345' heeft 3 decimalen; er moeten er precies 2 zijn "
		       "(<LnLbPh>, Inkomstenopgave P-2026-000000123)");
}

static void test_bsn_fails_elfproef(void **state)
{
	expect_refused(state, "bsn_elfproef.xml", 7,
		       "BSN *****6789 voldoet niet aan de elfproef (<BSN>, Inkomstenopgave P-2026-000000123)",
		       "BSN *****6789 voldoet niet aan de elfproef (<BSN>, Inkomstenopgave P-2026-000000123)");
}

static void test_date_that_does_not_exist(void **state)
{
	expect_refused(state, "date_invalid.xml", 12, "'2026-02-30' is not a valid value",
		       "datum '2026-02-30' bestaat niet in de kalender "
		       "(<DatEindTv>, Inkomstenopgave P-2026-000000123)");
}

static void test_period_reversed(void **state)
{
	expect_refused(state, "period_reversed.xml", 12,
		       "<DatEindTv> 2026-09-30 ligt vóór <DatAanvTv> 2026-10-01",
		       "<DatEindTv> 2026-09-30 ligt vóór <DatAanvTv> 2026-10-01");
}

static void test_unknown_enum_value(void **state)
{
	expect_refused(state, "unknown_enum.xml", 10, "The value 'LOON' is not an element of the set",
		       "'LOON' is niet een van ARBEID, UITKERING, PENSIOEN, OVERIG (<Inkomstensoort>, "
		       "Inkomstenopgave P-2026-000000123)");
}

static void test_text_too_long(void **state)
{
	expect_refused(state, "text_too_long.xml", 6, "is not accepted by the pattern",
		       "de tekst van <OpgaveId> is langer dan 35 bytes");
}

static void test_tag_twice(void **state)
{
	expect_refused(state, "too_many_tags.xml", 26, "Tag': This element is not expected",
		       "<Tag> CORRECTIE komt twee keer voor (Inkomstenopgave P-2026-000000123)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_empty_delivery),
		cmocka_unit_test(test_wrong_namespace),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_amount_with_three_decimals),
		cmocka_unit_test(test_bsn_fails_elfproef),
		cmocka_unit_test(test_date_that_does_not_exist),
		cmocka_unit_test(test_period_reversed),
		cmocka_unit_test(test_unknown_enum_value),
		cmocka_unit_test(test_text_too_long),
		cmocka_unit_test(test_tag_twice),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test_signals_xml.c — the signal parser (parsers/signals_xml.h) on the data
 * files in tests/data/signals/.
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
#include "signals_xml.h"
#include "xmlin.h"

#define MAX_RECORDS 4

/* What one parse delivered; parse_test.h fills the header part. */
struct collected {
	int headers;
	struct levering_header hdr;
	int n;
	struct signal_record s[MAX_RECORDS];
};

#define PARSE_TEST_DATA "signals"
#define PARSE_TEST_SCHEMA "signalen.xsd"
#define PARSE_TEST_REFUSED "Signaallevering geweigerd: "
#include "parse_test.h"
#include "banned.h"

static int on_signal(void *ctx, const struct signal_record *s, struct br_error *err)
{
	struct collected *c = ctx;

	if (c->n >= MAX_RECORDS)
		return br_error_set(err, BR_EINTERNAL, "test holds %d records", MAX_RECORDS);
	c->s[c->n++] = *s;
	return 0;
}

/* For parse_test.h: the parser under test, collecting into *c. */
static int parse_records(struct xmlin *x, struct collected *c, struct br_error *err)
{
	struct signals_handler h = { on_header, on_signal, c };

	return signals_parse(x, &h, err);
}

static void test_good(void **state)
{
	struct collected *c = malloc(sizeof(*c));
	const struct signal_record *s;
	struct br_error err;
	int64_t ts = 0;
	int pass;

	assert_non_null(c);
	assert_int_equal(timestamp_parse(&ts, "2026-11-27T03:00:00", 19, NULL), 0);
	for (pass = 0; pass < 2; pass++) {
		assert_int_equal(parse(*state, "good.xml", pass == 0, c, &err), 0);
		assert_int_equal(c->headers, 1);
		assert_int_equal(c->hdr.kind, LEVERING_SIGNALEN);
		assert_string_equal(c->hdr.levering_id, "IB-RC-2026-11-27");
		assert_true(c->hdr.aanmaakdatum == ts);
		assert_int_equal(c->hdr.peildatum, DATE_NONE);
		assert_int_equal(c->n, 2);

		s = &c->s[0];
		assert_int_equal(s->line, 6);
		assert_string_equal(s->signaal_id, "IB-2026-0000456");
		assert_string_equal(s->soort, "DETENTIE");
		assert_string_equal(s->bsn, "123456782");
		assert_string_equal(s->bron, "DJI");
		assert_int_equal(s->signaaldatum, day("2026-11-25"));
		assert_int_equal(s->periode_begin, day("2026-11-20"));
		assert_int_equal(s->periode_einde, day("2026-12-31"));
		assert_string_equal(s->omschrijving,
				    "Insluiting \xe2\x80\x93 Penitentiaire Inrichting Heerhugowaard, cel 3\xc3\xa9");
		assert_int_equal(s->n_gegevens, 2);
		assert_string_equal(s->gegevens[0].naam, "bedrag");
		assert_string_equal(s->gegevens[0].waarde, "15234.00");
		assert_string_equal(s->gegevens[1].naam, "inrichting");
		assert_string_equal(s->gegevens[1].waarde, "PI Heerhugowaard");

		/* Only the required elements; a Soort with digits. */
		s = &c->s[1];
		assert_int_equal(s->line, 18);
		assert_string_equal(s->signaal_id, "IB-2026-0000457");
		assert_string_equal(s->soort, "INKOMSTEN_BOX1_BOX3");
		assert_string_equal(s->bsn, "271828183");
		assert_string_equal(s->bron, "BELASTINGDIENST");
		assert_int_equal(s->signaaldatum, day("2026-11-26"));
		assert_int_equal(s->periode_begin, day("2025-01-01"));
		assert_int_equal(s->periode_einde, DATE_NONE);
		assert_string_equal(s->omschrijving, "");
		assert_int_equal(s->n_gegevens, 0);
		assert_string_equal(s->gegevens[0].naam, "");
	}
	free(c);
}

static void test_wrong_namespace(void **state)
{
	expect_refused(state, "wrong_namespace.xml", 4, "No matching global declaration",
		       "het rootelement is <Signaallevering> in namespace "
		       "'urn:nl:inlichtingenbureau:signalen:1'; verwacht <Signaallevering> in "
		       "namespace 'urn:nl:betaalrun:signalen:1'");
}

static void test_missing_required(void **state)
{
	/* libxml2 notices at the end tag; the parser names the record's start. */
	expect_refused_at(state, "missing_required.xml", 11, "Missing child element(s)", 5,
			  "<PeriodeBegin> ontbreekt in <Signaal> (Signaal IB-2026-0000456)");
}

static void test_bsn_fails_elfproef(void **state)
{
	expect_refused(state, "bsn_elfproef.xml", 8,
		       "BSN *****6789 voldoet niet aan de elfproef (<BSN>, Signaal IB-2026-0000456)",
		       "BSN *****6789 voldoet niet aan de elfproef (<BSN>, Signaal IB-2026-0000456)");
}

static void test_date_that_does_not_exist(void **state)
{
	expect_refused(state, "date_invalid.xml", 10, "'2026-02-30' is not a valid value",
		       "datum '2026-02-30' bestaat niet in de kalender "
		       "(<Signaaldatum>, Signaal IB-2026-0000456)");
}

static void test_period_reversed(void **state)
{
	expect_refused(state, "period_reversed.xml", 12,
		       "<PeriodeEinde> 2026-11-19 ligt vóór <PeriodeBegin> 2026-11-20",
		       "<PeriodeEinde> 2026-11-19 ligt vóór <PeriodeBegin> 2026-11-20");
}

static void test_unknown_enum_value(void **state)
{
	expect_refused(state, "unknown_enum.xml", 9, "The value 'POLITIE' is not an element of the set",
		       "'POLITIE' is niet een van UWV, DJI, DUO, BELASTINGDIENST, RDW, BRP, GEMEENTE, "
		       "CJIB, SVB (<Bron>, Signaal IB-2026-0000456)");
}

static void test_text_too_long(void **state)
{
	expect_refused(state, "text_too_long.xml", 12, "exceeds the allowed maximum length of '500'",
		       "<Omschrijving> is langer dan 500 tekens (Signaal IB-2026-0000456)");
}

static void test_too_many_gegevens(void **state)
{
	expect_refused(state, "too_many_gegevens.xml", 28, "Gegeven': This element is not expected",
		       "te veel <Gegeven> (ten hoogste 16) (Signaal IB-2026-0000456)");
}

static void test_soort_is_an_open_token_of_capitals(void **state)
{
	expect_refused(state, "soort_lowercase.xml", 7, "The value 'detentie' is not accepted",
		       "<Soort> 'detentie' moet een hoofdletter zijn, gevolgd door hoofdletters, cijfers en '_'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_wrong_namespace),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_bsn_fails_elfproef),
		cmocka_unit_test(test_date_that_does_not_exist),
		cmocka_unit_test(test_period_reversed),
		cmocka_unit_test(test_unknown_enum_value),
		cmocka_unit_test(test_text_too_long),
		cmocka_unit_test(test_too_many_gegevens),
		cmocka_unit_test(test_soort_is_an_open_token_of_capitals),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

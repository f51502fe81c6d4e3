/*
 * test_register.c — the client register parser (parsers/register.h) on the
 * data files in tests/data/register/, and the record problems intake marks
 * on what it delivers (snapshot_record_problems, formats.md §5).
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
#include "iban.h"
#include "register.h"
#include "snapshot.h"
#include "xmlin.h"

#define MAX_DOSSIERS 8

/* What one parse delivered; parse_test.h fills the header part. */
struct collected {
	int headers;
	struct levering_header hdr;
	int n;
	struct register_dossier d[MAX_DOSSIERS];
};

#define PARSE_TEST_DATA "register"
#define PARSE_TEST_SCHEMA "clientregister.xsd"
#define PARSE_TEST_REFUSED "Clientregister geweigerd: "
#include "parse_test.h"
#include "banned.h"

static int on_dossier(void *ctx, const struct register_dossier *d, struct br_error *err)
{
	struct collected *c = ctx;

	if (c->n >= MAX_DOSSIERS)
		return br_error_set(err, BR_EINTERNAL, "test holds %d dossiers", MAX_DOSSIERS);
	c->d[c->n++] = *d;
	return 0;
}

/* For parse_test.h: the parser under test, collecting into *c. */
static int parse_records(struct xmlin *x, struct collected *c, struct br_error *err)
{
	struct register_handler h = { on_header, on_dossier, c };

	return register_parse(x, &h, err);
}

static void test_good(void **state)
{
	struct collected *c = malloc(sizeof(*c));
	const struct register_dossier *d;
	struct br_error err;
	int64_t ts = 0;
	int pass;

	assert_non_null(c);
	assert_int_equal(timestamp_parse(&ts, "2026-11-27T18:00:00", 19, NULL), 0);
	for (pass = 0; pass < 2; pass++) {
		assert_int_equal(parse(*state, "good.xml", pass == 0, c, &err), 0);
		assert_int_equal(c->headers, 1);
		assert_int_equal(c->hdr.kind, LEVERING_REGISTER);
		assert_string_equal(c->hdr.levering_id, "REG-2026-11-27");
		assert_int_equal(c->hdr.peildatum, day("2026-11-27"));
		assert_true(c->hdr.aanmaakdatum == ts);
		assert_int_equal(c->n, 2);

		d = &c->d[0];
		assert_int_equal(d->line, 7);
		assert_string_equal(d->nummer, "PW-0405-000123");
		assert_string_equal(d->regeling, "PW");
		assert_string_equal(d->gemeente, "0405");
		assert_int_equal(d->ingangsdatum, day("2025-03-01"));
		assert_int_equal(d->einddatum, day("2026-12-15"));
		assert_string_equal(d->aanvrager.bsn, "123456782");
		assert_string_equal(d->aanvrager.naam, "Zo\xc3\xab \xc3\x87" "elik-de Vries");
		assert_int_equal(d->aanvrager.geboortedatum, day("1988-04-12"));
		assert_int_equal(d->has_partner, 1);
		assert_string_equal(d->partner.bsn, "111222333");
		assert_string_equal(d->partner.naam, "Ana\xc3\xafs M\xc3\xbcller");
		assert_int_equal(d->partner.geboortedatum, day("1990-02-28"));
		assert_string_equal(d->leefvorm, "GEHUWD");
		assert_int_equal(d->jongste_kind_geb, day("2019-05-01"));
		assert_int_equal(d->kostendelers, 1);
		assert_int_equal(d->woonkostenverlaging_pct, 20);
		assert_string_equal(d->iban, "NL91ABNA0417164300");
		assert_string_equal(d->bic, "ABNANL2A");
		assert_string_equal(d->tenaamstelling, "Z \xc3\x87" "elik-de Vries");
		assert_int_equal(d->has_vast_bedrag, 1);
		assert_int_equal(d->vast_bedrag_cents, 123456);
		assert_int_equal(d->has_vt_reservering, 1);
		assert_int_equal(d->vt_reservering_cents, 41230);
		assert_int_equal(d->n_grants, 2);
		assert_string_equal(d->grants[0].code, "N");
		assert_string_equal(d->grants[0].persoon, "AANVRAGER");
		assert_int_equal(d->grants[0].ingangsdatum, day("2026-09-01"));
		assert_int_equal(d->grants[0].einddatum, DATE_NONE);
		assert_int_equal(d->grants[0].maanden_gebruikt, -1);
		assert_string_equal(d->grants[1].code, "34A_MU");
		assert_string_equal(d->grants[1].persoon, "PARTNER");
		assert_int_equal(d->grants[1].ingangsdatum, day("2026-01-01"));
		assert_int_equal(d->grants[1].einddatum, day("2026-06-30"));
		assert_int_equal(d->grants[1].maanden_gebruikt, 4);
		assert_int_equal(d->n_claims, 2);
		assert_string_equal(d->claims[0].kenmerk, "TV-2025-0042");
		assert_string_equal(d->claims[0].soort, "TERUGVORDERING");
		assert_int_equal(d->claims[0].saldo_cents, 81240);
		assert_int_equal(d->claims[0].termijn_cents, 4500);
		assert_string_equal(d->claims[1].kenmerk, "BT-2026-0007");
		assert_string_equal(d->claims[1].soort, "BOETE");
		assert_int_equal(d->claims[1].saldo_cents, 0);
		assert_int_equal(d->claims[1].termijn_cents, 1005);
		assert_int_equal(d->n_derden, 1);
		assert_string_equal(d->derden[0].kenmerk, "HUUR-4411");
		assert_string_equal(d->derden[0].naam, "Woningstichting Het Grootslag");
		assert_string_equal(d->derden[0].iban, "NL02RABO0123456789");
		assert_int_equal(d->derden[0].bedrag_cents, 65000);
		assert_int_equal(d->derden[0].prioriteit, 1);
		assert_string_equal(d->derden[0].omschrijving,
				    "Huur contract 4411 \xe2\x80\x93 \xe2\x82\xac");
		assert_int_equal(d->has_opschorting, 1);
		assert_int_equal(d->opschorting_vanaf, day("2026-11-01"));
		assert_string_equal(d->opschorting_reden, "Adresonderzoek");

		/* Only the required elements: every optional one reads as absent. */
		d = &c->d[1];
		assert_int_equal(d->line, 59);
		assert_string_equal(d->nummer, "BBZ-0388-9");
		assert_string_equal(d->regeling, "BBZ");
		assert_string_equal(d->gemeente, "0388");
		assert_int_equal(d->ingangsdatum, day("2024-01-01")); /* " 2024-01-01 " */
		assert_int_equal(d->einddatum, DATE_NONE);
		assert_string_equal(d->aanvrager.bsn, "234567892");
		assert_string_equal(d->aanvrager.naam, "P. Jansen");
		assert_int_equal(d->aanvrager.geboortedatum, day("1970-12-31"));
		assert_int_equal(d->has_partner, 0);
		assert_string_equal(d->partner.bsn, "");
		assert_int_equal(d->partner.geboortedatum, DATE_NONE);
		assert_string_equal(d->leefvorm, "ALLEENSTAAND");
		assert_int_equal(d->jongste_kind_geb, DATE_NONE);
		assert_int_equal(d->kostendelers, 0);
		assert_int_equal(d->woonkostenverlaging_pct, 0);
		assert_string_equal(d->iban, "DE89370400440532013000");
		assert_string_equal(d->bic, "");
		assert_string_equal(d->tenaamstelling, "P Jansen");
		assert_int_equal(d->has_vast_bedrag, 0);
		assert_int_equal(d->has_vt_reservering, 0);
		assert_int_equal(d->n_grants, 0);
		assert_int_equal(d->n_claims, 0);
		assert_int_equal(d->n_derden, 0);
		assert_int_equal(d->has_opschorting, 0);
		assert_int_equal(d->opschorting_vanaf, DATE_NONE);
		assert_string_equal(d->opschorting_reden, "");
	}
	free(c);
}

static void test_empty_register(void **state)
{
	struct collected *c = malloc(sizeof(*c));
	struct br_error err;

	assert_non_null(c);
	assert_int_equal(parse(*state, "empty.xml", 1, c, &err), 0);
	assert_int_equal(c->headers, 1);
	assert_string_equal(c->hdr.levering_id, "REG-LEEG");
	assert_int_equal(c->n, 0);
	free(c);
}

/* formats.md §5: an IBAN failing mod-97 is a record problem for intake. */
static void test_iban_checksum_is_not_a_file_error(void **state)
{
	struct collected *c = malloc(sizeof(*c));
	struct br_error err;

	assert_non_null(c);
	assert_int_equal(parse(*state, "iban_checksum.xml", 1, c, &err), 0);
	assert_int_equal(c->n, 1);
	assert_string_equal(c->d[0].iban, "NL91ABNA0417164301");
	free(c);
}

/*
 * formats.md §5: well-formed but unpayable.  The file is accepted (with and
 * without the schema); each dossier's problem is said in words, and never
 * with the account number or a run of nine digits (it goes into block
 * reasons, the report and REGISTER jobs).
 */
static void test_record_problems(void **state)
{
	struct collected *c = malloc(sizeof(*c));
	char want[8][512], got[1024];
	const char *src = iban_sepa_source();
	struct br_error err;
	int pass, i;

	assert_non_null(c);
	snprintf(want[0], sizeof(want[0]), "account: IBAN ****4301 fails the mod-97 check");
	snprintf(want[1], sizeof(want[1]), "account: IBAN ****6430 has 17 characters; an IBAN of NL has 18");
	snprintf(want[2], sizeof(want[2]),
		 "account: IBAN ****7519 is of SA, a country outside the SEPA scheme (%s)", src);
	snprintf(want[3], sizeof(want[3]),
		 "account: IBAN ****93C1 is of BR, a country outside the SEPA scheme (%s)", src);
	/* a third party's IBAN; its kenmerk's digit run masked but the last four */
	snprintf(want[4], sizeof(want[4]), "third party HUUR-********9012: IBAN ****3456 is of AE,"
		 " a country outside the SEPA scheme (%s)", src);
	snprintf(want[5], sizeof(want[5]), "the Dossiernummer holds a run of nine or more digits"
		 " (it could be a BSN and would reach the payment file)");
	/* several problems of one dossier, in one text */
	snprintf(want[6], sizeof(want[6]), "the Dossiernummer holds a run of nine or more digits"
		 " (it could be a BSN and would reach the payment file); account: IBAN ****1634 is of FO,"
		 " a country outside the SEPA scheme (%s); third party HUUR-4411: IBAN ****3001 fails the"
		 " mod-97 check", src);
	/* a British third party and a Dutch account: payable */
	want[7][0] = '\0';
	for (pass = 0; pass < 2; pass++) {
		assert_int_equal(parse(*state, "record_problems.xml", pass == 0, c, &err), 0);
		assert_int_equal(c->n, 8);
		for (i = 0; i < 8; i++) {
			const char *p;
			int run = 0;

			snapshot_record_problems(got, sizeof(got), &c->d[i]);
			if (strcmp(got, want[i]) != 0)
				fail_msg("%s: '%s', want '%s'", c->d[i].nummer, got, want[i]);
			for (p = got; *p; p++) {
				run = (*p >= '0' && *p <= '9') ? run + 1 : 0;
				assert_true(run < 9);
			}
			assert_null(strstr(got, c->d[i].iban));
		}
	}
	/* a text cut at its buffer stays terminated */
	snapshot_record_problems(got, 40, &c->d[6]);
	assert_int_equal(strlen(got), 39);
	free(c);
}

/* 200 characters of two bytes each: the limit counts characters. */
static void test_name_of_200_accented_characters(void **state)
{
	struct collected *c = malloc(sizeof(*c));
	struct br_error err;

	assert_non_null(c);
	assert_int_equal(parse(*state, "name_200_accents.xml", 1, c, &err), 0);
	assert_int_equal(c->n, 1);
	assert_int_equal(strlen(c->d[0].aanvrager.naam), 400);
	free(c);
}

static void test_wrong_namespace(void **state)
{
	expect_refused(state, "wrong_namespace.xml", 5, "No matching global declaration",
		       "het rootelement is <Clientregister> in namespace "
		       "'urn:nl:betaalrun:clientregister:2'; verwacht <Clientregister> in "
		       "namespace 'urn:nl:betaalrun:clientregister:1'");
}

static void test_missing_required(void **state)
{
	expect_refused(state, "missing_required.xml", 16, "Kostendelers': This element is not expected",
		       "<Leefvorm> ontbreekt vóór <Kostendelers> in <Dossier> "
		       "(Dossier PW-0405-000123)");
}

static void test_amount_with_three_decimals(void **state)
{
	expect_refused(state, "amount_3_decimals.xml", 22, "The value '12.345' is not accepted",
		       "bedrag '12.345' heeft 3 decimalen; er moeten er precies 2 zijn "
		       "(<VastBedrag>, Dossier PW-0405-000123)");
}

static void test_bsn_fails_elfproef(void **state)
{
	/* The schema cannot see the elfproef: both passes give the parser's word. */
	expect_refused(state, "bsn_elfproef.xml", 12,
		       "BSN *****6789 voldoet niet aan de elfproef (<BSN>, Dossier PW-0405-000123)",
		       "BSN *****6789 voldoet niet aan de elfproef (<BSN>, Dossier PW-0405-000123)");
}

static void test_date_that_does_not_exist(void **state)
{
	expect_refused(state, "date_invalid.xml", 10, "'2026-02-30' is not a valid value",
		       "datum '2026-02-30' bestaat niet in de kalender "
		       "(<Ingangsdatum>, Dossier PW-0405-000123)");
}

static void test_too_many_grants(void **state)
{
	expect_refused(state, "too_many_grants.xml", 38, "Vrijlating': This element is not expected",
		       "te veel <Vrijlating> (ten hoogste 16) (Dossier PW-0405-000123)");
}

static void test_unknown_enum_value(void **state)
{
	expect_refused(state, "unknown_enum.xml", 8, "The value 'WWB' is not an element of the set",
		       "'WWB' is niet een van PW, IOAW, IOAZ, BBZ (<Regeling>, Dossier PW-0405-000123)");
}

static void test_text_too_long(void **state)
{
	expect_refused(state, "text_too_long.xml", 13, "this exceeds the allowed maximum length of '200'",
		       "<Naam> is langer dan 200 tekens (Dossier PW-0405-000123)");
}

static void test_einddatum_before_ingangsdatum(void **state)
{
	expect_refused(state, "einddatum_before_ingang.xml", 11,
		       "<Einddatum> 2025-02-28 ligt vóór <Ingangsdatum> 2025-03-01 (Dossier PW-0405-000123)",
		       "<Einddatum> 2025-02-28 ligt vóór <Ingangsdatum> 2025-03-01 (Dossier PW-0405-000123)");
}

static void test_grant_ends_before_it_starts(void **state)
{
	expect_refused(state, "grant_period_reversed.xml", 22,
		       "<Vrijlating> R eindigt op 2026-08-31, vóór zij begint op 2026-09-01",
		       "<Vrijlating> R eindigt op 2026-08-31, vóór zij begint op 2026-09-01");
}

static void test_elements_out_of_order(void **state)
{
	expect_refused(state, "out_of_order.xml", 8, "Gemeente': This element is not expected",
		       "<Regeling> ontbreekt vóór <Gemeente> in <Dossier> (Dossier PW-0405-000123)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_empty_register),
		cmocka_unit_test(test_iban_checksum_is_not_a_file_error),
		cmocka_unit_test(test_record_problems),
		cmocka_unit_test(test_name_of_200_accented_characters),
		cmocka_unit_test(test_wrong_namespace),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_amount_with_three_decimals),
		cmocka_unit_test(test_bsn_fails_elfproef),
		cmocka_unit_test(test_date_that_does_not_exist),
		cmocka_unit_test(test_too_many_grants),
		cmocka_unit_test(test_unknown_enum_value),
		cmocka_unit_test(test_text_too_long),
		cmocka_unit_test(test_einddatum_before_ingangsdatum),
		cmocka_unit_test(test_grant_ends_before_it_starts),
		cmocka_unit_test(test_elements_out_of_order),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

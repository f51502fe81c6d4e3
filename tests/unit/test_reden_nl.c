/*
 * test_reden_nl.c — the report's reasons in Dutch (writers/reden_nl.h).
 *
 * The English texts are made here the way their sources make them: the
 * IBAN messages by core/iban.c itself (iban_validate on a bad IBAN), the
 * register problems quoted from pipeline/snapshot.c
 * (snapshot_record_problems, joined by "; ") and the "WHO: message" of
 * pipeline/payrun.c payment_problem.  The Dutch is written out by hand.
 * A text no template knows (the Dutch reasons of payrun.c, a bank's
 * reason) comes out unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "iban.h"
#include "reden_nl.h"
#include "banned.h"

#define CAP 2048

/* iban.c's message for `iban`, which must be refused. */
static const char *iban_msg(struct br_error *e, const char *iban)
{
	br_error_clear(e);
	assert_true(iban_validate(iban, e) < 0);
	return e->msg;
}

static void nl_is(const char *en, const char *want)
{
	char out[CAP];

	reden_nl(out, sizeof(out), en);
	if (strcmp(out, want) != 0)
		fail_msg("'%s'\n  gave '%s'\n  want '%s'", en, out, want);
}

static void test_iban_messages(void **state)
{
	struct br_error e;
	char en[CAP], want[CAP], shown[IBAN_MASKED_MAX];

	(void)state;
	/* NL91ABNA0417164300 with its last digit changed: mod-97 fails */
	iban_mask(shown, "NL91ABNA0417164301");
	snprintf(want, sizeof(want), "IBAN %s voldoet niet aan de mod-97-controle", shown);
	nl_is(iban_msg(&e, "NL91ABNA0417164301"), want);
	/* as payrun.c's payment_problem puts it for the client's account */
	snprintf(en, sizeof(en), "rekening: %s", iban_msg(&e, "NL91ABNA0417164301"));
	snprintf(want, sizeof(want), "rekening: IBAN %s voldoet niet aan de mod-97-controle", shown);
	nl_is(en, want);
	nl_is(iban_msg(&e, ""), "het IBAN is leeg");
	/* a lower-case letter at position 5 */
	iban_mask(shown, "NL91abna0417164300");
	snprintf(want, sizeof(want), "IBAN %s heeft op positie 5 een ander teken dan A-Z of 0-9", shown);
	nl_is(iban_msg(&e, "NL91abna0417164300"), want);
	/* one digit short: NL has 18 characters */
	iban_mask(shown, "NL91ABNA041716430");
	snprintf(want, sizeof(want), "IBAN %s heeft 17 tekens; een IBAN van NL heeft er 18", shown);
	nl_is(iban_msg(&e, "NL91ABNA041716430"), want);
	/* check digits 00 */
	iban_mask(shown, "NL00ABNA0417164300");
	snprintf(want, sizeof(want), "IBAN %s heeft controlecijfers 00; die moeten 02 tot en met 98 zijn", shown);
	nl_is(iban_msg(&e, "NL00ABNA0417164300"), want);
	/* no country code */
	iban_mask(shown, "1234");
	snprintf(want, sizeof(want), "IBAN %s begint niet met een landcode en 2 controlecijfers", shown);
	nl_is(iban_msg(&e, "1234"), want);
}

static void test_register_problems(void **state)
{
	struct br_error e;
	char en[CAP], want[CAP], m[512], shown[IBAN_MASKED_MAX];

	(void)state;
	iban_mask(shown, "NL91ABNA0417164301");
	snprintf(m, sizeof(m), "%s", iban_msg(&e, "NL91ABNA0417164301"));
	/* snapshot_record_problems: three problems joined by "; " */
	snprintf(en, sizeof(en), "account: %s; third party HUUR-77: %s; Leefvorm is GEHUWD but no Partner is given",
		 m, m);
	snprintf(want, sizeof(want), "rekening: IBAN %s voldoet niet aan de mod-97-controle; derde HUUR-77: IBAN %s"
		 " voldoet niet aan de mod-97-controle; de leefvorm is GEHUWD, maar er is geen partner opgegeven",
		 shown, shown);
	nl_is(en, want);
	/* a message with "; " of its own, then another problem */
	iban_mask(shown, "NL91ABNA041716430");
	snprintf(m, sizeof(m), "%s", iban_msg(&e, "NL91ABNA041716430"));
	snprintf(en, sizeof(en), "account: %s; Leefvorm is GEHUWD but no Partner is given; third party X-1: %s", m, m);
	snprintf(want, sizeof(want), "rekening: IBAN %s heeft 17 tekens; een IBAN van NL heeft er 18; de leefvorm is"
		 " GEHUWD, maar er is geen partner opgegeven; derde X-1: IBAN %s heeft 17 tekens; een IBAN van NL heeft"
		 " er 18", shown, shown);
	nl_is(en, want);
	/* an unknown problem between two known ones stays as it is */
	nl_is("IBAN is empty; something new; Leefvorm is GEHUWD but no Partner is given",
	      "het IBAN is leeg; something new; de leefvorm is GEHUWD, maar er is geen partner opgegeven");
	iban_mask(shown, "NL91ABNA0417164301");
	snprintf(m, sizeof(m), "%s", iban_msg(&e, "NL91ABNA0417164301"));
	/* a REGISTER job's text (signals.c), as the worklist shows it */
	snprintf(en, sizeof(en), "register data blocks payment: account: %s", m);
	snprintf(want, sizeof(want), "registergegevens houden de betaling tegen: rekening: IBAN %s voldoet niet aan"
		 " de mod-97-controle", shown);
	nl_is(en, want);
	nl_is("a Partner is given but Leefvorm is ALLEENSTAAND, not GEHUWD",
	      "er is een partner opgegeven, maar de leefvorm is ALLEENSTAAND, niet GEHUWD");
	nl_is("vrijlating ALO is granted to the PARTNER but there is no Partner",
	      "vrijlating ALO is toegekend aan de PARTNER, maar er is geen partner");
	nl_is("two vrijlatingen ALO for the AANVRAGER overlap (from 2026-01-01 and from 2026-06-01)",
	      "twee vrijlatingen ALO voor de AANVRAGER overlappen (vanaf 2026-01-01 en vanaf 2026-06-01)");
	nl_is("the Dossiernummer holds a run of nine or more digits (it could be a BSN and would reach the"
	      " payment file)",
	      "het dossiernummer bevat negen of meer cijfers achter elkaar (het kan een BSN zijn en zou in"
	      " het betaalbestand komen)");
}

static void test_dutch_passes_unchanged(void **state)
{
	(void)state;
	nl_is("opschorting sinds 2026-11-01: verblijf buitenland onderzocht",
	      "opschorting sinds 2026-11-01: verblijf buitenland onderzocht");
	nl_is("de bank weigerde een betaling naar deze rekening (AC04 rekening opgeheven); wacht op een"
	      " gecorrigeerd register",
	      "de bank weigerde een betaling naar deze rekening (AC04 rekening opgeheven); wacht op een"
	      " gecorrigeerd register");
	nl_is("", "");
	nl_is("; ;", "; ;");
}

static void test_cut_on_a_character(void **state)
{
	char out[8];

	(void)state;
	/* "het IBAN is leeg" cut to 7 bytes */
	reden_nl(out, sizeof(out), "IBAN is empty");
	assert_string_equal(out, "het IBA");
	/* "één" is 5 bytes; 3 fit, but not half the second é */
	reden_nl(out, 4, "\xc3\xa9\xc3\xa9n");
	assert_string_equal(out, "\xc3\xa9");
	assert_null(reden_nl(NULL, 4, "x"));
}

/* A reason built to make the matching slow ends in time, whole. */
static void test_hostile_text(void **state)
{
	char in[600], out[CAP];
	size_t i;

	(void)state;
	for (i = 0; i + 1 < sizeof(in); i++)
		in[i] = "third party ; : account: ; IBAN "[i % 32];
	in[sizeof(in) - 1] = '\0';
	reden_nl(out, sizeof(out), in);
	assert_true(strlen(out) >= 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iban_messages),
		cmocka_unit_test(test_register_problems),
		cmocka_unit_test(test_dutch_passes_unchanged),
		cmocka_unit_test(test_cut_on_a_character),
		cmocka_unit_test(test_hostile_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

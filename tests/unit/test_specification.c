/*
 * test_specification.c — the payment specification (writers/specification.h).
 *
 * Each test builds one dossier by hand, settles it with the engine and the
 * shipped rules file, writes the specification to a temporary file and
 * reads it back.  Amounts in the assertions are computed by hand from
 * rules.md (comments show the arithmetic), so a test fails when either
 * the engine or the writer changes an amount.  Every specification is
 * also checked for the form rules: no line over 100 characters, no run of
 * nine digits (a BSN cannot leave through it), valid UTF-8 line ends.
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
#include "levering.h"
#include "rules_xml.h"
#include "settle.h"
#include "specification.h"
#include "banned.h"

#define SPEC_READ_MAX (1024 * 1024)

static struct rules g_rules;

static int32_t mon(int y, int m) { return (int32_t)(y * 12 + m - 1); }

static int setup(void **state)
{
	const char *root = getenv("BR_SOURCE_DIR");
	char path[1200], xsd[1200];
	struct br_error err;

	(void)state;
	if (!root || !*root)
		root = BR_SOURCE_DIR;
	snprintf(path, sizeof(path), "%s/data/rules/regels.xml", root);
	snprintf(xsd, sizeof(xsd), "%s/data/schemas/regels.xsd", root);
	br_error_clear(&err);
	if (rules_load(&g_rules, path, xsd, &err) < 0) {
		fprintf(stderr, "rules: %s\n", err.msg);
		rules_release(&g_rules);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rules_release(&g_rules);
	return 0;
}

/* ---- a dossier built by hand ------------------------------------------ */

struct dossier {
	struct settle_input in;
	struct settle_settings set;
	struct settle_stand stand;
	struct settle_income inc[4];
	struct settle_paid paid[16];
	struct settle_claim claim;
	struct settle_derde derde;
	const char *claim_naam[1];
	const char *derde_naam[1];
	struct specification_dossier d;
	struct settle_result r;
};

/* An alleenstaande born 1988-04-12 (37 in 2025), from `start`, with
 * vrijlating N from the start, claim TV-2025-0042 (saldo 812.40, termijn
 * 45.00) and rent HUUR-4411 (400.00, prioriteit 1). */
static void dossier_init(struct dossier *x, int32_t start)
{
	memset(x, 0, sizeof(*x));
	x->stand.vanaf = month_first_day(month_of(start));
	x->stand.aanvrager_geb = date_from_ymd(1988, 4, 12);
	x->stand.partner_geb = DATE_NONE;
	x->stand.leefvorm = LEEFVORM_ALLEENSTAAND;
	x->stand.jongste_kind_geb = DATE_NONE;
	x->stand.n_grants = 1;
	x->stand.grants[0].code = VRIJ_N;
	x->stand.grants[0].persoon = PERSON_AANVRAGER;
	x->stand.grants[0].ingangsdatum = start;
	x->stand.grants[0].einddatum = DATE_NONE;

	snprintf(x->claim.kenmerk, sizeof(x->claim.kenmerk), "TV-2025-0042");
	x->claim.saldo_cents = 81240;
	x->claim.termijn_cents = 4500;
	snprintf(x->derde.kenmerk, sizeof(x->derde.kenmerk), "HUUR-4411");
	x->derde.bedrag_cents = 40000;
	x->derde.prioriteit = 1;

	x->in.regeling = REGELING_PW;
	x->in.ingangsdatum = start;
	x->in.einddatum = DATE_NONE;
	x->in.stands = &x->stand;
	x->in.n_stands = 1;
	x->in.incomes = x->inc;
	x->in.paid = x->paid;
	x->in.claims = &x->claim;
	x->in.n_claims = 1;
	x->in.derden = &x->derde;
	x->in.n_derden = 1;

	x->set.startmaand = month_of(start);
	x->set.vt_uitbetaalmaand = 6;
	x->set.verrekentermijn = 6;
	x->set.beslagvrije_voet_pct = 95;

	x->claim_naam[0] = "terugvordering";
	x->derde_naam[0] = "Woningstichting Het Grootslag";
	x->d.dossiernummer = "PW-0405-000123";
	x->d.gemeente = "0405";
	x->d.naam = "J. de Vries";
	x->d.iban = "NL91ABNA0417164300";
	x->d.uitbetaaldatum = "2026-01-23";
	x->d.claim_naam = x->claim_naam;
	x->d.derde_naam = x->derde_naam;
	x->d.set = &x->set;
	settle_result_init(&x->r);
}

/* One month of wages from employer 123456789L01 with the given amounts. */
static void add_wage(struct dossier *x, int y, int m, int64_t lnlbph, int64_t inglbph, int64_t zvw)
{
	struct settle_income *i = &x->inc[x->in.n_incomes++];

	memset(i, 0, sizeof(*i));
	i->opgave_id = "P-2026-000000123";
	i->lhnr = "123456789L01";
	i->persoon = PERSON_AANVRAGER;
	i->soort = INKOMEN_ARBEID;
	i->dat_aanv_tv = date_from_ymd(y, m, 1);
	i->dat_eind_tv = month_last_day(mon(y, m));
	i->ln_lb_ph_cents = lnlbph;
	i->ing_lb_ph_cents = inglbph;
	i->bijdr_zvw_cents = zvw;
}

static void add_paid(struct dossier *x, int32_t month, int64_t cents)
{
	x->paid[x->in.n_paid].month = month;
	x->paid[x->in.n_paid].paid_cents = cents;
	x->paid[x->in.n_paid].advanced = cents > 0;
	x->in.n_paid++;
}

static void settle(struct dossier *x, int32_t run)
{
	struct br_error err;

	br_error_clear(&err);
	if (settle_dossier(&x->r, &x->in, &g_rules, &x->set, run, &err) < 0)
		fail_msg("settle: %s", err.msg);
}

/* Write the specification and return it as a NUL-terminated string. */
static char *write_spec(struct dossier *x)
{
	struct br_error err;
	FILE *f = tmpfile();
	char *buf;
	long n;

	assert_non_null(f);
	br_error_clear(&err);
	if (specification_write(f, &x->d, &x->in, &x->r, &err) < 0)
		fail_msg("specification_write: %s", err.msg);
	n = ftell(f);
	assert_true(n > 0 && n < SPEC_READ_MAX);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	if (getenv("SPEC_PRINT"))
		fputs(buf, stderr);
	return buf;
}

/* ---- checks on the text ------------------------------------------------- */

/* A line that holds `label` and ends in " amount" (so "€ 1,00" does not
 * match "-€ 1,00" or "€ 11,00"). */
static int has_row(const char *text, const char *label, const char *amount)
{
	const char *p = text;
	size_t al = strlen(amount);

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char line[512];

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		if (strstr(line, label) && n > al && strcmp(line + n - al, amount) == 0 &&
		    line[n - al - 1] == ' ')
			return 1;
		p += n + (e ? 1 : 0);
	}
	return 0;
}

#define assert_row(text, label, amount) do { \
		if (!has_row(text, label, amount)) \
			fail_msg("no line \"%s ... %s\" in the specification", label, amount); \
	} while (0)
/* Prose is wrapped: look for it with every run of white space as one space. */
static int has_text(const char *text, const char *want)
{
	char *flat = malloc(strlen(text) + 1), *o = flat;
	const char *p;
	int found;

	assert_non_null(flat);
	for (p = text; *p; p++) {
		if (*p == ' ' || *p == '\n') {
			if (o == flat || o[-1] != ' ')
				*o++ = ' ';
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	found = strstr(flat, want) != NULL;
	free(flat);
	return found;
}

#define assert_has(text, s) do { \
		if (!has_text(text, s)) \
			fail_msg("\"%s\" not in the specification", s); \
	} while (0)

/* Lines ≤ 100 code points, no 9-digit run, ends in a newline. */
static void assert_form(const char *text)
{
	const char *p;
	int width = 0, digits = 0;

	for (p = text; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\n') {
			width = 0;
			digits = 0;
			continue;
		}
		if ((c & 0xC0) != 0x80)
			width++;
		if (width > SPECIFICATION_LINE_MAX)
			fail_msg("a line is longer than %d characters", SPECIFICATION_LINE_MAX);
		digits = (c >= '0' && c <= '9') ? digits + 1 : 0;
		if (digits >= 9)
			fail_msg("a run of nine digits (a possible BSN) in the specification");
		assert_true(c >= 0x20 || c == '\n');
	}
	assert_true(p > text && p[-1] == '\n');
}

/* ---- tests ------------------------------------------------------------------ */

/*
 * December 2025 settled in the run of January 2026.
 *   net      = 1034.00 − 12.00 − 54.00                 = 968.00
 *   vrij N   = min(278.00, round(25% × 968.00))        = 242.00
 *   right    = 1369.06 − (968.00 − 242.00)             = 643.06
 *   owed     = round(95% × 643.06) = round(610.907)    = 610.91   (VT 32.15)
 *   diff     = 610.91 − 1300.61                        = −689.70
 * January: advance = round(95% × 1401.50) = round(1331.425) = 1331.43;
 * 1331.43 − 689.70 = 641.73; the claim finds no room above the
 * beslagvrije voet (95% × 1331.43 = 1264.86); rent 400.00 fits; the client
 * gets 241.73.
 */
static void test_income_month_settled(void **state)
{
	struct dossier x;
	char *t, line[SPECIFICATION_SUMMARY_MAX];

	(void)state;
	dossier_init(&x, date_from_ymd(2025, 12, 1));
	add_wage(&x, 2025, 12, 103400, 1200, 5400);
	add_paid(&x, mon(2025, 12), 130061);
	settle(&x, mon(2026, 1));
	assert_int_equal(x.r.client_cents, 24173);
	t = write_spec(&x);
	assert_form(t);

	/* header */
	assert_has(t, "PW-0405-000123");
	assert_has(t, "Hoorn (0405)");
	assert_has(t, "Participatiewet (PW)");
	assert_has(t, "J. de Vries");
	assert_has(t, "Betaalmaand januari 2026");
	assert_has(t, "Uitbetaaldatum 23-01-2026");
	assert_has(t, "NL91 ABNA **** **43 00");
	assert_null(strstr(t, "NL91ABNA0417164300"));
	/* the norm and how it was found */
	assert_row(t, "Norm alleenstaande (ouder), 21 jaar tot de AOW-leeftijd", "€ 1.369,06");
	assert_has(t, "art. 21(a) Pw");
	assert_has(t, "u bent 37 jaar");
	assert_has(t, "Kostendelers: geen");
	assert_row(t, "Norm december 2025 (incl. vakantietoeslag)", "€ 1.369,06");
	/* the income record */
	assert_has(t, "Werkgever 1234.56.789.L.01 (loon uit arbeid), 01-12-2025 t/m 31-12-2025");
	assert_row(t, "bruto (LnLbPh)", "€ 1.034,00");
	assert_row(t, "Ingehouden loonheffing", "-€ 12,00");
	assert_row(t, "Ingehouden bijdrage Zvw", "-€ 54,00");
	assert_row(t, "Netto inkomen", "€ 968,00");
	assert_row(t, "Telt mee voor december 2025", "€ 968,00");
	/* vrijlating and the sum */
	assert_row(t, "Vrijlating N", "€ 242,00");
	assert_has(t, "25% van uw netto loon uit arbeid € 968,00, maximaal € 278,00: toegepast.");
	assert_has(t, "art. 31(2)(n) Pw");
	assert_row(t, "Recht op bijstand (incl. vakantietoeslag)", "€ 643,06");
	assert_row(t, "Vakantietoeslag gereserveerd (5%)", "-€ 32,15");
	assert_row(t, "Verschuldigd (excl. vakantietoeslag)", "€ 610,91");
	assert_row(t, "Al betaald over december 2025", "-€ 1.300,61");
	assert_row(t, "Verschil: te veel betaald", "-€ 689,70");
	/* the run month */
	assert_row(t, "Norm januari 2026 (incl. vakantietoeslag)", "€ 1.401,50");
	assert_row(t, "Vakantietoeslag gereserveerd (5%)", "-€ 70,07");
	assert_row(t, "Voorschot januari 2026 (excl. vakantietoeslag)", "€ 1.331,43");
	/* the payment adds up */
	assert_row(t, "Voorschot januari 2026", "€ 1.331,43");
	assert_row(t, "Verrekend: te veel betaald over december 2025", "-€ 689,70");
	assert_row(t, "Betaald aan Woningstichting Het Grootslag (HUUR-4411)", "-€ 400,00");
	assert_row(t, "Uitbetaald aan u", "€ 241,73");
	assert_has(t, "Op rekening NL91 ABNA **** **43 00, op 23-01-2026.");
	/* the claim: not withheld, and why */
	assert_has(t, "Inhouding terugvordering TV-2025-0042: deze maand niets ingehouden");
	assert_has(t, "95% van het voorschot (beslagvrije voet)");
	free(t);

	assert_int_equal(specification_summary_line(line, sizeof(line), &x.r), 0);
	assert_string_equal(line, "2026-01: voorschot € 1.331,43, verrekend € 689,70, "
			    "derden € 400,00, uitbetaald € 241,73");
	settle_result_release(&x.r);
}

/*
 * Income above the norm in November and December 2025 (net 2600.00 −
 * 480.00 − 120.00 = 2000.00 each): vrij N = min(278.00, 500.00) = 278.00;
 * 1369.06 − (2000.00 − 278.00) = −352.94, so right = 0.00 both months and
 * each month's advance of 1300.61 was too much: −2601.22 against
 * January's 1331.43 → Nov 1300.61 and Dec 30.82 deducted, 1269.79 carried,
 * the rent does not fit, the client gets € 0,00.
 */
static void test_zero_month(void **state)
{
	struct dossier x;
	char *t, line[SPECIFICATION_SUMMARY_MAX];

	(void)state;
	dossier_init(&x, date_from_ymd(2025, 11, 1));
	add_wage(&x, 2025, 11, 260000, 48000, 12000);
	add_wage(&x, 2025, 12, 260000, 48000, 12000);
	add_paid(&x, mon(2025, 11), 130061);
	add_paid(&x, mon(2025, 12), 130061);
	settle(&x, mon(2026, 1));
	assert_int_equal(x.r.client_cents, 0);
	assert_int_equal(x.r.carried_cents, 126979);
	t = write_spec(&x);
	assert_form(t);

	assert_has(t, "Over november 2025");
	assert_has(t, "Over december 2025");
	assert_row(t, "Netto inkomen", "€ 2.000,00");
	assert_row(t, "Vrijlating N", "€ 278,00");
	assert_has(t, "25% van uw netto loon uit arbeid € 2.000,00, maximaal € 278,00: toegepast, het");
	assert_row(t, "Uitkomst", "-€ 352,94");
	assert_has(t, "zijn hoger dan de norm (€ 1.369,06)");
	assert_row(t, "Recht op bijstand (incl. vakantietoeslag)", "€ 0,00");
	assert_row(t, "Verschuldigd (excl. vakantietoeslag)", "€ 0,00");
	assert_row(t, "Verschil: te veel betaald", "-€ 1.300,61");
	/* the payment: € 0,00, and why */
	assert_row(t, "Verrekend: te veel betaald over november 2025", "-€ 1.300,61");
	assert_row(t, "Verrekend: te veel betaald over december 2025", "-€ 30,82");
	assert_row(t, "Uitbetaald aan u", "€ 0,00");
	assert_has(t, "U ontvangt deze maand niets (€ 0,00).");
	assert_has(t, "november 2025 t/m december 2025 waren hoger dan de norm");
	/* carried, and the rent that did not fit */
	assert_row(t, "(doorgeschoven)", "€ 1.269,79");
	assert_row(t, "over december 2025", "€ 1.269,79");
	assert_has(t, "Betaling aan Woningstichting Het Grootslag (HUUR-4411): € 400,00 niet betaald.");
	free(t);

	assert_int_equal(specification_summary_line(line, sizeof(line), &x.r), 0);
	assert_string_equal(line, "2026-01: voorschot € 1.331,43, verrekend € 1.331,43, "
			    "doorgeschoven € 1.269,79, uitbetaald € 0,00");
	settle_result_release(&x.r);
}

/*
 * The first month: only an advance.  round(95% × 1369.06) = 1300.61; the
 * client keeps round(95% × 1300.61) = 1235.58, so the instalment of 45.00
 * fits (65.03 of room); rent 400.00; the client gets 855.61.
 */
static void test_first_month_claim_withheld(void **state)
{
	struct dossier x;
	char *t, line[SPECIFICATION_SUMMARY_MAX];

	(void)state;
	dossier_init(&x, date_from_ymd(2025, 12, 1));
	x.d.uitbetaaldatum = "25 december"; /* shown as given */
	settle(&x, mon(2025, 12));
	assert_int_equal(x.r.client_cents, 85561);
	t = write_spec(&x);
	assert_form(t);
	assert_null(strstr(t, "Verrekening van eerdere maanden"));
	assert_has(t, "Uitbetaaldatum 25 december");
	assert_row(t, "Voorschot december 2025", "€ 1.300,61");
	assert_row(t, "Inhouding terugvordering TV-2025-0042", "-€ 45,00");
	assert_row(t, "Uitbetaald aan u", "€ 855,61");
	assert_has(t, "€ 45,00 ingehouden (termijn € 45,00); openstaand daarna € 767,40.");
	assert_has(t, "Betaling aan Woningstichting Het Grootslag (HUUR-4411): € 400,00 betaald");
	free(t);
	assert_int_equal(specification_summary_line(line, sizeof(line), &x.r), 0);
	assert_string_equal(line, "2025-12: voorschot € 1.300,61, verrekend € 0,00, inhoudingen € 45,00, "
			    "derden € 400,00, uitbetaald € 855,61");
	/* too small a buffer: an error, the line cut and terminated */
	assert_int_equal(specification_summary_line(line, 20, &x.r), BR_EINTERNAL);
	assert_true(strlen(line) < 20);
	settle_result_release(&x.r);
}

/* payments.md: a dossier on hold or blocked is not paid, and its
 * specification says so; nothing reads as paid, to the client or a third
 * party. */
static void test_not_paid(void **state)
{
	struct dossier x;
	char *t;

	(void)state;
	dossier_init(&x, date_from_ymd(2025, 12, 1));
	x.d.uitbetaaldatum = "2025-12-24";
	x.d.outcome = SPEC_HELD;
	x.d.outcome_since = "2025-11-20";
	x.d.outcome_why = "Insluiting";
	settle(&x, mon(2025, 12));
	t = write_spec(&x);
	assert_form(t);
	assert_row(t, "Berekend voor u", "€ 855,61");
	assert_has(t, "Niet betaald: uw uitkering is opgeschort sinds 20-11-2025 (Insluiting). Er is nu niets "
		   "betaald, ook niet aan derden.");
	assert_row(t, "Nu uitbetaald aan u", "€ 0,00");
	assert_has(t, "Voor Woningstichting Het Grootslag (HUUR-4411) (niet betaald)");
	assert_has(t, "Betaling aan Woningstichting Het Grootslag (HUUR-4411): € 400,00 berekend, nu niet betaald");
	assert_null(strstr(t, "Uitbetaald aan u"));
	assert_null(strstr(t, "Op rekening"));
	assert_null(strstr(t, "Betaald aan"));
	free(t);
	x.d.outcome = SPEC_BLOCKED;
	x.d.outcome_since = NULL;
	x.d.outcome_why = "rekening: de IBAN klopt niet (controlegetal)";
	t = write_spec(&x);
	assert_form(t);
	assert_has(t, "Niet betaald: rekening: de IBAN klopt niet (controlegetal). Er is nu niets betaald, ook niet "
		   "aan derden. Wat u kunt doen: geef uw juiste rekeningnummer (IBAN) en de naam waarop de rekening "
		   "staat door aan uw consulent.");
	assert_row(t, "Nu uitbetaald aan u", "€ 0,00");
	free(t);
	settle_result_release(&x.r);
}

/* Kostendelersnorm and pro rata, with their formulas filled in:
 * A = 1 + 1 = 2, round(2002.13 × 100 / 200) = 1001.07 (2026); starting on
 * 15 January: round(1001.07 × 17 / 31) = 548.97. */
static void test_kostendelers_pro_rata(void **state)
{
	struct dossier x;
	char *t;

	(void)state;
	dossier_init(&x, date_from_ymd(2026, 1, 15));
	x.stand.kostendelers = 1;
	x.in.n_claims = 0;
	x.in.n_derden = 0;
	settle(&x, mon(2026, 1));
	t = write_spec(&x);
	assert_form(t);
	assert_has(t, "A = 1 (u) + 1 (kostendelers) = 2; B = de norm voor gehuwden, € 2.002,13.");
	assert_has(t, "Norm per volwassene = round(B × (40 + 30 × A) / (100 × A)):");
	assert_row(t, "round(€ 2.002,13 × 100 / 200)", "€ 1.001,07");
	assert_has(t, "Dagen met recht: 17 van 31 dagen (uitkering vanaf 15-01-2026).");
	assert_row(t, "Naar rato: round(€ 1.001,07 × 17 / 31)", "€ 548,97");
	assert_row(t, "Norm januari 2026 (incl. vakantietoeslag)", "€ 548,97");
	free(t);
	settle_result_release(&x.r);
}

/* A dossier that ended on 31 December 2025, with income above the norm in
 * December: January has no advance, the −1300.61 cannot be deducted and
 * is carried, nothing is paid to anyone — and the specification says why. */
static void test_ended(void **state)
{
	struct dossier x;
	char *t;

	(void)state;
	dossier_init(&x, date_from_ymd(2025, 12, 1));
	x.in.einddatum = date_from_ymd(2025, 12, 31);
	add_wage(&x, 2025, 12, 260000, 48000, 12000);
	add_paid(&x, mon(2025, 12), 130061);
	settle(&x, mon(2026, 1));
	assert_int_equal(x.r.client_cents, 0);
	t = write_spec(&x);
	assert_form(t);
	assert_has(t, "Uw uitkering is beëindigd op 31-12-2025: over januari 2026 krijgt u geen voorschot.");
	assert_row(t, "Uitbetaald aan u", "€ 0,00");
	assert_has(t, "Over januari 2026 heeft u geen recht op een uitkering, dus er is geen voorschot.");
	assert_has(t, "Er staat nog € 1.300,61 open");
	assert_has(t, "(HUUR-4411): niet betaald. Over januari 2026 heeft u geen recht op een uitkering");
	free(t);
	settle_result_release(&x.r);
}

/* Register text is guarded: a 9-digit number (a BSN typed into a name) is
 * masked, control characters become spaces, a long name is wrapped. */
static void test_guard(void **state)
{
	struct dossier x;
	char *t;

	(void)state;
	dossier_init(&x, date_from_ymd(2025, 12, 1));
	x.d.naam = "J. de Vries\t123456782";
	x.derde_naam[0] = "Stichting Schuldhulpverlening Westfriesland en omstreken voor "
			  "bewindvoering en budgetbeheer 111222333444";
	x.d.gemeente = "9999";
	settle(&x, mon(2025, 12));
	t = write_spec(&x);
	assert_form(t);
	assert_has(t, "J. de Vries *****6782");
	assert_has(t, "********3444");
	assert_has(t, "Gemeente 9999");
	free(t);
	settle_result_release(&x.r);
}

/*
 * The June run (VT) of a dossier from July 2025, every month paid its
 * advance; August 2025 had income above the norm (right 0) and its VT of
 * 68.45 was paid before.  August is 10 months back, past the
 * verrekentermijn of 6: its −1300.61 and its VT decrease −68.45 become a
 * vordering and are not deducted.  VT paid now: 5 × 68.45 (2025) + 5 ×
 * 70.07 (2026) = 692.60.  1331.43 + 692.60 = 2024.03; instalment 45.00
 * (room 759.17 above 1264.86); rent 400.00; the client gets 1579.03.
 */
static void test_vt_run_vordering(void **state)
{
	struct dossier x;
	char *t;
	int32_t k;

	(void)state;
	dossier_init(&x, date_from_ymd(2025, 7, 1));
	add_wage(&x, 2025, 8, 260000, 48000, 12000);
	for (k = mon(2025, 7); k <= mon(2026, 5); k++)
		add_paid(&x, k, k < mon(2026, 1) ? 130061 : 133143);
	x.paid[1].vt_paid_cents = 6845; /* August 2025 */
	settle(&x, mon(2026, 6));
	assert_int_equal(x.r.vt_cents, 69260);
	assert_int_equal(x.r.claimed_cents, 136906);
	assert_int_equal(x.r.client_cents, 157903);
	t = write_spec(&x);
	assert_form(t);
	assert_has(t, "Over augustus 2025");
	assert_has(t, "Opnieuw berekend, geen verschil met wat al betaald is: juli 2025, september 2025 "
		   "t/m mei 2026.");
	assert_row(t, "juli 2025: € 68,45 gereserveerd, € 0,00 betaald", "€ 68,45");
	assert_row(t, "augustus 2025: € 0,00 gereserveerd, € 68,45 betaald", "-€ 68,45");
	assert_has(t, "Minder dan al betaald: wordt een vordering (zie de toelichting).");
	assert_row(t, "mei 2026: € 70,07 gereserveerd, € 0,00 betaald", "€ 70,07");
	assert_row(t, "Vakantietoeslag over juli 2025, september 2025 t/m mei 2026", "€ 692,60");
	assert_null(strstr(t, "Verrekend: minder vakantietoeslag"));
	assert_row(t, "Uitbetaald aan u", "€ 1.579,03");
	assert_row(t, "Niet meer verrekend: wordt een vordering", "€ 1.369,06");
	assert_row(t, "over augustus 2025", "€ 1.300,61");
	assert_row(t, "over augustus 2025 (vakantietoeslag)", "€ 68,45");
	assert_has(t, "meer dan 6 maanden voor juni 2026: de verrekentermijn (art. 58(4) Pw) is verstreken");
	free(t);
	settle_result_release(&x.r);
}

/* A couple with the partner's wages; and an IOAW dossier whose income is
 * not settled automatically. */
static void test_couple_and_ioaw(void **state)
{
	struct dossier x;
	char *t;

	(void)state;
	dossier_init(&x, date_from_ymd(2025, 12, 1));
	x.stand.leefvorm = LEEFVORM_GEHUWD;
	x.stand.has_partner = 1;
	x.stand.partner_geb = date_from_ymd(1990, 2, 1);
	x.stand.woonkostenverlaging_pct = 10;
	x.d.partner_naam = "A. de Vries-Bakker";
	add_wage(&x, 2025, 12, 103400, 1200, 5400);
	x.inc[0].persoon = PERSON_PARTNER;
	add_paid(&x, mon(2025, 12), 167296);
	settle(&x, mon(2026, 1));
	t = write_spec(&x);
	assert_form(t);
	/* 1955.80 − round(10% × 1955.80) = 1955.80 − 195.58 = 1760.22 */
	assert_row(t, "Woonkostenverlaging: 10% van € 1.955,80", "-€ 195,58");
	assert_has(t, "(art. 27 Pw: een percentage van de norm voor gehuwden)");
	assert_row(t, "Norm na woonkostenverlaging", "€ 1.760,22");
	assert_has(t, "(loon uit arbeid van uw partner)");
	/* the grant is the applicant's: none for the partner */
	assert_has(t, "Voor uw partner is geen vrijlating toegekend: dat loon telt helemaal mee.");
	free(t);
	settle_result_release(&x.r);

	dossier_init(&x, date_from_ymd(2025, 12, 1));
	x.in.regeling = REGELING_IOAW;
	x.stand.has_vast_bedrag = 1;
	x.stand.vast_bedrag_cents = 123456;
	x.in.n_claims = 0;
	add_wage(&x, 2025, 12, 103400, 1200, 5400);
	add_paid(&x, mon(2025, 12), 123456);
	settle(&x, mon(2026, 1));
	t = write_spec(&x);
	assert_form(t);
	assert_has(t, "Regeling IOAW");
	assert_row(t, "Vast bedrag per maand volgens uw dossier", "€ 1.234,56");
	assert_has(t, "Er zijn inkomsten over december 2025 bekend. Die worden bij IOAW niet automatisch "
		   "verrekend");
	assert_row(t, "Uitkering januari 2026", "€ 1.234,56");
	assert_row(t, "Uitbetaald aan u", "€ 834,56");
	free(t);
	settle_result_release(&x.r);
}

/* A result that does not add up is refused before a byte is written; a
 * write failure is BR_EIO. */
static void test_failures(void **state)
{
	struct dossier x;
	struct br_error err;
	FILE *f;

	(void)state;
	dossier_init(&x, date_from_ymd(2025, 12, 1));
	settle(&x, mon(2025, 12));
	x.r.client_cents += 1;
	f = tmpfile();
	assert_non_null(f);
	br_error_clear(&err);
	assert_int_equal(specification_write(f, &x.d, &x.in, &x.r, &err), BR_EINTERNAL);
	assert_non_null(strstr(err.msg, "tellen niet op tot de"));
	assert_int_equal(ftell(f), 0);
	fclose(f);
	x.r.client_cents -= 1;

	f = fopen("/dev/full", "w");
	if (f) {
		br_error_clear(&err);
		assert_int_equal(specification_write(f, &x.d, &x.in, &x.r, &err), BR_EIO);
		assert_non_null(strstr(err.msg, "PW-0405-000123"));
		fclose(f);
	}
	br_error_clear(&err);
	assert_int_equal(specification_write(NULL, &x.d, &x.in, &x.r, &err), BR_EINTERNAL);
	settle_result_release(&x.r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_income_month_settled),
		cmocka_unit_test(test_zero_month),
		cmocka_unit_test(test_first_month_claim_withheld),
		cmocka_unit_test(test_not_paid),
		cmocka_unit_test(test_kostendelers_pro_rata),
		cmocka_unit_test(test_vt_run_vordering),
		cmocka_unit_test(test_couple_and_ioaw),
		cmocka_unit_test(test_ended),
		cmocka_unit_test(test_guard),
		cmocka_unit_test(test_failures),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

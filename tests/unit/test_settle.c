/*
 * test_settle.c — the settlement engine (core/settle.h) against the
 * hand-computed cases in tests/data/settle/NNN-name.case.
 *
 * The case format is described in tests/data/settle/README.md.  Each case
 * file is one cmocka test: it is parsed into a settle_input and
 * settle_settings, settled for its run month with the shipped rules file
 * (loaded once), and every expectation of its [verwacht] section is
 * checked.  All mismatches of a case are printed as
 * "file:line: expected X got Y" before the test fails, so one run shows
 * the full list; a case that fails never stops the others.  The balance
 * invariant of settle.h is checked for every case.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "date.h"
#include "error.h"
#include "levering.h"
#include "money.h"
#include "rules_xml.h"
#include "settle.h"
#include "banned.h"

#define CASE_LINE_MAX 512       /* longest line of a case file, bytes */
#define CASE_TOKENS_MAX 16
#define CASE_MAX_STANDS 16
#define CASE_MAX_INCOMES 64
#define CASE_MAX_PAID 120
#define CASE_MAX_GAPS 16
#define CASE_MAX_EXPECT 160
#define CASE_ID_MAX 40
#define CASE_TEXT_MAX 80
#define CASE_MAX_FILES 400
#define CASE_REPORT_MAX 16384   /* mismatch list of one case */

enum ex_kind {
	EX_TOTAL = 0,   /* client = 12.34 */
	EX_MONTH,       /* maand 2026-01 recht = 12.34 */
	EX_VRIJ,        /* vrij 2026-01 N [PERSOON] [kandidaat|toegepast|reden] =|~ v */
	EX_DERDE,       /* derde KENMERK = betaald|overgeslagen */
	EX_INHOUDING,   /* inhouding KENMERK = 12.34 */
	EX_EVENT,       /* event = KIND [YYYY-MM] */
	EX_NO_EVENT,    /* geen_event = KIND */
	EX_BOOKING      /* boeking KIND YYYY-MM = 12.34 */
};

enum val_type { V_MONEY = 0, V_INT, V_DATE, V_TEXT };

/* Run totals (settle_result). */
enum tot_key {
	T_VOORSCHOT = 0, T_TOEVOEGINGEN, T_VT, T_VERREKEND, T_DOORGESCHOVEN, T_VORDERING,
	T_INHOUDINGEN, T_DERDEN, T_CLIENT, T_ACTIEF, T_VT_RUN, T_BUFFER, T_BUFFER_VOORSTEL, T_BUFFER_OVER,
	T_COUNT
};

static const struct { const char *name; enum val_type type; } tot_keys[T_COUNT] = {
	{ "voorschot", V_MONEY }, { "toevoegingen", V_MONEY }, { "vt", V_MONEY },
	{ "verrekend", V_MONEY }, { "doorgeschoven", V_MONEY }, { "vordering", V_MONEY },
	{ "inhoudingen", V_MONEY }, { "derden", V_MONEY }, { "client", V_MONEY },
	{ "actief", V_INT }, { "vt_run", V_INT },
	{ "buffer", V_MONEY }, { "buffer_voorstel", V_MONEY }, { "buffer_over", V_MONEY },
};

/* Per-month fields (settle_month). */
enum month_key {
	M_NORM = 0, M_BASIS, M_WKV, M_INKOMEN, M_ARBEID_AANVRAGER, M_ARBEID_PARTNER, M_VRIJ,
	M_RECHT, M_OWED, M_VTRES, M_BETAALD, M_VTBETAALD, M_DIFF, M_VTDIFF, M_DAGEN,
	M_MAANDDAGEN, M_CATEGORIE, M_A, M_AOW, M_EERSTE_DAG, M_REGELS, M_COUNT
};

static const struct { const char *name; enum val_type type; } month_keys[M_COUNT] = {
	{ "norm", V_MONEY }, { "basis", V_MONEY }, { "wkv", V_MONEY }, { "inkomen", V_MONEY },
	{ "arbeid_aanvrager", V_MONEY }, { "arbeid_partner", V_MONEY }, { "vrij", V_MONEY },
	{ "recht", V_MONEY }, { "owed", V_MONEY }, { "vtres", V_MONEY },
	{ "betaald", V_MONEY }, { "vtbetaald", V_MONEY }, { "diff", V_MONEY },
	{ "vtdiff", V_MONEY }, { "dagen", V_INT }, { "maanddagen", V_INT },
	{ "categorie", V_TEXT }, { "a", V_INT }, { "aow", V_INT }, { "eerste_dag", V_DATE },
	{ "regels", V_DATE },
};

enum vrij_key { VK_AMOUNT = 0, VK_KANDIDAAT, VK_TOEGEPAST, VK_REDEN };

/* Names in case files, mapped by enum value (never by position). */
struct kind_name {
	const char *name;
	int kind;
};

static const struct kind_name booking_names[] = {
	{ "VOORSCHOT", BOOK_VOORSCHOT }, { "VERSCHIL", BOOK_VERSCHIL }, { "VT", BOOK_VT },
	{ "VORDERING", BOOK_VORDERING }, { "VT_VORDERING", BOOK_VT_VORDERING },
	{ "INHOUDING", BOOK_INHOUDING }, { "DERDEN", BOOK_DERDEN }, { "CLIENT", BOOK_CLIENT },
	{ "BUFFER", BOOK_BUFFER },
};
static const struct kind_name event_names[] = {
	{ "INKOMEN_OUD", EVENT_INKOMEN_OUD }, { "DERDEN", EVENT_DERDEN }, { "AOW", EVENT_AOW },
	{ "INKOMEN_HANDMATIG", EVENT_INKOMEN_HANDMATIG }, { "BUFFER_VOORSTEL", EVENT_BUFFER_VOORSTEL },
};

#define N_BOOKING_NAMES (sizeof(booking_names) / sizeof(booking_names[0]))
#define N_EVENT_NAMES (sizeof(event_names) / sizeof(event_names[0]))

static const char *kind_label(const struct kind_name *t, size_t n, int kind)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].kind == kind)
			return t[i].name;
	return "?";
}

struct expect {
	long line;
	enum ex_kind kind;
	int key;                    /* tot_key, month_key or vrij_key */
	int32_t month;              /* DATE_NONE when not given */
	int code;                   /* vrij code, event or booking kind */
	int persoon;                /* -1: any person */
	int ref;                    /* claim or derde index */
	int64_t value;              /* cents, integer or date */
	char text[CASE_TEXT_MAX];   /* categorie, reden substring, derde state */
};

struct casefile {
	char path[1024];
	const char *name;           /* base name, for messages */
	int32_t run_month;
	int has_run, has_startmaand;
	struct settle_settings set;
	struct settle_input in;
	struct settle_stand stands[CASE_MAX_STANDS];
	size_t n_stands;
	struct settle_income incomes[CASE_MAX_INCOMES];
	char income_ids[CASE_MAX_INCOMES][CASE_ID_MAX];
	size_t n_incomes;
	struct settle_paid paid[CASE_MAX_PAID];
	size_t n_paid;
	struct settle_gap gaps[CASE_MAX_GAPS];
	size_t n_gaps;
	struct settle_claim claims[SETTLE_MAX_CLAIMS];
	size_t n_claims;
	struct settle_derde derden[SETTLE_MAX_DERDEN];
	size_t n_derden;
	struct settle_buffer_grant grants[4];
	size_t n_grants;
	struct expect ex[CASE_MAX_EXPECT];
	int n_ex;
	char err[CASE_REPORT_MAX / 4];
};

static struct rules g_rules;
static char g_root[1024];

/* ---- parsing ------------------------------------------------------------- */

enum section {
	S_NONE = 0, S_INSTELLINGEN, S_DOSSIER, S_STAND, S_INHOUDING, S_DERDEN, S_INKOMEN,
	S_BETAALD, S_GAPS, S_VERWACHT
};

struct parser {
	struct casefile *c;
	long line;
	enum section sec;
	struct settle_stand *stand;
};

static int perr(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int perr(struct parser *p, const char *fmt, ...)
{
	char msg[CASE_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->c->err, sizeof(p->c->err), "%s:%ld: %s", p->c->name, p->line, msg);
	return -1;
}

static int parse_money(struct parser *p, int64_t *out, const char *s)
{
	struct br_error err;

	br_error_clear(&err);
	if (money_parse(out, s, strlen(s), &err) < 0)
		return perr(p, "%s", err.msg);
	return 0;
}

static int parse_date(struct parser *p, int32_t *out, const char *s)
{
	struct br_error err;

	br_error_clear(&err);
	if (date_parse(out, s, strlen(s), &err) < 0)
		return perr(p, "%s", err.msg);
	return 0;
}

static int parse_month(struct parser *p, int32_t *out, const char *s)
{
	struct br_error err;

	br_error_clear(&err);
	if (month_parse(out, s, strlen(s), &err) < 0)
		return perr(p, "%s", err.msg);
	return 0;
}

/* A small non-negative integer (0..9999), strictly digits. */
static int parse_int(struct parser *p, int *out, const char *s)
{
	int v = 0;
	size_t i, n = strlen(s);

	if (n == 0 || n > 4)
		return perr(p, "'%s' is not a number 0..9999", s);
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return perr(p, "'%s' is not a number 0..9999", s);
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_value(struct parser *p, enum val_type t, int64_t *out, char *text,
		       size_t text_cap, const char *s)
{
	int32_t d = 0;
	int v = 0;

	switch (t) {
	case V_MONEY:
		return parse_money(p, out, s);
	case V_INT:
		if (parse_int(p, &v, s) < 0)
			return -1;
		*out = v;
		return 0;
	case V_DATE:
		if (parse_date(p, &d, s) < 0)
			return -1;
		*out = d;
		return 0;
	case V_TEXT:
		if (strlen(s) >= text_cap)
			return perr(p, "'%s' is longer than %zu bytes", s, text_cap - 1);
		snprintf(text, text_cap, "%s", s);
		return 0;
	}
	return perr(p, "internal: unknown value type");
}

static int parse_person(struct parser *p, enum settle_person *out, const char *s)
{
	if (!strcmp(s, "AANVRAGER"))
		*out = PERSON_AANVRAGER;
	else if (!strcmp(s, "PARTNER"))
		*out = PERSON_PARTNER;
	else
		return perr(p, "person '%s' is not AANVRAGER or PARTNER", s);
	return 0;
}

/* Split `buf` in place on blanks; returns the number of tokens or -1. */
static int tokenize(struct parser *p, char *buf, char *tok[CASE_TOKENS_MAX])
{
	int n = 0;
	char *s = buf;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (n == CASE_TOKENS_MAX)
			return perr(p, "more than %d words on a line", CASE_TOKENS_MAX);
		tok[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

/* The enum value of a name in `t`, or -1. */
static int find_name(const struct kind_name *t, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].name, s))
			return t[i].kind;
	return -1;
}

static int kv(struct parser *p, char **tok, int n)
{
	if (n != 3 || strcmp(tok[1], "="))
		return perr(p, "expected 'key = value'");
	return 0;
}

static int parse_instellingen(struct parser *p, char **tok, int n)
{
	struct casefile *c = p->c;
	int v = 0;

	if (kv(p, tok, n) < 0)
		return -1;
	if (!strcmp(tok[0], "run")) {
		c->has_run = 1;
		return parse_month(p, &c->run_month, tok[2]);
	}
	if (!strcmp(tok[0], "startmaand")) {
		c->has_startmaand = 1;
		return parse_month(p, &c->set.startmaand, tok[2]);
	}
	if (!strcmp(tok[0], "bufferbudget")) {
		if (!strcmp(tok[2], "uit"))
			c->set.bufferbudget = BUFFER_UIT;
		else if (!strcmp(tok[2], "voorstel"))
			c->set.bufferbudget = BUFFER_VOORSTEL;
		else if (!strcmp(tok[2], "automatisch"))
			c->set.bufferbudget = BUFFER_AUTOMATISCH;
		else
			return perr(p, "bufferbudget '%s' is not uit, voorstel or automatisch", tok[2]);
		return 0;
	}
	if (!strcmp(tok[0], "toerekening")) {
		if (!strcmp(tok[2], "einddatum"))
			c->set.toerekening_dagen = 0;
		else if (!strcmp(tok[2], "dagen"))
			c->set.toerekening_dagen = 1;
		else
			return perr(p, "toerekening '%s' is not einddatum or dagen", tok[2]);
		return 0;
	}
	if (parse_int(p, &v, tok[2]) < 0)
		return -1;
	if (!strcmp(tok[0], "vt_uitbetaalmaand") && v >= 1 && v <= 12)
		c->set.vt_uitbetaalmaand = v;
	else if (!strcmp(tok[0], "verrekentermijn"))
		c->set.verrekentermijn = v;
	else if (!strcmp(tok[0], "beslagvrije_voet_pct") && v <= 100)
		c->set.beslagvrije_voet_pct = v;
	else if (!strcmp(tok[0], "bufferbudget_ondergrens_pct") && v <= 100)
		c->set.bufferbudget_ondergrens_pct = v;
	else
		return perr(p, "unknown setting or value out of range: %s = %s", tok[0], tok[2]);
	return 0;
}

static int parse_dossier(struct parser *p, char **tok, int n)
{
	struct settle_input *in = &p->c->in;
	struct casefile *c = p->c;

	/* "bufferbudget_toegekend = YYYY-MM AMOUNT": a granted proposal, unpaid */
	if (n == 4 && !strcmp(tok[0], "bufferbudget_toegekend") && !strcmp(tok[1], "=")) {
		if (c->n_grants >= sizeof(c->grants) / sizeof(c->grants[0]))
			return perr(p, "too many bufferbudget_toegekend lines");
		if (parse_month(p, &c->grants[c->n_grants].month, tok[2]) < 0 ||
		    parse_money(p, &c->grants[c->n_grants].amount_cents, tok[3]) < 0)
			return -1;
		c->n_grants++;
		return 0;
	}
	if (kv(p, tok, n) < 0)
		return -1;
	if (!strcmp(tok[0], "regeling")) {
		if (!strcmp(tok[2], "PW"))
			in->regeling = REGELING_PW;
		else if (!strcmp(tok[2], "IOAW"))
			in->regeling = REGELING_IOAW;
		else if (!strcmp(tok[2], "IOAZ"))
			in->regeling = REGELING_IOAZ;
		else if (!strcmp(tok[2], "BBZ"))
			in->regeling = REGELING_BBZ;
		else
			return perr(p, "regeling '%s' is not PW, IOAW, IOAZ or BBZ", tok[2]);
		return 0;
	}
	if (!strcmp(tok[0], "ingangsdatum"))
		return parse_date(p, &in->ingangsdatum, tok[2]);
	if (!strcmp(tok[0], "einddatum"))
		return parse_date(p, &in->einddatum, tok[2]);
	if (!strcmp(tok[0], "vt_reservering"))
		return parse_money(p, &in->vt_cutover_cents, tok[2]);
	if (!strcmp(tok[0], "vt_reservering_betaald"))
		return parse_money(p, &in->vt_cutover_paid_cents, tok[2]);
	/* rules.md §2: the VT run before the run month withheld the dossier */
	if (!strcmp(tok[0], "vt_ingehouden"))
		return parse_int(p, &in->vt_withheld, tok[2]);
	/* rules.md §5a: the year's bufferbudget already released */
	if (!strcmp(tok[0], "bufferbudget_gebruikt"))
		return parse_money(p, &in->buffer_used_cents, tok[2]);
	return perr(p, "unknown dossier key '%s'", tok[0]);
}

/* vrijlating = CODE PERSOON INGANG [EIND|-] [MAANDEN_GEBRUIKT] */
static int parse_grant(struct parser *p, char **tok, int n)
{
	struct settle_stand *s = p->stand;
	struct settle_grant *g;
	int code;

	if (n < 5 || n > 7 || strcmp(tok[1], "="))
		return perr(p, "expected 'vrijlating = CODE PERSOON INGANG [EIND|-] [MAANDEN]'");
	if (s->n_grants >= SETTLE_MAX_GRANTS)
		return perr(p, "more than %d grants in a stand", SETTLE_MAX_GRANTS);
	g = &s->grants[s->n_grants];
	memset(g, 0, sizeof(*g));
	g->einddatum = DATE_NONE;
	code = vrij_code_from_name(tok[2]);
	if (code < 0)
		return perr(p, "unknown vrijlating code '%s'", tok[2]);
	g->code = (enum vrij_code)code;
	if (parse_person(p, &g->persoon, tok[3]) < 0 || parse_date(p, &g->ingangsdatum, tok[4]) < 0)
		return -1;
	if (n >= 6 && strcmp(tok[5], "-") && parse_date(p, &g->einddatum, tok[5]) < 0)
		return -1;
	if (n == 7 && parse_int(p, &g->maanden_gebruikt, tok[6]) < 0)
		return -1;
	s->n_grants++;
	return 0;
}

static int parse_stand(struct parser *p, char **tok, int n)
{
	struct settle_stand *s = p->stand;
	int32_t d = 0;

	if (n >= 1 && !strcmp(tok[0], "vrijlating"))
		return parse_grant(p, tok, n);
	/* "aanvrager = DATE #N", "partner = DATE #N": who the person is */
	if (n == 4 && tok[3][0] == '#' && (!strcmp(tok[0], "aanvrager") || !strcmp(tok[0], "partner"))) {
		int64_t id = strtoll(tok[3] + 1, NULL, 10);
		if (id <= 0)
			return perr(p, "person '%s' is not #N with N > 0", tok[3]);
		*(strcmp(tok[0], "aanvrager") ? &s->partner_id : &s->aanvrager_id) = id;
		n = 3;
	}
	if (kv(p, tok, n) < 0)
		return -1;
	if (!strcmp(tok[0], "aanvrager"))
		return parse_date(p, &s->aanvrager_geb, tok[2]);
	if (!strcmp(tok[0], "partner")) {
		s->has_partner = 1;
		return parse_date(p, &s->partner_geb, tok[2]);
	}
	if (!strcmp(tok[0], "jongste_kind")) {
		if (parse_date(p, &d, tok[2]) < 0)
			return -1;
		s->jongste_kind_geb = d;
		return 0;
	}
	if (!strcmp(tok[0], "leefvorm")) {
		if (!strcmp(tok[2], "ALLEENSTAAND"))
			s->leefvorm = LEEFVORM_ALLEENSTAAND;
		else if (!strcmp(tok[2], "ALLEENSTAANDE_OUDER"))
			s->leefvorm = LEEFVORM_ALLEENSTAANDE_OUDER;
		else if (!strcmp(tok[2], "GEHUWD"))
			s->leefvorm = LEEFVORM_GEHUWD;
		else
			return perr(p, "leefvorm '%s' is not ALLEENSTAAND, ALLEENSTAANDE_OUDER or GEHUWD",
				    tok[2]);
		return 0;
	}
	if (!strcmp(tok[0], "kostendelers"))
		return parse_int(p, &s->kostendelers, tok[2]);
	if (!strcmp(tok[0], "woonkostenverlaging")) {
		if (parse_int(p, &s->woonkostenverlaging_pct, tok[2]) < 0)
			return -1;
		if (s->woonkostenverlaging_pct > 20)
			return perr(p, "woonkostenverlaging %d is above 20", s->woonkostenverlaging_pct);
		return 0;
	}
	if (!strcmp(tok[0], "vast_bedrag")) {
		s->has_vast_bedrag = 1;
		return parse_money(p, &s->vast_bedrag_cents, tok[2]);
	}
	return perr(p, "unknown stand key '%s'", tok[0]);
}

/* KENMERK SALDO TERMIJN [INGEHOUDEN] */
static int parse_inhouding(struct parser *p, char **tok, int n)
{
	struct casefile *c = p->c;
	struct settle_claim *cl;

	if (n < 3 || n > 4)
		return perr(p, "expected 'KENMERK SALDO TERMIJN [INGEHOUDEN]'");
	if (c->n_claims >= SETTLE_MAX_CLAIMS)
		return perr(p, "more than %d claims", SETTLE_MAX_CLAIMS);
	if (strlen(tok[0]) > SETTLE_KENMERK_MAX)
		return perr(p, "kenmerk '%s' is longer than %d", tok[0], SETTLE_KENMERK_MAX);
	cl = &c->claims[c->n_claims];
	memset(cl, 0, sizeof(*cl));
	snprintf(cl->kenmerk, sizeof(cl->kenmerk), "%s", tok[0]);
	if (parse_money(p, &cl->saldo_cents, tok[1]) < 0 ||
	    parse_money(p, &cl->termijn_cents, tok[2]) < 0 ||
	    (n == 4 && parse_money(p, &cl->withheld_cents, tok[3]) < 0))
		return -1;
	c->n_claims++;
	return 0;
}

/* KENMERK BEDRAG PRIORITEIT */
static int parse_derde(struct parser *p, char **tok, int n)
{
	struct casefile *c = p->c;
	struct settle_derde *d;

	if (n != 3)
		return perr(p, "expected 'KENMERK BEDRAG PRIORITEIT'");
	if (c->n_derden >= SETTLE_MAX_DERDEN)
		return perr(p, "more than %d third parties", SETTLE_MAX_DERDEN);
	if (strlen(tok[0]) > SETTLE_KENMERK_MAX)
		return perr(p, "kenmerk '%s' is longer than %d", tok[0], SETTLE_KENMERK_MAX);
	d = &c->derden[c->n_derden];
	memset(d, 0, sizeof(*d));
	snprintf(d->kenmerk, sizeof(d->kenmerk), "%s", tok[0]);
	if (parse_money(p, &d->bedrag_cents, tok[1]) < 0 || parse_int(p, &d->prioriteit, tok[2]) < 0)
		return -1;
	c->n_derden++;
	return 0;
}

/* ID PERSOON SOORT DatAanvTv DatEindTv LnLbPh VakBsl WrdPrGebrAut IngLbPh BijdrZvw PrWgaWhkWn [gezien] */
static int parse_inkomen(struct parser *p, char **tok, int n)
{
	struct casefile *c = p->c;
	struct settle_income *r;
	size_t i = c->n_incomes;

	if ((n != 11 && n != 12) || (n == 12 && strcmp(tok[11], "gezien")))
		return perr(p, "expected 'ID PERSOON SOORT DatAanvTv DatEindTv LnLbPh VakBsl "
			    "WrdPrGebrAut IngLbPh BijdrZvw PrWgaWhkWn [gezien]' (11 or 12 words, got %d)", n);
	if (i >= CASE_MAX_INCOMES)
		return perr(p, "more than %d income records", CASE_MAX_INCOMES);
	if (strlen(tok[0]) >= CASE_ID_MAX)
		return perr(p, "income id '%s' is longer than %d", tok[0], CASE_ID_MAX - 1);
	r = &c->incomes[i];
	memset(r, 0, sizeof(*r));
	snprintf(c->income_ids[i], sizeof(c->income_ids[i]), "%s", tok[0]);
	r->opgave_id = c->income_ids[i];
	r->lhnr = "123456789L01";
	r->gezien = n == 12;
	if (tok[1][0] == '#') {   /* a person: the stand in force decides the role */
		if ((r->person_id = strtoll(tok[1] + 1, NULL, 10)) <= 0)
			return perr(p, "person '%s' is not #N with N > 0", tok[1]);
	} else if (parse_person(p, &r->persoon, tok[1]) < 0) {
		return -1;
	}
	if (!strcmp(tok[2], "ARBEID"))
		r->soort = INKOMEN_ARBEID;
	else if (!strcmp(tok[2], "UITKERING"))
		r->soort = INKOMEN_UITKERING;
	else if (!strcmp(tok[2], "PENSIOEN"))
		r->soort = INKOMEN_PENSIOEN;
	else if (!strcmp(tok[2], "OVERIG"))
		r->soort = INKOMEN_OVERIG;
	else
		return perr(p, "soort '%s' is not ARBEID, UITKERING, PENSIOEN or OVERIG", tok[2]);
	if (parse_date(p, &r->dat_aanv_tv, tok[3]) < 0 || parse_date(p, &r->dat_eind_tv, tok[4]) < 0 ||
	    parse_money(p, &r->ln_lb_ph_cents, tok[5]) < 0 ||
	    parse_money(p, &r->vak_bsl_cents, tok[6]) < 0 ||
	    parse_money(p, &r->wrd_pr_gebr_aut_cents, tok[7]) < 0 ||
	    parse_money(p, &r->ing_lb_ph_cents, tok[8]) < 0 ||
	    parse_money(p, &r->bijdr_zvw_cents, tok[9]) < 0 ||
	    parse_money(p, &r->pr_wga_whk_wn_cents, tok[10]) < 0)
		return -1;
	if (r->dat_eind_tv < r->dat_aanv_tv)
		return perr(p, "DatEindTv is before DatAanvTv");
	c->n_incomes++;
	return 0;
}

/* YYYY-MM PAID [VTPAID] */
static int parse_betaald(struct parser *p, char **tok, int n)
{
	struct casefile *c = p->c;
	struct settle_paid *pd;

	if (n < 2 || n > 3)
		return perr(p, "expected 'YYYY-MM PAID [VTPAID]'");
	if (c->n_paid >= CASE_MAX_PAID)
		return perr(p, "more than %d ledger months", CASE_MAX_PAID);
	pd = &c->paid[c->n_paid];
	memset(pd, 0, sizeof(*pd));
	if (parse_month(p, &pd->month, tok[0]) < 0 || parse_money(p, &pd->paid_cents, tok[1]) < 0 ||
	    (n == 3 && parse_money(p, &pd->vt_paid_cents, tok[2]) < 0))
		return -1;
	pd->advanced = pd->paid_cents > 0;
	if (c->n_paid > 0 && c->paid[c->n_paid - 1].month >= pd->month)
		return perr(p, "ledger months must be ascending and distinct");
	c->n_paid++;
	return 0;
}

/* VAN TOT */
static int parse_gap(struct parser *p, char **tok, int n)
{
	struct casefile *c = p->c;
	struct settle_gap *g;

	if (n != 2)
		return perr(p, "expected 'VAN TOT'");
	if (c->n_gaps >= CASE_MAX_GAPS)
		return perr(p, "more than %d gaps", CASE_MAX_GAPS);
	g = &c->gaps[c->n_gaps];
	if (parse_date(p, &g->van, tok[0]) < 0 || parse_date(p, &g->tot, tok[1]) < 0)
		return -1;
	if (g->tot < g->van)
		return perr(p, "gap ends before it starts");
	c->n_gaps++;
	return 0;
}

static int find_kenmerk_claim(const struct casefile *c, const char *k)
{
	size_t i;

	for (i = 0; i < c->n_claims; i++)
		if (!strcmp(c->claims[i].kenmerk, k))
			return (int)i;
	return -1;
}

static int find_kenmerk_derde(const struct casefile *c, const char *k)
{
	size_t i;

	for (i = 0; i < c->n_derden; i++)
		if (!strcmp(c->derden[i].kenmerk, k))
			return (int)i;
	return -1;
}

/* `line` is the untouched line (for the "reden ~ text with spaces" form). */
static int parse_verwacht(struct parser *p, char **tok, int n, const char *line)
{
	struct casefile *c = p->c;
	struct expect *e;
	int i, k;

	if (c->n_ex >= CASE_MAX_EXPECT)
		return perr(p, "more than %d expectations", CASE_MAX_EXPECT);
	e = &c->ex[c->n_ex];
	memset(e, 0, sizeof(*e));
	e->line = p->line;
	e->month = DATE_NONE;
	e->persoon = -1;
	e->ref = -1;

	if (!strcmp(tok[0], "maand")) {
		if (n != 5 || strcmp(tok[3], "="))
			return perr(p, "expected 'maand YYYY-MM KEY = VALUE'");
		e->kind = EX_MONTH;
		if (parse_month(p, &e->month, tok[1]) < 0)
			return -1;
		for (k = 0; k < M_COUNT && strcmp(month_keys[k].name, tok[2]); k++)
			;
		if (k == M_COUNT)
			return perr(p, "unknown month key '%s'", tok[2]);
		e->key = k;
		if (parse_value(p, month_keys[k].type, &e->value, e->text, sizeof(e->text), tok[4]) < 0)
			return -1;
	} else if (!strcmp(tok[0], "vrij")) {
		/* vrij YYYY-MM CODE [PERSOON] [kandidaat|toegepast|reden] =|~ VALUE */
		int at = 3;

		e->kind = EX_VRIJ;
		if (n < 5 || parse_month(p, &e->month, tok[1]) < 0)
			return n < 5 ? perr(p, "expected 'vrij YYYY-MM CODE [PERSOON] [FIELD] = VALUE'")
				     : -1;
		e->code = vrij_code_from_name(tok[2]);
		if (e->code < 0)
			return perr(p, "unknown vrijlating code '%s'", tok[2]);
		if (!strcmp(tok[at], "AANVRAGER") || !strcmp(tok[at], "PARTNER")) {
			enum settle_person who = PERSON_AANVRAGER;

			if (parse_person(p, &who, tok[at]) < 0)
				return -1;
			e->persoon = (int)who;
			at++;
		}
		e->key = VK_AMOUNT;
		if (at < n && !strcmp(tok[at], "kandidaat"))
			e->key = VK_KANDIDAAT, at++;
		else if (at < n && !strcmp(tok[at], "toegepast"))
			e->key = VK_TOEGEPAST, at++;
		else if (at < n && !strcmp(tok[at], "reden"))
			e->key = VK_REDEN, at++;
		if (e->key == VK_REDEN) {
			const char *t = strchr(line, '~');

			if (at >= n || strcmp(tok[at], "~") || !t)
				return perr(p, "expected 'vrij YYYY-MM CODE [PERSOON] reden ~ TEXT'");
			for (t++; *t == ' ' || *t == '\t'; t++)
				;
			if (!*t || strlen(t) >= sizeof(e->text))
				return perr(p, "reden text is empty or longer than %zu bytes",
					    sizeof(e->text) - 1);
			snprintf(e->text, sizeof(e->text), "%s", t);
		} else {
			if (at + 2 != n || strcmp(tok[at], "="))
				return perr(p, "expected 'vrij YYYY-MM CODE [PERSOON] [FIELD] = VALUE'");
			if (parse_value(p, e->key == VK_TOEGEPAST ? V_INT : V_MONEY, &e->value, e->text,
					sizeof(e->text), tok[at + 1]) < 0)
				return -1;
		}
	} else if (!strcmp(tok[0], "derde")) {
		if (n != 4 || strcmp(tok[2], "="))
			return perr(p, "expected 'derde KENMERK = betaald|overgeslagen'");
		e->kind = EX_DERDE;
		e->ref = find_kenmerk_derde(c, tok[1]);
		if (e->ref < 0)
			return perr(p, "no third party '%s' in [derden]", tok[1]);
		if (strcmp(tok[3], "betaald") && strcmp(tok[3], "overgeslagen"))
			return perr(p, "derde state '%s' is not betaald or overgeslagen", tok[3]);
		snprintf(e->text, sizeof(e->text), "%s", tok[3]);
	} else if (!strcmp(tok[0], "inhouding")) {
		if (n != 4 || strcmp(tok[2], "="))
			return perr(p, "expected 'inhouding KENMERK = AMOUNT'");
		e->kind = EX_INHOUDING;
		e->ref = find_kenmerk_claim(c, tok[1]);
		if (e->ref < 0)
			return perr(p, "no claim '%s' in [inhouding]", tok[1]);
		if (parse_money(p, &e->value, tok[3]) < 0)
			return -1;
	} else if (!strcmp(tok[0], "event") || !strcmp(tok[0], "geen_event")) {
		if (n < 3 || n > 4 || strcmp(tok[1], "="))
			return perr(p, "expected '%s = KIND [YYYY-MM]'", tok[0]);
		e->kind = tok[0][0] == 'g' ? EX_NO_EVENT : EX_EVENT;
		e->code = find_name(event_names, N_EVENT_NAMES, tok[2]);
		if (e->code < 0)
			return perr(p, "unknown event '%s'", tok[2]);
		if (n == 4 && parse_month(p, &e->month, tok[3]) < 0)
			return -1;
	} else if (!strcmp(tok[0], "boeking")) {
		if (n != 5 || strcmp(tok[3], "="))
			return perr(p, "expected 'boeking KIND YYYY-MM = AMOUNT'");
		e->kind = EX_BOOKING;
		e->code = find_name(booking_names, N_BOOKING_NAMES, tok[1]);
		if (e->code < 0)
			return perr(p, "unknown booking kind '%s'", tok[1]);
		if (parse_month(p, &e->month, tok[2]) < 0 || parse_money(p, &e->value, tok[4]) < 0)
			return -1;
	} else {
		if (kv(p, tok, n) < 0)
			return -1;
		for (i = 0; i < T_COUNT && strcmp(tot_keys[i].name, tok[0]); i++)
			;
		if (i == T_COUNT)
			return perr(p, "unknown expectation '%s'", tok[0]);
		e->kind = EX_TOTAL;
		e->key = i;
		if (parse_value(p, tot_keys[i].type, &e->value, e->text, sizeof(e->text), tok[2]) < 0)
			return -1;
	}
	c->n_ex++;
	return 0;
}

static int parse_section(struct parser *p, char *line)
{
	struct casefile *c = p->c;
	size_t len = strlen(line);
	char *tok[CASE_TOKENS_MAX];
	int n;

	if (line[len - 1] != ']')
		return perr(p, "section header does not end in ']'");
	line[len - 1] = '\0';
	n = tokenize(p, line + 1, tok);
	if (n < 0)
		return -1;
	if (n == 2 && !strcmp(tok[0], "stand")) {
		struct settle_stand *s;

		if (c->n_stands >= CASE_MAX_STANDS)
			return perr(p, "more than %d stands", CASE_MAX_STANDS);
		s = &c->stands[c->n_stands];
		memset(s, 0, sizeof(*s));
		s->jongste_kind_geb = DATE_NONE;
		s->partner_geb = DATE_NONE;
		s->aanvrager_geb = DATE_NONE;
		if (parse_date(p, &s->vanaf, tok[1]) < 0)
			return -1;
		if (month_first_day(month_of(s->vanaf)) != s->vanaf)
			return perr(p, "a stand applies from the first day of a month, not %s", tok[1]);
		if (c->n_stands > 0 && c->stands[c->n_stands - 1].vanaf >= s->vanaf)
			return perr(p, "stands must be in ascending order of their date");
		c->n_stands++;
		p->stand = s;
		p->sec = S_STAND;
		return 0;
	}
	if (n != 1)
		return perr(p, "unknown section");
	if (!strcmp(tok[0], "instellingen"))
		p->sec = S_INSTELLINGEN;
	else if (!strcmp(tok[0], "dossier"))
		p->sec = S_DOSSIER;
	else if (!strcmp(tok[0], "inhouding"))
		p->sec = S_INHOUDING;
	else if (!strcmp(tok[0], "derden"))
		p->sec = S_DERDEN;
	else if (!strcmp(tok[0], "inkomen"))
		p->sec = S_INKOMEN;
	else if (!strcmp(tok[0], "betaald"))
		p->sec = S_BETAALD;
	else if (!strcmp(tok[0], "gaps"))
		p->sec = S_GAPS;
	else if (!strcmp(tok[0], "verwacht"))
		p->sec = S_VERWACHT;
	else
		return perr(p, "unknown section [%s]", tok[0]);
	return 0;
}

static int parse_line(struct parser *p, char *line)
{
	char copy[CASE_LINE_MAX + 2];
	char *tok[CASE_TOKENS_MAX];
	int n;

	if (line[0] == '[')
		return parse_section(p, line);
	snprintf(copy, sizeof(copy), "%s", line);
	n = tokenize(p, line, tok);
	if (n <= 0)
		return n;
	switch (p->sec) {
	case S_NONE:
		return perr(p, "a line before the first [section]");
	case S_INSTELLINGEN:
		return parse_instellingen(p, tok, n);
	case S_DOSSIER:
		return parse_dossier(p, tok, n);
	case S_STAND:
		return parse_stand(p, tok, n);
	case S_INHOUDING:
		return parse_inhouding(p, tok, n);
	case S_DERDEN:
		return parse_derde(p, tok, n);
	case S_INKOMEN:
		return parse_inkomen(p, tok, n);
	case S_BETAALD:
		return parse_betaald(p, tok, n);
	case S_GAPS:
		return parse_gap(p, tok, n);
	case S_VERWACHT:
		return parse_verwacht(p, tok, n, copy);
	}
	return perr(p, "internal: unknown section");
}

/* Checks that need the whole file. */
static int parse_finish(struct parser *p)
{
	struct casefile *c = p->c;
	int has_client = 0, has_right = 0, i;
	size_t s;

	if (!c->has_run)
		return perr(p, "[instellingen] has no 'run = YYYY-MM'");
	if (!c->has_startmaand)
		return perr(p, "[instellingen] has no 'startmaand = YYYY-MM' "
			    "(its default, the month of the first run, is not known in a case)");
	if (c->in.ingangsdatum == DATE_NONE)
		return perr(p, "[dossier] has no ingangsdatum");
	if (c->n_stands == 0)
		return perr(p, "no [stand YYYY-MM-DD] section");
	for (s = 0; s < c->n_stands; s++)
		if (c->stands[s].aanvrager_geb == DATE_NONE)
			return perr(p, "a stand has no 'aanvrager = birth date'");
	for (i = 0; i < c->n_ex; i++) {
		if (c->ex[i].kind == EX_TOTAL && c->ex[i].key == T_CLIENT)
			has_client = 1;
		if (c->ex[i].kind == EX_MONTH && c->ex[i].key == M_RECHT)
			has_right = 1;
	}
	if (!has_client || !has_right)
		return perr(p, "[verwacht] must assert at least 'client' and a month's 'recht'");
	c->in.stands = c->stands;
	c->in.n_stands = c->n_stands;
	c->in.incomes = c->incomes;
	c->in.n_incomes = c->n_incomes;
	c->in.paid = c->paid;
	c->in.n_paid = c->n_paid;
	c->in.gaps = c->gaps;
	c->in.n_gaps = c->n_gaps;
	c->in.claims = c->claims;
	c->in.n_claims = c->n_claims;
	c->in.derden = c->derden;
	c->in.n_derden = c->n_derden;
	c->in.buffer_grants = c->grants;
	c->in.n_buffer_grants = c->n_grants;
	return 0;
}

static int case_parse(struct casefile *c)
{
	struct parser p;
	char line[CASE_LINE_MAX + 2];
	FILE *f;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	p.c = c;
	c->in.regeling = REGELING_PW;
	c->in.ingangsdatum = DATE_NONE;
	c->in.einddatum = DATE_NONE;
	c->set.toerekening_dagen = 0;       /* rules.md §6 defaults */
	c->set.vt_uitbetaalmaand = 6;
	c->set.verrekentermijn = 6;
	c->set.beslagvrije_voet_pct = 95;
	c->set.bufferbudget_ondergrens_pct = 95;
	f = fopen(c->path, "r");
	if (!f)
		return perr(&p, "cannot open the case file");
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		char *s = line;

		p.line++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(f)) {
			rc = perr(&p, "line longer than %d bytes", CASE_LINE_MAX);
			break;
		}
		if (len > CASE_LINE_MAX) {
			rc = perr(&p, "line longer than %d bytes", CASE_LINE_MAX);
			break;
		}
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		len = strlen(s);
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			s[--len] = '\0';
		if (len == 0 || s[0] == '#')
			continue;
		rc = parse_line(&p, s);
	}
	if (rc == 0 && ferror(f))
		rc = perr(&p, "read error");
	fclose(f);
	if (rc == 0) {
		p.line++;   /* report "end of file" as the line after the last */
		rc = parse_finish(&p);
	}
	return rc;
}

/* ---- checking ------------------------------------------------------------ */

struct report {
	char buf[CASE_REPORT_MAX];
	size_t len;
	int n;
};

static void report_add(struct report *r, const struct casefile *c, long line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void report_add(struct report *r, const struct casefile *c, long line, const char *fmt, ...)
{
	va_list ap;
	int w;

	r->n++;
	if (r->len + 1 >= sizeof(r->buf))
		return;
	w = snprintf(r->buf + r->len, sizeof(r->buf) - r->len, "%s:%ld: ", c->name, line);
	if (w > 0)
		r->len = r->len + (size_t)w < sizeof(r->buf) ? r->len + (size_t)w : sizeof(r->buf) - 1;
	va_start(ap, fmt);
	w = vsnprintf(r->buf + r->len, sizeof(r->buf) - r->len, fmt, ap);
	va_end(ap);
	if (w > 0)
		r->len = r->len + (size_t)w < sizeof(r->buf) ? r->len + (size_t)w : sizeof(r->buf) - 1;
	if (r->len + 1 < sizeof(r->buf)) {
		r->buf[r->len++] = '\n';
		r->buf[r->len] = '\0';
	}
}

/* Format a value of `t` for a message. */
static const char *show(char *buf, size_t cap, enum val_type t, int64_t v)
{
	char tmp[MONEY_FMT_MAX];

	switch (t) {
	case V_MONEY:
		snprintf(buf, cap, "%s", money_format(tmp, v));
		break;
	case V_DATE:
		if (v == DATE_NONE) {
			snprintf(buf, cap, "(none)");
		} else {
			char d[DATE_FMT_MAX];

			snprintf(buf, cap, "%s", date_format(d, (int32_t)v));
		}
		break;
	default:
		snprintf(buf, cap, "%lld", (long long)v);
		break;
	}
	return buf;
}

static void check_value(struct report *rep, const struct casefile *c, const struct expect *e,
			const char *what, enum val_type t, int64_t got)
{
	char a[48], b[48];

	if (got != e->value)
		report_add(rep, c, e->line, "%s: expected %s got %s", what,
			   show(a, sizeof(a), t, e->value), show(b, sizeof(b), t, got));
}

static const struct settle_month *find_month(const struct settle_result *r, int32_t m)
{
	size_t i;

	for (i = 0; i < r->n_months; i++)
		if (r->months[i].month == m)
			return &r->months[i];
	return NULL;
}

static int64_t total_of(const struct settle_result *r, int key)
{
	switch ((enum tot_key)key) {
	case T_VOORSCHOT: return r->advance_cents;
	case T_TOEVOEGINGEN: return r->additions_cents;
	case T_VT: return r->vt_cents;
	case T_VERREKEND: return r->deducted_cents;
	case T_DOORGESCHOVEN: return r->carried_cents;
	case T_VORDERING: return r->claimed_cents;
	case T_INHOUDINGEN: return r->instalments_cents;
	case T_DERDEN: return r->derden_cents;
	case T_CLIENT: return r->client_cents;
	case T_ACTIEF: return r->active_in_run;
	case T_VT_RUN: return r->vt_run;
	case T_BUFFER: return r->buffer_cents;
	case T_BUFFER_VOORSTEL: return r->buffer_proposed_cents;
	case T_BUFFER_OVER: return r->buffer_left_cents;
	case T_COUNT: break;
	}
	return 0;
}

static int64_t month_field(const struct settle_month *m, int key)
{
	switch ((enum month_key)key) {
	case M_NORM: return m->norm_cents;
	case M_BASIS: return m->base_cents;
	case M_WKV: return m->wkv_cents;
	case M_INKOMEN: return m->income_cents;
	case M_ARBEID_AANVRAGER: return m->arbeid_cents[0];
	case M_ARBEID_PARTNER: return m->arbeid_cents[1];
	case M_VRIJ: return m->vrij_cents;
	case M_RECHT: return m->right_cents;
	case M_OWED: return m->owed_cents;
	case M_VTRES: return m->vtres_cents;
	case M_BETAALD: return m->paid_cents;
	case M_VTBETAALD: return m->vt_paid_cents;
	case M_DIFF: return m->diff_cents;
	case M_VTDIFF: return m->vt_diff_cents;
	case M_DAGEN: return m->active_days;
	case M_MAANDDAGEN: return m->days;
	case M_A: return m->kostendelers_a;
	case M_AOW: return m->aow;
	case M_EERSTE_DAG: return m->first_day;
	case M_REGELS: return m->rules ? m->rules->geldig_vanaf : DATE_NONE;
	case M_CATEGORIE: case M_COUNT: break;
	}
	return 0;
}

/* Case-insensitive substring (ASCII). */
static int contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return 1;
	return n == 0;
}

static void check_month(struct report *rep, const struct casefile *c, const struct settle_result *r,
			const struct expect *e)
{
	const struct settle_month *m = find_month(r, e->month);
	char what[64], mb[MONTH_FMT_MAX];

	snprintf(what, sizeof(what), "maand %s %s", month_format(mb, e->month),
		 month_keys[e->key].name);
	if (!m) {
		report_add(rep, c, e->line, "%s: expected a settled month got none in the result", what);
		return;
	}
	if (e->key == M_CATEGORIE) {
		const char *got = (int)m->cat >= 0 && m->cat < NORM_COUNT ? norm_cat_key(m->cat) : "?";

		if (strcmp(got, e->text))
			report_add(rep, c, e->line, "%s: expected %s got %s", what, e->text, got);
		return;
	}
	check_value(rep, c, e, what, month_keys[e->key].type, month_field(m, e->key));
}

static void check_vrij(struct report *rep, const struct casefile *c, const struct settle_result *r,
		       const struct expect *e)
{
	const struct settle_month *m = find_month(r, e->month);
	const struct settle_vrij *v = NULL;
	char what[80], mb[MONTH_FMT_MAX];
	int i;

	snprintf(what, sizeof(what), "vrij %s %s%s%s", month_format(mb, e->month),
		 vrij_code_name((enum vrij_code)e->code), e->persoon < 0 ? "" : " ",
		 e->persoon < 0 ? "" : (e->persoon == PERSON_PARTNER ? "PARTNER" : "AANVRAGER"));
	if (!m) {
		report_add(rep, c, e->line, "%s: expected a settled month got none in the result", what);
		return;
	}
	for (i = 0; i < m->n_vrij; i++) {
		size_t at = (size_t)(m->first_vrij + i);

		if (m->first_vrij < 0 || at >= r->n_vrij)
			break;
		if ((int)r->vrij[at].code == e->code &&
		    (e->persoon < 0 || (int)r->vrij[at].persoon == e->persoon)) {
			v = &r->vrij[at];
			break;
		}
	}
	if (!v) {
		report_add(rep, c, e->line, "%s: expected a vrijlating line got none", what);
		return;
	}
	switch ((enum vrij_key)e->key) {
	case VK_AMOUNT:
		check_value(rep, c, e, what, V_MONEY, v->amount_cents);
		break;
	case VK_KANDIDAAT:
		check_value(rep, c, e, what, V_MONEY, v->candidate_cents);
		break;
	case VK_TOEGEPAST:
		check_value(rep, c, e, what, V_INT, v->applied);
		break;
	case VK_REDEN:
		if (!contains_ci(v->why, e->text))
			report_add(rep, c, e->line, "%s reden: expected text containing \"%s\" got \"%s\"",
				   what, e->text, v->why);
		break;
	}
}

static int64_t abs64(int64_t v)
{
	return v < 0 ? -v : v;
}

static void check_derde(struct report *rep, const struct casefile *c, const struct settle_result *r,
			const struct expect *e)
{
	int64_t booked = 0;
	int n_booked = 0;
	size_t i;

	for (i = 0; i < r->n_bookings; i++)
		if (r->bookings[i].kind == BOOK_DERDEN && r->bookings[i].ref == e->ref) {
			booked += abs64(r->bookings[i].amount_cents);
			n_booked++;
		}
	if (!strcmp(e->text, "betaald")) {
		if (r->derden_skipped[e->ref] || n_booked != 1 ||
		    booked != c->derden[e->ref].bedrag_cents) {
			char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX];

			report_add(rep, c, e->line, "derde %s: expected betaald (%s once) got %s in %d "
				   "booking(s), skipped=%d", c->derden[e->ref].kenmerk,
				   money_format(a, c->derden[e->ref].bedrag_cents),
				   money_format(b, booked), n_booked, r->derden_skipped[e->ref]);
		}
	} else if (!r->derden_skipped[e->ref] || n_booked != 0) {
		report_add(rep, c, e->line, "derde %s: expected overgeslagen got skipped=%d with %d "
			   "booking(s)", c->derden[e->ref].kenmerk, r->derden_skipped[e->ref], n_booked);
	}
}

static void check_expect(struct report *rep, const struct casefile *c, const struct settle_result *r,
			 const struct expect *e)
{
	char what[80], mb[MONTH_FMT_MAX];
	int64_t sum = 0;
	int found = 0;
	size_t i;

	switch (e->kind) {
	case EX_TOTAL:
		check_value(rep, c, e, tot_keys[e->key].name, tot_keys[e->key].type,
			    total_of(r, e->key));
		break;
	case EX_MONTH:
		check_month(rep, c, r, e);
		break;
	case EX_VRIJ:
		check_vrij(rep, c, r, e);
		break;
	case EX_DERDE:
		check_derde(rep, c, r, e);
		break;
	case EX_INHOUDING:
		for (i = 0; i < r->n_bookings; i++)
			if (r->bookings[i].kind == BOOK_INHOUDING && r->bookings[i].ref == e->ref)
				sum += abs64(r->bookings[i].amount_cents);
		snprintf(what, sizeof(what), "inhouding %s", c->claims[e->ref].kenmerk);
		check_value(rep, c, e, what, V_MONEY, sum);
		break;
	case EX_EVENT:
	case EX_NO_EVENT:
		for (i = 0; i < r->n_events; i++)
			if ((int)r->events[i].kind == e->code &&
			    (e->month == DATE_NONE || r->events[i].month == e->month))
				found++;
		snprintf(what, sizeof(what), "%s %s%s%s", e->kind == EX_EVENT ? "event" : "geen_event",
			 kind_label(event_names, N_EVENT_NAMES, e->code), e->month == DATE_NONE ? "" : " ",
			 e->month == DATE_NONE ? "" : month_format(mb, e->month));
		if (e->kind == EX_EVENT && !found)
			report_add(rep, c, e->line, "%s: expected the event got none (%zu events)", what,
				   r->n_events);
		if (e->kind == EX_NO_EVENT && found)
			report_add(rep, c, e->line, "%s: expected no such event got %d", what, found);
		break;
	case EX_BOOKING:
		for (i = 0; i < r->n_bookings; i++)
			if ((int)r->bookings[i].kind == e->code && r->bookings[i].month == e->month)
				sum += r->bookings[i].amount_cents;
		snprintf(what, sizeof(what), "boeking %s %s",
			 kind_label(booking_names, N_BOOKING_NAMES, e->code),
			 month_format(mb, e->month));
		check_value(rep, c, e, what, V_MONEY, sum);
		break;
	}
}

/* settle.h: advance + additions + vt − deducted − instalments − derden ==
 * client, and client ≥ 0. */
static void check_balance(struct report *rep, const struct casefile *c, const struct settle_result *r)
{
	int64_t sum = r->advance_cents + r->additions_cents + r->vt_cents + r->buffer_cents - r->deducted_cents -
		      r->instalments_cents - r->derden_cents;
	char a[MONEY_FMT_MAX], b[MONEY_FMT_MAX];

	if (sum != r->client_cents)
		report_add(rep, c, 0, "balance: expected advance+additions+vt-deducted-instalments-"
			   "derden = client (%s) got %s", money_format(a, r->client_cents),
			   money_format(b, sum));
	if (r->client_cents < 0)
		report_add(rep, c, 0, "balance: expected client >= 0 got %s",
			   money_format(a, r->client_cents));
	if (r->deducted_cents < 0 || r->carried_cents < 0 || r->claimed_cents < 0 ||
	    r->instalments_cents < 0 || r->derden_cents < 0 || r->additions_cents < 0 ||
	    r->vt_cents < 0)
		report_add(rep, c, 0, "balance: expected non-negative totals got a negative one");
}

static void test_case(void **state)
{
	struct casefile *c = *state;
	struct settle_result r;
	struct report *rep = calloc(1, sizeof(*rep));
	struct br_error err;
	int i, rc;

	assert_non_null(rep);
	if (case_parse(c) < 0) {
		print_error("%s\n", c->err);
		free(rep);
		fail_msg("%s: the case file cannot be read", c->name);
		return;
	}
	settle_result_init(&r);
	br_error_clear(&err);
	rc = settle_dossier(&r, &c->in, &g_rules, &c->set, c->run_month, &err);
	if (rc < 0) {
		report_add(rep, c, 0, "settle_dossier: expected 0 got %d (%s)", rc, err.msg);
	} else {
		check_balance(rep, c, &r);
		for (i = 0; i < c->n_ex; i++)
			check_expect(rep, c, &r, &c->ex[i]);
	}
	settle_result_release(&r);
	if (rep->n > 0) {
		print_error("%s", rep->buf);
		if (rep->len + 1 >= sizeof(rep->buf))
			print_error("%s: ... (list cut)\n", c->name);
		i = rep->n;
		free(rep);
		fail_msg("%s: %d mismatch(es)", c->name, i);
		return;
	}
	free(rep);
}

/* ---- driver -------------------------------------------------------------- */

static int name_cmp(const void *a, const void *b)
{
	const struct casefile *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

int main(void)
{
	const char *root = getenv("BR_SOURCE_DIR");
	struct casefile **cases = NULL;
	struct CMUnitTest *tests = NULL;
	char dir[1200], path[1200], xsd[1200];
	struct br_error err;
	struct dirent *de;
	size_t n = 0, i;
	DIR *d = NULL;
	int rc = 1;

	snprintf(g_root, sizeof(g_root), "%s", root && *root ? root : BR_SOURCE_DIR);
	snprintf(path, sizeof(path), "%s/data/rules/regels.xml", g_root);
	snprintf(xsd, sizeof(xsd), "%s/data/schemas/regels.xsd", g_root);
	snprintf(dir, sizeof(dir), "%s/tests/data/settle", g_root);
	memset(&g_rules, 0, sizeof(g_rules));
	br_error_clear(&err);
	if (rules_load(&g_rules, path, xsd, &err) < 0) {
		fprintf(stderr, "test_settle: cannot load the rules: %s (%s:%ld)\n", err.msg,
			err.file, err.line);
		goto out;
	}
	cases = calloc(CASE_MAX_FILES, sizeof(*cases));
	if (!cases)
		goto out;
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "test_settle: cannot open %s\n", dir);
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		struct casefile *c;

		if (de->d_name[0] == '.' || !ends_with(de->d_name, ".case"))
			continue;
		if (n == CASE_MAX_FILES) {
			fprintf(stderr, "test_settle: more than %d case files\n", CASE_MAX_FILES);
			goto out;
		}
		c = calloc(1, sizeof(*c));
		if (!c)
			goto out;
		cases[n++] = c;
		if ((size_t)snprintf(c->path, sizeof(c->path), "%s/%s", dir, de->d_name) >=
		    sizeof(c->path)) {
			fprintf(stderr, "test_settle: path too long: %s\n", de->d_name);
			goto out;
		}
		c->name = strrchr(c->path, '/') + 1;
	}
	if (n == 0) {
		fprintf(stderr, "test_settle: no .case files in %s\n", dir);
		goto out;
	}
	qsort(cases, n, sizeof(*cases), name_cmp);
	tests = calloc(n, sizeof(*tests));
	if (!tests)
		goto out;
	for (i = 0; i < n; i++) {
		tests[i].name = cases[i]->name;
		tests[i].test_func = test_case;
		tests[i].initial_state = cases[i];
	}
	rc = _cmocka_run_group_tests("settle_cases", tests, n, NULL, NULL);
out:
	if (d)
		closedir(d);
	free(tests);
	for (i = 0; cases && i < n; i++)
		free(cases[i]);
	free(cases);
	rules_release(&g_rules);
	return rc;
}

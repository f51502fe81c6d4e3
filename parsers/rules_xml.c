/*
 * rules_xml.c — loads the rules file of rules.md ("All parameters live in a
 * rules file") from data/rules/regels.xml (schema
 * data/schemas/regels.xsd).  Contract: rules_xml.h.
 *
 * The format (namespace urn:nl:betaalrun:regels:1, every element empty,
 * every value in an attribute, every parameter with a `bron` naming its
 * legal source, at most 200 bytes):
 *
 *   <Regels>
 *     <Set geldig_vanaf="2026-01-01">               1..100, 1 Jan or 1 Jul, distinct
 *       <Norm sleutel="alleenstaande" bedrag="1401.50" bron="art. 21(a) Pw, ..."/>
 *                                                     each of the 9 keys once
 *       <Vrijlating code="N" ingeschakeld="true" pct="25" plafond="285.00"
 *                   limiet="maanden" maanden="6" min_leeftijd="27"
 *                   onder_aow="true" alleenstaande_ouder="false"
 *                   kind_onder="0" bron="art. 31(2)(n) Pw, ..."/>
 *                                                     each of the 7 codes once
 *       <Vakantietoeslag excl_pct="95" bron="art. 19(3) en 45(1) Pw, ..."/>
 *       <AowLeeftijd geboren_voor="1961-01-01" jaren="67" maanden="0" bron="..."/>
 *       <AowLeeftijd jaren="67" maanden="3" bron="..."/>  1..8, last open-ended
 *       <Kostendelers basis="40" stap="30" noemer="100" bron="art. 22a(1) Pw, ..."/>
 *     </Set>
 *   </Regels>
 *
 * Elements come in this order within a Set.  Values:
 *  - amounts (bedrag, plafond): exactly two decimals, more than zero, no
 *    sign, no leading zero (rules.md §1); plafond="geen" is no cap;
 *  - percentages (pct, excl_pct): 0 < p <= 100 with at most three decimals,
 *    no leading zero; read as the exact ratio digits / (100 · 10^decimals)
 *    with trailing fraction zeros dropped: "25" = 25/100, "12.5" = 125/1000,
 *    "12.50" = 125/1000.  Integer arithmetic only, never a float;
 *  - limiet: "geen" (maanden must be 0), "maanden" (at most n months
 *    applied, art. 31(2)(n), (z)) or "aaneengesloten" (n consecutive months
 *    from the first month applied, art. 31(2)(r), 34a(1)(a)); maanden 1..120;
 *  - min_leeftijd and kind_onder: years, 0 = no condition; onder_aow,
 *    alleenstaande_ouder and ingeschakeld: "true" or "false";
 *  - AowLeeftijd: geboren_voor strictly increasing, only the last row
 *    without it; jaren 60..80, maanden 0..11;
 *  - Kostendelers: basis, stap 0..1000, noemer 1..1000.
 * Every Vrijlating attribute is required ("geen", "0" and "false"
 * included): without the schema the loader cannot see unknown attributes,
 * so a misspelt optional condition would otherwise vanish silently.
 *
 * The loader checks all of this itself, with or without the schema (the
 * schema catches unknown attributes and elements; the loader the rest:
 * completeness, duplicates, cross-field rules), so a file that passes is
 * complete whatever xsd_path was given.  Numeric and date values are
 * trimmed of surrounding spaces, as the schema's whitespace collapse does.
 * Every problem is BR_ECONFIG (a bad rules file is a configuration error,
 * never an input to quarantine) with the file and line:
 *   "rules file X line 40: set 2026-01-01 has no norm 'jong_gemengd'"
 * (completeness problems name the line of the <Set>).  The sha256 is taken
 * of the file's bytes after a successful parse.
 */
#include "rules_xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fsutil.h"
#include "levering.h"
#include "money.h"
#include "xmlin.h"
#include "mem.h"
#include "banned.h"

#define NS_REGELS "urn:nl:betaalrun:regels:1"
#define ROOT "Regels"
#define MAX_SETS 100
#define RULES_MAX_BYTES (UINT64_C(1) << 20) /* the shipped file is ~12 KiB */
#define VALUE_MAX 64                         /* any attribute but bron */
#define AOW_YEARS_MIN 60
#define AOW_YEARS_MAX 80
#define LIMIT_MONTHS_MAX 120
#define AGE_MAX 120
#define KDN_MAX 1000

/* The elements of a Set, in the order they must come. */
enum set_part { PART_NORM = 0, PART_VRIJ, PART_VT, PART_AOW, PART_KDN, PART_COUNT };
static const char *const part_names[PART_COUNT] = {
	"Norm", "Vrijlating", "Vakantietoeslag", "AowLeeftijd", "Kostendelers"
};

/* What one <Set> has shown so far. */
struct set_state {
	long line;                      /* of <Set>, for completeness messages */
	enum set_part part;             /* the latest kind of element seen */
	int have_norm[NORM_COUNT];
	int have_vrij[VRIJ_COUNT];
	int have_vt, have_kdn;
};

static int norm_cat_from_key(const char *key)
{
	int i;

	for (i = 0; i < NORM_COUNT; i++)
		if (strcmp(key, norm_cat_key(i)) == 0)
			return i;
	return -1;
}

/* An input error at a given line (completeness is reported at <Set>). */
static int fail_at(struct xmlin *x, struct br_error *err, long line, const char *msg)
{
	br_error_set(err, BR_EINPUT, "%s", msg);
	br_error_at(err, xmlin_label(x), line);
	return BR_EINPUT;
}

/* Copy a required attribute (xmlin's pointer is borrowed until the next
 * xmlin_attr call). */
static int get_attr(struct xmlin *x, const char *el, const char *name, char *buf, size_t cap,
		    struct br_error *err)
{
	const char *v = xmlin_attr(x, name);
	size_t len;

	if (!v)
		return xmlin_fail(x, err, "attribuut %s van <%s> ontbreekt", name, el);
	len = strlen(v);
	if (len >= cap)
		return xmlin_fail(x, err, "attribuut %s van <%s> is langer dan %zu bytes", name, el,
				  cap - 1);
	memcpy(buf, v, len + 1);
	return 0;
}

/* Strip the spaces around a value in place (XSD whitespace collapse of
 * non-string types; attribute normalisation already made tabs and
 * newlines spaces). */
static char *trim(char *v)
{
	size_t len;

	while (*v == ' ')
		v++;
	len = strlen(v);
	while (len && v[len - 1] == ' ')
		v[--len] = '\0';
	return v;
}

/* A required, trimmed value of a non-string type. */
static int get_value(struct xmlin *x, const char *el, const char *name, char buf[VALUE_MAX],
		     char **out, struct br_error *err)
{
	int rc;

	if ((rc = get_attr(x, el, name, buf, VALUE_MAX, err)) < 0)
		return rc;
	*out = trim(buf);
	return 0;
}

/* The legal source every parameter names (rules.md: "each parameter names
 * its legal source"). */
static int get_bron(struct xmlin *x, const char *el, char out[RULES_BRON_MAX + 1],
		    struct br_error *err)
{
	int rc;

	if ((rc = get_attr(x, el, "bron", out, RULES_BRON_MAX + 1, err)) < 0)
		return rc;
	if (out[0] == '\0' || out[0] == ' ')
		return xmlin_fail(x, err, "attribuut bron van <%s> moet de wettelijke bron noemen", el);
	return 0;
}

/* A whole number min..max: digits only, no leading zero. */
static int get_int(struct xmlin *x, const char *el, const char *name, int min, int max,
		   int *out, struct br_error *err)
{
	char buf[VALUE_MAX], *v;
	size_t i, len;
	int n = 0, rc;

	if ((rc = get_value(x, el, name, buf, &v, err)) < 0)
		return rc;
	len = strlen(v);
	for (i = 0; i < len && i < 5 && v[i] >= '0' && v[i] <= '9'; i++)
		n = n * 10 + (v[i] - '0');
	if (len == 0 || i < len || (len > 1 && v[0] == '0') || n < min || n > max)
		return xmlin_fail(x, err, "%s '%.20s' van <%s> moet een geheel getal van %d tot en met %d zijn",
				  name, v, el, min, max);
	*out = n;
	return 0;
}

static int get_bool(struct xmlin *x, const char *el, const char *name, int *out,
		    struct br_error *err)
{
	char buf[VALUE_MAX], *v;
	int rc;

	if ((rc = get_value(x, el, name, buf, &v, err)) < 0)
		return rc;
	if (strcmp(v, "true") == 0)
		*out = 1;
	else if (strcmp(v, "false") == 0)
		*out = 0;
	else
		return xmlin_fail(x, err, "%s '%.20s' van <%s> moet true of false zijn", name, v, el);
	return 0;
}

/* rules.md §1: an amount with exactly two decimals, here also > 0 and
 * without sign or leading zero (as the schema's BedragType). */
static int parse_amount(struct xmlin *x, const char *what, const char *v, int64_t *out,
			struct br_error *err)
{
	struct br_error e;

	br_error_clear(&e);
	if (money_parse(out, v, strlen(v), &e) < 0)
		return xmlin_fail(x, err, "%s: %s", what, e.msg);
	if (v[0] == '-' || (v[0] == '0' && v[1] != '.'))
		return xmlin_fail(x, err, "%s: bedrag '%.40s' moet zonder teken of voorloopnul geschreven zijn",
				  what, v);
	if (*out <= 0)
		return xmlin_fail(x, err, "%s: bedrag '%.40s' moet meer dan 0.00 zijn", what, v);
	return 0;
}

/*
 * A percentage "25" or "12.5" (at most three decimals, 0 < p <= 100) as the
 * exact ratio num/den: digits over 100 · 10^decimals, trailing fraction
 * zeros dropped.  Integer arithmetic only (rules.md §1, style.md).
 */
static int parse_pct(struct xmlin *x, const char *what, const char *v, int64_t *num,
		     int64_t *den, struct br_error *err)
{
	int64_t n = 0, d = 100;
	size_t i = 0, int_digits = 0, frac_digits = 0, len = strlen(v);

	for (; i < len && v[i] >= '0' && v[i] <= '9' && int_digits < 4; i++, int_digits++)
		n = n * 10 + (v[i] - '0');
	if (int_digits == 0 || int_digits > 3 || (int_digits > 1 && v[0] == '0'))
		return xmlin_fail(x, err, "%s: percentage '%.20s' moet cijfers met ten hoogste 3 decimalen zijn, bijvoorbeeld 12.5",
				  what, v);
	if (i < len && v[i] == '.') {
		for (i++; i < len && v[i] >= '0' && v[i] <= '9'; i++) {
			if (++frac_digits > 3)
				return xmlin_fail(x, err,
						  "%s: percentage '%.20s' heeft meer dan 3 decimalen; ten hoogste 3 mogen",
						  what, v);
			n = n * 10 + (v[i] - '0');
			d *= 10;
		}
		if (frac_digits == 0)
			return xmlin_fail(x, err, "%s: percentage '%.20s' heeft geen cijfers na '.'", what, v);
	}
	if (i < len)
		return xmlin_fail(x, err, "%s: percentage '%.20s' moet cijfers met ten hoogste 3 decimalen zijn, bijvoorbeeld 12.5",
				  what, v);
	if (n <= 0 || n > d)
		return xmlin_fail(x, err, "%s: percentage '%.20s' moet meer dan 0 en ten hoogste 100 zijn",
				  what, v);
	while (d > 100 && n % 10 == 0) {
		n /= 10;
		d /= 10;
	}
	*num = n;
	*den = d;
	return 0;
}

static int get_date(struct xmlin *x, const char *el, const char *name, const char *v,
		    int32_t *out, struct br_error *err)
{
	struct br_error e;

	br_error_clear(&e);
	if (date_parse(out, v, strlen(v), &e) < 0)
		return xmlin_fail(x, err, "%s van <%s>: %s", name, el, e.msg);
	return 0;
}

/* <Norm sleutel bedrag bron>: rules.md §2. */
static int read_norm(struct xmlin *x, struct rule_set *s, struct set_state *st,
		     struct br_error *err)
{
	char key[VALUE_MAX], buf[VALUE_MAX], what[128], *v;
	int c, rc;

	if ((rc = get_attr(x, "Norm", "sleutel", key, sizeof(key), err)) < 0)
		return rc;
	if ((c = norm_cat_from_key(key)) < 0)
		return xmlin_fail(x, err,
				  "onbekende norm '%.40s' in set %s; de sleutels zijn die van rules.md §2 (alleenstaande, gehuwden, aow_alleenstaande, aow_gehuwden, jong_alleenstaande, jong_gehuwden, jong_gehuwden_kind, jong_gemengd, jong_gemengd_kind)",
				  key, s->naam);
	if (st->have_norm[c])
		return xmlin_fail(x, err, "norm '%s' komt twee keer voor in set %s", key, s->naam);
	st->have_norm[c] = 1;
	snprintf(what, sizeof(what), "bedrag van norm '%s' in set %s", key, s->naam);
	if ((rc = get_value(x, "Norm", "bedrag", buf, &v, err)) < 0 ||
	    (rc = parse_amount(x, what, v, &s->norm_cents[c], err)) < 0 ||
	    (rc = get_bron(x, "Norm", s->norm_bron[c], err)) < 0)
		return rc;
	return xmlin_end_empty(x, err);
}

/* <Vrijlating ...>: rules.md §4, art. 31(2) and 34a Pw. */
static int read_vrij(struct xmlin *x, struct rule_set *s, struct set_state *st,
		     struct br_error *err)
{
	char code[VALUE_MAX], buf[VALUE_MAX], what[128], *v;
	struct vrij_rule *r;
	int c, rc;

	if ((rc = get_attr(x, "Vrijlating", "code", code, sizeof(code), err)) < 0)
		return rc;
	if ((c = vrij_code_from_name(code)) < 0)
		return xmlin_fail(x, err,
				  "onbekende vrijlatingcode '%.40s' in set %s; de codes zijn die van rules.md §4 (N, R, Y, Z, AA, 34A, 34A_MU)",
				  code, s->naam);
	if (st->have_vrij[c])
		return xmlin_fail(x, err, "vrijlating '%s' komt twee keer voor in set %s", code, s->naam);
	st->have_vrij[c] = 1;
	r = &s->vrij[c];
	snprintf(what, sizeof(what), "vrijlating '%s' in set %s", code, s->naam);

	if ((rc = get_bool(x, "Vrijlating", "ingeschakeld", &r->enabled, err)) < 0 ||
	    (rc = get_value(x, "Vrijlating", "pct", buf, &v, err)) < 0 ||
	    (rc = parse_pct(x, what, v, &r->pct_num, &r->pct_den, err)) < 0 ||
	    (rc = get_value(x, "Vrijlating", "plafond", buf, &v, err)) < 0)
		return rc;
	if (strcmp(v, "geen") == 0) {
		r->has_cap = 0;
		r->cap_cents = 0;
	} else {
		snprintf(what, sizeof(what), "plafond van vrijlating '%s' in set %s", code, s->naam);
		if ((rc = parse_amount(x, what, v, &r->cap_cents, err)) < 0)
			return rc;
		r->has_cap = 1;
	}

	if ((rc = get_value(x, "Vrijlating", "limiet", buf, &v, err)) < 0)
		return rc;
	if (strcmp(v, "geen") == 0)
		r->limit = VRIJ_LIMIT_NONE;
	else if (strcmp(v, "maanden") == 0)
		r->limit = VRIJ_LIMIT_MONTHS_APPLIED;
	else if (strcmp(v, "aaneengesloten") == 0)
		r->limit = VRIJ_LIMIT_CONSECUTIVE;
	else
		return xmlin_fail(x, err, "limiet '%.20s' van vrijlating '%s' moet geen, maanden of aaneengesloten zijn",
				  v, code);
	if ((rc = get_int(x, "Vrijlating", "maanden", 0, LIMIT_MONTHS_MAX, &r->limit_months, err)) < 0)
		return rc;
	if (r->limit == VRIJ_LIMIT_NONE && r->limit_months != 0)
		return xmlin_fail(x, err, "maanden van vrijlating '%s' moet 0 zijn als limiet geen is", code);
	if (r->limit != VRIJ_LIMIT_NONE && r->limit_months == 0)
		return xmlin_fail(x, err, "maanden van vrijlating '%s' moet minstens 1 zijn bij een limiet", code);

	if ((rc = get_int(x, "Vrijlating", "min_leeftijd", 0, AGE_MAX, &r->min_age, err)) < 0 ||
	    (rc = get_bool(x, "Vrijlating", "onder_aow", &r->below_aow, err)) < 0 ||
	    (rc = get_bool(x, "Vrijlating", "alleenstaande_ouder", &r->alleenstaande_ouder, err)) < 0 ||
	    (rc = get_int(x, "Vrijlating", "kind_onder", 0, AGE_MAX, &r->child_under, err)) < 0 ||
	    (rc = get_bron(x, "Vrijlating", r->bron, err)) < 0)
		return rc;
	return xmlin_end_empty(x, err);
}

/* <Vakantietoeslag excl_pct bron>: art. 19(3), 45(1) Pw, rules.md §2. */
static int read_vt(struct xmlin *x, struct rule_set *s, struct set_state *st,
		   struct br_error *err)
{
	char buf[VALUE_MAX], what[128], *v;
	int rc;

	if (st->have_vt)
		return xmlin_fail(x, err, "<Vakantietoeslag> komt twee keer voor in set %s", s->naam);
	st->have_vt = 1;
	snprintf(what, sizeof(what), "excl_pct van <Vakantietoeslag> in set %s", s->naam);
	if ((rc = get_value(x, "Vakantietoeslag", "excl_pct", buf, &v, err)) < 0 ||
	    (rc = parse_pct(x, what, v, &s->vt_excl_num, &s->vt_excl_den, err)) < 0 ||
	    (rc = get_bron(x, "Vakantietoeslag", s->vt_bron, err)) < 0)
		return rc;
	return xmlin_end_empty(x, err);
}

/* <AowLeeftijd [geboren_voor] jaren maanden bron>: rules.md §2. */
static int read_aow(struct xmlin *x, struct rule_set *s, struct br_error *err)
{
	struct aow_age *a;
	const char *gv;
	char buf[VALUE_MAX], bron[RULES_BRON_MAX + 1];
	int rc;

	if (s->n_aow > 0 && s->aow[s->n_aow - 1].born_before == DATE_NONE)
		return xmlin_fail(x, err,
				  "<AowLeeftijd> volgt op de open rij in set %s; alleen de laatste rij mag geen geboren_voor hebben",
				  s->naam);
	if (s->n_aow >= RULES_AOW_MAX)
		return xmlin_fail(x, err, "set %s heeft meer dan %d rijen <AowLeeftijd>", s->naam,
				  RULES_AOW_MAX);
	a = &s->aow[s->n_aow];
	a->born_before = DATE_NONE;
	if ((gv = xmlin_attr(x, "geboren_voor")) != NULL) {
		size_t len = strlen(gv);

		if (len >= sizeof(buf))
			return xmlin_fail(x, err, "attribuut geboren_voor van <AowLeeftijd> is langer dan %zu bytes",
					  sizeof(buf) - 1);
		memcpy(buf, gv, len + 1);
		if ((rc = get_date(x, "AowLeeftijd", "geboren_voor", trim(buf), &a->born_before, err)) < 0)
			return rc;
		if (s->n_aow > 0 && a->born_before <= s->aow[s->n_aow - 1].born_before)
			return xmlin_fail(x, err,
					  "de rijen <AowLeeftijd> van set %s moeten oplopende geboren_voor-datums hebben",
					  s->naam);
	}
	if ((rc = get_int(x, "AowLeeftijd", "jaren", AOW_YEARS_MIN, AOW_YEARS_MAX, &a->years, err)) < 0 ||
	    (rc = get_int(x, "AowLeeftijd", "maanden", 0, 11, &a->months, err)) < 0 ||
	    (rc = get_bron(x, "AowLeeftijd", bron, err)) < 0)
		return rc;
	memcpy(a->bron, bron, sizeof(bron));
	s->n_aow++;
	/* The table's source is that of its open-ended row (the rule for
	 * everyone born from then on); each row keeps its own. */
	if (a->born_before == DATE_NONE)
		memcpy(s->aow_bron, bron, sizeof(bron));
	return xmlin_end_empty(x, err);
}

/* <Kostendelers basis stap noemer bron>: art. 22a Pw, rules.md §2. */
static int read_kdn(struct xmlin *x, struct rule_set *s, struct set_state *st,
		    struct br_error *err)
{
	int basis = 0, stap = 0, noemer = 0, rc;

	if (st->have_kdn)
		return xmlin_fail(x, err, "<Kostendelers> komt twee keer voor in set %s", s->naam);
	st->have_kdn = 1;
	if ((rc = get_int(x, "Kostendelers", "basis", 0, KDN_MAX, &basis, err)) < 0 ||
	    (rc = get_int(x, "Kostendelers", "stap", 0, KDN_MAX, &stap, err)) < 0 ||
	    (rc = get_int(x, "Kostendelers", "noemer", 1, KDN_MAX, &noemer, err)) < 0 ||
	    (rc = get_bron(x, "Kostendelers", s->kdn_bron, err)) < 0)
		return rc;
	s->kdn_base = basis;
	s->kdn_step = stap;
	s->kdn_den = noemer;
	return xmlin_end_empty(x, err);
}

/* Everything rules_xml.h promises about a set, reported at its <Set>. */
static int check_complete(struct xmlin *x, const struct rule_set *s,
			  const struct set_state *st, struct br_error *err)
{
	char msg[160];
	int i;

	for (i = 0; i < NORM_COUNT; i++)
		if (!st->have_norm[i]) {
			snprintf(msg, sizeof(msg), "set %s heeft geen norm '%s'", s->naam, norm_cat_key(i));
			return fail_at(x, err, st->line, msg);
		}
	for (i = 0; i < VRIJ_COUNT; i++)
		if (!st->have_vrij[i]) {
			snprintf(msg, sizeof(msg), "set %s heeft geen vrijlating '%s'", s->naam, vrij_code_name(i));
			return fail_at(x, err, st->line, msg);
		}
	if (!st->have_vt) {
		snprintf(msg, sizeof(msg), "set %s heeft geen <Vakantietoeslag>", s->naam);
		return fail_at(x, err, st->line, msg);
	}
	if (s->n_aow == 0) {
		snprintf(msg, sizeof(msg), "set %s heeft geen <AowLeeftijd>", s->naam);
		return fail_at(x, err, st->line, msg);
	}
	if (s->aow[s->n_aow - 1].born_before != DATE_NONE) {
		snprintf(msg, sizeof(msg),
			 "de laatste <AowLeeftijd> van set %s heeft een geboren_voor; de laatste rij moet open zijn",
			 s->naam);
		return fail_at(x, err, st->line, msg);
	}
	if (!st->have_kdn) {
		snprintf(msg, sizeof(msg), "set %s heeft geen <Kostendelers>", s->naam);
		return fail_at(x, err, st->line, msg);
	}
	return 0;
}

static int read_buffer(struct xmlin *x, struct rules *r, struct br_error *err);

/* geldig_vanaf of a new set: 1 January or 1 July (rules.md), not seen before. */
static int read_set_start(struct xmlin *x, struct rules *r, struct rule_set *s,
			  struct br_error *err)
{
	char buf[VALUE_MAX], *v;
	int y, m, d, rc;
	size_t i;

	if ((rc = get_value(x, "Set", "geldig_vanaf", buf, &v, err)) < 0 ||
	    (rc = get_date(x, "Set", "geldig_vanaf", v, &s->geldig_vanaf, err)) < 0)
		return rc;
	memcpy(s->naam, v, strlen(v) + 1); /* 10 bytes: date_parse took it */
	date_to_ymd(s->geldig_vanaf, &y, &m, &d);
	if (d != 1 || (m != 1 && m != 7))
		return xmlin_fail(x, err, "geldig_vanaf %s van <Set> moet 1 januari of 1 juli zijn (rules.md)",
				  s->naam);
	for (i = 0; i < r->n_sets; i++)
		if (r->sets[i].geldig_vanaf == s->geldig_vanaf)
			return xmlin_fail(x, err, "geldig_vanaf %s komt twee keer voor: er is al een set voor die datum",
					  s->naam);
	return 0;
}

static int read_set(struct xmlin *x, struct rules *r, size_t *cap, struct br_error *err)
{
	struct set_state st;
	struct rule_set *s;
	int rc;

	if (r->n_sets >= MAX_SETS)
		return xmlin_fail(x, err, "meer dan %d elementen <Set>", MAX_SETS);
	if (mem_grow((void **)&r->sets, cap, r->n_sets + 1, sizeof(*r->sets)) < 0)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	s = &r->sets[r->n_sets];
	memset(s, 0, sizeof(*s));
	memset(&st, 0, sizeof(st));
	st.line = xmlin_line(x);
	if ((rc = read_set_start(x, r, s, err)) < 0)
		return rc;
	if (xmlin_is_empty(x))
		return check_complete(x, s, &st, err);
	while ((rc = xmlin_read(x, err)) > 0) {
		const char *name = xmlin_name(x);
		int p;

		if (xmlin_type(x) == XMLIN_END && xmlin_depth(x) == 2)
			break;
		if (xmlin_type(x) != XMLIN_START || xmlin_depth(x) != 3 ||
		    strcmp(xmlin_ns(x), NS_REGELS) != 0)
			return xmlin_fail(x, err, "onverwachte inhoud in <Set> %s", s->naam);
		for (p = 0; p < PART_COUNT; p++)
			if (strcmp(name, part_names[p]) == 0)
				break;
		if (p == PART_COUNT)
			return xmlin_fail(x, err, "element <%.64s> hoort niet in <Set>", name);
		if ((enum set_part)p < st.part)
			return xmlin_fail(x, err,
					  "<%s> staat na <%s> in set %s; de volgorde is Norm, Vrijlating, Vakantietoeslag, AowLeeftijd, Kostendelers",
					  part_names[p], part_names[st.part], s->naam);
		st.part = (enum set_part)p;
		switch (st.part) {
		case PART_NORM: rc = read_norm(x, s, &st, err); break;
		case PART_VRIJ: rc = read_vrij(x, s, &st, err); break;
		case PART_VT: rc = read_vt(x, s, &st, err); break;
		case PART_AOW: rc = read_aow(x, s, err); break;
		default: rc = read_kdn(x, s, &st, err); break;
		}
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	if (rc == 0)
		return xmlin_fail(x, err, "het bestand houdt op binnen <Set> %s", s->naam);
	if ((rc = check_complete(x, s, &st, err)) < 0)
		return rc;
	r->n_sets++;
	return 0;
}

/* The whole document: <Regels> with its sets. */
static int read_rules(struct xmlin *x, struct rules *r, struct br_error *err)
{
	size_t cap = 0;
	int rc, empty;

	if ((rc = xmlin_read(x, err)) < 0)
		return rc;
	if (rc == 0 || xmlin_type(x) != XMLIN_START)
		return xmlin_fail(x, err, "het bestand heeft geen rootelement; verwacht <%s>", ROOT);
	if (strcmp(xmlin_name(x), ROOT) != 0 || strcmp(xmlin_ns(x), NS_REGELS) != 0)
		return xmlin_fail(x, err,
				  "het rootelement is <%.64s> in namespace '%.100s'; verwacht <%s> in namespace '%s'",
				  xmlin_name(x), xmlin_ns(x), ROOT, NS_REGELS);
	empty = xmlin_is_empty(x);
	while (!empty && (rc = xmlin_read(x, err)) > 0) {
		if (xmlin_type(x) == XMLIN_END && xmlin_depth(x) == 1)
			break;
		if (xmlin_type(x) != XMLIN_START || xmlin_depth(x) != 2 ||
		    strcmp(xmlin_ns(x), NS_REGELS) != 0)
			return xmlin_fail(x, err, "onverwachte inhoud in <%s>", ROOT);
		if (strcmp(xmlin_name(x), "Bufferbudget") == 0)
			rc = read_buffer(x, r, err);
		else if (strcmp(xmlin_name(x), "Set") == 0 && r->n_buffer == 0)
			rc = read_set(x, r, &cap, err);
		else
			return xmlin_fail(x, err, "element <%.64s> hoort niet in <%s>%s",
					  xmlin_name(x), ROOT, r->n_buffer ? " na <Bufferbudget>" : "");
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	/* End of the document: libxml2 reports late schema errors here. */
	if ((rc = xmlin_read(x, err)) > 0)
		return xmlin_fail(x, err, "inhoud na het einde van <%s>", ROOT);
	if (rc < 0)
		return rc;
	if (r->n_sets == 0)
		return xmlin_fail(x, err, "het bestand heeft geen <Set>");
	return 0;
}

/*
 * <Bufferbudget geldig_vanaf="2027-01-01" max="1000.00" bron="..."/>
 * (rules.md §5a): 1 January (a budget is per calendar year), after every
 * Set, in ascending order.
 */
static int read_buffer(struct xmlin *x, struct rules *r, struct br_error *err)
{
	struct buffer_rule *b;
	char buf[VALUE_MAX], *v;
	int y, m, d, rc;

	if (r->n_buffer >= RULES_BUFFER_MAX)
		return xmlin_fail(x, err, "meer dan %d elementen <Bufferbudget>", RULES_BUFFER_MAX);
	b = &r->buffer[r->n_buffer];
	memset(b, 0, sizeof(*b));
	if ((rc = get_value(x, "Bufferbudget", "geldig_vanaf", buf, &v, err)) < 0 ||
	    (rc = get_date(x, "Bufferbudget", "geldig_vanaf", v, &b->geldig_vanaf, err)) < 0)
		return rc;
	date_to_ymd(b->geldig_vanaf, &y, &m, &d);
	if (d != 1 || m != 1)
		return xmlin_fail(x, err, "geldig_vanaf %s van <Bufferbudget> moet 1 januari zijn: het budget"
				  " geldt per kalenderjaar (art. 34b Pw)", v);
	if (r->n_buffer && b->geldig_vanaf <= r->buffer[r->n_buffer - 1].geldig_vanaf)
		return xmlin_fail(x, err, "<Bufferbudget> %s ligt niet na het vorige", v);
	if ((rc = get_value(x, "Bufferbudget", "max", buf, &v, err)) < 0 ||
	    (rc = parse_amount(x, "max van <Bufferbudget>", v, &b->max_cents, err)) < 0 ||
	    (rc = get_bron(x, "Bufferbudget", b->bron, err)) < 0)
		return rc;
	r->n_buffer++;
	return xmlin_end_empty(x, err);
}

static int cmp_set(const void *a, const void *b)
{
	const struct rule_set *x = a, *y = b;

	return (x->geldig_vanaf > y->geldig_vanaf) - (x->geldig_vanaf < y->geldig_vanaf);
}

/* Parse `len` bytes (owned by the caller until they are kept in
 * out->source); `label` names them in messages. */
static int load_bytes(struct rules *out, const char *bytes, size_t len, const char *label,
		      const char *xsd_path, struct br_error *e)
{
	struct xmlin_schema *schema = NULL;
	struct xmlin_limits lim;
	struct xmlin *x = NULL;
	int rc;

	xmlin_limits_default(&lim);
	lim.max_bytes = RULES_MAX_BYTES;
	lim.max_depth = 8;
	lim.max_text = 4096;
	if (xsd_path && (rc = xmlin_schema_load(&schema, xsd_path, e)) < 0)
		goto out;
	/* payments.md "run manifest": the hash recorded is of the very bytes
	 * that were parsed, read once (the file may change in between) */
	if ((rc = fsutil_sha256_hex(out->sha256, bytes, len)) < 0) {
		br_error_set(e, rc, "de SHA-256 ervan kan niet worden berekend");
		goto out;
	}
	if ((rc = xmlin_open_memory(&x, bytes, len, label, schema, &lim, e)) < 0)
		goto out;
	if ((rc = read_rules(x, out, e)) < 0)
		goto out;
	qsort(out->sets, out->n_sets, sizeof(*out->sets), cmp_set);
out:
	xmlin_free(x);
	xmlin_schema_free(schema);
	return rc;
}

/* The one exit of both loaders: a problem becomes BR_ECONFIG naming the
 * file (or the stored rules) and line. */
static int load_done(struct rules *out, int rc, const struct br_error *e, const char *label, struct br_error *err)
{
	if (rc < 0) {
		/* A bad or missing rules file is a configuration problem, not an input. */
		enum br_code code = e->code == BR_ENOMEM ? BR_ENOMEM : BR_ECONFIG;
		const char *msg = e->code != BR_OK ? e->msg : "kan niet worden geladen";

		if (e->line > 0)
			rc = br_error_set(err, code, "regelbestand %s regel %ld: %s", label, e->line, msg);
		else
			rc = br_error_set(err, code, "regelbestand %s: %s", label, msg);
		br_error_at(err, e->file[0] ? e->file : label, e->line);
		rules_release(out);
	}
	return rc;
}

int rules_load(struct rules *out, const char *path, const char *xsd_path, struct br_error *err)
{
	struct br_error e;
	char *bytes = NULL;
	size_t len = 0;
	int rc = 0, n;

	memset(out, 0, sizeof(*out));
	br_error_clear(&e);
	n = snprintf(out->path, sizeof(out->path), "%s", path ? path : "");
	if (!path || n < 0 || (size_t)n >= sizeof(out->path))
		rc = br_error_set(&e, BR_ECONFIG, "het pad is leeg of langer dan %zu bytes",
				  sizeof(out->path) - 1);
	else if ((rc = fsutil_read_file(&bytes, &len, path, (size_t)RULES_MAX_BYTES, &e)) == 0 &&
		 (rc = load_bytes(out, bytes, len, path, xsd_path, &e)) == 0) {
		out->source = bytes;
		out->source_len = len;
		bytes = NULL;
	}
	free(bytes);
	return load_done(out, rc, &e, path ? path : "", err);
}

int rules_load_memory(struct rules *out, const void *data, size_t len, const char *label,
		      const char *xsd_path, struct br_error *err)
{
	struct br_error e;
	char *bytes = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	br_error_clear(&e);
	snprintf(out->path, sizeof(out->path), "%s", label);
	if (len > RULES_MAX_BYTES)
		rc = br_error_set(&e, BR_ECONFIG, "langer dan %llu bytes", (unsigned long long)RULES_MAX_BYTES);
	else if (!(bytes = malloc(len ? len : 1)))
		rc = br_error_set(&e, BR_ENOMEM, "onvoldoende geheugen");
	else {
		if (len)
			memcpy(bytes, data, len);
		if ((rc = load_bytes(out, bytes, len, label, xsd_path, &e)) == 0) {
			out->source = bytes;
			out->source_len = len;
			bytes = NULL;
		}
	}
	free(bytes);
	return load_done(out, rc, &e, label, err);
}


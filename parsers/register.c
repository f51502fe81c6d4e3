/*
 * register.c — streaming parser for the client register snapshot
 * (formats.md §1); the format and the contract are in register.h.
 *
 * A small state machine over xmlin_read(): depth 1 is <Clientregister>,
 * depth 2 a <Dossier>, whose children are read one by one into a single
 * struct register_dossier that goes to the handler at </Dossier> and is
 * cleared before the next.  Memory is that one struct, whatever the size
 * of the file.
 *
 * The XSD validates while we stream, but libxml2 may report a violation a
 * few nodes after we have seen the data, and fuzz targets run without a
 * schema.  So the parser relies on nothing the schema promises: it checks
 * element order, required elements, caps and lengths itself, and no field
 * is read before it was filled.
 */
#include "register.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bsn.h"
#include "date.h"
#include "money.h"
#include "banned.h"

#define ROOT "Clientregister"
#define VALUE_MAX 256 /* typed values (dates, numbers, codes) incl. whitespace */

/* ---- element sequences (formats.md "Element order is as listed") ------ */

#define F_REQ 1u    /* required */
#define F_REPEAT 2u /* 0..n */

struct field {
	const char *name;
	const char *tag;   /* "<name>", for messages */
	unsigned flags;
};

#define FIELD(name, flags) { name, "<" name ">", flags }

struct seq {
	const struct field *fields;
	int n;
	int last;      /* index of the last field seen, -1 before the first */
	unsigned seen; /* bit per field index */
};

enum dossier_field {
	DF_NUMMER, DF_REGELING, DF_GEMEENTE, DF_INGANG, DF_EIND, DF_AANVRAGER,
	DF_PARTNER, DF_LEEFVORM, DF_JONGSTE_KIND, DF_KOSTENDELERS, DF_WKV,
	DF_REKENING, DF_VAST, DF_VT, DF_VRIJLATING, DF_INHOUDING, DF_DERDEN,
	DF_OPSCHORTING, DF_COUNT
};

static const struct field dossier_fields[DF_COUNT] = {
	[DF_NUMMER] = FIELD("Dossiernummer", F_REQ),
	[DF_REGELING] = FIELD("Regeling", F_REQ),
	[DF_GEMEENTE] = FIELD("Gemeente", F_REQ),
	[DF_INGANG] = FIELD("Ingangsdatum", F_REQ),
	[DF_EIND] = FIELD("Einddatum", 0),
	[DF_AANVRAGER] = FIELD("Aanvrager", F_REQ),
	[DF_PARTNER] = FIELD("Partner", 0),
	[DF_LEEFVORM] = FIELD("Leefvorm", F_REQ),
	[DF_JONGSTE_KIND] = FIELD("JongsteKindGeboortedatum", 0),
	[DF_KOSTENDELERS] = FIELD("Kostendelers", F_REQ),
	[DF_WKV] = FIELD("Woonkostenverlaging", 0),
	[DF_REKENING] = FIELD("Betaalrekening", F_REQ),
	[DF_VAST] = FIELD("VastBedrag", 0),
	[DF_VT] = FIELD("VtReservering", 0),
	[DF_VRIJLATING] = FIELD("Vrijlating", F_REPEAT),
	[DF_INHOUDING] = FIELD("Inhouding", F_REPEAT),
	[DF_DERDEN] = FIELD("BetalingAanDerden", F_REPEAT),
	[DF_OPSCHORTING] = FIELD("Opschorting", 0),
};

enum person_field { PF_BSN, PF_NAAM, PF_GEBOORTE, PF_COUNT };
static const struct field person_fields[PF_COUNT] = {
	[PF_BSN] = FIELD("BSN", F_REQ),
	[PF_NAAM] = FIELD("Naam", F_REQ),
	[PF_GEBOORTE] = FIELD("Geboortedatum", F_REQ),
};

enum account_field { AF_IBAN, AF_BIC, AF_TENAAMSTELLING, AF_COUNT };
static const struct field account_fields[AF_COUNT] = {
	[AF_IBAN] = FIELD("IBAN", F_REQ),
	[AF_BIC] = FIELD("BIC", 0),
	[AF_TENAAMSTELLING] = FIELD("Tenaamstelling", F_REQ),
};

enum claim_field { CF_KENMERK, CF_SOORT, CF_SALDO, CF_TERMIJN, CF_COUNT };
static const struct field claim_fields[CF_COUNT] = {
	[CF_KENMERK] = FIELD("Kenmerk", F_REQ),
	[CF_SOORT] = FIELD("Soort", F_REQ),
	[CF_SALDO] = FIELD("Saldo", F_REQ),
	[CF_TERMIJN] = FIELD("Termijn", F_REQ),
};

enum derde_field {
	TF_KENMERK, TF_NAAM, TF_IBAN, TF_BEDRAG, TF_PRIORITEIT, TF_OMSCHRIJVING, TF_COUNT
};
static const struct field derde_fields[TF_COUNT] = {
	[TF_KENMERK] = FIELD("Kenmerk", F_REQ),
	[TF_NAAM] = FIELD("Naam", F_REQ),
	[TF_IBAN] = FIELD("IBAN", F_REQ),
	[TF_BEDRAG] = FIELD("Bedrag", F_REQ),
	[TF_PRIORITEIT] = FIELD("Prioriteit", F_REQ),
	[TF_OMSCHRIJVING] = FIELD("Omschrijving", F_REQ),
};

static const char *const regelingen[] = { "PW", "IOAW", "IOAZ", "BBZ", NULL };
static const char *const leefvormen[] = { "ALLEENSTAAND", "ALLEENSTAANDE_OUDER", "GEHUWD", NULL };
static const char *const vrijlating_codes[] = { "N", "R", "Y", "Z", "AA", "34A", "34A_MU", NULL };
static const char *const personen[] = { "AANVRAGER", "PARTNER", NULL };
static const char *const claim_soorten[] = { "TERUGVORDERING", "BOETE", NULL };

/* What one parse works on; `ctx` ends every message ("Dossier X"). */
struct parse {
	struct xmlin *x;
	struct br_error *err;
	struct register_dossier *d;
	struct register_person *person; /* the <Aanvrager> or <Partner> being read */
	void *item;                     /* the claim or third party being read */
	char ctx[64];
};

typedef int (*child_fn)(struct parse *p, int field, const char *el);

/* ---- small checks ----------------------------------------------------- */

/* snprintf(dst, cap, "%s", src) without the formatting machinery: these
 * copies run for every element of a file. */
static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Untrusted text for a message: printable ASCII, cut at 32 bytes. */
static const char *show(char out[40], const char *s)
{
	size_t i, n = 0;

	for (i = 0; s[i] && n < 32; i++)
		out[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (s[i])
		out[n++] = '.', out[n++] = '.', out[n++] = '.';
	out[n] = '\0';
	return out;
}

static int is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * xs:date, xs:dateTime, xs:int and xs:boolean collapse whitespace before
 * their facets apply, so the schema accepts " 2025-03-01 "; do the same.
 */
static char *trim(char *s, size_t *len)
{
	size_t n = *len;

	while (n && is_xml_space(*s))
		s++, n--;
	while (n && is_xml_space(s[n - 1]))
		n--;
	s[n] = '\0';
	*len = n;
	return s;
}

/* Character classes for all_of() (ASCII only). */
#define DIGITS 1u  /* 0-9 */
#define UPPER 2u   /* A-Z */
#define DASH 4u    /* - */

/* Every one of the `len` bytes is in one of `classes` (a NUL is in none). */
static int all_of(const char *s, size_t len, unsigned classes)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];
		if (!(((classes & DIGITS) && c >= '0' && c <= '9') ||
		      ((classes & UPPER) && c >= 'A' && c <= 'Z') ||
		      ((classes & DASH) && c == '-')))
			return 0;
	}
	return 1;
}

/* Printable ASCII without spaces ([!-~]): ids and references. */
static int is_token(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < '!' || s[i] > '~')
			return 0;
	return len > 0;
}

/* Characters (not bytes) of valid UTF-8, as xs:maxLength counts them. */
static size_t utf8_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static int is_blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_xml_space(s[i]))
			return 0;
	return 1;
}

/* ---- typed values: each refuses with what is wrong, then where -------- */

static int get_date(struct parse *p, char *s, size_t len, const char *what, int32_t *out)
{
	struct br_error e;

	br_error_clear(&e);
	s = trim(s, &len);
	if (date_parse(out, s, len, &e) < 0)
		return xmlin_fail(p->x, p->err, "%s (%s, %s)", e.msg, what, p->ctx);
	return 0;
}

static int get_amount(struct parse *p, const char *s, size_t len, const char *what, int64_t *out)
{
	struct br_error e;
	char shown[40];

	br_error_clear(&e);
	if (money_parse(out, s, len, &e) < 0)
		return xmlin_fail(p->x, p->err, "%s (%s, %s)", e.msg, what, p->ctx);
	/* Register amounts (balances, instalments, monthly sums) are never negative. */
	if (*out < 0)
		return xmlin_fail(p->x, p->err, "amount '%s' must not be negative (%s, %s)",
				  show(shown, s), what, p->ctx);
	return 0;
}

static int get_int(struct parse *p, char *s, size_t len, const char *what, long min,
		   long max, int *out)
{
	char shown[40], *end = NULL;
	long v;

	s = trim(s, &len);
	errno = 0;
	if (len == 0 || len > 9 || !all_of(s, len, DIGITS) ||
	    (v = strtol(s, &end, 10), errno != 0) || end != s + len || v < min || v > max)
		return xmlin_fail(p->x, p->err, "'%s' is not a whole number from %ld to %ld (%s, %s)",
				  show(shown, s), min, max, what, p->ctx);
	*out = (int)v;
	return 0;
}

/* Index of `s` in the NULL-terminated `vals`, or an error naming them. */
static int get_code(struct parse *p, const char *s, const char *what,
		    const char *const *vals, int *out)
{
	char shown[40], list[160];
	size_t n = 0;
	int i;

	for (i = 0; vals[i]; i++) {
		if (strcmp(s, vals[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	list[0] = '\0';
	for (i = 0; vals[i] && n < sizeof(list); i++)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", vals[i]);
	return xmlin_fail(p->x, p->err, "'%s' is not one of %s (%s, %s)", show(shown, s), list,
			  what, p->ctx);
}

static int get_bsn(struct parse *p, const char *s, size_t len, const char *what, char out[10])
{
	char masked[BSN_LEN + 1];

	if (len != BSN_LEN || !all_of(s, len, DIGITS))
		return xmlin_fail(p->x, p->err, "BSN %s is not 9 digits (%s, %s)",
				  bsn_mask(masked, s), what, p->ctx);
	if (!bsn_valid(s, len))
		return xmlin_fail(p->x, p->err, "BSN %s fails the elfproef (%s, %s)",
				  bsn_mask(masked, s), what, p->ctx);
	memcpy(out, s, BSN_LEN + 1);
	return 0;
}

/* Names and free text: not blank, at most `max` characters. */
static int check_text(struct parse *p, const char *s, size_t len, size_t max, const char *what)
{
	if (is_blank(s, len))
		return xmlin_fail(p->x, p->err, "%s is empty (%s)", what, p->ctx);
	if (utf8_chars(s, len) > max)
		return xmlin_fail(p->x, p->err, "%s is longer than %zu characters (%s)", what, max,
				  p->ctx);
	return 0;
}

/* IBAN shape only ([A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}): mod-97 and country
 * length are record problems for intake (formats.md §5). */
static int check_iban_shape(struct parse *p, const char *s, size_t len, const char *what)
{
	char shown[40];

	if (len < 5 || len > 34 || !all_of(s, 2, UPPER) || !all_of(s + 2, 2, DIGITS) ||
	    !all_of(s + 4, len - 4, UPPER | DIGITS))
		return xmlin_fail(p->x, p->err,
				  "IBAN '%s' is not an IBAN: 2 letters, 2 digits, then letters and digits, no spaces (%s, %s)",
				  show(shown, s), what, p->ctx);
	return 0;
}

/* ---- element walking --------------------------------------------------- */

/*
 * Next child element of the element at `depth`: 1 positioned on its start
 * tag, 0 at the parent's end tag, or an error.  Children are consumed
 * whole by their readers, so anything else here is misplaced content.
 */
static int next_child(struct parse *p, int depth, const char *parent)
{
	int rc;

	for (;;) {
		if ((rc = xmlin_read(p->x, p->err)) < 0)
			return rc;
		if (rc == 0)
			return xmlin_fail(p->x, p->err, "the file ends inside <%s>", parent);
		switch (xmlin_type(p->x)) {
		case XMLIN_START:
			if (xmlin_depth(p->x) == depth + 1)
				return 1;
			return xmlin_fail(p->x, p->err, "element <%s> is misplaced in <%s>",
					  xmlin_name(p->x), parent);
		case XMLIN_END:
			if (xmlin_depth(p->x) == depth)
				return 0;
			break;
		case XMLIN_TEXT:
			return xmlin_fail(p->x, p->err, "<%s> has text between its elements", parent);
		case XMLIN_OTHER:
		default:
			break;
		}
	}
}

/*
 * Place the current start tag in the sequence: known, in order, not
 * repeated unless 0..n, and no required element skipped.  Returns the
 * field index.
 */
static int seq_next(struct parse *p, struct seq *s, const char *parent)
{
	const char *name = xmlin_name(p->x);
	int i, k, f = -1, from = s->last < 0 ? 0 : s->last;

	/* Names are unique in a sequence, and elements come in order: look
	 * from the last one seen on, then wrap around. */
	if (strcmp(xmlin_ns(p->x), NS_REGISTER) == 0)
		for (k = 0; k < s->n && f < 0; k++) {
			i = (from + k) % s->n;
			if (strcmp(name, s->fields[i].name) == 0)
				f = i;
		}
	if (f < 0)
		return xmlin_fail(p->x, p->err, "element <%.64s> is not expected in <%s> (%s)", name,
				  parent, p->ctx);
	if (f == s->last && !(s->fields[f].flags & F_REPEAT))
		return xmlin_fail(p->x, p->err, "<%s> appears twice in <%s> (%s)", name, parent,
				  p->ctx);
	if (f < s->last)
		return xmlin_fail(p->x, p->err, "<%s> must come before <%s> in <%s> (%s)", name,
				  s->fields[s->last].name, parent, p->ctx);
	for (i = s->last + 1; i < f; i++)
		if ((s->fields[i].flags & F_REQ) && !(s->seen & (1u << i)))
			return xmlin_fail(p->x, p->err, "<%s> is missing before <%s> in <%s> (%s)",
					  s->fields[i].name, name, parent, p->ctx);
	s->seen |= 1u << f;
	s->last = f;
	return f;
}

static int seq_finish(struct parse *p, const struct seq *s, const char *parent)
{
	int i;

	for (i = s->last + 1; i < s->n; i++)
		if ((s->fields[i].flags & F_REQ) && !(s->seen & (1u << i)))
			return xmlin_fail(p->x, p->err, "<%s> is missing in <%s> (%s)", s->fields[i].name,
					  parent, p->ctx);
	return 0;
}

/* Read the element the reader is on, a sequence of `fields`, to its end. */
static int read_group(struct parse *p, const struct field *fields, int n, child_fn child)
{
	struct seq s = { fields, n, -1, 0 };
	char parent[32];
	int depth = xmlin_depth(p->x);
	int rc = 0, f;

	copy_str(parent, sizeof(parent), xmlin_name(p->x));
	if (!xmlin_is_empty(p->x)) {
		while ((rc = next_child(p, depth, parent)) > 0) {
			if ((rc = seq_next(p, &s, parent)) < 0)
				goto out;
			f = rc;
			if ((rc = child(p, f, fields[f].tag)) < 0)
				goto out;
		}
		if (rc < 0)
			goto out;
	}
	rc = seq_finish(p, &s, parent);
out:
	return rc;
}

/* An element that carries only attributes: it must have no content. */
static int end_of_empty(struct parse *p, const char *el)
{
	char buf[64];
	size_t len = 0;
	int rc;

	if ((rc = xmlin_text(p->x, buf, sizeof(buf), &len, p->err)) < 0)
		return rc;
	if (len)
		return xmlin_fail(p->x, p->err, "%s must be empty (%s)", el,
				  p->ctx);
	return 0;
}

/* Copy a borrowed attribute (valid until the next xmlin_* call). */
static int get_attr(struct parse *p, const char *el, const char *name, int required,
		    char *buf, size_t cap, size_t *len)
{
	const char *v = xmlin_attr(p->x, name);

	buf[0] = '\0';
	*len = 0;
	if (!v) {
		if (!required)
			return 0;
		return xmlin_fail(p->x, p->err, "attribute %s of %s is missing (%s)", name, el,
				  p->ctx);
	}
	*len = strlen(v);
	if (*len >= cap)
		return xmlin_fail(p->x, p->err, "attribute %s of %s is longer than %zu bytes (%s)",
				  name, el, cap - 1, p->ctx);
	memcpy(buf, v, *len + 1);
	return 1;
}

/* ---- records ------------------------------------------------------------ */

static int person_child(struct parse *p, int f, const char *el)
{
	struct register_person *ps = p->person;
	char v[VALUE_MAX];
	size_t len = 0;
	int rc;

	switch (f) {
	case PF_BSN:
		if ((rc = xmlin_text(p->x, v, sizeof(v), &len, p->err)) < 0)
			return rc;
		return get_bsn(p, v, len, el, ps->bsn);
	case PF_NAAM:
		if ((rc = xmlin_text(p->x, ps->naam, sizeof(ps->naam), &len, p->err)) < 0)
			return rc;
		return check_text(p, ps->naam, len, REGISTER_NAME_MAX, el);
	case PF_GEBOORTE:
	default:
		if ((rc = xmlin_text(p->x, v, sizeof(v), &len, p->err)) < 0)
			return rc;
		return get_date(p, v, len, el, &ps->geboortedatum);
	}
}

static int account_child(struct parse *p, int f, const char *el)
{
	struct register_dossier *d = p->d;
	size_t len = 0;
	int rc;

	switch (f) {
	case AF_IBAN:
		if ((rc = xmlin_text(p->x, d->iban, sizeof(d->iban), &len, p->err)) < 0)
			return rc;
		return check_iban_shape(p, d->iban, len, el);
	case AF_BIC:
		if ((rc = xmlin_text(p->x, d->bic, sizeof(d->bic), &len, p->err)) < 0)
			return rc;
		/* [A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})? */
		if ((len != 8 && len != 11) || !all_of(d->bic, 6, UPPER) ||
		    !all_of(d->bic + 6, len - 6, UPPER | DIGITS)) {
			char shown[40];
			return xmlin_fail(p->x, p->err, "BIC '%s' is not 8 or 11 letters and digits (%s, %s)",
					  show(shown, d->bic), el, p->ctx);
		}
		return 0;
	case AF_TENAAMSTELLING:
	default:
		if ((rc = xmlin_text(p->x, d->tenaamstelling, sizeof(d->tenaamstelling), &len,
				     p->err)) < 0)
			return rc;
		return check_text(p, d->tenaamstelling, len, REGISTER_NAME_MAX, el);
	}
}

static int claim_child(struct parse *p, int f, const char *el)
{
	struct register_claim *c = p->item;
	char v[VALUE_MAX];
	size_t len = 0;
	int rc, i = 0;

	if (f == CF_KENMERK) {
		if ((rc = xmlin_text(p->x, c->kenmerk, sizeof(c->kenmerk), &len, p->err)) < 0)
			return rc;
		if (!is_token(c->kenmerk, len))
			return xmlin_fail(p->x, p->err, "%s must be 1 to %d characters without spaces (%s)",
					  el, REGISTER_KENMERK_MAX, p->ctx);
		return 0;
	}
	if ((rc = xmlin_text(p->x, v, sizeof(v), &len, p->err)) < 0)
		return rc;
	switch (f) {
	case CF_SOORT:
		if ((rc = get_code(p, v, el, claim_soorten, &i)) < 0)
			return rc;
		copy_str(c->soort, sizeof(c->soort), claim_soorten[i]);
		return 0;
	case CF_SALDO:
		return get_amount(p, v, len, el, &c->saldo_cents);
	case CF_TERMIJN:
	default:
		return get_amount(p, v, len, el, &c->termijn_cents);
	}
}

static int derde_child(struct parse *p, int f, const char *el)
{
	struct register_derde *t = p->item;
	char v[VALUE_MAX];
	size_t len = 0;
	int rc;

	switch (f) {
	case TF_KENMERK:
		if ((rc = xmlin_text(p->x, t->kenmerk, sizeof(t->kenmerk), &len, p->err)) < 0)
			return rc;
		if (!is_token(t->kenmerk, len))
			return xmlin_fail(p->x, p->err, "%s must be 1 to %d characters without spaces (%s)",
					  el, REGISTER_KENMERK_MAX, p->ctx);
		return 0;
	case TF_NAAM:
		if ((rc = xmlin_text(p->x, t->naam, sizeof(t->naam), &len, p->err)) < 0)
			return rc;
		return check_text(p, t->naam, len, REGISTER_NAME_MAX, el);
	case TF_IBAN:
		if ((rc = xmlin_text(p->x, t->iban, sizeof(t->iban), &len, p->err)) < 0)
			return rc;
		return check_iban_shape(p, t->iban, len, el);
	case TF_OMSCHRIJVING:
		if ((rc = xmlin_text(p->x, t->omschrijving, sizeof(t->omschrijving), &len,
				     p->err)) < 0)
			return rc;
		return check_text(p, t->omschrijving, len, REGISTER_TEXT_MAX, el);
	default:
		break;
	}
	if ((rc = xmlin_text(p->x, v, sizeof(v), &len, p->err)) < 0)
		return rc;
	if (f == TF_BEDRAG)
		return get_amount(p, v, len, el, &t->bedrag_cents);
	return get_int(p, v, len, el, 1, 99, &t->prioriteit);
}

/* <Vrijlating code persoon ingangsdatum [einddatum] [maanden_gebruikt]/> */
static int read_grant(struct parse *p, struct register_grant *g, const char *el)
{
	char v[VALUE_MAX], a[DATE_FMT_MAX], b[DATE_FMT_MAX];
	size_t len;
	int rc, i = 0;

	g->einddatum = DATE_NONE;
	g->maanden_gebruikt = -1;
	if ((rc = get_attr(p, el, "code", 1, v, sizeof(v), &len)) < 0 ||
	    (rc = get_code(p, v, "code of <Vrijlating>", vrijlating_codes, &i)) < 0)
		return rc;
	copy_str(g->code, sizeof(g->code), vrijlating_codes[i]);
	if ((rc = get_attr(p, el, "persoon", 1, v, sizeof(v), &len)) < 0 ||
	    (rc = get_code(p, v, "persoon of <Vrijlating>", personen, &i)) < 0)
		return rc;
	copy_str(g->persoon, sizeof(g->persoon), personen[i]);
	if ((rc = get_attr(p, el, "ingangsdatum", 1, v, sizeof(v), &len)) < 0 ||
	    (rc = get_date(p, v, len, "ingangsdatum of <Vrijlating>", &g->ingangsdatum)) < 0)
		return rc;
	if ((rc = get_attr(p, el, "einddatum", 0, v, sizeof(v), &len)) < 0)
		return rc;
	if (rc > 0) {
		if ((rc = get_date(p, v, len, "einddatum of <Vrijlating>", &g->einddatum)) < 0)
			return rc;
		/* formats.md "Common rules": a period includes both days, so the
		 * end may equal the start but not precede it. */
		if (g->einddatum < g->ingangsdatum)
			return xmlin_fail(p->x, p->err,
					  "<Vrijlating> %s ends on %s, before it starts on %s (%s)",
					  g->code, date_format(b, g->einddatum),
					  date_format(a, g->ingangsdatum), p->ctx);
	}
	if ((rc = get_attr(p, el, "maanden_gebruikt", 0, v, sizeof(v), &len)) < 0)
		return rc;
	if (rc > 0 && (rc = get_int(p, v, len, "maanden_gebruikt of <Vrijlating>", 0, 999,
				    &g->maanden_gebruikt)) < 0)
		return rc;
	return end_of_empty(p, el);
}

/* <Opschorting vanaf reden/> */
static int read_hold(struct parse *p, const char *el)
{
	struct register_dossier *d = p->d;
	char v[VALUE_MAX];
	size_t len;
	int rc;

	if ((rc = get_attr(p, el, "vanaf", 1, v, sizeof(v), &len)) < 0 ||
	    (rc = get_date(p, v, len, "vanaf of <Opschorting>", &d->opschorting_vanaf)) < 0)
		return rc;
	if ((rc = get_attr(p, el, "reden", 1, d->opschorting_reden, sizeof(d->opschorting_reden),
			   &len)) < 0 ||
	    (rc = check_text(p, d->opschorting_reden, len, REGISTER_TEXT_MAX,
			     "reden of <Opschorting>")) < 0)
		return rc;
	d->has_opschorting = 1;
	return end_of_empty(p, el);
}

static int too_many(struct parse *p, const char *el, int max)
{
	return xmlin_fail(p->x, p->err, "too many %s (max %d) (%s)", el, max, p->ctx);
}

static int dossier_child(struct parse *p, int f, const char *el)
{
	struct register_dossier *d = p->d;
	char v[VALUE_MAX], a[DATE_FMT_MAX], b[DATE_FMT_MAX];
	size_t len = 0;
	int rc, i = 0;

	switch (f) {
	case DF_NUMMER:
		if ((rc = xmlin_text(p->x, d->nummer, sizeof(d->nummer), &len, p->err)) < 0)
			return rc;
		if (len == 0 || !all_of(d->nummer, len, UPPER | DIGITS | DASH))
			return xmlin_fail(p->x, p->err,
					  "%s '%s' must be 1 to 20 capitals, digits and '-' (%s)",
					  el, show(v, d->nummer), p->ctx);
		/* "Dossier <nummer>" (at most 20 characters, checked above) */
		memcpy(p->ctx, "Dossier ", 8);
		copy_str(p->ctx + 8, sizeof(p->ctx) - 8, d->nummer);
		return 0;
	case DF_GEMEENTE:
		if ((rc = xmlin_text(p->x, d->gemeente, sizeof(d->gemeente), &len, p->err)) < 0)
			return rc;
		if (len != 4 || !all_of(d->gemeente, len, DIGITS))
			return xmlin_fail(p->x, p->err, "%s '%s' is not a 4-digit CBS code (%s)", el,
					  show(v, d->gemeente), p->ctx);
		return 0;
	case DF_AANVRAGER:
	case DF_PARTNER:
		p->person = f == DF_AANVRAGER ? &d->aanvrager : &d->partner;
		d->has_partner |= f == DF_PARTNER;
		return read_group(p, person_fields, PF_COUNT, person_child);
	case DF_REKENING:
		return read_group(p, account_fields, AF_COUNT, account_child);
	case DF_VRIJLATING:
		if (d->n_grants >= REGISTER_MAX_GRANTS)
			return too_many(p, el, REGISTER_MAX_GRANTS);
		return read_grant(p, &d->grants[d->n_grants++], el);
	case DF_INHOUDING:
		if (d->n_claims >= REGISTER_MAX_CLAIMS)
			return too_many(p, el, REGISTER_MAX_CLAIMS);
		p->item = &d->claims[d->n_claims++];
		return read_group(p, claim_fields, CF_COUNT, claim_child);
	case DF_DERDEN:
		if (d->n_derden >= REGISTER_MAX_DERDEN)
			return too_many(p, el, REGISTER_MAX_DERDEN);
		p->item = &d->derden[d->n_derden++];
		return read_group(p, derde_fields, TF_COUNT, derde_child);
	case DF_OPSCHORTING:
		return read_hold(p, el);
	default:
		break;
	}

	/* The rest are simple values. */
	if ((rc = xmlin_text(p->x, v, sizeof(v), &len, p->err)) < 0)
		return rc;
	switch (f) {
	case DF_REGELING:
		if ((rc = get_code(p, v, el, regelingen, &i)) < 0)
			return rc;
		copy_str(d->regeling, sizeof(d->regeling), regelingen[i]);
		return 0;
	case DF_INGANG:
		return get_date(p, v, len, el, &d->ingangsdatum);
	case DF_EIND:
		if ((rc = get_date(p, v, len, el, &d->einddatum)) < 0)
			return rc;
		/* Einddatum is the last day paid; Ingangsdatum was required before it. */
		if (d->einddatum < d->ingangsdatum)
			return xmlin_fail(p->x, p->err, "<Einddatum> %s is before <Ingangsdatum> %s (%s)",
					  date_format(b, d->einddatum),
					  date_format(a, d->ingangsdatum), p->ctx);
		return 0;
	case DF_LEEFVORM:
		if ((rc = get_code(p, v, el, leefvormen, &i)) < 0)
			return rc;
		copy_str(d->leefvorm, sizeof(d->leefvorm), leefvormen[i]);
		return 0;
	case DF_JONGSTE_KIND:
		return get_date(p, v, len, el, &d->jongste_kind_geb);
	case DF_KOSTENDELERS:
		return get_int(p, v, len, el, 0, 20, &d->kostendelers);
	case DF_WKV:
		return get_int(p, v, len, el, 0, 20, &d->woonkostenverlaging_pct);
	case DF_VAST:
		d->has_vast_bedrag = 1;
		return get_amount(p, v, len, el, &d->vast_bedrag_cents);
	case DF_VT:
	default:
		d->has_vt_reservering = 1;
		return get_amount(p, v, len, el, &d->vt_reservering_cents);
	}
}

/* read_dossier clears what lies before the arrays, the counts and what
 * follows them: opschorting_reden must stay the last member. */
_Static_assert(offsetof(struct register_dossier, opschorting_reden) +
	       sizeof(((struct register_dossier *)0)->opschorting_reden) +
	       _Alignof(struct register_dossier) > sizeof(struct register_dossier),
	       "a member after opschorting_reden would not be cleared per dossier");

/* p->ctx = "Dossier at line N" */
static void ctx_at_line(struct parse *p, long line)
{
	static const char prefix[] = "Dossier at line ";
	char digits[24];
	size_t n = sizeof(digits);
	unsigned long v = line > 0 ? (unsigned long)line : 0;

	do
		digits[--n] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	memcpy(p->ctx, prefix, sizeof(prefix) - 1);
	memcpy(p->ctx + sizeof(prefix) - 1, digits + n, sizeof(digits) - n);
	p->ctx[sizeof(prefix) - 1 + sizeof(digits) - n] = '\0';
}

static int read_dossier(struct parse *p)
{
	struct register_dossier *d = p->d;

	/*
	 * Nothing of the previous dossier may leak into this one: everything
	 * but the arrays is cleared, and the arrays count from zero again.
	 * (Clearing the whole 29 KB per dossier cost more than parsing it.)
	 * An element of an array is filled whole before the dossier reaches
	 * the handler: its fields are all required (claims, third parties)
	 * or set first (grants); and the struct was calloc'ed, so nothing is
	 * ever uninitialised.
	 */
	memset(d, 0, offsetof(struct register_dossier, grants));
	d->n_grants = d->n_claims = d->n_derden = 0;
	d->has_opschorting = 0;
	d->opschorting_reden[0] = '\0';
	d->line = xmlin_line(p->x);
	d->einddatum = DATE_NONE;
	d->jongste_kind_geb = DATE_NONE;
	d->partner.geboortedatum = DATE_NONE;
	d->opschorting_vanaf = DATE_NONE;
	ctx_at_line(p, d->line);
	if (strcmp(xmlin_name(p->x), "Dossier") != 0 || strcmp(xmlin_ns(p->x), NS_REGISTER) != 0)
		return xmlin_fail(p->x, p->err, "element <%.64s> is not expected in <%s>; expected <Dossier>",
				  xmlin_name(p->x), ROOT);
	return read_group(p, dossier_fields, DF_COUNT, dossier_child);
}

/* ---- root --------------------------------------------------------------- */

static int read_root(struct parse *p, const struct register_handler *h)
{
	struct levering_header hdr;
	char v[VALUE_MAX];
	size_t len;
	int rc;

	memset(&hdr, 0, sizeof(hdr));
	hdr.kind = LEVERING_REGISTER;
	if ((rc = xmlin_read(p->x, p->err)) < 0)
		return rc;
	if (rc == 0 || xmlin_type(p->x) != XMLIN_START)
		return xmlin_fail(p->x, p->err, "the file has no root element; expected <%s>", ROOT);
	if (strcmp(xmlin_name(p->x), ROOT) != 0 || strcmp(xmlin_ns(p->x), NS_REGISTER) != 0)
		return xmlin_fail(p->x, p->err,
				  "root element is <%.64s> in namespace '%.100s'; expected <%s> in namespace '%s'",
				  xmlin_name(p->x), xmlin_ns(p->x), ROOT, NS_REGISTER);
	snprintf(p->ctx, sizeof(p->ctx), "root element");
	/* formats.md §4: leveringId identifies the delivery. */
	if ((rc = get_attr(p, "<" ROOT ">", "leveringId", 1, hdr.levering_id,
			   sizeof(hdr.levering_id), &len)) < 0)
		return rc;
	if (!is_token(hdr.levering_id, len))
		return xmlin_fail(p->x, p->err,
				  "attribute leveringId of <%s> must be 1 to %d printable characters without spaces",
				  ROOT, LEVERING_ID_MAX);
	if ((rc = get_attr(p, "<" ROOT ">", "peildatum", 1, v, sizeof(v), &len)) < 0 ||
	    (rc = get_date(p, v, len, "peildatum of <" ROOT ">", &hdr.peildatum)) < 0)
		return rc;
	if ((rc = get_attr(p, "<" ROOT ">", "aanmaakdatum", 1, v, sizeof(v), &len)) < 0)
		return rc;
	{
		struct br_error e;
		char *s = trim(v, &len);

		br_error_clear(&e);
		if (timestamp_parse(&hdr.aanmaakdatum, s, len, &e) < 0)
			return xmlin_fail(p->x, p->err, "%s (aanmaakdatum of <%s>)", e.msg, ROOT);
	}
	if (h->header && (rc = h->header(h->ctx, &hdr, p->err)) < 0)
		return rc;
	return 0;
}

int register_parse(struct xmlin *x, const struct register_handler *h, struct br_error *err)
{
	struct parse p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.x = x;
	p.err = err;
	if (!(p.d = calloc(1, sizeof(*p.d)))) {
		rc = br_error_set(err, BR_ENOMEM, "out of memory reading %s", xmlin_label(x));
		goto out;
	}
	if ((rc = read_root(&p, h)) < 0)
		goto out;
	if (!xmlin_is_empty(x)) {
		while ((rc = next_child(&p, 1, ROOT)) > 0) {
			if ((rc = read_dossier(&p)) < 0)
				goto out;
			if (h->dossier && (rc = h->dossier(h->ctx, p.d, err)) < 0)
				goto out;
		}
		if (rc < 0)
			goto out;
	}
	/* The end of the document: libxml2 reports late schema errors here. */
	p.ctx[0] = '\0';
	if ((rc = xmlin_read(x, err)) > 0)
		rc = xmlin_fail(x, err, "content after the end of <%s>", ROOT);
out:
	free(p.d);
	return rc;
}

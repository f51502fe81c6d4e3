/*
 * signals_xml.c — streaming parser for Inlichtingenbureau signal
 * deliveries (formats.md §3); the format and the contract are in
 * signals_xml.h.
 *
 * A small state machine over xmlin_read(): depth 1 is <Signaallevering>,
 * depth 2 a <Signaal>, whose children are read one by one into a single
 * struct signal_record that goes to the handler at its end tag and is
 * cleared before the next.  Memory stays that one struct whatever the size
 * of the file.
 *
 * The XSD validates while we stream, but libxml2 may report a violation a
 * few nodes after we have seen the data, and fuzz targets run without a
 * schema.  So the parser relies on nothing the schema promises: element
 * order, required elements, caps, lengths and values are checked here too,
 * and no field is read before it was filled.  Whether the signal table
 * knows a Soort is intake's check (signals.md: the table is data).
 */
#include "signals_xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bsn.h"
#include "date.h"
#include "banned.h"

#define ROOT "Signaallevering"
#define RECORD "Signaal"
#define NS NS_SIGNALEN
#define VALUE_MAX 256 /* typed values (dates, codes) incl. whitespace */
#define OMSCHRIJVING_CHARS 500

/* ---- element sequence (formats.md "Element order is as listed") ------- */

#define F_REQ 1u    /* required */
#define F_REPEAT 2u /* 0..n */

struct field {
	const char *name;
	unsigned flags;
};

struct seq {
	const struct field *fields;
	int n;
	int last;      /* index of the last field seen, -1 before the first */
	unsigned seen; /* bit per field index */
};

enum record_field {
	SF_ID, SF_SOORT, SF_BSN, SF_BRON, SF_DATUM, SF_BEGIN, SF_EINDE, SF_OMSCHRIJVING,
	SF_GEGEVEN, SF_COUNT
};

static const struct field record_fields[SF_COUNT] = {
	[SF_ID] = { "SignaalId", F_REQ },
	[SF_SOORT] = { "Soort", F_REQ },
	[SF_BSN] = { "BSN", F_REQ },
	[SF_BRON] = { "Bron", F_REQ },
	[SF_DATUM] = { "Signaaldatum", F_REQ },
	[SF_BEGIN] = { "PeriodeBegin", F_REQ },
	[SF_EINDE] = { "PeriodeEinde", 0 },
	[SF_OMSCHRIJVING] = { "Omschrijving", 0 },
	[SF_GEGEVEN] = { "Gegeven", F_REPEAT },
};

static const char *const bronnen[] = {
	"UWV", "DJI", "DUO", "BELASTINGDIENST", "RDW", "BRP", "GEMEENTE", "CJIB", "SVB", NULL
};

/* What one parse works on; `ctx` ends every message ("Signaal X"). */
struct parse {
	struct xmlin *x;
	struct br_error *err;
	struct signal_record *s;
	char ctx[64];
};

typedef int (*child_fn)(struct parse *p, int field, const char *el);

/* ---- small checks ----------------------------------------------------- */

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

static int all_of(const char *s, size_t len, const char *set)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!s[i] || !strchr(set, s[i]))
			return 0;
	return 1;
}

#define DIGITS "0123456789"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

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
	int i, f = -1;

	if (strcmp(xmlin_ns(p->x), NS) == 0)
		for (i = 0; i < s->n && f < 0; i++)
			if (strcmp(name, s->fields[i].name) == 0)
				f = i;
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
	char parent[32], el[40];
	int depth = xmlin_depth(p->x);
	int rc = 0, f;

	snprintf(parent, sizeof(parent), "%s", xmlin_name(p->x));
	if (!xmlin_is_empty(p->x)) {
		while ((rc = next_child(p, depth, parent)) > 0) {
			if ((rc = seq_next(p, &s, parent)) < 0)
				goto out;
			f = rc;
			snprintf(el, sizeof(el), "<%s>", fields[f].name);
			if ((rc = child(p, f, el)) < 0)
				goto out;
		}
		if (rc < 0)
			goto out;
	}
	rc = seq_finish(p, &s, parent);
out:
	return rc;
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

/* <Gegeven naam="bedrag">15234.00</Gegeven>: a type-specific key/value. */
static int read_gegeven(struct parse *p, struct signal_gegeven *g, const char *el)
{
	char shown[40];
	size_t len;
	int rc;

	if ((rc = get_attr(p, el, "naam", 1, g->naam, sizeof(g->naam), &len)) < 0)
		return rc;
	if (len == 0 || !all_of(g->naam, len, UPPER DIGITS "abcdefghijklmnopqrstuvwxyz_.-"))
		return xmlin_fail(p->x, p->err,
				  "naam '%s' of %s must be 1 to 40 letters, digits, '_', '.' or '-' (%s)",
				  show(shown, g->naam), el, p->ctx);
	if ((rc = xmlin_text(p->x, g->waarde, sizeof(g->waarde), &len, p->err)) < 0)
		return rc;
	if (utf8_chars(g->waarde, len) > SIGNAL_WAARDE_MAX)
		return xmlin_fail(p->x, p->err, "%s %s is longer than %d characters (%s)", el, g->naam,
				  SIGNAL_WAARDE_MAX, p->ctx);
	return 0;
}

static int record_child(struct parse *p, int f, const char *el)
{
	struct signal_record *s = p->s;
	char v[VALUE_MAX], a[DATE_FMT_MAX], b[DATE_FMT_MAX];
	size_t len = 0;
	int rc, i = 0;

	switch (f) {
	case SF_ID:
		if ((rc = xmlin_text(p->x, s->signaal_id, sizeof(s->signaal_id), &len, p->err)) < 0)
			return rc;
		if (!is_token(s->signaal_id, len))
			return xmlin_fail(p->x, p->err, "%s must be 1 to %d characters without spaces (%s)",
					  el, SIGNAL_ID_MAX, p->ctx);
		snprintf(p->ctx, sizeof(p->ctx), "%s %s", RECORD, s->signaal_id);
		return 0;
	case SF_SOORT:
		/* An open token ([A-Z][A-Z0-9_]{0,39}): the signal table decides. */
		if ((rc = xmlin_text(p->x, s->soort, sizeof(s->soort), &len, p->err)) < 0)
			return rc;
		if (len == 0 || !all_of(s->soort, 1, UPPER) ||
		    !all_of(s->soort, len, UPPER DIGITS "_"))
			return xmlin_fail(p->x, p->err,
					  "%s '%s' must be a capital followed by capitals, digits and '_' (%s)",
					  el, show(v, s->soort), p->ctx);
		return 0;
	case SF_OMSCHRIJVING:
		if ((rc = xmlin_text(p->x, s->omschrijving, sizeof(s->omschrijving), &len,
				     p->err)) < 0)
			return rc;
		if (utf8_chars(s->omschrijving, len) > OMSCHRIJVING_CHARS)
			return xmlin_fail(p->x, p->err, "%s is longer than %d characters (%s)", el,
					  OMSCHRIJVING_CHARS, p->ctx);
		return 0;
	case SF_GEGEVEN:
		if (s->n_gegevens >= SIGNAL_MAX_GEGEVENS)
			return xmlin_fail(p->x, p->err, "too many %s (max %d) (%s)", el,
					  SIGNAL_MAX_GEGEVENS, p->ctx);
		return read_gegeven(p, &s->gegevens[s->n_gegevens++], el);
	default:
		break;
	}

	/* The rest are simple values. */
	if ((rc = xmlin_text(p->x, v, sizeof(v), &len, p->err)) < 0)
		return rc;
	switch (f) {
	case SF_BSN:
		return get_bsn(p, v, len, el, s->bsn);
	case SF_BRON:
		if ((rc = get_code(p, v, el, bronnen, &i)) < 0)
			return rc;
		snprintf(s->bron, sizeof(s->bron), "%s", bronnen[i]);
		return 0;
	case SF_DATUM:
		return get_date(p, v, len, el, &s->signaaldatum);
	case SF_BEGIN:
		return get_date(p, v, len, el, &s->periode_begin);
	case SF_EINDE:
	default:
		if ((rc = get_date(p, v, len, el, &s->periode_einde)) < 0)
			return rc;
		/* formats.md "Common rules": the period includes both days. */
		if (s->periode_einde < s->periode_begin)
			return xmlin_fail(p->x, p->err, "<PeriodeEinde> %s is before <PeriodeBegin> %s (%s)",
					  date_format(b, s->periode_einde),
					  date_format(a, s->periode_begin), p->ctx);
		return 0;
	}
}

static int read_record(struct parse *p)
{
	struct signal_record *s = p->s;

	/* Nothing of the previous record may leak into this one. */
	memset(s, 0, sizeof(*s));
	s->line = xmlin_line(p->x);
	s->periode_einde = DATE_NONE;
	snprintf(p->ctx, sizeof(p->ctx), "%s at line %ld", RECORD, s->line);
	if (strcmp(xmlin_name(p->x), RECORD) != 0 || strcmp(xmlin_ns(p->x), NS) != 0)
		return xmlin_fail(p->x, p->err, "element <%.64s> is not expected in <%s>; expected <%s>",
				  xmlin_name(p->x), ROOT, RECORD);
	return read_group(p, record_fields, SF_COUNT, record_child);
}

/* ---- root --------------------------------------------------------------- */

static int read_root(struct parse *p, const struct signals_handler *h)
{
	struct levering_header hdr;
	struct br_error e;
	char v[VALUE_MAX], *s;
	size_t len;
	int rc;

	memset(&hdr, 0, sizeof(hdr));
	hdr.kind = LEVERING_SIGNALEN;
	hdr.peildatum = DATE_NONE;
	if ((rc = xmlin_read(p->x, p->err)) < 0)
		return rc;
	if (rc == 0 || xmlin_type(p->x) != XMLIN_START)
		return xmlin_fail(p->x, p->err, "the file has no root element; expected <%s>", ROOT);
	if (strcmp(xmlin_name(p->x), ROOT) != 0 || strcmp(xmlin_ns(p->x), NS) != 0)
		return xmlin_fail(p->x, p->err,
				  "root element is <%.64s> in namespace '%.100s'; expected <%s> in namespace '%s'",
				  xmlin_name(p->x), xmlin_ns(p->x), ROOT, NS);
	snprintf(p->ctx, sizeof(p->ctx), "root element");
	/* formats.md §4: leveringId identifies the delivery. */
	if ((rc = get_attr(p, "<" ROOT ">", "leveringId", 1, hdr.levering_id,
			   sizeof(hdr.levering_id), &len)) < 0)
		return rc;
	if (!is_token(hdr.levering_id, len))
		return xmlin_fail(p->x, p->err,
				  "attribute leveringId of <%s> must be 1 to %d printable characters without spaces",
				  ROOT, LEVERING_ID_MAX);
	if ((rc = get_attr(p, "<" ROOT ">", "aanmaakdatum", 1, v, sizeof(v), &len)) < 0)
		return rc;
	s = trim(v, &len);
	br_error_clear(&e);
	if (timestamp_parse(&hdr.aanmaakdatum, s, len, &e) < 0)
		return xmlin_fail(p->x, p->err, "%s (aanmaakdatum of <%s>)", e.msg, ROOT);
	if (h->header && (rc = h->header(h->ctx, &hdr, p->err)) < 0)
		return rc;
	return 0;
}

int signals_parse(struct xmlin *x, const struct signals_handler *h, struct br_error *err)
{
	struct parse p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.x = x;
	p.err = err;
	if (!(p.s = malloc(sizeof(*p.s)))) {
		rc = br_error_set(err, BR_ENOMEM, "out of memory reading %s", xmlin_label(x));
		goto out;
	}
	if ((rc = read_root(&p, h)) < 0)
		goto out;
	if (!xmlin_is_empty(x)) {
		while ((rc = next_child(&p, 1, ROOT)) > 0) {
			if ((rc = read_record(&p)) < 0)
				goto out;
			if (h->signal && (rc = h->signal(h->ctx, p.s, err)) < 0)
				goto out;
		}
		if (rc < 0)
			goto out;
	}
	/* The end of the document: libxml2 reports late schema errors here. */
	if ((rc = xmlin_read(x, err)) > 0)
		rc = xmlin_fail(x, err, "content after the end of <%s>", ROOT);
out:
	free(p.s);
	return rc;
}

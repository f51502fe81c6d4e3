/*
 * polis.c — streaming parser for income deliveries from the
 * Polisadministratie (formats.md §2); the format and the contract are in
 * polis.h.
 *
 * A small state machine over xmlin_read(): depth 1 is <Inkomstenlevering>,
 * depth 2 an <Inkomstenopgave>, whose children are read one by one into a
 * single struct polis_record that goes to the handler at its end tag and is
 * cleared before the next.  Memory stays that one struct whatever the size
 * of the file.
 *
 * The XSD validates while we stream, but libxml2 may report a violation a
 * few nodes after we have seen the data, and fuzz targets run without a
 * schema.  So the parser relies on nothing the schema promises: element
 * order, required elements, lengths and values are checked here too, and
 * no field is read before it was filled.
 */
#include "polis.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bsn.h"
#include "date.h"
#include "money.h"
#include "banned.h"

#define ROOT "Inkomstenlevering"
#define RECORD "Inkomstenopgave"
#define NS NS_POLIS
#define VALUE_MAX 256 /* typed values (dates, numbers, codes) incl. whitespace */

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
	RF_OPGAVE_ID, RF_VERVANGT, RF_INTREKKING, RF_BSN, RF_LHNR, RF_NUMIV, RF_SOORT,
	RF_DAT_AANV, RF_DAT_EIND, RF_LN_LB_PH, RF_VAK_BSL, RF_EXTR_PER_SAL, RF_OPN_AVWB,
	RF_WRD_PR_GEBR_AUT, RF_ING_LB_PH, RF_BIJDR_ZVW, RF_PR_WGA_WHK_WN,
	RF_IND_HEFFINGSKORTING, RF_AANT_VERL_U, RF_TAG, RF_COUNT
};

static const struct field record_fields[RF_COUNT] = {
	[RF_OPGAVE_ID] = { "OpgaveId", F_REQ },
	[RF_VERVANGT] = { "Vervangt", 0 },
	[RF_INTREKKING] = { "Intrekking", 0 },
	[RF_BSN] = { "BSN", F_REQ },
	[RF_LHNR] = { "LhNr", F_REQ },
	[RF_NUMIV] = { "NumIV", F_REQ },
	[RF_SOORT] = { "Inkomstensoort", F_REQ },
	[RF_DAT_AANV] = { "DatAanvTv", F_REQ },
	[RF_DAT_EIND] = { "DatEindTv", F_REQ },
	[RF_LN_LB_PH] = { "LnLbPh", F_REQ },
	[RF_VAK_BSL] = { "VakBsl", F_REQ },
	[RF_EXTR_PER_SAL] = { "ExtrPerSal", F_REQ },
	[RF_OPN_AVWB] = { "OpnAvwb", F_REQ },
	[RF_WRD_PR_GEBR_AUT] = { "WrdPrGebrAut", F_REQ },
	[RF_ING_LB_PH] = { "IngLbPh", F_REQ },
	[RF_BIJDR_ZVW] = { "BijdrZvw", F_REQ },
	[RF_PR_WGA_WHK_WN] = { "PrWgaWhkWn", F_REQ },
	[RF_IND_HEFFINGSKORTING] = { "IndHeffingskorting", F_REQ },
	[RF_AANT_VERL_U] = { "AantVerlU", 0 },
	[RF_TAG] = { "Tag", F_REPEAT },
};

static const char *const soorten[] = { "ARBEID", "UITKERING", "PENSIOEN", "OVERIG", NULL };

/* In the order of enum polis_tag's bits. */
static const char *const tags[] = {
	"NIEUWE_IKV", "CORRECTIE", "LOON_IN_NATURA", "BEREKEN_VT_EN_EPS", NULL
};

/* What one parse works on; `ctx` ends every message ("Inkomstenopgave X"). */
struct parse {
	struct xmlin *x;
	struct br_error *err;
	struct polis_record *r;
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

/* Printable ASCII without spaces ([!-~]): ids and references. */
static int is_token(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < '!' || s[i] > '~')
			return 0;
	return len > 0;
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

/* Income amounts may be negative (a correction can pay back). */
static int get_amount(struct parse *p, const char *s, size_t len, const char *what, int64_t *out)
{
	struct br_error e;

	br_error_clear(&e);
	if (money_parse(out, s, len, &e) < 0)
		return xmlin_fail(p->x, p->err, "%s (%s, %s)", e.msg, what, p->ctx);
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

/* xs:boolean: true, false, 1 or 0 (after whitespace collapse). */
static int get_bool(struct parse *p, char *s, size_t len, const char *what, int *out)
{
	char shown[40];

	s = trim(s, &len);
	if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
		*out = 1;
	else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
		*out = 0;
	else
		return xmlin_fail(p->x, p->err, "'%s' is not true or false (%s, %s)",
				  show(shown, s), what, p->ctx);
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

/* Ids and references: 1 to POLIS_ID_MAX printable characters, no spaces. */
static int get_id(struct parse *p, char *out, size_t cap, const char *what)
{
	size_t len = 0;
	int rc;

	if ((rc = xmlin_text(p->x, out, cap, &len, p->err)) < 0)
		return rc;
	if (!is_token(out, len))
		return xmlin_fail(p->x, p->err, "%s must be 1 to %zu characters without spaces (%s)",
				  what, cap - 1, p->ctx);
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

static int record_child(struct parse *p, int f, const char *el)
{
	struct polis_record *r = p->r;
	char v[VALUE_MAX], a[DATE_FMT_MAX], b[DATE_FMT_MAX];
	size_t len = 0;
	int rc, i = 0;

	switch (f) {
	case RF_OPGAVE_ID:
		if ((rc = get_id(p, r->opgave_id, sizeof(r->opgave_id), el)) < 0)
			return rc;
		snprintf(p->ctx, sizeof(p->ctx), "%s %s", RECORD, r->opgave_id);
		return 0;
	case RF_VERVANGT:
		return get_id(p, r->vervangt, sizeof(r->vervangt), el);
	case RF_LHNR:
		/* Loonheffingennummer: 9 digits, 'L', 2 digits. */
		if ((rc = xmlin_text(p->x, r->lhnr, sizeof(r->lhnr), &len, p->err)) < 0)
			return rc;
		if (len != 12 || !all_of(r->lhnr, 9, DIGITS) || r->lhnr[9] != 'L' ||
		    !all_of(r->lhnr + 10, 2, DIGITS))
			return xmlin_fail(p->x, p->err,
					  "%s '%s' is not a loonheffingennummer (9 digits, L, 2 digits) (%s)",
					  el, show(v, r->lhnr), p->ctx);
		return 0;
	default:
		break;
	}

	/* The rest are simple values. */
	if ((rc = xmlin_text(p->x, v, sizeof(v), &len, p->err)) < 0)
		return rc;
	switch (f) {
	case RF_INTREKKING:
		return get_bool(p, v, len, el, &r->intrekking);
	case RF_BSN:
		return get_bsn(p, v, len, el, r->bsn);
	case RF_NUMIV:
		return get_int(p, v, len, el, 0, 9999, &r->numiv);
	case RF_SOORT:
		if ((rc = get_code(p, v, el, soorten, &i)) < 0)
			return rc;
		snprintf(r->soort, sizeof(r->soort), "%s", soorten[i]);
		return 0;
	case RF_DAT_AANV:
		return get_date(p, v, len, el, &r->dat_aanv_tv);
	case RF_DAT_EIND:
		if ((rc = get_date(p, v, len, el, &r->dat_eind_tv)) < 0)
			return rc;
		/* formats.md "Common rules": the period includes both days. */
		if (r->dat_eind_tv < r->dat_aanv_tv)
			return xmlin_fail(p->x, p->err, "<DatEindTv> %s is before <DatAanvTv> %s (%s)",
					  date_format(b, r->dat_eind_tv),
					  date_format(a, r->dat_aanv_tv), p->ctx);
		return 0;
	case RF_LN_LB_PH:
		return get_amount(p, v, len, el, &r->ln_lb_ph_cents);
	case RF_VAK_BSL:
		return get_amount(p, v, len, el, &r->vak_bsl_cents);
	case RF_EXTR_PER_SAL:
		return get_amount(p, v, len, el, &r->extr_per_sal_cents);
	case RF_OPN_AVWB:
		return get_amount(p, v, len, el, &r->opn_avwb_cents);
	case RF_WRD_PR_GEBR_AUT:
		return get_amount(p, v, len, el, &r->wrd_pr_gebr_aut_cents);
	case RF_ING_LB_PH:
		return get_amount(p, v, len, el, &r->ing_lb_ph_cents);
	case RF_BIJDR_ZVW:
		return get_amount(p, v, len, el, &r->bijdr_zvw_cents);
	case RF_PR_WGA_WHK_WN:
		return get_amount(p, v, len, el, &r->pr_wga_whk_wn_cents);
	case RF_IND_HEFFINGSKORTING:
		return get_bool(p, v, len, el, &r->ind_heffingskorting);
	case RF_AANT_VERL_U:
		return get_int(p, v, len, el, 0, 99999, &r->aant_verl_u);
	case RF_TAG:
	default:
		if ((rc = get_code(p, v, el, tags, &i)) < 0)
			return rc;
		/* At most one of each: the schema's maxOccurs is the number of tags. */
		if (r->tags & (1u << i))
			return xmlin_fail(p->x, p->err, "%s %s appears twice (%s)", el, tags[i], p->ctx);
		r->tags |= 1u << i;
		return 0;
	}
}

static int read_record(struct parse *p)
{
	struct polis_record *r = p->r;

	/* Nothing of the previous record may leak into this one. */
	memset(r, 0, sizeof(*r));
	r->line = xmlin_line(p->x);
	r->aant_verl_u = -1;
	snprintf(p->ctx, sizeof(p->ctx), "%s at line %ld", RECORD, r->line);
	if (strcmp(xmlin_name(p->x), RECORD) != 0 || strcmp(xmlin_ns(p->x), NS) != 0)
		return xmlin_fail(p->x, p->err, "element <%.64s> is not expected in <%s>; expected <%s>",
				  xmlin_name(p->x), ROOT, RECORD);
	return read_group(p, record_fields, RF_COUNT, record_child);
}

/* ---- root --------------------------------------------------------------- */

static int read_root(struct parse *p, const struct polis_handler *h)
{
	struct levering_header hdr;
	struct br_error e;
	char v[VALUE_MAX], *s;
	size_t len;
	int rc;

	memset(&hdr, 0, sizeof(hdr));
	hdr.kind = LEVERING_INKOMEN;
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

int polis_parse(struct xmlin *x, const struct polis_handler *h, struct br_error *err)
{
	struct parse p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.x = x;
	p.err = err;
	if (!(p.r = malloc(sizeof(*p.r)))) {
		rc = br_error_set(err, BR_ENOMEM, "out of memory reading %s", xmlin_label(x));
		goto out;
	}
	if ((rc = read_root(&p, h)) < 0)
		goto out;
	if (!xmlin_is_empty(x)) {
		while ((rc = next_child(&p, 1, ROOT)) > 0) {
			if ((rc = read_record(&p)) < 0)
				goto out;
			if (h->record && (rc = h->record(h->ctx, p.r, err)) < 0)
				goto out;
		}
		if (rc < 0)
			goto out;
	}
	/* The end of the document: libxml2 reports late schema errors here. */
	if ((rc = xmlin_read(x, err)) > 0)
		rc = xmlin_fail(x, err, "content after the end of <%s>", ROOT);
out:
	free(p.r);
	return rc;
}

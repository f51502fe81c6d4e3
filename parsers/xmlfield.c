/*
 * xmlfield.c — element walking and typed values for the record-oriented
 * parsers; the contract is in xmlfield.h.
 */
#include "xmlfield.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bsn.h"
#include "date.h"
#include "money.h"
#include "banned.h"

void xmlfield_init(struct xmlfield *f, struct xmlin *x, const char *ns, struct br_error *err)
{
	memset(f, 0, sizeof(*f));
	f->x = x;
	f->err = err;
	f->ns = ns;
}

void xmlfield_copy(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Append `src` at ctx[*n], cut to fit. */
static void ctx_append(struct xmlfield *f, size_t *n, const char *src)
{
	xmlfield_copy(f->ctx + *n, sizeof(f->ctx) - *n, src);
	*n += strlen(f->ctx + *n);
}

void xmlfield_ctx(struct xmlfield *f, const char *record, const char *id)
{
	size_t n = 0;

	ctx_append(f, &n, record);
	ctx_append(f, &n, " ");
	ctx_append(f, &n, id);
}

/* ctx = "<record> op regel <line>" (xmlin_line() is never negative);
 * without snprintf: this runs for every record of a file. */
static void ctx_at_line(struct xmlfield *f, const char *record, long line)
{
	char digits[24];
	size_t n = sizeof(digits) - 1, at = 0;
	unsigned long v = line > 0 ? (unsigned long)line : 0;

	digits[n] = '\0';
	do
		digits[--n] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	ctx_append(f, &at, record);
	ctx_append(f, &at, " op regel ");
	ctx_append(f, &at, digits + n);
}

/* ---- small checks ------------------------------------------------------- */

static int is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static unsigned class_of(char c)
{
	if (c >= '0' && c <= '9')
		return XMLFIELD_DIGIT;
	if (c >= 'A' && c <= 'Z')
		return XMLFIELD_UPPER;
	if (c >= 'a' && c <= 'z')
		return XMLFIELD_LOWER;
	switch (c) {
	case '-': return XMLFIELD_DASH;
	case '_': return XMLFIELD_UNDERSCORE;
	case '.': return XMLFIELD_DOT;
	default: return 0;
	}
}

int xmlfield_all_of(const char *s, size_t len, unsigned classes)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!(class_of(s[i]) & classes))
			return 0;
	return 1;
}

int xmlfield_is_token(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] < '!' || s[i] > '~')
			return 0;
	return len > 0;
}

size_t xmlfield_utf8_chars(const char *s, size_t len)
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

char *xmlfield_trim(char *s, size_t *len)
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

const char *xmlfield_show(char out[XMLFIELD_SHOW_MAX], const char *s)
{
	size_t i, n = 0;

	for (i = 0; s[i] && n < 32; i++)
		out[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (s[i])
		out[n++] = '.', out[n++] = '.', out[n++] = '.';
	out[n] = '\0';
	return out;
}

/* ---- typed values -------------------------------------------------------- */

int xmlfield_get_date(struct xmlfield *f, char *s, size_t len, const char *what, int32_t *out)
{
	struct br_error e;

	br_error_clear(&e);
	s = xmlfield_trim(s, &len);
	if (date_parse(out, s, len, &e) < 0)
		return xmlin_fail(f->x, f->err, "%s (%s, %s)", e.msg, what, f->ctx);
	return 0;
}

int xmlfield_get_amount(struct xmlfield *f, const char *s, size_t len, const char *what,
			int64_t *out)
{
	struct br_error e;

	br_error_clear(&e);
	if (money_parse(out, s, len, &e) < 0)
		return xmlin_fail(f->x, f->err, "%s (%s, %s)", e.msg, what, f->ctx);
	return 0;
}

int xmlfield_get_int(struct xmlfield *f, char *s, size_t len, const char *what, long min,
		     long max, int *out)
{
	char shown[XMLFIELD_SHOW_MAX], *end = NULL;
	long v;

	s = xmlfield_trim(s, &len);
	errno = 0;
	if (len == 0 || len > 9 || !xmlfield_all_of(s, len, XMLFIELD_DIGIT) ||
	    (v = strtol(s, &end, 10), errno != 0) || end != s + len || v < min || v > max)
		return xmlin_fail(f->x, f->err, "'%s' is geen geheel getal van %ld tot en met %ld (%s, %s)",
				  xmlfield_show(shown, s), min, max, what, f->ctx);
	*out = (int)v;
	return 0;
}

int xmlfield_get_bool(struct xmlfield *f, char *s, size_t len, const char *what, int *out)
{
	char shown[XMLFIELD_SHOW_MAX];

	s = xmlfield_trim(s, &len);
	if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
		*out = 1;
	else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
		*out = 0;
	else
		return xmlin_fail(f->x, f->err, "'%s' is niet true of false (%s, %s)",
				  xmlfield_show(shown, s), what, f->ctx);
	return 0;
}

int xmlfield_get_code(struct xmlfield *f, const char *s, const char *what,
		      const char *const *vals, int *out)
{
	char shown[XMLFIELD_SHOW_MAX], list[160];
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
	return xmlin_fail(f->x, f->err, "'%s' is niet een van %s (%s, %s)", xmlfield_show(shown, s),
			  list, what, f->ctx);
}

int xmlfield_get_bsn(struct xmlfield *f, const char *s, size_t len, const char *what,
		     char out[10])
{
	char masked[BSN_LEN + 1];

	if (len != BSN_LEN || !xmlfield_all_of(s, len, XMLFIELD_DIGIT))
		return xmlin_fail(f->x, f->err, "BSN %s heeft geen 9 cijfers (%s, %s)",
				  bsn_mask(masked, s), what, f->ctx);
	if (!bsn_valid(s, len))
		return xmlin_fail(f->x, f->err, "BSN %s voldoet niet aan de elfproef (%s, %s)",
				  bsn_mask(masked, s), what, f->ctx);
	memcpy(out, s, BSN_LEN + 1);
	return 0;
}

int xmlfield_check_text(struct xmlfield *f, const char *s, size_t len, size_t max,
			const char *what)
{
	if (is_blank(s, len))
		return xmlin_fail(f->x, f->err, "%s is leeg (%s)", what, f->ctx);
	if (xmlfield_utf8_chars(s, len) > max)
		return xmlin_fail(f->x, f->err, "%s is langer dan %zu tekens (%s)", what, max,
				  f->ctx);
	return 0;
}

int xmlfield_check_period(struct xmlfield *f, const char *end_what, int32_t end,
			  const char *begin_what, int32_t begin)
{
	char a[DATE_FMT_MAX], b[DATE_FMT_MAX];

	if (end < begin)
		return xmlin_fail(f->x, f->err, "%s %s ligt vóór %s %s (%s)", end_what,
				  date_format(b, end), begin_what, date_format(a, begin), f->ctx);
	return 0;
}

/* ---- elements ------------------------------------------------------------ */

int xmlfield_get_id(struct xmlfield *f, char *out, size_t cap, const char *what)
{
	size_t len = 0;
	int rc;

	if ((rc = xmlin_text(f->x, out, cap, &len, f->err)) < 0)
		return rc;
	if (!xmlfield_is_token(out, len))
		return xmlin_fail(f->x, f->err, "%s moet 1 tot en met %zu tekens zonder spaties hebben (%s)",
				  what, cap - 1, f->ctx);
	return 0;
}

int xmlfield_get_attr(struct xmlfield *f, const char *el, const char *name, int required,
		      char *buf, size_t cap, size_t *len)
{
	const char *v = xmlin_attr(f->x, name);

	buf[0] = '\0';
	*len = 0;
	if (!v) {
		if (!required)
			return 0;
		return xmlin_fail(f->x, f->err, "attribuut %s van %s ontbreekt (%s)", name, el,
				  f->ctx);
	}
	*len = strlen(v);
	if (*len >= cap)
		return xmlin_fail(f->x, f->err, "attribuut %s van %s is langer dan %zu bytes (%s)",
				  name, el, cap - 1, f->ctx);
	memcpy(buf, v, *len + 1);
	return 1;
}

int xmlfield_end_of_empty(struct xmlfield *f, const char *el)
{
	char buf[64];
	size_t len = 0;
	int rc;

	if ((rc = xmlin_text(f->x, buf, sizeof(buf), &len, f->err)) < 0)
		return rc;
	if (len)
		return xmlin_fail(f->x, f->err, "%s moet leeg zijn (%s)", el, f->ctx);
	return 0;
}

/*
 * Next child element of the element at `depth`: 1 positioned on its start
 * tag, 0 at the parent's end tag, or an error.  Children are consumed
 * whole by their readers, so anything else here is misplaced content.
 */
static int next_child(struct xmlfield *f, int depth, const char *parent)
{
	int rc;

	for (;;) {
		if ((rc = xmlin_read(f->x, f->err)) < 0)
			return rc;
		if (rc == 0)
			return xmlin_fail(f->x, f->err, "het bestand houdt op binnen <%s>", parent);
		switch (xmlin_type(f->x)) {
		case XMLIN_START:
			if (xmlin_depth(f->x) == depth + 1)
				return 1;
			return xmlin_fail(f->x, f->err, "element <%s> staat op een verkeerde plaats in <%s>",
					  xmlin_name(f->x), parent);
		case XMLIN_END:
			if (xmlin_depth(f->x) == depth)
				return 0;
			break;
		case XMLIN_TEXT:
			return xmlin_fail(f->x, f->err, "<%s> heeft tekst tussen zijn elementen", parent);
		case XMLIN_OTHER:
		default:
			break;
		}
	}
}

/* Where a group's children have got to (formats.md "Element order is as
 * listed"). */
struct seq {
	const struct xmlfield_field *fields;
	int n;
	int last;      /* index of the last field seen, -1 before the first */
	unsigned seen; /* bit per field index */
};

/*
 * Place the current start tag in the sequence: known, in order, not
 * repeated unless 0..n, and no required element skipped.  Returns the
 * field index.
 */
static int seq_next(struct xmlfield *f, struct seq *s, const char *parent)
{
	const char *name = xmlin_name(f->x);
	int i, k, fi = -1, from = s->last < 0 ? 0 : s->last;

	/* Names are unique in a sequence, and elements come in order: look
	 * from the last one seen on, then wrap around. */
	if (strcmp(xmlin_ns(f->x), f->ns) == 0)
		for (k = 0; k < s->n && fi < 0; k++) {
			i = (from + k) % s->n;
			if (strcmp(name, s->fields[i].name) == 0)
				fi = i;
		}
	if (fi < 0)
		return xmlin_fail(f->x, f->err, "element <%.64s> hoort niet in <%s> (%s)", name,
				  parent, f->ctx);
	if (fi == s->last && !(s->fields[fi].flags & XMLFIELD_REPEAT))
		return xmlin_fail(f->x, f->err, "<%s> komt twee keer voor in <%s> (%s)", name, parent,
				  f->ctx);
	if (fi < s->last)
		return xmlin_fail(f->x, f->err, "<%s> moet vóór <%s> staan in <%s> (%s)", name,
				  s->fields[s->last].name, parent, f->ctx);
	for (i = s->last + 1; i < fi; i++)
		if ((s->fields[i].flags & XMLFIELD_REQ) && !(s->seen & (1u << i)))
			return xmlin_fail(f->x, f->err, "<%s> ontbreekt vóór <%s> in <%s> (%s)",
					  s->fields[i].name, name, parent, f->ctx);
	s->seen |= 1u << fi;
	s->last = fi;
	return fi;
}

static int seq_finish(struct xmlfield *f, const struct seq *s, const char *parent)
{
	int i;

	for (i = s->last + 1; i < s->n; i++)
		if ((s->fields[i].flags & XMLFIELD_REQ) && !(s->seen & (1u << i)))
			return xmlin_fail(f->x, f->err, "<%s> ontbreekt in <%s> (%s)", s->fields[i].name,
					  parent, f->ctx);
	return 0;
}

int xmlfield_read_group(struct xmlfield *f, const struct xmlfield_field *fields, int n,
			xmlfield_child_fn child, void *arg)
{
	struct seq s = { fields, n, -1, 0 };
	char parent[32];
	int depth = xmlin_depth(f->x);
	int rc = 0, fi;

	xmlfield_copy(parent, sizeof(parent), xmlin_name(f->x));
	if (!xmlin_is_empty(f->x)) {
		while ((rc = next_child(f, depth, parent)) > 0) {
			if ((rc = seq_next(f, &s, parent)) < 0)
				goto out;
			fi = rc;
			if ((rc = child(arg, fi, fields[fi].tag)) < 0)
				goto out;
		}
		if (rc < 0)
			goto out;
	}
	rc = seq_finish(f, &s, parent);
out:
	return rc;
}

/* ---- the delivery -------------------------------------------------------- */

int xmlfield_root(struct xmlfield *f, const char *root, enum levering_kind kind,
		  struct levering_header *hdr)
{
	char el[40];
	size_t len;
	int rc;

	memset(hdr, 0, sizeof(*hdr));
	hdr->kind = kind;
	hdr->peildatum = DATE_NONE;
	if ((rc = xmlin_read(f->x, f->err)) < 0)
		return rc;
	if (rc == 0 || xmlin_type(f->x) != XMLIN_START)
		return xmlin_fail(f->x, f->err, "het bestand heeft geen rootelement; verwacht <%s>", root);
	if (strcmp(xmlin_name(f->x), root) != 0 || strcmp(xmlin_ns(f->x), f->ns) != 0)
		return xmlin_fail(f->x, f->err,
				  "het rootelement is <%.64s> in namespace '%.100s'; verwacht <%s> in namespace '%s'",
				  xmlin_name(f->x), xmlin_ns(f->x), root, f->ns);
	xmlfield_copy(f->ctx, sizeof(f->ctx), "rootelement");
	/* formats.md §4: leveringId identifies the delivery. */
	snprintf(el, sizeof(el), "<%s>", root);
	if ((rc = xmlfield_get_attr(f, el, "leveringId", 1, hdr->levering_id,
				    sizeof(hdr->levering_id), &len)) < 0)
		return rc;
	if (!xmlfield_is_token(hdr->levering_id, len))
		return xmlin_fail(f->x, f->err,
				  "attribuut leveringId van <%s> moet 1 tot en met %d leesbare tekens zonder spaties hebben",
				  root, LEVERING_ID_MAX);
	return 0;
}

int xmlfield_aanmaakdatum(struct xmlfield *f, const char *root, int64_t *out)
{
	struct br_error e;
	char el[40], v[256], *s;
	size_t len;
	int rc;

	snprintf(el, sizeof(el), "<%s>", root);
	if ((rc = xmlfield_get_attr(f, el, "aanmaakdatum", 1, v, sizeof(v), &len)) < 0)
		return rc;
	s = xmlfield_trim(v, &len);
	br_error_clear(&e);
	if (timestamp_parse(out, s, len, &e) < 0)
		return xmlin_fail(f->x, f->err, "%s (aanmaakdatum van <%s>)", e.msg, root);
	return 0;
}

int xmlfield_read_records(struct xmlfield *f, const char *root, const char *record,
			  int (*read)(void *arg), void *arg)
{
	int rc = 0;

	if (!xmlin_is_empty(f->x)) {
		while ((rc = next_child(f, 1, root)) > 0) {
			if (strcmp(xmlin_name(f->x), record) != 0 ||
			    strcmp(xmlin_ns(f->x), f->ns) != 0)
				return xmlin_fail(f->x, f->err,
						  "element <%.64s> hoort niet in <%s>; verwacht <%s>",
						  xmlin_name(f->x), root, record);
			ctx_at_line(f, record, xmlin_line(f->x));
			if ((rc = read(arg)) < 0)
				return rc;
		}
		if (rc < 0)
			return rc;
	}
	/* The end of the document: libxml2 reports late schema errors here. */
	f->ctx[0] = '\0';
	if ((rc = xmlin_read(f->x, f->err)) > 0)
		rc = xmlin_fail(f->x, f->err, "inhoud na het einde van <%s>", root);
	return rc;
}

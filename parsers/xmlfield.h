/*
 * xmlfield.h — the fields of a record-oriented delivery: the element
 * walking and the typed value readers that the register, income and
 * signal parsers share (formats.md §1-§3, "Common rules").
 *
 * Those three formats have one shape: a root element in the format's
 * namespace whose attributes describe the delivery (formats.md §4), then
 * 0..n records whose children come in a fixed order ("Element order is as
 * listed"), each a simple value, a group of simple values, or an element
 * that carries only attributes.  A parser describes a group as a table of
 * `struct xmlfield_field`, lets xmlfield_read_group() place every child in
 * it, and reads the child's value in its callback with the readers below.
 *
 * The XSD validates while the file streams, but libxml2 may report a
 * violation a few nodes after the data was seen, and fuzz targets run
 * without a schema: nothing here relies on what the schema promises.
 *
 * Messages.  Every refusal is an xmlin_fail(): BR_EINPUT, the reader's
 * line, and a message in Dutch (an operator reads it in the quarantine
 * reason) that says what is wrong first, then where: `what`, the element
 * or attribute as the caller names it ("<BSN>", "peildatum van
 * <Clientregister>"), and the record context `ctx` ("Dossier
 * PW-0405-000123", "Signaal op regel 12", "rootelement") that the parser
 * keeps current.  Untrusted text appears only through xmlfield_show(), a
 * BSN only masked (bsn.h).  Unit tests and the intake corpus assert these
 * texts: change one only together with them.
 *
 * Ownership: a `struct xmlfield` borrows its reader and error context from
 * the parser, which owns both and keeps them alive while it reads.  Every
 * value reader writes into a caller-owned buffer; no function allocates.
 */
#ifndef BR_XMLFIELD_H
#define BR_XMLFIELD_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "levering.h"
#include "xmlin.h"

#define XMLFIELD_CTX_MAX 64  /* the record context, incl. NUL */
#define XMLFIELD_SHOW_MAX 40 /* xmlfield_show()'s buffer */

/* One parse of one file. */
struct xmlfield {
	struct xmlin *x;          /* borrowed: the reader */
	struct br_error *err;     /* borrowed: where a refusal goes */
	const char *ns;           /* the namespace every element is in (static) */
	char ctx[XMLFIELD_CTX_MAX]; /* ends every message, see above */
};

/* Set up `f` over `x` for elements in namespace `ns`; the context is "". */
void xmlfield_init(struct xmlfield *f, struct xmlin *x, const char *ns, struct br_error *err);

/* ctx = "<record> <id>", e.g. "Dossier PW-0405-000123" (cut to fit). */
void xmlfield_ctx(struct xmlfield *f, const char *record, const char *id);

/* ---- small checks (no messages) ------------------------------------------ */

/* Character classes for xmlfield_all_of() (ASCII only). */
#define XMLFIELD_DIGIT 1u      /* 0-9 */
#define XMLFIELD_UPPER 2u      /* A-Z */
#define XMLFIELD_LOWER 4u      /* a-z */
#define XMLFIELD_DASH 8u       /* - */
#define XMLFIELD_UNDERSCORE 16u /* _ */
#define XMLFIELD_DOT 32u       /* . */

/* Every one of the `len` bytes is in one of `classes` (a NUL is in none);
 * 1 for len 0. */
int xmlfield_all_of(const char *s, size_t len, unsigned classes);

/* The `len` bytes are printable ASCII without spaces, and there is at least
 * one ([!-~]+): ids, references, leveringId. */
int xmlfield_is_token(const char *s, size_t len);

/* Characters (not bytes) of valid UTF-8, as xs:maxLength counts them. */
size_t xmlfield_utf8_chars(const char *s, size_t len);

/*
 * xs:date, xs:dateTime, xs:int and xs:boolean collapse whitespace before
 * their facets apply, so the schema accepts " 2025-03-01 "; so do the
 * readers.  Cuts XML whitespace off both ends of `s` in place (writes a
 * NUL), updates *len and returns the start.
 */
char *xmlfield_trim(char *s, size_t *len);

/* Untrusted text for a message: printable ASCII (others as '?'), cut at
 * 32 bytes with "...".  Returns `out`. */
const char *xmlfield_show(char out[XMLFIELD_SHOW_MAX], const char *s);

/* snprintf(dst, cap, "%s", src) without the formatting machinery (these
 * copies run for every element of a file); cap > 0. */
void xmlfield_copy(char *dst, size_t cap, const char *src);

/* ---- typed values: each refuses with what is wrong, then where --------- */
/*
 * `s` is the text of the value (from xmlin_text() or an attribute),
 * NUL-terminated, `len` bytes; readers that trim it may change it.
 * 0 with *out set, or BR_EINPUT (*out unspecified).
 */

/* A calendar date YYYY-MM-DD (date.h), whitespace trimmed. */
int xmlfield_get_date(struct xmlfield *f, char *s, size_t len, const char *what, int32_t *out);

/* An amount with exactly two decimals, into cents (money.h); may be
 * negative.  Not trimmed: the schemas' amount patterns allow no spaces. */
int xmlfield_get_amount(struct xmlfield *f, const char *s, size_t len, const char *what,
			int64_t *out);

/* A whole number of at most 9 digits from min to max, whitespace trimmed;
 * no sign. */
int xmlfield_get_int(struct xmlfield *f, char *s, size_t len, const char *what, long min,
		     long max, int *out);

/* xs:boolean: true, false, 1 or 0 (whitespace trimmed), into 1 or 0. */
int xmlfield_get_bool(struct xmlfield *f, char *s, size_t len, const char *what, int *out);

/* The index of `s` in the NULL-terminated `vals` (exact match), or a
 * refusal that lists them. */
int xmlfield_get_code(struct xmlfield *f, const char *s, const char *what,
		      const char *const *vals, int *out);

/* A BSN: 9 digits passing the elfproef (bsn.h), copied with its NUL. */
int xmlfield_get_bsn(struct xmlfield *f, const char *s, size_t len, const char *what,
		     char out[10]);

/* Names and free text: not blank, at most `max` characters. */
int xmlfield_check_text(struct xmlfield *f, const char *s, size_t len, size_t max,
			const char *what);

/* `end` is not before `begin` (formats.md "Common rules": a period
 * includes both days); the two are named by `end_what` and `begin_what`. */
int xmlfield_check_period(struct xmlfield *f, const char *end_what, int32_t end,
			  const char *begin_what, int32_t begin);

/* ---- elements ------------------------------------------------------------ */

/*
 * At a start element with simple content: its text, an id or reference of
 * 1 to cap-1 printable characters without spaces, into `out`.  Refuses text
 * that does not fit (xmlin_text()'s words) or is not such a token.
 */
int xmlfield_get_id(struct xmlfield *f, char *out, size_t cap, const char *what);

/*
 * Attribute `name` of the current start element `el` ("<Vrijlating>"),
 * copied into `buf` (the reader's copy is borrowed and goes at the next
 * xmlin_* call) with its length in *len.  1 when copied; 0 when absent and
 * not `required` (buf is ""); BR_EINPUT when absent and required or longer
 * than cap-1 bytes.
 */
int xmlfield_get_attr(struct xmlfield *f, const char *el, const char *name, int required,
		      char *buf, size_t cap, size_t *len);

/* The current element `el` carries only attributes: it must have no
 * content.  Reads to its end tag. */
int xmlfield_end_of_empty(struct xmlfield *f, const char *el);

/* One element of a group: its local name, "<name>" for messages, flags. */
struct xmlfield_field {
	const char *name;
	const char *tag;
	unsigned flags;
};

#define XMLFIELD_REQ 1u    /* required */
#define XMLFIELD_REPEAT 2u /* 0..n; otherwise at most once */

/* A table entry: XMLFIELD("BSN", XMLFIELD_REQ). */
#define XMLFIELD(name, flags) { name, "<" name ">", flags }

/*
 * Reads the child at index `field` of the group, whose start tag is
 * current, up to and including its end tag; `el` is its "<name>".
 */
typedef int (*xmlfield_child_fn)(void *arg, int field, const char *el);

/*
 * Read the element the reader is on, a group of the n (at most 32)
 * `fields` in this order, to its end tag, calling `child` for each child.
 * Refused: an element not in the table or not in f->ns, one out of order
 * or repeated without XMLFIELD_REPEAT, a required one missing, text
 * between the children, and the file ending inside the group.
 */
int xmlfield_read_group(struct xmlfield *f, const struct xmlfield_field *fields, int n,
			xmlfield_child_fn child, void *arg);

/* ---- the delivery -------------------------------------------------------- */

/*
 * Read to the root start tag, which must be <root> in f->ns, and start
 * *hdr: `kind`, the root's leveringId (a token of 1 to LEVERING_ID_MAX
 * characters), peildatum DATE_NONE, the rest 0.  Sets ctx to
 * "rootelement".  The caller reads the format's other attributes next, then
 * xmlfield_aanmaakdatum().
 */
int xmlfield_root(struct xmlfield *f, const char *root, enum levering_kind kind,
		  struct levering_header *hdr);

/* The root's aanmaakdatum attribute (YYYY-MM-DDThh:mm:ss, date.h). */
int xmlfield_aanmaakdatum(struct xmlfield *f, const char *root, int64_t *out);

/*
 * After xmlfield_root(): every child of the root must be a <record> in
 * f->ns.  For each, ctx becomes "<record> op regel <line>" (until the
 * record's id is read, see xmlfield_ctx()) and `read` is called with its
 * start tag current; it reads the record to its end tag and hands it on.
 * Then the end of the document: nothing may follow the root, and libxml2
 * reports late schema errors there.
 */
int xmlfield_read_records(struct xmlfield *f, const char *root, const char *record,
			  int (*read)(void *arg), void *arg);

#endif

/*
 * xmlin.h — the one hardened, streaming XML reader every parser uses.
 *
 * Wraps libxml2's SAX2 push parser so that a file of any size is read in
 * bounded memory while it is validated against an XSD (formats.md "Common
 * rules", style.md "Memory"):
 *
 *  - gzip input is recognised by its magic bytes (1f 8b), whatever the
 *    name, and inflated as a stream; the decompressed size is capped, so a
 *    gzip bomb is refused when it crosses the cap, not followed; a gzip
 *    stream that ends early is an error ("truncated");
 *  - the file size and decompressed size are capped (max_bytes);
 *  - no DTD (a DOCTYPE is refused), hence no entities; no external
 *    entities, no XInclude, no network (XML_PARSE_NONET, no NOENT, no
 *    DTDLOAD, no XINCLUDE);
 *  - element depth and text node length are capped;
 *  - the namespace declarations and the attributes of one start tag are
 *    capped, counted in the bytes before libxml2 sees them: libxml2 checks
 *    each against all the others of its tag (100,000 declarations take
 *    seconds, as many attributes most of a minute);
 *  - the document must be UTF-8 (UTF-16 and other declared encodings are
 *    refused);
 *  - the first error libxml2 reports (well-formedness or schema validity)
 *    is kept with its line number, and reported in file order: after the
 *    nodes before it, with the node it concerns.
 *
 * The caller pulls nodes one at a time, as from xmlTextReader, but no tree
 * is built: libxml2 pushes a chunk's SAX events into a queue, the schema
 * validating them on the way, and the queue hands them out.
 *
 * Ownership: `struct xmlin` owns the parser, the queue and the input; every
 * string it returns is borrowed and valid until the next xmlin_read()/
 * xmlin_text()/xmlin_skip() call.  A `struct xmlin_schema` is shared, read-only, and
 * must outlive every reader that uses it.
 */
#ifndef BR_XMLIN_H
#define BR_XMLIN_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct xmlin_limits {
	uint64_t max_bytes; /* cap on the file and on its decompressed size */
	int max_depth;      /* deepest element allowed (root = 1) */
	size_t max_text;    /* longest text node, bytes */
	int max_ns;         /* namespace declarations on one element (0: default) */
	int max_attrs;      /* other attributes on one element (0: default) */
};

/* formats.md defaults: 1 GiB, depth 32, 64 KiB; 64 namespace declarations
 * and 256 attributes per element (the largest input declares 3 and has 4). */
#define XMLIN_MAX_NS 64
#define XMLIN_MAX_ATTRS 256
void xmlin_limits_default(struct xmlin_limits *out);

struct xmlin_schema;
struct xmlin;

/* Node types returned by xmlin_type(). */
enum xmlin_node { XMLIN_OTHER = 0, XMLIN_START, XMLIN_END, XMLIN_TEXT };

/* Load an XSD (no network, local includes only).  BR_ECONFIG on failure. */
int xmlin_schema_load(struct xmlin_schema **out, const char *xsd_path,
		      struct br_error *err);
void xmlin_schema_free(struct xmlin_schema *schema);

/*
 * Open `path` for streaming.  `schema` may be NULL (sniffing).  `label` is
 * the name used in messages (usually the file name) and is copied.
 * BR_EIO when the file cannot be opened, BR_EINPUT when it is over the cap.
 */
int xmlin_open(struct xmlin **out, const char *path, const char *label,
	       const struct xmlin_schema *schema, const struct xmlin_limits *lim,
	       struct br_error *err);

/* The same over a caller-owned buffer (fuzz targets, tests); `data` must
 * outlive the reader. */
int xmlin_open_memory(struct xmlin **out, const void *data, size_t len,
		      const char *label, const struct xmlin_schema *schema,
		      const struct xmlin_limits *lim, struct br_error *err);

/*
 * Advance to the next node.  Returns 1 when positioned on a node, 0 at the
 * end of a well-formed (and, with a schema, valid) document, or a negative
 * code with err filled (file and line set): BR_EINPUT for anything wrong
 * with the input, BR_ENOMEM.  Comments, processing instructions and
 * whitespace between elements are skipped.
 */
int xmlin_read(struct xmlin *x, struct br_error *err);

enum xmlin_node xmlin_type(const struct xmlin *x);
const char *xmlin_name(const struct xmlin *x);  /* local name, or "" */
const char *xmlin_ns(const struct xmlin *x);    /* namespace URI, or "" */
int xmlin_depth(const struct xmlin *x);         /* root element = 1 */
/* Bytes read from the file so far (as stored: compressed for a .gz), for
 * progress against the file's size. */
uint64_t xmlin_bytes_read(const struct xmlin *x);
int xmlin_is_empty(const struct xmlin *x);      /* <a/> */
long xmlin_line(const struct xmlin *x);
const char *xmlin_label(const struct xmlin *x);

/* Attribute of the current start element (no namespace), or NULL. */
const char *xmlin_attr(struct xmlin *x, const char *name);

/*
 * At a start element with simple content: read its text up to the matching
 * end element into `buf` (NUL-terminated, at most cap-1 bytes).  An empty
 * element gives "".  BR_EINPUT when the text does not fit ("text of <Naam>
 * is longer than 200 bytes") or the element has child elements.
 */
int xmlin_text(struct xmlin *x, char *buf, size_t cap, size_t *out_len,
	       struct br_error *err);

/* Skip the rest of the current element (its subtree). */
int xmlin_skip(struct xmlin *x, struct br_error *err);

/* At a start element that carries only attributes: read to its end.
 * BR_EINPUT ("<Norm> must be empty") when it holds text. */
int xmlin_end_empty(struct xmlin *x, struct br_error *err);

/* Record an input error at the reader's current line. */
int xmlin_fail(struct xmlin *x, struct br_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void xmlin_free(struct xmlin *x);

/* One-time libxml2 setup for the process (idempotent): no network, no
 * global error output.  Called by xmlin_open(). */
void xmlin_global_init(void);

#endif

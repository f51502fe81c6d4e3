/*
 * xmlin.c — hardened streaming XML input; see xmlin.h for the contract.
 *
 * Layers, bottom up:
 *   src    — bytes from a file descriptor or a buffer; gzip (by magic
 *            bytes) inflated with a cap; a prolog scanner that refuses a
 *            DOCTYPE before libxml2 ever sees it (so no entity of any kind
 *            is declared, let alone expanded: billion laughs and XXE have
 *            nothing to work with) and refuses UTF-16; a markup scanner
 *            that caps the namespace declarations and attributes of each
 *            start tag before libxml2 parses it (its duplicate checks are
 *            quadratic in their number);
 *   queue  — libxml2's SAX2 push parser over src, one chunk at a time, with
 *            an optional compiled XSD validating the same events on their
 *            way (libxml2's schema SAX plug); the events are queued and
 *            handed out one at a time, so parsers pull as from a reader,
 *            and the first error is queued in file order.  No tree is
 *            built: that is what makes this faster than xmlTextReader.
 */
#include "xmlin.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>
#include <zlib.h>

#include "mem.h"
#include "banned.h"

/* Bytes read, inflated and parsed at a time.  Tests build with a tiny one
 * (make XMLIN_CHUNK=N) to put a chunk boundary everywhere. */
#ifndef XMLIN_CHUNK
#define XMLIN_CHUNK 65536
#endif
#define SRC_CHUNK XMLIN_CHUNK

/* Prolog scanner states (formats.md: no DTDs). */
enum prolog_state {
	PS_TEXT = 0, PS_LT, PS_LT_BANG, PS_LT_BANG_DASH, PS_COMMENT,
	PS_COMMENT_DASH, PS_COMMENT_DASH_DASH, PS_PI, PS_PI_Q, PS_DONE
};

struct xmlin_src {
	int fd;                       /* -1 for memory input */
	const unsigned char *mem;     /* memory input, borrowed */
	size_t mem_len, mem_pos;
	int gzip;
	int z_ready;                  /* inflateInit2 done */
	int z_member_done;            /* last inflate returned Z_STREAM_END */
	int raw_eof;
	z_stream zs;
	unsigned char *inbuf;         /* SRC_CHUNK bytes, owned */
	unsigned char *outbuf;        /* SRC_CHUNK bytes of inflated data (gzip), owned */
	size_t in_have, in_pos;       /* pending raw bytes (non-gzip path) */
	uint64_t raw_total, out_total, max;
	enum prolog_state ps;
	uint64_t prolog_pos;          /* bytes of the prolog scanned so far */
	int first_bytes_checked;
	unsigned char head[2];        /* first two decompressed bytes */
	size_t head_n;
	/* the markup scanner (tag_scan): where it is, and in a start tag
	 * what it has counted */
	int ts;                       /* enum tag_state */
	int ts_run;                   /* '-' or ']' or '?' just seen, in a row */
	unsigned char ts_quote;       /* the quote of the value being read */
	int ts_tok;                   /* the current name against "xmlns" (TOK_*) */
	int ts_gap;                   /* white space after that name */
	int ts_in_elem;               /* the element's own name is being read */
	long ts_attrs, ts_ns;         /* '=' and namespace declarations seen */
	char ts_elem[64];             /* the element's name, cut, for messages */
	size_t ts_elem_len;
	long ts_line;                 /* line at the start of the chunk (from 1) */
	long ts_tag_line;             /* line of the '<' of a tag begun in an earlier chunk */
	long max_ns, max_attrs;
	long fail_line;               /* where the scanner refused, or 0 */
	char fail[256];               /* first problem found in this layer */
	int io_error;                 /* ... and it is the disk's fault, not the file's */
};

struct xmlin_schema {
	xmlSchemaPtr schema;
};

/* A queued SAX event (see "queue" below). */
#define XMLIN_EV_ERROR 8              /* the first error, where it arose */
struct xmlin_ev {
	uint64_t pos;                 /* parser's input offset when queued */
	long line;                    /* libxml2's line: where the construct ends */
	const char *name, *ns;        /* local name, namespace URI: libxml2's (q_name), */
	size_t name_at, ns_at;        /* ... or, when NULL, copies at these arena offsets */
	size_t data, len;             /* TEXT: arena offset and length of the text;
	                               * START: attribute pairs and their count */
	int depth;                    /* root element = 1 */
	unsigned char type;           /* enum xmlin_node or XMLIN_EV_ERROR */
	unsigned char empty;          /* START: <a/> (no END follows) */
	unsigned char blank;          /* TEXT: whitespace only */
};

struct xmlin {
	struct xmlin_src src;
	struct xmlin_limits lim;
	char label[BR_ERROR_FILE_MAX];
	/* libxml2: parser, and the validator plugged into its SAX stream */
	xmlParserCtxtPtr ctxt;
	xmlSAXHandler sax;
	xmlSAXHandlerPtr sax_ptr;     /* &sax, or the schema plug's handler */
	void *user_ptr;               /* this, or the schema plug */
	xmlSchemaValidCtxtPtr vctxt;
	xmlSchemaSAXPlugPtr plug;
	int depth;                    /* of the element being parsed */
	long *start_line;             /* [depth]: line of each open element's start tag */
	int empty_depth;              /* an empty-element tag is open at this depth */
	/* the queue, owned */
	struct xmlin_ev *ev;
	size_t n_ev, cap_ev, head;    /* events [head, n_ev) are not pulled yet */
	long cur;                     /* the current event, or -1 */
	char *arena;
	size_t arena_len, arena_cap;
	/* a text node that is whitespace so far (sax_text): its bytes end the
	 * arena, but it is queued only when a piece that is not follows */
	int blank_open;
	size_t blank_data, blank_len;
	uint64_t blank_pos;
	long blank_line;
	int q_nomem;                  /* our own allocation failed */
	int done;                     /* nothing more will be parsed */
	int failed;                   /* an error was reported */
	/* the first error */
	int err_set;
	int err_nomem;                /* ... and it was libxml2 running out of memory */
	char err_msg[300];
	long err_line;
};

static int global_ready;

static void silent_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void silent_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

/* Only local files may be loaded (an XSD's own includes); never the
 * network, never anything a document asks for. */
static xmlParserInputPtr local_only_loader(const char *url, const char *id,
					   xmlParserCtxtPtr ctxt)
{
	(void)id;
	if (!url || strstr(url, "://")) {
		if (!url || strncmp(url, "file://", 7) != 0)
			return NULL;
	}
	return xmlNewInputFromFile(ctxt, url);
}

void xmlin_global_init(void)
{
	if (global_ready)
		return;
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, silent_generic);
	xmlSetStructuredErrorFunc(NULL, silent_structured);
	xmlSetExternalEntityLoader(local_only_loader);
	global_ready = 1;
}

void xmlin_limits_default(struct xmlin_limits *out)
{
	out->max_bytes = (uint64_t)1024 * 1024 * 1024; /* max_bestand_mb = 1024 */
	out->max_depth = 32;
	out->max_text = 64 * 1024;
	out->max_ns = XMLIN_MAX_NS;
	out->max_attrs = XMLIN_MAX_ATTRS;
}

/* ---- schema ---------------------------------------------------------- */

struct schema_err {
	char msg[300];
	int set;
};

static void schema_parse_error(void *ctx, xmlErrorPtr e)
{
	struct schema_err *se = ctx;

	if (se->set || !e || e->level < XML_ERR_ERROR)
		return;
	snprintf(se->msg, sizeof(se->msg), "%s regel %d: %s", e->file ? e->file : "?",
		 e->line, e->message ? e->message : "fout");
	se->msg[strcspn(se->msg, "\n")] = '\0';
	se->set = 1;
}

int xmlin_schema_load(struct xmlin_schema **out, const char *xsd_path,
		      struct br_error *err)
{
	xmlSchemaParserCtxtPtr pctx = NULL;
	struct xmlin_schema *s = NULL;
	struct schema_err se = { "", 0 };
	int rc = 0;

	*out = NULL;
	xmlin_global_init();
	if (!(s = calloc(1, sizeof(*s)))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het laden van schema %s", xsd_path);
		goto out;
	}
	if (!(pctx = xmlSchemaNewParserCtxt(xsd_path))) {
		rc = br_error_set(err, BR_ECONFIG, "schema %s kan niet worden gelezen", xsd_path);
		goto out;
	}
	xmlSchemaSetParserStructuredErrors(pctx, schema_parse_error, &se);
	if (!(s->schema = xmlSchemaParse(pctx))) {
		rc = br_error_set(err, BR_ECONFIG, "schema %s is onbruikbaar: %s", xsd_path,
				  se.set ? se.msg : "inlezen mislukt");
		goto out;
	}
	*out = s;
	s = NULL;
out:
	if (pctx)
		xmlSchemaFreeParserCtxt(pctx);
	xmlin_schema_free(s);
	return rc;
}

void xmlin_schema_free(struct xmlin_schema *schema)
{
	if (!schema)
		return;
	if (schema->schema)
		xmlSchemaFree(schema->schema);
	free(schema);
}

/* ---- src: bytes, gzip, prolog ------------------------------------------ */

static int src_fail(struct xmlin_src *s, const char *msg)
{
	if (!s->fail[0])
		snprintf(s->fail, sizeof(s->fail), "%s", msg);
	return -1;
}

/* Raw bytes from the fd or the buffer; 0 at end, -1 on error. */
static long src_raw(struct xmlin_src *s, unsigned char *buf, size_t len)
{
	ssize_t n;

	if (s->fd < 0) {
		size_t left = s->mem_len - s->mem_pos;
		if (len > left)
			len = left;
		memcpy(buf, s->mem + s->mem_pos, len);
		s->mem_pos += len;
		n = (ssize_t)len;
	} else {
		do
			n = read(s->fd, buf, len);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			char m[200];
			snprintf(m, sizeof(m), "leesfout: %s", strerror(errno));
			s->io_error = 1;
			return src_fail(s, m);
		}
	}
	s->raw_total += (uint64_t)n;
	if (s->raw_total > s->max) {
		char m[200];
		snprintf(m, sizeof(m), "het bestand is groter dan de grens van %llu MiB (max_bestand_mb)",
			 (unsigned long long)(s->max >> 20));
		return src_fail(s, m);
	}
	return (long)n;
}

/*
 * formats.md "Common rules": no DTDs.  Scan the prolog (everything before
 * the root element's '<'): an XML declaration, comments, PIs and
 * whitespace are fine; '<!' that does not open a comment is a DOCTYPE.
 */
static int src_scan_prolog(struct xmlin_src *s, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && s->ps != PS_DONE; i++, s->prolog_pos++) {
		unsigned char c = p[i];
		switch (s->ps) {
		case PS_TEXT:
			/* Between prolog items only whitespace (and a UTF-8 BOM
			 * at the very start) may stand: anything else is not XML. */
			if (c == '<')
				s->ps = PS_LT;
			else if (c != ' ' && c != '\t' && c != '\r' && c != '\n' &&
				 !(s->prolog_pos < 3 && c == (unsigned char)"\xEF\xBB\xBF"[s->prolog_pos]))
				return src_fail(s, "het bestand is geen XML: het begint niet met '<' (tekst of binaire gegevens)");
			break;
		case PS_LT:
			if (c == '!')
				s->ps = PS_LT_BANG;
			else if (c == '?')
				s->ps = PS_PI;
			else
				s->ps = PS_DONE;
			break;
		case PS_LT_BANG:
			if (c != '-')
				return src_fail(s, "het bestand heeft een DOCTYPE: DTD's en entiteitdeclaraties zijn niet toegestaan");
			s->ps = PS_LT_BANG_DASH;
			break;
		case PS_LT_BANG_DASH:
			if (c != '-')
				return src_fail(s, "het bestand heeft een DOCTYPE of andere declaratie vóór het rootelement: niet toegestaan");
			s->ps = PS_COMMENT;
			break;
		case PS_COMMENT:
			if (c == '-')
				s->ps = PS_COMMENT_DASH;
			break;
		case PS_COMMENT_DASH:
			s->ps = c == '-' ? PS_COMMENT_DASH_DASH : PS_COMMENT;
			break;
		case PS_COMMENT_DASH_DASH:
			s->ps = c == '>' ? PS_TEXT : (c == '-' ? PS_COMMENT_DASH_DASH : PS_COMMENT);
			break;
		case PS_PI:
			if (c == '?')
				s->ps = PS_PI_Q;
			break;
		case PS_PI_Q:
			s->ps = c == '>' ? PS_TEXT : (c == '?' ? PS_PI_Q : PS_PI);
			break;
		case PS_DONE:
			break;
		}
	}
	return 0;
}

/*
 * The markup scanner: the caps on namespace declarations and attributes of
 * one start tag.  libxml2 checks every attribute and every declaration of a
 * tag against all the others before its SAX handler sees any of them, so
 * the count must be made in the bytes, before they are handed over.  The
 * scanner follows XML's markup far enough to know where a start tag is:
 * text up to '<'; comments to "-->", CDATA sections to "]]>", processing
 * instructions to "?>", end tags to '>'; in a start tag, quoted values are
 * skipped and every '=' outside them is an attribute (in well-formed XML
 * the only '=' there), a namespace declaration when its name is "xmlns" or
 * starts with "xmlns:".  Where the input is not well-formed the scanner
 * may count wrongly, but libxml2 stops at the first such error.
 */
enum tag_state {
	TS_TEXT = 0, TS_LT, TS_BANG, TS_BANG_DASH, TS_COMMENT, TS_CDATA, TS_PI,
	TS_ENDTAG, TS_STAG, TS_VALUE
};
enum { TOK_NONE = -2, TOK_OTHER = -1 }; /* else 0..6: that much of "xmlns:" matched */

static int tag_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int tag_refuse(struct xmlin_src *s, const char *what, long max)
{
	char m[200];

	s->ts_elem[s->ts_elem_len] = '\0';
	snprintf(m, sizeof(m), "element <%s> heeft meer dan %ld %s (de grens tegen bestanden die"
		 " het lezen vertragen)", s->ts_elem, max, what);
	return src_fail(s, m); /* tag_scan sets fail_line */
}

/* One byte of a start tag, outside quoted values. */
static int tag_stag_byte(struct xmlin_src *s, unsigned char c)
{
	if (c == '"' || c == '\'') {
		s->ts = TS_VALUE;
		s->ts_quote = c;
		s->ts_in_elem = 0;
		return 0;
	}
	if (c == '>') {
		s->ts = TS_TEXT;
		return 0;
	}
	if (c == '=') {
		int ns = s->ts_tok == 5 || s->ts_tok == 6;

		s->ts_attrs++;
		s->ts_ns += ns;
		if (s->ts_ns > s->max_ns)
			return tag_refuse(s, "namespacedeclaraties", s->max_ns);
		if (s->ts_attrs - s->ts_ns > s->max_attrs)
			return tag_refuse(s, "attributen", s->max_attrs);
		s->ts_tok = TOK_NONE;
		s->ts_gap = 0;
		return 0;
	}
	if (tag_space(c) || c == '/') {
		s->ts_in_elem = 0;
		if (s->ts_tok != TOK_NONE)
			s->ts_gap = 1;
		return 0;
	}
	if (s->ts_in_elem) {
		if (s->ts_elem_len < sizeof(s->ts_elem) - 1)
			s->ts_elem[s->ts_elem_len++] = (char)c;
		return 0;
	}
	if (s->ts_gap || s->ts_tok == TOK_NONE) {
		s->ts_tok = 0; /* a new name */
		s->ts_gap = 0;
	}
	if (s->ts_tok >= 0 && s->ts_tok < 5)
		s->ts_tok = c == (unsigned char)"xmlns"[s->ts_tok] ? s->ts_tok + 1 : TOK_OTHER;
	else if (s->ts_tok == 5)
		s->ts_tok = c == ':' ? 6 : TOK_OTHER;
	return 0;
}

/*
 * Line breaks in p[0, n); once per chunk, not per byte of the scan.  A
 * line of a delivery is some 30 bytes, too short for a memchr() per line
 * to pay: the bytes are compared in blocks of 32 of a fixed count, which
 * compilers turn into vector compares (at most 32 in a block fit the
 * unsigned char).
 */
static long tag_count_lines(const unsigned char *p, size_t n)
{
	long lines = 0;
	size_t i = 0, j;

	for (; i + 32 <= n; i += 32) {
		unsigned char in_block = 0;

		for (j = 0; j < 32; j++)
			in_block += p[i + j] == '\n';
		lines += in_block;
	}
	for (; i < n; i++)
		lines += p[i] == '\n';
	return lines;
}

/* The bytes that end an element's name in a start tag (tag_scan): a
 * table, as names are most of the bytes the scanner looks at one by one. */
static const unsigned char tag_name_end[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['>'] = 1, ['/'] = 1,
};

static int tag_scan(struct xmlin_src *s, const unsigned char *p, size_t n)
{
	size_t i = 0, tag_at = 0;
	int tag_here = 0, rc = 0;

	while (i < n) {
		unsigned char c;

		/* the long runs: text up to '<', a quoted value up to its
		 * quote, an end tag up to '>' */
		if (s->ts == TS_TEXT || s->ts == TS_VALUE || s->ts == TS_ENDTAG) {
			unsigned char ch = s->ts == TS_TEXT ? '<' : s->ts == TS_VALUE ? s->ts_quote : '>';
			const unsigned char *at = memchr(p + i, ch, n - i);

			if (!at)
				break;
			i = (size_t)(at - p) + 1;
			if (s->ts == TS_TEXT) {
				s->ts = TS_LT;
				tag_at = i - 1; /* its line is counted when needed */
				tag_here = 1;
			} else if (s->ts == TS_VALUE) {
				s->ts = TS_STAG;
				s->ts_tok = TOK_NONE;
				s->ts_gap = 0;
			} else {
				s->ts = TS_TEXT;
			}
			continue;
		}
		c = p[i++];
		switch (s->ts) {
		case TS_LT:
			if (c == '!') {
				s->ts = TS_BANG;
			} else if (c == '?') {
				s->ts = TS_PI;
				s->ts_run = 0;
			} else if (c == '/') {
				s->ts = TS_ENDTAG;
			} else {
				s->ts = TS_STAG;
				s->ts_attrs = s->ts_ns = 0;
				s->ts_tok = TOK_NONE;
				s->ts_gap = 0;
				s->ts_in_elem = 1;
				s->ts_elem_len = 0;
				i--; /* the name's first byte */
			}
			break;
		case TS_BANG:
			s->ts = c == '-' ? TS_BANG_DASH : c == '[' ? TS_CDATA : TS_ENDTAG;
			s->ts_run = 0;
			break;
		case TS_BANG_DASH:
			s->ts = c == '-' ? TS_COMMENT : TS_ENDTAG;
			s->ts_run = 0;
			break;
		case TS_COMMENT:
		case TS_CDATA: {
			unsigned char mark = s->ts == TS_COMMENT ? '-' : ']';
			if (c == '>' && s->ts_run >= 2)
				s->ts = TS_TEXT;
			else
				s->ts_run = c == mark ? s->ts_run + 1 : 0;
			break;
		}
		case TS_PI:
			if (c == '>' && s->ts_run)
				s->ts = TS_TEXT;
			else
				s->ts_run = c == '?';
			break;
		case TS_STAG:
			if (s->ts_in_elem && !tag_name_end[c]) {
				/* the element's name, to its end in one go */
				size_t from = i - 1, len;

				while (i < n && !tag_name_end[p[i]])
					i++;
				len = i - from;
				if (len > sizeof(s->ts_elem) - 1 - s->ts_elem_len)
					len = sizeof(s->ts_elem) - 1 - s->ts_elem_len;
				memcpy(s->ts_elem + s->ts_elem_len, p + from, len);
				s->ts_elem_len += len;
				if (i < n && p[i] == '>') {
					/* no attributes, the common case */
					s->ts = TS_TEXT;
					i++;
				}
				break;
			}
			if (tag_stag_byte(s, c) < 0) {
				rc = -1;
				i = n;
			}
			break;
		default:
			break;
		}
	}
	/* the line of a tag that is refused, or that goes on in the next
	 * chunk; then the lines of this chunk */
	if (tag_here && (rc < 0 || s->ts != TS_TEXT))
		s->ts_tag_line = s->ts_line + tag_count_lines(p, tag_at);
	if (rc < 0)
		s->fail_line = s->ts_tag_line;
	s->ts_line += tag_count_lines(p, n);
	return rc;
}

/* formats.md: UTF-8 only.  Recognise UTF-16/32 by BOM or by the zero bytes
 * around the first '<'.  The first two bytes may arrive in separate chunks
 * (a 1-byte first gzip member), so they are collected first. */
static int src_check_first(struct xmlin_src *s, const unsigned char *buf, size_t len)
{
	const unsigned char *p = s->head;
	size_t n;

	while (s->head_n < sizeof(s->head) && len > 0) {
		s->head[s->head_n++] = *buf++;
		len--;
	}
	n = s->head_n;
	if (n < sizeof(s->head))
		return 0; /* decided when the second byte comes */
	s->first_bytes_checked = 1;
	if (n >= 2 && ((p[0] == 0xFE && p[1] == 0xFF) || (p[0] == 0xFF && p[1] == 0xFE)))
		return src_fail(s, "het bestand is in UTF-16 gecodeerd; UTF-8 is verplicht");
	if (n >= 2 && (p[0] == 0 || p[1] == 0))
		return src_fail(s, "het bestand is geen UTF-8-tekst (nulbytes aan het begin: UTF-16 of binair)");
	return 0;
}

static int src_emit(struct xmlin_src *s, unsigned char *buf, size_t n)
{
	if (!n)
		return 0;
	s->out_total += n;
	if (s->out_total > s->max) {
		char m[200];
		snprintf(m, sizeof(m),
			 "de uitgepakte inhoud is groter dan de grens van %llu MiB (max_bestand_mb): geweigerd als mogelijke gzip-bom",
			 (unsigned long long)(s->max >> 20));
		return src_fail(s, m);
	}
	if (!s->first_bytes_checked) {
		size_t held = s->head_n; /* bytes of earlier chunks not scanned yet */

		if (src_check_first(s, buf, n) < 0)
			return -1;
		if (!s->first_bytes_checked)
			return 0; /* one byte so far: encoding first, then the prolog */
		if (held && s->ps != PS_DONE && src_scan_prolog(s, s->head, held) < 0)
			return -1;
		if (held && tag_scan(s, s->head, held) < 0)
			return -1;
	}
	if (s->ps != PS_DONE && src_scan_prolog(s, buf, n) < 0)
		return -1;
	return tag_scan(s, buf, n);
}

static int src_read_gzip(struct xmlin_src *s, unsigned char *buf, size_t len)
{
	for (;;) {
		int zr;
		size_t produced;

		if (s->zs.avail_in == 0 && !s->raw_eof) {
			long n = src_raw(s, s->inbuf, SRC_CHUNK);
			if (n < 0)
				return -1;
			if (n == 0)
				s->raw_eof = 1;
			s->zs.next_in = s->inbuf;
			s->zs.avail_in = (uInt)n;
		}
		if (s->z_member_done) {
			/* RFC 1952 allows several members; more input = next member. */
			if (s->zs.avail_in == 0 && s->raw_eof)
				return 0;
			if (inflateReset(&s->zs) != Z_OK)
				return src_fail(s, "de gzip-stroom kan niet opnieuw worden gestart");
			s->z_member_done = 0;
		}
		s->zs.next_out = buf;
		s->zs.avail_out = (uInt)len;
		zr = inflate(&s->zs, Z_NO_FLUSH);
		produced = len - s->zs.avail_out;
		if (zr == Z_STREAM_END) {
			s->z_member_done = 1;
		} else if (zr == Z_BUF_ERROR && s->raw_eof && s->zs.avail_in == 0 && produced == 0) {
			return src_fail(s, "de gzip-stroom is afgebroken (het bestand houdt op vóór de gecomprimeerde gegevens)");
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			char m[200];
			snprintf(m, sizeof(m), "de gzip-gegevens zijn beschadigd: %s",
				 s->zs.msg ? s->zs.msg : zError(zr));
			return src_fail(s, m);
		}
		if (produced) {
			if (src_emit(s, buf, produced) < 0)
				return -1;
			return (int)produced;
		}
		if (s->raw_eof && s->zs.avail_in == 0 && !s->z_member_done)
			return src_fail(s, "de gzip-stroom is afgebroken (het bestand houdt op vóór de gecomprimeerde gegevens)");
	}
}

/*
 * The next chunk of checked, decompressed bytes.  *out points into the
 * source's own buffer, valid until the next call.  Returns the length, 0 at
 * the end of the input, -1 with s->fail set.
 */
static long src_next(struct xmlin_src *s, const unsigned char **out)
{
	long n;

	if (s->fail[0])
		return -1;
	if (s->gzip) {
		*out = s->outbuf;
		return src_read_gzip(s, s->outbuf, SRC_CHUNK);
	}
	if (s->in_pos < s->in_have) {
		/* the first chunk, read by src_start to look for gzip */
		n = (long)(s->in_have - s->in_pos);
		*out = s->inbuf + s->in_pos;
		s->in_pos = s->in_have;
	} else {
		/* one read(2) per SRC_CHUNK */
		if ((n = src_raw(s, s->inbuf, SRC_CHUNK)) <= 0)
			return n;
		*out = s->inbuf;
	}
	if (src_emit(s, (unsigned char *)*out, (size_t)n) < 0)
		return -1;
	return n;
}

/* Read the first chunk and decide gzip or plain by the magic bytes. */
static int src_start(struct xmlin_src *s, struct br_error *err, const char *label)
{
	long n;

	if (!(s->inbuf = malloc(SRC_CHUNK)))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het openen van %s", label);
	n = src_raw(s, s->inbuf, SRC_CHUNK);
	if (n < 0)
		return br_error_set(err, BR_EINPUT, "%s", s->fail);
	if (n == 0)
		return br_error_set(err, BR_EINPUT, "het bestand is leeg (0 bytes)");
	if (n >= 2 && s->inbuf[0] == 0x1f && s->inbuf[1] == 0x8b) {
		s->gzip = 1;
		if (!(s->outbuf = malloc(SRC_CHUNK)))
			return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het openen van %s", label);
		memset(&s->zs, 0, sizeof(s->zs));
		if (inflateInit2(&s->zs, 15 + 16) != Z_OK) /* gzip wrapper only */
			return br_error_set(err, BR_EINTERNAL, "zlib kan niet starten: %s", zError(Z_MEM_ERROR));
		s->z_ready = 1;
		s->zs.next_in = s->inbuf;
		s->zs.avail_in = (uInt)n;
	} else {
		s->in_have = (size_t)n;
		s->in_pos = 0;
	}
	return 0;
}

/* ---- queue: SAX events, pulled one at a time ------------------------------ */

/*
 * libxml2 pushes a chunk's worth of SAX events; the queue keeps them, with
 * their strings in one arena, until the caller has pulled them all.  Then
 * the next chunk is parsed into the emptied queue, so a chunk of SRC_CHUNK
 * bytes bounds both: the smallest element, "<a/>", is 4 bytes of input for
 * one event; a text node carried over from chunk to chunk (q_reset) is
 * capped by max_text.  Offsets, not pointers: the arena grows by realloc.
 */
/* Our own allocation failed while libxml2 was pushing: stop the parser;
 * xmlin_read reports it before anything else. */
static void q_nomem(struct xmlin *x)
{
	x->q_nomem = 1;
	xmlStopParser(x->ctxt);
}

/* Append bytes to the arena; its offset, or Q_NONE when out of memory.
 * The arena always starts with "" (q_reset): offset Q_EMPTY. */
#define Q_NONE ((size_t)-1)
#define Q_EMPTY ((size_t)0)
static size_t q_put(struct xmlin *x, const void *p, size_t len)
{
	size_t at = x->arena_len;

	if (at + len > x->arena_cap && /* the hot path: no call */
	    mem_grow((void **)&x->arena, &x->arena_cap, at + len, 1) < 0) {
		q_nomem(x);
		return Q_NONE;
	}
	memcpy(x->arena + at, p, len);
	x->arena_len = at + len;
	return at;
}

static size_t q_str(struct xmlin *x, const xmlChar *s)
{
	return s ? q_put(x, s, strlen((const char *)s) + 1) : Q_EMPTY;
}

/*
 * An element's local name or namespace URI for an event: *out, or else a
 * copy at arena offset *at.  libxml2 hands over the strings of its
 * parser's dictionary, which live as long as the parser (xmlin_free),
 * longer than any event: those are kept as they are, not copied (two
 * copies per tag were a tenth of the reader's time).  Anything else is
 * copied into the arena.
 */
static void q_name(struct xmlin *x, const xmlChar *s, const char **out, size_t *at)
{
	if (!s) {
		*out = "";
	} else if (xmlDictOwns(x->ctxt->dict, s) == 1) {
		*out = (const char *)s;
	} else {
		*out = NULL;
		*at = q_str(x, s);
	}
}

/*
 * An attribute value, NUL-terminated.  Without entity substitution (which
 * stays off: XXE) libxml2's SAX2 hands over a value with every character
 * and predefined entity reference decoded except '&' itself, which it
 * writes as "&#38;" (xmlParseAttValueComplex); a literal '&' cannot occur.
 */
static size_t q_attr_value(struct xmlin *x, const xmlChar *v, size_t len)
{
	size_t at = x->arena_len, i = 0;

	for (;;) {
		const xmlChar *amp = memchr(v + i, '&', len - i);
		size_t run = amp ? (size_t)(amp - v) - i : len - i;

		if (q_put(x, v + i, run) == Q_NONE)
			return Q_NONE;
		i += run;
		if (!amp)
			break;
		if (q_put(x, "&", 1) == Q_NONE)
			return Q_NONE;
		i += len - i >= 5 && memcmp(v + i, "&#38;", 5) == 0 ? 5 : 1;
	}
	return q_put(x, "", 1) == Q_NONE ? Q_NONE : at;
}

/* Where the parser stands: input offset (to tie an error to the event it
 * belongs to) and line (libxml2's: where the construct just read ends). */
static uint64_t q_pos(const struct xmlin *x)
{
	const xmlParserInput *in = x->ctxt ? x->ctxt->input : NULL;

	return in ? (uint64_t)in->consumed + (uint64_t)(in->cur - in->base) : 0;
}

static long q_line(const struct xmlin *x)
{
	return x->ctxt && x->ctxt->input ? x->ctxt->input->line : 0;
}

static struct xmlin_ev *q_push(struct xmlin *x, int type)
{
	struct xmlin_ev *e;

	if (x->n_ev == x->cap_ev &&
	    mem_grow((void **)&x->ev, &x->cap_ev, x->n_ev + 1, sizeof(*x->ev)) < 0) {
		q_nomem(x);
		return NULL;
	}
	e = &x->ev[x->n_ev++];
	memset(e, 0, sizeof(*e));
	e->type = (unsigned char)type;
	e->pos = q_pos(x);
	e->line = q_line(x);
	e->name = e->ns = "";
	return e;
}

/* A text node the chunk ended in may go on in the next chunk: it is held
 * back (xmlin_read) and carried over, so that a node is one event, whole,
 * and its length cap and blank test see all of it. */
static int q_open_text(const struct xmlin *x)
{
	return x->head + 1 == x->n_ev && x->ev[x->head].type == XMLIN_TEXT;
}

/* Empty the queue for the next chunk, but for an open text node, queued
 * or whitespace so far (sax_text); the arena starts with "". */
static void q_reset(struct xmlin *x)
{
	struct xmlin_ev keep;
	int carry = x->n_ev && q_open_text(x);

	if (carry)
		keep = x->ev[x->head];
	x->n_ev = x->head = 0;
	x->cur = -1;
	x->arena_len = 0;
	if (q_put(x, "", 1) == Q_NONE)
		return; /* q_nomem is set */
	if (carry) {
		/* the text lies past the "" just written: move it down */
		memmove(x->arena + 1, x->arena + keep.data, keep.len);
		x->arena_len = 1 + keep.len;
		keep.data = 1;
		x->ev[0] = keep;
		x->n_ev = 1;
	} else if (x->blank_open) {
		/* no event can be queued beside it: it is the only text */
		memmove(x->arena + 1, x->arena + x->blank_data, x->blank_len);
		x->arena_len = 1 + x->blank_len;
		x->blank_data = 1;
	}
}

/* As libxml2's xmlIsBlankNode: space, tab, CR and LF only. */
static int is_blank(const xmlChar *ch, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if (ch[i] != ' ' && ch[i] != '\t' && ch[i] != '\n' && ch[i] != '\r')
			return 0;
	return 1;
}

/*
 * A tag ends the text before it: whitespace only, it is no node at all
 * (xmlin_read would skip it), and its bytes, the last in the arena, go.
 */
static void blank_drop(struct xmlin *x)
{
	if (x->blank_open) {
		x->arena_len = x->blank_data;
		x->blank_open = 0;
	}
}

/* ---- errors ------------------------------------------------------------- */

/*
 * libxml2's message in operator words: one line, without the "{namespace}"
 * prefixes of element names, and its 10 MB text limit named as ours.
 */
static void clean_message(char *out, size_t cap, const char *msg)
{
	size_t j = 0;
	int in_ns = 0;

	if (strstr(msg, "huge text node")) {
		snprintf(out, cap, "een tekst is langer dan de grens (max_tekst_kb)");
		return;
	}
	for (; *msg && *msg != '\n' && j + 1 < cap; msg++) {
		if (*msg == '{' && !in_ns && (strncmp(msg + 1, "urn:", 4) == 0 ||
					      strncmp(msg + 1, "http", 4) == 0)) {
			in_ns = 1;
			continue;
		}
		if (in_ns) {
			if (*msg == '}')
				in_ns = 0;
			continue;
		}
		out[j++] = *msg;
	}
	out[j] = '\0';
}

/* The first error of the document, queued in file order after the events
 * before it.  Later ones are consequences and are dropped. */
static void q_error(struct xmlin *x, long line, const char *msg, int nomem)
{
	if (x->err_set)
		return;
	clean_message(x->err_msg, sizeof(x->err_msg), msg);
	x->err_line = line > 0 ? line : q_line(x);
	x->err_nomem = nomem;
	x->err_set = 1;
	q_push(x, XMLIN_EV_ERROR);
}

/* Well-formedness errors (the parser) and validity errors (the schema). */
static void sax_error(void *ctx, xmlErrorPtr e)
{
	struct xmlin *x = ctx;
	int nomem;

	if (x->err_set || !e || e->level < XML_ERR_ERROR)
		return;
	/* libxml2 reports its own text-node cap as "no memory": that one is
	 * the file's fault. */
	nomem = e->code == XML_ERR_NO_MEMORY &&
		!(e->message && strstr(e->message, "huge text node"));
	q_error(x, e->line, e->message ? e->message : "XML-fout", nomem);
}

/* One of our own limits: stop reading. */
static void sax_refuse(struct xmlin *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sax_refuse(struct xmlin *x, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	q_error(x, 0, msg, 0);
	xmlStopParser(x->ctxt);
}

/*
 * This reader's errors go to sax_error while it parses (inside xmlin_read,
 * one chunk at a time).  Setting the handler costs two lookups of libxml2's
 * per-thread state, so it is set only when another reader of this thread
 * (or none) had it, and taken away when its reader is freed
 * (errors_forget).  Meanwhile nothing else in the thread uses libxml2: the
 * callers of a reader only read it, and schemas are loaded before it is
 * opened (and report through their own parser context).
 */
static _Thread_local struct xmlin *errors_owner;

static void errors_to(struct xmlin *x)
{
	if (errors_owner != x) {
		xmlSetStructuredErrorFunc(x, sax_error);
		errors_owner = x;
	}
}

static void errors_forget(struct xmlin *x)
{
	if (errors_owner == x) {
		xmlSetStructuredErrorFunc(NULL, silent_structured);
		errors_owner = NULL;
	}
}

/* ---- SAX handlers --------------------------------------------------------- */

static int is_utf8_name(const xmlChar *enc)
{
	return !xmlStrcasecmp(enc, BAD_CAST "UTF-8") || !xmlStrcasecmp(enc, BAD_CAST "UTF8");
}

static void sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		      const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
		      int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	struct xmlin *x = ctx;
	const xmlParserInput *in = x->ctxt->input;
	struct xmlin_ev *e;
	int i;

	(void)prefix;
	(void)nb_namespaces;
	(void)namespaces;
	(void)nb_defaulted;
	if (x->err_set || x->q_nomem)
		return;
	blank_drop(x);
	if (++x->depth == 1) {
		/* formats.md "Common rules": UTF-8 only.  The declaration is
		 * read by now; libxml2 keeps a UTF-8 one in ctxt->encoding and
		 * any other in input->encoding. */
		const xmlChar *enc = in->encoding ? in->encoding : x->ctxt->encoding;
		if (enc && !is_utf8_name(enc)) {
			sax_refuse(x, "het bestand declareert codering %s; UTF-8 is verplicht",
				   (const char *)enc);
			return;
		}
	}
	if (x->depth > x->lim.max_depth) {
		sax_refuse(x, "elementen zijn dieper genest dan %d niveaus (max_diepte)",
			   x->lim.max_depth);
		return;
	}
	if (!(e = q_push(x, XMLIN_START)))
		return;
	e->depth = x->depth;
	x->start_line[x->depth] = e->line;
	q_name(x, localname, &e->name, &e->name_at);
	q_name(x, uri, &e->ns, &e->ns_at);
	/* Attributes without a namespace, as "name\0value\0" pairs;
	 * libxml2 gives (localname, prefix, URI, value, end) per attribute,
	 * the value decoded (character and predefined entity references). */
	e->data = x->arena_len;
	for (i = 0; i < nb_attributes; i++) {
		const xmlChar *const *a = attributes + 5 * i;
		size_t vlen = (size_t)(a[4] - a[3]);

		if (a[1])
			continue;
		if (q_str(x, a[0]) == Q_NONE || q_attr_value(x, a[3], vlen) == Q_NONE)
			return;
		e->len++;
	}
	/* libxml2 calls this before it reads "/>" or ">": an empty-element
	 * tag has no end node (as in xmlTextReaderIsEmptyElement). */
	if (in->cur < in->end && in->cur[0] == '/') {
		e->empty = 1;
		x->empty_depth = x->depth;
	}
}

static void sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		    const xmlChar *uri)
{
	struct xmlin *x = ctx;
	struct xmlin_ev *e;

	(void)prefix;
	if (x->err_set || x->q_nomem)
		return;
	blank_drop(x);
	if (x->empty_depth == x->depth) {
		x->empty_depth = 0;
	} else if ((e = q_push(x, XMLIN_END)) != NULL) {
		/* An end node has its element's line, as in libxml2's tree:
		 * a problem found at the end of a record names where it starts. */
		e->line = x->start_line[x->depth];
		e->depth = x->depth;
		q_name(x, localname, &e->name, &e->name_at);
		q_name(x, uri, &e->ns, &e->ns_at);
	}
	x->depth--;
}

/*
 * Text and CDATA.  libxml2 hands text over in pieces (at buffer ends,
 * references, comments); the pieces between two elements are one node.
 * Most text of a delivery is the indentation between tags: while a node
 * is whitespace only it is kept aside (blank_*), and queued, whole, with
 * the place where it began, only when a piece that is not comes.
 */
static void sax_text(void *ctx, const xmlChar *ch, int len)
{
	struct xmlin *x = ctx;
	struct xmlin_ev *e = NULL;
	size_t have;

	if (x->err_set || x->q_nomem || len <= 0)
		return;
	if (x->n_ev && x->ev[x->n_ev - 1].type == XMLIN_TEXT)
		e = &x->ev[x->n_ev - 1];
	have = e ? e->len : x->blank_open ? x->blank_len : 0;
	if (have + (size_t)len > x->lim.max_text) {
		sax_refuse(x, "een tekst is langer dan %zu KiB (max_tekst_kb)",
			   x->lim.max_text / 1024);
		return;
	}
	if (!e && is_blank(ch, len)) {
		if (!x->blank_open) {
			x->blank_open = 1;
			x->blank_data = x->arena_len;
			x->blank_len = 0;
			x->blank_pos = q_pos(x);
			x->blank_line = q_line(x);
		}
		if (q_put(x, ch, (size_t)len) != Q_NONE)
			x->blank_len += (size_t)len;
		return;
	}
	if (!e) {
		if (!(e = q_push(x, XMLIN_TEXT)))
			return;
		e->depth = x->depth + 1;
		e->data = x->arena_len;
		if (x->blank_open) {
			/* the whitespace it began with is its start */
			e->pos = x->blank_pos;
			e->line = x->blank_line;
			e->data = x->blank_data;
			e->len = x->blank_len;
			x->blank_open = 0;
		}
	}
	if (q_put(x, ch, (size_t)len) != Q_NONE)
		e->len += (size_t)len;
}

/* ---- open, close ------------------------------------------------------- */

static int xmlin_open_common(struct xmlin *x, const struct xmlin_schema *schema,
			     struct br_error *err)
{
	int rc;

	xmlin_global_init();
	if ((rc = src_start(&x->src, err, x->label)) < 0) {
		br_error_at(err, x->label, 0);
		return rc;
	}
	if (!(x->start_line = calloc((size_t)x->lim.max_depth + 1, sizeof(*x->start_line))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het openen van %s", x->label);
	memset(&x->sax, 0, sizeof(x->sax));
	x->sax.initialized = XML_SAX2_MAGIC;
	x->sax.startElementNs = sax_start;
	x->sax.endElementNs = sax_end;
	x->sax.characters = sax_text;
	x->sax.ignorableWhitespace = sax_text;
	x->sax.cdataBlock = sax_text;
	/* No internalSubset, entityDecl, getEntity, externalSubset or
	 * resolveEntity: the prolog scanner has refused any DOCTYPE, so only
	 * the five predefined entities exist, and nothing is ever loaded. */
	x->sax_ptr = &x->sax;
	x->user_ptr = x;
	if (schema) {
		/* The schema validates the same SAX events on their way to
		 * us (libxml2's schema SAX plug: no tree is built). */
		if (!(x->vctxt = xmlSchemaNewValidCtxt(schema->schema)))
			return br_error_set(err, BR_ENOMEM, "kan geen schemavalidatie maken voor %s", x->label);
		xmlSchemaSetValidStructuredErrors(x->vctxt, sax_error, x);
		if (!(x->plug = xmlSchemaSAXPlug(x->vctxt, &x->sax_ptr, &x->user_ptr)))
			return br_error_set(err, BR_ENOMEM, "kan het schema niet koppelen voor %s", x->label);
	}
	errors_to(x);
	x->ctxt = xmlCreatePushParserCtxt(x->sax_ptr, x->user_ptr, NULL, 0, NULL);
	if (!x->ctxt)
		return br_error_set(err, BR_ENOMEM, "kan geen XML-parser maken voor %s", x->label);
	/* No NOENT, DTDLOAD, DTDATTR or XINCLUDE: nothing is fetched or
	 * expanded. */
	xmlCtxtUseOptions(x->ctxt, XML_PARSE_NONET);
	x->cur = -1;
	q_reset(x);
	if (x->q_nomem)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het openen van %s", x->label);
	return 0;
}

static struct xmlin *xmlin_alloc(const char *label, const struct xmlin_limits *lim)
{
	struct xmlin *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->src.fd = -1;
	if (lim)
		x->lim = *lim;
	else
		xmlin_limits_default(&x->lim);
	x->src.max = x->lim.max_bytes;
	x->src.max_ns = x->lim.max_ns > 0 ? x->lim.max_ns : XMLIN_MAX_NS;
	x->src.max_attrs = x->lim.max_attrs > 0 ? x->lim.max_attrs : XMLIN_MAX_ATTRS;
	x->src.ts_line = 1;
	snprintf(x->label, sizeof(x->label), "%s", label ? label : "(input)");
	return x;
}

int xmlin_open(struct xmlin **out, const char *path, const char *label,
	       const struct xmlin_schema *schema, const struct xmlin_limits *lim,
	       struct br_error *err)
{
	struct xmlin *x = NULL;
	struct stat st;
	int rc = 0;

	*out = NULL;
	if (!(x = xmlin_alloc(label ? label : path, lim))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het openen van %s", path);
		goto out;
	}
	if ((x->src.fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		rc = br_error_set(err, errno == ENOENT ? BR_ENOINPUT : BR_EIO,
				  "%s kan niet worden geopend: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(x->src.fd, &st) == 0 && (uint64_t)st.st_size > x->lim.max_bytes) {
		rc = br_error_set(err, BR_EINPUT,
				  "het bestand is %llu bytes, groter dan de grens van %llu MiB (max_bestand_mb)",
				  (unsigned long long)st.st_size,
				  (unsigned long long)(x->lim.max_bytes >> 20));
		br_error_at(err, x->label, 0);
		goto out;
	}
	if ((rc = xmlin_open_common(x, schema, err)) < 0)
		goto out;
	*out = x;
	x = NULL;
out:
	xmlin_free(x);
	return rc;
}

int xmlin_open_memory(struct xmlin **out, const void *data, size_t len,
		      const char *label, const struct xmlin_schema *schema,
		      const struct xmlin_limits *lim, struct br_error *err)
{
	struct xmlin *x = NULL;
	int rc = 0;

	*out = NULL;
	if (!(x = xmlin_alloc(label, lim))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
		goto out;
	}
	x->src.mem = data;
	x->src.mem_len = len;
	if ((rc = xmlin_open_common(x, schema, err)) < 0)
		goto out;
	*out = x;
	x = NULL;
out:
	xmlin_free(x);
	return rc;
}

void xmlin_free(struct xmlin *x)
{
	if (!x)
		return;
	errors_forget(x);
	if (x->ctxt)
		xmlFreeParserCtxt(x->ctxt);
	if (x->plug)
		xmlSchemaSAXUnplug(x->plug);
	if (x->vctxt)
		xmlSchemaFreeValidCtxt(x->vctxt);
	if (x->src.z_ready)
		inflateEnd(&x->src.zs);
	if (x->src.fd >= 0)
		close(x->src.fd);
	free(x->src.inbuf);
	free(x->src.outbuf);
	free(x->ev);
	free(x->arena);
	free(x->start_line);
	free(x);
}

/* ---- reading ------------------------------------------------------------- */

static const struct xmlin_ev *cur_ev(const struct xmlin *x)
{
	return x->cur >= 0 ? &x->ev[x->cur] : NULL;
}

long xmlin_line(const struct xmlin *x)
{
	const struct xmlin_ev *e = cur_ev(x);

	return e && e->line > 0 ? e->line : q_line(x);
}

const char *xmlin_label(const struct xmlin *x)
{
	return x->label;
}

int xmlin_fail(struct xmlin *x, struct br_error *err, const char *fmt, ...)
{
	char msg[BR_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	br_error_set(err, BR_EINPUT, "%s", msg);
	br_error_at(err, x->label, xmlin_line(x));
	return BR_EINPUT;
}

/* The first problem: our own allocation, the source layer (which also
 * explains any libxml2 error after it), libxml2's. */
static int xmlin_report(struct xmlin *x, struct br_error *err)
{
	long line = x->err_set ? x->err_line : 0;

	x->failed = 1;
	if (x->q_nomem) {
		br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van %s", x->label);
		br_error_at(err, x->label, q_line(x));
		return BR_ENOMEM;
	} else if (x->src.fail[0] && x->src.io_error) {
		/* Not the file's fault: it must not be quarantined for it. */
		br_error_set(err, BR_EIO, "%s: %s", x->label, x->src.fail);
		return BR_EIO;
	} else if (x->src.fail[0]) {
		br_error_set(err, BR_EINPUT, "%s", x->src.fail);
		if (x->src.fail_line > 0)
			line = x->src.fail_line;
	} else if (x->err_set && x->err_nomem) {
		/* Not the file's fault: it must not be quarantined for it. */
		br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van %s (%s)", x->label, x->err_msg);
		br_error_at(err, x->label, line);
		return BR_ENOMEM;
	} else if (x->err_set) {
		br_error_set(err, BR_EINPUT, "%s", x->err_msg);
	} else {
		br_error_set(err, BR_EINPUT, "het bestand is geen goedgevormde XML");
	}
	if (line <= 0)
		line = q_line(x);
	br_error_at(err, x->label, line);
	return BR_EINPUT;
}

/*
 * Parse the next chunk into the emptied queue; at the end of the input,
 * finish the document and queue what is wrong with it, if anything.
 */
static void xmlin_feed(struct xmlin *x)
{
	const unsigned char *p = NULL;
	long n;
	int r;

	q_reset(x);
	if (x->q_nomem)
		return;
	errors_to(x);
	n = src_next(&x->src, &p);
	if (n < 0) {
		q_push(x, XMLIN_EV_ERROR);
		x->done = 1;
		return;
	}
	r = xmlParseChunk(x->ctxt, (const char *)p, (int)n, n == 0);
	if (n == 0) {
		x->done = 1;
		if (!x->ctxt->wellFormed || r != 0)
			q_error(x, 0, "het bestand is geen goedgevormde XML", 0);
		else if (x->vctxt && xmlSchemaIsValid(x->vctxt) != 1)
			q_error(x, 0, "het bestand voldoet niet aan zijn schema", 0);
	} else if (r != 0 && !x->err_set && !x->q_nomem) {
		q_error(x, 0, "het bestand is geen goedgevormde XML", 0);
	}
	if (x->err_set || x->q_nomem)
		x->done = 1; /* nothing after the first error is read */
}

int xmlin_read(struct xmlin *x, struct br_error *err)
{
	for (;;) {
		const struct xmlin_ev *e;

		if (x->failed || x->q_nomem)
			return xmlin_report(x, err);
		if (x->head == x->n_ev || (!x->done && q_open_text(x))) {
			if (x->head == x->n_ev && x->done) {
				x->cur = -1;
				return 0;
			}
			xmlin_feed(x);
			continue;
		}
		x->cur = (long)x->head++;
		e = &x->ev[x->cur];
		if (e->type == XMLIN_EV_ERROR)
			return xmlin_report(x, err);
		if (e->type == XMLIN_TEXT && e->blank)
			continue; /* whitespace between elements */
		/* An error raised by this very node (the schema validates it
		 * right after it is queued) is reported with it. */
		if (x->head < x->n_ev && x->ev[x->head].type == XMLIN_EV_ERROR &&
		    x->ev[x->head].pos == e->pos)
			return xmlin_report(x, err);
		return 1;
	}
}

enum xmlin_node xmlin_type(const struct xmlin *x)
{
	const struct xmlin_ev *e = cur_ev(x);

	return e && e->type != XMLIN_EV_ERROR ? (enum xmlin_node)e->type : XMLIN_OTHER;
}

const char *xmlin_name(const struct xmlin *x)
{
	const struct xmlin_ev *e = cur_ev(x);

	return !e ? "" : e->name ? e->name : x->arena + e->name_at;
}

const char *xmlin_ns(const struct xmlin *x)
{
	const struct xmlin_ev *e = cur_ev(x);

	return !e ? "" : e->ns ? e->ns : x->arena + e->ns_at;
}

uint64_t xmlin_bytes_read(const struct xmlin *x)
{
	return x->src.raw_total;
}

int xmlin_depth(const struct xmlin *x)
{
	const struct xmlin_ev *e = cur_ev(x);

	return e ? e->depth : 0;
}

int xmlin_is_empty(const struct xmlin *x)
{
	const struct xmlin_ev *e = cur_ev(x);

	return e && e->type == XMLIN_START && e->empty;
}

const char *xmlin_attr(struct xmlin *x, const char *name)
{
	const struct xmlin_ev *e = cur_ev(x);
	const char *p;
	size_t i;

	if (!e || e->type != XMLIN_START)
		return NULL;
	p = x->arena + e->data;
	for (i = 0; i < e->len; i++) {
		const char *v = p + strlen(p) + 1;
		if (strcmp(p, name) == 0)
			return v;
		p = v + strlen(v) + 1;
	}
	return NULL;
}

int xmlin_text(struct xmlin *x, char *buf, size_t cap, size_t *out_len,
	       struct br_error *err)
{
	char name[64];
	size_t len = 0;
	int depth, rc, too_long = 0;

	if (cap == 0)
		return br_error_set(err, BR_EINTERNAL, "xmlin_text: geen ruimte");
	buf[0] = '\0';
	if (out_len)
		*out_len = 0;
	if (xmlin_type(x) != XMLIN_START)
		return xmlin_fail(x, err, "verwacht een element");
	/* the name, for messages (borrowed only until the next read) */
	len = strnlen(xmlin_name(x), sizeof(name) - 1);
	memcpy(name, xmlin_name(x), len);
	name[len] = '\0';
	len = 0;
	if (xmlin_is_empty(x))
		return 0;
	depth = xmlin_depth(x);
	for (;;) {
		const struct xmlin_ev *e;

		if ((rc = xmlin_read(x, err)) < 0)
			return rc;
		if (rc == 0)
			return xmlin_fail(x, err, "het bestand houdt op binnen <%s>", name);
		e = cur_ev(x);
		if (e->type == XMLIN_END && e->depth == depth)
			break;
		if (e->type == XMLIN_START)
			return xmlin_fail(x, err, "<%s> moet tekst bevatten, niet het element <%s>",
					  name, xmlin_name(x));
		if (e->type == XMLIN_TEXT && (too_long || e->len >= cap - len)) {
			/* Read on to the end: the schema's own verdict on this
			 * text (a maxLength, a pattern) comes there, and it is
			 * the more precise message. */
			too_long = 1;
		} else if (e->type == XMLIN_TEXT) {
			memcpy(buf + len, x->arena + e->data, e->len);
			len += e->len;
			buf[len] = '\0';
		}
	}
	if (too_long)
		return xmlin_fail(x, err, "de tekst van <%s> is langer dan %zu bytes", name, cap - 1);
	if (out_len)
		*out_len = len;
	return 0;
}

int xmlin_skip(struct xmlin *x, struct br_error *err)
{
	int depth, rc;

	if (xmlin_type(x) != XMLIN_START || xmlin_is_empty(x))
		return 0;
	depth = xmlin_depth(x);
	for (;;) {
		if ((rc = xmlin_read(x, err)) < 0)
			return rc;
		if (rc == 0)
			return xmlin_fail(x, err, "het bestand houdt op binnen een element");
		if (xmlin_type(x) == XMLIN_END && xmlin_depth(x) == depth)
			return 0;
	}
}

int xmlin_end_empty(struct xmlin *x, struct br_error *err)
{
	char buf[8];
	size_t len = 0;
	int rc;

	if ((rc = xmlin_text(x, buf, sizeof(buf), &len, err)) < 0)
		return rc;
	if (len) /* now at its end node, which bears its name */
		return xmlin_fail(x, err, "<%s> moet leeg zijn", xmlin_name(x));
	return 0;
}

/*
 * xmlin.c — hardened streaming XML input; see xmlin.h for the contract.
 *
 * Layers, bottom up:
 *   src    — bytes from a file descriptor or a buffer; gzip (by magic
 *            bytes) inflated with a cap; a prolog scanner that refuses a
 *            DOCTYPE before libxml2 ever sees it (so no entity of any kind
 *            is declared, let alone expanded: billion laughs and XXE have
 *            nothing to work with) and refuses UTF-16;
 *   reader — libxml2's xmlTextReader over src via xmlReaderForIO, with an
 *            optional compiled XSD validating while streaming, and a
 *            structured error handler that keeps the first error + line.
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
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <zlib.h>

#include "banned.h"

#define SRC_CHUNK 65536

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
	size_t in_have, in_pos;       /* pending raw bytes (non-gzip path) */
	uint64_t raw_total, out_total, max;
	enum prolog_state ps;
	uint64_t prolog_pos;          /* bytes of the prolog scanned so far */
	int first_bytes_checked;
	unsigned char head[2];        /* first two decompressed bytes */
	size_t head_n;
	char fail[256];               /* first problem found in this layer */
	int io_error;                 /* ... and it is the disk's fault, not the file's */
};

struct xmlin_schema {
	xmlSchemaPtr schema;
};

struct xmlin {
	struct xmlin_src src;
	xmlTextReaderPtr reader;
	struct xmlin_limits lim;
	char label[BR_ERROR_FILE_MAX];
	xmlChar *attr;                /* last xmlin_attr() result, owned */
	int err_set;                  /* first libxml2 error captured */
	int err_nomem;                /* ... and it was libxml2 running out of memory */
	char err_msg[300];
	long err_line;
	int checked_encoding;
	int type;                     /* enum xmlin_node of the current node */
	int validating;               /* a schema is attached */
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
	snprintf(se->msg, sizeof(se->msg), "%s line %d: %s", e->file ? e->file : "?",
		 e->line, e->message ? e->message : "error");
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
		rc = br_error_set(err, BR_ENOMEM, "out of memory loading schema %s", xsd_path);
		goto out;
	}
	if (!(pctx = xmlSchemaNewParserCtxt(xsd_path))) {
		rc = br_error_set(err, BR_ECONFIG, "cannot read schema %s", xsd_path);
		goto out;
	}
	xmlSchemaSetParserStructuredErrors(pctx, schema_parse_error, &se);
	if (!(s->schema = xmlSchemaParse(pctx))) {
		rc = br_error_set(err, BR_ECONFIG, "schema %s is not usable: %s", xsd_path,
				  se.set ? se.msg : "parse failed");
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
			snprintf(m, sizeof(m), "read error: %s", strerror(errno));
			s->io_error = 1;
			return src_fail(s, m);
		}
	}
	s->raw_total += (uint64_t)n;
	if (s->raw_total > s->max) {
		char m[200];
		snprintf(m, sizeof(m), "file is larger than the limit of %llu MiB (max_bestand_mb)",
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
				return src_fail(s, "the file is not XML: it does not start with '<' (text or binary data)");
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
				return src_fail(s, "the file has a DOCTYPE: DTDs and entity declarations are not allowed");
			s->ps = PS_LT_BANG_DASH;
			break;
		case PS_LT_BANG_DASH:
			if (c != '-')
				return src_fail(s, "the file has a DOCTYPE or other declaration before the root element: not allowed");
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
		return src_fail(s, "the file is UTF-16 encoded; UTF-8 is required");
	if (n >= 2 && (p[0] == 0 || p[1] == 0))
		return src_fail(s, "the file is not UTF-8 text (zero bytes at the start: UTF-16 or binary)");
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
			 "decompressed content is larger than the limit of %llu MiB (max_bestand_mb): refused as a possible gzip bomb",
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
	}
	if (s->ps != PS_DONE && src_scan_prolog(s, buf, n) < 0)
		return -1;
	return 0;
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
				return src_fail(s, "gzip stream cannot be restarted");
			s->z_member_done = 0;
		}
		s->zs.next_out = buf;
		s->zs.avail_out = (uInt)len;
		zr = inflate(&s->zs, Z_NO_FLUSH);
		produced = len - s->zs.avail_out;
		if (zr == Z_STREAM_END) {
			s->z_member_done = 1;
		} else if (zr == Z_BUF_ERROR && s->raw_eof && s->zs.avail_in == 0 && produced == 0) {
			return src_fail(s, "gzip stream is truncated (the file ends before the compressed data does)");
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			char m[200];
			snprintf(m, sizeof(m), "gzip data is corrupt: %s",
				 s->zs.msg ? s->zs.msg : zError(zr));
			return src_fail(s, m);
		}
		if (produced) {
			if (src_emit(s, buf, produced) < 0)
				return -1;
			return (int)produced;
		}
		if (s->raw_eof && s->zs.avail_in == 0 && !s->z_member_done)
			return src_fail(s, "gzip stream is truncated (the file ends before the compressed data does)");
	}
}

static int src_read(void *ctx, char *out, int len)
{
	struct xmlin_src *s = ctx;
	long n;

	if (s->fail[0] || len <= 0)
		return -1;
	if (s->gzip)
		return src_read_gzip(s, (unsigned char *)out, (size_t)len);
	if (s->in_pos == s->in_have) {
		/* One read(2) per SRC_CHUNK, not per request of libxml2 (4 KB). */
		n = src_raw(s, s->inbuf, SRC_CHUNK);
		if (n <= 0)
			return (int)n;
		s->in_have = (size_t)n;
		s->in_pos = 0;
	}
	n = (long)(s->in_have - s->in_pos);
	if (n > len)
		n = len;
	memcpy(out, s->inbuf + s->in_pos, (size_t)n);
	s->in_pos += (size_t)n;
	if (src_emit(s, (unsigned char *)out, (size_t)n) < 0)
		return -1;
	return (int)n;
}

static int src_close(void *ctx)
{
	(void)ctx;
	return 0; /* the fd is closed by xmlin_free */
}

/* Read the first chunk and decide gzip or plain by the magic bytes. */
static int src_start(struct xmlin_src *s, struct br_error *err, const char *label)
{
	long n;

	if (!(s->inbuf = malloc(SRC_CHUNK)))
		return br_error_set(err, BR_ENOMEM, "out of memory opening %s", label);
	n = src_raw(s, s->inbuf, SRC_CHUNK);
	if (n < 0)
		return br_error_set(err, BR_EINPUT, "%s", s->fail);
	if (n == 0)
		return br_error_set(err, BR_EINPUT, "the file is empty (0 bytes)");
	if (n >= 2 && s->inbuf[0] == 0x1f && s->inbuf[1] == 0x8b) {
		s->gzip = 1;
		memset(&s->zs, 0, sizeof(s->zs));
		if (inflateInit2(&s->zs, 15 + 16) != Z_OK) /* gzip wrapper only */
			return br_error_set(err, BR_EINTERNAL, "zlib cannot start: %s", zError(Z_MEM_ERROR));
		s->z_ready = 1;
		s->zs.next_in = s->inbuf;
		s->zs.avail_in = (uInt)n;
	} else {
		s->in_have = (size_t)n;
		s->in_pos = 0;
	}
	return 0;
}

/* ---- reader ------------------------------------------------------------ */

/*
 * libxml2's message in operator words: one line, without the "{namespace}"
 * prefixes of element names, and its 10 MB text limit named as ours.
 */
static void reader_clean_message(char *out, size_t cap, const char *msg)
{
	size_t j = 0;
	int in_ns = 0;

	if (strstr(msg, "huge text node")) {
		snprintf(out, cap, "a text node is longer than the limit (max_tekst_kb)");
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

static void reader_error(void *ctx, xmlErrorPtr e)
{
	struct xmlin *x = ctx;

	if (x->err_set || !e || e->level < XML_ERR_ERROR)
		return;
	reader_clean_message(x->err_msg, sizeof(x->err_msg), e->message ? e->message : "XML error");
	x->err_line = e->line;
	/* libxml2 reports its own text-node cap as "no memory": that one is
	 * the file's fault. */
	x->err_nomem = e->code == XML_ERR_NO_MEMORY && !strstr(x->err_msg, "max_tekst_kb");
	x->err_set = 1;
}

static int xmlin_open_common(struct xmlin *x, const struct xmlin_schema *schema,
			     struct br_error *err)
{
	int rc;

	xmlin_global_init();
	if ((rc = src_start(&x->src, err, x->label)) < 0) {
		br_error_at(err, x->label, 0);
		return rc;
	}
	/*
	 * No NOENT, DTDLOAD, DTDATTR or XINCLUDE: nothing is fetched or
	 * expanded.  No NOCDATA either: with a schema attached, libxml2 2.9's
	 * schema SAX plug then drops CDATA content (the text is validated but
	 * never reaches the reader); CDATA nodes are read as text instead.
	 */
	x->reader = xmlReaderForIO(src_read, src_close, &x->src, NULL, NULL, XML_PARSE_NONET);
	if (!x->reader)
		return br_error_set(err, BR_ENOMEM, "cannot create an XML reader for %s", x->label);
	if (schema && xmlTextReaderSetSchema(x->reader, schema->schema) != 0)
		return br_error_set(err, BR_EINTERNAL, "cannot attach the schema to the reader for %s", x->label);
	x->validating = schema != NULL;
	/*
	 * No xmlTextReaderSetStructuredErrorHandler(): with a schema attached,
	 * libxml2 2.9 swaps ctxt->userData for its schema SAX plug, and the
	 * reader's relay then reads the plug as a parser context and crashes
	 * (NULL dereference) on the first well-formedness or I/O error.  The
	 * errors reach reader_error through the thread's structured handler
	 * (errors_to).
	 */
	return 0;
}

/*
 * This reader's errors go to reader_error while a public call parses
 * (xmlin_read, xmlin_text, xmlin_skip: one or many parse steps).  Setting
 * the handler costs two lookups of libxml2's per-thread state, for every
 * element of a file twice, so it is set only when another reader of this
 * thread (or none) had it, and taken away when its reader is freed
 * (errors_forget).  Meanwhile nothing else in the thread uses libxml2: the
 * callers of a reader only read it, and schemas are loaded before it is
 * opened (and report through their own parser context).
 */
static _Thread_local struct xmlin *errors_owner;

static void errors_to(struct xmlin *x)
{
	if (errors_owner != x) {
		xmlSetStructuredErrorFunc(x, reader_error);
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
		rc = br_error_set(err, BR_ENOMEM, "out of memory opening %s", path);
		goto out;
	}
	if ((x->src.fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		rc = br_error_set(err, errno == ENOENT ? BR_ENOINPUT : BR_EIO,
				  "cannot open %s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(x->src.fd, &st) == 0 && (uint64_t)st.st_size > x->lim.max_bytes) {
		rc = br_error_set(err, BR_EINPUT,
				  "file is %llu bytes, larger than the limit of %llu MiB (max_bestand_mb)",
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
		rc = br_error_set(err, BR_ENOMEM, "out of memory");
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
	if (x->reader)
		xmlFreeTextReader(x->reader);
	if (x->attr)
		xmlFree(x->attr);
	if (x->src.z_ready)
		inflateEnd(&x->src.zs);
	if (x->src.fd >= 0)
		close(x->src.fd);
	free(x->src.inbuf);
	free(x);
}

long xmlin_line(const struct xmlin *x)
{
	xmlNodePtr n;
	long line = 0;

	if (!x->reader)
		return 0;
	n = xmlTextReaderCurrentNode(x->reader);
	if (n)
		line = xmlGetLineNo(n);
	if (line <= 0)
		line = xmlTextReaderGetParserLineNumber(x->reader);
	return line;
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

/* The first problem, from our own layer first (it explains libxml2's
 * "I/O error" that follows it), then libxml2's. */
static int xmlin_report(struct xmlin *x, struct br_error *err, const char *fallback)
{
	long line = x->err_set ? x->err_line : 0;

	if (x->src.fail[0] && x->src.io_error) {
		/* Not the file's fault: it must not be quarantined for it. */
		br_error_set(err, BR_EIO, "%s: %s", x->label, x->src.fail);
		return BR_EIO;
	} else if (x->src.fail[0]) {
		br_error_set(err, BR_EINPUT, "%s", x->src.fail);
	} else if (x->err_set && x->err_nomem) {
		/* Not the file's fault: it must not be quarantined for it. */
		br_error_set(err, BR_ENOMEM, "out of memory reading %s (%s)", x->label, x->err_msg);
		br_error_at(err, x->label, line);
		return BR_ENOMEM;
	} else if (x->err_set) {
		br_error_set(err, BR_EINPUT, "%s", x->err_msg);
	} else {
		br_error_set(err, BR_EINPUT, "%s", fallback);
	}
	if (line <= 0 && x->reader)
		line = xmlTextReaderGetParserLineNumber(x->reader);
	br_error_at(err, x->label, line);
	return BR_EINPUT;
}

/*
 * xmlTextReaderNodeType(), cheaper for text: to tell ignorable from
 * significant whitespace it looks up xml:space on every ancestor, for each
 * whitespace node between elements, and read_node skips both kinds.  As in
 * libxml2 (xmlIsBlankNode), text of only space, tab, CR and LF is blank.
 */
static int node_type(struct xmlin *x)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(x->reader);
	const xmlChar *c;

	if (!n || n->type != XML_TEXT_NODE)
		return xmlTextReaderNodeType(x->reader);
	for (c = n->content; c && *c; c++)
		if (*c != ' ' && *c != '\t' && *c != '\n' && *c != '\r')
			return XML_READER_TYPE_TEXT;
	return XML_READER_TYPE_WHITESPACE;
}

int xmlin_read(struct xmlin *x, struct br_error *err)
{
	errors_to(x);
	for (;;) {
		int r = xmlTextReaderRead(x->reader);
		int t;

		if (x->attr) {
			xmlFree(x->attr);
			x->attr = NULL;
		}
		if (r < 0 || x->err_set || x->src.fail[0])
			return xmlin_report(x, err, "the file is not well-formed XML");
		if (r == 0) {
			/* xmlTextReaderIsValid() is 0 also when nothing is
			 * validated: ask only when a schema is attached. */
			if (x->validating && xmlTextReaderIsValid(x->reader) != 1)
				return xmlin_report(x, err, "the file is not valid against its schema");
			return 0;
		}
		if (!x->checked_encoding) {
			const xmlChar *enc = xmlTextReaderConstEncoding(x->reader);
			x->checked_encoding = 1;
			if (enc && xmlStrcasecmp(enc, BAD_CAST "UTF-8") != 0)
				return xmlin_fail(x, err, "the file declares encoding %s; UTF-8 is required",
						  (const char *)enc);
		}
		t = node_type(x);
		switch (t) {
		case XML_READER_TYPE_ELEMENT:
			if (xmlTextReaderDepth(x->reader) + 1 > x->lim.max_depth)
				return xmlin_fail(x, err, "elements are nested deeper than %d levels (max_diepte)",
						  x->lim.max_depth);
			x->type = XMLIN_START;
			return 1;
		case XML_READER_TYPE_END_ELEMENT:
			x->type = XMLIN_END;
			return 1;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA: {
			const xmlChar *v = xmlTextReaderConstValue(x->reader);
			if (v && (size_t)xmlStrlen(v) > x->lim.max_text)
				return xmlin_fail(x, err, "a text node is longer than %zu KiB (max_tekst_kb)",
						  x->lim.max_text / 1024);
			x->type = XMLIN_TEXT;
			return 1;
		}
		case XML_READER_TYPE_DOCUMENT_TYPE:
		case XML_READER_TYPE_ENTITY_REFERENCE:
		case XML_READER_TYPE_ENTITY:
			return xmlin_fail(x, err, "DTDs and entity references are not allowed");
		default:
			continue; /* whitespace, comments, PIs */
		}
	}
}

enum xmlin_node xmlin_type(const struct xmlin *x)
{
	return (enum xmlin_node)x->type;
}

const char *xmlin_name(const struct xmlin *x)
{
	const xmlChar *n = xmlTextReaderConstLocalName(x->reader);
	return n ? (const char *)n : "";
}

/* xmlTextReaderConstNamespaceUri() without its dictionary lookup (a hash
 * of the URI for every element): the declaration's own string, which
 * lives at least as long as the node. */
const char *xmlin_ns(const struct xmlin *x)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(x->reader);

	if (!n)
		return "";
	if (n->type == XML_NAMESPACE_DECL)
		return "http://www.w3.org/2000/xmlns/";
	if ((n->type == XML_ELEMENT_NODE || n->type == XML_ATTRIBUTE_NODE) && n->ns && n->ns->href)
		return (const char *)n->ns->href;
	return "";
}

int xmlin_depth(const struct xmlin *x)
{
	return xmlTextReaderDepth(x->reader) + 1;
}

int xmlin_is_empty(const struct xmlin *x)
{
	return xmlTextReaderIsEmptyElement(x->reader) == 1;
}

const char *xmlin_attr(struct xmlin *x, const char *name)
{
	if (x->attr) {
		xmlFree(x->attr);
		x->attr = NULL;
	}
	x->attr = xmlTextReaderGetAttribute(x->reader, BAD_CAST name);
	return (const char *)x->attr;
}

int xmlin_text(struct xmlin *x, char *buf, size_t cap, size_t *out_len,
	       struct br_error *err)
{
	char name[64];
	size_t len = 0;
	int depth, rc;

	if (cap == 0)
		return br_error_set(err, BR_EINTERNAL, "xmlin_text: no room");
	buf[0] = '\0';
	if (out_len)
		*out_len = 0;
	if (x->type != XMLIN_START)
		return xmlin_fail(x, err, "expected an element");
	/* the name, for messages (borrowed only until the next read) */
	len = strnlen(xmlin_name(x), sizeof(name) - 1);
	memcpy(name, xmlin_name(x), len);
	name[len] = '\0';
	len = 0;
	if (xmlin_is_empty(x))
		return 0;
	depth = xmlin_depth(x);
	for (;;) {
		if ((rc = xmlin_read(x, err)) < 0) {
			return rc;
		}
		if (rc == 0) {
			return xmlin_fail(x, err, "the file ends inside <%s>", name);
		}
		if (x->type == XMLIN_END && xmlin_depth(x) == depth)
			break;
		if (x->type == XMLIN_START) {
			return xmlin_fail(x, err, "<%s> must hold text, not the element <%s>",
					  name, xmlin_name(x));
		}
		if (x->type == XMLIN_TEXT) {
			const char *v = (const char *)xmlTextReaderConstValue(x->reader);
			size_t n = v ? strlen(v) : 0;
			if (n >= cap - len) {
					return xmlin_fail(x, err, "text of <%s> is longer than %zu bytes",
						  name, cap - 1);
			}
			memcpy(buf + len, v, n);
			len += n;
			buf[len] = '\0';
		}
	}
	if (out_len)
		*out_len = len;
	return 0;
}

int xmlin_skip(struct xmlin *x, struct br_error *err)
{
	int depth, rc;

	if (x->type != XMLIN_START || xmlin_is_empty(x))
		return 0;
	depth = xmlin_depth(x);
	for (;;) {
		if ((rc = xmlin_read(x, err)) < 0) {
			return rc;
		}
		if (rc == 0)
			return xmlin_fail(x, err, "the file ends inside an element");
		if (x->type == XMLIN_END && xmlin_depth(x) == depth)
			return 0;
	}
}

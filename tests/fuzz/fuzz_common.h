/*
 * fuzz_common.h — the harness that the libFuzzer targets of the record
 * parsers share (fuzz_register.c, fuzz_signals.c, fuzz_polis.c,
 * fuzz_pain002.c).
 *
 * Input through xmlin_open_memory (max_bytes 1 MiB), validated against the
 * schema while streaming, as intake does; the schema is loaded once from
 * $BR_SOURCE_DIR (else the compile-time BR_SOURCE_DIR).  The target's
 * handlers read every field of every record (TOUCH_STR, TOUCH_INT), so the
 * sanitizers see each read, and check the parser's contract with
 * contract(): NUL-terminated strings, counts within their caps, the header
 * once and first (on_header() below), the error contract of error.h
 * (check_end()).  A violation aborts.
 *
 * Header-only, included once by one target, which first defines
 *
 *   FUZZ_NAME    the target's name, for messages ("fuzz_register");
 *   FUZZ_KIND    the levering_kind of its header (LEVERING_REGISTER);
 *   FUZZ_SCHEMA  the XSD under data/schemas/ ("clientregister.xsd"), or
 *                none, when the schema depends on the input: then the
 *                target defines schema_for() (load it with load_schema());
 *
 * and after it defines parse_records(): the parser under test over `x`
 * with on_header() and its record callback, counting into `s`.  This
 * header supplies LLVMFuzzerTestOneInput.
 */
#ifndef BR_FUZZ_COMMON_H
#define BR_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "levering.h"
#include "xmlin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_BYTES ((uint64_t)1 << 20) /* 1 MiB */

static volatile size_t sink;

static void contract(int ok, const char *what, const struct br_error *err)
{
	if (ok)
		return;
	fprintf(stderr, "%s: contract violated: %s (code %d, msg \"%s\", line %ld)\n", FUZZ_NAME,
		what, err ? (int)err->code : 0, err ? err->msg : "", err ? err->line : 0L);
	abort();
}

/* A char array field: NUL-terminated within its size; its length counted. */
#define TOUCH_STR(f) touch_str((f), sizeof(f), #f)
static void touch_str(const char *s, size_t cap, const char *what)
{
	const char *z = memchr(s, 0, cap);

	if (!z) {
		fprintf(stderr, "%s: field %s is not NUL-terminated\n", FUZZ_NAME, what);
		abort();
	}
	sink += (size_t)(z - s);
}

#define TOUCH_INT(v) (sink += (size_t)(v))

static void touch_header(const struct levering_header *hdr)
{
	TOUCH_STR(hdr->levering_id);
	TOUCH_INT(hdr->kind);
	TOUCH_INT(hdr->aanmaakdatum);
	TOUCH_INT(hdr->peildatum);
	TOUCH_INT(hdr->iso_version);
}

static const char *source_dir(void)
{
	const char *s = getenv("BR_SOURCE_DIR");

	if (s && *s)
		return s;
#ifdef BR_SOURCE_DIR
	return BR_SOURCE_DIR;
#else
	return ".";
#endif
}

/* Loaded once per process; a target that cannot load it cannot run. */
static struct xmlin_schema *load_schema(const char *file)
{
	struct xmlin_schema *s = NULL;
	struct br_error err;
	char path[4096];

	br_error_clear(&err);
	snprintf(path, sizeof(path), "%s/data/schemas/%s", source_dir(), file);
	if (xmlin_schema_load(&s, path, &err) != 0) {
		fprintf(stderr, "%s: cannot load %s: %s (set BR_SOURCE_DIR)\n", FUZZ_NAME, path, err.msg);
		abort();
	}
	return s;
}

/* The parse's outcome honours the error contract (error.h). */
static void check_end(int rc, const struct br_error *err)
{
	if (rc == 0) {
		contract(err->code == BR_OK, "0 returned with an error recorded", err);
		return;
	}
	contract(rc < 0, "positive return code", err);
	contract(err->code != BR_OK, "failure without an error recorded", err);
	contract(err->msg[0] != '\0', "failure with an empty message", err);
	contract(memchr(err->msg, 0, sizeof(err->msg)) != NULL, "message not terminated", err);
	if (rc == BR_EINPUT)
		contract(strcmp(err->file, "fuzz") == 0, "input error without the file label", err);
}

static int run(const uint8_t *data, size_t size, const struct xmlin_schema *schema,
	       int (*parse)(struct xmlin *x, struct br_error *err))
{
	struct xmlin_limits lim;
	struct xmlin *x = NULL;
	struct br_error err;
	int rc;

	xmlin_limits_default(&lim);
	lim.max_bytes = FUZZ_MAX_BYTES;
	br_error_clear(&err);
	rc = xmlin_open_memory(&x, data, size, "fuzz", schema, &lim, &err);
	if (rc == 0) {
		contract(x != NULL, "open succeeded without a reader", &err);
		rc = parse(x, &err);
		xmlin_free(x);
	} else {
		contract(x == NULL, "failed open left a reader", &err);
	}
	check_end(rc, &err);
	return 0;
}

/* What the handlers have seen of one input. */
struct seen {
	int headers;
	int records;
};

static int parse_records(struct xmlin *x, struct seen *s, struct br_error *err);

static int on_header(void *ctx, const struct levering_header *hdr, struct br_error *err)
{
	struct seen *s = ctx;

	contract(s->headers == 0 && s->records == 0, "header not once and first", err);
	contract(hdr->kind == FUZZ_KIND, "header of another kind", err);
	contract(hdr->kind != LEVERING_PAIN002 || hdr->iso_version == 3 || hdr->iso_version == 10,
		 "iso_version not 3 or 10", err);
	s->headers++;
	touch_header(hdr);
	return 0;
}

static int parse(struct xmlin *x, struct br_error *err)
{
	struct seen s = { 0, 0 };
	int rc = parse_records(x, &s, err);

	if (rc == 0)
		contract(s.headers == 1, "accepted without a header", err);
	return rc;
}

/* The schema an input is validated against, as intake would choose it. */
#ifdef FUZZ_SCHEMA
static const struct xmlin_schema *schema_for(const uint8_t *data, size_t size)
{
	static struct xmlin_schema *schema;

	(void)data;
	(void)size;
	if (!schema)
		schema = load_schema(FUZZ_SCHEMA);
	return schema;
}
#else
static const struct xmlin_schema *schema_for(const uint8_t *data, size_t size);
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return run(data, size, schema_for(data, size), parse);
}

#endif

/*
 * fuzz_signals.c — libFuzzer target for the Inlichtingenbureau signal parser
 * (parsers/signals_xml.h).
 *
 * signals_parse over arbitrary bytes, with parsers/schemas/signalen.xsd.
 *
 * Input through xmlin_open_memory (max_bytes 1 MiB), validated against the
 * schema while streaming, as intake does; the schema is loaded once from
 * $BR_SOURCE_DIR (else the compile-time BR_SOURCE_DIR).  The handlers read
 * every field of every record, so the sanitizers see each read, and check
 * the parser's contract (NUL-terminated strings, counts within their caps,
 * the header once and first, the error contract of error.h); a violation
 * aborts.
 *
 *   make fuzz && build/fuzz/fuzz_signals -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_signals
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "levering.h"
#include "signals_xml.h"
#include "xmlin.h"

#include "banned.h"

#define FUZZ_NAME "fuzz_signals"

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
	TOUCH_INT(hdr->pain_version);
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
	snprintf(path, sizeof(path), "%s/parsers/schemas/%s", source_dir(), file);
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

struct seen {
	int headers;
	int records;
};

static int on_header(void *ctx, const struct levering_header *hdr, struct br_error *err)
{
	struct seen *s = ctx;

	contract(s->headers == 0 && s->records == 0, "header not once and first", err);
	contract(hdr->kind == LEVERING_SIGNALEN, "header of another kind", err);
	s->headers++;
	touch_header(hdr);
	return 0;
}

static int on_signal(void *ctx, const struct signal_record *r, struct br_error *err)
{
	struct seen *s = ctx;
	int i;

	contract(s->headers == 1, "signal before the header", err);
	s->records++;
	TOUCH_INT(r->line);
	TOUCH_STR(r->signaal_id);
	TOUCH_STR(r->soort);
	TOUCH_STR(r->bsn);
	TOUCH_STR(r->bron);
	TOUCH_INT(r->signaaldatum);
	TOUCH_INT(r->periode_begin);
	TOUCH_INT(r->periode_einde);
	TOUCH_STR(r->omschrijving);
	contract(r->periode_einde == DATE_NONE || r->periode_einde >= r->periode_begin,
		 "PeriodeEinde before PeriodeBegin accepted", err);
	contract(r->n_gegevens >= 0 && r->n_gegevens <= SIGNAL_MAX_GEGEVENS,
		 "n_gegevens out of range", err);
	for (i = 0; i < r->n_gegevens; i++) {
		TOUCH_STR(r->gegevens[i].naam);
		TOUCH_STR(r->gegevens[i].waarde);
	}
	return 0;
}

static int parse(struct xmlin *x, struct br_error *err)
{
	struct seen s = { 0, 0 };
	struct signals_handler h = { on_header, on_signal, &s };
	int rc = signals_parse(x, &h, err);

	if (rc == 0)
		contract(s.headers == 1, "accepted without a header", err);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xmlin_schema *schema;

	if (!schema)
		schema = load_schema("signalen.xsd");
	return run(data, size, schema, parse);
}

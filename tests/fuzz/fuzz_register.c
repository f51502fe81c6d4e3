/*
 * fuzz_register.c — libFuzzer target for the client register parser
 * (parsers/register.h).
 *
 * register_parse over arbitrary bytes, with parsers/schemas/clientregister.xsd.
 *
 * Input through xmlin_open_memory (max_bytes 1 MiB), validated against the
 * schema while streaming, as intake does; the schema is loaded once from
 * $BR_SOURCE_DIR (else the compile-time BR_SOURCE_DIR).  The handlers read
 * every field of every record, so the sanitizers see each read, and check
 * the parser's contract (NUL-terminated strings, counts within their caps,
 * the header once and first, the error contract of error.h); a violation
 * aborts.
 *
 *   make fuzz && build/fuzz/fuzz_register -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_register
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "levering.h"
#include "register.h"
#include "xmlin.h"

#include "banned.h"

#define FUZZ_NAME "fuzz_register"

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

static void touch_person(const struct register_person *p)
{
	TOUCH_STR(p->bsn);
	TOUCH_STR(p->naam);
	TOUCH_INT(p->geboortedatum);
}

static int on_header(void *ctx, const struct levering_header *hdr, struct br_error *err)
{
	struct seen *s = ctx;

	contract(s->headers == 0 && s->records == 0, "header not once and first", err);
	contract(hdr->kind == LEVERING_REGISTER, "header of another kind", err);
	s->headers++;
	touch_header(hdr);
	return 0;
}

static int on_dossier(void *ctx, const struct register_dossier *d, struct br_error *err)
{
	struct seen *s = ctx;
	int i;

	contract(s->headers == 1, "dossier before the header", err);
	s->records++;
	TOUCH_INT(d->line);
	TOUCH_STR(d->nummer);
	TOUCH_STR(d->regeling);
	TOUCH_STR(d->gemeente);
	TOUCH_INT(d->ingangsdatum);
	TOUCH_INT(d->einddatum);
	touch_person(&d->aanvrager);
	TOUCH_INT(d->has_partner);
	if (d->has_partner)
		touch_person(&d->partner);
	TOUCH_STR(d->leefvorm);
	TOUCH_INT(d->jongste_kind_geb);
	TOUCH_INT(d->kostendelers);
	TOUCH_INT(d->woonkostenverlaging_pct);
	TOUCH_STR(d->iban);
	TOUCH_STR(d->bic);
	TOUCH_STR(d->tenaamstelling);
	TOUCH_INT(d->has_vast_bedrag);
	TOUCH_INT(d->vast_bedrag_cents);
	TOUCH_INT(d->has_vt_reservering);
	TOUCH_INT(d->vt_reservering_cents);
	contract(d->n_grants >= 0 && d->n_grants <= REGISTER_MAX_GRANTS, "n_grants out of range", err);
	contract(d->n_claims >= 0 && d->n_claims <= REGISTER_MAX_CLAIMS, "n_claims out of range", err);
	contract(d->n_derden >= 0 && d->n_derden <= REGISTER_MAX_DERDEN, "n_derden out of range", err);
	for (i = 0; i < d->n_grants; i++) {
		const struct register_grant *g = &d->grants[i];
		TOUCH_STR(g->code);
		TOUCH_STR(g->persoon);
		TOUCH_INT(g->ingangsdatum);
		TOUCH_INT(g->einddatum);
		TOUCH_INT(g->maanden_gebruikt);
	}
	for (i = 0; i < d->n_claims; i++) {
		const struct register_claim *c = &d->claims[i];
		TOUCH_STR(c->kenmerk);
		TOUCH_STR(c->soort);
		TOUCH_INT(c->saldo_cents);
		TOUCH_INT(c->termijn_cents);
	}
	for (i = 0; i < d->n_derden; i++) {
		const struct register_derde *e = &d->derden[i];
		TOUCH_STR(e->kenmerk);
		TOUCH_STR(e->naam);
		TOUCH_STR(e->iban);
		TOUCH_INT(e->bedrag_cents);
		TOUCH_INT(e->prioriteit);
		TOUCH_STR(e->omschrijving);
	}
	TOUCH_INT(d->has_opschorting);
	TOUCH_INT(d->opschorting_vanaf);
	TOUCH_STR(d->opschorting_reden);
	return 0;
}

static int parse(struct xmlin *x, struct br_error *err)
{
	struct seen s = { 0, 0 };
	struct register_handler h = { on_header, on_dossier, &s };
	int rc = register_parse(x, &h, err);

	if (rc == 0)
		contract(s.headers == 1, "accepted without a header", err);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xmlin_schema *schema;

	if (!schema)
		schema = load_schema("clientregister.xsd");
	return run(data, size, schema, parse);
}

/*
 * fuzz_pain002.c — libFuzzer target for the pain.002 status report parser
 * (parsers/pain002.h).
 *
 * pain002_parse over arbitrary bytes, with parsers/schemas/pain.002.001.03.xsd
 * (or .10 when the input names that namespace).
 *
 * The harness (input, schema loading, the parser's contract) is
 * fuzz_common.h; this target reads every field of every status and
 * chooses the schema per input.
 *
 *   make fuzz && build/fuzz/fuzz_pain002 -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_pain002
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "levering.h"
#include "pain002.h"
#include "xmlin.h"

#define FUZZ_NAME "fuzz_pain002"
#define FUZZ_KIND LEVERING_PAIN002
#include "fuzz_common.h"
#include "banned.h"

static int on_status(void *ctx, const struct pain002_status *r, struct br_error *err)
{
	struct seen *s = ctx;

	contract(s->headers == 1, "status before the header", err);
	s->records++;
	TOUCH_INT(r->line);
	TOUCH_STR(r->orgnl_msg_id);
	TOUCH_STR(r->orgnl_pmtinf_id);
	TOUCH_STR(r->orgnl_e2e_id);
	TOUCH_STR(r->status);
	TOUCH_STR(r->reason);
	/* A transaction status names its batch (pain002.h). */
	contract(r->orgnl_e2e_id[0] == '\0' || r->orgnl_pmtinf_id[0] != '\0',
		 "transaction status without its batch id", err);
	return 0;
}

/* For fuzz_common.h: the parser under test, counting into *s. */
static int parse_records(struct xmlin *x, struct seen *s, struct br_error *err)
{
	struct pain002_handler h = { on_header, on_status, s };

	return pain002_parse(x, &h, err);
}

/* Validated as intake does, against the schema of the version the input
 * names (.10 when its namespace appears, else .03). */
static int mentions(const uint8_t *data, size_t size, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= size; i++)
		if (memcmp(data + i, needle, n) == 0)
			return 1;
	return 0;
}

static const struct xmlin_schema *schema_for(const uint8_t *data, size_t size)
{
	static struct xmlin_schema *xsd03, *xsd10;

	if (!xsd03) {
		xsd03 = load_schema("pain.002.001.03.xsd");
		xsd10 = load_schema("pain.002.001.10.xsd");
	}
	return mentions(data, size, NS_PAIN002_10) ? xsd10 : xsd03;
}

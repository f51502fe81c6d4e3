/*
 * fuzz_pain002.c — libFuzzer target for the pain.002 status report parser
 * (parsers/pain002.h).
 *
 * pain002_parse over arbitrary bytes, validated as intake validates it:
 * against the official schema data/schemas/iso20022/pain.002.001.03.xsd,
 * or .10.xsd when the input names that namespace.
 *
 * The harness (input, schema loading, the parser's contract) is
 * fuzz_common.h; this target reads every field of every status, checks
 * pain002.h's contract for each record (level, which ids a level has, the
 * lengths of status, info and name) and chooses the schema per input.
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

/* Characters of UTF-8 text (pain002.h keeps what the bank wrote). */
static size_t chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* What pain002.h promises of every record, whatever the input. */
static void check_record(const struct pain002_status *r, const struct br_error *err)
{
	const char *c;

	contract(r->level == PAIN002_GROUP || r->level == PAIN002_BATCH || r->level == PAIN002_TX,
		 "level not GROUP, BATCH or TX", err);
	contract(r->orgnl_msg_id[0] != '\0', "status without its OrgnlMsgId", err);
	contract((r->level == PAIN002_GROUP) == (r->orgnl_pmtinf_id[0] == '\0'),
		 "a batch id at group level, or none below it", err);
	contract(r->level == PAIN002_TX || r->orgnl_e2e_id[0] == '\0',
		 "an e2e id above transaction level", err);
	contract(r->level == PAIN002_TX || r->name[0] == '\0', "a name above transaction level", err);
	contract(chars(r->status) <= PAIN002_STATUS_MAX, "status longer than 4 characters", err);
	contract(chars(r->orgnl_e2e_id) <= PAIN002_ID_MAX && chars(r->reason) <= PAIN002_ID_MAX,
		 "id or reason longer than 35 characters", err);
	contract(chars(r->name) <= PAIN002_NAME_MAX, "name longer than 140 characters", err);
	contract(strlen(r->info) <= PAIN002_INFO_MAX, "info longer than PAIN002_INFO_MAX", err);
	contract(r->reason_prtry == 0 || (r->reason_prtry == 1 && r->reason[0]),
		 "reason_prtry not 0, or 1 with a reason", err);
	/* control characters are kept as '?' */
	for (c = r->info; *c; c++)
		contract((unsigned char)*c >= 0x20 && *c != 0x7f, "a control character in info", err);
}

static int on_status(void *ctx, const struct pain002_status *r, struct br_error *err)
{
	struct seen *s = ctx;

	contract(s->headers == 1, "status before the header", err);
	s->records++;
	TOUCH_INT(r->line);
	TOUCH_INT(r->level);
	TOUCH_STR(r->orgnl_msg_id);
	TOUCH_STR(r->orgnl_pmtinf_id);
	TOUCH_STR(r->orgnl_e2e_id);
	TOUCH_STR(r->status);
	TOUCH_STR(r->reason);
	TOUCH_INT(r->reason_prtry);
	TOUCH_STR(r->info);
	TOUCH_STR(r->name);
	check_record(r, err);
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
		xsd03 = load_schema("iso20022/pain.002.001.03.xsd");
		xsd10 = load_schema("iso20022/pain.002.001.10.xsd");
	}
	return mentions(data, size, NS_PAIN002_10) ? xsd10 : xsd03;
}

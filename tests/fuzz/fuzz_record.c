/*
 * fuzz_record.c — libFuzzer target for the settlement record
 * (core/settle_record.h) and its rendering (pipeline/specstore.h): the
 * bytes a store's afrekening.vastlegging holds.
 *
 * Each input is decoded with the shipped rules; a record that decodes is
 * rendered as `dossier` and `specificatie` would.  Contract: the result is
 * 0, BR_EINPUT (damaged) or BR_ENOMEM, never anything else; a rendered
 * text is exactly *len bytes with no NUL; and what a decoded record
 * encodes to decodes and encodes to the same bytes again (an input may
 * spell a value in more bytes than needed; its encoding may not drift).
 *
 *   make fuzz && build/fuzz/fuzz_record -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_record
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "rules_xml.h"
#include "settle_record.h"
#include "specstore.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rules rules;
static int loaded;
static const struct specstore_row row = { "PW-0405-000123", "2026-11-25" };

static void contract(int ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_record: contract violated: %s\n", what);
	abort();
}

static void load_rules(void)
{
	const char *root = getenv("BR_SOURCE_DIR");
	char path[4096], xsd[4096];
	struct br_error err;

	if (!root || !root[0])
		root = BR_SOURCE_DIR;
	snprintf(path, sizeof(path), "%s/data/rules/regels.xml", root);
	snprintf(xsd, sizeof(xsd), "%s/data/schemas/regels.xsd", root);
	br_error_clear(&err);
	if (rules_load(&rules, path, xsd, &err) < 0) {
		fprintf(stderr, "fuzz_record: cannot load %s: %s\n", path, err.msg);
		abort();
	}
	loaded = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settle_record rec, rec2;
	struct settle_record_buf once = { NULL, 0, 0 }, again = { NULL, 0, 0 };
	struct br_error err;
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (!loaded)
		load_rules();
	if (size > (1 << 20))
		return 0;
	br_error_clear(&err);
	rc = settle_record_decode(&rec, data, size, &rules, &err);
	contract(rc == 0 || rc == BR_EINPUT || rc == BR_ENOMEM, "decode: 0, damaged or no memory");
	if (rc == 0) {
		br_error_clear(&err);
		if (settle_record_encode(&once, &rec.set, &rec.in, &rec.res, &rec.facts, &rules, &err) == 0) {
			contract(settle_record_decode(&rec2, once.p, once.len, &rules, &err) == 0,
				 "an encoded record decodes");
			contract(settle_record_encode(&again, &rec2.set, &rec2.in, &rec2.res, &rec2.facts, &rules,
						      &err) == 0, "a decoded record encodes");
			contract(again.len == once.len && memcmp(again.p, once.p, once.len) == 0,
				 "the encoding does not drift");
			settle_record_free(&rec2);
		}
	}
	settle_record_free(&rec);
	free(once.p);
	free(again.p);
	br_error_clear(&err);
	rc = specstore_render(&text, &len, data, size, &row, &rules, 1, &err);
	contract(rc == 0 || rc == BR_EINPUT || rc == BR_ENOMEM, "render: 0, damaged or no memory");
	if (rc == 0)
		contract(text && strlen(text) == len, "a rendered text has no NUL");
	free(text);
	return 0;
}

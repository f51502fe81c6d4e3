/*
 * fuzz_xmlin.c — libFuzzer target for the hardened XML reader
 * (parsers/xmlin.h) over arbitrary bytes, without a schema.
 *
 * Three passes over the same input, each through xmlin_open_memory:
 *   1. xmlin_read to the end, touching every accessor on every node;
 *   2. xmlin_text on each start element at depth >= 3 (the leaves of the
 *      real formats), xmlin_skip on every other element at depth 2;
 *   3. xmlin_text on the root.
 * The reader's contract is checked as it goes (return codes, error filled,
 * depth and text limits, NUL-terminated text within the buffer); a
 * violation aborts.  Limits are small so that a run stays fast.
 *
 *   make fuzz && build/fuzz/fuzz_xmlin -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_xmlin
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "xmlin.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_BYTES ((uint64_t)1 << 20) /* 1 MiB */
#define FUZZ_MAX_DEPTH 32
#define FUZZ_MAX_TEXT ((size_t)4096)

static volatile size_t sink;

static void contract(int ok, const char *what, const struct br_error *err)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_xmlin: contract violated: %s (code %d, msg \"%s\", line %ld)\n",
		what, err ? (int)err->code : 0, err ? err->msg : "", err ? err->line : 0L);
	abort();
}

static void touch(const char *s)
{
	contract(s != NULL, "an accessor returned NULL", NULL);
	sink += strlen(s);
}

/* A finished read: 0 with no error, or a negative code with err filled. */
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

static void touch_node(struct xmlin *x, const struct br_error *err)
{
	enum xmlin_node t = xmlin_type(x);
	int depth = xmlin_depth(x);

	contract(t == XMLIN_START || t == XMLIN_END || t == XMLIN_TEXT,
		 "xmlin_read gave an XMLIN_OTHER node", err);
	contract(depth >= 1, "depth below 1", err);
	contract(t != XMLIN_START || depth <= FUZZ_MAX_DEPTH, "element deeper than max_depth", err);
	touch(xmlin_name(x));
	touch(xmlin_ns(x));
	touch(xmlin_label(x));
	sink += (size_t)xmlin_line(x) + (size_t)xmlin_is_empty(x);
	if (t == XMLIN_START) {
		const char *a = xmlin_attr(x, "code");
		const char *b;

		if (a)
			sink += strlen(a);
		b = xmlin_attr(x, "leveringId");
		if (b)
			sink += strlen(b);
		if ((b = xmlin_attr(x, "naam")) != NULL)
			sink += strlen(b);
	}
}

static struct xmlin *open_input(const uint8_t *data, size_t size, struct br_error *err)
{
	struct xmlin_limits lim;
	struct xmlin *x = NULL;
	int rc;

	xmlin_limits_default(&lim);
	lim.max_bytes = FUZZ_MAX_BYTES;
	lim.max_depth = FUZZ_MAX_DEPTH;
	lim.max_text = FUZZ_MAX_TEXT;
	br_error_clear(err);
	rc = xmlin_open_memory(&x, data, size, "fuzz", NULL, &lim, err);
	if (rc != 0) {
		contract(x == NULL, "failed open left a reader", err);
		check_end(rc, err);
		return NULL;
	}
	contract(x != NULL, "open succeeded without a reader", err);
	return x;
}

static void check_text(const char *buf, size_t cap, size_t len, const struct br_error *err)
{
	contract(len < cap, "text length not below the buffer size", err);
	contract(memchr(buf, 0, cap) == buf + len, "text not NUL-terminated at its length", err);
	sink += len;
}

static void pass_read(const uint8_t *data, size_t size)
{
	struct br_error err;
	struct xmlin *x = open_input(data, size, &err);
	int rc;

	if (!x)
		return;
	while ((rc = xmlin_read(x, &err)) == 1)
		touch_node(x, &err);
	check_end(rc, &err);
	xmlin_free(x);
}

static void pass_text(const uint8_t *data, size_t size, int root_only)
{
	struct br_error err;
	struct xmlin *x = open_input(data, size, &err);
	char buf[64];
	size_t len;
	int rc, n2 = 0;

	if (!x)
		return;
	while ((rc = xmlin_read(x, &err)) == 1) {
		int depth = xmlin_depth(x);

		touch_node(x, &err);
		if (xmlin_type(x) != XMLIN_START)
			continue;
		if (root_only ? depth == 1 : depth >= 3) {
			memset(buf, 'Q', sizeof(buf));
			len = 12345;
			/* The buffer size varies with the depth: 2..64 bytes. */
			rc = xmlin_text(x, buf, 2 + (size_t)(depth * 7) % 63, &len, &err);
			if (rc < 0)
				break;
			check_text(buf, 2 + (size_t)(depth * 7) % 63, len, &err);
			contract(xmlin_type(x) == XMLIN_END || xmlin_is_empty(x),
				 "xmlin_text did not stop at the end of its element", &err);
		} else if (!root_only && depth == 2 && (n2++ & 1)) {
			if ((rc = xmlin_skip(x, &err)) < 0)
				break;
			contract(xmlin_type(x) == XMLIN_END || xmlin_is_empty(x),
				 "xmlin_skip did not stop at the end of its element", &err);
		}
	}
	check_end(rc, &err);
	xmlin_free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pass_read(data, size);
	pass_text(data, size, 0);
	pass_text(data, size, 1);
	return 0;
}

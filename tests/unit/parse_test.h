/*
 * parse_test.h — the fixture that the tests of the record parsers
 * (test_register.c, test_polis.c, test_signals_xml.c) share: the schema
 * loaded once per group, a file of tests/data/<dir>/ parsed with or without
 * it, and "this file is refused on this line with these words".
 *
 * Header-only, included once by one test file (after <cmocka.h>), which
 * first defines:
 *
 *   struct collected { int headers; struct levering_header hdr; int n; ... };
 *       what one parse delivered: on_header() below fills the header part,
 *       the test's own record callback the rest;
 *   PARSE_TEST_DATA    the directory under tests/data/ ("register");
 *   PARSE_TEST_SCHEMA  the XSD under data/schemas/ ("clientregister.xsd");
 *   PARSE_TEST_REFUSED the Dutch words every refusal starts with
 *                      ("Clientregister geweigerd: ", issue 12);
 *
 * and after it defines parse_records(): the parser under test over `x`
 * with on_header() and its record callback, collecting into `c`.
 *
 * The project root comes from $BR_SOURCE_DIR, else the compile-time
 * BR_SOURCE_DIR.
 */
#ifndef BR_PARSE_TEST_H
#define BR_PARSE_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "error.h"
#include "levering.h"
#include "xmlin.h"

struct fixture {
	struct xmlin_schema *schema;
	char root[1024];
};

static int parse_records(struct xmlin *x, struct collected *c, struct br_error *err);

static int on_header(void *ctx, const struct levering_header *hdr, struct br_error *err)
{
	struct collected *c = ctx;

	(void)err;
	c->headers++;
	c->hdr = *hdr;
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *root = getenv("BR_SOURCE_DIR");
	char xsd[1200];
	struct br_error err;

	if (!f)
		return -1;
	snprintf(f->root, sizeof(f->root), "%s", root && *root ? root : BR_SOURCE_DIR);
	snprintf(xsd, sizeof(xsd), "%s/data/schemas/%s", f->root, PARSE_TEST_SCHEMA);
	br_error_clear(&err);
	if (xmlin_schema_load(&f->schema, xsd, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	xmlin_schema_free(f->schema);
	free(f);
	return 0;
}

/* Parse tests/data/PARSE_TEST_DATA/NAME into *c; returns the parser's result. */
static int parse(struct fixture *f, const char *name, int with_schema, struct collected *c,
		 struct br_error *err)
{
	struct xmlin *x = NULL;
	char path[1200];
	int rc;

	memset(c, 0, sizeof(*c));
	br_error_clear(err);
	snprintf(path, sizeof(path), "%s/tests/data/%s/%s", f->root, PARSE_TEST_DATA, name);
	rc = xmlin_open(&x, path, name, with_schema ? f->schema : NULL, NULL, err);
	if (rc == 0)
		rc = parse_records(x, c, err);
	xmlin_free(x);
	return rc;
}

/* The file is refused with BR_EINPUT on `line`, the message starting with
 * PARSE_TEST_REFUSED and holding `schema_msg` with the schema and
 * `parser_msg` without it. */
static void expect_refused_at(void **state, const char *name, long schema_line,
			      const char *schema_msg, long parser_line, const char *parser_msg)
{
	struct collected *c = malloc(sizeof(*c));
	struct br_error err;
	int pass;

	assert_non_null(c);
	for (pass = 0; pass < 2; pass++) {
		const char *want = pass == 0 ? schema_msg : parser_msg;
		long line = pass == 0 ? schema_line : parser_line;
		int rc = parse(*state, name, pass == 0, c, &err);

		if (rc != BR_EINPUT || err.line != line || !strstr(err.msg, want) ||
		    strncmp(err.msg, PARSE_TEST_REFUSED, strlen(PARSE_TEST_REFUSED)) != 0)
			print_error("%s (%s schema): rc %d, line %ld, \"%s\"; want line %ld, \"%s\"\n",
				    name, pass == 0 ? "with" : "without", rc, err.line, err.msg, line,
				    want);
		assert_int_equal(rc, BR_EINPUT);
		assert_int_equal(err.code, BR_EINPUT);
		assert_string_equal(err.file, name);
		assert_int_equal(err.line, line);
		assert_non_null(strstr(err.msg, want));
		assert_int_equal(strncmp(err.msg, PARSE_TEST_REFUSED, strlen(PARSE_TEST_REFUSED)), 0);
		/* A BSN never appears in full in a message (bsn.h). */
		assert_null(strstr(err.msg, "123456789"));
	}
	free(c);
}

static void expect_refused(void **state, const char *name, long line, const char *schema_msg,
			   const char *parser_msg)
{
	expect_refused_at(state, name, line, schema_msg, line, parser_msg);
}

static int32_t day(const char *s)
{
	int32_t d = 0;

	assert_int_equal(date_parse(&d, s, strlen(s), NULL), 0);
	return d;
}

#endif

/*
 * test_pain002.c — the pain.002 status report parser over the files in
 * tests/data/pain002/ (style.md "Tests": a parser's edge cases are data
 * files), validated against betaalrun's own schemas in parsers/schemas/.
 *
 *   good-*.xml     every status record, exactly
 *   bad-*.xml      refused by our schema: code, line and message
 *   refused-*.xml  valid, but refused by pain002.c itself
 *
 * The project root comes from $BR_SOURCE_DIR, else the compile-time
 * BR_SOURCE_DIR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "error.h"
#include "levering.h"
#include "pain002.h"
#include "xmlin.h"

#include "banned.h"

#define MAX_RECORDS 16

struct expect_status {
	long line;
	const char *msg_id, *pmtinf_id, *e2e_id, *status, *reason;
};

struct collect {
	int headers;
	struct levering_header hdr;
	int n;
	struct pain002_status rec[MAX_RECORDS];
	int statuses_before_header;
	int fail_at;                /* status callback fails on this call (1-based), 0 never */
	int fail_header;
};

struct fixture {
	char root[1024];
	struct xmlin_schema *xsd03, *xsd10;
};

static int on_header(void *ctx, const struct levering_header *hdr, struct br_error *err)
{
	struct collect *c = ctx;

	c->headers++;
	c->hdr = *hdr;
	if (c->fail_header)
		return br_error_set(err, BR_EINPUT, "delivery %s was already ingested", hdr->levering_id);
	return 0;
}

static int on_status(void *ctx, const struct pain002_status *s, struct br_error *err)
{
	struct collect *c = ctx;

	if (c->headers == 0)
		c->statuses_before_header++;
	if (c->n < MAX_RECORDS)
		c->rec[c->n] = *s;
	c->n++;
	if (c->fail_at && c->n == c->fail_at)
		return BR_ENOINPUT; /* no message: pain002.c must supply one */
	(void)err;
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *root = getenv("BR_SOURCE_DIR");
	char path[1200];
	struct br_error err;

	if (!f)
		return -1;
	if (!root || !root[0])
		root = BR_SOURCE_DIR;
	snprintf(f->root, sizeof(f->root), "%s", root);
	br_error_clear(&err);
	snprintf(path, sizeof(path), "%s/parsers/schemas/pain.002.001.03.xsd", f->root);
	if (xmlin_schema_load(&f->xsd03, path, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/parsers/schemas/pain.002.001.10.xsd", f->root);
	if (xmlin_schema_load(&f->xsd10, path, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	xmlin_schema_free(f->xsd03);
	xmlin_schema_free(f->xsd10);
	free(f);
	return 0;
}

static const struct xmlin_schema *schema_for(const struct fixture *f, int version)
{
	return version == 3 ? f->xsd03 : version == 10 ? f->xsd10 : NULL;
}

/* Parse tests/data/pain002/<name> with schema version 3, 10 or 0 (none). */
static int parse(const struct fixture *f, const char *name, int version,
		 struct collect *c, struct br_error *err)
{
	struct pain002_handler h = { on_header, on_status, c };
	struct xmlin *x = NULL;
	char path[1300];
	int rc;

	br_error_clear(err);
	snprintf(path, sizeof(path), "%s/tests/data/pain002/%s", f->root, name);
	if ((rc = xmlin_open(&x, path, name, schema_for(f, version), NULL, err)) == 0)
		rc = pain002_parse(x, &h, err);
	xmlin_free(x);
	return rc;
}

/* "good-03-..." is pain.002.001.03, "good-10-..." .10 */
static int file_version(const char *name)
{
	const char *v = strchr(name, '-');

	return v && strncmp(v, "-10-", 4) == 0 ? 10 : 3;
}

static int64_t ts(int y, int mo, int d, int hh, int mi, int ss)
{
	return timestamp_from(date_from_ymd(y, mo, d), hh, mi, ss);
}

static void check_good(void **state, const char *name, int version, const char *msg_id,
		       int64_t aanmaak, const struct expect_status *want, int n)
{
	struct fixture *f = *state;
	struct collect c;
	struct br_error err;
	int i, rc;

	memset(&c, 0, sizeof(c));
	rc = parse(f, name, version, &c, &err);
	if (rc != 0)
		fail_msg("%s: %s (%s line %ld)", name, err.msg, err.file, err.line);
	assert_int_equal(c.headers, 1);
	assert_int_equal(c.statuses_before_header, 0);
	assert_int_equal(c.hdr.kind, LEVERING_PAIN002);
	assert_string_equal(c.hdr.levering_id, msg_id);
	assert_true(c.hdr.aanmaakdatum == aanmaak);
	assert_int_equal(c.hdr.peildatum, DATE_NONE);
	assert_int_equal(c.hdr.iso_version, file_version(name));
	assert_int_equal(c.n, n);
	for (i = 0; i < n; i++) {
		const struct pain002_status *s = &c.rec[i];
		assert_int_equal(s->line, want[i].line);
		assert_string_equal(s->orgnl_msg_id, want[i].msg_id);
		assert_string_equal(s->orgnl_pmtinf_id, want[i].pmtinf_id);
		assert_string_equal(s->orgnl_e2e_id, want[i].e2e_id);
		assert_string_equal(s->status, want[i].status);
		assert_string_equal(s->reason, want[i].reason);
	}
}

static void check_refused(void **state, const char *name, int version, int code,
			  long line, const char *needle)
{
	struct fixture *f = *state;
	struct collect c;
	struct br_error err;
	int rc;

	memset(&c, 0, sizeof(c));
	rc = parse(f, name, version, &c, &err);
	if (rc == 0)
		fail_msg("%s (schema %d) was accepted", name, version);
	assert_int_equal(rc, code);
	assert_int_equal(err.code, code);
	assert_string_equal(err.file, name);
	if (err.line != line || !strstr(err.msg, needle))
		fail_msg("%s (schema %d): want line %ld and '%s', got line %ld: %s", name, version,
			 line, needle, err.line, err.msg);
}

/* ---- good files --------------------------------------------------------- */

static void test_03_part(void **state)
{
	static const struct expect_status want[] = {
		{ 15, "BR-2026-12-0001", "", "", "PART", "" },
		{ 22, "BR-2026-12-0001", "BR-2026-12-0001-K1", "", "PART", "" },
		{ 27, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000123", "RJCT", "AC01" },
		{ 81, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000124", "RJCT", "MD07" },
		{ 106, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000125", "ACCP", "" },
	};
	/* 10:15:00.123+01:00: the fraction is dropped */
	check_good(state, "good-03-part.xml", 3, "ING20261127101500123456",
		   ts(2026, 11, 27, 10, 15, 0), want, 5);
}

static void test_03_accp(void **state)
{
	static const struct expect_status want[] = {
		{ 15, "BR-2026-12-0002", "", "", "ACCP", "" },
	};
	check_good(state, "good-03-accp.xml", 3, "ING20261127090211000981",
		   ts(2026, 11, 27, 9, 2, 11), want, 1);
}

static void test_03_batch_rjct(void **state)
{
	static const struct expect_status want[] = {
		{ 15, "BR-2026-12-0003", "", "", "PART", "" },
		{ 23, "BR-2026-12-0003", "BR-2026-12-0003-K1", "", "ACCP", "" },
		{ 29, "BR-2026-12-0003", "BR-2026-12-0003-K2", "", "RJCT", "AC04" },
	};
	/* 08:30:45Z: the time as written, the zone is not applied */
	check_good(state, "good-03-batch-rjct.xml", 3, "ING20261127083045000412",
		   ts(2026, 11, 27, 8, 30, 45), want, 3);
}

static void test_03_group_rjct(void **state)
{
	static const struct expect_status want[] = {
		{ 10, "BR-2026-08-0001", "", "", "RJCT", "FF01" },
	};
	/* 10:15:00+02:00 (Dutch summer time): as written */
	check_good(state, "good-03-group-rjct.xml", 3, "ING20260727101500000077",
		   ts(2026, 7, 27, 10, 15, 0), want, 1);
}

static void test_10_part(void **state)
{
	static const struct expect_status want[] = {
		{ 20, "BR-2026-12-0001", "", "", "PART", "" },
		{ 38, "BR-2026-12-0001", "BR-2026-12-0001-K1", "", "PART", "" },
		{ 43, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000123", "RJCT", "AC01" },
		{ 105, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000124", "RJCT", "MD07" },
		{ 134, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000125", "ACCP", "" },
	};
	check_good(state, "good-10-part.xml", 10, "RABO-PSR-2026112714053345",
		   ts(2026, 11, 27, 14, 5, 33), want, 5);
}

static void test_10_accp(void **state)
{
	static const struct expect_status want[] = {
		{ 16, "BR-2026-12-0002", "", "", "ACCP", "" },
	};
	check_good(state, "good-10-accp.xml", 10, "ABNA2026112709021100017",
		   ts(2026, 11, 27, 9, 2, 11), want, 1);
}

static void test_10_batch_rjct(void **state)
{
	static const struct expect_status want[] = {
		{ 16, "BR-2026-12-0003", "", "", "PART", "" },
		{ 23, "BR-2026-12-0003", "BR-2026-12-0003-K1", "", "ACCP", "" },
		{ 29, "BR-2026-12-0003", "BR-2026-12-0003-K2", "", "RJCT", "AC04" },
	};
	/* 08:30:45.000Z */
	check_good(state, "good-10-batch-rjct.xml", 10, "ABNA2026112708304500003",
		   ts(2026, 11, 27, 8, 30, 45), want, 3);
}

static void test_10_edge(void **state)
{
	/* no group or batch status; Prtry in the first reason */
	static const struct expect_status want[] = {
		{ 16, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000125", "ACSC", "" },
		{ 20, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000200", "RJCT", "MS03" },
	};
	/* 10:00:00.5-03:30: as written */
	check_good(state, "good-10-edge.xml", 10, "ABNA2026120310000000001",
		   ts(2026, 12, 3, 10, 0, 0), want, 2);
}

/* Text written as CDATA sections, whole or in part, is the same text. */
static void test_10_cdata(void **state)
{
	static const struct expect_status want[] = {
		{ 15, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000125", "RJCT", "AC01" },
	};

	check_good(state, "good-10-cdata.xml", 10, "ABNA2026120310000000002",
		   ts(2026, 12, 3, 10, 0, 0), want, 1);
}

/* Without a schema (as when sniffing) the good files read the same. */
static void test_good_without_schema(void **state)
{
	static const char *const names[] = {
		"good-03-part.xml", "good-03-accp.xml", "good-03-batch-rjct.xml",
		"good-03-group-rjct.xml", "good-10-part.xml", "good-10-accp.xml",
		"good-10-batch-rjct.xml", "good-10-edge.xml", "good-10-cdata.xml",
	};
	static const int counts[] = { 5, 1, 3, 1, 5, 1, 3, 2, 1 };
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct collect c;
		struct br_error err;

		memset(&c, 0, sizeof(c));
		if (parse(f, names[i], 0, &c, &err) != 0)
			fail_msg("%s: %s", names[i], err.msg);
		assert_int_equal(c.headers, 1);
		assert_int_equal(c.n, counts[i]);
	}
}

/* ---- refused files ------------------------------------------------------ */

static void test_bad_namespace(void **state)
{
	check_refused(state, "bad-05-namespace.xml", 3, BR_EINPUT, 2,
		      "No matching global declaration available for the validation root");
	check_refused(state, "bad-05-namespace.xml", 0, BR_EINPUT, 2,
		      "root element Document in namespace urn:iso:std:iso:20022:tech:xsd:pain.002.001.05 is not a pain.002 status report");
}

static void test_bad_pain001(void **state)
{
	check_refused(state, "bad-pain001.xml", 10, BR_EINPUT, 2,
		      "No matching global declaration available for the validation root");
	check_refused(state, "bad-pain001.xml", 0, BR_EINPUT, 2,
		      "root element Document in namespace urn:iso:std:iso:20022:tech:xsd:pain.001.001.09 is not a pain.002 status report");
}

static void test_bad_no_e2e(void **state)
{
	/* the schema sees TxSts where OrgnlEndToEndId must be */
	check_refused(state, "bad-03-no-e2e.xml", 3, BR_EINPUT, 83,
		      "'TxSts': This element is not expected");
	/* pain002.c checks it for itself, at the TxInfAndSts */
	check_refused(state, "bad-03-no-e2e.xml", 0, BR_EINPUT, 81,
		      "<TxInfAndSts> in batch BR-2026-12-0001-K1 has no <OrgnlEndToEndId>");
}

static void test_bad_msgid_too_long(void **state)
{
	check_refused(state, "bad-10-msgid-too-long.xml", 10, BR_EINPUT, 5,
		      "MsgId': [facet 'maxLength'] The value has a length of '36'; this exceeds the allowed maximum length of '35'");
	check_refused(state, "bad-10-msgid-too-long.xml", 0, BR_EINPUT, 5,
		      "text of <MsgId> is longer than 35 bytes");
}

static void test_bad_status_code(void **state)
{
	check_refused(state, "bad-03-status-code.xml", 3, BR_EINPUT, 108,
		      "The value 'ACPT' is not an element of the set");
	/* V10's official schema allows any Max4Text; ours has the code list */
	check_refused(state, "bad-10-status-code.xml", 10, BR_EINPUT, 137,
		      "The value 'OKAY' is not an element of the set");
}

static void test_bad_credttm_offset(void **state)
{
	check_refused(state, "bad-10-credttm-offset.xml", 10, BR_EINPUT, 6,
		      "'2026-11-27T09:02:11+15:00' is not a valid value of the atomic type");
	check_refused(state, "bad-10-credttm-offset.xml", 0, BR_EINPUT, 6,
		      "creation time <CreDtTm> '2026-11-27T09:02:11+15:00' has something other than a fraction of a second and a zone");
}

/* Both valid against the official schemas; ours and pain002.c refuse them. */
static void test_bad_e2e_not_ascii(void **state)
{
	check_refused(state, "bad-03-e2e-not-ascii.xml", 3, BR_EINPUT, 107,
		      "[facet 'pattern'] The value 'BR26120001-000125\xc3\xa9' is not accepted by the pattern");
	check_refused(state, "bad-03-e2e-not-ascii.xml", 0, BR_EINPUT, 107,
		      "<OrgnlEndToEndId> holds a character that is not printable ASCII");
}

static void test_bad_no_txsts(void **state)
{
	check_refused(state, "bad-10-no-txsts.xml", 10, BR_EINPUT, 137,
		      "AccptncDtTm': This element is not expected");
	check_refused(state, "bad-10-no-txsts.xml", 0, BR_EINPUT, 134,
		      "<TxInfAndSts> for payment BR26120001-000125 has no <TxSts>");
}

static void test_refused_prtry_too_long(void **state)
{
	check_refused(state, "refused-10-prtry-long.xml", 10, BR_EINPUT, 36,
		      "proprietary status reason <Prtry> 'NOTPROVIDED' is longer than 4 characters");
}

/* The wrong version's schema: refused at the root. */
static void test_wrong_schema(void **state)
{
	check_refused(state, "good-10-accp.xml", 3, BR_EINPUT, 2,
		      "No matching global declaration available for the validation root");
}

/* ---- callbacks ---------------------------------------------------------- */

static void test_status_callback_fails(void **state)
{
	struct fixture *f = *state;
	struct collect c;
	struct br_error err;

	memset(&c, 0, sizeof(c));
	c.fail_at = 3;
	assert_int_equal(parse(f, "good-03-part.xml", 3, &c, &err), BR_ENOINPUT);
	assert_int_equal(c.n, 3);
	assert_int_equal(err.code, BR_ENOINPUT);
	assert_string_equal(err.file, "good-03-part.xml");
	assert_int_equal(err.line, 27);
	assert_non_null(strstr(err.msg, "status RJCT for BR26120001-000123 could not be recorded"));
}

static void test_header_callback_fails(void **state)
{
	struct fixture *f = *state;
	struct collect c;
	struct br_error err;

	memset(&c, 0, sizeof(c));
	c.fail_header = 1;
	assert_int_equal(parse(f, "good-10-part.xml", 10, &c, &err), BR_EINPUT);
	assert_int_equal(c.n, 0);
	assert_string_equal(err.msg, "delivery RABO-PSR-2026112714053345 was already ingested");
	assert_string_equal(err.file, "good-10-part.xml");
	assert_int_equal(err.line, 6);
}

static void test_null_callbacks(void **state)
{
	struct fixture *f = *state;
	struct pain002_handler h = { NULL, NULL, NULL };
	struct br_error err;
	struct xmlin *x = NULL;
	char path[1300];

	br_error_clear(&err);
	snprintf(path, sizeof(path), "%s/tests/data/pain002/good-10-part.xml", f->root);
	assert_int_equal(xmlin_open(&x, path, "good-10-part.xml", f->xsd10, NULL, &err), 0);
	assert_int_equal(pain002_parse(x, &h, &err), 0);
	xmlin_free(x);
}

/* ---- robustness --------------------------------------------------------- */

static char *slurp(const char *path, size_t *out_len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) > 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, fp) == (size_t)n) {
		*out_len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

/*
 * Every prefix of every good file, and every file with one byte changed at
 * each position (a few values), with and without the schema: pain002_parse
 * returns 0 or a filled error, never crashes (run under ASan/UBSan), and
 * never delivers a status before the header.  A truncated file is refused.
 */
static void test_truncated_and_mutated(void **state)
{
	static const char *const names[] = {
		"good-03-part.xml", "good-10-part.xml", "good-10-edge.xml", "good-03-group-rjct.xml",
	};
	static const char subst[] = { '<', '>', '/', 'X', '\0', ' ', '"', '&' };
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[1300];
		size_t len = 0, cut, k;
		char *data, *copy;
		int version = file_version(names[i]);

		snprintf(path, sizeof(path), "%s/tests/data/pain002/%s", f->root, names[i]);
		assert_non_null(data = slurp(path, &len));
		assert_non_null(copy = malloc(len));
		for (cut = 0; cut <= len; cut++) {
			int pass;
			/* the trailing newline may go; anything more is a truncation */
			int whole = cut + 1 >= len;

			for (pass = 0; pass < 2; pass++) {
				struct pain002_handler h;
				struct collect c;
				struct br_error err;
				struct xmlin *x = NULL;
				int rc;

				memset(&c, 0, sizeof(c));
				h.header = on_header;
				h.status = on_status;
				h.ctx = &c;
				br_error_clear(&err);
				rc = xmlin_open_memory(&x, data, cut, names[i],
						       pass ? schema_for(f, version) : NULL, NULL, &err);
				if (rc == 0)
					rc = pain002_parse(x, &h, &err);
				xmlin_free(x);
				if (whole)
					assert_int_equal(rc, 0);
				else if (rc == 0)
					fail_msg("%s cut at %zu bytes was accepted", names[i], cut);
				assert_true(rc == 0 || (err.code == rc && err.msg[0]));
				assert_int_equal(c.statuses_before_header, 0);
			}
		}
		for (k = 0; k < len; k += 3) {
			size_t s;

			for (s = 0; s < sizeof(subst); s++) {
				struct pain002_handler h;
				struct collect c;
				struct br_error err;
				struct xmlin *x = NULL;
				int rc;

				memcpy(copy, data, len);
				copy[k] = subst[s];
				memset(&c, 0, sizeof(c));
				h.header = on_header;
				h.status = on_status;
				h.ctx = &c;
				br_error_clear(&err);
				rc = xmlin_open_memory(&x, copy, len, names[i],
						       (k / 3 + s) % 2 ? schema_for(f, version) : NULL,
						       NULL, &err);
				if (rc == 0)
					rc = pain002_parse(x, &h, &err);
				xmlin_free(x);
				assert_true(rc == 0 || (err.code == rc && err.msg[0]));
				assert_true(c.headers <= 1);
				assert_int_equal(c.statuses_before_header, 0);
			}
		}
		free(copy);
		free(data);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_03_part),
		cmocka_unit_test(test_03_accp),
		cmocka_unit_test(test_03_batch_rjct),
		cmocka_unit_test(test_03_group_rjct),
		cmocka_unit_test(test_10_part),
		cmocka_unit_test(test_10_accp),
		cmocka_unit_test(test_10_batch_rjct),
		cmocka_unit_test(test_10_edge),
		cmocka_unit_test(test_10_cdata),
		cmocka_unit_test(test_good_without_schema),
		cmocka_unit_test(test_bad_namespace),
		cmocka_unit_test(test_bad_pain001),
		cmocka_unit_test(test_bad_no_e2e),
		cmocka_unit_test(test_bad_msgid_too_long),
		cmocka_unit_test(test_bad_status_code),
		cmocka_unit_test(test_bad_credttm_offset),
		cmocka_unit_test(test_bad_e2e_not_ascii),
		cmocka_unit_test(test_bad_no_txsts),
		cmocka_unit_test(test_refused_prtry_too_long),
		cmocka_unit_test(test_wrong_schema),
		cmocka_unit_test(test_status_callback_fails),
		cmocka_unit_test(test_header_callback_fails),
		cmocka_unit_test(test_null_callbacks),
		cmocka_unit_test(test_truncated_and_mutated),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test_signaltable.c — the signal table (parsers/signaltable.h): the table
 * shipped in data/rules/ must be exactly signals.md's, and a broken
 * table (tests/data/signals/table_*.xml) is a configuration error with file
 * and line, with and without the schema.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "signaltable.h"
#include "banned.h"

struct fixture {
	char root[1024];
	char xsd[1200];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *root = getenv("BR_SOURCE_DIR");

	if (!f)
		return -1;
	snprintf(f->root, sizeof(f->root), "%s", root && *root ? root : BR_SOURCE_DIR);
	snprintf(f->xsd, sizeof(f->xsd), "%s/data/schemas/signaaltabel.xsd", f->root);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static void expect_signal(const struct signaltable *t, const char *soort, const char *bron,
			  const char *taak, int prioriteit, int termijn, enum signal_effect effect)
{
	const struct signal_kind *k = signaltable_find(t, soort);

	if (!k)
		fail_msg("signal kind %s is not in the table", soort);
	assert_string_equal(k->soort, soort);
	assert_string_equal(k->bron, bron);
	assert_string_equal(k->taak, taak);
	assert_int_equal(k->prioriteit, prioriteit);
	assert_int_equal(k->termijn_dagen, termijn);
	assert_int_equal(k->effect, effect);
}

static void expect_job(const struct signaltable *t, const char *taak, int prioriteit, int termijn)
{
	const struct job_kind *j = signaltable_find_job(t, taak);

	if (!j)
		fail_msg("job kind %s is not in the table", taak);
	assert_string_equal(j->taak, taak);
	assert_int_equal(j->prioriteit, prioriteit);
	assert_int_equal(j->termijn_dagen, termijn);
}

/* signals.md, row by row. */
static void test_shipped_table_is_signals_md(void **state)
{
	struct fixture *f = *state;
	struct signaltable t;
	struct br_error err;
	char path[1200];
	int pass;

	snprintf(path, sizeof(path), "%s/data/rules/signaaltabel.xml", f->root);
	for (pass = 0; pass < 2; pass++) {
		br_error_clear(&err);
		if (signaltable_load(&t, path, pass == 0 ? f->xsd : NULL, &err) < 0)
			fail_msg("%s line %ld: %s", err.file, err.line, err.msg);
		assert_int_equal(t.n_signals, 13);
		expect_signal(&t, "START_INKOMSTENVERHOUDING", "UWV", "INKOMEN", 2, 14, SIGNAL_EFFECT_NONE);
		expect_signal(&t, "DETENTIE", "DJI", "DETENTIE", 1, 5, SIGNAL_EFFECT_HOLD);
		expect_signal(&t, "UITKERING_ANDERE_GEMEENTE", "GEMEENTE", "SAMENLOOP", 1, 5,
			      SIGNAL_EFFECT_HOLD);
		expect_signal(&t, "VOORTVLUCHTIG", "CJIB", "VOORTVLUCHTIG", 1, 5, SIGNAL_EFFECT_HOLD);
		expect_signal(&t, "STUDIEFINANCIERING", "DUO", "STUDIE", 2, 14, SIGNAL_EFFECT_NONE);
		expect_signal(&t, "INSCHRIJVING_HO", "DUO", "STUDIE", 3, 28, SIGNAL_EFFECT_NONE);
		expect_signal(&t, "VERMOGEN", "BELASTINGDIENST", "VERMOGEN", 2, 28, SIGNAL_EFFECT_NONE);
		expect_signal(&t, "INKOMSTEN_BOX1_BOX3", "BELASTINGDIENST", "VERMOGEN", 3, 28,
			      SIGNAL_EFFECT_NONE);
		expect_signal(&t, "BANKREKENING", "BELASTINGDIENST", "VERMOGEN", 3, 28, SIGNAL_EFFECT_NONE);
		expect_signal(&t, "VOERTUIG", "RDW", "VERMOGEN", 3, 28, SIGNAL_EFFECT_NONE);
		expect_signal(&t, "KOSTENDELERS", "BRP", "WOONSITUATIE", 2, 14, SIGNAL_EFFECT_NONE);
		expect_signal(&t, "OVERLIJDEN", "BRP", "OVERLIJDEN", 1, 3, SIGNAL_EFFECT_HOLD);
		expect_signal(&t, "EMIGRATIE", "BRP", "WOONSITUATIE", 1, 5, SIGNAL_EFFECT_HOLD);
		assert_int_equal(t.n_jobs, 8);
		expect_job(&t, "INKOMEN_OUD", 2, 28);
		expect_job(&t, "DERDEN", 1, 5);
		expect_job(&t, "AOW", 2, 28);
		expect_job(&t, "INKOMEN_HANDMATIG", 2, 14);
		expect_job(&t, "REGISTER", 1, 5);
		expect_job(&t, "BANK", 1, 2);
		expect_job(&t, "BUFFER", 2, 5);
		expect_job(&t, "HERBEREKENING", 3, 0);
		assert_null(signaltable_find(&t, "FRAUDE"));
		assert_null(signaltable_find_job(&t, "DETENTIE"));
		signaltable_release(&t);
		assert_null(t.signals);
		assert_int_equal(t.n_signals, 0);
	}
}

static void test_small_table(void **state)
{
	struct fixture *f = *state;
	struct signaltable t;
	struct br_error err;
	char path[1200];

	snprintf(path, sizeof(path), "%s/tests/data/signals/table_small.xml", f->root);
	br_error_clear(&err);
	assert_int_equal(signaltable_load(&t, path, f->xsd, &err), 0);
	assert_int_equal(t.n_signals, 2);
	expect_signal(&t, "VOERTUIG", "RDW", "VERMOGEN", 3, 28, SIGNAL_EFFECT_NONE);
	signaltable_release(&t);
}

/* Refused as BR_ECONFIG at `line` with `schema_msg` / `parser_msg`. */
static void expect_refused(void **state, const char *name, long schema_line,
			   const char *schema_msg, long parser_line, const char *parser_msg)
{
	struct fixture *f = *state;
	struct signaltable t;
	struct br_error err;
	char path[1200];
	int pass;

	snprintf(path, sizeof(path), "%s/tests/data/signals/%s", f->root, name);
	for (pass = 0; pass < 2; pass++) {
		const char *want = pass == 0 ? schema_msg : parser_msg;
		long line = pass == 0 ? schema_line : parser_line;
		int rc;

		br_error_clear(&err);
		rc = signaltable_load(&t, path, pass == 0 ? f->xsd : NULL, &err);
		if (rc != BR_ECONFIG || err.line != line || !strstr(err.msg, want))
			print_error("%s (%s schema): rc %d, line %ld, \"%s\"; want line %ld, \"%s\"\n",
				    name, pass == 0 ? "with" : "without", rc, err.line, err.msg, line,
				    want);
		assert_int_equal(rc, BR_ECONFIG);
		assert_int_equal(err.code, BR_ECONFIG);
		assert_string_equal(err.file, path);
		assert_int_equal(err.line, line);
		assert_non_null(strstr(err.msg, want));
		assert_int_equal(strncmp(err.msg, "signaaltabel ", 13), 0);
		/* Nothing is left allocated on failure. */
		assert_null(t.signals);
		assert_null(t.jobs);
	}
}

static void test_duplicate_soort(void **state)
{
	expect_refused(state, "table_duplicate.xml", 5, "signaalsoort DETENTIE komt twee keer voor", 5,
		       "signaalsoort DETENTIE komt twee keer voor");
}

static void test_missing_pipeline_job(void **state)
{
	expect_refused(state, "table_missing_job.xml", 3, "taaksoort REGISTER ontbreekt", 3,
		       "taaksoort REGISTER ontbreekt");
}

static void test_bad_effect(void **state)
{
	expect_refused(state, "table_bad_effect.xml", 4, "The value 'STOP' is not an element of the set",
		       4, "effect 'STOP' van signaalsoort DETENTIE moet NONE of HOLD zijn");
}

static void test_bad_priority(void **state)
{
	expect_refused(state, "table_bad_priority.xml", 5, "The value '0' is not accepted", 5,
		       "prioriteit '0' van <Signaal> moet een geheel getal van 1 tot en met 9 zijn");
}

static void test_wrong_namespace(void **state)
{
	expect_refused(state, "table_wrong_namespace.xml", 3, "No matching global declaration", 3,
		       "het rootelement is <Signaaltabel> in namespace 'urn:nl:betaalrun:signalen:1'");
}

static void test_missing_file(void **state)
{
	struct fixture *f = *state;
	struct signaltable t;
	struct br_error err;

	br_error_clear(&err);
	assert_int_equal(signaltable_load(&t, "/nonexistent/signaaltabel.xml", f->xsd, &err),
			 BR_ECONFIG);
	assert_non_null(strstr(err.msg, "/nonexistent/signaaltabel.xml kan niet worden geopend"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_table_is_signals_md),
		cmocka_unit_test(test_small_table),
		cmocka_unit_test(test_duplicate_soort),
		cmocka_unit_test(test_missing_pipeline_job),
		cmocka_unit_test(test_bad_effect),
		cmocka_unit_test(test_bad_priority),
		cmocka_unit_test(test_wrong_namespace),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

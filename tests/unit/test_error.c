/* test_error.c — error.c: first error wins, context added on the way up,
 * messages cut at the cap, the sysexits mapping (cli.md "Exit codes"). */
#include "error.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "banned.h"

static void test_first_error_wins(void **state)
{
	struct br_error e;

	(void)state;
	br_error_clear(&e);
	assert_int_equal(br_error_set(&e, BR_EINPUT, "line %d is bad", 7), BR_EINPUT);
	assert_int_equal(br_error_set(&e, BR_EIO, "later"), BR_EIO);
	assert_int_equal(e.code, BR_EINPUT);
	assert_string_equal(e.msg, "line 7 is bad");
	assert_int_equal(br_error_set(NULL, BR_EIO, "x"), BR_EIO);
}

static void test_prefix_adds_context(void **state)
{
	struct br_error e;

	(void)state;
	br_error_clear(&e);
	/* nothing recorded: nothing added */
	assert_int_equal(br_error_prefix(&e, "dossier %s", "PW-1"), BR_OK);
	assert_string_equal(e.msg, "");
	assert_int_equal(br_error_prefix(NULL, "x"), BR_OK);
	br_error_set(&e, BR_ECONFIG, "no norm for 2026-11");
	assert_int_equal(br_error_prefix(&e, "dossier %s", "PW-1"), BR_ECONFIG);
	assert_int_equal(br_error_prefix(&e, "run %d", 3), BR_ECONFIG);
	assert_string_equal(e.msg, "run 3: dossier PW-1: no norm for 2026-11");
	assert_int_equal(e.code, BR_ECONFIG);
}

static void test_prefix_is_capped(void **state)
{
	char big[BR_ERROR_MSG_MAX * 2];
	struct br_error e;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	br_error_clear(&e);
	br_error_set(&e, BR_EIO, "%s", big);
	assert_int_equal(strlen(e.msg), BR_ERROR_MSG_MAX - 1);
	br_error_prefix(&e, "file %s", "x.xml");
	assert_int_equal(strlen(e.msg), BR_ERROR_MSG_MAX - 1);
	assert_memory_equal(e.msg, "file x.xml: aaa", 15);
	br_error_prefix(&e, "%s", big);   /* a prefix longer than the cap */
	assert_int_equal(strlen(e.msg), BR_ERROR_MSG_MAX - 1);
	assert_int_equal(e.msg[0], 'a');
}

static void test_position_kept_once(void **state)
{
	struct br_error e;

	(void)state;
	br_error_clear(&e);
	br_error_at(&e, "a.xml", 12);
	br_error_at(&e, "b.xml", 40);
	assert_string_equal(e.file, "a.xml");
	assert_int_equal(e.line, 12);
}

static void test_exit_status(void **state)
{
	(void)state;
	assert_int_equal(br_error_exit_status(BR_OK), 0);
	assert_int_equal(br_error_exit_status(BR_EUSAGE), 64);
	assert_int_equal(br_error_exit_status(BR_EINPUT), 65);
	assert_int_equal(br_error_exit_status(BR_ENOINPUT), 66);
	assert_int_equal(br_error_exit_status(BR_EINTERNAL), 70);
	assert_int_equal(br_error_exit_status(BR_ENOMEM), 70);
	assert_int_equal(br_error_exit_status(BR_EIO), 74);
	assert_int_equal(br_error_exit_status(BR_EBUSY), 75);
	assert_int_equal(br_error_exit_status(BR_EFOUREYES), 77);
	assert_int_equal(br_error_exit_status(BR_ECONFIG), 78);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_error_wins),
		cmocka_unit_test(test_prefix_adds_context),
		cmocka_unit_test(test_prefix_is_capped),
		cmocka_unit_test(test_position_kept_once),
		cmocka_unit_test(test_exit_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

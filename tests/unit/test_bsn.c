/* test_bsn.c — bsn.c: the elfproef and masking (formats.md "Common rules"). */
#include "bsn.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "banned.h"

static int valid(const char *s)
{
	return bsn_valid(s, strlen(s));
}

static void test_valid(void **state)
{
	(void)state;
	/* formats.md's example: 9·1+8·2+7·3+6·4+5·5+4·6+3·7+2·8−1·2 = 176 = 16·11 */
	assert_true(valid("123456782"));
	assert_true(valid("111222333"));
	assert_true(valid("999999990")); /* 9·44 − 0 = 396 = 36·11 */
	assert_true(valid("010000008")); /* 8·1 − 8 = 0; a leading zero is fine */
}

static void test_invalid(void **state)
{
	(void)state;
	assert_false(valid("123456781"));  /* elfproef fails */
	assert_false(valid("123456783"));
	assert_false(valid("000000000"));  /* sum 0, but no one's number */
	assert_false(valid("12345678"));   /* 8 digits */
	assert_false(valid("1234567820")); /* 10 digits */
	assert_false(valid(""));
	assert_false(valid("12345678a"));
	assert_false(valid("12345 782"));
	assert_false(valid("-23456782"));
	assert_false(bsn_valid(NULL, 9));
	/* Only `len` bytes count. */
	assert_true(bsn_valid("1234567829999", 9));
	assert_false(bsn_valid("123456782", 8));
}

static void test_every_check_digit(void **state)
{
	/* Exactly one last digit (or none, when the needed one would be 10)
	 * makes a given 8-digit prefix valid. */
	char s[10] = "12345678?";
	int d, n = 0;

	(void)state;
	for (d = 0; d <= 9; d++) {
		s[8] = (char)('0' + d);
		n += valid(s);
	}
	assert_int_equal(n, 1);
	s[8] = '2';
	assert_true(valid(s));
}

static void test_mask(void **state)
{
	char out[BSN_LEN + 1];

	(void)state;
	assert_string_equal(bsn_mask(out, "123456782"), "*****6782");
	assert_string_equal(bsn_mask(out, "999999990"), "*****9990");
	assert_string_equal(bsn_mask(out, "12345678"), "*********");
	assert_string_equal(bsn_mask(out, "1234567820"), "*********");
	assert_string_equal(bsn_mask(out, ""), "*********");
	assert_string_equal(bsn_mask(out, NULL), "*********");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_every_check_digit),
		cmocka_unit_test(test_mask),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

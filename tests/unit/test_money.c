/* test_money.c — money.c: exact parsing, formatting and rounding (rules.md §1). */
#include "money.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "banned.h"

static int64_t parse_ok(const char *s)
{
	struct br_error err;
	int64_t cents = 12345;

	br_error_clear(&err);
	assert_int_equal(money_parse(&cents, s, strlen(s), &err), 0);
	assert_int_equal(err.code, BR_OK);
	return cents;
}

static void parse_bad(const char *s)
{
	struct br_error err;
	int64_t cents = 777;

	br_error_clear(&err);
	assert_int_equal(money_parse(&cents, s, strlen(s), &err), BR_EINPUT);
	assert_int_equal(err.code, BR_EINPUT);
	assert_true(strncmp(err.msg, "bedrag ", 7) == 0);
	assert_int_equal(cents, 777); /* untouched on failure */
}

static void test_parse_accepts(void **state)
{
	(void)state;
	assert_int_equal(parse_ok("0.00"), 0);
	assert_int_equal(parse_ok("-0.00"), 0);
	assert_int_equal(parse_ok("1234.56"), 123456);
	assert_int_equal(parse_ok("-12.50"), -1250);
	assert_int_equal(parse_ok("1034.00"), 103400);
	assert_int_equal(parse_ok("0.01"), 1);
	assert_int_equal(parse_ok("-0.01"), -1);
	assert_int_equal(parse_ok("999999999999.99"), MONEY_MAX_CENTS);
	assert_int_equal(parse_ok("-999999999999.99"), -MONEY_MAX_CENTS);
}

static void test_parse_refuses(void **state)
{
	static const char *const bad[] = {
		"1.234", "1.2", "1", "+1.00", " 1.00", "1.00 ", "1e3", "1,00", "", "-",
		"-.50", ".50", "1.", "1..00", "--1.00", "1.0a", "1a.00", "0x1.00",
		"1000000000000.00",      /* 13 integer digits: overflow */
		"9999999999999999999.99" /* would overflow int64 as well */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		parse_bad(bad[i]);
}

static void test_parse_messages_and_len(void **state)
{
	struct br_error err;
	int64_t cents = 0;

	(void)state;
	br_error_clear(&err);
	assert_int_equal(money_parse(&cents, "1.234", 5, &err), BR_EINPUT);
	assert_string_equal(err.msg, "bedrag '1.234' heeft 3 decimalen; er moeten er precies 2 zijn");

	/* Only `len` bytes count: "12.345" cut to 5 bytes is "12.34". */
	br_error_clear(&err);
	assert_int_equal(money_parse(&cents, "12.345", 5, &err), 0);
	assert_int_equal(cents, 1234);

	/* An embedded NUL is a bad character, not the end of the amount. */
	br_error_clear(&err);
	assert_int_equal(money_parse(&cents, "1.0\0" "0", 5, &err), BR_EINPUT);

	/* NULL error context is allowed. */
	assert_int_equal(money_parse(&cents, "x", 1, NULL), BR_EINPUT);
}

static void test_format(void **state)
{
	char buf[MONEY_FMT_MAX];

	(void)state;
	assert_string_equal(money_format(buf, 0), "0.00");
	assert_string_equal(money_format(buf, 5), "0.05");
	assert_string_equal(money_format(buf, -5), "-0.05");
	assert_string_equal(money_format(buf, 123456), "1234.56");
	assert_string_equal(money_format(buf, -1250), "-12.50");
	assert_string_equal(money_format(buf, MONEY_MAX_CENTS), "999999999999.99");
	assert_string_equal(money_format(buf, INT64_MIN), "-92233720368547758.08");
	assert_string_equal(money_format(buf, INT64_MAX), "92233720368547758.07");
}

static void test_format_round_trip(void **state)
{
	char buf[MONEY_FMT_MAX];
	int64_t v, back;

	(void)state;
	for (v = -100000; v <= 100000; v += 7) {
		money_format(buf, v);
		assert_int_equal(money_parse(&back, buf, strlen(buf), NULL), 0);
		assert_int_equal(back, v);
	}
}

static void test_format_nl(void **state)
{
	char buf[MONEY_FMT_MAX + 8];

	(void)state;
	assert_string_equal(money_format_nl(buf, sizeof(buf), 123456), "\xe2\x82\xac 1.234,56");
	assert_string_equal(money_format_nl(buf, sizeof(buf), -123456), "-\xe2\x82\xac 1.234,56");
	assert_string_equal(money_format_nl(buf, sizeof(buf), 5), "\xe2\x82\xac 0,05");
	assert_string_equal(money_format_nl(buf, sizeof(buf), 100000), "\xe2\x82\xac 1.000,00");
	assert_string_equal(money_format_nl(buf, sizeof(buf), 99999), "\xe2\x82\xac 999,99");
	assert_string_equal(money_format_nl(buf, sizeof(buf), MONEY_MAX_CENTS),
		"\xe2\x82\xac 999.999.999.999,99");
	assert_string_equal(money_format_nl(buf, sizeof(buf), INT64_MIN),
		"-\xe2\x82\xac 92.233.720.368.547.758,08");
	/* A small buffer is cut, never overrun. */
	assert_string_equal(money_format_nl(buf, 6, 123456), "\xe2\x82\xac 1");
}

static void test_mul_ratio_rules_examples(void **state)
{
	(void)state;
	/* rules.md §1 */
	assert_int_equal(money_mul_ratio(100107, 125, 1000), 12513); /* 12.5% of 1001.07 */
	assert_int_equal(money_mul_ratio(140150, 17, 30), 79418);    /* 1401.50 × 17/30 */
	/* rules.md §2: excl(1369.06) = round(95% × 1369.06) = 1300.61 */
	assert_int_equal(money_mul_ratio(136906, 95, 100), 130061);
	/* kostendelersnorm A=2: round(2002.13 × 100 / 200) = 1001.07 (1001.065) */
	assert_int_equal(money_mul_ratio(200213, 40 + 30 * 2, 100 * 2), 100107);
}

static void test_mul_ratio_half_away_from_zero(void **state)
{
	(void)state;
	assert_int_equal(money_mul_ratio(1, 1, 2), 1);    /*  0.5 cent ->  1 */
	assert_int_equal(money_mul_ratio(-1, 1, 2), -1);  /* -0.5 cent -> -1 */
	assert_int_equal(money_mul_ratio(1, -1, 2), -1);
	assert_int_equal(money_mul_ratio(-1, -1, 2), 1);
	assert_int_equal(money_mul_ratio(3, 1, 2), 2);    /*  1.5 ->  2 */
	assert_int_equal(money_mul_ratio(-3, 1, 2), -2);  /* -1.5 -> -2 */
	assert_int_equal(money_mul_ratio(5, 1, 2), 3);    /* not banker's rounding */
	assert_int_equal(money_mul_ratio(-5, 1, 2), -3);
	assert_int_equal(money_mul_ratio(-100107, 125, 1000), -12513);
	assert_int_equal(money_mul_ratio(-140150, 17, 30), -79418);
	assert_int_equal(money_mul_ratio(1, 1, 3), 0);    /* 0.333 -> 0 */
	assert_int_equal(money_mul_ratio(-1, 1, 3), 0);
	assert_int_equal(money_mul_ratio(2, 1, 3), 1);    /* 0.667 -> 1 */
	assert_int_equal(money_mul_ratio(-2, 1, 3), -1);
	assert_int_equal(money_mul_ratio(0, 17, 30), 0);
	assert_int_equal(money_mul_ratio(12345, 0, 7), 0);
	/* A negative denominator means the same ratio. */
	assert_int_equal(money_mul_ratio(-1, 1, -2), 1);
	assert_int_equal(money_mul_ratio(140150, -17, -30), 79418);
}

/* An oracle from the definition, written apart from money.c: the
 * integer nearest to p / den, a tie going away from zero, found by floor
 * division (money.c truncates). */
__extension__ typedef __int128 oracle_i128;

static int64_t oracle_mul_ratio(int64_t v, int64_t num, int64_t den)
{
	oracle_i128 p = (oracle_i128)v * num, d = den, fl, twice_rest;

	if (d < 0) {
		d = -d;
		p = -p;
	}
	fl = p / d - (p % d != 0 && p < 0);     /* floor(p / d) */
	twice_rest = 2 * (p - fl * d);          /* in [0, 2d) */
	if (twice_rest > d || (twice_rest == d && p > 0))
		fl++;                           /* nearer above, or a tie above zero */
	if (fl > INT64_MAX)                     /* money.h: beyond int64 saturates */
		return INT64_MAX;
	if (fl < INT64_MIN)
		return INT64_MIN;
	return (int64_t)fl;
}

/* money_mul_ratio has a 64-bit path for products that fit and a 128-bit
 * one for those that do not: 2,000,000 random cases across both, exact
 * halves and saturated results among them, against the oracle; the
 * failing case is printed. */
static void test_mul_ratio_random_against_oracle(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15u;
	int i;

	(void)state;
	for (i = 0; i < 2000000; i++) {
		int64_t v, num, den, got, want;
		int bits_v, bits_n;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		bits_v = 1 + (int)(x % 47);                 /* |value| < 2^47 */
		bits_n = 1 + (int)((x >> 8) % 40);
		v = (int64_t)((x >> 12) & ((1ull << bits_v) - 1));
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		den = 1 + (int64_t)((x >> 20) % (i % 3 == 0 ? 1000 : 1000000000));
		num = (int64_t)(x & ((1ull << bits_n) - 1)) % (1000000 * den);
		if (i % 5 == 0)
			num = den / 2 + (i % 10 == 0);      /* halves */
		if (x & (1ull << 62))
			v = -v;
		if (x & (1ull << 61))
			num = -num;
		if (x & (1ull << 60))
			den = -den, num = -num;
		got = money_mul_ratio(v, num, den);
		want = oracle_mul_ratio(v, num, den);
		if (got != want)
			fail_msg("case %d: money_mul_ratio(%lld, %lld, %lld) = %lld, want %lld", i, (long long)v,
				 (long long)num, (long long)den, (long long)got, (long long)want);
	}
}

static void test_mul_ratio_where_double_fails(void **state)
{
	(void)state;
	/* 1.15 × 50/100 = 0.575 exactly -> 0.58.  In doubles,
	 * round(1.15 * 0.5 * 100) = round(57.49999999999999) = 57. */
	assert_int_equal(money_mul_ratio(115, 50, 100), 58);
	/* 0.45 × 70% = 0.315 -> 0.32.  Even in cents a double is wrong:
	 * 45 * 0.7 = 31.499999999999996, round() = 31. */
	assert_int_equal(money_mul_ratio(45, 70, 100), 32);
	/* 0.30 × 95% = 0.285 -> 0.29; (0.30 * 0.95) * 100 rounds to 28. */
	assert_int_equal(money_mul_ratio(30, 95, 100), 29);
	/* 2.25 × 17/30 = 1.275 -> 1.28; the double gives 1.27. */
	assert_int_equal(money_mul_ratio(225, 17, 30), 128);
}

static void test_mul_ratio_large(void **state)
{
	(void)state;
	/* value × num far beyond 2^63 (and 2^53): exact in 128 bits. */
	assert_int_equal(money_mul_ratio(MONEY_MAX_CENTS, 999999, 1000000),
		INT64_C(99999899999999)); /* 99999899999999.00000001 */
	assert_int_equal(money_mul_ratio(MONEY_MAX_CENTS, 1000000, 1000000), MONEY_MAX_CENTS);
	assert_int_equal(money_mul_ratio(-MONEY_MAX_CENTS, 1, 3), INT64_C(-33333333333333));
	assert_int_equal(money_mul_ratio(MONEY_MAX_CENTS, 2, 3), INT64_C(66666666666666));
	/* 99999999999999 × 10^6 / 1, the top of the contract's range
	 * (|num| ≤ 10^6·den), is about 10^20 > INT64_MAX: it saturates
	 * instead of wrapping. */
	assert_int_equal(money_mul_ratio(MONEY_MAX_CENTS, 1000000, 1), INT64_MAX);
	assert_int_equal(money_mul_ratio(-MONEY_MAX_CENTS, 1000000, 1), INT64_MIN);
	/* Halves at the large end still round away from zero. */
	assert_int_equal(money_mul_ratio(MONEY_MAX_CENTS, 1, 2), INT64_C(50000000000000));
	assert_int_equal(money_mul_ratio(-MONEY_MAX_CENTS, 1, 2), INT64_C(-50000000000000));
}

static void test_add(void **state)
{
	struct br_error err;
	int64_t sum = 0;

	(void)state;
	br_error_clear(&err);
	assert_int_equal(money_add(&sum, 100, -250, &err), 0);
	assert_int_equal(sum, -150);
	assert_int_equal(money_add(&sum, MONEY_MAX_CENTS - 1, 1, &err), 0);
	assert_int_equal(sum, MONEY_MAX_CENTS);
	assert_int_equal(money_add(&sum, -MONEY_MAX_CENTS, 0, &err), 0);
	assert_int_equal(sum, -MONEY_MAX_CENTS);

	sum = 42;
	assert_int_equal(money_add(&sum, MONEY_MAX_CENTS, 1, &err), BR_EINTERNAL);
	assert_int_equal(sum, 42);
	assert_true(strstr(err.msg, "bedrag te groot") != NULL);
	assert_int_equal(money_add(&sum, -MONEY_MAX_CENTS, -1, NULL), BR_EINTERNAL);
	assert_int_equal(money_add(&sum, INT64_MAX, INT64_MAX, NULL), BR_EINTERNAL);
	assert_int_equal(money_add(&sum, INT64_MIN, -1, NULL), BR_EINTERNAL);
	assert_int_equal(sum, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_accepts),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_parse_messages_and_len),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_format_nl),
		cmocka_unit_test(test_mul_ratio_rules_examples),
		cmocka_unit_test(test_mul_ratio_half_away_from_zero),
		cmocka_unit_test(test_mul_ratio_random_against_oracle),
		cmocka_unit_test(test_mul_ratio_where_double_fails),
		cmocka_unit_test(test_mul_ratio_large),
		cmocka_unit_test(test_add),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

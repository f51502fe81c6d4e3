/* test_iban.c — iban.c: registry lengths, mod-97, the Dutch structure. */
#include "iban.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "banned.h"

/* The SWIFT IBAN registry, typed in again independently of iban.c. */
static const struct {
	const char *cc;
	int len;
} registry[] = {
	{ "AD", 24 }, { "AE", 23 }, { "AL", 28 }, { "AT", 20 }, { "AZ", 28 }, { "BA", 20 },
	{ "BE", 16 }, { "BG", 22 }, { "BH", 22 }, { "BI", 27 }, { "BR", 29 }, { "BY", 28 },
	{ "CH", 21 }, { "CR", 22 }, { "CY", 28 }, { "CZ", 24 }, { "DE", 22 }, { "DJ", 27 },
	{ "DK", 18 }, { "DO", 28 }, { "EE", 20 }, { "EG", 29 }, { "ES", 24 }, { "FI", 18 },
	{ "FK", 18 }, { "FO", 18 }, { "FR", 27 }, { "GB", 22 }, { "GE", 22 }, { "GI", 23 },
	{ "GL", 18 }, { "GR", 27 }, { "GT", 28 }, { "HN", 28 }, { "HR", 21 }, { "HU", 28 },
	{ "IE", 22 }, { "IL", 23 }, { "IQ", 23 }, { "IS", 26 }, { "IT", 27 }, { "JO", 30 },
	{ "KW", 30 }, { "KZ", 20 }, { "LB", 28 }, { "LC", 32 }, { "LI", 21 }, { "LT", 20 },
	{ "LU", 20 }, { "LV", 21 }, { "LY", 25 }, { "MC", 27 }, { "MD", 24 }, { "ME", 22 },
	{ "MK", 19 }, { "MN", 20 }, { "MR", 27 }, { "MT", 31 }, { "MU", 30 }, { "NI", 28 },
	{ "NL", 18 }, { "NO", 15 }, { "OM", 23 }, { "PK", 24 }, { "PL", 28 }, { "PS", 29 },
	{ "PT", 25 }, { "QA", 29 }, { "RO", 24 }, { "RS", 22 }, { "RU", 33 }, { "SA", 24 },
	{ "SC", 31 }, { "SD", 18 }, { "SE", 24 }, { "SI", 19 }, { "SK", 24 }, { "SM", 27 },
	{ "SO", 23 }, { "ST", 25 }, { "SV", 28 }, { "TL", 23 }, { "TN", 24 }, { "TR", 26 },
	{ "UA", 29 }, { "VA", 22 }, { "VG", 24 }, { "XK", 20 }, { "YE", 30 },
};
#define NREG (sizeof(registry) / sizeof(registry[0]))

/* Check digits the textbook way (ISO 7064 MOD 97-10 on the expanded digit
 * string, nine digits at a time), to compare against iban.c's method. */
static void set_check_digits(char *iban)
{
	char digits[128];
	size_t len = strlen(iban), n = 0, i;
	uint64_t r = 0;

	iban[2] = '0';
	iban[3] = '0';
	for (i = 0; i < len; i++) {
		char c = iban[(i + 4) % len];

		if (c >= 'A' && c <= 'Z') {
			digits[n++] = (char)('0' + (c - 'A' + 10) / 10);
			digits[n++] = (char)('0' + (c - 'A' + 10) % 10);
		} else {
			digits[n++] = c;
		}
	}
	for (i = 0; i < n; i++) {
		r = r * 10 + (uint64_t)(digits[i] - '0');
		if (r >= 100000000)
			r %= 97;
	}
	r = 98 - r % 97;
	iban[2] = (char)('0' + r / 10);
	iban[3] = (char)('0' + r % 10);
}

static int check(const char *s)
{
	return iban_validate(s, NULL);
}

static void test_registry_examples(void **state)
{
	/* Examples from the SWIFT IBAN registry. */
	static const char *const good[] = {
		"NL91ABNA0417164300", "DE89370400440532013000", "GB29NWBK60161331926819",
		"BE68539007547034", "FR1420041010050500013M02606", "NO9386011117947",
		"MT84MALT011000012345MTLCAST001S", "LC55HEMM000100010012001200023015",
		"RU0204452560040702810412345678901", "BR1800360305000010009795493C1",
		"SC18SSCB11010000000000001497USD", "CH9300762011623852957",
		"LY83002048000020100120361", "SD2129010501234001", "MN121234123456789123",
		"NI45BAPR00000013000003558124", "BI4210000100010000332045181",
		"DJ2100010000000154000100186", "EG380019000500000000263180002",
		"SV62CENR00000000000000700025", "VA59001123000012345678",
		"AL47212110090000000235698741", "FK88SC123456789012", "SO211000001001000100141",
		"YE15CBYE0001018861234567891234", "OM810180000001299123456",
		"HN88CABF00000000000250005469", "IQ98NBIQ850123456789012",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct br_error err;

		br_error_clear(&err);
		if (iban_validate(good[i], &err) != 0)
			fail_msg("%s refused: %s", good[i], err.msg);
	}
}

static void test_every_country(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(NREG, 89);
	for (i = 0; i < NREG; i++) {
		char iban[IBAN_MAX + 2];
		int n = registry[i].len, j;

		assert_int_equal(iban_country_length(registry[i].cc), n);
		/* A synthetic IBAN of exactly the right length; NL needs its
		 * bank-code letters. */
		memcpy(iban, registry[i].cc, 2);
		for (j = 2; j < n; j++)
			iban[j] = (char)('0' + (j * 7) % 10);
		if (strcmp(registry[i].cc, "NL") == 0)
			memcpy(iban + 4, "INGB", 4);
		iban[n] = '\0';
		set_check_digits(iban);
		if (check(iban) != 0)
			fail_msg("synthetic %s refused", iban);
		/* One character short and one too many are refused. */
		iban[n - 1] = '\0';
		set_check_digits(iban);
		assert_int_equal(check(iban), BR_EINPUT);
		iban[n - 1] = '5';
		iban[n] = '5';
		iban[n + 1] = '\0';
		set_check_digits(iban);
		assert_int_equal(check(iban), BR_EINPUT);
	}
}

static void test_unknown_countries(void **state)
{
	static const char *const none[] = { "US", "XX", "AX", "GF", "JE", "CA", "AU", "ZZ", "AA" };
	struct br_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		assert_int_equal(iban_country_length(none[i]), 0);
	assert_int_equal(iban_country_length("nl"), 0);
	assert_int_equal(iban_country_length("N1"), 0);
	assert_int_equal(iban_country_length(NULL), 0);

	br_error_clear(&err);
	assert_int_equal(iban_validate("XX91ABNA0417164300", &err), BR_EINPUT);
	assert_true(strstr(err.msg, "unknown IBAN country XX") != NULL);
}

static void test_mod97(void **state)
{
	struct br_error err;
	char iban[] = "NL91ABNA0417164300";
	int d;

	(void)state;
	br_error_clear(&err);
	assert_int_equal(iban_validate("NL91ABNA0417164301", &err), BR_EINPUT);
	assert_string_equal(err.msg, "IBAN NL91ABNA0417164301 fails the mod-97 check");
	/* formats.md's third-party example does not pass either. */
	assert_int_equal(check("NL02RABO0123456789"), BR_EINPUT);
	/* Every single-digit change of the last position is caught. */
	for (d = 0; d <= 9; d++) {
		iban[17] = (char)('0' + d);
		assert_int_equal(check(iban), d == 0 ? 0 : BR_EINPUT);
	}
	/* Swapped neighbours are caught. */
	assert_int_equal(check("NL91ABNA0417163400"), BR_EINPUT);
	assert_int_equal(check("NL19ABNA0417164300"), BR_EINPUT);
}

static void test_check_digits_range(void **state)
{
	/* 00 ≡ 97 and 01 ≡ 98 (mod 97), 99 ≡ 02: such check digits can pass
	 * the remainder test, but ISO 13616 never issues them. */
	static const char *const from[] = { "97", "98", "02" }, *const to[] = { "00", "01", "99" };
	unsigned found = 0;
	int i, k;

	(void)state;
	for (i = 0; i < 100000 && found != 7; i++) {
		char t[] = "DE00370400440532000000";
		struct br_error err;

		snprintf(t + 16, 7, "%06d", i);
		set_check_digits(t);
		for (k = 0; k < 3; k++) {
			if (memcmp(t + 2, from[k], 2) != 0 || (found & (1u << k)))
				continue;
			assert_int_equal(check(t), 0);
			memcpy(t + 2, to[k], 2);
			br_error_clear(&err);
			assert_int_equal(iban_validate(t, &err), BR_EINPUT);
			if (!strstr(err.msg, "check digits"))
				fail_msg("%s: %s", t, err.msg);
			found |= 1u << k;
		}
	}
	assert_int_equal(found, 7);
}

static void test_form(void **state)
{
	struct br_error err;

	(void)state;
	assert_int_equal(check(""), BR_EINPUT);
	assert_int_equal(check(NULL), BR_EINPUT);
	assert_int_equal(check("NL"), BR_EINPUT);
	assert_int_equal(check("NL91"), BR_EINPUT);
	assert_int_equal(check("nl91abna0417164300"), BR_EINPUT); /* electronic form only */
	assert_int_equal(check("NL91 ABNA 0417 1643 00"), BR_EINPUT);
	assert_int_equal(check(" NL91ABNA0417164300"), BR_EINPUT);
	assert_int_equal(check("NL91ABNA0417164300 "), BR_EINPUT);
	assert_int_equal(check("NL91ABNA041716430\xc3\xa9"), BR_EINPUT);
	assert_int_equal(check("NLAAABNA0417164300"), BR_EINPUT); /* letters as check digits */
	assert_int_equal(check("1L91ABNA0417164300"), BR_EINPUT);
	assert_int_equal(check("LC55HEMM0001000100120012000230150000"), BR_EINPUT); /* > 34 */

	br_error_clear(&err);
	assert_int_equal(iban_validate("NL91ABNA041716430", &err), BR_EINPUT);
	assert_string_equal(err.msg, "IBAN for NL must have 18 characters, not 17: 'NL91ABNA041716430'");
}

static void test_dutch_structure(void **state)
{
	char iban[IBAN_MAX + 1];
	struct br_error err;

	(void)state;
	/* Right length and a correct checksum, but digits in the bank code. */
	snprintf(iban, sizeof(iban), "NL00AB1A0417164300");
	set_check_digits(iban);
	br_error_clear(&err);
	assert_int_equal(iban_validate(iban, &err), BR_EINPUT);
	assert_true(strstr(err.msg, "bank code") != NULL);
	/* A letter in the account number. */
	snprintf(iban, sizeof(iban), "NL00ABNA041716430X");
	set_check_digits(iban);
	br_error_clear(&err);
	assert_int_equal(iban_validate(iban, &err), BR_EINPUT);
	assert_true(strstr(err.msg, "account number") != NULL);
	/* Another Rabobank-shaped number with correct check digits passes. */
	snprintf(iban, sizeof(iban), "NL00RABO0123456789");
	set_check_digits(iban);
	assert_int_equal(check(iban), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_examples),
		cmocka_unit_test(test_every_country),
		cmocka_unit_test(test_unknown_countries),
		cmocka_unit_test(test_mod97),
		cmocka_unit_test(test_check_digits_range),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_dutch_structure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

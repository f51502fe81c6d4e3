/* test_iban.c — iban.c: registry lengths, mod-97, the Dutch structure,
 * the SEPA scope (data/rules/sepa_landen.txt), masked messages. */
#include "iban.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ISO 13616 alone: the registry's countries, SEPA or not. */
static int check(const char *s)
{
	return iban_validate_iso13616(s, NULL);
}

/* A synthetic IBAN of country `cc` and its registry length, with correct
 * check digits (NL gets its bank-code letters). */
static void make_iban(char iban[IBAN_MAX + 2], const char *cc)
{
	int n = iban_country_length(cc), j;

	assert_true(n > 0);
	memcpy(iban, cc, 2);
	for (j = 2; j < n; j++)
		iban[j] = (char)('0' + (j * 7) % 10);
	if (strcmp(cc, "NL") == 0)
		memcpy(iban + 4, "INGB", 4);
	iban[n] = '\0';
	set_check_digits(iban);
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
		if (iban_validate_iso13616(good[i], &err) != 0)
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
		int n = registry[i].len;

		assert_int_equal(iban_country_length(registry[i].cc), n);
		/* A synthetic IBAN of exactly the right length. */
		make_iban(iban, registry[i].cc);
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
	assert_string_equal(err.msg, "unknown IBAN country XX (IBAN ****4300)");
}

static void test_mod97(void **state)
{
	struct br_error err;
	char iban[] = "NL91ABNA0417164300";
	int d;

	(void)state;
	br_error_clear(&err);
	assert_int_equal(iban_validate("NL91ABNA0417164301", &err), BR_EINPUT);
	assert_string_equal(err.msg, "IBAN ****4301 fails the mod-97 check");
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
	assert_string_equal(err.msg, "IBAN ****6430 has 17 characters; an IBAN of NL has 18");
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

/*
 * The EPC's list of SEPA countries (EPC409-09 v8.0, 24 December 2025) by
 * IBAN country code, typed in again independently of the data file: the 27
 * EU member states, Iceland, Liechtenstein, Norway, and outside the EEA
 * Andorra, Albania, Switzerland, the United Kingdom, Gibraltar, Monaco,
 * Moldova, Montenegro, North Macedonia, Serbia, San Marino and the Vatican.
 * Territories bank under these codes (AX under FI, GF GP MQ YT RE BL MF PM
 * under FR, GG IM JE under GB).
 */
static const char *const sepa[] = {
	"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
	"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
	"IS", "LI", "NO",
	"AD", "AL", "CH", "GB", "GI", "MC", "MD", "ME", "MK", "RS", "SM", "VA",
};
#define NSEPA (sizeof(sepa) / sizeof(sepa[0]))

static int in_sepa(const char *cc)
{
	size_t i;

	for (i = 0; i < NSEPA; i++)
		if (memcmp(cc, sepa[i], 2) == 0)
			return 1;
	return 0;
}

/* The expected refusal of a valid IBAN outside the scope. */
static void expect_outside(const char *iban)
{
	char want[256], last4[5];
	struct br_error err;

	snprintf(last4, sizeof(last4), "%s", iban + strlen(iban) - 4);
	snprintf(want, sizeof(want), "IBAN ****%s is of %.2s, a country outside the SEPA scheme (%s)",
		 last4, iban, iban_sepa_source());
	assert_int_equal(iban_validate_iso13616(iban, NULL), 0);
	br_error_clear(&err);
	assert_int_equal(iban_validate(iban, &err), BR_EINPUT);
	assert_string_equal(err.msg, want);
}

static void test_sepa_scope(void **state)
{
	char iban[IBAN_MAX + 2];
	size_t i, n_out = 0;

	(void)state;
	assert_int_equal(NSEPA, 42);
	assert_string_equal(iban_sepa_source(), "EPC409-09 v8.0, 24 December 2025");
	for (i = 0; i < NREG; i++) {
		make_iban(iban, registry[i].cc);
		assert_int_equal(iban_sepa_country(registry[i].cc), in_sepa(registry[i].cc));
		if (in_sepa(registry[i].cc)) {
			if (iban_validate(iban, NULL) != 0)
				fail_msg("SEPA %s refused", iban);
		} else {
			expect_outside(iban);
			n_out++;
		}
	}
	/* every SEPA country has a registry length: none is refused as unknown */
	for (i = 0; i < NSEPA; i++)
		if (iban_country_length(sepa[i]) == 0)
			fail_msg("SEPA country %s has no IBAN length", sepa[i]);
	assert_int_equal(n_out, NREG - NSEPA);

	/* the cases: Saudi and Brazilian IBANs pass mod-97 (SWIFT
	 * registry examples) and are still not payable */
	expect_outside("SA0380000000608010167519");
	expect_outside("BR1800360305000010009795493C1");
	/* Danish territories with their own codes, Kosovo: outside */
	expect_outside("FO6264600001631634");
	expect_outside("GL8964710001000206");
	expect_outside("XK051212012345678906");
	/* territories' ISO codes are no IBAN prefixes: never SEPA on their own */
	assert_int_equal(iban_sepa_country("AX"), 0);
	assert_int_equal(iban_sepa_country("JE"), 0);
	assert_int_equal(iban_sepa_country("GP"), 0);
	assert_int_equal(iban_sepa_country("nl"), 0);
	assert_int_equal(iban_sepa_country(NULL), 0);
	/* the registry examples of the newest members are payable */
	assert_int_equal(iban_validate("AL47212110090000000235698741", NULL), 0);
	assert_int_equal(iban_validate("GB29NWBK60161331926819", NULL), 0);
	assert_int_equal(iban_validate("VA59001123000012345678", NULL), 0);
}

/* The data file and the table built from it agree (the Makefile's
 * generator), and the file lists what the test above expects. */
static void test_sepa_data_file(void **state)
{
	const char *root = getenv("BR_SOURCE_DIR");
	char path[1024], line[256], seen[NSEPA][3], versie[256] = "";
	size_t n_seen = 0, i;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/data/rules/sepa_landen.txt", root ? root : BR_SOURCE_DIR);
	assert_non_null(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f)) {
		char a[8], b[8];

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (strncmp(line, "versie ", 7) == 0) {
			snprintf(versie, sizeof(versie), "%s", line + 7);
			versie[strcspn(versie, "\n")] = '\0';
			continue;
		}
		assert_int_equal(sscanf(line, "%7s %7s", a, b), 2);
		assert_int_equal(strlen(a), 2);
		if (!in_sepa(a))
			fail_msg("%s lists %s, which the EPC list does not have", path, a);
		assert_int_equal(iban_sepa_country(a), 1);
		for (i = 0; i < n_seen && strcmp(seen[i], a) != 0; i++)
			;
		if (i == n_seen) {
			assert_true(n_seen < NSEPA);
			snprintf(seen[n_seen++], 3, "%s", a);
		}
	}
	fclose(f);
	assert_int_equal(n_seen, NSEPA);
	assert_string_equal(versie, iban_sepa_source());
}

static void test_mask(void **state)
{
	static const char *const bad[] = {
		"NL91ABNA0417164301", "NL91ABNA041716430", "NL91ABNA04171643001",
		"NL00ABNA0417164300", "NL91AB1A0417164300", "XX91ABNA0417164300",
		"SA0380000000608010167519", "DE8937040044053201300012345678901234567",
		"NL91 ABNA 0417 1643 00", "123456789012345678",
	};
	char out[IBAN_MASKED_MAX];
	size_t i;

	(void)state;
	assert_string_equal(iban_mask(out, "NL91ABNA0417164300"), "****4300");
	assert_string_equal(iban_mask(out, "NL9"), "****NL9");
	assert_string_equal(iban_mask(out, ""), "****");
	assert_string_equal(iban_mask(out, NULL), "****");
	assert_string_equal(iban_mask(out, "NL91\x01" "4 3\xc3\xa9"), "****?3??");
	/* no message quotes the account: at most its last four characters */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct br_error err;
		const char *p;
		int run = 0;

		br_error_clear(&err);
		assert_int_equal(iban_validate(bad[i], &err), BR_EINPUT);
		for (p = err.msg; *p; p++) {
			run = (*p >= '0' && *p <= '9') ? run + 1 : 0;
			if (run > 4)
				fail_msg("%s: message '%s' holds more than four digits in a row", bad[i], err.msg);
		}
		if (strstr(err.msg, "ABNA") || strstr(err.msg, "0417"))
			fail_msg("%s: message '%s' quotes the account", bad[i], err.msg);
	}
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
		cmocka_unit_test(test_sepa_scope),
		cmocka_unit_test(test_sepa_data_file),
		cmocka_unit_test(test_mask),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* iban.c — IBAN checks (ISO 13616, SWIFT IBAN registry, the EPC's SEPA
 * list); see iban.h. */
#include "iban.h"

#include <string.h>

/* sepa_landen[] and SEPA_LANDEN_VERSIE, made by the Makefile from
 * data/rules/sepa_landen.txt */
#include "sepa_landen.h"

#include "banned.h"

/*
 * The SWIFT IBAN registry (release of 2025): every country with an IBAN
 * and its fixed IBAN length.  Territories that the registry lists under a
 * parent (AX under FI; GF, GP, MQ, RE, PF, TF, YT, NC, BL, MF, PM, WF
 * under FR; IM, JE, GG under GB) use the parent's country code in the IBAN
 * and therefore have no row of their own.  Sorted by country code.
 */
static const struct iban_country {
	char cc[3];
	unsigned char len;
} iban_countries[] = {
	{ "AD", 24 }, { "AE", 23 }, { "AL", 28 }, { "AT", 20 }, { "AZ", 28 },
	{ "BA", 20 }, { "BE", 16 }, { "BG", 22 }, { "BH", 22 }, { "BI", 27 },
	{ "BR", 29 }, { "BY", 28 }, { "CH", 21 }, { "CR", 22 }, { "CY", 28 },
	{ "CZ", 24 }, { "DE", 22 }, { "DJ", 27 }, { "DK", 18 }, { "DO", 28 },
	{ "EE", 20 }, { "EG", 29 }, { "ES", 24 }, { "FI", 18 }, { "FK", 18 },
	{ "FO", 18 }, { "FR", 27 }, { "GB", 22 }, { "GE", 22 }, { "GI", 23 },
	{ "GL", 18 }, { "GR", 27 }, { "GT", 28 }, { "HN", 28 }, { "HR", 21 },
	{ "HU", 28 }, { "IE", 22 }, { "IL", 23 }, { "IQ", 23 }, { "IS", 26 },
	{ "IT", 27 }, { "JO", 30 }, { "KW", 30 }, { "KZ", 20 }, { "LB", 28 },
	{ "LC", 32 }, { "LI", 21 }, { "LT", 20 }, { "LU", 20 }, { "LV", 21 },
	{ "LY", 25 }, { "MC", 27 }, { "MD", 24 }, { "ME", 22 }, { "MK", 19 },
	{ "MN", 20 }, { "MR", 27 }, { "MT", 31 }, { "MU", 30 }, { "NI", 28 },
	{ "NL", 18 }, { "NO", 15 }, { "OM", 23 }, { "PK", 24 }, { "PL", 28 },
	{ "PS", 29 }, { "PT", 25 }, { "QA", 29 }, { "RO", 24 }, { "RS", 22 },
	{ "RU", 33 }, { "SA", 24 }, { "SC", 31 }, { "SD", 18 }, { "SE", 24 },
	{ "SI", 19 }, { "SK", 24 }, { "SM", 27 }, { "SO", 23 }, { "ST", 25 },
	{ "SV", 28 }, { "TL", 23 }, { "TN", 24 }, { "TR", 26 }, { "UA", 29 },
	{ "VA", 22 }, { "VG", 24 }, { "XK", 20 }, { "YE", 30 },
};

#define IBAN_NCOUNTRIES (sizeof(iban_countries) / sizeof(iban_countries[0]))

static int iban_is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int iban_is_digit(char c) { return c >= '0' && c <= '9'; }

int iban_country_length(const char country[2])
{
	size_t lo = 0, hi = IBAN_NCOUNTRIES;

	if (!country || !iban_is_upper(country[0]) || !iban_is_upper(country[1]))
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(country, iban_countries[mid].cc, 2);

		if (c == 0)
			return iban_countries[mid].len;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/*
 * ISO 7064 MOD 97-10 over the IBAN with its first four characters moved to
 * the end and letters as two digits (A=10 .. Z=35), done one character at a
 * time on the string: the remainder stays below 97, so no big number.
 */
static int iban_mod97(const char *s, size_t len)
{
	unsigned r = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[(i + 4) % len];

		if (iban_is_digit(c))
			r = (r * 10 + (unsigned)(c - '0')) % 97;
		else
			r = (r * 100 + (unsigned)(c - 'A' + 10)) % 97;
	}
	return (int)r;
}

const char *iban_mask(char out[IBAN_MASKED_MAX], const char *s)
{
	size_t n = s ? strlen(s) : 0, i, o = 4;

	memcpy(out, "****", 4);
	for (i = n > 4 ? n - 4 : 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		out[o++] = (c > 0x20 && c < 0x7f) ? (char)c : '?';
	}
	out[o] = '\0';
	return out;
}

int iban_sepa_country(const char country[2])
{
	size_t i;

	if (!country || !iban_is_upper(country[0]) || !iban_is_upper(country[1]))
		return 0;
	/* 42 codes: a scan is as quick as anything cleverer */
	for (i = 0; i < sizeof(sepa_landen) / sizeof(sepa_landen[0]); i++)
		if (memcmp(country, sepa_landen[i], 2) == 0)
			return 1;
	return 0;
}

const char *iban_sepa_source(void)
{
	return SEPA_LANDEN_VERSIE;
}

int iban_validate_iso13616(const char *s, struct br_error *err)
{
	char shown[IBAN_MASKED_MAX];
	size_t len, i;
	int want;

	if (!s || !s[0])
		return br_error_set(err, BR_EINPUT, "IBAN is empty");
	iban_mask(shown, s);
	len = strnlen(s, IBAN_MAX + 1);
	/* iban.h: the electronic form, upper-case letters and digits only. */
	for (i = 0; i < len; i++)
		if (!iban_is_upper(s[i]) && !iban_is_digit(s[i]))
			return br_error_set(err, BR_EINPUT,
				"IBAN %s has a character other than A-Z or 0-9 at position %zu",
				shown, i + 1);
	if (len > IBAN_MAX)
		return br_error_set(err, BR_EINPUT,
			"IBAN %s is longer than %d characters", shown, IBAN_MAX);
	if (len < 4 || !iban_is_upper(s[0]) || !iban_is_upper(s[1]) ||
	    !iban_is_digit(s[2]) || !iban_is_digit(s[3]))
		return br_error_set(err, BR_EINPUT,
			"IBAN %s does not start with a country code and 2 check digits", shown);
	want = iban_country_length(s);
	if (want == 0)
		return br_error_set(err, BR_EINPUT, "unknown IBAN country %.2s (IBAN %s)", s, shown);
	if (len != (size_t)want)
		return br_error_set(err, BR_EINPUT,
			"IBAN %s has %zu characters; an IBAN of %.2s has %d", shown, len, s, want);
	/* formats.md: a Dutch IBAN is NLkk BBBB nnnnnnnnnn (4-letter bank code,
	 * 10 digits). */
	if (s[0] == 'N' && s[1] == 'L') {
		for (i = 4; i < 8; i++)
			if (!iban_is_upper(s[i]))
				return br_error_set(err, BR_EINPUT,
					"IBAN %s has no 4-letter bank code after NLkk", shown);
		for (i = 8; i < 18; i++)
			if (!iban_is_digit(s[i]))
				return br_error_set(err, BR_EINPUT,
					"IBAN %s has no 10-digit account number after the bank code",
					shown);
	}
	/* ISO 13616: check digits run from 02 to 98; 00, 01 and 99 can pass the
	 * remainder test (they equal 97, 98 and 2 mod 97) but are never issued. */
	if ((s[2] == '0' && (s[3] == '0' || s[3] == '1')) || (s[2] == '9' && s[3] == '9'))
		return br_error_set(err, BR_EINPUT,
			"IBAN %s has check digits %.2s; they must be 02 to 98", shown, s + 2);
	if (iban_mod97(s, len) != 1)
		return br_error_set(err, BR_EINPUT, "IBAN %s fails the mod-97 check", shown);
	return 0;
}

int iban_validate(const char *s, struct br_error *err)
{
	char shown[IBAN_MASKED_MAX];
	int rc;

	if ((rc = iban_validate_iso13616(s, err)) < 0)
		return rc;
	/* formats.md §5: a valid IBAN of a country outside the SEPA scheme
	 * (SA, BR, ...) passes mod-97 but cannot be in a SEPA payment file */
	if (!iban_sepa_country(s))
		return br_error_set(err, BR_EINPUT,
			"IBAN %s is of %.2s, a country outside the SEPA scheme (%s)",
			iban_mask(shown, s), s, SEPA_LANDEN_VERSIE);
	return 0;
}

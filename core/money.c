/* money.c — exact euro amounts as int64_t cents; see money.h (rules.md §1). */
#include "money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#if !defined(__SIZEOF_INT128__)
#error "money_mul_ratio needs a 128-bit integer type (GCC or Clang on a 64-bit target)"
#endif

/* rules.md §1: the product value × num (|value| < 2^47, |num| < 2^63) needs
 * up to 110 bits before the division; a 128-bit integer holds it exactly.
 * __extension__ keeps -Wpedantic quiet about the GNU type. */
__extension__ typedef __int128 money_i128;

/* At most 12 integer digits: MONEY_MAX_CENTS is 999,999,999,999.99. */
#define MONEY_INT_DIGITS_MAX 12

/*
 * Copy untrusted text into `out` for an error message: at most 40 bytes,
 * anything that is not printable ASCII shown as '?', "..." when cut.
 */
static void money_show(char *out, size_t cap, const char *s, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len && n + 4 < cap && i < 40; i++) {
		unsigned char c = (unsigned char)s[i];
		out[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (i < len && n + 4 <= cap) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

int money_parse(int64_t *out_cents, const char *s, size_t len, struct br_error *err)
{
	char shown[48];
	size_t i = 0, int_digits = 0, frac_digits = 0;
	int negative = 0;
	int64_t cents = 0;

	if (!s)
		len = 0;
	money_show(shown, sizeof(shown), s ? s : "", len);
	if (len == 0)
		return br_error_set(err, BR_EINPUT, "bedrag is leeg; verwacht cijfers, '.' en 2 decimalen");

	/* formats.md "Common rules": an optional '-', never '+', no spaces. */
	if (s[0] == '-') {
		negative = 1;
		i = 1;
	}
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (++int_digits > MONEY_INT_DIGITS_MAX)
			return br_error_set(err, BR_EINPUT,
				"bedrag '%s' heeft meer dan 12 cijfers voor de punt; ten hoogste 999999999999.99 mag",
				shown);
		cents = cents * 10 + (s[i] - '0');
	}
	if (int_digits == 0)
		return br_error_set(err, BR_EINPUT,
			"bedrag '%s' begint niet met een cijfer; verwacht bijvoorbeeld 1234.56", shown);
	if (i == len)
		return br_error_set(err, BR_EINPUT,
			"bedrag '%s' heeft geen decimalen; er moeten er precies 2 zijn", shown);
	if (s[i] != '.')
		return br_error_set(err, BR_EINPUT,
			"bedrag '%s' heeft '%c' waar '.' hoort; er moeten precies 2 decimalen zijn",
			shown, (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?');
	for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		frac_digits++;
		if (frac_digits <= 2)
			cents = cents * 10 + (s[i] - '0');
	}
	if (i < len)
		return br_error_set(err, BR_EINPUT,
			"bedrag '%s' heeft een onverwacht teken na de decimalen", shown);
	if (frac_digits != 2)
		return br_error_set(err, BR_EINPUT,
			"bedrag '%s' heeft %zu decimalen; er moeten er precies 2 zijn", shown, frac_digits);

	/* "-0.00" is 0: cents is 0 and -0 == 0 for integers. */
	*out_cents = negative ? -cents : cents;
	return 0;
}

/* Write the decimal digits of `v` ending just before `end`; returns the start. */
static char *money_digits_back(char *end, uint64_t v, int min_digits)
{
	int n = 0;

	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
		n++;
	} while (v || n < min_digits);
	return end;
}

/* |cents| without overflow for INT64_MIN. */
static uint64_t money_abs(int64_t cents)
{
	return cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
}

char *money_format(char buf[MONEY_FMT_MAX], int64_t cents)
{
	/* rules.md §1: format with integer division, never a float. */
	char tmp[MONEY_FMT_MAX];
	char *end = tmp + sizeof(tmp) - 1, *p;
	uint64_t mag = money_abs(cents);

	*end = '\0';
	p = money_digits_back(end, mag % 100, 2);
	*--p = '.';
	p = money_digits_back(p, mag / 100, 1);
	if (cents < 0)
		*--p = '-';
	memcpy(buf, p, (size_t)(end - p) + 1);
	return buf;
}

char *money_format_nl(char *buf, size_t cap, int64_t cents)
{
	/* "€ 1.234,56": '.' groups thousands, ',' before the cents. */
	char tmp[MONEY_FMT_MAX + 16];
	char *end = tmp + sizeof(tmp) - 1, *p;
	uint64_t mag = money_abs(cents), euros = mag / 100;
	int group = 0;

	if (!buf || cap == 0)
		return buf;
	*end = '\0';
	p = money_digits_back(end, mag % 100, 2);
	*--p = ',';
	do {
		if (group == 3) {
			*--p = '.';
			group = 0;
		}
		*--p = (char)('0' + euros % 10);
		euros /= 10;
		group++;
	} while (euros);
	snprintf(buf, cap, "%s\xe2\x82\xac %s", cents < 0 ? "-" : "", p);
	return buf;
}

int64_t money_mul_ratio(int64_t value_cents, int64_t num, int64_t den)
{
	money_i128 p, q, r, r2;

	if (den == 0)
		abort(); /* a programming error, never an input: see the contract */
	if (den < 0) {
		den = -den;
		num = -num;
	}
	{
		/* Nearly every call (norms, prorating, percentages) has a product
		 * that fits 64 bits: the same rounding without the 128-bit
		 * division, which cost a third of a month's settlement (issue
		 * 13).  |r| < den, so "2|r| >= den" is "|r| >= den - |r|". */
		int64_t p64, q64, r64;

		if (!__builtin_mul_overflow(value_cents, num, &p64)) {
			q64 = p64 / den;
			r64 = p64 % den;
			if (r64 < 0)
				r64 = -r64;
			if (r64 >= den - r64)
				q64 += p64 < 0 ? -1 : 1;
			return q64;
		}
	}
	p = (money_i128)value_cents * num;
	q = p / den; /* C truncates toward zero ... */
	r = p % den; /* ... and the remainder takes the sign of p */
	/* rules.md §1: half away from zero — a remainder of at least half the
	 * divisor moves the quotient one further from zero. */
	r2 = (r < 0 ? -r : r) * 2;
	if (r2 >= den)
		q += p < 0 ? -1 : 1;
	/* Inside the contract (|value| ≤ MONEY_MAX_CENTS, |num| ≤ 10^6·den)
	 * q fits in 67 bits; keep the result in int64 range regardless. */
	if (q > INT64_MAX)
		return INT64_MAX;
	if (q < INT64_MIN)
		return INT64_MIN;
	return (int64_t)q;
}

int money_add(int64_t *out, int64_t a, int64_t b, struct br_error *err)
{
	char fa[MONEY_FMT_MAX], fb[MONEY_FMT_MAX];
	int64_t sum;

	/* money.h: sums stay within ±MONEY_MAX_CENTS; int64 itself cannot
	 * overflow before that check when both terms are in range, but callers
	 * may pass anything, so test the int64 overflow first. */
	if (__builtin_add_overflow(a, b, &sum) || sum > MONEY_MAX_CENTS || sum < -MONEY_MAX_CENTS)
		return br_error_set(err, BR_EINTERNAL,
			"bedrag te groot: %s + %s is meer dan 999999999999.99",
			money_format(fa, a), money_format(fb, b));
	*out = sum;
	return 0;
}

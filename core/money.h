/*
 * money.h — exact euro amounts as int64_t cents (rules.md §1).
 *
 * No floating point: amounts are parsed from and formatted to decimal text
 * with integer arithmetic only, and every fraction of an amount (a
 * percentage, a pro-rata share) is an integer ratio rounded half away from
 * zero to whole cents.
 */
#ifndef BR_MONEY_H
#define BR_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Largest absolute amount accepted anywhere: 999,999,999,999.99 euro. */
#define MONEY_MAX_CENTS INT64_C(99999999999999)

/* Buffer size that holds any formatted amount incl. sign and NUL. */
#define MONEY_FMT_MAX 24

/*
 * Parse `len` bytes of `s` as an amount with exactly two fraction digits:
 * an optional '-', 1..12 integer digits (no leading '+', no spaces, no
 * exponent, no thousands separator), '.', 2 digits.  "-0.00" is 0.
 * Returns 0, or BR_EINPUT with a message naming the text ("amount '1.234'
 * has 3 decimals; exactly 2 are required").
 */
int money_parse(int64_t *out_cents, const char *s, size_t len, struct br_error *err);

/* Format as "-1234.56" (no thousands separator); returns `buf`. */
char *money_format(char buf[MONEY_FMT_MAX], int64_t cents);

/*
 * Format for people, Dutch style: "€ 1.234,56" / "-€ 1.234,56".
 * Returns `buf` (at least MONEY_FMT_MAX + 8 bytes).
 */
char *money_format_nl(char *buf, size_t cap, int64_t cents);

/*
 * round(value × num / den) half away from zero, exact for |value| ≤
 * MONEY_MAX_CENTS and 0 < den, |num| ≤ 10^6 · den (uses a 128-bit or split
 * multiplication internally).  Examples (rules.md §1):
 *   money_mul_ratio(100107, 125, 1000) == 12513    (12.5% of 1001.07)
 *   money_mul_ratio(140150, 17, 30)     == 79418   (1401.50 × 17/30)
 * A result beyond the int64 range (possible only at the very edge of that
 * contract) saturates to INT64_MAX / INT64_MIN; den == 0 aborts (a bug).
 */
int64_t money_mul_ratio(int64_t value_cents, int64_t num, int64_t den);

/*
 * Overflow-checked add: *out = a + b; returns 0, or BR_EINTERNAL when the
 * result leaves ±MONEY_MAX_CENTS.
 */
int money_add(int64_t *out, int64_t a, int64_t b, struct br_error *err);

#endif

/*
 * bsn.h — burgerservicenummer: validation (elfproef) and masking.
 *
 * A BSN is exactly 9 ASCII digits d1..d9 with
 *   9·d1 + 8·d2 + 7·d3 + 6·d4 + 5·d5 + 4·d6 + 3·d7 + 2·d8 − 1·d9 ≡ 0 (mod 11)
 * and not all zeros (formats.md "Common rules").  A BSN never appears
 * unmasked in a log, a message or a payment file.
 */
#ifndef BR_BSN_H
#define BR_BSN_H

#include <stddef.h>

#define BSN_LEN 9

/* 1 when the `len` bytes at `s` are a valid BSN, else 0. */
int bsn_valid(const char *s, size_t len);

/*
 * Masked form for logs: "*****6782" (last four digits kept).  Anything that
 * is not 9 characters is masked entirely.  Returns `out`.
 */
char *bsn_mask(char out[BSN_LEN + 1], const char *bsn);

#endif

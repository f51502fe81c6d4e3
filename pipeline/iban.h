/*
 * iban.h — International Bank Account Number checks (ISO 13616).
 *
 * An IBAN is valid when: it is only upper-case letters and digits (no
 * spaces — the register and payment file use the electronic form); its
 * country code is known and its length is that country's IBAN length (the
 * SWIFT IBAN registry); its mod-97 check (move the first four characters to
 * the end, letters A=10..Z=35, remainder of the number mod 97) is 1; and a
 * Dutch IBAN is "NL", 2 check digits, 4 letters (bank code), 10 digits.
 */
#ifndef BR_IBAN_H
#define BR_IBAN_H

#include <stddef.h>

#include "error.h"

#define IBAN_MAX 34

/*
 * Returns 0 when valid, else BR_EINPUT with the reason in `err` in words
 * ("IBAN NL91ABNA0417164301 fails the mod-97 check", "IBAN for NL must have
 * 18 characters, not 17", "unknown IBAN country XX").  `err` may be NULL.
 */
int iban_validate(const char *s, struct br_error *err);

/* Country's IBAN length, or 0 when the country code is unknown. */
int iban_country_length(const char country[2]);

#endif

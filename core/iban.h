/*
 * iban.h — International Bank Account Number checks (ISO 13616).
 *
 * An IBAN is valid (ISO 13616) when: it is only upper-case letters and
 * digits (no spaces — the register and payment file use the electronic
 * form); its country code is known and its length is that country's IBAN
 * length (the SWIFT IBAN registry); its check digits are 02..98 and its
 * mod-97 check (move the first four characters to the end, letters
 * A=10..Z=35, remainder of the number mod 97) is 1; and a Dutch IBAN is
 * "NL", 2 check digits, 4 letters (bank code), 10 digits.
 *
 * An IBAN can be paid (formats.md §5, payments.md) when it is valid and its
 * country is in the SEPA schemes' geographical scope: the EPC's list
 * (EPC409-09), kept as data in data/rules/sepa_landen.txt, from which
 * the build generates the table iban.c uses.
 *
 * Messages never hold the account number (log.h: no account numbers in
 * jobs, reports or messages; they reach block reasons and REGISTER jobs):
 * an IBAN is shown as "****" and its last four characters, the way
 * bank feedback shows one.
 */
#ifndef BR_IBAN_H
#define BR_IBAN_H

#include <stddef.h>

#include "error.h"

#define IBAN_MAX 34

/*
 * Whether `s` can be paid: valid (iban_validate_iso13616) and of a SEPA
 * country (iban_sepa_country).  Returns 0, else BR_EINPUT with the reason
 * in `err` in English words ("IBAN ****4301 fails the mod-97 check", "IBAN
 * ****6430 has 17 characters; an IBAN of NL has 18", "IBAN ****5679 is of
 * SA, a country outside the SEPA scheme (EPC409-09 v8.0, 24 December
 * 2025)"): they are stored as record problems, and every place that shows
 * one to a person translates it with writers/reden_nl.h (error.h).
 * `err` may be NULL.  What every payee and the debtor's account must pass.
 */
int iban_validate(const char *s, struct br_error *err);

/* ISO 13616 only (any registry country, SEPA or not); as iban_validate. */
int iban_validate_iso13616(const char *s, struct br_error *err);

/* Whether the first two characters of an IBAN are a country code of the
 * SEPA schemes' scope (data/rules/sepa_landen.txt): 1 or 0. */
int iban_sepa_country(const char country[2]);

/* The source of the SEPA list ("EPC409-09 v8.0, 24 December 2025"). */
const char *iban_sepa_source(void);

/* "****4300": the last four characters of `s` (printable ASCII, others as
 * '?'), for messages; returns out. */
#define IBAN_MASKED_MAX 9
const char *iban_mask(char out[IBAN_MASKED_MAX], const char *s);

/* Country's IBAN length, or 0 when the country code is unknown. */
int iban_country_length(const char country[2]);

#endif

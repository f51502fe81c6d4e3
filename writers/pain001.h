/*
 * pain001.h — the SEPA credit transfer file: ISO 20022 pain.001.001.09
 * (or .03 behind `pain_versie`), as payments.md "The payment file"
 * prescribes, written as a stream (libxml2 xmlTextWriter) in two passes
 * over a rewindable source: the first counts and sums every batch (so
 * NbOfTxs and CtrlSum precede the transactions), the second writes.
 *
 * The writer enforces every rule of payments.md itself, before a byte is
 * written, and refuses (BR_EINPUT, nothing left behind) rather than write
 * a file a bank could reject or misread:
 *  - UTF-8 without BOM, exactly `<?xml version="1.0" encoding="UTF-8"?>`
 *    then one line break, then the document without indentation or line
 *    breaks; root Document in the version's namespace;
 *  - CreDtTm YYYY-MM-DDThh:mm:ss (no offset, no fraction);
 *  - NbOfTxs / CtrlSum exact at group and batch level;
 *  - amounts EUR, 0.01 .. 999999999.99, two decimals (int64 cents);
 *  - PmtMtd TRF, SvcLvl SEPA and ChrgBr SLEV at batch level only,
 *    ReqdExctnDt/Dt (V09) or a plain date (V03);
 *  - debtor name/IBAN/BIC from the parameters; without a BIC,
 *    DbtrAgt/FinInstnId/Othr/Id = NOTPROVIDED; without a creditor BIC no
 *    CdtrAgt at all; never an empty element;
 *  - names transliterated to the EPC basic Latin set (pain001_translit),
 *    cut to 70 characters, never empty;
 *  - identifiers (MsgId, PmtInfId, EndToEndId) ≤ 35 characters of the
 *    basic set, not starting or ending with '/', no "//";
 *  - one Ustrd (≤ 140, transliterated), never Strd; no BSN: a run of nine
 *    or more digits anywhere in a name or remittance is refused;
 *  - IBANs checked with iban_validate (mod-97, length, NL structure);
 *  - one PmtInf per (execution date, kind), split at max_per_batch;
 *    Purp/Cd SSBE for client benefits, the configured code for third
 *    parties; CtgyPurp only when configured.
 *
 * Also enforced (pain001.c): BICs match the version's pattern (V09
 * BICFIDec2014Identifier, V03 BICIdentifier) or are refused; purpose codes
 * are four letters A-Z, purp_derden required once a third-party payment
 * occurs; ReqdExctnDt not before the day of CreDtTm, both in 1900..2199;
 * InitgPty/Nm and Dbtr/Nm go through the same transliteration and BSN
 * check as creditor names.  BtchBookg is always written as "true" (one
 * debit per PmtInf).  A remittance that is NULL or empty after
 * transliteration gives no RmtInf (never an empty one).
 */
#ifndef BR_PAIN001_H
#define BR_PAIN001_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define PAIN001_ID_MAX 35
#define PAIN001_NAME_MAX 70
#define PAIN001_USTRD_MAX 140

enum pain001_kind { PAIN001_CLIENT = 0, PAIN001_DERDE = 1 };

struct pain001_tx {
	enum pain001_kind kind;
	char end_to_end_id[PAIN001_ID_MAX + 1];
	int64_t amount_cents;
	const char *creditor_name;   /* UTF-8 as in the register; transliterated by the writer */
	char iban[35];
	char bic[12];                /* "" when unknown */
	const char *remittance;      /* UTF-8, e.g. "Uitkering PW 2026-12 dossier PW-0405-000123" */
};

/* A rewindable stream of transactions, all client ones first, then the
 * third-party ones (the writer groups consecutive transactions). */
struct pain001_source {
	int (*rewind)(void *ctx, struct br_error *err);
	/* 1 with *out filled (strings borrowed until the next call), 0 at end */
	int (*next)(void *ctx, struct pain001_tx *out, struct br_error *err);
	void *ctx;
};

struct pain001_params {
	int version;                 /* 9 (pain.001.001.09) or 3 (pain.001.001.03) */
	char msg_id[PAIN001_ID_MAX + 1];
	int64_t cre_dt_tm;           /* seconds (date.h timestamp) */
	const char *initiator_name;  /* InitgPty/Nm, UTF-8 */
	const char *debtor_name;
	char debtor_iban[35];
	char debtor_bic[12];         /* "" = NOTPROVIDED */
	int32_t reqd_exctn_dt;       /* a day (date.h) */
	int max_per_batch;           /* ≥ 1 */
	char purp_derden[5];         /* RENT, HLTI, OTHR */
	char ctgy_purp[5];           /* "" = not written */
};

struct pain001_stats {
	long n_tx;
	int64_t ctrl_sum_cents;
	int n_batches;
};

/*
 * Write the file to `path` (created 0600, written to a temporary name and
 * renamed when complete).  PmtInfIds are msg_id + "-K" (client) or "-D"
 * (third parties) + batch number.  Returns 0, BR_EINPUT naming the first
 * rule a transaction or parameter breaks, BR_EIO, BR_ENOMEM.
 *
 * A source without transactions is BR_EINPUT (a file holds at least one
 * PmtInf).  The source must return the same transactions on both passes:
 * if batches, sums or any field differ, BR_EINTERNAL and nothing is left.
 * An error a callback returns is propagated with its message.  `out` may
 * be NULL; it is zeroed unless the call succeeds.  On failure no
 * temporary file is left and `path` is untouched (an earlier file there
 * stays as it was) -- except when only the directory fsync after the
 * rename fails (BR_EIO with the complete file in place).
 */
int pain001_write(const char *path, const struct pain001_params *p, const struct pain001_source *src,
		  struct pain001_stats *out, struct br_error *err);

/*
 * EPC basic Latin transliteration (payments.md): Unicode NFC; letters with
 * diacritics to their base letter, ß→ss, æ→ae, ø→o, &→+, any other
 * character → space; spaces collapsed and trimmed; cut to `max_chars`.
 * Returns the length written to `out` (0 when nothing is left: the caller
 * must treat an empty name as an error), or BR_EINPUT for invalid UTF-8.
 *
 * NFC-aware without a Unicode library: precomposed letters U+00C0..U+024F
 * and U+1E00..U+1EFF map to their base letter(s) (Æ→AE, Ø→O, Œ→OE, Đ→D,
 * Þ→TH, ð→d, Ĳ→IJ, ...), and combining marks U+0300..U+036F after a letter
 * are dropped; anything else outside the basic set becomes a space.  The
 * cut is min(max_chars, cap - 1) bytes, then trailing spaces go again;
 * the output is ASCII, so characters = bytes.  `utf8` NULL is "".  On
 * error `out` is "".  `cap` 0 is BR_EINTERNAL.
 */
int pain001_translit(char *out, size_t cap, const char *utf8, size_t max_chars, struct br_error *err);

/* 1 when `id` obeys the identifier rules (length, basic set, slashes). */
/* (The space, though in the basic set, is refused in identifiers: banks
 * trim and split on it.) */
int pain001_id_valid(const char *id);

#endif

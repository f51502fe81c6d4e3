/*
 * ledger.h — the released ledger: what was paid, per dossier and month.
 *
 * Two tables, the second kept from the first at release:
 *  - `boeking`: every booking of a released run (settle.h bookings), the
 *    audit trail: run, dossier, month it belongs to, kind, signed amount,
 *    the claim's or third party's kenmerk; not the client's share
 *    (BOOK_CLIENT), which is the run's payment row (`betaling`) and in
 *    its settlement record, and which no settlement reads back;
 *  - `grootboek`: per dossier one row holding, per month, the sums the
 *    settlement needs — paid(k) = Σ voorschot + verschil + vordering,
 *    vtpaid(k) = Σ vakantietoeslag + vt_vordering, and whether a payment
 *    was ever released for k — so that a run over 500,000 dossiers reads
 *    one row per dossier instead of aggregating millions of bookings.
 *    It is derived from `boeking` and kept with it; ledger_check()
 *    recomputes it from the bookings and reports any difference.
 *
 * The summary is a BLOB: a version byte, then the months in ascending
 * order.  Version 2, written since issue 13: per month three LEB128
 * varints, the distance from the month before (the first: from month 0)
 * times two plus 1 when a payment was released for it, then paid and VT
 * paid, zigzagged: about 5 bytes a month.  Version 1, still read: per
 * month 21 bytes, month index (int32), paid (int64), VT paid (int64),
 * flags (bit 0: released), little-endian.  A release rewrites the row
 * of every dossier it paid, so after five years of history version 1
 * rewrote 1.3 KB per dossier and version 2 about 300 bytes.
 */
#ifndef BR_LEDGER_H
#define BR_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "settle.h"
#include "store.h"

#define LEDGER_MAX_MONTHS 1200   /* a century of months per dossier */

/* The most bytes ledger_encode writes for `n` months. */
#define LEDGER_ENCODED_MAX(n) (1 + (size_t)(n) * 30)

/* Encode `n` months (ascending) as a version 2 blob into `buf`, which has
 * room for LEDGER_ENCODED_MAX(n) bytes; returns its length. */
size_t ledger_encode(unsigned char *buf, const struct settle_paid *m, size_t n);

/* Decode a summary blob (version 1 or 2) into `out` (cap entries);
 * returns the number of months, or BR_EINTERNAL for a malformed blob. */
int ledger_decode(struct settle_paid *out, size_t cap, const void *blob, size_t len,
		  struct br_error *err);

struct ledger;

/* Prepare for booking (statements and buffers are reused per dossier);
 * free with ledger_free. */
int ledger_open(struct ledger **out, struct store *st, struct br_error *err);
void ledger_free(struct ledger *l);

/*
 * Record one dossier's settlement as bookings of run `run`, pending: they
 * count as paid only once the run is released (ledger_release).  `claims`
 * and `derden` (settle_input order) name what INHOUDING and DERDEN
 * bookings refer to.  Runs inside the caller's transaction.
 */
int ledger_book(struct ledger *l, int64_t run, int64_t dossier, const struct settle_result *r,
		const struct settle_claim *claims, size_t n_claims,
		const struct settle_derde *derden, size_t n_derden, struct br_error *err);

/* The same with the whole settlement input: claims, third parties and the
 * bufferbudget grants the bookings refer to. */
int ledger_book_input(struct ledger *l, int64_t run, int64_t dossier, const struct settle_result *r,
		      const struct settle_input *in, struct br_error *err);

/*
 * Release run `run`: its pending bookings get the release date
 * `vrijgegeven` (YYYY-MM-DD) and are folded into each dossier's summary.
 * Runs inside the caller's transaction, with the run's status change, so
 * that a run is released whole or not at all.
 */
int ledger_release(struct store *st, int64_t run, const char *vrijgegeven, struct br_error *err);

/* Drop the pending bookings of a superseded or cancelled run. */
int ledger_discard(struct store *st, int64_t run, struct br_error *err);

/* Recompute every summary from `boeking`; BR_EINTERNAL naming the first
 * dossier whose summary differs. */
int ledger_check(struct store *st, struct br_error *err);

#endif

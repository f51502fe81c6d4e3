/*
 * snapshot.h — applying a client-register snapshot to the store
 * (formats.md §1 and §5), inside the caller's transaction.
 *
 *  - Snapshots are ordered by (peildatum, aanmaakdatum); one that is not
 *    newer than the snapshot in force is refused as stale.
 *  - Household values (leefvorm, partner, youngest child, kostendelers,
 *    woonkostenverlaging, vast bedrag, grants, claims, third parties, the
 *    account, the register's hold) are kept per snapshot as a `stand`
 *    valid from the first day of the month of the peildatum; a stand is
 *    only written when the values changed (compared by a SHA-256 of their
 *    canonical form), and a later snapshot in the same month replaces that
 *    month's stand.  A month is later settled with the stand in force on
 *    its first day.  A dossier whose row values and stand did not change
 *    is not written at all: not its row, not its people, not its hold
 *    (unless the register holds it: that is set again each time).
 *  - Dates (Ingangsdatum, Einddatum) apply as given.  A dossier that
 *    disappears gets Einddatum = peildatum unless it ended earlier.
 *  - Shrink guard: when at least 50 dossiers are active, a snapshot that
 *    would end more than `krimp_max_pct` percent of them is refused unless
 *    the operator allowed it (`ingest --krimp-toestaan FILE`).
 *  - Cut-over fields (VtReservering, maanden_gebruikt) count only from the
 *    first snapshot that has the dossier.
 *  - Threads: a snapshot is used by one thread at a time, not necessarily
 *    the one that began it (intake adds dossiers from its store thread);
 *    its store connection goes with it.
 *  - Record problems (formats.md §5: an IBAN of the account or of a third
 *    party failing mod-97 or its country's length, or of a country outside
 *    the SEPA scheme; a Dossiernummer holding a run of nine or more
 *    digits; overlapping grants of one code for one person; a partner
 *    without GEHUWD or GEHUWD without a partner; a PARTNER grant without
 *    partner) do not refuse the snapshot: the stand carries `probleem`,
 *    which blocks the dossier's payments and opens a REGISTER job.  The
 *    text never holds an account number or a BSN-like run of digits (see
 *    snapshot_record_problems): it reaches block reasons, the run report
 *    and the worklist.
 */
#ifndef BR_SNAPSHOT_H
#define BR_SNAPSHOT_H

#include <stddef.h>

#include <sqlite3.h>

#include "error.h"
#include "levering.h"
#include "register.h"
#include "store.h"

struct snapshot;

struct snapshot_result {
	long dossiers;  /* dossiers in the snapshot */
	long nieuw;     /* new dossiers */
	long gewijzigd; /* dossiers whose household values changed */
	long beeindigd; /* dossiers ended because they disappeared */
	long gemarkeerd; /* dossiers with a record problem */
};

/*
 * Start applying a snapshot delivered as ledger row `levering_rowid`.
 * BR_EINPUT when stale.  The caller owns the transaction.
 */
int snapshot_begin(struct snapshot **out, struct store *st, sqlite3_int64 levering_rowid,
		   const struct levering_header *hdr, int krimp_max_pct, int krimp_toegestaan,
		   struct br_error *err);

/* One dossier.  BR_EINPUT for a Dossiernummer seen twice in the snapshot. */
int snapshot_add(struct snapshot *s, const struct register_dossier *d, struct br_error *err);

/* End the disappeared dossiers (after the shrink guard) and record counts. */
int snapshot_finish(struct snapshot *s, struct snapshot_result *out, struct br_error *err);

/*
 * The record problems of one dossier, "; "-separated, into `out` ("" when
 * none; cut to fit `cap` bytes).  An IBAN is shown as "****" and its last
 * four characters, every run of nine or more digits (a kenmerk's) as '*'
 * but its last four.  For example:
 *   "account: IBAN ****4301 fails the mod-97 check"
 *   "third party HUUR-4411: IBAN ****7519 is of SA, a country outside the
 *    SEPA scheme (EPC409-09 v8.0, 24 December 2025)"
 *   "the Dossiernummer holds a run of nine or more digits (it could be a
 *    BSN and would reach the payment file)"
 */
void snapshot_record_problems(char *out, size_t cap, const struct register_dossier *d);

/* Whether snapshot_finish refused the snapshot by the shrink guard (the
 * one refusal an operator may overrule: ingest --krimp-toestaan). */
int snapshot_shrink_refused(const struct snapshot *s);

void snapshot_free(struct snapshot *s);

#endif

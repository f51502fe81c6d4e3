/*
 * intake.h — the file drop (formats.md §4–§5): every complete file in the
 * inbox is ingested exactly once, in one transaction, or quarantined with a
 * reason an operator can act on.
 *
 * Per run:
 *  1. List the inbox without following anything (formats.md §5, the inbox
 *     is a trust boundary): names starting with '.' or ending in .part or
 *     .tmp are skipped (senders write, then rename); links, FIFOs, devices,
 *     sockets and directories are moved into quarantine as what they are,
 *     with a reason; a name that cannot be stored or shown as it is, is
 *     quarantined unread under a safe name.  A regular file is opened once
 *     and copied, while it is hashed, into a private file that the sniffer,
 *     the parser and the archive all read; one that changes while it is
 *     read is left for the next pass.
 *  2. Identify each by the SHA-256 of its bytes.  Known and archived: a
 *     duplicate, recorded and removed from the inbox.  Known but not yet
 *     archived (a crash between commit and archive): the archive is
 *     finished, nothing else.  New: sniffed for its kind (root element and
 *     namespace, never the name), leveringId and aanmaakdatum.
 *  3. New files are processed in the order of (aanmaakdatum, name).  Each:
 *     BEGIN; ledger row; parse + validate while streaming, storing records
 *     through the kind's handler; COMMIT.  Then the file is written to
 *     archive/YYYY/MM/ (gzip) durably and removed from the inbox, and the
 *     ledger row is marked archived.  On any error: ROLLBACK and the file
 *     moves byte for byte to quarantine/ beside NAME.reason.  One file's
 *     failure never holds back the others.
 *
 * Killing the process at any moment leaves each file either untouched in
 * the inbox or ingested (and, after the next run at the latest, archived):
 * the ledger row and the records commit together, and archiving is
 * idempotent.
 */
#ifndef BR_INTAKE_H
#define BR_INTAKE_H

#include "config.h"
#include "error.h"
#include "signaltable.h"
#include "store.h"

struct intake_opts {
	const char *home;           /* data directory (archive/, quarantine/) */
	const char *inbox;          /* directory to drain (home/inbox by default) */
	const char *krimp_sha256;   /* SHA-256 hex of a register allowed to shrink, or NULL */
	const struct config *cfg;
	const char *data_dir;       /* shipped data: its schemas/ folder */
	const struct signaltable *signals;
	int progress;               /* show progress on stderr (a terminal) */
};

struct intake_summary {
	int ingested;
	int duplicates;
	int quarantined;
	int recovered;      /* archives finished after an interrupted run */
	int in_place;       /* of those ingested, read in place under a lease, not copied */
	long records;
	long unknown_bsn;   /* income records / signals for BSNs without a dossier */
};

/*
 * Drain the inbox once.  Returns 0 (also when files were quarantined: see
 * summary->quarantined), or a negative code for a failure of the machinery
 * itself (I/O on the data directory, the store).
 */
int intake_run(struct intake_summary *out, struct store *st, const struct intake_opts *o,
	       struct br_error *err);

#endif

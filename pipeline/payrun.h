/*
 * payrun.h — the monthly payment run (payments.md): prepare → approve →
 * release, with superseding and cancelling, the four-eyes rule, and the
 * ledger booked only at release.
 *
 * Prepare settles every dossier (settle.h) in one store transaction,
 * decides per dossier what is paid (held and blocked dossiers pay and book
 * nothing), records the run, its transactions (each with an EndToEndId
 * unique for all time) and its pending bookings, stores every settlement
 * with its specification, and writes the run folder
 * out/YYYY-MM/RUN/ (pain.001.xml, .p7s, rapport.html/.csv, the
 * specifications as one bundle per municipality with an index —
 * specbundle.h —, manifest.xml) before committing: a crash leaves either a complete
 * prepared run or none (a folder without a run record is replaced by the
 * next preparation, which gets the same id).  The payment file depends only
 * on the stored run, so the same state and run id give the same bytes.
 *
 * Release verifies both signatures, the four-eyes rule and the file's
 * SHA-256 against the run record, refuses a passed execution date, copies
 * the file and its signature into outbox/ and, in one transaction, marks
 * the run RELEASED and books its payments as paid (ledger_release).
 */
#ifndef BR_PAYRUN_H
#define BR_PAYRUN_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "error.h"
#include "rules.h"
#include "signaltable.h"
#include "store.h"

struct payrun_env {
	const char *home;             /* data directory */
	const struct config *cfg;
	const struct rules *rules;
	const char *trust_pem;        /* [ondertekening] vertrouwen, resolved */
	const struct signaltable *signals; /* job kinds for the jobs a run opens */
	int64_t now;                  /* timestamp of this command */
	FILE *progress;               /* a terminal for prepare's progress line, or NULL (progress.h) */
};

struct payrun_summary {
	char msg_id[40];              /* the run id (also the pain.001 MsgId) */
	char folder[4096];
	char sha256[65], sha1[41];
	char uitvoerdatum[11];
	long dossiers, tx, paid, nul, held, blocked, derden_skipped;
	long rejected;                /* status reports an older store left unprocessed, processed now */
	int64_t total_cents;
};

/* `run --month M [--aanvullend] --key K` (dry_run: `--dry-run`, no key,
 * nothing booked or signed, report under out/YYYY-MM/dry-run/).  A
 * supplementary run that finds nothing due records no run: msg_id "none". */
int payrun_prepare(struct payrun_summary *out, struct store *st, const struct payrun_env *env,
		   int32_t month, int aanvullend, int dry_run, const char *key_path,
		   const char *passphrase, struct br_error *err);

int payrun_approve(struct payrun_summary *out, struct store *st, const struct payrun_env *env,
		   const char *run, const char *key_path, const char *passphrase, struct br_error *err);

/* What `approve` shows before it asks: the run's id, folder, count, total,
 * execution date and file hashes as recorded, and its status; nothing is
 * changed or checked.  BR_ENOINPUT for an unknown run. */
int payrun_describe(struct payrun_summary *out, char status[16], struct store *st, const char *run,
		    struct br_error *err);

/* Cancel a prepared or approved run.  Like a preparation superseded by the
 * next one, a cancelled run keeps only its run row (status, the file's
 * hashes): its payments, decisions, settlements and pending bookings are
 * deleted in the same transaction. */
int payrun_cancel(struct store *st, const struct payrun_env *env, const char *run, struct br_error *err);

int payrun_release(struct payrun_summary *out, struct store *st, const struct payrun_env *env,
		   const char *run, struct br_error *err);

/* Check a payment file and FILE.p7s: signatures, trust chain, four-eyes,
 * the run record's SHA-256.  Prints what it finds to stdout. */
int payrun_verify(struct store *st, const struct payrun_env *env, const char *file, struct br_error *err);

/* List runs with status and totals on stdout. */
int payrun_list(struct store *st, struct br_error *err);

#endif

/*
 * ingest.h — the `ingest` and `watch` commands (cli.md): one pass of the
 * inbox under the store's lock (intake.h), followed by what a new file can
 * cause (signals.md: every signal that matches a dossier becomes a job,
 * also those waiting for a dossier that has now arrived; register record
 * problems open REGISTER jobs; payments.md: batches without a debit open
 * BANK jobs), and the inotify loop that repeats it as files arrive.
 */
#ifndef BR_INGEST_H
#define BR_INGEST_H

#include <stdio.h>

#include "error.h"
#include "home.h"
#include "intake.h"
#include "signaltable.h"

/*
 * `--krimp-toestaan FILE`: the operator accepts this register although it
 * ends many dossiers.  FILE is identified by its SHA-256 (written to
 * `sha`); when it is not in `inbox` (typically quarantine/NAME) it is moved
 * back into the inbox and its .reason removed.
 */
int ingest_allow_shrink(char sha[SHA256_HEX_LEN + 1], const struct home *h, const char *inbox,
			const char *file, struct br_error *err);

/* One pass over `inbox` (the home's inbox when NULL); `krimp_sha` as from
 * ingest_allow_shrink or NULL.  BR_EBUSY when another command holds the
 * store. */
int ingest_once(struct intake_summary *sum, const struct home *h, const struct signaltable *sig,
		const char *inbox, const char *krimp_sha, struct br_error *err);

/* The one-line summary of a pass, on `out`. */
void ingest_print_summary(FILE *out, const struct intake_summary *s);

/* `watch`: ingest the home's inbox now and whenever a file is closed or
 * moved into it (and at least every minute), until SIGTERM or SIGINT;
 * 0 after a signal, an error when a pass fails other than busy. */
int ingest_watch(const struct home *h, const struct signaltable *sig, struct br_error *err);

#endif

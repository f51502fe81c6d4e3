/*
 * manifest.h — a run folder's manifest.xml (payments.md "run manifest").
 *
 * The manifest ties a run folder to what produced it: the run id and
 * month, the SHA-256 of the rules that were parsed, the SHA-256 of every
 * listed file present in the folder (the payment file, the report, the
 * specification bundles and their index), the number of specifications, and
 * every delivery (levering) in the store with its hash.  `verify` and an
 * auditor read it; nothing in the program parses it back.
 */
#ifndef BR_MANIFEST_H
#define BR_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "store.h"

struct manifest_run {
	const char *msg_id;           /* the run id */
	int32_t month;                /* the run's month (date.h month) */
	int64_t now;                  /* when it was made */
	const char *rules_sha256;     /* of the parsed rules */
	long specifications;          /* number of specifications made */
};

/*
 * Write `folder`/manifest.xml (0600, atomically).  `files` are names
 * inside `folder`; one that does not exist is left out (a run without
 * payments has no pain.001.xml).  Reads the deliveries from `st`.
 */
int manifest_write(struct store *st, const char *folder, const struct manifest_run *run,
		   const char *const *files, size_t n_files, struct br_error *err);

#endif

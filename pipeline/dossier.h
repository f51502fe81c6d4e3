/*
 * dossier.h — the `dossier` command (cli.md): one dossier's settlement
 * history and a month's calculation, in Dutch, as the client reads it.
 * For a month with a run (payments.md) that run's specification as stored,
 * followed by what the bank said about its payments afterwards; for a
 * month without one, the calculation the engine makes now, labelled
 * provisional.
 */
#ifndef BR_DOSSIER_H
#define BR_DOSSIER_H

#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "home.h"
#include "rules.h"

/* BR_ENOINPUT when the store has no dossier `nummer`. */
int dossier_show(FILE *out, const struct home *h, const struct rules *rules, const char *nummer,
		 int32_t month, struct br_error *err);

/*
 * The `specificatie` command: dossier `nummer`'s specification as the run
 * made it — the same bytes as its text in the run's bundle (specbundle.h)
 * — from the store.  The run is `run` (a msg_id) when not NULL, else the
 * month's regular run that is PREPARED, APPROVED or RELEASED.  Written to
 * `path` (0600, atomically), or to stdout when `path` is NULL or "-".
 * BR_ENOINPUT when there is no such run or the run has no specification
 * for the dossier.
 */
int dossier_write_specification(const struct home *h, const char *nummer, int32_t month, const char *run,
				const char *path, struct br_error *err);

#endif

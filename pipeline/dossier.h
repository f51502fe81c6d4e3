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

#endif

/*
 * signaltable.h — the signal table of signals.md as shipped data
 * (data/rules/signaaltabel.xml, schema data/schemas/signaaltabel.xsd).
 *
 * Per signal `Soort`: source, job kind, priority (1 highest), due days and
 * payment effect; plus the jobs the pipeline opens itself (INKOMEN_OUD,
 * DERDEN, AOW, INKOMEN_HANDMATIG, REGISTER) with priority and due days.
 * The table is the contract: a signal whose Soort is not in it refuses its
 * file.  Loading validates the file and refuses duplicates (BR_ECONFIG).
 */
#ifndef BR_SIGNALTABLE_H
#define BR_SIGNALTABLE_H

#include <stddef.h>

#include "error.h"

#define SIGNALTABLE_NAME_MAX 40

enum signal_effect { SIGNAL_EFFECT_NONE = 0, SIGNAL_EFFECT_HOLD };

struct signal_kind {
	char soort[SIGNALTABLE_NAME_MAX + 1];   /* DETENTIE ... */
	char bron[16];                          /* DJI ... */
	char taak[SIGNALTABLE_NAME_MAX + 1];    /* job kind: DETENTIE, VERMOGEN ... */
	int prioriteit;                         /* 1..9 */
	int termijn_dagen;                      /* due in days */
	enum signal_effect effect;
};

struct job_kind {
	char taak[SIGNALTABLE_NAME_MAX + 1];    /* INKOMEN_OUD ... */
	int prioriteit;
	int termijn_dagen;
};

struct signaltable {
	struct signal_kind *signals;  /* owned */
	size_t n_signals;
	struct job_kind *jobs;        /* owned */
	size_t n_jobs;
};

/* Load and validate; `out` is caller-owned, release with signaltable_release. */
int signaltable_load(struct signaltable *out, const char *path, const char *xsd_path,
		     struct br_error *err);
void signaltable_release(struct signaltable *t);
/* Borrowed pointer into the table, or NULL. */
const struct signal_kind *signaltable_find(const struct signaltable *t, const char *soort);
const struct job_kind *signaltable_find_job(const struct signaltable *t, const char *taak);

#endif

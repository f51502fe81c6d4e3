/*
 * jobs.h — heronderzoek jobs (the specification's signals.md): every signal
 * that matches a dossier becomes a job or joins the open job of the same
 * kind; some signals hold payment; the pipeline opens jobs of its own; a
 * consultant closes a job with an outcome that the settlement follows.
 *
 * Store tables (store.c migration 4): taak (one open job per dossier and
 * kind, by a partial unique index), taak_signaal (signals joined to a
 * job), taak_gebeurtenis (the audit trail: every transition with who, when
 * and why; triggers make it append-only and keep a closed job closed),
 * opschorting (holds; `taak` links a signal hold to its job),
 * recht_vervallen (periods without right, read by the settlement as gaps)
 * and beeindiging (an end date set by a BEEINDIGD outcome).
 *
 * Rules:
 *  - matching by the BSN of the applicant or partner in the dossier's
 *    latest stand; a signal for a BSN without a dossier stays unmatched
 *    and is matched when the dossier appears (jobs_match_signals runs after
 *    every ingest and before every run);
 *  - a job's due date is the signal date plus the table's due days; a
 *    signal or event joining an open job keeps the earlier due date and the
 *    higher priority (lower number) of the two;
 *  - a signal whose table entry has effect HOLD creates a hold from its
 *    PeriodeBegin, linked to the job, released when the job is closed;
 *  - outcomes: GEEN_GEVOLGEN and AANGEPAST release the holds; BEEINDIGD
 *    (with --datum) records the end date and releases the holds;
 *    RECHT_VERVALLEN (with --van/--tot) records the period without right
 *    and releases the holds; the next run then pays what is owed;
 *  - pipeline jobs (INKOMEN_OUD, DERDEN, AOW, INKOMEN_HANDMATIG, REGISTER)
 *    are opened with a `sleutel` naming the event (e.g. "2026-10"): the
 *    same event never opens a job again once one was closed for it;
 *  - HERBEREKENING jobs are created closed (outcome AUTOMATISCH) with the
 *    difference a re-settlement found.
 * All functions run inside the caller's transaction unless said otherwise.
 */
#ifndef BR_JOBS_H
#define BR_JOBS_H

#include <stdint.h>
#include <stdio.h>

#include "csvout.h"
#include "error.h"
#include "signaltable.h"
#include "store.h"

#define JOBS_SYSTEEM "betaalrun"   /* the operator id of the system */

struct jobs_match_result {
	long matched;     /* signals joined to a job now */
	long new_jobs;
	long holds;       /* holds created */
	long unmatched;   /* signals still without a dossier */
};

/* Match every signal not yet joined to a job (own transaction). */
int jobs_match_signals(struct jobs_match_result *out, struct store *st, const struct signaltable *t,
		  int64_t now, struct br_error *err);

/*
 * Open (or join) a pipeline job of kind `taak` (a Taak of the table) for
 * `dossier`: due `from_day` + the table's due days.  `sleutel` (may be
 * NULL) names the event; when a job of this kind with this key exists
 * (open or closed) nothing new is opened.  `omschrijving` says what
 * happened, in words.  *out_id (may be NULL) receives the job id, or 0 when
 * nothing was opened.
 */
int jobs_open_event(int64_t *out_id, struct store *st, const struct signaltable *t, int64_t dossier,
		    const char *taak, int32_t from_day, const char *sleutel, const char *omschrijving,
		    int64_t now, struct br_error *err);

/* A REGISTER job for every dossier whose latest register values carry a
 * record problem (formats.md §5), keyed by the problem. */
int jobs_open_register_problems(long *out_opened, struct store *st, const struct signaltable *t,
				int64_t now, struct br_error *err);

/* A closed HERBEREKENING job recording a re-settlement's difference;
 * recorded once per dossier and `sleutel`. */
int jobs_record_herberekening(struct store *st, int64_t dossier, const char *sleutel,
			      const char *omschrijving, int64_t difference_cents, int64_t now,
			      struct br_error *err);

struct rules;
struct jobs_close_args {
	int64_t id;
	const char *uitkomst;     /* GEEN_GEVOLGEN AANGEPAST BEEINDIGD RECHT_VERVALLEN;
				   * a BUFFER job: TOEKENNEN or AFWIJZEN */
	int64_t bedrag_cents;     /* TOEKENNEN: the amount granted, > 0; 0 = the proposal */
	const struct rules *rules;/* TOEKENNEN: the bufferbudget's maximum (rules.md §5a) */
	int32_t datum;            /* BEEINDIGD: required, else DATE_NONE */
	int32_t van, tot;         /* RECHT_VERVALLEN: required, else DATE_NONE */
	const char *door;         /* operator id, required */
	const char *toelichting;  /* why, required */
};

/*
 * A job with an amount: opened (or joined) like jobs_open_event, and when
 * opened now its amount is `amount_cents` (a BUFFER job's proposal,
 * rules.md §5a: key "BUFFER YYYY-MM", the month it is proposed for).
 */
int jobs_open_proposal(int64_t *out_id, struct store *st, const struct signaltable *t, int64_t dossier,
		       const char *taak, int32_t from_day, const char *sleutel, const char *omschrijving,
		       int64_t amount_cents, int64_t now, struct br_error *err);

/* Close a job (own transaction).  BR_EUSAGE for missing or contradictory
 * arguments, BR_ENOINPUT for an unknown job, BR_EINPUT for a closed one. */
int jobs_close(struct store *st, const struct jobs_close_args *a, int64_t now, struct br_error *err);

/* Take a job in hand (OPEN → IN_BEHANDELING), recorded like a close. */
int jobs_assign(struct store *st, int64_t id, const char *door, const char *toelichting, int64_t now,
		struct br_error *err);

/* The i-th outcome `jobs close --uitkomst` accepts (i from 0), NULL past
 * the last. */
const char *jobs_outcome(size_t i);

struct jobs_filter {
	const char *gemeente;     /* CBS code or NULL */
	const char *soort;        /* job kind or NULL */
	int overdue;              /* only jobs past their due date (on `today`) */
	int32_t today;
	enum csv_dialect csv;     /* the CSV's dialect (worklist.h), 0 = excel-nl */
};

/* The open worklist.  Without `csv_path`: to `out` as a table.  With it:
 * as CSV (writers/worklist.h, in the filter's dialect, excel-nl without a
 * filter) to `csv_path` (created 0600), and to `out` one line saying how
 * many jobs went where; `csv_path` "-" writes the CSV to `out` instead.
 * `out` may be NULL.  No BSN. */
int jobs_list(struct store *st, const struct jobs_filter *f, FILE *out, const char *csv_path,
	      struct br_error *err);

/* One job with its signals and its audit trail, to `out`. */
int jobs_show(struct store *st, int64_t id, FILE *out, struct br_error *err);

/* Open and overdue jobs per municipality, to `out` (for `status`). */
int jobs_summary(struct store *st, int32_t today, FILE *out, struct br_error *err);

#endif

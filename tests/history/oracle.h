/*
 * oracle.h — a second, simpler settlement for the randomized history test
 * (issue 15), written from the specification's rules.md, formats.md §1–§2 and
 * signals.md only.  It shares no code with the program: its own calendar,
 * its own rounding, its own norm table (the figures of rules.md §2 and §4,
 * which cite their legal sources), its own reading of a correction chain.
 *
 * It answers, for one dossier of a generated history and the run of month
 * M, what rules.md says the engine should compute: per settled month the
 * norm, income, vrijlating, right, owed and the differences, and for the
 * run the advance, additions, VT, deductions, claims, instalments, third
 * parties and what the client is paid.  Its ledger is its own: what its
 * earlier runs booked (a held run books nothing).
 */
#ifndef ORACLE_H
#define ORACLE_H

#include <stdint.h>

#include "history.h"

/* Interpretations where rules.md leaves room (see README.md). */
struct o_opts {
	int dagen_order;     /* toerekening=dagen with a record partly outside the
			      * benefit period: 1 = spread over the period's days,
			      * then each month's share by its days inside;
			      * 2 = take the share inside first, spread it over
			      * the inside days (rules.md is silent) */
	int claim_since_stand; /* §5 step 5, "withheld on or after the snapshot's
			      * peildatum": 0 = the latest snapshot (the text);
			      * 1 = the first of the snapshots since which the
			      * dossier's register values are unchanged */
	int vt_unpaid_june;  /* also a VT run when the last VT month (June) is
			      * active now and was never paid (the engine infers a
			      * held June run from that); 0 = rules.md §2: only
			      * June, after the end, and after a held VT run */
	int work_per_person; /* rules.md §5a "months in which ARBEID income of the
			      * applicant or partner was counted": 0 = their
			      * counted ARBEID income together is above zero (the
			      * engine); 1 = the applicant's or the partner's is */
	int held_june_inactive; /* after a held June run also when June has no
			      * active days (rules.md §2; a known open defect
			      * of the engine, see README.md: off by default) */
};

struct o_claim_wh {
	char kenmerk[40];
	int32_t released;    /* release date of the run that withheld it */
	int64_t amount;
};

/* rules.md §5a: a BUFFER job closed TOEKENNEN, paid by the next released run. */
struct o_bgrant {
	int month;           /* the run month it was proposed for */
	int64_t amount;
	int paid;
};

/* What released runs booked for one dossier, per month index - m0. */
struct o_ledger {
	int64_t paid[H_MAX_MONTHS];
	int64_t vtpaid[H_MAX_MONTHS];
	int advanced[H_MAX_MONTHS];
	int n_wh;
	struct o_claim_wh wh[4 * H_MAX_MONTHS];
	int vt_pending;      /* a held VT run left VT unpaid: months before this + 1 */
	/* rules.md §5a */
	int64_t buf_used[8]; /* bufferbudget released in runs of run-month year 2025 + i */
	int64_t proposed[H_MAX_MONTHS];   /* the BUFFER job the run of m0 + i opened: its amount */
	int n_bgrant;
	struct o_bgrant bgrant[H_MAX_MONTHS];
};

struct o_month {
	int month;
	int32_t first_day;
	int active_days, days;
	int64_t norm, income, vrij, right, owed, vtres;
	int64_t arbeid[2];
	int64_t diff, vt_diff;
	int vrij_grant[2];   /* applied grant index in the stand, -1 none */
	int stand_snap;      /* snapshot index of the stand used */
};

struct o_run {
	int run_month, m0;
	int n;
	struct o_month m[H_MAX_MONTHS];
	int active_in_run, vt_run, held;
	int vt_until;        /* VT settled for months before this */
	int vt_spec;         /* a VT run by rules.md §2 itself (June, after the end) */
	int64_t advance, additions, vt, deducted, carried, claimed, instalments, derden, client;
	int n_claims;
	int64_t inst[H_MAX_CLAIMS];
	char inst_kenmerk[H_MAX_CLAIMS][40];
	/* what the run books, per month index - m0 */
	int64_t book_paid[H_MAX_MONTHS], book_vt[H_MAX_MONTHS];
	int book_adv[H_MAX_MONTHS];
	/* rules.md §5a: paid from the bufferbudget (applied and grants), proposed
	 * (voorstel), left of the year after the run (-1: no budget), the
	 * bufferbudget booked per month, and the grants this run pays (the
	 * ledger's first n_bgrant_paid that are not paid yet) */
	int64_t buffer, buffer_proposed, buffer_left;
	int buffer_job;      /* the proposal opens a BUFFER job; 0: it joins the
			      * dossier's open one (signals.md: one open job per
			      * dossier and kind), whose month and amount stay */
	int64_t work_ded, buffer_floor, after4;
	int64_t book_buffer[H_MAX_MONTHS];
	int n_bgrant_paid;
};

/* rules.md §5a voorstel: a BUFFER job the consultant closes now. */
struct o_bclose {
	int month;           /* the run month it was proposed for (its key) */
	int64_t proposal;    /* the job's amount */
	int grant;           /* 1 TOEKENNEN, 0 AFWIJZEN */
	int64_t bedrag;      /* --bedrag to pass: 0 = the proposal */
	int64_t granted;     /* what is granted (0 for AFWIJZEN) */
	int64_t probe;       /* first try TOEKENNEN with this amount, which must be
			      * refused (more than may be granted); 0 none */
	int probe_proposal;  /* first try TOEKENNEN without --bedrag (the whole
			      * proposal, more than is left): must be refused */
	int64_t limit;       /* what may be granted: min(proposal, left of the year) */
};

/* Settle dossier `d` of `h` for the run of `run_month` against ledger `l`. */
void oracle_run(struct o_run *out, const struct h_history *h, int d, int run_month,
		const struct o_ledger *l, const struct o_opts *opt);

/* Book a run released on day `released` (not for a held run). */
void oracle_book(struct o_ledger *l, const struct o_run *r, int m0, int32_t released);

/* A held run: what it would have paid stays open (VT included). */
void oracle_hold(struct o_ledger *l, const struct o_run *r, int run_month, const struct o_opts *opt);

/* The BUFFER jobs of dossier d the consultant closes at the start of the
 * run of run_month (the history's decisions); grants are recorded in `l`.
 * Returns how many were written to out (at most cap). */
int oracle_buffer_close(struct o_bclose *out, int cap, const struct h_history *h, int d, int run_month,
			struct o_ledger *l);

/* Whether dossier d is held in the run of run_month (signals.md). */
int oracle_held(const struct h_history *h, int d, int run_month);

/* Calendar helpers of the oracle, also used by the generator. */
int32_t o_days(int y, int m, int d);
void o_ymd(int32_t days, int *y, int *m, int *d);
int32_t o_month_first(int month);
int32_t o_month_last(int month);
int o_month_of(int32_t day);
int o_age(int32_t birth, int32_t on);
int64_t o_round_div(int64_t num, int64_t den);

#endif

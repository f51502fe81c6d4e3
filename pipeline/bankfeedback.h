/*
 * bankfeedback.h — what the bank says about released runs, booked once
 * (payments.md "Bank status reports (pain.002)" and "Bank statements and
 * returns (camt.053, camt.054)"; signals.md, the BANK job).
 *
 * Intake stores a delivery's lines (bankstatus for a pain.002, bankpost
 * for a statement) and then calls bankfeedback_apply inside the same
 * transaction, so a file's effects happen whole, once, or not at all.
 *
 * The money effect of a rejection or a return is a row in `terugboeking`,
 * whose primary key is the payment: whatever levels, repeated lines, later
 * reports with new MsgIds or statements repeat, a payment is booked back at
 * most once, by the store's constraint, not by care in this code.  A client
 * payment booked back lowers what its month counts as paid (a negative
 * `verschil` booking, unique per payment too), so the next regular or
 * supplementary run pays it again; a third party's payment stays owed to
 * that third party (paid again by payrun, never to the client).
 *
 * Reason classes: a reason about the creditor's account blocks that account
 * for the dossier until the register changes it (a REGISTER job, or DERDEN
 * for a third party); any other reason, and a rejection of the whole file,
 * blocks nothing and opens one BANK job per delivery with the number, the
 * total and the reasons.  Lines that match no released run or payment are
 * kept (onbekend = 1), listed by `status` and named in that BANK job.
 *
 * Uses: store, signals (jobs), ledger, calendar, money, date, log.
 */
#ifndef BR_BANKFEEDBACK_H
#define BR_BANKFEEDBACK_H

#include <stdint.h>

#include "error.h"
#include "signaltable.h"
#include "store.h"

struct bankfeedback_result {
	long payments;          /* payments a line applied to (after "most specific wins") */
	long booked_back;       /* booked back now (not before) */
	int64_t booked_back_cents;
	long account_blocks;    /* of which for a reason about the account */
	long settled;           /* ACSC */
	long vop_mismatches;    /* Verification of Payee: close or no match */
	long unmatched;         /* lines or entries that match nothing */
	long debits;            /* batch debits reconciled now */
	long debit_mismatches;  /* debits whose amount differs */
};

/* Reason classes (payments.md): 1 when `reason` is about the creditor's
 * account (AC01, AC04, MD07, ...), 0 for any other or unknown reason. */
int bankfeedback_account_reason(const char *reason);

/* A reason in words for an operator or a client ("rekening opgeheven"), or
 * NULL for a code betaalrun does not know (static strings). */
const char *bankfeedback_reason_text(const char *reason);

/*
 * Apply the stored lines of delivery `levering` (soort "pain002",
 * "camt053" or "camt054").  Runs inside the caller's transaction; `t`
 * gives the jobs' priorities and due dates; `now` stamps the bookings.
 */
int bankfeedback_apply(struct bankfeedback_result *out, struct store *st, const struct signaltable *t,
		       int64_t levering, int64_t now, struct br_error *err);

/*
 * Apply every status report whose lines are not yet processed (a store
 * upgraded from a version that processed them at the next run).  Runs in
 * the caller's transaction; `out_files` counts the reports.
 */
int bankfeedback_apply_pending(long *out_files, struct store *st, const struct signaltable *t, int64_t now,
			       struct br_error *err);

/*
 * payments.md "Reconciliation": every batch of a released run not debited
 * within `days` TARGET2 business days after its execution date opens a
 * BANK job (once per batch).  Its own transaction.  `out_opened` counts
 * the jobs opened now.
 */
int bankfeedback_check_debits(long *out_opened, struct store *st, const struct signaltable *t, int days,
			      int64_t now, struct br_error *err);



/*
 * Third parties' payments booked back and not yet paid again (payments.md:
 * "stays owed to that third party and is never paid to the client").
 * `fn` is called for each, oldest first, with the register's account for
 * the third party of that kenmerk in force on `day` (new_iban, "" when the
 * register has none).  Payrun decides whether it can be paid now: for a
 * reason about the account only to another account than the rejected one;
 * for any other reason to the same account.
 */
struct bankfeedback_owed {
	int64_t betaling, dossier, amount_cents;
	int account;                    /* booked back for a reason about the account */
	char reden[40];
	char iban[40], naam[160];       /* where the rejected payment went */
	char new_iban[40], new_naam[160];
	char kenmerk[80], maand[8], nummer[40], gemeente[16], regeling[8];
};

int bankfeedback_owed_each(struct store *st, int32_t day,
			   int (*fn)(void *ctx, const struct bankfeedback_owed *o, struct br_error *err),
			   void *ctx, struct br_error *err);

/*
 * Payments the bank booked back (a pain.002 rejection or a statement's
 * return), for a run's report (payments.md "Run report": what needs
 * action): those from a bank file received after the run `since` (a
 * msg_id, the previous released run) was prepared, so each shows in the
 * first report prepared after it came in; all of them when `since` is "".
 * Oldest bank file first.
 */
struct bankfeedback_returned {
	int64_t amount_cents;
	int client;                     /* to the client, else to a third party */
	char kenmerk[80];               /* the third party's kenmerk, "" for the client */
	char reden[80];                 /* "AC04 (rekening opgeheven)" */
	char nummer[40], gemeente[16];
};

int bankfeedback_returned_each(struct store *st, const char *since,
			       int (*fn)(void *ctx, const struct bankfeedback_returned *r, struct br_error *err),
			       void *ctx, struct br_error *err);

/*
 * At release of run `run`: every payment in it that pays an owed one again
 * (betaling.herbetaling_van) settles it, once: the store refuses a second
 * (terugboeking.herbetaald is unique, and an owed payment already paid
 * fails the release).  Runs in the caller's transaction.
 */
int bankfeedback_owed_settle(struct store *st, int64_t run, struct br_error *err);
#endif

/* bankfeedback.c — see bankfeedback.h. */
#include "bankfeedback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "date.h"
#include "iban.h"
#include "ledger.h"
#include "mem.h"
#include "money.h"
#include "jobs.h"

#include "banned.h"

/*
 * payments.md "Bank status reports": the reasons about the creditor's
 * account (ISO 20022 ExternalStatusReason1Code / ExternalReturnReason1Code,
 * as used in the SEPA Credit Transfer rulebook's R-transactions) and the
 * words an operator or client reads for every code betaalrun knows.  Any
 * other code, a proprietary one included, is "any other reason".
 */
static const struct reason {
	const char *code;
	int account;
	const char *text;
} reasons[] = {
	{ "AC01", 1, "rekeningnummer onjuist" },
	{ "AC03", 1, "rekening van de ontvanger ongeldig" },
	{ "AC04", 1, "rekening opgeheven" },
	{ "AC06", 1, "rekening geblokkeerd" },
	{ "AC07", 1, "rekening van de ontvanger opgeheven" },
	{ "AC14", 1, "soort rekening van de ontvanger ongeldig" },
	{ "AG01", 1, "betaling naar deze rekening niet toegestaan" },
	{ "BE01", 1, "naam past niet bij de rekening" },
	{ "CNOR", 1, "bank van de ontvanger niet bereikbaar" },
	{ "MD07", 1, "rekeninghouder overleden" },
	{ "RC01", 1, "bankcode (BIC) onjuist" },
	{ "AM04", 0, "onvoldoende saldo op de rekening van de betaler" },
	{ "AM05", 0, "dubbele betaling" },
	{ "AM10", 0, "controletotaal van het bestand klopt niet" },
	{ "DU01", 0, "bericht dubbel aangeleverd" },
	{ "DU02", 0, "batch dubbel aangeleverd" },
	{ "DU03", 0, "transactie dubbel aangeleverd" },
	{ "DU04", 0, "kenmerk dubbel aangeleverd" },
	{ "DU05", 0, "betaling dubbel aangeleverd" },
	{ "FF01", 0, "bestandsformaat ongeldig" },
	{ "MS02", 0, "geen reden opgegeven (ontvanger)" },
	{ "MS03", 0, "geen reden opgegeven (bank)" },
	{ "NARR", 0, "zie de toelichting van de bank" },
	{ "TM01", 0, "na de sluitingstijd ontvangen" },
};

#define N_REASONS (sizeof(reasons) / sizeof(reasons[0]))
#define TEXT_MAX 900

static const struct reason *reason_find(const char *code)
{
	size_t i;

	for (i = 0; code && i < N_REASONS; i++)
		if (strcmp(reasons[i].code, code) == 0)
			return &reasons[i];
	return NULL;
}

int bankfeedback_account_reason(const char *reason)
{
	const struct reason *r = reason_find(reason);

	return r && r->account;
}

const char *bankfeedback_reason_text(const char *reason)
{
	const struct reason *r = reason_find(reason);

	return r ? r->text : NULL;
}

/* ---- one delivery ---------------------------------------------------------- */

/* A payment of a released run, as a line or entry names it. */
struct payment {
	int64_t id, run, dossier, amount_cents;
	char soort[8];            /* CLIENT | DERDE */
	char iban[40];
	char e2e[40];
	char maand[8];
	char naam[160];           /* the name betaalrun sent */
};

struct fb {
	struct store *st;
	const struct signaltable *t;
	struct bankfeedback_result *out;
	int64_t levering, now;
	char levering_id[80];
	char soort[16];
	char today[DATE_FMT_MAX];
	sqlite3_stmt *pay, *ins_tb, *ins_book, *set_status;
	int64_t *runs;            /* runs with a booking to fold into the ledger */
	size_t n_runs, cap_runs;
	/* the delivery's BANK job */
	long other_n;
	int64_t other_cents;
	char other_reasons[160];
	char other_month[8];
	long unmatched_n;
	char unmatched_first[200];
};

static void fb_release(struct fb *f)
{
	sqlite3_finalize(f->pay);
	sqlite3_finalize(f->ins_tb);
	sqlite3_finalize(f->ins_book);
	sqlite3_finalize(f->set_status);
	free(f->runs);
}

static int fb_prepare(struct fb *f, struct br_error *err)
{
	int rc;

	if ((rc = store_prepare(f->st, &f->pay,
				"SELECT b.id, b.run, b.dossier, b.soort, b.bedrag_cents, b.iban, b.end_to_end_id, r.maand,"
				" b.naam FROM betaling b JOIN run r ON r.id = b.run WHERE b.id = ?1", err)) < 0 ||
	    /* the once-only rule, by the primary key (bankfeedback.h) */
	    (rc = store_prepare(f->st, &f->ins_tb,
				"INSERT INTO terugboeking (betaling, bron, levering, reden, klasse, datum)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (betaling) DO NOTHING", err)) < 0 ||
	    (rc = store_prepare(f->st, &f->ins_book,
				"INSERT INTO boeking (run, dossier, maand, soort, bedrag_cents, kenmerk, terugboeking)"
				" VALUES (?1, ?2, ?3, 'verschil', ?4, ?5, ?6)", err)) < 0 ||
	    (rc = store_prepare(f->st, &f->set_status,
				"UPDATE betaling SET status = ?2, reden = ?3 WHERE id = ?1", err)) < 0)
		return rc;
	return 0;
}

static int payment_load(struct fb *f, int64_t id, struct payment *p, struct br_error *err)
{
	int step;

	sqlite3_reset(f->pay);
	sqlite3_bind_int64(f->pay, 1, id);
	if ((step = sqlite3_step(f->pay)) != SQLITE_ROW)
		return store_fail(f->st, step, "reading a payment the bank reported on", err);
	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(f->pay, 0);
	p->run = sqlite3_column_int64(f->pay, 1);
	p->dossier = sqlite3_column_int64(f->pay, 2);
	snprintf(p->soort, sizeof(p->soort), "%s", store_col(f->pay, 3));
	p->amount_cents = sqlite3_column_int64(f->pay, 4);
	snprintf(p->iban, sizeof(p->iban), "%s", store_col(f->pay, 5));
	snprintf(p->e2e, sizeof(p->e2e), "%s", store_col(f->pay, 6));
	snprintf(p->maand, sizeof(p->maand), "%.7s", store_col(f->pay, 7));
	snprintf(p->naam, sizeof(p->naam), "%.140s", store_col(f->pay, 8));
	sqlite3_reset(f->pay);
	return 0;
}

static int set_status(struct fb *f, int64_t id, const char *status, const char *reason, struct br_error *err)
{
	sqlite3_bind_int64(f->set_status, 1, id);
	sqlite3_bind_text(f->set_status, 2, status, -1, SQLITE_TRANSIENT);
	store_bind_text(f->set_status, 3, reason, 1);
	return store_step_done(f->st, f->set_status, "recording a payment's bank status", err);
}

static int note_run(struct fb *f, int64_t run, struct br_error *err)
{
	size_t i;

	for (i = 0; i < f->n_runs; i++)
		if (f->runs[i] == run)
			return 0;
	if (mem_grow((void **)&f->runs, &f->cap_runs, f->n_runs + 1, sizeof(*f->runs)) < 0)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	f->runs[f->n_runs++] = run;
	return 0;
}

/* "AC04 (rekening opgeheven)", or the bare code, or "geen reden". */
static const char *reason_words(char *out, size_t cap, const char *reason)
{
	const char *t = bankfeedback_reason_text(reason);

	if (!reason || !reason[0])
		snprintf(out, cap, "zonder reden");
	else if (t)
		snprintf(out, cap, "%s (%s)", reason, t);
	else
		snprintf(out, cap, "%s", reason);
	return out;
}

/* The job for a payment booked back for a reason about its account. */
static int account_job(struct fb *f, const struct payment *p, const char *what, const char *reason,
		       struct br_error *err)
{
	char key[64], text[TEXT_MAX], amount[MONEY_FMT_MAX + 8], acct[IBAN_MASKED_MAX], why[160];
	int derde = strcmp(p->soort, "DERDE") == 0;

	snprintf(key, sizeof(key), "TERUG %s", p->e2e);
	reason_words(why, sizeof(why), reason);
	if (derde)
		snprintf(text, sizeof(text), "de bank heeft de betaling aan een derde van %s (%s) naar rekening %s %s,"
			 " reden %s: de derde krijgt het bedrag zodra het register een andere rekening van"
			 " de derde heeft; het wordt nooit aan de client betaald",
			 money_format_nl(amount, sizeof(amount), p->amount_cents), p->maand,
			 iban_mask(acct, p->iban), what, why);
	else
		snprintf(text, sizeof(text), "de bank heeft de betaling van %s (%s) naar rekening %s %s, reden %s:"
			 " pas de rekening in het register aan; het bedrag wordt daarna opnieuw betaald",
			 money_format_nl(amount, sizeof(amount), p->amount_cents), p->maand,
			 iban_mask(acct, p->iban), what, why);
	return jobs_open_event(NULL, f->st, f->t, p->dossier, derde ? "DERDEN" : "REGISTER",
			       timestamp_day(f->now), key, text, f->now, err);
}

static void note_other(struct fb *f, const struct payment *p, const char *reason)
{
	size_t n = strlen(f->other_reasons);
	const char *r = reason && reason[0] ? reason : "zonder reden";

	f->other_n++;
	f->other_cents += p->amount_cents;
	if (!f->other_month[0])
		snprintf(f->other_month, sizeof(f->other_month), "%s", p->maand);
	if (!strstr(f->other_reasons, r) && n + strlen(r) + 3 < sizeof(f->other_reasons))
		snprintf(f->other_reasons + n, sizeof(f->other_reasons) - n, "%s%s", n ? ", " : "", r);
}

/*
 * Book payment `p` back as unpaid (payments.md): once per payment by the
 * primary key of `terugboeking`; for a client payment a negative
 * difference of the run's month (the next run pays it again), for a third
 * party's nothing in the month (it stays owed to the third party: payrun).
 * `status` is RJCT (a status report) or RTRN (a return in a statement).
 */
static int book_back(struct fb *f, const struct payment *p, const char *status, const char *reason,
		     struct br_error *err)
{
	int account = bankfeedback_account_reason(reason);
	int rc;

	sqlite3_bind_int64(f->ins_tb, 1, p->id);
	sqlite3_bind_text(f->ins_tb, 2, strcmp(status, "RTRN") == 0 ? "camt" : "pain002", -1, SQLITE_STATIC);
	sqlite3_bind_int64(f->ins_tb, 3, f->levering);
	sqlite3_bind_text(f->ins_tb, 4, reason ? reason : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(f->ins_tb, 5, account ? "REKENING" : "OVERIG", -1, SQLITE_STATIC);
	sqlite3_bind_text(f->ins_tb, 6, f->today, -1, SQLITE_STATIC);
	if ((rc = store_step_done(f->st, f->ins_tb, "booking a payment back", err)) < 0)
		return rc;
	if (sqlite3_changes(store_db(f->st)) == 0)
		return 0;   /* booked back before: nothing happens twice */
	if ((rc = set_status(f, p->id, status, reason, err)) < 0)
		return rc;
	if (strcmp(p->soort, "CLIENT") == 0) {
		sqlite3_bind_int64(f->ins_book, 1, p->run);
		sqlite3_bind_int64(f->ins_book, 2, p->dossier);
		sqlite3_bind_text(f->ins_book, 3, p->maand, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(f->ins_book, 4, -p->amount_cents);
		sqlite3_bind_text(f->ins_book, 5, status, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(f->ins_book, 6, p->id);
		if ((rc = store_step_done(f->st, f->ins_book, "booking back a payment", err)) < 0 ||
		    (rc = note_run(f, p->run, err)) < 0)
			return rc;
	}
	f->out->booked_back++;
	f->out->booked_back_cents += p->amount_cents;
	if (account) {
		f->out->account_blocks++;
		return account_job(f, p, strcmp(status, "RTRN") == 0 ? "teruggestort" : "geweigerd", reason, err);
	}
	note_other(f, p, reason);
	return 0;
}

/*
 * payments.md: a close match or no match opens a REGISTER job; no booking.
 * The name in the report's OrgnlTxRef may be the bank's (the holder's) or
 * only ours echoed back (some banks copy the instruction): only a name that
 * differs from the one betaalrun sent is quoted as the bank's.
 */
static int vop_job(struct fb *f, const struct payment *p, const char *status, const char *name,
		   struct br_error *err)
{
	char key[80], text[TEXT_MAX], acct[IBAN_MASKED_MAX], bank[200] = "";

	if (name && name[0] && strcmp(name, p->naam) != 0)
		snprintf(bank, sizeof(bank), ", de bank kent de naam '%.140s'", name);
	snprintf(key, sizeof(key), "VOP %s %s", p->e2e, status);
	snprintf(text, sizeof(text), "naamcontrole (Verification of Payee) voor rekening %s: %s (%s)%s;"
		 " controleer de tenaamstelling in het register", iban_mask(acct, p->iban),
		 strcmp(status, "RVMC") == 0 ? "de naam lijkt op de naam bij de bank" : "de naam past niet bij de rekening",
		 status, bank);
	f->out->vop_mismatches++;
	return jobs_open_event(NULL, f->st, f->t, p->dossier, "REGISTER", timestamp_day(f->now), key, text,
			       f->now, err);
}

/* One payment whose effective status in a report acts (payments.md
 * table): RJCT books it back, a VoP mismatch opens a job.  ACSC is set for
 * all at once (settled_sql); the other statuses are kept in the audit trail
 * only. */
static int apply_status(struct fb *f, const struct payment *p, const char *status, const char *reason,
			const char *name, struct br_error *err)
{
	if (strcmp(status, "RJCT") == 0)
		return book_back(f, p, "RJCT", reason, err);
	return vop_job(f, p, status, name, err);
}

/*
 * payments.md: a line that matches no released run, or no payment of it,
 * is kept and marked; a transaction block without a status says nothing
 * of its own.
 */
static const char unmatched_sql[] =
	"UPDATE bankstatus SET onbekend = 1 WHERE levering = ?1 AND status <> '' AND NOT EXISTS ("
	" SELECT 1 FROM run r WHERE r.msg_id = bankstatus.orgnl_msg_id AND r.status = 'RELEASED' AND ("
	"  bankstatus.niveau = 1"
	"  OR (bankstatus.niveau = 2 AND EXISTS (SELECT 1 FROM batch p"
	"      WHERE p.pmtinf_id = bankstatus.orgnl_pmtinf_id AND p.run = r.id))"
	"  OR (bankstatus.niveau = 3 AND EXISTS (SELECT 1 FROM betaling b"
	"      WHERE b.end_to_end_id = bankstatus.orgnl_e2e_id AND b.run = r.id))))";

/*
 * Per payment the most specific status wins (transaction over batch over
 * group), the last line of that level when the report repeats it: the key
 * is level << 40 | line id, and the line is its low 40 bits.  Every
 * transaction line counts (it may override a batch or group status); batch
 * and group lines only in a report that has a group or batch line with an
 * effect (RJCT, ACSC, a VoP mismatch) for that run, since otherwise they
 * change nothing.  A report of 500,000 transactions with group and batch
 * PART lines so joins 500,000 rows, not 1.5 million.
 */
#define EFFECT "('RJCT', 'ACSC', 'RVMC', 'RVNM')"
#define UPPER_ACTS \
	" AND l.status <> '' AND EXISTS (SELECT 1 FROM bankstatus g WHERE g.levering = ?1 AND g.niveau IN (1, 2)" \
	" AND g.status IN " EFFECT " AND g.orgnl_msg_id = l.orgnl_msg_id)"
static const char effective_sql[] =
	"INSERT INTO temp.bf_eff (bid, k) SELECT bid, max(k) FROM ("
	" SELECT b.id AS bid, (3 << 40) | l.id AS k FROM bankstatus l"
	"  JOIN betaling b ON b.end_to_end_id = l.orgnl_e2e_id"
	"  JOIN run r ON r.id = b.run AND r.msg_id = l.orgnl_msg_id AND r.status = 'RELEASED'"
	"  WHERE l.levering = ?1 AND l.niveau = 3 AND l.status <> ''"
	" UNION ALL"
	" SELECT b.id, (2 << 40) | l.id FROM bankstatus l"
	"  JOIN run r ON r.msg_id = l.orgnl_msg_id AND r.status = 'RELEASED'"
	"  JOIN batch p ON p.pmtinf_id = l.orgnl_pmtinf_id AND p.run = r.id"
	"  JOIN betaling b ON b.batch = p.id"
	"  WHERE l.levering = ?1 AND l.niveau = 2" UPPER_ACTS
	" UNION ALL"
	" SELECT b.id, (1 << 40) | l.id FROM bankstatus l"
	"  JOIN run r ON r.msg_id = l.orgnl_msg_id AND r.status = 'RELEASED'"
	"  JOIN batch p ON p.run = r.id JOIN betaling b ON b.batch = p.id"
	"  WHERE l.levering = ?1 AND l.niveau = 1" UPPER_ACTS
	") GROUP BY bid";

/* ACSC: the payment counts as settled by the bank (final, set-based). */
static const char settled_sql[] =
	"UPDATE betaling SET status = 'ACSC', reden = NULL WHERE id IN ("
	" SELECT e.bid FROM temp.bf_eff e JOIN bankstatus s ON s.id = e.k & 1099511627775 WHERE s.status = 'ACSC')"
	" AND coalesce(status, '') NOT IN ('RJCT', 'RTRN', 'ACSC')";

/* The payments whose status in this report books or opens something. */
static const char acting_sql[] =
	"SELECT e.bid, s.status, coalesce(s.reden, ''), coalesce(s.naam, '') FROM temp.bf_eff e"
	" JOIN bankstatus s ON s.id = e.k & 1099511627775"
	" WHERE s.status IN ('RJCT', 'RVMC', 'RVNM') ORDER BY e.bid";

static int note_unmatched(struct fb *f, const char *table, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char q[200];
	int rc;

	snprintf(q, sizeof(q), "SELECT count(*), min(regel) FROM %s WHERE levering = ?1 AND onbekend = 1", table);
	if ((rc = store_prepare(f->st, &s, q, err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, f->levering);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		f->unmatched_n = sqlite3_column_int(s, 0);
		snprintf(f->unmatched_first, sizeof(f->unmatched_first), "de eerste op regel %lld",
			 (long long)sqlite3_column_int64(s, 1));
		rc = 0;
	} else {
		rc = store_fail(f->st, rc, "counting unmatched bank lines", err);
	}
	sqlite3_finalize(s);
	f->out->unmatched += f->unmatched_n;
	return rc;
}

static int apply_report(struct fb *f, struct br_error *err)
{
	sqlite3_stmt *mark = NULL, *eff = NULL, *q = NULL;
	struct payment p;
	int rc, step;

	if ((rc = store_prepare(f->st, &mark, unmatched_sql, err)) < 0)
		goto out;
	sqlite3_bind_int64(mark, 1, f->levering);
	if ((rc = store_step_done(f->st, mark, "marking unmatched bank statuses", err)) < 0 ||
	    (rc = note_unmatched(f, "bankstatus", err)) < 0 ||
	    (rc = store_exec(f->st, "CREATE TEMP TABLE IF NOT EXISTS bf_eff (bid INTEGER PRIMARY KEY,"
			     " k INTEGER NOT NULL); DELETE FROM temp.bf_eff;", err)) < 0 ||
	    (rc = store_prepare(f->st, &eff, effective_sql, err)) < 0)
		goto out;
	sqlite3_bind_int64(eff, 1, f->levering);
	if ((rc = store_step_done(f->st, eff, "finding each payment's status", err)) < 0)
		goto out;
	f->out->payments = sqlite3_changes(store_db(f->st));
	if ((rc = store_exec(f->st, settled_sql, err)) < 0)
		goto out;
	f->out->settled = sqlite3_changes(store_db(f->st));
	if ((rc = store_prepare(f->st, &q, acting_sql, err)) < 0)
		goto out;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if ((rc = payment_load(f, sqlite3_column_int64(q, 0), &p, err)) < 0 ||
		    (rc = apply_status(f, &p, store_col(q, 1), store_col(q, 2), store_col(q, 3), err)) < 0)
			goto out;
	}
	if (step != SQLITE_DONE)
		rc = store_fail(f->st, step, "reading the statuses per payment", err);
out:
	sqlite3_finalize(mark);
	sqlite3_finalize(eff);
	sqlite3_finalize(q);
	return rc;
}

/* ---- statements ------------------------------------------------------------ */

/* A mismatch in a batch debit (payments.md "Reconciliation"): a BANK job,
 * once per batch and amount, whichever statement repeats it. */
static int debit_job(struct fb *f, const char *pmtinf, int64_t have, int64_t want, struct br_error *err)
{
	char key[96], text[TEXT_MAX], a[MONEY_FMT_MAX + 8], b[MONEY_FMT_MAX + 8];

	snprintf(key, sizeof(key), "AFSCHRIJVING %s %lld", pmtinf, (long long)have);
	snprintf(text, sizeof(text), "afschrijving van batch %s wijkt af: de bank schreef %s af, de batch is %s"
		 " (min wat de bank weigerde) (afschrift %s): vraag de bank wat er is uitgevoerd", pmtinf,
		 money_format_nl(a, sizeof(a), have), money_format_nl(b, sizeof(b), want), f->levering_id);
	f->out->debit_mismatches++;
	return jobs_open_event(NULL, f->st, f->t, 0, "BANK", timestamp_day(f->now), key, text, f->now, err);
}

/*
 * One debit entry that intake found to be a run's: by PmtInfId a batch,
 * else by MsgId the whole run (a bank that books a file as one debit).
 * The amount is the batches' CtrlSum, or, after a report that rejected
 * some of their payments, what the bank accepted (CtrlSum less those).
 * A matching amount marks every batch it covers as debited, once.
 */
#define BATCH_SUMS \
	"SELECT p.pmtinf_id, sum(b.bedrag_cents), p.run, sum(CASE WHEN EXISTS (SELECT 1 FROM terugboeking t" \
	" WHERE t.betaling = b.id AND t.bron = 'pain002') THEN b.bedrag_cents ELSE 0 END)" \
	" FROM run r JOIN batch p ON p.run = r.id JOIN betaling b ON b.batch = p.id WHERE r.status = 'RELEASED'"
static const char batch_sql_pmtinf[] = BATCH_SUMS " AND p.pmtinf_id = ?1 GROUP BY p.id";
static const char batch_sql_msg[] = BATCH_SUMS " AND r.msg_id = ?1 GROUP BY p.id";

static int apply_debit(struct fb *f, sqlite3_stmt *post, struct br_error *err)
{
	sqlite3_stmt *s = NULL, *ins = NULL;
	const char *pmtinf = store_col(post, 2), *msg = store_col(post, 3);
	int64_t have = sqlite3_column_int64(post, 1), want = 0, rejected = 0;
	int rc, step;

	if ((rc = store_prepare(f->st, &s, pmtinf[0] ? batch_sql_pmtinf : batch_sql_msg, err)) < 0 ||
	    (rc = store_prepare(f->st, &ins, "INSERT INTO afschrijving (pmtinf_id, run, levering, boekdatum,"
				" bedrag_cents) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (pmtinf_id) DO NOTHING", err)) < 0)
		goto out;
	sqlite3_bind_text(s, 1, pmtinf[0] ? pmtinf : msg, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		want += sqlite3_column_int64(s, 1);
		rejected += sqlite3_column_int64(s, 3);
	}
	if (step != SQLITE_DONE || (have != want && have != want - rejected)) {
		rc = step != SQLITE_DONE ? store_fail(f->st, step, "reading a run's batches", err)
		     : debit_job(f, pmtinf[0] ? pmtinf : msg, have, want, err);
		goto out;
	}
	sqlite3_reset(s);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_bind_text(ins, 1, store_col(s, 0), -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 2, sqlite3_column_int64(s, 2));
		sqlite3_bind_int64(ins, 3, f->levering);
		sqlite3_bind_text(ins, 4, store_col(post, 4), -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(ins, 5, have == want ? sqlite3_column_int64(s, 1)
				   : sqlite3_column_int64(s, 1) - sqlite3_column_int64(s, 3));
		if ((rc = store_step_done(f->st, ins, "recording a batch debit", err)) < 0)
			goto out;
		f->out->debits += sqlite3_changes(store_db(f->st));
	}
	rc = step == SQLITE_DONE ? 0 : store_fail(f->st, step, "reading a run's batches", err);
out:
	sqlite3_finalize(s);
	sqlite3_finalize(ins);
	return rc;
}

/* A return (payments.md "Returns"): the original EndToEndId names the
 * payment; booked back under the same once-only rule as a rejection. */
static int apply_return(struct fb *f, sqlite3_stmt *post, sqlite3_stmt *find, sqlite3_stmt *mark,
			struct br_error *err)
{
	struct payment p;
	int step, rc;

	sqlite3_reset(find);
	sqlite3_bind_text(find, 1, store_col(post, 5), -1, SQLITE_TRANSIENT);
	step = sqlite3_step(find);
	if (step == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(find, 0);
		sqlite3_reset(find);
		if ((rc = payment_load(f, id, &p, err)) < 0)
			return rc;
		f->out->payments++;
		return book_back(f, &p, "RTRN", store_col(post, 6), err);
	}
	sqlite3_reset(find);
	if (step != SQLITE_DONE)
		return store_fail(f->st, step, "looking up a returned payment", err);
	sqlite3_bind_int64(mark, 1, sqlite3_column_int64(post, 0));
	return store_step_done(f->st, mark, "marking an unmatched return", err);
}

static int apply_statement(struct fb *f, struct br_error *err)
{
	sqlite3_stmt *post = NULL, *find = NULL, *mark = NULL;
	int rc, step;

	if ((rc = store_prepare(f->st, &post, "SELECT id, bedrag_cents, coalesce(pmtinf_id, ''), coalesce(msg_id, ''),"
				" coalesce(boekdatum, ''), coalesce(e2e_id, ''), coalesce(reden, ''), soort"
				" FROM bankpost WHERE levering = ?1 ORDER BY id", err)) < 0 ||
	    (rc = store_prepare(f->st, &find, "SELECT b.id FROM betaling b JOIN run r ON r.id = b.run"
				" AND r.status = 'RELEASED' WHERE b.end_to_end_id = ?1", err)) < 0 ||
	    (rc = store_prepare(f->st, &mark, "UPDATE bankpost SET onbekend = 1 WHERE id = ?1", err)) < 0)
		goto out;
	sqlite3_bind_int64(post, 1, f->levering);
	while ((step = sqlite3_step(post)) == SQLITE_ROW) {
		rc = strcmp(store_col(post, 7), "AFSCHRIJVING") == 0 ? apply_debit(f, post, err)
								      : apply_return(f, post, find, mark, err);
		if (rc < 0)
			goto out;
	}
	if (step != SQLITE_DONE) {
		rc = store_fail(f->st, step, "reading the statement's entries", err);
		goto out;
	}
	rc = note_unmatched(f, "bankpost", err);
out:
	sqlite3_finalize(post);
	sqlite3_finalize(find);
	sqlite3_finalize(mark);
	return rc;
}

/* ---- the delivery's BANK job and the ledger ---------------------------------- */

/* signals.md: one BANK job per report or statement, with the number, the
 * total and the reasons of what was booked back without blocking anything,
 * and what matched nothing. */
static int delivery_job(struct fb *f, struct br_error *err)
{
	char key[100], text[TEXT_MAX], amount[MONEY_FMT_MAX + 8];
	size_t n = 0;

	if (!f->other_n && !f->unmatched_n)
		return 0;
	snprintf(key, sizeof(key), "%s %s", f->soort, f->levering_id);
	n = (size_t)snprintf(text, sizeof(text), "bankbestand %s (%s):", f->levering_id, f->soort);
	if (f->other_n && n < sizeof(text))
		n += (size_t)snprintf(text + n, sizeof(text) - n, " %ld betaling(en) teruggeboekt, samen %s, reden %s;"
				      " geen rekening geblokkeerd: het bedrag wordt opnieuw betaald met `betaalrun run"
				      " --month %s --aanvullend` of in de volgende run.", f->other_n,
				      money_format_nl(amount, sizeof(amount), f->other_cents), f->other_reasons,
				      f->other_month);
	if (f->unmatched_n && n < sizeof(text))
		snprintf(text + n, sizeof(text) - n, " %ld regel(s) passen bij geen vrijgegeven run of betaling (%s):"
			 " zie `betaalrun status` en vraag de bank wat bedoeld is.", f->unmatched_n, f->unmatched_first);
	return jobs_open_event(NULL, f->st, f->t, 0, "BANK", timestamp_day(f->now), key, text, f->now, err);
}

static int delivery_load(struct fb *f, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc, step;

	if ((rc = store_prepare(f->st, &s, "SELECT soort, levering_id FROM levering WHERE id = ?1", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, f->levering);
	if ((step = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(f->soort, sizeof(f->soort), "%s", store_col(s, 0));
		snprintf(f->levering_id, sizeof(f->levering_id), "%s", store_col(s, 1));
	} else {
		rc = step == SQLITE_DONE ? br_error_set(err, BR_EINTERNAL, "geen levering %lld", (long long)f->levering)
		     : store_fail(f->st, step, "reading a delivery", err);
	}
	sqlite3_finalize(s);
	return rc;
}

int bankfeedback_apply(struct bankfeedback_result *out, struct store *st, const struct signaltable *t,
		       int64_t levering, int64_t now, struct br_error *err)
{
	struct fb f;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&f, 0, sizeof(f));
	f.st = st;
	f.t = t;
	f.out = out;
	f.levering = levering;
	f.now = now;
	date_format(f.today, timestamp_day(now));
	if ((rc = delivery_load(&f, err)) < 0 || (rc = fb_prepare(&f, err)) < 0)
		goto out;
	rc = strcmp(f.soort, "pain002") == 0 ? apply_report(&f, err) : apply_statement(&f, err);
	if (rc < 0 || (rc = delivery_job(&f, err)) < 0)
		goto out;
	/* the bookings back count as paid-and-returned from today (ledger.h) */
	for (i = 0; i < f.n_runs; i++)
		if ((rc = ledger_release(st, f.runs[i], f.today, err)) < 0)
			goto out;
out:
	fb_release(&f);
	return rc;
}

int bankfeedback_apply_pending(long *out_files, struct store *st, const struct signaltable *t, int64_t now,
			       struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	struct bankfeedback_result r;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0, i;
	int rc, step;

	*out_files = 0;
	if ((rc = store_prepare(st, &s, "SELECT DISTINCT levering FROM bankstatus WHERE verwerkt = 0"
				" ORDER BY levering", err)) < 0)
		return rc;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (mem_grow((void **)&ids, &cap, n + 1, sizeof(*ids)) < 0) {
			rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
			goto out;
		}
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	if (step != SQLITE_DONE) {
		rc = store_fail(st, step, "looking for unprocessed bank statuses", err);
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (n && (rc = store_prepare(st, &s, "UPDATE bankstatus SET verwerkt = 1 WHERE levering = ?1", err)) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(s, 1, ids[i]);
		if ((rc = bankfeedback_apply(&r, st, t, ids[i], now, err)) < 0 ||
		    (rc = store_step_done(st, s, "recording processed bank statuses", err)) < 0)
			goto out;
		(*out_files)++;
	}
out:
	sqlite3_finalize(s);
	free(ids);
	return rc;
}

/* ---- missing debits ---------------------------------------------------------- */

static int32_t add_business_days(int32_t day, int n)
{
	while (n > 0) {
		day++;
		if (calendar_is_business_day(day))
			n--;
	}
	return day;
}

int bankfeedback_check_debits(long *out_opened, struct store *st, const struct signaltable *t, int days,
			      int64_t now, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	int32_t today = timestamp_day(now);
	int rc, step;

	*out_opened = 0;
	if ((rc = store_prepare(st, &s,
				"SELECT p.pmtinf_id, r.msg_id, r.uitvoerdatum, sum(b.bedrag_cents), count(*)"
				" FROM run r JOIN batch p ON p.run = r.id JOIN betaling b ON b.batch = p.id"
				" WHERE r.status = 'RELEASED' AND p.pmtinf_id IS NOT NULL"
				" AND NOT EXISTS (SELECT 1 FROM afschrijving a WHERE a.pmtinf_id = p.pmtinf_id)"
				" GROUP BY p.id ORDER BY r.id, p.pmtinf_id", err)) < 0)
		return rc;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		char key[80], text[TEXT_MAX], amount[MONEY_FMT_MAX + 8], due[DATE_FMT_MAX];
		const char *exec = store_col(s, 2);
		int32_t exec_day, deadline;
		int64_t id;

		if (date_parse(&exec_day, exec, strlen(exec), err) < 0) {
			rc = br_error_set(err, BR_EINTERNAL, "run %s heeft uitvoerdatum '%s'", store_col(s, 1), exec);
			break;
		}
		deadline = add_business_days(exec_day, days);
		if (today <= deadline)
			continue;
		snprintf(key, sizeof(key), "AFSCHRIJVING ONTBREEKT %s", store_col(s, 0));
		snprintf(text, sizeof(text), "batch %s van run %s (%lld betalingen, %s, uitgevoerd %s) staat %d"
			 " werkdagen later (%s) op geen ontvangen afschrift (camt.053/054): controleer bij de bank"
			 " of het bestand is uitgevoerd", store_col(s, 0), store_col(s, 1),
			 (long long)sqlite3_column_int64(s, 4), money_format_nl(amount, sizeof(amount),
			 sqlite3_column_int64(s, 3)), exec, days, date_format(due, deadline));
		if ((rc = jobs_open_event(&id, st, t, 0, "BANK", today, key, text, now, err)) < 0)
			break;
		*out_opened += id != 0;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_fail(st, step, "looking for missing debits", err);
	sqlite3_finalize(s);
	return rc;
}

/* ---- third parties owed ------------------------------------------------------ */

static const char owed_sql[] =
	"SELECT t.betaling, b.dossier, b.bedrag_cents, t.klasse = 'REKENING', t.reden, b.iban, b.naam,"
	" coalesce(b.kenmerk, ''), r.maand, d.nummer, d.gemeente, d.regeling,"
	" coalesce((SELECT de.iban || char(10) || de.naam FROM derde de JOIN stand s ON s.id = de.stand"
	"  WHERE s.dossier = b.dossier AND de.kenmerk = b.kenmerk AND s.vanaf <= ?1"
	"  ORDER BY s.vanaf DESC LIMIT 1), '')"
	" FROM terugboeking t JOIN betaling b ON b.id = t.betaling AND b.soort = 'DERDE'"
	" JOIN run r ON r.id = b.run JOIN dossier d ON d.id = b.dossier"
	" WHERE t.herbetaald IS NULL ORDER BY t.betaling";

static void owed_read(struct bankfeedback_owed *o, sqlite3_stmt *s)
{
	const char *cur = store_col(s, 12), *nl = strchr(cur, '\n');

	memset(o, 0, sizeof(*o));
	o->betaling = sqlite3_column_int64(s, 0);
	o->dossier = sqlite3_column_int64(s, 1);
	o->amount_cents = sqlite3_column_int64(s, 2);
	o->account = sqlite3_column_int(s, 3);
	snprintf(o->reden, sizeof(o->reden), "%.35s", store_col(s, 4));
	snprintf(o->iban, sizeof(o->iban), "%.34s", store_col(s, 5));
	snprintf(o->naam, sizeof(o->naam), "%.140s", store_col(s, 6));
	snprintf(o->kenmerk, sizeof(o->kenmerk), "%.70s", store_col(s, 7));
	snprintf(o->maand, sizeof(o->maand), "%.7s", store_col(s, 8));
	snprintf(o->nummer, sizeof(o->nummer), "%.35s", store_col(s, 9));
	snprintf(o->gemeente, sizeof(o->gemeente), "%.10s", store_col(s, 10));
	snprintf(o->regeling, sizeof(o->regeling), "%.6s", store_col(s, 11));
	if (nl) {
		snprintf(o->new_iban, sizeof(o->new_iban), "%.*s", (int)(nl - cur < 34 ? nl - cur : 34), cur);
		snprintf(o->new_naam, sizeof(o->new_naam), "%.140s", nl + 1);
	}
}

int bankfeedback_owed_each(struct store *st, int32_t day,
			   int (*fn)(void *ctx, const struct bankfeedback_owed *o, struct br_error *err),
			   void *ctx, struct br_error *err)
{
	struct bankfeedback_owed o;
	sqlite3_stmt *s = NULL;
	char d[DATE_FMT_MAX];
	int rc, step;

	if ((rc = store_prepare(st, &s, owed_sql, err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, date_format(d, day), -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		owed_read(&o, s);
		if ((rc = fn(ctx, &o, err)) < 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_fail(st, step, "reading what is owed to third parties", err);
	sqlite3_finalize(s);
	return rc;
}

/* ---- booked back, for the report ------------------------------------------------- */

/* ?1 the previous released run's msg_id, or '' for all */
static const char returned_sql[] =
	"SELECT b.bedrag_cents, b.soort = 'CLIENT', coalesce(b.kenmerk, ''), t.reden, d.nummer, d.gemeente"
	" FROM terugboeking t JOIN betaling b ON b.id = t.betaling JOIN dossier d ON d.id = b.dossier"
	" JOIN levering l ON l.id = t.levering"
	" WHERE ?1 = '' OR l.ontvangen > (SELECT r.aangemaakt FROM run r WHERE r.msg_id = ?1)"
	" ORDER BY l.ontvangen, l.id, t.betaling";

int bankfeedback_returned_each(struct store *st, const char *since,
			       int (*fn)(void *ctx, const struct bankfeedback_returned *r, struct br_error *err),
			       void *ctx, struct br_error *err)
{
	struct bankfeedback_returned r;
	sqlite3_stmt *s = NULL;
	int rc = 0, step;

	if ((rc = store_prepare(st, &s, returned_sql, err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, since ? since : "", -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		r.amount_cents = sqlite3_column_int64(s, 0);
		r.client = sqlite3_column_int(s, 1);
		snprintf(r.kenmerk, sizeof(r.kenmerk), "%s", store_col(s, 2));
		reason_words(r.reden, sizeof(r.reden), store_col(s, 3));
		snprintf(r.nummer, sizeof(r.nummer), "%s", store_col(s, 4));
		snprintf(r.gemeente, sizeof(r.gemeente), "%s", store_col(s, 5));
		if ((rc = fn(ctx, &r, err)) < 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_fail(st, step, "reading the payments booked back", err);
	sqlite3_finalize(s);
	return rc;
}

int bankfeedback_owed_settle(struct store *st, int64_t run, struct br_error *err)
{
	sqlite3_stmt *n = NULL, *u = NULL;
	int64_t want;
	int rc;

	if ((rc = store_prepare(st, &n, "SELECT count(*) FROM batch p JOIN betaling b ON b.batch = p.id"
				" WHERE p.run = ?1 AND b.herbetaling_van IS NOT NULL",
				err)) < 0 ||
	    (rc = store_prepare(st, &u, "UPDATE terugboeking SET herbetaald = b.id FROM betaling b"
				" WHERE b.herbetaling_van = terugboeking.betaling AND b.run = ?1"
				" AND terugboeking.herbetaald IS NULL", err)) < 0)
		goto out;
	sqlite3_bind_int64(n, 1, run);
	if ((rc = sqlite3_step(n)) != SQLITE_ROW) {
		rc = store_fail(st, rc, "counting payments made again", err);
		goto out;
	}
	want = sqlite3_column_int64(n, 0);
	sqlite3_bind_int64(u, 1, run);
	if ((rc = store_step_done(st, u, "settling what was owed to third parties", err)) < 0)
		goto out;
	if (sqlite3_changes(store_db(st)) != want)
		rc = br_error_set(err, BR_EINPUT, "de run betaalt %lld betaling(en) aan derden opnieuw, waarvan er nog"
				  " maar %d verschuldigd zijn: een andere run betaalde ze; bereid deze maand opnieuw voor",
				  (long long)want, sqlite3_changes(store_db(st)));
out:
	sqlite3_finalize(n);
	sqlite3_finalize(u);
	return rc;
}

/* payrun.c — the monthly payment run; see payrun.h and payments.md. */
#include "payrun.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bankfeedback.h"
#include "calendar.h"
#include "cms_sign.h"
#include "date.h"
#include "fsutil.h"
#include "iban.h"
#include "ledger.h"
#include "log.h"
#include "money.h"
#include "pain001.h"
#include "progress.h"
#include "manifest.h"
#include "report.h"
#include "runreport.h"
#include "settle.h"
#include "settle_store.h"
#include "jobs.h"
#include "specbundle.h"
#include "specification.h"
#include "specstore.h"
#include "ring.h"

#include "mem.h"
#include "banned.h"


/* ---- small helpers ------------------------------------------------------ */

struct run_row {
	int64_t id;
	char msg_id[40], maand[8], status[16], uitvoerdatum[11], map[4096];
	char sha256[65], sha1[41], voorbereider[CMS_SUBJECT_MAX], goedkeurder[CMS_SUBJECT_MAX];
	char pain_versie[16];
	long aantal;
	int64_t totaal_cents;
	int aanvullend;
};

static int run_load(struct run_row *r, struct store *st, const char *msg_id, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = store_prepare(st, &s, "SELECT id, msg_id, maand, status, uitvoerdatum, map, coalesce(sha256, ''),"
				" coalesce(sha1, ''), coalesce(voorbereider, ''), coalesce(goedkeurder, ''), aantal,"
				" totaal_cents, aanvullend, pain_versie FROM run WHERE msg_id = ?1", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, msg_id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return store_fail(st, rc, "reading the run", err);
		return br_error_set(err, BR_ENOINPUT, "geen run %s (zie `betaalrun runs`)", msg_id);
	}
	r->id = sqlite3_column_int64(s, 0);
	snprintf(r->msg_id, sizeof(r->msg_id), "%s", store_col(s, 1));
	snprintf(r->maand, sizeof(r->maand), "%s", store_col(s, 2));
	snprintf(r->status, sizeof(r->status), "%s", store_col(s, 3));
	snprintf(r->uitvoerdatum, sizeof(r->uitvoerdatum), "%s", store_col(s, 4));
	snprintf(r->map, sizeof(r->map), "%s", store_col(s, 5));
	snprintf(r->sha256, sizeof(r->sha256), "%s", store_col(s, 6));
	snprintf(r->sha1, sizeof(r->sha1), "%s", store_col(s, 7));
	snprintf(r->voorbereider, sizeof(r->voorbereider), "%s", store_col(s, 8));
	snprintf(r->goedkeurder, sizeof(r->goedkeurder), "%s", store_col(s, 9));
	r->aantal = (long)sqlite3_column_int64(s, 10);
	r->totaal_cents = sqlite3_column_int64(s, 11);
	r->aanvullend = sqlite3_column_int(s, 12);
	snprintf(r->pain_versie, sizeof(r->pain_versie), "%s", store_col(s, 13));
	sqlite3_finalize(s);
	return 0;
}

static int set_status(struct store *st, int64_t run, const char *status, const char *col_name,
		      const char *value, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char sql[200];
	int rc;

	if (col_name)
		snprintf(sql, sizeof(sql), "UPDATE run SET status = ?2, %s = ?3 WHERE id = ?1", col_name);
	else
		snprintf(sql, sizeof(sql), "UPDATE run SET status = ?2 WHERE id = ?1");
	if ((rc = store_prepare(st, &s, sql, err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, run);
	sqlite3_bind_text(s, 2, status, -1, SQLITE_STATIC);
	if (col_name)
		sqlite3_bind_text(s, 3, value, -1, SQLITE_STATIC);
	rc = store_step_done(st, s, "updating the run", err);
	sqlite3_finalize(s);
	return rc;
}

/*
 * A preparation that no longer counts (SUPERSEDED, CANCELLED) frees what
 * it stored: its pending bookings (ledger_discard), its payments, its
 * per-dossier decisions and its settlements.  The run row stays, with its
 * status and the hashes of the file it made.  Only a run that was never
 * released comes here, so no bank return names its payments; the NOT
 * EXISTS keeps any that one would rather than fail on the foreign key.
 */
static int run_discard(struct store *st, int64_t run, struct br_error *err)
{
	static const char *const sql[] = {
		"DELETE FROM afrekening WHERE run = ?1",
		"DELETE FROM run_dossier WHERE run = ?1",
		"DELETE FROM betaling WHERE batch IN (SELECT id FROM batch WHERE run = ?1) AND NOT EXISTS"
		" (SELECT 1 FROM terugboeking t WHERE t.betaling = betaling.id OR t.herbetaald = betaling.id)",
		"DELETE FROM batch WHERE run = ?1 AND NOT EXISTS (SELECT 1 FROM betaling b WHERE b.batch = batch.id)",
	};
	sqlite3_stmt *s = NULL;
	size_t i;
	int rc;

	if ((rc = ledger_discard(st, run, err)) < 0)
		return rc;
	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		if ((rc = store_prepare(st, &s, sql[i], err)) < 0)
			return rc;
		sqlite3_bind_int64(s, 1, run);
		rc = store_step_done(st, s, "freeing a run that no longer counts", err);
		sqlite3_finalize(s);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The paths of a run's files. */
static int run_file(char *out, size_t cap, const char *folder, const char *name, struct br_error *err)
{
	return fsutil_join(out, cap, folder, name, err);
}

/* ---- the payment file source: the run's transactions from the store ---- */

struct tx_source {
	struct store *st;
	int64_t run;
	sqlite3_stmt *q;
	char name[801], remit[401];
};

static int tx_rewind(void *ctx, struct br_error *err)
{
	struct tx_source *t = ctx;

	/* per kind in the order recorded: batch by batch (a kind's batches
	 * were opened in that order, migration 12), each in its own order */
	if (!t->q && store_prepare(t->st, &t->q, "SELECT b.soort, b.end_to_end_id, b.bedrag_cents, b.naam,"
				   " b.iban, coalesce(b.bic, ''), b.omschrijving FROM batch p"
				   " JOIN betaling b ON b.batch = p.id WHERE p.run = ?1 ORDER BY p.soort, p.id, b.id",
				   err) < 0)
		return err->code;
	sqlite3_reset(t->q);
	sqlite3_bind_int64(t->q, 1, t->run);
	return 0;
}

static int tx_next(void *ctx, struct pain001_tx *out, struct br_error *err)
{
	struct tx_source *t = ctx;
	int rc = sqlite3_step(t->q);

	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(t->st, rc, "reading the run's payments", err);
	memset(out, 0, sizeof(*out));
	out->kind = strcmp(store_col(t->q, 0), "DERDE") == 0 ? PAIN001_DERDE : PAIN001_CLIENT;
	snprintf(out->end_to_end_id, sizeof(out->end_to_end_id), "%s", store_col(t->q, 1));
	out->amount_cents = sqlite3_column_int64(t->q, 2);
	snprintf(t->name, sizeof(t->name), "%s", store_col(t->q, 3));
	snprintf(out->iban, sizeof(out->iban), "%s", store_col(t->q, 4));
	snprintf(out->bic, sizeof(out->bic), "%s", store_col(t->q, 5));
	snprintf(t->remit, sizeof(t->remit), "%s", store_col(t->q, 6));
	out->creditor_name = t->name;
	out->remittance = t->remit;
	return 1;
}

/* ---- prepare ------------------------------------------------------------ */

struct prep {
	struct store *st;
	const struct payrun_env *env;
	int32_t month;
	int dry_run;
	int aanvullend;
	int64_t run;
	char msg_id[40];
	char tmpdir[FSUTIL_PATH_MAX];
	struct specbundle *bundle;    /* the specifications (specbundle.h) */
	struct settle_record_buf rec; /* one dossier's settlement record (specstore.h), reused */
	struct ring render;           /* records to the renderer thread (spec_job_render) */
	long e2e_seq;
	long n_paid[2];               /* payments recorded so far: to clients, to third parties */
	int64_t batch[2];             /* the batch (store id) each kind's payments go into now */
	struct hold { int64_t dossier; char vanaf[DATE_FMT_MAX]; char reden[120]; } *held; size_t n_held;
	struct rejected { int64_t dossier; char iban[35]; char reden[36]; } *rej; size_t n_rej;
	struct runreport_cells cells;
	struct report_line *lines; size_t n_lines, cap_lines;
	sqlite3_stmt *ins_tx, *ins_batch, *ins_rd, *ins_afr, *set_again;
	struct ledger *ledger;
	struct payrun_summary *sum;
	struct settle_settings set;   /* the month's settings (settle_store.h) */
	int64_t superseded;           /* the prepared run this one replaces, or 0 */
	int32_t exec_day;             /* the execution date (calendar.h) */
	int in_tx;                    /* the run's one transaction is open */
	char mb[MONTH_FMT_MAX];       /* the month, "YYYY-MM" */
	char monthdir[FSUTIL_PATH_MAX], final[FSUTIL_PATH_MAX]; /* out/YYYY-MM, the run folder */
};

static struct report_cell *cell_for(struct prep *p, const char *gemeente, const char *regeling)
{
	return runreport_cell(&p->cells, gemeente, regeling);
}

static int add_line_for(struct prep *p, enum report_line_kind kind, const char *nummer, const char *gemeente,
			const char *kenmerk, const char *reden, int64_t amount)
{
	struct report_line *l;

	if (mem_grow((void **)&p->lines, &p->cap_lines, p->n_lines + 1, sizeof(*p->lines)) < 0)
		return -1;
	l = &p->lines[p->n_lines++];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	snprintf(l->dossier, sizeof(l->dossier), "%s", nummer);
	snprintf(l->gemeente, sizeof(l->gemeente), "%s", gemeente);
	snprintf(l->kenmerk, sizeof(l->kenmerk), "%s", kenmerk ? kenmerk : "");
	snprintf(l->reden, sizeof(l->reden), "%s", reden ? reden : "");
	/* the report's guard refuses a BSN-like run; a dossier number or a
	 * kenmerk that holds one is a record problem, never a stopped run */
	log_mask_digits(l->dossier);
	log_mask_digits(l->kenmerk);
	log_mask_digits(l->reden);
	l->amount_cents = amount;
	return 0;
}

/* A payment the bank booked back since the previous released run, for the
 * report's action part (bankfeedback_returned_each). */
static int add_returned(void *ctx, const struct bankfeedback_returned *r, struct br_error *err)
{
	char aan[sizeof(((struct report_line *)0)->kenmerk)];

	if (r->client)
		snprintf(aan, sizeof(aan), "cli\xc3\xabnt");
	else
		snprintf(aan, sizeof(aan), "derde %.29s", r->kenmerk);
	return add_line_for(ctx, REPORT_BOOKED_BACK, r->nummer, r->gemeente, aan, r->reden, r->amount_cents) < 0
		? br_error_set(err, BR_ENOMEM, "onvoldoende geheugen") : 0;
}

static int add_line(struct prep *p, enum report_line_kind kind, const struct settle_dossier_info *info,
		    const char *kenmerk, const char *reden, int64_t amount)
{
	return add_line_for(p, kind, info->nummer, info->gemeente, kenmerk, reden, amount);
}

/* The dossier's earliest active hold, or NULL. */
static const struct hold *is_held(const struct prep *p, int64_t dossier)
{
	size_t lo = 0, hi = p->n_held;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p->held[mid].dossier == dossier)
			return &p->held[mid];
		if (p->held[mid].dossier < dossier)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Accounts the bank rejected or returned a payment from for a reason about
 * the account (payments.md; bankfeedback.h), per dossier: paying the same
 * account again would fail again, so such a payment waits until the
 * register changes that account.  Sorted by dossier for rejected_for.
 */
static int load_rejected(struct prep *p, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	int rc;

	if ((rc = store_prepare(p->st, &s, "SELECT DISTINCT b.dossier, b.iban, t.reden FROM terugboeking t"
				" JOIN betaling b ON b.id = t.betaling WHERE t.klasse = 'REKENING'"
				" ORDER BY b.dossier, b.iban", err)) < 0)
		return rc;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (mem_grow((void **)&p->rej, &cap, p->n_rej + 1, sizeof(*p->rej)) < 0) {
			sqlite3_finalize(s);
			return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
		}
		p->rej[p->n_rej].dossier = sqlite3_column_int64(s, 0);
		snprintf(p->rej[p->n_rej].iban, sizeof(p->rej[0].iban), "%.34s", store_col(s, 1));
		snprintf(p->rej[p->n_rej].reden, sizeof(p->rej[0].reden), "%.35s", store_col(s, 2));
		p->n_rej++;
	}
	sqlite3_finalize(s);
	return 0;
}

static const struct rejected *rejected_for(const struct prep *p, int64_t dossier, const char *iban)
{
	size_t lo = 0, hi = p->n_rej, i;

	while (lo < hi) {   /* the first of the dossier's */
		size_t mid = (lo + hi) / 2;
		if (p->rej[mid].dossier < dossier)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < p->n_rej && p->rej[i].dossier == dossier; i++)
		if (strcmp(p->rej[i].iban, iban) == 0)
			return &p->rej[i];
	return NULL;
}

/* A run of nine or more digits could be a BSN: never in a payment file. */
static int has_digit_run(const char *s)
{
	int run = 0;

	for (; s && *s; s++) {
		run = (*s >= '0' && *s <= '9') ? run + 1 : 0;
		if (run >= 9)
			return 1;
	}
	return 0;
}

/* A payment that cannot be written blocks its dossier (payments.md). */
static int payment_problem(char *why, size_t cap, const char *iban, const char *name, const char *who)
{
	struct br_error e;
	char t[PAIN001_NAME_MAX * 2 + 1];

	if (has_digit_run(name)) {
		snprintf(why, cap, "%.100s: de naam bevat negen of meer cijfers achter elkaar", who);
		return 1;
	}

	br_error_clear(&e);
	if (iban_validate(iban, &e) < 0) {
		snprintf(why, cap, "%.100s: %.300s", who, e.msg);
		return 1;
	}
	br_error_clear(&e);
	if (pain001_translit(t, sizeof(t), name, PAIN001_NAME_MAX, &e) <= 0) {
		snprintf(why, cap, "%.100s: de naam is leeg in de SEPA-tekenset (alleen letters buiten het Latijnse alfabet)", who);
		return 1;
	}
	return 0;
}

/* Open the next batch of a kind: the payment file's PmtInf (pain001.h:
 * clients' and third parties' payments apart, in the order recorded,
 * max_per_batch each; its PmtInfId is the run's MsgId, K or D, and its
 * number). */
static int open_batch(struct prep *p, int derde, long number, struct br_error *err)
{
	char pmtinf[sizeof(p->msg_id) + 24];
	int rc;

	snprintf(pmtinf, sizeof(pmtinf), "%s-%c%ld", p->msg_id, derde ? 'D' : 'K', number);
	sqlite3_reset(p->ins_batch);
	sqlite3_bind_int64(p->ins_batch, 1, p->run);
	sqlite3_bind_text(p->ins_batch, 2, derde ? "DERDE" : "CLIENT", -1, SQLITE_STATIC);
	sqlite3_bind_text(p->ins_batch, 3, pmtinf, -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(p->ins_batch)) != SQLITE_DONE)
		return store_fail(p->st, rc, "recording a batch", err);
	p->batch[derde] = sqlite3_last_insert_rowid(store_db(p->st));
	return 0;
}

static int insert_tx(struct prep *p, int64_t dossier, const char *soort, int64_t amount, const char *iban,
		     const char *bic, const char *naam, const char *omschrijving, const char *kenmerk,
		     struct br_error *err)
{
	char e2e[PAIN001_ID_MAX + 1];
	long n;
	int derde, rc;

	/* a dry run counts what it would pay (payments.md), and books nothing */
	p->sum->tx++;
	p->sum->total_cents += amount;
	if (p->dry_run)
		return 0;
	/* unique for all time: the run's sequence number and a counter */
	snprintf(e2e, sizeof(e2e), "BR%lld-%06ld", (long long)p->run, ++p->e2e_seq);
	derde = strcmp(soort, "DERDE") == 0;
	n = ++p->n_paid[derde];
	if ((n - 1) % p->env->cfg->max_per_batch == 0 &&
	    (rc = open_batch(p, derde, (n - 1) / p->env->cfg->max_per_batch + 1, err)) < 0)
		return rc;
	sqlite3_reset(p->ins_tx);
	sqlite3_bind_int64(p->ins_tx, 1, p->run);
	sqlite3_bind_int64(p->ins_tx, 2, dossier);
	sqlite3_bind_text(p->ins_tx, 3, soort, -1, SQLITE_STATIC);
	sqlite3_bind_text(p->ins_tx, 4, e2e, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(p->ins_tx, 5, amount);
	sqlite3_bind_text(p->ins_tx, 6, iban, -1, SQLITE_TRANSIENT);
	store_bind_text(p->ins_tx, 7, bic, 1);
	sqlite3_bind_text(p->ins_tx, 8, naam, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(p->ins_tx, 9, omschrijving, -1, SQLITE_TRANSIENT);
	store_bind_text(p->ins_tx, 10, kenmerk, 1);
	sqlite3_bind_int64(p->ins_tx, 11, p->batch[derde]);
	if ((rc = sqlite3_step(p->ins_tx)) != SQLITE_DONE)
		return store_fail(p->st, rc, "recording a payment", err);
	return 0;
}

/*
 * The specifications are rendered and compressed on the second core
 * (ring.h): the run's thread hands over each dossier's settlement record
 * (a copy the job owns); the renderer renders it exactly as `specificatie`
 * does from the store (specstore_render) and adds the text to the
 * municipality's bundle, in the run's dossier order.
 */
struct spec_job {
	char gemeente[8];
	char key[64];
	char nummer[24];              /* the dossier's (specstore_row) */
	unsigned char *rec;           /* owned by the job */
	size_t len;
};

static void spec_job_copy(void *slot, const void *job)
{
	memcpy(slot, job, sizeof(struct spec_job));
}

static void spec_job_drop(void *slot)
{
	free(((struct spec_job *)slot)->rec);
}

/* On the renderer's thread: touches only p->bundle (nobody else does
 * while the ring runs) and the read-only rules. */
static int spec_job_render(void *ctx, const void *slot, struct br_error *err)
{
	const struct spec_job *j = slot;
	struct prep *p = ctx;
	struct specstore_row row = { j->nummer, p->sum->uitvoerdatum };
	char *text = NULL;
	size_t len = 0;
	int rc;

	if ((rc = specstore_render(&text, &len, j->rec, j->len, &row, p->env->rules, 0, err)) == 0)
		rc = specbundle_add(p->bundle, j->gemeente, j->key, text, len, err);
	if (rc < 0)
		br_error_prefix(err, "dossier %s", j->key);
	free(text);
	free(j->rec);
	return rc;
}

/* Store the settlement's totals and record (specstore.h). */
static int store_settlement(struct prep *p, const struct settle_dossier_info *info,
			    const struct settle_result *res, struct br_error *err)
{
	sqlite3_stmt *s = p->ins_afr;
	char mb[MONTH_FMT_MAX];
	int rc;

	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, info->id);
	sqlite3_bind_text(s, 2, month_format(mb, p->month), -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, p->run);
	sqlite3_bind_int64(s, 4, res->advance_cents);
	sqlite3_bind_int64(s, 5, res->additions_cents);
	sqlite3_bind_int64(s, 6, res->vt_cents);
	sqlite3_bind_int64(s, 7, res->deducted_cents);
	sqlite3_bind_int64(s, 8, res->carried_cents);
	sqlite3_bind_int64(s, 9, res->claimed_cents);
	sqlite3_bind_int64(s, 10, res->instalments_cents);
	sqlite3_bind_int64(s, 11, res->derden_cents);
	sqlite3_bind_int64(s, 12, res->client_cents);
	sqlite3_bind_blob(s, 13, p->rec.p, (int)p->rec.len, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(p->st, rc, "storing a settlement", err);
}

/* The dossier's settlement record into the store, and to the renderer
 * for the run's bundles. */
static int write_specification(struct prep *p, const struct settle_dossier_info *info,
			       const struct settle_input *in, const struct settle_result *res,
			       const struct settle_settings *set, const char *status, const char *why,
			       const struct hold *hold, struct br_error *err)
{
	struct specification_dossier sd;
	const char *claim_k[SETTLE_MAX_CLAIMS], *derde_k[SETTLE_MAX_DERDEN], *derde_n[SETTLE_MAX_DERDEN];
	char uitbetaal[DATE_FMT_MAX];
	struct spec_job job;
	int rc, i;

	for (i = 0; i < info->n_claim_names; i++)
		claim_k[i] = info->claim_kenmerk[i];
	for (i = 0; i < info->n_derde_names; i++) {
		derde_k[i] = in->derden[i].kenmerk;
		derde_n[i] = info->derde_naam[i];
	}
	snprintf(uitbetaal, sizeof(uitbetaal), "%s", p->sum->uitvoerdatum);
	memset(&sd, 0, sizeof(sd));
	sd.dossiernummer = info->nummer;
	sd.gemeente = info->gemeente;
	sd.naam = info->naam;
	sd.iban = info->iban;
	sd.uitbetaaldatum = uitbetaal;
	sd.claim_kenmerk = claim_k;
	sd.derde_kenmerk = derde_k;
	sd.derde_naam = derde_n;
	sd.set = set;
	/* payments.md: what happened to the money */
	if (strcmp(status, "OPGESCHORT") == 0) {
		sd.outcome = SPEC_HELD;
		sd.outcome_since = hold->vanaf;
		sd.outcome_why = hold->reden;
	} else if (strcmp(status, "GEBLOKKEERD") == 0) {
		sd.outcome = SPEC_BLOCKED;
		sd.outcome_why = why;
	}
	if ((rc = specstore_encode(&p->rec, &sd, in, res, p->env->rules, err)) < 0 ||
	    (!p->dry_run && (rc = store_settlement(p, info, res, err)) < 0))
		return rc;
	memset(&job, 0, sizeof(job));
	snprintf(job.gemeente, sizeof(job.gemeente), "%s", info->gemeente);
	snprintf(job.nummer, sizeof(job.nummer), "%s", info->nummer);
	/* a dossier number with a BSN-like run (a record problem) is not an
	 * index key; the dossier's store id is */
	if (has_digit_run(info->nummer))
		snprintf(job.key, sizeof(job.key), "dossier-%lld", (long long)info->id);
	else
		snprintf(job.key, sizeof(job.key), "%s", info->nummer);
	if (!(job.rec = malloc(p->rec.len)))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	memcpy(job.rec, p->rec.p, p->rec.len);
	job.len = p->rec.len;
	if (ring_push(&p->render, &job) < 0) {
		free(job.rec);
		/* replaced by the renderer's own error in ring_finish */
		return br_error_set(err, BR_EINTERNAL, "het opmaken van de specificaties is gestopt");
	}
	return 0;
}

/* The first record not seen before that counts in `month` (settle.h: the
 * month's INKOMEN_HANDMATIG event), or NULL. */
static const struct settle_income *arrived_in(const struct settle_input *in, const struct settle_result *res,
					      int32_t month)
{
	size_t i;
	int j;

	for (i = 0; i < res->n_months; i++) {
		const struct settle_month *m = &res->months[i];

		if (m->month != month)
			continue;
		for (j = 0; j < m->n_lines; j++) {
			const struct settle_income *rec = &in->incomes[res->lines[m->first_line + j].income];
			if (!rec->gezien)
				return rec;
		}
	}
	return NULL;
}

/*
 * rules.md §5: an IOAW/IOAZ/Bbz dossier's income is settled by hand, so a
 * record withdrawn since the last run may undo what the consultant did:
 * an INKOMEN_HANDMATIG job per withdrawal of a month betaalrun settles,
 * keyed by its month and its store id like a record that arrived.  (For
 * PW the settlement itself follows the withdrawal.)
 */
static int open_withdrawn_jobs(struct prep *p, const struct settle_dossier_info *info,
			       const struct settle_input *in, int32_t today, struct br_error *err)
{
	char key[96], text[512], km[MONTH_FMT_MAX];
	size_t i;
	int rc;

	if (in->regeling == REGELING_PW)
		return 0;
	for (i = 0; i < info->n_withdrawn; i++) {
		const struct settle_withdrawal *w = &info->withdrawn[i];

		if (w->month < p->set.startmaand || w->month > p->month)
			continue;
		month_format(km, w->month);
		snprintf(key, sizeof(key), "%s #%lld", km, (long long)w->id);
		snprintf(text, sizeof(text), "opgave %.40s over %s van een %s-dossier is ingetrokken: herzie wat met de"
			 " hand is verrekend", w->opgave_id, km, info->regeling);
		if ((rc = jobs_open_event(NULL, p->st, p->env->signals, info->id, "INKOMEN_HANDMATIG", today, key,
					  text, p->env->now, err)) < 0)
			return rc;
	}
	return 0;
}

/*
 * The jobs a run opens itself (signals.md): from the settlement's events,
 * for a blocked payment (REGISTER), and the automatic HERBEREKENING record
 * when earlier months were settled again.  Each names its event in a key,
 * so a closed job is not reopened for the same event.
 */
static int open_jobs(struct prep *p, const struct settle_dossier_info *info, const struct settle_input *in,
		     const struct settle_result *res, const char *status, const char *why, struct br_error *err)
{
	int32_t today = timestamp_day(p->env->now);
	char key[96], text[512], mb[MONTH_FMT_MAX], km[MONTH_FMT_MAX], amount[MONEY_FMT_MAX + 8];
	int64_t resettled = 0;
	size_t i, n_months = 0;
	int rc;

	month_format(mb, p->month);
	for (i = 0; i < res->n_events; i++) {
		const struct settle_event *ev = &res->events[i];
		const char *taak = settle_event_name(ev->kind);

		month_format(km, ev->month);
		money_format_nl(amount, sizeof(amount), ev->amount_cents);
		switch (ev->kind) {
		case EVENT_INKOMEN_OUD:
			snprintf(key, sizeof(key), "%s", km);
			snprintf(text, sizeof(text), "een inhouding van %s over %s is ouder dan de verrekentermijn en"
				 " is een vordering (terugvordering) geworden; de administratie beslist", amount, km);
			break;
		case EVENT_DERDEN:
			snprintf(key, sizeof(key), "%s %.40s", mb, ev->ref >= 0 ? in->derden[ev->ref].kenmerk : "");
			snprintf(text, sizeof(text), "betaling aan derde %.40s van %s paste niet in de betaling over %s",
				 ev->ref >= 0 ? in->derden[ev->ref].kenmerk : "", amount, mb);
			break;
		case EVENT_AOW:
			snprintf(key, sizeof(key), "AOW");
			snprintf(text, sizeof(text), "de aanvrager heeft de AOW-leeftijd bereikt: de SVB neemt het over"
				 " (intussen afgerekend met de AOW-norm)");
			break;
		case EVENT_BUFFER_VOORSTEL:
			/* rules.md §5a voorstel: the consultant decides (TOEKENNEN/AFWIJZEN) */
			snprintf(key, sizeof(key), "BUFFER %s", km);
			snprintf(text, sizeof(text), "bufferbudget (art. 34b Pw) voorgesteld: %s voor %s, omdat de"
				 " verrekening van inkomsten uit werk de client onder de ondergrens brengt; sluit met"
				 " TOEKENNEN [--bedrag X] of AFWIJZEN", amount, km);
			if ((rc = jobs_open_proposal(NULL, p->st, p->env->signals, info->id, taak, today, key, text,
						     ev->amount_cents, p->env->now, err)) < 0)
				return rc;
			continue;
		case EVENT_INKOMEN_HANDMATIG:
		default: {
			/* the month and its first record that arrived: a correction
			 * arriving later opens a job again (rules.md §5) */
			const struct settle_income *rec = arrived_in(in, res, ev->month);

			snprintf(key, sizeof(key), "%s #%lld", km, rec ? (long long)rec->id : 0LL);
			snprintf(text, sizeof(text), "inkomen over %s van een %s-dossier (opgave %.40s): reken het met de"
				 " hand af", km, info->regeling, rec ? rec->opgave_id : "?");
			break;
		}
		}
		if ((rc = jobs_open_event(NULL, p->st, p->env->signals, info->id, taak, today, key, text,
					  p->env->now, err)) < 0)
			return rc;
	}
	if ((rc = open_withdrawn_jobs(p, info, in, today, err)) < 0)
		return rc;
	if (strcmp(status, "GEBLOKKEERD") == 0) {
		snprintf(key, sizeof(key), "%s", mb);
		snprintf(text, sizeof(text), "betaling over %s geblokkeerd: %.400s", mb, why);
		if ((rc = jobs_open_event(NULL, p->st, p->env->signals, info->id, "REGISTER", today, key, text,
					  p->env->now, err)) < 0)
			return rc;
	}
	/* re-settlement (signals.md): a difference for a month that was paid
	 * before and already settled — older than the month a regular run
	 * settles for the first time (M − 1), or any earlier month in a
	 * supplementary run; a month never paid (a released hold) is not a
	 * re-settlement */
	text[0] = '\0';
	for (i = 0; i + 1 < res->n_months; i++) {
		const struct settle_month *m = &res->months[i];
		if (m->month <= p->month - (p->aanvullend ? 1 : 2) && m->diff_cents != 0 && m->advanced) {
			size_t len = strlen(text);
			resettled += m->diff_cents;
			n_months++;
			snprintf(text + len, sizeof(text) - len, "%s%s %s", len ? ", " : "",
				 month_format(km, m->month), money_format_nl(amount, sizeof(amount), m->diff_cents));
		}
	}
	if (n_months) {
		char desc[640];
		snprintf(desc, sizeof(desc), "opnieuw afgerekend omdat inkomstenopgaven veranderden: %.500s", text);
		/* the same re-settlement is recorded once, whatever the run */
		snprintf(key, sizeof(key), "%s %lld", mb, (long long)resettled);
		if ((rc = jobs_record_herberekening(p->st, info->id, key, desc, resettled, p->env->now, err)) < 0)
			return rc;
	}
	return 0;
}

/* One dossier: decide, record, book (pending). */
static int prepare_dossier(struct prep *p, const struct settle_dossier_info *info,
			   const struct settle_input *in, const struct settle_result *res,
			   const struct settle_settings *set, struct br_error *err)
{
	struct report_cell *c;
	const struct hold *hold;
	const char *status;
	char why[512] = "";
	int64_t withheld = 0;
	size_t i;
	int rc;

	/* an ended dossier with nothing left to settle is not in the run */
	if (!res->active_in_run && res->n_bookings == 0)
		return 0;
	if (!(c = cell_for(p, info->gemeente, info->regeling)))
		return br_error_set(err, BR_EINTERNAL, "te veel combinaties van gemeente en regeling");
	c->dossiers++;
	p->sum->dossiers++;
	if ((hold = is_held(p, info->id))) {
		status = "OPGESCHORT";
		withheld = res->client_cents + res->derden_cents;
		snprintf(why, sizeof(why), "opschorting sinds %s: %s", hold->vanaf, hold->reden);
	} else if (info->probleem[0]) {
		status = "GEBLOKKEERD";
		snprintf(why, sizeof(why), "%.500s", info->probleem);
	} else {
		const struct rejected *rj;

		status = res->client_cents > 0 || res->derden_cents > 0 ? "BETAALD" : "NUL";
		if (has_digit_run(info->nummer)) {
			/* the remittance names the dossier: it must not look like a BSN */
			status = "GEBLOKKEERD";
			snprintf(why, sizeof(why), "het dossiernummer bevat negen of meer cijfers achter elkaar");
		} else if (res->client_cents > 0 && payment_problem(why, sizeof(why), info->iban,
								    info->tenaamstelling, "rekening"))
			status = "GEBLOKKEERD";
		else if (res->client_cents > 0 && (rj = rejected_for(p, info->id, info->iban))) {
			status = "GEBLOKKEERD";
			snprintf(why, sizeof(why), "de bank weigerde een betaling naar deze rekening (%s); wacht op"
				 " een gecorrigeerd register", rj->reden);
		}
		for (i = 0; i < res->n_bookings && strcmp(status, "GEBLOKKEERD") != 0; i++) {
			const struct settle_booking *b = &res->bookings[i];
			if (b->kind == BOOK_DERDEN && b->ref >= 0 &&
			    (payment_problem(why, sizeof(why), info->derde_iban[b->ref], info->derde_naam[b->ref],
					     in->derden[b->ref].kenmerk) ||
			     ((rj = rejected_for(p, info->id, info->derde_iban[b->ref])) &&
			      snprintf(why, sizeof(why), "%.60s: de bank weigerde een betaling naar de rekening van"
				       " deze derde (%s); wacht op een gecorrigeerd register",
				       in->derden[b->ref].kenmerk, rj->reden) > 0) ||
			     (has_digit_run(in->derden[b->ref].kenmerk) &&
			      snprintf(why, sizeof(why), "het kenmerk van een derde bevat negen of meer cijfers achter elkaar") > 0)))
				status = "GEBLOKKEERD";
		}
	}
	log_mask_digits(why);
	if (!p->dry_run && (rc = open_jobs(p, info, in, res, status, why, err)) < 0)
		return rc;
	if (strcmp(status, "OPGESCHORT") == 0) {
		c->held++;
		c->held_cents += withheld;
		p->sum->held++;
		if (add_line(p, REPORT_HOLD, info, NULL, why, withheld) < 0)
			goto nomem;
	} else if (strcmp(status, "GEBLOKKEERD") == 0) {
		c->blocked++;
		p->sum->blocked++;
		if (add_line(p, REPORT_BLOCKED, info, NULL, why, res->client_cents + res->derden_cents) < 0)
			goto nomem;
	} else {
		/* paid (or €0): book pending, one transaction per payment */
		char omschr[PAIN001_USTRD_MAX + 1], mb[MONTH_FMT_MAX];

		month_format(mb, p->month);
		if (!p->dry_run && (rc = ledger_book_input(p->ledger, p->run, info->id, res, in, err)) < 0)
			return rc;
		if (res->client_cents > 0) {
			snprintf(omschr, sizeof(omschr), "Uitkering %s %s dossier %s", info->regeling, mb, info->nummer);
			if ((rc = insert_tx(p, info->id, "CLIENT", res->client_cents, info->iban, "",
					    info->tenaamstelling, omschr, NULL, err)) < 0)
				return rc;
		}
		for (i = 0; i < res->n_bookings; i++) {
			const struct settle_booking *b = &res->bookings[i];
			if (b->kind == BOOK_DERDEN && b->ref >= 0) {
				snprintf(omschr, sizeof(omschr), "%s dossier %s %s", in->derden[b->ref].kenmerk,
					 info->nummer, mb);
				if ((rc = insert_tx(p, info->id, "DERDE", b->amount_cents, info->derde_iban[b->ref], "",
						    info->derde_naam[b->ref], omschr, in->derden[b->ref].kenmerk, err)) < 0)
					return rc;
			}
			if (b->kind == BOOK_INHOUDING && b->ref >= 0 &&
			    add_line(p, REPORT_INHOUDING, info, in->claims[b->ref].kenmerk, NULL, b->amount_cents) < 0)
				goto nomem;
		}
		for (i = 0; i < in->n_derden; i++)
			if (res->derden_skipped[i]) {
				c->derden_skipped++;
				p->sum->derden_skipped++;
				if (add_line(p, REPORT_DERDEN_SKIPPED, info, in->derden[i].kenmerk,
					     "past niet binnen de uitkering", in->derden[i].bedrag_cents) < 0)
					goto nomem;
			}
		c->client_cents += res->client_cents;
		c->derden_cents += res->derden_cents;
		c->inhouding_cents += res->instalments_cents;
		c->verrekend_cents += res->deducted_cents;
		c->toegevoegd_cents += res->additions_cents + res->vt_cents;
		c->buffer_cents += res->buffer_cents;
		if (res->active_in_run && res->client_cents == 0) {
			c->nul++;
			p->sum->nul++;
		}
		if (strcmp(status, "BETAALD") == 0)
			p->sum->paid++;
	}
	if (!p->dry_run) {
		sqlite3_stmt *s = p->ins_rd;
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, p->run);
		sqlite3_bind_int64(s, 2, info->id);
		sqlite3_bind_text(s, 3, status, -1, SQLITE_STATIC);
		store_bind_text(s, 4, why, 1);
		sqlite3_bind_int64(s, 5, res->client_cents);
		sqlite3_bind_int64(s, 6, res->derden_cents);
		sqlite3_bind_int64(s, 7, res->instalments_cents);
		sqlite3_bind_int64(s, 8, res->deducted_cents);
		sqlite3_bind_int64(s, 9, res->additions_cents + res->vt_cents);
		sqlite3_bind_int64(s, 10, withheld);
		sqlite3_bind_int(s, 11, 0);
		if ((rc = sqlite3_step(s)) != SQLITE_DONE)
			return store_fail(p->st, rc, "recording the run's dossier", err);
	}
	return write_specification(p, info, in, res, set, status, why, hold, err);
nomem:
	return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
}


/*
 * payments.md: a third party's payment the bank rejected or returned stays
 * owed to it.  For any other reason than its account it is paid again to
 * the same account; for a reason about the account only once the register
 * has another account for that third party.  A held dossier pays nothing.
 * Until paid, the report lists it.
 */
static int pay_owed(void *ctx, const struct bankfeedback_owed *o, struct br_error *err)
{
	struct prep *p = ctx;
	const char *iban = o->account ? o->new_iban : o->iban;
	const char *naam = o->account ? o->new_naam : o->naam;
	char why[512] = "", omschr[PAIN001_USTRD_MAX + 1];
	struct report_cell *c = cell_for(p, o->gemeente, o->regeling);
	int rc;

	if (!c)
		return br_error_set(err, BR_EINTERNAL, "te veel combinaties van gemeente en regeling");
	if (is_held(p, o->dossier))
		snprintf(why, sizeof(why), "nog verschuldigd aan de derde: opschorting actief");
	else if (o->account && (!iban[0] || rejected_for(p, o->dossier, iban)))
		snprintf(why, sizeof(why), "nog verschuldigd aan de derde: de bank weigerde de rekening (%s);"
			 " wacht op een nieuwe rekening van de derde in het register", o->reden);
	else if (payment_problem(why, sizeof(why), iban, naam, o->kenmerk))
		log_mask_digits(why);
	if (why[0]) {
		c->derden_skipped++;
		p->sum->derden_skipped++;
		return add_line_for(p, REPORT_DERDEN_SKIPPED, o->nummer, o->gemeente, o->kenmerk, why,
				    o->amount_cents) < 0 ? br_error_set(err, BR_ENOMEM, "onvoldoende geheugen") : 0;
	}
	snprintf(omschr, sizeof(omschr), "%.60s dossier %s %s opnieuw", o->kenmerk, o->nummer, o->maand);
	if ((rc = insert_tx(p, o->dossier, "DERDE", o->amount_cents, iban, "", naam, omschr, o->kenmerk, err)) < 0)
		return rc;
	c->derden_cents += o->amount_cents;
	if (p->dry_run)
		return 0;
	sqlite3_reset(p->set_again);
	sqlite3_bind_int64(p->set_again, 1, sqlite3_last_insert_rowid(store_db(p->st)));
	sqlite3_bind_int64(p->set_again, 2, o->betaling);
	return store_step_done(p->st, p->set_again, "recording a payment made again", err);
}

/*
 * payments.md "Lifecycle": the month to prepare is the first month without
 * a released regular run, so a typo cannot prepare two months at once.
 * Before the first released run, any month from startmaand on may be the
 * first (a site that starts settling before its first run pays the months
 * between as differences); a month before startmaand never.
 */
static int month_due(struct store *st, int32_t month, int32_t startmaand, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char mb[MONTH_FMT_MAX], due_s[MONTH_FMT_MAX];
	int32_t due = -1;
	int rc, step;

	if ((rc = store_prepare(st, &s, "SELECT max(maand) FROM run WHERE status = 'RELEASED' AND aanvullend = 0",
				err)) < 0)
		return rc;
	if ((step = sqlite3_step(s)) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		struct br_error ignored;
		const char *last = store_col(s, 0);
		br_error_clear(&ignored);
		if (month_parse(&due, last, strlen(last), &ignored) < 0)
			rc = br_error_set(err, BR_EINTERNAL, "een run heeft maand '%s'", last);
		due++;
	} else if (step != SQLITE_ROW) {
		rc = store_fail(st, step, "reading the released runs", err);
	}
	sqlite3_finalize(s);
	if (rc == 0 && due >= 0 && month != due)
		rc = br_error_set(err, BR_EINPUT, "%s kan niet worden voorbereid: aan de beurt is %s (de eerste maand"
				  " zonder vrijgegeven reguliere run); een latere maand wacht daarop, een eerdere is"
				  " gesloten (wat later nog verschuldigd blijkt: --aanvullend)", month_format(mb, month),
				  month_format(due_s, due));
	else if (rc == 0 && due < 0 && startmaand >= 0 && month < startmaand)
		rc = br_error_set(err, BR_EINPUT, "%s kan niet worden voorbereid: die maand ligt vóór startmaand"
				  " %s (betaalrun.conf)", month_format(mb, month), month_format(due_s, startmaand));
	return rc;
}

/* The run's checks (payments.md "Lifecycle"). */
static int prepare_checks(struct store *st, int32_t month, int aanvullend, int32_t startmaand,
			  int64_t *superseded, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char mb[MONTH_FMT_MAX];
	int rc = 0, released = 0;

	*superseded = 0;
	month_format(mb, month);
	if ((rc = store_prepare(st, &s, "SELECT msg_id, maand, status, id FROM run"
				" WHERE status IN ('PREPARED','APPROVED','RELEASED') ORDER BY id", err)) < 0)
		return rc;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *id = store_col(s, 0), *m = store_col(s, 1), *status = store_col(s, 2);
		int cmp = strcmp(m, mb);

		if (cmp < 0 && strcmp(status, "RELEASED") != 0) {
			rc = br_error_set(err, BR_EINPUT, "run %s voor de eerdere maand %s is nog %s: geef die eerst"
					  " vrij of annuleer hem (anders wordt het voorschot twee keer betaald)",
					  id, m, status);
			break;
		}
		if (cmp > 0) {
			rc = br_error_set(err, BR_EINPUT, "run %s voor de latere maand %s bestaat al: %s kan niet"
					  " meer worden voorbereid", id, m, mb);
			break;
		}
		if (cmp == 0 && strcmp(status, "RELEASED") == 0)
			released = 1;
		if (cmp == 0 && strcmp(status, "APPROVED") == 0) {
			rc = br_error_set(err, BR_EINPUT, "run %s voor %s is goedgekeurd: geef die eerst vrij of"
					  " annuleer hem", id, mb);
			break;
		}
		if (cmp == 0 && strcmp(status, "PREPARED") == 0)
			*superseded = sqlite3_column_int64(s, 3);
	}
	sqlite3_finalize(s);
	if (rc < 0)
		return rc;
	if (released && !aanvullend)
		return br_error_set(err, BR_EINPUT, "maand %s is gesloten: de run ervan is vrijgegeven; wat later nog"
				    " verschuldigd blijkt, wordt betaald in de volgende maand of met"
				    " `run --month %s --aanvullend`", mb, mb);
	if (!released && aanvullend)
		return br_error_set(err, BR_EINPUT, "geen vrijgegeven run voor %s om aan te vullen: bereid eerst de"
				    " reguliere run voor", mb);
	return aanvullend ? 0 : month_due(st, month, startmaand, err);
}

static int load_held(struct prep *p, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char last[DATE_FMT_MAX];
	size_t cap = 0;
	int rc;

	/* signals.md: a hold dated on or before the last day of M; the
	 * earliest one says since when and why (the specification) */
	date_format(last, month_last_day(p->month));
	if ((rc = store_prepare(p->st, &s, "SELECT dossier, vanaf, reden FROM opschorting o WHERE opgeheven IS NULL"
				" AND vanaf <= ?1 AND id = (SELECT id FROM opschorting x WHERE x.dossier = o.dossier"
				" AND x.opgeheven IS NULL AND x.vanaf <= ?1 ORDER BY x.vanaf, x.id LIMIT 1)"
				" ORDER BY dossier", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, last, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct hold *h;
		if (mem_grow((void **)&p->held, &cap, p->n_held + 1, sizeof(*p->held)) < 0) {
			sqlite3_finalize(s);
			return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
		}
		h = &p->held[p->n_held++];
		h->dossier = sqlite3_column_int64(s, 0);
		snprintf(h->vanaf, sizeof(h->vanaf), "%.10s", store_col(s, 1));
		snprintf(h->reden, sizeof(h->reden), "%.110s", store_col(s, 2));
		log_mask_digits(h->reden);
	}
	sqlite3_finalize(s);
	return 0;
}

/*
 * payrun_prepare in steps.  Each step works on `struct prep`, returns 0
 * or a negative BR_* code with `err` set, and leaves cleaning up to
 * prep_free: one transaction (p->in_tx), one temporary folder (p->tmpdir).
 */

/* Step 1: the transaction, the checks, and what earlier commands left. */
static int prep_begin(struct prep *p, struct br_error *err)
{
	const struct payrun_env *env = p->env;
	int rc;

	if ((rc = store_begin(p->st, err)) < 0)
		return rc;
	p->in_tx = 1;
	if (!p->dry_run && (rc = prepare_checks(p->st, p->month, p->aanvullend, env->cfg->startmaand,
						&p->superseded, err)) < 0)
		return rc;
	/* reports a store of an earlier version left for the run to process */
	if ((rc = bankfeedback_apply_pending(&p->sum->rejected, p->st, env->signals, env->now, err)) < 0)
		return rc;
	if (!p->dry_run) {
		/* signals that found their dossier since the last ingest hold it now */
		struct jobs_match_result mr;
		if ((rc = jobs_match_signals(&mr, p->st, env->signals, env->now, err)) < 0)
			return rc;
	}
	if ((rc = settle_settings_derive(&p->set, p->st, env->cfg, p->month, err)) < 0)
		return rc;
	p->exec_day = calendar_execution_date(p->month, env->cfg->uitbetaaldag, timestamp_day(env->now));
	date_format(p->sum->uitvoerdatum, p->exec_day);
	return 0;
}

/* Step 2: the run record (payments.md identifiers: MsgId from the run
 * sequence); preparing again supersedes the prepared run. */
static int prep_record_run(struct prep *p, struct br_error *err)
{
	char ts[TIMESTAMP_FMT_MAX], startmb[MONTH_FMT_MAX];
	sqlite3_stmt *s = NULL;
	int rc;

	if (p->superseded && ((rc = set_status(p->st, p->superseded, "SUPERSEDED", NULL, NULL, err)) < 0 ||
			      (rc = run_discard(p->st, p->superseded, err)) < 0))
		return rc;
	if ((rc = specstore_keep_rules(p->st, p->env->rules, err)) < 0)
		return rc;
	if ((rc = store_query_int64(p->st, "SELECT coalesce(max(id), 0) + 1 FROM run", &p->run,
				    "allocating the run id", err)) < 0)
		return rc;
	snprintf(p->msg_id, sizeof(p->msg_id), "BR-%.4s%.2s-%04lld", p->mb, p->mb + 5, (long long)p->run);
	if ((rc = fsutil_join(p->final, sizeof(p->final), p->monthdir, p->msg_id, err)) < 0)
		return rc;
	if ((rc = store_prepare(p->st, &s, "INSERT INTO run (id, msg_id, maand, aanvullend, status, aangemaakt,"
				" uitvoerdatum, startmaand, regels_sha256, pain_versie, map)"
				" VALUES (?1, ?2, ?3, ?4, 'PREPARED', ?5, ?6, ?7, ?8, ?9, ?10)", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, p->run);
	sqlite3_bind_text(s, 2, p->msg_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, p->mb, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, p->aanvullend ? 1 : 0);
	sqlite3_bind_text(s, 5, timestamp_format(ts, p->env->now), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, p->sum->uitvoerdatum, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, month_format(startmb, p->set.startmaand), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, p->env->rules->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 9, p->env->cfg->pain_versie, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 10, p->final, -1, SQLITE_STATIC);
	rc = store_step_done(p->st, s, "recording the run", err);
	sqlite3_finalize(s);
	return rc;
}

/* Every dossier settled, in a regular or a supplementary run: the run saw
 * the income records up to `upto` (settle_store.c load_seen). */
static int record_income_seen(struct prep *p, int64_t upto, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = store_prepare(p->st, &s, "UPDATE run SET inkomen_tot = ?2 WHERE id = ?1", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, p->run);
	sqlite3_bind_int64(s, 2, upto);
	rc = store_step_done(p->st, s, "recording the income the run saw", err);
	sqlite3_finalize(s);
	return rc;
}

/* Step 3: the statements every dossier uses, prepared once. */
static int prep_statements(struct prep *p, struct br_error *err)
{
	int rc;

	if ((rc = store_prepare(p->st, &p->ins_tx, "INSERT INTO betaling (run, dossier, soort, end_to_end_id,"
				" bedrag_cents, iban, bic, naam, omschrijving, kenmerk, batch)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", err)) < 0 ||
	    (rc = store_prepare(p->st, &p->ins_batch, "INSERT INTO batch (run, soort, pmtinf_id)"
				" VALUES (?1, ?2, ?3)", err)) < 0 ||
	    (rc = store_prepare(p->st, &p->ins_rd, "INSERT INTO run_dossier (run, dossier, status, reden,"
				" client_cents, derden_cents, inhouding_cents, verrekend_cents,"
				" toegevoegd_cents, ingehouden_cents, derden_overgeslagen)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", err)) < 0 ||
	    (rc = store_prepare(p->st, &p->ins_afr, "INSERT INTO afrekening (dossier, run_maand, run,"
				" voorschot_cents, toevoegingen_cents, vt_cents, verrekend_cents,"
				" doorgeschoven_cents, vordering_cents, inhoudingen_cents, derden_cents,"
				" client_cents, vastlegging) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
				" ?9, ?10, ?11, ?12, ?13)", err)) < 0 ||
	    (rc = store_prepare(p->st, &p->set_again, "UPDATE betaling SET herbetaling_van = ?2 WHERE id = ?1",
				err)) < 0)
		return rc;
	return ledger_open(&p->ledger, p->st, err);
}

/* Step 4: out/YYYY-MM, the run's identity, and a temporary folder that
 * becomes the run folder when everything in it is written. */
static int prep_folders(struct prep *p, struct br_error *err)
{
	char out[FSUTIL_PATH_MAX];
	int rc;

	if ((rc = fsutil_join(out, sizeof(out), p->env->home, "out", err)) < 0 ||
	    (rc = fsutil_join(p->monthdir, sizeof(p->monthdir), out, p->mb, err)) < 0 ||
	    (rc = fsutil_mkdirs(p->monthdir, 0700, err)) < 0)
		return rc;
	if (!p->dry_run) {
		if ((rc = prep_record_run(p, err)) < 0 || (rc = prep_statements(p, err)) < 0)
			return rc;
	} else {
		snprintf(p->msg_id, sizeof(p->msg_id), "DRY-RUN-%.4s%.2s", p->mb, p->mb + 5);
		if ((rc = fsutil_join(p->final, sizeof(p->final), p->monthdir, "dry-run", err)) < 0)
			return rc;
	}
	snprintf(p->sum->msg_id, sizeof(p->sum->msg_id), "%s", p->msg_id);
	snprintf(p->tmpdir, sizeof(p->tmpdir), "%.3900s/.%.40s.tmp", p->monthdir, p->dry_run ? "dry-run" : p->msg_id);
	if ((rc = fsutil_remove_tree(p->tmpdir, err)) < 0 || (rc = fsutil_mkdirs(p->tmpdir, 0700, err)) < 0)
		return rc;
	return specbundle_open(&p->bundle, p->tmpdir, err);
}

/* Step 5: settle every dossier and decide what is paid; then pay what
 * the bank returned and is owed again (bankfeedback.h). */
static int prep_settle_all(struct prep *p, struct br_error *err)
{
	struct settle_source *src = NULL;
	struct settle_dossier_info *info = NULL;
	struct settle_input in;
	struct settle_result res;
	int rc;

	struct progress bar;
	int64_t total = 0;
	uint64_t done = 0;

	settle_result_init(&res);
	progress_start(&bar, NULL, "", "", 0);
	if (!(info = calloc(1, sizeof(*info))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	if ((rc = load_held(p, err)) < 0 || (rc = load_rejected(p, err)) < 0 ||
	    (rc = settle_source_open(&src, p->st, p->month, &p->set, NULL, err)) < 0)
		goto out;
	if (p->env->progress && (rc = store_query_int64(p->st, "SELECT count(*) FROM dossier", &total,
							"counting the dossiers", err)) < 0)
		goto out;
	progress_start(&bar, p->env->progress, "voorbereiden", "dossiers", (uint64_t)total);
	if ((rc = ring_start(&p->render, sizeof(struct spec_job), spec_job_copy, spec_job_render, p, err)) < 0)
		goto out;
	while ((rc = settle_source_next(src, info, &in, err)) == 1) {
		if ((rc = settle_dossier(&res, &in, p->env->rules, &p->set, p->month, err)) < 0 ||
		    (rc = prepare_dossier(p, info, &in, &res, &p->set, err)) < 0) {
			br_error_prefix(err, "dossier %s", info->nummer);
			goto out;
		}
		progress_update(&bar, ++done);
	}
	if (rc == 0)
		rc = bankfeedback_owed_each(p->st, month_first_day(p->month), pay_owed, p, err);
	if (rc == 0 && !p->dry_run && (rc = record_income_seen(p, settle_source_income_upto(src), err)) == 0)
		rc = settle_source_keep_packs(src, err);
out:
	rc = ring_finish(&p->render, rc, err);
	ring_drain(&p->render, spec_job_drop);
	ring_release(&p->render);
	progress_end(&bar);
	settle_source_free(src);
	settle_result_release(&res);
	free(info);
	return rc;
}

static void prep_pain_params(struct pain001_params *pp, const struct prep *p)
{
	const struct config *cfg = p->env->cfg;

	memset(pp, 0, sizeof(*pp));
	pp->version = strcmp(cfg->pain_versie, "001.001.03") == 0 ? 3 : 9;
	snprintf(pp->msg_id, sizeof(pp->msg_id), "%.35s", p->msg_id);
	pp->cre_dt_tm = p->env->now;
	pp->initiator_name = cfg->debiteur_naam;
	pp->debtor_name = cfg->debiteur_naam;
	snprintf(pp->debtor_iban, sizeof(pp->debtor_iban), "%.34s", cfg->debiteur_iban);
	snprintf(pp->debtor_bic, sizeof(pp->debtor_bic), "%.11s", cfg->debiteur_bic);
	pp->reqd_exctn_dt = p->exec_day;
	pp->max_per_batch = cfg->max_per_batch;
	snprintf(pp->purp_derden, sizeof(pp->purp_derden), "%.4s", cfg->doel_derden);
	snprintf(pp->ctgy_purp, sizeof(pp->ctgy_purp), "%.4s", cfg->categorie);
}

/* The file's hashes, totals and the preparer's certificate by
 * fingerprint: release and verify check this exact certificate. */
static int prep_record_file(struct prep *p, const struct cms_signer *who, struct br_error *err)
{
	const struct payrun_summary *out = p->sum;
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = store_prepare(p->st, &s, "UPDATE run SET sha256 = ?2, sha1 = ?3, aantal = ?4, totaal_cents = ?5,"
				" voorbereider = ?6, voorbereider_sha256 = ?7 WHERE id = ?1", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, p->run);
	sqlite3_bind_text(s, 2, out->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, out->sha1, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, out->tx);
	sqlite3_bind_int64(s, 5, out->total_cents);
	sqlite3_bind_text(s, 6, who->subject, -1, SQLITE_STATIC);
	store_bind_text(s, 7, who->fingerprint, 1);
	rc = store_step_done(p->st, s, "recording the run", err);
	sqlite3_finalize(s);
	return rc;
}

/* Step 6: the payment file and its first signature (four-eyes, cms_sign.h). */
static int prep_payment_file(struct prep *p, const char *key_path, const char *passphrase, struct br_error *err)
{
	struct pain001_params pp;
	struct pain001_stats ps;
	struct tx_source ts_src = { p->st, p->run, NULL, "", "" };
	struct pain001_source source = { tx_rewind, tx_next, &ts_src };
	struct cms_signer who;
	char path[FSUTIL_PATH_MAX], sig[FSUTIL_PATH_MAX + 8];
	int rc;

	prep_pain_params(&pp, p);
	if ((rc = run_file(path, sizeof(path), p->tmpdir, "pain.001.xml", err)) < 0)
		return rc;
	rc = pain001_write(path, &pp, &source, &ps, err);
	sqlite3_finalize(ts_src.q);
	if (rc < 0)
		return rc;
	snprintf(sig, sizeof(sig), "%s.p7s", path);
	if ((rc = cms_sign_file(path, sig, key_path, passphrase, &who, err)) < 0 ||
	    (rc = fsutil_digest_file(p->sum->sha256, p->sum->sha1, path, UINT64_MAX, NULL, err)) < 0)
		return rc;
	return prep_record_file(p, &who, err);
}

/* The manifest: the payment file, the report, the specification
 * bundles and their index (specbundle.h), each with its SHA-256.  The
 * signature file is not in it: approval adds a signer to it afterwards;
 * `verify` checks it against the file itself. */
static int prep_manifest(struct prep *p, struct br_error *err)
{
	enum { N_FIXED = 1 + REPORT_N_FILES };
	const char *files[N_FIXED + SPECBUNDLE_MAX_GEMEENTEN + 1] = { "pain.001.xml" };
	const char *const *bundles;
	struct manifest_run mr;
	size_t i, n_bundles;
	int rc;

	for (i = 0; i < REPORT_N_FILES; i++)
		files[1 + i] = report_file_name(i);
	if ((rc = specbundle_finish(p->bundle, &bundles, &n_bundles, err)) < 0)
		return rc;
	for (i = 0; i < n_bundles && i < SPECBUNDLE_MAX_GEMEENTEN + 1; i++)
		files[N_FIXED + i] = bundles[i];
	mr = (struct manifest_run){ p->msg_id, p->month, p->env->now, p->env->rules->sha256, p->sum->dossiers };
	return manifest_write(p->st, p->tmpdir, &mr, files, N_FIXED + i, err);
}

/* Step 7: the report beside the previous released run, and the manifest. */
static int prep_report(struct prep *p, struct br_error *err)
{
	struct runreport_cells *prev;
	struct report rep;
	int rc;

	if (!(prev = calloc(1, sizeof(*prev))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	memset(&rep, 0, sizeof(rep));
	/* config_load checked the word (config.c) */
	if (csvout_dialect_parse(&rep.csv, p->env->cfg->rapport_csv) < 0) {
		rc = br_error_set(err, BR_EINTERNAL, "onbekende [rapport] csv '%s'", p->env->cfg->rapport_csv);
		goto out;
	}
	if ((rc = runreport_previous(prev, rep.previous_run_id, sizeof(rep.previous_run_id), p->st, p->run,
				     err)) < 0 ||
	    (rc = bankfeedback_returned_each(p->st, rep.previous_run_id, add_returned, p, err)) < 0 ||
	    (!p->dry_run && (rc = runreport_buffer(&p->cells, p->st, p->run, p->mb, 0, err)) < 0))
		goto out;
	runreport_sort(&p->cells);
	snprintf(rep.run_id, sizeof(rep.run_id), "%s", p->msg_id);
	snprintf(rep.maand, sizeof(rep.maand), "%s", p->mb);
	snprintf(rep.status, sizeof(rep.status), "%s", p->dry_run ? "DRY-RUN" : "PREPARED");
	snprintf(rep.uitvoerdatum, sizeof(rep.uitvoerdatum), "%s", p->sum->uitvoerdatum);
	timestamp_format(rep.opgesteld, p->env->now);
	rep.cells = p->cells.cell;
	rep.n_cells = p->cells.n;
	rep.prev = prev->cell;
	rep.n_prev = prev->n;
	rep.lines = p->lines;
	rep.n_lines = p->n_lines;
	rep.n_tx = p->sum->tx;
	rep.total_cents = p->sum->total_cents;
	if ((rc = report_write(p->tmpdir, &rep, err)) == 0)
		rc = prep_manifest(p, err);
out:
	free(prev);
	return rc;
}

/* Step 8: publish the folder, then commit: a crash in between leaves a
 * folder without a run record, which the next preparation replaces. */
static int prep_publish(struct prep *p, struct br_error *err)
{
	int rc;

	if ((rc = fsutil_remove_tree(p->final, err)) < 0)
		return rc;
	if (rename(p->tmpdir, p->final) != 0)
		return br_error_set(err, BR_EIO, "de runmap %s kan niet worden gepubliceerd: %s", p->final, strerror(errno));
	p->tmpdir[0] = '\0';
	if ((rc = fsutil_sync_dir(p->monthdir, err)) < 0)
		return rc;
	snprintf(p->sum->folder, sizeof(p->sum->folder), "%s", p->final);
	p->in_tx = 0;
	if (p->dry_run) {
		store_rollback(p->st); /* --dry-run books nothing */
		return 0;
	}
	return store_commit(p->st, err);
}

static void prep_free(struct prep *p, int failed)
{
	if (p->in_tx)
		store_rollback(p->st);
	if (failed && p->tmpdir[0]) {
		struct br_error ignore;
		br_error_clear(&ignore);
		fsutil_remove_tree(p->tmpdir, &ignore);
	}
	sqlite3_finalize(p->ins_tx);
	sqlite3_finalize(p->ins_batch);
	sqlite3_finalize(p->ins_rd);
	sqlite3_finalize(p->ins_afr);
	sqlite3_finalize(p->set_again);
	ledger_free(p->ledger);
	specbundle_free(p->bundle);
	free(p->rec.p);
	free(p->held);
	free(p->rej);
	free(p->lines);
}

int payrun_prepare(struct payrun_summary *out, struct store *st, const struct payrun_env *env,
		   int32_t month, int aanvullend, int dry_run, const char *key_path,
		   const char *passphrase, struct br_error *err)
{
	struct prep *p;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(p = calloc(1, sizeof(*p))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	p->st = st;
	p->env = env;
	p->month = month;
	p->dry_run = dry_run;
	p->aanvullend = aanvullend;
	p->sum = out;
	month_format(p->mb, month);
	if ((rc = prep_begin(p, err)) < 0 || (rc = prep_folders(p, err)) < 0 || (rc = prep_settle_all(p, err)) < 0)
		goto out;
	if (aanvullend && !dry_run && out->tx == 0) {
		/* nothing is due and unpaid: no run, nothing to approve */
		snprintf(out->msg_id, sizeof(out->msg_id), "none");
		rc = 0;
		goto out;
	}
	if ((rc = !dry_run && out->tx > 0 ? prep_payment_file(p, key_path, passphrase, err) : 0) == 0 &&
	    (rc = prep_report(p, err)) == 0)
		rc = prep_publish(p, err);
out:
	/* an empty supplementary run is dropped like a failed one: rolled
	 * back, its temporary folder removed */
	prep_free(p, rc < 0 || !strcmp(out->msg_id, "none"));
	free(p);
	return rc;
}

/* ---- approve, cancel, release, verify, list ------------------------------ */

static int check_file_hash(const struct run_row *r, char *path, size_t cap, struct br_error *err)
{
	char sha[SHA256_HEX_LEN + 1];
	int rc;

	if ((rc = run_file(path, cap, r->map, "pain.001.xml", err)) < 0)
		return rc;
	if ((rc = fsutil_digest_file(sha, NULL, path, UINT64_MAX, NULL, err)) < 0)
		return rc;
	if (strcmp(sha, r->sha256) != 0)
		return br_error_set(err, BR_EINPUT, "het betaalbestand %s is na de voorbereiding gewijzigd: de SHA-256"
				    " is nu %s, de run legde %s vast", path, sha, r->sha256);
	return 0;
}

/*
 * Four-eyes for approve, release and verify: one check, cms_approve_file /
 * cms_verify_four_eyes (cms_sign.h), against the certificates the run
 * recorded (run.voorbereider_sha256 and goedkeurder_sha256, migration 7;
 * the printed subjects only for a run recorded before that).
 *
 * Approve never changes the preparer's pain.001.xml.p7s before the
 * approval is committed: it writes the file with both signatures beside it
 * (APPROVAL_SUFFIX), commits APPROVED with the approver's certificate, and
 * then renames it over the .p7s.  Killed before the commit: the run is
 * still PREPARED, the .p7s untouched, and anyone may approve (the stale
 * file is overwritten).  Killed after it: the run is APPROVED and the
 * approval waits beside the .p7s; the recorded approver running approve
 * again, or release, checks it with the same four-eyes check and publishes
 * it.  An APPROVED run approved again by the recorded approver's own
 * certificate succeeds without signing again.
 */
#define APPROVAL_SUFFIX ".goedkeuring"

/* What the run recorded about its signers, for cms_recorded (borrowed). */
struct run_signers {
	char msg_id[40], status[16];
	char voorbereider[CMS_SUBJECT_MAX], goedkeurder[CMS_SUBJECT_MAX];
	char voorbereider_sha256[CMS_FINGERPRINT_HEX + 1], goedkeurder_sha256[CMS_FINGERPRINT_HEX + 1];
};

/* The run `id`, or (sha256 non-NULL) the newest run whose file has that
 * SHA-256.  1 found, 0 not found, or an error. */
static int run_signers_load(struct run_signers *out, struct store *st, int64_t id, const char *sha256,
			    struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_prepare(st, &s, sha256
					? "SELECT msg_id, status, coalesce(voorbereider, ''), coalesce(goedkeurder, ''),"
					  " coalesce(voorbereider_sha256, ''), coalesce(goedkeurder_sha256, '') FROM run"
					  " WHERE sha256 = ?2 ORDER BY id DESC LIMIT 1"
					: "SELECT msg_id, status, coalesce(voorbereider, ''), coalesce(goedkeurder, ''),"
					  " coalesce(voorbereider_sha256, ''), coalesce(goedkeurder_sha256, '') FROM run"
					  " WHERE id = ?1",
				err)) < 0)
		return rc;
	if (sha256)
		sqlite3_bind_text(s, 2, sha256, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(out->msg_id, sizeof(out->msg_id), "%s", store_col(s, 0));
		snprintf(out->status, sizeof(out->status), "%s", store_col(s, 1));
		snprintf(out->voorbereider, sizeof(out->voorbereider), "%s", store_col(s, 2));
		snprintf(out->goedkeurder, sizeof(out->goedkeurder), "%s", store_col(s, 3));
		snprintf(out->voorbereider_sha256, sizeof(out->voorbereider_sha256), "%s", store_col(s, 4));
		snprintf(out->goedkeurder_sha256, sizeof(out->goedkeurder_sha256), "%s", store_col(s, 5));
		rc = 1;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		rc = store_fail(st, rc, "reading the run's signers", err);
	}
	sqlite3_finalize(s);
	return rc;
}

static struct cms_recorded recorded_of(const struct run_signers *rs)
{
	struct cms_recorded rec;

	rec.preparer_sha256 = rs->voorbereider_sha256;
	rec.preparer_subject = rs->voorbereider;
	rec.approver_sha256 = rs->goedkeurder_sha256;
	rec.approver_subject = rs->goedkeurder;
	return rec;
}

/*
 * Put a committed approval (`sig` + APPROVAL_SUFFIX) in place of `sig`, if
 * one waits; with `check`, only after it passed the four-eyes check
 * against the run's record (it was written by a process that was killed).
 */
static int publish_approval(const char *path, const char *sig, const char *trust,
			    const struct cms_recorded *rec, int check, struct br_error *err)
{
	char pending[FSUTIL_PATH_MAX + 32], folder[FSUTIL_PATH_MAX];
	struct cms_four_eyes fe;
	char *slash;
	int rc;

	snprintf(pending, sizeof(pending), "%s%s", sig, APPROVAL_SUFFIX);
	if (!fsutil_exists(pending))
		return 0;
	if (check && (rc = cms_verify_four_eyes(&fe, path, pending, trust, rec, err)) < 0)
		return rc;
	if (rename(pending, sig) != 0)
		return br_error_set(err, BR_EIO, "de goedkeuring %s kan niet in de plaats van %s worden gezet: %s", pending, sig,
				    strerror(errno));
	snprintf(folder, sizeof(folder), "%s", sig);
	if ((slash = strrchr(folder, '/')) != NULL) {
		*slash = '\0';
		return fsutil_sync_dir(folder[0] ? folder : "/", err);
	}
	return fsutil_sync_dir(".", err);
}

/* The approver, the approval time and the preparer's certificate, with
 * the status, in the caller's transaction. */
static int record_approval(struct store *st, int64_t run, const struct cms_four_eyes *fe, const char *ts,
			   struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = store_prepare(st, &s, "UPDATE run SET status = 'APPROVED', goedkeurder = ?2, goedkeurder_sha256 = ?3,"
				" voorbereider_sha256 = ?4, goedgekeurd = ?5 WHERE id = ?1 AND status = 'PREPARED'",
				err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, run);
	sqlite3_bind_text(s, 2, fe->approver.subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, fe->approver.fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, fe->preparer.fingerprint, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, ts, -1, SQLITE_STATIC);
	rc = store_step_done(st, s, "recording the approval", err);
	sqlite3_finalize(s);
	return rc;
}

static void approve_summary(struct payrun_summary *out, const struct run_row *r)
{
	snprintf(out->msg_id, sizeof(out->msg_id), "%s", r->msg_id);
	snprintf(out->sha256, sizeof(out->sha256), "%s", r->sha256);
	snprintf(out->sha1, sizeof(out->sha1), "%s", r->sha1);
	snprintf(out->uitvoerdatum, sizeof(out->uitvoerdatum), "%s", r->uitvoerdatum);
	snprintf(out->folder, sizeof(out->folder), "%s", r->map);
	out->tx = r->aantal;
	out->total_cents = r->totaal_cents;
}

int payrun_describe(struct payrun_summary *out, char status[16], struct store *st, const char *run,
		    struct br_error *err)
{
	struct run_row r;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = run_load(&r, st, run, err)) < 0)
		return rc;
	approve_summary(out, &r);
	snprintf(status, 16, "%s", r.status);
	return 0;
}

/* `approve` of an APPROVED run: done already when it is the recorded
 * approver's certificate (a rerun after a kill); refused for anyone else. */
static int approve_again(struct payrun_summary *out, struct store *st, const struct payrun_env *env,
			 const struct run_row *r, const char *key_path, const char *passphrase, struct br_error *err)
{
	struct run_signers rs;
	struct cms_recorded rec;
	struct cms_four_eyes fe;
	struct cms_signer me;
	char path[FSUTIL_PATH_MAX], sig[FSUTIL_PATH_MAX + 8], b[CMS_SUBJECT_MAX + 8];
	int rc;

	if ((rc = run_signers_load(&rs, st, r->id, NULL, err)) < 0 ||
	    (rc = cms_key_signer(&me, key_path, passphrase, err)) < 0)
		return rc;
	if (!rs.goedkeurder_sha256[0] || strcmp(me.fingerprint, rs.goedkeurder_sha256) != 0)
		return br_error_set(err, BR_EINPUT, "run %s is APPROVED: alleen een voorbereide run kan worden"
				    " goedgekeurd (goedgekeurd door %s)", r->msg_id, rs.goedkeurder);
	rec = recorded_of(&rs);
	if ((rc = check_file_hash(r, path, sizeof(path), err)) < 0)
		return rc;
	snprintf(sig, sizeof(sig), "%s.p7s", path);
	if ((rc = publish_approval(path, sig, env->trust_pem, &rec, 1, err)) < 0 ||
	    (rc = cms_verify_four_eyes(&fe, path, sig, env->trust_pem, &rec, err)) < 0)
		return rc;
	log_event(LOG_INFO, "run al goedgekeurd met dit certificaat; er is niets opnieuw getekend", "run=%s approver=%s",
		  r->msg_id, log_q(b, sizeof(b), me.subject));
	approve_summary(out, r);
	return 0;
}

int payrun_approve(struct payrun_summary *out, struct store *st, const struct payrun_env *env,
		   const char *run, const char *key_path, const char *passphrase, struct br_error *err)
{
	struct run_row r;
	struct run_signers rs;
	struct cms_recorded rec;
	struct cms_four_eyes fe;
	char path[FSUTIL_PATH_MAX], sig[FSUTIL_PATH_MAX + 8], pending[FSUTIL_PATH_MAX + 32];
	char ts[TIMESTAMP_FMT_MAX], b[CMS_SUBJECT_MAX + 8];
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = run_load(&r, st, run, err)) < 0)
		return rc;
	if (strcmp(r.status, "APPROVED") == 0)
		return approve_again(out, st, env, &r, key_path, passphrase, err);
	if (strcmp(r.status, "PREPARED") != 0)
		return br_error_set(err, BR_EINPUT, "run %s is %s: alleen een voorbereide run kan worden"
				    " goedgekeurd", run, r.status);
	if (r.aantal == 0)
		return br_error_set(err, BR_EINPUT, "run %s heeft geen betalingen om goed te keuren", run);
	if ((rc = check_file_hash(&r, path, sizeof(path), err)) < 0 ||
	    (rc = run_signers_load(&rs, st, r.id, NULL, err)) < 0)
		return rc;
	rec = recorded_of(&rs);
	snprintf(sig, sizeof(sig), "%s.p7s", path);
	snprintf(pending, sizeof(pending), "%s%s", sig, APPROVAL_SUFFIX);
	/* verify, check four-eyes and trust, sign: into `pending` only */
	if ((rc = cms_approve_file(&fe, path, sig, pending, env->trust_pem, key_path, passphrase, &rec, err)) < 0)
		return rc;
	if ((rc = store_begin(st, err)) < 0)
		return rc;
	if ((rc = record_approval(st, r.id, &fe, timestamp_format(ts, env->now), err)) < 0 ||
	    (rc = store_commit(st, err)) < 0) {
		store_rollback(st);
		return rc;
	}
	/* recorded: now the approval may replace the preparer's signature */
	if ((rc = publish_approval(path, sig, env->trust_pem, &rec, 0, err)) < 0)
		return rc;
	if (fe.resumed)
		log_event(LOG_INFO, "de handtekening van de goedkeurder stond al in het bestand (een onderbroken"
			  " goedkeuring); nu vastgelegd", "run=%s approver=%s", r.msg_id, log_q(b, sizeof(b), fe.approver.subject));
	approve_summary(out, &r);
	return 0;
}

/*
 * A cancelled run's payment file must not look like one ready to upload:
 * pain.001.xml, its signatures and an approval waiting beside them are
 * renamed CANCELLED_PREFIX + name with ".txt" after "pain.001.xml" (a bank
 * portal takes .xml, and the name says what it is).  Renamed, not removed:
 * the bytes stay as evidence of what was signed and cancelled, the run
 * keeps their SHA-256 (run.sha256, manifest.xml), and `verify` of the
 * renamed file finds the run and says it was cancelled.  `dir` 1 renames,
 * 0 renames back (cancel could not be recorded); a name already renamed
 * (a cancel killed before its commit, run again) is left as it is.
 */
#define CANCELLED_PREFIX "GEANNULEERD-"

static int cancel_rename_files(const struct run_row *r, int dir, struct br_error *err)
{
	static const char *const names[] = { "", ".p7s", ".p7s" APPROVAL_SUFFIX };
	char live[FSUTIL_PATH_MAX], name[64], gone[FSUTIL_PATH_MAX];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(name, sizeof(name), "pain.001.xml%s", names[i]);
		if ((rc = run_file(live, sizeof(live), r->map, name, err)) < 0)
			return rc;
		snprintf(name, sizeof(name), CANCELLED_PREFIX "pain.001.xml.txt%s", names[i]);
		if ((rc = run_file(gone, sizeof(gone), r->map, name, err)) < 0)
			return rc;
		if (!fsutil_exists(dir ? live : gone))
			continue;
		if (rename(dir ? live : gone, dir ? gone : live) != 0)
			return br_error_set(err, BR_EIO, "%s kan niet worden hernoemd: %s", dir ? live : gone, strerror(errno));
	}
	return fsutil_exists(r->map) ? fsutil_sync_dir(r->map, err) : 0;
}

int payrun_cancel(struct store *st, const struct payrun_env *env, const char *run, struct br_error *err)
{
	struct run_row r;
	char ts[TIMESTAMP_FMT_MAX];
	int rc;

	if ((rc = run_load(&r, st, run, err)) < 0)
		return rc;
	if (strcmp(r.status, "PREPARED") != 0 && strcmp(r.status, "APPROVED") != 0)
		return br_error_set(err, BR_EINPUT, "run %s is %s: alleen een voorbereide of goedgekeurde run"
				    " kan worden geannuleerd", run, r.status);
	if ((rc = cancel_rename_files(&r, 1, err)) < 0 || (rc = store_begin(st, err)) < 0)
		return rc;
	if ((rc = set_status(st, r.id, "CANCELLED", "geannuleerd", timestamp_format(ts, env->now), err)) < 0 ||
	    (rc = run_discard(st, r.id, err)) < 0 || (rc = store_commit(st, err)) < 0) {
		struct br_error ignore;

		store_rollback(st);
		br_error_clear(&ignore);
		cancel_rename_files(&r, 0, &ignore);
		return rc;
	}
	return 0;
}

/* Release's four-eyes: an approval a killed approve committed but did not
 * put in place is published first, then the .p7s must be the run's
 * recorded preparer and approver, both trusted, two people. */
static int check_signatures(const struct run_row *r, struct store *st, const char *path, const char *trust,
			    struct br_error *err)
{
	struct run_signers rs;
	struct cms_recorded rec;
	struct cms_four_eyes fe;
	char sig[FSUTIL_PATH_MAX + 8];
	int rc;

	if ((rc = run_signers_load(&rs, st, r->id, NULL, err)) < 0)
		return rc;
	rec = recorded_of(&rs);
	snprintf(sig, sizeof(sig), "%s.p7s", path);
	if ((rc = publish_approval(path, sig, trust, &rec, 1, err)) < 0)
		return rc;
	return cms_verify_four_eyes(&fe, path, sig, trust, &rec, err);
}

int payrun_release(struct payrun_summary *out, struct store *st, const struct payrun_env *env,
		   const char *run, struct br_error *err)
{
	struct run_row r;
	char path[FSUTIL_PATH_MAX], outbox[FSUTIL_PATH_MAX], dst[FSUTIL_PATH_MAX], name[64];
	char sig[FSUTIL_PATH_MAX + 8], today[DATE_FMT_MAX];
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = run_load(&r, st, run, err)) < 0)
		return rc;
	if (strcmp(r.status, "APPROVED") != 0)
		return br_error_set(err, BR_EINPUT, "run %s is %s: alleen een goedgekeurde run kan worden"
				    " vrijgegeven", run, r.status);
	if ((rc = check_file_hash(&r, path, sizeof(path), err)) < 0 ||
	    (rc = check_signatures(&r, st, path, env->trust_pem, err)) < 0)
		return rc;
	date_format(today, timestamp_day(env->now));
	if (strcmp(today, r.uitvoerdatum) > 0)
		return br_error_set(err, BR_EINPUT, "de gevraagde uitvoerdatum %s van run %s is verstreken: annuleer"
				    " de run en bereid hem opnieuw voor", r.uitvoerdatum, run);
	/* hand the file to the bank's outbox (idempotent: the same bytes) */
	if ((rc = fsutil_join(outbox, sizeof(outbox), env->home, "outbox", err)) < 0 ||
	    (rc = fsutil_mkdirs(outbox, 0700, err)) < 0 || (rc = fsutil_clean_temp(outbox, err)) < 0)
		return rc;
	snprintf(name, sizeof(name), "%s.xml", r.msg_id);
	if ((rc = fsutil_join(dst, sizeof(dst), outbox, name, err)) < 0 ||
	    (rc = fsutil_copy_atomic(dst, path, 0, 0600, err)) < 0)
		return rc;
	snprintf(sig, sizeof(sig), "%s.p7s", path);
	snprintf(name, sizeof(name), "%s.xml.p7s", r.msg_id);
	if ((rc = fsutil_join(dst, sizeof(dst), outbox, name, err)) < 0 ||
	    (rc = fsutil_copy_atomic(dst, sig, 0, 0600, err)) < 0)
		return rc;
	/* the payments count as paid only now, with the status, in one go */
	if ((rc = store_begin(st, err)) < 0)
		return rc;
	if ((rc = ledger_release(st, r.id, today, err)) < 0 ||
	    (rc = bankfeedback_owed_settle(st, r.id, err)) < 0 ||
	    (rc = set_status(st, r.id, "RELEASED", "vrijgegeven", today, err)) < 0 ||
	    (rc = store_commit(st, err)) < 0) {
		store_rollback(st);
		return rc;
	}
	snprintf(out->msg_id, sizeof(out->msg_id), "%s", r.msg_id);
	snprintf(out->sha256, sizeof(out->sha256), "%s", r.sha256);
	snprintf(out->sha1, sizeof(out->sha1), "%s", r.sha1);
	snprintf(out->folder, sizeof(out->folder), "%s", outbox);
	out->tx = r.aantal;
	out->total_cents = r.totaal_cents;
	return 0;
}

int payrun_verify(struct store *st, const struct payrun_env *env, const char *file, struct br_error *err)
{
	struct run_signers rs;
	struct cms_recorded rec;
	struct cms_four_eyes fe;
	char sha[SHA256_HEX_LEN + 1], sha1[SHA1_HEX_LEN + 1], sig[FSUTIL_PATH_MAX + 8];
	char pending[FSUTIL_PATH_MAX + 32];
	size_t i;
	int rc, found;

	if ((rc = fsutil_digest_file(sha, sha1, file, UINT64_MAX, NULL, err)) < 0)
		return rc;
	printf("bestand       %s\nsha256        %s\nsha1          %s\n", file, sha, sha1);
	snprintf(sig, sizeof(sig), "%s.p7s", file);
	if (!fsutil_exists(sig))
		return br_error_set(err, BR_EINPUT, "geen handtekeningbestand %s naast het betaalbestand", sig);
	if ((found = run_signers_load(&rs, st, 0, sha, err)) < 0)
		return found;
	rec = recorded_of(&rs);
	/* the one four-eyes check, against the run's recorded signers if any */
	rc = cms_verify_four_eyes(&fe, file, sig, env->trust_pem, found ? &rec : NULL, err);
	for (i = 0; i < fe.n_signers; i++)
		printf("ondertekenaar %zu  %s (certificaat sha256 %s)\n", i + 1, fe.signers[i].subject,
		       fe.signers[i].fingerprint);
	if (found)
		printf("run           %s (%s)\n", rs.msg_id, rs.status);
	/* a cancelled run's file is evidence, never a payment (payrun_cancel):
	 * that is the answer, whatever its signatures say (a run cancelled
	 * before approval has one) */
	if (found && strcmp(rs.status, "CANCELLED") == 0) {
		if (err)
			br_error_clear(err);
		return br_error_set(err, BR_EINPUT, "run %s is geannuleerd: dit bestand mag niet naar de bank",
				    rs.msg_id);
	}
	snprintf(pending, sizeof(pending), "%s%s", sig, APPROVAL_SUFFIX);
	if (rc < 0 && fe.n_signers == 1 && fsutil_exists(pending))
		log_event(LOG_WARN, "een onderbroken goedkeuring staat naast het handtekeningbestand: de"
			  " goedkeurder start approve opnieuw, of release zet haar op haar plaats", NULL);
	if (rc < 0)
		return rc;
	if (!found)
		return br_error_set(err, BR_EINPUT, "het grootboek kent geen run met de SHA-256 van dit bestand: betaalrun"
				    " heeft het niet voorbereid, of het is gewijzigd");
	if (!rs.goedkeurder[0] && !rs.goedkeurder_sha256[0])
		return br_error_set(err, BR_EINPUT, "run %s heeft geen goedkeuring vastgelegd (status %s): de tweede"
				    " handtekening, van %s, is niet van een goedkeurder die de run vastlegde", rs.msg_id,
				    rs.status, fe.approver.subject);
	printf("voorbereider  %s\ngoedkeurder   %s\n", fe.preparer.subject, fe.approver.subject);
	printf("geverifieerd: twee vertrouwde handtekeningen van verschillende mensen, de voorbereider en de"
	       " goedkeurder die run %s vastlegde; het grootboek kent dit bestand\n", rs.msg_id);
	return 0;
}

/*
 * payments.md: `runs` shows per released run the bank's view: payments
 * settled (ACSC), rejected (pain.002), returned (camt), or without a final
 * status, and the batches debited on the statements.
 */
static const char runs_sql[] =
	"SELECT r.msg_id, r.maand, r.status, r.aanvullend, r.uitvoerdatum, r.aantal, r.totaal_cents, r.aangemaakt,"
	" (SELECT count(*) FROM batch p JOIN betaling b ON b.batch = p.id WHERE p.run = r.id AND b.status = 'ACSC'"
	"  AND NOT EXISTS (SELECT 1 FROM terugboeking t WHERE t.betaling = b.id)),"
	" (SELECT count(*) FROM terugboeking t JOIN betaling b ON b.id = t.betaling WHERE b.run = r.id AND t.bron = 'pain002'),"
	" (SELECT count(*) FROM terugboeking t JOIN betaling b ON b.id = t.betaling WHERE b.run = r.id AND t.bron = 'camt'),"
	" (SELECT count(p.pmtinf_id) FROM batch p WHERE p.run = r.id),"
	" (SELECT count(*) || ' ' || coalesce(min(boekdatum), '') || ' ' || coalesce(max(boekdatum), '')"
	"  FROM afschrijving a WHERE a.run = r.id)"
	" FROM run r ORDER BY r.id";

static void print_bank_view(sqlite3_stmt *s)
{
	long n = (long)sqlite3_column_int64(s, 5), settled = (long)sqlite3_column_int64(s, 8);
	long rejected = (long)sqlite3_column_int64(s, 9), returned = (long)sqlite3_column_int64(s, 10);
	long batches = (long)sqlite3_column_int64(s, 11), debited = 0;
	char from[16] = "", to[16] = "";

	sscanf(store_col(s, 12), "%ld %15s %15s", &debited, from, to);
	printf("  bank: %ld verwerkt, %ld geweigerd, %ld teruggestort, %ld zonder eindstatus%s\n", settled,
	       rejected, returned, n - settled - rejected - returned,
	       n > 0 && rejected == n ? " (DOOR DE BANK GEWEIGERD: `run --month M --aanvullend` betaalt opnieuw)" : "");
	if (debited)
		printf("  afgeschreven op %s%s%s (%ld van %ld batches)\n", from, strcmp(from, to) ? " t/m " : "",
		       strcmp(from, to) ? to : "", debited, batches);
	else
		printf("  nog geen afschrijving op een afschrift (%ld batches)\n", batches);
}

int payrun_list(struct store *st, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char amount[MONEY_FMT_MAX + 8];
	int rc;

	if ((rc = store_prepare(st, &s, runs_sql, err)) < 0)
		return rc;
	printf("%-18s %-8s %-11s %-10s %8s %18s  %s\n", "run", "maand", "status", "uitvoering", "aantal",
	       "totaal", "aangemaakt");
	while (sqlite3_step(s) == SQLITE_ROW) {
		printf("%-18s %-8s %-11s %-10s %8lld %18s  %s%s\n", store_col(s, 0), store_col(s, 1), store_col(s, 2), store_col(s, 4),
		       (long long)sqlite3_column_int64(s, 5),
		       money_format_nl(amount, sizeof(amount), sqlite3_column_int64(s, 6)), store_col(s, 7),
		       sqlite3_column_int(s, 3) ? " (aanvullend)" : "");
		if (strcmp(store_col(s, 2), "RELEASED") == 0)
			print_bank_view(s);
	}
	sqlite3_finalize(s);
	return 0;
}

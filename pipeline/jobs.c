/*
 * jobs.c — see jobs.h.  The semantics are signals.md's; the tables
 * are store.c migration 4.
 *
 * Every function that writes is atomic on its own: in a transaction of its
 * own when the caller has none (BEGIN IMMEDIATE, as everywhere in the
 * store), else in a savepoint inside the caller's transaction, so that a
 * failure undoes exactly this call and leaves the rest to the caller.
 *
 * The audit trail (taak_gebeurtenis) gets one row per event: OPEN when a
 * job is created, JOIN when a signal or a pipeline event joins an open job
 * (with what changed: due date, priority), IN_BEHANDELING when a consultant
 * takes it, AFGEROND when it is closed.  The triggers of migration 4 make
 * the trail append-only and a closed job unchangeable; this file relies on
 * them instead of repeating them.
 *
 * A pipeline event's `sleutel` is kept in taak.sleutel when the event opens
 * the job, and in the reason of its JOIN event ("[sleutel] omschrijving")
 * when it joins one: both count for "this event was seen already", so an
 * event that joined a job that has since been closed does not open a new
 * job either (jobs.h: the same event never opens a job again once one
 * was closed for it).
 *
 * Free text from a signal (its Omschrijving) reaches hold reasons, job
 * descriptions and listings only with every run of nine digits masked
 * (log_mask_digits): whatever a sender wrote there, no BSN is copied out
 * of the signal table.  What `jobs list` and `jobs show` print is masked
 * the same way, every value of it: a dossier number, a kenmerk in a key,
 * a signal id or an operator's name can hold a run of nine digits as well
 * (the specification writer masks its text likewise).
 */
#include "jobs.h"

#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include "date.h"
#include "fsutil.h"
#include "levering.h"
#include "log.h"
#include "money.h"
#include "reden_nl.h"

#include "textbuf.h"
#include "worklist.h"
#include "banned.h"

/* The HERBEREKENING row of the signal table (priority 3, due 0 days): the
 * job is closed when it is opened, so these only fill its columns, and
 * jobs_record_herberekening is called without the table. */
#define HERBEREKENING_TAAK "HERBEREKENING"
#define HERBEREKENING_PRIORITEIT 3

#define REDEN_MAX 2048          /* an event's or hold's reason, cut beyond */
#define TEXT_MAX 1024           /* free text copied from a signal, cut beyond */
#define SHOWN_MAX 256           /* one value a listing shows (an id, a name, a key) */
#define CSV_MAX ((size_t)512 * 1024 * 1024)  /* the worklist CSV */
#define STATUS_MAX 16

/* ---- transactions ------------------------------------------------------ */

struct tx {
	struct store *st;
	int own;   /* 1: our transaction; 0: a savepoint in the caller's */
};

static int tx_begin(struct tx *t, struct store *st, struct br_error *err)
{
	t->st = st;
	t->own = sqlite3_get_autocommit(store_db(st)) != 0;
	if (t->own)
		return store_begin(st, err);
	return store_exec(st, "SAVEPOINT signals", err);
}

/* Commit on rc == 0, else undo; returns the final code. */
static int tx_end(struct tx *t, int rc, struct br_error *err)
{
	if (rc == 0) {
		rc = t->own ? store_commit(t->st, err) : store_exec(t->st, "RELEASE signals", err);
		if (rc == 0)
			return 0;
	}
	if (t->own)
		store_rollback(t->st);
	else
		(void)sqlite3_exec(store_db(t->st), "ROLLBACK TO signals; RELEASE signals", NULL, NULL, NULL);
	return rc;
}

/* ---- statements ---------------------------------------------------------- */

enum {
	Q_OPEN_JOB, Q_INSERT_JOB, Q_UPDATE_URGENCY, Q_INSERT_EVENT, Q_LINK_SIGNAL,
	Q_HOLD_COVERED, Q_INSERT_HOLD, Q_KEY_SEEN, Q_COUNT
};

static const char *const sql[Q_COUNT] = {
	[Q_OPEN_JOB] = "SELECT id, prioriteit, vervaldatum, status FROM taak"
		" WHERE dossier = ?1 AND soort = ?2 AND status <> 'AFGEROND'",
	[Q_INSERT_JOB] = "INSERT INTO taak (dossier, soort, prioriteit, vervaldatum, status, omschrijving,"
		" sleutel, aangemaakt) VALUES (?1, ?2, ?3, ?4, 'OPEN', ?5, ?6, ?7)",
	[Q_UPDATE_URGENCY] = "UPDATE taak SET prioriteit = ?2, vervaldatum = ?3 WHERE id = ?1",
	[Q_INSERT_EVENT] = "INSERT INTO taak_gebeurtenis (taak, tijd, door, gebeurtenis, van_status,"
		" naar_status, reden) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[Q_LINK_SIGNAL] = "INSERT OR IGNORE INTO taak_signaal (taak, signaal) VALUES (?1, ?2)",
	/* an active hold of this job from the same or an earlier date covers a new one */
	[Q_HOLD_COVERED] = "SELECT 1 FROM opschorting WHERE dossier = ?3 AND taak = ?1"
		" AND opgeheven IS NULL AND vanaf <= ?2 LIMIT 1",
	[Q_INSERT_HOLD] = "INSERT INTO opschorting (dossier, bron, vanaf, reden, ingesteld_door, taak)"
		" VALUES (?1, 'SIGNAAL', ?2, ?3, ?4, ?5)",
	/* the event was seen: it opened a job of this kind, or joined one
	 * (its JOIN event's reason starts "[key] "; the expression is the
	 * one migration 14 indexes, written the same way so it is used) */
	[Q_KEY_SEEN] = "SELECT 1 FROM taak WHERE dossier IS ?1 AND soort = ?2 AND sleutel = ?3"
		" UNION ALL"
		" SELECT 1 FROM taak t JOIN taak_gebeurtenis g ON g.taak = t.id"
		" WHERE t.dossier IS ?1 AND t.soort = ?2 AND g.gebeurtenis = 'JOIN' AND substr(g.reden, 1, 1) = '['"
		" AND substr(g.reden, 2, instr(g.reden, '] ') - 2) = ?3"
		" LIMIT 1",
};

/* Statements prepared on first use, for the duration of one call. */
struct jobs {
	struct store *st;
	sqlite3_stmt *q[Q_COUNT];
	char tijd[TIMESTAMP_FMT_MAX];   /* `now` for the audit trail */
};

static void jobs_init(struct jobs *j, struct store *st, int64_t now)
{
	memset(j, 0, sizeof(*j));
	j->st = st;
	timestamp_format(j->tijd, now);
}

static void jobs_release(struct jobs *j)
{
	int i;

	for (i = 0; i < Q_COUNT; i++) {
		store_give_back(j->st, j->q[i]);
		j->q[i] = NULL;
	}
}

static int jq(struct jobs *j, int which, sqlite3_stmt **out, struct br_error *err)
{
	int rc;

	if (!j->q[which] && (rc = store_borrow(j->st, &j->q[which], sql[which], err)) < 0)
		return rc;
	sqlite3_reset(j->q[which]);
	sqlite3_clear_bindings(j->q[which]);
	*out = j->q[which];
	return 0;
}

/* Run a borrowed, bound query: 1 when it has a row, 0 when not, < 0 on a
 * store error (`what` says what was looked for). */
static int row_exists(struct jobs *j, sqlite3_stmt *s, const char *what, struct br_error *err)
{
	int step = sqlite3_step(s);

	sqlite3_reset(s);
	if (step == SQLITE_ROW)
		return 1;
	if (step != SQLITE_DONE)
		return store_fail(j->st, step, what, err);
	return 0;
}

/* Copy free text, cut to the buffer, with every nine-digit run masked. */
static char *masked(char *buf, size_t cap, const char *s)
{
	snprintf(buf, cap, "%s", s ? s : "");
	log_mask_digits(buf);
	return buf;
}

/* Non-empty and not only blanks. */
/* A job's dossier, or NULL for an operator's job (dossier 0: BANK). */
static void bind_dossier(sqlite3_stmt *s, int i, int64_t dossier)
{
	if (dossier > 0)
		sqlite3_bind_int64(s, i, dossier);
	else
		sqlite3_bind_null(s, i);
}

static int has_text(const char *s)
{
	if (!s)
		return 0;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 1;
	return 0;
}

/* ---- the audit trail ------------------------------------------------------ */

static int add_event(struct jobs *j, int64_t taak, const char *door, const char *gebeurtenis,
		     const char *van, const char *naar, const char *reden, struct br_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = jq(j, Q_INSERT_EVENT, &s, err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, taak);
	store_bind_text(s, 2, j->tijd, 0);
	store_bind_text(s, 3, door, 0);
	store_bind_text(s, 4, gebeurtenis, 0);
	store_bind_text(s, 5, van, 0);
	store_bind_text(s, 6, naar, 0);
	store_bind_text(s, 7, reden, 0);
	return store_step_done(j->st, s, "recording a job event", err);
}

/* ---- open or join ----------------------------------------------------------- */

struct want {
	int64_t dossier;
	const char *soort;          /* job kind */
	int prioriteit;
	int32_t due;
	const char *sleutel;        /* a pipeline event's key, or NULL */
	const char *omschrijving;   /* of a new job (and its OPEN event) */
	const char *waarom;         /* the JOIN event's reason when it joins */
};

/*
 * signals.md: one open job per dossier and kind.  Join the open job (keep
 * the earlier due date and the higher priority, record a JOIN event) or
 * open a new one (record an OPEN event).
 */
static int job_upsert(struct jobs *j, const struct want *w, int64_t *out_id, int *out_created,
		      struct br_error *err)
{
	sqlite3_stmt *s;
	char due_s[DATE_FMT_MAX], old_s[DATE_FMT_MAX], status[STATUS_MAX], reden[REDEN_MAX];
	int32_t old_due, new_due;
	int old_prio, new_prio, step, rc;
	int64_t id;
	size_t n;

	if ((rc = jq(j, Q_OPEN_JOB, &s, err)) < 0)
		return rc;
	bind_dossier(s, 1, w->dossier);
	store_bind_text(s, 2, w->soort, 0);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		old_prio = sqlite3_column_int(s, 1);
		snprintf(status, sizeof(status), "%s", store_col(s, 3));
		rc = store_col_date(&old_due, s, 2, 0, "a job's due date", err);
		sqlite3_reset(s);
		if (rc < 0)
			return rc;
		new_prio = w->prioriteit < old_prio ? w->prioriteit : old_prio;
		new_due = w->due < old_due ? w->due : old_due;
		n = (size_t)snprintf(reden, sizeof(reden), "%s", w->waarom);
		if (new_prio != old_prio || new_due != old_due) {
			if ((rc = jq(j, Q_UPDATE_URGENCY, &s, err)) < 0)
				return rc;
			sqlite3_bind_int64(s, 1, id);
			sqlite3_bind_int(s, 2, new_prio);
			store_bind_date(s, 3, new_due, NULL);
			if ((rc = store_step_done(j->st, s, "making a job more urgent", err)) < 0)
				return rc;
		}
		if (new_due != old_due && n < sizeof(reden))
			n += (size_t)snprintf(reden + n, sizeof(reden) - n, "; vervaldatum %s -> %s",
					      date_format(old_s, old_due), date_format(due_s, new_due));
		if (new_prio != old_prio && n < sizeof(reden))
			snprintf(reden + n, sizeof(reden) - n, "; prioriteit %d -> %d", old_prio, new_prio);
		if ((rc = add_event(j, id, JOBS_SYSTEEM, "JOIN", status, status, reden, err)) < 0)
			return rc;
		*out_id = id;
		*out_created = 0;
		return 0;
	}
	sqlite3_reset(s);
	if (step != SQLITE_DONE)
		return store_fail(j->st, step, "looking for an open job", err);

	if ((rc = jq(j, Q_INSERT_JOB, &s, err)) < 0)
		return rc;
	bind_dossier(s, 1, w->dossier);
	store_bind_text(s, 2, w->soort, 0);
	sqlite3_bind_int(s, 3, w->prioriteit);
	store_bind_date(s, 4, w->due, NULL);
	store_bind_text(s, 5, w->omschrijving, 0);
	store_bind_text(s, 6, w->sleutel, 0);
	store_bind_text(s, 7, j->tijd, 0);
	if ((rc = store_step_done(j->st, s, "opening a job", err)) < 0)
		return rc;
	id = sqlite3_last_insert_rowid(store_db(j->st));
	if ((rc = add_event(j, id, JOBS_SYSTEEM, "OPEN", NULL, "OPEN", w->omschrijving, err)) < 0)
		return rc;
	*out_id = id;
	*out_created = 1;
	return 0;
}

/* ---- jobs_match_signals ---------------------------------------------------------- */

struct sig {
	int64_t id;
	const char *signaal_id, *soort;
	int32_t signaaldatum, periode_begin;
	char omschrijving[TEXT_MAX];   /* masked */
};

/* One signal for one dossier: the job, the link and, for HOLD, the hold. */
static int match_one(struct jobs *j, const struct signal_kind *k, const struct sig *g, int64_t dossier,
		     struct jobs_match_result *res, struct br_error *err)
{
	char omschrijving[REDEN_MAX], waarom[REDEN_MAX], reden[REDEN_MAX];
	const char *sep = g->omschrijving[0] ? ": " : "";
	struct want w;
	sqlite3_stmt *s;
	int64_t taak;
	int created, rc;

	snprintf(omschrijving, sizeof(omschrijving), "signaal %s (%s)%s%s", g->soort, g->signaal_id, sep,
		 g->omschrijving);
	snprintf(waarom, sizeof(waarom), "signaal %s (%s) toegevoegd%s%s", g->soort, g->signaal_id, sep,
		 g->omschrijving);
	memset(&w, 0, sizeof(w));
	w.dossier = dossier;
	w.soort = k->taak;
	w.prioriteit = k->prioriteit;
	w.due = g->signaaldatum + k->termijn_dagen;   /* signals.md: due = signal date + days */
	w.omschrijving = omschrijving;
	w.waarom = waarom;
	if ((rc = job_upsert(j, &w, &taak, &created, err)) < 0)
		return rc;
	res->new_jobs += created;

	if ((rc = jq(j, Q_LINK_SIGNAL, &s, err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, taak);
	sqlite3_bind_int64(s, 2, g->id);
	if ((rc = store_step_done(j->st, s, "joining a signal to its job", err)) < 0)
		return rc;

	if (k->effect != SIGNAL_EFFECT_HOLD)
		return 0;
	/* signals.md: every hold starts at the signal's PeriodeBegin; an active
	 * hold of the job from that date or earlier already covers it */
	if ((rc = jq(j, Q_HOLD_COVERED, &s, err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, taak);
	store_bind_date(s, 2, g->periode_begin, NULL);
	sqlite3_bind_int64(s, 3, dossier); /* the index: a job's holds are its dossier's */
	if ((rc = row_exists(j, s, "looking for a hold", err)) != 0)
		return rc < 0 ? rc : 0;
	snprintf(reden, sizeof(reden), "%s%s%s", g->soort, sep, g->omschrijving);
	if ((rc = jq(j, Q_INSERT_HOLD, &s, err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, dossier);
	store_bind_date(s, 2, g->periode_begin, NULL);
	store_bind_text(s, 3, reden, 0);
	store_bind_text(s, 4, g->signaal_id, 0);
	sqlite3_bind_int64(s, 5, taak);
	if ((rc = store_step_done(j->st, s, "holding payment for a signal", err)) < 0)
		return rc;
	res->holds++;
	return 0;
}

int jobs_match_signals(struct jobs_match_result *out, struct store *st, const struct signaltable *t,
		  int64_t now, struct br_error *err)
{
	struct jobs_match_result res;
	struct jobs j;
	struct tx tx;
	sqlite3_stmt *sigs = NULL, *dos = NULL;
	int rc, step, step2, any;

	memset(&res, 0, sizeof(res));
	if (!st || !t)
		return br_error_set(err, BR_EINTERNAL, "jobs_match_signals: geen opslag of geen signaaltabel");
	jobs_init(&j, st, now);
	if ((rc = tx_begin(&tx, st, err)) < 0)
		return rc;
	if ((rc = store_prepare(st, &sigs,
				"SELECT s.id, s.signaal_id, s.soort, s.signaaldatum, s.periode_begin,"
				" s.omschrijving, s.bsn FROM signaal s"
				" WHERE NOT EXISTS (SELECT 1 FROM taak_signaal ts WHERE ts.signaal = s.id)"
				" ORDER BY s.id", err)) < 0)
		goto out;
	/* the dossiers whose latest stand has this BSN as applicant or partner */
	if ((rc = store_prepare(st, &dos,
				"SELECT st.dossier FROM persoon p JOIN stand st ON st.aanvrager = p.id"
				" WHERE p.bsn = ?1 AND st.vanaf ="
				" (SELECT max(x.vanaf) FROM stand x WHERE x.dossier = st.dossier)"
				" UNION"
				" SELECT st.dossier FROM persoon p JOIN stand st ON st.partner = p.id"
				" WHERE p.bsn = ?1 AND st.vanaf ="
				" (SELECT max(x.vanaf) FROM stand x WHERE x.dossier = st.dossier)"
				" ORDER BY 1", err)) < 0)
		goto out;

	while ((step = sqlite3_step(sigs)) == SQLITE_ROW) {
		const struct signal_kind *k;
		struct sig g;

		g.id = sqlite3_column_int64(sigs, 0);
		g.signaal_id = store_col(sigs, 1);
		g.soort = store_col(sigs, 2);
		masked(g.omschrijving, sizeof(g.omschrijving), store_col(sigs, 5));
		if (!(k = signaltable_find(t, g.soort))) {
			/* the table is the contract (signaltable.h): intake refused
			 * such files, so the table lost a kind it had */
			rc = br_error_set(err, BR_ECONFIG,
					  "signaal %s heeft soort %s, die de signaaltabel niet kent;"
					  " zet die terug in signaaltabel.xml", g.signaal_id, g.soort);
			goto out;
		}
		if ((rc = store_col_date(&g.signaaldatum, sigs, 3, 0, "a Signaaldatum", err)) < 0 ||
		    (rc = store_col_date(&g.periode_begin, sigs, 4, 0, "a PeriodeBegin", err)) < 0)
			goto out;
		sqlite3_reset(dos);
		sqlite3_clear_bindings(dos);
		sqlite3_bind_text(dos, 1, store_col(sigs, 6), -1, SQLITE_TRANSIENT);
		any = 0;
		while ((step2 = sqlite3_step(dos)) == SQLITE_ROW) {
			any = 1;
			if ((rc = match_one(&j, k, &g, sqlite3_column_int64(dos, 0), &res, err)) < 0)
				goto out;
		}
		if (step2 != SQLITE_DONE) {
			rc = store_fail(st, step2, "matching a signal to its dossiers", err);
			goto out;
		}
		if (any)
			res.matched++;
		else
			res.unmatched++;
	}
	if (step != SQLITE_DONE)
		rc = store_fail(st, step, "reading signals without a job", err);
out:
	sqlite3_finalize(dos);
	sqlite3_finalize(sigs);
	jobs_release(&j);
	rc = tx_end(&tx, rc, err);
	if (rc == 0 && out)
		*out = res;
	return rc;
}

/* ---- pipeline jobs ------------------------------------------------------------ */

/* 1 when the dossier's job of kind jk was raised or joined for this key
 * before, 0 when not, < 0 on a store error. */
static int key_seen(struct jobs *j, int64_t dossier, const struct job_kind *jk, const char *sleutel,
		    struct br_error *err)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = jq(j, Q_KEY_SEEN, &s, err)) < 0)
		return rc;
	bind_dossier(s, 1, dossier);
	store_bind_text(s, 2, jk->taak, 0);
	store_bind_text(s, 3, sleutel, 0);
	return row_exists(j, s, "looking for an earlier job for this event", err);
}

int jobs_open_event(int64_t *out_id, struct store *st, const struct signaltable *t, int64_t dossier,
		    const char *taak, int32_t from_day, const char *sleutel, const char *omschrijving,
		    int64_t now, struct br_error *err)
{
	const struct job_kind *jk;
	char waarom[REDEN_MAX], text[TEXT_MAX];
	struct want w;
	struct jobs j;
	struct tx tx;
	int64_t id = 0;
	int created, rc;

	if (out_id)
		*out_id = 0;
	if (!st || !t || !taak || from_day == DATE_NONE)
		return br_error_set(err, BR_EINTERNAL, "jobs_open_event: opslag, tabel, soort of datum ontbreekt");
	if (!(jk = signaltable_find_job(t, taak)))
		return br_error_set(err, BR_ECONFIG, "de signaaltabel heeft geen Taak %s (signaaltabel.xml)", taak);
	if (sleutel && (!sleutel[0] || strchr(sleutel, ']')))
		return br_error_set(err, BR_EINTERNAL, "taaksleutel '%s' is leeg of bevat ']'", sleutel);
	jobs_init(&j, st, now);
	/* A run raises the same events every month for as long as the
	 * history shows them; most were seen, and the check is a read, so it
	 * comes first, before the text and the savepoint (issue 13).  Nothing
	 * else writes between the check and the upsert: one process holds
	 * the store. */
	if (sleutel && (rc = key_seen(&j, dossier, jk, sleutel, err)) != 0) {
		jobs_release(&j);
		return rc < 0 ? rc : 0;   /* seen: nothing new */
	}
	masked(text, sizeof(text), has_text(omschrijving) ? omschrijving : taak);
	if (sleutel)
		snprintf(waarom, sizeof(waarom), "[%s] %s", sleutel, text);
	else
		snprintf(waarom, sizeof(waarom), "%s", text);
	if ((rc = tx_begin(&tx, st, err)) < 0) {
		jobs_release(&j);
		return rc;
	}
	memset(&w, 0, sizeof(w));
	w.dossier = dossier;
	w.soort = jk->taak;
	w.prioriteit = jk->prioriteit;
	w.due = from_day + jk->termijn_dagen;
	w.sleutel = sleutel;
	w.omschrijving = text;
	w.waarom = waarom;
	rc = job_upsert(&j, &w, &id, &created, err);
	jobs_release(&j);
	rc = tx_end(&tx, rc, err);
	if (rc == 0 && out_id)
		*out_id = id;
	return rc;
}

int jobs_open_proposal(int64_t *out_id, struct store *st, const struct signaltable *t, int64_t dossier,
		       const char *taak, int32_t from_day, const char *sleutel, const char *omschrijving,
		       int64_t amount_cents, int64_t now, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	int64_t id = 0;
	int rc;

	if ((rc = jobs_open_event(&id, st, t, dossier, taak, from_day, sleutel, omschrijving, now, err)) < 0)
		return rc;
	if (out_id)
		*out_id = id;
	if (!id)
		return 0;
	if ((rc = store_prepare(st, &s, "UPDATE taak SET bedrag_cents = ?2 WHERE id = ?1 AND bedrag_cents IS NULL"
				" AND status <> 'AFGEROND'", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, amount_cents);
	rc = store_step_done(st, s, "recording a job's amount", err);
	sqlite3_finalize(s);
	return rc;
}

int jobs_record_herberekening(struct store *st, int64_t dossier, const char *sleutel,
			      const char *omschrijving, int64_t difference_cents, int64_t now,
			      struct br_error *err)
{
	char text[TEXT_MAX], reden[REDEN_MAX], amount[MONEY_FMT_MAX + 8], due[DATE_FMT_MAX];
	struct jobs j;
	struct tx tx;
	sqlite3_stmt *s = NULL;
	int64_t id;
	int rc;

	if (!st)
		return br_error_set(err, BR_EINTERNAL, "jobs_record_herberekening: geen opslag");
	masked(text, sizeof(text), has_text(omschrijving) ? omschrijving : "herberekening");
	snprintf(reden, sizeof(reden), "automatische herberekening, verschil %s",
		 money_format_nl(amount, sizeof(amount), difference_cents));
	date_format(due, timestamp_day(now));
	jobs_init(&j, st, now);
	if ((rc = tx_begin(&tx, st, err)) < 0)
		return rc;
	/* the same re-settlement (same key) is recorded once, also when a run
	 * is prepared again */
	if (sleutel && sleutel[0]) {
		if ((rc = store_prepare(st, &s, "SELECT 1 FROM taak WHERE dossier = ?1 AND soort = ?2"
					" AND sleutel = ?3", err)) < 0)
			goto out;
		sqlite3_bind_int64(s, 1, dossier);
		store_bind_text(s, 2, HERBEREKENING_TAAK, 0);
		store_bind_text(s, 3, sleutel, 0);
		if (sqlite3_step(s) == SQLITE_ROW) {
			sqlite3_finalize(s);
			s = NULL;
			rc = 0;
			goto out;
		}
		sqlite3_finalize(s);
		s = NULL;
	}
	/* inserted closed: the triggers only refuse changes to a closed row */
	if ((rc = store_prepare(st, &s,
				"INSERT INTO taak (dossier, soort, prioriteit, vervaldatum, status, uitkomst,"
				" bedrag_cents, omschrijving, sleutel, aangemaakt, afgerond, door)"
				" VALUES (?1, ?2, ?3, ?4, 'AFGEROND', 'AUTOMATISCH', ?5, ?6, ?7, ?8, ?8, ?9)",
				err)) < 0)
		goto out;
	sqlite3_bind_int64(s, 1, dossier);
	store_bind_text(s, 2, HERBEREKENING_TAAK, 0);
	sqlite3_bind_int(s, 3, HERBEREKENING_PRIORITEIT);
	store_bind_text(s, 4, due, 0);
	sqlite3_bind_int64(s, 5, difference_cents);
	store_bind_text(s, 6, text, 0);
	store_bind_text(s, 7, sleutel && sleutel[0] ? sleutel : NULL, 0);
	store_bind_text(s, 8, j.tijd, 0);
	store_bind_text(s, 9, JOBS_SYSTEEM, 0);
	if ((rc = store_step_done(st, s, "recording a re-settlement", err)) < 0)
		goto out;
	id = sqlite3_last_insert_rowid(store_db(st));
	if ((rc = add_event(&j, id, JOBS_SYSTEEM, "OPEN", NULL, "OPEN", text, err)) < 0 ||
	    (rc = add_event(&j, id, JOBS_SYSTEEM, "AFGEROND", "OPEN", "AFGEROND", reden, err)) < 0)
		goto out;
out:
	sqlite3_finalize(s);
	jobs_release(&j);
	return tx_end(&tx, rc, err);
}

/* ---- close and assign ------------------------------------------------------------ */

static const char *const outcomes[] = { "GEEN_GEVOLGEN", "AANGEPAST", "BEEINDIGD", "RECHT_VERVALLEN",
					 "TOEKENNEN", "AFWIJZEN" };

const char *jobs_outcome(size_t i)
{
	return i < sizeof(outcomes) / sizeof(outcomes[0]) ? outcomes[i] : NULL;
}

static int check_close_args(const struct jobs_close_args *a, struct br_error *err)
{
	size_t i;
	int known = 0, beeindigd, vervallen;

	if (!a->uitkomst || !a->uitkomst[0])
		return br_error_set(err, BR_EUSAGE, "--uitkomst ontbreekt: kies GEEN_GEVOLGEN, AANGEPAST,"
				    " BEEINDIGD of RECHT_VERVALLEN");
	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		known |= strcmp(a->uitkomst, outcomes[i]) == 0;
	if (!known)
		return br_error_set(err, BR_EUSAGE, "onbekende uitkomst '%s': kies GEEN_GEVOLGEN, AANGEPAST,"
				    " BEEINDIGD of RECHT_VERVALLEN", a->uitkomst);
	beeindigd = strcmp(a->uitkomst, "BEEINDIGD") == 0;
	vervallen = strcmp(a->uitkomst, "RECHT_VERVALLEN") == 0;
	if (beeindigd && a->datum == DATE_NONE)
		return br_error_set(err, BR_EUSAGE, "BEEINDIGD vraagt --datum (de datum waarop het dossier eindigt)");
	if (!beeindigd && a->datum != DATE_NONE)
		return br_error_set(err, BR_EUSAGE, "--datum hoort alleen bij BEEINDIGD, niet bij %s", a->uitkomst);
	if (vervallen && (a->van == DATE_NONE || a->tot == DATE_NONE))
		return br_error_set(err, BR_EUSAGE, "RECHT_VERVALLEN vraagt --van en --tot"
				    " (de periode zonder recht)");
	if (vervallen && a->van > a->tot)
		return br_error_set(err, BR_EUSAGE, "--van ligt na --tot: de periode zonder recht is leeg");
	if (!vervallen && (a->van != DATE_NONE || a->tot != DATE_NONE))
		return br_error_set(err, BR_EUSAGE, "--van en --tot horen alleen bij RECHT_VERVALLEN, niet bij %s",
				    a->uitkomst);
	if (a->bedrag_cents < 0)
		return br_error_set(err, BR_EUSAGE, "--bedrag moet meer dan € 0,00 zijn (kies AFWIJZEN om niets toe te kennen)");
	if (a->bedrag_cents > 0 && strcmp(a->uitkomst, "TOEKENNEN") != 0)
		return br_error_set(err, BR_EUSAGE, "--bedrag hoort alleen bij TOEKENNEN (een BUFFER-taak), niet bij %s",
				    a->uitkomst);
	if (!has_text(a->door))
		return br_error_set(err, BR_EUSAGE, "--door ontbreekt: geef de medewerker die de taak afrondt");
	if (!has_text(a->toelichting))
		return br_error_set(err, BR_EUSAGE, "--toelichting ontbreekt: zeg waarom de taak zo wordt afgerond");
	return 0;
}

/* Read a job's dossier and status; BR_ENOINPUT if there is none. */
static int job_state(struct store *st, int64_t id, int64_t *dossier, char status[STATUS_MAX],
		     char *closed, size_t closed_cap, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc, step;

	if ((rc = store_prepare(st, &s, "SELECT dossier, status, uitkomst, afgerond, door FROM taak"
				" WHERE id = ?1", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		*dossier = sqlite3_column_int64(s, 0);
		snprintf(status, STATUS_MAX, "%s", store_col(s, 1));
		snprintf(closed, closed_cap, "met %s op %s door %s", store_col(s, 2), store_col(s, 3), store_col(s, 4));
	} else if (step == SQLITE_DONE) {
		rc = br_error_set(err, BR_ENOINPUT, "geen taak %lld (zie `betaalrun jobs list`)", (long long)id);
	} else {
		rc = store_fail(st, step, "reading a job", err);
	}
	sqlite3_finalize(s);
	return rc;
}

/* Run one statement: ?1 the job, ?2 its dossier, ?3.. the texts (NULL binds NULL). */
static int exec_job(struct store *st, const char *q, const char *what, int64_t id, int64_t dossier,
		    const char *const *texts, int n_texts, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc, i;

	if ((rc = store_prepare(st, &s, q, err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_bind_parameter_count(s) >= 2)
		bind_dossier(s, 2, dossier);
	for (i = 0; i < n_texts; i++)
		store_bind_text(s, 3 + i, texts[i], 0);
	rc = store_step_done(st, s, what, err);
	sqlite3_finalize(s);
	return rc;
}

/* exec_job binds text: the granted amount (cents) comes as ?9 and is cast. */
#define AMOUNT_PARAM "CAST(?9 AS INTEGER)"

/* Sums of the bufferbudget of a dossier in calendar year `year` (rules.md
 * §5a): released, and granted but not yet paid (other than job `except`). */
static int buffer_year_used(struct store *st, int64_t dossier, int year, int64_t except, int64_t *out,
			    struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char y[16];
	int rc;

	snprintf(y, sizeof(y), "%04d", year);
	if ((rc = store_prepare(st, &s, "SELECT coalesce((SELECT sum(b.bedrag_cents) FROM boeking b JOIN run r"
				" ON r.id = b.run WHERE b.dossier = ?1 AND b.soort = 'bufferbudget' AND b.vrijgegeven"
				" IS NOT NULL AND substr(r.maand, 1, 4) = ?2), 0) + coalesce((SELECT sum(t.bedrag_cents)"
				" FROM taak t WHERE t.dossier = ?1 AND t.soort = 'BUFFER' AND t.uitkomst = 'TOEKENNEN'"
				" AND t.id <> ?3 AND substr(t.sleutel, 8, 4) = ?2 AND NOT EXISTS (SELECT 1 FROM boeking b"
				" WHERE b.soort = 'bufferbudget' AND b.kenmerk = 'TOEKENNING ' || t.id"
				" AND b.vrijgegeven IS NOT NULL)), 0)", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, dossier);
	sqlite3_bind_text(s, 2, y, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, except);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		rc = 0;
	} else {
		rc = store_fail(st, rc, "reading the year's bufferbudget", err);
	}
	sqlite3_finalize(s);
	return rc;
}

/*
 * signals.md, rules.md §5a: a BUFFER job is closed with TOEKENNEN [--bedrag
 * X] or AFWIJZEN, and only a BUFFER job with those.  X is at most the
 * proposal and what is left of the year's budget; `out_granted` is X.
 */
static int buffer_outcome(struct store *st, const struct jobs_close_args *a, int64_t dossier, int64_t *out_granted,
			  struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char soort[STATUS_MAX], sleutel[40], a1[MONEY_FMT_MAX + 8], a2[MONEY_FMT_MAX + 8];
	int64_t proposal = 0, used = 0, x;
	int32_t month;
	const struct buffer_rule *br;
	int rc, is_buffer_outcome = !strcmp(a->uitkomst, "TOEKENNEN") || !strcmp(a->uitkomst, "AFWIJZEN");

	*out_granted = 0;
	if ((rc = store_prepare(st, &s, "SELECT soort, coalesce(sleutel, ''), coalesce(bedrag_cents, 0) FROM taak"
				" WHERE id = ?1", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, a->id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		snprintf(soort, sizeof(soort), "%s", store_col(s, 0));
		snprintf(sleutel, sizeof(sleutel), "%.30s", store_col(s, 1));
		proposal = sqlite3_column_int64(s, 2);
	}
	sqlite3_finalize(s);
	if (strcmp(soort, "BUFFER") != 0)
		return is_buffer_outcome ? br_error_set(err, BR_EUSAGE, "%s hoort alleen bij een BUFFER-taak; taak %lld is %s",
							a->uitkomst, (long long)a->id, soort) : 0;
	if (!is_buffer_outcome)
		return br_error_set(err, BR_EUSAGE, "een BUFFER-taak wordt afgerond met TOEKENNEN [--bedrag X] of AFWIJZEN");
	if (strcmp(a->uitkomst, "AFWIJZEN") == 0)
		return 0;
	if (strlen(sleutel) < 14 || month_parse(&month, sleutel + 7, 7, err) < 0)
		return br_error_set(err, BR_EINTERNAL, "BUFFER-taak %lld heeft geen maand in haar sleutel", (long long)a->id);
	x = a->bedrag_cents > 0 ? a->bedrag_cents : proposal;
	if (x > proposal)
		return br_error_set(err, BR_EUSAGE, "--bedrag %s is meer dan het voorstel %s", money_format_nl(a1,
				    sizeof(a1), x), money_format_nl(a2, sizeof(a2), proposal));
	if (!(br = rules_buffer_for_month(a->rules, month)))
		return br_error_set(err, BR_EINPUT, "er is geen bufferbudget voor %s in de regels (regels.xml)",
				    sleutel + 7);
	if ((rc = buffer_year_used(st, dossier, month / 12, a->id, &used, err)) < 0)
		return rc;
	if (x > br->max_cents - used)
		return br_error_set(err, BR_EUSAGE, "--bedrag %s is meer dan er over is van het bufferbudget van het"
				    " jaar (%s)", money_format_nl(a1, sizeof(a1), x),
				    money_format_nl(a2, sizeof(a2), br->max_cents - used > 0 ? br->max_cents - used : 0));
	*out_granted = x;
	return 0;
}

int jobs_close(struct store *st, const struct jobs_close_args *a, int64_t now, struct br_error *err)
{
	char status[STATUS_MAX], closed[256], vandaag[DATE_FMT_MAX];
	char datum[DATE_FMT_MAX], van[DATE_FMT_MAX], tot[DATE_FMT_MAX];
	const char *d = NULL, *v = NULL, *t = NULL;
	struct jobs j;
	struct tx tx;
	int64_t dossier = 0, granted = 0;
	int rc;

	if (!st || !a)
		return br_error_set(err, BR_EINTERNAL, "jobs_close: geen opslag of geen argumenten");
	if ((rc = check_close_args(a, err)) < 0)
		return rc;
	if (a->datum != DATE_NONE)
		d = date_format(datum, a->datum);
	if (a->van != DATE_NONE) {
		v = date_format(van, a->van);
		t = date_format(tot, a->tot);
	}
	date_format(vandaag, timestamp_day(now));
	jobs_init(&j, st, now);
	if ((rc = tx_begin(&tx, st, err)) < 0)
		return rc;
	if ((rc = job_state(st, a->id, &dossier, status, closed, sizeof(closed), err)) < 0)
		goto out;
	if (strcmp(status, "AFGEROND") == 0) {
		rc = br_error_set(err, BR_EINPUT, "taak %lld is al afgerond (%s)", (long long)a->id, closed);
		goto out;
	}
	if (dossier <= 0 && (d || v)) {
		rc = br_error_set(err, BR_EUSAGE, "taak %lld hoort bij geen dossier (een BANK-taak): rond haar af"
				  " met GEEN_GEVOLGEN of AANGEPAST", (long long)a->id);
		goto out;
	}
	if ((rc = buffer_outcome(st, a, dossier, &granted, err)) < 0)
		goto out;
	{
		char cents[24];
		const char *set[] = { a->uitkomst, d, v, t, j.tijd, a->door, cents };
		snprintf(cents, sizeof(cents), "%lld", (long long)granted);
		if ((rc = exec_job(st, "UPDATE taak SET status = 'AFGEROND', uitkomst = ?3, datum = ?4,"
				   " van = ?5, tot = ?6, afgerond = ?7, door = ?8,"
				   " bedrag_cents = CASE WHEN ?3 = 'TOEKENNEN' THEN " AMOUNT_PARAM " ELSE bedrag_cents END"
				   " WHERE id = ?1 AND dossier IS ?2", "closing a job", a->id, dossier, set, 7, err)) < 0)
			goto out;
	}
	if ((rc = add_event(&j, a->id, a->door, "AFGEROND", status, "AFGEROND", a->toelichting, err)) < 0)
		goto out;
	/* signals.md: every outcome releases the job's holds; what they withheld
	 * is paid in the next run, less a period without right */
	{
		const char *rel[] = { vandaag, a->door };
		if ((rc = exec_job(st, "UPDATE opschorting SET opgeheven = ?3, opgeheven_door = ?4"
				   " WHERE taak = ?1 AND dossier IS ?2 AND opgeheven IS NULL",
				   "releasing a job's holds", a->id, dossier, rel, 2, err)) < 0)
			goto out;
	}
	if (d) {
		const char *end[] = { d };
		rc = exec_job(st, "INSERT INTO beeindiging (dossier, datum, taak) VALUES (?2, ?3, ?1)",
			      "recording the end of a dossier", a->id, dossier, end, 1, err);
	} else if (v) {
		const char *gap[] = { v, t };
		rc = exec_job(st, "INSERT INTO recht_vervallen (dossier, van, tot, taak) VALUES (?2, ?3, ?4, ?1)",
			      "recording a period without right", a->id, dossier, gap, 2, err);
	}
out:
	jobs_release(&j);
	return tx_end(&tx, rc, err);
}

int jobs_assign(struct store *st, int64_t id, const char *door, const char *toelichting, int64_t now,
		struct br_error *err)
{
	char status[STATUS_MAX], closed[256];
	struct jobs j;
	struct tx tx;
	int64_t dossier = 0;
	int rc;

	if (!st)
		return br_error_set(err, BR_EINTERNAL, "jobs_assign: geen opslag");
	if (!has_text(door))
		return br_error_set(err, BR_EUSAGE, "--door ontbreekt: geef de consulent die de taak oppakt");
	if (!has_text(toelichting))
		return br_error_set(err, BR_EUSAGE, "--toelichting ontbreekt: zeg waarom de taak wordt opgepakt");
	jobs_init(&j, st, now);
	if ((rc = tx_begin(&tx, st, err)) < 0)
		return rc;
	if ((rc = job_state(st, id, &dossier, status, closed, sizeof(closed), err)) < 0)
		goto out;
	if (strcmp(status, "AFGEROND") == 0) {
		rc = br_error_set(err, BR_EINPUT, "taak %lld is al afgerond (%s)", (long long)id, closed);
		goto out;
	}
	/* taking a job already in hand hands it over: recorded the same way */
	{
		const char *by[] = { door };
		if ((rc = exec_job(st, "UPDATE taak SET status = 'IN_BEHANDELING', door = ?3"
				   " WHERE id = ?1 AND dossier IS ?2", "taking a job in hand", id, dossier,
				   by, 1, err)) < 0)
			goto out;
	}
	rc = add_event(&j, id, door, "IN_BEHANDELING", status, "IN_BEHANDELING", toelichting, err);
out:
	jobs_release(&j);
	return tx_end(&tx, rc, err);
}

/* ---- the worklist ------------------------------------------------------------------ */

/* The open jobs in worklist order; ?1 gemeente, ?2 soort, ?3 overdue, ?4 today. */
static const char list_sql[] =
	"SELECT t.id, coalesce(d.nummer, '-'), coalesce(d.gemeente, ''), t.soort, t.prioriteit, t.status, t.vervaldatum,"
	" coalesce((SELECT group_concat(signaal_id, ' ') FROM"
	"  (SELECT s.signaal_id FROM taak_signaal ts JOIN signaal s ON s.id = ts.signaal"
	"   WHERE ts.taak = t.id ORDER BY s.signaaldatum, s.id)), ''),"
	" t.omschrijving, coalesce(t.door, '')"
	" FROM taak t LEFT JOIN dossier d ON d.id = t.dossier"
	" WHERE t.status <> 'AFGEROND'"
	" AND (?1 IS NULL OR d.gemeente = ?1) AND (?2 IS NULL OR t.soort = ?2)"
	" AND (?3 = 0 OR t.vervaldatum < ?4)"
	" ORDER BY t.prioriteit, t.vervaldatum, t.id";

int jobs_list(struct store *st, const struct jobs_filter *f, FILE *out, const char *csv_path,
	      struct br_error *err)
{
	struct textbuf b;
	struct csvout csv;
	sqlite3_stmt *s = NULL;
	char text[TEXT_MAX];
	long n = 0;
	int rc, step;
	/* cli.md: with --csv FILE the CSV is the output, not the table too */
	FILE *table = csv_path ? NULL : out;
	int to_out = csv_path && strcmp(csv_path, "-") == 0;

	textbuf_init(&b, CSV_MAX, "de werklijst", err);
	if (!st)
		return br_error_set(err, BR_EINTERNAL, "jobs_list: geen opslag");
	if ((rc = store_prepare(st, &s, list_sql, err)) < 0)
		return rc;
	if (f) {
		store_bind_text(s, 1, f->gemeente && f->gemeente[0] ? f->gemeente : NULL, 0);
		store_bind_text(s, 2, f->soort && f->soort[0] ? f->soort : NULL, 0);
		sqlite3_bind_int(s, 3, f->overdue != 0);
		store_bind_date(s, 4, f->overdue ? f->today : DATE_NONE, NULL);
	} else {
		sqlite3_bind_int(s, 3, 0);
	}
	/* the CSV (writers/worklist.h): the columns signals.md requires, the
	 * municipality's name beside its code; the dossier number identifies
	 * the case */
	worklist_begin(&csv, &b, f ? f->csv : CSV_EXCEL_NL);
	if (table)
		fprintf(table, "%6s  %-10s  %4s  %-20s  %-8s  %-17s  %-14s  %s\n", "id", "vervaldatum",
			"prio", "dossier", "gemeente", "soort", "status", "signalen");
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		struct worklist_row w;
		char nr[64], sig[TEXT_MAX], door[SHOWN_MAX];

		n++;
		/* a dossier number with nine digits in a row could be a BSN: it
		 * is a record problem (REGISTER job), shown masked as everywhere;
		 * so are signal ids and names */
		masked(nr, sizeof(nr), store_col(s, 1));
		masked(sig, sizeof(sig), store_col(s, 7));
		masked(door, sizeof(door), store_col(s, 9));
		if (table)
			fprintf(table, "%6lld  %-10s  %4d  %-20s  %-8s  %-17s  %-14s  %s\n",
				(long long)sqlite3_column_int64(s, 0), store_col(s, 6), sqlite3_column_int(s, 4),
				nr, store_col(s, 2), store_col(s, 3), store_col(s, 5), *sig ? sig : "-");
		if (!csv_path)
			continue;
		w.id = sqlite3_column_int64(s, 0);
		w.dossier = nr;
		w.gemeente = store_col(s, 2);
		w.soort = store_col(s, 3);
		w.prioriteit = sqlite3_column_int(s, 4);
		w.status = store_col(s, 5);
		w.vervaldatum = store_col(s, 6);
		w.signalen = sig;
		w.omschrijving = masked(text, sizeof(text), store_col(s, 8));
		w.behandelaar = door;
		worklist_row(&csv, &w);
	}
	if (step != SQLITE_DONE)
		rc = store_fail(st, step, "reading the open jobs", err);
	else if (b.rc)
		rc = b.rc;
	if (rc == 0 && table && n == 0)
		fprintf(table, "(geen open taken)\n");
	if (rc == 0 && to_out && out && fwrite(b.p, 1, b.len, out) != b.len)
		rc = br_error_set(err, BR_EIO, "de werklijst kan niet naar standaarduitvoer worden geschreven: %s", strerror(errno));
	if (rc == 0 && csv_path && !to_out && (rc = fsutil_write_atomic(csv_path, b.p, b.len, 0600, err)) == 0 && out)
		fprintf(out, "werklijst: %ld open %s naar %s\n", n, n == 1 ? "taak" : "taken", csv_path);
	sqlite3_finalize(s);
	textbuf_release(&b);
	return rc;
}

/* ---- one job ------------------------------------------------------------------------ */

/* Free text for a terminal: masked, line breaks and control characters as spaces. */
static const char *clean(char *buf, size_t cap, const char *s)
{
	char *p;

	masked(buf, cap, s);
	for (p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return buf;
}

/* Column `col` of the current row as clean() shows it. */
static const char *col(char *buf, size_t cap, sqlite3_stmt *s, int i)
{
	return clean(buf, cap, store_col(s, i));
}


int jobs_show(struct store *st, int64_t id, FILE *out, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char text[TEXT_MAX], nl[TEXT_MAX], amount[MONEY_FMT_MAX + 8];
	char v1[SHOWN_MAX], v2[SHOWN_MAX], v3[SHOWN_MAX], v4[SHOWN_MAX], v5[SHOWN_MAX], v6[SHOWN_MAX];
	int rc, step;

	if (!st || !out)
		return br_error_set(err, BR_EINTERNAL, "jobs_show: geen opslag of geen uitvoer");
	if ((rc = store_prepare(st, &s,
				"SELECT t.id, t.soort, t.status, t.prioriteit, t.vervaldatum, coalesce(d.nummer, '-'),"
				" coalesce(d.gemeente, '-'), t.aangemaakt, t.omschrijving, t.sleutel, t.uitkomst, t.datum,"
				" t.van, t.tot, t.bedrag_cents, t.afgerond, t.door"
				" FROM taak t LEFT JOIN dossier d ON d.id = t.dossier WHERE t.id = ?1", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	step = sqlite3_step(s);
	if (step != SQLITE_ROW) {
		rc = step == SQLITE_DONE
			? br_error_set(err, BR_ENOINPUT, "geen taak %lld (zie `betaalrun jobs list`)", (long long)id)
			: store_fail(st, step, "reading a job", err);
		sqlite3_finalize(s);
		return rc;
	}
	fprintf(out, "taak %lld: %s, %s\n", (long long)sqlite3_column_int64(s, 0), col(v1, sizeof(v1), s, 1),
		col(v2, sizeof(v2), s, 2));
	fprintf(out, "  dossier        %s (gemeente %s)\n", col(v1, sizeof(v1), s, 5), col(v2, sizeof(v2), s, 6));
	fprintf(out, "  prioriteit     %d\n", sqlite3_column_int(s, 3));
	fprintf(out, "  vervaldatum    %s\n", col(v1, sizeof(v1), s, 4));
	fprintf(out, "  aangemaakt     %s\n", col(v1, sizeof(v1), s, 7));
	/* a REGISTER job's text is the record problem as stored (English,
	 * reden_nl.h): shown in Dutch, as on the worklist */
	fprintf(out, "  omschrijving   %s\n", clean(text, sizeof(text), reden_nl(nl, sizeof(nl), store_col(s, 8))));
	if (sqlite3_column_type(s, 9) != SQLITE_NULL)
		fprintf(out, "  sleutel        %s\n", col(text, sizeof(text), s, 9));
	if (strcmp(store_col(s, 2), "IN_BEHANDELING") == 0)
		fprintf(out, "  behandelaar    %s\n", col(v1, sizeof(v1), s, 16));
	if (strcmp(store_col(s, 2), "AFGEROND") == 0) {
		fprintf(out, "  uitkomst       %s", col(v1, sizeof(v1), s, 10));
		if (sqlite3_column_type(s, 11) != SQLITE_NULL)
			fprintf(out, " per %s", col(v1, sizeof(v1), s, 11));
		if (sqlite3_column_type(s, 12) != SQLITE_NULL)
			fprintf(out, " van %s tot en met %s", col(v1, sizeof(v1), s, 12), col(v2, sizeof(v2), s, 13));
		if (sqlite3_column_type(s, 14) != SQLITE_NULL)
			fprintf(out, ", verschil %s",
				money_format_nl(amount, sizeof(amount), sqlite3_column_int64(s, 14)));
		fprintf(out, "\n  afgerond       %s door %s\n", col(v1, sizeof(v1), s, 15), col(v2, sizeof(v2), s, 16));
	}
	sqlite3_finalize(s);
	s = NULL;

	/* the signals, without the BSN: the dossier says whose they are */
	if ((rc = store_prepare(st, &s,
				"SELECT g.signaal_id, g.soort, g.bron, g.signaaldatum, g.periode_begin,"
				" g.periode_einde, g.omschrijving FROM taak_signaal ts"
				" JOIN signaal g ON g.id = ts.signaal WHERE ts.taak = ?1"
				" ORDER BY g.signaaldatum, g.id", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	fprintf(out, "signalen\n");
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		fprintf(out, "  %s  %s  bron %s  signaaldatum %s  periode %s..%s%s%s\n", col(v1, sizeof(v1), s, 0),
			col(v2, sizeof(v2), s, 1), col(v3, sizeof(v3), s, 2), col(v4, sizeof(v4), s, 3),
			col(v5, sizeof(v5), s, 4), col(v6, sizeof(v6), s, 5), *store_col(s, 6) ? "  " : "",
			col(text, sizeof(text), s, 6));
	sqlite3_finalize(s);
	s = NULL;
	if (step != SQLITE_DONE)
		return store_fail(st, step, "reading a job's signals", err);

	if ((rc = store_prepare(st, &s,
				"SELECT id, bron, vanaf, reden, ingesteld_door, opgeheven, opgeheven_door"
				" FROM opschorting WHERE taak = ?1 ORDER BY vanaf, id", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	fprintf(out, "opschortingen\n");
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		fprintf(out, "  %lld  %s vanaf %s door %s: %s", (long long)sqlite3_column_int64(s, 0),
			col(v1, sizeof(v1), s, 1), col(v2, sizeof(v2), s, 2), col(v3, sizeof(v3), s, 4),
			col(text, sizeof(text), s, 3));
		if (sqlite3_column_type(s, 5) != SQLITE_NULL)
			fprintf(out, "; opgeheven %s door %s\n", col(v1, sizeof(v1), s, 5), col(v2, sizeof(v2), s, 6));
		else
			fprintf(out, "; actief\n");
	}
	sqlite3_finalize(s);
	s = NULL;
	if (step != SQLITE_DONE)
		return store_fail(st, step, "reading a job's holds", err);

	if ((rc = store_prepare(st, &s,
				"SELECT tijd, door, gebeurtenis, coalesce(van_status, '-'), naar_status, reden"
				" FROM taak_gebeurtenis WHERE taak = ?1 ORDER BY id", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	fprintf(out, "gebeurtenissen\n");
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		fprintf(out, "  %s  %-14s  %-14s  %s -> %s  %s\n", col(v1, sizeof(v1), s, 0), col(v2, sizeof(v2), s, 1),
			col(v3, sizeof(v3), s, 2), col(v4, sizeof(v4), s, 3), col(v5, sizeof(v5), s, 4),
			clean(text, sizeof(text), reden_nl(nl, sizeof(nl), store_col(s, 5))));
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		return store_fail(st, step, "reading a job's audit trail", err);
	return 0;
}

/* ---- summary ------------------------------------------------------------------------ */

int jobs_summary(struct store *st, int32_t today, FILE *out, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	long open = 0, overdue = 0;
	int rc, step;

	if (!st || !out)
		return br_error_set(err, BR_EINTERNAL, "jobs_summary: geen opslag of geen uitvoer");
	if ((rc = store_prepare(st, &s,
				"SELECT coalesce(d.gemeente, 'bank'), count(*), coalesce(sum(t.vervaldatum < ?1), 0)"
				" FROM taak t LEFT JOIN dossier d ON d.id = t.dossier"
				" WHERE t.status <> 'AFGEROND' GROUP BY 1 ORDER BY d.gemeente IS NULL, 1", err)) < 0)
		return rc;
	store_bind_date(s, 1, today, NULL);
	fprintf(out, "%-10s %8s %8s\n", "gemeente", "open", "te laat");
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		open += (long)sqlite3_column_int64(s, 1);
		overdue += (long)sqlite3_column_int64(s, 2);
		fprintf(out, "%-10s %8lld %8lld\n", store_col(s, 0), (long long)sqlite3_column_int64(s, 1),
			(long long)sqlite3_column_int64(s, 2));
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		return store_fail(st, step, "counting open jobs", err);
	fprintf(out, "%-10s %8ld %8ld\n", "totaal", open, overdue);
	return 0;
}

int jobs_open_register_problems(long *out_opened, struct store *st, const struct signaltable *t,
				int64_t now, struct br_error *err)
{
	sqlite3_stmt *q = NULL;
	struct tx tx;
	int rc, step;

	*out_opened = 0;
	if ((rc = tx_begin(&tx, st, err)) < 0)
		return rc;
	/* formats.md §5: the dossier's latest values carry a record problem */
	if ((rc = store_prepare(st, &q, "SELECT s.dossier, s.probleem FROM stand s"
				" WHERE s.probleem IS NOT NULL AND s.vanaf = (SELECT max(vanaf) FROM stand"
				" WHERE dossier = s.dossier) ORDER BY s.dossier", err)) < 0)
		goto out;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		char key[96], text[TEXT_MAX];
		const char *problem = (const char *)sqlite3_column_text(q, 1);
		int64_t id = 0;
		size_t i;

		/* the problem itself names the event: the same problem does not
		 * reopen a closed job; a different one does */
		snprintf(key, sizeof(key), "probleem %.80s", problem ? problem : "");
		for (i = 0; key[i]; i++)
			if (key[i] == ']')
				key[i] = ')';
		snprintf(text, sizeof(text), "register data blocks payment: %.900s", problem ? problem : "");
		log_mask_digits(text);
		log_mask_digits(key);
		if ((rc = jobs_open_event(&id, st, t, sqlite3_column_int64(q, 0), "REGISTER", timestamp_day(now),
					  key, text, now, err)) < 0)
			goto out;
		if (id)
			(*out_opened)++;
	}
	if (step != SQLITE_DONE)
		rc = store_fail(st, step, "reading record problems", err);
out:
	sqlite3_finalize(q);
	return tx_end(&tx, rc, err);
}

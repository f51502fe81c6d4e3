/*
 * test_jobs.c — heronderzoek jobs (pipeline/jobs.h) against a real
 * store with the shipped signal table: every Soort opens the job kind,
 * priority, due date and hold of signals.md; joining, matching by applicant
 * and partner in the latest stand, late matching, pipeline events and their
 * keys, every outcome with its audit trail, the append-only triggers, the
 * argument checks of `jobs close`, the worklist CSV and re-settlement jobs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "date.h"
#include "error.h"
#include "fsutil.h"
#include "levering.h"
#include "jobs.h"
#include "signaltable.h"
#include "store.h"

#include "banned.h"

/* valid-looking BSNs (elfproef), so a leak would be a real one */
#define BSN_A "123456782"   /* applicant of dossier 1 */
#define BSN_P "111222333"   /* partner in dossier 1, applicant of dossier 2 */
#define BSN_C "100000009"   /* applicant of dossier 3 */
#define BSN_X "999999990"   /* no dossier at first */
#define BSN_OLD "222233334" /* partner in an older stand of dossier 3 only */

struct fx {
	char dir[64];
	char db[128];
	struct store *st;
	struct signaltable t;
};

static int64_t ts(const char *day, int hh)
{
	int32_t d;
	struct br_error err;

	br_error_clear(&err);
	assert_int_equal(date_parse(&d, day, strlen(day), &err), 0);
	return timestamp_from(d, hh, 0, 0);
}

static int32_t dy(const char *day)
{
	int32_t d;
	struct br_error err;

	br_error_clear(&err);
	assert_int_equal(date_parse(&d, day, strlen(day), &err), 0);
	return d;
}

static void exec_ok(struct fx *f, const char *fmt, ...)
{
	struct br_error err;
	va_list ap;
	char *q;

	va_start(ap, fmt);
	q = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	assert_non_null(q);
	br_error_clear(&err);
	if (store_exec(f->st, q, &err) != 0)
		fail_msg("%s: %s", q, err.msg);
	sqlite3_free(q);
}

/* The first column of the first row as an integer (-1 when no row). */
static int64_t qint(struct fx *f, const char *fmt, ...)
{
	sqlite3_stmt *s = NULL;
	int64_t v = -1;
	va_list ap;
	char *q;

	va_start(ap, fmt);
	q = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(store_db(f->st), q, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", q, sqlite3_errmsg(store_db(f->st)));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_free(q);
	return v;
}

/* The first column of the first row as text ("<none>" when no row, "<null>"). */
static char *qtext(char *buf, size_t cap, struct fx *f, const char *fmt, ...)
{
	sqlite3_stmt *s = NULL;
	va_list ap;
	char *q;

	va_start(ap, fmt);
	q = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(store_db(f->st), q, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", q, sqlite3_errmsg(store_db(f->st)));
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(buf, cap, "%s",
			 sqlite3_column_text(s, 0) ? (const char *)sqlite3_column_text(s, 0) : "<null>");
	else
		snprintf(buf, cap, "<none>");
	sqlite3_finalize(s);
	sqlite3_free(q);
	return buf;
}

static void person(struct fx *f, const char *bsn)
{
	exec_ok(f, "INSERT OR IGNORE INTO persoon (bsn, naam, geboortedatum) VALUES (%Q, 'X', '1980-01-01')", bsn);
}

/* A stand of a dossier with applicant and (may be NULL) partner. */
static void stand(struct fx *f, int id, const char *vanaf, const char *aanvrager, const char *partner)
{
	person(f, aanvrager);
	if (partner)
		person(f, partner);
	exec_ok(f, "INSERT INTO stand (dossier, vanaf, snapshot, hash, aanvrager, partner, leefvorm,"
		" kostendelers, woonkostenverlaging_pct, iban, tenaamstelling)"
		" VALUES (%d, %Q, 1, x'00', (SELECT id FROM persoon WHERE bsn = %Q),"
		" (SELECT id FROM persoon WHERE bsn = %Q), %Q, 0, 0, 'NL91ABNA0417164300', 'X')",
		id, vanaf, aanvrager, partner, partner ? "GEHUWD" : "ALLEENSTAAND");
}

static void dossier(struct fx *f, int id, const char *gemeente, const char *aanvrager, const char *partner)
{
	exec_ok(f, "INSERT INTO dossier (id, nummer, regeling, gemeente, ingangsdatum, eerste_snapshot,"
		" laatste_snapshot) VALUES (%d, printf('PW-%%s-%%06d', %Q, %d), 'PW', %Q, '2025-01-01', 1, 1)",
		id, gemeente, id, gemeente);
	stand(f, id, "2026-01-01", aanvrager, partner);
}

static int64_t signal(struct fx *f, const char *id, const char *soort, const char *bsn, const char *datum,
		      const char *begin, const char *omschrijving)
{
	const struct signal_kind *k = signaltable_find(&f->t, soort);

	exec_ok(f, "INSERT INTO signaal (signaal_id, levering, regel, soort, bsn, bron, signaaldatum,"
		" periode_begin, omschrijving) VALUES (%Q, 2, 1, %Q, %Q, %Q, %Q, %Q, %Q)",
		id, soort, bsn, k ? k->bron : "DJI", datum, begin, omschrijving);
	return qint(f, "SELECT id FROM signaal WHERE signaal_id = %Q", id);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *root = getenv("BR_SOURCE_DIR");
	char path[1024], xsd[1024];
	struct br_error err;

	assert_non_null(f);
	if (!root || !*root)
		root = BR_SOURCE_DIR;
	br_error_clear(&err);
	snprintf(path, sizeof(path), "%s/data/rules/signaaltabel.xml", root);
	snprintf(xsd, sizeof(xsd), "%s/data/schemas/signaaltabel.xsd", root);
	if (signaltable_load(&f->t, path, xsd, &err) != 0)
		fail_msg("signal table: %s", err.msg);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_jobs.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
	assert_int_equal(store_open(&f->st, f->db, 1, &err), 0);
	*state = f;
	exec_ok(f, "INSERT INTO levering (id, sha256, soort, levering_id, bestandsnaam, aanmaakdatum, ontvangen,"
		" bytes, archief) VALUES (1, printf('%%064d', 1), 'register', 'R1', 'r.xml',"
		" '2026-01-01T00:00:00', '2026-01-01T00:00:00', 1, 'a1'),"
		" (2, printf('%%064d', 2), 'signalen', 'S1', 's.xml',"
		" '2026-11-25T03:00:00', '2026-11-25T04:00:00', 1, 'a2')");
	exec_ok(f, "INSERT INTO snapshot (id, levering, peildatum, aanmaakdatum)"
		" VALUES (1, 1, '2026-01-01', '2026-01-01T00:00:00')");
	dossier(f, 1, "0405", BSN_A, BSN_P);
	dossier(f, 2, "0398", BSN_P, NULL);
	dossier(f, 3, "0405", BSN_C, BSN_OLD);
	stand(f, 3, "2026-06-01", BSN_C, NULL);   /* the partner left */
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	struct br_error err;

	store_close(f->st);
	signaltable_release(&f->t);
	br_error_clear(&err);
	assert_int_equal(fsutil_remove_tree(f->dir, &err), 0); /* the db, -wal, -shm, jobs.csv */
	free(f);
	return 0;
}

static struct jobs_match_result match(struct fx *f, const char *day)
{
	struct jobs_match_result r;
	struct br_error err;

	br_error_clear(&err);
	memset(&r, 0xff, sizeof(r));
	if (jobs_match_signals(&r, f->st, &f->t, ts(day, 10), &err) != 0)
		fail_msg("jobs_match_signals: %s", err.msg);
	return r;
}

static int64_t open_event(struct fx *f, int dossier_id, const char *taak, const char *from, const char *key,
			  const char *why)
{
	struct br_error err;
	int64_t id = -1;

	br_error_clear(&err);
	if (jobs_open_event(&id, f->st, &f->t, dossier_id, taak, dy(from), key, why, ts(from, 9), &err) != 0)
		fail_msg("jobs_open_event: %s", err.msg);
	return id;
}

static int close_job(struct fx *f, int64_t id, const char *uitkomst, const char *datum, const char *van,
		     const char *tot, const char *door, const char *why, const char *now, struct br_error *err)
{
	struct jobs_close_args a;

	memset(&a, 0, sizeof(a));
	a.id = id;
	a.uitkomst = uitkomst;
	a.datum = datum ? dy(datum) : DATE_NONE;
	a.van = van ? dy(van) : DATE_NONE;
	a.tot = tot ? dy(tot) : DATE_NONE;
	a.door = door;
	a.toelichting = why;
	br_error_clear(err);
	return jobs_close(f->st, &a, ts(now, 14), err);
}

static int64_t job_of(struct fx *f, int dossier_id, const char *kind)
{
	return qint(f, "SELECT id FROM taak WHERE dossier = %d AND soort = %Q AND status <> 'AFGEROND'",
		    dossier_id, kind);
}

/* ---- every Soort of the table -------------------------------------------- */

/* signals.md's table, written out here rather than read from the file: the
 * engine must follow the shipped table, and the shipped table must be
 * signals.md's.  Due dates from Signaaldatum 2026-11-25. */
static const struct {
	const char *soort, *taak;
	int prioriteit;
	const char *due;
	int hold;
} kinds[] = {
	{ "START_INKOMSTENVERHOUDING", "INKOMEN", 2, "2026-12-09", 0 },
	{ "DETENTIE", "DETENTIE", 1, "2026-11-30", 1 },
	{ "UITKERING_ANDERE_GEMEENTE", "SAMENLOOP", 1, "2026-11-30", 1 },
	{ "VOORTVLUCHTIG", "VOORTVLUCHTIG", 1, "2026-11-30", 1 },
	{ "STUDIEFINANCIERING", "STUDIE", 2, "2026-12-09", 0 },
	{ "INSCHRIJVING_HO", "STUDIE", 3, "2026-12-23", 0 },
	{ "VERMOGEN", "VERMOGEN", 2, "2026-12-23", 0 },
	{ "INKOMSTEN_BOX1_BOX3", "VERMOGEN", 3, "2026-12-23", 0 },
	{ "BANKREKENING", "VERMOGEN", 3, "2026-12-23", 0 },
	{ "VOERTUIG", "VERMOGEN", 3, "2026-12-23", 0 },
	{ "KOSTENDELERS", "WOONSITUATIE", 2, "2026-12-09", 0 },
	{ "OVERLIJDEN", "OVERLIJDEN", 1, "2026-11-28", 1 },
	{ "EMIGRATIE", "WOONSITUATIE", 1, "2026-11-30", 1 },
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static void test_every_kind(void **state)
{
	struct fx *f = *state;
	struct jobs_match_result r;
	char buf[256], why[64], sid[32], bsn[16];
	size_t i, j, holds = 0;

	/* every Soort of the shipped table is tested below */
	assert_int_equal(f->t.n_signals, N_KINDS);
	for (i = 0; i < f->t.n_signals; i++) {
		for (j = 0; j < N_KINDS && strcmp(kinds[j].soort, f->t.signals[i].soort) != 0; j++)
			;
		if (j == N_KINDS)
			fail_msg("Soort %s of the table is not in signals.md", f->t.signals[i].soort);
	}
	/* one dossier per Soort, so that no two share a job */
	for (i = 0; i < N_KINDS; i++) {
		snprintf(bsn, sizeof(bsn), "5000000%02d", (int)i);
		snprintf(sid, sizeof(sid), "IB-2026-%07d", (int)i + 1);
		dossier(f, 100 + (int)i, "0405", bsn, NULL);
		signal(f, sid, kinds[i].soort, bsn, "2026-11-25", "2026-11-20", "Omschrijving");
		holds += (size_t)kinds[i].hold;
	}
	r = match(f, "2026-11-26");
	assert_int_equal(r.matched, N_KINDS);
	assert_int_equal(r.new_jobs, N_KINDS);
	assert_int_equal(r.holds, holds);
	assert_int_equal(r.unmatched, 0);
	for (i = 0; i < N_KINDS; i++) {
		int d = 100 + (int)i;
		int64_t id = job_of(f, d, kinds[i].taak);

		snprintf(sid, sizeof(sid), "IB-2026-%07d", (int)i + 1);
		if (id <= 0)
			fail_msg("%s opened no %s job", kinds[i].soort, kinds[i].taak);
		assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE dossier = %d", d), 1);
		assert_int_equal(qint(f, "SELECT prioriteit FROM taak WHERE id = %lld", (long long)id),
				 kinds[i].prioriteit);
		assert_string_equal(qtext(buf, sizeof(buf), f, "SELECT vervaldatum FROM taak WHERE id = %lld",
					  (long long)id), kinds[i].due);
		assert_string_equal(qtext(buf, sizeof(buf), f, "SELECT status FROM taak WHERE id = %lld",
					  (long long)id), "OPEN");
		assert_int_equal(qint(f, "SELECT count(*) FROM taak_signaal ts JOIN signaal s ON s.id = ts.signaal"
				      " WHERE ts.taak = %lld AND s.signaal_id = %Q", (long long)id, sid), 1);
		/* the OPEN event by the system */
		assert_int_equal(qint(f, "SELECT count(*) FROM taak_gebeurtenis WHERE taak = %lld AND gebeurtenis = 'OPEN'"
				      " AND door = 'betaalrun' AND naar_status = 'OPEN' AND van_status IS NULL"
				      " AND tijd = '2026-11-26T10:00:00'", (long long)id), 1);
		if (!kinds[i].hold) {
			assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE dossier = %d", d), 0);
			continue;
		}
		assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE dossier = %d", d), 1);
		assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE dossier = %d AND bron = 'SIGNAAL'"
				      " AND vanaf = '2026-11-20' AND ingesteld_door = %Q AND taak = %lld"
				      " AND opgeheven IS NULL", d, sid, (long long)id), 1);
		snprintf(why, sizeof(why), "%s: Omschrijving", kinds[i].soort);
		assert_string_equal(qtext(buf, sizeof(buf), f, "SELECT reden FROM opschorting WHERE dossier = %d", d),
				    why);
	}
	/* nothing left to match: a second pass changes nothing */
	r = match(f, "2026-11-27");
	assert_int_equal(r.matched, 0);
	assert_int_equal(r.new_jobs, 0);
	assert_int_equal(r.holds, 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak"), N_KINDS);
}

/* ---- joining --------------------------------------------------------------- */

static void test_join_keeps_earlier_due_and_higher_priority(void **state)
{
	struct fx *f = *state;
	struct jobs_match_result r;
	char buf[512];
	int64_t studie, woon, vermogen;

	/* STUDIE: 2/14 from 11-01 is due 11-15; INSCHRIJVING_HO 3/28 from 10-01
	 * is due 10-29: the earlier due date wins, the higher priority stays */
	signal(f, "IB-S1", "STUDIEFINANCIERING", BSN_A, "2026-11-01", "2026-11-01", NULL);
	r = match(f, "2026-11-02");
	assert_int_equal(r.new_jobs, 1);
	studie = job_of(f, 1, "STUDIE");
	signal(f, "IB-S2", "INSCHRIJVING_HO", BSN_A, "2026-10-01", "2026-09-01", "HBO");
	r = match(f, "2026-11-03");
	assert_int_equal(r.matched, 1);
	assert_int_equal(r.new_jobs, 0);
	assert_int_equal(job_of(f, 1, "STUDIE"), studie);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE dossier = 1 AND soort = 'STUDIE'"), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak_signaal WHERE taak = %lld", (long long)studie), 2);
	assert_int_equal(qint(f, "SELECT prioriteit FROM taak WHERE id = %lld", (long long)studie), 2);
	assert_string_equal(qtext(buf, sizeof(buf), f, "SELECT vervaldatum FROM taak WHERE id = %lld",
				  (long long)studie), "2026-10-29");
	qtext(buf, sizeof(buf), f, "SELECT reden FROM taak_gebeurtenis WHERE taak = %lld AND gebeurtenis = 'JOIN'"
	      " AND door = 'betaalrun' AND van_status = 'OPEN' AND naar_status = 'OPEN'", (long long)studie);
	assert_non_null(strstr(buf, "IB-S2"));
	assert_non_null(strstr(buf, "vervaldatum 2026-11-15 -> 2026-10-29"));
	assert_null(strstr(buf, "prioriteit"));

	/* WOONSITUATIE: KOSTENDELERS 2/14 (due 11-15), then EMIGRATIE 1/5 from
	 * 11-20 (due 11-25): the priority rises, the due date stays; EMIGRATIE
	 * holds, so the joined job gets a hold */
	signal(f, "IB-W1", "KOSTENDELERS", BSN_A, "2026-11-01", "2026-11-01", NULL);
	signal(f, "IB-W2", "EMIGRATIE", BSN_A, "2026-11-20", "2026-11-18", "Vertrek naar Spanje");
	/* a different kind for the same dossier is a different job */
	signal(f, "IB-V1", "VERMOGEN", BSN_A, "2026-11-20", "2026-01-01", NULL);
	r = match(f, "2026-11-21");
	assert_int_equal(r.matched, 3);
	assert_int_equal(r.new_jobs, 2);
	assert_int_equal(r.holds, 1);
	woon = job_of(f, 1, "WOONSITUATIE");
	vermogen = job_of(f, 1, "VERMOGEN");
	assert_true(woon > 0 && vermogen > 0 && woon != vermogen && woon != studie);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak_signaal WHERE taak = %lld", (long long)woon), 2);
	assert_int_equal(qint(f, "SELECT prioriteit FROM taak WHERE id = %lld", (long long)woon), 1);
	assert_string_equal(qtext(buf, sizeof(buf), f, "SELECT vervaldatum FROM taak WHERE id = %lld",
				  (long long)woon), "2026-11-15");
	qtext(buf, sizeof(buf), f, "SELECT reden FROM taak_gebeurtenis WHERE taak = %lld AND gebeurtenis = 'JOIN'",
	      (long long)woon);
	assert_non_null(strstr(buf, "prioriteit 2 -> 1"));
	assert_null(strstr(buf, "vervaldatum"));
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE taak = %lld AND vanaf = '2026-11-18'"
			      " AND reden = 'EMIGRATIE: Vertrek naar Spanje' AND ingesteld_door = 'IB-W2'",
			      (long long)woon), 1);
	/* a joining signal that is less urgent changes neither */
	signal(f, "IB-S3", "INSCHRIJVING_HO", BSN_A, "2026-11-20", "2026-09-01", NULL);
	match(f, "2026-11-22");
	assert_int_equal(qint(f, "SELECT prioriteit FROM taak WHERE id = %lld", (long long)studie), 2);
	assert_string_equal(qtext(buf, sizeof(buf), f, "SELECT vervaldatum FROM taak WHERE id = %lld",
				  (long long)studie), "2026-10-29");
	assert_int_equal(qint(f, "SELECT count(*) FROM taak_gebeurtenis WHERE taak = %lld AND gebeurtenis = 'JOIN'",
			      (long long)studie), 2);
}

/* A hold signal joining a job with an active hold from the same or an
 * earlier date adds no hold; one from an earlier date does. */
static void test_hold_once_per_date(void **state)
{
	struct fx *f = *state;
	struct jobs_match_result r;
	int64_t id;

	signal(f, "IB-D1", "DETENTIE", BSN_A, "2026-11-25", "2026-11-20", "Insluiting");
	signal(f, "IB-D2", "DETENTIE", BSN_A, "2026-11-26", "2026-11-20", "Insluiting");
	signal(f, "IB-D3", "DETENTIE", BSN_A, "2026-11-27", "2026-11-24", "Overplaatsing");
	r = match(f, "2026-11-27");
	assert_int_equal(r.matched, 3);
	assert_int_equal(r.new_jobs, 1);
	assert_int_equal(r.holds, 1);
	signal(f, "IB-D4", "DETENTIE", BSN_A, "2026-11-28", "2026-11-10", "Eerdere insluiting");
	r = match(f, "2026-11-28");
	assert_int_equal(r.holds, 1);
	id = job_of(f, 1, "DETENTIE");
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE taak = %lld AND opgeheven IS NULL",
			      (long long)id), 2);
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE taak = %lld AND vanaf = '2026-11-10'"
			      " AND ingesteld_door = 'IB-D4'", (long long)id), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak_signaal WHERE taak = %lld", (long long)id), 4);
}

/* ---- matching ----------------------------------------------------------------- */

static void test_partner_and_several_dossiers(void **state)
{
	struct fx *f = *state;
	struct jobs_match_result r;

	/* BSN_P is the partner in dossier 1 and the applicant of dossier 2 */
	signal(f, "IB-P1", "VOERTUIG", BSN_P, "2026-11-25", "2026-11-01", NULL);
	/* BSN_OLD was the partner in dossier 3's older stand only */
	signal(f, "IB-O1", "VOERTUIG", BSN_OLD, "2026-11-25", "2026-11-01", NULL);
	r = match(f, "2026-11-26");
	assert_int_equal(r.matched, 1);
	assert_int_equal(r.new_jobs, 2);
	assert_int_equal(r.unmatched, 1);
	assert_true(job_of(f, 1, "VERMOGEN") > 0);
	assert_true(job_of(f, 2, "VERMOGEN") > 0);
	assert_int_equal(job_of(f, 3, "VERMOGEN"), -1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak_signaal ts JOIN signaal s ON s.id = ts.signaal"
			      " WHERE s.signaal_id = 'IB-P1'"), 2);
}

static void test_unmatched_until_the_dossier_appears(void **state)
{
	struct fx *f = *state;
	struct jobs_match_result r;

	signal(f, "IB-X1", "DETENTIE", BSN_X, "2026-11-25", "2026-11-20", NULL);
	r = match(f, "2026-11-26");
	assert_int_equal(r.matched, 0);
	assert_int_equal(r.unmatched, 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak"), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting"), 0);
	r = match(f, "2026-11-27");
	assert_int_equal(r.unmatched, 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM signaal WHERE signaal_id = 'IB-X1'"), 1);

	dossier(f, 9, "0405", BSN_X, NULL);
	r = match(f, "2026-12-01");
	assert_int_equal(r.matched, 1);
	assert_int_equal(r.new_jobs, 1);
	assert_int_equal(r.holds, 1);
	assert_int_equal(r.unmatched, 0);
	assert_true(job_of(f, 9, "DETENTIE") > 0);
	/* due from the signal date, not from the day it was matched */
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE dossier = 9 AND vervaldatum = '2026-11-30'"), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE dossier = 9 AND vanaf = '2026-11-20'"), 1);
}

/* A Soort the table no longer knows stops the match (configuration), and
 * nothing of the pass is kept. */
static void test_unknown_soort_is_a_config_error(void **state)
{
	struct fx *f = *state;
	struct jobs_match_result r;
	struct br_error err;

	signal(f, "IB-K1", "DETENTIE", BSN_A, "2026-11-25", "2026-11-20", NULL);
	signal(f, "IB-K2", "ONBEKEND", BSN_A, "2026-11-25", "2026-11-20", NULL);
	br_error_clear(&err);
	assert_int_equal(jobs_match_signals(&r, f->st, &f->t, ts("2026-11-26", 10), &err), BR_ECONFIG);
	assert_non_null(strstr(err.msg, "ONBEKEND"));
	assert_int_equal(qint(f, "SELECT count(*) FROM taak"), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting"), 0);
}

/* ---- pipeline jobs --------------------------------------------------------------- */

static void test_open_event_dedup(void **state)
{
	struct fx *f = *state;
	struct br_error err;
	char buf[512];
	int64_t id, id2, aow;

	id = open_event(f, 1, "REGISTER", "2026-11-01", "2026-11", "IBAN fails mod-97");
	assert_true(id > 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE id = %lld AND soort = 'REGISTER' AND prioriteit = 1"
			      " AND vervaldatum = '2026-11-06' AND sleutel = '2026-11' AND status = 'OPEN'"
			      " AND omschrijving = 'IBAN fails mod-97'", (long long)id), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak_gebeurtenis WHERE taak = %lld AND gebeurtenis = 'OPEN'"
			      " AND door = 'betaalrun' AND tijd = '2026-11-01T09:00:00'", (long long)id), 1);
	/* the same event again: nothing */
	assert_int_equal(open_event(f, 1, "REGISTER", "2026-11-02", "2026-11", "IBAN fails mod-97"), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak_gebeurtenis WHERE taak = %lld", (long long)id), 1);
	/* a new event joins the open job; the earlier due date stays */
	assert_int_equal(open_event(f, 1, "REGISTER", "2026-12-01", "2026-12", "IBAN still fails"), id);
	assert_string_equal(qtext(buf, sizeof(buf), f, "SELECT vervaldatum FROM taak WHERE id = %lld",
				  (long long)id), "2026-11-06");
	assert_string_equal(qtext(buf, sizeof(buf), f, "SELECT reden FROM taak_gebeurtenis WHERE taak = %lld"
				  " AND gebeurtenis = 'JOIN'", (long long)id), "[2026-12] IBAN still fails");
	/* an event of an earlier day makes it due earlier */
	assert_int_equal(open_event(f, 1, "REGISTER", "2026-10-20", NULL, "bank rejected"), id);
	assert_string_equal(qtext(buf, sizeof(buf), f, "SELECT vervaldatum FROM taak WHERE id = %lld",
				  (long long)id), "2026-10-25");
	/* the joined event is known too */
	assert_int_equal(open_event(f, 1, "REGISTER", "2026-12-02", "2026-12", "IBAN still fails"), 0);
	/* by its whole key: one that starts a joined key is new, then known */
	assert_int_equal(open_event(f, 1, "REGISTER", "2026-12-02", "2026-1", "IBAN fails"), id);
	assert_int_equal(open_event(f, 1, "REGISTER", "2026-12-02", "2026-1", "IBAN fails"), 0);
	assert_int_equal(open_event(f, 1, "REGISTER", "2026-12-02", "2026-12 ", "IBAN fails"), id);
	/* another kind, another dossier: other jobs (AOW 2/28) */
	aow = open_event(f, 1, "AOW", "2026-11-10", "AOW", "applicant reaches AOW age");
	assert_true(aow > 0 && aow != id);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE id = %lld AND prioriteit = 2"
			      " AND vervaldatum = '2026-12-08'", (long long)aow), 1);
	id2 = open_event(f, 2, "REGISTER", "2026-11-01", "2026-11", "IBAN fails mod-97");
	assert_true(id2 > 0 && id2 != id);

	/* closed: neither key opens a job again; a new key does */
	assert_int_equal(close_job(f, id, "AANGEPAST", NULL, NULL, NULL, "cons1", "IBAN corrected",
				   "2026-12-03", &err), 0);
	assert_int_equal(open_event(f, 1, "REGISTER", "2026-12-04", "2026-11", "x"), 0);
	assert_int_equal(open_event(f, 1, "REGISTER", "2026-12-04", "2026-12", "x"), 0);
	id2 = open_event(f, 1, "REGISTER", "2027-01-01", "2027-01", "IBAN fails again");
	assert_true(id2 > 0 && id2 != id);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE dossier = 1 AND soort = 'REGISTER'"), 2);

	/* a kind the table does not have */
	br_error_clear(&err);
	assert_int_equal(jobs_open_event(&id, f->st, &f->t, 1, "ONBEKEND", dy("2026-11-01"), NULL, "x",
					 ts("2026-11-01", 9), &err), BR_ECONFIG);
	assert_int_equal(id, 0);
}

/* Inside the caller's transaction a failing call undoes only itself. */
static void test_event_in_caller_transaction(void **state)
{
	struct fx *f = *state;
	struct br_error err;
	int64_t id = -1;

	br_error_clear(&err);
	assert_int_equal(store_begin(f->st, &err), 0);
	assert_true(open_event(f, 1, "DERDEN", "2026-11-01", "HUUR-1 2026-11", "rent not paid") > 0);
	/* no dossier 77: the foreign key refuses it */
	assert_true(jobs_open_event(&id, f->st, &f->t, 77, "DERDEN", dy("2026-11-01"), "k", "x",
				    ts("2026-11-01", 9), &err) < 0);
	assert_int_equal(id, 0);
	br_error_clear(&err);
	assert_int_equal(store_commit(f->st, &err), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak"), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak_gebeurtenis"), 1);
	/* rolled back by the caller: nothing stays */
	assert_int_equal(store_begin(f->st, &err), 0);
	assert_true(open_event(f, 2, "DERDEN", "2026-11-01", "k2", "x") > 0);
	store_rollback(f->st);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak"), 1);
}

/* ---- closing ---------------------------------------------------------------------- */

static void test_close_outcomes(void **state)
{
	struct fx *f = *state;
	struct br_error err;
	char buf[256];
	int64_t det, voort, samen, overl;

	/* a register hold on dossier 1, not linked to any job */
	exec_ok(f, "INSERT INTO opschorting (dossier, bron, vanaf, reden, ingesteld_door)"
		" VALUES (1, 'REGISTER', '2026-10-01', 'register', 'register R1')");
	signal(f, "IB-C1", "DETENTIE", BSN_A, "2026-11-25", "2026-11-20", "Insluiting");
	signal(f, "IB-C2", "VOORTVLUCHTIG", BSN_A, "2026-11-25", "2026-11-01", NULL);
	signal(f, "IB-C3", "UITKERING_ANDERE_GEMEENTE", BSN_A, "2026-11-25", "2026-11-15", NULL);
	signal(f, "IB-C4", "OVERLIJDEN", BSN_A, "2026-11-25", "2026-11-22", NULL);
	match(f, "2026-11-26");
	det = job_of(f, 1, "DETENTIE");
	voort = job_of(f, 1, "VOORTVLUCHTIG");
	samen = job_of(f, 1, "SAMENLOOP");
	overl = job_of(f, 1, "OVERLIJDEN");
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE dossier = 1 AND opgeheven IS NULL"), 5);

	/* GEEN_GEVOLGEN: its hold is released, the others are not */
	assert_int_equal(close_job(f, det, "GEEN_GEVOLGEN", NULL, NULL, NULL, "cons1",
				   "released the same day, no effect", "2026-11-27", &err), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE taak = %lld AND opgeheven = '2026-11-27'"
			      " AND opgeheven_door = 'cons1'", (long long)det), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE dossier = 1 AND opgeheven IS NULL"), 4);
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE bron = 'REGISTER' AND opgeheven IS NULL"), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE id = %lld AND status = 'AFGEROND'"
			      " AND uitkomst = 'GEEN_GEVOLGEN' AND door = 'cons1' AND afgerond = '2026-11-27T14:00:00'"
			      " AND datum IS NULL AND van IS NULL AND tot IS NULL", (long long)det), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak_gebeurtenis WHERE taak = %lld AND gebeurtenis = 'AFGEROND'"
			      " AND door = 'cons1' AND tijd = '2026-11-27T14:00:00' AND van_status = 'OPEN'"
			      " AND naar_status = 'AFGEROND' AND reden = 'released the same day, no effect'",
			      (long long)det), 1);

	/* AANGEPAST after being taken in hand: OPEN, IN_BEHANDELING, AFGEROND */
	br_error_clear(&err);
	assert_int_equal(jobs_assign(f->st, voort, "cons2", "taking it", ts("2026-11-27", 9), &err), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE id = %lld AND status = 'IN_BEHANDELING'"
			      " AND door = 'cons2'", (long long)voort), 1);
	assert_int_equal(close_job(f, voort, "AANGEPAST", NULL, NULL, NULL, "cons2", "warrant settled",
				   "2026-11-28", &err), 0);
	assert_string_equal(qtext(buf, sizeof(buf), f, "SELECT group_concat(gebeurtenis || ':' || coalesce(van_status, '')"
				  " || '>' || naar_status || ':' || door, ' ') FROM (SELECT * FROM taak_gebeurtenis"
				  " WHERE taak = %lld ORDER BY id)", (long long)voort),
			    "OPEN:>OPEN:betaalrun IN_BEHANDELING:OPEN>IN_BEHANDELING:cons2"
			    " AFGEROND:IN_BEHANDELING>AFGEROND:cons2");
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE taak = %lld AND opgeheven = '2026-11-28'",
			      (long long)voort), 1);

	/* BEEINDIGD: the end date */
	assert_int_equal(close_job(f, overl, "BEEINDIGD", "2026-11-22", NULL, NULL, "cons3", "deceased",
				   "2026-11-29", &err), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM beeindiging WHERE dossier = 1 AND datum = '2026-11-22'"
			      " AND taak = %lld", (long long)overl), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE id = %lld AND datum = '2026-11-22'",
			      (long long)overl), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE taak = %lld AND opgeheven IS NULL",
			      (long long)overl), 0);

	/* RECHT_VERVALLEN: the period without right */
	assert_int_equal(close_job(f, samen, "RECHT_VERVALLEN", NULL, "2026-11-15", "2026-11-30", "cons4",
				   "paid by Hoorn for these days", "2026-12-01", &err), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM recht_vervallen WHERE dossier = 1 AND van = '2026-11-15'"
			      " AND tot = '2026-11-30' AND taak = %lld", (long long)samen), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE opgeheven IS NULL"), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM beeindiging"), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM recht_vervallen"), 1);

	/* closing twice is refused and changes nothing */
	assert_int_equal(close_job(f, det, "AANGEPAST", NULL, NULL, NULL, "cons9", "again", "2026-12-02", &err),
			 BR_EINPUT);
	assert_non_null(strstr(err.msg, "al afgerond"));
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE id = %lld AND uitkomst = 'GEEN_GEVOLGEN'",
			      (long long)det), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak_gebeurtenis WHERE taak = %lld", (long long)det), 2);
	/* nor can a closed job be taken in hand; an unknown job is missing input */
	br_error_clear(&err);
	assert_int_equal(jobs_assign(f->st, det, "cons9", "x", ts("2026-12-02", 9), &err), BR_EINPUT);
	assert_int_equal(close_job(f, 4242, "AANGEPAST", NULL, NULL, NULL, "cons9", "x", "2026-12-02", &err),
			 BR_ENOINPUT);
	br_error_clear(&err);
	assert_int_equal(jobs_assign(f->st, 4242, "cons9", "x", ts("2026-12-02", 9), &err), BR_ENOINPUT);
	br_error_clear(&err);
	assert_int_equal(jobs_assign(f->st, det, "", "x", ts("2026-12-02", 9), &err), BR_EUSAGE);
}

/* The refusals, word for word (issue 12: Dutch for the operator). */
#define UITKOMST_ONTBREEKT "--uitkomst ontbreekt: kies GEEN_GEVOLGEN, AANGEPAST, BEEINDIGD of RECHT_VERVALLEN"
#define VAN_TOT "RECHT_VERVALLEN vraagt --van en --tot (de periode zonder recht)"
#define DOOR_ONTBREEKT "--door ontbreekt: geef de medewerker die de taak afrondt"
#define TOELICHTING_ONTBREEKT "--toelichting ontbreekt: zeg waarom de taak zo wordt afgerond"

static void test_close_argument_errors(void **state)
{
	struct fx *f = *state;
	struct br_error err;
	int64_t id;
	static const struct {
		const char *uitkomst, *datum, *van, *tot, *door, *why, *says;
	} bad[] = {
		{ NULL, NULL, NULL, NULL, "c", "w", UITKOMST_ONTBREEKT },
		{ "", NULL, NULL, NULL, "c", "w", UITKOMST_ONTBREEKT },
		{ "AUTOMATISCH", NULL, NULL, NULL, "c", "w",
		  "onbekende uitkomst 'AUTOMATISCH': kies GEEN_GEVOLGEN, AANGEPAST, BEEINDIGD of RECHT_VERVALLEN" },
		{ "geen_gevolgen", NULL, NULL, NULL, "c", "w",
		  "onbekende uitkomst 'geen_gevolgen': kies GEEN_GEVOLGEN, AANGEPAST, BEEINDIGD of RECHT_VERVALLEN" },
		{ "BEEINDIGD", NULL, NULL, NULL, "c", "w", "BEEINDIGD vraagt --datum (de datum waarop het dossier eindigt)" },
		{ "BEEINDIGD", "2026-12-01", "2026-11-01", "2026-11-30", "c", "w",
		  "--van en --tot horen alleen bij RECHT_VERVALLEN, niet bij BEEINDIGD" },
		{ "RECHT_VERVALLEN", NULL, NULL, NULL, "c", "w", VAN_TOT },
		{ "RECHT_VERVALLEN", NULL, "2026-11-01", NULL, "c", "w", VAN_TOT },
		{ "RECHT_VERVALLEN", NULL, "2026-12-01", "2026-11-30", "c", "w",
		  "--van ligt na --tot: de periode zonder recht is leeg" },
		{ "RECHT_VERVALLEN", "2026-12-01", "2026-11-01", "2026-11-30", "c", "w",
		  "--datum hoort alleen bij BEEINDIGD, niet bij RECHT_VERVALLEN" },
		{ "GEEN_GEVOLGEN", "2026-12-01", NULL, NULL, "c", "w",
		  "--datum hoort alleen bij BEEINDIGD, niet bij GEEN_GEVOLGEN" },
		{ "AANGEPAST", NULL, "2026-11-01", "2026-11-30", "c", "w",
		  "--van en --tot horen alleen bij RECHT_VERVALLEN, niet bij AANGEPAST" },
		{ "AANGEPAST", NULL, NULL, NULL, NULL, "w", DOOR_ONTBREEKT },
		{ "AANGEPAST", NULL, NULL, NULL, " ", "w", DOOR_ONTBREEKT },
		{ "AANGEPAST", NULL, NULL, NULL, "c", NULL, TOELICHTING_ONTBREEKT },
		{ "AANGEPAST", NULL, NULL, NULL, "c", "", TOELICHTING_ONTBREEKT },
	};
	size_t i;

	signal(f, "IB-A1", "DETENTIE", BSN_A, "2026-11-25", "2026-11-20", NULL);
	match(f, "2026-11-26");
	id = job_of(f, 1, "DETENTIE");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = close_job(f, id, bad[i].uitkomst, bad[i].datum, bad[i].van, bad[i].tot, bad[i].door,
				   bad[i].why, "2026-11-27", &err);
		if (rc != BR_EUSAGE)
			fail_msg("case %zu: rc %d (%s)", i, rc, err.msg);
		if (strcmp(err.msg, bad[i].says) != 0)
			fail_msg("case %zu: '%s', want '%s'", i, err.msg, bad[i].says);
	}
	/* nothing happened */
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE id = %lld AND status = 'OPEN'", (long long)id), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak_gebeurtenis WHERE taak = %lld", (long long)id), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE opgeheven IS NULL"), 1);
	/* a one-day period is a period */
	assert_int_equal(close_job(f, id, "RECHT_VERVALLEN", NULL, "2026-11-20", "2026-11-20", "c", "one day",
				   "2026-11-27", &err), 0);
}

/* ---- the append-only audit trail ---------------------------------------------------- */

static void test_triggers(void **state)
{
	struct fx *f = *state;
	struct br_error err;
	int64_t open_id, closed_id;
	char *q;

	open_id = open_event(f, 1, "AOW", "2026-11-01", "AOW", "AOW age");
	closed_id = open_event(f, 1, "REGISTER", "2026-11-01", "r", "bad IBAN");
	assert_int_equal(close_job(f, closed_id, "AANGEPAST", NULL, NULL, NULL, "cons1", "fixed", "2026-11-02",
				   &err), 0);

	br_error_clear(&err);
	assert_true(store_exec(f->st, "UPDATE taak_gebeurtenis SET door = 'someone else'", &err) < 0);
	assert_non_null(strstr(err.msg, "cannot be changed"));
	br_error_clear(&err);
	assert_true(store_exec(f->st, "DELETE FROM taak_gebeurtenis", &err) < 0);
	assert_non_null(strstr(err.msg, "cannot be deleted"));
	br_error_clear(&err);
	q = sqlite3_mprintf("UPDATE taak SET status = 'OPEN' WHERE id = %lld", (long long)closed_id);
	assert_true(store_exec(f->st, q, &err) < 0);
	sqlite3_free(q);
	assert_non_null(strstr(err.msg, "closed job"));
	br_error_clear(&err);
	assert_true(store_exec(f->st, "DELETE FROM taak", &err) < 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak_gebeurtenis"), 3);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE status = 'AFGEROND'"), 1);
	/* an open job can still change (that is how a join lowers its due date) */
	exec_ok(f, "UPDATE taak SET prioriteit = 1 WHERE id = %lld", (long long)open_id);
}

/* ---- the worklist -------------------------------------------------------------------- */

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *b;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	b = calloc(1, (size_t)n + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	return b;
}

static void no_bsn(const char *text)
{
	static const char *const bsns[] = { BSN_A, BSN_P, BSN_C, BSN_X, BSN_OLD, "987654321" };
	size_t i;

	for (i = 0; i < sizeof(bsns) / sizeof(bsns[0]); i++)
		if (strstr(text, bsns[i]))
			fail_msg("BSN %s in the output:\n%s", bsns[i], text);
}

static void test_list_csv(void **state)
{
	struct fx *f = *state;
	struct jobs_filter flt;
	struct br_error err;
	struct stat sb;
	char csv[160], line[1024], *text, *table = NULL;
	size_t table_len = 0;
	FILE *out;
	int64_t det, verm, reg, d2, aow;
	int n;

	snprintf(csv, sizeof(csv), "%s/jobs.csv", f->dir);
	signal(f, "IB-L1", "DETENTIE", BSN_A, "2026-11-25", "2026-11-20", "Insluiting");
	signal(f, "IB-L2", "VERMOGEN", BSN_A, "2026-11-01", "2026-01-01", NULL);
	signal(f, "IB-L3", "BANKREKENING", BSN_A, "2026-11-02", "2026-01-01", NULL);
	signal(f, "IB-L4", "VOERTUIG", BSN_C, "2026-11-25", "2026-01-01", NULL);
	match(f, "2026-11-26");
	det = job_of(f, 1, "DETENTIE");      /* 1, 2026-11-30 */
	verm = job_of(f, 1, "VERMOGEN");     /* 2, 2026-11-29 */
	d2 = job_of(f, 3, "VERMOGEN");       /* 3, 2026-12-23, gemeente 0405 */
	/* free text with a comma, quotes, a formula start and a BSN-like number */
	reg = open_event(f, 2, "REGISTER", "2026-11-20", "2026-11",
			 "=IBAN \"NL00\", wrong for 987654321");   /* 1, 2026-11-25, gemeente 0398 */
	aow = open_event(f, 3, "AOW", "2026-11-01", "AOW", "AOW age");   /* 2, 2026-11-29 */
	/* a closed job is not on the worklist */
	assert_true(open_event(f, 2, "AOW", "2026-11-01", "AOW", "x") > 0);
	assert_int_equal(close_job(f, job_of(f, 2, "AOW"), "GEEN_GEVOLGEN", NULL, NULL, NULL, "c", "w",
				   "2026-11-26", &err), 0);

	br_error_clear(&err);
	out = open_memstream(&table, &table_len);
	assert_non_null(out);
	assert_int_equal(jobs_list(f->st, NULL, out, NULL, &err), 0);
	fclose(out);
	no_bsn(table);
	assert_non_null(strstr(table, "PW-0405-000001"));
	assert_non_null(strstr(table, "IB-L2 IB-L3"));
	for (text = table, n = 0; (text = strchr(text, '\n')); text++)
		n++;
	assert_int_equal(n, 1 + 5);   /* header and the five open jobs */
	free(table);
	table = NULL;

	/* --csv FILE: the CSV to the file (rfc4180 here), one line to `out`
	 * instead of the table */
	memset(&flt, 0, sizeof(flt));
	flt.csv = CSV_RFC4180;
	out = open_memstream(&table, &table_len);
	assert_non_null(out);
	assert_int_equal(jobs_list(f->st, &flt, out, csv, &err), 0);
	fclose(out);
	snprintf(line, sizeof(line), "werklijst: 5 open taken naar %s\n", csv);
	assert_string_equal(table, line);
	free(table);
	table = NULL;
	assert_int_equal(stat(csv, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	text = slurp(csv);
	no_bsn(text);
	assert_true(strncmp(text, "id,dossier,gemeente,gemeentenaam,soort,prioriteit,status,vervaldatum,signalen,"
			    "omschrijving,behandelaar\r\n", 104) == 0);
	/* priority, then due date, then id; 0398 is none of the seven
	 * municipalities (no name), 0405 is Hoorn */
	snprintf(line, sizeof(line),
		 "%lld,PW-0398-000002,0398,,REGISTER,1,OPEN,2026-11-25,,\"'=IBAN \"\"NL00\"\", wrong for *****4321\",\r\n"
		 "%lld,PW-0405-000001,0405,Hoorn,DETENTIE,1,OPEN,2026-11-30,IB-L1,signaal DETENTIE (IB-L1): Insluiting,\r\n",
		 (long long)reg, (long long)det);
	assert_non_null(strstr(text, line));
	snprintf(line, sizeof(line), "\n%lld,PW-0405-000001,0405,Hoorn,VERMOGEN,2,OPEN,2026-11-29,IB-L2 IB-L3,",
		 (long long)verm);
	assert_non_null(strstr(text, line));
	assert_true(strstr(text, line) < strstr(text, "AOW,2,OPEN,2026-11-29"));   /* same due: lower id first */
	snprintf(line, sizeof(line), "\n%lld,PW-0405-000003,0405,Hoorn,AOW,2,OPEN,2026-11-29,,AOW age,\r\n"
		 "%lld,PW-0405-000003,0405,Hoorn,VERMOGEN,3,OPEN,2026-12-23,IB-L4,", (long long)aow, (long long)d2);
	assert_non_null(strstr(text, line));
	assert_null(strstr(text, "PW-0398-000002,0398,,AOW"));
	free(text);

	/* without a filter: excel-nl, for a Dutch spreadsheet; "-" writes the
	 * CSV to `out` and no file */
	out = open_memstream(&table, &table_len);
	assert_non_null(out);
	assert_int_equal(jobs_list(f->st, NULL, out, "-", &err), 0);
	fclose(out);
	assert_true(strncmp(table, "\xef\xbb\xbfid;dossier;gemeente;gemeentenaam;soort;prioriteit;status;"
			    "vervaldatum;signalen;omschrijving;behandelaar\r\n", 107) == 0);
	snprintf(line, sizeof(line), "\r\n%lld;PW-0405-000001;0405;Hoorn;DETENTIE;1;OPEN;2026-11-30;IB-L1;"
		 "signaal DETENTIE (IB-L1): Insluiting;\r\n", (long long)det);
	assert_non_null(strstr(table, line));
	assert_int_equal(access("-", F_OK), -1);
	free(table);
	table = NULL;

	/* filters: gemeente, soort, overdue on a day */
	memset(&flt, 0, sizeof(flt));
	flt.gemeente = "0398";
	assert_int_equal(jobs_list(f->st, &flt, NULL, csv, &err), 0);
	text = slurp(csv);
	assert_non_null(strstr(text, "REGISTER"));
	assert_null(strstr(text, "0405"));
	free(text);
	memset(&flt, 0, sizeof(flt));
	flt.soort = "VERMOGEN";
	assert_int_equal(jobs_list(f->st, &flt, NULL, csv, &err), 0);
	text = slurp(csv);
	assert_non_null(strstr(text, "IB-L2 IB-L3"));
	assert_non_null(strstr(text, "IB-L4"));
	assert_null(strstr(text, "DETENTIE"));
	assert_null(strstr(text, "AOW"));
	free(text);
	memset(&flt, 0, sizeof(flt));
	flt.overdue = 1;
	flt.today = dy("2026-11-30");   /* due 11-25 and 11-29 are past; 11-30 is not */
	assert_int_equal(jobs_list(f->st, &flt, NULL, csv, &err), 0);
	text = slurp(csv);
	assert_non_null(strstr(text, "REGISTER"));
	assert_non_null(strstr(text, "IB-L2 IB-L3"));
	assert_non_null(strstr(text, ";AOW;"));   /* excel-nl: no dialect in the filter */
	assert_null(strstr(text, "DETENTIE"));
	assert_null(strstr(text, "IB-L4"));
	free(text);

	/* the summary for `status`: open and overdue per gemeente */
	out = open_memstream(&table, &table_len);
	assert_int_equal(jobs_summary(f->st, dy("2026-11-30"), out, &err), 0);
	fclose(out);
	assert_non_null(strstr(table, "0398              1        1\n"));
	assert_non_null(strstr(table, "0405              4        2\n"));
	assert_non_null(strstr(table, "totaal            5        3\n"));
	free(table);
}

static void test_show(void **state)
{
	struct fx *f = *state;
	struct br_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int64_t id;

	signal(f, "IB-H1", "EMIGRATIE", BSN_P, "2026-11-20", "2026-11-18", "Vertrek, BSN 111222333 gemeld");
	signal(f, "IB-H2", "KOSTENDELERS", BSN_P, "2026-11-21", "2026-11-01", NULL);
	match(f, "2026-11-22");
	id = job_of(f, 2, "WOONSITUATIE");
	br_error_clear(&err);
	assert_int_equal(jobs_assign(f->st, id, "cons7", "mine", ts("2026-11-23", 9), &err), 0);
	assert_int_equal(close_job(f, id, "BEEINDIGD", "2026-11-18", NULL, NULL, "cons7", "emigrated",
				   "2026-11-24", &err), 0);
	out = open_memstream(&text, &len);
	assert_int_equal(jobs_show(f->st, id, out, &err), 0);
	fclose(out);
	no_bsn(text);
	/* nor in what was stored from the signal's free text */
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE reden LIKE '%%%s%%'", BSN_P), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE omschrijving LIKE '%%%s%%'", BSN_P), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM opschorting WHERE reden = 'EMIGRATIE: Vertrek, BSN *****2333 gemeld'"), 2);
	assert_non_null(strstr(text, "WOONSITUATIE"));
	assert_non_null(strstr(text, "PW-0398-000002"));
	assert_non_null(strstr(text, "IB-H1  EMIGRATIE  bron BRP  signaaldatum 2026-11-20  periode 2026-11-18.."));
	assert_non_null(strstr(text, "IB-H2  KOSTENDELERS"));
	assert_non_null(strstr(text, "Vertrek, BSN *****2333 gemeld"));
	assert_non_null(strstr(text, "SIGNAAL vanaf 2026-11-18 door IB-H1"));
	assert_non_null(strstr(text, "opgeheven 2026-11-24 door cons7"));
	assert_non_null(strstr(text, "uitkomst       BEEINDIGD per 2026-11-18"));
	assert_non_null(strstr(text, "afgerond       2026-11-24T14:00:00 door cons7"));
	assert_non_null(strstr(text, "OPEN -> IN_BEHANDELING  mine"));
	assert_non_null(strstr(text, "2026-11-24T14:00:00  cons7           AFGEROND        IN_BEHANDELING -> AFGEROND  emigrated"));
	free(text);
	text = NULL;
	out = open_memstream(&text, &len);
	br_error_clear(&err);
	assert_int_equal(jobs_show(f->st, 4242, out, &err), BR_ENOINPUT);
	fclose(out);
	free(text);
}

/* No run of nine or more digits anywhere in `text` (issue 12). */
static void no_digit_run(const char *text)
{
	size_t i, run = 0;

	for (i = 0; text[i]; i++) {
		run = text[i] >= '0' && text[i] <= '9' ? run + 1 : 0;
		if (run >= 9)
			fail_msg("a run of nine digits at byte %zu of:\n%s", i - 8, text);
	}
}

/*
 * Every value `jobs show` prints is masked like the specification: a
 * dossier number, a kenmerk in the key, a signal id and an operator's name
 * that hold nine digits in a row keep only the last four.  A REGISTER
 * job's text (the record problem as stored) is shown in Dutch.
 */
static void test_show_masks_digit_runs(void **state)
{
	struct fx *f = *state;
	struct br_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int64_t reg, det;

	exec_ok(f, "INSERT INTO dossier (id, nummer, regeling, gemeente, ingangsdatum, eerste_snapshot,"
		" laatste_snapshot) VALUES (4, 'PW-0405-123456789012', 'PW', '0405', '2025-01-01', 1, 1)");
	stand(f, 4, "2026-01-01", BSN_X, NULL);
	reg = open_event(f, 4, "REGISTER", "2026-11-20", "kenmerk 5550001234567",
			 "register data blocks payment: account: IBAN NL91ABNA0417164301 fails the mod-97 check");
	br_error_clear(&err);
	assert_int_equal(jobs_assign(f->st, reg, "medewerker 4444333322221", "in behandeling", ts("2026-11-21", 9),
				     &err), 0);
	out = open_memstream(&text, &len);
	assert_int_equal(jobs_show(f->st, reg, out, &err), 0);
	fclose(out);
	no_digit_run(text);
	assert_non_null(strstr(text, "  dossier        PW-0405-********9012 (gemeente 0405)\n"));
	assert_non_null(strstr(text, "  sleutel        kenmerk *********4567\n"));
	assert_non_null(strstr(text, "  behandelaar    medewerker *********2221\n"));
	assert_non_null(strstr(text, "  omschrijving   registergegevens houden de betaling tegen: rekening: IBAN"
				     " NL91ABNA******4301 voldoet niet aan de mod-97-controle\n"));
	free(text);
	text = NULL;

	signal(f, "IB-98765432109", "DETENTIE", BSN_X, "2026-11-25", "2026-11-20", NULL);
	match(f, "2026-11-26");
	det = job_of(f, 4, "DETENTIE");
	out = open_memstream(&text, &len);
	assert_int_equal(jobs_show(f->st, det, out, &err), 0);
	fclose(out);
	no_digit_run(text);
	assert_non_null(strstr(text, "  IB-*******2109  DETENTIE  bron DJI  signaaldatum 2026-11-25"));
	free(text);
}

/* ---- re-settlement -------------------------------------------------------------------- */

static void test_herberekening(void **state)
{
	struct fx *f = *state;
	struct br_error err;
	char buf[256];
	int64_t id;

	br_error_clear(&err);
	assert_int_equal(jobs_record_herberekening(f->st, 1, "2026-10", "corrected income for 2026-10",
						   -12345, ts("2026-11-25", 8), &err), 0);
	id = qint(f, "SELECT id FROM taak WHERE soort = 'HERBEREKENING'");
	assert_true(id > 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE id = %lld AND dossier = 1 AND status = 'AFGEROND'"
			      " AND uitkomst = 'AUTOMATISCH' AND bedrag_cents = -12345 AND door = 'betaalrun'"
			      " AND sleutel = '2026-10' AND afgerond = '2026-11-25T08:00:00'"
			      " AND omschrijving = 'corrected income for 2026-10'", (long long)id), 1);
	assert_string_equal(qtext(buf, sizeof(buf), f, "SELECT group_concat(gebeurtenis || ':' || door, ' ') FROM"
				  " (SELECT * FROM taak_gebeurtenis WHERE taak = %lld ORDER BY id)", (long long)id),
			    "OPEN:betaalrun AFGEROND:betaalrun");
	qtext(buf, sizeof(buf), f, "SELECT reden FROM taak_gebeurtenis WHERE taak = %lld AND gebeurtenis = 'AFGEROND'",
	      (long long)id);
	assert_non_null(strstr(buf, "123,45"));
	/* not on the worklist, and closed for good */
	assert_int_equal(close_job(f, id, "AANGEPAST", NULL, NULL, NULL, "c", "w", "2026-11-26", &err), BR_EINPUT);
	assert_int_equal(jobs_list(f->st, NULL, NULL, NULL, &err), 0);
	/* the same re-settlement (same key) is recorded once ... */
	assert_int_equal(jobs_record_herberekening(f->st, 1, "2026-10", "corrected income for 2026-10", -12345,
						   ts("2026-11-26", 8), &err), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE soort = 'HERBEREKENING' AND dossier = 1"), 1);
	/* ... another re-settlement of the same dossier is another record */
	assert_int_equal(jobs_record_herberekening(f->st, 1, "2026-12 500", "withdrawn income", 500,
						   ts("2026-12-25", 8), &err), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE soort = 'HERBEREKENING' AND dossier = 1"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_join_keeps_earlier_due_and_higher_priority, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hold_once_per_date, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partner_and_several_dossiers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmatched_until_the_dossier_appears, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_soort_is_a_config_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_event_dedup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_in_caller_transaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_outcomes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_argument_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_triggers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_csv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_masks_digit_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_herberekening, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

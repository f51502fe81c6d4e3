/*
 * test_bankfeedback.c — what the bank says, booked once (payments.md "Bank
 * status reports", "Bank statements and returns"; pipeline/bankfeedback.h).
 *
 * A store with one released run of eight payments (six clients in batch
 * -1, two third parties in batch -2) and one prepared run.  Status lines
 * and statement entries are written into the store as intake would, then
 * bankfeedback_apply runs in a transaction.  Expected outcomes are written
 * by hand from payments.md; the randomized test compares the store with a
 * small oracle written here from the same rules (most specific level wins,
 * the last line of a level, at most one booking back per payment, reason
 * classes), over many seeds; the failing seed is printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "bankfeedback.h"
#include "date.h"
#include "error.h"
#include "fsutil.h"
#include "ledger.h"
#include "signaltable.h"
#include "store.h"

#include "banned.h"

#define RUN1 "BR-202611-0001"
#define B1 "BR-202611-0001-1"   /* clients */
#define B2 "BR-202611-0001-2"   /* third parties */
#define N_PAY 8

/* payment i (1..8): dossier, kind, amount in cents; ids equal i */
static const struct {
	int dossier;
	const char *soort;
	int64_t cents;
	const char *batch;
} pay[N_PAY + 1] = {
	{ 0, "", 0, "" },
	{ 1, "CLIENT", 101011, B1 }, { 2, "CLIENT", 50000, B1 }, { 3, "CLIENT", 1, B1 },
	{ 4, "CLIENT", 99999, B1 }, { 5, "CLIENT", 120000, B1 }, { 6, "CLIENT", 7777, B1 },
	{ 5, "DERDE", 45000, B2 }, { 6, "DERDE", 12345, B2 },
};

struct fx {
	char dir[64];
	struct store *st;
	struct signaltable t;
	int64_t now;
	int next_levering;
};

static void exec_ok(struct fx *f, const char *fmt, ...)
{
	struct br_error err;
	va_list ap;
	char *q;

	va_start(ap, fmt);
	q = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	br_error_clear(&err);
	if (store_exec(f->st, q, &err) != 0)
		fail_msg("%s: %s", q, err.msg);
	sqlite3_free(q);
}

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

static void qtext(char *buf, size_t cap, struct fx *f, const char *fmt, ...)
{
	sqlite3_stmt *s = NULL;
	va_list ap;
	char *q;

	va_start(ap, fmt);
	q = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(store_db(f->st), q, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", q, sqlite3_errmsg(store_db(f->st)));
	snprintf(buf, cap, "%s", sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)
		 ? (const char *)sqlite3_column_text(s, 0) : "<none>");
	sqlite3_finalize(s);
	sqlite3_free(q);
}

static void world(struct fx *f)
{
	int i;

	exec_ok(f, "INSERT INTO levering (id, sha256, soort, levering_id, bestandsnaam, aanmaakdatum, ontvangen,"
		" bytes, archief) VALUES (1, printf('%%064d', 1), 'register', 'R1', 'r.xml',"
		" '2026-01-01T00:00:00', '2026-01-01T00:00:00', 1, 'a1')");
	exec_ok(f, "INSERT INTO snapshot (id, levering, peildatum, aanmaakdatum)"
		" VALUES (1, 1, '2026-01-01', '2026-01-01T00:00:00')");
	exec_ok(f, "INSERT INTO persoon (id, bsn, naam, geboortedatum) VALUES (1, '123456782', 'X', '1980-01-01')");
	for (i = 1; i <= 6; i++) {
		exec_ok(f, "INSERT INTO dossier (id, nummer, regeling, gemeente, ingangsdatum, eerste_snapshot,"
			" laatste_snapshot) VALUES (%d, printf('PW-0405-%%06d', %d), 'PW', '0405', '2025-01-01', 1, 1)",
			i, i);
		exec_ok(f, "INSERT INTO stand (id, dossier, vanaf, snapshot, hash, aanvrager, leefvorm, kostendelers,"
			" woonkostenverlaging_pct, iban, tenaamstelling) VALUES (%d, %d, '2026-01-01', 1, x'00', 1,"
			" 'ALLEENSTAAND', 0, 0, printf('NL91ABNA04171643%%02d', %d), 'X')", i, i, i);
	}
	exec_ok(f, "INSERT INTO derde (stand, volgnr, kenmerk, naam, iban, bedrag_cents, prioriteit, omschrijving)"
		" VALUES (5, 1, 'HUUR-5', 'Woonstichting', 'NL39RABO0300065264', 45000, 1, 'huur'),"
		" (6, 1, 'ZORG-6', 'Zorgverzekeraar', 'NL44RABO0123456789', 12345, 2, 'zorg')");
	exec_ok(f, "INSERT INTO run (id, msg_id, maand, aanvullend, status, aangemaakt, uitvoerdatum, startmaand,"
		" regels_sha256, pain_versie, map) VALUES (1, '" RUN1 "', '2026-11', 0, 'RELEASED',"
		" '2026-11-20T09:00:00', '2026-11-24', '2026-10', 'x', '001.001.09', 'm'),"
		" (2, 'BR-202612-0002', '2026-12', 0, 'PREPARED', '2026-12-20T09:00:00', '2026-12-24', '2026-10', 'x',"
		" '001.001.09', 'm2')");
	exec_ok(f, "INSERT INTO batch (run, soort, pmtinf_id) VALUES (1, 'CLIENT', '" B1 "'), (1, 'DERDE', '" B2 "'),"
		" (2, 'CLIENT', 'BR-202612-0002-1')");
	for (i = 1; i <= N_PAY; i++)
		exec_ok(f, "INSERT INTO betaling (id, run, dossier, soort, end_to_end_id, batch, bedrag_cents, iban,"
			" naam, omschrijving, kenmerk) VALUES (%d, 1, %d, %Q, printf('BR1-%%06d', %d),"
			" (SELECT id FROM batch WHERE pmtinf_id = %Q), %lld,"
			" %Q, 'N', 'o', %Q)", i, pay[i].dossier, pay[i].soort, i, pay[i].batch,
			(long long)pay[i].cents,
			strcmp(pay[i].soort, "DERDE") == 0 ? (i == 7 ? "NL39RABO0300065264" : "NL44RABO0123456789")
							   : "NL91ABNA0417164300",
			i == 7 ? "HUUR-5" : i == 8 ? "ZORG-6" : NULL);
	exec_ok(f, "INSERT INTO betaling (id, run, dossier, soort, end_to_end_id, batch, bedrag_cents, iban,"
		" naam, omschrijving) VALUES (9, 2, 1, 'CLIENT', 'BR2-000001', 3, 500,"
		" 'NL91ABNA0417164300', 'N', 'o')");
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
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_bankfb.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof(path), "%s/t.db", f->dir);
	assert_int_equal(store_open(&f->st, path, 1, &err), 0);
	f->now = timestamp_from(date_from_ymd(2026, 11, 26), 9, 0, 0);
	f->next_levering = 10;
	world(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	struct br_error err;

	store_close(f->st);
	signaltable_release(&f->t);
	br_error_clear(&err);
	assert_int_equal(fsutil_remove_tree(f->dir, &err), 0);
	free(f);
	return 0;
}

/* ---- writing a delivery as intake does ----------------------------------- */

static int64_t delivery(struct fx *f, const char *soort)
{
	int id = f->next_levering++;

	exec_ok(f, "INSERT INTO levering (id, sha256, soort, levering_id, bestandsnaam, aanmaakdatum, ontvangen,"
		" bytes, archief) VALUES (%d, printf('%%064d', %d), %Q, printf('BANK-%%04d', %d), 'b.xml',"
		" '2026-11-26T08:00:00', '2026-11-26T08:00:00', 1, printf('a%%d', %d))", id, id, soort, id, id);
	return id;
}

/* One status line: level 1 group (msg), 2 batch (msg, pmtinf), 3 transaction. */
static void line(struct fx *f, int64_t lev, int level, const char *msg, const char *pmtinf, const char *e2e,
		 const char *status, const char *reason, const char *name)
{
	exec_ok(f, "INSERT INTO bankstatus (levering, regel, orgnl_msg_id, orgnl_pmtinf_id, orgnl_e2e_id, status,"
		" reden, niveau, naam) VALUES (%lld, (SELECT count(*) + 1 FROM bankstatus WHERE levering = %lld),"
		" %Q, %Q, %Q, %Q, %Q, %d, %Q)", (long long)lev, (long long)lev, msg,
		pmtinf && pmtinf[0] ? pmtinf : NULL, e2e && e2e[0] ? e2e : NULL, status,
		reason && reason[0] ? reason : NULL, level, name);
}

static void ret(struct fx *f, int64_t lev, const char *e2e, const char *reason, int64_t cents)
{
	exec_ok(f, "INSERT INTO bankpost (levering, regel, soort, boekdatum, bedrag_cents, e2e_id, reden)"
		" VALUES (%lld, 1, 'STORNO', '2026-11-30', %lld, %Q, %Q)", (long long)lev, (long long)cents, e2e,
		reason);
}

static void debit(struct fx *f, int64_t lev, const char *pmtinf, const char *msg, int64_t cents)
{
	exec_ok(f, "INSERT INTO bankpost (levering, regel, soort, boekdatum, bedrag_cents, pmtinf_id, msg_id)"
		" VALUES (%lld, 1, 'AFSCHRIJVING', '2026-11-24', %lld, %Q, %Q)", (long long)lev, (long long)cents,
		pmtinf, msg);
}

static struct bankfeedback_result apply(struct fx *f, int64_t lev)
{
	struct bankfeedback_result r;
	struct br_error err;

	br_error_clear(&err);
	assert_int_equal(store_begin(f->st, &err), 0);
	if (bankfeedback_apply(&r, f->st, &f->t, lev, f->now, &err) != 0)
		fail_msg("bankfeedback_apply: %s", err.msg);
	assert_int_equal(store_commit(f->st, &err), 0);
	if (ledger_check(f->st, &err) != 0)
		fail_msg("ledger_check: %s", err.msg);
	return r;
}

static const char *e2e(int i)
{
	static char buf[4][16];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "BR1-%06d", i);
	return buf[k];
}

/* ---- hand cases ------------------------------------------------------------ */

static void test_reason_classes(void **state)
{
	(void)state;
	assert_true(bankfeedback_account_reason("AC04"));
	assert_true(bankfeedback_account_reason("MD07"));
	assert_true(bankfeedback_account_reason("AC01"));
	assert_false(bankfeedback_account_reason("AM04"));
	assert_false(bankfeedback_account_reason("AM10"));
	assert_false(bankfeedback_account_reason("NARR"));
	assert_false(bankfeedback_account_reason(""));
	assert_false(bankfeedback_account_reason(NULL));
	assert_false(bankfeedback_account_reason("ac04"));
	assert_false(bankfeedback_account_reason("RABO-PROPRIETARY-REASON-35-CHARS-X"));
	assert_string_equal(bankfeedback_reason_text("AC04"), "rekening opgeheven");
	assert_null(bankfeedback_reason_text("ZZ99"));
}

/*
 * Group PART, batch -1 RJCT AM04, transaction RJCT AC04 for payment 1
 * (twice) and ACCP for payment 2: payment 1 is booked back for its
 * account, 2 is not (its own line wins), 3-6 for AM04 (the batch), 7-8
 * (batch -2) not at all.
 */
static void test_levels_most_specific_once(void **state)
{
	struct fx *f = *state;
	struct bankfeedback_result r;
	int64_t lev = delivery(f, "pain002");
	char text[1000];

	line(f, lev, 1, RUN1, NULL, NULL, "PART", NULL, NULL);
	line(f, lev, 2, RUN1, B1, NULL, "RJCT", "AM04", NULL);
	line(f, lev, 3, RUN1, B1, e2e(1), "RJCT", "AC04", NULL);
	line(f, lev, 3, RUN1, B1, e2e(1), "RJCT", "AC04", NULL);
	line(f, lev, 3, RUN1, B1, e2e(2), "ACCP", NULL, NULL);
	r = apply(f, lev);
	assert_int_equal(r.booked_back, 5);
	assert_int_equal(r.booked_back_cents, 101011 + 1 + 99999 + 120000 + 7777);
	assert_int_equal(r.account_blocks, 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM terugboeking"), 5);
	qtext(text, sizeof(text), f, "SELECT group_concat(betaling || ':' || klasse || ':' || reden, ' ') FROM"
	      " (SELECT * FROM terugboeking ORDER BY betaling)");
	assert_string_equal(text, "1:REKENING:AC04 3:OVERIG:AM04 4:OVERIG:AM04 5:OVERIG:AM04 6:OVERIG:AM04");
	/* one negative difference per client payment, in the run's month */
	qtext(text, sizeof(text), f, "SELECT group_concat(terugboeking || ':' || bedrag_cents || ':' || maand, ' ')"
	      " FROM (SELECT * FROM boeking WHERE terugboeking IS NOT NULL ORDER BY terugboeking)");
	assert_string_equal(text, "1:-101011:2026-11 3:-1:2026-11 4:-99999:2026-11 5:-120000:2026-11 6:-7777:2026-11");
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE soort = 'REGISTER' AND dossier = 1"
			       " AND sleutel = 'TERUG BR1-000001'"), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE soort = 'REGISTER'"), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE soort = 'BANK' AND dossier IS NULL"), 1);
	qtext(text, sizeof(text), f, "SELECT omschrijving FROM taak WHERE soort = 'BANK'");
	assert_non_null(strstr(text, "4 betaling(en) teruggeboekt, samen € 2.277,77, reden AM04"));
	assert_null(strstr(text, "NL91"));
	assert_int_equal(qint(f, "SELECT count(*) FROM betaling WHERE status = 'RJCT'"), 5);
	/* ACCP is kept in the audit trail only; the payment has no final status */
	assert_int_equal(qint(f, "SELECT count(*) FROM betaling WHERE id = 2 AND status IS NULL"), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM bankstatus WHERE orgnl_e2e_id = 'BR1-000002'"
			       " AND status = 'ACCP'"), 1);

	/* the same report again with a new MsgId, and a return of payment 1 */
	lev = delivery(f, "pain002");
	line(f, lev, 2, RUN1, B1, NULL, "RJCT", "AM04", NULL);
	line(f, lev, 3, RUN1, B1, e2e(1), "RJCT", "AC04", NULL);
	line(f, lev, 3, RUN1, B1, e2e(2), "ACCP", NULL, NULL);
	r = apply(f, lev);
	assert_int_equal(r.booked_back, 0);
	assert_int_equal(r.payments, 6);
	lev = delivery(f, "camt053");
	ret(f, lev, e2e(1), "AC04", 101011);
	r = apply(f, lev);
	assert_int_equal(r.booked_back, 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM terugboeking"), 5);
	assert_int_equal(qint(f, "SELECT sum(bedrag_cents) FROM boeking WHERE terugboeking IS NOT NULL"),
			 -(101011 + 1 + 99999 + 120000 + 7777));
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE soort = 'REGISTER'"), 1);
}

/* The store itself refuses a second booking back, whatever code tries it. */
static void test_store_enforces_once(void **state)
{
	struct fx *f = *state;
	struct br_error err;

	exec_ok(f, "INSERT INTO terugboeking (betaling, bron, levering, reden, klasse, datum)"
		" VALUES (1, 'pain002', 1, 'AC04', 'REKENING', '2026-11-26')");
	br_error_clear(&err);
	assert_int_not_equal(store_exec(f->st, "INSERT INTO terugboeking (betaling, bron, levering, reden, klasse,"
				       " datum) VALUES (1, 'camt', 1, 'AC04', 'REKENING', '2026-11-27')", &err), 0);
	exec_ok(f, "INSERT INTO boeking (run, dossier, maand, soort, bedrag_cents, kenmerk, terugboeking)"
		" VALUES (1, 1, '2026-11', 'verschil', -101011, 'RJCT', 1)");
	br_error_clear(&err);
	assert_int_not_equal(store_exec(f->st, "INSERT INTO boeking (run, dossier, maand, soort, bedrag_cents,"
				       " kenmerk, terugboeking) VALUES (1, 1, '2026-11', 'verschil', -101011, 'RTRN', 1)",
				       &err), 0);
}

/* A rejection of the whole file: everything booked back, nothing blocked,
 * one BANK job; third parties stay owed to their own accounts. */
static void test_whole_file(void **state)
{
	struct fx *f = *state;
	struct bankfeedback_result r;
	int64_t lev = delivery(f, "pain002");
	char text[1000];

	line(f, lev, 1, RUN1, NULL, NULL, "RJCT", "AM10", NULL);
	r = apply(f, lev);
	assert_int_equal(r.booked_back, N_PAY);
	assert_int_equal(r.account_blocks, 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM terugboeking WHERE klasse = 'OVERIG'"), N_PAY);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE soort IN ('REGISTER', 'DERDEN')"), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE soort = 'BANK'"), 1);
	qtext(text, sizeof(text), f, "SELECT omschrijving FROM taak WHERE soort = 'BANK'");
	assert_non_null(strstr(text, "8 betaling(en) teruggeboekt, samen € 4.361,33, reden AM10"));
	assert_non_null(strstr(text, "--month 2026-11 --aanvullend"));
	/* third parties: no difference in the month (never paid to the client) */
	assert_int_equal(qint(f, "SELECT count(*) FROM boeking WHERE terugboeking IN (7, 8)"), 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM boeking WHERE terugboeking IS NOT NULL"), 6);
}

static int count_owed(void *ctx, const struct bankfeedback_owed *o, struct br_error *err)
{
	char *out = ctx;
	size_t n = strlen(out);

	(void)err;
	snprintf(out + n, 400 - n, "%lld:%d:%s:%s:%s ", (long long)o->betaling, o->account, o->iban, o->new_iban,
		 o->kenmerk);
	return 0;
}

/* A third party's account rejected: owed, with the register's account. */
static void test_owed_third_party(void **state)
{
	struct fx *f = *state;
	struct br_error err;
	int64_t lev = delivery(f, "pain002");
	char owed[400] = "";

	line(f, lev, 3, RUN1, B2, e2e(7), "RJCT", "AC04", NULL);
	line(f, lev, 3, RUN1, B2, e2e(8), "RJCT", "AM04", NULL);
	apply(f, lev);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE soort = 'DERDEN' AND dossier = 5"), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE soort = 'DERDEN' AND dossier = 6"), 0);
	br_error_clear(&err);
	assert_int_equal(bankfeedback_owed_each(f->st, date_from_ymd(2026, 12, 1), count_owed, owed, &err), 0);
	assert_string_equal(owed, "7:1:NL39RABO0300065264:NL39RABO0300065264:HUUR-5 "
			   "8:0:NL44RABO0123456789:NL44RABO0123456789:ZORG-6 ");
	/* a later run pays 8 again; at its release it is settled, once */
	exec_ok(f, "INSERT INTO run (id, msg_id, maand, aanvullend, status, aangemaakt, uitvoerdatum, startmaand,"
		" regels_sha256, pain_versie, map) VALUES (3, 'BR-202612-0003', '2026-12', 0, 'APPROVED',"
		" '2026-12-20T09:00:00', '2026-12-24', '2026-10', 'x', '001.001.09', 'm3'),"
		" (4, 'BR-202612-0004', '2026-12', 1, 'APPROVED',"
		" '2026-12-21T09:00:00', '2026-12-24', '2026-10', 'x', '001.001.09', 'm4')");
	exec_ok(f, "INSERT INTO batch (id, run, soort, pmtinf_id) VALUES (4, 3, 'DERDE', 'BR-202612-0003-2'),"
		" (5, 4, 'DERDE', 'BR-202612-0004-2')");
	exec_ok(f, "INSERT INTO betaling (id, run, dossier, soort, end_to_end_id, batch, bedrag_cents, iban,"
		" naam, omschrijving, herbetaling_van) VALUES (20, 3, 6, 'DERDE', 'BR3-000001', 4,"
		" 12345, 'NL44RABO0123456789', 'Z', 'o', 8), (21, 4, 6, 'DERDE', 'BR4-000001', 5,"
		" 12345, 'NL44RABO0123456789', 'Z', 'o', 8)");
	assert_int_equal(bankfeedback_owed_settle(f->st, 3, &err), 0);
	assert_int_equal(qint(f, "SELECT herbetaald FROM terugboeking WHERE betaling = 8"), 20);
	br_error_clear(&err);
	assert_int_equal(bankfeedback_owed_settle(f->st, 4, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "een andere run betaalde ze; bereid deze maand opnieuw voor"));
	owed[0] = '\0';
	assert_int_equal(bankfeedback_owed_each(f->st, date_from_ymd(2026, 12, 1), count_owed, owed, &err), 0);
	assert_string_equal(owed, "7:1:NL39RABO0300065264:NL39RABO0300065264:HUUR-5 ");
}

/* Lines that match nothing are kept and named; VoP results book nothing. */
static void test_unmatched_and_vop(void **state)
{
	struct fx *f = *state;
	struct bankfeedback_result r;
	int64_t lev = delivery(f, "pain002");
	char text[1000];

	line(f, lev, 1, "BR-209901-0001", NULL, NULL, "RJCT", "AM04", NULL);   /* unknown run */
	line(f, lev, 1, "BR-202612-0002", NULL, NULL, "RJCT", "AM04", NULL);   /* only prepared */
	line(f, lev, 3, RUN1, B1, "br1-000001", "RJCT", "AC04", NULL);          /* lower case */
	line(f, lev, 2, RUN1, "BR-202611-0001-9", NULL, "RJCT", "AM04", NULL); /* no such batch */
	line(f, lev, 3, RUN1, B1, "", "", NULL, NULL);                          /* no id, no status */
	line(f, lev, 3, RUN1, B1, e2e(2), "RVNM", NULL, "J. JANSEN");
	line(f, lev, 3, RUN1, B1, e2e(3), "RCVC", NULL, "X");
	r = apply(f, lev);
	assert_int_equal(r.booked_back, 0);
	assert_int_equal(r.unmatched, 4);
	assert_int_equal(r.vop_mismatches, 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM bankstatus WHERE onbekend = 1"), 4);
	assert_int_equal(qint(f, "SELECT count(*) FROM terugboeking"), 0);
	qtext(text, sizeof(text), f, "SELECT omschrijving FROM taak WHERE soort = 'REGISTER' AND dossier = 2");
	assert_non_null(strstr(text, "'J. JANSEN'"));
	assert_non_null(strstr(text, "RVNM"));
	qtext(text, sizeof(text), f, "SELECT omschrijving FROM taak WHERE soort = 'BANK'");
	assert_non_null(strstr(text, "4 regel(s) passen bij geen vrijgegeven run of betaling"));
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE soort = 'BANK' AND sleutel = 'pain002 BANK-%04lld'",
			      (long long)lev), 1);
}

/* ACSC is final: a later ACCP does not undo it. */
static void test_settled_is_final(void **state)
{
	struct fx *f = *state;
	int64_t lev = delivery(f, "pain002");
	char text[32];

	line(f, lev, 3, RUN1, B1, e2e(4), "ACSC", NULL, NULL);
	assert_int_equal(apply(f, lev).settled, 1);
	lev = delivery(f, "pain002");
	line(f, lev, 3, RUN1, B1, e2e(4), "ACCP", NULL, NULL);
	apply(f, lev);
	qtext(text, sizeof(text), f, "SELECT status FROM betaling WHERE id = 4");
	assert_string_equal(text, "ACSC");
}

/* payments.md "Reconciliation": matched debits once; a different amount
 * and a missing debit are BANK jobs, once each. */
static void test_debits(void **state)
{
	struct fx *f = *state;
	struct bankfeedback_result r;
	struct br_error err;
	long opened;
	int64_t lev = delivery(f, "camt053");

	debit(f, lev, B1, RUN1, 101011 + 50000 + 1 + 99999 + 120000 + 7777);
	debit(f, lev, B2, RUN1, 45000 + 12345 - 1);
	r = apply(f, lev);
	assert_int_equal(r.debits, 1);
	assert_int_equal(r.debit_mismatches, 1);
	assert_int_equal(qint(f, "SELECT bedrag_cents FROM afschrijving WHERE pmtinf_id = '" B1 "'"), 378788);
	lev = delivery(f, "camt054");
	debit(f, lev, B1, RUN1, 378788);
	debit(f, lev, B2, RUN1, 45000 + 12345 - 1);
	r = apply(f, lev);
	assert_int_equal(r.debits, 0);
	assert_int_equal(qint(f, "SELECT count(*) FROM afschrijving"), 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM taak WHERE soort = 'BANK' AND sleutel LIKE 'AFSCHRIJVING %%'"), 1);
	/* executed Tuesday 2026-11-24; 3 business days: due by Friday 27th */
	br_error_clear(&err);
	assert_int_equal(bankfeedback_check_debits(&opened, f->st, &f->t, 3,
						   timestamp_from(date_from_ymd(2026, 11, 27), 12, 0, 0), &err), 0);
	assert_int_equal(opened, 0);
	assert_int_equal(bankfeedback_check_debits(&opened, f->st, &f->t, 3,
						   timestamp_from(date_from_ymd(2026, 11, 30), 12, 0, 0), &err), 0);
	assert_int_equal(opened, 1);
	assert_int_equal(bankfeedback_check_debits(&opened, f->st, &f->t, 3,
						   timestamp_from(date_from_ymd(2026, 12, 1), 12, 0, 0), &err), 0);
	assert_int_equal(opened, 0);
	/* after a report rejected payment 2, the bank debits batch -1 less it */
	exec_ok(f, "DELETE FROM afschrijving");
	lev = delivery(f, "pain002");
	line(f, lev, 3, RUN1, B1, e2e(2), "RJCT", "AM04", NULL);
	apply(f, lev);
	lev = delivery(f, "camt053");
	debit(f, lev, B1, RUN1, 378788 - 50000);
	r = apply(f, lev);
	assert_int_equal(r.debits, 1);
	assert_int_equal(r.debit_mismatches, 0);
	assert_int_equal(qint(f, "SELECT bedrag_cents FROM afschrijving WHERE pmtinf_id = '" B1 "'"), 328788);
	/* a whole-run debit by MsgId covers both batches */
	lev = delivery(f, "camt053");
	debit(f, lev, "", RUN1, 378788 + 57345);
	assert_int_equal(apply(f, lev).debits, 1);
	assert_int_equal(qint(f, "SELECT count(*) FROM afschrijving"), 2);
	/* no double-counting: the same debits again change nothing */
	lev = delivery(f, "camt054");
	debit(f, lev, "", RUN1, 378788 + 57345);
	assert_int_equal(apply(f, lev).debits, 0);
}

/* ---- randomized: any sequence of bank files books each payment back at
 * most once, as the oracle says ------------------------------------------- */

static const char *const statuses[] = { "RJCT", "RJCT", "ACCP", "ACSC", "PDNG", "RVNM", "ACTC", "" };
static const char *const rsn[] = { "AC04", "MD07", "AM04", "AM10", "NARR", "", "RABO-EIGEN-REDEN-1234567890" };
#define PICK(a, r) (a[(r) % (sizeof(a) / sizeof(a[0]))])

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

/* the oracle's reason classes, from the table in payments.md */
static int oracle_account(const char *r)
{
	return strcmp(r, "AC04") == 0 || strcmp(r, "MD07") == 0;
}

struct oline { int level, target; const char *status, *reason, *msg; };

/* One random report: lines for the released run (a few for an unknown one). */
static int random_report(struct oline *l, unsigned *seed)
{
	int n = 1 + (int)(rnd(seed) % 7), i;

	for (i = 0; i < n; i++) {
		l[i].level = 1 + (int)(rnd(seed) % 3);
		l[i].target = l[i].level == 3 ? 1 + (int)(rnd(seed) % N_PAY) : 1 + (int)(rnd(seed) % 2);
		l[i].status = PICK(statuses, rnd(seed));
		l[i].reason = PICK(rsn, rnd(seed));
		l[i].msg = rnd(seed) % 10 == 0 ? "BR-209901-0001" : RUN1;
		if (l[i].level == 1 && rnd(seed) % 3)
			l[i].status = strcmp(l[i].status, "RJCT") == 0 ? "PART" : l[i].status;  /* group RJCT rarer */
	}
	return n;
}

/* payments.md: for each payment the most specific status, the last of its level. */
static int oracle_effective(const struct oline *l, int n, int p)
{
	int best = -1, i;

	for (i = 0; i < n; i++) {
		int applies = strcmp(l[i].msg, RUN1) == 0 && l[i].status[0] &&
			      ((l[i].level == 1) ||
			       (l[i].level == 2 && strcmp(pay[p].batch, l[i].target == 1 ? B1 : B2) == 0) ||
			       (l[i].level == 3 && l[i].target == p));
		if (applies && (best < 0 || l[i].level >= l[best].level))
			best = i;
	}
	return best;
}

static void write_report(struct fx *f, int64_t lev, const struct oline *l, int n)
{
	int i;

	for (i = 0; i < n; i++)
		line(f, lev, l[i].level, l[i].msg, l[i].level >= 2 ? (l[i].level == 2 ? (l[i].target == 1 ? B1 : B2)
				    : pay[l[i].target].batch) : NULL, l[i].level == 3 ? e2e(l[i].target) : NULL,
		     l[i].status, l[i].reason, "N");
}

static void check_against_oracle(struct fx *f, const int *booked, unsigned seed0, int file)
{
	int64_t client_cents = 0;
	int p, n = 0, nc = 0;

	for (p = 1; p <= N_PAY; p++) {
		char want[64], got[64];

		snprintf(want, sizeof(want), "%s", booked[p] ? (booked[p] == 2 ? "REKENING" : "OVERIG") : "<none>");
		qtext(got, sizeof(got), f, "SELECT klasse FROM terugboeking WHERE betaling = %d", p);
		if (strcmp(want, got) != 0) {
			char lines[2000];
			qtext(lines, sizeof(lines), f, "SELECT group_concat(niveau || ' ' || orgnl_msg_id || ' '"
			      " || coalesce(orgnl_pmtinf_id, '-') || ' ' || coalesce(orgnl_e2e_id, '-') || ' ' || status"
			      " || ' ' || coalesce(reden, '-'), '; ') FROM bankstatus WHERE levering ="
			      " (SELECT max(levering) FROM bankstatus)");
			fail_msg("seed %u, file %d: payment %d booked back as %s, oracle says %s (last report: %s)",
				 seed0, file, p, got, want, lines);
		}
		if (booked[p]) {
			n++;
			if (strcmp(pay[p].soort, "CLIENT") == 0) {
				nc++;
				client_cents += pay[p].cents;
			}
		}
	}
	if (qint(f, "SELECT count(*) FROM terugboeking") != n ||
	    qint(f, "SELECT count(*) FROM boeking WHERE terugboeking IS NOT NULL") != nc ||
	    (nc && qint(f, "SELECT -sum(bedrag_cents) FROM boeking WHERE terugboeking IS NOT NULL") != client_cents))
		fail_msg("seed %u, file %d: %d booked back (%d clients, %lld cents) but the store differs", seed0, file,
			 n, nc, (long long)client_cents);
}

static void one_history(struct fx *f, unsigned seed0)
{
	unsigned seed = seed0;
	int booked[N_PAY + 1] = { 0 };
	struct oline l[8];
	int file, files = 2 + (int)(rnd(&seed) % 6), p;

	for (file = 0; file < files; file++) {
		int64_t lev;

		if (rnd(&seed) % 4 == 0) {   /* a statement with returns */
			int k = 1 + (int)(rnd(&seed) % 3), i;
			lev = delivery(f, "camt053");
			for (i = 0; i < k; i++) {
				const char *r = PICK(rsn, rnd(&seed));
				p = 1 + (int)(rnd(&seed) % N_PAY);
				ret(f, lev, e2e(p), r, pay[p].cents);
				if (!booked[p])
					booked[p] = oracle_account(r) ? 2 : 1;
			}
		} else {
			int n = random_report(l, &seed);
			lev = delivery(f, "pain002");
			write_report(f, lev, l, n);
			for (p = 1; p <= N_PAY; p++) {
				int e = oracle_effective(l, n, p);
				if (e >= 0 && strcmp(l[e].status, "RJCT") == 0 && !booked[p])
					booked[p] = oracle_account(l[e].reason) ? 2 : 1;
			}
		}
		apply(f, lev);
		check_against_oracle(f, booked, seed0, file);
	}
}

static void test_random_histories(void **state)
{
	struct fx *f = *state;
	const char *env = getenv("BANKFB_SEEDS");
	unsigned fresh = (unsigned)time(NULL), seed;
	int n = env ? (int)strtol(env, NULL, 10) : 150, i;

	for (i = 0; i < n; i++) {
		seed = i == 0 ? fresh : (unsigned)i;
		exec_ok(f, "DELETE FROM boeking; DELETE FROM grootboek; DELETE FROM terugboeking;"
			" UPDATE betaling SET status = NULL, reden = NULL; DELETE FROM bankstatus; DELETE FROM bankpost;");
		if (i == 0)
			printf("random bank histories: fresh seed %u (BANKFB_SEEDS=%d histories)\n", fresh, n);
		one_history(f, seed);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reason_classes),
		cmocka_unit_test_setup_teardown(test_levels_most_specific_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_enforces_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whole_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owed_third_party, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmatched_and_vop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settled_is_final, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_histories, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_ledger.c — the released ledger (pipeline/ledger.h): bookings and the
 * per-dossier summary the settlement reads, kept together and checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "date.h"
#include "fsutil.h"
#include "ledger.h"
#include "store.h"

#include "banned.h"

struct fx {
	char dir[64];
	char db[128];
	struct store *st;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct br_error err;

	br_error_clear(&err);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_ledger.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
	assert_int_equal(store_open(&f->st, f->db, 1, &err), 0);
	assert_int_equal(store_exec(f->st,
		"INSERT INTO levering (id, sha256, soort, levering_id, bestandsnaam, aanmaakdatum, ontvangen, bytes, archief)"
		" VALUES (1, printf('%064d', 1), 'register', 'R1', 'r.xml', '2026-01-01T00:00:00', '2026-01-01T00:00:00', 1, 'a');"
		"INSERT INTO snapshot (id, levering, peildatum, aanmaakdatum) VALUES (1, 1, '2026-01-01', '2026-01-01T00:00:00');"
		"INSERT INTO dossier (id, nummer, regeling, gemeente, ingangsdatum, eerste_snapshot, laatste_snapshot)"
		" VALUES (7, 'PW-0405-000007', 'PW', '0405', '2025-01-01', 1, 1);", &err), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	struct br_error err;

	store_close(f->st);
	br_error_clear(&err);
	assert_int_equal(fsutil_remove_tree(f->dir, &err), 0); /* the db, -wal, -shm */
	free(f);
	return 0;
}

static int32_t mon(const char *s)
{
	int32_t m;
	struct br_error err;
	br_error_clear(&err);
	assert_int_equal(month_parse(&m, s, strlen(s), &err), 0);
	return m;
}

static void add(struct settle_result *r, enum settle_booking_kind k, const char *month, int64_t cents, int ref)
{
	struct settle_booking *b = &r->bookings[r->n_bookings++];
	b->kind = k;
	b->month = mon(month);
	b->amount_cents = cents;
	b->ref = ref;
}

/* Two runs booked: the summary holds paid, VT paid and "advanced" per
 * month exactly as settle.h defines them; claims and third parties go to
 * the bookings with their kenmerk only. */
static void test_book_and_decode(void **state)
{
	struct fx *f = *state;
	struct ledger *l = NULL;
	struct settle_result r;
	struct settle_booking b[16];
	struct settle_claim claim = { "TV-1", 10000, 4500, 0, 0 };
	struct settle_derde derde = { "HUUR-1", 65000, 1, 0 };
	struct settle_paid p[8];
	struct br_error err;
	sqlite3_stmt *q = NULL;
	int n;

	br_error_clear(&err);
	memset(&r, 0, sizeof(r));
	r.bookings = b;
	assert_int_equal(ledger_open(&l, f->st, &err), 0);
	/* run 2026-01: advance 1331.43, claim 45.00, rent 650.00, client 636.43 */
	add(&r, BOOK_VOORSCHOT, "2026-01", 133143, -1);
	add(&r, BOOK_INHOUDING, "2026-01", 4500, 0);
	add(&r, BOOK_DERDEN, "2026-01", 65000, 0);
	add(&r, BOOK_CLIENT, "2026-01", 63643, -1);
	assert_int_equal(ledger_book(l, 1, 7, &r, &claim, 1, &derde, 1, &err), 0);
	/* pending until released: no summary yet */
	assert_int_equal(store_prepare(f->st, &q, "SELECT count(*) FROM grootboek", &err), 0);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 0);
	sqlite3_finalize(q);
	q = NULL;
	assert_int_equal(ledger_release(f->st, 1, "2026-01-23", &err), 0);
	/* run 2026-02: January recomputed lower (-120.00), VT for January, an
	 * old month made a claim, and a VT decrease of December made a claim */
	r.n_bookings = 0;
	add(&r, BOOK_VOORSCHOT, "2026-02", 133143, -1);
	add(&r, BOOK_VERSCHIL, "2026-01", -12000, -1);
	add(&r, BOOK_VT, "2026-01", 7007, -1);
	add(&r, BOOK_VORDERING, "2025-06", -5000, -1);
	add(&r, BOOK_VT_VORDERING, "2025-12", -300, -1);
	add(&r, BOOK_CLIENT, "2026-02", 128150, -1);
	assert_int_equal(ledger_book(l, 2, 7, &r, &claim, 1, &derde, 1, &err), 0);
	ledger_free(l);
	assert_int_equal(ledger_release(f->st, 2, "2026-02-25", &err), 0);
	/* a third run, prepared and then discarded, leaves no trace */
	assert_int_equal(ledger_open(&l, f->st, &err), 0);
	assert_int_equal(ledger_book(l, 3, 7, &r, &claim, 1, &derde, 1, &err), 0);
	ledger_free(l);
	assert_int_equal(ledger_discard(f->st, 3, &err), 0);

	assert_int_equal(store_prepare(f->st, &q, "SELECT maanden FROM grootboek WHERE dossier = 7", &err), 0);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	n = ledger_decode(p, 8, sqlite3_column_blob(q, 0), (size_t)sqlite3_column_bytes(q, 0), &err);
	sqlite3_finalize(q);
	assert_int_equal(n, 4);
	assert_int_equal(p[0].month, mon("2025-06"));
	assert_int_equal(p[0].paid_cents, -5000);
	assert_int_equal(p[0].advanced, 0);
	assert_int_equal(p[1].month, mon("2025-12"));
	assert_int_equal(p[1].vt_paid_cents, -300);
	assert_int_equal(p[2].month, mon("2026-01"));
	assert_int_equal(p[2].paid_cents, 133143 - 12000);
	assert_int_equal(p[2].vt_paid_cents, 7007);
	assert_int_equal(p[2].advanced, 1);
	assert_int_equal(p[3].month, mon("2026-02"));
	assert_int_equal(p[3].paid_cents, 133143);

	assert_int_equal(store_prepare(f->st, &q, "SELECT count(*), sum(kenmerk = 'TV-1'), sum(kenmerk = 'HUUR-1'),"
				       " sum(soort = 'vt_vordering'), sum(soort = 'client') FROM boeking WHERE dossier = 7",
				       &err), 0);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 8);   /* ten bookings, less the two client shares */
	assert_int_equal(sqlite3_column_int(q, 4), 0);
	assert_int_equal(sqlite3_column_int(q, 1), 1);
	assert_int_equal(sqlite3_column_int(q, 2), 1);
	assert_int_equal(sqlite3_column_int(q, 3), 1);
	sqlite3_finalize(q);
	assert_int_equal(ledger_check(f->st, &err), 0);
}

/* ledger_check notices a summary that no longer matches its bookings. */
static void test_check_finds_drift(void **state)
{
	struct fx *f = *state;
	struct ledger *l = NULL;
	struct settle_result r;
	struct settle_booking b[4];
	struct br_error err;

	br_error_clear(&err);
	memset(&r, 0, sizeof(r));
	r.bookings = b;
	add(&r, BOOK_VOORSCHOT, "2026-03", 133143, -1);
	add(&r, BOOK_CLIENT, "2026-03", 133143, -1);
	assert_int_equal(ledger_open(&l, f->st, &err), 0);
	assert_int_equal(ledger_book(l, 3, 7, &r, NULL, 0, NULL, 0, &err), 0);
	ledger_free(l);
	assert_int_equal(ledger_release(f->st, 3, "2026-03-25", &err), 0);
	assert_int_equal(ledger_check(f->st, &err), 0);
	assert_int_equal(store_exec(f->st, "UPDATE boeking SET bedrag_cents = bedrag_cents + 1"
				    " WHERE soort = 'voorschot'", &err), 0);
	assert_int_equal(ledger_check(f->st, &err), BR_EINTERNAL);
	assert_non_null(strstr(err.msg, "wijkt af van de boekingen"));
}

/* A store from before issue 13 holds version 1 summaries: they are read,
 * checked against the bookings, and the next release folds its bookings
 * into them and writes version 2. */
static void test_release_over_version_1(void **state)
{
	/* 2026-01 (month 24312): paid 1331.43, released */
	static const unsigned char v1[22] = { 1, 0xf8, 0x5e, 0, 0, 0x17, 0x08, 0x02, 0, 0, 0, 0, 0,
					      0, 0, 0, 0, 0, 0, 0, 0, 1 };
	struct fx *f = *state;
	struct ledger *l = NULL;
	struct settle_result r;
	struct settle_booking b[4];
	struct settle_paid p[4];
	struct br_error err;
	sqlite3_stmt *q = NULL;

	br_error_clear(&err);
	memset(&r, 0, sizeof(r));
	r.bookings = b;
	add(&r, BOOK_VOORSCHOT, "2026-01", 133143, -1);
	assert_int_equal(ledger_open(&l, f->st, &err), 0);
	assert_int_equal(ledger_book(l, 1, 7, &r, NULL, 0, NULL, 0, &err), 0);
	ledger_free(l);
	assert_int_equal(ledger_release(f->st, 1, "2026-01-23", &err), 0);
	assert_int_equal(store_prepare(f->st, &q, "UPDATE grootboek SET maanden = ?1 WHERE dossier = 7", &err), 0);
	sqlite3_bind_blob(q, 1, v1, sizeof(v1), SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	assert_int_equal(ledger_check(f->st, &err), 0);
	/* February: its advance, and January lower by 120.00 */
	r.n_bookings = 0;
	add(&r, BOOK_VOORSCHOT, "2026-02", 133143, -1);
	add(&r, BOOK_VERSCHIL, "2026-01", -12000, -1);
	assert_int_equal(ledger_open(&l, f->st, &err), 0);
	assert_int_equal(ledger_book(l, 2, 7, &r, NULL, 0, NULL, 0, &err), 0);
	ledger_free(l);
	assert_int_equal(ledger_release(f->st, 2, "2026-02-25", &err), 0);
	assert_int_equal(store_prepare(f->st, &q, "SELECT maanden FROM grootboek WHERE dossier = 7", &err), 0);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(((const unsigned char *)sqlite3_column_blob(q, 0))[0], 2);
	assert_int_equal(ledger_decode(p, 4, sqlite3_column_blob(q, 0), (size_t)sqlite3_column_bytes(q, 0), &err), 2);
	sqlite3_finalize(q);
	assert_int_equal(p[0].paid_cents, 133143 - 12000);
	assert_int_equal(p[1].month, mon("2026-02"));
	assert_int_equal(p[1].paid_cents, 133143);
	assert_int_equal(ledger_check(f->st, &err), 0);
}

/* A malformed summary is refused, never read as money. */
static void test_decode_refuses_garbage(void **state)
{
	static const struct { const char *what; unsigned char b[12]; size_t n; const char *msg; } bad[] = {
		{ "unknown version", { 3, 2, 0, 0 }, 4, "misvormd (4 bytes)" },
		{ "version 1, a month cut", { 1, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 10, "misvormd (10 bytes)" },
		/* version 2: a varint runs past the end; a month cut; the
		 * same month twice; a month past int32; an 11-byte varint */
		{ "varint past the end", { 2, 0x80 }, 2, "misvormd (2 bytes)" },
		{ "month cut", { 2, 0x02, 0x04 }, 3, "misvormd (3 bytes)" },
		{ "not ascending", { 2, 0x02, 0, 0, 0x00, 0, 0 }, 7, "staat niet op maandvolgorde" },
		{ "past int32", { 2, 0x80, 0x80, 0x80, 0x80, 0x10, 0, 0 }, 8, "misvormd (8 bytes)" },
		{ "varint of 11 bytes", { 2, 2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02 }, 12,
		  "misvormd (12 bytes)" },
	};
	static const unsigned char neg[22] = { 1, 0x02, 0, 0, 0x80 };
	struct settle_paid p[4];
	struct br_error err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		br_error_clear(&err);
		if (ledger_decode(p, 4, bad[i].b, bad[i].n, &err) != BR_EINTERNAL || !strstr(err.msg, bad[i].msg))
			fail_msg("%s: not refused with \"%s\" (%s)", bad[i].what, bad[i].msg, err.msg);
	}
	assert_int_equal(ledger_decode(p, 4, bad[0].b, 0, &err), 0);
	/* found by fuzz_ledger: a version 1 month before year 0 (which version
	 * 2 cannot hold) read as a month */
	br_error_clear(&err);
	assert_int_equal(ledger_decode(p, 4, neg, sizeof(neg), &err), BR_EINTERNAL);
	assert_non_null(strstr(err.msg, "misvormd (22 bytes)"));
}

/* Version 1 blobs (stores from before issue 13) are still read; what is
 * encoded now is version 2 and gives back the same months, 5 bytes a
 * month here where version 1 took 21; more months than fit are refused. */
static void test_versions(void **state)
{
	/* 2026-01 (month 24312): paid 1331.43, VT 70.07, released */
	static const unsigned char v1[22] = { 1, 0xf8, 0x5e, 0, 0, 0x17, 0x08, 0x02, 0, 0, 0, 0, 0,
					      0x5f, 0x1b, 0, 0, 0, 0, 0, 0, 1 };
	struct settle_paid p[4], q[4], many[3];
	unsigned char buf[LEDGER_ENCODED_MAX(4)];
	struct br_error err;
	size_t len;
	int i;

	(void)state;
	br_error_clear(&err);
	assert_int_equal(ledger_decode(p, 4, v1, sizeof(v1), &err), 1);
	assert_int_equal(p[0].month, mon("2026-01"));
	assert_int_equal(p[0].paid_cents, 133143);
	assert_int_equal(p[0].vt_paid_cents, 7007);
	assert_int_equal(p[0].advanced, 1);
	p[1] = p[0];
	p[1].month = mon("2026-02");
	p[1].paid_cents = -5000;     /* a month that ended up owing */
	p[1].vt_paid_cents = 0;
	p[1].advanced = 0;
	p[2] = p[1];
	p[2].month = mon("2027-06");
	p[2].paid_cents = INT64_MIN;  /* the ends of the range */
	p[2].vt_paid_cents = INT64_MAX;
	len = ledger_encode(buf, p, 3);
	assert_int_equal(buf[0], 2);
	assert_true(len <= LEDGER_ENCODED_MAX(3));
	assert_int_equal(ledger_decode(q, 4, buf, len, &err), 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(q[i].month, p[i].month);
		assert_int_equal(q[i].paid_cents, p[i].paid_cents);
		assert_int_equal(q[i].vt_paid_cents, p[i].vt_paid_cents);
		assert_int_equal(q[i].advanced, p[i].advanced);
	}
	assert_int_equal(ledger_encode(buf, p, 1), 1 + 3 + 3 + 2);
	len = ledger_encode(buf, p, 3);
	assert_int_equal(ledger_decode(many, 2, buf, len, &err), BR_EINTERNAL);
	assert_non_null(strstr(err.msg, "meer dan 2 maanden"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_book_and_decode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_finds_drift, setup, teardown),
		cmocka_unit_test_setup_teardown(test_release_over_version_1, setup, teardown),
		cmocka_unit_test(test_decode_refuses_garbage),
		cmocka_unit_test(test_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

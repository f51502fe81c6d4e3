/*
 * test_dossierindex.c — the store's dossiers as a snapshot compares with
 * them (pipeline/dossierindex.h), on rows written by hand into a fresh
 * store:
 *
 *  - a row key tells every two different rows apart: NULL from "", and
 *    one split of the same bytes over the values from another; a value
 *    longer than 254 bytes gives no key (the row is then always written);
 *  - the latest stand is the one with the greatest vanaf, whatever order
 *    the stands were written in, with its hash; a dossier without stands
 *    has none;
 *  - active and to_end follow formats.md §1 on the peildatum: no
 *    Einddatum, or one on/after (active) or after (to_end) the peildatum;
 *  - a lookup finds every dossier in the store's order, in the reverse
 *    order and among 5,000 (the hash table), and nothing for an unknown
 *    number.
 *
 * Every expected value is written out by hand from the rows below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dossierindex.h"
#include "fsutil.h"
#include "store.h"

#include "banned.h"

struct fx {
	char dir[256];
	char db[300];
	struct store *st;
};

static int setup(void **state)
{
	static struct fx f;
	struct br_error err;
	const char *t = getenv("TMPDIR");

	br_error_clear(&err);
	snprintf(f.dir, sizeof(f.dir), "%.200s/test_dossierindex.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(f.dir))
		return -1;
	snprintf(f.db, sizeof(f.db), "%s/betaalrun.db", f.dir);
	if (store_open(&f.st, f.db, 1, &err) < 0)
		return -1;
	/* rows by hand, without the snapshots and persons they refer to */
	if (sqlite3_exec(store_db(f.st), "PRAGMA foreign_keys = OFF", NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	struct br_error err;

	br_error_clear(&err);
	store_close(f->st);
	return fsutil_remove_tree(f->dir, &err);
}

static void exec(struct fx *f, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(store_db(f->st), sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static void test_row_key(void **state)
{
	unsigned char a[DOSSIERINDEX_ROW_MAX], b[DOSSIERINDEX_ROW_MAX];
	char long_name[300];
	size_t na, nb;

	(void)state;
	na = dossierindex_row_key(a, "PW", "0405", "2025-01-01", NULL);
	nb = dossierindex_row_key(b, "PW", "0405", "2025-01-01", "");
	assert_int_equal(na, 1 + 2 + 1 + 4 + 1 + 10 + 1);
	assert_int_equal(nb, na);
	assert_memory_not_equal(a, b, na);   /* NULL is not "" */
	/* the same bytes split otherwise over regeling and gemeente */
	na = dossierindex_row_key(a, "PW0", "405", "2025-01-01", NULL);
	nb = dossierindex_row_key(b, "PW", "0405", "2025-01-01", NULL);
	assert_int_equal(na, nb);
	assert_memory_not_equal(a, b, na);
	nb = dossierindex_row_key(b, "PW0", "405", "2025-01-01", NULL);
	assert_memory_equal(a, b, na);
	/* 254 bytes fit, 255 do not */
	memset(long_name, 'x', 254);
	long_name[254] = '\0';
	assert_int_equal(dossierindex_row_key(a, "PW", long_name, NULL, NULL), 1 + 2 + 1 + 254 + 1 + 1);
	long_name[254] = 'x';
	long_name[255] = '\0';
	assert_int_equal(dossierindex_row_key(a, "PW", long_name, NULL, NULL), 0);
}

static void test_load(void **state)
{
	struct fx *f = *state;
	struct dossierindex *ix = NULL;
	struct dossierindex_entry *e;
	unsigned char key[DOSSIERINDEX_ROW_MAX];
	struct br_error err;
	size_t n;

	br_error_clear(&err);
	exec(f, "INSERT INTO dossier (id, nummer, regeling, gemeente, ingangsdatum, einddatum, beeindigd_door,"
		" eerste_snapshot, laatste_snapshot) VALUES"
		" (1, 'PW-1', 'PW', '0405', '2025-01-01', NULL, NULL, 1, 1),"
		" (2, 'PW-2', 'PW', '0405', '2025-01-01', '2026-11-27', 3, 1, 1),"
		" (3, 'PW-3', 'IOAW', '0420', '2024-05-01', '2026-11-26', NULL, 1, 1),"
		" (7, 'PW-7', 'PW', '0405', '2025-01-01', '2026-12-31', NULL, 1, 1)");
	/* dossier 1's latest stand (2026-11-01) written before an older one */
	exec(f, "INSERT INTO stand (id, dossier, vanaf, snapshot, hash, aanvrager, leefvorm, kostendelers,"
		" woonkostenverlaging_pct, iban, tenaamstelling) VALUES"
		" (10, 1, '2026-11-01', 2, x'0102', 1, 'ALLEENSTAAND', 0, 0, 'NL91ABNA0417164300', 'A'),"
		" (11, 1, '2026-10-01', 1, x'0304', 1, 'ALLEENSTAAND', 0, 0, 'NL91ABNA0417164300', 'A'),"
		" (12, 2, '2026-10-01', 1, x'05', 2, 'ALLEENSTAAND', 0, 0, 'NL91ABNA0417164300', 'B'),"
		" (13, 7, '2026-10-01', 1, x'06', 3, 'ALLEENSTAAND', 0, 0, 'NL91ABNA0417164300', 'C')");
	assert_int_equal(dossierindex_load(&ix, f->st, "2026-11-27", &err), 0);
	assert_int_equal(dossierindex_count(ix), 4);
	/* active on 2026-11-27: 1 (open), 2 (ends on it), 7; not 3 */
	assert_int_equal(dossierindex_active(ix), 3);

	assert_non_null(e = dossierindex_find(ix, "PW-1"));
	assert_int_equal(e->id, 1);
	assert_int_equal(e->stand, 10);
	assert_string_equal(e->vanaf, "2026-11-01");
	assert_int_equal(e->hash_len, 2);
	assert_memory_equal(e->hash, "\x01\x02", 2);
	assert_true(e->active && e->to_end && !e->ended_by);
	assert_true(dossierindex_row_is(ix, e, key, dossierindex_row_key(key, "PW", "0405", "2025-01-01", NULL)));
	assert_false(dossierindex_row_is(ix, e, key, dossierindex_row_key(key, "PW", "0405", "2025-01-01",
									   "2026-12-31")));

	assert_non_null(e = dossierindex_find(ix, "PW-2"));
	assert_true(e->active && !e->to_end && e->ended_by);
	assert_true(dossierindex_row_is(ix, e, key, dossierindex_row_key(key, "PW", "0405", "2025-01-01",
									  "2026-11-27")));
	assert_non_null(e = dossierindex_find(ix, "PW-3"));
	assert_true(!e->active && !e->to_end && !e->ended_by);
	assert_int_equal(e->stand, 0);          /* no stand */
	assert_int_equal(e->hash_len, 0);
	assert_string_equal(e->vanaf, "");
	assert_true(dossierindex_row_is(ix, e, key, dossierindex_row_key(key, "IOAW", "0420", "2024-05-01",
									  "2026-11-26")));
	assert_non_null(e = dossierindex_find(ix, "PW-7"));
	assert_int_equal(e->id, 7);
	assert_int_equal(e->stand, 13);
	assert_null(dossierindex_find(ix, "PW-4"));
	assert_null(dossierindex_find(ix, ""));
	/* in id order as listed */
	for (n = 0; n < dossierindex_count(ix); n++)
		assert_true(n == 0 || dossierindex_at(ix, n)->id > dossierindex_at(ix, n - 1)->id);
	dossierindex_free(ix);
}

/* 5,000 dossiers: found in the store's order, in reverse (every lookup
 * past the hint) and interleaved with unknown numbers. */
static void test_many(void **state)
{
	struct fx *f = *state;
	struct dossierindex *ix = NULL;
	struct dossierindex_entry *e;
	struct br_error err;
	char nummer[32];
	int i;

	br_error_clear(&err);
	exec(f, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
		" INSERT INTO dossier (id, nummer, regeling, gemeente, ingangsdatum, eerste_snapshot,"
		" laatste_snapshot) SELECT i, 'PW-0405-' || printf('%06d', i), 'PW', '0405', '2025-01-01', 1, 1"
		" FROM n");
	assert_int_equal(dossierindex_load(&ix, f->st, "2026-11-27", &err), 0);
	assert_int_equal(dossierindex_count(ix), 5000);
	assert_int_equal(dossierindex_active(ix), 5000);
	for (i = 1; i <= 5000; i++) {
		snprintf(nummer, sizeof(nummer), "PW-0405-%06d", i);
		assert_non_null(e = dossierindex_find(ix, nummer));
		assert_int_equal(e->id, i);
	}
	for (i = 5000; i >= 1; i--) {
		snprintf(nummer, sizeof(nummer), "PW-0405-%06d", i);
		assert_non_null(e = dossierindex_find(ix, nummer));
		assert_int_equal(e->id, i);
		snprintf(nummer, sizeof(nummer), "PW-0406-%06d", i);
		assert_null(dossierindex_find(ix, nummer));
	}
	dossierindex_free(ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_row_key),
		cmocka_unit_test_setup_teardown(test_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

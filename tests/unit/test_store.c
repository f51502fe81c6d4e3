/*
 * test_store.c — the store's schema and its migrations (pipeline/store.c).
 *
 * Migration 5 rewrites every CHECK (col IN (...)) of more than two values
 * into the equivalent OR form, in place (store_rewrite_checks).  These
 * tests build a version-4 store the way an older betaalrun left it, from
 * the shipped migration texts themselves: the test includes store.c to
 * reach its static `migrations[]` rather than copying three hundred lines
 * of schema or widening store.h for a test.  The archive's store.o is then
 * never linked (every symbol it defines is defined here first).
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

#include "store.c"
#include "fsutil.h"

struct fx {
	char dir[64];
	char db[128];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	snprintf(f->dir, sizeof(f->dir), "/tmp/test_store.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	struct br_error err;

	br_error_clear(&err);
	assert_int_equal(fsutil_remove_tree(f->dir, &err), 0); /* the db and its -wal, -shm */
	free(f);
	return 0;
}

static void exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static int query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The first row of a query as text, in `out`. */
static void query_text(sqlite3 *db, const char *sql, char *out, size_t cap)
{
	sqlite3_stmt *st = NULL;
	const unsigned char *t;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	t = sqlite3_column_text(st, 0);
	snprintf(out, cap, "%s", t ? (const char *)t : "NULL");
	sqlite3_finalize(st);
}

/* A version-4 store, as migrations 1-4 left it (the runner's steps), with
 * rows in every table whose CHECK migration 5 rewrites. */
static void make_v4(const char *path)
{
	sqlite3 *db = NULL;
	char pragma[64];
	int v, i;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	exec_ok(db, "PRAGMA foreign_keys = ON");
	for (v = 0; v < 4; v++) {
		exec_ok(db, "BEGIN IMMEDIATE");
		for (i = 0; migrations[v].sql[i]; i++)
			exec_ok(db, migrations[v].sql[i]);
		assert_null(migrations[v].apply);
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		exec_ok(db, pragma);
		exec_ok(db, "COMMIT");
	}
	exec_ok(db,
		"INSERT INTO levering (id, sha256, soort, levering_id, bestandsnaam, aanmaakdatum, ontvangen, bytes, archief)"
		" VALUES (1, printf('%064d', 1), 'register', 'R1', 'r.xml', '2026-01-01T00:00:00', '2026-01-01T00:00:00', 1, 'a1'),"
		" (2, printf('%064d', 2), 'inkomen', 'I1', 'i.xml', '2026-01-02T00:00:00', '2026-01-02T00:00:00', 1, 'a2');"
		"INSERT INTO snapshot (id, levering, peildatum, aanmaakdatum) VALUES (1, 1, '2026-01-01', '2026-01-01T00:00:00');"
		"INSERT INTO persoon (id, bsn, naam, geboortedatum) VALUES (1, '111222333', 'A. Jansen', '1980-01-01');"
		"INSERT INTO dossier (id, nummer, regeling, gemeente, ingangsdatum, eerste_snapshot, laatste_snapshot)"
		" VALUES (7, 'PW-0405-000007', 'PW', '0405', '2025-01-01', 1, 1),"
		" (8, 'IOAZ-0405-000008', 'IOAZ', '0405', '2025-01-01', 1, 1);"
		"INSERT INTO stand (id, dossier, vanaf, snapshot, hash, aanvrager, leefvorm, kostendelers,"
		" woonkostenverlaging_pct, iban, tenaamstelling)"
		" VALUES (1, 7, '2026-01-01', 1, x'00', 1, 'ALLEENSTAANDE_OUDER', 0, 0, 'NL91ABNA0417164300', 'A. Jansen');"
		"INSERT INTO inkomen (id, opgave_id, levering, regel, intrekking, bsn, lhnr, numiv, soort, dat_aanv_tv,"
		" dat_eind_tv, ln_lb_ph_cents, vak_bsl_cents, extr_per_sal_cents, opn_avwb_cents, wrd_pr_gebr_aut_cents,"
		" ing_lb_ph_cents, bijdr_zvw_cents, pr_wga_whk_wn_cents, ind_heffingskorting, tags)"
		" VALUES (1, 'O1', 2, 1, 0, '111222333', 'L1', 1, 'PENSIOEN', '2026-01-01', '2026-01-31',"
		" 123456, 0, 0, 0, 0, 0, 0, 0, 1, 0);"
		"INSERT INTO run (id, msg_id, maand, aanvullend, status, aangemaakt, uitvoerdatum, startmaand,"
		" regels_sha256, pain_versie, map)"
		" VALUES (1, 'M1', '2026-01', 0, 'SUPERSEDED', '2026-01-20T00:00:00', '2026-01-25', '2026-01',"
		" printf('%064d', 0), '001.001.09', 'out/M1');"
		"INSERT INTO boeking (id, run, dossier, maand, soort, bedrag_cents) VALUES (1, 1, 7, '2026-01', 'vt_vordering', -500);"
		"INSERT INTO run_dossier (run, dossier, status, client_cents, derden_cents, inhouding_cents, verrekend_cents,"
		" toegevoegd_cents, ingehouden_cents, derden_overgeslagen) VALUES (1, 7, 'GEBLOKKEERD', 0, 0, 0, 0, 0, 0, 0);"
		"INSERT INTO taak (id, dossier, soort, prioriteit, vervaldatum, status, uitkomst, omschrijving, aangemaakt)"
		" VALUES (1, 7, 'HERONDERZOEK', 5, '2026-02-01', 'IN_BEHANDELING', NULL, 'x', '2026-01-01T00:00:00'),"
		" (2, 8, 'HERONDERZOEK', 5, '2026-02-01', 'OPEN', 'RECHT_VERVALLEN', 'y', '2026-01-01T00:00:00');"
		"INSERT INTO opschorting (dossier, bron, vanaf, reden, ingesteld_door, taak)"
		" VALUES (8, 'SIGNAAL', '2026-01-01', 'onderzoek', 'test', 2);");
	assert_int_equal(query_int(db, "PRAGMA user_version"), 4);
	sqlite3_close(db);
}

/* Every row of every table, as one string (to compare before and after). */
/* Every row of `db`, of the tables and columns `shape` has (a store of
 * the version before an upgrade, so that columns and tables a later
 * migration adds do not count). */
static char *dump(sqlite3 *db, sqlite3 *shape)
{
	sqlite3_stmt *tables = NULL, *cols = NULL, *rows = NULL;
	size_t len = 0, cap = 1 << 16;
	char *buf = calloc(1, cap), sql[2048];
	int i, n;

	assert_non_null(buf);
	assert_int_equal(sqlite3_prepare_v2(shape, "SELECT name FROM sqlite_schema WHERE type = 'table'"
					    " AND name NOT LIKE 'sqlite_%' ORDER BY name", -1, &tables, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(shape, "SELECT group_concat('\"' || name || '\"', ', ')"
					    " FROM pragma_table_info(?1)", -1, &cols, NULL), SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		sqlite3_reset(cols);
		sqlite3_bind_text(cols, 1, (const char *)sqlite3_column_text(tables, 0), -1, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(cols), SQLITE_ROW);
		snprintf(sql, sizeof(sql), "SELECT %s FROM \"%s\"", sqlite3_column_text(cols, 0),
			 sqlite3_column_text(tables, 0));
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &rows, NULL), SQLITE_OK);
		len += (size_t)snprintf(buf + len, cap - len, "[%s]", sqlite3_column_text(tables, 0));
		while (sqlite3_step(rows) == SQLITE_ROW) {
			n = sqlite3_column_count(rows);
			for (i = 0; i < n; i++) {
				const unsigned char *t = sqlite3_column_text(rows, i);
				len += (size_t)snprintf(buf + len, cap - len, "%s|", t ? (const char *)t : "NULL");
			}
			len += (size_t)snprintf(buf + len, cap - len, "\n");
			assert_true(len < cap - 1);
		}
		sqlite3_finalize(rows);
	}
	sqlite3_finalize(cols);
	sqlite3_finalize(tables);
	return buf;
}

/* The most values of any `IN (...)` list in the stored table definitions. */
static int longest_in_list(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int longest = 0;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_schema WHERE type = 'table'"
					    " AND sql IS NOT NULL", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *sql = (const char *)sqlite3_column_text(st, 0), *p;

		for (p = sql; *p; p++) {
			int depth = 0, quoted = 0, values = 1;

			if ((p[0] != ' ' && p[0] != '\n') || (p[1] != 'I' && p[1] != 'i') ||
			    (p[2] != 'N' && p[2] != 'n') || p[3] != ' ' || p[4] != '(')
				continue;
			for (p += 4; *p; p++) {
				if (*p == '\'')
					quoted = !quoted;
				else if (!quoted && *p == '(')
					depth++;
				else if (!quoted && *p == ')' && --depth == 0)
					break;
				else if (!quoted && *p == ',' && depth == 1)
					values++;
			}
			if (values > longest)
				longest = values;
			if (!*p)
				break;
		}
	}
	sqlite3_finalize(st);
	return longest;
}

/* No INSERT builds an ephemeral index for its CHECKs any more. */
static void assert_no_ephemeral_inserts(sqlite3 *db)
{
	sqlite3_stmt *tables = NULL, *ex = NULL;
	char sql[128];

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type = 'table'"
					    " AND name NOT LIKE 'sqlite_%'", -1, &tables, NULL), SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		snprintf(sql, sizeof(sql), "EXPLAIN INSERT INTO \"%s\" DEFAULT VALUES", sqlite3_column_text(tables, 0));
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &ex, NULL), SQLITE_OK);
		while (sqlite3_step(ex) == SQLITE_ROW)
			if (strcmp((const char *)sqlite3_column_text(ex, 1), "OpenEphemeral") == 0)
				fail_msg("%s opens an ephemeral table", sql);
		sqlite3_finalize(ex);
	}
	sqlite3_finalize(tables);
}

/* "CHECK (expr)" → expr; the first word of expr, the column, in `col`. */
static void check_parts(const char *check, char *expr, size_t expr_cap, char *col, size_t col_cap)
{
	size_t n = strlen(check), k = 0;

	assert_true(n > 8 && strncmp(check, "CHECK (", 7) == 0 && check[n - 1] == ')');
	snprintf(expr, expr_cap, "%.*s", (int)(n - 8), check + 7);
	while (expr[k] && expr[k] != ' ' && k + 1 < col_cap) {
		col[k] = expr[k];
		k++;
	}
	col[k] = '\0';
}

/* Run `sql`, expect `want` (an SQLite extended result code). */
static void expect_rc(sqlite3 *db, const char *sql, int want)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	if ((rc == SQLITE_OK ? SQLITE_OK : sqlite3_extended_errcode(db)) != want)
		fail_msg("%s: got %d (%s), want %d", sql, sqlite3_extended_errcode(db), sqlite3_errmsg(db), want);
}

/* A new store is at the newest version and has no IN list of more than
 * two values, so no INSERT opens an ephemeral table. */
/* store_borrow lends one kept statement per SQL text; a second borrow of
 * the same text while it is lent gets a private copy; given back, the
 * kept statement is reset, its bindings cleared, and lent again. */
static const char borrow_sql[] = "SELECT ?1";

static void test_borrowed_statements(void **state)
{
	struct fx *f = *state;
	struct store *st = NULL;
	struct br_error err;
	sqlite3_stmt *a = NULL, *b = NULL, *c = NULL;

	br_error_clear(&err);
	assert_int_equal(store_open(&st, f->db, 1, &err), 0);
	assert_int_equal(store_borrow(st, &a, borrow_sql, &err), 0);
	sqlite3_bind_int(a, 1, 7);
	assert_int_equal(sqlite3_step(a), SQLITE_ROW);
	assert_int_equal(store_borrow(st, &b, borrow_sql, &err), 0);
	assert_ptr_not_equal(a, b);
	store_give_back(st, b);               /* the private copy: finalized */
	store_give_back(st, a);
	assert_int_equal(store_borrow(st, &c, borrow_sql, &err), 0);
	assert_ptr_equal(a, c);
	assert_int_equal(sqlite3_step(c), SQLITE_ROW);   /* reset: steps again */
	assert_int_equal(sqlite3_column_type(c, 0), SQLITE_NULL);   /* bindings cleared */
	store_give_back(st, c);
	store_give_back(st, NULL);
	assert_int_equal(store_borrow(st, &a, "SELECT FROM nothing", &err), BR_EINTERNAL);
	assert_null(a);
	store_close(st);                       /* finalizes the kept one (ASan) */
}

static void test_fresh_store(void **state)
{
	struct fx *f = *state;
	struct store *st = NULL;
	struct br_error err;

	br_error_clear(&err);
	assert_int_equal(store_schema_version(), 16);
	assert_int_equal(store_open(&st, f->db, 1, &err), 0);
	assert_int_equal(query_int(store_db(st), "PRAGMA user_version"), 16);
	assert_true(longest_in_list(store_db(st)) <= 2);
	assert_no_ephemeral_inserts(store_db(st));
	store_close(st);
}

/* A store of a newer betaalrun is refused, not downgraded or touched. */
static void test_newer_store_refused(void **state)
{
	struct fx *f = *state;
	struct store *st = NULL;
	struct br_error err;
	sqlite3 *db = NULL;

	br_error_clear(&err);
	assert_int_equal(store_open(&st, f->db, 1, &err), 0);
	exec_ok(store_db(st), "PRAGMA user_version = 17");
	store_close(st);
	st = NULL;
	assert_int_equal(store_open(&st, f->db, 0, &err), BR_ECONFIG);
	assert_null(st);
	assert_non_null(strstr(err.msg, "schemaversie 17, nieuwer dan deze betaalrun (16)"));
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(query_int(db, "PRAGMA user_version"), 17);
	sqlite3_close(db);
}

/* Each rewrite accepts exactly what its IN list accepted: every listed
 * value, no value differing in case or a trailing space, nothing else,
 * and NULL the same way. */
static void test_rewrites_are_equivalent(void **state)
{
	const struct check_rewrite *rw;
	sqlite3 *db = NULL;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	for (rw = migration_5_checks; rw->table; rw++) {
		char old_expr[512], new_expr[512], col[64], sql[1400], lit[64];
		const char *p, *q;
		sqlite3_stmt *st = NULL;
		int listed = 0;

		check_parts(rw->old, old_expr, sizeof(old_expr), col, sizeof(col));
		check_parts(rw->new, new_expr, sizeof(new_expr), lit, sizeof(lit));
		assert_string_equal(col, lit);
		assert_null(strstr(new_expr, " IN "));
		snprintf(sql, sizeof(sql), "SELECT (%s), (%s) FROM (SELECT ?1 AS %s)", old_expr, new_expr, col);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		/* every listed value, each also case-swapped and with a space */
		for (p = strchr(rw->old, '\''); p; p = strchr(q + 1, '\'')) {
			int variant;

			q = strchr(p + 1, '\'');
			assert_non_null(q);
			listed++;
			for (variant = 0; variant < 3; variant++) {
				size_t k, n = (size_t)(q - p - 1);

				snprintf(lit, sizeof(lit), "%.*s%s", (int)n, p + 1, variant == 2 ? " " : "");
				for (k = 0; variant == 1 && k < n; k++)
					if (lit[k] >= 'A' && lit[k] <= 'Z')
						lit[k] = (char)(lit[k] - 'A' + 'a');
					else if (lit[k] >= 'a' && lit[k] <= 'z')
						lit[k] = (char)(lit[k] - 'a' + 'A');
				sqlite3_bind_text(st, 1, lit, -1, SQLITE_TRANSIENT);
				assert_int_equal(sqlite3_step(st), SQLITE_ROW);
				assert_int_equal(sqlite3_column_int(st, 0), variant == 0);
				assert_int_equal(sqlite3_column_type(st, 1), SQLITE_INTEGER);
				assert_int_equal(sqlite3_column_int(st, 1), variant == 0);
				sqlite3_reset(st);
			}
		}
		assert_true(listed > 2);
		/* a value not listed, the empty string, and NULL */
		sqlite3_bind_text(st, 1, "XX", -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 0);
		assert_int_equal(sqlite3_column_int(st, 1), 0);
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, "", -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 1), 0);
		sqlite3_reset(st);
		sqlite3_bind_null(st, 1);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_type(st, 0), sqlite3_column_type(st, 1));
		assert_int_equal(sqlite3_column_int(st, 0), sqlite3_column_int(st, 1));
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
}

/* A version-4 store upgrades in place: same rows, a sound file, the OR
 * form, and the constraints still refuse a value outside the list. */
static void test_upgrade_from_v4(void **state)
{
	struct fx *f = *state;
	const struct check_rewrite *rw;
	struct store *st = NULL;
	struct br_error err;
	sqlite3 *db = NULL, *shape = NULL;
	char *before, *after, text[256], sql[256], expr[512], col[64], ref[160];
	int cookie;

	br_error_clear(&err);
	make_v4(f->db);
	snprintf(ref, sizeof(ref), "%s/v4.db", f->dir);
	make_v4(ref);
	assert_int_equal(sqlite3_open(ref, &shape), SQLITE_OK);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	before = dump(db, shape);
	assert_int_equal(longest_in_list(db), 8);
	cookie = query_int(db, "PRAGMA schema_version");
	sqlite3_close(db);

	assert_int_equal(store_open(&st, f->db, 0, &err), 0);
	db = store_db(st);
	assert_int_equal(query_int(db, "PRAGMA user_version"), 16);
	assert_true(query_int(db, "PRAGMA schema_version") > cookie + 1);
	assert_int_equal(query_int(db, "PRAGMA writable_schema"), 0);
	after = dump(db, shape);
	assert_string_equal(before, after);
	assert_non_null(strstr(after, "IOAZ-0405-000008|IOAZ|"));
	assert_non_null(strstr(after, "RECHT_VERVALLEN"));
	assert_true(longest_in_list(db) <= 2);
	assert_no_ephemeral_inserts(db);
	query_text(db, "PRAGMA integrity_check", text, sizeof(text));
	assert_string_equal(text, "ok");
	query_text(db, "SELECT count(*) FROM pragma_foreign_key_check", text, sizeof(text));
	assert_string_equal(text, "0");

	/* an invalid value fails the CHECK; through the store it is BR_EINPUT */
	assert_int_equal(store_exec(st,
		"INSERT INTO dossier (nummer, regeling, gemeente, ingangsdatum, eerste_snapshot, laatste_snapshot)"
		" VALUES ('XX-0405-000009', 'XX', '0405', '2025-01-01', 1, 1)", &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "CHECK constraint failed"));
	assert_int_equal(sqlite3_extended_errcode(db), SQLITE_CONSTRAINT_CHECK);
	/* every rewritten column: refuses 'XX', still takes every listed value */
	for (rw = migration_5_checks; rw->table; rw++) {
		const char *p, *q;

		check_parts(rw->old, expr, sizeof(expr), col, sizeof(col));
		snprintf(sql, sizeof(sql), "UPDATE \"%s\" SET %s = 'XX'", rw->table, col);
		expect_rc(db, sql, SQLITE_CONSTRAINT_CHECK);
		for (p = strchr(rw->old, '\''); p; p = strchr(q + 1, '\'')) {
			q = strchr(p + 1, '\'');
			exec_ok(db, "SAVEPOINT v");
			snprintf(sql, sizeof(sql), "UPDATE \"%s\" SET %s = '%.*s'", rw->table, col, (int)(q - p - 1), p + 1);
			expect_rc(db, sql, SQLITE_OK);
			exec_ok(db, "ROLLBACK TO v; RELEASE v");
		}
	}
	free(after);
	after = dump(db, shape);
	assert_string_equal(before, after);
	/* migration 6: a job without a dossier (BANK), the bank's kinds of delivery */
	exec_ok(db, "SAVEPOINT v");
	expect_rc(db, "INSERT INTO taak (dossier, soort, prioriteit, vervaldatum, status, omschrijving, aangemaakt)"
		  " VALUES (NULL, 'BANK', 1, '2026-12-01', 'OPEN', 'x', '2026-11-29T00:00:00')", SQLITE_OK);
	expect_rc(db, "UPDATE levering SET soort = 'camt053'", SQLITE_OK);
	expect_rc(db, "UPDATE levering SET soort = 'camt055'", SQLITE_CONSTRAINT_CHECK);
	exec_ok(db, "ROLLBACK TO v; RELEASE v");
	store_close(st);
	sqlite3_close(shape);
	free(before);
	free(after);
}

/* A definition that is not what migrations 1-4 made stops the upgrade and
 * leaves the store at version 4, tables rewritten before it included. */
static void test_upgrade_refuses_unexpected_definition(void **state)
{
	struct fx *f = *state;
	struct store *st = NULL;
	struct br_error err;
	sqlite3 *db = NULL;
	char text[64];

	br_error_clear(&err);
	make_v4(f->db);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	exec_ok(db, "PRAGMA writable_schema = ON;"
		    "UPDATE sqlite_schema SET sql = replace(sql, '''BETAALD'',''NUL''', '''BETAALD'', ''NUL''')"
		    " WHERE name = 'run_dossier';"
		    "PRAGMA writable_schema = OFF");
	sqlite3_close(db);

	assert_int_equal(store_open(&st, f->db, 0, &err), BR_EINTERNAL);
	assert_null(st);
	assert_non_null(strstr(err.msg, "run_dossier"));

	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(query_int(db, "PRAGMA user_version"), 4);
	assert_int_equal(query_int(db, "PRAGMA writable_schema"), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'dossier'"
				       " AND instr(sql, 'regeling IN (''PW'',''IOAW'',''IOAZ'',''BBZ'')') > 0"), 1);
	query_text(db, "PRAGMA integrity_check", text, sizeof(text));
	assert_string_equal(text, "ok");
	sqlite3_close(db);
}

/* A stored row the new CHECKs would refuse fails the check before the
 * commit (it cannot exist in a sound store: the old CHECK refused it). */
static void test_upgrade_refuses_rows_that_fail(void **state)
{
	struct fx *f = *state;
	struct store *st = NULL;
	struct br_error err;
	sqlite3 *db = NULL;

	br_error_clear(&err);
	make_v4(f->db);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	exec_ok(db, "PRAGMA ignore_check_constraints = ON; UPDATE dossier SET regeling = 'XX' WHERE id = 8");
	sqlite3_close(db);

	assert_int_equal(store_open(&st, f->db, 0, &err), BR_EINTERNAL);
	assert_non_null(strstr(err.msg, "integrity_check"));
	assert_non_null(strstr(err.msg, "CHECK constraint failed in dossier"));

	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(query_int(db, "PRAGMA user_version"), 4);
	assert_int_equal(longest_in_list(db), 8);
	sqlite3_close(db);
}

/* A rewrite that does not parse is caught before the commit and rolled
 * back; the store stays readable (SQLite's caution for this procedure). */
static void test_broken_rewrite_rolls_back(void **state)
{
	static const struct check_rewrite broken[] = {
		{ "dossier", "CHECK (regeling IN ('PW','IOAW','IOAZ','BBZ'))", "CHECK ((regeling = 'PW'" },
		{ NULL, NULL, NULL }
	};
	struct fx *f = *state;
	struct store s = { NULL };
	struct br_error err;
	char text[64];

	br_error_clear(&err);
	make_v4(f->db);
	assert_int_equal(sqlite3_open(f->db, &s.db), SQLITE_OK);
	assert_int_equal(store_begin(&s, &err), 0);
	assert_int_equal(store_rewrite_checks(&s, broken, &err), BR_EINTERNAL);
	assert_non_null(strstr(err.msg, "malformed database schema"));
	store_rollback(&s);
	assert_int_equal(query_int(s.db, "PRAGMA writable_schema"), 0);
	assert_int_equal(query_int(s.db, "SELECT count(*) FROM dossier"), 2);
	query_text(s.db, "PRAGMA integrity_check", text, sizeof(text));
	assert_string_equal(text, "ok");
	sqlite3_close(s.db);
	s.db = NULL;

	assert_int_equal(sqlite3_open(f->db, &s.db), SQLITE_OK);
	assert_int_equal(longest_in_list(s.db), 8);
	assert_int_equal(query_int(s.db, "SELECT count(*) FROM dossier"), 2);
	sqlite3_close(s.db);
}

/* A v4 store brought to `to` by the migrations' own statements. */
static void make_at(const char *path, int to)
{
	struct store s = { 0 };
	struct br_error err;
	char pragma[64];
	int v, i;

	br_error_clear(&err);
	make_v4(path);
	assert_int_equal(sqlite3_open(path, &s.db), SQLITE_OK);
	exec_ok(s.db, "PRAGMA foreign_keys = ON");
	for (v = 4; v < to; v++) {
		assert_int_equal(store_begin(&s, &err), 0);
		for (i = 0; migrations[v].sql && migrations[v].sql[i]; i++)
			exec_ok(s.db, migrations[v].sql[i]);
		if (migrations[v].apply && migrations[v].apply(&s, &err) < 0)
			fail_msg("migration %d: %s", v + 1, err.msg);
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		exec_ok(s.db, pragma);
		assert_int_equal(store_commit(&s, &err), 0);
	}
	sqlite3_close(s.db);
}

/* A version-11 store with payments: make_v4 and migrations 5 to 11. */
static void make_v11(const char *path)
{
	struct store s = { 0 };

	make_at(path, 11);
	assert_int_equal(sqlite3_open(path, &s.db), SQLITE_OK);
	exec_ok(s.db, "PRAGMA foreign_keys = ON");
	exec_ok(s.db,
		"INSERT INTO run (id, msg_id, maand, aanvullend, status, aangemaakt, uitvoerdatum, startmaand,"
		" regels_sha256, pain_versie, map)"
		" VALUES (2, 'M2', '2026-02', 0, 'RELEASED', '2026-02-20T00:00:00', '2026-02-25', '2026-01',"
		" printf('%064d', 0), '001.001.09', 'out/M2');"
		"INSERT INTO betaling (id, run, dossier, soort, end_to_end_id, pmtinf_id, bedrag_cents, iban, naam,"
		" omschrijving) VALUES"
		" (1, 2, 7, 'CLIENT', 'BR2-000001', 'M2-K1', 100, 'NL91ABNA0417164300', 'A', 'o'),"
		" (2, 2, 8, 'CLIENT', 'BR2-000002', 'M2-K1', 200, 'NL91ABNA0417164300', 'B', 'o'),"
		" (3, 2, 8, 'DERDE', 'BR2-000003', 'M2-D1', 300, 'NL39RABO0300065264', 'C', 'o'),"
		" (4, 2, 7, 'CLIENT', 'BR2-000004', 'M2-K2', 400, 'NL91ABNA0417164300', 'A', 'o'),"
		" (5, 1, 7, 'CLIENT', 'BR1-000001', NULL, 500, 'NL91ABNA0417164300', 'A', 'o');"
		"INSERT INTO terugboeking (betaling, bron, levering, reden, klasse, datum)"
		" VALUES (3, 'pain002', 1, 'AC04', 'REKENING', '2026-02-26');"
		"INSERT INTO afrekening (id, dossier, run_maand, run, berekend, regels_sha256, voorschot_cents,"
		" toevoegingen_cents, vt_cents, verrekend_cents, doorgeschoven_cents, vordering_cents,"
		" inhoudingen_cents, derden_cents, client_cents, specificatie) VALUES"
		" (1, 7, '2026-01', 1, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'tekst'),"
		" (2, 8, '2025-12', NULL, '2025-12-20T00:00:00', printf('%064d', 0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 'oud');");
	assert_int_equal(query_int(s.db, "PRAGMA user_version"), 11);
	sqlite3_close(s.db);
}

/* Migration 12: every payment names the batch of its PmtInfId, of its own
 * run and kind; payments from before PmtInfIds share one batch per run
 * and kind; the text column and its two indexes are gone, and the store
 * refuses a payment without a batch or with another run's. */
static void test_upgrade_batches(void **state)
{
	struct fx *f = *state;
	struct store *st = NULL;
	struct br_error err;
	sqlite3 *db;
	char text[400];

	br_error_clear(&err);
	make_v11(f->db);
	assert_int_equal(store_open(&st, f->db, 0, &err), 0);
	db = store_db(st);
	assert_int_equal(query_int(db, "PRAGMA user_version"), 16);
	/* migration 13: one index on afrekening, and a run's settlement is one
	 * of its decisions (the row without a run, from before, names none) */
	query_text(db, "SELECT group_concat(name || '(' || cols || ')', ' ') FROM (SELECT i.name,"
		   " (SELECT group_concat(c.name) FROM pragma_index_info(i.name) c) AS cols FROM sqlite_schema i"
		   " WHERE i.type = 'index' AND i.tbl_name = 'afrekening' ORDER BY i.name)", text, sizeof(text));
	assert_string_equal(text, "afrekening_run(run,dossier)");
	assert_int_not_equal(sqlite3_exec(db, "INSERT INTO afrekening (dossier, run_maand, run, voorschot_cents,"
					  " toevoegingen_cents, vt_cents, verrekend_cents, doorgeschoven_cents,"
					  " vordering_cents, inhoudingen_cents, derden_cents, client_cents, specificatie)"
					  " VALUES (8, '2026-02', 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'x')", NULL, NULL, NULL),
			     SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(db), "FOREIGN KEY constraint failed"));
	assert_int_equal(query_int(db, "SELECT count(*) FROM afrekening"), 2);
	query_text(db, "SELECT group_concat(x, ' ') FROM (SELECT b.id || ':' || p.run || p.soort || '/'"
		   " || coalesce(p.pmtinf_id, '-') AS x FROM betaling b JOIN batch p ON p.id = b.batch ORDER BY b.id)",
		   text, sizeof(text));
	assert_string_equal(text, "1:2CLIENT/M2-K1 2:2CLIENT/M2-K1 3:2DERDE/M2-D1 4:2CLIENT/M2-K2 5:1CLIENT/-");
	assert_int_equal(query_int(db, "SELECT count(*) FROM batch"), 4);
	assert_int_equal(query_int(db, "SELECT count(*) FROM pragma_table_info('betaling') WHERE name = 'pmtinf_id'"), 0);
	query_text(db, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE type = 'index'"
		   " AND tbl_name = 'betaling' AND sql IS NOT NULL ORDER BY name)", text, sizeof(text));
	assert_string_equal(text, "betaling_batch betaling_herbetaling");
	assert_int_equal(query_int(db, "SELECT betaling FROM terugboeking"), 3);
	query_text(db, "PRAGMA integrity_check", text, sizeof(text));
	assert_string_equal(text, "ok");
	assert_int_equal(query_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	assert_int_not_equal(sqlite3_exec(db, "INSERT INTO betaling (run, dossier, soort, end_to_end_id, bedrag_cents,"
					  " iban, naam, omschrijving) VALUES (2, 7, 'CLIENT', 'X1', 1, 'NL', 'A', 'o')",
					  NULL, NULL, NULL), SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(db), "NOT NULL constraint failed: betaling.batch"));
	/* batch 1 is run 2's clients': a payment of run 1, or a third party's, in it is refused */
	assert_int_not_equal(sqlite3_exec(db, "INSERT INTO betaling (run, dossier, soort, end_to_end_id, bedrag_cents,"
					  " iban, naam, omschrijving, batch) VALUES (1, 7, 'CLIENT', 'X2', 1, 'NL', 'A', 'o', 1)",
					  NULL, NULL, NULL), SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(db), "FOREIGN KEY constraint failed"));
	assert_int_not_equal(sqlite3_exec(db, "INSERT INTO betaling (run, dossier, soort, end_to_end_id, bedrag_cents,"
					  " iban, naam, omschrijving, batch) VALUES (2, 7, 'DERDE', 'X3', 1, 'NL', 'A', 'o', 1)",
					  NULL, NULL, NULL), SQLITE_OK);
	exec_ok(db, "INSERT INTO betaling (run, dossier, soort, end_to_end_id, bedrag_cents, iban, naam, omschrijving,"
		" batch) VALUES (2, 7, 'CLIENT', 'X4', 1, 'NL', 'A', 'o', 1)");
	store_close(st);
}

/* A settlement of a run without that run's decision for its dossier stops
 * migration 13, which says so; migration 12 stays applied. */
static void test_upgrade_refuses_orphan_settlement(void **state)
{
	struct fx *f = *state;
	struct store *st = NULL;
	struct br_error err;
	sqlite3 *db = NULL;

	br_error_clear(&err);
	make_v11(f->db);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	exec_ok(db, "UPDATE afrekening SET run = 2 WHERE id = 1");
	sqlite3_close(db);
	assert_int_equal(store_open(&st, f->db, 0, &err), BR_EINTERNAL);
	assert_null(st);
	assert_non_null(strstr(err.msg, "een afrekening van een run zonder de beslissing van die run over het dossier"));
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(query_int(db, "PRAGMA user_version"), 12);
	assert_int_equal(query_int(db, "SELECT count(*) FROM afrekening"), 2);
	sqlite3_close(db);
}

/* Migration 15: a run that is not superseded or cancelled saw the
 * income records received up to when it was made (rules.md §5: income
 * arriving for an IOAW/IOAZ/Bbz dossier opens a job, once). */
static void test_upgrade_income_seen(void **state)
{
	struct fx *f = *state;
	struct store *st = NULL;
	struct br_error err;
	sqlite3 *db = NULL;
	char text[200];

	br_error_clear(&err);
	make_at(f->db, 14);
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	exec_ok(db,
		"INSERT INTO levering (id, sha256, soort, levering_id, bestandsnaam, aanmaakdatum, ontvangen, bytes,"
		" archief) VALUES"
		" (11, printf('%064d', 11), 'inkomen', 'L1', 'a.xml', '2026-01-05T00:00:00', '2026-01-10T08:00:00', 1, 'a'),"
		" (12, printf('%064d', 12), 'inkomen', 'L2', 'b.xml', '2026-02-05T00:00:00', '2026-02-10T08:00:00', 1, 'b'),"
		" (13, printf('%064d', 13), 'inkomen', 'L3', 'c.xml', '2026-02-16T00:00:00', '2026-02-16T08:00:00', 1, 'c');");
	exec_ok(db,
		"INSERT INTO inkomen (id, opgave_id, levering, regel, intrekking, bsn, lhnr, numiv, soort, dat_aanv_tv,"
		" dat_eind_tv, ln_lb_ph_cents, vak_bsl_cents, extr_per_sal_cents, opn_avwb_cents, wrd_pr_gebr_aut_cents,"
		" ing_lb_ph_cents, bijdr_zvw_cents, pr_wga_whk_wn_cents, ind_heffingskorting, tags)"
		" SELECT v.id, 'O' || v.id, v.lev, 1, 0, '111222333', 'L', 1, 'ARBEID', '2026-01-01', '2026-01-31',"
		" 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM (SELECT 11 AS id, 11 AS lev UNION ALL SELECT 12, 11"
		" UNION ALL SELECT 13, 12 UNION ALL SELECT 14, 13) v;");
	exec_ok(db,
		"INSERT INTO run (id, msg_id, maand, aanvullend, status, aangemaakt, uitvoerdatum, startmaand,"
		" regels_sha256, pain_versie, map) SELECT v.id, 'M' || v.id, v.maand, v.aanv, v.status, v.ts,"
		" '2026-01-25', '2026-01', printf('%064d', 0), '001.001.09', 'out/M' || v.id FROM ("
		" SELECT 11 AS id, '2025-12' AS maand, 0 AS aanv, 'RELEASED' AS status, '2025-12-15T09:00:00' AS ts"
		" UNION ALL SELECT 12, '2026-01', 0, 'RELEASED', '2026-01-15T09:00:00'"
		" UNION ALL SELECT 13, '2026-02', 0, 'SUPERSEDED', '2026-02-12T09:00:00'"
		" UNION ALL SELECT 14, '2026-02', 0, 'APPROVED', '2026-02-15T09:00:00'"
		" UNION ALL SELECT 15, '2026-02', 1, 'RELEASED', '2026-02-20T09:00:00'"
		" UNION ALL SELECT 16, '2026-03', 0, 'CANCELLED', '2026-03-15T09:00:00') v;");
	sqlite3_close(db);
	assert_int_equal(store_open(&st, f->db, 0, &err), 0);
	db = store_db(st);
	assert_int_equal(query_int(db, "PRAGMA user_version"), 16);
	/* none received before run 11; make_v4's record 1 and 11, 12 before
	 * run 12; 13 before run 14 (14 came after it), 14 before the
	 * supplementary run 15; superseded and cancelled runs record nothing */
	query_text(db, "SELECT group_concat(id || ':' || coalesce(inkomen_tot, '-'), ' ') FROM"
		   " (SELECT id, inkomen_tot FROM run ORDER BY id)", text, sizeof(text));
	assert_string_equal(text, "1:- 11:0 12:12 13:- 14:13 15:14 16:-");
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fresh_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_borrowed_statements, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_store_refused, setup, teardown),
		cmocka_unit_test(test_rewrites_are_equivalent),
		cmocka_unit_test_setup_teardown(test_upgrade_from_v4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_batches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_income_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_refuses_orphan_settlement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_refuses_unexpected_definition, setup, teardown),
		cmocka_unit_test_setup_teardown(test_upgrade_refuses_rows_that_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_rewrite_rolls_back, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

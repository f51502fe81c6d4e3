/*
 * store.h — the state store: one SQLite database in WAL mode.
 *
 * The store is where the stages meet (README "Architecture"): intake writes
 * deliveries, register snapshots, income records, signals and bank
 * statuses; later stages read them and write settlements, runs and jobs.
 * The schema is versioned (PRAGMA user_version) and migrated forward at
 * open, each migration in one transaction.  Foreign keys are on; every
 * amount is an INTEGER number of cents in a column whose name ends in
 * `_cents`; dates are TEXT `YYYY-MM-DD` (they sort and compare as dates).
 *
 * Concurrency (cli.md): one writer at a time.  store_lock() takes an
 * exclusive advisory lock on `betaalrun.lock` beside the database for the
 * whole of a state-changing command (an ingest moves files outside the
 * database transaction, so SQLite's own lock is not enough); a second
 * writer waits up to `wait_ms` and then gets BR_EBUSY (exit 75).
 *
 * Ownership: `struct store` owns the connection; statements prepared with
 * store_prepare() belong to the caller (sqlite3_finalize).
 */
#ifndef BR_STORE_H
#define BR_STORE_H

#include <sqlite3.h>

#include "date.h"
#include "error.h"

struct store;

/* Current schema version (the number of migrations). */
int store_schema_version(void);

/*
 * Open (and with `create`, create) the database at `path`, set WAL,
 * foreign keys and a busy timeout, and apply pending migrations.  The file
 * is created 0600 (it holds personal data).  BR_ENOINPUT when it does not
 * exist and `create` is 0; BR_EBUSY when locked; BR_EIO otherwise.
 */
int store_open(struct store **out, const char *path, int create, struct br_error *err);
void store_close(struct store *s);

/* The connection, borrowed (for modules that own their SQL). */
sqlite3 *store_db(struct store *s);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK.  rollback never fails loudly. */
int store_begin(struct store *s, struct br_error *err);
int store_commit(struct store *s, struct br_error *err);
void store_rollback(struct store *s);

/* Prepare a statement; BR_EINTERNAL naming the SQL error on failure. */
int store_prepare(struct store *s, sqlite3_stmt **out, const char *sql, struct br_error *err);

/*
 * A statement kept by the store for the connection's life, for SQL run
 * once per dossier or event: `sql` must be a static string (the cache is
 * keyed by its address).  The statement is lent until store_give_back,
 * which resets it and clears its bindings; borrowing the same SQL while it
 * is lent prepares a private copy, which store_give_back finalizes.  All
 * are finalized by store_close.
 */
int store_borrow(struct store *s, sqlite3_stmt **out, const char *sql, struct br_error *err);
void store_give_back(struct store *s, sqlite3_stmt *st);

/* Execute SQL without results. */
int store_exec(struct store *s, const char *sql, struct br_error *err);

/*
 * Translate an SQLite result into our error: SQLITE_BUSY/LOCKED →
 * BR_EBUSY, SQLITE_CONSTRAINT → BR_EINPUT, I/O and full disk → BR_EIO,
 * else BR_EINTERNAL; the message is "<what>: <sqlite3_errmsg>".
 */
int store_fail(struct store *s, int sqlite_rc, const char *what, struct br_error *err);

/* Bind helpers, the only ones (issue 11): NULL-safe text (NULL or "" binds
 * NULL when `empty_null`), copied by SQLite; store_bind_borrowed binds
 * without a copy, so `text` must outlive the statement's next step (the
 * intake's hot paths).  A date binds as YYYY-MM-DD, DATE_NONE as NULL;
 * with `buf` it is formatted there and bound without a copy (`buf` must
 * outlive the next step), with NULL it is copied. */
int store_bind_text(sqlite3_stmt *st, int idx, const char *text, int empty_null);
int store_bind_borrowed(sqlite3_stmt *st, int idx, const char *text, int empty_null);
int store_bind_date(sqlite3_stmt *st, int idx, int32_t day, char *buf);

/* Step a statement that returns no rows and reset it: 0, or store_fail
 * naming `what`. */
int store_step_done(struct store *s, sqlite3_stmt *st, const char *what, struct br_error *err);

/* One integer from a query that returns one row (`SELECT max(id) ...`):
 * 0, or store_fail naming `what` when it fails or returns no row. */
int store_query_int64(struct store *s, const char *sql, int64_t *out, const char *what,
		      struct br_error *err);

/* Column `i` as text, "" for NULL (borrowed, valid until the next step). */
const char *store_col(sqlite3_stmt *st, int i);

/* Column `i` as a date: the store holds YYYY-MM-DD, so anything else is
 * BR_EINTERNAL naming `what`; NULL is DATE_NONE when `null_ok`, else the
 * same error. */
int store_col_date(int32_t *out, sqlite3_stmt *st, int i, int null_ok, const char *what,
		   struct br_error *err);

/*
 * Exclusive process lock for state-changing commands.  `lock_path` is
 * created 0600.  Waits up to `wait_ms` (0 = do not wait).  Returns a file
 * descriptor (>= 0) to pass to store_unlock, or BR_EBUSY / BR_EIO.
 * The holder writes `holder` (one line: command, PID, since when) into the
 * lock file once it has the lock; a command that gives up waiting names
 * that holder in its BR_EBUSY message (issue 12).  `holder` may be NULL.
 */
int store_lock(const char *lock_path, int wait_ms, const char *holder, struct br_error *err);

#define STORE_HOLDER_MAX 160  /* the holder line in the lock file */
void store_unlock(int fd);

#endif

/*
 * backup.h — `betaalrun backup FILE`: a consistent copy of the store taken
 * while other betaalrun commands go on working.
 *
 * How (SQLite's online backup API, sqlite3_backup_init/step/finish): the
 * store is opened read-only on a connection of its own, which holds one
 * read transaction for the whole copy, so every page comes from the same
 * snapshot of the database.  The store is in WAL mode (store.h), where a
 * reader blocks no writer: an `ingest` or a `run` in another process goes
 * on and commits while the copy is made, and the copy is the store as it
 * was when the backup began.  Pages are copied BACKUP_STEP_PAGES at a time.
 *
 * betaalrun.lock (store_lock) is not taken: that lock serialises commands
 * that change the store and move files beside it; a backup changes
 * neither, and taking it would make the ingests and runs it should not
 * disturb wait (or fail with exit 75).  The archive, out/ and outbox/
 * folders are files, not store: back them up with the file system (see
 * docs/backup.md).
 *
 * The copy is written to a temporary name beside FILE, switched to a
 * rollback journal (a single self-contained file), checked with
 * `PRAGMA integrity_check`, made 0600 (it holds personal data), fsynced,
 * and only then given its name; the directory is fsynced after.  An
 * existing FILE is refused unless `force` (then it is replaced
 * atomically).  On any failure the temporary file is removed and FILE is
 * as it was.
 */
#ifndef BR_BACKUP_H
#define BR_BACKUP_H

#include <stdint.h>

#include "error.h"

/* Pages per sqlite3_backup_step (4 MiB at the default 4 KiB page size). */
#define BACKUP_STEP_PAGES 1024

struct backup_result {
	int64_t pages;        /* pages in the copy */
	int64_t bytes;        /* size of FILE */
	int schema_version;   /* the copy's PRAGMA user_version */
};

/*
 * Copy the store at `db_path` to `file`.  BR_ENOINPUT when there is no
 * store; BR_EINPUT when `file` exists and `force` is 0; BR_EIO when
 * writing fails; BR_EINTERNAL when the copy fails its integrity check.
 */
int backup_store(const char *db_path, const char *file, int force, struct backup_result *out,
		 struct br_error *err);

#endif

/* backup.c — an online copy of the store; see backup.h. */
#include "backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fsutil.h"

#include "banned.h"

/* A busy source page (a writer checkpointing) is retried this often, 50 ms apart. */
#define BACKUP_BUSY_RETRIES 200
#define BACKUP_BUSY_MS 5000

static int backup_sql_fail(sqlite3 *db, const char *what, const char *path, struct br_error *err)
{
	return br_error_set(err, BR_EIO, "backup: %s (%s): %s", what, path, db ? sqlite3_errmsg(db) : "onvoldoende geheugen");
}

/* The directory part of `path` ("." when it has none). */
static void backup_dir_of(char *out, size_t cap, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(out, cap, ".");
	else if (slash == path)
		snprintf(out, cap, "/");
	else
		snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

/*
 * FILE must not exist (unless `force`) and must not be the store itself:
 * replacing the live database under its open connections would lose it.
 */
static int backup_check_target(const char *db_path, const char *file, int force, struct br_error *err)
{
	struct stat sf, sd;

	if (lstat(file, &sf) != 0)
		return errno == ENOENT ? 0 : br_error_set(err, BR_EIO, "backup: %s kan niet worden bekeken: %s", file, strerror(errno));
	if (!force)
		return br_error_set(err, BR_EINPUT, "backup: %s bestaat al; geef --force om het te vervangen", file);
	if (!S_ISREG(sf.st_mode))
		return br_error_set(err, BR_EINPUT, "backup: %s bestaat al en is geen gewoon bestand", file);
	if (stat(db_path, &sd) == 0 && sd.st_dev == sf.st_dev && sd.st_ino == sf.st_ino)
		return br_error_set(err, BR_EINPUT, "backup: %s is de opslag zelf", file);
	return 0;
}

/*
 * Open the store for reading and begin the read transaction that pins
 * one snapshot for the whole copy (WAL: writers go on meanwhile).
 */
static int backup_open_source(sqlite3 **out, const char *db_path, struct br_error *err)
{
	sqlite3 *db = NULL;

	if (access(db_path, F_OK) != 0)
		return br_error_set(err, BR_ENOINPUT, "backup: geen opslag %s: voer eerst `betaalrun init` uit (of geef --home)",
				    db_path);
	/* Read-write without create: a read-only connection cannot make the
	 * -shm file a WAL reader needs; query_only makes sure nothing is written. */
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(db, BACKUP_BUSY_MS) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA query_only = 1; BEGIN; SELECT count(*) FROM sqlite_schema;", NULL, NULL,
			 NULL) != SQLITE_OK) {
		int rc = backup_sql_fail(db, "de opslag kan niet worden gelezen", db_path, err);
		sqlite3_close(db);
		return rc;
	}
	*out = db;
	return 0;
}

/* Copy every page of `src` into `dst`, BACKUP_STEP_PAGES at a time. */
static int backup_copy(sqlite3 *dst, sqlite3 *src, const char *tmp, int64_t *pages, struct br_error *err)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc, busy = 0;

	if (!b)
		return backup_sql_fail(dst, "de kopie kan niet beginnen", tmp, err);
	do {
		rc = sqlite3_backup_step(b, BACKUP_STEP_PAGES);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			if (++busy > BACKUP_BUSY_RETRIES)
				break;
			sqlite3_sleep(50);
		}
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	*pages = sqlite3_backup_pagecount(b);
	sqlite3_backup_finish(b);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return br_error_set(err, BR_EBUSY, "backup: de opslag bleef bezet; probeer het later opnieuw");
	if (rc != SQLITE_DONE)
		return br_error_set(err, BR_EIO, "backup: kopiëren naar %s mislukt: %s", tmp, sqlite3_errstr(rc));
	return 0;
}

/* One self-contained file (no -wal beside it), that SQLite finds sound. */
static int backup_check_copy(sqlite3 *dst, const char *tmp, int *user_version, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	const unsigned char *res;
	int rc, rows = 0, ok = 0;

	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
		return backup_sql_fail(dst, "de journaalmodus van de kopie kan niet worden ingesteld", tmp, err);
	if (sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
		return backup_sql_fail(dst, "de kopie kan niet worden gecontroleerd", tmp, err);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		res = sqlite3_column_text(s, 0);
		rows++;
		ok = res && strcmp((const char *)res, "ok") == 0;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return backup_sql_fail(dst, "de kopie kan niet worden gecontroleerd", tmp, err);
	if (rows != 1 || !ok)
		return br_error_set(err, BR_EINTERNAL, "backup: de kopie doorstaat PRAGMA integrity_check niet");
	if (sqlite3_prepare_v2(dst, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return backup_sql_fail(dst, "de schemaversie van de kopie kan niet worden gelezen", tmp, err);
	*user_version = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -1;
	sqlite3_finalize(s);
	return 0;
}

/* 0600, on disk, and its size. */
static int backup_sync_file(const char *tmp, int64_t *bytes, struct br_error *err)
{
	struct stat st;
	int fd = open(tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return br_error_set(err, BR_EIO, "backup: %s kan niet worden geopend: %s", tmp, strerror(errno));
	if (fchmod(fd, 0600) != 0 || fsync(fd) != 0 || fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return br_error_set(err, BR_EIO, "backup: %s kan niet naar schijf worden geschreven: %s", tmp, strerror(e));
	}
	close(fd);
	*bytes = (int64_t)st.st_size;
	return 0;
}

/*
 * Give the copy its name: without `force` by link(2), which fails rather
 * than replace a FILE that appeared meanwhile; with it by rename(2).
 */
static int backup_publish(const char *tmp, const char *file, int force, struct br_error *err)
{
	char dir[FSUTIL_PATH_MAX];

	if (force) {
		if (rename(tmp, file) != 0)
			return br_error_set(err, BR_EIO, "backup: %s kan niet worden hernoemd naar %s: %s", tmp, file, strerror(errno));
	} else {
		if (link(tmp, file) != 0)
			return errno == EEXIST ? br_error_set(err, BR_EINPUT, "backup: %s bestaat al; geef --force om het te vervangen", file)
					       : br_error_set(err, BR_EIO, "backup: %s kan niet worden gemaakt: %s", file, strerror(errno));
		unlink(tmp);
	}
	backup_dir_of(dir, sizeof(dir), file);
	return fsutil_sync_dir(dir, err);
}

/* The temporary name beside FILE, created empty and 0600 (an empty file is an empty database). */
static int backup_make_temp(char *tmp, size_t cap, const char *file, struct br_error *err)
{
	char dir[FSUTIL_PATH_MAX];
	int n, fd;

	backup_dir_of(dir, sizeof(dir), file);
	n = snprintf(tmp, cap, "%s/.%s.backup-%ld", dir, fsutil_basename(file), (long)getpid());
	if (n < 0 || (size_t)n >= cap)
		return br_error_set(err, BR_EUSAGE, "backup: pad te lang: %s", file);
	unlink(tmp); /* left by a killed backup with our pid */
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
		return br_error_set(err, BR_EIO, "backup: %s kan niet worden gemaakt: %s", tmp, strerror(errno));
	close(fd);
	return 0;
}

int backup_store(const char *db_path, const char *file, int force, struct backup_result *out,
		 struct br_error *err)
{
	char tmp[FSUTIL_PATH_MAX], journal[FSUTIL_PATH_MAX + 16];
	sqlite3 *src = NULL, *dst = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = backup_check_target(db_path, file, force, err)) < 0 ||
	    (rc = backup_open_source(&src, db_path, err)) < 0)
		return rc;
	if ((rc = backup_make_temp(tmp, sizeof(tmp), file, err)) < 0) {
		sqlite3_close(src);
		return rc;
	}
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		rc = backup_sql_fail(dst, "de kopie kan niet worden geopend", tmp, err);
	else if ((rc = backup_copy(dst, src, tmp, &out->pages, err)) == 0)
		rc = backup_check_copy(dst, tmp, &out->schema_version, err);
	sqlite3_exec(src, "COMMIT", NULL, NULL, NULL); /* ends the read transaction */
	sqlite3_close(src);
	if (sqlite3_close(dst) != SQLITE_OK && rc == 0)
		rc = br_error_set(err, BR_EIO, "backup: %s kan niet worden gesloten", tmp);
	if (rc == 0 && (rc = backup_sync_file(tmp, &out->bytes, err)) == 0)
		rc = backup_publish(tmp, file, force, err);
	if (rc < 0) {
		unlink(tmp);
		snprintf(journal, sizeof(journal), "%s-journal", tmp);
		unlink(journal);
	}
	return rc;
}

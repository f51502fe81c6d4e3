/*
 * test_store_faults.c — SQLite failing under the write paths (issue 11,
 * style.md "Tests": make the Nth operation fail and loop N).
 *
 * A test VFS wraps the default one (sqlite3_vfs_find(NULL)) and is made
 * the default before the store is opened; every file SQLite opens through
 * it counts xWrite, xSync and xTruncate together, and the Nth of them
 * (counted from when the test arms it) fails with SQLITE_IOERR_WRITE /
 * _FSYNC / _TRUNCATE, or, for odd N, SQLITE_FULL in place of a write error.  Each
 * write path is run for N = 1, 2, ... until it gets through without
 * reaching N; after every injected failure:
 *
 *  - the command reported an error (a negative code and a message);
 *  - the store, read through a fresh connection on the plain VFS (what a
 *    next process sees), is exactly as before — or, for intake, when the
 *    failure came after COMMIT, exactly the finished ingest with the
 *    delivery not yet marked archived, the state intake.h documents as
 *    finished by the next run;
 *  - no half-written output: nothing quarantined (the file is not to
 *    blame), no finished archive copy of a file not ingested; a
 *    preparation leaves no temporary folder, at most the folder of a run
 *    that has no record, which payrun.h documents as replaced by the next
 *    preparation;
 *  - intake: the next run without failures ends in exactly the state of a
 *    run that never failed (each N in a new data directory); prepare: the
 *    passes run on the same store, so the last one shows that whatever the
 *    failed ones left is replaced.
 *
 * The pass that reaches no N is the path without failures: it must succeed.
 * SQLITE_CONFIG_MALLOC is not used: SQLite's allocator can only be
 * replaced before the library is initialised, and libxml2 and OpenSSL
 * initialise first in the same process; the VFS covers the I/O paths.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "date.h"
#include "home_fixture.h"
#include "payrun.h"

#include "banned.h"

/* ---- the failing VFS ------------------------------------------------------ */

static sqlite3_vfs *g_real;     /* the default VFS we wrap */
static long g_ops;              /* writes, syncs and truncates since armed */
static long g_fail_at;          /* 0: never fail */
static int g_full;              /* fail writes with SQLITE_FULL */
static int g_injected;          /* a failure was injected since armed */

struct ffile {
	sqlite3_file base;
	sqlite3_file *real;         /* follows this struct in the same block */
};

static void disarm(void)
{
	g_fail_at = 0;
}

static void arm(long n, int full)
{
	g_ops = 0;
	g_fail_at = n;
	g_full = full;
	g_injected = 0;
}

static int fail_now(void)
{
	if (g_fail_at <= 0 || ++g_ops != g_fail_at)
		return 0;
	g_injected = 1;
	return 1;
}

#define REAL(f) (((struct ffile *)(f))->real)

static int f_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (fail_now())
		return g_full ? SQLITE_FULL : SQLITE_IOERR_WRITE;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	if (fail_now())
		return SQLITE_IOERR_TRUNCATE;
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	if (fail_now())
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *out)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), out);
}

static int f_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}

static int f_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}

static int f_check(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int f_fcntl(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int f_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int f_caps(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int f_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, extend, pp);
}

static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int f_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

/* Version 2 methods only (WAL needs the shared memory ones; no mmap). */
static const sqlite3_io_methods f_methods = {
	2, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock, f_check, f_fcntl,
	f_sector, f_caps, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, NULL, NULL,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	struct ffile *ff = (struct ffile *)f;
	int rc;

	(void)vfs;
	ff->real = (sqlite3_file *)(ff + 1);
	rc = g_real->xOpen(g_real, name, ff->real, flags, out_flags);
	/* a file whose open failed is not closed by SQLite: no methods */
	f->pMethods = rc == SQLITE_OK && ff->real->pMethods ? &f_methods : NULL;
	return rc;
}

static int v_delete(sqlite3_vfs *v, const char *name, int sync)
{
	(void)v;
	return g_real->xDelete(g_real, name, sync);
}

static int v_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
	(void)v;
	return g_real->xAccess(g_real, name, flags, out);
}

static int v_full(sqlite3_vfs *v, const char *name, int n, char *out)
{
	(void)v;
	return g_real->xFullPathname(g_real, name, n, out);
}

static int v_random(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return g_real->xRandomness(g_real, n, out);
}

static int v_sleep(sqlite3_vfs *v, int us)
{
	(void)v;
	return g_real->xSleep(g_real, us);
}

static int v_time(sqlite3_vfs *v, double *out)
{
	(void)v;
	return g_real->xCurrentTime(g_real, out);
}

static int v_last_error(sqlite3_vfs *v, int n, char *out)
{
	(void)v;
	return g_real->xGetLastError ? g_real->xGetLastError(g_real, n, out) : 0;
}

static int v_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
	(void)v;
	return g_real->xCurrentTimeInt64(g_real, out);
}

static sqlite3_vfs g_vfs;

static int install_vfs(void)
{
	if (!(g_real = sqlite3_vfs_find(NULL)) || g_real->iVersion < 2)
		return -1;
	memset(&g_vfs, 0, sizeof(g_vfs));
	g_vfs.iVersion = 2;
	g_vfs.szOsFile = (int)sizeof(struct ffile) + g_real->szOsFile;
	g_vfs.mxPathname = g_real->mxPathname;
	g_vfs.zName = "betaalrun-faults";
	g_vfs.xOpen = v_open;
	g_vfs.xDelete = v_delete;
	g_vfs.xAccess = v_access;
	g_vfs.xFullPathname = v_full;
	g_vfs.xRandomness = v_random;
	g_vfs.xSleep = v_sleep;
	g_vfs.xCurrentTime = v_time;
	g_vfs.xGetLastError = v_last_error;
	g_vfs.xCurrentTimeInt64 = v_time64;
	return sqlite3_vfs_register(&g_vfs, 1) == SQLITE_OK ? 0 : -1;
}

/* ---- fixture ---------------------------------------------------------------- */

static char g_keys[256];

struct faultfx {
	struct home_fx h;
	struct payrun_env env;
	char trust[FX_PATH * 2], prep[FX_PATH * 2];
};

static const struct fx_dossier DOSSIERS[] = {
	{ .nummer = "PW-0405-000001", .bsn = "100000009", .naam = "P. Jansen", .iban = "NL64ABNA0417164301" },
	{ .nummer = "PW-0405-000002", .bsn = "100000010", .naam = "A. de Vries", .iban = "NL37ABNA0417164302",
	  .partner_bsn = "100000022", .partner_naam = "B. de Vries" },
};

static int group_setup(void **state)
{
	(void)state;
	if (install_vfs() < 0)
		return -1;
	return fx_make_keys(g_keys, sizeof(g_keys));
}

static int group_teardown(void **state)
{
	struct br_error err;

	(void)state;
	br_error_clear(&err);
	sqlite3_vfs_unregister(&g_vfs);
	return fsutil_remove_tree(g_keys, &err);
}

static int setup(void **state)
{
	static struct faultfx fx;

	memset(&fx, 0, sizeof(fx));
	arm(0, 0);
	if (home_open(&fx.h, "test_store_faults") < 0)
		return -1;
	snprintf(fx.h.cfg.debiteur_iban, sizeof(fx.h.cfg.debiteur_iban), "NL91ABNA0417164300");
	snprintf(fx.trust, sizeof(fx.trust), "%s/ca.pem", g_keys);
	snprintf(fx.prep, sizeof(fx.prep), "%s/prep.pem", g_keys);
	fx.env.home = fx.h.dir;
	fx.env.cfg = &fx.h.cfg;
	fx.env.rules = &fx.h.rules;
	fx.env.trust_pem = fx.trust;
	fx.env.signals = &fx.h.sig;
	if (timestamp_now(&fx.env.now, NULL) < 0)
		return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct faultfx *fx = *state;

	arm(0, 0);
	return home_close(&fx->h);
}

/* The store as a new process would see it: a fresh read-only connection on
 * the real VFS. */
static char *dump_fresh(const struct home_fx *h)
{
	sqlite3 *db = NULL;
	char *out;

	assert_int_equal(sqlite3_open_v2(h->db, &db, SQLITE_OPEN_READONLY, g_real->zName), SQLITE_OK);
	out = fx_dump_db(db);
	sqlite3_close(db);
	return out;
}

static void drop_register(struct home_fx *h)
{
	struct fx_text t = { 0 };

	fx_register(&t, "REG-1", "2026-10-27", "2026-10-27T18:00:00", DOSSIERS, 2);
	fx_drop(h, "register.xml", t.s);
	fx_text_free(&t);
}

/* A new, empty data directory in place of the old one. */
static void fresh_home(struct faultfx *fx)
{
	struct home_fx *h = &fx->h;

	assert_int_equal(home_close(h), 0);
	assert_int_equal(home_open(h, "test_store_faults"), 0);
	snprintf(h->cfg.debiteur_iban, sizeof(h->cfg.debiteur_iban), "NL91ABNA0417164300");
	fx->env.cfg = &h->cfg;
	fx->env.rules = &h->rules;
	fx->env.signals = &h->sig;
	fx->env.home = h->dir;
}

/* `text` with every "<home>" in it taken out (dumps and trees of two
 * homes compare equal). */
static char *without_home(char *text, const struct home_fx *h)
{
	size_t hl = strlen(h->dir);
	char *p;

	while ((p = strstr(text, h->dir)))
		memmove(p, p + hl, strlen(p + hl) + 1);
	return text;
}

/*
 * Intake of a register with the Nth write, sync or truncate failing, each
 * N in a new data directory.  After the failure either nothing happened
 * (the store as before, the file still in the inbox, nothing archived or
 * quarantined), or — when the failure came after COMMIT, while archiving —
 * the store holds exactly the finished ingest with the delivery not yet
 * marked archived (intake.h: "Known but not yet archived ... the archive is
 * finished").  Either way the next intake without failures must end in
 * exactly the state of an intake that never failed.
 */
static void test_intake(void **state)
{
	struct faultfx *fx = *state;
	struct intake_summary sum;
	char *ref, *ref_tree, *ref_pending, *before, *after, *tree;
	long n, rolled_back = 0, pending = 0;
	int rc;

	drop_register(&fx->h);
	assert_int_equal(fx_ingest(&fx->h, &sum), 0);
	assert_int_equal(sum.ingested, 1);
	ref = without_home(dump_fresh(&fx->h), &fx->h);
	ref_tree = fx_tree(fx->h.archive);
	assert_string_equal(ref_tree, "2026/\n2026/11/\n2026/11/register.xml.gz\n");
	assert_int_equal(store_exec(fx->h.st, "UPDATE levering SET gearchiveerd = 0", &fx->h.err), 0);
	ref_pending = without_home(dump_fresh(&fx->h), &fx->h);

	for (n = 1; n < 10000; n++) {
		fresh_home(fx);
		drop_register(&fx->h);
		before = without_home(dump_fresh(&fx->h), &fx->h);
		arm(n, n % 2);
		rc = fx_ingest(&fx->h, &sum);
		disarm();
		if (!g_injected)
			break;
		if (rc == 0)
			fail_msg("N=%ld: intake succeeded (ingested %d, quarantined %d) although a store write failed", n,
				 sum.ingested, sum.quarantined);
		assert_int_equal(fx->h.err.code, rc);
		assert_string_not_equal(fx->h.err.msg, "");
		tree = fx_tree(fx->h.quarantine);
		if (strcmp(tree, "") != 0)
			fail_msg("N=%ld: quarantine holds %s after a store failure", n, tree);
		free(tree);
		after = without_home(dump_fresh(&fx->h), &fx->h);
		if (strcmp(after, before) == 0) {
			rolled_back++;
			tree = fx_tree(fx->h.inbox);
			assert_string_equal(tree, "register.xml\n");
			free(tree);
			tree = fx_tree(fx->h.archive);
			if (strstr(tree, "/register.xml.gz\n"))
				fail_msg("N=%ld: nothing was ingested, yet the archive holds:\n%s", n, tree);
			free(tree);
		} else if (strcmp(after, ref_pending) == 0) {
			pending++;
		} else {
			fail_msg("N=%ld: the store is neither as before nor the finished ingest:\n%s", n, after);
		}
		free(after);
		/* the next run finishes the job */
		assert_int_equal(fx_ingest(&fx->h, &sum), 0);
		assert_int_equal(sum.quarantined, 0);
		after = without_home(dump_fresh(&fx->h), &fx->h);
		assert_string_equal(after, ref);
		free(after);
		tree = fx_tree(fx->h.archive);
		assert_string_equal(tree, ref_tree);
		free(tree);
		tree = fx_tree(fx->h.inbox);
		assert_string_equal(tree, "");
		free(tree);
		free(before);
		before = NULL;
	}
	free(before);
	assert_true(n > 1); /* failures were injected at all */
	assert_int_equal(rc, 0);
	assert_int_equal(sum.ingested, 1);
	after = without_home(dump_fresh(&fx->h), &fx->h);
	assert_string_equal(after, ref);
	free(after);
	print_message("intake: %ld injected failures: %ld rolled back, %ld after COMMIT (archive finished by the"
		      " next run)\n", n - 1, rolled_back, pending);
	free(ref);
	free(ref_tree);
	free(ref_pending);
}

/* The run folders in out/2026-11/, one a line ("" when none). */
static char *run_folders(struct faultfx *fx)
{
	char dir[FX_PATH * 2];

	snprintf(dir, sizeof(dir), "%s/out/2026-11", fx->h.dir);
	return fx_tree(dir);
}

static void test_prepare(void **state)
{
	struct faultfx *fx = *state;
	struct intake_summary sum;
	struct payrun_summary ps;
	char *before, *fresh_before, *after, *tree;
	long n;
	int rc;

	drop_register(&fx->h);
	assert_int_equal(fx_ingest(&fx->h, &sum), 0);
	before = home_dump(&fx->h);
	fresh_before = dump_fresh(&fx->h);
	for (n = 1; n < 10000; n++) {
		arm(n, n % 2);
		br_error_clear(&fx->h.err);
		rc = payrun_prepare(&ps, fx->h.st, &fx->env, month_of(date_from_ymd(2026, 11, 1)), 0, 0, fx->prep, NULL,
				    &fx->h.err);
		disarm();
		if (!g_injected)
			break;
		if (rc == 0)
			fail_msg("N=%ld: prepare succeeded although a store write failed", n);
		assert_int_equal(fx->h.err.code, rc);
		after = home_dump(&fx->h);
		assert_string_equal(before, after);
		free(after);
		after = dump_fresh(&fx->h);
		assert_string_equal(fresh_before, after);
		free(after);
		/* no temporary folder; at most the folder of a run that has no
		 * record (payrun.h: replaced by the next preparation) */
		tree = run_folders(fx);
		if (strstr(tree, ".tmp"))
			fail_msg("N=%ld: a temporary folder was left:\n%s", n, tree);
		free(tree);
	}
	assert_true(n > 1);
	assert_int_equal(rc, 0);
	assert_string_equal(ps.msg_id, "BR-202611-0001");
	assert_int_equal(fx_count(&fx->h, "SELECT count(*) FROM run WHERE status = 'PREPARED'"), 1);
	assert_int_equal(fx_count(&fx->h, "SELECT count(*) FROM betaling"), 2);
	/* the folder is this run's, not one a failed pass left */
	{
		char path[FSUTIL_PATH_MAX + 32], sha[SHA256_HEX_LEN + 1];
		snprintf(path, sizeof(path), "%s/pain.001.xml", ps.folder);
		assert_int_equal(fsutil_digest_file(sha, NULL, path, UINT64_MAX, NULL, &fx->h.err), 0);
		assert_string_equal(sha, fx_text1(&fx->h, "SELECT sha256 FROM run"));
	}
	tree = run_folders(fx);
	assert_null(strstr(tree, ".tmp"));
	assert_non_null(strstr(tree, "BR-202611-0001/pain.001.xml\n"));
	assert_non_null(strstr(tree, "BR-202611-0001/pain.001.xml.p7s\n"));
	free(tree);
	print_message("prepare: %ld injected failures, each rolled back\n", n - 1);

	/* cancel, with the same treatment */
	free(before);
	before = home_dump(&fx->h);
	for (n = 1; n < 1000; n++) {
		arm(n, 0);
		br_error_clear(&fx->h.err);
		rc = payrun_cancel(fx->h.st, &fx->env, "BR-202611-0001", &fx->h.err);
		disarm();
		if (!g_injected)
			break;
		assert_true(rc < 0);
		after = home_dump(&fx->h);
		assert_string_equal(before, after);
		free(after);
		/* a cancel that could not be recorded renames the payment file back */
		tree = run_folders(fx);
		if (!strstr(tree, "BR-202611-0001/pain.001.xml\n") || strstr(tree, "GEANNULEERD"))
			fail_msg("N=%ld: the failed cancel left the payment file renamed:\n%s", n, tree);
		free(tree);
	}
	assert_int_equal(rc, 0);
	assert_string_equal(fx_text1(&fx->h, "SELECT status FROM run"), "CANCELLED");
	tree = run_folders(fx);
	assert_null(strstr(tree, "BR-202611-0001/pain.001.xml\n"));
	assert_non_null(strstr(tree, "BR-202611-0001/GEANNULEERD-pain.001.xml.txt\n"));
	assert_non_null(strstr(tree, "BR-202611-0001/GEANNULEERD-pain.001.xml.txt.p7s\n"));
	free(tree);
	free(before);
	free(fresh_before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_intake, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

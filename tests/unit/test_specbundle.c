/*
 * test_specbundle.c — a run's specification bundles (writers/specbundle.h):
 * one gzip stream per municipality whose uncompressed bytes are the texts
 * in the order they were added, an index whose offsets and lengths cut
 * each text out again (worked out by hand below), a gzip header without
 * name or time, the same bytes for the same texts, nothing left behind by
 * a bundle that was not finished, and bad keys refused.
 *
 * Files are made in a mkdtemp directory (setup/teardown).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "error.h"
#include "fsutil.h"
#include "specbundle.h"

#include "banned.h"

struct fixture {
	char dir[256];
};

static int setup(void **state)
{
	static struct fixture fx;
	const char *t = getenv("TMPDIR");

	snprintf(fx.dir, sizeof(fx.dir), "%s/test_specbundle.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(fx.dir))
		return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	struct br_error err;

	br_error_clear(&err);
	return fsutil_remove_tree(fx->dir, &err);
}

/* The whole of file `name` in `dir` (NUL-terminated; caller frees). */
static char *slurp(const char *dir, const char *name, size_t *len)
{
	char path[FSUTIL_PATH_MAX];
	struct br_error err;
	char *buf = NULL;

	br_error_clear(&err);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(fsutil_read_file(&buf, len, path, 1 << 24, &err), 0);
	return buf;
}

/* The uncompressed bytes of a gzip file (caller frees). */
static char *gunzip(const char *dir, const char *name, size_t *len)
{
	char path[FSUTIL_PATH_MAX], *out = calloc(1, 1 << 20);
	gzFile g;
	int n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(out);
	assert_non_null(g = gzopen(path, "rb"));
	n = gzread(g, out, (1 << 20) - 1);
	assert_true(n >= 0);
	assert_int_equal(gzclose(g), Z_OK);
	*len = (size_t)n;
	return out;
}

static size_t count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static const char A1[] = "specificatie A1\nregel twee\n";   /* 27 bytes */
static const char B1[] = "specificatie B1\n";                 /* 16 bytes */
static const char A2[] = "specificatie A2 €\n";               /* 20 bytes (€ is 3) */

static void add_three(struct specbundle *sb)
{
	struct br_error err;

	br_error_clear(&err);
	assert_int_equal(specbundle_add(sb, "0420", "PW-0420-000001", A1, strlen(A1), &err), 0);
	assert_int_equal(specbundle_add(sb, "0388", "PW-0388-000002", B1, strlen(B1), &err), 0);
	assert_int_equal(specbundle_add(sb, "0420", "dossier-3", A2, strlen(A2), &err), 0);
}

static void test_bundles_and_index(void **state)
{
	struct fixture *fx = *state;
	struct specbundle *sb = NULL;
	struct br_error err;
	const char *const *names;
	size_t n, len;
	char *text, path[FSUTIL_PATH_MAX];
	struct stat st;

	br_error_clear(&err);
	assert_int_equal(specbundle_open(&sb, fx->dir, &err), 0);
	add_three(sb);
	assert_int_equal(specbundle_finish(sb, &names, &n, &err), 0);
	/* municipalities in code order, the index last */
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "specificaties-0388.txt.gz");
	assert_string_equal(names[1], "specificaties-0420.txt.gz");
	assert_string_equal(names[2], "specificaties.idx");
	assert_int_equal(count_files(fx->dir), 3);   /* no temporary file left */
	/* by hand: A1 at 0 (27 bytes), A2 after it at 27 (20 bytes); B1 alone at 0 */
	assert_int_equal(strlen(A1), 27);
	assert_int_equal(strlen(A2), 20);
	text = slurp(fx->dir, "specificaties.idx", &len);
	assert_string_equal(text, "# betaalrun specificaties 1\n"
			    "PW-0420-000001\t0420\t0\t27\n"
			    "PW-0388-000002\t0388\t0\t16\n"
			    "dossier-3\t0420\t27\t20\n");
	free(text);
	text = gunzip(fx->dir, "specificaties-0420.txt.gz", &len);
	assert_int_equal(len, 47);
	assert_memory_equal(text, "specificatie A1\nregel twee\nspecificatie A2 €\n", 47);
	free(text);
	text = gunzip(fx->dir, "specificaties-0388.txt.gz", &len);
	assert_int_equal(len, 16);
	assert_memory_equal(text, B1, 16);
	free(text);
	/* RFC 1952 header: magic, deflate, no flags (no name), mtime 0, XFL 4
	 * (fastest), OS 3 */
	text = slurp(fx->dir, "specificaties-0388.txt.gz", &len);
	assert_true(len > 10);
	assert_memory_equal(text, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x04\x03", 10);
	free(text);
	snprintf(path, sizeof(path), "%s/specificaties-0420.txt.gz", fx->dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(path, sizeof(path), "%s/specificaties.idx", fx->dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	specbundle_free(sb);
}

/* The same texts in the same order: the same bytes. */
static void test_reproducible(void **state)
{
	struct fixture *fx = *state;
	char sub[2][FSUTIL_PATH_MAX];
	char *x[2];
	size_t len[2], n;
	const char *const *names;
	struct br_error err;
	int i;

	br_error_clear(&err);
	for (i = 0; i < 2; i++) {
		struct specbundle *sb = NULL;
		snprintf(sub[i], sizeof(sub[i]), "%s/r%d", fx->dir, i);
		assert_int_equal(fsutil_mkdirs(sub[i], 0700, &err), 0);
		assert_int_equal(specbundle_open(&sb, sub[i], &err), 0);
		add_three(sb);
		assert_int_equal(specbundle_finish(sb, &names, &n, &err), 0);
		specbundle_free(sb);
		x[i] = slurp(sub[i], "specificaties-0420.txt.gz", &len[i]);
	}
	assert_int_equal(len[0], len[1]);
	assert_memory_equal(x[0], x[1], len[0]);
	free(x[0]);
	free(x[1]);
}

/* Not finished (the run failed): nothing is left in the folder. */
static void test_unfinished_leaves_nothing(void **state)
{
	struct fixture *fx = *state;
	struct specbundle *sb = NULL;
	struct br_error err;

	br_error_clear(&err);
	assert_int_equal(specbundle_open(&sb, fx->dir, &err), 0);
	add_three(sb);
	assert_true(count_files(fx->dir) > 0);
	specbundle_free(sb);
	assert_int_equal(count_files(fx->dir), 0);
}

static void test_bad_input(void **state)
{
	struct fixture *fx = *state;
	struct specbundle *sb = NULL;
	struct br_error err;

	br_error_clear(&err);
	assert_int_equal(specbundle_open(&sb, fx->dir, &err), 0);
	assert_int_equal(specbundle_add(sb, "../x", "K", "t", 1, &err), BR_EINPUT);
	assert_int_equal(specbundle_add(sb, "04200", "K", "t", 1, &err), BR_EINPUT);
	assert_int_equal(specbundle_add(sb, "0420", "", "t", 1, &err), BR_EINPUT);
	assert_int_equal(specbundle_add(sb, "0420", "A\tB", "t", 1, &err), BR_EINPUT);
	assert_int_equal(specbundle_add(sb, "0420", "A\nB", "t", 1, &err), BR_EINPUT);
	specbundle_free(sb);
	/* a folder that does not exist */
	assert_int_equal(specbundle_open(&sb, "/nonexistent/betaalrun", &err), BR_EIO);
	assert_null(sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bundles_and_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reproducible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unfinished_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

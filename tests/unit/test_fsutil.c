/*
 * test_fsutil.c — the file operations of core/fsutil.h that the inbox
 * relies on (formats.md §5 "the inbox is a trust boundary"): the safe name
 * for a name that cannot be stored, one read of a descriptor giving both
 * a copy and the hash of the same bytes, never writing through a link.
 *
 * Files are made in a mkdtemp directory (setup/teardown).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fsutil.h"

#include "banned.h"

/* SHA-256 of "abc" (FIPS 180-2, appendix B.1) and of nothing. */
#define SHA_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct fixture {
	char dir[256];
};

static int setup(void **state)
{
	static struct fixture fx;
	const char *t = getenv("TMPDIR");

	snprintf(fx.dir, sizeof(fx.dir), "%s/test_fsutil.XXXXXX", t && *t ? t : "/tmp");
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

static const char *path_in(const struct fixture *fx, const char *name)
{
	static char buf[4][512];
	static int next;
	char *p = buf[next++ & 3];

	snprintf(p, sizeof(buf[0]), "%s/%s", fx->dir, name);
	return p;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static size_t read_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

/* The contract of fsutil_safe_name (fsutil.h). */
static void check_safe(const char *name)
{
	char out[FSUTIL_SAFE_NAME_MAX + 1], again[FSUTIL_SAFE_NAME_MAX + 1];
	size_t i, len;

	assert_int_equal(fsutil_safe_name(out, name), 0);
	len = strlen(out);
	assert_true(len >= FSUTIL_SAFE_HASH_LEN && len <= FSUTIL_SAFE_NAME_MAX);
	assert_true(out[0] != '.');
	for (i = 0; i < len; i++) {
		char c = out[i];
		assert_true((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    c == '.' || c == '_' || c == '-');
	}
	for (i = 0; i < FSUTIL_SAFE_HASH_LEN; i++)
		assert_true(out[i] >= 'a' && out[i] <= 'p');
	assert_int_equal(fsutil_safe_name(again, name), 0);
	assert_string_equal(out, again); /* the same name, the same safe name */
}

static void test_safe_name(void **state)
{
	static const char *const names[] = {
		"", "register.xml", "evil\nproblem: none (file OK)\naction: delete this file.xml",
		"esc\x1b[31mred\x1b[0m.xml", "bad\xff\xfe.xml", "..", ".hidden", "-dash", "a/b",
		"Gr\xc3\xa9goire.xml", "123456782.xml",
	};
	char longname[256], a[FSUTIL_SAFE_NAME_MAX + 1], b[FSUTIL_SAFE_NAME_MAX + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check_safe(names[i]);
	memset(longname, 'L', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	check_safe(longname);
	/* A recognisable stem; no digits from the hash (nothing that looks
	 * like a BSN to the masking of log.h). */
	assert_int_equal(fsutil_safe_name(a, "evil\nname.xml"), 0);
	assert_string_equal(a + FSUTIL_SAFE_HASH_LEN, "-evil_name.xml");
	assert_int_equal(fsutil_safe_name(a, ""), 0);
	assert_int_equal(strlen(a), FSUTIL_SAFE_HASH_LEN);
	/* Names that differ only where the stem cannot show it differ in
	 * their hash. */
	assert_int_equal(fsutil_safe_name(a, "x\n.xml"), 0);
	assert_int_equal(fsutil_safe_name(b, "x\r.xml"), 0);
	assert_string_not_equal(a, b);
	assert_string_equal(a + FSUTIL_SAFE_HASH_LEN, b + FSUTIL_SAFE_HASH_LEN);
}

static void test_sha256_hex(void **state)
{
	char sha[SHA256_HEX_LEN + 1];

	(void)state;
	assert_int_equal(fsutil_sha256_hex(sha, "abc", 3), 0);
	assert_string_equal(sha, SHA_ABC);
	assert_int_equal(fsutil_sha256_hex(sha, "", 0), 0);
	assert_string_equal(sha, SHA_EMPTY);
}

static void test_copy_fd_digest(void **state)
{
	struct fixture *fx = *state;
	char sha[SHA256_HEX_LEN + 1], back[16];
	struct br_error err;
	uint64_t size = 0;
	struct stat st;
	int fd;

	br_error_clear(&err);
	write_file(path_in(fx, "src"), "abc", 3);
	fd = open(path_in(fx, "src"), O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fsutil_copy_fd_digest(sha, &size, fd, "src", path_in(fx, "copy"), 1024, &err), 0);
	close(fd);
	assert_string_equal(sha, SHA_ABC);
	assert_int_equal(size, 3);
	assert_int_equal(read_file(path_in(fx, "copy"), back, sizeof(back)), 3);
	assert_memory_equal(back, "abc", 3);
	assert_int_equal(stat(path_in(fx, "copy"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* The copy is a new file: an existing one, or a link in its place,
	 * is refused and left alone (never written through). */
	fd = open(path_in(fx, "src"), O_RDONLY);
	assert_int_equal(fsutil_copy_fd_digest(sha, &size, fd, "src", path_in(fx, "copy"), 1024, &err), BR_EIO);
	close(fd);
	assert_int_equal(read_file(path_in(fx, "copy"), back, sizeof(back)), 3);
	write_file(path_in(fx, "target"), "keep", 4);
	assert_int_equal(symlink(path_in(fx, "target"), path_in(fx, "link")), 0);
	br_error_clear(&err);
	fd = open(path_in(fx, "src"), O_RDONLY);
	assert_int_equal(fsutil_copy_fd_digest(sha, &size, fd, "src", path_in(fx, "link"), 1024, &err), BR_EIO);
	close(fd);
	assert_int_equal(read_file(path_in(fx, "target"), back, sizeof(back)), 4);
	assert_memory_equal(back, "keep", 4);

	/* Over the cap: BR_EINPUT, and no copy is left. */
	br_error_clear(&err);
	fd = open(path_in(fx, "src"), O_RDONLY);
	assert_int_equal(fsutil_copy_fd_digest(sha, &size, fd, "src", path_in(fx, "copy2"), 2, &err), BR_EINPUT);
	close(fd);
	assert_int_equal(err.code, BR_EINPUT);
	assert_false(fsutil_exists(path_in(fx, "copy2")));

	/* An empty file, and digest_fd from where the descriptor stands. */
	br_error_clear(&err);
	write_file(path_in(fx, "empty"), "", 0);
	fd = open(path_in(fx, "empty"), O_RDONLY);
	assert_int_equal(fsutil_copy_fd_digest(sha, &size, fd, "empty", path_in(fx, "copy3"), 2, &err), 0);
	close(fd);
	assert_string_equal(sha, SHA_EMPTY);
	assert_int_equal(size, 0);
	write_file(path_in(fx, "xabc"), "xabc", 4);
	fd = open(path_in(fx, "xabc"), O_RDONLY);
	assert_int_equal(read(fd, back, 1), 1);
	assert_int_equal(fsutil_digest_fd(sha, &size, fd, "xabc", 1024, &err), 0);
	close(fd);
	assert_string_equal(sha, SHA_ABC);
	assert_int_equal(size, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_safe_name),
		cmocka_unit_test(test_sha256_hex),
		cmocka_unit_test_setup_teardown(test_copy_fd_digest, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

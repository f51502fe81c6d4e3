/*
 * test_fsutil.c — the file operations of core/fsutil.h that the inbox
 * relies on (formats.md §5 "the inbox is a trust boundary"): the safe name
 * for a name that cannot be stored, one read of a descriptor giving both
 * a copy and the hash of the same bytes, never writing through a link.
 *
 * Also the durable writes every stage relies on (fsutil.h "Crash safety"):
 * an atomic write leaves the old file or the new one, never a mix and
 * never its temporary file; copies (plain and gzip), moves, the cleanup of
 * a killed writer's temporary files, path joining at its limit, digests.
 * A failed write is forced with RLIMIT_FSIZE (write(2) then fails with
 * EFBIG), a failed rename by a directory in the target's place.
 *
 * Files are made in a mkdtemp directory (setup/teardown).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

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

/* SHA-1 of "abc" (FIPS 180-2, appendix A.1). */
#define SHA1_ABC "a9993e364706816aba3e25717850c26c9cd0d89d"

/* Names in fx->dir other than "." and "..", as "a,b,c" in sorted order
 * (at most 16 of them). */
static const char *list_dir(const char *dir)
{
	static char out[1024];
	struct dirent **names = NULL;
	int n, i;

	out[0] = '\0';
	n = scandir(dir, &names, NULL, alphasort);
	assert_true(n >= 0);
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
			if (out[0])
				strncat(out, ",", sizeof(out) - strlen(out) - 1);
			strncat(out, names[i]->d_name, sizeof(out) - strlen(out) - 1);
		}
		free(names[i]);
	}
	free(names);
	return out;
}

static void test_write_atomic(void **state)
{
	struct fixture *fx = *state;
	char back[64];
	struct br_error err;
	struct stat st;
	mode_t old = umask(022);

	br_error_clear(&err);
	assert_int_equal(fsutil_write_atomic(path_in(fx, "out.xml"), "first", 5, 0600, &err), 0);
	assert_int_equal(read_file(path_in(fx, "out.xml"), back, sizeof(back)), 5);
	assert_memory_equal(back, "first", 5);
	assert_int_equal(stat(path_in(fx, "out.xml"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_string_equal(list_dir(fx->dir), "out.xml");

	/* Over an existing file (one with a wider mode): replaced whole, and
	 * the new file has the mode asked for, not the old one's. */
	assert_int_equal(chmod(path_in(fx, "out.xml"), 0644), 0);
	assert_int_equal(fsutil_write_atomic(path_in(fx, "out.xml"), "second!", 7, 0600, &err), 0);
	assert_int_equal(read_file(path_in(fx, "out.xml"), back, sizeof(back)), 7);
	assert_memory_equal(back, "second!", 7);
	assert_int_equal(stat(path_in(fx, "out.xml"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* An empty file is a file. */
	assert_int_equal(fsutil_write_atomic(path_in(fx, "empty"), "", 0, 0600, &err), 0);
	assert_int_equal(stat(path_in(fx, "empty"), &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_string_equal(list_dir(fx->dir), "empty,out.xml");
	assert_int_equal(err.code, BR_OK);
	umask(old);
}

static void test_write_atomic_failures(void **state)
{
	struct fixture *fx = *state;
	static char big[64 * 1024];
	char back[64];
	struct br_error err;
	struct rlimit lim, small;
	void (*was)(int);

	write_file(path_in(fx, "out.xml"), "old", 3);

	/* The write fails half way (the file size limit): BR_EIO naming the
	 * file, the old file untouched, no temporary file left. */
	memset(big, 'x', sizeof(big));
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &lim), 0);
	small = lim;
	small.rlim_cur = 4096;
	was = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	br_error_clear(&err);
	assert_int_equal(fsutil_write_atomic(path_in(fx, "out.xml"), big, sizeof(big), 0600, &err), BR_EIO);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	signal(SIGXFSZ, was);
	assert_int_equal(err.code, BR_EIO);
	assert_non_null(strstr(err.msg, "out.xml"));
	assert_int_equal(read_file(path_in(fx, "out.xml"), back, sizeof(back)), 3);
	assert_memory_equal(back, "old", 3);
	assert_string_equal(list_dir(fx->dir), "out.xml");

	/* The rename fails (a directory holds the name): BR_EIO, the
	 * directory as it was, no temporary file left. */
	assert_int_equal(mkdir(path_in(fx, "taken"), 0700), 0);
	write_file(path_in(fx, "taken/inside"), "in", 2);
	br_error_clear(&err);
	assert_int_equal(fsutil_write_atomic(path_in(fx, "taken"), "new", 3, 0600, &err), BR_EIO);
	assert_non_null(strstr(err.msg, "kan niet worden vervangen"));
	assert_string_equal(list_dir(fx->dir), "out.xml,taken");
	assert_string_equal(list_dir(path_in(fx, "taken")), "inside");

	/* The directory does not exist: BR_EIO, nothing made. */
	br_error_clear(&err);
	assert_int_equal(fsutil_write_atomic(path_in(fx, "no/such/file"), "x", 1, 0600, &err), BR_EIO);
	assert_false(fsutil_exists(path_in(fx, "no")));
}

static void test_copy_atomic(void **state)
{
	struct fixture *fx = *state;
	static char text[100000], back[100000], gz1[100000], gz2[100000];
	unsigned long back_len = sizeof(back);
	size_t i, n1, n2;
	struct br_error err;
	struct stat st;
	z_stream zs;

	for (i = 0; i < sizeof(text); i++)
		text[i] = (char)('a' + (i * 7 + i / 13) % 26);
	write_file(path_in(fx, "src"), text, sizeof(text));
	br_error_clear(&err);
	assert_int_equal(fsutil_copy_atomic(path_in(fx, "plain"), path_in(fx, "src"), 0, 0600, &err), 0);
	assert_int_equal(read_file(path_in(fx, "plain"), back, sizeof(back)), sizeof(text));
	assert_memory_equal(back, text, sizeof(text));
	assert_false(fsutil_is_gzip(path_in(fx, "plain")));

	/* gzip: RFC 1952 (magic, no name, mtime 0), the same input giving the
	 * same bytes, and zlib gives the input back. */
	assert_int_equal(fsutil_copy_atomic(path_in(fx, "a.gz"), path_in(fx, "src"), 1, 0600, &err), 0);
	assert_int_equal(fsutil_copy_atomic(path_in(fx, "b.gz"), path_in(fx, "src"), 1, 0600, &err), 0);
	assert_true(fsutil_is_gzip(path_in(fx, "a.gz")));
	n1 = read_file(path_in(fx, "a.gz"), gz1, sizeof(gz1));
	n2 = read_file(path_in(fx, "b.gz"), gz2, sizeof(gz2));
	assert_true(n1 > 18 && n1 < sizeof(text));
	assert_int_equal(n1, n2);
	assert_memory_equal(gz1, gz2, n1);
	assert_int_equal((unsigned char)gz1[3], 0); /* FLG: no FNAME */
	assert_memory_equal(gz1 + 4, "\0\0\0\0", 4); /* MTIME 0 */
	assert_int_equal(stat(path_in(fx, "a.gz"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (unsigned char *)gz1;
	zs.avail_in = (unsigned)n1;
	zs.next_out = (unsigned char *)back;
	zs.avail_out = (unsigned)back_len;
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	assert_int_equal(zs.total_out, sizeof(text));
	inflateEnd(&zs);
	assert_memory_equal(back, text, sizeof(text));

	/* A missing source: BR_EIO, no destination and no temporary file. */
	br_error_clear(&err);
	assert_int_equal(fsutil_copy_atomic(path_in(fx, "c"), path_in(fx, "nothing"), 1, 0600, &err), BR_EIO);
	assert_string_equal(list_dir(fx->dir), "a.gz,b.gz,plain,src");
}

static void test_move_and_trees(void **state)
{
	struct fixture *fx = *state;
	char back[16];
	struct br_error err;
	struct stat st;
	mode_t old = umask(022);

	br_error_clear(&err);
	/* mkdirs: every directory it makes has the mode asked for. */
	assert_int_equal(fsutil_mkdirs(path_in(fx, "t/a/b"), 0700, &err), 0);
	assert_int_equal(fsutil_mkdirs(path_in(fx, "t/a/b"), 0700, &err), 0); /* again: fine */
	assert_int_equal(stat(path_in(fx, "t/a"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(path_in(fx, "t/a/b"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	/* move: never over an existing file (both left as they were). */
	write_file(path_in(fx, "m1"), "one", 3);
	write_file(path_in(fx, "m2"), "two", 3);
	assert_int_equal(fsutil_move(path_in(fx, "m1"), path_in(fx, "m2"), &err), BR_EIO);
	assert_int_equal(read_file(path_in(fx, "m1"), back, sizeof(back)), 3);
	assert_memory_equal(back, "one", 3);
	assert_int_equal(read_file(path_in(fx, "m2"), back, sizeof(back)), 3);
	assert_memory_equal(back, "two", 3);
	br_error_clear(&err);
	assert_int_equal(fsutil_move(path_in(fx, "m1"), path_in(fx, "t/a/m1"), &err), 0);
	assert_false(fsutil_exists(path_in(fx, "m1")));
	assert_int_equal(read_file(path_in(fx, "t/a/m1"), back, sizeof(back)), 3);

	/* clean_temp removes exactly the ".NAME.tmp-PID" files. */
	write_file(path_in(fx, "t/.pain.001.xml.tmp-4242"), "half", 4);
	write_file(path_in(fx, "t/.hidden"), "keep", 4);
	write_file(path_in(fx, "t/x.tmp-1"), "keep", 4);
	assert_int_equal(fsutil_clean_temp(path_in(fx, "t"), &err), 0);
	assert_string_equal(list_dir(path_in(fx, "t")), ".hidden,a,x.tmp-1");
	assert_int_equal(fsutil_clean_temp(path_in(fx, "missing"), &err), 0);

	/* remove_tree does not follow a link out of the tree. */
	write_file(path_in(fx, "outside"), "safe", 4);
	assert_int_equal(symlink(fx->dir, path_in(fx, "t/a/b/up")), 0);
	assert_int_equal(symlink(path_in(fx, "outside"), path_in(fx, "t/a/link")), 0);
	assert_int_equal(fsutil_remove_tree(path_in(fx, "t"), &err), 0);
	assert_false(fsutil_exists(path_in(fx, "t")));
	assert_int_equal(read_file(path_in(fx, "outside"), back, sizeof(back)), 4);
	assert_int_equal(fsutil_remove_tree(path_in(fx, "t"), &err), 0); /* missing: fine */
	assert_int_equal(err.code, BR_OK);
	umask(old);
}

static void test_join_and_digest(void **state)
{
	struct fixture *fx = *state;
	char out[8], sha[SHA256_HEX_LEN + 1], sha1[SHA1_HEX_LEN + 1];
	struct br_error err;
	uint64_t size = 0;

	/* "ab/cd" needs 6 bytes with its NUL. */
	br_error_clear(&err);
	assert_int_equal(fsutil_join(out, 6, "ab", "cd", &err), 0);
	assert_string_equal(out, "ab/cd");
	assert_int_equal(fsutil_join(out, 5, "ab", "cd", &err), BR_EINTERNAL);
	assert_int_equal(err.code, BR_EINTERNAL);
	assert_non_null(strstr(err.msg, "pad te lang"));
	assert_string_equal(fsutil_basename("a/b/c.xml"), "c.xml");
	assert_string_equal(fsutil_basename("c.xml"), "c.xml");
	assert_string_equal(fsutil_basename("dir/"), "");

	br_error_clear(&err);
	write_file(path_in(fx, "abc"), "abc", 3);
	assert_int_equal(fsutil_digest_file(sha, sha1, path_in(fx, "abc"), 3, &size, &err), 0);
	assert_string_equal(sha, SHA_ABC);
	assert_string_equal(sha1, SHA1_ABC);
	assert_int_equal(size, 3);
	assert_int_equal(fsutil_digest_file(sha, NULL, path_in(fx, "abc"), 2, &size, &err), BR_EINPUT);
	br_error_clear(&err);
	assert_int_equal(fsutil_digest_file(sha, NULL, path_in(fx, "none"), 9, &size, &err), BR_ENOINPUT);
}

/* fsutil.h fsutil_read_file: whole file, NUL after it, a cap that counts
 * (exactly max is fine, one more is BR_EINPUT), a missing file BR_ENOINPUT. */
static void test_read_file(void **state)
{
	struct fixture *fx = *state;
	struct br_error err;
	char *buf = NULL;
	size_t len = 99;

	write_file(path_in(fx, "abc"), "abc", 3);
	br_error_clear(&err);
	assert_int_equal(fsutil_read_file(&buf, &len, path_in(fx, "abc"), 3, &err), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(buf, "abc", 4);
	free(buf);
	assert_int_equal(fsutil_read_file(&buf, &len, path_in(fx, "abc"), 2, &err), BR_EINPUT);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_non_null(strstr(err.msg, "is groter dan 2 bytes"));
	br_error_clear(&err);
	assert_int_equal(fsutil_read_file(&buf, &len, path_in(fx, "none"), 9, &err), BR_ENOINPUT);
	assert_non_null(strstr(err.msg, "none"));
	br_error_clear(&err);
	write_file(path_in(fx, "empty"), "", 0);
	assert_int_equal(fsutil_read_file(&buf, &len, path_in(fx, "empty"), 9, &err), 0);
	assert_int_equal(len, 0);
	assert_int_equal(buf[0], '\0');
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_safe_name),
		cmocka_unit_test(test_sha256_hex),
		cmocka_unit_test_setup_teardown(test_copy_fd_digest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_atomic_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copy_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_and_trees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_join_and_digest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

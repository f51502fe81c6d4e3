/* fsutil.c — see fsutil.h. */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "banned.h"

#define IO_CHUNK 65536

int fsutil_join(char *out, size_t cap, const char *a, const char *b, struct br_error *err)
{
	int n = snprintf(out, cap, "%s/%s", a, b);

	if (n < 0 || (size_t)n >= cap)
		return br_error_set(err, BR_EINTERNAL, "pad te lang: %s/%s", a, b);
	return 0;
}

const char *fsutil_basename(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

int fsutil_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

int fsutil_mkdirs(const char *path, unsigned mode, struct br_error *err)
{
	char buf[FSUTIL_PATH_MAX];
	size_t i, len = strlen(path);

	if (len >= sizeof(buf))
		return br_error_set(err, BR_EINTERNAL, "pad te lang: %s", path);
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, (mode_t)mode) != 0 && errno != EEXIST)
			return br_error_set(err, BR_EIO, "map %s kan niet worden gemaakt: %s", buf, strerror(errno));
		if (i < len)
			buf[i] = '/';
	}
	return 0;
}

int fsutil_sync_dir(const char *dir, struct br_error *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return br_error_set(err, BR_EIO, "map %s kan niet worden geopend: %s", dir, strerror(errno));
	if (fsync(fd) != 0 && errno != EINVAL) {
		int e = errno;
		close(fd);
		return br_error_set(err, BR_EIO, "map %s kan niet naar schijf worden geschreven: %s", dir, strerror(e));
	}
	close(fd);
	return 0;
}

static int dir_of(char *out, size_t cap, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash) {
		snprintf(out, cap, ".");
		return 0;
	}
	n = (size_t)(slash - path);
	if (n == 0)
		n = 1;
	if (n >= cap)
		return -1;
	memcpy(out, path, n);
	out[n] = '\0';
	return 0;
}

/* Temp name beside the target: DIR/.NAME.tmp-PID */
static int tmp_name(char *out, size_t cap, const char *path, struct br_error *err)
{
	char dir[FSUTIL_PATH_MAX];
	int n;

	if (dir_of(dir, sizeof(dir), path) < 0)
		return br_error_set(err, BR_EINTERNAL, "pad te lang: %s", path);
	n = snprintf(out, cap, "%s/.%s.tmp-%ld", dir, fsutil_basename(path), (long)getpid());
	if (n < 0 || (size_t)n >= cap)
		return br_error_set(err, BR_EINTERNAL, "pad te lang: %s", path);
	return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fsync, close, rename into place, sync the directory. */
static int commit_tmp(int fd, const char *tmp, const char *path, struct br_error *err)
{
	char dir[FSUTIL_PATH_MAX];

	if (fsync(fd) != 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return br_error_set(err, BR_EIO, "%s kan niet worden geschreven: %s", path, strerror(e));
	}
	if (close(fd) != 0) {
		unlink(tmp);
		return br_error_set(err, BR_EIO, "%s kan niet worden geschreven: %s", path, strerror(errno));
	}
	if (rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return br_error_set(err, BR_EIO, "%s kan niet worden vervangen: %s", path, strerror(e));
	}
	if (dir_of(dir, sizeof(dir), path) < 0)
		return br_error_set(err, BR_EINTERNAL, "pad te lang: %s", path);
	return fsutil_sync_dir(dir, err);
}

int fsutil_write_atomic(const char *path, const void *data, size_t len, unsigned mode,
			struct br_error *err)
{
	char tmp[FSUTIL_PATH_MAX];
	int fd, rc;

	if ((rc = tmp_name(tmp, sizeof(tmp), path, err)) < 0)
		return rc;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)mode)) < 0)
		return br_error_set(err, BR_EIO, "%s kan niet worden gemaakt: %s", tmp, strerror(errno));
	if (write_all(fd, data, len) != 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return br_error_set(err, BR_EIO, "%s kan niet worden geschreven: %s", path, strerror(e));
	}
	return commit_tmp(fd, tmp, path, err);
}

int fsutil_copy_atomic(const char *dst, const char *src, int gzip, unsigned mode,
		       struct br_error *err)
{
	char tmp[FSUTIL_PATH_MAX];
	unsigned char *in = NULL, *out = NULL;
	int ifd = -1, ofd = -1, rc = 0, z_ready = 0;
	z_stream zs;

	if ((rc = tmp_name(tmp, sizeof(tmp), dst, err)) < 0)
		return rc;
	if (!(in = malloc(IO_CHUNK)) || !(out = malloc(IO_CHUNK))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het kopiëren van %s", src);
		goto out;
	}
	if ((ifd = open(src, O_RDONLY | O_CLOEXEC)) < 0) {
		rc = br_error_set(err, BR_EIO, "%s kan niet worden geopend: %s", src, strerror(errno));
		goto out;
	}
	if ((ofd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, (mode_t)mode)) < 0) {
		rc = br_error_set(err, BR_EIO, "%s kan niet worden gemaakt: %s", tmp, strerror(errno));
		goto out;
	}
	if (gzip) {
		memset(&zs, 0, sizeof(zs));
		/* windowBits 15+16: gzip wrapper with mtime 0, no name; level 1: an
		 * archive copy must not cost more than the ingest itself (make bench) */
		if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			rc = br_error_set(err, BR_EINTERNAL, "zlib kan niet beginnen met comprimeren");
			goto out;
		}
		z_ready = 1;
	}
	for (;;) {
		ssize_t n = read(ifd, in, IO_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = br_error_set(err, BR_EIO, "%s kan niet worden gelezen: %s", src, strerror(errno));
			goto out;
		}
		if (!gzip) {
			if (n == 0)
				break;
			if (write_all(ofd, in, (size_t)n) != 0) {
				rc = br_error_set(err, BR_EIO, "%s kan niet worden geschreven: %s", tmp, strerror(errno));
				goto out;
			}
			continue;
		}
		zs.next_in = in;
		zs.avail_in = (uInt)n;
		do {
			int zr;
			zs.next_out = out;
			zs.avail_out = IO_CHUNK;
			zr = deflate(&zs, n == 0 ? Z_FINISH : Z_NO_FLUSH);
			if (zr == Z_STREAM_ERROR) {
				rc = br_error_set(err, BR_EINTERNAL, "zlib kon %s niet comprimeren", src);
				goto out;
			}
			if (write_all(ofd, out, IO_CHUNK - zs.avail_out) != 0) {
				rc = br_error_set(err, BR_EIO, "%s kan niet worden geschreven: %s", tmp, strerror(errno));
				goto out;
			}
		} while (zs.avail_out == 0);
		if (n == 0)
			break;
	}
	rc = commit_tmp(ofd, tmp, dst, err);
	ofd = -1;
	tmp[0] = '\0';
out:
	if (z_ready)
		deflateEnd(&zs);
	if (ifd >= 0)
		close(ifd);
	if (ofd >= 0)
		close(ofd);
	if (rc < 0 && tmp[0])
		unlink(tmp);
	free(in);
	free(out);
	return rc;
}

int fsutil_move(const char *src, const char *dst, struct br_error *err)
{
	char dir[FSUTIL_PATH_MAX];
	int rc;

	if (fsutil_exists(dst))
		return br_error_set(err, BR_EIO, "%s kan niet worden verplaatst: %s bestaat al", src, dst);
	if (rename(src, dst) == 0) {
		if (dir_of(dir, sizeof(dir), dst) == 0 && (rc = fsutil_sync_dir(dir, err)) < 0)
			return rc;
		if (dir_of(dir, sizeof(dir), src) == 0)
			return fsutil_sync_dir(dir, err);
		return 0;
	}
	if (errno != EXDEV)
		return br_error_set(err, BR_EIO, "%s kan niet naar %s worden verplaatst: %s", src, dst, strerror(errno));
	if ((rc = fsutil_copy_atomic(dst, src, 0, 0600, err)) < 0)
		return rc;
	if (unlink(src) != 0)
		return br_error_set(err, BR_EIO, "%s kan niet worden verwijderd: %s", src, strerror(errno));
	if (dir_of(dir, sizeof(dir), src) == 0)
		return fsutil_sync_dir(dir, err);
	return 0;
}

int fsutil_is_gzip(const char *path)
{
	unsigned char m[2];
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok = 0;

	if (fd < 0)
		return 0;
	if (read(fd, m, 2) == 2 && m[0] == 0x1f && m[1] == 0x8b)
		ok = 1;
	close(fd);
	return ok;
}

static void to_hex(char *out, const unsigned char *md, unsigned len)
{
	static const char hx[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hx[md[i] >> 4];
		out[2 * i + 1] = hx[md[i] & 15];
	}
	out[2 * len] = '\0';
}

/*
 * Read `fd` to its end, hashing every byte (SHA-256, and SHA-1 when
 * sha1_hex_or_null) and, when out_fd >= 0, writing it there: one read of
 * the input gives the digest and the copy of the same bytes.  `what`
 * names the input in messages.
 */
static int digest_fd(char sha256_hex[SHA256_HEX_LEN + 1], char *sha1_hex_or_null, uint64_t *out_size,
		     int fd, int out_fd, const char *what, uint64_t max_bytes, struct br_error *err)
{
	EVP_MD_CTX *c256 = NULL, *c1 = NULL;
	unsigned char *buf = NULL, md[EVP_MAX_MD_SIZE];
	unsigned mdlen;
	uint64_t total = 0;
	int rc = 0;

	if (!(buf = malloc(IO_CHUNK)) || !(c256 = EVP_MD_CTX_new()) ||
	    (sha1_hex_or_null && !(c1 = EVP_MD_CTX_new()))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het berekenen van de hash van %s", what);
		goto out;
	}
	if (EVP_DigestInit_ex(c256, EVP_sha256(), NULL) != 1 ||
	    (c1 && EVP_DigestInit_ex(c1, EVP_sha1(), NULL) != 1)) {
		rc = br_error_set(err, BR_EINTERNAL, "OpenSSL kan SHA-256 niet starten");
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, buf, IO_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = br_error_set(err, BR_EIO, "%s kan niet worden gelezen: %s", what, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		total += (uint64_t)n;
		if (total > max_bytes) {
			rc = br_error_set(err, BR_EINPUT,
					  "het bestand is groter dan de grens van %llu MiB (max_bestand_mb)",
					  (unsigned long long)(max_bytes >> 20));
			goto out;
		}
		if (EVP_DigestUpdate(c256, buf, (size_t)n) != 1 ||
		    (c1 && EVP_DigestUpdate(c1, buf, (size_t)n) != 1)) {
			rc = br_error_set(err, BR_EINTERNAL, "OpenSSL-digest mislukt");
			goto out;
		}
		if (out_fd >= 0 && write_all(out_fd, buf, (size_t)n) != 0) {
			rc = br_error_set(err, BR_EIO, "%s kan niet worden gekopieerd: %s", what, strerror(errno));
			goto out;
		}
	}
	if (EVP_DigestFinal_ex(c256, md, &mdlen) != 1) {
		rc = br_error_set(err, BR_EINTERNAL, "OpenSSL-digest mislukt");
		goto out;
	}
	to_hex(sha256_hex, md, mdlen);
	if (c1) {
		if (EVP_DigestFinal_ex(c1, md, &mdlen) != 1) {
			rc = br_error_set(err, BR_EINTERNAL, "OpenSSL-digest mislukt");
			goto out;
		}
		to_hex(sha1_hex_or_null, md, mdlen);
	}
	if (out_size)
		*out_size = total;
out:
	EVP_MD_CTX_free(c256);
	EVP_MD_CTX_free(c1);
	free(buf);
	return rc;
}

int fsutil_read_file(char **out, size_t *len, const char *path, size_t max_bytes, struct br_error *err)
{
	char *buf = NULL;
	size_t n = 0;
	ssize_t r;
	int fd;

	*out = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return br_error_set(err, errno == ENOENT ? BR_ENOINPUT : BR_EIO, "%s kan niet worden geopend: %s", path,
				    strerror(errno));
	if (!(buf = malloc(max_bytes + 2))) {
		close(fd);
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen om %s te lezen", path);
	}
	/* one byte more than allowed tells an over-long file */
	while (n <= max_bytes && (r = read(fd, buf + n, max_bytes + 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			close(fd);
			free(buf);
			return br_error_set(err, BR_EIO, "%s kan niet worden gelezen: %s", path, strerror(e));
		}
		n += (size_t)r;
	}
	close(fd);
	if (n > max_bytes) {
		free(buf);
		return br_error_set(err, BR_EINPUT, "%s is groter dan %zu bytes", path, max_bytes);
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int fsutil_digest_file(char sha256_hex[SHA256_HEX_LEN + 1], char *sha1_hex_or_null,
		       const char *path, uint64_t max_bytes, uint64_t *out_size,
		       struct br_error *err)
{
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return br_error_set(err, errno == ENOENT ? BR_ENOINPUT : BR_EIO,
				    "%s kan niet worden geopend: %s", path, strerror(errno));
	rc = digest_fd(sha256_hex, sha1_hex_or_null, out_size, fd, -1, path, max_bytes, err);
	close(fd);
	return rc;
}

int fsutil_digest_fd(char sha256_hex[SHA256_HEX_LEN + 1], uint64_t *out_size, int fd,
		     const char *what, uint64_t max_bytes, struct br_error *err)
{
	return digest_fd(sha256_hex, NULL, out_size, fd, -1, what, max_bytes, err);
}

int fsutil_copy_fd_digest(char sha256_hex[SHA256_HEX_LEN + 1], uint64_t *out_size, int fd,
			  const char *what, const char *dst, uint64_t max_bytes, struct br_error *err)
{
	int out_fd, rc;

	if ((out_fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		return br_error_set(err, BR_EIO, "%s kan niet worden gemaakt: %s", dst, strerror(errno));
	rc = digest_fd(sha256_hex, NULL, out_size, fd, out_fd, what, max_bytes, err);
	if (close(out_fd) != 0 && rc == 0)
		rc = br_error_set(err, BR_EIO, "%s kan niet worden geschreven: %s", dst, strerror(errno));
	if (rc < 0)
		unlink(dst);
	return rc;
}

int fsutil_sha256_hex(char sha256_hex[SHA256_HEX_LEN + 1], const void *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;

	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32) {
		sha256_hex[0] = '\0';
		return BR_EINTERNAL;
	}
	to_hex(sha256_hex, md, mdlen);
	return 0;
}

static int safe_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

int fsutil_safe_name(char out[FSUTIL_SAFE_NAME_MAX + 1], const char *name)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	const unsigned char *p = (const unsigned char *)name;
	size_t n, stem = 0;

	if (EVP_Digest(name, strlen(name), md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen * 2 < FSUTIL_SAFE_HASH_LEN) {
		out[0] = '\0';
		return BR_EINTERNAL;
	}
	/* the hash in letters a..p, one per nibble: no digits, so no run of
	 * nine that masking (log.h) would hide from the operator */
	for (n = 0; n < FSUTIL_SAFE_HASH_LEN; n++)
		out[n] = (char)('a' + (n % 2 ? md[n / 2] & 15 : md[n / 2] >> 4));
	/* the stem: what the name starts with, every byte outside
	 * [A-Za-z0-9._-] as '_', so that an operator still recognises it */
	for (; *p && stem < FSUTIL_SAFE_STEM_MAX; p++, stem++) {
		if (stem == 0)
			out[n++] = '-';
		out[n++] = safe_name_char(*p) ? (char)*p : '_';
	}
	out[n] = '\0';
	return 0;
}

int fsutil_remove_tree(const char *path, struct br_error *err)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : br_error_set(err, BR_EIO, "%s kan niet worden bekeken: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) != 0)
			return br_error_set(err, BR_EIO, "%s kan niet worden verwijderd: %s", path, strerror(errno));
		return 0;
	}
	if (!(d = opendir(path)))
		return br_error_set(err, BR_EIO, "%s kan niet worden gelezen: %s", path, strerror(errno));
	while ((de = readdir(d))) {
		char child[FSUTIL_PATH_MAX];
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if ((rc = fsutil_join(child, sizeof(child), path, de->d_name, err)) < 0 ||
		    (rc = fsutil_remove_tree(child, err)) < 0)
			break;
	}
	closedir(d);
	if (rc == 0 && rmdir(path) != 0)
		rc = br_error_set(err, BR_EIO, "%s kan niet worden verwijderd: %s", path, strerror(errno));
	return rc;
}

int fsutil_clean_temp(const char *dir, struct br_error *err)
{
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (!(d = opendir(dir)))
		return errno == ENOENT ? 0 : br_error_set(err, BR_EIO, "%s kan niet worden gelezen: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		char path[FSUTIL_PATH_MAX];
		if (de->d_name[0] != '.' || !strstr(de->d_name, ".tmp-"))
			continue;
		if ((rc = fsutil_join(path, sizeof(path), dir, de->d_name, err)) < 0)
			break;
		if (unlink(path) != 0 && errno != ENOENT) {
			rc = br_error_set(err, BR_EIO, "%s kan niet worden verwijderd: %s", path, strerror(errno));
			break;
		}
	}
	closedir(d);
	return rc;
}

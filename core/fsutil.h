/*
 * fsutil.h — durable file operations for intake, runs and the outbox.
 *
 * Crash safety (cli.md "Killing the process at any moment"): every file we
 * create is written to a temporary name in the target directory, fsync'ed,
 * renamed into place, and the directory fsync'ed; a reader therefore sees a
 * file whole or not at all.  Files with personal data are created with
 * mode 0600 and directories 0700.
 */
#ifndef BR_FSUTIL_H
#define BR_FSUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define FSUTIL_PATH_MAX 4096
#define SHA256_HEX_LEN 64
#define SHA1_HEX_LEN 40

/* mkdir -p with `mode` for the directories it creates. */
int fsutil_mkdirs(const char *path, unsigned mode, struct br_error *err);

/* Join into out (cap bytes): a + "/" + b.  BR_EINTERNAL when it does not fit. */
int fsutil_join(char *out, size_t cap, const char *a, const char *b, struct br_error *err);

/* Last path component (borrowed pointer into `path`). */
const char *fsutil_basename(const char *path);

/* SHA-256 (and optionally SHA-1, else NULL) of a file's bytes as lower-case
 * hex; refuses files over `max_bytes` (BR_EINPUT). */
int fsutil_digest_file(char sha256_hex[SHA256_HEX_LEN + 1], char *sha1_hex_or_null,
		       const char *path, uint64_t max_bytes, uint64_t *out_size,
		       struct br_error *err);

/* Read a whole file into a new buffer (*out, caller frees, NUL-terminated
 * one byte past *len): BR_EIO when it cannot be read, BR_EINPUT when it
 * holds more than `max_bytes`.  For files that are parsed and hashed from
 * the same bytes (the rules file). */
int fsutil_read_file(char **out, size_t *len, const char *path, size_t max_bytes, struct br_error *err);

/* The same over an open descriptor, read from where it stands to its end
 * (`what` names it in messages). */
int fsutil_digest_fd(char sha256_hex[SHA256_HEX_LEN + 1], uint64_t *out_size, int fd,
		     const char *what, uint64_t max_bytes, struct br_error *err);

/*
 * Read `fd` to its end once, writing its bytes to a new file `dst` (created
 * with O_EXCL, mode 0600, never through a link) while hashing them: the
 * copy and the SHA-256 are of the same bytes, whatever happens to the file
 * behind `fd` meanwhile.  BR_EINPUT over `max_bytes`, BR_EIO when reading
 * or writing fails; `dst` is removed on any failure.  Not synced: `dst` is
 * a working copy, not a durable file.
 */
int fsutil_copy_fd_digest(char sha256_hex[SHA256_HEX_LEN + 1], uint64_t *out_size, int fd,
			  const char *what, const char *dst, uint64_t max_bytes, struct br_error *err);

/* SHA-256 of a buffer as lower-case hex.  0, or BR_EINTERNAL (out is "") */
int fsutil_sha256_hex(char sha256_hex[SHA256_HEX_LEN + 1], const void *data, size_t len);

/*
 * A file name that can be stored anywhere for a name that cannot (too long,
 * line breaks, control characters, bytes that are not UTF-8, formats.md
 * §5): the first FSUTIL_SAFE_HASH_LEN nibbles of the SHA-256 of `name`, each
 * as a letter 'a'..'p' (no digits: nothing in it looks like a BSN), then '-' and at most FSUTIL_SAFE_STEM_MAX bytes of the name's start with
 * every byte outside [A-Za-z0-9._-] written as '_'.  The result is never
 * empty, never starts with '.', holds only [A-Za-z0-9._-] and is at most
 * FSUTIL_SAFE_NAME_MAX bytes.  0, or BR_EINTERNAL (OpenSSL failed).
 */
#define FSUTIL_SAFE_HASH_LEN 16
#define FSUTIL_SAFE_STEM_MAX 40
#define FSUTIL_SAFE_NAME_MAX (FSUTIL_SAFE_HASH_LEN + 1 + FSUTIL_SAFE_STEM_MAX)
int fsutil_safe_name(char out[FSUTIL_SAFE_NAME_MAX + 1], const char *name);

/* Write `len` bytes to `path` atomically (temp + fsync + rename + dir fsync). */
int fsutil_write_atomic(const char *path, const void *data, size_t len, unsigned mode,
			struct br_error *err);

/*
 * Copy `src` to `dst` atomically; with `gzip`, compress it (RFC 1952, no
 * name, mtime 0: the same input gives the same bytes).
 */
int fsutil_copy_atomic(const char *dst, const char *src, int gzip, unsigned mode,
		       struct br_error *err);

/* Move: rename(2), or copy + unlink across file systems.  The destination
 * must not exist (BR_EIO if it does). */
int fsutil_move(const char *src, const char *dst, struct br_error *err);

/* fsync a directory (after a rename or unlink in it). */
int fsutil_sync_dir(const char *dir, struct br_error *err);

/* 1 if `path` exists (any type), else 0. */
int fsutil_exists(const char *path);

/* 1 if the first two bytes of `path` are the gzip magic 1f 8b. */
int fsutil_is_gzip(const char *path);

/* Remove the temporary files a killed writer left in `dir` (".NAME.tmp-PID",
 * see fsutil_write_atomic): called before writing there again. */
int fsutil_clean_temp(const char *dir, struct br_error *err);

/* Remove a directory tree (files and subdirectories, no symlink is
 * followed); a missing path is not an error. */
int fsutil_remove_tree(const char *path, struct br_error *err);

#endif

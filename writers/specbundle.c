/* specbundle.c — a run's specification bundles; see specbundle.h. */
#include "specbundle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "fsutil.h"

#include "banned.h"

#define OUTBUF_SIZE 65536

struct bundle {
	char gemeente[5];
	char name[SPECBUNDLE_NAME_MAX];
	char tmp[FSUTIL_PATH_MAX];
	int fd;
	z_stream zs;
	gz_header head;          /* deflate reads it while writing the header */
	int zs_live;
	unsigned long long offset;   /* bytes of text in the stream so far */
	unsigned char out[OUTBUF_SIZE];
};

struct specbundle {
	char folder[FSUTIL_PATH_MAX];
	struct bundle *b[SPECBUNDLE_MAX_GEMEENTEN];
	size_t n;
	FILE *idx;
	char idx_tmp[FSUTIL_PATH_MAX];
	const char *names[SPECBUNDLE_MAX_GEMEENTEN + 1];
	int finished;
};

/* The temporary name of `name` in `folder`. */
static int temp_path(char *out, size_t cap, const char *folder, const char *name, struct br_error *err)
{
	char tmp[SPECBUNDLE_NAME_MAX + 8];

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	return fsutil_join(out, cap, folder, tmp, err);
}

int specbundle_open(struct specbundle **out, const char *folder, struct br_error *err)
{
	struct specbundle *sb;
	int rc, fd;

	*out = NULL;
	if (!(sb = calloc(1, sizeof(*sb))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	snprintf(sb->folder, sizeof(sb->folder), "%s", folder);
	if ((rc = temp_path(sb->idx_tmp, sizeof(sb->idx_tmp), folder, SPECBUNDLE_INDEX_NAME, err)) < 0) {
		sb->idx_tmp[0] = '\0';
		goto fail;
	}
	if ((fd = open(sb->idx_tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0) {
		rc = br_error_set(err, BR_EIO, "%s kan niet worden gemaakt: %s", sb->idx_tmp, strerror(errno));
		sb->idx_tmp[0] = '\0';
		goto fail;
	}
	if (!(sb->idx = fdopen(fd, "w"))) {
		close(fd);
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
		goto fail;
	}
	fputs(SPECBUNDLE_INDEX_HEADER, sb->idx);
	*out = sb;
	return 0;
fail:
	specbundle_free(sb);
	return rc;
}

/* Write what deflate produced with `flush`, until it has nothing left. */
static int bundle_deflate(struct bundle *b, int flush, struct br_error *err)
{
	int zr;

	do {
		size_t have, off = 0;
		b->zs.next_out = b->out;
		b->zs.avail_out = sizeof(b->out);
		zr = deflate(&b->zs, flush);
		if (zr == Z_STREAM_ERROR)
			return br_error_set(err, BR_EINTERNAL, "comprimeren van %s: %s", b->name,
					    b->zs.msg ? b->zs.msg : "fout in de zlib-stroom");
		have = sizeof(b->out) - b->zs.avail_out;
		while (off < have) {
			ssize_t w = write(b->fd, b->out + off, have - off);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return br_error_set(err, BR_EIO, "%s kan niet worden geschreven: %s", b->tmp, strerror(errno));
			off += (size_t)w;
		}
	} while (b->zs.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
	return 0;
}

static int bundle_new(struct bundle **out, const char *folder, const char *gemeente, struct br_error *err)
{
	struct bundle *b;
	int rc;

	*out = NULL;
	if (!(b = calloc(1, sizeof(*b))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	b->fd = -1;
	snprintf(b->gemeente, sizeof(b->gemeente), "%s", gemeente);
	snprintf(b->name, sizeof(b->name), "specificaties-%s.txt.gz", gemeente);
	if ((rc = temp_path(b->tmp, sizeof(b->tmp), folder, b->name, err)) < 0)
		goto fail;
	if ((b->fd = open(b->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0) {
		rc = br_error_set(err, BR_EIO, "%s kan niet worden gemaakt: %s", b->tmp, strerror(errno));
		b->tmp[0] = '\0';
		goto fail;
	}
	/* RFC 1952 header: no name, mtime 0, OS 3 (Unix) on every platform,
	 * so the same texts give the same bytes; level 1: the text is
	 * repetitive and speed matters more than the last percent */
	if (deflateInit2(&b->zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het beginnen aan %s", b->name);
		goto fail;
	}
	b->zs_live = 1;
	b->head.os = 3;
	if (deflateSetHeader(&b->zs, &b->head) != Z_OK) {
		rc = br_error_set(err, BR_EINTERNAL, "zlib weigerde de gzip-kop van %s", b->name);
		goto fail;
	}
	*out = b;
	return 0;
fail:
	if (b->zs_live)
		deflateEnd(&b->zs);
	if (b->fd >= 0) {
		close(b->fd);
		unlink(b->tmp);
	}
	free(b);
	return rc;
}

/* The bundle of `gemeente`, made on first use; kept sorted by code. */
static int bundle_for(struct bundle **out, struct specbundle *sb, const char *gemeente, struct br_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < sb->n; i++) {
		int cmp = strcmp(sb->b[i]->gemeente, gemeente);
		if (cmp == 0) {
			*out = sb->b[i];
			return 0;
		}
		if (cmp > 0)
			break;
	}
	if (sb->n == SPECBUNDLE_MAX_GEMEENTEN)
		return br_error_set(err, BR_EINTERNAL, "meer dan %d gemeenten in één run",
				    SPECBUNDLE_MAX_GEMEENTEN);
	if ((rc = bundle_new(out, sb->folder, gemeente, err)) < 0)
		return rc;
	memmove(&sb->b[i + 1], &sb->b[i], (sb->n - i) * sizeof(sb->b[0]));
	sb->b[i] = *out;
	sb->n++;
	return 0;
}

static int valid_gemeente(const char *g)
{
	size_t i;

	for (i = 0; i < 4; i++)
		if (g[i] < '0' || g[i] > '9')
			return 0;
	return g[4] == '\0';
}

int specbundle_add(struct specbundle *sb, const char *gemeente, const char *key, const char *text,
		   size_t len, struct br_error *err)
{
	struct bundle *b = NULL;
	int rc;

	if (!valid_gemeente(gemeente))
		return br_error_set(err, BR_EINPUT, "gemeente '%.20s' is geen CBS-code van vier cijfers", gemeente);
	if (!key[0] || strlen(key) > 63 || strpbrk(key, "\t\r\n"))
		return br_error_set(err, BR_EINPUT, "'%.70s' kan geen sleutel in de specificatie-index zijn", key);
	if ((rc = bundle_for(&b, sb, gemeente, err)) < 0)
		return rc;
	if (fprintf(sb->idx, "%s\t%s\t%llu\t%zu\n", key, gemeente, b->offset, len) < 0)
		return br_error_set(err, BR_EIO, "%s kan niet worden geschreven: %s", sb->idx_tmp, strerror(errno));
	b->offset += len;
	while (len > 0) {   /* avail_in is an unsigned int */
		size_t part = len > (1u << 30) ? (1u << 30) : len;
		b->zs.next_in = (unsigned char *)(uintptr_t)text;
		b->zs.avail_in = (unsigned)part;
		if ((rc = bundle_deflate(b, Z_NO_FLUSH, err)) < 0)
			return rc;
		text += part;
		len -= part;
	}
	return 0;
}

static int sync_close(int fd, const char *path, struct br_error *err)
{
	int rc = 0;

	if (fsync(fd) != 0)
		rc = br_error_set(err, BR_EIO, "%s kan niet naar schijf worden geschreven: %s", path, strerror(errno));
	if (close(fd) != 0 && rc == 0)
		rc = br_error_set(err, BR_EIO, "%s kan niet worden geschreven: %s", path, strerror(errno));
	return rc;
}

/* Temporary name -> final name. */
static int put_in_place(const char *folder, const char *tmp, const char *name, struct br_error *err)
{
	char path[FSUTIL_PATH_MAX];
	int rc;

	if ((rc = fsutil_join(path, sizeof(path), folder, name, err)) < 0)
		return rc;
	if (rename(tmp, path) != 0)
		return br_error_set(err, BR_EIO, "%s kan niet worden hernoemd naar %s: %s", tmp, path, strerror(errno));
	return 0;
}

int specbundle_finish(struct specbundle *sb, const char *const **names, size_t *n_names, struct br_error *err)
{
	size_t i;
	int rc, fd;

	for (i = 0; i < sb->n; i++) {
		struct bundle *b = sb->b[i];
		if ((rc = bundle_deflate(b, Z_FINISH, err)) < 0)
			return rc;
		deflateEnd(&b->zs);
		b->zs_live = 0;
		fd = b->fd;
		b->fd = -1;
		if ((rc = sync_close(fd, b->tmp, err)) < 0)
			return rc;
	}
	if (fflush(sb->idx) != 0 || ferror(sb->idx))
		return br_error_set(err, BR_EIO, "%s kan niet worden geschreven: %s", sb->idx_tmp, strerror(errno));
	fd = dup(fileno(sb->idx));
	fclose(sb->idx);
	sb->idx = NULL;
	if (fd < 0)
		return br_error_set(err, BR_EIO, "%s kan niet naar schijf worden geschreven: %s", sb->idx_tmp, strerror(errno));
	if ((rc = sync_close(fd, sb->idx_tmp, err)) < 0)
		return rc;
	for (i = 0; i < sb->n; i++) {
		if ((rc = put_in_place(sb->folder, sb->b[i]->tmp, sb->b[i]->name, err)) < 0)
			return rc;
		sb->b[i]->tmp[0] = '\0';
		sb->names[i] = sb->b[i]->name;
	}
	if ((rc = put_in_place(sb->folder, sb->idx_tmp, SPECBUNDLE_INDEX_NAME, err)) < 0)
		return rc;
	sb->idx_tmp[0] = '\0';
	sb->names[sb->n] = SPECBUNDLE_INDEX_NAME;
	sb->finished = 1;
	*names = sb->names;
	*n_names = sb->n + 1;
	return fsutil_sync_dir(sb->folder, err);
}

void specbundle_free(struct specbundle *sb)
{
	size_t i;

	if (!sb)
		return;
	for (i = 0; i < sb->n; i++) {
		struct bundle *b = sb->b[i];
		if (b->zs_live)
			deflateEnd(&b->zs);
		if (b->fd >= 0)
			close(b->fd);
		if (b->tmp[0])
			unlink(b->tmp);
		free(b);
	}
	if (sb->idx)
		fclose(sb->idx);
	if (sb->idx_tmp[0])
		unlink(sb->idx_tmp);
	free(sb);
}

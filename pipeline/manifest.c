/* manifest.c — a run folder's manifest.xml; see manifest.h. */
#include "manifest.h"

#include <stdio.h>
#include <stdlib.h>

#include "date.h"
#include "fsutil.h"

#include "banned.h"

/* One <Invoer> per delivery, in the order they were ingested. */
static int manifest_inputs(FILE *f, struct store *st, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc, step;

	if ((rc = store_prepare(st, &s, "SELECT soort, levering_id, sha256 FROM levering ORDER BY id", err)) < 0)
		return rc;
	while ((step = sqlite3_step(s)) == SQLITE_ROW)
		fprintf(f, "  <Invoer soort=\"%s\" levering=\"%s\" sha256=\"%s\"/>\n", store_col(s, 0),
			store_col(s, 1), store_col(s, 2));
	rc = step == SQLITE_DONE ? 0 : store_fail(st, step, "reading the deliveries for the manifest", err);
	sqlite3_finalize(s);
	return rc;
}

static int manifest_files(FILE *f, const char *folder, const char *const *files, size_t n_files,
			  struct br_error *err)
{
	char path[FSUTIL_PATH_MAX], sha[SHA256_HEX_LEN + 1];
	size_t i;
	int rc;

	for (i = 0; i < n_files; i++) {
		if ((rc = fsutil_join(path, sizeof(path), folder, files[i], err)) < 0)
			return rc;
		if (!fsutil_exists(path))
			continue;
		if ((rc = fsutil_digest_file(sha, NULL, path, UINT64_MAX, NULL, err)) < 0)
			return rc;
		fprintf(f, "  <Bestand naam=\"%s\" sha256=\"%s\"/>\n", files[i], sha);
	}
	return 0;
}

int manifest_write(struct store *st, const char *folder, const struct manifest_run *run,
		   const char *const *files, size_t n_files, struct br_error *err)
{
	char path[FSUTIL_PATH_MAX], mb[MONTH_FMT_MAX], ts[TIMESTAMP_FMT_MAX];
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (!(f = open_memstream(&text, &len)))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Manifest xmlns=\"urn:nl:betaalrun:manifest:1\""
		" run=\"%s\" maand=\"%s\" aangemaakt=\"%s\">\n", run->msg_id, month_format(mb, run->month),
		timestamp_format(ts, run->now));
	fprintf(f, "  <Regels sha256=\"%s\"/>\n", run->rules_sha256);
	if ((rc = manifest_files(f, folder, files, n_files, err)) == 0) {
		fprintf(f, "  <Specificaties aantal=\"%ld\"/>\n", run->specifications);
		rc = manifest_inputs(f, st, err);
	}
	if (rc == 0)
		fprintf(f, "</Manifest>\n");
	if (fclose(f) != 0 && rc == 0)
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	if (rc == 0 && (rc = fsutil_join(path, sizeof(path), folder, "manifest.xml", err)) == 0)
		rc = fsutil_write_atomic(path, text, len, 0600, err);
	free(text);
	return rc;
}

/* status.c — the status command.  Contract: status.h. */
#include "status.h"

#include <dirent.h>
#include <string.h>

#include "date.h"
#include "fsutil.h"
#include "jobs.h"
#include "store.h"

#include "banned.h"

static long count_dir(const char *dir, int reasons)
{
	long n = 0;
	DIR *d;
	struct dirent *de;

	if (!(d = opendir(dir)))
		return -1;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		int is_reason = l > 7 && strcmp(de->d_name + l - 7, ".reason") == 0;
		if (de->d_name[0] == '.')
			continue;
		if (reasons ? is_reason : !is_reason)
			n++;
	}
	closedir(d);
	return n;
}

/* One line: `label` and the columns of the first row of `sql`.  A failing
 * query is recorded in err (the first one wins) and the next lines are
 * still printed. */
static void print_query(FILE *out, struct store *st, const char *label, const char *sql,
			struct br_error *err)
{
	sqlite3_stmt *s = NULL;

	if (store_prepare(st, &s, sql, err) < 0)
		return;
	if (sqlite3_step(s) == SQLITE_ROW) {
		int i, n = sqlite3_column_count(s);
		fprintf(out, "%-24s", label);
		for (i = 0; i < n; i++) {
			const unsigned char *t = sqlite3_column_text(s, i);
			fprintf(out, "%s%s", i ? "  " : "", t ? (const char *)t : "-");
		}
		fputc('\n', out);
	}
	sqlite3_finalize(s);
}

/* payments.md: a bank line that matches nothing is kept and listed. */
static void print_unmatched(FILE *out, struct store *st, struct br_error *err)
{
	static const char q[] =
		"SELECT l.levering_id, s.regel, s.orgnl_msg_id, coalesce(s.orgnl_e2e_id, coalesce(s.orgnl_pmtinf_id, '')),"
		" s.status, coalesce(s.reden, '') FROM bankstatus s JOIN levering l ON l.id = s.levering"
		" WHERE s.onbekend = 1"
		" UNION ALL SELECT l.levering_id, p.regel, coalesce(p.msg_id, ''), coalesce(p.e2e_id, coalesce(p.pmtinf_id, '')),"
		" p.soort, coalesce(p.reden, '') FROM bankpost p JOIN levering l ON l.id = p.levering"
		" WHERE p.onbekend = 1 LIMIT 20";
	sqlite3_stmt *s = NULL;
	int n = 0;

	if (store_prepare(st, &s, q, err) < 0)
		return;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n++ == 0)
			fprintf(out, "bank lines matching no released run or payment (see the BANK jobs):\n");
		fprintf(out, "  %s line %s: %s %s %s %s\n", store_col(s, 0), store_col(s, 1), store_col(s, 2),
		       store_col(s, 3), store_col(s, 4), store_col(s, 5));
	}
	sqlite3_finalize(s);
}

int status_print(FILE *out, const struct home *h, struct br_error *err)
{
	struct store *st = NULL;
	char path[FSUTIL_PATH_MAX];
	int64_t now;
	int rc;

	if ((rc = timestamp_now(&now, err)) < 0 || (rc = store_open(&st, h->db, 0, err)) < 0)
		return rc;
	fprintf(out, "data directory          %s\n", h->dir);
	fprintf(out, "inbox                   %ld file(s) waiting\n", count_dir(h->inbox, 0));
	if (fsutil_join(path, sizeof(path), h->dir, "quarantine", err) == 0)
		fprintf(out, "quarantine              %ld file(s) (reasons in quarantine/*.reason)\n",
		       count_dir(path, 1));
	print_query(out, st, "register in force",
		    "SELECT 'peildatum ' || peildatum, dossiers || ' dossiers', beeindigd || ' ended',"
		    " gemarkeerd || ' with record problems' FROM snapshot ORDER BY peildatum DESC,"
		    " aanmaakdatum DESC LIMIT 1", err);
	print_query(out, st, "active dossiers",
		    "SELECT count(*) FROM dossier WHERE einddatum IS NULL OR einddatum >= date('now')", err);
	print_query(out, st, "holds",
		    "SELECT count(*) || ' active' FROM opschorting WHERE opgeheven IS NULL", err);
	print_query(out, st, "income records",
		    "SELECT count(*), coalesce(sum(vervangt IS NOT NULL), 0) || ' corrections',"
		    " coalesce(sum(NOT EXISTS (SELECT 1 FROM persoon p WHERE p.bsn = i.bsn)), 0) || ' unknown BSN'"
		    " FROM inkomen i", err);
	print_query(out, st, "signals",
		    "SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM persoon p WHERE p.bsn = s.bsn)), 0)"
		    " || ' without dossier' FROM signaal s", err);
	print_query(out, st, "bank status reports", "SELECT count(*) || ' statuses', coalesce(sum(status = 'RJCT'), 0)"
		    " || ' rejections', coalesce(sum(onbekend), 0) || ' matching nothing' FROM bankstatus", err);
	print_query(out, st, "bank statements", "SELECT count(*) || ' entries of ours', coalesce(sum(soort = 'STORNO'), 0)"
		    " || ' returns', coalesce(sum(onbekend), 0) || ' matching nothing' FROM bankpost", err);
	print_query(out, st, "booked back", "SELECT count(*) || ' payments', coalesce(sum(klasse = 'REKENING'), 0)"
		    " || ' for the account', (SELECT count(*) FROM terugboeking t JOIN betaling b ON b.id = t.betaling"
		    " WHERE b.soort = 'DERDE' AND t.herbetaald IS NULL) || ' still owed to third parties'"
		    " FROM terugboeking", err);
	print_query(out, st, "last released run, bank", "SELECT r.msg_id, (SELECT count(*) FROM terugboeking t JOIN betaling b"
		    " ON b.id = t.betaling WHERE b.run = r.id) || ' of ' || r.aantal || ' booked back'"
		    " || CASE WHEN r.aantal > 0 AND (SELECT count(*) FROM terugboeking t JOIN betaling b ON b.id = t.betaling"
		    " WHERE b.run = r.id AND t.bron = 'pain002') = r.aantal THEN ' (REJECTED BY THE BANK)' ELSE '' END,"
		    " (SELECT count(*) FROM afschrijving a WHERE a.run = r.id) || ' batches debited'"
		    " FROM run r WHERE r.status = 'RELEASED' ORDER BY r.id DESC LIMIT 1", err);
	print_unmatched(out, st, err);
	print_query(out, st, "last run", "SELECT msg_id, maand, status, aantal || ' payments',"
		    " printf('EUR %d.%02d', totaal_cents / 100, totaal_cents % 100) FROM run ORDER BY id DESC LIMIT 1", err);
	fprintf(out, "heronderzoek jobs:\n");
	if (err->code == BR_OK)
		jobs_summary(st, timestamp_day(now), out, err);
	print_query(out, st, "deliveries",
		    "SELECT count(*) || ' files', (SELECT count(*) FROM duplicaat) || ' duplicates',"
		    " 'last ' || max(ontvangen) FROM levering", err);
	store_close(st);
	return err->code;
}

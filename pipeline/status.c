/* status.c — the status command.  Contract: status.h. */
#include "status.h"

#include <dirent.h>
#include <string.h>

#include "date.h"
#include "fsutil.h"
#include "jobs.h"
#include "money.h"
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
			fprintf(out, "bankregels zonder vrijgegeven run of betaling (zie de BANK-taken):\n");
		fprintf(out, "  %s regel %s: %s %s %s %s\n", store_col(s, 0), store_col(s, 1), store_col(s, 2),
		       store_col(s, 3), store_col(s, 4), store_col(s, 5));
	}
	sqlite3_finalize(s);
}

/* Dossiers in force on `today` (the command's clock, timestamp_now: so
 * $BETAALRUN_NOW holds here too, not SQLite's own clock). */
static void print_active(FILE *out, struct store *st, int32_t today, struct br_error *err)
{
	sqlite3_stmt *s = NULL;

	if (store_prepare(st, &s, "SELECT count(*) FROM dossier WHERE einddatum IS NULL OR einddatum >= ?1", err) < 0)
		return;
	store_bind_date(s, 1, today, NULL);
	if (sqlite3_step(s) == SQLITE_ROW)
		fprintf(out, "%-24s%lld\n", "lopende dossiers", (long long)sqlite3_column_int64(s, 0));
	sqlite3_finalize(s);
}

/* The newest run, its total as a person writes it (€ 1.234,56). */
static void print_last_run(FILE *out, struct store *st, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char eur[MONEY_FMT_MAX + 8];

	if (store_prepare(st, &s, "SELECT msg_id, maand, status, aantal, totaal_cents FROM run ORDER BY id DESC LIMIT 1",
			  err) < 0)
		return;
	if (sqlite3_step(s) == SQLITE_ROW)
		fprintf(out, "%-24s%s  %s  %s  %lld betalingen  %s\n", "laatste run", store_col(s, 0), store_col(s, 1),
			store_col(s, 2), (long long)sqlite3_column_int64(s, 3),
			money_format_nl(eur, sizeof(eur), sqlite3_column_int64(s, 4)));
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
	fprintf(out, "datamap                 %s\n", h->dir);
	fprintf(out, "inbox                   %ld bestand(en) wachten\n", count_dir(h->inbox, 0));
	if (fsutil_join(path, sizeof(path), h->dir, "quarantine", err) == 0)
		fprintf(out, "quarantaine             %ld bestand(en) (redenen in quarantine/*.reason)\n",
		       count_dir(path, 1));
	print_query(out, st, "geldend register",
		    "SELECT 'peildatum ' || peildatum, dossiers || ' dossiers', beeindigd || ' beeindigd',"
		    " gemarkeerd || ' met registerproblemen' FROM snapshot ORDER BY peildatum DESC,"
		    " aanmaakdatum DESC LIMIT 1", err);
	print_active(out, st, timestamp_day(now), err);
	print_query(out, st, "opschortingen",
		    "SELECT count(*) || ' actief' FROM opschorting WHERE opgeheven IS NULL", err);
	print_query(out, st, "inkomensgegevens",
		    "SELECT count(*), coalesce(sum(vervangt IS NOT NULL), 0) || ' correcties',"
		    " coalesce(sum(NOT EXISTS (SELECT 1 FROM persoon p WHERE p.bsn = i.bsn)), 0) || ' onbekend BSN'"
		    " FROM inkomen i", err);
	print_query(out, st, "signalen",
		    "SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM persoon p WHERE p.bsn = s.bsn)), 0)"
		    " || ' zonder dossier' FROM signaal s", err);
	print_query(out, st, "statusrapporten bank", "SELECT count(*) || ' statussen', coalesce(sum(status = 'RJCT'), 0)"
		    " || ' geweigerd', coalesce(sum(onbekend), 0) || ' zonder match' FROM bankstatus", err);
	print_query(out, st, "bankafschriften", "SELECT count(*) || ' posten van ons', coalesce(sum(soort = 'STORNO'), 0)"
		    " || ' teruggestort', coalesce(sum(onbekend), 0) || ' zonder match' FROM bankpost", err);
	print_query(out, st, "teruggeboekt", "SELECT count(*) || ' betalingen', coalesce(sum(klasse = 'REKENING'), 0)"
		    " || ' wegens de rekening', (SELECT count(*) FROM terugboeking t JOIN betaling b ON b.id = t.betaling"
		    " WHERE b.soort = 'DERDE' AND t.herbetaald IS NULL) || ' nog verschuldigd aan derden'"
		    " FROM terugboeking", err);
	print_query(out, st, "laatste vrijgave, bank", "SELECT r.msg_id, (SELECT count(*) FROM terugboeking t JOIN betaling b"
		    " ON b.id = t.betaling WHERE b.run = r.id) || ' van ' || r.aantal || ' teruggeboekt'"
		    " || CASE WHEN r.aantal > 0 AND (SELECT count(*) FROM terugboeking t JOIN betaling b ON b.id = t.betaling"
		    " WHERE b.run = r.id AND t.bron = 'pain002') = r.aantal THEN ' (GEWEIGERD DOOR DE BANK)' ELSE '' END,"
		    " (SELECT count(*) FROM afschrijving a WHERE a.run = r.id) || ' batches afgeschreven'"
		    " FROM run r WHERE r.status = 'RELEASED' ORDER BY r.id DESC LIMIT 1", err);
	print_unmatched(out, st, err);
	print_last_run(out, st, err);
	fprintf(out, "taken heronderzoek:\n");
	if (err->code == BR_OK)
		jobs_summary(st, timestamp_day(now), out, err);
	print_query(out, st, "leveringen",
		    "SELECT count(*) || ' bestanden', (SELECT count(*) FROM duplicaat) || ' dubbel',"
		    " 'laatste ' || coalesce(max(ontvangen), '-') FROM levering", err);
	store_close(st);
	return err->code;
}

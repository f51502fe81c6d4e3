/* dossier.c — the dossier command.  Contract: dossier.h. */
#include "dossier.h"

#include <stdlib.h>
#include <string.h>

#include "bankfeedback.h"
#include "date.h"
#include "fsutil.h"
#include "iban.h"
#include "log.h"
#include "money.h"
#include "reden_nl.h"
#include "settle.h"
#include "settle_store.h"
#include "specification.h"
#include "specstore.h"
#include "store.h"

#include "banned.h"

/*
 * payments.md: the text `dossier` prints for a month with a run is that
 * run's specification (specstore.h), followed by what the bank said about
 * the payment afterwards.  1 when printed, 0 when the month has no run.
 */
static int print_run_specification(FILE *out, struct store *st, const struct home *h, const char *nummer,
				   int32_t month, struct br_error *err)
{
	sqlite3_stmt *b = NULL;
	char amount[MONEY_FMT_MAX + 8], *text = NULL;
	int64_t run = 0, dossier = 0;
	size_t len = 0;
	int rc;

	if ((rc = specstore_text(&text, &len, &run, &dossier, st, h, nummer, month, NULL, err)) <= 0)
		return rc;
	fwrite(text, 1, len, out);
	free(text);
	if ((rc = store_prepare(st, &b, "SELECT b.soort, b.bedrag_cents, b.iban, t.reden, t.bron FROM terugboeking t"
				" JOIN betaling b ON b.id = t.betaling WHERE b.run = ?1 AND b.dossier = ?2 ORDER BY b.id",
				err)) < 0)
		return rc;
	sqlite3_bind_int64(b, 1, run);
	sqlite3_bind_int64(b, 2, dossier);
	while (sqlite3_step(b) == SQLITE_ROW) {
		const char *why = bankfeedback_reason_text(store_col(b, 3));
		char acct[IBAN_MASKED_MAX];
		fprintf(out, "\nNa de betaling: de bank heeft %s van %s naar rekening %s %s%s%s.\n",
		       strcmp(store_col(b, 0), "DERDE") == 0 ? "de betaling aan een derde" : "uw betaling",
		       money_format_nl(amount, sizeof(amount), sqlite3_column_int64(b, 1)), iban_mask(acct, store_col(b, 2)),
		       strcmp(store_col(b, 4), "camt") == 0 ? "teruggestort" : "geweigerd",
		       why ? ", reden: " : "", why ? why : "");
	}
	sqlite3_finalize(b);
	return 1;
}

static int print_history(FILE *out, struct store *st, sqlite3_int64 dossier, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char a[MONEY_FMT_MAX + 8], b[MONEY_FMT_MAX + 8], c[MONEY_FMT_MAX + 8];
	int n = 0, rc;

	/* the settlements of released runs, found run by run (afrekening is
	 * indexed by run and dossier, migration 13); a row without a run (the
	 * schema allows it for rows from before version 3) is shown as it was */
	if ((rc = store_prepare(st, &s, "SELECT m, v, d, c FROM ("
				" SELECT a.run_maand AS m, a.voorschot_cents AS v, a.verrekend_cents AS d,"
				"  a.client_cents AS c, a.id AS i FROM run r CROSS JOIN afrekening a"
				"  ON a.run = r.id AND a.dossier = ?1 WHERE r.status = 'RELEASED'"
				" UNION ALL SELECT a.run_maand, a.voorschot_cents, a.verrekend_cents, a.client_cents, a.id"
				"  FROM afrekening a WHERE a.run IS NULL AND a.dossier = ?1) ORDER BY m, i", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, dossier);
	fprintf(out, "Geschiedenis (vrijgegeven afrekeningen):\n");
	while (sqlite3_step(s) == SQLITE_ROW) {
		fprintf(out, "  %s: voorschot %s, verrekend %s, uitbetaald %s\n", sqlite3_column_text(s, 0),
		       money_format_nl(a, sizeof(a), sqlite3_column_int64(s, 1)),
		       money_format_nl(b, sizeof(b), sqlite3_column_int64(s, 2)),
		       money_format_nl(c, sizeof(c), sqlite3_column_int64(s, 3)));
		n++;
	}
	if (!n)
		fprintf(out, "  (nog geen betaalrun vrijgegeven)\n");
	fprintf(out, "\n");
	sqlite3_finalize(s);
	return 0;
}

int dossier_show(FILE *out, const struct home *h, const struct rules *rules, const char *nummer,
		 int32_t month, struct br_error *err)
{
	struct store *st = NULL;
	struct settle_source *src = NULL;
	struct settle_dossier_info info;
	struct settle_input in;
	struct settle_result res;
	struct settle_settings set;
	struct specification_dossier sd;
	const char *claim_k[SETTLE_MAX_CLAIMS], *derde_k[SETTLE_MAX_DERDEN], *derde_n[SETTLE_MAX_DERDEN];
	char uitbetaal[DATE_FMT_MAX];
	int i, rc;

	settle_result_init(&res);
	if ((rc = store_open(&st, h->db, 0, err)) < 0)
		goto out;
	if ((rc = print_run_specification(out, st, h, nummer, month, err)) != 0)
		goto out;   /* the run's own text (or an error) */
	if (rules_stale(rules, month))
		log_event(LOG_WARN, "de nieuwste regelset is meer dan zes maanden oud; er zijn waarschijnlijk nieuwe normen", NULL);
	if ((rc = settle_settings_derive(&set, st, &h->cfg, month, err)) < 0 ||
	    (rc = settle_source_open(&src, st, month, &set, nummer, err)) < 0)
		goto out;
	if ((rc = settle_source_next(src, &info, &in, err)) < 0)
		goto out;
	if (rc == 0) {
		rc = br_error_set(err, BR_ENOINPUT, "geen dossier %s in de opslag", nummer);
		goto out;
	}
	if ((rc = settle_dossier(&res, &in, rules, &set, month, err)) < 0)
		goto out;
	if ((rc = print_history(out, st, info.id, err)) < 0)
		goto out;
	for (i = 0; i < info.n_claim_names; i++)
		claim_k[i] = info.claim_kenmerk[i];
	for (i = 0; i < info.n_derde_names; i++) {
		derde_k[i] = in.derden[i].kenmerk;
		derde_n[i] = info.derde_naam[i];
	}
	{
		int y, m, d;
		date_to_ymd(month_first_day(month), &y, &m, &d);
		snprintf(uitbetaal, sizeof(uitbetaal), "%04d-%02d-%02d", y, m, h->cfg.uitbetaaldag);
	}
	memset(&sd, 0, sizeof(sd));
	sd.dossiernummer = info.nummer;
	sd.gemeente = info.gemeente;
	sd.naam = info.naam;
	sd.iban = info.iban;
	sd.uitbetaaldatum = uitbetaal;
	sd.claim_kenmerk = claim_k;
	sd.derde_kenmerk = derde_k;
	sd.derde_naam = derde_n;
	sd.set = &set;
	fprintf(out, "Voorlopige berekening: er is nog geen betaalrun voor deze maand.\n\n");
	if (info.probleem[0]) {
		char nl[2 * sizeof(info.probleem)];

		/* stored in English (reden_nl.h): shown in Dutch */
		fprintf(out, "LET OP: betaling geblokkeerd door een registerprobleem: %s\n\n",
			reden_nl(nl, sizeof(nl), info.probleem));
	}
	rc = specification_write(out, &sd, &in, &res, err);
out:
	settle_source_free(src);
	settle_result_release(&res);
	store_close(st);
	return rc > 0 ? 0 : rc;
}

int dossier_write_specification(const struct home *h, const char *nummer, int32_t month, const char *run,
				const char *path, struct br_error *err)
{
	struct store *st = NULL;
	char *text = NULL, mb[MONTH_FMT_MAX];
	size_t len = 0;
	int rc;

	if ((rc = store_open(&st, h->db, 0, err)) < 0)
		goto out;
	if ((rc = specstore_text(&text, &len, NULL, NULL, st, h, nummer, month, run, err)) < 0)
		goto out;
	if (rc == 0) {
		rc = run ? br_error_set(err, BR_ENOINPUT, "run %s heeft geen specificatie voor dossier %s", run, nummer)
			 : br_error_set(err, BR_ENOINPUT, "geen specificatie voor dossier %s in %s: de maand heeft geen"
					" voorbereide, goedgekeurde of vrijgegeven reguliere run met dat dossier", nummer,
					month_format(mb, month));
		goto out;
	}
	if (path && strcmp(path, "-") != 0)
		rc = fsutil_write_atomic(path, text, len, 0600, err);
	else if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
		rc = br_error_set(err, BR_EIO, "de specificatie kan niet naar standaarduitvoer worden geschreven");
	else
		rc = 0;
out:
	free(text);
	store_close(st);
	return rc;
}

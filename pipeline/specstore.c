/* specstore.c — specifications kept as settlement records.  Contract: specstore.h. */
#include "specstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

#include "banned.h"

#define FACT_HEAD 9   /* the facts before the per-claim and per-derde ones */

/* A kenmerk equal to the input's own is stored as NULL: the writer falls
 * back to the input's (specification.h), so the text is the same. */
static const char *unless_same(const char *const *arr, size_t i, const char *same)
{
	const char *s = arr ? arr[i] : NULL;
	return s && strcmp(s, same) == 0 ? NULL : s;
}

int specstore_encode(struct settle_record_buf *b, const struct specification_dossier *sd,
		     const struct settle_input *in, const struct settle_result *res,
		     const struct rules *rules, struct br_error *err)
{
	static const char *const outcome[] = { "0", "1", "2" };
	struct settle_record_facts f;
	size_t i;

	if (!sd->set || (unsigned)sd->outcome > SPEC_BLOCKED)
		return br_error_set(err, BR_EINTERNAL, "een specificatie zonder instellingen of uitkomst");
	f.s[0] = NULL;   /* the row's (specstore.h) */
	f.s[1] = sd->gemeente;
	f.s[2] = sd->naam;
	f.s[3] = sd->partner_naam;
	f.s[4] = sd->iban;
	f.s[5] = NULL;
	f.s[6] = outcome[sd->outcome];
	f.s[7] = sd->outcome_since;
	f.s[8] = sd->outcome_why;
	f.n = FACT_HEAD;
	for (i = 0; i < in->n_claims; i++) {
		f.s[f.n++] = unless_same(sd->claim_kenmerk, i, in->claims[i].kenmerk);
		f.s[f.n++] = sd->claim_naam ? sd->claim_naam[i] : NULL;
	}
	for (i = 0; i < in->n_derden; i++) {
		f.s[f.n++] = unless_same(sd->derde_kenmerk, i, in->derden[i].kenmerk);
		f.s[f.n++] = sd->derde_naam ? sd->derde_naam[i] : NULL;
	}
	return settle_record_encode(b, sd->set, in, res, &f, rules, err);
}

/* The specification_dossier the facts describe (pointers into `rec`). */
static int facts_dossier(struct specification_dossier *sd, const char **claim_k, const char **claim_n,
			 const char **derde_k, const char **derde_n, const struct settle_record *rec,
			 const struct specstore_row *row, struct br_error *err)
{
	const struct settle_record_facts *f = &rec->facts;
	size_t i, k = FACT_HEAD;

	if (f->n != FACT_HEAD + 2 * rec->in.n_claims + 2 * rec->in.n_derden || !f->s[6] ||
	    strlen(f->s[6]) != 1 || f->s[6][0] < '0' || f->s[6][0] > '2' || !f->s[2])
		return br_error_set(err, BR_EINPUT, "vastlegging beschadigd: de gegevens van het dossier ontbreken");
	memset(sd, 0, sizeof(*sd));
	sd->dossiernummer = row->nummer;
	sd->gemeente = f->s[1];
	sd->naam = f->s[2];
	sd->partner_naam = f->s[3];
	sd->iban = f->s[4];
	sd->uitbetaaldatum = row->uitbetaaldatum;
	sd->outcome = (enum specification_outcome)(f->s[6][0] - '0');
	sd->outcome_since = f->s[7];
	sd->outcome_why = f->s[8];
	sd->set = &rec->set;
	for (i = 0; i < rec->in.n_claims; i++) {
		claim_k[i] = f->s[k++];
		claim_n[i] = f->s[k++];
	}
	for (i = 0; i < rec->in.n_derden; i++) {
		derde_k[i] = f->s[k++];
		derde_n[i] = f->s[k++];
	}
	sd->claim_kenmerk = claim_k;
	sd->claim_naam = claim_n;
	sd->derde_kenmerk = derde_k;
	sd->derde_naam = derde_n;
	return 0;
}

int specstore_render(char **text, size_t *len, const void *data, size_t n,
		     const struct specstore_row *row, const struct rules *rules, int from_store,
		     struct br_error *err)
{
	const char *claim_k[SETTLE_MAX_CLAIMS], *claim_n[SETTLE_MAX_CLAIMS];
	const char *derde_k[SETTLE_MAX_DERDEN], *derde_n[SETTLE_MAX_DERDEN];
	struct specification_dossier sd;
	struct settle_record rec;
	FILE *out = NULL;
	int rc;

	*text = NULL;
	*len = 0;
	if ((rc = settle_record_decode(&rec, data, n, rules, err)) < 0 ||
	    (rc = facts_dossier(&sd, claim_k, claim_n, derde_k, derde_n, &rec, row, err)) < 0)
		goto out;
	if (!(out = open_memstream(text, len))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het schrijven van een specificatie");
		goto out;
	}
	/* the writer refuses a result that does not add up: in a record that
	 * was stored and decoded, that is damage too */
	if ((rc = specification_write(out, &sd, &rec.in, &rec.res, err)) == BR_EINTERNAL && from_store) {
		err->code = rc = BR_EINPUT;
		br_error_prefix(err, "vastlegging beschadigd");
	}
	if (fclose(out) != 0 && rc == 0)
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het schrijven van een specificatie");
	if (rc < 0) {
		free(*text);
		*text = NULL;
		*len = 0;
	}
out:
	settle_record_free(&rec);
	return rc;
}

int specstore_keep_rules(struct store *st, const struct rules *r, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (!r->source)
		return br_error_set(err, BR_EINTERNAL, "de inhoud van het regelbestand is niet bewaard");
	if ((rc = store_prepare(st, &s, "INSERT OR IGNORE INTO regels (sha256, inhoud) VALUES (?1, ?2)", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, r->sha256, -1, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, r->source, (int)r->source_len, SQLITE_STATIC);
	rc = store_step_done(st, s, "keeping the rules file", err);
	sqlite3_finalize(s);
	return rc;
}

/* The rules file with this SHA-256, from the store. */
static int stored_rules(struct rules *out, struct store *st, const struct home *h, const char *sha256,
			struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char label[96];
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_prepare(st, &s, "SELECT inhoud FROM regels WHERE sha256 = ?1", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, sha256, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		snprintf(label, sizeof(label), "regels %.12s (uit de store)", sha256);
		rc = home_load_rules_bytes(out, h, sqlite3_column_blob(s, 0), (size_t)sqlite3_column_bytes(s, 0),
					   label, err);
		if (rc == 0 && strcmp(out->sha256, sha256) != 0)
			rc = br_error_set(err, BR_ECONFIG, "de store bewaart onder %.12s andere regels", sha256);
	} else if (rc == SQLITE_DONE) {
		rc = br_error_set(err, BR_ECONFIG, "de regels %.12s van deze run zijn niet in de store", sha256);
	} else {
		rc = store_fail(st, rc, "reading a rules file", err);
	}
	sqlite3_finalize(s);
	return rc;
}

/* The row's text as stored (before version 9), or rendered from its record. */
static int row_text(char **text, size_t *len, sqlite3_stmt *s, struct store *st, const struct home *h,
		    struct br_error *err)
{
	struct specstore_row row;
	struct rules rules;
	size_t n;
	int rc;

	if (sqlite3_column_type(s, 1) == SQLITE_NULL) {
		n = (size_t)sqlite3_column_bytes(s, 0);
		if (!(*text = malloc(n + 1)))
			return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
		memcpy(*text, sqlite3_column_blob(s, 0), n);
		(*text)[n] = '\0';
		*len = n;
		return 0;
	}
	row.nummer = store_col(s, 5);
	row.uitbetaaldatum = store_col(s, 6);
	if ((rc = stored_rules(&rules, st, h, store_col(s, 4), err)) == 0)
		rc = specstore_render(text, len, sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1),
				      &row, &rules, 1, err);
	rules_release(&rules);
	return rc;
}

int specstore_text(char **text, size_t *len, int64_t *run_id, int64_t *dossier_id, struct store *st,
		   const struct home *h, const char *nummer, int32_t month, const char *run,
		   struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char mb[MONTH_FMT_MAX];
	int rc;

	*text = NULL;
	*len = 0;
	if ((rc = store_prepare(st, &s, run
				? "SELECT a.specificatie, a.vastlegging, a.run, a.dossier,"
				  " coalesce(a.regels_sha256, r.regels_sha256), d.nummer, r.uitvoerdatum"
				  " FROM afrekening a JOIN run r ON r.id = a.run JOIN dossier d ON d.id = a.dossier"
				  " WHERE d.nummer = ?1 AND r.msg_id = ?3"
				: "SELECT a.specificatie, a.vastlegging, a.run, a.dossier,"
				  " coalesce(a.regels_sha256, r.regels_sha256), d.nummer, r.uitvoerdatum"
				  " FROM run r CROSS JOIN dossier d CROSS JOIN afrekening a ON a.run = r.id AND a.dossier = d.id"
				  " WHERE d.nummer = ?1 AND r.maand = ?2 AND r.aanvullend = 0"
				  " AND r.status IN ('PREPARED','APPROVED','RELEASED') ORDER BY r.id DESC LIMIT 1",
				err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, nummer, -1, SQLITE_STATIC);
	if (run)
		sqlite3_bind_text(s, 3, run, -1, SQLITE_STATIC);
	else
		sqlite3_bind_text(s, 2, month_format(mb, month), -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (run_id)
			*run_id = sqlite3_column_int64(s, 2);
		if (dossier_id)
			*dossier_id = sqlite3_column_int64(s, 3);
		rc = row_text(text, len, s, st, h, err);
		if (rc == 0)
			rc = 1;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		rc = store_fail(st, rc, "reading a specification", err);
	}
	sqlite3_finalize(s);
	return rc;
}

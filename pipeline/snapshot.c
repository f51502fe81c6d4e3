/* snapshot.c — see snapshot.h. */
#include "snapshot.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/err.h>

#include "bsn.h"
#include "date.h"
#include "dossierindex.h"
#include "iban.h"
#include "mem.h"
#include "money.h"

#include "banned.h"

#define CANON_MAX 32768   /* canonical form of one dossier's values */
#define PROBLEM_MAX 1024

enum {
	Q_INSERT_DOSSIER, Q_UPDATE_DOSSIER, Q_FIND_PERSON, Q_INSERT_PERSON,
	Q_ADD_PERSON, Q_UPDATE_PERSON,
	Q_INSERT_STAND, Q_UPDATE_STAND, Q_DEL_GRANTS, Q_DEL_CLAIMS,
	Q_DEL_DERDEN, Q_INSERT_GRANT, Q_INSERT_CLAIM, Q_INSERT_DERDE, Q_FIRST_GRANT_USED,
	Q_ACTIVE_HOLD, Q_INSERT_HOLD, Q_UPDATE_HOLD, Q_RELEASE_HOLD, Q_COUNT
};

static const char *const sql[Q_COUNT] = {
	[Q_INSERT_DOSSIER] = "INSERT INTO dossier (nummer, regeling, gemeente, ingangsdatum, einddatum,"
		" eerste_snapshot, laatste_snapshot, vt_reservering_cents)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
	[Q_UPDATE_DOSSIER] = "UPDATE dossier SET regeling = ?2, gemeente = ?3, ingangsdatum = ?4,"
		" einddatum = ?5, beeindigd_door = NULL, laatste_snapshot = ?6 WHERE id = ?1",
	[Q_FIND_PERSON] = "SELECT id, naam, geboortedatum FROM persoon WHERE bsn = ?1",
	[Q_INSERT_PERSON] = "INSERT INTO persoon (bsn, naam, geboortedatum) VALUES (?1, ?2, ?3)",
	[Q_ADD_PERSON] = "INSERT INTO persoon (bsn, naam, geboortedatum) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (bsn) DO NOTHING",
	[Q_UPDATE_PERSON] = "UPDATE persoon SET naam = ?2, geboortedatum = ?3 WHERE id = ?1",
	[Q_INSERT_STAND] = "INSERT INTO stand (dossier, vanaf, snapshot, hash, aanvrager, partner, leefvorm,"
		" jongste_kind_geb, kostendelers, woonkostenverlaging_pct, iban, bic, tenaamstelling,"
		" vast_bedrag_cents, opschorting_vanaf, opschorting_reden, probleem)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
	[Q_UPDATE_STAND] = "UPDATE stand SET dossier = ?1, vanaf = ?2, snapshot = ?3, hash = ?4, aanvrager = ?5,"
		" partner = ?6, leefvorm = ?7, jongste_kind_geb = ?8, kostendelers = ?9,"
		" woonkostenverlaging_pct = ?10, iban = ?11, bic = ?12, tenaamstelling = ?13,"
		" vast_bedrag_cents = ?14, opschorting_vanaf = ?15, opschorting_reden = ?16, probleem = ?17"
		" WHERE id = ?18",
	[Q_DEL_GRANTS] = "DELETE FROM vrijlating WHERE stand = ?1",
	[Q_DEL_CLAIMS] = "DELETE FROM inhouding WHERE stand = ?1",
	[Q_DEL_DERDEN] = "DELETE FROM derde WHERE stand = ?1",
	[Q_INSERT_GRANT] = "INSERT INTO vrijlating (stand, volgnr, code, persoon, ingangsdatum, einddatum,"
		" maanden_gebruikt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[Q_INSERT_CLAIM] = "INSERT INTO inhouding (stand, volgnr, kenmerk, soort, saldo_cents, termijn_cents)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[Q_INSERT_DERDE] = "INSERT INTO derde (stand, volgnr, kenmerk, naam, iban, bedrag_cents, prioriteit,"
		" omschrijving) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	/* formats.md §1: maanden_gebruikt only from the first snapshot with the dossier */
	[Q_FIRST_GRANT_USED] = "SELECT v.maanden_gebruikt FROM vrijlating v JOIN stand s ON v.stand = s.id"
		" WHERE s.dossier = ?1 AND v.code = ?2 AND v.persoon = ?3 AND v.ingangsdatum = ?4"
		" AND s.snapshot = (SELECT eerste_snapshot FROM dossier WHERE id = ?1) LIMIT 1",
	[Q_ACTIVE_HOLD] = "SELECT id, vanaf, reden FROM opschorting WHERE dossier = ?1 AND bron = 'REGISTER'"
		" AND opgeheven IS NULL",
	[Q_INSERT_HOLD] = "INSERT INTO opschorting (dossier, bron, vanaf, reden, ingesteld_door)"
		" VALUES (?1, 'REGISTER', ?2, ?3, ?4)",
	[Q_UPDATE_HOLD] = "UPDATE opschorting SET vanaf = ?2, reden = ?3 WHERE id = ?1",
	[Q_RELEASE_HOLD] = "UPDATE opschorting SET opgeheven = ?2, opgeheven_door = ?3 WHERE id = ?1",
};

struct snapshot {
	struct store *st;
	sqlite3_stmt *q[Q_COUNT];
	sqlite3_int64 id;          /* snapshot row */
	sqlite3_int64 levering;
	char levering_id[LEVERING_ID_MAX + 1];
	int32_t peildatum;
	char peil[DATE_FMT_MAX];
	char vanaf[DATE_FMT_MAX];  /* first day of the peildatum's month */
	long active_before;
	int krimp_max_pct, krimp_toegestaan;
	int krimp_refused;         /* snapshot_finish refused it by the shrink guard */
	char by[LEVERING_ID_MAX + 16]; /* "register <leveringId>", who set or lifted a hold */
	struct snapshot_result res;
	EVP_MD_CTX *md;            /* reused for every dossier's hash */
	EVP_MD *sha256;            /* fetched once: EVP_sha256() looks the
	                            * algorithm up again at every init, which
	                            * cost more than hashing a dossier */
	char canon[CANON_MAX];
	size_t canon_len;
	int canon_overflow;
	/* the store's dossiers as they were at snapshot_begin; their `seen`
	 * says which this snapshot named (owned) */
	struct dossierindex *known;
	int no_dossiers;           /* the store had none: every dossier is new */
};

/* ---- helpers ----------------------------------------------------------- */

static int q_fail(struct snapshot *s, int rc, const char *what, struct br_error *err)
{
	return store_fail(s->st, rc, what, err);
}

static sqlite3_stmt *q(struct snapshot *s, int which)
{
	sqlite3_stmt *st = s->q[which];
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

static int step_done(struct snapshot *s, sqlite3_stmt *st, const char *what, struct br_error *err)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE)
		return q_fail(s, rc, what, err);
	return 0;
}

/*
 * Canonical form: every value, separated by 0x1f; hashed to compare stands.
 * The bytes are exactly those the first version wrote with printf formats
 * ("%s", "%ld", "%d|%d", ...), so that stands already stored keep
 * comparing equal; they are assembled by hand because this runs for every
 * dossier of every snapshot.
 */
static void canon_put(struct snapshot *s, const char *p, size_t n)
{
	/* room for the field, its separator and (as before) a NUL */
	if (s->canon_overflow || n + 2 > sizeof(s->canon) - s->canon_len) {
		s->canon_overflow = 1;
		return;
	}
	memcpy(s->canon + s->canon_len, p, n);
	s->canon_len += n;
}

static void canon_str(struct snapshot *s, const char *str)
{
	canon_put(s, str, strlen(str));
}

static void canon_chr(struct snapshot *s, char c)
{
	canon_put(s, &c, 1);
}

/* Decimal, as printf's %d / %ld / %lld. */
static void canon_int(struct snapshot *s, long long v)
{
	char b[24];
	size_t i = sizeof(b);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	do
		b[--i] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		b[--i] = '-';
	canon_put(s, b + i, sizeof(b) - i);
}

/* End of one value. */
static void canon_end(struct snapshot *s)
{
	canon_chr(s, 0x1f);
}

static void problem_add(char *buf, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void problem_add(char *buf, size_t cap, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	if (len && len + 2 < cap) {
		memcpy(buf + len, "; ", 3);
		len += 2;
	}
	if (len + 1 >= cap)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, cap - len, fmt, ap);
	va_end(ap);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* formats.md §5: a run of nine or more digits could be a BSN. */
static int has_digit_run(const char *s)
{
	int run = 0;

	for (; *s; s++) {
		run = is_digit(*s) ? run + 1 : 0;
		if (run >= 9)
			return 1;
	}
	return 0;
}

/* Every run of nine or more digits to '*' but its last four, as the
 * specification shows one: a problem text goes into block reasons, the
 * report and REGISTER jobs, where no BSN may appear (the report refuses
 * one), whatever a sender put in a kenmerk. */
static void mask_digit_runs(char *s)
{
	size_t i = 0, j, k;

	while (s[i]) {
		if (!is_digit(s[i])) {
			i++;
			continue;
		}
		for (j = i; is_digit(s[j]); j++)
			;
		if (j - i >= 9)
			for (k = i; k < j - 4; k++)
				s[k] = '*';
		i = j;
	}
}

/* formats.md §5: what makes a well-formed record unpayable. */
void snapshot_record_problems(char *out, size_t cap, const struct register_dossier *d)
{
	struct br_error e;
	int i, j;

	out[0] = '\0';
	/* the remittance and the report name the dossier (payments.md: no BSN
	 * anywhere in the payment file) */
	if (has_digit_run(d->nummer))
		problem_add(out, cap, "the Dossiernummer holds a run of nine or more digits (it could be a"
			    " BSN and would reach the payment file)");
	/* iban_validate: mod-97, the country's length, the SEPA scope; its
	 * message shows only the last four characters */
	br_error_clear(&e);
	if (iban_validate(d->iban, &e) < 0)
		problem_add(out, cap, "account: %s", e.msg);
	for (i = 0; i < d->n_derden; i++) {
		br_error_clear(&e);
		if (iban_validate(d->derden[i].iban, &e) < 0)
			problem_add(out, cap, "third party %s: %s", d->derden[i].kenmerk, e.msg);
	}
	if (d->has_partner && strcmp(d->leefvorm, "GEHUWD") != 0)
		problem_add(out, cap, "a Partner is given but Leefvorm is %s, not GEHUWD", d->leefvorm);
	if (!d->has_partner && strcmp(d->leefvorm, "GEHUWD") == 0)
		problem_add(out, cap, "Leefvorm is GEHUWD but no Partner is given");
	for (i = 0; i < d->n_grants; i++) {
		const struct register_grant *a = &d->grants[i];
		if (!d->has_partner && strcmp(a->persoon, "PARTNER") == 0)
			problem_add(out, cap, "vrijlating %s is granted to the PARTNER but there is no Partner", a->code);
		for (j = i + 1; j < d->n_grants; j++) {
			const struct register_grant *b = &d->grants[j];
			int32_t ae = a->einddatum == DATE_NONE ? INT32_MAX : a->einddatum;
			int32_t be = b->einddatum == DATE_NONE ? INT32_MAX : b->einddatum;
			char d1[DATE_FMT_MAX], d2[DATE_FMT_MAX];
			if (strcmp(a->code, b->code) != 0 || strcmp(a->persoon, b->persoon) != 0)
				continue;
			/* both periods include both days (formats.md "Common rules") */
			if (a->ingangsdatum <= be && b->ingangsdatum <= ae)
				problem_add(out, cap, "two vrijlatingen %s for the %s overlap (from %s and from %s)",
					    a->code, a->persoon, date_format(d1, a->ingangsdatum),
					    date_format(d2, b->ingangsdatum));
		}
	}
	mask_digit_runs(out);
}

/* ---- lifecycle ---------------------------------------------------------- */

int snapshot_begin(struct snapshot **out, struct store *st, sqlite3_int64 levering_rowid,
		   const struct levering_header *hdr, int krimp_max_pct, int krimp_toegestaan,
		   struct br_error *err)
{
	struct snapshot *s = NULL;
	sqlite3_stmt *cur = NULL;
	char ts[TIMESTAMP_FMT_MAX];
	int rc = 0, i;

	*out = NULL;
	if (!(s = calloc(1, sizeof(*s))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	s->st = st;
	s->levering = levering_rowid;
	snprintf(s->levering_id, sizeof(s->levering_id), "%s", hdr->levering_id);
	s->peildatum = hdr->peildatum;
	s->krimp_max_pct = krimp_max_pct;
	s->krimp_toegestaan = krimp_toegestaan;
	snprintf(s->by, sizeof(s->by), "register %s", s->levering_id);
	date_format(s->peil, hdr->peildatum);
	date_format(s->vanaf, month_first_day(month_of(hdr->peildatum)));
	timestamp_format(ts, hdr->aanmaakdatum);
	if (!(s->md = EVP_MD_CTX_new()) || !(s->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL))) {
		ERR_clear_error();
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
		goto out;
	}
	for (i = 0; i < Q_COUNT; i++)
		if ((rc = store_prepare(st, &s->q[i], sql[i], err)) < 0)
			goto out;

	/* formats.md §1: ordered by (peildatum, aanmaakdatum); not newer = stale. */
	if ((rc = store_prepare(st, &cur, "SELECT s.peildatum, s.aanmaakdatum, l.bestandsnaam"
				" FROM snapshot s JOIN levering l ON s.levering = l.id"
				" ORDER BY s.peildatum DESC, s.aanmaakdatum DESC LIMIT 1", err)) < 0)
		goto out;
	if ((rc = sqlite3_step(cur)) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(cur, 0);
		const char *a = (const char *)sqlite3_column_text(cur, 1);
		int c = strcmp(s->peil, p);
		if (c < 0 || (c == 0 && strcmp(ts, a) <= 0)) {
			rc = br_error_set(err, BR_EINPUT,
					  "verouderde registerstand: peildatum %s, aanmaakdatum %s is niet nieuwer dan"
					  " de geldende stand (peildatum %s, aanmaakdatum %s, bestand %s)",
					  s->peil, ts, p, a, (const char *)sqlite3_column_text(cur, 2));
			goto out;
		}
	} else if (rc != SQLITE_DONE) {
		rc = q_fail(s, rc, "reading the snapshot in force", err);
		goto out;
	}
	sqlite3_finalize(cur);
	cur = NULL;

	/* the store's dossiers, to compare the snapshot's with (issue 13);
	 * active ones in force: no Einddatum before the new peildatum */
	if ((rc = dossierindex_load(&s->known, st, s->peil, err)) < 0)
		goto out;
	s->active_before = dossierindex_active(s->known);
	s->no_dossiers = dossierindex_count(s->known) == 0;

	if ((rc = store_prepare(st, &cur, "INSERT INTO snapshot (levering, peildatum, aanmaakdatum, krimp_toegestaan)"
				" VALUES (?1, ?2, ?3, ?4)", err)) < 0)
		goto out;
	sqlite3_bind_int64(cur, 1, levering_rowid);
	sqlite3_bind_text(cur, 2, s->peil, -1, SQLITE_STATIC);
	sqlite3_bind_text(cur, 3, ts, -1, SQLITE_STATIC);
	sqlite3_bind_int(cur, 4, krimp_toegestaan ? 1 : 0);
	if ((rc = sqlite3_step(cur)) != SQLITE_DONE) {
		rc = q_fail(s, rc, "recording the snapshot", err);
		goto out;
	}
	rc = 0;
	s->id = sqlite3_last_insert_rowid(store_db(st));
	*out = s;
	s = NULL;
out:
	sqlite3_finalize(cur);
	snapshot_free(s);
	return rc;
}

int snapshot_shrink_refused(const struct snapshot *s)
{
	return s && s->krimp_refused;
}

void snapshot_free(struct snapshot *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(s->q[i]);
	EVP_MD_CTX_free(s->md);
	EVP_MD_free(s->sha256);
	dossierindex_free(s->known);
	free(s);
}

/*
 * The person row for a BSN, with the name and birth date of this snapshot:
 * looked up, then added or (when changed) updated.  Not one INSERT ... ON
 * CONFLICT DO UPDATE ... RETURNING: SQLite gathers RETURNING rows in a
 * temporary table per execution, which costs more than the lookup.
 */
static int upsert_person(struct snapshot *s, sqlite3_int64 *out, const struct register_person *p,
			 struct br_error *err)
{
	sqlite3_stmt *st;
	char geb[DATE_FMT_MAX];
	int rc, same;

	geb[0] = '\0';
	if (p->geboortedatum != DATE_NONE)
		date_format(geb, p->geboortedatum);
	if (s->no_dossiers) {
		/* Persons come only with dossiers: in the first register nearly
		 * all are new, so try to add one before looking it up. */
		st = q(s, Q_ADD_PERSON);
		sqlite3_bind_text(st, 1, p->bsn, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, p->naam, -1, SQLITE_STATIC);
		store_bind_date(st, 3, p->geboortedatum, geb);
		if ((rc = step_done(s, st, "storing a person", err)) < 0)
			return rc;
		if (sqlite3_changes(store_db(s->st)) == 1) {
			*out = sqlite3_last_insert_rowid(store_db(s->st));
			return 0;
		}
	}
	st = q(s, Q_FIND_PERSON);
	sqlite3_bind_text(st, 1, p->bsn, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *naam = (const char *)sqlite3_column_text(st, 1);
		const char *datum = (const char *)sqlite3_column_text(st, 2);
		*out = sqlite3_column_int64(st, 0);
		same = naam && datum && strcmp(naam, p->naam) == 0 && strcmp(datum, geb) == 0;
		sqlite3_reset(st);
		if (same)
			return 0;
		st = q(s, Q_UPDATE_PERSON);
		sqlite3_bind_int64(st, 1, *out);
	} else if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		st = q(s, Q_INSERT_PERSON);
		sqlite3_bind_text(st, 1, p->bsn, -1, SQLITE_STATIC);
	} else {
		return q_fail(s, rc, "looking up a person", err);
	}
	sqlite3_bind_text(st, 2, p->naam, -1, SQLITE_STATIC);
	store_bind_date(st, 3, p->geboortedatum, geb);
	if ((rc = step_done(s, st, "storing a person", err)) < 0)
		return rc;
	if (st == s->q[Q_INSERT_PERSON])
		*out = sqlite3_last_insert_rowid(store_db(s->st));
	return 0;
}

static void canon_person(struct snapshot *s, const struct register_person *p)
{
	canon_str(s, p->bsn);
	canon_end(s);
	canon_str(s, p->naam);
	canon_end(s);
	canon_int(s, p->geboortedatum);
	canon_end(s);
}

static void canon_dossier(struct snapshot *s, const struct register_dossier *d, const char *problem)
{
	int i;

	s->canon_len = 0;
	s->canon_overflow = 0;
	canon_person(s, &d->aanvrager);
	if (d->has_partner) {
		canon_person(s, &d->partner);
	} else {
		canon_chr(s, '-');
		canon_end(s);
	}
	canon_str(s, d->leefvorm);
	canon_end(s);
	canon_int(s, d->jongste_kind_geb);
	canon_end(s);
	canon_int(s, d->kostendelers);
	canon_chr(s, '|');
	canon_int(s, d->woonkostenverlaging_pct);
	canon_end(s);
	canon_str(s, d->iban);
	canon_chr(s, '|');
	canon_str(s, d->bic);
	canon_chr(s, '|');
	canon_str(s, d->tenaamstelling);
	canon_end(s);
	canon_int(s, d->has_vast_bedrag);
	canon_chr(s, '|');
	canon_int(s, d->vast_bedrag_cents);
	canon_end(s);
	canon_int(s, d->has_opschorting);
	canon_chr(s, '|');
	canon_int(s, d->opschorting_vanaf);
	canon_chr(s, '|');
	canon_str(s, d->opschorting_reden);
	canon_end(s);
	canon_str(s, problem);
	canon_end(s);
	for (i = 0; i < d->n_grants; i++) {
		const struct register_grant *g = &d->grants[i];
		canon_chr(s, 'G');
		canon_str(s, g->code);
		canon_chr(s, '|');
		canon_str(s, g->persoon);
		canon_chr(s, '|');
		canon_int(s, g->ingangsdatum);
		canon_chr(s, '|');
		canon_int(s, g->einddatum);
		canon_chr(s, '|');
		canon_int(s, g->maanden_gebruikt);
		canon_end(s);
	}
	for (i = 0; i < d->n_claims; i++) {
		const struct register_claim *c = &d->claims[i];
		canon_chr(s, 'C');
		canon_str(s, c->kenmerk);
		canon_chr(s, '|');
		canon_str(s, c->soort);
		canon_chr(s, '|');
		canon_int(s, c->saldo_cents);
		canon_chr(s, '|');
		canon_int(s, c->termijn_cents);
		canon_end(s);
	}
	for (i = 0; i < d->n_derden; i++) {
		const struct register_derde *t = &d->derden[i];
		canon_chr(s, 'D');
		canon_str(s, t->kenmerk);
		canon_chr(s, '|');
		canon_str(s, t->naam);
		canon_chr(s, '|');
		canon_str(s, t->iban);
		canon_chr(s, '|');
		canon_int(s, t->bedrag_cents);
		canon_chr(s, '|');
		canon_int(s, t->prioriteit);
		canon_chr(s, '|');
		canon_str(s, t->omschrijving);
		canon_end(s);
	}
}

static int write_children(struct snapshot *s, sqlite3_int64 stand, sqlite3_int64 dossier,
			  int is_new, const struct register_dossier *d, struct br_error *err)
{
	int i, rc;

	for (i = 0; i < d->n_grants; i++) {
		const struct register_grant *g = &d->grants[i];
		sqlite3_stmt *st;
		char van[DATE_FMT_MAX], tot[DATE_FMT_MAX];
		int used = -1;

		if (is_new) {
			used = g->maanden_gebruikt;
		} else {
			/* carry the cut-over count of the dossier's first snapshot */
			st = q(s, Q_FIRST_GRANT_USED);
			sqlite3_bind_int64(st, 1, dossier);
			sqlite3_bind_text(st, 2, g->code, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, g->persoon, -1, SQLITE_STATIC);
			store_bind_date(st, 4, g->ingangsdatum, van);
			if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
				used = sqlite3_column_int(st, 0);
			sqlite3_reset(st);
		}
		st = q(s, Q_INSERT_GRANT);
		sqlite3_bind_int64(st, 1, stand);
		sqlite3_bind_int(st, 2, i + 1);
		sqlite3_bind_text(st, 3, g->code, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, g->persoon, -1, SQLITE_STATIC);
		store_bind_date(st, 5, g->ingangsdatum, van);
		store_bind_date(st, 6, g->einddatum, tot);
		if (used >= 0)
			sqlite3_bind_int(st, 7, used);
		if ((rc = step_done(s, st, "storing a vrijlating", err)) < 0)
			return rc;
	}
	for (i = 0; i < d->n_claims; i++) {
		sqlite3_stmt *st = q(s, Q_INSERT_CLAIM);
		sqlite3_bind_int64(st, 1, stand);
		sqlite3_bind_int(st, 2, i + 1);
		sqlite3_bind_text(st, 3, d->claims[i].kenmerk, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, d->claims[i].soort, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, d->claims[i].saldo_cents);
		sqlite3_bind_int64(st, 6, d->claims[i].termijn_cents);
		if ((rc = step_done(s, st, "storing an inhouding", err)) < 0)
			return rc;
	}
	for (i = 0; i < d->n_derden; i++) {
		sqlite3_stmt *st = q(s, Q_INSERT_DERDE);
		sqlite3_bind_int64(st, 1, stand);
		sqlite3_bind_int(st, 2, i + 1);
		sqlite3_bind_text(st, 3, d->derden[i].kenmerk, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, d->derden[i].naam, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, d->derden[i].iban, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, d->derden[i].bedrag_cents);
		sqlite3_bind_int(st, 7, d->derden[i].prioriteit);
		sqlite3_bind_text(st, 8, d->derden[i].omschrijving, -1, SQLITE_STATIC);
		if ((rc = step_done(s, st, "storing a betaling aan derden", err)) < 0)
			return rc;
	}
	return 0;
}

/* The register's Opschorting as a hold row (signals.md: active until released). */
static int sync_register_hold(struct snapshot *s, sqlite3_int64 dossier,
			      const struct register_dossier *d, struct br_error *err)
{
	sqlite3_stmt *st = q(s, Q_ACTIVE_HOLD);
	sqlite3_int64 hold = 0;
	char vanaf[DATE_FMT_MAX];
	int rc;

	sqlite3_bind_int64(st, 1, dossier);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		hold = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		return q_fail(s, rc, "reading holds", err);
	sqlite3_reset(st);
	if (d->has_opschorting) {
		st = q(s, hold ? Q_UPDATE_HOLD : Q_INSERT_HOLD);
		if (hold) {
			sqlite3_bind_int64(st, 1, hold);
		} else {
			sqlite3_bind_int64(st, 1, dossier);
			sqlite3_bind_text(st, 4, s->by, -1, SQLITE_STATIC);
		}
		store_bind_date(st, 2, d->opschorting_vanaf, vanaf);
		sqlite3_bind_text(st, 3, d->opschorting_reden[0] ? d->opschorting_reden : "opschorting (register)",
				  -1, SQLITE_STATIC);
		return step_done(s, st, "storing a hold", err);
	}
	if (!hold)
		return 0;
	st = q(s, Q_RELEASE_HOLD);
	sqlite3_bind_int64(st, 1, hold);
	sqlite3_bind_text(st, 2, s->peil, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s->by, -1, SQLITE_STATIC);
	return step_done(s, st, "releasing a hold", err);
}

/* What snapshot_add finds of a dossier in the store. */
struct found {
	sqlite3_int64 id;           /* the dossier */
	sqlite3_int64 stand;        /* its latest stand, 0 when none */
	int is_new;                 /* inserted by this snapshot */
	int same_month;             /* that stand is from this snapshot's month */
	int changed;                /* its hash is not `hash`: the values changed */
};

/*
 * The dossier row (formats.md §1: the dates apply as given): found by its
 * number in the store's dossiers as they were at snapshot_begin, with its
 * latest stand (compared with `hash`, the hash of the snapshot's values);
 * inserted when new, rewritten only when one of its values changed or it
 * had ended by disappearing (beeindigd_door).  An unchanged row is not
 * written: rewriting every row of a national register each month was the
 * largest cost of a monthly ingest (issue 13), and whether a dossier is in
 * this snapshot is its index entry's `seen` instead.  A Dossiernummer
 * named twice is refused (BR_EINPUT).
 */
static int dossier_row(struct snapshot *s, const struct register_dossier *d, const unsigned char *hash,
		       unsigned hash_len, struct found *f, struct br_error *err)
{
	struct dossierindex_entry *e = dossierindex_find(s->known, d->nummer);
	char d1[DATE_FMT_MAX], d2[DATE_FMT_MAX];
	const char *ingang = d->ingangsdatum == DATE_NONE ? NULL : date_format(d1, d->ingangsdatum);
	const char *einde = d->einddatum == DATE_NONE ? NULL : date_format(d2, d->einddatum);
	unsigned char key[DOSSIERINDEX_ROW_MAX];
	size_t klen;
	sqlite3_stmt *st;
	int rc;

	memset(f, 0, sizeof(*f));
	f->changed = 1;
	f->is_new = !e;
	if (e) {
		if (e->seen)
			return br_error_set(err, BR_EINPUT, "Dossiernummer %s komt meer dan eens voor in"
					    " deze registerstand", d->nummer);
		e->seen = 1;
		f->id = e->id;
		f->stand = e->stand;
		f->same_month = e->stand && strcmp(e->vanaf, s->vanaf) == 0;
		f->changed = !(e->hash_len && e->hash_len == hash_len && memcmp(e->hash, hash, hash_len) == 0);
		klen = dossierindex_row_key(key, d->regeling, d->gemeente, ingang, einde);
		if (!e->ended_by && klen && dossierindex_row_is(s->known, e, key, klen))
			return 0;
	}
	st = q(s, f->is_new ? Q_INSERT_DOSSIER : Q_UPDATE_DOSSIER);
	if (f->is_new) {
		sqlite3_bind_text(st, 1, d->nummer, -1, SQLITE_STATIC);
		if (d->has_vt_reservering)
			sqlite3_bind_int64(st, 7, d->vt_reservering_cents);
	} else {
		sqlite3_bind_int64(st, 1, f->id);
	}
	sqlite3_bind_text(st, 2, d->regeling, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->gemeente, -1, SQLITE_STATIC);
	store_bind_borrowed(st, 4, ingang, 0);
	store_bind_borrowed(st, 5, einde, 0);
	sqlite3_bind_int64(st, 6, s->id);
	/* dossier.nummer is the only UNIQUE column that an INSERT can repeat:
	 * a new dossier named twice */
	if ((rc = sqlite3_step(st)) == SQLITE_CONSTRAINT_UNIQUE)
		return br_error_set(err, BR_EINPUT,
				    "Dossiernummer %s komt meer dan eens voor in deze registerstand", d->nummer);
	if (rc != SQLITE_DONE)
		return q_fail(s, rc, "storing a dossier", err);
	if (f->is_new)
		f->id = sqlite3_last_insert_rowid(store_db(s->st));
	return 0;
}

/*
 * Write the household values of dossier `dossier` as a stand from this
 * snapshot's month, with its people, grants, claims and third parties:
 * replacing the month's stand `replace` (0: a new stand).
 */
static int write_stand(struct snapshot *s, const struct register_dossier *d, sqlite3_int64 dossier,
		       sqlite3_int64 replace, const unsigned char *hash, unsigned hash_len, const char *problem,
		       int is_new, struct br_error *err)
{
	sqlite3_int64 aanvrager = 0, partner = 0, stand = replace;
	char d1[DATE_FMT_MAX], d2[DATE_FMT_MAX];
	sqlite3_stmt *st;
	int rc;

	if ((rc = upsert_person(s, &aanvrager, &d->aanvrager, err)) < 0)
		return rc;
	if (d->has_partner && (rc = upsert_person(s, &partner, &d->partner, err)) < 0)
		return rc;
	st = q(s, replace ? Q_UPDATE_STAND : Q_INSERT_STAND);
	sqlite3_bind_int64(st, 1, dossier);
	sqlite3_bind_text(st, 2, s->vanaf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, s->id);
	sqlite3_bind_blob(st, 4, hash, (int)hash_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, aanvrager);
	if (partner)
		sqlite3_bind_int64(st, 6, partner);
	sqlite3_bind_text(st, 7, d->leefvorm, -1, SQLITE_STATIC);
	store_bind_date(st, 8, d->jongste_kind_geb, d1);
	sqlite3_bind_int(st, 9, d->kostendelers);
	sqlite3_bind_int(st, 10, d->woonkostenverlaging_pct);
	sqlite3_bind_text(st, 11, d->iban, -1, SQLITE_STATIC);
	store_bind_borrowed(st, 12, d->bic, 1);
	sqlite3_bind_text(st, 13, d->tenaamstelling, -1, SQLITE_STATIC);
	if (d->has_vast_bedrag)
		sqlite3_bind_int64(st, 14, d->vast_bedrag_cents);
	if (d->has_opschorting) {
		store_bind_date(st, 15, d->opschorting_vanaf, d2);
		sqlite3_bind_text(st, 16, d->opschorting_reden, -1, SQLITE_STATIC);
	}
	store_bind_borrowed(st, 17, problem, 1);
	if (replace)
		sqlite3_bind_int64(st, 18, replace);
	if ((rc = step_done(s, st, "storing household values", err)) < 0)
		return rc;
	if (replace) {
		int k;
		for (k = Q_DEL_GRANTS; k <= Q_DEL_DERDEN; k++) {
			st = q(s, k);
			sqlite3_bind_int64(st, 1, replace);
			if ((rc = step_done(s, st, "replacing household values", err)) < 0)
				return rc;
		}
	} else {
		stand = sqlite3_last_insert_rowid(store_db(s->st));
	}
	return write_children(s, stand, dossier, is_new, d, err);
}

int snapshot_add(struct snapshot *s, const struct register_dossier *d, struct br_error *err)
{
	struct found f;
	unsigned char hash[EVP_MAX_MD_SIZE];
	unsigned hash_len = 0;
	char problem[PROBLEM_MAX];
	int rc;

	snapshot_record_problems(problem, sizeof(problem), d);
	canon_dossier(s, d, problem);
	if (s->canon_overflow)
		return br_error_set(err, BR_EINTERNAL, "dossier %s: waarden te groot om te vergelijken", d->nummer);
	/* OpenSSL failing here (out of memory, no provider) is never the
	 * register's fault: BR_ENOMEM, which intake treats as a failure of the
	 * machinery and leaves the file in the inbox; BR_EINTERNAL would
	 * quarantine a good file. */
	if (EVP_DigestInit_ex(s->md, s->sha256, NULL) != 1 ||
	    EVP_DigestUpdate(s->md, s->canon, s->canon_len) != 1 ||
	    EVP_DigestFinal_ex(s->md, hash, &hash_len) != 1) {
		ERR_clear_error();
		return br_error_set(err, BR_ENOMEM, "OpenSSL kan geen SHA-256 berekenen (onvoldoende geheugen?)");
	}
	if ((rc = dossier_row(s, d, hash, hash_len, &f, err)) < 0)
		return rc;

	/* Unchanged values (the same hash) write nothing: not the stand, not
	 * its people, and no hold, for the stand in force has the same hold
	 * (an Opschorting is part of the hash) and its snapshot set or lifted
	 * it.  A register Opschorting is set again each time (an operator may
	 * have lifted it since). */
	if (f.changed && (rc = write_stand(s, d, f.id, f.same_month ? f.stand : 0, hash, hash_len, problem,
					   f.is_new, err)) < 0)
		return rc;
	if (f.changed && !f.is_new)
		s->res.gewijzigd++;
	if (((f.changed && !f.is_new) || d->has_opschorting) && (rc = sync_register_hold(s, f.id, d, err)) < 0)
		return rc;
	s->res.dossiers++;
	if (f.is_new)
		s->res.nieuw++;
	if (problem[0])
		s->res.gemarkeerd++;
	return 0;
}

/*
 * The dossiers still active on the peildatum that this snapshot does not
 * name (not `seen`): their count in *ending, and the ids of those to end
 * (not ended on or before the peildatum) in *ids (owned by the caller).
 */
static int absent_dossiers(struct snapshot *s, long *ending, sqlite3_int64 **ids, size_t *n_ids,
			   struct br_error *err)
{
	size_t cap = 0, i, n = dossierindex_count(s->known);

	*ending = 0;
	*ids = NULL;
	*n_ids = 0;
	for (i = 0; i < n; i++) {
		const struct dossierindex_entry *e = dossierindex_at(s->known, i);

		if (e->seen || !e->active)
			continue;
		(*ending)++;
		if (!e->to_end)
			continue;
		if (mem_grow((void **)ids, &cap, *n_ids + 1, sizeof(**ids)) < 0)
			return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen voor de verdwenen dossiers");
		(*ids)[(*n_ids)++] = e->id;
	}
	return 0;
}

int snapshot_finish(struct snapshot *s, struct snapshot_result *out, struct br_error *err)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 *ids = NULL;
	size_t n_ids = 0, i;
	long ending = 0;
	int rc;

	if ((rc = absent_dossiers(s, &ending, &ids, &n_ids, err)) < 0)
		goto out;

	/* formats.md §1 shrink guard: at least 50 active, more than pct% ending. */
	if (s->active_before >= 50 && !s->krimp_toegestaan &&
	    (long long)ending * 100 > (long long)s->krimp_max_pct * s->active_before) {
		s->krimp_refused = 1;
		rc = br_error_set(err, BR_EINPUT,
				  "de registerstand zou %ld van %ld actieve dossiers beëindigen (meer dan"
				  " register_krimp_max_pct = %d%%): geweigerd als mogelijk afgebroken export"
				  " (de quarantainereden zegt hoe u hem toch aanvaardt)",
				  ending, s->active_before, s->krimp_max_pct);
		goto out;
	}
	/* a dossier that disappears ends on the peildatum (formats.md §1) */
	if ((rc = store_prepare(s->st, &st, "UPDATE dossier SET einddatum = ?2, beeindigd_door = ?1"
				" WHERE id = ?3", err)) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, s->id);
	sqlite3_bind_text(st, 2, s->peil, -1, SQLITE_STATIC);
	for (i = 0; i < n_ids; i++) {
		sqlite3_bind_int64(st, 3, ids[i]);
		if ((rc = step_done(s, st, "ending disappeared dossiers", err)) < 0)
			goto out;
		sqlite3_reset(st);
	}
	s->res.beeindigd = (long)n_ids;
	sqlite3_finalize(st);
	st = NULL;

	if ((rc = store_prepare(s->st, &st, "UPDATE snapshot SET dossiers = ?2, beeindigd = ?3,"
				" gemarkeerd = ?4 WHERE id = ?1", err)) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, s->id);
	sqlite3_bind_int64(st, 2, s->res.dossiers);
	sqlite3_bind_int64(st, 3, s->res.beeindigd);
	sqlite3_bind_int64(st, 4, s->res.gemarkeerd);
	if ((rc = step_done(s, st, "recording the snapshot", err)) < 0)
		goto out;
	*out = s->res;
out:
	sqlite3_finalize(st);
	free(ids);
	return rc;
}

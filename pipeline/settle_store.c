/* settle_store.c — see settle_store.h. */
#include "settle_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "date.h"
#include "incomepack.h"
#include "ledger.h"
#include "log.h"
#include "mem.h"
#include "register.h"
#include "strset.h"

#include "banned.h"

/* The store holds what intake accepted, at most the register's limits per
 * stand (register.h); the engine's arrays hold all of it, so nothing read
 * here can be cut off.  Reaching a limit anyway is a bug (BR_EINTERNAL). */
_Static_assert(SETTLE_MAX_GRANTS >= REGISTER_MAX_GRANTS, "a stand's grants must fit the engine");
_Static_assert(SETTLE_MAX_CLAIMS >= REGISTER_MAX_CLAIMS, "a stand's claims must fit the engine");
_Static_assert(SETTLE_MAX_DERDEN >= REGISTER_MAX_DERDEN, "a stand's third parties must fit the engine");
_Static_assert(SETTLE_KENMERK_MAX >= REGISTER_KENMERK_MAX, "a kenmerk must fit the engine");

#define TEXT_ARENA 65536

enum { C_DOSSIER, C_STAND, C_GRANT, C_CLAIM, C_DERDE, C_PAK, C_INCOME, C_PAID, C_GAP, C_BUF_USED, C_BUF_GRANT,
       C_VT_HELD, C_COUNT };

/* Every cursor returns the dossier id in column 0, ordered by it. */
static const char *const cursor_sql[C_COUNT] = {
	/* a BEEINDIGD outcome (signals.md) ends the dossier at its date when
	 * that is earlier than the register's */
	[C_DOSSIER] = "SELECT d.id, d.nummer, d.regeling, d.gemeente, d.ingangsdatum,"
		" CASE WHEN b.datum IS NOT NULL AND (d.einddatum IS NULL OR b.datum < d.einddatum)"
		"  THEN b.datum ELSE d.einddatum END,"
		" coalesce(d.vt_reservering_cents, 0) FROM dossier d"
		" LEFT JOIN (SELECT dossier, min(datum) AS datum FROM beeindiging GROUP BY dossier) b"
		"  ON b.dossier = d.id WHERE (?1 IS NULL OR d.nummer = ?1) ORDER BY d.id",
	[C_STAND] = "SELECT s.dossier, s.id, s.vanaf, pa.geboortedatum, pp.geboortedatum, s.leefvorm,"
		" s.jongste_kind_geb, s.kostendelers, s.woonkostenverlaging_pct, s.vast_bedrag_cents,"
		" pa.naam, s.iban, s.tenaamstelling, s.probleem, s.aanvrager, coalesce(s.partner, 0)"
		" FROM stand s JOIN persoon pa ON pa.id = s.aanvrager LEFT JOIN persoon pp ON pp.id = s.partner"
		" WHERE (?1 IS NULL OR s.dossier = (SELECT id FROM dossier WHERE nummer = ?1))"
		" ORDER BY s.dossier, s.vanaf",
	[C_GRANT] = "SELECT s.dossier, v.stand, v.code, v.persoon, v.ingangsdatum, v.einddatum,"
		" coalesce(v.maanden_gebruikt, 0) FROM vrijlating v JOIN stand s ON s.id = v.stand"
		" WHERE (?1 IS NULL OR s.dossier = (SELECT id FROM dossier WHERE nummer = ?1))"
		" ORDER BY s.dossier, s.vanaf, v.volgnr",
	/* withheld on a claim since its snapshot's peildatum (rules.md §5 step 5) */
	[C_CLAIM] = "SELECT s.dossier, i.stand, i.kenmerk, i.saldo_cents, i.termijn_cents,"
		" coalesce((SELECT sum(b.bedrag_cents) FROM boeking b JOIN snapshot sn ON sn.id = s.snapshot"
		"   WHERE b.dossier = s.dossier AND b.soort = 'inhouding' AND b.kenmerk = i.kenmerk"
		"   AND b.vrijgegeven IS NOT NULL AND b.vrijgegeven >= sn.peildatum), 0),"
		" coalesce((SELECT sum(b.bedrag_cents) FROM boeking b WHERE b.dossier = s.dossier"
		"   AND b.soort = 'inhouding' AND b.kenmerk = i.kenmerk AND b.maand = ?2"
		"   AND b.vrijgegeven IS NOT NULL), 0)"
		" FROM inhouding i JOIN stand s ON s.id = i.stand"
		" WHERE (?1 IS NULL OR s.dossier = (SELECT id FROM dossier WHERE nummer = ?1))"
		" ORDER BY s.dossier, s.vanaf, i.volgnr",
	[C_DERDE] = "SELECT s.dossier, t.stand, t.kenmerk, t.bedrag_cents, t.prioriteit, t.naam, t.iban,"
		" EXISTS (SELECT 1 FROM boeking b WHERE b.dossier = s.dossier AND b.soort = 'derden'"
		"   AND b.kenmerk = t.kenmerk AND b.maand = ?2 AND b.vrijgegeven IS NOT NULL)"
		" FROM derde t JOIN stand s ON s.id = t.stand"
		" WHERE (?1 IS NULL OR s.dossier = (SELECT id FROM dossier WHERE nummer = ?1))"
		" ORDER BY s.dossier, s.vanaf, t.volgnr",
	/* each person's packed records (incomepack.h): one row, not one per
	 * record, for all the records up to its mark */
	[C_PAK] = "SELECT db.dossier, db.rol, db.persoon, db.bsn, p.tot, p.pak"
		" FROM temp.dossier_bsn db JOIN inkomen_pak p ON p.bsn = db.bsn ORDER BY db.dossier",
	/* the records after the person's pack, by the index on (bsn, id);
	 * load_incomes leaves out the withdrawals (rules.md §3; a new one is
	 * told, below) and those replaced, and orders them.  Both were done
	 * here, per record (NOT EXISTS, ORDER BY): with five years of income
	 * that was two thirds of reading it (issue 13). */
	[C_INCOME] = "SELECT db.dossier, db.rol, i.opgave_id, i.lhnr, i.soort, i.dat_aanv_tv, i.dat_eind_tv,"
		" i.ln_lb_ph_cents, i.vak_bsl_cents, i.wrd_pr_gebr_aut_cents, i.ing_lb_ph_cents,"
		" i.bijdr_zvw_cents, i.pr_wga_whk_wn_cents, db.persoon, i.id, i.intrekking, i.vervangt, db.bsn"
		" FROM temp.dossier_bsn db LEFT JOIN inkomen_pak p ON p.bsn = db.bsn"
		" JOIN inkomen i ON i.bsn = db.bsn AND i.id > coalesce(p.tot, 0) ORDER BY db.dossier",
	/* the released totals per month, one summary row per dossier (ledger.h) */
	/* periods without right (RECHT_VERVALLEN, signals.md) */
	[C_GAP] = "SELECT r.dossier, r.van, r.tot FROM recht_vervallen r"
		" WHERE (?1 IS NULL OR r.dossier = (SELECT id FROM dossier WHERE nummer = ?1))"
		" ORDER BY r.dossier, r.van",
	/* rules.md §5a: the bufferbudget released in runs for months of the
	 * run month's calendar year (a budget never crosses a year) */
	[C_BUF_USED] = "SELECT b.dossier, sum(b.bedrag_cents) FROM boeking b JOIN run r ON r.id = b.run"
		" WHERE b.soort = 'bufferbudget' AND b.vrijgegeven IS NOT NULL AND substr(r.maand, 1, 4) = substr(?2, 1, 4)"
		" AND (?1 IS NULL OR b.dossier = (SELECT id FROM dossier WHERE nummer = ?1))"
		" GROUP BY b.dossier ORDER BY b.dossier",
	/* proposals granted (BUFFER job closed TOEKENNEN) and not yet paid by a
	 * released run: their booking carries 'TOEKENNING <job>' (ledger.c) */
	[C_BUF_GRANT] = "SELECT t.dossier, t.id, substr(t.sleutel, 8, 7), t.bedrag_cents FROM taak t"
		" WHERE t.soort = 'BUFFER' AND t.uitkomst = 'TOEKENNEN' AND t.bedrag_cents > 0"
		" AND NOT EXISTS (SELECT 1 FROM boeking b WHERE b.soort = 'bufferbudget'"
		"  AND b.kenmerk = 'TOEKENNING ' || t.id AND b.vrijgegeven IS NOT NULL)"
		" AND (?1 IS NULL OR t.dossier = (SELECT id FROM dossier WHERE nummer = ?1))"
		" ORDER BY t.dossier, t.id",
	/* rules.md §2: the VT run (the regular run of the latest VT month
	 * before the run month, ?2) held or blocked the dossier, and no
	 * released run has paid it since.  The later runs are looked up one
	 * by one, each with its decision for the dossier by primary key: run
	 * by dossier has no index, and letting SQLite pick read every
	 * decision of every later run for each held dossier (issue 13: 27 ms
	 * at 5,000 dossiers after five years, hours at national scale). */
	[C_VT_HELD] = "SELECT rd.dossier FROM run_dossier rd JOIN run r ON r.id = rd.run"
		" WHERE r.status = 'RELEASED' AND r.aanvullend = 0 AND r.maand = ?2"
		" AND (rd.status = 'OPGESCHORT' OR rd.status = 'GEBLOKKEERD')"
		" AND NOT EXISTS (SELECT 1 FROM run y CROSS JOIN run_dossier x ON x.run = y.id AND x.dossier = rd.dossier"
		"  WHERE y.id > r.id AND y.status = 'RELEASED' AND (x.status = 'BETAALD' OR x.status = 'NUL'))"
		" AND (?1 IS NULL OR rd.dossier = (SELECT id FROM dossier WHERE nummer = ?1))"
		" ORDER BY rd.dossier",
	[C_PAID] = "SELECT g.dossier, g.maanden FROM grootboek g"
		" WHERE (?1 IS NULL OR g.dossier = (SELECT id FROM dossier WHERE nummer = ?1))"
		" ORDER BY g.dossier",
};

/* One person of a dossier, while its income is read: the pack to keep
 * (incomepack.h), its old records and those the last run saw after it. */
struct pak_person {
	char bsn[10];
	int64_t tot;                /* the old pack's mark, 0 without one */
	int64_t aantal;             /* records in `pack` */
	size_t n_new;               /* of them added since the old pack */
	int unordered;              /* a record came out of id order: not packed */
	struct incomepack_buf pack;
};

/* A person's records are packed anew once this many the last run saw
 * are outside the pack (issue 13: each pack is rewritten about every
 * third record, not every month). */
#define PAK_MIN_NEW 3

struct cursor {
	sqlite3_stmt *st;
	int has_row;
};

struct settle_source {
	struct store *store;
	struct cursor c[C_COUNT];
	int32_t run_month, startmaand;
	/* per-dossier buffers, reused */
	struct settle_stand *stands; size_t n_stands, cap_stands;
	sqlite3_int64 *stand_ids; size_t cap_stand_ids; /* parallel to stands */
	struct settle_income *incomes; size_t n_incomes, cap_incomes;
	struct settle_withdrawal *withdrawn; size_t n_withdrawn, cap_withdrawn;
	/* the dossier's people with income: their packs, old and new */
	struct pak_person *persons; size_t n_persons, cap_persons;
	size_t persons_made;        /* slots whose pack buffer is initialised */
	sqlite3_stmt *pak_put;      /* into temp.pak_new */
	/* every opgave_id some record's Vervangt names: replaced, whatever
	 * the order the two arrived in (formats.md §2) */
	struct strset replaced;
	/* records up to seen_upto were read by an earlier run (load_seen);
	 * income_upto: the store's highest record now */
	int64_t seen_upto, income_upto;
	struct settle_paid *paid; size_t n_paid, cap_paid;
	struct settle_gap *gaps; size_t n_gaps, cap_gaps;
	struct settle_claim claims[SETTLE_MAX_CLAIMS]; size_t n_claims;
	struct settle_derde derden[SETTLE_MAX_DERDEN]; size_t n_derden;
	struct settle_buffer_grant buf_grants[SETTLE_MAX_BUFFER_GRANTS]; size_t n_buf_grants;
	char *arena; size_t arena_used, arena_cap;
};

static int32_t col_date(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	int32_t d;
	struct br_error e;

	br_error_clear(&e);
	if (!t || date_parse(&d, (const char *)t, strlen((const char *)t), &e) < 0)
		return DATE_NONE;
	return d;
}

static void col_copy(char *dst, size_t cap, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

/* Copy a string into the per-dossier arena; NULL when it is full. */
static const char *arena_str(struct settle_source *s, const unsigned char *t)
{
	size_t n = t ? strlen((const char *)t) + 1 : 1;
	char *p;

	if (s->arena_used + n > s->arena_cap) {
		size_t ncap = s->arena_cap ? s->arena_cap : TEXT_ARENA;
		/* the strings of earlier records point into the arena: never move it
		 * while filling one dossier; a dossier needing more is an error */
		if (s->arena_cap)
			return NULL;
		if (!(s->arena = malloc(ncap)))
			return NULL;
		s->arena_cap = ncap;
		if (n > ncap)
			return NULL;
	}
	p = s->arena + s->arena_used;
	memcpy(p, t ? (const char *)t : "", n);
	s->arena_used += n;
	return p;
}

static int cursor_step(struct settle_source *s, int which, struct br_error *err)
{
	int rc = sqlite3_step(s->c[which].st);

	if (rc == SQLITE_ROW) {
		s->c[which].has_row = 1;
		return 0;
	}
	s->c[which].has_row = 0;
	if (rc != SQLITE_DONE)
		return store_fail(s->store, rc, "reading the settlement input", err);
	return 0;
}

/* Skip rows of dossiers before `id`; 1 when positioned on a row of `id`. */
static int cursor_at(struct settle_source *s, int which, sqlite3_int64 id, struct br_error *err)
{
	int rc;

	while (s->c[which].has_row && sqlite3_column_int64(s->c[which].st, 0) < id)
		if ((rc = cursor_step(s, which, err)) < 0)
			return rc;
	return s->c[which].has_row && sqlite3_column_int64(s->c[which].st, 0) == id;
}

/* rules.md §5a: the year's bufferbudget used and the grants to pay. */
static int load_buffer(struct settle_source *s, sqlite3_int64 id, struct settle_input *in, struct br_error *err)
{
	int rc;

	if ((rc = cursor_at(s, C_VT_HELD, id, err)) < 0)
		return rc;
	in->vt_withheld = rc;
	in->buffer_used_cents = 0;
	if ((rc = cursor_at(s, C_BUF_USED, id, err)) == 1)
		in->buffer_used_cents = sqlite3_column_int64(s->c[C_BUF_USED].st, 1);
	if (rc < 0)
		return rc;
	s->n_buf_grants = 0;
	while ((rc = cursor_at(s, C_BUF_GRANT, id, err)) == 1) {
		sqlite3_stmt *g = s->c[C_BUF_GRANT].st;
		const char *m = (const char *)sqlite3_column_text(g, 2);
		struct settle_buffer_grant *b = &s->buf_grants[s->n_buf_grants];

		if (s->n_buf_grants == SETTLE_MAX_BUFFER_GRANTS) {
			/* rules.md §5a: a grant is paid by the first run that may
			 * pay it; what does not fit this run stays unpaid in the
			 * store and is paid by the next one. */
			log_event(LOG_WARN, "bufferbudget", "dossier_id=%lld grants_left_for_next_run=1",
				  (long long)id);
		} else if (m && month_parse(&b->month, m, strlen(m), NULL) == 0) {
			b->amount_cents = sqlite3_column_int64(g, 3);
			b->job = sqlite3_column_int64(g, 1);
			s->n_buf_grants++;
		}
		if ((rc = cursor_step(s, C_BUF_GRANT, err)) < 0)
			return rc;
	}
	in->buffer_grants = s->buf_grants;
	in->n_buffer_grants = s->n_buf_grants;
	return rc < 0 ? rc : 0;
}

/* Read every Vervangt into s->replaced: one scan of its index, where a
 * lookup per income record cost more (issue 13). */
static int load_replaced(struct settle_source *s, struct br_error *err)
{
	sqlite3_stmt *q = NULL;
	int rc, step;

	if ((rc = store_prepare(s->store, &q, "SELECT DISTINCT vervangt FROM inkomen WHERE vervangt IS NOT NULL",
				err)) < 0)
		return rc;
	while ((step = sqlite3_step(q)) == SQLITE_ROW)
		if (strset_add(&s->replaced, store_col(q, 0)) < 0) {
			sqlite3_finalize(q);
			return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
		}
	sqlite3_finalize(q);
	if (step != SQLITE_DONE)
		return store_fail(s->store, step, "reading which income records were replaced", err);
	strset_seal(&s->replaced);
	return 0;
}

/*
 * Which income records arrived since the dossiers were last settled
 * (rules.md §5: income arriving for an IOAW/IOAZ/Bbz dossier opens a job;
 * signals.md).  A run, regular or supplementary, settles every dossier at
 * its prepare and records the highest record it could read
 * (run.inkomen_tot); the latest run for a month up to this one that was
 * not superseded or cancelled saw every record up to its mark (an empty
 * supplementary run is not recorded, nor its jobs).  A record above it is
 * new, also when that run is later superseded: the job's key then finds
 * the event seen.
 */
static int load_seen(struct settle_source *s, struct br_error *err)
{
	char sql[256], mb[MONTH_FMT_MAX];
	int rc;

	snprintf(sql, sizeof(sql), "SELECT coalesce(max(inkomen_tot), 0) FROM run"
		 " WHERE status IN ('PREPARED', 'APPROVED', 'RELEASED') AND maand <= '%s'",
		 month_format(mb, s->run_month));
	if ((rc = store_query_int64(s->store, sql, &s->seen_upto, "finding the income an earlier run saw",
				    err)) < 0)
		return rc;
	return store_query_int64(s->store, "SELECT coalesce(max(id), 0) FROM inkomen", &s->income_upto,
				 "finding the latest income record", err);
}

int64_t settle_source_income_upto(const struct settle_source *src)
{
	return src->income_upto;
}

int settle_source_keep_packs(struct settle_source *s, struct br_error *err)
{
	int i;

	for (i = 0; i < C_COUNT; i++)   /* nothing reads inkomen_pak while it is written */
		sqlite3_reset(s->c[i].st);
	return store_exec(s->store, "INSERT OR REPLACE INTO inkomen_pak (bsn, tot, aantal, pak)"
			  " SELECT bsn, tot, aantal, pak FROM temp.pak_new", err);
}

int settle_source_open(struct settle_source **out, struct store *st, int32_t run_month,
		       const struct settle_settings *set, const char *only_nummer, struct br_error *err)
{
	int32_t startmaand = set->startmaand;
	/* the latest VT month before the run month (rules.md §2) */
	int32_t vt_month = run_month - 1 - ((run_month - 1) % 12 + 1 - set->vt_uitbetaalmaand + 12) % 12;
	struct settle_source *s = NULL;
	int rc = 0, i;

	*out = NULL;
	if (!(s = calloc(1, sizeof(*s))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	s->store = st;
	s->run_month = run_month;
	s->startmaand = startmaand;
	/* Which BSN was ever part of which dossier (applicant 0, partner 1; a
	 * BSN that was both is listed as applicant), with the person's id: the
	 * engine decides per month whose income a record is (settle.h). */
	if ((rc = store_exec(st, "DROP TABLE IF EXISTS temp.dossier_bsn", err)) < 0 ||
	    (rc = store_exec(st, "CREATE TEMP TABLE dossier_bsn (dossier INTEGER, bsn TEXT, rol INTEGER,"
			     " persoon INTEGER, PRIMARY KEY (dossier, bsn)) WITHOUT ROWID", err)) < 0)
		goto out;
	{
		sqlite3_stmt *fill = NULL;
		if ((rc = store_prepare(st, &fill,
					/* only the people who have income records, found
					 * in one pass over the income index (it was two,
					 * one per role: issue 13) */
					"INSERT INTO temp.dossier_bsn"
					" WITH x AS MATERIALIZED (SELECT DISTINCT bsn FROM inkomen)"
					" SELECT dossier, bsn, min(rol), persoon FROM ("
					" SELECT s.dossier AS dossier, p.bsn AS bsn, 0 AS rol, p.id AS persoon"
					"  FROM x JOIN persoon p ON p.bsn = x.bsn JOIN stand s ON s.aanvrager = p.id"
					" UNION ALL SELECT s.dossier, p.bsn, 1, p.id"
					"  FROM x JOIN persoon p ON p.bsn = x.bsn JOIN stand s ON s.partner = p.id)"
					" WHERE (?1 IS NULL OR dossier = (SELECT id FROM dossier WHERE nummer = ?1))"
					" GROUP BY dossier, bsn", err)) < 0)
			goto out;
		store_bind_text(fill, 1, only_nummer, 0);
		rc = sqlite3_step(fill);
		sqlite3_finalize(fill);
		if (rc != SQLITE_DONE) {
			rc = store_fail(st, rc, "matching income to dossiers", err);
			goto out;
		}
		rc = 0;
	}
	if ((rc = store_exec(st, "DROP TABLE IF EXISTS temp.pak_new", err)) < 0 ||
	    (rc = store_exec(st, "CREATE TEMP TABLE pak_new (bsn TEXT PRIMARY KEY, tot INTEGER NOT NULL,"
			     " aantal INTEGER NOT NULL, pak BLOB NOT NULL) WITHOUT ROWID", err)) < 0 ||
	    (rc = store_exec(st, "CREATE INDEX IF NOT EXISTS temp.dossier_bsn_bsn ON dossier_bsn(bsn)", err)) < 0 ||
	    (rc = load_replaced(s, err)) < 0 || (rc = load_seen(s, err)) < 0)
		goto out;
	if ((rc = store_prepare(st, &s->pak_put, "INSERT OR REPLACE INTO temp.pak_new (bsn, tot, aantal, pak)"
				" VALUES (?1, ?2, ?3, ?4)", err)) < 0)
		goto out;
	for (i = 0; i < C_COUNT; i++) {
		if ((rc = store_prepare(st, &s->c[i].st, cursor_sql[i], err)) < 0)
			goto out;
		if (i != C_INCOME && i != C_PAK)
			store_bind_text(s->c[i].st, 1, only_nummer, 0);
		if (i == C_CLAIM || i == C_DERDE || i == C_BUF_USED || i == C_VT_HELD) {
			char mb[MONTH_FMT_MAX];
			sqlite3_bind_text(s->c[i].st, 2, month_format(mb, i == C_VT_HELD ? vt_month : run_month), -1,
					  SQLITE_TRANSIENT);
		}
		if ((rc = cursor_step(s, i, err)) < 0)
			goto out;
	}
	*out = s;
	s = NULL;
out:
	settle_source_free(s);
	return rc;
}

void settle_source_free(struct settle_source *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < C_COUNT; i++)
		sqlite3_finalize(s->c[i].st);
	sqlite3_finalize(s->pak_put);
	free(s->stands);
	free(s->stand_ids);
	free(s->incomes);
	free(s->withdrawn);
	for (i = 0; i < (int)s->persons_made; i++)
		incomepack_buf_free(&s->persons[i].pack);
	free(s->persons);
	strset_clear(&s->replaced);
	free(s->paid);
	free(s->gaps);
	free(s->arena);
	free(s);
}

static enum settle_leefvorm leefvorm_of(const unsigned char *t)
{
	if (t && strcmp((const char *)t, "GEHUWD") == 0)
		return LEEFVORM_GEHUWD;
	if (t && strcmp((const char *)t, "ALLEENSTAANDE_OUDER") == 0)
		return LEEFVORM_ALLEENSTAANDE_OUDER;
	return LEEFVORM_ALLEENSTAAND;
}

static enum settle_regeling regeling_of(const char *t)
{
	if (strcmp(t, "IOAW") == 0)
		return REGELING_IOAW;
	if (strcmp(t, "IOAZ") == 0)
		return REGELING_IOAZ;
	if (strcmp(t, "BBZ") == 0)
		return REGELING_BBZ;
	return REGELING_PW;
}

static enum settle_soort soort_of(const unsigned char *t)
{
	if (t && strcmp((const char *)t, "UITKERING") == 0)
		return INKOMEN_UITKERING;
	if (t && strcmp((const char *)t, "PENSIOEN") == 0)
		return INKOMEN_PENSIOEN;
	if (t && strcmp((const char *)t, "OVERIG") == 0)
		return INKOMEN_OVERIG;
	return INKOMEN_ARBEID;
}

static int load_stands(struct settle_source *s, sqlite3_int64 id, struct settle_dossier_info *info,
		       struct br_error *err)
{
	sqlite3_stmt *st = s->c[C_STAND].st;
	int rc;

	s->n_stands = 0;
	while ((rc = cursor_at(s, C_STAND, id, err)) == 1) {
		struct settle_stand *t;

		if (mem_grow((void **)&s->stands, &s->cap_stands, s->n_stands + 1, sizeof(*s->stands)) < 0 ||
		    mem_grow((void **)&s->stand_ids, &s->cap_stand_ids, s->n_stands + 1, sizeof(*s->stand_ids)) < 0)
			return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
		t = &s->stands[s->n_stands];
		memset(t, 0, sizeof(*t));
		s->stand_ids[s->n_stands++] = sqlite3_column_int64(st, 1);
		t->vanaf = col_date(st, 2);
		t->aanvrager_geb = col_date(st, 3);
		t->has_partner = sqlite3_column_type(st, 4) != SQLITE_NULL;
		t->partner_geb = t->has_partner ? col_date(st, 4) : DATE_NONE;
		t->leefvorm = leefvorm_of(sqlite3_column_text(st, 5));
		t->jongste_kind_geb = col_date(st, 6);
		t->kostendelers = sqlite3_column_int(st, 7);
		t->woonkostenverlaging_pct = sqlite3_column_int(st, 8);
		t->has_vast_bedrag = sqlite3_column_type(st, 9) != SQLITE_NULL;
		t->vast_bedrag_cents = sqlite3_column_int64(st, 9);
		t->aanvrager_id = sqlite3_column_int64(st, 14);
		t->partner_id = sqlite3_column_int64(st, 15);
		/* the latest stand names the client and the account */
		col_copy(info->naam, sizeof(info->naam), st, 10);
		col_copy(info->iban, sizeof(info->iban), st, 11);
		col_copy(info->tenaamstelling, sizeof(info->tenaamstelling), st, 12);
		if (t->vanaf <= month_first_day(s->run_month) || s->n_stands == 1)
			col_copy(info->probleem, sizeof(info->probleem), st, 13);
		if ((rc = cursor_step(s, C_STAND, err)) < 0)
			return rc;
	}
	return rc;
}

/* Index of the stand a row belongs to, by stand id. */
static int stand_index(const struct settle_source *s, sqlite3_int64 stand)
{
	size_t i;

	for (i = 0; i < s->n_stands; i++)
		if (s->stand_ids[i] == stand)
			return (int)i;
	return -1;
}

/* The stand in force on the run month's first day. */
static int run_stand(const struct settle_source *s)
{
	int32_t first = month_first_day(s->run_month);
	size_t i;
	int best = 0;

	for (i = 0; i < s->n_stands; i++)
		if (s->stands[i].vanaf <= first)
			best = (int)i;
	return best;
}

/* grants, into their stand */
static int load_grants(struct settle_source *s, sqlite3_int64 id, const struct settle_dossier_info *info,
		       struct br_error *err)
{
	int rc;

	while ((rc = cursor_at(s, C_GRANT, id, err)) == 1) {
		sqlite3_stmt *g = s->c[C_GRANT].st;
		int si = stand_index(s, sqlite3_column_int64(g, 1));
		const char *code = (const char *)sqlite3_column_text(g, 2);
		int c = vrij_code_from_name(code ? code : "");

		if (si >= 0 && c >= 0 && s->stands[si].n_grants == SETTLE_MAX_GRANTS)
			return br_error_set(err, BR_EINTERNAL, "een stand van dossier %s heeft meer dan %d toegekende vrijlatingen",
					    info->nummer, SETTLE_MAX_GRANTS);
		if (si >= 0 && c >= 0) {
			struct settle_grant *gr = &s->stands[si].grants[s->stands[si].n_grants++];
			const unsigned char *p = sqlite3_column_text(g, 3);
			gr->code = (enum vrij_code)c;
			gr->persoon = p && strcmp((const char *)p, "PARTNER") == 0 ? PERSON_PARTNER : PERSON_AANVRAGER;
			gr->ingangsdatum = col_date(g, 4);
			gr->einddatum = col_date(g, 5);
			gr->maanden_gebruikt = sqlite3_column_int(g, 6);
		}
		if ((rc = cursor_step(s, C_GRANT, err)) < 0)
			return rc;
	}
	return rc;
}

/* claims of the stand in force for the run month (run_stand) */
static int load_claims(struct settle_source *s, sqlite3_int64 id, struct settle_dossier_info *info,
		       struct br_error *err)
{
	int rs = run_stand(s), rc;

	s->n_claims = 0;
	while ((rc = cursor_at(s, C_CLAIM, id, err)) == 1) {
		sqlite3_stmt *c = s->c[C_CLAIM].st;
		if (stand_index(s, sqlite3_column_int64(c, 1)) == rs && s->n_claims == SETTLE_MAX_CLAIMS)
			return br_error_set(err, BR_EINTERNAL, "dossier %s heeft meer dan %d vorderingen", info->nummer,
					    SETTLE_MAX_CLAIMS);
		if (stand_index(s, sqlite3_column_int64(c, 1)) == rs) {
			struct settle_claim *cl = &s->claims[s->n_claims];
			col_copy(cl->kenmerk, sizeof(cl->kenmerk), c, 2);
			cl->saldo_cents = sqlite3_column_int64(c, 3);
			cl->termijn_cents = sqlite3_column_int64(c, 4);
			cl->withheld_cents = sqlite3_column_int64(c, 5);
			cl->withheld_run_month_cents = sqlite3_column_int64(c, 6);
			memcpy(info->claim_kenmerk[s->n_claims], cl->kenmerk, sizeof(cl->kenmerk));
			s->n_claims++;
		}
		if ((rc = cursor_step(s, C_CLAIM, err)) < 0)
			return rc;
	}
	return rc;
}

/* third parties of the stand in force for the run month */
static int load_derden(struct settle_source *s, sqlite3_int64 id, struct settle_dossier_info *info,
		       struct br_error *err)
{
	int rs = run_stand(s), rc;

	s->n_derden = 0;
	while ((rc = cursor_at(s, C_DERDE, id, err)) == 1) {
		sqlite3_stmt *d = s->c[C_DERDE].st;
		if (stand_index(s, sqlite3_column_int64(d, 1)) == rs && s->n_derden == SETTLE_MAX_DERDEN)
			return br_error_set(err, BR_EINTERNAL, "dossier %s heeft meer dan %d derden", info->nummer,
					    SETTLE_MAX_DERDEN);
		if (stand_index(s, sqlite3_column_int64(d, 1)) == rs) {
			struct settle_derde *dd = &s->derden[s->n_derden];
			col_copy(dd->kenmerk, sizeof(dd->kenmerk), d, 2);
			dd->bedrag_cents = sqlite3_column_int64(d, 3);
			dd->prioriteit = sqlite3_column_int(d, 4);
			col_copy(info->derde_naam[s->n_derden], sizeof(info->derde_naam[0]), d, 5);
			col_copy(info->derde_iban[s->n_derden], sizeof(info->derde_iban[0]), d, 6);
			dd->paid_run_month = sqlite3_column_int(d, 7);
			s->n_derden++;
		}
		if ((rc = cursor_step(s, C_DERDE, err)) < 0)
			return rc;
	}
	return rc;
}

/* Make room for the income record that sorts at its place by period end,
 * then arrival (the store's id): the engine's lines, and so the
 * specification, follow that order.  Rows come per BSN in id order,
 * nearly sorted by period end, so this is a short move at most. */
static struct settle_income *income_slot(struct settle_source *s, int32_t eind, sqlite3_int64 id)
{
	size_t at = s->n_incomes;

	if (mem_grow((void **)&s->incomes, &s->cap_incomes, s->n_incomes + 1, sizeof(*s->incomes)) < 0)
		return NULL;
	while (at > 0 && (s->incomes[at - 1].dat_eind_tv > eind ||
			  (s->incomes[at - 1].dat_eind_tv == eind && s->incomes[at - 1].id > id)))
		at--;
	memmove(&s->incomes[at + 1], &s->incomes[at], (s->n_incomes - at) * sizeof(*s->incomes));
	s->n_incomes++;
	memset(&s->incomes[at], 0, sizeof(s->incomes[at]));
	s->incomes[at].dat_eind_tv = eind;
	s->incomes[at].id = id;
	s->incomes[at].gezien = id <= s->seen_upto;
	return &s->incomes[at];
}

/* A withdrawal that arrived since the last run, kept to be told. */
static int add_withdrawal(struct settle_source *s, const struct incomepack_row *row,
			  const struct settle_dossier_info *info, struct br_error *err)
{
	struct settle_withdrawal *w;

	if (mem_grow((void **)&s->withdrawn, &s->cap_withdrawn, s->n_withdrawn + 1, sizeof(*s->withdrawn)) < 0)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	w = &s->withdrawn[s->n_withdrawn++];
	w->id = row->id;
	w->month = month_of(row->dat_eind_tv);
	if (!(w->opgave_id = arena_str(s, (const unsigned char *)row->vervangt)))
		return br_error_set(err, BR_EINPUT, "dossier %s heeft te veel inkomstenopgaven om af te rekenen",
				    info->nummer);
	return 0;
}

/* One record of the dossier's person `persoon` (role `rol`), from a pack
 * or from the table: an effective record goes to the input (not a
 * withdrawal, not replaced: rules.md §3), a withdrawal that arrived since
 * the last run to s->withdrawn. */
static int take_income(struct settle_source *s, const struct settle_dossier_info *info, int rol,
		       sqlite3_int64 persoon, const struct incomepack_row *row, struct br_error *err)
{
	struct settle_income *inc;

	if (row->intrekking)
		return row->id > s->seen_upto ? add_withdrawal(s, row, info, err) : 0;
	if (strset_has(&s->replaced, row->opgave_id))
		return 0;
	if (!(inc = income_slot(s, row->dat_eind_tv, row->id)))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	inc->persoon = rol ? PERSON_PARTNER : PERSON_AANVRAGER;
	inc->person_id = persoon;
	if (!(inc->opgave_id = arena_str(s, (const unsigned char *)row->opgave_id)) ||
	    !(inc->lhnr = arena_str(s, (const unsigned char *)row->lhnr)))
		return br_error_set(err, BR_EINPUT, "dossier %s heeft te veel inkomstenopgaven om af te rekenen",
				    info->nummer);
	inc->soort = row->soort;
	inc->dat_aanv_tv = row->dat_aanv_tv;
	inc->ln_lb_ph_cents = row->ln_lb_ph_cents;
	inc->vak_bsl_cents = row->vak_bsl_cents;
	inc->wrd_pr_gebr_aut_cents = row->wrd_pr_gebr_aut_cents;
	inc->ing_lb_ph_cents = row->ing_lb_ph_cents;
	inc->bijdr_zvw_cents = row->bijdr_zvw_cents;
	inc->pr_wga_whk_wn_cents = row->pr_wga_whk_wn_cents;
	return 0;
}

/* The dossier's person with BSN `bsn`, added (empty) when new. */
static struct pak_person *person_of(struct settle_source *s, const unsigned char *bsn)
{
	struct pak_person *p;
	size_t i;

	for (i = 0; i < s->n_persons; i++)
		if (!strcmp(s->persons[i].bsn, (const char *)bsn))
			return &s->persons[i];
	if (mem_grow((void **)&s->persons, &s->cap_persons, s->n_persons + 1, sizeof(*s->persons)) < 0)
		return NULL;
	p = &s->persons[s->n_persons++];
	if (s->n_persons > s->persons_made) {   /* a slot never used: its buffer too */
		memset(&p->pack, 0, sizeof(p->pack));
		s->persons_made = s->n_persons;
	}
	snprintf(p->bsn, sizeof(p->bsn), "%s", bsn ? (const char *)bsn : "");
	p->tot = p->aantal = 0;
	p->n_new = 0;
	p->unordered = 0;
	p->pack.len = 0;
	p->pack.last_id = 0;
	return p;
}

/* The packed records of the dossier's people (C_PAK); each pack is kept
 * whole in its person, to be extended. */
static int load_packs(struct settle_source *s, sqlite3_int64 id, const struct settle_dossier_info *info,
		      struct br_error *err)
{
	int rc;

	while ((rc = cursor_at(s, C_PAK, id, err)) == 1) {
		sqlite3_stmt *r = s->c[C_PAK].st;
		const unsigned char *pack = sqlite3_column_blob(r, 5);
		size_t len = (size_t)sqlite3_column_bytes(r, 5), at = 0;
		struct pak_person *p = person_of(s, sqlite3_column_text(r, 3));
		struct incomepack_row row;
		int64_t last = 0;

		if (!p)
			return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
		p->tot = sqlite3_column_int64(r, 4);
		while ((rc = incomepack_next(&row, pack, len, &at, last, err)) == 1) {
			if ((rc = take_income(s, info, sqlite3_column_int(r, 1), sqlite3_column_int64(r, 2), &row,
					      err)) < 0)
				return rc;
			last = row.id;
			p->aantal++;
		}
		if (rc < 0 || (rc = incomepack_append_raw(&p->pack, pack, len, last, err)) < 0)
			return rc;
		if ((rc = cursor_step(s, C_PAK, err)) < 0)
			return rc;
	}
	return rc;
}

/* A record of the table as a pack record; its texts are the statement's,
 * valid until it steps. */
static void row_of(struct incomepack_row *row, sqlite3_stmt *r)
{
	const unsigned char *v = sqlite3_column_text(r, 16);

	row->id = sqlite3_column_int64(r, 14);
	row->intrekking = sqlite3_column_int(r, 15) != 0;
	row->soort = soort_of(sqlite3_column_text(r, 4));
	row->dat_aanv_tv = col_date(r, 5);
	row->dat_eind_tv = col_date(r, 6);
	row->ln_lb_ph_cents = sqlite3_column_int64(r, 7);
	row->vak_bsl_cents = sqlite3_column_int64(r, 8);
	row->wrd_pr_gebr_aut_cents = sqlite3_column_int64(r, 9);
	row->ing_lb_ph_cents = sqlite3_column_int64(r, 10);
	row->bijdr_zvw_cents = sqlite3_column_int64(r, 11);
	row->pr_wga_whk_wn_cents = sqlite3_column_int64(r, 12);
	row->opgave_id = (const char *)sqlite3_column_text(r, 2);
	row->lhnr = (const char *)sqlite3_column_text(r, 3);
	row->vervangt = v ? (const char *)v : "";
	if (!row->opgave_id)
		row->opgave_id = "";
	if (!row->lhnr)
		row->lhnr = "";
}

/* A record the last run saw, after its person's pack: into the pack to
 * keep.  The rows come per person in id order (the query's plan: the
 * index on (bsn, id)); should they not, or should a record not fit a pack
 * (incomepack.h), the person is not packed this time, which costs only
 * time: a pack only saves reading. */
static int pack_row(struct settle_source *s, const unsigned char *bsn, const struct incomepack_row *row,
		    struct br_error *err)
{
	struct pak_person *p = person_of(s, bsn);

	if (!p)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	if (p->unordered || row->id <= p->pack.last_id) {
		p->unordered = 1;
		return 0;
	}
	if (incomepack_append(&p->pack, row, err) < 0) {
		if (err->code == BR_ENOMEM)
			return err->code;
		br_error_clear(err);
		p->unordered = 1;
		return 0;
	}
	p->aantal++;
	p->n_new++;
	return 0;
}

/* A person's pack anew (incomepack.h: exactly the rows up to its mark),
 * when enough records the last run saw lie outside it: into temp.pak_new,
 * written by settle_source_keep_packs. */
static int stash_packs(struct settle_source *s, struct br_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < s->n_persons; i++) {
		struct pak_person *p = &s->persons[i];

		if (p->unordered || p->n_new < PAK_MIN_NEW || s->seen_upto <= p->tot)
			continue;
		sqlite3_reset(s->pak_put);
		sqlite3_bind_text(s->pak_put, 1, p->bsn, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s->pak_put, 2, s->seen_upto);
		sqlite3_bind_int64(s->pak_put, 3, p->aantal);
		sqlite3_bind_blob(s->pak_put, 4, p->pack.p, (int)p->pack.len, SQLITE_STATIC);
		if ((rc = store_step_done(s->store, s->pak_put, "keeping a person's income pack", err)) < 0)
			return rc;
	}
	return 0;
}

/* effective income records of applicant and partner: the packed ones,
 * then those after each pack; the withdrawals that arrived since the last
 * run into s->withdrawn.  A record the last run saw extends its person's
 * pack: all of them up to that run's mark (seen_upto) come by here. */
static int load_incomes(struct settle_source *s, sqlite3_int64 id, const struct settle_dossier_info *info,
			struct br_error *err)
{
	int rc;

	s->n_incomes = s->n_withdrawn = s->n_persons = 0;
	if ((rc = load_packs(s, id, info, err)) < 0)
		return rc;
	while ((rc = cursor_at(s, C_INCOME, id, err)) == 1) {
		sqlite3_stmt *r = s->c[C_INCOME].st;
		struct incomepack_row row;

		row_of(&row, r);
		if ((rc = take_income(s, info, sqlite3_column_int(r, 1), sqlite3_column_int64(r, 13), &row, err)) < 0)
			return rc;
		if (row.id <= s->seen_upto && (rc = pack_row(s, sqlite3_column_text(r, 17), &row, err)) < 0)
			return rc;
		if ((rc = cursor_step(s, C_INCOME, err)) < 0)
			return rc;
	}
	return rc < 0 ? rc : stash_packs(s, err);
}

/* the released ledger per month */
static int load_paid(struct settle_source *s, sqlite3_int64 id, struct settle_input *in, struct br_error *err)
{
	int rc;

	s->n_paid = 0;
	while ((rc = cursor_at(s, C_PAID, id, err)) == 1) {
		sqlite3_stmt *p = s->c[C_PAID].st;
		int k, j;

		if (mem_grow((void **)&s->paid, &s->cap_paid, LEDGER_MAX_MONTHS, sizeof(*s->paid)) < 0)
			return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
		if ((k = ledger_decode(s->paid, LEDGER_MAX_MONTHS, sqlite3_column_blob(p, 1),
				       (size_t)sqlite3_column_bytes(p, 1), err)) < 0)
			return k;
		/* VT booked on months before startmaand paid the cut-over
		 * reservation (settle.h settle_paid) */
		for (j = 0; j < k; j++) {
			struct settle_paid pd = s->paid[j];
			if (pd.month < s->startmaand) {
				in->vt_cutover_paid_cents += pd.vt_paid_cents;
				pd.vt_paid_cents = 0;
				if (!pd.paid_cents && !pd.advanced)
					continue;
			}
			s->paid[s->n_paid++] = pd;
		}
		if ((rc = cursor_step(s, C_PAID, err)) < 0)
			return rc;
	}
	return rc;
}

/* periods the dossier was not in force */
static int load_gaps(struct settle_source *s, sqlite3_int64 id, struct br_error *err)
{
	int rc;

	s->n_gaps = 0;
	while ((rc = cursor_at(s, C_GAP, id, err)) == 1) {
		sqlite3_stmt *g = s->c[C_GAP].st;
		if (mem_grow((void **)&s->gaps, &s->cap_gaps, s->n_gaps + 1, sizeof(*s->gaps)) < 0)
			return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
		s->gaps[s->n_gaps].van = col_date(g, 1);
		s->gaps[s->n_gaps].tot = col_date(g, 2);
		if (s->gaps[s->n_gaps].van != DATE_NONE && s->gaps[s->n_gaps].tot != DATE_NONE)
			s->n_gaps++;
		if ((rc = cursor_step(s, C_GAP, err)) < 0)
			return rc;
	}
	return rc;
}

int settle_source_next(struct settle_source *s, struct settle_dossier_info *info,
		       struct settle_input *in, struct br_error *err)
{
	sqlite3_stmt *st;
	sqlite3_int64 id;
	int rc;

	if (!s->c[C_DOSSIER].has_row)
		return 0;
	st = s->c[C_DOSSIER].st;
	/* clear what is read per dossier; the name arrays are filled up to
	 * their counts (a full memset of this struct per dossier cost more
	 * than the settlement itself at 500,000 dossiers) */
	info->probleem[0] = info->naam[0] = info->iban[0] = info->tenaamstelling[0] = '\0';
	info->n_claim_names = info->n_derde_names = 0;
	memset(in, 0, sizeof(*in));
	s->arena_used = 0;
	id = info->id = sqlite3_column_int64(st, 0);
	col_copy(info->nummer, sizeof(info->nummer), st, 1);
	col_copy(info->regeling, sizeof(info->regeling), st, 2);
	col_copy(info->gemeente, sizeof(info->gemeente), st, 3);
	in->regeling = regeling_of(info->regeling);
	in->ingangsdatum = col_date(st, 4);
	in->einddatum = col_date(st, 5);
	in->vt_cutover_cents = sqlite3_column_int64(st, 6);
	if ((rc = cursor_step(s, C_DOSSIER, err)) < 0)
		return rc;

	if ((rc = load_stands(s, id, info, err)) < 0 || (rc = load_grants(s, id, info, err)) < 0 ||
	    (rc = load_claims(s, id, info, err)) < 0 || (rc = load_derden(s, id, info, err)) < 0)
		return rc;
	info->n_claim_names = (int)s->n_claims;
	info->n_derde_names = (int)s->n_derden;
	if ((rc = load_incomes(s, id, info, err)) < 0 || (rc = load_paid(s, id, in, err)) < 0 ||
	    (rc = load_gaps(s, id, err)) < 0 || (rc = load_buffer(s, id, in, err)) < 0)
		return rc;
	in->gaps = s->gaps;
	in->n_gaps = s->n_gaps;
	in->stands = s->stands;
	in->n_stands = s->n_stands;
	in->incomes = s->incomes;
	in->n_incomes = s->n_incomes;
	info->withdrawn = s->withdrawn;
	info->n_withdrawn = s->n_withdrawn;
	in->paid = s->paid;
	in->n_paid = s->n_paid;
	in->claims = s->claims;
	in->n_claims = s->n_claims;
	in->derden = s->derden;
	in->n_derden = s->n_derden;
	return 1;
}

int settle_settings_derive(struct settle_settings *out, struct store *st, const struct config *cfg,
			   int32_t month, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc, step;

	memset(out, 0, sizeof(*out));
	out->toerekening_dagen = strcmp(cfg->toerekening, "dagen") == 0;
	out->vt_uitbetaalmaand = cfg->vt_uitbetaalmaand;
	out->verrekentermijn = cfg->verrekentermijn_maanden;
	out->beslagvrije_voet_pct = cfg->beslagvrije_voet_pct;
	out->bufferbudget = strcmp(cfg->bufferbudget, "automatisch") == 0 ? BUFFER_AUTOMATISCH :
			    strcmp(cfg->bufferbudget, "voorstel") == 0 ? BUFFER_VOORSTEL : BUFFER_UIT;
	out->bufferbudget_ondergrens_pct = cfg->bufferbudget_ondergrens_pct;
	out->startmaand = cfg->startmaand >= 0 ? cfg->startmaand : month;
	if (cfg->startmaand >= 0)
		return 0;
	/* rules.md §6: startmaand, else the month of the first run */
	if ((rc = store_prepare(st, &s, "SELECT startmaand FROM run WHERE status IN ('PREPARED','APPROVED','RELEASED')"
				" ORDER BY id LIMIT 1", err)) < 0)
		return rc;
	if ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		int32_t m;
		if (!t || month_parse(&m, t, strlen(t), err) < 0)
			rc = br_error_set(err, BR_EINTERNAL, "de eerste run heeft startmaand '%s'", t ? t : "");
		else if (m < out->startmaand)
			out->startmaand = m;
	} else if (step != SQLITE_DONE) {
		rc = store_fail(st, step, "reading the first run", err);
	}
	sqlite3_finalize(s);
	return rc;
}

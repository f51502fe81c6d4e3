/*
 * test_settle_store.c — the settlement engine's input read from the store
 * (pipeline/settle_store.h), on a register and Polis deliveries ingested
 * into a temporary data directory (home_fixture.h):
 *
 *  - income: the applicant's and the partner's records, each with its
 *    person; a record replaced by a correction (Vervangt) or withdrawn
 *    (Intrekking) is not passed, nor is the withdrawal itself, nor income
 *    of a BSN that is in no stand of the dossier;
 *  - one dossier (`betaalrun dossier`) or all of them, in id order;
 *  - the settings: configured values, startmaand from the settings file,
 *    else the month itself when no run was ever prepared;
 *  - the limits: a dossier with more grants, claims or third parties than
 *    the engine takes must be an error, never cut silently.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "date.h"
#include "home_fixture.h"
#include "settle_store.h"

#include "banned.h"

static int setup(void **state)
{
	static struct home_fx fx;
	static const struct fx_dossier d[] = {
		{ .nummer = "PW-0405-000001", .bsn = "100000009", .naam = "P. Jansen", .iban = "NL64ABNA0417164301" },
		{ .nummer = "PW-0405-000002", .bsn = "100000010", .naam = "A. de Vries", .iban = "NL37ABNA0417164302",
		  .partner_bsn = "100000022", .partner_naam = "B. de Vries" },
	};
	struct fx_text t = { 0 };
	struct intake_summary sum;

	if (home_open(&fx, "test_settle_store") < 0)
		return -1;
	fx_register(&t, "REG-1", "2026-10-27", "2026-10-27T18:00:00", d, 2);
	fx_drop(&fx, "register.xml", t.s);
	fx_text_free(&t);
	if (fx_ingest(&fx, &sum) < 0 || sum.ingested != 1)
		return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	return home_close(*state);
}

static int32_t month_ym(int y, int m)
{
	return month_of(date_from_ymd(y, m, 1));
}

/* Open a source for `month` with the derived settings, for `only` or all. */
static struct settle_source *open_source(struct home_fx *fx, int32_t month, const char *only)
{
	struct settle_settings set;
	struct settle_source *src = NULL;

	assert_int_equal(settle_settings_derive(&set, fx->st, &fx->cfg, month, &fx->err), 0);
	assert_int_equal(settle_source_open(&src, fx->st, month, &set, only, &fx->err), 0);
	return src;
}

static void test_income_records(void **state)
{
	struct home_fx *fx = *state;
	const struct fx_income recs[] = {
		/* the applicant: an original, then its correction */
		{ "P-A-1", "100000010", "ARBEID", "2026-10-01", "2026-10-31", "800.00", "80.00", NULL, 0 },
		{ "P-A-2", "100000010", "ARBEID", "2026-10-01", "2026-10-31", "900.00", "90.00", "P-A-1", 0 },
		/* the partner: one record kept, one withdrawn */
		{ "P-B-1", "100000022", "UITKERING", "2026-10-01", "2026-10-31", "400.00", "0.00", NULL, 0 },
		{ "P-B-2", "100000022", "ARBEID", "2026-09-01", "2026-09-30", "100.00", "0.00", NULL, 0 },
		{ "P-B-3", "100000022", "ARBEID", "2026-09-01", "2026-09-30", "0.00", "0.00", "P-B-2", 1 },
		/* someone in no dossier */
		{ "P-X-1", "100000034", "ARBEID", "2026-10-01", "2026-10-31", "999.00", "0.00", NULL, 0 },
	};
	struct fx_text t = { 0 };
	struct intake_summary sum;
	struct settle_source *src;
	struct settle_dossier_info info;
	struct settle_input in;
	long long a_id, b_id;
	size_t i;

	fx_polis(&t, "OIB-1", "2026-11-20T02:00:00", recs, 6);
	fx_drop(fx, "inkomen.xml", t.s);
	fx_text_free(&t);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	assert_int_equal(sum.ingested, 1);
	assert_int_equal(sum.unknown_bsn, 1);
	a_id = fx_count(fx, "SELECT id FROM persoon WHERE bsn = '100000010'");
	b_id = fx_count(fx, "SELECT id FROM persoon WHERE bsn = '100000022'");

	src = open_source(fx, month_ym(2026, 11), NULL);
	/* dossier 1, alone, has no income */
	assert_int_equal(settle_source_next(src, &info, &in, &fx->err), 1);
	assert_string_equal(info.nummer, "PW-0405-000001");
	assert_int_equal(in.n_incomes, 0);
	assert_int_equal(info.n_withdrawn, 0);
	assert_int_equal(in.n_stands, 1);
	assert_int_equal(in.stands[0].leefvorm, LEEFVORM_ALLEENSTAAND);
	assert_false(in.stands[0].has_partner);
	/* dossier 2: P-A-2 and P-B-1 only, ordered by period end */
	assert_int_equal(settle_source_next(src, &info, &in, &fx->err), 1);
	assert_string_equal(info.nummer, "PW-0405-000002");
	assert_string_equal(info.naam, "A. de Vries");
	assert_string_equal(info.iban, "NL37ABNA0417164302");
	assert_int_equal(in.regeling, REGELING_PW);
	assert_int_equal(in.ingangsdatum, date_from_ymd(2025, 1, 1));
	assert_int_equal(in.einddatum, DATE_NONE);
	assert_true(in.stands[0].has_partner);
	assert_int_equal(in.stands[0].aanvrager_id, a_id);
	assert_int_equal(in.stands[0].partner_id, b_id);
	assert_int_equal(in.stands[0].aanvrager_geb, date_from_ymd(1980, 5, 5));
	assert_int_equal(in.n_incomes, 2);
	/* no run before: the withdrawal arrived since, to be told */
	assert_int_equal(info.n_withdrawn, 1);
	assert_string_equal(info.withdrawn[0].opgave_id, "P-B-2");
	assert_int_equal(info.withdrawn[0].month, month_ym(2026, 9));
	assert_int_equal(info.withdrawn[0].id, fx_count(fx, "SELECT id FROM inkomen WHERE opgave_id = 'P-B-3'"));
	for (i = 0; i < in.n_incomes; i++) {
		const struct settle_income *r = &in.incomes[i];
		if (strcmp(r->opgave_id, "P-A-2") == 0) {
			assert_int_equal(r->person_id, a_id);
			assert_int_equal(r->persoon, PERSON_AANVRAGER);
			assert_int_equal(r->soort, INKOMEN_ARBEID);
			assert_int_equal(r->ln_lb_ph_cents, 90000);
			assert_int_equal(r->ing_lb_ph_cents, 9000);
			assert_int_equal(r->dat_eind_tv, date_from_ymd(2026, 10, 31));
		} else {
			assert_string_equal(r->opgave_id, "P-B-1");
			assert_int_equal(r->person_id, b_id);
			assert_int_equal(r->persoon, PERSON_PARTNER);
			assert_int_equal(r->soort, INKOMEN_UITKERING);
			assert_int_equal(r->ln_lb_ph_cents, 40000);
		}
	}
	assert_int_equal(settle_source_next(src, &info, &in, &fx->err), 0);
	settle_source_free(src);

	/* one dossier by number; an unknown number gives none */
	src = open_source(fx, month_ym(2026, 11), "PW-0405-000002");
	assert_int_equal(settle_source_next(src, &info, &in, &fx->err), 1);
	assert_string_equal(info.nummer, "PW-0405-000002");
	assert_int_equal(settle_source_next(src, &info, &in, &fx->err), 0);
	settle_source_free(src);
	src = open_source(fx, month_ym(2026, 11), "PW-0405-999999");
	assert_int_equal(settle_source_next(src, &info, &in, &fx->err), 0);
	settle_source_free(src);
}

/* The engine gets the records ordered by period end, then arrival, across
 * applicant and partner; a record named by a Vervangt that arrived in an
 * earlier file (a late original) is left out as one named later is. */
static void test_income_order_and_late_original(void **state)
{
	struct home_fx *fx = *state;
	const struct fx_income first[] = {
		/* the correction of P-L-1 comes before P-L-1 itself */
		{ "P-L-2", "100000010", "ARBEID", "2026-08-01", "2026-08-31", "500.00", "0.00", "P-L-1", 0 },
		{ "P-O-3", "100000022", "ARBEID", "2026-09-01", "2026-09-30", "30.00", "0.00", NULL, 0 },
		{ "P-O-1", "100000010", "ARBEID", "2026-10-01", "2026-10-31", "10.00", "0.00", NULL, 0 },
	};
	const struct fx_income second[] = {
		{ "P-L-1", "100000010", "ARBEID", "2026-08-01", "2026-08-31", "400.00", "0.00", NULL, 0 },
		{ "P-O-2", "100000022", "ARBEID", "2026-10-01", "2026-10-31", "20.00", "0.00", NULL, 0 },
		{ "P-O-0", "100000010", "ARBEID", "2026-07-01", "2026-07-31", "5.00", "0.00", NULL, 0 },
	};
	/* by period end (Jul, Aug, Sep, Oct, Oct), the two October records
	 * in arrival order although the later one sorts first by name */
	static const char *const want[] = { "P-O-0", "P-L-2", "P-O-3", "P-O-1", "P-O-2" };
	struct fx_text t = { 0 };
	struct intake_summary sum;
	struct settle_source *src;
	struct settle_dossier_info info;
	struct settle_input in;
	size_t i;

	fx_polis(&t, "OIB-1", "2026-11-20T02:00:00", first, 3);
	fx_drop(fx, "inkomen-1.xml", t.s);
	fx_text_free(&t);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	fx_polis(&t, "OIB-2", "2026-11-21T02:00:00", second, 3);
	fx_drop(fx, "inkomen-2.xml", t.s);
	fx_text_free(&t);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM inkomen"), 6);

	src = open_source(fx, month_ym(2026, 11), "PW-0405-000002");
	assert_int_equal(settle_source_next(src, &info, &in, &fx->err), 1);
	assert_int_equal(in.n_incomes, 5);
	for (i = 0; i < in.n_incomes; i++)
		assert_string_equal(in.incomes[i].opgave_id, want[i]);
	assert_int_equal(in.incomes[1].ln_lb_ph_cents, 50000);
	assert_int_equal(in.incomes[2].persoon, PERSON_PARTNER);
	assert_int_equal(in.incomes[3].persoon, PERSON_AANVRAGER);
	settle_source_free(src);
}

/* A run row as payrun.c records it, with the income it saw. */
static void add_run(struct home_fx *fx, int id, const char *maand, int aanvullend, const char *status, int upto)
{
	char sql[600];

	snprintf(sql, sizeof(sql), "INSERT INTO run (id, msg_id, maand, aanvullend, status, aangemaakt, uitvoerdatum,"
		 " startmaand, regels_sha256, pain_versie, map, inkomen_tot) VALUES (%d, 'M%d', '%s', %d, '%s',"
		 " '2026-11-22T09:00:00', '2026-11-25', '2026-10', printf('%%064d', 0), '001.001.09', 'out/M%d', %d)",
		 id, id, maand, aanvullend, status, id, upto);
	fx_exec(fx, sql);
}

/* Which records an earlier run saw (rules.md §5: income arriving for an
 * IOAW/IOAZ/Bbz dossier opens a job once): those up to the mark of the
 * latest run, regular or supplementary, for a month up to the run month
 * that still stands; a superseded or cancelled run, or one for a later
 * month, does not count. */
static void test_income_seen(void **state)
{
	struct home_fx *fx = *state;
	const struct fx_income first[] = {
		{ "S-1", "100000010", "ARBEID", "2026-08-01", "2026-08-31", "10.00", "0.00", NULL, 0 },
		{ "S-2", "100000010", "ARBEID", "2026-09-01", "2026-09-30", "20.00", "0.00", NULL, 0 },
	};
	const struct fx_income second[] = {
		{ "S-3", "100000010", "ARBEID", "2026-09-01", "2026-09-30", "25.00", "0.00", "S-2", 0 },
		{ "S-4", "100000010", "ARBEID", "2026-10-01", "2026-10-31", "30.00", "0.00", NULL, 0 },
	};
	static const struct { int32_t month; const char *want; } cases[] = {
		{ 2026 * 12 + 8, "S-1:0 S-3:0 S-4:0" },   /* 2026-09: no run before */
		{ 2026 * 12 + 9, "S-1:1 S-3:1 S-4:0" },   /* 2026-10: supplementary run 2 saw 1 to 3 */
		{ 2026 * 12 + 10, "S-1:1 S-3:1 S-4:0" },  /* 2026-11: not runs 3 and 4, which saw all */
		{ 2026 * 12 + 11, "S-1:1 S-3:1 S-4:1" },  /* 2026-12: run 6 saw all four */
	};
	struct fx_text t = { 0 };
	struct intake_summary sum;
	size_t c, i;

	fx_polis(&t, "OIB-S1", "2026-11-20T02:00:00", first, 2);
	fx_drop(fx, "inkomen-1.xml", t.s);
	fx_text_free(&t);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	fx_polis(&t, "OIB-S2", "2026-11-21T02:00:00", second, 2);
	fx_drop(fx, "inkomen-2.xml", t.s);
	fx_text_free(&t);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	assert_int_equal(fx_count(fx, "SELECT max(id) FROM inkomen"), 4);
	add_run(fx, 1, "2026-10", 0, "RELEASED", 2);
	add_run(fx, 2, "2026-10", 1, "RELEASED", 3);    /* supplementary */
	add_run(fx, 3, "2026-11", 0, "SUPERSEDED", 4);
	add_run(fx, 4, "2026-11", 0, "CANCELLED", 4);
	add_run(fx, 5, "2026-11", 0, "APPROVED", 3);
	add_run(fx, 6, "2026-12", 0, "PREPARED", 4);

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct settle_source *src = open_source(fx, cases[c].month, "PW-0405-000002");
		struct settle_dossier_info info;
		struct settle_input in;
		char got[200] = "";

		assert_int_equal(settle_source_income_upto(src), 4);
		assert_int_equal(settle_source_next(src, &info, &in, &fx->err), 1);
		for (i = 0; i < in.n_incomes; i++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s:%d", i ? " " : "",
				 in.incomes[i].opgave_id, in.incomes[i].gezien);
		assert_string_equal(got, cases[c].want);
		settle_source_free(src);
	}
}

/* Every dossier's income input and withdrawals as text, for comparing. */
static char *dump_inputs(struct home_fx *fx, int32_t month)
{
	struct settle_source *src = open_source(fx, month, NULL);
	struct settle_dossier_info info;
	struct settle_input in;
	struct fx_text t = { 0 };
	size_t i;

	while (settle_source_next(src, &info, &in, &fx->err) == 1) {
		fx_addf(&t, "%s:", info.nummer);
		for (i = 0; i < in.n_incomes; i++) {
			const struct settle_income *r = &in.incomes[i];
			fx_addf(&t, " %s/%s/%lld/%d/%d/%d/%d/%d/%lld/%lld/%lld/%lld/%lld/%lld", r->opgave_id, r->lhnr,
				(long long)r->person_id, r->persoon, r->soort, r->dat_aanv_tv, r->dat_eind_tv, r->gezien,
				(long long)r->ln_lb_ph_cents, (long long)r->vak_bsl_cents,
				(long long)r->wrd_pr_gebr_aut_cents, (long long)r->ing_lb_ph_cents,
				(long long)r->bijdr_zvw_cents, (long long)r->pr_wga_whk_wn_cents);
		}
		for (i = 0; i < info.n_withdrawn; i++)
			fx_addf(&t, " -%s@%d", info.withdrawn[i].opgave_id, info.withdrawn[i].month);
		fx_addf(&t, "\n");
	}
	settle_source_free(src);
	return t.s;
}

/* The same, read from the income table alone (the packs set aside). */
static char *dump_unpacked(struct home_fx *fx, int32_t month)
{
	char *t;

	fx_exec(fx, "CREATE TEMP TABLE pak_aside AS SELECT * FROM inkomen_pak");
	fx_exec(fx, "DELETE FROM inkomen_pak");
	t = dump_inputs(fx, month);
	fx_exec(fx, "INSERT INTO inkomen_pak SELECT * FROM temp.pak_aside");
	fx_exec(fx, "DROP TABLE temp.pak_aside");
	return t;
}

/* Every dossier read as a run of `month` reads them, the packs made on
 * the way kept (as payrun does); the packs then, "bsn:tot:aantal ...". */
static const char *settle_and_keep(struct home_fx *fx, int32_t month)
{
	struct settle_source *src = open_source(fx, month, NULL);
	struct settle_dossier_info info;
	struct settle_input in;

	while (settle_source_next(src, &info, &in, &fx->err) == 1)
		;
	assert_int_equal(settle_source_keep_packs(src, &fx->err), 0);
	settle_source_free(src);
	return fx_text1(fx, "SELECT group_concat(bsn || ':' || tot || ':' || aantal, ' ') FROM inkomen_pak");
}

/*
 * issue 13: a person's records packed in one row (incomepack.h) give the
 * same input as the records themselves: after the packs are kept, and
 * after corrections, a withdrawal and new records arrive on top of them.
 * A pack holds exactly its person's rows up to its mark.
 */
static void test_income_packs(void **state)
{
	struct home_fx *fx = *state;
	const struct fx_income first[] = {
		{ "K-1", "100000010", "ARBEID", "2026-07-01", "2026-07-31", "100.00", "10.00", NULL, 0 },
		{ "K-2", "100000010", "ARBEID", "2026-08-01", "2026-08-31", "200.00", "20.00", NULL, 0 },
		{ "K-3", "100000010", "UITKERING", "2026-09-01", "2026-09-30", "300.00", "0.00", NULL, 0 },
		{ "K-4", "100000010", "ARBEID", "2026-08-01", "2026-08-31", "250.00", "25.00", "K-2", 0 },
		{ "K-5", "100000022", "ARBEID", "2026-09-01", "2026-09-30", "50.00", "0.00", NULL, 0 },
	};
	const struct fx_income second[] = {
		{ "K-6", "100000010", "ARBEID", "2026-07-01", "2026-07-31", "110.00", "11.00", "K-1", 0 },
		{ "K-7", "100000010", "UITKERING", "2026-09-01", "2026-09-30", "0.00", "0.00", "K-3", 1 },
		{ "K-8", "100000010", "ARBEID", "2026-10-01", "2026-10-31", "400.00", "40.00", NULL, 0 },
		{ "K-9", "100000022", "ARBEID", "2026-10-01", "2026-10-31", "60.00", "0.00", NULL, 0 },
	};
	struct fx_text t = { 0 };
	struct intake_summary sum;
	char *before, *after, *unpacked;

	fx_polis(&t, "OIB-K1", "2026-11-20T02:00:00", first, 5);
	fx_drop(fx, "inkomen-1.xml", t.s);
	fx_text_free(&t);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	add_run(fx, 1, "2026-10", 0, "RELEASED", 5);
	before = dump_inputs(fx, month_ym(2026, 11));
	/* the applicant's four records packed; the partner's one is too few */
	assert_string_equal(settle_and_keep(fx, month_ym(2026, 11)), "100000010:5:4");
	after = dump_inputs(fx, month_ym(2026, 11));
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* more arrive, replacing and withdrawing packed records */
	fx_polis(&t, "OIB-K2", "2026-11-21T02:00:00", second, 4);
	fx_drop(fx, "inkomen-2.xml", t.s);
	fx_text_free(&t);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	after = dump_inputs(fx, month_ym(2026, 11));
	unpacked = dump_unpacked(fx, month_ym(2026, 11));
	assert_string_equal(after, unpacked);
	free(unpacked);
	assert_non_null(strstr(after, " -K-3@"));
	assert_null(strstr(after, " K-1/"));
	assert_non_null(strstr(after, " K-6/"));
	free(after);

	/* packed again after a run that saw them: an old pack extended (three
	 * new records), the same input as from the table alone */
	add_run(fx, 2, "2026-11", 0, "RELEASED", 9);
	unpacked = dump_unpacked(fx, month_ym(2026, 12));
	assert_string_equal(settle_and_keep(fx, month_ym(2026, 12)), "100000010:9:7");
	/* the pack is its rows up to its mark, in id order */
	assert_string_equal(fx_text1(fx, "SELECT group_concat(opgave_id, ',') FROM (SELECT opgave_id FROM inkomen"
				     " WHERE bsn = '100000010' AND id <= 9 ORDER BY id)"), "K-1,K-2,K-3,K-4,K-6,K-7,K-8");
	after = dump_inputs(fx, month_ym(2026, 12));
	assert_string_equal(after, unpacked);
	free(after);
	free(unpacked);
}

static void test_settings(void **state)
{
	struct home_fx *fx = *state;
	struct settle_settings set;

	/* no startmaand configured, no run ever prepared: the month itself */
	assert_int_equal(settle_settings_derive(&set, fx->st, &fx->cfg, month_ym(2026, 11), &fx->err), 0);
	assert_int_equal(set.startmaand, month_ym(2026, 11));
	assert_int_equal(set.toerekening_dagen, 0);
	assert_int_equal(set.vt_uitbetaalmaand, 6);
	assert_int_equal(set.verrekentermijn, 6);
	assert_int_equal(set.beslagvrije_voet_pct, 95);
	assert_int_equal(set.bufferbudget, BUFFER_UIT);
	assert_int_equal(set.bufferbudget_ondergrens_pct, 95);
	/* every configured value is passed on */
	fx->cfg.startmaand = month_ym(2026, 7);
	snprintf(fx->cfg.toerekening, sizeof(fx->cfg.toerekening), "dagen");
	snprintf(fx->cfg.bufferbudget, sizeof(fx->cfg.bufferbudget), "voorstel");
	fx->cfg.vt_uitbetaalmaand = 5;
	fx->cfg.verrekentermijn_maanden = 12;
	fx->cfg.beslagvrije_voet_pct = 90;
	fx->cfg.bufferbudget_ondergrens_pct = 80;
	assert_int_equal(settle_settings_derive(&set, fx->st, &fx->cfg, month_ym(2026, 11), &fx->err), 0);
	assert_int_equal(set.startmaand, month_ym(2026, 7));
	assert_int_equal(set.toerekening_dagen, 1);
	assert_int_equal(set.vt_uitbetaalmaand, 5);
	assert_int_equal(set.verrekentermijn, 12);
	assert_int_equal(set.beslagvrije_voet_pct, 90);
	assert_int_equal(set.bufferbudget, BUFFER_VOORSTEL);
	assert_int_equal(set.bufferbudget_ondergrens_pct, 80);
}

/*
 * Give dossier 1's stand `n` rows in `table` (vrijlating, inhouding or
 * derde), as an older store or a hand edit could hold: the register parser
 * caps them (register.h), the store does not.
 */
static void overfill(struct home_fx *fx, const char *table, int n)
{
	char sql[1024];
	int i;

	assert_int_equal(store_exec(fx->st, "DELETE FROM vrijlating; DELETE FROM inhouding; DELETE FROM derde", &fx->err),
			 0);
	for (i = 0; i < n; i++) {
		if (strcmp(table, "vrijlating") == 0)
			snprintf(sql, sizeof(sql), "INSERT INTO vrijlating (stand, volgnr, code, persoon, ingangsdatum)"
				 " SELECT id, %d, 'N', 'AANVRAGER', '2026-%02d-01' FROM stand WHERE dossier = 1", i + 1,
				 1 + i % 12);
		else if (strcmp(table, "inhouding") == 0)
			snprintf(sql, sizeof(sql), "INSERT INTO inhouding (stand, volgnr, kenmerk, soort, saldo_cents,"
				 " termijn_cents) SELECT id, %d, 'TV-%d', 'TERUGVORDERING', 10000, 100 FROM stand"
				 " WHERE dossier = 1", i + 1, i + 1);
		else
			snprintf(sql, sizeof(sql), "INSERT INTO derde (stand, volgnr, kenmerk, naam, iban, bedrag_cents,"
				 " prioriteit, omschrijving) SELECT id, %d, 'D-%d', 'Derde', 'NL02RABO0123456789', 100, 1,"
				 " 'x' FROM stand WHERE dossier = 1", i + 1, i + 1);
		assert_int_equal(store_exec(fx->st, sql, &fx->err), 0);
	}
}

/* 1 when the source read dossier 1 with all `n` rows, 0 when it refused it
 * (an error, as it should), -1 when it cut them silently. */
static int read_overfilled(struct home_fx *fx, const char *table, int n)
{
	struct settle_source *src = open_source(fx, month_ym(2026, 11), "PW-0405-000001");
	struct settle_dossier_info info;
	struct settle_input in;
	int rc, got = 0;

	br_error_clear(&fx->err);
	rc = settle_source_next(src, &info, &in, &fx->err);
	if (rc == 1)
		got = strcmp(table, "vrijlating") == 0 ? in.stands[0].n_grants :
		      strcmp(table, "inhouding") == 0 ? (int)in.n_claims : (int)in.n_derden;
	settle_source_free(src);
	if (rc < 0) {
		assert_int_equal(fx->err.code, rc);
		assert_non_null(strstr(fx->err.msg, "PW-0405-000001"));
		return 0;
	}
	assert_int_equal(rc, 1);
	return got == n ? 1 : -1;
}

static void test_limits(void **state)
{
	static const struct {
		const char *table;
		int max;
	} limits[] = {
		{ "vrijlating", SETTLE_MAX_GRANTS },
		{ "inhouding", SETTLE_MAX_CLAIMS },
		{ "derde", SETTLE_MAX_DERDEN },
	};
	struct home_fx *fx = *state;
	size_t i;

	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		/* at the limit: all of them */
		overfill(fx, limits[i].table, limits[i].max);
		assert_int_equal(read_overfilled(fx, limits[i].table, limits[i].max), 1);
		/* one past it: refused with an error naming the dossier, never cut */
		overfill(fx, limits[i].table, limits[i].max + 1);
		assert_int_equal(read_overfilled(fx, limits[i].table, limits[i].max + 1), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_income_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_income_order_and_late_original, setup, teardown),
		cmocka_unit_test_setup_teardown(test_income_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_income_packs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

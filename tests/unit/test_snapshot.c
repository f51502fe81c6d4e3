/*
 * test_snapshot.c — which register values are in force when
 * (pipeline/snapshot.h, formats.md §1), on hand-made snapshots ingested
 * into a temporary data directory (home_fixture.h):
 *
 *  - a stand is valid from the first day of the month of its snapshot's
 *    peildatum, also when the change (partner, leefvorm, account) happened
 *    in the middle of the month;
 *  - a later snapshot in the same month replaces that month's stand;
 *  - a snapshot whose values did not change writes no stand;
 *  - snapshots are ordered by (peildatum, aanmaakdatum): one that is not
 *    newer than the one in force is refused as stale and changes nothing;
 *  - a dossier that disappears ends on the peildatum, and one that comes
 *    back is open again;
 *  - a dossier whose values did not change is not written at all: not its
 *    row, not its people (issue 13); one named twice in a later snapshot
 *    is still refused, and that snapshot changes nothing;
 *  - the register's Opschorting is a hold while the register has it: set
 *    again by each snapshot that has it (also unchanged, after an operator
 *    lifted it), lifted by the first that has not, and not set again by an
 *    unchanged snapshot without it;
 *  - the month's settlement sees the stand in force on its first day
 *    (settle_store.h: the claims of that stand);
 *  - randomized (test_random_registers): generated sequences of registers
 *    over a pool of dossiers that come and go, change account, partner,
 *    Ingangsdatum and Einddatum, listed in a different order each month,
 *    against a model of formats.md §1 written here (every dossier's row
 *    and stands after every snapshot); the failing seed is printed.
 *
 * Every expected stand below is derived by hand from the snapshots, or by
 * that model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bsn.h"
#include "date.h"
#include "home_fixture.h"
#include "settle_store.h"
#include "snapshot.h"

#include "banned.h"

static int setup(void **state)
{
	static struct home_fx fx;

	if (home_open(&fx, "test_snapshot") < 0)
		return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	return home_close(*state);
}

static const struct fx_dossier BASE = {
	.nummer = "PW-0405-000001", .bsn = "100000009", .naam = "P. Jansen", .iban = "NL64ABNA0417164301",
};

/* Two dossiers: BASE and a second one of another person. */
static void two_dossiers(struct fx_dossier two[2])
{
	two[0] = BASE;
	two[1] = BASE;
	two[1].nummer = "PW-0405-000002";
	two[1].bsn = "100000034";
}

/* Ingest one snapshot of `n` dossiers; the number of files quarantined. */
static int snap(struct home_fx *fx, const char *peil, const char *aanmaak, const struct fx_dossier *d, int n)
{
	struct fx_text t = { 0 };
	struct intake_summary sum;
	char id[64], name[64];

	snprintf(id, sizeof(id), "REG-%s-%.2s", peil, aanmaak + 11);
	snprintf(name, sizeof(name), "register-%s-%.2s.xml", peil, aanmaak + 11);
	fx_register(&t, id, peil, aanmaak, d, n);
	fx_drop(fx, name, t.s);
	fx_text_free(&t);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	assert_int_equal(sum.ingested + sum.quarantined, 1);
	return sum.quarantined;
}

/* The stands of dossier `nummer` as "vanaf leefvorm partner-bsn iban;..."
 * in vanaf order. */
static const char *stands(struct home_fx *fx, const char *nummer)
{
	char sql[1024];

	snprintf(sql, sizeof(sql),
		 "SELECT group_concat(x, ';') FROM (SELECT s.vanaf || ' ' || s.leefvorm || ' ' ||"
		 " coalesce(p.bsn, '-') || ' ' || s.iban AS x FROM stand s JOIN dossier d ON d.id = s.dossier"
		 " LEFT JOIN persoon p ON p.id = s.partner WHERE d.nummer = '%s' ORDER BY s.vanaf)",
		 nummer);
	return fx_text1(fx, sql);
}

static void test_partner_and_leefvorm_change(void **state)
{
	struct home_fx *fx = *state;
	struct fx_dossier d = BASE;

	assert_int_equal(snap(fx, "2026-09-27", "2026-09-27T18:00:00", &d, 1), 0);
	/* A partner moves in on 12 October; the October snapshot says so. */
	d.partner_bsn = "100000022";
	d.partner_naam = "M. Jansen";
	assert_int_equal(snap(fx, "2026-10-27", "2026-10-27T18:00:00", &d, 1), 0);
	/* They split up in November: alleenstaande ouder with a child. */
	d.partner_bsn = NULL;
	d.leefvorm = "ALLEENSTAANDE_OUDER";
	assert_int_equal(snap(fx, "2026-11-27", "2026-11-27T18:00:00", &d, 1), 0);
	assert_string_equal(stands(fx, "PW-0405-000001"),
			    "2026-09-01 ALLEENSTAAND - NL64ABNA0417164301;"
			    "2026-10-01 GEHUWD 100000022 NL64ABNA0417164301;"
			    "2026-11-01 ALLEENSTAANDE_OUDER - NL64ABNA0417164301");
}

static void test_account_change_mid_month(void **state)
{
	struct home_fx *fx = *state;
	struct fx_dossier d = BASE;

	assert_int_equal(snap(fx, "2026-10-27", "2026-10-27T18:00:00", &d, 1), 0);
	/* New account on 9 November: in force for all of November. */
	d.iban = "NL37ABNA0417164302";
	assert_int_equal(snap(fx, "2026-11-09", "2026-11-09T18:00:00", &d, 1), 0);
	assert_string_equal(stands(fx, "PW-0405-000001"),
			    "2026-10-01 ALLEENSTAAND - NL64ABNA0417164301;"
			    "2026-11-01 ALLEENSTAAND - NL37ABNA0417164302");
	/* Changed again on the 20th: the month's stand is replaced, not added. */
	d.iban = "NL10ABNA0417164303";
	assert_int_equal(snap(fx, "2026-11-20", "2026-11-20T18:00:00", &d, 1), 0);
	assert_string_equal(stands(fx, "PW-0405-000001"),
			    "2026-10-01 ALLEENSTAAND - NL64ABNA0417164301;"
			    "2026-11-01 ALLEENSTAAND - NL10ABNA0417164303");
	/* December: nothing changed, no stand written. */
	assert_int_equal(snap(fx, "2026-12-27", "2026-12-27T18:00:00", &d, 1), 0);
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM stand"), 2);
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM snapshot"), 4);
}

static void test_peildatum_ordering(void **state)
{
	struct home_fx *fx = *state;
	struct fx_dossier d = BASE;
	char *before, *after;

	assert_int_equal(snap(fx, "2026-11-27", "2026-11-27T18:00:00", &d, 1), 0);
	before = home_dump(fx);
	/* An older peildatum made later: stale (ordered by peildatum first). */
	d.iban = "NL37ABNA0417164302";
	assert_int_equal(snap(fx, "2026-11-26", "2026-11-28T08:00:00", &d, 1), 1);
	/* The same peildatum and aanmaakdatum: not newer, stale too. */
	assert_int_equal(snap(fx, "2026-11-27", "2026-11-27T18:00:00", &d, 1), 1);
	after = home_dump(fx);
	assert_string_equal(before, after);
	free(after);
	/* The same peildatum, made later: newer, accepted; it replaces the
	 * month's stand. */
	assert_int_equal(snap(fx, "2026-11-27", "2026-11-27T19:00:00", &d, 1), 0);
	assert_string_equal(stands(fx, "PW-0405-000001"), "2026-11-01 ALLEENSTAAND - NL37ABNA0417164302");
	free(before);
}

static void test_disappearing_dossier_ends(void **state)
{
	struct home_fx *fx = *state;
	struct fx_dossier two[2];

	two_dossiers(two);
	two[1].einde = "2026-10-15";
	assert_int_equal(snap(fx, "2026-10-27", "2026-10-27T18:00:00", two, 2), 0);
	two[0].einde = NULL;
	/* both gone from the November snapshot: the open one ends on the
	 * peildatum, the one that ended earlier keeps its Einddatum */
	assert_int_equal(snap(fx, "2026-11-27", "2026-11-27T18:00:00", NULL, 0), 0);
	assert_string_equal(fx_text1(fx, "SELECT group_concat(x, ';') FROM (SELECT nummer || '=' || einddatum AS x"
					 " FROM dossier ORDER BY nummer)"),
			    "PW-0405-000001=2026-11-27;PW-0405-000002=2026-10-15");
}

/* The row of dossier `nummer` as "einddatum beeindigd_door laatste_snapshot". */
static const char *row(struct home_fx *fx, const char *nummer)
{
	char sql[512];

	snprintf(sql, sizeof(sql),
		 "SELECT coalesce(einddatum, '-') || ' ' || coalesce(beeindigd_door, '-') || ' ' || laatste_snapshot"
		 " FROM dossier WHERE nummer = '%s'", nummer);
	return fx_text1(fx, sql);
}

static void test_unchanged_dossier_not_written(void **state)
{
	struct home_fx *fx = *state;
	struct fx_dossier two[2], dup[2];
	char *before, *after;

	two_dossiers(two);
	two[1].partner_bsn = "100000022";
	assert_int_equal(snap(fx, "2026-10-27", "2026-10-27T18:00:00", two, 2), 0);
	/* no trigger may change what is compared below: count the writes */
	fx_exec(fx, "CREATE TEMP TABLE writes (t TEXT)");
	fx_exec(fx, "CREATE TEMP TRIGGER w_dossier AFTER UPDATE ON dossier BEGIN"
		    " INSERT INTO writes VALUES ('dossier ' || new.nummer); END");
	fx_exec(fx, "CREATE TEMP TRIGGER w_persoon AFTER UPDATE ON persoon BEGIN"
		    " INSERT INTO writes VALUES ('persoon ' || new.bsn); END");
	/* November: the second dossier's account changes, the first not */
	two[1].iban = "NL37ABNA0417164302";
	assert_int_equal(snap(fx, "2026-11-27", "2026-11-27T18:00:00", two, 2), 0);
	assert_string_equal(stands(fx, "PW-0405-000001"), "2026-10-01 ALLEENSTAAND - NL64ABNA0417164301");
	assert_string_equal(stands(fx, "PW-0405-000002"),
			    "2026-10-01 GEHUWD 100000022 NL64ABNA0417164301;"
			    "2026-11-01 GEHUWD 100000022 NL37ABNA0417164302");
	/* neither row changed (same dates, not ended), and the people of the
	 * changed stand are the same: nothing was rewritten */
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM temp.writes"), 0);
	assert_string_equal(row(fx, "PW-0405-000001"), "- - 1");
	/* a new Einddatum rewrites the row, and only that one */
	two[0].einde = "2027-01-31";
	assert_int_equal(snap(fx, "2026-12-27", "2026-12-27T18:00:00", two, 2), 0);
	assert_string_equal(fx_text1(fx, "SELECT group_concat(t, ';') FROM temp.writes"), "dossier PW-0405-000001");
	assert_string_equal(row(fx, "PW-0405-000001"), "2027-01-31 - 3");
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM stand"), 3);

	/* the first dossier twice in January: refused, nothing changes */
	dup[0] = two[0];
	dup[1] = two[0];
	before = home_dump(fx);
	assert_int_equal(snap(fx, "2027-01-27", "2027-01-27T18:00:00", dup, 2), 1);
	after = home_dump(fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_dossier_comes_back(void **state)
{
	struct home_fx *fx = *state;
	struct fx_dossier two[2];

	two_dossiers(two);
	assert_int_equal(snap(fx, "2026-10-27", "2026-10-27T18:00:00", two, 2), 0);
	/* the second dossier is missing in November: it ends on the peildatum */
	assert_int_equal(snap(fx, "2026-11-27", "2026-11-27T18:00:00", two, 1), 0);
	assert_string_equal(row(fx, "PW-0405-000002"), "2026-11-27 2 1");
	assert_string_equal(row(fx, "PW-0405-000001"), "- - 1");
	assert_int_equal(fx_count(fx, "SELECT beeindigd FROM snapshot WHERE id = 2"), 1);
	/* back in December with unchanged values: open again, no new stand */
	assert_int_equal(snap(fx, "2026-12-27", "2026-12-27T18:00:00", two, 2), 0);
	assert_string_equal(row(fx, "PW-0405-000002"), "- - 3");
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM stand"), 2);
	assert_int_equal(fx_count(fx, "SELECT beeindigd FROM snapshot WHERE id = 3"), 0);
}

/* The register holds of dossier 1 as "vanaf reden opgeheven_door;..." by id. */
static const char *holds(struct home_fx *fx)
{
	return fx_text1(fx, "SELECT group_concat(x, ';') FROM (SELECT vanaf || ' ' || reden || ' ' ||"
			    " coalesce(opgeheven_door, '-') AS x FROM opschorting WHERE bron = 'REGISTER' ORDER BY id)");
}

static void test_register_hold(void **state)
{
	struct home_fx *fx = *state;
	struct fx_dossier d = BASE;

	d.extra = "    <Opschorting vanaf=\"2026-10-05\" reden=\"adres onbekend\"/>\n";
	assert_int_equal(snap(fx, "2026-10-27", "2026-10-27T18:00:00", &d, 1), 0);
	assert_string_equal(holds(fx), "2026-10-05 adres onbekend -");
	/* unchanged in November: the hold stays the one hold */
	assert_int_equal(snap(fx, "2026-11-27", "2026-11-27T18:00:00", &d, 1), 0);
	assert_string_equal(holds(fx), "2026-10-05 adres onbekend -");
	/* an operator lifts it; the December register, unchanged, still holds
	 * the dossier: set again */
	fx_exec(fx, "UPDATE opschorting SET opgeheven = '2026-12-01', opgeheven_door = 'consulent'");
	assert_int_equal(snap(fx, "2026-12-27", "2026-12-27T18:00:00", &d, 1), 0);
	assert_string_equal(holds(fx), "2026-10-05 adres onbekend consulent;2026-10-05 adres onbekend -");
	/* January without it: lifted by the register; February, unchanged
	 * without it: nothing set again */
	d.extra = NULL;
	assert_int_equal(snap(fx, "2027-01-27", "2027-01-27T18:00:00", &d, 1), 0);
	assert_string_equal(holds(fx), "2026-10-05 adres onbekend consulent;"
				       "2026-10-05 adres onbekend register REG-2027-01-27-18");
	assert_int_equal(snap(fx, "2027-02-27", "2027-02-27T18:00:00", &d, 1), 0);
	assert_string_equal(holds(fx), "2026-10-05 adres onbekend consulent;"
				       "2026-10-05 adres onbekend register REG-2027-01-27-18");
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM stand"), 2);
}

/* The settlement of a month sees the claims of the stand in force on its
 * first day: October's claim for October, November's for November. */
static void test_claims_of_stand_in_force(void **state)
{
	struct home_fx *fx = *state;
	struct fx_dossier d = BASE;
	struct settle_settings set;
	struct settle_source *src = NULL;
	struct settle_dossier_info info;
	struct settle_input in;
	int32_t month;

	d.extra = "    <Inhouding>\n      <Kenmerk>TV-OKT</Kenmerk>\n      <Soort>TERUGVORDERING</Soort>\n"
		  "      <Saldo>100.00</Saldo>\n      <Termijn>10.00</Termijn>\n    </Inhouding>\n";
	assert_int_equal(snap(fx, "2026-10-27", "2026-10-27T18:00:00", &d, 1), 0);
	d.extra = "    <Inhouding>\n      <Kenmerk>BT-NOV</Kenmerk>\n      <Soort>BOETE</Soort>\n"
		  "      <Saldo>50.00</Saldo>\n      <Termijn>5.00</Termijn>\n    </Inhouding>\n";
	d.iban = "NL37ABNA0417164302";
	assert_int_equal(snap(fx, "2026-11-15", "2026-11-15T18:00:00", &d, 1), 0);

	for (month = month_of(date_from_ymd(2026, 10, 1)); month <= month_of(date_from_ymd(2026, 11, 1)); month++) {
		int oct = month == month_of(date_from_ymd(2026, 10, 1));

		assert_int_equal(settle_settings_derive(&set, fx->st, &fx->cfg, month, &fx->err), 0);
		assert_int_equal(settle_source_open(&src, fx->st, month, &set, NULL, &fx->err), 0);
		assert_int_equal(settle_source_next(src, &info, &in, &fx->err), 1);
		assert_int_equal(in.n_stands, 2);
		assert_int_equal(in.stands[0].vanaf, date_from_ymd(2026, 10, 1));
		assert_int_equal(in.stands[1].vanaf, date_from_ymd(2026, 11, 1));
		assert_int_equal(in.n_claims, 1);
		assert_string_equal(in.claims[0].kenmerk, oct ? "TV-OKT" : "BT-NOV");
		assert_int_equal(in.claims[0].saldo_cents, oct ? 10000 : 5000);
		assert_int_equal(in.claims[0].termijn_cents, oct ? 1000 : 500);
		/* the account is the latest stand's (the one paid to) */
		assert_string_equal(info.iban, "NL37ABNA0417164302");
		assert_int_equal(settle_source_next(src, &info, &in, &fx->err), 0);
		settle_source_free(src);
		src = NULL;
	}
}

/* ---- randomized against a model -------------------------------------- */

#define R_POOL 40      /* dossiers; fewer than 50 active, so no shrink guard */
#define R_SNAPS 7      /* monthly snapshots per seed */

static const char *const R_IBAN[] = { "NL91ABNA0417164300", "NL64ABNA0417164301", "NL37ABNA0417164302",
				      "NL10ABNA0417164303", "NL80ABNA0417164304" };
/* two are peildatums: a dossier that ends on one and is absent from that
 * snapshot is not ended again, and one ended by absence that comes back
 * with that date must still lose beeindigd_door */
static const char *const R_EINDE[] = { NULL, "2026-12-31", "2027-02-28", "2027-06-30", "2026-12-27",
				       "2027-02-27" };
static const char *const R_INGANG[] = { "2025-01-01", "2026-06-01" };

/* One dossier: what the register says this month, and what formats.md §1
 * says the store must then hold (the model). */
struct r_dossier {
	char nummer[24], bsn[16], partner_bsn[16];
	int present, partner, iban;
	const char *ingang, *einde;
	/* the model */
	int known;                      /* the store has the dossier */
	const char *row_ingang;         /* its row as last written */
	char row_einde[DATE_FMT_MAX];   /* "" when none */
	int ended_by, written;          /* beeindigd_door, laatste_snapshot */
	char last[96];                  /* its latest stand: "leefvorm partner iban" */
	char stands[1024];              /* as stands() shows them */
};

static uint64_t r_next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static int r_chance(uint64_t *x, int pct)
{
	return (int)(r_next(x) % 100) < pct;
}

/* The next valid BSN from *from on. */
static void r_bsn(char out[16], int *from)
{
	do
		snprintf(out, 16, "%09d", (*from)++);
	while (!bsn_valid(out, 9));
}

/* This month's register values: some dossiers come or go, some change. */
static void r_month(struct r_dossier *d, uint64_t *x, int first)
{
	int i;

	for (i = 0; i < R_POOL; i++) {
		struct r_dossier *p = &d[i];

		p->present = first ? r_chance(x, 75) : p->present ? !r_chance(x, 12) : r_chance(x, 40);
		if (r_chance(x, 20))
			p->iban = (int)(r_next(x) % 5);
		if (r_chance(x, 10))
			p->partner = !p->partner;
		if (r_chance(x, 15))
			p->einde = R_EINDE[r_next(x) % 6];
		if (r_chance(x, 8))
			p->ingang = R_INGANG[r_next(x) % 2];
	}
}

/* The model (formats.md §1) for snapshot `sid` with peildatum `peil`. */
static void r_model(struct r_dossier *d, int sid, const char *peil)
{
	char vanaf[DATE_FMT_MAX], key[96];
	int i;

	snprintf(vanaf, sizeof(vanaf), "%.8s01", peil);
	for (i = 0; i < R_POOL; i++) {
		struct r_dossier *p = &d[i];
		const char *einde = p->einde ? p->einde : "";

		if (!p->present) {
			/* absent: ends on the peildatum unless it ended on or before it */
			if (p->known && (!p->row_einde[0] || strcmp(p->row_einde, peil) > 0)) {
				snprintf(p->row_einde, sizeof(p->row_einde), "%s", peil);
				p->ended_by = sid;
			}
			continue;
		}
		/* the row: written when new, changed, or ended by absence */
		if (!p->known || p->ended_by || strcmp(p->row_ingang, p->ingang) != 0 ||
		    strcmp(p->row_einde, einde) != 0) {
			p->row_ingang = p->ingang;
			snprintf(p->row_einde, sizeof(p->row_einde), "%s", einde);
			p->ended_by = 0;
			p->written = sid;
		}
		/* a stand when the household values changed */
		snprintf(key, sizeof(key), "%s %s %s", p->partner ? "GEHUWD" : "ALLEENSTAAND",
			 p->partner ? p->partner_bsn : "-", R_IBAN[p->iban]);
		if (!p->known || strcmp(key, p->last) != 0) {
			size_t n = strlen(p->stands);
			snprintf(p->stands + n, sizeof(p->stands) - n, "%s%s %s", n ? ";" : "", vanaf, key);
			snprintf(p->last, sizeof(p->last), "%s", key);
		}
		p->known = 1;
	}
}

/* Snapshot `sid`: the present dossiers, in pool order or shuffled. */
static void r_snapshot(struct home_fx *fx, struct r_dossier *d, uint64_t *x, unsigned seed, int sid,
		       const char *peil)
{
	struct fx_dossier list[R_POOL];
	int order[R_POOL], n = 0, i;
	char aanmaak[32];

	for (i = 0; i < R_POOL; i++)
		order[i] = i;
	if (r_chance(x, 60))
		for (i = R_POOL - 1; i > 0; i--) {
			int j = (int)(r_next(x) % (uint64_t)(i + 1)), t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
	for (i = 0; i < R_POOL; i++) {
		const struct r_dossier *p = &d[order[i]];

		if (!p->present)
			continue;
		memset(&list[n], 0, sizeof(list[n]));
		list[n].nummer = p->nummer;
		list[n].bsn = p->bsn;
		list[n].naam = "P. Jansen";
		list[n].partner_bsn = p->partner ? p->partner_bsn : NULL;
		list[n].ingang = p->ingang;
		list[n].einde = p->einde;
		list[n].iban = R_IBAN[p->iban];
		n++;
	}
	snprintf(aanmaak, sizeof(aanmaak), "%sT18:00:00", peil);
	if (snap(fx, peil, aanmaak, list, n) != 0)
		fail_msg("seed %u, snapshot %d: quarantined (the reason is logged above)", seed, sid);
	r_model(d, sid, peil);
}

static void r_check(struct home_fx *fx, const struct r_dossier *d, unsigned seed, int sid)
{
	char want[128], by[16], sql[256];
	int i;

	for (i = 0; i < R_POOL; i++) {
		const struct r_dossier *p = &d[i];
		const char *got;

		if (!p->known) {
			snprintf(sql, sizeof(sql), "SELECT count(*) FROM dossier WHERE nummer = '%s'", p->nummer);
			if (fx_count(fx, sql) != 0)
				fail_msg("seed %u, snapshot %d: %s is in the store, the model has not seen it",
					 seed, sid, p->nummer);
			continue;
		}
		snprintf(by, sizeof(by), p->ended_by ? "%d" : "-", p->ended_by);
		snprintf(want, sizeof(want), "%s %s %d", p->row_einde[0] ? p->row_einde : "-", by, p->written);
		if (strcmp((got = row(fx, p->nummer)), want) != 0)
			fail_msg("seed %u, snapshot %d, %s: row '%s', model '%s'", seed, sid, p->nummer, got, want);
		if (strcmp((got = stands(fx, p->nummer)), p->stands) != 0)
			fail_msg("seed %u, snapshot %d, %s: stands '%s', model '%s'", seed, sid, p->nummer, got,
				 p->stands);
	}
}

static void test_random_registers(void **state)
{
	const char *env = getenv("SNAPSHOT_SEEDS");
	unsigned long n = env ? strtoul(env, NULL, 10) : 0;
	unsigned seeds = n > 0 && n < 100000 ? (unsigned)n : 40, seed;
	struct home_fx *fx = *state;

	for (seed = 1; seed <= seeds; seed++) {
		struct r_dossier d[R_POOL];
		uint64_t x = 0x9e3779b97f4a7c15ULL * seed;
		int next_bsn = 100000000;
		int i, m;

		memset(d, 0, sizeof(d));
		for (i = 0; i < R_POOL; i++) {
			snprintf(d[i].nummer, sizeof(d[i].nummer), "PW-0405-%06d", i + 1);
			r_bsn(d[i].bsn, &next_bsn);
			r_bsn(d[i].partner_bsn, &next_bsn);
			d[i].ingang = R_INGANG[0];
		}
		for (m = 0; m < R_SNAPS; m++) {
			char peil[DATE_FMT_MAX];

			snprintf(peil, sizeof(peil), "%04d-%02d-27", 2026 + (9 + m) / 12, (9 + m) % 12 + 1);
			r_month(d, &x, m == 0);
			r_snapshot(fx, d, &x, seed, m + 1, peil);
			r_check(fx, d, seed, m + 1);
		}
		/* a fresh store for the next seed */
		assert_int_equal(home_close(fx), 0);
		assert_int_equal(home_open(fx, "test_snapshot"), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_partner_and_leefvorm_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_account_change_mid_month, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peildatum_ordering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disappearing_dossier_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unchanged_dossier_not_written, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dossier_comes_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_hold, setup, teardown),
		cmocka_unit_test_setup_teardown(test_claims_of_stand_in_force, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_registers, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_settle_props.c — property tests of the settlement engine
 * (core/settle.h) against the specification's rules.md, over thousands of
 * generated dossiers.
 *
 * Every dossier comes from its own 64-bit seed, derived from one master
 * seed (splitmix64), so a failure is reproduced from two numbers:
 *
 *   BR_PROPS_SEED=0x...  master seed (default PROPS_SEED_DEFAULT)
 *   BR_PROPS_N=3000      dossiers per property
 *   BR_PROPS_CASE=i      run only case i (and print it, pass or fail)
 *
 * On a failure the test counts the failing dossiers per check, shrinks the
 * first failing dossier of every check (drops records, stands, ledger
 * months, ... as long as the same check still fails) and prints the seed,
 * the minimal dossier and the engine's month table for it.
 *
 * The oracles (norm, active days, income per month, vrijlating conditions)
 * are written from rules.md, not from settle.c.  No floating point: every
 * fraction is money_mul_ratio.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "error.h"
#include "money.h"
#include "rules_xml.h"
#include "settle.h"
#include "settle_record.h"
#include "specification.h"
#include "banned.h"

#define PROPS_SEED_DEFAULT UINT64_C(0x5e771e2025b37a1d)
#define PROPS_N_DEFAULT 10000

#define MAX_STANDS 3
#define MAX_INC 96
#define MAX_PAID 48
#define MAX_GAPS 2
#define MAX_CLAIMS 3
#define MAX_DERDEN 4
#define ID_MAX 24
#define MSG_MAX 600
#define MAX_TAGS 64
#define SHRINK_ROUNDS 60
#define N_STATS 6

/* ---- deterministic PRNG: splitmix64 ------------------------------------ */

static uint64_t sm_next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi] (lo when hi <= lo). */
static int64_t rnd(uint64_t *s, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)(sm_next(s) % (uint64_t)(hi - lo + 1));
}

static int chance(uint64_t *s, int pct)
{
	return (int)(sm_next(s) % 100) < pct;
}

static int32_t rnd_day(uint64_t *s, int32_t lo, int32_t hi)
{
	return (int32_t)rnd(s, lo, hi);
}

static uint64_t case_seed(uint64_t master, long i)
{
	uint64_t s = master + (uint64_t)i * UINT64_C(0xD1B54A32D192ED03);

	return sm_next(&s);
}

static int32_t ym(int y, int m)
{
	return (int32_t)(y * 12 + (m - 1));
}

static int32_t max32(int32_t a, int32_t b) { return a > b ? a : b; }
static int32_t min32(int32_t a, int32_t b) { return a < b ? a : b; }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

static int32_t end_or_max(int32_t d)
{
	return d == DATE_NONE ? INT32_MAX : d;
}

static int overlap_days(int32_t a, int32_t b, int32_t c, int32_t d)
{
	int32_t lo = max32(a, c), hi = min32(b, d);

	return hi >= lo ? (int)(hi - lo + 1) : 0;
}

/* ---- a generated dossier ------------------------------------------------- */

struct dossier {
	uint64_t seed;              /* this dossier's own seed */
	uint64_t aux;               /* extra randomness for a property (P2) */
	long index;                 /* case number under the master seed */
	enum settle_regeling regeling;
	int32_t ingangsdatum, einddatum;
	int64_t vt_cutover_cents, vt_cutover_paid_cents;
	int n_stands;
	struct settle_stand stands[MAX_STANDS];
	int n_inc;
	struct settle_income inc[MAX_INC];
	char opgave[MAX_INC][ID_MAX];
	char lhnr[MAX_INC][ID_MAX];
	int n_paid;
	struct settle_paid paid[MAX_PAID];
	int n_gaps;
	struct settle_gap gaps[MAX_GAPS];
	int n_claims;
	struct settle_claim claims[MAX_CLAIMS];
	int n_derden;
	struct settle_derde derden[MAX_DERDEN];
	struct settle_settings set;
	int32_t run_month;
	struct settle_input in;     /* bound to the arrays above by dossier_bind */
};

struct ctx {
	struct rules rules;
	uint64_t seed;
	long n;
	long only;                  /* -1, or the one case to run */
	struct settle_result r1, r2, rsim;
	struct dossier cur, tmp, tmp2, sim, best, cand;
	struct br_error err;
	/* per property: counters printed in the summary */
	long stat[N_STATS];
	const char *stat_name[N_STATS];
	/* per property: failing dossiers per check, the first few case numbers */
	long tag_fail[MAX_TAGS];
	long tag_case[MAX_TAGS][8];
	char tag_name[MAX_TAGS][40];
};

/* Point the settle_input and the borrowed strings at the dossier's arrays
 * (needed after every copy of a dossier). */
static const struct settle_input *dossier_bind(struct dossier *d)
{
	int i;

	for (i = 0; i < d->n_inc; i++) {
		d->inc[i].opgave_id = d->opgave[i];
		d->inc[i].lhnr = d->lhnr[i];
	}
	memset(&d->in, 0, sizeof(d->in));
	d->in.regeling = d->regeling;
	d->in.ingangsdatum = d->ingangsdatum;
	d->in.einddatum = d->einddatum;
	d->in.vt_cutover_cents = d->vt_cutover_cents;
	d->in.vt_cutover_paid_cents = d->vt_cutover_paid_cents;
	d->in.stands = d->stands;
	d->in.n_stands = (size_t)d->n_stands;
	d->in.incomes = d->inc;
	d->in.n_incomes = (size_t)d->n_inc;
	d->in.paid = d->paid;
	d->in.n_paid = (size_t)d->n_paid;
	d->in.gaps = d->gaps;
	d->in.n_gaps = (size_t)d->n_gaps;
	d->in.claims = d->claims;
	d->in.n_claims = (size_t)d->n_claims;
	d->in.derden = d->derden;
	d->in.n_derden = (size_t)d->n_derden;
	return &d->in;
}

static int run_settle(struct ctx *c, struct settle_result *r, struct dossier *d)
{
	const struct settle_input *in = dossier_bind(d);

	br_error_clear(&c->err);
	return settle_dossier(r, in, &c->rules, &d->set, d->run_month, &c->err);
}

static const struct settle_paid *ledger_find(const struct dossier *d, int32_t month)
{
	int i;

	for (i = 0; i < d->n_paid; i++)
		if (d->paid[i].month == month)
			return &d->paid[i];
	return NULL;
}

/* Add to the ledger of `month`, keeping it sorted. */
static int ledger_add(struct dossier *d, int32_t month, int64_t paid_cents, int64_t vt_cents)
{
	int i, j;

	for (i = 0; i < d->n_paid && d->paid[i].month < month; i++)
		;
	if (i < d->n_paid && d->paid[i].month == month) {
		d->paid[i].paid_cents += paid_cents;
		d->paid[i].vt_paid_cents += vt_cents;
		if (paid_cents > 0)
			d->paid[i].advanced = 1;
		return 0;
	}
	if (d->n_paid == MAX_PAID)
		return -1;
	for (j = d->n_paid; j > i; j--)
		d->paid[j] = d->paid[j - 1];
	d->paid[i].month = month;
	d->paid[i].paid_cents = paid_cents;
	d->paid[i].vt_paid_cents = vt_cents;
	d->paid[i].advanced = paid_cents > 0;
	d->n_paid++;
	return 0;
}

/*
 * Release a run: what the payment run books once the batch is approved
 * (settle.h "paid(k)"/"vtpaid(k)"): VOORSCHOT, VERSCHIL and VORDERING go
 * into paid(k), VT and VT_VORDERING into vtpaid(k), INHOUDING into the
 * claim's withheld (and its withheld in the run month), DERDEN marks the
 * third party paid for the run month.
 * The cut-over VT (booked by the engine on month startmaand − 1, with the
 * amount VtReservering − paid) is not a month's VT: it goes into
 * vt_cutover_paid, which the contract has no other source for.
 */
static int release(struct dossier *d, const struct settle_result *r)
{
	int64_t cut = 0;
	size_t i;

	if (r->vt_run && d->vt_cutover_cents - d->vt_cutover_paid_cents > 0)
		cut = d->vt_cutover_cents - d->vt_cutover_paid_cents;
	for (i = 0; i < r->n_bookings; i++) {
		const struct settle_booking *b = &r->bookings[i];

		switch (b->kind) {
		case BOOK_VOORSCHOT:
		case BOOK_VERSCHIL:
		case BOOK_VORDERING:
			if (ledger_add(d, b->month, b->amount_cents, 0) < 0)
				return -1;
			break;
		case BOOK_VT_VORDERING:
			if (ledger_add(d, b->month, 0, b->amount_cents) < 0)
				return -1;
			break;
		case BOOK_VT:
			if (cut > 0 && b->month == d->set.startmaand - 1 && b->amount_cents == cut) {
				d->vt_cutover_paid_cents += cut;
				cut = 0;
			} else if (ledger_add(d, b->month, 0, b->amount_cents) < 0) {
				return -1;
			}
			break;
		case BOOK_INHOUDING:
			if (b->ref >= 0 && b->ref < d->n_claims) {
				d->claims[b->ref].withheld_cents += b->amount_cents;
				if (b->month == r->run_month)
					d->claims[b->ref].withheld_run_month_cents += b->amount_cents;
			}
			break;
		case BOOK_DERDEN:
			if (b->ref >= 0 && b->ref < d->n_derden && b->month == r->run_month)
				d->derden[b->ref].paid_run_month = 1;
			break;
		case BOOK_CLIENT:
		case BOOK_BUFFER:   /* paid from the bufferbudget: not in paid(k) (settle.h) */
			break;
		}
	}
	return 0;
}

/* ---- oracles written from rules.md ---------------------------------------- */

/* formats.md §1: the register values in force on the month's first day
 * (stands start on a month's first day; before the first, the oldest). */
static const struct settle_stand *ref_stand(const struct dossier *d, int32_t k)
{
	const struct settle_stand *s = &d->stands[0];
	int32_t first = month_first_day(k);
	int i;

	for (i = 0; i < d->n_stands; i++)
		if (d->stands[i].vanaf <= first)
			s = &d->stands[i];
	return s;
}

static int ref_couple(const struct settle_stand *s)
{
	return s->leefvorm == LEEFVORM_GEHUWD && s->has_partner;
}

/* Active days of month k: Ingangsdatum..Einddatum minus periods without
 * right (rules.md §2 "Pro rata"); *first is the first active day
 * (its first day, or the Ingangsdatum within the month). */
static int ref_active(const struct dossier *d, int32_t k, int32_t *first)
{
	int32_t lo = max32(month_first_day(k), d->ingangsdatum);
	int32_t hi = min32(month_last_day(k), end_or_max(d->einddatum));
	int days, i;

	*first = hi >= lo ? lo : month_first_day(k);
	if (hi < lo)
		return 0;
	days = (int)(hi - lo + 1);
	for (i = 0; i < d->n_gaps; i++) /* generated gaps are disjoint */
		days -= overlap_days(lo, hi, d->gaps[i].van, d->gaps[i].tot);
	return days > 0 ? days : 0;
}

/* rules.md §2: 67 years for people born before 1961-01-01, 67 years and 3
 * months after. */
static int ref_at_aow(int32_t birth, int32_t on)
{
	int months = birth < date_from_ymd(1961, 1, 1) ? 67 * 12 : 67 * 12 + 3;

	return on >= date_add_months(birth, months);
}

/* The month's full household norm (before pro rata): rules.md §2 steps 1–2;
 * IOAW/IOAZ/BBZ: the VastBedrag (§5). */
static int64_t ref_full_norm(const struct dossier *d, const struct rule_set *rs,
			     const struct settle_stand *s, int32_t on)
{
	int couple = ref_couple(s), kind, age_a, age_p = 0, aow_a, aow_p = 0, aow;
	int64_t base, b;
	enum norm_cat cat;

	if (d->regeling != REGELING_PW)
		return s->has_vast_bedrag ? s->vast_bedrag_cents : 0;
	age_a = date_age_years(s->aanvrager_geb, on);
	aow_a = ref_at_aow(s->aanvrager_geb, on);
	if (couple) {
		age_p = date_age_years(s->partner_geb, on);
		aow_p = ref_at_aow(s->partner_geb, on);
	}
	kind = s->jongste_kind_geb != DATE_NONE && date_age_years(s->jongste_kind_geb, on) < 18;
	aow = aow_a || aow_p;
	if (!couple)
		cat = aow_a ? NORM_AOW_ALLEENSTAANDE : age_a < 21 ? NORM_JONG_ALLEENSTAANDE : NORM_ALLEENSTAANDE;
	else if (aow)
		cat = NORM_AOW_GEHUWDEN;
	else if (age_a < 21 && age_p < 21)
		cat = kind ? NORM_JONG_GEHUWDEN_KIND : NORM_JONG_GEHUWDEN;
	else if (age_a < 21 || age_p < 21)
		cat = kind ? NORM_JONG_GEMENGD_KIND : NORM_JONG_GEMENGD;
	else
		cat = NORM_GEHUWDEN;
	base = rs->norm_cents[cat];
	b = aow ? rs->norm_cents[NORM_AOW_GEHUWDEN] : rs->norm_cents[NORM_GEHUWDEN];
	/* art. 22a: applicant 21+, not a couple with a partner under 21 */
	if (age_a >= 21 && !(couple && age_p < 21)) {
		int a = 1 + (couple ? 1 : 0) + s->kostendelers;

		if ((!couple && a >= 2) || (couple && a >= 3)) {
			int64_t per_adult = money_mul_ratio(b, 40 + 30 * a, 100 * a);
			base = couple ? 2 * per_adult : per_adult;
		}
	}
	/* art. 27 woonkostenverlaging, not below zero */
	base -= money_mul_ratio(b, s->woonkostenverlaging_pct, 100);
	return base > 0 ? base : 0;
}

static int64_t ref_norm(const struct ctx *c, const struct dossier *d, int32_t k)
{
	const struct rule_set *rs = rules_for_month(&c->rules, k);
	int32_t first;
	int act = ref_active(d, k, &first);

	if (!rs || act == 0)
		return 0;
	return money_mul_ratio(ref_full_norm(d, rs, ref_stand(d, k), first), act, month_days(k));
}

static int64_t ref_net(const struct settle_income *r)
{
	return r->ln_lb_ph_cents - r->wrd_pr_gebr_aut_cents - r->ing_lb_ph_cents -
	       r->bijdr_zvw_cents - r->pr_wga_whk_wn_cents;
}

/*
 * rules.md §3: the part of a record counted in month k.  Only the part of
 * its period inside Ingangsdatum–Einddatum counts (by days); attributed to
 * the month of DatEindTv, or (toerekening = dagen) spread over the months
 * of that part by calendar days, the last month taking the rounding rest.
 */
static int64_t ref_counted(const struct dossier *d, const struct settle_income *r, int32_t k)
{
	int32_t lo = max32(r->dat_aanv_tv, d->ingangsdatum);
	int32_t hi = min32(r->dat_eind_tv, end_or_max(d->einddatum));
	int total = (int)(r->dat_eind_tv - r->dat_aanv_tv + 1);
	int inside = hi >= lo ? (int)(hi - lo + 1) : 0;
	int64_t net = ref_net(r), part, given = 0;
	int32_t m;

	if (inside <= 0 || total <= 0)
		return 0;
	part = inside == total ? net : money_mul_ratio(net, inside, total);
	if (!d->set.toerekening_dagen)
		return month_of(r->dat_eind_tv) == k ? part : 0;
	if (k < month_of(lo) || k > month_of(hi))
		return 0;
	if (k < month_of(hi))
		return money_mul_ratio(part, overlap_days(lo, hi, month_first_day(k), month_last_day(k)), inside);
	for (m = month_of(lo); m < k; m++)
		given += money_mul_ratio(part, overlap_days(lo, hi, month_first_day(m), month_last_day(m)), inside);
	return part - given;
}

/* Income and per-person ARBEID income of an active PW month k. */
static void ref_income(const struct dossier *d, int32_t k, int64_t *income, int64_t arbeid[2])
{
	const struct settle_stand *s = ref_stand(d, k);
	int i;

	*income = 0;
	arbeid[0] = arbeid[1] = 0;
	for (i = 0; i < d->n_inc; i++) {
		const struct settle_income *r = &d->inc[i];
		int64_t x;

		if (r->persoon == PERSON_PARTNER && !ref_couple(s))
			continue;
		x = ref_counted(d, r, k);
		*income += x;
		if (r->soort == INKOMEN_ARBEID)
			arbeid[r->persoon] += x;
	}
}

/* ---- the generator ------------------------------------------------------------ */

/* Someone exactly `age` years old on `on`. */
static int32_t birth_for_age(uint64_t *s, int32_t on, int age)
{
	int32_t latest = date_add_months(on, -12 * age);
	int32_t earliest = date_add_months(on, -12 * (age + 1)) + 1;

	return rnd_day(s, earliest, latest);
}

static int32_t gen_applicant_birth(uint64_t *s, int32_t ref)
{
	int band = (int)rnd(s, 0, 99);

	if (chance(s, 3)) { /* 29 February: AOW, 27 and 21 edges in non-leap years */
		static const int years[] = { 1960, 2000, 1964, 1956 };
		return date_from_ymd(years[rnd(s, 0, 3)], 2, 29);
	}
	if (band < 10)
		return birth_for_age(s, ref, (int)rnd(s, 18, 20));   /* jong; crosses 21 */
	if (band < 22)
		return birth_for_age(s, ref, (int)rnd(s, 25, 27));   /* crosses 27 (N, R) */
	if (band < 72)
		return birth_for_age(s, ref, (int)rnd(s, 21, 59));
	if (band < 85)
		return birth_for_age(s, ref, (int)rnd(s, 60, 66));
	return birth_for_age(s, ref, (int)rnd(s, 66, 70));       /* AOW age, or reaches it */
}

static void gen_grant(uint64_t *s, struct settle_grant *g, const struct settle_stand *st,
		      int32_t start_m, int32_t run_m)
{
	int w = (int)rnd(s, 0, 99);

	if (st->leefvorm == LEEFVORM_ALLEENSTAANDE_OUDER && chance(s, 40))
		g->code = VRIJ_R;
	else
		g->code = w < 30 ? VRIJ_N : w < 45 ? VRIJ_R : w < 60 ? VRIJ_Y : w < 75 ? VRIJ_Z :
			  w < 85 ? VRIJ_AA : w < 93 ? VRIJ_34A : VRIJ_34A_MU;
	g->persoon = ref_couple(st) && chance(s, 35) ? PERSON_PARTNER : PERSON_AANVRAGER;
	g->ingangsdatum = rnd_day(s, month_first_day(start_m - 14), month_last_day(run_m));
	if (chance(s, 40))
		g->ingangsdatum = month_first_day(month_of(g->ingangsdatum));
	g->einddatum = chance(s, 70) ? DATE_NONE : g->ingangsdatum + (int32_t)rnd(s, 27, 500);
	g->maanden_gebruikt = chance(s, 70) ? 0 : (int)rnd(s, 1, 14);
}

static void gen_partner(uint64_t *s, struct settle_stand *st, int32_t ref)
{
	int32_t lo = st->aanvrager_geb - 3650, hi = st->aanvrager_geb + 3650;
	int32_t adult = date_add_months(ref, -12 * 18);

	st->has_partner = 1;
	st->leefvorm = LEEFVORM_GEHUWD;
	if (hi > adult)
		hi = adult;
	if (lo > hi)
		lo = hi - 2000;
	st->partner_geb = rnd_day(s, lo, hi);
}

static void gen_child(uint64_t *s, struct settle_stand *st, int32_t ref, int adult)
{
	if (adult)
		st->jongste_kind_geb = birth_for_age(s, ref, (int)rnd(s, 18, 30));
	else if (chance(s, 30))
		st->jongste_kind_geb = birth_for_age(s, ref, (int)rnd(s, 11, 12)); /* R's edge */
	else if (chance(s, 15))
		st->jongste_kind_geb = birth_for_age(s, ref, 17);                  /* turns 18 */
	else
		st->jongste_kind_geb = birth_for_age(s, ref, (int)rnd(s, 0, 17));
}

static void gen_first_stand(uint64_t *s, struct dossier *d, struct settle_stand *st,
			    int32_t start_m, int32_t run_m)
{
	int32_t ref = month_first_day(start_m);
	int w = (int)rnd(s, 0, 99), i, n;

	memset(st, 0, sizeof(*st));
	st->aanvrager_geb = gen_applicant_birth(s, ref);
	st->jongste_kind_geb = DATE_NONE;
	st->partner_geb = DATE_NONE;
	if (w < 45) {
		st->leefvorm = LEEFVORM_ALLEENSTAAND;
		if (chance(s, 10))
			gen_child(s, st, ref, 1);
	} else if (w < 70) {
		st->leefvorm = LEEFVORM_ALLEENSTAANDE_OUDER;
		gen_child(s, st, ref, 0);
	} else {
		gen_partner(s, st, ref);
		if (chance(s, 50))
			gen_child(s, st, ref, 0);
		else if (chance(s, 10))
			gen_child(s, st, ref, 1);
	}
	/* a parent is at least 16 at the birth of the child */
	if (st->jongste_kind_geb != DATE_NONE &&
	    st->jongste_kind_geb < date_add_months(st->aanvrager_geb, 16 * 12))
		st->jongste_kind_geb = min32(ref, date_add_months(st->aanvrager_geb, 16 * 12) +
					     (int32_t)rnd(s, 0, 700));
	st->kostendelers = chance(s, 60) ? 0 : (int)rnd(s, 1, 4);
	st->woonkostenverlaging_pct = chance(s, 80) ? 0 : (int)rnd(s, 1, 20);
	if (d->regeling != REGELING_PW) {
		st->has_vast_bedrag = 1;
		st->vast_bedrag_cents = rnd(s, 80000, 220000);
	}
	n = chance(s, 45) ? (int)rnd(s, 1, 4) : 0;
	for (i = 0; i < n; i++)
		gen_grant(s, &st->grants[i], st, start_m, run_m);
	st->n_grants = n;
}

/* A later register snapshot: the previous values with a change or two. */
static void gen_next_stand(uint64_t *s, struct settle_stand *st, const struct settle_stand *prev,
			   int32_t start_m, int32_t run_m)
{
	int changes = (int)rnd(s, 1, 2), i;

	*st = *prev;
	for (i = 0; i < changes; i++) {
		switch (rnd(s, 0, 6)) {
		case 0:
			st->kostendelers = (int)rnd(s, 0, 4);
			break;
		case 1:
			st->woonkostenverlaging_pct = chance(s, 50) ? 0 : (int)rnd(s, 1, 20);
			break;
		case 2: /* a partner arrives or leaves */
			if (st->leefvorm == LEEFVORM_GEHUWD) {
				st->has_partner = 0;
				st->partner_geb = DATE_NONE;
				st->leefvorm = st->jongste_kind_geb != DATE_NONE ?
					LEEFVORM_ALLEENSTAANDE_OUDER : LEEFVORM_ALLEENSTAAND;
			} else {
				gen_partner(s, st, st->vanaf);
			}
			break;
		case 3: /* a child is born */
			st->jongste_kind_geb = st->vanaf - (int32_t)rnd(s, 0, 60);
			if (st->leefvorm == LEEFVORM_ALLEENSTAAND)
				st->leefvorm = LEEFVORM_ALLEENSTAANDE_OUDER;
			break;
		case 4:
			if (st->n_grants < SETTLE_MAX_GRANTS) {
				gen_grant(s, &st->grants[st->n_grants], st, start_m, run_m);
				st->n_grants++;
			}
			break;
		case 5:
			if (st->n_grants > 0)
				st->n_grants--;
			break;
		default:
			if (st->has_vast_bedrag)
				st->vast_bedrag_cents = rnd(s, 80000, 220000);
			break;
		}
	}
	/* a grant for the partner needs a partner */
	for (i = 0; i < st->n_grants; i++)
		if (st->grants[i].persoon == PERSON_PARTNER && !ref_couple(st))
			st->grants[i].persoon = PERSON_AANVRAGER;
}

static void add_record(struct dossier *d, uint64_t *s, int job, enum settle_person p,
		       enum settle_soort soort, int32_t aanv, int32_t eind, int64_t ln)
{
	struct settle_income *r;
	int i = d->n_inc;

	if (i == MAX_INC)
		return;
	r = &d->inc[i];
	memset(r, 0, sizeof(*r));
	r->persoon = p;
	r->soort = soort;
	r->dat_aanv_tv = aanv;
	r->dat_eind_tv = eind;
	r->gezien = chance(s, 40);  /* an earlier run saw it (settle.h) */
	if (chance(s, 4)) { /* a negative correction */
		r->ln_lb_ph_cents = -rnd(s, 1000, 60000);
	} else {
		if (chance(s, 4)) /* eindejaarsuitkering, extra periode */
			ln += rnd(s, 50000, 300000);
		r->ln_lb_ph_cents = ln + rnd(s, -ln / 10, ln / 10);
		r->ing_lb_ph_cents = r->ln_lb_ph_cents * rnd(s, 0, 30) / 100;
		r->vak_bsl_cents = chance(s, 60) ? r->ln_lb_ph_cents * 8 / 100 : 0;
		r->wrd_pr_gebr_aut_cents = chance(s, 5) ? rnd(s, 5000, 40000) : 0;
		r->bijdr_zvw_cents = chance(s, 10) ? rnd(s, 0, 5000) : 0;
		r->pr_wga_whk_wn_cents = chance(s, 30) ? rnd(s, 0, 1500) : 0;
	}
	snprintf(d->opgave[i], ID_MAX, "OP%ld-%d", d->index, i);
	snprintf(d->lhnr[i], ID_MAX, "L%d", job);
	d->n_inc++;
}

static void gen_incomes(uint64_t *s, struct dossier *d, int32_t start_m, int32_t run_m)
{
	int jobs = chance(s, 25) ? 0 : (int)rnd(s, 1, 3), j, any_couple = 0, i;
	int32_t known = month_last_day(chance(s, 10) ? run_m : run_m - 1);

	for (i = 0; i < d->n_stands; i++)
		any_couple |= ref_couple(&d->stands[i]);
	for (j = 0; j < jobs; j++) {
		enum settle_person p = any_couple && chance(s, 35) ? PERSON_PARTNER : PERSON_AANVRAGER;
		int w = (int)rnd(s, 0, 99), four = chance(s, 30);
		enum settle_soort soort = w < 60 ? INKOMEN_ARBEID : w < 80 ? INKOMEN_UITKERING :
					  w < 90 ? INKOMEN_PENSIOEN : INKOMEN_OVERIG;
		int32_t from = rnd_day(s, month_first_day(start_m - 4), month_last_day(run_m));
		int32_t until = chance(s, 70) ? INT32_MAX : from + (int32_t)rnd(s, 20, 400);
		int64_t ln = rnd(s, 15000, 250000);
		int32_t a, e;

		if (chance(s, 30))
			from = month_first_day(month_of(from));
		if (four) { /* four-weekly periods from the job's start */
			for (a = from; a <= known && a <= until; a += 28) {
				e = a + 27;
				if (e > known)
					break;
				add_record(d, s, j, p, soort, a, min32(e, until), ln);
			}
		} else {    /* calendar months, the first and last ones partial */
			int32_t m;

			for (m = month_of(from); month_first_day(m) <= min32(known, until); m++) {
				a = max32(month_first_day(m), from);
				e = min32(month_last_day(m), until);
				if (e > known)
					break;
				add_record(d, s, j, p, soort, a, e, ln);
			}
		}
	}
}

/* History as the engine made it: runs m0..M−1, each seeing the income
 * known by then (Polis data arrives the month after), released in turn. */
static void simulate_history(struct ctx *c, struct dossier *d)
{
	int32_t m0 = max32(d->set.startmaand, month_of(d->ingangsdatum)), j;
	int i, n;

	for (j = m0; j < d->run_month; j++) {
		struct dossier *h = &c->sim;

		*h = *d;
		h->run_month = j;
		for (i = 0, n = 0; i < d->n_inc; i++) {
			if (d->inc[i].dat_eind_tv > month_last_day(j - 1))
				continue;
			h->inc[n] = d->inc[i];
			memcpy(h->opgave[n], d->opgave[i], ID_MAX);
			memcpy(h->lhnr[n], d->lhnr[i], ID_MAX);
			n++;
		}
		h->n_inc = n;
		if (run_settle(c, &c->rsim, h) < 0)
			return;
		release(d, &c->rsim);
	}
}

/* Is there a VT run (VT month, or after the end) in (k, until]? */
static int vt_run_between(const struct dossier *d, int32_t k, int32_t until)
{
	int32_t j;

	for (j = k + 1; j <= until; j++)
		if ((j % 12) + 1 == d->set.vt_uitbetaalmaand ||
		    (d->einddatum != DATE_NONE && month_first_day(j) > d->einddatum))
			return 1;
	return 0;
}

static void gen_ledger(struct ctx *c, uint64_t *s, struct dossier *d)
{
	const struct rule_set *first_set = c->rules.n_sets ? &c->rules.sets[0] : NULL;
	int32_t first_rules = first_set ? month_of(first_set->geldig_vanaf) : d->set.startmaand;
	int32_t m0 = max32(d->set.startmaand, month_of(d->ingangsdatum)), k;
	int mode = (int)rnd(s, 0, 99);

	if (mode < 15) {
		/* never paid: the first run */
	} else if (mode < 40) {
		simulate_history(c, d);
	} else {
		int perturb = mode >= 70;

		for (k = m0; k < d->run_month; k++) {
			int64_t norm = ref_norm(c, d, k), adv, vt = 0;
			const struct rule_set *rs = rules_for_month(&c->rules, k);

			if (!rs)
				continue;
			adv = money_mul_ratio(norm, 95, 100);
			if (d->regeling != REGELING_PW)
				adv = norm;
			else if (vt_run_between(d, k, d->run_month - 1))
				vt = norm - adv; /* VT paid as if there were no income */
			if (perturb) {
				int w = (int)rnd(s, 0, 9);
				if (w == 0)
					adv = 0;                       /* held, never paid */
				else if (w == 1)
					adv += rnd(s, -30000, 30000);  /* a manual correction */
				else if (w == 2)
					adv *= 2;                      /* paid twice */
				if (chance(s, 10))
					vt += rnd(s, -3000, 3000);
			}
			if (adv || vt)
				ledger_add(d, k, adv, vt);
		}
		if (d->vt_cutover_cents && vt_run_between(d, d->set.startmaand - 1, d->run_month - 1) &&
		    !(perturb && chance(s, 30)))
			d->vt_cutover_paid_cents = d->vt_cutover_cents;
	}
	/* advances for months before the (corrected) Ingangsdatum */
	if (chance(s, 6)) {
		int32_t lo = max32(max32(d->set.startmaand, first_rules), month_of(d->ingangsdatum) - 2);
		for (k = lo; k < month_of(d->ingangsdatum) && k < d->run_month; k++)
			ledger_add(d, k, rnd(s, 50000, 140000), 0);
	}
	/* an advance paid for a month before startmaand */
	if (chance(s, 6)) {
		k = d->set.startmaand - (int32_t)rnd(s, 1, 3);
		if (k >= first_rules && k >= month_of(d->ingangsdatum) && !ledger_find(d, k)) {
			int64_t norm = ref_norm(c, d, k);
			int64_t adv = d->regeling == REGELING_PW ? money_mul_ratio(norm, 95, 100) : norm;
			if (adv)
				ledger_add(d, k, adv, 0);
		}
	}
}

static void gen_dossier(struct ctx *c, struct dossier *d, long index)
{
	uint64_t seed = case_seed(c->seed, index), sv = seed;
	uint64_t *s = &sv;
	int32_t start_m, run_m, last_run = ym(2027, 6), lo, hi;
	int w, i, n;

	memset(d, 0, sizeof(*d));
	d->seed = seed;
	d->index = index;
	d->aux = sm_next(s);
	/* settings (rules.md §6) */
	start_m = ym(2025, 7) + (int32_t)rnd(s, 0, 11);
	run_m = start_m + (int32_t)rnd(s, 0, min32(24, last_run - start_m));
	d->set.startmaand = start_m;
	d->run_month = run_m;
	d->set.toerekening_dagen = chance(s, 25);
	d->set.vt_uitbetaalmaand = chance(s, 85) ? 6 : (int)rnd(s, 1, 12);
	d->set.verrekentermijn = chance(s, 85) ? 6 : (int)rnd(s, 2, 12);
	d->set.beslagvrije_voet_pct = chance(s, 90) ? 95 : (int)rnd(s, 85, 100);
	w = (int)rnd(s, 0, 99);
	d->regeling = w < 85 ? REGELING_PW : w < 90 ? REGELING_IOAW : w < 95 ? REGELING_IOAZ : REGELING_BBZ;
	/* the benefit period */
	w = (int)rnd(s, 0, 99);
	if (w < 35) {
		d->ingangsdatum = rnd_day(s, date_from_ymd(2019, 1, 1), month_first_day(start_m) - 1);
	} else if (w < 97) {
		d->ingangsdatum = rnd_day(s, month_first_day(start_m - 3), month_last_day(run_m));
		if (w >= 75)
			d->ingangsdatum = month_first_day(month_of(d->ingangsdatum));
	} else {
		d->ingangsdatum = rnd_day(s, month_first_day(run_m + 1), month_last_day(run_m + 2));
	}
	d->einddatum = DATE_NONE;
	if (chance(s, 35)) {
		lo = d->ingangsdatum;
		hi = max32(lo, month_last_day(run_m + 2));
		d->einddatum = rnd_day(s, lo, hi);
		if (chance(s, 30))
			d->einddatum = max32(lo, month_last_day(month_of(d->einddatum)));
	}
	/* register snapshots */
	n = 1 + (chance(s, 40) ? (int)rnd(s, 1, 2) : 0);
	gen_first_stand(s, d, &d->stands[0], start_m, run_m);
	d->stands[0].vanaf = month_first_day(min32(month_of(d->ingangsdatum), start_m) - (int32_t)rnd(s, 0, 3));
	d->n_stands = 1;
	for (i = 1; i < n; i++) {
		int32_t prev = month_of(d->stands[i - 1].vanaf), at;
		if (prev + 1 > run_m)
			break;
		at = (int32_t)rnd(s, max32(prev + 1, start_m - 1), max32(prev + 1, run_m));
		d->stands[i].vanaf = month_first_day(at);
		gen_next_stand(s, &d->stands[i], &d->stands[i - 1], start_m, run_m);
		d->stands[i].vanaf = month_first_day(at);
		d->n_stands++;
	}
	/* periods without right */
	if (chance(s, 12)) {
		int32_t van = rnd_day(s, month_first_day(start_m), month_last_day(run_m));
		d->gaps[0].van = van;
		d->gaps[0].tot = van + (int32_t)rnd(s, 0, 60);
		d->n_gaps = 1;
		if (chance(s, 25)) {
			d->gaps[1].van = d->gaps[0].tot + (int32_t)rnd(s, 1, 40);
			d->gaps[1].tot = d->gaps[1].van + (int32_t)rnd(s, 0, 40);
			d->n_gaps = 2;
		}
	}
	gen_incomes(s, d, start_m, run_m);
	if (d->regeling == REGELING_PW && chance(s, 40))
		d->vt_cutover_cents = rnd(s, 1000, 90000);
	/* claims and third parties of the run month's stand */
	if (chance(s, 30)) {
		d->n_claims = (int)rnd(s, 1, MAX_CLAIMS);
		for (i = 0; i < d->n_claims; i++) {
			struct settle_claim *cl = &d->claims[i];
			snprintf(cl->kenmerk, sizeof(cl->kenmerk), "TV-%d", i + 1);
			cl->saldo_cents = rnd(s, 5000, 500000);
			cl->termijn_cents = rnd(s, 1000, 25000);
			cl->withheld_cents = chance(s, 30) ? rnd(s, 0, cl->saldo_cents) : 0;
		}
	}
	if (chance(s, 30)) {
		d->n_derden = (int)rnd(s, 1, MAX_DERDEN);
		for (i = 0; i < d->n_derden; i++) {
			snprintf(d->derden[i].kenmerk, sizeof(d->derden[i].kenmerk), "D-%d", i + 1);
			d->derden[i].bedrag_cents = rnd(s, 1000, 80000);
			d->derden[i].prioriteit = (int)rnd(s, 1, 3);
		}
	}
	gen_ledger(c, s, d);
}

/* ---- printing --------------------------------------------------------------- */

static const char *dstr(char buf[DATE_FMT_MAX], int32_t day)
{
	if (day == DATE_NONE) {
		snprintf(buf, DATE_FMT_MAX, "-");
		return buf;
	}
	return date_format(buf, day);
}

static const char *regeling_name(enum settle_regeling r)
{
	static const char *const n[] = { "PW", "IOAW", "IOAZ", "BBZ" };
	return (unsigned)r < 4 ? n[r] : "?";
}

static const char *leefvorm_name(enum settle_leefvorm l)
{
	static const char *const n[] = { "ALLEENSTAAND", "ALLEENSTAANDE_OUDER", "GEHUWD" };
	return (unsigned)l < 3 ? n[l] : "?";
}

static const char *soort_name(enum settle_soort x)
{
	static const char *const n[] = { "ARBEID", "UITKERING", "PENSIOEN", "OVERIG" };
	return (unsigned)x < 4 ? n[x] : "?";
}

static const char *person_name(enum settle_person p)
{
	return p == PERSON_PARTNER ? "partner" : "aanvrager";
}

static void dump_dossier(const struct ctx *c, const struct dossier *d)
{
	char a[DATE_FMT_MAX], b[DATE_FMT_MAX], e[DATE_FMT_MAX], f[DATE_FMT_MAX];
	char m1[MONTH_FMT_MAX], m2[MONTH_FMT_MAX];
	char x[MONEY_FMT_MAX], y[MONEY_FMT_MAX], z[MONEY_FMT_MAX], w[MONEY_FMT_MAX], v[MONEY_FMT_MAX];
	char q[MONEY_FMT_MAX], r[MONEY_FMT_MAX];
	int i, j;

	printf("  dossier: case %ld of master seed 0x%016" PRIx64 " (dossier seed 0x%016" PRIx64 ")\n",
	       d->index, c->seed, d->seed);
	printf("  reproduce: BR_PROPS_SEED=0x%016" PRIx64 " BR_PROPS_CASE=%ld ./test_settle_props\n",
	       c->seed, d->index);
	printf("  regeling %s, ingangsdatum %s, einddatum %s; run %s, startmaand %s, toerekening %s,"
	       " vt_uitbetaalmaand %d, verrekentermijn %d, beslagvrije_voet %d%%\n",
	       regeling_name(d->regeling), dstr(a, d->ingangsdatum), dstr(b, d->einddatum),
	       month_format(m1, d->run_month), month_format(m2, d->set.startmaand),
	       d->set.toerekening_dagen ? "dagen" : "einddatum", d->set.vt_uitbetaalmaand,
	       d->set.verrekentermijn, d->set.beslagvrije_voet_pct);
	printf("  vt_cutover %s, vt_cutover_paid %s\n", money_format(x, d->vt_cutover_cents),
	       money_format(y, d->vt_cutover_paid_cents));
	for (i = 0; i < d->n_stands; i++) {
		const struct settle_stand *s = &d->stands[i];
		printf("  stand[%d] vanaf %s: %s, aanvrager geb %s, partner %s geb %s, jongste kind %s,"
		       " kostendelers %d, woonkostenverlaging %d%%, vast bedrag %s\n",
		       i, dstr(a, s->vanaf), leefvorm_name(s->leefvorm), dstr(b, s->aanvrager_geb),
		       s->has_partner ? "ja" : "nee", dstr(e, s->partner_geb),
		       dstr(f, s->jongste_kind_geb), s->kostendelers,
		       s->woonkostenverlaging_pct, s->has_vast_bedrag ? money_format(x, s->vast_bedrag_cents) : "-");
		for (j = 0; j < s->n_grants; j++) {
			const struct settle_grant *g = &s->grants[j];
			printf("    grant[%d] %s %s %s..%s maanden_gebruikt %d\n", j, vrij_code_name(g->code),
			       person_name(g->persoon), dstr(a, g->ingangsdatum), dstr(b, g->einddatum),
			       g->maanden_gebruikt);
		}
	}
	for (i = 0; i < d->n_inc; i++) {
		const struct settle_income *t = &d->inc[i];
		printf("  income[%d] %s %s %s %s %s..%s LnLbPh %s VakBsl %s WrdPrGebrAut %s IngLbPh %s"
		       " BijdrZvw %s PrWgaWhkWn %s (net %s)\n", i, d->opgave[i], d->lhnr[i],
		       person_name(t->persoon), soort_name(t->soort), dstr(a, t->dat_aanv_tv),
		       dstr(b, t->dat_eind_tv), money_format(x, t->ln_lb_ph_cents),
		       money_format(y, t->vak_bsl_cents), money_format(z, t->wrd_pr_gebr_aut_cents),
		       money_format(w, t->ing_lb_ph_cents), money_format(v, t->bijdr_zvw_cents),
		       money_format(q, t->pr_wga_whk_wn_cents), money_format(r, ref_net(t)));
	}
	for (i = 0; i < d->n_paid; i++)
		printf("  paid %s: paid %s, vt_paid %s\n", month_format(m1, d->paid[i].month),
		       money_format(x, d->paid[i].paid_cents), money_format(y, d->paid[i].vt_paid_cents));
	for (i = 0; i < d->n_gaps; i++)
		printf("  gap %s..%s\n", dstr(a, d->gaps[i].van), dstr(b, d->gaps[i].tot));
	for (i = 0; i < d->n_claims; i++)
		printf("  claim[%d] %s saldo %s termijn %s withheld %s\n", i, d->claims[i].kenmerk,
		       money_format(x, d->claims[i].saldo_cents), money_format(y, d->claims[i].termijn_cents),
		       money_format(z, d->claims[i].withheld_cents));
	for (i = 0; i < d->n_derden; i++)
		printf("  derde[%d] %s bedrag %s prioriteit %d\n", i, d->derden[i].kenmerk,
		       money_format(x, d->derden[i].bedrag_cents), d->derden[i].prioriteit);
}

static void dump_result(const struct settle_result *res)
{
	char m1[MONTH_FMT_MAX], a[DATE_FMT_MAX];
	char x[9][MONEY_FMT_MAX];
	size_t i;
	int j;

	printf("  result run %s: active %d, vt_run %d, advance %s, additions %s, vt %s, deducted %s,"
	       " carried %s, claimed %s, instalments %s, derden %s, client %s\n",
	       month_format(m1, res->run_month), res->active_in_run, res->vt_run,
	       money_format(x[0], res->advance_cents), money_format(x[1], res->additions_cents),
	       money_format(x[2], res->vt_cents), money_format(x[3], res->deducted_cents),
	       money_format(x[4], res->carried_cents), money_format(x[5], res->claimed_cents),
	       money_format(x[6], res->instalments_cents), money_format(x[7], res->derden_cents),
	       money_format(x[8], res->client_cents));
	for (i = 0; i < res->n_months; i++) {
		const struct settle_month *m = &res->months[i];
		printf("  %s %s act %d/%d first %s cat %s A %d aow %d base %s wkv %s norm %s income %s"
		       " arbeid %s/%s vrij %s\n", month_format(m1, m->month),
		       m->rules ? m->rules->naam : "-", m->active_days, m->days, dstr(a, m->first_day),
		       norm_cat_key(m->cat), m->kostendelers_a, m->aow, money_format(x[0], m->base_cents),
		       money_format(x[1], m->wkv_cents), money_format(x[2], m->norm_cents),
		       money_format(x[3], m->income_cents), money_format(x[4], m->arbeid_cents[0]),
		       money_format(x[5], m->arbeid_cents[1]), money_format(x[6], m->vrij_cents));
		printf("          right %s owed %s vtres %s paid %s vt_paid %s diff %s vt_diff %s\n",
		       money_format(x[0], m->right_cents), money_format(x[1], m->owed_cents),
		       money_format(x[2], m->vtres_cents), money_format(x[3], m->paid_cents),
		       money_format(x[4], m->vt_paid_cents), money_format(x[5], m->diff_cents),
		       money_format(x[6], m->vt_diff_cents));
		for (j = m->first_line; j < m->first_line + m->n_lines; j++)
			printf("          line income[%d] net %s counted %s\n", res->lines[j].income,
			       money_format(x[0], res->lines[j].net_cents),
			       money_format(x[1], res->lines[j].counted_cents));
		for (j = m->first_vrij; j < m->first_vrij + m->n_vrij; j++)
			printf("          vrij grant[%d] %s %s applied %d candidate %s amount %s: %s\n",
			       res->vrij[j].grant, vrij_code_name(res->vrij[j].code),
			       person_name(res->vrij[j].persoon), res->vrij[j].applied,
			       money_format(x[0], res->vrij[j].candidate_cents),
			       money_format(x[1], res->vrij[j].amount_cents), res->vrij[j].why);
	}
	for (i = 0; i < res->n_bookings; i++)
		printf("  booking %s %s %s ref %d\n", settle_booking_name(res->bookings[i].kind),
		       month_format(m1, res->bookings[i].month),
		       money_format(x[0], res->bookings[i].amount_cents), res->bookings[i].ref);
	for (i = 0; i < res->n_events; i++)
		printf("  event %s %s %s ref %d\n", settle_event_name(res->events[i].kind),
		       month_format(m1, res->events[i].month),
		       money_format(x[0], res->events[i].amount_cents), res->events[i].ref);
}

/* ---- property plumbing -------------------------------------------------------- */

/* A property returns 0, or a check number > 0 with `msg` saying what failed
 * (the check's name first, then month, expected, got). */
typedef int (*prop_fn)(struct ctx *c, struct dossier *d, char *msg, size_t cap);

static int failf(char *msg, size_t cap, int tag, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int failf(char *msg, size_t cap, int tag, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, cap, fmt, ap);
	va_end(ap);
	return tag;
}

static int engine_error(struct ctx *c, char *msg, size_t cap, int rc)
{
	return failf(msg, cap, 1, "E.error: settle_dossier returned %d: %s", rc, c->err.msg);
}

static const char *mfmt(char buf[MONTH_FMT_MAX], int32_t k)
{
	return month_format(buf, k);
}

/* Remove element i of an array of n elements of size sz. */
static void drop(void *arr, int *n, int i, size_t sz)
{
	char *p = arr;

	memmove(p + (size_t)i * sz, p + (size_t)(i + 1) * sz, (size_t)(*n - i - 1) * sz);
	(*n)--;
}

/*
 * Candidate number `i` for a smaller dossier: 1 when `cand` is a changed
 * copy of `cur`, 0 when this step does not apply, -1 past the last step.
 */
static int shrink_candidate(struct dossier *cand, const struct dossier *cur, int i)
{
	int s, g, j, changed = 0;

	*cand = *cur;
	if (i < MAX_INC) {
		if (i >= cand->n_inc)
			return 0;
		drop(cand->inc, &cand->n_inc, i, sizeof(cand->inc[0]));
		cand->n_inc++;
		drop(cand->opgave, &cand->n_inc, i, sizeof(cand->opgave[0]));
		cand->n_inc++;
		drop(cand->lhnr, &cand->n_inc, i, sizeof(cand->lhnr[0]));
		return 1;
	}
	i -= MAX_INC;
	if (i < MAX_PAID) {
		if (i >= cand->n_paid)
			return 0;
		drop(cand->paid, &cand->n_paid, i, sizeof(cand->paid[0]));
		return 1;
	}
	i -= MAX_PAID;
	if (i < MAX_CLAIMS) {
		if (i >= cand->n_claims)
			return 0;
		drop(cand->claims, &cand->n_claims, i, sizeof(cand->claims[0]));
		return 1;
	}
	i -= MAX_CLAIMS;
	if (i < MAX_DERDEN) {
		if (i >= cand->n_derden)
			return 0;
		drop(cand->derden, &cand->n_derden, i, sizeof(cand->derden[0]));
		return 1;
	}
	i -= MAX_DERDEN;
	if (i < MAX_GAPS) {
		if (i >= cand->n_gaps)
			return 0;
		drop(cand->gaps, &cand->n_gaps, i, sizeof(cand->gaps[0]));
		return 1;
	}
	i -= MAX_GAPS;
	if (i < MAX_STANDS) {
		if (i == 0 || i >= cand->n_stands)
			return 0;
		drop(cand->stands, &cand->n_stands, i, sizeof(cand->stands[0]));
		return 1;
	}
	i -= MAX_STANDS;
	if (i < MAX_STANDS * SETTLE_MAX_GRANTS) {
		s = i / SETTLE_MAX_GRANTS;
		g = i % SETTLE_MAX_GRANTS;
		if (s >= cand->n_stands || g >= cand->stands[s].n_grants)
			return 0;
		drop(cand->stands[s].grants, &cand->stands[s].n_grants, g, sizeof(cand->stands[s].grants[0]));
		return 1;
	}
	i -= MAX_STANDS * SETTLE_MAX_GRANTS;
	switch (i) {
	case 0:
		if (cand->einddatum == DATE_NONE)
			return 0;
		cand->einddatum = DATE_NONE;
		return 1;
	case 1:
		if (cand->ingangsdatum == month_first_day(month_of(cand->ingangsdatum)))
			return 0;
		cand->ingangsdatum = month_first_day(month_of(cand->ingangsdatum));
		return 1;
	case 2:
		if (cand->run_month <= cand->set.startmaand)
			return 0;
		cand->run_month--;
		return 1;
	case 3:
		if (cand->set.startmaand >= cand->run_month)
			return 0;
		cand->set.startmaand++;
		return 1;
	case 4:
		if (!cand->vt_cutover_cents && !cand->vt_cutover_paid_cents)
			return 0;
		cand->vt_cutover_cents = cand->vt_cutover_paid_cents = 0;
		return 1;
	case 5:
		if (!cand->set.toerekening_dagen)
			return 0;
		cand->set.toerekening_dagen = 0;
		return 1;
	case 6:
		if (cand->set.verrekentermijn == 6 && cand->set.vt_uitbetaalmaand == 6 &&
		    cand->set.beslagvrije_voet_pct == 95)
			return 0;
		cand->set.verrekentermijn = 6;
		cand->set.vt_uitbetaalmaand = 6;
		cand->set.beslagvrije_voet_pct = 95;
		return 1;
	case 7:
		for (s = 0; s < cand->n_stands; s++) {
			changed |= cand->stands[s].kostendelers != 0;
			cand->stands[s].kostendelers = 0;
		}
		return changed;
	case 8:
		for (s = 0; s < cand->n_stands; s++) {
			changed |= cand->stands[s].woonkostenverlaging_pct != 0;
			cand->stands[s].woonkostenverlaging_pct = 0;
		}
		return changed;
	case 9:
		for (j = 0; j < cand->n_inc; j++) {
			struct settle_income *r = &cand->inc[j];
			changed |= r->vak_bsl_cents || r->wrd_pr_gebr_aut_cents || r->ing_lb_ph_cents ||
				   r->bijdr_zvw_cents || r->pr_wga_whk_wn_cents;
			r->vak_bsl_cents = r->wrd_pr_gebr_aut_cents = r->ing_lb_ph_cents = 0;
			r->bijdr_zvw_cents = r->pr_wga_whk_wn_cents = 0;
		}
		return changed;
	case 10:
		for (s = 0; s < cand->n_stands; s++)
			for (g = 0; g < cand->stands[s].n_grants; g++) {
				struct settle_grant *gr = &cand->stands[s].grants[g];
				changed |= gr->maanden_gebruikt != 0 || gr->einddatum != DATE_NONE;
				gr->maanden_gebruikt = 0;
				gr->einddatum = DATE_NONE;
			}
		return changed;
	case 11:
		for (j = 0; j < cand->n_paid; j++) {
			changed |= cand->paid[j].vt_paid_cents != 0;
			cand->paid[j].vt_paid_cents = 0;
		}
		return changed;
	case 12:
		for (j = 0; j < cand->n_claims; j++) {
			changed |= cand->claims[j].withheld_cents != 0;
			cand->claims[j].withheld_cents = 0;
		}
		return changed;
	case 13:
		if (cand->n_stands < 2)
			return 0;
		cand->n_stands = 1;
		return 1;
	case 14:
		if (cand->n_inc == 0)
			return 0;
		cand->n_inc = 0;
		return 1;
	case 15:
		if (cand->n_paid == 0)
			return 0;
		cand->n_paid = 0;
		return 1;
	default:
		return -1;
	}
}

/* Smallest dossier found that still fails check `tag`; in c->best. */
static void shrink(struct ctx *c, prop_fn fn, int tag)
{
	char msg[MSG_MAX];
	int round, i, r, changed = 1;

	for (round = 0; changed && round < SHRINK_ROUNDS; round++) {
		changed = 0;
		for (i = 0; (r = shrink_candidate(&c->cand, &c->best, i)) >= 0; i++) {
			if (r == 0)
				continue;
			if (fn(c, &c->cand, msg, sizeof(msg)) == tag) {
				c->best = c->cand;
				changed = 1;
				i--; /* the same slot now holds the next element */
			}
		}
	}
}

static void stat(struct ctx *c, int i, const char *name, long add)
{
	c->stat_name[i] = name;
	c->stat[i] += add;
}

/*
 * Run property `fn` over the dossiers.  Count failing dossiers per check;
 * shrink the first failing dossier of every check and print it.
 */
static void run_property(struct ctx *c, const char *name, prop_fn fn)
{
	static struct dossier first_fail[MAX_TAGS];
	char msg[MSG_MAX], first_msg[MAX_TAGS][MSG_MAX];
	long i, lo = 0, hi = c->n, failing = 0;
	int tag, t, shown = 0;

	memset(c->stat, 0, sizeof(c->stat));
	memset(c->stat_name, 0, sizeof(c->stat_name));
	memset(c->tag_fail, 0, sizeof(c->tag_fail));
	if (c->only >= 0) {
		lo = c->only;
		hi = c->only + 1;
	}
	for (i = lo; i < hi; i++) {
		gen_dossier(c, &c->cur, i);
		if (c->only >= 0) {
			printf("%s: case %ld\n", name, i);
			dump_dossier(c, &c->cur);
			c->tmp = c->cur;
			if (run_settle(c, &c->r1, &c->tmp) == 0)
				dump_result(&c->r1);
		}
		tag = fn(c, &c->cur, msg, sizeof(msg));
		if (!tag)
			continue;
		failing++;
		if (tag >= MAX_TAGS)
			tag = MAX_TAGS - 1;
		if (c->tag_fail[tag] < 8)
			c->tag_case[tag][c->tag_fail[tag]] = i;
		if (c->tag_fail[tag]++ == 0) {
			first_fail[tag] = c->cur;
			snprintf(first_msg[tag], MSG_MAX, "%s", msg);
			snprintf(c->tag_name[tag], sizeof(c->tag_name[tag]), "%.*s",
				 (int)strcspn(msg, ":"), msg);
		}
	}
	printf("[ PROPERTY ] %s: %ld dossiers (seed 0x%016" PRIx64 ")", name, hi - lo, c->seed);
	for (t = 0; t < N_STATS; t++)
		if (c->stat_name[t])
			printf(", %s %ld", c->stat_name[t], c->stat[t]);
	printf("\n");
	if (!failing)
		return;
	for (t = 0; t < MAX_TAGS; t++) {
		if (!c->tag_fail[t])
			continue;
		printf("[  FAILING ] check %s fails for %ld of %ld dossiers; first: %s\n",
		       c->tag_name[t], c->tag_fail[t], hi - lo, first_msg[t]);
		printf("  failing cases:");
		for (i = 0; i < c->tag_fail[t] && i < 8; i++)
			printf(" %ld", c->tag_case[t][i]);
		printf("%s\n", c->tag_fail[t] > 8 ? " ..." : "");
		c->best = first_fail[t];
		shrink(c, fn, t);
		fn(c, &c->best, msg, sizeof(msg));
		printf("  minimal failing dossier (shrunk from case %ld): %s\n", c->best.index, msg);
		dump_dossier(c, &c->best);
		c->tmp = c->best;
		if (run_settle(c, &c->r1, &c->tmp) == 0)
			dump_result(&c->r1);
		shown++;
	}
	fflush(stdout);
	fail_msg("%s: %ld of %ld dossiers fail (%d distinct checks, minimal dossiers above)",
		 name, failing, hi - lo, shown);
}

/* ---- P1: zero income gives right = norm and no vrijlating ------------------ */

static int prop_zero_income(struct ctx *c, struct dossier *d, char *msg, size_t cap)
{
	struct dossier *t = &c->tmp;
	struct settle_result *r = &c->r1;
	char mb[MONTH_FMT_MAX], x[MONEY_FMT_MAX], y[MONEY_FMT_MAX];
	const struct settle_paid *pm;
	size_t i;
	int rc;

	*t = *d;
	t->n_inc = 0;
	t->regeling = REGELING_PW;
	if ((rc = run_settle(c, r, t)) < 0)
		return engine_error(c, msg, cap, rc);
	stat(c, 0, "months", (long)r->n_months);
	for (i = 0; i < r->n_months; i++) {
		const struct settle_month *m = &r->months[i];

		if (m->right_cents != m->norm_cents)
			return failf(msg, cap, 2, "P1.right: %s zero income: right %s != norm %s", mfmt(mb, m->month),
				     money_format(x, m->right_cents), money_format(y, m->norm_cents));
		if (m->vrij_cents != 0 || m->income_cents != 0)
			return failf(msg, cap, 3, "P1.vrij: %s zero income: vrij %s, income %s (both must be 0)",
				     mfmt(mb, m->month), money_format(x, m->vrij_cents), money_format(y, m->income_cents));
		if (m->owed_cents != money_mul_ratio(m->norm_cents, 95, 100))
			return failf(msg, cap, 4, "P1.owed: %s zero income: owed %s != excl(norm) %s",
				     mfmt(mb, m->month), money_format(x, m->owed_cents),
				     money_format(y, money_mul_ratio(m->norm_cents, 95, 100)));
		if (m->norm_cents > 0)
			stat(c, 1, "months with a norm", 1);
	}
	if (r->n_months) {
		const struct settle_month *mm = &r->months[r->n_months - 1];
		int64_t want = money_mul_ratio(mm->norm_cents, 95, 100);

		pm = ledger_find(t, t->run_month);
		want = max64(0, want - (pm ? pm->paid_cents : 0));
		if (r->advance_cents != want)
			return failf(msg, cap, 5, "P1.advance: run %s advance %s, want excl(norm) − paid = %s",
				     mfmt(mb, t->run_month), money_format(x, r->advance_cents), money_format(y, want));
	}
	return 0;
}

/* ---- P2: more income never gives a higher right -------------------------------- */

static int prop_more_income(struct ctx *c, struct dossier *d, char *msg, size_t cap)
{
	struct dossier *t = &c->tmp, *u = &c->tmp2;
	struct settle_result *r1 = &c->r1, *r2 = &c->r2;
	char mb[MONTH_FMT_MAX], mk[MONTH_FMT_MAX], x[MONEY_FMT_MAX], y[MONEY_FMT_MAX], z[MONEY_FMT_MAX];
	uint64_t sv = d->aux;
	int32_t k;
	size_t i;
	int rc, lowered = 0;

	*t = *d;
	if ((rc = run_settle(c, r1, t)) < 0)
		return engine_error(c, msg, cap, rc);
	if (r1->n_months == 0)
		return 0;
	/* one positive record inside one settled month k */
	*u = *t;
	if (u->n_inc == MAX_INC)
		u->n_inc--;
	k = r1->months[rnd(&sv, 0, (int64_t)r1->n_months - 1)].month;
	{
		struct settle_income *rec = &u->inc[u->n_inc];
		const struct settle_stand *s = ref_stand(u, k);

		memset(rec, 0, sizeof(*rec));
		rec->persoon = ref_couple(s) && chance(&sv, 40) ? PERSON_PARTNER : PERSON_AANVRAGER;
		rec->soort = chance(&sv, 65) ? INKOMEN_ARBEID : INKOMEN_UITKERING;
		rec->dat_aanv_tv = month_first_day(k) + (chance(&sv, 30) ? (int32_t)rnd(&sv, 1, 20) : 0);
		rec->dat_eind_tv = chance(&sv, 70) ? month_last_day(k) : rnd_day(&sv, rec->dat_aanv_tv, month_last_day(k));
		rec->ln_lb_ph_cents = chance(&sv, 20) ? rnd(&sv, 1, 500) : rnd(&sv, 1000, 200000);
		snprintf(u->opgave[u->n_inc], ID_MAX, "EXTRA");
		snprintf(u->lhnr[u->n_inc], ID_MAX, "LX");
		u->n_inc++;
	}
	if ((rc = run_settle(c, r2, u)) < 0)
		return engine_error(c, msg, cap, rc);
	if (r2->n_months != r1->n_months)
		return failf(msg, cap, 2, "P2.months: %zu months settled before, %zu after adding income",
			     r1->n_months, r2->n_months);
	stat(c, 0, "months", (long)r1->n_months);
	for (i = 0; i < r1->n_months; i++) {
		const struct settle_month *a = &r1->months[i], *b = &r2->months[i];

		if (b->right_cents > a->right_cents)
			return failf(msg, cap, 3, "P2.right: adding %s %s %s to %s raised the right of %s from %s to %s",
				     soort_name(u->inc[u->n_inc - 1].soort), person_name(u->inc[u->n_inc - 1].persoon),
				     money_format(z, u->inc[u->n_inc - 1].ln_lb_ph_cents), mfmt(mk, k),
				     mfmt(mb, a->month), money_format(x, a->right_cents), money_format(y, b->right_cents));
		lowered |= b->right_cents < a->right_cents;
	}
	stat(c, 1, "dossiers whose right went down", lowered);
	return 0;
}

/* ---- P3: vrijlating within cap and pct, one per person per month -------------- */

struct grant_key {
	enum vrij_code code;
	enum settle_person persoon;
	int32_t ingangsdatum;
	int gebruikt, months;
	int32_t first, last;
};

/* Why grant g cannot apply to person p in month k (rules.md §4
 * "applicable", limits aside), or NULL. */
static const char *ref_not_applicable(const struct dossier *d, const struct rule_set *rs,
				      const struct settle_stand *s, const struct settle_grant *g,
				      int32_t k, int32_t on)
{
	const struct vrij_rule *vr = &rs->vrij[g->code];
	int32_t geb = g->persoon == PERSON_PARTNER ? s->partner_geb : s->aanvrager_geb;

	(void)d;
	if (g->persoon == PERSON_PARTNER && !ref_couple(s))
		return "grant for a partner outside a couple";
	if (g->ingangsdatum > month_last_day(k) || end_or_max(g->einddatum) < month_first_day(k))
		return "grant dates do not overlap the month";
	if (!vr->enabled)
		return "code not enabled in the month's rules set";
	if (vr->min_age && date_age_years(geb, on) < vr->min_age)
		return "person younger than the code's minimum age";
	if (vr->below_aow && ref_at_aow(geb, on))
		return "person at AOW age";
	if (vr->alleenstaande_ouder && s->leefvorm != LEEFVORM_ALLEENSTAANDE_OUDER)
		return "not an alleenstaande ouder";
	if (vr->child_under && (s->jongste_kind_geb == DATE_NONE ||
				date_age_years(s->jongste_kind_geb, on) >= vr->child_under))
		return "youngest child too old";
	return NULL;
}

static int prop_vrijlating(struct ctx *c, struct dossier *d, char *msg, size_t cap)
{
	struct dossier *t = &c->tmp;
	struct settle_result *r = &c->r1;
	char mb[MONTH_FMT_MAX], x[MONEY_FMT_MAX], y[MONEY_FMT_MAX];
	struct grant_key keys[MAX_STANDS * SETTLE_MAX_GRANTS];
	int n_keys = 0, j, kk, rc;
	size_t i;

	*t = *d;
	if ((rc = run_settle(c, r, t)) < 0)
		return engine_error(c, msg, cap, rc);
	for (i = 0; i < r->n_months; i++) {
		const struct settle_month *m = &r->months[i];
		const struct rule_set *rs = rules_for_month(&c->rules, m->month);
		const struct settle_stand *s = ref_stand(t, m->month);
		int64_t income, arbeid[2], sum = 0, best[2] = { 0, 0 };
		int applied[2] = { 0, 0 }, p;
		int32_t on;
		int act = ref_active(t, m->month, &on);

		if (m->rules != rs)
			return failf(msg, cap, 2, "P3.rules: %s settled with set %s, in force is %s", mfmt(mb, m->month),
				     m->rules ? m->rules->naam : "-", rs ? rs->naam : "-");
		if (t->regeling != REGELING_PW || act == 0) {
			if (m->vrij_cents != 0)
				return failf(msg, cap, 3, "P3.no_vrij: %s %s vrij %s (must be 0)", mfmt(mb, m->month),
					     act ? regeling_name(t->regeling) : "inactive month", money_format(x, m->vrij_cents));
			continue;
		}
		ref_income(t, m->month, &income, arbeid);
		for (p = 0; p < 2; p++)
			if (m->arbeid_cents[p] != arbeid[p])
				return failf(msg, cap, 4, "P3.arbeid: %s %s arbeid %s, rules.md §3 gives %s",
					     mfmt(mb, m->month), person_name((enum settle_person)p),
					     money_format(x, m->arbeid_cents[p]), money_format(y, arbeid[p]));
		for (j = m->first_vrij; j < m->first_vrij + m->n_vrij; j++)
			if (r->vrij[j].candidate_cents > best[r->vrij[j].persoon & 1])
				best[r->vrij[j].persoon & 1] = r->vrij[j].candidate_cents;
		for (j = m->first_vrij; j < m->first_vrij + m->n_vrij; j++) {
			const struct settle_vrij *v = &r->vrij[j];
			const struct vrij_rule *vr;
			const struct settle_grant *g;
			const char *why_not;
			int64_t pct_max;

			if (!v->applied) {
				if (v->amount_cents != 0)
					return failf(msg, cap, 5, "P3.unapplied: %s grant[%d] %s not applied but amount %s",
						     mfmt(mb, m->month), v->grant, vrij_code_name(v->code),
						     money_format(x, v->amount_cents));
				continue;
			}
			p = v->persoon == PERSON_PARTNER;
			if (v->grant < 0 || v->grant >= s->n_grants)
				return failf(msg, cap, 6, "P3.grant: %s applied grant index %d, the stand has %d grants",
					     mfmt(mb, m->month), v->grant, s->n_grants);
			g = &s->grants[v->grant];
			vr = &rs->vrij[g->code];
			if (g->code != v->code || g->persoon != v->persoon)
				return failf(msg, cap, 6, "P3.grant: %s applied grant[%d] is %s %s, the stand says %s %s",
					     mfmt(mb, m->month), v->grant, vrij_code_name(v->code), person_name(v->persoon),
					     vrij_code_name(g->code), person_name(g->persoon));
			if (++applied[p] > 1)
				return failf(msg, cap, 7, "P3.one_per_person: %s %s has %d grants applied",
					     mfmt(mb, m->month), person_name(v->persoon), applied[p]);
			if (v->amount_cents < 0 || v->amount_cents != v->candidate_cents)
				return failf(msg, cap, 8, "P3.amount: %s grant[%d] %s amount %s, candidate %s",
					     mfmt(mb, m->month), v->grant, vrij_code_name(v->code),
					     money_format(x, v->amount_cents), money_format(y, v->candidate_cents));
			if (vr->has_cap && v->amount_cents > vr->cap_cents)
				return failf(msg, cap, 9, "P3.cap: %s grant[%d] %s amount %s above the cap %s of set %s",
					     mfmt(mb, m->month), v->grant, vrij_code_name(v->code),
					     money_format(x, v->amount_cents), money_format(y, vr->cap_cents), rs->naam);
			pct_max = money_mul_ratio(max64(0, arbeid[p]), vr->pct_num, vr->pct_den);
			if (v->amount_cents > pct_max)
				return failf(msg, cap, 10, "P3.pct: %s grant[%d] %s amount %s above pct x arbeid = %s",
					     mfmt(mb, m->month), v->grant, vrij_code_name(v->code),
					     money_format(x, v->amount_cents), money_format(y, pct_max));
			if (v->amount_cents < best[p])
				return failf(msg, cap, 11, "P3.highest: %s %s applied %s (%s), another grant offers %s",
					     mfmt(mb, m->month), person_name(v->persoon), vrij_code_name(v->code),
					     money_format(x, v->amount_cents), money_format(y, best[p]));
			if ((why_not = ref_not_applicable(t, rs, s, g, m->month, on)))
				return failf(msg, cap, 12, "P3.condition: %s grant[%d] %s %s applied (%s) but %s",
					     mfmt(mb, m->month), v->grant, vrij_code_name(v->code),
					     person_name(v->persoon), money_format(x, v->amount_cents), why_not);
			sum += v->amount_cents;
			stat(c, 0, "grants applied", 1);
			if (v->amount_cents > 0 && vr->has_cap && v->amount_cents == vr->cap_cents)
				stat(c, 1, "at the cap", 1);
			if (v->amount_cents == 0)
				continue;
			/* limits across months (rules.md §4, incl. cut-over months) */
			for (kk = 0; kk < n_keys; kk++)
				if (keys[kk].code == g->code && keys[kk].persoon == g->persoon &&
				    keys[kk].ingangsdatum == g->ingangsdatum)
					break;
			if (kk == n_keys) {
				if (n_keys == (int)(sizeof(keys) / sizeof(keys[0])))
					continue;
				keys[kk].code = g->code;
				keys[kk].persoon = g->persoon;
				keys[kk].ingangsdatum = g->ingangsdatum;
				keys[kk].gebruikt = g->maanden_gebruikt;
				keys[kk].months = 0;
				keys[kk].first = m->month;
				n_keys++;
			}
			keys[kk].months++;
			keys[kk].last = m->month;
			stat(c, 3, "limits reached", vr->limit != VRIJ_LIMIT_NONE &&
			     ((vr->limit == VRIJ_LIMIT_MONTHS_APPLIED &&
			       keys[kk].months + keys[kk].gebruikt == vr->limit_months) ||
			      (vr->limit == VRIJ_LIMIT_CONSECUTIVE &&
			       m->month == keys[kk].first - keys[kk].gebruikt + vr->limit_months - 1)));
			if (vr->limit == VRIJ_LIMIT_MONTHS_APPLIED &&
			    keys[kk].months + keys[kk].gebruikt > vr->limit_months)
				return failf(msg, cap, 13, "P3.limit: %s %s %s applied in %d months incl. %d cut-over"
					     " (limit %d)", mfmt(mb, m->month), vrij_code_name(g->code),
					     person_name(g->persoon), keys[kk].months + keys[kk].gebruikt,
					     keys[kk].gebruikt, vr->limit_months);
			if (vr->limit == VRIJ_LIMIT_CONSECUTIVE &&
			    m->month >= keys[kk].first - keys[kk].gebruikt + vr->limit_months)
				return failf(msg, cap, 14, "P3.consecutive: %s %s %s applied past %d consecutive months"
					     " from its first month %s (%d cut-over)", mfmt(mb, m->month),
					     vrij_code_name(g->code), person_name(g->persoon), vr->limit_months,
					     month_format(x, keys[kk].first), keys[kk].gebruikt);
		}
		if (sum != m->vrij_cents)
			return failf(msg, cap, 15, "P3.sum: %s vrij %s, Σ applied grants %s", mfmt(mb, m->month),
				     money_format(x, m->vrij_cents), money_format(y, sum));
		stat(c, 2, "PW months", 1);
	}
	return 0;
}

/* ---- P4: the balance of a run -------------------------------------------------- */

static int prop_balance(struct ctx *c, struct dossier *d, char *msg, size_t cap)
{
	struct dossier *t = &c->tmp;
	struct settle_result *r = &c->r1;
	char x[MONEY_FMT_MAX], y[MONEY_FMT_MAX], z[MONEY_FMT_MAX], w[MONEY_FMT_MAX];
	int64_t sum = 0, by_kind[BOOK_CLIENT + 1] = { 0 }, lhs, floor_cents, target;
	int paid_derde[SETTLE_MAX_DERDEN] = { 0 };
	size_t i;
	int rc;

	*t = *d;
	if ((rc = run_settle(c, r, t)) < 0)
		return engine_error(c, msg, cap, rc);
	if (r->advance_cents < 0 || r->additions_cents < 0 || r->vt_cents < 0 || r->deducted_cents < 0 ||
	    r->carried_cents < 0 || r->claimed_cents < 0 || r->instalments_cents < 0 || r->derden_cents < 0)
		return failf(msg, cap, 2, "P4.sign: a total is negative");
	if (r->client_cents < 0)
		return failf(msg, cap, 3, "P4.client: client %s < 0", money_format(x, r->client_cents));
	lhs = r->advance_cents + r->additions_cents + r->vt_cents - r->deducted_cents -
	      r->instalments_cents - r->derden_cents;
	if (lhs != r->client_cents)
		return failf(msg, cap, 4, "P4.totals: advance + additions + vt − deducted − instalments − derden"
			     " = %s, client %s", money_format(x, lhs), money_format(y, r->client_cents));
	for (i = 0; i < r->n_bookings; i++) {
		const struct settle_booking *b = &r->bookings[i];

		if ((unsigned)b->kind > BOOK_CLIENT)
			return failf(msg, cap, 5, "P4.kind: booking kind %d", (int)b->kind);
		by_kind[b->kind] += b->amount_cents;
		if ((b->kind == BOOK_INHOUDING || b->kind == BOOK_DERDEN || b->kind == BOOK_CLIENT ||
		     b->kind == BOOK_VOORSCHOT) && b->amount_cents <= 0)
			return failf(msg, cap, 6, "P4.booking_sign: %s booking %s (must be > 0)",
				     settle_booking_name(b->kind), money_format(x, b->amount_cents));
		if (b->kind == BOOK_INHOUDING) {
			const struct settle_claim *cl;
			if (b->ref < 0 || b->ref >= t->n_claims)
				return failf(msg, cap, 7, "P4.ref: inhouding ref %d", b->ref);
			cl = &t->claims[b->ref];
			if (b->amount_cents > cl->termijn_cents ||
			    b->amount_cents > max64(0, cl->saldo_cents - cl->withheld_cents))
				return failf(msg, cap, 8, "P4.instalment: %s on claim %s above termijn %s or outstanding",
					     money_format(x, b->amount_cents), cl->kenmerk, money_format(y, cl->termijn_cents));
		}
		if (b->kind == BOOK_DERDEN) {
			if (b->ref < 0 || b->ref >= t->n_derden || paid_derde[b->ref]++)
				return failf(msg, cap, 7, "P4.ref: derden ref %d (unknown or paid twice)", b->ref);
			if (b->amount_cents != t->derden[b->ref].bedrag_cents)
				return failf(msg, cap, 9, "P4.derde_full: derde %d paid %s of %s", b->ref,
					     money_format(x, b->amount_cents), money_format(y, t->derden[b->ref].bedrag_cents));
		}
	}
	/* settle.h: bookings are signed; INHOUDING/DERDEN/CLIENT positive */
	sum = by_kind[BOOK_VOORSCHOT] + by_kind[BOOK_VERSCHIL] + by_kind[BOOK_VT] -
	      by_kind[BOOK_INHOUDING] - by_kind[BOOK_DERDEN];
	if (sum != r->client_cents)
		return failf(msg, cap, 10, "P4.bookings: Σ VOORSCHOT+VERSCHIL+VT − INHOUDING − DERDEN = %s,"
			     " client %s (VT bookings Σ %s, claimed %s)", money_format(x, sum),
			     money_format(y, r->client_cents), money_format(z, by_kind[BOOK_VT]),
			     money_format(w, r->claimed_cents));
	if (by_kind[BOOK_CLIENT] != r->client_cents || by_kind[BOOK_INHOUDING] != r->instalments_cents ||
	    by_kind[BOOK_DERDEN] != r->derden_cents || by_kind[BOOK_VOORSCHOT] != r->advance_cents)
		return failf(msg, cap, 11, "P4.kind_totals: bookings per kind do not match the totals");
	if (r->derden_cents && !r->active_in_run)
		return failf(msg, cap, 12, "P4.derden_inactive: %s to third parties in a run the dossier is not active",
			     money_format(x, r->derden_cents));
	/* beslagvrije voet: instalments leave the client ≥ pct of advance(M) */
	if (r->n_months && r->instalments_cents) {
		const struct settle_month *mm = &r->months[r->n_months - 1];
		target = t->regeling == REGELING_PW ? money_mul_ratio(mm->norm_cents, 95, 100) : mm->norm_cents;
		floor_cents = money_mul_ratio(target, t->set.beslagvrije_voet_pct, 100);
		if (r->client_cents + r->derden_cents < floor_cents)
			return failf(msg, cap, 13, "P4.beslagvrij: after instalments %s the client keeps %s < %s",
				     money_format(x, r->instalments_cents),
				     money_format(y, r->client_cents + r->derden_cents), money_format(z, floor_cents));
	}
	stat(c, 0, "with deductions", r->deducted_cents > 0);
	stat(c, 1, "with carried", r->carried_cents > 0);
	stat(c, 2, "with claims made", r->claimed_cents > 0);
	stat(c, 3, "with instalments", r->instalments_cents > 0);
	stat(c, 4, "with derden", r->derden_cents > 0);
	stat(c, 5, "VT runs", r->vt_run);
	return 0;
}

/* ---- P5: settling twice with no new data changes nothing ----------------------- */

static int prop_idempotent(struct ctx *c, struct dossier *d, char *msg, size_t cap)
{
	struct dossier *t = &c->tmp;
	struct settle_result *r1 = &c->r1, *r2 = &c->r2;
	char mb[MONTH_FMT_MAX], x[MONEY_FMT_MAX], y[MONEY_FMT_MAX], mv[8][MONEY_FMT_MAX];
	int64_t open = 0;
	const struct settle_paid *pm;
	size_t i;
	int rc;

	*t = *d;
	if ((rc = run_settle(c, r1, t)) < 0)
		return engine_error(c, msg, cap, rc);
	if (release(t, r1) < 0)
		return 0; /* ledger full: not a finding */
	if ((rc = run_settle(c, r2, t)) < 0)
		return engine_error(c, msg, cap, rc);
	/* The supplementary run may skip a month that holds nothing any more
	 * (not active, nothing left paid after release: settle.h "Months
	 * settled"); every month it does settle is computed as in run 1. */
	for (i = 0; i < r1->n_months; i++) {
		const struct settle_month *a = &r1->months[i], *b = NULL;
		size_t j;
		for (j = 0; j < r2->n_months; j++)
			if (r2->months[j].month == a->month)
				b = &r2->months[j];
		if (!b) {
			pm = ledger_find(t, a->month);
			if (a->owed_cents || a->norm_cents || (pm && (pm->paid_cents || pm->vt_paid_cents)))
				return failf(msg, cap, 2, "P5.months: the supplementary run skips %s, which still"
					     " holds something", mfmt(mb, a->month));
			continue;
		}
		if (a->month != b->month || a->norm_cents != b->norm_cents || a->income_cents != b->income_cents ||
		    a->vrij_cents != b->vrij_cents || a->right_cents != b->right_cents ||
		    a->owed_cents != b->owed_cents || a->vtres_cents != b->vtres_cents)
			return failf(msg, cap, 3, "P5.recompute: %s changed between the runs: right %s -> %s,"
				     " vrij %s -> %s", mfmt(mb, a->month), money_format(mv[0], a->right_cents),
				     money_format(mv[1], b->right_cents), money_format(mv[2], a->vrij_cents),
				     money_format(mv[3], b->vrij_cents));
	}
	if (r2->advance_cents || r2->additions_cents || r2->vt_cents || r2->deducted_cents ||
	    r2->claimed_cents || r2->instalments_cents || r2->derden_cents || r2->client_cents || r2->n_bookings)
		return failf(msg, cap, 4, "P5.paid_again: supplementary run: advance %s additions %s vt %s deducted %s"
			     " claimed %s instalments %s derden %s client %s, %zu bookings (all must be 0)",
			     money_format(mv[0], r2->advance_cents), money_format(mv[1], r2->additions_cents),
			     money_format(mv[2], r2->vt_cents), money_format(mv[3], r2->deducted_cents),
			     money_format(mv[4], r2->claimed_cents), money_format(mv[5], r2->instalments_cents),
			     money_format(mv[6], r2->derden_cents), money_format(mv[7], r2->client_cents),
			     r2->n_bookings);
	/* What is open after run 1 is exactly what run 1 carried: no month
	 * owes the client anything, and the negative differences left add up
	 * to the carried total. */
	for (i = 0; i + 1 < r2->n_months; i++) {
		const struct settle_month *b = &r2->months[i];
		if (b->diff_cents > 0 || (r2->vt_run && b->vt_diff_cents > 0))
			return failf(msg, cap, 5, "P5.open_positive: %s still owes the client %s (VT %s) after release",
				     mfmt(mb, b->month), money_format(x, b->diff_cents), money_format(y, b->vt_diff_cents));
		open += -b->diff_cents + (r2->vt_run ? -b->vt_diff_cents : 0);
	}
	if (r2->n_months) {
		const struct settle_month *mm = &r2->months[r2->n_months - 1];
		int64_t target = t->regeling == REGELING_PW ? money_mul_ratio(mm->norm_cents, 95, 100) : mm->norm_cents;
		pm = ledger_find(t, t->run_month);
		open += max64(0, (pm ? pm->paid_cents : 0) - target);
	}
	if (r2->carried_cents != r1->carried_cents || open != r1->carried_cents)
		return failf(msg, cap, 6, "P5.carried: run 1 carried %s; the supplementary run carries %s, open differences %s",
			     money_format(mv[0], r1->carried_cents), money_format(mv[1], r2->carried_cents),
			     money_format(mv[2], open));
	for (i = 0; i < r2->n_events; i++) {
		if (r2->events[i].kind == EVENT_INKOMEN_OUD)
			return failf(msg, cap, 7, "P5.event_inkomen_oud: supplementary run raises INKOMEN_OUD for %s",
				     mfmt(mb, r2->events[i].month));
		if (r2->events[i].kind == EVENT_DERDEN && r2->events[i].ref >= 0 &&
		    r2->events[i].ref < SETTLE_MAX_DERDEN && !r1->derden_skipped[r2->events[i].ref])
			return failf(msg, cap, 8, "P5.event_derden: supplementary run raises a DERDEN job for derde %d"
				     " (%s), %s in the first run", r2->events[i].ref,
				     money_format(x, r2->events[i].amount_cents),
				     r2->events[i].ref >= 0 && r2->events[i].ref < SETTLE_MAX_DERDEN &&
				     !r1->derden_skipped[r2->events[i].ref] ? "paid" : "skipped");
	}
	stat(c, 0, "first runs paying", r1->n_bookings > 0);
	stat(c, 1, "with carried", r1->carried_cents > 0);
	return 0;
}

/* ---- P6: right ≤ norm, owed = excl(right), vtres = right − owed ------------------ */

static int in_range(int64_t v)
{
	return v >= -MONEY_MAX_CENTS && v <= MONEY_MAX_CENTS;
}

static int prop_right_owed(struct ctx *c, struct dossier *d, char *msg, size_t cap)
{
	struct dossier *t = &c->tmp;
	struct settle_result *r = &c->r1;
	char mb[MONTH_FMT_MAX], x[MONEY_FMT_MAX], y[MONEY_FMT_MAX], z[MONEY_FMT_MAX];
	size_t i;
	int rc;

	*t = *d;
	if ((rc = run_settle(c, r, t)) < 0)
		return engine_error(c, msg, cap, rc);
	if (!in_range(r->advance_cents) || !in_range(r->additions_cents) || !in_range(r->vt_cents) ||
	    !in_range(r->deducted_cents) || !in_range(r->carried_cents) || !in_range(r->claimed_cents) ||
	    !in_range(r->instalments_cents) || !in_range(r->derden_cents) || !in_range(r->client_cents))
		return failf(msg, cap, 2, "P6.range: a run total leaves ±MONEY_MAX_CENTS");
	for (i = 0; i < r->n_bookings; i++)
		if (!in_range(r->bookings[i].amount_cents))
			return failf(msg, cap, 2, "P6.range: booking %zu leaves ±MONEY_MAX_CENTS", i);
	for (i = 0; i < r->n_months; i++) {
		const struct settle_month *m = &r->months[i];
		const struct rule_set *rs = rules_for_month(&c->rules, m->month);
		int64_t owed;

		if (!in_range(m->norm_cents) || !in_range(m->income_cents) || !in_range(m->vrij_cents) ||
		    !in_range(m->right_cents) || !in_range(m->owed_cents) || !in_range(m->vtres_cents) ||
		    !in_range(m->base_cents) || !in_range(m->wkv_cents) || !in_range(m->paid_cents) ||
		    !in_range(m->vt_paid_cents) || !in_range(m->diff_cents) || !in_range(m->vt_diff_cents))
			return failf(msg, cap, 2, "P6.range: %s an amount leaves ±MONEY_MAX_CENTS", mfmt(mb, m->month));
		if (m->rules != rs || !rs || rs->vt_excl_num * 100 != rs->vt_excl_den * 95)
			return failf(msg, cap, 3, "P6.rules: %s set %s, VT rate %" PRId64 "/%" PRId64 " (rules.md: 95%%)",
				     mfmt(mb, m->month), m->rules ? m->rules->naam : "-",
				     rs ? rs->vt_excl_num : 0, rs ? rs->vt_excl_den : 0);
		if (m->right_cents < 0 || m->right_cents > m->norm_cents)
			return failf(msg, cap, 4, "P6.right: %s right %s outside 0..norm %s", mfmt(mb, m->month),
				     money_format(x, m->right_cents), money_format(y, m->norm_cents));
		if (t->regeling != REGELING_PW) {
			if (m->right_cents != m->norm_cents || m->owed_cents != m->norm_cents || m->vtres_cents)
				return failf(msg, cap, 5, "P6.vast: %s %s right %s owed %s vtres %s, all must be the norm %s (VT 0)",
					     mfmt(mb, m->month), regeling_name(t->regeling), money_format(x, m->right_cents),
					     money_format(y, m->owed_cents), money_format(z, m->vtres_cents),
					     money_format(z, m->norm_cents));
			continue;
		}
		owed = money_mul_ratio(m->right_cents, 95, 100);
		if (m->owed_cents != owed)
			return failf(msg, cap, 6, "P6.owed: %s owed %s, round(95%% × %s) = %s", mfmt(mb, m->month),
				     money_format(x, m->owed_cents), money_format(z, m->right_cents), money_format(y, owed));
		if (m->vtres_cents != m->right_cents - m->owed_cents)
			return failf(msg, cap, 7, "P6.vtres: %s vtres %s, right − owed = %s", mfmt(mb, m->month),
				     money_format(x, m->vtres_cents), money_format(y, m->right_cents - m->owed_cents));
		stat(c, 0, "PW months", 1);
		stat(c, 1, "€0 months", m->norm_cents > 0 && m->right_cents == 0);
		stat(c, 2, "partly reduced", m->right_cents > 0 && m->right_cents < m->norm_cents);
	}
	return 0;
}

/* ---- P7: pro rata ---------------------------------------------------------------- */

static int prop_pro_rata(struct ctx *c, struct dossier *d, char *msg, size_t cap)
{
	struct dossier *t = &c->tmp;
	struct settle_result *r = &c->r1;
	char mb[MONTH_FMT_MAX], x[MONEY_FMT_MAX], y[MONEY_FMT_MAX], z[MONEY_FMT_MAX];
	size_t i;
	int rc;

	*t = *d;
	if ((rc = run_settle(c, r, t)) < 0)
		return engine_error(c, msg, cap, rc);
	for (i = 0; i < r->n_months; i++) {
		const struct settle_month *m = &r->months[i];
		const struct rule_set *rs = rules_for_month(&c->rules, m->month);
		int32_t on;
		int act = ref_active(t, m->month, &on), days = month_days(m->month);
		int64_t full, want;

		if (m->days != days || m->active_days != act)
			return failf(msg, cap, 2, "P7.days: %s active %d/%d days, rules.md gives %d/%d",
				     mfmt(mb, m->month), m->active_days, m->days, act, days);
		if (act == 0) {
			if (m->norm_cents != 0)
				return failf(msg, cap, 3, "P7.inactive: %s no active day but norm %s",
					     mfmt(mb, m->month), money_format(x, m->norm_cents));
			stat(c, 2, "inactive months", 1);
			continue;
		}
		full = ref_full_norm(t, rs, ref_stand(t, m->month), on);
		want = act == days ? full : money_mul_ratio(full, act, days);
		if (m->norm_cents != want)
			return failf(msg, cap, act == days ? 4 : 5,
				     "%s: %s norm %s; the full norm of the month is %s, %d/%d days give %s",
				     act == days ? "P7.full_month" : "P7.pro_rata", mfmt(mb, m->month),
				     money_format(x, m->norm_cents), money_format(y, full), act, days,
				     money_format(z, want));
		stat(c, act == days ? 0 : 1, act == days ? "full months" : "partial months", 1);
		if (t->regeling == REGELING_PW) {
			stat(c, 3, "kostendelersnorm", m->kostendelers_a > 0);
			stat(c, 4, "AOW", m->aow);
			stat(c, 5, "jong", m->cat >= NORM_JONG_ALLEENSTAANDE);
		}
	}
	return 0;
}

/* ---- P8: what is settled, and which income counts ------------------------------- */

static int prop_scope(struct ctx *c, struct dossier *d, char *msg, size_t cap)
{
	struct dossier *t = &c->tmp;
	struct settle_result *r = &c->r1;
	char mb[MONTH_FMT_MAX], x[MONEY_FMT_MAX], y[MONEY_FMT_MAX], z[MONEY_FMT_MAX];
	size_t i, j;
	int rc, k;

	*t = *d;
	if ((rc = run_settle(c, r, t)) < 0)
		return engine_error(c, msg, cap, rc);
	for (i = 0; i < r->n_months; i++) {
		const struct settle_month *m = &r->months[i];
		const struct settle_paid *pm = ledger_find(t, m->month);
		int32_t on;
		int act = ref_active(t, m->month, &on);
		int64_t income, arbeid[2];

		if (m->month > t->run_month)
			return failf(msg, cap, 2, "P8.future: month %s after the run month", mfmt(mb, m->month));
		if (m->month < t->set.startmaand && !(pm && (pm->paid_cents || pm->vt_paid_cents)))
			return failf(msg, cap, 3, "P8.before_start: %s (before startmaand %s) settled without an advance"
				     " paid for it: owed %s, diff %s", mfmt(mb, m->month),
				     month_format(z, t->set.startmaand), money_format(y, m->owed_cents),
				     money_format(x, m->diff_cents));
		if (act == 0) {
			if (m->income_cents || m->arbeid_cents[0] || m->arbeid_cents[1] || m->vrij_cents ||
			    m->right_cents || m->owed_cents)
				return failf(msg, cap, 4, "P8.inactive_income: %s inactive but income %s, owed %s",
					     mfmt(mb, m->month), money_format(x, m->income_cents),
					     money_format(y, m->owed_cents));
			for (k = m->first_line; k < m->first_line + m->n_lines; k++)
				if (r->lines[k].counted_cents)
					return failf(msg, cap, 4, "P8.inactive_income: %s inactive but income[%d] counts %s",
						     mfmt(mb, m->month), r->lines[k].income,
						     money_format(x, r->lines[k].counted_cents));
			stat(c, 1, "inactive months", 1);
			continue;
		}
		if (t->regeling != REGELING_PW) {
			if (m->income_cents)
				return failf(msg, cap, 5, "P8.handmatig: %s %s income %s settled (must be manual)",
					     mfmt(mb, m->month), regeling_name(t->regeling), money_format(x, m->income_cents));
			continue;
		}
		ref_income(t, m->month, &income, arbeid);
		if (m->income_cents != income)
			return failf(msg, cap, 6, "P8.income: %s income %s, rules.md §3 (benefit period %s) gives %s",
				     mfmt(mb, m->month), money_format(x, m->income_cents),
				     t->set.toerekening_dagen ? "dagen" : "einddatum", money_format(y, income));
		stat(c, 0, "active PW months", 1);
	}
	/* rules.md §5 step 2 and "settles only months it paid an advance for,
	 * or months at or after startmaand": a month with an advance paid (a
	 * ledger amount) before the run month is settled. */
	for (j = 0; j < (size_t)t->n_paid; j++) {
		const struct settle_paid *p = &t->paid[j];
		int found = 0;

		if (p->month >= t->run_month || (p->month < t->set.startmaand ? !p->advanced :
						       !p->paid_cents && !p->vt_paid_cents))
			continue;
		for (i = 0; i < r->n_months && !found; i++)
			found = r->months[i].month == p->month;
		if (!found)
			return failf(msg, cap, 7, "P8.paid_not_settled: %s had %s paid (ingangsdatum %s) but is not"
				     " settled: the overpayment is never recovered", mfmt(mb, p->month),
				     money_format(x, p->paid_cents), date_format(y, t->ingangsdatum));
	}
	for (j = 0; j < (size_t)t->n_paid; j++)
		stat(c, 2, "ledger months before the start", t->paid[j].month < month_of(t->ingangsdatum) ||
		     t->paid[j].month < t->set.startmaand);
	return 0;
}

/* ---- cmocka ------------------------------------------------------------------------ */


/* ---- P9: the stored record gives back the settlement ------------------------
 * settle_record.h: what the payment run stores instead of the text.  The
 * specification rendered from the decoded record is the specification
 * rendered from the engine's own structs, byte for byte; every month that
 * carries money (a difference, a VT difference, a booking, the run month)
 * comes back field for field with its income lines, the income records
 * they name and its vrijlating, and any other month comes back as its
 * number and days only; bookings, events and totals come back; the decoded record
 * encodes to the same bytes; and every cut of the record is refused as
 * damaged. */

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int same_income(const struct settle_income *a, const struct settle_income *b)
{
	return same_str(a->opgave_id, b->opgave_id) && same_str(a->lhnr, b->lhnr) &&
	       a->person_id == b->person_id && a->persoon == b->persoon && a->soort == b->soort &&
	       a->dat_aanv_tv == b->dat_aanv_tv && a->dat_eind_tv == b->dat_eind_tv &&
	       a->ln_lb_ph_cents == b->ln_lb_ph_cents && a->vak_bsl_cents == b->vak_bsl_cents &&
	       a->wrd_pr_gebr_aut_cents == b->wrd_pr_gebr_aut_cents && a->ing_lb_ph_cents == b->ing_lb_ph_cents &&
	       a->bijdr_zvw_cents == b->bijdr_zvw_cents && a->pr_wga_whk_wn_cents == b->pr_wga_whk_wn_cents;
}

/* Every field of month `a` (the engine's, with its lines and vrijlating
 * in `ra`/`ia`) is in month `b` (decoded); line and vrijlating positions
 * and income indexes may differ, what they name may not. */
static int same_month(const struct settle_month *a, const struct settle_result *ra, const struct settle_input *ia,
		      const struct settle_month *b, const struct settle_result *rb, const struct settle_input *ib)
{
	int j;

	if (a->month != b->month || a->rules != b->rules || a->first_day != b->first_day ||
	    a->active_days != b->active_days || a->days != b->days || a->cat != b->cat ||
	    a->kostendelers_a != b->kostendelers_a || a->aow != b->aow || a->base_cents != b->base_cents ||
	    a->wkv_cents != b->wkv_cents || a->norm_cents != b->norm_cents || a->income_cents != b->income_cents ||
	    a->arbeid_cents[0] != b->arbeid_cents[0] || a->arbeid_cents[1] != b->arbeid_cents[1] ||
	    a->vrij_cents != b->vrij_cents || a->right_cents != b->right_cents || a->owed_cents != b->owed_cents ||
	    a->vtres_cents != b->vtres_cents || a->paid_cents != b->paid_cents ||
	    a->vt_paid_cents != b->vt_paid_cents || a->advanced != b->advanced || a->diff_cents != b->diff_cents ||
	    a->vt_diff_cents != b->vt_diff_cents || a->n_lines != b->n_lines || a->n_vrij != b->n_vrij)
		return 0;
	for (j = 0; j < a->n_lines; j++) {
		const struct settle_income_line *x = &ra->lines[a->first_line + j], *y = &rb->lines[b->first_line + j];

		if (x->month != y->month || x->persoon != y->persoon || x->net_cents != y->net_cents ||
		    x->net_vt_cents != y->net_vt_cents || x->counted_cents != y->counted_cents ||
		    !same_income(&ia->incomes[x->income], &ib->incomes[y->income]))
			return 0;
	}
	for (j = 0; j < a->n_vrij; j++) {
		const struct settle_vrij *x = &ra->vrij[a->first_vrij + j], *y = &rb->vrij[b->first_vrij + j];

		if (x->grant != y->grant || x->code != y->code || x->persoon != y->persoon ||
		    x->applied != y->applied || x->candidate_cents != y->candidate_cents ||
		    x->amount_cents != y->amount_cents || strcmp(x->why, y->why) != 0)
			return 0;
	}
	return 1;
}

/* A month that carries money in the engine's result `r`. */
static int carries_money(const struct settle_result *r, size_t i)
{
	size_t j;

	if (i + 1 == r->n_months || r->months[i].diff_cents || r->months[i].vt_diff_cents)
		return 1;
	for (j = 0; j < r->n_bookings; j++)
		if (r->bookings[j].month == r->months[i].month)
			return 1;
	return 0;
}

/* Months of a decoded result that are more than their number. */
static int kept_in_full(const struct settle_result *r)
{
	struct settle_month bare;
	size_t i;
	int n = 0;

	for (i = 0; i < r->n_months; i++) {
		memset(&bare, 0, sizeof(bare));
		bare.month = r->months[i].month;
		bare.days = r->months[i].days;
		n += memcmp(&bare, &r->months[i], sizeof(bare)) != 0;
	}
	return n;
}

/* The decoded result `b` keeps what the engine's `a` says (check 5). */
static const char *record_keeps(const struct settle_result *a, const struct settle_input *ia,
				const struct settle_result *b, const struct settle_input *ib)
{
	struct settle_month bare;
	size_t i;

	if (a->n_months != b->n_months || a->n_bookings != b->n_bookings || a->n_events != b->n_events ||
	    a->client_cents != b->client_cents || a->deducted_cents != b->deducted_cents ||
	    a->carried_cents != b->carried_cents || a->claimed_cents != b->claimed_cents ||
	    a->additions_cents != b->additions_cents || a->vt_cents != b->vt_cents ||
	    a->instalments_cents != b->instalments_cents || a->derden_cents != b->derden_cents ||
	    a->buffer_cents != b->buffer_cents || a->advance_cents != b->advance_cents)
		return "the counts or totals differ";
	for (i = 0; i < a->n_bookings; i++)
		if (a->bookings[i].kind != b->bookings[i].kind || a->bookings[i].month != b->bookings[i].month ||
		    a->bookings[i].amount_cents != b->bookings[i].amount_cents || a->bookings[i].ref != b->bookings[i].ref)
			return "a booking differs";
	for (i = 0; i < a->n_events; i++)
		if (a->events[i].kind != b->events[i].kind || a->events[i].month != b->events[i].month ||
		    a->events[i].amount_cents != b->events[i].amount_cents || a->events[i].ref != b->events[i].ref)
			return "an event differs";
	for (i = 0; i < a->n_months; i++) {
		if (same_month(&a->months[i], a, ia, &b->months[i], b, ib))
			continue;
		memset(&bare, 0, sizeof(bare));
		bare.month = a->months[i].month;
		bare.days = a->months[i].days;
		if (carries_money(a, i))
			return "a month that carries money differs";
		if (memcmp(&bare, &b->months[i], sizeof(bare)) != 0)
			return "a month kept by number is not its number only";
	}
	return NULL;
}

static char *render(const struct settle_record_facts *f, const struct settle_input *in,
		    const struct settle_result *r, const struct settle_settings *set, size_t *len,
		    struct br_error *err)
{
	struct specification_dossier sd;
	char *text = NULL;
	FILE *out;
	int rc;

	memset(&sd, 0, sizeof(sd));
	sd.dossiernummer = f->s[0];
	sd.gemeente = f->s[1];
	sd.naam = f->s[2];
	sd.iban = f->s[3];
	sd.uitbetaaldatum = f->s[4];
	sd.set = set;
	if (!(out = open_memstream(&text, len)))
		return NULL;
	rc = specification_write(out, &sd, in, r, err);
	fclose(out);
	if (rc < 0) {
		free(text);
		return NULL;
	}
	return text;
}

static int prop_record(struct ctx *c, struct dossier *d, char *msg, size_t cap)
{
	static struct settle_record_buf b1, b2;
	struct settle_record rec;
	struct settle_record_facts f;
	struct dossier *t = &c->tmp;
	char nummer[32], *a = NULL, *z = NULL;
	const char *why;
	size_t alen = 0, zlen = 0, cut;
	int rc, tag = 0;

	*t = *d;
	if ((rc = run_settle(c, &c->r1, t)) < 0)
		return engine_error(c, msg, cap, rc);
	snprintf(nummer, sizeof(nummer), "PW-0405-%06ld", d->index);
	memset(&f, 0, sizeof(f));
	f.s[0] = nummer;
	f.s[1] = "0405";
	f.s[2] = "J. de Vries-Öztürk";
	f.s[3] = "NL91ABNA0417164300";
	f.s[4] = "2026-11-25";
	f.s[5] = NULL;
	f.n = 6;
	if (settle_record_encode(&b1, &t->set, &t->in, &c->r1, &f, &c->rules, &c->err) < 0)
		return failf(msg, cap, 1, "P9.encode: %s", c->err.msg);
	stat(c, 0, "record bytes (sum)", (long)b1.len);
	stat(c, 1, "months (sum)", (long)c->r1.n_months);
	if (settle_record_decode(&rec, b1.p, b1.len, &c->rules, &c->err) < 0) {
		tag = failf(msg, cap, 2, "P9.decode: %s", c->err.msg);
		goto out;
	}
	if (rec.facts.n != 6 || strcmp(rec.facts.s[0], nummer) != 0 || rec.facts.s[5] != NULL ||
	    strcmp(rec.facts.s[2], f.s[2]) != 0) {
		tag = failf(msg, cap, 3, "P9.facts: the texts do not come back");
		goto out;
	}
	a = render(&f, &t->in, &c->r1, &t->set, &alen, &c->err);
	z = render(&rec.facts, &rec.in, &rec.res, &rec.set, &zlen, &c->err);
	if (!a || !z || alen != zlen || memcmp(a, z, alen) != 0) {
		tag = failf(msg, cap, 4, "P9.render: the specification from the record differs (%zu vs %zu bytes%s%s)",
			    alen, zlen, a && z ? "" : ": ", a && z ? "" : c->err.msg);
		goto out;
	}
	if ((why = record_keeps(&c->r1, &t->in, &rec.res, &rec.in))) {
		tag = failf(msg, cap, 5, "P9.keeps: %s", why);
		goto out;
	}
	stat(c, 2, "months kept by number (sum)", (long)(c->r1.n_months - (size_t)kept_in_full(&rec.res)));
	if (settle_record_encode(&b2, &rec.set, &rec.in, &rec.res, &rec.facts, &c->rules, &c->err) < 0 ||
	    b2.len != b1.len || memcmp(b1.p, b2.p, b1.len) != 0) {
		tag = failf(msg, cap, 7, "P9.again: the decoded record encodes to other bytes (%zu vs %zu bytes)",
			    b1.len, b2.len);
		goto out;
	}
	for (cut = 0; cut < b1.len; cut += 1 + cut / 3) {
		struct settle_record bad;
		rc = settle_record_decode(&bad, b1.p, cut, &c->rules, &c->err);
		settle_record_free(&bad);
		if (rc != BR_EINPUT) {
			tag = failf(msg, cap, 6, "P9.cut: the first %zu of %zu bytes decode (rc %d)", cut, b1.len, rc);
			goto out;
		}
	}
out:
	free(a);
	free(z);
	settle_record_free(&rec);
	return tag;
}

static int parse_env_u64(const char *name, uint64_t *out)
{
	const char *v = getenv(name);
	char *end;
	unsigned long long x;

	if (!v || !*v)
		return 0;
	x = strtoull(v, &end, 0);
	if (*end)
		return -1;
	*out = (uint64_t)x;
	return 1;
}

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	const char *root = getenv("BR_SOURCE_DIR");
	char path[1200], xsd[1200];
	uint64_t v;
	int rc;

	if (!c)
		return -1;
	if (!root || !*root)
		root = BR_SOURCE_DIR;
	c->seed = PROPS_SEED_DEFAULT;
	c->n = PROPS_N_DEFAULT;
	c->only = -1;
	if (parse_env_u64("BR_PROPS_SEED", &c->seed) < 0 ||
	    (rc = parse_env_u64("BR_PROPS_N", &v)) < 0 || (rc && (c->n = (long)v) < 1) ||
	    (rc = parse_env_u64("BR_PROPS_CASE", &v)) < 0 || (rc && (c->only = (long)v) < 0)) {
		fprintf(stderr, "bad BR_PROPS_SEED / BR_PROPS_N / BR_PROPS_CASE\n");
		free(c);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/data/rules/regels.xml", root);
	snprintf(xsd, sizeof(xsd), "%s/data/schemas/regels.xsd", root);
	br_error_clear(&c->err);
	if (rules_load(&c->rules, path, xsd, &c->err) < 0) {
		fprintf(stderr, "cannot load the rules: %s (%s line %ld)\n", c->err.msg, c->err.file, c->err.line);
		rules_release(&c->rules);
		free(c);
		return -1;
	}
	settle_result_init(&c->r1);
	settle_result_init(&c->r2);
	settle_result_init(&c->rsim);
	printf("settle properties: master seed 0x%016" PRIx64 ", %ld dossiers per property%s\n",
	       c->seed, c->only >= 0 ? 1 : c->n, c->only >= 0 ? " (one case)" : "");
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;

	if (c) {
		settle_result_release(&c->r1);
		settle_result_release(&c->r2);
		settle_result_release(&c->rsim);
		rules_release(&c->rules);
		free(c);
	}
	return 0;
}

static void test_p1_zero_income(void **state)
{
	run_property(*state, "P1 zero income: right = norm, vrij = 0 (PW)", prop_zero_income);
}

static void test_p2_more_income(void **state)
{
	run_property(*state, "P2 more income never raises a right", prop_more_income);
}

static void test_p3_vrijlating(void **state)
{
	run_property(*state, "P3 vrijlating: cap, pct x arbeid, one per person", prop_vrijlating);
}

static void test_p4_balance(void **state)
{
	run_property(*state, "P4 balance of the run and of its bookings", prop_balance);
}

static void test_p5_idempotent(void **state)
{
	run_property(*state, "P5 settle, release, settle again: nothing changes", prop_idempotent);
}

static void test_p6_right_owed(void **state)
{
	run_property(*state, "P6 right <= norm, owed = excl(right), vtres = right - owed", prop_right_owed);
}

static void test_p7_pro_rata(void **state)
{
	run_property(*state, "P7 pro rata norm", prop_pro_rata);
}

static void test_p8_scope(void **state)
{
	run_property(*state, "P8 months settled and income counted", prop_scope);
}

/* ---- P10: income arriving opens a job, once (rules.md §5) ---------------------- */

/*
 * rules.md §5: "income arriving for them [IOAW, IOAZ, Bbz] opens an
 * INKOMEN_HANDMATIG job"; settle.h: one event per settled month in which a
 * record no earlier run saw (not `gezien`) counts.  A PW dossier's income
 * is settled, never raised.  Checked both ways: a new record counted in
 * an active month (the oracle's rules.md §3 share, not zero) raises its
 * month; a month with an event has a new record of this household whose
 * period touches it.
 */
static int prop_handmatig(struct ctx *c, struct dossier *d, char *msg, size_t cap)
{
	struct dossier *t = &c->tmp;
	struct settle_result *r = &c->r1;
	char mb[MONTH_FMT_MAX];
	size_t i, e;
	int rc, j;

	*t = *d;
	if ((rc = run_settle(c, r, t)) < 0)
		return engine_error(c, msg, cap, rc);
	for (i = 0; i < r->n_months; i++) {
		int32_t k = r->months[i].month, on;
		const struct settle_stand *s = ref_stand(t, k);
		int raised = 0, must = 0, may = 0;

		for (e = 0; e < r->n_events; e++)
			raised += r->events[e].kind == EVENT_INKOMEN_HANDMATIG && r->events[e].month == k;
		if (t->regeling == REGELING_PW) {
			if (raised)
				return failf(msg, cap, 2, "P10.pw: a PW dossier raised INKOMEN_HANDMATIG for %s",
					     mfmt(mb, k));
			continue;
		}
		for (j = 0; j < t->n_inc; j++) {
			const struct settle_income *x = &t->inc[j];

			if (x->gezien || (x->persoon == PERSON_PARTNER && !ref_couple(s)))
				continue;
			may |= x->dat_aanv_tv <= month_last_day(k) && x->dat_eind_tv >= month_first_day(k);
			must |= ref_active(t, k, &on) && ref_counted(t, x, k) != 0;
		}
		if (raised > 1)
			return failf(msg, cap, 3, "P10.once: %s raised %d times", mfmt(mb, k), raised);
		if (must && !raised)
			return failf(msg, cap, 4, "P10.arrived: income that arrived counts in %s, no job", mfmt(mb, k));
		if (raised && !may)
			return failf(msg, cap, 5, "P10.seen: %s raised, but no record that arrived touches it",
				     mfmt(mb, k));
		stat(c, raised ? 0 : 1, raised ? "months raised" : "months not raised", 1);
	}
	return 0;
}

static void test_p10_handmatig(void **state)
{
	run_property(*state, "P10 income arriving for IOAW/IOAZ/Bbz opens a job, once", prop_handmatig);
}

static void test_p9_record(void **state)
{
	run_property(*state, "P9 the stored record renders and keeps what the engine did", prop_record);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_p1_zero_income),
		cmocka_unit_test(test_p2_more_income),
		cmocka_unit_test(test_p3_vrijlating),
		cmocka_unit_test(test_p4_balance),
		cmocka_unit_test(test_p5_idempotent),
		cmocka_unit_test(test_p6_right_owed),
		cmocka_unit_test(test_p7_pro_rata),
		cmocka_unit_test(test_p8_scope),
		cmocka_unit_test(test_p9_record),
		cmocka_unit_test(test_p10_handmatig),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

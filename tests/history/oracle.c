/*
 * oracle.c — the independent settlement of the history test (issue 15).
 * Written from the specification's rules.md (§1 rounding, §2 norms, §3 income,
 * §4 vrijlating, §5 the run), formats.md §1–§2 (which snapshot and which
 * income record count) and signals.md (holds, job outcomes).  Deliberately
 * naive: every quantity is recomputed from the history for every run, by
 * scanning; no code of the program is used.
 */
#include "oracle.h"

#include <stdlib.h>
#include <string.h>

/* ---- calendar (Howard Hinnant's days-from-civil, written anew) ---------- */

int32_t o_days(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void o_ymd(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int32_t o_month_first(int month)
{
	return o_days(month / 12, month % 12 + 1, 1);
}

int32_t o_month_last(int month)
{
	return o_month_first(month + 1) - 1;
}

int o_month_of(int32_t day)
{
	int y, m, d;
	o_ymd(day, &y, &m, &d);
	return y * 12 + m - 1;
}

/* Full years on `on`; a 29 February birthday is reached on 1 March in a
 * year without one (the tuple comparison gives that by itself). */
int o_age(int32_t birth, int32_t on)
{
	int by, bm, bd, y, m, d, a;

	o_ymd(birth, &by, &bm, &bd);
	o_ymd(on, &y, &m, &d);
	a = y - by;
	if (m < bm || (m == bm && d < bd))
		a--;
	return a;
}

/* rules.md §1: round half away from zero, den > 0. */
int64_t o_round_div(int64_t num, int64_t den)
{
	int64_t a = num < 0 ? -num : num;
	int64_t q = (2 * a + den) / (2 * den);
	return num < 0 ? -q : q;
}

static int64_t pct(int64_t x, int64_t num, int64_t den)
{
	return o_round_div(x * num, den);
}

static int32_t min32(int32_t a, int32_t b) { return a < b ? a : b; }
static int32_t max32(int32_t a, int32_t b) { return a > b ? a : b; }
static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

/* Days of [a1,e1] ∩ [a2,e2]. */
static int overlap(int32_t a1, int32_t e1, int32_t a2, int32_t e2)
{
	int32_t a = max32(a1, a2), e = min32(e1, e2);
	return e < a ? 0 : (int)(e - a + 1);
}

/* ---- rules.md §2 and §4, the three sets that must ship ------------------- */

enum cat { C_ALL = 0, C_GEH, C_AOW_ALL, C_AOW_GEH, C_JONG_ALL, C_JONG_GEH, C_JONG_GEH_KIND,
	   C_JONG_GEM, C_JONG_GEM_KIND, C_N };

/* art. 20–22 Pw (BWBR0015703, versions 2025-07-01, 2026-01-01, 2026-07-01),
 * rules.md §2, monthly incl. vakantietoeslag, in cents */
static const int64_t NORM[3][C_N] = {
	{ 136906, 195580, 153021, 209498, 33798, 67596, 106712, 131588, 170704 },
	{ 140150, 200213, 156469, 214416, 34599, 69198, 109241, 134706, 174749 },
	{ 141946, 202779, 158734, 217610, 35042, 70084, 110640, 136432, 176988 },
};

/* art. 31(2)(n, r, y, z, aa) Pw, rules.md §4: caps per set ("cap 2026"
 * for both 2026 sets), percentages as exact ratios */
static const int64_t CAP[3][H_NCODES] = {
	{ 27800, 17387, 17635, 17635, 17635 },
	{ 28500, 17766, 18019, 18019, 18019 },
	{ 28500, 17766, 18019, 18019, 18019 },
};
static const int64_t PCT_NUM[H_NCODES] = { 25, 125, 15, 15, 15 };
static const int64_t PCT_DEN[H_NCODES] = { 100, 1000, 100, 100, 100 };

static int set_for(int32_t first_day)
{
	if (first_day >= o_days(2026, 7, 1))
		return 2;
	if (first_day >= o_days(2026, 1, 1))
		return 1;
	return 0;
}

/* AOW age (rules.md §2): 67 for people born before 1961-01-01, 67 and 3
 * months after. */
static int at_aow(int32_t geb, int32_t on)
{
	int by, bm, bd, y, m, d, months;

	if (geb < o_days(1961, 1, 1))
		return o_age(geb, on) >= 67;
	o_ymd(geb, &by, &bm, &bd);
	o_ymd(on, &y, &m, &d);
	months = (y - by) * 12 + (m - bm) - (d < bd ? 1 : 0);
	return months >= 67 * 12 + 3;
}

/* ---- what is known at the run of M --------------------------------------- */

/* formats.md §1: the stand in force on the first day of month k is the
 * last snapshot (known at M, holding the dossier) of a month <= k.  A
 * month before the dossier's first snapshot takes the stand of that first
 * month, i.e. its last snapshot, as a later snapshot in the same month
 * replaces the month's stand (INTERPRETATIE: the register has no older
 * values). */
static int stand_snap(const struct h_history *h, int d, int M, int k)
{
	int s, best = -1, first = -1, first_month = -1;

	for (s = 0; s < h->n_snaps; s++) {
		if (h->snaps[s].arrive > M || !h->snaps[s].d[d].present)
			continue;
		if (first_month < 0)
			first_month = o_month_of(h->snaps[s].peil);
		if (o_month_of(h->snaps[s].peil) == first_month)
			first = s;
		if (o_month_of(h->snaps[s].peil) <= k)
			best = s;
	}
	return best >= 0 ? best : first;
}

/* formats.md §1: dates apply as given (latest snapshot holding the
 * dossier); one that disappears ends on the new peildatum unless it ended
 * earlier.  signals.md: BEEINDIGD ends it as of the date given. */
static void dossier_dates(const struct h_history *h, int d, int M, int32_t *ingang, int32_t *eind)
{
	int s, known = 0, i;

	*ingang = H_NONE;
	*eind = H_NONE;
	for (s = 0; s < h->n_snaps; s++) {
		const struct h_snap *sn = &h->snaps[s];
		if (sn->arrive > M)
			continue;
		if (sn->d[d].present) {
			*ingang = sn->d[d].ingang;
			*eind = sn->d[d].eind;
			known = 1;
		} else if (known && (*eind == H_NONE || *eind > sn->peil)) {
			*eind = sn->peil;
		}
	}
	for (i = 0; i < h->n_signals; i++) {
		const struct h_signal *g = &h->signals[i];
		if (g->dossier == d && g->hold && g->close && g->close <= M && g->outcome == H_BEEINDIGD &&
		    (*eind == H_NONE || g->datum < *eind))
			*eind = g->datum;
	}
}

/* signals.md: a signal matches every dossier whose latest stand (when it
 * arrives) has its BSN as applicant or partner, also one that has since
 * left the register. */
static int matches(const struct h_history *h, const struct h_signal *g, int d)
{
	int s, last = -1;
	for (s = 0; s < h->n_snaps; s++)
		if (h->snaps[s].arrive <= g->arrive && h->snaps[s].d[d].present)
			last = s;
	return last >= 0 && (h->snaps[last].d[d].aanvrager == g->person || h->snaps[last].d[d].partner == g->person);
}

int oracle_held(const struct h_history *h, int d, int M)
{
	int i;
	for (i = 0; i < h->n_signals; i++) {
		const struct h_signal *g = &h->signals[i];
		/* the history closes the job of its own dossier only */
		if (g->hold && g->arrive <= M && g->begin <= o_month_last(M) &&
		    (g->dossier == d ? !g->close || g->close > M : matches(h, g, d)))
			return 1;
	}
	return 0;
}

/* Active days of month k: inside Ingangsdatum–Einddatum, less the days of
 * periods closed as RECHT_VERVALLEN (signals.md). */
static int active_days(const struct h_history *h, int d, int M, int k, int32_t ingang, int32_t eind)
{
	int32_t lo = max32(o_month_first(k), ingang);
	int32_t hi = eind == H_NONE ? o_month_last(k) : min32(o_month_last(k), eind);
	char off[32];
	int32_t day;
	int i, n = 0;

	if (ingang == H_NONE || hi < lo)
		return 0;
	memset(off, 0, sizeof(off));
	for (i = 0; i < h->n_signals; i++) {
		const struct h_signal *g = &h->signals[i];
		if (g->dossier != d || !g->hold || !g->close || g->close > M || g->outcome != H_RECHT_VERVALLEN)
			continue;
		for (day = max32(lo, g->van); day <= min32(hi, g->tot); day++)
			off[day - lo] = 1;
	}
	for (day = lo; day <= hi; day++)
		n += !off[day - lo];
	return n;
}

/* formats.md §2: what counts for an id is decided by the whole chain,
 * whatever the order of arrival: a record counts when it is not a
 * withdrawal and no record known at M replaces it (Vervangt).  A
 * correction of an id never seen counts as that income. */
static void effective(unsigned char *eff, const struct h_history *h, int M)
{
	int i;

	for (i = 0; i < h->n_records; i++)
		eff[i] = h->records[i].arrive <= M && !h->records[i].intrekking;
	for (i = 0; i < h->n_records; i++)
		if (h->records[i].arrive <= M && h->records[i].vervangt >= 0)
			eff[h->records[i].vervangt] = 0;
}

static int64_t net_of(const struct h_record *r)
{
	return r->ln - r->autov - r->ing - r->zvw - r->wga;   /* rules.md §3 */
}

/* rules.md §3: the part of record r counted in month k. */
static int64_t counted(const struct h_record *r, int k, int32_t bi, int32_t be, int dagen, int order)
{
	int64_t net = net_of(r);
	int32_t a = r->aanv, e = r->eind;
	int len = (int)(e - a + 1);
	int32_t bend = be == H_NONE ? INT32_MAX : be;
	int inside = overlap(a, e, bi, bend);
	int mk, first = o_month_of(a), last = o_month_of(e);

	if (!dagen) {
		if (o_month_of(e) != k || inside == 0)
			return 0;
		return inside == len ? net : o_round_div(net * inside, len);
	}
	if (k < first || k > last || inside == 0)
		return 0;
	if (order == 1) {
		/* spread over the period's days (last month takes the rest),
		 * then each month's share by its days inside */
		int64_t share = 0, sum = 0;
		int dk, dki;
		for (mk = first; mk <= last; mk++) {
			int dm = overlap(a, e, o_month_first(mk), o_month_last(mk));
			int64_t s = mk == last ? net - sum : o_round_div(net * dm, len);
			sum += s;
			if (mk == k)
				share = s;
		}
		dk = overlap(a, e, o_month_first(k), o_month_last(k));
		dki = overlap(max32(a, bi), min32(e, bend), o_month_first(k), o_month_last(k));
		if (dki == dk)
			return share;
		return o_round_div(share * dki, dk);
	} else {
		/* the share inside the benefit period first, spread over the
		 * inside days (the last month with inside days takes the rest) */
		int64_t in = inside == len ? net : o_round_div(net * inside, len), sum = 0;
		int32_t ia = max32(a, bi), ie = min32(e, bend);
		int lastin = o_month_of(ie);
		for (mk = o_month_of(ia); mk <= lastin; mk++) {
			int dm = overlap(ia, ie, o_month_first(mk), o_month_last(mk));
			int64_t s = mk == lastin ? in - sum : o_round_div(in * dm, inside);
			sum += s;
			if (mk == k)
				return s;
		}
		return 0;
	}
}

/* ---- the household norm (rules.md §2) ------------------------------------ */

static int64_t household_norm(const struct h_history *h, const struct h_dos *st, int32_t fd)
{
	int set = set_for(fd);
	int32_t ga = h->persons[st->aanvrager].geb;
	int couple = st->leefvorm == H_GEHUWD && st->partner >= 0;
	int age_a = o_age(ga, fd), aow_a = at_aow(ga, fd), age_p = 0, aow_p = 0;
	int kids = st->kind != H_NONE && o_age(st->kind, fd) < 18;
	int cat, A;
	int64_t B, base;

	if (couple) {
		age_p = o_age(h->persons[st->partner].geb, fd);
		aow_p = at_aow(h->persons[st->partner].geb, fd);
	}
	if (!couple)
		cat = aow_a ? C_AOW_ALL : age_a < 21 ? C_JONG_ALL : C_ALL;
	else if (aow_a || aow_p)
		cat = C_AOW_GEH;
	else if (age_a < 21 && age_p < 21)
		cat = kids ? C_JONG_GEH_KIND : C_JONG_GEH;
	else if (age_a < 21 || age_p < 21)
		cat = kids ? C_JONG_GEM_KIND : C_JONG_GEM;
	else
		cat = C_GEH;
	B = (cat == C_AOW_ALL || cat == C_AOW_GEH) ? NORM[set][C_AOW_GEH] : NORM[set][C_GEH];
	base = NORM[set][cat];
	/* art. 22a: applicant 21+, not a young couple */
	if (age_a >= 21 && cat != C_JONG_GEM && cat != C_JONG_GEM_KIND) {
		A = 1 + (couple && age_p >= 21 ? 1 : 0) + st->kostendelers;
		if ((!couple && A >= 2) || (couple && A >= 3)) {
			int64_t per = o_round_div(B * (40 + 30 * A), 100 * A);
			base = couple ? 2 * per : per;
		}
	}
	/* art. 27 */
	if (st->wkv > 0)
		base = max64(0, base - pct(B, st->wkv, 100));
	return base;
}

/* ---- vrijlating bookkeeping per grant (identity: code, person, start) ---- */

struct gstate {
	int code, rol;
	int32_t ingang;
	int gebruikt;
	int n_applied;
	int first;          /* first month applied, -1 */
};

static struct gstate *gfind(struct gstate *g, int *n, const struct h_grant *x)
{
	int i;
	for (i = 0; i < *n; i++)
		if (g[i].code == x->code && g[i].rol == x->rol && g[i].ingang == x->ingang)
			return &g[i];
	if (*n >= 4 * H_MAX_GRANTS * 4)
		return NULL;
	memset(&g[*n], 0, sizeof(g[*n]));
	g[*n].code = x->code;
	g[*n].rol = x->rol;
	g[*n].ingang = x->ingang;
	g[*n].first = -1;
	return &g[(*n)++];
}

/* The household values of two snapshots are the same (dates aside). */
static int same_values(const struct h_dos *a, const struct h_dos *b)
{
	struct h_dos x = *a, y = *b;
	x.ingang = y.ingang = 0;
	x.eind = y.eind = 0;
	if (x.wkv < 0)     /* no Woonkostenverlaging is 0 % */
		x.wkv = 0;
	if (y.wkv < 0)
		y.wkv = 0;
	return memcmp(&x, &y, sizeof(x)) == 0;
}

/* The snapshot whose peildatum dates the claims' Saldo at run M. */
static int claim_snap(const struct h_history *h, int d, int M, int sn, const struct o_opts *opt)
{
	int s, prev;

	if (!opt->claim_since_stand)
		return sn;
	for (s = sn; s > 0; s = prev) {
		for (prev = s - 1; prev >= 0 && (h->snaps[prev].arrive > M || !h->snaps[prev].d[d].present); prev--)
			;
		if (prev < 0 || !same_values(&h->snaps[prev].d[d], &h->snaps[sn].d[d]))
			break;
	}
	return s;
}

/* ---- rules.md §5a: the bufferbudget ---------------------------------------- */

#define BUFFER_FROM (2027 * 12)        /* bufferbudget_max from 2027-01-01 */
#define BUFFER_MAX 100000              /* 1000.00 per calendar year */

static int year_index(int month)
{
	int y = month / 12 - 2025;
	return y < 0 ? 0 : y > 7 ? 7 : y;
}

/* "months k in which ARBEID income of the applicant or partner was counted" */
static int work_month(const struct o_run *r, int month, const struct o_opts *opt)
{
	int i;
	for (i = 0; i < r->n; i++)
		if (r->m[i].month == month)
			return opt->work_per_person ? r->m[i].arbeid[0] > 0 || r->m[i].arbeid[1] > 0
						    : r->m[i].arbeid[0] + r->m[i].arbeid[1] > 0;
	return 0;
}

int oracle_buffer_close(struct o_bclose *out, int cap, const struct h_history *h, int d, int M,
			struct o_ledger *l)
{
	int p, n = 0, i;

	for (p = h->m0; p < M && n < cap; p++) {
		const struct h_bdecision *dec = &h->bdec[d][p - h->m0];
		struct o_bclose *c;
		int64_t used, room;

		if (l->proposed[p - h->m0] <= 0 || !dec->delay || p + dec->delay != M)
			continue;
		c = &out[n++];
		memset(c, 0, sizeof(*c));
		c->month = p;
		c->proposal = l->proposed[p - h->m0];
		/* "X at most the proposal and at most left(Y)": left of the
		 * proposal's year, less what is granted and not yet paid
		 * (INTERPRETATIE: a grant is spoken for) */
		used = l->buf_used[year_index(p)];
		for (i = 0; i < l->n_bgrant; i++)
			if (!l->bgrant[i].paid && year_index(l->bgrant[i].month) == year_index(p))
				used += l->bgrant[i].amount;
		room = max64(0, BUFFER_MAX - used);
		c->limit = min64(c->proposal, room);
		if (dec->probe && c->limit < c->proposal && dec->pct % 2)
			c->probe_proposal = 1;
		else if (dec->probe)
			c->probe = c->limit + 1;
		if (!dec->grant || c->limit <= 0)
			continue;   /* AFWIJZEN */
		c->grant = 1;
		if (dec->pct >= 100) {
			c->granted = c->limit;
			c->bedrag = c->limit == c->proposal ? 0 : c->limit;
		} else {
			c->granted = max64(1, c->limit * dec->pct / 100);
			c->bedrag = c->granted;
		}
		if (l->n_bgrant < H_MAX_MONTHS) {
			l->bgrant[l->n_bgrant].month = p;
			l->bgrant[l->n_bgrant].amount = c->granted;
			l->bgrant[l->n_bgrant++].paid = 0;
		}
	}
	return n;
}

/* ---- one run ------------------------------------------------------------- */

void oracle_run(struct o_run *out, const struct h_history *h, int d, int M, const struct o_ledger *l,
		const struct o_opts *opt)
{
	static unsigned char eff[H_MAX_RECORDS];
	static uint64_t eff_seed = ~0ull;
	static int eff_M = -1, eff_n = -1;
	static const struct h_history *eff_h;
	struct gstate gs[4 * H_MAX_GRANTS * 4];
	int n_gs = 0, first_snap = -1;
	int32_t ingang, eind;
	int k, i, s;
	int64_t avail, left;
	struct { int month; int vt; int64_t amount, taken; } neg[2 * H_MAX_MONTHS];
	int n_neg = 0;

	memset(out, 0, sizeof(*out));
	out->run_month = M;
	out->m0 = h->m0;
	out->buffer_left = -1;
	if (eff_h != h || eff_seed != h->seed || eff_M != M || eff_n != h->n_records) {
		effective(eff, h, M);
		eff_h = h;
		eff_seed = h->seed;
		eff_M = M;
		eff_n = h->n_records;
	}
	dossier_dates(h, d, M, &ingang, &eind);
	for (s = 0; s < h->n_snaps; s++)
		if (h->snaps[s].arrive <= M && h->snaps[s].d[d].present) {
			first_snap = s;
			break;
		}
	if (first_snap < 0)
		return;
	/* cut-over maanden_gebruikt: only from the first snapshot with the dossier */
	{
		const struct h_dos *f = &h->snaps[first_snap].d[d];
		for (i = 0; i < f->n_grants; i++) {
			struct gstate *g = gfind(gs, &n_gs, &f->grants[i]);
			if (g)
				g->gebruikt = f->grants[i].gebruikt;
		}
	}

	for (k = h->m0; k <= M; k++) {
		int ki = k - h->m0, sn = stand_snap(h, d, M, k), rol;
		const struct h_dos *st = &h->snaps[sn].d[d];
		struct o_month *om;
		int act = active_days(h, d, M, k, ingang, eind);
		int couple = st->leefvorm == H_GEHUWD && st->partner >= 0;
		int set;

		if (!act && !l->paid[ki] && !l->vtpaid[ki] && !l->advanced[ki])
			continue;
		om = &out->m[out->n++];
		om->month = k;
		om->days = (int)(o_month_last(k) - o_month_first(k) + 1);
		om->active_days = act;
		om->first_day = max32(o_month_first(k), ingang);
		om->vrij_grant[0] = om->vrij_grant[1] = -1;
		om->stand_snap = sn;
		if (!act)
			goto settled;
		set = set_for(o_month_first(k));
		om->norm = household_norm(h, st, om->first_day);
		if (act < om->days)
			om->norm = o_round_div(om->norm * act, om->days);

		for (i = 0; i < h->n_records; i++) {
			const struct h_record *r = &h->records[i];
			int64_t c;
			if (!eff[i])
				continue;
			if (r->person == st->aanvrager)
				rol = H_AANVRAGER;
			else if (couple && r->person == st->partner)
				rol = H_PARTNER;
			else
				continue;
			c = counted(r, k, ingang, eind, h->dagen, opt->dagen_order);
			om->income += c;
			if (r->soort == H_ARBEID)
				om->arbeid[rol] += c;
		}

		for (rol = 0; rol <= (couple ? 1 : 0); rol++) {
			int person = rol ? st->partner : st->aanvrager;
			int32_t geb = h->persons[person].geb;
			int age = o_age(geb, om->first_day), best = -1;
			int64_t bestamt = 0;
			struct gstate *bestg = NULL;

			for (i = 0; i < st->n_grants; i++) {
				const struct h_grant *gr = &st->grants[i];
				struct gstate *g;
				int64_t cand;
				if (gr->rol != rol || gr->ingang > o_month_last(k) ||
				    (gr->eind != H_NONE && gr->eind < o_month_first(k)))
					continue;
				if (gr->code == H_N && (age < 27 || at_aow(geb, om->first_day)))
					continue;
				if (gr->code == H_R && (st->leefvorm != H_ALLEENSTAANDE_OUDER || st->kind == H_NONE ||
							o_age(st->kind, om->first_day) >= 12 || age < 27))
					continue;
				if (!(g = gfind(gs, &n_gs, gr)))
					continue;
				if (gr->code == H_N && g->n_applied + g->gebruikt >= 6)
					continue;
				if (gr->code == H_Z && g->n_applied + g->gebruikt >= 12)
					continue;
				/* 30 consecutive months from the first month applied;
				 * with a cut-over the window was already running:
				 * `gebruikt` months of it passed before startmaand
				 * (INTERPRETATIE) */
				if (gr->code == H_R && (g->gebruikt > 0 ? k - (h->m0 - g->gebruikt) >= 30
									: g->first >= 0 && k - g->first >= 30))
					continue;
				cand = min64(CAP[set][gr->code],
					     pct(max64(0, om->arbeid[rol]), PCT_NUM[gr->code], PCT_DEN[gr->code]));
				if (cand > bestamt) {
					bestamt = cand;
					best = i;
					bestg = g;
				}
			}
			if (best >= 0 && bestamt > 0) {
				bestg->n_applied++;
				if (bestg->first < 0)
					bestg->first = k;
				om->vrij += bestamt;
				om->vrij_grant[rol] = best;
			}
		}
		om->right = min64(om->norm, max64(0, om->norm - (om->income - om->vrij)));
		om->owed = pct(om->right, 95, 100);
		om->vtres = om->right - om->owed;
settled:
		if (k < M)
			om->diff = om->owed - l->paid[ki];
	}

	/* ---- §5: the run --------------------------------------------------- */
	{
		int32_t first = o_month_first(M);
		struct o_month *mm = out->n && out->m[out->n - 1].month == M ? &out->m[out->n - 1] : NULL;
		int sn = stand_snap(h, d, M, M);
		const struct h_dos *st = &h->snaps[sn].d[d];
		int order[H_MAX_DERDEN], nd = st->n_derden, j;

		out->active_in_run = mm && mm->active_days > 0;
		out->vt_run = (M % 12 + 1) == 6 || (eind != H_NONE && first > eind);
		out->vt_until = M;
		out->vt_spec = out->vt_run;
		if (!out->vt_run && l->vt_pending) {
			/* §2: VT a held run kept is paid by the first run after;
			 * the engine does so only when that June has active days
			 * now (known defect, checked with held_june_inactive) */
			int june_active = 0;
			for (i = 0; i < out->n; i++)
				if (out->m[i].month == l->vt_pending - 1 && out->m[i].active_days > 0)
					june_active = 1;
			if (june_active || opt->held_june_inactive) {
				out->vt_run = 1;
				out->vt_until = l->vt_pending - 1;
			}
		}
		if (!out->vt_run && opt->vt_unpaid_june) {
			int june = M - ((M % 12) + 1 - 6 + 12) % 12;
			for (i = 0; i < out->n; i++)
				if (out->m[i].month == june && out->m[i].active_days > 0 && !l->advanced[june - h->m0] &&
				    june >= h->m0) {
					out->vt_run = 1;
					out->vt_until = june;
				}
		}
		out->held = oracle_held(h, d, M);
		if (out->active_in_run) {
			out->advance = pct(mm->norm, 95, 100);
			out->book_paid[M - h->m0] += out->advance;
			out->book_adv[M - h->m0] = out->advance > 0;
		}
		for (i = 0; i < out->n; i++) {
			struct o_month *om = &out->m[i];
			int ki = om->month - h->m0;
			if (om->month >= M)
				continue;
			if (om->diff > 0) {
				out->additions += om->diff;
				out->book_paid[ki] += om->diff;
				out->book_adv[ki] = 1;
			} else if (om->diff < 0) {
				neg[n_neg].month = om->month;
				neg[n_neg].vt = 0;
				neg[n_neg].taken = 0;
				neg[n_neg++].amount = -om->diff;
			}
			if (out->vt_run && om->month < out->vt_until) {
				om->vt_diff = om->vtres - l->vtpaid[ki];
				if (om->vt_diff > 0) {
					out->vt += om->vt_diff;
					out->book_vt[ki] += om->vt_diff;
				} else if (om->vt_diff < 0) {
					neg[n_neg].month = om->month;
					neg[n_neg].vt = 1;
					neg[n_neg].taken = 0;
					neg[n_neg++].amount = -om->vt_diff;
				}
			}
		}
		/* step 4: oldest month first (neg is in month order already) */
		avail = out->advance + out->additions + out->vt;
		for (i = 0; i < n_neg; i++) {
			int ki = neg[i].month - h->m0;
			int64_t x;
			if (M - neg[i].month > 6) {
				out->claimed += neg[i].amount;
				if (neg[i].vt)
					out->book_vt[ki] -= neg[i].amount;
				else
					out->book_paid[ki] -= neg[i].amount;
				continue;
			}
			x = min64(neg[i].amount, avail - out->deducted);
			neg[i].taken = x;
			out->deducted += x;
			out->carried += neg[i].amount - x;
			if (neg[i].vt)
				out->book_vt[ki] -= x;
			else
				out->book_paid[ki] -= x;
		}
		left = avail - out->deducted;
		/* §5a: the bufferbudget, from 2027, when the setting is not uit */
		if (h->buffer != H_BUFFER_UIT && M >= BUFFER_FROM) {
			int64_t bleft = max64(0, BUFFER_MAX - l->buf_used[year_index(M)]), b, adv;
			int64_t work = 0;

			/* granted proposals not yet paid: paid now, booked on
			 * their month, and no longer left this year */
			for (i = 0; i < l->n_bgrant; i++) {
				const struct o_bgrant *g = &l->bgrant[i];
				if (g->paid)
					continue;
				out->buffer += g->amount;
				out->book_buffer[g->month - h->m0] += g->amount;
				left += g->amount;
				bleft = max64(0, bleft - g->amount);
			}
			out->n_bgrant_paid = l->n_bgrant;
			/* floor of the month's whole advance excl(norm(M)) */
			adv = out->active_in_run ? pct(mm->norm, 95, 100) : 0;
			out->buffer_floor = pct(adv, h->ondergrens, 100);
			out->after4 = left;
			for (i = 0; i < n_neg; i++)
				if (neg[i].taken > 0 && work_month(out, neg[i].month, opt))
					work += neg[i].taken;
			out->work_ded = work;
			b = min64(min64(bleft, work), max64(0, out->buffer_floor - left));
			out->buffer_left = bleft;
			if (b > 0 && h->buffer == H_BUFFER_VOORSTEL) {
				int p;
				out->buffer_proposed = b;
				/* a new BUFFER job, unless one of the dossier is
				 * still open (closed at the start of a later run,
				 * or never): then the event joins it */
				out->buffer_job = 1;
				for (p = h->m0; p < M; p++) {
					const struct h_bdecision *dec = &h->bdec[d][p - h->m0];
					if (l->proposed[p - h->m0] > 0 && (!dec->delay || p + dec->delay > M))
						out->buffer_job = 0;
				}
			} else if (b > 0) {
				out->buffer += b;
				out->buffer_left = bleft - b;
				left += b;
				/* on the months whose deduction it covers, newest first */
				for (i = n_neg; i-- > 0 && b > 0;) {
					int64_t c;
					if (neg[i].taken <= 0 || !work_month(out, neg[i].month, opt))
						continue;
					c = min64(b, neg[i].taken);
					out->book_buffer[neg[i].month - h->m0] += c;
					b -= c;
				}
			}
		}
		/* step 5: claims, above the beslagvrije voet of 95% of advance(M) */
		{
			int64_t room = max64(0, left - pct(out->advance, 95, 100));
			int32_t peil = h->snaps[claim_snap(h, d, M, sn, opt)].peil;
			out->n_claims = st->n_claims;
			for (i = 0; i < st->n_claims; i++) {
				const struct h_claim *c = &st->claims[i];
				int64_t wh = 0, x;
				for (j = 0; j < l->n_wh; j++)
					if (strcmp(l->wh[j].kenmerk, c->kenmerk) == 0 &&
					    l->wh[j].released >= peil)
						wh += l->wh[j].amount;
				x = min64(min64(c->termijn, max64(0, c->saldo - wh)), room);
				x = max64(0, x);
				out->inst[i] = x;
				memcpy(out->inst_kenmerk[i], c->kenmerk, sizeof(out->inst_kenmerk[i]));
				out->instalments += x;
				room -= x;
				left -= x;
			}
		}
		/* step 6: third parties, only when active in M, priority then
		 * register order, each whole or skipped */
		if (out->active_in_run) {
			for (i = 0; i < nd; i++)
				order[i] = i;
			for (i = 1; i < nd; i++)
				for (j = i; j > 0 && st->derden[order[j]].prio < st->derden[order[j - 1]].prio; j--) {
					int t = order[j];
					order[j] = order[j - 1];
					order[j - 1] = t;
				}
			for (i = 0; i < nd; i++) {
				int64_t b = st->derden[order[i]].bedrag;
				if (b <= left) {
					out->derden += b;
					left -= b;
				}
			}
		}
		out->client = left;
	}
	(void)avail;
}

/* The dossier is in the run: active in M or something to book (payrun
 * leaves an ended dossier with nothing to settle out of the run). */
static int in_run(const struct o_run *r)
{
	int i;

	if (r->active_in_run || r->advance || r->additions || r->vt || r->deducted || r->claimed ||
	    r->instalments || r->derden || r->client || r->buffer)
		return 1;
	for (i = 0; i < H_MAX_MONTHS; i++)
		if (r->book_paid[i] || r->book_vt[i] || r->book_buffer[i])
			return 1;
	return 0;
}

void oracle_hold(struct o_ledger *l, const struct o_run *r, int run_month, const struct o_opts *opt)
{
	(void)opt;
	/* A held run after the end is followed by runs after the end, which
	 * settle VT anyway; unless the dossier restarts, and then the end it
	 * was held for no longer exists (INTERPRETATIE).  So only a held June
	 * run leaves VT pending, and only when the dossier was in it: a June
	 * run that an ended dossier with nothing to settle is not part of
	 * keeps nothing back (rules.md §2 "VT that a hold kept from a run").
	 * A later held June run (a hold over two Junes) keeps the VT of every
	 * month before it: it supersedes the earlier one. */
	if (r->vt_spec && (run_month % 12) + 1 == 6 && in_run(r))
		l->vt_pending = run_month + 1;
	/* §5a voorstel: the run opens its BUFFER job also for a held dossier */
	if (r->buffer_job && run_month - r->m0 < H_MAX_MONTHS)
		l->proposed[run_month - r->m0] = r->buffer_proposed;
}

void oracle_book(struct o_ledger *l, const struct o_run *r, int m0, int32_t released)
{
	int i;

	if (r->vt_run)
		l->vt_pending = 0;

	(void)m0;
	for (i = 0; i < H_MAX_MONTHS; i++) {
		l->paid[i] += r->book_paid[i];
		l->vtpaid[i] += r->book_vt[i];
		l->advanced[i] |= r->book_adv[i];
	}
	/* §5a: the grants this run paid, the budget it released (counted for
	 * the calendar year of the run month), the BUFFER job it opened */
	for (i = 0; i < r->n_bgrant_paid && i < l->n_bgrant; i++)
		l->bgrant[i].paid = 1;
	l->buf_used[year_index(r->run_month)] += r->buffer;
	if (r->buffer_job && r->run_month - r->m0 < H_MAX_MONTHS)
		l->proposed[r->run_month - r->m0] = r->buffer_proposed;
	for (i = 0; i < r->n_claims; i++)
		if (r->inst[i] > 0 && l->n_wh < (int)(sizeof(l->wh) / sizeof(l->wh[0]))) {
			memcpy(l->wh[l->n_wh].kenmerk, r->inst_kenmerk[i], sizeof(l->wh[l->n_wh].kenmerk));
			l->wh[l->n_wh].released = released;
			l->wh[l->n_wh].amount = r->inst[i];
			l->n_wh++;
		}
}

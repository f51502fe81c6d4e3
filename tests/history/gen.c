/*
 * gen.c — generating a random register history (issue 15): a few dozen
 * dossiers over 12–18 months, with partners arriving, leaving (sometimes
 * to start a dossier of their own) and being replaced, leefvorm,
 * children, kostendelers and woonkostenverlaging changing, vrijlating
 * grants (with cut-over months), claims and third parties, ends (also
 * retroactive and by disappearing from the register) and restarts, income
 * of every person (monthly and four-weekly payrolls, several kinds, late
 * deliveries, corrections and withdrawals in chains), and signals whose
 * jobs are closed with each outcome.  Only the test's own code is used.
 */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"

/* ---- random numbers (splitmix64) ---------------------------------------- */

static uint64_t rs;

static uint64_t rnd(void)
{
	uint64_t z = (rs += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int ri(int lo, int hi)   /* inclusive */
{
	if (hi <= lo)
		return lo;
	return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

static int chance(int pct)
{
	return ri(0, 99) < pct;
}

static int32_t day_in(int month, int lo, int hi)
{
	int last = (int)(o_month_last(month) - o_month_first(month)) + 1;
	if (hi > last)
		hi = last;
	return o_month_first(month) + ri(lo, hi) - 1;
}

/* ---- people -------------------------------------------------------------- */

static void make_bsn(char out[10], struct h_history *h)
{
	for (;;) {
		int dg[9], i, sum = 0, dup = 0;
		dg[0] = ri(1, 9);
		for (i = 1; i < 8; i++)
			dg[i] = ri(0, 9);
		for (i = 0; i < 8; i++)
			sum += dg[i] * (9 - i);
		dg[8] = sum % 11;
		if (dg[8] == 10)
			continue;
		for (i = 0; i < 9; i++)
			out[i] = (char)('0' + dg[i]);
		out[9] = 0;
		for (i = 0; i < h->n_persons; i++)
			dup |= strcmp(h->persons[i].bsn, out) == 0;
		if (!dup)
			return;
	}
}

enum age_kind { AGE_YOUNG, AGE_27, AGE_ADULT, AGE_AOW, AGE_OLD };

static int new_person(struct h_history *h, int kind)
{
	struct h_person *p;
	int32_t ref = o_month_first(h->m0);
	int i = h->n_persons;

	if (i >= H_MAX_PERSONS)
		return -1;
	p = &h->persons[i];
	make_bsn(p->bsn, h);
	h->n_persons++;
	snprintf(p->naam, sizeof(p->naam), "Persoon %d", i);
	switch (kind) {
	case AGE_YOUNG:  /* 18..21 at the start: some turn 21 in the window */
		p->geb = ref - ri(18 * 365 + 5, 21 * 365 + 120);
		break;
	case AGE_27:     /* around 27: vrijlating N and R start at 27 */
		p->geb = ref - ri(26 * 365, 28 * 365);
		break;
	case AGE_AOW:    /* reach 67 in the window (born before 1961) */
		p->geb = ri(o_days(1958, 5, 1), o_days(1960, 12, 31));
		break;
	case AGE_OLD:
		p->geb = ref - ri(68 * 365, 75 * 365);
		break;
	default:
		p->geb = ref - ri(22 * 365, 60 * 365);
	}
	return i;
}

static int random_age_kind(void)
{
	int x = ri(0, 99);
	return x < 12 ? AGE_YOUNG : x < 30 ? AGE_27 : x < 40 ? AGE_AOW : x < 44 ? AGE_OLD : AGE_ADULT;
}

/* ---- income -------------------------------------------------------------- */

static struct h_record *new_record(struct h_history *h)
{
	struct h_record *r;
	if (h->n_records >= H_MAX_RECORDS)
		return NULL;
	r = &h->records[h->n_records];
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "P-%d", h->n_records);
	r->vervangt = -1;
	r->file = ri(0, 1);
	r->pos = ri(0, 1 << 20);
	h->n_records++;
	return r;
}

static void amounts(struct h_record *r, int64_t base, int car)
{
	r->ln = base * ri(80, 120) / 100;
	r->vak = chance(10) ? r->ln * ri(5, 9) / 100 : 0;
	r->autov = car ? ri(3000, 20000) : 0;
	r->ing = r->ln > 0 ? r->ln * ri(0, 15) / 100 : 0;
	r->zvw = r->ln > 0 ? r->ln * ri(0, 6) / 100 : 0;
	r->wga = r->ln > 0 && chance(30) ? r->ln * ri(0, 10) / 1000 : 0;
	if (chance(2)) {   /* a negative record */
		r->ln = -ri(100, 30000);
		r->vak = r->autov = r->ing = r->zvw = r->wga = 0;
	}
}

static int arrival_for(int32_t eind, int late_spread)
{
	int m = o_month_of(eind) + 1;
	if (chance(20))
		m += ri(1, late_spread);
	return m;
}

/* Income streams of person p over the whole window (also months before
 * the person has a dossier, and after). */
static void income_of(struct h_history *h, int p, const struct gen_opts *o)
{
	int ns = chance(35) ? 0 : chance(70) ? 1 : 2, s;

	for (s = 0; s < ns; s++) {
		int soort = chance(70) ? H_ARBEID : chance(50) ? H_UITKERING : chance(30) ? H_PENSIOEN : H_OVERIG;
		int fourweekly = chance(30), car = chance(5);
		int from = h->m0 - ri(0, 3), to = h->m1 - 1 - (chance(30) ? ri(0, 8) : 0);
		int64_t base = ri(2000, 220000);
		int32_t a, e;

		if (chance(40))
			from += ri(0, 8);
		if (from > to)
			continue;
		if (fourweekly) {
			a = o_month_first(from) + ri(0, 27);
			for (; o_month_of(a + 27) <= to; a += 28) {
				struct h_record *r = new_record(h);
				if (!r)
					return;
				r->person = p;
				r->soort = soort;
				r->numiv = s + 1;
				r->aanv = a;
				r->eind = a + 27;
				amounts(r, base * 12 / 13, car);
				r->arrive = arrival_for(r->eind, 3);
			}
		} else {
			int m;
			for (m = from; m <= to; m++) {
				struct h_record *r = new_record(h);
				if (!r)
					return;
				r->person = p;
				r->soort = soort;
				r->numiv = s + 1;
				a = o_month_first(m);
				e = o_month_last(m);
				if (m == from && chance(30))  /* started within the month */
					a = day_in(m, 2, 28);
				if (m == to && chance(30))
					e = day_in(m, 1, 27);
				if (e < a)
					e = a;
				r->aanv = a;
				r->eind = e;
				amounts(r, base, car);
				r->arrive = arrival_for(r->eind, 3);
			}
		}
	}
	(void)o;
}

/* Corrections and withdrawals: chains R <- C (<- D), in any order of
 * arrival when o->late_original, else in chain order. */
static void corrections(struct h_history *h, const struct gen_opts *o)
{
	int n = h->n_records, i;

	for (i = 0; i < n; i++) {
		int parent = i, depth;
		if (!chance(14))
			continue;
		for (depth = 0; depth < 3; depth++) {
			const struct h_record *pr = &h->records[parent];
			struct h_record *c;
			int idx = h->n_records;
			if (pr->intrekking || !(c = new_record(h)))
				break;
			pr = &h->records[parent];
			*c = *pr;
			snprintf(c->id, sizeof(c->id), "P-%d", idx);
			c->vervangt = parent;
			c->intrekking = chance(25);
			if (!c->intrekking) {
				c->ln = pr->ln + pr->ln * ri(-50, 50) / 100 + (chance(20) ? -ri(0, 40000) : 0);
				c->ing = c->ln > 0 ? c->ln * ri(0, 15) / 100 : 0;
				c->zvw = c->ln > 0 ? c->ln * ri(0, 6) / 100 : 0;
				c->wga = 0;
				c->autov = pr->autov;
				c->vak = c->ln > 0 ? pr->vak : 0;
			}
			c->arrive = o_month_of(pr->eind) + 1 + ri(0, 5);
			c->file = ri(0, 1);
			c->pos = ri(0, 1 << 20);
			if (!o->late_original) {
				/* chain order: never before the record it corrects */
				if (c->arrive < pr->arrive)
					c->arrive = pr->arrive;
				if (c->arrive == pr->arrive && c->file < pr->file)
					c->file = pr->file;
				if (c->arrive == pr->arrive && c->file == pr->file && c->pos <= pr->pos)
					c->pos = pr->pos + ri(1, 1000);
			}
			parent = idx;
			if (!chance(25))
				break;
		}
	}
}

/* ---- the register -------------------------------------------------------- */

struct dstate {
	struct h_dos cur;
	int started;        /* 1 once it appeared in a snapshot */
	int start_month;    /* month it first appears (new dossiers) */
	int ended;
	int gone;           /* left out of the snapshots for now */
	int n_claim, n_derde;
};

static int in_use(const struct h_history *h, const struct dstate *ds, int p)
{
	int d;
	for (d = 0; d < h->n_dossiers; d++)
		if ((ds[d].started || ds[d].start_month >= 0) &&
		    (ds[d].cur.aanvrager == p || ds[d].cur.partner == p))
			return 1;
	return 0;
}

static void add_grant(struct h_dos *x, int month, int rol)
{
	struct h_grant *g;
	int code = ri(0, H_NCODES - 1), i;

	if (x->n_grants >= H_MAX_GRANTS)
		return;
	for (i = 0; i < x->n_grants; i++)
		if (x->grants[i].code == code && x->grants[i].rol == rol)
			return;   /* no two grants of one code for one person */
	g = &x->grants[x->n_grants++];
	memset(g, 0, sizeof(*g));
	g->code = code;
	g->rol = rol;
	g->ingang = day_in(month + ri(-3, 1), 1, 28);
	if (chance(20))
		g->eind = g->ingang + ri(20, 300);
}

static void drop_partner_grants(struct h_dos *x)
{
	int i, j = 0;
	for (i = 0; i < x->n_grants; i++)
		if (x->grants[i].rol != H_PARTNER)
			x->grants[j++] = x->grants[i];
	x->n_grants = j;
}

static void set_single(struct h_dos *x)
{
	x->partner = -1;
	x->leefvorm = x->kind != H_NONE && chance(70) ? H_ALLEENSTAANDE_OUDER : H_ALLEENSTAAND;
	drop_partner_grants(x);
}

static int32_t random_kind(int m0)
{
	int32_t ref = o_month_first(m0);
	int x = ri(0, 2);
	/* around 18 (the "with children" limit), around 12 (R), young */
	return x == 0 ? ref - ri(17 * 365, 18 * 365 + 200) : x == 1 ? ref - ri(11 * 365, 12 * 365 + 200)
								       : ref - ri(365, 8 * 365);
}

static void init_dossier(struct h_history *h, struct dstate *s, int d, int applicant, int month, int fresh)
{
	struct h_dos *x = &s->cur;

	memset(x, 0, sizeof(*x));
	x->present = 1;
	x->aanvrager = applicant;
	x->partner = -1;
	x->wkv = chance(85) ? -1 : chance(50) ? 0 : ri(1, 20);
	x->kostendelers = chance(70) ? 0 : ri(1, 3);
	x->kind = chance(40) ? random_kind(h->m0) : H_NONE;
	x->leefvorm = x->kind != H_NONE && chance(60) ? H_ALLEENSTAANDE_OUDER : H_ALLEENSTAAND;
	if (!fresh)
		x->ingang = chance(70) ? o_month_first(month) - ri(40, 2000) : day_in(month, 1, 20);
	else
		x->ingang = chance(70) ? day_in(month, 1, 28) : day_in(month - 1, 1, 31);
	x->eind = H_NONE;
	if (chance(45)) {
		add_grant(x, month, H_AANVRAGER);
		/* cut-over months only for a grant running before startmaand */
		if (!fresh && chance(50) && x->n_grants && x->grants[0].ingang < o_month_first(h->m0))
			x->grants[0].gebruikt = ri(1, 29);
	}
	if (chance(20)) {
		struct h_claim *c = &x->claims[x->n_claims++];
		snprintf(c->kenmerk, sizeof(c->kenmerk), "TV-%d-%d", d + 1, 1);
		c->saldo = ri(1000, 150000);
		c->termijn = ri(1000, 9000);
	}
	if (chance(25)) {
		struct h_derde *t = &x->derden[x->n_derden++];
		snprintf(t->kenmerk, sizeof(t->kenmerk), "HUUR-%d", ri(100, 9999));
		t->bedrag = ri(5000, 90000);
		t->prio = ri(1, 3);
	}
}

static void take_snapshot(struct h_history *h, struct dstate *ds, int month, int32_t peil)
{
	struct h_snap *sn;
	int d;

	if (h->n_snaps >= H_MAX_SNAPS)
		return;
	sn = &h->snaps[h->n_snaps++];
	memset(sn, 0, sizeof(*sn));
	sn->peil = peil;
	sn->aanmaak_sec = 18 * 3600;
	sn->arrive = month;
	for (d = 0; d < h->n_dossiers; d++) {
		if (!ds[d].started || ds[d].gone)
			continue;
		sn->d[d] = ds[d].cur;
		sn->d[d].present = 1;
	}
}

/* One month of life for every started dossier. */
static void evolve(struct h_history *h, struct dstate *ds, int month)
{
	int d, i;

	for (d = 0; d < h->n_dossiers; d++) {
		struct dstate *s = &ds[d];
		struct h_dos *x = &s->cur;

		if (!s->started)
			continue;
		if (s->gone) {
			if (chance(15))
				s->gone = 0;    /* back in the register */
			continue;
		}
		if (x->leefvorm != H_GEHUWD && chance(9)) {
			/* a partner arrives: someone new, or a free former partner */
			int p = -1, tries;
			for (tries = 0; tries < 5 && p < 0; tries++) {
				int c = ri(0, h->n_persons - 1);
				if (!in_use(h, ds, c) && chance(40))
					p = c;
			}
			if (p < 0) {
				int k = random_age_kind();
				/* a young applicant gets no partner at AOW age
				 * (rules.md does not say which norm applies) */
				if (o_age(h->persons[x->aanvrager].geb, o_month_first(h->m1)) < 22 &&
				    (k == AGE_AOW || k == AGE_OLD))
					k = AGE_ADULT;
				p = new_person(h, k);
				if (p >= 0)
					income_of(h, p, NULL);
			}
			if (p >= 0 && !(o_age(h->persons[x->aanvrager].geb, o_month_first(h->m1)) < 22 &&
					o_age(h->persons[p].geb, o_month_first(h->m1)) > 60) &&
			    !(o_age(h->persons[p].geb, o_month_first(h->m1)) < 22 &&
			      o_age(h->persons[x->aanvrager].geb, o_month_first(h->m1)) > 60)) {
				x->partner = p;
				x->leefvorm = H_GEHUWD;
				if (chance(30))
					add_grant(x, month, H_PARTNER);
			}
		} else if (x->leefvorm == H_GEHUWD && chance(9)) {
			/* the partner leaves; sometimes to a dossier of their own */
			int p = x->partner;
			set_single(x);
			if (chance(40) && h->n_dossiers < H_MAX_DOSSIERS) {
				int nd = h->n_dossiers++;
				snprintf(h->nummer[nd], sizeof(h->nummer[nd]), "PW-0405-%06d", nd + 1);
				memset(&ds[nd], 0, sizeof(ds[nd]));
				ds[nd].start_month = month + ri(0, 1);
				init_dossier(h, &ds[nd], nd, p, ds[nd].start_month, 1);
			}
		} else if (x->leefvorm == H_GEHUWD && chance(3)) {
			/* the partner is replaced in one step */
			int p = new_person(h, AGE_ADULT);
			if (p >= 0) {
				income_of(h, p, NULL);
				x->partner = p;
				drop_partner_grants(x);
			}
		}
		if (x->leefvorm != H_GEHUWD && chance(4)) {
			if (x->leefvorm == H_ALLEENSTAAND) {
				if (x->kind == H_NONE)
					x->kind = random_kind(h->m0);
				x->leefvorm = H_ALLEENSTAANDE_OUDER;
			} else {
				x->leefvorm = H_ALLEENSTAAND;
			}
		}
		if (chance(8))
			x->kostendelers = chance(50) ? 0 : ri(1, 3);
		if (chance(3))
			x->wkv = chance(50) ? -1 : ri(0, 20);
		if (chance(6))
			add_grant(x, month, x->leefvorm == H_GEHUWD && chance(40) ? H_PARTNER : H_AANVRAGER);
		if (x->n_grants && chance(3)) {
			struct h_grant *g = &x->grants[ri(0, x->n_grants - 1)];
			if (g->eind == H_NONE)
				g->eind = day_in(month + ri(-1, 2), 1, 28);
			if (g->eind < g->ingang)
				g->eind = g->ingang;
		}
		if (chance(4) && x->n_claims < H_MAX_CLAIMS) {
			struct h_claim *c = &x->claims[x->n_claims++];
			snprintf(c->kenmerk, sizeof(c->kenmerk), "TV-%d-%d", d + 1, ++s->n_claim + 1);
			c->saldo = ri(500, 80000);
			c->termijn = ri(1000, 12000);
		} else if (x->n_claims && chance(10)) {
			struct h_claim *c = &x->claims[ri(0, x->n_claims - 1)];
			c->saldo = c->saldo * ri(50, 100) / 100;   /* the administration booked some */
		}
		if (chance(4) && x->n_derden < H_MAX_DERDEN) {
			struct h_derde *t = &x->derden[x->n_derden++];
			snprintf(t->kenmerk, sizeof(t->kenmerk), "DER-%d-%d", d + 1, ++s->n_derde);
			t->bedrag = ri(2000, 70000);
			t->prio = ri(1, 3);
		}
		if (!s->ended && chance(4)) {
			s->ended = 1;
			x->eind = day_in(month + ri(-1, 1), 1, 31);
			if (x->eind < x->ingang)
				x->eind = x->ingang;
		} else if (s->ended && chance(12)) {
			s->ended = 0;   /* restart: the end is undone */
			x->eind = H_NONE;
		}
		if (chance(2))
			s->gone = 1;        /* disappears from the register */
		for (i = 0; i < x->n_grants; i++)
			if (x->grants[i].eind != H_NONE && x->grants[i].eind < x->grants[i].ingang)
				x->grants[i].eind = x->grants[i].ingang;
	}
	/* new dossiers whose month has come */
	for (d = 0; d < h->n_dossiers; d++)
		if (!ds[d].started && ds[d].start_month <= month)
			ds[d].started = 1;
}

static void signals(struct h_history *h, const struct gen_opts *o)
{
	int n = ri(0, 5), i, d;
	char used[H_MAX_DOSSIERS] = { 0 };

	(void)o;
	for (i = 0; i < n && h->n_signals < H_MAX_SIGNALS; i++) {
		struct h_signal *g;
		int m = ri(h->m0 + 1, h->m1 - 1), s, found = -1;
		d = ri(0, h->n_dossiers - 1);
		if (used[d])
			continue;
		/* the dossier must be in the register at m: its applicant then */
		for (s = 0; s < h->n_snaps; s++)
			if (h->snaps[s].arrive <= m && h->snaps[s].d[d].present)
				found = s;
		if (found < 0 || h->snaps[found].arrive != m)
			continue;
		used[d] = 1;
		g = &h->signals[h->n_signals];
		memset(g, 0, sizeof(*g));
		snprintf(g->id, sizeof(g->id), "IB-%d", h->n_signals);
		h->n_signals++;
		g->hold = chance(85);
		g->dossier = d;
		g->person = h->snaps[found].d[d].aanvrager;
		g->begin = day_in(m + (chance(30) ? -1 : 0), 1, 28);
		g->arrive = m;
		g->close = chance(85) ? m + ri(1, 3) : 0;
		if (g->close > h->m1)
			g->close = 0;
		g->outcome = ri(0, 99) < 40 ? H_GEEN_GEVOLGEN : ri(0, 99) < 65 ? H_RECHT_VERVALLEN : H_BEEINDIGD;
		g->datum = g->begin + ri(0, 30);
		g->van = g->begin;
		g->tot = g->begin + ri(3, 70);
	}
}

/*
 * rules.md §5a, §6 (issue 16): the setting `bufferbudget` of the seed, its
 * ondergrens, and for `voorstel` what the consultant does with each BUFFER
 * job.  Drawn from a stream of their own, so that a seed run without the
 * budget keeps the history it had before.  A seed with the budget runs
 * from 2026-01..2026-09 for 14-20 months, into 2027 at least to March and
 * up to March 2028 (a second calendar year, a fresh budget).
 */
static void buffer_setup(struct h_history *h, uint64_t seed, const struct gen_opts *o)
{
	uint64_t main_state = rs;
	int d, k, x;

	rs = (seed ^ 0x5bd1e9955bd1e995ull) * 0x94d049bb133111ebull + 16;
	x = ri(0, 99);
	h->buffer = o->buffer >= 0 ? o->buffer : x < 34 ? H_BUFFER_UIT : x < 67 ? H_BUFFER_AUTOMATISCH
										 : H_BUFFER_VOORSTEL;
	h->ondergrens = o->ondergrens > 0 ? o->ondergrens : chance(50) ? 95 : 100;
	if (h->buffer != H_BUFFER_UIT) {
		h->m0 = 2026 * 12 + ri(0, 8);
		h->m1 = h->m0 + ri(13, 19);
		if (h->m1 > 2028 * 12 + 2)
			h->m1 = 2028 * 12 + 2;
		if (h->m1 < 2027 * 12 + 2)
			h->m1 = 2027 * 12 + 2;
	}
	for (d = 0; d < H_MAX_DOSSIERS; d++)
		for (k = 0; k < H_MAX_MONTHS; k++) {
			struct h_bdecision *b = &h->bdec[d][k];
			b->delay = chance(6) ? 0 : chance(75) ? 1 : ri(2, 3);
			b->grant = chance(75);
			b->pct = chance(55) ? 100 : ri(1, 99);
			b->probe = chance(15);
		}
	rs = main_state;
}

void gen_history(struct h_history *h, uint64_t seed, const struct gen_opts *o)
{
	static struct dstate ds[H_MAX_DOSSIERS];
	int d, m, n0;

	memset(h, 0, sizeof(*h));
	rs = seed * 0x2545f4914f6cdd1dull + 1;
	h->seed = seed;
	h->m0 = 2025 * 12 + 6 + ri(0, 6);
	h->m1 = h->m0 + ri(11, 17);
	buffer_setup(h, seed, o);
	h->dagen = o->dagen >= 0 ? o->dagen : chance(35);
	n0 = ri(o->min_dossiers, o->max_dossiers);
	h->n_dossiers = n0;
	memset(ds, 0, sizeof(ds));
	for (d = 0; d < n0; d++) {
		int late = d > 0 && chance(30);
		int p = new_person(h, random_age_kind());
		snprintf(h->nummer[d], sizeof(h->nummer[d]), "PW-0405-%06d", d + 1);
		ds[d].start_month = late ? ri(h->m0 + 1, h->m1) : h->m0;
		init_dossier(h, &ds[d], d, p, ds[d].start_month, late);
		income_of(h, p, o);
		if (!late && chance(35) && h->n_persons < H_MAX_PERSONS) {
			int q = new_person(h, AGE_ADULT);
			ds[d].cur.partner = q;
			ds[d].cur.leefvorm = H_GEHUWD;
			income_of(h, q, o);
		}
		ds[d].started = ds[d].start_month == h->m0;
	}
	for (m = h->m0; m <= h->m1; m++) {
		int n = m == h->m0 ? 1 : chance(6) ? 0 : chance(12) ? 2 : 1, i;
		int day[2];
		day[0] = n == 1 ? ri(1, 24) : ri(1, 12);
		day[1] = ri(day[0] + 1, 24);
		for (i = 0; i < n; i++) {
			if (m > h->m0 || i > 0)
				evolve(h, ds, m);
			take_snapshot(h, ds, m, o_month_first(m) + day[i] - 1);
		}
	}
	corrections(h, o);
	signals(h, o);
}

/*
 * settle.c — the settlement engine; see settle.h for the contract and
 * the specification's rules.md for the rules each step cites.
 */
#include "settle.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "mem.h"
#include "money.h"

#include "banned.h"

#define GRANT_KEYS_MAX 64
#define NEG_MAX_EXTRA 2

/* ---- growable result arrays -------------------------------------------- */

#define PUSH(r, arr, n, cap) \
	(mem_grow((void **)&(r)->arr, &(r)->cap, (r)->n + 1, sizeof(*(r)->arr)) < 0 ? NULL : &(r)->arr[(r)->n++])

void settle_result_init(struct settle_result *r)
{
	memset(r, 0, sizeof(*r));
}

void settle_result_release(struct settle_result *r)
{
	if (!r)
		return;
	free(r->months);
	free(r->lines);
	free(r->vrij);
	free(r->bookings);
	free(r->events);
	settle_result_init(r);
}

static void result_reset(struct settle_result *r)
{
	struct settle_result keep = *r;

	memset(r, 0, sizeof(*r));
	r->months = keep.months; r->cap_months = keep.cap_months;
	r->lines = keep.lines; r->cap_lines = keep.cap_lines;
	r->vrij = keep.vrij; r->cap_vrij = keep.cap_vrij;
	r->bookings = keep.bookings; r->cap_bookings = keep.cap_bookings;
	r->events = keep.events; r->cap_events = keep.cap_events;
}

const char *settle_booking_name(enum settle_booking_kind k)
{
	static const char *const names[] = {
		"voorschot", "verschil", "vakantietoeslag", "vordering", "vt_vordering", "inhouding",
		"derden", "client", "bufferbudget"
	};
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

const char *settle_event_name(enum settle_event_kind k)
{
	static const char *const names[] = { "INKOMEN_OUD", "DERDEN", "AOW", "INKOMEN_HANDMATIG", "BUFFER" };
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

/* ---- helpers ----------------------------------------------------------- */

static int32_t max32(int32_t a, int32_t b) { return a > b ? a : b; }
static int32_t min32(int32_t a, int32_t b) { return a < b ? a : b; }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

/* Days of [a, b] ∩ [c, d], both ends included (formats.md "Common rules"). */
static int overlap_days(int32_t a, int32_t b, int32_t c, int32_t d)
{
	int32_t lo = max32(a, c), hi = min32(b, d);
	return hi >= lo ? (int)(hi - lo + 1) : 0;
}

static int32_t end_or_max(int32_t d)
{
	return d == DATE_NONE ? INT32_MAX : d;
}

/* The stand in force on the month's first day (formats.md §1); before the
 * first snapshot, the oldest values known. */
static const struct settle_stand *stand_for(const struct settle_input *in, int32_t first)
{
	const struct settle_stand *s = &in->stands[0];
	size_t i;

	for (i = 0; i < in->n_stands; i++)
		if (in->stands[i].vanaf <= first)
			s = &in->stands[i];
	return s;
}

static int cmp_paid_month(const void *key, const void *elem)
{
	int32_t k = *(const int32_t *)key, m = ((const struct settle_paid *)elem)->month;

	return (k > m) - (k < m);
}

/* The ledger's month, by binary search: in->paid is sorted by month, one
 * entry a month (settle.h), and every month settled asks (a scan made the
 * months of a long history quadratic, issue 13). */
static const struct settle_paid *paid_for(const struct settle_input *in, int32_t month)
{
	return in->n_paid ? bsearch(&month, in->paid, in->n_paid, sizeof(*in->paid), cmp_paid_month) : NULL;
}

static int is_couple(const struct settle_stand *s)
{
	return s->leefvorm == LEEFVORM_GEHUWD && s->has_partner;
}

static int64_t excl(const struct rule_set *rs, int64_t x)
{
	/* art. 19(3) Pw: excl(x) = round(95% × x) */
	return money_mul_ratio(x, rs->vt_excl_num, rs->vt_excl_den);
}

/* Vrijlating usage of one grant across months: by (code, person, start). */
struct grant_use {
	enum vrij_code code;
	enum settle_person persoon;
	int32_t ingangsdatum;
	int applied;           /* months applied with an amount > 0, incl. cut-over */
	int32_t first_applied; /* month index, or INT32_MIN */
};

#define AOW_MEMO 4

struct engine {
	const struct settle_input *in;
	const struct rules *rules;
	const struct settle_settings *set;
	struct settle_result *out;
	struct grant_use use[GRANT_KEYS_MAX];
	int n_use;
	/* AOW dates by (rule set, birth date): the same few people every month */
	struct { const struct rule_set *rs; int32_t birth, date; } aow[AOW_MEMO];
	int n_aow;
	struct { int32_t day; int y, m, d; } births[AOW_MEMO];
	int n_births;
	int32_t on_day;
	int on_y, on_m, on_d;
	/* per income record, the months it can count in: from the month of
	 * its first day to the month of its last (record_share decides) */
	int32_t *inc_from, *inc_to;
};

/*
 * Full years on the month's first active day, as date_age_years() counts
 * them (a 29 February birthday counts from 1 March in other years), with
 * the civil dates of the few people involved remembered: ages are taken
 * several times a month for every month settled.
 */
static int age_on(struct engine *e, int32_t birth, int32_t on)
{
	int by, bm, bd, oy, om, od, i, age;

	for (i = 0; i < e->n_births && e->births[i].day != birth; i++)
		;
	if (i == e->n_births) {
		i = e->n_births < AOW_MEMO ? e->n_births++ : (int)(birth & 3);
		e->births[i].day = birth;
		date_to_ymd(birth, &e->births[i].y, &e->births[i].m, &e->births[i].d);
	}
	by = e->births[i].y, bm = e->births[i].m, bd = e->births[i].d;
	if (on != e->on_day) {
		e->on_day = on;
		date_to_ymd(on, &e->on_y, &e->on_m, &e->on_d);
	}
	oy = e->on_y, om = e->on_m, od = e->on_d;
	if (bm == 2 && bd == 29 && !date_is_leap(oy))
		bm = 3, bd = 1;
	age = oy - by;
	if (om < bm || (om == bm && od < bd))
		age--;
	return age;
}

static int32_t aow_date(struct engine *e, const struct rule_set *rs, int32_t birth)
{
	int i;

	for (i = 0; i < e->n_aow; i++)
		if (e->aow[i].rs == rs && e->aow[i].birth == birth)
			return e->aow[i].date;
	i = e->n_aow < AOW_MEMO ? e->n_aow++ : (int)(birth & 3);
	e->aow[i].rs = rs;
	e->aow[i].birth = birth;
	e->aow[i].date = rules_aow_date(rs, birth);
	return e->aow[i].date;
}

static struct grant_use *use_of(struct engine *e, const struct settle_grant *g)
{
	int i;

	for (i = 0; i < e->n_use; i++)
		if (e->use[i].code == g->code && e->use[i].persoon == g->persoon &&
		    e->use[i].ingangsdatum == g->ingangsdatum)
			return &e->use[i];
	if (e->n_use == GRANT_KEYS_MAX)
		return NULL;
	e->use[e->n_use].code = g->code;
	e->use[e->n_use].persoon = g->persoon;
	e->use[e->n_use].ingangsdatum = g->ingangsdatum;
	e->use[e->n_use].applied = g->maanden_gebruikt > 0 ? g->maanden_gebruikt : 0;
	/* cut-over (formats.md §1): months used before betaalrun; for a
	 * consecutive-month limit the window began that many months before
	 * startmaand and runs on in calendar months */
	e->use[e->n_use].first_applied = g->maanden_gebruikt > 0 ?
		e->set->startmaand - g->maanden_gebruikt : INT32_MIN;
	return &e->use[e->n_use++];
}

static int add_event(struct settle_result *r, enum settle_event_kind kind, int32_t month,
		     int64_t amount, int ref)
{
	struct settle_event *ev = PUSH(r, events, n_events, cap_events);

	if (!ev)
		return -1;
	ev->kind = kind;
	ev->month = month;
	ev->amount_cents = amount;
	ev->ref = ref;
	return 0;
}

static int book(struct settle_result *r, enum settle_booking_kind kind, int32_t month,
		int64_t amount, int ref)
{
	struct settle_booking *b;

	if (amount == 0)
		return 0;
	if (!(b = PUSH(r, bookings, n_bookings, cap_bookings)))
		return -1;
	b->kind = kind;
	b->month = month;
	b->amount_cents = amount;
	b->ref = ref;
	return 0;
}

/* ---- §2 the norm ------------------------------------------------------- */

static void month_norm(struct engine *e, struct settle_month *m, const struct settle_input *in,
		       const struct settle_stand *s, const struct rule_set *rs)
{
	int64_t base, b;
	int age_a, age_p = 0, aow_a, aow_p = 0, young_a, young_p = 0, kind = 0, couple;

	if (in->regeling != REGELING_PW) {
		/* rules.md §5: IOAW/IOAZ/BBZ are paid the register's VastBedrag */
		m->base_cents = s->has_vast_bedrag ? s->vast_bedrag_cents : 0;
		m->norm_cents = money_mul_ratio(m->base_cents, m->active_days, m->days);
		return;
	}
	couple = is_couple(s);
	age_a = age_on(e, s->aanvrager_geb, m->first_day);
	aow_a = m->first_day >= aow_date(e, rs, s->aanvrager_geb);
	young_a = age_a < 21;
	if (couple) {
		age_p = age_on(e, s->partner_geb, m->first_day);
		aow_p = m->first_day >= aow_date(e, rs, s->partner_geb);
		young_p = age_p < 21;
	}
	/* "with children": a youngest child under 18 on the first active day */
	if (s->jongste_kind_geb != DATE_NONE && age_on(e, s->jongste_kind_geb, m->first_day) < 18)
		kind = 1;
	m->aow = aow_a;
	if (!couple) {
		if (aow_a)
			m->cat = NORM_AOW_ALLEENSTAANDE;       /* art. 22(a) */
		else if (young_a)
			m->cat = NORM_JONG_ALLEENSTAANDE;      /* art. 20(1)(a), 20(2)(a) */
		else
			m->cat = NORM_ALLEENSTAANDE;           /* art. 21(a) */
	} else if (aow_a || aow_p) {
		m->cat = NORM_AOW_GEHUWDEN;                    /* art. 22(b/c) */
	} else if (young_a && young_p) {
		m->cat = kind ? NORM_JONG_GEHUWDEN_KIND : NORM_JONG_GEHUWDEN; /* art. 20(1)(b), 20(2)(b) */
	} else if (young_a || young_p) {
		m->cat = kind ? NORM_JONG_GEMENGD_KIND : NORM_JONG_GEMENGD;   /* art. 20(1)(c), 20(2)(c) */
	} else {
		m->cat = NORM_GEHUWDEN;                        /* art. 21(b) */
	}
	base = rs->norm_cents[m->cat];
	/* B: the gehuwden norm, aow_gehuwden at AOW age (art. 22a(2)) */
	b = (m->cat == NORM_AOW_ALLEENSTAANDE || m->cat == NORM_AOW_GEHUWDEN) ?
		rs->norm_cents[NORM_AOW_GEHUWDEN] : rs->norm_cents[NORM_GEHUWDEN];
	/* art. 22a kostendelersnorm, for an applicant aged 21 or over; not for
	 * a couple with one partner under 21 (jong_gemengd) */
	if (!young_a && !(couple && young_p)) {
		int a = 1 + (couple ? 1 : 0) + s->kostendelers;
		if ((!couple && a >= 2) || (couple && a >= 3)) {
			int64_t per_adult = money_mul_ratio(b, rs->kdn_base + rs->kdn_step * a, rs->kdn_den * a);
			m->kostendelers_a = a;
			base = couple ? 2 * per_adult : per_adult;
		}
	}
	m->base_cents = base;
	/* art. 27 woonkostenverlaging: a share of B, not below zero */
	m->wkv_cents = money_mul_ratio(b, s->woonkostenverlaging_pct, 100);
	base = max64(0, base - m->wkv_cents);
	/* pro rata by active days */
	m->norm_cents = money_mul_ratio(base, m->active_days, m->days);
}

/* ---- §3 income ------------------------------------------------------------ */

static int64_t record_net(const struct settle_income *r)
{
	/* Stcrt. 2025, 33979 / IB OIB: uniform net income */
	return r->ln_lb_ph_cents - r->wrd_pr_gebr_aut_cents - r->ing_lb_ph_cents -
	       r->bijdr_zvw_cents - r->pr_wga_whk_wn_cents;
}

/*
 * The part of a record counted in month k: only the days inside the
 * benefit period count (rules.md §3), attributed to the month of its end
 * date, or (toerekening = dagen) spread by days with the last month taking
 * the rounding rest.  Returns 1 when the record touches k.
 */
static int record_share(int64_t *out, const struct settle_income *r, const struct settle_input *in,
			int32_t k, int dagen)
{
	int32_t ben_lo = in->ingangsdatum, ben_hi = end_or_max(in->einddatum);
	int32_t lo = max32(r->dat_aanv_tv, ben_lo), hi = min32(r->dat_eind_tv, ben_hi);
	int total = (int)(r->dat_eind_tv - r->dat_aanv_tv + 1);
	int inside = overlap_days(r->dat_aanv_tv, r->dat_eind_tv, ben_lo, ben_hi);
	int64_t net = record_net(r), in_benefit;
	int32_t m, m_last;
	int64_t given = 0;

	*out = 0;
	if (inside == 0 || total <= 0)
		return 0;
	in_benefit = inside == total ? net : money_mul_ratio(net, inside, total);
	if (!dagen) {
		if (month_of(r->dat_eind_tv) != k)
			return 0;
		*out = in_benefit;
		return 1;
	}
	m_last = month_of(hi);
	if (k < month_of(lo) || k > m_last)
		return 0;
	for (m = month_of(lo); m < k; m++)
		given += money_mul_ratio(in_benefit,
					 overlap_days(lo, hi, month_first_day(m), month_last_day(m)), inside);
	if (k == m_last)
		*out = in_benefit - given;
	else
		*out = money_mul_ratio(in_benefit,
				       overlap_days(lo, hi, month_first_day(k), month_last_day(k)), inside);
	return 1;
}

/* Whose income `rec` is in a month with stand `s` in force (settle.h):
 * 1 with the role, 0 when it is not this household's income then. */
static int record_role(const struct settle_income *rec, const struct settle_stand *s, int couple,
		       enum settle_person *out)
{
	if (!rec->person_id) {
		*out = rec->persoon;
		return rec->persoon == PERSON_AANVRAGER || couple;
	}
	if (rec->person_id == s->aanvrager_id) {
		*out = PERSON_AANVRAGER;
		return 1;
	}
	/* rules.md §3: partner income counts for a couple only */
	*out = PERSON_PARTNER;
	return couple && s->partner_id && rec->person_id == s->partner_id;
}

static int month_income(struct engine *e, struct settle_month *m, const struct settle_stand *s)
{
	const struct settle_input *in = e->in;
	struct settle_result *r = e->out;
	int couple = is_couple(s), arrived = 0;
	size_t i;

	m->first_line = (int)r->n_lines;
	for (i = 0; i < in->n_incomes; i++) {
		const struct settle_income *rec = &in->incomes[i];
		struct settle_income_line *l;
		enum settle_person who;
		int64_t share;

		if (m->month < e->inc_from[i] || m->month > e->inc_to[i])
			continue;
		if (!record_role(rec, s, couple, &who))
			continue;
		if (!record_share(&share, rec, in, m->month, e->set->toerekening_dagen))
			continue;
		if (!(l = PUSH(r, lines, n_lines, cap_lines)))
			return -1;
		l->income = (int)i;
		l->month = m->month;
		l->persoon = who;
		l->net_cents = record_net(rec);
		l->net_vt_cents = rec->ln_lb_ph_cents ?
			money_mul_ratio(l->net_cents, rec->vak_bsl_cents, rec->ln_lb_ph_cents) : 0;
		l->counted_cents = share;
		if (in->regeling != REGELING_PW) {
			/* income arriving opens a job (rules.md §5): a record an
			 * earlier run saw did already; a correction is new */
			arrived |= !rec->gezien;
			continue;
		}
		m->income_cents += share;
		if (rec->soort == INKOMEN_ARBEID)
			m->arbeid_cents[who] += share;
	}
	m->n_lines = (int)r->n_lines - m->first_line;
	if (arrived && add_event(r, EVENT_INKOMEN_HANDMATIG, m->month, 0, -1) < 0)
		return -1;
	if (in->regeling != REGELING_PW)
		m->income_cents = 0; /* not settled automatically (rules.md §5) */
	return 0;
}

/* ---- §4 vrijlating -------------------------------------------------------- */

static void why(struct settle_vrij *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why(struct settle_vrij *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->why, sizeof(v->why), fmt, ap);
	va_end(ap);
}

static int month_vrij(struct engine *e, struct settle_month *m, const struct settle_stand *s,
		      const struct rule_set *rs)
{
	struct settle_result *r = e->out;
	int p, i, couple = is_couple(s);

	m->first_vrij = (int)r->n_vrij;
	for (p = 0; p < (couple ? 2 : 1); p++) {
		int32_t geb = p == PERSON_AANVRAGER ? s->aanvrager_geb : s->partner_geb;
		int age = age_on(e, geb, m->first_day);
		int aow = m->first_day >= aow_date(e, rs, geb);
		int best = -1;
		int64_t best_amount = 0, arbeid = max64(0, m->arbeid_cents[p]);

		for (i = 0; i < s->n_grants; i++) {
			const struct settle_grant *g = &s->grants[i];
			const struct vrij_rule *vr = &rs->vrij[g->code];
			struct grant_use *u;
			struct settle_vrij *v;

			if ((int)g->persoon != p)
				continue;
			if (!(v = PUSH(r, vrij, n_vrij, cap_vrij)))
				return -1;
			memset(v, 0, sizeof(*v));
			v->grant = i;
			v->code = g->code;
			v->persoon = g->persoon;
			if (!(u = use_of(e, g)))
				return -1;
			/* applicable: dates overlap the month, conditions on its first
			 * active day, limit not used up (rules.md §4) */
			if (g->ingangsdatum > month_last_day(m->month) ||
			    end_or_max(g->einddatum) < month_first_day(m->month)) {
				why(v, "buiten de looptijd van de vrijlating");
				continue;
			}
			if (!vr->enabled) {
				why(v, "code %s is in deze regelset niet ingeschakeld", vrij_code_name(g->code));
				continue;
			}
			if (vr->min_age && age < vr->min_age) {
				why(v, "jonger dan %d jaar (%d)", vr->min_age, age);
				continue;
			}
			if (vr->below_aow && aow) {
				why(v, "AOW-leeftijd bereikt");
				continue;
			}
			if (vr->alleenstaande_ouder && s->leefvorm != LEEFVORM_ALLEENSTAANDE_OUDER) {
				why(v, "geen alleenstaande ouder");
				continue;
			}
			if (vr->child_under && (s->jongste_kind_geb == DATE_NONE ||
						age_on(e, s->jongste_kind_geb, m->first_day) >= vr->child_under)) {
				why(v, "jongste kind niet jonger dan %d jaar", vr->child_under);
				continue;
			}
			if (vr->limit == VRIJ_LIMIT_MONTHS_APPLIED && u->applied >= vr->limit_months) {
				why(v, "limiet van %d maanden toegepast bereikt", vr->limit_months);
				continue;
			}
			if (vr->limit == VRIJ_LIMIT_CONSECUTIVE && u->first_applied != INT32_MIN &&
			    m->month >= u->first_applied + vr->limit_months) {
				why(v, "limiet van %d aaneengesloten maanden sinds de eerste toepassing bereikt", vr->limit_months);
				continue;
			}
			v->candidate_cents = money_mul_ratio(arbeid, vr->pct_num, vr->pct_den);
			if (vr->has_cap)
				v->candidate_cents = min64(vr->cap_cents, v->candidate_cents);
			why(v, "van toepassing");
			/* the highest amount applies; on a tie the first in register order */
			if (best < 0 || v->candidate_cents > best_amount) {
				best = (int)(v - r->vrij);
				best_amount = v->candidate_cents;
			}
		}
		if (best >= 0) {
			struct settle_vrij *v = &r->vrij[best];
			const struct settle_grant *g = &s->grants[v->grant];
			struct grant_use *u = use_of(e, g);

			v->applied = 1;
			v->amount_cents = best_amount;
			m->vrij_cents += best_amount;
			/* a month counts as applied only with an amount above zero */
			if (best_amount > 0 && u) {
				if (u->first_applied == INT32_MIN)
					u->first_applied = m->month;
				u->applied++;
			}
		}
	}
	m->n_vrij = (int)r->n_vrij - m->first_vrij;
	return 0;
}

/* ---- one month -------------------------------------------------------------- */

/* m->month, whose days are first..last, and its ledger entry pd (NULL:
 * nothing released for it) */
static int settle_month_compute(struct engine *e, struct settle_month *m, int32_t first, int32_t last,
				const struct settle_paid *pd, struct br_error *err)
{
	const struct settle_input *in = e->in;
	const struct settle_stand *s;
	const struct rule_set *rs;
	int32_t lo = max32(first, in->ingangsdatum), hi = min32(last, end_or_max(in->einddatum));
	size_t i;
	char mb[MONTH_FMT_MAX];

	if (!(rs = rules_for_first_day(e->rules, first)))
		return br_error_set(err, BR_EINPUT, "er geldt geen regelset voor %s",
				    month_format(mb, m->month));
	m->rules = rs;
	m->days = (int)(last - first + 1);
	m->active_days = hi >= lo ? (int)(hi - lo + 1) : 0;
	/* a period without right counts as days without right (signals.md) */
	for (i = 0; i < in->n_gaps && m->active_days > 0; i++)
		m->active_days -= overlap_days(lo, hi, in->gaps[i].van, in->gaps[i].tot);
	if (m->active_days < 0)
		m->active_days = 0;
	m->first_day = hi >= lo ? lo : first;
	s = stand_for(in, first);
	if (pd) {
		m->paid_cents = pd->paid_cents;
		m->vt_paid_cents = pd->vt_paid_cents;
		m->advanced = pd->advanced;
	}
	m->first_line = (int)e->out->n_lines;
	m->first_vrij = (int)e->out->n_vrij;
	if (m->active_days == 0)
		return 0; /* no norm; income of an inactive month is not settled */
	month_norm(e, m, in, s, rs);
	if (month_income(e, m, s) < 0)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het afrekenen");
	if (in->regeling != REGELING_PW) {
		m->right_cents = m->owed_cents = m->norm_cents;
		return 0;
	}
	if (month_vrij(e, m, s, rs) < 0)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het afrekenen");
	/* rules.md §5: right = min(norm, max(0, norm − (income − vrij))) */
	m->right_cents = min64(m->norm_cents, max64(0, m->norm_cents - (m->income_cents - m->vrij_cents)));
	m->owed_cents = excl(rs, m->right_cents);
	m->vtres_cents = m->right_cents - m->owed_cents;
	return 0;
}

/* ---- the run ------------------------------------------------------------------ */

struct negative {
	int32_t month;
	int64_t amount;    /* > 0: what is to be deducted */
	int vt;            /* a VT decrease rather than an income difference */
	int64_t taken;     /* what step 4 deducted of it in this run */
};

/* A month in which ARBEID income of the applicant or partner was counted. */
static int work_income_month(const struct settle_result *out, int32_t month)
{
	size_t i;

	for (i = 0; i < out->n_months; i++)
		if (out->months[i].month == month)
			return out->months[i].arbeid_cents[0] + out->months[i].arbeid_cents[1] > 0;
	return 0;
}

/*
 * rules.md §5a, for a PW dossier in a run for a month of 2027 or later:
 *   floor     = round(ondergrens% × advance(M))
 *   work_ded  = what step 4 deducted for months with work income
 *   left      = bufferbudget_max − used in the run month's calendar year
 *   buffer    = min(left, work_ded, max(0, floor − after4))
 * automatisch: booked as BOOK_BUFFER on the covered months, newest first,
 * and paid (the deduction stays made: the budget pays it, it is not a
 * claim and never deducted again); voorstel: an event with the amount.
 * Grants of earlier proposals are paid as additions on their months.
 * `neg` is sorted oldest first with what step 4 took of each.
 */
static int buffer_step(struct settle_result *out, const struct settle_input *in, const struct rules *rules,
		       const struct settle_settings *set, int32_t run_month, int64_t advance_target,
		       const struct negative *neg, size_t n_neg, int64_t *remaining)
{
	const struct buffer_rule *br = rules_buffer_for_month(rules, run_month);
	int64_t floor_c, work_ded = 0, left, buffer;
	size_t i;

	out->buffer_left_cents = -1;
	if (in->regeling != REGELING_PW || !br || set->bufferbudget == BUFFER_UIT)
		return 0;
	left = max64(0, br->max_cents - in->buffer_used_cents);
	/* grants are paid now: what they pay is no longer left this year */
	for (i = 0; i < in->n_buffer_grants; i++) {
		const struct settle_buffer_grant *g = &in->buffer_grants[i];
		*remaining += g->amount_cents;
		out->buffer_cents += g->amount_cents;
		left = max64(0, left - g->amount_cents);
		if (book(out, BOOK_BUFFER, g->month, g->amount_cents, (int)i) < 0)
			return -1;
	}
	/* floor(M) of the month's whole advance, excl(norm(M)), as for claims */
	floor_c = money_mul_ratio(advance_target, set->bufferbudget_ondergrens_pct, 100);
	for (i = 0; i < n_neg; i++)
		if (neg[i].taken > 0 && work_income_month(out, neg[i].month))
			work_ded += neg[i].taken;
	buffer = min64(min64(left, work_ded), max64(0, floor_c - *remaining));
	out->buffer_left_cents = left;
	if (buffer <= 0)
		return 0;
	if (set->bufferbudget == BUFFER_VOORSTEL) {
		out->buffer_proposed_cents = buffer;
		return add_event(out, EVENT_BUFFER_VOORSTEL, run_month, buffer, -1);
	}
	out->buffer_left_cents = left - buffer;
	out->buffer_cents += buffer;
	*remaining += buffer;
	for (i = n_neg; i-- > 0 && buffer > 0;) {   /* newest month first */
		int64_t c;
		if (neg[i].taken <= 0 || !work_income_month(out, neg[i].month))
			continue;
		c = min64(buffer, neg[i].taken);
		buffer -= c;
		if (book(out, BOOK_BUFFER, neg[i].month, c, -1) < 0)
			return -1;
	}
	return 0;
}

static int cmp_negative(const void *a, const void *b)
{
	const struct negative *x = a, *y = b;

	if (x->month != y->month)
		return x->month < y->month ? -1 : 1;
	return x->vt - y->vt;
}

/* What the steps of settle_dossier hand on to each other. */
struct steps {
	struct negative *neg;        /* negative differences, to deduct or claim */
	size_t n_neg;
	int64_t advance_target;      /* the norm as if there were no income */
	int64_t remaining;           /* what is left for claims, third parties, client */
};

/* Months settled (rules.md §5): those at or after startmaand, and earlier
 * ones only when an advance was paid for them; a month in which the
 * dossier is not active and nothing was paid holds nothing to settle and
 * is skipped (the run month itself is always present). */
static int settle_months(struct engine *e, int32_t run_month, struct br_error *err)
{
	const struct settle_input *in = e->in;
	const struct settle_settings *set = e->set;
	struct settle_result *out = e->out;
	int32_t m0 = set->startmaand, k, first, last;
	size_t i;
	int rc;

	for (i = 0; i < in->n_paid; i++)
		if (in->paid[i].month < m0 && in->paid[i].advanced)
			m0 = in->paid[i].month;
	if (m0 > run_month)
		m0 = run_month;
	if (mem_grow((void **)&out->months, &out->cap_months, (size_t)(run_month - m0 + 1), sizeof(*out->months)) < 0)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het afrekenen");
	/* the months' days follow on: each month starts the day after the
	 * one before ends (the calendar once per month, not per use) */
	for (k = m0, first = month_first_day(m0); k <= run_month; k++, first = last + 1) {
		const struct settle_paid *pd = paid_for(in, k);
		int has_paid = pd && (pd->paid_cents || pd->vt_paid_cents);
		int active;
		struct settle_month *m;

		last = first + month_days(k) - 1;
		active = first <= end_or_max(in->einddatum) && last >= in->ingangsdatum;
		if (k < set->startmaand && k != run_month && !(pd && pd->advanced))
			continue;
		if (k < run_month && !active && !has_paid)
			continue;
		m = &out->months[out->n_months++];
		memset(m, 0, sizeof(*m));
		m->month = k;
		/* ages are mostly taken on the month's first day: its civil date
		 * is the month's (a month is year × 12 + month − 1, date.h) */
		e->on_day = first;
		e->on_y = (int)(k / 12), e->on_m = (int)(k % 12) + 1, e->on_d = 1;
		if ((rc = settle_month_compute(e, m, first, last, pd, err)) < 0)
			return rc;
	}
	return 0;
}

/* 1. the advance for M: the norm as if there were no income (art. 52) */
static int step_advance(struct settle_result *out, const struct settle_input *in, const struct settle_month *mm,
			int32_t run_month, struct steps *st)
{
	int64_t d;

	st->advance_target = in->regeling == REGELING_PW ? excl(mm->rules, mm->norm_cents) : mm->norm_cents;
	d = st->advance_target - mm->paid_cents;
	if (d > 0) {
		out->advance_cents = d;
		return book(out, BOOK_VOORSCHOT, run_month, d, -1);
	}
	if (d < 0)
		st->neg[st->n_neg++] = (struct negative){ run_month, -d, 0, 0 };
	return 0;
}

/* 2. differences for every earlier month */
static int step_differences(struct settle_result *out, struct steps *st)
{
	size_t i;

	for (i = 0; i + 1 < out->n_months; i++) {
		struct settle_month *m = &out->months[i];
		m->diff_cents = m->owed_cents - m->paid_cents;
		if (m->diff_cents > 0) {
			out->additions_cents += m->diff_cents;
			if (book(out, BOOK_VERSCHIL, m->month, m->diff_cents, -1) < 0)
				return -1;
		} else if (m->diff_cents < 0) {
			st->neg[st->n_neg++] = (struct negative){ m->month, -m->diff_cents, 0, 0 };
		}
	}
	return 0;
}

/* 3. VT: in the VT month's run, in every run after the end, and in the
 * first run that pays a VT month a hold or a block kept unpaid (§2).
 * IOAW/IOAZ/Bbz: no VT handling at all, a cut-over reservation included. */
static int step_vt(struct settle_result *out, const struct settle_input *in, const struct settle_settings *set,
		   int32_t run_month, struct steps *st)
{
	int is_vt_month = (run_month % 12) + 1 == set->vt_uitbetaalmaand;
	int ended = in->einddatum != DATE_NONE && month_first_day(run_month) > in->einddatum;
	/* the VT month before M, whose reservations a withheld VT run owes */
	int32_t vt_until = in->vt_withheld ? run_month - 1 - ((run_month - 1) % 12 + 1 - set->vt_uitbetaalmaand + 12) % 12
					   : run_month;
	int64_t cut = in->vt_cutover_cents - in->vt_cutover_paid_cents;
	size_t i;

	out->vt_run = in->regeling == REGELING_PW && (is_vt_month || ended || in->vt_withheld);
	if (is_vt_month || ended)
		vt_until = run_month;
	if (!out->vt_run)
		return 0;
	if (cut > 0) {
		out->vt_cents += cut;
		if (book(out, BOOK_VT, set->startmaand - 1, cut, -1) < 0)
			return -1;
	}
	for (i = 0; i + 1 < out->n_months && out->months[i].month < vt_until; i++) {
		struct settle_month *m = &out->months[i];
		m->vt_diff_cents = m->vtres_cents - m->vt_paid_cents;
		if (m->vt_diff_cents > 0) {
			out->vt_cents += m->vt_diff_cents;
			if (book(out, BOOK_VT, m->month, m->vt_diff_cents, -1) < 0)
				return -1;
		} else if (m->vt_diff_cents < 0) {
			st->neg[st->n_neg++] = (struct negative){ m->month, -m->vt_diff_cents, 1, 0 };
		}
	}
	return 0;
}

/* 4. negative differences: past the verrekentermijn a claim (art. 58(4)),
 * else deducted oldest first, never below €0, the rest carried */
static int step_negatives(struct settle_result *out, const struct settle_settings *set, int32_t run_month,
			  struct steps *st)
{
	int64_t available = out->advance_cents + out->additions_cents + out->vt_cents;
	size_t i;

	qsort(st->neg, st->n_neg, sizeof(*st->neg), cmp_negative);
	for (i = 0; i < st->n_neg; i++) {
		struct negative *n = &st->neg[i];
		int64_t take;

		if (run_month - n->month > set->verrekentermijn) {
			out->claimed_cents += n->amount;
			if (book(out, n->vt ? BOOK_VT_VORDERING : BOOK_VORDERING, n->month, -n->amount, -1) < 0 ||
			    add_event(out, EVENT_INKOMEN_OUD, n->month, n->amount, -1) < 0)
				return -1;
			continue;
		}
		take = min64(available, n->amount);
		n->taken = take;
		if (take > 0) {
			available -= take;
			out->deducted_cents += take;
			if (book(out, n->vt ? BOOK_VT : BOOK_VERSCHIL, n->month, -take, -1) < 0)
				return -1;
		}
		out->carried_cents += n->amount - take;
	}
	st->remaining = available;
	return 0;
}

/* 5. claim instalments above the beslagvrije voet */
static int step_claims(struct settle_result *out, const struct settle_input *in, const struct settle_settings *set,
		       int32_t run_month, struct steps *st)
{
	int64_t floor_cents = money_mul_ratio(st->advance_target, set->beslagvrije_voet_pct, 100);
	size_t i;

	for (i = 0; i < in->n_claims; i++) {
		const struct settle_claim *c = &in->claims[i];
		int64_t outstanding = max64(0, c->saldo_cents - c->withheld_cents);
		int64_t room = max64(0, st->remaining - floor_cents);
		/* one Termijn per month, also over a supplementary run */
		int64_t termijn = max64(0, c->termijn_cents - c->withheld_run_month_cents);
		int64_t inst = min64(min64(termijn, outstanding), room);

		if (inst <= 0)
			continue;
		st->remaining -= inst;
		out->instalments_cents += inst;
		if (book(out, BOOK_INHOUDING, run_month, inst, (int)i) < 0)
			return -1;
	}
	return 0;
}

/* 6. third parties, only while active: priority order, each in full or
 * skipped (and the next still tried) */
static int step_derden(struct settle_result *out, const struct settle_input *in, int32_t run_month,
		       struct steps *st)
{
	int order[SETTLE_MAX_DERDEN];
	size_t n_order = in->n_derden < SETTLE_MAX_DERDEN ? in->n_derden : SETTLE_MAX_DERDEN, i;

	for (i = 0; i < n_order; i++)
		order[i] = (int)i;
	for (i = 1; i < n_order; i++) { /* stable insertion sort by priority */
		int v = order[i];
		size_t j = i;
		while (j > 0 && in->derden[order[j - 1]].prioriteit > in->derden[v].prioriteit) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = v;
	}
	for (i = 0; i < n_order && out->active_in_run; i++) {
		const struct settle_derde *d = &in->derden[order[i]];
		if (d->paid_run_month)
			continue; /* "once per run" month: a supplementary run does not pay it again */
		if (d->bedrag_cents <= st->remaining) {
			st->remaining -= d->bedrag_cents;
			out->derden_cents += d->bedrag_cents;
			if (book(out, BOOK_DERDEN, run_month, d->bedrag_cents, order[i]) < 0)
				return -1;
		} else {
			out->derden_skipped[order[i]] = 1;
			if (add_event(out, EVENT_DERDEN, run_month, d->bedrag_cents, order[i]) < 0)
				return -1;
		}
	}
	return 0;
}

/* 7. the client; a PW applicant at AOW age: the SVB takes over (rules.md §2) */
static int step_client(struct settle_result *out, const struct settle_input *in, const struct settle_month *mm,
		       int32_t run_month, const struct steps *st)
{
	out->client_cents = st->remaining;
	if (book(out, BOOK_CLIENT, run_month, st->remaining, -1) < 0)
		return -1;
	if (in->regeling == REGELING_PW && mm->aow && out->active_in_run)
		return add_event(out, EVENT_AOW, run_month, 0, -1);
	return 0;
}

int settle_dossier(struct settle_result *out, const struct settle_input *in,
		   const struct rules *rules, const struct settle_settings *set,
		   int32_t run_month, struct br_error *err)
{
	struct engine e;
	struct steps st;
	const struct settle_month *mm;
	size_t i;
	int rc;

	result_reset(out);
	out->run_month = run_month;
	memset(&e, 0, sizeof(e));
	memset(&st, 0, sizeof(st));
	e.on_day = DATE_NONE;
	e.in = in;
	e.rules = rules;
	e.set = set;
	e.out = out;
	if (in->n_stands == 0)
		return br_error_set(err, BR_EINPUT, "het dossier heeft geen registergegevens");
	if (!rules_for_month(rules, run_month)) {
		char mb[MONTH_FMT_MAX];
		return br_error_set(err, BR_EINPUT, "er geldt geen regelset voor %s",
				    month_format(mb, run_month));
	}
	/* a record counts only in the months it covers (record_share): with
	 * years of history most records are not looked at for most months */
	if (!(e.inc_from = malloc((in->n_incomes + 1) * 2 * sizeof(*e.inc_from))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het afrekenen");
	e.inc_to = e.inc_from + in->n_incomes + 1;
	for (i = 0; i < in->n_incomes; i++) {
		e.inc_from[i] = month_of(in->incomes[i].dat_aanv_tv);
		e.inc_to[i] = month_of(in->incomes[i].dat_eind_tv);
	}
	rc = settle_months(&e, run_month, err);
	free(e.inc_from);
	if (rc < 0)
		return rc;
	mm = &out->months[out->n_months - 1]; /* the run month */
	out->active_in_run = mm->active_days > 0;
	/* not zeroed: the steps write each entry whole before counting it */
	if (!(st.neg = malloc((out->n_months * 2 + NEG_MAX_EXTRA) * sizeof(*st.neg))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het afrekenen");
	if (step_advance(out, in, mm, run_month, &st) < 0 || step_differences(out, &st) < 0 ||
	    step_vt(out, in, set, run_month, &st) < 0 || step_negatives(out, set, run_month, &st) < 0 ||
	    /* 4a. bufferbudget (rules.md §5a) */
	    buffer_step(out, in, rules, set, run_month, st.advance_target, st.neg, st.n_neg, &st.remaining) < 0 ||
	    step_claims(out, in, set, run_month, &st) < 0 || step_derden(out, in, run_month, &st) < 0 ||
	    step_client(out, in, mm, run_month, &st) < 0)
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het afrekenen");
	free(st.neg);
	return rc;
}

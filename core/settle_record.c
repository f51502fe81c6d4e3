/* settle_record.c — a settlement as a compact record.  Contract: settle_record.h. */
#include "settle_record.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"

#include "banned.h"

#define VEC_MAX 32   /* fields of the widest element (a month) */

/* ---- writing ------------------------------------------------------------- */

static int buf_reserve(struct settle_record_buf *b, size_t more)
{
	size_t cap;
	unsigned char *p;

	if (b->len + more <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 512;
	while (cap < b->len + more)
		cap *= 2;
	if (!(p = realloc(b->p, cap)))
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

/* A varint: 7 bits per byte, low first (LEB128).  At most 10 bytes. */
static int put_u(struct settle_record_buf *b, uint64_t v)
{
	if (buf_reserve(b, 10) < 0)
		return -1;
	while (v >= 0x80) {
		b->p[b->len++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b->p[b->len++] = (unsigned char)v;
	return 0;
}

static int put_i(struct settle_record_buf *b, int64_t v)
{
	return put_u(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));   /* zigzag */
}

static int put_s(struct settle_record_buf *b, const char *s)
{
	size_t n;

	if (!s)
		return put_u(b, 0);
	n = strlen(s);
	if (put_u(b, (uint64_t)n + 1) < 0 || buf_reserve(b, n) < 0)
		return -1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	return 0;
}

/*
 * A field as written (version 3): an absent date (DATE_NONE, INT32_MIN)
 * as -1 and the negative values above it one lower, so that it takes one
 * byte instead of five; every other value as it is.  A bijection on
 * int64 (field_read undoes it); a record has about three absent dates.
 */
static int64_t field_code(int64_t x)
{
	if (x == DATE_NONE)
		return -1;
	return x < 0 && x > DATE_NONE ? x - 1 : x;
}

static int64_t field_read(int64_t c)
{
	if (c == -1)
		return DATE_NONE;
	return c < -1 && c >= DATE_NONE ? c + 1 : c;
}

/* An element: the bit set of fields that differ from `prev`, then those
 * fields; `prev` becomes `cur`. */
static int put_vec(struct settle_record_buf *b, int64_t prev[], const int64_t cur[], int n)
{
	uint64_t changed = 0;
	int i;

	for (i = 0; i < n; i++)
		if (cur[i] != prev[i])
			changed |= UINT64_C(1) << i;
	if (put_u(b, changed) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (changed >> i & 1) {
			if (put_i(b, field_code(cur[i])) < 0)
				return -1;
			prev[i] = cur[i];
		}
	return 0;
}

/* ---- the fields of each element, in record order --------------------------
 * One function per type turns an element into its vector (`_vec`) and
 * back (`_unvec`); the two list the same fields in the same order. */

#define GRANT_N 5
static void grant_vec(int64_t v[], const struct settle_grant *g)
{
	v[0] = g->code; v[1] = g->persoon; v[2] = g->ingangsdatum; v[3] = g->einddatum;
	v[4] = g->maanden_gebruikt;
}
static void grant_unvec(struct settle_grant *g, const int64_t v[])
{
	g->code = (enum vrij_code)v[0]; g->persoon = (enum settle_person)v[1];
	g->ingangsdatum = (int32_t)v[2]; g->einddatum = (int32_t)v[3]; g->maanden_gebruikt = (int)v[4];
}

#define STAND_N 13
static void stand_vec(int64_t v[], const struct settle_stand *s)
{
	v[0] = s->vanaf; v[1] = s->aanvrager_id; v[2] = s->partner_id; v[3] = s->aanvrager_geb;
	v[4] = s->has_partner; v[5] = s->partner_geb; v[6] = s->leefvorm; v[7] = s->jongste_kind_geb;
	v[8] = s->kostendelers; v[9] = s->woonkostenverlaging_pct; v[10] = s->has_vast_bedrag;
	v[11] = s->vast_bedrag_cents; v[12] = s->n_grants;
}
static void stand_unvec(struct settle_stand *s, const int64_t v[])
{
	s->vanaf = (int32_t)v[0]; s->aanvrager_id = v[1]; s->partner_id = v[2];
	s->aanvrager_geb = (int32_t)v[3]; s->has_partner = (int)v[4]; s->partner_geb = (int32_t)v[5];
	s->leefvorm = (enum settle_leefvorm)v[6]; s->jongste_kind_geb = (int32_t)v[7];
	s->kostendelers = (int)v[8]; s->woonkostenverlaging_pct = (int)v[9];
	s->has_vast_bedrag = (int)v[10]; s->vast_bedrag_cents = v[11]; s->n_grants = (int)v[12];
}

#define INCOME_N 11
static void income_vec(int64_t v[], const struct settle_income *x)
{
	v[0] = x->person_id; v[1] = x->persoon; v[2] = x->soort; v[3] = x->dat_aanv_tv;
	v[4] = x->dat_eind_tv; v[5] = x->ln_lb_ph_cents; v[6] = x->vak_bsl_cents;
	v[7] = x->wrd_pr_gebr_aut_cents; v[8] = x->ing_lb_ph_cents; v[9] = x->bijdr_zvw_cents;
	v[10] = x->pr_wga_whk_wn_cents;
}
static void income_unvec(struct settle_income *x, const int64_t v[])
{
	x->person_id = v[0]; x->persoon = (enum settle_person)v[1]; x->soort = (enum settle_soort)v[2];
	x->dat_aanv_tv = (int32_t)v[3]; x->dat_eind_tv = (int32_t)v[4]; x->ln_lb_ph_cents = v[5];
	x->vak_bsl_cents = v[6]; x->wrd_pr_gebr_aut_cents = v[7]; x->ing_lb_ph_cents = v[8];
	x->bijdr_zvw_cents = v[9]; x->pr_wga_whk_wn_cents = v[10];
}

#define PAID_N 4
static void paid_vec(int64_t v[], const struct settle_paid *p)
{
	v[0] = p->month; v[1] = p->paid_cents; v[2] = p->vt_paid_cents; v[3] = p->advanced;
}
static void paid_unvec(struct settle_paid *p, const int64_t v[])
{
	p->month = (int32_t)v[0]; p->paid_cents = v[1]; p->vt_paid_cents = v[2]; p->advanced = (int)v[3];
}

#define GAP_N 2
static void gap_vec(int64_t v[], const struct settle_gap *g) { v[0] = g->van; v[1] = g->tot; }
static void gap_unvec(struct settle_gap *g, const int64_t v[])
{
	g->van = (int32_t)v[0]; g->tot = (int32_t)v[1];
}

#define CLAIM_N 4   /* and the kenmerk as a string */
static void claim_vec(int64_t v[], const struct settle_claim *c)
{
	v[0] = c->saldo_cents; v[1] = c->termijn_cents; v[2] = c->withheld_cents;
	v[3] = c->withheld_run_month_cents;
}
static void claim_unvec(struct settle_claim *c, const int64_t v[])
{
	c->saldo_cents = v[0]; c->termijn_cents = v[1]; c->withheld_cents = v[2];
	c->withheld_run_month_cents = v[3];
}

#define DERDE_N 3   /* and the kenmerk as a string */
static void derde_vec(int64_t v[], const struct settle_derde *d)
{
	v[0] = d->bedrag_cents; v[1] = d->prioriteit; v[2] = d->paid_run_month;
}
static void derde_unvec(struct settle_derde *d, const int64_t v[])
{
	d->bedrag_cents = v[0]; d->prioriteit = (int)v[1]; d->paid_run_month = (int)v[2];
}

#define BGRANT_N 3
static void bgrant_vec(int64_t v[], const struct settle_buffer_grant *g)
{
	v[0] = g->month; v[1] = g->amount_cents; v[2] = g->job;
}
static void bgrant_unvec(struct settle_buffer_grant *g, const int64_t v[])
{
	g->month = (int32_t)v[0]; g->amount_cents = v[1]; g->job = v[2];
}

/* A month's rules set is stored as its index in the rules (-1: none). */
#define MONTH_N 27
static void month_vec(int64_t v[], const struct settle_month *m, const struct rules *rules)
{
	v[0] = m->month; v[1] = m->rules ? m->rules - rules->sets : -1; v[2] = m->first_day;
	v[3] = m->active_days; v[4] = m->days; v[5] = m->cat; v[6] = m->kostendelers_a; v[7] = m->aow;
	v[8] = m->base_cents; v[9] = m->wkv_cents; v[10] = m->norm_cents; v[11] = m->income_cents;
	v[12] = m->arbeid_cents[0]; v[13] = m->arbeid_cents[1]; v[14] = m->vrij_cents;
	v[15] = m->right_cents; v[16] = m->owed_cents; v[17] = m->vtres_cents; v[18] = m->paid_cents;
	v[19] = m->vt_paid_cents; v[20] = m->advanced; v[21] = m->diff_cents; v[22] = m->vt_diff_cents;
	v[23] = m->first_line; v[24] = m->n_lines; v[25] = m->first_vrij; v[26] = m->n_vrij;
}
static void month_unvec(struct settle_month *m, const int64_t v[], const struct rules *rules)
{
	m->month = (int32_t)v[0]; m->rules = v[1] < 0 ? NULL : &rules->sets[v[1]];
	m->first_day = (int32_t)v[2]; m->active_days = (int)v[3]; m->days = (int)v[4];
	m->cat = (enum norm_cat)v[5]; m->kostendelers_a = (int)v[6]; m->aow = (int)v[7];
	m->base_cents = v[8]; m->wkv_cents = v[9]; m->norm_cents = v[10]; m->income_cents = v[11];
	m->arbeid_cents[0] = v[12]; m->arbeid_cents[1] = v[13]; m->vrij_cents = v[14];
	m->right_cents = v[15]; m->owed_cents = v[16]; m->vtres_cents = v[17]; m->paid_cents = v[18];
	m->vt_paid_cents = v[19]; m->advanced = (int)v[20]; m->diff_cents = v[21];
	m->vt_diff_cents = v[22]; m->first_line = (int)v[23]; m->n_lines = (int)v[24];
	m->first_vrij = (int)v[25]; m->n_vrij = (int)v[26];
}

#define LINE_N 6
static void line_vec(int64_t v[], const struct settle_income_line *l)
{
	v[0] = l->income; v[1] = l->month; v[2] = l->persoon; v[3] = l->net_cents;
	v[4] = l->net_vt_cents; v[5] = l->counted_cents;
}
static void line_unvec(struct settle_income_line *l, const int64_t v[])
{
	l->income = (int)v[0]; l->month = (int32_t)v[1]; l->persoon = (enum settle_person)v[2];
	l->net_cents = v[3]; l->net_vt_cents = v[4]; l->counted_cents = v[5];
}

#define VRIJ_N 6    /* and the why as a string */
static void vrij_vec(int64_t v[], const struct settle_vrij *x)
{
	v[0] = x->grant; v[1] = x->code; v[2] = x->persoon; v[3] = x->applied;
	v[4] = x->candidate_cents; v[5] = x->amount_cents;
}
static void vrij_unvec(struct settle_vrij *x, const int64_t v[])
{
	x->grant = (int)v[0]; x->code = (enum vrij_code)v[1]; x->persoon = (enum settle_person)v[2];
	x->applied = (int)v[3]; x->candidate_cents = v[4]; x->amount_cents = v[5];
}

#define BOOKING_N 4
static void booking_vec(int64_t v[], const struct settle_booking *x)
{
	v[0] = x->kind; v[1] = x->month; v[2] = x->amount_cents; v[3] = x->ref;
}
static void booking_unvec(struct settle_booking *x, const int64_t v[])
{
	x->kind = (enum settle_booking_kind)v[0]; x->month = (int32_t)v[1];
	x->amount_cents = v[2]; x->ref = (int)v[3];
}

#define EVENT_N 4
static void event_vec(int64_t v[], const struct settle_event *x)
{
	v[0] = x->kind; v[1] = x->month; v[2] = x->amount_cents; v[3] = x->ref;
}
static void event_unvec(struct settle_event *x, const int64_t v[])
{
	x->kind = (enum settle_event_kind)v[0]; x->month = (int32_t)v[1];
	x->amount_cents = v[2]; x->ref = (int)v[3];
}

/* The scalars, as one vector each. */
#define SET_N 7
static void set_vec(int64_t v[], const struct settle_settings *s)
{
	v[0] = s->startmaand; v[1] = s->toerekening_dagen; v[2] = s->vt_uitbetaalmaand;
	v[3] = s->verrekentermijn; v[4] = s->beslagvrije_voet_pct; v[5] = s->bufferbudget;
	v[6] = s->bufferbudget_ondergrens_pct;
}
static void set_unvec(struct settle_settings *s, const int64_t v[])
{
	s->startmaand = (int32_t)v[0]; s->toerekening_dagen = (int)v[1]; s->vt_uitbetaalmaand = (int)v[2];
	s->verrekentermijn = (int)v[3]; s->beslagvrije_voet_pct = (int)v[4];
	s->bufferbudget = (enum settle_buffer_mode)v[5]; s->bufferbudget_ondergrens_pct = (int)v[6];
}

#define INPUT_N 7
static void input_vec(int64_t v[], const struct settle_input *in)
{
	v[0] = in->regeling; v[1] = in->ingangsdatum; v[2] = in->einddatum; v[3] = in->vt_cutover_cents;
	v[4] = in->vt_cutover_paid_cents; v[5] = in->vt_withheld; v[6] = in->buffer_used_cents;
}
static void input_unvec(struct settle_input *in, const int64_t v[])
{
	in->regeling = (enum settle_regeling)v[0]; in->ingangsdatum = (int32_t)v[1];
	in->einddatum = (int32_t)v[2]; in->vt_cutover_cents = v[3]; in->vt_cutover_paid_cents = v[4];
	in->vt_withheld = (int)v[5]; in->buffer_used_cents = v[6];
}

#define RESULT_N 16
static void result_vec(int64_t v[], const struct settle_result *r)
{
	int64_t skipped = 0;
	int i;

	for (i = 0; i < SETTLE_MAX_DERDEN; i++)
		if (r->derden_skipped[i])
			skipped |= INT64_C(1) << i;
	v[0] = r->run_month; v[1] = r->active_in_run; v[2] = r->vt_run; v[3] = r->advance_cents;
	v[4] = r->additions_cents; v[5] = r->vt_cents; v[6] = r->deducted_cents; v[7] = r->carried_cents;
	v[8] = r->claimed_cents; v[9] = r->instalments_cents; v[10] = r->derden_cents;
	v[11] = r->client_cents; v[12] = r->buffer_cents; v[13] = r->buffer_proposed_cents;
	v[14] = r->buffer_left_cents; v[15] = skipped;
}
static void result_unvec(struct settle_result *r, const int64_t v[])
{
	int i;

	r->run_month = (int32_t)v[0]; r->active_in_run = (int)v[1]; r->vt_run = (int)v[2];
	r->advance_cents = v[3]; r->additions_cents = v[4]; r->vt_cents = v[5];
	r->deducted_cents = v[6]; r->carried_cents = v[7]; r->claimed_cents = v[8];
	r->instalments_cents = v[9]; r->derden_cents = v[10]; r->client_cents = v[11];
	r->buffer_cents = v[12]; r->buffer_proposed_cents = v[13]; r->buffer_left_cents = v[14];
	for (i = 0; i < SETTLE_MAX_DERDEN; i++)
		r->derden_skipped[i] = (char)(v[15] >> i & 1);
}

/* ---- encoding ------------------------------------------------------------ */

/*
 * What a record keeps (version 2).  A month settled without a difference
 * is only named by the specification ("Opnieuw berekend, geen verschil met
 * wat al betaald is: ..."): the record keeps its number and nothing else.
 * A month is kept in full when it is the run month, has a difference or a
 * VT difference, or has a booking or an event; the income lines and
 * vrijlating lines kept are those of kept months, the income records and
 * ledger entries kept those the kept months name.  Without this a record
 * grew with every month of history and a run after five years stored and
 * rendered sixty months to name them in one line.
 */
struct prune {
	unsigned char *keep;        /* per result month */
	int *income_to;             /* per input income: its index in the record, -1 when dropped */
	unsigned char *paid_keep;   /* per ledger month of the input: its month is kept */
	size_t n_incomes;           /* kept */
	size_t n_months;            /* kept in full */
	size_t n_paid;              /* ledger months kept */
};

static int month_kept(const struct settle_result *r, size_t i)
{
	const struct settle_month *m = &r->months[i];
	size_t j;

	if (i + 1 == r->n_months || m->diff_cents || m->vt_diff_cents)
		return 1;
	for (j = 0; j < r->n_bookings; j++)
		if (r->bookings[j].month == m->month)
			return 1;
	for (j = 0; j < r->n_events; j++)
		if (r->events[j].month == m->month)
			return 1;
	return 0;
}

/* Which ledger months belong to kept months: one walk over both, which
 * ascend (settle.h; the result's months: enc_check). */
static void paid_plan(struct prune *pr, const struct settle_input *in, const struct settle_result *r)
{
	size_t i, k = 0;

	for (i = 0; i < in->n_paid; i++) {
		while (k < r->n_months && r->months[k].month < in->paid[i].month)
			k++;
		pr->paid_keep[i] = k < r->n_months && r->months[k].month == in->paid[i].month && pr->keep[k];
		pr->n_paid += pr->paid_keep[i];
	}
}

static int prune_plan(struct prune *pr, const struct settle_input *in, const struct settle_result *r)
{
	size_t i;
	int j;

	memset(pr, 0, sizeof(*pr));
	if (!(pr->keep = calloc(r->n_months + 1, 1)) || !(pr->income_to = malloc((in->n_incomes + 1) * sizeof(int))) ||
	    !(pr->paid_keep = malloc(in->n_paid + 1)))
		return -1;
	for (i = 0; i < in->n_incomes; i++)
		pr->income_to[i] = -1;
	for (i = 0; i < r->n_months; i++) {
		const struct settle_month *m = &r->months[i];

		if (!(pr->keep[i] = (unsigned char)month_kept(r, i)))
			continue;
		pr->n_months++;
		for (j = 0; j < m->n_lines; j++)
			pr->income_to[r->lines[m->first_line + j].income] = 0;
	}
	for (i = 0; i < in->n_incomes; i++)
		if (pr->income_to[i] == 0)
			pr->income_to[i] = (int)pr->n_incomes++;
	paid_plan(pr, in, r);
	return 0;
}

static void prune_free(struct prune *pr)
{
	free(pr->keep);
	free(pr->income_to);
	free(pr->paid_keep);
}

/* One element written: its vector against the one before, then its
 * strings.  An array of them: enc_array. */
typedef int (*put_elem_fn)(struct settle_record_buf *b, int64_t prev[], const void *e);

static int put_gap(struct settle_record_buf *b, int64_t prev[], const void *e)
{
	int64_t v[VEC_MAX];
	gap_vec(v, e);
	return put_vec(b, prev, v, GAP_N);
}
static int put_claim(struct settle_record_buf *b, int64_t prev[], const void *e)
{
	const struct settle_claim *c = e;
	int64_t v[VEC_MAX];
	claim_vec(v, c);
	return put_vec(b, prev, v, CLAIM_N) | put_s(b, c->kenmerk);
}
static int put_derde(struct settle_record_buf *b, int64_t prev[], const void *e)
{
	const struct settle_derde *d = e;
	int64_t v[VEC_MAX];
	derde_vec(v, d);
	return put_vec(b, prev, v, DERDE_N) | put_s(b, d->kenmerk);
}
static int put_bgrant(struct settle_record_buf *b, int64_t prev[], const void *e)
{
	int64_t v[VEC_MAX];
	bgrant_vec(v, e);
	return put_vec(b, prev, v, BGRANT_N);
}
static int put_booking(struct settle_record_buf *b, int64_t prev[], const void *e)
{
	int64_t v[VEC_MAX];
	booking_vec(v, e);
	return put_vec(b, prev, v, BOOKING_N);
}
static int put_event(struct settle_record_buf *b, int64_t prev[], const void *e)
{
	int64_t v[VEC_MAX];
	event_vec(v, e);
	return put_vec(b, prev, v, EVENT_N);
}

/* Count, then the `n` elements of `size` bytes at `base`, each against
 * the one before (the first against zeros). */
static int enc_array(struct settle_record_buf *b, const void *base, size_t n, size_t size, put_elem_fn put)
{
	int64_t prev[VEC_MAX];
	size_t i;
	int fail;

	memset(prev, 0, sizeof(prev));
	fail = put_u(b, n);
	for (i = 0; i < n; i++)
		fail |= put(b, prev, (const unsigned char *)base + i * size);
	return fail;
}

static int enc_input(struct settle_record_buf *b, const struct settle_input *in, const struct prune *pr)
{
	int64_t v[VEC_MAX], prev[VEC_MAX], gprev[VEC_MAX];
	size_t i;
	int g, fail = 0;

	memset(prev, 0, sizeof(prev));
	input_vec(v, in);
	fail |= put_vec(b, prev, v, INPUT_N);
	memset(prev, 0, sizeof(prev));
	memset(gprev, 0, sizeof(gprev));
	fail |= put_u(b, in->n_stands);
	for (i = 0; i < in->n_stands; i++) {
		stand_vec(v, &in->stands[i]);
		fail |= put_vec(b, prev, v, STAND_N);
		for (g = 0; g < in->stands[i].n_grants; g++) {
			grant_vec(v, &in->stands[i].grants[g]);
			fail |= put_vec(b, gprev, v, GRANT_N);
		}
	}
	memset(prev, 0, sizeof(prev));
	fail |= put_u(b, pr->n_incomes);
	for (i = 0; i < in->n_incomes; i++) {
		if (pr->income_to[i] < 0)
			continue;
		income_vec(v, &in->incomes[i]);
		fail |= put_vec(b, prev, v, INCOME_N) | put_s(b, in->incomes[i].opgave_id) |
			put_s(b, in->incomes[i].lhnr);
	}
	memset(prev, 0, sizeof(prev));
	fail |= put_u(b, pr->n_paid);
	for (i = 0; i < in->n_paid; i++) {
		if (!pr->paid_keep[i])
			continue;
		paid_vec(v, &in->paid[i]);
		fail |= put_vec(b, prev, v, PAID_N);
	}
	fail |= enc_array(b, in->gaps, in->n_gaps, sizeof(*in->gaps), put_gap) |
		enc_array(b, in->claims, in->n_claims, sizeof(*in->claims), put_claim) |
		enc_array(b, in->derden, in->n_derden, sizeof(*in->derden), put_derde) |
		enc_array(b, in->buffer_grants, in->n_buffer_grants, sizeof(*in->buffer_grants), put_bgrant);
	return fail ? -1 : 0;
}

/* The kept months in full, their lines and vrijlating renumbered as
 * written; then the others as ranges: count, then per range the distance
 * from the end of the one before (the first: from month 0) and its length
 * less one. */
static int enc_months(struct settle_record_buf *b, const struct settle_result *r, const struct prune *pr,
		      const struct rules *rules)
{
	int64_t v[VEC_MAX], prev[VEC_MAX];
	size_t i, n_ranges = 0, line = 0, vrij = 0;
	int32_t end = 0;
	int fail = 0;

	memset(prev, 0, sizeof(prev));
	fail |= put_u(b, pr->n_months);
	for (i = 0; i < r->n_months; i++) {
		struct settle_month m = r->months[i];

		if (!pr->keep[i]) {
			n_ranges += i == 0 || pr->keep[i - 1] || r->months[i - 1].month + 1 != m.month;
			continue;
		}
		m.first_line = m.n_lines ? (int)line : 0;
		m.first_vrij = m.n_vrij ? (int)vrij : 0;
		line += (size_t)m.n_lines;
		vrij += (size_t)m.n_vrij;
		month_vec(v, &m, rules);
		fail |= put_vec(b, prev, v, MONTH_N);
	}
	fail |= put_u(b, n_ranges);
	for (i = 0; i < r->n_months; i++) {
		size_t k = i;

		if (pr->keep[i])
			continue;
		while (k + 1 < r->n_months && !pr->keep[k + 1] && r->months[k + 1].month == r->months[k].month + 1)
			k++;
		fail |= put_u(b, (uint64_t)(r->months[i].month - end)) | put_u(b, (uint64_t)(k - i));
		end = r->months[k].month + 1;
		i = k;
	}
	return fail;
}

static int enc_result(struct settle_record_buf *b, const struct settle_result *r, const struct prune *pr,
		      const struct rules *rules)
{
	int64_t v[VEC_MAX], prev[VEC_MAX];
	size_t i, n;
	int j, fail = 0;

	memset(prev, 0, sizeof(prev));
	result_vec(v, r);
	fail |= put_vec(b, prev, v, RESULT_N);
	fail |= enc_months(b, r, pr, rules);
	memset(prev, 0, sizeof(prev));
	for (i = 0, n = 0; i < r->n_months; i++)
		n += pr->keep[i] ? (size_t)r->months[i].n_lines : 0;
	fail |= put_u(b, n);
	for (i = 0; i < r->n_months; i++)
		for (j = 0; pr->keep[i] && j < r->months[i].n_lines; j++) {
			struct settle_income_line l = r->lines[r->months[i].first_line + j];

			l.income = pr->income_to[l.income];
			line_vec(v, &l);
			fail |= put_vec(b, prev, v, LINE_N);
		}
	memset(prev, 0, sizeof(prev));
	for (i = 0, n = 0; i < r->n_months; i++)
		n += pr->keep[i] ? (size_t)r->months[i].n_vrij : 0;
	fail |= put_u(b, n);
	for (i = 0; i < r->n_months; i++)
		for (j = 0; pr->keep[i] && j < r->months[i].n_vrij; j++) {
			const struct settle_vrij *x = &r->vrij[r->months[i].first_vrij + j];

			vrij_vec(v, x);
			fail |= put_vec(b, prev, v, VRIJ_N) | put_s(b, x->why);
		}
	fail |= enc_array(b, r->bookings, r->n_bookings, sizeof(*r->bookings), put_booking) |
		enc_array(b, r->events, r->n_events, sizeof(*r->events), put_event);
	return fail ? -1 : 0;
}

/* What the decoder will refuse is refused here first, so that a record
 * that was stored can always be read back. */
static int enc_check(const struct settle_input *in, const struct settle_result *r, const struct rules *rules,
		     const struct settle_record_facts *facts, struct br_error *err)
{
	size_t i;

	if (facts->n > SETTLE_RECORD_FACTS_MAX || in->n_stands > SETTLE_RECORD_STANDS_MAX ||
	    in->n_incomes > SETTLE_RECORD_ARRAY_MAX || in->n_paid > SETTLE_RECORD_ARRAY_MAX ||
	    in->n_gaps > SETTLE_RECORD_ARRAY_MAX || in->n_claims > SETTLE_MAX_CLAIMS ||
	    in->n_derden > SETTLE_MAX_DERDEN || in->n_buffer_grants > SETTLE_MAX_BUFFER_GRANTS ||
	    r->n_months > SETTLE_RECORD_ARRAY_MAX || r->n_lines > SETTLE_RECORD_ARRAY_MAX ||
	    r->n_vrij > SETTLE_RECORD_ARRAY_MAX || r->n_bookings > SETTLE_RECORD_ARRAY_MAX ||
	    r->n_events > SETTLE_RECORD_ARRAY_MAX)
		return br_error_set(err, BR_EINTERNAL, "een afrekening te groot om vast te leggen");
	for (i = 0; i < r->n_months; i++) {
		const struct settle_month *m = &r->months[i];
		int j;

		if (m->rules && (m->rules < rules->sets || m->rules >= rules->sets + rules->n_sets))
			return br_error_set(err, BR_EINTERNAL, "de regels van een afgerekende maand zijn niet die van de run");
		if ((i > 0 && m->month <= r->months[i - 1].month) || m->month < 0 ||
		    m->first_line < 0 || m->n_lines < 0 || (size_t)m->first_line + (size_t)m->n_lines > r->n_lines ||
		    m->first_vrij < 0 || m->n_vrij < 0 || (size_t)m->first_vrij + (size_t)m->n_vrij > r->n_vrij)
			return br_error_set(err, BR_EINTERNAL, "de maanden van een afrekening zijn misvormd");
		for (j = 0; j < m->n_lines; j++)
			if (r->lines[m->first_line + j].income < 0 ||
			    (size_t)r->lines[m->first_line + j].income >= in->n_incomes)
				return br_error_set(err, BR_EINTERNAL, "een inkomensregel noemt geen opgave");
	}
	return 0;
}

int settle_record_encode(struct settle_record_buf *b, const struct settle_settings *set,
			 const struct settle_input *in, const struct settle_result *res,
			 const struct settle_record_facts *facts, const struct rules *rules,
			 struct br_error *err)
{
	int64_t v[VEC_MAX], prev[VEC_MAX];
	struct prune pr;
	size_t i;
	int fail;

	if ((fail = enc_check(in, res, rules, facts, err)) < 0)
		return fail;
	if (prune_plan(&pr, in, res) < 0) {
		prune_free(&pr);
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het vastleggen van een afrekening");
	}
	b->len = 0;
	memset(prev, 0, sizeof(prev));
	set_vec(v, set);
	fail = put_u(b, SETTLE_RECORD_VERSION) | put_vec(b, prev, v, SET_N) | put_u(b, facts->n);
	for (i = 0; i < facts->n; i++)
		fail |= put_s(b, facts->s[i]);
	fail |= enc_input(b, in, &pr) | enc_result(b, res, &pr, rules);
	prune_free(&pr);
	if (fail)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het vastleggen van een afrekening");
	return 0;
}

/* ---- decoding ------------------------------------------------------------ */

/* The reader: the first problem is kept and every later read gives 0. */
struct rd {
	const unsigned char *p, *end;
	char *arena;                /* strings, NUL-terminated (record->strings) */
	const char *bad;            /* NULL, or what is wrong */
	int coded;                  /* fields are field_code'd (version 3) */
};

static uint64_t get_u(struct rd *r)
{
	uint64_t v = 0;
	int shift;

	for (shift = 0; !r->bad && shift < 64; shift += 7) {
		if (r->p >= r->end) {
			r->bad = "het einde komt te vroeg";
			break;
		}
		v |= (uint64_t)(*r->p & 0x7f) << shift;
		if (!(*r->p++ & 0x80))
			return v;
	}
	if (!r->bad)
		r->bad = "een getal is te lang";
	return 0;
}

static int64_t get_i(struct rd *r)
{
	uint64_t u = get_u(r);
	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* A string into the arena (which has room for every byte of the record
 * plus a NUL per string); NULL for 0. */
static const char *get_s(struct rd *r)
{
	uint64_t v = get_u(r);
	char *s;

	if (r->bad || v == 0)
		return NULL;
	if (v - 1 > (uint64_t)(r->end - r->p)) {
		r->bad = "een tekst loopt voorbij het einde";
		return NULL;
	}
	s = r->arena;
	memcpy(s, r->p, (size_t)(v - 1));
	s[v - 1] = '\0';
	if (memchr(s, '\0', (size_t)(v - 1)))
		r->bad = "een tekst bevat een NUL-teken";
	r->p += v - 1;
	r->arena += v;
	return s;
}

/* A string into a fixed field of `cap` bytes. */
static void get_s_into(struct rd *r, char *out, size_t cap)
{
	const char *s = get_s(r);
	size_t n = s ? strlen(s) : 0;

	if (r->bad || !s)
		return;
	if (n >= cap)
		r->bad = "een kenmerk of toelichting is te lang";
	else
		memcpy(out, s, n + 1);
}

static void get_vec(struct rd *r, int64_t prev[], int n)
{
	uint64_t changed = get_u(r);
	int i;

	if (changed >> n && !r->bad)
		r->bad = "een element heeft onbekende velden";
	for (i = 0; i < n && !r->bad; i++)
		if (changed >> i & 1)
			prev[i] = r->coded ? field_read(get_i(r)) : get_i(r);
}

/* A count of at most `max` elements, each at least one byte. */
static size_t get_count(struct rd *r, size_t max)
{
	uint64_t n = get_u(r);

	if (!r->bad && (n > max || n > (uint64_t)(r->end - r->p)))
		r->bad = "een aantal is te groot";
	return r->bad ? 0 : (size_t)n;
}

/* calloc for `n` elements; sets r->bad on failure (no memory is the
 * caller's BR_ENOMEM: told apart by `nomem`). */
static void *get_array(struct rd *r, size_t n, size_t size, int *nomem)
{
	void *p;

	if (r->bad || n == 0)
		return NULL;
	if (!(p = calloc(n, size))) {
		*nomem = 1;
		r->bad = "geen geheugen";
	}
	return p;
}

/* One element read: its fields from the vector, then its strings.  An
 * array of them: dec_array. */
typedef void (*get_elem_fn)(struct rd *r, void *e, const int64_t v[]);

static void get_paid(struct rd *r, void *e, const int64_t v[]) { (void)r; paid_unvec(e, v); }
static void get_gap(struct rd *r, void *e, const int64_t v[]) { (void)r; gap_unvec(e, v); }
static void get_bgrant(struct rd *r, void *e, const int64_t v[]) { (void)r; bgrant_unvec(e, v); }
static void get_line(struct rd *r, void *e, const int64_t v[]) { (void)r; line_unvec(e, v); }
static void get_booking(struct rd *r, void *e, const int64_t v[]) { (void)r; booking_unvec(e, v); }
static void get_event(struct rd *r, void *e, const int64_t v[]) { (void)r; event_unvec(e, v); }
static void get_income(struct rd *r, void *e, const int64_t v[])
{
	struct settle_income *x = e;
	income_unvec(x, v);
	x->opgave_id = get_s(r);
	x->lhnr = get_s(r);
}
static void get_claim(struct rd *r, void *e, const int64_t v[])
{
	struct settle_claim *c = e;
	claim_unvec(c, v);
	get_s_into(r, c->kenmerk, sizeof(c->kenmerk));
}
static void get_derde(struct rd *r, void *e, const int64_t v[])
{
	struct settle_derde *d = e;
	derde_unvec(d, v);
	get_s_into(r, d->kenmerk, sizeof(d->kenmerk));
}
static void get_vrij(struct rd *r, void *e, const int64_t v[])
{
	struct settle_vrij *x = e;
	vrij_unvec(x, v);
	get_s_into(r, x->why, sizeof(x->why));
}

/* A count of at most `max`, then that many elements of `size` bytes with
 * `n_fields` fields each: a calloc'ed array the caller owns (also when
 * the record turns out damaged), its count in *count (0 when damaged). */
static void *dec_array(struct rd *r, size_t max, size_t size, int n_fields, get_elem_fn get, size_t *count,
		       int *nomem)
{
	int64_t v[VEC_MAX];
	size_t i, n = get_count(r, max);
	unsigned char *a = get_array(r, n, size, nomem);

	memset(v, 0, sizeof(v));
	for (i = 0; i < n && !r->bad; i++) {
		get_vec(r, v, n_fields);
		get(r, a + i * size, v);
	}
	*count = r->bad ? 0 : n;
	return a;
}

static void dec_input(struct rd *r, struct settle_record *o, int *nomem)
{
	struct settle_input *in = &o->in;
	int64_t v[VEC_MAX], g[VEC_MAX];
	size_t i, n;
	int k;

	memset(v, 0, sizeof(v));
	get_vec(r, v, INPUT_N);
	input_unvec(in, v);
	memset(v, 0, sizeof(v));
	memset(g, 0, sizeof(g));
	n = get_count(r, SETTLE_RECORD_STANDS_MAX);
	in->stands = o->stands = get_array(r, n, sizeof(*o->stands), nomem);
	for (i = 0; i < n && !r->bad; i++) {
		get_vec(r, v, STAND_N);
		stand_unvec(&o->stands[i], v);
		if (o->stands[i].n_grants < 0 || o->stands[i].n_grants > SETTLE_MAX_GRANTS)
			r->bad = "te veel vrijlatingen";
		for (k = 0; k < o->stands[i].n_grants && !r->bad; k++) {
			get_vec(r, g, GRANT_N);
			grant_unvec(&o->stands[i].grants[k], g);
		}
	}
	in->n_stands = r->bad ? 0 : n;
	in->incomes = o->incomes = dec_array(r, SETTLE_RECORD_ARRAY_MAX, sizeof(*o->incomes), INCOME_N, get_income,
					      &in->n_incomes, nomem);
	in->paid = o->paid = dec_array(r, SETTLE_RECORD_ARRAY_MAX, sizeof(*o->paid), PAID_N, get_paid, &in->n_paid,
				       nomem);
	in->gaps = o->gaps = dec_array(r, SETTLE_RECORD_ARRAY_MAX, sizeof(*o->gaps), GAP_N, get_gap, &in->n_gaps,
				       nomem);
	in->claims = o->claims = dec_array(r, SETTLE_MAX_CLAIMS, sizeof(*o->claims), CLAIM_N, get_claim,
					   &in->n_claims, nomem);
	in->derden = o->derden = dec_array(r, SETTLE_MAX_DERDEN, sizeof(*o->derden), DERDE_N, get_derde,
					   &in->n_derden, nomem);
	in->buffer_grants = o->buffer_grants = dec_array(r, SETTLE_MAX_BUFFER_GRANTS, sizeof(*o->buffer_grants),
							 BGRANT_N, get_bgrant, &in->n_buffer_grants, nomem);
}

/* A month settled without a difference (version 2): its number and its
 * length (a month has days, whatever else it lost). */
static void skeleton(struct settle_month *m, int32_t month)
{
	memset(m, 0, sizeof(*m));
	m->month = month;
	m->days = month_days(month);
}

/* The months kept in full, then (version 2) the ranges of the others,
 * merged in month order: every month once, ascending. */
static void dec_months(struct rd *r, struct settle_result *res, const struct rules *rules, uint64_t version,
		       int *nomem)
{
	struct settle_month *kept = NULL;
	int64_t v[VEC_MAX];
	uint64_t total, at = 0, len;
	size_t i, n, n_ranges = 0, k = 0, out = 0;
	const unsigned char *ranges;

	memset(v, 0, sizeof(v));
	n = get_count(r, SETTLE_RECORD_ARRAY_MAX);
	kept = get_array(r, n, sizeof(*kept), nomem);
	for (i = 0; i < n && !r->bad; i++) {
		get_vec(r, v, MONTH_N);
		if (v[1] < -1 || v[1] >= (int64_t)rules->n_sets)
			r->bad = "een maand noemt regels die de run niet had";
		else if (v[0] < 0 || v[0] > INT32_MAX || (i > 0 && v[0] <= kept[i - 1].month))
			r->bad = "de maanden staan niet op volgorde";
		else
			month_unvec(&kept[i], v, rules);
		/* a month's length is its calendar's; its days with right lie
		 * within it and are settled by a rules set (settle.c) */
		if (!r->bad && (kept[i].days != month_days(kept[i].month) || kept[i].active_days < 0 ||
				kept[i].active_days > kept[i].days))
			r->bad = "een maand heeft een onmogelijk aantal dagen";
		else if (!r->bad && kept[i].active_days > 0 && !kept[i].rules)
			r->bad = "een maand met recht noemt geen regels";
	}
	/* first pass over the ranges: their total, within the limit */
	total = n;
	if (version >= 2)
		n_ranges = get_count(r, SETTLE_RECORD_ARRAY_MAX);
	ranges = r->p;
	for (i = 0; i < n_ranges && !r->bad; i++) {
		if (get_u(r) > INT32_MAX || (len = get_u(r)) >= SETTLE_RECORD_ARRAY_MAX ||
		    (total += len + 1) > SETTLE_RECORD_ARRAY_MAX)
			r->bad = r->bad ? r->bad : "een aantal is te groot";
	}
	res->months = get_array(r, (size_t)total, sizeof(*res->months), nomem);
	r->p = r->bad ? r->p : ranges;
	for (i = 0; i < n_ranges && !r->bad; i++) {
		uint64_t from = at + get_u(r), last;

		len = get_u(r);
		last = from + len;
		if (last > INT32_MAX) {
			r->bad = "de maanden staan niet op volgorde";
			break;
		}
		for (; k < n && (uint64_t)kept[k].month < from; k++)
			res->months[out++] = kept[k];
		if (k < n && (uint64_t)kept[k].month <= last) {
			r->bad = "de maanden staan niet op volgorde";
			break;
		}
		for (at = from; at <= last; at++)
			skeleton(&res->months[out++], (int32_t)at);
	}
	for (; k < n && !r->bad; k++)
		res->months[out++] = kept[k];
	free(kept);
	res->n_months = res->cap_months = r->bad ? 0 : (size_t)total;
}

static void dec_result(struct rd *r, struct settle_record *o, const struct rules *rules, uint64_t version,
		       int *nomem)
{
	struct settle_result *res = &o->res;
	int64_t v[VEC_MAX];

	memset(v, 0, sizeof(v));
	get_vec(r, v, RESULT_N);
	result_unvec(res, v);
	dec_months(r, res, rules, version, nomem);
	res->lines = dec_array(r, SETTLE_RECORD_ARRAY_MAX, sizeof(*res->lines), LINE_N, get_line, &res->n_lines,
			       nomem);
	res->vrij = dec_array(r, SETTLE_RECORD_ARRAY_MAX, sizeof(*res->vrij), VRIJ_N, get_vrij, &res->n_vrij, nomem);
	res->bookings = dec_array(r, SETTLE_RECORD_ARRAY_MAX, sizeof(*res->bookings), BOOKING_N, get_booking,
				  &res->n_bookings, nomem);
	res->events = dec_array(r, SETTLE_RECORD_ARRAY_MAX, sizeof(*res->events), EVENT_N, get_event,
				&res->n_events, nomem);
	res->cap_lines = res->n_lines;
	res->cap_vrij = res->n_vrij;
	res->cap_bookings = res->n_bookings;
	res->cap_events = res->n_events;
}

/* 1 when `v` is a value of an enum with `n` values. */
static int in_enum(int v, int n) { return v >= 0 && v < n; }

/* The enums and indexes a reader of the record relies on. */
static const char *dec_check(const struct settle_record *o)
{
	const struct settle_input *in = &o->in;
	const struct settle_result *res = &o->res;
	size_t i;
	int k;

	if (!in_enum((int)in->regeling, REGELING_BBZ + 1))
		return "onbekende regeling";
	for (i = 0; i < in->n_stands; i++) {
		if (!in_enum((int)in->stands[i].leefvorm, LEEFVORM_GEHUWD + 1))
			return "onbekende leefvorm";
		for (k = 0; k < in->stands[i].n_grants; k++)
			if (!in_enum((int)in->stands[i].grants[k].code, VRIJ_COUNT) ||
			    !in_enum((int)in->stands[i].grants[k].persoon, 2))
				return "onbekende vrijlating";
	}
	for (i = 0; i < in->n_incomes; i++)
		if (!in_enum((int)in->incomes[i].persoon, 2) || !in_enum((int)in->incomes[i].soort, INKOMEN_OVERIG + 1))
			return "onbekende soort inkomen";
	for (i = 0; i < res->n_months; i++)
		if (!in_enum((int)res->months[i].cat, NORM_COUNT))
			return "onbekende normcategorie";
	for (i = 0; i < res->n_lines; i++)
		if (res->lines[i].income < 0 || (size_t)res->lines[i].income >= in->n_incomes ||
		    !in_enum((int)res->lines[i].persoon, 2))
			return "een inkomensregel noemt geen opgave";
	for (i = 0; i < res->n_vrij; i++)
		if (!in_enum((int)res->vrij[i].code, VRIJ_COUNT) || !in_enum((int)res->vrij[i].persoon, 2) ||
		    !in_enum(res->vrij[i].grant, SETTLE_MAX_GRANTS))
			return "onbekende vrijlating";
	for (i = 0; i < res->n_bookings; i++)
		if (!in_enum((int)res->bookings[i].kind, SETTLE_BOOKING_KINDS) || res->bookings[i].ref < -1 ||
		    res->bookings[i].ref >= SETTLE_MAX_CLAIMS)
			return "onbekende boeking";
	for (i = 0; i < res->n_events; i++)
		if (!in_enum((int)res->events[i].kind, EVENT_BUFFER_VOORSTEL + 1) || res->events[i].ref < -1 ||
		    (res->events[i].kind == EVENT_DERDEN && (res->events[i].ref < 0 ||
							      (size_t)res->events[i].ref >= in->n_derden)))
			return "onbekende gebeurtenis";
	return NULL;
}

int settle_record_decode(struct settle_record *out, const void *data, size_t len,
			 const struct rules *rules, struct br_error *err)
{
	struct rd r;
	int64_t v[VEC_MAX];
	uint64_t version;
	size_t i;
	int nomem = 0;

	memset(out, 0, sizeof(*out));
	settle_result_init(&out->res);
	if (!(out->strings = malloc(2 * len + 1)))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van een afrekening");
	r.p = data;
	r.end = r.p + len;
	r.arena = out->strings;
	r.bad = NULL;
	r.coded = 0;
	version = get_u(&r);
	r.coded = version >= 3;
	if ((version < 1 || version > SETTLE_RECORD_VERSION) && !r.bad)
		r.bad = "onbekende versie";
	memset(v, 0, sizeof(v));
	get_vec(&r, v, SET_N);
	set_unvec(&out->set, v);
	out->facts.n = get_count(&r, SETTLE_RECORD_FACTS_MAX);
	for (i = 0; i < out->facts.n && !r.bad; i++)
		out->facts.s[i] = get_s(&r);
	dec_input(&r, out, &nomem);
	dec_result(&r, out, rules, version, &nomem);
	if (!r.bad && r.p != r.end)
		r.bad = "er staat meer in dan een afrekening";
	if (!r.bad)
		r.bad = dec_check(out);
	if (nomem)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van een afrekening");
	if (r.bad)
		return br_error_set(err, BR_EINPUT, "vastlegging beschadigd: %s", r.bad);
	return 0;
}

void settle_record_free(struct settle_record *r)
{
	if (!r)
		return;
	settle_result_release(&r->res);
	free(r->stands);
	free(r->incomes);
	free(r->paid);
	free(r->gaps);
	free(r->claims);
	free(r->derden);
	free(r->buffer_grants);
	free(r->strings);
	memset(r, 0, sizeof(*r));
	settle_result_init(&r->res);
}

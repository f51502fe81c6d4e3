/* ledger.c — see ledger.h. */
#include "ledger.h"
#include "varint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

#include "banned.h"

#define REC 21   /* a month in version 1 */

static int32_t get32(const unsigned char *p)
{
	uint32_t u = 0;
	int i;
	for (i = 0; i < 4; i++)
		u |= (uint32_t)p[i] << (8 * i);
	return (int32_t)u;
}

static int64_t get64(const unsigned char *p)
{
	uint64_t u = 0;
	int i;
	for (i = 0; i < 8; i++)
		u |= (uint64_t)p[i] << (8 * i);
	return (int64_t)u;
}

static int misformed(size_t len, struct br_error *err)
{
	return br_error_set(err, BR_EINTERNAL, "de samenvatting in het grootboek is misvormd (%zu bytes)", len);
}

static int check_order(const struct settle_paid *out, size_t i, struct br_error *err)
{
	if (i && out[i].month <= out[i - 1].month)
		return br_error_set(err, BR_EINTERNAL, "de samenvatting in het grootboek staat niet op maandvolgorde");
	return 0;
}

/* Version 1: 21 bytes a month, fixed (little-endian). */
static int decode_v1(struct settle_paid *out, size_t cap, const unsigned char *p, size_t len,
		     struct br_error *err)
{
	size_t n, i;

	if ((len - 1) % REC != 0)
		return misformed(len, err);
	n = (len - 1) / REC;
	if (n > cap)
		return br_error_set(err, BR_EINTERNAL, "de samenvatting in het grootboek bevat %zu maanden, meer dan %zu", n, cap);
	for (i = 0; i < n; i++) {
		const unsigned char *r = p + 1 + i * REC;
		out[i].month = get32(r);
		out[i].paid_cents = get64(r + 4);
		out[i].vt_paid_cents = get64(r + 12);
		out[i].advanced = r[20] & 1;
		if (out[i].month < 0)   /* a month index is a count of months since year 0 */
			return misformed(len, err);
		if (check_order(out, i, err) < 0)
			return err->code;
	}
	return (int)n;
}

/* Version 2: per month three varints (ledger.h). */
static int decode_v2(struct settle_paid *out, size_t cap, const unsigned char *p, size_t len,
		     struct br_error *err)
{
	size_t at = 1, n = 0;
	uint64_t month = 0, u, paid, vt;

	while (at < len) {
		if (varint_get(p, len, &at, &u) < 0 || varint_get(p, len, &at, &paid) < 0 ||
		    varint_get(p, len, &at, &vt) < 0 || u >> 1 > (uint64_t)INT32_MAX - month)
			return misformed(len, err);
		if (n == cap)
			return br_error_set(err, BR_EINTERNAL, "de samenvatting in het grootboek bevat meer dan %zu maanden", cap);
		month += u >> 1;
		out[n].month = (int32_t)month;
		out[n].advanced = (int)(u & 1);
		out[n].paid_cents = varint_unzig(paid);
		out[n].vt_paid_cents = varint_unzig(vt);
		if (check_order(out, n, err) < 0)
			return err->code;
		n++;
	}
	return (int)n;
}

int ledger_decode(struct settle_paid *out, size_t cap, const void *blob, size_t len,
		  struct br_error *err)
{
	const unsigned char *p = blob;

	if (len == 0)
		return 0;
	if (p[0] == 1)
		return decode_v1(out, cap, p, len, err);
	if (p[0] == 2)
		return decode_v2(out, cap, p, len, err);
	return misformed(len, err);
}

size_t ledger_encode(unsigned char *buf, const struct settle_paid *m, size_t n)
{
	size_t i, len = 1;
	int32_t prev = 0;

	buf[0] = 2;
	for (i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(uint32_t)(m[i].month - prev);

		len += varint_put(buf + len, d << 1 | (m[i].advanced ? 1 : 0));
		len += varint_put(buf + len, varint_zig(m[i].paid_cents));
		len += varint_put(buf + len, varint_zig(m[i].vt_paid_cents));
		prev = m[i].month;
	}
	return len;
}

/* Add to month `month` of the sorted array (inserting it when new). */
static int fold(struct settle_paid *m, size_t *n, int32_t month, int64_t paid, int64_t vt, int advanced)
{
	size_t i, j;

	for (i = 0; i < *n && m[i].month < month; i++)
		;
	if (i == *n || m[i].month != month) {
		if (*n == LEDGER_MAX_MONTHS)
			return -1;
		for (j = *n; j > i; j--)
			m[j] = m[j - 1];
		memset(&m[i], 0, sizeof(m[i]));
		m[i].month = month;
		(*n)++;
	}
	m[i].paid_cents += paid;
	m[i].vt_paid_cents += vt;
	if (advanced)
		m[i].advanced = 1;
	return 0;
}

/* What a booking adds to paid(k) and vtpaid(k) (settle.h settle_paid). */
static void booking_effect(const struct settle_booking *b, int64_t *paid, int64_t *vt, int *advanced)
{
	*paid = *vt = 0;
	*advanced = 0;
	switch (b->kind) {
	case BOOK_VOORSCHOT:
	case BOOK_VERSCHIL:
		*advanced = b->amount_cents > 0;
		*paid = b->amount_cents;
		break;
	case BOOK_VORDERING:
		*paid = b->amount_cents;
		break;
	case BOOK_VT:
	case BOOK_VT_VORDERING:
		*vt = b->amount_cents;
		break;
	case BOOK_INHOUDING:
	case BOOK_DERDEN:
	case BOOK_CLIENT:
	case BOOK_BUFFER:   /* paid from the budget: the month's deduction stays made (rules.md §5a) */
		break;
	}
}

struct ledger {
	struct store *st;
	sqlite3_stmt *ins, *get, *put;
	struct settle_paid *m;
	unsigned char *buf;
};

void ledger_free(struct ledger *l)
{
	if (!l)
		return;
	sqlite3_finalize(l->ins);
	sqlite3_finalize(l->get);
	sqlite3_finalize(l->put);
	free(l->m);
	free(l->buf);
	free(l);
}

int ledger_open(struct ledger **out, struct store *st, struct br_error *err)
{
	struct ledger *l;
	int rc = 0;

	*out = NULL;
	if (!(l = calloc(1, sizeof(*l))) || !(l->m = calloc(LEDGER_MAX_MONTHS, sizeof(*l->m))) ||
	    !(l->buf = malloc(LEDGER_ENCODED_MAX(LEDGER_MAX_MONTHS)))) {
		ledger_free(l);
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het boeken");
	}
	l->st = st;
	if ((rc = store_prepare(st, &l->get, "SELECT maanden FROM grootboek WHERE dossier = ?1", err)) < 0 ||
	    (rc = store_prepare(st, &l->put, "INSERT INTO grootboek (dossier, maanden) VALUES (?1, ?2)"
				" ON CONFLICT (dossier) DO UPDATE SET maanden = excluded.maanden", err)) < 0 ||
	    (rc = store_prepare(st, &l->ins, "INSERT INTO boeking (run, dossier, maand, soort, bedrag_cents,"
				" kenmerk) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", err)) < 0) {
		ledger_free(l);
		return rc;
	}
	*out = l;
	return 0;
}

int ledger_book(struct ledger *l, int64_t run, int64_t dossier, const struct settle_result *r,
		const struct settle_claim *claims, size_t n_claims,
		const struct settle_derde *derden, size_t n_derden, struct br_error *err)
{
	struct settle_input in;

	memset(&in, 0, sizeof(in));
	in.claims = claims;
	in.n_claims = n_claims;
	in.derden = derden;
	in.n_derden = n_derden;
	return ledger_book_input(l, run, dossier, r, &in, err);
}

/* What a booking refers to: a claim's or third party's kenmerk, or for a
 * granted bufferbudget "TOEKENNING <job>", which the store makes unique
 * among released bookings (a grant is paid once). */
static const char *booking_kenmerk(char *buf, size_t cap, const struct settle_booking *b,
				   const struct settle_input *in)
{
	if (b->kind == BOOK_INHOUDING && b->ref >= 0 && (size_t)b->ref < in->n_claims)
		return in->claims[b->ref].kenmerk;
	if (b->kind == BOOK_DERDEN && b->ref >= 0 && (size_t)b->ref < in->n_derden)
		return in->derden[b->ref].kenmerk;
	if (b->kind == BOOK_BUFFER && b->ref >= 0 && (size_t)b->ref < in->n_buffer_grants) {
		snprintf(buf, cap, "TOEKENNING %lld", (long long)in->buffer_grants[b->ref].job);
		return buf;
	}
	return NULL;
}

int ledger_book_input(struct ledger *l, int64_t run, int64_t dossier, const struct settle_result *r,
		      const struct settle_input *in, struct br_error *err)
{
	size_t i;
	int step;

	for (i = 0; i < r->n_bookings; i++) {
		const struct settle_booking *b = &r->bookings[i];
		char mb[MONTH_FMT_MAX], km[40];

		/* what the client is paid is the run's payment row (and its
		 * settlement record): no settlement reads it back from here */
		if (b->kind == BOOK_CLIENT)
			continue;
		sqlite3_reset(l->ins);
		sqlite3_bind_int64(l->ins, 1, run);
		sqlite3_bind_int64(l->ins, 2, dossier);
		sqlite3_bind_text(l->ins, 3, month_format(mb, b->month), -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(l->ins, 4, settle_booking_name(b->kind), -1, SQLITE_STATIC);
		sqlite3_bind_int64(l->ins, 5, b->amount_cents);
		store_bind_text(l->ins, 6, booking_kenmerk(km, sizeof(km), b, in), 1);
		if ((step = sqlite3_step(l->ins)) != SQLITE_DONE)
			return store_fail(l->st, step, "booking a payment", err);
	}
	return 0;
}

/* Fold the bookings of one dossier in `q` (positioned on its first row)
 * into its summary; leaves `q` on the next dossier's row (or done). */
static int release_dossier(struct ledger *l, sqlite3_stmt *q, int *step, struct br_error *err)
{
	int64_t dossier = sqlite3_column_int64(q, 0);
	size_t n = 0;
	int rc;

	sqlite3_reset(l->get);
	sqlite3_bind_int64(l->get, 1, dossier);
	if ((rc = sqlite3_step(l->get)) == SQLITE_ROW) {
		int k = ledger_decode(l->m, LEDGER_MAX_MONTHS, sqlite3_column_blob(l->get, 0),
				      (size_t)sqlite3_column_bytes(l->get, 0), err);
		if (k < 0)
			return k;
		n = (size_t)k;
	} else if (rc != SQLITE_DONE) {
		return store_fail(l->st, rc, "reading the ledger summary", err);
	}
	sqlite3_reset(l->get);
	while (*step == SQLITE_ROW && sqlite3_column_int64(q, 0) == dossier) {
		struct settle_booking b;
		const char *soort = (const char *)sqlite3_column_text(q, 2);
		const char *mt = (const char *)sqlite3_column_text(q, 1);
		struct br_error e;
		int64_t paid, vt;
		int adv, kind;

		memset(&b, 0, sizeof(b));
		for (kind = BOOK_VOORSCHOT; kind < SETTLE_BOOKING_KINDS; kind++)
			if (soort && strcmp(soort, settle_booking_name((enum settle_booking_kind)kind)) == 0)
				break;
		br_error_clear(&e);
		if (kind >= SETTLE_BOOKING_KINDS || !mt || month_parse(&b.month, mt, strlen(mt), &e) < 0)
			return br_error_set(err, BR_EINTERNAL, "onleesbare boeking van dossier %lld", (long long)dossier);
		b.kind = (enum settle_booking_kind)kind;
		b.amount_cents = sqlite3_column_int64(q, 3);
		booking_effect(&b, &paid, &vt, &adv);
		if ((paid || vt || adv) && fold(l->m, &n, b.month, paid, vt, adv) < 0)
			return br_error_set(err, BR_EINTERNAL, "het grootboek van het dossier bevat meer dan %d maanden",
					    LEDGER_MAX_MONTHS);
		*step = sqlite3_step(q);
	}
	if (*step != SQLITE_ROW && *step != SQLITE_DONE)
		return store_fail(l->st, *step, "reading the run's bookings", err);
	sqlite3_reset(l->put);
	sqlite3_bind_int64(l->put, 1, dossier);
	sqlite3_bind_blob(l->put, 2, l->buf, (int)ledger_encode(l->buf, l->m, n), SQLITE_STATIC);
	rc = sqlite3_step(l->put);
	sqlite3_reset(l->put);
	if (rc != SQLITE_DONE)
		return store_fail(l->st, rc, "updating the ledger summary", err);
	return 0;
}

int ledger_release(struct store *st, int64_t run, const char *vrijgegeven, struct br_error *err)
{
	struct ledger *l = NULL;
	sqlite3_stmt *upd = NULL, *q = NULL;
	int rc, step;

	if ((rc = ledger_open(&l, st, err)) < 0)
		return rc;
	/* fold the pending bookings first, then mark them released: a run's
	 * later bookings (a bank's rejection booked back) are folded once */
	if ((rc = store_prepare(st, &upd, "UPDATE boeking SET vrijgegeven = ?2 WHERE run = ?1"
				" AND vrijgegeven IS NULL", err)) < 0 ||
	    (rc = store_prepare(st, &q, "SELECT dossier, maand, soort, bedrag_cents FROM boeking"
				" WHERE run = ?1 AND vrijgegeven IS NULL ORDER BY dossier", err)) < 0)
		goto out;
	sqlite3_bind_int64(q, 1, run);
	step = sqlite3_step(q);
	while (step == SQLITE_ROW)
		if ((rc = release_dossier(l, q, &step, err)) < 0)
			goto out;
	if (step != SQLITE_DONE) {
		rc = store_fail(st, step, "reading the run's bookings", err);
		goto out;
	}
	sqlite3_finalize(q);
	q = NULL;
	sqlite3_bind_int64(upd, 1, run);
	sqlite3_bind_text(upd, 2, vrijgegeven, -1, SQLITE_STATIC);
	if ((step = sqlite3_step(upd)) != SQLITE_DONE)
		rc = store_fail(st, step, "releasing the bookings", err);
out:
	sqlite3_finalize(upd);
	sqlite3_finalize(q);
	ledger_free(l);
	return rc;
}

int ledger_discard(struct store *st, int64_t run, struct br_error *err)
{
	sqlite3_stmt *d = NULL;
	int rc;

	if ((rc = store_prepare(st, &d, "DELETE FROM boeking WHERE run = ?1 AND vrijgegeven IS NULL", err)) < 0)
		return rc;
	sqlite3_bind_int64(d, 1, run);
	if ((rc = sqlite3_step(d)) != SQLITE_DONE)
		rc = store_fail(st, rc, "discarding the run's bookings", err);
	else
		rc = 0;
	sqlite3_finalize(d);
	return rc;
}

int ledger_check(struct store *st, struct br_error *err)
{
	sqlite3_stmt *q = NULL, *g = NULL;
	struct settle_paid *want = NULL, *have = NULL;
	size_t n_want = 0;
	int64_t cur = -1;
	int rc = 0, step;

	if (!(want = calloc(LEDGER_MAX_MONTHS, sizeof(*want))) ||
	    !(have = calloc(LEDGER_MAX_MONTHS, sizeof(*have))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	if ((rc = store_prepare(st, &q, "SELECT dossier, maand, soort, bedrag_cents FROM boeking"
				" WHERE vrijgegeven IS NOT NULL ORDER BY dossier, maand", err)) < 0 ||
	    (rc = store_prepare(st, &g, "SELECT maanden FROM grootboek WHERE dossier = ?1", err)) < 0)
		goto out;
	for (;;) {
		int done = (step = sqlite3_step(q)) != SQLITE_ROW;
		int64_t d = done ? -2 : sqlite3_column_int64(q, 0);

		if (!done && step != SQLITE_ROW) {
			rc = store_fail(st, step, "reading the ledger", err);
			goto out;
		}
		if (d != cur && cur >= 0) {
			/* compare the finished dossier's summary */
			int k = 0;
			size_t i;
			sqlite3_reset(g);
			sqlite3_bind_int64(g, 1, cur);
			if (sqlite3_step(g) == SQLITE_ROW &&
			    (k = ledger_decode(have, LEDGER_MAX_MONTHS, sqlite3_column_blob(g, 0),
					       (size_t)sqlite3_column_bytes(g, 0), err)) < 0) {
				rc = k;
				goto out;
			}
			if ((size_t)k != n_want) {
				rc = br_error_set(err, BR_EINTERNAL, "de samenvatting van dossier %lld in het"
						  " grootboek heeft %d maanden, de boekingen %zu", (long long)cur, k, n_want);
				goto out;
			}
			for (i = 0; i < n_want; i++)
				if (memcmp(&have[i], &want[i], sizeof(want[i])) != 0) {
					rc = br_error_set(err, BR_EINTERNAL, "de samenvatting van dossier %lld in het"
							  " grootboek wijkt af van de boekingen", (long long)cur);
					goto out;
				}
			n_want = 0;
			memset(want, 0, LEDGER_MAX_MONTHS * sizeof(*want));
		}
		if (done)
			break;
		cur = d;
		{
			struct settle_booking b;
			const char *soort = (const char *)sqlite3_column_text(q, 2);
			const char *mt = (const char *)sqlite3_column_text(q, 1);
			int64_t paid, vt;
			int adv, kind;
			struct br_error e;

			memset(&b, 0, sizeof(b));
			for (kind = BOOK_VOORSCHOT; kind < SETTLE_BOOKING_KINDS; kind++)
				if (soort && strcmp(soort, settle_booking_name((enum settle_booking_kind)kind)) == 0)
					break;
			br_error_clear(&e);
			if (kind >= SETTLE_BOOKING_KINDS || !mt || month_parse(&b.month, mt, strlen(mt), &e) < 0) {
				rc = br_error_set(err, BR_EINTERNAL, "onleesbare boeking van dossier %lld", (long long)d);
				goto out;
			}
			b.kind = (enum settle_booking_kind)kind;
			b.amount_cents = sqlite3_column_int64(q, 3);
			booking_effect(&b, &paid, &vt, &adv);
			if ((paid || vt || adv) && fold(want, &n_want, b.month, paid, vt, adv) < 0) {
				rc = br_error_set(err, BR_EINTERNAL, "te veel maanden");
				goto out;
			}
		}
	}
out:
	sqlite3_finalize(q);
	sqlite3_finalize(g);
	free(want);
	free(have);
	return rc;
}

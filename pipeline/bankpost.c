/* bankpost.c — see bankpost.h. */
#include "bankpost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "mem.h"
#include "strset.h"

#include "banned.h"

/* A return of the entry being read (the fields a post needs). */
struct ret {
	long line;
	int64_t amount_cents;
	int has_return;
	int reason_prtry;
	char e2e_id[CAMT_ID_CAP];
	char reason[CAMT_ID_CAP];
	char info[CAMT_INFO_MAX + 1];
	char btc[CAMT_BTC_CAP];
};

struct bankpost_sorter {
	struct strset ids;          /* released runs' MsgIds and PmtInfIds */
	struct ret *rets;           /* the current entry's candidate returns */
	size_t n_rets, cap_rets;
	char tx_msg_id[CAMT_ID_CAP];    /* the first of the entry's own ids in Refs */
	char tx_pmtinf_id[CAMT_ID_CAP];
	struct bankpost post;       /* the one being emitted */
};

static int is_ours(const struct bankpost_sorter *s, const char *id)
{
	return id[0] && strset_has(&s->ids, id);
}

int bankpost_sorter_new(struct bankpost_sorter **out, struct store *st, struct br_error *err)
{
	struct bankpost_sorter *s = calloc(1, sizeof(*s));
	sqlite3_stmt *q = NULL;
	int rc = 0, step;

	*out = NULL;
	if (!s)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	if ((rc = store_prepare(st, &q, "SELECT msg_id FROM run WHERE status = 'RELEASED' UNION"
				" SELECT p.pmtinf_id FROM batch p JOIN run r ON r.id = p.run"
				" WHERE r.status = 'RELEASED' AND p.pmtinf_id IS NOT NULL", err)) < 0)
		goto out;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		if (strset_add(&s->ids, store_col(q, 0)) < 0) {
			rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		rc = store_fail(st, step, "reading the released runs' ids", err);
		goto out;
	}
	strset_seal(&s->ids);
out:
	sqlite3_finalize(q);
	if (rc < 0)
		bankpost_sorter_free(s);
	else
		*out = s;
	return rc;
}

void bankpost_sorter_free(struct bankpost_sorter *s)
{
	if (!s)
		return;
	strset_clear(&s->ids);
	free(s->rets);
	free(s);
}

/* "PMNT/ICDT/RRTN" and the like: the ISO sub-family of a return. */
static int btc_is_return(const char *btc)
{
	size_t n = strlen(btc);

	return n >= 5 && strcmp(btc + n - 5, "/RRTN") == 0;
}

int bankpost_tx(struct bankpost_sorter *s, const struct camt_tx *t, struct br_error *err)
{
	struct ret *r;

	if (!s->tx_msg_id[0] && is_ours(s, t->msg_id))
		snprintf(s->tx_msg_id, sizeof(s->tx_msg_id), "%s", t->msg_id);
	if (!s->tx_pmtinf_id[0] && is_ours(s, t->pmtinf_id))
		snprintf(s->tx_pmtinf_id, sizeof(s->tx_pmtinf_id), "%s", t->pmtinf_id);
	/* a return needs the original EndToEndId; kept until the entry says
	 * whether it is a booked credit */
	if (!t->e2e_id[0] || (!t->has_return && !btc_is_return(t->btc)))
		return 0;
	if (mem_grow((void **)&s->rets, &s->cap_rets, s->n_rets + 1, sizeof(*s->rets)) < 0)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	r = &s->rets[s->n_rets++];
	memset(r, 0, sizeof(*r));
	r->line = t->line;
	r->amount_cents = t->amount_cents;
	r->has_return = t->has_return;
	r->reason_prtry = t->reason_prtry;
	memcpy(r->e2e_id, t->e2e_id, sizeof(r->e2e_id));
	memcpy(r->reason, t->reason, sizeof(r->reason));
	memcpy(r->info, t->info, sizeof(r->info));
	memcpy(r->btc, t->btc, sizeof(r->btc));
	return 0;
}

static void post_start(struct bankpost_sorter *s, const struct camt_entry *e, enum bankpost_kind kind)
{
	struct bankpost *p = &s->post;

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->line = e->line;
	p->amount_cents = e->amount_cents;
	p->booking_date = e->booking_date;
	memcpy(p->btc, e->btc, sizeof(p->btc));
	memcpy(p->bank_ref, e->acct_svcr_ref, sizeof(p->bank_ref));
}

/* payments.md "Reconciliation": the batch's ids, from Btch first. */
static int entry_debit(struct bankpost_sorter *s, const struct camt_entry *e)
{
	const char *pmtinf = is_ours(s, e->btch_pmtinf_id) ? e->btch_pmtinf_id : s->tx_pmtinf_id;
	const char *msg = is_ours(s, e->btch_msg_id) ? e->btch_msg_id : s->tx_msg_id;

	if (!pmtinf[0] && !msg[0])
		return 0;
	post_start(s, e, BANKPOST_DEBIT);
	snprintf(s->post.pmtinf_id, sizeof(s->post.pmtinf_id), "%s", pmtinf);
	snprintf(s->post.msg_id, sizeof(s->post.msg_id), "%s", msg);
	snprintf(s->post.info, sizeof(s->post.info), "%s", e->info);
	return 1;
}

static void entry_reset(struct bankpost_sorter *s)
{
	s->n_rets = 0;
	s->tx_msg_id[0] = '\0';
	s->tx_pmtinf_id[0] = '\0';
}

int bankpost_entry(struct bankpost_sorter *s, const struct camt_entry *e,
		   int (*emit)(void *ctx, const struct bankpost *p, struct br_error *err), void *ctx,
		   long *out_posts, struct br_error *err)
{
	int booked = e && strcmp(e->status, "BOOK") == 0 && strcmp(e->ccy, "EUR") == 0 && !e->reversal;
	int rc = 0;
	size_t i;

	*out_posts = 0;
	if (booked && !e->credit && entry_debit(s, e)) {
		*out_posts = 1;
		rc = emit(ctx, &s->post, err);
	}
	for (i = 0; rc == 0 && booked && e->credit && i < s->n_rets; i++) {
		const struct ret *r = &s->rets[i];

		if (!r->has_return && !btc_is_return(e->btc) && !btc_is_return(r->btc))
			continue;
		post_start(s, e, BANKPOST_RETURN);
		s->post.line = r->line;
		if (r->amount_cents >= 0)
			s->post.amount_cents = r->amount_cents;
		memcpy(s->post.e2e_id, r->e2e_id, sizeof(s->post.e2e_id));
		memcpy(s->post.reason, r->reason, sizeof(s->post.reason));
		s->post.reason_prtry = r->reason_prtry;
		memcpy(s->post.info, r->info, sizeof(s->post.info));
		if (r->btc[0])
			memcpy(s->post.btc, r->btc, sizeof(s->post.btc));
		(*out_posts)++;
		rc = emit(ctx, &s->post, err);
	}
	entry_reset(s);
	return rc;
}

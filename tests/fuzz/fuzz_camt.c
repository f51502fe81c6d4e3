/*
 * fuzz_camt.c — libFuzzer target for the bank statement parser
 * (parsers/camt.h): camt.053.001.02 / .08 and camt.054.001.02 / .08.
 *
 * camt_parse over arbitrary bytes, validated against the official schema
 * of the namespace the input names (data/schemas/iso20022), as intake
 * chooses it; camt.053.001.02 when it names none of the four.
 *
 * The harness (input, schema loading, the error contract) is
 * fuzz_common.h; this target reads every field of every record and checks
 * camt.h's contract: the account before its entries, an entry's
 * transactions before it and numbered with it, entries numbered 1, 2, ...
 * over the file, amounts and counts in range, codes within their caps.
 *
 *   make fuzz && build/fuzz/fuzz_camt -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_camt
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "camt.h"
#include "error.h"
#include "levering.h"
#include "money.h"
#include "xmlin.h"

/* One target reads two kinds; fuzz_common.h's on_header() checks one, so
 * camt_header() below checks the pair and hands it the one it expects. */
#define FUZZ_NAME "fuzz_camt"
#define FUZZ_KIND LEVERING_CAMT053
#include "fuzz_common.h"
#include "banned.h"

/* What the camt callbacks have seen, beyond fuzz_common.h's counts. */
struct camt_seen {
	struct seen s;        /* first: on_header() takes a struct seen * */
	int in_account;       /* an account was delivered */
	long entries;         /* entries delivered */
	long txs_pending;     /* transactions delivered since the last entry */
};

static int camt_header(void *ctx, const struct levering_header *hdr, struct br_error *err)
{
	struct levering_header h = *hdr;

	contract(hdr->kind == LEVERING_CAMT053 || hdr->kind == LEVERING_CAMT054,
		 "header of a kind other than camt053 / camt054", err);
	contract(hdr->iso_version == 2 || hdr->iso_version == 8, "iso_version not 2 or 8", err);
	contract(hdr->levering_id[0] != '\0', "empty leveringId", err);
	h.kind = FUZZ_KIND;
	return on_header(ctx, &h, err);
}

static int on_account(void *ctx, const struct camt_account *a, struct br_error *err)
{
	struct camt_seen *c = ctx;

	contract(c->s.headers == 1, "account before the header", err);
	contract(c->txs_pending == 0, "account while an entry's transactions are pending", err);
	c->in_account = 1;
	TOUCH_INT(a->line);
	TOUCH_STR(a->id);
	TOUCH_STR(a->iban);
	TOUCH_STR(a->other_id);
	TOUCH_STR(a->ccy);
	contract(a->iban[0] != '\0' || a->other_id[0] != '\0', "account without an id", err);
	contract(a->ccy[0] == '\0' || strlen(a->ccy) == 3, "account currency not 3 letters", err);
	return 0;
}

static int on_tx(void *ctx, const struct camt_tx *t, struct br_error *err)
{
	struct camt_seen *c = ctx;

	contract(c->in_account, "transaction before its account", err);
	contract(t->entry_seq == c->entries + 1, "transaction not numbered with its entry", err);
	c->txs_pending++;
	c->s.records++;
	TOUCH_INT(t->line);
	TOUCH_STR(t->msg_id);
	TOUCH_STR(t->pmtinf_id);
	TOUCH_STR(t->e2e_id);
	TOUCH_STR(t->acct_svcr_ref);
	TOUCH_STR(t->ccy);
	TOUCH_STR(t->btc);
	TOUCH_STR(t->reason);
	TOUCH_STR(t->info);
	TOUCH_INT(t->has_return + t->reason_prtry);
	contract(t->amount_cents == -1 || (t->amount_cents >= 0 && t->amount_cents <= MONEY_MAX_CENTS),
		 "transaction amount out of range", err);
	contract((t->amount_cents < 0) == (t->ccy[0] == '\0'), "amount and currency not together", err);
	contract(strlen(t->info) <= CAMT_INFO_MAX, "info longer than CAMT_INFO_MAX", err);
	contract(t->has_return || (t->reason[0] == '\0' && t->info[0] == '\0'),
		 "return reason without RtrInf", err);
	return 0;
}

static int on_entry(void *ctx, const struct camt_entry *e, struct br_error *err)
{
	struct camt_seen *c = ctx;

	contract(c->in_account, "entry before its account", err);
	contract(e->seq == ++c->entries, "entries not numbered 1, 2, ... over the file", err);
	contract(e->n_txs == c->txs_pending, "n_txs is not the transactions delivered before it", err);
	c->txs_pending = 0;
	c->s.records++;
	TOUCH_INT(e->line);
	TOUCH_INT(e->booking_date);
	TOUCH_INT(e->value_date);
	TOUCH_STR(e->ccy);
	TOUCH_STR(e->status);
	TOUCH_STR(e->acct_svcr_ref);
	TOUCH_STR(e->btc);
	TOUCH_STR(e->btch_msg_id);
	TOUCH_STR(e->btch_pmtinf_id);
	TOUCH_STR(e->info);
	TOUCH_INT(e->credit + e->reversal);
	contract(e->amount_cents >= 0 && e->amount_cents <= MONEY_MAX_CENTS, "entry amount out of range", err);
	contract(strlen(e->ccy) == 3, "entry currency not 3 letters", err);
	contract(e->btch_total_cents >= -1 && e->btch_total_cents <= MONEY_MAX_CENTS,
		 "batch total out of range", err);
	contract(e->btch_n_txs >= -1, "batch count below -1", err);
	contract(strlen(e->info) <= CAMT_INFO_MAX, "info longer than CAMT_INFO_MAX", err);
	return 0;
}

/* For fuzz_common.h: the parser under test, counting into *s. */
static int parse_records(struct xmlin *x, struct seen *s, struct br_error *err)
{
	struct camt_seen c;
	struct camt_handler h = { camt_header, on_account, on_tx, on_entry, NULL };
	int rc;

	memset(&c, 0, sizeof(c));
	h.ctx = &c;
	rc = camt_parse(x, &h, err);
	*s = c.s;
	if (rc == 0)
		contract(c.txs_pending == 0, "transactions without their entry at the end", err);
	return rc;
}

/* Validated as intake does: the schema of the namespace the input names. */
static int mentions(const uint8_t *data, size_t size, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= size; i++)
		if (data[i] == (uint8_t)needle[0] && memcmp(data + i, needle, n) == 0)
			return 1;
	return 0;
}

static const struct xmlin_schema *schema_for(const uint8_t *data, size_t size)
{
	static struct xmlin_schema *xsd[4];
	static const char *const ns[4] = { NS_CAMT053_02, NS_CAMT053_08, NS_CAMT054_02, NS_CAMT054_08 };
	int i;

	if (!xsd[0]) {
		xsd[0] = load_schema("iso20022/camt.053.001.02.xsd");
		xsd[1] = load_schema("iso20022/camt.053.001.08.xsd");
		xsd[2] = load_schema("iso20022/camt.054.001.02.xsd");
		xsd[3] = load_schema("iso20022/camt.054.001.08.xsd");
	}
	for (i = 1; i < 4; i++)
		if (mentions(data, size, ns[i]))
			return xsd[i];
	return xsd[0];
}

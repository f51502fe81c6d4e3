/*
 * test_camt.c — the camt.053 / camt.054 parser over the files in
 * tests/data/camt/ (style.md "Tests": a parser's edge cases are data
 * files), validated against the official ISO schemas in
 * data/schemas/iso20022/ as intake validates them.
 *
 *   good-<msg>-<ver>-*.xml  every callback, in order, with every field
 *                           (expected values read off the XML), with and
 *                           without the schema;
 *   bad-*.xml               not schema-valid (or not XML): refused with the
 *                           schema, and by camt.c itself without it;
 *   refused-*.xml           schema-valid, refused by betaalrun's reader or
 *                           by camt.c.
 *
 * tests/e2e/test_camt_schemas.sh checks the same files with xmllint.
 *
 * Optional timing mode (not part of the test run):
 *   build/tests/test_camt --bench FILE [XSD]
 * parses FILE (e.g. from tests/data/camt/gen_big.sh) and prints the time.
 *
 * The project root comes from $BR_SOURCE_DIR, else the compile-time
 * BR_SOURCE_DIR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "camt.h"
#include "date.h"
#include "error.h"
#include "levering.h"
#include "xmlin.h"

#include "banned.h"

#define MAX_EVENTS 40

/* ---- what a parse delivered ------------------------------------------------ */

struct event {
	char kind; /* 'A' account, 'T' tx, 'E' entry */
	struct camt_account a;
	struct camt_tx t;
	struct camt_entry e;
};

struct collect {
	int headers;
	struct levering_header hdr;
	int n;
	struct event ev[MAX_EVENTS];
	int before_header;          /* records delivered before the header */
	char fail_kind;             /* this callback fails ... */
	int fail_at;                /* ... on its Nth call (1-based), 0 never */
	int calls_a, calls_t, calls_e;
};

static struct event *push(struct collect *c, char kind)
{
	static struct event overflow;

	if (c->headers == 0)
		c->before_header++;
	c->n++;
	if (c->n > MAX_EVENTS)
		return &overflow;
	c->ev[c->n - 1].kind = kind;
	return &c->ev[c->n - 1];
}

static int on_header(void *ctx, const struct levering_header *hdr, struct br_error *err)
{
	struct collect *c = ctx;

	c->headers++;
	c->hdr = *hdr;
	if (c->fail_kind == 'H')
		return br_error_set(err, BR_EINPUT, "delivery %s was already ingested", hdr->levering_id);
	return 0;
}

static int on_account(void *ctx, const struct camt_account *a, struct br_error *err)
{
	struct collect *c = ctx;

	(void)err;
	push(c, 'A')->a = *a;
	return c->fail_kind == 'A' && ++c->calls_a == c->fail_at ? BR_ENOINPUT : 0;
}

static int on_tx(void *ctx, const struct camt_tx *t, struct br_error *err)
{
	struct collect *c = ctx;

	(void)err;
	push(c, 'T')->t = *t;
	return c->fail_kind == 'T' && ++c->calls_t == c->fail_at ? BR_ENOINPUT : 0;
}

static int on_entry(void *ctx, const struct camt_entry *e, struct br_error *err)
{
	struct collect *c = ctx;

	(void)err;
	push(c, 'E')->e = *e;
	return c->fail_kind == 'E' && ++c->calls_e == c->fail_at ? BR_ENOINPUT : 0;
}

/* ---- fixture -------------------------------------------------------------------- */

struct fixture {
	char root[1024];
	struct xmlin_schema *xsd[4]; /* 053.02, 053.08, 054.02, 054.08 */
};

static const char *const xsd_names[4] = {
	"camt.053.001.02.xsd", "camt.053.001.08.xsd", "camt.054.001.02.xsd", "camt.054.001.08.xsd",
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *root = getenv("BR_SOURCE_DIR");
	char path[1200];
	struct br_error err;
	int i;

	if (!f)
		return -1;
	snprintf(f->root, sizeof(f->root), "%s", root && *root ? root : BR_SOURCE_DIR);
	for (i = 0; i < 4; i++) {
		br_error_clear(&err);
		snprintf(path, sizeof(path), "%s/data/schemas/iso20022/%s", f->root, xsd_names[i]);
		if (xmlin_schema_load(&f->xsd[i], path, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			return -1;
		}
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int i;

	for (i = 0; i < 4; i++)
		xmlin_schema_free(f->xsd[i]);
	free(f);
	return 0;
}

/* "good-053-08-..." is validated by camt.053.001.08, as intake would; a
 * file of another version by camt.053.001.02, which refuses its root. */
static const struct xmlin_schema *schema_for(const struct fixture *f, const char *name)
{
	const char *v = strchr(name, '-');

	if (!v)
		return f->xsd[0];
	v++;
	if (strncmp(v, "053-08", 6) == 0)
		return f->xsd[1];
	if (strncmp(v, "054-02", 6) == 0)
		return f->xsd[2];
	if (strncmp(v, "054-08", 6) == 0)
		return f->xsd[3];
	return f->xsd[0];
}

static int parse_mem(const struct fixture *f, const char *name, const void *data, size_t len,
		     int with_schema, struct collect *c, struct br_error *err)
{
	struct camt_handler h = { on_header, on_account, on_tx, on_entry, c };
	struct xmlin *x = NULL;
	int rc;

	br_error_clear(err);
	rc = xmlin_open_memory(&x, data, len, name, with_schema ? schema_for(f, name) : NULL, NULL, err);
	if (rc == 0)
		rc = camt_parse(x, &h, err);
	xmlin_free(x);
	return rc;
}

static int parse(const struct fixture *f, const char *name, int with_schema, struct collect *c,
		 struct br_error *err)
{
	struct camt_handler h = { on_header, on_account, on_tx, on_entry, c };
	struct xmlin *x = NULL;
	char path[1300];
	int rc;

	br_error_clear(err);
	snprintf(path, sizeof(path), "%s/tests/data/camt/%s", f->root, name);
	rc = xmlin_open(&x, path, name, with_schema ? schema_for(f, name) : NULL, NULL, err);
	if (rc == 0)
		rc = camt_parse(x, &h, err);
	xmlin_free(x);
	return rc;
}

/* ---- expectations ---------------------------------------------------------------- */

struct want_acct {
	long line;
	const char *id, *iban, *other_id, *ccy;
};

struct want_tx {
	long line, entry_seq;
	const char *msg_id, *pmtinf_id, *e2e_id, *acct_svcr_ref;
	int64_t cents;
	const char *ccy, *btc;
	int has_return;
	const char *reason;
	int reason_prtry;
	const char *info;
};

struct want_entry {
	long line, seq;
	int64_t cents;
	const char *ccy;
	int credit, reversal;
	const char *status, *booking, *value, *acct_svcr_ref, *btc, *btch_msg_id, *btch_pmtinf_id;
	long btch_n_txs;
	int64_t btch_total_cents;
	long n_txs;
	const char *info;
};

struct want {
	char kind;
	struct want_acct a;
	struct want_tx t;
	struct want_entry e;
};

#define ACCT(...) { 'A', .a = { __VA_ARGS__ } }
#define TX(...) { 'T', .t = { __VA_ARGS__ } }
#define ENTRY(...) { 'E', .e = { __VA_ARGS__ } }

static int32_t day(const char *s)
{
	int32_t d = DATE_NONE;

	if (s)
		assert_int_equal(date_parse(&d, s, strlen(s), NULL), 0);
	return d;
}

static int64_t ts(int y, int mo, int d, int hh, int mi, int ss)
{
	return timestamp_from(date_from_ymd(y, mo, d), hh, mi, ss);
}

#define SAME_STR(got, want, what)                                                              \
	do {                                                                                   \
		if (strcmp((got), (want)) != 0)                                                \
			fail_msg("%s event %d (line %ld): %s is '%s', want '%s'", name, i + 1, line, \
				 what, (got), (want));                                         \
	} while (0)
#define SAME_INT(got, want, what)                                                              \
	do {                                                                                   \
		if ((long long)(got) != (long long)(want))                                     \
			fail_msg("%s event %d (line %ld): %s is %lld, want %lld", name, i + 1, line, \
				 what, (long long)(got), (long long)(want));                   \
	} while (0)

static void check_acct(const char *name, int i, const struct camt_account *a, const struct want_acct *w)
{
	long line = w->line;

	SAME_INT(a->line, w->line, "line");
	SAME_STR(a->id, w->id, "id");
	SAME_STR(a->iban, w->iban, "iban");
	SAME_STR(a->other_id, w->other_id, "other_id");
	SAME_STR(a->ccy, w->ccy, "ccy");
}

static void check_tx(const char *name, int i, const struct camt_tx *t, const struct want_tx *w)
{
	long line = w->line;

	SAME_INT(t->line, w->line, "line");
	SAME_INT(t->entry_seq, w->entry_seq, "entry_seq");
	SAME_STR(t->msg_id, w->msg_id, "msg_id");
	SAME_STR(t->pmtinf_id, w->pmtinf_id, "pmtinf_id");
	SAME_STR(t->e2e_id, w->e2e_id, "e2e_id");
	SAME_STR(t->acct_svcr_ref, w->acct_svcr_ref, "acct_svcr_ref");
	SAME_INT(t->amount_cents, w->cents, "amount_cents");
	SAME_STR(t->ccy, w->ccy, "ccy");
	SAME_STR(t->btc, w->btc, "btc");
	SAME_INT(t->has_return, w->has_return, "has_return");
	SAME_STR(t->reason, w->reason, "reason");
	SAME_INT(t->reason_prtry, w->reason_prtry, "reason_prtry");
	SAME_STR(t->info, w->info, "info");
}

static void check_entry(const char *name, int i, const struct camt_entry *e, const struct want_entry *w)
{
	long line = w->line;

	SAME_INT(e->line, w->line, "line");
	SAME_INT(e->seq, w->seq, "seq");
	SAME_INT(e->amount_cents, w->cents, "amount_cents");
	SAME_STR(e->ccy, w->ccy, "ccy");
	SAME_INT(e->credit, w->credit, "credit");
	SAME_INT(e->reversal, w->reversal, "reversal");
	SAME_STR(e->status, w->status, "status");
	SAME_INT(e->booking_date, day(w->booking), "booking_date");
	SAME_INT(e->value_date, day(w->value), "value_date");
	SAME_STR(e->acct_svcr_ref, w->acct_svcr_ref, "acct_svcr_ref");
	SAME_STR(e->btc, w->btc, "btc");
	SAME_STR(e->btch_msg_id, w->btch_msg_id, "btch_msg_id");
	SAME_STR(e->btch_pmtinf_id, w->btch_pmtinf_id, "btch_pmtinf_id");
	SAME_INT(e->btch_n_txs, w->btch_n_txs, "btch_n_txs");
	SAME_INT(e->btch_total_cents, w->btch_total_cents, "btch_total_cents");
	SAME_INT(e->n_txs, w->n_txs, "n_txs");
	SAME_STR(e->info, w->info, "info");
}

/* The file parses, with and without its schema, into exactly `want`. */
static void check_good(void **state, const char *name, enum levering_kind kind, int version,
		       const char *msg_id, int64_t aanmaak, const struct want *want, int n)
{
	struct fixture *f = *state;
	struct collect *c = calloc(1, sizeof(*c));
	struct br_error err;
	int pass, i;

	assert_non_null(c);
	for (pass = 0; pass < 2; pass++) {
		memset(c, 0, sizeof(*c));
		if (parse(f, name, pass == 0, c, &err) != 0)
			fail_msg("%s (%s schema): %s (line %ld)", name, pass ? "without" : "with", err.msg,
				 err.line);
		assert_int_equal(c->headers, 1);
		assert_int_equal(c->before_header, 0);
		assert_int_equal(c->hdr.kind, kind);
		assert_int_equal(c->hdr.iso_version, version);
		assert_string_equal(c->hdr.levering_id, msg_id);
		assert_true(c->hdr.aanmaakdatum == aanmaak);
		assert_int_equal(c->hdr.peildatum, DATE_NONE);
		if (c->n != n)
			fail_msg("%s: %d callbacks, want %d", name, c->n, n);
		for (i = 0; i < n; i++) {
			const struct event *e = &c->ev[i];

			if (e->kind != want[i].kind)
				fail_msg("%s event %d: callback %c, want %c", name, i + 1, e->kind,
					 want[i].kind);
			if (e->kind == 'A')
				check_acct(name, i, &e->a, &want[i].a);
			else if (e->kind == 'T')
				check_tx(name, i, &e->t, &want[i].t);
			else
				check_entry(name, i, &e->e, &want[i].e);
		}
	}
	free(c);
}

/* ---- good files ------------------------------------------------------------------- */

#define DEBTOR "NL91ABNA0417164300"

static void test_053_02_abnamro(void **state)
{
	const struct want want[] = {
		ACCT(12, "0417164300-20261125", DEBTOR, "", "EUR"),
		TX(96, 1, "BR-202611-0001", "BR-202611-0001-K1", "BR1-000001", "", 81240, "EUR", "", 0, "", 0, ""),
		TX(108, 1, "BR-202611-0001", "BR-202611-0001-K1", "BR1-000002", "", 123450, "EUR", "", 0, "", 0, ""),
		TX(120, 1, "BR-202611-0001", "BR-202611-0001-K1", "BR1-000003", "", 42345, "EUR", "", 0, "", 0, ""),
		ENTRY(64, 1, 247035, "EUR", 0, 0, "BOOK", "2026-11-25", "2026-11-25", "0417164300A0000001",
		      "PMNT/ICDT/ESCT", "BR-202611-0001", "BR-202611-0001-K1", 3, 247035, 3,
		      "SEPA OVERBOEKING BATCH BR-202611-0001-K1 3 POSTEN"),
		/* the third-party batch: booked as one debit, its transactions not listed */
		ENTRY(135, 2, 115000, "EUR", 0, 0, "BOOK", "2026-11-25", "2026-11-25", "0417164300A0000002",
		      "PMNT/ICDT/ESCT", "BR-202611-0001", "BR-202611-0001-D1", 2, 115000, 0,
		      "SEPA OVERBOEKING BATCH BR-202611-0001-D1 2 POSTEN"),
		/* a return: the original EndToEndId in Refs, Rsn/Cd AC04, two AddtlInf */
		TX(194, 3, "", "", "BR1-000003", "RT26112700001234", 42345, "EUR", "", 1, "AC04", 0,
		   "REKENING OPGEHEVEN / RETOUR NAAR OPDRACHTGEVER"),
		ENTRY(169, 3, 42345, "EUR", 1, 0, "BOOK", "2026-11-27", "2026-11-27", "0417164300A0000003",
		      "PMNT/ICDT/RRTN", "", "", -1, -1, 1, "TERUGBOEKING SEPA OVERBOEKING BR1-000003"),
		/* "12.340" */
		ENTRY(241, 4, 1234, "EUR", 0, 0, "BOOK", "2026-11-25", "2026-11-25", "0417164300A0000004",
		      "ACMT/MDOP/CHRG", "", "", -1, -1, 0, "KOSTEN BETALINGSVERKEER NOVEMBER 2026"),
		/* "1234.5" */
		TX(284, 5, "", "", "NOTPROVIDED", "", 123450, "EUR", "", 0, "", 0, ""),
		ENTRY(263, 5, 123450, "EUR", 1, 0, "BOOK", "2026-11-25", "2026-11-26", "0417164300A0000005",
		      "PMNT/RCDT/ESCT", "", "", -1, -1, 1, ""),
		/* the second statement; entries are numbered over the file; "0.2" */
		ACCT(306, "0123456789-20261125", "NL02ABNA0123456789", "", "EUR"),
		ENTRY(340, 6, 20, "EUR", 1, 0, "BOOK", "2026-11-25", "2026-11-25", "", "ACMT/MDOP/INTR", "", "",
		      -1, -1, 0, "RENTE"),
	};

	/* 21:14:07.123+01:00: the fraction and the zone are dropped */
	check_good(state, "good-053-02-abnamro.xml", LEVERING_CAMT053, 2, "ABNA0417164300C053202611250001",
		   ts(2026, 11, 25, 21, 14, 7), want, (int)(sizeof(want) / sizeof(want[0])));
}

static void test_053_02_ing(void **state)
{
	const struct want want[] = {
		ACCT(9, "2026-11-26-0001", DEBTOR, "", "EUR"),
		/* a batch debit whose MsgId and PmtInfId are only in TxDtls/Refs */
		TX(68, 1, "BR-202611-0002", "BR-202611-0002-K1", "", "", 3452180, "EUR", "", 0, "", 0, ""),
		/* BookgDt/DtTm: its day; AddtlNtryInf in CDATA */
		ENTRY(43, 1, 3452180, "EUR", 0, 0, "BOOK", "2026-11-26", "2026-11-26", "INGB-26330-000017",
		      "PMNT/ICDT/ESCT", "", "", -1, -1, 1, "Verzamelbetaling BR-202611-0002-K1 & 41 posten"),
		/* three returns booked as one credit */
		TX(111, 2, "", "", "BR2-000101", "", 40210, "EUR", "", 1, "MD07", 0, "Rekeninghouder overleden"),
		TX(127, 2, "", "", "BR2-000102", "", 38860, "EUR", "", 1, "ING-R17", 1, ""),
		TX(142, 2, "", "", "BR2-000103", "", 40000, "EUR", "", 1, "AC04", 0,
		   "Rekening opgeheven / /RTYP/RETN"),
		ENTRY(82, 2, 119070, "EUR", 1, 0, "BOOK", "2026-11-26", "2026-11-26", "INGB-26330-000018",
		      "PMNT/ICDT/RRTN", "", "", 3, 119070, 3, "Retour SEPA overboekingen 3 posten"),
		ACCT(163, "2026-11-27-0001", DEBTOR, "", "EUR"),
		/* a return under the bank's own code, with a proprietary reason, no amount */
		TX(215, 3, "", "", "BR2-000187", "R-26331-77812", -1, "", "", 1, "NIET VERWERKBAAR", 1,
		   "Naam en rekeningnummer komen niet overeen"),
		ENTRY(197, 3, 37500, "EUR", 1, 0, "BOOK", "2026-11-27", "2026-11-27", "INGB-26331-000003", "10011",
		      "", "", -1, -1, 1, ""),
		/* a reversal (storno) of a fee */
		ENTRY(229, 4, 1233, "EUR", 1, 1, "BOOK", "2026-11-27", NULL, "", "ACMT/MDOP/CHRG", "", "", -1, -1,
		      0, "Storno kosten 26-11"),
	};

	check_good(state, "good-053-02-ing.xml", LEVERING_CAMT053, 2, "C53INGB20261128080512",
		   ts(2026, 11, 28, 8, 5, 12), want, (int)(sizeof(want) / sizeof(want[0])));
}

static void test_053_08_rabobank(void **state)
{
	const struct want want[] = {
		ACCT(11, "NL91ABNA0417164300-2026-11-30", DEBTOR, "", "EUR"),
		/* a batch debit without its transactions; ValDt with a zone */
		ENTRY(54, 1, 9876543, "EUR", 0, 0, "BOOK", "2026-11-30", "2026-11-30", "RABO2026113000000412",
		      "PMNT/ICDT/ESCT", "BR-202612-0004", "BR-202612-0004-K1", 57, 9876543, 0,
		      "Batch BR-202612-0004-K1"),
		/* TxDtls/Amt (.08) wins over AmtDtls; "400" has no decimals */
		TX(120, 2, "BR-202612-0004", "BR-202612-0004-D1", "BR4-000058", "", 123000, "EUR",
		   "PMNT/ICDT/ESCT", 0, "", 0, ""),
		TX(147, 2, "BR-202612-0004", "BR-202612-0004-D1", "BR4-000059", "", 40000, "EUR", "", 0, "", 0, ""),
		/* TtlAmt "1630" */
		ENTRY(91, 2, 163000, "EUR", 0, 0, "BOOK", "2026-11-30", "2026-11-30", "RABO2026113000000413",
		      "PMNT/ICDT/ESCT", "BR-202612-0004", "BR-202612-0004-D1", 2, 163000, 2, ""),
		TX(185, 3, "", "", "BR4-000058", "", 123000, "EUR", "", 1, "MD07", 0, "Begunstigde overleden"),
		ENTRY(158, 3, 123000, "EUR", 1, 0, "BOOK", "2026-11-30", "2026-11-30", "RABO2026113000000977",
		      "PMNT/ICDT/RRTN", "", "", -1, -1, 1, ""),
		/* pending, no booking date, ValDt/DtTm */
		ENTRY(200, 4, 123450, "EUR", 1, 0, "PDNG", NULL, "2026-12-01", "", "PMNT/RCDT/ESCT", "", "", -1,
		      -1, 0, "Bijdrage gemeenschappelijke regeling"),
		/* Sts/Prtry: status ""; Prtry bank transaction code only */
		ENTRY(220, 5, 1234, "EUR", 0, 0, "", "2026-11-30", NULL, "", "0093", "", "", -1, -1, 0,
		      "Kosten betalingsverkeer"),
		ACCT(238, "0301234567-USD-2026-11-30", "", "0301234567", "USD"),
		/* an empty BkTxCd */
		ENTRY(263, 6, 1000, "USD", 1, 0, "INFO", NULL, NULL, "", "", "", "", -1, -1, 0, ""),
	};

	/* 09:15:12.345678+01:00 */
	check_good(state, "good-053-08-rabobank.xml", LEVERING_CAMT053, 8, "RABO-C053-20261201-091512-01",
		   ts(2026, 12, 1, 9, 15, 12), want, (int)(sizeof(want) / sizeof(want[0])));
}

#define NDEA_LINE(n) "Return of SEPA credit transfer BR5-000001: the beneficiary bank reports the account as closed " #n

static void test_053_08_nordea(void **state)
{
	const struct want want[] = {
		ACCT(7, "NDEA53-20261202-000019-1", DEBTOR, "", "EUR"),
		/* one entry, two NtryDtls: the first Btch describes the entry */
		TX(25, 1, "", "BR-202612-0005-K1", "BR5-000001", "", 25000, "EUR", "", 0, "", 0, ""),
		TX(26, 1, "", "BR-202612-0005-K1", "BR5-000002", "", 25000, "EUR", "", 0, "", 0, ""),
		TX(30, 1, "", "BR-202612-0005-K2", "BR5-000003", "", 9999, "EUR", "", 0, "", 0, ""),
		ENTRY(13, 1, 59999, "EUR", 0, 0, "BOOK", "2026-12-01", "2026-12-01", "NDEA2026120100001",
		      "PMNT/ICDT/ESCT", "BR-202612-0005", "BR-202612-0005-K1", 2, 50000, 3, ""),
		/* five AddtlInf lines of 95 characters: cut at 420 bytes with "..." */
		TX(44, 2, "BR-202612-0005", "BR-202612-0005-K1", "BR5-000001", "", 25000, "EUR", "PMNT/ICDT/RRTN",
		   1, "AC04", 0,
		   NDEA_LINE(1) " / " NDEA_LINE(2) " / " NDEA_LINE(3) " / " NDEA_LINE(4) " / "
		   "Return of SEPA credit tra..."),
		/* CDATA EndToEndId; UTF-8 kept, the tab (&#9;) as '?' */
		TX(59, 2, "", "", "BR5-000003", "", 9999, "EUR", "", 1, "RJCT-BENEF", 1,
		   "Kontohaver d\xc3\xb8" "d \xe2\x80\x93 tilbagef\xc3\xb8rt?(ref 7781)"),
		ENTRY(33, 2, 34999, "EUR", 1, 0, "BOOK", "2026-12-01", "2026-12-01", "NDEA2026120100002",
		      "PMNT/ICDT/RRTN", "", "", 2, 34999, 2, ""),
		/* RvslInd 1 */
		ENTRY(69, 3, 0, "EUR", 1, 1, "BOOK", "2026-12-01", NULL, "", "NTRF+0802", "", "", -1, -1, 0,
		      "Correction"),
	};

	check_good(state, "good-053-08-nordea.xml", LEVERING_CAMT053, 8, "NDEA53-20261202-000019",
		   ts(2026, 12, 2, 6, 0, 0), want, (int)(sizeof(want) / sizeof(want[0])));
}

static void test_054_02_six(void **state)
{
	char info[CAMT_INFO_MAX + 1];
	const struct want want[] = {
		ACCT(12, "20261125375204000006-1", DEBTOR, "", "EUR"),
		TX(48, 1, "BR-202611-0003", "BR-202611-0003-K1", "BR3-000001", "375204AA7410-1", 81240, "EUR",
		   "PMNT/ICDT/ESCT", 0, "", 0, ""),
		/* TxAmt "1234.5" (InstdAmt is not read) */
		TX(74, 1, "BR-202611-0003", "BR-202611-0003-K1", "BR3-000002", "375204AA7410-2", 123450, "EUR",
		   "PMNT/ICDT/ESCT", 0, "", 0, ""),
		/* TtlAmt "2046.9" */
		ENTRY(21, 1, 204690, "EUR", 0, 0, "BOOK", "2026-11-25", "2026-11-25", "375204AA7410",
		      "PMNT/ICDT/AUTT", "BR-202611-0003", "BR-202611-0003-K1", 2, 204690, 2,
		      "SAMMELAUFTRAG BR-202611-0003-K1"),
		/* the PmtInfId only in Refs; Btch with NbOfTxs only */
		TX(127, 2, "BR-202611-0003", "BR-202611-0003-D1", "", "", 70000, "EUR", "", 0, "", 0, ""),
		ENTRY(103, 2, 70000, "EUR", 0, 0, "BOOK", "2026-11-25", "2026-11-25", "375204AA7411",
		      "PMNT/ICDT/AUTT", "", "", 1, -1, 1, ""),
		/* a second notification; its Acct has no Ccy */
		ACCT(141, "20261125375204000006-2", DEBTOR, "", ""),
		TX(170, 3, "BR-202611-0003", "", "BR3-000001", "", 81240, "EUR", "", 1, "AC04", 0, "KONTO SALDIERT"),
		ENTRY(149, 3, 81240, "EUR", 1, 0, "BOOK", "2026-11-25", "2026-11-25", "375204AB0093",
		      "PMNT/ICDT/RRTN", "", "", -1, -1, 1, ""),
		/* "Rückgabe " and 290 "Ü", 590 bytes: cut at 420 bytes, back to the
		 * start of the character that byte 417 is in, then "..." */
		ENTRY(189, 4, 1234, "EUR", 0, 0, "BOOK", "2026-11-25", NULL, "", "PMNT/ICDT/RRTN", "", "", -1, -1, 0,
		      info),
	};
	int i;

	/* "Rückgabe " is 10 bytes; 203 "Ü" fill bytes 10..415 */
	memcpy(info, "R\xc3\xbc" "ckgabe ", 10);
	for (i = 0; i < 203; i++)
		memcpy(info + 10 + 2 * i, "\xc3\x9c", 2);
	memcpy(info + 416, "...", 4);
	check_good(state, "good-054-02-six.xml", LEVERING_CAMT054, 2, "20261125375204000006",
		   ts(2026, 11, 25, 20, 0, 14), want, (int)(sizeof(want) / sizeof(want[0])));
}

static void test_054_02_dk(void **state)
{
	const struct want want[] = {
		ACCT(8, "camt054_20261126_0815_77_1", DEBTOR, "", "EUR"),
		/* a Sammler: Btch without TtlAmt, no TxDtls; CDATA in part of the text */
		ENTRY(18, 1, 1540000, "EUR", 0, 0, "BOOK", "2026-11-26", "2026-11-26", "2026112600071234",
		      "PMNT/ICDT/ESCT", "BR-202611-0004", "BR-202611-0004-D1", 12, -1, 0,
		      "SAMMLER-UEBERWEISUNG BR-202611-0004-D1"),
		/* returns batch-booked under a proprietary code only */
		TX(74, 2, "BR-202611-0004", "BR-202611-0004-D1", "BR4-000007", "", 65000, "EUR", "NRTI+159+00931",
		   1, "AC04", 0, "Konto erloschen"),
		TX(99, 2, "", "", "BR4-000008", "", 30025, "EUR", "", 1, "MD07", 0, "Kontoinhaber verstorben"),
		/* "150.000"; a Prtry reason; AddtlInf in CDATA */
		TX(115, 2, "", "", "BR4-000011", "", 15000, "EUR", "", 1, "901", 1, "Name & Konto passen nicht"),
		ENTRY(51, 2, 110025, "EUR", 1, 0, "BOOK", "2026-11-26", "2026-11-26", "2026112600071302",
		      "NRTI+159+00931", "", "", 3, 110025, 3, ""),
		/* someone else's salary payment */
		TX(150, 3, "", "", "LOHN-2026-11-0042", "", -1, "", "", 0, "", 0, ""),
		ENTRY(133, 3, 123450, "EUR", 1, 0, "BOOK", "2026-11-26", "2026-11-26", "", "NTRF+153+00931", "", "",
		      -1, -1, 1, "LOHN GEHALT"),
	};

	check_good(state, "good-054-02-dk.xml", LEVERING_CAMT054, 2, "camt054_20261126_0815_77",
		   ts(2026, 11, 26, 8, 15, 0), want, (int)(sizeof(want) / sizeof(want[0])));
}

/* A MsgId of 35 characters in 69 bytes of UTF-8 (Max35Text counts
 * characters): the leveringId as written. */
static void test_054_02_msgid_utf8(void **state)
{
	char msg_id[LEVERING_ID_MAX + 1];
	const struct want want[] = {
		ACCT(8, "TEST-1", DEBTOR, "", ""),
		TX(33, 1, "", "", "BR1-000042", "", 1000, "EUR", "", 1, "AC04", 0, "Rekening opgeheven"),
		ENTRY(16, 1, 1000, "EUR", 1, 0, "BOOK", "2026-11-26", NULL, "", "PMNT/ICDT/RRTN", "", "", -1, -1, 1,
		      ""),
	};
	int i;

	for (i = 0; i < 34; i++)
		memcpy(msg_id + 2 * i, "\xc3\x89", 2); /* "É" */
	memcpy(msg_id + 68, "1", 2);
	check_good(state, "good-054-02-msgid-utf8.xml", LEVERING_CAMT054, 2, msg_id,
		   ts(2026, 11, 27, 7, 0, 0), want, (int)(sizeof(want) / sizeof(want[0])));
}

static void test_054_08_nordea(void **state)
{
	const struct want want[] = {
		ACCT(8, "NDEA54-20261203-000231-1", DEBTOR, "", "EUR"),
		TX(47, 1, "BR-202612-0006", "BR-202612-0006-K1", "BR6-000001", "", 103456, "EUR", "", 0, "", 0, ""),
		/* "12.340" */
		TX(56, 1, "BR-202612-0006", "BR-202612-0006-K1", "BR6-000002", "", 1234, "EUR", "", 0, "", 0, ""),
		ENTRY(17, 1, 104690, "EUR", 0, 0, "BOOK", "2026-12-03", "2026-12-03", "NDEA2026120300041",
		      "PMNT/ICDT/ESCT", "BR-202612-0006", "BR-202612-0006-K1", 2, 104690, 2, ""),
		ENTRY(67, 2, 500000, "EUR", 0, 0, "BOOK", "2026-12-03", NULL, "NDEA2026120300042", "PMNT/ICDT/ESCT",
		      "BR-202612-0006", "BR-202612-0006-D1", 8, 500000, 0, ""),
		TX(115, 3, "BR-202612-0006", "BR-202612-0006-K2", "", "", 32100, "EUR", "", 0, "", 0, ""),
		ENTRY(95, 3, 32100, "EUR", 0, 0, "BOOK", "2026-12-03", NULL, "NDEA2026120300043", "PMNT/ICDT/ESCT",
		      "", "", -1, -1, 1, ""),
		TX(148, 4, "", "", "BR6-000001", "", 103456, "EUR", "", 1, "AC04", 0, ""),
		TX(160, 4, "", "", "BR5-000044", "", 55419, "EUR", "", 1, "MD07", 0, "Deceased"),
		TX(173, 4, "", "", "BR5-000045", "", 1200, "EUR", "", 1, "NDEA-RET-09", 1,
		   "Beneficiary bank: invalid account / Returned by NDEAFIHH"),
		ENTRY(124, 4, 160075, "EUR", 1, 0, "BOOK", "2026-12-03", NULL, "NDEA2026120300044", "PMNT/ICDT/RRTN",
		      "", "", 3, 160075, 3, ""),
		ENTRY(189, 5, 123450, "EUR", 1, 0, "BOOK", "2026-12-03", NULL, "", "PMNT/RCDT/SALA", "", "", -1, -1,
		      0, "Salary December"),
	};

	check_good(state, "good-054-08-nordea.xml", LEVERING_CAMT054, 8, "NDEA54-20261203-000231",
		   ts(2026, 12, 3, 18, 30, 0), want, (int)(sizeof(want) / sizeof(want[0])));
}

static void test_054_08_danske(void **state)
{
	const struct want want[] = {
		/* Othr/Id with a space, DKK */
		ACCT(4, "DABA-054-2026120499-A", "", "3409 0012345678", "DKK"),
		/* " 100.00 ", " true " (collapsed whitespace); Sts/Prtry */
		ENTRY(6, 1, 10000, "DKK", 0, 1, "", "2026-12-04", NULL, "", "KORT", "", "", -1, -1, 0, ""),
		ACCT(8, "DABA-054-2026120499-B", DEBTOR, "", ""),
		/* EndToEndId half CDATA; &amp; */
		TX(10, 2, "BR-202612-0006", "", "BR6-000099", "", 7550, "EUR", "", 1, "UKENDT MODTAGER", 1,
		   "Modtager ukendt & konto lukket"),
		/* DtTm -03:30 and Dt with Z: the days as written */
		ENTRY(10, 2, 7550, "EUR", 1, 0, "BOOK", "2026-12-04", "2026-12-05", "DABA/R/0000815", "RETUR", "", "",
		      -1, -1, 1, "Retur: BR6-000099"),
	};

	/* 23:10:00.5-03:30 */
	check_good(state, "good-054-08-danske.xml", LEVERING_CAMT054, 8, "DABA-054-2026120499",
		   ts(2026, 12, 4, 23, 10, 0), want, (int)(sizeof(want) / sizeof(want[0])));
}

/* ---- refused files ------------------------------------------------------------------ */

/* Refused with BR_EINPUT on `line` (-1: any), the message holding `needle`
 * after the Dutch words that say what was refused (issue 12). */
static void check_refused(void **state, const char *name, int with_schema, long line, const char *needle)
{
	struct fixture *f = *state;
	struct collect *c = calloc(1, sizeof(*c));
	struct br_error err;
	int rc;

	assert_non_null(c);
	rc = parse(f, name, with_schema, c, &err);
	if (rc != BR_EINPUT || (line >= 0 && err.line != line) || !strstr(err.msg, needle) ||
	    !strstr(err.msg, " geweigerd: "))
		fail_msg("%s (%s schema): rc %d, line %ld, \"%s\"; want line %ld, \"%s\"", name,
			 with_schema ? "with" : "without", rc, err.line, err.msg, line, needle);
	assert_int_equal(err.code, BR_EINPUT);
	assert_string_equal(err.file, name);
	assert_true(c->headers <= 1);
	assert_int_equal(c->before_header, 0);
	free(c);
}

static void test_bad_namespace(void **state)
{
	check_refused(state, "bad-053-04-namespace.xml", 1, 2,
		      "No matching global declaration available for the validation root");
	check_refused(state, "bad-053-04-namespace.xml", 0, 2,
		      "bankbestand (camt) geweigerd: rootelement Document in namespace urn:iso:std:iso:20022:tech:xsd:camt.053.001.04 is geen bankafschrift camt.053 of camt.054");
}

static void test_bad_wrong_message(void **state)
{
	check_refused(state, "bad-054-08-wrong-message.xml", 1, 3,
		      "'BkToCstmrStmt': This element is not expected");
	check_refused(state, "bad-054-08-wrong-message.xml", 0, 3,
		      "melding (camt.054) geweigerd: <Document> in namespace urn:iso:std:iso:20022:tech:xsd:camt.054.001.08 bevat <BkToCstmrStmt>; het moet één <BkToCstmrDbtCdtNtfctn> bevatten");
}

static void test_bad_no_amt(void **state)
{
	/* the schema sees CdtDbtInd where Amt must be */
	check_refused(state, "bad-053-08-no-amt.xml", 1, 29, "'CdtDbtInd': This element is not expected");
	/* camt.c checks it for itself, at the end of the entry */
	check_refused(state, "bad-053-08-no-amt.xml", 0, 28, "afschrift (camt.053) geweigerd: <Ntry> heeft geen <Amt> (boeking op regel 28)");
}

static void test_bad_cdtdbtind(void **state)
{
	check_refused(state, "bad-053-02-cdtdbtind.xml", 1, 30, "The value 'CRED' is not an element of the set");
	check_refused(state, "bad-053-02-cdtdbtind.xml", 0, 30,
		      "afschrift (camt.053) geweigerd: <CdtDbtInd> 'CRED' is niet CRDT of DBIT (boeking op regel 28)");
}

static void test_bad_negative(void **state)
{
	check_refused(state, "bad-054-08-negative.xml", 1, 17,
		      "[facet 'minInclusive'] The value '-5.00' is less than the minimum value allowed ('0')");
	check_refused(state, "bad-054-08-negative.xml", 0, 17, "melding (camt.054) geweigerd: <Amt> '-5.00' is negatief (boeking op regel 16)");
}

static void test_bad_addtlinf_too_long(void **state)
{
	check_refused(state, "bad-053-08-addtlinf-long.xml", 1, 54,
		      "[facet 'maxLength'] The value has a length of '109'; this exceeds the allowed maximum length of '105'");
	check_refused(state, "bad-053-08-addtlinf-long.xml", 0, 54,
		      "<AddtlInf> heeft 109 tekens; ten hoogste 105 mogen (TxDtls op regel 45 van de boeking op regel 28)");
}

/* Only the schema knows that BkTxCd is required: camt.c does not need it. */
static void test_bad_no_bktxcd(void **state)
{
	struct fixture *f = *state;
	struct collect *c = calloc(1, sizeof(*c));
	struct br_error err;

	assert_non_null(c);
	check_refused(state, "bad-053-02-no-bktxcd.xml", 1, 35, "'NtryDtls': This element is not expected");
	assert_int_equal(parse(f, "bad-053-02-no-bktxcd.xml", 0, c, &err), 0);
	assert_int_equal(c->n, 3); /* account, tx, entry */
	assert_string_equal(c->ev[2].e.btc, "");
	free(c);
}

/* The file ends inside <Rsn>: libxml2 2.9 words that "Extra content at the
 * end of the document" (as in test_xmlin.c). */
static void test_bad_truncated(void **state)
{
	check_refused(state, "bad-054-02-truncated.xml", 1, 44, "Extra content at the end of the document");
	check_refused(state, "bad-054-02-truncated.xml", 0, 44, "Extra content at the end of the document");
}

/* Valid XML, valid against the schema, but xmlin.c refuses a DOCTYPE before
 * libxml2 parses it, so the line is where parsing stood: it depends on the
 * chunk size (make XMLIN_CHUNK=13), as in test_xmlin.c. */
static void test_refused_doctype(void **state)
{
	check_refused(state, "refused-053-08-doctype.xml", 1, -1,
		      "het bestand heeft een DOCTYPE: DTD's en entiteitdeclaraties zijn niet toegestaan");
	check_refused(state, "refused-053-08-doctype.xml", 0, -1,
		      "het bestand heeft een DOCTYPE: DTD's en entiteitdeclaraties zijn niet toegestaan");
}

/* Valid against the schema (fractionDigits 5), but not whole cents. */
static void test_refused_not_exact(void **state)
{
	int pass;

	for (pass = 0; pass < 2; pass++)
		check_refused(state, "refused-053-08-not-exact.xml", pass, 49,
			      "<Amt> '10.005' is niet exact: cijfers na de tweede decimaal moeten nullen zijn (betaalrun boekt hele centen) (TxDtls op regel 45 van de boeking op regel 28)");
}

/* totalDigits 18 allows 13 integer digits; money.h does not. */
static void test_refused_too_large(void **state)
{
	int pass;

	for (pass = 0; pass < 2; pass++)
		check_refused(state, "refused-053-02-too-large.xml", pass, 29,
			      "<Amt> '1000000000000.00' kan niet worden geboekt: bedrag '1000000000000.00' heeft meer dan 12 cijfers voor de punt");
}

static void test_refused_msgid_control(void **state)
{
	int pass;

	for (pass = 0; pass < 2; pass++)
		check_refused(state, "refused-054-08-msgid-control.xml", pass, 5,
			      "<MsgId> bevat een stuurteken");
}

static void test_refused_status_code(void **state)
{
	int pass;

	for (pass = 0; pass < 2; pass++)
		check_refused(state, "refused-053-08-status-code.xml", pass, 31,
			      "<Cd> 'BO K' is geen code van 1 tot en met 4 letters of cijfers (boeking op regel 28)");
}

/* The wrong version's schema: refused at the root. */
static void test_wrong_schema(void **state)
{
	struct fixture *f = *state;
	struct camt_handler h = { on_header, on_account, on_tx, on_entry, NULL };
	struct collect *c = calloc(1, sizeof(*c));
	struct xmlin *x = NULL;
	struct br_error err;
	char path[1300];

	assert_non_null(c);
	h.ctx = c;
	br_error_clear(&err);
	snprintf(path, sizeof(path), "%s/tests/data/camt/good-053-08-nordea.xml", f->root);
	assert_int_equal(xmlin_open(&x, path, "n.xml", f->xsd[0], NULL, &err), 0);
	assert_int_equal(camt_parse(x, &h, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "No matching global declaration available for the validation root"));
	assert_int_equal(err.line, 4);
	xmlin_free(x);
	free(c);
}

/* ---- callbacks ---------------------------------------------------------------------- */

static void expect_callback_failure(void **state, char kind, int at, int n_events, long line,
				    const char *msg)
{
	struct fixture *f = *state;
	struct collect *c = calloc(1, sizeof(*c));
	struct br_error err;

	assert_non_null(c);
	c->fail_kind = kind;
	c->fail_at = at;
	assert_int_equal(parse(f, "good-053-02-abnamro.xml", 1, c, &err), BR_ENOINPUT);
	assert_int_equal(c->n, n_events);
	assert_int_equal(err.code, BR_ENOINPUT);
	assert_string_equal(err.file, "good-053-02-abnamro.xml");
	assert_int_equal(err.line, line);
	if (!strstr(err.msg, msg))
		fail_msg("message \"%s\", want \"%s\"", err.msg, msg);
	free(c);
}

static void test_callbacks_fail(void **state)
{
	/* no message from the callback: camt.c supplies one, at the record's line */
	expect_callback_failure(state, 'T', 2, 3, 108, "transactie BR1-000002 van boeking 1 kon niet worden vastgelegd");
	expect_callback_failure(state, 'E', 3, 8, 169, "boeking 3 (bij 423.45 EUR) kon niet worden vastgelegd");
	expect_callback_failure(state, 'A', 2, 12, 306,
				"rekening NL02ABNA0123456789 van afschrift 0123456789-20261125 kon niet worden vastgelegd");
}

static void test_header_callback_fails(void **state)
{
	struct fixture *f = *state;
	struct collect *c = calloc(1, sizeof(*c));
	struct br_error err;

	assert_non_null(c);
	c->fail_kind = 'H';
	assert_int_equal(parse(f, "good-054-08-nordea.xml", 1, c, &err), BR_EINPUT);
	assert_int_equal(c->n, 0);
	/* the callback's own message is kept, after what was refused */
	assert_string_equal(err.msg, "melding (camt.054) geweigerd: delivery NDEA54-20261203-000231 was already ingested");
	assert_string_equal(err.file, "good-054-08-nordea.xml");
	assert_int_equal(err.line, 6);
	free(c);
}

static void test_null_callbacks(void **state)
{
	struct fixture *f = *state;
	struct camt_handler h = { NULL, NULL, NULL, NULL, NULL };
	struct br_error err;
	struct xmlin *x = NULL;
	char path[1300];

	br_error_clear(&err);
	snprintf(path, sizeof(path), "%s/tests/data/camt/good-053-02-ing.xml", f->root);
	assert_int_equal(xmlin_open(&x, path, "good-053-02-ing.xml", f->xsd[0], NULL, &err), 0);
	assert_int_equal(camt_parse(x, &h, &err), 0);
	xmlin_free(x);
}

/* ---- robustness ----------------------------------------------------------------------- */

static char *slurp(const char *path, size_t *out_len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) > 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, fp) == (size_t)n) {
		*out_len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

/* The contract holds whatever the input: 0 or a filled error, the header
 * once and first, an entry's transactions before it. */
static void check_contract(const struct collect *c, int rc, const struct br_error *err)
{
	int i;
	long seq = 0;

	assert_true(rc == 0 || (err->code == rc && err->msg[0]));
	assert_true(c->headers <= 1);
	assert_int_equal(c->before_header, 0);
	for (i = 0; i < c->n && i < MAX_EVENTS; i++) {
		if (c->ev[i].kind == 'E')
			assert_int_equal(c->ev[i].e.seq, ++seq);
		else if (c->ev[i].kind == 'T')
			assert_int_equal(c->ev[i].t.entry_seq, seq + 1);
	}
}

/*
 * Every prefix of some good files, and every file with one byte changed at
 * every third position (a few values), with and without the schema:
 * camt_parse returns 0 or a filled error, never crashes (run under
 * ASan/UBSan), and keeps its callback contract.  A truncated file is
 * refused.
 */
static void test_truncated_and_mutated(void **state)
{
	static const char *const names[] = { "good-054-08-danske.xml", "good-053-08-nordea.xml" };
	static const char subst[] = { '<', '>', '/', 'X', '\0', ' ', '"', '&', '9', '.' };
	struct fixture *f = *state;
	struct collect *c = calloc(1, sizeof(*c));
	size_t i;

	assert_non_null(c);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[1300];
		size_t len = 0, cut, k, s;
		char *data, *copy;

		snprintf(path, sizeof(path), "%s/tests/data/camt/%s", f->root, names[i]);
		assert_non_null(data = slurp(path, &len));
		assert_non_null(copy = malloc(len));
		for (cut = 0; cut <= len; cut++) {
			int pass;

			for (pass = 0; pass < 2; pass++) {
				struct br_error err;
				int rc;

				memset(c, 0, sizeof(*c));
				rc = parse_mem(f, names[i], data, cut, pass, c, &err);
				/* the trailing newline may go; anything more is a truncation */
				if (cut + 1 >= len)
					assert_int_equal(rc, 0);
				else if (rc == 0)
					fail_msg("%s cut at %zu bytes was accepted", names[i], cut);
				check_contract(c, rc, &err);
			}
		}
		for (k = 0; k < len; k += 3) {
			for (s = 0; s < sizeof(subst); s++) {
				struct br_error err;
				int rc;

				memcpy(copy, data, len);
				copy[k] = subst[s];
				memset(c, 0, sizeof(*c));
				rc = parse_mem(f, names[i], copy, len, (k / 3 + s) % 2, c, &err);
				check_contract(c, rc, &err);
			}
		}
		free(copy);
		free(data);
	}
	free(c);
}

/* ---- timing mode ------------------------------------------------------------------------ */

static long bench_entries, bench_txs;

static int bench_entry(void *ctx, const struct camt_entry *e, struct br_error *err)
{
	(void)ctx;
	(void)e;
	(void)err;
	bench_entries++;
	return 0;
}

static int bench_tx(void *ctx, const struct camt_tx *t, struct br_error *err)
{
	(void)ctx;
	(void)t;
	(void)err;
	bench_txs++;
	return 0;
}

static int bench(const char *file, const char *xsd)
{
	struct camt_handler h = { NULL, NULL, bench_tx, bench_entry, NULL };
	struct xmlin_schema *schema = NULL;
	struct xmlin *x = NULL;
	struct timespec t0, t1;
	struct br_error err;
	int rc = 0;

	br_error_clear(&err);
	if (xsd && (rc = xmlin_schema_load(&schema, xsd, &err)) < 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = xmlin_open(&x, file, file, schema, NULL, &err)) == 0)
		rc = camt_parse(x, &h, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%s%s: %ld entries, %ld transactions in %.3f s\n", file, schema ? " (with schema)" : "",
	       bench_entries, bench_txs,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
out:
	if (rc < 0)
		fprintf(stderr, "%s (line %ld)\n", err.msg, err.line);
	xmlin_free(x);
	xmlin_schema_free(schema);
	return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_053_02_abnamro),
		cmocka_unit_test(test_053_02_ing),
		cmocka_unit_test(test_053_08_rabobank),
		cmocka_unit_test(test_053_08_nordea),
		cmocka_unit_test(test_054_02_six),
		cmocka_unit_test(test_054_02_dk),
		cmocka_unit_test(test_054_02_msgid_utf8),
		cmocka_unit_test(test_054_08_nordea),
		cmocka_unit_test(test_054_08_danske),
		cmocka_unit_test(test_bad_namespace),
		cmocka_unit_test(test_bad_wrong_message),
		cmocka_unit_test(test_bad_no_amt),
		cmocka_unit_test(test_bad_cdtdbtind),
		cmocka_unit_test(test_bad_negative),
		cmocka_unit_test(test_bad_addtlinf_too_long),
		cmocka_unit_test(test_bad_no_bktxcd),
		cmocka_unit_test(test_bad_truncated),
		cmocka_unit_test(test_refused_doctype),
		cmocka_unit_test(test_refused_not_exact),
		cmocka_unit_test(test_refused_too_large),
		cmocka_unit_test(test_refused_msgid_control),
		cmocka_unit_test(test_refused_status_code),
		cmocka_unit_test(test_wrong_schema),
		cmocka_unit_test(test_callbacks_fail),
		cmocka_unit_test(test_header_callback_fails),
		cmocka_unit_test(test_null_callbacks),
		cmocka_unit_test(test_truncated_and_mutated),
	};

	if (argc >= 3 && strcmp(argv[1], "--bench") == 0)
		return bench(argv[2], argc >= 4 ? argv[3] : NULL);
	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * bankpost.h — which entries of a bank statement are betaalrun's
 * (payments.md "Bank statements and returns"): a released run's batch
 * debit, or a return of a payment.  Every other entry on the account is
 * counted, not stored.
 *
 * Intake feeds the camt parser's callbacks through a sorter: each TxDtls
 * (bankpost_tx) and then its entry (bankpost_entry), which emits 0..n
 * posts for the store:
 *  - BANKPOST_DEBIT: a booked debit in EUR, not a reversal, whose batch
 *    (NtryDtls/Btch PmtInfId or MsgId, else its transactions' Refs) names a
 *    released run's PmtInfId or MsgId; one post per entry;
 *  - BANKPOST_RETURN: a booked credit in EUR whose transaction carries
 *    return information (RtrInf) or whose bank transaction code is a return
 *    (xxxx/xxxx/RRTN), with the original EndToEndId; one post per such
 *    transaction (a bank may book several returns as one entry).
 * The sorter loads the released runs' ids once, at creation, while no other
 * thread uses the store.  It keeps at most the returns of one entry.
 *
 * Uses: store, camt.h (the parser's records), mem.
 */
#ifndef BR_BANKPOST_H
#define BR_BANKPOST_H

#include <stdint.h>

#include "camt.h"
#include "error.h"
#include "store.h"

enum bankpost_kind { BANKPOST_DEBIT = 1, BANKPOST_RETURN = 2 };

struct bankpost {
	long line;                         /* the entry's (debit) or transaction's (return) line */
	enum bankpost_kind kind;
	int64_t amount_cents;              /* debit: the entry; return: the transaction's, else the entry's */
	int32_t booking_date;              /* DATE_NONE when the bank gave none */
	char msg_id[CAMT_ID_CAP];
	char pmtinf_id[CAMT_ID_CAP];
	char e2e_id[CAMT_ID_CAP];          /* return: the original EndToEndId */
	char reason[CAMT_ID_CAP];          /* return: RtrInf/Rsn, or "" */
	int reason_prtry;
	char info[CAMT_INFO_MAX + 1];
	char btc[CAMT_BTC_CAP];
	char bank_ref[CAMT_ID_CAP];        /* the entry's AcctSvcrRef */
};

struct bankpost_sorter;

/* Load the released runs' MsgIds and PmtInfIds; free with bankpost_sorter_free. */
int bankpost_sorter_new(struct bankpost_sorter **out, struct store *st, struct br_error *err);
void bankpost_sorter_free(struct bankpost_sorter *s);

/* One TxDtls of the entry being read. */
int bankpost_tx(struct bankpost_sorter *s, const struct camt_tx *t, struct br_error *err);

/* The entry that the TxDtls since the previous entry belong to: emit its
 * posts (each borrowed, valid during the call); `*out_posts` counts them.
 * `e` NULL drops the TxDtls gathered (an entry of another account). */
int bankpost_entry(struct bankpost_sorter *s, const struct camt_entry *e,
		   int (*emit)(void *ctx, const struct bankpost *p, struct br_error *err), void *ctx,
		   long *out_posts, struct br_error *err);

#endif

/*
 * camt.h — parser for the bank's account statements and debit/credit
 * notifications: ISO 20022 camt.053.001.02 / .08 (BkToCstmrStmt, one or
 * more Stmt) and camt.054.001.02 / .08 (BkToCstmrDbtCdtNtfctn, one or more
 * Ntfctn); payments.md "Bank statements and returns".
 *
 * Validated against the official ISO schemas (data/schemas/iso20022,
 * byte-exact copies); whatever the schema accepts is read.  The parser only
 * reports what the bank wrote; what an entry means (a run's debit, a
 * return, someone else's money) is decided by the caller
 * (pipeline/bankfeedback.c).
 *
 * Callbacks, in document order:
 *  - header: GrpHdr MsgId (leveringId) and CreDtTm (aanmaakdatum), once;
 *  - account: at the start of each Stmt / Ntfctn, once its Acct is read,
 *    before any of its entries;
 *  - tx: each NtryDtls/TxDtls of an entry, in order, BEFORE that entry;
 *  - entry: each Ntry, after its TxDtls (its `n_txs` counts them).
 * A callback's negative return stops the parse with that code.
 *
 * Amounts are exact: ISO allows up to five decimals; digits past the second
 * must be zeros, else the file is refused ("not exact").  The currency is
 * reported as written; the caller decides about non-EUR entries.  Text
 * fields keep the bank's UTF-8 with control characters as '?'; fields longer
 * than their cap refuse the file (caps are the schema's maximum lengths).
 * Records are borrowed, valid during the callback only.
 */
#ifndef BR_CAMT_H
#define BR_CAMT_H

#include <stdint.h>

#include "error.h"
#include "levering.h"
#include "xmlin.h"

#define CAMT_ID_MAX 35                   /* Max35Text, characters */
#define CAMT_ID_CAP (4 * CAMT_ID_MAX + 1) /* bytes of UTF-8 */
#define CAMT_IBAN_MAX 34
#define CAMT_BTC_CAP 160                 /* "PMNT/ICDT/RRTN" or a Prtry code */
#define CAMT_INFO_MAX 420                /* AddtlInf / AddtlNtryInf joined, bytes, cut with "..." */

struct camt_account {                    /* one Stmt or Ntfctn */
	long line;                           /* line of <Stmt> / <Ntfctn> */
	char id[CAMT_ID_CAP];                /* Stmt/Id, Ntfctn/Id */
	char iban[CAMT_IBAN_MAX + 1];        /* Acct/Id/IBAN, or "" */
	char other_id[CAMT_ID_CAP];          /* Acct/Id/Othr/Id when no IBAN, else "" */
	char ccy[4];                         /* Acct/Ccy, or "" */
};

struct camt_entry {                      /* one Ntry */
	long line;                           /* line of <Ntry> */
	long seq;                            /* 1, 2, ... in the file */
	int64_t amount_cents;                /* Ntry/Amt, >= 0 */
	char ccy[4];                         /* its Ccy attribute */
	int credit;                          /* CdtDbtInd: 1 CRDT, 0 DBIT */
	int reversal;                        /* RvslInd true */
	char status[5];                      /* Sts (.02) or Sts/Cd (.08): BOOK, PDNG, INFO, ...; Sts/Prtry as "" */
	int32_t booking_date;                /* BookgDt/Dt, the date of BookgDt/DtTm, or DATE_NONE */
	int32_t value_date;                  /* ValDt likewise, or DATE_NONE */
	char acct_svcr_ref[CAMT_ID_CAP];     /* AcctSvcrRef, or "" */
	char btc[CAMT_BTC_CAP];              /* BkTxCd: "DOMN/FMLY/SUBFMLY" from Domn, else Prtry/Cd, else "" */
	char btch_msg_id[CAMT_ID_CAP];       /* first NtryDtls/Btch/MsgId, or "" */
	char btch_pmtinf_id[CAMT_ID_CAP];    /* first NtryDtls/Btch/PmtInfId, or "" */
	long btch_n_txs;                     /* its NbOfTxs, or -1 */
	int64_t btch_total_cents;            /* its TtlAmt, or -1 */
	long n_txs;                          /* TxDtls delivered for this entry */
	char info[CAMT_INFO_MAX + 1];        /* AddtlNtryInf, or "" */
};

struct camt_tx {                         /* one NtryDtls/TxDtls */
	long line;                           /* line of <TxDtls> */
	long entry_seq;                      /* seq of the entry it belongs to */
	char msg_id[CAMT_ID_CAP];            /* Refs/MsgId, or "" */
	char pmtinf_id[CAMT_ID_CAP];         /* Refs/PmtInfId, or "" */
	char e2e_id[CAMT_ID_CAP];            /* Refs/EndToEndId, or "" (NOTPROVIDED is kept as written) */
	char acct_svcr_ref[CAMT_ID_CAP];     /* Refs/AcctSvcrRef, or "" */
	int64_t amount_cents;                /* Amt (.08) or AmtDtls/TxAmt/Amt, or -1 */
	char ccy[4];                         /* its Ccy, or "" */
	char btc[CAMT_BTC_CAP];              /* TxDtls/BkTxCd like the entry's, or "" */
	int has_return;                      /* RtrInf present */
	char reason[CAMT_ID_CAP];            /* RtrInf/Rsn Cd or Prtry, or "" */
	int reason_prtry;                    /* 1 when `reason` is a Prtry */
	char info[CAMT_INFO_MAX + 1];        /* RtrInf/AddtlInf lines joined with " / ", or "" */
};

struct camt_handler {
	/* hdr->levering_id = GrpHdr/MsgId, hdr->aanmaakdatum = CreDtTm,
	 * hdr->kind LEVERING_CAMT053 / 054, hdr->iso_version 2 / 8 */
	int (*header)(void *ctx, const struct levering_header *hdr, struct br_error *err);
	int (*account)(void *ctx, const struct camt_account *a, struct br_error *err);
	int (*tx)(void *ctx, const struct camt_tx *t, struct br_error *err);
	int (*entry)(void *ctx, const struct camt_entry *e, struct br_error *err);
	void *ctx;
};

/* Parse one camt.053 or camt.054 document from `x` (opened with the
 * schema of its namespace).  0, or a negative code with `err` set (the
 * line of the problem included). */
int camt_parse(struct xmlin *x, const struct camt_handler *h, struct br_error *err);

#endif

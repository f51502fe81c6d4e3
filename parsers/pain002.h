/*
 * pain002.h — parser for the bank's payment status reports, ISO 20022
 * pain.002.001.03 and pain.002.001.10 (payments.md "Bank status reports").
 *
 * Validated against the official ISO schemas (data/schemas/iso20022,
 * byte-exact copies): whatever the schema accepts is read — any status code
 * of one to four characters, proprietary reasons up to 35 characters,
 * transaction blocks without OrgnlEndToEndId or TxSts, statuses at group,
 * batch and transaction level, any number of StsRsnInf and AddtlInf.  A
 * file is refused only when it is not a valid status report.  What a status
 * means is decided by the caller (pipeline/bankfeedback.c), never here.
 *
 * Read: GrpHdr/MsgId and CreDtTm (the delivery's identity and date),
 * OrgnlGrpInfAndSts (OrgnlMsgId, GrpSts, StsRsnInf), each OrgnlPmtInfAndSts
 * (OrgnlPmtInfId, PmtInfSts, StsRsnInf) and each TxInfAndSts
 * (OrgnlEndToEndId, TxSts, StsRsnInf, and the creditor name in OrgnlTxRef
 * that Verification of Payee results carry).  Every level becomes one
 * `pain002_status`, in document order:
 *  - PAIN002_GROUP: when OrgnlGrpInfAndSts has a GrpSts or a StsRsnInf;
 *  - PAIN002_BATCH: when an OrgnlPmtInfAndSts has a PmtInfSts or a
 *    StsRsnInf, delivered before that batch's transactions;
 *  - PAIN002_TX: every TxInfAndSts (status "" when it has no TxSts,
 *    e2e id "" when it has no OrgnlEndToEndId).
 * Identifiers, reasons, AddtlInf and names are kept as the bank wrote them
 * (UTF-8), except that control characters become '?'.  Records are
 * borrowed, valid during the callback only.
 */
#ifndef BR_PAIN002_H
#define BR_PAIN002_H

#include <stdint.h>

#include "error.h"
#include "levering.h"
#include "xmlin.h"

#define PAIN002_ID_MAX 35      /* Max35Text, in bytes of UTF-8 up to 4 x 35 */
#define PAIN002_ID_CAP (4 * PAIN002_ID_MAX + 1)
#define PAIN002_STATUS_MAX 4   /* Max4Text: 1..4 characters, up to 4 bytes of UTF-8 each */
#define PAIN002_STATUS_CAP (4 * PAIN002_STATUS_MAX + 1)
#define PAIN002_INFO_MAX 420   /* AddtlInf lines joined with " / ", bytes, cut with "..." */
#define PAIN002_NAME_MAX 140   /* Max140Text, characters */
#define PAIN002_NAME_CAP (4 * PAIN002_NAME_MAX + 1)

enum pain002_level { PAIN002_GROUP = 1, PAIN002_BATCH = 2, PAIN002_TX = 3 };

struct pain002_status {
	long line;                                /* line of the element that opens the level */
	enum pain002_level level;
	char orgnl_msg_id[PAIN002_ID_CAP];
	char orgnl_pmtinf_id[PAIN002_ID_CAP];     /* "" at group level */
	char orgnl_e2e_id[PAIN002_ID_CAP];        /* "" unless level TX and the block has one */
	char status[PAIN002_STATUS_CAP];          /* 1..4 characters, or "" (none at this level) */
	char reason[PAIN002_ID_CAP];              /* first StsRsnInf/Rsn: its Cd or Prtry, or "" */
	int reason_prtry;                         /* 1 when `reason` is a Prtry */
	char info[PAIN002_INFO_MAX + 1];          /* every AddtlInf of the level, joined, or "" */
	char name[PAIN002_NAME_CAP];              /* TX: OrgnlTxRef/Cdtr name, or "" */
};

struct pain002_handler {
	/* hdr->levering_id = MsgId, hdr->aanmaakdatum = CreDtTm */
	int (*header)(void *ctx, const struct levering_header *hdr, struct br_error *err);
	int (*status)(void *ctx, const struct pain002_status *s, struct br_error *err);
	void *ctx;
};

int pain002_parse(struct xmlin *x, const struct pain002_handler *h, struct br_error *err);

#endif

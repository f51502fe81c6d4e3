/*
 * pain002.h — parser for the bank's payment status reports, ISO 20022
 * pain.002.001.03 and pain.002.001.10 (payments.md "Bank status reports").
 *
 * Validated against the project's own schemas parsers/schemas/
 * pain.002.001.03.xsd and pain.002.001.10.xsd, which restate the official
 * ISO schemas' rules for every element betaalrun reads (the official files
 * are carried in parsers/schemas/iso20022 and used by the tests to check
 * ours agree).
 *
 * Read: GrpHdr/MsgId and CreDtTm (the delivery's identity and date),
 * OrgnlGrpInfAndSts (OrgnlMsgId, GrpSts), each OrgnlPmtInfAndSts
 * (OrgnlPmtInfId, PmtInfSts) and each TxInfAndSts (OrgnlEndToEndId,
 * TxSts, StsRsnInf/Rsn/Cd).  Every status is delivered as one
 * `pain002_status`: a group-level status with empty pmtinf and e2e ids, a
 * batch-level status with an empty e2e id, a transaction status with all
 * three.  Records are borrowed, valid during the callback only.
 */
#ifndef BR_PAIN002_H
#define BR_PAIN002_H

#include <stdint.h>

#include "error.h"
#include "levering.h"
#include "xmlin.h"

#define PAIN002_ID_MAX 35

struct pain002_status {
	long line;
	char orgnl_msg_id[PAIN002_ID_MAX + 1];
	char orgnl_pmtinf_id[PAIN002_ID_MAX + 1]; /* "" for group level */
	char orgnl_e2e_id[PAIN002_ID_MAX + 1];    /* "" for group/batch level */
	char status[5];                           /* ACCP ACSC RJCT PART ... */
	char reason[5];                           /* AC01 AC04 MD07 ..., or "" */
};

struct pain002_handler {
	/* hdr->levering_id = MsgId, hdr->aanmaakdatum = CreDtTm */
	int (*header)(void *ctx, const struct levering_header *hdr, struct br_error *err);
	int (*status)(void *ctx, const struct pain002_status *s, struct br_error *err);
	void *ctx;
};

int pain002_parse(struct xmlin *x, const struct pain002_handler *h, struct br_error *err);

#endif

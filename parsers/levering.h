/*
 * levering.h — what every delivery (input file) says about itself.
 *
 * formats.md §4: a file's `leveringId` and `aanmaakdatum` (for a pain.002
 * its GrpHdr `MsgId` and `CreDtTm`) identify the delivery and order the
 * files of one drop.  Plain struct shared by the parsers and intake.
 */
#ifndef BR_LEVERING_H
#define BR_LEVERING_H

#include <stdint.h>

#include "date.h"  /* DATE_NONE */
#include "error.h"
#include "xmlin.h"

#define LEVERING_ID_MAX 140  /* longest leveringId / MsgId in bytes: an ISO Max35Text of 35
                             * UTF-8 characters (betaalrun's own formats allow 64 ASCII) */

enum levering_kind {
	LEVERING_ONBEKEND = 0,
	LEVERING_REGISTER,  /* Clientregister, urn:nl:betaalrun:clientregister:1 */
	LEVERING_INKOMEN,   /* Inkomstenlevering, urn:nl:betaalrun:polis:1 */
	LEVERING_SIGNALEN,  /* Signaallevering, urn:nl:betaalrun:signalen:1 */
	LEVERING_PAIN002,   /* Document, urn:iso:std:iso:20022:tech:xsd:pain.002.001.03 / .10 */
	LEVERING_CAMT053,   /* Document, urn:iso:std:iso:20022:tech:xsd:camt.053.001.02 / .08 */
	LEVERING_CAMT054    /* Document, urn:iso:std:iso:20022:tech:xsd:camt.054.001.02 / .08 */
};

struct levering_header {
	enum levering_kind kind;
	char levering_id[LEVERING_ID_MAX + 1];
	int64_t aanmaakdatum;   /* seconds, see date.h */
	int32_t peildatum;      /* register only, else DATE_NONE */
	int iso_version;        /* ISO 20022 messages: pain.002 3 or 10, camt 2 or 8; else 0 */
};

#define NS_REGISTER "urn:nl:betaalrun:clientregister:1"
#define NS_POLIS "urn:nl:betaalrun:polis:1"
#define NS_SIGNALEN "urn:nl:betaalrun:signalen:1"
#define NS_PAIN002_03 "urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"
#define NS_PAIN002_10 "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"
#define NS_CAMT053_02 "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
#define NS_CAMT053_08 "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"
#define NS_CAMT054_02 "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"
#define NS_CAMT054_08 "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"

/* "register", "inkomen", "signalen", "pain002", "camt053", "camt054"
 * (static strings). */
const char *levering_kind_name(enum levering_kind kind);

/* Inputs betaalrun reads: kinds × ISO versions (levering.c inputs[]). */
#define LEVERING_N_INPUTS 9

/*
 * The schema that validates a delivery of `kind` and `iso_version`, as a
 * path under the data directory's schemas/ (static), and its place in
 * [0, LEVERING_N_INPUTS) into *index, for a cache of loaded schemas;
 * NULL when there is none.
 */
const char *levering_schema(enum levering_kind kind, int iso_version, int *index);

/*
 * Sniff the file at `path` (named `name_shown` in errors): its kind by
 * root element and namespace, its leveringId and aanmaakdatum (an ISO
 * 20022 message's GrpHdr MsgId and CreDtTm), a register's peildatum.
 * Reads only as far as it needs and does not validate.  0, or a negative
 * BR_* code with the reason (an operator's words, with the line) in `err`.
 */
int levering_sniff(struct levering_header *h, const char *path, const char *name_shown,
		   const struct xmlin_limits *lim, struct br_error *err);

#endif

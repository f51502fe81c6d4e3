/*
 * signals_xml.h — parser for Inlichtingenbureau signal deliveries
 * (formats.md §3; namespace urn:nl:betaalrun:signalen:1, schema
 * data/schemas/signalen.xsd).
 *
 * Root <Signaallevering leveringId aanmaakdatum>, then 0..n <Signaal> with,
 * in order: SignaalId, Soort, BSN, Bron (UWV | DJI | DUO | BELASTINGDIENST
 * | RDW | BRP | GEMEENTE | CJIB | SVB), Signaaldatum, PeriodeBegin,
 * PeriodeEinde (opt), Omschrijving (opt, ≤ 500 characters), Gegeven*
 * (attribute naam, text value).
 *
 * The schema leaves Soort an open token: whether the signal table knows it
 * is intake's check (the table is data, signals.md).  Refused here: schema
 * violations, a BSN failing the elfproef, impossible dates, PeriodeEinde
 * before PeriodeBegin, more than SIGNAL_MAX_GEGEVENS Gegeven.  Records are
 * borrowed, valid during the callback only.
 */
#ifndef BR_SIGNALS_XML_H
#define BR_SIGNALS_XML_H

#include <stdint.h>

#include "error.h"
#include "levering.h"
#include "xmlin.h"

#define SIGNAL_ID_MAX 35
#define SIGNAL_SOORT_MAX 40
#define SIGNAL_OMSCHRIJVING_MAX 2000 /* bytes: 500 characters of UTF-8 */
#define SIGNAL_MAX_GEGEVENS 16
#define SIGNAL_WAARDE_MAX 200  /* characters; the buffer holds 4 bytes each */

struct signal_gegeven {
	char naam[41];
	char waarde[4 * SIGNAL_WAARDE_MAX + 1];
};

struct signal_record {
	long line;
	char signaal_id[SIGNAL_ID_MAX + 1];
	char soort[SIGNAL_SOORT_MAX + 1];
	char bsn[10];
	char bron[16];
	int32_t signaaldatum;
	int32_t periode_begin;
	int32_t periode_einde;  /* DATE_NONE when absent */
	char omschrijving[SIGNAL_OMSCHRIJVING_MAX + 1];
	int n_gegevens;
	struct signal_gegeven gegevens[SIGNAL_MAX_GEGEVENS];
};

struct signals_handler {
	int (*header)(void *ctx, const struct levering_header *hdr, struct br_error *err);
	int (*signal)(void *ctx, const struct signal_record *s, struct br_error *err);
	void *ctx;
};

int signals_parse(struct xmlin *x, const struct signals_handler *h, struct br_error *err);

#endif

/*
 * worklist.h — the heronderzoek worklist as CSV (`betaalrun jobs list
 * --csv FILE`, signals.md "Worklist").
 *
 * Columns, in this order: id, dossier, gemeente, gemeentenaam, soort,
 * prioriteit, status, vervaldatum, signalen (signal ids separated by
 * spaces), omschrijving, behandelaar.  The municipality's name stands
 * beside its CBS code so a consultant need not know the codes.  Dialect
 * (csvout.h): excel-nl for a Dutch spreadsheet (the default), rfc4180 for
 * programs; a text that starts like a formula gets a leading apostrophe.
 * The omschrijving is in Dutch (reden_nl.h translates a REGISTER job's
 * record problem).
 *
 * The caller (pipeline/signals.c) reads the jobs from the store and hands
 * them over one by one; it masks digit runs in the free text first (no
 * BSN).  Knows core and writers only.
 */
#ifndef BR_WORKLIST_H
#define BR_WORKLIST_H

#include <stdint.h>

#include "csvout.h"
#include "textbuf.h"

struct worklist_row {           /* all borrowed */
	int64_t id;
	const char *dossier, *gemeente, *soort;
	int prioriteit;
	const char *status, *vervaldatum, *signalen, *omschrijving, *behandelaar;
};

/* Start the CSV in `b` (BOM for excel-nl, the header row). */
void worklist_begin(struct csvout *c, struct textbuf *b, enum csv_dialect d);

/* One job. */
void worklist_row(struct csvout *c, const struct worklist_row *r);

#endif

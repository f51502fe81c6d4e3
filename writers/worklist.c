/* worklist.c — the worklist CSV; see worklist.h. */
#include "worklist.h"

#include "reden_nl.h"
#include "report.h"
#include "banned.h"

#define OMSCHRIJVING_MAX 2048

void worklist_begin(struct csvout *c, struct textbuf *b, enum csv_dialect d)
{
	static const char *const head[] = {
		"id", "dossier", "gemeente", "gemeentenaam", "soort", "prioriteit", "status",
		"vervaldatum", "signalen", "omschrijving", "behandelaar"
	};
	size_t i;

	csvout_begin(c, b, d);
	/* the column names of signals.md, the same in both dialects */
	for (i = 0; i < sizeof(head) / sizeof(head[0]); i++)
		csvout_text(c, head[i]);
	csvout_end_row(c);
}

void worklist_row(struct csvout *c, const struct worklist_row *r)
{
	const char *naam = report_gemeente_naam(r->gemeente);
	char nl[OMSCHRIJVING_MAX];

	csvout_count(c, r->id);
	csvout_text(c, r->dossier);
	csvout_text(c, r->gemeente);
	csvout_text(c, naam ? naam : "");
	csvout_text(c, r->soort);
	csvout_count(c, r->prioriteit);
	csvout_text(c, r->status);
	csvout_text(c, r->vervaldatum);
	csvout_text(c, r->signalen);
	/* a consultant reads Dutch: a REGISTER job's English record problem
	 * is translated as in the run report (reden_nl.h) */
	csvout_text(c, reden_nl(nl, sizeof(nl), r->omschrijving));
	csvout_text(c, r->behandelaar);
	csvout_end_row(c);
}

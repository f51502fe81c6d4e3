/* runview.c — the run commands' output.  Contract: runview.h. */
#include "runview.h"

#include "money.h"

#include "banned.h"

static void amount_line(FILE *out, const char *label, int64_t cents)
{
	char b[MONEY_FMT_MAX + 8];

	fprintf(out, "%-16s%s\n", label, money_format_nl(b, sizeof(b), cents));
}

static void print_prepared(FILE *out, int dry, const struct payrun_summary *s)
{
	fprintf(out, "%s\n", s->msg_id);   /* cli.md: the run id alone on the first line */
	fprintf(out, "%-16s%s\n", "map", s->folder);
	if (!dry && s->tx) {
		fprintf(out, "%-16s%s\n", "sha256", s->sha256);
		fprintf(out, "%-16s%s (controlegetal van de bank)\n", "sha1", s->sha1);
	}
	fprintf(out, "%-16s%s\n", "uitvoerdatum", s->uitvoerdatum);
	fprintf(out, "%-16s%ld (betaald %ld, nul %ld, opgeschort %ld, geblokkeerd %ld)\n", "dossiers", s->dossiers,
		s->paid, s->nul, s->held, s->blocked);
	fprintf(out, "%-16s%ld%s\n", "transacties", s->tx, dry ? " (proefrun: niet geboekt, geen betaalbestand)" : "");
	amount_line(out, dry ? "zou betalen" : "totaal", s->total_cents);
	if (s->rejected)
		fprintf(out, "%ld statusrapport(en) van de bank nu verwerkt (pain.002)\n", s->rejected);
	if (s->blocked || s->derden_skipped)
		fprintf(out, "zie rapport.html: %ld geblokkeerd, %ld betalingen aan derden niet gedaan\n", s->blocked,
			s->derden_skipped);
}

void runview_print(FILE *out, enum runview_what what, const struct payrun_summary *s)
{
	switch (what) {
	case RUNVIEW_PREPARED:
	case RUNVIEW_DRY_RUN:
		print_prepared(out, what == RUNVIEW_DRY_RUN, s);
		break;
	case RUNVIEW_TO_APPROVE:
		fprintf(out, "%s ter goedkeuring\n", s->msg_id);
		fprintf(out, "%-16s%ld\n", "transacties", s->tx);
		amount_line(out, "totaal", s->total_cents);
		fprintf(out, "%-16s%s\n%-16s%s\n%-16s%s (controlegetal van de bank)\n", "uitvoerdatum", s->uitvoerdatum,
			"sha256", s->sha256, "sha1", s->sha1);
		fprintf(out, "%-16s%s/rapport.html\n", "rapport", s->folder);
		break;
	case RUNVIEW_APPROVED:
		fprintf(out, "%s goedgekeurd\n", s->msg_id);
		fprintf(out, "%-16s%ld\n", "transacties", s->tx);
		amount_line(out, "totaal", s->total_cents);
		fprintf(out, "%-16s%s\n%-16s%s\n%-16s%s\n", "sha256", s->sha256, "sha1", s->sha1, "uitvoerdatum",
			s->uitvoerdatum);
		break;
	case RUNVIEW_RELEASED:
		fprintf(out, "%s vrijgegeven naar %s\n", s->msg_id, s->folder);
		fprintf(out, "%-16s%ld\n", "transacties", s->tx);
		amount_line(out, "totaal", s->total_cents);
		fprintf(out, "%-16s%s\n%-16s%s\n", "sha256", s->sha256, "sha1", s->sha1);
		break;
	}
}

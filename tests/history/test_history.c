/*
 * test_history — randomized differential test of the settlement (issue 15),
 * the bufferbudget in both modes included (issue 16).
 *
 * Per seed: generate a register history (gen.c), feed it month by month to
 * the real program — the files written into an inbox and ingested by
 * intake_run, jobs closed with jobs_close, every dossier settled through
 * settle_source + settle_dossier exactly as a run does, and each run's
 * bookings released into the ledger (ledger_book/ledger_release, skipped
 * for a held or blocked dossier as the payment run does) — and compare
 * every dossier's result month by month with the oracle (oracle.c), which
 * knows only the generated history and rules.md.
 *
 *   test_history                 seeds 1..FIXED_SEEDS and one fresh seed
 *   HISTORY_SEEDS="1 2 3"        exactly these seeds
 *   HISTORY_COUNT=N              N seeds from HISTORY_FIRST (default: fresh)
 *   HISTORY_LATE_ORIGINAL=0      originals never arrive after their correction
 *   HISTORY_HELD_JUNE=1          check the known open VT defect (README.md)
 *   HISTORY_STRICT=1             literal readings where rules.md is silent
 *   HISTORY_RUN=0                compare only the months, not the run totals
 *   HISTORY_KEEP=DIR             keep every history's data directory under DIR
 *   HISTORY_DOSSIERS=LO-HI       dossiers per history (default 14-24)
 *   HISTORY_DAGEN=0|1            force toerekening (default: random per seed)
 *   HISTORY_ONLY=N               keep only dossier N (1-based) in the history
 *   HISTORY_BUFFER=uit|voorstel|automatisch   the bufferbudget setting of every
 *                                seed (default: per seed at random, issue 16)
 *   HISTORY_ONDERGRENS=95|100    bufferbudget_ondergrens_pct (default: per seed)
 *   HISTORY_WORK=persoon         §5a work months: the applicant's or the partner's
 *                                ARBEID income above zero (default: together)
 *   HISTORY_VERBOSE=1            per seed: records, corrections, signals
 * (tests/history/README.md says more.)
 *
 * A failure prints the seed, the dossier, the run and month, the field,
 * both values and the dossier's generated history, and keeps the files.
 * The closing line is "N passed, N failed" (seeds).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "date.h"
#include "error.h"
#include "intake.h"
#include "ledger.h"
#include "log.h"
#include "rules_xml.h"
#include "settle.h"
#include "settle_store.h"
#include "jobs.h"
#include "signaltable.h"
#include "store.h"

#include "gen.h"
#include "oracle.h"

#ifndef BR_SOURCE_DIR
#define BR_SOURCE_DIR "."
#endif

/* CI: seeds 1..FIXED_SEEDS (about 37,000 dossier-months) and one fresh seed. */
#define FIXED_SEEDS 150

struct cfg {
	struct gen_opts gen;
	struct o_opts oracle;
	int check_run;
	int strict;
	int verbose;
	int only;            /* 1-based dossier to keep, 0 all */
	const char *keep;
	char src[4096];
	char data[4200];        /* src/data: the shipped schemas and rules */
};

static struct rules g_rules;
static struct signaltable g_sig;
static long g_dossier_months, g_comparisons, g_runs;
static struct o_ledger g_ledgers[H_MAX_DOSSIERS];    /* the oracle's, per dossier */

/* rules.md §5a coverage (issue 16), over all seeds */
static struct {
	long seeds[3];          /* per setting: uit, voorstel, automatisch */
	long runs;              /* dossier-runs of 2027 and later with a budget */
	long runs_2028;
	long work_ded;          /* ... in which step 4 deducted for months with work income */
	long applied, applied_cents, bound_left, bound_floor, bound_work;
	long covered_2026;      /* applied to a deduction for a month before 2027 */
	long fresh_2028;        /* applied in 2028 after the 2027 budget was used up */
	long proposals, proposal_cents, held_proposals, joined;
	long granted, granted_cents, granted_full, granted_partial, afgewezen, probes;
	long grants_paid, grants_next_year;
	long with_claims, with_derden;
	char ex_joined[80], ex_next_year[80];   /* a first example of each */
} g_buf;

/* ---- formatting (the test's own) ---------------------------------------- */

static char *fdate(char *b, int32_t d)
{
	int y, m, dd;
	o_ymd(d, &y, &m, &dd);
	sprintf(b, "%04d-%02d-%02d", y, m, dd);
	return b;
}

static char *fmonth(char *b, int month)
{
	sprintf(b, "%04d-%02d", month / 12, month % 12 + 1);
	return b;
}

static char *fmoney(char *b, int64_t c)
{
	int64_t a = c < 0 ? -c : c;
	snprintf(b, 24, "%s%lld.%02lld", c < 0 ? "-" : "", (long long)(a / 100), (long long)(a % 100));
	return b;
}

/* A Dutch IBAN (ISO 13616 mod-97) for dossier or third party n. */
static void make_iban(char out[24], int n)
{
	char bban[15], num[64];
	int i, j = 0, mod = 0;

	snprintf(bban, sizeof(bban), "ABNA%010d", 417160000 + n);
	for (i = 0; bban[i]; i++) {
		if (bban[i] >= 'A' && bban[i] <= 'Z')
			j += sprintf(num + j, "%d", bban[i] - 'A' + 10);
		else
			num[j++] = bban[i];
	}
	j += sprintf(num + j, "%d%d00", 'N' - 'A' + 10, 'L' - 'A' + 10);
	num[j] = 0;
	for (i = 0; num[i]; i++)
		mod = (mod * 10 + (num[i] - '0')) % 97;
	snprintf(out, 24, "NL%02d%s", 98 - mod, bban);
}

static const char *LEEFVORM[] = { "ALLEENSTAAND", "ALLEENSTAANDE_OUDER", "GEHUWD" };
static const char *SOORT[] = { "ARBEID", "UITKERING", "PENSIOEN", "OVERIG" };
static const char *CODE[] = { "N", "R", "Y", "Z", "AA" };
static const char *OUTCOME[] = { "GEEN_GEVOLGEN", "RECHT_VERVALLEN", "BEEINDIGD" };
static const char *BUFFER[] = { "uit", "voorstel", "automatisch" };

/* ---- the files ----------------------------------------------------------- */

static int write_register(const struct h_history *h, int s, const char *dir)
{
	const struct h_snap *sn = &h->snaps[s];
	char path[4200], b1[24], b2[24], iban[24];
	FILE *f;
	int d, i;

	snprintf(path, sizeof(path), "%.4000s/register-%02d.xml", dir, s);
	if (!(f = fopen(path, "w")))
		return -1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Clientregister xmlns=\"urn:nl:betaalrun:clientregister:1\""
		" leveringId=\"REG-%d\" peildatum=\"%s\" aanmaakdatum=\"%sT18:00:00\">\n", s,
		fdate(b1, sn->peil), fdate(b2, sn->peil));
	for (d = 0; d < h->n_dossiers; d++) {
		const struct h_dos *x = &sn->d[d];
		if (!x->present)
			continue;
		fprintf(f, "<Dossier><Dossiernummer>%s</Dossiernummer><Regeling>PW</Regeling><Gemeente>0405</Gemeente>"
			"<Ingangsdatum>%s</Ingangsdatum>", h->nummer[d], fdate(b1, x->ingang));
		if (x->eind != H_NONE)
			fprintf(f, "<Einddatum>%s</Einddatum>", fdate(b1, x->eind));
		fprintf(f, "<Aanvrager><BSN>%s</BSN><Naam>%s</Naam><Geboortedatum>%s</Geboortedatum></Aanvrager>",
			h->persons[x->aanvrager].bsn, h->persons[x->aanvrager].naam,
			fdate(b1, h->persons[x->aanvrager].geb));
		if (x->partner >= 0)
			fprintf(f, "<Partner><BSN>%s</BSN><Naam>%s</Naam><Geboortedatum>%s</Geboortedatum></Partner>",
				h->persons[x->partner].bsn, h->persons[x->partner].naam,
				fdate(b1, h->persons[x->partner].geb));
		fprintf(f, "<Leefvorm>%s</Leefvorm>", LEEFVORM[x->leefvorm]);
		if (x->kind != H_NONE)
			fprintf(f, "<JongsteKindGeboortedatum>%s</JongsteKindGeboortedatum>", fdate(b1, x->kind));
		fprintf(f, "<Kostendelers>%d</Kostendelers>", x->kostendelers);
		if (x->wkv >= 0)
			fprintf(f, "<Woonkostenverlaging>%d</Woonkostenverlaging>", x->wkv);
		make_iban(iban, d);
		fprintf(f, "<Betaalrekening><IBAN>%s</IBAN><Tenaamstelling>%s</Tenaamstelling></Betaalrekening>", iban,
			h->persons[x->aanvrager].naam);
		for (i = 0; i < x->n_grants; i++) {
			const struct h_grant *g = &x->grants[i];
			fprintf(f, "<Vrijlating code=\"%s\" persoon=\"%s\" ingangsdatum=\"%s\"", CODE[g->code],
				g->rol ? "PARTNER" : "AANVRAGER", fdate(b1, g->ingang));
			if (g->eind != H_NONE)
				fprintf(f, " einddatum=\"%s\"", fdate(b1, g->eind));
			if (g->gebruikt)
				fprintf(f, " maanden_gebruikt=\"%d\"", g->gebruikt);
			fprintf(f, "/>");
		}
		for (i = 0; i < x->n_claims; i++)
			fprintf(f, "<Inhouding><Kenmerk>%s</Kenmerk><Soort>TERUGVORDERING</Soort><Saldo>%s</Saldo>"
				"<Termijn>%s</Termijn></Inhouding>", x->claims[i].kenmerk, fmoney(b1, x->claims[i].saldo),
				fmoney(b2, x->claims[i].termijn));
		for (i = 0; i < x->n_derden; i++) {
			make_iban(iban, 500 + d * 10 + i);
			fprintf(f, "<BetalingAanDerden><Kenmerk>%s</Kenmerk><Naam>Derde %d</Naam><IBAN>%s</IBAN>"
				"<Bedrag>%s</Bedrag><Prioriteit>%d</Prioriteit><Omschrijving>Huur</Omschrijving>"
				"</BetalingAanDerden>", x->derden[i].kenmerk, i + 1, iban, fmoney(b1, x->derden[i].bedrag),
				x->derden[i].prio);
		}
		fprintf(f, "</Dossier>\n");
	}
	fprintf(f, "</Clientregister>\n");
	return fclose(f);
}

static int cmp_pos(const void *a, const void *b)
{
	const struct h_record *x = *(const struct h_record *const *)a, *y = *(const struct h_record *const *)b;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int write_polis(const struct h_history *h, int M, int file, const char *dir)
{
	static const struct h_record *list[H_MAX_RECORDS];
	char path[4200], b[8][24];
	FILE *f;
	int i, n = 0;

	for (i = 0; i < h->n_records; i++)
		if (h->records[i].arrive == M && h->records[i].file == file)
			list[n++] = &h->records[i];
	if (!n)
		return 0;
	qsort(list, (size_t)n, sizeof(list[0]), cmp_pos);
	snprintf(path, sizeof(path), "%.4000s/inkomen-%d-%d.xml", dir, M, file);
	if (!(f = fopen(path, "w")))
		return -1;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Inkomstenlevering xmlns=\"urn:nl:betaalrun:polis:1\""
		" leveringId=\"OIB-%d-%d\" aanmaakdatum=\"%s-%02dT02:00:00\">\n", M, file, fmonth(b[0], M),
		file ? 12 : 2);
	for (i = 0; i < n; i++) {
		const struct h_record *r = list[i];
		fprintf(f, "<Inkomstenopgave><OpgaveId>%s</OpgaveId>", r->id);
		if (r->vervangt >= 0)
			fprintf(f, "<Vervangt>%s</Vervangt>", h->records[r->vervangt].id);
		if (r->intrekking)
			fprintf(f, "<Intrekking>true</Intrekking>");
		fprintf(f, "<BSN>%s</BSN><LhNr>12345678%dL01</LhNr><NumIV>%d</NumIV><Inkomstensoort>%s</Inkomstensoort>"
			"<DatAanvTv>%s</DatAanvTv><DatEindTv>%s</DatEindTv><LnLbPh>%s</LnLbPh><VakBsl>%s</VakBsl>"
			"<ExtrPerSal>0.00</ExtrPerSal><OpnAvwb>0.00</OpnAvwb><WrdPrGebrAut>%s</WrdPrGebrAut>"
			"<IngLbPh>%s</IngLbPh><BijdrZvw>%s</BijdrZvw><PrWgaWhkWn>%s</PrWgaWhkWn>"
			"<IndHeffingskorting>true</IndHeffingskorting></Inkomstenopgave>\n",
			h->persons[r->person].bsn, r->numiv, r->numiv, SOORT[r->soort], fdate(b[1], r->aanv),
			fdate(b[2], r->eind), fmoney(b[3], r->ln), fmoney(b[4], r->vak), fmoney(b[5], r->autov),
			fmoney(b[6], r->ing), fmoney(b[7], r->zvw), fmoney(b[0], r->wga));
	}
	fprintf(f, "</Inkomstenlevering>\n");
	return fclose(f);
}

static int write_signals(const struct h_history *h, int M, const char *dir)
{
	char path[4200], b1[16], b2[16];
	FILE *f = NULL;
	int i;

	for (i = 0; i < h->n_signals; i++) {
		const struct h_signal *g = &h->signals[i];
		if (g->arrive != M)
			continue;
		if (!f) {
			snprintf(path, sizeof(path), "%.4000s/signalen-%d.xml", dir, M);
			if (!(f = fopen(path, "w")))
				return -1;
			fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Signaallevering"
				" xmlns=\"urn:nl:betaalrun:signalen:1\" leveringId=\"IB-%d\" aanmaakdatum=\"%s-03T03:00:00\">\n",
				M, fmonth(b1, M));
		}
		fprintf(f, "<Signaal><SignaalId>%s</SignaalId><Soort>%s</Soort><BSN>%s</BSN><Bron>%s</Bron>"
			"<Signaaldatum>%s</Signaaldatum><PeriodeBegin>%s</PeriodeBegin></Signaal>\n", g->id,
			g->hold ? "DETENTIE" : "STUDIEFINANCIERING", h->persons[g->person].bsn, g->hold ? "DJI" : "DUO",
			fdate(b1, o_month_first(M) + 1), fdate(b2, g->begin));
	}
	if (f)
		fprintf(f, "</Signaallevering>\n");
	return f ? fclose(f) : 0;
}

/* ---- printing a dossier's history ---------------------------------------- */

static int person_in_dossier(const struct h_history *h, int d, int p)
{
	int s;
	for (s = 0; s < h->n_snaps; s++)
		if (h->snaps[s].d[d].present && (h->snaps[s].d[d].aanvrager == p || h->snaps[s].d[d].partner == p))
			return 1;
	return 0;
}

static void print_history(FILE *o, const struct h_history *h, int d)
{
	char b1[24], b2[16], b3[16], b4[16], b5[16], b6[16];
	int s, i, p;

	fprintf(o, "  history of %s (seed %llu, months %s..%s, startmaand %s, toerekening %s, bufferbudget %s,"
		" ondergrens %d):\n", h->nummer[d], (unsigned long long)h->seed, fmonth(b1, h->m0), fmonth(b2, h->m1),
		fmonth(b3, h->m0), h->dagen ? "dagen" : "einddatum", BUFFER[h->buffer], h->ondergrens);
	for (p = 0; p < h->n_persons; p++)
		if (person_in_dossier(h, d, p))
			fprintf(o, "    person #%d bsn %s born %s\n", p, h->persons[p].bsn, fdate(b1, h->persons[p].geb));
	for (s = 0; s < h->n_snaps; s++) {
		const struct h_dos *x = &h->snaps[s].d[d];
		fprintf(o, "    snapshot %d peil %s (run %s):", s, fdate(b1, h->snaps[s].peil), fmonth(b2, h->snaps[s].arrive));
		if (!x->present) {
			fprintf(o, " absent\n");
			continue;
		}
		fprintf(o, " %s..%s aanvrager #%d partner %d %s kind %s kd %d wkv %d", fdate(b1, x->ingang),
			x->eind ? fdate(b2, x->eind) : "-", x->aanvrager, x->partner, LEEFVORM[x->leefvorm],
			x->kind ? fdate(b3, x->kind) : "-", x->kostendelers, x->wkv);
		for (i = 0; i < x->n_grants; i++)
			fprintf(o, " [%s %s %s..%s g%d]", CODE[x->grants[i].code], x->grants[i].rol ? "P" : "A",
				fdate(b1, x->grants[i].ingang), x->grants[i].eind ? fdate(b2, x->grants[i].eind) : "-",
				x->grants[i].gebruikt);
		for (i = 0; i < x->n_claims; i++)
			fprintf(o, " {claim %s %s/%s}", x->claims[i].kenmerk, fmoney(b1, x->claims[i].saldo),
				fmoney(b2, x->claims[i].termijn));
		for (i = 0; i < x->n_derden; i++)
			fprintf(o, " {derde %s %s p%d}", x->derden[i].kenmerk, fmoney(b1, x->derden[i].bedrag),
				x->derden[i].prio);
		fprintf(o, "\n");
	}
	for (i = 0; i < h->n_records; i++) {
		const struct h_record *r = &h->records[i];
		if (!person_in_dossier(h, d, r->person) || r->arrive > h->m1)
			continue;
		fprintf(o, "    record %s #%d %s %s..%s net %s (ln %s) arrives run %s file %d pos %d%s%s%s\n", r->id,
			r->person, SOORT[r->soort], fdate(b1, r->aanv), fdate(b2, r->eind),
			fmoney(b3, r->ln - r->autov - r->ing - r->zvw - r->wga), fmoney(b4, r->ln),
			fmonth(b5, r->arrive), r->file, r->pos, r->vervangt >= 0 ? " vervangt " : "",
			r->vervangt >= 0 ? h->records[r->vervangt].id : "", r->intrekking ? " INTREKKING" : "");
	}
	for (i = 0; i < H_MAX_MONTHS && h->buffer == H_BUFFER_VOORSTEL; i++) {
		const struct h_bdecision *b = &h->bdec[d][i];
		if (g_ledgers[d].proposed[i])
			fprintf(o, "    BUFFER job %s (proposed %s): %s%s, %s %d%%%s\n", fmonth(b1, h->m0 + i),
				fmoney(b2, g_ledgers[d].proposed[i]), b->delay ? "closed in run " : "never closed",
				b->delay ? fmonth(b3, h->m0 + i + b->delay) : "", b->grant ? "TOEKENNEN" : "AFWIJZEN",
				b->pct, b->probe ? ", first over the limit" : "");
	}
	for (i = 0; i < g_ledgers[d].n_bgrant; i++)
		fprintf(o, "    granted for %s: %s%s\n", fmonth(b1, g_ledgers[d].bgrant[i].month),
			fmoney(b2, g_ledgers[d].bgrant[i].amount), g_ledgers[d].bgrant[i].paid ? " (paid)" : "");
	for (i = 0; i < h->n_signals; i++) {
		const struct h_signal *g = &h->signals[i];
		if (g->dossier != d)
			continue;
		fprintf(o, "    signal %s %s begin %s arrives %s closed %s %s datum %s van %s tot %s\n", g->id,
			g->hold ? "DETENTIE" : "STUDIEFINANCIERING", fdate(b1, g->begin), fmonth(b2, g->arrive),
			g->close ? fmonth(b3, g->close) : "never", OUTCOME[g->outcome], fdate(b4, g->datum),
			fdate(b5, g->van), fdate(b6, g->tot));
	}
}

/* ---- comparing ----------------------------------------------------------- */

struct failure {
	int failed;
	int dossier, run, month;
	char field[64];
	int64_t engine, oracle;
	char detail[16384];
};

/* Both sides of the failing run, side by side. */
static void describe(struct failure *f, const struct settle_result *e, const struct o_run *o)
{
	char b[12][24];
	size_t i, n = 0;
	int j;

#define ADD(...) do { int w_ = snprintf(f->detail + n, sizeof(f->detail) - n, __VA_ARGS__); \
		if (w_ > 0 && (size_t)w_ < sizeof(f->detail) - n) n += (size_t)w_; } while (0)
	ADD("  engine run: advance %s additions %s vt %s deducted %s carried %s claimed %s instalments %s derden %s"
	    " client %s (vt run %d, active %d)\n", fmoney(b[0], e->advance_cents), fmoney(b[1], e->additions_cents), fmoney(b[2], e->vt_cents),
	    fmoney(b[3], e->deducted_cents), fmoney(b[4], e->carried_cents), fmoney(b[5], e->claimed_cents),
	    fmoney(b[6], e->instalments_cents), fmoney(b[7], e->derden_cents), fmoney(b[8], e->client_cents), e->vt_run,
	    e->active_in_run);
	ADD("  oracle run: advance %s additions %s vt %s deducted %s carried %s claimed %s instalments %s derden %s"
	    " client %s (vt run %d, active %d)%s\n", fmoney(b[0], o->advance), fmoney(b[1], o->additions), fmoney(b[2], o->vt),
	    fmoney(b[3], o->deducted), fmoney(b[4], o->carried), fmoney(b[5], o->claimed), fmoney(b[6], o->instalments),
	    fmoney(b[7], o->derden), fmoney(b[8], o->client), o->vt_run, o->active_in_run,
	    o->held ? " (held)" : "");
	ADD("  engine bufferbudget: paid %s proposed %s left %s\n", fmoney(b[0], e->buffer_cents),
	    fmoney(b[1], e->buffer_proposed_cents), fmoney(b[2], e->buffer_left_cents));
	ADD("  oracle bufferbudget: paid %s proposed %s left %s (floor %s, after step 4 and grants %s, work_ded %s,"
	    " grants paid now: %d in the ledger)\n", fmoney(b[0], o->buffer), fmoney(b[1], o->buffer_proposed),
	    fmoney(b[2], o->buffer_left), fmoney(b[3], o->buffer_floor), fmoney(b[4], o->after4),
	    fmoney(b[5], o->work_ded), o->n_bgrant_paid);
	for (j = 0; j < H_MAX_MONTHS; j++)
		if (o->book_buffer[j])
			ADD("  oracle booking BUFFER %s %s\n", fmonth(b[0], o->m0 + j), fmoney(b[1], o->book_buffer[j]));
	for (i = 0; i < e->n_events; i++)
		ADD("  engine event %s %s %s ref %d\n", settle_event_name(e->events[i].kind),
		    fmonth(b[0], e->events[i].month), fmoney(b[1], e->events[i].amount_cents), e->events[i].ref);
	for (i = 0; i < e->n_months; i++) {
		const struct settle_month *m = &e->months[i];
		ADD("  engine %s: days %d/%d norm %s income %s vrij %s right %s owed %s paid %s diff %s vtres %s vtpaid %s"
		    " vtdiff %s\n", fmonth(b[0], m->month), m->active_days, m->days, fmoney(b[1], m->norm_cents),
		    fmoney(b[2], m->income_cents), fmoney(b[3], m->vrij_cents), fmoney(b[4], m->right_cents),
		    fmoney(b[5], m->owed_cents), fmoney(b[6], m->paid_cents), fmoney(b[7], m->diff_cents),
		    fmoney(b[8], m->vtres_cents), fmoney(b[9], m->vt_paid_cents), fmoney(b[10], m->vt_diff_cents));
	}
	for (i = 0; i < e->n_vrij; i++)
		ADD("  engine vrijlating grant %d code %d persoon %d applied %d candidate %s amount %s: %s\n",
		    e->vrij[i].grant, (int)e->vrij[i].code, (int)e->vrij[i].persoon, e->vrij[i].applied,
		    fmoney(b[0], e->vrij[i].candidate_cents), fmoney(b[1], e->vrij[i].amount_cents), e->vrij[i].why);
	for (i = 0; i < e->n_bookings; i++) {
		static const char *K[] = { "VOORSCHOT", "VERSCHIL", "VT", "VORDERING", "VT_VORDERING", "INHOUDING",
					   "DERDEN", "CLIENT", "BUFFER" };
		ADD("  engine booking %s %s %s ref %d\n", (unsigned)e->bookings[i].kind < sizeof(K) / sizeof(K[0]) ?
		    K[e->bookings[i].kind] : "?", fmonth(b[0], e->bookings[i].month),
		    fmoney(b[1], e->bookings[i].amount_cents), e->bookings[i].ref);
	}
	for (j = 0; j < o->n; j++) {
		const struct o_month *m = &o->m[j];
		ADD("  oracle %s: days %d/%d norm %s income %s vrij %s right %s owed %s diff %s vtres %s vtdiff %s"
		    " (stand of snapshot %d)\n", fmonth(b[0], m->month), m->active_days, m->days, fmoney(b[1], m->norm),
		    fmoney(b[2], m->income), fmoney(b[3], m->vrij), fmoney(b[4], m->right), fmoney(b[5], m->owed),
		    fmoney(b[7], m->diff), fmoney(b[8], m->vtres), fmoney(b[10], m->vt_diff), m->stand_snap);
	}
#undef ADD
}

static int check(struct failure *f, int d, int run, int month, const char *field, int64_t engine, int64_t oracle)
{
	g_comparisons++;
	if (engine == oracle || f->failed)
		return engine == oracle;
	f->failed = 1;
	f->dossier = d;
	f->run = run;
	f->month = month;
	snprintf(f->field, sizeof(f->field), "%s", field);
	f->engine = engine;
	f->oracle = oracle;
	return 0;
}

static int month_zero_e(const struct settle_month *m)
{
	return !m->norm_cents && !m->right_cents && !m->owed_cents && !m->diff_cents && !m->vt_diff_cents &&
	       !m->income_cents;
}

static int month_zero_o(const struct o_month *m)
{
	return !m->norm && !m->right && !m->owed && !m->diff && !m->vt_diff && !m->income;
}

static void compare(struct failure *f, const struct cfg *c, int d, int M, const struct settle_result *e,
		    const struct o_run *o, int engine_held)
{
	size_t i;
	int j;

	for (i = 0; i < e->n_months; i++) {
		const struct settle_month *em = &e->months[i];
		const struct o_month *om = NULL;
		for (j = 0; j < o->n; j++)
			if (o->m[j].month == em->month)
				om = &o->m[j];
		if (!om) {
			if (!month_zero_e(em))
				check(f, d, M, em->month, "month only in engine", 1, 0);
			continue;
		}
		check(f, d, M, em->month, "active days", em->active_days, om->active_days);
		check(f, d, M, em->month, "norm", em->norm_cents, om->norm);
		check(f, d, M, em->month, "income", em->income_cents, om->income);
		check(f, d, M, em->month, "vrijlating", em->vrij_cents, om->vrij);
		check(f, d, M, em->month, "right", em->right_cents, om->right);
		check(f, d, M, em->month, "owed", em->owed_cents, om->owed);
		if (c->check_run) {
			check(f, d, M, em->month, "diff", em->diff_cents, om->diff);
			if (o->vt_run)   /* vt_diff is only settled in a VT run */
				check(f, d, M, em->month, "vt diff", em->vt_diff_cents, om->vt_diff);
		}
	}
	for (j = 0; j < o->n; j++) {
		int found = 0;
		for (i = 0; i < e->n_months; i++)
			found |= e->months[i].month == o->m[j].month;
		if (!found && !month_zero_o(&o->m[j]))
			check(f, d, M, o->m[j].month, "month only in oracle", 0, 1);
	}
	if (!c->check_run)
		goto out;
	check(f, d, M, M, "held", engine_held, o->held);
	check(f, d, M, M, "active in run", e->active_in_run, o->active_in_run);
	check(f, d, M, M, "advance", e->advance_cents, o->advance);
	check(f, d, M, M, "additions", e->additions_cents, o->additions);
	check(f, d, M, M, "vt", e->vt_cents, o->vt);
	check(f, d, M, M, "deducted", e->deducted_cents, o->deducted);
	check(f, d, M, M, "carried", e->carried_cents, o->carried);
	check(f, d, M, M, "claimed", e->claimed_cents, o->claimed);
	check(f, d, M, M, "instalments", e->instalments_cents, o->instalments);
	check(f, d, M, M, "derden", e->derden_cents, o->derden);
	check(f, d, M, M, "client", e->client_cents, o->client);
	/* rules.md §5a: the bufferbudget paid (applied and grants), proposed,
	 * left of the year, where it is booked, and the proposal's event */
	check(f, d, M, M, "buffer", e->buffer_cents, o->buffer);
	check(f, d, M, M, "buffer proposed", e->buffer_proposed_cents, o->buffer_proposed);
	check(f, d, M, M, "buffer left", e->buffer_left_cents, o->buffer_left);
	{
		int64_t eb[H_MAX_MONTHS], ev = 0;
		memset(eb, 0, sizeof(eb));
		for (i = 0; i < e->n_bookings; i++) {
			const struct settle_booking *b = &e->bookings[i];
			if (b->kind != BOOK_BUFFER)
				continue;
			if (b->month < o->m0 || b->month - o->m0 >= H_MAX_MONTHS)
				check(f, d, M, b->month, "BUFFER booking outside the window", b->amount_cents, 0);
			else
				eb[b->month - o->m0] += b->amount_cents;
		}
		for (j = 0; j < H_MAX_MONTHS; j++)
			if (eb[j] || o->book_buffer[j])
				check(f, d, M, o->m0 + j, "BUFFER booking", eb[j], o->book_buffer[j]);
		for (i = 0; i < e->n_events; i++)
			if (e->events[i].kind == EVENT_BUFFER_VOORSTEL) {
				check(f, d, M, e->events[i].month, "BUFFER_VOORSTEL month", e->events[i].month, M);
				ev += e->events[i].amount_cents;
			}
		check(f, d, M, M, "BUFFER_VOORSTEL event", ev, o->buffer_proposed);
	}
out:
	if (f->failed && !f->detail[0])
		describe(f, e, o);
}

/* ---- one history through the program ------------------------------------ */

static int mkdirs(const char *p)
{
	char b[4200];
	char *s;
	snprintf(b, sizeof(b), "%s", p);
	for (s = b + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			mkdir(b, 0700);
			*s = '/';
		}
	return mkdir(b, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

static int rm_rf(const char *p)
{
	char cmd[4300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%.4200s'", p);
	return system(cmd);
}

static int dossier_index(const struct h_history *h, const char *nummer)
{
	int d;
	for (d = 0; d < h->n_dossiers; d++)
		if (strcmp(h->nummer[d], nummer) == 0)
			return d;
	return -1;
}

static int64_t job_of(struct store *st, const char *nummer)
{
	sqlite3_stmt *s = NULL;
	struct br_error err;
	int64_t id = 0;

	br_error_clear(&err);
	if (store_prepare(st, &s, "SELECT t.id FROM taak t JOIN dossier d ON d.id = t.dossier WHERE d.nummer = ?1"
			  " AND t.soort = 'DETENTIE' AND t.status <> 'AFGEROND'", &err) < 0)
		return 0;
	sqlite3_bind_text(s, 1, nummer, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return id;
}

/* rules.md §5a: the BUFFER job of dossier `nummer` for month `month`: its id,
 * amount and whether it is still open; 0 when there is none. */
static int64_t buffer_job(struct store *st, const char *nummer, int month, int64_t *bedrag, int *open)
{
	sqlite3_stmt *s = NULL;
	struct br_error err;
	char key[32], mb[16];
	int64_t id = 0;

	br_error_clear(&err);
	snprintf(key, sizeof(key), "BUFFER %s", fmonth(mb, month));
	*bedrag = 0;
	*open = 0;
	if (store_prepare(st, &s, "SELECT t.id, coalesce(t.bedrag_cents, 0), t.status <> 'AFGEROND' FROM taak t"
			  " JOIN dossier d ON d.id = t.dossier WHERE d.nummer = ?1 AND t.soort = 'BUFFER'"
			  " AND t.sleutel = ?2", &err) < 0)
		return 0;
	sqlite3_bind_text(s, 1, nummer, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		*bedrag = sqlite3_column_int64(s, 1);
		*open = sqlite3_column_int(s, 2);
	}
	sqlite3_finalize(s);
	return id;
}

/* One integer of a query with ?1 = a dossier number (0 on error). */
static int64_t query_int(struct store *st, const char *q, const char *nummer, const char *arg2)
{
	sqlite3_stmt *s = NULL;
	struct br_error err;
	int64_t v = 0;

	br_error_clear(&err);
	if (store_prepare(st, &s, q, &err) < 0)
		return -1;
	sqlite3_bind_text(s, 1, nummer, -1, SQLITE_STATIC);
	if (arg2)
		sqlite3_bind_text(s, 2, arg2, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The run of month M as payrun records it: prepared (status NULL), then
 * released; the engine reads which regular run held a dossier (rules.md §2,
 * VT a held June run kept back). */
static int run_record(struct store *st, int64_t run, int32_t M, const char *status, struct br_error *err)
{
	char q[512], mb[16];
	int y = M / 12, m = M % 12 + 1;

	snprintf(mb, sizeof(mb), "%04d-%02d", y, m);
	if (status)
		snprintf(q, sizeof(q), "UPDATE run SET status = '%s' WHERE id = %lld", status, (long long)run);
	else
		snprintf(q, sizeof(q), "INSERT INTO run (id, msg_id, maand, aanvullend, status, aangemaakt, uitvoerdatum,"
			 " startmaand, regels_sha256, pain_versie, map) VALUES (%lld, 'H-%lld', '%s', 0, 'PREPARED',"
			 " '%s-01T09:00:00', '%s-25', '%s', 'x', '001.001.09', 'h')", (long long)run, (long long)run,
			 mb, mb, mb, mb);
	return store_exec(st, q, err);
}

static int run_saw(struct store *st, int64_t run, int64_t upto, struct br_error *err)
{
	char q[200];

	snprintf(q, sizeof(q), "UPDATE run SET inkomen_tot = %lld WHERE id = %lld", (long long)upto, (long long)run);
	return store_exec(st, q, err);
}

static int run_dossier_record(struct store *st, int64_t run, int64_t dossier, const char *status,
			      struct br_error *err)
{
	char q[400];

	snprintf(q, sizeof(q), "INSERT INTO run_dossier (run, dossier, status, client_cents, derden_cents,"
		 " inhouding_cents, verrekend_cents, toegevoegd_cents, ingehouden_cents, derden_overgeslagen)"
		 " VALUES (%lld, %lld, '%s', 0, 0, 0, 0, 0, 0, 0)", (long long)run, (long long)dossier, status);
	return store_exec(st, q, err);
}

static int engine_held(struct store *st, int64_t dossier, int M)
{
	sqlite3_stmt *s = NULL;
	struct br_error err;
	char last[24];
	int n = 0;

	br_error_clear(&err);
	/* what the payment run holds (pipeline/payrun.c load_held, signals.md) */
	if (store_prepare(st, &s, "SELECT count(*) FROM opschorting WHERE dossier = ?1 AND opgeheven IS NULL"
			  " AND vanaf <= ?2", &err) < 0)
		return -1;
	sqlite3_bind_int64(s, 1, dossier);
	sqlite3_bind_text(s, 2, fdate(last, o_month_last(M)), -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n > 0;
}

static void show_reasons(const char *home)
{
	char cmd[4400];
	snprintf(cmd, sizeof(cmd), "cat '%.4000s'/quarantine/*.reason >&2 2>/dev/null", home);
	if (system(cmd) != 0)
		fprintf(stderr, "(no reason files)\n");
}

/* rules.md §5a voorstel, signals.md: close the BUFFER jobs of dossier d the
 * history closes at the start of the run of M.  A probe (more than may be
 * granted) must be refused and leave the job open; the grant must be
 * accepted and record its amount.  Mismatches go to f. */
static int close_buffer_jobs(struct store *st, const struct h_history *h, int d, int M, int64_t now,
			     struct failure *f, struct br_error *err)
{
	struct o_bclose cl[H_MAX_MONTHS];
	int n = oracle_buffer_close(cl, H_MAX_MONTHS, h, d, M, &g_ledgers[d]), i, open;

	for (i = 0; i < n && !f->failed; i++) {
		struct jobs_close_args a;
		struct br_error e2;
		int64_t bedrag, id = buffer_job(st, h->nummer[d], cl[i].month, &bedrag, &open);

		if (!check(f, d, M, cl[i].month, "BUFFER job (1 = there is one, open)", id > 0 && open, 1) ||
		    !check(f, d, M, cl[i].month, "BUFFER job amount", bedrag, cl[i].proposal))
			break;
		memset(&a, 0, sizeof(a));
		a.id = id;
		a.rules = &g_rules;
		a.datum = a.van = a.tot = DATE_NONE;
		a.door = "historytest";
		if (cl[i].probe || cl[i].probe_proposal) {
			br_error_clear(&e2);
			a.uitkomst = "TOEKENNEN";
			a.bedrag_cents = cl[i].probe;   /* 0: the proposal */
			a.toelichting = "history test: more than may be granted";
			if (!check(f, d, M, cl[i].month, "BUFFER grant over the limit refused", jobs_close(st, &a, now, &e2),
				   BR_EUSAGE))
				break;
			buffer_job(st, h->nummer[d], cl[i].month, &bedrag, &open);
			if (!check(f, d, M, cl[i].month, "BUFFER job open after a refusal", open, 1))
				break;
			g_buf.probes++;
		}
		a.uitkomst = cl[i].grant ? "TOEKENNEN" : "AFWIJZEN";
		a.bedrag_cents = cl[i].grant ? cl[i].bedrag : 0;
		a.toelichting = "history test";
		br_error_clear(&e2);
		if (jobs_close(st, &a, now, &e2) < 0) {
			if (cl[i].grant && !e2.msg[0])
				return br_error_set(err, BR_EINTERNAL, "closing BUFFER job %lld failed", (long long)id);
			check(f, d, M, cl[i].month, cl[i].grant ? "BUFFER grant within the limit accepted" :
			      "BUFFER AFWIJZEN accepted", 0, 1);
			snprintf(f->detail, sizeof(f->detail), "  jobs_close(%lld, %s, bedrag %lld; proposal %lld, may be"
				 " granted %lld): %s\n", (long long)id, a.uitkomst, (long long)a.bedrag_cents,
				 (long long)cl[i].proposal, (long long)cl[i].limit, e2.msg);
			break;
		}
		buffer_job(st, h->nummer[d], cl[i].month, &bedrag, &open);
		if (!check(f, d, M, cl[i].month, "BUFFER job open after closing", open, 0) ||
		    (cl[i].grant && !check(f, d, M, cl[i].month, "BUFFER job granted amount", bedrag, cl[i].granted)))
			break;
		if (cl[i].grant) {
			g_buf.granted++;
			g_buf.granted_cents += cl[i].granted;
			if (cl[i].granted == cl[i].proposal)
				g_buf.granted_full++;
			else
				g_buf.granted_partial++;
		} else {
			g_buf.afgewezen++;
		}
	}
	return 0;
}

/* payrun.c open_jobs for EVENT_BUFFER_VOORSTEL. */
static int open_buffer_jobs(struct store *st, const struct settle_dossier_info *info, const struct settle_result *res,
			    int64_t now, struct br_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < res->n_events; i++) {
		const struct settle_event *ev = &res->events[i];
		char key[32], text[200], km[16];
		if (ev->kind != EVENT_BUFFER_VOORSTEL)
			continue;
		snprintf(key, sizeof(key), "BUFFER %s", fmonth(km, ev->month));
		snprintf(text, sizeof(text), "bufferbudget (art. 34b Pw) voorgesteld voor %s (history test)", km);
		if ((rc = jobs_open_proposal(NULL, st, &g_sig, info->id, settle_event_name(ev->kind),
					     timestamp_day(now), key, text, ev->amount_cents, now, err)) < 0)
			return rc;
	}
	return 0;
}

/* Coverage of rules.md §5a (after a run compared equal). */
static void count_buffer(const struct h_history *h, int d, int M, const struct o_run *o,
			 const struct settle_result *e, int held)
{
	char b1[16], b2[16];
	int64_t applied = 0, cover_2026 = 0;
	int j;

	(void)e;
	if (h->buffer == H_BUFFER_UIT || M < 2027 * 12)
		return;
	g_buf.runs++;
	g_buf.runs_2028 += M >= 2028 * 12;
	g_buf.work_ded += o->work_ded > 0;
	g_buf.grants_paid += o->buffer > 0 && h->buffer == H_BUFFER_VOORSTEL && !held;
	for (j = 0; j < H_MAX_MONTHS && h->buffer == H_BUFFER_VOORSTEL && !held; j++)
		if (o->book_buffer[j] > 0 && (o->m0 + j) / 12 != M / 12 && !g_buf.grants_next_year++)
			snprintf(g_buf.ex_next_year, sizeof(g_buf.ex_next_year), "seed %llu %s: %s paid in run %s",
				 (unsigned long long)h->seed, h->nummer[d], fmonth(b1, o->m0 + j), fmonth(b2, M));
	if (o->buffer_proposed > 0) {
		g_buf.proposals++;
		g_buf.proposal_cents += o->buffer_proposed;
		g_buf.held_proposals += held;
		if (!o->buffer_job && !g_buf.joined++)
			snprintf(g_buf.ex_joined, sizeof(g_buf.ex_joined), "seed %llu %s run %s",
				 (unsigned long long)h->seed, h->nummer[d], fmonth(b1, M));
	}
	if (h->buffer != H_BUFFER_AUTOMATISCH)
		return;
	for (j = 0; j < H_MAX_MONTHS; j++) {
		applied += o->book_buffer[j];
		if (o->m0 + j < 2027 * 12)
			cover_2026 += o->book_buffer[j];
	}
	if (applied > 0) {
		int64_t b = applied, bleft = o->buffer_left + applied;
		g_buf.applied++;
		g_buf.applied_cents += applied;
		g_buf.covered_2026 += cover_2026 > 0;
		g_buf.fresh_2028 += M >= 2028 * 12 && g_ledgers[d].buf_used[2027 - 2025] >= 100000;
		g_buf.bound_left += b == bleft;
		g_buf.bound_floor += b == o->buffer_floor - o->after4 && b != bleft;
		g_buf.bound_work += b == o->work_ded && b != bleft && b != o->buffer_floor - o->after4;
		g_buf.with_claims += o->instalments > 0;
		g_buf.with_derden += o->derden > 0;
	}
}

/* rules.md §5a, at the end of a history: the store released per dossier and
 * run-month year what the oracle's ledger did, and paid every grant once. */
static int check_buffer_store(struct store *st, const struct h_history *h, struct failure *f)
{
	int d, y;

	for (d = 0; d < h->n_dossiers && !f->failed; d++) {
		int paid = 0, i;
		for (y = 2025; y <= 2028; y++) {
			char ys[8];
			snprintf(ys, sizeof(ys), "%d", y);
			check(f, d, h->m1, y * 12, "bufferbudget released in the year of the run (store)",
			      query_int(st, "SELECT coalesce(sum(b.bedrag_cents), 0) FROM boeking b JOIN run r ON r.id = b.run"
					" JOIN dossier x ON x.id = b.dossier WHERE x.nummer = ?1 AND b.soort = 'bufferbudget'"
					" AND b.vrijgegeven IS NOT NULL AND substr(r.maand, 1, 4) = ?2", h->nummer[d], ys),
			      g_ledgers[d].buf_used[y - 2025]);
		}
		for (i = 0; i < g_ledgers[d].n_bgrant; i++)
			paid += g_ledgers[d].bgrant[i].paid;
		check(f, d, h->m1, h->m1, "grants paid (store: released TOEKENNING bookings)",
		      query_int(st, "SELECT count(*) FROM boeking b JOIN dossier x ON x.id = b.dossier WHERE x.nummer = ?1"
				" AND b.soort = 'bufferbudget' AND b.kenmerk LIKE 'TOEKENNING %' AND b.vrijgegeven IS NOT NULL",
				h->nummer[d], NULL), paid);
		check(f, d, h->m1, h->m1, "a grant paid twice (store)",
		      query_int(st, "SELECT count(*) FROM (SELECT b.kenmerk FROM boeking b JOIN dossier x ON x.id = b.dossier"
				" WHERE x.nummer = ?1 AND b.soort = 'bufferbudget' AND b.kenmerk IS NOT NULL AND"
				" b.vrijgegeven IS NOT NULL GROUP BY b.kenmerk HAVING count(*) > 1)", h->nummer[d], NULL), 0);
		{
			int k, jobs = 0;
			for (k = 0; k < H_MAX_MONTHS; k++)
				jobs += g_ledgers[d].proposed[k] > 0;
			check(f, d, h->m1, h->m1, "grants BUFFER jobs opened (store)",
			      query_int(st, "SELECT count(*) FROM taak t JOIN dossier x ON x.id = t.dossier WHERE"
					" x.nummer = ?1 AND t.soort = 'BUFFER'", h->nummer[d], NULL), jobs);
		}
		check(f, d, h->m1, h->m1, "grants granted (store: BUFFER jobs TOEKENNEN)",
		      query_int(st, "SELECT count(*) FROM taak t JOIN dossier x ON x.id = t.dossier WHERE x.nummer = ?1"
				" AND t.soort = 'BUFFER' AND t.uitkomst = 'TOEKENNEN'", h->nummer[d], NULL),
		      g_ledgers[d].n_bgrant);
	}
	return f->failed;
}

/* Returns 0 pass, 1 mismatch, -1 machinery failure; f says what. */
static int run_history(const struct h_history *h, const struct cfg *c, const char *home, struct failure *f)
{
	struct br_error err;
	struct store *st = NULL;
	struct config cfg;
	struct intake_opts io;
	char inbox[4200], db[4200], b1[16], b2[16], now[32];
	int M, s, rc = 0, i;
	long months_final = 0;

	br_error_clear(&err);
	memset(f, 0, sizeof(*f));
	memset(g_ledgers, 0, sizeof(g_ledgers));
	rm_rf(home);
	snprintf(inbox, sizeof(inbox), "%.4000s/inbox", home);
	mkdirs(inbox);
	for (i = 0; i < 4; i++) {
		static const char *sub[] = { "quarantine", "archive", "out", "outbox" };
		char p[4300];
		snprintf(p, sizeof(p), "%.4000s/%s", home, sub[i]);
		mkdirs(p);
	}
	snprintf(db, sizeof(db), "%.4000s/betaalrun.db", home);
	config_init(&cfg);
	cfg.startmaand = h->m0;
	snprintf(cfg.toerekening, sizeof(cfg.toerekening), "%s", h->dagen ? "dagen" : "einddatum");
	memset(&io, 0, sizeof(io));
	io.home = home;
	io.inbox = inbox;
	io.cfg = &cfg;
	io.data_dir = c->data;
	io.signals = &g_sig;
	if (store_open(&st, db, 1, &err) < 0)
		goto fail;

	for (M = h->m0; M <= h->m1; M++) {
		struct intake_summary sum;
		struct jobs_match_result mr;
		struct settle_source *src = NULL;
		struct settle_dossier_info info;
		struct settle_input in;
		struct settle_result res;
		struct settle_settings set;
		struct ledger *led = NULL;
		int64_t now_ts;

		snprintf(now, sizeof(now), "%s-25T10:00:00", fmonth(b1, M));
		setenv("BETAALRUN_NOW", now, 1);
		if (timestamp_now(&now_ts, &err) < 0)
			goto fail;
		for (s = 0; s < h->n_snaps; s++)
			if (h->snaps[s].arrive == M && write_register(h, s, inbox) < 0)
				goto fail_io;
		if (write_polis(h, M, 0, inbox) < 0 || write_polis(h, M, 1, inbox) < 0 || write_signals(h, M, inbox) < 0)
			goto fail_io;
		if (intake_run(&sum, st, &io, &err) < 0)
			goto fail;
		if (sum.quarantined) {
			fprintf(stderr, "seed %llu: %d file(s) quarantined in run %s:\n", (unsigned long long)h->seed,
				sum.quarantined, fmonth(b1, M));
			show_reasons(home);
			rc = -1;
			goto out;
		}
		if (jobs_match_signals(&mr, st, &g_sig, now_ts, &err) < 0)
			goto fail;
		/* the consultant closes the jobs due this month (signals.md) */
		for (i = 0; i < h->n_signals; i++) {
			const struct h_signal *g = &h->signals[i];
			struct jobs_close_args a;
			int64_t id;
			if (!g->hold || g->close != M)
				continue;
			if (!(id = job_of(st, h->nummer[g->dossier]))) {
				fprintf(stderr, "seed %llu: no open DETENTIE job for %s in run %s\n",
					(unsigned long long)h->seed, h->nummer[g->dossier], fmonth(b1, M));
				rc = -1;
				goto out;
			}
			memset(&a, 0, sizeof(a));
			a.id = id;
			a.uitkomst = OUTCOME[g->outcome];
			a.datum = g->outcome == H_BEEINDIGD ? g->datum : DATE_NONE;
			a.van = g->outcome == H_RECHT_VERVALLEN ? g->van : DATE_NONE;
			a.tot = g->outcome == H_RECHT_VERVALLEN ? g->tot : DATE_NONE;
			a.door = "historytest";
			a.toelichting = "history test";
			if (jobs_close(st, &a, now_ts, &err) < 0)
				goto fail;
		}
		/* rules.md §5a voorstel: the consultant closes the BUFFER jobs
		 * due now, as `jobs close --uitkomst TOEKENNEN [--bedrag X]` or
		 * AFWIJZEN; the oracle decides X from the history and its ledger */
		for (i = 0; h->buffer == H_BUFFER_VOORSTEL && i < h->n_dossiers && !f->failed; i++)
			if ((rc = close_buffer_jobs(st, h, i, M, now_ts, f, &err)) < 0)
				goto fail;
		if (f->failed) {
			rc = 1;
			goto out;
		}

		/* the run of M: settle every dossier, book what is paid, release */
		memset(&set, 0, sizeof(set));
		set.startmaand = h->m0;
		set.toerekening_dagen = h->dagen;
		set.vt_uitbetaalmaand = 6;
		set.verrekentermijn = 6;
		set.beslagvrije_voet_pct = 95;
		set.bufferbudget = h->buffer == H_BUFFER_AUTOMATISCH ? BUFFER_AUTOMATISCH :
				   h->buffer == H_BUFFER_VOORSTEL ? BUFFER_VOORSTEL : BUFFER_UIT;
		set.bufferbudget_ondergrens_pct = h->ondergrens;
		settle_result_init(&res);
		if (store_begin(st, &err) < 0)
			goto fail;
		if (run_record(st, M - h->m0 + 1, M, NULL, &err) < 0 ||
		    settle_source_open(&src, st, M, &set, NULL, &err) < 0 || ledger_open(&led, st, &err) < 0) {
			settle_source_free(src);
			ledger_free(led);
			store_rollback(st);
			settle_result_release(&res);
			goto fail;
		}
		while ((rc = settle_source_next(src, &info, &in, &err)) == 1) {
			struct o_run o;
			int d = dossier_index(h, info.nummer), held;
			if (d < 0) {
				rc = br_error_set(&err, BR_EINTERNAL, "unknown dossier %s", info.nummer);
				break;
			}
			if ((rc = settle_dossier(&res, &in, &g_rules, &set, M, &err)) < 0) {
				br_error_set(&err, rc, "settle_dossier %s run %s: %s", info.nummer, fmonth(b1, M), err.msg);
				break;
			}
			oracle_run(&o, h, d, M, &g_ledgers[d], &c->oracle);
			held = engine_held(st, info.id, M);
			compare(f, c, d, M, &res, &o, held);
			if (M == h->m1)
				months_final += (long)res.n_months;
			/* booked with the whole input, as payrun does: a grant's
			 * booking carries 'TOEKENNING <job>', so it is paid once */
			if (!held && !info.probleem[0] && (res.active_in_run || res.n_bookings) &&
			    (rc = ledger_book_input(led, M - h->m0 + 1, info.id, &res, &in, &err)) < 0)
				break;
			/* rules.md §5a voorstel: the run opens the BUFFER job (payrun
			 * open_jobs, also for a held dossier) */
			if ((res.active_in_run || res.n_bookings) && (rc = open_buffer_jobs(st, &info, &res, now_ts, &err)) < 0)
				break;
			if (!f->failed)
				count_buffer(h, d, M, &o, &res, held);
			/* what the run decided for the dossier, as payrun records it */
			if ((res.active_in_run || res.n_bookings) &&
			    (rc = run_dossier_record(st, M - h->m0 + 1, info.id, held ? "OPGESCHORT" :
						     info.probleem[0] ? "GEBLOKKEERD" : "BETAALD", &err)) < 0)
				break;
			if (info.probleem[0] && !f->failed)
				check(f, d, M, M, "record problem", 1, 0);
			if (!o.held)
				oracle_book(&g_ledgers[d], &o, h->m0, o_month_first(M) + 24);
			else
				oracle_hold(&g_ledgers[d], &o, M, &c->oracle);
			if (f->failed)
				break;
		}
		/* as payrun does: the run saw the income up to here, and the
		 * packs made on the way are kept (settle_store.h), so that later
		 * months read packed records */
		if (rc == 0)
			rc = run_saw(st, M - h->m0 + 1, settle_source_income_upto(src), &err);
		if (rc == 0)
			rc = settle_source_keep_packs(src, &err);
		settle_source_free(src);
		ledger_free(led);
		settle_result_release(&res);
		if (rc < 0) {
			store_rollback(st);
			goto fail;
		}
		if (ledger_release(st, M - h->m0 + 1, fdate(b2, o_month_first(M) + 24), &err) < 0 ||
		    run_record(st, M - h->m0 + 1, M, "RELEASED", &err) < 0 || store_commit(st, &err) < 0) {
			store_rollback(st);
			goto fail;
		}
		g_runs++;
		if (f->failed) {
			rc = 1;
			goto out;
		}
	}
	/* rules.md §5a: what the store released per year and per grant */
	if (h->buffer != H_BUFFER_UIT && check_buffer_store(st, h, f)) {
		rc = 1;
		goto out;
	}
	g_dossier_months += months_final;
	rc = 0;
	goto out;
fail_io:
	br_error_set(&err, BR_EIO, "writing the history files: %s", strerror(errno));
fail:
	fprintf(stderr, "seed %llu: %s\n", (unsigned long long)h->seed, err.msg);
	rc = -1;
out:
	store_close(st);
	return rc;
}

/* ---- main ---------------------------------------------------------------- */

static void report(const struct h_history *h, const struct cfg *c, const struct failure *f, const char *home)
{
	char b1[24], b2[16], e[32], o[32];
	int money = strcmp(f->field, "active days") && strcmp(f->field, "held") && strcmp(f->field, "active in run") &&
		    strncmp(f->field, "month only", 10) && strcmp(f->field, "record problem") &&
		    strncmp(f->field, "BUFFER job (", 12) && strncmp(f->field, "BUFFER job open", 15) &&
		    strncmp(f->field, "BUFFER grant", 12) && strncmp(f->field, "BUFFER AFW", 10) &&
		    strcmp(f->field, "BUFFER_VOORSTEL month") && strncmp(f->field, "grants", 6) &&
		    strncmp(f->field, "a grant", 7);

	fprintf(stderr, "MISMATCH seed=%llu dossier=%s run=%s month=%s field=%s engine=%s oracle=%s%s\n",
		(unsigned long long)h->seed, h->nummer[f->dossier], fmonth(b1, f->run), fmonth(b2, f->month), f->field,
		money ? fmoney(e, f->engine) : (sprintf(e, "%lld", (long long)f->engine), e),
		money ? fmoney(o, f->oracle) : (sprintf(o, "%lld", (long long)f->oracle), o),
		c->gen.late_original ? "" : " (HISTORY_LATE_ORIGINAL=0)");
	fprintf(stderr, "  reproduce: HISTORY_SEEDS=%llu%s%s%s%s HISTORY_ONLY=%d %s; files kept in %s\n",
		(unsigned long long)h->seed, c->gen.late_original ? "" : " HISTORY_LATE_ORIGINAL=0",
		c->oracle.held_june_inactive ? "" : " HISTORY_HELD_JUNE=0", c->strict ? " HISTORY_STRICT=1" : "",
		c->gen.buffer >= 0 ? (c->gen.buffer == H_BUFFER_UIT ? " HISTORY_BUFFER=uit" : c->gen.buffer ==
				      H_BUFFER_VOORSTEL ? " HISTORY_BUFFER=voorstel" : " HISTORY_BUFFER=automatisch") : "",
		c->only ? c->only : f->dossier + 1, "build/tests/history/test_history", home);
	fprintf(stderr, "  engine: betaalrun --home %s dossier %s --month %s\n", home, h->nummer[f->dossier],
		fmonth(b1, f->run));
	fputs(f->detail, stderr);
	print_history(stderr, h, f->dossier);
}

static void keep_only(struct h_history *h, int d)
{
	int s, x;
	for (s = 0; s < h->n_snaps; s++)
		for (x = 0; x < h->n_dossiers; x++)
			if (x != d)
				h->snaps[s].d[x].present = 0;
	for (x = 0; x < h->n_signals; x++)
		if (h->signals[x].dossier != d)
			h->signals[x].arrive = h->m1 + 100, h->signals[x].close = 0;
}

static uint64_t fresh_seed(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000003u) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 20);
}

int main(void)
{
	static struct h_history h;
	struct cfg c;
	struct br_error err;
	uint64_t seeds[100000];
	int n_seeds = 0, passed = 0, failed = 0, broken = 0, i;
	const char *e, *tmp = getenv("TMPDIR");
	char path[4200], xsd[4200], base[4200];
	time_t t0 = time(NULL);

	memset(&c, 0, sizeof(c));
	br_error_clear(&err);
	if (!getenv("BETAALRUN_LOG"))
		log_set_level(LOG_ERROR);
	snprintf(c.src, sizeof(c.src), "%s", (e = getenv("BR_SOURCE_DIR")) && *e ? e : BR_SOURCE_DIR);
	snprintf(c.data, sizeof(c.data), "%s/data", c.src);
	c.gen.late_original = !((e = getenv("HISTORY_LATE_ORIGINAL")) && strcmp(e, "0") == 0);
	/* rules.md §2: VT a held June run kept back is paid by the next run, also
	 * when June itself has no active days (fixed; HISTORY_HELD_JUNE=0 is the
	 * older reading) */
	c.oracle.held_june_inactive = !((e = getenv("HISTORY_HELD_JUNE")) && atoi(e) == 0);
	c.gen.dagen = (e = getenv("HISTORY_DAGEN")) && *e ? atoi(e) : -1;
	c.gen.min_dossiers = 14;
	c.gen.max_dossiers = 24;
	if ((e = getenv("HISTORY_DOSSIERS")) && *e)
		sscanf(e, "%d-%d", &c.gen.min_dossiers, &c.gen.max_dossiers);
	c.oracle.dagen_order = (e = getenv("HISTORY_DAGEN_ORDER")) && *e ? atoi(e) : 2;
	c.oracle.claim_since_stand = !((e = getenv("HISTORY_CLAIM_PEIL")) && strcmp(e, "latest") == 0);
	/* the engine no longer infers a held June run from the ledger: it reads
	 * the run's own record (HISTORY_ENGINE_VT=1 is the old inference) */
	c.oracle.vt_unpaid_june = (e = getenv("HISTORY_ENGINE_VT")) && atoi(e) > 0;
	/* HISTORY_STRICT=1: the literal readings where rules.md is silent */
	if ((e = getenv("HISTORY_STRICT")) && atoi(e) > 0) {
		c.strict = 1;
		c.oracle.claim_since_stand = 0;
		c.oracle.work_per_person = 1;
	}
	/* rules.md §5a (issue 16): the setting per seed at random, or forced */
	c.gen.buffer = -1;
	if ((e = getenv("HISTORY_BUFFER")) && *e) {
		for (i = 0; i < 3; i++)
			if (strcmp(e, BUFFER[i]) == 0)
				c.gen.buffer = i;
		if (c.gen.buffer < 0) {
			fprintf(stderr, "HISTORY_BUFFER: uit, voorstel or automatisch\n");
			return 64;
		}
	}
	c.gen.ondergrens = (e = getenv("HISTORY_ONDERGRENS")) && *e ? atoi(e) : 0;
	if ((e = getenv("HISTORY_WORK")) && *e)
		c.oracle.work_per_person = strcmp(e, "persoon") == 0;
	c.check_run = !((e = getenv("HISTORY_RUN")) && strcmp(e, "0") == 0);
	c.verbose = (e = getenv("HISTORY_VERBOSE")) && atoi(e) > 0;
	c.only = (e = getenv("HISTORY_ONLY")) ? atoi(e) : 0;
	c.keep = getenv("HISTORY_KEEP");

	if ((e = getenv("HISTORY_SEEDS")) && *e) {
		char *endp;
		while (*e && n_seeds < (int)(sizeof(seeds) / sizeof(seeds[0]))) {
			uint64_t v = strtoull(e, &endp, 10);
			if (endp == e)
				break;
			seeds[n_seeds++] = v;
			e = endp;
			while (*e == ' ' || *e == ',')
				e++;
		}
	} else if ((e = getenv("HISTORY_COUNT")) && *e) {
		int n = atoi(e);
		const char *f1 = getenv("HISTORY_FIRST");
		uint64_t first = f1 && *f1 ? strtoull(f1, NULL, 10) : fresh_seed() % 1000000000ull;
		if (n > (int)(sizeof(seeds) / sizeof(seeds[0])))
			n = (int)(sizeof(seeds) / sizeof(seeds[0]));
		for (i = 0; i < n; i++)
			seeds[n_seeds++] = first + (uint64_t)i;
		printf("history: %d seeds from %llu\n", n, (unsigned long long)first);
	} else {
		for (i = 1; i <= FIXED_SEEDS; i++)
			seeds[n_seeds++] = (uint64_t)i;
		seeds[n_seeds++] = fresh_seed() % 1000000000ull;
		printf("history: fixed seeds 1..%d and fresh seed %llu (rerun: HISTORY_SEEDS=%llu)\n", n_seeds - 1,
		       (unsigned long long)seeds[n_seeds - 1], (unsigned long long)seeds[n_seeds - 1]);
	}
	printf("history: originals after their correction %s; held June without active days %s; readings %s\n",
	       c.gen.late_original ? "on" : "off (HISTORY_LATE_ORIGINAL=0)",
	       c.oracle.held_june_inactive ? "checked" : "not checked (HISTORY_HELD_JUNE=0)",
	       c.oracle.claim_since_stand ? "of the engine where rules.md is silent (HISTORY_STRICT=1: literal)" : "literal");
	fflush(stdout);

	snprintf(path, sizeof(path), "%.4000s/rules/regels.xml", c.data);
	snprintf(xsd, sizeof(xsd), "%.4000s/schemas/regels.xsd", c.data);
	if (rules_load(&g_rules, path, xsd, &err) < 0) {
		fprintf(stderr, "rules: %s\n", err.msg);
		return 70;
	}
	snprintf(path, sizeof(path), "%.4000s/rules/signaaltabel.xml", c.data);
	snprintf(xsd, sizeof(xsd), "%.4000s/schemas/signaaltabel.xsd", c.data);
	if (signaltable_load(&g_sig, path, xsd, &err) < 0) {
		fprintf(stderr, "signal table: %s\n", err.msg);
		return 70;
	}
	if (c.keep)
		snprintf(base, sizeof(base), "%.4000s", c.keep);
	else   /* a history is many small transactions: RAM when there is some */
		snprintf(base, sizeof(base), "%.4000s/betaalrun-history-%d",
			 tmp && *tmp ? tmp : access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (int)getpid());
	mkdirs(base);

	for (i = 0; i < n_seeds; i++) {
		struct failure f;
		char home[4300];
		int rc;

		gen_history(&h, seeds[i], &c.gen);
		if (c.only > 0 && c.only <= h.n_dossiers)
			keep_only(&h, c.only - 1);
		snprintf(home, sizeof(home), "%.4100s/seed-%llu", base, (unsigned long long)seeds[i]);
		if (c.verbose) {
			int r, late = 0, corr = 0;
			for (r = 0; r < h.n_records; r++) {
				const struct h_record *x = &h.records[r], *o;
				if (x->vervangt < 0 || x->arrive > h.m1)
					continue;
				o = &h.records[x->vervangt];
				corr++;
				late += o->arrive > x->arrive || (o->arrive == x->arrive && (o->file > x->file ||
						(o->file == x->file && o->pos > x->pos)));
			}
			printf("seed %llu: %d dossiers, %d records, %d corrections/withdrawals, %d of them before the"
			       " record they replace, %d signals, %s\n", (unsigned long long)seeds[i], h.n_dossiers,
			       h.n_records, corr, late, h.n_signals, h.dagen ? "dagen" : "einddatum");
		}
		g_buf.seeds[h.buffer]++;
		rc = run_history(&h, &c, home, &f);
		if (rc == 0) {
			passed++;
			if (!c.keep)
				rm_rf(home);
		} else if (rc > 0) {
			failed++;
			report(&h, &c, &f, home);
		} else {
			broken++;
			fprintf(stderr, "seed %llu: the history could not be run; files kept in %s\n",
				(unsigned long long)seeds[i], home);
		}
	}
	if (!failed && !broken && !c.keep)
		rmdir(base);
	printf("history: %d seeds, %ld dossier-months (final runs), %ld runs, %ld comparisons, %ld s\n", n_seeds,
	       g_dossier_months, g_runs, g_comparisons, (long)(time(NULL) - t0));
	printf("history: bufferbudget seeds uit %ld, voorstel %ld, automatisch %ld; %ld dossier-runs from 2027 with a"
	       " budget (%ld in 2028), %ld with deductions for work-income months\n", g_buf.seeds[0], g_buf.seeds[1],
	       g_buf.seeds[2], g_buf.runs, g_buf.runs_2028, g_buf.work_ded);
	printf("history: automatisch: %ld applied (%ld.%02ld), bound by what is left of the year %ld, by the floor %ld,"
	       " by work_ded %ld; %ld covering a 2026 month, %ld in 2028 after 2027 was used up; %ld with instalments,"
	       " %ld with third parties\n", g_buf.applied, g_buf.applied_cents / 100, g_buf.applied_cents % 100,
	       g_buf.bound_left, g_buf.bound_floor, g_buf.bound_work, g_buf.covered_2026, g_buf.fresh_2028,
	       g_buf.with_claims, g_buf.with_derden);
	printf("history: voorstel: %ld proposals (%ld.%02ld, %ld in a held run, %ld joined an open BUFFER job); %ld granted (%ld.%02ld: %ld in full,"
	       " %ld partly), %ld AFWIJZEN, %ld over-the-limit grants refused; %ld runs paid grants (%ld a grant"
	       " proposed in the year before)\n",
	       g_buf.proposals, g_buf.proposal_cents / 100, g_buf.proposal_cents % 100, g_buf.held_proposals,
	       g_buf.joined, g_buf.granted, g_buf.granted_cents / 100, g_buf.granted_cents % 100, g_buf.granted_full,
	       g_buf.granted_partial, g_buf.afgewezen, g_buf.probes, g_buf.grants_paid, g_buf.grants_next_year);
	if (c.verbose && (g_buf.joined || g_buf.grants_next_year))
		printf("history: first proposal that joined an open job: %s; first grant paid in a later year: %s\n",
		       g_buf.joined ? g_buf.ex_joined : "-", g_buf.grants_next_year ? g_buf.ex_next_year : "-");
	printf("%d passed, %d failed\n", passed, failed + broken);
	rules_release(&g_rules);
	signaltable_release(&g_sig);
	return failed || broken ? 1 : 0;
}

/*
 * report.c — the run report (payments.md "Run report"); the contract is in
 * report.h.
 *
 * Every file is built whole in memory (a growable buffer capped at
 * REPORT_TEXT_MAX) and then written 0600 with fsutil_write_atomic, so a
 * reader sees each file complete or not at all.  Nothing is written unless
 * the whole input passed the checks below and every text was built; the
 * CSV files are renamed into place first and rapport.html, which points
 * to them, last.
 *
 * The CSV files, one table each, in the dialect of csvout.h (excel-nl: BOM,
 * ';', decimal comma, headers in words; rfc4180: ',', decimal point,
 * headers as identifiers), CRLF line ends:
 *
 *   rapport-totalen.csv — header
 *        gemeente, gemeentenaam, regeling,
 *        then per figure F of struct report_cell: F, F vorige run, F verschil
 *      (rfc4180: F, F_vorige, F_verschil with F's identifier) with F in
 *      this order (the struct's order):
 *        dossiers, client, derden, inhoudingen, verrekend, toegevoegd,
 *        nulmaanden, opgeschort, opgeschort_bedrag, geblokkeerd,
 *        derden_niet_betaald, bufferbudget, bufferbudget_jaar
 *      One row per gemeente × regeling found in this run or in the previous
 *      one (a combination only in the previous run shows 0 now, so its
 *      disappearance is a visible change), ordered by CBS code, then PW,
 *      IOAW, IOAZ, BBZ (any other regeling after those, alphabetically).
 *      The last row is the total over all municipalities:
 *        totaal, Alle gemeenten, alle, ...
 *      Amounts in euro with two decimals, counts plain integers, verschil =
 *      this run − previous run.  Without a previous released run
 *      (previous_run_id "") the vorige and verschil fields are empty.
 *   one file per list, a row per line: dossier, gemeente, gemeentenaam,
 *      then kenmerk and/or reden as the kind has them, and bedrag:
 *        rapport-aangehouden.csv          reden, bedrag (what the hold withholds)
 *        rapport-geblokkeerd.csv          reden, bedrag (not paid)
 *        rapport-derden-niet-betaald.csv  kenmerk, reden, bedrag
 *        rapport-inhoudingen.csv          kenmerk, bedrag
 *        rapport-teruggeboekt.csv         betaling aan ("cliënt" or "derde
 *                                         KENMERK"), reden, bedrag: booked
 *                                         back by the bank since the previous
 *                                         run (its dossier need not be in
 *                                         this run)
 *      Rows ordered by gemeente, dossier, then the caller's order.  An empty
 *      list still has its header row.  Lists carry no total row: the
 *      administration books every data row, and a total would be booked
 *      twice.  Reasons are in Dutch (reden_nl.h).
 *   Text fields that start with = + - or @ get a leading apostrophe, so a
 *   spreadsheet shows them as text and never evaluates them.
 *
 * rapport.html — one self-contained HTML5 file in UTF-8, markup that is
 * also well-formed XML (so `xmllint --noout` checks it): inline <style>, no
 * script, no external reference of any kind, all text Dutch.  In this
 * order: the title and "stand bij voorbereiding op <datum>" (the report is
 * the state at preparation, report.h), a summary (run, maand, status at
 * preparation, uitvoerdatum, transactions, total, previous run); what
 * needs action, open: counts and amounts of held dossiers, blocked
 * payments, payments booked back and third-party payments not made, then
 * each list; the routine
 * part: all municipalities together (the total with this run, the
 * previous run and the change, then a column per regeling with this run
 * and the change), then per municipality in a closed <details> its table
 * and an inline SVG bar chart (paid to clients, paid to third parties,
 * withheld on claims: this run against the previous run), and the claim
 * instalments in a closed <details>.  A figure table keeps to about 1100
 * pixels with a previous run beside it, so a 1280-pixel screen shows the
 * Totaal columns without scrolling.  Every text is escaped (& < > " ').
 *
 * The chart's geometry is integer arithmetic on cents: the largest of the
 * municipality's bars is SVG_BAR_MAX pixels wide, any other bar
 * round(cents × SVG_BAR_MAX / largest) — at least one pixel when it is not
 * zero, none when it is not positive.  No float anywhere in this file.
 *
 * Checks before a byte is written (all BR_EINTERNAL — they find bugs
 * upstream, never input errors):
 *   - every string field is NUL-terminated inside its array; amounts within
 *     ±MONEY_MAX_CENTS, counts 0..MONEY_MAX_CENTS, totals without overflow;
 *     no gemeente × regeling twice in one run;
 *   - no BSN: a dossier number, kenmerk, reason, gemeente or regeling code,
 *     maand, status or uitvoerdatum holding a run of nine or more ASCII
 *     digits refuses the whole report (the message names the field and the
 *     line, never the digits).  Amounts are not text and are not checked;
 *     run ids are identifiers the pipeline makes and are not checked;
 *   - the lists are complete: per municipality the instalments add up to
 *     Σ inhouding_cents, there are Σ held hold lines adding up to
 *     Σ held_cents, Σ blocked blocked lines and Σ derden_skipped lines of
 *     third-party payments not made.  A list that misses a line would let
 *     the administration miss a booking; the report refuses instead.
 * Text is made safe for both formats on the way out: control characters
 * (C0, DEL, C1) become spaces, bytes that are not UTF-8 and Unicode
 * noncharacters become U+FFFD.
 *
 * Memory: an output buffer per file and the model's index arrays, freed
 * before return.
 */
#include "report.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "error.h"
#include "fsutil.h"
#include "money.h"
#include "reden_nl.h"
#include "textbuf.h"
#include "textsafe.h"
#include "banned.h"

#define REPORT_TEXT_MAX ((size_t)512 * 1024 * 1024) /* per file */
#define AMT_NL (MONEY_FMT_MAX + 8)
#define COUNT_FMT_MAX 32
#define BSN_RUN 9              /* digits in a BSN */
#define COL_LABEL_MAX 48

/* The chart (pixels). */
#define SVG_LABEL_W 180        /* category labels left of the bars */
#define SVG_BAR_MAX 360        /* the largest bar */
#define SVG_VALUE_W 150        /* the amount written after a bar */
#define SVG_WIDTH (SVG_LABEL_W + SVG_BAR_MAX + SVG_VALUE_W)
#define SVG_BAR_H 16
#define SVG_BAR_GAP 3
#define SVG_GROUP_GAP 14
#define SVG_LEGEND_H 26
#define SVG_COLOR_NU "#1f5f99"
#define SVG_COLOR_VORIG "#a7bfd8"

/* ---- the figures of a cell, in struct report_cell order ---------------- */

enum fig {
	F_DOSSIERS, F_CLIENT, F_DERDEN, F_INHOUDING, F_VERREKEND, F_TOEGEVOEGD,
	F_NUL, F_HELD, F_HELD_CENTS, F_BLOCKED, F_DERDEN_SKIPPED, F_BUFFER, F_BUFFER_YEAR, F_COUNT
};

static const struct {
	const char *csv;    /* CSV column name */
	const char *label;  /* HTML row label */
	int money;          /* cents, else a count */
} fig_def[F_COUNT] = {
	{ "dossiers", "Dossiers", 0 },
	{ "client", "Betaald aan cli\xc3\xabnten", 1 },
	{ "derden", "Betaald aan derden", 1 },
	{ "inhoudingen", "Ingehouden op vorderingen", 1 },
	{ "verrekend", "Verrekend inkomen", 1 },
	{ "toegevoegd", "Nabetaald (positieve verschillen)", 1 },
	{ "nulmaanden", "Maanden van \xe2\x82\xac 0", 0 },
	{ "opgeschort", "Opgeschorte dossiers", 0 },
	{ "opgeschort_bedrag", "Ingehouden door opschorting", 1 },
	{ "geblokkeerd", "Geblokkeerde betalingen", 0 },
	{ "derden_niet_betaald", "Betalingen aan derden niet gedaan", 0 },
	{ "bufferbudget", "Bufferbudget (art. 34b Pw)", 1 },
	{ "bufferbudget_jaar", "Bufferbudget dit jaar tot en met deze run", 1 },
};

static void cell_values(int64_t v[F_COUNT], const struct report_cell *c)
{
	v[F_DOSSIERS] = (int64_t)c->dossiers;
	v[F_CLIENT] = c->client_cents;
	v[F_DERDEN] = c->derden_cents;
	v[F_INHOUDING] = c->inhouding_cents;
	v[F_VERREKEND] = c->verrekend_cents;
	v[F_TOEGEVOEGD] = c->toegevoegd_cents;
	v[F_NUL] = (int64_t)c->nul;
	v[F_HELD] = (int64_t)c->held;
	v[F_HELD_CENTS] = c->held_cents;
	v[F_BLOCKED] = (int64_t)c->blocked;
	v[F_DERDEN_SKIPPED] = (int64_t)c->derden_skipped;
	v[F_BUFFER] = c->buffer_cents;
	v[F_BUFFER_YEAR] = c->buffer_year_cents;
}

/* ---- municipalities and regelingen ------------------------------------- */

static const struct { const char *code, *naam; } gemeenten[] = {
	{ "0498", "Drechterland" }, { "0388", "Enkhuizen" }, { "0405", "Hoorn" },
	{ "1598", "Koggenland" },   { "0420", "Medemblik" }, { "0432", "Opmeer" },
	{ "0532", "Stede Broec" },
};

const char *report_gemeente_naam(const char *cbs)
{
	size_t i;

	for (i = 0; cbs && i < sizeof(gemeenten) / sizeof(gemeenten[0]); i++)
		if (strcmp(cbs, gemeenten[i].code) == 0)
			return gemeenten[i].naam;
	return NULL;
}

const char *report_gemeente_at(size_t i)
{
	return i < sizeof(gemeenten) / sizeof(gemeenten[0]) ? gemeenten[i].code : NULL;
}

static const char *naam_of(const char *cbs)
{
	const char *n = report_gemeente_naam(cbs);

	return n ? n : "onbekende gemeente";
}

/* PW, IOAW, IOAZ, BBZ in the order the pipeline lists them; others after. */
static int regeling_rank(const char *r)
{
	static const char *const order[] = { "PW", "IOAW", "IOAZ", "BBZ" };
	int i;

	for (i = 0; i < 4; i++)
		if (strcmp(r, order[i]) == 0)
			return i;
	return 4;
}

static int key_cmp(const char *g1, const char *r1, const char *g2, const char *r2)
{
	int c = strcmp(g1, g2), k1, k2;

	if (c)
		return c;
	k1 = regeling_rank(r1);
	k2 = regeling_rank(r2);
	if (k1 != k2)
		return k1 < k2 ? -1 : 1;
	return strcmp(r1, r2);
}

/* ---- text ------------------------------------------------------------- */

static void html(struct textbuf *b, const char *s) { textsafe_put(b, s, TEXTSAFE_HTML); }

static const char *fmt_count(char buf[COUNT_FMT_MAX], int64_t v, int plus)
{
	/* "1.234.567": '.' groups thousands, as money_format_nl does */
	char tmp[COUNT_FMT_MAX];
	char *end = tmp + sizeof(tmp) - 1, *p = end;
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int group = 0;

	*p = '\0';
	do {
		if (group == 3) {
			*--p = '.';
			group = 0;
		}
		*--p = (char)('0' + mag % 10);
		mag /= 10;
		group++;
	} while (mag);
	snprintf(buf, COUNT_FMT_MAX, "%s%s", v < 0 ? "-" : (plus && v > 0 ? "+" : ""), p);
	return buf;
}

/* A figure for people: "€ 1.234,56" or "1.234"; a change gets a '+'. */
static const char *fmt_nl(char buf[AMT_NL], int64_t v, int money, int change)
{
	char c[COUNT_FMT_MAX];

	if (!money) {
		snprintf(buf, AMT_NL, "%s", fmt_count(c, v, change));
		return buf;
	}
	if (change && v > 0) {
		buf[0] = '+';
		money_format_nl(buf + 1, AMT_NL - 1, v);
	} else {
		money_format_nl(buf, AMT_NL, v);
	}
	return buf;
}

/* ---- checks ------------------------------------------------------------- */

static int field_ok(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

static int has_digit_run(const char *s)
{
	int run = 0;

	for (; *s; s++) {
		run = (*s >= '0' && *s <= '9') ? run + 1 : 0;
		if (run >= BSN_RUN)
			return 1;
	}
	return 0;
}

/* The text of a field: terminated, and no BSN-like digit run.  `what`
 * and `where` name the field without quoting it. */
static int check_text(const char *s, size_t cap, const char *what, const char *where,
		      size_t idx, struct br_error *err)
{
	if (!field_ok(s, cap))
		return br_error_set(err, BR_EINTERNAL,
				    "rapport: %s van %s %zu is niet afgesloten; rapport niet geschreven",
				    what, where, idx);
	if (has_digit_run(s))
		return br_error_set(err, BR_EINTERNAL,
				    "rapport: %s van %s %zu bevat %d of meer cijfers achter elkaar "
				    "(een BSN?); rapport niet geschreven", what, where, idx, BSN_RUN);
	return 0;
}

static int check_amount(int64_t v, int money)
{
	if (money)
		return v >= -MONEY_MAX_CENTS && v <= MONEY_MAX_CENTS;
	return v >= 0 && v <= MONEY_MAX_CENTS;
}

static int check_cell(const struct report_cell *c, const char *where, size_t idx,
		      struct br_error *err)
{
	int64_t v[F_COUNT];
	int rc, f;

	if ((rc = check_text(c->gemeente, sizeof(c->gemeente), "gemeente", where, idx, err)) < 0 ||
	    (rc = check_text(c->regeling, sizeof(c->regeling), "regeling", where, idx, err)) < 0)
		return rc;
	if (!c->gemeente[0] || !c->regeling[0])
		return br_error_set(err, BR_EINTERNAL,
				    "rapport: %s %zu heeft geen gemeente of regeling; rapport niet geschreven",
				    where, idx);
	cell_values(v, c);
	for (f = 0; f < F_COUNT; f++)
		if (!check_amount(v[f], fig_def[f].money))
			return br_error_set(err, BR_EINTERNAL,
					    "rapport: %s van %s %zu (%s %s) valt buiten het bereik; "
					    "rapport niet geschreven", fig_def[f].csv, where, idx,
					    c->gemeente, c->regeling);
	return 0;
}

/* dst += src, each figure within ±MONEY_MAX_CENTS (operands are, so the
 * sum cannot overflow int64 before the check). */
static int add_values(int64_t dst[F_COUNT], const int64_t src[F_COUNT], struct br_error *err)
{
	int f;

	for (f = 0; f < F_COUNT; f++) {
		int64_t s = dst[f] + src[f];

		if (s > MONEY_MAX_CENTS || s < -MONEY_MAX_CENTS)
			return br_error_set(err, BR_EINTERNAL,
					    "rapport: het totaal van %s loopt over; rapport niet geschreven",
					    fig_def[f].csv);
		dst[f] = s;
	}
	return 0;
}

/* ---- rows: this run and the previous one side by side ------------------- */

struct row {
	const char *gemeente, *regeling;   /* borrowed from a cell */
	int64_t cur[F_COUNT], prev[F_COUNT];
};

struct ent {                /* a cell of either run, for the merge */
	const struct report_cell *c;
	int is_prev;
};

static int ent_cmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	int c = key_cmp(x->c->gemeente, x->c->regeling, y->c->gemeente, y->c->regeling);

	if (c)
		return c;
	return x->is_prev - y->is_prev;
}

/* A municipality: rows[first .. first+n), its totals and its lines. */
struct grp {
	const char *gemeente;
	size_t first, n;
	int64_t cur[F_COUNT], prev[F_COUNT];
	int64_t line_inh_cents, line_hold_cents;
	int64_t line_hold, line_blocked, line_dskip;
};

static int grp_find(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const struct grp *)elem)->gemeente);
}

struct line_ref {
	const struct report_line *l;
	size_t idx;
};

static int line_cmp(const void *a, const void *b)
{
	const struct line_ref *x = a, *y = b;
	int c = strcmp(x->l->gemeente, y->l->gemeente);

	if (!c)
		c = strcmp(x->l->dossier, y->l->dossier);
	if (!c)
		c = x->idx < y->idx ? -1 : x->idx > y->idx;
	return c;
}

struct model {
	const struct report *r;
	int has_prev;
	struct row *rows; size_t n_rows;
	struct grp *grps; size_t n_grps;
	struct line_ref *lines;            /* sorted */
	int64_t tot_cur[F_COUNT], tot_prev[F_COUNT];
	int64_t dskip_cents, blocked_cents, booked_cents; /* list totals, bounded */
};

static void model_release(struct model *m)
{
	free(m->rows);
	free(m->grps);
	free(m->lines);
	memset(m, 0, sizeof(*m));
}

static int build_rows(struct model *m, struct br_error *err)
{
	const struct report *r = m->r;
	struct ent *e = NULL;
	size_t n = r->n_cells + r->n_prev, i, j;
	int rc = 0;

	if (n < r->n_cells || n > SIZE_MAX / sizeof(*e) || n > SIZE_MAX / sizeof(struct row)) {
		rc = br_error_set(err, BR_EINTERNAL, "rapport: te veel cellen");
		goto out;
	}
	if (n == 0)
		goto out;
	if (!(e = malloc(n * sizeof(*e))) || !(m->rows = malloc(n * sizeof(struct row)))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het opbouwen van het rapport");
		goto out;
	}
	for (i = 0; i < r->n_cells; i++) {
		e[i].c = &r->cells[i];
		e[i].is_prev = 0;
	}
	for (i = 0; i < r->n_prev; i++) {
		e[r->n_cells + i].c = &r->prev[i];
		e[r->n_cells + i].is_prev = 1;
	}
	qsort(e, n, sizeof(*e), ent_cmp);
	for (i = 0; i < n; i = j) {
		struct row *w = &m->rows[m->n_rows++];

		memset(w, 0, sizeof(*w));
		w->gemeente = e[i].c->gemeente;
		w->regeling = e[i].c->regeling;
		for (j = i; j < n && key_cmp(e[j].c->gemeente, e[j].c->regeling,
					     w->gemeente, w->regeling) == 0; j++) {
			if (j > i && e[j].is_prev == e[j - 1].is_prev) {
				rc = br_error_set(err, BR_EINTERNAL,
						  "rapport: %s %s komt twee keer voor in de %s run; "
						  "rapport niet geschreven", w->gemeente, w->regeling,
						  e[j].is_prev ? "vorige" : "huidige");
				goto out;
			}
			cell_values(e[j].is_prev ? w->prev : w->cur, e[j].c);
		}
	}
out:
	free(e);
	return rc;
}

static int build_groups(struct model *m, struct br_error *err)
{
	size_t i;
	int rc = 0;

	if (m->n_rows == 0)
		return 0;
	if (!(m->grps = calloc(m->n_rows, sizeof(*m->grps))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het opbouwen van het rapport");
	for (i = 0; i < m->n_rows && rc == 0; i++) {
		struct grp *g;

		if (m->n_grps == 0 || strcmp(m->grps[m->n_grps - 1].gemeente, m->rows[i].gemeente)) {
			g = &m->grps[m->n_grps++];
			g->gemeente = m->rows[i].gemeente;
			g->first = i;
		}
		g = &m->grps[m->n_grps - 1];
		g->n++;
		if ((rc = add_values(g->cur, m->rows[i].cur, err)) < 0 ||
		    (rc = add_values(g->prev, m->rows[i].prev, err)) < 0 ||
		    (rc = add_values(m->tot_cur, m->rows[i].cur, err)) < 0 ||
		    (rc = add_values(m->tot_prev, m->rows[i].prev, err)) < 0)
			break;
	}
	return rc;
}

static const char *list_name(enum report_line_kind k)
{
	switch (k) {
	case REPORT_INHOUDING: return "inhoudingen";
	case REPORT_HOLD: return "opschortingen";
	case REPORT_BLOCKED: return "geblokkeerd";
	case REPORT_DERDEN_SKIPPED: return "derden_niet_betaald";
	case REPORT_BOOKED_BACK: return "teruggeboekt";
	}
	return "?";
}

/* *sum += the line's amount, within ±MONEY_MAX_CENTS (both operands are,
 * so the addition itself cannot overflow). */
static int add_line(int64_t *sum, const struct report_line *l, size_t idx, struct br_error *err)
{
	int64_t s = *sum + l->amount_cents;

	if (s > MONEY_MAX_CENTS || s < -MONEY_MAX_CENTS)
		return br_error_set(err, BR_EINTERNAL,
				    "rapport: het totaal van de lijst %s loopt over bij regel %zu; "
				    "rapport niet geschreven", list_name(l->kind), idx);
	*sum = s;
	return 0;
}

/* Check every line, tally it against its municipality, sort the index. */
static int build_lines(struct model *m, struct br_error *err)
{
	const struct report *r = m->r;
	size_t i;
	int rc = 0;

	if (r->n_lines == 0)
		return 0;
	if (r->n_lines > SIZE_MAX / sizeof(*m->lines))
		return br_error_set(err, BR_EINTERNAL, "rapport: te veel regels");
	if (!(m->lines = malloc(r->n_lines * sizeof(*m->lines))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het opbouwen van het rapport");
	for (i = 0; i < r->n_lines; i++) {
		const struct report_line *l = &r->lines[i];
		struct grp *g;

		if (l->kind != REPORT_INHOUDING && l->kind != REPORT_HOLD &&
		    l->kind != REPORT_BLOCKED && l->kind != REPORT_DERDEN_SKIPPED &&
		    l->kind != REPORT_BOOKED_BACK)
			return br_error_set(err, BR_EINTERNAL,
					    "rapport: regel %zu heeft een onbekende soort %d; rapport niet geschreven",
					    i, (int)l->kind);
		if ((rc = check_text(l->dossier, sizeof(l->dossier), "dossier", "regel", i, err)) < 0 ||
		    (rc = check_text(l->gemeente, sizeof(l->gemeente), "gemeente", "regel", i, err)) < 0 ||
		    (rc = check_text(l->kenmerk, sizeof(l->kenmerk), "kenmerk", "regel", i, err)) < 0 ||
		    (rc = check_text(l->reden, sizeof(l->reden), "reden", "regel", i, err)) < 0)
			return rc;
		if (!check_amount(l->amount_cents, 1))
			return br_error_set(err, BR_EINTERNAL,
					    "rapport: het bedrag van regel %zu (%s) valt buiten het bereik; "
					    "rapport niet geschreven", i, list_name(l->kind));
		m->lines[i].l = l;
		m->lines[i].idx = i;
		/* booked back: a payment of an earlier run, whose dossier need
		 * not be in this one; no figure counts it */
		if (l->kind == REPORT_BOOKED_BACK) {
			if ((rc = add_line(&m->booked_cents, l, i, err)) < 0)
				return rc;
			continue;
		}
		g = m->n_grps ? bsearch(l->gemeente, m->grps, m->n_grps, sizeof(*m->grps), grp_find)
			      : NULL;
		if (!g)
			return br_error_set(err, BR_EINTERNAL,
					    "rapport: regel %zu (%s) noemt gemeente '%s', die in deze run "
					    "geen cijfers heeft; rapport niet geschreven",
					    i, list_name(l->kind), l->gemeente);
		switch (l->kind) {
		case REPORT_INHOUDING: rc = add_line(&g->line_inh_cents, l, i, err); break;
		case REPORT_HOLD:
			rc = add_line(&g->line_hold_cents, l, i, err);
			g->line_hold++;
			break;
		case REPORT_BLOCKED:
			rc = add_line(&m->blocked_cents, l, i, err);
			g->line_blocked++;
			break;
		case REPORT_DERDEN_SKIPPED:
			rc = add_line(&m->dskip_cents, l, i, err);
			g->line_dskip++;
			break;
		case REPORT_BOOKED_BACK:
			break;      /* counted above */
		}
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < m->n_grps; i++) {
		const struct grp *g = &m->grps[i];
		const char *bad = NULL;

		if (g->line_inh_cents != g->cur[F_INHOUDING])
			bad = "de vermelde termijnen tellen niet op tot inhoudingen";
		else if (g->line_hold != g->cur[F_HELD])
			bad = "het aantal vermelde opschortingen wijkt af van opgeschort";
		else if (g->line_hold_cents != g->cur[F_HELD_CENTS])
			bad = "de vermelde opschortingen tellen niet op tot opgeschort_bedrag";
		else if (g->line_blocked != g->cur[F_BLOCKED])
			bad = "het aantal vermelde geblokkeerde dossiers wijkt af van geblokkeerd";
		else if (g->line_dskip != g->cur[F_DERDEN_SKIPPED])
			bad = "het aantal vermelde betalingen aan derden wijkt af van "
			      "derden_niet_betaald";
		if (bad)
			return br_error_set(err, BR_EINTERNAL,
					    "rapport: gemeente %s: %s; rapport niet geschreven",
					    g->gemeente, bad);
	}
	qsort(m->lines, r->n_lines, sizeof(*m->lines), line_cmp);
	return 0;
}

static int check_report(const struct report *r, struct br_error *err)
{
	size_t i;
	int rc = 0;

	if (!field_ok(r->run_id, sizeof(r->run_id)) ||
	    !field_ok(r->previous_run_id, sizeof(r->previous_run_id)))
		return br_error_set(err, BR_EINTERNAL, "rapport: run-id niet afgesloten");
	if ((rc = check_text(r->maand, sizeof(r->maand), "maand", "run", 0, err)) < 0 ||
	    (rc = check_text(r->status, sizeof(r->status), "status", "run", 0, err)) < 0 ||
	    (rc = check_text(r->uitvoerdatum, sizeof(r->uitvoerdatum), "uitvoerdatum", "run", 0,
			     err)) < 0 ||
	    (rc = check_text(r->opgesteld, sizeof(r->opgesteld), "opgesteld", "run", 0, err)) < 0)
		return rc;
	if ((r->n_cells && !r->cells) || (r->n_prev && !r->prev) || (r->n_lines && !r->lines))
		return br_error_set(err, BR_EINTERNAL, "rapport: NULL-array met een aantal");
	if (!r->previous_run_id[0] && r->n_prev)
		return br_error_set(err, BR_EINTERNAL,
				    "rapport: cijfers van een vorige run zonder haar run-id; "
				    "rapport niet geschreven");
	if (r->csv != CSV_EXCEL_NL && r->csv != CSV_RFC4180)
		return br_error_set(err, BR_EINTERNAL, "rapport: onbekend CSV-dialect %d", (int)r->csv);
	if (r->n_tx < 0 || !check_amount(r->total_cents, 1))
		return br_error_set(err, BR_EINTERNAL,
				    "rapport: aantal transacties of totaal valt buiten het bereik");
	for (i = 0; i < r->n_cells && rc == 0; i++)
		rc = check_cell(&r->cells[i], "cel", i, err);
	for (i = 0; i < r->n_prev && rc == 0; i++)
		rc = check_cell(&r->prev[i], "vorige cel", i, err);
	return rc;
}

/* ---- the CSV files ----------------------------------------------------- */

/* A header field: the person's words for excel-nl, the program's for
 * rfc4180. */
static void csv_head(struct csvout *c, const char *person, const char *program)
{
	csvout_text(c, c->dialect == CSV_EXCEL_NL ? person : program);
}

static void csv_head3(struct csvout *c, const char *person, const char *program, const char *suffix_p,
		      const char *suffix_m)
{
	char h[COL_LABEL_MAX * 2];

	if (c->dialect == CSV_EXCEL_NL)
		snprintf(h, sizeof(h), "%s%s", person, suffix_p);
	else
		snprintf(h, sizeof(h), "%s%s", program, suffix_m);
	csvout_text(c, h);
}

static void csv_figure(struct csvout *c, int64_t v, int money)
{
	if (money)
		csvout_money(c, v);
	else
		csvout_count(c, v);
}

static void csv_totals_row(struct csvout *c, const struct model *m, const char *gemeente,
			   const char *naam, const char *regeling,
			   const int64_t cur[F_COUNT], const int64_t prev[F_COUNT])
{
	int f;

	csvout_text(c, gemeente);
	csvout_text(c, naam);
	csvout_text(c, regeling);
	for (f = 0; f < F_COUNT; f++) {
		int mo = fig_def[f].money;

		csv_figure(c, cur[f], mo);
		if (m->has_prev) {
			csv_figure(c, prev[f], mo);
			csv_figure(c, cur[f] - prev[f], mo);
		} else {
			csvout_empty(c);
			csvout_empty(c);
		}
	}
	csvout_end_row(c);
}

static void build_csv_totals(struct textbuf *b, const struct model *m)
{
	struct csvout c;
	size_t i;
	int f;

	csvout_begin(&c, b, m->r->csv);
	csv_head(&c, "Gemeente", "gemeente");
	csv_head(&c, "Gemeentenaam", "gemeentenaam");
	csv_head(&c, "Regeling", "regeling");
	for (f = 0; f < F_COUNT; f++) {
		csv_head3(&c, fig_def[f].label, fig_def[f].csv, "", "");
		csv_head3(&c, fig_def[f].label, fig_def[f].csv, " vorige run", "_vorige");
		csv_head3(&c, fig_def[f].label, fig_def[f].csv, " verschil", "_verschil");
	}
	csvout_end_row(&c);
	for (i = 0; i < m->n_rows; i++) {
		const struct row *w = &m->rows[i];

		csv_totals_row(&c, m, w->gemeente, naam_of(w->gemeente), w->regeling, w->cur, w->prev);
	}
	csv_totals_row(&c, m, "totaal", "Alle gemeenten", "alle", m->tot_cur, m->tot_prev);
}

/* One list as its own file: dossier, gemeente, gemeentenaam, then what
 * the kind has of kenmerk, reden, bedrag.  No total row: the
 * administration books every row, and a total would be booked twice. */
static void build_csv_list(struct textbuf *b, const struct model *m, enum report_line_kind kind)
{
	const int kenmerk = kind != REPORT_HOLD && kind != REPORT_BLOCKED;
	const int reden = kind != REPORT_INHOUDING;
	char nl[sizeof(((struct report_line *)0)->reden) * 2];
	struct csvout c;
	size_t i;

	csvout_begin(&c, b, m->r->csv);
	csv_head(&c, "Dossier", "dossier");
	csv_head(&c, "Gemeente", "gemeente");
	csv_head(&c, "Gemeentenaam", "gemeentenaam");
	if (kenmerk && kind == REPORT_BOOKED_BACK)
		csv_head(&c, "Betaling aan", "betaling_aan");
	else if (kenmerk)
		csv_head(&c, "Kenmerk", "kenmerk");
	if (reden)
		csv_head(&c, "Reden", "reden");
	csv_head(&c, "Bedrag", "bedrag");
	csvout_end_row(&c);
	for (i = 0; i < m->r->n_lines; i++) {
		const struct report_line *l = m->lines[i].l;

		if (l->kind != kind)
			continue;
		csvout_text(&c, l->dossier);
		csvout_text(&c, l->gemeente);
		csvout_text(&c, naam_of(l->gemeente));
		if (kenmerk)
			csvout_text(&c, l->kenmerk);
		if (reden)
			csvout_text(&c, reden_nl(nl, sizeof(nl), l->reden));
		csvout_money(&c, l->amount_cents);
		csvout_end_row(&c);
	}
}

/* ---- rapport.html ------------------------------------------------------- */

/*
 * Fits a 1280-pixel screen with a previous run beside: the figure tables
 * put the total first (this run, previous run, change: three columns) and
 * give each regeling one column holding this run with the change under it
 * (the previous run's figure per regeling is in rapport-totalen.csv).
 */
static const char html_style[] =
	"body{font-family:system-ui,\"Segoe UI\",Roboto,Arial,sans-serif;color:#1b1b1b;"
	"margin:1.5rem auto;max-width:76rem;padding:0 1rem;line-height:1.4}\n"
	"h1{font-size:1.6rem;margin-bottom:.5rem}\n"
	"h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:2px solid #1f5f99;"
	"padding-bottom:.2rem}\n"
	"h3{font-size:1.05rem;margin-top:1.5rem}\n"
	"table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.88rem}\n"
	"th,td{padding:.25rem .5rem;border-bottom:1px solid #d6dde5;text-align:left;"
	"vertical-align:top}\n"
	"thead th{background:#eef3f8;border-bottom:2px solid #9fb3c8}\n"
	"td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
	"td.dossier{white-space:nowrap}\n"
	"td.vorig{color:#555}\n"
	"td.verschil{color:#555;font-style:italic}\n"
	"td.tot{background:#f5f8fb}\n"
	"span.vs{display:block;color:#555;font-style:italic;font-size:.8rem}\n"
	"tr.totaal td,tr.totaal th{font-weight:bold;border-top:2px solid #9fb3c8}\n"
	"table.samenvatting th{font-weight:normal;color:#555;padding-right:2rem}\n"
	".breed{overflow-x:auto}\n"
	".stand{background:#eef3f8;border:1px solid #9fb3c8;padding:.5rem 1rem}\n"
	".proef{background:#fff4d6;border:1px solid #e0b84c;padding:.5rem 1rem}\n"
	"section.actie{border-left:4px solid #c0392b;padding-left:1rem}\n"
	"details{margin:.5rem 0}\n"
	"summary{cursor:pointer;font-weight:bold;padding:.3rem 0}\n"
	"svg{display:block;margin:.5rem 0 1rem;max-width:100%;height:auto}\n"
	"svg text{font-family:system-ui,\"Segoe UI\",Roboto,Arial,sans-serif;font-size:12px;"
	"fill:#1b1b1b}\n"
	"footer{margin-top:3rem;color:#555;font-size:.85rem}\n"
	"@media print{body{margin:0;max-width:none}.breed{overflow:visible}}\n";

static const char *const maand_naam[12] = {
	"januari", "februari", "maart", "april", "mei", "juni",
	"juli", "augustus", "september", "oktober", "november", "december"
};

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* "2026-12" → "december 2026"; anything else as given. */
static void html_maand(struct textbuf *b, const char *maand)
{
	int mon;

	if (strlen(maand) == 7 && all_digits(maand, 4) && maand[4] == '-' &&
	    all_digits(maand + 5, 2)) {
		mon = (maand[5] - '0') * 10 + (maand[6] - '0');
		if (mon >= 1 && mon <= 12) {
			textbuf_printf(b, "%s %.4s", maand_naam[mon - 1], maand);
			return;
		}
	}
	html(b, maand);
}

/* "2026-12-24" → "24-12-2026", "2026-12-07T07:05:00" → "07-12-2026 om
 * 07:05"; anything else as given. */
static void html_datum(struct textbuf *b, const char *d)
{
	size_t n = strlen(d);

	if ((n == 10 || (n == 19 && d[10] == 'T' && all_digits(d + 11, 2) && d[13] == ':' &&
			 all_digits(d + 14, 2))) &&
	    all_digits(d, 4) && d[4] == '-' && all_digits(d + 5, 2) && d[7] == '-' &&
	    all_digits(d + 8, 2)) {
		textbuf_printf(b, "%.2s-%.2s-%.4s", d + 8, d + 5, d);
		if (n == 19)
			textbuf_printf(b, " om %.5s", d + 11);
		return;
	}
	html(b, d);
}

struct col {
	char label[COL_LABEL_MAX];
	const int64_t *cur, *prev;
	int wide;                 /* this run, previous run, change in three columns */
};

/* One figure of a column: three cells (wide), or one with the change
 * under this run's figure. */
static void html_fig_cells(struct textbuf *b, const struct model *m, const struct col *c, int f)
{
	char v[AMT_NL];
	int mo = fig_def[f].money;

	if (c->wide) {
		textbuf_puts(b, "<td class=\"n tot\">");
		html(b, fmt_nl(v, c->cur[f], mo, 0));
		textbuf_puts(b, "</td>");
		if (!m->has_prev)
			return;
		textbuf_puts(b, "<td class=\"n vorig\">");
		html(b, fmt_nl(v, c->prev[f], mo, 0));
		textbuf_puts(b, "</td><td class=\"n verschil\">");
		html(b, fmt_nl(v, c->cur[f] - c->prev[f], mo, 1));
		textbuf_puts(b, "</td>");
		return;
	}
	textbuf_puts(b, "<td class=\"n\">");
	html(b, fmt_nl(v, c->cur[f], mo, 0));
	if (m->has_prev) {
		textbuf_puts(b, "<span class=\"vs\">");
		html(b, fmt_nl(v, c->cur[f] - c->prev[f], mo, 1));
		textbuf_puts(b, "</span>");
	}
	textbuf_puts(b, "</td>");
}

/* A table: a row per figure, a column (group) per `cols` entry. */
static void html_fig_table(struct textbuf *b, const struct model *m, const struct col *cols,
			   size_t n_cols, const char *caption)
{
	size_t c;
	int f;

	textbuf_puts(b, "<div class=\"breed\"><table class=\"cijfers\">\n<caption>");
	html(b, caption);
	textbuf_puts(b, "</caption>\n<thead>\n<tr><th scope=\"col\" rowspan=\"2\">Cijfer</th>");
	for (c = 0; c < n_cols; c++) {
		textbuf_printf(b, "<th scope=\"col\" colspan=\"%d\" class=\"n\">",
			       cols[c].wide && m->has_prev ? 3 : 1);
		html(b, cols[c].label);
		textbuf_puts(b, "</th>");
	}
	textbuf_puts(b, "</tr>\n<tr>");
	for (c = 0; c < n_cols; c++) {
		if (!cols[c].wide) {
			textbuf_puts(b, m->has_prev ? "<th scope=\"col\" class=\"n\">deze run<span "
				     "class=\"vs\">verschil</span></th>"
				     : "<th scope=\"col\" class=\"n\">deze run</th>");
			continue;
		}
		textbuf_puts(b, "<th scope=\"col\" class=\"n\">deze run</th>");
		if (m->has_prev)
			textbuf_puts(b, "<th scope=\"col\" class=\"n\">vorige run</th>"
				   "<th scope=\"col\" class=\"n\">verschil</th>");
	}
	textbuf_puts(b, "</tr>\n</thead>\n<tbody>\n");
	for (f = 0; f < F_COUNT; f++) {
		textbuf_puts(b, "<tr><th scope=\"row\">");
		html(b, fig_def[f].label);
		textbuf_puts(b, "</th>");
		for (c = 0; c < n_cols; c++)
			html_fig_cells(b, m, &cols[c], f);
		textbuf_puts(b, "</tr>\n");
	}
	textbuf_puts(b, "</tbody>\n</table></div>\n");
}

static int64_t bar_px(int64_t cents, int64_t max_cents)
{
	int64_t w;

	if (cents <= 0 || max_cents <= 0)
		return 0;
	/* cents ≤ MONEY_MAX_CENTS (10^14): × 360 stays far below 2^63 */
	w = (cents * SVG_BAR_MAX + max_cents / 2) / max_cents;
	return w < 1 ? 1 : w;
}

static void svg_bar(struct textbuf *b, int y, int64_t cents, int64_t max_cents, const char *color)
{
	char v[AMT_NL];
	int64_t w = bar_px(cents, max_cents);

	textbuf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%lld\" height=\"%d\" fill=\"%s\"/>",
		  SVG_LABEL_W, y, (long long)w, SVG_BAR_H, color);
	textbuf_printf(b, "<text x=\"%lld\" y=\"%d\">", (long long)(SVG_LABEL_W + w + 6),
		  y + SVG_BAR_H - 4);
	html(b, money_format_nl(v, sizeof(v), cents));
	textbuf_puts(b, "</text>\n");
}

static void html_chart(struct textbuf *b, const struct model *m, const struct grp *g, size_t gi)
{
	static const enum fig cat[3] = { F_CLIENT, F_DERDEN, F_INHOUDING };
	static const char *const cat_label[3] = {
		"Aan cli\xc3\xabnten", "Aan derden", "Ingehouden op vorderingen"
	};
	const int bars = m->has_prev ? 2 : 1;
	const int grp_h = bars * SVG_BAR_H + (bars - 1) * SVG_BAR_GAP;
	const int height = SVG_LEGEND_H + 3 * grp_h + 2 * SVG_GROUP_GAP + 4;
	const char *caption = m->has_prev ? ": betaald en ingehouden, deze run en vorige run"
					  : ": betaald en ingehouden in deze run";
	int64_t max_cents = 0;
	int i, y;

	for (i = 0; i < 3; i++) {
		if (g->cur[cat[i]] > max_cents)
			max_cents = g->cur[cat[i]];
		if (m->has_prev && g->prev[cat[i]] > max_cents)
			max_cents = g->prev[cat[i]];
	}
	textbuf_printf(b, "<svg id=\"grafiek-%zu\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		     "role=\"img\" aria-label=\"", gi, SVG_WIDTH, height, SVG_WIDTH, height);
	html(b, naam_of(g->gemeente));
	textbuf_puts(b, caption);
	textbuf_puts(b, "\">\n<title>");
	html(b, naam_of(g->gemeente));
	textbuf_puts(b, caption);
	textbuf_puts(b, "</title>\n");
	/* legend */
	textbuf_printf(b, "<rect x=\"%d\" y=\"4\" width=\"12\" height=\"12\" fill=\"%s\"/>"
		     "<text x=\"%d\" y=\"15\">deze run</text>\n",
		  SVG_LABEL_W, SVG_COLOR_NU, SVG_LABEL_W + 18);
	if (m->has_prev)
		textbuf_printf(b, "<rect x=\"%d\" y=\"4\" width=\"12\" height=\"12\" fill=\"%s\"/>"
			     "<text x=\"%d\" y=\"15\">vorige run</text>\n",
			  SVG_LABEL_W + 110, SVG_COLOR_VORIG, SVG_LABEL_W + 128);
	y = SVG_LEGEND_H;
	for (i = 0; i < 3; i++) {
		textbuf_printf(b, "<text x=\"0\" y=\"%d\">", y + grp_h / 2 + 4);
		html(b, cat_label[i]);
		textbuf_puts(b, "</text>\n");
		svg_bar(b, y, g->cur[cat[i]], max_cents, SVG_COLOR_NU);
		if (m->has_prev)
			svg_bar(b, y + SVG_BAR_H + SVG_BAR_GAP, g->prev[cat[i]], max_cents,
				SVG_COLOR_VORIG);
		y += grp_h + SVG_GROUP_GAP;
	}
	textbuf_puts(b, "</svg>\n");
}

/* Number and total of a list. */
static void list_tally(const struct model *m, enum report_line_kind kind, int64_t *n, int64_t *sum)
{
	size_t i;

	*n = *sum = 0;
	for (i = 0; i < m->r->n_lines; i++)
		if (m->lines[i].l->kind == kind) {
			(*n)++;
			*sum += m->lines[i].l->amount_cents; /* ≤ MONEY_MAX_CENTS: build_lines */
		}
}

/* The rows of a list, with a total row. */
static void html_list_table(struct textbuf *b, const struct model *m, enum report_line_kind kind)
{
	const int kenmerk = kind != REPORT_HOLD && kind != REPORT_BLOCKED;
	const int reden = kind != REPORT_INHOUDING;
	char v[AMT_NL], c[COUNT_FMT_MAX], nl[sizeof(((struct report_line *)0)->reden) * 2];
	int64_t n, sum;
	size_t i;

	list_tally(m, kind, &n, &sum);
	textbuf_puts(b, "<div class=\"breed\"><table>\n<thead><tr><th scope=\"col\">Dossier</th>"
		   "<th scope=\"col\">Gemeente</th>");
	if (kenmerk)
		textbuf_puts(b, kind == REPORT_BOOKED_BACK ? "<th scope=\"col\">Betaling aan</th>"
			     : "<th scope=\"col\">Kenmerk</th>");
	if (reden)
		textbuf_puts(b, "<th scope=\"col\">Reden</th>");
	textbuf_puts(b, "<th scope=\"col\" class=\"n\">Bedrag</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < m->r->n_lines && !b->rc; i++) {
		const struct report_line *l = m->lines[i].l;

		if (l->kind != kind)
			continue;
		textbuf_puts(b, "<tr><td class=\"dossier\">");
		html(b, l->dossier);
		textbuf_puts(b, "</td><td>");
		html(b, naam_of(l->gemeente));
		textbuf_puts(b, "</td>");
		if (kenmerk) {
			textbuf_puts(b, "<td>");
			html(b, l->kenmerk);
			textbuf_puts(b, "</td>");
		}
		if (reden) {
			textbuf_puts(b, "<td>");
			html(b, reden_nl(nl, sizeof(nl), l->reden));
			textbuf_puts(b, "</td>");
		}
		textbuf_puts(b, "<td class=\"n\">");
		html(b, money_format_nl(v, sizeof(v), l->amount_cents));
		textbuf_puts(b, "</td></tr>\n");
	}
	textbuf_printf(b, "</tbody>\n<tfoot><tr class=\"totaal\"><td colspan=\"%d\">Totaal: ",
		  2 + kenmerk + reden);
	html(b, fmt_count(c, n, 0));
	textbuf_puts(b, "</td><td class=\"n\">");
	html(b, money_format_nl(v, sizeof(v), sum));
	textbuf_puts(b, "</td></tr></tfoot>\n</table></div>\n");
}

/* A list that needs action: always open, "none" when empty. */
static void html_action_list(struct textbuf *b, const struct model *m, enum report_line_kind kind,
			     const char *title, const char *none)
{
	int64_t n, sum;

	list_tally(m, kind, &n, &sum);
	textbuf_printf(b, "<h3 id=\"%s\">", list_name(kind));
	html(b, title);
	textbuf_puts(b, "</h3>\n");
	if (n == 0) {
		textbuf_puts(b, "<p>");
		html(b, none);
		textbuf_puts(b, "</p>\n");
		return;
	}
	html_list_table(b, m, kind);
}

static int col_cmp(const void *a, const void *b)
{
	return key_cmp("", ((const struct col *)a)->label, "", ((const struct col *)b)->label);
}

/* The table for all municipalities: the grand total first, then a column
 * per regeling (PW, IOAW, IOAZ, BBZ, others).  `cols` has room for
 * n_rows + 1 entries. */
static int html_all_table(struct textbuf *b, const struct model *m, struct col *cols,
			  struct br_error *err)
{
	int64_t (*sum)[2][F_COUNT] = NULL;
	struct col *regs = cols + 1;
	size_t i, j, n_regs = 0;
	int rc = 0;

	memset(cols, 0, (m->n_rows + 1) * sizeof(*cols));
	for (i = 0; i < m->n_rows; i++) {
		for (j = 0; j < n_regs; j++)
			if (strcmp(regs[j].label, m->rows[i].regeling) == 0)
				break;
		if (j == n_regs)
			snprintf(regs[n_regs++].label, COL_LABEL_MAX, "%s", m->rows[i].regeling);
	}
	if (n_regs)
		qsort(regs, n_regs, sizeof(*regs), col_cmp);
	if (!(sum = calloc(n_regs + 1, sizeof(*sum)))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het opbouwen van het rapport");
		goto out;
	}
	for (i = 0; i < m->n_rows; i++)
		for (j = 0; j < n_regs; j++)
			if (strcmp(regs[j].label, m->rows[i].regeling) == 0) {
				if ((rc = add_values(sum[j][0], m->rows[i].cur, err)) < 0 ||
				    (rc = add_values(sum[j][1], m->rows[i].prev, err)) < 0)
					goto out;
				break;
			}
	for (j = 0; j < n_regs; j++) {
		regs[j].cur = sum[j][0];
		regs[j].prev = sum[j][1];
	}
	snprintf(cols[0].label, COL_LABEL_MAX, "Totaal");
	cols[0].cur = m->tot_cur;
	cols[0].prev = m->tot_prev;
	cols[0].wide = 1;
	html_fig_table(b, m, cols, n_regs + 1, "Alle gemeenten: totaal en per regeling");
out:
	free(sum);
	return rc;
}

/* The run's state as the preparation left it, in words. */
static const char *status_nl(const char *status)
{
	if (strcmp(status, "PREPARED") == 0)
		return "voorbereid, wacht op goedkeuring";
	if (strcmp(status, "DRY-RUN") == 0)
		return "proefrun, niets geboekt";
	return status;
}

static void html_head(struct textbuf *b, const struct model *m)
{
	const struct report *r = m->r;
	char v[AMT_NL], c[COUNT_FMT_MAX];

	textbuf_puts(b, "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
		   "<title>Rapport betaalrun ");
	html_maand(b, r->maand);
	textbuf_puts(b, " (");
	html(b, r->run_id);
	textbuf_printf(b, ")</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>Rapport betaalrun ",
		  html_style);
	html_maand(b, r->maand);
	textbuf_puts(b, "</h1>\n<p class=\"stand\"><strong>Stand bij voorbereiding op ");
	html_datum(b, r->opgesteld[0] ? r->opgesteld : "?");
	textbuf_puts(b, ".</strong> Dit rapport wordt daarna niet bijgewerkt: of de run is "
		   "goedgekeurd, vrijgegeven of geannuleerd, toont <code>betaalrun runs</code>.</p>\n");
	if (strcmp(r->status, "DRY-RUN") == 0)
		textbuf_puts(b, "<p class=\"proef\">Proefrun: er is niets geboekt, getekend of "
			   "betaald.</p>\n");
	textbuf_puts(b, "<table class=\"samenvatting\">\n<tbody>\n<tr><th scope=\"row\">Run</th><td>");
	html(b, r->run_id);
	textbuf_puts(b, "</td></tr>\n<tr><th scope=\"row\">Maand</th><td>");
	html_maand(b, r->maand);
	textbuf_puts(b, "</td></tr>\n<tr><th scope=\"row\">Status bij voorbereiding</th><td>");
	html(b, status_nl(r->status));
	textbuf_puts(b, "</td></tr>\n<tr><th scope=\"row\">Uitvoerdatum</th><td>");
	html_datum(b, r->uitvoerdatum);
	textbuf_puts(b, "</td></tr>\n<tr><th scope=\"row\">Transacties</th><td class=\"n\">");
	html(b, fmt_count(c, (int64_t)r->n_tx, 0));
	textbuf_puts(b, "</td></tr>\n<tr><th scope=\"row\">Totaal</th><td class=\"n\">");
	html(b, money_format_nl(v, sizeof(v), r->total_cents));
	textbuf_puts(b, "</td></tr>\n<tr><th scope=\"row\">Vergeleken met</th><td>");
	if (m->has_prev)
		html(b, r->previous_run_id);
	else
		textbuf_puts(b, "geen vorige vrijgegeven run");
	textbuf_puts(b, "</td></tr>\n</tbody>\n</table>\n");
}

/* What needs someone's action, first: counts and amounts, then the lists. */
#define N_ACTION 4

static void html_action(struct textbuf *b, const struct model *m)
{
	static const struct { enum report_line_kind kind; const char *title, *none; } act[N_ACTION] = {
		{ REPORT_HOLD, "Opgeschorte dossiers", "Geen opgeschorte dossiers." },
		{ REPORT_BLOCKED, "Geblokkeerde betalingen", "Geen geblokkeerde betalingen." },
		{ REPORT_BOOKED_BACK, "Teruggeboekt door de bank",
		  "De bank heeft niets teruggeboekt sinds de vorige vrijgegeven run." },
		{ REPORT_DERDEN_SKIPPED, "Betalingen aan derden niet gedaan",
		  "Alle betalingen aan derden zijn gedaan." },
	};
	char v[AMT_NL], c[COUNT_FMT_MAX];
	int64_t n, sum;
	int i;

	textbuf_puts(b, "<section class=\"actie\">\n<h2 id=\"actie\">Actie nodig</h2>\n"
		   "<table class=\"actie\">\n<thead><tr><th scope=\"col\">Wat</th>"
		   "<th scope=\"col\" class=\"n\">Aantal</th><th scope=\"col\" class=\"n\">Bedrag</th>"
		   "</tr></thead>\n<tbody>\n");
	for (i = 0; i < N_ACTION; i++) {
		list_tally(m, act[i].kind, &n, &sum);
		textbuf_printf(b, "<tr><th scope=\"row\"><a href=\"#%s\">", list_name(act[i].kind));
		html(b, act[i].title);
		textbuf_puts(b, "</a></th><td class=\"n\">");
		html(b, fmt_count(c, n, 0));
		textbuf_puts(b, "</td><td class=\"n\">");
		html(b, money_format_nl(v, sizeof(v), sum));
		textbuf_puts(b, "</td></tr>\n");
	}
	textbuf_puts(b, "</tbody>\n</table>\n");
	for (i = 0; i < N_ACTION; i++)
		html_action_list(b, m, act[i].kind, act[i].title, act[i].none);
	textbuf_puts(b, "</section>\n");
}

/* Per municipality, collapsed: its table (its total first when it has
 * more than one regeling) and its chart. */
static void html_municipalities(struct textbuf *b, const struct model *m, struct col *cols)
{
	char v[AMT_NL], cap[COL_LABEL_MAX * 2];
	size_t i, j, n_cols;

	textbuf_puts(b, "<h2 id=\"per-gemeente\">Per gemeente</h2>\n");
	for (i = 0; i < m->n_grps; i++) {
		const struct grp *g = &m->grps[i];

		n_cols = 0;
		if (g->n > 1) {
			memset(&cols[0], 0, sizeof(cols[0]));
			snprintf(cols[0].label, COL_LABEL_MAX, "Totaal");
			cols[0].cur = g->cur;
			cols[0].prev = g->prev;
			cols[0].wide = 1;
			n_cols = 1;
		}
		for (j = 0; j < g->n; j++) {
			const struct row *w = &m->rows[g->first + j];

			memset(&cols[n_cols], 0, sizeof(cols[0]));
			snprintf(cols[n_cols].label, COL_LABEL_MAX, "%s", w->regeling);
			cols[n_cols].cur = w->cur;
			cols[n_cols].prev = w->prev;
			cols[n_cols].wide = g->n == 1;
			n_cols++;
		}
		textbuf_printf(b, "<details id=\"gemeente-%zu\">\n<summary>", i);
		html(b, g->gemeente);
		textbuf_puts(b, " ");
		html(b, naam_of(g->gemeente));
		textbuf_puts(b, ": aan cli\xc3\xabnten ");
		html(b, money_format_nl(v, sizeof(v), g->cur[F_CLIENT]));
		textbuf_puts(b, ", aan derden ");
		html(b, money_format_nl(v, sizeof(v), g->cur[F_DERDEN]));
		textbuf_puts(b, "</summary>\n");
		snprintf(cap, sizeof(cap), "%s per regeling", naam_of(g->gemeente));
		html_fig_table(b, m, cols, n_cols, cap);
		html_chart(b, m, g, i);
		textbuf_puts(b, "</details>\n");
	}
}

static int build_html(struct textbuf *b, const struct model *m, struct br_error *err)
{
	struct col *cols = NULL;
	char v[AMT_NL], c[COUNT_FMT_MAX];
	int64_t n, sum;
	int rc = 0;

	/* at most one column per row, plus a total */
	if (!(cols = calloc(m->n_rows + 1, sizeof(*cols)))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het opbouwen van het rapport");
		goto out;
	}
	html_head(b, m);
	html_action(b, m);

	/* the routine part: the figures, per municipality collapsed */
	textbuf_puts(b, "<h2 id=\"alle-gemeenten\">Alle gemeenten</h2>\n");
	if ((rc = html_all_table(b, m, cols, err)) < 0)
		goto out;
	html_municipalities(b, m, cols);

	textbuf_printf(b, "<h2 id=\"%s\">Inhoudingen op vorderingen</h2>\n",
		       list_name(REPORT_INHOUDING));
	list_tally(m, REPORT_INHOUDING, &n, &sum);
	if (n == 0) {
		textbuf_puts(b, "<p>Geen inhoudingen in deze run.</p>\n");
	} else {
		textbuf_puts(b, "<details>\n<summary>");
		html(b, fmt_count(c, n, 0));
		textbuf_puts(b, n == 1 ? " inhouding, " : " inhoudingen, ");
		html(b, money_format_nl(v, sizeof(v), sum));
		textbuf_puts(b, "</summary>\n");
		html_list_table(b, m, REPORT_INHOUDING);
		textbuf_puts(b, "</details>\n");
	}
	textbuf_puts(b, "<footer><p>Bedragen in euro. Verschil = deze run min de vorige vrijgegeven "
		   "run. Dossiers staan met hun dossiernummer vermeld. De tabellen staan ook in de "
		   "CSV-bestanden rapport-*.csv naast dit rapport.</p></footer>\n"
		   "</body>\n</html>\n");
out:
	free(cols);
	return rc ? rc : b->rc;
}

/* ---- entry -------------------------------------------------------------- */

/* The files in the order they are written: the CSV files first, the HTML
 * that points to them last. */
static const char *const report_files[REPORT_N_FILES] = {
	"rapport-totalen.csv", "rapport-aangehouden.csv", "rapport-geblokkeerd.csv",
	"rapport-derden-niet-betaald.csv", "rapport-inhoudingen.csv", "rapport-teruggeboekt.csv",
	"rapport.html",
};

const char *report_file_name(size_t i)
{
	return i < REPORT_N_FILES ? report_files[i] : NULL;
}

int report_write(const char *dir, const struct report *r, struct br_error *err)
{
	static const enum report_line_kind list_of[REPORT_N_FILES - 2] = {
		REPORT_HOLD, REPORT_BLOCKED, REPORT_DERDEN_SKIPPED, REPORT_INHOUDING, REPORT_BOOKED_BACK
	};
	struct model m;
	struct textbuf t[REPORT_N_FILES];
	char path[FSUTIL_PATH_MAX];
	size_t i;
	int rc;

	for (i = 0; i < REPORT_N_FILES; i++)
		textbuf_init(&t[i], REPORT_TEXT_MAX, report_files[i], err);
	memset(&m, 0, sizeof(m));
	if (!dir || !r) {
		rc = br_error_set(err, BR_EINTERNAL, "report_write: NULL argument");
		goto out;
	}
	m.r = r;
	if ((rc = check_report(r, err)) < 0)
		goto out;
	m.has_prev = r->previous_run_id[0] != '\0';
	if ((rc = build_rows(&m, err)) < 0 || (rc = build_groups(&m, err)) < 0 ||
	    (rc = build_lines(&m, err)) < 0)
		goto out;
	build_csv_totals(&t[0], &m);
	for (i = 0; i < REPORT_N_FILES - 2; i++)
		build_csv_list(&t[1 + i], &m, list_of[i]);
	if ((rc = build_html(&t[REPORT_N_FILES - 1], &m, err)) < 0)
		goto out;
	for (i = 0; i < REPORT_N_FILES; i++)
		if ((rc = t[i].rc) < 0)
			goto out;
	for (i = 0; i < REPORT_N_FILES; i++)
		if ((rc = fsutil_join(path, sizeof(path), dir, report_files[i], err)) < 0 ||
		    (rc = fsutil_write_atomic(path, t[i].p ? t[i].p : "", t[i].len, 0600, err)) < 0)
			goto out;
out:
	for (i = 0; i < REPORT_N_FILES; i++)
		textbuf_release(&t[i]);
	model_release(&m);
	return rc;
}

/*
 * specification.c — the payment specification per dossier; see
 * specification.h for the layout and the privacy rules, rules.md for the
 * calculation each block shows.
 *
 * Every line goes through one place (put_line): control characters become
 * spaces, runs of nine or more digits are masked, and text is wrapped so no
 * line exceeds SPECIFICATION_LINE_MAX.  Amounts come only from the engine's
 * result; the few steps shown as formulas (kostendelersnorm, pro rata,
 * woonkostenverlaging, net income) use the engine's own functions and
 * numbers, never a float.
 */
#include "specification.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "iban.h"
#include "money.h"
#include "rules.h"
#include "settle.h"

#include "banned.h"

#define TEXT_W 78        /* wrap width; rows end their amount here */
#define AMOUNT_W 16      /* right-aligned amount column */
#define TEXT_MAX 1024    /* one formatted paragraph, before wrapping */
#define AMT (MONEY_FMT_MAX + 8)
#define MONTHNAME_MAX 24 /* "september 2026" */
#define DMY_MAX 16       /* "DD-MM-YYYY" */
#define IBAN_SHOWN_MAX 48
#define LHNR_MAX 48
#define PCT_MAX 24
#define MONTHLIST_MAX 400

struct spec {
	FILE *out;
	int failed;
};

/* ---- text helpers ------------------------------------------------------- */

static const char *const maand_naam[12] = {
	"januari", "februari", "maart", "april", "mei", "juni",
	"juli", "augustus", "september", "oktober", "november", "december"
};

static int32_t floor_div12(int32_t m) { return m >= 0 ? m / 12 : -((-m + 11) / 12); }

/* "januari 2026" */
static const char *fmt_month(char buf[MONTHNAME_MAX], int32_t month)
{
	int32_t y = floor_div12(month);
	int mon = (int)(month - y * 12);

	snprintf(buf, MONTHNAME_MAX, "%s %d", maand_naam[mon], (int)y);
	return buf;
}

/* "DD-MM-YYYY" */
static const char *fmt_date(char buf[DMY_MAX], int32_t day)
{
	int y, m, d;

	if (day == DATE_NONE) {
		snprintf(buf, DMY_MAX, "-");
		return buf;
	}
	date_to_ymd(day, &y, &m, &d);
	snprintf(buf, DMY_MAX, "%02d-%02d-%04d", d, m, y);
	return buf;
}

static const char *eur(char buf[AMT], int64_t cents)
{
	return money_format_nl(buf, AMT, cents);
}

/* An exact ratio as a Dutch percentage: 25/100 → "25%", 125/1000 → "12,5%";
 * up to three decimals, trailing zeros dropped (integers only). */
static const char *fmt_pct(char buf[PCT_MAX], int64_t num, int64_t den)
{
	int64_t milli, whole, frac;
	int digits = 3;

	if (den <= 0 || num < 0) {
		snprintf(buf, PCT_MAX, "?%%");
		return buf;
	}
	milli = money_mul_ratio(num, 100000, den); /* percent × 1000, rounded */
	whole = milli / 1000;
	frac = milli % 1000;
	while (digits > 0 && frac % 10 == 0 && frac != 0) {
		frac /= 10;
		digits--;
	}
	if (frac == 0)
		snprintf(buf, PCT_MAX, "%lld%%", (long long)whole);
	else
		snprintf(buf, PCT_MAX, "%lld,%0*lld%%", (long long)whole, digits, (long long)frac);
	return buf;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* The loonheffingennummer in its written form, 123456789L01 →
 * 1234.56.789.L.01; anything else as given (put_line still guards it). */
static const char *fmt_lhnr(char buf[LHNR_MAX], const char *lhnr)
{
	size_t i;

	if (!lhnr || !*lhnr) {
		snprintf(buf, LHNR_MAX, "onbekend");
		return buf;
	}
	if (strlen(lhnr) == 12 && lhnr[9] == 'L' && is_digit(lhnr[10]) && is_digit(lhnr[11])) {
		for (i = 0; i < 9 && is_digit(lhnr[i]); i++)
			;
		if (i == 9) {
			snprintf(buf, LHNR_MAX, "%.4s.%.2s.%.3s.L.%.2s", lhnr, lhnr + 4, lhnr + 6, lhnr + 10);
			return buf;
		}
	}
	snprintf(buf, LHNR_MAX, "%s", lhnr);
	return buf;
}

/* The IBAN as on a statement, in groups of four, with all but the first
 * eight and the last four characters masked (specification.h). */
static const char *fmt_iban(char buf[IBAN_SHOWN_MAX], const char *iban)
{
	size_t n = strlen(iban), i, o = 0;

	for (i = 0; i < n && i < IBAN_MAX && o + 2 < IBAN_SHOWN_MAX; i++) {
		if (i && i % 4 == 0)
			buf[o++] = ' ';
		buf[o++] = (i < 8 || i + 4 >= n) ? iban[i] : '*';
	}
	buf[o] = '\0';
	return buf;
}

static const char *gemeente_naam(const char *cbs)
{
	static const struct { const char *code, *naam; } g[] = {
		{ "0498", "Drechterland" }, { "0388", "Enkhuizen" }, { "0405", "Hoorn" },
		{ "1598", "Koggenland" },   { "0420", "Medemblik" }, { "0432", "Opmeer" },
		{ "0532", "Stede Broec" },
	};
	size_t i;

	for (i = 0; cbs && i < sizeof(g) / sizeof(g[0]); i++)
		if (strcmp(cbs, g[i].code) == 0)
			return g[i].naam;
	return NULL;
}

static const char *regeling_naam(enum settle_regeling r)
{
	switch (r) {
	case REGELING_PW: return "Participatiewet (PW)";
	case REGELING_IOAW: return "IOAW";
	case REGELING_IOAZ: return "IOAZ";
	case REGELING_BBZ: return "Bbz";
	}
	return "onbekend";
}

static const char *soort_naam(enum settle_soort s)
{
	switch (s) {
	case INKOMEN_ARBEID: return "loon uit arbeid";
	case INKOMEN_UITKERING: return "uitkering";
	case INKOMEN_PENSIOEN: return "pensioen";
	case INKOMEN_OVERIG: return "overig inkomen";
	}
	return "inkomen";
}

/* rules.md §2, the categories in words. */
static const char *cat_naam(enum norm_cat c)
{
	switch (c) {
	case NORM_ALLEENSTAANDE: return "alleenstaande (ouder), 21 jaar tot de AOW-leeftijd";
	case NORM_GEHUWDEN: return "gehuwden, beiden 21 jaar tot de AOW-leeftijd";
	case NORM_AOW_ALLEENSTAANDE: return "alleenstaande (ouder) met de AOW-leeftijd";
	case NORM_AOW_GEHUWDEN: return "gehuwden, een of beiden met de AOW-leeftijd";
	case NORM_JONG_ALLEENSTAANDE: return "alleenstaande (ouder) van 18 tot 21 jaar";
	case NORM_JONG_GEHUWDEN: return "gehuwden, beiden 18 tot 21 jaar, zonder kinderen";
	case NORM_JONG_GEHUWDEN_KIND: return "gehuwden, beiden 18 tot 21 jaar, met kinderen";
	case NORM_JONG_GEMENGD: return "gehuwden, een van 18 tot 21 jaar en een van 21 of ouder, "
				       "zonder kinderen";
	case NORM_JONG_GEMENGD_KIND: return "gehuwden, een van 18 tot 21 jaar en een van 21 of ouder, "
					    "met kinderen";
	case NORM_COUNT: break;
	}
	return "onbekende categorie";
}

static const char *leefvorm_naam(enum settle_leefvorm l)
{
	switch (l) {
	case LEEFVORM_ALLEENSTAAND: return "alleenstaand";
	case LEEFVORM_ALLEENSTAANDE_OUDER: return "alleenstaande ouder";
	case LEEFVORM_GEHUWD: return "gehuwd of samenwonend";
	}
	return "onbekend";
}

/* ---- output: every line passes here ------------------------------------- */

static int cont_byte(char c) { return ((unsigned char)c & 0xC0) == 0x80; }

static int cp_width(const char *s, size_t n)
{
	int w = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (!cont_byte(s[i]))
			w++;
	return w;
}

/* Control characters to spaces; every run of nine or more digits masked
 * but its last four (no BSN can leave through a name or a kenmerk). */
static void guard(char *s)
{
	size_t i, j, k;

	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			s[i] = ' ';
	for (i = 0; s[i];) {
		if (!is_digit(s[i])) {
			i++;
			continue;
		}
		for (j = i; is_digit(s[j]); j++)
			;
		if (j - i >= 9)
			for (k = i; k < j - 4; k++)
				s[k] = '*';
		i = j;
	}
}

/* Cut a formatted text that filled its buffer back to a whole UTF-8
 * character. */
static void cut_utf8(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && cont_byte(s[n - 1]))
		n--;
	if (n > 0 && ((unsigned char)s[n - 1] & 0x80))
		n--;
	s[n] = '\0';
}

/*
 * The next piece of *p that fits `width` code points: whole words, a word
 * longer than the width broken.  Leading spaces skipped, trailing spaces
 * not counted.  Sets *start; returns the piece's length in bytes, 0 at
 * the end.
 */
static size_t wrap_next(const char **p, int width, const char **start)
{
	const char *s = *p, *q, *brk = NULL, *cut;
	int w = 0;

	while (*s == ' ')
		s++;
	*start = s;
	for (q = s; *q;) {
		const char *next = q + 1;

		/* "€ 1.234,56" stays on one line */
		int breakable = *q == ' ' && !(q - s >= 3 && memcmp(q - 3, "\xe2\x82\xac", 3) == 0);

		while (*next && cont_byte(*next))
			next++;
		if (breakable)
			brk = q;
		if (w == width) {
			cut = breakable ? q : brk ? brk : q;
			*p = cut;
			while (cut > s && cut[-1] == ' ')
				cut--;
			return (size_t)(cut - s);
		}
		w++;
		q = next;
	}
	*p = q;
	cut = q;
	while (cut > s && cut[-1] == ' ')
		cut--;
	return (size_t)(cut - s);
}

static void out_bytes(struct spec *s, const char *b, size_t n)
{
	if (n && fwrite(b, 1, n, s->out) != n)
		s->failed = 1;
}

static void out_spaces(struct spec *s, int n)
{
	static const char sp[] = "                                                                                ";

	while (n > 0) {
		int k = n < (int)sizeof(sp) - 1 ? n : (int)sizeof(sp) - 1;
		out_bytes(s, sp, (size_t)k);
		n -= k;
	}
}

/* A paragraph at `indent`, wrapped; inside a block (indent > 0) its
 * continuation lines hang two further in, so items stand out. */
static void put_text(struct spec *s, int indent, const char *text)
{
	char buf[TEXT_MAX];
	const char *p = buf, *start;
	size_t n;
	int first = 1;

	snprintf(buf, sizeof(buf), "%s", text);
	cut_utf8(buf);
	guard(buf);
	if (!buf[0]) {
		out_bytes(s, "\n", 1);
		return;
	}
	while ((n = wrap_next(&p, TEXT_W - indent - (first || !indent ? 0 : 2), &start)) > 0) {
		out_spaces(s, indent + (first || !indent ? 0 : 2));
		out_bytes(s, start, n);
		out_bytes(s, "\n", 1);
		first = 0;
	}
}

static void textf(struct spec *s, int indent, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void textf(struct spec *s, int indent, const char *fmt, ...)
{
	char buf[TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put_text(s, indent, buf);
}

/* A label and an amount right-aligned at column TEXT_W; a long label is
 * wrapped and the amount goes on its last line. */
static void put_row(struct spec *s, int indent, const char *label, int64_t cents)
{
	char buf[TEXT_MAX], a[AMT];
	const char *p = buf, *start, *nstart;
	size_t n, nn;
	int cur_indent = indent, aw, pad;

	snprintf(buf, sizeof(buf), "%s", label);
	cut_utf8(buf);
	guard(buf);
	eur(a, cents);
	aw = cp_width(a, strlen(a));
	n = wrap_next(&p, TEXT_W - AMOUNT_W - 1 - indent, &start);
	for (;;) {
		nn = wrap_next(&p, TEXT_W - AMOUNT_W - 3 - indent, &nstart);
		if (nn == 0)
			break;
		out_spaces(s, cur_indent);
		out_bytes(s, start, n);
		out_bytes(s, "\n", 1);
		cur_indent = indent + 2;
		start = nstart;
		n = nn;
	}
	out_spaces(s, cur_indent);
	out_bytes(s, start, n);
	pad = TEXT_W - cur_indent - cp_width(start, n) - aw;
	out_spaces(s, pad < 1 ? 1 : pad);
	out_bytes(s, a, strlen(a));
	out_bytes(s, "\n", 1);
}

static void rowf(struct spec *s, int indent, int64_t cents, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void rowf(struct spec *s, int indent, int64_t cents, const char *fmt, ...)
{
	char buf[TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put_row(s, indent, buf, cents);
}

static void rule_line(struct spec *s, int indent, char c)
{
	char buf[TEXT_W + 1];
	int n = TEXT_W - indent;

	memset(buf, c, (size_t)n);
	buf[n] = '\0';
	out_spaces(s, indent);
	out_bytes(s, buf, (size_t)n);
	out_bytes(s, "\n", 1);
}

/* A total under a column of amounts. */
static void sum_line(struct spec *s)
{
	out_spaces(s, TEXT_W - AMOUNT_W);
	out_bytes(s, "----------------", AMOUNT_W);
	out_bytes(s, "\n", 1);
}

static void heading(struct spec *s, const char *title)
{
	out_bytes(s, "\n", 1);
	rule_line(s, 0, '-');
	put_text(s, 0, title);
	rule_line(s, 0, '-');
}

/* ---- lookups in the input --------------------------------------------- */

/* The stand in force on a month's first day, as the engine takes it. */
static const struct settle_stand *stand_for(const struct settle_input *in, int32_t month)
{
	const struct settle_stand *st = &in->stands[0];
	int32_t first = month_first_day(month);
	size_t i;

	for (i = 0; i < in->n_stands; i++)
		if (in->stands[i].vanaf <= first)
			st = &in->stands[i];
	return st;
}

static int is_couple(const struct settle_stand *st)
{
	return st->leefvorm == LEEFVORM_GEHUWD && st->has_partner;
}

static const char *claim_kenmerk(const struct specification_dossier *d,
				 const struct settle_input *in, size_t i)
{
	if (d->claim_kenmerk && d->claim_kenmerk[i])
		return d->claim_kenmerk[i];
	return in->claims[i].kenmerk;
}

static const char *claim_naam(const struct specification_dossier *d, size_t i)
{
	return d->claim_naam && d->claim_naam[i] ? d->claim_naam[i] : "vordering";
}

/* "Woningstichting X (HUUR-4411)" or "derde HUUR-4411" */
static const char *derde_label(char *buf, size_t cap, const struct specification_dossier *d,
			       const struct settle_input *in, size_t i)
{
	const char *k = d->derde_kenmerk && d->derde_kenmerk[i] ? d->derde_kenmerk[i] :
			in->derden[i].kenmerk;

	if (d->derde_naam && d->derde_naam[i] && *d->derde_naam[i])
		snprintf(buf, cap, "%s (%s)", d->derde_naam[i], k);
	else
		snprintf(buf, cap, "derde %s", k);
	return buf;
}

/* A negative booked on month k past the verrekentermijn is a claim: the
 * engine raises INKOMEN_OUD for exactly those months (a month is either
 * within the termijn or past it, for all its differences at once). */
static int month_claimed(const struct settle_result *r, int32_t k)
{
	size_t i;

	for (i = 0; i < r->n_events; i++)
		if (r->events[i].kind == EVENT_INKOMEN_OUD && r->events[i].month == k)
			return 1;
	return 0;
}

static const struct settle_month *month_in(const struct settle_result *r, int32_t k)
{
	size_t i;

	for (i = 0; i < r->n_months; i++)
		if (r->months[i].month == k)
			return &r->months[i];
	return NULL;
}

/* A booking counted in the client's sum (not a claim made of an old
 * deduction, not the client line itself). */
static int booking_in_sum(const struct settle_booking *b)
{
	switch (b->kind) {
	case BOOK_VOORSCHOT:
	case BOOK_VERSCHIL:
	case BOOK_INHOUDING:
	case BOOK_DERDEN:
	case BOOK_BUFFER:
		return 1;
	case BOOK_VT:
		return 1;
	case BOOK_VORDERING:
	case BOOK_VT_VORDERING:
	case BOOK_CLIENT:
		return 0;
	}
	return 0;
}

static int64_t booking_signed(const struct settle_booking *b)
{
	/* instalments and third parties are positive amounts taken off */
	return (b->kind == BOOK_INHOUDING || b->kind == BOOK_DERDEN) ? -b->amount_cents : b->amount_cents;
}

/* advance(M) as the engine computes it (rules.md §5 step 1). */
static int64_t advance_target(const struct settle_input *in, const struct settle_month *m)
{
	if (in->regeling != REGELING_PW || !m->rules || m->active_days == 0)
		return m->active_days == 0 ? 0 : m->norm_cents;
	return money_mul_ratio(m->norm_cents, m->rules->vt_excl_num, m->rules->vt_excl_den);
}

/* Appends "januari 2026" to a comma-separated list, ranges of consecutive
 * months as "januari 2026 t/m maart 2026". */
struct month_list {
	char buf[MONTHLIST_MAX];
	int32_t lo, hi;
	int open;
};

static void ml_flush(struct month_list *ml)
{
	char a[MONTHNAME_MAX], b[MONTHNAME_MAX];
	size_t n = strlen(ml->buf);

	if (!ml->open)
		return;
	if (ml->lo == ml->hi)
		snprintf(ml->buf + n, sizeof(ml->buf) - n, "%s%s", n ? ", " : "", fmt_month(a, ml->lo));
	else
		snprintf(ml->buf + n, sizeof(ml->buf) - n, "%s%s t/m %s", n ? ", " : "",
			 fmt_month(a, ml->lo), fmt_month(b, ml->hi));
	ml->open = 0;
}

static void ml_add(struct month_list *ml, int32_t k)
{
	if (ml->open && k == ml->hi + 1) {
		ml->hi = k;
		return;
	}
	ml_flush(ml);
	ml->lo = ml->hi = k;
	ml->open = 1;
}

/* ---- consistency: nothing is written from a result that does not add up */

static int check(const struct specification_dossier *d, const struct settle_input *in,
		 const struct settle_result *r, struct br_error *err)
{
	size_t i;
	int j;
	int64_t sum = 0, terms;

	if (!d->dossiernummer || !d->naam)
		return br_error_set(err, BR_EINTERNAL, "specificatie: dossiernummer of naam ontbreekt");
	if (r->n_months && in->n_stands == 0)
		return br_error_set(err, BR_EINTERNAL, "specificatie van %s: geen registergegevens",
				    d->dossiernummer);
	for (i = 0; i < r->n_months; i++) {
		const struct settle_month *m = &r->months[i];

		if (m->first_line < 0 || m->n_lines < 0 || (size_t)m->first_line + (size_t)m->n_lines > r->n_lines ||
		    m->first_vrij < 0 || m->n_vrij < 0 || (size_t)m->first_vrij + (size_t)m->n_vrij > r->n_vrij ||
		    m->active_days < 0 || m->active_days > m->days || (m->active_days > 0 && !m->rules) ||
		    m->days <= 0 ||
		    (unsigned)m->cat >= NORM_COUNT)
			return br_error_set(err, BR_EINTERNAL, "specificatie van %s: afrekenmaand %d "
					    "is inconsistent", d->dossiernummer, (int)i);
		for (j = 0; j < m->n_lines; j++)
			if (r->lines[m->first_line + j].income < 0 ||
			    (size_t)r->lines[m->first_line + j].income >= in->n_incomes)
				return br_error_set(err, BR_EINTERNAL, "specificatie van %s: een inkomstenregel "
						    "verwijst naar geen opgave", d->dossiernummer);
		for (j = 0; j < m->n_vrij; j++)
			if ((unsigned)r->vrij[m->first_vrij + j].code >= VRIJ_COUNT)
				return br_error_set(err, BR_EINTERNAL, "specificatie van %s: onbekende "
						    "vrijlatingcode", d->dossiernummer);
	}
	for (i = 0; i < r->n_bookings; i++) {
		const struct settle_booking *b = &r->bookings[i];

		if ((b->kind == BOOK_INHOUDING && (b->ref < 0 || (size_t)b->ref >= in->n_claims)) ||
		    (b->kind == BOOK_DERDEN && (b->ref < 0 || (size_t)b->ref >= in->n_derden)))
			return br_error_set(err, BR_EINTERNAL, "specificatie van %s: een boeking verwijst naar "
					    "geen vordering of derde", d->dossiernummer);
		if (booking_in_sum(b))
			sum += booking_signed(b);
	}
	terms = r->advance_cents + r->additions_cents + r->vt_cents + r->buffer_cents - r->deducted_cents -
		r->instalments_cents - r->derden_cents;
	if (sum != r->client_cents || terms != r->client_cents || r->client_cents < 0)
		return br_error_set(err, BR_EINTERNAL, "specificatie van %s: de boekingen (%lld) en totalen "
				    "(%lld) tellen niet op tot de %lld cent van de client", d->dossiernummer,
				    (long long)sum, (long long)terms, (long long)r->client_cents);
	return 0;
}

/* ---- header ----------------------------------------------------------- */

static void write_header(struct spec *s, const struct specification_dossier *d,
			 const struct settle_input *in, const struct settle_result *r)
{
	char mb[MONTHNAME_MAX], db[DMY_MAX], ib[IBAN_SHOWN_MAX];
	const char *g = gemeente_naam(d->gemeente);
	int32_t day;

	put_text(s, 0, "Specificatie van uw uitkering");
	put_text(s, 0, "=============================");
	put_text(s, 0, "");
	textf(s, 0, "Dossier          %s", d->dossiernummer);
	textf(s, 0, "Regeling         %s", regeling_naam(in->regeling));
	if (d->gemeente && *d->gemeente) {
		if (g)
			textf(s, 0, "Gemeente         %s (%s)", g, d->gemeente);
		else
			textf(s, 0, "Gemeente         %s", d->gemeente);
	}
	textf(s, 0, "Naam             %s", d->naam);
	if (d->partner_naam && *d->partner_naam)
		textf(s, 0, "Partner          %s", d->partner_naam);
	textf(s, 0, "Betaalmaand      %s", fmt_month(mb, r->run_month));
	if (d->uitbetaaldatum && *d->uitbetaaldatum) {
		if (strlen(d->uitbetaaldatum) == 10 &&
		    date_parse(&day, d->uitbetaaldatum, 10, NULL) == 0)
			textf(s, 0, "Uitbetaaldatum   %s", fmt_date(db, day));
		else
			textf(s, 0, "Uitbetaaldatum   %s", d->uitbetaaldatum);
	}
	if (d->iban && *d->iban)
		textf(s, 0, "Rekening         %s", fmt_iban(ib, d->iban));
	put_text(s, 0, "");
	if (in->regeling == REGELING_PW) {
		textf(s, 0, "Deze specificatie laat zien hoe uw betaling is berekend. U krijgt elke maand "
		      "een voorschot op uw bijstand (art. 52 Pw). Als uw inkomsten over een maand bekend "
		      "zijn, rekenen wij die maand opnieuw uit en verrekenen het verschil. Bedragen "
		      "\"incl. vakantietoeslag\" bevatten de vakantietoeslag die voor u wordt "
		      "gereserveerd en in %s wordt uitbetaald (art. 19(3) Pw).",
		      d->set && d->set->vt_uitbetaalmaand >= 1 && d->set->vt_uitbetaalmaand <= 12 ?
		      maand_naam[d->set->vt_uitbetaalmaand - 1] : "juni");
	} else {
		put_text(s, 0, "Deze specificatie laat zien hoe uw betaling is berekend. U krijgt elke maand "
			 "het vaste bedrag uit uw dossier; inkomsten worden niet automatisch verrekend, "
			 "uw consulent beoordeelt ze.");
	}
}

/* ---- one month ------------------------------------------------------------ */

/* The norm and how it was found (rules.md §2), ending with norm(k). */
static void write_norm(struct spec *s, const struct settle_input *in, const struct settle_month *m)
{
	const struct settle_stand *st = stand_for(in, m->month);
	const struct rule_set *rs = m->rules;
	char mb[MONTHNAME_MAX], db[DMY_MAX], db2[DMY_MAX], a1[AMT], a2[AMT];
	char hh[TEXT_MAX];
	int couple = is_couple(st);
	int32_t first = month_first_day(m->month), last = month_last_day(m->month);
	int64_t b, after_wkv;
	size_t i, n;

	fmt_month(mb, m->month);
	/* household and ages on the first active day: the conditions are taken then */
	n = (size_t)snprintf(hh, sizeof(hh), "Huishouden op %s: %s", fmt_date(db, m->first_day),
			     leefvorm_naam(st->leefvorm));
	if (st->leefvorm == LEEFVORM_GEHUWD && !st->has_partner && n < sizeof(hh))
		n += (size_t)snprintf(hh + n, sizeof(hh) - n, " (geen partner in het register: "
				      "norm voor een alleenstaande)");
	if (st->aanvrager_geb != DATE_NONE && n < sizeof(hh))
		n += (size_t)snprintf(hh + n, sizeof(hh) - n, "; u bent %d jaar",
				      date_age_years(st->aanvrager_geb, m->first_day));
	if (couple && st->partner_geb != DATE_NONE && n < sizeof(hh))
		n += (size_t)snprintf(hh + n, sizeof(hh) - n, ", uw partner %d jaar",
				      date_age_years(st->partner_geb, m->first_day));
	if (st->jongste_kind_geb != DATE_NONE && n < sizeof(hh))
		n += (size_t)snprintf(hh + n, sizeof(hh) - n, "; jongste kind %d jaar",
				      date_age_years(st->jongste_kind_geb, m->first_day));
	if (n < sizeof(hh))
		snprintf(hh + n, sizeof(hh) - n, ".");
	put_text(s, 2, hh);

	if (in->regeling != REGELING_PW) {
		rowf(s, 2, m->base_cents, "Vast bedrag per maand volgens uw dossier");
		after_wkv = m->base_cents;
	} else {
		textf(s, 2, "Normen volgens de regels geldig vanaf %s.", fmt_date(db, rs->geldig_vanaf));
		rowf(s, 2, rs->norm_cents[m->cat], "Norm %s", cat_naam(m->cat));
		textf(s, 4, "(%s)", rs->norm_bron[m->cat]);
		if (m->aow)
			put_text(s, 4, "U heeft de AOW-leeftijd bereikt: de norm voor de AOW-leeftijd geldt. "
				 "De SVB neemt uw uitkering over; uw consulent neemt contact met u op.");
		/* B of art. 22a and art. 27: gehuwden, aow_gehuwden at AOW age */
		b = (m->cat == NORM_AOW_ALLEENSTAANDE || m->cat == NORM_AOW_GEHUWDEN) ?
			rs->norm_cents[NORM_AOW_GEHUWDEN] : rs->norm_cents[NORM_GEHUWDEN];
		if (m->kostendelers_a > 0) {
			int64_t a = m->kostendelers_a;
			int64_t per_adult = couple ? m->base_cents / 2 : m->base_cents;

			textf(s, 2, "Kostendelersnorm (art. 22a Pw): u %swoont met %d kostendeler%s van 27 "
			      "jaar of ouder.", couple ? "en uw partner " : "", st->kostendelers,
			      st->kostendelers == 1 ? "" : "s");
			textf(s, 4, "A = 1 (u)%s + %d (kostendelers) = %d; B = de norm voor gehuwden%s, %s.",
			      couple ? " + 1 (partner)" : "", st->kostendelers, m->kostendelers_a,
			      m->cat == NORM_AOW_ALLEENSTAANDE || m->cat == NORM_AOW_GEHUWDEN ?
			      " met de AOW-leeftijd" : "", eur(a1, b));
			textf(s, 4, "Norm per volwassene = round(B × (%lld + %lld × A) / (%lld × A)):",
			      (long long)rs->kdn_base, (long long)rs->kdn_step, (long long)rs->kdn_den);
			rowf(s, 4, per_adult, "round(%s × %lld / %lld)", eur(a2, b),
			     (long long)(rs->kdn_base + rs->kdn_step * a), (long long)(rs->kdn_den * a));
			textf(s, 4, "(%s)", rs->kdn_bron);
			if (couple)
				rowf(s, 4, m->base_cents, "Voor u samen: 2 × %s", eur(a1, per_adult));
		} else if (m->cat == NORM_JONG_GEMENGD || m->cat == NORM_JONG_GEMENGD_KIND) {
			put_text(s, 2, "Een van u beiden is jonger dan 21 jaar: de norm voor gehuwden van wie "
				 "een jonger is dan 21 jaar geldt, zonder kostendelersnorm (art. 22a Pw).");
		} else if (st->kostendelers > 0 && (m->cat == NORM_JONG_ALLEENSTAANDE ||
						     m->cat == NORM_JONG_GEHUWDEN ||
						     m->cat == NORM_JONG_GEHUWDEN_KIND)) {
			put_text(s, 2, "Geen kostendelersnorm: die geldt pas vanaf 21 jaar (art. 22a Pw).");
		} else {
			put_text(s, 2, "Kostendelers: geen, de norm van uw categorie geldt.");
		}
		after_wkv = m->base_cents;
		if (m->wkv_cents > 0) {
			rowf(s, 2, -m->wkv_cents, "Woonkostenverlaging: %d%% van %s",
			     st->woonkostenverlaging_pct, eur(a1, b));
			textf(s, 4, "(art. 27 Pw: een percentage van de norm voor gehuwden%s)",
			      m->cat == NORM_AOW_ALLEENSTAANDE || m->cat == NORM_AOW_GEHUWDEN ?
			      " met de AOW-leeftijd" : "");
			after_wkv = m->base_cents - m->wkv_cents;
			if (after_wkv < 0) {
				after_wkv = 0;
				put_text(s, 4, "De norm wordt niet lager dan € 0,00.");
			}
			rowf(s, 2, after_wkv, "Norm na woonkostenverlaging");
		}
	}
	if (m->active_days != m->days) {
		char why[TEXT_MAX];
		size_t w = 0;

		why[0] = '\0';
		if (in->ingangsdatum > first && in->ingangsdatum <= last)
			w += (size_t)snprintf(why + w, sizeof(why) - w, "uitkering vanaf %s",
					      fmt_date(db, in->ingangsdatum));
		if (in->einddatum != DATE_NONE && in->einddatum >= first && in->einddatum < last &&
		    w < sizeof(why))
			w += (size_t)snprintf(why + w, sizeof(why) - w, "%suitkering tot en met %s",
					      w ? "; " : "", fmt_date(db, in->einddatum));
		for (i = 0; i < in->n_gaps && w < sizeof(why); i++)
			if (in->gaps[i].van <= last && in->gaps[i].tot >= first)
				w += (size_t)snprintf(why + w, sizeof(why) - w, "%sgeen recht van %s t/m %s",
						      w ? "; " : "", fmt_date(db, in->gaps[i].van),
						      fmt_date(db2, in->gaps[i].tot));
		textf(s, 2, "Dagen met recht: %d van %d dagen%s%s%s.", m->active_days, m->days,
		      why[0] ? " (" : "", why, why[0] ? ")" : "");
		rowf(s, 2, m->norm_cents, "Naar rato: round(%s × %d / %d)", eur(a1, after_wkv),
		     m->active_days, m->days);
	}
	if (in->regeling == REGELING_PW)
		rowf(s, 2, m->norm_cents, "Norm %s (incl. vakantietoeslag)", mb);
	else
		rowf(s, 2, m->norm_cents, "Bedrag %s", mb);
}

/* Every income record settled in the month (rules.md §3). */
static void write_income(struct spec *s, const struct specification_dossier *d,
			 const struct settle_input *in, const struct settle_result *r,
			 const struct settle_month *m)
{
	const struct settle_stand *st = stand_for(in, m->month);
	char mb[MONTHNAME_MAX], mb2[MONTHNAME_MAX], d1[DMY_MAX], d2[DMY_MAX], lh[LHNR_MAX];
	char a1[AMT], a2[AMT];
	int couple = is_couple(st), j;

	fmt_month(mb, m->month);
	put_text(s, 2, "Inkomsten");
	if (m->n_lines == 0) {
		textf(s, 4, "Geen inkomsten over %s bekend.", mb);
		return;
	}
	for (j = 0; j < m->n_lines; j++) {
		const struct settle_income_line *l = &r->lines[m->first_line + j];
		const struct settle_income *rec = &in->incomes[l->income];
		int32_t lo, hi;
		int total, inside;

		textf(s, 4, "%s %s (%s%s), %s t/m %s",
		      rec->soort == INKOMEN_ARBEID ? "Werkgever" : "Inhoudingsplichtige",
		      fmt_lhnr(lh, rec->lhnr), soort_naam(rec->soort),
		      couple ? (l->persoon == PERSON_PARTNER ? " van uw partner" : " van uzelf") : "",
		      fmt_date(d1, rec->dat_aanv_tv), fmt_date(d2, rec->dat_eind_tv));
		rowf(s, 6, rec->ln_lb_ph_cents, "Loon voor de loonheffingen, bruto (LnLbPh)");
		if (rec->wrd_pr_gebr_aut_cents)
			rowf(s, 6, -rec->wrd_pr_gebr_aut_cents, "Privégebruik auto (WrdPrGebrAut)");
		rowf(s, 6, -rec->ing_lb_ph_cents, "Ingehouden loonheffing (IngLbPh)");
		rowf(s, 6, -rec->bijdr_zvw_cents, "Ingehouden bijdrage Zvw (BijdrZvw)");
		if (rec->pr_wga_whk_wn_cents)
			rowf(s, 6, -rec->pr_wga_whk_wn_cents, "Premie WGA/WHK werknemer (PrWgaWhkWn)");
		rowf(s, 6, l->net_cents, "Netto inkomen");
		if (rec->vak_bsl_cents || l->net_vt_cents)
			textf(s, 6, "Waarvan vakantiebijslag: %s netto (bruto %s); die telt mee als inkomen "
			      "van de maand waarin hij valt.", eur(a1, l->net_vt_cents),
			      eur(a2, rec->vak_bsl_cents));
		rowf(s, 6, l->counted_cents, "Telt mee voor %s", mb);
		/* why a part only: the benefit period, or spread by days */
		lo = rec->dat_aanv_tv > in->ingangsdatum ? rec->dat_aanv_tv : in->ingangsdatum;
		hi = rec->dat_eind_tv;
		if (in->einddatum != DATE_NONE && in->einddatum < hi)
			hi = in->einddatum;
		total = (int)(rec->dat_eind_tv - rec->dat_aanv_tv + 1);
		inside = hi >= lo ? (int)(hi - lo + 1) : 0;
		if (inside < total)
			textf(s, 6, "Alleen inkomsten over uw uitkeringsperiode tellen mee: %d van de %d "
			      "dagen van deze periode.", inside, total);
		if (month_of(rec->dat_aanv_tv) != month_of(rec->dat_eind_tv) &&
		    d->set && d->set->toerekening_dagen)
			put_text(s, 6, "Deze periode loopt over meer maanden; het inkomen is naar dagen over "
				 "die maanden verdeeld.");
		else if (!(d->set && d->set->toerekening_dagen) && month_of(rec->dat_eind_tv) == m->month &&
			 month_of(rec->dat_aanv_tv) != m->month)
			textf(s, 6, "Het inkomen telt mee in de maand waarin de periode eindigt (%s).",
			      fmt_month(mb2, m->month));
	}
	if (in->regeling != REGELING_PW) {
		put_text(s, 4, "Deze inkomsten worden niet automatisch verrekend: uw consulent beoordeelt ze "
			 "en neemt zo nodig contact met u op.");
		return;
	}
	rowf(s, 4, m->income_cents, "Totaal inkomsten %s", mb);
}

/* Every vrijlating grant in the month, applied or not and why (rules.md §4). */
static void write_vrij(struct spec *s, const struct settle_input *in, const struct settle_result *r,
		       const struct settle_month *m)
{
	const struct settle_stand *st = stand_for(in, m->month);
	char a1[AMT], a2[AMT], pb[PCT_MAX];
	int couple = is_couple(st), j, k;

	put_text(s, 2, "Vrijlating");
	if (m->n_vrij == 0) {
		put_text(s, 4, "Er is geen vrijlating toegekend: de inkomsten tellen helemaal mee.");
		return;
	}
	/* a person with wages but no grant */
	for (k = 0; couple && k < 2; k++) {
		int has = 0;

		for (j = 0; j < m->n_vrij; j++)
			if ((int)r->vrij[m->first_vrij + j].persoon == k)
				has = 1;
		if (!has && m->arbeid_cents[k] > 0)
			textf(s, 4, "Voor %s is geen vrijlating toegekend: dat loon telt helemaal mee.",
			      k == PERSON_PARTNER ? "uw partner" : "u");
	}
	for (j = 0; j < m->n_vrij; j++) {
		const struct settle_vrij *v = &r->vrij[m->first_vrij + j];
		const struct vrij_rule *vr = &m->rules->vrij[v->code];
		int64_t arbeid = m->arbeid_cents[v->persoon == PERSON_PARTNER ? 1 : 0];
		const char *who = couple ? (v->persoon == PERSON_PARTNER ? " (partner)" : " (u)") : "";

		if (arbeid < 0)
			arbeid = 0;
		if (v->applied) {
			char cap[AMT + 16];

			if (vr->has_cap)
				snprintf(cap, sizeof(cap), ", maximaal %s", eur(a2, vr->cap_cents));
			else
				cap[0] = '\0';
			rowf(s, 4, v->amount_cents, "Vrijlating %s%s", vrij_code_name(v->code), who);
			textf(s, 6, "%s van %s %s%s: toegepast%s. (%s)",
			      fmt_pct(pb, vr->pct_num, vr->pct_den),
			      !couple ? "uw netto loon uit arbeid" : v->persoon == PERSON_PARTNER ?
			      "het netto loon uit arbeid van uw partner" : "uw eigen netto loon uit arbeid",
			      eur(a1, arbeid), cap,
			      vr->has_cap && v->amount_cents == vr->cap_cents ? ", het maximum is bereikt" :
			      arbeid == 0 ? "; er is geen loon uit arbeid, dus € 0,00" : "", vr->bron);
		} else if (strcmp(v->why, "van toepassing") == 0) {
			const char *other = "?";

			for (k = 0; k < m->n_vrij; k++)
				if (r->vrij[m->first_vrij + k].applied &&
				    r->vrij[m->first_vrij + k].persoon == v->persoon)
					other = vrij_code_name(r->vrij[m->first_vrij + k].code);
			textf(s, 4, "Vrijlating %s%s: niet toegepast; vrijlating %s geeft evenveel of meer "
			      "(%s), en er geldt er een per persoon per maand.", vrij_code_name(v->code), who,
			      other, eur(a1, v->candidate_cents));
		} else {
			textf(s, 4, "Vrijlating %s%s: niet toegepast, %s (%s).", vrij_code_name(v->code), who,
			      v->why, vr->bron);
		}
	}
	if (couple)
		rowf(s, 4, m->vrij_cents, "Totaal vrijlating");
}

/* recht, VT reservation, verschuldigd, al betaald, verschil (rules.md §5). */
static void write_sum(struct spec *s, const struct settle_input *in, const struct settle_month *m)
{
	char mb[MONTHNAME_MAX], a1[AMT], a2[AMT], pb[PCT_MAX];
	int64_t raw = m->norm_cents - (m->income_cents - m->vrij_cents);
	const struct rule_set *rs = m->rules;

	fmt_month(mb, m->month);
	textf(s, 2, "Berekening %s", mb);
	if (in->regeling == REGELING_PW) {
		rowf(s, 4, m->norm_cents, "Norm (incl. vakantietoeslag)");
		rowf(s, 4, -m->income_cents, "Inkomsten");
		rowf(s, 4, m->vrij_cents, "Vrijlating");
		if (raw != m->right_cents) {
			sum_line(s);
			rowf(s, 4, raw, "Uitkomst");
			if (raw < 0)
				textf(s, 4, "Uw inkomsten na vrijlating (%s) zijn hoger dan de norm (%s): over %s "
				      "heeft u geen recht op bijstand. Het recht is nooit lager dan € 0,00 "
				      "(art. 19 Pw).", eur(a1, m->income_cents - m->vrij_cents),
				      eur(a2, m->norm_cents), mb);
			else
				put_text(s, 4, "Het recht is nooit hoger dan de norm (art. 19 Pw).");
		} else if (m->right_cents == 0 && m->norm_cents > 0) {
			textf(s, 4, "Uw inkomsten na vrijlating (%s) zijn gelijk aan de norm: over %s heeft u "
			      "geen recht op bijstand.", eur(a1, m->income_cents - m->vrij_cents), mb);
		}
		sum_line(s);
		rowf(s, 4, m->right_cents, "Recht op bijstand (incl. vakantietoeslag)");
		rowf(s, 4, -m->vtres_cents, "Vakantietoeslag gereserveerd (%s)",
		     fmt_pct(pb, rs->vt_excl_den - rs->vt_excl_num, rs->vt_excl_den));
		sum_line(s);
		rowf(s, 4, m->owed_cents, "Verschuldigd (excl. vakantietoeslag)");
	} else {
		rowf(s, 4, m->owed_cents, "Recht");
	}
	rowf(s, 4, -m->paid_cents, "Al betaald over %s", mb);
	sum_line(s);
	rowf(s, 4, m->diff_cents, "Verschil%s", m->diff_cents > 0 ? ": nabetaling" :
	     m->diff_cents < 0 ? ": te veel betaald, wordt verrekend" : "");
}

/* An earlier month settled in this run, in full. */
static void write_earlier(struct spec *s, const struct specification_dossier *d,
			  const struct settle_input *in, const struct settle_result *r,
			  const struct settle_month *m)
{
	char mb[MONTHNAME_MAX], title[64];

	snprintf(title, sizeof(title), "Over %s", fmt_month(mb, m->month));
	put_text(s, 0, "");
	put_text(s, 0, title);
	if (m->active_days == 0) {
		textf(s, 2, "In %s had u geen dagen met recht op een uitkering: er is geen norm, en "
		      "inkomsten over deze maand worden niet verrekend.", mb);
		rowf(s, 4, 0, "Recht");
		rowf(s, 4, -m->paid_cents, "Al betaald over %s", mb);
		sum_line(s);
		rowf(s, 4, m->diff_cents, "Verschil%s", m->diff_cents < 0 ?
		     ": te veel betaald, wordt verrekend" : "");
		return;
	}
	write_norm(s, in, m);
	write_income(s, d, in, r, m);
	if (in->regeling == REGELING_PW)
		write_vrij(s, in, r, m);
	write_sum(s, in, m);
}

/* The run month: its norm and the voorschot (rules.md §5 step 1). */
static void write_run_month(struct spec *s, const struct specification_dossier *d,
			    const struct settle_input *in, const struct settle_result *r,
			    const struct settle_month *m)
{
	char mb[MONTHNAME_MAX], db[DMY_MAX], pb[PCT_MAX], title[80];
	int64_t target = advance_target(in, m);

	fmt_month(mb, m->month);
	snprintf(title, sizeof(title), "%s over %s", in->regeling == REGELING_PW ? "Voorschot" :
		 "Uw uitkering", mb);
	heading(s, title);
	if (m->active_days == 0) {
		if (in->einddatum != DATE_NONE && in->einddatum < month_first_day(m->month))
			textf(s, 2, "Uw uitkering is beëindigd op %s: over %s krijgt u geen voorschot. "
			      "Wat over eerdere maanden nog openstaat, wordt hieronder afgerekend.",
			      fmt_date(db, in->einddatum), mb);
		else
			textf(s, 2, "In %s heeft u geen dagen met recht op een uitkering: u krijgt geen "
			      "voorschot.", mb);
		return;
	}
	write_norm(s, in, m);
	if (in->regeling == REGELING_PW) {
		rowf(s, 2, -(m->norm_cents - target), "Vakantietoeslag gereserveerd (%s)",
		     fmt_pct(pb, m->rules->vt_excl_den - m->rules->vt_excl_num, m->rules->vt_excl_den));
		sum_line(s);
		rowf(s, 2, target, "Voorschot %s (excl. vakantietoeslag)", mb);
		textf(s, 2, "Dit is een voorschot (art. 52 Pw): het is berekend alsof u geen inkomsten "
		      "heeft. Inkomsten over %s verrekenen wij in een volgende betaling, zodra ze bekend "
		      "zijn.", mb);
		if (m->n_lines > 0)
			textf(s, 2, "Over %s %s al %d inkomstenopgave%s bekend; die verrekenen wij dan.", mb,
			      m->n_lines == 1 ? "is" : "zijn", m->n_lines, m->n_lines == 1 ? "" : "n");
	} else if (m->n_lines > 0) {
		write_income(s, d, in, r, m);
	}
	if (m->paid_cents) {
		char a1[AMT];

		textf(s, 2, "Over %s is al %s betaald; deze betaling vult alleen aan wat nog ontbreekt.",
		      mb, eur(a1, m->paid_cents));
	}
}

/* The VT run: per month the reservation, what was paid and the difference. */
static void write_vt(struct spec *s, const struct settle_input *in, const struct settle_result *r)
{
	char mb[MONTHNAME_MAX], a1[AMT], a2[AMT];
	size_t i;
	int any = 0;

	for (i = 0; i + 1 < r->n_months; i++)
		if (r->months[i].vt_diff_cents)
			any = 1;
	if (!any && in->vt_cutover_cents - in->vt_cutover_paid_cents <= 0)
		return;
	heading(s, "Vakantietoeslag");
	put_text(s, 2, "In deze betaling wordt de vakantietoeslag afgerekend die over de volgende "
		 "maanden voor u is gereserveerd (art. 19(3) en 45(1) Pw):");
	if (in->vt_cutover_cents - in->vt_cutover_paid_cents > 0)
		rowf(s, 4, in->vt_cutover_cents - in->vt_cutover_paid_cents,
		     "Reservering overgenomen uit het vorige systeem");
	for (i = 0; i + 1 < r->n_months; i++) {
		const struct settle_month *m = &r->months[i];

		if (!m->vt_diff_cents)
			continue;
		rowf(s, 4, m->vt_diff_cents, "%s: %s gereserveerd, %s betaald", fmt_month(mb, m->month),
		     eur(a1, m->vtres_cents), eur(a2, m->vt_paid_cents));
		if (m->vt_diff_cents < 0)
			textf(s, 6, "Minder dan al betaald: %s", month_claimed(r, m->month) ?
			      "wordt een vordering (zie de toelichting)." : "wordt verrekend.");
	}
}

/* ---- the run's payment --------------------------------------------------- */

static void write_not_paid(struct spec *s, const struct specification_dossier *d);

/* rules.md §5a: the bufferbudget in words, with what is left of the year's. */
static void write_buffer_note(struct spec *s, const struct settle_result *r)
{
	char a1[AMT], a2[AMT];
	int y, m, d;

	date_to_ymd(month_first_day(r->run_month), &y, &m, &d);
	if (r->buffer_cents > 0) {
		put_text(s, 0, "");
		textf(s, 2, "Omdat de verrekening van uw inkomsten uit werk deze maand te veel zou inhouden, "
		      "betalen wij %s uit het bufferbudget (art. 34b Pw). Dit hoeft u niet terug te betalen.",
		      eur(a1, r->buffer_cents));
		if (r->buffer_left_cents >= 0)
			textf(s, 2, "Van het bufferbudget voor %d is nog %s over.", y, eur(a2, r->buffer_left_cents));
	} else if (r->buffer_proposed_cents > 0) {
		put_text(s, 0, "");
		textf(s, 2, "De verrekening van uw inkomsten uit werk houdt deze maand veel in. Uw consulent "
		      "bekijkt of wij %s uit het bufferbudget (art. 34b Pw) kunnen betalen; u hoort dat nog.",
		      eur(a1, r->buffer_proposed_cents));
	}
}

static void write_payment(struct spec *s, const struct specification_dossier *d,
			  const struct settle_input *in, const struct settle_result *r)
{
	char mb[MONTHNAME_MAX], mb2[MONTHNAME_MAX], title[80], lb[TEXT_MAX], ib[IBAN_SHOWN_MAX];
	char db[DMY_MAX], a1[AMT];
	size_t i;
	int32_t day;

	struct month_list vt_months;
	int64_t vt_total = 0;
	int vt_done = 0, rows = 0;

	/* the VT of many months is one line here; write_vt lists them */
	memset(&vt_months, 0, sizeof(vt_months));
	for (i = 0; i < r->n_bookings; i++)
		if (r->bookings[i].kind == BOOK_VT && r->bookings[i].amount_cents > 0 &&
		    month_in(r, r->bookings[i].month)) {
			vt_total += r->bookings[i].amount_cents;
			ml_add(&vt_months, r->bookings[i].month);
		}
	ml_flush(&vt_months);
	snprintf(title, sizeof(title), "Uw betaling voor %s", fmt_month(mb, r->run_month));
	heading(s, title);
	for (i = 0; i < r->n_bookings; i++) {
		const struct settle_booking *b = &r->bookings[i];

		if (!booking_in_sum(b))
			continue;
		rows++;
		fmt_month(mb2, b->month);
		switch (b->kind) {
		case BOOK_VOORSCHOT:
			rowf(s, 2, b->amount_cents, "%s %s", in->regeling == REGELING_PW ? "Voorschot" :
			     "Uitkering", mb2);
			break;
		case BOOK_VERSCHIL:
			if (b->amount_cents > 0)
				rowf(s, 2, b->amount_cents, "Toevoeging: nabetaling over %s", mb2);
			else
				rowf(s, 2, b->amount_cents, "Verrekend: te veel betaald over %s", mb2);
			break;
		case BOOK_VT:
			if (b->amount_cents > 0 && !month_in(r, b->month))
				rowf(s, 2, b->amount_cents, "Vakantietoeslag: reservering uit het vorige systeem");
			else if (b->amount_cents > 0 && !vt_done) {
				rowf(s, 2, vt_total, "Vakantietoeslag over %s", vt_months.buf);
				vt_done = 1;
			} else if (b->amount_cents > 0)
				break;
			else
				rowf(s, 2, b->amount_cents, "Verrekend: minder vakantietoeslag over %s", mb2);
			break;
		case BOOK_INHOUDING:
			rowf(s, 2, -b->amount_cents, "Inhouding %s %s", claim_naam(d, (size_t)b->ref),
			     claim_kenmerk(d, in, (size_t)b->ref));
			break;
		case BOOK_DERDEN:
			rowf(s, 2, -b->amount_cents, d->outcome == SPEC_PAID ? "Betaald aan %s" : "Voor %s (niet betaald)",
			     derde_label(lb, sizeof(lb), d, in, (size_t)b->ref));
			break;
		case BOOK_BUFFER:
			rowf(s, 2, b->amount_cents, "Bufferbudget (art. 34b Pw) over %s", mb2);
			break;
		case BOOK_VORDERING:
		case BOOK_VT_VORDERING:
		case BOOK_CLIENT:
			break;
		}
	}
	if (rows)
		sum_line(s);
	if (d->outcome != SPEC_PAID) {
		put_row(s, 2, "Berekend voor u", r->client_cents);
		write_not_paid(s, d);
		put_row(s, 2, "Nu uitbetaald aan u", 0);
	} else {
		put_row(s, 2, "Uitbetaald aan u", r->client_cents);
	}
	if (d->outcome == SPEC_PAID && r->client_cents > 0 &&
	    ((d->iban && *d->iban) || (d->uitbetaaldatum && *d->uitbetaaldatum))) {
		const char *when = d->uitbetaaldatum;

		if (when && strlen(when) == 10 && date_parse(&day, when, 10, NULL) == 0)
			when = fmt_date(db, day);
		if (d->iban && *d->iban && when && *when)
			textf(s, 2, "Op rekening %s, op %s.", fmt_iban(ib, d->iban), when);
		else if (d->iban && *d->iban)
			textf(s, 2, "Op rekening %s.", fmt_iban(ib, d->iban));
		else
			textf(s, 2, "Op %s.", when);
	}
	write_buffer_note(s, r);
	if (r->client_cents == 0) {
		/* say why: a €0 result still has a specification (payments.md) */
		struct month_list over;
		char why[TEXT_MAX];
		size_t w;

		memset(&over, 0, sizeof(over));
		for (i = 0; i + 1 < r->n_months; i++) {
			const struct settle_month *m = &r->months[i];

			if (m->diff_cents < 0 && m->active_days > 0 && m->right_cents == 0 && m->income_cents > 0)
				ml_add(&over, m->month);
		}
		ml_flush(&over);
		w = (size_t)snprintf(why, sizeof(why), "U ontvangt deze maand niets (€ 0,00).");
		if (r->n_months == 0 && w < sizeof(why))
			w += (size_t)snprintf(why + w, sizeof(why) - w, " Uw uitkering begint na %s; er is "
					      "nog niets te betalen.", mb);
		else if (!r->active_in_run && r->advance_cents == 0 && w < sizeof(why))
			w += (size_t)snprintf(why + w, sizeof(why) - w, " Over %s heeft u geen recht op een "
					      "uitkering, dus er is geen voorschot.", mb);
		if (over.buf[0] && w < sizeof(why))
			w += (size_t)snprintf(why + w, sizeof(why) - w, " Uw inkomsten over %s waren hoger "
					      "dan de norm: over die maand%s had u geen recht op bijstand, en "
					      "wat u toen als voorschot kreeg is te veel betaald.", over.buf,
					      strchr(over.buf, ',') || strstr(over.buf, "t/m") ? "en" : "");
		if (r->deducted_cents > 0 && w < sizeof(why))
			w += (size_t)snprintf(why + w, sizeof(why) - w, " Dat te veel betaalde (%s) is "
					      "verrekend met deze betaling, zodat er niets overblijft.",
					      eur(a1, r->deducted_cents));
		if ((r->instalments_cents > 0 || r->derden_cents > 0) && w < sizeof(why))
			w += (size_t)snprintf(why + w, sizeof(why) - w, " Wat overbleef ging naar de "
					      "inhoudingen en betalingen aan derden hierboven.");
		if (r->carried_cents > 0 && w < sizeof(why))
			w += (size_t)snprintf(why + w, sizeof(why) - w, " Er staat nog %s open; dat "
					      "verrekenen wij met een volgende betaling (zie de toelichting).",
					      eur(a1, r->carried_cents));
		if (r->n_months > 0 && r->active_in_run && r->advance_cents == 0 && r->deducted_cents == 0 &&
		    w < sizeof(why))
			snprintf(why + w, sizeof(why) - w, " Het bedrag voor %s is € 0,00 of al betaald.", mb);
		put_text(s, 0, "");
		put_text(s, 2, why);
	}
}

/*
 * payments.md: a dossier on hold or blocked is not in the payment file; its
 * specification says so, why, since when, and what happens next or what
 * the client can do (B1: words, no codes).
 */
static void write_not_paid(struct spec *s, const struct specification_dossier *d)
{
	char since[DMY_MAX] = "", text[TEXT_MAX];
	const char *why = d->outcome_why && *d->outcome_why ? d->outcome_why : NULL;
	int32_t day;
	size_t n;

	if (d->outcome_since && strlen(d->outcome_since) == 10 && date_parse(&day, d->outcome_since, 10, NULL) == 0)
		fmt_date(since, day);
	if (d->outcome == SPEC_HELD) {
		n = (size_t)snprintf(text, sizeof(text), "Niet betaald: uw uitkering is opgeschort%s%s%s%s%s.",
				     since[0] ? " sinds " : "", since, why ? " (" : "", why ? why : "", why ? ")" : "");
		if (n < sizeof(text))
			snprintf(text + n, sizeof(text) - n, " Er is nu niets betaald, ook niet aan derden. Als het "
				 "onderzoek is afgerond, betalen wij wat u toekomt met de eerstvolgende betaling; over "
				 "een periode waarin u geen recht had, betalen wij niets.");
	} else {
		int account = why && (strstr(why, "IBAN") || strstr(why, "rekening") || strstr(why, "account"));
		n = (size_t)snprintf(text, sizeof(text), "Niet betaald: %s.", why ? why : "de betaling is geblokkeerd");
		if (n < sizeof(text))
			snprintf(text + n, sizeof(text) - n, " Er is nu niets betaald, ook niet aan derden. Wat u kunt "
				 "doen: %s Zodra dat is opgelost, betalen wij het bedrag met de eerstvolgende betaling.",
				 account ? "geef uw juiste rekeningnummer (IBAN) en de naam waarop de rekening staat door "
				 "aan uw consulent." : "neem contact op met uw consulent.");
	}
	put_text(s, 2, text);
}

/* What is carried, claimed, not withheld or not paid, each with why. */
static void write_notes(struct spec *s, const struct specification_dossier *d,
			const struct settle_input *in, const struct settle_result *r)
{
	char mb[MONTHNAME_MAX], mb2[MONTHNAME_MAX], a1[AMT], a2[AMT], a3[AMT], lb[TEXT_MAX];
	size_t i, j;
	int started = 0;

#define NOTES() do { if (!started) { heading(s, "Toelichting"); started = 1; } } while (0)
	fmt_month(mb, r->run_month);
	/* doorgeschoven: per month its negative differences minus what was
	 * deducted; claimed months are not carried */
	if (r->carried_cents > 0) {
		NOTES();
		put_row(s, 2, "Nog te verrekenen in een volgende betaling (doorgeschoven)", r->carried_cents);
		for (i = 0; i < r->n_months; i++) {
			const struct settle_month *m = &r->months[i];
			int64_t neg = 0, open;

			if (month_claimed(r, m->month))
				continue;
			if (i + 1 < r->n_months) {
				neg += m->diff_cents < 0 ? -m->diff_cents : 0;
				if (r->vt_run)
					neg += m->vt_diff_cents < 0 ? -m->vt_diff_cents : 0;
			} else {
				int64_t over = m->paid_cents - advance_target(in, m);
				neg += over > 0 ? over : 0;
			}
			open = neg;
			for (j = 0; j < r->n_bookings; j++) {
				const struct settle_booking *b = &r->bookings[j];

				if (b->month == m->month && b->amount_cents < 0 &&
				    (b->kind == BOOK_VERSCHIL || b->kind == BOOK_VT))
					open += b->amount_cents;
			}
			if (open > 0)
				rowf(s, 4, open, "over %s", fmt_month(mb2, m->month));
		}
		if (d->set && d->set->verrekentermijn > 0)
			textf(s, 2, "Deze betaling was niet genoeg om alles te verrekenen; u krijgt nooit "
			      "minder dan € 0,00. Het restant verrekenen wij met een volgende betaling. Lukt "
			      "dat niet binnen %d maanden na de maand waar het over gaat (de verrekentermijn, "
			      "art. 58(4) Pw), dan wordt het een vordering.", d->set->verrekentermijn);
		else
			put_text(s, 2, "Deze betaling was niet genoeg om alles te verrekenen; u krijgt nooit "
				 "minder dan € 0,00. Het restant verrekenen wij met een volgende betaling. Lukt "
				 "dat niet binnen de verrekentermijn (art. 58(4) Pw), dan wordt het een "
				 "vordering.");
	}
	/* vordering: past the verrekentermijn (art. 58(4) Pw) */
	if (r->claimed_cents > 0) {
		NOTES();
		put_row(s, 2, "Niet meer verrekend: wordt een vordering", r->claimed_cents);
		for (i = 0; i < r->n_bookings; i++) {
			const struct settle_booking *b = &r->bookings[i];

			if (b->amount_cents < 0 &&
			    (b->kind == BOOK_VORDERING || b->kind == BOOK_VT_VORDERING))
				rowf(s, 4, -b->amount_cents, "over %s%s", fmt_month(mb2, b->month),
				     b->kind == BOOK_VT_VORDERING ? " (vakantietoeslag)" : "");
		}
		if (d->set && d->set->verrekentermijn > 0)
			textf(s, 2, "Deze maanden liggen meer dan %d maanden voor %s: de verrekentermijn "
			      "(art. 58(4) Pw) is verstreken. Wij verrekenen ze niet meer met uw uitkering; "
			      "de gemeente beslist over terugvordering en laat u dat weten.",
			      d->set->verrekentermijn, mb);
		else
			put_text(s, 2, "Voor deze maanden is de verrekentermijn (art. 58(4) Pw) verstreken. Wij "
				 "verrekenen ze niet meer met uw uitkering; de gemeente beslist over "
				 "terugvordering en laat u dat weten.");
	}
	/* inhoudingen per claim, with the balance left */
	for (i = 0; i < in->n_claims; i++) {
		const struct settle_claim *c = &in->claims[i];
		int64_t outstanding = c->saldo_cents - c->withheld_cents, inst = 0;

		if (outstanding < 0)
			outstanding = 0;
		for (j = 0; j < r->n_bookings; j++)
			if (r->bookings[j].kind == BOOK_INHOUDING && r->bookings[j].ref == (int)i)
				inst += r->bookings[j].amount_cents;
		NOTES();
		if (inst > 0) {
			textf(s, 2, "Inhouding %s %s: %s ingehouden (termijn %s); openstaand daarna %s.",
			      claim_naam(d, i), claim_kenmerk(d, in, i), eur(a1, inst), eur(a2, c->termijn_cents),
			      eur(a3, outstanding - inst));
			if (inst < c->termijn_cents && inst < outstanding)
				textf(s, 4, "Minder dan de termijn: u houdt altijd ten minste %s van het voorschot "
				      "(beslagvrije voet).", d->set ? (snprintf(lb, sizeof(lb), "%d%%",
				      d->set->beslagvrije_voet_pct), lb) : "het grootste deel");
		} else if (outstanding == 0) {
			textf(s, 2, "Inhouding %s %s: niets ingehouden, het saldo is afgelost.",
			      claim_naam(d, i), claim_kenmerk(d, in, i));
		} else if (c->termijn_cents <= 0) {
			textf(s, 2, "Inhouding %s %s: niets ingehouden, er is geen termijnbedrag.",
			      claim_naam(d, i), claim_kenmerk(d, in, i));
		} else if (r->advance_cents + r->additions_cents + r->vt_cents + r->buffer_cents - r->deducted_cents <= 0) {
			textf(s, 2, "Inhouding %s %s: deze maand niets ingehouden (openstaand %s); er was na "
			      "verrekening niets om op in te houden.", claim_naam(d, i), claim_kenmerk(d, in, i),
			      eur(a1, outstanding));
		} else {
			textf(s, 2, "Inhouding %s %s: deze maand niets ingehouden (openstaand %s). U houdt "
			      "altijd ten minste %s van het voorschot (beslagvrije voet); daarboven bleef "
			      "niets over.", claim_naam(d, i), claim_kenmerk(d, in, i), eur(a1, outstanding),
			      d->set ? (snprintf(lb, sizeof(lb), "%d%%", d->set->beslagvrije_voet_pct), lb) :
			      "het grootste deel");
		}
	}
	/* betalingen aan derden, paid or not and why */
	for (i = 0; i < in->n_derden; i++) {
		const struct settle_derde *dd = &in->derden[i];
		int paid = 0;

		for (j = 0; j < r->n_bookings; j++)
			if (r->bookings[j].kind == BOOK_DERDEN && r->bookings[j].ref == (int)i)
				paid = 1;
		NOTES();
		derde_label(lb, sizeof(lb), d, in, i);
		if (paid && d->outcome != SPEC_PAID)
			textf(s, 2, "Betaling aan %s: %s berekend, nu niet betaald (zie hierboven).", lb,
			      eur(a1, dd->bedrag_cents));
		else if (paid)
			textf(s, 2, "Betaling aan %s: %s betaald (prioriteit %d).", lb,
			      eur(a1, dd->bedrag_cents), dd->prioriteit);
		else if (!r->active_in_run)
			textf(s, 2, "Betaling aan %s: niet betaald. Over %s heeft u geen recht op een "
			      "uitkering, dus worden er geen betalingen aan derden gedaan.", lb, mb);
		else if (i < SETTLE_MAX_DERDEN && r->derden_skipped[i])
			textf(s, 2, "Betaling aan %s: %s niet betaald. Het bedrag paste deze maand niet in "
			      "wat na verrekening en inhoudingen overbleef; het wordt niet gedeeltelijk "
			      "betaald. Uw consulent neemt hierover contact met u op. Betaal deze maand zelf "
			      "aan %s als dat nodig is.", lb, eur(a1, dd->bedrag_cents),
			      d->derde_naam && d->derde_naam[i] && *d->derde_naam[i] ? d->derde_naam[i] :
			      "deze partij");
		else
			textf(s, 2, "Betaling aan %s: niet betaald.", lb);
	}
	for (i = 0; i < r->n_events; i++)
		if (r->events[i].kind == EVENT_INKOMEN_HANDMATIG) {
			NOTES();
			textf(s, 2, "Er zijn inkomsten over %s bekend. Die worden bij %s niet automatisch "
			      "verrekend; uw consulent beoordeelt ze.", fmt_month(mb2, r->events[i].month),
			      regeling_naam(in->regeling));
		}
#undef NOTES
}

/* ---- entry points ----------------------------------------------------------- */

int specification_write(FILE *out, const struct specification_dossier *d,
			const struct settle_input *in, const struct settle_result *r,
			struct br_error *err)
{
	struct spec s;
	struct month_list same;
	size_t i, j;
	int rc;

	if (!out || !d || !in || !r)
		return br_error_set(err, BR_EINTERNAL, "specificatie: argument ontbreekt");
	if ((rc = check(d, in, r, err)) < 0)
		return rc;
	s.out = out;
	s.failed = 0;
	write_header(&s, d, in, r);

	/* earlier months: in full when settled in this run, else named once */
	memset(&same, 0, sizeof(same));
	if (r->n_months > 1) {
		heading(&s, "Verrekening van eerdere maanden");
		for (i = 0; i + 1 < r->n_months; i++) {
			const struct settle_month *m = &r->months[i];
			int shown = m->diff_cents != 0;

			for (j = 0; j < r->n_bookings && !shown; j++)
				if (r->bookings[j].month == m->month &&
				    (r->bookings[j].kind == BOOK_VERSCHIL || r->bookings[j].kind == BOOK_VORDERING))
					shown = 1;
			if (!shown) {
				ml_add(&same, m->month);
				continue;
			}
			write_earlier(&s, d, in, r, m);
		}
		ml_flush(&same);
		if (same.buf[0]) {
			put_text(&s, 0, "");
			textf(&s, 0, "Opnieuw berekend, geen verschil met wat al betaald is: %s.", same.buf);
		}
	}
	if (r->n_months > 0)
		write_run_month(&s, d, in, r, &r->months[r->n_months - 1]);
	if (r->vt_run)
		write_vt(&s, in, r);
	write_payment(&s, d, in, r);
	write_notes(&s, d, in, r);
	put_text(&s, 0, "");
	put_text(&s, 0, "Vragen over deze specificatie? Neem contact op met uw consulent en noem uw "
		 "dossiernummer.");
	if (s.failed || fflush(out) != 0 || ferror(out))
		return br_error_set(err, BR_EIO, "het schrijven van de specificatie van dossier %s is mislukt",
				    d->dossiernummer);
	return 0;
}

int specification_summary_line(char *buf, size_t cap, const struct settle_result *r)
{
	char mb[MONTH_FMT_MAX], a[AMT];
	size_t n;
	int k;

	if (!buf || cap == 0 || !r)
		return BR_EINTERNAL;
#define ADD(...) do { \
		k = snprintf(buf + n, cap - n, __VA_ARGS__); \
		if (k < 0 || (size_t)k >= cap - n) { cut_utf8(buf); return BR_EINTERNAL; } \
		n += (size_t)k; \
	} while (0)
	n = 0;
	buf[0] = '\0';
	ADD("%s: voorschot %s", month_format(mb, r->run_month), eur(a, r->advance_cents));
	if (r->additions_cents)
		ADD(", toevoegingen %s", eur(a, r->additions_cents));
	if (r->vt_cents)
		ADD(", vakantietoeslag %s", eur(a, r->vt_cents));
	ADD(", verrekend %s", eur(a, r->deducted_cents));
	if (r->carried_cents)
		ADD(", doorgeschoven %s", eur(a, r->carried_cents));
	if (r->claimed_cents)
		ADD(", vordering %s", eur(a, r->claimed_cents));
	if (r->instalments_cents)
		ADD(", inhoudingen %s", eur(a, r->instalments_cents));
	if (r->derden_cents)
		ADD(", derden %s", eur(a, r->derden_cents));
	ADD(", uitbetaald %s", eur(a, r->client_cents));
#undef ADD
	return 0;
}

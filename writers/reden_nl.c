/* reden_nl.c — the report's reasons in Dutch; see reden_nl.h. */
#include "reden_nl.h"

#include <string.h>

#include "banned.h"

#define CAPTURES 4
#define DEPTH_MAX 4     /* "third party X: account: IBAN …" nests three */

/*
 * English (with '*' for a part) → Dutch (with '*' for the same parts in
 * the same order).  Source of each English text in the comment.
 */
static const struct { const char *en, *nl; } templates[] = {
	/* pipeline/snapshot.c snapshot_record_problems */
	{ "the Dossiernummer holds a run of nine or more digits (it could be a BSN and would reach the"
	  " payment file)",
	  "het dossiernummer bevat negen of meer cijfers achter elkaar (het kan een BSN zijn en zou in"
	  " het betaalbestand komen)" },
	{ "account: *", "rekening: *" },
	{ "third party *: *", "derde *: *" },
	{ "a Partner is given but Leefvorm is *, not GEHUWD",
	  "er is een partner opgegeven, maar de leefvorm is *, niet GEHUWD" },
	{ "Leefvorm is GEHUWD but no Partner is given",
	  "de leefvorm is GEHUWD, maar er is geen partner opgegeven" },
	{ "vrijlating * is granted to the PARTNER but there is no Partner",
	  "vrijlating * is toegekend aan de PARTNER, maar er is geen partner" },
	{ "two vrijlatingen * for the * overlap (from * and from *)",
	  "twee vrijlatingen * voor de * overlappen (vanaf * en vanaf *)" },
	/* core/iban.c iban_validate_iso13616, iban_validate */
	{ "IBAN is empty", "het IBAN is leeg" },
	{ "IBAN * has a character other than A-Z or 0-9 at position *",
	  "IBAN * heeft op positie * een ander teken dan A-Z of 0-9" },
	{ "IBAN * is longer than * characters", "IBAN * is langer dan * tekens" },
	{ "IBAN * does not start with a country code and 2 check digits",
	  "IBAN * begint niet met een landcode en 2 controlecijfers" },
	{ "unknown IBAN country * (IBAN *)", "onbekend IBAN-land * (IBAN *)" },
	{ "IBAN * has * characters; an IBAN of * has *",
	  "IBAN * heeft * tekens; een IBAN van * heeft er *" },
	{ "IBAN * has no 4-letter bank code after NLkk",
	  "IBAN * heeft geen bankcode van 4 letters na NLkk" },
	{ "IBAN * has no 10-digit account number after the bank code",
	  "IBAN * heeft geen rekeningnummer van 10 cijfers na de bankcode" },
	{ "IBAN * has check digits *; they must be 02 to 98",
	  "IBAN * heeft controlecijfers *; die moeten 02 tot en met 98 zijn" },
	{ "IBAN * fails the mod-97 check", "IBAN * voldoet niet aan de mod-97-controle" },
	{ "IBAN * is of *, a country outside the SEPA scheme (*)",
	  "IBAN * is van *, een land buiten het SEPA-gebied (*)" },
	/* pipeline/payrun.c payment_problem: "WHO: " + iban.c's message, WHO
	 * "rekening" or a third party's kenmerk (both kept as they are) */
	{ "*: *", "*: *" },
};

struct span { const char *p; size_t n; };

/*
 * Does s[0..n) match `t`?  Each '*' takes the shortest text (at least one
 * byte, never holding "; ", which joins problems) after which the rest
 * matches; the parts go to cap[].
 */
static int match(const char *t, const char *s, size_t n, struct span *cap, int ncap)
{
	const char *star = strchr(t, '*');
	size_t lit = star ? (size_t)(star - t) : strlen(t), i;

	if (n < lit || memcmp(t, s, lit) != 0)
		return 0;
	if (!star)
		return n == lit;
	if (ncap == CAPTURES)
		return 0;
	for (i = lit + 1; i <= n; i++) {
		if (i >= lit + 2 && s[i - 2] == ';' && s[i - 1] == ' ')
			break;
		cap[ncap].p = s + lit;
		cap[ncap].n = i - lit;
		if (match(star + 1, s + i, n - i, cap, ncap + 1))
			return 1;
	}
	return 0;
}

struct out { char *p; size_t len, cap; };

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + 1 >= o->cap)
		return;
	if (n > o->cap - 1 - o->len) {
		n = o->cap - 1 - o->len;
		/* never half a UTF-8 sequence */
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void part(struct out *o, const char *s, size_t n, int depth);

static int translate(struct out *o, const char *s, size_t n, int depth)
{
	struct span cap[CAPTURES];
	size_t i;
	const char *t, *star;
	int k;

	for (i = 0; i < sizeof(templates) / sizeof(templates[0]); i++) {
		if (!match(templates[i].en, s, n, cap, 0))
			continue;
		for (t = templates[i].nl, k = 0; (star = strchr(t, '*')); t = star + 1, k++) {
			put(o, t, (size_t)(star - t));
			part(o, cap[k].p, cap[k].n, depth + 1);
		}
		put(o, t, strlen(t));
		return 1;
	}
	return 0;
}

/* The next "; " in s[from..n), or NULL. */
static const char *next_sep(const char *s, size_t n, size_t from)
{
	size_t i;

	for (i = from; i + 1 < n; i++)
		if (s[i] == ';' && s[i + 1] == ' ')
			return s + i;
	return NULL;
}

/*
 * A text that may hold several problems joined by "; " (snapshot.c
 * problem_add; a template may hold "; " itself): the whole when a template
 * matches it, else the shortest first part that a template matches, then
 * the rest; a first part no template matches is kept as it is.
 */
static void part(struct out *o, const char *s, size_t n, int depth)
{
	const char *sep, *first;

	if (depth < DEPTH_MAX && translate(o, s, n, depth))
		return;
	if (!(first = next_sep(s, n, 0))) {
		put(o, s, n);
		return;
	}
	for (sep = first; depth < DEPTH_MAX && sep; sep = next_sep(s, n, (size_t)(sep - s) + 2))
		if (translate(o, s, (size_t)(sep - s), depth))
			break;
	if (!sep || depth >= DEPTH_MAX) {
		sep = first;
		put(o, s, (size_t)(sep - s));
	}
	put(o, "; ", 2);
	part(o, sep + 2, n - (size_t)(sep + 2 - s), depth);
}

char *reden_nl(char *out, size_t cap, const char *in)
{
	struct out o = { out, 0, cap };

	if (!out || cap == 0)
		return out;
	out[0] = '\0';
	part(&o, in ? in : "", in ? strlen(in) : 0, 0);
	return out;
}

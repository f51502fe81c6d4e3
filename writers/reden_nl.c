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
	/* pipeline/signals.c jobs_open_register_problems: a REGISTER job's text */
	{ "register data blocks payment: *", "registergegevens houden de betaling tegen: *" },
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

/* The Dutch text being written, and how many match steps are left: a
 * text built to make the matching slow (a kenmerk full of "; " and ": ")
 * runs out of steps and is kept as it is from there on. */
#define STEPS_MAX 200000L
struct out { char *p; size_t len, cap; long steps; };

/* Does s[0..n) hold "; " (which joins problems, snapshot.c problem_add)? */
static int has_sep(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if (s[i] == ';' && s[i + 1] == ' ')
			return 1;
	return 0;
}

static int whole_matches(struct out *o, const char *s, size_t n, int depth);

/*
 * Does s[0..n) match `t`?  Each '*' takes the shortest text (at least one
 * byte) after which the rest matches; the parts go to cap[].  A part that
 * holds "; " must itself be one message a template knows ("IBAN … has 17
 * characters; an IBAN of NL has 18" after "account: "), so a part never
 * swallows the next problem.
 */
static int match(struct out *o, const char *t, const char *s, size_t n, struct span *cap, int ncap, int depth)
{
	const char *star = strchr(t, '*');
	size_t lit = star ? (size_t)(star - t) : strlen(t), i, next;

	if (o->steps-- <= 0 || n < lit || memcmp(t, s, lit) != 0)
		return 0;
	if (!star)
		return n == lit;
	if (ncap == CAPTURES)
		return 0;
	/* the text after this part: up to the next '*', or the end */
	next = strcspn(star + 1, "*");
	for (i = lit + 1; i <= n; i++) {
		/* cheap checks first: the literal after the part must follow
		 * it, and end the text when it is the template's last */
		if (n - i < next || memcmp(star + 1, s + i, next) != 0 || (!star[1 + next] && i + next != n))
			continue;
		if (has_sep(s + lit, i - lit) && !whole_matches(o, s + lit, i - lit, depth + 1))
			continue;
		cap[ncap].p = s + lit;
		cap[ncap].n = i - lit;
		if (match(o, star + 1, s + i, n - i, cap, ncap + 1, depth))
			return 1;
	}
	return 0;
}

#define N_TEMPLATES (sizeof(templates) / sizeof(templates[0]))

static int whole_matches(struct out *o, const char *s, size_t n, int depth)
{
	struct span cap[CAPTURES];
	size_t i;

	for (i = 0; depth < DEPTH_MAX && i < N_TEMPLATES; i++)
		if (match(o, templates[i].en, s, n, cap, 0, depth))
			return 1;
	return 0;
}


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

/* s[0..n) in Dutch when a template matches it whole: 1, else 0 (nothing
 * written). */
static int translate(struct out *o, const char *s, size_t n, int depth)
{
	struct span cap[CAPTURES];
	size_t i;
	const char *t, *star;
	int k;

	for (i = 0; depth < DEPTH_MAX && i < N_TEMPLATES; i++) {
		if (!match(o, templates[i].en, s, n, cap, 0, depth))
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

#define SEPS_MAX 64

/*
 * A text that may hold several problems joined by "; ": from the start,
 * the longest run of whole problems that a template matches, translated;
 * a problem no template matches is kept as it is; then the rest.
 */
static void part(struct out *o, const char *s, size_t n, int depth)
{
	size_t sep[SEPS_MAX], n_sep = 0, pos = 0, end, i;
	int k;

	for (i = 0; i + 1 < n && n_sep < SEPS_MAX; i++)
		if (s[i] == ';' && s[i + 1] == ' ')
			sep[n_sep++] = i;
	while (pos < n || (pos == 0 && n == 0)) {
		/* the ends to try: the whole rest, then each "; " after pos,
		 * the farthest first */
		end = n;
		if (translate(o, s + pos, n - pos, depth))
			break;
		for (k = (int)n_sep - 1; k >= 0 && sep[k] > pos; k--)
			if (translate(o, s + pos, sep[k] - pos, depth))
				break;
		if (k >= 0 && sep[k] > pos) {
			end = sep[k];
		} else {
			for (i = 0; i < n_sep && sep[i] <= pos; i++)
				;
			end = i < n_sep ? sep[i] : n;
			put(o, s + pos, end - pos);
		}
		if (end >= n)
			break;
		put(o, "; ", 2);
		pos = end + 2;
	}
}

char *reden_nl(char *out, size_t cap, const char *in)
{
	struct out o = { out, 0, cap, STEPS_MAX };

	if (!out || cap == 0)
		return out;
	out[0] = '\0';
	part(&o, in ? in : "", in ? strlen(in) : 0, 0);
	return out;
}

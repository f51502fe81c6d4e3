/*
 * rules.h — the rules set as the engine and the writers use it (rules.md
 * "All parameters live in a rules file"): parameter sets by
 * `geldig_vanaf`, each parameter naming its legal source, and the
 * bufferbudget maxima.  Domain types only; parsers/rules_xml.h loads them
 * from the shipped data/rules/regels.xml.
 *
 * Percentages are exact integer ratios (`pct_num / pct_den`, e.g. 125/1000
 * for 12.5%); amounts are cents.
 */
#ifndef BR_RULES_H
#define BR_RULES_H

#include <stddef.h>
#include <stdint.h>

#define RULES_BRON_MAX 200   /* legal source text, bytes */
#define RULES_AOW_MAX 8
#define RULES_STALE_MONTHS 6 /* rules_stale: months past the newest set */

/* rules.md §2, the nine norm categories (rules keys in comments). */
enum norm_cat {
	NORM_ALLEENSTAANDE = 0,   /* alleenstaande */
	NORM_GEHUWDEN,            /* gehuwden */
	NORM_AOW_ALLEENSTAANDE,   /* aow_alleenstaande */
	NORM_AOW_GEHUWDEN,        /* aow_gehuwden */
	NORM_JONG_ALLEENSTAANDE,  /* jong_alleenstaande */
	NORM_JONG_GEHUWDEN,       /* jong_gehuwden */
	NORM_JONG_GEHUWDEN_KIND,  /* jong_gehuwden_kind */
	NORM_JONG_GEMENGD,        /* jong_gemengd */
	NORM_JONG_GEMENGD_KIND,   /* jong_gemengd_kind */
	NORM_COUNT
};

/* rules.md §4, the vrijlating codes. */
enum vrij_code {
	VRIJ_N = 0, VRIJ_R, VRIJ_Y, VRIJ_Z, VRIJ_AA, VRIJ_34A, VRIJ_34A_MU, VRIJ_COUNT
};

enum vrij_limit {
	VRIJ_LIMIT_NONE = 0,
	VRIJ_LIMIT_MONTHS_APPLIED,  /* at most n months applied with an amount > 0 */
	VRIJ_LIMIT_CONSECUTIVE      /* n consecutive months from the first month applied */
};

struct vrij_rule {
	int enabled;                /* 34A/34A_MU: only in sets that enable them */
	int64_t pct_num, pct_den;   /* 25/100, 125/1000, 15/100 */
	int has_cap;
	int64_t cap_cents;
	enum vrij_limit limit;
	int limit_months;
	int min_age;                /* 0 = no condition; N and R: 27 */
	int below_aow;              /* 1: only below AOW age (N, 34A) */
	int alleenstaande_ouder;    /* 1: only for ALLEENSTAANDE_OUDER (R) */
	int child_under;            /* 0 = no condition; R: youngest child under 12 */
	char bron[RULES_BRON_MAX + 1];
};

struct aow_age {
	int32_t born_before;        /* DATE_NONE for the last, open-ended row */
	int years, months;          /* AOW age for people born before `born_before` */
	char bron[RULES_BRON_MAX + 1]; /* this row's legal source */
};

struct rule_set {
	int32_t geldig_vanaf;       /* a date (1 January or 1 July) */
	char naam[64];              /* e.g. "2026-07-01" as written in the file */
	int64_t norm_cents[NORM_COUNT];
	char norm_bron[NORM_COUNT][RULES_BRON_MAX + 1];
	struct vrij_rule vrij[VRIJ_COUNT];
	int64_t vt_excl_num, vt_excl_den;   /* excl(x) = round(x × 95/100), art. 19(3) */
	char vt_bron[RULES_BRON_MAX + 1];
	struct aow_age aow[RULES_AOW_MAX];  /* ordered by born_before */
	int n_aow;
	char aow_bron[RULES_BRON_MAX + 1];  /* = the open-ended row's bron */
	/* art. 22a kostendelersnorm: round(B × (base + step·A) / (den·A)) = 40, 30, 100 */
	int64_t kdn_base, kdn_step, kdn_den;
	char kdn_bron[RULES_BRON_MAX + 1];
};

/* rules.md §5a: the bufferbudget's maximum per calendar year (art. 34b
 * Pw), its own dated entry so that it does not wait for a norms set. */
#define RULES_BUFFER_MAX 16
struct buffer_rule {
	int32_t geldig_vanaf;       /* 1 January */
	int64_t max_cents;
	char bron[RULES_BRON_MAX + 1];
};

struct rules {
	struct rule_set *sets;      /* owned, sorted by geldig_vanaf */
	size_t n_sets;
	struct buffer_rule buffer[RULES_BUFFER_MAX];   /* sorted by geldig_vanaf */
	size_t n_buffer;
	char sha256[65];            /* of the file's bytes, for the run manifest */
	char *source;               /* owned: those bytes (the store keeps them by sha256) */
	size_t source_len;
	char path[4096];
};

/* Names as used in the file and in messages ("alleenstaande", "N", ...). */
const char *norm_cat_key(enum norm_cat c);
const char *vrij_code_name(enum vrij_code c);
/* Code from its name; -1 when unknown. */
int vrij_code_from_name(const char *name);

/* Free what `r` owns (the sets) and zero it; NULL is a no-op. */
void rules_release(struct rules *r);

/*
 * The set in force for a month (rules.md: the latest set whose
 * geldig_vanaf is on or before the month's first day), or NULL when the
 * month is before every set.  Borrowed pointer into `r`.
 */
const struct rule_set *rules_for_month(const struct rules *r, int32_t month);

/* The same for the month whose first day is `first_day` (the caller has
 * it at hand: the settlement engine, once per month settled). */
const struct rule_set *rules_for_first_day(const struct rules *r, int32_t first_day);

/* The bufferbudget entry in force for a month (the latest whose geldig_vanaf
 * is on or before its first day), or NULL: no bufferbudget then. */
const struct buffer_rule *rules_buffer_for_month(const struct rules *r, int32_t month);

/* 1 when `month` is more than six months past the newest set (then the
 * caller warns that new norms are probably due, and goes on).
 * Precisely: month − month_of(newest geldig_vanaf) > RULES_STALE_MONTHS,
 * counted in month indexes.  Newest set 2026-07-01: 2027-01 (6 months
 * past) is not stale, 2027-02 (7) is.  1 for NULL or an empty `r`. */
int rules_stale(const struct rules *r, int32_t month);

/* The day a person born on `birth` reaches AOW age under set `s`.
 * The first row with born_before DATE_NONE or birth < born_before gives
 * the age; the day is date_add_months(birth, 12·years + months), clamped
 * to the month's last day (29 Feb 1960 + 67 years = 28 Feb 2027).
 * DATE_NONE for a NULL set. */
int32_t rules_aow_date(const struct rule_set *s, int32_t birth);

#endif

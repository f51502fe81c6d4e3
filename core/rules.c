/*
 * rules.c — lookups in a loaded rules set (rules.md "All parameters live
 * in a rules file", "the set in force").  Contract: rules.h.
 */
#include "rules.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"

#include "banned.h"

/* enum norm_cat order, rules.md §2 "rules key". */
static const char *const norm_keys[NORM_COUNT] = {
	"alleenstaande", "gehuwden", "aow_alleenstaande", "aow_gehuwden",
	"jong_alleenstaande", "jong_gehuwden", "jong_gehuwden_kind", "jong_gemengd",
	"jong_gemengd_kind"
};

/* enum vrij_code order, rules.md §4 "code". */
static const char *const vrij_names[VRIJ_COUNT] = { "N", "R", "Y", "Z", "AA", "34A", "34A_MU" };

const char *norm_cat_key(enum norm_cat c)
{
	return (int)c >= 0 && c < NORM_COUNT ? norm_keys[c] : "?";
}

const char *vrij_code_name(enum vrij_code c)
{
	return (int)c >= 0 && c < VRIJ_COUNT ? vrij_names[c] : "?";
}

int vrij_code_from_name(const char *name)
{
	int i;

	for (i = 0; name && i < VRIJ_COUNT; i++)
		if (strcmp(name, vrij_names[i]) == 0)
			return i;
	return -1;
}

const struct buffer_rule *rules_buffer_for_month(const struct rules *r, int32_t month)
{
	const struct buffer_rule *found = NULL;
	size_t i;

	for (i = 0; r && i < r->n_buffer; i++)
		if (r->buffer[i].geldig_vanaf <= month_first_day(month))
			found = &r->buffer[i];
	return found;
}

void rules_release(struct rules *r)
{
	if (!r)
		return;
	free(r->sets);
	free(r->source);
	memset(r, 0, sizeof(*r));
}

const struct rule_set *rules_for_month(const struct rules *r, int32_t month)
{
	return rules_for_first_day(r, month_first_day(month));
}

const struct rule_set *rules_for_first_day(const struct rules *r, int32_t first)
{
	size_t i;

	if (!r || !r->n_sets)
		return NULL;
	/* Sorted: the latest set on or before the month's first day. */
	for (i = r->n_sets; i > 0; i--)
		if (r->sets[i - 1].geldig_vanaf <= first)
			return &r->sets[i - 1];
	return NULL;
}

int rules_stale(const struct rules *r, int32_t month)
{
	if (!r || !r->n_sets)
		return 1;
	return month - month_of(r->sets[r->n_sets - 1].geldig_vanaf) > RULES_STALE_MONTHS;
}

int32_t rules_aow_date(const struct rule_set *s, int32_t birth)
{
	int i;

	if (!s)
		return DATE_NONE;
	for (i = 0; i < s->n_aow; i++)
		if (s->aow[i].born_before == DATE_NONE || birth < s->aow[i].born_before)
			return date_add_months(birth, s->aow[i].years * 12 + s->aow[i].months);
	return DATE_NONE;
}

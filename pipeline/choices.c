/* choices.c — the values an option accepts.  Contract: choices.h. */
#include "choices.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "jobs.h"

#include "banned.h"

/* Append `item` to the list in out (capped: a cut list ends in "..."). */
static void list_add(char out[CHOICES_LIST_MAX], const char *item)
{
	size_t len = strlen(out);
	int n = snprintf(out + len, CHOICES_LIST_MAX - len, "%s%s", len ? ", " : "", item);

	if (n < 0 || (size_t)n >= CHOICES_LIST_MAX - len)
		memcpy(out + CHOICES_LIST_MAX - 4, "...", 4);
}

static int listed(const char *list, const char *item)
{
	size_t n = strlen(item);
	const char *p = list;

	while ((p = strstr(p, item))) {
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

char *choices_soorten(char out[CHOICES_LIST_MAX], const struct signaltable *t)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; t && i < t->n_signals; i++)
		if (!listed(out, t->signals[i].taak))
			list_add(out, t->signals[i].taak);
	for (i = 0; t && i < t->n_jobs; i++)
		if (!listed(out, t->jobs[i].taak))
			list_add(out, t->jobs[i].taak);
	return out;
}

char *choices_gemeenten(char out[CHOICES_LIST_MAX])
{
	const char *code;
	char item[64];
	size_t i;

	out[0] = '\0';
	for (i = 0; (code = report_gemeente_at(i)); i++) {
		snprintf(item, sizeof(item), "%s %s", code, report_gemeente_naam(code));
		list_add(out, item);
	}
	return out;
}

char *choices_uitkomsten(char out[CHOICES_LIST_MAX])
{
	const char *u;
	size_t i;

	out[0] = '\0';
	for (i = 0; (u = jobs_outcome(i)); i++)
		list_add(out, u);
	return out;
}

int choices_check_soort(const struct signaltable *t, const char *value, struct br_error *err)
{
	char list[CHOICES_LIST_MAX];
	size_t i;

	for (i = 0; t && i < t->n_signals; i++)
		if (strcmp(value, t->signals[i].taak) == 0)
			return 0;
	for (i = 0; t && i < t->n_jobs; i++)
		if (strcmp(value, t->jobs[i].taak) == 0)
			return 0;
	return br_error_set(err, BR_EUSAGE, "--soort %s is geen soort taak; kies uit: %s", value,
			    choices_soorten(list, t));
}

int choices_gemeente(char out[5], const char *value, struct br_error *err)
{
	char list[CHOICES_LIST_MAX];
	const char *code;
	size_t i;

	for (i = 0; (code = report_gemeente_at(i)); i++) {
		if (strcmp(value, code) == 0 || strcasecmp(value, report_gemeente_naam(code)) == 0) {
			snprintf(out, 5, "%s", code);
			return 0;
		}
	}
	return br_error_set(err, BR_EUSAGE, "--gemeente %s is geen bekende gemeente; geef de CBS-code of de naam: %s",
			    value, choices_gemeenten(list));
}

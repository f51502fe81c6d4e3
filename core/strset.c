/* strset.c — see strset.h. */
#include "strset.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

#include "banned.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int strset_add(struct strset *s, const char *str)
{
	char *copy;

	if (mem_grow((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v)) < 0 || !(copy = strdup(str)))
		return -1;
	s->v[s->n++] = copy;
	return 0;
}

void strset_seal(struct strset *s)
{
	if (s->n) /* qsort's array may not be NULL, even for 0 elements */
		qsort(s->v, s->n, sizeof(*s->v), cmp_str);
}

int strset_has(const struct strset *s, const char *str)
{
	return s->n && bsearch(&str, s->v, s->n, sizeof(*s->v), cmp_str) != NULL;
}

void strset_clear(struct strset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/*
 * strset.h — a set of strings built once, then asked: is this one in it?
 *
 * Fill with strset_add, then strset_seal (sorts), then strset_has (binary
 * search).  Used where a run needs "is this id named anywhere" for many ids
 * and one query per id would cost more than reading them all once.
 *
 * Ownership: the set owns copies of what was added; strset_clear frees them
 * and leaves an empty set.  A zeroed struct strset is an empty set.
 */
#ifndef BR_STRSET_H
#define BR_STRSET_H

#include <stddef.h>

struct strset {
	char **v;
	size_t n, cap;
};

/* Add a copy of `str`; 0, or -1 when out of memory (the set is unchanged). */
int strset_add(struct strset *s, const char *str);

/* Sort what was added; strset_has needs it, after the last strset_add. */
void strset_seal(struct strset *s);

/* 1 when `str` was added (the set must be sealed), else 0. */
int strset_has(const struct strset *s, const char *str);

void strset_clear(struct strset *s);

#endif

/*
 * mem.h — growable arrays: the one place betaalrun doubles a buffer.
 *
 * An array is a pointer, a count the caller keeps and a capacity:
 *
 *     if (mem_grow((void **)&v, &cap, n + 1, sizeof(*v)) < 0)
 *             return br_error_set(err, BR_ENOMEM, "out of memory ...");
 *     v[n++] = ...;
 *
 * Ownership: the caller owns the array and frees it with free().
 */
#ifndef BR_MEM_H
#define BR_MEM_H

#include <stddef.h>

/*
 * Make room for `need` elements of `elem` bytes in *arr, whose capacity is
 * *cap elements.  The capacity doubles (from 16) until it holds `need`, so
 * n appends cost O(n) copies.  0, or -1 when out of memory or when the size
 * would not fit a size_t; *arr and *cap are then unchanged and the array is
 * still valid.
 */
int mem_grow(void **arr, size_t *cap, size_t need, size_t elem);

#endif

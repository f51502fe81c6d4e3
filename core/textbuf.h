/*
 * textbuf.h — a growable text with a cap (curl's dynbuf), for files that
 * are built whole in memory and then written atomically (rapport.csv,
 * rapport.html, the worklist CSV).
 *
 * The first failure is sticky: it is recorded in `err` once, kept in `rc`,
 * and every later call does nothing, so a builder appends without checking
 * each call and looks at `rc` at the end.
 *
 * Ownership: the textbuf owns `p`; textbuf_release() frees it.
 */
#ifndef BR_TEXTBUF_H
#define BR_TEXTBUF_H

#include <stddef.h>

#include "error.h"

struct textbuf {
	char *p;               /* the text, NUL-terminated; NULL while empty */
	size_t len, cap;
	size_t max;            /* len never exceeds this */
	int rc;                /* 0, or the first failure */
	struct br_error *err;  /* borrowed */
	const char *what;      /* the text in messages ("rapport.csv"), static */
};

void textbuf_init(struct textbuf *b, size_t max, const char *what, struct br_error *err);

/* Append; b->rc: BR_EINTERNAL past `max` ("%s would exceed N MiB; not
 * written"), BR_ENOMEM. */
int textbuf_add(struct textbuf *b, const char *s, size_t n);
int textbuf_puts(struct textbuf *b, const char *s);
int textbuf_printf(struct textbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void textbuf_release(struct textbuf *b);

#endif

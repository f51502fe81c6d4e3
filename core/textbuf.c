/* textbuf.c — see textbuf.h. */
#include "textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "banned.h"

void textbuf_init(struct textbuf *b, size_t max, const char *what, struct br_error *err)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
	b->what = what;
	b->err = err;
}

/* Room for n more bytes and the NUL. */
static int textbuf_reserve(struct textbuf *b, size_t n)
{
	if (b->rc)
		return b->rc;
	if (n > b->max - b->len)
		return b->rc = br_error_set(b->err, BR_EINTERNAL, "%s zou groter worden dan %zu MiB; niet geschreven",
					    b->what, b->max / (1024 * 1024));
	if (mem_grow((void **)&b->p, &b->cap, b->len + n + 1, 1) < 0)
		return b->rc = br_error_set(b->err, BR_ENOMEM, "onvoldoende geheugen bij het opbouwen van %s", b->what);
	return 0;
}

int textbuf_add(struct textbuf *b, const char *s, size_t n)
{
	if (textbuf_reserve(b, n))
		return b->rc;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int textbuf_puts(struct textbuf *b, const char *s)
{
	return textbuf_add(b, s, strlen(s));
}

int textbuf_printf(struct textbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->rc)
		return b->rc;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return b->rc = br_error_set(b->err, BR_EINTERNAL, "tekst voor %s kan niet worden opgemaakt", b->what);
	if (textbuf_reserve(b, (size_t)n))
		return b->rc;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void textbuf_release(struct textbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

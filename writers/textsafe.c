/* textsafe.c — text made safe for a report or a worklist; see textsafe.h. */
#include "textsafe.h"

#include <string.h>

#include "banned.h"

/*
 * Decode one UTF-8 sequence at s[0..n); returns its length and the code
 * point in *cp, or 1 with *cp = -1 for a byte that does not start a valid
 * sequence (overlong, surrogate, beyond U+10FFFF, truncated).
 */
static size_t utf8_next(const unsigned char *s, size_t n, long *cp)
{
	unsigned char c = s[0];
	size_t len, i;
	long v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2; v = c & 0x1f; min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3; v = c & 0x0f; min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4; v = c & 0x07; min = 0x10000;
	} else {
		*cp = -1;
		return 1;
	}
	if (len > n) {
		*cp = -1;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = -1;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
		*cp = -1;
		return 1;
	}
	*cp = v;
	return len;
}

static int is_nonchar(long cp)
{
	return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
}

/* The escape of an ASCII character for `how`, or NULL to copy it. */
static const char *escape_of(long cp, enum textsafe_esc how)
{
	if (how == TEXTSAFE_HTML) {
		switch (cp) {
		case '&': return "&amp;";
		case '<': return "&lt;";
		case '>': return "&gt;";
		case '"': return "&quot;";
		case '\'': return "&#39;";
		}
	}
	if (how == TEXTSAFE_CSV_QUOTED && cp == '"')
		return "\"\"";
	return NULL;
}

void textsafe_put(struct textbuf *b, const char *s, enum textsafe_esc how)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, k;
	const char *esc;
	long cp;

	while (i < n && !b->rc) {
		k = utf8_next(u + i, n - i, &cp);
		if (cp < 0 || is_nonchar(cp))
			textbuf_puts(b, "\xef\xbf\xbd");
		else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			textbuf_puts(b, " ");
		else if ((esc = escape_of(cp, how)))
			textbuf_puts(b, esc);
		else
			textbuf_add(b, s + i, k);
		i += k;
	}
}

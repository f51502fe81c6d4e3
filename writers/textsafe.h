/*
 * textsafe.h — text from the store made safe on the way into a file a
 * person opens (the run report's HTML and CSV, the worklist CSV).
 *
 * Whatever the bytes: control characters (C0, DEL, C1) become a space, so
 * a value can never break a line or a table; bytes that are not UTF-8
 * (overlong, surrogate, beyond U+10FFFF, truncated) and Unicode
 * noncharacters become U+FFFD.  On top of that the text is escaped for
 * where it goes: HTML (& < > " ' as entities) or the inside of a quoted
 * CSV field (" doubled, RFC 4180 §2.7).
 *
 * Knows core only (textbuf); appends to a caller's textbuf, whose sticky
 * error it follows.
 */
#ifndef BR_TEXTSAFE_H
#define BR_TEXTSAFE_H

#include "textbuf.h"

enum textsafe_esc {
	TEXTSAFE_PLAIN = 0,   /* cleaned only */
	TEXTSAFE_HTML,        /* cleaned, HTML-escaped */
	TEXTSAFE_CSV_QUOTED   /* cleaned, '"' doubled */
};

/* Append `s` made safe and escaped as `how` says. */
void textsafe_put(struct textbuf *b, const char *s, enum textsafe_esc how);

#endif

/*
 * csvout.h — CSV for people and for machines, one table per file.
 *
 * Two dialects, chosen by the setting `[rapport] csv` (config.h):
 *
 *   excel-nl (default) — what Excel and LibreOffice with Dutch settings open
 *     by a double click, in columns and with amounts as numbers: UTF-8 with
 *     a byte order mark (EF BB BF; without it Excel reads the file as
 *     Windows-1252), fields separated by ';' (the list separator of a Dutch
 *     Windows), decimal comma ("1234,56", no thousands separator, '-' before
 *     a negative amount), CRLF line ends.
 *   rfc4180 — for programs: UTF-8 without a BOM, ',' between fields, decimal
 *     point ("1234.56"), CRLF line ends (RFC 4180 §2.1).
 *
 * In both, a text field is quoted when it holds the separator, a '"', or
 * (before cleaning) a line break; '"' inside is doubled (RFC 4180 §2.5-7).
 * Text is cleaned by textsafe (no control character, valid UTF-8).  A text
 * field that starts with = + - or @ gets a leading apostrophe, so a
 * spreadsheet shows it as text and never evaluates it (formula injection);
 * numbers are written by csvout_money / csvout_count and are never text.
 *
 * Knows core only; appends to a caller's textbuf (sticky error).
 */
#ifndef BR_CSVOUT_H
#define BR_CSVOUT_H

#include <stdint.h>

#include "textbuf.h"

enum csv_dialect {
	CSV_EXCEL_NL = 0,
	CSV_RFC4180 = 1
};

struct csvout {
	struct textbuf *b;       /* borrowed */
	enum csv_dialect dialect;
	int col;                 /* fields in the current row so far */
};

/* The dialect named `name` ("excel-nl", "rfc4180"): 0, or -1 for another
 * name (the configuration checks the word before this is called). */
int csvout_dialect_parse(enum csv_dialect *out, const char *name);

/* Start a file in `b`: the BOM for excel-nl, nothing for rfc4180. */
void csvout_begin(struct csvout *c, struct textbuf *b, enum csv_dialect d);

void csvout_text(struct csvout *c, const char *s);   /* a text field */
void csvout_money(struct csvout *c, int64_t cents);  /* "1234,56" / "1234.56" */
void csvout_count(struct csvout *c, int64_t n);      /* "1234" */
void csvout_empty(struct csvout *c);                 /* an empty field */
void csvout_end_row(struct csvout *c);               /* CRLF */

#endif

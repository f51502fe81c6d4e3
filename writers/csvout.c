/* csvout.c — CSV in the excel-nl and rfc4180 dialects; see csvout.h. */
#include "csvout.h"

#include <stdio.h>
#include <string.h>

#include "money.h"
#include "textsafe.h"
#include "banned.h"

int csvout_dialect_parse(enum csv_dialect *out, const char *name)
{
	if (name && strcmp(name, "excel-nl") == 0)
		*out = CSV_EXCEL_NL;
	else if (name && strcmp(name, "rfc4180") == 0)
		*out = CSV_RFC4180;
	else
		return -1;
	return 0;
}

void csvout_begin(struct csvout *c, struct textbuf *b, enum csv_dialect d)
{
	c->b = b;
	c->dialect = d;
	c->col = 0;
	if (d == CSV_EXCEL_NL)
		textbuf_puts(b, "\xef\xbb\xbf");
}

static char sep_of(const struct csvout *c)
{
	return c->dialect == CSV_EXCEL_NL ? ';' : ',';
}

static void next_field(struct csvout *c)
{
	if (c->col++)
		textbuf_add(c->b, c->dialect == CSV_EXCEL_NL ? ";" : ",", 1);
}

void csvout_text(struct csvout *c, const char *s)
{
	const char seps[] = { sep_of(c), '"', '\r', '\n', '\0' };
	int quote = strpbrk(s, seps) != NULL;

	next_field(c);
	if (quote)
		textbuf_puts(c->b, "\"");
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		textbuf_puts(c->b, "'");
	textsafe_put(c->b, s, quote ? TEXTSAFE_CSV_QUOTED : TEXTSAFE_PLAIN);
	if (quote)
		textbuf_puts(c->b, "\"");
}

void csvout_money(struct csvout *c, int64_t cents)
{
	char v[MONEY_FMT_MAX], *dot;

	money_format(v, cents);
	/* one '.' before the two decimals; the Dutch decimal sign is ',' */
	if (c->dialect == CSV_EXCEL_NL && (dot = strchr(v, '.')))
		*dot = ',';
	next_field(c);
	textbuf_puts(c->b, v);
}

void csvout_count(struct csvout *c, int64_t n)
{
	next_field(c);
	textbuf_printf(c->b, "%lld", (long long)n);
}

void csvout_empty(struct csvout *c)
{
	next_field(c);
}

void csvout_end_row(struct csvout *c)
{
	textbuf_add(c->b, "\r\n", 2);
	c->col = 0;
}

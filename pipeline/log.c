/* log.c — logfmt event lines on stderr with BSN masking; see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* -1 until set: the first event reads $BETAALRUN_LOG unless
 * log_set_level() chose a level before. */
static int log_level = -1;

static const char *const log_names[] = { "debug", "info", "warn", "error" };

static enum log_level log_current(void)
{
	if (log_level < 0) {
		const char *env = getenv("BETAALRUN_LOG");
		int i;

		log_level = LOG_INFO;
		/* cli.md: $BETAALRUN_LOG=debug shows debug events; an unknown
		 * value keeps the default. */
		for (i = 0; env && i < 4; i++)
			if (strcmp(env, log_names[i]) == 0)
				log_level = i;
	}
	return (enum log_level)log_level;
}

void log_set_level(enum log_level level)
{
	log_level = (int)level;
}

static int log_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

void log_mask_digits(char *s)
{
	/* cli.md: BSNs are masked as *****6782 in every log line.  Only runs
	 * of exactly nine digits: longer runs (an IBAN's account number, a
	 * timestamp's digits are shorter) are no BSN. */
	char *p = s, *start;

	if (!s)
		return;
	while (*p) {
		if (!log_is_digit(*p)) {
			p++;
			continue;
		}
		start = p;
		while (log_is_digit(*p))
			p++;
		if (p - start == 9)
			memset(start, '*', 5);
	}
}

/* Does a logfmt value need quotes: empty, or any space, '"', '=', '\\'
 * or control character. */
static int log_needs_quotes(const char *v)
{
	if (!*v)
		return 1;
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f)
			return 1;
	}
	return 0;
}

const char *log_q(char *buf, unsigned cap, const char *value)
{
	size_t n = 0;
	const char *v = value ? value : "";

	if (!buf || cap < 3)
		return "\"\"";
	if (!log_needs_quotes(v)) {
		snprintf(buf, cap, "%s", v);
		return buf;
	}
	buf[n++] = '"';
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;
		char esc[5];
		size_t elen;

		/* One event, one line: newlines and other control characters
		 * are escaped, never written raw. */
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			elen = 2;
		} else if (c == '\n' || c == '\r' || c == '\t') {
			esc[0] = '\\';
			esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
			elen = 2;
		} else if (c < 0x20 || c == 0x7f) {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = "0123456789abcdef"[c >> 4];
			esc[3] = "0123456789abcdef"[c & 15];
			elen = 4;
		} else {
			esc[0] = (char)c;
			elen = 1;
		}
		if (n + elen + 2 > cap) /* keep room for the closing '"' and NUL */
			break;
		memcpy(buf + n, esc, elen);
		n += elen;
	}
	if (*v) {
		/* Cut: a digit run at the cut may be the start of a BSN that the
		 * final masking would no longer recognise, so hide it; and do
		 * not leave half a UTF-8 character before the quote. */
		size_t i = n;

		if (log_is_digit(*v))
			while (i > 1 && log_is_digit(buf[i - 1]))
				buf[--i] = '*';
		while (n > 1 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
			n--;
		if (n > 1 && ((unsigned char)buf[n - 1] & 0xc0) == 0xc0)
			n--;
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return buf;
}

void log_event(enum log_level level, const char *msg, const char *fields, ...)
{
	char line[LOG_LINE_MAX];
	char qmsg[LOG_LINE_MAX / 2];
	va_list ap;
	size_t n;
	int w;

	if ((int)level < LOG_DEBUG || (int)level > LOG_ERROR)
		level = LOG_ERROR;
	if ((int)level < (int)log_current())
		return;
	/* The header says msg="..." for a message with spaces (log.h). */
	w = snprintf(line, sizeof(line) - 1, "level=%s msg=%s", log_names[level],
		log_q(qmsg, sizeof(qmsg), msg));
	n = w < 0 ? 0 : (size_t)w;
	if (fields && n + 1 < sizeof(line) - 1) {
		line[n++] = ' ';
		va_start(ap, fields);
		w = vsnprintf(line + n, sizeof(line) - 1 - n, fields, ap);
		va_end(ap);
		if (w < 0) {
			line[--n] = '\0';
		} else if ((size_t)w >= sizeof(line) - 1 - n) {
			/* Cut at LOG_LINE_MAX.  A digit run cut at the end may be
			 * the first digits of a BSN: hide it entirely. */
			size_t end = strlen(line);

			while (end > 0 && log_is_digit(line[end - 1]))
				line[--end] = '*';
			n = strlen(line);
		} else {
			n += (size_t)w;
		}
	}
	if (n > sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n] = '\0';
	/* log.h: masking happens last, on the finished line. */
	log_mask_digits(line);
	line[n++] = '\n';
	fwrite(line, 1, n, stderr);
	fflush(stderr);
}

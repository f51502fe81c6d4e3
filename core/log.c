/* log.c — logfmt event lines on stderr with BSN masking; see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

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
	/* cli.md: BSNs are masked as *****6782 in every log line.  Any run of
	 * nine or more digits, whatever surrounds it: a BSN inside a longer
	 * run (an account number, two numbers written together) is still a
	 * BSN.  The last four digits stay, as in the nine-digit mask. */
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
		if (p - start >= 9)
			memset(start, '*', (size_t)(p - start) - 4);
	}
}

/* ---- escaping ------------------------------------------------------------ */

/* One character as shown: at most four bytes written as \xNN, and a NUL. */
#define ESC_MAX 17

/* Length (1..4) of the valid UTF-8 sequence at s, with its code point in
 * *cp, or 0 when s does not start one (a stray continuation byte, an
 * overlong form, a surrogate, beyond U+10FFFF, cut by the NUL). */
static size_t utf8_seq(const unsigned char *s, unsigned long *cp)
{
	unsigned char c = s[0];
	unsigned long v;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		v = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Characters that are not shown as they are (log.h). */
static int log_hidden(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff;
}

static size_t esc_hex(char *out, unsigned char c)
{
	out[0] = '\\';
	out[1] = 'x';
	out[2] = "0123456789abcdef"[c >> 4];
	out[3] = "0123456789abcdef"[c & 15];
	return 4;
}

/*
 * The next character of `s` (not at its NUL) as it is shown, into out
 * (NUL-terminated, its length in *out_len); returns how many bytes of s it
 * stands for.  With `quote`, '"' is escaped too (a logfmt value).
 */
static size_t esc_char(char out[ESC_MAX], size_t *out_len, const unsigned char *s, int quote)
{
	unsigned long cp = 0;
	size_t n = utf8_seq(s, &cp), i, len = 0;

	if (n == 0) {
		len = esc_hex(out, s[0]);
		n = 1;
	} else if (n == 1 && (cp == '\\' || (quote && cp == '"'))) {
		out[len++] = '\\';
		out[len++] = (char)cp;
	} else if (n == 1 && (cp == '\n' || cp == '\r' || cp == '\t')) {
		out[len++] = '\\';
		out[len++] = cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't';
	} else if (log_hidden(cp)) {
		for (i = 0; i < n; i++)
			len += esc_hex(out + len, s[i]);
	} else {
		memcpy(out, s, n);
		len = n;
	}
	out[len] = '\0';
	*out_len = len;
	return n;
}

int log_is_plain(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;

	while (*p) {
		size_t n = utf8_seq(p, &cp);

		if (n == 0 || log_hidden(cp))
			return 0;
		p += n;
	}
	return 1;
}

size_t log_escape(char *out, size_t cap, const char *s, int mask)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t need = 0, len = 0, run_left = 0, run_mask = 0;
	int full = cap == 0;

	while (*p) {
		char e[ESC_MAX];
		size_t elen, used;

		if (mask && log_is_digit((char)*p)) {
			/* a digit run is judged whole: mask it, then show it */
			if (run_left == 0) {
				while (log_is_digit((char)p[run_left]))
					run_left++;
				run_mask = run_left >= 9 ? run_left - 4 : 0;
			}
			e[0] = run_mask ? '*' : (char)*p;
			e[1] = '\0';
			elen = used = 1;
			run_left--;
			if (run_mask)
				run_mask--;
		} else {
			used = esc_char(e, &elen, p, 0);
		}
		p += used;
		need += elen;
		if (!full && len + elen < cap) {
			memcpy(out + len, e, elen);
			len += elen;
		} else {
			full = 1; /* never a later, shorter unit after a cut */
		}
	}
	if (cap)
		out[len] = '\0';
	return need;
}

int log_record_format(char *out, size_t cap, const struct log_field *f, size_t n)
{
	size_t len = 0, i;

	if (!cap)
		return -1;
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t klen = strlen(f[i].key), vlen;

		if (len + klen + 2 >= cap)
			goto full;
		memcpy(out + len, f[i].key, klen);
		memcpy(out + len + klen, ": ", 2);
		len += klen + 2;
		vlen = log_escape(out + len, cap - len, f[i].value ? f[i].value : "-", f[i].mask);
		if (len + vlen + 1 >= cap)
			goto full;
		len += vlen;
		out[len++] = '\n';
		out[len] = '\0';
	}
	return len > (size_t)2147483647 ? -1 : (int)len;
full:
	out[0] = '\0';
	return -1;
}

/* Does a logfmt value need quotes: empty, or any space, '=', or anything
 * esc_char shows otherwise than it is ('"', '\\', control characters,
 * bytes that are not UTF-8). */
static int log_needs_quotes(const char *v)
{
	const unsigned char *p = (const unsigned char *)v;

	if (!*p)
		return 1;
	while (*p) {
		char e[ESC_MAX];
		size_t elen, n;

		if (*p == ' ' || *p == '=')
			return 1;
		n = esc_char(e, &elen, p, 1);
		if (elen != n || memcmp(e, p, n) != 0)
			return 1;
		p += n;
	}
	return 0;
}

const char *log_q(char *buf, unsigned cap, const char *value)
{
	size_t n = 0;
	const unsigned char *v = (const unsigned char *)(value ? value : "");

	if (!buf || cap < 3)
		return "\"\"";
	if (!log_needs_quotes((const char *)v)) {
		snprintf(buf, cap, "%s", (const char *)v);
		return buf;
	}
	buf[n++] = '"';
	while (*v) {
		char e[ESC_MAX];
		size_t elen, used;

		/* One event, one line: newlines and other control characters
		 * are escaped, never written raw; a character is written
		 * whole or not at all. */
		used = esc_char(e, &elen, v, 1);
		if (n + elen + 2 > cap) /* keep room for the closing '"' and NUL */
			break;
		memcpy(buf + n, e, elen);
		n += elen;
		v += used;
	}
	if (*v && log_is_digit((char)*v)) {
		/* Cut: a digit run at the cut may be the start of a BSN that the
		 * final masking would no longer recognise, so hide it. */
		size_t i = n;

		while (i > 1 && log_is_digit(buf[i - 1]))
			buf[--i] = '*';
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return buf;
}

/* The event's time: "unknown" when the clock (or a malformed
 * $BETAALRUN_NOW, which the command itself reports) gives none. */
static const char *log_ts(char buf[TIMESTAMP_UTC_FMT_MAX])
{
	int64_t now;

	if (timestamp_now(&now, NULL) < 0)
		return "unknown";
	return timestamp_format_utc(buf, now);
}

void log_event(enum log_level level, const char *msg, const char *fields, ...)
{
	char line[LOG_LINE_MAX], ts[TIMESTAMP_UTC_FMT_MAX];
	char qmsg[LOG_LINE_MAX / 2];
	va_list ap;
	size_t n;
	int w;

	if ((int)level < LOG_DEBUG || (int)level > LOG_ERROR)
		level = LOG_ERROR;
	if ((int)level < (int)log_current())
		return;
	/* log.h: ts first, RFC 3339 UTC of timestamp_now ($BETAALRUN_NOW
	 * fixes it); the header says msg="..." for a message with spaces. */
	w = snprintf(line, sizeof(line) - 1, "ts=%s level=%s msg=%s", log_ts(ts), log_names[level],
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
	/* log.h: masking happens last, on the finished line; a control byte
	 * that came in raw (a value without log_q) cannot start a line. */
	log_mask_digits(line);
	for (w = 0; (size_t)w < n; w++)
		if ((unsigned char)line[w] < 0x20 || line[w] == 0x7f)
			line[w] = '?';
	line[n++] = '\n';
	fwrite(line, 1, n, stderr);
	fflush(stderr);
}

/*
 * fuzz_names.c — libFuzzer target for what the inbox does with a file name
 * it did not choose (formats.md §5, issue #10): the safe name it is
 * quarantined under (fsutil_safe_name), and the reason file beside it
 * (log_record_format over log_escape), plus the logfmt quoting of the same
 * name (log_q).
 *
 * The first input byte is a buffer size for a cut escape (0..255); the rest,
 * up to the first NUL, is the name (any bytes, '/' included: the functions
 * must not rely on a name being one).  Contract checked:
 *   - the safe name is 16..FSUTIL_SAFE_NAME_MAX bytes of [A-Za-z0-9._-],
 *     never starts with '.', its hash part is letters, and the same name
 *     gives the same safe name;
 *   - the escaped name holds no control byte and no byte that is not UTF-8
 *     text (log_is_plain), has the length log_escape returned, and decodes
 *     back to the name; masked, it decodes to the name as log_mask_digits
 *     masks it, in which no run of nine digits is left;
 *   - cut to a small buffer, it is a prefix of the whole escape that ends
 *     on a character boundary;
 *   - the reason record has exactly one line per field, each starting with
 *     its own key and ": ", and no control byte but the line ends;
 *   - log_q gives one quoted or plain value without control bytes.
 *
 *   make fuzz && build/fuzz/fuzz_names -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_names
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "log.h"

#include "banned.h"

#define NAME_MAX_FUZZ 1024

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract(int ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_names: contract violated: %s\n", what);
	abort();
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The escapes of log.h back to bytes; -1 on anything that is not one. */
static long unescape(char *out, size_t cap, const char *s, size_t len)
{
	size_t i = 0, n = 0;

	while (i < len) {
		char c = s[i++];

		if (c == '\\') {
			if (i >= len)
				return -1;
			c = s[i++];
			if (c == 'n') {
				c = '\n';
			} else if (c == 't') {
				c = '\t';
			} else if (c == 'r') {
				c = '\r';
			} else if (c == 'x') {
				int hi, lo;
				if (i + 2 > len || (hi = hexval(s[i])) < 0 || (lo = hexval(s[i + 1])) < 0)
					return -1;
				c = (char)(hi * 16 + lo);
				i += 2;
			} else if (c != '\\') {
				return -1;
			}
		}
		if (n + 1 >= cap)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	return (long)n;
}

static int has_control(const char *s, size_t len, int allow_newline)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && !(allow_newline && c == '\n')) || c == 0x7f)
			return 1;
	}
	return 0;
}

static int has_nine_digits(const char *s)
{
	int run = 0;

	for (; *s; s++) {
		run = *s >= '0' && *s <= '9' ? run + 1 : 0;
		if (run >= 9)
			return 1;
	}
	return 0;
}

static void check_safe_name(const char *name)
{
	char out[FSUTIL_SAFE_NAME_MAX + 1], again[FSUTIL_SAFE_NAME_MAX + 1];
	size_t i, len;

	contract(fsutil_safe_name(out, name) == 0, "a safe name is always made");
	len = strlen(out);
	contract(len >= FSUTIL_SAFE_HASH_LEN && len <= FSUTIL_SAFE_NAME_MAX, "safe name length");
	contract(out[0] != '.', "a safe name is not hidden");
	for (i = 0; i < len; i++) {
		char c = out[i];
		contract((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '.' || c == '_' || c == '-', "a safe name holds [A-Za-z0-9._-] only");
		if (i < FSUTIL_SAFE_HASH_LEN)
			contract(c >= 'a' && c <= 'p', "the hash part is letters");
	}
	contract(fsutil_safe_name(again, name) == 0 && strcmp(out, again) == 0, "deterministic");
}

static void check_escape(const char *name, size_t small_cap)
{
	static char esc[4 * NAME_MAX_FUZZ + 8], back[NAME_MAX_FUZZ + 8], masked[NAME_MAX_FUZZ + 8];
	static char cut[260];
	size_t need, len, cut_len;
	int mask;

	for (mask = 0; mask <= 1; mask++) {
		need = log_escape(esc, sizeof(esc), name, mask);
		len = strlen(esc);
		contract(need == len, "log_escape returns the escaped length");
		contract(!has_control(esc, len, 0), "no control byte in an escaped value");
		contract(log_is_plain(esc), "an escaped value is plain UTF-8 text");
		contract(unescape(back, sizeof(back), esc, len) >= 0, "an escaped value decodes");
		snprintf(masked, sizeof(masked), "%s", name);
		if (mask)
			log_mask_digits(masked);
		contract(strcmp(back, masked) == 0, "the escaped value decodes to the (masked) name");
		if (mask)
			contract(!has_nine_digits(back), "no run of nine digits once masked");

		/* cut short: a prefix that ends between two escapes */
		contract(log_escape(cut, small_cap, name, mask) == need, "a cut escape returns the whole length");
		if (small_cap == 0)
			continue;
		cut_len = strlen(cut);
		contract(cut_len < small_cap, "a cut escape fits its buffer");
		contract(memcmp(cut, esc, cut_len) == 0, "a cut escape is a prefix of the whole");
		contract(unescape(back, sizeof(back), cut, cut_len) >= 0, "a cut escape still decodes");
		contract(log_is_plain(cut), "a cut escape ends on a character boundary");
	}
}

/* A plain name escapes to itself but for its backslashes. */
static void check_plain(const char *name)
{
	size_t backslashes = 0;
	const char *p;

	if (!log_is_plain(name))
		return;
	for (p = name; *p; p++)
		backslashes += *p == '\\';
	contract(log_escape(NULL, 0, name, 0) == strlen(name) + backslashes,
		 "a plain name is shown as it is");
}

static void check_record(const char *name)
{
	static const char *const keys[] = { "file", "kind", "line", "problem", "sha256", "action" };
	static char out[16 * NAME_MAX_FUZZ + 1024]; /* four bytes an escape, three values of a name */
	char problem[NAME_MAX_FUZZ + 64];
	struct log_field f[6];
	const char *line;
	size_t i;
	int n;

	snprintf(problem, sizeof(problem), "the file name '%s' is refused", name);
	f[0] = (struct log_field){ keys[0], name, 0 };
	f[1] = (struct log_field){ keys[1], "regular file", 0 };
	f[2] = (struct log_field){ keys[2], NULL, 0 };
	f[3] = (struct log_field){ keys[3], problem, 1 };
	f[4] = (struct log_field){ keys[4], "-", 0 };
	f[5] = (struct log_field){ keys[5], name, 0 };
	n = log_record_format(out, sizeof(out), f, 6);
	contract(n >= 0 && (size_t)n == strlen(out), "the record fits and its length is returned");
	contract(!has_control(out, (size_t)n, 1), "no control byte in a record but its line ends");
	line = out;
	for (i = 0; i < 6; i++) {
		size_t klen = strlen(keys[i]);
		const char *end = strchr(line, '\n');

		contract(end != NULL, "every field ends its line");
		contract(strncmp(line, keys[i], klen) == 0 && line[klen] == ':' && line[klen + 1] == ' ',
			 "every line starts with its own key");
		line = end + 1;
	}
	contract(*line == '\0', "one line per field, no more");
	/* too small: nothing rather than a record cut short */
	contract(log_record_format(out, 8, f, 6) == -1 && out[0] == '\0', "a record is whole or nothing");
}

static void check_log_q(const char *name)
{
	char b[600];
	const char *q = log_q(b, sizeof(b), name);

	contract(!has_control(q, strlen(q), 0), "log_q leaves no control byte");
	contract(strlen(q) < sizeof(b), "log_q fits its buffer");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char name[NAME_MAX_FUZZ + 1];
	size_t len;

	if (size < 1)
		return 0;
	len = size - 1 < NAME_MAX_FUZZ ? size - 1 : NAME_MAX_FUZZ;
	memcpy(name, data + 1, len);
	name[len] = '\0'; /* a name ends at its first NUL, as a C string does */
	check_safe_name(name);
	check_escape(name, data[0]);
	check_plain(name);
	check_record(name);
	check_log_q(name);
	return 0;
}

/*
 * fuzz_translit.c — libFuzzer target for pain001_translit (writers/pain001.h),
 * the EPC basic Latin transliteration every name and remittance in the
 * payment file goes through.
 *
 * The first input byte chooses max_chars (0..255), the rest is the text
 * (up to the first NUL, as the writer sees C strings).  Contract checked
 * for that limit and for 70 and 140 (Nm, Ustrd): the result is BR_EINPUT
 * with an empty output, or a length equal to strlen(out), at most
 * max_chars, only a-z A-Z 0-9 / - ? : ( ) . , ' + space, no leading,
 * trailing or double space; transliterating the output again changes
 * nothing; and pain001_id_valid never crashes on it.
 *
 *   make fuzz && build/fuzz/fuzz_translit -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_translit
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "pain001.h"

#include "banned.h"

#define TEXT_MAX 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract(int ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_translit: contract violated: %s\n", what);
	abort();
}

static int allowed(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("/-?:().,'+ ", c) != NULL;
}

static void check(const char *text, size_t max_chars)
{
	char out[512], again[512];
	struct br_error err;
	size_t k, len;
	int n, n2;

	br_error_clear(&err);
	n = pain001_translit(out, sizeof(out), text, max_chars, &err);
	if (n < 0) {
		contract(n == BR_EINPUT, "only invalid UTF-8 is an error");
		contract(err.code == BR_EINPUT && err.msg[0], "the error is described");
		contract(out[0] == '\0', "no output on error");
		return;
	}
	len = strlen(out);
	contract((size_t)n == len, "return value is the length");
	contract(len <= max_chars && len < sizeof(out), "at most max_chars");
	for (k = 0; k < len; k++) {
		contract(allowed(out[k]), "only the EPC basic Latin set");
		if (out[k] == ' ')
			contract(k > 0 && k + 1 < len && out[k + 1] != ' ', "no leading, trailing or double space");
	}
	br_error_clear(&err);
	n2 = pain001_translit(again, sizeof(again), out, max_chars, &err);
	contract(n2 == n && strcmp(again, out) == 0, "idempotent");
	(void)pain001_id_valid(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[TEXT_MAX + 1];
	size_t max_chars, len;

	if (size < 1)
		return 0;
	max_chars = data[0];
	len = size - 1 < TEXT_MAX ? size - 1 : TEXT_MAX;
	memcpy(text, data + 1, len);
	text[len] = '\0';
	check(text, max_chars);
	check(text, PAIN001_NAME_MAX);
	check(text, PAIN001_USTRD_MAX);
	(void)pain001_id_valid(text);
	return 0;
}

/*
 * fuzz_ledger.c — libFuzzer target for the ledger's summary blob
 * (pipeline/ledger.h): the bytes a store's grootboek.maanden holds,
 * version 1 (fixed months) or 2 (varints).
 *
 * Contract: decoding gives a month count or BR_EINTERNAL (misformed),
 * never anything else; decoded months ascend; what they encode to (always
 * version 2) decodes to the same months, and encodes to the same bytes
 * again.
 *
 *   make fuzz && build/fuzz/fuzz_ledger -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_ledger
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ledger.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CAP 64   /* months: a cap below the blob's count is refused too */

static void contract(int ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_ledger: contract violated: %s\n", what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct settle_paid a[CAP], b[CAP];
	static unsigned char once[LEDGER_ENCODED_MAX(CAP)], again[LEDGER_ENCODED_MAX(CAP)];
	struct br_error err;
	size_t n1, n2;
	int n, m, i;

	br_error_clear(&err);
	n = ledger_decode(a, CAP, data, size, &err);
	contract(n >= 0 || n == BR_EINTERNAL, "decode: a count or misformed");
	if (n <= 0)
		return 0;
	for (i = 1; i < n; i++)
		contract(a[i].month > a[i - 1].month, "decoded months ascend");
	n1 = ledger_encode(once, a, (size_t)n);
	contract(n1 <= sizeof(once) && once[0] == 2, "an encoding fits and is version 2");
	m = ledger_decode(b, CAP, once, n1, &err);
	contract(m == n, "an encoding decodes to as many months");
	for (i = 0; i < n; i++)
		contract(a[i].month == b[i].month && a[i].paid_cents == b[i].paid_cents &&
			 a[i].vt_paid_cents == b[i].vt_paid_cents && a[i].advanced == b[i].advanced,
			 "an encoding decodes to the same months");
	n2 = ledger_encode(again, b, (size_t)m);
	contract(n2 == n1 && memcmp(once, again, n1) == 0, "the encoding does not drift");
	return 0;
}

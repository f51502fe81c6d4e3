/* bsn.c — burgerservicenummer checks and masking; see bsn.h. */
#include "bsn.h"

#include <string.h>

#include "banned.h"

int bsn_valid(const char *s, size_t len)
{
	/* formats.md "Common rules": the elfproef, weights 9..2 and −1. */
	static const int weight[BSN_LEN] = { 9, 8, 7, 6, 5, 4, 3, 2, -1 };
	int sum = 0, nonzero = 0;
	size_t i;

	if (!s || len != BSN_LEN)
		return 0;
	for (i = 0; i < BSN_LEN; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		sum += weight[i] * (s[i] - '0');
		nonzero |= s[i] != '0';
	}
	/* 000000000 passes the sum test but is no one's number. */
	return nonzero && sum % 11 == 0;
}

char *bsn_mask(char out[BSN_LEN + 1], const char *bsn)
{
	/* cli.md: BSNs are masked as *****6782 in every log and message. */
	memset(out, '*', BSN_LEN);
	out[BSN_LEN] = '\0';
	if (bsn && strnlen(bsn, BSN_LEN + 1) == BSN_LEN)
		memcpy(out + BSN_LEN - 4, bsn + BSN_LEN - 4, 4);
	return out;
}

/*
 * varint.c — LEB128 varints (varint.h).
 */
#include "varint.h"

#include "banned.h"

size_t varint_put(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	for (; v >= 0x80; v >>= 7)
		p[n++] = (unsigned char)(v | 0x80);
	p[n++] = (unsigned char)v;
	return n;
}

int varint_get(const unsigned char *p, size_t len, size_t *at, uint64_t *out)
{
	uint64_t v = 0;
	int shift;

	for (shift = 0; *at < len && shift < 64; shift += 7) {
		unsigned char c = p[(*at)++];
		if (shift == 63 && c > 1)
			return -1;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

/*
 * varint.h — LEB128 varints and zigzag signed integers, for the compact
 * blobs the store keeps (ledger.h summaries, incomepack.h packs).
 *
 * A varint is 7 bits a byte, least significant first, the high bit set on
 * every byte but the last: at most 10 bytes for 64 bits.  A signed value
 * is zigzagged first (0, -1, 1, -2, ... → 0, 1, 2, 3, ...), so that small
 * magnitudes of either sign stay short.
 */
#ifndef BR_VARINT_H
#define BR_VARINT_H

#include <stddef.h>
#include <stdint.h>

#define VARINT_MAX 10   /* bytes one varint takes at most */

/* Write `v` at p (room for VARINT_MAX bytes); returns the bytes written. */
size_t varint_put(unsigned char *p, uint64_t v);

/* Read a varint from p[*at..len), advancing *at; -1 when it runs past the
 * end or past 64 bits (then *at and *out are unspecified). */
int varint_get(const unsigned char *p, size_t len, size_t *at, uint64_t *out);

static inline uint64_t varint_zig(int64_t v) { return (uint64_t)v << 1 ^ (uint64_t)(v >> 63); }
static inline int64_t varint_unzig(uint64_t u) { return (int64_t)(u >> 1) ^ -(int64_t)(u & 1); }

#endif

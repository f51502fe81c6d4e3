/*
 * gen.h — the random history generator of the history test (issue 15).
 */
#ifndef GEN_H
#define GEN_H

#include <stdint.h>

#include "history.h"

struct gen_opts {
	int late_original;  /* corrections may arrive before the record they correct */
	int dagen;          /* -1: per seed at random; 0/1: force toerekening */
	int min_dossiers, max_dossiers;
	int buffer;         /* -1: per seed at random; else enum h_buffer for every seed */
	int ondergrens;     /* 0: per seed at random (95 or 100); else this percentage */
};

/* Fill `h` from `seed` (the same seed and options give the same history). */
void gen_history(struct h_history *h, uint64_t seed, const struct gen_opts *o);

#endif

/*
 * progress.h — one updating line on a terminal for a long step (issue 13):
 * "voorbereiden: 120000/500000 dossiers (24%), 9800/s, nog 39 s".
 *
 * The caller decides where it goes: `out` is a terminal's stream (main.c
 * passes stderr when isatty(2)) or NULL, and then every call is a no-op,
 * so a stage ticks without knowing whether anyone watches.  The line is
 * rewritten in place with '\r', at most PROGRESS_PER_SECOND times a
 * second (the clock is read at most once per PROGRESS_CLOCK_EVERY ticks),
 * and ended with a line break by progress_end.  Amounts are counts, or
 * bytes when `unit` is "MB" (shown in MiB).
 *
 * Memory: the struct is the caller's; `what` and `unit` are borrowed and
 * must outlive it.  No allocation.
 */
#ifndef BR_PROGRESS_H
#define BR_PROGRESS_H

#include <stdint.h>
#include <stdio.h>

#define PROGRESS_PER_SECOND 4
#define PROGRESS_CLOCK_EVERY 64

struct progress {
	FILE *out;                  /* NULL: silent */
	const char *what, *unit;
	uint64_t total, done;
	int64_t start_ms, last_ms;
	unsigned ticks;
	int shown;                  /* a line is on the screen */
};

/* Start a step of `total` units (0: unknown) on `out` (NULL: silent). */
void progress_start(struct progress *p, FILE *out, const char *what, const char *unit, uint64_t total);

/* `done` units so far; shows the line when it is time to. */
void progress_update(struct progress *p, uint64_t done);

/* Show the final count and end the line (only if one was shown). */
void progress_end(struct progress *p);

#endif

/*
 * ring.h — a bounded ring of fixed-size records between one producer
 * (the thread that calls ring_push) and one consumer thread that the
 * ring starts and joins.
 *
 * Intake uses it to parse on one core and store on the other (intake.c,
 * "the store thread"): the parser's record handler copies each record
 * into a slot; the consumer takes them out in order, in batches, and
 * hands each to `consume`.  Both sides take the lock once per batch of
 * RING_BATCH records, not per record: the producer claims free slots a
 * batch at a time, fills them without the lock and hands them over when
 * the batch is full (or at ring_finish).  The first consumer error stops
 * the ring: ring_push then refuses (at the latest when the producer next
 * claims slots, within RING_BATCH records), and ring_finish returns that
 * error.
 *
 * Ownership: the caller owns `struct ring` (zeroed before ring_start);
 * the slots are the ring's until ring_release.  `ctx` is borrowed for
 * the life of the consumer thread.  Not reusable after ring_release
 * without zeroing.
 */
#ifndef BR_RING_H
#define BR_RING_H

#include <pthread.h>
#include <stddef.h>

#include "error.h"

#define RING_SLOTS 256
#define RING_BATCH 32    /* wake the other side per this many records, not per record */

struct ring {
	pthread_mutex_t mu;
	pthread_cond_t filled;       /* records waiting, or done/stop */
	pthread_cond_t drained;      /* room, or stop */
	unsigned char *slots;        /* RING_SLOTS records of `size` bytes, owned */
	size_t size;
	void (*copy)(void *slot, const void *rec);
	int (*consume)(void *ctx, const void *rec, struct br_error *err);
	void *ctx;
	unsigned head, count;        /* slots [head, head + count) hold records */
	/* the producer's own, without the lock: slots it claimed and not
	 * yet filled, and those it filled and not yet counted (they follow
	 * [head, head + count)) */
	unsigned claimed, unpublished, tail;
	int consumer_waits, producer_waits;
	int done;                    /* the producer handed over its last record */
	int stop;                    /* the consumer failed: take no more */
	int consumer_rc;             /* its error, in consumer_err */
	struct br_error consumer_err;
	pthread_t thread;
	int running;                 /* the thread was started and not yet joined */
};

/*
 * Start the consumer thread.  `copy` copies a borrowed record of at most
 * `size` bytes into a slot; `consume` is called on the consumer thread
 * with each slot in order.  BR_EINTERNAL when already started, BR_ENOMEM
 * when the slots or the thread cannot be had.
 */
int ring_start(struct ring *r, size_t size, void (*copy)(void *slot, const void *rec),
	       int (*consume)(void *ctx, const void *rec, struct br_error *err), void *ctx,
	       struct br_error *err);

/* 1 between ring_start and ring_finish. */
int ring_running(const struct ring *r);

/*
 * Hand one record over (copied; it is borrowed), waiting while the ring
 * is full: 0, or -1 when the consumer has failed (its error comes from
 * ring_finish; `rec` was not taken).
 */
int ring_push(struct ring *r, const void *rec);

/*
 * After the producer's last record, its result `rc`: let the consumer
 * take what it was handed, join it, and return the consumer's error
 * (into `err`) when it failed, else `rc`.  A no-op returning `rc` when
 * the ring was never started.
 */
int ring_finish(struct ring *r, int rc, struct br_error *err);

/* After ring_finish, when the consumer failed: `drop` each record that
 * was handed over and never given to `consume` (for records that own
 * memory).  Harmless on a ring never started or fully consumed. */
void ring_drain(struct ring *r, void (*drop)(void *slot));

/* Free the slots (after ring_finish; harmless on a ring never started). */
void ring_release(struct ring *r);

#endif

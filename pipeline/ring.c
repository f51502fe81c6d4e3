/* ring.c — a bounded producer/consumer ring; see ring.h. */
#include "ring.h"

#include <stdlib.h>
#include <string.h>

#include "banned.h"

/* Take up to RING_BATCH records at a time; the slots taken are the
 * consumer's until `head` and `count` are moved past them. */
static void *ring_main(void *arg)
{
	struct ring *r = arg;
	struct br_error err;
	int rc = 0;

	br_error_clear(&err);
	pthread_mutex_lock(&r->mu);
	for (;;) {
		unsigned i, n, head;

		/* Wait for a batch, or for whatever is left at the end. */
		while (r->count < RING_BATCH && !r->done) {
			r->consumer_waits = 1;
			pthread_cond_wait(&r->filled, &r->mu);
			r->consumer_waits = 0;
		}
		if (r->count == 0)
			break; /* done, and everything consumed */
		head = r->head;
		n = r->count < RING_BATCH ? r->count : RING_BATCH;
		pthread_mutex_unlock(&r->mu);
		for (i = 0; i < n && rc == 0; i++)
			rc = r->consume(r->ctx, r->slots + (size_t)((head + i) % RING_SLOTS) * r->size, &err);
		pthread_mutex_lock(&r->mu);
		if (rc < 0) {
			/* the records handed to `consume` (the failing one too) are
			 * its; ring_drain gives back only the others */
			r->head = (head + i) % RING_SLOTS;
			r->count -= i;
			r->stop = 1;
			r->consumer_rc = rc;
			r->consumer_err = err;
			pthread_cond_signal(&r->drained);
			break;
		}
		r->head = (head + n) % RING_SLOTS;
		r->count -= n;
		if (r->producer_waits)
			pthread_cond_signal(&r->drained);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

int ring_start(struct ring *r, size_t size, void (*copy)(void *slot, const void *rec),
	       int (*consume)(void *ctx, const void *rec, struct br_error *err), void *ctx,
	       struct br_error *err)
{
	int rc;

	if (r->slots)
		return br_error_set(err, BR_EINTERNAL, "de ring is twee keer gestart");
	if (!(r->slots = calloc(RING_SLOTS, size)))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen voor %d records", RING_SLOTS);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->filled, NULL);
	pthread_cond_init(&r->drained, NULL);
	r->size = size;
	r->copy = copy;
	r->consume = consume;
	r->ctx = ctx;
	if ((rc = pthread_create(&r->thread, NULL, ring_main, r)) != 0)
		return br_error_set(err, BR_ENOMEM, "de opslagthread kan niet starten: %s", strerror(rc));
	r->running = 1;
	return 0;
}

int ring_running(const struct ring *r)
{
	return r->running;
}

/* With the lock held: count the records filled since the last call. */
static void ring_publish(struct ring *r)
{
	r->count += r->unpublished;
	r->unpublished = 0;
	if (r->consumer_waits && (r->count >= RING_BATCH || r->done))
		pthread_cond_signal(&r->filled);
}

/*
 * Hand over what was filled and claim up to a batch of free slots,
 * waiting while there are none: 0, or -1 when the consumer has failed.
 */
static int ring_claim(struct ring *r)
{
	unsigned free_slots;

	pthread_mutex_lock(&r->mu);
	ring_publish(r);
	while (r->count == RING_SLOTS && !r->stop) {
		r->producer_waits = 1;
		pthread_cond_wait(&r->drained, &r->mu);
		r->producer_waits = 0;
	}
	if (r->stop) {
		pthread_mutex_unlock(&r->mu);
		return -1;
	}
	free_slots = RING_SLOTS - r->count;
	r->claimed = free_slots < RING_BATCH ? free_slots : RING_BATCH;
	r->tail = (r->head + r->count) % RING_SLOTS;
	pthread_mutex_unlock(&r->mu);
	return 0;
}

int ring_push(struct ring *r, const void *rec)
{
	if (r->claimed == 0 && ring_claim(r) < 0)
		return -1;
	/* A claimed slot is the producer's until it is counted (ring_publish). */
	r->copy(r->slots + (size_t)r->tail * r->size, rec);
	r->tail = (r->tail + 1) % RING_SLOTS;
	r->claimed--;
	r->unpublished++;
	return 0;
}

int ring_finish(struct ring *r, int rc, struct br_error *err)
{
	if (!r->running)
		return rc;
	pthread_mutex_lock(&r->mu);
	r->done = 1;
	ring_publish(r);
	pthread_cond_signal(&r->filled);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thread, NULL);
	r->running = 0;
	if (r->consumer_rc < 0) {
		*err = r->consumer_err;
		return r->consumer_rc;
	}
	return rc;
}

void ring_drain(struct ring *r, void (*drop)(void *slot))
{
	unsigned k;

	if (!r->slots || r->running)
		return;
	for (k = 0; k < r->count; k++)
		drop(r->slots + (size_t)((r->head + k) % RING_SLOTS) * r->size);
	r->count = 0;
}

void ring_release(struct ring *r)
{
	if (!r->slots)
		return;
	pthread_cond_destroy(&r->drained);
	pthread_cond_destroy(&r->filled);
	pthread_mutex_destroy(&r->mu);
	free(r->slots);
	r->slots = NULL;
}

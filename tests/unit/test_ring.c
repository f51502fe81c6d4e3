/*
 * test_ring.c — the producer/consumer ring between intake's parser and
 * its store thread (pipeline/ring.h): every record arrives once and in
 * order, whatever the number (one short of a batch, a batch, many full
 * rings) and however slow the consumer is; the first consumer error stops
 * the producer within a batch and is what ring_finish returns; a ring that
 * never started finishes with the producer's own result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "ring.h"

#include "banned.h"

struct rec {
	long seq;
	char pad[40];      /* records are copied whole: a record wider than a word */
};

struct consumer {
	long seen;         /* records consumed */
	long out_of_order; /* records whose seq was not the next one */
	long fail_at;      /* fail on the record with this seq (-1: never) */
	int slow;          /* sleep a little every 64 records */
};

static void copy_rec(void *slot, const void *rec)
{
	memcpy(slot, rec, sizeof(struct rec));
}

static int consume(void *ctx, const void *rec, struct br_error *err)
{
	struct consumer *c = ctx;
	const struct rec *r = rec;

	if (r->seq != c->seen)
		c->out_of_order++;
	if (r->seq == c->fail_at)
		return br_error_set(err, BR_EINPUT, "record %ld refused", r->seq);
	c->seen++;
	if (c->slow && c->seen % 64 == 0) {
		struct timespec ts = { 0, 200 * 1000 };
		nanosleep(&ts, NULL);
	}
	return 0;
}

/* Push n records 0..n-1; the number pushed before ring_push refused. */
static long push_all(struct ring *r, long n)
{
	struct rec rec;
	long i;

	memset(&rec, 0, sizeof(rec));
	for (i = 0; i < n; i++) {
		rec.seq = i;
		if (ring_push(r, &rec) < 0)
			break;
	}
	return i;
}

static void run_all(long n, int slow)
{
	struct consumer c = { 0, 0, -1, slow };
	struct ring r;
	struct br_error err;

	memset(&r, 0, sizeof(r));
	br_error_clear(&err);
	assert_int_equal(ring_start(&r, sizeof(struct rec), copy_rec, consume, &c, &err), 0);
	assert_int_equal(push_all(&r, n), n);
	assert_int_equal(ring_finish(&r, 0, &err), 0);
	ring_release(&r);
	assert_int_equal(c.seen, n);
	assert_int_equal(c.out_of_order, 0);
}

static void test_every_record_in_order(void **state)
{
	(void)state;
	run_all(0, 0);
	run_all(1, 0);
	run_all(RING_BATCH - 1, 0);
	run_all(RING_BATCH, 0);
	run_all(RING_BATCH + 1, 0);
	run_all(RING_SLOTS, 0);
	run_all(RING_SLOTS + RING_BATCH + 7, 0);
	run_all(100003, 0);
}

/* A consumer slower than the producer: the ring runs full and the
 * producer waits for room. */
static void test_slow_consumer(void **state)
{
	(void)state;
	run_all(20 * RING_SLOTS + 5, 1);
}

/* The consumer fails on record 1000: the producer is refused soon after
 * (it may have filled a ring and a batch more), and ring_finish returns
 * the consumer's error, not the producer's result. */
static void test_consumer_error_stops_producer(void **state)
{
	struct consumer c = { 0, 0, 1000, 0 };
	struct ring r;
	struct br_error err;
	long pushed;

	(void)state;
	memset(&r, 0, sizeof(r));
	br_error_clear(&err);
	assert_int_equal(ring_start(&r, sizeof(struct rec), copy_rec, consume, &c, &err), 0);
	pushed = push_all(&r, 1000000);
	assert_true(pushed >= 1000);
	assert_true(pushed <= 1000 + RING_SLOTS + RING_BATCH);
	assert_int_equal(ring_finish(&r, 0, &err), BR_EINPUT);
	assert_string_equal(err.msg, "record 1000 refused");
	ring_release(&r);
	assert_int_equal(c.seen, 1000);
	assert_int_equal(c.out_of_order, 0);
}

/* The producer stops early with an error of its own: what it handed
 * over is still consumed, and its result comes back. */
static void test_producer_error_kept(void **state)
{
	struct consumer c = { 0, 0, -1, 0 };
	struct ring r;
	struct br_error err;

	(void)state;
	memset(&r, 0, sizeof(r));
	br_error_clear(&err);
	assert_int_equal(ring_start(&r, sizeof(struct rec), copy_rec, consume, &c, &err), 0);
	assert_int_equal(push_all(&r, 77), 77);
	assert_int_equal(ring_finish(&r, BR_EINPUT, &err), BR_EINPUT);
	ring_release(&r);
	assert_int_equal(c.seen, 77);
}

static void test_never_started(void **state)
{
	struct ring r;
	struct br_error err;

	(void)state;
	memset(&r, 0, sizeof(r));
	br_error_clear(&err);
	assert_false(ring_running(&r));
	assert_int_equal(ring_finish(&r, 0, &err), 0);
	assert_int_equal(ring_finish(&r, BR_EIO, &err), BR_EIO);
	ring_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_record_in_order),
		cmocka_unit_test(test_slow_consumer),
		cmocka_unit_test(test_consumer_error_stops_producer),
		cmocka_unit_test(test_producer_error_kept),
		cmocka_unit_test(test_never_started),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

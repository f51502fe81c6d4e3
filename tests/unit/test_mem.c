/*
 * test_mem.c — growable arrays (core/mem.h), the capped text buffer
 * (core/textbuf.h) and the string set (core/strset.h) built on them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "mem.h"
#include "strset.h"
#include "textbuf.h"

static void test_grow_keeps_contents(void **state)
{
	int64_t *v = NULL;
	size_t cap = 0, n, moves = 0;
	void *before;

	(void)state;
	for (n = 0; n < 100000; n++) {
		before = v;
		assert_int_equal(mem_grow((void **)&v, &cap, n + 1, sizeof(*v)), 0);
		assert_true(cap >= n + 1);
		moves += v != before;
		v[n] = (int64_t)n * 7;
	}
	for (n = 0; n < 100000; n++)
		assert_int_equal(v[n], (int64_t)n * 7);
	assert_true(moves <= 20); /* doubling: about log2(100000 / 16) moves */
	/* room already there: nothing changes */
	before = v;
	n = cap;
	assert_int_equal(mem_grow((void **)&v, &cap, 10, sizeof(*v)), 0);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, n);
	free(v);
}

static void test_grow_refuses_overflow(void **state)
{
	char *v = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(mem_grow((void **)&v, &cap, 10, 1), 0);
	memcpy(v, "abcdefghi", 10);
	/* need * elem does not fit a size_t: refused, the array as it was */
	assert_int_equal(mem_grow((void **)&v, &cap, SIZE_MAX / 8 + 2, 8), -1);
	assert_int_equal(cap, 16);
	assert_string_equal(v, "abcdefghi");
	assert_int_equal(mem_grow((void **)&v, &cap, 1, 0), 0); /* nothing needed */
	free(v);
}

static void test_textbuf_builds_text(void **state)
{
	struct textbuf b;
	struct br_error err;
	int i;

	(void)state;
	br_error_clear(&err);
	textbuf_init(&b, 1024 * 1024, "test.csv", &err);
	assert_null(b.p);
	assert_int_equal(textbuf_puts(&b, "id,naam\n"), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(textbuf_printf(&b, "%d,%s\n", i, "x"), 0);
	assert_int_equal(textbuf_add(&b, "end", 2), 0);
	assert_int_equal(b.rc, 0);
	assert_int_equal(b.len, strlen(b.p));
	assert_memory_equal(b.p, "id,naam\n0,x\n1,x\n", 16);
	assert_string_equal(b.p + b.len - 8, "999,x\nen");
	textbuf_release(&b);
	assert_null(b.p);
	assert_int_equal(err.code, BR_OK);
}

static void test_textbuf_cap_is_sticky(void **state)
{
	struct textbuf b;
	struct br_error err;
	char *big = malloc(2 * 1024 * 1024);

	(void)state;
	assert_non_null(big);
	br_error_clear(&err);
	memset(big, 'a', 2 * 1024 * 1024);
	textbuf_init(&b, 2 * 1024 * 1024, "de werklijst", &err);
	assert_int_equal(textbuf_add(&b, big, 2 * 1024 * 1024), 0); /* exactly at the cap */
	assert_int_equal(textbuf_add(&b, "b", 1), BR_EINTERNAL);     /* one byte over */
	assert_string_equal(err.msg, "de werklijst zou groter worden dan 2 MiB; niet geschreven");
	assert_int_equal(b.len, 2 * 1024 * 1024);
	/* sticky: later calls do nothing and keep the first failure */
	assert_int_equal(textbuf_puts(&b, ""), BR_EINTERNAL);
	assert_int_equal(textbuf_printf(&b, "%d", 1), BR_EINTERNAL);
	assert_int_equal(b.len, 2 * 1024 * 1024);
	textbuf_release(&b);
	free(big);
}

/* A set holds copies, answers only exact strings, and 5,000 in random
 * order are all found after strset_seal. */
static void test_strset(void **state)
{
	struct strset s = { 0 };
	char buf[32], name[] = "OPG-1";
	unsigned x = 12345;
	int i;

	(void)state;
	strset_seal(&s);
	assert_false(strset_has(&s, "OPG-1")); /* empty, never filled */
	assert_int_equal(strset_add(&s, name), 0);
	name[4] = '2'; /* the set kept its own copy */
	for (i = 0; i < 5000; i++) {
		x = x * 1103515245u + 12345u;
		snprintf(buf, sizeof(buf), "ID-%u", (x >> 8) % 100000 * 2); /* even numbers */
		assert_int_equal(strset_add(&s, buf), 0);
	}
	strset_seal(&s);
	assert_true(strset_has(&s, "OPG-1"));
	assert_false(strset_has(&s, "OPG-2"));
	assert_false(strset_has(&s, "OPG-"));
	assert_false(strset_has(&s, "OPG-10"));
	assert_false(strset_has(&s, ""));
	x = 12345;
	for (i = 0; i < 5000; i++) {
		x = x * 1103515245u + 12345u;
		snprintf(buf, sizeof(buf), "ID-%u", (x >> 8) % 100000 * 2);
		assert_true(strset_has(&s, buf));
		snprintf(buf, sizeof(buf), "ID-%u", (x >> 8) % 100000 * 2 + 1);
		assert_false(strset_has(&s, buf));
	}
	strset_clear(&s);
	assert_int_equal(s.n, 0);
	assert_false(strset_has(&s, "OPG-1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grow_keeps_contents),
		cmocka_unit_test(test_grow_refuses_overflow),
		cmocka_unit_test(test_textbuf_builds_text),
		cmocka_unit_test(test_textbuf_cap_is_sticky),
		cmocka_unit_test(test_strset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

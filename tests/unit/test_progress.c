/*
 * test_progress.c — the progress line (core/progress.h): silent without a
 * stream; on one, nothing before a quarter of a second, then
 * "\rWHAT: DONE/TOTAL UNIT (P%), RATE UNIT/s, nog S s" with the line
 * cleared behind it, MiB for "MB", and a line break only at the end of a
 * step that showed a line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "progress.h"

#include "banned.h"

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

static void tick(struct progress *p, uint64_t done)
{
	int i;

	for (i = 0; i < PROGRESS_CLOCK_EVERY; i++)
		progress_update(p, done);
}

static void test_silent_without_stream(void **state)
{
	struct progress p;

	(void)state;
	progress_start(&p, NULL, "x", "dossiers", 10);
	tick(&p, 5);
	progress_end(&p);
	assert_int_equal(p.shown, 0);
}

static void test_line(void **state)
{
	struct progress p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	progress_start(&p, f, "voorbereiden", "dossiers", 1000);
	tick(&p, 100);                 /* too soon: nothing */
	fflush(f);
	assert_int_equal(len, 0);
	sleep_ms(300);
	tick(&p, 250);                 /* 250 of 1000 after >= 0.3 s */
	fflush(f);
	assert_true(len > 0);
	assert_int_equal(strncmp(buf, "\rvoorbereiden: 250/1000 dossiers (25%), ", 40), 0);
	/* 250 in at least 300 ms is at most 833/s; 750 left take at least 1 s */
	assert_non_null(strstr(buf, " dossiers/s, nog "));
	assert_non_null(strstr(buf, "\033[K"));
	assert_null(strchr(buf, '\n'));
	progress_end(&p);
	fflush(f);
	assert_non_null(strstr(buf, "\rvoorbereiden: 250/1000 dossiers (25%)"));
	assert_int_equal(buf[len - 1], '\n');
	fclose(f);
	free(buf);
}

/* Bytes shown in MiB; a step that never showed a line ends silently. */
static void test_megabytes_and_quiet_end(void **state)
{
	struct progress p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	progress_start(&p, f, "register.xml", "MB", 0);
	progress_end(&p);              /* nothing was shown: no line break */
	fflush(f);
	assert_int_equal(len, 0);
	progress_start(&p, f, "register.xml", "MB", (uint64_t)12 << 20);
	sleep_ms(300);
	tick(&p, (uint64_t)3 << 20);
	fflush(f);
	assert_int_equal(strncmp(buf, "\rregister.xml: 3/12 MB (25%)", 28), 0);
	fclose(f);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_silent_without_stream),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_megabytes_and_quiet_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

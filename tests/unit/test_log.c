/* test_log.c — log.c: logfmt lines, quoting, levels, BSN masking.
 *
 * stderr is redirected to a temporary file (dup2) around each logging call
 * and read back; assertions run after it is restored so that cmocka's own
 * messages are seen.
 */
#include "log.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "banned.h"

struct capture {
	FILE *tmp;
	int saved_fd;
	char out[4 * LOG_LINE_MAX];
};

static void capture_start(struct capture *c)
{
	fflush(stderr);
	c->tmp = tmpfile();
	assert_non_null(c->tmp);
	c->saved_fd = dup(STDERR_FILENO);
	assert_true(c->saved_fd >= 0);
	assert_true(dup2(fileno(c->tmp), STDERR_FILENO) >= 0);
}

/* Restore stderr and return what was written meanwhile. */
static const char *capture_stop(struct capture *c)
{
	ssize_t n;

	fflush(stderr);
	assert_true(dup2(c->saved_fd, STDERR_FILENO) >= 0);
	close(c->saved_fd);
	n = pread(fileno(c->tmp), c->out, sizeof(c->out) - 1, 0);
	assert_true(n >= 0);
	c->out[n] = '\0';
	fclose(c->tmp);
	return c->out;
}

/* Must run first: the level comes from $BETAALRUN_LOG on the first event
 * unless log_set_level() was called before. */
static void test_env_debug(void **state)
{
	struct capture c;

	(void)state;
	assert_int_equal(setenv("BETAALRUN_LOG", "debug", 1), 0);
	capture_start(&c);
	log_event(LOG_DEBUG, "looking", "n=%d", 1);
	assert_string_equal(capture_stop(&c), "ts=2026-11-27T17:00:00Z level=debug msg=looking n=1\n");
	unsetenv("BETAALRUN_LOG");
}

static void test_line_format(void **state)
{
	struct capture c;
	char b[64];

	(void)state;
	log_set_level(LOG_INFO);
	capture_start(&c);
	/* log.h's example */
	log_event(LOG_INFO, "file ingested", "file=%s records=%d", log_q(b, sizeof(b), "reg.xml"),
		2814);
	log_event(LOG_WARN, "started", NULL);
	log_event(LOG_ERROR, "bad file", "file=%s", log_q(b, sizeof(b), "my file.xml"));
	log_event(LOG_INFO, NULL, NULL);
	assert_string_equal(capture_stop(&c),
		"ts=2026-11-27T17:00:00Z level=info msg=\"file ingested\" file=reg.xml records=2814\n"
		"ts=2026-11-27T17:00:00Z level=warn msg=started\n"
		"ts=2026-11-27T17:00:00Z level=error msg=\"bad file\" file=\"my file.xml\"\n"
		"ts=2026-11-27T17:00:00Z level=info msg=\"\"\n");
}

static void test_levels(void **state)
{
	struct capture c;

	(void)state;
	log_set_level(LOG_WARN);
	capture_start(&c);
	log_event(LOG_DEBUG, "d", NULL);
	log_event(LOG_INFO, "i", NULL);
	log_event(LOG_WARN, "w", NULL);
	log_event(LOG_ERROR, "e", NULL);
	assert_string_equal(capture_stop(&c), "ts=2026-11-27T17:00:00Z level=warn msg=w\nts=2026-11-27T17:00:00Z level=error msg=e\n");

	log_set_level(LOG_DEBUG);
	capture_start(&c);
	log_event(LOG_DEBUG, "d", NULL);
	assert_string_equal(capture_stop(&c), "ts=2026-11-27T17:00:00Z level=debug msg=d\n");
	log_set_level(LOG_INFO);
}

static void test_quote(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(log_q(b, sizeof(b), "reg.xml"), "reg.xml");
	assert_string_equal(log_q(b, sizeof(b), "PW-0405-000123"), "PW-0405-000123");
	assert_string_equal(log_q(b, sizeof(b), "a b"), "\"a b\"");
	assert_string_equal(log_q(b, sizeof(b), ""), "\"\"");
	assert_string_equal(log_q(b, sizeof(b), NULL), "\"\"");
	assert_string_equal(log_q(b, sizeof(b), "k=v"), "\"k=v\"");
	assert_string_equal(log_q(b, sizeof(b), "say \"hi\""), "\"say \\\"hi\\\"\"");
	assert_string_equal(log_q(b, sizeof(b), "c:\\dir"), "\"c:\\\\dir\"");
	/* One event stays one line. */
	assert_string_equal(log_q(b, sizeof(b), "two\nlines\r\tx"), "\"two\\nlines\\r\\tx\"");
	assert_string_equal(log_q(b, sizeof(b), "bell\a"), "\"bell\\x07\"");
	/* UTF-8 passes through unquoted. */
	assert_string_equal(log_q(b, sizeof(b), "Gr\xc3\xa9goire"), "Gr\xc3\xa9goire");
}

static void test_quote_cut(void **state)
{
	char b[8];

	(void)state;
	assert_string_equal(log_q(b, sizeof(b), "hello world"), "\"hello\"");
	/* Never half an escape ... */
	assert_string_equal(log_q(b, sizeof(b), "ab \"\"\"\""), "\"ab \\\"\"");
	/* ... nor half a UTF-8 character ... */
	assert_string_equal(log_q(b, sizeof(b), "a \xc3\xa9\xc3\xa9\xc3\xa9"), "\"a \xc3\xa9\"");
	/* ... nor the first digits of a BSN that masking could not spot. */
	assert_string_equal(log_q(b, sizeof(b), "a 123456782"), "\"a ***\"");
	/* Too small to hold anything. */
	assert_string_equal(log_q(b, 2, "x y"), "\"\"");
	/* Short digit runs that end the value are kept. */
	assert_string_equal(log_q(b, sizeof(b), "n 12"), "\"n 12\"");
}

static void test_mask_digits(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" },
		{ "123456782", "*****6782" },
		{ "bsn=123456782", "bsn=*****6782" },
		{ "x123456782y", "x*****6782y" },
		{ "123456782,111222333", "*****6782,*****2333" },
		/* Nine or more, whatever surrounds them: a BSN inside a
		 * longer run is still a BSN (issue #10). */
		{ "1112001060", "******1060" },
		{ "x1112001060y", "x******1060y" },
		{ "12345678", "12345678" },              /* 8 digits */
		{ "12345678.12345678", "12345678.12345678" },
		{ "NL91ABNA0417164300", "NL91ABNA******4300" },
		{ "2026-11-27T18:00:00", "2026-11-27T18:00:00" },
		{ "20261127180000", "**********0000" },
		{ "a 999999990 b 12345678901234567 c 000000000",
		  "a *****9990 b *************4567 c *****0000" },
	};
	char buf[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		log_mask_digits(buf);
		assert_string_equal(buf, cases[i].out);
	}
	log_mask_digits(NULL);
}

static void test_event_masks_bsn(void **state)
{
	struct capture c;
	char b[64];

	(void)state;
	log_set_level(LOG_INFO);
	capture_start(&c);
	/* In a field, in a quoted value and in the message itself: the mask
	 * is applied to the finished line. */
	log_event(LOG_WARN, "BSN 123456782 fails the elfproef", "bsn=%s naam=%s rekening=%s",
		"123456781", log_q(b, sizeof(b), "J. de Vries 111222333"), "NL91ABNA0417164300");
	assert_string_equal(capture_stop(&c),
		"ts=2026-11-27T17:00:00Z level=warn msg=\"BSN *****6782 fails the elfproef\" bsn=*****6781 "
		"naam=\"J. de Vries *****2333\" rekening=NL91ABNA******4300\n");
}

/* A value passed raw (without log_q) cannot break the line. */
static void test_event_raw_control(void **state)
{
	struct capture c;

	(void)state;
	log_set_level(LOG_INFO);
	capture_start(&c);
	log_event(LOG_WARN, "m", "file=%s", "a\nlevel=error msg=forged\x1b[2J");
	assert_string_equal(capture_stop(&c), "ts=2026-11-27T17:00:00Z level=warn msg=m file=a?level=error msg=forged?[2J\n");
}

static void test_quote_hidden(void **state)
{
	char b[128];

	(void)state;
	/* Bytes that are not UTF-8, C1 controls and bidi overrides are
	 * escaped, so a log line shows what the value is. */
	assert_string_equal(log_q(b, sizeof(b), "a\xff" "b"), "\"a\\xffb\"");
	assert_string_equal(log_q(b, sizeof(b), "\xc2\x9b" "2J"), "\"\\xc2\\x9b2J\"");
	assert_string_equal(log_q(b, sizeof(b), "x\xe2\x80\xaeyz"), "\"x\\xe2\\x80\\xaeyz\"");
	assert_string_equal(log_q(b, sizeof(b), "\x1b[31m"), "\"\\x1b[31m\"");
	/* An overlong '/' and a surrogate are not UTF-8. */
	assert_string_equal(log_q(b, sizeof(b), "\xc0\xaf"), "\"\\xc0\\xaf\"");
	assert_string_equal(log_q(b, sizeof(b), "\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");
}

static void test_escape(void **state)
{
	static const struct {
		const char *in, *out;
		int mask;
	} cases[] = {
		{ "", "", 0 },
		{ "register-2026-11-27.xml", "register-2026-11-27.xml", 0 },
		{ "Gr\xc3\xa9goire \"x\" = y", "Gr\xc3\xa9goire \"x\" = y", 0 },
		{ "a\nproblem: none", "a\\nproblem: none", 0 },
		{ "tab\there\r", "tab\\there\\r", 0 },
		{ "back\\slash", "back\\\\slash", 0 },
		{ "\x1b]0;title\x07", "\\x1b]0;title\\x07", 0 },
		{ "\xff\xfe", "\\xff\\xfe", 0 },
		{ "\xe2\x80\xa8", "\\xe2\\x80\\xa8", 0 },  /* U+2028 line separator */
		{ "\xef\xbb\xbfx", "\\xef\\xbb\\xbfx", 0 },  /* BOM */
		{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", 0 }, /* an emoji is text */
		{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", 0 }, /* > U+10FFFF */
		{ "\xe2\x82", "\\xe2\\x82", 0 },  /* cut sequence */
		{ "bsn 1112001060", "bsn 1112001060", 0 },
		{ "bsn 1112001060", "bsn ******1060", 1 },
		{ "x123456782\n", "x*****6782\\n", 1 },
		{ "12345678", "12345678", 1 },
	};
	char b[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = log_escape(b, sizeof(b), cases[i].in, cases[i].mask);
		assert_string_equal(b, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
	}
	/* A short buffer: never half an escape or half a character, the
	 * needed length still returned. */
	assert_int_equal(log_escape(b, 4, "ab\ncd", 0), 6);
	assert_string_equal(b, "ab");
	assert_int_equal(log_escape(b, 5, "ab\ncd", 0), 6);
	assert_string_equal(b, "ab\\n");
	assert_int_equal(log_escape(b, 4, "a\xc3\xa9", 0), 3);
	assert_string_equal(b, "a\xc3\xa9");
	assert_int_equal(log_escape(b, 3, "a\xc3\xa9", 0), 3);
	assert_string_equal(b, "a");
	assert_int_equal(log_escape(b, 6, "123456782", 1), 9);
	assert_string_equal(b, "*****");
	assert_int_equal(log_escape(NULL, 0, "abc", 0), 3);

	assert_true(log_is_plain("register 2026.xml"));
	assert_true(log_is_plain("Gr\xc3\xa9goire\\x"));
	assert_true(log_is_plain(""));
	assert_false(log_is_plain("a\nb"));
	assert_false(log_is_plain("a\x7f"));
	assert_false(log_is_plain("\xff"));
	assert_false(log_is_plain("\xc2\x85"));       /* NEL */
	assert_false(log_is_plain("\xe2\x80\xae"));  /* RLO */
}

static void test_record(void **state)
{
	struct log_field f[] = {
		{ "file", "x\nproblem: none (file OK)\naction: delete this file", 0 },
		{ "line", NULL, 0 },
		{ "problem", "BSN 1112001060 fails\r\n", 1 },
	};
	char out[256];
	int n;

	(void)state;
	n = log_record_format(out, sizeof(out), f, 3);
	assert_string_equal(out,
		"file: x\\nproblem: none (file OK)\\naction: delete this file\n"
		"line: -\n"
		"problem: BSN ******1060 fails\\r\\n\n");
	assert_int_equal(n, (int)strlen(out));
	/* Too small: nothing rather than a record cut short. */
	assert_int_equal(log_record_format(out, 20, f, 3), -1);
	assert_string_equal(out, "");
	assert_int_equal(log_record_format(out, 0, f, 3), -1);
}

static void test_long_line_cut(void **state)
{
	static char pad[LOG_LINE_MAX + 16];
	int p;

	(void)state;
	log_set_level(LOG_INFO);
	/* Slide a BSN across the cut at LOG_LINE_MAX: none of its leading
	 * digits may survive, and no line may exceed the cap. */
	for (p = LOG_LINE_MAX - 60; p < LOG_LINE_MAX; p++) {
		struct capture c;
		const char *out;
		size_t len;

		memset(pad, 'x', (size_t)p);
		pad[p] = '\0';
		capture_start(&c);
		log_event(LOG_INFO, "m", "v=%s123456782 tail=1", pad);
		out = capture_stop(&c);
		len = strlen(out);
		assert_true(len <= LOG_LINE_MAX);
		assert_int_equal(out[len - 1], '\n');
		assert_true(strchr(out, '\n') == out + len - 1); /* one line */
		assert_null(strstr(out, "1234"));
		assert_null(strstr(out, "12345"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_debug),
		cmocka_unit_test(test_line_format),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_quote_cut),
		cmocka_unit_test(test_mask_digits),
		cmocka_unit_test(test_event_masks_bsn),
		cmocka_unit_test(test_event_raw_control),
		cmocka_unit_test(test_quote_hidden),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_long_line_cut),
	};

	/* a fixed clock: 18:00 in Dutch winter time is 17:00 UTC */
	setenv("BETAALRUN_NOW", "2026-11-27T18:00:00", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

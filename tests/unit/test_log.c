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
	assert_string_equal(capture_stop(&c), "level=debug msg=looking n=1\n");
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
		"level=info msg=\"file ingested\" file=reg.xml records=2814\n"
		"level=warn msg=started\n"
		"level=error msg=\"bad file\" file=\"my file.xml\"\n"
		"level=info msg=\"\"\n");
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
	assert_string_equal(capture_stop(&c), "level=warn msg=w\nlevel=error msg=e\n");

	log_set_level(LOG_DEBUG);
	capture_start(&c);
	log_event(LOG_DEBUG, "d", NULL);
	assert_string_equal(capture_stop(&c), "level=debug msg=d\n");
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
		{ "1234567890", "1234567890" },          /* 10 digits: no BSN */
		{ "12345678", "12345678" },              /* 8 digits */
		{ "NL91ABNA0417164300", "NL91ABNA0417164300" },
		{ "2026-11-27T18:00:00", "2026-11-27T18:00:00" },
		{ "a 999999990 b 12345678901234567 c 000000000",
		  "a *****9990 b 12345678901234567 c *****0000" },
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
		"level=warn msg=\"BSN *****6782 fails the elfproef\" bsn=*****6781 "
		"naam=\"J. de Vries *****2333\" rekening=NL91ABNA0417164300\n");
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
		cmocka_unit_test(test_long_line_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

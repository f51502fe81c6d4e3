/*
 * test_csvout.c — CSV in the excel-nl and rfc4180 dialects (writers/csvout.h)
 * and the text cleaning under it (writers/textsafe.h).
 *
 * Every expected text is written out by hand from the rules in csvout.h:
 * excel-nl = BOM, ';', decimal comma, CRLF; rfc4180 = no BOM, ',',
 * decimal point, CRLF; a field with the separator, '"' or a line break is
 * quoted with '"' doubled; = + - @ at the start get an apostrophe.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csvout.h"
#include "error.h"
#include "textbuf.h"
#include "textsafe.h"
#include "banned.h"

#define CAP 4096

/* One row of fields as `d` writes it, in a fresh buffer (released by the
 * caller). */
static void one_row(struct textbuf *b, struct br_error *err, enum csv_dialect d)
{
	struct csvout c;

	textbuf_init(b, CAP, "test", err);
	csvout_begin(&c, b, d);
	csvout_text(&c, "Hoorn");
	csvout_money(&c, 123456);
	csvout_money(&c, -5);
	csvout_count(&c, 42);
	csvout_empty(&c);
	csvout_text(&c, "a;b,c \"d\"");
	csvout_text(&c, "=SUM(A1)");
	csvout_text(&c, "-12");
	csvout_end_row(&c);
	textbuf_add(b, "", 1); /* terminate for the string compare */
}

static void test_excel_nl(void **state)
{
	struct textbuf b;
	struct br_error err;

	(void)state;
	br_error_clear(&err);
	one_row(&b, &err, CSV_EXCEL_NL);
	assert_int_equal(b.rc, 0);
	/* ',' needs no quotes here, ';' does */
	assert_string_equal(b.p, "\xef\xbb\xbfHoorn;1234,56;-0,05;42;;\"a;b,c \"\"d\"\"\";'=SUM(A1);'-12\r\n");
	textbuf_release(&b);
}

static void test_rfc4180(void **state)
{
	struct textbuf b;
	struct br_error err;

	(void)state;
	br_error_clear(&err);
	one_row(&b, &err, CSV_RFC4180);
	assert_int_equal(b.rc, 0);
	assert_string_equal(b.p, "Hoorn,1234.56,-0.05,42,,\"a;b,c \"\"d\"\"\",'=SUM(A1),'-12\r\n");
	textbuf_release(&b);
}

static void test_dialect_names(void **state)
{
	enum csv_dialect d = CSV_RFC4180;

	(void)state;
	assert_int_equal(csvout_dialect_parse(&d, "excel-nl"), 0);
	assert_int_equal(d, CSV_EXCEL_NL);
	assert_int_equal(csvout_dialect_parse(&d, "rfc4180"), 0);
	assert_int_equal(d, CSV_RFC4180);
	assert_int_equal(csvout_dialect_parse(&d, "excel"), -1);
	assert_int_equal(csvout_dialect_parse(&d, "RFC4180"), -1);
	assert_int_equal(csvout_dialect_parse(&d, NULL), -1);
	assert_int_equal(d, CSV_RFC4180);
}

static void test_line_break_stays_in_its_field(void **state)
{
	struct textbuf b;
	struct br_error err;
	struct csvout c;

	(void)state;
	br_error_clear(&err);
	textbuf_init(&b, CAP, "test", &err);
	csvout_begin(&c, &b, CSV_RFC4180);
	csvout_text(&c, "regel 1\r\nregel 2");
	csvout_text(&c, "x");
	csvout_end_row(&c);
	textbuf_add(&b, "", 1);
	/* quoted, and the break itself cleaned to spaces: one line per row */
	assert_string_equal(b.p, "\"regel 1  regel 2\",x\r\n");
	textbuf_release(&b);
}

static void clean(struct textbuf *b, struct br_error *err, const char *s, enum textsafe_esc how)
{
	textbuf_init(b, CAP, "test", err);
	textsafe_put(b, s, how);
	textbuf_add(b, "", 1);
}

static void test_textsafe(void **state)
{
	struct textbuf b;
	struct br_error err;

	(void)state;
	br_error_clear(&err);
	/* valid UTF-8 (é, €, an emoji) passes unchanged */
	clean(&b, &err, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", TEXTSAFE_PLAIN);
	assert_string_equal(b.p, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	textbuf_release(&b);
	/* tab, DEL, C1 (U+0085) become spaces */
	clean(&b, &err, "a\tb\x7f" "c\xc2\x85" "d", TEXTSAFE_PLAIN);
	assert_string_equal(b.p, "a b c d");
	textbuf_release(&b);
	/* a lone continuation byte, an overlong '/', a surrogate, a truncated
	 * sequence, U+FFFE: each becomes U+FFFD (one per bad byte) */
	clean(&b, &err, "\x80|\xc0\xaf|\xed\xa0\x80|\xe2\x82|\xef\xbf\xbe", TEXTSAFE_PLAIN);
	assert_string_equal(b.p, "\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"
			    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd");
	textbuf_release(&b);
	clean(&b, &err, "<a href='x'>&\"</a>", TEXTSAFE_HTML);
	assert_string_equal(b.p, "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
	textbuf_release(&b);
	clean(&b, &err, "zeg \"ja\"", TEXTSAFE_CSV_QUOTED);
	assert_string_equal(b.p, "zeg \"\"ja\"\"");
	textbuf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_excel_nl),
		cmocka_unit_test(test_rfc4180),
		cmocka_unit_test(test_dialect_names),
		cmocka_unit_test(test_line_break_stays_in_its_field),
		cmocka_unit_test(test_textsafe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

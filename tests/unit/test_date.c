/* test_date.c — date.c: civil dates as day numbers, parsing, months, ages. */
#include "date.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "banned.h"

static int32_t ymd(int y, int m, int d)
{
	assert_true(date_valid(y, m, d));
	return date_from_ymd(y, m, d);
}

static int32_t parse_day(const char *s)
{
	int32_t day = 0;
	struct br_error err;

	br_error_clear(&err);
	if (date_parse(&day, s, strlen(s), &err) != 0)
		fail_msg("'%s' refused: %s", s, err.msg);
	return day;
}

static void test_leap_years(void **state)
{
	(void)state;
	assert_false(date_is_leap(1900)); /* century, not divisible by 400 */
	assert_true(date_is_leap(2000));  /* divisible by 400 */
	assert_true(date_is_leap(2024));
	assert_false(date_is_leap(2023));
	assert_false(date_is_leap(2100));
	assert_false(date_is_leap(2026));
	assert_int_equal(date_days_in_month(1900, 2), 28);
	assert_int_equal(date_days_in_month(2000, 2), 29);
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2026, 2), 28);
	assert_int_equal(date_days_in_month(2026, 4), 30);
	assert_int_equal(date_days_in_month(2026, 12), 31);
	assert_int_equal(date_days_in_month(2026, 13), 0);
	assert_false(date_valid(1900, 2, 29));
	assert_true(date_valid(2000, 2, 29));
	assert_true(date_valid(2024, 2, 29));
	assert_false(date_valid(2026, 2, 29));
	assert_false(date_valid(2026, 4, 31));
	assert_false(date_valid(2026, 0, 1));
	assert_false(date_valid(2026, 1, 0));
}

static void test_known_days(void **state)
{
	(void)state;
	assert_int_equal(ymd(1970, 1, 1), 0);
	assert_int_equal(ymd(1969, 12, 31), -1);
	assert_int_equal(ymd(1900, 1, 1), -25567);
	assert_int_equal(ymd(2000, 3, 1), 11017);
	assert_int_equal(ymd(2026, 11, 27), 20784);
	assert_int_equal(ymd(2199, 12, 31), 84005);
}

static void test_weekdays(void **state)
{
	(void)state;
	/* 0 = Monday .. 6 = Sunday */
	assert_int_equal(date_weekday(ymd(1970, 1, 1)), 3);   /* Thursday */
	assert_int_equal(date_weekday(ymd(1969, 12, 31)), 2); /* Wednesday */
	assert_int_equal(date_weekday(ymd(1900, 1, 1)), 0);   /* Monday */
	assert_int_equal(date_weekday(ymd(2000, 1, 1)), 5);   /* Saturday */
	assert_int_equal(date_weekday(ymd(2024, 2, 29)), 3);  /* Thursday */
	assert_int_equal(date_weekday(ymd(2026, 11, 27)), 4); /* Friday */
	assert_int_equal(date_weekday(ymd(2026, 12, 25)), 4); /* Christmas 2026: Friday */
	assert_int_equal(date_weekday(ymd(2026, 3, 29)), 6);  /* Sunday */
	assert_int_equal(date_weekday(ymd(2199, 12, 31)), 1); /* Tuesday */
}

static void test_round_trip_1900_2199(void **state)
{
	/* Walk the calendar by hand, one day at a time, and compare every
	 * day with both directions of the conversion and with the text form. */
	int32_t expect = date_from_ymd(1900, 1, 1);
	int y, m, d, wd = date_weekday(expect);
	long days = 0;

	(void)state;
	for (y = 1900; y <= 2199; y++) {
		for (m = 1; m <= 12; m++) {
			for (d = 1; d <= date_days_in_month(y, m); d++) {
				char buf[DATE_FMT_MAX];
				int32_t back = 0;
				int yy, mm, dd;

				assert_int_equal(date_from_ymd(y, m, d), expect);
				date_to_ymd(expect, &yy, &mm, &dd);
				assert_int_equal(yy, y);
				assert_int_equal(mm, m);
				assert_int_equal(dd, d);
				assert_int_equal(date_weekday(expect), wd);
				date_format(buf, expect);
				assert_int_equal(date_parse(&back, buf, strlen(buf), NULL), 0);
				assert_int_equal(back, expect);
				assert_int_equal(month_of(expect), y * 12 + m - 1);
				expect++;
				wd = (wd + 1) % 7;
				days++;
			}
		}
	}
	/* 300 years: 73 leap years (1904..2196 every 4th, but not 2100). */
	assert_int_equal(days, 300 * 365 + 73);
}

static void test_parse_refuses(void **state)
{
	static const char *const bad[] = {
		"2026-02-30", "2026-13-01", "2026-1-01", "2026-01-1", "2026-00-10", "2026-01-00",
		"2025-02-29", "1900-02-29", "2026-04-31", "1899-12-31", "2200-01-01", "2026/01/01",
		"2026-01-01 ", " 2026-01-01", "2026-01-01T00:00:00", "", "26-01-01", "+026-01-01",
		"2026-0a-01", "20260101",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct br_error err;
		int32_t day = 4242;

		br_error_clear(&err);
		if (date_parse(&day, bad[i], strlen(bad[i]), &err) != BR_EINPUT)
			fail_msg("'%s' accepted", bad[i]);
		assert_int_equal(err.code, BR_EINPUT);
		assert_int_equal(day, 4242);
	}
}

static void test_parse_accepts(void **state)
{
	struct br_error err;
	int32_t day;

	(void)state;
	assert_int_equal(parse_day("2024-02-29"), ymd(2024, 2, 29));
	assert_int_equal(parse_day("2000-02-29"), ymd(2000, 2, 29));
	assert_int_equal(parse_day("1900-01-01"), ymd(1900, 1, 1));
	assert_int_equal(parse_day("2199-12-31"), ymd(2199, 12, 31));
	/* Only `len` bytes count. */
	assert_int_equal(date_parse(&day, "2026-11-27T18:00:00", 10, NULL), 0);
	assert_int_equal(day, ymd(2026, 11, 27));
	/* The message names the text. */
	br_error_clear(&err);
	assert_int_equal(date_parse(&day, "2026-02-30", 10, &err), BR_EINPUT);
	assert_true(strstr(err.msg, "'2026-02-30'") != NULL);
}

static void test_timestamps(void **state)
{
	static const char *const bad[] = {
		"2026-11-27T24:00:00", "2026-11-27T18:60:00", "2026-11-27T18:00:60",
		"2026-11-27 18:00:00", "2026-11-27T18:00", "2026-11-27T18:00:00Z",
		"2026-11-27T18:00:00.5", "2026-11-27T18:00:00+01:00", "2026-02-30T00:00:00",
		"2026-11-27t18:00:00", "2026-11-27T8:00:00", "",
	};
	char buf[TIMESTAMP_FMT_MAX];
	int64_t ts = 0;
	size_t i;

	(void)state;
	assert_int_equal(timestamp_parse(&ts, "2026-11-27T18:00:00", 19, NULL), 0);
	assert_int_equal(ts, (int64_t)20784 * 86400 + 18 * 3600);
	assert_int_equal(timestamp_day(ts), ymd(2026, 11, 27));
	assert_string_equal(timestamp_format(buf, ts), "2026-11-27T18:00:00");
	assert_int_equal(ts, timestamp_from(ymd(2026, 11, 27), 18, 0, 0));

	assert_int_equal(timestamp_parse(&ts, "1969-12-31T23:59:59", 19, NULL), 0);
	assert_int_equal(ts, -1);
	assert_int_equal(timestamp_day(ts), -1);
	assert_string_equal(timestamp_format(buf, ts), "1969-12-31T23:59:59");
	assert_string_equal(timestamp_format(buf, timestamp_from(ymd(1900, 1, 1), 0, 0, 0)),
		"1900-01-01T00:00:00");
	assert_string_equal(timestamp_format(buf, timestamp_from(ymd(2199, 12, 31), 23, 59, 59)),
		"2199-12-31T23:59:59");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct br_error err;

		br_error_clear(&err);
		ts = 99;
		if (timestamp_parse(&ts, bad[i], strlen(bad[i]), &err) != BR_EINPUT)
			fail_msg("'%s' accepted", bad[i]);
		assert_int_equal(ts, 99);
		/* every message names the text as it came, and what is wrong */
		if (!strstr(err.msg, bad[i]))
			fail_msg("'%s': the message does not show it: %s", bad[i], err.msg);
	}
	{
		struct br_error err;

		br_error_clear(&err);
		assert_int_equal(timestamp_parse(&ts, "2026-11-27T24:00:00", 19, &err), BR_EINPUT);
		assert_string_equal(err.msg, "tijdstip '2026-11-27T24:00:00' is geen tijd van de dag");
		br_error_clear(&err);
		assert_int_equal(timestamp_parse(&ts, "2026-02-30T00:00:00", 19, &err), BR_EINPUT);
		assert_string_equal(err.msg, "tijdstip '2026-02-30T00:00:00' bestaat niet in de kalender");
		br_error_clear(&err);
		assert_int_equal(timestamp_parse(&ts, "2026-11-27 18:00:00", 19, &err), BR_EINPUT);
		assert_string_equal(err.msg, "tijdstip '2026-11-27 18:00:00' heeft niet de vorm JJJJ-MM-DDTuu:mm:ss");
	}
}

static void test_months(void **state)
{
	static const char *const bad[] = { "2026-13", "2026-00", "2026-1", "26-12", "2026-12-01",
					   "1899-12", "2200-01", "2026/12", "" };
	char buf[MONTH_FMT_MAX];
	int32_t mon = 0;
	size_t i;

	(void)state;
	assert_int_equal(month_parse(&mon, "2026-12", 7, NULL), 0);
	assert_int_equal(mon, 2026 * 12 + 11);
	assert_string_equal(month_format(buf, mon), "2026-12");
	assert_string_equal(month_format(buf, mon + 1), "2027-01");
	assert_int_equal(month_first_day(mon), ymd(2026, 12, 1));
	assert_int_equal(month_last_day(mon), ymd(2026, 12, 31));
	assert_int_equal(month_days(mon), 31);
	assert_int_equal(month_days(2024 * 12 + 1), 29);
	assert_int_equal(month_days(2026 * 12 + 1), 28);
	assert_int_equal(month_last_day(2024 * 12 + 1), ymd(2024, 2, 29));
	assert_int_equal(month_of(ymd(2026, 12, 31)), mon);
	assert_int_equal(month_of(ymd(2027, 1, 1)), mon + 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mon = 7;
		if (month_parse(&mon, bad[i], strlen(bad[i]), NULL) != BR_EINPUT)
			fail_msg("'%s' accepted", bad[i]);
		assert_int_equal(mon, 7);
	}
}

static void test_ages(void **state)
{
	int32_t b = ymd(1988, 4, 12), leap = ymd(2000, 2, 29);

	(void)state;
	assert_int_equal(date_age_years(b, ymd(2026, 4, 11)), 37);
	assert_int_equal(date_age_years(b, ymd(2026, 4, 12)), 38);
	assert_int_equal(date_age_years(b, ymd(1988, 4, 12)), 0);
	assert_int_equal(date_age_years(b, ymd(1989, 4, 11)), 0);
	assert_int_equal(date_age_years(b, ymd(1989, 4, 12)), 1);
	/* Born 29 February: in a non-leap year the birthday counts from
	 * 1 March (date.h). */
	assert_int_equal(date_age_years(leap, ymd(2018, 2, 28)), 17);
	assert_int_equal(date_age_years(leap, ymd(2018, 3, 1)), 18);
	assert_int_equal(date_age_years(leap, ymd(2021, 2, 28)), 20);
	assert_int_equal(date_age_years(leap, ymd(2021, 3, 1)), 21);
	assert_int_equal(date_age_years(leap, ymd(2024, 2, 28)), 23);
	assert_int_equal(date_age_years(leap, ymd(2024, 2, 29)), 24);
	/* rules.md §2: age 27 for vrijlating N, 21 for the norms. */
	assert_int_equal(date_age_years(ymd(1999, 12, 31), ymd(2026, 12, 31)), 27);
	assert_int_equal(date_age_years(ymd(1999, 12, 31), ymd(2026, 12, 30)), 26);
}

static void test_add_months(void **state)
{
	(void)state;
	/* Clamped to the last day of the target month. */
	assert_int_equal(date_add_months(ymd(2026, 1, 31), 1), ymd(2026, 2, 28));
	assert_int_equal(date_add_months(ymd(2024, 1, 31), 1), ymd(2024, 2, 29));
	assert_int_equal(date_add_months(ymd(2026, 3, 31), 1), ymd(2026, 4, 30));
	assert_int_equal(date_add_months(ymd(2024, 3, 31), -1), ymd(2024, 2, 29));
	assert_int_equal(date_add_months(ymd(2024, 2, 29), 12), ymd(2025, 2, 28));
	assert_int_equal(date_add_months(ymd(2024, 2, 29), 48), ymd(2028, 2, 29));
	/* Across years, both ways. */
	assert_int_equal(date_add_months(ymd(2025, 12, 15), 1), ymd(2026, 1, 15));
	assert_int_equal(date_add_months(ymd(2026, 1, 15), -1), ymd(2025, 12, 15));
	assert_int_equal(date_add_months(ymd(2026, 1, 15), -13), ymd(2024, 12, 15));
	assert_int_equal(date_add_months(ymd(2026, 5, 10), 0), ymd(2026, 5, 10));
	assert_int_equal(date_add_months(ymd(1970, 1, 1), -1), ymd(1969, 12, 1));
	/* rules.md §2: AOW age 67 years and 3 months. */
	assert_int_equal(date_add_months(ymd(1961, 5, 31), 67 * 12 + 3), ymd(2028, 8, 31));
	assert_int_equal(date_add_months(ymd(1961, 11, 30), 67 * 12 + 3), ymd(2029, 2, 28));
}

static void test_dutch_local_time(void **state)
{
	char buf[TIMESTAMP_FMT_MAX];

	(void)state;
	/* Winter: UTC+1. */
	assert_string_equal(timestamp_format(buf,
		timestamp_local_from_utc(timestamp_from(ymd(2026, 1, 15), 12, 0, 0))),
		"2026-01-15T13:00:00");
	/* Summer time starts on the last Sunday of March (29 March 2026) at
	 * 01:00 UTC: local clocks jump from 02:00 to 03:00. */
	assert_string_equal(timestamp_format(buf,
		timestamp_local_from_utc(timestamp_from(ymd(2026, 3, 29), 0, 59, 59))),
		"2026-03-29T01:59:59");
	assert_string_equal(timestamp_format(buf,
		timestamp_local_from_utc(timestamp_from(ymd(2026, 3, 29), 1, 0, 0))),
		"2026-03-29T03:00:00");
	/* It ends on the last Sunday of October (25 October 2026) at 01:00 UTC. */
	assert_string_equal(timestamp_format(buf,
		timestamp_local_from_utc(timestamp_from(ymd(2026, 10, 25), 0, 59, 59))),
		"2026-10-25T02:59:59");
	assert_string_equal(timestamp_format(buf,
		timestamp_local_from_utc(timestamp_from(ymd(2026, 10, 25), 1, 0, 0))),
		"2026-10-25T02:00:00");
	/* New Year's Eve 23:30 UTC is already the next day and year in NL. */
	assert_string_equal(timestamp_format(buf,
		timestamp_local_from_utc(timestamp_from(ymd(2026, 12, 31), 23, 30, 0))),
		"2027-01-01T00:30:00");
	/* 2024: last Sunday of March is the 31st. */
	assert_string_equal(timestamp_format(buf,
		timestamp_local_from_utc(timestamp_from(ymd(2024, 3, 31), 1, 0, 0))),
		"2024-03-31T03:00:00");
}

/* Local back to UTC, written as RFC 3339: the hours by hand from the
 * CET/CEST rule (UTC+1 in winter, UTC+2 in summer). */
static void test_utc_from_local(void **state)
{
	char buf[TIMESTAMP_UTC_FMT_MAX];

	(void)state;
	assert_string_equal(timestamp_format_utc(buf, timestamp_from(ymd(2026, 12, 7), 11, 0, 0)),
			    "2026-12-07T10:00:00Z");
	assert_string_equal(timestamp_format_utc(buf, timestamp_from(ymd(2026, 7, 1), 12, 0, 0)),
			    "2026-07-01T10:00:00Z");
	/* just after the March jump (03:00 local = 01:00 UTC) */
	assert_string_equal(timestamp_format_utc(buf, timestamp_from(ymd(2026, 3, 29), 3, 0, 0)),
			    "2026-03-29T01:00:00Z");
	/* the skipped 02:30 is read as winter time */
	assert_string_equal(timestamp_format_utc(buf, timestamp_from(ymd(2026, 3, 29), 2, 30, 0)),
			    "2026-03-29T01:30:00Z");
	/* the repeated 02:30 of 25 October is read as summer time */
	assert_string_equal(timestamp_format_utc(buf, timestamp_from(ymd(2026, 10, 25), 2, 30, 0)),
			    "2026-10-25T00:30:00Z");
	assert_string_equal(timestamp_format_utc(buf, timestamp_from(ymd(2027, 1, 1), 0, 30, 0)),
			    "2026-12-31T23:30:00Z");
}

static void test_now(void **state)
{
	struct br_error err;
	int64_t now = 0;

	(void)state;
	assert_int_equal(setenv("BETAALRUN_NOW", "2026-11-27T18:00:00", 1), 0);
	br_error_clear(&err);
	assert_int_equal(timestamp_now(&now, &err), 0);
	assert_int_equal(now, timestamp_from(ymd(2026, 11, 27), 18, 0, 0));

	/* Strict: anything else is a configuration error, not the real clock. */
	assert_int_equal(setenv("BETAALRUN_NOW", "2026-11-27", 1), 0);
	br_error_clear(&err);
	assert_int_equal(timestamp_now(&now, &err), BR_ECONFIG);
	assert_true(strstr(err.msg, "BETAALRUN_NOW") != NULL);
	assert_int_equal(setenv("BETAALRUN_NOW", "2026-11-27T18:00:00Z", 1), 0);
	assert_int_equal(timestamp_now(&now, NULL), BR_ECONFIG);

	/* The real clock: some time after this code was written. */
	assert_int_equal(unsetenv("BETAALRUN_NOW"), 0);
	assert_int_equal(timestamp_now(&now, &err), 0);
	assert_true(now > timestamp_from(ymd(2025, 1, 1), 0, 0, 0));
	assert_true(now < timestamp_from(ymd(2199, 1, 1), 0, 0, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_known_days),
		cmocka_unit_test(test_weekdays),
		cmocka_unit_test(test_round_trip_1900_2199),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_parse_accepts),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_months),
		cmocka_unit_test(test_ages),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_dutch_local_time),
		cmocka_unit_test(test_utc_from_local),
		cmocka_unit_test(test_now),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

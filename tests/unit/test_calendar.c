/* test_calendar.c — calendar.c: Easter, TARGET2 business days, ReqdExctnDt.
 *
 * Every property is checked against something written independently here:
 * Easter against Knuth's epact algorithm (TAOCP vol. 1, 1.3.2 ex. 14, after
 * Lilius and Clavius), weekdays against Sakamoto's formula, so a typo in
 * calendar.c or date.c cannot be repeated by the test that checks it. */
#include "calendar.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "date.h"
#include "banned.h"

static int32_t ymd(int y, int m, int d)
{
	assert_true(date_valid(y, m, d));
	return date_from_ymd(y, m, d);
}

static int32_t month_index(int y, int m)
{
	return (int32_t)(y * 12 + (m - 1));
}

static void assert_day(int32_t got, int y, int m, int d)
{
	int gy, gm, gd;

	date_to_ymd(got, &gy, &gm, &gd);
	if (gy != y || gm != m || gd != d)
		fail_msg("got %04d-%02d-%02d, expected %04d-%02d-%02d", gy, gm, gd, y, m, d);
}

/* ---- independent references ------------------------------------------ */

/* Knuth's Easter (TAOCP 1.3.2 ex. 14): epact, not Meeus' h/l. Sets month
 * 3 or 4 and the day. */
static void knuth_easter(int y, int *out_m, int *out_d)
{
	int golden = y % 19 + 1;
	int century = y / 100 + 1;
	int x = 3 * century / 4 - 12;          /* dropped leap years */
	int z = (8 * century + 5) / 25 - 5;    /* moon's orbit correction */
	int sunday = 5 * y / 4 - x - 10;       /* March ((-sunday) mod 7) is a Sunday */
	int epact = (11 * golden + 20 + z - x) % 30;
	int n;

	if (epact < 0)
		epact += 30;
	if ((epact == 25 && golden > 11) || epact == 24)
		epact++;
	n = 44 - epact;                        /* full moon: March n */
	if (n < 21)
		n += 30;
	n = n + 7 - (sunday + n) % 7;          /* the Sunday after it */
	if (n > 31) {
		*out_m = 4;
		*out_d = n - 31;
	} else {
		*out_m = 3;
		*out_d = n;
	}
}

/* Sakamoto's weekday, 0 = Sunday .. 6 = Saturday. */
static int sakamoto_weekday(int y, int m, int d)
{
	static const int t[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };

	if (m < 3)
		y -= 1;
	return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

static int ref_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int ref_mdays(int y, int m)
{
	static const int len[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && ref_leap(y) ? 29 : len[m - 1];
}

/* TARGET2 closing rule from payments.md, on (y, m, d), without date.c. */
static int ref_business(int y, int m, int d)
{
	int wd = sakamoto_weekday(y, m, d), em, ed, gm, gd, mm, md;

	if (wd == 0 || wd == 6)
		return 0;
	if ((m == 1 && d == 1) || (m == 5 && d == 1) || (m == 12 && (d == 25 || d == 26)))
		return 0;
	knuth_easter(y, &em, &ed);
	/* Good Friday and Easter Monday by plain day-of-month arithmetic. */
	gm = em, gd = ed - 2;
	if (gd < 1)
		gm = 3, gd += 31;
	mm = em, md = ed + 1;
	if (mm == 3 && md > 31)
		mm = 4, md -= 31;
	if ((m == gm && d == gd) || (m == mm && d == md))
		return 0;
	return 1;
}

/* ---- Easter ---------------------------------------------------------- */

static void test_easter_known_years(void **state)
{
	/* Published Easter Sundays (Gregorian), incl. both extremes of the
	 * 22 March .. 25 April range. */
	static const struct { int y, m, d; } known[] = {
		{ 1583, 4, 10 }, { 1818, 3, 22 }, { 1900, 4, 15 }, { 1943, 4, 25 },
		{ 1954, 4, 18 }, { 1961, 4, 2 },  { 1981, 4, 19 }, { 2000, 4, 23 },
		{ 2008, 3, 23 }, { 2011, 4, 24 }, { 2019, 4, 21 }, { 2024, 3, 31 },
		{ 2025, 4, 20 }, { 2026, 4, 5 },  { 2038, 4, 25 }, { 2099, 4, 12 },
		{ 2100, 3, 28 }, { 2160, 3, 23 }, { 2199, 4, 14 }, { 2285, 3, 22 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		assert_day(calendar_easter(known[i].y), known[i].y, known[i].m, known[i].d);
}

static void test_easter_matches_knuth(void **state)
{
	int y, m, d;
	int32_t e;

	(void)state;
	/* 1900..2199 is the parsed range (date.h); the rest of 1583..9999
	 * costs nothing and catches a century term that is only wrong later. */
	for (y = 1583; y <= 9999; y++) {
		knuth_easter(y, &m, &d);
		e = calendar_easter(y);
		assert_day(e, y, m, d);
		assert_int_equal(date_weekday(e), 6); /* a Sunday */
		assert_true(e >= ymd(y, 3, 22) && e <= ymd(y, 4, 25));
	}
}

/* ---- business days --------------------------------------------------- */

static void test_fixed_holidays_and_easter_closed(void **state)
{
	int y;
	int32_t e;

	(void)state;
	for (y = 1900; y <= 2199; y++) {
		assert_false(calendar_is_business_day(ymd(y, 1, 1)));
		assert_false(calendar_is_business_day(ymd(y, 5, 1)));
		assert_false(calendar_is_business_day(ymd(y, 12, 25)));
		assert_false(calendar_is_business_day(ymd(y, 12, 26)));
		e = calendar_easter(y);
		assert_false(calendar_is_business_day(e - 2)); /* Good Friday */
		assert_false(calendar_is_business_day(e + 1)); /* Easter Monday */
		assert_false(calendar_is_business_day(e));     /* Sunday */
		/* Maundy Thursday and the Tuesday after are ordinary days. */
		assert_true(calendar_is_business_day(e - 3));
		assert_true(calendar_is_business_day(e + 2));
		/* Days around the fixed holidays stay open on weekdays. */
		if (sakamoto_weekday(y, 1, 2) % 6 != 0)
			assert_true(calendar_is_business_day(ymd(y, 1, 2)));
		if (sakamoto_weekday(y, 12, 24) % 6 != 0)
			assert_true(calendar_is_business_day(ymd(y, 12, 24)));
		if (sakamoto_weekday(y, 12, 27) % 6 != 0)
			assert_true(calendar_is_business_day(ymd(y, 12, 27)));
	}
}

static void test_weekends_closed(void **state)
{
	int32_t day;

	(void)state;
	assert_int_equal(date_weekday(ymd(2026, 1, 3)), 5);
	for (day = ymd(1900, 1, 1); day <= ymd(2199, 12, 31); day++)
		if (date_weekday(day) >= 5)
			assert_false(calendar_is_business_day(day));
}

static void test_matches_reference_every_day(void **state)
{
	int y, m, d;

	(void)state;
	for (y = 1900; y <= 2199; y++)
		for (m = 1; m <= 12; m++)
			for (d = 1; d <= ref_mdays(y, m); d++)
				if (calendar_is_business_day(ymd(y, m, d)) != ref_business(y, m, d))
					fail_msg("%04d-%02d-%02d: calendar says %d", y, m, d,
						 calendar_is_business_day(ymd(y, m, d)));
}

static int year_count(int y)
{
	int32_t day;
	int count = 0;

	for (day = ymd(y, 1, 1); day <= ymd(y, 12, 31); day++)
		count += calendar_is_business_day(day);
	return count;
}

static void test_business_days_per_year(void **state)
{
	int y, i, weekdays, expected, count;
	static const int fixed[][2] = { { 1, 1 }, { 5, 1 }, { 12, 25 }, { 12, 26 } };

	(void)state;
	for (y = 2000; y <= 2100; y++) {
		/* 52 whole weeks have 260 weekdays; the 1 or 2 extra days are the
		 * weekdays of 1 January and (leap year) 2 January. */
		weekdays = 260;
		if (sakamoto_weekday(y, 1, 1) % 6 != 0)
			weekdays++;
		if (ref_leap(y) && sakamoto_weekday(y, 1, 2) % 6 != 0)
			weekdays++;
		expected = weekdays - 2; /* Good Friday, Easter Monday */
		for (i = 0; i < 4; i++)
			if (sakamoto_weekday(y, fixed[i][0], fixed[i][1]) % 6 != 0)
				expected--;
		count = year_count(y);
		if (count != expected)
			fail_msg("%d: %d business days, expected %d", y, count, expected);
	}
	/* Worked by hand: 2024 (leap, 1 Jan a Monday) has 262 weekdays, minus
	 * 1 Jan, 1 May, 25, 26 Dec (all weekdays) and Easter's two = 256;
	 * 2025 has 261 minus 4 minus 2 = 255; 2026 has 261 minus 3 (26 Dec is
	 * a Saturday) minus 2 = 256. */
	assert_int_equal(year_count(2024), 256);
	assert_int_equal(year_count(2025), 255);
	assert_int_equal(year_count(2026), 256);
}

/* ---- execution date -------------------------------------------------- */

/* Prepared well before month M: the lateness rule does not apply. */
static int32_t exec_early(int y, int m, int uitbetaaldag)
{
	return calendar_execution_date(month_index(y, m), uitbetaaldag, ymd(y, m, 1) - 40);
}

static void test_exec_business_day_unchanged(void **state)
{
	(void)state;
	assert_day(exec_early(2026, 3, 25), 2026, 3, 25); /* Wednesday */
	assert_day(exec_early(2026, 6, 1), 2026, 6, 1);   /* Monday */
	assert_day(exec_early(2024, 2, 28), 2024, 2, 28);
}

static void test_exec_weekend(void **state)
{
	(void)state;
	assert_int_equal(date_weekday(ymd(2025, 1, 25)), 5); /* Saturday */
	assert_day(exec_early(2025, 1, 25), 2025, 1, 24);    /* Friday */
	assert_int_equal(date_weekday(ymd(2025, 5, 25)), 6); /* Sunday */
	assert_day(exec_early(2025, 5, 25), 2025, 5, 23);    /* Friday */
}

static void test_exec_christmas(void **state)
{
	(void)state;
	/* 2026: 25 Dec is a Friday → Thursday 24th. */
	assert_int_equal(date_weekday(ymd(2026, 12, 25)), 4);
	assert_day(exec_early(2026, 12, 25), 2026, 12, 24);
	assert_day(exec_early(2026, 12, 26), 2026, 12, 24);  /* Saturday */
	/* 2027: 25 Sat, 26 Sun → Friday 24th. */
	assert_day(exec_early(2027, 12, 25), 2027, 12, 24);
	/* 2022: 26 Dec Monday, 25 Sun, 24 Sat → Friday 23rd. */
	assert_day(exec_early(2022, 12, 26), 2022, 12, 23);
	/* 2025: 28 Sun, 27 Sat, 26 Fri, 25 Thu → Wednesday 24th. */
	assert_day(exec_early(2025, 12, 28), 2025, 12, 24);
}

static void test_exec_easter(void **state)
{
	(void)state;
	/* April 2011: 25 April is Easter Monday, 24 Sunday, 23 Saturday, 22
	 * Good Friday → Thursday 21 April. */
	assert_day(calendar_easter(2011) + 1, 2011, 4, 25);
	assert_day(exec_early(2011, 4, 25), 2011, 4, 21);
	/* April 2026: Good Friday 3 April → Thursday 2nd; Easter Monday 6
	 * April → Thursday 2nd too. */
	assert_day(exec_early(2026, 4, 3), 2026, 4, 2);
	assert_day(exec_early(2026, 4, 6), 2026, 4, 2);
	assert_day(exec_early(2026, 4, 7), 2026, 4, 7);
}

static void test_exec_may_first_leaves_month(void **state)
{
	(void)state;
	/* payments.md: the previous business day; for uitbetaaldag 1 on a
	 * closed 1 May that is in April (calendar.c: intended). */
	assert_day(exec_early(2026, 5, 1), 2026, 4, 30); /* Fri 1 May → Thu */
	assert_day(exec_early(2027, 5, 1), 2027, 4, 30); /* Sat → Fri */
	assert_day(exec_early(2022, 5, 1), 2022, 4, 29); /* Sun → Fri */
	assert_day(exec_early(2023, 5, 1), 2023, 4, 28); /* Mon 1 May → Fri */
}

static void test_exec_january_first_leaves_year(void **state)
{
	(void)state;
	assert_day(exec_early(2027, 1, 1), 2026, 12, 31); /* Fri → Thu */
	assert_day(exec_early(2028, 1, 1), 2027, 12, 31); /* Sat → Fri */
	assert_day(exec_early(2023, 1, 1), 2022, 12, 30); /* Sun → Fri */
	assert_day(exec_early(2024, 1, 1), 2023, 12, 29); /* Mon → Fri */
}

static void test_exec_late_run(void **state)
{
	int32_t m = month_index(2026, 3);

	(void)state;
	/* 25 March 2026 is a Wednesday. Prepared on it or before: unchanged. */
	assert_day(calendar_execution_date(m, 25, ymd(2026, 3, 24)), 2026, 3, 25);
	assert_day(calendar_execution_date(m, 25, ymd(2026, 3, 25)), 2026, 3, 25);
	/* Prepared the 26th → the first business day after it. */
	assert_day(calendar_execution_date(m, 25, ymd(2026, 3, 26)), 2026, 3, 27);
	/* Prepared on Friday 27th → Monday 30th. */
	assert_day(calendar_execution_date(m, 25, ymd(2026, 3, 27)), 2026, 3, 30);
	/* Prepared on a Saturday → Monday. */
	assert_day(calendar_execution_date(m, 25, ymd(2026, 3, 28)), 2026, 3, 30);
	/* A supplementary run months later. */
	assert_day(calendar_execution_date(m, 25, ymd(2026, 8, 14)), 2026, 8, 17);

	/* April 2026, uitbetaaldag 1 (Wednesday): prepared Thursday 2nd or on
	 * Good Friday 3rd → Tuesday 7th (Friday, weekend, Easter Monday). */
	m = month_index(2026, 4);
	assert_day(calendar_execution_date(m, 1, ymd(2026, 4, 2)), 2026, 4, 7);
	assert_day(calendar_execution_date(m, 1, ymd(2026, 4, 3)), 2026, 4, 7);

	/* Shifted date compared, not the nominal one: Jan 2025, 25th is a
	 * Saturday → Friday 24th; prepared on the 24th it stays; prepared on
	 * the Saturday it goes to Monday 27th. */
	m = month_index(2025, 1);
	assert_day(calendar_execution_date(m, 25, ymd(2025, 1, 24)), 2025, 1, 24);
	assert_day(calendar_execution_date(m, 25, ymd(2025, 1, 25)), 2025, 1, 27);

	/* Late over Christmas: Dec 2026, 20th Sunday → Friday 18th; prepared
	 * Thursday 24th → 25 Fri, 26 Sat, 27 Sun closed → Monday 28th. */
	m = month_index(2026, 12);
	assert_day(calendar_execution_date(m, 20, ymd(2026, 12, 24)), 2026, 12, 28);

	/* Late over New Year: Jan 2027, 1 Jan → Thursday 31 Dec 2026; prepared
	 * on 31 Dec it stays; prepared on 1 Jan → Monday 4 Jan. */
	m = month_index(2027, 1);
	assert_day(calendar_execution_date(m, 1, ymd(2026, 12, 31)), 2026, 12, 31);
	assert_day(calendar_execution_date(m, 1, ymd(2027, 1, 1)), 2027, 1, 4);

	/* Late over 1 May: May 2026, uitbetaaldag 1 → 30 April; prepared on
	 * 1 May → Monday 4 May. */
	m = month_index(2026, 5);
	assert_day(calendar_execution_date(m, 1, ymd(2026, 4, 30)), 2026, 4, 30);
	assert_day(calendar_execution_date(m, 1, ymd(2026, 5, 1)), 2026, 5, 4);
}

/* The whole rule on (y, m, d) with ref_business only, as a day number. */
static int32_t ref_execution(int y, int m, int uitbetaaldag, int32_t prepared_day)
{
	int d = uitbetaaldag, py, pm, pd;
	int32_t day;

	while (!ref_business(y, m, d)) {
		if (--d == 0) {
			if (--m == 0)
				m = 12, y--;
			d = ref_mdays(y, m);
		}
	}
	day = ymd(y, m, d);
	if (day >= prepared_day)
		return day;
	date_to_ymd(prepared_day, &py, &pm, &pd);
	do {
		if (++pd > ref_mdays(py, pm)) {
			pd = 1;
			if (++pm == 13)
				pm = 1, py++;
		}
	} while (!ref_business(py, pm, pd));
	return ymd(py, pm, pd);
}

static void test_exec_matches_reference(void **state)
{
	int y, m, u, off;
	int32_t nominal, prepared, got;

	(void)state;
	for (y = 2000; y <= 2100; y++) {
		for (m = 1; m <= 12; m++) {
			for (u = 1; u <= 28; u++) {
				nominal = ymd(y, m, u);
				for (off = -12; off <= 12; off++) {
					prepared = nominal + off;
					got = calendar_execution_date(month_index(y, m), u, prepared);
					assert_int_equal(got, ref_execution(y, m, u, prepared));
					assert_true(calendar_is_business_day(got));
				}
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_easter_known_years),
		cmocka_unit_test(test_easter_matches_knuth),
		cmocka_unit_test(test_fixed_holidays_and_easter_closed),
		cmocka_unit_test(test_weekends_closed),
		cmocka_unit_test(test_matches_reference_every_day),
		cmocka_unit_test(test_business_days_per_year),
		cmocka_unit_test(test_exec_business_day_unchanged),
		cmocka_unit_test(test_exec_weekend),
		cmocka_unit_test(test_exec_christmas),
		cmocka_unit_test(test_exec_easter),
		cmocka_unit_test(test_exec_may_first_leaves_month),
		cmocka_unit_test(test_exec_january_first_leaves_year),
		cmocka_unit_test(test_exec_late_run),
		cmocka_unit_test(test_exec_matches_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* calendar.c — TARGET2 business days and ReqdExctnDt; see calendar.h. */
#include "calendar.h"

#include "date.h"
#include "banned.h"

int32_t calendar_easter(int year)
{
	/*
	 * Gregorian computus, anonymous algorithm as given by Meeus
	 * (Astronomical Algorithms, ch. 8; Jones 1876, Butcher 1876).  Valid
	 * for every Gregorian year; Easter falls on 22 March .. 25 April.
	 * All quantities are non-negative for year >= 1583, so C's truncating
	 * division and % are the mathematical ones here.
	 */
	int a = year % 19;          /* position in the Metonic cycle */
	int b = year / 100;         /* century */
	int c = year % 100;
	int d = b / 4;
	int e = b % 4;
	int f = (b + 8) / 25;
	int g = (b - f + 1) / 3;    /* lunar (Metonic) correction */
	int h = (19 * a + b - d - g + 15) % 30; /* epact-like: to full moon */
	int i = c / 4;
	int k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7; /* days to the next Sunday */
	int m = (a + 11 * h + 22 * l) / 451;
	int n = h + l - 7 * m + 114;

	return date_from_ymd(year, n / 31, n % 31 + 1);
}

int calendar_is_business_day(int32_t day)
{
	int y, m, d;
	int32_t easter;

	/* payments.md "ReqdExctnDt": TARGET2 is closed on Saturday, Sunday,
	 * 1 January, Good Friday, Easter Monday, 1 May, 25 and 26 December. */
	if (date_weekday(day) >= 5) /* 5 = Saturday, 6 = Sunday */
		return 0;
	date_to_ymd(day, &y, &m, &d);
	if ((m == 1 && d == 1) || (m == 5 && d == 1) ||
	    (m == 12 && (d == 25 || d == 26)))
		return 0;
	/* Good Friday and Easter Monday lie in 20 March .. 26 April. */
	if (m == 3 || m == 4) {
		easter = calendar_easter(y);
		if (day == easter - 2 || day == easter + 1)
			return 0;
	}
	return 1;
}

int32_t calendar_execution_date(int32_t month, int uitbetaaldag, int32_t prepared_day)
{
	int32_t day;
	int last = month_days(month);

	/* calendar.h promises 1..28 (configuration checks it); clamp anyway
	 * so a bad value can never name a day outside month M. */
	if (uitbetaaldag < 1)
		uitbetaaldag = 1;
	if (uitbetaaldag > last)
		uitbetaaldag = last;
	day = month_first_day(month) + (int32_t)(uitbetaaldag - 1);

	/*
	 * payments.md "ReqdExctnDt": not a TARGET2 business day → the previous
	 * business day, "so the money is there before the month ends".  Taken
	 * literally, that may leave month M: uitbetaaldag 1 on a closed 1 May
	 * gives the last business day of April, on 1 January the last business
	 * day of December of the year before.  That is intended: paying early
	 * is harmless, paying late is what the rule forbids.  At most four
	 * days in a row are closed (Good Friday .. Easter Monday; 25, 26 Dec
	 * with a weekend), so both loops are short.
	 */
	while (!calendar_is_business_day(day))
		day--;

	/*
	 * payments.md "ReqdExctnDt": "If that date is before the day the run
	 * is prepared (a late or supplementary run), the first TARGET2
	 * business day after the preparation day" — strictly after, even when
	 * the preparation day is itself a business day; a date equal to the
	 * preparation day is not before it and stays.
	 */
	if (day < prepared_day) {
		day = prepared_day + 1;
		while (!calendar_is_business_day(day))
			day++;
	}
	return day;
}

/* date.c — calendar dates as int32_t days; see date.h. */
#include "date.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "banned.h"

#define DATE_YEAR_MIN 1900 /* date.h: parsed years are 1900..2199 */
#define DATE_YEAR_MAX 2199
#define SECS_PER_DAY INT64_C(86400)

/* Floor division and modulo: dates before 1970 are negative day numbers. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

int date_is_leap(int y)
{
	/* Gregorian: every 4th year, except centuries not divisible by 400. */
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
	static const unsigned char days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && date_is_leap(y) ? 29 : days[m - 1];
}

int date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= date_days_in_month(y, m);
}

/*
 * H. Hinnant, "chrono-Compatible Low-Level Date Algorithms": days_from_civil.
 * Years start on 1 March so that the leap day is the last day of a year;
 * an era is 400 years = 146097 days.
 */
int32_t date_from_ymd(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = floor_div(yy, 400);
	int64_t yoe = yy - era * 400;                                    /* [0, 399] */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */

	return (int32_t)(era * 146097 + doe - 719468);
}

/* Hinnant's civil_from_days, the inverse of date_from_ymd. */
void date_to_ymd(int32_t day, int *out_y, int *out_m, int *out_d)
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;                                   /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);            /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                                 /* [0, 11] */
	int64_t d = doy - (153 * mp + 2) / 5 + 1;                         /* [1, 31] */
	int64_t m = mp < 10 ? mp + 3 : mp - 9;                            /* [1, 12] */

	*out_y = (int)(yoe + era * 400 + (m <= 2));
	*out_m = (int)m;
	*out_d = (int)d;
}

int date_weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (3 with Monday = 0). */
	return (int)floor_mod((int64_t)day + 3, 7);
}

/* Exactly `n` ASCII digits at s, as a number; -1 if any is not a digit. */
static int date_num(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Untrusted text for a message: printable ASCII, at most 32 bytes. */
static void date_show(char *out, size_t cap, const char *s, size_t len)
{
	size_t n = 0, i;

	for (i = 0; s && i < len && n + 4 < cap && i < 32; i++) {
		unsigned char c = (unsigned char)s[i];
		out[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (s && i < len && n + 4 <= cap) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

/*
 * The date part "YYYY-MM-DD" of s (which has at least 10 bytes): 0 with
 * y/m/d set, or -1 when it is not that shape, -2 when it is no calendar
 * day, -3 when the year is outside 1900..2199.
 */
static int date_scan(const char *s, int *y, int *m, int *d)
{
	*y = date_num(s, 4);
	*m = date_num(s + 5, 2);
	*d = date_num(s + 8, 2);
	if (*y < 0 || *m < 0 || *d < 0 || s[4] != '-' || s[7] != '-')
		return -1;
	if (!date_valid(*y, *m, *d))
		return -2;
	if (*y < DATE_YEAR_MIN || *y > DATE_YEAR_MAX)
		return -3;
	return 0;
}

/* The error for text s (len bytes) that is no `what`; the text is shown
 * only here, on the error path (every date of every file is parsed). */
static int date_scan_error(int rc, const char *what, const char *s, size_t len, struct br_error *err)
{
	char shown[40];

	date_show(shown, sizeof(shown), s, len);
	if (rc == -4)
		return br_error_set(err, BR_EINPUT, "%s '%s' is geen tijd van de dag", what, shown);
	if (rc == -2)
		return br_error_set(err, BR_EINPUT, "%s '%s' bestaat niet in de kalender",
			what, shown);
	if (rc == -3)
		return br_error_set(err, BR_EINPUT, "%s '%s' heeft een jaar buiten %d..%d",
			what, shown, DATE_YEAR_MIN, DATE_YEAR_MAX);
	return br_error_set(err, BR_EINPUT, "%s '%s' heeft niet de vorm %s", what, shown,
		strcmp(what, "datum") == 0 ? "JJJJ-MM-DD" : "JJJJ-MM-DDTuu:mm:ss");
}

int date_parse(int32_t *out, const char *s, size_t len, struct br_error *err)
{
	/* formats.md "Common rules": dates are YYYY-MM-DD, nothing else. */
	int y, m, d, rc;

	if (!s || len != 10)
		return date_scan_error(-1, "datum", s, len, err);
	if ((rc = date_scan(s, &y, &m, &d)) < 0)
		return date_scan_error(rc, "datum", s, len, err);
	*out = date_from_ymd(y, m, d);
	return 0;
}

int timestamp_parse(int64_t *out, const char *s, size_t len, struct br_error *err)
{
	/* formats.md "Common rules": YYYY-MM-DDThh:mm:ss, no zone, no fraction. */
	int y, m, d, hh, mi, ss, rc;

	if (!s || len != 19 || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return date_scan_error(-1, "tijdstip", s, len, err);
	if ((rc = date_scan(s, &y, &m, &d)) < 0)
		return date_scan_error(rc, "tijdstip", s, len, err);
	hh = date_num(s + 11, 2);
	mi = date_num(s + 14, 2);
	ss = date_num(s + 17, 2);
	if (hh < 0 || mi < 0 || ss < 0)
		return date_scan_error(-1, "tijdstip", s, len, err);
	if (hh > 23 || mi > 59 || ss > 59)
		return date_scan_error(-4, "tijdstip", s, len, err);
	*out = timestamp_from(date_from_ymd(y, m, d), hh, mi, ss);
	return 0;
}

int month_parse(int32_t *out, const char *s, size_t len, struct br_error *err)
{
	char shown[40];
	int y, m;

	date_show(shown, sizeof(shown), s, len);
	if (!s || len != 7 || s[4] != '-' || (y = date_num(s, 4)) < 0 ||
	    (m = date_num(s + 5, 2)) < 0)
		return br_error_set(err, BR_EINPUT, "maand '%s' heeft niet de vorm JJJJ-MM", shown);
	if (m < 1 || m > 12)
		return br_error_set(err, BR_EINPUT, "maand '%s' heeft geen maand %d", shown, m);
	if (y < DATE_YEAR_MIN || y > DATE_YEAR_MAX)
		return br_error_set(err, BR_EINPUT, "maand '%s' heeft een jaar buiten %d..%d",
			shown, DATE_YEAR_MIN, DATE_YEAR_MAX);
	*out = (int32_t)(y * 12 + (m - 1));
	return 0;
}

/* `v` as exactly `n` digits at s (the caller keeps v in range). */
static void date_put(char *s, int v, int n)
{
	while (n-- > 0) {
		s[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Years outside 0..9999 cannot be written in four digits: shown as 9999. */
static int date_year4(int y)
{
	return y < 0 ? 0 : y > 9999 ? 9999 : y;
}

char *date_format(char buf[DATE_FMT_MAX], int32_t day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	date_put(buf, date_year4(y), 4);
	buf[4] = '-';
	date_put(buf + 5, m, 2);
	buf[7] = '-';
	date_put(buf + 8, d, 2);
	buf[10] = '\0';
	return buf;
}

char *timestamp_format(char buf[TIMESTAMP_FMT_MAX], int64_t ts)
{
	int64_t sod = floor_mod(ts, SECS_PER_DAY);

	date_format(buf, timestamp_day(ts));
	buf[10] = 'T';
	date_put(buf + 11, (int)(sod / 3600), 2);
	buf[13] = ':';
	date_put(buf + 14, (int)(sod / 60 % 60), 2);
	buf[16] = ':';
	date_put(buf + 17, (int)(sod % 60), 2);
	buf[19] = '\0';
	return buf;
}

char *month_format(char buf[MONTH_FMT_MAX], int32_t month)
{
	date_put(buf, date_year4((int)floor_div(month, 12)), 4);
	buf[4] = '-';
	date_put(buf + 5, (int)floor_mod(month, 12) + 1, 2);
	buf[7] = '\0';
	return buf;
}

int32_t month_of(int32_t day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	return (int32_t)(y * 12 + (m - 1));
}

int32_t month_first_day(int32_t month)
{
	return date_from_ymd((int)floor_div(month, 12), (int)floor_mod(month, 12) + 1, 1);
}

int month_days(int32_t month)
{
	return date_days_in_month((int)floor_div(month, 12), (int)floor_mod(month, 12) + 1);
}

int32_t month_last_day(int32_t month)
{
	return month_first_day(month) + month_days(month) - 1;
}

int date_age_years(int32_t birth, int32_t on)
{
	int by, bm, bd, oy, om, od, age;

	date_to_ymd(birth, &by, &bm, &bd);
	date_to_ymd(on, &oy, &om, &od);
	age = oy - by;
	/* The birthday has not come yet this year.  A 29 February birthday
	 * compares after 28 February, so in a non-leap year the new age starts
	 * on 1 March (date.h). */
	if (om < bm || (om == bm && od < bd))
		age--;
	return age;
}

int32_t date_add_months(int32_t day, int n)
{
	int y, m, d, dim;
	int64_t month;

	date_to_ymd(day, &y, &m, &d);
	month = (int64_t)y * 12 + (m - 1) + n;
	y = (int)floor_div(month, 12);
	m = (int)floor_mod(month, 12) + 1;
	/* Clamp: 31 January + 1 month is the last day of February. */
	dim = date_days_in_month(y, m);
	return date_from_ymd(y, m, d > dim ? dim : d);
}

int32_t timestamp_day(int64_t ts)
{
	return (int32_t)floor_div(ts, SECS_PER_DAY);
}

int64_t timestamp_from(int32_t day, int hh, int mm, int ss)
{
	return (int64_t)day * SECS_PER_DAY + (int64_t)hh * 3600 + (int64_t)mm * 60 + ss;
}

/* Day number of the last Sunday of month m in year y. */
static int32_t date_last_sunday(int y, int m)
{
	int32_t last = date_from_ymd(y, m, date_days_in_month(y, m));

	return last - (int32_t)((date_weekday(last) + 1) % 7);
}

int64_t timestamp_local_from_utc(int64_t utc)
{
	/*
	 * Dutch administrative time: CET (UTC+1), and CEST (UTC+2) from the
	 * last Sunday of March 01:00 UTC to the last Sunday of October 01:00
	 * UTC (EU Directive 2000/84/EC).  Computed here because the C library's
	 * local-time conversion is not reentrant (banned here) and the machine's TZ is not
	 * the administration's.
	 */
	int y, m, d;
	int64_t start, end;

	date_to_ymd(timestamp_day(utc), &y, &m, &d);
	start = timestamp_from(date_last_sunday(y, 3), 1, 0, 0);
	end = timestamp_from(date_last_sunday(y, 10), 1, 0, 0);
	return utc + (utc >= start && utc < end ? 7200 : 3600);
}

int64_t timestamp_utc_from_local(int64_t local)
{
	/* local = utc + 7200 (summer) or utc + 3600 (winter); summer first */
	if (timestamp_local_from_utc(local - 7200) == local)
		return local - 7200;
	return local - 3600;
}

char *timestamp_format_utc(char buf[TIMESTAMP_UTC_FMT_MAX], int64_t local)
{
	timestamp_format(buf, timestamp_utc_from_local(local));
	buf[19] = 'Z';
	buf[20] = '\0';
	return buf;
}

int timestamp_now(int64_t *out, struct br_error *err)
{
	const char *fixed = getenv("BETAALRUN_NOW");
	time_t t;

	if (fixed) {
		/* date.h: tests and reproducible runs fix the clock; a value
		 * that is not a strict timestamp is a configuration error,
		 * never silently replaced by the real clock. */
		struct br_error perr;

		br_error_clear(&perr);
		if (timestamp_parse(out, fixed, strlen(fixed), &perr) < 0)
			return br_error_set(err, BR_ECONFIG, "$BETAALRUN_NOW: %s", perr.msg);
		return 0;
	}
	/* The only use of time_t: seconds since the epoch, converted by our
	 * own civil code above. */
	t = time(NULL);
	if (t == (time_t)-1)
		return br_error_set(err, BR_EINTERNAL, "de systeemklok kan niet worden gelezen");
	*out = timestamp_local_from_utc((int64_t)t);
	return 0;
}

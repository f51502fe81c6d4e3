/*
 * date.h — calendar dates as int32_t days, exact, without time_t.
 *
 * A date is the number of days since 1970-01-01 in the proleptic Gregorian
 * calendar (negative before it); a month is `year * 12 + (month - 1)`; a
 * timestamp is int64_t seconds since 1970-01-01T00:00:00 with no zone
 * (formats.md: `YYYY-MM-DDThh:mm:ss`, local administrative time).  All
 * conversions are integer arithmetic (H. Hinnant's civil-from-days).
 */
#ifndef BR_DATE_H
#define BR_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define DATE_FMT_MAX 11      /* "YYYY-MM-DD" + NUL */
#define TIMESTAMP_FMT_MAX 20 /* "YYYY-MM-DDThh:mm:ss" + NUL */
#define MONTH_FMT_MAX 8      /* "YYYY-MM" + NUL */
#define TIMESTAMP_UTC_FMT_MAX 21 /* "YYYY-MM-DDThh:mm:ssZ" + NUL */
#define DATE_NONE INT32_MIN  /* an optional date that is absent */

/* Days from a civil date; y/m/d must already be valid (see date_valid). */
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t day, int *out_y, int *out_m, int *out_d);
int date_valid(int y, int m, int d);
int date_is_leap(int y);
int date_days_in_month(int y, int m);
/* 0 = Monday .. 6 = Sunday */
int date_weekday(int32_t day);

/* Strict "YYYY-MM-DD" (years 1900..2199); BR_EINPUT naming the text. */
int date_parse(int32_t *out, const char *s, size_t len, struct br_error *err);
/* Strict "YYYY-MM-DDThh:mm:ss"; BR_EINPUT naming the text. */
int timestamp_parse(int64_t *out, const char *s, size_t len, struct br_error *err);
/* Strict "YYYY-MM"; out is a month index. */
int month_parse(int32_t *out, const char *s, size_t len, struct br_error *err);

char *date_format(char buf[DATE_FMT_MAX], int32_t day);
char *timestamp_format(char buf[TIMESTAMP_FMT_MAX], int64_t ts);
char *month_format(char buf[MONTH_FMT_MAX], int32_t month);

/* Month index of a date, first/last day of a month index. */
int32_t month_of(int32_t day);
int32_t month_first_day(int32_t month);
int32_t month_last_day(int32_t month);
int month_days(int32_t month);

/* Full years between `birth` and `on` (age on a day; a 29 Feb birthday
 * counts from 1 March in non-leap years). */
int date_age_years(int32_t birth, int32_t on);
/* `day` plus n calendar months, clamped to the month's last day. */
int32_t date_add_months(int32_t day, int n);

/* Split a timestamp into its day and second of day. */
int32_t timestamp_day(int64_t ts);
int64_t timestamp_from(int32_t day, int hh, int mm, int ss);

/* Now, from the system clock, in Dutch administrative time (CET/CEST,
 * see timestamp_local_from_utc); the only place that reads the clock.
 * Tests and reproducible runs set $BETAALRUN_NOW ("YYYY-MM-DDThh:mm:ss",
 * taken as local time).  BR_ECONFIG for a malformed $BETAALRUN_NOW,
 * BR_EINTERNAL if the clock cannot be read: a wrong clock must not date a
 * payment file, so there is no silent fallback. */
int timestamp_now(int64_t *out, struct br_error *err);

/* UTC seconds to Europe/Amsterdam local seconds: UTC+1, UTC+2 from the last
 * Sunday of March 01:00 UTC until the last Sunday of October 01:00 UTC. */
int64_t timestamp_local_from_utc(int64_t utc);

/* The inverse: Europe/Amsterdam local seconds to UTC.  A local time that
 * occurs twice (the last hour of summer time in October) is read as summer
 * time; one that does not occur (the skipped hour in March) as winter time. */
int64_t timestamp_utc_from_local(int64_t local);

/* RFC 3339 in UTC of a *local* timestamp (as timestamp_now gives it):
 * "YYYY-MM-DDThh:mm:ssZ", for logs and the lock file. */
char *timestamp_format_utc(char buf[TIMESTAMP_UTC_FMT_MAX], int64_t local);

#endif

/*
 * calendar.h — TARGET2 business days and the requested execution date of a
 * payment run (payments.md "ReqdExctnDt").
 *
 * TARGET2 is closed on Saturdays, Sundays, 1 January, Good Friday, Easter
 * Monday, 1 May, 25 and 26 December (Easter by the Gregorian computus,
 * Meeus/Jones/Butcher).  Dates are date.h days.
 */
#ifndef BR_CALENDAR_H
#define BR_CALENDAR_H

#include <stdint.h>

/* Easter Sunday of `year` (1583..9999). */
int32_t calendar_easter(int year);

/* 1 when `day` is a TARGET2 business day. */
int calendar_is_business_day(int32_t day);

/*
 * The execution date for the run of `month`: day `uitbetaaldag` (1..28)
 * of the month; if that is not a business day, the previous business day;
 * if the result is before `prepared_day`, the first business day after
 * `prepared_day`.
 */
int32_t calendar_execution_date(int32_t month, int uitbetaaldag, int32_t prepared_day);

#endif

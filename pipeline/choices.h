/*
 * choices.h — the values an option accepts, in one place for the help
 * text and for refusing anything else (issue 12: `jobs list --soort XYZ`
 * printed "no open jobs" instead of saying XYZ is no job kind).
 *
 *   --soort     a job kind: every Taak of the signal table, those a signal
 *               opens and those the pipeline opens itself
 *   --gemeente  a municipality: its CBS code (0405) or its name (Hoorn, any
 *               case), from the municipalities the reports know
 *   --uitkomst  an outcome of `jobs close` (jobs_outcome)
 *
 * A refused value is BR_EUSAGE (exit 64) with a message that names the value
 * and lists the valid ones.
 */
#ifndef BR_CHOICES_H
#define BR_CHOICES_H

#include <stddef.h>

#include "error.h"
#include "signaltable.h"

#define CHOICES_LIST_MAX 1024  /* a comma-separated list of values */

/* The job kinds of `t`, each once, in table order, ", "-separated. */
char *choices_soorten(char out[CHOICES_LIST_MAX], const struct signaltable *t);
/* "0498 Drechterland, 0388 Enkhuizen, ..." */
char *choices_gemeenten(char out[CHOICES_LIST_MAX]);
/* "GEEN_GEVOLGEN, AANGEPAST, ..." */
char *choices_uitkomsten(char out[CHOICES_LIST_MAX]);

/* `value` is a job kind of `t`, else BR_EUSAGE listing them. */
int choices_check_soort(const struct signaltable *t, const char *value, struct br_error *err);

/* The CBS code of `value` (a code or a name, case-insensitive) into out,
 * else BR_EUSAGE listing the municipalities. */
int choices_gemeente(char out[5], const char *value, struct br_error *err);

#endif

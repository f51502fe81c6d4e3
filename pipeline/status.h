/*
 * status.h — the `status` command (cli.md): what an operator checks first.
 * The inbox and quarantine counts, the register in force, holds, income,
 * signals, what the bank said (payments.md: a bank line that matches
 * nothing is kept and listed), the last run, the open jobs and the
 * deliveries, one line each, read from the store without its lock.
 */
#ifndef BR_STATUS_H
#define BR_STATUS_H

#include <stdio.h>

#include "error.h"
#include "home.h"

int status_print(FILE *out, const struct home *h, struct br_error *err);

#endif

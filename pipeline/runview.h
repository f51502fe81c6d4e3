/*
 * runview.h — what the run commands print for the operator (cli.md: the
 * run id alone on the first line of `run`, then one labelled line per
 * figure, amounts as € 1.234,56).  Presentation only: every figure comes
 * from the payrun_summary the stage returned.
 */
#ifndef BR_RUNVIEW_H
#define BR_RUNVIEW_H

#include <stdio.h>

#include "payrun.h"

enum runview_what {
	RUNVIEW_PREPARED = 0,  /* `run` */
	RUNVIEW_DRY_RUN,       /* `run --dry-run` */
	RUNVIEW_TO_APPROVE,    /* `approve`, before it asks */
	RUNVIEW_APPROVED,      /* `approve` */
	RUNVIEW_RELEASED       /* `release` */
};

void runview_print(FILE *out, enum runview_what what, const struct payrun_summary *s);

#endif

/*
 * runreport.h — the figures of a run's report per municipality ×
 * regeling (writers/report.h struct report_cell), as far as they come
 * from the store: the previous released run beside this one, and the
 * bufferbudget of the run and of its calendar year (rules.md §5a).
 * The run being prepared fills its own cells dossier by dossier
 * (payrun.c); this module only adds what earlier runs say.
 */
#ifndef BR_RUNREPORT_H
#define BR_RUNREPORT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "report.h"
#include "store.h"

/* 7 municipalities × 4 regelingen fit with room to spare; more is an
 * internal error at the caller (runreport_cell returns NULL). */
#define RUNREPORT_MAX_CELLS 64

struct runreport_cells {
	struct report_cell cell[RUNREPORT_MAX_CELLS];
	size_t n;
};

/* The cell for `gemeente` × `regeling`, added zeroed when new; NULL when
 * all RUNREPORT_MAX_CELLS are taken. */
struct report_cell *runreport_cell(struct runreport_cells *c, const char *gemeente, const char *regeling);

/* Order the cells by municipality, then regeling. */
void runreport_sort(struct runreport_cells *c);

/*
 * The last released run other than `run`: its id into `prev_id` ("" when
 * there is none) and its cells into `out` (emptied first), with its
 * bufferbudget figures.
 */
int runreport_previous(struct runreport_cells *out, char *prev_id, size_t cap_id, struct store *st,
		       int64_t run, struct br_error *err);

/*
 * rules.md §5a: the bufferbudget per cell of run `run` (month `maand`,
 * "YYYY-MM") and of its calendar year up to and with it (released runs
 * before it and the run itself, pending or released).  With `with_run`
 * also each cell's buffer_cents; the run being prepared counts its own
 * as it settles.
 */
int runreport_buffer(struct runreport_cells *c, struct store *st, int64_t run, const char *maand,
		     int with_run, struct br_error *err);

#endif

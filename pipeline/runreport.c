/* runreport.c — report figures from earlier runs; see runreport.h. */
#include "runreport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

struct report_cell *runreport_cell(struct runreport_cells *c, const char *gemeente, const char *regeling)
{
	struct report_cell *cell;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->cell[i].gemeente, gemeente) == 0 && strcmp(c->cell[i].regeling, regeling) == 0)
			return &c->cell[i];
	if (c->n == RUNREPORT_MAX_CELLS)
		return NULL;
	cell = &c->cell[c->n++];
	memset(cell, 0, sizeof(*cell));
	snprintf(cell->gemeente, sizeof(cell->gemeente), "%.4s", gemeente);
	snprintf(cell->regeling, sizeof(cell->regeling), "%.4s", regeling);
	return cell;
}

static int cmp_cells(const void *a, const void *b)
{
	const struct report_cell *x = a, *y = b;
	int c = strcmp(x->gemeente, y->gemeente);
	return c ? c : strcmp(x->regeling, y->regeling);
}

void runreport_sort(struct runreport_cells *c)
{
	qsort(c->cell, c->n, sizeof(c->cell[0]), cmp_cells);
}

/* The last released run other than `run`: 0 and *prev = 0 when none. */
static int last_released(int64_t *prev, char *prev_id, size_t cap_id, char maand[8], struct store *st,
			 int64_t run, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc, step;

	*prev = 0;
	prev_id[0] = maand[0] = '\0';
	if ((rc = store_prepare(st, &s, "SELECT id, msg_id, maand FROM run WHERE status = 'RELEASED'"
				" AND id <> ?1 ORDER BY id DESC LIMIT 1", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, run);
	if ((step = sqlite3_step(s)) == SQLITE_ROW) {
		*prev = sqlite3_column_int64(s, 0);
		snprintf(prev_id, cap_id, "%s", store_col(s, 1));
		snprintf(maand, 8, "%.7s", store_col(s, 2));
		step = SQLITE_DONE;
	}
	rc = step == SQLITE_DONE ? 0 : store_fail(st, step, "finding the previous run", err);
	sqlite3_finalize(s);
	return rc;
}

static void cell_read(struct report_cell *c, sqlite3_stmt *s)
{
	c->dossiers = (long)sqlite3_column_int64(s, 2);
	c->client_cents = sqlite3_column_int64(s, 3);
	c->derden_cents = sqlite3_column_int64(s, 4);
	c->inhouding_cents = sqlite3_column_int64(s, 5);
	c->verrekend_cents = sqlite3_column_int64(s, 6);
	c->toegevoegd_cents = sqlite3_column_int64(s, 7);
	c->nul = (long)sqlite3_column_int64(s, 8);
	c->held = (long)sqlite3_column_int64(s, 9);
	c->held_cents = sqlite3_column_int64(s, 10);
	c->blocked = (long)sqlite3_column_int64(s, 11);
}

static int run_cells(struct runreport_cells *out, struct store *st, int64_t run, struct br_error *err)
{
	struct report_cell *c;
	sqlite3_stmt *s = NULL;
	int rc, step;

	if ((rc = store_prepare(st, &s, "SELECT d.gemeente, d.regeling, count(*), sum(rd.client_cents),"
				" sum(rd.derden_cents), sum(rd.inhouding_cents), sum(rd.verrekend_cents),"
				" sum(rd.toegevoegd_cents), sum(rd.status = 'NUL'), sum(rd.status = 'OPGESCHORT'),"
				" sum(rd.ingehouden_cents), sum(rd.status = 'GEBLOKKEERD')"
				" FROM run_dossier rd JOIN dossier d ON d.id = rd.dossier WHERE rd.run = ?1"
				" GROUP BY d.gemeente, d.regeling ORDER BY d.gemeente, d.regeling", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, run);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (!(c = runreport_cell(out, store_col(s, 0), store_col(s, 1)))) {
			sqlite3_finalize(s);
			return br_error_set(err, BR_EINTERNAL, "te veel combinaties van gemeente en regeling");
		}
		cell_read(c, s);
	}
	rc = step == SQLITE_DONE ? 0 : store_fail(st, step, "reading the previous run's totals", err);
	sqlite3_finalize(s);
	return rc;
}

int runreport_previous(struct runreport_cells *out, char *prev_id, size_t cap_id, struct store *st,
		       int64_t run, struct br_error *err)
{
	char maand[8];
	int64_t prev;
	int rc;

	out->n = 0;
	if ((rc = last_released(&prev, prev_id, cap_id, maand, st, run, err)) < 0 || !prev)
		return rc;
	if ((rc = run_cells(out, st, prev, err)) < 0)
		return rc;
	return runreport_buffer(out, st, prev, maand, 1, err);
}

int runreport_buffer(struct runreport_cells *c, struct store *st, int64_t run, const char *maand,
		     int with_run, struct br_error *err)
{
	struct report_cell *cell;
	sqlite3_stmt *s = NULL;
	int rc, step;

	if ((rc = store_prepare(st, &s, "SELECT d.gemeente, d.regeling, sum(CASE WHEN b.run = ?1 THEN"
				" b.bedrag_cents ELSE 0 END), sum(b.bedrag_cents)"
				/* only the bufferbudget bookings (migration 10), not
				 * every booking of every earlier run */
				" FROM boeking b INDEXED BY boeking_bufferbudget JOIN run r ON r.id = b.run"
				" JOIN dossier d ON d.id = b.dossier WHERE b.soort = 'bufferbudget'"
				" AND substr(r.maand, 1, 4) = substr(?2, 1, 4) AND (r.id = ?1 OR (r.status = 'RELEASED'"
				" AND r.id < ?1)) GROUP BY d.gemeente, d.regeling", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, run);
	sqlite3_bind_text(s, 2, maand, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (!(cell = runreport_cell(c, store_col(s, 0), store_col(s, 1)))) {
			sqlite3_finalize(s);
			return br_error_set(err, BR_EINTERNAL, "te veel combinaties van gemeente en regeling");
		}
		if (with_run)
			cell->buffer_cents = sqlite3_column_int64(s, 2);
		/* the run being prepared: its pending bookings are in the sum already */
		cell->buffer_year_cents = sqlite3_column_int64(s, 3);
	}
	rc = step == SQLITE_DONE ? 0 : store_fail(st, step, "reading the bufferbudget", err);
	sqlite3_finalize(s);
	return rc;
}

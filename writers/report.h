/*
 * report.h — the run report (payments.md "Run report"): per municipality ×
 * regeling the figures of a run beside those of the previous released
 * run, with the change, plus the lists an administration acts on and books
 * from: every held dossier with what it withholds, every blocked payment
 * with its amount, every third-party payment not made, every claim
 * instalment.
 *
 * Files (report_file_name): a self-contained rapport.html (inline CSS, an
 * inline SVG bar chart per municipality, no scripts, no external
 * resources) and one CSV per table, in the dialect the configuration
 * chooses (csvout.h: excel-nl for a Dutch spreadsheet, or rfc4180):
 *   rapport-totalen.csv             the figures per gemeente × regeling
 *   rapport-aangehouden.csv         held dossiers (opschortingen)
 *   rapport-geblokkeerd.csv         blocked payments
 *   rapport-derden-niet-betaald.csv third-party payments not made
 *   rapport-inhoudingen.csv         claim instalments withheld
 *   rapport-teruggeboekt.csv        payments the bank booked back since the
 *                                   previous run
 *
 * The report is the state at preparation and says so ("stand bij
 * voorbereiding op <datum>"): it is part of the run's manifest, and
 * approval, release or cancellation never rewrite it; `betaalrun runs`
 * shows the state now.
 *
 * Amounts are int64 cents, printed with money_format (CSV, with a decimal
 * comma for excel-nl) and money_format_nl (HTML: "€ 1.234,56").  No BSN
 * ever: dossiers are named by their number.  Files are written 0600,
 * atomically.
 */
#ifndef BR_REPORT_H
#define BR_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "csvout.h"
#include "error.h"

struct report_cell {            /* one municipality × regeling */
	char gemeente[5];           /* CBS code */
	char regeling[5];           /* PW IOAW IOAZ BBZ */
	long dossiers;              /* settled in the run */
	int64_t client_cents;       /* paid to clients */
	int64_t derden_cents;       /* paid to third parties */
	int64_t inhouding_cents;    /* withheld on claims */
	int64_t verrekend_cents;    /* settled income: deductions made */
	int64_t toegevoegd_cents;   /* positive differences paid */
	long nul;                   /* €0 months (active, nothing paid to the client) */
	long held;                  /* dossiers on hold */
	int64_t held_cents;         /* what the holds withhold */
	long blocked;               /* dossiers with a blocked payment */
	long derden_skipped;        /* third-party payments not made */
	int64_t buffer_cents;       /* bufferbudget paid in the run (rules.md §5a) */
	int64_t buffer_year_cents;  /* bufferbudget of the calendar year up to and with the run */
};

enum report_line_kind {
	REPORT_INHOUDING = 0,       /* a claim instalment: dossier, kenmerk, amount */
	REPORT_HOLD,                /* a held dossier: dossier, reason, amount withheld */
	REPORT_BLOCKED,             /* a blocked dossier: dossier, reason, amount not paid */
	REPORT_DERDEN_SKIPPED,      /* a third-party payment not made: dossier, kenmerk, amount */
	REPORT_BOOKED_BACK          /* a payment of an earlier run the bank booked back: dossier,
				     * to whom (kenmerk), reason, amount; the dossier need not
				     * be in this run */
};

struct report_line {
	enum report_line_kind kind;
	char dossier[21];
	char gemeente[5];
	char kenmerk[36];
	char reden[256];
	int64_t amount_cents;
};

struct report {
	char run_id[40];
	char maand[8];              /* YYYY-MM */
	char status[16];            /* PREPARED, DRY-RUN, ... (at preparation) */
	char opgesteld[20];         /* when it was prepared: YYYY-MM-DDThh:mm:ss */
	char uitvoerdatum[11];
	char previous_run_id[40];   /* "" when there is no previous released run */
	const struct report_cell *cells; size_t n_cells;       /* this run, sorted */
	const struct report_cell *prev; size_t n_prev;         /* previous released run */
	const struct report_line *lines; size_t n_lines;
	long n_tx;
	int64_t total_cents;
	enum csv_dialect csv;       /* the CSV files' dialect */
};

/* Write the report's files into DIR (all built before the first is
 * written; each replaced atomically). */
int report_write(const char *dir, const struct report *r, struct br_error *err);

/* The name of the report's file i (0 ≤ i < REPORT_N_FILES), or NULL. */
#define REPORT_N_FILES 7
const char *report_file_name(size_t i);

/* The municipality's name for a CBS code ("Hoorn"), or NULL. */
const char *report_gemeente_naam(const char *cbs);
/* The i-th municipality's CBS code (i from 0), NULL past the last: for
 * listing and for finding a code by name. */
const char *report_gemeente_at(size_t i);

#endif

/*
 * settle_store.h — reading the settlement engine's input from the store.
 *
 * One pass over the whole register for a run (or one dossier for
 * `betaalrun dossier`): a handful of cursors ordered by dossier id are
 * merged in C, so 500,000 dossiers are read with seven sequential scans
 * instead of millions of point queries.
 *
 * What it decides (rules.md, formats.md):
 *  - stands: every stand of the dossier with its grants; the engine picks
 *    the one in force per month;
 *  - income: every record whose BSN is the applicant or partner in any
 *    stand of the dossier, with the person's id: the engine counts it
 *    only in months whose stand in force has that person as applicant or
 *    (a couple's) partner; a record replaced by a later one (Vervangt) or
 *    withdrawn (Intrekking) is not passed; a withdrawal record itself is
 *    never income, but one that arrived since the last run is handed
 *    beside the input (info.withdrawn); a record an earlier run read is
 *    `gezien` (the marks runs keep, run.inkomen_tot);
 *  - claims and third parties: those of the stand in force on the first
 *    day of the run month (the latest stand when the month is before all);
 *    a claim's amount withheld since the snapshot's peildatum comes from
 *    the released ledger;
 *  - VT withheld: the regular run of the latest VT month before the run
 *    month held or blocked the dossier and no released run paid it since
 *    (settle_input.vt_withheld, rules.md §2);
 *  - the paid ledger: released bookings per month (voorschot, verschil,
 *    vordering count as paid; vakantietoeslag as VT paid; VT bookings on
 *    months before startmaand pay the cut-over reservation).
 *
 * Ownership: everything `settle_source_next` fills (the input's arrays,
 * strings, the info) is owned by the source and valid until the next call.
 */
#ifndef BR_SETTLE_STORE_H
#define BR_SETTLE_STORE_H

#include <sqlite3.h>

#include "error.h"
#include "settle.h"
#include "store.h"

struct settle_source;

/* A withdrawal (Intrekking) of an income record that arrived since the
 * last run (settle_store.c load_seen): for an IOAW/IOAZ/Bbz dossier the
 * record withdrawn may have been settled by hand (rules.md §5). */
struct settle_withdrawal {
	int64_t id;                /* the withdrawal's store id */
	int32_t month;             /* of its DatEindTv */
	const char *opgave_id;     /* the record it withdraws (borrowed) */
};

struct settle_dossier_info {
	sqlite3_int64 id;
	char nummer[21];
	char regeling[5];
	char gemeente[5];
	char naam[801];            /* applicant's name, latest stand */
	char iban[35];
	char tenaamstelling[801];
	char probleem[1025];       /* record problem of the stand in force, "" if none */
	int n_claim_names, n_derde_names;
	char claim_kenmerk[SETTLE_MAX_CLAIMS][SETTLE_KENMERK_MAX + 1];
	char derde_naam[SETTLE_MAX_DERDEN][801];
	char derde_iban[SETTLE_MAX_DERDEN][35];
	/* withdrawals of the dossier's people's income that arrived since the
	 * last run; borrowed until the next settle_source_next */
	const struct settle_withdrawal *withdrawn;
	size_t n_withdrawn;
};

/* `only_nummer` NULL: every dossier, in id order; else just that one.
 * `set` gives startmaand and the VT month (borrowed during the call). */
int settle_source_open(struct settle_source **out, struct store *st, int32_t run_month,
		       const struct settle_settings *set, const char *only_nummer, struct br_error *err);

/* 1 with the next dossier filled, 0 at the end, < 0 on error. */
int settle_source_next(struct settle_source *src, struct settle_dossier_info *info,
		       struct settle_input *in, struct br_error *err);

void settle_source_free(struct settle_source *src);

/* The highest income record (inkomen.id) the source could read: what a
 * run records as seen (run.inkomen_tot) once it settled every dossier. */
int64_t settle_source_income_upto(const struct settle_source *src);

/* After the last dossier: store the income packs made on the way
 * (incomepack.h; a person's records the last run saw, packed anew once
 * PAK_MIN_NEW of them lie outside the pack).  Only a run that writes
 * calls it; the source reads nothing after. */
int settle_source_keep_packs(struct settle_source *src, struct br_error *err);

/*
 * The one place that derives the engine's settings for month `month`, for
 * the run, the dry run, `dossier` and the bench alike (issue 15): the
 * configured values; startmaand from betaalrun.conf, else the startmaand the
 * first run recorded, else `month` itself (the first run starts here).
 */
struct config;
int settle_settings_derive(struct settle_settings *out, struct store *st, const struct config *cfg,
			   int32_t month, struct br_error *err);

#endif

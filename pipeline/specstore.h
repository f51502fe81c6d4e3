/*
 * specstore.h — a run's specifications kept as settlement records
 * (core/settle_record.h) and rendered from them on demand (payments.md
 * "Specification per dossier"; issue 13).
 *
 * The payment run writes each dossier's specification into the run's
 * bundles and stores the settlement's record beside its totals
 * (afrekening.vastlegging), with the rules file it used (table regels, by
 * SHA-256).  `dossier` and `specificatie` render the text from the record
 * with those rules: the writer gets exactly the values it got in the run,
 * so the text is the bundle's text, byte for byte (tested both ways).
 * Rows stored before schema version 9 hold their text and are given as is.
 *
 * The record's facts (the texts beside the numbers) are, in order: dossier
 * number, gemeente, naam, partner's naam, iban, uitbetaaldatum, outcome
 * ("0" paid, "1" held, "2" blocked), since, why; then per claim of the
 * input its kenmerk and naam, per third party its kenmerk and naam.  The
 * dossier number and the uitbetaaldatum are the row's (dossier.nummer,
 * run.uitvoerdatum), the same for every record of a dossier or a run:
 * they are stored as NULL and given to specstore_render (issue 13: 26
 * bytes of every dossier's record each run).  Records stored before hold
 * them; the row's, which are the same, are used.
 */
#ifndef BR_SPECSTORE_H
#define BR_SPECSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "home.h"
#include "settle_record.h"
#include "specification.h"
#include "store.h"

/* The record of one dossier's settlement and the facts its specification
 * shows, into `b` (reused; see settle_record_encode). */
int specstore_encode(struct settle_record_buf *b, const struct specification_dossier *sd,
		     const struct settle_input *in, const struct settle_result *res,
		     const struct rules *rules, struct br_error *err);

/* The facts a record does not hold: its row's (see above). */
struct specstore_row {
	const char *nummer;           /* dossier.nummer */
	const char *uitbetaaldatum;   /* run.uitvoerdatum */
};

/* Render a record (made with `rules`) of the dossier and run `row`: *text
 * (caller frees, NUL-terminated) of *len bytes.  The payment run renders its bundles
 * this way too, so the text is the same whenever it is rendered.
 * BR_EINPUT for a damaged record; when `from_store`, also for one the
 * writer refuses as inconsistent (else that is BR_EINTERNAL, a bug).
 * Safe to call from any thread (nothing shared but the read-only rules). */
int specstore_render(char **text, size_t *len, const void *rec, size_t rec_len,
		     const struct specstore_row *row, const struct rules *rules, int from_store,
		     struct br_error *err);

/* Keep the rules file `r` was loaded from (once per SHA-256). */
int specstore_keep_rules(struct store *st, const struct rules *r, struct br_error *err);

/*
 * The specification of dossier `nummer` in run `run` (a msg_id), or when
 * `run` is NULL in the regular run of `month` that is PREPARED, APPROVED
 * or RELEASED: *text (caller frees) of *len bytes; the run's and the
 * dossier's store ids in *run_id and *dossier_id when not NULL.  1 found,
 * 0 not (nothing allocated), < 0 an error (BR_ECONFIG: the run's rules
 * file is not in the store).
 */
int specstore_text(char **text, size_t *len, int64_t *run_id, int64_t *dossier_id, struct store *st,
		   const struct home *h, const char *nummer, int32_t month, const char *run,
		   struct br_error *err);

#endif

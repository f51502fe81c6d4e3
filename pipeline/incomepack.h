/*
 * incomepack.h — a person's income records packed in one blob
 * (store.c migration 16, table inkomen_pak), so that a run after years of
 * history reads one row per person instead of one per record (issue 13).
 *
 * The invariant the store keeps: the pack of a BSN with mark `tot` holds
 * exactly that BSN's `inkomen` rows with id <= tot, withdrawals and
 * replaced records included, in id order.  It is derived data and cannot
 * go stale: the columns a pack holds are never updated after the insert
 * (intake.c only links `vervangt_inkomen`) and income rows are never
 * deleted; the rows with id > tot are read from `inkomen` itself.
 *
 * Format: records one after the other, each
 *   varint  id − the previous record's id (the first: from 0), > 0
 *   byte    bit 0 intrekking, bits 1–2 soort (settle.h enum settle_soort)
 *   varint  DatAanvTv, zigzag (days since 1970-01-01, date.h)
 *   varint  DatEindTv − DatAanvTv, >= 0
 *   6 × varint, zigzag: LnLbPh, VakBsl, WrdPrGebrAut, IngLbPh, BijdrZvw,
 *           PrWgaWhkWn (cents)
 *   3 × text, NUL-terminated: OpgaveId, LhNr, Vervangt ("" when none),
 *           each at most INCOMEPACK_TEXT_MAX bytes
 */
#ifndef BR_INCOMEPACK_H
#define BR_INCOMEPACK_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "settle.h"

#define INCOMEPACK_TEXT_MAX 64
/* the most bytes one record takes */
#define INCOMEPACK_RECORD_MAX (10 + 1 + 10 + 10 + 6 * 10 + 3 * (INCOMEPACK_TEXT_MAX + 1))

struct incomepack_row {
	int64_t id;
	int intrekking;
	enum settle_soort soort;
	int32_t dat_aanv_tv, dat_eind_tv;
	int64_t ln_lb_ph_cents, vak_bsl_cents, wrd_pr_gebr_aut_cents;
	int64_t ing_lb_ph_cents, bijdr_zvw_cents, pr_wga_whk_wn_cents;
	const char *opgave_id, *lhnr, *vervangt;   /* borrowed; "" when none */
};

/* A growable pack; zero it to start, incomepack_buf_free when done. */
struct incomepack_buf {
	unsigned char *p;
	size_t len, cap;
	int64_t last_id;            /* of the last record appended */
};

/* Append raw pack bytes that end with record `last_id` (an existing
 * pack), or one record, whose id must exceed the last; BR_EINTERNAL for
 * an id out of order or a text too long, BR_ENOMEM. */
int incomepack_append_raw(struct incomepack_buf *b, const void *pack, size_t len, int64_t last_id,
			  struct br_error *err);
int incomepack_append(struct incomepack_buf *b, const struct incomepack_row *r, struct br_error *err);
void incomepack_buf_free(struct incomepack_buf *b);

/* The next record of `pack` at *at into *r (its texts point into the
 * pack); `prev_id` the id of the record before (0 at the start).  1 read,
 * 0 at the end, BR_EINTERNAL when the pack is damaged. */
int incomepack_next(struct incomepack_row *r, const unsigned char *pack, size_t len, size_t *at,
		    int64_t prev_id, struct br_error *err);

#endif

/*
 * fuzz_incomepack.c — libFuzzer target for a person's income pack
 * (pipeline/incomepack.h): the bytes a store's inkomen_pak.pak holds.
 *
 * Contract: reading gives records, then the end or BR_EINTERNAL
 * (damaged), never anything else and never a byte past the end; ids
 * ascend; the records read encode to a pack that reads back to the same
 * records.
 *
 *   make fuzz && build/fuzz/fuzz_incomepack -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_incomepack
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "incomepack.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void contract(int ok, const char *what)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_incomepack: contract violated: %s\n", what);
	abort();
}

static int same(const struct incomepack_row *a, const struct incomepack_row *b)
{
	return a->id == b->id && a->intrekking == b->intrekking && a->soort == b->soort &&
	       a->dat_aanv_tv == b->dat_aanv_tv && a->dat_eind_tv == b->dat_eind_tv &&
	       a->ln_lb_ph_cents == b->ln_lb_ph_cents && a->vak_bsl_cents == b->vak_bsl_cents &&
	       a->wrd_pr_gebr_aut_cents == b->wrd_pr_gebr_aut_cents && a->ing_lb_ph_cents == b->ing_lb_ph_cents &&
	       a->bijdr_zvw_cents == b->bijdr_zvw_cents && a->pr_wga_whk_wn_cents == b->pr_wga_whk_wn_cents &&
	       !strcmp(a->opgave_id, b->opgave_id) && !strcmp(a->lhnr, b->lhnr) && !strcmp(a->vervangt, b->vervangt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct incomepack_row r, again;
	struct incomepack_buf b;
	struct br_error err;
	size_t at = 0, at2 = 0;
	int64_t prev = 0, prev2 = 0;
	int rc, rc2;

	br_error_clear(&err);
	memset(&b, 0, sizeof(b));
	while ((rc = incomepack_next(&r, data, size, &at, prev, &err)) == 1) {
		contract(at <= size, "never past the end");
		contract(r.id > prev, "ids ascend");
		contract(r.dat_eind_tv >= r.dat_aanv_tv, "a period ends after it starts");
		contract(incomepack_append(&b, &r, &err) == 0, "a record read can be written");
		rc2 = incomepack_next(&again, b.p, b.len, &at2, prev2, &err);
		contract(rc2 == 1 && same(&r, &again), "what is written reads back the same");
		prev = r.id;
		prev2 = again.id;
	}
	contract(rc == 0 || rc == BR_EINTERNAL, "the end or damaged");
	incomepack_buf_free(&b);
	return 0;
}

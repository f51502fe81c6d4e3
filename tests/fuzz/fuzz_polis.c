/*
 * fuzz_polis.c — libFuzzer target for the Polisadministratie income parser
 * (parsers/polis.h).
 *
 * polis_parse over arbitrary bytes, with data/schemas/polis.xsd.
 *
 * Input through xmlin_open_memory (max_bytes 1 MiB), validated against the
 * schema while streaming, as intake does; the schema is loaded once from
 * $BR_SOURCE_DIR (else the compile-time BR_SOURCE_DIR).  The handlers read
 * every field of every record, so the sanitizers see each read, and check
 * the parser's contract (NUL-terminated strings, counts within their caps,
 * the header once and first, the error contract of error.h); a violation
 * aborts.
 *
 *   make fuzz && build/fuzz/fuzz_polis -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_polis
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "levering.h"
#include "polis.h"
#include "xmlin.h"

#define FUZZ_NAME "fuzz_polis"
#define FUZZ_KIND LEVERING_INKOMEN
#define FUZZ_SCHEMA "polis.xsd"
#include "fuzz_common.h"
#include "banned.h"

static int on_record(void *ctx, const struct polis_record *r, struct br_error *err)
{
	struct seen *s = ctx;

	contract(s->headers == 1, "record before the header", err);
	s->records++;
	TOUCH_INT(r->line);
	TOUCH_STR(r->opgave_id);
	TOUCH_STR(r->vervangt);
	TOUCH_INT(r->intrekking);
	TOUCH_STR(r->bsn);
	TOUCH_STR(r->lhnr);
	TOUCH_INT(r->numiv);
	TOUCH_STR(r->soort);
	TOUCH_INT(r->dat_aanv_tv);
	TOUCH_INT(r->dat_eind_tv);
	TOUCH_INT(r->ln_lb_ph_cents);
	TOUCH_INT(r->vak_bsl_cents);
	TOUCH_INT(r->extr_per_sal_cents);
	TOUCH_INT(r->opn_avwb_cents);
	TOUCH_INT(r->wrd_pr_gebr_aut_cents);
	TOUCH_INT(r->ing_lb_ph_cents);
	TOUCH_INT(r->bijdr_zvw_cents);
	TOUCH_INT(r->pr_wga_whk_wn_cents);
	TOUCH_INT(r->ind_heffingskorting);
	TOUCH_INT(r->aant_verl_u);
	TOUCH_INT(r->tags);
	contract(r->dat_eind_tv >= r->dat_aanv_tv, "DatEindTv before DatAanvTv accepted", err);
	return 0;
}

/* For fuzz_common.h: the parser under test, counting into *s. */
static int parse_records(struct xmlin *x, struct seen *s, struct br_error *err)
{
	struct polis_handler h = { on_header, on_record, s };

	return polis_parse(x, &h, err);
}

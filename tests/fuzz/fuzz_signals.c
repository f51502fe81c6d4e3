/*
 * fuzz_signals.c — libFuzzer target for the Inlichtingenbureau signal parser
 * (parsers/signals_xml.h).
 *
 * signals_parse over arbitrary bytes, with data/schemas/signalen.xsd.
 *
 * The harness (input, schema, contract checks) is fuzz_common.h's; the
 * record handler here reads every field and checks what the parser
 * promises about it.
 *
 *   make fuzz && build/fuzz/fuzz_signals -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_signals
 */
#include "error.h"
#include "levering.h"
#include "signals_xml.h"
#include "xmlin.h"

#define FUZZ_NAME "fuzz_signals"
#define FUZZ_KIND LEVERING_SIGNALEN
#define FUZZ_SCHEMA "signalen.xsd"
#include "fuzz_common.h"
#include "banned.h"

static int on_signal(void *ctx, const struct signal_record *r, struct br_error *err)
{
	struct seen *s = ctx;
	int i;

	contract(s->headers == 1, "signal before the header", err);
	s->records++;
	TOUCH_INT(r->line);
	TOUCH_STR(r->signaal_id);
	TOUCH_STR(r->soort);
	TOUCH_STR(r->bsn);
	TOUCH_STR(r->bron);
	TOUCH_INT(r->signaaldatum);
	TOUCH_INT(r->periode_begin);
	TOUCH_INT(r->periode_einde);
	TOUCH_STR(r->omschrijving);
	contract(r->periode_einde == DATE_NONE || r->periode_einde >= r->periode_begin,
		 "PeriodeEinde before PeriodeBegin accepted", err);
	contract(r->n_gegevens >= 0 && r->n_gegevens <= SIGNAL_MAX_GEGEVENS,
		 "n_gegevens out of range", err);
	for (i = 0; i < r->n_gegevens; i++) {
		TOUCH_STR(r->gegevens[i].naam);
		TOUCH_STR(r->gegevens[i].waarde);
	}
	return 0;
}

/* For fuzz_common.h: the parser under test, counting into *s. */
static int parse_records(struct xmlin *x, struct seen *s, struct br_error *err)
{
	struct signals_handler h = { on_header, on_signal, s };

	return signals_parse(x, &h, err);
}

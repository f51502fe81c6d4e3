/*
 * fuzz_register.c — libFuzzer target for the client register parser
 * (parsers/register.h).
 *
 * register_parse over arbitrary bytes, with data/schemas/clientregister.xsd.
 *
 * The harness (input, schema, contract checks) is fuzz_common.h's; the
 * record handler here reads every field and checks what the parser
 * promises about it.
 *
 *   make fuzz && build/fuzz/fuzz_register -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_register
 */
#include "error.h"
#include "levering.h"
#include "register.h"
#include "xmlin.h"

#define FUZZ_NAME "fuzz_register"
#define FUZZ_KIND LEVERING_REGISTER
#define FUZZ_SCHEMA "clientregister.xsd"
#include "fuzz_common.h"
#include "banned.h"

static void touch_person(const struct register_person *p)
{
	TOUCH_STR(p->bsn);
	TOUCH_STR(p->naam);
	TOUCH_INT(p->geboortedatum);
}

static int on_dossier(void *ctx, const struct register_dossier *d, struct br_error *err)
{
	struct seen *s = ctx;
	int i;

	contract(s->headers == 1, "dossier before the header", err);
	s->records++;
	TOUCH_INT(d->line);
	TOUCH_STR(d->nummer);
	TOUCH_STR(d->regeling);
	TOUCH_STR(d->gemeente);
	TOUCH_INT(d->ingangsdatum);
	TOUCH_INT(d->einddatum);
	touch_person(&d->aanvrager);
	TOUCH_INT(d->has_partner);
	if (d->has_partner)
		touch_person(&d->partner);
	TOUCH_STR(d->leefvorm);
	TOUCH_INT(d->jongste_kind_geb);
	TOUCH_INT(d->kostendelers);
	TOUCH_INT(d->woonkostenverlaging_pct);
	TOUCH_STR(d->iban);
	TOUCH_STR(d->bic);
	TOUCH_STR(d->tenaamstelling);
	TOUCH_INT(d->has_vast_bedrag);
	TOUCH_INT(d->vast_bedrag_cents);
	TOUCH_INT(d->has_vt_reservering);
	TOUCH_INT(d->vt_reservering_cents);
	contract(d->n_grants >= 0 && d->n_grants <= REGISTER_MAX_GRANTS, "n_grants out of range", err);
	contract(d->n_claims >= 0 && d->n_claims <= REGISTER_MAX_CLAIMS, "n_claims out of range", err);
	contract(d->n_derden >= 0 && d->n_derden <= REGISTER_MAX_DERDEN, "n_derden out of range", err);
	for (i = 0; i < d->n_grants; i++) {
		const struct register_grant *g = &d->grants[i];
		TOUCH_STR(g->code);
		TOUCH_STR(g->persoon);
		TOUCH_INT(g->ingangsdatum);
		TOUCH_INT(g->einddatum);
		TOUCH_INT(g->maanden_gebruikt);
	}
	for (i = 0; i < d->n_claims; i++) {
		const struct register_claim *c = &d->claims[i];
		TOUCH_STR(c->kenmerk);
		TOUCH_STR(c->soort);
		TOUCH_INT(c->saldo_cents);
		TOUCH_INT(c->termijn_cents);
	}
	for (i = 0; i < d->n_derden; i++) {
		const struct register_derde *e = &d->derden[i];
		TOUCH_STR(e->kenmerk);
		TOUCH_STR(e->naam);
		TOUCH_STR(e->iban);
		TOUCH_INT(e->bedrag_cents);
		TOUCH_INT(e->prioriteit);
		TOUCH_STR(e->omschrijving);
	}
	TOUCH_INT(d->has_opschorting);
	TOUCH_INT(d->opschorting_vanaf);
	TOUCH_STR(d->opschorting_reden);
	return 0;
}

/* For fuzz_common.h: the parser under test, counting into *s. */
static int parse_records(struct xmlin *x, struct seen *s, struct br_error *err)
{
	struct register_handler h = { on_header, on_dossier, s };

	return register_parse(x, &h, err);
}

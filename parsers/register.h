/*
 * register.h — parser for the client register snapshot (formats.md §1).
 *
 * Format (namespace urn:nl:betaalrun:clientregister:1, schema
 * data/schemas/clientregister.xsd): root <Clientregister> with
 * attributes leveringId, peildatum (YYYY-MM-DD), aanmaakdatum
 * (YYYY-MM-DDThh:mm:ss); then 0..n <Dossier>, each with, in this order:
 * Dossiernummer ([A-Z0-9-]{1,20}), Regeling (PW|IOAW|IOAZ|BBZ), Gemeente
 * (4 digits), Ingangsdatum, Einddatum (opt), Aanvrager (BSN, Naam,
 * Geboortedatum), Partner (opt, same), Leefvorm (ALLEENSTAAND |
 * ALLEENSTAANDE_OUDER | GEHUWD), JongsteKindGeboortedatum (opt),
 * Kostendelers (0..20), Woonkostenverlaging (opt, 0..20), Betaalrekening
 * (IBAN, BIC opt, Tenaamstelling), VastBedrag (opt), VtReservering (opt),
 * Vrijlating* (attributes code, persoon, ingangsdatum, einddatum opt,
 * maanden_gebruikt opt), Inhouding* (Kenmerk, Soort, Saldo, Termijn),
 * BetalingAanDerden* (Kenmerk, Naam, IBAN, Bedrag, Prioriteit,
 * Omschrijving), Opschorting (opt; attributes vanaf, reden).
 *
 * The parser refuses the file (BR_EINPUT, with line) for what makes it
 * untrustworthy: schema violations, a BSN failing the elfproef, an amount
 * that is not exactly two decimals, an impossible date, more repeated
 * elements than the caps below.  It does NOT judge payability (IBAN
 * checksum, overlapping grants, partner without GEHUWD): those are record
 * problems that intake marks on the dossier (formats.md §5), so the IBAN
 * is only checked for its shape here.
 *
 * Records are delivered one at a time through the handler; the struct is
 * borrowed and valid only during the callback.  Memory stays bounded
 * whatever the number of dossiers.
 */
#ifndef BR_REGISTER_H
#define BR_REGISTER_H

#include <stdint.h>

#include "error.h"
#include "levering.h"
#include "xmlin.h"

#define REGISTER_MAX_GRANTS 16
#define REGISTER_MAX_CLAIMS 32
#define REGISTER_MAX_DERDEN 16
#define REGISTER_NAME_MAX 200      /* characters (the schema's maxLength) */
#define REGISTER_KENMERK_MAX 35    /* printable ASCII */
#define REGISTER_TEXT_MAX 140      /* characters */
/* A character of UTF-8 takes up to 4 bytes: buffer sizes in bytes. */
#define REGISTER_NAME_BYTES (4 * REGISTER_NAME_MAX)
#define REGISTER_TEXT_BYTES (4 * REGISTER_TEXT_MAX)

struct register_person {
	char bsn[10];
	char naam[REGISTER_NAME_BYTES + 1];
	int32_t geboortedatum;
};

struct register_grant {
	char code[8];        /* N R Y Z AA 34A 34A_MU */
	char persoon[10];    /* AANVRAGER | PARTNER */
	int32_t ingangsdatum;
	int32_t einddatum;   /* DATE_NONE when open-ended */
	int maanden_gebruikt; /* -1 when absent (cut-over attribute) */
};

struct register_claim {
	char kenmerk[REGISTER_KENMERK_MAX + 1];
	char soort[16];      /* TERUGVORDERING | BOETE */
	int64_t saldo_cents;
	int64_t termijn_cents;
};

struct register_derde {
	char kenmerk[REGISTER_KENMERK_MAX + 1];
	char naam[REGISTER_NAME_BYTES + 1];
	char iban[35];
	int64_t bedrag_cents;
	int prioriteit;
	char omschrijving[REGISTER_TEXT_BYTES + 1];
};

struct register_dossier {
	long line;                 /* line of <Dossier> */
	char nummer[21];
	char regeling[5];          /* PW IOAW IOAZ BBZ */
	char gemeente[5];          /* CBS code, 4 digits */
	int32_t ingangsdatum;
	int32_t einddatum;         /* DATE_NONE when open */
	struct register_person aanvrager;
	int has_partner;
	struct register_person partner;
	char leefvorm[20];         /* ALLEENSTAAND ALLEENSTAANDE_OUDER GEHUWD */
	int32_t jongste_kind_geb;  /* DATE_NONE when absent */
	int kostendelers;
	int woonkostenverlaging_pct; /* 0 when absent */
	char iban[35];
	char bic[12];              /* "" when absent */
	char tenaamstelling[REGISTER_NAME_BYTES + 1];
	int has_vast_bedrag;
	int64_t vast_bedrag_cents;
	int has_vt_reservering;
	int64_t vt_reservering_cents;
	int n_grants;
	struct register_grant grants[REGISTER_MAX_GRANTS];
	int n_claims;
	struct register_claim claims[REGISTER_MAX_CLAIMS];
	int n_derden;
	struct register_derde derden[REGISTER_MAX_DERDEN];
	int has_opschorting;
	int32_t opschorting_vanaf;       /* DATE_NONE when absent */
	char opschorting_reden[REGISTER_TEXT_BYTES + 1];
};

struct register_handler {
	/* Called once, before the first dossier, with the root's attributes. */
	int (*header)(void *ctx, const struct levering_header *hdr, struct br_error *err);
	/* Called per dossier, in file order. */
	int (*dossier)(void *ctx, const struct register_dossier *d, struct br_error *err);
	void *ctx;
};

/*
 * Parse a whole register from `x` (opened with the clientregister schema),
 * calling the handler.  Returns 0, a handler's error, or BR_EINPUT/BR_ENOMEM
 * with err filled (file and line).
 */
int register_parse(struct xmlin *x, const struct register_handler *h, struct br_error *err);

#endif

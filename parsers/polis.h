/*
 * polis.h — parser for income deliveries from the Polisadministratie
 * (formats.md §2; namespace urn:nl:betaalrun:polis:1, schema
 * data/schemas/polis.xsd).
 *
 * Root <Inkomstenlevering leveringId aanmaakdatum>, then 0..n
 * <Inkomstenopgave> with, in order: OpgaveId, Vervangt (opt), Intrekking
 * (opt, boolean), BSN, LhNr, NumIV, Inkomstensoort (ARBEID | UITKERING |
 * PENSIOEN | OVERIG), DatAanvTv, DatEindTv, LnLbPh, VakBsl, ExtrPerSal,
 * OpnAvwb, WrdPrGebrAut, IngLbPh, BijdrZvw, PrWgaWhkWn,
 * IndHeffingskorting (boolean), AantVerlU (opt), Tag* (NIEUWE_IKV |
 * CORRECTIE | LOON_IN_NATURA | BEREKEN_VT_EN_EPS).
 *
 * Refused (BR_EINPUT with line): schema violations, a BSN failing the
 * elfproef, an amount that is not exactly two decimals, DatEindTv before
 * DatAanvTv, an impossible date.  Uniqueness of OpgaveId (in the file and
 * for all time) is the store's job (a UNIQUE key), so that one mechanism
 * covers both.  Records are borrowed, valid during the callback only.
 */
#ifndef BR_POLIS_H
#define BR_POLIS_H

#include <stdint.h>

#include "error.h"
#include "levering.h"
#include "xmlin.h"

#define POLIS_ID_MAX 35

enum polis_tag {
	POLIS_TAG_NIEUWE_IKV = 1 << 0,
	POLIS_TAG_CORRECTIE = 1 << 1,
	POLIS_TAG_LOON_IN_NATURA = 1 << 2,
	POLIS_TAG_BEREKEN_VT_EN_EPS = 1 << 3
};

struct polis_record {
	long line;
	char opgave_id[POLIS_ID_MAX + 1];
	char vervangt[POLIS_ID_MAX + 1]; /* "" when absent */
	int intrekking;                  /* 0/1 */
	char bsn[10];
	char lhnr[13];
	int numiv;
	char soort[10];                  /* ARBEID UITKERING PENSIOEN OVERIG */
	int32_t dat_aanv_tv;
	int32_t dat_eind_tv;
	int64_t ln_lb_ph_cents;
	int64_t vak_bsl_cents;
	int64_t extr_per_sal_cents;
	int64_t opn_avwb_cents;
	int64_t wrd_pr_gebr_aut_cents;
	int64_t ing_lb_ph_cents;
	int64_t bijdr_zvw_cents;
	int64_t pr_wga_whk_wn_cents;
	int ind_heffingskorting;         /* 0/1 */
	int aant_verl_u;                 /* -1 when absent */
	unsigned tags;                   /* enum polis_tag bits */
};

struct polis_handler {
	int (*header)(void *ctx, const struct levering_header *hdr, struct br_error *err);
	int (*record)(void *ctx, const struct polis_record *r, struct br_error *err);
	void *ctx;
};

int polis_parse(struct xmlin *x, const struct polis_handler *h, struct br_error *err);

#endif

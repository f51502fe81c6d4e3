/*
 * polis.c — streaming parser for income deliveries from the
 * Polisadministratie (formats.md §2); the format and the contract are in
 * polis.h.
 *
 * Depth 1 is <Inkomstenlevering>, depth 2 an <Inkomstenopgave>, whose
 * children are read one by one (xmlfield.h walks them) into a single
 * struct polis_record that goes to the handler at its end tag and is
 * cleared before the next.  Memory stays that one struct whatever the size
 * of the file.
 *
 * The XSD validates while we stream, but libxml2 may report a violation a
 * few nodes after we have seen the data, and fuzz targets run without a
 * schema.  So the parser relies on nothing the schema promises: element
 * order, required elements, lengths and values are checked here too, and
 * no field is read before it was filled.
 */
#include "polis.h"

#include <stdlib.h>
#include <string.h>

#include "xmlfield.h"
#include "banned.h"

#define ROOT "Inkomstenlevering"
#define RECORD "Inkomstenopgave"
#define VALUE_MAX 256 /* typed values (dates, numbers, codes) incl. whitespace */

/* formats.md "Element order is as listed". */
enum record_field {
	RF_OPGAVE_ID, RF_VERVANGT, RF_INTREKKING, RF_BSN, RF_LHNR, RF_NUMIV, RF_SOORT,
	RF_DAT_AANV, RF_DAT_EIND, RF_LN_LB_PH, RF_VAK_BSL, RF_EXTR_PER_SAL, RF_OPN_AVWB,
	RF_WRD_PR_GEBR_AUT, RF_ING_LB_PH, RF_BIJDR_ZVW, RF_PR_WGA_WHK_WN,
	RF_IND_HEFFINGSKORTING, RF_AANT_VERL_U, RF_TAG, RF_COUNT
};

static const struct xmlfield_field record_fields[RF_COUNT] = {
	[RF_OPGAVE_ID] = XMLFIELD("OpgaveId", XMLFIELD_REQ),
	[RF_VERVANGT] = XMLFIELD("Vervangt", 0),
	[RF_INTREKKING] = XMLFIELD("Intrekking", 0),
	[RF_BSN] = XMLFIELD("BSN", XMLFIELD_REQ),
	[RF_LHNR] = XMLFIELD("LhNr", XMLFIELD_REQ),
	[RF_NUMIV] = XMLFIELD("NumIV", XMLFIELD_REQ),
	[RF_SOORT] = XMLFIELD("Inkomstensoort", XMLFIELD_REQ),
	[RF_DAT_AANV] = XMLFIELD("DatAanvTv", XMLFIELD_REQ),
	[RF_DAT_EIND] = XMLFIELD("DatEindTv", XMLFIELD_REQ),
	[RF_LN_LB_PH] = XMLFIELD("LnLbPh", XMLFIELD_REQ),
	[RF_VAK_BSL] = XMLFIELD("VakBsl", XMLFIELD_REQ),
	[RF_EXTR_PER_SAL] = XMLFIELD("ExtrPerSal", XMLFIELD_REQ),
	[RF_OPN_AVWB] = XMLFIELD("OpnAvwb", XMLFIELD_REQ),
	[RF_WRD_PR_GEBR_AUT] = XMLFIELD("WrdPrGebrAut", XMLFIELD_REQ),
	[RF_ING_LB_PH] = XMLFIELD("IngLbPh", XMLFIELD_REQ),
	[RF_BIJDR_ZVW] = XMLFIELD("BijdrZvw", XMLFIELD_REQ),
	[RF_PR_WGA_WHK_WN] = XMLFIELD("PrWgaWhkWn", XMLFIELD_REQ),
	[RF_IND_HEFFINGSKORTING] = XMLFIELD("IndHeffingskorting", XMLFIELD_REQ),
	[RF_AANT_VERL_U] = XMLFIELD("AantVerlU", 0),
	[RF_TAG] = XMLFIELD("Tag", XMLFIELD_REPEAT),
};

static const char *const soorten[] = { "ARBEID", "UITKERING", "PENSIOEN", "OVERIG", NULL };

/* In the order of enum polis_tag's bits. */
static const char *const tags[] = {
	"NIEUWE_IKV", "CORRECTIE", "LOON_IN_NATURA", "BEREKEN_VT_EN_EPS", NULL
};

/* What one parse works on; f.ctx ends every message ("Inkomstenopgave X"). */
struct parse {
	struct xmlfield f;
	const struct polis_handler *h;
	struct polis_record *r;
};

/* ---- records ------------------------------------------------------------ */

static int record_child(void *arg, int f, const char *el)
{
	struct parse *p = arg;
	struct xmlfield *xf = &p->f;
	struct polis_record *r = p->r;
	char v[VALUE_MAX];
	size_t len = 0;
	int rc, i = 0;

	switch (f) {
	case RF_OPGAVE_ID:
		if ((rc = xmlfield_get_id(xf, r->opgave_id, sizeof(r->opgave_id), el)) < 0)
			return rc;
		xmlfield_ctx(xf, RECORD, r->opgave_id);
		return 0;
	case RF_VERVANGT:
		return xmlfield_get_id(xf, r->vervangt, sizeof(r->vervangt), el);
	case RF_LHNR:
		/* Loonheffingennummer: 9 digits, 'L', 2 digits. */
		if ((rc = xmlin_text(xf->x, r->lhnr, sizeof(r->lhnr), &len, xf->err)) < 0)
			return rc;
		if (len != 12 || !xmlfield_all_of(r->lhnr, 9, XMLFIELD_DIGIT) || r->lhnr[9] != 'L' ||
		    !xmlfield_all_of(r->lhnr + 10, 2, XMLFIELD_DIGIT))
			return xmlin_fail(xf->x, xf->err,
					  "%s '%s' is geen loonheffingennummer (9 cijfers, L, 2 cijfers) (%s)",
					  el, xmlfield_show(v, r->lhnr), xf->ctx);
		return 0;
	default:
		break;
	}

	/* The rest are simple values. */
	if ((rc = xmlin_text(xf->x, v, sizeof(v), &len, xf->err)) < 0)
		return rc;
	switch (f) {
	case RF_INTREKKING:
		return xmlfield_get_bool(xf, v, len, el, &r->intrekking);
	case RF_BSN:
		return xmlfield_get_bsn(xf, v, len, el, r->bsn);
	case RF_NUMIV:
		return xmlfield_get_int(xf, v, len, el, 0, 9999, &r->numiv);
	case RF_SOORT:
		if ((rc = xmlfield_get_code(xf, v, el, soorten, &i)) < 0)
			return rc;
		xmlfield_copy(r->soort, sizeof(r->soort), soorten[i]);
		return 0;
	case RF_DAT_AANV:
		return xmlfield_get_date(xf, v, len, el, &r->dat_aanv_tv);
	case RF_DAT_EIND:
		if ((rc = xmlfield_get_date(xf, v, len, el, &r->dat_eind_tv)) < 0)
			return rc;
		return xmlfield_check_period(xf, el, r->dat_eind_tv,
					     record_fields[RF_DAT_AANV].tag, r->dat_aanv_tv);
	case RF_LN_LB_PH:
		return xmlfield_get_amount(xf, v, len, el, &r->ln_lb_ph_cents);
	case RF_VAK_BSL:
		return xmlfield_get_amount(xf, v, len, el, &r->vak_bsl_cents);
	case RF_EXTR_PER_SAL:
		return xmlfield_get_amount(xf, v, len, el, &r->extr_per_sal_cents);
	case RF_OPN_AVWB:
		return xmlfield_get_amount(xf, v, len, el, &r->opn_avwb_cents);
	case RF_WRD_PR_GEBR_AUT:
		return xmlfield_get_amount(xf, v, len, el, &r->wrd_pr_gebr_aut_cents);
	case RF_ING_LB_PH:
		return xmlfield_get_amount(xf, v, len, el, &r->ing_lb_ph_cents);
	case RF_BIJDR_ZVW:
		return xmlfield_get_amount(xf, v, len, el, &r->bijdr_zvw_cents);
	case RF_PR_WGA_WHK_WN:
		return xmlfield_get_amount(xf, v, len, el, &r->pr_wga_whk_wn_cents);
	case RF_IND_HEFFINGSKORTING:
		return xmlfield_get_bool(xf, v, len, el, &r->ind_heffingskorting);
	case RF_AANT_VERL_U:
		return xmlfield_get_int(xf, v, len, el, 0, 99999, &r->aant_verl_u);
	case RF_TAG:
	default:
		if ((rc = xmlfield_get_code(xf, v, el, tags, &i)) < 0)
			return rc;
		/* At most one of each: the schema's maxOccurs is the number of tags. */
		if (r->tags & (1u << i))
			return xmlin_fail(xf->x, xf->err, "%s %s komt twee keer voor (%s)", el, tags[i],
					  xf->ctx);
		r->tags |= 1u << i;
		return 0;
	}
}

/* One <Inkomstenopgave>, its start tag current, to the handler. */
static int read_record(void *arg)
{
	struct parse *p = arg;
	struct polis_record *r = p->r;
	int rc;

	/* Nothing of the previous record may leak into this one. */
	memset(r, 0, sizeof(*r));
	r->line = xmlin_line(p->f.x);
	r->aant_verl_u = -1;
	if ((rc = xmlfield_read_group(&p->f, record_fields, RF_COUNT, record_child, p)) < 0)
		return rc;
	if (p->h->record && (rc = p->h->record(p->h->ctx, r, p->f.err)) < 0)
		return rc;
	return 0;
}

int polis_parse(struct xmlin *x, const struct polis_handler *h, struct br_error *err)
{
	struct levering_header hdr;
	struct parse p;
	int rc;

	memset(&p, 0, sizeof(p));
	xmlfield_init(&p.f, x, NS_POLIS, err);
	p.h = h;
	if (!(p.r = malloc(sizeof(*p.r)))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van %s", xmlin_label(x));
		goto out;
	}
	if ((rc = xmlfield_root(&p.f, ROOT, LEVERING_INKOMEN, &hdr)) < 0 ||
	    (rc = xmlfield_aanmaakdatum(&p.f, ROOT, &hdr.aanmaakdatum)) < 0)
		goto out;
	if (h->header && (rc = h->header(h->ctx, &hdr, err)) < 0)
		goto out;
	rc = xmlfield_read_records(&p.f, ROOT, RECORD, read_record, &p);
out:
	free(p.r);
	/* issue 12: the quarantine reason first says what was refused */
	if (rc == BR_EINPUT)
		br_error_prefix(err, "Inkomstenlevering geweigerd");
	return rc;
}

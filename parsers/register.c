/*
 * register.c — streaming parser for the client register snapshot
 * (formats.md §1); the format and the contract are in register.h.
 *
 * Depth 1 is <Clientregister>, depth 2 a <Dossier>, whose children are
 * read one by one (xmlfield.h walks them) into a single struct
 * register_dossier that goes to the handler at </Dossier> and is cleared
 * before the next.  Memory is that one struct, whatever the size of the
 * file.
 *
 * The XSD validates while we stream, but libxml2 may report a violation a
 * few nodes after we have seen the data, and fuzz targets run without a
 * schema.  So the parser relies on nothing the schema promises: it checks
 * element order, required elements, caps and lengths itself, and no field
 * is read before it was filled.
 */
#include "register.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "xmlfield.h"
#include "banned.h"

#define ROOT "Clientregister"
#define RECORD "Dossier"
#define VALUE_MAX 256 /* typed values (dates, numbers, codes) incl. whitespace */

/* ---- element sequences (formats.md "Element order is as listed") ------ */

enum dossier_field {
	DF_NUMMER, DF_REGELING, DF_GEMEENTE, DF_INGANG, DF_EIND, DF_AANVRAGER,
	DF_PARTNER, DF_LEEFVORM, DF_JONGSTE_KIND, DF_KOSTENDELERS, DF_WKV,
	DF_REKENING, DF_VAST, DF_VT, DF_VRIJLATING, DF_INHOUDING, DF_DERDEN,
	DF_OPSCHORTING, DF_COUNT
};

static const struct xmlfield_field dossier_fields[DF_COUNT] = {
	[DF_NUMMER] = XMLFIELD("Dossiernummer", XMLFIELD_REQ),
	[DF_REGELING] = XMLFIELD("Regeling", XMLFIELD_REQ),
	[DF_GEMEENTE] = XMLFIELD("Gemeente", XMLFIELD_REQ),
	[DF_INGANG] = XMLFIELD("Ingangsdatum", XMLFIELD_REQ),
	[DF_EIND] = XMLFIELD("Einddatum", 0),
	[DF_AANVRAGER] = XMLFIELD("Aanvrager", XMLFIELD_REQ),
	[DF_PARTNER] = XMLFIELD("Partner", 0),
	[DF_LEEFVORM] = XMLFIELD("Leefvorm", XMLFIELD_REQ),
	[DF_JONGSTE_KIND] = XMLFIELD("JongsteKindGeboortedatum", 0),
	[DF_KOSTENDELERS] = XMLFIELD("Kostendelers", XMLFIELD_REQ),
	[DF_WKV] = XMLFIELD("Woonkostenverlaging", 0),
	[DF_REKENING] = XMLFIELD("Betaalrekening", XMLFIELD_REQ),
	[DF_VAST] = XMLFIELD("VastBedrag", 0),
	[DF_VT] = XMLFIELD("VtReservering", 0),
	[DF_VRIJLATING] = XMLFIELD("Vrijlating", XMLFIELD_REPEAT),
	[DF_INHOUDING] = XMLFIELD("Inhouding", XMLFIELD_REPEAT),
	[DF_DERDEN] = XMLFIELD("BetalingAanDerden", XMLFIELD_REPEAT),
	[DF_OPSCHORTING] = XMLFIELD("Opschorting", 0),
};

enum person_field { PF_BSN, PF_NAAM, PF_GEBOORTE, PF_COUNT };
static const struct xmlfield_field person_fields[PF_COUNT] = {
	[PF_BSN] = XMLFIELD("BSN", XMLFIELD_REQ),
	[PF_NAAM] = XMLFIELD("Naam", XMLFIELD_REQ),
	[PF_GEBOORTE] = XMLFIELD("Geboortedatum", XMLFIELD_REQ),
};

enum account_field { AF_IBAN, AF_BIC, AF_TENAAMSTELLING, AF_COUNT };
static const struct xmlfield_field account_fields[AF_COUNT] = {
	[AF_IBAN] = XMLFIELD("IBAN", XMLFIELD_REQ),
	[AF_BIC] = XMLFIELD("BIC", 0),
	[AF_TENAAMSTELLING] = XMLFIELD("Tenaamstelling", XMLFIELD_REQ),
};

enum claim_field { CF_KENMERK, CF_SOORT, CF_SALDO, CF_TERMIJN, CF_COUNT };
static const struct xmlfield_field claim_fields[CF_COUNT] = {
	[CF_KENMERK] = XMLFIELD("Kenmerk", XMLFIELD_REQ),
	[CF_SOORT] = XMLFIELD("Soort", XMLFIELD_REQ),
	[CF_SALDO] = XMLFIELD("Saldo", XMLFIELD_REQ),
	[CF_TERMIJN] = XMLFIELD("Termijn", XMLFIELD_REQ),
};

enum derde_field {
	TF_KENMERK, TF_NAAM, TF_IBAN, TF_BEDRAG, TF_PRIORITEIT, TF_OMSCHRIJVING, TF_COUNT
};
static const struct xmlfield_field derde_fields[TF_COUNT] = {
	[TF_KENMERK] = XMLFIELD("Kenmerk", XMLFIELD_REQ),
	[TF_NAAM] = XMLFIELD("Naam", XMLFIELD_REQ),
	[TF_IBAN] = XMLFIELD("IBAN", XMLFIELD_REQ),
	[TF_BEDRAG] = XMLFIELD("Bedrag", XMLFIELD_REQ),
	[TF_PRIORITEIT] = XMLFIELD("Prioriteit", XMLFIELD_REQ),
	[TF_OMSCHRIJVING] = XMLFIELD("Omschrijving", XMLFIELD_REQ),
};

static const char *const regelingen[] = { "PW", "IOAW", "IOAZ", "BBZ", NULL };
static const char *const leefvormen[] = { "ALLEENSTAAND", "ALLEENSTAANDE_OUDER", "GEHUWD", NULL };
static const char *const vrijlating_codes[] = { "N", "R", "Y", "Z", "AA", "34A", "34A_MU", NULL };
static const char *const personen[] = { "AANVRAGER", "PARTNER", NULL };
static const char *const claim_soorten[] = { "TERUGVORDERING", "BOETE", NULL };

/* What one parse works on; f.ctx ends every message ("Dossier X"). */
struct parse {
	struct xmlfield f;
	const struct register_handler *h;
	struct register_dossier *d;
	struct register_person *person; /* the <Aanvrager> or <Partner> being read */
	void *item;                     /* the claim or third party being read */
};

/* ---- checks of this format --------------------------------------------- */

/* Register amounts (balances, instalments, monthly sums) are never negative. */
static int get_amount(struct xmlfield *xf, const char *s, size_t len, const char *what,
		      int64_t *out)
{
	char shown[XMLFIELD_SHOW_MAX];
	int rc;

	if ((rc = xmlfield_get_amount(xf, s, len, what, out)) < 0)
		return rc;
	if (*out < 0)
		return xmlin_fail(xf->x, xf->err, "bedrag '%s' mag niet negatief zijn (%s, %s)",
				  xmlfield_show(shown, s), what, xf->ctx);
	return 0;
}

/* IBAN shape only ([A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}): mod-97 and country
 * length are record problems for intake (formats.md §5). */
static int check_iban_shape(struct xmlfield *xf, const char *s, size_t len, const char *what)
{
	char shown[XMLFIELD_SHOW_MAX];

	if (len < 5 || len > 34 || !xmlfield_all_of(s, 2, XMLFIELD_UPPER) ||
	    !xmlfield_all_of(s + 2, 2, XMLFIELD_DIGIT) ||
	    !xmlfield_all_of(s + 4, len - 4, XMLFIELD_UPPER | XMLFIELD_DIGIT))
		return xmlin_fail(xf->x, xf->err,
				  "IBAN '%s' is geen IBAN: 2 letters, 2 cijfers, dan letters en cijfers, zonder spaties (%s, %s)",
				  xmlfield_show(shown, s), what, xf->ctx);
	return 0;
}

/* ---- records ------------------------------------------------------------ */

static int person_child(void *arg, int f, const char *el)
{
	struct parse *p = arg;
	struct xmlfield *xf = &p->f;
	struct register_person *ps = p->person;
	char v[VALUE_MAX];
	size_t len = 0;
	int rc;

	switch (f) {
	case PF_BSN:
		if ((rc = xmlin_text(xf->x, v, sizeof(v), &len, xf->err)) < 0)
			return rc;
		return xmlfield_get_bsn(xf, v, len, el, ps->bsn);
	case PF_NAAM:
		if ((rc = xmlin_text(xf->x, ps->naam, sizeof(ps->naam), &len, xf->err)) < 0)
			return rc;
		return xmlfield_check_text(xf, ps->naam, len, REGISTER_NAME_MAX, el);
	case PF_GEBOORTE:
	default:
		if ((rc = xmlin_text(xf->x, v, sizeof(v), &len, xf->err)) < 0)
			return rc;
		return xmlfield_get_date(xf, v, len, el, &ps->geboortedatum);
	}
}

static int account_child(void *arg, int f, const char *el)
{
	struct parse *p = arg;
	struct xmlfield *xf = &p->f;
	struct register_dossier *d = p->d;
	char shown[XMLFIELD_SHOW_MAX];
	size_t len = 0;
	int rc;

	switch (f) {
	case AF_IBAN:
		if ((rc = xmlin_text(xf->x, d->iban, sizeof(d->iban), &len, xf->err)) < 0)
			return rc;
		return check_iban_shape(xf, d->iban, len, el);
	case AF_BIC:
		if ((rc = xmlin_text(xf->x, d->bic, sizeof(d->bic), &len, xf->err)) < 0)
			return rc;
		/* [A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})? */
		if ((len != 8 && len != 11) || !xmlfield_all_of(d->bic, 6, XMLFIELD_UPPER) ||
		    !xmlfield_all_of(d->bic + 6, len - 6, XMLFIELD_UPPER | XMLFIELD_DIGIT))
			return xmlin_fail(xf->x, xf->err,
					  "BIC '%s' heeft geen 8 of 11 letters en cijfers (%s, %s)",
					  xmlfield_show(shown, d->bic), el, xf->ctx);
		return 0;
	case AF_TENAAMSTELLING:
	default:
		if ((rc = xmlin_text(xf->x, d->tenaamstelling, sizeof(d->tenaamstelling), &len,
				     xf->err)) < 0)
			return rc;
		return xmlfield_check_text(xf, d->tenaamstelling, len, REGISTER_NAME_MAX, el);
	}
}

static int claim_child(void *arg, int f, const char *el)
{
	struct parse *p = arg;
	struct xmlfield *xf = &p->f;
	struct register_claim *c = p->item;
	char v[VALUE_MAX];
	size_t len = 0;
	int rc, i = 0;

	if (f == CF_KENMERK)
		return xmlfield_get_id(xf, c->kenmerk, sizeof(c->kenmerk), el);
	if ((rc = xmlin_text(xf->x, v, sizeof(v), &len, xf->err)) < 0)
		return rc;
	switch (f) {
	case CF_SOORT:
		if ((rc = xmlfield_get_code(xf, v, el, claim_soorten, &i)) < 0)
			return rc;
		xmlfield_copy(c->soort, sizeof(c->soort), claim_soorten[i]);
		return 0;
	case CF_SALDO:
		return get_amount(xf, v, len, el, &c->saldo_cents);
	case CF_TERMIJN:
	default:
		return get_amount(xf, v, len, el, &c->termijn_cents);
	}
}

static int derde_child(void *arg, int f, const char *el)
{
	struct parse *p = arg;
	struct xmlfield *xf = &p->f;
	struct register_derde *t = p->item;
	char v[VALUE_MAX];
	size_t len = 0;
	int rc;

	switch (f) {
	case TF_KENMERK:
		return xmlfield_get_id(xf, t->kenmerk, sizeof(t->kenmerk), el);
	case TF_NAAM:
		if ((rc = xmlin_text(xf->x, t->naam, sizeof(t->naam), &len, xf->err)) < 0)
			return rc;
		return xmlfield_check_text(xf, t->naam, len, REGISTER_NAME_MAX, el);
	case TF_IBAN:
		if ((rc = xmlin_text(xf->x, t->iban, sizeof(t->iban), &len, xf->err)) < 0)
			return rc;
		return check_iban_shape(xf, t->iban, len, el);
	case TF_OMSCHRIJVING:
		if ((rc = xmlin_text(xf->x, t->omschrijving, sizeof(t->omschrijving), &len,
				     xf->err)) < 0)
			return rc;
		return xmlfield_check_text(xf, t->omschrijving, len, REGISTER_TEXT_MAX, el);
	default:
		break;
	}
	if ((rc = xmlin_text(xf->x, v, sizeof(v), &len, xf->err)) < 0)
		return rc;
	if (f == TF_BEDRAG)
		return get_amount(xf, v, len, el, &t->bedrag_cents);
	return xmlfield_get_int(xf, v, len, el, 1, 99, &t->prioriteit);
}

/* <Vrijlating code persoon ingangsdatum [einddatum] [maanden_gebruikt]/> */
static int read_grant(struct xmlfield *xf, struct register_grant *g, const char *el)
{
	char v[VALUE_MAX], a[DATE_FMT_MAX], b[DATE_FMT_MAX];
	size_t len;
	int rc, i = 0;

	g->einddatum = DATE_NONE;
	g->maanden_gebruikt = -1;
	if ((rc = xmlfield_get_attr(xf, el, "code", 1, v, sizeof(v), &len)) < 0 ||
	    (rc = xmlfield_get_code(xf, v, "code van <Vrijlating>", vrijlating_codes, &i)) < 0)
		return rc;
	xmlfield_copy(g->code, sizeof(g->code), vrijlating_codes[i]);
	if ((rc = xmlfield_get_attr(xf, el, "persoon", 1, v, sizeof(v), &len)) < 0 ||
	    (rc = xmlfield_get_code(xf, v, "persoon van <Vrijlating>", personen, &i)) < 0)
		return rc;
	xmlfield_copy(g->persoon, sizeof(g->persoon), personen[i]);
	if ((rc = xmlfield_get_attr(xf, el, "ingangsdatum", 1, v, sizeof(v), &len)) < 0 ||
	    (rc = xmlfield_get_date(xf, v, len, "ingangsdatum van <Vrijlating>",
				    &g->ingangsdatum)) < 0)
		return rc;
	if ((rc = xmlfield_get_attr(xf, el, "einddatum", 0, v, sizeof(v), &len)) < 0)
		return rc;
	if (rc > 0) {
		if ((rc = xmlfield_get_date(xf, v, len, "einddatum van <Vrijlating>",
					    &g->einddatum)) < 0)
			return rc;
		/* formats.md "Common rules": a period includes both days, so the
		 * end may equal the start but not precede it. */
		if (g->einddatum < g->ingangsdatum)
			return xmlin_fail(xf->x, xf->err,
					  "<Vrijlating> %s eindigt op %s, vóór zij begint op %s (%s)",
					  g->code, date_format(b, g->einddatum),
					  date_format(a, g->ingangsdatum), xf->ctx);
	}
	if ((rc = xmlfield_get_attr(xf, el, "maanden_gebruikt", 0, v, sizeof(v), &len)) < 0)
		return rc;
	if (rc > 0 && (rc = xmlfield_get_int(xf, v, len, "maanden_gebruikt van <Vrijlating>", 0,
					     999, &g->maanden_gebruikt)) < 0)
		return rc;
	return xmlfield_end_of_empty(xf, el);
}

/* <Opschorting vanaf reden/> */
static int read_hold(struct xmlfield *xf, struct register_dossier *d, const char *el)
{
	char v[VALUE_MAX];
	size_t len;
	int rc;

	if ((rc = xmlfield_get_attr(xf, el, "vanaf", 1, v, sizeof(v), &len)) < 0 ||
	    (rc = xmlfield_get_date(xf, v, len, "attribuut vanaf van <Opschorting>",
				    &d->opschorting_vanaf)) < 0)
		return rc;
	if ((rc = xmlfield_get_attr(xf, el, "reden", 1, d->opschorting_reden,
				    sizeof(d->opschorting_reden), &len)) < 0 ||
	    (rc = xmlfield_check_text(xf, d->opschorting_reden, len, REGISTER_TEXT_MAX,
				      "reden van <Opschorting>")) < 0)
		return rc;
	d->has_opschorting = 1;
	return xmlfield_end_of_empty(xf, el);
}

static int too_many(struct xmlfield *xf, const char *el, int max)
{
	return xmlin_fail(xf->x, xf->err, "te veel %s (ten hoogste %d) (%s)", el, max, xf->ctx);
}

static int dossier_child(void *arg, int f, const char *el)
{
	struct parse *p = arg;
	struct xmlfield *xf = &p->f;
	struct register_dossier *d = p->d;
	char v[VALUE_MAX];
	size_t len = 0;
	int rc, i = 0;

	switch (f) {
	case DF_NUMMER:
		if ((rc = xmlin_text(xf->x, d->nummer, sizeof(d->nummer), &len, xf->err)) < 0)
			return rc;
		if (len == 0 || !xmlfield_all_of(d->nummer, len, XMLFIELD_UPPER | XMLFIELD_DIGIT |
						 XMLFIELD_DASH))
			return xmlin_fail(xf->x, xf->err,
					  "%s '%s' moet 1 tot en met 20 hoofdletters, cijfers en '-' zijn (%s)",
					  el, xmlfield_show(v, d->nummer), xf->ctx);
		xmlfield_ctx(xf, RECORD, d->nummer);
		return 0;
	case DF_GEMEENTE:
		if ((rc = xmlin_text(xf->x, d->gemeente, sizeof(d->gemeente), &len, xf->err)) < 0)
			return rc;
		if (len != 4 || !xmlfield_all_of(d->gemeente, len, XMLFIELD_DIGIT))
			return xmlin_fail(xf->x, xf->err, "%s '%s' is geen CBS-code van 4 cijfers (%s)", el,
					  xmlfield_show(v, d->gemeente), xf->ctx);
		return 0;
	case DF_AANVRAGER:
	case DF_PARTNER:
		p->person = f == DF_AANVRAGER ? &d->aanvrager : &d->partner;
		d->has_partner |= f == DF_PARTNER;
		return xmlfield_read_group(xf, person_fields, PF_COUNT, person_child, p);
	case DF_REKENING:
		return xmlfield_read_group(xf, account_fields, AF_COUNT, account_child, p);
	case DF_VRIJLATING:
		if (d->n_grants >= REGISTER_MAX_GRANTS)
			return too_many(xf, el, REGISTER_MAX_GRANTS);
		return read_grant(xf, &d->grants[d->n_grants++], el);
	case DF_INHOUDING:
		if (d->n_claims >= REGISTER_MAX_CLAIMS)
			return too_many(xf, el, REGISTER_MAX_CLAIMS);
		p->item = &d->claims[d->n_claims++];
		return xmlfield_read_group(xf, claim_fields, CF_COUNT, claim_child, p);
	case DF_DERDEN:
		if (d->n_derden >= REGISTER_MAX_DERDEN)
			return too_many(xf, el, REGISTER_MAX_DERDEN);
		p->item = &d->derden[d->n_derden++];
		return xmlfield_read_group(xf, derde_fields, TF_COUNT, derde_child, p);
	case DF_OPSCHORTING:
		return read_hold(xf, d, el);
	default:
		break;
	}

	/* The rest are simple values. */
	if ((rc = xmlin_text(xf->x, v, sizeof(v), &len, xf->err)) < 0)
		return rc;
	switch (f) {
	case DF_REGELING:
		if ((rc = xmlfield_get_code(xf, v, el, regelingen, &i)) < 0)
			return rc;
		xmlfield_copy(d->regeling, sizeof(d->regeling), regelingen[i]);
		return 0;
	case DF_INGANG:
		return xmlfield_get_date(xf, v, len, el, &d->ingangsdatum);
	case DF_EIND:
		if ((rc = xmlfield_get_date(xf, v, len, el, &d->einddatum)) < 0)
			return rc;
		/* Einddatum is the last day paid; Ingangsdatum was required before it. */
		return xmlfield_check_period(xf, el, d->einddatum, dossier_fields[DF_INGANG].tag,
					     d->ingangsdatum);
	case DF_LEEFVORM:
		if ((rc = xmlfield_get_code(xf, v, el, leefvormen, &i)) < 0)
			return rc;
		xmlfield_copy(d->leefvorm, sizeof(d->leefvorm), leefvormen[i]);
		return 0;
	case DF_JONGSTE_KIND:
		return xmlfield_get_date(xf, v, len, el, &d->jongste_kind_geb);
	case DF_KOSTENDELERS:
		return xmlfield_get_int(xf, v, len, el, 0, 20, &d->kostendelers);
	case DF_WKV:
		return xmlfield_get_int(xf, v, len, el, 0, 20, &d->woonkostenverlaging_pct);
	case DF_VAST:
		d->has_vast_bedrag = 1;
		return get_amount(xf, v, len, el, &d->vast_bedrag_cents);
	case DF_VT:
	default:
		d->has_vt_reservering = 1;
		return get_amount(xf, v, len, el, &d->vt_reservering_cents);
	}
}

/* read_dossier clears what lies before the arrays, the counts and what
 * follows them: opschorting_reden must stay the last member. */
_Static_assert(offsetof(struct register_dossier, opschorting_reden) +
	       sizeof(((struct register_dossier *)0)->opschorting_reden) +
	       _Alignof(struct register_dossier) > sizeof(struct register_dossier),
	       "a member after opschorting_reden would not be cleared per dossier");

/* One <Dossier>, its start tag current, to the handler. */
static int read_dossier(void *arg)
{
	struct parse *p = arg;
	struct register_dossier *d = p->d;
	int rc;

	/*
	 * Nothing of the previous dossier may leak into this one: everything
	 * but the arrays is cleared, and the arrays count from zero again.
	 * (Clearing the whole 29 KB per dossier cost more than parsing it.)
	 * An element of an array is filled whole before the dossier reaches
	 * the handler: its fields are all required (claims, third parties)
	 * or set first (grants); and the struct was calloc'ed, so nothing is
	 * ever uninitialised.
	 */
	memset(d, 0, offsetof(struct register_dossier, grants));
	d->n_grants = d->n_claims = d->n_derden = 0;
	d->has_opschorting = 0;
	d->opschorting_reden[0] = '\0';
	d->line = xmlin_line(p->f.x);
	d->einddatum = DATE_NONE;
	d->jongste_kind_geb = DATE_NONE;
	d->partner.geboortedatum = DATE_NONE;
	d->opschorting_vanaf = DATE_NONE;
	if ((rc = xmlfield_read_group(&p->f, dossier_fields, DF_COUNT, dossier_child, p)) < 0)
		return rc;
	if (p->h->dossier && (rc = p->h->dossier(p->h->ctx, d, p->f.err)) < 0)
		return rc;
	return 0;
}

int register_parse(struct xmlin *x, const struct register_handler *h, struct br_error *err)
{
	struct levering_header hdr;
	struct parse p;
	char v[VALUE_MAX];
	size_t len;
	int rc;

	memset(&p, 0, sizeof(p));
	xmlfield_init(&p.f, x, NS_REGISTER, err);
	p.h = h;
	if (!(p.d = calloc(1, sizeof(*p.d)))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van %s", xmlin_label(x));
		goto out;
	}
	if ((rc = xmlfield_root(&p.f, ROOT, LEVERING_REGISTER, &hdr)) < 0 ||
	    (rc = xmlfield_get_attr(&p.f, "<" ROOT ">", "peildatum", 1, v, sizeof(v), &len)) < 0 ||
	    (rc = xmlfield_get_date(&p.f, v, len, "peildatum van <" ROOT ">", &hdr.peildatum)) < 0 ||
	    (rc = xmlfield_aanmaakdatum(&p.f, ROOT, &hdr.aanmaakdatum)) < 0)
		goto out;
	if (h->header && (rc = h->header(h->ctx, &hdr, err)) < 0)
		goto out;
	rc = xmlfield_read_records(&p.f, ROOT, RECORD, read_dossier, &p);
out:
	free(p.d);
	/* issue 12: the quarantine reason first says what was refused */
	if (rc == BR_EINPUT)
		br_error_prefix(err, "Clientregister geweigerd");
	return rc;
}

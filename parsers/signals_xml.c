/*
 * signals_xml.c — streaming parser for Inlichtingenbureau signal
 * deliveries (formats.md §3); the format and the contract are in
 * signals_xml.h.
 *
 * Depth 1 is <Signaallevering>, depth 2 a <Signaal>, whose children are
 * read one by one (xmlfield.h walks them) into a single struct
 * signal_record that goes to the handler at its end tag and is cleared
 * before the next.  Memory stays that one struct whatever the size of the
 * file.
 *
 * The XSD validates while we stream, but libxml2 may report a violation a
 * few nodes after we have seen the data, and fuzz targets run without a
 * schema.  So the parser relies on nothing the schema promises: element
 * order, required elements, caps, lengths and values are checked here too,
 * and no field is read before it was filled.  Whether the signal table
 * knows a Soort is intake's check (signals.md: the table is data).
 */
#include "signals_xml.h"

#include <stdlib.h>
#include <string.h>

#include "xmlfield.h"
#include "banned.h"

#define ROOT "Signaallevering"
#define RECORD "Signaal"
#define VALUE_MAX 256 /* typed values (dates, codes) incl. whitespace */
#define OMSCHRIJVING_CHARS 500

/* formats.md "Element order is as listed". */
enum record_field {
	SF_ID, SF_SOORT, SF_BSN, SF_BRON, SF_DATUM, SF_BEGIN, SF_EINDE, SF_OMSCHRIJVING,
	SF_GEGEVEN, SF_COUNT
};

static const struct xmlfield_field record_fields[SF_COUNT] = {
	[SF_ID] = XMLFIELD("SignaalId", XMLFIELD_REQ),
	[SF_SOORT] = XMLFIELD("Soort", XMLFIELD_REQ),
	[SF_BSN] = XMLFIELD("BSN", XMLFIELD_REQ),
	[SF_BRON] = XMLFIELD("Bron", XMLFIELD_REQ),
	[SF_DATUM] = XMLFIELD("Signaaldatum", XMLFIELD_REQ),
	[SF_BEGIN] = XMLFIELD("PeriodeBegin", XMLFIELD_REQ),
	[SF_EINDE] = XMLFIELD("PeriodeEinde", 0),
	[SF_OMSCHRIJVING] = XMLFIELD("Omschrijving", 0),
	[SF_GEGEVEN] = XMLFIELD("Gegeven", XMLFIELD_REPEAT),
};

static const char *const bronnen[] = {
	"UWV", "DJI", "DUO", "BELASTINGDIENST", "RDW", "BRP", "GEMEENTE", "CJIB", "SVB", NULL
};

/* What one parse works on; f.ctx ends every message ("Signaal X"). */
struct parse {
	struct xmlfield f;
	const struct signals_handler *h;
	struct signal_record *s;
};

/* ---- records ------------------------------------------------------------ */

/* <Gegeven naam="bedrag">15234.00</Gegeven>: a type-specific key/value. */
static int read_gegeven(struct xmlfield *xf, struct signal_gegeven *g, const char *el)
{
	char shown[XMLFIELD_SHOW_MAX];
	size_t len;
	int rc;

	if ((rc = xmlfield_get_attr(xf, el, "naam", 1, g->naam, sizeof(g->naam), &len)) < 0)
		return rc;
	if (len == 0 || !xmlfield_all_of(g->naam, len, XMLFIELD_UPPER | XMLFIELD_LOWER |
					 XMLFIELD_DIGIT | XMLFIELD_UNDERSCORE | XMLFIELD_DOT |
					 XMLFIELD_DASH))
		return xmlin_fail(xf->x, xf->err,
				  "naam '%s' van %s moet 1 tot en met 40 letters, cijfers, '_', '.' of '-' zijn (%s)",
				  xmlfield_show(shown, g->naam), el, xf->ctx);
	if ((rc = xmlin_text(xf->x, g->waarde, sizeof(g->waarde), &len, xf->err)) < 0)
		return rc;
	if (xmlfield_utf8_chars(g->waarde, len) > SIGNAL_WAARDE_MAX)
		return xmlin_fail(xf->x, xf->err, "%s %s is langer dan %d tekens (%s)", el,
				  g->naam, SIGNAL_WAARDE_MAX, xf->ctx);
	return 0;
}

static int record_child(void *arg, int f, const char *el)
{
	struct parse *p = arg;
	struct xmlfield *xf = &p->f;
	struct signal_record *s = p->s;
	char v[VALUE_MAX];
	size_t len = 0;
	int rc, i = 0;

	switch (f) {
	case SF_ID:
		if ((rc = xmlfield_get_id(xf, s->signaal_id, sizeof(s->signaal_id), el)) < 0)
			return rc;
		xmlfield_ctx(xf, RECORD, s->signaal_id);
		return 0;
	case SF_SOORT:
		/* An open token ([A-Z][A-Z0-9_]{0,39}): the signal table decides. */
		if ((rc = xmlin_text(xf->x, s->soort, sizeof(s->soort), &len, xf->err)) < 0)
			return rc;
		if (len == 0 || !xmlfield_all_of(s->soort, 1, XMLFIELD_UPPER) ||
		    !xmlfield_all_of(s->soort, len, XMLFIELD_UPPER | XMLFIELD_DIGIT | XMLFIELD_UNDERSCORE))
			return xmlin_fail(xf->x, xf->err,
					  "%s '%s' moet een hoofdletter zijn, gevolgd door hoofdletters, cijfers en '_' (%s)",
					  el, xmlfield_show(v, s->soort), xf->ctx);
		return 0;
	case SF_OMSCHRIJVING:
		if ((rc = xmlin_text(xf->x, s->omschrijving, sizeof(s->omschrijving), &len,
				     xf->err)) < 0)
			return rc;
		if (xmlfield_utf8_chars(s->omschrijving, len) > OMSCHRIJVING_CHARS)
			return xmlin_fail(xf->x, xf->err, "%s is langer dan %d tekens (%s)", el,
					  OMSCHRIJVING_CHARS, xf->ctx);
		return 0;
	case SF_GEGEVEN:
		if (s->n_gegevens >= SIGNAL_MAX_GEGEVENS)
			return xmlin_fail(xf->x, xf->err, "te veel %s (ten hoogste %d) (%s)", el,
					  SIGNAL_MAX_GEGEVENS, xf->ctx);
		return read_gegeven(xf, &s->gegevens[s->n_gegevens++], el);
	default:
		break;
	}

	/* The rest are simple values. */
	if ((rc = xmlin_text(xf->x, v, sizeof(v), &len, xf->err)) < 0)
		return rc;
	switch (f) {
	case SF_BSN:
		return xmlfield_get_bsn(xf, v, len, el, s->bsn);
	case SF_BRON:
		if ((rc = xmlfield_get_code(xf, v, el, bronnen, &i)) < 0)
			return rc;
		xmlfield_copy(s->bron, sizeof(s->bron), bronnen[i]);
		return 0;
	case SF_DATUM:
		return xmlfield_get_date(xf, v, len, el, &s->signaaldatum);
	case SF_BEGIN:
		return xmlfield_get_date(xf, v, len, el, &s->periode_begin);
	case SF_EINDE:
	default:
		if ((rc = xmlfield_get_date(xf, v, len, el, &s->periode_einde)) < 0)
			return rc;
		return xmlfield_check_period(xf, el, s->periode_einde,
					     record_fields[SF_BEGIN].tag, s->periode_begin);
	}
}

/* One <Signaal>, its start tag current, to the handler. */
static int read_record(void *arg)
{
	struct parse *p = arg;
	struct signal_record *s = p->s;
	int rc;

	/* Nothing of the previous record may leak into this one. */
	memset(s, 0, sizeof(*s));
	s->line = xmlin_line(p->f.x);
	s->periode_einde = DATE_NONE;
	if ((rc = xmlfield_read_group(&p->f, record_fields, SF_COUNT, record_child, p)) < 0)
		return rc;
	if (p->h->signal && (rc = p->h->signal(p->h->ctx, s, p->f.err)) < 0)
		return rc;
	return 0;
}

int signals_parse(struct xmlin *x, const struct signals_handler *h, struct br_error *err)
{
	struct levering_header hdr;
	struct parse p;
	int rc;

	memset(&p, 0, sizeof(p));
	xmlfield_init(&p.f, x, NS_SIGNALEN, err);
	p.h = h;
	if (!(p.s = malloc(sizeof(*p.s)))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van %s", xmlin_label(x));
		goto out;
	}
	if ((rc = xmlfield_root(&p.f, ROOT, LEVERING_SIGNALEN, &hdr)) < 0 ||
	    (rc = xmlfield_aanmaakdatum(&p.f, ROOT, &hdr.aanmaakdatum)) < 0)
		goto out;
	if (h->header && (rc = h->header(h->ctx, &hdr, err)) < 0)
		goto out;
	rc = xmlfield_read_records(&p.f, ROOT, RECORD, read_record, &p);
out:
	free(p.s);
	/* issue 12: the quarantine reason first says what was refused */
	if (rc == BR_EINPUT)
		br_error_prefix(err, "Signaallevering geweigerd");
	return rc;
}

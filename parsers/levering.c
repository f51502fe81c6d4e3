/* levering.c — see levering.h. */
#include "levering.h"

#include <string.h>

#include "banned.h"


const char *levering_kind_name(enum levering_kind kind)
{
	switch (kind) {
	case LEVERING_REGISTER: return "register";
	case LEVERING_INKOMEN: return "inkomen";
	case LEVERING_SIGNALEN: return "signalen";
	case LEVERING_PAIN002: return "pain002";
	case LEVERING_CAMT053: return "camt053";
	case LEVERING_CAMT054: return "camt054";
	case LEVERING_ONBEKEND:
	default: return "onbekend";
	}
}

/*
 * Every input betaalrun reads: root element and namespace decide the kind
 * (formats.md; payments.md for the bank's files), the schema validates it.
 * The bank's ISO 20022 messages are validated against the official schemas
 * (data/schemas/iso20022, byte-exact copies: payments.md "whatever the
 * official ISO schema accepts is accepted"); betaalrun's own rules follow in
 * the parsers, with reasons.
 */
static const struct input {
	enum levering_kind kind;
	int iso_version;
	const char *root;
	const char *ns;
	const char *schema;        /* under data/schemas/ */
} inputs[] = {
	{ LEVERING_REGISTER, 0, "Clientregister", NS_REGISTER, "clientregister.xsd" },
	{ LEVERING_INKOMEN, 0, "Inkomstenlevering", NS_POLIS, "polis.xsd" },
	{ LEVERING_SIGNALEN, 0, "Signaallevering", NS_SIGNALEN, "signalen.xsd" },
	{ LEVERING_PAIN002, 3, "Document", NS_PAIN002_03, "iso20022/pain.002.001.03.xsd" },
	{ LEVERING_PAIN002, 10, "Document", NS_PAIN002_10, "iso20022/pain.002.001.10.xsd" },
	{ LEVERING_CAMT053, 2, "Document", NS_CAMT053_02, "iso20022/camt.053.001.02.xsd" },
	{ LEVERING_CAMT053, 8, "Document", NS_CAMT053_08, "iso20022/camt.053.001.08.xsd" },
	{ LEVERING_CAMT054, 2, "Document", NS_CAMT054_02, "iso20022/camt.054.001.02.xsd" },
	{ LEVERING_CAMT054, 8, "Document", NS_CAMT054_08, "iso20022/camt.054.001.08.xsd" },
};
#define N_INPUTS (sizeof(inputs) / sizeof(inputs[0]))
_Static_assert(N_INPUTS == LEVERING_N_INPUTS, "LEVERING_N_INPUTS counts inputs[]");

static const struct input *input_by_root(const char *root, const char *ns)
{
	size_t i;

	for (i = 0; i < N_INPUTS; i++)
		if (strcmp(inputs[i].root, root) == 0 && strcmp(inputs[i].ns, ns) == 0)
			return &inputs[i];
	return NULL;
}

const char *levering_schema(enum levering_kind kind, int iso_version, int *index)
{
	size_t i;

	for (i = 0; i < N_INPUTS; i++)
		if (inputs[i].kind == kind && inputs[i].iso_version == iso_version) {
			*index = (int)i;
			return inputs[i].schema;
		}
	return NULL;
}

/* An ISO 20022 message: its group header's MsgId is its leveringId and
 * CreDtTm its aanmaakdatum (formats.md §4). */
static int sniff_iso(struct xmlin *x, struct levering_header *h, struct br_error *err)
{
	char msg_id[LEVERING_ID_MAX + 2] = "", cre[64] = "";
	int rc;

	/* Document / CstmrPmtStsRpt | BkToCstmrStmt | BkToCstmrDbtCdtNtfctn /
	 * GrpHdr / {MsgId, CreDtTm} */
	while ((rc = xmlin_read(x, err)) == 1) {
		if (xmlin_type(x) != XMLIN_START || xmlin_depth(x) != 4)
			continue;
		if (strcmp(xmlin_name(x), "MsgId") == 0) {
			if ((rc = xmlin_text(x, msg_id, sizeof(msg_id), NULL, err)) < 0)
				return rc;
		} else if (strcmp(xmlin_name(x), "CreDtTm") == 0) {
			if ((rc = xmlin_text(x, cre, sizeof(cre), NULL, err)) < 0)
				return rc;
			break;
		}
	}
	if (rc < 0)
		return rc;
	if (!msg_id[0] || !cre[0])
		return xmlin_fail(x, err, "ISO 20022-bericht zonder GrpHdr/MsgId en CreDtTm");
	if (strlen(msg_id) > LEVERING_ID_MAX)
		return xmlin_fail(x, err, "MsgId is langer dan %d tekens", LEVERING_ID_MAX);
	memcpy(h->levering_id, msg_id, strlen(msg_id) + 1);
	/* ISODateTime: the first 19 characters are YYYY-MM-DDThh:mm:ss */
	if (strlen(cre) < 19 || timestamp_parse(&h->aanmaakdatum, cre, 19, err) < 0)
		return xmlin_fail(x, err, "CreDtTm '%s' is geen datum en tijd", cre);
	return 0;
}

int levering_sniff(struct levering_header *h, const char *path, const char *name_shown,
		   const struct xmlin_limits *lim, struct br_error *err)
{
	struct xmlin *x = NULL;
	const char *ns, *name, *v;
	const struct input *kind;
	int rc;

	memset(h, 0, sizeof(*h));
	h->peildatum = DATE_NONE;
	if ((rc = xmlin_open(&x, path, name_shown, NULL, lim, err)) < 0)
		goto out;
	do
		rc = xmlin_read(x, err);
	while (rc == 1 && xmlin_type(x) != XMLIN_START);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		rc = xmlin_fail(x, err, "het bestand heeft geen rootelement");
		goto out;
	}
	ns = xmlin_ns(x);
	name = xmlin_name(x);
	/* formats.md: the kind is decided by root element and namespace */
	if (!(kind = input_by_root(name, ns))) {
		rc = xmlin_fail(x, err,
				"rootelement <%s> in namespace '%s' is geen invoer voor betaalrun: verwacht"
				" Clientregister (%s), Inkomstenlevering (%s), Signaallevering (%s),"
				" of een ISO 20022-Document: pain.002.001.03/.10, camt.053.001.02/.08,"
				" camt.054.001.02/.08", name, ns, NS_REGISTER, NS_POLIS, NS_SIGNALEN);
		goto out;
	}
	h->kind = kind->kind;
	h->iso_version = kind->iso_version;
	if (h->iso_version) {
		rc = sniff_iso(x, h, err);
		goto out;
	}
	if (!(v = xmlin_attr(x, "leveringId")) || !v[0] || strlen(v) > LEVERING_ID_MAX) {
		rc = xmlin_fail(x, err, "<%s> heeft geen geldig attribuut leveringId (1..%d tekens)",
				name, LEVERING_ID_MAX);
		goto out;
	}
	memcpy(h->levering_id, v, strlen(v) + 1);
	if (!(v = xmlin_attr(x, "aanmaakdatum")) ||
	    timestamp_parse(&h->aanmaakdatum, v, strlen(v), err) < 0) {
		br_error_clear(err);
		rc = xmlin_fail(x, err, "<%s> heeft geen geldig attribuut aanmaakdatum (JJJJ-MM-DDTuu:mm:ss)", name);
		goto out;
	}
	if (h->kind == LEVERING_REGISTER &&
	    (!(v = xmlin_attr(x, "peildatum")) || date_parse(&h->peildatum, v, strlen(v), err) < 0)) {
		br_error_clear(err);
		rc = xmlin_fail(x, err, "<Clientregister> heeft geen geldig attribuut peildatum (JJJJ-MM-DD)");
		goto out;
	}
	rc = 0;
out:
	xmlin_free(x);
	/* issue 12: the quarantine reason first says what was refused */
	if (rc == BR_EINPUT)
		br_error_prefix(err, "bestand geweigerd");
	return rc;
}

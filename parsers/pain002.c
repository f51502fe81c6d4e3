/*
 * pain002.c — the bank's payment status report, ISO 20022 pain.002.001.03
 * and .10; see pain002.h for the contract.
 *
 * The format, as far as betaalrun reads it (element order as the official
 * schemas give it; parsers/schemas/pain.002.001.0X.xsd restate it):
 *
 *   Document                       root, namespace ...pain.002.001.03 or .10
 *     CstmrPmtStsRpt
 *       GrpHdr
 *         MsgId                    the bank's id of this report: leveringId
 *         CreDtTm                  ISODateTime: aanmaakdatum
 *         (InitgPty, FwdgAgt, DbtrAgt, CdtrAgt: not read)
 *       OrgnlGrpInfAndSts          the pain.001 this report answers
 *         OrgnlMsgId               its MsgId (betaalrun's)
 *         OrgnlMsgNmId, OrgnlCreDtTm, OrgnlNbOfTxs, OrgnlCtrlSum: not read
 *         GrpSts (opt)             status of the whole file
 *         StsRsnInf*               Orgtr?, Rsn (Cd | Prtry)?, AddtlInf*
 *         NbOfTxsPerSts*: not read
 *       OrgnlPmtInfAndSts*         one per batch (PmtInf) reported on
 *         OrgnlPmtInfId
 *         OrgnlNbOfTxs, OrgnlCtrlSum: not read
 *         PmtInfSts (opt)          status of the whole batch
 *         StsRsnInf*
 *         NbOfTxsPerSts*: not read
 *         TxInfAndSts*             one per payment reported on
 *           StsId, OrgnlInstrId (opt, not read)
 *           OrgnlEndToEndId        the payment's EndToEndId (betaalrun's)
 *           (OrgnlUETR, .10 only, not read)
 *           TxSts
 *           StsRsnInf*
 *           ChrgsInf, AccptncDtTm, AcctSvcrRef, OrgnlTxRef, ...: not read
 *       (SplmtryData*, .10 only: not read)
 *
 * Every status found becomes one `pain002_status`, in document order: the
 * group status when OrgnlGrpInfAndSts has a GrpSts; a batch status when an
 * OrgnlPmtInfAndSts has a PmtInfSts (delivered before that batch's
 * transactions); a transaction status for each TxInfAndSts.  `line` is the
 * line of the element that opens the record (OrgnlGrpInfAndSts,
 * OrgnlPmtInfAndSts, TxInfAndSts).  The reason is the first StsRsnInf that
 * has a Rsn: its Cd, or its Prtry.  pain002.h keeps 4 bytes of reason (the
 * ExternalStatusReason1Code length); a Prtry longer than that is refused
 * rather than cut, since a cut reason would be booked as something the
 * bank did not say.
 *
 * CreDtTm is an xs:dateTime: YYYY-MM-DDThh:mm:ss, an optional fraction and
 * an optional zone (Z or +hh:mm/-hh:mm), e.g. 2026-11-27T10:15:00.123+01:00.
 * The first 19 characters are parsed with timestamp_parse; the rest must
 * have that form (a fraction of 1 or more digits; Z, or an offset of at
 * most 14:00) and is then dropped: aanmaakdatum is the time as written,
 * in whole seconds, whatever the zone.  Dutch banks write Dutch local time
 * (with +01:00/+02:00 or no zone), which is formats.md's administrative
 * time; a bank writing Z is read an hour or two early, which only matters
 * for ordering its files among themselves, where it is consistent.  This is
 * also how intake's sniffer reads CreDtTm (its first 19 characters), so
 * the aanmaakdatum stored for the delivery is the one reported here.
 *
 * The schema is checked while streaming, so its verdict on a value may come
 * a node or so after this code has seen the value (libxml2 checks simple
 * content at the end tag): the callbacks may have seen records of a file
 * that is refused further on: a caller keeps nothing of a file whose parse
 * fails (formats.md §4: ingested whole or not at all).  This code
 * therefore checks for itself everything it relies on (required elements,
 * lengths, characters, codes) and never trusts the schema for memory
 * safety; every buffer is bounded by xmlin_text().
 */
#include "pain002.h"

#include <stdio.h>
#include <string.h>

#include "date.h"

#include "banned.h"

#define CODE_MAX 4            /* status and reason codes: Max4Text */
#define DATETIME_TEXT_MAX 64  /* longest CreDtTm text accepted, bytes */

struct p2 {
	struct xmlin *x;
	const struct pain002_handler *h;
	const char *ns;                 /* the root's namespace: a levering.h constant */
	struct levering_header hdr;
	int have_msg_id;
	int header_done;
	char orgnl_msg_id[PAIN002_ID_MAX + 1];
	int have_orgnl_msg_id;
};

/* One status being collected: the record plus what has been seen. */
struct p2_record {
	struct pain002_status s;
	int have_status;
	int have_reason;
	int delivered;
};

static int is_elem(const struct p2 *p, const char *name)
{
	return strcmp(xmlin_name(p->x), name) == 0 && strcmp(xmlin_ns(p->x), p->ns) == 0;
}

/*
 * Advance to the next child element of the element `name` that opened at
 * `depth`: 1 when on a child's start tag, 0 at the element's end tag.  The
 * subtree of a child the caller did not consume is passed over here.
 */
static int next_child(struct p2 *p, int depth, const char *name, struct br_error *err)
{
	for (;;) {
		int rc = xmlin_read(p->x, err);

		if (rc < 0)
			return rc;
		if (rc == 0)
			return xmlin_fail(p->x, err, "the file ends inside <%s>", name);
		if (xmlin_type(p->x) == XMLIN_END && xmlin_depth(p->x) == depth)
			return 0;
		if (xmlin_type(p->x) == XMLIN_START && xmlin_depth(p->x) == depth + 1)
			return 1;
	}
}

/* Refused text as it can be shown in a message: non-printable bytes as '?'. */
static const char *shown(char *buf, size_t cap, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < cap; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e ? '?' : s[i];
	buf[i] = '\0';
	return buf;
}

static int printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* An identifier (Max35Text): 1..35 printable ASCII characters. */
static int read_id(struct p2 *p, char out[PAIN002_ID_MAX + 1], struct br_error *err)
{
	char name[32];
	size_t len;
	int rc;

	snprintf(name, sizeof(name), "%s", xmlin_name(p->x));
	if ((rc = xmlin_text(p->x, out, PAIN002_ID_MAX + 1, &len, err)) < 0)
		return rc;
	if (len == 0)
		return xmlin_fail(p->x, err, "<%s> is empty", name);
	if (!printable_ascii(out))
		return xmlin_fail(p->x, err,
				  "<%s> holds a character that is not printable ASCII; betaalrun accepts only ASCII identifiers",
				  name);
	return 0;
}

/* A status code: 4 capital letters (the schema checks the code list). */
static int read_status(struct p2 *p, char out[CODE_MAX + 1], struct br_error *err)
{
	char name[32];
	size_t len, i;
	int rc;

	snprintf(name, sizeof(name), "%s", xmlin_name(p->x));
	if ((rc = xmlin_text(p->x, out, CODE_MAX + 1, &len, err)) < 0)
		return rc;
	for (i = 0; i < len; i++)
		if (out[i] < 'A' || out[i] > 'Z')
			break;
	if (len != CODE_MAX || i != len) {
		char show[CODE_MAX + 1];
		return xmlin_fail(p->x, err, "<%s> '%s' is not an ISO 20022 payment status code",
				  name, shown(show, sizeof(show), out));
	}
	return 0;
}

/* Rsn: Cd (Max4Text) or Prtry (Max35Text, of which 4 characters fit). */
static int parse_rsn(struct p2 *p, char out[CODE_MAX + 1], struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	int rc;

	if (xmlin_is_empty(p->x))
		return 0;
	while ((rc = next_child(p, depth, "Rsn", err)) > 0) {
		int prtry = is_elem(p, "Prtry");
		char buf[PAIN002_ID_MAX + 1];
		size_t len;

		if (!prtry && !is_elem(p, "Cd"))
			continue;
		if ((rc = xmlin_text(p->x, buf, prtry ? sizeof(buf) : CODE_MAX + 1, &len, err)) < 0)
			return rc;
		if (len == 0 || !printable_ascii(buf)) {
			char show[sizeof(buf)];
			return xmlin_fail(p->x, err, "status reason <%s> '%s' is empty or not printable ASCII",
					  prtry ? "Prtry" : "Cd", shown(show, sizeof(show), buf));
		}
		if (len > CODE_MAX)
			return xmlin_fail(p->x, err,
					  "proprietary status reason <Prtry> '%s' is longer than %d characters, which betaalrun cannot record; ask the bank for the ISO reason code (Rsn/Cd)",
					  buf, CODE_MAX);
		if (!out[0])
			memcpy(out, buf, len + 1);
	}
	return rc;
}

/* StsRsnInf: only the first one with a Rsn counts. */
static int parse_rsninf(struct p2 *p, struct p2_record *r, struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	int rc;

	if (r->have_reason)
		return xmlin_skip(p->x, err);
	if (xmlin_is_empty(p->x))
		return 0;
	while ((rc = next_child(p, depth, "StsRsnInf", err)) > 0) {
		if (!is_elem(p, "Rsn"))
			continue;
		if ((rc = parse_rsn(p, r->s.reason, err)) < 0)
			return rc;
		r->have_reason = r->s.reason[0] != '\0';
	}
	return rc;
}

/* A callback's failure keeps the callback's own message; the position is
 * added when it did not give one. */
static int deliver(struct p2 *p, struct p2_record *r, struct br_error *err)
{
	const char *id;
	int rc;

	r->delivered = 1;
	if (!p->h->status)
		return 0;
	if ((rc = p->h->status(p->h->ctx, &r->s, err)) < 0) {
		id = r->s.orgnl_e2e_id[0] ? r->s.orgnl_e2e_id :
		     r->s.orgnl_pmtinf_id[0] ? r->s.orgnl_pmtinf_id : r->s.orgnl_msg_id;
		br_error_set(err, (enum br_code)rc, "status %s for %s could not be recorded",
			     r->s.status, id);
		br_error_at(err, xmlin_label(p->x), r->s.line);
		return rc;
	}
	return 0;
}

static void record_start(struct p2 *p, struct p2_record *r)
{
	memset(r, 0, sizeof(*r));
	r->s.line = xmlin_line(p->x);
	memcpy(r->s.orgnl_msg_id, p->orgnl_msg_id, sizeof(r->s.orgnl_msg_id));
}

/*
 * ISODateTime to aanmaakdatum: see the comment at the top.  `s` is
 * NUL-terminated and at most DATETIME_TEXT_MAX - 1 bytes.
 */
static int parse_credttm(struct p2 *p, int64_t *out, const char *s, size_t len,
			 struct br_error *err)
{
	struct br_error perr;
	char show[DATETIME_TEXT_MAX];
	const char *q;
	int64_t ts;

	br_error_clear(&perr);
	if (len < 19 || timestamp_parse(&ts, s, 19, &perr) < 0)
		return xmlin_fail(p->x, err, "creation time <CreDtTm> '%s' is not a date and time YYYY-MM-DDThh:mm:ss%s%s",
				  shown(show, sizeof(show), s), perr.msg[0] ? ": " : "", perr.msg);
	q = s + 19;
	if (*q == '.') {
		const char *digits = ++q;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q == digits)
			goto bad_tail;
	}
	if (*q == 'Z') {
		q++;
	} else if (*q == '+' || *q == '-') {
		int hh, mm;

		if (!(q[1] >= '0' && q[1] <= '9' && q[2] >= '0' && q[2] <= '9' && q[3] == ':' &&
		      q[4] >= '0' && q[4] <= '9' && q[5] >= '0' && q[5] <= '9'))
			goto bad_tail;
		hh = (q[1] - '0') * 10 + (q[2] - '0');
		mm = (q[4] - '0') * 10 + (q[5] - '0');
		if (mm > 59 || hh > 14 || (hh == 14 && mm > 0))
			goto bad_tail;
		q += 6;
	}
	if (*q != '\0')
		goto bad_tail;
	*out = ts;
	return 0;
bad_tail:
	return xmlin_fail(p->x, err,
			  "creation time <CreDtTm> '%s' has something other than a fraction of a second and a zone (Z, +hh:mm, -hh:mm) after the seconds",
			  shown(show, sizeof(show), s));
}

static int emit_header(struct p2 *p, struct br_error *err)
{
	int rc;

	p->header_done = 1;
	if (!p->h->header)
		return 0;
	if ((rc = p->h->header(p->h->ctx, &p->hdr, err)) < 0) {
		br_error_set(err, (enum br_code)rc,
			     "the status report %s could not be recorded", p->hdr.levering_id);
		br_error_at(err, xmlin_label(p->x), xmlin_line(p->x));
		return rc;
	}
	return 0;
}

/* GrpHdr: MsgId, CreDtTm; the header callback as soon as both are read. */
static int parse_grphdr(struct p2 *p, struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	int rc = 0;

	if (p->header_done)
		return xmlin_fail(p->x, err, "the status report has a second <GrpHdr>");
	if (!xmlin_is_empty(p->x)) {
		while ((rc = next_child(p, depth, "GrpHdr", err)) > 0) {
			if (is_elem(p, "MsgId") && !p->have_msg_id) {
				char id[PAIN002_ID_MAX + 1];

				if ((rc = read_id(p, id, err)) < 0)
					return rc;
				snprintf(p->hdr.levering_id, sizeof(p->hdr.levering_id), "%s", id);
				p->have_msg_id = 1;
			} else if (is_elem(p, "CreDtTm") && !p->header_done) {
				char text[DATETIME_TEXT_MAX];
				size_t len;

				if (!p->have_msg_id)
					return xmlin_fail(p->x, err, "<GrpHdr> has <CreDtTm> before <MsgId>");
				if ((rc = xmlin_text(p->x, text, sizeof(text), &len, err)) < 0)
					return rc;
				if ((rc = parse_credttm(p, &p->hdr.aanmaakdatum, text, len, err)) < 0)
					return rc;
				if ((rc = emit_header(p, err)) < 0)
					return rc;
			}
		}
		if (rc < 0)
			return rc;
	}
	if (!p->header_done)
		return xmlin_fail(p->x, err, "<GrpHdr> has no %s",
				  p->have_msg_id ? "<CreDtTm>" : "<MsgId>");
	return 0;
}

/* OrgnlGrpInfAndSts: OrgnlMsgId, the group status. */
static int parse_grpinf(struct p2 *p, struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	struct p2_record r;
	int rc = 0;

	if (p->have_orgnl_msg_id)
		return xmlin_fail(p->x, err, "the status report has a second <OrgnlGrpInfAndSts>");
	record_start(p, &r);
	if (!xmlin_is_empty(p->x)) {
		while ((rc = next_child(p, depth, "OrgnlGrpInfAndSts", err)) > 0) {
			if (is_elem(p, "OrgnlMsgId") && !p->have_orgnl_msg_id) {
				if ((rc = read_id(p, p->orgnl_msg_id, err)) < 0)
					return rc;
				memcpy(r.s.orgnl_msg_id, p->orgnl_msg_id, sizeof(r.s.orgnl_msg_id));
				p->have_orgnl_msg_id = 1;
			} else if (is_elem(p, "GrpSts") && !r.have_status) {
				if ((rc = read_status(p, r.s.status, err)) < 0)
					return rc;
				r.have_status = 1;
			} else if (is_elem(p, "StsRsnInf")) {
				if ((rc = parse_rsninf(p, &r, err)) < 0)
					return rc;
			}
		}
		if (rc < 0)
			return rc;
	}
	if (!p->have_orgnl_msg_id)
		return xmlin_fail(p->x, err, "<OrgnlGrpInfAndSts> has no <OrgnlMsgId>");
	return r.have_status ? deliver(p, &r, err) : 0;
}

/* TxInfAndSts: OrgnlEndToEndId, TxSts, the reason. */
static int parse_tx(struct p2 *p, const char *pmtinf_id, struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	struct p2_record r;
	int have_e2e = 0;
	int rc = 0;

	record_start(p, &r);
	memcpy(r.s.orgnl_pmtinf_id, pmtinf_id, sizeof(r.s.orgnl_pmtinf_id));
	if (!xmlin_is_empty(p->x)) {
		while ((rc = next_child(p, depth, "TxInfAndSts", err)) > 0) {
			if (is_elem(p, "OrgnlEndToEndId") && !have_e2e) {
				if ((rc = read_id(p, r.s.orgnl_e2e_id, err)) < 0)
					return rc;
				have_e2e = 1;
			} else if (is_elem(p, "TxSts") && !r.have_status) {
				if ((rc = read_status(p, r.s.status, err)) < 0)
					return rc;
				r.have_status = 1;
			} else if (is_elem(p, "StsRsnInf")) {
				if ((rc = parse_rsninf(p, &r, err)) < 0)
					return rc;
			}
		}
		if (rc < 0)
			return rc;
	}
	if (!have_e2e)
		return xmlin_fail(p->x, err,
				  "<TxInfAndSts> in batch %s has no <OrgnlEndToEndId>: the payment cannot be identified",
				  pmtinf_id);
	if (!r.have_status)
		return xmlin_fail(p->x, err, "<TxInfAndSts> for payment %s has no <TxSts>",
				  r.s.orgnl_e2e_id);
	return deliver(p, &r, err);
}

/* OrgnlPmtInfAndSts: OrgnlPmtInfId, the batch status, its transactions.
 * The batch status goes out before the first transaction. */
static int parse_pmtinf(struct p2 *p, struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	struct p2_record r;
	int have_id = 0;
	int rc = 0;

	record_start(p, &r);
	if (!xmlin_is_empty(p->x)) {
		while ((rc = next_child(p, depth, "OrgnlPmtInfAndSts", err)) > 0) {
			if (is_elem(p, "OrgnlPmtInfId") && !have_id) {
				if ((rc = read_id(p, r.s.orgnl_pmtinf_id, err)) < 0)
					return rc;
				have_id = 1;
			} else if (is_elem(p, "PmtInfSts") && !r.have_status && !r.delivered) {
				if ((rc = read_status(p, r.s.status, err)) < 0)
					return rc;
				r.have_status = 1;
			} else if (is_elem(p, "StsRsnInf") && !r.delivered) {
				if ((rc = parse_rsninf(p, &r, err)) < 0)
					return rc;
			} else if (is_elem(p, "TxInfAndSts")) {
				if (!have_id)
					break;
				if (r.have_status && !r.delivered && (rc = deliver(p, &r, err)) < 0)
					return rc;
				r.delivered = 1;
				if ((rc = parse_tx(p, r.s.orgnl_pmtinf_id, err)) < 0)
					return rc;
			}
		}
		if (rc < 0)
			return rc;
	}
	if (!have_id)
		return xmlin_fail(p->x, err, "<OrgnlPmtInfAndSts> has no <OrgnlPmtInfId> before its statuses");
	if (r.have_status && !r.delivered)
		return deliver(p, &r, err);
	return 0;
}

static int parse_report(struct p2 *p, struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	int rc = 0;

	if (!xmlin_is_empty(p->x)) {
		while ((rc = next_child(p, depth, "CstmrPmtStsRpt", err)) > 0) {
			if (is_elem(p, "GrpHdr")) {
				rc = parse_grphdr(p, err);
			} else if (is_elem(p, "OrgnlGrpInfAndSts")) {
				if (!p->header_done)
					return xmlin_fail(p->x, err, "<OrgnlGrpInfAndSts> comes before <GrpHdr>");
				rc = parse_grpinf(p, err);
			} else if (is_elem(p, "OrgnlPmtInfAndSts")) {
				if (!p->have_orgnl_msg_id)
					return xmlin_fail(p->x, err, "<OrgnlPmtInfAndSts> comes before <OrgnlGrpInfAndSts>");
				rc = parse_pmtinf(p, err);
			}
			if (rc < 0)
				return rc;
		}
		if (rc < 0)
			return rc;
	}
	if (!p->header_done)
		return xmlin_fail(p->x, err, "the status report has no <GrpHdr>");
	if (!p->have_orgnl_msg_id)
		return xmlin_fail(p->x, err, "the status report has no <OrgnlGrpInfAndSts>");
	return 0;
}

int pain002_parse(struct xmlin *x, const struct pain002_handler *h, struct br_error *err)
{
	struct p2 p;
	const char *ns;
	int depth, rc, seen_report = 0;

	memset(&p, 0, sizeof(p));
	p.x = x;
	p.h = h;
	p.hdr.kind = LEVERING_PAIN002;
	p.hdr.peildatum = DATE_NONE;

	if ((rc = xmlin_read(x, err)) < 0)
		goto out;
	if (rc == 0) {
		rc = xmlin_fail(x, err, "the file has no root element");
		goto out;
	}
	ns = xmlin_ns(x);
	if (strcmp(ns, NS_PAIN002_03) == 0) {
		p.ns = NS_PAIN002_03;
		p.hdr.iso_version = 3;
	} else if (strcmp(ns, NS_PAIN002_10) == 0) {
		p.ns = NS_PAIN002_10;
		p.hdr.iso_version = 10;
	}
	if (!p.ns || strcmp(xmlin_name(x), "Document") != 0) {
		rc = xmlin_fail(x, err, "root element %.80s in namespace %.120s is not a pain.002 status report",
				xmlin_name(x), ns[0] ? ns : "(none)");
		goto out;
	}
	depth = xmlin_depth(x);
	if (!xmlin_is_empty(x)) {
		while ((rc = next_child(&p, depth, "Document", err)) > 0) {
			if (!is_elem(&p, "CstmrPmtStsRpt"))
				continue;
			if (seen_report) {
				rc = xmlin_fail(x, err, "<Document> holds a second <CstmrPmtStsRpt>");
				goto out;
			}
			seen_report = 1;
			if ((rc = parse_report(&p, err)) < 0)
				goto out;
		}
		if (rc < 0)
			goto out;
	}
	if (!seen_report) {
		rc = xmlin_fail(x, err, "<Document> holds no <CstmrPmtStsRpt>");
		goto out;
	}
	/* Read to the end: the schema's verdict on the whole document. */
	while ((rc = xmlin_read(x, err)) > 0)
		;
out:
	return rc < 0 ? rc : 0;
}

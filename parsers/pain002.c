/*
 * pain002.c — the bank's payment status report, ISO 20022 pain.002.001.03
 * and .10; see pain002.h for the contract, payments.md "Bank status reports
 * (pain.002)" for what betaalrun does with it.
 *
 * The format, as far as betaalrun reads it.  Element order and types are
 * those of the official schemas, data/schemas/iso20022/pain.002.001.03.xsd
 * (V03) and .10.xsd (V10), which validate the file while it streams; the
 * namespace is matched by URI, so a prefix (<ns2:Document xmlns:ns2=...>)
 * reads the same, and so does text written as CDATA.
 *
 *   Document                       root, namespace ...pain.002.001.03 or .10
 *     CstmrPmtStsRpt
 *       GrpHdr
 *         MsgId                    Max35Text: leveringId
 *         CreDtTm                  ISODateTime: aanmaakdatum (below)
 *         InitgPty, FwdgAgt, DbtrAgt, CdtrAgt: not read
 *       OrgnlGrpInfAndSts          the pain.001 this report answers: GROUP
 *         OrgnlMsgId               Max35Text, its MsgId (betaalrun's run id)
 *         OrgnlMsgNmId, OrgnlCreDtTm, OrgnlNbOfTxs, OrgnlCtrlSum: not read
 *         GrpSts?                  V03 a code list, V10 any Max4Text
 *         StsRsnInf*               (below)
 *         NbOfTxsPerSts*           counts per status: not read
 *       OrgnlPmtInfAndSts*         one per batch (PmtInf) reported on: BATCH
 *         OrgnlPmtInfId            Max35Text
 *         OrgnlNbOfTxs, OrgnlCtrlSum: not read
 *         PmtInfSts?               V03 a code list, V10 any Max4Text
 *         StsRsnInf*, NbOfTxsPerSts* (not read)
 *         TxInfAndSts*             one per payment reported on: TX
 *           StsId, OrgnlInstrId: not read
 *           OrgnlEndToEndId?       Max35Text, the payment's EndToEndId
 *           OrgnlUETR (V10): not read
 *           TxSts?                 V03 a code list (no PART), V10 any Max4Text
 *           StsRsnInf*
 *           ChrgsInf, TrckrData (V10), AccptncDtTm, AcctSvcrRef,
 *           ClrSysRef: not read
 *           OrgnlTxRef?            amounts, dates, parties; only the
 *             Cdtr                 creditor's name is read: V03 Cdtr/Nm
 *                                  (PartyIdentification32), V10 Cdtr/Pty/Nm
 *                                  (Party40Choice; Cdtr/Agt is a bank, no
 *                                  name is taken from it); Max140Text
 *           SplmtryData* (V10): not read
 *       SplmtryData* (V10): not read
 *
 *   StsRsnInf                      StatusReasonInformation8 (V03) / 12 (V10)
 *     Orgtr?: not read
 *     Rsn?                         Cd (ExternalStatusReason1Code, 1..4
 *                                  characters) or Prtry (Max35Text)
 *     AddtlInf*                    Max105Text
 *
 * Each level becomes one `pain002_status` in document order, with its
 * `level` and `line` (the line of OrgnlGrpInfAndSts, OrgnlPmtInfAndSts or
 * TxInfAndSts): the group when it has a GrpSts or a StsRsnInf; a batch when
 * it has a PmtInfSts or a StsRsnInf, delivered before its first
 * transaction; every transaction, also without OrgnlEndToEndId or TxSts
 * (those fields are then "").  A level's reason is its first Rsn, in any of
 * its StsRsnInf: Cd or Prtry kept whole (reason_prtry says which); its
 * info is every AddtlInf of all its StsRsnInf, in order, joined with " / "
 * and, when longer than PAIN002_INFO_MAX bytes, cut on a UTF-8 character
 * boundary to end in "..." within that size.  A TX name is the first
 * creditor name in its OrgnlTxRef (Verification of Payee results carry the
 * name the payee's bank holds there).
 *
 * Text is kept as the bank wrote it (UTF-8, any case), except that control
 * characters (below 0x20, and DEL) become '?': a tab or line break inside
 * an id must not reach a log line or a CSV cell.  Nothing is trimmed.
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
 * that is refused further on, and a caller keeps nothing of a file whose
 * parse fails (formats.md §4: ingested whole or not at all); the parse
 * reads to the end of the document so that the schema's verdict on all of
 * it counts.  This code never trusts the schema for memory safety, and
 * checks for itself what it relies on when there is none (sniffing, tests):
 * every text is read through xmlin_text() with the cap of its buffer, which
 * holds the schema's maximum in characters at 4 bytes each; text longer
 * than that can only come without the schema and is refused, as is text
 * over the schema's length in characters, an empty id or code, and a
 * missing MsgId, CreDtTm, OrgnlMsgId or OrgnlPmtInfId.
 */
#include "pain002.h"

#include <stdio.h>
#include <string.h>

#include "date.h"

#include "banned.h"

#define REASON_CD_MAX 4                 /* ExternalStatusReason1Code, characters */
#define ADDTLINF_MAX 105                /* Max105Text, characters */
#define ADDTLINF_CAP (4 * ADDTLINF_MAX + 1)
#define INFO_SEP " / "
#define INFO_CUT "..."
#define DATETIME_TEXT_MAX 64            /* longest CreDtTm text accepted, bytes */

struct p2 {
	struct xmlin *x;
	const struct pain002_handler *h;
	const char *ns;                 /* the root's namespace: a levering.h constant */
	struct levering_header hdr;
	int have_msg_id;
	int header_done;
	char orgnl_msg_id[PAIN002_ID_CAP];
	int have_orgnl_msg_id;
};

/* One level being collected: the record plus what has been seen. */
struct p2_record {
	struct pain002_status s;
	int have_status;
	int have_rsninf;                /* a StsRsnInf, even an empty one */
	int have_reason;
	size_t info_len;                /* bytes in s.info */
	int info_cut;                   /* s.info ends in "...": later lines dropped */
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
			return xmlin_fail(p->x, err, "het bestand houdt op binnen <%s>", name);
		if (xmlin_type(p->x) == XMLIN_END && xmlin_depth(p->x) == depth)
			return 0;
		if (xmlin_type(p->x) == XMLIN_START && xmlin_depth(p->x) == depth + 1)
			return 1;
	}
}

/* Characters in UTF-8 text: the bytes that do not continue a sequence. */
static size_t utf8_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* The length of the longest prefix of s (len bytes) of at most max bytes
 * that ends on a character boundary. */
static size_t utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t n = max;

	if (len <= max)
		return len;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* pain002.h: control characters are kept as '?'. */
static void mask_controls(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/*
 * The simple content of the current element into out (cap bytes, which
 * hold max_chars characters of 4 bytes).  max_chars is the schema's
 * maxLength, checked here too for a parse without the schema; `required`
 * refuses an empty text (minLength 1 of the ids and codes this code relies
 * on).  *out_len (may be NULL) gets the length in bytes.
 */
static int read_text(struct p2 *p, char *out, size_t cap, size_t max_chars, int required,
		     size_t *out_len, struct br_error *err)
{
	char name[32];
	size_t len;
	int rc;

	snprintf(name, sizeof(name), "%s", xmlin_name(p->x));
	if ((rc = xmlin_text(p->x, out, cap, &len, err)) < 0)
		return rc;
	if (required && len == 0)
		return xmlin_fail(p->x, err, "<%s> is leeg", name);
	if (utf8_chars(out, len) > max_chars)
		return xmlin_fail(p->x, err, "<%s> is langer dan de %zu tekens die het schema toestaat",
				  name, max_chars);
	mask_controls(out);
	if (out_len)
		*out_len = len;
	return 0;
}

static int read_id(struct p2 *p, char out[PAIN002_ID_CAP], struct br_error *err)
{
	return read_text(p, out, PAIN002_ID_CAP, PAIN002_ID_MAX, 1, NULL, err);
}

/* GrpSts, PmtInfSts, TxSts: any 1..4 characters (V10's Max4Text; V03's
 * code lists are the schema's to check).  Only the first one counts. */
static int read_status(struct p2 *p, struct p2_record *r, struct br_error *err)
{
	int rc;

	if ((rc = read_text(p, r->s.status, sizeof(r->s.status), PAIN002_STATUS_MAX, 1, NULL,
			    err)) < 0)
		return rc;
	r->have_status = 1;
	return 0;
}

/*
 * pain002.h: every AddtlInf of a level joined with " / "; what does not
 * fit in PAIN002_INFO_MAX bytes is cut on a character boundary and ends in
 * "..." (the whole within PAIN002_INFO_MAX), and later lines are dropped.
 */
static void info_append(struct p2_record *r, const char *line, size_t len)
{
	char joined[PAIN002_INFO_MAX + sizeof(INFO_SEP) + ADDTLINF_CAP];
	size_t n = r->info_len, sep = n ? strlen(INFO_SEP) : 0, keep;

	if (r->info_cut || len == 0)
		return;
	if (n + sep + len <= PAIN002_INFO_MAX) {
		memcpy(r->s.info + n, INFO_SEP, sep);
		memcpy(r->s.info + n + sep, line, len);
		r->info_len = n + sep + len;
		r->s.info[r->info_len] = '\0';
		return;
	}
	memcpy(joined, r->s.info, n);
	memcpy(joined + n, INFO_SEP, sep);
	memcpy(joined + n + sep, line, len);
	keep = utf8_prefix(joined, n + sep + len, PAIN002_INFO_MAX - strlen(INFO_CUT));
	memcpy(r->s.info, joined, keep);
	memcpy(r->s.info + keep, INFO_CUT, sizeof(INFO_CUT));
	r->info_len = keep + strlen(INFO_CUT);
	r->info_cut = 1;
}

/* Rsn: Cd or Prtry, kept whole; the level's reason is its first Rsn. */
static int parse_rsn(struct p2 *p, struct p2_record *r, struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	int rc;

	if (xmlin_is_empty(p->x))
		return 0;
	while ((rc = next_child(p, depth, "Rsn", err)) > 0) {
		int prtry = is_elem(p, "Prtry");

		if (r->have_reason || (!prtry && !is_elem(p, "Cd")))
			continue;
		if ((rc = read_text(p, r->s.reason, sizeof(r->s.reason),
				    prtry ? PAIN002_ID_MAX : REASON_CD_MAX, 1, NULL, err)) < 0)
			return rc;
		r->have_reason = 1;
		r->s.reason_prtry = prtry;
	}
	return rc;
}

/* StsRsnInf: Orgtr (not read), Rsn, AddtlInf*. */
static int parse_rsninf(struct p2 *p, struct p2_record *r, struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	int rc;

	r->have_rsninf = 1;
	if (xmlin_is_empty(p->x))
		return 0;
	while ((rc = next_child(p, depth, "StsRsnInf", err)) > 0) {
		if (is_elem(p, "Rsn")) {
			rc = parse_rsn(p, r, err);
		} else if (is_elem(p, "AddtlInf")) {
			char line[ADDTLINF_CAP];
			size_t len;

			if ((rc = read_text(p, line, sizeof(line), ADDTLINF_MAX, 0, &len, err)) == 0)
				info_append(r, line, len);
		}
		if (rc < 0)
			return rc;
	}
	return rc;
}

/* OrgnlTxRef/Cdtr: Nm (V03), or Pty/Nm (V10, in_pty); the first name
 * found is the record's.  Cdtr/Agt names a bank, not the payee. */
static int parse_cdtr(struct p2 *p, struct p2_record *r, int in_pty, struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	int rc;

	if (xmlin_is_empty(p->x))
		return 0;
	while ((rc = next_child(p, depth, in_pty ? "Pty" : "Cdtr", err)) > 0) {
		if (is_elem(p, "Nm") && !r->s.name[0])
			rc = read_text(p, r->s.name, sizeof(r->s.name), PAIN002_NAME_MAX, 0, NULL, err);
		else if (is_elem(p, "Pty") && !in_pty)
			rc = parse_cdtr(p, r, 1, err);
		if (rc < 0)
			return rc;
	}
	return rc;
}

static int parse_txref(struct p2 *p, struct p2_record *r, struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	int rc;

	if (xmlin_is_empty(p->x))
		return 0;
	while ((rc = next_child(p, depth, "OrgnlTxRef", err)) > 0)
		if (is_elem(p, "Cdtr") && (rc = parse_cdtr(p, r, 0, err)) < 0)
			return rc;
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
		br_error_set(err, (enum br_code)rc, "status %s voor %s kon niet worden vastgelegd",
			     r->s.status[0] ? r->s.status : "(geen)", id);
		br_error_at(err, xmlin_label(p->x), r->s.line);
		return rc;
	}
	return 0;
}

static void record_start(struct p2 *p, struct p2_record *r, enum pain002_level level)
{
	memset(r, 0, sizeof(*r));
	r->s.line = xmlin_line(p->x);
	r->s.level = level;
	memcpy(r->s.orgnl_msg_id, p->orgnl_msg_id, sizeof(r->s.orgnl_msg_id));
}

/*
 * ISODateTime to aanmaakdatum: see the comment at the top.  `s` is
 * NUL-terminated and at most DATETIME_TEXT_MAX - 1 bytes.
 */
static int parse_credttm(struct p2 *p, int64_t *out, char *s, size_t len,
			 struct br_error *err)
{
	struct br_error perr;
	const char *q;
	int64_t ts;

	mask_controls(s);
	br_error_clear(&perr);
	if (len < 19 || timestamp_parse(&ts, s, 19, &perr) < 0)
		return xmlin_fail(p->x, err, "aanmaaktijd <CreDtTm> '%s' is geen datum en tijd JJJJ-MM-DDTuu:mm:ss%s%s",
				  s, perr.msg[0] ? ": " : "", perr.msg);
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
			  "aanmaaktijd <CreDtTm> '%s' heeft na de seconden iets anders dan een deel van een seconde en een tijdzone (Z, +uu:mm, -uu:mm)",
			  s);
}

static int emit_header(struct p2 *p, struct br_error *err)
{
	int rc;

	p->header_done = 1;
	if (!p->h->header)
		return 0;
	if ((rc = p->h->header(p->h->ctx, &p->hdr, err)) < 0) {
		br_error_set(err, (enum br_code)rc,
			     "het statusrapport %s kon niet worden vastgelegd", p->hdr.levering_id);
		br_error_at(err, xmlin_label(p->x), xmlin_line(p->x));
		return rc;
	}
	return 0;
}

/* GrpHdr/MsgId: a Max35Text id, which must also fit levering.h's
 * leveringId (LEVERING_ID_MAX bytes: 35 characters of ASCII always do). */
static int read_msg_id(struct p2 *p, struct br_error *err)
{
	char id[PAIN002_ID_CAP];
	size_t len;
	int rc;

	if ((rc = read_text(p, id, sizeof(id), PAIN002_ID_MAX, 1, &len, err)) < 0)
		return rc;
	if (len > LEVERING_ID_MAX)
		return xmlin_fail(p->x, err,
				  "<MsgId> '%s' is %zu bytes UTF-8, meer dan de %d die een leveringId kan bevatten",
				  id, len, LEVERING_ID_MAX);
	memcpy(p->hdr.levering_id, id, len + 1);
	p->have_msg_id = 1;
	return 0;
}

/* GrpHdr: MsgId, CreDtTm; the header callback as soon as both are read. */
static int parse_grphdr(struct p2 *p, struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	int rc = 0;

	if (p->header_done)
		return xmlin_fail(p->x, err, "het statusrapport heeft een tweede <GrpHdr>");
	if (!xmlin_is_empty(p->x)) {
		while ((rc = next_child(p, depth, "GrpHdr", err)) > 0) {
			if (is_elem(p, "MsgId") && !p->have_msg_id) {
				if ((rc = read_msg_id(p, err)) < 0)
					return rc;
			} else if (is_elem(p, "CreDtTm") && !p->header_done) {
				char text[DATETIME_TEXT_MAX];
				size_t len;

				if (!p->have_msg_id)
					return xmlin_fail(p->x, err, "<GrpHdr> heeft <CreDtTm> vóór <MsgId>");
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
		return xmlin_fail(p->x, err, "<GrpHdr> heeft geen %s",
				  p->have_msg_id ? "<CreDtTm>" : "<MsgId>");
	return 0;
}

/* OrgnlGrpInfAndSts: OrgnlMsgId; the GROUP record when it has a GrpSts or
 * a StsRsnInf. */
static int parse_grpinf(struct p2 *p, struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	struct p2_record r;
	int rc = 0;

	if (p->have_orgnl_msg_id)
		return xmlin_fail(p->x, err, "het statusrapport heeft een tweede <OrgnlGrpInfAndSts>");
	record_start(p, &r, PAIN002_GROUP);
	if (!xmlin_is_empty(p->x)) {
		while ((rc = next_child(p, depth, "OrgnlGrpInfAndSts", err)) > 0) {
			if (is_elem(p, "OrgnlMsgId") && !p->have_orgnl_msg_id) {
				if ((rc = read_id(p, p->orgnl_msg_id, err)) < 0)
					return rc;
				memcpy(r.s.orgnl_msg_id, p->orgnl_msg_id, sizeof(r.s.orgnl_msg_id));
				p->have_orgnl_msg_id = 1;
			} else if (is_elem(p, "GrpSts") && !r.have_status) {
				rc = read_status(p, &r, err);
			} else if (is_elem(p, "StsRsnInf")) {
				rc = parse_rsninf(p, &r, err);
			}
			if (rc < 0)
				return rc;
		}
		if (rc < 0)
			return rc;
	}
	if (!p->have_orgnl_msg_id)
		return xmlin_fail(p->x, err, "<OrgnlGrpInfAndSts> heeft geen <OrgnlMsgId>");
	return r.have_status || r.have_rsninf ? deliver(p, &r, err) : 0;
}

/* TxInfAndSts: always a TX record, with what it has of OrgnlEndToEndId,
 * TxSts, StsRsnInf and OrgnlTxRef/Cdtr. */
static int parse_tx(struct p2 *p, const char *pmtinf_id, struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	struct p2_record r;
	int have_e2e = 0;
	int rc = 0;

	record_start(p, &r, PAIN002_TX);
	memcpy(r.s.orgnl_pmtinf_id, pmtinf_id, sizeof(r.s.orgnl_pmtinf_id));
	if (!xmlin_is_empty(p->x)) {
		while ((rc = next_child(p, depth, "TxInfAndSts", err)) > 0) {
			if (is_elem(p, "OrgnlEndToEndId") && !have_e2e) {
				rc = read_id(p, r.s.orgnl_e2e_id, err);
				have_e2e = 1;
			} else if (is_elem(p, "TxSts") && !r.have_status) {
				rc = read_status(p, &r, err);
			} else if (is_elem(p, "StsRsnInf")) {
				rc = parse_rsninf(p, &r, err);
			} else if (is_elem(p, "OrgnlTxRef")) {
				rc = parse_txref(p, &r, err);
			}
			if (rc < 0)
				return rc;
		}
		if (rc < 0)
			return rc;
	}
	return deliver(p, &r, err);
}

/* OrgnlPmtInfAndSts: OrgnlPmtInfId; the BATCH record when it has a
 * PmtInfSts or a StsRsnInf, delivered before its first transaction (what
 * comes after that, only possible without the schema, is not read). */
static int parse_pmtinf(struct p2 *p, struct br_error *err)
{
	int depth = xmlin_depth(p->x);
	struct p2_record r;
	int have_id = 0;
	int rc = 0;

	record_start(p, &r, PAIN002_BATCH);
	if (!xmlin_is_empty(p->x)) {
		while ((rc = next_child(p, depth, "OrgnlPmtInfAndSts", err)) > 0) {
			if (is_elem(p, "OrgnlPmtInfId") && !have_id) {
				rc = read_id(p, r.s.orgnl_pmtinf_id, err);
				have_id = 1;
			} else if (is_elem(p, "PmtInfSts") && !r.have_status && !r.delivered) {
				rc = read_status(p, &r, err);
			} else if (is_elem(p, "StsRsnInf") && !r.delivered) {
				rc = parse_rsninf(p, &r, err);
			} else if (is_elem(p, "TxInfAndSts")) {
				if (!have_id)
					break;
				if ((r.have_status || r.have_rsninf) && !r.delivered &&
				    (rc = deliver(p, &r, err)) < 0)
					return rc;
				r.delivered = 1;
				rc = parse_tx(p, r.s.orgnl_pmtinf_id, err);
			}
			if (rc < 0)
				return rc;
		}
		if (rc < 0)
			return rc;
	}
	if (!have_id)
		return xmlin_fail(p->x, err, "<OrgnlPmtInfAndSts> heeft geen <OrgnlPmtInfId> vóór zijn statussen");
	if ((r.have_status || r.have_rsninf) && !r.delivered)
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
					return xmlin_fail(p->x, err, "<OrgnlGrpInfAndSts> staat vóór <GrpHdr>");
				rc = parse_grpinf(p, err);
			} else if (is_elem(p, "OrgnlPmtInfAndSts")) {
				if (!p->have_orgnl_msg_id)
					return xmlin_fail(p->x, err, "<OrgnlPmtInfAndSts> staat vóór <OrgnlGrpInfAndSts>");
				rc = parse_pmtinf(p, err);
			}
			if (rc < 0)
				return rc;
		}
		if (rc < 0)
			return rc;
	}
	if (!p->header_done)
		return xmlin_fail(p->x, err, "het statusrapport heeft geen <GrpHdr>");
	if (!p->have_orgnl_msg_id)
		return xmlin_fail(p->x, err, "het statusrapport heeft geen <OrgnlGrpInfAndSts>");
	return 0;
}

/* The root: Document in the namespace of V03 or V10. */
static int parse_root(struct p2 *p, struct br_error *err)
{
	const char *ns = xmlin_ns(p->x);

	if (strcmp(ns, NS_PAIN002_03) == 0) {
		p->ns = NS_PAIN002_03;
		p->hdr.iso_version = 3;
	} else if (strcmp(ns, NS_PAIN002_10) == 0) {
		p->ns = NS_PAIN002_10;
		p->hdr.iso_version = 10;
	}
	if (!p->ns || strcmp(xmlin_name(p->x), "Document") != 0)
		return xmlin_fail(p->x, err, "rootelement %.80s in namespace %.120s is geen statusrapport pain.002",
				  xmlin_name(p->x), ns[0] ? ns : "(geen)");
	return 0;
}

int pain002_parse(struct xmlin *x, const struct pain002_handler *h, struct br_error *err)
{
	struct p2 p;
	int depth, rc, seen_report = 0;

	memset(&p, 0, sizeof(p));
	p.x = x;
	p.h = h;
	p.hdr.kind = LEVERING_PAIN002;
	p.hdr.peildatum = DATE_NONE;

	if ((rc = xmlin_read(x, err)) < 0)
		goto out;
	if (rc == 0) {
		rc = xmlin_fail(x, err, "het bestand heeft geen rootelement");
		goto out;
	}
	if ((rc = parse_root(&p, err)) < 0)
		goto out;
	depth = xmlin_depth(x);
	if (!xmlin_is_empty(x)) {
		while ((rc = next_child(&p, depth, "Document", err)) > 0) {
			if (!is_elem(&p, "CstmrPmtStsRpt"))
				continue;
			if (seen_report) {
				rc = xmlin_fail(x, err, "<Document> bevat een tweede <CstmrPmtStsRpt>");
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
		rc = xmlin_fail(x, err, "<Document> bevat geen <CstmrPmtStsRpt>");
		goto out;
	}
	/* Read to the end: the schema's verdict on the whole document. */
	while ((rc = xmlin_read(x, err)) > 0)
		;
out:
	/* issue 12: the quarantine reason first says what was refused */
	if (rc == BR_EINPUT)
		br_error_prefix(err, "statusrapport (pain.002) geweigerd");
	return rc < 0 ? rc : 0;
}

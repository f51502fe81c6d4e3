/*
 * camt.c — the bank's account statements (camt.053.001.02 / .08) and
 * debit/credit notifications (camt.054.001.02 / .08); see camt.h for the
 * contract, payments.md "Bank statements and returns" for what they are
 * for.
 *
 * The format, as far as betaalrun reads it (element order as the official
 * schemas in data/schemas/iso20022 give it; "02" / "08" where the two
 * versions differ):
 *
 *   Document                      namespace ...camt.053.001.02/.08 or
 *                                 ...camt.054.001.02/.08
 *     BkToCstmrStmt (053) | BkToCstmrDbtCdtNtfctn (054)
 *       GrpHdr
 *         MsgId                   the bank's id of this file: leveringId
 *         CreDtTm                 ISODateTime: aanmaakdatum
 *       Stmt (053) | Ntfctn (054), 1..n: one account each
 *         Id                      the statement's id
 *         (ElctrncSeqNb, LglSeqNb, CreDtTm, FrToDt, ...: not read)
 *         Acct
 *           Id                    IBAN | Othr/Id (a choice)
 *           Ccy (opt)
 *         (RltdAcct, Intrst, Bal (053: 1..n, opening/closing balances),
 *          TxsSummry: not read)
 *         Ntry*
 *           (NtryRef)
 *           Amt Ccy=".."          >= 0; the sign is CdtDbtInd
 *           CdtDbtInd             CRDT | DBIT
 *           RvslInd (opt)         xs:boolean: a reversal (storno)
 *           Sts                   02: BOOK|PDNG|INFO; 08: Cd | Prtry
 *           BookgDt, ValDt (opt)  Dt (xs:date) | DtTm (xs:dateTime)
 *           AcctSvcrRef (opt)     the bank's reference of the entry
 *           BkTxCd                Domn (Cd, Fmly (Cd, SubFmlyCd))?, Prtry (Cd, Issr?)?
 *           (Avlbty, ComssnWvrInd, AddtlInfInd, AmtDtls, Chrgs, ...)
 *           NtryDtls*
 *             Btch (opt)          MsgId?, PmtInfId?, NbOfTxs?, TtlAmt?, CdtDbtInd?
 *             TxDtls*
 *               Refs (opt)        MsgId?, AcctSvcrRef?, PmtInfId?, InstrId?, EndToEndId?, ...
 *               Amt (08 only), CdtDbtInd (08 only)
 *               AmtDtls (opt)     InstdAmt?, TxAmt (Amt, CcyXchg?)?, ...
 *               (Avlbty)
 *               BkTxCd (opt)
 *               (Chrgs, Intrst, RltdPties, RltdAgts, ..., Tax)
 *               RtrInf (opt)      OrgnlBkTxCd?, Orgtr?, Rsn (Cd | Prtry)?, AddtlInf*
 *               (CorpActn, ..., AddtlTxInf)
 *           AddtlNtryInf (opt)    Max500Text
 *       (SplmtryData*, 08 only: not read)
 *
 * Amounts are xs:decimal (fractionDigits 5, totalDigits 18, minInclusive
 * 0, whitespace collapsed): "1234.5", "12.340", "+7", ".50" and "0012.00"
 * are all valid and all read; digits past the second decimal must be zeros
 * (camt.h), and the value must be within money.h's range.  Dates: an
 * xs:date may carry a zone ("2026-11-30+01:00") and BookgDt/ValDt may be a
 * DtTm instead; the day is taken as written, the zone is not applied (as
 * for CreDtTm: see parse_datetime()).
 *
 * Text fields (ids, references, codes, AddtlInf) are Max35Text and the
 * like: 1 to 35 *characters* of UTF-8, so up to 140 bytes; each is read
 * with a cap of four bytes per character and refused when it has more
 * characters than its schema type allows.  Control characters become '?'.
 * The group header's MsgId becomes the leveringId, which intake's sniffer
 * reads byte for byte: it must fit LEVERING_ID_MAX bytes and hold no
 * control character (refused, not replaced, so that both read the same).
 *
 * The schema is checked while streaming, and its verdict on a value may
 * come a node after this code has used it, so callbacks may have seen
 * records of a file that is refused further on (formats.md §4: the caller
 * keeps nothing of a failed parse).  This code checks for itself what it
 * relies on and never trusts the schema for memory safety: every text goes
 * through xmlin_text() with a cap.  Nothing is allocated per entry: the
 * record being read lives in `struct camt`, reset field by field.
 */
#include "camt.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "money.h"
#include "xmlfield.h"

#include "banned.h"

#define MAX35 35                    /* Max35Text, characters */
#define MAX34 34                    /* Max34Text (Othr/Id) */
#define MAX105 105                  /* Max105Text (RtrInf/AddtlInf) */
#define MAX500 500                  /* Max500Text (AddtlNtryInf) */
#define CODE_MAX 4                  /* external codes: 1..4 characters */
#define CODE_CAP (4 * CODE_MAX + 1) /* bytes, for the characters check */
#define NUM_TEXT_MAX 32             /* NbOfTxs (Max15NumericText), bytes */
#define AMOUNT_TEXT_MAX 64          /* an amount's text, bytes */
#define DATETIME_TEXT_MAX 64        /* a date or date-time's text, bytes */
#define TEXT500_CAP (4 * MAX500 + 1)
#define INFO_CAP (4 * MAX105 + 1)

/* One parse. */
struct camt {
	struct xmlin *x;
	const struct camt_handler *h;
	const char *ns;               /* the root's namespace: a levering.h constant */
	int version;                  /* 2 or 8 */
	const char *msg_name;         /* "BkToCstmrStmt" / "BkToCstmrDbtCdtNtfctn" */
	const char *stmt_name;        /* "Stmt" / "Ntfctn" */
	struct levering_header hdr;
	int header_done;
	long n_stmts;
	long seq;                     /* entries so far, over the whole file */
	long stmt_line, ntry_line, tx_line; /* records being read (messages); 0 outside */
	struct camt_account a;
	struct camt_entry e;
	struct camt_tx t;
	int e_info_cut, t_info_cut;   /* the info field was cut: take no more */
	int e_have_btch;              /* the entry's first Btch was read */
	char text[TEXT500_CAP];       /* a Max500Text before it joins an info field */
};

/* The children of one element, in document order (walk_next()). */
struct walk {
	int depth;
	int empty;
	const char *name;             /* the element, for messages (a literal) */
};

/* ---- messages ------------------------------------------------------------ */

/* xmlin_fail() with the record being read appended: what is wrong first,
 * then where (style.md "Errors"); xmlin_fail() adds file and line. */
static int fail(struct camt *p, struct br_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct camt *p, struct br_error *err, const char *fmt, ...)
{
	char msg[BR_ERROR_MSG_MAX], where[96] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->tx_line)
		snprintf(where, sizeof(where), " (TxDtls op regel %ld van de boeking op regel %ld)",
			 p->tx_line, p->ntry_line);
	else if (p->ntry_line)
		snprintf(where, sizeof(where), " (boeking op regel %ld)", p->ntry_line);
	else if (p->stmt_line)
		snprintf(where, sizeof(where), " (<%s> op regel %ld)", p->stmt_name, p->stmt_line);
	return xmlin_fail(p->x, err, "%s%s", msg, where);
}

/* ---- walking ------------------------------------------------------------- */

static void walk_start(const struct camt *p, struct walk *w, const char *name)
{
	w->depth = xmlin_depth(p->x);
	w->empty = xmlin_is_empty(p->x);
	w->name = name;
}

/*
 * Advance to the next child element in the message's namespace: 1 when on
 * its start tag, 0 at the end of the walked element.  The subtree of a
 * child the caller did not consume, and any element of another namespace,
 * is passed over here.
 */
static int walk_next(struct camt *p, struct walk *w, struct br_error *err)
{
	if (w->empty)
		return 0;
	for (;;) {
		int rc = xmlin_read(p->x, err);

		if (rc < 0)
			return rc;
		if (rc == 0)
			return xmlin_fail(p->x, err, "het bestand houdt op binnen <%s>", w->name);
		if (xmlin_type(p->x) == XMLIN_END && xmlin_depth(p->x) == w->depth)
			return 0;
		if (xmlin_type(p->x) == XMLIN_START && xmlin_depth(p->x) == w->depth + 1 &&
		    strcmp(xmlin_ns(p->x), p->ns) == 0)
			return 1;
	}
}

/* The current element is `name` (the first byte first: this runs for
 * every candidate of every child). */
static int is(const struct camt *p, const char *name)
{
	const char *n = xmlin_name(p->x);

	return n[0] == name[0] && strcmp(n, name) == 0;
}

/* ---- text values ----------------------------------------------------------- */

/* Control characters (C0, DEL, and C1 as UTF-8 C2 80..9F) become '?'
 * (camt.h); returns the new length. */
static size_t clean_controls(char *s, size_t len)
{
	size_t i, j = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f) {
			s[j++] = '?';
		} else if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
			   (unsigned char)s[i + 1] <= 0x9f) {
			s[j++] = '?';
			i++;
		} else {
			s[j++] = (char)c;
		}
	}
	s[j] = '\0';
	return j;
}

/*
 * The text of the current element `name`, a MaxNText: 1 to `max_chars`
 * characters, read into `out` (cap bytes, at least 4 * max_chars + 1),
 * control characters as '?'.  *out_len may be NULL.
 */
static int read_text(struct camt *p, const char *name, char *out, size_t cap, size_t max_chars,
		     size_t *out_len, struct br_error *err)
{
	size_t len = 0, chars;
	int rc;

	if ((rc = xmlin_text(p->x, out, cap, &len, err)) < 0)
		return rc;
	if (len == 0)
		return fail(p, err, "<%s> is leeg", name);
	if ((chars = xmlfield_utf8_chars(out, len)) > max_chars)
		return fail(p, err, "<%s> heeft %zu tekens; ten hoogste %zu mogen", name, chars,
			    max_chars);
	len = clean_controls(out, len);
	if (out_len)
		*out_len = len;
	return 0;
}

static int read_id(struct camt *p, const char *name, char out[CAMT_ID_CAP], struct br_error *err)
{
	return read_text(p, name, out, CAMT_ID_CAP, MAX35, NULL, err);
}

/* An ISO external code (status, domain, family, reason): 1..4 printable
 * ASCII characters, no spaces; anything else is not a code betaalrun can
 * act on, and is refused rather than cut. */
static int read_code(struct camt *p, const char *name, char out[CODE_MAX + 1], struct br_error *err)
{
	char buf[CODE_CAP], show[XMLFIELD_SHOW_MAX];
	size_t len = 0;
	int rc;

	if ((rc = xmlin_text(p->x, buf, sizeof(buf), &len, err)) < 0)
		return rc;
	if (len < 1 || len > CODE_MAX || !xmlfield_is_token(buf, len))
		return fail(p, err, "<%s> '%s' is geen code van 1 tot en met %d letters of cijfers", name,
			    xmlfield_show(show, buf), CODE_MAX);
	memcpy(out, buf, len + 1);
	return 0;
}

/*
 * Append `src` to the info field `dst` (camt.h: lines joined with " / ",
 * at most CAMT_INFO_MAX bytes); what does not fit is cut at a character
 * boundary and ends in "...", and nothing more is added after that.
 */
static void info_append(char dst[CAMT_INFO_MAX + 1], int *cut, const char *src)
{
	const char *parts[2];
	size_t i, k;
	int n;

	if (*cut)
		return;
	i = strlen(dst);
	parts[0] = i ? " / " : "";
	parts[1] = src;
	for (n = 0; n < 2; n++) {
		for (k = 0; parts[n][k]; k++) {
			if (i == CAMT_INFO_MAX)
				goto too_long;
			dst[i++] = parts[n][k];
		}
	}
	dst[i] = '\0';
	return;
too_long:
	k = CAMT_INFO_MAX - 3;
	while (k > 0 && ((unsigned char)dst[k] & 0xc0) == 0x80)
		k--; /* dst[k] was a continuation byte: its character goes too */
	memcpy(dst + k, "...", 4);
	*cut = 1;
}

/* ---- typed values ---------------------------------------------------------- */

/*
 * An ActiveOrHistoricCurrencyAndAmount's text (see the top of this file)
 * into cents.  The canonical "<integer>.<2 decimals>" is handed to
 * money_parse(), which holds the range.
 */
static int parse_amount(struct camt *p, const char *name, char *s, size_t len, int64_t *out,
			struct br_error *err)
{
	char canon[AMOUNT_TEXT_MAX + 4], show[XMLFIELD_SHOW_MAX];
	const char *q, *digits, *frac = "";
	size_t n_int, n_frac = 0, k = 0, i;
	struct br_error merr;
	int negative = 0;

	s = xmlfield_trim(s, &len);
	q = s;
	if (*q == '+' || *q == '-')
		negative = *q++ == '-';
	for (digits = q; *q >= '0' && *q <= '9'; q++)
		;
	n_int = (size_t)(q - digits);
	if (*q == '.') {
		for (frac = ++q; *q >= '0' && *q <= '9'; q++)
			;
		n_frac = (size_t)(q - frac);
	}
	if (*q != '\0' || n_int + n_frac == 0)
		return fail(p, err, "<%s> '%s' is geen decimaal bedrag", name, xmlfield_show(show, s));
	for (i = 2; i < n_frac; i++)
		if (frac[i] != '0')
			return fail(p, err,
				    "<%s> '%s' is niet exact: cijfers na de tweede decimaal moeten nullen zijn (betaalrun boekt hele centen)",
				    name, xmlfield_show(show, s));
	while (n_int > 1 && *digits == '0')
		digits++, n_int--;
	if (n_int == 0)
		canon[k++] = '0';
	memcpy(canon + k, digits, n_int);
	k += n_int;
	canon[k++] = '.';
	canon[k++] = n_frac > 0 ? frac[0] : '0';
	canon[k++] = n_frac > 1 ? frac[1] : '0';
	br_error_clear(&merr);
	if (money_parse(out, canon, k, &merr) < 0)
		return fail(p, err, "<%s> '%s' kan niet worden geboekt: %s", name, xmlfield_show(show, s),
			    merr.msg);
	if (negative && *out != 0)
		return fail(p, err, "<%s> '%s' is negatief", name, xmlfield_show(show, s));
	return 0;
}

/* An amount element with its Ccy attribute (3 capital letters) into
 * `ccy`; NULL when the currency is not kept. */
static int read_amount(struct camt *p, const char *name, int64_t *out, char ccy[4],
		       struct br_error *err)
{
	char text[AMOUNT_TEXT_MAX], show[XMLFIELD_SHOW_MAX];
	const char *c = xmlin_attr(p->x, "Ccy");
	size_t len = 0;
	int rc;

	if (ccy) {
		if (!c)
			return fail(p, err, "<%s> heeft geen attribuut Ccy", name);
		if (strlen(c) != 3 || !xmlfield_all_of(c, 3, XMLFIELD_UPPER))
			return fail(p, err, "Ccy '%s' van <%s> is geen valutacode van 3 hoofdletters",
				    xmlfield_show(show, c), name);
		memcpy(ccy, c, 4);
	}
	if ((rc = xmlin_text(p->x, text, sizeof(text), &len, err)) < 0)
		return rc;
	return parse_amount(p, name, text, len, out, err);
}

/*
 * What may follow the seconds of an xs:dateTime or the day of an xs:date:
 * a zone, Z or +hh:mm / -hh:mm of at most 14:00 (xs:dateTime's own
 * limit).  Returns the position after it (`q` itself when there is none),
 * or NULL for a malformed one.
 */
static const char *skip_zone(const char *q)
{
	int hh, mm;

	if (*q == 'Z')
		return q + 1;
	if (*q != '+' && *q != '-')
		return q;
	if (!(q[1] >= '0' && q[1] <= '9' && q[2] >= '0' && q[2] <= '9' && q[3] == ':' &&
	      q[4] >= '0' && q[4] <= '9' && q[5] >= '0' && q[5] <= '9'))
		return NULL;
	hh = (q[1] - '0') * 10 + (q[2] - '0');
	mm = (q[4] - '0') * 10 + (q[5] - '0');
	if (mm > 59 || hh > 14 || (hh == 14 && mm > 0))
		return NULL;
	return q + 6;
}

/*
 * An ISODateTime: YYYY-MM-DDThh:mm:ss, an optional fraction, an optional
 * zone.  The first 19 characters are parsed with timestamp_parse and the
 * rest is dropped: the time as written, in whole seconds, whatever the
 * zone, as pain002.c and intake's sniffer read CreDtTm (Dutch banks write
 * Dutch local time, formats.md's administrative time).
 */
static int read_datetime(struct camt *p, const char *name, int64_t *out, struct br_error *err)
{
	char text[DATETIME_TEXT_MAX], show[XMLFIELD_SHOW_MAX];
	struct br_error perr;
	const char *q, *digits;
	size_t len = 0;
	char *s;
	int rc;

	if ((rc = xmlin_text(p->x, text, sizeof(text), &len, err)) < 0)
		return rc;
	s = xmlfield_trim(text, &len);
	br_error_clear(&perr);
	if (len < 19 || timestamp_parse(out, s, 19, &perr) < 0)
		return fail(p, err, "<%s> '%s' is geen datum en tijd JJJJ-MM-DDTuu:mm:ss%s%s", name,
			    xmlfield_show(show, s), perr.msg[0] ? ": " : "", perr.msg);
	q = s + 19;
	if (*q == '.') {
		for (digits = ++q; *q >= '0' && *q <= '9'; q++)
			;
		if (q == digits)
			q = NULL;
	}
	if (q)
		q = skip_zone(q);
	if (!q || *q != '\0')
		return fail(p, err,
			    "<%s> '%s' heeft na de seconden iets anders dan een deel van een seconde en een tijdzone (Z, +uu:mm, -uu:mm)",
			    name, xmlfield_show(show, s));
	return 0;
}

/* An ISODate: YYYY-MM-DD and an optional zone, which is not applied. */
static int read_date(struct camt *p, const char *name, int32_t *out, struct br_error *err)
{
	char text[DATETIME_TEXT_MAX], show[XMLFIELD_SHOW_MAX];
	struct br_error perr;
	const char *q;
	size_t len = 0;
	char *s;
	int rc;

	if ((rc = xmlin_text(p->x, text, sizeof(text), &len, err)) < 0)
		return rc;
	s = xmlfield_trim(text, &len);
	br_error_clear(&perr);
	if (len < 10 || date_parse(out, s, 10, &perr) < 0)
		return fail(p, err, "<%s> '%s' is geen datum JJJJ-MM-DD%s%s", name,
			    xmlfield_show(show, s), perr.msg[0] ? ": " : "", perr.msg);
	q = skip_zone(s + 10);
	if (!q || *q != '\0')
		return fail(p, err, "<%s> '%s' heeft na de datum iets anders dan een tijdzone (Z, +uu:mm, -uu:mm)",
			    name, xmlfield_show(show, s));
	return 0;
}

/* DateAndDateTime(2)Choice: Dt, or the day of DtTm. */
static int read_date_choice(struct camt *p, const char *name, int32_t *out, struct br_error *err)
{
	struct walk w;
	int rc, found = 0;

	walk_start(p, &w, name);
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "Dt")) {
			rc = read_date(p, "Dt", out, err);
		} else if (is(p, "DtTm")) {
			int64_t ts = 0;

			if ((rc = read_datetime(p, "DtTm", &ts, err)) == 0)
				*out = timestamp_day(ts);
		} else {
			continue;
		}
		if (rc < 0)
			return rc;
		found = 1;
	}
	if (rc < 0)
		return rc;
	if (!found)
		return fail(p, err, "<%s> heeft geen <Dt> en geen <DtTm>", name);
	return 0;
}

/* xs:boolean, whitespace collapsed. */
static int read_bool(struct camt *p, const char *name, int *out, struct br_error *err)
{
	char text[16], show[XMLFIELD_SHOW_MAX];
	size_t len = 0;
	char *s;
	int rc;

	if ((rc = xmlin_text(p->x, text, sizeof(text), &len, err)) < 0)
		return rc;
	s = xmlfield_trim(text, &len);
	if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
		*out = 1;
	else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
		*out = 0;
	else
		return fail(p, err, "<%s> '%s' is niet true, false, 1 of 0", name, xmlfield_show(show, s));
	return 0;
}

/* Max15NumericText: 1 to 15 digits. */
static int read_count(struct camt *p, const char *name, long *out, struct br_error *err)
{
	char text[NUM_TEXT_MAX], show[XMLFIELD_SHOW_MAX];
	size_t len = 0, i;
	long v = 0;
	int rc;

	if ((rc = xmlin_text(p->x, text, sizeof(text), &len, err)) < 0)
		return rc;
	if (len < 1 || len > 15 || !xmlfield_all_of(text, len, XMLFIELD_DIGIT))
		return fail(p, err, "<%s> '%s' is geen getal van 1 tot en met 15 cijfers", name,
			    xmlfield_show(show, text));
	for (i = 0; i < len; i++) {
		if (v > (LONG_MAX - 9) / 10)
			return fail(p, err, "<%s> '%s' is te groot", name, xmlfield_show(show, text));
		v = v * 10 + (text[i] - '0');
	}
	*out = v;
	return 0;
}

/* CreditDebitCode: CRDT or DBIT exactly (an xs:string enumeration). */
static int read_cdt_dbt(struct camt *p, int *credit, struct br_error *err)
{
	char text[8], show[XMLFIELD_SHOW_MAX];
	size_t len = 0;
	int rc;

	if ((rc = xmlin_text(p->x, text, sizeof(text), &len, err)) < 0)
		return rc;
	if (strcmp(text, "CRDT") == 0)
		*credit = 1;
	else if (strcmp(text, "DBIT") == 0)
		*credit = 0;
	else
		return fail(p, err, "<CdtDbtInd> '%s' is niet CRDT of DBIT", xmlfield_show(show, text));
	return 0;
}

/* ---- bank transaction code -------------------------------------------------- */

/* Domn: Cd, Fmly (Cd, SubFmlyCd), as "DOMN/FMLY/SUBFMLY". */
static int parse_domn(struct camt *p, char out[CAMT_BTC_CAP], struct br_error *err)
{
	char dom[CODE_MAX + 1] = "", fam[CODE_MAX + 1] = "", sub[CODE_MAX + 1] = "";
	struct walk w, wf;
	int rc;

	walk_start(p, &w, "Domn");
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "Cd")) {
			rc = read_code(p, "Cd", dom, err);
		} else if (is(p, "Fmly")) {
			walk_start(p, &wf, "Fmly");
			while ((rc = walk_next(p, &wf, err)) > 0) {
				if (is(p, "Cd"))
					rc = read_code(p, "Cd", fam, err);
				else if (is(p, "SubFmlyCd"))
					rc = read_code(p, "SubFmlyCd", sub, err);
				if (rc < 0)
					return rc;
			}
		}
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	if (!dom[0] || !fam[0] || !sub[0])
		return fail(p, err, "transactiecode <Domn> mist zijn domein-, familie- of subfamiliecode");
	snprintf(out, CAMT_BTC_CAP, "%s/%s/%s", dom, fam, sub);
	return 0;
}

/* BkTxCd: "DOMN/FMLY/SUBFMLY" from Domn, else Prtry/Cd (camt.h). */
static int parse_btc(struct camt *p, char out[CAMT_BTC_CAP], struct br_error *err)
{
	struct walk w, wp;
	int rc, have_domn = 0;

	walk_start(p, &w, "BkTxCd");
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "Domn")) {
			if ((rc = parse_domn(p, out, err)) < 0)
				return rc;
			have_domn = 1;
		} else if (is(p, "Prtry") && !have_domn) {
			walk_start(p, &wp, "Prtry");
			while ((rc = walk_next(p, &wp, err)) > 0)
				if (is(p, "Cd") && (rc = read_id(p, "Cd", out, err)) < 0)
					return rc;
			if (rc < 0)
				return rc;
		}
	}
	return rc;
}

/* ---- the group header and the account ------------------------------------- */

static int emit_header(struct camt *p, struct br_error *err)
{
	int rc;

	p->header_done = 1;
	if (!p->h->header)
		return 0;
	if ((rc = p->h->header(p->h->ctx, &p->hdr, err)) < 0) {
		br_error_set(err, (enum br_code)rc, "het bankafschrift %s kon niet worden vastgelegd",
			     p->hdr.levering_id);
		br_error_at(err, xmlin_label(p->x), xmlin_line(p->x));
		return rc;
	}
	return 0;
}

/* GrpHdr/MsgId: the leveringId, byte for byte as intake's sniffer reads it
 * (see the top of this file). */
static int read_msg_id(struct camt *p, struct br_error *err)
{
	char *id = p->hdr.levering_id;
	size_t len = 0, i;
	int rc;

	if ((rc = xmlin_text(p->x, id, sizeof(p->hdr.levering_id), &len, err)) < 0)
		return rc;
	if (len == 0)
		return fail(p, err, "<MsgId> is leeg");
	if (xmlfield_utf8_chars(id, len) > MAX35)
		return fail(p, err, "<MsgId> heeft meer dan %d tekens", MAX35);
	for (i = 0; i < len; i++)
		if ((unsigned char)id[i] < 0x20 || id[i] == 0x7f)
			return fail(p, err, "<MsgId> bevat een stuurteken");
	return 0;
}

/* GrpHdr: MsgId, CreDtTm; the header callback as soon as both are read. */
static int parse_grphdr(struct camt *p, struct br_error *err)
{
	struct walk w;
	int rc, have_msg_id = 0;

	if (p->header_done)
		return fail(p, err, "het bestand heeft een tweede <GrpHdr>");
	walk_start(p, &w, "GrpHdr");
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "MsgId") && !have_msg_id) {
			if ((rc = read_msg_id(p, err)) < 0)
				return rc;
			have_msg_id = 1;
		} else if (is(p, "CreDtTm") && !p->header_done) {
			if (!have_msg_id)
				return fail(p, err, "<GrpHdr> has <CreDtTm> before <MsgId>");
			if ((rc = read_datetime(p, "CreDtTm", &p->hdr.aanmaakdatum, err)) < 0 ||
			    (rc = emit_header(p, err)) < 0)
				return rc;
		}
	}
	if (rc < 0)
		return rc;
	if (!p->header_done)
		return fail(p, err, "<GrpHdr> heeft geen %s", have_msg_id ? "<CreDtTm>" : "<MsgId>");
	return 0;
}

/* IBAN2007Identifier: [A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}. */
static int read_iban(struct camt *p, char out[CAMT_IBAN_MAX + 1], struct br_error *err)
{
	char show[XMLFIELD_SHOW_MAX];
	size_t len = 0;
	int rc;

	if ((rc = xmlin_text(p->x, out, CAMT_IBAN_MAX + 1, &len, err)) < 0)
		return rc;
	if (len < 5 || !xmlfield_all_of(out, 2, XMLFIELD_UPPER) ||
	    !xmlfield_all_of(out + 2, 2, XMLFIELD_DIGIT) ||
	    !xmlfield_all_of(out + 4, len - 4, XMLFIELD_UPPER | XMLFIELD_LOWER | XMLFIELD_DIGIT))
		return fail(p, err, "<IBAN> '%s' is geen IBAN", xmlfield_show(show, out));
	return 0;
}

/* Acct/Id: IBAN | Othr/Id. */
static int parse_acct_id(struct camt *p, struct br_error *err)
{
	struct walk w, wo;
	int rc;

	walk_start(p, &w, "Id");
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "IBAN")) {
			rc = read_iban(p, p->a.iban, err);
		} else if (is(p, "Othr")) {
			walk_start(p, &wo, "Othr");
			while ((rc = walk_next(p, &wo, err)) > 0)
				if (is(p, "Id") &&
				    (rc = read_text(p, "Id", p->a.other_id, CAMT_ID_CAP, MAX34, NULL, err)) < 0)
					return rc;
		}
		if (rc < 0)
			return rc;
	}
	return rc;
}

static int deliver_account(struct camt *p, struct br_error *err)
{
	int rc;

	if (!p->h->account)
		return 0;
	if ((rc = p->h->account(p->h->ctx, &p->a, err)) < 0) {
		br_error_set(err, (enum br_code)rc, "rekening %s van afschrift %s kon niet worden vastgelegd",
			     p->a.iban[0] ? p->a.iban : p->a.other_id, p->a.id);
		br_error_at(err, xmlin_label(p->x), p->a.line);
		return rc;
	}
	return 0;
}

/* Acct: Id, Ccy; the account callback at its end. */
static int parse_acct(struct camt *p, struct br_error *err)
{
	struct walk w;
	int rc;

	walk_start(p, &w, "Acct");
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "Id")) {
			rc = parse_acct_id(p, err);
		} else if (is(p, "Ccy")) {
			char show[XMLFIELD_SHOW_MAX];
			size_t len = 0;

			if ((rc = xmlin_text(p->x, p->a.ccy, sizeof(p->a.ccy), &len, err)) == 0 &&
			    (len != 3 || !xmlfield_all_of(p->a.ccy, 3, XMLFIELD_UPPER)))
				rc = fail(p, err, "<Ccy> '%s' is geen valutacode van 3 hoofdletters",
					  xmlfield_show(show, p->a.ccy));
		}
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	if (!p->a.iban[0] && !p->a.other_id[0])
		return fail(p, err, "<Acct> heeft geen <Id><IBAN> en geen <Id><Othr><Id>");
	return deliver_account(p, err);
}

/* ---- transaction details ------------------------------------------------------ */

static void tx_reset(struct camt *p)
{
	struct camt_tx *t = &p->t;

	t->line = xmlin_line(p->x);
	t->entry_seq = p->seq;
	t->msg_id[0] = t->pmtinf_id[0] = t->e2e_id[0] = t->acct_svcr_ref[0] = '\0';
	t->amount_cents = -1;
	t->ccy[0] = t->btc[0] = t->reason[0] = t->info[0] = '\0';
	t->has_return = t->reason_prtry = 0;
	p->t_info_cut = 0;
	p->tx_line = t->line;
}

/* Refs: MsgId, AcctSvcrRef, PmtInfId, EndToEndId. */
static int parse_refs(struct camt *p, struct br_error *err)
{
	struct walk w;
	int rc;

	walk_start(p, &w, "Refs");
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "MsgId"))
			rc = read_id(p, "MsgId", p->t.msg_id, err);
		else if (is(p, "AcctSvcrRef"))
			rc = read_id(p, "AcctSvcrRef", p->t.acct_svcr_ref, err);
		else if (is(p, "PmtInfId"))
			rc = read_id(p, "PmtInfId", p->t.pmtinf_id, err);
		else if (is(p, "EndToEndId"))
			rc = read_id(p, "EndToEndId", p->t.e2e_id, err);
		if (rc < 0)
			return rc;
	}
	return rc;
}

/* AmtDtls/TxAmt/Amt, unless the TxDtls had an Amt of its own (.08). */
static int parse_amtdtls(struct camt *p, struct br_error *err)
{
	struct walk w, wt;
	int rc;

	walk_start(p, &w, "AmtDtls");
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (!is(p, "TxAmt"))
			continue;
		walk_start(p, &wt, "TxAmt");
		while ((rc = walk_next(p, &wt, err)) > 0) {
			if (is(p, "Amt") && p->t.amount_cents < 0 &&
			    (rc = read_amount(p, "Amt", &p->t.amount_cents, p->t.ccy, err)) < 0)
				return rc;
		}
		if (rc < 0)
			return rc;
	}
	return rc;
}

/* RtrInf/Rsn: Cd | Prtry. */
static int parse_rsn(struct camt *p, struct br_error *err)
{
	struct walk w;
	int rc;

	walk_start(p, &w, "Rsn");
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "Cd")) {
			rc = read_text(p, "Cd", p->t.reason, CAMT_ID_CAP, CODE_MAX, NULL, err);
			p->t.reason_prtry = 0;
		} else if (is(p, "Prtry")) {
			rc = read_id(p, "Prtry", p->t.reason, err);
			p->t.reason_prtry = 1;
		}
		if (rc < 0)
			return rc;
	}
	return rc;
}

/* RtrInf: Rsn, AddtlInf* (OrgnlBkTxCd and Orgtr are not read). */
static int parse_rtrinf(struct camt *p, struct br_error *err)
{
	char line[INFO_CAP];
	struct walk w;
	int rc;

	p->t.has_return = 1;
	walk_start(p, &w, "RtrInf");
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "Rsn")) {
			rc = parse_rsn(p, err);
		} else if (is(p, "AddtlInf")) {
			if ((rc = read_text(p, "AddtlInf", line, sizeof(line), MAX105, NULL, err)) == 0)
				info_append(p->t.info, &p->t_info_cut, line);
		}
		if (rc < 0)
			return rc;
	}
	return rc;
}

static int deliver_tx(struct camt *p, struct br_error *err)
{
	int rc;

	p->e.n_txs++;
	if (!p->h->tx)
		return 0;
	if ((rc = p->h->tx(p->h->ctx, &p->t, err)) < 0) {
		br_error_set(err, (enum br_code)rc, "transactie %s van boeking %ld kon niet worden vastgelegd",
			     p->t.e2e_id[0] ? p->t.e2e_id : p->t.pmtinf_id[0] ? p->t.pmtinf_id : "(zonder kenmerk)",
			     p->t.entry_seq);
		br_error_at(err, xmlin_label(p->x), p->t.line);
		return rc;
	}
	return 0;
}

/* TxDtls: Refs, Amt (.08), AmtDtls, BkTxCd, RtrInf; delivered at its end. */
static int parse_tx(struct camt *p, struct br_error *err)
{
	struct walk w;
	int rc;

	tx_reset(p);
	walk_start(p, &w, "TxDtls");
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "Refs"))
			rc = parse_refs(p, err);
		else if (is(p, "Amt")) /* .08; it wins over AmtDtls, which follows it */
			rc = read_amount(p, "Amt", &p->t.amount_cents, p->t.ccy, err);
		else if (is(p, "AmtDtls"))
			rc = parse_amtdtls(p, err);
		else if (is(p, "BkTxCd"))
			rc = parse_btc(p, p->t.btc, err);
		else if (is(p, "RtrInf"))
			rc = parse_rtrinf(p, err);
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	rc = deliver_tx(p, err);
	p->tx_line = 0;
	return rc;
}

/* Btch: the first of the entry goes into it (camt.h). */
static int parse_btch(struct camt *p, struct br_error *err)
{
	struct camt_entry *e = &p->e;
	struct walk w;
	int rc;

	if (p->e_have_btch)
		return 0; /* walk_next() passes over its subtree */
	p->e_have_btch = 1;
	walk_start(p, &w, "Btch");
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "MsgId"))
			rc = read_id(p, "MsgId", e->btch_msg_id, err);
		else if (is(p, "PmtInfId"))
			rc = read_id(p, "PmtInfId", e->btch_pmtinf_id, err);
		else if (is(p, "NbOfTxs"))
			rc = read_count(p, "NbOfTxs", &e->btch_n_txs, err);
		else if (is(p, "TtlAmt"))
			rc = read_amount(p, "TtlAmt", &e->btch_total_cents, NULL, err);
		if (rc < 0)
			return rc;
	}
	return rc;
}

/* NtryDtls: Btch, TxDtls*. */
static int parse_ntrydtls(struct camt *p, struct br_error *err)
{
	struct walk w;
	int rc;

	walk_start(p, &w, "NtryDtls");
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "Btch"))
			rc = parse_btch(p, err);
		else if (is(p, "TxDtls"))
			rc = parse_tx(p, err);
		if (rc < 0)
			return rc;
	}
	return rc;
}

/* ---- entries ------------------------------------------------------------------ */

static void entry_reset(struct camt *p)
{
	struct camt_entry *e = &p->e;

	e->line = xmlin_line(p->x);
	e->seq = ++p->seq;
	e->amount_cents = 0;
	e->ccy[0] = e->status[0] = e->acct_svcr_ref[0] = e->btc[0] = '\0';
	e->credit = e->reversal = 0;
	e->booking_date = e->value_date = DATE_NONE;
	e->btch_msg_id[0] = e->btch_pmtinf_id[0] = e->info[0] = '\0';
	e->btch_n_txs = -1;
	e->btch_total_cents = -1;
	e->n_txs = 0;
	p->e_info_cut = p->e_have_btch = 0;
	p->ntry_line = e->line;
}

/* Sts: a code (.02), or Cd | Prtry (.08; a Prtry is reported as ""). */
static int parse_status(struct camt *p, struct br_error *err)
{
	struct walk w;
	int rc, found = 0;

	if (p->version == 2)
		return read_code(p, "Sts", p->e.status, err);
	walk_start(p, &w, "Sts");
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "Cd")) {
			rc = read_code(p, "Cd", p->e.status, err);
		} else if (is(p, "Prtry")) {
			rc = read_id(p, "Prtry", p->text, err);
			p->e.status[0] = '\0';
		} else {
			continue;
		}
		if (rc < 0)
			return rc;
		found = 1;
	}
	if (rc < 0)
		return rc;
	if (!found)
		return fail(p, err, "<Sts> heeft geen <Cd> en geen <Prtry>");
	return 0;
}

/* Bits of what an entry must have (the schema requires them, and the
 * caller cannot do without them). */
#define SEEN_AMT 1u
#define SEEN_CDTDBT 2u
#define SEEN_STS 4u

/* One child of Ntry. */
static int entry_child(struct camt *p, unsigned *seen, struct br_error *err)
{
	struct camt_entry *e = &p->e;
	size_t len = 0;
	int rc;

	if (is(p, "Amt")) {
		*seen |= SEEN_AMT;
		return read_amount(p, "Amt", &e->amount_cents, e->ccy, err);
	} else if (is(p, "CdtDbtInd")) {
		*seen |= SEEN_CDTDBT;
		return read_cdt_dbt(p, &e->credit, err);
	} else if (is(p, "RvslInd")) {
		return read_bool(p, "RvslInd", &e->reversal, err);
	} else if (is(p, "Sts")) {
		*seen |= SEEN_STS;
		return parse_status(p, err);
	} else if (is(p, "BookgDt")) {
		return read_date_choice(p, "BookgDt", &e->booking_date, err);
	} else if (is(p, "ValDt")) {
		return read_date_choice(p, "ValDt", &e->value_date, err);
	} else if (is(p, "AcctSvcrRef")) {
		return read_id(p, "AcctSvcrRef", e->acct_svcr_ref, err);
	} else if (is(p, "BkTxCd")) {
		return parse_btc(p, e->btc, err);
	} else if (is(p, "NtryDtls")) {
		return parse_ntrydtls(p, err);
	} else if (is(p, "AddtlNtryInf")) {
		if ((rc = read_text(p, "AddtlNtryInf", p->text, sizeof(p->text), MAX500, &len, err)) < 0)
			return rc;
		info_append(e->info, &p->e_info_cut, p->text);
	}
	return 0;
}

static int deliver_entry(struct camt *p, struct br_error *err)
{
	char amount[MONEY_FMT_MAX];
	int rc;

	if (!p->h->entry)
		return 0;
	if ((rc = p->h->entry(p->h->ctx, &p->e, err)) < 0) {
		br_error_set(err, (enum br_code)rc, "boeking %ld (%s %s %s) kon niet worden vastgelegd",
			     p->e.seq, p->e.credit ? "bij" : "af",
			     money_format(amount, p->e.amount_cents), p->e.ccy);
		br_error_at(err, xmlin_label(p->x), p->e.line);
		return rc;
	}
	return 0;
}

/* Ntry: its transactions go out as they are read, the entry at its end. */
static int parse_entry(struct camt *p, struct br_error *err)
{
	unsigned seen = 0;
	struct walk w;
	int rc;

	entry_reset(p);
	walk_start(p, &w, "Ntry");
	while ((rc = walk_next(p, &w, err)) > 0)
		if ((rc = entry_child(p, &seen, err)) < 0)
			return rc;
	if (rc < 0)
		return rc;
	if (!(seen & SEEN_AMT))
		return fail(p, err, "<Ntry> heeft geen <Amt>");
	if (!(seen & SEEN_CDTDBT))
		return fail(p, err, "<Ntry> heeft geen <CdtDbtInd>");
	if (!(seen & SEEN_STS))
		return fail(p, err, "<Ntry> heeft geen <Sts>");
	rc = deliver_entry(p, err);
	p->ntry_line = 0;
	return rc;
}

/* ---- statements ------------------------------------------------------------------ */

/* Stmt | Ntfctn: Id, Acct (the account callback), Ntry*. */
static int parse_stmt(struct camt *p, struct br_error *err)
{
	struct walk w;
	int rc, have_acct = 0;

	memset(&p->a, 0, sizeof(p->a));
	p->a.line = p->stmt_line = xmlin_line(p->x);
	p->n_stmts++;
	walk_start(p, &w, p->stmt_name);
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "Id") && !have_acct && !p->a.id[0]) {
			rc = read_id(p, "Id", p->a.id, err);
		} else if (is(p, "Acct") && !have_acct) {
			if (!p->a.id[0])
				return fail(p, err, "<%s> heeft geen <Id> vóór <Acct>", p->stmt_name);
			rc = parse_acct(p, err);
			have_acct = 1;
		} else if (is(p, "Ntry")) {
			if (!have_acct)
				return fail(p, err, "<Ntry> staat vóór de <Acct> van zijn <%s>", p->stmt_name);
			rc = parse_entry(p, err);
		}
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	if (!have_acct)
		return fail(p, err, "<%s> heeft geen <Acct>", p->stmt_name);
	p->stmt_line = 0;
	return 0;
}

/* BkToCstmrStmt | BkToCstmrDbtCdtNtfctn: GrpHdr, then Stmt | Ntfctn 1..n. */
static int parse_message(struct camt *p, struct br_error *err)
{
	struct walk w;
	int rc;

	walk_start(p, &w, p->msg_name);
	while ((rc = walk_next(p, &w, err)) > 0) {
		if (is(p, "GrpHdr")) {
			rc = parse_grphdr(p, err);
		} else if (is(p, p->stmt_name)) {
			if (!p->header_done)
				return fail(p, err, "<%s> staat vóór <GrpHdr>", p->stmt_name);
			rc = parse_stmt(p, err);
		}
		if (rc < 0)
			return rc;
	}
	if (rc < 0)
		return rc;
	if (!p->header_done)
		return fail(p, err, "<%s> heeft geen <GrpHdr>", p->msg_name);
	if (p->n_stmts == 0)
		return fail(p, err, "<%s> bevat geen <%s>", p->msg_name, p->stmt_name);
	return 0;
}

/* The root: Document in one of the four namespaces, which decides kind
 * and version (levering.h). */
static int parse_root(struct camt *p, struct br_error *err)
{
	static const struct {
		const char *ns;
		enum levering_kind kind;
		int version;
	} roots[] = {
		{ NS_CAMT053_02, LEVERING_CAMT053, 2 }, { NS_CAMT053_08, LEVERING_CAMT053, 8 },
		{ NS_CAMT054_02, LEVERING_CAMT054, 2 }, { NS_CAMT054_08, LEVERING_CAMT054, 8 },
	};
	const char *ns;
	size_t i;
	int rc;

	if ((rc = xmlin_read(p->x, err)) < 0)
		return rc;
	if (rc == 0)
		return xmlin_fail(p->x, err, "het bestand heeft geen rootelement");
	ns = xmlin_ns(p->x);
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (strcmp(ns, roots[i].ns) == 0)
			break;
	if (i == sizeof(roots) / sizeof(roots[0]) || strcmp(xmlin_name(p->x), "Document") != 0)
		return xmlin_fail(p->x, err,
				  "rootelement %.80s in namespace %.120s is geen bankafschrift camt.053 of camt.054 (.02, .08)",
				  xmlin_name(p->x), ns[0] ? ns : "(geen)");
	p->ns = roots[i].ns;
	p->hdr.kind = roots[i].kind;
	p->hdr.iso_version = p->version = roots[i].version;
	p->msg_name = p->hdr.kind == LEVERING_CAMT053 ? "BkToCstmrStmt" : "BkToCstmrDbtCdtNtfctn";
	p->stmt_name = p->hdr.kind == LEVERING_CAMT053 ? "Stmt" : "Ntfctn";
	return 0;
}

int camt_parse(struct xmlin *x, const struct camt_handler *h, struct br_error *err)
{
	struct camt p;
	struct walk w;
	int rc, seen = 0;

	memset(&p, 0, sizeof(p));
	p.x = x;
	p.h = h;
	p.hdr.peildatum = DATE_NONE;
	if ((rc = parse_root(&p, err)) < 0)
		goto out;
	walk_start(&p, &w, "Document");
	while ((rc = walk_next(&p, &w, err)) > 0) {
		if (seen || !is(&p, p.msg_name)) {
			rc = xmlin_fail(x, err, "<Document> in namespace %s bevat <%.80s>; het moet één <%s> bevatten",
					p.ns, xmlin_name(x), p.msg_name);
			goto out;
		}
		seen = 1;
		if ((rc = parse_message(&p, err)) < 0)
			goto out;
	}
	if (rc < 0)
		goto out;
	if (!seen) {
		rc = xmlin_fail(x, err, "<Document> bevat geen <%s>", p.msg_name);
		goto out;
	}
	/* Read to the end: the schema's verdict on the whole document. */
	while ((rc = xmlin_read(x, err)) > 0)
		;
out:
	/* issue 12: the quarantine reason first says what was refused */
	if (rc == BR_EINPUT)
		br_error_prefix(err, "%s geweigerd", p.hdr.kind == LEVERING_CAMT054 ? "melding (camt.054)" :
				p.hdr.kind == LEVERING_CAMT053 ? "afschrift (camt.053)" : "bankbestand (camt)");
	return rc < 0 ? rc : 0;
}

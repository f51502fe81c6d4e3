/*
 * pain001.c — the SEPA credit transfer file; see pain001.h for the rules
 * it enforces.
 *
 * The file, byte by byte (pain.001.001.09; V03 differences in brackets):
 *
 *   <?xml version="1.0" encoding="UTF-8"?>\n
 *   <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
 *    <CstmrCdtTrfInitn>
 *     <GrpHdr> MsgId CreDtTm NbOfTxs CtrlSum <InitgPty><Nm/></InitgPty> </GrpHdr>
 *     <PmtInf>                              one per batch, see below
 *      PmtInfId PmtMtd=TRF BtchBookg=true NbOfTxs CtrlSum
 *      <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl>[<CtgyPurp><Cd/></CtgyPurp>]</PmtTpInf>
 *      <ReqdExctnDt><Dt>YYYY-MM-DD</Dt></ReqdExctnDt>   [V03: <ReqdExctnDt>YYYY-MM-DD</ReqdExctnDt>]
 *      <Dbtr><Nm/></Dbtr> <DbtrAcct><Id><IBAN/></Id></DbtrAcct>
 *      <DbtrAgt><FinInstnId><BICFI/>                   [V03: <BIC/>]
 *           or <Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>
 *      <ChrgBr>SLEV</ChrgBr>
 *      <CdtTrfTxInf>                        one per transaction
 *       <PmtId><EndToEndId/></PmtId> <Amt><InstdAmt Ccy="EUR">12.34</InstdAmt></Amt>
 *       [<CdtrAgt><FinInstnId><BICFI/></FinInstnId></CdtrAgt>]   only with a BIC
 *       <Cdtr><Nm/></Cdtr> <CdtrAcct><Id><IBAN/></Id></CdtrAcct>
 *       <Purp><Cd>SSBE|purp_derden</Cd></Purp> [<RmtInf><Ustrd/></RmtInf>]
 *      </CdtTrfTxInf>
 *     </PmtInf>
 *    </CstmrCdtTrfInitn>
 *   </Document>                             no line break after it
 *
 * Element order is that of the ISO schemas (GroupHeader85 /
 * PaymentInstruction30 / CreditTransferTransaction34, and GroupHeader32 /
 * PaymentInstructionInformation3 / CreditTransferTransactionInformation10
 * for V03) and of the EPC 2023 SCT C2PSP restriction of V09.
 *
 * BtchBookg is written, always "true": the bank books one debit per PmtInf
 * (its CtrlSum) instead of one statement line per benefit, which is what a
 * run of 100,000 payments needs, and leaving it out would let each bank
 * apply its own default.  Payments are matched one by one through
 * EndToEndId in pain.002 anyway.
 *
 * Pass 1 checks every parameter and transaction and computes the batches
 * (consecutive transactions of the same kind, at most max_per_batch each)
 * before the temporary file even exists; pass 2 writes and checks that the
 * source returned exactly the same transactions (same batches, sums and a
 * 64-bit fingerprint of every field), otherwise nothing is left behind.
 */
#include "pain001.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>

#include "date.h"
#include "fsutil.h"
#include "iban.h"
#include "money.h"
#include "reden_nl.h"

#include "mem.h"
#include "banned.h"

#define NS_V09 "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
#define NS_V03 "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

/* EPC 2023: InstdAmt 0.01 .. 999999999.99 */
#define AMOUNT_MIN_CENTS INT64_C(1)
#define AMOUNT_MAX_CENTS INT64_C(99999999999)

/* A name or remittance holding this many consecutive digits may be a BSN. */
#define BSN_DIGIT_RUN 9

/* ------------------------------------------------------------------ */
/* Transliteration (payments.md "Creditor name")                       */

/*
 * Base letters of the precomposed Latin letters, generated from the
 * Unicode 14 canonical decompositions (first code point of the NFD form
 * when the rest are combining marks U+0300..U+036F), plus the letters that
 * have no decomposition: Æ→AE, Ø→O, Œ→OE, Đ→D, Þ→TH, ð→d, ß→ss, ı→i,
 * ł→l, Ĳ→IJ, ŉ→n, ſ→s, Ŧ→T, ... "" = not a letter we know: a space.
 */
static const char latin_c0_24f[0x24F - 0xC0 + 1][3] = {
	/* 00C0 */ "A", "A", "A", "A", "A", "A", "AE", "C",
	/* 00C8 */ "E", "E", "E", "E", "I", "I", "I", "I",
	/* 00D0 */ "D", "N", "O", "O", "O", "O", "O", "",
	/* 00D8 */ "O", "U", "U", "U", "U", "Y", "TH", "ss",
	/* 00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* 00E8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* 00F0 */ "d", "n", "o", "o", "o", "o", "o", "",
	/* 00F8 */ "o", "u", "u", "u", "u", "y", "th", "y",
	/* 0100 */ "A", "a", "A", "a", "A", "a", "C", "c",
	/* 0108 */ "C", "c", "C", "c", "C", "c", "D", "d",
	/* 0110 */ "D", "d", "E", "e", "E", "e", "E", "e",
	/* 0118 */ "E", "e", "E", "e", "G", "g", "G", "g",
	/* 0120 */ "G", "g", "G", "g", "H", "h", "H", "h",
	/* 0128 */ "I", "i", "I", "i", "I", "i", "I", "i",
	/* 0130 */ "I", "i", "IJ", "ij", "J", "j", "K", "k",
	/* 0138 */ "k", "L", "l", "L", "l", "L", "l", "L",
	/* 0140 */ "l", "L", "l", "N", "n", "N", "n", "N",
	/* 0148 */ "n", "n", "N", "n", "O", "o", "O", "o",
	/* 0150 */ "O", "o", "OE", "oe", "R", "r", "R", "r",
	/* 0158 */ "R", "r", "S", "s", "S", "s", "S", "s",
	/* 0160 */ "S", "s", "T", "t", "T", "t", "T", "t",
	/* 0168 */ "U", "u", "U", "u", "U", "u", "U", "u",
	/* 0170 */ "U", "u", "U", "u", "W", "w", "Y", "y",
	/* 0178 */ "Y", "Z", "z", "Z", "z", "Z", "z", "s",
	/* 0180 */ "b", "B", "B", "b", "", "", "O", "C",
	/* 0188 */ "c", "D", "D", "D", "d", "", "E", "E",
	/* 0190 */ "E", "F", "f", "G", "", "", "", "I",
	/* 0198 */ "K", "k", "l", "", "", "N", "n", "O",
	/* 01A0 */ "O", "o", "", "", "P", "p", "", "",
	/* 01A8 */ "", "", "", "t", "T", "t", "T", "U",
	/* 01B0 */ "u", "", "V", "Y", "y", "Z", "z", "",
	/* 01B8 */ "", "", "", "", "", "", "", "",
	/* 01C0 */ "", "", "", "", "DZ", "Dz", "dz", "LJ",
	/* 01C8 */ "Lj", "lj", "NJ", "Nj", "nj", "A", "a", "I",
	/* 01D0 */ "i", "O", "o", "U", "u", "U", "u", "U",
	/* 01D8 */ "u", "U", "u", "U", "u", "e", "A", "a",
	/* 01E0 */ "A", "a", "AE", "ae", "G", "g", "G", "g",
	/* 01E8 */ "K", "k", "O", "o", "O", "o", "", "",
	/* 01F0 */ "j", "DZ", "Dz", "dz", "G", "g", "", "",
	/* 01F8 */ "N", "n", "A", "a", "AE", "ae", "O", "o",
	/* 0200 */ "A", "a", "A", "a", "E", "e", "E", "e",
	/* 0208 */ "I", "i", "I", "i", "O", "o", "O", "o",
	/* 0210 */ "R", "r", "R", "r", "U", "u", "U", "u",
	/* 0218 */ "S", "s", "T", "t", "", "", "H", "h",
	/* 0220 */ "", "d", "", "", "Z", "z", "A", "a",
	/* 0228 */ "E", "e", "O", "o", "O", "o", "O", "o",
	/* 0230 */ "O", "o", "Y", "y", "l", "n", "t", "j",
	/* 0238 */ "db", "qp", "A", "C", "c", "L", "T", "s",
	/* 0240 */ "z", "", "", "B", "U", "", "E", "e",
	/* 0248 */ "J", "j", "Q", "q", "R", "r", "Y", "y",
};
static const char latin_1e00_1eff[0x1EFF - 0x1E00 + 1][3] = {
	/* 1E00 */ "A", "a", "B", "b", "B", "b", "B", "b",
	/* 1E08 */ "C", "c", "D", "d", "D", "d", "D", "d",
	/* 1E10 */ "D", "d", "D", "d", "E", "e", "E", "e",
	/* 1E18 */ "E", "e", "E", "e", "E", "e", "F", "f",
	/* 1E20 */ "G", "g", "H", "h", "H", "h", "H", "h",
	/* 1E28 */ "H", "h", "H", "h", "I", "i", "I", "i",
	/* 1E30 */ "K", "k", "K", "k", "K", "k", "L", "l",
	/* 1E38 */ "L", "l", "L", "l", "L", "l", "M", "m",
	/* 1E40 */ "M", "m", "M", "m", "N", "n", "N", "n",
	/* 1E48 */ "N", "n", "N", "n", "O", "o", "O", "o",
	/* 1E50 */ "O", "o", "O", "o", "P", "p", "P", "p",
	/* 1E58 */ "R", "r", "R", "r", "R", "r", "R", "r",
	/* 1E60 */ "S", "s", "S", "s", "S", "s", "S", "s",
	/* 1E68 */ "S", "s", "T", "t", "T", "t", "T", "t",
	/* 1E70 */ "T", "t", "U", "u", "U", "u", "U", "u",
	/* 1E78 */ "U", "u", "U", "u", "V", "v", "V", "v",
	/* 1E80 */ "W", "w", "W", "w", "W", "w", "W", "w",
	/* 1E88 */ "W", "w", "X", "x", "X", "x", "Y", "y",
	/* 1E90 */ "Z", "z", "Z", "z", "Z", "z", "h", "t",
	/* 1E98 */ "w", "y", "a", "s", "s", "s", "SS", "",
	/* 1EA0 */ "A", "a", "A", "a", "A", "a", "A", "a",
	/* 1EA8 */ "A", "a", "A", "a", "A", "a", "A", "a",
	/* 1EB0 */ "A", "a", "A", "a", "A", "a", "A", "a",
	/* 1EB8 */ "E", "e", "E", "e", "E", "e", "E", "e",
	/* 1EC0 */ "E", "e", "E", "e", "E", "e", "E", "e",
	/* 1EC8 */ "I", "i", "I", "i", "O", "o", "O", "o",
	/* 1ED0 */ "O", "o", "O", "o", "O", "o", "O", "o",
	/* 1ED8 */ "O", "o", "O", "o", "O", "o", "O", "o",
	/* 1EE0 */ "O", "o", "O", "o", "U", "u", "U", "u",
	/* 1EE8 */ "U", "u", "U", "u", "U", "u", "U", "u",
	/* 1EF0 */ "U", "u", "Y", "y", "Y", "y", "Y", "y",
	/* 1EF8 */ "Y", "y", "LL", "ll", "", "", "", "",
};

/* The EPC basic Latin set: a-z A-Z 0-9 / - ? : ( ) . , ' + space. */
static int basic_char(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("/-?:().,'+ ", c) != NULL;
}

static int ascii_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * One code point from NUL-terminated UTF-8 at s[*i]; advances *i.  Strict
 * (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF, no
 * truncated sequence.  Returns 0 or -1.
 */
static int utf8_next(const unsigned char *s, size_t *i, uint32_t *out)
{
	unsigned char c = s[*i];
	uint32_t cp, min;
	int more, k;

	if (c < 0x80) {
		*out = c;
		(*i)++;
		return 0;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		cp = c & 0x1Fu;
		more = 1;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		cp = c & 0x0Fu;
		more = 2;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		cp = c & 0x07u;
		more = 3;
		min = 0x10000;
	} else {
		return -1;
	}
	for (k = 1; k <= more; k++) {
		unsigned char cc = s[*i + (size_t)k];

		if ((cc & 0xC0u) != 0x80u) /* also stops at the NUL */
			return -1;
		cp = (cp << 6) | (cc & 0x3Fu);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*i += (size_t)more + 1;
	*out = cp;
	return 0;
}

/* What a code point becomes: its ASCII replacement ("" = a space). */
static const char *translit_cp(uint32_t cp, char one[2], int *is_letter)
{
	*is_letter = 0;
	if (cp < 0x80) {
		if (cp == '&')
			return "+";
		if (!basic_char((unsigned char)cp))
			return "";
		one[0] = (char)cp;
		one[1] = '\0';
		*is_letter = ascii_letter((unsigned char)cp);
		return one;
	}
	if (cp >= 0xC0 && cp <= 0x24F) {
		const char *r = latin_c0_24f[cp - 0xC0];

		*is_letter = r[0] != '\0';
		return r;
	}
	if (cp >= 0x1E00 && cp <= 0x1EFF) {
		const char *r = latin_1e00_1eff[cp - 0x1E00];

		*is_letter = r[0] != '\0';
		return r;
	}
	return "";
}

int pain001_translit(char *out, size_t cap, const char *utf8, size_t max_chars, struct br_error *err)
{
	const unsigned char *s = (const unsigned char *)utf8;
	size_t i = 0, len = 0, limit;
	int pending_space = 0, after_letter = 0;

	if (!out || cap == 0)
		return br_error_set(err, BR_EINTERNAL, "pain001_translit aangeroepen zonder uitvoerbuffer");
	out[0] = '\0';
	if (!s)
		return 0;
	limit = max_chars < cap - 1 ? max_chars : cap - 1;
	if (limit > INT_MAX)
		limit = INT_MAX;
	/* Keep decoding after the cut: invalid UTF-8 anywhere is refused. */
	while (s[i]) {
		size_t at = i;
		uint32_t cp;
		char one[2];
		const char *r;
		int letter;

		if (utf8_next(s, &i, &cp) < 0) {
			out[0] = '\0';
			return br_error_set(err, BR_EINPUT, "geen geldige UTF-8 (byte %zu)", at + 1);
		}
		if (cp >= 0x300 && cp <= 0x36F && after_letter)
			continue; /* a combining mark on a letter: NFC + base letter */
		r = translit_cp(cp, one, &letter);
		if (!r[0])
			pending_space = 1;
		for (; *r; r++) {
			if (*r == ' ') {
				pending_space = 1;
				continue;
			}
			if (pending_space && len > 0 && len < limit)
				out[len++] = ' ';
			pending_space = 0;
			if (len < limit)
				out[len++] = *r;
		}
		after_letter = letter;
	}
	while (len > 0 && out[len - 1] == ' ')
		len--;
	out[len] = '\0';
	return (int)len;
}

/* ------------------------------------------------------------------ */
/* Identifiers, codes, BICs                                            */

/* NULL when `id` (at most `cap` bytes, NUL included) is a valid
 * identifier, else what is wrong with it. */
static const char *id_problem(const char *id, size_t cap)
{
	size_t len, k;

	if (!id || !memchr(id, '\0', cap))
		return "is langer dan 35 tekens";
	len = strlen(id);
	if (len == 0)
		return "is leeg";
	if (len > PAIN001_ID_MAX)
		return "is langer dan 35 tekens";
	for (k = 0; k < len; k++) {
		/* the basic set, without the space: banks trim and split on it */
		if (id[k] == ' ' || !basic_char((unsigned char)id[k]))
			return "bevat een teken buiten de EPC-basisset van Latijnse tekens (of een spatie)";
	}
	if (id[0] == '/')
		return "begint met '/'";
	if (id[len - 1] == '/')
		return "eindigt op '/'";
	if (strstr(id, "//"))
		return "bevat '//'";
	return NULL;
}

int pain001_id_valid(const char *id)
{
	return id && id_problem(id, strnlen(id, PAIN001_ID_MAX + 1) + 1) == NULL;
}

/* An ISO external code as written by betaalrun: four upper-case letters. */
static int code_ok(const char *s, size_t cap)
{
	size_t k;

	if (!memchr(s, '\0', cap) || strlen(s) != 4)
		return 0;
	for (k = 0; k < 4; k++)
		if (s[k] < 'A' || s[k] > 'Z')
			return 0;
	return 1;
}

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_upper_digit(char c) { return is_upper(c) || (c >= '0' && c <= '9'); }

/*
 * V09 BICFIDec2014Identifier: [A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?
 * V03 BICIdentifier: [A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?
 */
static int bic_ok(const char *bic, size_t cap, int version)
{
	size_t len, k;

	if (!memchr(bic, '\0', cap))
		return 0;
	len = strlen(bic);
	if (len != 8 && len != 11)
		return 0;
	for (k = 0; k < len; k++) {
		if (!is_upper_digit(bic[k]))
			return 0;
		if ((k == 4 || k == 5) && !is_upper(bic[k]))
			return 0;
		if (version == 3 && k < 4 && !is_upper(bic[k]))
			return 0;
	}
	if (version == 3 && (bic[6] == '0' || bic[6] == '1' || bic[7] == 'O'))
		return 0;
	return 1;
}

/* A run of BSN_DIGIT_RUN or more digits: possibly a BSN. */
static int has_digit_run(const char *s)
{
	int run = 0;

	for (; *s; s++) {
		run = (*s >= '0' && *s <= '9') ? run + 1 : 0;
		if (run >= BSN_DIGIT_RUN)
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Pass 1: parameters, transactions, batches                           */

struct hdr_text {
	char initiator[PAIN001_NAME_MAX + 1];
	char debtor[PAIN001_NAME_MAX + 1];
	char cre_dt_tm[TIMESTAMP_FMT_MAX];
	char reqd_exctn_dt[DATE_FMT_MAX];
};

struct tx_text {
	char name[PAIN001_NAME_MAX + 1];
	char ustrd[PAIN001_USTRD_MAX + 1];
};

struct batch {
	enum pain001_kind kind;
	long n_tx;
	int64_t sum_cents;
	char id[PAIN001_ID_MAX + 1];
};

struct plan {
	struct batch *b;
	size_t n, cap;
	int n_client, n_derde;  /* batches numbered per kind: -K1.., -D1.. */
	long n_tx;
	int64_t sum_cents;
	uint64_t fingerprint;
};

/* Transliterate a party name (≤ 70) that must not come out empty. */
static int party_name(char out[PAIN001_NAME_MAX + 1], const char *utf8, const char *what,
		      struct br_error *err)
{
	struct br_error e;
	int n;

	br_error_clear(&e);
	if ((n = pain001_translit(out, PAIN001_NAME_MAX + 1, utf8, PAIN001_NAME_MAX, &e)) < 0)
		return br_error_set(err, (enum br_code)n, "%s is %s", what, e.msg);
	if (n == 0)
		return br_error_set(err, BR_EINPUT, "%s is leeg na omzetting naar de EPC-basisset van Latijnse tekens",
				    what);
	if (has_digit_run(out))
		return br_error_set(err, BR_EINPUT, "%s bevat %d of meer cijfers achter elkaar (mogelijk een BSN)", what,
				    BSN_DIGIT_RUN);
	return 0;
}

static int in_years(int32_t day)
{
	return day >= date_from_ymd(1900, 1, 1) && day <= date_from_ymd(2199, 12, 31);
}

static int check_params(const struct pain001_params *p, struct hdr_text *h, struct br_error *err)
{
	char nl[BR_ERROR_MSG_MAX];
	struct br_error e;
	const char *why;
	int rc;

	if (p->version != 9 && p->version != 3)
		return br_error_set(err, BR_EINPUT, "pain.001-versie %d wordt niet ondersteund (9 of 3)", p->version);
	if ((why = id_problem(p->msg_id, sizeof(p->msg_id))) != NULL)
		return br_error_set(err, BR_EINPUT, "MsgId %s", why);
	if (p->max_per_batch < 1)
		return br_error_set(err, BR_EINPUT, "max_per_batch is %d; minstens 1", p->max_per_batch);
	if (p->cre_dt_tm < timestamp_from(date_from_ymd(1900, 1, 1), 0, 0, 0) ||
	    p->cre_dt_tm > timestamp_from(date_from_ymd(2199, 12, 31), 23, 59, 59))
		return br_error_set(err, BR_EINPUT, "CreDtTm ligt buiten de jaren 1900..2199");
	if (!in_years(p->reqd_exctn_dt))
		return br_error_set(err, BR_EINPUT, "ReqdExctnDt ligt buiten de jaren 1900..2199");
	/* payments.md: never before the day the run is prepared */
	if (p->reqd_exctn_dt < timestamp_day(p->cre_dt_tm))
		return br_error_set(err, BR_EINPUT, "ReqdExctnDt ligt vóór de dag van CreDtTm");
	timestamp_format(h->cre_dt_tm, p->cre_dt_tm);
	date_format(h->reqd_exctn_dt, p->reqd_exctn_dt);
	if ((rc = party_name(h->initiator, p->initiator_name, "naam van de opdrachtgever (InitgPty/Nm)", err)) < 0)
		return rc;
	if ((rc = party_name(h->debtor, p->debtor_name, "naam van de betaler (Dbtr/Nm)", err)) < 0)
		return rc;
	br_error_clear(&e);
	if (!memchr(p->debtor_iban, '\0', sizeof(p->debtor_iban)))
		return br_error_set(err, BR_EINPUT, "het IBAN van de betaler is langer dan %d tekens", IBAN_MAX);
	if (iban_validate(p->debtor_iban, &e) < 0)
		return br_error_set(err, BR_EINPUT, "%s: de rekening van de betaler (DbtrAcct)",
				    reden_nl(nl, sizeof(nl), e.msg));
	if (!memchr(p->debtor_bic, '\0', sizeof(p->debtor_bic)) ||
	    (p->debtor_bic[0] && !bic_ok(p->debtor_bic, sizeof(p->debtor_bic), p->version)))
		return br_error_set(err, BR_EINPUT, "de BIC van de betaler is geen geldige BIC (8 of 11 tekens)");
	if (!memchr(p->purp_derden, '\0', sizeof(p->purp_derden)) ||
	    (p->purp_derden[0] && !code_ok(p->purp_derden, sizeof(p->purp_derden))))
		return br_error_set(err, BR_EINPUT, "de doelcode voor derden (purpose code) is geen vier letters A-Z");
	if (!memchr(p->ctgy_purp, '\0', sizeof(p->ctgy_purp)) ||
	    (p->ctgy_purp[0] && !code_ok(p->ctgy_purp, sizeof(p->ctgy_purp))))
		return br_error_set(err, BR_EINPUT, "de categoriedoelcode (category purpose) is geen vier letters A-Z");
	return 0;
}

/* "transaction 12 (EndToEndId X)" for messages; X only when it is sound. */
static const char *tx_where(char *buf, size_t cap, long n, const struct pain001_tx *tx)
{
	if (id_problem(tx->end_to_end_id, sizeof(tx->end_to_end_id)) == NULL)
		snprintf(buf, cap, "transactie %ld (EndToEndId %s)", n, tx->end_to_end_id);
	else
		snprintf(buf, cap, "transactie %ld", n);
	return buf;
}

/* Every rule a single transaction must obey; fills the texts to write. */
static int check_tx(const struct pain001_params *p, const struct pain001_tx *tx, long n,
		    struct tx_text *t, struct br_error *err)
{
	char where[96], what[160], amt[MONEY_FMT_MAX], nl[BR_ERROR_MSG_MAX];
	struct br_error e;
	const char *why;
	int rc;

	tx_where(where, sizeof(where), n, tx);
	if (tx->kind != PAIN001_CLIENT && tx->kind != PAIN001_DERDE)
		return br_error_set(err, BR_EINPUT, "onbekende soort betaling %d: %s", (int)tx->kind, where);
	if ((why = id_problem(tx->end_to_end_id, sizeof(tx->end_to_end_id))) != NULL)
		return br_error_set(err, BR_EINPUT, "EndToEndId %s: %s", why, where);
	if (tx->amount_cents < AMOUNT_MIN_CENTS || tx->amount_cents > AMOUNT_MAX_CENTS)
		return br_error_set(err, BR_EINPUT, "bedrag %s ligt buiten 0.01 .. 999999999.99: %s",
				    money_format(amt, tx->amount_cents), where);
	if (!memchr(tx->iban, '\0', sizeof(tx->iban)))
		return br_error_set(err, BR_EINPUT, "het IBAN van de begunstigde is langer dan %d tekens: %s", IBAN_MAX,
				    where);
	br_error_clear(&e);
	if (iban_validate(tx->iban, &e) < 0)
		return br_error_set(err, BR_EINPUT, "%s: %s", reden_nl(nl, sizeof(nl), e.msg), where);
	if (!memchr(tx->bic, '\0', sizeof(tx->bic)) ||
	    (tx->bic[0] && !bic_ok(tx->bic, sizeof(tx->bic), p->version)))
		return br_error_set(err, BR_EINPUT, "de BIC van de begunstigde is geen geldige BIC (8 of 11 tekens): %s",
				    where);
	if (tx->kind == PAIN001_DERDE && !p->purp_derden[0])
		return br_error_set(err, BR_EINPUT, "geen doelcode (purpose code) ingesteld voor betalingen aan derden: %s",
				    where);
	snprintf(what, sizeof(what), "naam van de begunstigde van %s", where);
	if ((rc = party_name(t->name, tx->creditor_name, what, err)) < 0)
		return rc;
	br_error_clear(&e);
	if ((rc = pain001_translit(t->ustrd, sizeof(t->ustrd), tx->remittance, PAIN001_USTRD_MAX, &e)) < 0)
		return br_error_set(err, (enum br_code)rc, "omschrijving is %s: %s", e.msg, where);
	if (has_digit_run(t->ustrd))
		return br_error_set(err, BR_EINPUT, "omschrijving bevat %d of meer cijfers achter elkaar (mogelijk een BSN): %s",
				    BSN_DIGIT_RUN, where);
	return 0;
}

/* FNV-1a over every field, to prove pass 2 saw what pass 1 checked. */
static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *s = data;
	size_t k;

	for (k = 0; k < len; k++) {
		h ^= s[k];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

static uint64_t fnv_str(uint64_t h, const char *s, size_t cap)
{
	size_t len;

	if (!s)
		return fnv(h, "\xff", 1);
	len = cap ? strnlen(s, cap) : strlen(s);
	h = fnv(h, s, len);
	return fnv(h, "", 1);
}

static uint64_t tx_fingerprint(uint64_t h, const struct pain001_tx *tx)
{
	unsigned char num[9];
	uint64_t a = (uint64_t)tx->amount_cents;
	int k;

	num[0] = (unsigned char)tx->kind;
	for (k = 0; k < 8; k++)
		num[k + 1] = (unsigned char)(a >> (8 * k));
	h = fnv(h, num, sizeof(num));
	h = fnv_str(h, tx->end_to_end_id, sizeof(tx->end_to_end_id));
	h = fnv_str(h, tx->iban, sizeof(tx->iban));
	h = fnv_str(h, tx->bic, sizeof(tx->bic));
	h = fnv_str(h, tx->creditor_name, 0);
	return fnv_str(h, tx->remittance, 0);
}

/* Open-addressing set of EndToEndIds (uniqueness within the file). */
struct idset {
	char (*slot)[PAIN001_ID_MAX + 1]; /* "" = free */
	size_t cap, n;
};

static size_t idset_home(const char *id, size_t cap)
{
	return (size_t)(fnv(UINT64_C(14695981039346656037), id, strlen(id)) & (cap - 1));
}

static int idset_grow(struct idset *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 1024, k;
	char (*ns)[PAIN001_ID_MAX + 1];

	if (ncap < s->cap || ncap > SIZE_MAX / sizeof(*ns))
		return BR_ENOMEM;
	if (!(ns = calloc(ncap, sizeof(*ns))))
		return BR_ENOMEM;
	for (k = 0; k < s->cap; k++) {
		size_t h;

		if (!s->slot[k][0])
			continue;
		for (h = idset_home(s->slot[k], ncap); ns[h][0]; h = (h + 1) & (ncap - 1))
			;
		memcpy(ns[h], s->slot[k], sizeof(ns[h]));
	}
	free(s->slot);
	s->slot = ns;
	s->cap = ncap;
	return 0;
}

/* 1 added, 0 already present, BR_ENOMEM. `id` is valid (non-empty). */
static int idset_add(struct idset *s, const char *id)
{
	size_t h;
	int rc;

	if ((s->n + 1) * 2 > s->cap && (rc = idset_grow(s)) < 0)
		return rc;
	for (h = idset_home(id, s->cap); s->slot[h][0]; h = (h + 1) & (s->cap - 1))
		if (strcmp(s->slot[h], id) == 0)
			return 0;
	memcpy(s->slot[h], id, strlen(id) + 1);
	s->n++;
	return 1;
}

static void idset_release(struct idset *s)
{
	free(s->slot);
	s->slot = NULL;
	s->cap = s->n = 0;
}

/* Count the transaction into the current batch or open the next one. */
static int plan_add(struct plan *pl, const struct pain001_params *p, const struct pain001_tx *tx,
		    const char *where, struct br_error *err)
{
	struct batch *b = pl->n ? &pl->b[pl->n - 1] : NULL;
	struct br_error e;

	if (!b || b->kind != tx->kind || b->n_tx >= p->max_per_batch) {
		int num, len;

		if (pl->n >= INT_MAX || mem_grow((void **)&pl->b, &pl->cap, pl->n + 1, sizeof(*pl->b)) < 0)
			return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het indelen van de batches");
		num = tx->kind == PAIN001_CLIENT ? ++pl->n_client : ++pl->n_derde;
		b = &pl->b[pl->n++];
		memset(b, 0, sizeof(*b));
		b->kind = tx->kind;
		len = snprintf(b->id, sizeof(b->id), "%s-%c%d", p->msg_id, tx->kind == PAIN001_CLIENT ? 'K' : 'D',
			       num);
		if (len < 0 || len > PAIN001_ID_MAX)
			return br_error_set(err, BR_EINPUT,
					    "PmtInfId %s-%c%d zou %d tekens worden, ten hoogste %d: MsgId %s is te "
					    "lang voor %d batches",
					    p->msg_id, tx->kind == PAIN001_CLIENT ? 'K' : 'D', num, len, PAIN001_ID_MAX,
					    p->msg_id, num);
	}
	br_error_clear(&e);
	if (money_add(&b->sum_cents, b->sum_cents, tx->amount_cents, &e) < 0 ||
	    money_add(&pl->sum_cents, pl->sum_cents, tx->amount_cents, &e) < 0)
		return br_error_set(err, BR_EINPUT, "het controletotaal van het bestand wordt groter dan het grootste bedrag: %s", where);
	b->n_tx++;
	pl->n_tx++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Pass 2: the XML stream                                              */

struct io {
	int fd;
	int errnum; /* first write(2) failure */
};

static int io_write(void *ctx, const char *buf, int len)
{
	struct io *io = ctx;
	size_t left = len > 0 ? (size_t)len : 0;

	while (left) {
		ssize_t n = write(io->fd, buf, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!io->errnum)
				io->errnum = n < 0 ? errno : EIO;
			return -1;
		}
		buf += n;
		left -= (size_t)n;
	}
	return len;
}

static int io_close(void *ctx)
{
	(void)ctx; /* the fd is fsync'ed and closed by pain001_write */
	return 0;
}

/* xmlTextWriter with a sticky failure: after the first error every call
 * is a no-op and xw_status translates it (style.md "Errors"). */
struct xw {
	xmlTextWriterPtr w;
	struct io *io;
	const char *path;
	const char *failed_at; /* element being written at the first failure */
};

#define XC(s) ((const xmlChar *)(s))

static void xw_fail(struct xw *x, const char *at, int rc)
{
	if (rc < 0 && !x->failed_at)
		x->failed_at = at;
}

static void xw_start(struct xw *x, const char *name)
{
	if (!x->failed_at)
		xw_fail(x, name, xmlTextWriterStartElement(x->w, XC(name)));
}

static void xw_end(struct xw *x)
{
	if (!x->failed_at)
		xw_fail(x, "eindtag", xmlTextWriterEndElement(x->w));
}

static void xw_elem(struct xw *x, const char *name, const char *text)
{
	if (!x->failed_at)
		xw_fail(x, name, xmlTextWriterWriteElement(x->w, XC(name), XC(text)));
}

/* <name><inner>text</inner></name> */
static void xw_elem2(struct xw *x, const char *name, const char *inner, const char *text)
{
	xw_start(x, name);
	xw_elem(x, inner, text);
	xw_end(x);
}

/* Amounts are euro, always: no other currency can be written. */
static void xw_amount(struct xw *x, int64_t cents)
{
	char buf[MONEY_FMT_MAX];

	xw_start(x, "InstdAmt");
	if (!x->failed_at)
		xw_fail(x, "InstdAmt", xmlTextWriterWriteAttribute(x->w, XC("Ccy"), XC("EUR")));
	if (!x->failed_at)
		xw_fail(x, "InstdAmt", xmlTextWriterWriteString(x->w, XC(money_format(buf, cents))));
	xw_end(x);
}

static int xw_status(const struct xw *x, struct br_error *err)
{
	const xmlError *e;

	if (x->io->errnum)
		return br_error_set(err, BR_EIO, "%s kan niet worden geschreven: %s", x->path, strerror(x->io->errnum));
	if (!x->failed_at)
		return 0;
	e = xmlGetLastError();
	if (e && e->message) {
		size_t len = strlen(e->message);

		while (len > 0 && (e->message[len - 1] == '\n' || e->message[len - 1] == ' '))
			len--;
		return br_error_set(err, BR_EIO, "libxml2 kan <%s> niet naar %s schrijven: %.*s", x->failed_at, x->path,
				    (int)len, e->message);
	}
	return br_error_set(err, BR_EIO, "libxml2 kan <%s> niet naar %s schrijven", x->failed_at, x->path);
}

/* <FinInstnId> of an agent: the BIC, or (debtor only) NOTPROVIDED. */
static void write_agent(struct xw *x, const char *agent, const char *bic, int version)
{
	xw_start(x, agent);
	xw_start(x, "FinInstnId");
	if (bic[0])
		xw_elem(x, version == 3 ? "BIC" : "BICFI", bic);
	else
		xw_elem2(x, "Othr", "Id", "NOTPROVIDED");
	xw_end(x);
	xw_end(x);
}

static void write_account(struct xw *x, const char *name, const char *iban)
{
	xw_start(x, name);
	xw_elem2(x, "Id", "IBAN", iban);
	xw_end(x);
}

static void write_grphdr(struct xw *x, const struct pain001_params *p, const struct hdr_text *h,
			 const struct plan *pl)
{
	char num[24], sum[MONEY_FMT_MAX];

	snprintf(num, sizeof(num), "%ld", pl->n_tx);
	xw_start(x, "GrpHdr");
	xw_elem(x, "MsgId", p->msg_id);
	xw_elem(x, "CreDtTm", h->cre_dt_tm);
	xw_elem(x, "NbOfTxs", num);
	xw_elem(x, "CtrlSum", money_format(sum, pl->sum_cents));
	xw_elem2(x, "InitgPty", "Nm", h->initiator);
	xw_end(x);
}

/* Everything of a PmtInf up to its first CdtTrfTxInf. */
static void write_pmtinf_start(struct xw *x, const struct pain001_params *p, const struct hdr_text *h,
			       const struct batch *b)
{
	char num[24], sum[MONEY_FMT_MAX];

	snprintf(num, sizeof(num), "%ld", b->n_tx);
	xw_start(x, "PmtInf");
	xw_elem(x, "PmtInfId", b->id);
	xw_elem(x, "PmtMtd", "TRF");
	xw_elem(x, "BtchBookg", "true");
	xw_elem(x, "NbOfTxs", num);
	xw_elem(x, "CtrlSum", money_format(sum, b->sum_cents));
	xw_start(x, "PmtTpInf");
	xw_elem2(x, "SvcLvl", "Cd", "SEPA");
	if (p->ctgy_purp[0])
		xw_elem2(x, "CtgyPurp", "Cd", p->ctgy_purp);
	xw_end(x);
	if (p->version == 3)
		xw_elem(x, "ReqdExctnDt", h->reqd_exctn_dt);
	else
		xw_elem2(x, "ReqdExctnDt", "Dt", h->reqd_exctn_dt);
	xw_elem2(x, "Dbtr", "Nm", h->debtor);
	write_account(x, "DbtrAcct", p->debtor_iban);
	write_agent(x, "DbtrAgt", p->debtor_bic, p->version);
	xw_elem(x, "ChrgBr", "SLEV");
}

static void write_tx(struct xw *x, const struct pain001_params *p, const struct pain001_tx *tx,
		     const struct tx_text *t)
{
	xw_start(x, "CdtTrfTxInf");
	xw_elem2(x, "PmtId", "EndToEndId", tx->end_to_end_id);
	xw_start(x, "Amt");
	xw_amount(x, tx->amount_cents);
	xw_end(x);
	if (tx->bic[0])
		write_agent(x, "CdtrAgt", tx->bic, p->version);
	xw_elem2(x, "Cdtr", "Nm", t->name);
	write_account(x, "CdtrAcct", tx->iban);
	xw_elem2(x, "Purp", "Cd", tx->kind == PAIN001_CLIENT ? "SSBE" : p->purp_derden);
	if (t->ustrd[0])
		xw_elem2(x, "RmtInf", "Ustrd", t->ustrd);
	xw_end(x);
}

/* The directory part of `path` ("." when there is none). */
static int dir_of(char *out, size_t cap, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash) {
		if (cap < 2)
			return -1;
		memcpy(out, ".", 2);
		return 0;
	}
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= cap)
		return -1;
	memcpy(out, path, n);
	out[n] = '\0';
	return 0;
}

static int source_failed(int rc, long n, int pass, struct br_error *err)
{
	return br_error_set(err, (enum br_code)rc, "de transactiebron faalde bij transactie %ld (ronde %d)", n,
			    pass);
}

/* Pass 1: every rule, the batches, the sums. */
static int plan_file(struct plan *pl, const struct pain001_params *p, const struct pain001_source *src,
		     struct br_error *err)
{
	struct idset ids = { NULL, 0, 0 };
	struct pain001_tx tx;
	struct tx_text t;
	char where[96];
	long n = 0;
	int rc;

	pl->fingerprint = UINT64_C(14695981039346656037);
	if ((rc = src->rewind(src->ctx, err)) < 0) {
		rc = source_failed(rc, 0, 1, err);
		goto out;
	}
	for (;;) {
		memset(&tx, 0, sizeof(tx));
		if ((rc = src->next(src->ctx, &tx, err)) < 0) {
			rc = source_failed(rc, n + 1, 1, err);
			goto out;
		}
		if (rc == 0)
			break;
		n++;
		if ((rc = check_tx(p, &tx, n, &t, err)) < 0)
			goto out;
		tx_where(where, sizeof(where), n, &tx);
		if ((rc = idset_add(&ids, tx.end_to_end_id)) <= 0) {
			if (rc == 0)
				rc = br_error_set(err, BR_EINPUT, "EndToEndId %s komt twee keer voor in het bestand: %s",
						  tx.end_to_end_id, where);
			else
				rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het controleren van de EndToEndIds: %s", where);
			goto out;
		}
		if ((rc = plan_add(pl, p, &tx, where, err)) < 0)
			goto out;
		pl->fingerprint = tx_fingerprint(pl->fingerprint, &tx);
	}
	rc = 0;
	if (pl->n_tx == 0)
		rc = br_error_set(err, BR_EINPUT, "geen transacties: een betaalbestand bevat er minstens één");
out:
	idset_release(&ids);
	return rc;
}

static int source_changed(long n, struct br_error *err)
{
	return br_error_set(err, BR_EINTERNAL,
			    "de transactiebron gaf in de tweede ronde andere transacties (bij transactie "
			    "%ld); er is niets geschreven",
			    n);
}

/* Pass 2: the document, from GrpHdr to the last PmtInf. */
static int write_doc(struct xw *x, const struct pain001_params *p, const struct hdr_text *h,
		     const struct plan *pl, const struct pain001_source *src, struct br_error *err)
{
	struct pain001_tx tx;
	struct tx_text t;
	uint64_t fp = UINT64_C(14695981039346656037);
	size_t bi = 0;
	long n = 0, in_batch = 0;
	int64_t batch_sum = 0;
	int rc;

	if ((rc = src->rewind(src->ctx, err)) < 0)
		return source_failed(rc, 0, 2, err);
	if (!x->failed_at)
		xw_fail(x, "XML declaration", xmlTextWriterWriteRaw(x->w, XC(XML_DECL)));
	xw_start(x, "Document");
	if (!x->failed_at)
		xw_fail(x, "Document",
			xmlTextWriterWriteAttribute(x->w, XC("xmlns"), XC(p->version == 3 ? NS_V03 : NS_V09)));
	xw_start(x, "CstmrCdtTrfInitn");
	write_grphdr(x, p, h, pl);
	for (;;) {
		memset(&tx, 0, sizeof(tx));
		if ((rc = src->next(src->ctx, &tx, err)) < 0)
			return source_failed(rc, n + 1, 2, err);
		if (rc == 0)
			break;
		n++;
		if ((rc = check_tx(p, &tx, n, &t, err)) < 0)
			return rc;
		if (bi >= pl->n || tx.kind != pl->b[bi].kind)
			return source_changed(n, err);
		if (in_batch == 0)
			write_pmtinf_start(x, p, h, &pl->b[bi]);
		write_tx(x, p, &tx, &t);
		if ((rc = xw_status(x, err)) < 0)
			return rc;
		fp = tx_fingerprint(fp, &tx);
		batch_sum += tx.amount_cents; /* ≤ the batch's checked sum */
		if (++in_batch == pl->b[bi].n_tx) {
			if (batch_sum != pl->b[bi].sum_cents)
				return source_changed(n, err);
			xw_end(x); /* PmtInf */
			bi++;
			in_batch = 0;
			batch_sum = 0;
		} else if (batch_sum > pl->b[bi].sum_cents) {
			return source_changed(n, err);
		}
	}
	if (bi != pl->n || in_batch != 0 || n != pl->n_tx || fp != pl->fingerprint)
		return source_changed(n, err);
	xw_end(x); /* CstmrCdtTrfInitn */
	xw_end(x); /* Document; no xmlTextWriterEndDocument: it adds a line break */
	if (!x->failed_at)
		xw_fail(x, "flush", xmlTextWriterFlush(x->w));
	return xw_status(x, err);
}

int pain001_write(const char *path, const struct pain001_params *p, const struct pain001_source *src,
		  struct pain001_stats *out, struct br_error *err)
{
	struct plan pl;
	struct hdr_text h;
	struct io io = { -1, 0 };
	struct xw x;
	char tmp[FSUTIL_PATH_MAX], dir[FSUTIL_PATH_MAX];
	xmlOutputBufferPtr ob;
	int fd = -1, rc, n;

	memset(&pl, 0, sizeof(pl));
	memset(&x, 0, sizeof(x));
	tmp[0] = '\0';
	if (out)
		memset(out, 0, sizeof(*out));
	if (!path || !p || !src || !src->rewind || !src->next)
		return br_error_set(err, BR_EINTERNAL, "pain001_write aangeroepen zonder pad, parameters of bron");
	if ((rc = check_params(p, &h, err)) < 0)
		goto out;
	if ((rc = plan_file(&pl, p, src, err)) < 0)
		goto out;

	/* Everything checked: only now does a file exist. */
	if (dir_of(dir, sizeof(dir), path) < 0) {
		rc = br_error_set(err, BR_EINTERNAL, "pad te lang: %s", path);
		goto out;
	}
	n = snprintf(tmp, sizeof(tmp), "%s/.%s.tmp-XXXXXX", dir, fsutil_basename(path));
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		tmp[0] = '\0';
		rc = br_error_set(err, BR_EINTERNAL, "pad te lang: %s", path);
		goto out;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		rc = br_error_set(err, BR_EIO, "er kan geen tijdelijk bestand voor %s worden gemaakt: %s", path, strerror(errno));
		tmp[0] = '\0';
		goto out;
	}
	if (fchmod(fd, 0600) != 0) {
		rc = br_error_set(err, BR_EIO, "de rechten van %s kunnen niet worden ingesteld: %s", tmp, strerror(errno));
		goto out;
	}
	io.fd = fd;
	if (!(ob = xmlOutputBufferCreateIO(io_write, io_close, &io, NULL))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het beginnen aan %s", path);
		goto out;
	}
	if (!(x.w = xmlNewTextWriter(ob))) {
		xmlOutputBufferClose(ob);
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het beginnen aan %s", path);
		goto out;
	}
	x.io = &io;
	x.path = path;
	if ((rc = write_doc(&x, p, &h, &pl, src, err)) < 0)
		goto out;
	xmlFreeTextWriter(x.w); /* flushes what is left through io_write */
	x.w = NULL;
	if ((rc = xw_status(&x, err)) < 0)
		goto out;
	if (fsync(fd) != 0) {
		rc = br_error_set(err, BR_EIO, "%s kan niet worden geschreven: %s", path, strerror(errno));
		goto out;
	}
	rc = close(fd);
	fd = -1;
	if (rc != 0) {
		rc = br_error_set(err, BR_EIO, "%s kan niet worden geschreven: %s", path, strerror(errno));
		goto out;
	}
	if (rename(tmp, path) != 0) {
		rc = br_error_set(err, BR_EIO, "%s kan niet worden vervangen: %s", path, strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	if ((rc = fsutil_sync_dir(dir, err)) < 0)
		goto out;
	if (out) {
		out->n_tx = pl.n_tx;
		out->ctrl_sum_cents = pl.sum_cents;
		out->n_batches = (int)pl.n;
	}
out:
	if (x.w)
		xmlFreeTextWriter(x.w);
	if (fd >= 0)
		close(fd);
	if (tmp[0])
		unlink(tmp);
	free(pl.b);
	return rc;
}

/*
 * test_pain002.c — the pain.002 status report parser over the files in
 * tests/data/pain002/ (style.md "Tests": a parser's edge cases are data
 * files), validated against the official ISO schemas in
 * data/schemas/iso20022/ (payments.md "Bank status reports").
 *
 *   good-*.xml     valid by the official schema: every record, exactly,
 *                  with the schema and again without it (as when sniffing)
 *   bad-*.xml      not a valid status report (refused by the official
 *                  schema, another namespace, not XML, cut off, a DOCTYPE):
 *                  the message and line with the schema, and without it
 *   refused-*.xml  valid by the schema, refused by pain002.c itself
 *
 * Every file of the directory must have its expectations here
 * (test_every_file_is_tested).  Expected values are read off the XML: the
 * line is that of the element that opens the level.
 *
 * The project root comes from $BR_SOURCE_DIR, else the compile-time
 * BR_SOURCE_DIR.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "error.h"
#include "levering.h"
#include "pain002.h"
#include "xmlin.h"

#include "banned.h"

#define MAX_RECORDS 16

enum { G = PAIN002_GROUP, B = PAIN002_BATCH, T = PAIN002_TX };

struct expect_status {
	long line;
	int level;
	const char *msg_id, *pmtinf_id, *e2e_id, *status, *reason;
	int prtry;
	const char *info, *name;
};

struct good_file {
	const char *name;
	const char *msg_id;                /* GrpHdr/MsgId */
	int y, mo, d, hh, mi, ss;          /* CreDtTm as written */
	const struct expect_status *want;
	int n;
};

struct bad_file {
	const char *name;
	long line;                         /* with the schema of its name's version */
	const char *needle;
	long line0;                        /* without a schema; 0: accepted then */
	const char *needle0;
};

struct collect {
	int headers;
	struct levering_header hdr;
	int n;
	struct pain002_status rec[MAX_RECORDS];
	int statuses_before_header;
	int fail_at;                /* status callback fails on this call (1-based), 0 never */
	int fail_header;
};

struct fixture {
	char root[1024];
	struct xmlin_schema *xsd03, *xsd10;
};

static int on_header(void *ctx, const struct levering_header *hdr, struct br_error *err)
{
	struct collect *c = ctx;

	c->headers++;
	c->hdr = *hdr;
	if (c->fail_header)
		return br_error_set(err, BR_EINPUT, "delivery %s was already ingested", hdr->levering_id);
	return 0;
}

static int on_status(void *ctx, const struct pain002_status *s, struct br_error *err)
{
	struct collect *c = ctx;

	if (c->headers == 0)
		c->statuses_before_header++;
	if (c->n < MAX_RECORDS)
		c->rec[c->n] = *s;
	c->n++;
	if (c->fail_at && c->n == c->fail_at)
		return BR_ENOINPUT; /* no message: pain002.c must supply one */
	(void)err;
	return 0;
}

static int load(struct xmlin_schema **out, const char *root, const char *file)
{
	char path[1200];
	struct br_error err;

	br_error_clear(&err);
	snprintf(path, sizeof(path), "%s/data/schemas/iso20022/%s", root, file);
	if (xmlin_schema_load(out, path, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *root = getenv("BR_SOURCE_DIR");

	if (!f)
		return -1;
	if (!root || !root[0])
		root = BR_SOURCE_DIR;
	snprintf(f->root, sizeof(f->root), "%s", root);
	if (load(&f->xsd03, f->root, "pain.002.001.03.xsd") < 0 ||
	    load(&f->xsd10, f->root, "pain.002.001.10.xsd") < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	xmlin_schema_free(f->xsd03);
	xmlin_schema_free(f->xsd10);
	free(f);
	return 0;
}

static const struct xmlin_schema *schema_for(const struct fixture *f, int version)
{
	return version == 3 ? f->xsd03 : version == 10 ? f->xsd10 : NULL;
}

/* "good-03-..." is pain.002.001.03, "*-10-..." .10 (also its schema for
 * the bad files, whatever their namespace). */
static int file_version(const char *name)
{
	const char *v = strchr(name, '-');

	return v && strncmp(v, "-10-", 4) == 0 ? 10 : 3;
}

/* Parse tests/data/pain002/<name> with schema version 3, 10 or 0 (none). */
static int parse(const struct fixture *f, const char *name, int version,
		 struct collect *c, struct br_error *err)
{
	struct pain002_handler h = { on_header, on_status, c };
	struct xmlin *x = NULL;
	char path[1300];
	int rc;

	br_error_clear(err);
	snprintf(path, sizeof(path), "%s/tests/data/pain002/%s", f->root, name);
	if ((rc = xmlin_open(&x, path, name, schema_for(f, version), NULL, err)) == 0)
		rc = pain002_parse(x, &h, err);
	xmlin_free(x);
	return rc;
}

static void check_record(const char *file, int i, const struct pain002_status *s,
			 const struct expect_status *w)
{
	if (s->line != w->line || (int)s->level != w->level ||
	    strcmp(s->orgnl_msg_id, w->msg_id) || strcmp(s->orgnl_pmtinf_id, w->pmtinf_id) ||
	    strcmp(s->orgnl_e2e_id, w->e2e_id) || strcmp(s->status, w->status) ||
	    strcmp(s->reason, w->reason) || s->reason_prtry != w->prtry ||
	    strcmp(s->info, w->info) || strcmp(s->name, w->name))
		fail_msg("%s record %d:\n want line %ld level %d [%s] [%s] [%s] [%s] [%s] prtry %d info [%s] name [%s]\n"
			 "  got line %ld level %d [%s] [%s] [%s] [%s] [%s] prtry %d info [%s] name [%s]",
			 file, i, w->line, w->level, w->msg_id, w->pmtinf_id, w->e2e_id, w->status,
			 w->reason, w->prtry, w->info, w->name, s->line, (int)s->level, s->orgnl_msg_id,
			 s->orgnl_pmtinf_id, s->orgnl_e2e_id, s->status, s->reason, s->reason_prtry,
			 s->info, s->name);
}

/* The file's records, exactly, with its schema and without any. */
static void check_good(const struct fixture *f, const struct good_file *g)
{
	int pass;

	for (pass = 0; pass < 2; pass++) {
		int version = pass ? 0 : file_version(g->name);
		struct collect c;
		struct br_error err;
		int i;

		memset(&c, 0, sizeof(c));
		if (parse(f, g->name, version, &c, &err) != 0)
			fail_msg("%s (schema %d): %s (%s line %ld)", g->name, version, err.msg,
				 err.file, err.line);
		assert_int_equal(c.headers, 1);
		assert_int_equal(c.statuses_before_header, 0);
		assert_int_equal(c.hdr.kind, LEVERING_PAIN002);
		assert_string_equal(c.hdr.levering_id, g->msg_id);
		assert_true(c.hdr.aanmaakdatum ==
			    timestamp_from(date_from_ymd(g->y, g->mo, g->d), g->hh, g->mi, g->ss));
		assert_int_equal(c.hdr.peildatum, DATE_NONE);
		assert_int_equal(c.hdr.iso_version, file_version(g->name));
		if (c.n != g->n)
			fail_msg("%s (schema %d): %d records, want %d", g->name, version, c.n, g->n);
		for (i = 0; i < g->n; i++)
			check_record(g->name, i, &c.rec[i], &g->want[i]);
	}
}

static void check_refused(const struct fixture *f, const char *name, int version,
			  long line, const char *needle)
{
	struct collect c;
	struct br_error err;
	int rc;

	memset(&c, 0, sizeof(c));
	rc = parse(f, name, version, &c, &err);
	if (rc == 0)
		fail_msg("%s (schema %d) was accepted", name, version);
	assert_int_equal(rc, BR_EINPUT);
	assert_int_equal(err.code, BR_EINPUT);
	assert_string_equal(err.file, name);
	/* issue 12: the message first says, in Dutch, what was refused */
	if (err.line != line || !strstr(err.msg, needle) ||
	    strncmp(err.msg, "statusrapport (pain.002) geweigerd: ", 36) != 0)
		fail_msg("%s (schema %d): want line %ld and '%s', got line %ld: %s", name, version,
			 line, needle, err.line, err.msg);
}

/* ---- good files: what each one says ------------------------------------- */

/* ING, V03: PART with two rejections (the first with Orgtr, both with
 * AddtlInf and OrgnlTxRef/Cdtr/Nm) and one acceptance. */
static const struct expect_status w03_part[] = {
	{ 15, G, "BR-2026-12-0001", "", "", "PART", "", 0, "", "" },
	{ 22, B, "BR-2026-12-0001", "BR-2026-12-0001-K1", "", "PART", "", 0, "", "" },
	{ 27, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000123", "RJCT", "AC01", 0,
	  "Rekeningnummer onjuist", "J. de Vries" },
	{ 81, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000124", "RJCT", "MD07", 0,
	  "Begunstigde overleden", "M. Yilmaz" },
	{ 106, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000125", "ACCP", "", 0, "", "" },
};

/* good-03-part with a non-ASCII e2e id (once refused, valid by the
 * official schema): kept as written. */
static const struct expect_status w03_e2e_not_ascii[] = {
	{ 15, G, "BR-2026-12-0001", "", "", "PART", "", 0, "", "" },
	{ 22, B, "BR-2026-12-0001", "BR-2026-12-0001-K1", "", "PART", "", 0, "", "" },
	{ 27, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000123", "RJCT", "AC01", 0,
	  "Rekeningnummer onjuist", "J. de Vries" },
	{ 81, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000124", "RJCT", "MD07", 0,
	  "Begunstigde overleden", "M. Yilmaz" },
	{ 106, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000125é", "ACCP", "", 0, "", "" },
};

/* good-03-part with the second transaction's OrgnlEndToEndId left out. */
static const struct expect_status w03_no_e2e[] = {
	{ 15, G, "BR-2026-12-0001", "", "", "PART", "", 0, "", "" },
	{ 22, B, "BR-2026-12-0001", "BR-2026-12-0001-K1", "", "PART", "", 0, "", "" },
	{ 27, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000123", "RJCT", "AC01", 0,
	  "Rekeningnummer onjuist", "J. de Vries" },
	{ 81, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "", "RJCT", "MD07", 0,
	  "Begunstigde overleden", "M. Yilmaz" },
	{ 105, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000125", "ACCP", "", 0, "", "" },
};

static const struct expect_status w03_accp[] = {
	{ 15, G, "BR-2026-12-0002", "", "", "ACCP", "", 0, "", "" },
};

static const struct expect_status w03_batch_rjct[] = {
	{ 15, G, "BR-2026-12-0003", "", "", "PART", "", 0, "", "" },
	{ 23, B, "BR-2026-12-0003", "BR-2026-12-0003-K1", "", "ACCP", "", 0, "", "" },
	{ 29, B, "BR-2026-12-0003", "BR-2026-12-0003-K2", "", "RJCT", "AC04", 0,
	  "Rekening opdrachtgever opgeheven", "" },
};

/* Three StsRsnInf: the first without a Rsn, so FF01 is the reason; every
 * AddtlInf joined. */
static const struct expect_status w03_group_rjct[] = {
	{ 10, G, "BR-2026-08-0001", "", "", "RJCT", "FF01", 0,
	  "Bestand afgekeurd / Ongeldig bestandsformaat", "" },
};

static const struct expect_status w03_nordea[] = {
	{ 19, G, "BR-2026-11-0001", "", "", "RJCT", "DU01", 0,
	  "Duplicate message identification: a file with this MsgId / was received on 2026-11-26 at 16:41 and is being processed / Duplication",
	  "" },
};

/* A batch RJCT, then transactions without OrgnlEndToEndId and/or TxSts;
 * a batch with a StsRsnInf but no status, before its transaction; one with
 * only a StsRsnInf, delivered at its end. */
static const struct expect_status w03_danske[] = {
	{ 21, G, "BR-2026-11-0006", "", "", "PART", "", 0, "", "" },
	{ 28, B, "BR-2026-11-0006", "BR-2026-11-0006-K1", "", "RJCT",
	  "DANSKE-REJECT-DEBTOR-ACCOUNT-LOCKED", 1, "Debitorkonto spærret / Debtor account blocked", "" },
	{ 46, T, "BR-2026-11-0006", "BR-2026-11-0006-K1", "", "", "", 0, "", "J. de Vries" },
	{ 64, T, "BR-2026-11-0006", "BR-2026-11-0006-K1", "BR26110006-000052", "", "", 0, "",
	  "Woonstichting De Kern" },
	{ 76, B, "BR-2026-11-0006", "BR-2026-11-0006-D1", "", "", "", 0,
	  "Betalingen udføres næste bankdag", "" },
	{ 82, T, "BR-2026-11-0006", "BR-2026-11-0006-D1", "BR26110006-000053", "ACSP", "", 0, "", "" },
	{ 87, B, "BR-2026-11-0006", "BR-2026-11-0006-K2", "", "", "NARR", 0,
	  "Modtaget; behandles næste bankdag", "" },
};

/* One payment rejected at group, batch and transaction level. */
static const struct expect_status w03_ing_all[] = {
	{ 18, G, "BR-2026-11-0007", "", "", "RJCT", "AM04", 0, "Saldo ontoereikend", "" },
	{ 35, B, "BR-2026-11-0007", "BR-2026-11-0007-K1", "", "RJCT", "AM04", 0, "", "" },
	{ 45, T, "BR-2026-11-0007", "BR-2026-11-0007-K1", "BR26110007-000001", "RJCT", "AM04", 0,
	  "Saldo ontoereikend op NL67INGB0006543210", "M. Yilmaz" },
};

/* Rabobank, V10: Cdtr/Pty/Nm is the name; Dbtr/Pty/Nm is not. */
static const struct expect_status w10_part[] = {
	{ 20, G, "BR-2026-12-0001", "", "", "PART", "", 0, "", "" },
	{ 38, B, "BR-2026-12-0001", "BR-2026-12-0001-K1", "", "PART", "", 0, "", "" },
	{ 43, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000123", "RJCT", "AC01", 0,
	  "IBAN van de begunstigde bestaat niet", "J. de Vries" },
	{ 105, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000124", "RJCT", "MD07", 0,
	  "", "M. Yilmaz" },
	{ 134, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000125", "ACCP", "", 0, "", "" },
};

/* good-10-part with TxSts OKAY: V10's Max4Text takes any code. */
static const struct expect_status w10_status_code[] = {
	{ 20, G, "BR-2026-12-0001", "", "", "PART", "", 0, "", "" },
	{ 38, B, "BR-2026-12-0001", "BR-2026-12-0001-K1", "", "PART", "", 0, "", "" },
	{ 43, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000123", "RJCT", "AC01", 0,
	  "IBAN van de begunstigde bestaat niet", "J. de Vries" },
	{ 105, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000124", "RJCT", "MD07", 0,
	  "", "M. Yilmaz" },
	{ 134, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000125", "OKAY", "", 0, "", "" },
};

/* good-10-part with the last TxSts left out. */
static const struct expect_status w10_no_txsts[] = {
	{ 20, G, "BR-2026-12-0001", "", "", "PART", "", 0, "", "" },
	{ 38, B, "BR-2026-12-0001", "BR-2026-12-0001-K1", "", "PART", "", 0, "", "" },
	{ 43, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000123", "RJCT", "AC01", 0,
	  "IBAN van de begunstigde bestaat niet", "J. de Vries" },
	{ 105, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000124", "RJCT", "MD07", 0,
	  "", "M. Yilmaz" },
	{ 134, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000125", "", "", 0, "", "" },
};

static const struct expect_status w10_accp[] = {
	{ 16, G, "BR-2026-12-0002", "", "", "ACCP", "", 0, "", "" },
};

/* A MsgId of 35 two-byte characters: 70 bytes, a delivery id still. */
static const struct expect_status w10_msgid_utf8[] = {
	{ 10, G, "BR-2026-12-0001", "", "", "ACCP", "", 0, "", "" },
};

static const struct expect_status w10_batch_rjct[] = {
	{ 16, G, "BR-2026-12-0003", "", "", "PART", "", 0, "", "" },
	{ 23, B, "BR-2026-12-0003", "BR-2026-12-0003-K1", "", "ACCP", "", 0, "", "" },
	{ 29, B, "BR-2026-12-0003", "BR-2026-12-0003-K2", "", "RJCT", "AC04", 0, "Account closed", "" },
};

/* A Prtry reason longer than 4 characters (once refused), kept whole. */
static const struct expect_status w10_prtry_long[] = {
	{ 16, G, "BR-2026-12-0003", "", "", "PART", "", 0, "", "" },
	{ 23, B, "BR-2026-12-0003", "BR-2026-12-0003-K1", "", "ACCP", "", 0, "", "" },
	{ 29, B, "BR-2026-12-0003", "BR-2026-12-0003-K2", "", "RJCT", "NOTPROVIDED", 1,
	  "Account closed", "" },
};

/* No group or batch status; the first Rsn (a Prtry) is the reason. */
static const struct expect_status w10_edge[] = {
	{ 16, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000125", "ACSC", "", 0, "", "" },
	{ 20, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000200", "RJCT", "MS03", 1, "", "" },
};

/* Text written as CDATA sections, whole or in part, is the same text. */
static const struct expect_status w10_cdata[] = {
	{ 15, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000125", "RJCT", "AC01", 0, "", "" },
};

/* The same payment twice, accepted then rejected: two records; the group
 * has a StsRsnInf and no GrpSts. */
static const struct expect_status w10_db[] = {
	{ 20, G, "BR-2026-11-0003", "", "", "", "", 0, "Statusmeldung zum Auftrag vom 27.11.2026", "" },
	{ 31, T, "BR-2026-11-0003", "BR-2026-11-0003-K1", "BR26110003-000031", "ACSP", "", 0, "",
	  "J. de Vries" },
	{ 57, T, "BR-2026-11-0003", "BR-2026-11-0003-K1", "BR26110003-000032", "ACSP", "", 0, "", "" },
	{ 62, T, "BR-2026-11-0003", "BR-2026-11-0003-K1", "BR26110003-000031", "RJCT", "AC04", 0,
	  "Konto erloschen / account closed", "J. de Vries" },
};

/* 441 bytes of AddtlInf: cut at 417 bytes would split the Ü (bytes 416
 * and 417), so 416 bytes are kept, then "...". */
static const struct expect_status w10_ubs[] = {
	{ 18, G, "BR-2026-11-0002", "", "", "RJCT", "CH21", 0,
	  "Pflichtelement fehlt oder ist ungültig: PmtTpInf/SvcLvl/Cd in B-Level 1 (Zahlung 1 von 2)."
	  " / Die Datei wurde vollständig zurückgewiesen; keine Zahlung wurde ausgeführt."
	  " / Bitte korrigieren Sie die Datei und übermitteln Sie sie mit einer neuen MsgId erneut."
	  " / Ungültiger Inhalt: CtrlSum im Group Header stimmt nicht mit der Summe der Einzelbeträge überein."
	  " / Gemäss Swiss Payment Standards 2024, Kapitel 3.2 ...",
	  "" },
};

/* VoP: RVCM at group and batch level (the group's legend cut at 417
 * bytes, a character boundary, then "..."); RCVC, RVMC, RVNM with the
 * name from Cdtr/Pty/Nm; RVNA's Cdtr is an Agt (a bank): no name. */
static const struct expect_status w10_vop[] = {
	{ 18, G, "BR-2026-11-0005", "", "", "RVCM", "", 0,
	  "RCVC Der eingegebene Name des Zahlungsempfängers stimmt mit dem für die IBAN hinterlegten Namen überein."
	  " / RVMC Der eingegebene Name stimmt nahezu mit dem hinterlegten Namen überein. Die Autorisierung der Zahlung"
	  " / RVMC kann dazu führen, dass das Geld auf ein Konto geht, dessen Inhaber nicht der Empfänger ist."
	  " / RVNM Der eingegebene Name stimmt nicht mit dem für diese IBAN hinterlegten Namen überein. / RVN...",
	  "" },
	{ 48, B, "BR-2026-11-0005", "BR-2026-11-0005-K1", "", "RVCM", "", 0, "", "" },
	{ 56, T, "BR-2026-11-0005", "BR-2026-11-0005-K1", "BR26110005-000001", "RCVC", "", 0, "",
	  "J. de Vries" },
	{ 72, T, "BR-2026-11-0005", "BR-2026-11-0005-K1", "BR26110005-000002", "RVMC", "", 0, "",
	  "Mehmet Yılmaz" },
	{ 91, T, "BR-2026-11-0005", "BR-2026-11-0005-K1", "BR26110005-000003", "RVNM", "", 0,
	  "Name weicht ab", "Woonstichting De Kern" },
	{ 105, T, "BR-2026-11-0005", "BR-2026-11-0005-K1", "BR26110005-000004", "RVNA",
	  "VOP-NOT-SUPPORTED-BY-PAYEE-PSP", 1, "", "" },
};

/* Prefixed and default namespace alike; CDATA with markup characters; a
 * tab and a DEL become '?'; lower-case ids as written. */
static const struct expect_status w10_postfinance[] = {
	{ 14, G, "BR-2026-11-0004", "", "", "PART", "", 0, "", "" },
	{ 19, B, "BR-2026-11-0004", "br-2026-11-0004-k1", "", "PART", "", 0, "", "" },
	{ 22, T, "BR-2026-11-0004", "br-2026-11-0004-k1", "br26110004-000041", "RJCT", "AC01", 0,
	  "IBAN <NL00 INGB 0000 0000 00> & BIC passen nicht zusammen / Referenz?PF-4711",
	  "Zoë Çelik & Söhne <Vof>" },
	{ 40, T, "BR-2026-11-0004", "br-2026-11-0004-k1", "BR26110004-000042?", "ACWC", "", 0,
	  "Warnung:? Verwendungszweck gekürzt", "" },
};

#define GOOD(file, id, y, mo, d, hh, mi, ss, w) \
	{ file, id, y, mo, d, hh, mi, ss, w, (int)(sizeof(w) / sizeof((w)[0])) }

static const struct good_file good_files[] = {
	/* 10:15:00.123+01:00: the fraction is dropped */
	GOOD("good-03-part.xml", "ING20261127101500123456", 2026, 11, 27, 10, 15, 0, w03_part),
	GOOD("good-03-e2e-not-ascii.xml", "ING20261127101500123456", 2026, 11, 27, 10, 15, 0,
	     w03_e2e_not_ascii),
	GOOD("good-03-no-e2e.xml", "ING20261127101500123456", 2026, 11, 27, 10, 15, 0, w03_no_e2e),
	GOOD("good-03-accp.xml", "ING20261127090211000981", 2026, 11, 27, 9, 2, 11, w03_accp),
	/* 08:30:45Z: the time as written, the zone is not applied */
	GOOD("good-03-batch-rjct.xml", "ING20261127083045000412", 2026, 11, 27, 8, 30, 45,
	     w03_batch_rjct),
	/* 10:15:00+02:00 (Dutch summer time): as written */
	GOOD("good-03-group-rjct.xml", "ING20260727101500000077", 2026, 7, 27, 10, 15, 0,
	     w03_group_rjct),
	GOOD("good-03-nordea-group-rjct.xml", "NDEA-PSR-20261127-00041", 2026, 11, 27, 11, 15, 0,
	     w03_nordea),
	GOOD("good-03-danske-batch-rjct.xml", "DABA2026112707453300012", 2026, 11, 27, 7, 45, 33,
	     w03_danske),
	GOOD("good-03-ing-rjct-all-levels.xml", "ING20261130060011000102", 2026, 11, 30, 6, 0, 11,
	     w03_ing_all),
	GOOD("good-10-part.xml", "RABO-PSR-2026112714053345", 2026, 11, 27, 14, 5, 33, w10_part),
	GOOD("good-10-status-code.xml", "RABO-PSR-2026112714053345", 2026, 11, 27, 14, 5, 33,
	     w10_status_code),
	GOOD("good-10-no-txsts.xml", "RABO-PSR-2026112714053345", 2026, 11, 27, 14, 5, 33,
	     w10_no_txsts),
	GOOD("good-10-accp.xml", "ABNA2026112709021100017", 2026, 11, 27, 9, 2, 11, w10_accp),
	GOOD("good-10-msgid-utf8-long.xml", "ééééééééééééééééééééééééééééééééééé", 2026, 12, 3, 10, 0, 0,
	     w10_msgid_utf8),
	/* 08:30:45.000Z */
	GOOD("good-10-batch-rjct.xml", "ABNA2026112708304500003", 2026, 11, 27, 8, 30, 45,
	     w10_batch_rjct),
	GOOD("good-10-prtry-long.xml", "ABNA2026112708304500003", 2026, 11, 27, 8, 30, 45,
	     w10_prtry_long),
	/* 10:00:00.5-03:30: as written */
	GOOD("good-10-edge.xml", "ABNA2026120310000000001", 2026, 12, 3, 10, 0, 0, w10_edge),
	GOOD("good-10-cdata.xml", "ABNA2026120310000000002", 2026, 12, 3, 10, 0, 0, w10_cdata),
	GOOD("good-10-db-same-tx-twice.xml", "DB-PSR-2026112714003100042", 2026, 11, 27, 14, 0, 31,
	     w10_db),
	GOOD("good-10-ubs-group-rjct.xml", "UBS-PSR-20261127-093000-0815", 2026, 11, 27, 9, 30, 0,
	     w10_ubs),
	GOOD("good-10-vop.xml", "VOP-20261127-101500-000123", 2026, 11, 27, 10, 15, 0, w10_vop),
	GOOD("good-10-postfinance-ns2.xml", "PF-20261127-1015-000777", 2026, 11, 27, 10, 15, 0,
	     w10_postfinance),
};

static void test_good_files(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(good_files) / sizeof(good_files[0]); i++)
		check_good(*state, &good_files[i]);
}

/* n copies of the UTF-8 character u into buf. */
static const char *repeat(char *buf, size_t cap, const char *u, int n)
{
	size_t len = strlen(u), at = 0;
	int i;

	assert_true((size_t)n * len < cap);
	for (i = 0; i < n; i++, at += len)
		memcpy(buf + at, u, len);
	buf[at] = '\0';
	return buf;
}

#define DS_A "\xF0\x9D\x94\xB8" /* U+1D538, 4 bytes */
#define DS_B "\xF0\x9D\x94\xB9" /* U+1D539 */

/*
 * Every text at the schema's maximum of 4-byte characters, exactly the
 * buffers of pain002.h: e2e 35 x 4 = 140 bytes, status 16, Prtry 140,
 * name 560; an AddtlInf of 420 bytes fills `info`, the next one is cut at
 * 416 bytes (417 is inside the 105th character) plus "...", and a third
 * is dropped.  CR and LF in an id become '?'.
 */
static void test_good_utf8_caps(void **state)
{
	static char pmtinf[80], e2e[PAIN002_ID_CAP], prtry[PAIN002_ID_CAP], info[PAIN002_INFO_MAX + 1];
	static char name[PAIN002_NAME_CAP], cd[20];
	struct expect_status w[2];
	struct good_file g = { "good-10-utf8-caps.xml", "ABNA-éééééééé-20261203",
			       2026, 12, 3, 10, 0, 0, w, 2 };

	repeat(pmtinf, sizeof(pmtinf), "é", 35);
	repeat(e2e, sizeof(e2e), DS_A, 35);
	repeat(prtry, sizeof(prtry), DS_B, 35);
	repeat(info, sizeof(info), DS_A, 104);
	memcpy(info + strlen(info), "...", 4);
	repeat(name, sizeof(name), DS_A, 140);
	repeat(cd, sizeof(cd), DS_B, 4);
	assert_int_equal(strlen(e2e), PAIN002_ID_CAP - 1);
	assert_int_equal(strlen(name), PAIN002_NAME_CAP - 1);
	assert_int_equal(strlen(info), 419);
	w[0] = (struct expect_status){ 20, T, "BR-2026-12-0001", pmtinf, e2e, DS_A DS_B DS_A DS_B,
				       prtry, 1, info, name };
	w[1] = (struct expect_status){ 44, T, "BR-2026-12-0001", pmtinf, "BR26120001-??000126",
				       "rjct", cd, 0, "", "" };
	check_good(*state, &g);
}

/* ---- refused files ------------------------------------------------------ */

static const struct bad_file bad_files[] = {
	{ "bad-05-namespace.xml", 2,
	  "No matching global declaration available for the validation root", 2,
	  "rootelement Document in namespace urn:iso:std:iso:20022:tech:xsd:pain.002.001.05 is geen statusrapport pain.002" },
	{ "bad-pain001.xml", 2,
	  "No matching global declaration available for the validation root", 2,
	  "rootelement Document in namespace urn:iso:std:iso:20022:tech:xsd:pain.001.001.09 is geen statusrapport pain.002" },
	/* V03's TxSts is a code list; pain002.c leaves code lists to the schema */
	{ "bad-03-status-code.xml", 108, "The value 'ACPT' is not an element of the set", 0, NULL },
	{ "bad-03-vop-status.xml", 17, "The value 'RVMC' is not an element of the set", 0, NULL },
	{ "bad-10-status-5.xml", 17,
	  "TxSts': [facet 'maxLength'] The value has a length of '5'; this exceeds the allowed maximum length of '4'",
	  17, "<TxSts> is langer dan de 4 tekens die het schema toestaat" },
	{ "bad-10-prtry-36.xml", 20,
	  "Prtry': [facet 'maxLength'] The value has a length of '36'; this exceeds the allowed maximum length of '35'",
	  20, "<Prtry> is langer dan de 35 tekens die het schema toestaat" },
	{ "bad-10-addtlinf-106.xml", 19,
	  "AddtlInf': [facet 'maxLength'] The value has a length of '106'; this exceeds the allowed maximum length of '105'",
	  19, "<AddtlInf> is langer dan de 105 tekens die het schema toestaat" },
	{ "bad-10-msgid-too-long.xml", 5,
	  "MsgId': [facet 'maxLength'] The value has a length of '36'; this exceeds the allowed maximum length of '35'",
	  5, "<MsgId> is langer dan de 35 tekens die het schema toestaat" },
	/* 200 bytes: more than the buffer holds, which only a parse without
	 * the schema can meet; the schema's verdict comes first */
	{ "bad-10-e2e-over-cap.xml", 17,
	  "OrgnlEndToEndId': [facet 'maxLength'] The value has a length of '200'; this exceeds the allowed maximum length of '35'",
	  17, "de tekst van <OrgnlEndToEndId> is langer dan 140 bytes" },
	/* pain002.c reads the V03 shape Cdtr/Nm in V10 too (see test_cdtr_nm) */
	{ "bad-10-cdtr-nm.xml", 21, "Nm': This element is not expected. Expected is one of", 0, NULL },
	{ "bad-10-no-orgnlmsgid.xml", 10, "OrgnlMsgNmId': This element is not expected. Expected is", 9,
	  "<OrgnlGrpInfAndSts> heeft geen <OrgnlMsgId>" },
	{ "bad-10-credttm-offset.xml", 6,
	  "'2026-11-27T09:02:11+15:00' is not a valid value of the atomic type", 6,
	  "aanmaaktijd <CreDtTm> '2026-11-27T09:02:11+15:00' heeft na de seconden iets anders dan een deel van een seconde en een tijdzone" },
	{ "bad-not-xml.xml", 1, "het bestand is geen XML: het begint niet met '<'", 1,
	  "het bestand is geen XML: het begint niet met '<'" },
	/* the first 1500 bytes of good-03-part.xml, cut inside <ReqdExctnDt>
	 * on line 48: libxml2 2.9's push parser calls the end of input there
	 * "Extra content at the end of the document" (as in test_xmlin.c) */
	{ "bad-truncated.xml", 48, "Extra content at the end of the document", 48,
	  "Extra content at the end of the document" },
	/* formats.md: no DTDs, refused by xmlin's prolog scan before libxml2
	 * sees it (on line 1: xmlin counts the lines of the prolog only as far
	 * as libxml2 has read them, which depends on XMLIN_CHUNK) */
	{ "bad-doctype.xml", 1, "het bestand heeft een DOCTYPE: DTD's en entiteitdeclaraties zijn niet toegestaan", 1,
	  "het bestand heeft een DOCTYPE: DTD's en entiteitdeclaraties zijn niet toegestaan" },
};

static void test_bad_files(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		const struct bad_file *b = &bad_files[i];

		check_refused(*state, b->name, file_version(b->name), b->line, b->needle);
		if (b->needle0)
			check_refused(*state, b->name, 0, b->line0, b->needle0);
	}
}

/* Without the schema, V03 code lists are not checked here: the status is
 * read as written (intake always validates; see bad-03-*). */
static void test_code_lists_are_the_schemas(void **state)
{
	struct collect c;
	struct br_error err;

	memset(&c, 0, sizeof(c));
	assert_int_equal(parse(*state, "bad-03-status-code.xml", 0, &c, &err), 0);
	assert_int_equal(c.n, 5);
	assert_string_equal(c.rec[4].status, "ACPT");
	memset(&c, 0, sizeof(c));
	assert_int_equal(parse(*state, "bad-03-vop-status.xml", 0, &c, &err), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.rec[0].status, "RVMC");
}

/* OrgnlTxRef/Cdtr/Nm, the V03 shape, is read in V10 too when there is no
 * schema to refuse it. */
static void test_cdtr_nm(void **state)
{
	static const struct expect_status w[] = {
		{ 16, T, "BR-2026-12-0001", "BR-2026-12-0001-K1", "BR26120001-000125", "RVMC", "", 0, "",
		  "J. de Vries" },
	};
	struct collect c;
	struct br_error err;

	memset(&c, 0, sizeof(c));
	assert_int_equal(parse(*state, "bad-10-cdtr-nm.xml", 0, &c, &err), 0);
	assert_int_equal(c.n, 1);
	check_record("bad-10-cdtr-nm.xml", 0, &c.rec[0], &w[0]);
}

/* Valid (35 characters), but 70 bytes: more than a leveringId holds. */
/* The wrong version's schema: refused at the root. */
static void test_wrong_schema(void **state)
{
	check_refused(*state, "good-10-accp.xml", 3, 2,
		      "No matching global declaration available for the validation root");
	check_refused(*state, "good-03-accp.xml", 10, 2,
		      "No matching global declaration available for the validation root");
}

static int tested(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(good_files) / sizeof(good_files[0]); i++)
		if (strcmp(name, good_files[i].name) == 0)
			return 1;
	for (i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++)
		if (strcmp(name, bad_files[i].name) == 0)
			return 1;
	return strcmp(name, "good-10-utf8-caps.xml") == 0;
}

/* A data file without expectations here is a test that does not run. */
static void test_every_file_is_tested(void **state)
{
	struct fixture *f = *state;
	char dir[1200];
	struct dirent *de;
	DIR *d;
	int files = 0;

	snprintf(dir, sizeof(dir), "%s/tests/data/pain002", f->root);
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		files++;
		if (!tested(de->d_name))
			fail_msg("tests/data/pain002/%s has no expectations in test_pain002.c", de->d_name);
	}
	closedir(d);
	assert_int_equal(files, (int)(sizeof(good_files) / sizeof(good_files[0]) +
				      sizeof(bad_files) / sizeof(bad_files[0]) + 1));
}

/* ---- callbacks ---------------------------------------------------------- */

static void test_status_callback_fails(void **state)
{
	struct fixture *f = *state;
	struct collect c;
	struct br_error err;

	memset(&c, 0, sizeof(c));
	c.fail_at = 3;
	assert_int_equal(parse(f, "good-03-part.xml", 3, &c, &err), BR_ENOINPUT);
	assert_int_equal(c.n, 3);
	assert_int_equal(err.code, BR_ENOINPUT);
	assert_string_equal(err.file, "good-03-part.xml");
	assert_int_equal(err.line, 27);
	assert_non_null(strstr(err.msg, "status RJCT voor BR26120001-000123 kon niet worden vastgelegd"));

	/* a TX record without TxSts or OrgnlEndToEndId names its batch */
	memset(&c, 0, sizeof(c));
	c.fail_at = 3;
	assert_int_equal(parse(f, "good-03-danske-batch-rjct.xml", 3, &c, &err), BR_ENOINPUT);
	assert_int_equal(err.line, 46);
	assert_non_null(strstr(err.msg, "status (geen) voor BR-2026-11-0006-K1 kon niet worden vastgelegd"));
}

static void test_header_callback_fails(void **state)
{
	struct fixture *f = *state;
	struct collect c;
	struct br_error err;

	memset(&c, 0, sizeof(c));
	c.fail_header = 1;
	assert_int_equal(parse(f, "good-10-part.xml", 10, &c, &err), BR_EINPUT);
	assert_int_equal(c.n, 0);
	assert_string_equal(err.msg, "statusrapport (pain.002) geweigerd: delivery RABO-PSR-2026112714053345 was"
			    " already ingested");
	assert_string_equal(err.file, "good-10-part.xml");
	assert_int_equal(err.line, 6);
}

static void test_null_callbacks(void **state)
{
	struct fixture *f = *state;
	struct pain002_handler h = { NULL, NULL, NULL };
	struct br_error err;
	struct xmlin *x = NULL;
	char path[1300];

	br_error_clear(&err);
	snprintf(path, sizeof(path), "%s/tests/data/pain002/good-10-vop.xml", f->root);
	assert_int_equal(xmlin_open(&x, path, "good-10-vop.xml", f->xsd10, NULL, &err), 0);
	assert_int_equal(pain002_parse(x, &h, &err), 0);
	xmlin_free(x);
}

/* ---- robustness --------------------------------------------------------- */

static char *slurp(const char *path, size_t *out_len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) > 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, fp) == (size_t)n) {
		*out_len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

/* One parse of a buffer: 0 or a filled error, never a status before the
 * header, every string NUL-terminated within its field. */
static int parse_buffer(const char *data, size_t len, const char *name,
			const struct xmlin_schema *schema, struct collect *c)
{
	struct pain002_handler h = { on_header, on_status, c };
	struct br_error err;
	struct xmlin *x = NULL;
	int rc, i;

	memset(c, 0, sizeof(*c));
	br_error_clear(&err);
	rc = xmlin_open_memory(&x, data, len, name, schema, NULL, &err);
	if (rc == 0)
		rc = pain002_parse(x, &h, &err);
	xmlin_free(x);
	assert_true(rc == 0 || (err.code == rc && err.msg[0]));
	assert_true(c->headers <= 1);
	assert_int_equal(c->statuses_before_header, 0);
	for (i = 0; i < c->n && i < MAX_RECORDS; i++) {
		const struct pain002_status *s = &c->rec[i];

		assert_true(s->level >= PAIN002_GROUP && s->level <= PAIN002_TX);
		assert_non_null(memchr(s->status, 0, sizeof(s->status)));
		assert_non_null(memchr(s->info, 0, sizeof(s->info)));
		assert_non_null(memchr(s->name, 0, sizeof(s->name)));
		assert_non_null(memchr(s->reason, 0, sizeof(s->reason)));
	}
	return rc;
}

/*
 * Every prefix of a few good files, and every file with one byte changed at
 * each third position (a few values), with and without the schema:
 * pain002_parse returns 0 or a filled error, never crashes (run under
 * ASan/UBSan), and never delivers a status before the header.  A truncated
 * file is refused.
 */
static void test_truncated_and_mutated(void **state)
{
	static const char *const names[] = {
		"good-03-part.xml", "good-10-part.xml", "good-10-edge.xml", "good-03-group-rjct.xml",
		"good-10-vop.xml", "good-10-ubs-group-rjct.xml", "good-10-postfinance-ns2.xml",
		"good-10-utf8-caps.xml", "good-03-danske-batch-rjct.xml",
	};
	static const char subst[] = { '<', '>', '/', 'X', '\0', ' ', '"', '&', '\x80' };
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[1300];
		size_t len = 0, cut, k, s;
		char *data, *copy;
		const struct xmlin_schema *schema = schema_for(f, file_version(names[i]));
		struct collect c;

		snprintf(path, sizeof(path), "%s/tests/data/pain002/%s", f->root, names[i]);
		assert_non_null(data = slurp(path, &len));
		assert_non_null(copy = malloc(len));
		for (cut = 0; cut <= len; cut++) {
			/* the trailing newline may go; anything more is a truncation */
			int whole = cut + 1 >= len;
			int pass;

			for (pass = 0; pass < 2; pass++) {
				int rc = parse_buffer(data, cut, names[i], pass ? schema : NULL, &c);

				if (whole)
					assert_int_equal(rc, 0);
				else if (rc == 0)
					fail_msg("%s cut at %zu bytes was accepted", names[i], cut);
			}
		}
		for (k = 0; k < len; k += 3) {
			for (s = 0; s < sizeof(subst); s++) {
				memcpy(copy, data, len);
				copy[k] = subst[s];
				parse_buffer(copy, len, names[i], (k / 3 + s) % 2 ? schema : NULL, &c);
			}
		}
		free(copy);
		free(data);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_files),
		cmocka_unit_test(test_good_utf8_caps),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_code_lists_are_the_schemas),
		cmocka_unit_test(test_cdtr_nm),
		cmocka_unit_test(test_wrong_schema),
		cmocka_unit_test(test_every_file_is_tested),
		cmocka_unit_test(test_status_callback_fails),
		cmocka_unit_test(test_header_callback_fails),
		cmocka_unit_test(test_null_callbacks),
		cmocka_unit_test(test_truncated_and_mutated),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test_pain001.c — the pain.001 writer, checked with the outside tool:
 * every file written here is validated by `xmllint --schema` against the
 * official ISO 20022 schemas and the EPC 2023 SCT C2PSP schema, the
 * project's byte-exact copies in data/schemas/iso20022 (PROVENANCE.md).
 * Then, for every mutation the schemas accept but a bank must never get
 * (a wrong CtrlSum, USD, Ustrd with Strd, a '/'-led EndToEndId, a zoned
 * CreDtTm, a bad mod-97, an empty FinInstnId, ...), a test that the writer
 * refuses it or can never produce it; and the transliteration table of
 * payments.md.
 *
 * The project root comes from $BR_SOURCE_DIR, else the compile-time
 * BR_SOURCE_DIR.  Files go to a mkdtemp directory removed by teardown.
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "date.h"
#include "error.h"
#include "money.h"
#include "pain001.h"
#include "xmlin.h"

#include "banned.h"

#define NS_V09 "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
#define NS_V03 "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
#define XSD_V09 "pain.001.001.09.xsd"
#define XSD_EPC "EPC132-08_2023_V1.0_SCT_C2PSP_pain.001.001.09.xsd"
#define XSD_V03 "pain.001.001.03.xsd"
#define DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
#define MAX_TX 2048

/* ------------------------------------------------------------------ */
/* A rewindable source over an array                                   */

struct memsrc {
	struct pain001_tx tx[MAX_TX];
	size_t n, pos;
	int rewinds;
	int fail_on_rewind;   /* the Nth rewind fails (1-based), 0 never */
	int fail_on_next_pass; /* next() fails on this pass, 0 never */
	int change_pass2;     /* pass 2 returns a different amount for tx[0] */
};

static int mem_rewind(void *ctx, struct br_error *err)
{
	struct memsrc *m = ctx;

	m->rewinds++;
	m->pos = 0;
	if (m->fail_on_rewind == m->rewinds)
		return br_error_set(err, BR_EIO, "cannot reread the payments");
	return 0;
}

static int mem_next(void *ctx, struct pain001_tx *out, struct br_error *err)
{
	struct memsrc *m = ctx;

	if (m->fail_on_next_pass && m->rewinds == m->fail_on_next_pass && m->pos == 1)
		return br_error_set(err, BR_EIO, "payment store went away");
	if (m->pos >= m->n)
		return 0;
	*out = m->tx[m->pos++];
	if (m->change_pass2 && m->rewinds == 2 && m->pos == 1)
		out->amount_cents += 1;
	return 1;
}

static struct pain001_tx *add_tx(struct memsrc *m, enum pain001_kind kind, const char *e2e, int64_t cents,
				 const char *name, const char *iban, const char *bic, const char *rmt)
{
	struct pain001_tx *t;

	assert_true(m->n < MAX_TX);
	t = &m->tx[m->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	snprintf(t->end_to_end_id, sizeof(t->end_to_end_id), "%s", e2e);
	t->amount_cents = cents;
	t->creditor_name = name;
	snprintf(t->iban, sizeof(t->iban), "%s", iban);
	snprintf(t->bic, sizeof(t->bic), "%s", bic);
	t->remittance = rmt;
	return t;
}

/* Three client payments and two third-party ones, BICs mixed. */
static void sample_txs(struct memsrc *m)
{
	add_tx(m, PAIN001_CLIENT, "BR-2026-12-000001", 123456, "Zoë van Dijk", "NL91ABNA0417164300", "ABNANL2A",
	       "Uitkering PW 2026-12 dossier PW-0405-000123");
	add_tx(m, PAIN001_CLIENT, "BR-2026-12-000002", 98765, "José Çelik", "NL44RABO0123456789", "",
	       "Uitkering PW 2026-12 dossier PW-0405-000124");
	add_tx(m, PAIN001_CLIENT, "BR-2026-12-000003", 1, "Brigitte Müller-Lüdenscheidt", "DE89370400440532013000",
	       "", "Uitkering IOAW 2026-12 dossier IOAW-0405-000007");
	add_tx(m, PAIN001_DERDE, "BR-2026-12-000004", 65000, "Woningstichting Het Grootslag", "NL20INGB0001234567",
	       "INGBNL2A", "Huur contract 4411 dossier PW-0405-000123");
	add_tx(m, PAIN001_DERDE, "BR-2026-12-000005", 99999999999, "Smith & Zonen", "NL70TRIO0123456789", "",
	       "Zorgverzekering dossier PW-0405-000124");
}

static void sample_params(struct pain001_params *p, int version)
{
	memset(p, 0, sizeof(*p));
	p->version = version;
	snprintf(p->msg_id, sizeof(p->msg_id), "BR-2026-12-0001");
	p->cre_dt_tm = timestamp_from(date_from_ymd(2026, 12, 1), 9, 30, 5);
	p->initiator_name = "WerkSaam Westfriesland";
	p->debtor_name = "WerkSaam Westfriesland";
	snprintf(p->debtor_iban, sizeof(p->debtor_iban), "NL02ABNA0123456789");
	p->debtor_bic[0] = '\0';
	p->reqd_exctn_dt = date_from_ymd(2026, 12, 24);
	p->max_per_batch = 100000;
	snprintf(p->purp_derden, sizeof(p->purp_derden), "OTHR");
	p->ctgy_purp[0] = '\0';
}

/* ------------------------------------------------------------------ */
/* Fixture: a temporary directory, the schema directory                */

struct fx {
	char root[1024];
	char xsd_dir[1200];
	char dir[256];
	char path[512];
	struct memsrc src;
	struct pain001_source s;
	struct pain001_params p;
	struct pain001_stats st;
	struct br_error err;
	xmlDocPtr doc;
	xmlXPathContextPtr xp;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *root = getenv("BR_SOURCE_DIR");
	struct stat sb;
	char probe[1400];

	if (!f)
		return -1;
	snprintf(f->root, sizeof(f->root), "%s", root && *root ? root : BR_SOURCE_DIR);
	snprintf(f->xsd_dir, sizeof(f->xsd_dir), "%s/data/schemas/iso20022", f->root);
	snprintf(probe, sizeof(probe), "%s/%s", f->xsd_dir, XSD_EPC);
	if (stat(probe, &sb) != 0) {
		fprintf(stderr, "official schemas not found: %s\n", probe);
		free(f);
		return -1;
	}
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_pain001.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/pain.001.xml", f->dir);
	f->s.rewind = mem_rewind;
	f->s.next = mem_next;
	f->s.ctx = &f->src;
	sample_params(&f->p, 9);
	br_error_clear(&f->err);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	DIR *d;
	struct dirent *e;

	if (f->xp)
		xmlXPathFreeContext(f->xp);
	if (f->doc)
		xmlFreeDoc(f->doc);
	if ((d = opendir(f->dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			char p[600];

			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof(p), "%s/%s", f->dir, e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Number of entries in the temporary directory (0 after a refusal:
 * neither the file nor a temporary file is left). */
static int dir_entries(const struct fx *f)
{
	DIR *d = opendir(f->dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static int write_file(struct fx *f)
{
	br_error_clear(&f->err);
	return pain001_write(f->path, &f->p, &f->s, &f->st, &f->err);
}

/* Write, expecting success. */
static void write_ok(struct fx *f)
{
	int rc = write_file(f);

	if (rc != 0)
		fail_msg("pain001_write: %d %s", rc, f->err.msg);
	assert_int_equal(dir_entries(f), 1);
}

/* Write, expecting a refusal with `code` whose message contains `needle`,
 * and nothing left in the directory (a file of an earlier write in the
 * same test is removed first; test_refusal_keeps_old_file covers it). */
static void write_refused(struct fx *f, int code, const char *needle)
{
	int rc;

	unlink(f->path);
	rc = write_file(f);

	assert_int_equal(rc, code);
	assert_int_equal(f->err.code, code);
	if (needle && !strstr(f->err.msg, needle))
		fail_msg("message \"%s\" lacks \"%s\"", f->err.msg, needle);
	assert_int_equal(dir_entries(f), 0);
	assert_int_equal(f->st.n_tx, 0);
}

static char *slurp(const char *path, size_t *out_len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long len;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	assert_true(len > 0);
	rewind(fp);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
	buf[len] = '\0';
	fclose(fp);
	*out_len = (size_t)len;
	return buf;
}

/* The outside tool: xmllint --schema, exit status 0. */
static void xmllint_ok(const struct fx *f, const char *xsd)
{
	char cmd[3000], line[512];
	FILE *pp;
	int st;

	snprintf(cmd, sizeof(cmd), "xmllint --noout --schema '%s/%s' '%s' 2>&1", f->xsd_dir, xsd, f->path);
	pp = popen(cmd, "r");
	assert_non_null(pp);
	while (fgets(line, sizeof(line), pp))
		fprintf(stderr, "    xmllint: %s", line);
	st = pclose(pp);
	if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		fail_msg("xmllint --schema %s rejects %s", xsd, f->path);
}

static void validate(const struct fx *f)
{
	if (f->p.version == 3) {
		xmllint_ok(f, XSD_V03);
	} else {
		xmllint_ok(f, XSD_V09);
		xmllint_ok(f, XSD_EPC);
	}
}

/* Parse the written file back; XPath prefix p: = the version namespace. */
static void load(struct fx *f)
{
	if (f->xp)
		xmlXPathFreeContext(f->xp);
	if (f->doc)
		xmlFreeDoc(f->doc);
	f->doc = xmlReadFile(f->path, NULL, XML_PARSE_NONET);
	assert_non_null(f->doc);
	f->xp = xmlXPathNewContext(f->doc);
	assert_non_null(f->xp);
	assert_int_equal(xmlXPathRegisterNs(f->xp, (const xmlChar *)"p",
					    (const xmlChar *)(f->p.version == 3 ? NS_V03 : NS_V09)),
			 0);
}

static int xp_count(struct fx *f, const char *expr)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, f->xp);
	int n;

	assert_non_null(o);
	n = o->nodesetval ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	return n;
}

/* string(expr) into buf */
static const char *xp_str(struct fx *f, const char *expr, char *buf, size_t cap)
{
	char full[512];
	xmlXPathObjectPtr o;

	snprintf(full, sizeof(full), "string(%s)", expr);
	o = xmlXPathEvalExpression((const xmlChar *)full, f->xp);
	assert_non_null(o);
	snprintf(buf, cap, "%s", o->stringval ? (const char *)o->stringval : "");
	xmlXPathFreeObject(o);
	return buf;
}

static int64_t cents_of(const char *s)
{
	int64_t c = 0;

	assert_int_equal(money_parse(&c, s, strlen(s), NULL), 0);
	return c;
}

static void assert_xp(struct fx *f, const char *expr, const char *want)
{
	char buf[512];

	xp_str(f, expr, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fail_msg("%s = \"%s\", want \"%s\"", expr, buf, want);
}

/* Every element has element children or non-empty text: never an empty
 * element (README: empty <FinInstnId/>, empty <BICFI/>). */
static void assert_no_empty_element(xmlNodePtr n)
{
	for (; n; n = n->next) {
		xmlNodePtr c;
		int kids = 0, text = 0;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (c = n->children; c; c = c->next) {
			if (c->type == XML_ELEMENT_NODE)
				kids++;
			else if (c->type == XML_TEXT_NODE && c->content && c->content[0])
				text++;
		}
		if (!kids && !text)
			fail_msg("empty element <%s>", (const char *)n->name);
		assert_no_empty_element(n->children);
	}
}

/* ------------------------------------------------------------------ */
/* Valid files, checked by xmllint                                     */

static void check_shape(struct fx *f)
{
	size_t len, k, newlines = 0;
	char *buf = slurp(f->path, &len);
	struct stat sb;

	/* exactly the declaration, one line break, and no other anywhere */
	assert_true(len > strlen(DECL));
	assert_memory_equal(buf, DECL, strlen(DECL));
	for (k = 0; k < len; k++) {
		if (buf[k] == '\n' || buf[k] == '\r')
			newlines++;
		/* ASCII only: every name transliterated, no BOM */
		assert_true((unsigned char)buf[k] < 0x80);
		/* no '&' at all: & became + and nothing needed escaping */
		assert_true(buf[k] != '&');
	}
	assert_int_equal(newlines, 1);
	assert_true(buf[len - 1] == '>');
	assert_true(strstr(buf, "<Document xmlns=\"") == buf + strlen(DECL));
	free(buf);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
}

/* NbOfTxs and CtrlSum recomputed from the file itself. */
static void check_sums(struct fx *f)
{
	char buf[128], expr[256];
	int nb = xp_count(f, "//p:PmtInf"), b, k, total_tx = 0;
	int64_t total = 0;

	assert_true(nb >= 1);
	for (b = 1; b <= nb; b++) {
		int ntx;
		int64_t sum = 0;

		snprintf(expr, sizeof(expr), "//p:PmtInf[%d]/p:CdtTrfTxInf", b);
		ntx = xp_count(f, expr);
		snprintf(expr, sizeof(expr), "//p:PmtInf[%d]/p:NbOfTxs", b);
		assert_int_equal(strtol(xp_str(f, expr, buf, sizeof(buf)), NULL, 10), ntx);
		for (k = 1; k <= ntx; k++) {
			snprintf(expr, sizeof(expr), "//p:PmtInf[%d]/p:CdtTrfTxInf[%d]/p:Amt/p:InstdAmt", b, k);
			sum += cents_of(xp_str(f, expr, buf, sizeof(buf)));
		}
		snprintf(expr, sizeof(expr), "//p:PmtInf[%d]/p:CtrlSum", b);
		assert_int_equal(cents_of(xp_str(f, expr, buf, sizeof(buf))), sum);
		total += sum;
		total_tx += ntx;
	}
	assert_int_equal(strtol(xp_str(f, "/p:Document/p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", buf, sizeof(buf)),
				NULL, 10),
			 total_tx);
	assert_int_equal(cents_of(xp_str(f, "/p:Document/p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", buf, sizeof(buf))),
			 total);
	assert_int_equal(f->st.n_tx, total_tx);
	assert_int_equal(f->st.ctrl_sum_cents, total);
	assert_int_equal(f->st.n_batches, nb);
}

static void test_v09_valid(void **state)
{
	struct fx *f = *state;

	sample_txs(&f->src);
	write_ok(f);
	validate(f);
	check_shape(f);
	load(f);
	check_sums(f);
	assert_no_empty_element(xmlDocGetRootElement(f->doc));
	assert_int_equal(f->st.n_tx, 5);
	assert_int_equal(f->st.ctrl_sum_cents, 123456 + 98765 + 1 + 65000 + INT64_C(99999999999));
	assert_int_equal(f->st.n_batches, 2);
	assert_int_equal(f->src.rewinds, 2); /* two passes */
	assert_xp(f, "//p:GrpHdr/p:MsgId", "BR-2026-12-0001");
	assert_xp(f, "//p:GrpHdr/p:InitgPty/p:Nm", "WerkSaam Westfriesland");
	assert_xp(f, "//p:PmtInf[1]/p:PmtInfId", "BR-2026-12-0001-K1");
	assert_xp(f, "//p:PmtInf[2]/p:PmtInfId", "BR-2026-12-0001-D1");
	assert_xp(f, "//p:PmtInf[1]/p:PmtMtd", "TRF");
	assert_xp(f, "//p:PmtInf[1]/p:BtchBookg", "true");
	assert_xp(f, "//p:PmtInf[1]/p:PmtTpInf/p:SvcLvl/p:Cd", "SEPA");
	assert_xp(f, "//p:PmtInf[1]/p:ReqdExctnDt/p:Dt", "2026-12-24");
	assert_xp(f, "//p:PmtInf[1]/p:ChrgBr", "SLEV");
	assert_xp(f, "//p:PmtInf[1]/p:DbtrAcct/p:Id/p:IBAN", "NL02ABNA0123456789");
	assert_xp(f, "//p:PmtInf[2]/p:CdtTrfTxInf[2]/p:Amt/p:InstdAmt", "999999999.99");
	assert_xp(f, "//p:PmtInf[1]/p:CdtTrfTxInf[3]/p:Amt/p:InstdAmt", "0.01");
	assert_xp(f, "//p:PmtInf[1]/p:CdtTrfTxInf[1]/p:RmtInf/p:Ustrd",
		  "Uitkering PW 2026-12 dossier PW-0405-000123");
	/* SvcLvl and ChrgBr at PmtInf level only */
	assert_int_equal(xp_count(f, "//p:CdtTrfTxInf/p:PmtTpInf"), 0);
	assert_int_equal(xp_count(f, "//p:CdtTrfTxInf/p:ChrgBr"), 0);
}

static void test_v03_valid(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *buf;

	sample_params(&f->p, 3);
	snprintf(f->p.debtor_bic, sizeof(f->p.debtor_bic), "ABNANL2A");
	snprintf(f->p.ctgy_purp, sizeof(f->p.ctgy_purp), "SSBE");
	sample_txs(&f->src);
	write_ok(f);
	validate(f);
	check_shape(f);
	load(f);
	check_sums(f);
	assert_no_empty_element(xmlDocGetRootElement(f->doc));
	buf = slurp(f->path, &len);
	assert_non_null(strstr(buf, "<Document xmlns=\"" NS_V03 "\">"));
	assert_null(strstr(buf, "BICFI"));
	free(buf);
	/* V03 names: BIC, and ReqdExctnDt a plain date */
	assert_xp(f, "//p:PmtInf[1]/p:ReqdExctnDt", "2026-12-24");
	assert_int_equal(xp_count(f, "//p:ReqdExctnDt/p:Dt"), 0);
	assert_xp(f, "//p:PmtInf[1]/p:DbtrAgt/p:FinInstnId/p:BIC", "ABNANL2A");
	assert_xp(f, "//p:PmtInf[1]/p:CdtTrfTxInf[1]/p:CdtrAgt/p:FinInstnId/p:BIC", "ABNANL2A");
	assert_xp(f, "//p:PmtInf[1]/p:PmtTpInf/p:CtgyPurp/p:Cd", "SSBE");
}

static void test_v03_notprovided(void **state)
{
	struct fx *f = *state;

	sample_params(&f->p, 3);
	sample_txs(&f->src);
	write_ok(f);
	validate(f);
	load(f);
	assert_xp(f, "//p:PmtInf[1]/p:DbtrAgt/p:FinInstnId/p:Othr/p:Id", "NOTPROVIDED");
}

/* Same state, same bytes (payments.md: a run is reproducible). */
static void test_reproducible(void **state)
{
	struct fx *f = *state;
	size_t l1, l2;
	char *a, *b;

	sample_txs(&f->src);
	write_ok(f);
	a = slurp(f->path, &l1);
	write_ok(f); /* replaces the file atomically */
	b = slurp(f->path, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(a, b, l1);
	free(a);
	free(b);
}

/* A refused write leaves an earlier file at the same path as it was. */
static void test_refusal_keeps_old_file(void **state)
{
	struct fx *f = *state;
	size_t l1, l2;
	char *a, *b;

	sample_txs(&f->src);
	write_ok(f);
	a = slurp(f->path, &l1);
	f->src.tx[4].amount_cents = 0;
	assert_int_equal(write_file(f), BR_EINPUT);
	f->src.tx[4].amount_cents = 100;
	f->src.rewinds = 0;
	f->src.change_pass2 = 1; /* refused after the temporary file exists */
	assert_int_equal(write_file(f), BR_EINTERNAL);
	assert_int_equal(dir_entries(f), 1);
	b = slurp(f->path, &l2);
	assert_int_equal(l1, l2);
	assert_memory_equal(a, b, l1);
	free(a);
	free(b);
}

static void test_split_at_max(void **state)
{
	struct fx *f = *state;
	char e2e[32];
	int k;

	for (k = 1; k <= 5; k++) {
		snprintf(e2e, sizeof(e2e), "E2E-%d", k);
		add_tx(&f->src, PAIN001_CLIENT, e2e, 10000 * k, "Jan de Vries", "NL91ABNA0417164300", "",
		       "Uitkering PW 2026-12");
	}
	f->p.max_per_batch = 2;
	write_ok(f);
	validate(f);
	load(f);
	check_sums(f);
	assert_int_equal(f->st.n_batches, 3);
	assert_int_equal(xp_count(f, "//p:PmtInf"), 3);
	assert_xp(f, "//p:PmtInf[1]/p:PmtInfId", "BR-2026-12-0001-K1");
	assert_xp(f, "//p:PmtInf[2]/p:PmtInfId", "BR-2026-12-0001-K2");
	assert_xp(f, "//p:PmtInf[3]/p:PmtInfId", "BR-2026-12-0001-K3");
	assert_xp(f, "//p:PmtInf[1]/p:NbOfTxs", "2");
	assert_xp(f, "//p:PmtInf[2]/p:NbOfTxs", "2");
	assert_xp(f, "//p:PmtInf[3]/p:NbOfTxs", "1");
	assert_xp(f, "//p:PmtInf[1]/p:CtrlSum", "300.00");
	assert_xp(f, "//p:PmtInf[2]/p:CtrlSum", "700.00");
	assert_xp(f, "//p:PmtInf[3]/p:CtrlSum", "500.00");
	assert_xp(f, "//p:GrpHdr/p:NbOfTxs", "5");
	assert_xp(f, "//p:GrpHdr/p:CtrlSum", "1500.00");
}

/* A kind change starts a batch; numbering is per kind. */
static void test_split_by_kind(void **state)
{
	struct fx *f = *state;

	sample_txs(&f->src); /* 3 client, 2 third-party */
	f->p.max_per_batch = 2;
	write_ok(f);
	validate(f);
	load(f);
	check_sums(f);
	assert_int_equal(f->st.n_batches, 3);
	assert_xp(f, "//p:PmtInf[1]/p:PmtInfId", "BR-2026-12-0001-K1");
	assert_xp(f, "//p:PmtInf[2]/p:PmtInfId", "BR-2026-12-0001-K2");
	assert_xp(f, "//p:PmtInf[3]/p:PmtInfId", "BR-2026-12-0001-D1");
	assert_xp(f, "//p:PmtInf[2]/p:NbOfTxs", "1");
	assert_xp(f, "//p:PmtInf[3]/p:NbOfTxs", "2");
}

static void test_debtor_agent(void **state)
{
	struct fx *f = *state;

	sample_txs(&f->src);
	write_ok(f); /* no debtor BIC */
	validate(f);
	load(f);
	assert_xp(f, "//p:PmtInf[1]/p:DbtrAgt/p:FinInstnId/p:Othr/p:Id", "NOTPROVIDED");
	assert_int_equal(xp_count(f, "//p:DbtrAgt/p:FinInstnId/p:BICFI"), 0);
	assert_int_equal(xp_count(f, "//p:DbtrAgt/p:FinInstnId[not(*)]"), 0);

	snprintf(f->p.debtor_bic, sizeof(f->p.debtor_bic), "ABNANL2AXXX");
	write_ok(f);
	validate(f);
	load(f);
	assert_xp(f, "//p:PmtInf[1]/p:DbtrAgt/p:FinInstnId/p:BICFI", "ABNANL2AXXX");
	assert_int_equal(xp_count(f, "//p:DbtrAgt/p:FinInstnId/p:Othr"), 0);
}

static void test_creditor_agent_only_with_bic(void **state)
{
	struct fx *f = *state;

	sample_txs(&f->src); /* tx 1 and 4 have a BIC */
	write_ok(f);
	load(f);
	assert_int_equal(xp_count(f, "//p:CdtrAgt"), 2);
	assert_xp(f, "//p:PmtInf[1]/p:CdtTrfTxInf[1]/p:CdtrAgt/p:FinInstnId/p:BICFI", "ABNANL2A");
	assert_int_equal(xp_count(f, "//p:PmtInf[1]/p:CdtTrfTxInf[2]/p:CdtrAgt"), 0);
	assert_int_equal(xp_count(f, "//p:PmtInf[1]/p:CdtTrfTxInf[3]/p:CdtrAgt"), 0);
	assert_xp(f, "//p:PmtInf[2]/p:CdtTrfTxInf[1]/p:CdtrAgt/p:FinInstnId/p:BICFI", "INGBNL2A");
	assert_int_equal(xp_count(f, "//p:PmtInf[2]/p:CdtTrfTxInf[2]/p:CdtrAgt"), 0);
}

static void test_ctgy_purp_only_when_set(void **state)
{
	struct fx *f = *state;

	sample_txs(&f->src);
	write_ok(f);
	load(f);
	assert_int_equal(xp_count(f, "//p:CtgyPurp"), 0);

	snprintf(f->p.ctgy_purp, sizeof(f->p.ctgy_purp), "SSBE");
	write_ok(f);
	validate(f);
	load(f);
	assert_int_equal(xp_count(f, "//p:PmtInf/p:PmtTpInf/p:CtgyPurp/p:Cd"), 2);
	assert_xp(f, "//p:PmtInf[2]/p:PmtTpInf/p:CtgyPurp/p:Cd", "SSBE");
}

static void test_purpose_codes(void **state)
{
	struct fx *f = *state;

	sample_txs(&f->src);
	snprintf(f->p.purp_derden, sizeof(f->p.purp_derden), "RENT");
	write_ok(f);
	validate(f);
	load(f);
	assert_int_equal(xp_count(f, "//p:PmtInf[1]/p:CdtTrfTxInf/p:Purp/p:Cd[.='SSBE']"), 3);
	assert_int_equal(xp_count(f, "//p:PmtInf[2]/p:CdtTrfTxInf/p:Purp/p:Cd[.='RENT']"), 2);
	assert_int_equal(xp_count(f, "//p:Purp/p:Cd"), 5);

	/* third-party payments need a configured code; a bad one is refused */
	f->p.purp_derden[0] = '\0';
	write_refused(f, BR_EINPUT, "geen doelcode (purpose code) ingesteld voor betalingen aan derden");
	snprintf(f->p.purp_derden, sizeof(f->p.purp_derden), "rent");
	write_refused(f, BR_EINPUT, "de doelcode voor derden (purpose code) is geen vier letters A-Z");
	snprintf(f->p.purp_derden, sizeof(f->p.purp_derden), "OTHR");
	snprintf(f->p.ctgy_purp, sizeof(f->p.ctgy_purp), "SS");
	write_refused(f, BR_EINPUT, "de categoriedoelcode (category purpose) is geen vier letters A-Z");
}

/* Names in the file: transliterated, and cut to 70 (EPC Nm ≤ 70). */
static void test_names_in_file(void **state)
{
	struct fx *f = *state;
	char longname[128], got[128];

	memset(longname, 'a', 80);
	longname[80] = '\0';
	add_tx(&f->src, PAIN001_CLIENT, "E2E-1", 100, "Ömer Şahin", "NL91ABNA0417164300", "", "Uitkering Ünal & Zn");
	add_tx(&f->src, PAIN001_CLIENT, "E2E-2", 100, longname, "NL91ABNA0417164300", "", NULL);
	f->p.debtor_name = "Gemeente Súdwest-Fryslân";
	write_ok(f);
	validate(f);
	load(f);
	assert_xp(f, "//p:CdtTrfTxInf[1]/p:Cdtr/p:Nm", "Omer Sahin");
	assert_xp(f, "//p:CdtTrfTxInf[1]/p:RmtInf/p:Ustrd", "Uitkering Unal + Zn");
	assert_xp(f, "//p:PmtInf/p:Dbtr/p:Nm", "Gemeente Sudwest-Fryslan");
	assert_int_equal(strlen(xp_str(f, "//p:CdtTrfTxInf[2]/p:Cdtr/p:Nm", got, sizeof(got))), 70);
	/* no remittance: no RmtInf rather than an empty one */
	assert_int_equal(xp_count(f, "//p:CdtTrfTxInf[2]/p:RmtInf"), 0);
}

/* ------------------------------------------------------------------ */
/* What the official schemas accept but a bank must never get        */

/* "currency USD": EUR is the only currency the writer can write. */
static void test_bold_currency_only_eur(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *buf, *s;
	int ccy = 0;

	sample_txs(&f->src);
	write_ok(f);
	load(f);
	assert_int_equal(xp_count(f, "//@Ccy"), 5);
	assert_int_equal(xp_count(f, "//p:InstdAmt[@Ccy='EUR']"), 5);
	assert_int_equal(xp_count(f, "//p:InstdAmt[@Ccy!='EUR']"), 0);
	assert_int_equal(xp_count(f, "//p:EqvtAmt | //p:Ccy"), 0);
	buf = slurp(f->path, &len);
	for (s = buf; (s = strstr(s, "Ccy=")) != NULL; s++) {
		assert_memory_equal(s, "Ccy=\"EUR\"", 9);
		ccy++;
	}
	assert_int_equal(ccy, 5);
	free(buf);
}

/* "wrong CtrlSum or NbOfTxs": computed, never taken from the caller. */
static void test_bold_ctrlsum_nboftxs_computed(void **state)
{
	struct fx *f = *state;
	char e2e[32];
	int k;

	for (k = 1; k <= 7; k++) {
		snprintf(e2e, sizeof(e2e), "E2E-%d", k);
		add_tx(&f->src, k <= 4 ? PAIN001_CLIENT : PAIN001_DERDE, e2e, 33333 + k, "Jan de Vries",
		       "NL91ABNA0417164300", "", "Uitkering");
	}
	f->p.max_per_batch = 3;
	f->st.n_tx = 999; /* garbage in the out-parameter is overwritten */
	write_ok(f);
	validate(f);
	load(f);
	check_sums(f);
	assert_int_equal(f->st.n_tx, 7);
	assert_int_equal(f->st.n_batches, 3); /* K1 3, K2 1, D1 3 */
	assert_xp(f, "//p:GrpHdr/p:CtrlSum", "2333.59");
}

/* "Ustrd and Strd together" (and an RF reference in Strd): never Strd. */
static void test_bold_no_strd(void **state)
{
	struct fx *f = *state;

	sample_txs(&f->src);
	write_ok(f);
	load(f);
	assert_int_equal(xp_count(f, "//p:Strd"), 0);
	assert_int_equal(xp_count(f, "//p:CdtrRefInf"), 0);
	assert_int_equal(xp_count(f, "//p:RmtInf"), 5);
	assert_int_equal(xp_count(f, "//p:RmtInf[count(p:Ustrd) = 1 and count(*) = 1]"), 5);
}

/* "UltmtDbtr at both levels": never written (nor UltmtCdtr). */
static void test_bold_no_ultimate_parties(void **state)
{
	struct fx *f = *state;

	sample_txs(&f->src);
	write_ok(f);
	load(f);
	assert_int_equal(xp_count(f, "//p:UltmtDbtr | //p:UltmtCdtr"), 0);
}

/* "ü or & in a name": transliterated (check_shape asserts ASCII, no &). */
static void test_bold_umlaut_ampersand(void **state)
{
	struct fx *f = *state;

	add_tx(&f->src, PAIN001_CLIENT, "E2E-1", 100, "Brigitte Müller-Lüdenscheidt", "NL91ABNA0417164300", "",
	       "Uitkering");
	add_tx(&f->src, PAIN001_DERDE, "E2E-2", 100, "Smith & Zonen", "NL44RABO0123456789", "", "Huur");
	f->p.initiator_name = "Gemeente Nijmegen & Co";
	write_ok(f);
	validate(f);
	check_shape(f);
	load(f);
	assert_xp(f, "//p:PmtInf[1]/p:CdtTrfTxInf/p:Cdtr/p:Nm", "Brigitte Muller-Ludenscheidt");
	assert_xp(f, "//p:PmtInf[2]/p:CdtTrfTxInf/p:Cdtr/p:Nm", "Smith + Zonen");
	assert_xp(f, "//p:GrpHdr/p:InitgPty/p:Nm", "Gemeente Nijmegen + Co");
}

/* "EndToEndId starting with / or holding //": refused. */
static void test_bold_end_to_end_slashes(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = { "/E2E-1", "E2E//1", "E2E-1/", "E2E 1", "E2E_1", "" };
	size_t k;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		f->src.n = 0;
		add_tx(&f->src, PAIN001_CLIENT, "E2E-0", 100, "Jan de Vries", "NL91ABNA0417164300", "", "x");
		add_tx(&f->src, PAIN001_CLIENT, bad[k], 100, "Jan de Vries", "NL91ABNA0417164300", "", "x");
		write_refused(f, BR_EINPUT, "EndToEndId");
		assert_non_null(strstr(f->err.msg, "transactie 2"));
	}
	/* and the same rules for MsgId */
	f->src.n = 0;
	add_tx(&f->src, PAIN001_CLIENT, "E2E-0", 100, "Jan de Vries", "NL91ABNA0417164300", "", "x");
	f->src.rewinds = 0;
	snprintf(f->p.msg_id, sizeof(f->p.msg_id), "/BR-1");
	write_refused(f, BR_EINPUT, "MsgId begint met '/'");
	snprintf(f->p.msg_id, sizeof(f->p.msg_id), "BR//1");
	write_refused(f, BR_EINPUT, "MsgId bevat '//'");
	assert_int_equal(f->src.rewinds, 0); /* refused before reading anything */
}

/* "CreDtTm with a +02:00 offset": never; exactly YYYY-MM-DDThh:mm:ss. */
static void test_bold_credttm_exact(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *buf;

	sample_txs(&f->src);
	write_ok(f);
	load(f);
	assert_xp(f, "//p:GrpHdr/p:CreDtTm", "2026-12-01T09:30:05");
	buf = slurp(f->path, &len);
	assert_non_null(strstr(buf, "<CreDtTm>2026-12-01T09:30:05</CreDtTm>"));
	free(buf);

	/* a summer timestamp: still no offset */
	f->p.cre_dt_tm = timestamp_from(date_from_ymd(2026, 7, 1), 0, 0, 0);
	write_ok(f);
	buf = slurp(f->path, &len);
	assert_non_null(strstr(buf, "<CreDtTm>2026-07-01T00:00:00</CreDtTm>"));
	free(buf);

	f->p.cre_dt_tm = timestamp_from(date_from_ymd(2200, 1, 1), 0, 0, 0);
	write_refused(f, BR_EINPUT, "CreDtTm");
}

/* "IBAN with a wrong mod-97 checksum": refused, creditor and debtor. */
static void test_bold_iban_mod97(void **state)
{
	struct fx *f = *state;

	add_tx(&f->src, PAIN001_CLIENT, "E2E-1", 100, "Jan de Vries", "NL91ABNA0417164301", "", "x");
	write_refused(f, BR_EINPUT, "voldoet niet aan de mod-97-controle: transactie 1");
	assert_non_null(strstr(f->err.msg, "E2E-1"));

	f->src.n = 0;
	add_tx(&f->src, PAIN001_CLIENT, "E2E-1", 100, "Jan de Vries", "nl91abna0417164300", "", "x");
	write_refused(f, BR_EINPUT, NULL);

	f->src.n = 0;
	add_tx(&f->src, PAIN001_CLIENT, "E2E-1", 100, "Jan de Vries", "NL91ABNA0417164300", "", "x");
	snprintf(f->p.debtor_iban, sizeof(f->p.debtor_iban), "NL02ABNA0123456788");
	write_refused(f, BR_EINPUT, "voldoet niet aan de mod-97-controle: de rekening van de betaler (DbtrAcct)");
}

/* "empty <FinInstnId/>": never; NOTPROVIDED, or no CdtrAgt at all; a BIC
 * that would not be one is refused rather than written. */
static void test_bold_no_empty_fininstnid(void **state)
{
	struct fx *f = *state;
	size_t len;
	char *buf;

	sample_txs(&f->src);
	write_ok(f);
	load(f);
	assert_int_equal(xp_count(f, "//p:FinInstnId[not(*)]"), 0);
	assert_int_equal(xp_count(f, "//p:BICFI[.='']"), 0);
	assert_no_empty_element(xmlDocGetRootElement(f->doc));
	buf = slurp(f->path, &len);
	assert_null(strstr(buf, "/>")); /* no self-closed (empty) element at all */
	free(buf);

	snprintf(f->src.tx[1].bic, sizeof(f->src.tx[1].bic), "ABNA");
	write_refused(f, BR_EINPUT, "de BIC van de begunstigde is geen geldige BIC");
	f->src.tx[1].bic[0] = '\0';
	snprintf(f->p.debtor_bic, sizeof(f->p.debtor_bic), "abnanl2a");
	write_refused(f, BR_EINPUT, "de BIC van de betaler is geen geldige BIC");
	/* V03's BIC pattern is stricter than V09's BICFI */
	snprintf(f->p.debtor_bic, sizeof(f->p.debtor_bic), "1BNANL2A");
	write_ok(f);
	validate(f);
	f->p.version = 3;
	write_refused(f, BR_EINPUT, "de BIC van de betaler is geen geldige BIC");
}

/* ------------------------------------------------------------------ */
/* Other refusals: nothing is left behind                              */

static void test_amounts(void **state)
{
	struct fx *f = *state;
	static const int64_t bad[] = { 0, -1, -12345, INT64_C(100000000000), INT64_MAX, INT64_MIN };
	size_t k;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		f->src.n = 0;
		add_tx(&f->src, PAIN001_CLIENT, "E2E-1", bad[k], "Jan de Vries", "NL91ABNA0417164300", "", "x");
		write_refused(f, BR_EINPUT, "ligt buiten 0.01 .. 999999999.99");
	}
	f->src.n = 0;
	add_tx(&f->src, PAIN001_CLIENT, "E2E-1", INT64_C(100000000000), "Jan de Vries", "NL91ABNA0417164300", "",
	       "x");
	write_refused(f, BR_EINPUT, "bedrag 1000000000.00 ligt buiten");
	f->src.tx[0].amount_cents = 0;
	write_refused(f, BR_EINPUT, "bedrag 0.00 ligt buiten");

	f->src.n = 0;
	add_tx(&f->src, PAIN001_CLIENT, "E2E-1", 1, "Jan de Vries", "NL91ABNA0417164300", "", "x");
	add_tx(&f->src, PAIN001_CLIENT, "E2E-2", INT64_C(99999999999), "Jan de Vries", "NL91ABNA0417164300", "",
	       "x");
	write_ok(f);
	validate(f);
}

static void test_duplicate_end_to_end(void **state)
{
	struct fx *f = *state;

	sample_txs(&f->src);
	add_tx(&f->src, PAIN001_DERDE, "BR-2026-12-000002", 100, "Jan de Vries", "NL91ABNA0417164300", "", "x");
	write_refused(f, BR_EINPUT, "EndToEndId BR-2026-12-000002 komt twee keer voor in het bestand");
	assert_non_null(strstr(f->err.msg, "transactie 6"));
}

/* Many ids: the uniqueness set grows (and still finds the duplicate). */
static void test_duplicate_after_growth(void **state)
{
	struct fx *f = *state;
	char e2e[32];
	int k;

	for (k = 0; k < 1500; k++) {
		snprintf(e2e, sizeof(e2e), "E2E-%d", k);
		add_tx(&f->src, PAIN001_CLIENT, e2e, 100 + k, "Jan de Vries", "NL91ABNA0417164300", "", "x");
	}
	f->p.max_per_batch = 700;
	write_ok(f);
	validate(f);
	load(f);
	check_sums(f);
	assert_int_equal(f->st.n_batches, 3);
	add_tx(&f->src, PAIN001_CLIENT, "E2E-17", 100, "Jan de Vries", "NL91ABNA0417164300", "", "x");
	write_refused(f, BR_EINPUT, "komt twee keer voor in het bestand");
}

/* No BSN anywhere: a run of 9 or more digits in a name or remittance. */
static void test_bsn_digit_runs(void **state)
{
	struct fx *f = *state;

	add_tx(&f->src, PAIN001_CLIENT, "E2E-1", 100, "J de Vries 123456782", "NL91ABNA0417164300", "", "x");
	write_refused(f, BR_EINPUT, "bevat 9 of meer cijfers achter elkaar (mogelijk een BSN)");
	assert_null(strstr(f->err.msg, "123456782")); /* not even in the message */

	f->src.tx[0].creditor_name = "Jan de Vries";
	f->src.tx[0].remittance = "Uitkering BSN 1234567820 dossier PW-0405-000123";
	write_refused(f, BR_EINPUT, "omschrijving bevat 9 of meer cijfers achter elkaar (mogelijk een BSN)");

	f->src.tx[0].remittance = "Uitkering dossier 12345678 PW-0405-000123"; /* 8: fine */
	write_ok(f);

	f->p.debtor_name = "Gemeente 123456789";
	write_refused(f, BR_EINPUT, "naam van de betaler (Dbtr/Nm)");
}

static void test_empty_names(void **state)
{
	struct fx *f = *state;

	add_tx(&f->src, PAIN001_CLIENT, "E2E-1", 100, "王小明", "NL91ABNA0417164300", "", "x");
	write_refused(f, BR_EINPUT, "is leeg na omzetting naar de EPC-basisset van Latijnse tekens");
	f->src.tx[0].creditor_name = "  &&  ";
	write_ok(f); /* "++" is a name in the basic set */
	f->src.tx[0].creditor_name = "";
	write_refused(f, BR_EINPUT, "naam van de begunstigde van transactie 1");
	f->src.tx[0].creditor_name = NULL;
	write_refused(f, BR_EINPUT, "naam van de begunstigde van transactie 1");
	f->src.tx[0].creditor_name = "Caf\xc3";
	write_refused(f, BR_EINPUT, "is geen geldige UTF-8");
	f->src.tx[0].creditor_name = "Jan";
	f->p.initiator_name = "";
	write_refused(f, BR_EINPUT, "InitgPty");
}

static void test_params(void **state)
{
	struct fx *f = *state;

	sample_txs(&f->src);
	f->p.version = 8;
	write_refused(f, BR_EINPUT, "pain.001-versie 8 wordt niet ondersteund (9 of 3)");
	f->p.version = 9;
	f->p.max_per_batch = 0;
	write_refused(f, BR_EINPUT, "max_per_batch is 0; minstens 1");
	f->p.max_per_batch = 100;
	f->p.reqd_exctn_dt = date_from_ymd(1899, 12, 31);
	write_refused(f, BR_EINPUT, "ReqdExctnDt");
	f->p.reqd_exctn_dt = date_from_ymd(2026, 11, 30); /* CreDtTm is 2026-12-01 */
	write_refused(f, BR_EINPUT, "ReqdExctnDt ligt vóór de dag van CreDtTm");
	f->p.reqd_exctn_dt = date_from_ymd(2026, 12, 1);
	write_ok(f);
	f->p.reqd_exctn_dt = date_from_ymd(2026, 12, 24);
	/* MsgId 33 + "-K1" = 36: PmtInfId would be too long */
	snprintf(f->p.msg_id, sizeof(f->p.msg_id), "%s", "ABCDEFGHIJABCDEFGHIJABCDEFGHIJABC");
	write_refused(f, BR_EINPUT, "PmtInfId");
	snprintf(f->p.msg_id, sizeof(f->p.msg_id), "%s", "ABCDEFGHIJABCDEFGHIJABCDEFGHIJAB");
	write_ok(f);
	validate(f);
	/* no transactions: no file */
	f->src.n = 0;
	write_refused(f, BR_EINPUT, "geen transacties: een betaalbestand bevat er minstens één");
	/* kind out of range */
	add_tx(&f->src, PAIN001_CLIENT, "E2E-1", 100, "Jan", "NL91ABNA0417164300", "", "x");
	f->src.tx[0].kind = (enum pain001_kind)7;
	write_refused(f, BR_EINPUT, "onbekende soort betaling");
}

/* The source fails on either pass, or changes between passes. */
static void test_source_failures(void **state)
{
	struct fx *f = *state;

	sample_txs(&f->src);
	f->src.fail_on_rewind = 1;
	write_refused(f, BR_EIO, "cannot reread the payments");
	f->src.rewinds = 0;
	f->src.fail_on_rewind = 2;
	write_refused(f, BR_EIO, "cannot reread the payments");
	f->src.rewinds = 0;
	f->src.fail_on_rewind = 0;
	f->src.fail_on_next_pass = 2; /* mid-file, temp file exists */
	write_refused(f, BR_EIO, "payment store went away");
	f->src.rewinds = 0;
	f->src.fail_on_next_pass = 0;
	f->src.change_pass2 = 1;
	write_refused(f, BR_EINTERNAL, "de transactiebron gaf in de tweede ronde andere transacties");
}

/* A write error (file size limit: write(2) fails with EFBIG) is BR_EIO
 * and leaves nothing; so is a missing directory. */
static void test_write_errors(void **state)
{
	struct fx *f = *state;
	struct rlimit old, lim;
	void (*old_handler)(int);
	char e2e[32];
	int k, rc;

	for (k = 0; k < 64; k++) {
		snprintf(e2e, sizeof(e2e), "E2E-%d", k);
		add_tx(&f->src, PAIN001_CLIENT, e2e, 100, "Jan de Vries", "NL91ABNA0417164300", "", "Uitkering");
	}
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 2000;
	old_handler = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	br_error_clear(&f->err);
	rc = pain001_write(f->path, &f->p, &f->s, &f->st, &f->err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, old_handler);
	assert_int_equal(rc, BR_EIO);
	assert_non_null(strstr(f->err.msg, "kan niet worden geschreven"));
	assert_int_equal(dir_entries(f), 0);

	snprintf(f->path, sizeof(f->path), "%s/missing/pain.001.xml", f->dir);
	write_refused(f, BR_EIO, "er kan geen tijdelijk bestand voor");
}

/* ------------------------------------------------------------------ */
/* Transliteration and identifiers                                     */

static void expect_translit(const char *in, size_t max, const char *want)
{
	char out[256];
	struct br_error err;
	int n;

	br_error_clear(&err);
	n = pain001_translit(out, sizeof(out), in, max, &err);
	if (n < 0)
		fail_msg("translit(\"%s\") failed: %s", in, err.msg);
	if (strcmp(out, want) != 0)
		fail_msg("translit(\"%s\") = \"%s\", want \"%s\"", in, out, want);
	assert_int_equal(n, (int)strlen(want));
}

static void test_translit_table(void **state)
{
	char in[128], want[128];

	(void)state;
	expect_translit("Zoë van Dijk", 70, "Zoe van Dijk");
	expect_translit("José Çelik", 70, "Jose Celik");
	expect_translit("Brigitte Müller-Lüdenscheidt", 70, "Brigitte Muller-Ludenscheidt");
	expect_translit("Ömer Şahin", 70, "Omer Sahin");
	expect_translit("Łukasz Kowalski", 70, "Lukasz Kowalski");
	expect_translit("Søren Ærø", 70, "Soren AEro");
	expect_translit("Smith & Zonen", 70, "Smith + Zonen");
	expect_translit("Jose\xcc\x81 e\xcc\x81\xcc\x88n", 70, "Jose en"); /* combining marks */
	expect_translit("e\xcc\x81", 70, "e");
	expect_translit("\xcc\x81" "abc", 70, "abc");  /* a mark on nothing: a space, trimmed */
	expect_translit("ab \xcc\x81 cd", 70, "ab cd"); /* ... or collapsed */
	expect_translit("Straße", 70, "Strasse");
	expect_translit("æ ø å ç ş ı ł", 70, "ae o a c s i l");
	expect_translit("Œuvre œil", 70, "OEuvre oeil");
	expect_translit("Đorđe Þór Guðrún þ", 70, "Dorde THor Gudrun th");
	expect_translit("Ĳsselmeer", 70, "IJsselmeer");
	expect_translit("Nguyễn Văn Thắng", 70, "Nguyen Van Thang");
	expect_translit("王小明", 70, "");
	expect_translit("王 Li 明", 70, "Li");
	expect_translit("", 70, "");
	expect_translit("   a   b   ", 70, "a b");
	expect_translit("a\tb\nc_d@e;f\"g<h>i", 70, "a b c d e f g h i");
	expect_translit("O'Brien (jr.), a/b-c? d:e +f", 70, "O'Brien (jr.), a/b-c? d:e +f");
	expect_translit("x\xc2\xa0y", 70, "x y"); /* NBSP */
	expect_translit("\xef\xbb\xbf" "BOM", 70, "BOM");
	expect_translit("10 × 2 ÷ 5", 70, "10 2 5");
	/* cut, then trimmed again */
	memset(in, 'a', 80);
	in[80] = '\0';
	memset(want, 'a', 70);
	want[70] = '\0';
	expect_translit(in, 70, want);
	expect_translit("abc def", 4, "abc");
	expect_translit("abcd  ef", 5, "abcd");
	expect_translit("ß", 1, "s");
	expect_translit("Æbc", 1, "A");
}

static void test_translit_errors(void **state)
{
	static const char *const bad[] = {
		"\xc3",             /* truncated */
		"a\xc3(",           /* bad continuation */
		"\xc0\xaf",         /* overlong '/' */
		"\xe0\x80\xaf",     /* overlong */
		"\xed\xa0\x80",     /* surrogate */
		"\xf4\x90\x80\x80", /* above U+10FFFF */
		"\xff",
		"\x80",
		"ok then \xc3\xa9\xe9", /* after valid text, and past the cut */
	};
	char out[16];
	struct br_error err;
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		br_error_clear(&err);
		assert_int_equal(pain001_translit(out, sizeof(out), bad[k], 4, &err), BR_EINPUT);
		assert_string_equal(out, "");
		assert_non_null(strstr(err.msg, "geen geldige UTF-8"));
	}
	/* cap smaller than max_chars: the cap wins, NUL included */
	assert_int_equal(pain001_translit(out, 4, "abcdef", 70, NULL), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(pain001_translit(out, sizeof(out), NULL, 70, NULL), 0);
	assert_int_equal(pain001_translit(NULL, 0, "a", 70, NULL), BR_EINTERNAL);
}

static void test_id_valid(void **state)
{
	(void)state;
	assert_true(pain001_id_valid("BR-2026-12-000001"));
	assert_true(pain001_id_valid("a/b:c?(d).e,f'g+h"));
	assert_true(pain001_id_valid("12345678901234567890123456789012345"));
	assert_false(pain001_id_valid("123456789012345678901234567890123456"));
	assert_false(pain001_id_valid(""));
	assert_false(pain001_id_valid(NULL));
	assert_false(pain001_id_valid("/abc"));
	assert_false(pain001_id_valid("abc/"));
	assert_false(pain001_id_valid("a//b"));
	assert_false(pain001_id_valid("a b"));
	assert_false(pain001_id_valid("a&b"));
	assert_false(pain001_id_valid("caf\xc3\xa9"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_v09_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v03_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v03_notprovided, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reproducible, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusal_keeps_old_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_at_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_by_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_debtor_agent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_creditor_agent_only_with_bic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctgy_purp_only_when_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purpose_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_names_in_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bold_currency_only_eur, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bold_ctrlsum_nboftxs_computed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bold_no_strd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bold_no_ultimate_parties, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bold_umlaut_ampersand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bold_end_to_end_slashes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bold_credttm_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bold_iban_mod97, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bold_no_empty_fininstnid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_amounts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_end_to_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_after_growth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bsn_digit_runs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_params, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_errors, setup, teardown),
		cmocka_unit_test(test_translit_table),
		cmocka_unit_test(test_translit_errors),
		cmocka_unit_test(test_id_valid),
	};

	xmlin_global_init(); /* as the CLI does: libxml2 quiet, no network */
	return cmocka_run_group_tests(tests, NULL, NULL);
}

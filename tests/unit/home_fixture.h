/*
 * home_fixture.h — a data directory for the unit tests of the pipeline
 * stages (test_intake.c, test_snapshot.c, test_settle_store.c,
 * test_payrun.c, test_store_faults.c), set up the way `betaalrun init`
 * and pipeline/main.c do it, through the public headers only:
 *
 *   BETAALRUN_NOW 2026-11-28T10:00:00 unless set; home/ (mkdtemp) with
 *   inbox/ quarantine/ archive/ out/ outbox/, the store home/betaalrun.db
 *   (store_open with create), the defaults of config.h, and the shipped
 *   signal table and rules from $BR_SOURCE_DIR/data (else the compile-time
 *   BR_SOURCE_DIR).
 *
 * Input files are written by hand from small builders (fx_register,
 * fx_polis) into the inbox and ingested with intake_run, as `ingest`
 * does.  home_dump() gives the store's whole content as canonical text
 * (every table, every row, ordered by every column) so that a test can say
 * "nothing changed".
 *
 * Header-only; each test includes it once.  Functions a test does not use
 * are marked unused.
 */
#ifndef BR_HOME_FIXTURE_H
#define BR_HOME_FIXTURE_H

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "config.h"
#include "error.h"
#include "fsutil.h"
#include "intake.h"
#include "rules.h"
#include "rules_xml.h"
#include "signaltable.h"
#include "store.h"

#define FX_UNUSED __attribute__((unused))
#define FX_PATH 512

struct home_fx {
	char dir[FX_PATH / 2];
	char inbox[FX_PATH], quarantine[FX_PATH], archive[FX_PATH], db[FX_PATH];
	char data[FX_PATH];
	struct config cfg;
	struct signaltable sig;
	struct rules rules;
	struct store *st;
	struct br_error err;
};

static FX_UNUSED const char *fx_source_dir(void)
{
	const char *s = getenv("BR_SOURCE_DIR");

	return s && *s ? s : BR_SOURCE_DIR;
}

/* "<home>/<rel>" into a rotating static buffer (four at a time). */
static FX_UNUSED const char *fx_path(const struct home_fx *fx, const char *rel)
{
	static char buf[4][FX_PATH * 2];
	static int next;
	char *p = buf[next++ & 3];

	snprintf(p, sizeof(buf[0]), "%s/%s", fx->dir, rel);
	return p;
}

/* 0, or -1 with the problem on stderr (setup functions cannot assert). */
static FX_UNUSED int home_open(struct home_fx *fx, const char *name)
{
	static const char *const sub[] = { "inbox", "quarantine", "archive", "out", "outbox" };
	const char *t = getenv("TMPDIR");
	char path[FX_PATH * 2], xsd[FX_PATH * 2];
	size_t i;

	memset(fx, 0, sizeof(*fx));
	br_error_clear(&fx->err);
	/* the clock of every command (cli.md BETAALRUN_NOW): archive months,
	 * run ids and dates do not depend on the day the tests run */
	setenv("BETAALRUN_NOW", "2026-11-28T10:00:00", 0);
	snprintf(fx->dir, sizeof(fx->dir), "%.150s/%.40s.XXXXXX", t && *t ? t : "/tmp", name);
	if (!mkdtemp(fx->dir))
		return -1;
	for (i = 0; i < sizeof(sub) / sizeof(sub[0]); i++)
		if (mkdir(fx_path(fx, sub[i]), 0700) != 0)
			return -1;
	snprintf(fx->inbox, sizeof(fx->inbox), "%s/inbox", fx->dir);
	snprintf(fx->quarantine, sizeof(fx->quarantine), "%s/quarantine", fx->dir);
	snprintf(fx->archive, sizeof(fx->archive), "%s/archive", fx->dir);
	snprintf(fx->db, sizeof(fx->db), "%s/betaalrun.db", fx->dir);
	snprintf(fx->data, sizeof(fx->data), "%s/data", fx_source_dir());
	config_init(&fx->cfg);
	snprintf(path, sizeof(path), "%s/rules/signaaltabel.xml", fx->data);
	snprintf(xsd, sizeof(xsd), "%s/schemas/signaaltabel.xsd", fx->data);
	if (signaltable_load(&fx->sig, path, xsd, &fx->err) < 0)
		goto fail;
	snprintf(path, sizeof(path), "%s/rules/regels.xml", fx->data);
	snprintf(xsd, sizeof(xsd), "%s/schemas/regels.xsd", fx->data);
	if (rules_load(&fx->rules, path, xsd, &fx->err) < 0)
		goto fail;
	if (store_open(&fx->st, fx->db, 1, &fx->err) < 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "home_open: %s\n", fx->err.msg);
	return -1;
}

static FX_UNUSED int home_close(struct home_fx *fx)
{
	struct br_error err;

	br_error_clear(&err);
	store_close(fx->st);
	fx->st = NULL;
	signaltable_release(&fx->sig);
	rules_release(&fx->rules);
	return fsutil_remove_tree(fx->dir, &err);
}

/* Write `text` to home/inbox/<name> (0600). */
static FX_UNUSED void fx_drop(const struct home_fx *fx, const char *name, const char *text)
{
	char path[FX_PATH * 2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fx->inbox, name);
	f = fopen(path, "wb");
	if (!f || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		abort();
	}
}

/* The intake options `ingest` uses (pipeline/main.c). */
static FX_UNUSED void fx_intake_opts(struct intake_opts *o, const struct home_fx *fx)
{
	memset(o, 0, sizeof(*o));
	o->home = fx->dir;
	o->inbox = fx->inbox;
	o->cfg = &fx->cfg;
	o->data_dir = fx->data;
	o->signals = &fx->sig;
}

static FX_UNUSED int fx_ingest(struct home_fx *fx, struct intake_summary *sum)
{
	struct intake_opts o;

	fx_intake_opts(&o, fx);
	memset(sum, 0, sizeof(*sum));
	br_error_clear(&fx->err);
	return intake_run(sum, fx->st, &o, &fx->err);
}

/* ---- input builders ------------------------------------------------------ */

/* A growing text; abort on out of memory (tests only). */
struct fx_text {
	char *s;
	size_t len, cap;
};

static FX_UNUSED void fx_addf(struct fx_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static FX_UNUSED void fx_addf(struct fx_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			abort();
		if (t->s && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return;
		}
		t->cap = (t->cap + (size_t)n + 1) * 2;
		if (!(t->s = realloc(t->s, t->cap)))
			abort();
	}
}

static FX_UNUSED void fx_text_free(struct fx_text *t)
{
	free(t->s);
	memset(t, 0, sizeof(*t));
}

/* One register <Dossier> (formats.md §1).  `partner_bsn` NULL for none (then
 * leefvorm ALLEENSTAAND unless given); `extra` is appended inside the
 * element after Betaalrekening (Vrijlating, Inhouding, ...), or NULL. */
struct fx_dossier {
	const char *nummer, *bsn, *naam, *geboren;
	const char *regeling;      /* NULL: PW (an IOAW/IOAZ/BBZ one needs VastBedrag in `extra`) */
	const char *partner_bsn, *partner_naam, *partner_geboren;
	const char *leefvorm;      /* NULL: ALLEENSTAAND, or GEHUWD with a partner */
	const char *ingang, *einde;
	const char *iban;
	const char *extra;
	int kostendelers;
};

static FX_UNUSED void fx_dossier_xml(struct fx_text *t, const struct fx_dossier *d)
{
	fx_addf(t, "  <Dossier>\n    <Dossiernummer>%s</Dossiernummer>\n    <Regeling>%s</Regeling>\n"
		   "    <Gemeente>0405</Gemeente>\n    <Ingangsdatum>%s</Ingangsdatum>\n",
		d->nummer, d->regeling ? d->regeling : "PW", d->ingang ? d->ingang : "2025-01-01");
	if (d->einde)
		fx_addf(t, "    <Einddatum>%s</Einddatum>\n", d->einde);
	fx_addf(t, "    <Aanvrager>\n      <BSN>%s</BSN>\n      <Naam>%s</Naam>\n"
		   "      <Geboortedatum>%s</Geboortedatum>\n    </Aanvrager>\n",
		d->bsn, d->naam, d->geboren ? d->geboren : "1980-05-05");
	if (d->partner_bsn)
		fx_addf(t, "    <Partner>\n      <BSN>%s</BSN>\n      <Naam>%s</Naam>\n"
			   "      <Geboortedatum>%s</Geboortedatum>\n    </Partner>\n",
			d->partner_bsn, d->partner_naam ? d->partner_naam : "Partner",
			d->partner_geboren ? d->partner_geboren : "1981-06-06");
	fx_addf(t, "    <Leefvorm>%s</Leefvorm>\n    <Kostendelers>%d</Kostendelers>\n"
		   "    <Betaalrekening>\n      <IBAN>%s</IBAN>\n      <Tenaamstelling>%s</Tenaamstelling>\n"
		   "    </Betaalrekening>\n%s  </Dossier>\n",
		d->leefvorm ? d->leefvorm : d->partner_bsn ? "GEHUWD" : "ALLEENSTAAND", d->kostendelers,
		d->iban, d->naam, d->extra ? d->extra : "");
}

/* A whole register file of `n` dossiers; the caller frees t->s. */
static FX_UNUSED void fx_register(struct fx_text *t, const char *levering_id, const char *peildatum,
				  const char *aanmaak, const struct fx_dossier *d, int n)
{
	int i;

	fx_addf(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<Clientregister xmlns=\"urn:nl:betaalrun:clientregister:1\" leveringId=\"%s\"\n"
		   "                peildatum=\"%s\" aanmaakdatum=\"%s\">\n",
		levering_id, peildatum, aanmaak);
	for (i = 0; i < n; i++)
		fx_dossier_xml(t, &d[i]);
	fx_addf(t, "</Clientregister>\n");
}

/* One Polis record (formats.md §2): net = lnlbph − inglbph (the other
 * deductions 0.00); `vervangt` names the record it replaces (NULL: none),
 * `intrekking` makes it a withdrawal of that record. */
struct fx_income {
	const char *opgave_id, *bsn, *soort, *van, *tot, *lnlbph, *inglbph;
	const char *vervangt;
	int intrekking;
};

static FX_UNUSED void fx_polis(struct fx_text *t, const char *levering_id, const char *aanmaak,
			       const struct fx_income *r, int n)
{
	int i;

	fx_addf(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		   "<Inkomstenlevering xmlns=\"urn:nl:betaalrun:polis:1\" leveringId=\"%s\" aanmaakdatum=\"%s\">\n",
		levering_id, aanmaak);
	for (i = 0; i < n; i++) {
		fx_addf(t, "  <Inkomstenopgave>\n    <OpgaveId>%s</OpgaveId>\n", r[i].opgave_id);
		if (r[i].vervangt)
			fx_addf(t, "    <Vervangt>%s</Vervangt>\n    <Intrekking>%s</Intrekking>\n", r[i].vervangt,
				r[i].intrekking ? "true" : "false");
		fx_addf(t, "    <BSN>%s</BSN>\n"
			   "    <LhNr>123456789L01</LhNr>\n    <NumIV>1</NumIV>\n"
			   "    <Inkomstensoort>%s</Inkomstensoort>\n"
			   "    <DatAanvTv>%s</DatAanvTv>\n    <DatEindTv>%s</DatEindTv>\n"
			   "    <LnLbPh>%s</LnLbPh>\n    <VakBsl>0.00</VakBsl>\n    <ExtrPerSal>0.00</ExtrPerSal>\n"
			   "    <OpnAvwb>0.00</OpnAvwb>\n    <WrdPrGebrAut>0.00</WrdPrGebrAut>\n"
			   "    <IngLbPh>%s</IngLbPh>\n    <BijdrZvw>0.00</BijdrZvw>\n"
			   "    <PrWgaWhkWn>0.00</PrWgaWhkWn>\n    <IndHeffingskorting>true</IndHeffingskorting>\n"
			   "  </Inkomstenopgave>\n",
			r[i].bsn, r[i].soort ? r[i].soort : "ARBEID", r[i].van, r[i].tot,
			r[i].lnlbph, r[i].inglbph ? r[i].inglbph : "0.00");
	}
	fx_addf(t, "</Inkomstenlevering>\n");
}

/* ---- looking at the store and the directory ------------------------------ */

/* Run `sql` on the store's connection; abort when it fails (tests only). */
static FX_UNUSED void fx_exec(struct home_fx *fx, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(store_db(fx->st), sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "fx_exec: %s: %s\n", sql, msg ? msg : "?");
		abort();
	}
}

/* The first column of the first row of `sql` as a number (0 when none). */
static FX_UNUSED long long fx_count(struct home_fx *fx, const char *sql)
{
	sqlite3_stmt *s = NULL;
	long long v = 0;

	if (sqlite3_prepare_v2(store_db(fx->st), sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "fx_count: %s: %s\n", sql, sqlite3_errmsg(store_db(fx->st)));
		abort();
	}
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The first column of the first row of `sql` as text into a static buffer. */
static FX_UNUSED const char *fx_text1(struct home_fx *fx, const char *sql)
{
	static char buf[2][1024];
	static int next;
	char *out = buf[next++ & 1];
	sqlite3_stmt *s = NULL;

	out[0] = '\0';
	if (sqlite3_prepare_v2(store_db(fx->st), sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "fx_text1: %s: %s\n", sql, sqlite3_errmsg(store_db(fx->st)));
		abort();
	}
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, sizeof(buf[0]), "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return out;
}

/* Every row of every table of connection `db`, ordered by all its columns,
 * as text (caller frees).  Blobs in hex, NULL as \N. */
static FX_UNUSED char *fx_dump_db(sqlite3 *db)
{
	struct fx_text out = { 0 }, sql = { 0 };
	sqlite3_stmt *tabs = NULL, *s = NULL;

	if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
				   " ORDER BY name", -1, &tabs, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(tabs) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tabs, 0);
		int i, n;

		fx_addf(&out, "== %s\n", name);
		sql.len = 0;
		fx_addf(&sql, "SELECT * FROM \"%s\"", name);
		if (sqlite3_prepare_v2(db, sql.s, -1, &s, NULL) != SQLITE_OK)
			abort();
		n = sqlite3_column_count(s);
		sqlite3_finalize(s);
		fx_addf(&sql, " ORDER BY ");
		for (i = 1; i <= n; i++)
			fx_addf(&sql, "%s%d", i > 1 ? "," : "", i);
		if (sqlite3_prepare_v2(db, sql.s, -1, &s, NULL) != SQLITE_OK)
			abort();
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (i = 0; i < n; i++) {
				int type = sqlite3_column_type(s, i);
				if (i)
					fx_addf(&out, "|");
				if (type == SQLITE_NULL) {
					fx_addf(&out, "\\N");
				} else if (type == SQLITE_BLOB) {
					const unsigned char *b = sqlite3_column_blob(s, i);
					int k, len = sqlite3_column_bytes(s, i);
					for (k = 0; k < len; k++)
						fx_addf(&out, "%02x", b[k]);
				} else {
					fx_addf(&out, "%s", (const char *)sqlite3_column_text(s, i));
				}
			}
			fx_addf(&out, "\n");
		}
		sqlite3_finalize(s);
	}
	sqlite3_finalize(tabs);
	fx_text_free(&sql);
	if (!out.s)
		fx_addf(&out, "%s", "");
	return out.s;
}

static FX_UNUSED char *home_dump(struct home_fx *fx)
{
	return fx_dump_db(store_db(fx->st));
}

/* Every name under `dir` (recursively, relative, sorted, one a line, "/"
 * after directories); caller frees.  Used to see that nothing was left. */
static FX_UNUSED void fx_tree_into(struct fx_text *t, const char *dir, const char *rel)
{
	struct dirent **names = NULL;
	char path[FX_PATH * 4], sub[FX_PATH * 2];
	int n, i;

	snprintf(path, sizeof(path), "%s%s%s", dir, *rel ? "/" : "", rel);
	if ((n = scandir(path, &names, NULL, alphasort)) < 0)
		return;
	for (i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		struct stat st;
		char full[FX_PATH * 6];

		if (strcmp(nm, ".") && strcmp(nm, "..")) {
			snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", nm);
			snprintf(full, sizeof(full), "%s/%s", path, nm);
			if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
				fx_addf(t, "%s/\n", sub);
				fx_tree_into(t, dir, sub);
			} else {
				fx_addf(t, "%s\n", sub);
			}
		}
		free(names[i]);
	}
	free(names);
}

static FX_UNUSED char *fx_tree(const char *dir)
{
	struct fx_text t = { 0 };

	fx_tree_into(&t, dir, "");
	if (!t.s)
		fx_addf(&t, "%s", "");
	return t.s;
}

/* The value of "key: value" in a quarantine reason file, into a static
 * buffer ("" when absent). */
static FX_UNUSED const char *fx_reason_field(const char *path, const char *key)
{
	static char val[2048];
	char line[4096];
	size_t klen = strlen(key);
	FILE *f = fopen(path, "r");

	val[0] = '\0';
	if (!f)
		return val;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':' && line[klen + 1] == ' ') {
			snprintf(val, sizeof(val), "%s", line + klen + 2);
			val[strcspn(val, "\n")] = '\0';
			break;
		}
	}
	fclose(f);
	return val;
}

/* ---- signing keys --------------------------------------------------------- */

/*
 * No key is committed: make in a new mkdtemp directory `dir` (cap bytes),
 * with the openssl CLI, a throwaway CA (dir/ca.pem, the trust file) and two
 * signers it issued, as PEM key + certificate: dir/prep.pem (CN=Preparer)
 * and dir/appr.pem (CN=Approver).  Made once per test program (a group
 * setup): RSA keys take a while.  0, or -1 when openssl failed.
 */
static FX_UNUSED int fx_make_keys(char *dir, size_t cap)
{
	const char *t = getenv("TMPDIR");
	char cmd[4096];
	int n;

	snprintf(dir, cap, "%.150s/betaalrun-keys.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	n = snprintf(cmd, sizeof(cmd),
		     "(set -e; cd '%s'\n"
		     "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30"
		     " -subj '/O=Betaalrun Test/CN=Test CA'\n"
		     "for who in Preparer Approver; do\n"
		     "  openssl req -newkey rsa:2048 -nodes -keyout $who.key -out $who.csr"
		     "   -subj \"/O=WerkSaam Westfriesland/CN=$who\"\n"
		     "  openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -out $who.crt\n"
		     "done\n"
		     "cat Preparer.key Preparer.crt >prep.pem; cat Approver.key Approver.crt >appr.pem\n"
		     ") >/dev/null 2>&1",
		     dir);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -1;
	return system(cmd) == 0 ? 0 : -1;
}

#endif

/*
 * test_intake.c — the file drop of pipeline/intake.h on small hand-made
 * files in a temporary data directory (home_fixture.h):
 *
 *  - a good register is ingested once: its records in the store, the file
 *    archived and gone from the inbox; the same bytes again are a
 *    duplicate that adds nothing but the duplicate's own record;
 *  - a malformed file is quarantined byte for byte beside NAME.reason with
 *    the line and the problem, and nothing of it reaches the store;
 *  - one bad file among good ones does not hold the others back;
 *  - new files are processed by aanmaakdatum, not by name: a snapshot named
 *    to sort first but made later still comes second;
 *  - records for a BSN no person of the register has are kept and counted
 *    per file (formats.md §2), income and signals alike, also when the
 *    store already holds earlier files' records;
 *  - a large file (from 1 MiB) is read in place under a read lease, not
 *    copied: every dossier stored, the delivery's hash that of the bytes
 *    dropped, no private copy left (intake.c "reading in place"; here under
 *    the sanitizers too).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>

#include "bsn.h"
#include "home_fixture.h"

#include "banned.h"

static int setup(void **state)
{
	static struct home_fx fx;

	if (home_open(&fx, "test_intake") < 0)
		return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	return home_close(*state);
}

static const struct fx_dossier JANSEN = {
	.nummer = "PW-0405-000001", .bsn = "100000009", .naam = "P. Jansen", .iban = "NL64ABNA0417164301",
};
static const struct fx_dossier DE_VRIES = {
	.nummer = "PW-0405-000002", .bsn = "100000010", .naam = "A. de Vries", .iban = "NL37ABNA0417164302",
	.partner_bsn = "100000022", .partner_naam = "B. de Vries",
};

static void drop_register(struct home_fx *fx, const char *name, const char *id, const char *peil,
			  const char *aanmaak, const struct fx_dossier *d, int n)
{
	struct fx_text t = { 0 };

	fx_register(&t, id, peil, aanmaak, d, n);
	fx_drop(fx, name, t.s);
	fx_text_free(&t);
}

static void drop_polis(struct home_fx *fx, const char *name, const char *id, const char *aanmaak,
		       const struct fx_income *r, int n)
{
	struct fx_text t = { 0 };

	fx_polis(&t, id, aanmaak, r, n);
	fx_drop(fx, name, t.s);
	fx_text_free(&t);
}

static void read_all(const char *path, struct fx_text *t)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fx_addf(t, "%.*s", (int)n, buf);
	fclose(f);
}

static void test_register_once(void **state)
{
	struct home_fx *fx = *state;
	const struct fx_dossier two[] = { JANSEN, DE_VRIES };
	struct intake_summary sum;
	char *before, *after, *tree;

	drop_register(fx, "register.xml", "REG-2026-10-27", "2026-10-27", "2026-10-27T18:00:00", two, 2);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	assert_int_equal(sum.ingested, 1);
	assert_int_equal(sum.duplicates, 0);
	assert_int_equal(sum.quarantined, 0);
	assert_int_equal(sum.records, 2);
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM levering WHERE soort = 'register' AND gearchiveerd = 1"), 1);
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM snapshot WHERE peildatum = '2026-10-27'"), 1);
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM dossier"), 2);
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM persoon"), 3);
	/* the couple's stand has the partner; both from October 1st */
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM stand s JOIN dossier d ON d.id = s.dossier"
				      " WHERE d.nummer = 'PW-0405-000002' AND s.leefvorm = 'GEHUWD'"
				      " AND s.partner IS NOT NULL AND s.vanaf = '2026-10-01'"), 1);
	/* the inbox is empty, the archive holds the file (gzip) under the
	 * month it was received (BETAALRUN_NOW, home_fixture.h) */
	tree = fx_tree(fx->inbox);
	assert_string_equal(tree, "");
	free(tree);
	tree = fx_tree(fx->archive);
	assert_string_equal(tree, "2026/\n2026/11/\n2026/11/register.xml.gz\n");
	free(tree);
	assert_true(fsutil_is_gzip(fx_path(fx, "archive/2026/11/register.xml.gz")));

	/* The same bytes again (under another name): a duplicate.  Only the
	 * duplicate's own row is added; the register is as it was. */
	before = home_dump(fx);
	drop_register(fx, "register-again.xml", "REG-2026-10-27", "2026-10-27", "2026-10-27T18:00:00", two, 2);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	assert_int_equal(sum.ingested, 0);
	assert_int_equal(sum.duplicates, 1);
	assert_int_equal(sum.quarantined, 0);
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM duplicaat WHERE bestandsnaam = 'register-again.xml'"), 1);
	assert_int_equal(store_exec(fx->st, "DELETE FROM duplicaat", &fx->err), 0);
	after = home_dump(fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
	tree = fx_tree(fx->inbox);
	assert_string_equal(tree, "");
	free(tree);
}

static void test_malformed_quarantined(void **state)
{
	struct home_fx *fx = *state;
	struct fx_dossier bad = JANSEN;
	struct fx_text t = { 0 }, q = { 0 };
	struct intake_summary sum;
	char *before, *after, *tree, sha[SHA256_HEX_LEN + 1], reason[FX_PATH * 2];

	/* 100000018 fails the elfproef: 9·1 + 2·1 − 8 = 3, not a multiple of 11. */
	bad.bsn = "100000018";
	before = home_dump(fx);
	fx_register(&t, "REG-2026-10-27", "2026-10-27", "2026-10-27T18:00:00", &bad, 1);
	fx_drop(fx, "kapot.xml", t.s);
	assert_int_equal(fx_ingest(fx, &sum), 0); /* quarantine is not a machinery failure */
	assert_int_equal(sum.ingested, 0);
	assert_int_equal(sum.quarantined, 1);
	after = home_dump(fx);
	assert_string_equal(before, after);
	free(before);
	free(after);

	snprintf(reason, sizeof(reason), "%s/kapot.xml.reason", fx->quarantine);
	tree = fx_tree(fx->quarantine);
	assert_string_equal(tree, "kapot.xml\nkapot.xml.reason\n");
	free(tree);
	read_all(fx_path(fx, "quarantine/kapot.xml"), &q);
	assert_int_equal(q.len, t.len);
	assert_memory_equal(q.s, t.s, t.len); /* byte for byte */
	/* The BSN sits on line 10 of the file fx_register writes: the XML
	 * declaration, the root's 2 lines, then Dossier, Dossiernummer,
	 * Regeling, Gemeente, Ingangsdatum, Aanvrager, BSN. */
	assert_string_equal(fx_reason_field(reason, "file"), "kapot.xml");
	assert_string_equal(fx_reason_field(reason, "line"), "10");
	/* what is wrong, with the BSN masked to its last four digits (no BSN
	 * in a reason file), and where */
	assert_string_equal(fx_reason_field(reason, "problem"),
			    "Clientregister geweigerd: BSN *****0018 voldoet niet aan de elfproef (<BSN>, Dossier PW-0405-000001)");
	assert_string_equal(fx_reason_field(reason, "kind"), "gewoon bestand");
	assert_string_equal(fx_reason_field(reason, "stored-as"), "quarantine/kapot.xml");
	assert_string_equal(fx_reason_field(reason, "quarantined"), "2026-11-28T10:00:00");
	assert_int_equal(fsutil_sha256_hex(sha, t.s, t.len), 0);
	assert_string_equal(fx_reason_field(reason, "sha256"), sha);
	assert_string_equal(fx_reason_field(reason, "action"), "verbeter het bestand (of vraag de leverancier om een"
			    " verbeterde levering) en zet het weer in de inbox");
	fx_text_free(&t);
	fx_text_free(&q);
}

static void test_one_bad_among_good(void **state)
{
	struct home_fx *fx = *state;
	const struct fx_income good1[] = {
		{ "P-1-0001", "100000009", "ARBEID", "2026-10-01", "2026-10-31", "500.00", "50.00", NULL, 0 },
	};
	const struct fx_income bad[] = {
		{ "P-2-0001", "100000009", "ARBEID", "2026-10-01", "2026-10-31", "12.345", "0.00", NULL, 0 },
	};
	const struct fx_income good2[] = {
		{ "P-3-0001", "100000010", "UITKERING", "2026-10-01", "2026-10-31", "300.00", "0.00", NULL, 0 },
	};
	struct intake_summary sum;
	const struct fx_dossier two[] = { JANSEN, DE_VRIES };

	drop_register(fx, "r.xml", "REG-2026-10-27", "2026-10-27", "2026-10-27T18:00:00", two, 2);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	/* names in an order that puts the bad one in the middle either way */
	drop_polis(fx, "a-inkomen.xml", "OIB-1", "2026-11-01T02:00:00", good1, 1);
	drop_polis(fx, "b-inkomen.xml", "OIB-2", "2026-11-02T02:00:00", bad, 1);
	drop_polis(fx, "c-inkomen.xml", "OIB-3", "2026-11-03T02:00:00", good2, 1);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	assert_int_equal(sum.ingested, 2);
	assert_int_equal(sum.quarantined, 1);
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM inkomen"), 2);
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM levering WHERE levering_id = 'OIB-2'"), 0);
	assert_true(fsutil_exists(fx_path(fx, "quarantine/b-inkomen.xml")));
	assert_string_equal(fx_reason_field(fx_path(fx, "quarantine/b-inkomen.xml.reason"), "line"), "11"); /* LnLbPh */
	assert_string_equal(fx_reason_field(fx_path(fx, "quarantine/b-inkomen.xml.reason"), "problem"),
			    "Inkomstenlevering geweigerd: Element 'LnLbPh': [facet 'pattern'] The value '12.345' is"
			    " not accepted by the pattern"
			    " '-?[0-9]{1,12}\\\\.[0-9]{2}'.");
}

static void test_order_by_aanmaakdatum(void **state)
{
	struct home_fx *fx = *state;
	struct fx_dossier later = JANSEN;
	struct intake_summary sum;

	/* "a.xml" sorts first by name but was made a month later: processed
	 * by name, "b.xml" would come second and be refused as stale. */
	later.naam = "P. Jansen-Later";
	drop_register(fx, "a.xml", "REG-2026-11-27", "2026-11-27", "2026-11-27T18:00:00", &later, 1);
	drop_register(fx, "b.xml", "REG-2026-10-27", "2026-10-27", "2026-10-27T18:00:00", &JANSEN, 1);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	assert_int_equal(sum.ingested, 2);
	assert_int_equal(sum.quarantined, 0);
	assert_string_equal(fx_text1(fx, "SELECT group_concat(peildatum, ',') FROM (SELECT peildatum FROM snapshot"
					 " ORDER BY id)"),
			    "2026-10-27,2026-11-27");
	/* the stand of November is the later one's */
	assert_string_equal(fx_text1(fx, "SELECT p.naam FROM stand s JOIN persoon p ON p.id = s.aanvrager"
					 " ORDER BY s.vanaf DESC LIMIT 1"),
			    "P. Jansen-Later");
	assert_string_equal(fx_text1(fx, "SELECT group_concat(vanaf, ',') FROM (SELECT vanaf FROM stand ORDER BY vanaf)"),
			    "2026-10-01,2026-11-01");

	/* The October snapshot once more under a new leveringId: now stale. */
	drop_register(fx, "c.xml", "REG-2026-10-28", "2026-10-28", "2026-10-28T18:00:00", &JANSEN, 1);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	assert_int_equal(sum.quarantined, 1);
	assert_non_null(strstr(fx_reason_field(fx_path(fx, "quarantine/c.xml.reason"), "problem"),
			       "Clientregister geweigerd: verouderde registerstand: "));
}

/* One signal of Soort DETENTIE for `bsn` (signals.md), numbered `n`. */
static void add_signal(struct fx_text *t, int n, const char *bsn)
{
	fx_addf(t, "  <Signaal>\n    <SignaalId>IB-T-%d</SignaalId>\n    <Soort>DETENTIE</Soort>\n"
		   "    <BSN>%s</BSN>\n    <Bron>DJI</Bron>\n    <Signaaldatum>2026-11-08</Signaaldatum>\n"
		   "    <PeriodeBegin>2026-10-24</PeriodeBegin>\n    <Omschrijving>Insluiting</Omschrijving>\n"
		   "  </Signaal>\n", n, bsn);
}

/* Known: Jansen (100000009) and De Vries' partner (100000022); unknown:
 * 100000034 (twice) and 100000046. */
static void test_unknown_bsn_counted(void **state)
{
	struct home_fx *fx = *state;
	const struct fx_dossier two[] = { JANSEN, DE_VRIES };
	const struct fx_income first[] = {
		{ "OPG-1", "100000034", NULL, "2026-10-01", "2026-10-31", "100.00", NULL, NULL, 0 },
	};
	const struct fx_income inc[] = {
		{ "OPG-2", "100000009", NULL, "2026-10-01", "2026-10-31", "100.00", NULL, NULL, 0 },
		{ "OPG-3", "100000022", NULL, "2026-10-01", "2026-10-31", "100.00", NULL, NULL, 0 },
		{ "OPG-4", "100000034", NULL, "2026-10-01", "2026-10-31", "100.00", NULL, NULL, 0 },
		{ "OPG-5", "100000034", NULL, "2026-10-01", "2026-10-15", "50.00", NULL, NULL, 0 },
		{ "OPG-6", "100000046", NULL, "2026-10-01", "2026-10-31", "100.00", NULL, NULL, 0 },
	};
	static const char *const sig_bsn[] = { "100000009", "100000046", "100000058", "100000010" };
	struct fx_text t = { 0 };
	struct intake_summary sum;
	int i;

	drop_register(fx, "register.xml", "REG-2026-10-27", "2026-10-27", "2026-10-27T18:00:00", two, 2);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	/* an earlier file's unknown record must not count for the next */
	drop_polis(fx, "inkomen-1.xml", "OIB-1", "2026-11-01T02:00:00", first, 1);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	assert_int_equal(sum.unknown_bsn, 1);
	drop_polis(fx, "inkomen-2.xml", "OIB-2", "2026-11-02T02:00:00", inc, 5);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	assert_int_equal(sum.ingested, 1);
	assert_int_equal(sum.records, 5);
	assert_int_equal(sum.unknown_bsn, 3);
	assert_int_equal(fx_count(fx, "SELECT onbekende_bsn FROM levering WHERE levering_id = 'OIB-2'"), 3);

	fx_addf(&t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Signaallevering"
		    " xmlns=\"urn:nl:betaalrun:signalen:1\" leveringId=\"IB-T\" aanmaakdatum=\"2026-11-27T03:00:00\">\n");
	for (i = 0; i < 4; i++)
		add_signal(&t, i + 1, sig_bsn[i]);
	fx_addf(&t, "</Signaallevering>\n");
	fx_drop(fx, "signalen.xml", t.s);
	fx_text_free(&t);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	assert_int_equal(sum.ingested, 1);
	assert_int_equal(sum.records, 4);
	assert_int_equal(sum.unknown_bsn, 2);      /* 100000046 and 100000058 */
	assert_int_equal(fx_count(fx, "SELECT onbekende_bsn FROM levering WHERE levering_id = 'IB-T'"), 2);
}

/* 3,000 dossiers, each with its own valid BSN: about 1.3 MB of register. */
static void test_large_file_read_in_place(void **state)
{
	enum { N = 3000 };
	struct home_fx *fx = *state;
	static struct fx_dossier d[N];
	static char nummer[N][24], bsn[N][16];
	struct fx_text t = { 0 };
	struct intake_summary sum;
	char sha[SHA256_HEX_LEN + 1], sql[160];
	struct dirent *de;
	DIR *dir;
	int i, b = 100000000;

	for (i = 0; i < N; i++) {
		snprintf(nummer[i], sizeof(nummer[i]), "PW-0405-%06d", i + 1);
		do
			snprintf(bsn[i], sizeof(bsn[i]), "%09d", b++);
		while (!bsn_valid(bsn[i], 9));
		d[i] = JANSEN;
		d[i].nummer = nummer[i];
		d[i].bsn = bsn[i];
	}
	fx_register(&t, "REG-2026-10-27", "2026-10-27", "2026-10-27T18:00:00", d, N);
	assert_true(strlen(t.s) >= 1024 * 1024);
	assert_int_equal(fsutil_sha256_hex(sha, t.s, strlen(t.s)), 0);
	fx_drop(fx, "register.xml", t.s);
	fx_text_free(&t);
	assert_int_equal(fx_ingest(fx, &sum), 0);
	assert_int_equal(sum.ingested, 1);
	assert_int_equal(sum.quarantined, 0);
	assert_int_equal(sum.in_place, 1);
	assert_int_equal(fx_count(fx, "SELECT count(*) FROM dossier"), N);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM levering WHERE sha256 = '%s' AND gearchiveerd = 1", sha);
	assert_int_equal(fx_count(fx, sql), 1);
	/* no private copy was made, or left */
	assert_non_null(dir = opendir(fx->archive));
	while ((de = readdir(dir)))
		assert_false(strncmp(de->d_name, ".inbox-", 7) == 0);
	closedir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_register_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_quarantined, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_bad_among_good, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order_by_aanmaakdatum, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_bsn_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_file_read_in_place, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_payrun.c — preparing, superseding and cancelling a payment run
 * (pipeline/payrun.h) on a store of three dossiers, with amounts derived
 * by hand from the norms of data/rules/regels.xml (set 2026-07-01) and
 * rules.md:
 *
 *   run month November 2026, startmaand October 2026 (configured), every
 *   person aged 27..AOW age, excl(x) = round(95% × x):
 *
 *   PW-0405-000001  alleenstaande since 2025, vrijlating N granted from
 *                   2026-10-01; October income ARBEID 600.00 − 40.00 wage
 *                   tax = net 560.00.
 *     advance(Nov) = excl(1419.46) = round(1348.487)             = 1348.49
 *     vrij(Oct)    = min(285.00, round(25% × 560.00))            =  140.00
 *     right(Oct)   = 1419.46 − (560.00 − 140.00)                 =  999.46
 *     owed(Oct)    = excl(999.46) = round(949.487), never paid   =  949.49
 *     paid                                                       = 2297.98
 *   PW-0405-000002  gehuwden since 2025, no income:
 *     advance(Nov) = owed(Oct) = excl(2027.79) = round(1926.4005)  each 1926.40
 *     paid                                                       = 3852.80
 *   PW-0405-000003  alleenstaande from 2026-11-16: 15 of 30 days
 *     norm(Nov)    = round(1419.46 × 15 / 30)                    =  709.73
 *     advance(Nov) = excl(709.73) = round(674.2435)              =  674.24
 *     (October: not active, nothing)
 *   three credit transfers, CtrlSum 6825.02.
 *
 * The payment file is read as text: NbOfTxs and CtrlSum of the group
 * header, and each transaction's InstdAmt with its creditor IBAN.
 * Keys are made once by the openssl CLI in a temporary directory
 * (home_fixture.h, fx_make_keys).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "date.h"
#include "home_fixture.h"
#include "money.h"
#include "home.h"
#include "jobs.h"
#include "payrun.h"
#include "specstore.h"

#include "banned.h"

static char g_keys[256]; /* fx_make_keys, once for all tests */

struct payfx {
	struct home_fx h;
	struct payrun_env env;
	char trust[FX_PATH * 2], prep[FX_PATH * 2];
};

static const struct fx_dossier DOSSIERS[] = {
	{ .nummer = "PW-0405-000001", .bsn = "100000009", .naam = "P. Jansen", .iban = "NL64ABNA0417164301",
	  .extra = "    <Vrijlating code=\"N\" persoon=\"AANVRAGER\" ingangsdatum=\"2026-10-01\"/>\n" },
	{ .nummer = "PW-0405-000002", .bsn = "100000010", .naam = "A. de Vries", .iban = "NL37ABNA0417164302",
	  .partner_bsn = "100000022", .partner_naam = "B. de Vries" },
	{ .nummer = "PW-0405-000003", .bsn = "100000034", .naam = "C. Bakker", .iban = "NL10ABNA0417164303",
	  .ingang = "2026-11-16" },
};

static int setup(void **state)
{
	static struct payfx fx;
	static const struct fx_income income[] = {
		{ "P-1-0001", "100000009", "ARBEID", "2026-10-01", "2026-10-31", "600.00", "40.00", NULL, 0 },
	};
	struct fx_text t = { 0 };
	struct intake_summary sum;

	memset(&fx, 0, sizeof(fx));
	if (home_open(&fx.h, "test_payrun") < 0)
		return -1;
	fx_register(&t, "REG-1", "2026-10-27", "2026-10-27T18:00:00", DOSSIERS, 3);
	fx_drop(&fx.h, "register.xml", t.s);
	fx_text_free(&t);
	fx_polis(&t, "OIB-1", "2026-11-20T02:00:00", income, 1);
	fx_drop(&fx.h, "inkomen.xml", t.s);
	fx_text_free(&t);
	if (fx_ingest(&fx.h, &sum) < 0 || sum.ingested != 2)
		return -1;
	/* what `init` and the e2e tests put in betaalrun.conf */
	snprintf(fx.h.cfg.debiteur_iban, sizeof(fx.h.cfg.debiteur_iban), "NL91ABNA0417164300");
	snprintf(fx.h.cfg.debiteur_bic, sizeof(fx.h.cfg.debiteur_bic), "ABNANL2A");
	fx.h.cfg.startmaand = month_of(date_from_ymd(2026, 10, 1));
	snprintf(fx.trust, sizeof(fx.trust), "%s/ca.pem", g_keys);
	snprintf(fx.prep, sizeof(fx.prep), "%s/prep.pem", g_keys);
	fx.env.home = fx.h.dir;
	fx.env.cfg = &fx.h.cfg;
	fx.env.rules = &fx.h.rules;
	fx.env.trust_pem = fx.trust;
	fx.env.signals = &fx.h.sig;
	if (timestamp_now(&fx.env.now, NULL) < 0)
		return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct payfx *fx = *state;

	return home_close(&fx->h);
}

static int group_setup(void **state)
{
	(void)state;
	return fx_make_keys(g_keys, sizeof(g_keys));
}

static int group_teardown(void **state)
{
	struct br_error err;

	(void)state;
	br_error_clear(&err);
	return fsutil_remove_tree(g_keys, &err);
}

static int32_t november(void)
{
	return month_of(date_from_ymd(2026, 11, 1));
}

/* "<tag>" ... "</" in [p, end): the text between, into out. */
static const char *between(char *out, size_t cap, const char *p, const char *end, const char *open)
{
	const char *b = strstr(p, open), *e;

	assert_true(b && b < end);
	b += strlen(open);
	e = strstr(b, "</");
	assert_true(e && e < end && (size_t)(e - b) < cap);
	memcpy(out, b, (size_t)(e - b));
	out[e - b] = '\0';
	return e;
}

static int64_t cents(const char *s)
{
	int64_t c;
	struct br_error err;

	br_error_clear(&err);
	assert_int_equal(money_parse(&c, s, strlen(s), &err), 0);
	return c;
}

/* The payment file's transactions as "IBAN=amount;" in file order, its
 * NbOfTxs and CtrlSum (group header). */
static void read_pain(const char *path, char *tx, size_t cap, long *nb, int64_t *ctrl_cents)
{
	struct fx_text f = { 0 };
	char buf[4096], val[64], iban[64];
	const char *p, *grp_end;
	size_t n;
	FILE *fp = fopen(path, "rb");

	assert_non_null(fp);
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		fx_addf(&f, "%.*s", (int)n, buf);
	fclose(fp);
	assert_non_null(grp_end = strstr(f.s, "</GrpHdr>"));
	between(val, sizeof(val), f.s, grp_end, "<NbOfTxs>");
	*nb = strtol(val, NULL, 10);
	between(val, sizeof(val), f.s, grp_end, "<CtrlSum>");
	*ctrl_cents = cents(val);
	tx[0] = '\0';
	for (p = f.s; (p = strstr(p, "<CdtTrfTxInf>")) != NULL;) {
		const char *end = strstr(p, "</CdtTrfTxInf>"), *acct;

		assert_non_null(end);
		between(val, sizeof(val), p, end, "<InstdAmt Ccy=\"EUR\">");
		assert_non_null(acct = strstr(p, "<CdtrAcct>"));
		between(iban, sizeof(iban), acct, end, "<IBAN>");
		snprintf(tx + strlen(tx), cap - strlen(tx), "%s=%s;", iban, val);
		p = end;
	}
	fx_text_free(&f);
}

static void check_file(struct payfx *fx, const struct payrun_summary *sum)
{
	char path[FSUTIL_PATH_MAX + 32], tx[1024], sha[SHA256_HEX_LEN + 1];
	long nb = 0;
	int64_t ctrl = 0;
	struct stat st;

	snprintf(path, sizeof(path), "%s/pain.001.xml", sum->folder);
	read_pain(path, tx, sizeof(tx), &nb, &ctrl);
	assert_int_equal(nb, 3);
	assert_int_equal(ctrl, 682502);
	/* client payments in dossier order */
	assert_string_equal(tx, "NL64ABNA0417164301=2297.98;NL37ABNA0417164302=3852.80;NL10ABNA0417164303=674.24;");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(fsutil_digest_file(sha, NULL, path, UINT64_MAX, NULL, &fx->h.err), 0);
	assert_string_equal(sha, sum->sha256);
	snprintf(path, sizeof(path), "%s/pain.001.xml.p7s", sum->folder);
	assert_true(fsutil_exists(path));
}

static void test_prepare(void **state)
{
	struct payfx *fx = *state;
	struct payrun_summary sum;
	char want[FX_PATH * 4];

	assert_int_equal(payrun_prepare(&sum, fx->h.st, &fx->env, november(), 0, 0, fx->prep, NULL, &fx->h.err), 0);
	assert_string_equal(sum.msg_id, "BR-202611-0001");
	assert_int_equal(sum.tx, 3);
	assert_int_equal(sum.paid, 3);
	assert_int_equal(sum.held + sum.blocked + sum.nul, 0);
	assert_int_equal(sum.total_cents, 682502);
	snprintf(want, sizeof(want), "%s/out/2026-11/BR-202611-0001", fx->h.dir);
	assert_string_equal(sum.folder, want);
	check_file(fx, &sum);
	/* the store agrees with the file, and nothing is released yet */
	assert_int_equal(fx_count(&fx->h, "SELECT sum(bedrag_cents) FROM betaling WHERE run = 1"), 682502);
	assert_int_equal(fx_count(&fx->h, "SELECT count(*) FROM run_dossier WHERE run = 1 AND status = 'BETAALD'"), 3);
	assert_string_equal(fx_text1(&fx->h, "SELECT status || ' ' || maand || ' ' || startmaand FROM run"),
			    "PREPARED 2026-11 2026-10");
	assert_int_equal(fx_count(&fx->h, "SELECT count(*) FROM boeking WHERE vrijgegeven IS NOT NULL"), 0);
}

static void test_prepare_twice_supersedes(void **state)
{
	struct payfx *fx = *state;
	struct payrun_summary sum;

	assert_int_equal(payrun_prepare(&sum, fx->h.st, &fx->env, november(), 0, 0, fx->prep, NULL, &fx->h.err), 0);
	assert_int_equal(payrun_prepare(&sum, fx->h.st, &fx->env, november(), 0, 0, fx->prep, NULL, &fx->h.err), 0);
	assert_string_equal(sum.msg_id, "BR-202611-0002");
	assert_int_equal(sum.total_cents, 682502);
	check_file(fx, &sum);
	assert_string_equal(fx_text1(&fx->h, "SELECT group_concat(x, ',') FROM (SELECT msg_id || ' ' || status AS x"
					     " FROM run ORDER BY id)"),
			    "BR-202611-0001 SUPERSEDED,BR-202611-0002 PREPARED");
	/* the superseded run's pending bookings are gone: only one run's
	 * worth of money is pending */
	assert_int_equal(fx_count(&fx->h, "SELECT count(*) FROM boeking WHERE run = 1"), 0);
	assert_true(fx_count(&fx->h, "SELECT count(*) FROM boeking WHERE run = 2") > 0);
}

static void test_cancel(void **state)
{
	struct payfx *fx = *state;
	struct payrun_summary sum;

	assert_int_equal(payrun_prepare(&sum, fx->h.st, &fx->env, november(), 0, 0, fx->prep, NULL, &fx->h.err), 0);
	assert_int_equal(payrun_cancel(fx->h.st, &fx->env, "BR-202611-0001", &fx->h.err), 0);
	assert_string_equal(fx_text1(&fx->h, "SELECT status FROM run WHERE id = 1"), "CANCELLED");
	assert_int_equal(fx_count(&fx->h, "SELECT count(*) FROM boeking WHERE run = 1"), 0);
	/* a cancelled run cannot be cancelled again, nor an unknown one */
	br_error_clear(&fx->h.err);
	assert_int_equal(payrun_cancel(fx->h.st, &fx->env, "BR-202611-0001", &fx->h.err), BR_EINPUT);
	assert_non_null(strstr(fx->h.err.msg, "CANCELLED"));
	br_error_clear(&fx->h.err);
	assert_true(payrun_cancel(fx->h.st, &fx->env, "BR-202611-0099", &fx->h.err) < 0);
	/* the month can be prepared again: the same amounts */
	br_error_clear(&fx->h.err);
	assert_int_equal(payrun_prepare(&sum, fx->h.st, &fx->env, november(), 0, 0, fx->prep, NULL, &fx->h.err), 0);
	assert_string_equal(sum.msg_id, "BR-202611-0002");
	check_file(fx, &sum);
}

/* A later month cannot be prepared while an earlier run is not released. */
static void test_order_of_months(void **state)
{
	struct payfx *fx = *state;
	struct payrun_summary sum;
	char *before, *after;

	assert_int_equal(payrun_prepare(&sum, fx->h.st, &fx->env, november(), 0, 0, fx->prep, NULL, &fx->h.err), 0);
	before = home_dump(&fx->h);
	br_error_clear(&fx->h.err);
	assert_int_equal(payrun_prepare(&sum, fx->h.st, &fx->env, november() + 1, 0, 0, fx->prep, NULL, &fx->h.err),
			 BR_EINPUT);
	assert_non_null(strstr(fx->h.err.msg, "BR-202611-0001"));
	after = home_dump(&fx->h);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* The INKOMEN_HANDMATIG events of dossier 4 so far: "key;" in order. */
static const char *handmatig_keys(struct payfx *fx)
{
	return fx_text1(&fx->h, "SELECT coalesce(group_concat(k, ';'), '') FROM (SELECT CASE g.gebeurtenis"
			" WHEN 'OPEN' THEN t.sleutel ELSE substr(g.reden, 2, instr(g.reden, '] ') - 2) END AS k"
			" FROM taak_gebeurtenis g JOIN taak t ON t.id = g.taak"
			" WHERE t.soort = 'INKOMEN_HANDMATIG' AND t.dossier = 4 AND (g.gebeurtenis = 'OPEN'"
			" OR (g.gebeurtenis = 'JOIN' AND substr(g.reden, 1, 1) = '[')) ORDER BY g.id)");
}

/* Dossier 4's specification in the run of `month` contains `text`. */
static int spec_has(struct payfx *fx, int32_t month, const char *text)
{
	struct home h;
	char *spec = NULL;
	size_t len = 0;
	int found;

	memset(&h, 0, sizeof(h));
	snprintf(h.dir, sizeof(h.dir), "%s", fx->h.dir);
	snprintf(h.data, sizeof(h.data), "%s", fx->h.data);
	assert_int_equal(specstore_text(&spec, &len, NULL, NULL, fx->h.st, &h, "BBZ-0405-000004", month, NULL,
					&fx->h.err), 1);
	found = strstr(spec, text) != NULL;
	free(spec);
	return found;
}

/*
 * rules.md §5: income arriving for a Bbz dossier opens an INKOMEN_HANDMATIG
 * job (it is not settled automatically), once per record: a run raises
 * only the records no earlier run saw (run.inkomen_tot), and a correction
 * or a withdrawal of a month already assessed is income arriving too.
 */
static void test_income_arriving_opens_job(void **state)
{
	struct payfx *fx = *state;
	static const struct fx_dossier bbz = {
		.nummer = "BBZ-0405-000004", .regeling = "BBZ", .bsn = "100000046", .naam = "D. Smit",
		.iban = "NL86ABNA0417164304", .extra = "    <VastBedrag>1500.00</VastBedrag>\n" };
	static const struct fx_income before_nov[] = {
		{ "B-0", "100000046", "ARBEID", "2026-10-01", "2026-10-31", "300.00", "0.00", NULL, 0 },
		{ "B-1", "100000046", "ARBEID", "2026-11-01", "2026-11-30", "400.00", "0.00", NULL, 0 },
	};
	static const struct fx_income before_dec[] = {
		{ "B-2", "100000046", "ARBEID", "2026-10-01", "2026-10-31", "350.00", "0.00", "B-0", 0 },
		{ "B-W", "100000046", "ARBEID", "2026-11-01", "2026-11-30", "400.00", "0.00", "B-1", 1 },
	};
	struct fx_dossier all[4];
	struct fx_text t = { 0 };
	struct intake_summary isum;
	struct payrun_summary sum;
	struct jobs_close_args close;
	char appr[FX_PATH];

	memcpy(all, DOSSIERS, sizeof(DOSSIERS));
	all[3] = bbz;
	fx_register(&t, "REG-2", "2026-10-28", "2026-10-28T18:00:00", all, 4);
	fx_drop(&fx->h, "register-2.xml", t.s);
	fx_text_free(&t);
	fx_polis(&t, "OIB-2", "2026-11-21T02:00:00", before_nov, 2);
	fx_drop(&fx->h, "inkomen-2.xml", t.s);
	fx_text_free(&t);
	assert_int_equal(fx_ingest(&fx->h, &isum), 0);
	assert_int_equal(fx_count(&fx->h, "SELECT id FROM dossier WHERE nummer = 'BBZ-0405-000004'"), 4);

	/* November: both months' income is new, each month a key by its record */
	assert_int_equal(payrun_prepare(&sum, fx->h.st, &fx->env, november(), 0, 0, fx->prep, NULL, &fx->h.err), 0);
	assert_string_equal(handmatig_keys(fx), "2026-10 #2;2026-11 #3");
	assert_int_equal(fx_count(&fx->h, "SELECT inkomen_tot FROM run WHERE id = 1"), 3);
	assert_true(spec_has(fx, november(), "Er zijn inkomsten over oktober 2026 bekend."));
	assert_true(spec_has(fx, november(), "Er zijn inkomsten over november 2026 bekend."));
	snprintf(appr, sizeof(appr), "%s/appr.pem", g_keys);
	assert_int_equal(payrun_approve(&sum, fx->h.st, &fx->env, "BR-202611-0001", appr, NULL, &fx->h.err), 0);
	assert_int_equal(payrun_release(&sum, fx->h.st, &fx->env, "BR-202611-0001", &fx->h.err), 0);
	/* the consultant assessed them */
	memset(&close, 0, sizeof(close));
	close.id = fx_count(&fx->h, "SELECT id FROM taak WHERE soort = 'INKOMEN_HANDMATIG' AND dossier = 4");
	close.uitkomst = "GEEN_GEVOLGEN";
	close.door = "consulent1";
	close.toelichting = "beoordeeld";
	close.datum = close.van = close.tot = DATE_NONE;
	assert_int_equal(jobs_close(fx->h.st, &close, fx->env.now, &fx->h.err), 0);

	/* December: a correction of October arrived, and a withdrawal of
	 * November's record: both undo what the consultant assessed; the
	 * withdrawn record is told no more */
	fx_polis(&t, "OIB-3", "2026-12-20T02:00:00", before_dec, 2);
	fx_drop(&fx->h, "inkomen-3.xml", t.s);
	fx_text_free(&t);
	assert_int_equal(fx_ingest(&fx->h, &isum), 0);
	assert_int_equal(payrun_prepare(&sum, fx->h.st, &fx->env, november() + 1, 0, 0, fx->prep, NULL,
					&fx->h.err), 0);
	assert_string_equal(handmatig_keys(fx), "2026-10 #2;2026-11 #3;2026-10 #4;2026-11 #5");
	assert_int_equal(fx_count(&fx->h, "SELECT count(*) FROM taak WHERE soort = 'INKOMEN_HANDMATIG'"
				       " AND dossier = 4 AND status = 'OPEN'"), 1);
	assert_int_equal(fx_count(&fx->h, "SELECT count(*) FROM taak_gebeurtenis WHERE reden LIKE"
				       " '[2026-11 #5] opgave B-1 over 2026-11 van een BBZ-dossier is ingetrokken%'"), 1);
	assert_int_equal(fx_count(&fx->h, "SELECT inkomen_tot FROM run WHERE id = 2"), 5);
	assert_true(spec_has(fx, november() + 1, "Er zijn inkomsten over oktober 2026 bekend."));
	assert_false(spec_has(fx, november() + 1, "Er zijn inkomsten over november 2026 bekend."));

	/* preparing December again raises nothing new */
	assert_int_equal(payrun_prepare(&sum, fx->h.st, &fx->env, november() + 1, 0, 0, fx->prep, NULL,
					&fx->h.err), 0);
	assert_string_equal(handmatig_keys(fx), "2026-10 #2;2026-11 #3;2026-10 #4;2026-11 #5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_prepare, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_twice_supersedes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order_of_months, setup, teardown),
		cmocka_unit_test_setup_teardown(test_income_arriving_opens_job, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/*
 * test_report.c — the run report (writers/report.h).
 *
 * A report of two municipalities (0405 Hoorn, 0498 Drechterland) × two
 * regelingen (PW, IOAW) with a previous run and a line of every kind is
 * written to a fresh mkdtemp directory; the CSV files are compared byte for
 * byte with rows worked out by hand, in both dialects (rfc4180 and the
 * excel-nl a Dutch spreadsheet opens), the HTML is searched for what must
 * and must not be in it, in which order, and handed to xmllint (the markup
 * is XML-compatible HTML5, so `xmllint --noout` checks it is well-formed).  Variants check
 * the failure paths: a 9-digit run in a text field, lists that miss an
 * instalment, a cell given twice, a missing directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "report.h"
#include "banned.h"

#define READ_MAX (4 * 1024 * 1024)
#define CMD_MAX 1400

struct fx {
	char dir[64];
	char csv[128], html[128];   /* rapport-totalen.csv, rapport.html */
	char inh[128], hold[128], blk[128], dskip[128], back[128];
	struct report_cell cells[8];
	struct report_cell prev[8];
	struct report_line lines[16];
	struct report r;
};

/* ---- helpers ----------------------------------------------------------- */

static struct report_cell cell(const char *g, const char *reg, long dossiers, int64_t client,
			       int64_t derden, int64_t inh, int64_t verr, int64_t toeg, long nul,
			       long held, int64_t held_cents, long blocked, long dskip)
{
	struct report_cell c;

	memset(&c, 0, sizeof(c));
	snprintf(c.gemeente, sizeof(c.gemeente), "%s", g);
	snprintf(c.regeling, sizeof(c.regeling), "%s", reg);
	c.dossiers = dossiers;
	c.client_cents = client;
	c.derden_cents = derden;
	c.inhouding_cents = inh;
	c.verrekend_cents = verr;
	c.toegevoegd_cents = toeg;
	c.nul = nul;
	c.held = held;
	c.held_cents = held_cents;
	c.blocked = blocked;
	c.derden_skipped = dskip;
	return c;
}

static struct report_line line(enum report_line_kind k, const char *dossier, const char *g,
			       const char *kenmerk, const char *reden, int64_t cents)
{
	struct report_line l;

	memset(&l, 0, sizeof(l));
	l.kind = k;
	snprintf(l.dossier, sizeof(l.dossier), "%s", dossier);
	snprintf(l.gemeente, sizeof(l.gemeente), "%s", g);
	snprintf(l.kenmerk, sizeof(l.kenmerk), "%s", kenmerk);
	snprintf(l.reden, sizeof(l.reden), "%s", reden);
	l.amount_cents = cents;
	return l;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	assert_non_null(f);
	buf = malloc(READ_MAX + 1);
	assert_non_null(buf);
	n = fread(buf, 1, READ_MAX, f);
	fclose(f);
	assert_true(n < READ_MAX);
	buf[n] = '\0';
	return buf;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += len;
	}
	return n;
}

static int xmllint_ok(const char *path)
{
	char cmd[CMD_MAX];

	snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", path);
	return system(cmd) == 0;
}

/* ---- the fixture ------------------------------------------------------- */

/*
 * This run (2026-12) and the previous one (2026-11), amounts in cents.
 * Cells and lines are given out of order: the writer sorts them.
 *
 *               dos client  derden  inh    verr   toeg  nul held held_c  blk dskip
 *   0498 IOAW    1   95000       0     0      0   2500   0    0       0   0   0
 *   0405 PW      3  250000   45000 12500  30000   5000   1    1  110000   1   1
 *   0498 PW      4  400000   60000  7500  10000      0   0    0       0   0   0
 *   0405 IOAW    2  180000       0     0      0      0   0    0       0   0   0
 * previous:
 *   0498 PW      5  480000   60000  7500      0      0   0    0       0   0   0
 *   0405 IOAW    2  180000       0     0      0      0   0    0       0   0   0
 *   0405 PW      3  240000   45000 12500  20000      0   0    0       0   0   0
 *   0498 IOAW    1   95000       0     0      0      0   0    0       0   0   0
 */
static void fill(struct fx *f)
{
	struct report *r = &f->r;

	f->cells[0] = cell("0498", "IOAW", 1, 95000, 0, 0, 0, 2500, 0, 0, 0, 0, 0);
	f->cells[1] = cell("0405", "PW", 3, 250000, 45000, 12500, 30000, 5000, 1, 1, 110000, 1, 1);
	f->cells[2] = cell("0498", "PW", 4, 400000, 60000, 7500, 10000, 0, 0, 0, 0, 0, 0);
	f->cells[3] = cell("0405", "IOAW", 2, 180000, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	f->prev[0] = cell("0498", "PW", 5, 480000, 60000, 7500, 0, 0, 0, 0, 0, 0, 0);
	f->prev[1] = cell("0405", "IOAW", 2, 180000, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	f->prev[2] = cell("0405", "PW", 3, 240000, 45000, 12500, 20000, 0, 0, 0, 0, 0, 0);
	f->prev[3] = cell("0498", "IOAW", 1, 95000, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	/* rules.md §5a: 0405 PW paid 120.00 of bufferbudget now, 300.00 this
	 * year with it; the previous run 180.00, the same in its year */
	f->cells[1].buffer_cents = 12000;
	f->cells[1].buffer_year_cents = 30000;
	f->prev[2].buffer_cents = 18000;
	f->prev[2].buffer_year_cents = 18000;

	f->lines[0] = line(REPORT_INHOUDING, "PW-0498-000010", "0498", "TV-2024-0100", "", 7500);
	f->lines[1] = line(REPORT_INHOUDING, "PW-0405-000002", "0405", "TV-2025-0042", "", 7500);
	f->lines[2] = line(REPORT_DERDEN_SKIPPED, "PW-0405-000001", "0405", "HUUR-77",
			   "onvoldoende ruimte na inhoudingen", 35000);
	f->lines[3] = line(REPORT_INHOUDING, "PW-0405-000001", "0405", "BT-2026-0007", "", 5000);
	f->lines[4] = line(REPORT_HOLD, "PW-0405-000003", "0405", "",
			   "Signaal <b>& \"x\" 'y', onderzoek", 110000);
	f->lines[5] = line(REPORT_BLOCKED, "PW-0405-000004", "0405", "", "IBAN ongeldig", 87500);

	memset(r, 0, sizeof(*r));
	snprintf(r->run_id, sizeof(r->run_id), "2026-12-R0007");
	snprintf(r->maand, sizeof(r->maand), "2026-12");
	snprintf(r->status, sizeof(r->status), "PREPARED");
	snprintf(r->uitvoerdatum, sizeof(r->uitvoerdatum), "2026-12-24");
	snprintf(r->previous_run_id, sizeof(r->previous_run_id), "2026-11-R0006");
	r->cells = f->cells;
	r->n_cells = 4;
	r->prev = f->prev;
	r->n_prev = 4;
	r->lines = f->lines;
	r->n_lines = 6;
	r->n_tx = 14;
	r->total_cents = 1030000; /* client 9250.00 + derden 1050.00 */
	snprintf(r->opgesteld, sizeof(r->opgesteld), "2026-12-18T09:05:00");
	r->csv = CSV_RFC4180; /* the exact rows below; excel-nl has its own test */
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/test_report.XXXXXX",
		 tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->csv, sizeof(f->csv), "%s/rapport-totalen.csv", f->dir);
	snprintf(f->html, sizeof(f->html), "%s/rapport.html", f->dir);
	snprintf(f->inh, sizeof(f->inh), "%s/rapport-inhoudingen.csv", f->dir);
	snprintf(f->hold, sizeof(f->hold), "%s/rapport-aangehouden.csv", f->dir);
	snprintf(f->blk, sizeof(f->blk), "%s/rapport-geblokkeerd.csv", f->dir);
	snprintf(f->dskip, sizeof(f->dskip), "%s/rapport-derden-niet-betaald.csv", f->dir);
	snprintf(f->back, sizeof(f->back), "%s/rapport-teruggeboekt.csv", f->dir);
	fill(f);
	*state = f;
	return 0;
}

static void remove_files(const struct fx *f)
{
	char path[192];
	size_t i;

	for (i = 0; report_file_name(i); i++) {
		snprintf(path, sizeof(path), "%s/%s", f->dir, report_file_name(i));
		unlink(path);
	}
}

static int teardown(void **state)
{
	struct fx *f = *state;

	remove_files(f);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void write_ok(struct fx *f)
{
	struct br_error err;
	int rc;

	br_error_clear(&err);
	rc = report_write(f->dir, &f->r, &err);
	if (rc != 0)
		fail_msg("report_write: %d %s", rc, err.msg);
}

static void write_refused(struct fx *f, const char *msg_part)
{
	struct br_error err;

	br_error_clear(&err);
	assert_int_equal(report_write(f->dir, &f->r, &err), BR_EINTERNAL);
	assert_int_equal(err.code, BR_EINTERNAL);
	if (msg_part && !strstr(err.msg, msg_part))
		fail_msg("message '%s' lacks '%s'", err.msg, msg_part);
	assert_int_equal(access(f->csv, F_OK), -1);
	assert_int_equal(access(f->html, F_OK), -1);
	assert_int_equal(access(f->hold, F_OK), -1);
}

/* The file at `path` is exactly `want`. */
static void file_is(const char *path, const char *want)
{
	char *got = slurp(path);

	assert_string_equal(got, want);
	free(got);
}

/* ---- CSV --------------------------------------------------------------- */

#define CSV_HEADER \
	"gemeente,gemeentenaam,regeling,dossiers,dossiers_vorige,dossiers_verschil," \
	"client,client_vorige,client_verschil,derden,derden_vorige,derden_verschil," \
	"inhoudingen,inhoudingen_vorige,inhoudingen_verschil," \
	"verrekend,verrekend_vorige,verrekend_verschil," \
	"toegevoegd,toegevoegd_vorige,toegevoegd_verschil," \
	"nulmaanden,nulmaanden_vorige,nulmaanden_verschil," \
	"opgeschort,opgeschort_vorige,opgeschort_verschil," \
	"opgeschort_bedrag,opgeschort_bedrag_vorige,opgeschort_bedrag_verschil," \
	"geblokkeerd,geblokkeerd_vorige,geblokkeerd_verschil," \
	"derden_niet_betaald,derden_niet_betaald_vorige,derden_niet_betaald_verschil," \
	"bufferbudget,bufferbudget_vorige,bufferbudget_verschil," \
	"bufferbudget_jaar,bufferbudget_jaar_vorige,bufferbudget_jaar_verschil\r\n"

#define INH_HEADER "dossier,gemeente,gemeentenaam,kenmerk,bedrag\r\n"
#define HOLD_HEADER "dossier,gemeente,gemeentenaam,reden,bedrag\r\n"
#define BLK_HEADER "dossier,gemeente,gemeentenaam,reden,bedrag\r\n"
#define DSKIP_HEADER "dossier,gemeente,gemeentenaam,kenmerk,reden,bedrag\r\n"
#define BACK_HEADER "dossier,gemeente,gemeentenaam,betaling_aan,reden,bedrag\r\n"

static void test_csv_exact(void **state)
{
	struct fx *f = *state;
	/* per figure: this run, previous run, this − previous */
	static const char want[] =
		CSV_HEADER
		/* 0405 PW: client 2500.00−2400.00, verrekend 300.00−200.00, toegevoegd
		 * 50.00 new, one €0 month, hold, blocked and skipped third party new */
		"0405,Hoorn,PW,3,3,0,2500.00,2400.00,100.00,450.00,450.00,0.00,"
		"125.00,125.00,0.00,300.00,200.00,100.00,50.00,0.00,50.00,1,0,1,"
		"1,0,1,1100.00,0.00,1100.00,1,0,1,1,0,1,"
		"120.00,180.00,-60.00,300.00,180.00,120.00\r\n"
		"0405,Hoorn,IOAW,2,2,0,1800.00,1800.00,0.00,0.00,0.00,0.00,"
		"0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0,0,0,"
		"0,0,0,0.00,0.00,0.00,0,0,0,0,0,0,0.00,0.00,0.00,0.00,0.00,0.00\r\n"
		/* 0498 PW: one dossier fewer, client 4000.00−4800.00 */
		"0498,Drechterland,PW,4,5,-1,4000.00,4800.00,-800.00,600.00,600.00,0.00,"
		"75.00,75.00,0.00,100.00,0.00,100.00,0.00,0.00,0.00,0,0,0,"
		"0,0,0,0.00,0.00,0.00,0,0,0,0,0,0,0.00,0.00,0.00,0.00,0.00,0.00\r\n"
		"0498,Drechterland,IOAW,1,1,0,950.00,950.00,0.00,0.00,0.00,0.00,"
		"0.00,0.00,0.00,0.00,0.00,0.00,25.00,0.00,25.00,0,0,0,"
		"0,0,0,0.00,0.00,0.00,0,0,0,0,0,0,0.00,0.00,0.00,0.00,0.00,0.00\r\n"
		/* dossiers 3+2+4+1=10 vs 11; client 2500+1800+4000+950=9250 vs
		 * 2400+1800+4800+950=9950; derden 450+600; inhoudingen 125+75;
		 * verrekend 300+100 vs 200; toegevoegd 50+25 */
		"totaal,Alle gemeenten,alle,10,11,-1,9250.00,9950.00,-700.00,"
		"1050.00,1050.00,0.00,200.00,200.00,0.00,400.00,200.00,200.00,"
		"75.00,0.00,75.00,1,0,1,1,0,1,1100.00,0.00,1100.00,1,0,1,1,0,1,"
		"120.00,180.00,-60.00,300.00,180.00,120.00\r\n";

	write_ok(f);
	file_is(f->csv, want);
	file_is(f->inh, INH_HEADER
		"PW-0405-000001,0405,Hoorn,BT-2026-0007,50.00\r\n"
		"PW-0405-000002,0405,Hoorn,TV-2025-0042,75.00\r\n"
		"PW-0498-000010,0498,Drechterland,TV-2024-0100,75.00\r\n");
	/* ',' in the reason: quoted, '"' doubled */
	file_is(f->hold, HOLD_HEADER
		"PW-0405-000003,0405,Hoorn,\"Signaal <b>& \"\"x\"\" 'y', onderzoek\",1100.00\r\n");
	file_is(f->blk, BLK_HEADER "PW-0405-000004,0405,Hoorn,IBAN ongeldig,875.00\r\n");
	file_is(f->dskip, DSKIP_HEADER
		"PW-0405-000001,0405,Hoorn,HUUR-77,onvoldoende ruimte na inhoudingen,350.00\r\n");
}

/*
 * The same report for a Dutch spreadsheet: a BOM, ';', a decimal comma,
 * the headers in words.  The figures are those of test_csv_exact with ','
 * for '.', written out again.
 */
static void test_csv_excel_nl(void **state)
{
	static const char head[] =
		"\xef\xbb\xbfGemeente;Gemeentenaam;Regeling;Dossiers;Dossiers vorige run;"
		"Dossiers verschil;Betaald aan cli\xc3\xabnten;Betaald aan cli\xc3\xabnten vorige run;"
		"Betaald aan cli\xc3\xabnten verschil;Betaald aan derden;";
	struct fx *f = *state;
	char *got;

	f->r.csv = CSV_EXCEL_NL;
	write_ok(f);
	got = slurp(f->csv);
	assert_true(strncmp(got, head, sizeof(head) - 1) == 0);
	assert_non_null(strstr(got, "Bufferbudget dit jaar tot en met deze run verschil\r\n"
				    "0405;Hoorn;PW;3;3;0;2500,00;2400,00;100,00;450,00;450,00;0,00;"
				    "125,00;125,00;0,00;300,00;200,00;100,00;50,00;0,00;50,00;1;0;1;"
				    "1;0;1;1100,00;0,00;1100,00;1;0;1;1;0;1;"
				    "120,00;180,00;-60,00;300,00;180,00;120,00\r\n"));
	assert_non_null(strstr(got, "\r\ntotaal;Alle gemeenten;alle;10;11;-1;9250,00;9950,00;-700,00;"
				    "1050,00;1050,00;0,00;200,00;200,00;0,00;400,00;200,00;200,00;"
				    "75,00;0,00;75,00;1;0;1;1;0;1;1100,00;0,00;1100,00;1;0;1;1;0;1;"
				    "120,00;180,00;-60,00;300,00;180,00;120,00\r\n"));
	free(got);
	/* ',' needs no quotes with ';' between fields; '"' still does */
	file_is(f->hold, "\xef\xbb\xbf" "Dossier;Gemeente;Gemeentenaam;Reden;Bedrag\r\n"
		"PW-0405-000003;0405;Hoorn;\"Signaal <b>& \"\"x\"\" 'y', onderzoek\";1100,00\r\n");
	file_is(f->inh, "\xef\xbb\xbf" "Dossier;Gemeente;Gemeentenaam;Kenmerk;Bedrag\r\n"
		"PW-0405-000001;0405;Hoorn;BT-2026-0007;50,00\r\n"
		"PW-0405-000002;0405;Hoorn;TV-2025-0042;75,00\r\n"
		"PW-0498-000010;0498;Drechterland;TV-2024-0100;75,00\r\n");
	file_is(f->dskip, "\xef\xbb\xbf" "Dossier;Gemeente;Gemeentenaam;Kenmerk;Reden;Bedrag\r\n"
		"PW-0405-000001;0405;Hoorn;HUUR-77;onvoldoende ruimte na inhoudingen;350,00\r\n");
}

static void test_csv_without_previous_run(void **state)
{
	struct fx *f = *state;
	char *got;

	f->r.previous_run_id[0] = '\0';
	f->r.n_prev = 0;
	write_ok(f);
	got = slurp(f->csv);
	/* _vorige and _verschil stay empty: there is nothing to compare with */
	assert_non_null(strstr(got, "\n0405,Hoorn,PW,3,,,2500.00,,,450.00,,,125.00,,,300.00,,,"
				    "50.00,,,1,,,1,,,1100.00,,,1,,,1,,,120.00,,,300.00,,\r\n"));
	assert_non_null(strstr(got, "\ntotaal,Alle gemeenten,alle,10,,,9250.00,,,"));
	free(got);
	got = slurp(f->html);
	assert_non_null(strstr(got, "geen vorige vrijgegeven run"));
	assert_int_equal(count(got, "vorige run"), 0);
	/* legend + one bar per category */
	assert_int_equal(count(got, "<rect"), 2 * 4);
	assert_true(xmllint_ok(f->html));
	free(got);
}

static void test_csv_row_only_in_previous_run(void **state)
{
	struct fx *f = *state;
	char *got;

	f->prev[4] = cell("0405", "IOAZ", 1, 50000, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	f->r.n_prev = 5;
	write_ok(f);
	got = slurp(f->csv);
	/* gone this run: shown as 0 now, between IOAW and the next gemeente */
	assert_non_null(strstr(got, "\n0405,Hoorn,IOAW,2,2,0,"));
	assert_non_null(strstr(got, "IOAW,2,2,0,1800.00,1800.00,0.00,0.00,0.00,0.00,"
				    "0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0,0,0,"
				    "0,0,0,0.00,0.00,0.00,0,0,0,0,0,0,0.00,0.00,0.00,0.00,0.00,0.00\r\n"
				    "0405,Hoorn,IOAZ,0,1,-1,0.00,500.00,-500.00,0.00,0.00,0.00,"));
	assert_non_null(strstr(got, "\ntotaal,Alle gemeenten,alle,10,12,-2,9250.00,10450.00,"
				    "-1200.00,"));
	free(got);
}

static void test_csv_text_is_made_safe(void **state)
{
	struct fx *f = *state;
	char *got;

	/* a formula, a control character, a byte that is not UTF-8 */
	snprintf(f->lines[5].reden, sizeof(f->lines[5].reden), "=1+1\tkolom\xff!");
	snprintf(f->lines[2].reden, sizeof(f->lines[2].reden), "@SUM(A1)");
	write_ok(f);
	file_is(f->blk, BLK_HEADER "PW-0405-000004,0405,Hoorn,'=1+1 kolom\xef\xbf\xbd!,875.00\r\n");
	file_is(f->dskip, DSKIP_HEADER "PW-0405-000001,0405,Hoorn,HUUR-77,'@SUM(A1),350.00\r\n");
	got = slurp(f->html);
	assert_non_null(strstr(got, "=1+1 kolom\xef\xbf\xbd!"));
	assert_null(strchr(got, '\t'));
	assert_true(xmllint_ok(f->html));
	free(got);
}

static void test_reasons_in_dutch(void **state)
{
	struct fx *f = *state;
	char *got;

	/* the register's problem as the store keeps it (snapshot.c) */
	snprintf(f->lines[5].reden, sizeof(f->lines[5].reden),
		 "account: IBAN ****4301 fails the mod-97 check; Leefvorm is GEHUWD but no Partner is given");
	write_ok(f);
	file_is(f->blk, BLK_HEADER "PW-0405-000004,0405,Hoorn,\"rekening: IBAN ****4301 voldoet niet aan de"
		" mod-97-controle; de leefvorm is GEHUWD, maar er is geen partner opgegeven\",875.00\r\n");
	got = slurp(f->html);
	assert_non_null(strstr(got, "<td>rekening: IBAN ****4301 voldoet niet aan de mod-97-controle; de leefvorm"
				    " is GEHUWD, maar er is geen partner opgegeven</td>"
				    "<td class=\"n\">\xe2\x82\xac 875,00</td>"));
	assert_null(strstr(got, "fails"));
	free(got);
}

/*
 * Booked back since the previous run: a client's payment in Medemblik,
 * which has no figures in this run, and a third party's in Hoorn.  Listed
 * in the action part with their total, 1348.49 + 350.00 = 1698.49.
 */
static void test_booked_back(void **state)
{
	struct fx *f = *state;
	char *got;

	f->lines[6] = line(REPORT_BOOKED_BACK, "PW-0420-000009", "0420", "cli\xc3\xabnt",
			   "AC04 (rekening opgeheven)", 134849);
	f->lines[7] = line(REPORT_BOOKED_BACK, "PW-0405-000001", "0405", "derde HUUR-77",
			   "MD07 (rekeninghouder overleden)", 35000);
	f->r.n_lines = 8;
	write_ok(f);
	file_is(f->back, BACK_HEADER
		"PW-0405-000001,0405,Hoorn,derde HUUR-77,MD07 (rekeninghouder overleden),350.00\r\n"
		"PW-0420-000009,0420,Medemblik,cli\xc3\xabnt,AC04 (rekening opgeheven),1348.49\r\n");
	got = slurp(f->html);
	assert_non_null(strstr(got, "Teruggeboekt door de bank</a></th><td class=\"n\">2</td>"
				    "<td class=\"n\">\xe2\x82\xac 1.698,49</td>"));
	assert_non_null(strstr(got, "<td class=\"dossier\">PW-0420-000009</td><td>Medemblik</td><td>cli\xc3\xabnt</td>"
				    "<td>AC04 (rekening opgeheven)</td><td class=\"n\">\xe2\x82\xac 1.348,49</td>"));
	/* in the action part, before the routine figures */
	assert_true(strstr(got, "PW-0420-000009") < strstr(got, "Alle gemeenten</h2>"));
	/* Medemblik has no figures in this run and gets none from it */
	assert_null(strstr(got, "0420 Medemblik:"));
	assert_true(xmllint_ok(f->html));
	free(got);
	/* without any: the action part says so */
	f->r.n_lines = 6;
	write_ok(f);
	got = slurp(f->html);
	assert_non_null(strstr(got, "De bank heeft niets teruggeboekt sinds de vorige vrijgegeven run."));
	free(got);
}

static void test_large_amounts_are_not_a_bsn(void **state)
{
	struct fx *f = *state;
	char *got;

	/* 123,456,789.01 euro: eleven digits, but an amount, not text */
	f->cells[2].client_cents = INT64_C(12345678901);
	f->r.total_cents = INT64_C(12345678901);
	write_ok(f);
	got = slurp(f->csv);
	assert_non_null(strstr(got, ",123456789.01,4800.00,123451989.01,"));
	free(got);
	got = slurp(f->html);
	assert_non_null(strstr(got, "\xe2\x82\xac 123.456.789,01"));
	free(got);
}

/* ---- HTML -------------------------------------------------------------- */

static void test_html_content(void **state)
{
	struct fx *f = *state;
	char *got;

	write_ok(f);
	got = slurp(f->html);
	assert_true(strncmp(got, "<!DOCTYPE html>\n<html lang=\"nl\">", 32) == 0);
	assert_non_null(strstr(got, "<meta charset=\"utf-8\"/>"));
	assert_non_null(strstr(got, "<style>"));
	/* self-contained: no script, no link anywhere */
	assert_null(strstr(got, "<script"));
	assert_null(strstr(got, "http"));
	assert_null(strstr(got, "HTTP"));
	assert_null(strstr(got, "<link"));
	assert_null(strstr(got, "<img"));
	assert_null(strstr(got, "url("));
	/* summary */
	assert_non_null(strstr(got, "<td>2026-12-R0007</td>"));
	assert_non_null(strstr(got, "december 2026"));
	assert_non_null(strstr(got, "<td>voorbereid, wacht op goedkeuring</td>"));
	/* the state it shows is the state at preparation, and says so */
	assert_non_null(strstr(got, "Stand bij voorbereiding op 18-12-2026 om 09:05."));
	assert_non_null(strstr(got, "<td>24-12-2026</td>"));
	assert_non_null(strstr(got, "<td class=\"n\">14</td>"));
	assert_non_null(strstr(got, "<td class=\"n\">\xe2\x82\xac 10.300,00</td>"));
	assert_non_null(strstr(got, "<td>2026-11-R0006</td>"));
	/* what needs action first, with counts and amounts: the hold
	 * withholds 1100.00, the blocked payment 875.00, the third party 350.00 */
	assert_non_null(strstr(got, "Opgeschorte dossiers</a></th><td class=\"n\">1</td>"
				    "<td class=\"n\">\xe2\x82\xac 1.100,00</td>"));
	assert_non_null(strstr(got, "Geblokkeerde betalingen</a></th><td class=\"n\">1</td>"
				    "<td class=\"n\">\xe2\x82\xac 875,00</td>"));
	assert_non_null(strstr(got, "Betalingen aan derden niet gedaan</a></th><td class=\"n\">1</td>"
				    "<td class=\"n\">\xe2\x82\xac 350,00</td>"));
	assert_true(strstr(got, "Actie nodig") < strstr(got, "<td>IBAN ongeldig</td>"));
	assert_true(strstr(got, "<td>IBAN ongeldig</td>") < strstr(got, "Alle gemeenten</h2>"));
	assert_true(strstr(got, "Alle gemeenten</h2>") < strstr(got, "<td>BT-2026-0007</td>"));
	/* the routine part collapsed: two municipalities and the instalments */
	assert_int_equal(count(got, "<details"), 3);
	assert_int_equal(count(got, "<details open"), 0);
	/* municipalities by name, each with its chart */
	assert_non_null(strstr(got, "<summary>0405 Hoorn: aan cli\xc3\xabnten \xe2\x82\xac 4.300,00, aan derden"
				    " \xe2\x82\xac 450,00</summary>"));
	assert_non_null(strstr(got, "<summary>0498 Drechterland: "));
	assert_true(strstr(got, "0405 Hoorn:") < strstr(got, "0498 Drechterland:"));
	assert_int_equal(count(got, "<svg"), 2);
	assert_int_equal(count(got, "</svg>"), 2);
	/* totals over all municipalities: this run, previous, change */
	assert_non_null(strstr(got, "<td class=\"n tot\">\xe2\x82\xac 9.250,00</td>"
				    "<td class=\"n vorig\">\xe2\x82\xac 9.950,00</td>"
				    "<td class=\"n verschil\">-\xe2\x82\xac 700,00</td>"));
	assert_non_null(strstr(got, "<td class=\"n tot\">10</td><td class=\"n vorig\">11</td>"
				    "<td class=\"n verschil\">-1</td>"));
	/* Hoorn's total: verrekend 300+0 vs 200 */
	assert_non_null(strstr(got, "<td class=\"n tot\">\xe2\x82\xac 300,00</td>"
				    "<td class=\"n vorig\">\xe2\x82\xac 200,00</td>"
				    "<td class=\"n verschil\">+\xe2\x82\xac 100,00</td>"));
	/* the reason is escaped, never markup */
	assert_non_null(strstr(got, "Signaal &lt;b&gt;&amp; &quot;x&quot; &#39;y&#39;, onderzoek"));
	assert_null(strstr(got, "<b>"));
	/* lists: every instalment, with a total */
	assert_non_null(strstr(got, "<td>BT-2026-0007</td>"));
	assert_non_null(strstr(got, "<td>TV-2025-0042</td>"));
	assert_non_null(strstr(got, "<td>TV-2024-0100</td>"));
	assert_non_null(strstr(got, "Totaal: 3</td><td class=\"n\">\xe2\x82\xac 200,00</td>"));
	assert_non_null(strstr(got, "<td>HUUR-77</td>"));
	assert_non_null(strstr(got, "<td>IBAN ongeldig</td>"));
	free(got);
}

static void test_html_well_formed(void **state)
{
	struct fx *f = *state;

	write_ok(f);
	assert_true(xmllint_ok(f->html));
}

static void test_html_chart_geometry(void **state)
{
	struct fx *f = *state;
	char *got, *hoorn, *drecht;

	write_ok(f);
	got = slurp(f->html);
	hoorn = strstr(got, "<svg");
	assert_non_null(hoorn);
	drecht = strstr(hoorn + 1, "<svg");
	assert_non_null(drecht);
	drecht[-1] = '\0';
	/*
	 * Hoorn: client 4300.00 now (largest: 360 px), 4200.00 before:
	 * (420000·360 + 215000) / 430000 = 352; derden 450.00 both:
	 * (45000·360 + 215000) / 430000 = 38; inhoudingen 125.00: 10.
	 */
	assert_non_null(strstr(hoorn, "width=\"360\" height=\"16\" fill=\"#1f5f99\""));
	assert_non_null(strstr(hoorn, "width=\"352\" height=\"16\" fill=\"#a7bfd8\""));
	assert_int_equal(count(hoorn, "width=\"38\" height=\"16\""), 2);
	assert_int_equal(count(hoorn, "width=\"10\" height=\"16\""), 2);
	assert_int_equal(count(hoorn, "<rect"), 2 + 6);
	/*
	 * Drechterland: client 5750.00 before is the largest (360 px), 4950.00
	 * now: (495000·360 + 287500) / 575000 = 310.
	 */
	assert_non_null(strstr(drecht, "width=\"360\" height=\"16\" fill=\"#a7bfd8\""));
	assert_non_null(strstr(drecht, "width=\"310\" height=\"16\" fill=\"#1f5f99\""));
	free(got);
}

static void test_files_are_0600(void **state)
{
	struct fx *f = *state;
	struct stat st;

	write_ok(f);
	assert_int_equal(stat(f->csv, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(f->html, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* writing again replaces them whole, still 0600 */
	write_ok(f);
	assert_int_equal(stat(f->html, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

static void test_empty_report(void **state)
{
	struct fx *f = *state;
	char *got;

	f->r.n_cells = f->r.n_prev = f->r.n_lines = 0;
	f->r.previous_run_id[0] = '\0';
	snprintf(f->r.status, sizeof(f->r.status), "DRY-RUN");
	write_ok(f);
	file_is(f->csv, CSV_HEADER
		"totaal,Alle gemeenten,alle,0,,,0.00,,,0.00,,,0.00,,,0.00,,,0.00,,,"
		"0,,,0,,,0.00,,,0,,,0,,,0.00,,,0.00,,\r\n");
	/* an empty list is its header row */
	file_is(f->inh, INH_HEADER);
	file_is(f->hold, HOLD_HEADER);
	file_is(f->blk, BLK_HEADER);
	file_is(f->dskip, DSKIP_HEADER);
	file_is(f->back, BACK_HEADER);
	got = slurp(f->html);
	assert_non_null(strstr(got, "Proefrun"));
	assert_int_equal(count(got, "<svg"), 0);
	assert_true(xmllint_ok(f->html));
	free(got);
}

/* ---- refusals ---------------------------------------------------------- */

static void test_bsn_in_kenmerk_refused(void **state)
{
	struct fx *f = *state;
	struct br_error err;

	snprintf(f->lines[1].kenmerk, sizeof(f->lines[1].kenmerk), "TV-123456782");
	write_refused(f, "kenmerk");
	/* the message names the field, never the digits */
	br_error_clear(&err);
	assert_int_equal(report_write(f->dir, &f->r, &err), BR_EINTERNAL);
	assert_null(strstr(err.msg, "123456782"));
	assert_non_null(strstr(err.msg, "rapport: kenmerk van regel 1 bevat 9 of meer cijfers achter elkaar"));
}

static void test_bsn_in_reden_and_dossier_refused(void **state)
{
	struct fx *f = *state;

	snprintf(f->lines[4].reden, sizeof(f->lines[4].reden), "melding over 111222333 <b>");
	write_refused(f, "rapport: reden van regel 4 bevat 9 of meer cijfers achter elkaar");
	snprintf(f->lines[4].reden, sizeof(f->lines[4].reden), "12345678 is acht cijfers");
	write_ok(f);
	remove_files(f);
	snprintf(f->lines[5].dossier, sizeof(f->lines[5].dossier), "PW-999999999");
	write_refused(f, "rapport: dossier van regel 5 bevat 9 of meer cijfers achter elkaar");
}

static void test_incomplete_lists_refused(void **state)
{
	struct fx *f = *state;

	/* one instalment of Hoorn missing: 50.00 listed, 125.00 withheld */
	f->lines[1] = f->lines[5];
	f->r.n_lines = 5;
	write_refused(f, "de vermelde termijnen tellen niet op tot inhoudingen");
}

static void test_hold_count_mismatch_refused(void **state)
{
	struct fx *f = *state;

	f->cells[1].held = 2;
	write_refused(f, "het aantal vermelde opschortingen wijkt af van opgeschort");
}

static void test_line_of_unknown_gemeente_refused(void **state)
{
	struct fx *f = *state;

	snprintf(f->lines[5].gemeente, sizeof(f->lines[5].gemeente), "0420");
	write_refused(f, "noemt gemeente '0420', die in deze run geen cijfers heeft");
}

static void test_duplicate_cell_refused(void **state)
{
	struct fx *f = *state;

	f->cells[4] = f->cells[1];
	f->r.n_cells = 5;
	write_refused(f, "komt twee keer voor in de huidige run");
}

static void test_unterminated_and_out_of_range_refused(void **state)
{
	struct fx *f = *state;

	memset(f->lines[0].kenmerk, 'A', sizeof(f->lines[0].kenmerk));
	write_refused(f, "rapport: kenmerk van regel 0 is niet afgesloten");
	fill(f);
	f->cells[0].nul = -1;
	write_refused(f, "rapport: nulmaanden van cel 0");
	fill(f);
	f->prev[0].client_cents = INT64_MAX;
	write_refused(f, "van vorige cel 0");
	fill(f);
	f->r.previous_run_id[0] = '\0';
	write_refused(f, "rapport: cijfers van een vorige run zonder haar run-id");
}

static void test_missing_dir_is_eio(void **state)
{
	struct fx *f = *state;
	struct br_error err;
	char dir[128];

	snprintf(dir, sizeof(dir), "%s/niet-er", f->dir);
	br_error_clear(&err);
	assert_int_equal(report_write(dir, &f->r, &err), BR_EIO);
}

static void test_gemeente_naam(void **state)
{
	(void)state;
	assert_string_equal(report_gemeente_naam("0498"), "Drechterland");
	assert_string_equal(report_gemeente_naam("0388"), "Enkhuizen");
	assert_string_equal(report_gemeente_naam("0405"), "Hoorn");
	assert_string_equal(report_gemeente_naam("1598"), "Koggenland");
	assert_string_equal(report_gemeente_naam("0420"), "Medemblik");
	assert_string_equal(report_gemeente_naam("0432"), "Opmeer");
	assert_string_equal(report_gemeente_naam("0532"), "Stede Broec");
	assert_null(report_gemeente_naam("0363"));
	assert_null(report_gemeente_naam(""));
	assert_null(report_gemeente_naam(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_csv_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_excel_nl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reasons_in_dutch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_booked_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_without_previous_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_row_only_in_previous_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_text_is_made_safe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_amounts_are_not_a_bsn, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_content, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_well_formed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_chart_geometry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_are_0600, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bsn_in_kenmerk_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bsn_in_reden_and_dossier_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_incomplete_lists_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hold_count_mismatch_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_of_unknown_gemeente_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_cell_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unterminated_and_out_of_range_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_missing_dir_is_eio, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gemeente_naam, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * main.c — the betaalrun command line (cli.md): argument parsing and the
 * wiring of stages, nothing else.  Each command opens what it needs, calls
 * one stage, prints what a person asked for on stdout and events on
 * stderr, and exits with the sysexits status of its error code.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bankfeedback.h"
#include "config.h"
#include "date.h"
#include "error.h"
#include "fsutil.h"
#include "iban.h"
#include "intake.h"
#include "levering.h"
#include "cms_sign.h"
#include "log.h"
#include "money.h"
#include "payrun.h"
#include "rules_xml.h"
#include "settle.h"
#include "settle_store.h"
#include "signals.h"
#include "signaltable.h"
#include "specification.h"
#include "store.h"

#include "banned.h"

#define LOCK_WAIT_MS 5000

struct home {
	char dir[FSUTIL_PATH_MAX];
	char conf[FSUTIL_PATH_MAX];
	char db[FSUTIL_PATH_MAX];
	char lock[FSUTIL_PATH_MAX];
	char inbox[FSUTIL_PATH_MAX];
	char data[FSUTIL_PATH_MAX];  /* shipped data: schemas/, rules/ */
	struct config cfg;
};

static const char usage_text[] =
	"usage: betaalrun [--home DIR] COMMAND [ARGS]\n"
	"\n"
	"  init                       create the data directory, store and betaalrun.conf\n"
	"  ingest [DIR] [--krimp-toestaan FILE]\n"
	"                             ingest every complete file in the inbox (or DIR)\n"
	"  watch                      keep ingesting as files arrive; stops on SIGTERM/SIGINT\n"
	"  status                     inbox, quarantine, register, deliveries\n"
	"  run --month YYYY-MM --key K [--aanvullend] [--pass-fd N] | run --month YYYY-MM --dry-run\n"
	"  approve RUN --key K [--pass-fd N] | cancel RUN | release RUN | verify FILE | runs\n"
	"  jobs list [--gemeente C] [--soort S] [--overdue] [--csv FILE] | jobs show ID\n"
	"  jobs close ID --uitkomst U [--datum D] [--van D --tot D] [--bedrag X] --door OPERATOR --toelichting TEXT\n"
	"  dossier NUMBER [--month YYYY-MM]\n"
	"                             a dossier's settlement history and a month's calculation\n"
	"\n"
	"The data directory is --home DIR, else $BETAALRUN_HOME, else ./betaalrun-data.\n"
	"Every command has --help.  Exit codes: 0 ok, 64 usage, 65 refused by a rule,\n"
	"66 missing input, 70 internal, 74 I/O, 75 busy (try again), 78 configuration.\n";

static int usage(FILE *f, int status)
{
	fputs(usage_text, f);
	return status;
}

static int fail(const struct br_error *err)
{
	char b1[BR_ERROR_MSG_MAX + 64], b2[BR_ERROR_FILE_MAX + 8];

	if (err->file[0] && err->line > 0)
		log_event(LOG_ERROR, "failed", "error=%s file=%s line=%ld", log_q(b1, sizeof(b1), err->msg),
			  log_q(b2, sizeof(b2), err->file), err->line);
	else if (err->file[0])
		log_event(LOG_ERROR, "failed", "error=%s file=%s", log_q(b1, sizeof(b1), err->msg),
			  log_q(b2, sizeof(b2), err->file));
	else
		log_event(LOG_ERROR, "failed", "error=%s", log_q(b1, sizeof(b1), err->msg));
	return br_error_exit_status(err->code);
}

static int wants_help(int argc, char **argv)
{
	int i;
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

/* Paths of the data directory; with `need_conf`, load betaalrun.conf. */
static int home_init(struct home *h, const char *dir, int need_conf, struct br_error *err)
{
	const char *data = getenv("BETAALRUN_DATADIR");
	int rc;

	memset(h, 0, sizeof(*h));
	snprintf(h->dir, sizeof(h->dir), "%s", dir);
	if ((rc = fsutil_join(h->conf, sizeof(h->conf), dir, "betaalrun.conf", err)) < 0 ||
	    (rc = fsutil_join(h->db, sizeof(h->db), dir, "betaalrun.db", err)) < 0 ||
	    (rc = fsutil_join(h->lock, sizeof(h->lock), dir, "betaalrun.lock", err)) < 0 ||
	    (rc = fsutil_join(h->inbox, sizeof(h->inbox), dir, "inbox", err)) < 0)
		return rc;
	snprintf(h->data, sizeof(h->data), "%s", data && data[0] ? data : BR_DATADIR);
	config_init(&h->cfg);
	if (!need_conf)
		return 0;
	if (access(h->dir, F_OK) != 0)
		return br_error_set(err, BR_ENOINPUT, "no data directory %s: run `betaalrun init` first (or give --home)",
				    h->dir);
	return config_load(&h->cfg, h->conf, err);
}

static int load_signaltable(struct signaltable *t, const struct home *h, struct br_error *err)
{
	char path[FSUTIL_PATH_MAX], xsd[FSUTIL_PATH_MAX];
	int n;

	if (h->cfg.regels_map[0])
		n = snprintf(path, sizeof(path), "%s/signaaltabel.xml", h->cfg.regels_map);
	else
		n = snprintf(path, sizeof(path), "%s/rules/signaaltabel.xml", h->data);
	if (n < 0 || (size_t)n >= sizeof(path))
		return br_error_set(err, BR_ECONFIG, "rules path too long");
	n = snprintf(xsd, sizeof(xsd), "%s/schemas/signaaltabel.xsd", h->data);
	if (n < 0 || (size_t)n >= sizeof(xsd))
		return br_error_set(err, BR_ECONFIG, "data path too long");
	return signaltable_load(t, path, xsd, err);
}

/* ---- init ---------------------------------------------------------------- */

static int cmd_init(const char *dir, int argc, char **argv)
{
	static const char *const subdirs[] = { "inbox", "quarantine", "archive", "out", "outbox" };
	struct br_error err;
	struct home h;
	struct store *st = NULL;
	char path[FSUTIL_PATH_MAX];
	size_t i;
	int rc;

	(void)argv;
	if (argc > 1)
		return usage(stderr, 64);
	br_error_clear(&err);
	umask(077);
	if ((rc = home_init(&h, dir, 0, &err)) < 0 || (rc = fsutil_mkdirs(dir, 0700, &err)) < 0)
		return fail(&err);
	chmod(dir, 0700);
	for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		if ((rc = fsutil_join(path, sizeof(path), dir, subdirs[i], &err)) < 0 ||
		    (rc = fsutil_mkdirs(path, 0700, &err)) < 0)
			return fail(&err);
	}
	if (!fsutil_exists(h.conf)) {
		const char *t = config_template();
		if ((rc = fsutil_write_atomic(h.conf, t, strlen(t), 0600, &err)) < 0)
			return fail(&err);
	}
	if ((rc = config_load(&h.cfg, h.conf, &err)) < 0)
		return fail(&err);
	if ((rc = store_open(&st, h.db, 1, &err)) < 0)
		return fail(&err);
	store_close(st);
	printf("data directory ready: %s\n", dir);
	return 0;
}

/* ---- ingest -------------------------------------------------------------- */

struct ingest_args {
	const char *inbox;
	const char *krimp_file;
};

/*
 * `--krimp-toestaan FILE`: the operator accepts this register although it
 * ends many dossiers.  FILE is identified by its SHA-256; when it is not in
 * the inbox (typically quarantine/NAME) it is moved back into the inbox and
 * its .reason removed.
 */
static int prepare_krimp(char sha[SHA256_HEX_LEN + 1], const struct home *h, const char *inbox,
			 const char *file, struct br_error *err)
{
	char real_in[PATH_MAX], real_file[PATH_MAX], dst[FSUTIL_PATH_MAX], reason[FSUTIL_PATH_MAX + 8];
	char *slash;
	int rc;

	if ((rc = fsutil_digest_file(sha, NULL, file, (uint64_t)h->cfg.max_bestand_mb << 20, NULL, err)) < 0)
		return rc;
	if (!realpath(inbox, real_in) || !realpath(file, real_file))
		return br_error_set(err, BR_ENOINPUT, "cannot resolve %s: %s", file, strerror(errno));
	slash = strrchr(real_file, '/');
	if (slash && (size_t)(slash - real_file) == strlen(real_in) &&
	    strncmp(real_file, real_in, strlen(real_in)) == 0)
		return 0;
	if ((rc = fsutil_join(dst, sizeof(dst), inbox, fsutil_basename(file), err)) < 0 ||
	    (rc = fsutil_move(file, dst, err)) < 0)
		return rc;
	snprintf(reason, sizeof(reason), "%s.reason", file);
	unlink(reason);
	return 0;
}

static int run_intake_once(const struct home *h, const struct signaltable *sig, const char *inbox,
			   const char *krimp_sha, struct intake_summary *sum, struct br_error *err)
{
	struct intake_opts o;
	struct store *st = NULL;
	int lock = -1, rc;

	if ((lock = store_lock(h->lock, LOCK_WAIT_MS, err)) < 0)
		return lock;
	if ((rc = store_open(&st, h->db, 0, err)) < 0)
		goto out;
	memset(&o, 0, sizeof(o));
	o.home = h->dir;
	o.inbox = inbox;
	o.krimp_sha256 = krimp_sha;
	o.cfg = &h->cfg;
	o.data_dir = h->data;
	o.signals = sig;
	o.progress = isatty(2);
	if ((rc = intake_run(sum, st, &o, err)) < 0)
		goto out;
	/* signals.md: every signal that matches a dossier becomes a job (also
	 * the ones waiting for a dossier that has now arrived); record problems
	 * open REGISTER jobs */
	{
		struct signals_match_result mr;
		long opened = 0, missing = 0;
		int64_t now = timestamp_now();
		if ((rc = signals_match(&mr, st, sig, now, err)) < 0 ||
		    (rc = jobs_open_register_problems(&opened, st, sig, now, err)) < 0 ||
		    (rc = bankfeedback_check_debits(&missing, st, sig, h->cfg.afschrijving_dagen, now, err)) < 0)
			goto out;
		if (missing)
			log_event(LOG_WARN, "bank", "batches_without_debit=%ld (BANK jobs)", missing);
		if (mr.matched || mr.unmatched || opened)
			log_event(LOG_INFO, "heronderzoek", "signals_matched=%ld new_jobs=%ld holds=%ld"
				  " signals_without_dossier=%ld register_jobs=%ld", mr.matched, mr.new_jobs, mr.holds,
				  mr.unmatched, opened);
	}
out:
	store_close(st);
	store_unlock(lock);
	return rc;
}

static void print_summary(const struct intake_summary *s)
{
	printf("ingested %d, duplicates %d, quarantined %d, records %ld, unknown BSN %ld%s\n",
	       s->ingested, s->duplicates, s->quarantined, s->records, s->unknown_bsn,
	       s->recovered ? " (finished interrupted archives)" : "");
}

static int cmd_ingest(const char *dir, int argc, char **argv)
{
	struct br_error err;
	struct home h;
	struct signaltable sig;
	struct intake_summary sum;
	char sha[SHA256_HEX_LEN + 1];
	const char *inbox = NULL, *krimp = NULL;
	int i, rc;

	br_error_clear(&err);
	memset(&sig, 0, sizeof(sig));
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--krimp-toestaan") == 0 && i + 1 < argc)
			krimp = argv[++i];
		else if (argv[i][0] == '-' || inbox)
			return usage(stderr, 64);
		else
			inbox = argv[i];
	}
	umask(077);
	if ((rc = home_init(&h, dir, 1, &err)) < 0 || (rc = load_signaltable(&sig, &h, &err)) < 0)
		goto out;
	if (!inbox)
		inbox = h.inbox;
	if (krimp && (rc = prepare_krimp(sha, &h, inbox, krimp, &err)) < 0)
		goto out;
	if ((rc = run_intake_once(&h, &sig, inbox, krimp ? sha : NULL, &sum, &err)) < 0)
		goto out;
	print_summary(&sum);
	if (sum.quarantined)
		rc = BR_EINPUT; /* cli.md: 65 when any file was quarantined */
out:
	signaltable_release(&sig);
	if (rc < 0 && err.code != BR_OK)
		return fail(&err);
	return br_error_exit_status(rc);
}

/* ---- watch --------------------------------------------------------------- */

static volatile sig_atomic_t stop_requested;

static void on_stop(int signo)
{
	(void)signo;
	stop_requested = 1;
}

static int cmd_watch(const char *dir, int argc, char **argv)
{
	struct br_error err;
	struct home h;
	struct signaltable sig;
	struct intake_summary sum;
	struct sigaction sa;
	int fd = -1, rc = 0, pending = 1;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	(void)argv;
	if (argc > 1)
		return usage(stderr, 64);
	br_error_clear(&err);
	memset(&sig, 0, sizeof(sig));
	umask(077);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop; /* no SA_RESTART: poll() returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if ((rc = home_init(&h, dir, 1, &err)) < 0 || (rc = load_signaltable(&sig, &h, &err)) < 0)
		goto out;
	if ((fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0 ||
	    inotify_add_watch(fd, h.inbox, IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
		rc = br_error_set(&err, BR_EIO, "cannot watch %s: %s", h.inbox, strerror(errno));
		goto out;
	}
	log_event(LOG_INFO, "watching the inbox", "inbox=%s", h.inbox);
	while (!stop_requested) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (pending) {
			pending = 0;
			br_error_clear(&err);
			rc = run_intake_once(&h, &sig, h.inbox, NULL, &sum, &err);
			if (rc == BR_EBUSY) {
				pending = 1; /* someone else is ingesting; try again shortly */
			} else if (rc < 0) {
				goto out;
			} else if (sum.ingested || sum.duplicates || sum.quarantined) {
				print_summary(&sum);
				fflush(stdout);
			}
		}
		if (poll(&p, 1, pending ? 1000 : 60000) < 0) {
			if (errno == EINTR)
				continue;
			rc = br_error_set(&err, BR_EIO, "poll failed: %s", strerror(errno));
			goto out;
		}
		while (read(fd, buf, sizeof(buf)) > 0)
			pending = 1;
		/* a periodic pass also catches files that arrived while we worked */
		if (!(p.revents & POLLIN))
			pending = 1;
	}
	log_event(LOG_INFO, "stopped", "reason=signal");
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	signaltable_release(&sig);
	if (rc < 0)
		return fail(&err);
	return 0;
}

/* ---- status -------------------------------------------------------------- */

static long count_dir(const char *dir, int reasons)
{
	long n = 0;
	DIR *d;
	struct dirent *de;

	if (!(d = opendir(dir)))
		return -1;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		int is_reason = l > 7 && strcmp(de->d_name + l - 7, ".reason") == 0;
		if (de->d_name[0] == '.')
			continue;
		if (reasons ? is_reason : !is_reason)
			n++;
	}
	closedir(d);
	return n;
}

static void print_query(struct store *st, const char *label, const char *sql)
{
	sqlite3_stmt *s = NULL;
	struct br_error err;

	br_error_clear(&err);
	if (store_prepare(st, &s, sql, &err) < 0)
		return;
	if (sqlite3_step(s) == SQLITE_ROW) {
		int i, n = sqlite3_column_count(s);
		printf("%-24s", label);
		for (i = 0; i < n; i++) {
			const unsigned char *t = sqlite3_column_text(s, i);
			printf("%s%s", i ? "  " : "", t ? (const char *)t : "-");
		}
		putchar('\n');
	}
	sqlite3_finalize(s);
}

/* payments.md: a bank line that matches nothing is kept and listed. */
static void print_unmatched(struct store *st)
{
	static const char q[] =
		"SELECT l.levering_id, s.regel, s.orgnl_msg_id, coalesce(s.orgnl_e2e_id, coalesce(s.orgnl_pmtinf_id, '')),"
		" s.status, coalesce(s.reden, '') FROM bankstatus s JOIN levering l ON l.id = s.levering"
		" WHERE s.onbekend = 1"
		" UNION ALL SELECT l.levering_id, p.regel, coalesce(p.msg_id, ''), coalesce(p.e2e_id, coalesce(p.pmtinf_id, '')),"
		" p.soort, coalesce(p.reden, '') FROM bankpost p JOIN levering l ON l.id = p.levering"
		" WHERE p.onbekend = 1 LIMIT 20";
	sqlite3_stmt *s = NULL;
	struct br_error e;
	int n = 0;

	br_error_clear(&e);
	if (store_prepare(st, &s, q, &e) < 0)
		return;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (n++ == 0)
			printf("bank lines matching no released run or payment (see the BANK jobs):\n");
		printf("  %s line %s: %s %s %s %s\n", store_col(s, 0), store_col(s, 1), store_col(s, 2),
		       store_col(s, 3), store_col(s, 4), store_col(s, 5));
	}
	sqlite3_finalize(s);
}

static int cmd_status(const char *dir, int argc, char **argv)
{
	struct br_error err;
	struct home h;
	struct store *st = NULL;
	char path[FSUTIL_PATH_MAX];
	int rc;

	(void)argv;
	if (argc > 1)
		return usage(stderr, 64);
	br_error_clear(&err);
	if ((rc = home_init(&h, dir, 1, &err)) < 0 || (rc = store_open(&st, h.db, 0, &err)) < 0)
		return fail(&err);
	printf("data directory          %s\n", h.dir);
	printf("inbox                   %ld file(s) waiting\n", count_dir(h.inbox, 0));
	if (fsutil_join(path, sizeof(path), h.dir, "quarantine", &err) == 0)
		printf("quarantine              %ld file(s) (reasons in quarantine/*.reason)\n",
		       count_dir(path, 1));
	print_query(st, "register in force",
		    "SELECT 'peildatum ' || peildatum, dossiers || ' dossiers', beeindigd || ' ended',"
		    " gemarkeerd || ' with record problems' FROM snapshot ORDER BY peildatum DESC,"
		    " aanmaakdatum DESC LIMIT 1");
	print_query(st, "active dossiers",
		    "SELECT count(*) FROM dossier WHERE einddatum IS NULL OR einddatum >= date('now')");
	print_query(st, "holds",
		    "SELECT count(*) || ' active' FROM opschorting WHERE opgeheven IS NULL");
	print_query(st, "income records",
		    "SELECT count(*), coalesce(sum(vervangt IS NOT NULL), 0) || ' corrections',"
		    " coalesce(sum(NOT EXISTS (SELECT 1 FROM persoon p WHERE p.bsn = i.bsn)), 0) || ' unknown BSN'"
		    " FROM inkomen i");
	print_query(st, "signals",
		    "SELECT count(*), coalesce(sum(NOT EXISTS (SELECT 1 FROM persoon p WHERE p.bsn = s.bsn)), 0)"
		    " || ' without dossier' FROM signaal s");
	print_query(st, "bank status reports", "SELECT count(*) || ' statuses', coalesce(sum(status = 'RJCT'), 0)"
		    " || ' rejections', coalesce(sum(onbekend), 0) || ' matching nothing' FROM bankstatus");
	print_query(st, "bank statements", "SELECT count(*) || ' entries of ours', coalesce(sum(soort = 'STORNO'), 0)"
		    " || ' returns', coalesce(sum(onbekend), 0) || ' matching nothing' FROM bankpost");
	print_query(st, "booked back", "SELECT count(*) || ' payments', coalesce(sum(klasse = 'REKENING'), 0)"
		    " || ' for the account', (SELECT count(*) FROM terugboeking t JOIN betaling b ON b.id = t.betaling"
		    " WHERE b.soort = 'DERDE' AND t.herbetaald IS NULL) || ' still owed to third parties'"
		    " FROM terugboeking");
	print_query(st, "last released run, bank", "SELECT r.msg_id, (SELECT count(*) FROM terugboeking t JOIN betaling b"
		    " ON b.id = t.betaling WHERE b.run = r.id) || ' of ' || r.aantal || ' booked back'"
		    " || CASE WHEN r.aantal > 0 AND (SELECT count(*) FROM terugboeking t JOIN betaling b ON b.id = t.betaling"
		    " WHERE b.run = r.id AND t.bron = 'pain002') = r.aantal THEN ' (REJECTED BY THE BANK)' ELSE '' END,"
		    " (SELECT count(*) FROM afschrijving a WHERE a.run = r.id) || ' batches debited'"
		    " FROM run r WHERE r.status = 'RELEASED' ORDER BY r.id DESC LIMIT 1");
	print_unmatched(st);
	print_query(st, "last run", "SELECT msg_id, maand, status, aantal || ' payments',"
		    " printf('EUR %d.%02d', totaal_cents / 100, totaal_cents % 100) FROM run ORDER BY id DESC LIMIT 1");
	printf("heronderzoek jobs:\n");
	jobs_summary(st, timestamp_day(timestamp_now()), stdout, &err);
	print_query(st, "deliveries",
		    "SELECT count(*) || ' files', (SELECT count(*) FROM duplicaat) || ' duplicates',"
		    " 'last ' || max(ontvangen) FROM levering");
	store_close(st);
	return 0;
}


/* ---- dossier -------------------------------------------------------------- */

static int load_rules(struct rules *r, const struct home *h, struct br_error *err)
{
	char path[FSUTIL_PATH_MAX], xsd[FSUTIL_PATH_MAX];
	int n;

	if (h->cfg.regels_map[0])
		n = snprintf(path, sizeof(path), "%s/regels.xml", h->cfg.regels_map);
	else
		n = snprintf(path, sizeof(path), "%s/rules/regels.xml", h->data);
	if (n < 0 || (size_t)n >= sizeof(path))
		return br_error_set(err, BR_ECONFIG, "rules path too long");
	n = snprintf(xsd, sizeof(xsd), "%s/schemas/regels.xsd", h->data);
	if (n < 0 || (size_t)n >= sizeof(xsd))
		return br_error_set(err, BR_ECONFIG, "data path too long");
	return rules_load(r, path, xsd, err);
}

/* rules.md §6: the settings of the installation, for the engine. */
/*
 * payments.md: the text `dossier` prints for a month with a run is that
 * run's specification, as stored, followed by what the bank said about
 * the payment afterwards.  1 when printed, 0 when the month has no run.
 */
static int print_run_specification(struct store *st, const char *nummer, int32_t month, struct br_error *err)
{
	sqlite3_stmt *s = NULL, *b = NULL;
	char mb[MONTH_FMT_MAX], amount[MONEY_FMT_MAX + 8];
	int rc, found = 0;

	if ((rc = store_prepare(st, &s, "SELECT a.specificatie, a.run, a.dossier FROM afrekening a"
				" JOIN run r ON r.id = a.run JOIN dossier d ON d.id = a.dossier"
				" WHERE d.nummer = ?1 AND a.run_maand = ?2 AND r.aanvullend = 0"
				" AND r.status IN ('PREPARED','APPROVED','RELEASED') ORDER BY r.id DESC LIMIT 1", err)) < 0 ||
	    (rc = store_prepare(st, &b, "SELECT b.soort, b.bedrag_cents, b.iban, t.reden, t.bron FROM terugboeking t"
				" JOIN betaling b ON b.id = t.betaling WHERE b.run = ?1 AND b.dossier = ?2 ORDER BY b.id",
				err)) < 0)
		goto out;
	sqlite3_bind_text(s, 1, nummer, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, month_format(mb, month), -1, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_ROW)
		goto out;
	found = 1;
	fputs(store_col(s, 0), stdout);
	sqlite3_bind_int64(b, 1, sqlite3_column_int64(s, 1));
	sqlite3_bind_int64(b, 2, sqlite3_column_int64(s, 2));
	while (sqlite3_step(b) == SQLITE_ROW) {
		const char *why = bankfeedback_reason_text(store_col(b, 3));
		char acct[IBAN_MASKED_MAX];
		printf("\nNa de betaling: de bank heeft %s van %s naar rekening %s %s%s%s.\n",
		       strcmp(store_col(b, 0), "DERDE") == 0 ? "de betaling aan een derde" : "uw betaling",
		       money_format_nl(amount, sizeof(amount), sqlite3_column_int64(b, 1)), iban_mask(acct, store_col(b, 2)),
		       strcmp(store_col(b, 4), "camt") == 0 ? "teruggestort" : "geweigerd",
		       why ? ", reden: " : "", why ? why : "");
	}
out:
	sqlite3_finalize(s);
	sqlite3_finalize(b);
	return rc < 0 ? rc : found;
}

static void print_history(struct store *st, sqlite3_int64 dossier)
{
	sqlite3_stmt *s = NULL;
	struct br_error err;
	char a[MONEY_FMT_MAX + 8], b[MONEY_FMT_MAX + 8], c[MONEY_FMT_MAX + 8];
	int n = 0;

	br_error_clear(&err);
	if (store_prepare(st, &s, "SELECT run_maand, voorschot_cents, verrekend_cents, client_cents"
			  " FROM afrekening WHERE dossier = ?1 ORDER BY run_maand, id", &err) < 0)
		return;
	sqlite3_bind_int64(s, 1, dossier);
	printf("Geschiedenis (vrijgegeven afrekeningen):\n");
	while (sqlite3_step(s) == SQLITE_ROW) {
		printf("  %s: voorschot %s, verrekend %s, uitbetaald %s\n", sqlite3_column_text(s, 0),
		       money_format_nl(a, sizeof(a), sqlite3_column_int64(s, 1)),
		       money_format_nl(b, sizeof(b), sqlite3_column_int64(s, 2)),
		       money_format_nl(c, sizeof(c), sqlite3_column_int64(s, 3)));
		n++;
	}
	if (!n)
		printf("  (nog geen betaalrun vrijgegeven)\n");
	printf("\n");
	sqlite3_finalize(s);
}

static int cmd_dossier(const char *dir, int argc, char **argv)
{
	struct br_error err;
	struct home h;
	struct store *st = NULL;
	struct rules rules;
	struct settle_source *src = NULL;
	struct settle_dossier_info info;
	struct settle_input in;
	struct settle_result res;
	struct settle_settings set;
	struct specification_dossier sd;
	const char *nummer = NULL, *month_arg = NULL;
	const char *claim_k[SETTLE_MAX_CLAIMS], *derde_k[SETTLE_MAX_DERDEN], *derde_n[SETTLE_MAX_DERDEN];
	char uitbetaal[DATE_FMT_MAX];
	int32_t month;
	int i, rc;

	br_error_clear(&err);
	memset(&rules, 0, sizeof(rules));
	settle_result_init(&res);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--month") == 0 && i + 1 < argc)
			month_arg = argv[++i];
		else if (argv[i][0] == '-' || nummer)
			return usage(stderr, 64);
		else
			nummer = argv[i];
	}
	if (!nummer)
		return usage(stderr, 64);
	if (month_arg) {
		if (month_parse(&month, month_arg, strlen(month_arg), &err) < 0)
			return fail(&err), 64;
	} else {
		month = month_of(timestamp_day(timestamp_now()));
	}
	if ((rc = home_init(&h, dir, 1, &err)) < 0 || (rc = load_rules(&rules, &h, &err)) < 0 ||
	    (rc = store_open(&st, h.db, 0, &err)) < 0)
		goto out;
	if ((rc = print_run_specification(st, nummer, month, &err)) != 0)
		goto out;   /* the run's own text (or an error) */
	if (rules_stale(&rules, month))
		log_event(LOG_WARN, "the newest rules set is more than six months old; new norms are probably due", NULL);
	if ((rc = settle_settings_derive(&set, st, &h.cfg, month, &err)) < 0 ||
	    (rc = settle_source_open(&src, st, month, &set, nummer, &err)) < 0)
		goto out;
	if ((rc = settle_source_next(src, &info, &in, &err)) < 0)
		goto out;
	if (rc == 0) {
		rc = br_error_set(&err, BR_ENOINPUT, "no dossier %s in the store", nummer);
		goto out;
	}
	if ((rc = settle_dossier(&res, &in, &rules, &set, month, &err)) < 0)
		goto out;
	print_history(st, info.id);
	for (i = 0; i < info.n_claim_names; i++)
		claim_k[i] = info.claim_kenmerk[i];
	for (i = 0; i < info.n_derde_names; i++) {
		derde_k[i] = in.derden[i].kenmerk;
		derde_n[i] = info.derde_naam[i];
	}
	{
		int y, m, d;
		date_to_ymd(month_first_day(month), &y, &m, &d);
		snprintf(uitbetaal, sizeof(uitbetaal), "%04d-%02d-%02d", y, m, h.cfg.uitbetaaldag);
	}
	memset(&sd, 0, sizeof(sd));
	sd.dossiernummer = info.nummer;
	sd.gemeente = info.gemeente;
	sd.naam = info.naam;
	sd.iban = info.iban;
	sd.uitbetaaldatum = uitbetaal;
	sd.claim_kenmerk = claim_k;
	sd.derde_kenmerk = derde_k;
	sd.derde_naam = derde_n;
	sd.set = &set;
	printf("Voorlopige berekening: er is nog geen betaalrun voor deze maand.\n\n");
	if (info.probleem[0])
		printf("LET OP: betaling geblokkeerd door een registerprobleem: %s\n\n", info.probleem);
	rc = specification_write(stdout, &sd, &in, &res, &err);
out:
	if (rc > 0)
		rc = 0;
	settle_source_free(src);
	settle_result_release(&res);
	rules_release(&rules);
	store_close(st);
	if (rc < 0)
		return fail(&err);
	return 0;
}


/* ---- payment runs ------------------------------------------------------------- */

struct run_ctx {
	struct home h;
	struct rules rules;
	struct signaltable sig;
	struct store *st;
	int lock;
	char trust[FSUTIL_PATH_MAX];
	char pass[1024];
	struct payrun_env env;
};

/* Open what every run command needs; `locked`: take the store's lock. */
static int run_ctx_open(struct run_ctx *c, const char *dir, int locked, int pass_fd, int need_pass,
			struct br_error *err)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->lock = -1;
	umask(077);
	if ((rc = home_init(&c->h, dir, 1, err)) < 0 || (rc = load_rules(&c->rules, &c->h, err)) < 0 ||
	    (rc = load_signaltable(&c->sig, &c->h, err)) < 0)
		return rc;
	if (c->h.cfg.vertrouwen[0] == '/')
		snprintf(c->trust, sizeof(c->trust), "%s", c->h.cfg.vertrouwen);
	else if ((rc = fsutil_join(c->trust, sizeof(c->trust), c->h.dir, c->h.cfg.vertrouwen, err)) < 0)
		return rc;
	/* No core dump may hold the passphrase or the key (issue 10): the
	 * process is made non-dumpable before either is in memory, for the
	 * rest of the command (cms_no_core_dumps in cms_sign.h). */
	if (need_pass && ((rc = cms_no_core_dumps(err)) < 0 ||
			  (rc = cms_read_passphrase(c->pass, sizeof(c->pass), pass_fd, err)) < 0))
		return rc;
	if (locked && (c->lock = store_lock(c->h.lock, LOCK_WAIT_MS, err)) < 0)
		return c->lock;
	if ((rc = store_open(&c->st, c->h.db, 0, err)) < 0)
		return rc;
	c->env.home = c->h.dir;
	c->env.cfg = &c->h.cfg;
	c->env.rules = &c->rules;
	c->env.trust_pem = c->trust;
	c->env.signals = &c->sig;
	c->env.now = timestamp_now();
	return 0;
}

static void run_ctx_close(struct run_ctx *c)
{
	volatile char *p = c->pass;
	size_t i;

	for (i = 0; i < sizeof(c->pass); i++)
		p[i] = 0; /* the passphrase does not outlive the command */
	store_close(c->st);
	store_unlock(c->lock);
	rules_release(&c->rules);
	signaltable_release(&c->sig);
}

static int parse_fd(const char *s, int *out)
{
	char *end = NULL;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || !end || *end || v < 0 || v > 65535)
		return -1;
	*out = (int)v;
	return 0;
}

static void print_amount_line(const char *label, int64_t cents)
{
	char b[MONEY_FMT_MAX + 8];
	printf("%-16s%s\n", label, money_format_nl(b, sizeof(b), cents));
}

static int cmd_run(const char *dir, int argc, char **argv)
{
	struct br_error err;
	struct run_ctx c;
	struct payrun_summary sum;
	const char *month_arg = NULL, *key = NULL;
	int i, rc, aanvullend = 0, dry = 0, pass_fd = -1;
	int32_t month;

	br_error_clear(&err);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--month") == 0 && i + 1 < argc)
			month_arg = argv[++i];
		else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			key = argv[++i];
		else if (strcmp(argv[i], "--pass-fd") == 0 && i + 1 < argc) {
			if (parse_fd(argv[++i], &pass_fd) < 0)
				return usage(stderr, 64);
		} else if (strcmp(argv[i], "--aanvullend") == 0)
			aanvullend = 1;
		else if (strcmp(argv[i], "--dry-run") == 0)
			dry = 1;
		else
			return usage(stderr, 64);
	}
	if (!month_arg || (!dry && !key) || (dry && (key || aanvullend)))
		return usage(stderr, 64);
	if (month_parse(&month, month_arg, strlen(month_arg), &err) < 0) {
		fail(&err);
		return 64;
	}
	if ((rc = run_ctx_open(&c, dir, 1, pass_fd, !dry, &err)) < 0)
		goto out;
	if (rules_stale(&c.rules, month))
		log_event(LOG_WARN, "the newest rules set is more than six months old; new norms are probably due", NULL);
	if ((rc = payrun_prepare(&sum, c.st, &c.env, month, aanvullend, dry, key, c.pass, &err)) < 0)
		goto out;
	/* cli.md: the run id alone on the first line */
	printf("%s\n", sum.msg_id);
	printf("%-16s%s\n", "map", sum.folder);
	if (!dry && sum.tx) {
		printf("%-16s%s\n", "sha256", sum.sha256);
		printf("%-16s%s (controlegetal van de bank)\n", "sha1", sum.sha1);
	}
	printf("%-16s%s\n", "uitvoerdatum", sum.uitvoerdatum);
	printf("%-16s%ld (betaald %ld, nul %ld, opgeschort %ld, geblokkeerd %ld)\n", "dossiers", sum.dossiers,
	       sum.paid, sum.nul, sum.held, sum.blocked);
	printf("%-16s%ld%s\n", "transacties", sum.tx, dry ? " (proefrun: niet geboekt, geen betaalbestand)" : "");
	print_amount_line(dry ? "zou betalen" : "totaal", sum.total_cents);
	if (sum.rejected)
		printf("%ld statusrapport(en) van de bank nu verwerkt (pain.002)\n", sum.rejected);
	if (sum.blocked || sum.derden_skipped)
		printf("zie rapport.html: %ld geblokkeerd, %ld betalingen aan derden niet gedaan\n", sum.blocked,
		       sum.derden_skipped);
out:
	run_ctx_close(&c);
	if (rc < 0)
		return fail(&err);
	return 0;
}

static int cmd_approve(const char *dir, int argc, char **argv)
{
	struct br_error err;
	struct run_ctx c;
	struct payrun_summary sum;
	const char *run = NULL, *key = NULL;
	int i, rc, pass_fd = -1;

	br_error_clear(&err);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			key = argv[++i];
		else if (strcmp(argv[i], "--pass-fd") == 0 && i + 1 < argc) {
			if (parse_fd(argv[++i], &pass_fd) < 0)
				return usage(stderr, 64);
		} else if (argv[i][0] == '-' || run)
			return usage(stderr, 64);
		else
			run = argv[i];
	}
	if (!run || !key)
		return usage(stderr, 64);
	if ((rc = run_ctx_open(&c, dir, 1, pass_fd, 1, &err)) < 0 ||
	    (rc = payrun_approve(&sum, c.st, &c.env, run, key, c.pass, &err)) < 0)
		goto out;
	printf("%s approved\n", sum.msg_id);
	printf("%-16s%ld\n", "transacties", sum.tx);
	print_amount_line("totaal", sum.total_cents);
	printf("%-16s%s\n%-16s%s\n%-16s%s\n", "sha256", sum.sha256, "sha1", sum.sha1, "uitvoerdatum",
	       sum.uitvoerdatum);
out:
	run_ctx_close(&c);
	if (rc < 0)
		return fail(&err);
	return 0;
}

static int cmd_cancel(const char *dir, int argc, char **argv)
{
	struct br_error err;
	struct run_ctx c;
	int rc;

	br_error_clear(&err);
	if (argc != 2 || argv[1][0] == '-')
		return usage(stderr, 64);
	if ((rc = run_ctx_open(&c, dir, 1, -1, 0, &err)) < 0 || (rc = payrun_cancel(c.st, &c.env, argv[1], &err)) < 0)
		goto out;
	printf("%s cancelled\n", argv[1]);
out:
	run_ctx_close(&c);
	if (rc < 0)
		return fail(&err);
	return 0;
}

static int cmd_release(const char *dir, int argc, char **argv)
{
	struct br_error err;
	struct run_ctx c;
	struct payrun_summary sum;
	int rc;

	br_error_clear(&err);
	if (argc != 2 || argv[1][0] == '-')
		return usage(stderr, 64);
	if ((rc = run_ctx_open(&c, dir, 1, -1, 0, &err)) < 0 ||
	    (rc = payrun_release(&sum, c.st, &c.env, argv[1], &err)) < 0)
		goto out;
	printf("%s released to %s\n", sum.msg_id, sum.folder);
	printf("%-16s%ld\n", "transacties", sum.tx);
	print_amount_line("totaal", sum.total_cents);
	printf("%-16s%s\n%-16s%s\n", "sha256", sum.sha256, "sha1", sum.sha1);
out:
	run_ctx_close(&c);
	if (rc < 0)
		return fail(&err);
	return 0;
}

static int cmd_verify(const char *dir, int argc, char **argv)
{
	struct br_error err;
	struct run_ctx c;
	int rc;

	br_error_clear(&err);
	if (argc != 2 || argv[1][0] == '-')
		return usage(stderr, 64);
	if ((rc = run_ctx_open(&c, dir, 0, -1, 0, &err)) < 0 || (rc = payrun_verify(c.st, &c.env, argv[1], &err)) < 0)
		goto out;
out:
	run_ctx_close(&c);
	if (rc < 0)
		return fail(&err);
	return 0;
}

static int cmd_runs(const char *dir, int argc, char **argv)
{
	struct br_error err;
	struct run_ctx c;
	int rc;

	(void)argv;
	br_error_clear(&err);
	if (argc != 1)
		return usage(stderr, 64);
	if ((rc = run_ctx_open(&c, dir, 0, -1, 0, &err)) < 0 || (rc = payrun_list(c.st, &err)) < 0)
		goto out;
out:
	run_ctx_close(&c);
	if (rc < 0)
		return fail(&err);
	return 0;
}

/* ---- jobs ------------------------------------------------------------------------- */

static int parse_date_arg(const char *s, int32_t *out)
{
	struct br_error e;
	br_error_clear(&e);
	return date_parse(out, s, strlen(s), &e);
}

static int cmd_jobs(const char *dir, int argc, char **argv)
{
	struct br_error err;
	struct run_ctx c;
	const char *sub = argc > 1 ? argv[1] : "";
	int rc = 0, i;

	br_error_clear(&err);
	if (strcmp(sub, "list") == 0) {
		struct jobs_filter f;
		const char *csv = NULL;
		memset(&f, 0, sizeof(f));
		for (i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--gemeente") == 0 && i + 1 < argc)
				f.gemeente = argv[++i];
			else if (strcmp(argv[i], "--soort") == 0 && i + 1 < argc)
				f.soort = argv[++i];
			else if (strcmp(argv[i], "--overdue") == 0)
				f.overdue = 1;
			else if (strcmp(argv[i], "--csv") == 0 && i + 1 < argc)
				csv = argv[++i];
			else
				return usage(stderr, 64);
		}
		if ((rc = run_ctx_open(&c, dir, 0, -1, 0, &err)) < 0)
			goto out;
		f.today = timestamp_day(c.env.now);
		rc = jobs_list(c.st, &f, stdout, csv, &err);
	} else if (strcmp(sub, "show") == 0 && argc == 3) {
		char *end = NULL;
		long long id = strtoll(argv[2], &end, 10);
		if (!end || *end || id <= 0)
			return usage(stderr, 64);
		if ((rc = run_ctx_open(&c, dir, 0, -1, 0, &err)) < 0)
			goto out;
		rc = jobs_show(c.st, (int64_t)id, stdout, &err);
	} else if (strcmp(sub, "close") == 0 && argc >= 3) {
		struct jobs_close_args a;
		char *end = NULL;
		long long id = strtoll(argv[2], &end, 10);
		memset(&a, 0, sizeof(a));
		a.datum = a.van = a.tot = DATE_NONE;
		if (!end || *end || id <= 0)
			return usage(stderr, 64);
		a.id = (int64_t)id;
		for (i = 3; i < argc; i++) {
			if (strcmp(argv[i], "--uitkomst") == 0 && i + 1 < argc)
				a.uitkomst = argv[++i];
			else if (strcmp(argv[i], "--datum") == 0 && i + 1 < argc) {
				if (parse_date_arg(argv[++i], &a.datum) < 0)
					return usage(stderr, 64);
			} else if (strcmp(argv[i], "--van") == 0 && i + 1 < argc) {
				if (parse_date_arg(argv[++i], &a.van) < 0)
					return usage(stderr, 64);
			} else if (strcmp(argv[i], "--tot") == 0 && i + 1 < argc) {
				if (parse_date_arg(argv[++i], &a.tot) < 0)
					return usage(stderr, 64);
			} else if (strcmp(argv[i], "--door") == 0 && i + 1 < argc)
				a.door = argv[++i];
			else if (strcmp(argv[i], "--toelichting") == 0 && i + 1 < argc)
				a.toelichting = argv[++i];
			else if (strcmp(argv[i], "--bedrag") == 0 && i + 1 < argc) {
				struct br_error e;
				const char *v = argv[++i];
				br_error_clear(&e);
				if (money_parse(&a.bedrag_cents, v, strlen(v), &e) < 0 || a.bedrag_cents <= 0) {
					fprintf(stderr, "level=error msg=\"--bedrag %s is not an amount above 0 like 250.00\"\n", v);
					return 64;
				}
			} else
				return usage(stderr, 64);
		}
		if ((rc = run_ctx_open(&c, dir, 1, -1, 0, &err)) < 0)
			goto out;
		a.rules = &c.rules;
		if ((rc = jobs_close(c.st, &a, c.env.now, &err)) == 0)
			printf("job %lld closed: %s\n", id, a.uitkomst);
	} else {
		return usage(stderr, 64);
	}
out:
	run_ctx_close(&c);
	if (rc < 0)
		return fail(&err);
	return 0;
}

/* ---- dispatch ------------------------------------------------------------ */

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(const char *home, int argc, char **argv);
		const char *help;
	} cmds[] = {
		{ "init", cmd_init, "betaalrun [--home DIR] init\n  create the data directory, the store and a commented betaalrun.conf\n" },
		{ "ingest", cmd_ingest, "betaalrun [--home DIR] ingest [DIR] [--krimp-toestaan FILE]\n"
		  "  ingest every complete file in the inbox (or DIR) exactly once, or quarantine it with a reason;\n"
		  "  --krimp-toestaan FILE accepts a register snapshot that ends more dossiers than\n"
		  "  register_krimp_max_pct allows (FILE may be the quarantined copy)\n"
		  "  exit 0 all ingested, 65 some file quarantined, 75 store busy\n" },
		{ "watch", cmd_watch, "betaalrun [--home DIR] watch\n  ingest files as they arrive in the inbox (inotify); stops cleanly on SIGTERM/SIGINT\n" },
		{ "run", cmd_run, "betaalrun [--home DIR] run --month YYYY-MM --key K [--aanvullend] [--pass-fd N]\n"
		  "betaalrun [--home DIR] run --month YYYY-MM --dry-run\n"
		  "  prepare the month's payment run: settle every dossier, write the SEPA file, sign it with K\n"
		  "  (PKCS#12 or PEM; passphrase from $BETAALRUN_KEY_PASS or fd N); prints the run id first;\n"
		  "  --aanvullend pays only what is due and unpaid after the month was released;\n"
		  "  --dry-run writes the report under out/YYYY-MM/dry-run/ and books nothing\n" },
		{ "approve", cmd_approve, "betaalrun [--home DIR] approve RUN --key K [--pass-fd N]\n"
		  "  second signature (four-eyes: the approver must be another person than the preparer,\n"
		  "  exit 77; the approver's certificate must chain to vertrouwen, exit 65); running it\n"
		  "  again after an interruption finishes the approval\n" },
		{ "cancel", cmd_cancel, "betaalrun [--home DIR] cancel RUN\n  cancel a prepared or approved run\n" },
		{ "release", cmd_release, "betaalrun [--home DIR] release RUN\n"
		  "  verify both signatures and the file, copy it to outbox/, book the payments as paid\n" },
		{ "verify", cmd_verify, "betaalrun [--home DIR] verify FILE\n"
		  "  check FILE and FILE.p7s: signatures, trust chain, four-eyes, the ledger's SHA-256\n" },
		{ "runs", cmd_runs, "betaalrun [--home DIR] runs\n  list the runs with status and totals\n" },
		{ "jobs", cmd_jobs, "betaalrun [--home DIR] jobs list [--gemeente C] [--soort S] [--overdue] [--csv FILE]\n"
		  "betaalrun [--home DIR] jobs show ID\n"
		  "betaalrun [--home DIR] jobs close ID --uitkomst U [--datum D] [--van D --tot D] [--bedrag X] --door OPERATOR"
		  " --toelichting TEXT\n"
		  "  the heronderzoek worklist; U is GEEN_GEVOLGEN, AANGEPAST, BEEINDIGD (--datum) or\n"
		  "  RECHT_VERVALLEN (--van/--tot); a BUFFER job: TOEKENNEN [--bedrag X] or AFWIJZEN\n" },
		{ "dossier", cmd_dossier, "betaalrun [--home DIR] dossier NUMBER [--month YYYY-MM]\n"
		  "  the dossier's settlement history and the full calculation for a month (default: this month),\n"
		  "  in Dutch, as the client's specification shows it\n" },
		{ "status", cmd_status, "betaalrun [--home DIR] status\n  what an operator checks first: inbox, quarantine, register, deliveries\n" },
	};
	const char *home = getenv("BETAALRUN_HOME");
	const char *lvl = getenv("BETAALRUN_LOG");
	size_t i;
	int a = 1;

	if (lvl && strcmp(lvl, "debug") == 0)
		log_set_level(LOG_DEBUG);
	while (a < argc && argv[a][0] == '-') {
		if (strcmp(argv[a], "--home") == 0 && a + 1 < argc) {
			home = argv[a + 1];
			a += 2;
		} else if (strncmp(argv[a], "--home=", 7) == 0) {
			home = argv[a] + 7;
			a++;
		} else if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
			return usage(stdout, 0);
		} else {
			return usage(stderr, 64);
		}
	}
	if (!home || !home[0])
		home = "./betaalrun-data";
	if (a >= argc)
		return usage(stderr, 64);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[a], cmds[i].name) != 0)
			continue;
		if (wants_help(argc - a, argv + a)) {
			fputs(cmds[i].help, stdout);
			return 0;
		}
		return cmds[i].fn(home, argc - a, argv + a);
	}
	fprintf(stderr, "betaalrun: unknown command '%s'\n", argv[a]);
	return usage(stderr, 64);
}

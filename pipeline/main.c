/*
 * main.c — the betaalrun command line (cli.md): argument parsing and the
 * wiring of stages, nothing else.  Each command parses its arguments
 * against a table of options, opens what it needs and calls one stage;
 * what a person asked for goes to stdout, events to stderr, and the exit
 * status is the sysexits status of the error code.  A usage error names
 * the problem first and then prints that command's usage (exit 64).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "date.h"
#include "dossier.h"
#include "error.h"
#include "home.h"
#include "ingest.h"
#include "log.h"
#include "money.h"
#include "payrun.h"
#include "runview.h"
#include "jobs.h"
#include "status.h"

#include "banned.h"

#define MAX_POS 4   /* positional arguments any command takes, at most */

struct command {
	const char *name;       /* "run", "jobs list" */
	int (*fn)(const struct command *self, const char *home, int argc, char **argv);
	const char *help;       /* usage lines, then what it does */
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
	"  jobs assign ID --door OPERATOR --toelichting TEXT\n"
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

/* cli.md: a usage error says what is wrong, then how the command is used. */
static int usage_error(const struct command *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const struct command *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "betaalrun %s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n\nusage:\n%s", c->help);
	return 64;
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

/* The exit status of a command that ended with `rc`. */
static int finish(int rc, const struct br_error *err)
{
	if (rc < 0 && err->code != BR_OK)
		return fail(err);
	return br_error_exit_status(rc < 0 ? (enum br_code)rc : BR_OK);
}

/* ---- arguments ------------------------------------------------------------ */

struct opt {
	const char *name;       /* "--month" */
	const char **value;     /* an option with a value: where it goes */
	int *flag;              /* a flag: set to 1 */
};

/*
 * Parse argv[1..] against `opts`: options in any order, each at most
 * once, the rest positional (at most `max_pos`, into `pos`).  Anything
 * else is a usage error naming the argument.
 */
static int parse_args(const struct command *c, int argc, char **argv, const struct opt *opts,
		      const char **pos, int max_pos, int *n_pos)
{
	int i;

	*n_pos = 0;
	for (i = 1; i < argc; i++) {
		const struct opt *o;
		for (o = opts; o && o->name && strcmp(o->name, argv[i]) != 0; o++)
			;
		if (o && o->name) {
			if (o->flag) {
				*o->flag = 1;
			} else if (i + 1 >= argc) {
				return usage_error(c, "%s needs a value", o->name);
			} else if (*o->value) {
				return usage_error(c, "%s is given twice", o->name);
			} else {
				*o->value = argv[++i];
			}
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error(c, "unknown option %s", argv[i]);
		} else if (*n_pos >= max_pos) {
			return usage_error(c, "unexpected argument '%s'", argv[i]);
		} else {
			pos[(*n_pos)++] = argv[i];
		}
	}
	return 0;
}

static int parse_month(const struct command *c, const char *opt, const char *s, int32_t *out)
{
	struct br_error e;

	br_error_clear(&e);
	if (month_parse(out, s, strlen(s), &e) < 0)
		return usage_error(c, "%s %s is not a month; write it as YYYY-MM, e.g. 2026-11", opt, s);
	return 0;
}

static int parse_date(const struct command *c, const char *opt, const char *s, int32_t *out)
{
	struct br_error e;

	*out = DATE_NONE;
	if (!s)
		return 0;
	br_error_clear(&e);
	if (date_parse(out, s, strlen(s), &e) < 0)
		return usage_error(c, "%s %s is not a date; write it as YYYY-MM-DD, e.g. 2026-10-31", opt, s);
	return 0;
}

/* A file descriptor number (--pass-fd), 0..65535. */
static int parse_fd(const struct command *c, const char *s, int *out)
{
	char *end = NULL;
	long v;

	*out = -1;
	if (!s)
		return 0;
	v = strtol(s, &end, 10);
	if (!end || *end || end == s || v < 0 || v > 65535)
		return usage_error(c, "--pass-fd %s is not a file descriptor number", s);
	*out = (int)v;
	return 0;
}

static int parse_id(const struct command *c, const char *s, int64_t *out)
{
	char *end = NULL;
	long long v = s ? strtoll(s, &end, 10) : 0;

	if (!s)
		return usage_error(c, "which job? give its number");
	if (!end || *end || end == s || v <= 0)
		return usage_error(c, "'%s' is not a job number", s);
	*out = (int64_t)v;
	return 0;
}

/* ---- commands --------------------------------------------------------------- */

static int cmd_init(const struct command *self, const char *dir, int argc, char **argv)
{
	struct br_error err;
	const char *pos[MAX_POS];
	int n, rc;

	if ((rc = parse_args(self, argc, argv, NULL, pos, 0, &n)) != 0)
		return rc;
	br_error_clear(&err);
	if ((rc = home_create(dir, &err)) < 0)
		return fail(&err);
	printf("data directory ready: %s\n", dir);
	return 0;
}

static int cmd_ingest(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *krimp = NULL, *pos[MAX_POS];
	const struct opt opts[] = { { "--krimp-toestaan", &krimp, NULL }, { NULL, NULL, NULL } };
	struct br_error err;
	struct home h;
	struct signaltable sig;
	struct intake_summary sum;
	char sha[SHA256_HEX_LEN + 1];
	int n, rc;

	if ((rc = parse_args(self, argc, argv, opts, pos, 1, &n)) != 0)
		return rc;
	br_error_clear(&err);
	memset(&sig, 0, sizeof(sig));
	umask(077);
	if ((rc = home_init(&h, dir, 1, &err)) < 0 || (rc = home_load_signaltable(&sig, &h, &err)) < 0 ||
	    (krimp && (rc = ingest_allow_shrink(sha, &h, n ? pos[0] : h.inbox, krimp, &err)) < 0) ||
	    (rc = ingest_once(&sum, &h, &sig, n ? pos[0] : NULL, krimp ? sha : NULL, &err)) < 0)
		goto out;
	ingest_print_summary(stdout, &sum);
	if (sum.quarantined)
		rc = BR_EINPUT; /* cli.md: 65 when any file was quarantined */
out:
	signaltable_release(&sig);
	return finish(rc, &err);
}

static int cmd_watch(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *pos[MAX_POS];
	struct br_error err;
	struct home h;
	struct signaltable sig;
	int n, rc;

	if ((rc = parse_args(self, argc, argv, NULL, pos, 0, &n)) != 0)
		return rc;
	br_error_clear(&err);
	memset(&sig, 0, sizeof(sig));
	umask(077);
	if ((rc = home_init(&h, dir, 1, &err)) == 0 && (rc = home_load_signaltable(&sig, &h, &err)) == 0)
		rc = ingest_watch(&h, &sig, &err);
	signaltable_release(&sig);
	return finish(rc, &err);
}

static int cmd_status(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *pos[MAX_POS];
	struct br_error err;
	struct home h;
	int n, rc;

	if ((rc = parse_args(self, argc, argv, NULL, pos, 0, &n)) != 0)
		return rc;
	br_error_clear(&err);
	if ((rc = home_init(&h, dir, 1, &err)) == 0)
		rc = status_print(stdout, &h, &err);
	return finish(rc, &err);
}

static int cmd_dossier(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *month_arg = NULL, *pos[MAX_POS];
	const struct opt opts[] = { { "--month", &month_arg, NULL }, { NULL, NULL, NULL } };
	struct br_error err;
	struct home h;
	struct rules rules;
	int64_t now;
	int32_t month;
	int n, rc;

	if ((rc = parse_args(self, argc, argv, opts, pos, 1, &n)) != 0)
		return rc;
	if (n != 1)
		return usage_error(self, "which dossier? give its number, e.g. PW-0405-000123");
	if (month_arg && (rc = parse_month(self, "--month", month_arg, &month)) != 0)
		return rc;
	br_error_clear(&err);
	memset(&rules, 0, sizeof(rules));
	if ((rc = timestamp_now(&now, &err)) == 0 && !month_arg)
		month = month_of(timestamp_day(now));
	if (rc == 0 && (rc = home_init(&h, dir, 1, &err)) == 0 && (rc = home_load_rules(&rules, &h, &err)) == 0)
		rc = dossier_show(stdout, &h, &rules, pos[0], month, &err);
	rules_release(&rules);
	return finish(rc, &err);
}

static int cmd_run(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *month_arg = NULL, *key = NULL, *fd_arg = NULL, *pos[MAX_POS];
	int aanvullend = 0, dry = 0, n, rc, pass_fd;
	const struct opt opts[] = { { "--month", &month_arg, NULL }, { "--key", &key, NULL },
				    { "--pass-fd", &fd_arg, NULL }, { "--aanvullend", NULL, &aanvullend },
				    { "--dry-run", NULL, &dry }, { NULL, NULL, NULL } };
	struct home_session s;
	struct payrun_summary sum;
	struct br_error err;
	int32_t month;

	if ((rc = parse_args(self, argc, argv, opts, pos, 0, &n)) != 0)
		return rc;
	if (!month_arg)
		return usage_error(self, "which month? give --month YYYY-MM");
	if (dry && (key || aanvullend))
		return usage_error(self, "a dry run signs and books nothing: leave out %s", key ? "--key" : "--aanvullend");
	if (!dry && !key)
		return usage_error(self, "the payment file is signed: give --key FILE (or --dry-run)");
	if ((rc = parse_month(self, "--month", month_arg, &month)) != 0 ||
	    (rc = parse_fd(self, fd_arg, &pass_fd)) != 0)
		return rc;
	br_error_clear(&err);
	if ((rc = home_session_open(&s, dir, HOME_LOCKED | (dry ? 0 : HOME_PASS), pass_fd, &err)) < 0)
		goto out;
	if (rules_stale(&s.rules, month))
		log_event(LOG_WARN, "the newest rules set is more than six months old; new norms are probably due", NULL);
	if ((rc = payrun_prepare(&sum, s.st, &s.env, month, aanvullend, dry, key, s.pass, &err)) < 0)
		goto out;
	runview_print(stdout, dry ? RUNVIEW_DRY_RUN : RUNVIEW_PREPARED, &sum);
out:
	home_session_close(&s);
	return finish(rc, &err);
}

static int cmd_approve(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *key = NULL, *fd_arg = NULL, *pos[MAX_POS];
	const struct opt opts[] = { { "--key", &key, NULL }, { "--pass-fd", &fd_arg, NULL }, { NULL, NULL, NULL } };
	struct home_session s;
	struct payrun_summary sum;
	struct br_error err;
	int n, rc, pass_fd;

	if ((rc = parse_args(self, argc, argv, opts, pos, 1, &n)) != 0)
		return rc;
	if (n != 1)
		return usage_error(self, "which run? give its id, e.g. BR-202611-0001");
	if (!key)
		return usage_error(self, "the approval is a second signature: give --key FILE");
	if ((rc = parse_fd(self, fd_arg, &pass_fd)) != 0)
		return rc;
	br_error_clear(&err);
	if ((rc = home_session_open(&s, dir, HOME_LOCKED | HOME_PASS, pass_fd, &err)) == 0 &&
	    (rc = payrun_approve(&sum, s.st, &s.env, pos[0], key, s.pass, &err)) == 0)
		runview_print(stdout, RUNVIEW_APPROVED, &sum);
	home_session_close(&s);
	return finish(rc, &err);
}

/* cancel, release, verify: one argument, a locked or unlocked session. */
static int cmd_one_arg(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *pos[MAX_POS];
	struct home_session s;
	struct payrun_summary sum;
	struct br_error err;
	int n, rc, verify = strcmp(self->name, "verify") == 0;

	if ((rc = parse_args(self, argc, argv, NULL, pos, 1, &n)) != 0)
		return rc;
	if (n != 1)
		return usage_error(self, verify ? "which file? give the path of a pain.001 file" :
				   "which run? give its id, e.g. BR-202611-0001");
	br_error_clear(&err);
	if ((rc = home_session_open(&s, dir, verify ? 0 : HOME_LOCKED, -1, &err)) < 0)
		goto out;
	if (verify) {
		rc = payrun_verify(s.st, &s.env, pos[0], &err);
	} else if (strcmp(self->name, "cancel") == 0) {
		if ((rc = payrun_cancel(s.st, &s.env, pos[0], &err)) == 0)
			printf("%s cancelled\n", pos[0]);
	} else if ((rc = payrun_release(&sum, s.st, &s.env, pos[0], &err)) == 0) {
		runview_print(stdout, RUNVIEW_RELEASED, &sum);
	}
out:
	home_session_close(&s);
	return finish(rc, &err);
}

static int cmd_runs(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *pos[MAX_POS];
	struct home_session s;
	struct br_error err;
	int n, rc;

	if ((rc = parse_args(self, argc, argv, NULL, pos, 0, &n)) != 0)
		return rc;
	br_error_clear(&err);
	if ((rc = home_session_open(&s, dir, 0, -1, &err)) == 0)
		rc = payrun_list(s.st, &err);
	home_session_close(&s);
	return finish(rc, &err);
}

static int cmd_jobs_list(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *csv = NULL, *pos[MAX_POS];
	struct jobs_filter f;
	const struct opt opts[] = { { "--gemeente", &f.gemeente, NULL }, { "--soort", &f.soort, NULL },
				    { "--overdue", NULL, &f.overdue }, { "--csv", &csv, NULL }, { NULL, NULL, NULL } };
	struct home_session s;
	struct br_error err;
	int n, rc;

	memset(&f, 0, sizeof(f));
	if ((rc = parse_args(self, argc, argv, opts, pos, 0, &n)) != 0)
		return rc;
	br_error_clear(&err);
	if ((rc = home_session_open(&s, dir, 0, -1, &err)) == 0) {
		f.today = timestamp_day(s.env.now);
		if (csvout_dialect_parse(&f.csv, s.h.cfg.rapport_csv) < 0)
			rc = br_error_set(&err, BR_EINTERNAL, "unknown [rapport] csv '%s'", s.h.cfg.rapport_csv);
		else
			rc = jobs_list(s.st, &f, stdout, csv, &err);
	}
	home_session_close(&s);
	return finish(rc, &err);
}

static int cmd_jobs_show(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *pos[MAX_POS];
	struct home_session s;
	struct br_error err;
	int64_t id;
	int n, rc;

	if ((rc = parse_args(self, argc, argv, NULL, pos, 1, &n)) != 0 ||
	    (rc = parse_id(self, n ? pos[0] : NULL, &id)) != 0)
		return rc;
	br_error_clear(&err);
	if ((rc = home_session_open(&s, dir, 0, -1, &err)) == 0)
		rc = jobs_show(s.st, id, stdout, &err);
	home_session_close(&s);
	return finish(rc, &err);
}

static int cmd_jobs_assign(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *door = NULL, *why = NULL, *pos[MAX_POS];
	const struct opt opts[] = { { "--door", &door, NULL }, { "--toelichting", &why, NULL }, { NULL, NULL, NULL } };
	struct home_session s;
	struct br_error err;
	int64_t id;
	int n, rc;

	if ((rc = parse_args(self, argc, argv, opts, pos, 1, &n)) != 0 ||
	    (rc = parse_id(self, n ? pos[0] : NULL, &id)) != 0)
		return rc;
	if (!door || !why)
		return usage_error(self, "say who takes the job and why: give --door OPERATOR and --toelichting TEXT");
	br_error_clear(&err);
	if ((rc = home_session_open(&s, dir, HOME_LOCKED, -1, &err)) == 0 &&
	    (rc = jobs_assign(s.st, id, door, why, s.env.now, &err)) == 0)
		printf("job %lld in behandeling bij %s\n", (long long)id, door);
	home_session_close(&s);
	return finish(rc, &err);
}

static int cmd_jobs_close(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *datum = NULL, *van = NULL, *tot = NULL, *bedrag = NULL, *pos[MAX_POS];
	struct jobs_close_args a;
	const struct opt opts[] = { { "--uitkomst", &a.uitkomst, NULL }, { "--datum", &datum, NULL },
				    { "--van", &van, NULL }, { "--tot", &tot, NULL }, { "--bedrag", &bedrag, NULL },
				    { "--door", &a.door, NULL }, { "--toelichting", &a.toelichting, NULL },
				    { NULL, NULL, NULL } };
	struct home_session s;
	struct br_error err;
	int n, rc;

	memset(&a, 0, sizeof(a));
	if ((rc = parse_args(self, argc, argv, opts, pos, 1, &n)) != 0 ||
	    (rc = parse_id(self, n ? pos[0] : NULL, &a.id)) != 0 || (rc = parse_date(self, "--datum", datum, &a.datum)) != 0 ||
	    (rc = parse_date(self, "--van", van, &a.van)) != 0 || (rc = parse_date(self, "--tot", tot, &a.tot)) != 0)
		return rc;
	br_error_clear(&err);
	if (bedrag && (money_parse(&a.bedrag_cents, bedrag, strlen(bedrag), &err) < 0 || a.bedrag_cents <= 0))
		return usage_error(self, "--bedrag %s is not an amount above 0 like 250.00", bedrag);
	br_error_clear(&err);
	if ((rc = home_session_open(&s, dir, HOME_LOCKED, -1, &err)) == 0) {
		a.rules = &s.rules;
		if ((rc = jobs_close(s.st, &a, s.env.now, &err)) == 0)
			printf("job %lld closed: %s\n", (long long)a.id, a.uitkomst);
	}
	home_session_close(&s);
	return finish(rc, &err);
}

/* ---- dispatch ------------------------------------------------------------ */

static const struct command commands[] = {
	{ "init", cmd_init, "betaalrun [--home DIR] init\n  create the data directory, the store and a commented betaalrun.conf\n" },
	{ "ingest", cmd_ingest, "betaalrun [--home DIR] ingest [DIR] [--krimp-toestaan FILE]\n"
	  "  ingest every complete file in the inbox (or DIR) exactly once, or quarantine it with a reason;\n"
	  "  --krimp-toestaan FILE accepts a register snapshot that ends more dossiers than\n"
	  "  register_krimp_max_pct allows (FILE may be the quarantined copy)\n"
	  "  exit 0 all ingested, 65 some file quarantined, 75 store busy\n" },
	{ "watch", cmd_watch, "betaalrun [--home DIR] watch\n"
	  "  ingest files as they arrive in the inbox (inotify); stops cleanly on SIGTERM/SIGINT\n" },
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
	{ "cancel", cmd_one_arg, "betaalrun [--home DIR] cancel RUN\n  cancel a prepared or approved run\n" },
	{ "release", cmd_one_arg, "betaalrun [--home DIR] release RUN\n"
	  "  verify both signatures and the file, copy it to outbox/, book the payments as paid\n" },
	{ "verify", cmd_one_arg, "betaalrun [--home DIR] verify FILE\n"
	  "  check FILE and FILE.p7s: signatures, trust chain, four-eyes, the ledger's SHA-256\n" },
	{ "runs", cmd_runs, "betaalrun [--home DIR] runs\n  list the runs with status and totals\n" },
	{ "jobs list", cmd_jobs_list, "betaalrun [--home DIR] jobs list [--gemeente C] [--soort S] [--overdue] [--csv FILE]\n"
	  "  the open heronderzoek worklist, most urgent first; --csv FILE writes it as CSV to FILE (0600)\n"
	  "  instead of the table, --csv - to standard output ([rapport] csv: excel-nl or rfc4180)\n" },
	{ "jobs show", cmd_jobs_show, "betaalrun [--home DIR] jobs show ID\n  one job with its signals and its audit trail\n" },
	{ "jobs assign", cmd_jobs_assign, "betaalrun [--home DIR] jobs assign ID --door OPERATOR --toelichting TEXT\n"
	  "  take an open job in hand (OPEN -> IN_BEHANDELING), recorded in its audit trail\n" },
	{ "jobs close", cmd_jobs_close, "betaalrun [--home DIR] jobs close ID --uitkomst U [--datum D] [--van D --tot D]"
	  " [--bedrag X] --door OPERATOR --toelichting TEXT\n"
	  "  U is GEEN_GEVOLGEN, AANGEPAST, BEEINDIGD (--datum) or RECHT_VERVALLEN (--van/--tot);\n"
	  "  a BUFFER job: TOEKENNEN [--bedrag X] or AFWIJZEN\n" },
	{ "dossier", cmd_dossier, "betaalrun [--home DIR] dossier NUMBER [--month YYYY-MM]\n"
	  "  the dossier's settlement history and the full calculation for a month (default: this month),\n"
	  "  in Dutch, as the client's specification shows it\n" },
	{ "status", cmd_status, "betaalrun [--home DIR] status\n"
	  "  what an operator checks first: inbox, quarantine, register, deliveries\n" },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

/* The command named by argv[0] (and argv[1] for a group such as `jobs`);
 * *used is how many words named it.  NULL when unknown. */
static const struct command *find_command(int argc, char **argv, int *used)
{
	size_t i, len = strlen(argv[0]);

	for (i = 0; i < N_COMMANDS; i++) {
		const char *name = commands[i].name;
		if (strcmp(name, argv[0]) == 0) {
			*used = 1;
			return &commands[i];
		}
		if (argc > 1 && strncmp(name, argv[0], len) == 0 && name[len] == ' ' &&
		    strcmp(name + len + 1, argv[1]) == 0) {
			*used = 2;
			return &commands[i];
		}
	}
	return NULL;
}

/* `jobs` alone, `jobs --help` or `jobs nonsense`: every subcommand's usage. */
static int group_usage(const char *group, int status)
{
	size_t i, len = strlen(group);
	FILE *f = status ? stderr : stdout;

	for (i = 0; i < N_COMMANDS; i++)
		if (strncmp(commands[i].name, group, len) == 0 && commands[i].name[len] == ' ')
			fputs(commands[i].help, f);
	return status;
}

int main(int argc, char **argv)
{
	const struct command *c;
	const char *home = getenv("BETAALRUN_HOME");
	const char *lvl = getenv("BETAALRUN_LOG");
	int a = 1, used = 0;

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
			fprintf(stderr, "betaalrun: unknown option %s\n\n", argv[a]);
			return usage(stderr, 64);
		}
	}
	if (!home || !home[0])
		home = "./betaalrun-data";
	if (a >= argc) {
		fprintf(stderr, "betaalrun: which command?\n\n");
		return usage(stderr, 64);
	}
	if (!(c = find_command(argc - a, argv + a, &used))) {
		if (strcmp(argv[a], "jobs") == 0) {
			if (wants_help(argc - a, argv + a))
				return group_usage("jobs", 0);
			fprintf(stderr, "betaalrun jobs: %s%s\n\nusage:\n", argc - a > 1 ? "unknown subcommand " :
				"which subcommand?", argc - a > 1 ? argv[a + 1] : "");
			return group_usage("jobs", 64);
		}
		fprintf(stderr, "betaalrun: unknown command '%s'\n\n", argv[a]);
		return usage(stderr, 64);
	}
	if (wants_help(argc - a - used + 1, argv + a + used - 1)) {
		fputs(c->help, stdout);
		return 0;
	}
	return c->fn(c, home, argc - a - used + 1, argv + a + used - 1);
}

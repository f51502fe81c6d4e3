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
#include <unistd.h>
#include <sys/stat.h>

#include "backup.h"
#include "choices.h"
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
#include "tty.h"
#include "version.h"

#include "banned.h"

#define MAX_POS 4   /* positional arguments any command takes, at most */

struct command {
	const char *name;       /* "run", "jobs list" */
	int (*fn)(const struct command *self, const char *home, int argc, char **argv);
	const char *help;       /* usage lines, then what it does */
};

static const char usage_text[] =
	"gebruik: betaalrun [--home MAP] COMMANDO [ARGUMENTEN]\n"
	"\n"
	"  init                       maak de datamap, de opslag en betaalrun.conf\n"
	"  ingest [MAP] [--krimp-toestaan BESTAND]\n"
	"                             lees elk compleet bestand in de inbox (of MAP) in\n"
	"  watch                      lees bestanden in zodra ze binnenkomen; stopt op SIGTERM/SIGINT\n"
	"  status                     inbox, quarantaine, register, leveringen, runs, taken\n"
	"  run --month JJJJ-MM --key K [--aanvullend] [--pass-fd N] | run --month JJJJ-MM --dry-run\n"
	"  approve RUN --key K [--pass-fd N] [--ja] | cancel RUN | release RUN | verify BESTAND | runs\n"
	"  jobs list [--gemeente C] [--soort S] [--overdue] [--csv BESTAND] | jobs show ID\n"
	"  jobs assign ID --door MEDEWERKER --toelichting TEKST\n"
	"  jobs close ID --uitkomst U [--datum D] [--van D --tot D] [--bedrag X] --door MEDEWERKER --toelichting TEKST\n"
	"  dossier NUMMER [--month JJJJ-MM]\n"
	"                             de afrekeningen van een dossier en de berekening van een maand\n"
	"  help [COMMANDO]            uitleg bij een commando en de waarden die de opties aannemen\n"
	"  backup BESTAND [--force]   een consistente kopie van de opslag, terwijl andere commando's doorgaan\n"
	"  version | --version        de versie van het programma en van de gebruikte bibliotheken\n"
	"  specificatie NUMMER --month JJJJ-MM | --run RUN [-o BESTAND|-]\n"
	"                             de specificatie van een dossier zoals de run haar maakte\n"
	"\n"
	"De datamap is --home MAP, anders $BETAALRUN_HOME, anders ./betaalrun-data.\n"
	"Elk commando heeft --help.  Afsluitcodes: 0 goed, 64 verkeerd aangeroepen, 65 geweigerd\n"
	"door een regel, 66 invoer ontbreekt, 70 interne fout, 74 lees-/schrijffout, 75 bezet\n"
	"(probeer later opnieuw), 77 vier-ogen geschonden, 78 configuratie.\n"
	"\n"
	"Omgeving:\n"
	"  BETAALRUN_HOME      de datamap als --home ontbreekt\n"
	"  BETAALRUN_DATADIR   de meegeleverde gegevens (schemas/, rules/); standaard " BR_DATADIR "\n"
	"  BETAALRUN_KEY_PASS  de wachtwoordzin van de sleutel (anders --pass-fd N, of gevraagd\n"
	"                      op de terminal); nooit als argument\n"
	"  BETAALRUN_LOG       debug, info (standaard), warn of error: vanaf welk niveau gelogd wordt\n"
	"  BETAALRUN_NOW       vaste tijd JJJJ-MM-DDTuu:mm:ss (Nederlandse tijd) voor tests en\n"
	"                      reproduceerbare runs; anders de klok\n";

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
	fprintf(stderr, "\n\ngebruik:\n%s", c->help);
	return 64;
}

static int fail(const struct br_error *err)
{
	char b1[BR_ERROR_MSG_MAX + 64], b2[BR_ERROR_FILE_MAX + 8];

	if (err->file[0] && err->line > 0)
		log_event(LOG_ERROR, "mislukt", "error=%s file=%s line=%ld", log_q(b1, sizeof(b1), err->msg),
			  log_q(b2, sizeof(b2), err->file), err->line);
	else if (err->file[0])
		log_event(LOG_ERROR, "mislukt", "error=%s file=%s", log_q(b1, sizeof(b1), err->msg),
			  log_q(b2, sizeof(b2), err->file));
	else
		log_event(LOG_ERROR, "mislukt", "error=%s", log_q(b1, sizeof(b1), err->msg));
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
				return usage_error(c, "%s heeft een waarde nodig", o->name);
			} else if (*o->value) {
				return usage_error(c, "%s is twee keer gegeven", o->name);
			} else {
				*o->value = argv[++i];
			}
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error(c, "onbekende optie %s", argv[i]);
		} else if (*n_pos >= max_pos) {
			return usage_error(c, "onverwacht argument '%s'", argv[i]);
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
		return usage_error(c, "%s %s is geen maand; schrijf JJJJ-MM, bijvoorbeeld 2026-11", opt, s);
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
		return usage_error(c, "%s %s is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-10-31", opt, s);
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
		return usage_error(c, "--pass-fd %s is geen bestandsdescriptor (een getal)", s);
	*out = (int)v;
	return 0;
}

static int parse_id(const struct command *c, const char *s, int64_t *out)
{
	char *end = NULL;
	long long v = s ? strtoll(s, &end, 10) : 0;

	if (!s)
		return usage_error(c, "welke taak? geef het nummer");
	if (!end || *end || end == s || v <= 0)
		return usage_error(c, "'%s' is geen taaknummer", s);
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
	printf("datamap klaar: %s\n", dir);
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
		return usage_error(self, "welk dossier? geef het nummer, bijvoorbeeld PW-0405-000123");
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

static int cmd_specificatie(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *month_arg = NULL, *run = NULL, *path = NULL, *pos[MAX_POS];
	const struct opt opts[] = { { "--month", &month_arg, NULL }, { "--run", &run, NULL }, { "-o", &path, NULL },
				    { NULL, NULL, NULL } };
	struct br_error err;
	struct home h;
	int32_t month = 0;
	int n, rc;

	if ((rc = parse_args(self, argc, argv, opts, pos, 1, &n)) != 0)
		return rc;
	if (n != 1)
		return usage_error(self, "welk dossier? geef het nummer, bijvoorbeeld PW-0405-000123");
	if (!month_arg == !run)
		return usage_error(self, "geef de maand van de run (--month JJJJ-MM) of de run (--run RUN), een van beide");
	if (month_arg && (rc = parse_month(self, "--month", month_arg, &month)) != 0)
		return rc;
	br_error_clear(&err);
	if ((rc = home_init(&h, dir, 1, &err)) == 0)
		rc = dossier_write_specification(&h, pos[0], month, run, path, &err);
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
		return usage_error(self, "welke maand? geef --month JJJJ-MM");
	if (dry && (key || aanvullend))
		return usage_error(self, "een proefrun tekent en boekt niets: laat %s weg", key ? "--key" : "--aanvullend");
	if (!dry && !key)
		return usage_error(self, "het betaalbestand wordt getekend: geef --key BESTAND (of --dry-run)");
	if ((rc = parse_month(self, "--month", month_arg, &month)) != 0 ||
	    (rc = parse_fd(self, fd_arg, &pass_fd)) != 0)
		return rc;
	br_error_clear(&err);
	if ((rc = home_session_open(&s, dir, HOME_LOCKED | (dry ? 0 : HOME_PASS), pass_fd, &err)) < 0)
		goto out;
	if (rules_stale(&s.rules, month))
		log_event(LOG_WARN, "de nieuwste regelset is meer dan zes maanden oud; er zijn waarschijnlijk nieuwe normen", NULL);
	s.env.progress = isatty(2) ? stderr : NULL;   /* issue 13: progress on a terminal only */
	if ((rc = payrun_prepare(&sum, s.st, &s.env, month, aanvullend, dry, key, home_session_pass(&s), &err)) < 0)
		goto out;
	runview_print(stdout, dry ? RUNVIEW_DRY_RUN : RUNVIEW_PREPARED, &sum);
out:
	home_session_close(&s);
	return finish(rc, &err);
}

#define APPROVE_DECLINED 1  /* the person answered no: exit 1, nothing signed */

/* What `approve` is about to sign, shown before the question (issue 12);
 * `shown` keeps it to check after the lock that nothing changed since. */
static int approve_ask(struct home_session *s, const char *run, int ja, struct payrun_summary *shown,
		       char status[16], struct br_error *err)
{
	int rc;

	if ((rc = payrun_describe(shown, status, s->st, run, err)) < 0)
		return rc;
	if (ja || strcmp(status, "PREPARED") != 0)
		return 0; /* payrun_approve says why it will not, or resumes */
	runview_print(stdout, RUNVIEW_TO_APPROVE, shown);
	fflush(stdout);
	return tty_confirm("Goedkeuren? [j/N] ") ? 0 : APPROVE_DECLINED;
}

/* Under the lock: the run is still the one that was shown. */
static int approve_unchanged(struct home_session *s, const char *run, const struct payrun_summary *shown,
			     const char *status, struct br_error *err)
{
	struct payrun_summary now;
	char st[16];
	int rc;

	if ((rc = payrun_describe(&now, st, s->st, run, err)) < 0)
		return rc;
	if (strcmp(st, status) != 0 || strcmp(now.sha256, shown->sha256) != 0 || now.tx != shown->tx ||
	    now.total_cents != shown->total_cents)
		return br_error_set(err, BR_EBUSY, "run %s is gewijzigd sinds hij werd getoond (nu %s); er is niets"
				    " getekend: begin opnieuw", run, st);
	return 0;
}

static int cmd_approve(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *key = NULL, *fd_arg = NULL, *pos[MAX_POS];
	int n, rc, pass_fd, ja = 0;
	const struct opt opts[] = { { "--key", &key, NULL }, { "--pass-fd", &fd_arg, NULL }, { "--ja", NULL, &ja },
				    { NULL, NULL, NULL } };
	struct home_session s;
	struct payrun_summary shown, sum;
	struct br_error err;
	char status[16];

	if ((rc = parse_args(self, argc, argv, opts, pos, 1, &n)) != 0)
		return rc;
	if (n != 1)
		return usage_error(self, "welke run? geef het run-id, bijvoorbeeld BR-202611-0001");
	if (!key)
		return usage_error(self, "goedkeuren is een tweede handtekening: geef --key BESTAND");
	if ((rc = parse_fd(self, fd_arg, &pass_fd)) != 0)
		return rc;
	/* Nobody at a terminal to ask: a script says --ja, so that approving
	 * is always a decision someone wrote down (issue 12). */
	if (!ja && !tty_present())
		return usage_error(self, "er is geen terminal om te vragen of %s goedgekeurd wordt: geef --ja", pos[0]);
	br_error_clear(&err);
	/* show and ask before the passphrase and the lock: nobody waits
	 * for a person who is still reading */
	if ((rc = home_session_open(&s, dir, 0, -1, &err)) == 0 &&
	    (rc = approve_ask(&s, pos[0], ja, &shown, status, &err)) == 0 &&
	    (rc = home_session_passphrase(&s, pass_fd, &err)) == 0 && (rc = home_session_lock(&s, &err)) == 0 &&
	    (rc = approve_unchanged(&s, pos[0], &shown, status, &err)) == 0 &&
	    (rc = payrun_approve(&sum, s.st, &s.env, pos[0], key, home_session_pass(&s), &err)) == 0)
		runview_print(stdout, RUNVIEW_APPROVED, &sum);
	home_session_close(&s);
	if (rc == APPROVE_DECLINED) {
		log_event(LOG_WARN, "niet goedgekeurd: er is niets getekend", "run=%s", shown.msg_id);
		return 1;
	}
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
		return usage_error(self, verify ? "welk bestand? geef het pad van een pain.001-bestand" :
				   "welke run? geef het run-id, bijvoorbeeld BR-202611-0001");
	br_error_clear(&err);
	if ((rc = home_session_open(&s, dir, verify ? 0 : HOME_LOCKED, -1, &err)) < 0)
		goto out;
	if (verify) {
		rc = payrun_verify(s.st, &s.env, pos[0], &err);
	} else if (strcmp(self->name, "cancel") == 0) {
		if ((rc = payrun_cancel(s.st, &s.env, pos[0], &err)) == 0)
			printf("%s geannuleerd\n", pos[0]);
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

	char cbs[5];

	memset(&f, 0, sizeof(f));
	if ((rc = parse_args(self, argc, argv, opts, pos, 0, &n)) != 0)
		return rc;
	br_error_clear(&err);
	/* issue 12: a name is as good as the code; an unknown value is refused
	 * with the valid ones, never answered with an empty list */
	if (f.gemeente && choices_gemeente(cbs, f.gemeente, &err) < 0)
		return usage_error(self, "%s", err.msg);
	if (f.gemeente)
		f.gemeente = cbs;
	if ((rc = home_session_open(&s, dir, 0, -1, &err)) == 0 && f.soort &&
	    choices_check_soort(&s.sig, f.soort, &err) < 0) {
		home_session_close(&s);
		return usage_error(self, "%s", err.msg);
	}
	if (rc == 0) {
		f.today = timestamp_day(s.env.now);
		if (csvout_dialect_parse(&f.csv, s.h.cfg.rapport_csv) < 0)
			rc = br_error_set(&err, BR_EINTERNAL, "onbekende [rapport] csv '%s'", s.h.cfg.rapport_csv);
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
		return usage_error(self, "zeg wie de taak oppakt en waarom: geef --door MEDEWERKER en --toelichting TEKST");
	br_error_clear(&err);
	if ((rc = home_session_open(&s, dir, HOME_LOCKED, -1, &err)) == 0 &&
	    (rc = jobs_assign(s.st, id, door, why, s.env.now, &err)) == 0)
		printf("taak %lld in behandeling bij %s\n", (long long)id, door);
	home_session_close(&s);
	if (rc == BR_EUSAGE)
		return usage_error(self, "%s", err.msg);
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
		return usage_error(self, "--bedrag %s is geen bedrag boven 0 zoals 250.00", bedrag);
	br_error_clear(&err);
	if ((rc = home_session_open(&s, dir, HOME_LOCKED, -1, &err)) == 0) {
		a.rules = &s.rules;
		if ((rc = jobs_close(s.st, &a, s.env.now, &err)) == 0)
			printf("taak %lld afgerond: %s\n", (long long)a.id, a.uitkomst);
	}
	home_session_close(&s);
	/* cli.md: an argument the job refuses is a usage error like any other */
	if (rc == BR_EUSAGE)
		return usage_error(self, "%s", err.msg);
	return finish(rc, &err);
}

static int cmd_backup(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *pos[MAX_POS];
	int n, rc, force = 0;
	const struct opt opts[] = { { "--force", NULL, &force }, { NULL, NULL, NULL } };
	struct backup_result res;
	struct br_error err;
	struct home h;

	if ((rc = parse_args(self, argc, argv, opts, pos, 1, &n)) != 0)
		return rc;
	if (n != 1)
		return usage_error(self, "waarheen? geef het BESTAND waarin de kopie komt");
	br_error_clear(&err);
	umask(077);
	if ((rc = home_init(&h, dir, 0, &err)) == 0 && (rc = backup_store(h.db, pos[0], force, &res, &err)) == 0)
		printf("kopie geschreven: %s (%lld bytes, %lld pagina's, schema %d)\n", pos[0], (long long)res.bytes,
		       (long long)res.pages, res.schema_version);
	return finish(rc, &err);
}

static int cmd_version(const struct command *self, const char *dir, int argc, char **argv)
{
	const char *pos[MAX_POS];
	int n, rc;

	(void)dir;
	if ((rc = parse_args(self, argc, argv, NULL, pos, 0, &n)) != 0)
		return rc;
	return version_print(stdout) == 0 ? 0 : 74;
}

/* ---- dispatch ------------------------------------------------------------ */

static const struct command commands[] = {
	{ "init", cmd_init, "betaalrun [--home MAP] init\n  maak de datamap, de opslag en een betaalrun.conf met uitleg\n" },
	{ "ingest", cmd_ingest, "betaalrun [--home MAP] ingest [MAP] [--krimp-toestaan BESTAND]\n"
	  "  lees elk compleet bestand in de inbox (of MAP) precies een keer in, of zet het met een reden\n"
	  "  in quarantaine; --krimp-toestaan BESTAND aanvaardt een registerstand die meer dossiers\n"
	  "  beeindigt dan register_krimp_max_pct toestaat (BESTAND mag de kopie in quarantaine zijn)\n"
	  "  afsluitcode 0 alles ingelezen, 65 een bestand in quarantaine, 75 opslag bezet\n" },
	{ "watch", cmd_watch, "betaalrun [--home MAP] watch\n"
	  "  lees bestanden in zodra ze in de inbox komen (inotify); stopt netjes op SIGTERM/SIGINT\n" },
	{ "run", cmd_run, "betaalrun [--home MAP] run --month JJJJ-MM --key K [--aanvullend] [--pass-fd N]\n"
	  "betaalrun [--home MAP] run --month JJJJ-MM --dry-run\n"
	  "  bereid de betaalrun van de maand voor: reken elk dossier af, schrijf het SEPA-bestand en\n"
	  "  teken het met K (PKCS#12 of PEM; wachtwoordzin uit $BETAALRUN_KEY_PASS of descriptor N,\n"
	  "  anders gevraagd op de terminal); de eerste regel is het run-id;\n"
	  "  --aanvullend betaalt alleen wat na de vrijgave van de maand nog verschuldigd is;\n"
	  "  --dry-run schrijft het rapport in out/JJJJ-MM/dry-run/ en boekt niets\n" },
	{ "approve", cmd_approve, "betaalrun [--home MAP] approve RUN --key K [--pass-fd N] [--ja]\n"
	  "  tweede handtekening (vier ogen: de goedkeurder is een ander dan de voorbereider, anders\n"
	  "  afsluitcode 77; zijn certificaat moet tot vertrouwen herleiden, anders 65); opnieuw\n"
	  "  starten na een onderbreking maakt de goedkeuring af.  Toont de run (aantal, totaal,\n"
	  "  uitvoerdatum, hash van het bestand, rapport) en vraagt \"Goedkeuren? [j/N]\" (nee:\n"
	  "  afsluitcode 1, niets getekend); --ja keurt goed zonder te vragen en is verplicht als\n"
	  "  stdin geen terminal is\n" },
	{ "cancel", cmd_one_arg, "betaalrun [--home MAP] cancel RUN\n  annuleer een voorbereide of goedgekeurde run\n" },
	{ "release", cmd_one_arg, "betaalrun [--home MAP] release RUN\n"
	  "  controleer beide handtekeningen en het bestand, kopieer het naar outbox/, boek de betalingen\n" },
	{ "verify", cmd_one_arg, "betaalrun [--home MAP] verify BESTAND\n"
	  "  controleer BESTAND en BESTAND.p7s: handtekeningen, vertrouwensketen, vier ogen, de SHA-256\n"
	  "  in het grootboek\n" },
	{ "runs", cmd_runs, "betaalrun [--home MAP] runs\n  de runs met status en totalen\n" },
	{ "jobs list", cmd_jobs_list, "betaalrun [--home MAP] jobs list [--gemeente C] [--soort S] [--overdue] [--csv BESTAND|-]\n"
	  "  de open taken voor heronderzoek, de dringendste eerst; --overdue alleen die over hun\n"
	  "  termijn zijn; --csv BESTAND schrijft ze als CSV naar BESTAND (0600) in plaats van de tabel,\n"
	  "  --csv - naar standaarduitvoer ([rapport] csv: excel-nl of rfc4180)\n" },
	{ "jobs show", cmd_jobs_show, "betaalrun [--home MAP] jobs show ID\n  een taak met haar signalen en logboek\n" },
	{ "jobs assign", cmd_jobs_assign, "betaalrun [--home MAP] jobs assign ID --door MEDEWERKER --toelichting TEKST\n"
	  "  neem een open taak in behandeling (OPEN -> IN_BEHANDELING), vastgelegd in het logboek\n" },
	{ "jobs close", cmd_jobs_close, "betaalrun [--home MAP] jobs close ID --uitkomst U [--datum D] [--van D --tot D]"
	  " [--bedrag X] --door MEDEWERKER --toelichting TEKST\n"
	  "  rond een taak af: BEEINDIGD met --datum, RECHT_VERVALLEN met --van en --tot; een\n"
	  "  BUFFER-taak: TOEKENNEN [--bedrag X] of AFWIJZEN\n" },
	{ "dossier", cmd_dossier, "betaalrun [--home MAP] dossier NUMMER [--month JJJJ-MM]\n"
	  "  de afrekeningen van het dossier en de volledige berekening van een maand (standaard deze\n"
	  "  maand), zoals de specificatie van de klant die toont\n" },
	{ "status", cmd_status, "betaalrun [--home MAP] status\n"
	  "  wat een medewerker eerst bekijkt: inbox, quarantaine, register, leveringen, runs, taken\n" },
	{ "backup", cmd_backup, "betaalrun [--home MAP] backup BESTAND [--force]\n"
	  "  kopieer de opslag (betaalrun.db) naar BESTAND terwijl andere commando's doorgaan (SQLite\n"
	  "  online backup), controleer de kopie (integrity_check), schrijf haar 0600 onder een tijdelijke\n"
	  "  naam en hernoem haar; een bestaand BESTAND wordt geweigerd (afsluitcode 65) tenzij --force;\n"
	  "  terugzetten: kopieer BESTAND naar MAP/betaalrun.db (zie docs/backup.md)\n" },
	{ "version", cmd_version, "betaalrun version | betaalrun --version\n"
	  "  de versie van het programma en van libxml2, OpenSSL, SQLite en zlib die het gebruikt\n" },
	{ "specificatie", cmd_specificatie, "betaalrun [--home MAP] specificatie NUMMER --month JJJJ-MM [-o BESTAND|-]\n"
	  "betaalrun [--home MAP] specificatie NUMMER --run RUN [-o BESTAND|-]\n"
	  "  de specificatie van het dossier zoals de gewone run van de maand (of run RUN) haar maakte,\n"
	  "  byte voor byte de tekst in specificaties-GGGG.txt.gz van de runmap; naar BESTAND (0600)\n"
	  "  of standaarduitvoer (-)\n" },
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

/*
 * `CMD --help` and `help CMD`: the command's usage, then the values its
 * options accept (issue 12).  The job kinds are the signal table's: the
 * data directory's own ([regels] map) when it has one, else the shipped
 * table; when neither loads, the help says where they are written down.
 */
static int command_help(const struct command *c, const char *dir)
{
	char list[CHOICES_LIST_MAX];

	fputs(c->help, stdout);
	if (strcmp(c->name, "jobs list") == 0) {
		struct home h;
		struct signaltable t;
		struct br_error e;

		br_error_clear(&e);
		memset(&t, 0, sizeof(t));
		if ((home_init(&h, dir, 1, &e) == 0 || (br_error_clear(&e), home_init(&h, dir, 0, &e) == 0)) &&
		    home_load_signaltable(&t, &h, &e) == 0)
			printf("  --soort S      een soort taak: %s\n", choices_soorten(list, &t));
		else
			printf("  --soort S      een soort taak uit signaaltabel.xml (%s)\n", e.msg);
		signaltable_release(&t);
		printf("  --gemeente C   CBS-code of naam: %s\n", choices_gemeenten(list));
	} else if (strcmp(c->name, "jobs close") == 0) {
		printf("  --uitkomst U   %s\n", choices_uitkomsten(list));
	}
	return 0;
}

/* `help`, `help CMD`, `help jobs`, `help jobs list`. */
static int help(int argc, char **argv, const char *dir)
{
	const struct command *c;
	int used = 0;

	if (argc < 2)
		return usage(stdout, 0);
	if ((c = find_command(argc - 1, argv + 1, &used)) && used == argc - 1)
		return command_help(c, dir);
	if (argc == 2 && strcmp(argv[1], "jobs") == 0)
		return group_usage("jobs", 0);
	fprintf(stderr, "betaalrun help: geen commando '%s'\n\n", argv[1]);
	return usage(stderr, 64);
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
		} else if (strcmp(argv[a], "--version") == 0) {
			argv[a] = "version";
			break;
		} else {
			fprintf(stderr, "betaalrun: onbekende optie %s\n\n", argv[a]);
			return usage(stderr, 64);
		}
	}
	if (!home || !home[0])
		home = "./betaalrun-data";
	if (a >= argc) {
		fprintf(stderr, "betaalrun: welk commando?\n\n");
		return usage(stderr, 64);
	}
	if (strcmp(argv[a], "help") == 0)
		return help(argc - a, argv + a, home);
	if (!(c = find_command(argc - a, argv + a, &used))) {
		if (strcmp(argv[a], "jobs") == 0) {
			if (wants_help(argc - a, argv + a))
				return group_usage("jobs", 0);
			fprintf(stderr, "betaalrun jobs: %s%s\n\ngebruik:\n", argc - a > 1 ? "onbekend subcommando " :
				"welk subcommando?", argc - a > 1 ? argv[a + 1] : "");
			return group_usage("jobs", 64);
		}
		fprintf(stderr, "betaalrun: onbekend commando '%s'\n\n", argv[a]);
		return usage(stderr, 64);
	}
	home_set_command(c->name);
	if (wants_help(argc - a - used + 1, argv + a + used - 1))
		return command_help(c, home);
	return c->fn(c, home, argc - a - used + 1, argv + a + used - 1);
}

/* ingest.c — the ingest and watch commands.  Contract: ingest.h. */
#include "ingest.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "bankfeedback.h"
#include "date.h"
#include "fsutil.h"
#include "log.h"
#include "jobs.h"
#include "store.h"

#include "banned.h"

int ingest_allow_shrink(char sha[SHA256_HEX_LEN + 1], const struct home *h, const char *inbox,
			const char *file, struct br_error *err)
{
	char real_in[PATH_MAX], real_file[PATH_MAX], dst[FSUTIL_PATH_MAX], reason[FSUTIL_PATH_MAX + 8];
	char *slash;
	int rc;

	if ((rc = fsutil_digest_file(sha, NULL, file, (uint64_t)h->cfg.max_bestand_mb << 20, NULL, err)) < 0)
		return rc;
	if (!realpath(inbox, real_in) || !realpath(file, real_file))
		return br_error_set(err, BR_ENOINPUT, "%s kan niet worden gevonden: %s", file, strerror(errno));
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

/* signals.md, payments.md: what newly ingested files can cause. */
static int after_intake(struct store *st, const struct home *h, const struct signaltable *sig,
			struct br_error *err)
{
	struct jobs_match_result mr;
	long opened = 0, missing = 0;
	int64_t now;
	int rc;

	if ((rc = timestamp_now(&now, err)) < 0 || (rc = jobs_match_signals(&mr, st, sig, now, err)) < 0 ||
	    (rc = jobs_open_register_problems(&opened, st, sig, now, err)) < 0 ||
	    (rc = bankfeedback_check_debits(&missing, st, sig, h->cfg.afschrijving_dagen, now, err)) < 0)
		return rc;
	if (missing)
		log_event(LOG_WARN, "bank", "batches_without_debit=%ld (BANK-taken)", missing);
	if (mr.matched || mr.unmatched || opened)
		log_event(LOG_INFO, "heronderzoek", "signals_matched=%ld new_jobs=%ld holds=%ld"
			  " signals_without_dossier=%ld register_jobs=%ld", mr.matched, mr.new_jobs, mr.holds,
			  mr.unmatched, opened);
	return 0;
}

int ingest_once(struct intake_summary *sum, const struct home *h, const struct signaltable *sig,
		const char *inbox, const char *krimp_sha, struct br_error *err)
{
	struct intake_opts o;
	struct store *st = NULL;
	char who[STORE_HOLDER_MAX];
	int lock, rc;

	if ((lock = store_lock(h->lock, HOME_LOCK_WAIT_MS, home_lock_holder(who), err)) < 0)
		return lock;
	if ((rc = store_open(&st, h->db, 0, err)) < 0)
		goto out;
	memset(&o, 0, sizeof(o));
	o.home = h->dir;
	o.inbox = inbox ? inbox : h->inbox;
	o.krimp_sha256 = krimp_sha;
	o.cfg = &h->cfg;
	o.data_dir = h->data;
	o.signals = sig;
	o.progress = isatty(2);
	if ((rc = intake_run(sum, st, &o, err)) < 0)
		goto out;
	rc = after_intake(st, h, sig, err);
out:
	store_close(st);
	store_unlock(lock);
	return rc;
}

void ingest_print_summary(FILE *out, const struct intake_summary *s)
{
	fprintf(out, "ingelezen %d, dubbel %d, quarantaine %d, records %ld, onbekend BSN %ld%s\n",
		s->ingested, s->duplicates, s->quarantined, s->records, s->unknown_bsn,
		s->recovered ? " (onderbroken archivering afgemaakt)" : "");
}

static volatile sig_atomic_t stop_requested;

static void on_stop(int signo)
{
	(void)signo;
	stop_requested = 1;
}

/* One pass for `watch`; *pending stays 1 when the store was busy. */
static int watch_pass(int *pending, const struct home *h, const struct signaltable *sig, struct br_error *err)
{
	struct intake_summary sum;
	int rc;

	*pending = 0;
	br_error_clear(err);
	rc = ingest_once(&sum, h, sig, NULL, NULL, err);
	if (rc == BR_EBUSY) {
		*pending = 1; /* someone else is ingesting; try again shortly */
		return 0;
	}
	if (rc < 0)
		return rc;
	if (sum.ingested || sum.duplicates || sum.quarantined) {
		ingest_print_summary(stdout, &sum);
		fflush(stdout);
	}
	return 0;
}

int ingest_watch(const struct home *h, const struct signaltable *sig, struct br_error *err)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct sigaction sa;
	int fd, rc = 0, pending = 1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop; /* no SA_RESTART: poll() returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if ((fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) < 0 ||
	    inotify_add_watch(fd, h->inbox, IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
		rc = br_error_set(err, BR_EIO, "%s kan niet worden bewaakt: %s", h->inbox, strerror(errno));
		goto out;
	}
	log_event(LOG_INFO, "de inbox wordt bewaakt", "inbox=%s", h->inbox);
	while (!stop_requested) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (pending && (rc = watch_pass(&pending, h, sig, err)) < 0)
			goto out;
		if (poll(&p, 1, pending ? 1000 : 60000) < 0) {
			if (errno == EINTR)
				continue;
			rc = br_error_set(err, BR_EIO, "poll mislukt: %s", strerror(errno));
			goto out;
		}
		while (read(fd, buf, sizeof(buf)) > 0)
			pending = 1;
		/* a periodic pass also catches files that arrived while we worked */
		if (!(p.revents & POLLIN))
			pending = 1;
	}
	log_event(LOG_INFO, "gestopt", "reason=signal");
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

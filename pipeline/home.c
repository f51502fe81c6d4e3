/* home.c — the data directory and a command's session.  Contract: home.h. */
#include "home.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cms_sign.h"
#include "date.h"
#include "rules_xml.h"
#include "tty.h"

#include "banned.h"

static const char *home_cmd = "betaalrun";

void home_set_command(const char *name)
{
	home_cmd = name;
}

char *home_lock_holder(char out[STORE_HOLDER_MAX])
{
	char ts[TIMESTAMP_UTC_FMT_MAX] = "?";
	struct br_error e;
	int64_t now;

	br_error_clear(&e);
	if (timestamp_now(&now, &e) == 0)
		timestamp_format_utc(ts, now);
	snprintf(out, STORE_HOLDER_MAX, "betaalrun %s (pid %ld) sinds %s", home_cmd, (long)getpid(), ts);
	return out;
}

/* The home as an absolute path: a run records its folder in the store
 * (run.map), and later commands may run from another directory. */
static int home_absolute(char *out, size_t cap, const char *dir, struct br_error *err)
{
	char cwd[FSUTIL_PATH_MAX];

	if (dir[0] == '/') {
		if (strlen(dir) >= cap)
			return br_error_set(err, BR_ECONFIG, "het pad van de datamap is te lang: %.80s...", dir);
		memcpy(out, dir, strlen(dir) + 1);
		return 0;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return br_error_set(err, BR_EIO, "de huidige map is niet te bepalen: %s", strerror(errno));
	return fsutil_join(out, cap, cwd, dir, err);
}

int home_init(struct home *h, const char *dir_given, int need_conf, struct br_error *err)
{
	const char *data = getenv("BETAALRUN_DATADIR");
	const char *dir;
	int rc;

	memset(h, 0, sizeof(*h));
	if ((rc = home_absolute(h->dir, sizeof(h->dir), dir_given, err)) < 0)
		return rc;
	dir = h->dir;
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
		return br_error_set(err, BR_ENOINPUT, "geen datamap %s: voer eerst `betaalrun init` uit (of geef --home)",
				    h->dir);
	return config_load(&h->cfg, h->conf, err);
}

int home_create(const char *dir, struct br_error *err)
{
	static const char *const subdirs[] = { "inbox", "quarantine", "archive", "out", "outbox" };
	struct home h;
	struct store *st = NULL;
	char path[FSUTIL_PATH_MAX];
	size_t i;
	int rc;

	umask(077);
	if ((rc = home_init(&h, dir, 0, err)) < 0 || (rc = fsutil_mkdirs(dir, 0700, err)) < 0)
		return rc;
	chmod(dir, 0700);
	for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++)
		if ((rc = fsutil_join(path, sizeof(path), dir, subdirs[i], err)) < 0 ||
		    (rc = fsutil_mkdirs(path, 0700, err)) < 0)
			return rc;
	if (!fsutil_exists(h.conf)) {
		const char *t = config_template();
		if ((rc = fsutil_write_atomic(h.conf, t, strlen(t), 0600, err)) < 0)
			return rc;
	}
	if ((rc = config_load(&h.cfg, h.conf, err)) < 0 || (rc = store_open(&st, h.db, 1, err)) < 0)
		return rc;
	store_close(st);
	return 0;
}

/*
 * The path of shipped file `name` (a rules file or its schema): under
 * [regels] map when `own` and the map is set, else under the data
 * directory's `sub`.  A missing file is BR_ECONFIG naming what was tried.
 */
static int data_path(char out[FSUTIL_PATH_MAX], const struct home *h, int own, const char *sub,
		     const char *name, struct br_error *err)
{
	int n;

	if (own && h->cfg.regels_map[0])
		n = snprintf(out, FSUTIL_PATH_MAX, "%s/%s", h->cfg.regels_map, name);
	else
		n = snprintf(out, FSUTIL_PATH_MAX, "%s/%s/%s", h->data, sub, name);
	if (n < 0 || n >= FSUTIL_PATH_MAX)
		return br_error_set(err, BR_ECONFIG, "het pad van %s is langer dan %d bytes", name,
				    FSUTIL_PATH_MAX - 1);
	if (access(out, R_OK) != 0)
		return br_error_set(err, BR_ECONFIG, "%s ontbreekt of is onleesbaar (%s); de meegeleverde gegevens"
				    " worden gelezen uit %s (stel BETAALRUN_DATADIR%s in)", name, out, h->data,
				    own ? " of [regels] map" : "");
	return 0;
}

int home_load_rules(struct rules *r, const struct home *h, struct br_error *err)
{
	char path[FSUTIL_PATH_MAX], xsd[FSUTIL_PATH_MAX];
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = data_path(path, h, 1, "rules", "regels.xml", err)) < 0 ||
	    (rc = data_path(xsd, h, 0, "schemas", "regels.xsd", err)) < 0)
		return rc;
	return rules_load(r, path, xsd, err);
}

int home_load_rules_bytes(struct rules *r, const struct home *h, const void *bytes, size_t len,
			  const char *label, struct br_error *err)
{
	char xsd[FSUTIL_PATH_MAX];
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = data_path(xsd, h, 0, "schemas", "regels.xsd", err)) < 0)
		return rc;
	return rules_load_memory(r, bytes, len, label, xsd, err);
}

int home_load_signaltable(struct signaltable *t, const struct home *h, struct br_error *err)
{
	char path[FSUTIL_PATH_MAX], xsd[FSUTIL_PATH_MAX];
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = data_path(path, h, 1, "rules", "signaaltabel.xml", err)) < 0 ||
	    (rc = data_path(xsd, h, 0, "schemas", "signaaltabel.xsd", err)) < 0)
		return rc;
	return signaltable_load(t, path, xsd, err);
}

int home_session_open(struct home_session *s, const char *dir, int flags, int pass_fd,
		      struct br_error *err)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->lock = -1;
	umask(077);
	if ((rc = home_init(&s->h, dir, 1, err)) < 0 || (rc = home_load_rules(&s->rules, &s->h, err)) < 0 ||
	    (rc = home_load_signaltable(&s->sig, &s->h, err)) < 0)
		return rc;
	if (s->h.cfg.vertrouwen[0] == '/')
		snprintf(s->trust, sizeof(s->trust), "%s", s->h.cfg.vertrouwen);
	else if ((rc = fsutil_join(s->trust, sizeof(s->trust), s->h.dir, s->h.cfg.vertrouwen, err)) < 0)
		return rc;
	if ((flags & HOME_PASS) && (rc = home_session_passphrase(s, pass_fd, err)) < 0)
		return rc;
	if ((flags & HOME_LOCKED) && (rc = home_session_lock(s, err)) < 0)
		return rc;
	if ((rc = store_open(&s->st, s->h.db, 0, err)) < 0)
		return rc;
	s->env.home = s->h.dir;
	s->env.cfg = &s->h.cfg;
	s->env.rules = &s->rules;
	s->env.trust_pem = s->trust;
	s->env.signals = &s->sig;
	return timestamp_now(&s->env.now, err);
}

int home_session_passphrase(struct home_session *s, int pass_fd, struct br_error *err)
{
	int rc;

	/* No core dump may hold the passphrase or the key (issue 10): the
	 * process is made non-dumpable before either is in memory, for the
	 * rest of the command (cms_no_core_dumps in cms_sign.h). */
	if ((rc = cms_no_core_dumps(err)) < 0 ||
	    (rc = cms_read_passphrase(s->pass, sizeof(s->pass), pass_fd, err)) < 0)
		return rc;
	s->pass_given = pass_fd >= 0 || getenv("BETAALRUN_KEY_PASS") != NULL;
	/* issue 12: a person at a terminal who gave none is asked, echo off */
	if (!s->pass_given && tty_present()) {
		if ((rc = tty_read_secret(s->pass, sizeof(s->pass), "Wachtwoordzin van de sleutel: ", err)) < 0)
			return rc;
		s->pass_given = 1;
	}
	return 0;
}

int home_session_lock(struct home_session *s, struct br_error *err)
{
	if (s->lock >= 0)
		return 0;
	char who[STORE_HOLDER_MAX];

	s->lock = store_lock(s->h.lock, HOME_LOCK_WAIT_MS, home_lock_holder(who), err);
	return s->lock < 0 ? s->lock : 0;
}

const char *home_session_pass(const struct home_session *s)
{
	return s->pass_given ? s->pass : NULL;
}

void home_session_close(struct home_session *s)
{
	volatile char *p = s->pass;
	size_t i;

	for (i = 0; i < sizeof(s->pass); i++)
		p[i] = 0; /* the passphrase does not outlive the command */
	store_close(s->st);
	s->st = NULL;
	store_unlock(s->lock);
	s->lock = -1;
	rules_release(&s->rules);
	signaltable_release(&s->sig);
}

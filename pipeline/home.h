/*
 * home.h — the data directory of one installation and what every command
 * opens from it (cli.md "The data directory"): the paths (betaalrun.conf,
 * betaalrun.db, betaalrun.lock, inbox/), the configuration, the shipped
 * data (schemas/, rules/ under $BETAALRUN_DATADIR, else the build's
 * BR_DATADIR), and for the run commands a session: the rules, the signal
 * table, the store (locked or not) and the passphrase.
 *
 * Ownership: a struct home holds no resources.  A home_session owns its
 * rules, signal table, store and lock; home_session_close releases them and
 * wipes the passphrase, also after a failed open.
 */
#ifndef BR_HOME_H
#define BR_HOME_H

#include "config.h"
#include "error.h"
#include "fsutil.h"
#include "payrun.h"
#include "rules.h"
#include "signaltable.h"
#include "store.h"

#define HOME_LOCK_WAIT_MS 5000  /* how long a command waits for another's lock */
#define HOME_PASS_MAX 1024

struct home {
	char dir[FSUTIL_PATH_MAX];
	char conf[FSUTIL_PATH_MAX];
	char db[FSUTIL_PATH_MAX];
	char lock[FSUTIL_PATH_MAX];
	char inbox[FSUTIL_PATH_MAX];
	char data[FSUTIL_PATH_MAX];  /* shipped data: schemas/, rules/ */
	struct config cfg;
};

/* The command this process runs ("run", "jobs close"), for the lock
 * file's holder line; main.c sets it once.  The string is borrowed for
 * the life of the process. */
void home_set_command(const char *name);
/* "betaalrun run (pid 1234) sinds 2026-12-07T10:00:00Z" (UTC, from
 * timestamp_now so $BETAALRUN_NOW fixes it): what store_lock writes. */
char *home_lock_holder(char out[STORE_HOLDER_MAX]);

/* Fill the paths of `dir`, made absolute (a run records its folder in the
 * store, and later commands may run elsewhere); with `need_conf`, require the directory and
 * load its betaalrun.conf (BR_ENOINPUT naming `betaalrun init` when the
 * directory is missing, BR_ECONFIG for a bad configuration). */
int home_init(struct home *h, const char *dir, int need_conf, struct br_error *err);

/* `init`: create the directory and its folders (0700), a commented
 * betaalrun.conf unless one exists, and the store.  Idempotent. */
int home_create(const char *dir, struct br_error *err);

/* The rules file and the signal table, from [regels] map or the shipped
 * data; a missing file names the path tried and $BETAALRUN_DATADIR. */
int home_load_rules(struct rules *r, const struct home *h, struct br_error *err);
/* The same from a rules file's bytes (the store's copy of an old run's
 * rules), validated against the shipped schema; `label` names them. */
int home_load_rules_bytes(struct rules *r, const struct home *h, const void *bytes, size_t len,
			  const char *label, struct br_error *err);
int home_load_signaltable(struct signaltable *t, const struct home *h, struct br_error *err);

/* What the run and jobs commands need, opened in one go. */
struct home_session {
	struct home h;
	struct rules rules;
	struct signaltable sig;
	struct store *st;
	int lock;                    /* store_lock descriptor, -1 when not locked */
	char trust[FSUTIL_PATH_MAX]; /* [ondertekening] vertrouwen, resolved */
	char pass[HOME_PASS_MAX];    /* the key's passphrase; wiped on close */
	int pass_given;              /* a passphrase was given (fd, environment, terminal) */
	struct payrun_env env;
};

enum {
	HOME_LOCKED = 1,   /* take the store's lock (a writing command) */
	HOME_PASS = 2      /* read the key's passphrase (home_session_passphrase) */
};

/* Open a session on `dir` with HOME_* `flags`; `pass_fd` is --pass-fd or
 * -1.  The process is made non-dumpable before a passphrase is read.
 * Always call home_session_close, also when this fails. */
int home_session_open(struct home_session *s, const char *dir, int flags, int pass_fd,
		      struct br_error *err);
void home_session_close(struct home_session *s);

/*
 * The key's passphrase: from --pass-fd `pass_fd` (>= 0) or
 * $BETAALRUN_KEY_PASS (cms_read_passphrase); when neither is given and
 * stdin is a terminal, asked there with echo off (tty.h).  Makes the
 * process non-dumpable first.  Done by home_session_open with HOME_PASS.
 */
int home_session_passphrase(struct home_session *s, int pass_fd, struct br_error *err);

/* Take the store's lock now (HOME_LOCKED does it at open); BR_EBUSY naming
 * the holder after HOME_LOCK_WAIT_MS.  A no-op when held already. */
int home_session_lock(struct home_session *s, struct br_error *err);

/* The passphrase for cms_sign: NULL when none was given at all, so that a
 * key that needs one says "no passphrase given", not "wrong passphrase". */
const char *home_session_pass(const struct home_session *s);

#endif

/*
 * intake.c — see intake.h.
 *
 * The inbox is a trust boundary (formats.md §5).  Every entry is looked at
 * with lstat(2) through the open inbox directory, never followed:
 *  - anything but a regular file (a link, FIFO, device, socket, directory)
 *    is renamed to quarantine/ as what it is, with a reason, unopened;
 *  - a regular file whose name cannot be stored or shown as it is (longer
 *    than INBOX_NAME_MAX, line breaks, control characters, not UTF-8) goes
 *    there unread, under a safe name (fsutil_safe_name), the name escaped
 *    in its reason;
 *  - any other regular file is opened once (O_NOFOLLOW | O_NONBLOCK) and
 *    either read in place under a read lease, or copied, while it is
 *    hashed, into a private file in archive/ (see "reading in place"
 *    below); what was hashed is what is sniffed, parsed and archived.  One
 *    whose size or mtime changed while it was read is left for the next
 *    pass; it leaves the inbox (archived, a duplicate, quarantined) only
 *    while its name still holds the bytes that were read.
 *
 * Reading in place (issue 13: the private copy of a national register was
 * 388 MB written each month, about 0.9 s of CPU): a large file whose
 * descriptor gets a read lease (fcntl F_SETLEASE F_RDLCK) is hashed,
 * sniffed, parsed and archived through that descriptor (as
 * /proc/self/fd/N) without a copy.  The kernel grants the lease only while
 * nobody has the file open for writing, and breaks it when anybody opens
 * or truncates it for writing later; so a lease still held once the parse
 * and the archive copy are done proves that the bytes did not change since
 * before they were hashed.  A broken lease is a file that changed while it
 * was read: rolled back and left for the next pass.  Without a lease (the
 * file open for writing, another owner without CAP_LEASE, a file system
 * without leases, no /proc) the private copy is made as before.
 * Reason files are "key: value" records whose values are escaped
 * (log_record_format): no name or message can add a line to them.
 */
/* fcntl(2) F_SETLEASE and F_GETLEASE are Linux's: reading in place */
#define _GNU_SOURCE
#include "intake.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bankfeedback.h"
#include "bankpost.h"
#include "bsn.h"
#include "camt.h"
#include "date.h"
#include "fsutil.h"
#include "iban.h"
#include "levering.h"
#include "log.h"
#include "money.h"
#include "pain002.h"
#include "polis.h"
#include "register.h"
#include "ring.h"
#include "signals_xml.h"
#include "snapshot.h"
#include "xmlin.h"

#include "mem.h"
#include "progress.h"
#include "banned.h"

#define INBOX_MAX_FILES 100000
/* Reading in place: only files from LEASE_MIN_BYTES, where the copy costs,
 * and at most LEASE_MAX of them a pass, each holding a descriptor until it
 * is done (the rest are copied). */
#define LEASE_MIN_BYTES (1u << 20)
#define LEASE_MAX 16

/*
 * The longest name a delivery is taken under (formats.md §5: a longer one
 * is quarantined under a safe name).  Every name derived from it must fit
 * NAME_MAX (255): the archive's "<sha12>-NAME.gz" behind its hidden
 * ".….pending" and that file's ".….tmp-PID" (NAME + 38 bytes), quarantine's
 * "<stamp>-<n>-NAME.reason" behind its ".….tmp-PID" (NAME + 39 bytes).
 */
#define INBOX_NAME_MAX 200

/*
 * One entry of the inbox.  Only a regular file is ever opened, through
 * O_NOFOLLOW, and what is hashed is what is sniffed, parsed and archived
 * (formats.md §5 "the inbox is a trust boundary"): the file itself under a
 * read lease (`fd`), or a private copy (`copy`, in archive/) made while it
 * was hashed; `src` names the one that is read.
 */
struct entry {
	char *name;                   /* as listed, owned: any bytes but '/' and NUL */
	size_t idx;                   /* place in the listing: names the copy */
	struct stat st;               /* lstat(2) when listed */
	struct stat read_st;          /* fstat(2) after its bytes were read */
	char *copy;                   /* the private copy of its bytes, owned, or NULL */
	int fd;                       /* read in place: the leased descriptor, or -1 */
	char *src;                    /* what is read: `copy`, or /proc/self/fd/<fd>; owned */
	char sha[SHA256_HEX_LEN + 1];
	uint64_t size;
	struct levering_header hdr;
	int krimp_refused;            /* refused by the shrink guard only */
};

struct intake {
	struct store *st;
	const struct intake_opts *o;
	struct intake_summary *sum;
	int inbox_fd;                 /* the inbox, open: every name is looked up in it */
	int in_place;                 /* /proc/self/fd is there: files may be read in place */
	int n_leased;                 /* files read in place this pass (at most LEASE_MAX) */
	char qdir[FSUTIL_PATH_MAX];   /* home/quarantine */
	char work[FSUTIL_PATH_MAX];   /* home/archive: where the private copies go */
	struct xmlin_limits lim;
	struct xmlin_schema *schema[LEVERING_N_INPUTS]; /* by levering_schema index, loaded when first needed */
	char now[TIMESTAMP_FMT_MAX];
	int64_t now_ts;
	int32_t today;
};

/* Per-file state while its transaction is open. */
struct ingest {
	struct intake *in;
	struct entry *e;
	sqlite3_int64 levering;
	struct snapshot *snap;
	sqlite3_stmt *ins, *find, *gegeven, *link, *late;
	sqlite3_int64 after_id;      /* income, signals: the file's rows have larger ids */
	struct bankpost_sorter *sorter;  /* a statement: which entries are ours */
	long entries;                /* a statement: every entry, ours or not */
	int camt_ours;               /* the statement being read is the debtor account's */
	int camt_accounts_ours;      /* statements of the debtor account in the file */
	char camt_other[16];         /* another account seen, masked */
	long records, unknown;       /* stored (the store thread's while it runs) */
	long parsed;                 /* handed over (the parser's) */
	struct xmlin *x;             /* the file being read, for progress */
	struct progress bar;         /* progress.h: silent unless on a terminal */
	struct ring ring;            /* records to the store thread (ring.h) */
	int (*store)(struct ingest *g, const void *rec, struct br_error *err); /* per kind */
};

/* ---- small helpers ------------------------------------------------------ */

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* formats.md §4: only complete files are picked up. */
static int name_is_complete(const char *name)
{
	return name[0] != '.' && !ends_with(name, ".part") && !ends_with(name, ".tmp");
}

/* The bytes of the file read so far, against its size (progress.h). */
static void progress(struct ingest *g)
{
	if (g->x)
		progress_update(&g->bar, xmlin_bytes_read(g->x));
}

/* ---- schemas ------------------------------------------------------------ */

static int schema_for(struct xmlin_schema **out, struct intake *in, const struct levering_header *h,
		      struct br_error *err)
{
	char path[FSUTIL_PATH_MAX];
	const char *schema;
	int i, rc;

	if (!(schema = levering_schema(h->kind, h->iso_version, &i)))
		return br_error_set(err, BR_EINTERNAL, "geen schema voor leveringsoort %d", (int)h->kind);
	if (!in->schema[i]) {
		if ((rc = snprintf(path, sizeof(path), "%s/schemas/%s", in->o->data_dir,
				   schema)) < 0 || (size_t)rc >= sizeof(path))
			return br_error_set(err, BR_ECONFIG, "het pad van de meegeleverde gegevens is te lang");
		if (access(path, R_OK) != 0)
			return br_error_set(err, BR_ECONFIG, "%s ontbreekt of is onleesbaar (%s); de meegeleverde gegevens"
					    " worden gelezen uit %s (stel BETAALRUN_DATADIR in)", schema, path,
					    in->o->data_dir);
		if ((rc = xmlin_schema_load(&in->schema[i], path, err)) < 0)
			return rc;
	}
	*out = in->schema[i];
	return 0;
}

/* ---- sniffing ---------------------------------------------------------- */

static int sniff(struct intake *in, struct entry *e, struct br_error *err)
{
	return levering_sniff(&e->hdr, e->src, e->name, &in->lim, err);
}

/* ---- the inbox: one entry ------------------------------------------------ */

/* What an entry is, in an operator's words. */
static const char *node_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "gewoon bestand";
	if (S_ISLNK(mode))
		return "symbolische link";
	if (S_ISDIR(mode))
		return "map";
	if (S_ISFIFO(mode))
		return "named pipe (FIFO)";
	if (S_ISCHR(mode))
		return "tekenapparaat";
	if (S_ISBLK(mode))
		return "blokapparaat";
	if (S_ISSOCK(mode))
		return "socket";
	return "speciaal bestand van onbekende soort";
}

/* formats.md §5: a name is kept as long as it can be stored and shown as
 * it is; any other is quarantined under a safe name. */
static int name_is_storable(const char *name)
{
	return strlen(name) <= INBOX_NAME_MAX && log_is_plain(name);
}

/* The same file, unchanged since `was`: same inode, size and mtime. */
static int same_file(const struct stat *was, const struct stat *now)
{
	return was->st_dev == now->st_dev && was->st_ino == now->st_ino &&
	       (was->st_mode & S_IFMT) == (now->st_mode & S_IFMT) && was->st_size == now->st_size &&
	       was->st_mtim.tv_sec == now->st_mtim.tv_sec && was->st_mtim.tv_nsec == now->st_mtim.tv_nsec;
}

/*
 * Open a regular file of the inbox: never through a link (O_NOFOLLOW), never
 * blocking on a FIFO put in its place (O_NONBLOCK), and only when it is
 * still the file that was looked at (same inode as `want`; with `exact`,
 * also the same size and mtime).  The fd, with what fstat(2) says in *out,
 * or -1 with errno set (ESTALE: something else has the name now).
 */
static int inbox_open(struct intake *in, const char *name, const struct stat *want, int exact,
		      struct stat *out)
{
	int fd = openat(in->inbox_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, out) != 0 || !S_ISREG(out->st_mode) || out->st_dev != want->st_dev ||
	    out->st_ino != want->st_ino || (exact && !same_file(want, out))) {
		close(fd);
		errno = ESTALE;
		return -1;
	}
	return fd;
}

static void log_left(const struct entry *e, const char *why)
{
	char b[300];

	log_event(LOG_INFO, "bestand blijft in de inbox tot de volgende ronde", "file=%s why=%s",
		  log_q(b, sizeof(b), e->name), why);
}

/*
 * Remove a file that was read from the inbox (ingested, or a duplicate):
 * only while its name still holds the bytes that were read.  A file written
 * to or replaced since is a new delivery and is left for the next pass.
 */
static int inbox_remove(struct intake *in, struct entry *e, struct br_error *err)
{
	struct stat now;

	if (fstatat(in->inbox_fd, e->name, &now, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT ? 0 : br_error_set(err, BR_EIO, "%s in de inbox kan niet worden bekeken: %s",
							  e->name, strerror(errno));
	if (!same_file(&e->read_st, &now)) {
		log_left(e, "\"het veranderde nadat het gelezen was\"");
		return 0;
	}
	if (unlinkat(in->inbox_fd, e->name, 0) != 0 && errno != ENOENT)
		return br_error_set(err, BR_EIO, "%s kan niet uit de inbox worden verwijderd: %s", e->name, strerror(errno));
	return 0;
}

/* Drop the private copy of an entry, or close the file read in place
 * (which ends its lease). */
static void entry_release(struct entry *e)
{
	if (e->copy)
		unlink(e->copy);
	free(e->copy);
	e->copy = NULL;
	free(e->src);
	e->src = NULL;
	if (e->fd >= 0)
		close(e->fd);
	e->fd = -1;
}

/* Read in place: a lease on the open inbox file `fd` (see the top). */
static int lease_take(struct intake *in, const struct entry *e, int fd)
{
	if (!in->in_place || in->n_leased >= LEASE_MAX || (uint64_t)e->st.st_size < LEASE_MIN_BYTES)
		return 0;
	if (fcntl(fd, F_SETLEASE, F_RDLCK) != 0)
		return 0;
	in->n_leased++;
	return 1;
}

/* 1 while what was read is still what the entry holds: a copy, or a file
 * read in place whose lease nobody broke. */
static int lease_held(const struct entry *e)
{
	return e->fd < 0 || fcntl(e->fd, F_GETLEASE) == F_RDLCK;
}

/* ---- quarantine ----------------------------------------------------------- */

/*
 * The name under which an entry goes to quarantine/: its own when it can be
 * stored as it is, else a safe one (fsutil_safe_name); with a timestamp
 * prefix (and a counter) when that is taken.  Taken means the file is
 * there, or a file of that name plus ".reason" is (it has its own reason
 * beside it); a reason alone is what a run killed before the move left,
 * and is written again.
 */
static int quarantine_name(char *qname, size_t cap, struct intake *in, const struct entry *e,
			   struct br_error *err)
{
	char base[INBOX_NAME_MAX + 1], stamp[TIMESTAMP_FMT_MAX], p1[FSUTIL_PATH_MAX], p2[FSUTIL_PATH_MAX + 16];
	size_t i, j;
	int try, n;

	if (name_is_storable(e->name))
		snprintf(base, sizeof(base), "%s", e->name);
	else if (fsutil_safe_name(base, e->name) < 0)
		return br_error_set(err, BR_EINTERNAL, "OpenSSL kan geen hash van een bestandsnaam maken");
	/* 2026-11-28T03:18:55 -> 20261128T031855 */
	for (i = 0, j = 0; in->now[i] && j < sizeof(stamp) - 1; i++)
		if (in->now[i] != '-' && in->now[i] != ':')
			stamp[j++] = in->now[i];
	stamp[j] = '\0';
	for (try = 0; try < 100; try++) {
		if (try == 0)
			n = snprintf(qname, cap, "%s", base);
		else if (try == 1)
			n = snprintf(qname, cap, "%s-%s", stamp, base);
		else
			n = snprintf(qname, cap, "%s-%d-%s", stamp, try, base);
		if (n < 0 || (size_t)n >= cap)
			return br_error_set(err, BR_EINTERNAL, "naam in quarantaine te lang");
		if (fsutil_join(p1, sizeof(p1), in->qdir, qname, err) < 0)
			return BR_EINTERNAL;
		snprintf(p2, sizeof(p2), "%s.reason.reason", p1);
		if (!fsutil_exists(p1) && !fsutil_exists(p2))
			return 0;
	}
	return br_error_set(err, BR_EIO, "quarantine/ bevat al 100 bestanden met een naam als %s", base);
}

/* The action a reason proposes. */
enum q_action { QA_CORRECT = 0, QA_KRIMP, QA_NOT_A_FILE, QA_NAME, QA_UNREADABLE };

static int reason_write(struct intake *in, const struct entry *e, const struct br_error *why,
			enum q_action act, const char *qname, const char *stored_as, struct br_error *err)
{
	char path[FSUTIL_PATH_MAX + 16], lb[32], action[INBOX_NAME_MAX + 400];
	char *text = NULL;
	size_t cap;
	int n, rc;

	switch (act) {
	case QA_KRIMP:
		/* formats.md §1: only the shrink guard may be overruled */
		snprintf(action, sizeof(action), "ga bij de leverancier na of deze dossiers echt zijn beëindigd;"
			 " klopt de export, aanvaard hem dan met `betaalrun ingest --krimp-toestaan quarantine/%s`;"
			 " zo niet, vraag een volledige export", qname);
		break;
	case QA_NOT_A_FILE:
		snprintf(action, sizeof(action), "dit is geen levering: zoek uit wie het in de inbox zette en"
			 " verwijder het daarna uit quarantine/ (er is niets geopend of gewijzigd)");
		break;
	case QA_NAME:
		snprintf(action, sizeof(action), "vraag de leverancier het bestand opnieuw aan te leveren onder een"
			 " gewone naam (leesbare UTF-8, ten hoogste %d bytes); het is niet gelezen", INBOX_NAME_MAX);
		break;
	case QA_UNREADABLE:
		snprintf(action, sizeof(action), "maak het bestand leesbaar voor betaalrun (of vraag de leverancier"
			 " het opnieuw aan te leveren) en zet het weer in de inbox");
		break;
	default:
		snprintf(action, sizeof(action), "verbeter het bestand (of vraag de leverancier om een verbeterde"
			 " levering) en zet het weer in de inbox");
	}
	if (why->line > 0)
		snprintf(lb, sizeof(lb), "%ld", why->line);
	else
		snprintf(lb, sizeof(lb), "-");
	if ((n = snprintf(path, sizeof(path), "%s/%s.reason", in->qdir, qname)) < 0 || (size_t)n >= sizeof(path))
		return br_error_set(err, BR_EINTERNAL, "pad te lang: %s/%s.reason", in->qdir, qname);
	{
		/* Every value is escaped (log_record_format): a name or a
		 * problem that holds line breaks cannot add a line of its own.
		 * The problem text may quote input: no BSN reaches a reason file
		 * (the name, the hash and our own values are kept intact). */
		const struct log_field f[] = {
			{ "file", e->name, 0 },
			{ "kind", node_kind(e->st.st_mode), 0 },
			{ "stored-as", stored_as, 0 },
			{ "line", lb, 0 },
			{ "problem", why->msg, 1 },
			{ "sha256", e->sha[0] ? e->sha : "-", 0 },
			{ "quarantined", in->now, 0 },
			{ "action", action, 0 },
		};
		size_t i, nf = sizeof(f) / sizeof(f[0]);

		/* an escape is at most four bytes a byte: always room */
		for (cap = 64, i = 0; i < nf; i++)
			cap += strlen(f[i].key) + 4 * strlen(f[i].value) + 4;
		if (!(text = malloc(cap)))
			return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het schrijven van een quarantainereden");
		if (log_record_format(text, cap, f, nf) < 0) {
			free(text);
			return br_error_set(err, BR_EINTERNAL, "een quarantainereden kan niet worden opgemaakt");
		}
	}
	rc = fsutil_write_atomic(path, text, strlen(text), 0600, err);
	free(text);
	return rc;
}

/*
 * Move the entry itself to quarantine/QNAME: rename(2) of its name, so
 * that a link moves as a link (never followed), a FIFO or a device as what
 * it is, a directory with what it holds, a file byte for byte.  Only while
 * the name still holds what was looked at (`want`): 1 when moved, 0 when
 * it is gone or changed (left for the next pass).  A regular file is
 * opened first (inbox_open) so that its mode is set through that
 * descriptor (fchmod), never through a name; a file with other links is
 * left as it is (its mode is theirs too).
 *
 * Across file systems (`ingest DIR`) a read file goes there from its
 * private copy; anything else is renamed aside inside the inbox to a
 * hidden name, which no pass lists again (*hidden set).
 */
static int quarantine_move(struct intake *in, struct entry *e, const struct stat *want, const char *qname,
			   const char *hidden, int *moved_hidden, const char **left, struct br_error *err)
{
	char dst[FSUTIL_PATH_MAX];
	struct stat now, taken;
	int fd = -1, rc = 0, renamed = 0;

	*moved_hidden = 0;
	*left = "\"het veranderde terwijl het bekeken werd\"";
	if ((rc = fsutil_join(dst, sizeof(dst), in->qdir, qname, err)) < 0)
		return rc;
	if (fstatat(in->inbox_fd, e->name, &now, AT_SYMLINK_NOFOLLOW) != 0) {
		*left = "\"het is weg\"";
		return errno == ENOENT ? 0 : br_error_set(err, BR_EIO, "%s in de inbox kan niet worden bekeken: %s",
							  e->name, strerror(errno));
	}
	if (!same_file(want, &now))
		return 0;
	/* a regular file: checked again, and later its mode set, through one
	 * descriptor (one that cannot be opened, for want of permission, is
	 * moved as it is) */
	if (S_ISREG(now.st_mode) && (fd = inbox_open(in, e->name, want, 1, &now)) < 0 && errno == ESTALE)
		return 0;
	if (renameat(in->inbox_fd, e->name, AT_FDCWD, dst) == 0) {
		rc = renamed = 1;
	} else if (errno != EXDEV) {
		rc = br_error_set(err, BR_EIO, "%s kan niet naar %s worden verplaatst: %s", e->name, dst, strerror(errno));
	} else if (e->src && S_ISREG(now.st_mode)) {
		/* the bytes that were read: the copy, or the file read in place
		 * while its lease holds */
		rc = e->copy ? fsutil_move(e->copy, dst, err) : fsutil_copy_atomic(dst, e->src, 0, 0600, err);
		if (rc == 0 && !lease_held(e)) {
			unlink(dst);
			*left = "\"het veranderde tijdens het lezen\"";
		} else if (rc == 0 && (rc = inbox_remove(in, e, err)) == 0) {
			rc = 1;
		}
	} else if (fstatat(in->inbox_fd, hidden, &taken, AT_SYMLINK_NOFOLLOW) == 0) {
		*left = "\"de naam om het opzij te zetten is bezet\"";
		rc = 0; /* never over another entry: left for the next pass */
	} else if (renameat(in->inbox_fd, e->name, in->inbox_fd, hidden) != 0) {
		rc = br_error_set(err, BR_EIO, "%s kan niet opzij worden gezet: %s", e->name, strerror(errno));
	} else {
		*moved_hidden = 1;
		rc = 1;
	}
	if (renamed && fd >= 0 && now.st_nlink == 1)
		fchmod(fd, 0600); /* personal data: 0600, like every file betaalrun writes */
	if (fd >= 0)
		close(fd);
	if (rc != 1)
		return rc;
	if ((rc = fsutil_sync_dir(in->qdir, err)) < 0 || (rc = fsutil_sync_dir(in->o->inbox, err)) < 0)
		return rc;
	return 1;
}

/*
 * formats.md §4-§5: the entry moves to quarantine/ beside QNAME.reason,
 * which names it (escaped), says what it is, the line and the first
 * problem, and what to do.  The reason is written first: a crash in
 * between leaves the entry in the inbox, and the next pass writes it again.
 * The entry must still be what was looked at: what was read (a file with a
 * private copy), or what was listed; if it has changed, it is left for the
 * next pass.  Never follows a link, never opens anything but a regular
 * file.
 */
static int quarantine(struct intake *in, struct entry *e, const struct br_error *why, enum q_action act,
		      struct br_error *err)
{
	char qname[INBOX_NAME_MAX + 64], stored[INBOX_NAME_MAX + 128], hidden[INBOX_NAME_MAX + 80];
	const char *left = NULL;
	int rc, moved_hidden = 0;

	if ((rc = quarantine_name(qname, sizeof(qname), in, e, err)) < 0)
		return rc;
	snprintf(stored, sizeof(stored), "quarantine/%s", qname);
	snprintf(hidden, sizeof(hidden), ".quarantined-%s", qname);
	if ((rc = reason_write(in, e, why, act, qname, stored, err)) < 0)
		return rc;
	rc = quarantine_move(in, e, e->src ? &e->read_st : &e->st, qname, hidden, &moved_hidden, &left, err);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		/* changed or gone since it was looked at: no quarantine yet */
		char path[FSUTIL_PATH_MAX + 16];
		int n = snprintf(path, sizeof(path), "%s/%s.reason", in->qdir, qname);
		if (n > 0 && (size_t)n < sizeof(path))
			unlink(path);
		log_left(e, left);
		return 0;
	}
	if (moved_hidden) {
		/* the inbox is on another file system: say where it is now */
		snprintf(stored, sizeof(stored), "inbox/%s (ander bestandssysteem dan quarantine/)", hidden);
		if ((rc = reason_write(in, e, why, act, qname, stored, err)) < 0)
			return rc;
	}
	{
		char b1[600], b2[300], b3[64], b4[300];
		char lb[32];

		if (why->line > 0)
			snprintf(lb, sizeof(lb), "%ld", why->line);
		else
			snprintf(lb, sizeof(lb), "-");
		log_event(LOG_WARN, "bestand in quarantaine", "file=%s kind=%s stored_as=%s line=%s reason=%s",
			  log_q(b2, sizeof(b2), e->name), log_q(b3, sizeof(b3), node_kind(e->st.st_mode)),
			  log_q(b4, sizeof(b4), stored), lb, log_q(b1, sizeof(b1), why->msg));
	}
	in->sum->quarantined++;
	return 0;
}

/* ---- archive -------------------------------------------------------------- */

/* The archive path for a new delivery: archive/YYYY/MM/NAME(.gz), made
 * unique with the hash when taken. */
static int archive_path(char *out, size_t cap, struct intake *in, struct entry *e,
			struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	int y, m, d, rc = 0, taken;
	const char *gz = ends_with(e->name, ".gz") ? "" : ".gz";
	char abs[FSUTIL_PATH_MAX];

	date_to_ymd(in->today, &y, &m, &d);
	rc = snprintf(out, cap, "archive/%04d/%02d/%s%s", y, m, e->name, gz);
	if (rc < 0 || (size_t)rc >= cap)
		return br_error_set(err, BR_EINTERNAL, "archiefpad te lang voor %s", e->name);
	if ((rc = store_prepare(in->st, &s, "SELECT 1 FROM levering WHERE archief = ?1", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, out, -1, SQLITE_STATIC);
	taken = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	if (fsutil_join(abs, sizeof(abs), in->o->home, out, err) < 0)
		return BR_EINTERNAL;
	if (taken || fsutil_exists(abs)) {
		rc = snprintf(out, cap, "archive/%04d/%02d/%.12s-%s%s", y, m, e->sha, e->name, gz);
		if (rc < 0 || (size_t)rc >= cap)
			return br_error_set(err, BR_EINTERNAL, "archiefpad te lang voor %s", e->name);
	}
	return 0;
}

/*
 * The archive copy of a new file is written while the file is parsed, by a
 * thread of its own: gzip costs about a tenth of an ingest's CPU, and it
 * needs only the file's bytes.  It goes to a hidden name beside its place in the
 * archive (".NAME.gz.pending"), durably (fsutil_copy_atomic), and is
 * renamed into place by archive() after COMMIT, or removed when the file
 * fails.  A crash in between leaves at most that hidden file, which the
 * next archive() of the same file removes.
 */
struct early_archive {
	pthread_t thread;
	int running;                      /* started, not yet joined */
	int gzip;
	char src[FSUTIL_PATH_MAX];
	char dir[FSUTIL_PATH_MAX];        /* its directory in the archive */
	char pending[FSUTIL_PATH_MAX];
	int rc;                           /* 0 when `pending` is complete and durable */
	struct br_error err;
};

/* The archive path `abs` split into its directory and the hidden name. */
static int pending_path(char *dir, char *pending, const char *abs, struct br_error *err)
{
	const char *slash = strrchr(abs, '/');
	size_t n = slash ? (size_t)(slash - abs) : 0;
	int rc;

	if (!slash || n >= FSUTIL_PATH_MAX)
		return br_error_set(err, BR_EINTERNAL, "geen archiefpad: %s", abs);
	memcpy(dir, abs, n);
	dir[n] = '\0';
	rc = snprintf(pending, FSUTIL_PATH_MAX, "%s/.%s.pending", dir, slash + 1);
	if (rc < 0 || rc >= FSUTIL_PATH_MAX)
		return br_error_set(err, BR_EINTERNAL, "archiefpad te lang: %s", abs);
	return 0;
}

static void *early_archive_main(void *arg)
{
	struct early_archive *a = arg;

	if ((a->rc = fsutil_mkdirs(a->dir, 0700, &a->err)) == 0)
		a->rc = fsutil_copy_atomic(a->pending, a->src, a->gzip, 0600, &a->err);
	return NULL;
}

/* Start the copy for archive path `rel`; when it cannot start, archive()
 * copies after COMMIT as before. */
static void early_archive_start(struct early_archive *a, struct intake *in, struct entry *e,
				const char *rel)
{
	char abs[FSUTIL_PATH_MAX];

	memset(a, 0, sizeof(*a));
	a->rc = BR_EINTERNAL;
	br_error_clear(&a->err);
	if (fsutil_join(abs, sizeof(abs), in->o->home, rel, &a->err) < 0 ||
	    pending_path(a->dir, a->pending, abs, &a->err) < 0)
		return;
	snprintf(a->src, sizeof(a->src), "%s", e->src);
	a->gzip = !fsutil_is_gzip(e->src);
	a->running = pthread_create(&a->thread, NULL, early_archive_main, a) == 0;
}

/* Wait for the copy; 0 when it is complete. */
static int early_archive_finish(struct early_archive *a)
{
	if (a->running) {
		pthread_join(a->thread, NULL);
		a->running = 0;
	}
	return a->rc;
}

/* The file failed: no archive copy. */
static void early_archive_discard(struct early_archive *a)
{
	if (early_archive_finish(a) == 0)
		unlink(a->pending);
}

/*
 * Write the archive copy (idempotent: rewriting gives the same bytes), drop
 * the inbox file, then mark the ledger row.  A crash anywhere here is
 * finished by the next run (intake.h).  `early` is the copy made while the
 * file was parsed, or NULL.
 */
static int archive(struct intake *in, struct entry *e, const char *rel, struct early_archive *early,
		   struct br_error *err)
{
	char abs[FSUTIL_PATH_MAX], dir[FSUTIL_PATH_MAX], pending[FSUTIL_PATH_MAX];
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = fsutil_join(abs, sizeof(abs), in->o->home, rel, err)) < 0 ||
	    (rc = pending_path(dir, pending, abs, err)) < 0)
		return rc;
	if ((rc = fsutil_mkdirs(dir, 0700, err)) < 0)
		return rc;
	if (early && early_archive_finish(early) == 0) {
		/* durable under its hidden name: now under its own */
		if (rename(pending, abs) != 0)
			return br_error_set(err, BR_EIO, "%s kan niet worden hernoemd: %s", pending, strerror(errno));
		if ((rc = fsutil_sync_dir(dir, err)) < 0)
			return rc;
	} else if ((rc = fsutil_copy_atomic(abs, e->src, !fsutil_is_gzip(e->src), 0600, err)) < 0) {
		/* from the private copy or the file read in place: the bytes
		 * that were hashed (and parsed), rewritten the same when a run
		 * was interrupted */
		return rc;
	} else if (!lease_held(e)) {
		/* not the bytes that were hashed: the next pass finishes it */
		unlink(abs);
		log_left(e, "\"het veranderde tijdens het lezen\"");
		return 0;
	}
	/* temporary files a killed earlier attempt left here (no copy is
	 * running now: the early copy has been waited for) */
	if ((rc = fsutil_clean_temp(dir, err)) < 0)
		return rc;
	if (!early && unlink(pending) == 0) /* left by an interrupted run */
		fsutil_sync_dir(dir, err);
	if ((rc = inbox_remove(in, e, err)) < 0 || (rc = fsutil_sync_dir(in->o->inbox, err)) < 0)
		return rc;
	if ((rc = store_prepare(in->st, &s, "UPDATE levering SET gearchiveerd = 1 WHERE sha256 = ?1", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, e->sha, -1, SQLITE_STATIC);
	rc = store_step_done(in->st, s, "marking a delivery archived", err);
	sqlite3_finalize(s);
	return rc;
}

/* ---- the store thread ---------------------------------------------------- */

/*
 * Parsing with validation (libxml2) and storing (SQLite) each take about
 * half of an ingest, so they run side by side on two cores: the parser's
 * record handler copies each record into a bounded ring, and a store
 * thread takes them out in file order and stores them in the file's
 * transaction.  libxml2 stays on the calling thread (its error handlers
 * are per thread, see xmlin.c).  The calling thread uses the connection
 * before it starts the store thread (ledger row, the header's statements,
 * snapshot_begin) and after it has joined it (snapshot_finish, COMMIT or
 * ROLLBACK); in between only the store thread does.
 *
 * Errors are those of a single thread: the first in file order wins.  The
 * store thread sees only records the parser accepted, in file order, so
 * its error is always earlier in the file than the parser's.  When the
 * parser fails, the store thread still stores what it was handed, and its
 * error, if any, is the file's; when the store fails, the ring refuses
 * the next record, which ends the parse.  Either way the caller rolls the
 * whole file back.
 */

/* The store thread's side: one record of the file's kind. */
static int store_one(void *ctx, const void *rec, struct br_error *err)
{
	struct ingest *g = ctx;

	return g->store(g, rec, err);
}

/* From a header handler, once its statements are prepared. */
static int feed_start(struct ingest *g, size_t size, void (*copy)(void *slot, const void *rec),
		      int (*store)(struct ingest *g, const void *rec, struct br_error *err),
		      struct br_error *err)
{
	if (ring_running(&g->ring))
		return br_error_set(err, BR_EINTERNAL, "twee kopregels in %s", g->e->name);
	g->store = store;
	return ring_start(&g->ring, size, copy, store_one, g, err);
}

/* From a record handler: hand one record over (copied: it is borrowed). */
static int feed_push(struct ingest *g, const void *rec, struct br_error *err)
{
	if (!ring_running(&g->ring))
		return br_error_set(err, BR_EINTERNAL, "een record vóór de kop in %s", g->e->name);
	/* on failure the store thread's error replaces this one (ring_finish) */
	if (ring_push(&g->ring, rec) < 0)
		return br_error_set(err, BR_EINTERNAL, "opslaan van %s mislukt", g->e->name);
	g->parsed++;
	progress(g);
	return 0;
}

/*
 * Copies for the ring.  A register dossier is 29 KB, nearly all of it
 * arrays of which a dossier uses a few elements: copy what lies before
 * the arrays, the used elements and what follows.  (The rest of the slot
 * keeps an older record's bytes; nothing reads past the counts.)
 */
_Static_assert(offsetof(struct register_dossier, n_grants) < offsetof(struct register_dossier, grants) &&
	       offsetof(struct register_dossier, grants) < offsetof(struct register_dossier, n_claims) &&
	       offsetof(struct register_dossier, n_claims) < offsetof(struct register_dossier, claims) &&
	       offsetof(struct register_dossier, claims) < offsetof(struct register_dossier, n_derden) &&
	       offsetof(struct register_dossier, n_derden) < offsetof(struct register_dossier, derden) &&
	       offsetof(struct register_dossier, derden) < offsetof(struct register_dossier, has_opschorting) &&
	       offsetof(struct register_dossier, opschorting_reden) +
	       sizeof(((struct register_dossier *)0)->opschorting_reden) +
	       _Alignof(struct register_dossier) > sizeof(struct register_dossier),
	       "copy_dossier copies the members of struct register_dossier in this order");

static void copy_dossier(void *slot, const void *rec)
{
	struct register_dossier *to = slot;
	const struct register_dossier *d = rec;

	memcpy(to, d, offsetof(struct register_dossier, grants));
	memcpy(to->grants, d->grants, (size_t)d->n_grants * sizeof(d->grants[0]));
	to->n_claims = d->n_claims;
	memcpy(to->claims, d->claims, (size_t)d->n_claims * sizeof(d->claims[0]));
	to->n_derden = d->n_derden;
	memcpy(to->derden, d->derden, (size_t)d->n_derden * sizeof(d->derden[0]));
	to->has_opschorting = d->has_opschorting;
	to->opschorting_vanaf = d->opschorting_vanaf;
	memcpy(to->opschorting_reden, d->opschorting_reden, strlen(d->opschorting_reden) + 1);
}

_Static_assert(offsetof(struct signal_record, n_gegevens) < offsetof(struct signal_record, gegevens) &&
	       offsetof(struct signal_record, gegevens) + sizeof(((struct signal_record *)0)->gegevens) +
	       _Alignof(struct signal_record) > sizeof(struct signal_record),
	       "copy_signal: gegevens must stay the last member of struct signal_record");

static void copy_signal(void *slot, const void *rec)
{
	struct signal_record *to = slot;
	const struct signal_record *r = rec;

	memcpy(to, r, offsetof(struct signal_record, gegevens));
	memcpy(to->gegevens, r->gegevens, (size_t)r->n_gegevens * sizeof(r->gegevens[0]));
}

static void copy_polis(void *slot, const void *rec)
{
	memcpy(slot, rec, sizeof(struct polis_record));
}

static void copy_pain002(void *slot, const void *rec)
{
	memcpy(slot, rec, sizeof(struct pain002_status));
}

static void copy_bankpost(void *slot, const void *rec)
{
	memcpy(slot, rec, sizeof(struct bankpost));
}

/* ---- kind handlers ------------------------------------------------------- */

/* What the store thread does with one record of each kind. */
static int store_dossier(struct ingest *g, const void *rec, struct br_error *err);
static int store_polis_record(struct ingest *g, const void *rec, struct br_error *err);
static int store_signal(struct ingest *g, const void *rec, struct br_error *err);
static int store_pain002_status(struct ingest *g, const void *rec, struct br_error *err);
static int store_bankpost(struct ingest *g, const void *rec, struct br_error *err);

static int check_header(struct ingest *g, const struct levering_header *h, struct br_error *err)
{
	/* The parser read the same root as the sniffer; anything else is a bug. */
	if (strcmp(h->levering_id, g->e->hdr.levering_id) != 0)
		return br_error_set(err, BR_EINTERNAL, "leveringId veranderde tijdens het lezen van %s", g->e->name);
	return 0;
}

/* In the store thread. */
static int store_dossier(struct ingest *g, const void *rec, struct br_error *err)
{
	const struct register_dossier *d = rec;
	int rc;

	if ((rc = snapshot_add(g->snap, d, err)) < 0) {
		br_error_at(err, g->e->name, d->line);
		return rc;
	}
	g->records++;
	return 0;
}

static int on_register_header(void *ctx, const struct levering_header *h, struct br_error *err)
{
	struct ingest *g = ctx;
	const struct intake_opts *o = g->in->o;
	int rc, allowed;

	if ((rc = check_header(g, h, err)) < 0)
		return rc;
	allowed = o->krimp_sha256 && strcmp(o->krimp_sha256, g->e->sha) == 0;
	if ((rc = snapshot_begin(&g->snap, g->in->st, g->levering, h, o->cfg->register_krimp_max_pct,
				 allowed, err)) < 0)
		return rc;
	return feed_start(g, sizeof(struct register_dossier), copy_dossier, store_dossier, err);
}

static int on_register_dossier(void *ctx, const struct register_dossier *d, struct br_error *err)
{
	return feed_push(ctx, d, err);
}

/* The rows an income or signal file adds to `table` are those above the
 * largest id before it (one file a transaction): noted at its header. */
static int note_first_id(struct ingest *g, const char *table, struct br_error *err)
{
	char sql[64];
	int64_t max;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT coalesce(max(id), 0) FROM %s", table);
	if ((rc = store_query_int64(g->in->st, sql, &max, "reading the last id", err)) < 0)
		return rc;
	g->after_id = max;
	return 0;
}

/*
 * formats.md §2: records for a BSN that no person of the register has are
 * kept and counted.  Counted once for the file, by one query over the rows
 * it added, not by a lookup per record (issue 13: 120,000 lookups a month).
 */
static int count_unknown(struct ingest *g, const char *table, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char sql[256];
	int rc;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s r WHERE r.id > ?1 AND r.levering = ?2"
		 " AND NOT EXISTS (SELECT 1 FROM persoon p WHERE p.bsn = r.bsn)", table);
	if ((rc = store_prepare(g->in->st, &s, sql, err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, g->after_id);
	sqlite3_bind_int64(s, 2, g->levering);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		g->unknown = (long)sqlite3_column_int64(s, 0);
		rc = 0;
	} else {
		rc = store_fail(g->in->st, rc, "counting unknown BSNs", err);
	}
	sqlite3_finalize(s);
	return rc;
}

/* An id that is UNIQUE for all time: say where it was seen before. */
static int explain_duplicate(struct ingest *g, const char *table, const char *col, const char *label,
			     const char *id, long line, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char q[256];
	int rc;

	snprintf(q, sizeof(q), "SELECT t.regel, l.bestandsnaam, l.id FROM %s t JOIN levering l"
		 " ON t.levering = l.id WHERE t.%s = ?1", table, col);
	if ((rc = store_prepare(g->in->st, &s, q, err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		if (sqlite3_column_int64(s, 2) == g->levering)
			br_error_set(err, BR_EINPUT, "%s %s komt twee keer voor in dit bestand (eerst op regel %d)",
				     label, id, sqlite3_column_int(s, 0));
		else
			br_error_set(err, BR_EINPUT, "%s %s is al geleverd in bestand %s (regel %d)",
				     label, id, (const char *)sqlite3_column_text(s, 1), sqlite3_column_int(s, 0));
	} else {
		br_error_set(err, BR_EINPUT, "%s %s is niet uniek", label, id);
	}
	sqlite3_finalize(s);
	br_error_at(err, g->e->name, line);
	return BR_EINPUT;
}

static int on_polis_header(void *ctx, const struct levering_header *h, struct br_error *err)
{
	struct ingest *g = ctx;
	int rc;

	if ((rc = check_header(g, h, err)) < 0)
		return rc;
	if ((rc = store_prepare(g->in->st, &g->ins,
				"INSERT INTO inkomen (opgave_id, levering, regel, vervangt, vervangt_inkomen,"
				" vervangt_onbekend, intrekking, bsn, lhnr, numiv, soort, dat_aanv_tv, dat_eind_tv,"
				" ln_lb_ph_cents, vak_bsl_cents, extr_per_sal_cents, opn_avwb_cents,"
				" wrd_pr_gebr_aut_cents, ing_lb_ph_cents, bijdr_zvw_cents, pr_wga_whk_wn_cents,"
				" ind_heffingskorting, aant_verl_u, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
				" ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)"
				" ON CONFLICT (opgave_id) DO NOTHING", err)) < 0 ||
	    (rc = note_first_id(g, "inkomen", err)) < 0)
		return rc;
	if ((rc = store_prepare(g->in->st, &g->find, "SELECT id FROM inkomen WHERE opgave_id = ?1", err)) < 0 ||
	    (rc = store_prepare(g->in->st, &g->late, "SELECT 1 FROM inkomen WHERE vervangt = ?1"
				" AND vervangt_inkomen IS NULL LIMIT 1", err)) < 0 ||
	    (rc = store_prepare(g->in->st, &g->link, "UPDATE inkomen SET vervangt_inkomen = ?2,"
				" vervangt_onbekend = 0 WHERE vervangt = ?1 AND vervangt_inkomen IS NULL", err)) < 0)
		return rc;
	return feed_start(g, sizeof(struct polis_record), copy_polis, store_polis_record, err);
}

static int on_polis_record(void *ctx, const struct polis_record *r, struct br_error *err)
{
	return feed_push(ctx, r, err);
}

/*
 * formats.md §2: an original that arrives after its correction or
 * withdrawal is linked to it now (what counts is decided by the whole
 * chain, settle_store.c, whatever the order of arrival).  Such a late
 * original is rare, and the UPDATE costs SQLite a temporary table per
 * execution (it changes a column with a foreign key to its own table):
 * an index probe first decides whether there is anything to link.
 */
static int link_late_original(struct ingest *g, const char *opgave_id, sqlite3_int64 id,
			      struct br_error *err)
{
	int rc;

	store_bind_borrowed(g->late, 1, opgave_id, 0);
	rc = sqlite3_step(g->late);
	sqlite3_reset(g->late);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(g->in->st, rc, "looking for a late original's correction", err);
	store_bind_borrowed(g->link, 1, opgave_id, 0);
	sqlite3_bind_int64(g->link, 2, id);
	return store_step_done(g->in->st, g->link, "linking a late original to its correction", err);
}

/* In the store thread. */
static int store_polis_record(struct ingest *g, const void *rec, struct br_error *err)
{
	const struct polis_record *r = rec;
	sqlite3_stmt *s = g->ins;
	sqlite3_int64 replaced = 0;
	char van[DATE_FMT_MAX], tot[DATE_FMT_MAX];
	int rc;

	if (r->vervangt[0]) {
		/* formats.md §2: a correction links to what it replaces; an unknown
		 * id is kept and flagged. */
		sqlite3_reset(g->find);
		store_bind_borrowed(g->find, 1, r->vervangt, 0);
		if (sqlite3_step(g->find) == SQLITE_ROW)
			replaced = sqlite3_column_int64(g->find, 0);
		sqlite3_reset(g->find);
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	store_bind_borrowed(s, 1, r->opgave_id, 0);
	sqlite3_bind_int64(s, 2, g->levering);
	sqlite3_bind_int64(s, 3, r->line);
	store_bind_borrowed(s, 4, r->vervangt, 1);
	if (replaced)
		sqlite3_bind_int64(s, 5, replaced);
	sqlite3_bind_int(s, 6, r->vervangt[0] && !replaced);
	sqlite3_bind_int(s, 7, r->intrekking ? 1 : 0);
	store_bind_borrowed(s, 8, r->bsn, 0);
	store_bind_borrowed(s, 9, r->lhnr, 0);
	sqlite3_bind_int(s, 10, r->numiv);
	store_bind_borrowed(s, 11, r->soort, 0);
	store_bind_date(s, 12, r->dat_aanv_tv, van);
	store_bind_date(s, 13, r->dat_eind_tv, tot);
	sqlite3_bind_int64(s, 14, r->ln_lb_ph_cents);
	sqlite3_bind_int64(s, 15, r->vak_bsl_cents);
	sqlite3_bind_int64(s, 16, r->extr_per_sal_cents);
	sqlite3_bind_int64(s, 17, r->opn_avwb_cents);
	sqlite3_bind_int64(s, 18, r->wrd_pr_gebr_aut_cents);
	sqlite3_bind_int64(s, 19, r->ing_lb_ph_cents);
	sqlite3_bind_int64(s, 20, r->bijdr_zvw_cents);
	sqlite3_bind_int64(s, 21, r->pr_wga_whk_wn_cents);
	sqlite3_bind_int(s, 22, r->ind_heffingskorting ? 1 : 0);
	if (r->aant_verl_u >= 0)
		sqlite3_bind_int(s, 23, r->aant_verl_u);
	sqlite3_bind_int(s, 24, (int)r->tags);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(g->in->st, rc, "storing an income record", err);
	if (sqlite3_changes(store_db(g->in->st)) == 0)
		return explain_duplicate(g, "inkomen", "opgave_id", "OpgaveId", r->opgave_id, r->line, err);
	if ((rc = link_late_original(g, r->opgave_id, sqlite3_last_insert_rowid(store_db(g->in->st)),
				     err)) < 0)
		return rc;
	g->records++;
	return 0;
}

static int on_signals_header(void *ctx, const struct levering_header *h, struct br_error *err)
{
	struct ingest *g = ctx;
	int rc;

	if ((rc = check_header(g, h, err)) < 0)
		return rc;
	if ((rc = store_prepare(g->in->st, &g->ins,
				"INSERT INTO signaal (signaal_id, levering, regel, soort, bsn, bron, signaaldatum,"
				" periode_begin, periode_einde, omschrijving) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
				" ?8, ?9, ?10) ON CONFLICT (signaal_id) DO NOTHING", err)) < 0 ||
	    (rc = note_first_id(g, "signaal", err)) < 0)
		return rc;
	if ((rc = store_prepare(g->in->st, &g->gegeven,
				"INSERT INTO signaal_gegeven (signaal, volgnr, naam, waarde) VALUES (?1, ?2, ?3, ?4)",
				err)) < 0)
		return rc;
	return feed_start(g, sizeof(struct signal_record), copy_signal, store_signal, err);
}

static int on_signal(void *ctx, const struct signal_record *r, struct br_error *err)
{
	return feed_push(ctx, r, err);
}

/* In the store thread. */
static int store_signal(struct ingest *g, const void *rec, struct br_error *err)
{
	const struct signal_record *r = rec;
	sqlite3_stmt *s = g->ins;
	sqlite3_int64 id;
	char datum[DATE_FMT_MAX], van[DATE_FMT_MAX], tot[DATE_FMT_MAX];
	int rc, i;

	/* signals.md: the table is the contract; an unknown Soort refuses the file. */
	if (!signaltable_find(g->in->o->signals, r->soort)) {
		br_error_set(err, BR_EINPUT,
			     "signaalsoort %s (SignaalId %s) staat niet in de signaaltabel"
			     " (data/rules/signaaltabel.xml); het bestand wordt geweigerd tot de tabel haar kent",
			     r->soort, r->signaal_id);
		br_error_at(err, g->e->name, r->line);
		return BR_EINPUT;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	store_bind_borrowed(s, 1, r->signaal_id, 0);
	sqlite3_bind_int64(s, 2, g->levering);
	sqlite3_bind_int64(s, 3, r->line);
	store_bind_borrowed(s, 4, r->soort, 0);
	store_bind_borrowed(s, 5, r->bsn, 0);
	store_bind_borrowed(s, 6, r->bron, 0);
	store_bind_date(s, 7, r->signaaldatum, datum);
	store_bind_date(s, 8, r->periode_begin, van);
	store_bind_date(s, 9, r->periode_einde, tot);
	store_bind_borrowed(s, 10, r->omschrijving, 1);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(g->in->st, rc, "storing a signal", err);
	if (sqlite3_changes(store_db(g->in->st)) == 0)
		return explain_duplicate(g, "signaal", "signaal_id", "SignaalId", r->signaal_id, r->line, err);
	id = sqlite3_last_insert_rowid(store_db(g->in->st));
	for (i = 0; i < r->n_gegevens; i++) {
		sqlite3_reset(g->gegeven);
		sqlite3_bind_int64(g->gegeven, 1, id);
		sqlite3_bind_int(g->gegeven, 2, i + 1);
		store_bind_borrowed(g->gegeven, 3, r->gegevens[i].naam, 0);
		store_bind_borrowed(g->gegeven, 4, r->gegevens[i].waarde, 0);
		if ((rc = store_step_done(g->in->st, g->gegeven, "storing a signal value", err)) < 0)
			return rc;
	}
	g->records++;
	return 0;
}

static int on_pain002_header(void *ctx, const struct levering_header *h, struct br_error *err)
{
	struct ingest *g = ctx;
	int rc;

	if ((rc = check_header(g, h, err)) < 0)
		return rc;
	if ((rc = store_prepare(g->in->st, &g->ins,
				"INSERT INTO bankstatus (levering, regel, orgnl_msg_id, orgnl_pmtinf_id,"
				" orgnl_e2e_id, status, reden, niveau, reden_prtry, info, naam, verwerkt)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1)", err)) < 0)
		return rc;
	return feed_start(g, sizeof(struct pain002_status), copy_pain002, store_pain002_status, err);
}

static int on_pain002_status(void *ctx, const struct pain002_status *r, struct br_error *err)
{
	return feed_push(ctx, r, err);
}

/* In the store thread. */
static int store_pain002_status(struct ingest *g, const void *rec, struct br_error *err)
{
	const struct pain002_status *r = rec;
	sqlite3_stmt *s = g->ins;
	int rc;

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	sqlite3_bind_int64(s, 1, g->levering);
	sqlite3_bind_int64(s, 2, r->line);
	store_bind_borrowed(s, 3, r->orgnl_msg_id, 0);
	store_bind_borrowed(s, 4, r->orgnl_pmtinf_id, 1);
	store_bind_borrowed(s, 5, r->orgnl_e2e_id, 1);
	store_bind_borrowed(s, 6, r->status, 0);
	store_bind_borrowed(s, 7, r->reason, 1);
	sqlite3_bind_int(s, 8, (int)r->level);
	sqlite3_bind_int(s, 9, r->reason_prtry);
	store_bind_borrowed(s, 10, r->info, 1);
	store_bind_borrowed(s, 11, r->name, 1);
	if ((rc = store_step_done(g->in->st, s, "storing a bank status", err)) < 0)
		return rc;
	g->records++;
	return 0;
}

/*
 * A statement (payments.md "Bank statements and returns"): only the
 * entries that are betaalrun's are stored (bankpost.h); the released runs'
 * ids are read here, before the store thread starts.
 */
static int on_camt_header(void *ctx, const struct levering_header *h, struct br_error *err)
{
	struct ingest *g = ctx;
	int rc;

	if ((rc = check_header(g, h, err)) < 0)
		return rc;
	if (!g->in->o->cfg->debiteur_iban[0])
		return br_error_set(err, BR_EINPUT, "betaalrun.conf heeft geen [debiteur] iban: een bankbestand kan niet"
				    " worden vergeleken met de rekening waarvan betaalrun betaalt; vul die in en zet het"
				    " bestand opnieuw in de inbox");
	if ((rc = bankpost_sorter_new(&g->sorter, g->in->st, err)) < 0 ||
	    (rc = store_prepare(g->in->st, &g->ins,
				"INSERT INTO bankpost (levering, regel, soort, boekdatum, bedrag_cents, msg_id, pmtinf_id,"
				" e2e_id, reden, reden_prtry, info, btc, bank_ref)"
				" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", err)) < 0)
		return rc;
	return feed_start(g, sizeof(struct bankpost), copy_bankpost, store_bankpost, err);
}

/*
 * payments.md: a statement for another account than the debtor's is not
 * betaalrun's.  A file may hold the statements of several accounts of the
 * same customer (one Stmt each): only the debtor account's entries are
 * read, the others counted; a file without it is refused (finish_camt).
 * Some banks give the IBAN as Othr/Id.
 */
static int on_camt_account(void *ctx, const struct camt_account *a, struct br_error *err)
{
	struct ingest *g = ctx;
	const char *ours = g->in->o->cfg->debiteur_iban;

	(void)err;
	g->camt_ours = strcmp(a->iban[0] ? a->iban : a->other_id, ours) == 0;
	g->camt_accounts_ours += g->camt_ours;
	if (!g->camt_ours && !g->camt_other[0])
		iban_mask(g->camt_other, a->iban[0] ? a->iban : a->other_id);
	return 0;
}

static int finish_camt(struct ingest *g, struct br_error *err)
{
	if (g->camt_accounts_ours)
		return 0;
	return br_error_set(err, BR_EINPUT, "afschrift %s is van rekening %s, niet van de rekening waarvan betaalrun"
			    " betaalt (betaalrun.conf [debiteur] iban): het is niet voor betaalrun; geef het aan wie"
			    " die rekening beheert", g->e->hdr.levering_id, g->camt_other[0] ? g->camt_other : "(geen)");
}

static int on_camt_tx(void *ctx, const struct camt_tx *t, struct br_error *err)
{
	struct ingest *g = ctx;

	return bankpost_tx(g->sorter, t, err);
}

static int push_bankpost(void *ctx, const struct bankpost *p, struct br_error *err)
{
	return feed_push(ctx, p, err);
}

static int on_camt_entry(void *ctx, const struct camt_entry *e, struct br_error *err)
{
	struct ingest *g = ctx;
	long posts;

	g->entries++;
	if (!g->camt_ours)   /* another account's: counted, its transactions dropped */
		return bankpost_entry(g->sorter, NULL, push_bankpost, g, &posts, err);
	return bankpost_entry(g->sorter, e, push_bankpost, g, &posts, err);
}

/* In the store thread. */
static int store_bankpost(struct ingest *g, const void *rec, struct br_error *err)
{
	const struct bankpost *p = rec;
	sqlite3_stmt *s = g->ins;
	char day[DATE_FMT_MAX];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	sqlite3_bind_int64(s, 1, g->levering);
	sqlite3_bind_int64(s, 2, p->line);
	store_bind_borrowed(s, 3, p->kind == BANKPOST_DEBIT ? "AFSCHRIJVING" : "STORNO", 0);
	store_bind_date(s, 4, p->booking_date, day);
	sqlite3_bind_int64(s, 5, p->amount_cents);
	store_bind_borrowed(s, 6, p->msg_id, 1);
	store_bind_borrowed(s, 7, p->pmtinf_id, 1);
	store_bind_borrowed(s, 8, p->e2e_id, 1);
	store_bind_borrowed(s, 9, p->reason, 1);
	sqlite3_bind_int(s, 10, p->reason_prtry);
	store_bind_borrowed(s, 11, p->info, 1);
	store_bind_borrowed(s, 12, p->btc, 1);
	store_bind_borrowed(s, 13, p->bank_ref, 1);
	g->records++;
	return store_step_done(g->in->st, s, "storing a statement entry", err);
}

/* ---- one file ------------------------------------------------------------ */

static int insert_ledger(struct ingest *g, const char *archief, struct br_error *err)
{
	struct intake *in = g->in;
	struct entry *e = g->e;
	sqlite3_stmt *s = NULL;
	char ts[TIMESTAMP_FMT_MAX];
	int rc;

	/* formats.md §4: a leveringId seen before with other bytes is refused. */
	if ((rc = store_prepare(in->st, &s, "SELECT bestandsnaam, ontvangen FROM levering"
				" WHERE soort = ?1 AND levering_id = ?2", err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, levering_kind_name(e->hdr.kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, e->hdr.levering_id, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW) {
		br_error_set(err, BR_EINPUT,
			     "leveringId %s is al geleverd (bestand %s, ontvangen %s) met een andere"
			     " inhoud; een verbeterde levering heeft een nieuwe leveringId nodig",
			     e->hdr.levering_id, (const char *)sqlite3_column_text(s, 0),
			     (const char *)sqlite3_column_text(s, 1));
		sqlite3_finalize(s);
		return BR_EINPUT;
	}
	sqlite3_finalize(s);
	s = NULL;
	if ((rc = store_prepare(in->st, &s, "INSERT INTO levering (sha256, soort, levering_id, bestandsnaam,"
				" aanmaakdatum, ontvangen, bytes, archief) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
				err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, e->sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, levering_kind_name(e->hdr.kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, e->hdr.levering_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, e->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, timestamp_format(ts, e->hdr.aanmaakdatum), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 6, in->now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)e->size);
	sqlite3_bind_text(s, 8, archief, -1, SQLITE_STATIC);
	rc = store_step_done(in->st, s, "recording the delivery", err);
	g->levering = sqlite3_last_insert_rowid(store_db(in->st));
	sqlite3_finalize(s);
	return rc;
}

/* What the bank said takes effect in the file's own transaction (bankfeedback.h). */
static int apply_bank_file(struct ingest *g, struct br_error *err)
{
	struct bankfeedback_result r;
	char eur[MONEY_FMT_MAX];
	int rc;

	if ((rc = bankfeedback_apply(&r, g->in->st, g->in->o->signals, g->levering, g->in->now_ts, err)) < 0)
		return rc;
	/* the amount in euros: nine digits of cents in a row would be masked as a BSN */
	log_event(LOG_INFO, "bank", "file=%s entries=%ld payments=%ld booked_back=%ld booked_back_eur=%s"
		  " account_blocks=%ld settled=%ld vop=%ld unmatched=%ld debits=%ld debit_mismatches=%ld",
		  g->e->name, g->entries, r.payments, r.booked_back, money_format(eur, r.booked_back_cents),
		  r.account_blocks, r.settled, r.vop_mismatches, r.unmatched, r.debits, r.debit_mismatches);
	return 0;
}

static int parse_into_store(struct ingest *g, struct br_error *err)
{
	struct intake *in = g->in;
	struct entry *e = g->e;
	struct xmlin_schema *schema = NULL;
	struct xmlin *x = NULL;
	struct snapshot_result sr;
	sqlite3_stmt *s = NULL;
	int rc;

	if ((rc = schema_for(&schema, in, &e->hdr, err)) < 0)
		goto out;
	if ((rc = xmlin_open(&x, e->src, e->name, schema, &in->lim, err)) < 0)
		goto out;
	if (in->o->progress) {
		g->x = x;
		progress_start(&g->bar, stderr, e->name, "MB", e->size);
	}
	switch (e->hdr.kind) {
	case LEVERING_REGISTER: {
		struct register_handler h = { on_register_header, on_register_dossier, g };
		rc = register_parse(x, &h, err);
		break;
	}
	case LEVERING_INKOMEN: {
		struct polis_handler h = { on_polis_header, on_polis_record, g };
		rc = polis_parse(x, &h, err);
		break;
	}
	case LEVERING_SIGNALEN: {
		struct signals_handler h = { on_signals_header, on_signal, g };
		rc = signals_parse(x, &h, err);
		break;
	}
	case LEVERING_PAIN002: {
		struct pain002_handler h = { on_pain002_header, on_pain002_status, g };
		rc = pain002_parse(x, &h, err);
		break;
	}
	case LEVERING_CAMT053:
	case LEVERING_CAMT054: {
		struct camt_handler h = { on_camt_header, on_camt_account, on_camt_tx, on_camt_entry, g };
		rc = camt_parse(x, &h, err);
		if (rc == 0)
			rc = finish_camt(g, err);
		break;
	}
	default:
		rc = br_error_set(err, BR_EINTERNAL, "onbekende leveringsoort");
	}
	if ((rc = ring_finish(&g->ring, rc, err)) < 0)
		goto out;
	if (e->hdr.kind == LEVERING_REGISTER && g->snap && (rc = snapshot_finish(g->snap, &sr, err)) < 0) {
		e->krimp_refused = snapshot_shrink_refused(g->snap);
		goto out;
	}
	if ((e->hdr.kind == LEVERING_PAIN002 || e->hdr.kind == LEVERING_CAMT053 ||
	     e->hdr.kind == LEVERING_CAMT054) && (rc = apply_bank_file(g, err)) < 0)
		goto out;
	if ((e->hdr.kind == LEVERING_INKOMEN && (rc = count_unknown(g, "inkomen", err)) < 0) ||
	    (e->hdr.kind == LEVERING_SIGNALEN && (rc = count_unknown(g, "signaal", err)) < 0))
		goto out;
	if ((rc = store_prepare(in->st, &s, "UPDATE levering SET records = ?2, onbekende_bsn = ?3 WHERE id = ?1",
				err)) < 0)
		goto out;
	sqlite3_bind_int64(s, 1, g->levering);
	sqlite3_bind_int64(s, 2, g->records);
	sqlite3_bind_int64(s, 3, g->unknown);
	rc = store_step_done(in->st, s, "recording the delivery", err);
out:
	sqlite3_finalize(s);
	g->x = NULL;
	xmlin_free(x);
	return rc;
}

static void ingest_release(struct ingest *g)
{
	struct br_error ignored;

	/* The store thread goes before what it uses (parse_into_store joined
	 * it already), the ring's slots after the statements bound to them. */
	ring_finish(&g->ring, 0, &ignored);
	snapshot_free(g->snap);
	sqlite3_finalize(g->ins);
	sqlite3_finalize(g->find);
	sqlite3_finalize(g->gegeven);
	sqlite3_finalize(g->link);
	sqlite3_finalize(g->late);
	bankpost_sorter_free(g->sorter);
	ring_release(&g->ring);
	memset(g, 0, sizeof(*g));
}

/* Known bytes: finish an interrupted archive, or record a duplicate. */
static int handle_known(struct intake *in, struct entry *e, sqlite3_int64 levering, int archived,
			const char *archief, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char b[300];
	int rc;

	if (!archived) {
		log_event(LOG_INFO, "archivering van een ingelezen bestand wordt afgemaakt", "file=%s",
			  log_q(b, sizeof(b), e->name));
		in->sum->recovered++;
		return archive(in, e, archief, NULL, err);
	}
	/* formats.md §4: recorded as a duplicate and removed from the inbox */
	if ((rc = store_prepare(in->st, &s, "INSERT INTO duplicaat (levering, bestandsnaam, ontvangen)"
				" VALUES (?1, ?2, ?3)", err)) < 0)
		return rc;
	sqlite3_bind_int64(s, 1, levering);
	sqlite3_bind_text(s, 2, e->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, in->now, -1, SQLITE_STATIC);
	rc = store_step_done(in->st, s, "recording a duplicate", err);
	sqlite3_finalize(s);
	if (rc < 0)
		return rc;
	if ((rc = inbox_remove(in, e, err)) < 0)
		return rc;
	log_event(LOG_INFO, "dubbel bestand overgeslagen", "file=%s sha256=%.12s", log_q(b, sizeof(b), e->name), e->sha);
	in->sum->duplicates++;
	return 0;
}

/* 1 when the file's bytes are already in the ledger (then handled), 0 when
 * new, < 0 on failure. */
static int check_known(struct intake *in, struct entry *e, struct br_error *err)
{
	sqlite3_stmt *s = NULL;
	char archief[FSUTIL_PATH_MAX];
	sqlite3_int64 lev;
	int rc, archived;

	if ((rc = store_prepare(in->st, &s, "SELECT id, gearchiveerd, archief FROM levering WHERE sha256 = ?1",
				err)) < 0)
		return rc;
	sqlite3_bind_text(s, 1, e->sha, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return rc == SQLITE_DONE ? 0 : store_fail(in->st, rc, "looking up a delivery", err);
	}
	lev = sqlite3_column_int64(s, 0);
	archived = sqlite3_column_int(s, 1);
	snprintf(archief, sizeof(archief), "%s", (const char *)sqlite3_column_text(s, 2));
	sqlite3_finalize(s);
	if ((rc = handle_known(in, e, lev, archived, archief, err)) < 0)
		return rc;
	return 1;
}

/* A file read in place: its lease held until the parse and the archive
 * copy were done (see the top), so all read the bytes that were hashed. */
static int read_unchanged(const struct entry *e, struct early_archive *early)
{
	if (e->fd < 0)
		return 1;
	early_archive_finish(early);
	return lease_held(e);
}

/* It changed while it was read: nothing of it is kept, and it stays in
 * the inbox for the next pass. */
static int left_changed(struct intake *in, struct entry *e, struct ingest *g, struct early_archive *early)
{
	ingest_release(g);
	store_rollback(in->st);
	early_archive_discard(early);
	progress_end(&g->bar);
	log_left(e, "\"het veranderde tijdens het lezen (wordt het nog geschreven?)\"");
	return 0;
}

/* Returns 0 when the file was ingested or quarantined; < 0 only for a
 * failure of the machinery (then the file stays in the inbox). */
static int ingest_file(struct intake *in, struct entry *e, struct br_error *err)
{
	struct ingest g;
	struct early_archive early;
	struct br_error why;
	char archief[FSUTIL_PATH_MAX];
	int rc;

	memset(&g, 0, sizeof(g));
	memset(&early, 0, sizeof(early));
	early.rc = BR_EINTERNAL; /* no copy until early_archive_start made one */
	g.in = in;
	g.e = e;
	br_error_clear(&why);
	/* The same bytes twice in one drop: the second is a duplicate. */
	if ((rc = check_known(in, e, err)) != 0)
		return rc < 0 ? rc : 0;
	if ((rc = store_begin(in->st, err)) < 0)
		return rc;
	if ((rc = archive_path(archief, sizeof(archief), in, e, &why)) == 0) {
		early_archive_start(&early, in, e, archief);
		if ((rc = insert_ledger(&g, archief, &why)) == 0 &&
		    (rc = parse_into_store(&g, &why)) == 0) {
			if (!read_unchanged(e, &early))
				return left_changed(in, e, &g, &early);
			rc = store_commit(in->st, &why);
		}
	}
	if (rc < 0) {
		int machinery = rc == BR_EBUSY || rc == BR_EIO || rc == BR_ENOMEM || rc == BR_ECONFIG;

		/* refused, but perhaps for bytes somebody changed meanwhile: not
		 * the sender's fault either */
		if (!machinery && !read_unchanged(e, &early))
			return left_changed(in, e, &g, &early);
		ingest_release(&g);
		store_rollback(in->st);
		early_archive_discard(&early);
		progress_end(&g.bar);
		/* The store or the disk failing is not the file's fault. */
		if (machinery) {
			*err = why;
			return rc;
		}
		br_error_at(&why, e->name, 0);
		return quarantine(in, e, &why, e->krimp_refused ? QA_KRIMP : QA_CORRECT, err);
	}
	progress_end(&g.bar);
	{
		char b1[300], b2[100];
		log_event(LOG_INFO, "bestand ingelezen", "file=%s kind=%s levering=%s records=%ld unknown_bsn=%ld"
			  " read=%s", log_q(b1, sizeof(b1), e->name), levering_kind_name(e->hdr.kind),
			  log_q(b2, sizeof(b2), e->hdr.levering_id), g.records, g.unknown,
			  e->fd >= 0 ? "in_place" : "copy");
	}
	in->sum->ingested++;
	in->sum->in_place += e->fd >= 0;
	in->sum->records += g.records;
	in->sum->unknown_bsn += g.unknown;
	ingest_release(&g);
	return archive(in, e, archief, &early, err);
}

/* ---- the inbox ----------------------------------------------------------- */

static int cmp_entries(const void *pa, const void *pb)
{
	const struct entry *a = *(const struct entry *const *)pa;
	const struct entry *b = *(const struct entry *const *)pb;

	/* formats.md §4: in the order of aanmaakdatum, then name */
	if (a->hdr.aanmaakdatum != b->hdr.aanmaakdatum)
		return a->hdr.aanmaakdatum < b->hdr.aanmaakdatum ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int cmp_names(const void *pa, const void *pb)
{
	return strcmp(((const struct entry *)pa)->name, ((const struct entry *)pb)->name);
}

static void entries_free(struct entry *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		entry_release(&v[i]);
		free(v[i].name);
	}
	free(v);
}

/*
 * Every complete entry of the inbox, whatever it is, with what lstat(2)
 * says of it (nothing is followed or opened here), sorted by name.
 */
static int list_inbox(struct entry **out, size_t *out_n, struct intake *in, struct br_error *err)
{
	DIR *d = NULL;
	struct dirent *de;
	struct entry *v = NULL;
	size_t n = 0, cap = 0;
	int rc = 0, fd;

	*out = NULL;
	*out_n = 0;
	if ((fd = dup(in->inbox_fd)) < 0 || !(d = fdopendir(fd))) {
		rc = br_error_set(err, BR_EIO, "de inbox %s kan niet worden gelezen: %s", in->o->inbox, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	rewinddir(d);
	while ((de = readdir(d))) {
		struct entry *e;

		if (!name_is_complete(de->d_name))
			continue;
		if (n >= INBOX_MAX_FILES)
			break; /* the rest waits for the next run */
		if (mem_grow((void **)&v, &cap, n + 1, sizeof(*v)) < 0) {
			rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van de inbox");
			goto out;
		}
		e = &v[n];
		memset(e, 0, sizeof(*e));
		e->fd = -1;
		if (fstatat(in->inbox_fd, de->d_name, &e->st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (errno == ENOENT)
				continue; /* gone meanwhile */
			rc = br_error_set(err, BR_EIO, "een item in de inbox %s kan niet worden bekeken: %s",
					  in->o->inbox, strerror(errno));
			goto out;
		}
		if (!(e->name = strdup(de->d_name))) {
			rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van de inbox");
			goto out;
		}
		n++;
	}
	if (n) /* qsort's array may not be NULL, even for 0 elements (an empty inbox) */
		qsort(v, n, sizeof(*v), cmp_names);
	while (*out_n < n) {
		v[*out_n].idx = *out_n;
		(*out_n)++;
	}
	*out = v;
	v = NULL;
out:
	if (d)
		closedir(d);
	entries_free(v, n);
	return rc;
}

/* Quarantine an entry for a problem of our own wording. */
static int refuse(struct intake *in, struct entry *e, enum q_action act, struct br_error *err,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int refuse(struct intake *in, struct entry *e, enum q_action act, struct br_error *err,
		  const char *fmt, ...)
{
	struct br_error why;
	va_list ap;

	br_error_clear(&why);
	why.code = BR_EINPUT;
	va_start(ap, fmt);
	vsnprintf(why.msg, sizeof(why.msg), fmt, ap);
	va_end(ap);
	return quarantine(in, e, &why, act, err);
}

/* Anything but a regular file: moved aside as what it is (a link is never
 * followed; its target, shown escaped, is only read as text). */
static int refuse_node(struct intake *in, struct entry *e, struct br_error *err)
{
	const char *kind = node_kind(e->st.st_mode);
	char target[256];
	ssize_t n;

	if (!S_ISLNK(e->st.st_mode))
		return refuse(in, e, QA_NOT_A_FILE, err, "een %s is geen levering: de inbox neemt alleen"
			      " gewone bestanden aan; het is niet geopend", kind);
	if ((n = readlinkat(in->inbox_fd, e->name, target, sizeof(target) - 1)) < 0)
		n = 0;
	target[n] = '\0';
	if ((size_t)n == sizeof(target) - 1)
		snprintf(target + sizeof(target) - 4, 4, "...");
	return refuse(in, e, QA_NOT_A_FILE, err, "een symbolische link (naar '%s') is geen levering: de"
		      " inbox neemt alleen gewone bestanden aan, en een link wordt nooit gevolgd", target);
}

/*
 * Read one regular file of the inbox, once, through one descriptor: hashed
 * in place under a lease (the descriptor is kept in e->fd), or copied into
 * a private file in archive/ while it is hashed; from then on only what was
 * read is used (e->src).  A file whose size or mtime changed while it was
 * read (a sender still writing) is left for the next pass.  Returns 1 when
 * e->src, e->sha and e->size are set, 0 when the entry was quarantined or
 * left, < 0 for a failure of the machinery.
 */
static int read_entry(struct intake *in, struct entry *e, struct br_error *err)
{
	char copy[FSUTIL_PATH_MAX];
	struct br_error why;
	struct stat before;
	int fd, rc, n, leased;

	if (!S_ISREG(e->st.st_mode))
		return refuse_node(in, e, err);
	if (!name_is_storable(e->name))
		return refuse(in, e, QA_NAME, err, "de bestandsnaam kan niet worden opgeslagen of getoond zoals hij is"
			      " (%zu bytes%s): alleen gewone namen van ten hoogste %d bytes worden aangenomen", strlen(e->name),
			      log_is_plain(e->name) ? "" : ", met regeleinden, stuurtekens of bytes die"
			      " geen UTF-8 zijn", INBOX_NAME_MAX);
	if ((uint64_t)e->st.st_size > in->lim.max_bytes)
		return refuse(in, e, QA_CORRECT, err, "het bestand is %llu bytes, groter dan de grens van %llu"
			      " MiB (max_bestand_mb)", (unsigned long long)e->st.st_size,
			      (unsigned long long)(in->lim.max_bytes >> 20));
	if ((fd = inbox_open(in, e->name, &e->st, 0, &before)) < 0) {
		if (errno == EACCES || errno == EPERM)
			return refuse(in, e, QA_UNREADABLE, err, "het bestand kan niet worden gelezen: %s", strerror(errno));
		if (errno == ENOENT || errno == ESTALE || errno == ELOOP || errno == ENXIO) {
			log_left(e, "\"het was weg of vervangen voordat het geopend werd\"");
			return 0;
		}
		return br_error_set(err, BR_EIO, "%s in de inbox kan niet worden geopend: %s", e->name, strerror(errno));
	}
	n = snprintf(copy, sizeof(copy), "%s/.inbox-%zu.tmp-%ld", in->work, e->idx, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(copy)) {
		rc = br_error_set(err, BR_EINTERNAL, "pad te lang: %s", in->work);
		goto out;
	}
	br_error_clear(&why);
	if ((leased = lease_take(in, e, fd)))
		rc = fsutil_digest_fd(e->sha, &e->size, fd, e->name, in->lim.max_bytes, &why);
	else
		rc = fsutil_copy_fd_digest(e->sha, &e->size, fd, e->name, copy, in->lim.max_bytes, &why);
	if (fstat(fd, &e->read_st) != 0) {
		if (rc == 0 && !leased)
			unlink(copy);
		rc = br_error_set(err, BR_EIO, "%s in de inbox kan niet worden bekeken: %s", e->name, strerror(errno));
		goto out;
	}
	if (!same_file(&before, &e->read_st) || (rc == 0 && (uint64_t)e->read_st.st_size != e->size)) {
		/* still being written: what was read is no delivery yet */
		if (rc == 0 && !leased)
			unlink(copy);
		log_left(e, "\"het veranderde tijdens het lezen (wordt het nog geschreven?)\"");
		rc = 0;
		goto out;
	}
	if (rc == BR_EINPUT) {
		/* over the cap (it grew before it was opened): refused whole,
		 * as the file it is now */
		e->sha[0] = '\0';
		e->st = e->read_st;
		close(fd);
		fd = -1;
		return quarantine(in, e, &why, QA_CORRECT, err);
	}
	if (rc < 0) {
		*err = why;
		goto out;
	}
	if (leased) {
		/* /proc/self/fd/N opens this very file again, for each reader */
		n = snprintf(copy, sizeof(copy), "/proc/self/fd/%d", fd);
		e->fd = fd;
		fd = -1;
	} else {
		e->copy = strdup(copy);
	}
	if ((!leased && !e->copy) || n < 0 || (size_t)n >= sizeof(copy) || !(e->src = strdup(copy))) {
		entry_release(e);
		if (!leased)
			unlink(copy);
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
		goto out;
	}
	rc = 1;
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

/*
 * A run killed between removing an archived file from the inbox and
 * marking its ledger row left the row unmarked: the archive copy is there
 * and the inbox no longer holds those bytes.  Mark it (intake.h: every
 * file ends up ingested and archived).  The inbox file is looked at as the
 * pass does: a regular file only, never through a link.
 */
static int recover_archived(struct intake *in, struct br_error *err)
{
	sqlite3_stmt *q = NULL, *mark = NULL;
	int rc, step;

	if ((rc = store_prepare(in->st, &q, "SELECT sha256, bestandsnaam, archief FROM levering"
				" WHERE gearchiveerd = 0", err)) < 0 ||
	    (rc = store_prepare(in->st, &mark, "UPDATE levering SET gearchiveerd = 1 WHERE sha256 = ?1", err)) < 0)
		goto out;
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		char archive_file[FSUTIL_PATH_MAX], sha[SHA256_HEX_LEN + 1];
		const char *want = (const char *)sqlite3_column_text(q, 0);
		const char *name = (const char *)sqlite3_column_text(q, 1);
		struct stat st, fst;
		int still_there = 0, fd;

		if (fsutil_join(archive_file, sizeof(archive_file), in->o->home,
				(const char *)sqlite3_column_text(q, 2), err) < 0) {
			rc = BR_EINTERNAL;
			goto out;
		}
		if (name && !strchr(name, '/') && fstatat(in->inbox_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && (fd = inbox_open(in, name, &st, 0, &fst)) >= 0) {
			struct br_error ignored;
			br_error_clear(&ignored);
			still_there = fsutil_digest_fd(sha, NULL, fd, name, in->lim.max_bytes, &ignored) == 0 &&
				      strcmp(sha, want) == 0;
			close(fd);
		}
		if (still_there || !fsutil_exists(archive_file))
			continue; /* the normal pass finishes it */
		sqlite3_reset(mark);
		sqlite3_bind_text(mark, 1, want, -1, SQLITE_TRANSIENT);
		if ((rc = sqlite3_step(mark)) != SQLITE_DONE) {
			rc = store_fail(in->st, rc, "marking a delivery archived", err);
			goto out;
		}
		in->sum->recovered++;
	}
	rc = step == SQLITE_DONE ? 0 : store_fail(in->st, step, "reading the ledger", err);
out:
	sqlite3_finalize(q);
	sqlite3_finalize(mark);
	return rc;
}

/* Where quarantine/ and the private copies go; the inbox, open.  Copies a
 * killed run left are removed first. */
static int intake_dirs(struct intake *in, struct br_error *err)
{
	int rc;

	if ((rc = fsutil_join(in->qdir, sizeof(in->qdir), in->o->home, "quarantine", err)) < 0 ||
	    (rc = fsutil_mkdirs(in->qdir, 0700, err)) < 0 ||
	    (rc = fsutil_join(in->work, sizeof(in->work), in->o->home, "archive", err)) < 0 ||
	    (rc = fsutil_mkdirs(in->work, 0700, err)) < 0 || (rc = fsutil_clean_temp(in->work, err)) < 0)
		return rc;
	if ((in->inbox_fd = open(in->o->inbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return br_error_set(err, errno == ENOENT ? BR_ENOINPUT : BR_EIO,
				    "de inbox %s kan niet worden gelezen: %s", in->o->inbox, strerror(errno));
	return 0;
}

/*
 * Look at one entry: read it (read_entry), then, when it is new, sniff its
 * kind and header.  1 when it waits to be ingested, 0 when it was handled
 * (quarantined, a duplicate, left for the next pass), < 0 for a failure of
 * the machinery.
 */
static int look_at(struct intake *in, struct entry *e, struct br_error *err)
{
	struct br_error why;
	int rc;

	if ((rc = read_entry(in, e, err)) <= 0)
		return rc;
	if ((rc = check_known(in, e, err)) != 0) {
		entry_release(e);
		return rc < 0 ? rc : 0;
	}
	br_error_clear(&why);
	if (sniff(in, e, &why) < 0) {
		if (why.code == BR_EIO || why.code == BR_ENOMEM) {
			*err = why;
			return why.code;
		}
		if (!lease_held(e)) {
			log_left(e, "\"het veranderde tijdens het lezen\"");
			entry_release(e);
			return 0;
		}
		rc = quarantine(in, e, &why, QA_CORRECT, err);
		entry_release(e);
		return rc;
	}
	return 1;
}

int intake_run(struct intake_summary *out, struct store *st, const struct intake_opts *o,
	       struct br_error *err)
{
	struct intake in;
	struct entry *v = NULL, **todo = NULL;
	struct sigaction ignore, old_sigio;
	size_t n = 0, n_todo = 0, i;
	int rc = 0;

	memset(&ignore, 0, sizeof(ignore));
	ignore.sa_handler = SIG_IGN;
	sigemptyset(&ignore.sa_mask);
	memset(out, 0, sizeof(*out));
	memset(&in, 0, sizeof(in));
	in.st = st;
	in.o = o;
	in.sum = out;
	in.inbox_fd = -1;
	/* reading in place: /proc/self/fd reopens a leased descriptor; a
	 * broken lease is noticed by asking (lease_held), so the signal the
	 * kernel sends the holder (SIGIO, which would end the process) is
	 * ignored while the inbox is drained */
	in.in_place = access("/proc/self/fd", X_OK) == 0;
	sigaction(SIGIO, NULL, &old_sigio);
	sigaction(SIGIO, &ignore, NULL);
	xmlin_limits_default(&in.lim);
	in.lim.max_bytes = (uint64_t)o->cfg->max_bestand_mb * 1024 * 1024;
	in.lim.max_depth = o->cfg->max_diepte;
	in.lim.max_text = (size_t)o->cfg->max_tekst_kb * 1024;
	if ((rc = timestamp_now(&in.now_ts, err)) < 0)
		goto out;
	timestamp_format(in.now, in.now_ts);
	in.today = timestamp_day(in.now_ts);
	if ((rc = intake_dirs(&in, err)) < 0 || (rc = recover_archived(&in, err)) < 0 ||
	    (rc = list_inbox(&v, &n, &in, err)) < 0)
		goto out;
	if (n && !(todo = calloc(n, sizeof(*todo)))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((rc = look_at(&in, &v[i], err)) < 0)
			goto out;
		if (rc == 1)
			todo[n_todo++] = &v[i];
	}
	rc = 0;
	if (n_todo)
		qsort(todo, n_todo, sizeof(*todo), cmp_entries);
	for (i = 0; i < n_todo; i++) {
		rc = ingest_file(&in, todo[i], err);
		entry_release(todo[i]);
		if (rc < 0)
			goto out;
	}
out:
	for (i = 0; i < sizeof(in.schema) / sizeof(in.schema[0]); i++)
		xmlin_schema_free(in.schema[i]);
	free(todo);
	entries_free(v, n);
	if (in.inbox_fd >= 0)
		close(in.inbox_fd);
	sigaction(SIGIO, &old_sigio, NULL);
	return rc;
}

/*
 * error.h — the one error context of betaalrun (style.md "Errors").
 *
 * Every fallible function returns 0 on success or a negative `enum br_code`
 * and, when it fails, fills a caller-owned `struct br_error` with the code,
 * a message that says what is wrong first and then where, and (for input
 * problems) the input file and line.  The first error set wins: callers
 * propagate the code and never overwrite a message already set (libgit2);
 * on the way up a caller that knows more (the dossier, the file) adds it in
 * front with br_error_prefix.
 *
 * Messages are for the operator, in Dutch (issue 12): what is wrong, then
 * where, and what to do when that helps.  Identifiers, element names,
 * status codes and what a library says in its own words (libxml2,
 * OpenSSL, SQLite, zlib) are quoted as they are.  One exception: core/iban.c
 * words its checks in English, because those texts are stored as record
 * problems and translated where they are shown (writers/reden_nl.h).
 *
 * Each code maps to one sysexits(3) exit status (cli.md "Exit codes").
 */
#ifndef BR_ERROR_H
#define BR_ERROR_H

#include <stddef.h>

enum br_code {
	BR_OK = 0,
	BR_EUSAGE = -1,    /* 64: bad command line */
	BR_EINPUT = -2,    /* 65: input refused by a rule (quarantine, verify fails) */
	BR_ENOINPUT = -3,  /* 66: a file or record that should exist does not */
	BR_EINTERNAL = -4, /* 70: a bug or a library failure we cannot explain */
	BR_EIO = -5,       /* 74: reading or writing a file failed */
	BR_EBUSY = -6,     /* 75: the store is locked by another process */
	BR_EFOUREYES = -7, /* 77: approver = preparer */
	BR_ECONFIG = -8,   /* 78: bad configuration or rules file */
	BR_ENOMEM = -9     /* 70: out of memory */
};

#define BR_ERROR_MSG_MAX 512
#define BR_ERROR_FILE_MAX 256

struct br_error {
	enum br_code code;          /* BR_OK while nothing failed */
	char msg[BR_ERROR_MSG_MAX]; /* "what is wrong" first, NUL-terminated */
	char file[BR_ERROR_FILE_MAX]; /* input file the problem is in, or "" */
	long line;                  /* line in that file, 0 when unknown */
};

/* Reset to "no error". */
void br_error_clear(struct br_error *err);

/*
 * Record an error unless one is already recorded; returns `code` so that
 * callers can write `return br_error_set(err, BR_EINPUT, "...")`.
 * `err` may be NULL (the code is still returned).  Messages longer than
 * BR_ERROR_MSG_MAX are cut, never overflow.
 */
int br_error_set(struct br_error *err, enum br_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Put context in front of the recorded message: after
 * br_error_prefix(err, "dossier %s", nr) the message "no norm for 2026-11"
 * reads "dossier PW-1: no norm for 2026-11".  Does nothing when no error is
 * recorded or err is NULL; the code is kept and returned (so a caller can
 * write `return br_error_prefix(err, ...)` after a failed call), and the
 * message is cut at BR_ERROR_MSG_MAX, never overflows.
 */
int br_error_prefix(struct br_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Attach the input position (kept only if not set yet). */
void br_error_at(struct br_error *err, const char *file, long line);

/* The sysexits(3) status for a code (0 for BR_OK). */
int br_error_exit_status(enum br_code code);

#endif

/*
 * tty.h — the few questions betaalrun asks a person at a terminal: the
 * key's passphrase (typed without echo) and a yes/no confirmation.  Only
 * main.c and home.c ask; stages never talk to a terminal.
 *
 * The terminal is /dev/tty when it can be opened, else stdin when stdin is
 * a terminal; the question goes to the same device (or stderr), never to
 * stdout, so that what a command prints for scripts stays clean.
 * tty_present() says whether there is a person to ask: stdin is a
 * terminal.  A command run from a script, a pipe or cron never waits for
 * an answer nobody gives.
 */
#ifndef BR_TTY_H
#define BR_TTY_H

#include <stddef.h>

#include "error.h"

/* 1 when stdin is a terminal (someone can answer), else 0. */
int tty_present(void);

/*
 * Ask `prompt` and read one line with echo off into `out` (at most
 * cap - 1 bytes, NUL-terminated, the newline dropped); echo is restored
 * also when the read fails or is interrupted.  BR_EIO when there is no
 * terminal or reading fails, BR_ECONFIG when the line is longer than
 * cap - 1 bytes (nothing kept).  The caller wipes `out` after use.
 */
int tty_read_secret(char *out, size_t cap, const char *prompt, struct br_error *err);

/* Ask `prompt` and read one line: 1 for j/ja (any case), 0 for anything
 * else, end of input or no terminal (the default is no). */
int tty_confirm(const char *prompt);

#endif

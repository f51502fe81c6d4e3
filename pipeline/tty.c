/* tty.c — questions at a terminal.  Contract: tty.h. */
#include "tty.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include "banned.h"

#define TTY_LINE_MAX 256  /* a yes/no answer */

int tty_present(void)
{
	return isatty(STDIN_FILENO);
}

/* The terminal to talk to: /dev/tty (opened, *own = 1), else stdin when it
 * is a terminal; -1 when there is none. */
static int tty_open(int *own)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	*own = fd >= 0;
	if (fd >= 0)
		return fd;
	return isatty(STDIN_FILENO) ? STDIN_FILENO : -1;
}

static void tty_say(int fd, int own, const char *s)
{
	int out = own ? fd : STDERR_FILENO;
	size_t len = strlen(s);

	while (len > 0) {
		ssize_t n = write(out, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/*
 * One line from fd, a byte at a time (nothing after the newline is taken
 * from the terminal), into out.  Returns its length, -1 on a read error,
 * -2 when longer than cap - 1 (the rest of the line is consumed).  End of
 * input ends the line.
 */
static long tty_line(int fd, char *out, size_t cap)
{
	size_t len = 0;
	int too_long = 0;

	for (;;) {
		char c;
		ssize_t n = read(fd, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0 || c == '\n')
			break;
		if (len + 1 >= cap)
			too_long = 1;
		else
			out[len++] = c;
	}
	if (len > 0 && out[len - 1] == '\r')
		len--;
	out[len] = '\0';
	return too_long ? -2 : (long)len;
}

int tty_read_secret(char *out, size_t cap, const char *prompt, struct br_error *err)
{
	struct termios old, quiet;
	sigset_t block, saved;
	int own, fd, rc = 0, e = 0;
	long n;

	if (!out || cap == 0)
		return br_error_set(err, BR_EINTERNAL, "geen ruimte voor een wachtwoordzin");
	out[0] = '\0';
	if ((fd = tty_open(&own)) < 0)
		return br_error_set(err, BR_EIO, "geen terminal om de wachtwoordzin te vragen");
	if (tcgetattr(fd, &old) != 0) {
		e = errno;
		rc = br_error_set(err, BR_EIO, "de terminal kan niet worden ingesteld: %s", strerror(e));
		goto out;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	/* Ctrl-C or Ctrl-Z while echo is off would leave the terminal silent:
	 * those signals wait until echo is back. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTSTP);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &saved);
	/* echo off first, then the question: whatever is typed after the
	 * question is never shown */
	if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
		e = errno;
		rc = br_error_set(err, BR_EIO, "de terminal kan niet worden ingesteld: %s", strerror(e));
	} else {
		tty_say(fd, own, prompt);
		n = tty_line(fd, out, cap);
		e = errno;
		tcsetattr(fd, TCSAFLUSH, &old);
		tty_say(fd, own, "\n");
		if (n == -1)
			rc = br_error_set(err, BR_EIO, "de wachtwoordzin kan niet van de terminal worden gelezen: %s",
					  strerror(e));
		else if (n == -2)
			rc = br_error_set(err, BR_ECONFIG, "de wachtwoordzin is langer dan %zu bytes", cap - 1);
	}
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (rc < 0) {
		volatile char *p = out;
		size_t i;

		for (i = 0; i < cap; i++)
			p[i] = 0;
	}
out:
	if (own)
		close(fd);
	return rc;
}

int tty_confirm(const char *prompt)
{
	char line[TTY_LINE_MAX];
	int own, fd, yes = 0;

	if (!tty_present() || (fd = tty_open(&own)) < 0)
		return 0;
	tty_say(fd, own, prompt);
	if (tty_line(fd, line, sizeof(line)) >= 0)
		yes = strcasecmp(line, "j") == 0 || strcasecmp(line, "ja") == 0;
	if (own)
		close(fd);
	return yes;
}

/*
 * log.h — one line per event on stderr in logfmt (cli.md):
 *
 *   ts=2026-11-27T17:00:00Z level=info msg="file ingested" file=reg.xml records=2814
 *
 * ts is the time of the event in UTC (RFC 3339), from timestamp_now, so
 * that $BETAALRUN_NOW fixes it for tests ("unknown" if it is malformed).
 * Values containing spaces, '"' or '=', or anything log_escape() would
 * escape, are quoted with '"' and '\\' escaping.  Personal data is masked
 * at the last moment: every run of nine or more digits in the finished line
 * (a BSN, or anything that could hold one, whatever surrounds it) keeps
 * only its last four digits: "*****6782", "******1060".  Lines are capped
 * at LOG_LINE_MAX.
 *
 * The same escaping and masking make the "key: value" records an operator
 * reads beside a quarantined file (log_record_format): a value can never
 * start a line of its own, whatever bytes it holds.
 */
#ifndef BR_LOG_H
#define BR_LOG_H

#include <stddef.h>

#define LOG_LINE_MAX 2048

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Minimum level written (default LOG_INFO; $BETAALRUN_LOG=debug lowers it). */
void log_set_level(enum log_level level);

/*
 * Write one event.  `fields` is a printf format for the key=value part
 * after msg (may be NULL); use log_q() for values that may need quoting.
 *   log_event(LOG_INFO, "file ingested", "file=%s records=%d", log_q(b, sizeof b, name), n);
 * A control byte that still reaches the finished line (a value passed
 * without log_q) is written as '?': one event is always one line.
 */
void log_event(enum log_level level, const char *msg, const char *fields, ...)
	__attribute__((format(printf, 3, 4)));

/* Quote `value` for logfmt into buf if needed; returns buf. */
const char *log_q(char *buf, unsigned cap, const char *value);

/* Mask every run of nine or more digits in `s` in place, keeping its last
 * four digits (exposed for tests and for texts that leave the program
 * another way than a log line). */
void log_mask_digits(char *s);

/*
 * Text that is shown as it is: printable ASCII and valid UTF-8, without
 * control characters (C0, DEL, C1) or the invisible format and
 * bidirectional characters that make a text look other than it is
 * (U+061C, U+200B..U+200F, U+2028..U+202E, U+2060..U+206F, U+FEFF).
 * log_escape() writes everything else as escapes:
 *
 *   '\\' -> \\   newline -> \n   tab -> \t   CR -> \r
 *   any other byte that is not shown as it is -> \xNN (lower-case hex)
 *
 * so that the escaped text holds no control byte and decodes back to the
 * original bytes.  With `mask`, every run of nine or more digits is masked
 * first (log_mask_digits), and the decoded text is the masked one.
 *
 * Writes at most cap bytes including the NUL (cap 0: nothing), never half
 * an escape or half a character, and returns the length the whole escaped
 * text needs (without the NUL), as snprintf does.
 */
size_t log_escape(char *out, size_t cap, const char *s, int mask);

/* 1 when log_escape() would show every byte of `s` as it is, but for '\\'
 * (a plain text: no control, format or bidirectional character, valid
 * UTF-8). */
int log_is_plain(const char *s);

/* One line of a record: "key: value". */
struct log_field {
	const char *key;     /* [a-z0-9-]+, written as it is; ours, never input */
	const char *value;   /* any bytes up to the NUL, escaped; NULL is "-" */
	int mask;            /* mask digit runs in the value (log_escape) */
};

/*
 * Format `n` fields as "key: value\n" lines into out (cap bytes,
 * NUL-terminated), each value escaped by log_escape(): the result has
 * exactly n lines, each starting with its own key.  Returns the length, or
 * -1 when it does not fit (out is then "").
 */
int log_record_format(char *out, size_t cap, const struct log_field *fields, size_t n);

#endif

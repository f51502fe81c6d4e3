/*
 * log.h — one line per event on stderr in logfmt (cli.md):
 *
 *   level=info msg="file ingested" file=reg.xml records=2814
 *
 * Values containing spaces, '"' or '=' are quoted with '"' and '\\'
 * escaping.  Personal data is masked at the last moment: every run of
 * exactly nine digits in the finished line (a BSN, or anything that could
 * be one) is replaced by "*****" and its last four digits, so that no BSN
 * reaches a log even by mistake.  Lines are capped at LOG_LINE_MAX.
 */
#ifndef BR_LOG_H
#define BR_LOG_H

#define LOG_LINE_MAX 2048

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Minimum level written (default LOG_INFO; $BETAALRUN_LOG=debug lowers it). */
void log_set_level(enum log_level level);

/*
 * Write one event.  `fields` is a printf format for the key=value part
 * after msg (may be NULL); use log_q() for values that may need quoting.
 *   log_event(LOG_INFO, "file ingested", "file=%s records=%d", log_q(b, sizeof b, name), n);
 */
void log_event(enum log_level level, const char *msg, const char *fields, ...)
	__attribute__((format(printf, 3, 4)));

/* Quote `value` for logfmt into buf if needed; returns buf. */
const char *log_q(char *buf, unsigned cap, const char *value);

/* Mask every run of exactly 9 digits in `s` in place (exposed for tests). */
void log_mask_digits(char *s);

#endif

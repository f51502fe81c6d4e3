/*
 * reden_nl.h — the reasons a report shows, in Dutch.
 *
 * A blocked payment's reason (and a REGISTER job's text on the worklist,
 * "register data blocks payment: " and the problem) is the register's
 * record problem as the
 * store keeps it (pipeline/snapshot.c, snapshot_record_problems, whose
 * account checks quote core/iban.c's messages): English, several problems
 * joined by "; ".  The store keeps the English text on purpose (REGISTER
 * jobs are keyed by it), so whatever shows it to a person (the report,
 * the worklist, jobs show, the dossier view) translates on the way out: each part is matched against the templates
 * below, '*' standing for any text, which is itself translated again (so
 * "account: IBAN … fails the mod-97 check" becomes "rekening: IBAN …
 * voldoet niet aan de mod-97-controle").  A part no template matches is
 * kept as it is: the Dutch reasons of payrun.c and the bank's reason texts
 * pass through unchanged.
 *
 * The templates must follow the English texts where they are made; the
 * unit test test_reden_nl checks every template against a text quoted
 * from those sources.
 */
#ifndef BR_REDEN_NL_H
#define BR_REDEN_NL_H

#include <stddef.h>

/* `in` in Dutch into out[cap] (always terminated, cut at cap - 1 bytes
 * on a UTF-8 boundary).  Returns out. */
char *reden_nl(char *out, size_t cap, const char *in);

#endif

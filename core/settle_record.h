/*
 * settle_record.h — one settlement as a compact record: what the engine
 * was given and what it returned, in bytes, and back (rules.md §5: "every
 * step is recorded per dossier and month with its inputs — the income
 * record ids, the rules set, the vrijlating and why — so that any amount
 * can be explained line by line").
 *
 * The payment run stores one record per dossier and run instead of the
 * rendered specification text: the specification is rendered from the
 * decoded record on demand, byte-identical to the text of the run's
 * bundle, because the writer gets the very values it got then.  The rules
 * set of each month is stored as its index in the rules file the run used
 * (the run keeps that file's SHA-256, the store keeps its bytes), never as
 * a copy.
 *
 * Encoding (version 3; all integers LEB128 varints, signed ones zigzagged):
 *
 *   version       3 (2 and 1 are still read: version 2 writes an absent
 *                 date as it is, in five bytes; version 1 has no month
 *                 ranges either)
 *   run month, the settings (7 values)
 *   facts         count, then each as a string: the caller's own texts
 *                 (dossier number, name, ...), opaque here
 *   input         scalars, then each array as count + elements
 *   result        scalars, derden_skipped as a bit set, then each array;
 *                 after the months, the ranges of months kept by number
 *   string        0 = NULL, else 1 + length, then the bytes
 *
 * A month settled without a difference (no difference, no VT difference,
 * nothing booked, no event, not the run month) is what the specification
 * only names; the record keeps its number only, in a list of ranges, and
 * of the input only what the kept months use: their income records and
 * ledger entries.  Decoded, such a month is all zeros but its number and
 * its days.  So
 * the record does not grow with the months of history, and the
 * specification rendered from it is the one rendered from the engine's
 * structs (property P9 in test_settle_props).
 *
 * An element of an array is a vector of integers (one per field); it is
 * written as a bit set of the fields that differ from the element before
 * it (the first is compared with all zeros) and then those fields, an
 * absent date (DATE_NONE) written as -1 and the negative values above it
 * one lower (version 3).  Most months of a long history repeat the month
 * before except the month itself, so a settled month costs a few bytes.
 *
 * Decoding checks everything it reads: lengths within the record, counts
 * within the engine's limits, every index (income, grant, claim, derde,
 * rules set, month lines) in range.  A record that fails is BR_EINPUT
 * ("vastlegging beschadigd: ..."); nothing is half-decoded.
 *
 * Memory: settle_record_encode appends to a caller-owned growable buffer
 * (reused across dossiers).  A decoded record owns everything its input,
 * result and facts point to, except the rules sets, which are borrowed
 * from the `rules` given to settle_record_decode; settle_record_free
 * releases it.
 */
#ifndef BR_SETTLE_RECORD_H
#define BR_SETTLE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "rules.h"
#include "settle.h"

#define SETTLE_RECORD_VERSION 3
#define SETTLE_RECORD_FACTS_MAX 128
#define SETTLE_RECORD_STANDS_MAX 4096
#define SETTLE_RECORD_ARRAY_MAX 100000   /* any other array */

/* A growable byte buffer; the caller owns `p` (free()). */
struct settle_record_buf {
	unsigned char *p;
	size_t len, cap;
};

/* The caller's texts, stored beside the numbers (NULL entries allowed). */
struct settle_record_facts {
	const char *s[SETTLE_RECORD_FACTS_MAX];
	size_t n;
};

/*
 * Replace the buffer's contents with the record of one settlement: the
 * settings, the input and the result of settle_dossier(res, in, rules,
 * set, res->run_month), and the facts.  BR_EINTERNAL when a month's rules
 * set is not one of `rules`' sets or an array is past the limits above;
 * BR_ENOMEM.
 */
int settle_record_encode(struct settle_record_buf *b, const struct settle_settings *set,
			 const struct settle_input *in, const struct settle_result *res,
			 const struct settle_record_facts *facts, const struct rules *rules,
			 struct br_error *err);

/* A decoded record.  `in` and `res` are what the engine was given and
 * returned; `facts` the caller's texts. */
struct settle_record {
	struct settle_settings set;
	struct settle_input in;
	struct settle_result res;
	struct settle_record_facts facts;
	/* owned storage behind the pointers above */
	struct settle_stand *stands;
	struct settle_income *incomes;
	struct settle_paid *paid;
	struct settle_gap *gaps;
	struct settle_claim *claims;
	struct settle_derde *derden;
	struct settle_buffer_grant *buffer_grants;
	char *strings;
};

/* Decode `len` bytes made by settle_record_encode with the same rules
 * file.  `out` is caller-owned; release with settle_record_free (also
 * after a failure). */
int settle_record_decode(struct settle_record *out, const void *data, size_t len,
			 const struct rules *rules, struct br_error *err);

void settle_record_free(struct settle_record *r);

#endif

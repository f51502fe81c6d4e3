/*
 * dossierindex.h — the store's dossiers as a register snapshot compares
 * against them (snapshot.c, formats.md §1), read into memory once.
 *
 * A monthly register names every dossier, and nearly all of them are what
 * the store already has.  Finding each one with its latest stand took four
 * B-tree descents per dossier, about 1.5 s of CPU for a national register
 * (issue 13); the index reads the same facts in two sequential scans
 * (dossier, then stand) and answers each lookup from a hash table.  It
 * also answers what the snapshot's end needs without a scan of its own:
 * which dossiers were active on the peildatum and which of them the
 * snapshot did not name.
 *
 * The index is a picture taken at load: the snapshot writes to the store
 * afterwards without updating it, which is sound because it uses each
 * entry once (a Dossiernummer named twice is refused at its second
 * mention, `seen`).
 *
 * Memory: about 100 bytes per dossier (50 MB for 500,000).  Ownership:
 * the caller owns the index (dossierindex_free); entries and their text
 * belong to it.  One thread at a time.
 */
#ifndef BR_DOSSIERINDEX_H
#define BR_DOSSIERINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "error.h"
#include "store.h"

#define DOSSIERINDEX_HASH_MAX 32   /* a stand's hash: SHA-256 */
#define DOSSIERINDEX_ROW_MAX 1024  /* an encoded row (dossierindex_row_key): 4 x 255 */

struct dossierindex_entry {
	sqlite3_int64 id;          /* the dossier */
	sqlite3_int64 stand;       /* its latest stand (by vanaf), 0 when none */
	uint32_t text;             /* arena offset: the nummer, NUL, the row key */
	uint16_t row_len;          /* the row key's length; 0: too long to keep */
	unsigned char hash_len;    /* the latest stand's hash, 0 when none */
	unsigned char hash[DOSSIERINDEX_HASH_MAX];
	char vanaf[DATE_FMT_MAX];  /* the latest stand's vanaf, "" when none */
	unsigned char ended_by;    /* beeindigd_door is set: ended by absence */
	unsigned char active;      /* no Einddatum before the peildatum */
	unsigned char to_end;      /* no Einddatum on or before the peildatum */
	unsigned char seen;        /* named by the snapshot (the caller's flag) */
};

struct dossierindex;

/*
 * Read every dossier of the store with its latest stand.  `peil` is the
 * snapshot's peildatum ("YYYY-MM-DD"): `active` and `to_end` are judged
 * against it exactly as the store's text comparison does.  0, or < 0
 * with err set (BR_ENOMEM, a store error).
 */
int dossierindex_load(struct dossierindex **out, struct store *st, const char *peil, struct br_error *err);

/* The entry of Dossiernummer `nummer`, NULL when the store has none. */
struct dossierindex_entry *dossierindex_find(struct dossierindex *ix, const char *nummer);

/* Entries 0 .. dossierindex_count() - 1, in dossier id order. */
size_t dossierindex_count(const struct dossierindex *ix);
struct dossierindex_entry *dossierindex_at(struct dossierindex *ix, size_t i);

/* The number of entries with `active` set. */
long dossierindex_active(const struct dossierindex *ix);

/*
 * Encode a dossier row's compared values (formats.md §1: regeling,
 * gemeente, Ingangsdatum, Einddatum; NULL for a date that is absent) into
 * buf[DOSSIERINDEX_ROW_MAX]: each value as its length byte (255 for NULL)
 * and its bytes, so no two different rows encode alike.  Its length, or 0
 * when a value is longer than 254 bytes (then nothing compares equal and
 * the row is written).
 */
size_t dossierindex_row_key(unsigned char *buf, const char *regeling, const char *gemeente,
			    const char *ingang, const char *einde);

/* 1 when the entry's row key is `key` (of length `len` > 0). */
int dossierindex_row_is(const struct dossierindex *ix, const struct dossierindex_entry *e,
			const unsigned char *key, size_t len);

void dossierindex_free(struct dossierindex *ix);

#endif

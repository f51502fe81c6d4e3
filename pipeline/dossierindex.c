/* dossierindex.c — see dossierindex.h. */
#include "dossierindex.h"

#include <stdlib.h>
#include <string.h>

#include "mem.h"

#include "banned.h"

struct dossierindex {
	struct dossierindex_entry *e;  /* by dossier id, ascending */
	size_t n, cap;
	char *arena;                   /* nummers and row keys */
	size_t used, arena_cap;
	uint32_t *slot;                /* open addressing: entry index + 1, 0 = empty */
	size_t n_slots;                /* a power of two, at least twice n */
	size_t next;                   /* the entry after the last one found */
	long active;
};

static uint64_t key_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a, 64 bits */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

size_t dossierindex_row_key(unsigned char *buf, const char *regeling, const char *gemeente,
			    const char *ingang, const char *einde)
{
	const char *v[4] = { regeling, gemeente, ingang, einde };
	size_t n = 0, len;
	int i;

	for (i = 0; i < 4; i++) {
		if (!v[i]) {
			buf[n++] = 255;
			continue;
		}
		if ((len = strlen(v[i])) > 254)
			return 0;
		buf[n++] = (unsigned char)len;
		memcpy(buf + n, v[i], len);
		n += len;
	}
	return n;
}

int dossierindex_row_is(const struct dossierindex *ix, const struct dossierindex_entry *e,
			const unsigned char *key, size_t len)
{
	const char *nummer = ix->arena + e->text;

	return e->row_len && len == e->row_len && memcmp(nummer + strlen(nummer) + 1, key, len) == 0;
}

/* Append the nummer and the row key of the current row of `cur` (the
 * dossier scan of dossierindex_load) as a new entry. */
static int add_entry(struct dossierindex *ix, sqlite3_stmt *cur, struct br_error *err)
{
	const char *nummer = store_col(cur, 1);
	unsigned char key[DOSSIERINDEX_ROW_MAX];
	size_t klen = dossierindex_row_key(key, (const char *)sqlite3_column_text(cur, 2),
					   (const char *)sqlite3_column_text(cur, 3),
					   (const char *)sqlite3_column_text(cur, 4),
					   (const char *)sqlite3_column_text(cur, 5));
	size_t nlen = strlen(nummer) + 1;
	struct dossierindex_entry *e;

	if (ix->used + nlen + klen > UINT32_MAX)
		return br_error_set(err, BR_EINTERNAL, "te veel dossiers om met een registerstand te vergelijken");
	if (mem_grow((void **)&ix->e, &ix->cap, ix->n + 1, sizeof(*ix->e)) < 0 ||
	    mem_grow((void **)&ix->arena, &ix->arena_cap, ix->used + nlen + klen, 1) < 0)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen voor de dossiers van de store");
	e = &ix->e[ix->n++];
	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(cur, 0);
	e->text = (uint32_t)ix->used;
	e->row_len = (uint16_t)klen;
	e->ended_by = (unsigned char)sqlite3_column_int(cur, 6);
	e->active = (unsigned char)sqlite3_column_int(cur, 7);
	e->to_end = (unsigned char)sqlite3_column_int(cur, 8);
	ix->active += e->active;
	memcpy(ix->arena + ix->used, nummer, nlen);
	memcpy(ix->arena + ix->used + nlen, key, klen);
	ix->used += nlen + klen;
	return 0;
}

static int build_table(struct dossierindex *ix, struct br_error *err)
{
	size_t i, mask;

	ix->n_slots = 16;
	while (ix->n_slots < 2 * ix->n)
		ix->n_slots *= 2;
	if (!(ix->slot = calloc(ix->n_slots, sizeof(*ix->slot))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen voor de dossiers van de store");
	mask = ix->n_slots - 1;
	for (i = 0; i < ix->n; i++) {
		size_t h = (size_t)key_hash(ix->arena + ix->e[i].text) & mask;

		while (ix->slot[h])
			h = (h + 1) & mask;
		ix->slot[h] = (uint32_t)(i + 1);
	}
	return 0;
}

/* The entry of dossier `id`; *hint is where the last one was: stands are
 * read in the order they were written, mostly that of their dossiers, so
 * the same entry or the next is tried before a binary search. */
static int cmp_entry_id(const void *key, const void *elem)
{
	sqlite3_int64 k = *(const sqlite3_int64 *)key, id = ((const struct dossierindex_entry *)elem)->id;

	return (k > id) - (k < id);
}

static struct dossierindex_entry *by_id(struct dossierindex *ix, sqlite3_int64 id, size_t *hint)
{
	struct dossierindex_entry *e;

	if (*hint < ix->n && ix->e[*hint].id == id)
		return &ix->e[*hint];
	if (*hint + 1 < ix->n && ix->e[*hint + 1].id == id)
		return &ix->e[++*hint];
	/* ids are unique and ascending (the scan's ORDER BY id) */
	if (!ix->n || !(e = bsearch(&id, ix->e, ix->n, sizeof(*ix->e), cmp_entry_id)))
		return NULL;
	*hint = (size_t)(e - ix->e);
	return e;
}

/* The latest stand of each dossier: the one with the greatest vanaf (text
 * order, as the store's ORDER BY vanaf; UNIQUE (dossier, vanaf)). */
static int read_stands(struct dossierindex *ix, sqlite3_stmt *cur)
{
	size_t hint = 0;
	int rc;

	while ((rc = sqlite3_step(cur)) == SQLITE_ROW) {
		struct dossierindex_entry *e = by_id(ix, sqlite3_column_int64(cur, 0), &hint);
		const char *vanaf = store_col(cur, 2);
		int hlen = sqlite3_column_bytes(cur, 3);

		if (!e || strlen(vanaf) >= sizeof(e->vanaf) || strcmp(vanaf, e->vanaf) <= 0)
			continue;
		e->stand = sqlite3_column_int64(cur, 1);
		memcpy(e->vanaf, vanaf, strlen(vanaf) + 1);
		/* a hash of another length never compares equal: the stand is
		 * written again, as the store's own comparison did */
		e->hash_len = hlen > 0 && hlen <= DOSSIERINDEX_HASH_MAX ? (unsigned char)hlen : 0;
		if (e->hash_len)
			memcpy(e->hash, sqlite3_column_blob(cur, 3), e->hash_len);
	}
	return rc;
}

int dossierindex_load(struct dossierindex **out, struct store *st, const char *peil, struct br_error *err)
{
	struct dossierindex *ix;
	sqlite3_stmt *cur = NULL;
	int rc;

	*out = NULL;
	if (!(ix = calloc(1, sizeof(*ix))))
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen");
	/* formats.md §1: active on the peildatum is no Einddatum before it */
	if ((rc = store_prepare(st, &cur, "SELECT id, nummer, regeling, gemeente, ingangsdatum, einddatum,"
				" beeindigd_door IS NOT NULL, einddatum IS NULL OR einddatum >= ?1,"
				" einddatum IS NULL OR einddatum > ?1 FROM dossier ORDER BY id", err)) < 0)
		goto out;
	sqlite3_bind_text(cur, 1, peil, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(cur)) == SQLITE_ROW)
		if ((rc = add_entry(ix, cur, err)) < 0)
			goto out;
	if (rc != SQLITE_DONE) {
		rc = store_fail(st, rc, "reading the dossiers", err);
		goto out;
	}
	sqlite3_finalize(cur);
	cur = NULL;
	if ((rc = build_table(ix, err)) < 0)
		goto out;
	if ((rc = store_prepare(st, &cur, "SELECT dossier, id, vanaf, hash FROM stand", err)) < 0)
		goto out;
	if ((rc = read_stands(ix, cur)) != SQLITE_DONE) {
		rc = store_fail(st, rc, "reading the latest stands", err);
		goto out;
	}
	rc = 0;
	*out = ix;
	ix = NULL;
out:
	sqlite3_finalize(cur);
	dossierindex_free(ix);
	return rc;
}

/* A register lists its dossiers in much the same order each month, and
 * the store numbered them in the order it first met them: the entry after
 * the last one found is tried before the hash table, which saves a cache
 * miss or three per dossier. */
struct dossierindex_entry *dossierindex_find(struct dossierindex *ix, const char *nummer)
{
	size_t mask, h;

	if (ix->next < ix->n && strcmp(ix->arena + ix->e[ix->next].text, nummer) == 0)
		return &ix->e[ix->next++];
	if (!ix->n_slots)
		return NULL;
	mask = ix->n_slots - 1;
	for (h = (size_t)key_hash(nummer) & mask; ix->slot[h]; h = (h + 1) & mask) {
		size_t i = ix->slot[h] - 1;

		if (strcmp(ix->arena + ix->e[i].text, nummer) == 0) {
			ix->next = i + 1;
			return &ix->e[i];
		}
	}
	return NULL;
}

size_t dossierindex_count(const struct dossierindex *ix)
{
	return ix->n;
}

struct dossierindex_entry *dossierindex_at(struct dossierindex *ix, size_t i)
{
	return &ix->e[i];
}

long dossierindex_active(const struct dossierindex *ix)
{
	return ix->active;
}

void dossierindex_free(struct dossierindex *ix)
{
	if (!ix)
		return;
	free(ix->e);
	free(ix->slot);
	free(ix->arena);
	free(ix);
}

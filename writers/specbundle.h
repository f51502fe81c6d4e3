/*
 * specbundle.h — a run's specifications as a handful of files (issue 13).
 *
 * A run folder used to hold one file per dossier (specificaties/NR.txt),
 * each written with two fsyncs: at national scale half a million files
 * and most of the run's time.  Instead the run folder holds
 *
 *   specificaties-GGGG.txt.gz   one per municipality (GGGG its CBS code):
 *                               the specification texts of its dossiers,
 *                               in the order they were added (the run's
 *                               dossier order), one after the other, as
 *                               one gzip stream (RFC 1952: no file name,
 *                               mtime 0, OS 3, deflate level 1), so
 *                               `zcat` gives the plain concatenation;
 *   specificaties.idx           the index: a first line
 *                               "# betaalrun specificaties 1", then one
 *                               line per specification, in the order they
 *                               were added:
 *                                 KEY TAB GGGG TAB OFFSET TAB LENGTH LF
 *                               KEY the dossier number (or, when that
 *                               holds a BSN-like run of nine digits,
 *                               "dossier-ID"), OFFSET and LENGTH the bytes
 *                               of its text in the *uncompressed* stream
 *                               of specificaties-GGGG.txt.gz.
 *
 * Why one stream per municipality and an index, not one gzip member per
 * dossier: the texts repeat the same sentences, and one stream makes them
 * about five times smaller than 2 KB members do (measured on brgen's
 * dossiers: 200 texts, 228 KB as members, 49 KB as one stream); a reader that wants
 * one dossier's text asks the store (`betaalrun specificatie`), so the
 * bundle need not be seekable — it is the archive and the mailing batch,
 * and the index lets anyone cut a text out of `zcat` with `tail -c`/`head -c`.
 * The same texts in the same order give the same bytes (reproducible).
 *
 * Durability: every file is written under a temporary name
 * (".NAME.tmp"), fsync'ed once and renamed when the bundle is finished,
 * then the folder is fsync'ed once — not per specification.
 *
 * Memory: one deflate state (about 300 KB) per municipality seen; the
 * caller's texts are copied into the stream, nothing else is kept.
 * The struct is owned by the caller: specbundle_free.
 */
#ifndef BR_SPECBUNDLE_H
#define BR_SPECBUNDLE_H

#include <stddef.h>

#include "error.h"

#define SPECBUNDLE_INDEX_NAME "specificaties.idx"
#define SPECBUNDLE_INDEX_HEADER "# betaalrun specificaties 1\n"
/* Longest file name specbundle makes (without the folder). */
#define SPECBUNDLE_NAME_MAX 40
/* Most municipalities in one run (a run folder stays a handful of files). */
#define SPECBUNDLE_MAX_GEMEENTEN 64

struct specbundle;

/* Start the bundles of a run in `folder` (which exists).  *out is freed
 * with specbundle_free. */
int specbundle_open(struct specbundle **out, const char *folder, struct br_error *err);

/*
 * Append one specification: `text` (`len` bytes) to municipality
 * `gemeente`'s bundle (four digits, the register's CBS code) under `key`
 * (no tab or line break; at most 63 bytes).  BR_EINPUT for a gemeente
 * or key that cannot be a file name or an index field, BR_EINTERNAL over
 * SPECBUNDLE_MAX_GEMEENTEN, BR_EIO when writing fails.
 */
int specbundle_add(struct specbundle *b, const char *gemeente, const char *key, const char *text,
		   size_t len, struct br_error *err);

/*
 * Finish every stream, sync each file once, rename them into place and
 * sync the folder once.  Then `names` (borrowed, valid until
 * specbundle_free) lists the files made, the bundles in order of their
 * municipality code and the index last; *n_names their number.
 */
int specbundle_finish(struct specbundle *b, const char *const **names, size_t *n_names, struct br_error *err);

/* Free it; an unfinished bundle's temporary files are removed.  NULL-safe. */
void specbundle_free(struct specbundle *b);

#endif

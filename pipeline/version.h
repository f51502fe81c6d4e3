/*
 * version.h — what `betaalrun --version` and `betaalrun version` print:
 * the program's version (the VERSION file at the top of the tree, compiled
 * in by the Makefile as BR_VERSION) and the versions of the libraries the
 * running process actually loaded, asked of each library at run time (not
 * the headers it was compiled against), so that a support question can be
 * answered from one paste.
 *
 * Output, one `name version` per line, the program first:
 *
 *   betaalrun 1.0.0
 *   libxml2 2.9.14
 *   OpenSSL 3.0.19
 *   SQLite 3.40.1
 *   zlib 1.2.13
 *
 * Each library version is in the form its pkg-config module reports
 * (libxml2's xmlParserVersion "20914" is written 2.9.14).
 */
#ifndef BR_VERSION_H
#define BR_VERSION_H

#include <stdio.h>

/* The program's version, e.g. "1.0.0" (static storage). */
const char *version_program(void);

/*
 * Write libxml2's run-time version ("20914") as "2.9.14" into out
 * (`cap` bytes, at least 16).  Returns out; "unknown" when the library
 * reports something that is not digits.
 */
const char *version_libxml2(char *out, size_t cap);

/* Print the lines above to `f`; 0, or -1 when writing failed. */
int version_print(FILE *f);

#endif

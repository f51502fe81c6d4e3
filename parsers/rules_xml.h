/*
 * rules_xml.h — loads the rules file (rules.md "All parameters live in a
 * rules file") into the domain types of core/rules.h.  Shipped as
 * data/rules/regels.xml, validated against data/schemas/regels.xsd,
 * loaded once at start.
 *
 * A malformed or incomplete file is BR_ECONFIG (exit 78) naming the file,
 * line and what is missing — never a silent default.  Every set must be
 * complete (all nine norms, all seven vrijlating codes, the VT rate, the
 * AOW age table, the kostendelers constants); sets are sorted
 * by geldig_vanaf and must be distinct.
 */
#ifndef BR_RULES_XML_H
#define BR_RULES_XML_H

#include "error.h"
#include "rules.h"

/* Load, validate and check completeness.  `out` is caller-owned; release
 * with rules_release (also after a failure).  out->sha256 is the digest of
 * the bytes that were parsed. */
int rules_load(struct rules *out, const char *path, const char *xsd_path, struct br_error *err);

/* The same from bytes in memory (a rules file the store kept by its
 * SHA-256, to explain an old run); `label` names them in messages and
 * becomes out->path.  The bytes are copied. */
int rules_load_memory(struct rules *out, const void *data, size_t len, const char *label,
		      const char *xsd_path, struct br_error *err);

#endif

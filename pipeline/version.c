/* version.c — the program's and its libraries' versions; see version.h. */
#include "version.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <zlib.h>

#include "banned.h"

#ifndef BR_VERSION
#error "BR_VERSION is set by the Makefile from the VERSION file"
#endif

const char *version_program(void)
{
	return BR_VERSION;
}

/*
 * libxml2 encodes its version as MAJOR * 10000 + MINOR * 100 + PATCH in
 * decimal text (xmlversion.h: LIBXML_VERSION_STRING "20914" is 2.9.14).
 */
const char *version_libxml2(char *out, size_t cap)
{
	const char *s = xmlParserVersion;
	char *end = NULL;
	long v;

	if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9) {
		snprintf(out, cap, "onbekend");
		return out;
	}
	v = strtol(s, &end, 10);
	snprintf(out, cap, "%ld.%ld.%ld", v / 10000, v / 100 % 100, v % 100);
	return out;
}

int version_print(FILE *f)
{
	char xml[32];

	fprintf(f, "betaalrun %s\n", version_program());
	fprintf(f, "libxml2 %s\n", version_libxml2(xml, sizeof(xml)));
	/* OpenSSL 3: OPENSSL_VERSION_STRING is the bare "3.0.19". */
	fprintf(f, "OpenSSL %s\n", OpenSSL_version(OPENSSL_VERSION_STRING));
	fprintf(f, "SQLite %s\n", sqlite3_libversion());
	fprintf(f, "zlib %s\n", zlibVersion());
	return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

/*
 * fuzz_config.c — libFuzzer target for the settings file parser
 * (pipeline/config.h).
 *
 * config_load takes a path, so each input is written to a private
 * temporary file first.  It is loaded over the defaults and the contract
 * of config.h checked:
 *  - success: no error recorded; every number within the range config.h
 *    documents, every text field NUL-terminated inside its array, every
 *    choice one of its words; loading the same file again over the result
 *    changes nothing (each key it sets is set to the same value);
 *  - failure: BR_ECONFIG (or BR_ENOMEM) recorded with a non-empty message
 *    that names the file, and the configuration left exactly as it was
 *    (config_load parses into a copy).
 *
 *   make fuzz && build/fuzz/fuzz_config -max_total_time=60 /tmp/fz tests/fuzz/corpus/fuzz_config
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "error.h"

#include "banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmp_path[64];

static void contract(int ok, const char *what, const struct br_error *err)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_config: contract violated: %s (code %d, msg \"%s\", line %ld)\n", what,
		err ? (int)err->code : 0, err ? err->msg : "", err ? err->line : 0L);
	abort();
}

/* A char array field: NUL-terminated within its size. */
#define TERMINATED(f) (memchr((f), 0, sizeof(f)) != NULL)

static int is_word(const char *v, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(v, *words) == 0)
			return 1;
	return 0;
}

static void check(const struct config *c, const struct br_error *err)
{
	static const char *const pain[] = { "001.001.09", "001.001.03", NULL };
	static const char *const doel[] = { "RENT", "HLTI", "OTHR", NULL };
	static const char *const toer[] = { "einddatum", "dagen", NULL };
	static const char *const vt[] = { "inkomen", NULL };
	static const char *const buf[] = { "uit", "voorstel", "automatisch", NULL };
	size_t len;

	contract(TERMINATED(c->debiteur_naam) && TERMINATED(c->debiteur_iban) && TERMINATED(c->debiteur_bic) &&
			 TERMINATED(c->pain_versie) && TERMINATED(c->doel_derden) && TERMINATED(c->categorie) &&
			 TERMINATED(c->toerekening) && TERMINATED(c->vt_verrekening) &&
			 TERMINATED(c->bufferbudget) && TERMINATED(c->vertrouwen) && TERMINATED(c->regels_map),
		 "text field not terminated", err);
	contract(c->debiteur_naam[0] != '\0', "empty debtor name", err);
	len = strlen(c->debiteur_bic);
	contract(len == 0 || len == 8 || len == 11, "BIC length", err);
	len = strlen(c->categorie);
	contract(len == 0 || len == 4, "categorie length", err);
	contract(c->vertrouwen[0] != '\0', "empty trust path", err);
	contract(c->uitbetaaldag >= 1 && c->uitbetaaldag <= 28, "uitbetaaldag out of range", err);
	contract(c->max_per_batch >= 1 && c->max_per_batch <= 1000000, "max_per_batch out of range", err);
	contract(c->vt_uitbetaalmaand >= 1 && c->vt_uitbetaalmaand <= 12, "vt_uitbetaalmaand out of range", err);
	contract(c->verrekentermijn_maanden >= 0 && c->verrekentermijn_maanden <= 60, "verrekentermijn", err);
	contract(c->beslagvrije_voet_pct >= 0 && c->beslagvrije_voet_pct <= 100, "beslagvrije_voet_pct", err);
	contract(c->register_krimp_max_pct >= 0 && c->register_krimp_max_pct <= 100, "krimp pct", err);
	contract(c->bufferbudget_ondergrens_pct >= 0 && c->bufferbudget_ondergrens_pct <= 100, "ondergrens", err);
	contract(c->max_bestand_mb >= 1 && c->max_bestand_mb <= 65536, "max_bestand_mb", err);
	contract(c->max_diepte >= 8 && c->max_diepte <= 256, "max_diepte", err);
	contract(c->max_tekst_kb >= 1 && c->max_tekst_kb <= 65536, "max_tekst_kb", err);
	contract(c->afschrijving_dagen >= 0 && c->afschrijving_dagen <= 30, "afschrijving_dagen", err);
	contract(c->startmaand >= -1, "startmaand", err);
	contract(is_word(c->pain_versie, pain) && is_word(c->doel_derden, doel) && is_word(c->toerekening, toer) &&
			 is_word(c->vt_verrekening, vt) && is_word(c->bufferbudget, buf),
		 "choice outside its words", err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg, before, again;
	struct br_error err;
	FILE *f;
	int rc;

	if (!tmp_path[0])
		snprintf(tmp_path, sizeof(tmp_path), "/tmp/fuzz_config.%ld.conf", (long)getpid());
	if (size > (1 << 20) || !(f = fopen(tmp_path, "wb")))
		return 0;
	if (fwrite(data, 1, size, f) != size) {
		fclose(f);
		return 0;
	}
	fclose(f);

	config_init(&cfg);
	before = cfg;
	br_error_clear(&err);
	rc = config_load(&cfg, tmp_path, &err);
	if (rc == 0) {
		contract(err.code == BR_OK, "0 returned with an error recorded", &err);
		check(&cfg, &err);
		again = cfg;
		contract(config_load(&again, tmp_path, &err) == 0, "second load failed", &err);
		contract(memcmp(&again, &cfg, sizeof(cfg)) == 0, "loading twice is not idempotent", &err);
	} else {
		contract(rc < 0, "positive return code", &err);
		contract(rc == BR_ECONFIG || rc == BR_ENOMEM, "not a configuration error", &err);
		contract((int)err.code == rc, "returned code differs from the recorded one", &err);
		contract(memchr(err.msg, 0, sizeof(err.msg)) != NULL && err.msg[0] != '\0', "empty message", &err);
		contract(rc != BR_ECONFIG || strstr(err.msg, tmp_path) != NULL, "message does not name the file", &err);
		contract(rc != BR_ECONFIG || strcmp(err.file, tmp_path) == 0, "error without the file", &err);
		contract(memcmp(&cfg, &before, sizeof(cfg)) == 0, "a refused file changed the configuration", &err);
	}
	unlink(tmp_path);
	return 0;
}

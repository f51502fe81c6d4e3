/*
 * config.h — betaalrun.conf, the INI settings file of cli.md.
 *
 * Format: `[section]` lines, `key = value` lines, comments from ';' or '#'
 * to the end of a line (also after a value), blank lines ignored, UTF-8.
 * Keys are known in advance: an unknown section or key, a line that is
 * neither, or a value out of range is a configuration error (exit 78) that
 * names the file, line and problem — never a silent default.  Keys not in
 * the file take the defaults of cli.md / rules.md §6.
 */
#ifndef BR_CONFIG_H
#define BR_CONFIG_H

#include <stdint.h>

#include "error.h"

#define CONFIG_STR_MAX 256

struct config {
	/* [debiteur] */
	char debiteur_naam[CONFIG_STR_MAX];   /* default "WerkSaam Westfriesland" */
	char debiteur_iban[CONFIG_STR_MAX];   /* default "" (required by `run`) */
	char debiteur_bic[CONFIG_STR_MAX];    /* default "" */
	/* [betaling] */
	int uitbetaaldag;                     /* 1..28, default 25 */
	char pain_versie[16];                 /* "001.001.09" | "001.001.03" */
	int max_per_batch;                    /* 1..1000000, default 100000 */
	char doel_derden[8];                  /* RENT | HLTI | OTHR (default) */
	char categorie[8];                    /* "" = not written */
	/* [verrekening] */
	int32_t startmaand;                   /* month index, -1 = first run's month */
	char toerekening[16];                 /* "einddatum" | "dagen" */
	char vt_verrekening[16];              /* "inkomen" */
	int vt_uitbetaalmaand;                /* 1..12, default 6 */
	int verrekentermijn_maanden;          /* 0..60, default 6 */
	int beslagvrije_voet_pct;             /* 0..100, default 95 */
	int register_krimp_max_pct;           /* 0..100, default 10 */
	char bufferbudget[16];                /* "uit" (default) | "voorstel" | "automatisch" */
	int bufferbudget_ondergrens_pct;      /* 0..100, default 95 */
	/* [invoer] limits of formats.md */
	int max_bestand_mb;                   /* default 1024 */
	int max_diepte;                       /* default 32 */
	int max_tekst_kb;                     /* default 64 */
	/* [bank] */
	int afschrijving_dagen;               /* 0..30 business days, default 3 */
	/* [ondertekening] */
	char vertrouwen[CONFIG_STR_MAX];      /* default "trust.pem" (relative to home) */
	/* [regels] */
	char regels_map[CONFIG_STR_MAX];      /* default "" = shipped data/rules */
	/* [rapport] */
	char rapport_csv[16];                 /* "excel-nl" (default) | "rfc4180": csvout.h */
};

/* Fill with the defaults. */
void config_init(struct config *cfg);

/* Read `path` over the defaults already in `cfg`.  BR_ENOINPUT when the
 * file does not exist, BR_ECONFIG naming file and line for bad content. */
int config_load(struct config *cfg, const char *path, struct br_error *err);

/* The commented betaalrun.conf that `init` writes (static string). */
const char *config_template(void);

#endif

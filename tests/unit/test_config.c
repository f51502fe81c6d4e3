/* test_config.c — config.c: defaults, the template, and every way a
 * settings file can be wrong (written to a mkdtemp directory). */
#include "config.h"

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "banned.h"

struct fixture {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_config.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/betaalrun.conf", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void write_file(const struct fixture *f, const char *text, size_t len)
{
	FILE *fp = fopen(f->path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* Load `text` over the defaults; returns the code, fills cfg and err. */
static int load(const struct fixture *f, const char *text, struct config *cfg,
		struct br_error *err)
{
	write_file(f, text, strlen(text));
	config_init(cfg);
	br_error_clear(err);
	return config_load(cfg, f->path, err);
}

/* `text` must be refused with BR_ECONFIG at `line`, the message starting
 * with file:line: and holding `what`, and the configuration left as it was. */
static void refused(const struct fixture *f, const char *text, long line, const char *what)
{
	struct config cfg, before;
	struct br_error err;
	char where[160];

	assert_int_equal(load(f, text, &cfg, &err), BR_ECONFIG);
	assert_int_equal(err.code, BR_ECONFIG);
	assert_int_equal(err.line, line);
	assert_string_equal(err.file, f->path);
	snprintf(where, sizeof(where), "%s:%ld: ", f->path, line);
	if (strncmp(err.msg, where, strlen(where)) != 0 || !strstr(err.msg, what))
		fail_msg("message '%s' lacks '%s' or '%s'", err.msg, what, where);
	config_init(&before);
	assert_memory_equal(&cfg, &before, sizeof(cfg));
}

static void test_defaults(void **state)
{
	struct config cfg;

	(void)state;
	config_init(&cfg);
	/* cli.md "Settings file", rules.md §6, formats.md limits */
	assert_string_equal(cfg.debiteur_naam, "WerkSaam Westfriesland");
	assert_string_equal(cfg.debiteur_iban, "");
	assert_string_equal(cfg.debiteur_bic, "");
	assert_int_equal(cfg.uitbetaaldag, 25);
	assert_string_equal(cfg.pain_versie, "001.001.09");
	assert_int_equal(cfg.max_per_batch, 100000);
	assert_string_equal(cfg.doel_derden, "OTHR");
	assert_string_equal(cfg.categorie, "");
	assert_int_equal(cfg.startmaand, -1);
	assert_string_equal(cfg.toerekening, "einddatum");
	assert_string_equal(cfg.vt_verrekening, "inkomen");
	assert_int_equal(cfg.vt_uitbetaalmaand, 6);
	assert_int_equal(cfg.verrekentermijn_maanden, 6);
	assert_int_equal(cfg.beslagvrije_voet_pct, 95);
	assert_int_equal(cfg.register_krimp_max_pct, 10);
	assert_int_equal(cfg.max_bestand_mb, 1024);
	assert_int_equal(cfg.max_diepte, 32);
	assert_int_equal(cfg.max_tekst_kb, 64);
	assert_string_equal(cfg.vertrouwen, "trust.pem");
	assert_string_equal(cfg.regels_map, "");
	assert_string_equal(cfg.rapport_csv, "excel-nl");
}

static void test_template_loads_to_defaults(void **state)
{
	struct fixture *f = *state;
	struct config cfg, def;
	struct br_error err;
	const char *t = config_template();

	assert_int_equal(load(f, t, &cfg, &err), 0);
	config_init(&def);
	assert_memory_equal(&cfg, &def, sizeof(cfg));

	/* Loaded over a configuration with every value changed, it restores
	 * every default: the template names every key. */
	br_error_clear(&err);
	config_init(&cfg);
	snprintf(cfg.debiteur_naam, sizeof(cfg.debiteur_naam), "Ander");
	snprintf(cfg.debiteur_iban, sizeof(cfg.debiteur_iban), "NL91ABNA0417164300");
	snprintf(cfg.debiteur_bic, sizeof(cfg.debiteur_bic), "ABNANL2A");
	cfg.uitbetaaldag = 1;
	snprintf(cfg.pain_versie, sizeof(cfg.pain_versie), "001.001.03");
	cfg.max_per_batch = 5;
	snprintf(cfg.doel_derden, sizeof(cfg.doel_derden), "RENT");
	snprintf(cfg.categorie, sizeof(cfg.categorie), "SSBE");
	cfg.startmaand = 2026 * 12;
	snprintf(cfg.toerekening, sizeof(cfg.toerekening), "dagen");
	snprintf(cfg.vt_verrekening, sizeof(cfg.vt_verrekening), "x");
	cfg.vt_uitbetaalmaand = 5;
	cfg.verrekentermijn_maanden = 7;
	cfg.beslagvrije_voet_pct = 90;
	cfg.register_krimp_max_pct = 11;
	cfg.max_bestand_mb = 1;
	cfg.max_diepte = 9;
	cfg.max_tekst_kb = 2;
	snprintf(cfg.vertrouwen, sizeof(cfg.vertrouwen), "ca.pem");
	snprintf(cfg.regels_map, sizeof(cfg.regels_map), "/etc/regels");
	snprintf(cfg.rapport_csv, sizeof(cfg.rapport_csv), "rfc4180");
	assert_int_equal(config_load(&cfg, f->path, &err), 0);
	assert_memory_equal(&cfg, &def, sizeof(cfg));
}

static void test_template_is_commented(void **state)
{
	const char *t = config_template();
	static const char *const keys[] = {
		"[debiteur]", "naam =", "iban =", "bic =", "[betaling]", "uitbetaaldag = 25",
		"pain_versie = 001.001.09", "max_per_batch = 100000", "doel_derden = OTHR",
		"categorie =", "[verrekening]", "startmaand =", "toerekening = einddatum",
		"vt_verrekening = inkomen", "vt_uitbetaalmaand = 6", "verrekentermijn_maanden = 6",
		"beslagvrije_voet_pct = 95", "register_krimp_max_pct = 10", "[invoer]",
		"max_bestand_mb = 1024", "max_diepte = 32", "max_tekst_kb = 64",
		"[ondertekening]", "vertrouwen = trust.pem", "[regels]", "map =",
		"[rapport]", "csv = excel-nl",
	};
	const char *p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strstr(t, keys[i]))
			fail_msg("template lacks '%s'", keys[i]);
	/* Every key line carries a comment. */
	for (p = t; *p;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);

		if (n && p[0] != ';' && p[0] != '[' && !memchr(p, ';', n))
			fail_msg("template line without comment: %.*s", (int)n, p);
		p += n + (eol ? 1 : 0);
	}
}

static void test_values(void **state)
{
	struct fixture *f = *state;
	struct config cfg;
	struct br_error err;

	/* Line numbers count every line: the BOM's, CRLF ones, blank ones. */
	assert_int_equal(load(f,
		"\xef\xbb\xbf# a BOM and a '#' comment\r\n"
		"[debiteur]\r\n"
		"\r\n"
		"naam = x\r\n"
		"kleur = rood\r\n",
		&cfg, &err), BR_ECONFIG);
	assert_int_equal(err.line, 5);

	assert_int_equal(load(f,
		"\xef\xbb\xbf# a BOM and a '#' comment\r\n"
		"[debiteur]\r\n"
		"naam=Gemeente Hoorn ; comment\n"
		"  iban   =   NL91ABNA0417164300   \n"
		"bic = ABNANL2A\n"
		"\n"
		"[ betaling ]\n"
		"uitbetaaldag = 1\n"
		"pain_versie = 001.001.03\n"
		"max_per_batch = 1000000\n"
		"doel_derden = RENT\n"
		"categorie = SSBE\n"
		"[verrekening]\n"
		"startmaand = 2026-12   # from December\n"
		"toerekening = dagen\n"
		"vt_uitbetaalmaand = 12\n"
		"verrekentermijn_maanden = 0\n"
		"beslagvrije_voet_pct = 100\n"
		"register_krimp_max_pct = 0\n"
		"[invoer]\n"
		"max_bestand_mb = 0010\n"
		"[bank]\n"
		"afschrijving_dagen = 5\n"
		"[ondertekening]\n"
		"vertrouwen = /etc/betaalrun/ca bundle.pem\n"
		"[regels]\n"
		"map = /srv/regels\n"
		"[rapport]\n"
		"csv = rfc4180\n"
		"[debiteur]\n"
		"\t; a section may appear again; its keys may not\n",
		&cfg, &err), 0);
	assert_string_equal(cfg.debiteur_naam, "Gemeente Hoorn");
	assert_string_equal(cfg.debiteur_iban, "NL91ABNA0417164300");
	assert_string_equal(cfg.debiteur_bic, "ABNANL2A");
	assert_int_equal(cfg.uitbetaaldag, 1);
	assert_string_equal(cfg.pain_versie, "001.001.03");
	assert_int_equal(cfg.max_per_batch, 1000000);
	assert_string_equal(cfg.doel_derden, "RENT");
	assert_string_equal(cfg.categorie, "SSBE");
	assert_int_equal(cfg.startmaand, 2026 * 12 + 11);
	assert_string_equal(cfg.toerekening, "dagen");
	assert_int_equal(cfg.vt_uitbetaalmaand, 12);
	assert_int_equal(cfg.verrekentermijn_maanden, 0);
	assert_int_equal(cfg.beslagvrije_voet_pct, 100);
	assert_int_equal(cfg.register_krimp_max_pct, 0);
	assert_int_equal(cfg.max_bestand_mb, 10);
	assert_int_equal(cfg.max_diepte, 32); /* not in the file: default */
	assert_int_equal(cfg.afschrijving_dagen, 5);
	assert_string_equal(cfg.vertrouwen, "/etc/betaalrun/ca bundle.pem");
	assert_string_equal(cfg.regels_map, "/srv/regels");
	assert_string_equal(cfg.rapport_csv, "rfc4180");

	/* An empty file, or only comments, keeps the defaults. */
	assert_int_equal(load(f, "", &cfg, &err), 0);
	assert_int_equal(load(f, "; nothing\n\n   \n# at all", &cfg, &err), 0);
	/* Empty values where empty means something. */
	assert_int_equal(load(f, "[verrekening]\nstartmaand =\n[debiteur]\niban=\nbic=\n", &cfg, &err), 0);
	assert_int_equal(cfg.startmaand, -1);
	/* A UTF-8 name of 70 characters (not bytes). */
	assert_int_equal(load(f,
		"[debiteur]\nnaam = \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"012345678901234567890123456789012345678901234567890123456789\n", &cfg, &err), 0);
	assert_int_equal(load(f, "[debiteur]\nnaam = Gemeente Medemblik\n", &cfg, &err), 0);
	assert_string_equal(cfg.debiteur_naam, "Gemeente Medemblik");
}

static void test_structure_errors(void **state)
{
	struct fixture *f = *state;

	refused(f, "[debiteur]\nnaam = x\n[bankzaken]\n", 3, "onbekende sectie [bankzaken]");
	refused(f, "[Debiteur]\n", 1, "onbekende sectie [Debiteur]");
	refused(f, "[debiteur\n", 1, "sectieregel zonder sluitende ']'");
	refused(f, "\n\n[betaling]\nkleur = blauw\n", 4, "onbekende sleutel 'kleur' in [betaling]");
	refused(f, "[debiteur]\nuitbetaaldag = 25\n", 2, "sleutel 'uitbetaaldag' hoort in [betaling], niet in [debiteur]");
	refused(f, "naam = x\n", 1, "sleutel 'naam' staat vóór elke [sectie]");
	refused(f, "[debiteur]\njust some words\n", 2, "regel is geen [sectie] en geen sleutel = waarde");
	refused(f, "[debiteur]\n= waarde\n", 2, "sleutel ontbreekt vóór '='");
	refused(f, "[betaling]\nuitbetaaldag = 25\nuitbetaaldag = 24\n", 3,
		"sleutel 'uitbetaaldag' in [betaling] staat er twee keer (eerst op regel 2)");
	refused(f, "[debiteur]\nnaam = a\001b\n", 2, "stuurteken (byte 0x01) in de regel");
	refused(f, "[debiteur]\nnaam = \xff\xfe\n", 2, "regel is geen geldige UTF-8");
	refused(f, "[debiteur]\nnaam = \xc0\xaf\n", 2, "regel is geen geldige UTF-8"); /* overlong '/' */
	refused(f, "[debiteur]\nnaam = \xed\xa0\x80\n", 2, "regel is geen geldige UTF-8"); /* a surrogate */
	refused(f, "[debiteur]\nnaam = \xc3\n", 2, "regel is geen geldige UTF-8");        /* cut sequence */
}

static void test_embedded_nul(void **state)
{
	struct fixture *f = *state;
	struct config cfg;
	struct br_error err;
	static const char text[] = "[debiteur]\nnaam = a\0b\n";

	/* strlen() would stop at the NUL: write the bytes themselves. */
	write_file(f, text, sizeof(text) - 1);
	config_init(&cfg);
	br_error_clear(&err);
	assert_int_equal(config_load(&cfg, f->path, &err), BR_ECONFIG);
	assert_int_equal(err.line, 2);
	assert_true(strstr(err.msg, "stuurteken (byte 0x00) in de regel") != NULL);
}

static void test_range_errors(void **state)
{
	struct fixture *f = *state;

	refused(f, "[betaling]\nuitbetaaldag = 29\n", 2, "uitbetaaldag = 29 ligt buiten 1..28");
	refused(f, "[betaling]\nuitbetaaldag = 0\n", 2, "ligt buiten 1..28");
	refused(f, "[betaling]\nuitbetaaldag = -1\n", 2, "moet een geheel getal van");
	refused(f, "[betaling]\nuitbetaaldag = +5\n", 2, "moet een geheel getal van");
	refused(f, "[betaling]\nuitbetaaldag = 2 5\n", 2, "moet een geheel getal van");
	refused(f, "[betaling]\nuitbetaaldag =\n", 2, "moet een geheel getal van");
	refused(f, "[betaling]\nuitbetaaldag = 99999999999999999999\n", 2, "moet een geheel getal van");
	refused(f, "[betaling]\nmax_per_batch = 1000001\n", 2, "ligt buiten");
	refused(f, "[betaling]\npain_versie = 001.001.10\n", 2, "is niet een van:");
	refused(f, "[betaling]\ndoel_derden = othr\n", 2, "is niet een van:");
	refused(f, "[rapport]\ncsv = excel\n", 2, "is niet een van:");
	refused(f, "[betaling]\ncategorie = SSB\n", 2, "is geen ISO 20022-code van 4 letters (of leeg)");
	refused(f, "[betaling]\ncategorie = ssbe\n", 2, "is geen ISO 20022-code van 4 letters (of leeg)");
	refused(f, "[verrekening]\nstartmaand = 2026-13\n", 2, "moet JJJJ-MM of leeg zijn");
	refused(f, "[verrekening]\nstartmaand = 2026-1\n", 2, "moet JJJJ-MM of leeg zijn");
	refused(f, "[verrekening]\ntoerekening = maand\n", 2, "einddatum dagen");
	refused(f, "[verrekening]\nvt_verrekening = uitkering\n", 2, "is niet een van:");
	refused(f, "[verrekening]\nvt_uitbetaalmaand = 13\n", 2, "ligt buiten 1..12");
	refused(f, "[verrekening]\nverrekentermijn_maanden = 61\n", 2, "ligt buiten 0..60");
	refused(f, "[verrekening]\nbeslagvrije_voet_pct = 101\n", 2, "ligt buiten 0..100");
	refused(f, "[verrekening]\nregister_krimp_max_pct = 200\n", 2, "ligt buiten 0..100");
	refused(f, "[bank]\nafschrijving_dagen = 31\n", 2, "ligt buiten 0..30");
	refused(f, "[invoer]\nmax_bestand_mb = 0\n", 2, "ligt buiten");
	refused(f, "[invoer]\nmax_diepte = 4\n", 2, "ligt buiten");
	refused(f, "[invoer]\nmax_tekst_kb = 100000\n", 2, "ligt buiten");
	refused(f, "[debiteur]\niban = NL91ABNA0417164301\n", 2, "iban: IBAN ****4301 voldoet niet aan de mod-97-controle");
	refused(f, "[debiteur]\niban = NL..\n", 2, "iban");
	refused(f, "[debiteur]\nbic = ABNANL\n", 2, "is geen BIC (8 of 11 letters en cijfers");
	refused(f, "[debiteur]\nbic = ABNA1L2A\n", 2, "is geen BIC (8 of 11 letters en cijfers");
	refused(f, "[debiteur]\nnaam =\n", 2, "naam moet 1 tot en met 70 tekens hebben, niet 0");
	refused(f, "[debiteur]\nnaam = "
		"12345678901234567890123456789012345678901234567890123456789012345678901\n",
		2, "niet 71");
	refused(f, "[ondertekening]\nvertrouwen =\n", 2, "vertrouwen mag niet leeg zijn");
}

static void test_long_inputs(void **state)
{
	struct fixture *f = *state;
	static char text[8192];
	size_t n;

	/* A value longer than its field. */
	n = (size_t)snprintf(text, sizeof(text), "[regels]\nmap = ");
	memset(text + n, 'a', 300);
	memcpy(text + n + 300, "\n", 2);
	refused(f, text, 2, "map is langer dan 255 bytes");
	/* A line over the line cap. */
	n = (size_t)snprintf(text, sizeof(text), "[regels]\n; ");
	memset(text + n, 'a', 5000);
	text[n + 5000] = '\0';
	refused(f, text, 2, "regel is langer dan 4096 bytes");
}

static void test_missing_and_big_files(void **state)
{
	struct fixture *f = *state;
	struct config cfg;
	struct br_error err;
	FILE *fp;
	long i;

	config_init(&cfg);
	br_error_clear(&err);
	assert_int_equal(config_load(&cfg, "/nonexistent/dir/betaalrun.conf", &err), BR_ENOINPUT);
	assert_true(strstr(err.msg, "instellingenbestand /nonexistent/dir/betaalrun.conf bestaat niet") != NULL);

	/* A directory is no settings file. */
	br_error_clear(&err);
	assert_true(config_load(&cfg, f->dir, &err) < 0);

	/* Over the 1 MiB cap. */
	fp = fopen(f->path, "wb");
	assert_non_null(fp);
	for (i = 0; i < 80000; i++) /* 14 bytes each */
		fputs("; filler line\n", fp);
	fclose(fp);
	br_error_clear(&err);
	assert_int_equal(config_load(&cfg, f->path, &err), BR_ECONFIG);
	assert_true(strstr(err.msg, "is groter dan") != NULL);
}

/*
 * tests/data/config/: broken settings files, each refused with exactly the
 * message expect.tsv gives (the file's path in place of {}), at its line,
 * leaving the configuration as it was.  Every file in the folder must be
 * listed, so that a file added without its expectation fails.
 */
static void test_broken_corpus(void **state)
{
	char dir[512], tsv[600], line[1024], path[800], want[2048];
	int listed = 0, files = 0;
	const char *src = getenv("BR_SOURCE_DIR");
	struct dirent *de;
	FILE *f;
	DIR *d;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/data/config", src && *src ? src : BR_SOURCE_DIR);
	snprintf(tsv, sizeof(tsv), "%s/expect.tsv", dir);
	assert_non_null(f = fopen(tsv, "r"));
	while (fgets(line, sizeof(line), f)) {
		char *name = line, *lno, *msg, *brace;
		struct config cfg, before;
		struct br_error err;

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		assert_non_null(lno = strchr(name, '\t'));
		*lno++ = '\0';
		assert_non_null(msg = strchr(lno, '\t'));
		*msg++ = '\0';
		assert_non_null(brace = strstr(msg, "{}"));
		snprintf(path, sizeof(path), "%s/%.200s", dir, name);
		snprintf(want, sizeof(want), "%.*s%s%s", (int)(brace - msg), msg, path, brace + 2);
		config_init(&cfg);
		config_init(&before);
		br_error_clear(&err);
		assert_int_equal(config_load(&cfg, path, &err), BR_ECONFIG);
		assert_int_equal(err.code, BR_ECONFIG);
		if (strcmp(err.msg, want) != 0)
			fail_msg("%s: '%s', want '%s'", name, err.msg, want);
		assert_int_equal(err.line, strtol(lno, NULL, 10));
		assert_string_equal(err.file, path);
		assert_memory_equal(&cfg, &before, sizeof(cfg));
		listed++;
	}
	fclose(f);
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)))
		files += strlen(de->d_name) > 5 && strcmp(de->d_name + strlen(de->d_name) - 5, ".conf") == 0;
	closedir(d);
	assert_int_equal(files, listed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test_setup_teardown(test_template_loads_to_defaults, setup, teardown),
		cmocka_unit_test(test_template_is_commented),
		cmocka_unit_test_setup_teardown(test_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_structure_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_embedded_nul, setup, teardown),
		cmocka_unit_test_setup_teardown(test_range_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_inputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_and_big_files, setup, teardown),
		cmocka_unit_test(test_broken_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

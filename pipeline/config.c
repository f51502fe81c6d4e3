/* config.c — betaalrun.conf, the INI settings file of cli.md; see config.h. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "iban.h"
#include "reden_nl.h"
#include "banned.h"

/* A settings file is a few kilobytes; anything this large is not one. */
#define CONFIG_FILE_MAX (1024 * 1024)
#define CONFIG_LINE_MAX 4096
/* payments.md: Dbtr/Nm holds at most 70 characters. */
#define CONFIG_NAME_CHARS_MAX 70

void config_init(struct config *cfg)
{
	/* Zero first, so that two configs with equal settings are equal
	 * byte for byte (the tests compare them with memcmp). */
	memset(cfg, 0, sizeof(*cfg));
	/* cli.md "Settings file" and rules.md §6 give these defaults. */
	snprintf(cfg->debiteur_naam, sizeof(cfg->debiteur_naam), "%s", "WerkSaam Westfriesland");
	cfg->uitbetaaldag = 25;
	snprintf(cfg->pain_versie, sizeof(cfg->pain_versie), "%s", "001.001.09");
	cfg->max_per_batch = 100000;
	snprintf(cfg->doel_derden, sizeof(cfg->doel_derden), "%s", "OTHR");
	cfg->startmaand = -1;
	snprintf(cfg->toerekening, sizeof(cfg->toerekening), "%s", "einddatum");
	snprintf(cfg->vt_verrekening, sizeof(cfg->vt_verrekening), "%s", "inkomen");
	cfg->vt_uitbetaalmaand = 6;
	cfg->verrekentermijn_maanden = 6;
	cfg->beslagvrije_voet_pct = 95;
	cfg->register_krimp_max_pct = 10;
	snprintf(cfg->bufferbudget, sizeof(cfg->bufferbudget), "uit");
	cfg->bufferbudget_ondergrens_pct = 95;
	cfg->afschrijving_dagen = 3;
	/* formats.md "Common rules": 1 GiB, depth 32, 64 KiB per text node. */
	cfg->max_bestand_mb = 1024;
	cfg->max_diepte = 32;
	cfg->max_tekst_kb = 64;
	snprintf(cfg->vertrouwen, sizeof(cfg->vertrouwen), "%s", "trust.pem");
	snprintf(cfg->rapport_csv, sizeof(cfg->rapport_csv), "%s", "excel-nl");
}

/* How a key's text becomes a value, and what range it must be in. */
enum config_type {
	CT_NAME,   /* non-empty text, at most 70 characters */
	CT_IBAN,   /* empty, or an IBAN that iban_validate accepts */
	CT_BIC,    /* empty, or a BIC (ISO 9362, the pain.001 BICFI pattern) */
	CT_INT,    /* decimal digits in min..max */
	CT_CHOICE, /* one of the space-separated words in `choices` */
	CT_CODE4,  /* empty, or an ISO 20022 external code: 4 letters A-Z */
	CT_MONTH,  /* empty (= -1), or YYYY-MM */
	CT_PATH,   /* non-empty text */
	CT_TEXT    /* any text, also empty */
};

struct config_key {
	const char *section;
	const char *key;
	enum config_type type;
	size_t off;  /* offset of the field in struct config */
	size_t size; /* size of a char[] field */
	int min, max;
	const char *choices;
};

#define CFG_FIELD(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)
#define CFG_STR(sec, key, type, f) { sec, key, type, CFG_FIELD(f), 0, 0, NULL }
#define CFG_INT(sec, key, f, lo, hi) { sec, key, CT_INT, CFG_FIELD(f), lo, hi, NULL }
#define CFG_CHOICE(sec, key, f, words) { sec, key, CT_CHOICE, CFG_FIELD(f), 0, 0, words }

/* Every key betaalrun knows (cli.md "Settings file", rules.md §6,
 * formats.md "Common rules" for [invoer]); no other key is accepted. */
static const struct config_key config_keys[] = {
	CFG_STR("debiteur", "naam", CT_NAME, debiteur_naam),
	CFG_STR("debiteur", "iban", CT_IBAN, debiteur_iban),
	CFG_STR("debiteur", "bic", CT_BIC, debiteur_bic),
	CFG_INT("betaling", "uitbetaaldag", uitbetaaldag, 1, 28),
	CFG_CHOICE("betaling", "pain_versie", pain_versie, "001.001.09 001.001.03"),
	CFG_INT("betaling", "max_per_batch", max_per_batch, 1, 1000000),
	CFG_CHOICE("betaling", "doel_derden", doel_derden, "RENT HLTI OTHR"),
	CFG_STR("betaling", "categorie", CT_CODE4, categorie),
	CFG_STR("verrekening", "startmaand", CT_MONTH, startmaand),
	CFG_CHOICE("verrekening", "toerekening", toerekening, "einddatum dagen"),
	CFG_CHOICE("verrekening", "vt_verrekening", vt_verrekening, "inkomen"),
	CFG_INT("verrekening", "vt_uitbetaalmaand", vt_uitbetaalmaand, 1, 12),
	CFG_INT("verrekening", "verrekentermijn_maanden", verrekentermijn_maanden, 0, 60),
	CFG_INT("verrekening", "beslagvrije_voet_pct", beslagvrije_voet_pct, 0, 100),
	CFG_INT("verrekening", "register_krimp_max_pct", register_krimp_max_pct, 0, 100),
	CFG_CHOICE("verrekening", "bufferbudget", bufferbudget, "uit voorstel automatisch"),
	CFG_INT("verrekening", "bufferbudget_ondergrens_pct", bufferbudget_ondergrens_pct, 0, 100),
	CFG_INT("invoer", "max_bestand_mb", max_bestand_mb, 1, 65536),
	CFG_INT("invoer", "max_diepte", max_diepte, 8, 256),
	CFG_INT("invoer", "max_tekst_kb", max_tekst_kb, 1, 65536),
	CFG_INT("bank", "afschrijving_dagen", afschrijving_dagen, 0, 30),
	CFG_STR("ondertekening", "vertrouwen", CT_PATH, vertrouwen),
	CFG_STR("regels", "map", CT_TEXT, regels_map),
	CFG_CHOICE("rapport", "csv", rapport_csv, "excel-nl rfc4180"),
};

#define CONFIG_NKEYS (sizeof(config_keys) / sizeof(config_keys[0]))

static const char *const config_sections[] = {
	"debiteur", "betaling", "verrekening", "invoer", "bank", "ondertekening", "regels", "rapport",
};

static const char config_template_text[] =
	"; betaalrun.conf - instellingen van betaalrun / betaalrun settings\n"
	";\n"
	"; [sectie] en sleutel = waarde; commentaar begint met ';' of '#'.\n"
	"; [section] and key = value; a comment starts with ';' or '#'.\n"
	"; Een weggelaten sleutel krijgt de standaardwaarde die hier staat; een\n"
	"; onbekende sleutel of een waarde buiten bereik is een fout (exit 78).\n"
	"; A key left out takes the default shown here; an unknown key or a value\n"
	"; out of range is an error (exit 78).\n"
	"\n"
	"[debiteur]\n"
	"naam = WerkSaam Westfriesland    ; naam van de betaler / debtor name (Dbtr/Nm, max 70)\n"
	"iban =                           ; rekening waarvan betaald wordt / account paid from (nodig voor / needed by run)\n"
	"bic =                            ; optioneel / optional; leeg / empty = NOTPROVIDED\n"
	"\n"
	"[betaling]\n"
	"uitbetaaldag = 25                ; dag 1-28 van de maand / payment day 1-28 of the month\n"
	"pain_versie = 001.001.09         ; of / or 001.001.03 voor een bank die dat nog vraagt / for a bank that needs it\n"
	"max_per_batch = 100000           ; max. transacties per PmtInf / transactions per batch (1-1000000)\n"
	"doel_derden = OTHR               ; Purp/Cd voor derden / for third parties: RENT, HLTI, OTHR\n"
	"categorie =                      ; CtgyPurp/Cd (4 letters); leeg = niet geschreven / empty = not written\n"
	"\n"
	"[verrekening]\n"
	"startmaand =                     ; YYYY-MM eerste verrekende maand / first settled month; leeg / empty = maand van de eerste run / month of the first run\n"
	"toerekening = einddatum          ; inkomen naar de maand van DatEindTv (einddatum) of naar dagen (dagen) / income by period end or by days\n"
	"vt_verrekening = inkomen         ; vakantiebijslag van de werkgever is inkomen / employer holiday pay counts as income\n"
	"vt_uitbetaalmaand = 6            ; maand 1-12 waarin de vakantietoeslag wordt betaald / month the VT is paid\n"
	"verrekentermijn_maanden = 6      ; 0-60 maanden terug verrekenen / months back to set off (art. 58(4) Pw)\n"
	"beslagvrije_voet_pct = 95        ; 0-100: de client houdt minstens dit % van het voorschot / client keeps at least this % of the advance\n"
	"register_krimp_max_pct = 10      ; 0-100: register dat meer % dossiers beeindigt wordt geweigerd / register ending more % is refused\n"
	"bufferbudget = uit               ; uit | voorstel | automatisch: bufferbudget art. 34b Pw vanaf 2027 (rules.md 5a) /\n"
	"                                 ; off | propose (a BUFFER job) | automatic\n"
	"bufferbudget_ondergrens_pct = 95 ; 0-100: het bufferbudget vult aan tot dit % van het voorschot / tops up to this % of the advance\n"
	"\n"
	"[invoer]\n"
	"max_bestand_mb = 1024            ; max. bestand na uitpakken / file size after decompression, MiB (1-65536)\n"
	"max_diepte = 32                  ; max. nesting van XML-elementen / element depth (8-256)\n"
	"max_tekst_kb = 64                ; max. tekst per element / text per node, KiB (1-65536)\n"
	"\n"
	"[bank]\n"
	"afschrijving_dagen = 3           ; werkdagen na de uitvoerdatum waarbinnen de afschrijving op het afschrift moet staan /\n"
	"                                 ; business days after execution before a missing debit becomes a BANK job (0-30)\n"
	"\n"
	"[ondertekening]\n"
	"vertrouwen = trust.pem           ; CA-certificaten van de ondertekenaars / CA certificates signers must chain to (relative to home)\n"
	"\n"
	"[regels]\n"
	"map =                            ; eigen map met regelbestanden / own rules directory; leeg / empty = meegeleverde regels / shipped rules\n"
	"\n"
	"[rapport]\n"
	"csv = excel-nl                   ; CSV van het runrapport en de werklijst / CSV of the run report and the worklist:\n"
	"                                 ; excel-nl = opent goed in Excel/LibreOffice met Nederlandse instellingen (UTF-8 met BOM,\n"
	"                                 ; ';' tussen velden, decimale komma) / for a Dutch spreadsheet;\n"
	"                                 ; rfc4180 = voor programma's (UTF-8 zonder BOM, ',' en decimale punt) / for programs\n";

const char *config_template(void)
{
	return config_template_text;
}

/* Trim spaces and tabs at both ends of [*b, *e). */
static void config_trim(const char **b, const char **e)
{
	while (*b < *e && (**b == ' ' || **b == '\t'))
		(*b)++;
	while (*e > *b && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/* Length of the valid UTF-8 sequence at s (no overlongs, no surrogates),
 * or 0.  formats.md: everything is UTF-8. */
static size_t config_utf8_len(const unsigned char *s, size_t avail)
{
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* Decimal digits only (no sign, no spaces), at most 9 of them. */
static int config_int(const char *v, int *out)
{
	long n = 0;
	size_t i;

	if (!v[0] || strlen(v) > 9)
		return -1;
	for (i = 0; v[i]; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	*out = (int)n;
	return 0;
}

static int config_is_word(const char *choices, const char *v)
{
	size_t vlen = strlen(v);
	const char *p = choices;

	if (!vlen)
		return 0;
	while (*p) {
		size_t wlen = strcspn(p, " ");

		if (wlen == vlen && memcmp(p, v, vlen) == 0)
			return 1;
		p += wlen;
		while (*p == ' ')
			p++;
	}
	return 0;
}

/* payments.md, the pain.001 BICFI pattern:
 * [A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})? */
static int config_bic_ok(const char *v)
{
	size_t len = strlen(v), i;

	if (len != 8 && len != 11)
		return 0;
	for (i = 0; i < len; i++) {
		int upper = v[i] >= 'A' && v[i] <= 'Z';
		int digit = v[i] >= '0' && v[i] <= '9';

		if ((i == 4 || i == 5) ? !upper : !(upper || digit))
			return 0;
	}
	return 1;
}

/*
 * Set key `k` from its text `v`; 0, or -1 with the reason in `why`.
 * Text fields are cleared before they are written so that equal settings
 * stay equal byte for byte.
 */
static int config_set(struct config *cfg, const struct config_key *k, const char *v,
		      char *why, size_t whycap)
{
	char *field = (char *)cfg + k->off;
	size_t len = strlen(v), i, chars = 0;
	struct br_error verr;
	int n;
	int32_t month;

	br_error_clear(&verr);
	switch (k->type) {
	case CT_INT:
		if (config_int(v, &n) < 0) {
			snprintf(why, whycap, "%.40s moet een geheel getal van %d tot en met %d zijn, niet '%.80s'",
				k->key, k->min, k->max, v);
			return -1;
		}
		if (n < k->min || n > k->max) {
			snprintf(why, whycap, "%.40s = %d ligt buiten %d..%d", k->key, n,
				k->min, k->max);
			return -1;
		}
		memcpy(field, &n, sizeof(n));
		return 0;
	case CT_MONTH:
		month = -1;
		if (len && month_parse(&month, v, len, &verr) < 0) {
			snprintf(why, whycap, "%.40s moet JJJJ-MM of leeg zijn: %.300s", k->key,
				verr.msg);
			return -1;
		}
		memcpy(field, &month, sizeof(month));
		return 0;
	case CT_NAME:
		/* Count characters, not bytes: UTF-8 was checked per line. */
		for (i = 0; i < len; i++)
			chars += ((unsigned char)v[i] & 0xc0) != 0x80;
		if (chars == 0 || chars > CONFIG_NAME_CHARS_MAX) {
			snprintf(why, whycap, "%.40s moet 1 tot en met %d tekens hebben, niet %zu", k->key,
				CONFIG_NAME_CHARS_MAX, chars);
			return -1;
		}
		break;
	case CT_IBAN:
		if (len && iban_validate(v, &verr) < 0) {
			/* iban.c words it in English for the record problems it
			 * also makes; the operator reads Dutch (reden_nl.h) */
			char nl[sizeof(verr.msg) + 64];

			snprintf(why, whycap, "%.40s: %.300s", k->key, reden_nl(nl, sizeof(nl), verr.msg));
			return -1;
		}
		break;
	case CT_BIC:
		if (len && !config_bic_ok(v)) {
			snprintf(why, whycap, "%.40s '%.80s' is geen BIC (8 of 11 letters en cijfers, bijvoorbeeld ABNANL2A)",
				k->key, v);
			return -1;
		}
		break;
	case CT_CHOICE:
		if (!config_is_word(k->choices, v)) {
			snprintf(why, whycap, "%.40s = '%.80s' is niet een van: %.80s", k->key, v,
				k->choices);
			return -1;
		}
		break;
	case CT_CODE4:
		for (i = 0; i < len; i++)
			if (v[i] < 'A' || v[i] > 'Z')
				break;
		if (len && (len != 4 || i != len)) {
			snprintf(why, whycap, "%.40s '%.80s' is geen ISO 20022-code van 4 letters (of leeg)",
				k->key, v);
			return -1;
		}
		break;
	case CT_PATH:
		if (!len) {
			snprintf(why, whycap, "%.40s mag niet leeg zijn", k->key);
			return -1;
		}
		break;
	case CT_TEXT:
		break;
	}
	if (len >= k->size) {
		snprintf(why, whycap, "%.40s is langer dan %zu bytes", k->key, k->size - 1);
		return -1;
	}
	memset(field, 0, k->size);
	memcpy(field, v, len);
	return 0;
}

/* Where a key lives, for "did you mean" hints; NULL if nowhere. */
static const char *config_home_section(const char *key)
{
	size_t i;

	for (i = 0; i < CONFIG_NKEYS; i++)
		if (strcmp(config_keys[i].key, key) == 0)
			return config_keys[i].section;
	return NULL;
}

/*
 * Parse the `len` bytes of `text` into `cfg`.  On a problem: BR_ECONFIG,
 * the message says what, then path:line.
 */
static int config_parse(struct config *cfg, const char *path, const char *text, size_t len,
			struct br_error *err)
{
	long seen[CONFIG_NKEYS] = { 0 };
	const char *section = NULL;
	const char *p = text, *end = text + len;
	long lineno = 0;
	char why[BR_ERROR_MSG_MAX];
	int rc = 0;

	/* A UTF-8 byte order mark (an editor's habit) is not content. */
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *b = p, *e = eol ? eol : end, *c, *eq;
		char key[64], value[CONFIG_LINE_MAX];
		size_t i, klen, u;

		lineno++;
		p = eol ? eol + 1 : end;
		if (e > b && e[-1] == '\r')
			e--;
		why[0] = '\0';
		if ((size_t)(e - b) > CONFIG_LINE_MAX) {
			snprintf(why, sizeof(why), "regel is langer dan %d bytes", CONFIG_LINE_MAX);
			goto bad;
		}
		for (c = b; c < e; c += u) {
			if (*c == '\0' || ((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f) {
				snprintf(why, sizeof(why), "stuurteken (byte 0x%02x) in de regel",
					(unsigned)(unsigned char)*c);
				goto bad;
			}
			u = config_utf8_len((const unsigned char *)c, (size_t)(e - c));
			if (u == 0) {
				snprintf(why, sizeof(why), "regel is geen geldige UTF-8");
				goto bad;
			}
		}
		/* config.h: ';' or '#' starts a comment, also after a value. */
		for (c = b; c < e && *c != ';' && *c != '#'; c++)
			;
		e = c;
		config_trim(&b, &e);
		if (b == e)
			continue;

		if (*b == '[') {
			const char *sb = b + 1, *se = e - 1;

			if (e - b < 2 || *se != ']') {
				snprintf(why, sizeof(why), "sectieregel zonder sluitende ']'");
				goto bad;
			}
			config_trim(&sb, &se);
			section = NULL;
			for (i = 0; i < sizeof(config_sections) / sizeof(config_sections[0]); i++)
				if (strlen(config_sections[i]) == (size_t)(se - sb) &&
				    memcmp(config_sections[i], sb, (size_t)(se - sb)) == 0)
					section = config_sections[i];
			if (!section) {
				snprintf(why, sizeof(why), "onbekende sectie [%.*s]",
					(int)(se - sb > 64 ? 64 : se - sb), sb);
				goto bad;
			}
			continue;
		}

		eq = memchr(b, '=', (size_t)(e - b));
		if (!eq) {
			snprintf(why, sizeof(why),
				"regel is geen [sectie] en geen sleutel = waarde: '%.*s'",
				(int)(e - b > 64 ? 64 : e - b), b);
			goto bad;
		}
		{
			const char *kb = b, *ke = eq, *vb = eq + 1, *ve = e;

			config_trim(&kb, &ke);
			config_trim(&vb, &ve);
			klen = (size_t)(ke - kb);
			if (klen == 0) {
				snprintf(why, sizeof(why), "sleutel ontbreekt vóór '='");
				goto bad;
			}
			if (klen >= sizeof(key)) {
				snprintf(why, sizeof(why), "onbekende sleutel '%.*s'", 64, kb);
				goto bad;
			}
			memcpy(key, kb, klen);
			key[klen] = '\0';
			memcpy(value, vb, (size_t)(ve - vb));
			value[ve - vb] = '\0';
		}
		if (!section) {
			snprintf(why, sizeof(why), "sleutel '%s' staat vóór elke [sectie]", key);
			goto bad;
		}
		for (i = 0; i < CONFIG_NKEYS; i++)
			if (config_keys[i].section == section && strcmp(config_keys[i].key, key) == 0)
				break;
		if (i == CONFIG_NKEYS) {
			const char *home = config_home_section(key);

			if (home)
				snprintf(why, sizeof(why), "sleutel '%s' hoort in [%s], niet in [%s]",
					key, home, section);
			else
				snprintf(why, sizeof(why), "onbekende sleutel '%s' in [%s]", key, section);
			goto bad;
		}
		if (seen[i]) {
			snprintf(why, sizeof(why), "sleutel '%s' in [%s] staat er twee keer (eerst op regel %ld)",
				key, section, seen[i]);
			goto bad;
		}
		seen[i] = lineno;
		if (config_set(cfg, &config_keys[i], value, why, sizeof(why)) < 0)
			goto bad;
	}
	return 0;

bad:
	rc = br_error_set(err, BR_ECONFIG, "%s:%ld: %s", path, lineno, why);
	br_error_at(err, path, lineno);
	return rc;
}

int config_load(struct config *cfg, const char *path, struct br_error *err)
{
	struct config tmp;
	FILE *f = NULL;
	char *text = NULL;
	size_t len = 0;
	int rc = 0;

	f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT)
			rc = br_error_set(err, BR_ENOINPUT, "instellingenbestand %s bestaat niet", path);
		else
			rc = br_error_set(err, BR_EIO, "instellingenbestand %s kan niet worden geopend: %s", path,
				strerror(errno));
		br_error_at(err, path, 0);
		goto out;
	}
	/* style.md "Memory": untrusted input has a cap. */
	text = malloc(CONFIG_FILE_MAX + 1);
	if (!text) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van %s", path);
		goto out;
	}
	len = fread(text, 1, CONFIG_FILE_MAX + 1, f);
	if (ferror(f)) {
		rc = br_error_set(err, BR_EIO, "instellingenbestand %s kan niet worden gelezen: %s", path,
			strerror(errno));
		br_error_at(err, path, 0);
		goto out;
	}
	if (len > CONFIG_FILE_MAX) {
		rc = br_error_set(err, BR_ECONFIG, "instellingenbestand %s is groter dan %d bytes",
			path, CONFIG_FILE_MAX);
		br_error_at(err, path, 0);
		goto out;
	}
	/* Parse into a copy: a bad file leaves `cfg` as it was. */
	tmp = *cfg;
	if ((rc = config_parse(&tmp, path, text, len, err)) < 0)
		goto out;
	*cfg = tmp;

out:
	free(text);
	if (f)
		fclose(f);
	return rc;
}

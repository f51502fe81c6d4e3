/*
 * brgen — deterministic generator of betaalrun input files.
 *
 *   brgen --seed N --dossiers N --out DIR [--income-records N] [--signals N]
 *         [--peildatum YYYY-MM-DD] [--months YYYY-MM,YYYY-MM] [--gzip]
 *         [--defects N] [--open-ended] [--accounts-changed N]
 *
 * Writes into DIR, in the XML of the specification's formats.md:
 *   register.xml           Clientregister snapshot (peildatum)
 *   inkomen-YYYY-MM.xml    one Inkomstenlevering per income month
 *   signalen.xml           Signaallevering (signals near the peildatum)
 * (each with ".gz" appended under --gzip).  The data is modelled on WerkSaam
 * Westfriesland: seven municipalities, PW/IOAW/IOAZ/Bbz, Dutch and migrant
 * names, part-time income from the Polisadministratie, Inlichtingenbureau
 * signals from the table of signals.md.
 *
 * What must hold:
 *  - The output is a pure function of the arguments: no clock, no locale, no
 *    environment, no floating point (integer splitmix64).  Same arguments,
 *    byte-identical files; another --seed gives other people and other
 *    leveringIds.
 *  - Memory is constant whatever --dossiers: every dossier is a function of
 *    (seed, index) (dossier_make), so the income and signal files rebuild
 *    the dossiers they need instead of keeping the register; output streams
 *    record by record through a 64 KiB buffer.
 *  - Identities are unique by construction: a BSN is a keyed permutation of
 *    the person number (7 digits, first not 0) plus two digits chosen to
 *    pass the elfproef; a client IBAN's account number embeds a permutation
 *    of the dossier number; an OpgaveId is (seed offset + record number)
 *    with the month in it; a SignaalId likewise with the peildatum.
 *  - One seed is one world: the cases' dates are laid out around 2026-11-27,
 *    not around the peildatum (unless that is more than a month before it or,
 *    without --open-ended, a year after it), so a register for a later
 *    peildatum shows the same people with the same dates, and dossier i is
 *    the same case whatever --dossiers.  A month's income file depends only on the seed, the
 *    dossier count, the income rate and whether the previous calendar month
 *    is listed too (its corrections and its one withdrawal replace records
 *    of that month), so a later run for the next month continues it.
 *  - Files are written as NAME.part and renamed when complete (formats.md
 *    §4: senders write, then rename), so DIR may be an inbox.
 *  - --defects N adds about N register record problems of formats.md §5
 *    (IBAN failing mod-97, two overlapping grants of one code, a partner
 *    without GEHUWD); the default 0 gives only payable records.
 *  - --open-ended leaves out every dossier's Einddatum (the benefit runs on),
 *    for a history of monthly runs over years that settles the same dossiers
 *    in its last month as in its first (make bench).  The dates are drawn
 *    all the same, so up to the reference month it changes nothing else:
 *    the register is the default one without its <Einddatum> lines, the
 *    other files are identical.  Later, suspensions come and go as in a
 *    real register (suspension_over_time): none lasts years.
 *  - --accounts-changed N: about N of every 1,000 dossiers have another
 *    account in this register than in the one for the month before (which
 *    ones, and the new account, depend on the seed, the dossier and the
 *    peildatum's month), as a register that changes under its dossiers
 *    month by month; the default 0 keeps every account of the seed.
 *
 * Exit status: 0 done, 1 I/O error, 2 usage.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <zlib.h>

#include "banned.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define NO_DATE INT32_MIN
#define OPEN_END INT32_MAX
#define MAX_DOSSIERS 3000000u       /* 3·n persons must fit PERSON_SPACE */
#define MAX_MONTHS 120
#define MAX_SIGNALS 9000000u        /* 7-digit SignaalId serial */
#define PERSON_SPACE 9000000u       /* 7-digit BSN prefixes 1000000..9999999 */
#define ID_SPACE 1000000000u        /* 9-digit OpgaveId serial */
#define SIGNAL_ID_SPACE 10000000u
#define SLOTS 16u                   /* OpgaveId serials per dossier and month */
#define FRAC_ONE (UINT64_C(1) << 32)
#define PM(x) ((uint64_t)(x) * FRAC_ONE / 1000u)   /* per mille as a 2^-32 fraction */

/* ---------------------------------------------------------------------------
 * Integer PRNG: splitmix64, keyed by (seed, stream, index).
 */

/* Independent random streams; changing a value changes every output. */
enum stream {
	S_DOSSIER = 1, S_EARN, S_JOB, S_JOBPERSON, S_UNK, S_UNKJOB, S_CORR,
	S_WITHDRAW, S_AMOUNT, S_SIGNAL, S_BSN_UNUSED, S_BSN2, S_ACCT_UNUSED,
	S_EMPLOYER_UNUSED, S_IDS, S_DEFECT, S_GRANT, S_WEYL, S_MOVE, S_SUSPEND
};

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint64_t h3(uint64_t a, uint64_t b, uint64_t c)
{
	const uint64_t golden = UINT64_C(0x9e3779b97f4a7c15);

	return mix64(mix64(mix64(a + golden) + b * golden) + c * golden + golden);
}

static uint32_t hash32(uint64_t seed, uint64_t stream, uint64_t idx)
{
	return (uint32_t)(h3(seed, stream, idx) >> 32);
}

struct rng {
	uint64_t s;
};

static void rng_init(struct rng *r, uint64_t seed, uint64_t stream, uint64_t idx)
{
	r->s = h3(seed, stream, idx);
}

static uint64_t rng_next(struct rng *r)
{
	r->s += UINT64_C(0x9e3779b97f4a7c15);
	return mix64(r->s);
}

/* Uniform in [0, n), n <= 2^32 (bias below n / 2^32, irrelevant here). */
static uint32_t rng_below(struct rng *r, uint64_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* Uniform in [lo, hi], both inclusive. */
static int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)rng_below(r, (uint64_t)(hi - lo) + 1);
}

/* True with probability per_mille / 1000. */
static int rng_pm(struct rng *r, unsigned per_mille)
{
	return rng_below(r, 1000) < per_mille;
}

static size_t rng_weighted(struct rng *r, const unsigned *w, size_t n)
{
	unsigned total = 0, x;
	size_t k;

	for (k = 0; k < n; k++)
		total += w[k];
	x = rng_below(r, total);
	for (k = 0; k + 1 < n; k++) {
		if (x < w[k])
			return k;
		x -= w[k];
	}
	return n - 1;
}

/* Keyed permutation of [0, 2^24) (4-round Feistel), walked into [0, n). */
static uint32_t perm24(uint64_t key, uint32_t x)
{
	uint32_t l = x >> 12, r = x & 0xfffu;
	int k;

	for (k = 0; k < 4; k++) {
		uint32_t f = (uint32_t)(mix64(key + ((uint64_t)k << 40) + r) & 0xfffu);
		uint32_t t = l ^ f;

		l = r;
		r = t;
	}
	return (l << 12) | r;
}

static uint32_t perm_below(uint64_t key, uint32_t x, uint32_t n)
{
	do
		x = perm24(key, x);
	while (x >= n);
	return x;
}

/* floor(num * 2^32 / den) for den < 2^47, without 128-bit types. */
static uint64_t frac32(uint64_t num, uint64_t den)
{
	uint64_t q = num / den, r = num % den, out;

	out = q << 32;
	r <<= 16;
	out += (r / den) << 16;
	r = (r % den) << 16;
	out += r / den;
	return out;
}

/* ---------------------------------------------------------------------------
 * Dates: int32_t days since 1970-01-01, proleptic Gregorian (Hinnant).
 */

static int32_t days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* `day` plus n months, clamped to the last day of the target month. */
static int32_t add_months(int32_t day, int n)
{
	int y, m, d, mi;

	civil_from_days(day, &y, &m, &d);
	mi = y * 12 + (m - 1) + n;
	y = mi / 12;
	m = mi % 12 + 1;
	if (d > days_in_month(y, m))
		d = days_in_month(y, m);
	return days_from_civil(y, m, d);
}

static int32_t add_years(int32_t day, int n)
{
	return add_months(day, 12 * n);
}

static int32_t first_of_month(int32_t day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	return days_from_civil(y, m, 1);
}

static int age_on(int32_t birth, int32_t on)
{
	int by, bm, bd, y, m, d, age;

	civil_from_days(birth, &by, &bm, &bd);
	civil_from_days(on, &y, &m, &d);
	age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

/* AOW age (rules.md §2): 67, or 67 and 3 months for births from 1961. */
static int32_t aow_date(int32_t birth)
{
	return add_months(birth, birth < days_from_civil(1961, 1, 1) ? 67 * 12 : 67 * 12 + 3);
}

static int64_t floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static int32_t max32(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

static int32_t min32(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

/* Strict "YYYY-MM-DD" or (day < 0) "YYYY-MM"; 0 on success. */
static int parse_date(const char *s, int want_day, int *y, int *m, int *d)
{
	size_t len = strlen(s), k;

	if (len != (want_day ? 10u : 7u))
		return -1;
	for (k = 0; k < len; k++) {
		int dash = k == 4 || k == 7;

		if (dash ? s[k] != '-' : (s[k] < '0' || s[k] > '9'))
			return -1;
	}
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = want_day ? (s[8] - '0') * 10 + (s[9] - '0') : 1;
	if (*y < 1990 || *y > 2199 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return -1;
	return 0;
}

/* ---------------------------------------------------------------------------
 * Buffered output to a plain or gzip file, written as NAME.part and renamed.
 */

#define OUT_CAP (1u << 16)

struct out {
	FILE *f;
	gzFile gz;
	int failed;
	size_t n;
	char path[4096];
	char part[4096];
	char buf[OUT_CAP];
};

static void out_flush(struct out *o)
{
	if (o->n == 0 || o->failed)
		goto done;
	if (o->gz) {
		if (gzwrite(o->gz, o->buf, (unsigned)o->n) != (int)o->n)
			o->failed = 1;
	} else if (fwrite(o->buf, 1, o->n, o->f) != o->n) {
		o->failed = 1;
	}
done:
	o->n = 0;
}

static void out_mem(struct out *o, const char *s, size_t len)
{
	if (o->n + len > OUT_CAP) {
		out_flush(o);
		while (len > OUT_CAP) {
			memcpy(o->buf, s, OUT_CAP);
			o->n = OUT_CAP;
			out_flush(o);
			s += OUT_CAP;
			len -= OUT_CAP;
		}
	}
	memcpy(o->buf + o->n, s, len);
	o->n += len;
}

static void out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

/* Text with the five XML special characters escaped (text and attributes). */
static void out_esc(struct out *o, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *ent;

		switch (*s) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&apos;"; break;
		default: continue;
		}
		out_mem(o, run, (size_t)(s - run));
		out_str(o, ent);
		run = s + 1;
	}
	out_mem(o, run, (size_t)(s - run));
}

static void out_uint(struct out *o, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v || n < width);
	out_mem(o, tmp + sizeof(tmp) - n, (size_t)n);
}

static void out_date(struct out *o, int32_t day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	out_uint(o, (uint64_t)y, 4);
	out_mem(o, "-", 1);
	out_uint(o, (uint64_t)m, 2);
	out_mem(o, "-", 1);
	out_uint(o, (uint64_t)d, 2);
}

/* Euro cents as "-12.50" / "1034.00": exactly two decimals. */
static void out_cents(struct out *o, int64_t cents)
{
	uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;

	if (cents < 0)
		out_mem(o, "-", 1);
	out_uint(o, a / 100, 1);
	out_mem(o, ".", 1);
	out_uint(o, a % 100, 2);
}

static void el_open(struct out *o, int indent, const char *name)
{
	out_mem(o, "                ", (size_t)indent);
	out_mem(o, "<", 1);
	out_str(o, name);
	out_mem(o, ">", 1);
}

static void el_close(struct out *o, const char *name)
{
	out_mem(o, "</", 2);
	out_str(o, name);
	out_mem(o, ">\n", 2);
}

static void el_line(struct out *o, int indent, const char *tag)
{
	out_mem(o, "                ", (size_t)indent);
	out_str(o, tag);
	out_mem(o, "\n", 1);
}

static void el_text(struct out *o, int indent, const char *name, const char *val)
{
	el_open(o, indent, name);
	out_esc(o, val);
	el_close(o, name);
}

static void el_date(struct out *o, int indent, const char *name, int32_t day)
{
	el_open(o, indent, name);
	out_date(o, day);
	el_close(o, name);
}

static void el_cents(struct out *o, int indent, const char *name, int64_t cents)
{
	el_open(o, indent, name);
	out_cents(o, cents);
	el_close(o, name);
}

static void el_uint(struct out *o, int indent, const char *name, uint64_t v)
{
	el_open(o, indent, name);
	out_uint(o, v, 1);
	el_close(o, name);
}

static void attr_text(struct out *o, const char *name, const char *val)
{
	out_mem(o, " ", 1);
	out_str(o, name);
	out_mem(o, "=\"", 2);
	out_esc(o, val);
	out_mem(o, "\"", 1);
}

static void attr_date(struct out *o, const char *name, int32_t day)
{
	out_mem(o, " ", 1);
	out_str(o, name);
	out_mem(o, "=\"", 2);
	out_date(o, day);
	out_mem(o, "\"", 1);
}

static int out_open(struct out *o, const char *dir, const char *name, int gzip)
{
	int n;

	memset(o, 0, offsetof(struct out, buf));
	n = snprintf(o->path, sizeof(o->path), "%s/%s%s", dir, name, gzip ? ".gz" : "");
	if (n < 0 || (size_t)n >= sizeof(o->path))
		goto toolong;
	n = snprintf(o->part, sizeof(o->part), "%s.part", o->path);
	if (n < 0 || (size_t)n >= sizeof(o->part))
		goto toolong;
	if (gzip)
		/* zlib's own header: no name, mtime 0, so the bytes are reproducible */
		o->gz = gzopen(o->part, "wb6");
	else
		o->f = fopen(o->part, "wb");
	if (!o->gz && !o->f) {
		fprintf(stderr, "brgen: cannot create %s: %s\n", o->part, strerror(errno));
		return -1;
	}
	return 0;
toolong:
	fprintf(stderr, "brgen: output path too long: %s/%s\n", dir, name);
	return -1;
}

static int out_close(struct out *o)
{
	int failed;

	out_flush(o);
	failed = o->failed;
	if (o->gz) {
		if (gzclose(o->gz) != Z_OK)
			failed = 1;
	} else {
		if (fflush(o->f) != 0)
			failed = 1;
		if (fclose(o->f) != 0)
			failed = 1;
	}
	if (!failed && rename(o->part, o->path) != 0)
		failed = 1;
	if (failed) {
		fprintf(stderr, "brgen: writing %s failed: %s\n", o->path, strerror(errno));
		remove(o->part);
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------------------
 * Reference data.
 */

/* Municipalities of WerkSaam Westfriesland, caseload per mille. */
static const struct {
	const char *code;
	unsigned pm;
} gemeenten[] = {
	{"0405", 496}, /* Hoorn */
	{"0420", 163}, /* Medemblik */
	{"0388", 109}, /* Enkhuizen */
	{"0532", 76},  /* Stede Broec */
	{"1598", 65},  /* Koggenland */
	{"0498", 58},  /* Drechterland */
	{"0432", 33},  /* Opmeer */
};

enum regeling { R_PW, R_IOAW, R_IOAZ, R_BBZ };
static const char *const regeling_name[] = {"PW", "IOAW", "IOAZ", "BBZ"};
static const unsigned regeling_pm[] = {930, 40, 8, 22};

enum leefvorm { L_ALLEEN, L_OUDER, L_GEHUWD };
static const char *const leefvorm_name[] = {"ALLEENSTAAND", "ALLEENSTAANDE_OUDER", "GEHUWD"};

static const struct {
	const char *code;
	const char *bic;
	unsigned w;
} banks[] = {
	{"INGB", "INGBNL2A", 350}, {"RABO", "RABONL2U", 280}, {"ABNA", "ABNANL2A", 180},
	{"SNSB", "SNSBNL2A", 80},  {"BUNQ", "BUNQNL2A", 50},  {"ASNB", "ASNBNL21", 30},
	{"KNAB", "KNABNL2H", 20},  {"TRIO", "TRIONL2U", 10},
};

static const char *const first_names[] = {
	"Jan", "Pieter", "Kees", "Sander", "Dennis", "Mark", "Kevin", "Tim", "Daan",
	"Sem", "Lucas", "Bas", "Ruud", "Henk", "Gerrit", "Willem", "Johan", "Niels",
	"Stefan", "Joost", "Klaas", "Sjaak", "Dirk", "Cor", "Jeroen", "Anna", "Emma",
	"Sanne", "Lotte", "Fleur", "Iris", "Linda", "Marieke", "Petra", "Ingrid",
	"Anouk", "Kim", "Sophie", "Julia", "Tess", "Naomi", "Esther", "Monique",
	"Wendy", "Sandra", "Trijntje", "Geertje", "Aukje", "Ria", "Bianca",
	"Zoë", "José", "Anaïs", "Chloë", "Noël", "Loïs", "Inès", "Renée", "André",
	"Brigitte", "Ömer", "Şeyma", "Łukasz", "Søren", "Małgorzata", "Agnieszka",
	"Tomás", "Mohammed", "Fatima", "Yusuf", "Ayşe", "Khadija", "Bilal", "Aziz",
	"Mehmet", "Emine", "Nadia", "Rachid", "Samira", "Youssef", "Hüseyin",
	"Gülşen", "Dragan", "Jovana", "Thảo", "Aleksander", "Katarzyna", "Piotr",
	"Olena", "Dmytro", "Oksana", "Tigist", "Semere", "Abdi", "Hodan", "Mariam",
	"Omar", "Priya", "Ioana", "Mihai", "François", "Björn",
};

static const char *const surnames_nl[] = {
	"de Vries", "Jansen", "de Jong", "van den Berg", "Bakker", "Visser", "Smit",
	"Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
	"Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra",
	"van Dijk", "Kok", "Schouten", "Koning", "van der Meer", "Willems",
	"van der Linden", "Postma", "'t Hart", "in 't Veld", "van 't Hof",
	"ter Horst", "op de Kamp",
};

static const char *const surnames_wf[] = {
	"Groot", "Kaag", "Schuurman", "Zwaan", "Ruiter", "Appelman", "Dudink",
	"Wijnker", "Tensen", "Commandeur", "Stroet", "Beemsterboer",
	"Kistemaker", "Molenaar", "Pronk", "Laan", "Sijm", "Mantel", "Bijlsma",
	"Nootebos", "Kuijpers", "Hoogland",
};

static const char *const surnames_mig[] = {
	"Çelik", "Yılmaz", "Şahin", "Kaya", "Öztürk", "Demir", "Kowalski",
	"Nowak", "Wiśniewska", "Müller-Lüdenscheidt", "Ærø", "El Amrani",
	"Bouzid", "Benali", "Haddou", "El Idrissi", "Nguyễn", "Trần", "Pereira",
	"Gonçalves", "Pinas", "Breeveld", "Kartosen", "Tahitu", "Sahertian",
	"Petrenko", "Kovalenko", "Shevchenko", "Bondarenko", "Tesfay", "Haile",
	"Mohamed", "Hassan", "Popescu", "Ionescu", "Jovanović", "D'Souza",
	"O'Brien",
};

/* Third parties: housing corporations of Westfriesland, health insurers.
 * The IBANs are generated (valid, fictitious account numbers). */
enum derde_soort { D_HUUR, D_ZORG };
static const struct {
	const char *naam;
	const char *bank;
	const char *acct;
	enum derde_soort soort;
} derden_orgs[] = {
	{"Intermaris", "RABO", "9301488301", D_HUUR},
	{"Wooncompagnie", "INGB", "9650011727", D_HUUR},
	{"Woningstichting Het Grootslag", "RABO", "9378290114", D_HUUR},
	{"Zilveren Kruis Zorgverzekeringen N.V.", "INGB", "9000098765", D_ZORG},
	{"VGZ Zorgverzekeraar N.V.", "ABNA", "9412236120", D_ZORG},
	{"CZ groep Zorgverzekeraar", "INGB", "9002202000", D_ZORG},
	{"Menzis Zorgverzekeraar N.V.", "ABNA", "9567412388", D_ZORG},
	{"Zorg en Zekerheid", "RABO", "9150607080", D_ZORG},
	{"Univé Zorg N.V.", "RABO", "9317707312", D_ZORG},
};

static const char *const opschorting_redenen[] = {
	"Adresonderzoek",
	"Onderzoek woonsituatie",
	"Inlichtingen niet verstrekt (art. 54 lid 1 Pw)",
	"Onderzoek vermogen & inkomsten",
	"Niet verschenen op afspraak \"werk & inkomen\"",
};

/* ---------------------------------------------------------------------------
 * Identities.
 */

/* BSN of person number p: 7 digits from a keyed permutation, then d8 and
 * the check digit d9 so that 9·d1+…+2·d8−d9 ≡ 0 (mod 11). */
static void bsn_make(char out[10], uint64_t seed, uint32_t p)
{
	uint32_t v = perm_below(seed ^ UINT64_C(0x42534e), p, PERSON_SPACE) + 1000000u;
	unsigned s = 0, d8, d9;
	int k;

	for (k = 6; k >= 0; k--) {
		out[k] = (char)('0' + v % 10);
		s += (unsigned)(9 - k) * (v % 10);
		v /= 10;
	}
	d8 = hash32(seed, S_BSN2, p) % 10;
	d9 = (s + 2 * d8) % 11;
	if (d9 == 10) {
		d8 = (d8 + 1) % 10;
		d9 = (s + 2 * d8) % 11;
	}
	out[7] = (char)('0' + d8);
	out[8] = (char)('0' + d9);
	out[9] = '\0';
}

/* ISO 13616 check digits for country + BBAN (upper-case letters, digits). */
static unsigned iban_check(const char *country, const char *bban)
{
	unsigned rem = 0;
	const char *p;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		for (p = pass ? country : bban; *p; p++) {
			if (*p >= 'A' && *p <= 'Z')
				rem = (rem * 100 + (unsigned)(*p - 'A' + 10)) % 97;
			else
				rem = (rem * 10 + (unsigned)(*p - '0')) % 97;
		}
	}
	rem = (rem * 100) % 97; /* "00" */
	return 98 - rem;
}

static void iban_make(char *out, size_t size, const char *country, const char *bban)
{
	snprintf(out, size, "%s%02u%s", country, iban_check(country, bban), bban);
}

static void nl_iban(char out[19], const char *bank, const char *acct)
{
	char bban[15];

	snprintf(bban, sizeof(bban), "%.4s%.10s", bank, acct);
	iban_make(out, 19, "NL", bban);
}

/* Loonheffingennummer of employer e: an RSIN (elfproef like a BSN, from its
 * own permutation, the same in every seed) + "L01"/"L02". */
static void lhnr_make(char out[13], uint32_t e)
{
	char rsin[10];

	bsn_make(rsin, UINT64_C(0x52534e), e);
	snprintf(out, 13, "%.9sL0%u", rsin, 1 + (unsigned)(e % 7 == 3));
}

#define EMP_UWV 0u
#define EMP_PENSION_FIRST 1u
#define EMP_PENSION_N 5u
#define EMP_FIRST 8u

/* ---------------------------------------------------------------------------
 * Generator state and the dossier model.
 */

struct gen {
	uint64_t seed;
	uint32_t nd;                 /* dossiers */
	int32_t peil;                /* peildatum, days */
	int32_t ref;                 /* the day the world's dates are laid out around */
	int py, pmon, pday;
	int n_months;
	int month_y[MAX_MONTHS], month_m[MAX_MONTHS];
	uint64_t thr_earn;           /* earner if hash < thr (2^-32 fraction) */
	uint64_t thr_unk;            /* income for a BSN with no dossier */
	uint32_t n_signals;
	uint32_t n_defects;
	uint32_t n_employers;
	uint32_t opgave_off, signal_off;
	uint64_t weyl_off;
	long long income_target;     /* -1: default rate */
	int gzip;
	int open_ended;              /* --open-ended: no dossier has an Einddatum */
	uint32_t accounts_changed;   /* --accounts-changed, per 1,000 dossiers */
	const char *dir;
};

struct person {
	uint32_t pidx;
	char bsn[10];
	char naam[160];
	const char *first, *sur;
	char initials[16];           /* "J" or "J.P." (UTF-8) */
	int32_t geb;
};

struct grant {
	const char *code;
	const char *persoon;
	int32_t ingang, eind;
	int maanden;                 /* -1 absent */
};

struct claim {
	char kenmerk[32];
	const char *soort;
	int64_t saldo, termijn;
};

struct derde {
	char kenmerk[32];
	unsigned org;
	char iban[19];
	int64_t bedrag;
	int prio;
	char omschr[96];
};

struct dossier {
	uint32_t idx;
	char nummer[24];
	enum regeling reg;
	const char *gemeente;
	int32_t ingang, eind;
	struct person aanvrager, partner;
	int has_partner;
	enum leefvorm lv;
	int32_t kind_geb;
	int kostendelers;
	int wkv;                     /* -1 absent */
	char iban[19];
	const char *bic;
	char tenaam[220];
	int64_t vast, vtres;         /* -1 absent */
	int n_grants;
	struct grant grants[3];
	int n_claims;
	struct claim claims[3];
	int n_derden;
	struct derde derden[2];
	int has_opsch;
	int32_t opsch_vanaf;
	const char *opsch_reden;
	int job_person;              /* who earns, when earning: 0 aanvrager, 1 partner */
	uint32_t w;                  /* earner score */
};

static size_t utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		return 2;
	if ((c & 0xf0) == 0xe0)
		return 3;
	return 4;
}

static const char *surname_pick(struct rng *r)
{
	unsigned x = rng_below(r, 100);

	if (x < 62)
		return surnames_nl[rng_below(r, ARRAY_SIZE(surnames_nl))];
	if (x < 78)
		return surnames_wf[rng_below(r, ARRAY_SIZE(surnames_wf))];
	return surnames_mig[rng_below(r, ARRAY_SIZE(surnames_mig))];
}

static void person_make(struct person *p, const struct gen *g, struct rng *r, uint32_t pidx,
			int32_t geb, const char *surname)
{
	size_t l1;

	p->pidx = pidx;
	bsn_make(p->bsn, g->seed, pidx);
	p->geb = geb;
	p->first = first_names[rng_below(r, ARRAY_SIZE(first_names))];
	p->sur = surname ? surname : surname_pick(r);
	l1 = utf8_len((unsigned char)p->first[0]);
	if (rng_pm(r, 250)) {
		/* initials form of the example, "J. de Vries" or "J.P. de Vries" */
		if (rng_pm(r, 300)) {
			const char *second = first_names[rng_below(r, ARRAY_SIZE(first_names))];

			snprintf(p->naam, sizeof(p->naam), "%.*s.%.*s. %s", (int)l1, p->first,
				 (int)utf8_len((unsigned char)second[0]), second, p->sur);
		} else {
			snprintf(p->naam, sizeof(p->naam), "%.*s. %s", (int)l1, p->first, p->sur);
		}
	} else {
		snprintf(p->naam, sizeof(p->naam), "%s %s", p->first, p->sur);
	}
	snprintf(p->initials, sizeof(p->initials), "%.*s", (int)l1, p->first);
}

/* Birth date of someone aged between lo and hi (inclusive) on `on`. */
static int32_t birth_for_age(struct rng *r, int32_t on, int lo, int hi)
{
	int a = (int)rng_range(r, lo, hi);
	int32_t first = add_years(on, -(a + 1)) + 1, last = add_years(on, -a);

	return (int32_t)rng_range(r, first, last);
}

static const struct agebracket {
	int lo, hi;
	unsigned w;
} ages_pw[] = {
	{18, 20, 30}, {21, 26, 90}, {27, 34, 160}, {35, 44, 220},
	{45, 54, 230}, {55, 61, 170}, {62, 66, 93}, {67, 70, 7},
};

static int32_t birth_pw(struct rng *r, int32_t on)
{
	unsigned w[ARRAY_SIZE(ages_pw)];
	size_t k;

	for (k = 0; k < ARRAY_SIZE(ages_pw); k++)
		w[k] = ages_pw[k].w;
	k = rng_weighted(r, w, ARRAY_SIZE(ages_pw));
	return birth_for_age(r, on, ages_pw[k].lo, ages_pw[k].hi);
}

static const char *gemeente_of(const struct gen *g, uint32_t i)
{
	/* Weyl sequence: equidistributed, so every prefix of the register has
	 * the caseload proportions almost exactly. */
	uint64_t u = (uint64_t)(i + 1) * UINT64_C(0x9e3779b97f4a7c15) + g->weyl_off;
	uint64_t x = ((u >> 32) * 1000u) >> 32;
	size_t k;

	for (k = 0; k + 1 < ARRAY_SIZE(gemeenten); k++) {
		if (x < gemeenten[k].pm)
			return gemeenten[k].code;
		x -= gemeenten[k].pm;
	}
	return gemeenten[k].code;
}

static void grants_make(struct dossier *d, struct rng *r, const struct gen *g)
{
	const struct person *who;
	int32_t child12 = NO_DATE;
	int age, n, k;

	n = rng_pm(r, 100) ? 2 : 1;
	for (k = 0; k < n; k++) {
		struct grant *gr = &d->grants[d->n_grants];
		int persoon = d->has_partner && (rng_pm(r, 850) ? d->job_person : !d->job_person);
		unsigned x = rng_below(r, 1000);
		int limit = 0;

		who = persoon ? &d->partner : &d->aanvrager;
		age = age_on(who->geb, g->ref);
		if (d->lv == L_OUDER && d->kind_geb != NO_DATE)
			child12 = add_years(d->kind_geb, 12);
		if (k == 0 && !persoon && child12 != NO_DATE && child12 > g->ref && age >= 27 && x < 450)
			gr->code = "R";
		else if (k == 0 && (age >= 27 || x < 200) && x < 650)
			gr->code = "N";
		else if (x < 780)
			gr->code = "Y";
		else if (x < 880)
			gr->code = "Z";
		else
			gr->code = "AA";
		if (k == 1 && strcmp(gr->code, d->grants[0].code) == 0)
			gr->code = strcmp(gr->code, "AA") == 0 ? "Y" : "AA";
		gr->persoon = persoon ? "PARTNER" : "AANVRAGER";
		if (k == 1 && d->grants[0].eind != NO_DATE)
			gr->ingang = d->grants[0].eind + 1;
		else
			gr->ingang = first_of_month(g->ref - (int32_t)rng_range(r, 0, 420));
		if (rng_pm(r, 300))
			gr->ingang += (int32_t)rng_range(r, 1, 27);
		if (rng_pm(r, 30))
			gr->ingang = first_of_month(add_months(g->ref, 1));
		if (gr->ingang < d->ingang)
			gr->ingang = d->ingang;
		gr->eind = NO_DATE;
		gr->maanden = -1;
		if (strcmp(gr->code, "N") == 0)
			limit = 6;
		else if (strcmp(gr->code, "Z") == 0)
			limit = 12;
		else if (strcmp(gr->code, "R") == 0)
			limit = 30;
		if (limit && rng_pm(r, 350))
			gr->eind = add_months(gr->ingang, limit) - 1;
		else if (!limit && rng_pm(r, 100))
			gr->eind = gr->ingang + (int32_t)rng_range(r, 90, 500);
		if (limit && rng_pm(r, 100))
			gr->maanden = (int)rng_range(r, 1, limit - 1);
		d->n_grants++;
	}
}

static void claims_make(struct dossier *d, struct rng *r)
{
	int n = rng_pm(r, 820) ? 1 : (rng_pm(r, 800) ? 2 : 3), k, y;

	for (k = 0; k < n; k++) {
		struct claim *c = &d->claims[k];
		int boete = rng_pm(r, 200);
		int dy, dm, dd;

		civil_from_days(d->ingang, &dy, &dm, &dd);
		y = (int)rng_range(r, dy < 2016 ? 2016 : dy, 2026);
		snprintf(c->kenmerk, sizeof(c->kenmerk), "%s-%04d-%06" PRIu32, boete ? "BT" : "TV", y,
			 d->idx * 4u + (uint32_t)k + 1u);
		c->soort = boete ? "BOETE" : "TERUGVORDERING";
		if (boete) {
			c->saldo = rng_range(r, 15000, 300000);
			c->termijn = rng_range(r, 25, 100) * 100;
		} else {
			c->saldo = rng_range(r, 2500, 650000);
			c->termijn = rng_range(r, 20, 150) * 100;
			if (rng_pm(r, 300))
				c->termijn += 50;
		}
		if (c->termijn > c->saldo)
			c->termijn = c->saldo;
	}
	d->n_claims = n;
}

static void derden_make(struct dossier *d, struct rng *r)
{
	int huur = rng_pm(r, 800), zorg = !huur || rng_pm(r, 400);

	if (huur) {
		struct derde *x = &d->derden[d->n_derden++];
		unsigned contract = (unsigned)rng_range(r, 1000, 99999);

		if (strcmp(d->gemeente, "0405") == 0)
			x->org = rng_pm(r, 600) ? 0 : 1;
		else if (strcmp(d->gemeente, "0420") == 0)
			x->org = rng_pm(r, 500) ? 2 : 1;
		else
			x->org = rng_pm(r, 700) ? 1 : 0;
		snprintf(x->kenmerk, sizeof(x->kenmerk), "HUUR-%u", contract);
		snprintf(x->omschr, sizeof(x->omschr),
			 rng_pm(r, 300) ? "Huur & servicekosten contract %u" : "Huur contract %u", contract);
		x->bedrag = rng_range(r, 42000, 78000);
		x->prio = 1;
	}
	if (zorg) {
		struct derde *x = &d->derden[d->n_derden++];
		unsigned polis = (unsigned)rng_range(r, 10000000, 99999999);

		x->org = 3 + rng_below(r, 6);
		snprintf(x->kenmerk, sizeof(x->kenmerk), "ZVW-%u", polis);
		snprintf(x->omschr, sizeof(x->omschr), "Premie zorgverzekering polis %u", polis);
		x->bedrag = rng_range(r, 13850, 16275);
		x->prio = huur ? 2 : 1;
	}
	for (int k = 0; k < d->n_derden; k++)
		nl_iban(d->derden[k].iban, derden_orgs[d->derden[k].org].bank,
			derden_orgs[d->derden[k].org].acct);
}

/* Build dossier i (0-based): a pure function of (seed, i, g->ref), so every
 * snapshot of one seed near the same ref describes the same cases. */
/*
 * --open-ended: suspensions end.  A suspension (art. 54(1) Pw) holds the
 * payment until the client does what was asked, or the right is revoked;
 * in a world that runs on for years each one is lifted 31 to 92 days after
 * it began (the register of a later peildatum no longer has it), and from
 * 2026-12 on about 2 of every 1,000 dossiers are newly suspended each
 * month, so that about as many are held in any month as in the reference
 * world (5 per 1,000) and none is held for years.  Registers up to the
 * reference month are unchanged: no suspension of it ends before
 * 2026-10-29, no new one begins before 2026-12.
 */
static void suspension_over_time(struct dossier *d, const struct gen *g, uint32_t i)
{
	int mo, peil_mo = g->py * 12 + (g->pmon - 1);

	if (d->has_opsch && g->peil >= d->opsch_vanaf + 31 + (int32_t)(hash32(g->seed, S_SUSPEND, i) % 62))
		d->has_opsch = 0;
	/* one begun before the month three months back has ended */
	for (mo = peil_mo - 3; mo <= peil_mo; mo++) {
		uint64_t h = h3(g->seed ^ S_SUSPEND, i, (uint64_t)mo);
		int32_t start = days_from_civil(mo / 12, mo % 12 + 1, 1) + (int32_t)((h >> 10) % 28);

		if (mo < 2026 * 12 + 11 || h % 1000 >= 2)
			continue;
		if (g->peil >= start && g->peil < start + 31 + (int32_t)((h >> 20) % 62)) {
			d->has_opsch = 1;
			d->opsch_vanaf = start;
			d->opsch_reden = opschorting_redenen[(h >> 32) % ARRAY_SIZE(opschorting_redenen)];
		}
	}
}

static void dossier_make(struct dossier *d, const struct gen *g, uint32_t i)
{
	struct rng r;
	int32_t peil = g->ref, lo, aow;   /* "peil" here: the world's reference day */
	int age, ageband;
	char acct[11];
	uint32_t acct7, moves;
	int mo;

	memset(d, 0, offsetof(struct dossier, grants));
	d->n_grants = d->n_claims = d->n_derden = 0;
	d->has_opsch = 0;
	rng_init(&r, g->seed, S_DOSSIER, i);
	d->idx = i;
	d->gemeente = gemeente_of(g, i);
	d->reg = (enum regeling)rng_weighted(&r, regeling_pm, ARRAY_SIZE(regeling_pm));
	snprintf(d->nummer, sizeof(d->nummer), "%s-%s-%06" PRIu32, regeling_name[d->reg], d->gemeente,
		 i + 1);

	/* applicant's age by scheme: IOAW from 60 (born before 1965), IOAZ
	 * from 55, Bbz for working-age self-employed */
	switch (d->reg) {
	case R_IOAW: d->aanvrager.geb = birth_for_age(&r, peil, 61, 66); break;
	case R_IOAZ: d->aanvrager.geb = birth_for_age(&r, peil, 56, 66); break;
	case R_BBZ: d->aanvrager.geb = birth_for_age(&r, peil, 22, 63); break;
	default: d->aanvrager.geb = birth_pw(&r, peil); break;
	}
	age = age_on(d->aanvrager.geb, peil);
	ageband = age <= 20 ? 0 : (age >= 56 ? 2 : 1);
	person_make(&d->aanvrager, g, &r, 2u * i, d->aanvrager.geb, NULL);

	/* household */
	{
		static const unsigned lv_young[] = {850, 100, 50};
		static const unsigned lv_mid[] = {479, 334, 187};
		static const unsigned lv_old[] = {700, 50, 250};
		const unsigned *w = ageband == 0 ? lv_young : (ageband == 1 ? lv_mid : lv_old);

		if (d->reg == R_IOAW || d->reg == R_IOAZ)
			w = lv_old;
		d->lv = (enum leefvorm)rng_weighted(&r, w, 3);
	}
	d->kind_geb = NO_DATE;
	if (d->lv == L_GEHUWD) {
		int pa = age + (int)rng_range(&r, -6, 6);
		int32_t pgeb;

		if (age <= 20)
			pa = (int)rng_range(&r, 18, 24);
		if (pa < 18)
			pa = 18;
		pgeb = birth_for_age(&r, peil, pa, pa);
		d->has_partner = 1;
		person_make(&d->partner, g, &r, 2u * i + 1u, pgeb,
			    rng_pm(&r, 150) ? d->aanvrager.sur : NULL);
	}
	if (d->lv == L_OUDER || (d->lv == L_GEHUWD && rng_pm(&r, 500))) {
		int32_t young = max32(d->aanvrager.geb, d->has_partner ? d->partner.geb : INT32_MIN);
		int32_t klo = max32(add_years(young, 17), add_years(peil, -18) + 1), khi = peil - 30;

		if (d->lv == L_GEHUWD && rng_pm(&r, 120))
			klo = add_years(young, 17), khi = add_years(peil, -18);
		if (klo <= khi) {
			/* younger children are more common among clients */
			int32_t a = (int32_t)rng_range(&r, klo, khi), b = (int32_t)rng_range(&r, klo, khi);

			d->kind_geb = rng_pm(&r, 500) ? max32(a, b) : a;
		} else if (d->lv == L_OUDER) {
			d->lv = L_ALLEEN;
		}
	}

	/* start and end of the benefit */
	{
		static const int32_t durs[][2] = {{0, 365}, {366, 730}, {731, 1095}, {1096, 2190}, {2191, 4300}};
		static const unsigned durw[] = {250, 200, 150, 200, 200};
		size_t b = rng_weighted(&r, durw, ARRAY_SIZE(durw));
		int32_t dur = (int32_t)rng_range(&r, durs[b][0], durs[b][1]);

		if (d->reg == R_BBZ)
			dur = (int32_t)rng_range(&r, 0, 440);
		d->ingang = peil - dur;
		if (rng_pm(&r, 400))
			d->ingang = first_of_month(d->ingang);
		lo = max32(days_from_civil(2015, 1, 1), add_years(d->aanvrager.geb, 18));
		if (d->reg == R_IOAW)
			lo = max32(lo, add_years(d->aanvrager.geb, 60));
		else if (d->reg == R_IOAZ)
			lo = max32(lo, add_years(d->aanvrager.geb, 55));
		if (d->ingang < lo)
			d->ingang = lo + (int32_t)rng_range(&r, 0, 60);
		if (d->ingang > peil)
			d->ingang = peil;
		if (rng_pm(&r, 10))
			d->ingang = first_of_month(add_months(peil, 1));   /* starts next month */
	}
	d->eind = NO_DATE;
	aow = aow_date(d->aanvrager.geb);
	if (d->reg == R_BBZ) {
		d->eind = add_months(d->ingang, 12) - 1;
	} else if (aow > peil && aow <= peil + 365 && rng_pm(&r, 600)) {
		d->eind = aow - 1;                 /* ends at AOW age */
	} else {
		unsigned x = rng_below(&r, 1000);

		if (x < 30)
			d->eind = peil - (int32_t)rng_range(&r, 1, 75);
		else if (x < 60)
			d->eind = peil + (int32_t)rng_range(&r, 1, 150);
	}
	if (d->eind != NO_DATE && d->eind < d->ingang)
		d->eind = NO_DATE;
	if (g->open_ended)    /* drawn above all the same: the rest is unchanged */
		d->eind = NO_DATE;

	/* kostendelers: medebewoners of 27+ (young adults living with parents) */
	d->kostendelers = 0;
	if (rng_pm(&r, age <= 26 ? 300 : 50)) {
		static const unsigned kw[] = {700, 220, 80};

		d->kostendelers = 1 + (int)rng_weighted(&r, kw, 3);
	}
	d->wkv = -1;
	if (rng_pm(&r, 7))
		d->wkv = 5 * (int)rng_range(&r, 1, 4);
	else if (rng_pm(&r, 100))
		d->wkv = 0;

	/* account: bank by market share, account number unique per dossier */
	{
		unsigned b[ARRAY_SIZE(banks)];
		size_t k;

		for (k = 0; k < ARRAY_SIZE(banks); k++)
			b[k] = banks[k].w;
		k = rng_weighted(&r, b, ARRAY_SIZE(banks));
		acct7 = perm_below(g->seed ^ UINT64_C(0x41434354), i, PERSON_SPACE) + 1000000u;
		/* the account of every month since the start is the one drawn,
		 * moved by one for each month (up to the peildatum's) in which the
		 * dossier was among those that changed: the seven digits keep it
		 * unique */
		moves = 0;
		for (mo = 0; g->accounts_changed && mo <= g->py * 12 + g->pmon - (2026 * 12 + 11); mo++)
			moves += h3(g->seed ^ S_MOVE, i, (uint64_t)mo) % 1000 < g->accounts_changed;
		snprintf(acct, sizeof(acct), "%03u%07" PRIu32, (rng_below(&r, 900) + moves) % 900, acct7);
		nl_iban(d->iban, banks[k].code, acct);
		d->bic = rng_pm(&r, 850) ? banks[k].bic : NULL;
	}
	{
		const struct person *a = &d->aanvrager;
		unsigned x = rng_below(&r, 1000);

		if (x < 20)    /* under beschermingsbewind: the bewindvoerder's account */
			snprintf(d->tenaam, sizeof(d->tenaam), "Beheerrekening %s %s", a->initials, a->sur);
		else if (d->has_partner && x < 220)
			snprintf(d->tenaam, sizeof(d->tenaam), "%s %s en/of %s %s", a->initials, a->sur,
				 d->partner.initials, d->partner.sur);
		else if (x < 270)
			snprintf(d->tenaam, sizeof(d->tenaam), "%s. %s", a->initials, a->sur);
		else if (x < 300)
			snprintf(d->tenaam, sizeof(d->tenaam), "%s %s", a->first, a->sur);
		else
			snprintf(d->tenaam, sizeof(d->tenaam), "%s %s", a->initials, a->sur);
	}

	d->vast = -1;
	if (d->reg == R_IOAW || d->reg == R_IOAZ)
		d->vast = rng_range(&r, 130000, 210000);
	else if (d->reg == R_BBZ)
		d->vast = rng_range(&r, 140000, 210000);
	d->vtres = -1;
	if (d->reg == R_PW && d->ingang <= peil - 180 && rng_pm(&r, 4))
		d->vtres = rng_range(&r, 4000, 80000);

	/* who earns, if this dossier earns (intrinsic, so grants can follow it) */
	d->w = hash32(g->seed, S_EARN, i);
	d->job_person = d->has_partner && hash32(g->seed, S_JOBPERSON, i) % 1000 < 300;

	/* vrijlating grants (PW): mostly for those who work */
	if (d->reg == R_PW &&
	    ((uint64_t)d->w < PM(55) || hash32(g->seed, S_GRANT, i) % 1000 < 12))
		grants_make(d, &r, g);
	if (rng_pm(&r, 100))
		claims_make(d, &r);
	if (rng_pm(&r, 50))
		derden_make(d, &r);
	if (rng_pm(&r, 5)) {
		d->has_opsch = 1;
		d->opsch_vanaf = peil - (int32_t)rng_range(&r, -5, 60);
		d->opsch_reden = opschorting_redenen[rng_below(&r, ARRAY_SIZE(opschorting_redenen))];
	}
	if (g->open_ended)
		suspension_over_time(d, g, i);

	/* --defects: record problems of formats.md §5, still schema-valid */
	if (g->n_defects && (uint64_t)hash32(g->seed, S_DEFECT, i) * g->nd < (uint64_t)g->n_defects * FRAC_ONE) {
		switch (hash32(g->seed, S_DEFECT + 100, i) % 3) {
		case 0:
			d->iban[2] = d->iban[2] == '9' ? '0' : (char)(d->iban[2] + 1);
			break;
		case 1:
			if (d->n_grants == 0) {
				d->grants[0] = (struct grant){"N", "AANVRAGER", d->ingang, NO_DATE, -1};
				d->n_grants = 1;
			}
			d->grants[d->n_grants] = d->grants[0];
			d->grants[d->n_grants].ingang = d->grants[0].ingang + 31;
			d->grants[d->n_grants].eind = NO_DATE;
			d->n_grants++;
			break;
		default:
			if (!d->has_partner) {
				d->has_partner = 1;
				person_make(&d->partner, g, &r, 2u * i + 1u, d->aanvrager.geb + 400, NULL);
			}
			d->lv = L_ALLEEN;
			break;
		}
	}
}

static void person_emit(struct out *o, const char *name, const struct person *p)
{
	el_open(o, 4, name);
	out_mem(o, "\n", 1);
	el_text(o, 6, "BSN", p->bsn);
	el_text(o, 6, "Naam", p->naam);
	el_date(o, 6, "Geboortedatum", p->geb);
	out_mem(o, "    ", 4);
	el_close(o, name);
}

static void dossier_emit(struct out *o, const struct dossier *d)
{
	int k;

	el_line(o, 2, "<Dossier>");
	el_text(o, 4, "Dossiernummer", d->nummer);
	el_text(o, 4, "Regeling", regeling_name[d->reg]);
	el_text(o, 4, "Gemeente", d->gemeente);
	el_date(o, 4, "Ingangsdatum", d->ingang);
	if (d->eind != NO_DATE)
		el_date(o, 4, "Einddatum", d->eind);
	person_emit(o, "Aanvrager", &d->aanvrager);
	if (d->has_partner)
		person_emit(o, "Partner", &d->partner);
	el_text(o, 4, "Leefvorm", leefvorm_name[d->lv]);
	if (d->kind_geb != NO_DATE)
		el_date(o, 4, "JongsteKindGeboortedatum", d->kind_geb);
	el_uint(o, 4, "Kostendelers", (uint64_t)d->kostendelers);
	if (d->wkv >= 0)
		el_uint(o, 4, "Woonkostenverlaging", (uint64_t)d->wkv);
	el_line(o, 4, "<Betaalrekening>");
	el_text(o, 6, "IBAN", d->iban);
	if (d->bic)
		el_text(o, 6, "BIC", d->bic);
	el_text(o, 6, "Tenaamstelling", d->tenaam);
	el_line(o, 4, "</Betaalrekening>");
	if (d->vast >= 0)
		el_cents(o, 4, "VastBedrag", d->vast);
	if (d->vtres >= 0)
		el_cents(o, 4, "VtReservering", d->vtres);
	for (k = 0; k < d->n_grants; k++) {
		const struct grant *gr = &d->grants[k];

		out_str(o, "    <Vrijlating");
		attr_text(o, "code", gr->code);
		attr_text(o, "persoon", gr->persoon);
		attr_date(o, "ingangsdatum", gr->ingang);
		if (gr->eind != NO_DATE)
			attr_date(o, "einddatum", gr->eind);
		if (gr->maanden >= 0) {
			out_str(o, " maanden_gebruikt=\"");
			out_uint(o, (uint64_t)gr->maanden, 1);
			out_str(o, "\"");
		}
		out_str(o, "/>\n");
	}
	for (k = 0; k < d->n_claims; k++) {
		el_line(o, 4, "<Inhouding>");
		el_text(o, 6, "Kenmerk", d->claims[k].kenmerk);
		el_text(o, 6, "Soort", d->claims[k].soort);
		el_cents(o, 6, "Saldo", d->claims[k].saldo);
		el_cents(o, 6, "Termijn", d->claims[k].termijn);
		el_line(o, 4, "</Inhouding>");
	}
	for (k = 0; k < d->n_derden; k++) {
		const struct derde *x = &d->derden[k];

		el_line(o, 4, "<BetalingAanDerden>");
		el_text(o, 6, "Kenmerk", x->kenmerk);
		el_text(o, 6, "Naam", derden_orgs[x->org].naam);
		el_text(o, 6, "IBAN", x->iban);
		el_cents(o, 6, "Bedrag", x->bedrag);
		el_uint(o, 6, "Prioriteit", (uint64_t)x->prio);
		el_text(o, 6, "Omschrijving", x->omschr);
		el_line(o, 4, "</BetalingAanDerden>");
	}
	if (d->has_opsch) {
		out_str(o, "    <Opschorting");
		attr_date(o, "vanaf", d->opsch_vanaf);
		attr_text(o, "reden", d->opsch_reden);
		out_str(o, "/>\n");
	}
	el_line(o, 2, "</Dossier>");
}

static void out_timestamp(struct out *o, int32_t day, int hh)
{
	out_date(o, day);
	out_mem(o, "T", 1);
	out_uint(o, (uint64_t)hh, 2);
	out_str(o, ":00:00");
}

static int write_register(const struct gen *g)
{
	static struct out o;
	struct dossier d;
	char id[96];
	uint32_t i;

	if (out_open(&o, g->dir, "register.xml", g->gzip) < 0)
		return -1;
	snprintf(id, sizeof(id), "REG-%04d-%02d-%02d-S%" PRIu64, g->py, g->pmon, g->pday, g->seed);
	out_str(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<Clientregister xmlns=\"urn:nl:betaalrun:clientregister:1\"");
	attr_text(&o, "leveringId", id);
	attr_date(&o, "peildatum", g->peil);
	out_str(&o, " aanmaakdatum=\"");
	out_timestamp(&o, g->peil, 18);
	out_str(&o, "\">\n");
	for (i = 0; i < g->nd; i++) {
		dossier_make(&d, g, i);
		dossier_emit(&o, &d);
	}
	out_str(&o, "</Clientregister>\n");
	if (out_close(&o) < 0)
		return -1;
	printf("%s: %" PRIu32 " dossiers\n", o.path, g->nd);
	return 0;
}

/* ---------------------------------------------------------------------------
 * Income (Inkomstenlevering).
 */

enum soort { K_ARBEID, K_UITKERING, K_PENSIOEN, K_OVERIG };
static const char *const soort_name[] = {"ARBEID", "UITKERING", "PENSIOEN", "OVERIG"};

enum tag { T_NIEUWE_IKV = 1, T_CORRECTIE = 2, T_NATURA = 4, T_BEREKEN = 8 };

/* One inkomstenverhouding of one person. */
struct line {
	int person;                  /* 0 aanvrager, 1 partner */
	enum soort soort;
	int fourweekly;
	int32_t anchor;              /* first day of some four-week period */
	uint32_t employer;
	int numiv;
	int64_t base;                /* cents per calendar month */
	int hours_week;              /* 0: no AantVerlU */
	int flex, vak, ikb, dertiende, hk, zvw, wga, bereken;
	int64_t auto_cents;
	int32_t start, end;
};

struct job {
	int n;
	struct line line[4];         /* main, second job, other partner, benefit */
};

struct opgave {
	char id[32];
	char vervangt[32];
	int intrekking;              /* -1 absent */
	const char *bsn;
	char lhnr[13];
	int numiv;
	enum soort soort;
	int32_t aanv, eind;
	int64_t wage, vak, extr, ikb, auto_cents, ln, inglb, zvw, wga;
	int hk;
	int uren;                    /* -1 absent */
	unsigned tags;
};

static int64_t round_div(int64_t num, int64_t den)
{
	return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
}

static void line_arbeid(struct line *l, struct rng *r, const struct gen *g, int main_job)
{
	static const unsigned hw[] = {400, 350, 250};
	size_t b = rng_weighted(r, hw, 3);
	int64_t hourly = rng_range(r, 1471, 2050);

	l->soort = K_ARBEID;
	l->fourweekly = rng_pm(r, 250);
	l->anchor = days_from_civil(2024, 12, 30) + 7 * (int32_t)rng_range(r, 0, 3);
	l->employer = EMP_FIRST + rng_below(r, g->n_employers);
	l->numiv = rng_pm(r, 700) ? 1 : (rng_pm(r, 650) ? 2 : (int)rng_range(r, 3, 5));
	l->hours_week = b == 0 ? (int)rng_range(r, 4, 16) : (b == 1 ? (int)rng_range(r, 17, 24)
								  : (int)rng_range(r, 25, 32));
	l->base = round_div(hourly * l->hours_week * 13, 3);
	if (l->base > 160000)
		l->base = 160000 - rng_range(r, 0, 30000);
	if (l->base < 20000)
		l->base = 20000 + rng_range(r, 0, 5000);
	if (!main_job) {
		l->hours_week = (int)rng_range(r, 4, 12);
		l->base = round_div(hourly * l->hours_week * 13, 3);
	}
	l->flex = rng_pm(r, 400);
	l->vak = rng_pm(r, 150);
	l->ikb = rng_pm(r, 30);
	l->dertiende = rng_pm(r, 100);
	l->hk = main_job;
	l->zvw = rng_pm(r, 50);
	l->wga = rng_pm(r, 150);
	l->bereken = rng_pm(r, 30);
	l->auto_cents = rng_pm(r, 4) ? rng_range(r, 12000, 30000) : 0;
	if (!rng_pm(r, 800))
		l->hours_week = -l->hours_week;    /* hours known but not delivered */
}

static void line_benefit(struct line *l, struct rng *r, enum soort soort, int hk)
{
	l->soort = soort;
	l->fourweekly = 0;
	l->anchor = 0;
	l->numiv = 1;
	l->hours_week = 0;
	l->flex = l->vak = l->ikb = l->dertiende = l->wga = l->bereken = 0;
	l->auto_cents = 0;
	l->zvw = 1;
	l->hk = hk;
	switch (soort) {
	case K_UITKERING:
		l->employer = EMP_UWV;
		l->base = rng_range(r, 20000, 120000);
		l->bereken = rng_pm(r, 300);
		break;
	case K_PENSIOEN:
		l->employer = EMP_PENSION_FIRST + rng_below(r, EMP_PENSION_N);
		l->base = rng_range(r, 15000, 90000);
		break;
	default:
		l->employer = EMP_FIRST + rng_below(r, 40);
		l->base = rng_range(r, 5000, 40000);
		l->zvw = 0;
		break;
	}
}

/* Job start and end around the benefit: most worked before it started. */
static void line_dates(struct line *l, struct rng *r, const struct gen *g, int32_t ingang, int32_t geb)
{
	if (rng_pm(r, 780))
		l->start = ingang - (int32_t)rng_range(r, 0, 1500);
	else
		l->start = g->ref - (int32_t)rng_range(r, 0, 150);
	if (l->start < add_years(geb, 16))
		l->start = add_years(geb, 16);
	if (rng_pm(r, 400))
		l->start = first_of_month(l->start);
	l->end = OPEN_END;
	if (rng_pm(r, 120))
		l->end = l->start + (int32_t)rng_range(r, 60, 700);
}

/* The earning lines of a dossier's household (or of a BSN without dossier
 * when d is NULL: one monthly job). */
static void job_make(struct job *j, const struct gen *g, const struct dossier *d, uint32_t i)
{
	struct rng r;
	const struct person *p, *q;
	int32_t ingang;
	unsigned x;

	if (!d) {
		rng_init(&r, g->seed, S_UNKJOB, i);
		j->n = 1;
		line_arbeid(&j->line[0], &r, g, 1);
		j->line[0].person = 0;
		j->line[0].start = g->ref - (int32_t)rng_range(&r, 30, 900);
		j->line[0].end = OPEN_END;
		return;
	}
	rng_init(&r, g->seed, S_JOB, i);
	p = d->job_person ? &d->partner : &d->aanvrager;
	q = d->job_person ? &d->aanvrager : &d->partner;
	ingang = d->ingang;
	j->n = 1;
	x = rng_below(&r, 1000);
	if (x < 900)
		line_arbeid(&j->line[0], &r, g, 1);
	else if (x < 960)
		line_benefit(&j->line[0], &r, K_UITKERING, 1);
	else if (x < 990)
		line_benefit(&j->line[0], &r, K_PENSIOEN, 1);
	else
		line_benefit(&j->line[0], &r, K_OVERIG, 1);
	j->line[0].person = d->job_person;
	line_dates(&j->line[0], &r, g, ingang, p->geb);
	if (j->line[0].soort == K_PENSIOEN)
		j->line[0].start = ingang - (int32_t)rng_range(&r, 0, 2000);
	if (rng_pm(&r, 80)) {                  /* a second job, no heffingskorting */
		struct line *l = &j->line[j->n++];

		line_arbeid(l, &r, g, 0);
		l->person = d->job_person;
		l->numiv = 1;
		line_dates(l, &r, g, ingang, p->geb);
	}
	if (d->has_partner && rng_pm(&r, 200)) { /* the other partner works too */
		struct line *l = &j->line[j->n++];

		line_arbeid(l, &r, g, 1);
		l->person = !d->job_person;
		line_dates(l, &r, g, ingang, q->geb);
	}
	if (j->line[0].soort == K_ARBEID && rng_pm(&r, 50)) { /* partial WW/ZW beside work */
		struct line *l = &j->line[j->n++];

		line_benefit(l, &r, K_UITKERING, 0);
		l->person = d->job_person;
		l->start = g->ref - (int32_t)rng_range(&r, 30, 400);
		l->end = rng_pm(&r, 500) ? OPEN_END : l->start + (int32_t)rng_range(&r, 60, 300);
	}
}

/* Periods of line l whose (clipped) end date falls in month y-m: the
 * record's month (rules.md §3, attribution by DatEindTv). */
static int line_periods(const struct line *l, int y, int m, int32_t a[3], int32_t b[3])
{
	int32_t first = days_from_civil(y, m, 1), last = first + days_in_month(y, m) - 1;
	int n = 0;

	if (!l->fourweekly) {
		int32_t pa = max32(first, l->start), pb = min32(last, l->end);

		if (pa <= pb) {
			a[0] = pa;
			b[0] = pb;
			n = 1;
		}
		return n;
	}
	{
		int64_t k = floordiv((int64_t)first - 27 - l->anchor, 28);

		for (;; k++) {
			int32_t ps = l->anchor + (int32_t)(28 * k), pe = ps + 27;
			int32_t ca = max32(ps, l->start), cb = min32(pe, l->end);

			if (ps > last)
				break;
			if (ca <= cb && cb >= first && cb <= last && n < 3) {
				a[n] = ca;
				b[n] = cb;
				n++;
			}
		}
	}
	return n;
}

static void opgave_id(char out[32], const struct gen *g, int y, int m, uint64_t serial)
{
	snprintf(out, 32, "P-%04d-%02d-%09" PRIu64, y, m, (g->opgave_off + serial) % ID_SPACE);
}

/* Recompute LnLbPh and the withholdings from the components. */
static void opgave_amounts(struct opgave *r)
{
	int64_t ln;

	r->ln = r->wage + r->vak + r->extr + r->ikb + r->auto_cents;
	ln = r->ln;
	if (r->soort == K_ARBEID || r->soort == K_OVERIG) {
		/* 36.97% minus (algemene + arbeids)korting when applied */
		int64_t lb = round_div(ln * 3697, 10000);

		if (r->hk)
			lb -= 25600 + round_div(ln * 8, 100);
		r->inglb = lb > 0 ? lb : 0;
	} else {
		int64_t lb = round_div(ln * 3697, 10000) - (r->hk ? 27500 : 0);

		r->inglb = lb > 0 ? lb : 0;
	}
}

static void opgave_fill(struct opgave *r, const struct gen *g, const struct line *l, const char *bsn,
			uint64_t idbase, int slot, int y, int m, int32_t a, int32_t b)
{
	struct rng rr;
	int32_t days = b - a + 1;
	int full = l->fourweekly ? 28 : days_in_month(y, m);
	int64_t wage = l->fourweekly ? round_div(l->base * 12, 13) : l->base;
	int64_t pct;

	rng_init(&rr, g->seed, ((uint64_t)S_AMOUNT << 32) | (uint64_t)(y * 12 + m), idbase * SLOTS + (uint64_t)slot);
	pct = l->flex ? rng_range(&rr, 70, 125) : 100;   /* flex hours vary by month */
	opgave_id(r->id, g, y, m, idbase * SLOTS + (uint64_t)slot);
	r->vervangt[0] = '\0';
	r->intrekking = -1;
	r->bsn = bsn;
	lhnr_make(r->lhnr, l->employer);
	r->numiv = l->numiv;
	r->soort = l->soort;
	r->aanv = a;
	r->eind = b;
	if (days < full)
		wage = round_div(wage * days, full);       /* partial period */
	wage = round_div(wage * pct, 100);
	r->wage = wage;
	r->vak = l->vak ? round_div(wage * 8, 100) : 0;
	r->ikb = l->ikb ? round_div(wage * 833, 10000) : 0;
	r->extr = l->dertiende && m == 12 && !l->fourweekly ? l->base : 0;
	r->auto_cents = l->auto_cents;
	r->hk = l->hk;
	opgave_amounts(r);
	r->zvw = l->zvw ? round_div(r->ln * 526, 10000) : 0;
	r->wga = l->wga ? round_div(r->ln * 40, 10000) : 0;
	r->uren = -1;
	if (l->hours_week > 0) {
		int64_t h = l->fourweekly ? 4 * l->hours_week : round_div(l->hours_week * 13, 3);

		r->uren = (int)round_div(h * pct * days, 100 * (int64_t)full);
	}
	r->tags = 0;
	if (a == l->start)
		r->tags |= T_NIEUWE_IKV;
	if (r->auto_cents)
		r->tags |= T_NATURA;
	if (l->bereken)
		r->tags |= T_BEREKEN;
}

static void opgave_emit(struct out *o, const struct opgave *r)
{
	el_line(o, 2, "<Inkomstenopgave>");
	el_text(o, 4, "OpgaveId", r->id);
	if (r->vervangt[0])
		el_text(o, 4, "Vervangt", r->vervangt);
	if (r->intrekking >= 0)
		el_text(o, 4, "Intrekking", r->intrekking ? "true" : "false");
	el_text(o, 4, "BSN", r->bsn);
	el_text(o, 4, "LhNr", r->lhnr);
	el_uint(o, 4, "NumIV", (uint64_t)r->numiv);
	el_text(o, 4, "Inkomstensoort", soort_name[r->soort]);
	el_date(o, 4, "DatAanvTv", r->aanv);
	el_date(o, 4, "DatEindTv", r->eind);
	el_cents(o, 4, "LnLbPh", r->ln);
	el_cents(o, 4, "VakBsl", r->vak);
	el_cents(o, 4, "ExtrPerSal", r->extr);
	el_cents(o, 4, "OpnAvwb", r->ikb);
	el_cents(o, 4, "WrdPrGebrAut", r->auto_cents);
	el_cents(o, 4, "IngLbPh", r->inglb);
	el_cents(o, 4, "BijdrZvw", r->zvw);
	el_cents(o, 4, "PrWgaWhkWn", r->wga);
	el_text(o, 4, "IndHeffingskorting", r->hk ? "true" : "false");
	if (r->uren >= 0)
		el_uint(o, 4, "AantVerlU", (uint64_t)r->uren);
	if (r->tags & T_NIEUWE_IKV)
		el_text(o, 4, "Tag", "NIEUWE_IKV");
	if (r->tags & T_CORRECTIE)
		el_text(o, 4, "Tag", "CORRECTIE");
	if (r->tags & T_NATURA)
		el_text(o, 4, "Tag", "LOON_IN_NATURA");
	if (r->tags & T_BEREKEN)
		el_text(o, 4, "Tag", "BEREKEN_VT_EN_EPS");
	el_line(o, 2, "</Inkomstenopgave>");
}

static void prev_month(int y, int m, int *py, int *pm)
{
	*py = m == 1 ? y - 1 : y;
	*pm = m == 1 ? 12 : m - 1;
}

static int month_listed(const struct gen *g, int y, int m)
{
	int k;

	for (k = 0; k < g->n_months; k++)
		if (g->month_y[k] == y && g->month_m[k] == m)
			return 1;
	return 0;
}

/* The first record (slot 0) of dossier i's main line in month y-m, if any. */
static int first_record(struct opgave *out, const struct gen *g, const struct dossier *d,
			const struct job *j, int y, int m)
{
	int32_t a[3], b[3];
	const char *bsn = j->line[0].person ? d->partner.bsn : d->aanvrager.bsn;

	if (line_periods(&j->line[0], y, m, a, b) == 0)
		return 0;
	opgave_fill(out, g, &j->line[0], bsn, d->idx, 0, y, m, a[0], b[0]);
	return 1;
}

static int is_earner(const struct gen *g, uint32_t i)
{
	return (uint64_t)hash32(g->seed, S_EARN, i) < g->thr_earn;
}

static int is_correction(const struct gen *g, uint32_t i, int y, int m)
{
	return hash32(g->seed, ((uint64_t)S_CORR << 32) | (uint64_t)(y * 12 + m), i) % 1000 < 30;
}

/* The one dossier whose previous-month record is withdrawn in month y-m,
 * or UINT32_MAX.  Searched from a seeded start, so it is deterministic. */
static uint32_t withdrawal_target(const struct gen *g, int y, int m)
{
	struct dossier d;
	struct job j;
	struct opgave r;
	uint32_t start, k, tries = 0;
	int py, pm;

	prev_month(y, m, &py, &pm);
	if (g->nd == 0 || !month_listed(g, py, pm))
		return UINT32_MAX;
	start = hash32(g->seed, S_WITHDRAW, (uint64_t)(y * 12 + m)) % g->nd;
	for (k = 0; k < g->nd && tries < 100000; k++) {
		uint32_t i = (start + k) % g->nd;

		if (!is_earner(g, i) || is_correction(g, i, y, m))
			continue;
		tries++;
		dossier_make(&d, g, i);
		job_make(&j, g, &d, i);
		if (first_record(&r, g, &d, &j, py, pm))
			return i;
	}
	return UINT32_MAX;
}

/* Records of dossier i (and of the no-dossier person tied to index i) for
 * month y-m; written to o unless o is NULL.  Returns how many. */
static unsigned income_for(struct out *o, const struct gen *g, uint32_t i, int y, int m,
			   uint32_t withdraw)
{
	struct dossier d;
	struct job j;
	struct opgave r;
	int32_t a[3], b[3];
	unsigned count = 0;
	int li, k, n, py, pm;

	if (is_earner(g, i)) {
		dossier_make(&d, g, i);
		job_make(&j, g, &d, i);
		for (li = 0; li < j.n; li++) {
			const char *bsn = j.line[li].person ? d.partner.bsn : d.aanvrager.bsn;

			n = line_periods(&j.line[li], y, m, a, b);
			for (k = 0; k < n; k++) {
				opgave_fill(&r, g, &j.line[li], bsn, i, li * 3 + k, y, m, a[k], b[k]);
				if (o)
					opgave_emit(o, &r);
				count++;
			}
		}
		prev_month(y, m, &py, &pm);
		if (month_listed(g, py, pm) && (i == withdraw || is_correction(g, i, y, m)) &&
		    first_record(&r, g, &d, &j, py, pm)) {
			struct rng rr;

			rng_init(&rr, g->seed, ((uint64_t)S_CORR << 32) | (uint64_t)(y * 12 + m), i);
			memcpy(r.vervangt, r.id, sizeof(r.vervangt));
			opgave_id(r.id, g, y, m, (uint64_t)i * SLOTS + (i == withdraw ? 13u : 12u));
			r.tags = (r.tags & ~(unsigned)T_NIEUWE_IKV) | T_CORRECTIE;
			if (i == withdraw) {
				/* withdrawal: the replaced record is void, amounts ignored */
				r.intrekking = 1;
				r.wage = r.vak = r.extr = r.ikb = r.auto_cents = 0;
				r.ln = r.inglb = r.zvw = r.wga = 0;
				r.uren = r.uren >= 0 ? 0 : -1;
				r.tags &= ~(unsigned)T_NATURA;
			} else {
				int64_t pct = rng_range(&rr, 60, 130);
				int64_t zvw_rate = r.zvw ? 526 : 0, wga_rate = r.wga ? 40 : 0;

				if (pct == 100)
					pct = 112;
				r.intrekking = rng_pm(&rr, 500) ? 0 : -1;
				r.wage = round_div(r.wage * pct, 100);
				r.vak = round_div(r.vak * pct, 100);
				r.ikb = round_div(r.ikb * pct, 100);
				opgave_amounts(&r);
				r.zvw = round_div(r.ln * zvw_rate, 10000);
				r.wga = round_div(r.ln * wga_rate, 10000);
				if (r.uren >= 0)
					r.uren = (int)round_div(r.uren * pct, 100);
			}
			if (o)
				opgave_emit(o, &r);
			count++;
		}
	}
	if ((uint64_t)hash32(g->seed, S_UNK, i) < g->thr_unk) {
		char bsn[10];

		bsn_make(bsn, g->seed, 2u * g->nd + i);
		job_make(&j, g, NULL, i);
		n = line_periods(&j.line[0], y, m, a, b);
		for (k = 0; k < n; k++) {
			opgave_fill(&r, g, &j.line[0], bsn, (uint64_t)g->nd + i, k, y, m, a[k], b[k]);
			if (o)
				opgave_emit(o, &r);
			count++;
		}
	}
	return count;
}

static int write_income(const struct gen *g, int mi)
{
	static struct out o;
	char name[32], id[96];
	int y = g->month_y[mi], m = g->month_m[mi], dy, dm;
	uint32_t i, withdraw = withdrawal_target(g, y, m);
	unsigned long long n = 0;

	/* delivered around the 20th of the following month (formats.md §2) */
	dy = m == 12 ? y + 1 : y;
	dm = m == 12 ? 1 : m + 1;
	snprintf(name, sizeof(name), "inkomen-%04d-%02d.xml", y, m);
	if (out_open(&o, g->dir, name, g->gzip) < 0)
		return -1;
	snprintf(id, sizeof(id), "OIB-%04d-%02d-0001-S%" PRIu64, dy, dm, g->seed);
	out_str(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<Inkomstenlevering xmlns=\"urn:nl:betaalrun:polis:1\"");
	attr_text(&o, "leveringId", id);
	out_str(&o, " aanmaakdatum=\"");
	out_timestamp(&o, days_from_civil(dy, dm, 20), 2);
	out_str(&o, "\">\n");
	for (i = 0; i < g->nd; i++)
		n += income_for(&o, g, i, y, m, withdraw);
	out_str(&o, "</Inkomstenlevering>\n");
	if (out_close(&o) < 0)
		return -1;
	printf("%s: %llu income records\n", o.path, n);
	return 0;
}

/* Set thr_earn so that about `target` records come out over all months:
 * count the records of an evenly spaced sample with everyone earning and
 * scale (the record count is linear in the earner fraction). */
static void calibrate_income(struct gen *g)
{
	uint32_t step, sampled = 0, i;
	uint64_t count = 0;
	int mi;

	if (g->income_target < 0) {
		g->thr_earn = PM(100);        /* ~10% of dossiers earn */
		g->thr_unk = g->thr_earn / 25;
		return;
	}
	g->thr_earn = FRAC_ONE;
	g->thr_unk = FRAC_ONE / 25;
	step = g->nd > 20000 ? g->nd / 20000 : 1;
	for (i = 0; i < g->nd; i += step) {
		sampled++;
		for (mi = 0; mi < g->n_months; mi++)
			count += income_for(NULL, g, i, g->month_y[mi], g->month_m[mi], UINT32_MAX);
	}
	if (count == 0 || g->income_target == 0) {
		g->thr_earn = g->thr_unk = 0;
		return;
	}
	/* thr = target · sampled / (count · nd), as a 2^-32 fraction */
	g->thr_earn = frac32((uint64_t)g->income_target * sampled, count * g->nd);
	if (g->thr_earn > FRAC_ONE) {
		fprintf(stderr, "brgen: --income-records %lld is more than %" PRIu32
			" dossiers give; writing what they give\n", g->income_target, g->nd);
		g->thr_earn = FRAC_ONE;
	}
	g->thr_unk = g->thr_earn / 25;
}

/* ---------------------------------------------------------------------------
 * Signals (Signaallevering), from the table of signals.md.
 */

enum family { F_INKOMEN, F_DETENTIE, F_SAMENLOOP, F_VOORTVLUCHTIG, F_STUDIE, F_VERMOGEN,
	      F_WOON, F_OVERLIJDEN };

static const struct soortdef {
	const char *soort;
	const char *bron;
	enum family fam;
	unsigned w;
} soorten[] = {
	{"START_INKOMSTENVERHOUDING", "UWV", F_INKOMEN, 300},
	{"DETENTIE", "DJI", F_DETENTIE, 40},
	{"UITKERING_ANDERE_GEMEENTE", "GEMEENTE", F_SAMENLOOP, 30},
	{"VOORTVLUCHTIG", "CJIB", F_VOORTVLUCHTIG, 20},
	{"STUDIEFINANCIERING", "DUO", F_STUDIE, 50},
	{"INSCHRIJVING_HO", "DUO", F_STUDIE, 30},
	{"VERMOGEN", "BELASTINGDIENST", F_VERMOGEN, 60},
	{"INKOMSTEN_BOX1_BOX3", "BELASTINGDIENST", F_VERMOGEN, 80},
	{"BANKREKENING", "BELASTINGDIENST", F_VERMOGEN, 70},
	{"VOERTUIG", "RDW", F_VERMOGEN, 90},
	{"KOSTENDELERS", "BRP", F_WOON, 120},
	{"OVERLIJDEN", "BRP", F_OVERLIJDEN, 20},
	{"EMIGRATIE", "BRP", F_WOON, 40},
};

struct signal {
	char id[40];
	size_t soort;
	char bsn[10];
	int32_t datum, begin, einde;
	const char *omschr;
	char omschr_buf[160];
	int n_geg;
	const char *geg_naam[3];
	char geg_val[3][48];
};

static void geg(struct signal *s, const char *naam, const char *val)
{
	s->geg_naam[s->n_geg] = naam;
	snprintf(s->geg_val[s->n_geg], sizeof(s->geg_val[0]), "%s", val);
	s->n_geg++;
}

static void geg_cents(struct signal *s, const char *naam, int64_t cents)
{
	char v[32];

	snprintf(v, sizeof(v), "%" PRId64 ".%02" PRId64, cents / 100, cents % 100);
	geg(s, naam, v);
}

static int32_t sept_first(int32_t day)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	return days_from_civil(m >= 9 ? y : y - 1, 9, 1);
}

static void signal_details(struct signal *s, struct rng *r, const struct gen *g,
			   const struct dossier *d, int earner)
{
	const char *soort = soorten[s->soort].soort;
	int with_geg = rng_pm(r, 700);
	char v[48];

	s->omschr = NULL;
	s->einde = NO_DATE;
	s->n_geg = 0;
	s->datum = g->peil - (int32_t)rng_range(r, 0, 20);
	if (strcmp(soort, "START_INKOMSTENVERHOUDING") == 0) {
		struct job j;

		s->begin = s->datum - (int32_t)rng_range(r, 5, 60);
		if (rng_pm(r, 150))
			s->einde = s->begin + (int32_t)rng_range(r, 30, 180);
		s->omschr = "Nieuwe inkomstenverhouding in de Polisadministratie";
		if (with_geg) {
			if (earner && d) {
				job_make(&j, g, d, d->idx);
				lhnr_make(v, j.line[0].employer);
			} else {
				lhnr_make(v, EMP_FIRST + rng_below(r, g->n_employers));
			}
			geg(s, "lhnr", v);
		}
	} else if (strcmp(soort, "DETENTIE") == 0) {
		static const char *const pi[] = {"PI Heerhugowaard", "PI Zaanstad",
						 "Justitieel Complex Schiphol", "PI Almere"};
		const char *inr = pi[rng_below(r, ARRAY_SIZE(pi))];

		s->begin = s->datum - (int32_t)rng_range(r, 1, 20);
		if (rng_pm(r, 500))
			s->einde = s->begin + (int32_t)rng_range(r, 14, 120);
		snprintf(s->omschr_buf, sizeof(s->omschr_buf), "Insluiting %s", inr);
		s->omschr = s->omschr_buf;
		if (with_geg)
			geg(s, "inrichting", inr);
	} else if (strcmp(soort, "UITKERING_ANDERE_GEMEENTE") == 0) {
		static const struct { const char *code, *naam; } gm[] = {
			{"0361", "Alkmaar"}, {"0439", "Purmerend"}, {"0400", "Den Helder"},
			{"0363", "Amsterdam"}, {"1987", "Schagen"}, {"0398", "Heerhugowaard"}};
		unsigned k = rng_below(r, ARRAY_SIZE(gm));

		s->begin = s->datum - (int32_t)rng_range(r, 0, 60);
		snprintf(s->omschr_buf, sizeof(s->omschr_buf),
			 "Bijstandsuitkering ook verstrekt door gemeente %s", gm[k].naam);
		s->omschr = s->omschr_buf;
		if (with_geg)
			geg(s, "gemeente", gm[k].code);
	} else if (strcmp(soort, "VOORTVLUCHTIG") == 0) {
		s->begin = s->datum - (int32_t)rng_range(r, 0, 30);
		s->omschr = "Openstaande vrijheidsstraf > 6 maanden; onttrekt zich aan tenuitvoerlegging";
		if (with_geg) {
			snprintf(v, sizeof(v), "15/%06u-%02u", (unsigned)rng_range(r, 100000, 999999),
				 (unsigned)rng_range(r, 20, 25));
			geg(s, "parketnummer", v);
		}
	} else if (strcmp(soort, "STUDIEFINANCIERING") == 0) {
		s->begin = sept_first(g->peil);
		if (rng_pm(r, 500))
			s->einde = add_years(s->begin, 1) - 1;
		s->omschr = "Studiefinanciering toegekend (DUO)";
		if (with_geg)
			geg_cents(s, "bedrag", rng_range(r, 12000, 110000));
	} else if (strcmp(soort, "INSCHRIJVING_HO") == 0) {
		static const char *const inst[] = {"Hogeschool Inholland", "Universiteit van Amsterdam",
						   "Vrije Universiteit Amsterdam", "Open Universiteit"};

		s->begin = sept_first(g->peil);
		s->einde = add_years(s->begin, 1) - 1;
		s->omschr = "Inschrijving hoger onderwijs";
		if (with_geg)
			geg(s, "instelling", inst[rng_below(r, ARRAY_SIZE(inst))]);
	} else if (strcmp(soort, "VERMOGEN") == 0) {
		s->begin = days_from_civil(g->py, 1, 1);
		s->omschr = "Vermogen boven de vermogensgrens (peildatum 1 januari)";
		if (with_geg)
			geg_cents(s, "bedrag", rng_range(r, 800000, 6000000));
	} else if (strcmp(soort, "INKOMSTEN_BOX1_BOX3") == 0) {
		s->begin = days_from_civil(g->py - 1, 1, 1);
		s->einde = days_from_civil(g->py - 1, 12, 31);
		s->omschr = "Inkomsten uit box 1 of box 3 volgens de aangifte";
		if (with_geg) {
			snprintf(v, sizeof(v), "%d", g->py - 1);
			geg(s, "jaar", v);
			geg_cents(s, "bedrag", rng_range(r, 50000, 2500000));
		}
	} else if (strcmp(soort, "BANKREKENING") == 0) {
		static const struct { const char *cc; int digits; } cc[] = {
			{"DE", 18}, {"BE", 12}, {"PL", 24}};
		char bban[32];
		unsigned k = rng_below(r, ARRAY_SIZE(cc));
		int q;

		s->begin = days_from_civil(g->py - 1, 1, 1);
		s->omschr = "Rekening bij een buitenlandse bank";
		for (q = 0; q < cc[k].digits; q++)
			bban[q] = (char)('0' + rng_below(r, 10));
		bban[q] = '\0';
		if (with_geg) {
			iban_make(v, sizeof(v), cc[k].cc, bban);
			geg(s, "iban", v);
			geg_cents(s, "saldo", rng_range(r, 10000, 2500000));
		}
	} else if (strcmp(soort, "VOERTUIG") == 0) {
		static const char *const merk[] = {"Volkswagen Golf", "Peugeot 208", "Toyota Aygo",
						   "Škoda Octavia", "Citroën C3", "Opel Corsa"};
		static const char letters[] = "BDFGHJKLNPRSTVXZ";

		s->begin = s->datum - (int32_t)rng_range(r, 10, 200);
		s->omschr = rng_pm(r, 300) ? "Voertuig op naam gesteld (RDW); dagwaarde <onbekend>"
					    : "Voertuig op naam gesteld (RDW)";
		if (with_geg) {
			snprintf(v, sizeof(v), "%c%c-%03u-%c", letters[rng_below(r, 16)],
				 letters[rng_below(r, 16)], (unsigned)rng_range(r, 1, 999),
				 letters[rng_below(r, 16)]);
			geg(s, "kenteken", v);
			geg(s, "merk", merk[rng_below(r, ARRAY_SIZE(merk))]);
		}
	} else if (strcmp(soort, "KOSTENDELERS") == 0) {
		s->begin = s->datum - (int32_t)rng_range(r, 10, 120);
		s->omschr = "Nieuwe inschrijving op het woonadres (BRP)";
		if (with_geg) {
			snprintf(v, sizeof(v), "%u", (unsigned)rng_range(r, 1, 2));
			geg(s, "aantal", v);
		}
	} else if (strcmp(soort, "OVERLIJDEN") == 0) {
		s->begin = s->datum - (int32_t)rng_range(r, 1, 10);
		s->omschr = "Overleden volgens de BRP";
	} else { /* EMIGRATIE */
		static const char *const land[] = {"Polen", "Turkije", "Marokko", "Spanje", "Oekraïne",
						   "onbekend"};

		s->begin = s->datum - (int32_t)rng_range(r, 5, 60);
		s->omschr = "Vertrek naar het buitenland volgens de BRP";
		if (with_geg)
			geg(s, "land", land[rng_below(r, ARRAY_SIZE(land))]);
	}
	if (s->begin > s->datum)
		s->begin = s->datum;
	if (rng_pm(r, 120))
		s->omschr = NULL;
}

static int write_signals(const struct gen *g)
{
	static struct out o;
	struct signal s, prev;
	struct dossier d;
	char id[96];
	uint32_t k;
	int py, pm, pd;
	unsigned w[ARRAY_SIZE(soorten)];
	size_t q;

	for (q = 0; q < ARRAY_SIZE(soorten); q++)
		w[q] = soorten[q].w;
	if (out_open(&o, g->dir, "signalen.xml", g->gzip) < 0)
		return -1;
	civil_from_days(g->peil, &py, &pm, &pd);
	snprintf(id, sizeof(id), "IB-RC-%04d-%02d-%02d-S%" PRIu64, py, pm, pd, g->seed);
	out_str(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<Signaallevering xmlns=\"urn:nl:betaalrun:signalen:1\"");
	attr_text(&o, "leveringId", id);
	out_str(&o, " aanmaakdatum=\"");
	out_timestamp(&o, g->peil, 3);
	out_str(&o, "\">\n");
	prev.bsn[0] = '\0';
	for (k = 0; k < g->n_signals; k++) {
		struct rng r;
		const struct dossier *dp = NULL;
		int earner = 0, tries;

		rng_init(&r, g->seed, ((uint64_t)S_SIGNAL << 32) | (uint32_t)g->peil, k);
		memset(&s, 0, sizeof(s));
		snprintf(s.id, sizeof(s.id), "IB-%04d-%02d%02d-%07" PRIu32, py, pm, pd,
			 (g->signal_off + k) % SIGNAL_ID_SPACE);
		if (prev.bsn[0] && rng_pm(&r, 60)) {
			/* a second signal of the same kind for the same person:
			 * joins the open job (deduplication) */
			size_t c;

			do
				c = rng_weighted(&r, w, ARRAY_SIZE(soorten));
			while (soorten[c].fam != soorten[prev.soort].fam);
			s.soort = c;
			memcpy(s.bsn, prev.bsn, sizeof(s.bsn));
		} else {
			s.soort = rng_weighted(&r, w, ARRAY_SIZE(soorten));
			/* ~5% for BSNs without a dossier, spread evenly (Weyl) so
			 * that even a small file has a few */
			uint64_t u = (uint64_t)(k + 1) * UINT64_C(0x9e3779b97f4a7c15) + g->weyl_off;

			if (g->nd == 0 || (u >> 32) < PM(50)) {
				bsn_make(s.bsn, g->seed, 2u * g->nd + rng_below(&r, g->nd ? g->nd : 1));
			} else {
				uint32_t i = rng_below(&r, g->nd);

				if (soorten[s.soort].fam == F_INKOMEN) {
					for (tries = 0; tries < 64 && !is_earner(g, i); tries++)
						i = rng_below(&r, g->nd);
					earner = is_earner(g, i);
				}
				dossier_make(&d, g, i);
				if (soorten[s.soort].fam == F_STUDIE)
					for (tries = 0; tries < 32 && age_on(d.aanvrager.geb, g->peil) > 30; tries++)
						dossier_make(&d, g, rng_below(&r, g->nd));
				dp = &d;
				if (earner)
					memcpy(s.bsn, d.job_person ? d.partner.bsn : d.aanvrager.bsn, 10);
				else if (d.has_partner && rng_pm(&r, 200))
					memcpy(s.bsn, d.partner.bsn, 10);
				else
					memcpy(s.bsn, d.aanvrager.bsn, 10);
			}
		}
		signal_details(&s, &r, g, dp, earner);

		el_line(&o, 2, "<Signaal>");
		el_text(&o, 4, "SignaalId", s.id);
		el_text(&o, 4, "Soort", soorten[s.soort].soort);
		el_text(&o, 4, "BSN", s.bsn);
		el_text(&o, 4, "Bron", soorten[s.soort].bron);
		el_date(&o, 4, "Signaaldatum", s.datum);
		el_date(&o, 4, "PeriodeBegin", s.begin);
		if (s.einde != NO_DATE)
			el_date(&o, 4, "PeriodeEinde", s.einde);
		if (s.omschr)
			el_text(&o, 4, "Omschrijving", s.omschr);
		for (tries = 0; tries < s.n_geg; tries++) {
			out_str(&o, "    <Gegeven");
			attr_text(&o, "naam", s.geg_naam[tries]);
			out_str(&o, ">");
			out_esc(&o, s.geg_val[tries]);
			out_str(&o, "</Gegeven>\n");
		}
		el_line(&o, 2, "</Signaal>");
		prev = s;
	}
	out_str(&o, "</Signaallevering>\n");
	if (out_close(&o) < 0)
		return -1;
	printf("%s: %" PRIu32 " signals\n", o.path, g->n_signals);
	return 0;
}

/* ---------------------------------------------------------------------------
 * Command line.
 */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: brgen --seed N --dossiers N --out DIR [--income-records N] [--signals N]\n"
		"             [--peildatum YYYY-MM-DD] [--months YYYY-MM,YYYY-MM] [--gzip]\n"
		"             [--defects N] [--open-ended] [--accounts-changed N]\n"
		"Writes DIR/register.xml, DIR/inkomen-YYYY-MM.xml per month and DIR/signalen.xml\n"
		"(.gz with --gzip), byte-identical for the same arguments.\n"
		"Defaults: --peildatum 2026-11-27, --months the month before the peildatum,\n"
		"--signals dossiers/50, income for ~10%% of dossiers, --defects 0.\n"
		"--open-ended: no dossier ends (no Einddatum), for a history over years;\n"
		"  a register for any later peildatum then continues the same world.\n"
		"--accounts-changed N: N of every 1,000 dossiers change account each month from\n"
		"2026-11 to the peildatum's month (default 0).\n");
}

static int parse_u64(const char *opt, const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	fprintf(stderr, "brgen: %s needs a whole number from 0 to %llu, not \"%s\"\n", opt, max,
		s ? s : "");
	return -1;
}

static int parse_months(struct gen *g, const char *s)
{
	char buf[16];
	const char *p = s;
	int k;

	g->n_months = 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		int y, m, d;

		if (len >= sizeof(buf) || g->n_months == MAX_MONTHS)
			goto bad;
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (parse_date(buf, 0, &y, &m, &d) < 0)
			goto bad;
		for (k = 0; k < g->n_months; k++)
			if (g->month_y[k] == y && g->month_m[k] == m)
				goto bad;
		g->month_y[g->n_months] = y;
		g->month_m[g->n_months] = m;
		g->n_months++;
		if (!comma)
			break;
		p = comma + 1;
	}
	return 0;
bad:
	fprintf(stderr, "brgen: --months wants distinct YYYY-MM separated by commas (at most %d), not \"%s\"\n",
		MAX_MONTHS, s);
	return -1;
}

static int mkdir_p(const char *dir)
{
	char path[4096];
	size_t len = strlen(dir), k;

	if (len == 0 || len >= sizeof(path))
		return -1;
	memcpy(path, dir, len + 1);
	for (k = 1; k <= len; k++) {
		if (path[k] == '/' || path[k] == '\0') {
			char c = path[k];

			path[k] = '\0';
			if (mkdir(path, 0777) != 0 && errno != EEXIST) {
				fprintf(stderr, "brgen: cannot create %s: %s\n", path, strerror(errno));
				return -1;
			}
			path[k] = c;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct gen g;
	unsigned long long v;
	const char *peil = "2026-11-27", *months = NULL;
	int have_seed = 0, have_nd = 0, have_signals = 0, k, y, m, d;

	memset(&g, 0, sizeof(g));
	g.income_target = -1;
	for (k = 1; k < argc; k++) {
		const char *a = argv[k], *val = k + 1 < argc ? argv[k + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--gzip") == 0) {
			g.gzip = 1;
			continue;
		} else if (strcmp(a, "--open-ended") == 0) {
			g.open_ended = 1;
			continue;
		}
		if (!val) {
			fprintf(stderr, "brgen: %s needs a value\n", a);
			usage(stderr);
			return 2;
		}
		if (strcmp(a, "--seed") == 0) {
			if (parse_u64(a, val, UINT64_MAX, &v) < 0)
				return 2;
			g.seed = v;
			have_seed = 1;
		} else if (strcmp(a, "--dossiers") == 0) {
			if (parse_u64(a, val, MAX_DOSSIERS, &v) < 0)
				return 2;
			g.nd = (uint32_t)v;
			have_nd = 1;
		} else if (strcmp(a, "--out") == 0) {
			g.dir = val;
		} else if (strcmp(a, "--income-records") == 0) {
			if (parse_u64(a, val, 1000000000ull, &v) < 0)
				return 2;
			g.income_target = (long long)v;
		} else if (strcmp(a, "--signals") == 0) {
			if (parse_u64(a, val, MAX_SIGNALS, &v) < 0)
				return 2;
			g.n_signals = (uint32_t)v;
			have_signals = 1;
		} else if (strcmp(a, "--defects") == 0) {
			if (parse_u64(a, val, MAX_DOSSIERS, &v) < 0)
				return 2;
			g.n_defects = (uint32_t)v;
		} else if (strcmp(a, "--accounts-changed") == 0) {
			if (parse_u64(a, val, 1000, &v) < 0)
				return 2;
			g.accounts_changed = (uint32_t)v;
		} else if (strcmp(a, "--peildatum") == 0) {
			peil = val;
		} else if (strcmp(a, "--months") == 0) {
			months = val;
		} else {
			fprintf(stderr, "brgen: unknown option %s\n", a);
			usage(stderr);
			return 2;
		}
		k++;
	}
	if (!have_seed || !have_nd || !g.dir || !*g.dir) {
		fprintf(stderr, "brgen: --seed, --dossiers and --out are required\n");
		usage(stderr);
		return 2;
	}
	if (parse_date(peil, 1, &y, &m, &d) < 0) {
		fprintf(stderr, "brgen: --peildatum wants a real date YYYY-MM-DD, not \"%s\"\n", peil);
		return 2;
	}
	g.peil = days_from_civil(y, m, d);
	/* Dates of the cases are laid out around 2026-11-27 for a peildatum
	 * from a month before it to a year after it, so a later snapshot or
	 * income month of the same seed continues the same world; otherwise
	 * around the peildatum itself (an earlier snapshot must not list
	 * dossiers that start months after it).  With --open-ended no dossier
	 * ends, so the world goes on for any later peildatum: the registers of
	 * a history of years (make bench) are one world's. */
	g.ref = days_from_civil(2026, 11, 27);
	if (g.peil < g.ref - 31 || (g.peil > g.ref + 366 && !g.open_ended))
		g.ref = g.peil;
	g.py = y;
	g.pmon = m;
	g.pday = d;
	if (months) {
		if (parse_months(&g, months) < 0)
			return 2;
	} else {
		prev_month(y, m, &g.month_y[0], &g.month_m[0]);
		g.n_months = 1;
	}
	if (g.n_defects > g.nd)
		g.n_defects = g.nd;
	if (!have_signals)
		g.n_signals = g.nd / 50;
	g.n_employers = 50 + g.nd / 30;
	g.weyl_off = h3(g.seed, S_WEYL, 0);
	g.opgave_off = hash32(g.seed, S_IDS, 1) % ID_SPACE;
	g.signal_off = hash32(g.seed, S_IDS, 2) % SIGNAL_ID_SPACE;
	calibrate_income(&g);

	if (mkdir_p(g.dir) < 0)
		return 1;
	if (write_register(&g) < 0)
		return 1;
	for (k = 0; k < g.n_months; k++)
		if (write_income(&g, k) < 0)
			return 1;
	if (write_signals(&g) < 0)
		return 1;
	if (fflush(stdout) != 0)
		return 1;
	return 0;
}

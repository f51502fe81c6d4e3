/*
 * test_xmlin.c — the hardened XML reader (parsers/xmlin.h).
 *
 * Edge cases are data files under tests/data/xmlin/ (binary ones made by
 * tests/data/xmlin/make.sh); the large ones (gzip bomb, files at and over
 * the size cap) are made at run time in a mkdtemp directory.  Every file is
 * read twice, by path (xmlin_open) and from memory (xmlin_open_memory), and
 * both must give the same outcome: return code, message, line.
 *
 * Run: BR_SOURCE_DIR=/work/main build/tests/test_xmlin
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/xmlmemory.h>
#include <zlib.h>

#include "error.h"
#include "xmlin.h"

#include "banned.h"

#ifndef BR_SOURCE_DIR
#define BR_SOURCE_DIR "."
#endif

#define NS_TEST "urn:betaalrun:test:xmlin"
#define MIB ((uint64_t)1024 * 1024)

/* ---- fixture ----------------------------------------------------------- */

struct fixture {
	char tmp[256];                 /* mkdtemp directory for big inputs */
	struct xmlin_schema *tiny;     /* tests/data/xmlin/tiny.xsd */
};

static struct fixture fx;

static const char *source_dir(void)
{
	const char *s = getenv("BR_SOURCE_DIR");
	return s && *s ? s : BR_SOURCE_DIR;
}

/* Path of a data file; one of four rotating static buffers. */
static const char *data_path(const char *name)
{
	static char buf[4][1024];
	static int next;
	char *p = buf[next++ & 3];

	snprintf(p, sizeof(buf[0]), "%s/tests/data/xmlin/%s", source_dir(), name);
	return p;
}

static const char *tmp_path(const char *name)
{
	static char buf[4][1024];
	static int next;
	char *p = buf[next++ & 3];

	snprintf(p, sizeof(buf[0]), "%s/%s", fx.tmp, name);
	return p;
}

static const char *const tmp_files[] = {
	"bomb.xml.gz", "cap-exact.xml", "cap-over.xml", "cap-exact.dat", "cap-over.dat", "tag.xml"
};

static int group_setup(void **state)
{
	struct br_error err;
	const char *t = getenv("TMPDIR");

	(void)state;
	br_error_clear(&err);
	snprintf(fx.tmp, sizeof(fx.tmp), "%s/test_xmlin.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(fx.tmp)) {
		fprintf(stderr, "mkdtemp %s: %s\n", fx.tmp, strerror(errno));
		return -1;
	}
	if (xmlin_schema_load(&fx.tiny, data_path("tiny.xsd"), &err) != 0) {
		fprintf(stderr, "cannot load tiny.xsd: %s (is BR_SOURCE_DIR right?)\n", err.msg);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	size_t i;

	(void)state;
	xmlin_schema_free(fx.tiny);
	fx.tiny = NULL;
	for (i = 0; i < sizeof(tmp_files) / sizeof(tmp_files[0]); i++)
		unlink(tmp_path(tmp_files[i]));
	rmdir(fx.tmp);
	return 0;
}

/* ---- helpers ------------------------------------------------------------ */

#define assert_contains(hay, needle) do { \
	const char *h_ = (hay), *n_ = (needle); \
	if (!strstr(h_, n_)) \
		fail_msg("\"%s\" does not contain \"%s\"", h_, n_); \
} while (0)

#define assert_not_contains(hay, needle) do { \
	const char *h_ = (hay), *n_ = (needle); \
	if (strstr(h_, n_)) \
		fail_msg("\"%s\" contains \"%s\"", h_, n_); \
} while (0)

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0;

	if (!f)
		fail_msg("cannot open %s: %s", path, strerror(errno));
	for (;;) {
		size_t got;
		if (n == cap) {
			unsigned char *nb;
			cap = cap ? cap * 2 : 4096;
			nb = realloc(buf, cap);
			assert_non_null(nb);
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*len = n;
	return buf;
}

enum mode { BY_PATH, BY_MEMORY };

static const char *mode_name(enum mode m)
{
	return m == BY_PATH ? "xmlin_open" : "xmlin_open_memory";
}

/* What reading a whole file gave. */
struct outcome {
	int rc;                 /* open's code if it failed, else the last read's */
	int opened;
	struct br_error err;
	int n_start, n_end, n_text, max_depth;
	char names[1024];       /* local names of start elements, space separated */
	char text[8192];        /* every text node, concatenated (cut at the end) */
};

static void cat(char *dst, size_t cap, const char *s)
{
	size_t have = strlen(dst);
	if (have + 1 < cap)
		snprintf(dst + have, cap - have, "%s", s);
}

static void read_all(struct xmlin *x, struct outcome *o)
{
	int rc;

	while ((rc = xmlin_read(x, &o->err)) == 1) {
		switch (xmlin_type(x)) {
		case XMLIN_START:
			o->n_start++;
			if (xmlin_depth(x) > o->max_depth)
				o->max_depth = xmlin_depth(x);
			if (o->names[0])
				cat(o->names, sizeof(o->names), " ");
			cat(o->names, sizeof(o->names), xmlin_name(x));
			break;
		case XMLIN_END:
			o->n_end++;
			break;
		case XMLIN_TEXT:
			o->n_text++;
			break;
		default:
			fail_msg("xmlin_read returned an XMLIN_OTHER node");
		}
	}
	o->rc = rc;
}

static void run_file(const char *path, const char *label, enum mode m,
		     const struct xmlin_schema *schema, const struct xmlin_limits *lim,
		     struct outcome *o)
{
	struct xmlin *x = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(o, 0, sizeof(*o));
	br_error_clear(&o->err);
	if (m == BY_PATH) {
		rc = xmlin_open(&x, path, label, schema, lim, &o->err);
	} else {
		buf = slurp(path, &len);
		rc = xmlin_open_memory(&x, buf, len, label, schema, lim, &o->err);
	}
	o->rc = rc;
	if (rc == 0) {
		assert_non_null(x);
		o->opened = 1;
		read_all(x, o);
		xmlin_free(x);
	} else {
		assert_null(x);
	}
	free(buf);
}

static void run_data(const char *name, enum mode m, const struct xmlin_schema *schema,
		     const struct xmlin_limits *lim, struct outcome *o)
{
	run_file(data_path(name), name, m, schema, lim, o);
}

/*
 * Both ways of opening refuse `name` with `code`, a message containing
 * `substr`, the file label set, and (line >= 0) exactly that line.
 */
static void expect_refused(const char *name, const struct xmlin_schema *schema,
			   const struct xmlin_limits *lim, int code, const char *substr,
			   long line)
{
	struct outcome o;
	enum mode m;

	for (m = BY_PATH; m <= BY_MEMORY; m++) {
		run_data(name, m, schema, lim, &o);
		if (o.rc != code)
			fail_msg("%s %s: rc %d, expected %d (msg \"%s\")", mode_name(m), name,
				 o.rc, code, o.err.msg);
		assert_int_equal(o.err.code, code);
		assert_contains(o.err.msg, substr);
		assert_string_equal(o.err.file, name);
		if (line >= 0 && o.err.line != line)
			fail_msg("%s %s: line %ld, expected %ld (msg \"%s\")", mode_name(m), name,
				 o.err.line, line, o.err.msg);
		/* Nothing of a local file may leak into a message. */
		assert_not_contains(o.err.msg, "root:");
	}
}

/* Both ways of opening read `name` to the end with `n_start` elements. */
static void expect_read(const char *name, const struct xmlin_schema *schema,
			const struct xmlin_limits *lim, int n_start, struct outcome *out)
{
	struct outcome o;
	enum mode m;

	for (m = BY_PATH; m <= BY_MEMORY; m++) {
		run_data(name, m, schema, lim, &o);
		if (o.rc != 0)
			fail_msg("%s %s: rc %d: %s (line %ld)", mode_name(m), name, o.rc,
				 o.err.msg, o.err.line);
		assert_int_equal(o.err.code, BR_OK);
		assert_int_equal(o.n_start, n_start);
		if (out)
			*out = o;
	}
}

static void limits_with(struct xmlin_limits *lim, uint64_t max_bytes, int depth, size_t text)
{
	xmlin_limits_default(lim);
	if (max_bytes)
		lim->max_bytes = max_bytes;
	if (depth)
		lim->max_depth = depth;
	if (text)
		lim->max_text = text;
}

/* Open a data file by path, positioned nowhere yet. */
static struct xmlin *open_data(const char *name, const struct xmlin_schema *schema,
			       const struct xmlin_limits *lim)
{
	struct xmlin *x = NULL;
	struct br_error err;

	br_error_clear(&err);
	if (xmlin_open(&x, data_path(name), name, schema, lim, &err) != 0)
		fail_msg("cannot open %s: %s", name, err.msg);
	return x;
}

/* Advance to the next start element called `name`; fails the test if none. */
static void seek_start(struct xmlin *x, const char *name)
{
	struct br_error err;
	int rc;

	br_error_clear(&err);
	while ((rc = xmlin_read(x, &err)) == 1)
		if (xmlin_type(x) == XMLIN_START && strcmp(xmlin_name(x), name) == 0)
			return;
	fail_msg("no <%s> (rc %d: %s)", name, rc, err.msg);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- generated inputs ---------------------------------------------------- */

/*
 * Write `prefix`, then `fill_n` bytes `fill`, then `suffix` to `path`,
 * gzip-compressed when `gz` (zlib, Z_RLE: a long run costs ~1 bit/258 bytes).
 */
static void write_generated(const char *path, int gz, const char *prefix, int fill,
			    uint64_t fill_n, const char *suffix)
{
	static unsigned char chunk[1 << 16], out[1 << 16];
	FILE *f = fopen(path, "wb");
	z_stream zs;
	int part;

	if (!f)
		fail_msg("cannot create %s: %s", path, strerror(errno));
	memset(chunk, fill, sizeof(chunk));
	memset(&zs, 0, sizeof(zs));
	if (gz)
		assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_RLE), Z_OK);
	for (part = 0; part < 3; part++) {
		const unsigned char *p;
		uint64_t n;
		int last = 0;

		if (part == 0) {
			p = (const unsigned char *)prefix;
			n = strlen(prefix);
		} else if (part == 1) {
			p = chunk;
			n = fill_n;
		} else {
			p = (const unsigned char *)suffix;
			n = strlen(suffix);
			last = 1;
		}
		do {
			size_t take = part == 1 ? (n > sizeof(chunk) ? sizeof(chunk) : (size_t)n)
						: (size_t)n;
			if (!gz) {
				assert_int_equal(fwrite(p, 1, take, f), take);
			} else {
				int flush = last ? Z_FINISH : Z_NO_FLUSH;
				zs.next_in = (unsigned char *)(uintptr_t)p;
				zs.avail_in = (uInt)take;
				do {
					int zr;
					zs.next_out = out;
					zs.avail_out = sizeof(out);
					zr = deflate(&zs, flush);
					assert_true(zr == Z_OK || zr == Z_STREAM_END || zr == Z_BUF_ERROR);
					assert_int_equal(fwrite(out, 1, sizeof(out) - zs.avail_out, f),
							 sizeof(out) - zs.avail_out);
				} while (zs.avail_out == 0 || (flush == Z_FINISH && zs.avail_in > 0));
			}
			n -= take;
			if (part == 1 && n == 0)
				break;
		} while (part == 1);
	}
	if (gz)
		deflateEnd(&zs);
	assert_int_equal(fclose(f), 0);
}

/* Raw bytes a still-open reader has consumed from `path`: the offset of the
 * descriptor that has it open, from /proc/self/fdinfo (-1 when not found). */
static long long fd_pos_of(const char *path)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	long long pos = -1;

	if (!d)
		return -1;
	while ((e = readdir(d)) != NULL) {
		char link[300], target[1024], info[300], line[256];
		ssize_t n;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%s", e->d_name);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		if (strcmp(target, path) != 0)
			continue;
		snprintf(info, sizeof(info), "/proc/self/fdinfo/%s", e->d_name);
		if (!(f = fopen(info, "r")))
			continue;
		while (fgets(line, sizeof(line), f))
			if (strncmp(line, "pos:", 4) == 0)
				pos = strtoll(line + 4, NULL, 10);
		fclose(f);
	}
	closedir(d);
	return pos;
}

/* ---- good files ------------------------------------------------------------ */

static void test_good_plain(void **state)
{
	struct outcome o;
	struct xmlin *x;
	struct br_error err;
	int n_text = 0, rc;

	(void)state;
	expect_read("good.xml", NULL, NULL, 11, &o);
	assert_string_equal(o.names, "Lijst Item Naam Bedrag Item Naam Bedrag Item Naam Bedrag Leeg");
	assert_int_equal(o.n_end, 10);    /* <Leeg/> has no end node */
	assert_int_equal(o.n_text, 6);    /* whitespace, comments, PIs skipped */
	assert_int_equal(o.max_depth, 3);

	/* Names, namespaces, depths, lines and texts through the API. */
	x = open_data("good.xml", NULL, NULL);
	br_error_clear(&err);
	assert_int_equal(xmlin_read(x, &err), 1);
	assert_int_equal(xmlin_type(x), XMLIN_START);
	assert_string_equal(xmlin_name(x), "Lijst");
	assert_string_equal(xmlin_ns(x), NS_TEST);
	assert_int_equal(xmlin_depth(x), 1);
	assert_int_equal(xmlin_line(x), 4);
	assert_false(xmlin_is_empty(x));
	assert_string_equal(xmlin_label(x), "good.xml");
	while ((rc = xmlin_read(x, &err)) == 1) {
		if (xmlin_type(x) != XMLIN_TEXT)
			continue;
		n_text++;
		if (n_text == 1)
			assert_int_equal(xmlin_line(x), 6);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n_text, 6);
	xmlin_free(x);

	/* A UTF-8 byte order mark is fine. */
	expect_read("utf8-bom.xml", NULL, NULL, 11, NULL);
}

static void test_good_texts(void **state)
{
	static const char *const want[] = {
		"J. de Vries", "12.50", "\xc3\x8blla \xc3\x9cnal \xe2\x80\x94 \xe2\x80\x9cquoted\xe2\x80\x9d",
		"-3.00", "a<b & c>d", "0.01"
	};
	struct xmlin *x = open_data("good.xml", fx.tiny, NULL);
	struct br_error err;
	char buf[100];
	size_t len, i = 0;
	int rc;

	(void)state;
	br_error_clear(&err);
	while ((rc = xmlin_read(x, &err)) == 1) {
		if (xmlin_type(x) != XMLIN_START)
			continue;
		if (strcmp(xmlin_name(x), "Naam") && strcmp(xmlin_name(x), "Bedrag")
		    && strcmp(xmlin_name(x), "Leeg"))
			continue;
		assert_int_equal(xmlin_text(x, buf, sizeof(buf), &len, &err), 0);
		if (i < 6) {
			assert_string_equal(buf, want[i]);
			assert_int_equal(len, strlen(want[i]));
		} else {
			assert_string_equal(buf, ""); /* <Leeg/> */
			assert_int_equal(len, 0);
		}
		i++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(i, 7);
	xmlin_free(x);
}

/* ---- gzip ---------------------------------------------------------------- */

static void test_gzip_by_magic(void **state)
{
	struct outcome plain, gz, multi;

	(void)state;
	expect_read("good.xml", NULL, NULL, 11, &plain);
	/* good-gzip.xml is gzip named .xml; good-multi.dat two members, .dat */
	expect_read("good-gzip.xml", fx.tiny, NULL, 11, &gz);
	expect_read("good-multi.dat", fx.tiny, NULL, 11, &multi);
	assert_string_equal(gz.names, plain.names);
	assert_string_equal(multi.names, plain.names);
	assert_int_equal(gz.n_text, plain.n_text);
	assert_int_equal(multi.n_text, plain.n_text);
	assert_int_equal(multi.n_end, plain.n_end);
}

static void test_gzip_truncated(void **state)
{
	(void)state;
	expect_refused("truncated.gz", NULL, NULL, BR_EINPUT, "de gzip-stroom is afgebroken", -1);
	/* The XML inside is complete; only the gzip trailer is cut: still refused. */
	expect_refused("truncated-trailer.gz", fx.tiny, NULL, BR_EINPUT, "afgebroken", -1);
}

static void test_gzip_corrupt(void **state)
{
	(void)state;
	expect_refused("corrupt-crc.gz", fx.tiny, NULL, BR_EINPUT,
		       "de gzip-gegevens zijn beschadigd: incorrect data check", -1);
	expect_refused("corrupt-block.gz", NULL, NULL, BR_EINPUT,
		       "de gzip-gegevens zijn beschadigd: invalid block type", -1);
	expect_refused("trailing-garbage.gz", NULL, NULL, BR_EINPUT, "de gzip-gegevens zijn beschadigd", -1);
	expect_refused("gzip-of-empty.gz", NULL, NULL, BR_EINPUT, "", -1);
}

static void test_gzip_bomb(void **state)
{
	const char *bomb = tmp_path("bomb.xml.gz");
	struct xmlin_limits lim;
	struct xmlin *x = NULL;
	struct br_error err;
	struct stat st;
	long long t0, ms, pos;
	unsigned char *buf, *map;
	size_t len, maplen, guard;
	long page = sysconf(_SC_PAGESIZE);
	int rc, n = 0;

	(void)state;
	/* 200 MB of spaces inside an element: ~200 KB of gzip. */
	write_generated(bomb, 1, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Bom>", ' ',
			(uint64_t)200 * 1000 * 1000, "</Bom>\n");
	assert_int_equal(stat(bomb, &st), 0);
	assert_true(st.st_size > 150 * 1000 && st.st_size < 1000 * 1000);
	/* the text cap above the size cap: this is about the size cap */
	limits_with(&lim, 1 * MIB, 0, 2 * MIB);

	/* By path: refused at the cap; the descriptor shows how little was read. */
	br_error_clear(&err);
	t0 = now_ms();
	assert_int_equal(xmlin_open(&x, bomb, "bomb.xml.gz", NULL, &lim, &err), 0);
	while ((rc = xmlin_read(x, &err)) == 1)
		n++;
	ms = now_ms() - t0;
	assert_int_equal(rc, BR_EINPUT);
	assert_contains(err.msg, "geweigerd als mogelijke gzip-bom");
	assert_contains(err.msg, "grens van 1 MiB");
	assert_string_equal(err.file, "bomb.xml.gz");
	pos = fd_pos_of(bomb);
	print_message("gzip bomb: %lld ms, %lld of %lld compressed bytes read, %d nodes\n",
		      ms, pos, (long long)st.st_size, n);
	assert_true(pos > 0);
	assert_true(pos < (long long)st.st_size / 2);
	assert_true(ms < 2000);
	xmlin_free(x);

	/* From memory: everything past 128 KiB of the buffer is unmapped
	 * (PROT_NONE), so following the bomb further would fault. */
	buf = slurp(bomb, &len);
	guard = (size_t)128 * 1024;
	maplen = (len + (size_t)page - 1) / (size_t)page * (size_t)page;
	map = mmap(NULL, maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	memcpy(map, buf, len);
	free(buf);
	assert_int_equal(mprotect(map + guard, maplen - guard, PROT_NONE), 0);
	br_error_clear(&err);
	assert_int_equal(xmlin_open_memory(&x, map, len, "bomb", NULL, &lim, &err), 0);
	while ((rc = xmlin_read(x, &err)) == 1)
		;
	assert_int_equal(rc, BR_EINPUT);
	assert_contains(err.msg, "geweigerd als mogelijke gzip-bom");
	xmlin_free(x);
	munmap(map, maplen);
}

/* ---- size cap ------------------------------------------------------------ */

static void test_size_cap(void **state)
{
	static const char head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Lijst>";
	static const char tail[] = "</Lijst>\n";
	uint64_t pad = MIB - (sizeof(head) - 1) - (sizeof(tail) - 1);
	struct xmlin_limits lim;
	struct outcome o;
	struct stat st;
	enum mode m;

	(void)state;
	limits_with(&lim, 1 * MIB, 0, 2 * MIB); /* the text cap out of the way */
	write_generated(tmp_path("cap-exact.xml"), 0, head, ' ', pad, tail);
	write_generated(tmp_path("cap-over.xml"), 0, head, ' ', pad + 1, tail);
	write_generated(tmp_path("cap-exact.dat"), 1, head, ' ', pad, tail);
	write_generated(tmp_path("cap-over.dat"), 1, head, ' ', pad + 1, tail);
	assert_int_equal(stat(tmp_path("cap-exact.xml"), &st), 0);
	assert_int_equal(st.st_size, (long long)MIB);

	for (m = BY_PATH; m <= BY_MEMORY; m++) {
		/* Exactly at the cap: read. */
		run_file(tmp_path("cap-exact.xml"), "cap-exact.xml", m, NULL, &lim, &o);
		assert_int_equal(o.rc, 0);
		assert_int_equal(o.n_start, 1);
		run_file(tmp_path("cap-exact.dat"), "cap-exact.dat", m, NULL, &lim, &o);
		assert_int_equal(o.rc, 0);
		assert_int_equal(o.n_start, 1);

		/* One byte over: refused, not truncated. */
		run_file(tmp_path("cap-over.xml"), "cap-over.xml", m, NULL, &lim, &o);
		assert_int_equal(o.rc, BR_EINPUT);
		assert_contains(o.err.msg, "groter dan de grens van 1 MiB");
		assert_string_equal(o.err.file, "cap-over.xml");
		if (m == BY_PATH) {
			assert_false(o.opened); /* refused by its size, before reading */
			assert_contains(o.err.msg, "1048577 bytes");
		}
		run_file(tmp_path("cap-over.dat"), "cap-over.dat", m, NULL, &lim, &o);
		assert_int_equal(o.rc, BR_EINPUT);
		assert_contains(o.err.msg, "de uitgepakte inhoud is groter dan de grens van 1 MiB");
	}
}

/* ---- not XML, empty, encodings -------------------------------------------- */

static void test_empty(void **state)
{
	struct xmlin *x = NULL;
	struct br_error err;

	(void)state;
	expect_refused("empty.xml", NULL, NULL, BR_EINPUT, "het bestand is leeg", -1);
	br_error_clear(&err);
	assert_int_equal(xmlin_open_memory(&x, "", 0, "leeg", NULL, NULL, &err), BR_EINPUT);
	assert_null(x);
	assert_contains(err.msg, "leeg");
	assert_string_equal(err.file, "leeg");
}

static void test_not_xml(void **state)
{
	struct xmlin *x = NULL;
	struct br_error err;

	(void)state;
	expect_refused("binary-png.bin", NULL, NULL, BR_EINPUT,
		       "het bestand is geen XML: het begint niet met '<'", 1);
	expect_refused("binary-zeros.bin", NULL, NULL, BR_EINPUT, "geen UTF-8-tekst", -1);
	expect_refused("text.txt", fx.tiny, NULL, BR_EINPUT, "het bestand is geen XML", 1);
	expect_refused("undefined-entity.xml", NULL, NULL, BR_EINPUT, "devries", 4);

	/* A missing file is not an input problem. */
	br_error_clear(&err);
	assert_int_equal(xmlin_open(&x, data_path("no-such-file.xml"), NULL, NULL, NULL, &err),
			 BR_ENOINPUT);
	assert_null(x);
	assert_contains(err.msg, "no-such-file.xml");
}

static void test_utf16(void **state)
{
	(void)state;
	expect_refused("utf16le-bom.xml", NULL, NULL, BR_EINPUT, "UTF-16", -1);
	expect_refused("utf16be-bom.xml", NULL, NULL, BR_EINPUT, "UTF-16", -1);
	expect_refused("utf16le-nobom.xml", NULL, NULL, BR_EINPUT, "UTF-16", -1);
	expect_refused("utf16be-nobom.xml", fx.tiny, NULL, BR_EINPUT, "UTF-16", -1);
	/* The BOM in the second gzip member, the first member one byte. */
	expect_refused("gzip-split-utf16.gz", NULL, NULL, BR_EINPUT, "UTF-16", -1);
}

static void test_declared_encoding(void **state)
{
	(void)state;
	expect_refused("latin1.xml", NULL, NULL, BR_EINPUT,
		       "het bestand declareert codering ISO-8859-1; UTF-8 is verplicht", -1);
	expect_refused("latin1-ascii.xml", fx.tiny, NULL, BR_EINPUT, "UTF-8 is verplicht", -1);
	/* EBCDIC ('<' is 0x4c) would hide '<!DOCTYPE' from the prolog scanner:
	 * refused before libxml2 sees it. */
	expect_refused("ebcdic.xml", NULL, NULL, BR_EINPUT, "het bestand is geen XML", -1);
	expect_refused("ebcdic-doctype.xml", NULL, NULL, BR_EINPUT, "het bestand is geen XML", -1);
}

/* ---- DTDs, entities, XInclude ---------------------------------------------- */

static void test_billion_laughs(void **state)
{
	long long t0 = now_ms();

	(void)state;
	expect_refused("billion-laughs.xml", NULL, NULL, BR_EINPUT, "DOCTYPE", -1);
	assert_true(now_ms() - t0 < 1000);
}

static void test_xxe(void **state)
{
	(void)state;
	/* expect_refused also checks that no "root:" leaks into the message. */
	expect_refused("xxe.xml", fx.tiny, NULL, BR_EINPUT, "DOCTYPE", -1);
	expect_refused("xxe-parameter.xml", NULL, NULL, BR_EINPUT, "DOCTYPE", -1);
	expect_refused("xxe-external-dtd.xml", NULL, NULL, BR_EINPUT, "DOCTYPE", -1);
}

static void test_doctype_after_prolog(void **state)
{
	(void)state;
	expect_refused("doctype-after-comment.xml", NULL, NULL, BR_EINPUT, "DOCTYPE", -1);
	expect_refused("doctype-after-decl.xml", NULL, NULL, BR_EINPUT, "DOCTYPE", -1);
	/* "<" alone in a first gzip member, "!DOCTYPE" in the second. */
	expect_refused("gzip-split-doctype.gz", NULL, NULL, BR_EINPUT, "DOCTYPE", -1);
}

static void test_xinclude_not_processed(void **state)
{
	struct xmlin *x;
	struct br_error err;
	int n = 0, rc;

	(void)state;
	x = open_data("xinclude.xml", NULL, NULL);
	br_error_clear(&err);
	while ((rc = xmlin_read(x, &err)) == 1) {
		assert_int_not_equal(xmlin_type(x), XMLIN_TEXT); /* nothing included */
		if (xmlin_type(x) != XMLIN_START)
			continue;
		n++;
		if (n > 1) {
			assert_string_equal(xmlin_name(x), "include");
			assert_string_equal(xmlin_ns(x), "http://www.w3.org/2001/XInclude");
			assert_true(xmlin_is_empty(x));
			assert_non_null(xmlin_attr(x, "href"));
		}
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, 3);
	xmlin_free(x);
}

/* ---- limits: depth, text --------------------------------------------------- */

static void test_depth(void **state)
{
	struct outcome o;
	struct xmlin_limits lim;

	(void)state;
	expect_read("depth32.xml", NULL, NULL, 32, &o);
	assert_int_equal(o.max_depth, 32);
	expect_refused("depth33.xml", NULL, NULL, BR_EINPUT,
		       "elementen zijn dieper genest dan 32 niveaus", 2);
	/* The limit is a setting. */
	limits_with(&lim, 0, 33, 0);
	expect_read("depth33.xml", NULL, &lim, 33, NULL);
	limits_with(&lim, 0, 3, 0);
	expect_read("good.xml", NULL, &lim, 11, NULL);
	limits_with(&lim, 0, 2, 0);
	expect_refused("good.xml", NULL, &lim, BR_EINPUT, "dieper genest dan 2 niveaus", 6);
}

static void test_text_node_limit(void **state)
{
	struct xmlin_limits lim;

	(void)state;
	limits_with(&lim, 0, 0, 1024);
	expect_read("text-1024.xml", NULL, &lim, 2, NULL);
	expect_refused("text-1025.xml", NULL, &lim, BR_EINPUT,
		       "een tekst is langer dan 1 KiB", 3);
	/* The default (64 KiB) takes both. */
	expect_read("text-1025.xml", NULL, NULL, 2, NULL);
}

/*
 * A text node across the boundary of two input chunks (64 KiB) is one
 * node: its cap counts all of it, and leading whitespace before the
 * boundary is kept.  `at` is where the text starts, `len` its length.
 */
static char *straddling_doc(size_t at, const char *lead, size_t len, size_t *out_len)
{
	static const char head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Lijst><!--";
	static const char mid[] = "--><Naam>";
	static const char tail[] = "</Naam></Lijst>\n";
	size_t fill = at - (sizeof(head) - 1) - (sizeof(mid) - 1), n = 0;
	size_t lead_len = strlen(lead);
	char *d = malloc(at + lead_len + len + sizeof(tail));

	assert_non_null(d);
	memcpy(d, head, sizeof(head) - 1);
	n += sizeof(head) - 1;
	memset(d + n, 'c', fill);
	n += fill;
	memcpy(d + n, mid, sizeof(mid) - 1);
	n += sizeof(mid) - 1;
	assert_int_equal(n, at);
	memcpy(d + n, lead, lead_len);
	n += lead_len;
	memset(d + n, 'x', len);
	n += len;
	memcpy(d + n, tail, sizeof(tail));
	*out_len = n + sizeof(tail) - 1;
	return d;
}

static void test_text_across_chunks(void **state)
{
	struct xmlin_limits lim;
	struct xmlin *x = NULL;
	struct br_error err;
	char buf[2048];
	size_t len, doc_len;
	char *doc;
	int rc;

	(void)state;
	limits_with(&lim, 0, 0, 1024);
	/* 1025 bytes, 600 of them before the boundary: refused whole */
	doc = straddling_doc(65536 - 600, "", 1025, &doc_len);
	br_error_clear(&err);
	assert_int_equal(xmlin_open_memory(&x, doc, doc_len, "straddle.xml", NULL, &lim, &err), 0);
	while ((rc = xmlin_read(x, &err)) == 1)
		;
	assert_int_equal(rc, BR_EINPUT);
	assert_contains(err.msg, "een tekst is langer dan 1 KiB");
	xmlin_free(x);
	free(doc);

	/* 1024 bytes after three spaces before the boundary: one node, whole */
	doc = straddling_doc(65536 - 3, "   ", 1021, &doc_len);
	br_error_clear(&err);
	assert_int_equal(xmlin_open_memory(&x, doc, doc_len, "straddle.xml", NULL, &lim, &err), 0);
	seek_start(x, "Naam");
	assert_int_equal(xmlin_text(x, buf, sizeof(buf), &len, &err), 0);
	assert_int_equal(len, 1024);
	assert_memory_equal(buf, "   xxx", 6);
	assert_int_equal(xmlin_read(x, &err), 1); /* </Lijst> */
	assert_int_equal(xmlin_read(x, &err), 0);
	xmlin_free(x);
	free(doc);

	/* Whitespace is text too: 70 KiB of it over the default 64 KiB cap. */
	{
		static const char head[] = "<?xml version=\"1.0\"?>\n<Lijst>";
		size_t n = sizeof(head) - 1 + 70 * 1024;
		char *ws = malloc(n + sizeof("</Lijst>"));

		assert_non_null(ws);
		memcpy(ws, head, sizeof(head) - 1);
		memset(ws + sizeof(head) - 1, ' ', 70 * 1024);
		memcpy(ws + n, "</Lijst>", sizeof("</Lijst>"));
		br_error_clear(&err);
		assert_int_equal(xmlin_open_memory(&x, ws, n + 8, "spaces.xml", NULL, NULL, &err), 0);
		while ((rc = xmlin_read(x, &err)) == 1)
			;
		assert_int_equal(rc, BR_EINPUT);
		assert_contains(err.msg, "een tekst is langer dan 64 KiB");
		xmlin_free(x);
		free(ws);
	}
}

static void test_text_child_element(void **state)
{
	struct xmlin *x = open_data("text-child.xml", NULL, NULL);
	struct br_error err;
	char buf[100];
	size_t len = 99;

	(void)state;
	seek_start(x, "Naam");
	br_error_clear(&err);
	assert_int_equal(xmlin_text(x, buf, sizeof(buf), &len, &err), BR_EINPUT);
	assert_contains(err.msg, "<Naam> moet tekst bevatten, niet het element <b>");
	assert_int_equal(err.line, 4);
	assert_string_equal(err.file, "text-child.xml");
	xmlin_free(x);
}

static void test_text_overflow(void **state)
{
	struct xmlin *x;
	struct br_error err;
	char buf[12];
	size_t len;

	(void)state;
	/* "J. de Vries" is 11 bytes: fits in 12, not in 11. */
	x = open_data("good.xml", NULL, NULL);
	seek_start(x, "Naam");
	br_error_clear(&err);
	assert_int_equal(xmlin_text(x, buf, 12, &len, &err), 0);
	assert_string_equal(buf, "J. de Vries");
	assert_int_equal(len, 11);
	xmlin_free(x);

	x = open_data("good.xml", NULL, NULL);
	seek_start(x, "Naam");
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(xmlin_text(x, buf, 11, &len, &err), BR_EINPUT);
	assert_contains(err.msg, "de tekst van <Naam> is langer dan 10 bytes");
	assert_int_equal(err.line, 6);
	assert_int_equal(buf[11], 'Z'); /* nothing written past cap */
	xmlin_free(x);
}

static void test_text_mixed_and_misuse(void **state)
{
	struct xmlin *x = open_data("text-mixed.xml", NULL, NULL);
	struct br_error err;
	char buf[64];
	size_t len;

	(void)state;
	br_error_clear(&err);
	/* Not at a start element. */
	assert_int_equal(xmlin_text(x, buf, sizeof(buf), &len, &err), BR_EINPUT);
	assert_contains(err.msg, "verwacht een element");
	br_error_clear(&err);
	assert_int_equal(xmlin_text(x, buf, 0, &len, &err), BR_EINTERNAL);

	/* Comments and PIs drop out, entities and CDATA are text. */
	seek_start(x, "Naam");
	br_error_clear(&err);
	assert_int_equal(xmlin_text(x, buf, sizeof(buf), &len, &err), 0);
	assert_string_equal(buf, "J. de Vries & <Zn>");
	assert_int_equal(len, strlen("J. de Vries & <Zn>"));
	seek_start(x, "Leeg");
	assert_int_equal(xmlin_text(x, buf, sizeof(buf), &len, &err), 0);
	assert_string_equal(buf, "");
	seek_start(x, "Leeg2");
	assert_int_equal(xmlin_text(x, buf, sizeof(buf), &len, &err), 0);
	assert_string_equal(buf, "");
	assert_int_equal(len, 0);
	assert_int_equal(xmlin_read(x, &err), 1); /* </Lijst> */
	assert_int_equal(xmlin_type(x), XMLIN_END);
	assert_string_equal(xmlin_name(x), "Lijst");
	assert_int_equal(xmlin_read(x, &err), 0);
	xmlin_free(x);
}

static void test_skip(void **state)
{
	struct xmlin *x = open_data("good.xml", NULL, NULL);
	struct br_error err;

	(void)state;
	br_error_clear(&err);
	seek_start(x, "Item");
	assert_int_equal(xmlin_skip(x, &err), 0);
	assert_int_equal(xmlin_type(x), XMLIN_END);
	assert_string_equal(xmlin_name(x), "Item");
	assert_int_equal(xmlin_read(x, &err), 1);
	assert_int_equal(xmlin_type(x), XMLIN_START);
	assert_string_equal(xmlin_name(x), "Item");
	assert_string_equal(xmlin_attr(x, "code"), "CD");
	xmlin_free(x);
}

static void test_end_empty(void **state)
{
	struct xmlin *x = open_data("text-mixed.xml", NULL, NULL);
	struct br_error err;

	(void)state;
	br_error_clear(&err);
	seek_start(x, "Leeg");  /* <Leeg/> */
	assert_int_equal(xmlin_end_empty(x, &err), 0);
	seek_start(x, "Leeg2"); /* <Leeg2></Leeg2> */
	assert_int_equal(xmlin_end_empty(x, &err), 0);
	assert_int_equal(xmlin_type(x), XMLIN_END);
	assert_string_equal(xmlin_name(x), "Leeg2");
	xmlin_free(x);

	x = open_data("good.xml", NULL, NULL);
	seek_start(x, "Bedrag"); /* <Bedrag>12.50</Bedrag> */
	assert_int_equal(xmlin_end_empty(x, &err), BR_EINPUT);
	assert_string_equal(err.msg, "<Bedrag> moet leeg zijn");
	assert_int_equal(err.line, 7);
	xmlin_free(x);
}

/* ---- schema, well-formedness ------------------------------------------------- */

static void test_schema_valid(void **state)
{
	(void)state;
	expect_read("good.xml", fx.tiny, NULL, 11, NULL);
	expect_read("good-gzip.xml", fx.tiny, NULL, 11, NULL);
}

static void test_schema_errors(void **state)
{
	struct xmlin_schema *s = NULL;
	struct br_error err;

	(void)state;
	expect_refused("schema-bad-value.xml", fx.tiny, NULL, BR_EINPUT,
		       "The value '12.505' has more fractional digits than are allowed ('2')", 9);
	expect_refused("schema-bad-order.xml", fx.tiny, NULL, BR_EINPUT,
		       "Element 'Item': This element is not expected", 8);
	expect_refused("schema-bad-attr.xml", fx.tiny, NULL, BR_EINPUT,
		       "attribute 'code': [facet 'pattern'] The value 'abc'", 4);
	expect_refused("schema-wrong-ns.xml", fx.tiny, NULL, BR_EINPUT,
		       "No matching global declaration available for the validation root", 2);
	/* Without a schema the same files are just well-formed. */
	expect_read("schema-bad-value.xml", NULL, NULL, 7, NULL);
	expect_read("schema-wrong-ns.xml", NULL, NULL, 4, NULL);

	/* A schema that cannot be loaded is a configuration error. */
	br_error_clear(&err);
	assert_int_equal(xmlin_schema_load(&s, data_path("no-such.xsd"), &err), BR_ECONFIG);
	assert_null(s);
	br_error_clear(&err);
	assert_int_equal(xmlin_schema_load(&s, data_path("good.xml"), &err), BR_ECONFIG);
	assert_null(s);
	assert_contains(err.msg, "good.xml");
}

static void test_not_well_formed(void **state)
{
	(void)state;
	expect_refused("unclosed.xml", NULL, NULL, BR_EINPUT,
		       "Opening and ending tag mismatch: Naam line 4 and Item", 6);
	/* The file ends inside <Naam>: libxml2 2.9 calls that "Extra content at
	 * the end of the document", at the last line read. */
	expect_refused("unclosed-eof.xml", fx.tiny, NULL, BR_EINPUT, "", 4);
}

/* ---- attributes ------------------------------------------------------------- */

static void test_attr(void **state)
{
	struct xmlin *x = open_data("attrs.xml", NULL, NULL);
	struct br_error err;
	const char *v;

	(void)state;
	br_error_clear(&err);
	assert_int_equal(xmlin_read(x, &err), 1);
	assert_string_equal(xmlin_name(x), "Lijst");
	assert_string_equal(xmlin_attr(x, "versie"), "1"); /* not x:versie */
	assert_string_equal(xmlin_attr(x, "naam"), "Eerste & \xe2\x82\xac<enige>");
	/* libxml2 hands '&' over as "&#38;"; a literal "&#38;" in the
	 * value must survive the decoding of it. */
	assert_string_equal(xmlin_attr(x, "ref"), "&#38;&amp;");
	v = xmlin_attr(x, "leeg");
	assert_non_null(v);
	assert_string_equal(v, "");
	assert_null(xmlin_attr(x, "ontbreekt"));
	assert_null(xmlin_attr(x, "Versie")); /* case matters */
	seek_start(x, "Vrijlating");
	assert_int_equal(xmlin_line(x), 6); /* libxml2: the line its start tag ends on */
	assert_true(xmlin_is_empty(x));
	assert_string_equal(xmlin_attr(x, "code"), "N");
	assert_string_equal(xmlin_attr(x, "persoon"), "AANVRAGER");
	assert_string_equal(xmlin_attr(x, "ingangsdatum"), "2026-09-01");
	assert_int_equal(xmlin_read(x, &err), 1);
	assert_int_equal(xmlin_type(x), XMLIN_END);
	assert_null(xmlin_attr(x, "code")); /* not a start element */
	assert_int_equal(xmlin_read(x, &err), 0);
	xmlin_free(x);

	/* From memory, validating while reading. */
	{
		size_t len;
		unsigned char *buf = slurp(data_path("good.xml"), &len);
		struct xmlin *y = NULL;

		br_error_clear(&err);
		assert_int_equal(xmlin_open_memory(&y, buf, len, "good.xml", fx.tiny, NULL, &err), 0);
		seek_start(y, "Lijst");
		assert_string_equal(xmlin_attr(y, "naam"), "Eerste & enige");
		seek_start(y, "Item");
		seek_start(y, "Item");
		assert_string_equal(xmlin_attr(y, "code"), "CD");
		xmlin_free(y);
		free(buf);
	}
}

/* ---- namespace declarations and attributes per element ------------------------ */

/* A growable text for generated documents. */
struct doc {
	char *p;
	size_t len, cap;
};

static void doc_add(struct doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void doc_add(struct doc *d, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(d->p ? d->p + d->len : NULL, d->p ? d->cap - d->len : 0, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if (d->p && d->len + (size_t)n < d->cap)
			break;
		d->cap = d->cap ? d->cap * 2 + (size_t)n : 4096 + (size_t)n;
		d->p = realloc(d->p, d->cap);
		assert_non_null(d->p);
	}
	d->len += (size_t)n;
}

/* `ns` namespace declarations (a default one first) and `attrs` other
 * attributes on <Lijst>, whose start tag begins on line 3. */
static struct doc tag_doc(int ns, int attrs)
{
	struct doc d = { NULL, 0, 0 };
	int i;

	doc_add(&d, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- a <b x=\"1\" y=\"2\"> in a comment -->\n"
		"<Lijst");
	for (i = 0; i < ns; i++) {
		if (i == 0)
			doc_add(&d, "\n  xmlns=\"%s\"", NS_TEST);
		else
			doc_add(&d, "\n  xmlns:p%d = 'urn:x:%d'", i, i);
	}
	for (i = 0; i < attrs; i++)
		doc_add(&d, " a%d=\"v>%d=\"", i, i);
	doc_add(&d, ">\n<Item code=\"x\"/></Lijst>\n");
	return d;
}

/* Both ways of opening give `code` (0: read to the end) for `d`. */
static void expect_tag_doc(const struct doc *d, const struct xmlin_limits *lim, int code,
			   const char *substr, long line)
{
	const char *path = tmp_path("tag.xml");
	FILE *f = fopen(path, "wb");
	struct outcome o;
	enum mode m;

	assert_non_null(f);
	assert_int_equal(fwrite(d->p, 1, d->len, f), d->len);
	assert_int_equal(fclose(f), 0);
	for (m = BY_PATH; m <= BY_MEMORY; m++) {
		run_file(path, "tag.xml", m, NULL, lim, &o);
		if (o.rc != code)
			fail_msg("%s: rc %d, expected %d (msg \"%s\")", mode_name(m), o.rc, code, o.err.msg);
		if (code == 0) {
			assert_int_equal(o.n_start, 2);
			continue;
		}
		assert_contains(o.err.msg, substr);
		assert_string_equal(o.err.file, "tag.xml");
		if (o.err.line != line)
			fail_msg("%s: line %ld, expected %ld (msg \"%s\")", mode_name(m), o.err.line, line,
				 o.err.msg);
	}
}

static void test_ns_attr_caps(void **state)
{
	struct xmlin_limits lim;
	struct doc d;

	(void)state;
	/* At the caps: read.  Values holding '>' and '=' count nothing. */
	d = tag_doc(XMLIN_MAX_NS, XMLIN_MAX_ATTRS);
	expect_tag_doc(&d, NULL, 0, NULL, 0);
	free(d.p);
	/* One over: refused, at the line of the start tag's '<'. */
	d = tag_doc(XMLIN_MAX_NS + 1, 0);
	expect_tag_doc(&d, NULL, BR_EINPUT, "<Lijst> heeft meer dan 64 namespacedeclaraties", 3);
	free(d.p);
	d = tag_doc(1, XMLIN_MAX_ATTRS + 1);
	expect_tag_doc(&d, NULL, BR_EINPUT, "<Lijst> heeft meer dan 256 attributen", 3);
	free(d.p);
	/* The caps are settings. */
	limits_with(&lim, 0, 0, 0);
	lim.max_ns = 2;
	lim.max_attrs = 3;
	d = tag_doc(2, 3);
	expect_tag_doc(&d, &lim, 0, NULL, 0);
	free(d.p);
	d = tag_doc(3, 0);
	expect_tag_doc(&d, &lim, BR_EINPUT, "meer dan 2 namespacedeclaraties", 3);
	free(d.p);
	d = tag_doc(1, 4);
	expect_tag_doc(&d, &lim, BR_EINPUT, "meer dan 3 attributen", 3);
	free(d.p);
}

/* The line of a refused start tag far into the file: the scanner counts
 * the lines of every chunk it passes, eight bytes at a time.  Lines of
 * every length, with UTF-8 ("\xC3\x8A" holds 0x8A, which differs from
 * '\n' only in its high bit), CR LF and empty lines; the expected line is
 * counted here byte by byte. */
static void test_ns_attr_line_far(void **state)
{
	static const char *const pieces[] = {
		"", "x", "\xC3\x8A", "ab \xC3\x8A\xC3\x8A", "\xC3\x8A\xC3\x8A\xC3\x8A yz", "abcdefg",
		"abcdefgh \xC3\x8A", "The quick brown fox \xC3\x8A jumps", "  \t ",
	};
	struct doc d = { NULL, 0, 0 };
	long line = 1;
	size_t i;
	int k;

	(void)state;
	doc_add(&d, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Lijst xmlns=\"%s\">\n", NS_TEST);
	for (k = 0; k < 40000; k++)
		doc_add(&d, "<T>%s</T>%s", pieces[k % (sizeof(pieces) / sizeof(pieces[0]))],
			k % 5 == 0 ? "\r\n" : k % 7 == 0 ? "\n\n" : "\n");
	doc_add(&d, "\n  ");
	for (i = 0; i < d.len; i++)
		line += d.p[i] == '\n';
	doc_add(&d, "<Item");
	for (k = 0; k <= XMLIN_MAX_ATTRS; k++)
		doc_add(&d, " a%d=\"%d\"", k, k);
	doc_add(&d, "/></Lijst>\n");
	expect_tag_doc(&d, NULL, BR_EINPUT, "<Item> heeft meer dan 256 attributen", line);
	free(d.p);
}

/* Issue #10: 100,000 declarations took 15.7 s to parse; now refused as
 * soon as the 65th is seen, before libxml2 sees the tag.  The same for
 * attributes, which libxml2 takes longer over still. */
static void test_ns_attr_bomb(void **state)
{
	struct doc d;
	long long t0, ms;

	(void)state;
	t0 = now_ms();
	d = tag_doc(100000, 0);
	expect_tag_doc(&d, NULL, BR_EINPUT, "meer dan 64 namespacedeclaraties", 3);
	free(d.p);
	d = tag_doc(1, 100000);
	expect_tag_doc(&d, NULL, BR_EINPUT, "meer dan 256 attributen", 3);
	free(d.p);
	ms = now_ms() - t0;
	print_message("100,000 namespaces and 100,000 attributes refused in %lld ms\n", ms);
	assert_true(ms < 3000);
}

/* What is not a start tag does not count: comments, CDATA, processing
 * instructions, text, end tags, and "xmlns" inside a value. */
static void test_ns_attr_not_counted(void **state)
{
	struct doc d = { NULL, 0, 0 };
	int i;

	(void)state;
	doc_add(&d, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?pi ");
	for (i = 0; i < 300; i++)
		doc_add(&d, "xmlns:q%d='x' ", i);
	doc_add(&d, "?>\n<Lijst xmlns=\"%s\" a=\"", NS_TEST);
	for (i = 0; i < 300; i++)
		doc_add(&d, " xmlns:v%d=&quot;x&quot;", i);
	doc_add(&d, "\"><!--");
	for (i = 0; i < 300; i++)
		doc_add(&d, " <x xmlns:c%d='x'>", i);
	doc_add(&d, "--><Item><![CDATA[");
	for (i = 0; i < 300; i++)
		doc_add(&d, "<y xmlns:d%d='x'>", i);
	doc_add(&d, "]]>");
	for (i = 0; i < 300; i++)
		doc_add(&d, " a=b xmlns:t%d=x", i);
	doc_add(&d, "</Item></Lijst>\n");
	expect_tag_doc(&d, NULL, 0, NULL, 0);
	free(d.p);
	/* "xmlnsx" is an attribute, not a declaration; "xmlns:" counts
	 * however it is spaced. */
	d = (struct doc){ NULL, 0, 0 };
	doc_add(&d, "<Lijst xmlns=\"%s\"", NS_TEST);
	for (i = 0; i < 100; i++)
		doc_add(&d, "\txmlnsx%d\n=\n'x'", i);
	doc_add(&d, "><Item/></Lijst>");
	expect_tag_doc(&d, NULL, 0, NULL, 0);
	free(d.p);
	d = (struct doc){ NULL, 0, 0 };
	doc_add(&d, "<Lijst xmlns=\"%s\"><Item", NS_TEST);
	for (i = 0; i < 65; i++)
		doc_add(&d, "\r\nxmlns:n%d\t=\t\"x\"", i);
	doc_add(&d, "/></Lijst>");
	expect_tag_doc(&d, NULL, BR_EINPUT, "<Item> heeft meer dan 64 namespacedeclaraties", 1);
	free(d.p);
}

/* ---- allocation failures (curl's torture mode) ------------------------------ */

static long alloc_countdown; /* the Nth libxml2 allocation from now fails; 0 never */
static int alloc_failed;

static int alloc_should_fail(void)
{
	if (alloc_countdown > 0 && --alloc_countdown == 0) {
		alloc_failed = 1;
		return 1;
	}
	return 0;
}

static void *torture_malloc(size_t n)
{
	return alloc_should_fail() ? NULL : malloc(n);
}

static void *torture_realloc(void *p, size_t n)
{
	return alloc_should_fail() ? NULL : realloc(p, n);
}

static char *torture_strdup(const char *str)
{
	return alloc_should_fail() ? NULL : strdup(str);
}

/*
 * Make libxml2's Nth allocation fail (xmlMemSetup), for N = 1, 2, ... until
 * a run goes through without one: every run either reads the whole file
 * right or fails with BR_ENOMEM, never BR_EINPUT (an out-of-memory reader
 * must not send a good file to quarantine).  No schema: libxml2 2.9.14
 * itself dereferences NULL in xmlSchemaSAXUnplug when an allocation fails
 * while a schema is attached.
 */
static void test_alloc_failure(void **state)
{
	long n;
	int done = 0;
	enum mode m;

	(void)state;
	assert_int_equal(xmlMemSetup(free, torture_malloc, torture_realloc, torture_strdup), 0);
	for (m = BY_PATH; m <= BY_MEMORY; m++) {
		for (n = 1; n < 10000 && !done; n++) {
			struct outcome o;

			alloc_countdown = n;
			alloc_failed = 0;
			run_data("good.xml", m, NULL, NULL, &o);
			alloc_countdown = 0;
			if (o.rc == 0) {
				assert_int_equal(o.n_start, 11);
				done = !alloc_failed;
				continue;
			}
			assert_true(alloc_failed);
			if (o.rc != BR_ENOMEM)
				fail_msg("%s: allocation %ld failed: rc %d \"%s\"", mode_name(m), n,
					 o.rc, o.err.msg);
			assert_int_equal(o.err.code, BR_ENOMEM);
		}
		assert_true(done);
		done = 0;
	}
	assert_int_equal(xmlMemSetup(free, malloc, realloc, strdup), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_plain),
		cmocka_unit_test(test_good_texts),
		cmocka_unit_test(test_gzip_by_magic),
		cmocka_unit_test(test_gzip_truncated),
		cmocka_unit_test(test_gzip_corrupt),
		cmocka_unit_test(test_gzip_bomb),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_not_xml),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_declared_encoding),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_xxe),
		cmocka_unit_test(test_doctype_after_prolog),
		cmocka_unit_test(test_xinclude_not_processed),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_text_node_limit),
		cmocka_unit_test(test_text_across_chunks),
		cmocka_unit_test(test_text_child_element),
		cmocka_unit_test(test_text_overflow),
		cmocka_unit_test(test_text_mixed_and_misuse),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_end_empty),
		cmocka_unit_test(test_schema_valid),
		cmocka_unit_test(test_schema_errors),
		cmocka_unit_test(test_not_well_formed),
		cmocka_unit_test(test_attr),
		cmocka_unit_test(test_ns_attr_caps),
		cmocka_unit_test(test_ns_attr_line_far),
		cmocka_unit_test(test_ns_attr_bomb),
		cmocka_unit_test(test_ns_attr_not_counted),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

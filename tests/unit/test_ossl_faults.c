/*
 * test_ossl_faults.c — OpenSSL failing under the write paths (issue 11,
 * style.md "Tests": make the Nth allocation fail and loop N).
 *
 * main() installs, before anything of OpenSSL runs, an allocator
 * (CRYPTO_set_mem_functions) that counts OpenSSL's allocations and makes
 * the Nth of them (counted from when the test arms it) fail once.  Each
 * write path is run for N = 1, 2, ... (every N up to FAULTS_FIRST, then with
 * a stride that keeps the test short; BR_OSSL_FAULTS_ALL=1 tries every N)
 * until a pass gets through without reaching N: that pass, without
 * failures, must succeed.  After every pass that had a failure injected:
 *
 *  - the call returned an error (a negative code, the same in `err`, and a
 *    message), or it succeeded because OpenSSL absorbed the failure, and
 *    then its result is checked as fully as the pass without failures
 *    (signatures verified again, signers by their fingerprints);
 *  - nothing half-done: the signature file holds the previous bytes, no
 *    new file and no temporary file is left anywhere (fsutil_write_atomic
 *    removes its temporary on failure, and no OpenSSL call comes after a
 *    file is published);
 *  - cms_*: OpenSSL's error queue is empty (cms_sign.h);
 *  - payrun: the store is the same content as before (home_dump); a failed
 *    prepare leaves no run record and no run folder, a failed approve a
 *    PREPARED run with its .p7s unchanged and no approval beside it, a
 *    failed release an APPROVED run and an empty outbox/;
 *  - intake (SHA-256 of the archived copy and of each dossier's snapshot):
 *    nothing quarantined (the file is not to blame), the file still in the
 *    inbox, nothing archived, and the next intake ends where one that
 *    never failed ends;
 *  - the four-eyes rule holds under every failure: an approval or a
 *    signature file by the preparer and a look-alike of the preparer
 *    (CN=preparer without O: the same person, cms_sign.h) never passes.
 *
 * LeakSanitizer (make SANITIZE=address,undefined) checks that no failed
 * call leaks.  Expected fingerprints come from `openssl x509 -fingerprint`,
 * the final signatures are verified with `openssl cms -verify`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <cmocka.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "cms_sign.h"
#include "date.h"
#include "home_fixture.h"
#include "payrun.h"

#include "banned.h"

/* ---- the failing allocator ---------------------------------------------- */

#define FAULTS_FIRST 50      /* every N among the first and the last this many */
#define FAULTS_POINTS 60     /* about this many more per cms_* path, spread evenly */
#define FAULTS_POINTS_RUN 30 /* per payrun_* path: the same OpenSSL calls, more work each */

static long g_allocs;        /* OpenSSL allocations since armed */
static long g_fail_at;       /* 0: never fail */
static int g_injected;       /* a failure was injected since armed */

static void arm(long n)
{
	g_allocs = 0;
	g_fail_at = n;
	g_injected = 0;
}

static void disarm(void)
{
	g_fail_at = 0;
}

static int fail_now(void)
{
	if (++g_allocs != g_fail_at)
		return 0;
	g_injected = 1;
	return 1;
}

/* As CRYPTO_malloc: 0 bytes give NULL (and are no allocation). */
static void *t_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	if (n == 0 || fail_now())
		return NULL;
	return malloc(n);
}

/* As CRYPTO_realloc: NULL grows from nothing, 0 bytes frees; a failure
 * leaves the old block to the caller. */
static void *t_realloc(void *p, size_t n, const char *file, int line)
{
	if (!p)
		return t_malloc(n, file, line);
	if (n == 0) {
		free(p);
		return NULL;
	}
	if (fail_now())
		return NULL;
	return realloc(p, n);
}

static void t_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	free(p);
}

/*
 * The next N after `n` for a path of `total` allocations: every N among
 * the first and the last FAULTS_FIRST (setting up; and comparing signers,
 * writing and recording, which come last), a stride in between.
 */
static long next_n(long n, long total, long points)
{
	long stride = (total - 2 * FAULTS_FIRST) / points;

	if (n < FAULTS_FIRST || n >= total - FAULTS_FIRST || stride <= 1 || getenv("BR_OSSL_FAULTS_ALL"))
		return n + 1;
	return n + stride < total - FAULTS_FIRST ? n + stride : total - FAULTS_FIRST;
}

struct sweep {
	const char *what;
	double started;  /* seconds, CLOCK_MONOTONIC */
	long points;     /* next_n */
	long total;     /* allocations of a pass without failures */
	long failed;    /* passes that returned an error */
	long absorbed;  /* passes that succeeded although an allocation failed */
};

/* A pass with a failure injected returned `rc`: an error, said in `err`. */
static void check_error(const struct sweep *sw, long n, int rc, const struct br_error *err)
{
	if (rc > 0)
		fail_msg("%s, N=%ld: returned %d", sw->what, n, rc);
	if (rc < 0 && (err->code != rc || err->msg[0] == '\0'))
		fail_msg("%s, N=%ld: returned %d, but the error says code %d, \"%s\"", sw->what, n, rc, err->code,
			 err->msg);
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const struct sweep *sw, long last)
{
	print_message("%s: %ld allocations, %ld failures injected: %ld errors, %ld absorbed (last N=%ld), %.1f s\n",
		      sw->what, sw->total, sw->failed + sw->absorbed, sw->failed, sw->absorbed, last,
		      seconds() - sw->started);
}

/* ---- files ---------------------------------------------------------------- */

/* Run a shell command; its exit status, or -1 when it did not exit. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int n, st;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -1;
	st = system(cmd);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* A file's bytes as a string (caller frees), or NULL when it is missing. */
static char *slurp(const char *path, size_t *len)
{
	struct fx_text t = { 0 };
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	*len = 0;
	if (!f)
		return NULL;
	fx_addf(&t, "%s", "");
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		size_t at = t.len;

		fx_addf(&t, "%*s", (int)n, "");
		memcpy(t.s + at, buf, n);
	}
	fclose(f);
	*len = t.len;
	return t.s;
}

static void spit(const char *path, const char *bytes, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* The file holds exactly `bytes` (NULL: the file is missing). */
static void assert_file(const struct sweep *sw, long n, const char *path, const char *bytes, size_t len)
{
	size_t have_len;
	char *have = slurp(path, &have_len);

	if (!bytes && have)
		fail_msg("%s, N=%ld: %s was left behind (%zu bytes)", sw->what, n, path, have_len);
	if (bytes && (!have || have_len != len || memcmp(have, bytes, len) != 0))
		fail_msg("%s, N=%ld: %s was %s", sw->what, n, path, have ? "changed" : "removed");
	free(have);
}

static void assert_tree(const struct sweep *sw, long n, const char *dir, const char *want)
{
	char *tree = fx_tree(dir);

	if (strcmp(tree, want) != 0)
		fail_msg("%s, N=%ld: %s holds\n%swhere before it held\n%s", sw->what, n, dir, tree, want);
	free(tree);
}

/* ---- keys ----------------------------------------------------------------- */

static char g_keys[256];         /* fx_make_keys, and what is added here */
static char g_ca[300], g_prep[300], g_appr[300], g_look[300], g_p12[300];
static char g_prep_fp[CMS_FINGERPRINT_HEX + 1], g_appr_fp[CMS_FINGERPRINT_HEX + 1];

#define P12_PASS "Voorbereider-geheim-2209"
/* fx_make_keys's subjects in RFC 2253 order (cms_sign.h: as people read them) */
#define PREP_SUBJECT "CN=Preparer,O=WerkSaam Westfriesland"
#define APPR_SUBJECT "CN=Approver,O=WerkSaam Westfriesland"

/* `openssl x509 -fingerprint -sha256` of dir/crt as lower-case hex. */
static int fingerprint_of(char out[CMS_FINGERPRINT_HEX + 1], const char *crt)
{
	char cmd[1024], line[512];
	const char *p;
	size_t n = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "openssl x509 -noout -fingerprint -sha256 -in '%s/%s'", g_keys, crt);
	if (!(f = popen(cmd, "r")))
		return -1;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	if (pclose(f) != 0 || !(p = strchr(line, '=')))
		return -1;
	for (p++; *p && *p != '\n' && n < CMS_FINGERPRINT_HEX; p++)
		if (*p != ':')
			out[n++] = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
	out[n] = '\0';
	return n == CMS_FINGERPRINT_HEX ? 0 : -1;
}

/*
 * fx_make_keys (CA, Preparer, Approver), and besides: the Preparer's key
 * and certificate as PKCS#12 with a passphrase (another way in: PBKDF2 and
 * AES in OpenSSL), and CN=preparer without O and with a key of its own,
 * issued by the same CA: the same person as CN=Preparer,O=... by the rule
 * of cms_sign.h (equal CN ignoring case, an O on one side only).
 */
static int make_keys(void)
{
	if (fx_make_keys(g_keys, sizeof(g_keys)) < 0)
		return -1;
	if (sh("cd '%s' && (set -e\n"
	       "openssl req -newkey rsa:2048 -nodes -keyout look.key -out look.csr -subj '/CN=preparer'\n"
	       "openssl x509 -req -in look.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -out look.crt\n"
	       "cat look.key look.crt >look.pem\n"
	       "openssl pkcs12 -export -inkey Preparer.key -in Preparer.crt -out prep.p12 -passout pass:" P12_PASS "\n"
	       ") >/dev/null 2>&1",
	       g_keys) != 0)
		return -1;
	snprintf(g_ca, sizeof(g_ca), "%s/ca.pem", g_keys);
	snprintf(g_prep, sizeof(g_prep), "%s/prep.pem", g_keys);
	snprintf(g_appr, sizeof(g_appr), "%s/appr.pem", g_keys);
	snprintf(g_look, sizeof(g_look), "%s/look.pem", g_keys);
	snprintf(g_p12, sizeof(g_p12), "%s/prep.p12", g_keys);
	if (fingerprint_of(g_prep_fp, "Preparer.crt") < 0 || fingerprint_of(g_appr_fp, "Approver.crt") < 0)
		return -1;
	return 0;
}

static int openssl_verify(const char *data, const char *sig)
{
	return sh("openssl cms -verify -binary -inform DER -in '%s' -content '%s' -CAfile '%s' -purpose any"
		  " -out /dev/null >/dev/null 2>&1",
		  sig, data, g_ca);
}

/* ---- fixture -------------------------------------------------------------- */

static const struct fx_dossier DOSSIERS[] = {
	{ .nummer = "PW-0405-000001", .bsn = "100000009", .naam = "P. Jansen", .iban = "NL64ABNA0417164301" },
	{ .nummer = "PW-0405-000002", .bsn = "100000010", .naam = "A. de Vries", .iban = "NL37ABNA0417164302",
	  .partner_bsn = "100000022", .partner_naam = "B. de Vries" },
};

struct ofx {
	char dir[256];                        /* cms_*: data and signatures */
	char data[300], sig[320], pending[340];
	struct home_fx h;                     /* payrun_*: a data directory */
	struct payrun_env env;
	struct br_error err;
};

static int group_setup(void **state)
{
	(void)state;
	return make_keys();
}

static int group_teardown(void **state)
{
	struct br_error err;

	(void)state;
	br_error_clear(&err);
	return fsutil_remove_tree(g_keys, &err);
}

/* A payment-like file with CR LF and a non-ASCII byte (CMS_BINARY keeps them). */
static int setup_cms(void **state)
{
	static const char body[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
				   "<Document><CstmrCdtTrfInitn><GrpHdr><MsgId>BR-202611-0001</MsgId>\n"
				   "<NbOfTxs>2</NbOfTxs><CtrlSum>3000.00</CtrlSum></GrpHdr>\n"
				   "<Nm>Gemeente \xc3\x9f-Test</Nm></CstmrCdtTrfInitn></Document>\n";
	static struct ofx fx;
	const char *t = getenv("TMPDIR");
	FILE *f;

	memset(&fx, 0, sizeof(fx));
	snprintf(fx.dir, sizeof(fx.dir), "%.150s/test_ossl_faults.XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(fx.dir))
		return -1;
	snprintf(fx.data, sizeof(fx.data), "%s/pain.001.xml", fx.dir);
	snprintf(fx.sig, sizeof(fx.sig), "%s.p7s", fx.data);
	snprintf(fx.pending, sizeof(fx.pending), "%s.goedkeuring", fx.sig);
	if (!(f = fopen(fx.data, "wb")) || fwrite(body, 1, sizeof(body) - 1, f) != sizeof(body) - 1 ||
	    fclose(f) != 0)
		return -1;
	disarm();
	*state = &fx;
	return 0;
}

static int teardown_cms(void **state)
{
	struct ofx *fx = *state;
	struct br_error err;

	disarm();
	br_error_clear(&err);
	return fsutil_remove_tree(fx->dir, &err);
}

/* ---- cms_sign_file ---------------------------------------------------------- */

/* The signature file holds exactly one signature over the data, by the
 * preparer's certificate, and `who` says so. */
static void check_signed(const struct sweep *sw, long n, struct ofx *fx, const struct cms_signer *who)
{
	struct cms_signer s[CMS_MAX_SIGNERS];
	size_t ns = 0;
	struct br_error err;

	br_error_clear(&err);
	if (cms_verify_file(fx->data, fx->sig, g_ca, s, &ns, &err) < 0)
		fail_msg("%s, N=%ld: succeeded, but its signature does not verify: %s", sw->what, n, err.msg);
	assert_int_equal(ns, 1);
	assert_string_equal(s[0].fingerprint, g_prep_fp);
	if (strcmp(who->fingerprint, g_prep_fp) != 0 || strcmp(who->subject, PREP_SUBJECT) != 0)
		fail_msg("%s, N=%ld: succeeded, but names the signer \"%s\" (sha256 \"%s\")", sw->what, n,
			 who->subject, who->fingerprint);
}

/*
 * Sign with `key`; the previous state is a signature by the approver in
 * the signature file (cms_sign_file replaces one), which a failed call
 * must leave as it was.
 */
static void sweep_sign(struct ofx *fx, const char *what, const char *key, const char *pass)
{
	struct sweep sw = { what, seconds(), FAULTS_POINTS, 0, 0, 0 };
	struct cms_signer who;
	char *prev, *tree;
	size_t prev_len;
	long n;
	int rc;

	br_error_clear(&fx->err);
	assert_int_equal(cms_sign_file(fx->data, fx->sig, g_appr, NULL, NULL, &fx->err), 0);
	prev = slurp(fx->sig, &prev_len);
	tree = fx_tree(fx->dir);
	/* the pass without failures: its count and result */
	arm(0);
	rc = cms_sign_file(fx->data, fx->sig, key, pass, &who, &fx->err);
	sw.total = g_allocs;
	assert_int_equal(rc, 0);
	check_signed(&sw, 0, fx, &who);
	spit(fx->sig, prev, prev_len);

	for (n = 1;; n = next_n(n, sw.total, sw.points)) {
		br_error_clear(&fx->err);
		arm(n);
		rc = cms_sign_file(fx->data, fx->sig, key, pass, &who, &fx->err);
		disarm();
		if (!g_injected)
			break;
		check_error(&sw, n, rc, &fx->err);
		if (ERR_peek_error() != 0)
			fail_msg("%s, N=%ld: OpenSSL's error queue was left non-empty", what, n);
		if (rc == 0) {
			sw.absorbed++;
			check_signed(&sw, n, fx, &who);
			spit(fx->sig, prev, prev_len);
			continue;
		}
		sw.failed++;
		assert_file(&sw, n, fx->sig, prev, prev_len);
		assert_tree(&sw, n, fx->dir, tree);
	}
	assert_int_equal(rc, 0);
	assert_true(sw.failed > 0);
	check_signed(&sw, n, fx, &who);
	assert_int_equal(openssl_verify(fx->data, fx->sig), 0);
	report(&sw, n);
	free(prev);
	free(tree);
}

static void test_sign_pem(void **state)
{
	sweep_sign(*state, "cms_sign_file (PEM key)", g_prep, NULL);
}

static void test_sign_p12(void **state)
{
	sweep_sign(*state, "cms_sign_file (PKCS#12 key)", g_p12, P12_PASS);
}

/* ---- cms_approve_file --------------------------------------------------------- */

/* `sig` holds the preparer's and the approver's signature, four-eyes holds. */
static void check_pair_file(const struct sweep *sw, long n, struct ofx *fx, const char *sig,
			    const struct cms_four_eyes *fe)
{
	struct cms_recorded rec = { g_prep_fp, NULL, g_appr_fp, NULL };
	struct cms_four_eyes again;
	struct br_error err;

	if (strcmp(fe->preparer.fingerprint, g_prep_fp) != 0 || strcmp(fe->approver.fingerprint, g_appr_fp) != 0 ||
	    strcmp(fe->approver.subject, APPR_SUBJECT) != 0)
		fail_msg("%s, N=%ld: succeeded, but names preparer sha256 \"%s\" and approver \"%s\" (sha256 \"%s\")",
			 sw->what, n, fe->preparer.fingerprint, fe->approver.subject, fe->approver.fingerprint);
	br_error_clear(&err);
	if (cms_verify_four_eyes(&again, fx->data, sig, g_ca, &rec, &err) < 0)
		fail_msg("%s, N=%ld: succeeded, but %s does not pass four-eyes: %s", sw->what, n, sig, err.msg);
}

static void test_approve(void **state)
{
	struct ofx *fx = *state;
	struct sweep sw = { "cms_approve_file", seconds(), FAULTS_POINTS, 0, 0, 0 };
	struct cms_recorded rec = { g_prep_fp, PREP_SUBJECT, NULL, NULL };
	struct cms_four_eyes fe;
	char *prev, *tree;
	size_t prev_len;
	long n;
	int rc;

	br_error_clear(&fx->err);
	assert_int_equal(cms_sign_file(fx->data, fx->sig, g_prep, NULL, NULL, &fx->err), 0);
	prev = slurp(fx->sig, &prev_len);
	tree = fx_tree(fx->dir);
	arm(0);
	rc = cms_approve_file(&fe, fx->data, fx->sig, fx->pending, g_ca, g_appr, NULL, &rec, &fx->err);
	sw.total = g_allocs;
	assert_int_equal(rc, 0);
	assert_int_equal(fe.resumed, 0);
	check_pair_file(&sw, 0, fx, fx->pending, &fe);
	assert_int_equal(unlink(fx->pending), 0);

	for (n = 1;; n = next_n(n, sw.total, sw.points)) {
		br_error_clear(&fx->err);
		arm(n);
		rc = cms_approve_file(&fe, fx->data, fx->sig, fx->pending, g_ca, g_appr, NULL, &rec, &fx->err);
		disarm();
		if (!g_injected)
			break;
		check_error(&sw, n, rc, &fx->err);
		if (ERR_peek_error() != 0)
			fail_msg("%s, N=%ld: OpenSSL's error queue was left non-empty", sw.what, n);
		/* the preparer's signature is never touched */
		assert_file(&sw, n, fx->sig, prev, prev_len);
		if (rc == 0) {
			sw.absorbed++;
			check_pair_file(&sw, n, fx, fx->pending, &fe);
			assert_int_equal(unlink(fx->pending), 0);
			continue;
		}
		sw.failed++;
		assert_tree(&sw, n, fx->dir, tree);
	}
	assert_int_equal(rc, 0);
	assert_true(sw.failed > 0);
	check_pair_file(&sw, n, fx, fx->pending, &fe);
	assert_int_equal(openssl_verify(fx->data, fx->pending), 0);
	report(&sw, n);
	free(prev);
	free(tree);
}

/*
 * The preparer's look-alike approves: refused (BR_EFOUREYES) without
 * failures, and refused — with whatever error — under every failure: an
 * allocation that fails while two people are compared must not make them
 * two people.
 */
static void test_approve_same_person(void **state)
{
	struct ofx *fx = *state;
	struct sweep sw = { "cms_approve_file (the preparer's look-alike)", seconds(), FAULTS_POINTS, 0, 0, 0 };
	struct cms_recorded rec = { g_prep_fp, PREP_SUBJECT, NULL, NULL };
	struct cms_four_eyes fe;
	char *prev, *tree;
	size_t prev_len;
	long n;
	int rc;

	br_error_clear(&fx->err);
	assert_int_equal(cms_sign_file(fx->data, fx->sig, g_prep, NULL, NULL, &fx->err), 0);
	prev = slurp(fx->sig, &prev_len);
	tree = fx_tree(fx->dir);
	for (n = 0;; n = next_n(n, sw.total, sw.points)) {
		br_error_clear(&fx->err);
		arm(n);
		rc = cms_approve_file(&fe, fx->data, fx->sig, fx->pending, g_ca, g_look, NULL, &rec, &fx->err);
		disarm();
		if (n == 0)
			sw.total = g_allocs;
		if (n > 0 && !g_injected)
			break;
		if (rc == 0)
			fail_msg("%s, N=%ld: the look-alike's approval was accepted (approver %s)", sw.what, n,
				 fe.approver.subject);
		check_error(&sw, n, rc, &fx->err);
		if (n == 0)
			assert_int_equal(rc, BR_EFOUREYES);
		else
			sw.failed++;
		assert_file(&sw, n, fx->sig, prev, prev_len);
		assert_tree(&sw, n, fx->dir, tree);
	}
	assert_int_equal(rc, BR_EFOUREYES);
	assert_non_null(strstr(fx->err.msg, "dezelfde persoon"));
	report(&sw, n);
	free(prev);
	free(tree);
}

/* ---- cms_verify_four_eyes -------------------------------------------------- */

static void test_verify_four_eyes(void **state)
{
	struct ofx *fx = *state;
	struct sweep sw = { "cms_verify_four_eyes", seconds(), FAULTS_POINTS, 0, 0, 0 };
	struct cms_recorded rec = { g_prep_fp, PREP_SUBJECT, g_appr_fp, APPR_SUBJECT };
	struct cms_four_eyes fe;
	char *prev, *tree;
	size_t prev_len;
	long n;
	int rc;

	br_error_clear(&fx->err);
	assert_int_equal(cms_sign_file(fx->data, fx->sig, g_prep, NULL, NULL, &fx->err), 0);
	assert_int_equal(cms_approve_file(&fe, fx->data, fx->sig, fx->sig, g_ca, g_appr, NULL, &rec, &fx->err), 0);
	prev = slurp(fx->sig, &prev_len);
	tree = fx_tree(fx->dir);
	for (n = 0;; n = next_n(n, sw.total, sw.points)) {
		br_error_clear(&fx->err);
		arm(n);
		rc = cms_verify_four_eyes(&fe, fx->data, fx->sig, g_ca, &rec, &fx->err);
		disarm();
		if (n == 0)
			sw.total = g_allocs;
		if (n > 0 && !g_injected)
			break;
		check_error(&sw, n, rc, &fx->err);
		if (ERR_peek_error() != 0)
			fail_msg("%s, N=%ld: OpenSSL's error queue was left non-empty", sw.what, n);
		if (rc == 0)
			check_pair_file(&sw, n, fx, fx->sig, &fe);
		if (n > 0)
			rc == 0 ? sw.absorbed++ : sw.failed++;
		else
			assert_int_equal(rc, 0);
		assert_file(&sw, n, fx->sig, prev, prev_len);
		assert_tree(&sw, n, fx->dir, tree);
	}
	assert_int_equal(rc, 0);
	assert_true(sw.failed > 0);
	report(&sw, n);
	free(prev);
	free(tree);
}

/* A file signed by the preparer and the look-alike (by the openssl CLI:
 * approve would refuse it) never passes. */
static void test_verify_same_person(void **state)
{
	struct ofx *fx = *state;
	struct sweep sw = { "cms_verify_four_eyes (preparer and look-alike)", seconds(), FAULTS_POINTS, 0, 0, 0 };
	struct cms_four_eyes fe;
	long n;
	int rc;

	assert_int_equal(sh("openssl cms -sign -binary -md sha256 -outform DER -in '%s'"
			    " -signer '%s/Preparer.crt' -inkey '%s/Preparer.key'"
			    " -signer '%s/look.crt' -inkey '%s/look.key' -out '%s' 2>/dev/null",
			    fx->data, g_keys, g_keys, g_keys, g_keys, fx->sig),
			 0);
	for (n = 0;; n = next_n(n, sw.total, sw.points)) {
		br_error_clear(&fx->err);
		arm(n);
		rc = cms_verify_four_eyes(&fe, fx->data, fx->sig, g_ca, NULL, &fx->err);
		disarm();
		if (n == 0)
			sw.total = g_allocs;
		if (n > 0 && !g_injected)
			break;
		if (rc == 0)
			fail_msg("%s, N=%ld: passed four-eyes (%s and %s)", sw.what, n, fe.preparer.subject,
				 fe.approver.subject);
		check_error(&sw, n, rc, &fx->err);
		if (n == 0)
			assert_int_equal(rc, BR_EFOUREYES);
		else
			sw.failed++;
	}
	assert_int_equal(rc, BR_EFOUREYES);
	report(&sw, n);
}

/* ---- the payment run -------------------------------------------------------- */

static int setup_home(void **state)
{
	static struct ofx fx;
	struct fx_text t = { 0 };
	struct intake_summary sum;

	memset(&fx, 0, sizeof(fx));
	disarm();
	if (home_open(&fx.h, "test_ossl_faults") < 0)
		return -1;
	snprintf(fx.h.cfg.debiteur_iban, sizeof(fx.h.cfg.debiteur_iban), "NL91ABNA0417164300");
	snprintf(fx.h.cfg.debiteur_bic, sizeof(fx.h.cfg.debiteur_bic), "ABNANL2A");
	fx_register(&t, "REG-1", "2026-10-27", "2026-10-27T18:00:00", DOSSIERS, 2);
	fx_drop(&fx.h, "register.xml", t.s);
	fx_text_free(&t);
	if (fx_ingest(&fx.h, &sum) < 0 || sum.ingested != 1)
		return -1;
	fx.env.home = fx.h.dir;
	fx.env.cfg = &fx.h.cfg;
	fx.env.rules = &fx.h.rules;
	fx.env.trust_pem = g_ca;
	fx.env.signals = &fx.h.sig;
	if (timestamp_now(&fx.env.now, NULL) < 0)
		return -1;
	*state = &fx;
	return 0;
}

static int teardown_home(void **state)
{
	struct ofx *fx = *state;
	struct br_error err;
	char snap[FX_PATH];

	disarm();
	br_error_clear(&err);
	snprintf(snap, sizeof(snap), "%s.snap", fx->h.dir);
	fsutil_remove_tree(snap, &err);
	return home_close(&fx->h);
}

/* Copy the tree `src` to the new path `dst`: directories, and regular
 * files with their modes (a data directory holds nothing else). */
static void copy_tree(const char *src, const char *dst)
{
	struct dirent *de;
	struct stat st;
	DIR *d;

	assert_int_equal(stat(src, &st), 0);
	assert_int_equal(mkdir(dst, st.st_mode & 07777), 0);
	assert_non_null(d = opendir(src));
	while ((de = readdir(d)) != NULL) {
		char from[FX_PATH * 4], to[FX_PATH * 4], *bytes;
		size_t len;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(from, sizeof(from), "%s/%s", src, de->d_name);
		snprintf(to, sizeof(to), "%s/%s", dst, de->d_name);
		assert_int_equal(lstat(from, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			copy_tree(from, to);
			continue;
		}
		assert_true(S_ISREG(st.st_mode));
		assert_non_null(bytes = slurp(from, &len));
		spit(to, bytes, len);
		assert_int_equal(chmod(to, st.st_mode & 07777), 0);
		free(bytes);
	}
	closedir(d);
}

/*
 * The data directory as it is now, store and files, kept beside it
 * (snapshot) and put back (restore) after a pass that succeeded although
 * an allocation failed: the next N starts from the same state.  The store
 * is closed meanwhile (no copy under an open connection).
 */
static void home_copy(struct ofx *fx, int restore)
{
	char snap[FX_PATH];
	struct br_error err;

	br_error_clear(&err);
	snprintf(snap, sizeof(snap), "%s.snap", fx->h.dir);
	store_close(fx->h.st);
	fx->h.st = NULL;
	assert_int_equal(fsutil_remove_tree(restore ? fx->h.dir : snap, &err), 0);
	copy_tree(restore ? snap : fx->h.dir, restore ? fx->h.dir : snap);
	assert_int_equal(store_open(&fx->h.st, fx->h.db, 0, &fx->h.err), 0);
}

static const char *run_dir(const struct ofx *fx)
{
	return fx_path(&fx->h, "out/2026-11/BR-202611-0001");
}

static char *run_file_bytes(const struct ofx *fx, const char *name, size_t *len)
{
	char path[FX_PATH * 4];

	snprintf(path, sizeof(path), "%s/%s", run_dir(fx), name);
	return slurp(path, len);
}

/* `sha256sum` of a file in the run folder (lower-case hex). */
static void sha256sum(char out[SHA256_HEX_LEN + 1], const struct ofx *fx, const char *name)
{
	char cmd[FX_PATH * 4], line[256];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "sha256sum '%s/%s'", run_dir(fx), name);
	assert_non_null(f = popen(cmd, "r"));
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	assert_int_equal(pclose(f), 0);
	assert_true(strlen(line) > SHA256_HEX_LEN && line[SHA256_HEX_LEN] == ' ');
	memcpy(out, line, SHA256_HEX_LEN);
	out[SHA256_HEX_LEN] = '\0';
}

/* The prepared run: its record names the preparer by certificate and
 * subject and holds the file's SHA-256 as `sha256sum` computes it; the
 * .p7s is the preparer's signature over the file, and the folder is whole. */
static void check_prepared(const struct sweep *sw, long n, struct ofx *fx, const struct payrun_summary *ps)
{
	char want[512], sha[SHA256_HEX_LEN + 1], data[FX_PATH * 4], sig[FX_PATH * 4 + 8];
	struct cms_signer s[CMS_MAX_SIGNERS];
	size_t ns = 0;
	char *tree;

	if (strcmp(ps->msg_id, "BR-202611-0001") != 0)
		fail_msg("%s, N=%ld: prepared run %s", sw->what, n, ps->msg_id);
	sha256sum(sha, fx, "pain.001.xml");
	snprintf(want, sizeof(want), "PREPARED|%s|%s|%s", sha, g_prep_fp, PREP_SUBJECT);
	assert_string_equal(fx_text1(&fx->h, "SELECT group_concat(status || '|' || sha256 || '|' ||"
					     " voorbereider_sha256 || '|' || voorbereider) FROM run"),
			    want);
	assert_string_equal(ps->sha256, sha);
	snprintf(data, sizeof(data), "%s/pain.001.xml", run_dir(fx));
	snprintf(sig, sizeof(sig), "%s.p7s", data);
	br_error_clear(&fx->err);
	if (cms_verify_file(data, sig, g_ca, s, &ns, &fx->err) < 0)
		fail_msg("%s, N=%ld: the run's signature does not verify: %s", sw->what, n, fx->err.msg);
	assert_int_equal(ns, 1);
	assert_string_equal(s[0].fingerprint, g_prep_fp);
	tree = fx_tree(fx_path(&fx->h, "out"));
	if (!strstr(tree, "BR-202611-0001/manifest.xml\n") || !strstr(tree, "BR-202611-0001/pain.001.xml.p7s\n") ||
	    strstr(tree, ".tmp"))
		fail_msg("%s, N=%ld: the run folder is not whole:\n%s", sw->what, n, tree);
	free(tree);
}

static void sweep_prepare(struct ofx *fx)
{
	struct sweep sw = { "payrun_prepare", seconds(), FAULTS_POINTS_RUN, 0, 0, 0 };
	struct payrun_summary ps;
	char *before, *tree;
	long n;
	int rc;
	const int32_t nov = month_of(date_from_ymd(2026, 11, 1));

	before = home_dump(&fx->h);
	assert_tree(&sw, 0, fx_path(&fx->h, "out"), "");
	home_copy(fx, 0);
	arm(0);
	rc = payrun_prepare(&ps, fx->h.st, &fx->env, nov, 0, 0, g_prep, NULL, &fx->h.err);
	sw.total = g_allocs;
	assert_int_equal(rc, 0);
	check_prepared(&sw, 0, fx, &ps);
	home_copy(fx, 1);

	for (n = 1;; n = next_n(n, sw.total, sw.points)) {
		char *after;

		br_error_clear(&fx->h.err);
		arm(n);
		rc = payrun_prepare(&ps, fx->h.st, &fx->env, nov, 0, 0, g_prep, NULL, &fx->h.err);
		disarm();
		if (!g_injected)
			break;
		check_error(&sw, n, rc, &fx->h.err);
		if (rc == 0) {
			sw.absorbed++;
			check_prepared(&sw, n, fx, &ps);
			home_copy(fx, 1);
			continue;
		}
		sw.failed++;
		after = home_dump(&fx->h);
		if (strcmp(after, before) != 0)
			fail_msg("%s, N=%ld: the store changed (%lld runs)", sw.what, n,
				 fx_count(&fx->h, "SELECT count(*) FROM run"));
		free(after);
		/* no run folder, no temporary one: at most the month's folder,
		 * empty (made before the first OpenSSL call) */
		tree = fx_tree(fx_path(&fx->h, "out"));
		if (strcmp(tree, "") != 0 && strcmp(tree, "2026-11/\n") != 0)
			fail_msg("%s, N=%ld: a failed preparation left in out/:\n%s", sw.what, n, tree);
		free(tree);
	}
	assert_int_equal(rc, 0);
	assert_true(sw.failed > 0);
	check_prepared(&sw, n, fx, &ps);
	report(&sw, n);
	free(before);
}

/* The approved run: the record names both certificates, the .p7s holds
 * both signatures (four-eyes against the record), no approval waits
 * beside it. */
static void check_approved(const struct sweep *sw, long n, struct ofx *fx)
{
	struct cms_recorded rec = { g_prep_fp, NULL, g_appr_fp, NULL };
	struct cms_four_eyes fe;
	char want[512], data[FX_PATH * 4], sig[FX_PATH * 4 + 8];

	snprintf(want, sizeof(want), "APPROVED|%s|%s|%s", g_prep_fp, g_appr_fp, APPR_SUBJECT);
	assert_string_equal(fx_text1(&fx->h, "SELECT group_concat(status || '|' || voorbereider_sha256 || '|' ||"
					     " goedkeurder_sha256 || '|' || goedkeurder) FROM run"),
			    want);
	snprintf(data, sizeof(data), "%s/pain.001.xml", run_dir(fx));
	snprintf(sig, sizeof(sig), "%s.p7s", data);
	br_error_clear(&fx->err);
	if (cms_verify_four_eyes(&fe, data, sig, g_ca, &rec, &fx->err) < 0)
		fail_msg("%s, N=%ld: the approved run's signature fails four-eyes: %s", sw->what, n, fx->err.msg);
	assert_file(sw, n, fx_path(&fx->h, "out/2026-11/BR-202611-0001/pain.001.xml.p7s.goedkeuring"), NULL, 0);
}

/* After a failed approve: the run PREPARED as before, its .p7s unchanged,
 * nothing beside it. */
static void sweep_approve(struct ofx *fx)
{
	struct sweep sw = { "payrun_approve", seconds(), FAULTS_POINTS_RUN, 0, 0, 0 };
	struct payrun_summary ps;
	char *before, *p7s, *tree, *after;
	size_t p7s_len;
	long n;
	int rc;

	home_copy(fx, 0);
	before = home_dump(&fx->h);
	p7s = run_file_bytes(fx, "pain.001.xml.p7s", &p7s_len);
	tree = fx_tree(run_dir(fx));
	arm(0);
	rc = payrun_approve(&ps, fx->h.st, &fx->env, "BR-202611-0001", g_appr, NULL, &fx->h.err);
	sw.total = g_allocs;
	assert_int_equal(rc, 0);
	check_approved(&sw, 0, fx);
	home_copy(fx, 1);

	for (n = 1;; n = next_n(n, sw.total, sw.points)) {
		br_error_clear(&fx->h.err);
		arm(n);
		rc = payrun_approve(&ps, fx->h.st, &fx->env, "BR-202611-0001", g_appr, NULL, &fx->h.err);
		disarm();
		if (!g_injected)
			break;
		check_error(&sw, n, rc, &fx->h.err);
		if (rc == 0) {
			sw.absorbed++;
			check_approved(&sw, n, fx);
			home_copy(fx, 1);
			continue;
		}
		sw.failed++;
		after = home_dump(&fx->h);
		if (strcmp(after, before) != 0)
			fail_msg("%s, N=%ld: the store changed (run %s)", sw.what, n,
				 fx_text1(&fx->h, "SELECT status FROM run"));
		free(after);
		assert_file(&sw, n, fx_path(&fx->h, "out/2026-11/BR-202611-0001/pain.001.xml.p7s"), p7s, p7s_len);
		assert_tree(&sw, n, run_dir(fx), tree);
	}
	assert_int_equal(rc, 0);
	assert_true(sw.failed > 0);
	check_approved(&sw, n, fx);
	report(&sw, n);
	free(before);
	free(p7s);
	free(tree);
}

/* The released run: RELEASED, the file and its signature in outbox/ as
 * they are in the run folder, verifiable there by openssl. */
static void check_released(const struct sweep *sw, long n, struct ofx *fx)
{
	static const char *const names[][2] = { { "pain.001.xml", "outbox/BR-202611-0001.xml" },
						 { "pain.001.xml.p7s", "outbox/BR-202611-0001.xml.p7s" } };
	size_t i;

	if (strcmp(fx_text1(&fx->h, "SELECT group_concat(status) FROM run"), "RELEASED") != 0)
		fail_msg("%s, N=%ld: succeeded, but the run is %s", sw->what, n,
			 fx_text1(&fx->h, "SELECT group_concat(status) FROM run"));
	assert_tree(sw, n, fx_path(&fx->h, "outbox"), "BR-202611-0001.xml\nBR-202611-0001.xml.p7s\n");
	for (i = 0; i < 2; i++) {
		size_t len;
		char *want = run_file_bytes(fx, names[i][0], &len);

		assert_non_null(want);
		assert_file(sw, n, fx_path(&fx->h, names[i][1]), want, len);
		free(want);
	}
}

/* After a failed release: the run APPROVED as before, nothing in outbox/. */
static void sweep_release(struct ofx *fx)
{
	struct sweep sw = { "payrun_release", seconds(), FAULTS_POINTS_RUN, 0, 0, 0 };
	struct payrun_summary ps;
	char *before, *p7s, *tree, *after;
	size_t p7s_len;
	long n;
	int rc;

	home_copy(fx, 0);
	before = home_dump(&fx->h);
	p7s = run_file_bytes(fx, "pain.001.xml.p7s", &p7s_len);
	tree = fx_tree(run_dir(fx));
	assert_tree(&sw, 0, fx_path(&fx->h, "outbox"), "");
	arm(0);
	rc = payrun_release(&ps, fx->h.st, &fx->env, "BR-202611-0001", &fx->h.err);
	sw.total = g_allocs;
	assert_int_equal(rc, 0);
	check_released(&sw, 0, fx);
	home_copy(fx, 1);

	for (n = 1;; n = next_n(n, sw.total, sw.points)) {
		br_error_clear(&fx->h.err);
		arm(n);
		rc = payrun_release(&ps, fx->h.st, &fx->env, "BR-202611-0001", &fx->h.err);
		disarm();
		if (!g_injected)
			break;
		check_error(&sw, n, rc, &fx->h.err);
		if (rc == 0) {
			sw.absorbed++;
			check_released(&sw, n, fx);
			home_copy(fx, 1);
			continue;
		}
		sw.failed++;
		after = home_dump(&fx->h);
		if (strcmp(after, before) != 0)
			fail_msg("%s, N=%ld: the store changed (run %s)", sw.what, n,
				 fx_text1(&fx->h, "SELECT status FROM run"));
		free(after);
		assert_tree(&sw, n, fx_path(&fx->h, "outbox"), "");
		assert_file(&sw, n, fx_path(&fx->h, "out/2026-11/BR-202611-0001/pain.001.xml.p7s"), p7s, p7s_len);
		assert_tree(&sw, n, run_dir(fx), tree);
	}
	assert_int_equal(rc, 0);
	assert_true(sw.failed > 0);
	check_released(&sw, n, fx);
	assert_int_equal(openssl_verify(fx_path(&fx->h, "outbox/BR-202611-0001.xml"),
					fx_path(&fx->h, "outbox/BR-202611-0001.xml.p7s")),
			 0);
	report(&sw, n);
	free(before);
	free(p7s);
	free(tree);
}

/* prepare, approve and release of one run, each under every failure */
static void test_payrun(void **state)
{
	struct ofx *fx = *state;

	sweep_prepare(fx);
	sweep_approve(fx);
	sweep_release(fx);
}

/* ---- intake: digests of what is archived -------------------------------- */

/* `text` with every occurrence of the data directory's path taken out
 * (the dumps of two data directories compare equal). */
static char *without_home(char *text, const struct home_fx *h)
{
	size_t hl = strlen(h->dir);
	char *p;

	while ((p = strstr(text, h->dir)))
		memmove(p, p + hl, strlen(p + hl) + 1);
	return text;
}

/* A new data directory with register.xml in its inbox. */
static void intake_home(struct ofx *fx)
{
	struct fx_text t = { 0 };

	if (fx->h.st)
		assert_int_equal(home_close(&fx->h), 0);
	assert_int_equal(home_open(&fx->h, "test_ossl_faults"), 0);
	fx_register(&t, "REG-1", "2026-10-27", "2026-10-27T18:00:00", DOSSIERS, 2);
	fx_drop(&fx->h, "register.xml", t.s);
	fx_text_free(&t);
}

/* The archive without the private copies a failed run may leave for the
 * next one to remove (".inbox-N.tmp-PID", intake.c). */
static char *archive_tree(const struct ofx *fx)
{
	char *tree = fx_tree(fx->h.archive), *line = tree, *nl;

	while ((nl = strchr(line, '\n')) != NULL) {
		const char *tmp = strstr(line, ".tmp-");

		if (strncmp(line, ".inbox-", 7) == 0 && tmp && tmp < nl)
			memmove(line, nl + 1, strlen(nl + 1) + 1);
		else
			line = nl + 1;
	}
	return tree;
}

/* Every line of a tree names a folder. */
static int only_folders(const char *tree)
{
	const char *nl;

	for (; (nl = strchr(tree, '\n')) != NULL; tree = nl + 1)
		if (nl == tree || nl[-1] != '/')
			return 0;
	return 1;
}

/*
 * Intake of a register (SHA-256 of the copy it archives, of each
 * dossier's snapshot) with the Nth OpenSSL allocation failing, each N in a
 * new data directory.  A failure is the machinery's, not the file's:
 * nothing quarantined, the store as before, the file still in the inbox,
 * nothing archived; and the next intake without failures ends exactly
 * where an intake that never failed ends.
 */
static void test_intake(void **state)
{
	struct ofx *fx = *state;
	struct sweep sw = { "intake_run", seconds(), FAULTS_POINTS, 0, 0, 0 };
	struct intake_summary sum;
	char *ref, *ref_archive, *before, *after, *tree;
	long n;
	int rc;

	intake_home(fx);
	arm(0);
	rc = fx_ingest(&fx->h, &sum);
	sw.total = g_allocs;
	disarm();
	assert_int_equal(rc, 0);
	assert_int_equal(sum.ingested, 1);
	ref = without_home(home_dump(&fx->h), &fx->h);
	ref_archive = archive_tree(fx);
	assert_string_equal(ref_archive, "2026/\n2026/11/\n2026/11/register.xml.gz\n");

	for (n = 1;; n = next_n(n, sw.total, sw.points)) {
		intake_home(fx);
		before = home_dump(&fx->h);
		arm(n);
		rc = fx_ingest(&fx->h, &sum);
		disarm();
		if (!g_injected) {
			free(before);
			break;
		}
		check_error(&sw, n, rc, &fx->h.err);
		if (rc == 0 && sum.ingested == 1) {
			sw.absorbed++;
		} else {
			if (rc == 0)
				fail_msg("%s, N=%ld: succeeded, but ingested %d, quarantined %d", sw.what, n, sum.ingested,
					 sum.quarantined);
			sw.failed++;
			assert_tree(&sw, n, fx->h.quarantine, "");
			assert_tree(&sw, n, fx->h.inbox, "register.xml\n");
			after = home_dump(&fx->h);
			if (strcmp(after, before) != 0)
				fail_msg("%s, N=%ld: the store changed", sw.what, n);
			free(after);
			/* at most the month's folders, empty */
			tree = archive_tree(fx);
			if (!only_folders(tree))
				fail_msg("%s, N=%ld: nothing was ingested, yet the archive holds:\n%s", sw.what, n, tree);
			free(tree);
			/* the next run does the job */
			assert_int_equal(fx_ingest(&fx->h, &sum), 0);
			assert_int_equal(sum.ingested, 1);
		}
		after = without_home(home_dump(&fx->h), &fx->h);
		if (strcmp(after, ref) != 0)
			fail_msg("%s, N=%ld: the store differs from an intake that never failed:\n%s", sw.what, n, after);
		free(after);
		assert_tree(&sw, n, fx->h.quarantine, "");
		assert_tree(&sw, n, fx->h.inbox, "");
		tree = archive_tree(fx);
		assert_string_equal(tree, ref_archive);
		free(tree);
		free(before);
	}
	assert_int_equal(rc, 0);
	assert_true(sw.failed > 0);
	report(&sw, n);
	free(ref);
	free(ref_archive);
}

/* ---- main --------------------------------------------------------------- */

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sign_pem, setup_cms, teardown_cms),
		cmocka_unit_test_setup_teardown(test_sign_p12, setup_cms, teardown_cms),
		cmocka_unit_test_setup_teardown(test_approve, setup_cms, teardown_cms),
		cmocka_unit_test_setup_teardown(test_approve_same_person, setup_cms, teardown_cms),
		cmocka_unit_test_setup_teardown(test_verify_four_eyes, setup_cms, teardown_cms),
		cmocka_unit_test_setup_teardown(test_verify_same_person, setup_cms, teardown_cms),
		cmocka_unit_test_setup_teardown(test_payrun, setup_home, teardown_home),
		cmocka_unit_test_setup_teardown(test_intake, setup_home, teardown_home),
	};

	struct stat st;

	/* first, before OpenSSL allocates anything (it refuses afterwards) */
	if (!CRYPTO_set_mem_functions(t_malloc, t_realloc, t_free)) {
		fprintf(stderr, "test_ossl_faults: OpenSSL allocated before main\n");
		return 1;
	}
	/* Keys and data directories in memory when TMPDIR does not say
	 * otherwise: this test is about OpenSSL, not the disk, and the fsyncs
	 * of a thousand passes on a busy disk would make it ten times slower. */
	if (!getenv("TMPDIR") && stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
		setenv("TMPDIR", "/dev/shm", 1);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

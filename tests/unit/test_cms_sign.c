/*
 * test_cms_sign.c — detached CMS signatures (writers/cms_sign.h).
 *
 * No key is committed: the group setup makes, in a mkdtemp directory and
 * with the openssl CLI, a throwaway test CA, signer certificates issued by
 * it (CN=Preparer as PKCS#12 with a passphrase, CN=Approver as PEM key +
 * certificate, plainly and with an encrypted key, a second CN=Preparer with
 * another key), and an unrelated CA with a CN=Stranger signer.  For the
 * four-eyes check (issue 10) also: CN=PREPARER (case only), the preparer's
 * CN and O spelt otherwise with an extra OU, CN=preparer without O, the
 * preparer's key under another name, CN=Preparer of another organisation
 * (another person), and two more people, CN=Approver Twee and CN=Derde.
 * Files signed by any two of them, past approve's own checks, are made
 * with `openssl cms -sign`.  Every signature is also checked with the
 * outside authority, `openssl cms -verify` (style.md "Tests"), and its
 * structure with `openssl cms -cmsout -print`.
 */
#include "cms_sign.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <cmocka.h>

#include "error.h"
#include "banned.h"

#define PREP_PASS "Voorbereider-geheim-7731"
#define APPR_PASS "Fiatteur-geheim-4410"
#define WRONG_PASS "niet-het-goede-wachtwoord-9"
#define FILE_MAX (64 * 1024)

struct fixture {
	char dir[64];
};

static struct fixture g;

static void path_of(char *out, size_t cap, const char *name)
{
	int n = snprintf(out, cap, "%s/%s", g.dir, name);

	assert_true(n > 0 && (size_t)n < cap);
}

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

static int openssl_verify(const char *data, const char *sig, const char *ca)
{
	return sh("openssl cms -verify -binary -inform DER -in '%s' -content '%s' "
		  "-CAfile '%s' -purpose any -out /dev/null >/dev/null 2>&1",
		  sig, data, ca);
}

static size_t read_file(const char *path, unsigned char *buf, size_t cap)
{
	FILE *fp = fopen(path, "rb");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, cap, fp);
	assert_true(n < cap);
	fclose(fp);
	return n;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* A payment file with CR LF, LF and a non-ASCII byte: CMS_BINARY must keep
 * every byte as is (without it OpenSSL would canonicalise line ends). */
static void make_payment(char *out, size_t cap, const char *name)
{
	static const char body[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
		"<Document><CstmrCdtTrfInitn><GrpHdr><MsgId>BR-2025-07-0001</MsgId>\n"
		"<NbOfTxs>2</NbOfTxs><CtrlSum>1843.17</CtrlSum></GrpHdr>\n"
		"<Nm>Gemeente \xc3\x9f-Test</Nm></CstmrCdtTrfInitn></Document>\n";

	path_of(out, cap, name);
	write_file(out, body, sizeof(body) - 1);
}

static void flip_byte(const char *path, long at)
{
	unsigned char buf[FILE_MAX];
	size_t n = read_file(path, buf, sizeof(buf));
	size_t i = at < 0 ? n - (size_t)(-at) : (size_t)at;

	assert_true(i < n);
	buf[i] ^= 0x01;
	write_file(path, buf, n);
}

static int group_setup(void **state)
{
	static const char script[] =
		"set -e\n"
		"ca() { openssl req -x509 -newkey rsa:2048 -nodes -keyout $1.key -out $1.pem "
		"-days 30 -subj \"$2\"; }\n"
		"issue() { openssl req -newkey rsa:2048 -nodes -keyout $1.key -out $1.csr "
		"-subj \"$2\"; openssl x509 -req -in $1.csr -CA $3.pem -CAkey $3.key "
		"-set_serial $4 -days 30 -out $1.crt; }\n"
		"ca ca '/C=NL/O=Betaalrun Test/CN=Betaalrun Test CA'\n"
		"ca other-ca '/C=NL/O=Elders/CN=Unrelated CA'\n"
		"issue preparer '/C=NL/O=Gemeente Test/CN=Preparer' ca 11\n"
		"issue approver '/C=NL/O=Gemeente Test/CN=Approver' ca 12\n"
		"issue preparer2 '/C=NL/O=Gemeente Test/CN=Preparer' ca 13\n"
		"issue stranger '/C=NL/O=Elders/CN=Stranger' other-ca 14\n"
		"issue upper '/C=NL/O=Gemeente Test/CN=PREPARER' ca 15\n"
		"issue spelt '/C=NL/O=gemeente   TEST/OU=Financien/CN= preparer' ca 16\n"
		"issue noorg '/C=NL/CN=Preparer' ca 17\n"
		"issue elsewhere '/C=NL/O=Andere Gemeente/CN=Preparer' ca 18\n"
		"issue approver2 '/C=NL/O=Gemeente Test/CN=Approver Twee' ca 19\n"
		"issue derde '/C=NL/O=Gemeente Test/CN=Derde' ca 20\n"
		/* the preparer's own key under another name */
		"openssl req -new -key preparer.key -out samekey.csr "
		"-subj '/C=NL/O=Gemeente Test/CN=Iemand Anders'\n"
		"openssl x509 -req -in samekey.csr -CA ca.pem -CAkey ca.key -set_serial 21 "
		"-days 30 -out samekey.crt\n"
		"cp preparer.key samekey.key\n"
		"for x in upper spelt noorg elsewhere approver2 derde samekey; do "
		"cat $x.key $x.crt > $x.pem; done\n"
		"openssl pkcs12 -export -inkey preparer.key -in preparer.crt -certfile ca.pem "
		"-name Preparer -out preparer.p12 -passout pass:" PREP_PASS "\n"
		/* certificate before key, the CA after: the key picks its certificate */
		"cat approver.crt approver.key ca.pem > approver.pem\n"
		"openssl pkey -in approver.key -aes256 -passout pass:" APPR_PASS
		" -out approver-enc.key\n"
		"cat approver-enc.key approver.crt > approver-enc.pem\n"
		"cat preparer2.key preparer2.crt > preparer2.pem\n"
		"cat stranger.key stranger.crt > stranger.pem\n"
		"cp approver.crt cert-only.pem\n"
		/* RC2-40 as old exports have it; only if this openssl still can */
		"openssl pkcs12 -export -legacy -inkey approver.key -in approver.crt "
		"-out legacy.p12 -passout pass:" APPR_PASS " || rm -f legacy.p12\n"
		"rm -f *.csr\n";
	char gen[128];

	(void)state;
	snprintf(g.dir, sizeof(g.dir), "/tmp/test_cms_sign.XXXXXX");
	if (!mkdtemp(g.dir))
		return -1;
	snprintf(gen, sizeof(gen), "%s/gen.sh", g.dir);
	write_file(gen, script, sizeof(script) - 1);
	if (sh("cd '%s' && sh gen.sh >gen.log 2>&1", g.dir) != 0) {
		fprintf(stderr, "generating test keys failed, see %s/gen.log\n", g.dir);
		return -1;
	}
	unsetenv("BETAALRUN_KEY_PASS");
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (g.dir[0] && strncmp(g.dir, "/tmp/test_cms_sign.", 19) == 0)
		sh("rm -rf '%s'", g.dir);
	return 0;
}

struct paths {
	char data[256], sig[256], ca[256], other_ca[256];
	char prep[256], appr[256], appr_enc[256], prep2[256], stranger[256];
};

static void paths_for(struct paths *p, const char *name)
{
	char sig[128];

	make_payment(p->data, sizeof(p->data), name);
	snprintf(sig, sizeof(sig), "%s.p7s", name);
	path_of(p->sig, sizeof(p->sig), sig);
	unlink(p->sig);
	path_of(p->ca, sizeof(p->ca), "ca.pem");
	path_of(p->other_ca, sizeof(p->other_ca), "other-ca.pem");
	path_of(p->prep, sizeof(p->prep), "preparer.p12");
	path_of(p->appr, sizeof(p->appr), "approver.pem");
	path_of(p->appr_enc, sizeof(p->appr_enc), "approver-enc.pem");
	path_of(p->prep2, sizeof(p->prep2), "preparer2.pem");
	path_of(p->stranger, sizeof(p->stranger), "stranger.pem");
}

/* Approve into the signature file itself (the pipeline writes beside it). */
static int approve(const struct paths *p, const char *key, const char *pass, struct br_error *err)
{
	struct cms_four_eyes fe;

	return cms_approve_file(&fe, p->data, p->sig, p->sig, p->ca, key, pass, NULL, err);
}

/* Preparer signs with the PKCS#12, approver adds with the plain PEM. */
static void sign_both(const struct paths *p)
{
	struct cms_signer who;
	struct br_error err;

	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p->data, p->sig, p->prep, PREP_PASS, &who, &err), 0);
	assert_int_equal(approve(p, p->appr, "", &err), 0);
}

/* A signature by the certificates and keys `a` [, `b` [, `c`]] (file stems
 * in the test directory), made by openssl: past approve's own checks. */
static void openssl_sign(const struct paths *p, const char *a, const char *b, const char *c)
{
	char signers[1024] = "";
	const char *who[3] = { a, b, c };
	size_t len = 0;
	int i;

	for (i = 0; i < 3 && who[i]; i++) {
		int n = snprintf(signers + len, sizeof(signers) - len,
				 " -signer '%s/%s.crt' -inkey '%s/%s.key'", g.dir, who[i], g.dir, who[i]);

		assert_true(n > 0 && (size_t)n < sizeof(signers) - len);
		len += (size_t)n;
	}
	assert_int_equal(sh("openssl cms -sign -binary -md sha256 -outform DER -in '%s'%s "
			    "-out '%s' 2>/dev/null", p->data, signers, p->sig), 0);
}

/* `openssl x509 -fingerprint -sha256` as lower-case hex without colons. */
static void openssl_fingerprint(char out[65], const char *crt_name)
{
	char crt[256], cmd[600], line[256];
	FILE *fp;
	size_t j = 0;
	char *eq;

	path_of(crt, sizeof(crt), crt_name);
	snprintf(cmd, sizeof(cmd), "openssl x509 -noout -fingerprint -sha256 -in '%s'", crt);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof(line), fp));
	pclose(fp);
	eq = strchr(line, '=');
	assert_non_null(eq);
	for (eq++; *eq && *eq != '\n' && j < 64; eq++) {
		if (*eq == ':')
			continue;
		out[j++] = (char)((*eq >= 'A' && *eq <= 'F') ? *eq - 'A' + 'a' : *eq);
	}
	out[j] = '\0';
}

/* ---- signing ------------------------------------------------------------ */

static void test_sign_verifies_with_openssl(void **state)
{
	struct cms_signer who, got[CMS_MAX_SIGNERS];
	char fp[65];
	struct br_error err;
	struct paths p;
	struct stat st;
	size_t n = 99;

	(void)state;
	paths_for(&p, "sign.xml");
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, PREP_PASS, &who, &err), 0);
	assert_int_equal(err.code, BR_OK);
	assert_non_null(strstr(who.subject, "CN=Preparer"));
	assert_non_null(strstr(who.subject, "O=Gemeente Test"));
	openssl_fingerprint(fp, "preparer.crt");
	assert_string_equal(who.fingerprint, fp);

	assert_int_equal(stat(p.sig, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(openssl_verify(p.data, p.sig, p.ca), 0);

	assert_int_equal(cms_verify_file(p.data, p.sig, p.ca, got, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(got[0].subject, who.subject);
	assert_string_equal(got[0].fingerprint, fp);
}

static void test_sign_with_pem_key(void **state)
{
	struct cms_signer who;
	struct br_error err;
	struct paths p;

	(void)state;
	paths_for(&p, "pem.xml");
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, p.appr_enc, APPR_PASS, &who, &err), 0);
	assert_non_null(strstr(who.subject, "CN=Approver"));
	assert_int_equal(openssl_verify(p.data, p.sig, p.ca), 0);
}

/* ---- the second signer ------------------------------------------------- */

/* Counts "digestAlgorithm:" of each SignerInfo followed by sha256, and
 * every "signerInfos:" heading, in `openssl cms -cmsout -print`. */
static void cmsout_counts(const char *sig, int *sha256_signers, int *headings)
{
	char cmd[600], line[512];
	int expect_alg = 0;
	FILE *fp;

	*sha256_signers = *headings = 0;
	snprintf(cmd, sizeof(cmd), "openssl cms -cmsout -print -inform DER -in '%s'", sig);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		if (expect_alg && strstr(line, "algorithm: sha256 "))
			(*sha256_signers)++;
		expect_alg = strstr(line, "digestAlgorithm:") != NULL;
		if (strstr(line, "signerInfos:"))
			(*headings)++;
	}
	assert_int_equal(pclose(fp), 0);
}

static void test_add_signer(void **state)
{
	struct cms_signer who, got[CMS_MAX_SIGNERS];
	struct cms_four_eyes fe;
	char fp_prep[65], fp_appr[65];
	int sha256_signers, headings, i, seen_prep = 0, seen_appr = 0;
	struct br_error err;
	struct paths p;
	struct stat st;
	size_t n = 0;

	(void)state;
	paths_for(&p, "add.xml");
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, PREP_PASS, &who, &err), 0);
	assert_int_equal(cms_approve_file(&fe, p.data, p.sig, p.sig, p.ca, p.appr, "", NULL, &err), 0);
	assert_int_equal(err.code, BR_OK);
	assert_non_null(strstr(fe.approver.subject, "CN=Approver"));
	assert_non_null(strstr(fe.preparer.subject, "CN=Preparer"));
	assert_int_equal(fe.resumed, 0);
	assert_int_equal(stat(p.sig, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	assert_int_equal(openssl_verify(p.data, p.sig, p.ca), 0);
	cmsout_counts(p.sig, &sha256_signers, &headings);
	assert_int_equal(headings, 1);
	assert_int_equal(sha256_signers, 2);

	assert_int_equal(cms_verify_file(p.data, p.sig, p.ca, got, &n, &err), 0);
	assert_int_equal(n, 2);
	openssl_fingerprint(fp_prep, "preparer.crt");
	openssl_fingerprint(fp_appr, "approver.crt");
	/* DER sorts the SET OF SignerInfo: the order is not the signing order */
	for (i = 0; i < 2; i++) {
		if (strcmp(got[i].subject, "CN=Preparer,O=Gemeente Test,C=NL") == 0) {
			seen_prep++;
			assert_string_equal(got[i].fingerprint, fp_prep);
		} else if (strcmp(got[i].subject, "CN=Approver,O=Gemeente Test,C=NL") == 0) {
			seen_appr++;
			assert_string_equal(got[i].fingerprint, fp_appr);
		}
	}
	assert_int_equal(seen_prep, 1);
	assert_int_equal(seen_appr, 1);
}

/* A structure made by `openssl cms -sign` takes our second signer too. */
static void test_add_signer_to_openssl_signature(void **state)
{
	char key[256], crt[256];
	struct br_error err;
	struct paths p;

	(void)state;
	paths_for(&p, "foreign.xml");
	path_of(key, sizeof(key), "preparer.key");
	path_of(crt, sizeof(crt), "preparer.crt");
	assert_int_equal(sh("openssl cms -sign -binary -md sha256 -outform DER -in '%s' "
			    "-signer '%s' -inkey '%s' -out '%s' 2>/dev/null",
			    p.data, crt, key, p.sig), 0);
	br_error_clear(&err);
	assert_int_equal(approve(&p, p.appr_enc, APPR_PASS, &err), 0);
	assert_int_equal(openssl_verify(p.data, p.sig, p.ca), 0);
}

static void test_four_eyes(void **state)
{
	unsigned char before[FILE_MAX], after[FILE_MAX];
	size_t n_before, n_after, n = 0;
	struct cms_signer who, got[CMS_MAX_SIGNERS];
	struct br_error err;
	struct paths p;

	(void)state;
	paths_for(&p, "foureyes.xml");
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, PREP_PASS, &who, &err), 0);
	n_before = read_file(p.sig, before, sizeof(before));

	/* the same key file */
	assert_int_equal(approve(&p, p.prep, PREP_PASS, &err), BR_EFOUREYES);
	assert_int_equal(err.code, BR_EFOUREYES);
	assert_non_null(strstr(err.msg, "vier-ogenregel: goedkeurder "));
	assert_non_null(strstr(err.msg, "CN=Preparer"));
	assert_non_null(strstr(err.msg, "hetzelfde certificaat"));

	/* another key and certificate, the same person */
	br_error_clear(&err);
	assert_int_equal(approve(&p, p.prep2, "", &err), BR_EFOUREYES);
	assert_non_null(strstr(err.msg, "dezelfde naam (subject)"));

	n_after = read_file(p.sig, after, sizeof(after));
	assert_int_equal(n_after, n_before);
	assert_memory_equal(after, before, n_before);
	br_error_clear(&err);
	assert_int_equal(cms_verify_file(p.data, p.sig, p.ca, got, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(br_error_exit_status(BR_EFOUREYES), 77);
}

/* ---- what must fail ------------------------------------------------------ */

static void test_one_byte_changed(void **state)
{
	struct cms_signer who, got[CMS_MAX_SIGNERS];
	struct br_error err;
	struct paths p;
	size_t n = 7;

	(void)state;
	paths_for(&p, "changed.xml");
	sign_both(&p);
	flip_byte(p.data, 120);

	br_error_clear(&err);
	assert_int_equal(cms_verify_file(p.data, p.sig, p.ca, got, &n, &err), BR_EINPUT);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err.msg, "gewijzigd"));
	assert_int_not_equal(openssl_verify(p.data, p.sig, p.ca), 0);

	/* the approver cannot sign what no longer matches */
	br_error_clear(&err);
	paths_for(&p, "changed2.xml");
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, PREP_PASS, &who, &err), 0);
	flip_byte(p.data, 0);
	assert_int_equal(approve(&p, p.appr, "", &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "gewijzigd"));
}

static void test_signature_file_altered(void **state)
{
	struct cms_signer got[CMS_MAX_SIGNERS];
	struct br_error err;
	struct paths p;
	size_t n = 0;

	(void)state;
	paths_for(&p, "altered.xml");
	sign_both(&p);
	/* the last byte lies in the last SignerInfo's signature value */
	flip_byte(p.sig, -1);
	br_error_clear(&err);
	assert_int_equal(cms_verify_file(p.data, p.sig, p.ca, got, &n, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "klopt niet"));
	assert_int_not_equal(openssl_verify(p.data, p.sig, p.ca), 0);

	write_file(p.sig, "not DER at all\n", 15);
	br_error_clear(&err);
	assert_int_equal(cms_verify_file(p.data, p.sig, p.ca, got, &n, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "is geen DER CMS-handtekening"));
}

static void test_untrusted_ca(void **state)
{
	struct cms_signer who, got[CMS_MAX_SIGNERS];
	struct br_error err;
	struct paths p;
	size_t n = 0;

	(void)state;
	paths_for(&p, "stranger.xml");
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, p.stranger, "", &who, &err), 0);
	assert_int_equal(cms_verify_file(p.data, p.sig, p.ca, got, &n, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "niet uitgegeven door een vertrouwde CA"));
	assert_non_null(strstr(err.msg, "CN=Stranger"));
	assert_int_not_equal(openssl_verify(p.data, p.sig, p.ca), 0);
	/* the same signature holds for whoever trusts the other CA */
	br_error_clear(&err);
	assert_int_equal(cms_verify_file(p.data, p.sig, p.other_ca, got, &n, &err), 0);
	assert_int_equal(openssl_verify(p.data, p.sig, p.other_ca), 0);

	/* a trusted preparer, an approver from elsewhere (made by openssl:
	 * approve refuses it, test_approve_untrusted) */
	paths_for(&p, "stranger2.xml");
	br_error_clear(&err);
	openssl_sign(&p, "preparer", "stranger", NULL);
	assert_int_equal(cms_verify_file(p.data, p.sig, p.ca, got, &n, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "CN=Stranger"));
	assert_non_null(strstr(err.msg, "is niet uitgegeven door een vertrouwde CA"));
}

static void test_foreign_shapes(void **state)
{
	char key[256], crt[256];
	struct cms_signer got[CMS_MAX_SIGNERS];
	struct br_error err;
	struct paths p;
	size_t n = 0;

	(void)state;
	paths_for(&p, "shape.xml");
	path_of(key, sizeof(key), "preparer.key");
	path_of(crt, sizeof(crt), "preparer.crt");
	/* content inside the signature instead of detached */
	assert_int_equal(sh("openssl cms -sign -nodetach -binary -md sha256 -outform DER "
			    "-in '%s' -signer '%s' -inkey '%s' -out '%s' 2>/dev/null",
			    p.data, crt, key, p.sig), 0);
	br_error_clear(&err);
	assert_int_equal(cms_verify_file(p.data, p.sig, p.ca, got, &n, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "bevat de inhoud zelf; een losse (detached) handtekening wordt verwacht"));
	/* SHA-1 */
	assert_int_equal(sh("openssl cms -sign -binary -md sha1 -outform DER "
			    "-in '%s' -signer '%s' -inkey '%s' -out '%s' 2>/dev/null",
			    p.data, crt, key, p.sig), 0);
	br_error_clear(&err);
	assert_int_equal(cms_verify_file(p.data, p.sig, p.ca, got, &n, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "alleen SHA-256 wordt aanvaard"));
}

static void test_wrong_passphrase(void **state)
{
	struct cms_signer who;
	struct br_error err;
	struct paths p;

	(void)state;
	paths_for(&p, "wrongpass.xml");
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, WRONG_PASS, &who, &err),
			 BR_ECONFIG);
	assert_non_null(strstr(err.msg, "verkeerde wachtwoordzin of onleesbare sleutel"));
	assert_null(strstr(err.msg, WRONG_PASS));
	assert_null(strstr(err.msg, PREP_PASS));
	assert_int_equal(access(p.sig, F_OK), -1);
	assert_int_equal(br_error_exit_status(err.code), 78);

	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, "", &who, &err), BR_ECONFIG);
	assert_non_null(strstr(err.msg, "verkeerde wachtwoordzin of onleesbare sleutel"));

	/* encrypted PEM key, for the approver */
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, PREP_PASS, &who, &err), 0);
	br_error_clear(&err);
	assert_int_equal(approve(&p, p.appr_enc, WRONG_PASS, &err), BR_ECONFIG);
	assert_non_null(strstr(err.msg, "verkeerde wachtwoordzin of onleesbare sleutel"));
	assert_null(strstr(err.msg, WRONG_PASS));
	assert_null(strstr(err.msg, APPR_PASS));
	br_error_clear(&err);
	assert_int_equal(approve(&p, p.appr_enc, NULL, &err), BR_ECONFIG);
	/* none given at all is another mistake than a wrong one (issue 12) */
	assert_non_null(strstr(err.msg, "geen wachtwoordzin opgegeven"));
	assert_null(strstr(err.msg, "verkeerde wachtwoordzin"));
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, NULL, &who, &err), BR_ECONFIG);
	assert_non_null(strstr(err.msg, "geen wachtwoordzin opgegeven"));
}

static void test_unusable_keys(void **state)
{
	char path[256];
	struct cms_signer who;
	struct br_error err;
	struct paths p;

	(void)state;
	paths_for(&p, "keys.xml");
	path_of(path, sizeof(path), "cert-only.pem");
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, path, "", &who, &err), BR_ECONFIG);
	assert_non_null(strstr(err.msg, "geen privésleutel in PEM-bestand"));

	path_of(path, sizeof(path), "approver.key");  /* key without certificate */
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, path, "", &who, &err), BR_ECONFIG);
	assert_non_null(strstr(err.msg, "geen certificaat in PEM-bestand"));

	path_of(path, sizeof(path), "gen.sh");  /* neither PEM nor PKCS#12 */
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, path, "", &who, &err), BR_ECONFIG);

	path_of(path, sizeof(path), "legacy.p12");
	if (access(path, F_OK) == 0) {
		br_error_clear(&err);
		assert_int_equal(cms_sign_file(p.data, p.sig, path, APPR_PASS, &who, &err),
				 BR_ECONFIG);
		assert_non_null(strstr(err.msg, "verouderd algoritme (RC2 of DES); exporteer het opnieuw met AES-256"));
		assert_null(strstr(err.msg, APPR_PASS));
	}

	path_of(path, sizeof(path), "absent.p12");
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, path, "", &who, &err), BR_ECONFIG);
	assert_non_null(strstr(err.msg, "sleutelbestand "));
	assert_non_null(strstr(err.msg, " bestaat niet"));
	assert_int_equal(access(p.sig, F_OK), -1);
}

static void test_missing_files(void **state)
{
	char absent[256];
	struct cms_signer who, got[CMS_MAX_SIGNERS];
	struct br_error err;
	struct paths p;
	size_t n = 3;

	(void)state;
	paths_for(&p, "missing.xml");
	br_error_clear(&err);
	assert_int_equal(cms_verify_file(p.data, p.sig, p.ca, got, &n, &err), BR_EINPUT);
	assert_int_equal(n, 0);
	assert_non_null(strstr(err.msg, "handtekeningbestand "));
	assert_non_null(strstr(err.msg, " bestaat niet"));
	assert_non_null(strstr(err.msg, p.sig));

	br_error_clear(&err);
	assert_int_equal(approve(&p, p.appr, "", &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, " bestaat niet"));

	path_of(absent, sizeof(absent), "absent.xml");
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(absent, p.sig, p.prep, PREP_PASS, &who, &err),
			 BR_ENOINPUT);
	assert_non_null(strstr(err.msg, absent));

	/* signed, but the trust file is missing: configuration */
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, PREP_PASS, &who, &err), 0);
	path_of(absent, sizeof(absent), "absent-ca.pem");
	br_error_clear(&err);
	assert_int_equal(cms_verify_file(p.data, p.sig, absent, got, &n, &err), BR_ECONFIG);
}

/* ---- the one four-eyes check (issue 10) ---------------------------------- */

static void stem_path(char *out, size_t cap, const char *stem, const char *ext)
{
	char name[64];

	snprintf(name, sizeof(name), "%s%s", stem, ext);
	path_of(out, cap, name);
}

/* Approve refuses every way of being the preparer again (77, nothing
 * written); the same CN in another organisation is another person. */
static void test_same_person_approve(void **state)
{
	static const struct {
		const char *stem, *why;
	} same[] = {
		{ "preparer2", "dezelfde naam (subject)" },
		{ "upper", "dezelfde naam (subject)" },       /* CN=PREPARER vs CN=Preparer */
		{ "spelt", "dezelfde CN en O" },        /* O=gemeente   TEST, an OU */
		{ "noorg", "dezelfde CN en O" },        /* no O at all */
		{ "samekey", "dezelfde sleutel" },           /* CN=Iemand Anders, the preparer's key */
	};
	unsigned char before[FILE_MAX], after[FILE_MAX];
	char key[256], out[256];
	struct cms_four_eyes fe;
	struct cms_signer who;
	struct br_error err;
	struct paths p;
	size_t i, n_before;

	(void)state;
	paths_for(&p, "same.xml");
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, PREP_PASS, &who, &err), 0);
	n_before = read_file(p.sig, before, sizeof(before));
	path_of(out, sizeof(out), "same.xml.p7s.goedkeuring");
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		stem_path(key, sizeof(key), same[i].stem, ".pem");
		br_error_clear(&err);
		assert_int_equal(cms_approve_file(&fe, p.data, p.sig, out, p.ca, key, "", NULL, &err),
				 BR_EFOUREYES);
		assert_non_null(strstr(err.msg, "vier-ogenregel"));
		assert_non_null(strstr(err.msg, "is dezelfde persoon als voorbereider"));
		if (!strstr(err.msg, same[i].why))
			fail_msg("%s: %s", same[i].stem, err.msg);
		assert_int_equal(access(out, F_OK), -1);
	}
	assert_int_equal(read_file(p.sig, after, sizeof(after)), n_before);
	assert_memory_equal(after, before, n_before);

	stem_path(key, sizeof(key), "elsewhere", ".pem");
	br_error_clear(&err);
	assert_int_equal(cms_approve_file(&fe, p.data, p.sig, out, p.ca, key, "", NULL, &err), 0);
	assert_non_null(strstr(fe.approver.subject, "O=Andere Gemeente"));
	assert_int_equal(openssl_verify(p.data, out, p.ca), 0);
}

/* An approver whose certificate does not chain to the trust file is
 * refused before anything is signed: 65, not 77. */
static void test_approve_untrusted(void **state)
{
	unsigned char before[FILE_MAX], after[FILE_MAX];
	struct cms_signer who, got[CMS_MAX_SIGNERS];
	struct cms_four_eyes fe;
	struct br_error err;
	struct paths p;
	char out[256];
	size_t n_before, n = 0;

	(void)state;
	paths_for(&p, "untrusted.xml");
	path_of(out, sizeof(out), "untrusted.xml.p7s.goedkeuring");
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, PREP_PASS, &who, &err), 0);
	n_before = read_file(p.sig, before, sizeof(before));
	assert_int_equal(cms_approve_file(&fe, p.data, p.sig, out, p.ca, p.stranger, "", NULL, &err),
			 BR_EINPUT);
	assert_int_equal(br_error_exit_status(err.code), 65);
	assert_non_null(strstr(err.msg, "het certificaat van goedkeurder"));
	assert_non_null(strstr(err.msg, "CN=Stranger"));
	assert_non_null(strstr(err.msg, "is niet uitgegeven door een vertrouwde CA"));
	assert_non_null(strstr(err.msg, "er is niets getekend"));
	assert_string_equal(fe.approver.fingerprint, "");
	assert_int_equal(access(out, F_OK), -1);
	assert_int_equal(read_file(p.sig, after, sizeof(after)), n_before);
	assert_memory_equal(after, before, n_before);
	assert_int_equal(cms_verify_file(p.data, p.sig, p.ca, got, &n, &err), 0);
	assert_int_equal(n, 1);
}

/* The check release and verify make. */
static void test_verify_four_eyes(void **state)
{
	char fp_prep[65], fp_appr[65];
	struct cms_recorded rec, subjects;
	struct cms_four_eyes fe;
	struct br_error err;
	struct paths p;

	(void)state;
	openssl_fingerprint(fp_prep, "preparer.crt");
	openssl_fingerprint(fp_appr, "approver.crt");
	/* as the pipeline records them: the fingerprint decides, the subject
	 * is for the message */
	memset(&rec, 0, sizeof(rec));
	rec.preparer_sha256 = fp_prep;
	rec.preparer_subject = "CN=Preparer,O=Gemeente Test,C=NL";
	rec.approver_sha256 = fp_appr;
	rec.approver_subject = "CN=Approver,O=Gemeente Test,C=NL";
	memset(&subjects, 0, sizeof(subjects));
	subjects.preparer_subject = "CN=Preparer,O=Gemeente Test,C=NL";
	subjects.approver_subject = "CN=Approver,O=Gemeente Test,C=NL";

	paths_for(&p, "pair.xml");
	sign_both(&p);
	br_error_clear(&err);
	/* without a record: two trusted people */
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, NULL, &err), 0);
	assert_int_equal(fe.n_signers, 2);
	/* the recorded certificates, in their roles whatever DER's order */
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, &rec, &err), 0);
	assert_string_equal(fe.preparer.fingerprint, fp_prep);
	assert_string_equal(fe.approver.fingerprint, fp_appr);
	assert_non_null(strstr(fe.approver.subject, "CN=Approver"));
	/* upper-case hex in the record is the same fingerprint */
	{
		char up[65];
		size_t i;

		for (i = 0; i < 65; i++)
			up[i] = (char)(fp_appr[i] >= 'a' && fp_appr[i] <= 'f' ? fp_appr[i] - 32 : fp_appr[i]);
		rec.approver_sha256 = up;
		assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, &rec, &err), 0);
		rec.approver_sha256 = fp_appr;
	}
	/* the fingerprint decides, not a subject recorded beside it */
	rec.approver_subject = "CN=Someone Else";
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, &rec, &err), 0);
	rec.approver_subject = "CN=Approver,O=Gemeente Test,C=NL";
	/* a run recorded before fingerprints: its subjects as printed */
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, &subjects, &err), 0);
	assert_string_equal(fe.preparer.fingerprint, fp_prep);

	/* replaced after approval by two other trusted people */
	openssl_sign(&p, "approver2", "derde", NULL);
	assert_int_equal(openssl_verify(p.data, p.sig, p.ca), 0);
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, NULL, &err), 0);
	br_error_clear(&err);
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, &rec, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "de voorbereider die de run vastlegde, CN=Preparer,O=Gemeente Test,C=NL"));
	assert_non_null(strstr(err.msg, "niet ondertekend"));
	assert_non_null(strstr(err.msg, "CN=Approver Twee"));
	assert_non_null(strstr(err.msg, "CN=Derde"));
	assert_int_equal(fe.n_signers, 2);  /* who did sign, for verify to show */
	br_error_clear(&err);
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, &subjects, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "CN=Preparer,O=Gemeente Test,C=NL"));
	/* the preparer's signature kept, the approver's replaced */
	openssl_sign(&p, "preparer", "derde", NULL);
	br_error_clear(&err);
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, &rec, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "de goedkeurder die de run vastlegde, CN=Approver"));
	assert_non_null(strstr(err.msg, "na de goedkeuring vervangen"));

	/* the same person twice: 77, however the certificate spells it */
	openssl_sign(&p, "preparer", "upper", NULL);
	br_error_clear(&err);
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, NULL, &err), BR_EFOUREYES);
	assert_non_null(strstr(err.msg, "vier-ogenregel geschonden"));
	assert_non_null(strstr(err.msg, "CN=PREPARER"));
	assert_int_equal(fe.n_signers, 2);
	openssl_sign(&p, "preparer", "preparer2", NULL);
	br_error_clear(&err);
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, &rec, &err), BR_EFOUREYES);
	openssl_sign(&p, "preparer", "samekey", NULL);
	br_error_clear(&err);
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, NULL, &err), BR_EFOUREYES);
	assert_non_null(strstr(err.msg, "dezelfde sleutel"));
	openssl_sign(&p, "spelt", "approver", NULL);  /* and not only against the preparer */
	br_error_clear(&err);
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, NULL, &err), 0);
	openssl_sign(&p, "noorg", "spelt", NULL);
	br_error_clear(&err);
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, NULL, &err), BR_EFOUREYES);

	/* one signature, three */
	openssl_sign(&p, "preparer", NULL, NULL);
	br_error_clear(&err);
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, &rec, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "maar één handtekening"));
	openssl_sign(&p, "preparer", "approver", "derde");
	br_error_clear(&err);
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, &rec, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "bevat 3 handtekeningen"));

	/* an untrusted second signer is a failed verification, not four-eyes */
	openssl_sign(&p, "preparer", "stranger", NULL);
	br_error_clear(&err);
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, NULL, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "is niet uitgegeven door een vertrouwde CA"));
	assert_int_equal(fe.n_signers, 0);

	/* one byte of the file */
	sign_both(&p);
	flip_byte(p.data, 100);
	br_error_clear(&err);
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, p.sig, p.ca, &rec, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "gewijzigd"));
}

/* Approve writes beside the preparer's signature; an approval already in
 * the file by the same certificate is resumed, by anyone else refused. */
static void test_approve_resume(void **state)
{
	char fp_prep[65], fp_appr[65], out[256], out2[256], key[256];
	struct cms_signer who, got[CMS_MAX_SIGNERS];
	struct cms_recorded rec, wrong;
	struct cms_four_eyes fe;
	struct br_error err;
	struct paths p;
	size_t n = 0;

	(void)state;
	openssl_fingerprint(fp_prep, "preparer.crt");
	openssl_fingerprint(fp_appr, "approver.crt");
	memset(&rec, 0, sizeof(rec));
	rec.preparer_sha256 = fp_prep;
	paths_for(&p, "resume.xml");
	path_of(out, sizeof(out), "resume.xml.p7s.goedkeuring");
	path_of(out2, sizeof(out2), "resume.xml.p7s.again");
	unlink(out);
	unlink(out2);
	br_error_clear(&err);
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, PREP_PASS, &who, &err), 0);
	assert_int_equal(cms_approve_file(&fe, p.data, p.sig, out, p.ca, p.appr, "", &rec, &err), 0);
	assert_int_equal(fe.resumed, 0);
	assert_string_equal(fe.preparer.fingerprint, fp_prep);
	assert_string_equal(fe.approver.fingerprint, fp_appr);
	/* the preparer's file is untouched; the approval is beside it */
	assert_int_equal(cms_verify_file(p.data, p.sig, p.ca, got, &n, &err), 0);
	assert_int_equal(n, 1);
	rec.approver_sha256 = fp_appr;
	assert_int_equal(cms_verify_four_eyes(&fe, p.data, out, p.ca, &rec, &err), 0);
	assert_int_equal(openssl_verify(p.data, out, p.ca), 0);
	rec.approver_sha256 = NULL;

	/* the approval already in the .p7s (a killed approve): the same
	 * certificate finishes it without signing again */
	assert_int_equal(rename(out, p.sig), 0);
	assert_int_equal(cms_approve_file(&fe, p.data, p.sig, out2, p.ca, p.appr_enc, APPR_PASS, &rec,
					  &err), 0);
	assert_int_equal(fe.resumed, 1);
	assert_string_equal(fe.approver.fingerprint, fp_appr);
	assert_int_equal(cms_verify_file(p.data, out2, p.ca, got, &n, &err), 0);
	assert_int_equal(n, 2);
	/* someone else cannot take it over */
	stem_path(key, sizeof(key), "approver2", ".pem");
	br_error_clear(&err);
	assert_int_equal(cms_approve_file(&fe, p.data, p.sig, out2, p.ca, key, "", &rec, &err), BR_EINPUT);
	assert_non_null(strstr(err.msg, "er staat al een handtekening van CN=Approver,"));
	assert_non_null(strstr(err.msg, "die geen door de run vastgelegde goedkeuring is"));
	/* and the preparer still cannot approve it: 77 first */
	br_error_clear(&err);
	assert_int_equal(cms_approve_file(&fe, p.data, p.sig, out2, p.ca, p.prep, PREP_PASS, &rec, &err),
			 BR_EFOUREYES);
	/* without a record, two signatures leave the preparer unknown */
	br_error_clear(&err);
	assert_int_equal(cms_approve_file(&fe, p.data, p.sig, out2, p.ca, p.appr, "", NULL, &err),
			 BR_EINPUT);
	assert_non_null(strstr(err.msg, "niet vast te stellen"));

	/* a preparer's signature the run did not record */
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, PREP_PASS, &who, &err), 0);
	memset(&wrong, 0, sizeof(wrong));
	wrong.preparer_sha256 = fp_appr;
	br_error_clear(&err);
	assert_int_equal(cms_approve_file(&fe, p.data, p.sig, out2, p.ca, p.appr, "", &wrong, &err),
			 BR_EINPUT);
	assert_non_null(strstr(err.msg, "de voorbereider die de run vastlegde"));
	assert_non_null(strstr(err.msg, "het is ondertekend door CN=Preparer"));
	wrong.preparer_sha256 = NULL;
	wrong.preparer_subject = "CN=Preparer,O=Gemeente Test,C=NL";  /* before fingerprints */
	assert_int_equal(cms_approve_file(&fe, p.data, p.sig, out2, p.ca, p.appr, "", &wrong, &err), 0);
}

/* No core dump while a key is in memory (issue 10, item 11). */
static void test_no_core_dumps(void **state)
{
	char fp[65];
	struct cms_signer who;
	struct br_error err;
	struct rlimit rl;
	struct paths p;

	(void)state;
	paths_for(&p, "core.xml");
	br_error_clear(&err);
	assert_int_equal(cms_key_signer(&who, p.appr_enc, APPR_PASS, &err), 0);
	openssl_fingerprint(fp, "approver.crt");
	assert_string_equal(who.fingerprint, fp);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_true(rl.rlim_cur == 0 && rl.rlim_max == 0);
#ifdef __linux__
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0L, 0L, 0L, 0L), 0);
#endif
	assert_int_equal(cms_no_core_dumps(&err), 0);  /* idempotent */
	/* a certificate alone proves nothing */
	{
		char crt[256];

		path_of(crt, sizeof(crt), "cert-only.pem");
		br_error_clear(&err);
		assert_int_equal(cms_key_signer(&who, crt, "", &err), BR_ECONFIG);
		assert_string_equal(who.fingerprint, "");
	}
}

/* ---- passphrase ----------------------------------------------------------- */

static void test_passphrase_fd(void **state)
{
	char pass[CMS_PASSPHRASE_MAX], rest[8];
	struct cms_signer who;
	struct br_error err;
	struct paths p;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], PREP_PASS "\nrest", sizeof(PREP_PASS) + 4),
			 (ssize_t)sizeof(PREP_PASS) + 4);
	close(fds[1]);
	setenv("BETAALRUN_KEY_PASS", "from-the-environment", 1);  /* the fd wins */
	br_error_clear(&err);
	assert_int_equal(cms_read_passphrase(pass, sizeof(pass), fds[0], &err), 0);
	assert_string_equal(pass, PREP_PASS);
	/* nothing past the newline was consumed */
	assert_int_equal(read(fds[0], rest, sizeof(rest)), 4);
	assert_memory_equal(rest, "rest", 4);
	close(fds[0]);
	unsetenv("BETAALRUN_KEY_PASS");

	paths_for(&p, "passfd.xml");
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, pass, &who, &err), 0);
	assert_int_equal(openssl_verify(p.data, p.sig, p.ca), 0);

	/* CR LF from a Windows-made file, and EOF without a newline */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "abc\r\n", 5), 5);
	close(fds[1]);
	assert_int_equal(cms_read_passphrase(pass, sizeof(pass), fds[0], &err), 0);
	assert_string_equal(pass, "abc");
	close(fds[0]);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "xyz", 3), 3);
	close(fds[1]);
	assert_int_equal(cms_read_passphrase(pass, sizeof(pass), fds[0], &err), 0);
	assert_string_equal(pass, "xyz");
	close(fds[0]);

	/* longer than the buffer */
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "0123456789\n", 11), 11);
	close(fds[1]);
	assert_int_equal(cms_read_passphrase(pass, 8, fds[0], &err), BR_ECONFIG);
	assert_null(strstr(err.msg, "0123"));
	close(fds[0]);

	/* a descriptor that is not open */
	br_error_clear(&err);
	assert_int_equal(cms_read_passphrase(pass, sizeof(pass), fds[0], &err), BR_EIO);
}

static void test_passphrase_env(void **state)
{
	char pass[CMS_PASSPHRASE_MAX];
	struct cms_signer who;
	struct br_error err;
	struct paths p;

	(void)state;
	setenv("BETAALRUN_KEY_PASS", PREP_PASS, 1);
	br_error_clear(&err);
	assert_int_equal(cms_read_passphrase(pass, sizeof(pass), -1, &err), 0);
	assert_string_equal(pass, PREP_PASS);
	paths_for(&p, "passenv.xml");
	assert_int_equal(cms_sign_file(p.data, p.sig, p.prep, pass, &who, &err), 0);
	assert_int_equal(openssl_verify(p.data, p.sig, p.ca), 0);

	assert_int_equal(cms_read_passphrase(pass, 8, -1, &err), BR_ECONFIG);
	assert_null(strstr(err.msg, PREP_PASS));

	unsetenv("BETAALRUN_KEY_PASS");
	br_error_clear(&err);
	assert_int_equal(cms_read_passphrase(pass, sizeof(pass), -1, &err), 0);
	assert_string_equal(pass, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_core_dumps),
		cmocka_unit_test(test_sign_verifies_with_openssl),
		cmocka_unit_test(test_sign_with_pem_key),
		cmocka_unit_test(test_add_signer),
		cmocka_unit_test(test_add_signer_to_openssl_signature),
		cmocka_unit_test(test_four_eyes),
		cmocka_unit_test(test_one_byte_changed),
		cmocka_unit_test(test_signature_file_altered),
		cmocka_unit_test(test_untrusted_ca),
		cmocka_unit_test(test_foreign_shapes),
		cmocka_unit_test(test_wrong_passphrase),
		cmocka_unit_test(test_unusable_keys),
		cmocka_unit_test(test_missing_files),
		cmocka_unit_test(test_same_person_approve),
		cmocka_unit_test(test_approve_untrusted),
		cmocka_unit_test(test_verify_four_eyes),
		cmocka_unit_test(test_approve_resume),
		cmocka_unit_test(test_passphrase_fd),
		cmocka_unit_test(test_passphrase_env),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

/*
 * cms_sign.c — see cms_sign.h.
 *
 * Signing: CMS_sign(CMS_PARTIAL) + CMS_add1_signer(SHA-256) + CMS_final over
 * the file's bytes, detached and binary.
 *
 * A second signer is added the way `openssl cms -resign` does it: the
 * SignedData is read back (d2i_CMS_bio), verified against the file, and
 * CMS_add1_signer is called with CMS_REUSE_DIGEST.  OpenSSL then copies the
 * messageDigest attribute of an existing SHA-256 SignerInfo into the new
 * one and signs its signed attributes at once, so the content is not read
 * again; that is sound only because the existing signature was verified
 * against the file just before.  Before anything is written, the new DER is
 * parsed back and verified against the file once more.
 *
 * Verification: CMS_verify with an X509_STORE from the trust file (purpose
 * any) is the authority.  When it fails, the SignerInfos are checked one by
 * one (attribute signature, content digest, certificate chain) to say in
 * words which signer failed and why.
 *
 * Four-eyes (cms_sign.h): check_pair is the one check, used by
 * cms_verify_four_eyes (release, verify) and by cms_approve_file on the
 * file it is about to write; same_person is the one definition of "the
 * same person", used by check_pair and by approve before it signs.
 *
 * OpenSSL's error queue is translated where the call fails and is left
 * empty on return.  A passphrase is handed to OpenSSL and never enters a
 * message; buffers that held key material are cleansed, and no key is
 * read before cms_no_core_dumps() made the process non-dumpable.
 */
#include "cms_sign.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "fsutil.h"
#include "banned.h"

/* A .p7s with two signers and their certificates is a few KiB. */
#define CMS_SIG_FILE_MAX (1024 * 1024)
/* A PKCS#12 or PEM key file with a chain. */
#define CMS_KEY_FILE_MAX (1024 * 1024)
#define OSSL_WORDS_MAX 200

/* Subjects keep UTF-8 as is (a municipality's name), escape the rest. */
#define CMS_NAME_FLAGS (XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB)

/* ---- OpenSSL errors in words ------------------------------------------ */

/*
 * The earliest queued OpenSSL error (the root cause) as its reason text,
 * e.g. "mac verify failure"; the queue is emptied.  Only the fixed reason
 * string is used, never the error data, so nothing from the input (and no
 * passphrase) can reach a message through it.  With `seen`, also tells
 * whether any queued error had `reason`.
 */
static const char *ossl_words_seen(char *buf, size_t cap, int reason, int *seen)
{
	unsigned long e = ERR_get_error(), more;
	const char *text;

	if (seen)
		*seen = e != 0 && ERR_GET_REASON(e) == reason;
	if (e == 0) {
		snprintf(buf, cap, "OpenSSL geeft geen reden");
	} else if ((text = ERR_reason_error_string(e)) != NULL) {
		snprintf(buf, cap, "%s", text);
	} else {
		snprintf(buf, cap, "OpenSSL-fout %lx", e);
	}
	while ((more = ERR_get_error()) != 0) {
		if (seen && ERR_GET_REASON(more) == reason)
			*seen = 1;
	}
	return buf;
}

static const char *ossl_words(char *buf, size_t cap)
{
	return ossl_words_seen(buf, cap, 0, NULL);
}

/* ---- small helpers ----------------------------------------------------- */

/*
 * Read a whole file of at most `max` bytes into a malloc'ed buffer (caller
 * frees; cleanse first when it held key material).  A missing file is
 * reported with `missing_code` and `missing_what`.
 */
static int read_small_file(unsigned char **out, size_t *out_len, const char *path, size_t max,
			   enum br_code missing_code, const char *missing_what,
			   struct br_error *err)
{
	unsigned char *buf = NULL;
	struct stat st;
	size_t len = 0;
	int fd = -1, rc = 0;

	*out = NULL;
	*out_len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			rc = br_error_set(err, missing_code, "%s %s bestaat niet", missing_what, path);
		else
			rc = br_error_set(err, missing_code == BR_ECONFIG ? BR_ECONFIG : BR_EIO,
					  "%s %s kan niet worden geopend: %s", missing_what, path,
					  strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0) {
		rc = br_error_set(err, BR_EIO, "%s kan niet worden bekeken: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = br_error_set(err, missing_code, "%s %s is geen gewoon bestand", missing_what,
				  path);
		goto out;
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > max) {
		rc = br_error_set(err, missing_code == BR_ECONFIG ? BR_ECONFIG : BR_EINPUT,
				  "%s %s is groter dan %zu bytes", missing_what, path, max);
		goto out;
	}
	if (!(buf = malloc((size_t)st.st_size + 1))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van %s", path);
		goto out;
	}
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = br_error_set(err, BR_EIO, "%s kan niet worden gelezen: %s", path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;  /* shrank while reading: take what is there */
		len += (size_t)n;
	}
	*out = buf;
	*out_len = len;
	buf = NULL;
out:
	if (buf) {
		OPENSSL_cleanse(buf, (size_t)st.st_size);
		free(buf);
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* The payment file as a BIO (caller frees; it closes the descriptor). */
static int open_data(BIO **out, const char *data_path, struct br_error *err)
{
	struct stat st;
	int fd;

	*out = NULL;
	if ((fd = open(data_path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return br_error_set(err, BR_ENOINPUT, "betaalbestand %s bestaat niet",
					    data_path);
		return br_error_set(err, BR_EIO, "betaalbestand %s kan niet worden geopend: %s", data_path,
				    strerror(errno));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return br_error_set(err, BR_EINPUT, "betaalbestand %s is geen gewoon bestand",
				    data_path);
	}
	if (!(*out = BIO_new_fd(fd, BIO_CLOSE))) {
		close(fd);
		ERR_clear_error();
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het openen van %s", data_path);
	}
	return 0;
}

/* The subject for people to read; "(unprintable subject)" and -1 when
 * OpenSSL cannot print it (out of memory), else 0. */
static int subject_of(char *out, size_t cap, X509 *cert)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL;
	long len;

	out[0] = '\0';
	if (!b || X509_NAME_print_ex(b, X509_get_subject_name(cert), 0, CMS_NAME_FLAGS) < 0) {
		snprintf(out, cap, "(onleesbare naam)");
		BIO_free(b);
		ERR_clear_error();
		return -1;
	}
	len = BIO_get_mem_data(b, &p);
	if (len < 0)
		len = 0;
	if ((size_t)len >= cap)
		len = (long)cap - 1;
	if (len > 0)
		memcpy(out, p, (size_t)len);
	out[len] = '\0';
	BIO_free(b);
	return 0;
}

/*
 * Subject and fingerprint of a signer.  Both are recorded in the ledger
 * and decide four-eyes, so a failure (out of memory in OpenSSL) is an
 * error, never a signer with a placeholder subject or no fingerprint.
 */
static int describe_signer(struct cms_signer *out, X509 *cert, struct br_error *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	memset(out, 0, sizeof(*out));
	if (subject_of(out->subject, sizeof(out->subject), cert) < 0 ||
	    X509_digest(cert, EVP_sha256(), md, &n) != 1 || n != 32) {
		char words[OSSL_WORDS_MAX];

		memset(out, 0, sizeof(*out));
		return br_error_set(err, BR_EINTERNAL, "het certificaat van een ondertekenaar kan niet worden gelezen: %s",
				    ossl_words(words, sizeof(words)));
	}
	for (i = 0; i < n; i++) {
		out->fingerprint[2 * i] = hex[md[i] >> 4];
		out->fingerprint[2 * i + 1] = hex[md[i] & 0xf];
	}
	out->fingerprint[64] = '\0';
	return 0;
}

/* The signer certificate OpenSSL matched to `si` (borrowed), or NULL. */
static X509 *signer_cert(CMS_SignerInfo *si)
{
	X509 *cert = NULL;

	CMS_SignerInfo_get0_algs(si, NULL, &cert, NULL, NULL);
	return cert;
}

/* 1 if `needle` occurs in the first `len` bytes of `buf`. */
static int contains(const unsigned char *buf, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (memcmp(buf + i, needle, n) == 0)
			return 1;
	return 0;
}

/* ---- no core dumps ----------------------------------------------------- */

/*
 * A core file of a process that holds a private key or its passphrase
 * hands both to whoever can read the dump directory (issue 10, item 11).
 * Both switches, because each alone leaves a way open: RLIMIT_CORE 0 stops
 * the kernel's core file, but a core_pattern pipe to a crash collector
 * (systemd-coredump, apport) is fed whatever the limit and left to honour
 * it, which PR_SET_DUMPABLE 0 does not leave to anyone (it also keeps
 * other processes of the user from ptrace and /proc/PID/mem); the dumpable
 * flag is reset by an exec, the limit is not.  The hard limit goes to 0
 * too, so nothing later in the process raises it.
 */
int cms_no_core_dumps(struct br_error *err)
{
	struct rlimit none = { 0, 0 };

#ifdef __linux__
	if (prctl(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L) != 0)
		return br_error_set(err, BR_EINTERNAL,
				    "core dumps kunnen niet worden uitgezet voordat een sleutel wordt geladen: prctl: %s",
				    strerror(errno));
#endif
	if (setrlimit(RLIMIT_CORE, &none) != 0)
		return br_error_set(err, BR_EINTERNAL,
				    "core dumps kunnen niet worden uitgezet voordat een sleutel wordt geladen: setrlimit: %s",
				    strerror(errno));
	return 0;
}

/* ---- passphrase -------------------------------------------------------- */

int cms_read_passphrase(char *out, size_t cap, int pass_fd, struct br_error *err)
{
	const char *env;
	size_t len = 0;
	int rc;

	if (!out || cap == 0)
		return br_error_set(err, BR_EINTERNAL, "geen ruimte voor een wachtwoordzin");
	out[0] = '\0';
	if ((rc = cms_no_core_dumps(err)) < 0)
		return rc;
	if (pass_fd >= 0) {
		/* One byte at a time: nothing after the newline is consumed. */
		for (;;) {
			char c;
			ssize_t n = read(pass_fd, &c, 1);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				int e = errno;

				OPENSSL_cleanse(out, cap);
				return br_error_set(err, BR_EIO,
						    "de wachtwoordzin kan niet van descriptor %d worden gelezen: %s",
						    pass_fd, strerror(e));
			}
			if (n == 0 || c == '\n')
				break;
			if (len + 1 >= cap) {
				OPENSSL_cleanse(out, cap);
				return br_error_set(err, BR_ECONFIG,
						    "de wachtwoordzin op descriptor %d is langer dan %zu bytes",
						    pass_fd, cap - 1);
			}
			out[len++] = c;
		}
		if (len > 0 && out[len - 1] == '\r')
			len--;
		out[len] = '\0';
		return 0;
	}
	env = getenv("BETAALRUN_KEY_PASS");
	if (!env)
		return 0;
	len = strlen(env);
	if (len >= cap)
		return br_error_set(err, BR_ECONFIG,
				    "de wachtwoordzin in BETAALRUN_KEY_PASS is langer dan %zu bytes", cap - 1);
	memcpy(out, env, len + 1);
	return 0;
}

/* ---- keys -------------------------------------------------------------- */

struct signing_key {
	EVP_PKEY *pkey;
	X509 *cert;
	STACK_OF(X509) *chain;  /* further certificates from the key file, or NULL */
};

static void signing_key_release(struct signing_key *k)
{
	EVP_PKEY_free(k->pkey);
	X509_free(k->cert);
	sk_X509_pop_free(k->chain, X509_free);
	memset(k, 0, sizeof(*k));
}

/* PEM passphrase callback: never prompts (OpenSSL's default would read the
 * terminal when given no passphrase). */
static int pem_pass_cb(char *buf, int size, int rwflag, void *u)
{
	const char *pass = u;
	size_t n = pass ? strlen(pass) : 0;

	(void)rwflag;
	if (size <= 0 || n > (size_t)size)
		return -1;
	if (n > 0)
		memcpy(buf, pass, n);
	return (int)n;
}

/* `words`: the OpenSSL reason, already taken from the queue.  `pass` NULL:
 * no passphrase was given at all, which is said as such (issue 12): the
 * operator has to give one, not retype it. */
static int bad_key(struct br_error *err, const char *key_path, const char *pass, const char *words)
{
	if (!pass)
		br_error_set(err, BR_ECONFIG,
			     "geen wachtwoordzin opgegeven voor de sleutel in %s: zet $BETAALRUN_KEY_PASS,"
			     " geef --pass-fd N of start het commando op een terminal (%s)", key_path, words);
	else
		br_error_set(err, BR_ECONFIG,
			     "de sleutel in %s is niet te gebruiken: verkeerde wachtwoordzin of onleesbare"
			     " sleutel (%s)", key_path, words);
	br_error_at(err, key_path, 0);
	return BR_ECONFIG;
}

static int load_pkcs12(struct signing_key *k, const unsigned char *buf, size_t len,
		       const char *key_path, const char *pass, struct br_error *err)
{
	BIO *in = NULL;
	PKCS12 *p12 = NULL;
	int rc = 0;

	if (len > INT32_MAX || !(in = BIO_new_mem_buf(buf, (int)len))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van %s", key_path);
		goto out;
	}
	if (!(p12 = d2i_PKCS12_bio(in, NULL))) {
		ERR_clear_error();
		rc = br_error_set(err, BR_ECONFIG,
				  "sleutelbestand %s is geen PKCS#12 en geen PEM (sleutel en certificaat)",
				  key_path);
		br_error_at(err, key_path, 0);
		goto out;
	}
	if (!PKCS12_parse(p12, pass ? pass : "", &k->pkey, &k->cert, &k->chain)) {
		char words[OSSL_WORDS_MAX];
		int legacy = 0;

		/* Right passphrase (the MAC held), cipher unknown: RC2 or DES of old
		 * exports live in OpenSSL 3's legacy provider, which we do not load. */
		ossl_words_seen(words, sizeof(words), ERR_R_UNSUPPORTED, &legacy);
		if (legacy) {
			rc = br_error_set(err, BR_ECONFIG,
					  "PKCS#12-bestand %s is versleuteld met een verouderd algoritme "
					  "(RC2 of DES); exporteer het opnieuw met AES-256",
					  key_path);
			br_error_at(err, key_path, 0);
		} else {
			rc = bad_key(err, key_path, pass, words);
		}
		goto out;
	}
	if (!k->pkey || !k->cert) {
		rc = br_error_set(err, BR_ECONFIG, "PKCS#12-bestand %s mist %s", key_path,
				  k->pkey ? "het certificaat" : "de privésleutel");
		br_error_at(err, key_path, 0);
		goto out;
	}
out:
	PKCS12_free(p12);
	BIO_free(in);
	return rc;
}

/* PEM: the first private key, and of the certificates the one that belongs
 * to it; the others are kept as chain. */
static int load_pem(struct signing_key *k, const unsigned char *buf, size_t len,
		    const char *key_path, const char *pass, struct br_error *err)
{
	BIO *in = NULL;
	X509 *x = NULL;
	int rc = 0;

	if (len > INT32_MAX || !(in = BIO_new_mem_buf(buf, (int)len))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van %s", key_path);
		goto out;
	}
	/* "-----BEGIN [RSA |EC |ENCRYPTED ]PRIVATE KEY-----": without one, say so
	 * rather than pass on the decoder's "unsupported". */
	if (!contains(buf, len, "PRIVATE KEY-----")) {
		rc = br_error_set(err, BR_ECONFIG,
				  "geen privésleutel in PEM-bestand %s (sleutel en certificaat nodig)",
				  key_path);
		br_error_at(err, key_path, 0);
		goto out;
	}
	if (!(k->pkey = PEM_read_bio_PrivateKey(in, NULL, pem_pass_cb, (void *)(pass ? pass : "")))) {
		char words[OSSL_WORDS_MAX];

		rc = bad_key(err, key_path, pass, ossl_words(words, sizeof(words)));
		goto out;
	}
	BIO_free(in);  /* read the certificates from the start again */
	if (!(in = BIO_new_mem_buf(buf, (int)len)) || !(k->chain = sk_X509_new_null())) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van %s", key_path);
		goto out;
	}
	while ((x = PEM_read_bio_X509(in, NULL, NULL, NULL)) != NULL) {
		if (!k->cert && X509_check_private_key(x, k->pkey) == 1) {
			k->cert = x;
		} else if (!sk_X509_push(k->chain, x)) {
			X509_free(x);
			rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van %s", key_path);
			goto out;
		}
		ERR_clear_error();  /* X509_check_private_key's mismatch */
	}
	ERR_clear_error();  /* the end of the file */
	if (!k->cert) {
		rc = br_error_set(err, BR_ECONFIG,
				  sk_X509_num(k->chain) > 0
					  ? "geen certificaat in PEM-bestand %s hoort bij de privésleutel"
					  : "geen certificaat in PEM-bestand %s (sleutel en certificaat nodig)",
				  key_path);
		br_error_at(err, key_path, 0);
		goto out;
	}
out:
	BIO_free(in);
	return rc;
}

/*
 * Load the signing key and certificate from `key_path`, PKCS#12 or PEM by
 * content.  Refuses a certificate that does not belong to the key or is not
 * valid today (a signature the bank would refuse).
 */
static int signing_key_load(struct signing_key *k, const char *key_path, const char *pass,
			    struct br_error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(k, 0, sizeof(*k));
	/* before the first byte of the key is read */
	if ((rc = cms_no_core_dumps(err)) < 0 ||
	    (rc = read_small_file(&buf, &len, key_path, CMS_KEY_FILE_MAX, BR_ECONFIG, "sleutelbestand",
				  err)) < 0)
		goto out;
	/* "-----BEGIN " anywhere (a PEM may start with comments): PEM; else DER. */
	if (contains(buf, len, "-----BEGIN "))
		rc = load_pem(k, buf, len, key_path, pass, err);
	else
		rc = load_pkcs12(k, buf, len, key_path, pass, err);
	if (rc < 0)
		goto out;
	if (X509_check_private_key(k->cert, k->pkey) != 1) {
		ERR_clear_error();
		rc = br_error_set(err, BR_ECONFIG,
				  "het certificaat in %s hoort niet bij de privésleutel",
				  key_path);
		br_error_at(err, key_path, 0);
		goto out;
	}
	if (X509_cmp_current_time(X509_get0_notAfter(k->cert)) <= 0 ||
	    X509_cmp_current_time(X509_get0_notBefore(k->cert)) >= 0) {
		char subject[CMS_SUBJECT_MAX];

		subject_of(subject, sizeof(subject), k->cert);
		rc = br_error_set(err, BR_ECONFIG,
				  "het certificaat van %s in %s is verlopen of nog niet geldig", subject,
				  key_path);
		br_error_at(err, key_path, 0);
		goto out;
	}
out:
	if (buf) {
		OPENSSL_cleanse(buf, len);
		free(buf);
	}
	if (rc < 0)
		signing_key_release(k);
	ERR_clear_error();
	return rc;
}

/* Add the key file's further certificates (intermediates), each once. */
static int add_chain(CMS_ContentInfo *cms, STACK_OF(X509) *chain, struct br_error *err)
{
	STACK_OF(X509) *have = NULL;
	int i, j, rc = 0;

	if (!chain || sk_X509_num(chain) == 0)
		return 0;
	have = CMS_get1_certs(cms);
	for (i = 0; i < sk_X509_num(chain); i++) {
		X509 *x = sk_X509_value(chain, i);
		int dup = 0;

		for (j = 0; have && j < sk_X509_num(have) && !dup; j++)
			dup = X509_cmp(x, sk_X509_value(have, j)) == 0;
		if (!dup && CMS_add1_cert(cms, x) <= 0) {
			char words[OSSL_WORDS_MAX];

			rc = br_error_set(err, BR_EINTERNAL,
					  "een certificaat uit de keten kan niet aan de handtekening worden toegevoegd: %s",
					  ossl_words(words, sizeof(words)));
			break;
		}
	}
	sk_X509_pop_free(have, X509_free);
	return rc;
}

/* ---- reading and checking a signature file ------------------------------ */

static int read_signature(CMS_ContentInfo **out, const char *sig_path, struct br_error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	BIO *in = NULL;
	int rc;

	*out = NULL;
	if ((rc = read_small_file(&buf, &len, sig_path, CMS_SIG_FILE_MAX, BR_EINPUT,
				  "handtekeningbestand", err)) < 0)
		goto out;
	if (len > INT32_MAX || !(in = BIO_new_mem_buf(buf, (int)len))) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het lezen van %s", sig_path);
		goto out;
	}
	if (!(*out = d2i_CMS_bio(in, NULL))) {
		char words[OSSL_WORDS_MAX];

		rc = br_error_set(err, BR_EINPUT, "%s is geen DER CMS-handtekening (%s)", sig_path,
				  ossl_words(words, sizeof(words)));
		br_error_at(err, sig_path, 0);
		goto out;
	}
out:
	BIO_free(in);
	free(buf);
	return rc;
}

/*
 * What payments.md allows: SignedData, detached, 1..CMS_MAX_SIGNERS
 * SignerInfos, each with SHA-256.
 */
static int check_shape(CMS_ContentInfo *cms, const char *sig_path, struct br_error *err)
{
	STACK_OF(CMS_SignerInfo) *sis;
	int i, n;

	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		br_error_set(err, BR_EINPUT, "%s is een CMS-structuur maar geen handtekening (SignedData)",
			     sig_path);
		goto bad;
	}
	if (CMS_is_detached(cms) != 1) {
		br_error_set(err, BR_EINPUT,
			     "%s bevat de inhoud zelf; een losse (detached) handtekening wordt verwacht",
			     sig_path);
		goto bad;
	}
	sis = CMS_get0_SignerInfos(cms);
	n = sis ? sk_CMS_SignerInfo_num(sis) : 0;
	if (n <= 0) {
		br_error_set(err, BR_EINPUT, "%s bevat geen ondertekenaar", sig_path);
		goto bad;
	}
	if (n > CMS_MAX_SIGNERS) {
		br_error_set(err, BR_EINPUT, "%s bevat %d ondertekenaars, ten hoogste %d worden aanvaard",
			     sig_path, n, CMS_MAX_SIGNERS);
		goto bad;
	}
	for (i = 0; i < n; i++) {
		X509_ALGOR *dig = NULL;
		int nid;

		CMS_SignerInfo_get0_algs(sk_CMS_SignerInfo_value(sis, i), NULL, NULL, &dig, NULL);
		nid = dig ? OBJ_obj2nid(dig->algorithm) : NID_undef;
		if (nid != NID_sha256) {
			br_error_set(err, BR_EINPUT,
				     "ondertekenaar %d in %s gebruikt digest %s; alleen SHA-256 wordt aanvaard",
				     i + 1, sig_path, nid == NID_undef ? "onbekend" : OBJ_nid2sn(nid));
			goto bad;
		}
	}
	ERR_clear_error();
	return 0;
bad:
	ERR_clear_error();
	br_error_at(err, sig_path, 0);
	return BR_EINPUT;
}

static const char *chain_words(int x509_err)
{
	switch (x509_err) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_UNTRUSTED:
	case X509_V_ERR_CERT_REJECTED:
		return "is niet uitgegeven door een vertrouwde CA";
	case X509_V_ERR_CERT_HAS_EXPIRED:
		return "is verlopen";
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return "is nog niet geldig";
	case X509_V_ERR_CERT_REVOKED:
		return "is ingetrokken";
	default:
		return "wordt niet vertrouwd";
	}
}

/*
 * Does `cert` chain to a CA in `store` (purpose any), with `untrusted` as
 * the intermediates on offer?  1 yes, 0 no (the X509_V_ERR_* in *x509_err),
 * BR_ENOMEM.
 */
static int chain_holds(X509 *cert, STACK_OF(X509) *untrusted, X509_STORE *store, int *x509_err)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int rc = 1;

	*x509_err = X509_V_OK;
	if (!ctx || !X509_STORE_CTX_init(ctx, store, cert, untrusted)) {
		rc = BR_ENOMEM;
		goto out;
	}
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_ANY);
	if (X509_verify_cert(ctx) != 1) {
		*x509_err = X509_STORE_CTX_get_error(ctx);
		rc = 0;
	}
out:
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}

/* Check one signer certificate against the trust store, purpose any. */
static int check_chain(CMS_ContentInfo *cms, X509 *cert, X509_STORE *store,
		       const char *sig_path, struct br_error *err)
{
	STACK_OF(X509) *untrusted = CMS_get1_certs(cms);
	int e = X509_V_OK, rc;

	rc = chain_holds(cert, untrusted, store, &e);
	if (rc < 0) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het controleren van een certificaatketen");
	} else if (rc == 0) {
		char subject[CMS_SUBJECT_MAX];

		subject_of(subject, sizeof(subject), cert);
		rc = br_error_set(err, BR_EINPUT, "het certificaat van %s %s (%s) in %s", subject,
				  chain_words(e), X509_verify_cert_error_string(e), sig_path);
		br_error_at(err, sig_path, 0);
	} else {
		rc = 0;
	}
	sk_X509_pop_free(untrusted, X509_free);
	ERR_clear_error();
	return rc;
}

/*
 * CMS_verify failed (its reason in `words`): find the signer and the cause.
 * The order matters for the message: a changed file is said as such even
 * when a certificate is also untrusted.
 */
static int explain_failure(CMS_ContentInfo *cms, const char *data_path, const char *sig_path,
			   X509_STORE *store, const char *words, struct br_error *err)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	int i, n = sk_CMS_SignerInfo_num(sis), rc = 0;
	char subject[CMS_SUBJECT_MAX];
	BIO *data = NULL, *chain = NULL;
	char buf[16384];

	ERR_clear_error();
	if (CMS_set1_signers_certs(cms, NULL, 0) < 0)
		ERR_clear_error();
	for (i = 0; i < n; i++) {
		if (!signer_cert(sk_CMS_SignerInfo_value(sis, i))) {
			rc = br_error_set(err, BR_EINPUT,
					  "ondertekenaar %d in %s heeft geen certificaat in het handtekeningbestand",
					  i + 1, sig_path);
			br_error_at(err, sig_path, 0);
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, i);

		if (CMS_signed_get_attr_count(si) >= 0 && CMS_SignerInfo_verify(si) <= 0) {
			subject_of(subject, sizeof(subject), signer_cert(si));
			ERR_clear_error();
			rc = br_error_set(err, BR_EINPUT,
					  "de handtekening van %s klopt niet: %s is gewijzigd of niet "
					  "gemaakt met de sleutel van dit certificaat",
					  subject, sig_path);
			br_error_at(err, sig_path, 0);
			goto out;
		}
	}
	if ((rc = open_data(&data, data_path, err)) < 0)
		goto out;
	if (!(chain = CMS_dataInit(cms, data))) {
		char w[OSSL_WORDS_MAX];

		rc = br_error_set(err, BR_EINTERNAL, "de digest van %s kan niet worden gestart: %s", data_path,
				  ossl_words(w, sizeof(w)));
		goto out;
	}
	data = NULL;  /* now the tail of `chain` */
	for (;;) {
		int got = BIO_read(chain, buf, (int)sizeof(buf));

		if (got > 0 || (got < 0 && BIO_should_retry(chain)))
			continue;
		if (got < 0) {
			ERR_clear_error();
			rc = br_error_set(err, BR_EIO, "betaalbestand %s kan niet worden gelezen", data_path);
			goto out;
		}
		break;
	}
	for (i = 0; i < n; i++) {
		CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sis, i);

		if (CMS_SignerInfo_verify_content(si, chain) <= 0) {
			subject_of(subject, sizeof(subject), signer_cert(si));
			ERR_clear_error();
			rc = br_error_set(err, BR_EINPUT,
					  "het bestand is na het ondertekenen gewijzigd: de digest past niet "
					  "bij de handtekening van %s (bestand %s)",
					  subject, data_path);
			br_error_at(err, data_path, 0);
			goto out;
		}
	}
	for (i = 0; store && i < n; i++) {
		if ((rc = check_chain(cms, signer_cert(sk_CMS_SignerInfo_value(sis, i)), store,
				      sig_path, err)) < 0)
			goto out;
	}
	rc = br_error_set(err, BR_EINPUT, "de handtekening in %s klopt niet: %s", sig_path,
			  words);
	br_error_at(err, sig_path, 0);
out:
	BIO_free_all(chain);
	BIO_free(data);
	OPENSSL_cleanse(buf, sizeof(buf));
	ERR_clear_error();
	return rc;
}

/*
 * Verify every SignerInfo of `cms` over the file; with `store`, also each
 * signer's chain (purpose any).  Without, the signatures and digests only.
 */
static int verify_cms(CMS_ContentInfo *cms, const char *data_path, const char *sig_path,
		      X509_STORE *store, struct br_error *err)
{
	unsigned int flags = CMS_BINARY | (store ? 0 : CMS_NO_SIGNER_CERT_VERIFY);
	BIO *data = NULL;
	int rc;

	if ((rc = open_data(&data, data_path, err)) < 0)
		return rc;
	ERR_clear_error();
	if (CMS_verify(cms, NULL, store, data, NULL, flags) != 1) {
		char words[OSSL_WORDS_MAX];

		ossl_words(words, sizeof(words));
		rc = explain_failure(cms, data_path, sig_path, store, words, err);
	}
	BIO_free(data);
	ERR_clear_error();
	return rc;
}

static int load_store(X509_STORE **out, const char *trust_pem, struct br_error *err)
{
	X509_STORE *store = NULL;
	int rc = 0;

	*out = NULL;
	if (!trust_pem || !*trust_pem)
		return br_error_set(err, BR_ECONFIG, "geen vertrouwensbestand (CA-certificaten) ingesteld");
	if (access(trust_pem, R_OK) != 0)
		return br_error_set(err, BR_ECONFIG, "vertrouwensbestand %s kan niet worden gelezen: %s", trust_pem,
				    strerror(errno));
	if (!(store = X509_STORE_new())) {
		rc = br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het laden van %s", trust_pem);
		goto out;
	}
	if (X509_STORE_load_file(store, trust_pem) != 1) {
		char words[OSSL_WORDS_MAX];

		rc = br_error_set(err, BR_ECONFIG, "vertrouwensbestand %s bevat geen bruikbaar CA-certificaat (%s)",
				  trust_pem, ossl_words(words, sizeof(words)));
		br_error_at(err, trust_pem, 0);
		goto out;
	}
	/* As `openssl cms -verify -purpose any`: the bank's signing certificates
	 * are not S/MIME certificates. */
	X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
	*out = store;
	store = NULL;
out:
	X509_STORE_free(store);
	ERR_clear_error();
	return rc;
}

/* ---- four-eyes ------------------------------------------------------------ */

/* Long enough for every CN (or O) of a name, folded; longer: not compared. */
#define FOLDED_MAX 1024

/*
 * The values of attribute `nid` in `name`, folded for comparing people:
 * UTF-8, ASCII letters in lower case, white space trimmed and collapsed to
 * one space, several values separated by a newline.  The number of values
 * (0: none), -1 when the result is too long, -2 when a value is unreadable
 * (OpenSSL out of memory, or not a string it can convert).
 */
static int fold_values(char *out, size_t cap, X509_NAME *name, int nid)
{
	int pos = -1, count = 0;
	size_t len = 0;

	out[0] = '\0';
	while ((pos = X509_NAME_get_index_by_NID(name, nid, pos)) >= 0) {
		ASN1_STRING *v = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, pos));
		unsigned char *u = NULL;
		int ulen = v ? ASN1_STRING_to_UTF8(&u, v) : -1, i, space = 0;
		size_t start;

		if (ulen < 0) {
			ERR_clear_error();
			return -2;
		}
		if (count++ > 0) {
			if (len + 1 >= cap)
				goto too_long;
			out[len++] = '\n';
		}
		start = len;
		for (i = 0; i < ulen; i++) {
			unsigned char c = u[i];

			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
				space = len > start;
				continue;
			}
			if (len + 2 >= cap)
				goto too_long;
			if (space)
				out[len++] = ' ';
			space = 0;
			out[len++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
		}
		OPENSSL_free(u);
		continue;
too_long:
		OPENSSL_free(u);
		out[0] = '\0';
		return -1;
	}
	out[len] = '\0';
	return count;
}

/* Same CN, and the same O where both have one (cms_sign.h): 1, 0, or -1
 * when a value could not be read (then nobody can tell). */
static int same_cn_and_o(X509 *a, X509 *b)
{
	char fa[FOLDED_MAX], fb[FOLDED_MAX];
	X509_NAME *na = X509_get_subject_name(a), *nb = X509_get_subject_name(b);
	int ca, cb;

	ca = fold_values(fa, sizeof(fa), na, NID_commonName);
	cb = fold_values(fb, sizeof(fb), nb, NID_commonName);
	if (ca == -2 || cb == -2)
		return -1;
	if (ca <= 0 || cb <= 0 || strcmp(fa, fb) != 0)
		return 0;
	ca = fold_values(fa, sizeof(fa), na, NID_organizationName);
	cb = fold_values(fb, sizeof(fb), nb, NID_organizationName);
	if (ca == -2 || cb == -2)
		return -1;
	if (ca < 0 || cb < 0)
		return 0;
	return ca == 0 || cb == 0 || strcmp(fa, fb) == 0;
}

/*
 * The one definition of "the same person" (cms_sign.h): 1 and why, in
 * words, or 0.  Never by printed subjects.  -1 (and why) when OpenSSL
 * could not compare a name or the keys — out of memory, or a name or key
 * it cannot read: a check that could not be made never means "two people".
 */
static int same_person(X509 *a, X509 *b, const char **why)
{
	EVP_PKEY *ka = X509_get0_pubkey(a), *kb = X509_get0_pubkey(b);
	int same = 0, names, cn = 0, keys = 0;

	*why = "";
	if (X509_cmp(a, b) == 0) {
		*why = "hetzelfde certificaat";
		same = 1;
	} else if ((names = X509_NAME_cmp(X509_get_subject_name(a), X509_get_subject_name(b))) == 0) {
		*why = "dezelfde naam (subject)";
		same = 1;
	} else if (names == -2 || (cn = same_cn_and_o(a, b)) < 0 || !ka || !kb ||
		   (!cn && (keys = EVP_PKEY_eq(ka, kb)) == -2)) {
		*why = "OpenSSL kon hun namen of sleutels niet vergelijken (onvoldoende geheugen?)";
		same = -1;
	} else if (cn) {
		*why = "dezelfde CN en O, hoofdletters niet meegeteld";
		same = 1;
	} else if (keys == 1) {
		*why = "dezelfde sleutel";
		same = 1;
	}
	ERR_clear_error();
	return same;
}

static int given(const char *s)
{
	return s && *s;
}

static int hex_equal(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'F' ? (char)(*a - 'A' + 'a') : *a;
		char y = *b >= 'A' && *b <= 'F' ? (char)(*b - 'A' + 'a') : *b;

		if (x != y)
			return 0;
	}
	return *a == *b;
}

/* Is `s` the signer the ledger recorded as (fingerprint, subject)? */
static int is_recorded(const struct cms_signer *s, const char *sha256, const char *subject)
{
	if (given(sha256))
		return hex_equal(s->fingerprint, sha256);
	return strcmp(s->subject, subject) == 0;
}

/* The role's recorded certificate did not sign: say which, and who did. */
static int not_recorded(const struct cms_four_eyes *fe, const char *sig_path, const char *role,
			const char *sha256, const char *subject, struct br_error *err)
{
	const struct cms_signer *a = &fe->signers[0], *b = &fe->signers[fe->n_signers > 1 ? 1 : 0];

	br_error_set(err, BR_EINPUT,
		     "de %s die de run vastlegde, %s (certificaat sha256 %.16s%s), heeft %s niet "
		     "ondertekend: het is ondertekend door %s (sha256 %.16s...) en %s (sha256 %.16s...); "
		     "het handtekeningbestand is na de %s vervangen",
		     role, given(subject) ? subject : "(naam niet vastgelegd)",
		     given(sha256) ? sha256 : "niet vastgelegd", given(sha256) ? "..." : "", sig_path,
		     a->subject, a->fingerprint, b->subject, b->fingerprint,
		     strcmp(role, "voorbereider") == 0 ? "voorbereiding" : "goedkeuring");
	br_error_at(err, sig_path, 0);
	return BR_EINPUT;
}

/*
 * THE four-eyes check, on a parsed signature: every signature holds over
 * the file and chains to `store`; exactly two; two different people; the
 * recorded preparer and approver as far as `rec` recorded them.
 */
static int check_pair(struct cms_four_eyes *out, CMS_ContentInfo *cms, const char *data_path,
		      const char *sig_path, X509_STORE *store, const struct cms_recorded *rec,
		      struct br_error *err)
{
	STACK_OF(CMS_SignerInfo) *sis;
	X509 *cert[CMS_MAX_SIGNERS];
	const char *why = "";
	int i, n, ip = -1, ia = -1, rc, same;
	int has_p = rec && (given(rec->preparer_sha256) || given(rec->preparer_subject));
	int has_a = rec && (given(rec->approver_sha256) || given(rec->approver_subject));

	memset(out, 0, sizeof(*out));
	if ((rc = check_shape(cms, sig_path, err)) < 0 ||
	    (rc = verify_cms(cms, data_path, sig_path, store, err)) < 0)
		return rc;
	sis = CMS_get0_SignerInfos(cms);
	n = sk_CMS_SignerInfo_num(sis);  /* 1..CMS_MAX_SIGNERS: check_shape */
	for (i = 0; i < n; i++) {
		if (!(cert[i] = signer_cert(sk_CMS_SignerInfo_value(sis, i))))  /* CMS_verify matched them */
			return br_error_set(err, BR_EINTERNAL, "ondertekenaar %d in %s is zijn certificaat kwijt",
					    i + 1, sig_path);
		if ((rc = describe_signer(&out->signers[i], cert[i], err)) < 0) {
			memset(out, 0, sizeof(*out));
			return rc;
		}
	}
	out->n_signers = (size_t)n;
	if (n < 2) {
		br_error_set(err, BR_EINPUT,
			     "maar één handtekening in %s, van %s: de goedkeurder heeft niet getekend (vier ogen)",
			     sig_path, out->signers[0].subject);
		br_error_at(err, sig_path, 0);
		return BR_EINPUT;
	}
	if (n > 2) {
		br_error_set(err, BR_EINPUT,
			     "%s bevat %d handtekeningen; een betaalbestand heeft er precies twee, die "
			     "van de voorbereider en die van de goedkeurder",
			     sig_path, n);
		br_error_at(err, sig_path, 0);
		return BR_EINPUT;
	}
	if ((same = same_person(cert[0], cert[1], &why)) < 0) {
		br_error_set(err, BR_EINTERNAL, "niet vast te stellen of de twee ondertekenaars van %s (%s en %s) "
			     "twee personen zijn: %s", sig_path, out->signers[0].subject, out->signers[1].subject, why);
		return BR_EINTERNAL;
	}
	if (same) {
		br_error_set(err, BR_EFOUREYES,
			     "vier-ogenregel geschonden: beide handtekeningen in %s zijn van dezelfde persoon "
			     "(%s en %s: %s)",
			     sig_path, out->signers[0].subject, out->signers[1].subject, why);
		br_error_at(err, sig_path, 0);
		return BR_EFOUREYES;
	}
	for (i = 0; has_p && ip < 0 && i < 2; i++)
		if (is_recorded(&out->signers[i], rec->preparer_sha256, rec->preparer_subject))
			ip = i;
	for (i = 0; has_a && ia < 0 && i < 2; i++)
		if (i != ip && is_recorded(&out->signers[i], rec->approver_sha256, rec->approver_subject))
			ia = i;
	if (has_p && ip < 0)
		return not_recorded(out, sig_path, "voorbereider", rec->preparer_sha256,
				    rec->preparer_subject, err);
	if (has_a && ia < 0)
		return not_recorded(out, sig_path, "goedkeurder", rec->approver_sha256,
				    rec->approver_subject, err);
	if (ip < 0)
		ip = ia >= 0 ? 1 - ia : 0;
	if (ia < 0)
		ia = 1 - ip;
	out->preparer = out->signers[ip];
	out->approver = out->signers[ia];
	return 0;
}

/*
 * DER of `cms`, parsed back and checked over the file before it may
 * replace anything on disk; then written 0600 atomically.  With `store`
 * the check is check_pair (into `fe`) with `rec`; without, every signature
 * and digest (no chain): the preparer's lone signature.
 */
static int write_signature(CMS_ContentInfo *cms, const char *data_path, const char *sig_path,
			   X509_STORE *store, const struct cms_recorded *rec,
			   struct cms_four_eyes *fe, struct br_error *err)
{
	CMS_ContentInfo *back = NULL;
	BIO *mem = NULL, *in = NULL;
	struct br_error self;
	char *der = NULL;
	long len;
	int rc = 0, bad;

	if (!(mem = BIO_new(BIO_s_mem())) || i2d_CMS_bio(mem, cms) != 1) {
		char words[OSSL_WORDS_MAX];

		rc = br_error_set(err, BR_EINTERNAL, "de handtekening voor %s kan niet worden gecodeerd: %s",
				  sig_path, ossl_words(words, sizeof(words)));
		goto out;
	}
	len = BIO_get_mem_data(mem, &der);
	if (len <= 0 || len > INT32_MAX || !(in = BIO_new_mem_buf(der, (int)len)) ||
	    !(back = d2i_CMS_bio(in, NULL))) {
		char words[OSSL_WORDS_MAX];

		rc = br_error_set(err, BR_EINTERNAL, "de gemaakte handtekening voor %s is onleesbaar: %s",
				  sig_path, ossl_words(words, sizeof(words)));
		goto out;
	}
	br_error_clear(&self);
	if (store)
		bad = check_pair(fe, back, data_path, sig_path, store, rec, &self) < 0;
	else
		bad = check_shape(back, sig_path, &self) < 0 ||
		      verify_cms(back, data_path, sig_path, NULL, &self) < 0;
	if (bad) {
		/* ours, not the input's (unless the file changed meanwhile) */
		rc = br_error_set(err, self.code == BR_EINPUT ? BR_EINTERNAL : self.code,
				  "de gemaakte handtekening voor %s klopt niet: %s", data_path,
				  self.msg);
		goto out;
	}
	rc = fsutil_write_atomic(sig_path, der, (size_t)len, 0600, err);
out:
	CMS_ContentInfo_free(back);
	BIO_free(in);
	BIO_free(mem);
	ERR_clear_error();
	return rc;
}

/* ---- the contract ------------------------------------------------------ */

int cms_sign_file(const char *data_path, const char *sig_path, const char *key_path,
		  const char *passphrase, struct cms_signer *who, struct br_error *err)
{
	const unsigned int flags = CMS_DETACHED | CMS_BINARY;
	struct signing_key key = { 0 };
	struct cms_signer me;
	CMS_ContentInfo *cms = NULL;
	BIO *data = NULL;
	int rc;

	ERR_clear_error();
	if (who)
		memset(who, 0, sizeof(*who));
	if ((rc = open_data(&data, data_path, err)) < 0)
		goto out;
	if ((rc = signing_key_load(&key, key_path, passphrase, err)) < 0)
		goto out;
	if (!(cms = CMS_sign(NULL, NULL, NULL, NULL, flags | CMS_PARTIAL)) ||
	    !CMS_add1_signer(cms, key.cert, key.pkey, EVP_sha256(), flags) ||
	    (rc = add_chain(cms, key.chain, err)) < 0 ||
	    CMS_final(cms, data, NULL, flags) != 1) {
		char words[OSSL_WORDS_MAX];

		rc = br_error_set(err, BR_EINTERNAL, "%s kan niet worden ondertekend met de sleutel in %s: %s",
				  data_path, key_path, ossl_words(words, sizeof(words)));
		goto out;
	}
	/* before the file is written: a failure leaves the old one */
	if ((rc = describe_signer(&me, key.cert, err)) < 0 ||
	    (rc = write_signature(cms, data_path, sig_path, NULL, NULL, NULL, err)) < 0)
		goto out;
	if (who)
		*who = me;
out:
	CMS_ContentInfo_free(cms);
	BIO_free(data);
	signing_key_release(&key);
	ERR_clear_error();
	return rc;
}

int cms_key_signer(struct cms_signer *out, const char *key_path, const char *passphrase,
		   struct br_error *err)
{
	struct signing_key key = { 0 };
	int rc;

	ERR_clear_error();
	memset(out, 0, sizeof(*out));
	if ((rc = signing_key_load(&key, key_path, passphrase, err)) == 0)
		rc = describe_signer(out, key.cert, err);
	signing_key_release(&key);
	ERR_clear_error();
	return rc;
}

/* Which SignerInfo of `cms` is the preparer's (cms_approve_file step 2). */
static int find_preparer(int *out, CMS_ContentInfo *cms, const char *sig_path,
			 const struct cms_recorded *rec, struct br_error *err)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	struct cms_signer s[CMS_MAX_SIGNERS];
	int i, n = sk_CMS_SignerInfo_num(sis), rc;
	int has = rec && (given(rec->preparer_sha256) || given(rec->preparer_subject));

	*out = -1;
	for (i = 0; i < n; i++) {
		X509 *cert = signer_cert(sk_CMS_SignerInfo_value(sis, i));

		if (!cert)  /* CMS_verify matched them all */
			return br_error_set(err, BR_EINTERNAL, "ondertekenaar %d in %s is zijn certificaat kwijt",
					    i + 1, sig_path);
		if ((rc = describe_signer(&s[i], cert, err)) < 0)
			return rc;
		if (*out < 0 && has && is_recorded(&s[i], rec->preparer_sha256, rec->preparer_subject))
			*out = i;
	}
	if (!has && n == 1)
		*out = 0;
	if (*out >= 0)
		return 0;
	if (!has) {
		br_error_set(err, BR_EINPUT,
			     "%s bevat %d handtekeningen en er is geen voorbereider vastgelegd: niet vast "
			     "te stellen welke van de voorbereider is", sig_path, n);
	} else {
		br_error_set(err, BR_EINPUT,
			     "de voorbereider die de run vastlegde, %s (certificaat sha256 %.16s%s), heeft "
			     "%s niet ondertekend: het is ondertekend door %s; het handtekeningbestand is "
			     "na de voorbereiding vervangen",
			     given(rec->preparer_subject) ? rec->preparer_subject : "(naam niet vastgelegd)",
			     given(rec->preparer_sha256) ? rec->preparer_sha256 : "niet vastgelegd",
			     given(rec->preparer_sha256) ? "..." : "", sig_path, s[0].subject);
	}
	br_error_at(err, sig_path, 0);
	return BR_EINPUT;
}

/* Step 3 of cms_approve_file: the approver's certificate is trusted. */
static int check_approver_chain(const struct signing_key *key, X509_STORE *store,
				const char *trust_pem, struct br_error *err)
{
	char subject[CMS_SUBJECT_MAX];
	int e = X509_V_OK, rc;

	if ((rc = chain_holds(key->cert, key->chain, store, &e)) < 0)
		return br_error_set(err, BR_ENOMEM, "onvoldoende geheugen bij het controleren van een certificaatketen");
	if (rc == 1)
		return 0;
	subject_of(subject, sizeof(subject), key->cert);
	return br_error_set(err, BR_EINPUT,
			    "het certificaat van goedkeurder %s %s (%s): het moet herleiden tot een CA in het "
			    "vertrouwensbestand %s; er is niets getekend",
			    subject, chain_words(e), X509_verify_cert_error_string(e), trust_pem);
}

/*
 * Step 5 of cms_approve_file: besides the preparer's (`ip`), the file may
 * hold only the approver's own signature (`*mine`, or -1 when none).
 */
static int find_own_signature(int *mine, CMS_ContentInfo *cms, int ip, X509 *approver,
			      const char *sig_path, struct br_error *err)
{
	STACK_OF(CMS_SignerInfo) *sis = CMS_get0_SignerInfos(cms);
	int i, n = sk_CMS_SignerInfo_num(sis);

	*mine = -1;
	for (i = 0; i < n; i++) {
		X509 *had = signer_cert(sk_CMS_SignerInfo_value(sis, i));
		char subject[CMS_SUBJECT_MAX];

		if (i == ip)
			continue;
		if (*mine < 0 && X509_cmp(had, approver) == 0) {
			*mine = i;
			continue;
		}
		subject_of(subject, sizeof(subject), had);
		br_error_set(err, BR_EINPUT,
			     "er staat al een handtekening van %s die geen door de run vastgelegde goedkeuring "
			     "is in %s naast die van de voorbereider: een goedkeuring door %s is onderbroken "
			     "(die persoon start approve opnieuw om haar af te maken), of het bestand is "
			     "gewijzigd; anders: annuleer de run en bereid hem opnieuw voor",
			     subject, sig_path, subject);
		br_error_at(err, sig_path, 0);
		return BR_EINPUT;
	}
	return 0;
}

int cms_approve_file(struct cms_four_eyes *out, const char *data_path, const char *sig_path,
		     const char *out_path, const char *trust_pem, const char *key_path,
		     const char *passphrase, const struct cms_recorded *rec, struct br_error *err)
{
	struct signing_key key = { 0 };
	struct cms_signer prep, me;
	struct cms_recorded both;
	CMS_ContentInfo *cms = NULL;
	X509_STORE *store = NULL;
	X509 *prep_cert;
	const char *why = "";
	int ip = -1, mine = -1, rc, same;

	ERR_clear_error();
	memset(out, 0, sizeof(*out));
	/* 1, 2: the signatures there hold and are trusted; one is the preparer's */
	if ((rc = read_signature(&cms, sig_path, err)) < 0 ||
	    (rc = check_shape(cms, sig_path, err)) < 0 ||
	    (rc = load_store(&store, trust_pem, err)) < 0 ||
	    (rc = verify_cms(cms, data_path, sig_path, store, err)) < 0 ||
	    (rc = find_preparer(&ip, cms, sig_path, rec, err)) < 0)
		goto out;
	prep_cert = signer_cert(sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), ip));
	if ((rc = describe_signer(&prep, prep_cert, err)) < 0)
		goto out;
	/* 3, 4: a trusted approver, another person */
	if ((rc = signing_key_load(&key, key_path, passphrase, err)) < 0 ||
	    (rc = check_approver_chain(&key, store, trust_pem, err)) < 0)
		goto out;
	if ((rc = describe_signer(&me, key.cert, err)) < 0)
		goto out;
	if ((same = same_person(key.cert, prep_cert, &why)) < 0) {
		rc = br_error_set(err, BR_EINTERNAL,
				  "niet vast te stellen of goedkeurder %s en voorbereider %s van %s twee "
				  "personen zijn: %s; er is niets getekend", me.subject, prep.subject, data_path, why);
		goto out;
	}
	if (same) {
		rc = br_error_set(err, BR_EFOUREYES,
				  "vier-ogenregel: goedkeurder %s is dezelfde persoon als voorbereider %s "
				  "(%s) van %s; de goedkeurder moet iemand anders zijn",
				  me.subject, prep.subject, why, data_path);
		goto out;
	}
	/* 5: anything else in the file can only be the approver's own signature */
	if ((rc = find_own_signature(&mine, cms, ip, key.cert, sig_path, err)) < 0)
		goto out;
	/* `openssl cms -resign`: the new SignerInfo takes the verified
	 * messageDigest of the existing SHA-256 signer and is signed now. */
	if (mine < 0 &&
	    (!CMS_add1_signer(cms, key.cert, key.pkey, EVP_sha256(), CMS_BINARY | CMS_REUSE_DIGEST) ||
	     (rc = add_chain(cms, key.chain, err)) < 0)) {
		char words[OSSL_WORDS_MAX];

		rc = br_error_set(err, BR_EINTERNAL, "er kan geen ondertekenaar aan %s worden toegevoegd met de sleutel in %s: %s",
				  sig_path, key_path, ossl_words(words, sizeof(words)));
		goto out;
	}
	/* 6: the result passes the check release will make */
	memset(&both, 0, sizeof(both));
	both.preparer_sha256 = prep.fingerprint;
	both.approver_sha256 = me.fingerprint;
	if ((rc = write_signature(cms, data_path, out_path, store, &both, out, err)) < 0)
		goto out;
	out->resumed = mine >= 0;
out:
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	CMS_ContentInfo_free(cms);
	X509_STORE_free(store);
	signing_key_release(&key);
	ERR_clear_error();
	return rc;
}

int cms_verify_four_eyes(struct cms_four_eyes *out, const char *data_path, const char *sig_path,
			 const char *trust_pem, const struct cms_recorded *rec, struct br_error *err)
{
	CMS_ContentInfo *cms = NULL;
	X509_STORE *store = NULL;
	int rc;

	ERR_clear_error();
	memset(out, 0, sizeof(*out));
	if ((rc = read_signature(&cms, sig_path, err)) < 0 ||
	    (rc = load_store(&store, trust_pem, err)) < 0)
		goto out;
	rc = check_pair(out, cms, data_path, sig_path, store, rec, err);
out:
	CMS_ContentInfo_free(cms);
	X509_STORE_free(store);
	ERR_clear_error();
	return rc;
}

int cms_verify_file(const char *data_path, const char *sig_path, const char *trust_pem,
		    struct cms_signer *signers, size_t *n_signers, struct br_error *err)
{
	STACK_OF(CMS_SignerInfo) *sis;
	CMS_ContentInfo *cms = NULL;
	X509_STORE *store = NULL;
	int i, n, rc;

	ERR_clear_error();
	if (n_signers)
		*n_signers = 0;
	if ((rc = read_signature(&cms, sig_path, err)) < 0 ||
	    (rc = check_shape(cms, sig_path, err)) < 0 ||
	    (rc = load_store(&store, trust_pem, err)) < 0 ||
	    (rc = verify_cms(cms, data_path, sig_path, store, err)) < 0)
		goto out;
	sis = CMS_get0_SignerInfos(cms);
	n = sk_CMS_SignerInfo_num(sis);
	for (i = 0; i < n && i < CMS_MAX_SIGNERS; i++) {
		X509 *cert = signer_cert(sk_CMS_SignerInfo_value(sis, i));

		if (!cert) {  /* CMS_verify matched them all; cannot happen */
			rc = br_error_set(err, BR_EINTERNAL, "ondertekenaar %d in %s is zijn certificaat kwijt",
					  i + 1, sig_path);
			goto out;
		}
		if (signers && (rc = describe_signer(&signers[i], cert, err)) < 0)
			goto out;
	}
	if (n_signers)
		*n_signers = (size_t)i;
out:
	CMS_ContentInfo_free(cms);
	X509_STORE_free(store);
	ERR_clear_error();
	return rc;
}

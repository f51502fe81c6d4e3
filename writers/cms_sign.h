/*
 * cms_sign.h — detached CMS (PKCS#7) signatures over payment files
 * (payments.md "Signatures"), with OpenSSL 3, and the one four-eyes check
 * that approve, release and verify share.
 *
 * The signature file FILE.p7s is DER, SignedData over the exact bytes of
 * FILE (detached, binary), digest SHA-256, each signer's certificate
 * included, verifiable with
 *   openssl cms -verify -binary -inform DER -in FILE.p7s -content FILE \
 *           -CAfile trust.pem -purpose any -out /dev/null
 * The preparer signs (cms_sign_file); the approver adds a second SignerInfo
 * to the same structure (cms_approve_file).
 *
 * Four-eyes (issue 10).  A released payment file carries exactly two
 * signatures, both valid over the file, both chained to the trust file
 * ([ondertekening] vertrouwen), by two different people, and — when the
 * ledger recorded them — by exactly the two certificates the run recorded
 * (SHA-256 fingerprints of the preparer's and the approver's certificate).
 * Two certificates count as the SAME PERSON when any of these holds:
 *   - they are the same certificate;
 *   - their subjects are equal as X.509 names (X509_NAME_cmp: OpenSSL
 *     compares the canonical encoding, so case and runs of spaces in the
 *     string values do not count: CN=Preparer and CN=PREPARER are equal);
 *   - their commonNames are equal after folding (UTF-8, ASCII case folded,
 *     spaces trimmed and collapsed) and so are their organizationNames,
 *     where both have one: a missing O tells two people apart no more than
 *     an added OU or serialNumber does, and a four-eyes check errs on the
 *     side of "the same person";
 *   - they certify the same public key.
 * Subjects are never compared as printed text.  Non-ASCII letters are not
 * case-folded (CN=Ömer and CN=ömer are two names); CAs issue one spelling.
 * When OpenSSL cannot make a comparison (out of memory, a name value or a
 * key it cannot read), the check fails with BR_EINTERNAL: a comparison
 * that was not made never counts as "two people".
 *
 * Exit codes (cli.md): the same person twice is BR_EFOUREYES (77).  A
 * signer whose certificate does not chain to the trust file, a signature
 * that does not hold, a missing second signature and signers other than
 * the ones the run recorded are verification failures, BR_EINPUT (65):
 * they are not "approver = preparer", and an untrusted certificate
 * identifies nobody, so it is refused before four-eyes is even asked.
 *
 * Keys: a PKCS#12 file, or a PEM file holding the private key and the
 * certificate.  The passphrase comes from $BETAALRUN_KEY_PASS or a file
 * descriptor (cms_read_passphrase), never from argv, and is never logged
 * or kept longer than needed (cleansed after use).  No core dump may hold
 * key material: cms_no_core_dumps() makes the process non-dumpable, and
 * every function here that loads a key calls it first; a command calls it
 * itself before it reads a passphrase.
 */
#ifndef BR_CMS_SIGN_H
#define BR_CMS_SIGN_H

#include <stddef.h>

#include "error.h"

#define CMS_SUBJECT_MAX 512
#define CMS_MAX_SIGNERS 4
#define CMS_PASSPHRASE_MAX 1024  /* a buffer for cms_read_passphrase */
#define CMS_FINGERPRINT_HEX 64   /* SHA-256 of a certificate's DER, hex */

struct cms_signer {
	char subject[CMS_SUBJECT_MAX];  /* RFC 2253 one-line form, for people to read */
	char fingerprint[CMS_FINGERPRINT_HEX + 1];  /* SHA-256 of the certificate, lower-case hex */
};

/*
 * What the ledger recorded for a run, all borrowed; NULL or "" where
 * nothing is recorded.  A fingerprint, when there is one, decides; a
 * subject is used only where no fingerprint was recorded (runs prepared or
 * approved before fingerprints were recorded), and then compared exactly
 * as this module printed it when the run recorded it: that is binding a
 * signature to the ledger's record, not telling two people apart.
 */
struct cms_recorded {
	const char *preparer_sha256, *preparer_subject;  /* run.voorbereider(_sha256) */
	const char *approver_sha256, *approver_subject;  /* run.goedkeurder(_sha256) */
};

/* The outcome of the four-eyes check (cms_verify_four_eyes, cms_approve_file). */
struct cms_four_eyes {
	/* Every signer, in the SignerInfos' order in the file (DER sorts them:
	 * it is not the signing order).  Filled as soon as every signature and
	 * chain holds, also when the four-eyes rule then fails, so a caller can
	 * show who signed; n_signers is 0 when a signature or chain failed. */
	struct cms_signer signers[CMS_MAX_SIGNERS];
	size_t n_signers;
	/* On success: who prepared and who approved.  Without a record, the
	 * roles are unknown and these are the two signers in file order. */
	struct cms_signer preparer, approver;
	/* cms_approve_file: the approver's signature was already in the file
	 * (an approve interrupted after it wrote it); nothing was signed again. */
	int resumed;
};

/*
 * Make the process non-dumpable before key material is in memory:
 * prctl(PR_SET_DUMPABLE, 0) (Linux: no core file, no ptrace attach by
 * other processes of the same user, /proc/PID/mem closed) and
 * setrlimit(RLIMIT_CORE, 0) (every POSIX system).  For the rest of the
 * process: a passphrase in the environment or in a buffer the caller has
 * not cleansed yet stays protected too.  Idempotent.  BR_EINTERNAL when
 * either call fails (then no key must be loaded).
 */
int cms_no_core_dumps(struct br_error *err);

/* Passphrase from fd `pass_fd` (≥ 0: read up to a newline) or else from
 * $BETAALRUN_KEY_PASS; "" when neither.  BR_EIO on a read error.
 * Reads the fd a byte at a time (nothing after the newline is consumed), a
 * trailing CR is dropped, the fd is left open.  BR_ECONFIG when longer than
 * cap - 1 bytes.  The caller OPENSSL_cleanse()s `out` after use.  Calls
 * cms_no_core_dumps() first (BR_EINTERNAL when it fails: nothing read). */
int cms_read_passphrase(char *out, size_t cap, int pass_fd, struct br_error *err);

/* Sign `data_path` with the key in `key_path`; write `sig_path` (0600,
 * atomically).  Fills `who` with the signer.  BR_ECONFIG for an unreadable
 * key or wrong passphrase (said in words, the passphrase never shown).
 * Also BR_ECONFIG: a certificate not valid today or not matching the key,
 * a legacy-encrypted (RC2/DES) PKCS#12.  BR_ENOINPUT: no `data_path`.
 * `passphrase` NULL means none was given: "" is tried, and a key that needs
 * one fails with "geen wachtwoordzin opgegeven" instead of the wrong
 * passphrase message.  `who` may be NULL.  Further certificates in
 * the key file (intermediates) are included too.  An existing `sig_path` is
 * replaced.  The new DER is verified over the file before it is written.
 * Calls cms_no_core_dumps() before the key is read. */
int cms_sign_file(const char *data_path, const char *sig_path, const char *key_path,
		  const char *passphrase, struct cms_signer *who, struct br_error *err);

/* The certificate of the key in `key_path` (loading it proves the
 * passphrase: whoever has only the certificate gets BR_ECONFIG, as in
 * cms_sign_file).  Calls cms_no_core_dumps() first. */
int cms_key_signer(struct cms_signer *out, const char *key_path, const char *passphrase,
		   struct br_error *err);

/*
 * Approve: read the preparer's signature `sig_path` over `data_path`, add
 * the approver's (the key in `key_path`) and write the result to
 * `out_path` (0600, atomically); `sig_path` itself is never changed, so the
 * caller can record the approval first and publish `out_path` over
 * `sig_path` after (a kill in between leaves an approval that is either
 * recorded and publishable, or neither).
 *
 * Checked, in this order, before anything is written:
 *  1. every signature already in `sig_path` holds over the file and chains
 *     to `trust_pem` (BR_EINPUT);
 *  2. one of them is the preparer's: the certificate `rec->preparer_sha256`
 *     or, without one, the subject `rec->preparer_subject`; with no record
 *     at all, the file must hold exactly one signature, taken as the
 *     preparer's (BR_EINPUT when not so);
 *  3. the approver's certificate chains to `trust_pem` (BR_EINPUT: an
 *     untrusted approver is refused here, not at release);
 *  4. the approver is not the same person as the preparer (BR_EFOUREYES);
 *  5. any further signature in the file is the approver's own certificate
 *     (an approve interrupted after writing, from before approvals were
 *     written beside the file): then `out->resumed` is set and nothing is
 *     signed again; a further signature by anyone else is BR_EINPUT;
 *  6. the file that results passes cms_verify_four_eyes with the preparer's
 *     and the approver's certificates as the record.
 * `rec->approver_*` are not used.  `out` gets the preparer and the
 * approver (whose fingerprint the caller records).  BR_ECONFIG for the key
 * as in cms_sign_file, and for a missing trust file.
 */
int cms_approve_file(struct cms_four_eyes *out, const char *data_path, const char *sig_path,
		     const char *out_path, const char *trust_pem, const char *key_path,
		     const char *passphrase, const struct cms_recorded *rec, struct br_error *err);

/*
 * The four-eyes check of release and verify: every signature in `sig_path`
 * holds over `data_path` and chains to `trust_pem` (as cms_verify_file);
 * there are exactly two (BR_EINPUT: "maar één handtekening ..." or "bevat N
 * handtekeningen"); they are two different people (BR_EFOUREYES, naming both
 * and why they count as one); and, as far as `rec` (may be NULL) recorded
 * them, they are the preparer's and the approver's recorded certificates
 * (BR_EINPUT, naming the recorded certificate that did not sign and who
 * did).  Fills `out` as described there.
 */
int cms_verify_four_eyes(struct cms_four_eyes *out, const char *data_path, const char *sig_path,
			 const char *trust_pem, const struct cms_recorded *rec, struct br_error *err);

/*
 * Verify every signature in `sig_path` over `data_path`, each signer's
 * certificate chaining to a CA in `trust_pem`.  Fills up to CMS_MAX_SIGNERS
 * signers in order.  BR_EINPUT with the reason in Dutch words ("het bestand
 * is na het ondertekenen gewijzigd: de digest past niet", "het certificaat
 * van CN=… is niet uitgegeven door een vertrouwde CA", "handtekeningbestand
 * … bestaat niet").
 * The order is the SignerInfos' order in the file, which DER sorts: it is
 * not the signing order (the caller knows who prepared from the ledger).
 * BR_EINPUT too for a structure payments.md does not allow: not detached,
 * a digest other than SHA-256, no signer or more than CMS_MAX_SIGNERS.
 * BR_ECONFIG: `trust_pem` missing or without a CA certificate.
 * `*n_signers` is 0 on failure.  No four-eyes rule here: that is
 * cms_verify_four_eyes.
 */
int cms_verify_file(const char *data_path, const char *sig_path, const char *trust_pem,
		    struct cms_signer *signers, size_t *n_signers, struct br_error *err);

#endif

/*
 * cms_sign.h — detached CMS (PKCS#7) signatures over payment files
 * (payments.md "Signatures"), with OpenSSL 3.
 *
 * The signature file FILE.p7s is DER, SignedData over the exact bytes of
 * FILE (detached, binary), digest SHA-256, each signer's certificate
 * included, verifiable with
 *   openssl cms -verify -binary -inform DER -in FILE.p7s -content FILE \
 *           -CAfile trust.pem -purpose any -out /dev/null
 * The preparer signs (cms_sign_file); the approver adds a second SignerInfo
 * to the same structure (cms_add_signer), which must be made by a
 * certificate with a different subject (four-eyes: BR_EFOUREYES).
 *
 * Keys: a PKCS#12 file, or a PEM file holding the private key and the
 * certificate.  The passphrase comes from $BETAALRUN_KEY_PASS or a file
 * descriptor (cms_read_passphrase), never from argv, and is never logged
 * or kept longer than needed (cleansed after use).
 */
#ifndef BR_CMS_SIGN_H
#define BR_CMS_SIGN_H

#include <stddef.h>

#include "error.h"

#define CMS_SUBJECT_MAX 512
#define CMS_MAX_SIGNERS 4
#define CMS_PASSPHRASE_MAX 1024  /* a buffer for cms_read_passphrase */

struct cms_signer {
	char subject[CMS_SUBJECT_MAX];  /* RFC 2253 one-line form */
	char fingerprint[65];           /* SHA-256 of the certificate, hex */
};

/* Passphrase from fd `pass_fd` (≥ 0: read up to a newline) or else from
 * $BETAALRUN_KEY_PASS; "" when neither.  BR_EIO on a read error.
 * Reads the fd a byte at a time (nothing after the newline is consumed), a
 * trailing CR is dropped, the fd is left open.  BR_ECONFIG when longer than
 * cap - 1 bytes.  The caller OPENSSL_cleanse()s `out` after use. */
int cms_read_passphrase(char *out, size_t cap, int pass_fd, struct br_error *err);

/* Sign `data_path` with the key in `key_path`; write `sig_path` (0600,
 * atomically).  Fills `who` with the signer.  BR_ECONFIG for an unreadable
 * key or wrong passphrase (said in words, the passphrase never shown).
 * Also BR_ECONFIG: a certificate not valid today or not matching the key,
 * a legacy-encrypted (RC2/DES) PKCS#12.  BR_ENOINPUT: no `data_path`.
 * `passphrase` NULL means "".  `who` may be NULL.  Further certificates in
 * the key file (intermediates) are included too.  An existing `sig_path` is
 * replaced.  The new DER is verified over the file before it is written. */
int cms_sign_file(const char *data_path, const char *sig_path, const char *key_path,
		  const char *passphrase, struct cms_signer *who, struct br_error *err);

/* Verify the existing signature first (BR_EINPUT when it does not hold),
 * then add a signer.  BR_EFOUREYES when the new certificate's subject
 * equals a subject already in the signature.
 * "Verify" here means every signature and the digest over `data_path`,
 * not the chains (there is no trust file here): cms_verify_file does that.
 * On any failure `sig_path` is left as it was. */
int cms_add_signer(const char *data_path, const char *sig_path, const char *key_path,
		   const char *passphrase, struct cms_signer *who, struct br_error *err);

/*
 * Verify every signature in `sig_path` over `data_path`, each signer's
 * certificate chaining to a CA in `trust_pem`.  Fills up to CMS_MAX_SIGNERS
 * signers in order.  BR_EINPUT with the reason in words ("the file was
 * changed after signing: the digest does not match", "certificate of
 * CN=… is not issued by a trusted CA", "no signature file").
 * The order is the SignerInfos' order in the file, which DER sorts: it is
 * not the signing order (the caller knows who prepared from the ledger).
 * BR_EINPUT too for a structure payments.md does not allow: not detached,
 * a digest other than SHA-256, no signer or more than CMS_MAX_SIGNERS.
 * BR_ECONFIG: `trust_pem` missing or without a CA certificate.
 * `*n_signers` is 0 on failure.
 */
int cms_verify_file(const char *data_path, const char *sig_path, const char *trust_pem,
		    struct cms_signer *signers, size_t *n_signers, struct br_error *err);

#endif

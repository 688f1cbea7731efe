/*
 * The on-premises Exchange certificate the admin supplies: the certificate
 * Exchange presents to Exchange Online as its client certificate and that
 * the hybrid connectors name (TlsCertificateName, TlsSenderCertificateName,
 * TlsDomain).
 *
 * onpremcert_load() reads a PEM file (certificate, optional key, optional
 * chain, in any order; an encrypted key with the password) or a PFX/PKCS#12
 * file. The private key stays in memory in struct onpremcert only: it is
 * never copied into the facts, and the password is never stored.
 */
#ifndef HTLS_ONPREMCERT_H
#define HTLS_ONPREMCERT_H

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "facts.h"

/* Plain data, safe for reports and captures: no key material in it. */
struct onpremcert_facts {
	char *source;		/* the file as given */
	char format[16];	/* "PEM", "PKCS12", "DER" */
	bool password_used;	/* the key or the PFX needed a password (never stored) */
	struct cert_facts leaf;
	struct cert_facts *chain;	/* the other certificates in the file, in file order */
	size_t nchain;
	bool key_present;	/* a private key was in the file */
	bool key_matches;	/* ... and it belongs to the leaf */
	/* Windows X.500 form, most specific first: "CN=mail.contoso.com, O=Contoso, C=US" */
	char *issuer_x500;
	char *subject_x500;
	/* "<I>" issuer_x500 "<S>" subject_x500, as Exchange builds TlsCertificateName */
	char *tls_certificate_name;

	/* Filled by onpremcert_check(). */
	bool checked;
	bool verified;		/* leaf + chain verified against the trust store */
	struct verify_error *verr;
	size_t nverr;
	char *trust_store;	/* "system" or the CA file */
	time_t checked_at;	/* the time the dates were judged at */
	/*
	 * The file's chain runs from the leaf to a certificate that a trusted
	 * root issued (or to the trusted root itself), so Exchange can send the
	 * full chain: Exchange Online does not fetch intermediates.
	 */
	bool chain_complete;
	/* When incomplete: the issuer (X.500 form) whose certificate is missing,
	 * "" when the path ends at a self-signed certificate that is not trusted. */
	char *chain_missing;
};

struct onpremcert {
	X509 *leaf;
	STACK_OF(X509) *chain;	/* the intermediates in the file, in order */
	EVP_PKEY *key;		/* NULL when the file had none */
	struct onpremcert_facts facts;
};

/*
 * Load path. password may be NULL (a PFX is then tried with the empty
 * password). On failure returns false with a message in err and *out zeroed.
 */
bool onpremcert_load(const char *path, const char *password, struct onpremcert *out,
    char *err, size_t errlen);

/*
 * Verify leaf + chain against the system store (ca_file NULL) or the PEM
 * bundle ca_file, at time at, and judge whether the chain is complete. Fills
 * the check fields of c->facts. Returns false (message in err) only when the
 * trust store cannot be loaded.
 */
bool onpremcert_check(struct onpremcert *c, const char *ca_file, time_t at,
    char *err, size_t errlen);
/* The same with a store the caller owns; label names it in the facts. */
bool onpremcert_check_store(struct onpremcert *c, X509_STORE *store, const char *label,
    time_t at);

/*
 * The TlsSenderCertificateName / TlsDomain check as Exchange matches it:
 * name against the subject CN and the DNS SANs, case-insensitive, trailing
 * dots ignored. A connector name "*.contoso.com" matches a certificate
 * name "mail.contoso.com" (one label only); a certificate name
 * "*.contoso.com" matches the name "mail.contoso.com" (one label only).
 */
bool onpremcert_name_matches(const struct onpremcert_facts *f, const char *name);

/*
 * Compare two TlsCertificateName strings ("<I>issuer<S>subject", or the
 * "[I]issuer[S]subject" form) as Exchange would: spaces around separators
 * and the letter case of attribute names (and of <I>/<S>) do not matter,
 * quoting styles are equivalent, values must be equal.
 */
bool onpremcert_tlscertname_equal(const char *a, const char *b);

/* Server and client authentication EKUs present, or no EKU extension at all. */
bool onpremcert_eku_ok(const struct onpremcert_facts *f);

/* Present the certificate, key and chain as the client certificate of ctx. */
bool onpremcert_attach(const struct onpremcert *c, SSL_CTX *ctx, char *err, size_t errlen);

/* Move the facts out of c (c->facts is left empty): they may outlive the key. */
void onpremcert_facts_take(struct onpremcert *c, struct onpremcert_facts *out);

void onpremcert_free(struct onpremcert *c);
void onpremcert_facts_free(struct onpremcert_facts *f);

#endif

/*
 * Certificate analysis: X.509 to facts, chain verification against a trust
 * store with every problem recorded, and the name check. No network.
 */
#ifndef HTLS_CERT_H
#define HTLS_CERT_H

#include <openssl/x509.h>
#include <stdbool.h>
#include <time.h>

#include "facts.h"

/* Fill *out from x (caller frees with cert_facts_free). Returns false when out of memory. */
bool cert_facts_from_x509(X509 *x, struct cert_facts *out);

/*
 * A trust store: the system's, or the PEM bundle at ca_file. Returns NULL and
 * sets *cause (caller frees) when the file cannot be loaded.
 */
X509_STORE *cert_store_new(const char *ca_file, char **cause);

/*
 * What cert_store_new(ca_file) trusts, in words for the report: the file, or
 * "system", or the SSL_CERT_FILE / SSL_CERT_DIR that OpenSSL takes from the
 * environment instead of the system store. Caller frees; NULL if out of memory.
 */
char *cert_store_label(const char *ca_file);

/*
 * Verify chain[0..n) (leaf first, as the server sent it) against store at
 * time at. Every error the verifier meets is recorded (up to 16) in *errs
 * (caller frees); returns true when the chain verified with none.
 */
bool cert_verify_chain(X509_STORE *store, X509 *const *chain, size_t n, time_t at,
    struct verify_error **errs, size_t *nerrs);

/* Does the leaf carry name (DNS name, wildcard allowed, or IP address)? */
bool cert_matches_name(X509 *leaf, const char *name);

/* RSA/DSA below 2048 bits, EC below 224 bits. */
bool cert_key_is_weak(const struct cert_facts *c);
/* MD5 or SHA-1 signatures (a self-signed root's own signature does not count). */
bool cert_sig_is_weak(const struct cert_facts *c);

#endif

/*
 * certgen: make keys and X.509 certificates in memory, for tests only.
 *
 * Used by mkcerts (the test PKI for the integration servers) and by the
 * unit tests of the certificate analysis. Every function returns NULL or
 * -1 on error and leaves the details on the OpenSSL error queue.
 */
#ifndef HYBRIDTLS_CERTGEN_H
#define HYBRIDTLS_CERTGEN_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

struct certgen_spec {
	const char		*cn;
	const char *const	*dns_sans;	/* NULL-terminated, may be NULL */
	long			 not_before_s;	/* offsets from now in seconds, */
	long			 not_after_s;	/* may be negative */
	int			 is_ca;
	const EVP_MD		*md;		/* NULL = sha256 */
	int			 server_eku;	/* serverAuth+clientAuth EKU,
						   digitalSignature and
						   keyEncipherment KU */
};

EVP_PKEY	*certgen_key_rsa(int bits);
EVP_PKEY	*certgen_key_ec(void);		/* P-256 */

/* issuer == NULL: self-signed with key. Otherwise signed by issuer_key. */
X509		*certgen_issue(const struct certgen_spec *spec, EVP_PKEY *key,
		    X509 *issuer, EVP_PKEY *issuer_key);

/* Unencrypted PEM files, mode 0644 whatever the umask. */
int		 certgen_write_pem(const char *path, X509 *const *certs,
		    size_t n);
int		 certgen_write_key(const char *path, EVP_PKEY *k);

#endif /* HYBRIDTLS_CERTGEN_H */

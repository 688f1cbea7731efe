/*
 * certgen: make keys and X.509 certificates in memory, for tests only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "certgen.h"

#define SERIAL_BYTES	16

EVP_PKEY *
certgen_key_rsa(int bits)
{
	/* Keep it bounded: the "bits" of EVP_RSA_gen is a size_t. */
	if (bits < 512 || bits > 16384)
		return NULL;
	return EVP_RSA_gen((unsigned int)bits);
}

EVP_PKEY *
certgen_key_ec(void)
{
	return EVP_EC_gen("P-256");
}

/* A random positive 128-bit serial, as public CAs use. */
static int
set_random_serial(X509 *x)
{
	unsigned char	 buf[SERIAL_BYTES];
	BIGNUM		*bn;
	int		 rc = -1;

	if (RAND_bytes(buf, sizeof buf) != 1)
		return -1;
	/* Positive (no sign bit in DER) and never shorter than 16 bytes. */
	buf[0] = (buf[0] & 0x7f) | 0x40;
	if ((bn = BN_bin2bn(buf, sizeof buf, NULL)) == NULL)
		return -1;
	if (BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) != NULL)
		rc = 0;
	BN_free(bn);
	return rc;
}

static int
add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION	*ext;
	int		 ok;

	if ((ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value)) == NULL)
		return -1;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? 0 : -1;
}

/* Built as a GENERAL_NAMES, not as config text, so any name is safe. */
static int
add_sans(X509 *x, const char *const *names)
{
	GENERAL_NAMES	*gens;
	GENERAL_NAME	*gn;
	ASN1_IA5STRING	*ia5;
	int		 rc = -1;

	if ((gens = GENERAL_NAMES_new()) == NULL)
		return -1;
	for (; *names != NULL; names++) {
		gn = GENERAL_NAME_new();
		ia5 = ASN1_IA5STRING_new();
		if (gn == NULL || ia5 == NULL ||
		    !ASN1_STRING_set(ia5, *names, -1)) {
			GENERAL_NAME_free(gn);
			ASN1_IA5STRING_free(ia5);
			goto out;
		}
		GENERAL_NAME_set0_value(gn, GEN_DNS, ia5);
		if (sk_GENERAL_NAME_push(gens, gn) <= 0) {
			GENERAL_NAME_free(gn);
			goto out;
		}
	}
	if (X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0,
	    X509V3_ADD_DEFAULT) == 1)
		rc = 0;
out:
	GENERAL_NAMES_free(gens);
	return rc;
}

X509 *
certgen_issue(const struct certgen_spec *spec, EVP_PKEY *key, X509 *issuer,
    EVP_PKEY *issuer_key)
{
	X509		*x;
	X509_NAME	*name = NULL;
	X509V3_CTX	 ctx;
	EVP_PKEY	*sign_key;
	const EVP_MD	*md;
	const char	*ku;

	if (spec == NULL || spec->cn == NULL || key == NULL)
		return NULL;
	if (issuer != NULL && issuer_key == NULL)
		return NULL;
	sign_key = issuer != NULL ? issuer_key : key;
	md = spec->md != NULL ? spec->md : EVP_sha256();

	if ((x = X509_new()) == NULL)
		return NULL;
	if (!X509_set_version(x, X509_VERSION_3) || set_random_serial(x) != 0)
		goto fail;
	if (X509_gmtime_adj(X509_getm_notBefore(x), spec->not_before_s) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), spec->not_after_s) == NULL)
		goto fail;

	if ((name = X509_NAME_new()) == NULL ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)spec->cn, -1, -1, 0) ||
	    !X509_set_subject_name(x, name))
		goto fail;
	if (!X509_set_issuer_name(x,
	    issuer != NULL ? X509_get_subject_name(issuer) : name))
		goto fail;
	if (!X509_set_pubkey(x, key))
		goto fail;

	/* A self-signed certificate is its own issuer for the key ids. */
	X509V3_set_ctx(&ctx, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
	if (!X509V3_set_issuer_pkey(&ctx, sign_key))
		goto fail;
	if (add_ext(x, &ctx, NID_basic_constraints,
	    spec->is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE") != 0)
		goto fail;
	/* One keyUsage extension, even for a CA that is also a server. */
	ku = NULL;
	if (spec->is_ca && spec->server_eku)
		ku = "critical,digitalSignature,keyEncipherment,keyCertSign,"
		    "cRLSign";
	else if (spec->is_ca)
		ku = "critical,keyCertSign,cRLSign";
	else if (spec->server_eku)
		ku = "critical,digitalSignature,keyEncipherment";
	if (ku != NULL && add_ext(x, &ctx, NID_key_usage, ku) != 0)
		goto fail;
	if (spec->server_eku && add_ext(x, &ctx, NID_ext_key_usage,
	    "serverAuth,clientAuth") != 0)
		goto fail;
	/* The subject key id first: the authority key id may copy it. */
	if (add_ext(x, &ctx, NID_subject_key_identifier, "hash") != 0 ||
	    add_ext(x, &ctx, NID_authority_key_identifier,
	    "keyid:always") != 0)
		goto fail;
	if (spec->dns_sans != NULL && spec->dns_sans[0] != NULL &&
	    add_sans(x, spec->dns_sans) != 0)
		goto fail;

	if (X509_sign(x, sign_key, md) <= 0)
		goto fail;
	X509_NAME_free(name);
	return x;
fail:
	X509_NAME_free(name);
	X509_free(x);
	return NULL;
}

/* Created or truncated with mode 0644 whatever the umask: exim must read. */
static FILE *
open_0644(const char *path)
{
	FILE	*fp;
	int	 fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1) {
		ERR_raise_data(ERR_LIB_SYS, errno, "open %s", path);
		return NULL;
	}
	if (fchmod(fd, 0644) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		ERR_raise_data(ERR_LIB_SYS, errno, "fchmod/fdopen %s", path);
		close(fd);
		return NULL;
	}
	return fp;
}

/* Closes fp; on any error removes the half-written file. */
static int
close_checked(FILE *fp, const char *path, int ok)
{
	if (fflush(fp) != 0 || ferror(fp))
		ok = 0;
	if (fclose(fp) != 0)
		ok = 0;
	if (!ok) {
		ERR_raise_data(ERR_LIB_SYS, errno, "write %s", path);
		unlink(path);
		return -1;
	}
	return 0;
}

int
certgen_write_pem(const char *path, X509 *const *certs, size_t n)
{
	FILE	*fp;
	size_t	 i;
	int	 ok = 1;

	if (path == NULL || (certs == NULL && n > 0))
		return -1;
	if ((fp = open_0644(path)) == NULL)
		return -1;
	for (i = 0; i < n && ok; i++) {
		if (certs[i] == NULL || !PEM_write_X509(fp, certs[i]))
			ok = 0;
	}
	return close_checked(fp, path, ok);
}

int
certgen_write_key(const char *path, EVP_PKEY *k)
{
	FILE	*fp;
	int	 ok;

	if (path == NULL || k == NULL)
		return -1;
	if ((fp = open_0644(path)) == NULL)
		return -1;
	ok = PEM_write_PrivateKey(fp, k, NULL, NULL, 0, NULL, NULL);
	return close_checked(fp, path, ok);
}

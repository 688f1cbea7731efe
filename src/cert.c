#include "config.h"

#include <arpa/inet.h>
#include <limits.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cert.h"
#include "textutil.h"

#define MAX_VERIFY_ERRORS 16

static char *name_oneline(const X509_NAME *n)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *s = NULL, *data;
	long len;

	if (b == NULL)
		return NULL;
	if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253) >= 0) {
		len = BIO_get_mem_data(b, &data);
		s = strndup(data, (size_t)len);
	}
	BIO_free(b);
	return s;
}

static char *common_name(const X509_NAME *n)
{
	int i = X509_NAME_get_index_by_NID(n, NID_commonName, -1);
	const ASN1_STRING *d;
	unsigned char *utf8 = NULL;
	int len;
	char *s;

	if (i < 0)
		return strdup("");
	d = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i));
	if ((len = ASN1_STRING_to_UTF8(&utf8, d)) < 0)
		return strdup("");
	/* A certificate's text is outside input too. */
	s = text_escape((char *)utf8, (size_t)len);
	OPENSSL_free(utf8);
	return s;
}

static time_t asn1_to_time(const ASN1_TIME *t)
{
	struct tm tm;

	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return 0;
	return timegm(&tm);
}

static bool add_san(struct cert_facts *c, const char *prefix, const char *v, size_t len)
{
	char **nv = realloc(c->san, (c->nsan + 1) * sizeof *nv);
	char *s;

	if (nv == NULL)
		return false;
	c->san = nv;
	char *safe = text_escape(v, len);

	if (safe == NULL)
		return false;
	if (asprintf(&s, "%s:%s", prefix, safe) < 0) {
		free(safe);
		return false;
	}
	free(safe);
	c->san[c->nsan++] = s;
	return true;
}

static bool collect_sans(X509 *x, struct cert_facts *c)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	bool ok = true;

	if (gens == NULL)
		return true;
	for (int i = 0; ok && i < sk_GENERAL_NAME_num(gens) && i < 256; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);

		if (g->type == GEN_DNS) {
			ok = add_san(c, "DNS", (const char *)ASN1_STRING_get0_data(g->d.dNSName),
			    (size_t)ASN1_STRING_length(g->d.dNSName));
		} else if (g->type == GEN_IPADD) {
			char buf[INET6_ADDRSTRLEN];
			int len = ASN1_STRING_length(g->d.iPAddress);
			const unsigned char *p = ASN1_STRING_get0_data(g->d.iPAddress);

			if ((len == 4 && inet_ntop(AF_INET, p, buf, sizeof buf)) ||
			    (len == 16 && inet_ntop(AF_INET6, p, buf, sizeof buf)))
				ok = add_san(c, "IP", buf, strlen(buf));
		}
	}
	GENERAL_NAMES_free(gens);
	return ok;
}

/* The printed form of an extension ("Digital Signature, Key Encipherment"). */
static char *ext_text(X509 *x, int nid)
{
	int i = X509_get_ext_by_NID(x, nid, -1);
	BIO *b;
	char *s = NULL, *data;
	long len;

	if (i < 0)
		return strdup("");
	if ((b = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (X509V3_EXT_print(b, X509_get_ext(x, i), 0, 0) == 1) {
		len = BIO_get_mem_data(b, &data);
		s = strndup(data, (size_t)len);
	} else
		s = strdup("");
	BIO_free(b);
	return s;
}

bool cert_facts_from_x509(X509 *x, struct cert_facts *c)
{
	EVP_PKEY *pk = X509_get0_pubkey(x);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int signid = NID_undef;

	memset(c, 0, sizeof *c);
	c->subject = name_oneline(X509_get_subject_name(x));
	c->issuer = name_oneline(X509_get_issuer_name(x));
	c->common_name = common_name(X509_get_subject_name(x));
	c->not_before = asn1_to_time(X509_get0_notBefore(x));
	c->not_after = asn1_to_time(X509_get0_notAfter(x));
	c->key_usage = ext_text(x, NID_key_usage);
	c->ext_key_usage = ext_text(x, NID_ext_key_usage);
	if (c->subject == NULL || c->issuer == NULL || c->common_name == NULL ||
	    c->key_usage == NULL || c->ext_key_usage == NULL || !collect_sans(x, c)) {
		cert_facts_free(c);
		return false;
	}
	if (pk != NULL) {
		const char *t = OBJ_nid2sn(EVP_PKEY_get_base_id(pk));

		snprintf(c->key_type, sizeof c->key_type, "%s",
		    EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA ? "RSA" :
		    EVP_PKEY_get_base_id(pk) == EVP_PKEY_EC ? "EC" :
		    EVP_PKEY_get_base_id(pk) == EVP_PKEY_DSA ? "DSA" : (t ? t : "?"));
		c->key_bits = EVP_PKEY_get_bits(pk);
	}
	signid = X509_get_signature_nid(x);
	snprintf(c->sig_alg, sizeof c->sig_alg, "%s",
	    signid != NID_undef ? OBJ_nid2ln(signid) : "unknown");
	c->is_ca = X509_check_ca(x) > 0;
	c->self_issued = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
	{
		unsigned char *der = NULL;
		int len = i2d_X509(x, &der);

		if (len > 0) {
			c->der = malloc((size_t)len);
			if (c->der != NULL) {
				memcpy(c->der, der, (size_t)len);
				c->derlen = (size_t)len;
			}
			OPENSSL_free(der);
		}
		der = NULL;
		/* The SubjectPublicKeyInfo as the certificate carries it (what DANE's
		 * selector 1 hashes), also for a key type OpenSSL cannot load; and
		 * without OpenSSL 3's key encoders, a tenth of loading a certificate. */
		if ((len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der)) > 0) {
			c->spki = malloc((size_t)len);
			if (c->spki != NULL) {
				memcpy(c->spki, der, (size_t)len);
				c->spkilen = (size_t)len;
			}
			OPENSSL_free(der);
		}
	}
	if (X509_digest(x, EVP_sha256(), md, &mdlen) == 1) {
		char *o = c->sha256;

		for (unsigned int i = 0; i < mdlen && (size_t)(o - c->sha256) + 4 <= sizeof c->sha256; i++)
			o += sprintf(o, i ? ":%02X" : "%02X", md[i]);
	}
	return true;
}

X509_STORE *cert_store_new(const char *ca_file, char **cause)
{
	X509_STORE *st = X509_STORE_new();

	*cause = NULL;
	if (st == NULL) {
		*cause = strdup("out of memory");
		return NULL;
	}
	if (ca_file != NULL) {
		if (X509_STORE_load_file(st, ca_file) != 1) {
			unsigned long e = ERR_get_error();

			if (asprintf(cause, "cannot load the CA file '%s': %s", ca_file,
			    e ? ERR_reason_error_string(e) : "no certificates in it") < 0)
				*cause = NULL;
			ERR_clear_error();
			X509_STORE_free(st);
			return NULL;
		}
	} else if (X509_STORE_set_default_paths(st) != 1) {
		*cause = strdup("cannot load the system trust store");
		ERR_clear_error();
		X509_STORE_free(st);
		return NULL;
	}
	return st;
}

/* Do the two paths name the same file or directory (after symlinks)? */
static bool same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	if (realpath(a, ra) == NULL || realpath(b, rb) == NULL)
		return strcmp(a, b) == 0;
	return strcmp(ra, rb) == 0;
}

char *cert_store_label(const char *ca_file)
{
	const char *fenv = X509_get_default_cert_file_env(), *denv = X509_get_default_cert_dir_env();
	const char *f = getenv(fenv), *d = getenv(denv);
	char *label;
	int n;

	if (ca_file != NULL)
		return strdup(ca_file);
	/* Set to what OpenSSL would use anyway (a symlink of it), they change nothing. */
	f = f != NULL && *f != '\0' && !same_file(f, X509_get_default_cert_file()) ? f : NULL;
	d = d != NULL && *d != '\0' && !same_file(d, X509_get_default_cert_dir()) ? d : NULL;
	if (f == NULL && d == NULL)
		return strdup("system");
	/* X509_STORE_set_default_paths reads these instead: the report must say so. */
	n = asprintf(&label, "the environment's %s%s%s%s%s%s%s instead of the system store",
	    f ? fenv : "", f ? "=" : "", f ? f : "", f && d ? " and " : "",
	    d ? denv : "", d ? "=" : "", d ? d : "");
	return n < 0 ? NULL : label;
}

struct verify_log {
	struct verify_error *v;
	size_t n;
};

static int verify_ex_index = -1;

/* Record every error and carry on, so one run shows all of a chain's problems. */
static int verify_cb(int ok, X509_STORE_CTX *ctx)
{
	struct verify_log *log = X509_STORE_CTX_get_ex_data(ctx, verify_ex_index);
	int err = X509_STORE_CTX_get_error(ctx), depth = X509_STORE_CTX_get_error_depth(ctx);

	if (ok || log == NULL)
		return 1;
	for (size_t i = 0; i < log->n; i++)
		if (log->v[i].code == err && log->v[i].depth == depth)
			return 1;
	if (log->n < MAX_VERIFY_ERRORS) {
		struct verify_error *e = &log->v[log->n++];

		e->code = err;
		e->depth = depth;
		snprintf(e->text, sizeof e->text, "%s", X509_verify_cert_error_string(err));
	}
	return 1;
}

bool cert_verify_chain(X509_STORE *store, X509 *const *chain, size_t n, time_t at,
    struct verify_error **errs, size_t *nerrs)
{
	X509_STORE_CTX *ctx = NULL;
	STACK_OF(X509) *untrusted = NULL;
	struct verify_log log = { NULL, 0 };
	bool ok = false;

	*errs = NULL;
	*nerrs = 0;
	if (n == 0)
		return false;
	if (verify_ex_index < 0)
		verify_ex_index = X509_STORE_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	if ((log.v = calloc(MAX_VERIFY_ERRORS, sizeof *log.v)) == NULL ||
	    (ctx = X509_STORE_CTX_new()) == NULL || (untrusted = sk_X509_new_null()) == NULL)
		goto out;
	for (size_t i = 1; i < n; i++)
		sk_X509_push(untrusted, chain[i]);
	if (X509_STORE_CTX_init(ctx, store, chain[0], untrusted) != 1)
		goto out;
	X509_STORE_CTX_set_ex_data(ctx, verify_ex_index, &log);
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	X509_STORE_CTX_set_time(ctx, 0, at);
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
	ok = X509_verify_cert(ctx) == 1 && log.n == 0;
out:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	if (log.n == 0) {
		free(log.v);
		log.v = NULL;
	}
	*errs = log.v;
	*nerrs = log.n;
	return ok;
}

bool cert_matches_name(X509 *leaf, const char *name)
{
	unsigned char buf[16];

	if (inet_pton(AF_INET, name, buf) == 1 || inet_pton(AF_INET6, name, buf) == 1)
		return X509_check_ip_asc(leaf, name, 0) == 1;
	return X509_check_host(leaf, name, 0, 0, NULL) == 1;
}

bool cert_key_is_weak(const struct cert_facts *c)
{
	if (strcmp(c->key_type, "RSA") == 0 || strcmp(c->key_type, "DSA") == 0)
		return c->key_bits > 0 && c->key_bits < 2048;
	if (strcmp(c->key_type, "EC") == 0)
		return c->key_bits > 0 && c->key_bits < 224;
	return false;
}

bool cert_sig_is_weak(const struct cert_facts *c)
{
	/* A root is trusted for itself; its own signature is never checked. */
	if (c->self_issued && c->is_ca)
		return false;
	return strncasecmp(c->sig_alg, "sha1", 4) == 0 || strncasecmp(c->sig_alg, "md5", 3) == 0 ||
	    strstr(c->sig_alg, "SHA1") != NULL || strstr(c->sig_alg, "MD5") != NULL;
}

/* Unit tests: certificate facts, trust stores, chain verification, names, strength. */
#include "config.h"

#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cert.h"
#include "certgen.h"

#define DAY 86400L

/* A test PKI: root CA -> intermediate CA, the root in a PEM file. EC keys: fast. */
static EVP_PKEY *root_key, *inter_key;
static X509 *root, *inter;
static char tmpdir[64], root_pem[128];

static X509 *issue(const char *cn, const char *const *sans, long nb, long na, int ca,
    const EVP_MD *md, EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key)
{
	struct certgen_spec spec = {
		.cn = cn, .dns_sans = sans, .not_before_s = nb, .not_after_s = na,
		.is_ca = ca, .md = md, .server_eku = !ca,
	};
	X509 *x = certgen_issue(&spec, key, issuer, issuer_key);

	cr_assert_not_null(x, "certgen_issue(%s) failed", cn);
	return x;
}

static EVP_PKEY *ec_key(void)
{
	EVP_PKEY *k = certgen_key_ec();

	cr_assert_not_null(k);
	return k;
}

static EVP_PKEY *rsa_key(int bits)
{
	EVP_PKEY *k = certgen_key_rsa(bits);

	cr_assert_not_null(k, "RSA %d key", bits);
	return k;
}

static void pki_setup(void)
{
	root_key = ec_key();
	inter_key = ec_key();
	root = issue("Test Root CA", NULL, -365 * DAY, 3650 * DAY, 1, NULL, root_key, NULL, NULL);
	inter = issue("Test Intermediate CA", NULL, -365 * DAY, 1825 * DAY, 1, NULL, inter_key,
	    root, root_key);
	strcpy(tmpdir, "/tmp/htls-test-cert-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
	snprintf(root_pem, sizeof root_pem, "%s/root.pem", tmpdir);
	cr_assert_eq(certgen_write_pem(root_pem, &root, 1), 0);
}

static void pki_teardown(void)
{
	unlink(root_pem);
	rmdir(tmpdir);
	X509_free(inter);
	X509_free(root);
	EVP_PKEY_free(inter_key);
	EVP_PKEY_free(root_key);
}

static X509_STORE *root_store(void)
{
	char *cause = (char *)"not set";
	X509_STORE *st = cert_store_new(root_pem, &cause);

	cr_assert_not_null(st, "cert_store_new: %s", cause ? cause : "(no cause)");
	cr_assert_null(cause);
	return st;
}

static bool has_error(const struct verify_error *e, size_t n, int code, int depth)
{
	for (size_t i = 0; i < n; i++)
		if (e[i].code == code && (depth < 0 || e[i].depth == depth))
			return true;
	return false;
}

static void dump_errors(const struct verify_error *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cr_log_info("verify error %d at depth %d: %s", e[i].code, e[i].depth, e[i].text);
}

/* ---- cert_facts_from_x509 ---- */

TestSuite(cert_facts, .init = pki_setup, .fini = pki_teardown);

Test(cert_facts, rsa_leaf)
{
	static const char *const sans[] = { "mail.test", NULL };
	EVP_PKEY *k = rsa_key(2048);
	time_t now = time(NULL);
	X509 *leaf = issue("mail.test", sans, -3600, 90 * DAY, 0, NULL, k, inter, inter_key);
	struct cert_facts c;

	cr_assert(cert_facts_from_x509(leaf, &c));
	cr_assert_str_eq(c.subject, "CN=mail.test");
	cr_assert_str_eq(c.issuer, "CN=Test Intermediate CA");
	cr_assert_str_eq(c.common_name, "mail.test");
	cr_assert_eq(c.nsan, 1);
	cr_assert_str_eq(c.san[0], "DNS:mail.test");
	cr_assert_str_eq(c.key_type, "RSA");
	cr_assert_eq(c.key_bits, 2048);
	cr_assert_not_null(strcasestr(c.sig_alg, "sha256"), "sig_alg '%s'", c.sig_alg);
	cr_assert_not(c.is_ca);
	cr_assert_not(c.self_issued);
	cr_assert_str_eq(c.key_usage, "Digital Signature, Key Encipherment");
	cr_assert_not_null(strstr(c.ext_key_usage, "TLS Web Server Authentication"),
	    "ext_key_usage '%s'", c.ext_key_usage);
	cr_assert_leq(labs((long)(c.not_before - (now - 3600))), 5);
	cr_assert_leq(labs((long)(c.not_after - (now + 90 * DAY))), 5);
	cert_facts_free(&c);
	cr_assert_null(c.subject);
	X509_free(leaf);
	EVP_PKEY_free(k);
}

Test(cert_facts, rsa_signature_algorithm)
{
	EVP_PKEY *ca_key = rsa_key(2048), *k = ec_key();
	X509 *ca = issue("RSA CA", NULL, -DAY, DAY, 1, NULL, ca_key, NULL, NULL);
	X509 *leaf = issue("mail.test", NULL, -DAY, DAY, 0, NULL, k, ca, ca_key);
	struct cert_facts c;

	cr_assert(cert_facts_from_x509(leaf, &c));
	cr_assert_str_eq(c.sig_alg, "sha256WithRSAEncryption");
	cr_assert_str_eq(c.key_type, "EC");
	cr_assert_eq(c.key_bits, 256);
	cert_facts_free(&c);
	X509_free(leaf);
	X509_free(ca);
	EVP_PKEY_free(k);
	EVP_PKEY_free(ca_key);
}

Test(cert_facts, ec_root_ca)
{
	struct cert_facts c;

	cr_assert(cert_facts_from_x509(root, &c));
	cr_assert_str_eq(c.subject, "CN=Test Root CA");
	cr_assert_str_eq(c.issuer, "CN=Test Root CA");
	cr_assert_str_eq(c.key_type, "EC");
	cr_assert_eq(c.key_bits, 256);
	cr_assert_not_null(strcasestr(c.sig_alg, "sha256"), "sig_alg '%s'", c.sig_alg);
	cr_assert(c.is_ca);
	cr_assert(c.self_issued);
	cr_assert_eq(c.nsan, 0);
	cr_assert_null(c.san);
	cr_assert_str_eq(c.key_usage, "Certificate Sign, CRL Sign");
	cr_assert_str_eq(c.ext_key_usage, "");
	cert_facts_free(&c);
}

Test(cert_facts, intermediate_is_ca_not_self_issued)
{
	struct cert_facts c;

	cr_assert(cert_facts_from_x509(inter, &c));
	cr_assert(c.is_ca);
	cr_assert_not(c.self_issued);
	cr_assert_str_eq(c.issuer, "CN=Test Root CA");
	cert_facts_free(&c);
}

Test(cert_facts, several_sans_in_order)
{
	static const char *const sans[] = {
		"mail.contoso.com", "autodiscover.contoso.com", "*.contoso.com", NULL,
	};
	EVP_PKEY *k = ec_key();
	X509 *leaf = issue("mail.contoso.com", sans, -DAY, DAY, 0, NULL, k, inter, inter_key);
	struct cert_facts c;

	cr_assert(cert_facts_from_x509(leaf, &c));
	cr_assert_eq(c.nsan, 3);
	cr_assert_str_eq(c.san[0], "DNS:mail.contoso.com");
	cr_assert_str_eq(c.san[1], "DNS:autodiscover.contoso.com");
	cr_assert_str_eq(c.san[2], "DNS:*.contoso.com");
	cert_facts_free(&c);
	X509_free(leaf);
	EVP_PKEY_free(k);
}

Test(cert_facts, sha256_fingerprint)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char want[96], *o = want;
	struct cert_facts c;

	cr_assert(cert_facts_from_x509(root, &c));
	/* 32 pairs of upper-case hex digits joined by colons. */
	cr_assert_eq(strlen(c.sha256), 32 * 3 - 1, "'%s'", c.sha256);
	for (size_t i = 0; i < 32 * 3 - 1; i++) {
		if (i % 3 == 2)
			cr_assert_eq(c.sha256[i], ':', "'%s' at %zu", c.sha256, i);
		else
			cr_assert(strchr("0123456789ABCDEF", c.sha256[i]) != NULL && c.sha256[i] != '\0',
			    "'%s' at %zu", c.sha256, i);
	}
	cr_assert_eq(X509_digest(root, EVP_sha256(), md, &mdlen), 1);
	cr_assert_eq(mdlen, 32);
	for (unsigned int i = 0; i < mdlen; i++)
		o += sprintf(o, i ? ":%02X" : "%02X", md[i]);
	cr_assert_str_eq(c.sha256, want);
	cert_facts_free(&c);
}

/* The SPKI is the certificate's SubjectPublicKeyInfo byte for byte (DANE
 * selector 1 hashes it), for RSA and EC keys alike. */
Test(cert_facts, spki_is_the_certificates_public_key_info)
{
	EVP_PKEY *rsa = rsa_key(2048);
	X509 *leaf = issue("mail.test", NULL, -3600, 90 * DAY, 0, NULL, rsa, inter, inter_key);
	X509 *certs[] = { root, inter, leaf };

	for (size_t k = 0; k < 3; k++) {
		struct cert_facts c;
		unsigned char *want = NULL;
		int len = i2d_PUBKEY(X509_get0_pubkey(certs[k]), &want);

		cr_assert_gt(len, 0);
		cr_assert(cert_facts_from_x509(certs[k], &c));
		cr_assert_eq(c.spkilen, (size_t)len, "%zu bytes, expected %d", c.spkilen, len);
		cr_assert_eq(memcmp(c.spki, want, (size_t)len), 0);
		OPENSSL_free(want);
		cert_facts_free(&c);
	}
	X509_free(leaf);
	EVP_PKEY_free(rsa);
}

/* ---- cert_store_new ---- */

TestSuite(cert_store, .init = pki_setup, .fini = pki_teardown);

Test(cert_store, loads_pem_file)
{
	X509_STORE *st = root_store();

	X509_STORE_free(st);
}

Test(cert_store, missing_file)
{
	char path[200], *cause = NULL;
	X509_STORE *st;

	snprintf(path, sizeof path, "%s/no-such-file.pem", tmpdir);
	st = cert_store_new(path, &cause);
	cr_assert_null(st);
	cr_assert_not_null(cause);
	cr_assert_not_null(strstr(cause, path), "cause '%s' does not name the file", cause);
	free(cause);
}

Test(cert_store, file_without_certificates)
{
	char path[200], *cause = NULL;
	X509_STORE *st;
	FILE *fp;

	snprintf(path, sizeof path, "%s/empty.pem", tmpdir);
	cr_assert_not_null(fp = fopen(path, "w"));
	fputs("this is not a certificate\n", fp);
	fclose(fp);
	st = cert_store_new(path, &cause);
	unlink(path);
	cr_assert_null(st);
	cr_assert_not_null(cause);
	cr_assert_not_null(strstr(cause, path), "cause '%s' does not name the file", cause);
	free(cause);
}

Test(cert_store, system_store)
{
	char *cause = (char *)"not set";
	X509_STORE *st = cert_store_new(NULL, &cause);

	cr_assert_not_null(st, "system store: %s", cause ? cause : "(no cause)");
	cr_assert_null(cause);
	X509_STORE_free(st);
}

/* ---- cert_verify_chain ---- */

TestSuite(cert_verify, .init = pki_setup, .fini = pki_teardown);

static X509 *leaf_of(EVP_PKEY *k, long nb, long na)
{
	static const char *const sans[] = { "mail.test", NULL };

	return issue("mail.test", sans, nb, na, 0, NULL, k, inter, inter_key);
}

Test(cert_verify, good_chain)
{
	EVP_PKEY *k = ec_key();
	X509 *leaf = leaf_of(k, -3600, 90 * DAY);
	X509 *chain[] = { leaf, inter };
	X509_STORE *st = root_store();
	struct verify_error *e = (struct verify_error *)1;
	size_t n = 99;

	cr_assert(cert_verify_chain(st, chain, 2, time(NULL), &e, &n));
	dump_errors(e, n);
	cr_assert_eq(n, 0);
	cr_assert_null(e);
	X509_STORE_free(st);
	X509_free(leaf);
	EVP_PKEY_free(k);
}

Test(cert_verify, leaf_without_intermediate)
{
	EVP_PKEY *k = ec_key();
	X509 *leaf = leaf_of(k, -3600, 90 * DAY);
	X509_STORE *st = root_store();
	struct verify_error *e;
	size_t n;

	cr_assert_not(cert_verify_chain(st, &leaf, 1, time(NULL), &e, &n));
	dump_errors(e, n);
	cr_assert_gt(n, 0);
	cr_assert(has_error(e, n, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, 0) ||
	    has_error(e, n, X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, 0));
	cr_assert_neq(e[0].text[0], '\0');
	free(e);
	X509_STORE_free(st);
	X509_free(leaf);
	EVP_PKEY_free(k);
}

Test(cert_verify, expired_leaf)
{
	EVP_PKEY *k = ec_key();
	X509 *leaf = leaf_of(k, -60 * DAY, -DAY);
	X509 *chain[] = { leaf, inter };
	X509_STORE *st = root_store();
	struct verify_error *e;
	size_t n;

	cr_assert_not(cert_verify_chain(st, chain, 2, time(NULL), &e, &n));
	dump_errors(e, n);
	cr_assert(has_error(e, n, X509_V_ERR_CERT_HAS_EXPIRED, 0));
	free(e);
	X509_STORE_free(st);
	X509_free(leaf);
	EVP_PKEY_free(k);
}

Test(cert_verify, judged_at_the_time_given)
{
	EVP_PKEY *k = ec_key();
	X509 *leaf = leaf_of(k, -3600, 90 * DAY);
	X509 *chain[] = { leaf, inter };
	X509_STORE *st = root_store();
	struct verify_error *e;
	size_t n;

	/* A day before notBefore: not yet valid. */
	cr_assert_not(cert_verify_chain(st, chain, 2, time(NULL) - DAY, &e, &n));
	dump_errors(e, n);
	cr_assert(has_error(e, n, X509_V_ERR_CERT_NOT_YET_VALID, 0));
	free(e);
	/* A year on: expired. */
	cr_assert_not(cert_verify_chain(st, chain, 2, time(NULL) + 365 * DAY, &e, &n));
	cr_assert(has_error(e, n, X509_V_ERR_CERT_HAS_EXPIRED, 0));
	free(e);
	X509_STORE_free(st);
	X509_free(leaf);
	EVP_PKEY_free(k);
}

Test(cert_verify, self_signed_leaf)
{
	static const char *const sans[] = { "mail.test", NULL };
	EVP_PKEY *k = ec_key();
	X509 *leaf = issue("mail.test", sans, -3600, 90 * DAY, 0, NULL, k, NULL, NULL);
	X509_STORE *st = root_store();
	struct verify_error *e;
	size_t n;

	cr_assert_not(cert_verify_chain(st, &leaf, 1, time(NULL), &e, &n));
	dump_errors(e, n);
	cr_assert(has_error(e, n, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, 0));
	free(e);
	X509_STORE_free(st);
	X509_free(leaf);
	EVP_PKEY_free(k);
}

Test(cert_verify, untrusted_root_sent_whole)
{
	EVP_PKEY *k2 = ec_key(), *i2 = ec_key(), *lk = ec_key();
	X509 *root2 = issue("Other Root CA", NULL, -365 * DAY, 3650 * DAY, 1, NULL, k2, NULL, NULL);
	X509 *inter2 = issue("Other Intermediate CA", NULL, -365 * DAY, 1825 * DAY, 1, NULL, i2,
	    root2, k2);
	X509 *leaf = issue("mail.test", NULL, -3600, 90 * DAY, 0, NULL, lk, inter2, i2);
	X509 *chain[] = { leaf, inter2, root2 };
	X509_STORE *st = root_store();
	struct verify_error *e;
	size_t n;

	cr_assert_not(cert_verify_chain(st, chain, 3, time(NULL), &e, &n));
	dump_errors(e, n);
	cr_assert(has_error(e, n, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, -1));
	free(e);
	X509_STORE_free(st);
	X509_free(leaf);
	X509_free(inter2);
	X509_free(root2);
	EVP_PKEY_free(lk);
	EVP_PKEY_free(i2);
	EVP_PKEY_free(k2);
}

Test(cert_verify, empty_chain)
{
	X509_STORE *st = root_store();
	struct verify_error *e = (struct verify_error *)1;
	size_t n = 99;

	cr_assert_not(cert_verify_chain(st, NULL, 0, time(NULL), &e, &n));
	cr_assert_null(e);
	cr_assert_eq(n, 0);
	X509_STORE_free(st);
}

/* ---- cert_matches_name ---- */

TestSuite(cert_name, .init = pki_setup, .fini = pki_teardown);

Test(cert_name, exact)
{
	static const char *const sans[] = { "mail.test", "autodiscover.test", NULL };
	EVP_PKEY *k = ec_key();
	X509 *leaf = issue("mail.test", sans, -DAY, DAY, 0, NULL, k, inter, inter_key);

	cr_assert(cert_matches_name(leaf, "mail.test"));
	cr_assert(cert_matches_name(leaf, "autodiscover.test"));
	cr_assert(cert_matches_name(leaf, "MAIL.Test"));
	cr_assert_not(cert_matches_name(leaf, "other.test"));
	cr_assert_not(cert_matches_name(leaf, "mail.test.evil"));
	cr_assert_not(cert_matches_name(leaf, "x.mail.test"));
	X509_free(leaf);
	EVP_PKEY_free(k);
}

Test(cert_name, wildcard)
{
	static const char *const sans[] = { "*.contoso.com", NULL };
	EVP_PKEY *k = ec_key();
	X509 *leaf = issue("*.contoso.com", sans, -DAY, DAY, 0, NULL, k, inter, inter_key);

	cr_assert(cert_matches_name(leaf, "mail.contoso.com"));
	cr_assert(cert_matches_name(leaf, "autodiscover.contoso.com"));
	cr_assert_not(cert_matches_name(leaf, "a.b.contoso.com"));
	cr_assert_not(cert_matches_name(leaf, "contoso.com"));
	cr_assert_not(cert_matches_name(leaf, "mail.fabrikam.com"));
	X509_free(leaf);
	EVP_PKEY_free(k);
}

Test(cert_name, cn_is_not_used_when_there_are_sans)
{
	static const char *const sans[] = { "mail.test", NULL };
	EVP_PKEY *k = ec_key();
	X509 *leaf = issue("legacy.test", sans, -DAY, DAY, 0, NULL, k, inter, inter_key);

	cr_assert(cert_matches_name(leaf, "mail.test"));
	cr_assert_not(cert_matches_name(leaf, "legacy.test"));
	X509_free(leaf);
	EVP_PKEY_free(k);
}

Test(cert_name, address_against_dns_names)
{
	static const char *const sans[] = { "mail.test", NULL };
	EVP_PKEY *k = ec_key();
	X509 *leaf = issue("192.0.2.1", sans, -DAY, DAY, 0, NULL, k, inter, inter_key);

	/* certgen makes DNS names only; an address never matches one, nor the CN. */
	cr_assert_not(cert_matches_name(leaf, "192.0.2.1"));
	cr_assert_not(cert_matches_name(leaf, "2001:db8::1"));
	X509_free(leaf);
	EVP_PKEY_free(k);
}

/* ---- key and signature strength ---- */

TestSuite(cert_strength, .init = pki_setup, .fini = pki_teardown);

static void facts_of(X509 *x, struct cert_facts *c)
{
	cr_assert(cert_facts_from_x509(x, c));
}

Test(cert_strength, key_sizes)
{
	EVP_PKEY *k1024 = rsa_key(1024), *k2048 = rsa_key(2048), *kec = ec_key();
	X509 *a = issue("rsa1024.test", NULL, -DAY, DAY, 0, NULL, k1024, inter, inter_key);
	X509 *b = issue("rsa2048.test", NULL, -DAY, DAY, 0, NULL, k2048, inter, inter_key);
	X509 *c = issue("ec256.test", NULL, -DAY, DAY, 0, NULL, kec, inter, inter_key);
	struct cert_facts fa, fb, fc;

	facts_of(a, &fa);
	facts_of(b, &fb);
	facts_of(c, &fc);
	cr_assert_eq(fa.key_bits, 1024);
	cr_assert(cert_key_is_weak(&fa));
	cr_assert_not(cert_key_is_weak(&fb));
	cr_assert_not(cert_key_is_weak(&fc));
	cert_facts_free(&fa);
	cert_facts_free(&fb);
	cert_facts_free(&fc);
	X509_free(a);
	X509_free(b);
	X509_free(c);
	EVP_PKEY_free(k1024);
	EVP_PKEY_free(k2048);
	EVP_PKEY_free(kec);
}

Test(cert_strength, key_sizes_by_hand)
{
	struct cert_facts c = { .key_type = "EC", .key_bits = 192 };

	cr_assert(cert_key_is_weak(&c));
	c.key_bits = 224;
	cr_assert_not(cert_key_is_weak(&c));
	strcpy(c.key_type, "RSA");
	c.key_bits = 2047;
	cr_assert(cert_key_is_weak(&c));
	c.key_bits = 4096;
	cr_assert_not(cert_key_is_weak(&c));
	strcpy(c.key_type, "DSA");
	c.key_bits = 1024;
	cr_assert(cert_key_is_weak(&c));
	strcpy(c.key_type, "ED25519");
	c.key_bits = 253;
	cr_assert_not(cert_key_is_weak(&c));
}

Test(cert_strength, sha1_signatures)
{
	EVP_PKEY *rk = rsa_key(2048), *lk = ec_key();
	X509 *rsa_ca = issue("RSA CA", NULL, -DAY, DAY, 1, NULL, rk, NULL, NULL);
	X509 *sha1_rsa = issue("sha1.test", NULL, -DAY, DAY, 0, EVP_sha1(), lk, rsa_ca, rk);
	X509 *sha1_ec = issue("sha1-ec.test", NULL, -DAY, DAY, 0, EVP_sha1(), lk, inter, inter_key);
	X509 *sha256 = issue("sha256.test", NULL, -DAY, DAY, 0, NULL, lk, inter, inter_key);
	X509 *sha1_root = issue("SHA1 Root CA", NULL, -DAY, DAY, 1, EVP_sha1(), rk, NULL, NULL);
	X509 *sha1_selfsigned_leaf = issue("self.test", NULL, -DAY, DAY, 0, EVP_sha1(), lk, NULL,
	    NULL);
	struct cert_facts a, b, c, d, e;

	facts_of(sha1_rsa, &a);
	facts_of(sha1_ec, &b);
	facts_of(sha256, &c);
	facts_of(sha1_root, &d);
	facts_of(sha1_selfsigned_leaf, &e);
	cr_assert_str_eq(a.sig_alg, "sha1WithRSAEncryption");
	cr_assert(cert_sig_is_weak(&a), "'%s'", a.sig_alg);
	cr_assert(cert_sig_is_weak(&b), "'%s'", b.sig_alg);
	cr_assert_not(cert_sig_is_weak(&c), "'%s'", c.sig_alg);
	cr_assert(d.is_ca && d.self_issued);
	cr_assert_not(cert_sig_is_weak(&d), "a self-signed root's own signature counted");
	/* A self-signed server certificate is not a trust anchor: its signature counts. */
	cr_assert(cert_sig_is_weak(&e), "'%s'", e.sig_alg);
	cert_facts_free(&a);
	cert_facts_free(&b);
	cert_facts_free(&c);
	cert_facts_free(&d);
	cert_facts_free(&e);
	X509_free(sha1_rsa);
	X509_free(sha1_ec);
	X509_free(sha256);
	X509_free(sha1_root);
	X509_free(sha1_selfsigned_leaf);
	X509_free(rsa_ca);
	EVP_PKEY_free(rk);
	EVP_PKEY_free(lk);
}

Test(cert_strength, md5_by_hand)
{
	struct cert_facts c = { .sig_alg = "md5WithRSAEncryption" };

	cr_assert(cert_sig_is_weak(&c));
	strcpy(c.sig_alg, "sha384WithRSAEncryption");
	cr_assert_not(cert_sig_is_weak(&c));
	strcpy(c.sig_alg, "ecdsa-with-SHA384");
	cr_assert_not(cert_sig_is_weak(&c));
}

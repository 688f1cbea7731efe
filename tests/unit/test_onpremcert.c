/* Unit tests: the on-premises Exchange certificate (load, names, chain, attach). */
#include "config.h"

#include <criterion/criterion.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/ssl.h>
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
#include "onpremcert.h"

#define DAY 86400L
#define PEM_PASS "s3cret-Pem"
#define PFX_PASS "pfx-Pass!"

static EVP_PKEY *root_key, *inter_key, *leaf_key, *other_key, *wild_key;
static X509 *root, *inter, *leaf, *wild, *expired, *selfsigned, *noeku;
static char tmpdir[64];
static char errbuf[512];

static const char *const leaf_sans[] = { "mail.contoso.test", "autodiscover.contoso.test", NULL };
static const char *const wild_sans[] = { "*.contoso.test", NULL };

static X509 *issue(const char *cn, const char *const *sans, long nb, long na, int ca, int eku,
    EVP_PKEY *key, X509 *issuer, EVP_PKEY *issuer_key)
{
	struct certgen_spec spec = {
		.cn = cn, .dns_sans = sans, .not_before_s = nb, .not_after_s = na,
		.is_ca = ca, .md = NULL, .server_eku = eku,
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

static const char *tpath(const char *name)
{
	static char buf[8][160];
	static int slot;
	char *p = buf[slot++ % 8];

	snprintf(p, sizeof buf[0], "%s/%s", tmpdir, name);
	return p;
}

/* A PEM file written in the order given: 'c' certificate, 'k' key, 'e' encrypted key. */
struct item {
	char kind;
	X509 *x;
	EVP_PKEY *k;
};

static void write_pem(const char *name, const struct item *items, size_t n)
{
	FILE *fp = fopen(tpath(name), "w");

	cr_assert_not_null(fp);
	for (size_t i = 0; i < n; i++) {
		int ok;

		if (items[i].kind == 'c')
			ok = PEM_write_X509(fp, items[i].x);
		else if (items[i].kind == 'k')
			ok = PEM_write_PrivateKey(fp, items[i].k, NULL, NULL, 0, NULL, NULL);
		else
			ok = PEM_write_PrivateKey(fp, items[i].k, EVP_aes_256_cbc(),
			    (const unsigned char *)PEM_PASS, (int)strlen(PEM_PASS), NULL, NULL);
		cr_assert(ok, "PEM write %s item %zu", name, i);
	}
	cr_assert_eq(fclose(fp), 0);
}

static void write_bytes(const char *name, const void *data, size_t len)
{
	FILE *fp = fopen(tpath(name), "wb");

	cr_assert_not_null(fp);
	cr_assert_eq(fwrite(data, 1, len, fp), len);
	cr_assert_eq(fclose(fp), 0);
}

static void write_pfx(const char *name, const char *pass, EVP_PKEY *k, X509 *x, X509 *ca1)
{
	STACK_OF(X509) *ca = NULL;
	PKCS12 *p12;
	unsigned char *der = NULL;
	int len;

	if (ca1 != NULL) {
		ca = sk_X509_new_null();
		cr_assert_not_null(ca);
		cr_assert(sk_X509_push(ca, ca1) > 0);
	}
	p12 = PKCS12_create(pass, "Exchange", k, x, ca, 0, 0, 0, 0, 0);
	cr_assert_not_null(p12, "PKCS12_create %s", name);
	len = i2d_PKCS12(p12, &der);
	cr_assert_gt(len, 0);
	write_bytes(name, der, (size_t)len);
	OPENSSL_free(der);
	PKCS12_free(p12);
	sk_X509_free(ca);
}

static void pki_setup(void)
{
	root_key = ec_key();
	inter_key = ec_key();
	leaf_key = ec_key();
	other_key = ec_key();
	wild_key = ec_key();
	root = issue("Test Root CA", NULL, -365 * DAY, 3650 * DAY, 1, 0, root_key, NULL, NULL);
	inter = issue("Test Intermediate CA", NULL, -365 * DAY, 1825 * DAY, 1, 0, inter_key,
	    root, root_key);
	leaf = issue("mail.contoso.test", leaf_sans, -DAY, 365 * DAY, 0, 1, leaf_key, inter,
	    inter_key);
	wild = issue("*.contoso.test", wild_sans, -DAY, 365 * DAY, 0, 1, wild_key, inter,
	    inter_key);
	expired = issue("old.contoso.test", NULL, -400 * DAY, -DAY, 0, 1, leaf_key, inter,
	    inter_key);
	selfsigned = issue("self.contoso.test", NULL, -DAY, 365 * DAY, 0, 1, leaf_key, NULL, NULL);
	noeku = issue("plain.contoso.test", NULL, -DAY, 365 * DAY, 0, 0, leaf_key, inter,
	    inter_key);

	strcpy(tmpdir, "/tmp/htls-test-onprem-XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));

	cr_assert_eq(certgen_write_pem(tpath("root.pem"), &root, 1), 0);
	write_pem("leaf_key.pem", (struct item[]){ { 'c', leaf, NULL }, { 'k', NULL, leaf_key } }, 2);
	write_pem("full.pem", (struct item[]){ { 'c', leaf, NULL }, { 'k', NULL, leaf_key },
	    { 'c', inter, NULL } }, 3);
	write_pem("full_root.pem", (struct item[]){ { 'c', leaf, NULL }, { 'c', inter, NULL },
	    { 'c', root, NULL }, { 'k', NULL, leaf_key } }, 4);
	write_pem("key_first.pem", (struct item[]){ { 'k', NULL, leaf_key }, { 'c', inter, NULL },
	    { 'c', leaf, NULL } }, 3);
	write_pem("nokey.pem", (struct item[]){ { 'c', leaf, NULL }, { 'c', inter, NULL } }, 2);
	write_pem("nokey_inter_first.pem", (struct item[]){ { 'c', inter, NULL },
	    { 'c', leaf, NULL } }, 2);
	write_pem("enc.pem", (struct item[]){ { 'c', leaf, NULL }, { 'e', NULL, leaf_key },
	    { 'c', inter, NULL } }, 3);
	write_pem("mismatch.pem", (struct item[]){ { 'c', leaf, NULL }, { 'k', NULL, other_key },
	    { 'c', inter, NULL } }, 3);
	write_pem("key_only.pem", (struct item[]){ { 'k', NULL, leaf_key } }, 1);
	write_pem("two_keys.pem", (struct item[]){ { 'c', leaf, NULL }, { 'k', NULL, leaf_key },
	    { 'k', NULL, other_key } }, 3);
	write_pem("wild.pem", (struct item[]){ { 'c', wild, NULL }, { 'k', NULL, wild_key },
	    { 'c', inter, NULL } }, 3);
	write_pem("expired.pem", (struct item[]){ { 'c', expired, NULL }, { 'k', NULL, leaf_key },
	    { 'c', inter, NULL } }, 3);
	write_pem("self.pem", (struct item[]){ { 'c', selfsigned, NULL },
	    { 'k', NULL, leaf_key } }, 2);
	write_pem("noeku.pem", (struct item[]){ { 'c', noeku, NULL } }, 1);

	write_pfx("chain.pfx", PFX_PASS, leaf_key, leaf, inter);
	write_pfx("nochain.pfx", PFX_PASS, leaf_key, leaf, NULL);
	write_pfx("empty_pass.pfx", "", leaf_key, leaf, inter);

	{
		unsigned char *der = NULL;
		int len = i2d_X509(leaf, &der);

		cr_assert_gt(len, 0);
		write_bytes("leaf.cer", der, (size_t)len);
		OPENSSL_free(der);
	}
	{
		unsigned char junk[700];

		for (size_t i = 0; i < sizeof junk; i++)
			junk[i] = (unsigned char)(i * 7919u + 13u);
		write_bytes("garbage.bin", junk, sizeof junk);
		write_bytes("empty.pem", "", 0);
		write_bytes("broken.pem", "-----BEGIN CERTIFICATE-----\nnot base64 !!\n", 42);
		write_bytes("csr.pem", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
		    "-----END CERTIFICATE REQUEST-----\n", 75);
	}
}

static void pki_teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (tmpdir[0] != '\0' && system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
	X509_free(noeku);
	X509_free(selfsigned);
	X509_free(expired);
	X509_free(wild);
	X509_free(leaf);
	X509_free(inter);
	X509_free(root);
	EVP_PKEY_free(wild_key);
	EVP_PKEY_free(other_key);
	EVP_PKEY_free(leaf_key);
	EVP_PKEY_free(inter_key);
	EVP_PKEY_free(root_key);
}

TestSuite(onpremcert, .init = pki_setup, .fini = pki_teardown);

static void load_ok(const char *name, const char *pass, struct onpremcert *c)
{
	errbuf[0] = '\0';
	cr_assert(onpremcert_load(tpath(name), pass, c, errbuf, sizeof errbuf),
	    "load %s: %s", name, errbuf);
	cr_assert_not_null(c->leaf);
	cr_assert_not_null(c->chain);
}

static void load_fails(const char *name, const char *pass, const char *want)
{
	struct onpremcert c;

	errbuf[0] = '\0';
	cr_assert_not(onpremcert_load(tpath(name), pass, &c, errbuf, sizeof errbuf),
	    "load %s should fail", name);
	cr_assert_null(c.leaf);
	cr_assert_null(c.key);
	cr_assert_null(c.facts.tls_certificate_name);
	cr_assert_not_null(strstr(errbuf, want), "%s: '%s' lacks '%s'", name, errbuf, want);
	onpremcert_free(&c);	/* harmless on a zeroed struct */
}

static X509_STORE *root_store(void)
{
	char *cause = NULL;
	X509_STORE *st = cert_store_new(tpath("root.pem"), &cause);

	cr_assert_not_null(st, "%s", cause ? cause : "?");
	return st;
}

/* ---- loading ---- */

Test(onpremcert, pem_cert_and_key)
{
	struct onpremcert c;

	load_ok("leaf_key.pem", NULL, &c);
	cr_assert_str_eq(c.facts.format, "PEM");
	cr_assert_not_null(c.key);
	cr_assert(c.facts.key_present);
	cr_assert(c.facts.key_matches);
	cr_assert_not(c.facts.password_used);
	cr_assert_str_eq(c.facts.leaf.common_name, "mail.contoso.test");
	cr_assert_eq(c.facts.leaf.nsan, 2);
	cr_assert_eq(c.facts.nchain, 0);
	cr_assert_eq(sk_X509_num(c.chain), 0);
	cr_assert_str_eq(c.facts.source, tpath("leaf_key.pem"));
	cr_assert_str_eq(c.facts.tls_certificate_name,
	    "<I>CN=Test Intermediate CA<S>CN=mail.contoso.test");
	cr_assert_not(c.facts.checked);
	onpremcert_free(&c);
	cr_assert_null(c.leaf);
}

Test(onpremcert, pem_cert_key_chain)
{
	struct onpremcert c;

	load_ok("full.pem", NULL, &c);
	cr_assert_not_null(c.key);
	cr_assert_eq(c.facts.nchain, 1);
	cr_assert_eq(sk_X509_num(c.chain), 1);
	cr_assert_str_eq(c.facts.chain[0].common_name, "Test Intermediate CA");
	cr_assert_eq(X509_cmp(sk_X509_value(c.chain, 0), inter), 0);
	cr_assert_eq(X509_cmp(c.leaf, leaf), 0);
	onpremcert_free(&c);
}

Test(onpremcert, key_first_any_order)
{
	struct onpremcert c;

	load_ok("key_first.pem", NULL, &c);
	cr_assert_str_eq(c.facts.leaf.common_name, "mail.contoso.test");
	cr_assert_eq(c.facts.nchain, 1);
	cr_assert_str_eq(c.facts.chain[0].common_name, "Test Intermediate CA");
	cr_assert(c.facts.key_matches);
	onpremcert_free(&c);
}

Test(onpremcert, no_key)
{
	struct onpremcert c;

	load_ok("nokey.pem", NULL, &c);
	cr_assert_null(c.key);
	cr_assert_not(c.facts.key_present);
	cr_assert_not(c.facts.key_matches);
	cr_assert_str_eq(c.facts.leaf.common_name, "mail.contoso.test");
	onpremcert_free(&c);

	/* The intermediate first: the leaf is still the one that issues nothing. */
	load_ok("nokey_inter_first.pem", NULL, &c);
	cr_assert_str_eq(c.facts.leaf.common_name, "mail.contoso.test");
	cr_assert_eq(c.facts.nchain, 1);
	cr_assert_str_eq(c.facts.chain[0].common_name, "Test Intermediate CA");
	onpremcert_free(&c);
}

Test(onpremcert, encrypted_key_with_password)
{
	struct onpremcert c;

	load_ok("enc.pem", PEM_PASS, &c);
	cr_assert_not_null(c.key);
	cr_assert(c.facts.password_used);
	cr_assert(c.facts.key_matches);
	cr_assert_eq(c.facts.nchain, 1);
	onpremcert_free(&c);
}

Test(onpremcert, encrypted_key_wrong_or_missing_password)
{
	load_fails("enc.pem", "not-it", "wrong password");
	load_fails("enc.pem", NULL, "is encrypted: give its password");
}

Test(onpremcert, key_mismatch)
{
	load_fails("mismatch.pem", NULL, "does not match the certificate");
	cr_assert_not_null(strstr(errbuf, "CN=mail.contoso.test"), "%s", errbuf);
}

Test(onpremcert, garbage_and_bad_files)
{
	load_fails("garbage.bin", NULL, "neither a PEM file nor a PFX");
	load_fails("does-not-exist.pem", NULL, "cannot open");
	load_fails("empty.pem", NULL, "is empty");
	load_fails("broken.pem", NULL, "not a certificate file");
	load_fails("key_only.pem", NULL, "no certificate in");
	cr_assert_not_null(strstr(errbuf, "only a private key"), "%s", errbuf);
	load_fails("csr.pem", NULL, "found: CERTIFICATE REQUEST");
	load_fails("two_keys.pem", NULL, "more than one private key");

	struct onpremcert c;

	cr_assert_not(onpremcert_load(NULL, NULL, &c, errbuf, sizeof errbuf));
	cr_assert_not(onpremcert_load("", NULL, &c, errbuf, sizeof errbuf));
}

Test(onpremcert, der_certificate)
{
	struct onpremcert c;

	load_ok("leaf.cer", NULL, &c);
	cr_assert_str_eq(c.facts.format, "DER");
	cr_assert_null(c.key);
	cr_assert_str_eq(c.facts.leaf.common_name, "mail.contoso.test");
	onpremcert_free(&c);
}

Test(onpremcert, pfx_with_chain_and_password)
{
	struct onpremcert c;

	load_ok("chain.pfx", PFX_PASS, &c);
	cr_assert_str_eq(c.facts.format, "PKCS12");
	cr_assert_not_null(c.key);
	cr_assert(c.facts.key_matches);
	cr_assert(c.facts.password_used);
	cr_assert_str_eq(c.facts.leaf.common_name, "mail.contoso.test");
	cr_assert_eq(c.facts.nchain, 1);
	cr_assert_str_eq(c.facts.chain[0].common_name, "Test Intermediate CA");
	onpremcert_free(&c);
}

Test(onpremcert, pfx_without_chain)
{
	struct onpremcert c;

	load_ok("nochain.pfx", PFX_PASS, &c);
	cr_assert_not_null(c.key);
	cr_assert_eq(c.facts.nchain, 0);
	onpremcert_free(&c);
}

Test(onpremcert, pfx_wrong_or_missing_password)
{
	load_fails("chain.pfx", "wrong", "wrong password for the PFX file");
	load_fails("chain.pfx", NULL, "protected by a password: give it");
	load_fails("chain.pfx", "", "wrong password");
}

Test(onpremcert, pfx_empty_password_tried_when_none_given)
{
	struct onpremcert c;

	load_ok("empty_pass.pfx", NULL, &c);
	cr_assert_not_null(c.key);
	cr_assert_not(c.facts.password_used);
	cr_assert_eq(c.facts.nchain, 1);
	onpremcert_free(&c);
	load_ok("empty_pass.pfx", "", &c);
	onpremcert_free(&c);
}

/* ---- TlsCertificateName ---- */

static X509_NAME *mkname(const char *const *kv)
{
	X509_NAME *n = X509_NAME_new();

	cr_assert_not_null(n);
	for (; kv[0] != NULL; kv += 2)
		cr_assert(X509_NAME_add_entry_by_txt(n, kv[0], MBSTRING_UTF8,
		    (const unsigned char *)kv[1], -1, -1, 0));
	return n;
}

/* The leaf with other names, re-signed: enough for the string forms. */
static void write_renamed(const char *file, const char *const *iss, const char *const *sub)
{
	X509 *x = X509_dup(leaf);
	X509_NAME *in = mkname(iss), *sn = mkname(sub);

	cr_assert_not_null(x);
	cr_assert(X509_set_issuer_name(x, in));
	cr_assert(X509_set_subject_name(x, sn));
	cr_assert_gt(X509_sign(x, inter_key, EVP_sha256()), 0);
	write_pem(file, (struct item[]){ { 'c', x, NULL }, { 'k', NULL, leaf_key } }, 2);
	X509_NAME_free(in);
	X509_NAME_free(sn);
	X509_free(x);
}

Test(onpremcert, tlscertificatename_windows_order)
{
	/* DER order is least specific first; Windows shows most specific first. */
	static const char *const iss[] = { "C", "US", "O", "DigiCert Inc", "OU", "www.digicert.com",
		"CN", "GeoTrust TLS RSA CA G1", NULL };
	static const char *const sub[] = { "C", "US", "O", "Contoso", "CN", "mail.contoso.com",
		NULL };
	struct onpremcert c;

	write_renamed("geotrust.pem", iss, sub);
	load_ok("geotrust.pem", NULL, &c);
	cr_assert_str_eq(c.facts.tls_certificate_name,
	    "<I>CN=GeoTrust TLS RSA CA G1, OU=www.digicert.com, O=DigiCert Inc, C=US"
	    "<S>CN=mail.contoso.com, O=Contoso, C=US");
	cr_assert_str_eq(c.facts.issuer_x500,
	    "CN=GeoTrust TLS RSA CA G1, OU=www.digicert.com, O=DigiCert Inc, C=US");
	cr_assert_str_eq(c.facts.subject_x500, "CN=mail.contoso.com, O=Contoso, C=US");
	/* The facts' own RFC 2253 form agrees on the order. */
	cr_assert_str_eq(c.facts.leaf.subject, "CN=mail.contoso.com,O=Contoso,C=US");
	cr_assert(onpremcert_tlscertname_equal(c.facts.tls_certificate_name,
	    "<I>CN=GeoTrust TLS RSA CA G1,OU=www.digicert.com,O=DigiCert Inc,C=US"
	    "<S>CN=mail.contoso.com,O=Contoso,C=US"));
	onpremcert_free(&c);
}

Test(onpremcert, tlscertificatename_quotes_and_windows_keys)
{
	static const char *const iss[] = { "C", "US", "ST", "Arizona", "L", "Scottsdale",
		"O", "GoDaddy.com, Inc.", "CN", "Go Daddy Secure CA \"G2\"", NULL };
	static const char *const sub[] = { "CN", "mail.contoso.com", "emailAddress",
		"admin@contoso.com", NULL };
	struct onpremcert c;

	write_renamed("quoted.pem", iss, sub);
	load_ok("quoted.pem", NULL, &c);
	cr_assert_str_eq(c.facts.issuer_x500,
	    "CN=\"Go Daddy Secure CA \"\"G2\"\"\", O=\"GoDaddy.com, Inc.\", L=Scottsdale, "
	    "S=Arizona, C=US");
	cr_assert_str_eq(c.facts.subject_x500, "E=admin@contoso.com, CN=mail.contoso.com");
	/* The same name written with RFC 2253 escapes and OpenSSL's key names. */
	cr_assert(onpremcert_tlscertname_equal(c.facts.tls_certificate_name,
	    "<I>CN=Go Daddy Secure CA \\\"G2\\\",O=GoDaddy.com\\, Inc.,L=Scottsdale,ST=Arizona,C=US"
	    "<S>emailAddress=admin@contoso.com,CN=mail.contoso.com"));
	onpremcert_free(&c);
}

Test(onpremcert, tlscertname_equal_variants)
{
	const char *ex = "<I>CN=GeoTrust TLS RSA CA G1, OU=www.digicert.com, O=DigiCert Inc, C=US"
	    "<S>CN=mail.contoso.com, O=Contoso, C=US";

	cr_assert(onpremcert_tlscertname_equal(ex, ex));
	cr_assert(onpremcert_tlscertname_equal(ex,
	    "<I>CN=GeoTrust TLS RSA CA G1,OU=www.digicert.com,O=DigiCert Inc,C=US"
	    "<S>CN=mail.contoso.com,O=Contoso,C=US"));
	cr_assert(onpremcert_tlscertname_equal(ex,
	    "<i>cn=GeoTrust TLS RSA CA G1,  ou=www.digicert.com , o=DigiCert Inc, c=US"
	    "<s>Cn=mail.contoso.com, O=Contoso, C=US"));
	cr_assert(onpremcert_tlscertname_equal(ex,
	    "[I]CN=GeoTrust TLS RSA CA G1, OU=www.digicert.com, O=DigiCert Inc, C=US"
	    "[S]CN=mail.contoso.com, O=Contoso, C=US"));
	cr_assert(onpremcert_tlscertname_equal("  " "<I>CN=A<S>CN=B" " ", "<I>CN = A<S>CN = B"));
	cr_assert(onpremcert_tlscertname_equal("<I>O=\"Gomommy.com, Inc.\", C=US<S>CN=x",
	    "<I>O=Gomommy.com\\, Inc.,C=US<S>CN=x"));
	cr_assert(onpremcert_tlscertname_equal("<I>S=WA, E=a@b.c<S>CN=x",
	    "<I>ST=WA, emailAddress=a@b.c<S>CN=x"));
	/* Values, order and attributes matter. */
	cr_assert_not(onpremcert_tlscertname_equal(ex,
	    "<I>CN=GeoTrust TLS RSA CA G1, OU=www.digicert.com, O=DigiCert Inc, C=US"
	    "<S>CN=mail2.contoso.com, O=Contoso, C=US"));
	cr_assert_not(onpremcert_tlscertname_equal(ex,
	    "<I>C=US, O=DigiCert Inc, OU=www.digicert.com, CN=GeoTrust TLS RSA CA G1"
	    "<S>CN=mail.contoso.com, O=Contoso, C=US"));
	cr_assert_not(onpremcert_tlscertname_equal(ex,
	    "<I>CN=GeoTrust TLS RSA CA G1, OU=www.digicert.com, O=DigiCert Inc"
	    "<S>CN=mail.contoso.com, O=Contoso, C=US"));
	cr_assert_not(onpremcert_tlscertname_equal("<I>CN=A<S>CN=B", "<I>CN=B<S>CN=A"));
	/* Not a TlsCertificateName at all. */
	cr_assert_not(onpremcert_tlscertname_equal(ex, "CN=mail.contoso.com"));
	cr_assert_not(onpremcert_tlscertname_equal(ex, ""));
	cr_assert_not(onpremcert_tlscertname_equal(NULL, ex));
	cr_assert_not(onpremcert_tlscertname_equal("<I>CN=A", "<I>CN=A"));
	cr_assert_not(onpremcert_tlscertname_equal("<I>CN=\"A<S>CN=B", "<I>CN=\"A<S>CN=B"));
	cr_assert_not(onpremcert_tlscertname_equal("<I>junk<S>CN=B", "<I>junk<S>CN=B"));
}

/* ---- names ---- */

Test(onpremcert, name_matching)
{
	struct onpremcert c;

	load_ok("full.pem", NULL, &c);
	cr_assert(onpremcert_name_matches(&c.facts, "mail.contoso.test"));
	cr_assert(onpremcert_name_matches(&c.facts, "MAIL.Contoso.TEST"));
	cr_assert(onpremcert_name_matches(&c.facts, "mail.contoso.test."));
	cr_assert(onpremcert_name_matches(&c.facts, "autodiscover.contoso.test"));
	/* A wildcard connector name covers one label. */
	cr_assert(onpremcert_name_matches(&c.facts, "*.contoso.test"));
	cr_assert(onpremcert_name_matches(&c.facts, "*.CONTOSO.test."));
	cr_assert_not(onpremcert_name_matches(&c.facts, "*.test"));
	cr_assert_not(onpremcert_name_matches(&c.facts, "contoso.test"));
	cr_assert_not(onpremcert_name_matches(&c.facts, "smtp.contoso.test"));
	cr_assert_not(onpremcert_name_matches(&c.facts, "mail.fabrikam.test"));
	cr_assert_not(onpremcert_name_matches(&c.facts, "*.fabrikam.test"));
	cr_assert_not(onpremcert_name_matches(&c.facts, ""));
	cr_assert_not(onpremcert_name_matches(&c.facts, NULL));
	cr_assert_not(onpremcert_name_matches(&c.facts, "."));
	onpremcert_free(&c);
}

Test(onpremcert, name_matching_wildcard_certificate)
{
	struct onpremcert c;

	load_ok("wild.pem", NULL, &c);
	cr_assert(onpremcert_name_matches(&c.facts, "mail.contoso.test"));
	cr_assert(onpremcert_name_matches(&c.facts, "Mail.Contoso.Test."));
	cr_assert(onpremcert_name_matches(&c.facts, "*.contoso.test"));
	cr_assert_not(onpremcert_name_matches(&c.facts, "contoso.test"));
	cr_assert_not(onpremcert_name_matches(&c.facts, "a.b.contoso.test"));
	cr_assert_not(onpremcert_name_matches(&c.facts, "mail.fabrikam.test"));
	cr_assert_not(onpremcert_name_matches(&c.facts, "*.b.contoso.test"));
	onpremcert_free(&c);
}

Test(onpremcert, name_matching_two_level_connector_wildcard)
{
	struct onpremcert_facts f;
	char *sans[] = { (char *)"DNS:a.b.contoso.com", (char *)"DNS:contoso.com",
		(char *)"IP:192.0.2.1" };

	memset(&f, 0, sizeof f);
	f.leaf.common_name = (char *)"";
	f.leaf.san = sans;
	f.leaf.nsan = 3;
	cr_assert_not(onpremcert_name_matches(&f, "*.contoso.com"));
	cr_assert(onpremcert_name_matches(&f, "*.b.contoso.com"));
	cr_assert(onpremcert_name_matches(&f, "contoso.com"));
	cr_assert_not(onpremcert_name_matches(&f, "192.0.2.1"));	/* DNS SANs only */
	f.leaf.common_name = (char *)"mail.contoso.com";
	cr_assert(onpremcert_name_matches(&f, "*.contoso.com"));
	cr_assert(onpremcert_name_matches(&f, "mail.contoso.com"));
}

/* ---- EKU ---- */

Test(onpremcert, eku)
{
	struct onpremcert c;
	struct onpremcert_facts f;

	load_ok("full.pem", NULL, &c);
	cr_assert(onpremcert_eku_ok(&c.facts));
	onpremcert_free(&c);
	load_ok("noeku.pem", NULL, &c);
	cr_assert_str_eq(c.facts.leaf.ext_key_usage, "");
	cr_assert(onpremcert_eku_ok(&c.facts));
	onpremcert_free(&c);

	memset(&f, 0, sizeof f);
	f.leaf.ext_key_usage = (char *)"TLS Web Server Authentication";
	cr_assert_not(onpremcert_eku_ok(&f));
	f.leaf.ext_key_usage = (char *)"TLS Web Client Authentication";
	cr_assert_not(onpremcert_eku_ok(&f));
	f.leaf.ext_key_usage = (char *)"TLS Web Client Authentication, TLS Web Server Authentication";
	cr_assert(onpremcert_eku_ok(&f));
	f.leaf.ext_key_usage = (char *)"E-mail Protection, Code Signing";
	cr_assert_not(onpremcert_eku_ok(&f));
	f.leaf.ext_key_usage = (char *)"Any Extended Key Usage";
	cr_assert(onpremcert_eku_ok(&f));
}

/* ---- verification and chain completeness ---- */

Test(onpremcert, chain_complete_with_intermediate)
{
	struct onpremcert c;
	X509_STORE *st = root_store();
	time_t now = time(NULL);

	load_ok("full.pem", NULL, &c);
	cr_assert(onpremcert_check_store(&c, st, "root.pem", now));
	cr_assert(c.facts.checked);
	cr_assert(c.facts.verified, "verify errors: %zu (%s)", c.facts.nverr,
	    c.facts.nverr ? c.facts.verr[0].text : "");
	cr_assert(c.facts.chain_complete);
	cr_assert_str_eq(c.facts.chain_missing, "");
	cr_assert_str_eq(c.facts.trust_store, "root.pem");
	cr_assert_eq(c.facts.checked_at, now);
	/* Checking twice replaces the first result. */
	cr_assert(onpremcert_check_store(&c, st, "again", now));
	cr_assert_str_eq(c.facts.trust_store, "again");
	onpremcert_free(&c);

	/* Root included in the file: still complete. */
	load_ok("full_root.pem", NULL, &c);
	cr_assert_eq(c.facts.nchain, 2);
	onpremcert_check_store(&c, st, "root.pem", now);
	cr_assert(c.facts.verified);
	cr_assert(c.facts.chain_complete);
	onpremcert_free(&c);
	X509_STORE_free(st);
}

Test(onpremcert, chain_incomplete_leaf_only)
{
	struct onpremcert c;
	X509_STORE *st = root_store();

	load_ok("leaf_key.pem", NULL, &c);
	onpremcert_check_store(&c, st, "root.pem", time(NULL));
	cr_assert_not(c.facts.verified);
	cr_assert_gt(c.facts.nverr, 0);
	cr_assert_eq(c.facts.verr[0].code, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	cr_assert_not(c.facts.chain_complete);
	cr_assert_str_eq(c.facts.chain_missing, "CN=Test Intermediate CA");
	onpremcert_free(&c);

	/* A PFX without the chain: the same. */
	load_ok("nochain.pfx", PFX_PASS, &c);
	onpremcert_check_store(&c, st, "root.pem", time(NULL));
	cr_assert_not(c.facts.chain_complete);
	onpremcert_free(&c);
	X509_STORE_free(st);
}

Test(onpremcert, chain_judged_with_ca_file)
{
	struct onpremcert c;

	load_ok("chain.pfx", PFX_PASS, &c);
	cr_assert(onpremcert_check(&c, tpath("root.pem"), time(NULL), errbuf, sizeof errbuf),
	    "%s", errbuf);
	cr_assert(c.facts.verified);
	cr_assert(c.facts.chain_complete);
	cr_assert_str_eq(c.facts.trust_store, tpath("root.pem"));
	cr_assert_not(onpremcert_check(&c, tpath("nope.pem"), time(NULL), errbuf, sizeof errbuf));
	cr_assert_not_null(strstr(errbuf, "cannot load the CA file"), "%s", errbuf);
	onpremcert_free(&c);
}

Test(onpremcert, expired_certificate)
{
	struct onpremcert c;
	X509_STORE *st = root_store();
	bool seen = false;

	load_ok("expired.pem", NULL, &c);
	onpremcert_check_store(&c, st, "root.pem", time(NULL));
	cr_assert_not(c.facts.verified);
	for (size_t i = 0; i < c.facts.nverr; i++)
		seen |= c.facts.verr[i].code == X509_V_ERR_CERT_HAS_EXPIRED;
	cr_assert(seen);
	/* The chain itself is complete: the date is a separate problem. */
	cr_assert(c.facts.chain_complete);
	/* Judged at a time when it was valid, it verifies. */
	onpremcert_check_store(&c, st, "root.pem", time(NULL) - 30 * DAY);
	cr_assert(c.facts.verified);
	onpremcert_free(&c);
	X509_STORE_free(st);
}

Test(onpremcert, self_signed_certificate)
{
	struct onpremcert c;
	X509_STORE *st = root_store();

	load_ok("self.pem", NULL, &c);
	cr_assert(c.facts.leaf.self_issued);
	cr_assert_str_eq(c.facts.tls_certificate_name,
	    "<I>CN=self.contoso.test<S>CN=self.contoso.test");
	onpremcert_check_store(&c, st, "root.pem", time(NULL));
	cr_assert_not(c.facts.verified);
	cr_assert_not(c.facts.chain_complete);
	cr_assert_str_eq(c.facts.chain_missing, "");
	onpremcert_free(&c);
	X509_STORE_free(st);
}

/* ---- presenting it ---- */

Test(onpremcert, attach_to_client_ctx)
{
	struct onpremcert c;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	STACK_OF(X509) *chain = NULL;

	cr_assert_not_null(ctx);
	load_ok("full.pem", NULL, &c);
	cr_assert(onpremcert_attach(&c, ctx, errbuf, sizeof errbuf), "%s", errbuf);
	cr_assert_eq(X509_cmp(SSL_CTX_get0_certificate(ctx), leaf), 0);
	cr_assert_not_null(SSL_CTX_get0_privatekey(ctx));
	cr_assert_eq(SSL_CTX_get0_chain_certs(ctx, &chain), 1);
	cr_assert_eq(sk_X509_num(chain), 1);
	cr_assert_eq(X509_cmp(sk_X509_value(chain, 0), inter), 0);
	/* The context keeps its own references: the certificate may be freed. */
	onpremcert_free(&c);
	cr_assert_eq(X509_cmp(SSL_CTX_get0_certificate(ctx), leaf), 0);
	SSL_CTX_free(ctx);
}

Test(onpremcert, attach_without_key_fails)
{
	struct onpremcert c;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	cr_assert_not_null(ctx);
	load_ok("nokey.pem", NULL, &c);
	cr_assert_not(onpremcert_attach(&c, ctx, errbuf, sizeof errbuf));
	cr_assert_not_null(strstr(errbuf, "holds no private key"), "%s", errbuf);
	cr_assert_null(SSL_CTX_get0_certificate(ctx));
	onpremcert_free(&c);
	cr_assert_not(onpremcert_attach(NULL, ctx, errbuf, sizeof errbuf));
	SSL_CTX_free(ctx);
}

/* A real handshake over memory BIOs: the server requires and verifies the client certificate. */
static bool pump(SSL *cli, SSL *srv)
{
	int done_c = 0, done_s = 0;

	for (int i = 0; i < 100 && !(done_c && done_s); i++) {
		int rc;

		if (!done_c) {
			rc = SSL_do_handshake(cli);
			if (rc == 1)
				done_c = 1;
			else if (SSL_get_error(cli, rc) != SSL_ERROR_WANT_READ)
				return false;
		}
		if (!done_s) {
			rc = SSL_do_handshake(srv);
			if (rc == 1)
				done_s = 1;
			else if (SSL_get_error(srv, rc) != SSL_ERROR_WANT_READ)
				return false;
		}
	}
	return done_c && done_s;
}

Test(onpremcert, attach_presents_client_certificate)
{
	struct onpremcert c;
	SSL_CTX *cctx = SSL_CTX_new(TLS_client_method()), *sctx = SSL_CTX_new(TLS_server_method());
	SSL *cli, *srv;
	BIO *cb, *sb;
	X509 *peer;
	X509_STORE *st = root_store();

	cr_assert_not_null(cctx);
	cr_assert_not_null(sctx);
	/* The server is the wildcard certificate; it trusts only the test root. */
	cr_assert_eq(SSL_CTX_use_certificate(sctx, wild), 1);
	cr_assert_eq(SSL_CTX_use_PrivateKey(sctx, wild_key), 1);
	cr_assert_eq(SSL_CTX_add1_chain_cert(sctx, inter), 1);
	SSL_CTX_set1_cert_store(sctx, st);
	SSL_CTX_set_verify(sctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);

	load_ok("chain.pfx", PFX_PASS, &c);
	cr_assert(onpremcert_attach(&c, cctx, errbuf, sizeof errbuf), "%s", errbuf);
	onpremcert_free(&c);

	cli = SSL_new(cctx);
	srv = SSL_new(sctx);
	cr_assert_not_null(cli);
	cr_assert_not_null(srv);
	cr_assert_eq(BIO_new_bio_pair(&cb, 0, &sb, 0), 1);
	SSL_set_bio(cli, cb, cb);
	SSL_set_bio(srv, sb, sb);
	SSL_set_connect_state(cli);
	SSL_set_accept_state(srv);
	cr_assert(pump(cli, srv), "handshake failed: %s",
	    ERR_reason_error_string(ERR_peek_last_error()));
	cr_assert_eq(SSL_get_verify_result(srv), X509_V_OK);
	peer = SSL_get1_peer_certificate(srv);
	cr_assert_not_null(peer);
	cr_assert_eq(X509_cmp(peer, leaf), 0);
	X509_free(peer);
	SSL_free(cli);
	SSL_free(srv);
	SSL_CTX_free(cctx);
	SSL_CTX_free(sctx);
	X509_STORE_free(st);
}

/* ---- no secrets in the facts ---- */

static void no_secret(const char *s, const char *what)
{
	if (s == NULL)
		return;
	cr_assert_null(strstr(s, "PRIVATE KEY"), "%s holds key text", what);
	cr_assert_null(strstr(s, PEM_PASS), "%s holds the password", what);
	cr_assert_null(strstr(s, PFX_PASS), "%s holds the password", what);
}

static void no_secret_cert(const struct cert_facts *cf)
{
	no_secret(cf->subject, "subject");
	no_secret(cf->issuer, "issuer");
	no_secret(cf->common_name, "cn");
	no_secret(cf->key_usage, "ku");
	no_secret(cf->ext_key_usage, "eku");
	for (size_t i = 0; i < cf->nsan; i++)
		no_secret(cf->san[i], "san");
}

/* The private key's DER must not appear in any byte of the facts' blobs. */
static void key_not_in(const unsigned char *blob, size_t len, EVP_PKEY *k)
{
	unsigned char *der = NULL;
	int dl = i2d_PrivateKey(k, &der);

	cr_assert_gt(dl, 0);
	if (blob != NULL && len >= (size_t)dl)
		cr_assert_null(memmem(blob, len, der, (size_t)dl), "key bytes in the facts");
	OPENSSL_free(der);
}

static void check_facts_clean(const struct onpremcert_facts *f)
{
	no_secret(f->source, "source");
	no_secret(f->format, "format");
	no_secret(f->issuer_x500, "issuer_x500");
	no_secret(f->subject_x500, "subject_x500");
	no_secret(f->tls_certificate_name, "tls_certificate_name");
	no_secret(f->trust_store, "trust_store");
	no_secret(f->chain_missing, "chain_missing");
	no_secret_cert(&f->leaf);
	key_not_in(f->leaf.der, f->leaf.derlen, leaf_key);
	key_not_in(f->leaf.spki, f->leaf.spkilen, leaf_key);
	for (size_t i = 0; i < f->nchain; i++) {
		no_secret_cert(&f->chain[i]);
		key_not_in(f->chain[i].der, f->chain[i].derlen, leaf_key);
	}
	for (size_t i = 0; i < f->nverr; i++)
		no_secret(f->verr[i].text, "verr");
}

Test(onpremcert, facts_hold_no_key_or_password)
{
	static const struct {
		const char *file, *pass;
	} files[] = {
		{ "full.pem", NULL }, { "key_first.pem", NULL }, { "enc.pem", PEM_PASS },
		{ "chain.pfx", PFX_PASS }, { "nochain.pfx", PFX_PASS },
	};
	X509_STORE *st = root_store();

	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		struct onpremcert c;

		load_ok(files[i].file, files[i].pass, &c);
		onpremcert_check_store(&c, st, "root.pem", time(NULL));
		check_facts_clean(&c.facts);
		onpremcert_free(&c);
	}
	X509_STORE_free(st);
}

Test(onpremcert, facts_outlive_the_key)
{
	struct onpremcert c;
	struct onpremcert_facts f;

	load_ok("enc.pem", PEM_PASS, &c);
	onpremcert_facts_take(&c, &f);
	cr_assert_null(c.facts.tls_certificate_name);
	onpremcert_free(&c);
	cr_assert_null(c.key);
	cr_assert_str_eq(f.leaf.common_name, "mail.contoso.test");
	cr_assert(f.key_present);
	cr_assert(onpremcert_name_matches(&f, "mail.contoso.test"));
	onpremcert_facts_free(&f);
	cr_assert_null(f.source);
	onpremcert_facts_free(&f);	/* twice is harmless */
}

/* Windows exports PFX files with RC2/3DES: OpenSSL 3 reads them only with the legacy provider. */
Test(onpremcert, pfx_legacy_encryption)
{
	struct onpremcert c;
	char cmd[512];

	snprintf(cmd, sizeof cmd, "openssl pkcs12 -export -legacy -in '%s' -passout 'pass:%s' "
	    "-out '%s' >/dev/null 2>&1", tpath("full.pem"), PFX_PASS, tpath("legacy.pfx"));
	if (system(cmd) != 0)
		cr_skip_test("no openssl command with -legacy to make the file");
	errbuf[0] = '\0';
	if (!onpremcert_load(tpath("legacy.pfx"), PFX_PASS, &c, errbuf, sizeof errbuf)) {
		/* Without the legacy provider installed, the message must say what to do. */
		cr_assert_not_null(strstr(errbuf, "re-export"), "%s", errbuf);
		cr_skip_test("OpenSSL legacy provider not available: %s", errbuf);
	}
	cr_assert_str_eq(c.facts.format, "PKCS12");
	cr_assert_not_null(c.key);
	cr_assert_eq(c.facts.nchain, 1);
	cr_assert_str_eq(c.facts.leaf.common_name, "mail.contoso.test");
	onpremcert_free(&c);
	load_fails("legacy.pfx", "wrong", "wrong password");
}

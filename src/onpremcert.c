#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cert.h"
#include "onpremcert.h"

#define MAX_FILE (4L * 1024 * 1024)
#define MAX_CERTS 64

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- small string buffer ---- */

struct sbuf {
	char *s;
	size_t n, cap;
	bool oom;
};

static void sb_addn(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *ns;

		while (cap < b->n + n + 1)
			cap *= 2;
		if ((ns = realloc(b->s, cap)) == NULL) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void sb_add(struct sbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

static void sb_addc(struct sbuf *b, char c)
{
	sb_addn(b, &c, 1);
}

static char *sb_take(struct sbuf *b)
{
	if (b->oom) {
		free(b->s);
		return NULL;
	}
	if (b->s == NULL)
		return strdup("");
	return b->s;
}

/* ---- the Windows X.500 form of a name ---- */

static const struct {
	int nid;
	const char *key;
} win_keys[] = {
	{ NID_commonName, "CN" },
	{ NID_organizationalUnitName, "OU" },
	{ NID_organizationName, "O" },
	{ NID_localityName, "L" },
	{ NID_stateOrProvinceName, "S" },
	{ NID_countryName, "C" },
	{ NID_streetAddress, "STREET" },
	{ NID_pkcs9_emailAddress, "E" },
	{ NID_domainComponent, "DC" },
	{ NID_serialNumber, "SERIALNUMBER" },
	{ NID_title, "T" },
	{ NID_givenName, "G" },
	{ NID_initials, "I" },
	{ NID_surname, "SN" },
	{ NID_description, "Description" },
	{ NID_postalCode, "PostalCode" },
	{ NID_postOfficeBox, "POBox" },
	{ NID_telephoneNumber, "Phone" },
	{ NID_x121Address, "X21Address" },
	{ NID_dnQualifier, "dnQualifier" },
	{ NID_pkcs9_unstructuredName, "UnstructuredName" },
	{ NID_pkcs9_unstructuredAddress, "UnstructuredAddress" },
};

static void add_win_key(struct sbuf *b, const ASN1_OBJECT *obj)
{
	int nid = OBJ_obj2nid(obj);
	char oid[128];

	for (size_t i = 0; i < sizeof win_keys / sizeof win_keys[0]; i++)
		if (win_keys[i].nid == nid && nid != NID_undef) {
			sb_add(b, win_keys[i].key);
			return;
		}
	if (OBJ_obj2txt(oid, sizeof oid, obj, 1) <= 0)
		snprintf(oid, sizeof oid, "?");
	sb_add(b, "OID.");
	sb_add(b, oid);
}

/* Windows quotes a value holding a separator or with outer spaces, doubling quotes. */
static void add_win_value(struct sbuf *b, const ASN1_STRING *d)
{
	unsigned char *u = NULL;
	int len = ASN1_STRING_to_UTF8(&u, d);
	bool quote;

	if (len < 0) {
		sb_add(b, "?");
		return;
	}
	quote = len == 0 || u[0] == ' ' || u[len - 1] == ' ';
	for (int i = 0; i < len && !quote; i++)
		if (strchr(",+=\"\n<>#;", u[i]) != NULL)
			quote = true;
	if (quote)
		sb_addc(b, '"');
	for (int i = 0; i < len; i++) {
		unsigned char c = u[i];

		if (c == '"' && quote)
			sb_add(b, "\"\"");
		else if (c < 0x20 || c == 0x7f)
			sb_addc(b, '?');	/* facts stay printable */
		else
			sb_addc(b, (char)c);
	}
	if (quote)
		sb_addc(b, '"');
	OPENSSL_free(u);
}

/* Most specific RDN first, ", " between RDNs, " + " inside a multi-valued RDN. */
static char *name_x500(const X509_NAME *n)
{
	struct sbuf b = { 0 };
	int count = X509_NAME_entry_count(n), end = count - 1;

	while (end >= 0) {
		int set = X509_NAME_ENTRY_set(X509_NAME_get_entry(n, end)), start = end;

		while (start > 0 && X509_NAME_ENTRY_set(X509_NAME_get_entry(n, start - 1)) == set)
			start--;
		if (b.n > 0)
			sb_add(&b, ", ");
		for (int i = start; i <= end; i++) {
			const X509_NAME_ENTRY *e = X509_NAME_get_entry(n, i);

			if (i > start)
				sb_add(&b, " + ");
			add_win_key(&b, X509_NAME_ENTRY_get_object(e));
			sb_addc(&b, '=');
			add_win_value(&b, X509_NAME_ENTRY_get_data(e));
		}
		end = start - 1;
	}
	return sb_take(&b);
}

/* ---- reading the file ---- */

static unsigned char *read_file(const char *path, size_t *lenp, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf = NULL;
	long size;
	size_t got;

	if (fp == NULL) {
		seterr(err, errlen, "cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
		seterr(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		fclose(fp);
		return NULL;
	}
	if (size == 0) {
		seterr(err, errlen, "'%s' is empty: no certificate in it", path);
		fclose(fp);
		return NULL;
	}
	if (size > MAX_FILE) {
		seterr(err, errlen, "'%s' is too large (%ld bytes) to be a certificate file", path, size);
		fclose(fp);
		return NULL;
	}
	if ((buf = malloc((size_t)size + 1)) == NULL) {
		seterr(err, errlen, "out of memory");
		fclose(fp);
		return NULL;
	}
	got = fread(buf, 1, (size_t)size, fp);
	fclose(fp);
	if (got != (size_t)size) {
		seterr(err, errlen, "cannot read '%s': short read", path);
		OPENSSL_clear_free(buf, (size_t)size + 1);
		return NULL;
	}
	buf[size] = '\0';
	*lenp = (size_t)size;
	return buf;
}

struct pwcb {
	const char *password;
	bool asked;
};

static int pem_pw_cb(char *buf, int size, int rwflag, void *u)
{
	struct pwcb *p = u;
	size_t len;

	(void)rwflag;
	p->asked = true;
	if (p->password == NULL)
		return -1;
	len = strlen(p->password);
	if (size < 0 || len > (size_t)size)
		return -1;
	memcpy(buf, p->password, len);
	return (int)len;
}

static bool is_cert_block(const char *name)
{
	return strcmp(name, PEM_STRING_X509) == 0 || strcmp(name, PEM_STRING_X509_OLD) == 0 ||
	    strcmp(name, PEM_STRING_X509_TRUSTED) == 0;
}

static bool is_key_block(const char *name)
{
	size_t n = strlen(name), k = strlen("PRIVATE KEY");

	return n >= k && strcmp(name + n - k, "PRIVATE KEY") == 0;
}

/* One PEM key block, decrypted with the password when it is encrypted. */
static EVP_PKEY *pem_key(const char *name, const char *header, const unsigned char *data,
    long len, const char *path, const char *password, bool *pw_used, char *err, size_t errlen)
{
	BIO *b = BIO_new(BIO_s_secmem());
	struct pwcb pw = { password, false };
	EVP_PKEY *k = NULL;

	if (b == NULL || PEM_write_bio(b, name, header, data, len) <= 0) {
		seterr(err, errlen, "out of memory");
		BIO_free(b);
		return NULL;
	}
	k = PEM_read_bio_PrivateKey(b, NULL, pem_pw_cb, &pw);
	BIO_free(b);
	if (pw.asked)
		*pw_used = true;
	if (k != NULL)
		return k;
	if (pw.asked && password == NULL)
		seterr(err, errlen, "the private key in '%s' is encrypted: give its password", path);
	else if (pw.asked)
		seterr(err, errlen, "wrong password for the private key in '%s' (it could not be "
		    "decrypted)", path);
	else {
		unsigned long e = ERR_peek_last_error();

		seterr(err, errlen, "the private key in '%s' cannot be read: %s", path,
		    e ? ERR_reason_error_string(e) : "unknown format");
	}
	return NULL;
}

static bool push_cert(STACK_OF(X509) *all, X509 *x, const char *path, char *err, size_t errlen)
{
	if (sk_X509_num(all) >= MAX_CERTS) {
		seterr(err, errlen, "'%s' holds more than %d certificates", path, MAX_CERTS);
		X509_free(x);
		return false;
	}
	if (sk_X509_push(all, x) <= 0) {
		seterr(err, errlen, "out of memory");
		X509_free(x);
		return false;
	}
	return true;
}

static bool load_pem(const unsigned char *buf, size_t len, const char *path, const char *password,
    STACK_OF(X509) *all, EVP_PKEY **key, bool *pw_used, char *err, size_t errlen)
{
	BIO *in = BIO_new_mem_buf(buf, (int)len);
	char *name = NULL, *header = NULL;
	unsigned char *data = NULL;
	long dlen = 0;
	char seen[200] = "";
	bool ok = true;
	int blocks = 0;

	if (in == NULL) {
		seterr(err, errlen, "out of memory");
		return false;
	}
	while (ok && PEM_read_bio(in, &name, &header, &data, &dlen) == 1) {
		blocks++;
		if (is_cert_block(name)) {
			const unsigned char *p = data;
			X509 *x = d2i_X509(NULL, &p, dlen);

			if (x == NULL) {
				seterr(err, errlen, "certificate #%d in '%s' is corrupt (not X.509 DER "
				    "inside the PEM armour)", sk_X509_num(all) + 1, path);
				ok = false;
			} else
				ok = push_cert(all, x, path, err, errlen);
		} else if (is_key_block(name)) {
			if (*key != NULL) {
				seterr(err, errlen, "'%s' holds more than one private key", path);
				ok = false;
			} else
				ok = (*key = pem_key(name, header, data, dlen, path, password,
				    pw_used, err, errlen)) != NULL;
		} else if (strlen(seen) + strlen(name) + 3 < sizeof seen) {
			if (seen[0] != '\0')
				strcat(seen, ", ");
			strcat(seen, name);
		}
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_clear_free(data, dlen > 0 ? (size_t)dlen : 0);
		name = header = NULL;
		data = NULL;
	}
	BIO_free(in);
	ERR_clear_error();
	if (!ok)
		return false;
	if (blocks == 0) {
		seterr(err, errlen, "'%s' is not a certificate file: no PEM block could be read "
		    "(damaged armour?)", path);
		return false;
	}
	if (sk_X509_num(all) == 0) {
		seterr(err, errlen, "no certificate in '%s'%s%s%s", path,
		    *key != NULL ? " (only a private key)" : "",
		    seen[0] ? "; found: " : "", seen);
		return false;
	}
	return true;
}

static bool p12_parse(PKCS12 *p12, const char *pass, EVP_PKEY **key, X509 **cert,
    STACK_OF(X509) **ca)
{
	OSSL_PROVIDER *legacy;
	bool ok;

	if (PKCS12_parse(p12, pass, key, cert, ca) == 1)
		return true;
	/*
	 * Windows exports often use RC2-40 / 3DES: OpenSSL 3 needs the legacy
	 * provider. Loaded only for this parse, and unloaded again (the key
	 * itself belongs to the default provider).
	 */
	if ((legacy = OSSL_PROVIDER_try_load(NULL, "legacy", 1)) == NULL)
		return false;
	ERR_clear_error();
	ok = PKCS12_parse(p12, pass, key, cert, ca) == 1;
	OSSL_PROVIDER_unload(legacy);
	return ok;
}

static bool load_p12(PKCS12 *p12, const char *path, const char *password, STACK_OF(X509) *all,
    EVP_PKEY **key, bool *pw_used, char *err, size_t errlen)
{
	const char *pass = password;
	X509 *cert = NULL;
	STACK_OF(X509) *ca = NULL;
	bool ok = true;

	if (PKCS12_mac_present(p12)) {
		if (password != NULL) {
			if (PKCS12_verify_mac(p12, password, -1) != 1) {
				seterr(err, errlen, "wrong password for the PFX file '%s'", path);
				return false;
			}
		} else if (PKCS12_verify_mac(p12, NULL, 0) == 1)
			pass = NULL;
		else if (PKCS12_verify_mac(p12, "", 0) == 1)
			pass = "";
		else {
			seterr(err, errlen, "the PFX file '%s' is protected by a password: give it",
			    path);
			return false;
		}
	} else if (pass == NULL)
		pass = "";
	*pw_used = pass != NULL && pass[0] != '\0';
	if (!p12_parse(p12, pass, key, &cert, &ca)) {
		unsigned long e = ERR_peek_last_error();

		seterr(err, errlen, "cannot decrypt the PFX file '%s' (%s); if it was exported "
		    "with old encryption (RC2/3DES), re-export it with AES256-SHA256", path,
		    e ? ERR_reason_error_string(e) : "wrong password?");
		ERR_clear_error();
		return false;
	}
	ERR_clear_error();
	if (cert != NULL)
		ok = push_cert(all, cert, path, err, errlen);
	while (ok && ca != NULL && sk_X509_num(ca) > 0)
		ok = push_cert(all, sk_X509_shift(ca), path, err, errlen);
	sk_X509_pop_free(ca, X509_free);
	if (!ok)
		return false;
	if (sk_X509_num(all) == 0) {
		seterr(err, errlen, "no certificate in the PFX file '%s'%s", path,
		    *key != NULL ? " (only a private key)" : "");
		return false;
	}
	return true;
}

/* Does x issue some other certificate of all? */
static bool issues_another(STACK_OF(X509) *all, X509 *x)
{
	for (int i = 0; i < sk_X509_num(all); i++) {
		X509 *y = sk_X509_value(all, i);

		if (y != x && X509_check_issued(x, y) == X509_V_OK)
			return true;
	}
	return false;
}

/* Without a key, the leaf is the certificate that issues no other: a non-CA first. */
static int pick_leaf(STACK_OF(X509) *all)
{
	int first_end = -1;

	for (int i = 0; i < sk_X509_num(all); i++) {
		X509 *x = sk_X509_value(all, i);

		if (issues_another(all, x))
			continue;
		if (X509_check_ca(x) == 0)
			return i;
		if (first_end < 0)
			first_end = i;
	}
	return first_end >= 0 ? first_end : 0;
}

static bool fill_facts(struct onpremcert *c, const char *path)
{
	struct onpremcert_facts *f = &c->facts;
	int n = sk_X509_num(c->chain);

	if ((f->source = strdup(path)) == NULL || !cert_facts_from_x509(c->leaf, &f->leaf))
		return false;
	if (n > 0) {
		if ((f->chain = calloc((size_t)n, sizeof *f->chain)) == NULL)
			return false;
		for (int i = 0; i < n; i++) {
			if (!cert_facts_from_x509(sk_X509_value(c->chain, i), &f->chain[i]))
				return false;
			f->nchain++;
		}
	}
	f->issuer_x500 = name_x500(X509_get_issuer_name(c->leaf));
	f->subject_x500 = name_x500(X509_get_subject_name(c->leaf));
	if (f->issuer_x500 == NULL || f->subject_x500 == NULL)
		return false;
	if (asprintf(&f->tls_certificate_name, "<I>%s<S>%s", f->issuer_x500, f->subject_x500) < 0) {
		f->tls_certificate_name = NULL;
		return false;
	}
	return true;
}

bool onpremcert_load(const char *path, const char *password, struct onpremcert *out,
    char *err, size_t errlen)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	STACK_OF(X509) *all = NULL;
	EVP_PKEY *key = NULL;
	bool pw_used = false, ok = false;
	const char *format = "PEM";
	int li = -1;

	memset(out, 0, sizeof *out);
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (path == NULL || *path == '\0') {
		seterr(err, errlen, "no certificate file given");
		return false;
	}
	if ((buf = read_file(path, &len, err, errlen)) == NULL)
		return false;
	if ((all = sk_X509_new_null()) == NULL) {
		seterr(err, errlen, "out of memory");
		goto out;
	}
	if (memmem(buf, len, "-----BEGIN ", 11) != NULL) {
		if (!load_pem(buf, len, path, password, all, &key, &pw_used, err, errlen))
			goto out;
	} else {
		const unsigned char *p = buf;
		PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);

		if (p12 != NULL) {
			format = "PKCS12";
			ok = load_p12(p12, path, password, all, &key, &pw_used, err, errlen);
			PKCS12_free(p12);
			if (!ok)
				goto out;
			ok = false;
		} else {
			X509 *x;

			p = buf;
			if ((x = d2i_X509(NULL, &p, (long)len)) == NULL) {
				seterr(err, errlen, "'%s' is neither a PEM file nor a PFX/PKCS#12 file "
				    "nor a DER certificate", path);
				goto out;
			}
			format = "DER";
			if (!push_cert(all, x, path, err, errlen))
				goto out;
		}
	}
	ERR_clear_error();

	if (key != NULL) {
		for (int i = 0; i < sk_X509_num(all) && li < 0; i++)
			if (X509_check_private_key(sk_X509_value(all, i), key) == 1)
				li = i;
		ERR_clear_error();
		if (li < 0) {
			char *subj = name_x500(X509_get_subject_name(sk_X509_value(all, 0)));

			seterr(err, errlen, "the private key in '%s' does not match the certificate "
			    "(%s)%s", path, subj ? subj : "?",
			    sk_X509_num(all) > 1 ? " nor any other certificate in the file" : "");
			free(subj);
			goto out;
		}
	} else
		li = pick_leaf(all);

	out->leaf = sk_X509_delete(all, li);
	out->chain = all;
	all = NULL;
	out->key = key;
	key = NULL;
	snprintf(out->facts.format, sizeof out->facts.format, "%s", format);
	out->facts.password_used = pw_used;
	out->facts.key_present = out->key != NULL;
	out->facts.key_matches = out->key != NULL;
	if (!fill_facts(out, path)) {
		seterr(err, errlen, "out of memory");
		onpremcert_free(out);
		goto out;
	}
	ok = true;
out:
	ERR_clear_error();
	OPENSSL_clear_free(buf, len + 1);
	sk_X509_pop_free(all, X509_free);
	EVP_PKEY_free(key);
	return ok;
}

/* ---- verification and chain completeness ---- */

/* Self-signed whatever its key usage (a self-signed leaf has no keyCertSign). */
static bool self_signed(X509 *x)
{
	bool ss = X509_self_signed(x, 1) == 1;

	ERR_clear_error();
	return ss;
}

static void judge_chain(struct onpremcert *c, X509_STORE *store)
{
	struct onpremcert_facts *f = &c->facts;
	int n = sk_X509_num(c->chain);
	bool used[MAX_CERTS] = { false };
	X509 *end = c->leaf, *iss = NULL;
	X509_STORE_CTX *ctx;

	/* Follow the file's certificates from the leaf up, as far as they go. */
	for (;;) {
		int next = -1;

		if (self_signed(end))
			break;
		for (int i = 0; i < n && i < MAX_CERTS && next < 0; i++)
			if (!used[i] && X509_check_issued(sk_X509_value(c->chain, i), end) == X509_V_OK)
				next = i;
		if (next < 0)
			break;
		used[next] = true;
		end = sk_X509_value(c->chain, next);
	}
	f->chain_complete = false;
	if ((ctx = X509_STORE_CTX_new()) != NULL && X509_STORE_CTX_init(ctx, store, end, NULL) == 1 &&
	    X509_STORE_CTX_get1_issuer(&iss, ctx, end) == 1 && iss != NULL)
		f->chain_complete = self_signed(iss);
	X509_free(iss);
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	free(f->chain_missing);
	f->chain_missing = f->chain_complete || self_signed(end) ? strdup("") :
	    name_x500(X509_get_issuer_name(end));
}

bool onpremcert_check_store(struct onpremcert *c, X509_STORE *store, const char *label,
    time_t at)
{
	struct onpremcert_facts *f = &c->facts;
	size_t n = 1 + (size_t)sk_X509_num(c->chain);
	X509 **v = calloc(n, sizeof *v);

	free(f->verr);
	f->verr = NULL;
	f->nverr = 0;
	free(f->trust_store);
	f->trust_store = strdup(label != NULL ? label : "system");
	f->checked = true;
	f->checked_at = at;
	f->verified = false;
	if (v != NULL) {
		v[0] = c->leaf;
		for (size_t i = 1; i < n; i++)
			v[i] = sk_X509_value(c->chain, (int)i - 1);
		f->verified = cert_verify_chain(store, v, n, at, &f->verr, &f->nverr);
		free(v);
	}
	judge_chain(c, store);
	return true;
}

bool onpremcert_check(struct onpremcert *c, const char *ca_file, time_t at,
    char *err, size_t errlen)
{
	char *cause = NULL;
	X509_STORE *st = cert_store_new(ca_file, &cause);

	if (st == NULL) {
		seterr(err, errlen, "%s", cause ? cause : "cannot load the trust store");
		free(cause);
		return false;
	}
	char *label = cert_store_label(ca_file);

	onpremcert_check_store(c, st, label != NULL ? label : "system", at);
	free(label);
	X509_STORE_free(st);
	return true;
}

/* ---- names ---- */

/* A copy of s without trailing dots, lower case; NULL when empty or too long. */
static bool norm_host(const char *s, char *out, size_t outlen)
{
	size_t n;

	if (s == NULL)
		return false;
	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ' '))
		n--;
	if (n == 0 || n >= outlen)
		return false;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
	return true;
}

/* pattern "*.suffix" against name: exactly one non-empty label before suffix. */
static bool wild_match(const char *pattern, const char *name)
{
	const char *suffix = pattern + 1;	/* ".contoso.com" */
	size_t ls = strlen(suffix), ln = strlen(name);

	/* "*.com" would match half the internet: the suffix must have two labels. */
	if (strchr(suffix + 1, '.') == NULL || ln <= ls)
		return false;
	if (strcmp(name + ln - ls, suffix) != 0)
		return false;
	for (size_t i = 0; i < ln - ls; i++)
		if (name[i] == '.' || name[i] == '*')
			return false;
	return true;
}

static bool host_match(const char *want, const char *have_raw)
{
	char have[256];

	if (!norm_host(have_raw, have, sizeof have))
		return false;
	if (strcmp(want, have) == 0)
		return true;
	if (want[0] == '*' && want[1] == '.' && have[0] != '*')
		return wild_match(want, have);
	if (have[0] == '*' && have[1] == '.' && want[0] != '*')
		return wild_match(have, want);
	return false;
}

bool onpremcert_name_matches(const struct onpremcert_facts *f, const char *name)
{
	char want[256];

	if (f == NULL || !norm_host(name, want, sizeof want))
		return false;
	if (f->leaf.common_name != NULL && host_match(want, f->leaf.common_name))
		return true;
	for (size_t i = 0; i < f->leaf.nsan; i++)
		if (strncmp(f->leaf.san[i], "DNS:", 4) == 0 && host_match(want, f->leaf.san[i] + 4))
			return true;
	return false;
}

/* ---- TlsCertificateName comparison ---- */

static const struct {
	const char *alias, *key;
} key_alias[] = {
	{ "ST", "S" }, { "EMAIL", "E" }, { "EMAILADDRESS", "E" }, { "SURNAME", "SN" },
	{ "GIVENNAME", "G" }, { "TITLE", "T" }, { "INITIALS", "I" },
	{ "OID.2.5.4.5", "SERIALNUMBER" }, { "2.5.4.5", "SERIALNUMBER" },
	{ "OID.2.5.4.3", "CN" }, { "2.5.4.3", "CN" },
};

/* Append one canonical "KEY=value\n" for s[0..n). */
static bool canon_ava(struct sbuf *b, const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);
	size_t ks, ke, vs, ve;
	char key[64];
	bool quoted = false;

	if (eq == NULL)
		return false;
	ks = 0;
	ke = (size_t)(eq - s);
	while (ks < ke && isspace((unsigned char)s[ks]))
		ks++;
	while (ke > ks && isspace((unsigned char)s[ke - 1]))
		ke--;
	if (ke == ks || ke - ks >= sizeof key)
		return false;
	for (size_t i = ks; i < ke; i++)
		key[i - ks] = (char)toupper((unsigned char)s[i]);
	key[ke - ks] = '\0';
	for (size_t i = 0; i < sizeof key_alias / sizeof key_alias[0]; i++)
		if (strcmp(key, key_alias[i].alias) == 0) {
			snprintf(key, sizeof key, "%s", key_alias[i].key);
			break;
		}
	vs = (size_t)(eq - s) + 1;
	ve = n;
	while (vs < ve && isspace((unsigned char)s[vs]))
		vs++;
	while (ve > vs && isspace((unsigned char)s[ve - 1]) &&
	    !(ve >= 2 && s[ve - 2] == '\\'))
		ve--;
	sb_add(b, key);
	sb_addc(b, '=');
	if (ve > vs && s[vs] == '"') {
		quoted = true;
		vs++;
		if (ve > vs && s[ve - 1] == '"')
			ve--;
		else
			return false;
	}
	for (size_t i = vs; i < ve; i++) {
		if (quoted && s[i] == '"' && i + 1 < ve && s[i + 1] == '"') {
			sb_addc(b, '"');
			i++;
		} else if (quoted && s[i] == '\\' && i + 1 < ve && s[i + 1] == '"') {
			sb_addc(b, '"');
			i++;
		} else if (!quoted && s[i] == '\\' && i + 1 < ve) {
			sb_addc(b, s[i + 1]);
			i++;
		} else
			sb_addc(b, s[i]);
	}
	sb_addc(b, '\n');
	return true;
}

/* A DN as a canonical list of "KEY=value" lines; NULL when it does not parse. */
static char *canon_dn(const char *s, size_t n)
{
	struct sbuf b = { 0 };
	size_t start = 0;
	bool inq = false;

	for (size_t i = 0; i <= n; i++) {
		if (i + 1 < n && s[i] == '\\' && !inq) {
			i++;
			continue;
		}
		if (i < n && s[i] == '"') {
			inq = !inq;
			continue;
		}
		if (i == n || (!inq && (s[i] == ',' || s[i] == ';' || s[i] == '+'))) {
			size_t k = start;

			while (k < i && isspace((unsigned char)s[k]))
				k++;
			if (k == i) {
				/* An empty component: only the whole empty DN is fine. */
				if (i == n && start == 0)
					break;
				free(b.s);
				return NULL;
			}
			if (!canon_ava(&b, s + start, i - start)) {
				free(b.s);
				return NULL;
			}
			start = i + 1;
		}
	}
	if (inq) {
		free(b.s);
		return NULL;
	}
	return sb_take(&b);
}

/* Find "<S>" / "[S]" outside quotes. */
static const char *find_subject_tag(const char *s, char open, char close)
{
	bool inq = false;

	for (const char *p = s; *p; p++) {
		if (*p == '"')
			inq = !inq;
		else if (!inq && p[0] == open && (p[1] == 'S' || p[1] == 's') && p[2] == close)
			return p;
	}
	/* An unbalanced quote: fall back to the first tag. */
	for (const char *p = s; *p; p++)
		if (p[0] == open && (p[1] == 'S' || p[1] == 's') && p[2] == close)
			return p;
	return NULL;
}

static bool split_tlscertname(const char *s, char **iss, char **sub)
{
	const char *is, *tag, *ss, *end;
	char open, close;

	*iss = *sub = NULL;
	if (s == NULL)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	if ((s[0] != '<' && s[0] != '[') || (s[1] != 'I' && s[1] != 'i'))
		return false;
	open = s[0];
	close = open == '<' ? '>' : ']';
	if (s[2] != close)
		return false;
	is = s + 3;
	if ((tag = find_subject_tag(is, open, close)) == NULL)
		return false;
	ss = tag + 3;
	end = ss + strlen(ss);
	while (end > ss && isspace((unsigned char)end[-1]))
		end--;
	*iss = canon_dn(is, (size_t)(tag - is));
	*sub = canon_dn(ss, (size_t)(end - ss));
	if (*iss == NULL || *sub == NULL) {
		free(*iss);
		free(*sub);
		*iss = *sub = NULL;
		return false;
	}
	return true;
}

bool onpremcert_tlscertname_equal(const char *a, const char *b)
{
	char *ai, *as, *bi, *bs;
	bool eq;

	if (!split_tlscertname(a, &ai, &as))
		return false;
	if (!split_tlscertname(b, &bi, &bs)) {
		free(ai);
		free(as);
		return false;
	}
	eq = strcmp(ai, bi) == 0 && strcmp(as, bs) == 0;
	free(ai);
	free(as);
	free(bi);
	free(bs);
	return eq;
}

/* ---- EKU ---- */

static bool has_token(const char *list, const char *tok)
{
	size_t n = strlen(tok);

	for (const char *p = list; (p = strstr(p, tok)) != NULL; p += n) {
		bool start = p == list || p[-1] == ' ' || p[-1] == ',';
		bool end = p[n] == '\0' || p[n] == ',' || p[n] == '\n';

		if (start && end)
			return true;
	}
	return false;
}

bool onpremcert_eku_ok(const struct onpremcert_facts *f)
{
	const char *e = f != NULL ? f->leaf.ext_key_usage : NULL;

	if (e == NULL || *e == '\0')
		return true;
	if (has_token(e, "Any Extended Key Usage"))
		return true;
	return has_token(e, "TLS Web Server Authentication") &&
	    has_token(e, "TLS Web Client Authentication");
}

/* ---- presenting it ---- */

static const char *ssl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;

	return r != NULL ? r : "unknown error";
}

bool onpremcert_attach(const struct onpremcert *c, SSL_CTX *ctx, char *err, size_t errlen)
{
	if (c == NULL || c->leaf == NULL || ctx == NULL) {
		seterr(err, errlen, "no certificate loaded");
		return false;
	}
	if (c->key == NULL) {
		seterr(err, errlen, "'%s' holds no private key: the certificate cannot be presented "
		    "as a client certificate (give a PFX with its key, or a PEM file with the key)",
		    c->facts.source ? c->facts.source : "the certificate file");
		return false;
	}
	if (SSL_CTX_use_certificate(ctx, c->leaf) != 1) {
		seterr(err, errlen, "cannot use the certificate: %s", ssl_reason());
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey(ctx, c->key) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
		seterr(err, errlen, "cannot use the private key: %s", ssl_reason());
		goto fail;
	}
	for (int i = 0; i < sk_X509_num(c->chain); i++)
		if (SSL_CTX_add1_chain_cert(ctx, sk_X509_value(c->chain, i)) != 1) {
			seterr(err, errlen, "cannot add chain certificate #%d: %s", i + 1,
			    ssl_reason());
			goto fail;
		}
	ERR_clear_error();
	return true;
fail:
	ERR_clear_error();
	return false;
}

/* ---- freeing ---- */

void onpremcert_facts_take(struct onpremcert *c, struct onpremcert_facts *out)
{
	*out = c->facts;
	memset(&c->facts, 0, sizeof c->facts);
}

void onpremcert_facts_free(struct onpremcert_facts *f)
{
	if (f == NULL)
		return;
	free(f->source);
	cert_facts_free(&f->leaf);
	for (size_t i = 0; i < f->nchain; i++)
		cert_facts_free(&f->chain[i]);
	free(f->chain);
	free(f->issuer_x500);
	free(f->subject_x500);
	free(f->tls_certificate_name);
	free(f->verr);
	free(f->trust_store);
	free(f->chain_missing);
	memset(f, 0, sizeof *f);
}

void onpremcert_free(struct onpremcert *c)
{
	if (c == NULL)
		return;
	X509_free(c->leaf);
	sk_X509_pop_free(c->chain, X509_free);
	EVP_PKEY_free(c->key);
	onpremcert_facts_free(&c->facts);
	memset(c, 0, sizeof *c);
}

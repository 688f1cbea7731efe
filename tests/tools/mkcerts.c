/*
 * mkcerts OUTDIR: the test PKI of the integration servers.
 * mkcerts --demo OUTDIR: the same kind of PKI with Exchange Online and
 * contoso.com names, for the demo scenarios (tests/demos/mkdemos.sh).
 *
 * A trusted root and intermediate, an untrusted ("rogue") pair, and for
 * each scenario S: S.key, S.crt (the leaf) and S.chain.pem (what the server
 * sends: leaf first, then intermediates). Everything is regenerated on each
 * run, so validity windows are relative to now.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>

#include "certgen.h"

#define DAY	86400L
#define YEAR	(365 * DAY)

enum signer {
	BY_INTER,		/* the trusted intermediate */
	BY_ROGUE,		/* the untrusted intermediate */
	BY_SELF
};

enum chain {
	CHAIN_INTER,		/* leaf + inter */
	CHAIN_LEAF,		/* leaf only */
	CHAIN_ROGUE		/* leaf + rogue-inter + rogue-ca */
};

struct leaf {
	const char		*name;
	const char		*cn;
	const char *const	*sans;
	long			 not_before_s;
	long			 not_after_s;
	int			 rsa_bits;	/* 0: EC P-256 */
	int			 sha1;
	enum signer		 signer;
	enum chain		 chain;
};

static const char *const sans_healthy[] = { "mail.test", "exim.test", NULL };
static const char *const sans_mail[] = { "mail.test", NULL };
static const char *const sans_other[] = { "other.test", NULL };
static const char *const sans_client[] = { "onprem.test", NULL };

/* The demo scenarios: what Exchange Online and an on-premises Exchange present. */
static const char *const sans_exo[] = { "mail.protection.outlook.com",
    "*.mail.protection.outlook.com", NULL };
static const char *const sans_contoso[] = { "mail.contoso.com",
    "autodiscover.contoso.com", NULL };
static const char *const sans_ex01[] = { "EX01", "EX01.contoso.local", NULL };

static const struct leaf demo_leaves[] = {
	{ "exo", "mail.protection.outlook.com", sans_exo, -30 * DAY, YEAR,
	    2048, 0, BY_INTER, CHAIN_INTER },
	{ "onprem", "mail.contoso.com", sans_contoso, -30 * DAY, YEAR, 2048, 0,
	    BY_INTER, CHAIN_INTER },
	{ "onprem-expired", "mail.contoso.com", sans_contoso, -YEAR - 30 * DAY,
	    -12 * DAY, 2048, 0, BY_INTER, CHAIN_INTER },
	{ "onprem-nointer", "mail.contoso.com", sans_contoso, -30 * DAY, YEAR,
	    2048, 0, BY_INTER, CHAIN_LEAF },
	/* Exchange's own self-signed certificate, named after the server. */
	{ "onprem-default", "EX01", sans_ex01, -2 * YEAR, 3 * YEAR, 2048, 0,
	    BY_SELF, CHAIN_LEAF },
};

/*
 * RSA key generation costs ~0.3 s here, so only the trusted CAs (so that
 * "weak" is sha1WithRSAEncryption, as real ones are), the certificate most
 * servers present (healthy: Exchange uses RSA) and the weak one are RSA;
 * the rogue CAs and the other leaves use P-256, which is instant.
 */
static const struct leaf leaves[] = {
	{ "healthy", "mail.test", sans_healthy, -DAY, YEAR, 2048, 0,
	    BY_INTER, CHAIN_INTER },
	{ "expired", "mail.test", sans_mail, -60 * DAY, -DAY, 0, 0,
	    BY_INTER, CHAIN_INTER },
	{ "notyet", "mail.test", sans_mail, 30 * DAY, 400 * DAY, 0, 0,
	    BY_INTER, CHAIN_INTER },
	{ "expiring", "mail.test", sans_mail, -DAY, 10 * DAY, 0, 0,
	    BY_INTER, CHAIN_INTER },
	{ "wrongname", "other.test", sans_other, -DAY, YEAR, 0, 0,
	    BY_INTER, CHAIN_INTER },
	{ "selfsigned", "mail.test", sans_mail, -DAY, YEAR, 0, 0,
	    BY_SELF, CHAIN_LEAF },
	{ "nointer", "mail.test", sans_mail, -DAY, YEAR, 0, 0,
	    BY_INTER, CHAIN_LEAF },
	{ "untrusted", "mail.test", sans_mail, -DAY, YEAR, 0, 0,
	    BY_ROGUE, CHAIN_ROGUE },
	/* Unit tests only: servers may refuse to load it. */
	{ "weak", "mail.test", sans_mail, -DAY, YEAR, 1024, 1,
	    BY_INTER, CHAIN_INTER },
	{ "client", "onprem.test", sans_client, -DAY, YEAR, 0, 0,
	    BY_INTER, CHAIN_INTER },
};

struct ca {
	EVP_PKEY	*key;
	X509		*crt;
};

static const char *outdir;

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "mkcerts: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static const char *
path_of(char *buf, size_t size, const char *name, const char *suffix)
{
	int	n;

	n = snprintf(buf, size, "%s/%s%s", outdir, name, suffix);
	if (n < 0 || (size_t)n >= size)
		fail("path too long: %s/%s%s", outdir, name, suffix);
	return buf;
}

static void
write_key(const char *name, const char *suffix, EVP_PKEY *key)
{
	char	path[PATH_MAX];

	if (certgen_write_key(path_of(path, sizeof path, name, suffix),
	    key) != 0)
		fail("cannot write %s", path);
}

static void
write_certs(const char *name, const char *suffix, X509 *const *certs,
    size_t n)
{
	char	path[PATH_MAX];

	if (certgen_write_pem(path_of(path, sizeof path, name, suffix),
	    certs, n) != 0)
		fail("cannot write %s", path);
}

static void
make_ca(struct ca *ca, const char *file, const char *cn, long days,
    const struct ca *parent, int rsa)
{
	struct certgen_spec	spec = {
		.cn = cn,
		.not_before_s = -DAY,
		.not_after_s = days * DAY,
		.is_ca = 1,
	};

	ca->key = rsa ? certgen_key_rsa(2048) : certgen_key_ec();
	if (ca->key == NULL)
		fail("cannot make the key of %s", cn);
	ca->crt = certgen_issue(&spec, ca->key,
	    parent != NULL ? parent->crt : NULL,
	    parent != NULL ? parent->key : NULL);
	if (ca->crt == NULL)
		fail("cannot issue %s", cn);
	write_key(file, ".key", ca->key);
	write_certs(file, ".pem", &ca->crt, 1);
}

static void
make_leaf(const struct leaf *l, const struct ca *inter,
    const struct ca *rogue_inter, const struct ca *rogue_root)
{
	struct certgen_spec	 spec = {
		.cn = l->cn,
		.dns_sans = l->sans,
		.not_before_s = l->not_before_s,
		.not_after_s = l->not_after_s,
		.md = l->sha1 ? EVP_sha1() : NULL,
		.server_eku = 1,
	};
	const struct ca		*by = NULL;
	EVP_PKEY		*key;
	X509			*chain[3];
	size_t			 n = 0;

	if (l->signer == BY_INTER)
		by = inter;
	else if (l->signer == BY_ROGUE)
		by = rogue_inter;

	key = l->rsa_bits > 0 ? certgen_key_rsa(l->rsa_bits) : certgen_key_ec();
	if (key == NULL)
		fail("cannot make the key of %s", l->name);
	chain[n] = certgen_issue(&spec, key, by != NULL ? by->crt : NULL,
	    by != NULL ? by->key : NULL);
	if (chain[n++] == NULL)
		fail("cannot issue %s", l->name);
	if (l->chain == CHAIN_INTER)
		chain[n++] = inter->crt;
	else if (l->chain == CHAIN_ROGUE) {
		chain[n++] = rogue_inter->crt;
		chain[n++] = rogue_root->crt;
	}

	write_key(l->name, ".key", key);
	write_certs(l->name, ".crt", chain, 1);
	write_certs(l->name, ".chain.pem", chain, n);
	X509_free(chain[0]);
	EVP_PKEY_free(key);
}

/*
 * longchain: a valid chain of LONG_CHAIN certificates, the most a hostile
 * or badly configured server might send: the leaf, LONG_CHAIN - 2
 * intermediates each issued by the one before, and the test intermediate.
 */
#define LONG_CHAIN	100

static void
make_long_chain(const struct ca *inter)
{
	struct certgen_spec	 spec = {
		.not_before_s = -DAY,
		.not_after_s = YEAR,
		.is_ca = 1,
	};
	X509			*chain[LONG_CHAIN];
	EVP_PKEY		*key, *issuer_key = inter->key;
	X509			*issuer = inter->crt;
	char			 cn[64];
	int			 i;

	/* chain[LONG_CHAIN - 1] is the test intermediate; fill it backwards. */
	chain[LONG_CHAIN - 1] = inter->crt;
	for (i = LONG_CHAIN - 2; i >= 0; i--) {
		if (i == 0) {
			spec.cn = "mail.test";
			spec.dns_sans = sans_mail;
			spec.is_ca = 0;
			spec.server_eku = 1;
		} else {
			snprintf(cn, sizeof cn, "hybridtls Long Chain CA %d",
			    LONG_CHAIN - 1 - i);
			spec.cn = cn;
		}
		if ((key = certgen_key_ec()) == NULL)
			fail("cannot make a key of longchain");
		if ((chain[i] = certgen_issue(&spec, key, issuer,
		    issuer_key)) == NULL)
			fail("cannot issue %s", spec.cn);
		if (issuer_key != inter->key)
			EVP_PKEY_free(issuer_key);
		issuer = chain[i];
		issuer_key = key;
	}
	write_key("longchain", ".key", issuer_key);
	write_certs("longchain", ".crt", chain, 1);
	write_certs("longchain", ".chain.pem", chain, LONG_CHAIN);
	EVP_PKEY_free(issuer_key);
	for (i = 0; i < LONG_CHAIN - 1; i++)
		X509_free(chain[i]);
}

static void
free_ca(struct ca *ca)
{
	X509_free(ca->crt);
	EVP_PKEY_free(ca->key);
}

int
main(int argc, char *argv[])
{
	struct ca		 root, inter, rogue_root, rogue_inter;
	const struct leaf	*table = leaves;
	size_t			 i, n = sizeof leaves / sizeof leaves[0];
	int			 demo = argc == 3 && strcmp(argv[1], "--demo") == 0;

	if (argc != 2 + demo || argv[1 + demo][0] == '\0') {
		fprintf(stderr, "usage: mkcerts [--demo] OUTDIR\n");
		return 1;
	}
	outdir = argv[1 + demo];
	if (demo) {
		table = demo_leaves;
		n = sizeof demo_leaves / sizeof demo_leaves[0];
	}
	/* Servers that drop privileges (exim) must be able to look inside. */
	if (mkdir(outdir, 0755) == 0) {
		if (chmod(outdir, 0755) != 0)
			fail("chmod %s: %s", outdir, strerror(errno));
	} else if (errno != EEXIST)
		fail("mkdir %s: %s", outdir, strerror(errno));

	make_ca(&root, "ca", demo ? "Demo Root CA" : "hybridtls Test Root CA",
	    3650, NULL, 1);
	make_ca(&inter, "inter", demo ? "Demo TLS Issuing CA 01" :
	    "hybridtls Test Intermediate CA", 1825, &root, 1);
	make_ca(&rogue_root, "rogue-ca", "hybridtls Rogue Root CA", 3650,
	    NULL, 0);
	make_ca(&rogue_inter, "rogue-inter",
	    "hybridtls Rogue Intermediate CA", 1825, &rogue_root, 0);

	for (i = 0; i < n; i++)
		make_leaf(&table[i], &inter, &rogue_inter, &rogue_root);
	if (!demo)
		make_long_chain(&inter);

	free_ca(&rogue_inter);
	free_ca(&rogue_root);
	free_ca(&inter);
	free_ca(&root);
	return 0;
}

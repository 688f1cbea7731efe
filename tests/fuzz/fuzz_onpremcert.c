/*
 * Fuzz harness: the on-premises certificate loader (src/onpremcert.c, with
 * src/cert.c for the facts). The certificate file an admin supplies is
 * outside input: PEM (certificates, keys, encrypted keys, in any order),
 * PFX/PKCS#12 or DER. The input is written to a memory file and loaded
 * with no password and, when that fails or asks for one, with the password
 * the seed PFX and encrypted keys use ("hybridtls"). A loaded certificate is
 * judged as the rules judge it: names, EKUs, its TlsCertificateName, and the
 * chain against an empty trust store.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/x509_vfy.h>

#include "onpremcert.h"
#include "fuzz.h"

/* One memory file for the whole run, rewritten for each input. */
static int memfd = -1;
static char path[64];
static X509_STORE *empty_store;

static bool setup(void)
{
	if (memfd >= 0)
		return true;
	if ((memfd = memfd_create("fuzz-onpremcert", MFD_CLOEXEC)) < 0)
		return false;
	snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
	empty_store = X509_STORE_new();
	return true;
}

static bool write_input(const uint8_t *data, size_t size)
{
	size_t off = 0;

	if (ftruncate(memfd, 0) != 0)
		return false;
	while (off < size) {
		ssize_t k = pwrite(memfd, data + off, size - off, (off_t)off);

		if (k <= 0)
			return false;
		off += (size_t)k;
	}
	return true;
}

/* Loads the input; true when a password could matter (it failed or asked for one). */
static bool load(const char *password)
{
	struct onpremcert c;
	struct onpremcert_facts f;
	char err[512];
	bool asked;

	memset(err, 'x', sizeof err);
	if (!onpremcert_load(path, password, &c, err, sizeof err)) {
		FUZZ_CHECK(c.leaf == NULL && c.chain == NULL && c.key == NULL);
		FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
		return true;
	}
	FUZZ_CHECK(c.leaf != NULL);
	FUZZ_CHECK(c.facts.key_present == (c.key != NULL));
	FUZZ_CHECK(c.facts.nchain == (size_t)sk_X509_num(c.chain));
	if (c.facts.tls_certificate_name != NULL) {
		FUZZ_CHECK(onpremcert_tlscertname_equal(c.facts.tls_certificate_name,
		    c.facts.tls_certificate_name));
	}
	(void)onpremcert_name_matches(&c.facts, "mail.contoso.com");
	(void)onpremcert_name_matches(&c.facts, "*.contoso.com");
	if (c.facts.leaf.common_name != NULL && c.facts.leaf.common_name[0] != '\0')
		(void)onpremcert_name_matches(&c.facts, c.facts.leaf.common_name);
	(void)onpremcert_eku_ok(&c.facts);
	if (empty_store != NULL)
		onpremcert_check_store(&c, empty_store, "empty", (time_t)1767225600);
	asked = c.facts.password_used;
	onpremcert_facts_take(&c, &f);
	onpremcert_free(&c);
	onpremcert_facts_free(&f);
	return asked;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!setup() || !write_input(data, size))
		return 0;
	/*
	 * Again with the seeds' password only when it could change anything: a
	 * file that loaded without asking for one would take the same path
	 * twice (half of the harness's time, OpenSSL 3's decoders being slow).
	 */
	if (load(NULL))
		(void)load("hybridtls");
	return 0;
}

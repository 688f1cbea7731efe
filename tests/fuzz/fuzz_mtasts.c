/*
 * Fuzz harness: the MTA-STS parsers (src/mtasts.c). The same input is
 * given to both: as the TXT record at _mta-sts.<domain> (a C string) and as
 * the policy file fetched from https://mta-sts.<domain>/.well-known/
 * mta-sts.txt (a buffer that need not end in NUL, exactly as long as the
 * input). A parsed policy is then matched against a few MX host names.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mtasts.h"
#include "fuzz.h"

static const char *const hosts[] = {
	"contoso-com.mail.protection.outlook.com",
	"CONTOSO-COM.MAIL.PROTECTION.OUTLOOK.COM.",
	"mx1.example.com", "example.com", "a.b.example.com", ".", "",
};

static void record(const char *txt)
{
	struct mtasts_record r;
	char err[200];

	(void)mtasts_is_record(txt);
	memset(err, 'x', sizeof err);
	if (mtasts_record_parse(txt, &r, err, sizeof err)) {
		size_t n = strnlen(r.id, sizeof r.id);

		FUZZ_CHECK(n >= 1 && n <= MTASTS_ID_MAX);
	} else {
		FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
	}
}

static void policy(const char *body, size_t len)
{
	struct mtasts_policy p;
	char err[200];

	memset(&p, 0xa5, sizeof p);
	memset(err, 'x', sizeof err);
	if (!mtasts_policy_parse(body, len, &p, err, sizeof err)) {
		FUZZ_CHECK(p.mx == NULL && p.nmx == 0);
		FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
	} else {
		FUZZ_CHECK(p.mode == MTASTS_MODE_ENFORCE || p.mode == MTASTS_MODE_TESTING ||
		    p.mode == MTASTS_MODE_NONE);
		FUZZ_CHECK(p.max_age <= MTASTS_MAX_AGE_MAX);
		FUZZ_CHECK(p.nmx <= MTASTS_MX_MAX);
		FUZZ_CHECK(p.mode == MTASTS_MODE_NONE || p.nmx >= 1);
		(void)mtasts_mode_name(p.mode);
		for (size_t i = 0; i < p.nmx; i++) {
			FUZZ_CHECK(p.mx[i] != NULL);
			/* Every pattern matches a host built from it. */
			if (strncmp(p.mx[i], "*.", 2) == 0) {
				char *h = malloc(strlen(p.mx[i]) + 2);

				if (h != NULL) {
					h[0] = 'x';
					strcpy(h + 1, p.mx[i] + 1);
					FUZZ_CHECK(mtasts_mx_matches(&p, h));
					free(h);
				}
			} else {
				FUZZ_CHECK(mtasts_mx_matches(&p, p.mx[i]));
			}
		}
		for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
			(void)mtasts_mx_matches(&p, hosts[i]);
	}
	mtasts_policy_free(&p);
	mtasts_policy_free(&p);	/* freeing twice is allowed */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *txt = fuzz_strndup(data, size), *body;

	if (txt == NULL)
		return 0;
	record(txt);
	free(txt);

	/* An exact-size copy, so a read past the end is caught. */
	if ((body = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(body, data, size);
	policy(body, size);
	free(body);
	return 0;
}

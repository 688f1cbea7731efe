/*
 * Fuzz harness: the DMARC record parser (src/dmarc.c). The input is the
 * TXT record at _dmarc.<domain> (its strings joined), made a C string.
 * Checks the contract: on error *out holds nothing and err a message; on
 * success p is set, pct is 0..100 and every URI is kept.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *txt = fuzz_strndup(data, size), err[200];
	struct dmarc_record r;

	if (txt == NULL)
		return 0;
	(void)dmarc_is_dmarc(txt);
	(void)dmarc_uri_ok(txt);
	memset(&r, 0xa5, sizeof r);
	memset(err, 'x', sizeof err);
	if (!dmarc_parse(txt, &r, err, sizeof err)) {
		FUZZ_CHECK(r.rua == NULL && r.nrua == 0 && r.ruf == NULL && r.nruf == 0);
		FUZZ_CHECK(r.fo == NULL && r.rf == NULL && r.unknown == NULL && r.nunknown == 0);
		FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
	} else {
		FUZZ_CHECK(r.p != DMARC_POLICY_UNSET);
		FUZZ_CHECK(r.pct >= 0 && r.pct <= 100);
		FUZZ_CHECK(r.adkim == DMARC_ALIGN_RELAXED || r.adkim == DMARC_ALIGN_STRICT);
		FUZZ_CHECK(r.aspf == DMARC_ALIGN_RELAXED || r.aspf == DMARC_ALIGN_STRICT);
		FUZZ_CHECK(r.nrua <= DMARC_URIS_MAX && r.nruf <= DMARC_URIS_MAX);
		FUZZ_CHECK(r.nunknown <= DMARC_TAGS_MAX);
		(void)dmarc_policy_name(r.p);
		(void)dmarc_policy_name(r.sp);
		for (size_t i = 0; i < r.nrua; i++)
			(void)dmarc_uri_ok(r.rua[i]);
		for (size_t i = 0; i < r.nruf; i++)
			(void)dmarc_uri_ok(r.ruf[i]);
		for (size_t i = 0; i < r.nunknown; i++)
			FUZZ_CHECK(r.unknown[i].name != NULL && r.unknown[i].value != NULL);
		if (r.fo != NULL)
			(void)strlen(r.fo);
		if (r.rf != NULL)
			(void)strlen(r.rf);
	}
	dmarc_record_free(&r);
	dmarc_record_free(&r);	/* freeing twice is allowed */
	free(txt);
	return 0;
}

/*
 * Fuzz harness: the TLS-RPT record parser (src/tlsrpt.c). The input is the
 * TXT record at _smtp._tls.<domain> (its strings joined), made a C string.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlsrpt.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *txt = fuzz_strndup(data, size), err[200];
	struct tlsrpt_record r;

	if (txt == NULL)
		return 0;
	(void)tlsrpt_is_record(txt);
	memset(&r, 0xa5, sizeof r);
	memset(err, 'x', sizeof err);
	if (!tlsrpt_parse(txt, &r, err, sizeof err)) {
		FUZZ_CHECK(r.rua == NULL && r.nrua == 0);
		FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
	} else {
		FUZZ_CHECK(r.nrua >= 1 && r.nrua <= TLSRPT_URIS_MAX);
		for (size_t i = 0; i < r.nrua; i++)
			FUZZ_CHECK(r.rua[i] != NULL && r.rua[i][0] != '\0');
	}
	tlsrpt_record_free(&r);
	tlsrpt_record_free(&r);	/* freeing twice is allowed */
	free(txt);
	return 0;
}

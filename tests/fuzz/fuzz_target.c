/*
 * Fuzz harness: the target parser (src/target.c). The input is what the
 * user names on the command line or in a batch file: "host", "host:port",
 * "[v6]:port", made a C string. Checks that a parsed host is a
 * NUL-terminated string within struct target and that the error message is
 * written, also into a tiny buffer.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = fuzz_strndup(data, size), err[300], tiny[8];
	struct target t;
	uint16_t port = 0;

	if (spec == NULL)
		return 0;
	memset(err, 'x', sizeof err);
	if (target_parse(spec, &t, err, sizeof err)) {
		FUZZ_CHECK(memchr(t.host, '\0', sizeof t.host) != NULL);
		FUZZ_CHECK(t.host[0] != '\0');
	} else {
		FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
	}
	(void)target_parse(spec, &t, tiny, sizeof tiny);
	if (target_parse_port(spec, &port))
		FUZZ_CHECK(port >= 1);
	free(spec);
	return 0;
}

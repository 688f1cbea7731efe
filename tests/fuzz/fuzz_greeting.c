/*
 * Fuzz harness: the client address in an EHLO reply (src/greeting.c). The
 * input is the first line of the reply as the server sent it, made a C
 * string. Checks that a found address is a NUL-terminated numeric address
 * that fits the buffer, with a roomy buffer and with tight ones.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "greeting.h"
#include "fuzz.h"

static void check(const char *line, size_t outlen)
{
	char out[64];
	unsigned char a[16];

	memset(out, 'x', sizeof out);
	if (!greeting_observed_ip(line, out, outlen))
		return;
	FUZZ_CHECK(memchr(out, '\0', outlen) != NULL);
	FUZZ_CHECK(inet_pton(AF_INET, out, a) == 1 || inet_pton(AF_INET6, out, a) == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_strndup(data, size);

	if (line == NULL)
		return 0;
	check(line, 64);		/* what smtp.c gives it */
	check(line, INET_ADDRSTRLEN);	/* room for IPv4 only */
	check(line, 8);			/* too small for most addresses */
	free(line);
	return 0;
}

#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "greeting.h"

/* Numeric form of a candidate address, or false if it is none. */
static bool normalise(const char *s, char *out, size_t outlen)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (strncasecmp(s, "IPv6:", 5) == 0)
		s += 5;
	if (inet_pton(AF_INET, s, &a4) == 1)
		return inet_ntop(AF_INET, &a4, out, outlen) != NULL;
	if (inet_pton(AF_INET6, s, &a6) != 1)
		return false;
	if (IN6_IS_ADDR_V4MAPPED(&a6)) {
		memcpy(&a4, &a6.s6_addr[12], 4);
		return inet_ntop(AF_INET, &a4, out, outlen) != NULL;
	}
	return inet_ntop(AF_INET6, &a6, out, outlen) != NULL;
}

bool greeting_observed_ip(const char *line, char *out, size_t outlen)
{
	const char *p = line;

	/* Every "[...]" in the line, first valid one wins. */
	while ((p = strchr(p, '[')) != NULL) {
		const char *q = strchr(++p, ']');
		char cand[64];
		size_t n;

		if (q == NULL)
			break;
		n = (size_t)(q - p);
		if (n > 0 && n < sizeof cand) {
			memcpy(cand, p, n);
			cand[n] = '\0';
			if (normalise(cand, out, outlen))
				return true;
		}
		p = q + 1;
	}
	return false;
}

#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

bool target_parse_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (s == NULL || !isdigit((unsigned char)*s))
		return false;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v < 1 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* Letters, digits, '-', '.', '_' (seen in real internal names): a DNS name. */
static bool valid_name(const char *h)
{
	if (*h == '\0' || strlen(h) > 253)
		return false;
	for (const char *p = h; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' && *p != '_')
			return false;
	return true;
}

bool target_parse(const char *spec, struct target *t, char *err, size_t errlen)
{
	const char *colon;
	struct in6_addr a6;
	size_t n;

	memset(t, 0, sizeof *t);
	if (spec == NULL || *spec == '\0') {
		snprintf(err, errlen, "no target given");
		return false;
	}
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');

		n = close ? (size_t)(close - spec - 1) : 0;
		if (close == NULL || n == 0 || n >= sizeof t->host) {
			snprintf(err, errlen, "'%s': an IPv6 address in brackets needs a closing ']'", spec);
			return false;
		}
		memcpy(t->host, spec + 1, n);
		t->host[n] = '\0';
		if (inet_pton(AF_INET6, t->host, &a6) != 1) {
			snprintf(err, errlen, "'%s' is not an IPv6 address", t->host);
			return false;
		}
		if (close[1] == '\0')
			return true;
		if (close[1] != ':' || !target_parse_port(close + 2, &t->port)) {
			snprintf(err, errlen, "'%s': the port after ']:' must be a number from 1 to 65535", spec);
			return false;
		}
		return true;
	}
	if (inet_pton(AF_INET6, spec, &a6) == 1) {
		if (strlen(spec) >= sizeof t->host) {
			snprintf(err, errlen, "'%s' is too long", spec);
			return false;
		}
		strcpy(t->host, spec);
		return true;
	}
	colon = strchr(spec, ':');
	n = colon ? (size_t)(colon - spec) : strlen(spec);
	if (n == 0 || n >= sizeof t->host) {
		snprintf(err, errlen, "'%s' is not a host name or address", spec);
		return false;
	}
	memcpy(t->host, spec, n);
	t->host[n] = '\0';
	if (!valid_name(t->host)) {
		snprintf(err, errlen, "'%s' is not a valid host name or address", t->host);
		return false;
	}
	if (colon != NULL && !target_parse_port(colon + 1, &t->port)) {
		snprintf(err, errlen, "'%s': the port must be a number from 1 to 65535", spec);
		return false;
	}
	return true;
}

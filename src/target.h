/* Parsing what the user names as a target: "host", "host:port", "[v6]:port". */
#ifndef HTLS_TARGET_H
#define HTLS_TARGET_H

#include <stdbool.h>
#include <stdint.h>

struct target {
	char host[256];
	uint16_t port;		/* 0 when none was given */
};

/*
 * Parse spec into t. A bare IPv6 address ("2001:db8::1") has no port; one
 * with a port is written "[2001:db8::1]:25". On error returns false and
 * writes a message for the user to err.
 */
bool target_parse(const char *spec, struct target *t, char *err, size_t errlen);
/* Parse a port number 1..65535. */
bool target_parse_port(const char *s, uint16_t *port);

#endif

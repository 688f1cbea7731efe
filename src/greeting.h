/*
 * The client address a server names in its EHLO (or HELO) reply:
 * Exchange "mail.contoso.com Hello [203.0.113.7]", Exim "host Hello name
 * [127.0.0.1]", sendmail "host Hello name [192.0.2.1], pleased to meet you".
 */
#ifndef HTLS_GREETING_H
#define HTLS_GREETING_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Look in the first line of an EHLO reply (text after "250-") for a bracketed
 * IPv4 or IPv6 address (an "IPv6:" prefix is allowed; IPv4-mapped IPv6 is
 * given as IPv4). Writes the numeric form to out and returns true if found.
 */
bool greeting_observed_ip(const char *line, char *out, size_t outlen);

#endif

/* What kind of address an IP is, as far as the internet is concerned. */
#ifndef HTLS_IPCLASS_H
#define HTLS_IPCLASS_H

#include <stdbool.h>

/*
 * True when ip (IPv4 or IPv6 text) is an address the internet never sees:
 * RFC 1918 private, shared address space (RFC 6598, carrier-grade NAT),
 * link-local, IPv6 unique local (fc00::/7) and link-local (fe80::/10), and
 * IPv4-mapped forms of those. *what then names the range. A server that
 * names such an address as its client sits on this side of a NAT: the address
 * is not the one Exchange Online or a blocklist sees. Loopback is not
 * included: a server on this very machine names it (hybridtls's own tests
 * run that way), and no one mistakes it for the internet's view.
 */
bool ip_is_internal(const char *ip, const char **what);

#endif

/*
 * The DNS step: every record of a domain that Exchange Online and Microsoft
 * 365 care about, asked all at once; then, as they become known, the TLSA of
 * the MX host, the reverse DNS of the public IP and the SPF evaluation of it.
 */
#ifndef HTLS_DNSCHECK_H
#define HTLS_DNSCHECK_H

#include <stdint.h>

#include "facts.h"

struct engine;
struct dnscheck;

struct dnscheck_options {
	const char *domain;
	int timeout_ms;		/* deadline of each query; 0 for 5 s */
};

/* Called once when every query started has been answered. */
typedef void (*dnscheck_fn)(void *arg, struct dnscheck *c);
/* Called once when the MX answer is in (answer valid during the call). */
typedef void (*dnscheck_mx_fn)(void *arg, const struct dns_answer *mx);

struct dnscheck *dnscheck_start(struct engine *e, const struct dnscheck_options *opt,
    dnscheck_fn done, dnscheck_mx_fn on_mx, void *arg);
/* Ask for the TLSA of the SMTP service on host (_25._tcp.host). */
void dnscheck_tlsa(struct dnscheck *c, const char *host);
/* The public IP to check: PTR, forward confirmation, SPF. */
void dnscheck_set_ip(struct dnscheck *c, const char *ip);
/* No more additions: done fires once the queries in flight are answered. */
void dnscheck_seal(struct dnscheck *c);
const struct dns_facts *dnscheck_facts(const struct dnscheck *c);
void dnscheck_take_facts(struct dnscheck *c, struct dns_facts *out);
void dnscheck_free(struct dnscheck *c);

#endif

/*
 * One run of hybridtls: the steps a command asks for, started together and
 * chained where one needs another's result (the MX before the SMTP probe, the
 * public IP the server saw before the blocklists, the PTR and SPF).
 */
#ifndef HTLS_CHECK_H
#define HTLS_CHECK_H

#include <stdint.h>

#include "dnsbl.h"
#include "facts.h"
#include "smtp.h"

struct engine;
struct check;
struct ledger;
struct selftest;

enum check_mode {
	CHECK_SMTP,		/* the SMTP probe of a host */
	CHECK_DNS,		/* the DNS records of a domain (PTR and SPF of --ip) */
	CHECK_BLOCKLIST,	/* an address on the blocklists */
	CHECK_FULL,		/* a domain: DNS, its MX probed, blocklists; a host: probe and blocklists */
	CHECK_ONPREM,		/* only the on-premises endpoint (onprem_host): the wizard's re-run */
};

struct check_options {
	enum check_mode mode;
	const char *target;	/* host, domain or address */
	struct smtp_options smtp;	/* host and port are filled from target */
	bool port_given;	/* target named a port: it is a host, not a domain */
	const char *ip;		/* the public IP when the server does not say it (--ip) */
	const struct dnsbl_list *zones;	/* NULL: no blocklist step */
	const char *zones_file;
	int dns_timeout_ms;	/* 0 for the default */
	/* A batch's shared blocklist self-test answers (selftest.h), or NULL:
	 * then this check asks the self-test names itself. */
	struct selftest *selftests;
	/* The reverse direction: probe the on-premises endpoint as Exchange Online
	 * will, requiring onprem_tls_name on its certificate. NULL: not done. */
	const char *onprem_host;
	uint16_t onprem_port;
	const char *onprem_tls_name;
	const char *onprem_note;
	/* The run's connection ledger (ledger.h), shared by every probe of the
	 * run: a compare's two checks, a batch's targets. NULL: this check is a
	 * run of its own and keeps its own (3 connections per address:port). */
	struct ledger *ledger;
};

typedef void (*check_fn)(void *arg, struct check *c);

/* NULL only when out of memory. */
struct check *check_start(struct engine *e, const struct check_options *opt, check_fn done, void *arg);
/* What has been collected so far (live). */
const struct diagnosis *check_diagnosis(const struct check *c);
void check_take(struct check *c, struct diagnosis *out);

/* Which parts are still running, and the probes' facts as they grow (a live
 * transcript); the pointers stay valid until the next engine_process(). */
struct check_progress {
	bool smtp_running, dns_running, bl_running, onprem_running;
	const struct smtp_facts *smtp;	/* NULL when no SMTP probe started */
	const struct smtp_facts *onprem;
};
void check_progress(const struct check *c, struct check_progress *p);
/* Time its probes have spent queued for connection slots (a batch's budget). */
int64_t check_waited_ms(const struct check *c);
void check_free(struct check *c);

#endif

#include "config.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocklist.h"
#include "check.h"
#include "ipclass.h"
#include "dnscheck.h"
#include "engine.h"
#include "ledger.h"
#include "resolve.h"

struct check {
	struct engine *e;
	struct check_options opt;
	check_fn done;
	void *arg;
	struct diagnosis d;

	struct ledger *ledger;		/* the run's: given, or own_ledger */
	struct ledger *own_ledger;
	struct ledger_probe *smtp;	/* may be shared with other targets of a batch */
	struct smtp_probe *onprem;
	bool onprem_running;
	struct dnscheck *dns;
	struct blocklist *bl;
	struct resolve_prefetch *exo;	/* the MX host Exchange Online would give, asked early */
	bool smtp_running, dns_running, bl_running;
	bool finished;
	struct engine_timer kick;
	struct engine_hook watch_ip;	/* the probe's EHLO reply, for the public IP */
};

static bool is_address(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static void maybe_done(struct check *c)
{
	if (c->finished || c->smtp_running || c->dns_running || c->bl_running || c->onprem_running)
		return;
	c->finished = true;
	c->done(c->arg, c);
}

static void on_kick(void *arg)
{
	maybe_done(arg);
}

static void on_bl_done(void *arg, struct blocklist *b)
{
	struct check *c = arg;

	blocklist_take_facts(b, &c->d.bl);
	c->d.has_dnsbl = true;
	c->bl_running = false;
	maybe_done(c);
}

static void start_blocklist(struct check *c, const char *ip)
{
	if (c->bl != NULL || c->opt.zones == NULL || ip == NULL || *ip == '\0')
		return;
	c->bl = blocklist_start(c->e, ip, c->opt.zones, c->opt.zones_file, c->opt.dns_timeout_ms,
	    c->opt.selftests, on_bl_done, c);
	c->bl_running = c->bl != NULL;
}

/* The public IP is known: everything that needs it can go. */
static void have_ip(struct check *c, const char *ip, const char *source)
{
	if (ip == NULL || *ip == '\0')
		return;
	if (c->d.ip_source == NULL)
		c->d.ip_source = strdup(source);
	start_blocklist(c, ip);
	if (c->dns != NULL)
		dnscheck_set_ip(c->dns, ip);
}

/*
 * The address the server names, unless it is a private one (a server inside
 * the NAT): blocklists, PTR and SPF of 10.0.0.5 would say nothing about the
 * address the internet sees. smtp.observed-ip-internal asks for --ip.
 */
static void have_observed_ip(struct check *c, const char *ip)
{
	if (!ip_is_internal(ip, NULL))
		have_ip(c, ip, "named by the server in its EHLO reply");
}

/*
 * The server names our public IP in its first EHLO reply: the blocklists, PTR
 * and SPF need nothing else, so they start then and overlap the rest of the
 * conversation (STARTTLS, the handshake, EHLO again) instead of following it.
 */
static void on_probe_progress(void *arg)
{
	struct check *c = arg;
	const struct smtp_facts *f = c->smtp != NULL ? ledger_probe_facts(c->smtp) : NULL;

	if (f == NULL || f->observed_ip[0] == '\0')
		return;
	engine_hook_clear(c->e, &c->watch_ip);
	have_observed_ip(c, f->observed_ip);
}

static void on_smtp_done(void *arg, struct ledger_probe *p)
{
	struct check *c = arg;

	engine_hook_clear(c->e, &c->watch_ip);
	ledger_probe_take_facts(p, &c->d.smtp);
	c->d.has_smtp = true;
	c->smtp_running = false;
	if (c->d.smtp.observed_ip[0] != '\0')
		have_observed_ip(c, c->d.smtp.observed_ip);
	/* Nothing else will be added to the DNS step now. */
	if (c->dns != NULL)
		dnscheck_seal(c->dns);
	maybe_done(c);
}

static void on_onprem_done(void *arg, struct smtp_probe *p)
{
	struct check *c = arg;

	smtp_probe_take_facts(p, &c->d.onprem);
	c->d.has_onprem = true;
	c->onprem_running = false;
	maybe_done(c);
}

/* Exchange Online's side: no client certificate of ours, no envelope, its name. */
static void start_onprem(struct check *c)
{
	struct smtp_options so = c->opt.smtp;

	so.host = c->opt.onprem_host;
	so.port = c->opt.onprem_port ? c->opt.onprem_port : 25;
	so.tls_name = c->opt.onprem_tls_name ? c->opt.onprem_tls_name : c->opt.onprem_host;
	so.client_cert = NULL;
	so.envelope_from = so.envelope_to = NULL;
	so.ledger = c->ledger;
	if (c->opt.onprem_note != NULL)
		c->d.onprem_note = strdup(c->opt.onprem_note);
	c->onprem = smtp_probe_start(c->e, &so, on_onprem_done, c);
	c->onprem_running = c->onprem != NULL;
}

static void start_smtp(struct check *c, const char *host, const char *tls_name)
{
	struct smtp_options so = c->opt.smtp;

	so.host = host;
	if (so.tls_name == NULL)
		so.tls_name = tls_name;
	so.ledger = c->ledger;
	c->smtp = ledger_probe_start(c->ledger, c->e, &so, c->opt.target, on_smtp_done, c);
	c->smtp_running = c->smtp != NULL;
	if (c->smtp_running)
		engine_hook_set(c->e, &c->watch_ip, on_probe_progress, c);
}

/* The preferred MX is the host Exchange Online and everyone else deliver to. */
static void on_mx(void *arg, const struct dns_answer *mx)
{
	struct check *c = arg;
	const struct dns_rr *best = NULL;

	if (c->opt.mode != CHECK_FULL && c->opt.mode != CHECK_DNS)
		return;
	for (size_t i = 0; i < mx->n; i++)
		if (mx->rr[i].target != NULL && mx->rr[i].target[0] != '\0' &&
		    strcmp(mx->rr[i].target, ".") != 0 && (best == NULL || mx->rr[i].pref < best->pref))
			best = &mx->rr[i];
	if (best != NULL)
		dnscheck_tlsa(c->dns, best->target);
	if (c->opt.mode != CHECK_FULL)
		return;
	if (best != NULL) {
		if (asprintf(&c->d.probe_note, "%s, the preferred MX host of %s (preference %u)",
		    best->target, c->opt.target, best->pref) < 0)
			c->d.probe_note = NULL;
		start_smtp(c, best->target, best->target);
	} else if (mx->status == DNS_NODATA || (mx->status == DNS_OK && mx->n == 0)) {
		/* No MX: mail goes to the name's own address (RFC 5321 5.1). */
		if (asprintf(&c->d.probe_note, "%s itself: it has no MX record, so mail goes to its address",
		    c->opt.target) < 0)
			c->d.probe_note = NULL;
		start_smtp(c, c->opt.target, NULL);
	} else if (c->dns != NULL) {
		/* Unknown or no such domain: nothing to probe; the DNS findings say why. */
		dnscheck_seal(c->dns);
	}
}

static void on_dns_done(void *arg, struct dnscheck *dc)
{
	struct check *c = arg;

	dnscheck_take_facts(dc, &c->d.dns);
	c->d.has_dns = true;
	c->dns_running = false;
	maybe_done(c);
}

/*
 * A domain on Exchange Online has the MX <domain-with-dashes>.mail.protection.outlook.com:
 * resolve that while the MX is asked, so that when the MX names it the SMTP
 * probe starts at once instead of one DNS round trip later. A wrong guess
 * costs one unused lookup.
 */
static void prefetch_exo_host(struct check *c, const char *domain)
{
	char name[300];
	size_t n = strlen(domain);

	if (n == 0 || n > 200 || strchr(domain, '.') == NULL)
		return;
	while (n > 0 && domain[n - 1] == '.')
		n--;
	for (size_t i = 0; i < n; i++)
		name[i] = domain[i] == '.' ? '-' : domain[i];
	snprintf(name + n, sizeof name - n, ".mail.protection.outlook.com");
	c->exo = resolve_prefetch(c->e, name);
}

struct check *check_start(struct engine *e, const struct check_options *opt, check_fn done, void *arg)
{
	struct check *c = calloc(1, sizeof *c);
	bool host;

	if (c == NULL)
		return NULL;
	c->e = e;
	c->opt = *opt;
	c->done = done;
	c->arg = arg;
	diagnosis_init(&c->d);
	c->d.target = strdup(opt->target);
	/* The rules judge --ip (diagnosis_public_ip), in a batch as in a check. */
	if (opt->ip != NULL && *opt->ip != '\0')
		c->d.given_ip = strdup(opt->ip);
	host = opt->port_given || is_address(opt->target);
	/* Alone, a check is its own run: the promise of 3 connections holds within it. */
	if ((c->ledger = opt->ledger) == NULL) {
		struct ledger_options lo = { .max_total = LEDGER_DEFAULT_BUDGET,
		    .max_open = LEDGER_DEFAULT_BUDGET };

		c->ledger = c->own_ledger = ledger_new(e, &lo);
	}

	switch (opt->mode) {
	case CHECK_SMTP:
		start_smtp(c, opt->target, NULL);
		break;
	case CHECK_BLOCKLIST:
		have_ip(c, opt->target, "given on the command line");
		break;
	case CHECK_ONPREM:
		break;
	case CHECK_DNS:
	case CHECK_FULL:
		if (opt->mode == CHECK_FULL && host) {
			/* A host, not a domain: probe it; the blocklists follow its answer. */
			if (asprintf(&c->d.probe_note, "%s, as given", opt->target) < 0)
				c->d.probe_note = NULL;
			start_smtp(c, opt->target, NULL);
			break;
		}
		{
			struct dnscheck_options dno = { .domain = opt->target, .timeout_ms = opt->dns_timeout_ms };

			c->dns = dnscheck_start(e, &dno, on_dns_done, on_mx, c);
			c->dns_running = c->dns != NULL;
		}
		if (opt->mode == CHECK_FULL && c->dns != NULL)
			prefetch_exo_host(c, opt->target);
		if (opt->mode == CHECK_DNS && c->dns != NULL && opt->ip == NULL)
			dnscheck_seal(c->dns);
		break;
	}
	if (opt->onprem_host != NULL)
		start_onprem(c);
	/* A given IP goes first: its lookups overlap the conversation. */
	if (opt->ip != NULL && opt->mode != CHECK_BLOCKLIST && opt->mode != CHECK_SMTP) {
		if (opt->mode == CHECK_FULL)
			have_ip(c, opt->ip, "given with --ip");
		else if (c->dns != NULL) {
			c->d.ip_source = strdup("given with --ip");
			dnscheck_set_ip(c->dns, opt->ip);
			dnscheck_seal(c->dns);
		}
	}
	engine_timer_set(e, &c->kick, 1, on_kick, c);
	return c;
}

const struct diagnosis *check_diagnosis(const struct check *c)
{
	return &c->d;
}

int64_t check_waited_ms(const struct check *c)
{
	return (c->smtp != NULL ? ledger_probe_waited_ms(c->smtp) : 0) +
	    (c->onprem != NULL ? smtp_probe_waited_ms(c->onprem) : 0);
}

void check_progress(const struct check *c, struct check_progress *p)
{
	p->smtp_running = c->smtp_running;
	p->dns_running = c->dns_running;
	p->bl_running = c->bl_running;
	p->onprem_running = c->onprem_running;
	p->smtp = c->smtp_running ? ledger_probe_facts(c->smtp) : c->d.has_smtp ? &c->d.smtp : NULL;
	p->onprem = c->onprem_running ? smtp_probe_facts(c->onprem) :
	    c->d.has_onprem ? &c->d.onprem : NULL;
}

void check_take(struct check *c, struct diagnosis *out)
{
	*out = c->d;
	diagnosis_init(&c->d);
}

void check_free(struct check *c)
{
	if (c == NULL)
		return;
	ledger_probe_free(c->smtp);
	smtp_probe_free(c->onprem);
	resolve_prefetch_drop(c->exo);
	dnscheck_free(c->dns);
	blocklist_free(c->bl);
	engine_timer_clear(c->e, &c->kick);
	engine_hook_clear(c->e, &c->watch_ip);
	diagnosis_free(&c->d);
	/* After the probes: they hold slots in it. */
	ledger_free(c->own_ledger);
	free(c);
}

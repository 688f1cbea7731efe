#include "config.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "dns.h"
#include "dnsbl.h"
#include "dnscheck.h"
#include "engine.h"
#include "spf.h"

#define DEFAULT_TIMEOUT_MS 5000
/* Distinct answers one evaluation may need within RFC 7208's limits, and some room. */
#define MAX_SPF_FETCHES (SPF_ASKS_MAX + 8)

struct dnscheck;

/* Where an answer goes when it arrives. */
enum slot_kind { SLOT_REC, SLOT_TLSA, SLOT_PTR, SLOT_PTR_FWD, SLOT_SPF };

struct slot {
	struct dnscheck *c;
	enum slot_kind kind;
	int rec;		/* enum dns_rec, for SLOT_REC */
	struct dns_query *q;
	struct slot *next;
};

struct dnscheck {
	struct engine *e;
	dnscheck_fn done;
	dnscheck_mx_fn on_mx;
	void *arg;
	int timeout;
	struct dns_facts d;
	struct slot *slots;	/* in flight */
	bool sealed, finished;
	bool spf_fetching;
	int spf_fetches;
	int64_t spf_started;	/* the evaluation's lookups share one time budget */
	struct engine_timer kick;
};

static void spf_step(struct dnscheck *c);
static void ptr_step(struct dnscheck *c);

static void maybe_done(struct dnscheck *c)
{
	if (c->finished || !c->sealed || c->slots != NULL)
		return;
	c->finished = true;
	c->done(c->arg, c);
}

static void on_kick(void *arg)
{
	maybe_done(arg);
}

static void unlink_slot(struct dnscheck *c, struct slot *s)
{
	for (struct slot **pp = &c->slots; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	free(s);
}

static void on_answer(void *arg, struct dns_answer *a)
{
	struct slot *s = arg;
	struct dnscheck *c = s->c;
	enum slot_kind kind = s->kind;
	int rec = s->rec;

	unlink_slot(c, s);
	switch (kind) {
	case SLOT_REC:
		c->d.rec[rec] = *a;
		if (rec == REC_MX && c->on_mx != NULL)
			c->on_mx(c->arg, &c->d.rec[REC_MX]);
		if (rec == REC_TXT)
			spf_step(c);
		break;
	case SLOT_TLSA:
		c->d.tlsa = *a;
		break;
	case SLOT_PTR:
		c->d.ptr = *a;
		ptr_step(c);
		break;
	case SLOT_PTR_FWD:
		c->d.ptr_fwd = *a;
		break;
	case SLOT_SPF: {
		struct spf_lookup *v = realloc(c->d.spf_cache, (c->d.nspf_cache + 1) * sizeof *v);

		if (v == NULL) {
			dns_answer_free(a);
			break;
		}
		c->d.spf_cache = v;
		v[c->d.nspf_cache++].a = *a;
		c->spf_fetching = false;
		spf_step(c);
		break;
	}
	}
	maybe_done(c);
}

static void ask(struct dnscheck *c, enum slot_kind kind, int rec, const char *name, uint16_t type)
{
	struct slot *s = calloc(1, sizeof *s);

	if (s == NULL)
		return;
	s->c = c;
	s->kind = kind;
	s->rec = rec;
	s->next = c->slots;
	c->slots = s;
	s->q = dns_query_start(c->e, name, type, clock_now_ms() + c->timeout, on_answer, s);
	if (s->q == NULL)
		unlink_slot(c, s);
}

struct dnscheck *dnscheck_start(struct engine *e, const struct dnscheck_options *opt,
    dnscheck_fn done, dnscheck_mx_fn on_mx, void *arg)
{
	struct dnscheck *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->e = e;
	c->done = done;
	c->on_mx = on_mx;
	c->arg = arg;
	c->timeout = opt->timeout_ms > 0 ? opt->timeout_ms : DEFAULT_TIMEOUT_MS;
	dns_facts_init(&c->d);
	if ((c->d.domain = strdup(opt->domain)) == NULL) {
		free(c);
		return NULL;
	}
	/* Everything independent goes out at once. */
	for (int r = 0; r < REC_COUNT; r++) {
		char *name = dns_rec_name(r, c->d.domain);

		if (name == NULL)
			continue;
		c->d.asked[r] = true;
		ask(c, SLOT_REC, r, name, dns_rec_type(r));
		free(name);
	}
	return c;
}

void dnscheck_tlsa(struct dnscheck *c, const char *host)
{
	char *name;

	if (c->d.tlsa_host != NULL || asprintf(&name, "_25._tcp.%s", host) < 0)
		return;
	c->d.tlsa_host = strdup(host);
	ask(c, SLOT_TLSA, 0, name, DNS_T_TLSA);
	free(name);
}

void dnscheck_set_ip(struct dnscheck *c, const char *ip)
{
	char rev[128];
	bool v6 = strchr(ip, ':') != NULL;

	if (c->d.ip[0] != '\0' || ip == NULL || *ip == '\0')
		return;
	snprintf(c->d.ip, sizeof c->d.ip, "%s", ip);
	if (dnsbl_query_name(ip, v6 ? "ip6.arpa" : "in-addr.arpa", rev, sizeof rev))
		ask(c, SLOT_PTR, 0, rev, DNS_T_PTR);
	spf_step(c);
}

/* With the PTR in, ask whether its name leads back to the address. */
static void ptr_step(struct dnscheck *c)
{
	if (c->d.ptr.status != DNS_OK || c->d.ptr.n == 0 || c->d.ptr.rr[0].target == NULL)
		return;
	ask(c, SLOT_PTR_FWD, 0, c->d.ptr.rr[0].target,
	    strchr(c->d.ip, ':') != NULL ? DNS_T_AAAA : DNS_T_A);
}

void dnscheck_seal(struct dnscheck *c)
{
	c->sealed = true;
	/* From the loop: the caller may be inside its own callback. */
	engine_timer_set(c->e, &c->kick, 1, on_kick, c);
}

const struct dns_facts *dnscheck_facts(const struct dnscheck *c)
{
	return &c->d;
}

void dnscheck_take_facts(struct dnscheck *c, struct dns_facts *out)
{
	*out = c->d;
	dns_facts_init(&c->d);
}

void dnscheck_free(struct dnscheck *c)
{
	if (c == NULL)
		return;
	while (c->slots != NULL) {
		struct slot *s = c->slots;

		dns_query_cancel(s->q);
		c->slots = s->next;
		free(s);
	}
	engine_timer_clear(c->e, &c->kick);
	dns_facts_free(&c->d);
	free(c);
}

/* ---- SPF: the pure evaluator asks, we fetch, it runs again ---- */

/* Scratch arrays handed to the evaluator; they live until spf_eval() returns. */
struct spf_scratch {
	struct dnscheck *c;
	const char **arrays[SPF_ASKS_MAX + 8];
	size_t n;
};

static const struct dns_answer *spf_cached(const struct dnscheck *c, const char *name, uint16_t type)
{
	if (type == DNS_T_TXT && strcasecmp(name, c->d.domain) == 0)
		return &c->d.rec[REC_TXT];
	for (size_t i = 0; i < c->d.nspf_cache; i++)
		if (c->d.spf_cache[i].a.type == type && strcasecmp(c->d.spf_cache[i].a.name, name) == 0)
			return &c->d.spf_cache[i].a;
	return NULL;
}

static int spf_lookup(void *arg, const char *name, uint16_t type, const char ***values, size_t *n)
{
	struct spf_scratch *sc = arg;
	const struct dns_answer *a = spf_cached(sc->c, name, type);
	const char **v;

	*values = NULL;
	*n = 0;
	if (a == NULL)
		return SPF_DNS_UNKNOWN;
	if (a->status == DNS_NXDOMAIN || a->status == DNS_NODATA || (a->status == DNS_OK && a->n == 0))
		return SPF_DNS_NONE;
	if (a->status != DNS_OK)
		return SPF_DNS_TEMPERROR;
	if (sc->n == sizeof sc->arrays / sizeof sc->arrays[0] ||
	    (v = calloc(a->n, sizeof *v)) == NULL)
		return SPF_DNS_TEMPERROR;
	sc->arrays[sc->n++] = v;
	for (size_t i = 0; i < a->n; i++)
		v[i] = type == DNS_T_MX ? a->rr[i].target : a->rr[i].text;
	*values = v;
	*n = a->n;
	return SPF_DNS_FOUND;
}

/*
 * Run the evaluator from the start on what is known; when it needs an answer
 * we have not got, fetch it and come back here when it arrives.
 */
static void spf_step(struct dnscheck *c)
{
	struct spf_outcome oc;
	struct spf_scratch sc = { .c = c };
	struct spf_ctx ctx = { .ip = c->d.ip, .domain = c->d.domain, .lookup = spf_lookup,
	    .arg = &sc, .out = &oc };
	char need[SPF_NAME_MAX + 2];
	uint16_t type = 0;
	enum spf_result r;

	if (c->d.ip[0] == '\0' || c->d.spf_evaluated || c->spf_fetching || c->d.rec[REC_TXT].name == NULL)
		return;
	memset(&oc, 0, sizeof oc);
	r = spf_eval(&ctx, need, sizeof need, &type);
	for (size_t i = 0; i < sc.n; i++)
		free(sc.arrays[i]);
	if (c->spf_started == 0)
		c->spf_started = clock_now_ms();
	if (r == SPF_NEED) {
		/* Lookups depend on each other, so they go one by one: bound them in time too. */
		if (clock_now_ms() - c->spf_started > 4 * (int64_t)c->timeout) {
			r = SPF_TEMPERROR;
			snprintf(oc.error, sizeof oc.error, "the SPF lookups took longer than %d s in all",
			    4 * c->timeout / 1000);
		} else if (c->spf_fetches++ < MAX_SPF_FETCHES) {
			c->spf_fetching = true;
			ask(c, SLOT_SPF, 0, need, type);
			return;
		} else {
			r = SPF_TEMPERROR;
			snprintf(oc.error, sizeof oc.error, "more DNS lookups than any valid SPF evaluation needs");
		}
	}
	c->d.spf_evaluated = true;
	c->d.spf_result = (int)r;
	if (oc.via[0])
		snprintf(c->d.spf_matched, sizeof c->d.spf_matched, "%s (%s)", oc.matched, oc.via);
	else
		snprintf(c->d.spf_matched, sizeof c->d.spf_matched, "%s", oc.matched);
	c->d.spf_lookups = oc.lookups;
	snprintf(c->d.spf_error, sizeof c->d.spf_error, "%s", oc.error);
}

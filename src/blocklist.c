#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blocklist.h"
#include "clock.h"
#include "dns.h"
#include "engine.h"
#include "selftest.h"

#define DEFAULT_TIMEOUT_MS 5000

enum which { Q_ADDR, Q_TXT, Q_POS, Q_NEG };

struct bq {
	struct blocklist *b;
	size_t idx;		/* zone result */
	enum which which;
	struct dns_query *q;
	struct selftest_wait *w;	/* instead of q: waiting on the batch's shared query */
	struct bq *next;
};

struct blocklist {
	struct engine *e;
	blocklist_fn done;
	void *arg;
	int timeout;
	struct selftest *shared;	/* the batch's self-test answers, or NULL */
	struct dnsbl_facts f;
	struct bq *pending;
	bool finished;
	struct engine_timer kick;
};

const char *blocklist_default_zones(void)
{
	const char *env = getenv("HYBRIDTLS_DNSBL_ZONES");

	return env && *env ? env : PKGDATADIR "/dnsbl.zones";
}

static void unlink_bq(struct blocklist *b, struct bq *x)
{
	for (struct bq **pp = &b->pending; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == x) {
			*pp = x->next;
			break;
		}
	}
	free(x);
}

static void maybe_done(struct blocklist *b)
{
	if (b->finished || b->pending != NULL)
		return;
	/* The reason was asked with the address; it means something only beside an answer. */
	for (size_t i = 0; i < b->f.n; i++)
		if (b->f.v[i].a.status != DNS_OK && b->f.v[i].txt.name != NULL) {
			dns_answer_free(&b->f.v[i].txt);
			memset(&b->f.v[i].txt, 0, sizeof b->f.v[i].txt);
		}
	b->finished = true;
	b->done(b->arg, b);
}

static void on_kick(void *arg)
{
	maybe_done(arg);
}

static void on_answer(void *arg, struct dns_answer *a);
static void keep(struct blocklist *b, size_t idx, enum which which, struct dns_answer *a);

/* A query that could not even be asked (out of memory) is an error answer,
 * never an empty one that would read as "answered, nothing listed". */
static void not_asked(struct blocklist *b, size_t idx, enum which which, uint16_t type)
{
	struct dns_answer a = { .type = type, .status = DNS_ERROR };

	keep(b, idx, which, &a);
}

static void ask(struct blocklist *b, size_t idx, enum which which, const char *name, uint16_t type)
{
	struct bq *x = calloc(1, sizeof *x);

	if (x == NULL) {
		not_asked(b, idx, which, type);
		return;
	}
	x->b = b;
	x->idx = idx;
	x->which = which;
	x->next = b->pending;
	b->pending = x;
	x->q = dns_query_start(b->e, name, type, clock_now_ms() + b->timeout, on_answer, x);
	if (x->q == NULL) {
		unlink_bq(b, x);
		not_asked(b, idx, which, type);
	}
}

/* Keep answer a (taken) as the zone's result of this kind. */
static void keep(struct blocklist *b, size_t idx, enum which which, struct dns_answer *a)
{
	struct dnsbl_result *r = &b->f.v[idx];
	char shown[DNSBL_QNAME_MAX];

	/* What is kept names the public zone, never the DQS key inside a->name. */
	if (which == Q_POS || which == Q_NEG)
		dnsbl_selftest_name(r->id, which == Q_POS, shown, sizeof shown);
	else
		snprintf(shown, sizeof shown, "%s", r->qname);
	free(a->name);
	a->name = strdup(shown);
	switch (which) {
	case Q_ADDR: r->a = *a; break;
	case Q_TXT: r->txt = *a; break;
	case Q_POS: r->test_pos = *a; break;
	case Q_NEG: r->test_neg = *a; break;
	}
}

static void on_answer(void *arg, struct dns_answer *a)
{
	struct bq *x = arg;
	struct blocklist *b = x->b;
	size_t idx = x->idx;
	enum which which = x->which;

	unlink_bq(b, x);
	keep(b, idx, which, a);
	maybe_done(b);
}

/* A self-test name: the same for every address, so in a batch the answer is shared. */
static void ask_selftest(struct blocklist *b, size_t idx, enum which which, const char *name)
{
	struct dns_answer a;
	struct bq *x;

	if (b->shared == NULL) {
		ask(b, idx, which, name, DNS_T_A);
		return;
	}
	if ((x = calloc(1, sizeof *x)) == NULL) {
		not_asked(b, idx, which, DNS_T_A);
		return;
	}
	x->b = b;
	x->idx = idx;
	x->which = which;
	if (selftest_ask(b->shared, name, clock_now_ms() + b->timeout, &a, &x->w, on_answer, x)) {
		/* Known already: kept now; the kick timer ends the step from the loop. */
		free(x);
		keep(b, idx, which, &a);
		return;
	}
	if (x->w == NULL) {
		free(x);
		not_asked(b, idx, which, DNS_T_A);
		return;
	}
	x->next = b->pending;
	b->pending = x;
}

struct blocklist *blocklist_start(struct engine *e, const char *ip, const struct dnsbl_list *zones,
    const char *zones_file, int timeout_ms, struct selftest *shared, blocklist_fn done, void *arg)
{
	struct blocklist *b = calloc(1, sizeof *b);
	char probe[DNSBL_QNAME_MAX];
	bool v6 = strchr(ip, ':') != NULL;

	if (b == NULL)
		return NULL;
	b->e = e;
	b->done = done;
	b->arg = arg;
	b->shared = shared;
	b->timeout = timeout_ms > 0 ? timeout_ms : DEFAULT_TIMEOUT_MS;
	/* IPv4-mapped IPv6 is queried as IPv4: only a real IPv6 address needs IPv6 zones. */
	if (!dnsbl_query_name(ip, "x", probe, sizeof probe) ||
	    (b->f.v = calloc(zones->n ? zones->n : 1, sizeof *b->f.v)) == NULL) {
		free(b);
		return NULL;
	}
	v6 = v6 && strlen(probe) > 20;
	snprintf(b->f.ip, sizeof b->f.ip, "%s", ip);
	b->f.zones_file = zones_file ? strdup(zones_file) : NULL;
	for (size_t i = 0; i < zones->n; i++) {
		const struct dnsbl_zone *z = &zones->v[i];
		struct dnsbl_result *r;
		char name[DNSBL_QNAME_MAX];

		if (!dnsbl_zone_active(z))
			continue;
		r = &b->f.v[b->f.n++];
		r->id = strdup(z->id);
		/* The facts name the public zone: a DQS key is a secret and stays out of them. */
		if (!dnsbl_query_name(ip, z->id, name, sizeof name))
			continue;
		r->qname = strdup(name);
		if (!dnsbl_query_name(ip, z->zone, name, sizeof name))
			continue;
		if (v6 && !z->ipv6) {
			r->skipped = true;
			continue;
		}
		ask(b, b->f.n - 1, Q_ADDR, name, DNS_T_A);
		/* The TXT names the listing's reason. Asked with the address, not after
		 * it: a listed address costs one round trip, not two. */
		ask(b, b->f.n - 1, Q_TXT, name, DNS_T_TXT);
		if (z->selftest) {
			if (dnsbl_selftest_name(z->zone, true, name, sizeof name))
				ask_selftest(b, b->f.n - 1, Q_POS, name);
			if (dnsbl_selftest_name(z->zone, false, name, sizeof name))
				ask_selftest(b, b->f.n - 1, Q_NEG, name);
		}
	}
	/* Nothing to ask at all still ends, from the loop. */
	engine_timer_set(e, &b->kick, 1, on_kick, b);
	return b;
}

void blocklist_take_facts(struct blocklist *b, struct dnsbl_facts *out)
{
	*out = b->f;
	memset(&b->f, 0, sizeof b->f);
}

void blocklist_free(struct blocklist *b)
{
	if (b == NULL)
		return;
	while (b->pending != NULL) {
		struct bq *x = b->pending;

		dns_query_cancel(x->q);
		selftest_cancel(x->w);
		b->pending = x->next;
		free(x);
	}
	engine_timer_clear(b->e, &b->kick);
	dnsbl_facts_free(&b->f);
	free(b);
}

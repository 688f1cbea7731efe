#include "config.h"

#include <ares.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "engine.h"
#include "resolve.h"

#define RESOLVE_MAX_ADDRS 16

struct resolve_req {
	struct engine *e;
	resolve_fn fn;
	void *arg;
	char *host;		/* while waiting on a prefetch: to ask again if it fails */
	uint16_t port;
	struct resolve_prefetch *waiting_on;
	struct resolve_req *next_waiter;
	bool done;		/* the callback has been called (or cancelled) */
	bool ares_pending;	/* c-ares still owns a pointer to us */
	struct engine_timer timer;	/* our deadline, or "answer now" for literals */
	struct resolved_addr addrs[RESOLVE_MAX_ADDRS];
	size_t n;
	int status;
	char error[160];
};

/* A lookup started early; resolve_host of its name joins it. */
struct resolve_prefetch {
	struct engine *e;
	char *host;
	bool pending;		/* c-ares still owns a pointer to us */
	bool dropped;		/* its owner let go while c-ares was busy: free on the answer */
	int status;		/* 0 when addrs holds the answer */
	struct resolved_addr addrs[RESOLVE_MAX_ADDRS];
	size_t n;
	struct resolve_req *waiters;
	struct resolve_prefetch *next;	/* the engine's list */
};

static void unwait(struct resolve_req *r)
{
	if (r->waiting_on == NULL)
		return;
	for (struct resolve_req **pp = &r->waiting_on->waiters; *pp != NULL; pp = &(*pp)->next_waiter)
		if (*pp == r) {
			*pp = r->next_waiter;
			break;
		}
	r->waiting_on = NULL;
}

static void req_maybe_free(struct resolve_req *r)
{
	if (r->done && !r->ares_pending) {
		unwait(r);
		free(r->host);
		free(r);
	}
}

static void req_finish(struct resolve_req *r)
{
	engine_timer_clear(r->e, &r->timer);
	if (!r->done) {
		r->done = true;
		r->fn(r->arg, r->status, r->status ? r->error : NULL, r->addrs, r->n);
	}
	req_maybe_free(r);
}

static void on_timer(void *arg)
{
	struct resolve_req *r = arg;

	if (r->n == 0 && r->status == 0) {
		r->status = -1;
		snprintf(r->error, sizeof r->error, "no answer from the DNS resolver in time");
	}
	req_finish(r);
}

static void on_ares(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct resolve_req *r = arg;

	(void)timeouts;
	r->ares_pending = false;
	if (r->done) {
		ares_freeaddrinfo(res);
		req_maybe_free(r);
		return;
	}
	if (status != ARES_SUCCESS) {
		r->status = -1;
		if (status == ARES_ENOTFOUND || status == ARES_ENODATA)
			snprintf(r->error, sizeof r->error, "the name has no A or AAAA record (%s)",
			    ares_strerror(status));
		else
			snprintf(r->error, sizeof r->error, "%s", ares_strerror(status));
	} else {
		for (struct ares_addrinfo_node *ai = res->nodes;
		    ai != NULL && r->n < RESOLVE_MAX_ADDRS; ai = ai->ai_next) {
			if ((size_t)ai->ai_addrlen > sizeof r->addrs[0].ss)
				continue;
			memcpy(&r->addrs[r->n].ss, ai->ai_addr, ai->ai_addrlen);
			r->addrs[r->n].len = ai->ai_addrlen;
			r->n++;
		}
		if (r->n == 0) {
			r->status = -1;
			snprintf(r->error, sizeof r->error, "the name has no A or AAAA record");
		}
	}
	ares_freeaddrinfo(res);
	/* Answer from the loop, not from inside c-ares. */
	engine_timer_set(r->e, &r->timer, 1, on_timer, r);
}

static bool parse_literal(struct resolve_req *r, const char *host, uint16_t port)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&r->addrs[0].ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&r->addrs[0].ss;

	memset(&r->addrs[0], 0, sizeof r->addrs[0]);
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		r->addrs[0].len = sizeof *s4;
		r->n = 1;
		return true;
	}
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		r->addrs[0].len = sizeof *s6;
		r->n = 1;
		return true;
	}
	return false;
}

/* Ask c-ares for host's A and AAAA; the answer goes to fn(arg). False: no channel. */
static bool lookup(struct engine *e, const char *host, uint16_t port,
    ares_addrinfo_callback fn, void *arg, char **cause)
{
	struct ares_addrinfo_hints hints;
	char portstr[8];
	ares_channel ch;

	if ((ch = engine_ares_hosts(e, cause)) == NULL)
		return false;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = ARES_AI_NUMERICSERV;
	snprintf(portstr, sizeof portstr, "%u", port);
	/* May call fn at once (from /etc/hosts): callbacks defer to the loop. */
	ares_getaddrinfo(ch, host, portstr, &hints, fn, arg);
	engine_ares_hosts(e, cause);	/* re-arm c-ares' timer for the new query */
	return true;
}

static void start_lookup(struct resolve_req *r, const char *host)
{
	char *cause = NULL;

	r->ares_pending = true;
	if (!lookup(r->e, host, r->port, on_ares, r, &cause)) {
		r->ares_pending = false;
		r->status = -1;
		snprintf(r->error, sizeof r->error, "%s", cause ? cause : "resolver unavailable");
		engine_timer_set(r->e, &r->timer, 1, on_timer, r);
	}
	free(cause);
}

static void set_port(struct resolved_addr *a, uint16_t port)
{
	if (a->ss.ss_family == AF_INET)
		((struct sockaddr_in *)&a->ss)->sin_port = htons(port);
	else if (a->ss.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&a->ss)->sin6_port = htons(port);
}

/* The prefetch's answer, for r's port; answered from the loop. */
static void take_prefetched(struct resolve_req *r, const struct resolve_prefetch *p)
{
	memcpy(r->addrs, p->addrs, p->n * sizeof p->addrs[0]);
	r->n = p->n;
	for (size_t i = 0; i < r->n; i++)
		set_port(&r->addrs[i], r->port);
	engine_timer_set(r->e, &r->timer, 1, on_timer, r);
}

static struct resolve_prefetch *find_prefetch(struct engine *e, const char *host)
{
	for (struct resolve_prefetch *p = *engine_prefetches(e); p != NULL; p = p->next)
		if (strcasecmp(p->host, host) == 0 && (p->pending || p->status == 0))
			return p;
	return NULL;
}

struct resolve_req *resolve_host(struct engine *e, const char *host, uint16_t port,
    int64_t deadline_ms, resolve_fn fn, void *arg)
{
	struct resolve_req *r;
	struct resolve_prefetch *p;

	if ((r = calloc(1, sizeof *r)) == NULL)
		return NULL;
	r->e = e;
	r->fn = fn;
	r->arg = arg;
	r->port = port;
	if (parse_literal(r, host, port)) {
		engine_timer_set(e, &r->timer, 1, on_timer, r);
		return r;
	}
	engine_timer_set(e, &r->timer, deadline_ms, on_timer, r);
	if ((p = find_prefetch(e, host)) != NULL && !p->pending) {
		take_prefetched(r, p);
	} else if (p != NULL && (r->host = strdup(host)) != NULL) {
		/* Join the lookup under way; our own deadline still holds. */
		r->waiting_on = p;
		r->next_waiter = p->waiters;
		p->waiters = r;
	} else {
		start_lookup(r, host);
	}
	return r;
}

static void on_prefetch(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct resolve_prefetch *p = arg;

	(void)timeouts;
	p->pending = false;
	p->status = -1;
	if (status == ARES_SUCCESS)
		for (struct ares_addrinfo_node *ai = res->nodes;
		    ai != NULL && p->n < RESOLVE_MAX_ADDRS; ai = ai->ai_next) {
			if ((size_t)ai->ai_addrlen > sizeof p->addrs[0].ss)
				continue;
			memcpy(&p->addrs[p->n].ss, ai->ai_addr, ai->ai_addrlen);
			p->addrs[p->n].len = ai->ai_addrlen;
			p->n++;
			p->status = 0;
		}
	ares_freeaddrinfo(res);
	if (p->dropped) {
		free(p->host);
		free(p);
		return;
	}
	/* Those who joined get the answer, or ask for themselves (not while c-ares is being torn down). */
	while (p->waiters != NULL) {
		struct resolve_req *r = p->waiters;

		p->waiters = r->next_waiter;
		r->waiting_on = NULL;
		if (p->status == 0)
			take_prefetched(r, p);
		else if (status != ARES_EDESTRUCTION)
			start_lookup(r, r->host);
	}
}

struct resolve_prefetch *resolve_prefetch(struct engine *e, const char *host)
{
	struct resolve_prefetch *p;
	struct resolved_addr probe;
	char *cause = NULL;

	if (inet_pton(AF_INET, host, &probe.ss) == 1 || inet_pton(AF_INET6, host, &probe.ss) == 1)
		return NULL;
	if ((p = calloc(1, sizeof *p)) == NULL || (p->host = strdup(host)) == NULL) {
		free(p);
		return NULL;
	}
	p->e = e;
	p->pending = true;
	p->next = *engine_prefetches(e);
	*engine_prefetches(e) = p;
	/* c-ares refuses port 0; each taker sets its own. */
	if (!lookup(e, host, 25, on_prefetch, p, &cause)) {
		p->pending = false;
		p->status = -1;
	}
	free(cause);
	return p;
}

void resolve_prefetch_drop(struct resolve_prefetch *p)
{
	if (p == NULL)
		return;
	for (struct resolve_prefetch **pp = engine_prefetches(p->e); *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	/* Whoever still waits asks for itself. */
	while (p->waiters != NULL) {
		struct resolve_req *r = p->waiters;

		p->waiters = r->next_waiter;
		r->waiting_on = NULL;
		start_lookup(r, r->host);
	}
	if (p->pending) {
		p->dropped = true;
		return;
	}
	free(p->host);
	free(p);
}

void resolve_cancel(struct resolve_req *r)
{
	if (r == NULL)
		return;
	unwait(r);
	engine_timer_clear(r->e, &r->timer);
	r->done = true;
	req_maybe_free(r);
}

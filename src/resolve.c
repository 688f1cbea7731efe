#include "config.h"

#include <ares.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "engine.h"
#include "resolve.h"

#define RESOLVE_MAX_ADDRS 16

struct resolve_req {
	struct engine *e;
	resolve_fn fn;
	void *arg;
	bool done;		/* the callback has been called (or cancelled) */
	bool ares_pending;	/* c-ares still owns a pointer to us */
	struct engine_timer timer;	/* our deadline, or "answer now" for literals */
	struct resolved_addr addrs[RESOLVE_MAX_ADDRS];
	size_t n;
	int status;
	char error[160];
};

static void req_maybe_free(struct resolve_req *r)
{
	if (r->done && !r->ares_pending)
		free(r);
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

struct resolve_req *resolve_host(struct engine *e, const char *host, uint16_t port,
    int64_t deadline_ms, resolve_fn fn, void *arg)
{
	struct resolve_req *r;
	struct ares_addrinfo_hints hints;
	char portstr[8], *cause = NULL;
	ares_channel ch;

	if ((r = calloc(1, sizeof *r)) == NULL)
		return NULL;
	r->e = e;
	r->fn = fn;
	r->arg = arg;
	if (parse_literal(r, host, port)) {
		engine_timer_set(e, &r->timer, 1, on_timer, r);
		return r;
	}
	if ((ch = engine_ares(e, &cause)) == NULL) {
		r->status = -1;
		snprintf(r->error, sizeof r->error, "%s", cause ? cause : "resolver unavailable");
		free(cause);
		engine_timer_set(e, &r->timer, 1, on_timer, r);
		return r;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = ARES_AI_NUMERICSERV;
	snprintf(portstr, sizeof portstr, "%u", port);
	engine_timer_set(e, &r->timer, deadline_ms, on_timer, r);
	r->ares_pending = true;
	/* May call on_ares at once (from /etc/hosts): it defers to the loop. */
	ares_getaddrinfo(ch, host, portstr, &hints, on_ares, r);
	engine_ares(e, &cause);	/* re-arm c-ares' timer for the new query */
	free(cause);
	return r;
}

void resolve_cancel(struct resolve_req *r)
{
	if (r == NULL)
		return;
	engine_timer_clear(r->e, &r->timer);
	r->done = true;
	req_maybe_free(r);
}

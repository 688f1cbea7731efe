#include "config.h"

#include <ares.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "clock.h"
#include "dns.h"
#include "engine.h"

struct dns_query {
	struct engine *e;
	dns_fn fn;
	void *arg;
	bool done;		/* answered or cancelled */
	bool ares_pending;	/* c-ares still holds a pointer to us */
	struct engine_timer timer;
	int64_t started;
	struct dns_answer a;
};

static void query_maybe_free(struct dns_query *q)
{
	if (q->done && !q->ares_pending) {
		dns_answer_free(&q->a);
		free(q);
	}
}

static void deliver(void *arg)
{
	struct dns_query *q = arg;
	struct dns_answer a;

	engine_timer_clear(q->e, &q->timer);
	if (!q->done) {
		q->done = true;
		if (q->a.status == DNS_OK && q->a.n == 0 && q->a.error == NULL)
			q->a.status = DNS_TIMEOUT;
		if (q->a.status == DNS_TIMEOUT && q->a.error == NULL)
			q->a.error = strdup("no answer from the DNS server in time");
		q->a.ms = clock_now_ms() - q->started;
		a = q->a;
		memset(&q->a, 0, sizeof q->a);
		q->fn(q->arg, &a);
	}
	query_maybe_free(q);
}

static void on_timeout(void *arg)
{
	struct dns_query *q = arg;

	/* Still waiting for c-ares: the deadline wins. */
	if (!q->done && q->ares_pending) {
		q->a.status = DNS_TIMEOUT;
		free(q->a.error);
		q->a.error = strdup("no answer from the DNS server in time");
	}
	deliver(q);
}

static void on_ares(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct dns_query *q = arg;

	(void)timeouts;
	q->ares_pending = false;
	if (q->done || status == ARES_EDESTRUCTION) {
		q->done = true;
		query_maybe_free(q);
		return;
	}
	if (status == ARES_SUCCESS && abuf != NULL && alen > 0) {
		dnsmsg_parse(abuf, (size_t)alen, q->a.type, &q->a);
	} else {
		q->a.status = status == ARES_ETIMEOUT ? DNS_TIMEOUT : status == ARES_ESERVFAIL ?
		    DNS_SERVFAIL : status == ARES_EREFUSED ? DNS_REFUSED : status == ARES_ENOTFOUND ?
		    DNS_NXDOMAIN : DNS_ERROR;
		free(q->a.error);
		/* c-ares' "Could not contact DNS servers" hides the likely cause. */
		q->a.error = strdup(status == ARES_ECONNREFUSED ? "the DNS server refused the connection "
		    "(nothing listens on its port: over TCP, which truncated answers need, or UDP)" :
		    ares_strerror(status));
	}
	/* Answer from the loop, never from inside c-ares. */
	engine_timer_set(q->e, &q->timer, 1, deliver, q);
}

struct dns_query *dns_query_start(struct engine *e, const char *name, uint16_t type,
    int64_t deadline_ms, dns_fn fn, void *arg)
{
	struct dns_query *q = calloc(1, sizeof *q);
	unsigned char *buf = NULL;
	int buflen = 0, rc;
	unsigned short id;
	char *cause = NULL;
	ares_channel ch;

	if (q == NULL)
		return NULL;
	q->e = e;
	q->fn = fn;
	q->arg = arg;
	q->started = clock_now_ms();
	q->a.type = type;
	if ((q->a.name = strdup(name)) == NULL) {
		free(q);
		return NULL;
	}
	if ((ch = engine_ares(e, &cause)) == NULL) {
		q->a.status = DNS_ERROR;
		q->a.error = cause ? cause : strdup("no resolver");
		engine_timer_set(e, &q->timer, 1, deliver, q);
		return q;
	}
	/* c-ares 1.18 sends the ID we put in the query: make it unpredictable
	 * (spoofing) and unlike its neighbours (c-ares matches answers by ID). */
	if (getrandom(&id, sizeof id, GRND_NONBLOCK) != sizeof id)
		id = (unsigned short)(clock_now_ms() ^ (uintptr_t)q);
	/* EDNS with a 1232-byte UDP size; c-ares retries over TCP when truncated. */
	rc = ares_create_query(name, 1 /* IN */, type, id, 1, &buf, &buflen, 1232);
	if (rc != ARES_SUCCESS || buflen < 12) {
		q->a.status = DNS_ERROR;
		/* Not the name: it may hold a DQS key. */
		if (asprintf(&q->a.error, "cannot build the query: %s", ares_strerror(rc)) < 0)
			q->a.error = NULL;
		if (buf != NULL)
			ares_free_string(buf);
		engine_timer_set(e, &q->timer, 1, deliver, q);
		return q;
	}
	buf[3] |= 0x20;		/* AD: ask a validating resolver to say so (RFC 6840 5.7) */
	engine_timer_set(e, &q->timer, deadline_ms, on_timeout, q);
	q->ares_pending = true;
	ares_send(ch, buf, buflen, on_ares, q);
	ares_free_string(buf);
	engine_ares(e, &cause);	/* arm c-ares' timer for the new query */
	free(cause);
	return q;
}

void dns_query_cancel(struct dns_query *q)
{
	if (q == NULL)
		return;
	engine_timer_clear(q->e, &q->timer);
	q->done = true;
	query_maybe_free(q);
}

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "selftest.h"

struct entry;

struct selftest_wait {
	struct entry *en;
	dns_fn fn;
	void *arg;
	struct selftest_wait *next;
};

/* One query name: in flight (q set, waiters queued) or known (a kept). */
struct entry {
	struct selftest *s;
	char *name;
	struct dns_query *q;
	bool known;
	struct dns_answer a;
	struct selftest_wait *waiters;
	struct entry *next;
};

struct selftest {
	struct engine *e;
	struct entry *entries;
};

/* A deep copy of a; false when out of memory (out is then empty). */
static bool answer_copy(const struct dns_answer *a, struct dns_answer *out)
{
	*out = *a;
	out->name = NULL;
	out->cname = NULL;
	out->error = NULL;
	out->rr = NULL;
	out->n = 0;
	if ((a->name != NULL && (out->name = strdup(a->name)) == NULL) ||
	    (a->cname != NULL && (out->cname = strdup(a->cname)) == NULL) ||
	    (a->error != NULL && (out->error = strdup(a->error)) == NULL) ||
	    (a->n > 0 && (out->rr = calloc(a->n, sizeof *out->rr)) == NULL))
		goto oom;
	for (size_t i = 0; i < a->n; i++) {
		struct dns_rr *r = &out->rr[i];

		*r = a->rr[i];
		r->text = r->target = NULL;
		r->data = NULL;
		out->n = i + 1;
		if ((a->rr[i].text != NULL && (r->text = strdup(a->rr[i].text)) == NULL) ||
		    (a->rr[i].target != NULL && (r->target = strdup(a->rr[i].target)) == NULL))
			goto oom;
		if (a->rr[i].data != NULL) {
			if ((r->data = malloc(a->rr[i].datalen ? a->rr[i].datalen : 1)) == NULL)
				goto oom;
			memcpy(r->data, a->rr[i].data, a->rr[i].datalen);
		}
	}
	return true;
oom:
	dns_answer_free(out);
	return false;
}

/* Hand a copy to one waiter; an error answer if out of memory. */
static void give(const struct dns_answer *a, dns_fn fn, void *arg)
{
	struct dns_answer c;

	if (!answer_copy(a, &c)) {
		memset(&c, 0, sizeof c);
		c.type = a->type;
		c.status = DNS_ERROR;
	}
	fn(arg, &c);
}

/* The zone answered the question (a listing, NXDOMAIN or NODATA): that is the
 * zone's behaviour. A timeout, SERVFAIL or error is the moment's, not kept. */
static bool answered(const struct dns_answer *a)
{
	return a->status == DNS_OK || a->status == DNS_NXDOMAIN || a->status == DNS_NODATA;
}

/* The one answer came: give each waiter its copy, and keep it for later askers
 * when the zone answered; a failure is asked again by the next target, as a
 * single check would. */
static void on_answer(void *arg, struct dns_answer *a)
{
	struct entry *en = arg;
	struct selftest_wait *w;
	bool keep = answered(a);

	en->q = NULL;
	en->a = *a;
	en->known = true;
	if (!keep)
		for (struct entry **pp = &en->s->entries; *pp != NULL; pp = &(*pp)->next)
			if (*pp == en) {
				*pp = en->next;
				break;
			}
	/* One at a time from the head: a callback may cancel another waiter. */
	while ((w = en->waiters) != NULL) {
		en->waiters = w->next;
		give(&en->a, w->fn, w->arg);
		free(w);
	}
	if (!keep) {
		dns_answer_free(&en->a);
		free(en->name);
		free(en);
	}
}

struct selftest *selftest_new(struct engine *e)
{
	struct selftest *s = calloc(1, sizeof *s);

	if (s != NULL)
		s->e = e;
	return s;
}

void selftest_free(struct selftest *s)
{
	if (s == NULL)
		return;
	while (s->entries != NULL) {
		struct entry *en = s->entries;

		s->entries = en->next;
		dns_query_cancel(en->q);
		while (en->waiters != NULL) {
			struct selftest_wait *w = en->waiters;

			en->waiters = w->next;
			free(w);
		}
		dns_answer_free(&en->a);
		free(en->name);
		free(en);
	}
	free(s);
}

bool selftest_ask(struct selftest *s, const char *name, int64_t deadline_ms, struct dns_answer *out,
    struct selftest_wait **w, dns_fn fn, void *arg)
{
	struct entry *en;
	struct selftest_wait *x;

	*w = NULL;
	for (en = s->entries; en != NULL; en = en->next)
		if (strcmp(en->name, name) == 0)
			break;
	if (en != NULL && en->known)
		return answer_copy(&en->a, out);
	if ((x = calloc(1, sizeof *x)) == NULL)
		return false;
	if (en == NULL) {
		if ((en = calloc(1, sizeof *en)) == NULL || (en->name = strdup(name)) == NULL) {
			free(en);
			free(x);
			return false;
		}
		en->s = s;
		/* The first asker's deadline bounds every later one's wait. */
		if ((en->q = dns_query_start(s->e, name, DNS_T_A, deadline_ms, on_answer, en)) == NULL) {
			free(en->name);
			free(en);
			free(x);
			return false;
		}
		en->next = s->entries;
		s->entries = en;
	}
	x->en = en;
	x->fn = fn;
	x->arg = arg;
	x->next = en->waiters;
	en->waiters = x;
	*w = x;
	return false;
}

void selftest_cancel(struct selftest_wait *w)
{
	if (w == NULL)
		return;
	for (struct selftest_wait **pp = &w->en->waiters; *pp != NULL; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	free(w);
}

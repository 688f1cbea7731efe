/*
 * The connection ledger: one run's count of connections per address:port,
 * the queue of probes waiting for a free slot, and (in a batch) the probes
 * shared by targets that reach the same host.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine.h"
#include "ledger.h"

/* Finished probes nobody holds, kept for targets still to come: the most
 * recently used ones (a batch of 20,000 hosts must not keep them all). */
#define KEEP_FINISHED 256

struct entry {
	char addr[64];
	uint16_t port;
	int total;		/* connections counted in this run */
	int open;		/* open now */
};

struct shared;

struct ledger {
	struct engine *e;
	struct ledger_options o;
	struct entry *v;
	size_t n, cap;
	struct ledger_waiter *waiters;	/* queued and woken, oldest first */
	struct engine_timer kick;	/* calls woken waiters from the loop */
	struct shared *probes;	/* share_probes: every probe this run started */
};

/* ---- connections ---- */

/* One key per address: an IPv4-mapped IPv6 address counts as its IPv4 form. */
static const char *norm(const char *addr)
{
	if (strncasecmp(addr, "::ffff:", 7) == 0 && strchr(addr + 7, '.') != NULL)
		return addr + 7;
	return addr;
}

static struct entry *find(const struct ledger *l, const char *addr, uint16_t port)
{
	addr = norm(addr);
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].port == port && strcmp(l->v[i].addr, addr) == 0)
			return &l->v[i];
	return NULL;
}

static struct entry *find_or_add(struct ledger *l, const char *addr, uint16_t port)
{
	struct entry *x = find(l, addr, port);

	if (x != NULL)
		return x;
	addr = norm(addr);
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct entry *v = realloc(l->v, cap * sizeof *v);

		if (v == NULL)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	x = &l->v[l->n++];
	memset(x, 0, sizeof *x);
	snprintf(x->addr, sizeof x->addr, "%s", addr);
	x->port = port;
	return x;
}

static bool same_key(const struct ledger_waiter *w, const struct entry *x)
{
	return w->port == x->port && strcmp(w->addr, x->addr) == 0;
}

static void unlink_waiter(struct ledger *l, struct ledger_waiter *w)
{
	for (struct ledger_waiter **pp = &l->waiters; *pp != NULL; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			break;
		}
	w->next = NULL;
	w->state = LW_IDLE;
}

static void on_kick(void *arg)
{
	struct ledger *l = arg;
	struct ledger_waiter *w;

	/* One at a time: a callback may take, leave or release anything. */
	for (;;) {
		for (w = l->waiters; w != NULL && w->state != LW_WOKEN; w = w->next)
			;
		if (w == NULL)
			return;
		unlink_waiter(l, w);
		w->fn(w->arg, w->answer);
	}
}

static void wake(struct ledger *l, struct ledger_waiter *w, enum ledger_answer a)
{
	w->state = LW_WOKEN;
	w->answer = a;
	engine_timer_set(l->e, &l->kick, 1, on_kick, l);
}

static bool room(const struct ledger *l, const struct entry *x)
{
	return l->o.max_open <= 0 || x->open < l->o.max_open;
}

static bool spent(const struct ledger *l, const struct entry *x)
{
	return l->o.max_total > 0 && x->total >= l->o.max_total;
}

/*
 * Without a whole-run budget (a batch), an address nobody has open or waits
 * for needs no entry: drop it, so that the lookups stay short in a batch of
 * thousands of servers. x is not valid afterwards.
 */
static void prune(struct ledger *l, struct entry *x)
{
	if (l->o.max_total > 0 || x->open > 0)
		return;
	for (const struct ledger_waiter *w = l->waiters; w != NULL; w = w->next)
		if (same_key(w, x))
			return;
	*x = l->v[--l->n];
}

/* Hand free slots of x to its waiters, oldest first. */
static void serve(struct ledger *l, struct entry *x)
{
	for (struct ledger_waiter *w = l->waiters; w != NULL; w = w->next) {
		if (w->state != LW_QUEUED || !same_key(w, x))
			continue;
		if (spent(l, x))
			wake(l, w, LEDGER_SPENT);
		else if (room(l, x)) {
			x->total++;
			x->open++;
			wake(l, w, LEDGER_GO);
		} else
			return;
	}
}

struct ledger *ledger_new(struct engine *e, const struct ledger_options *opt)
{
	struct ledger *l = calloc(1, sizeof *l);

	if (l == NULL)
		return NULL;
	l->e = e;
	l->o = *opt;
	return l;
}

enum ledger_answer ledger_take(struct ledger *l, const char *addr, uint16_t port,
    struct ledger_waiter *w, ledger_wake_fn fn, void *arg)
{
	struct entry *x = find_or_add(l, addr, port);
	bool queue_ahead = false;

	if (x == NULL)
		return LEDGER_GO;	/* out of memory: never block a probe on that */
	if (spent(l, x))
		return LEDGER_SPENT;
	for (struct ledger_waiter *q = l->waiters; q != NULL; q = q->next)
		if (q->state == LW_QUEUED && same_key(q, x))
			queue_ahead = true;
	if (room(l, x) && !queue_ahead) {
		x->total++;
		x->open++;
		return LEDGER_GO;
	}
	/* Join the end of the queue: first come, first served. */
	memset(w, 0, sizeof *w);
	snprintf(w->addr, sizeof w->addr, "%s", norm(addr));
	w->port = port;
	w->fn = fn;
	w->arg = arg;
	w->state = LW_QUEUED;
	{
		struct ledger_waiter **pp = &l->waiters;

		while (*pp != NULL)
			pp = &(*pp)->next;
		*pp = w;
	}
	return LEDGER_WAIT;
}

void ledger_release(struct ledger *l, const char *addr, uint16_t port)
{
	struct entry *x = find(l, addr, port);

	if (x == NULL || x->open <= 0)
		return;
	x->open--;
	serve(l, x);
	prune(l, x);
}

void ledger_leave(struct ledger *l, struct ledger_waiter *w)
{
	struct entry *x;

	if (l == NULL || w == NULL || w->state == LW_IDLE)
		return;
	x = find(l, w->addr, w->port);
	if (w->state == LW_WOKEN && w->answer == LEDGER_GO && x != NULL) {
		/* Granted but never used: the connection was not opened. */
		x->total--;
		x->open--;
	}
	unlink_waiter(l, w);
	if (x != NULL) {
		serve(l, x);
		prune(l, x);
	}
}

int ledger_used(const struct ledger *l, const char *addr, uint16_t port)
{
	const struct entry *x = find(l, addr, port);

	return x ? x->total : 0;
}

int ledger_open(const struct ledger *l, const char *addr, uint16_t port)
{
	const struct entry *x = find(l, addr, port);

	return x ? x->open : 0;
}

int ledger_budget(const struct ledger *l)
{
	return l->o.max_total;
}

/* ---- shared probes ---- */

/* One probe of the run, held by the targets that need it. */
struct shared {
	struct shared *next;
	struct ledger *l;	/* NULL: not in the ledger's list (one holder only) */
	struct smtp_probe *p;
	struct smtp_facts f;	/* once finished */
	int64_t waited_ms;	/* time the probe spent queued for slots */
	bool finished;
	int holders;
	char *owner;		/* the target that started it */
	/* What makes two probes the same. */
	char *host, *tls_name, *ehlo_name, *ca_file, *env_from, *env_to;
	uint16_t port;
	const struct onpremcert *client;
	int phase_timeout_ms, overall_timeout_ms, max_connections;
	struct ledger_probe *subs;
};

struct ledger_probe {
	struct ledger_probe *next;	/* among the holders of s */
	struct shared *s;
	struct engine *e;
	char *owner;
	ledger_probe_fn done;
	void *arg;
	struct engine_timer kick;
};

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Host names compare without case and without a final dot. */
static bool host_eq(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);

	if (na > 0 && a[na - 1] == '.')
		na--;
	if (nb > 0 && b[nb - 1] == '.')
		nb--;
	return na == nb && strncasecmp(a, b, na) == 0;
}

static bool same_probe(const struct shared *s, const struct smtp_options *o)
{
	return host_eq(s->host, o->host) && s->port == (o->port ? o->port : 25) &&
	    (str_eq(s->tls_name, o->tls_name) || (s->tls_name != NULL && o->tls_name != NULL &&
	    host_eq(s->tls_name, o->tls_name))) && str_eq(s->ehlo_name, o->ehlo_name) &&
	    str_eq(s->ca_file, o->ca_file) && str_eq(s->env_from, o->envelope_from) &&
	    str_eq(s->env_to, o->envelope_to) && s->client == o->client_cert &&
	    s->phase_timeout_ms == o->phase_timeout_ms && s->overall_timeout_ms == o->overall_timeout_ms &&
	    s->max_connections == o->max_connections;
}

static char *dup_or_null(const char *s, bool *ok)
{
	char *d = s ? strdup(s) : NULL;

	if (s != NULL && d == NULL)
		*ok = false;
	return d;
}

static void shared_free(struct shared *s)
{
	if (s == NULL)
		return;
	smtp_probe_free(s->p);
	smtp_facts_free(&s->f);
	free(s->owner);
	free(s->host);
	free(s->tls_name);
	free(s->ehlo_name);
	free(s->ca_file);
	free(s->env_from);
	free(s->env_to);
	free(s);
}

/* Drop the least recently used finished probes nobody holds, beyond KEEP_FINISHED. */
static void forget_old(struct ledger *l)
{
	size_t kept = 0;

	for (struct shared **pp = &l->probes; *pp != NULL;) {
		struct shared *s = *pp;

		if (s->finished && s->holders == 0 && ++kept > KEEP_FINISHED) {
			*pp = s->next;
			shared_free(s);
		} else
			pp = &s->next;
	}
}

static void on_sub_kick(void *arg)
{
	struct ledger_probe *lp = arg;

	lp->done(lp->arg, lp);
}

static void on_probe_done(void *arg, struct smtp_probe *p)
{
	struct shared *s = arg;

	smtp_probe_take_facts(p, &s->f);
	s->waited_ms = smtp_probe_waited_ms(p);
	s->finished = true;
	/* Stopped by our own queue, not by the server: no later target takes that. */
	if (s->l != NULL && s->f.connections == 0 && s->f.budget_note != NULL) {
		for (struct shared **pp = &s->l->probes; *pp != NULL; pp = &(*pp)->next)
			if (*pp == s) {
				*pp = s->next;
				break;
			}
		s->l = NULL;
		s->next = NULL;
	}
	/* Its buffers go now; the facts stay. Nothing touches p after this call. */
	smtp_probe_free(p);
	s->p = NULL;
	/* Each holder hears from the loop on its own: one may free another. */
	for (struct ledger_probe *lp = s->subs; lp != NULL; lp = lp->next)
		engine_timer_set(lp->e, &lp->kick, 1, on_sub_kick, lp);
}

static struct shared *shared_new(struct ledger *l, struct engine *e, const struct smtp_options *opt,
    const char *owner)
{
	struct shared *s = calloc(1, sizeof *s);
	struct smtp_options so = *opt;
	bool ok = true;

	if (s == NULL)
		return NULL;
	smtp_facts_init(&s->f);
	s->owner = dup_or_null(owner ? owner : opt->host, &ok);
	s->host = dup_or_null(opt->host, &ok);
	s->tls_name = dup_or_null(opt->tls_name, &ok);
	s->ehlo_name = dup_or_null(opt->ehlo_name, &ok);
	s->ca_file = dup_or_null(opt->ca_file, &ok);
	s->env_from = dup_or_null(opt->envelope_from, &ok);
	s->env_to = dup_or_null(opt->envelope_to, &ok);
	s->port = opt->port ? opt->port : 25;
	s->client = opt->client_cert;
	s->phase_timeout_ms = opt->phase_timeout_ms;
	s->overall_timeout_ms = opt->overall_timeout_ms;
	s->max_connections = opt->max_connections;
	so.ledger = l;
	if (!ok || (s->p = smtp_probe_start(e, &so, on_probe_done, s)) == NULL) {
		shared_free(s);
		return NULL;
	}
	return s;
}

struct ledger_probe *ledger_probe_start(struct ledger *l, struct engine *e,
    const struct smtp_options *opt, const char *owner, ledger_probe_fn done, void *arg)
{
	struct ledger_probe *lp = calloc(1, sizeof *lp);
	struct shared *s = NULL;

	if (lp == NULL)
		return NULL;
	lp->e = e;
	lp->done = done;
	lp->arg = arg;
	if ((lp->owner = strdup(owner ? owner : opt->host)) == NULL) {
		free(lp);
		return NULL;
	}
	if (l != NULL && l->o.share_probes) {
		struct shared **pp;

		for (pp = &l->probes; *pp != NULL && !same_probe(*pp, opt); pp = &(*pp)->next)
			;
		/* Found: to the front, the most recently used. */
		if ((s = *pp) != NULL) {
			*pp = s->next;
			s->next = l->probes;
			l->probes = s;
		}
	}
	if (s == NULL) {
		if ((s = shared_new(l, e, opt, lp->owner)) == NULL) {
			free(lp->owner);
			free(lp);
			return NULL;
		}
		if (l != NULL && l->o.share_probes) {
			s->l = l;
			s->next = l->probes;
			l->probes = s;
			forget_old(l);
		}
	}
	lp->s = s;
	lp->next = s->subs;
	s->subs = lp;
	s->holders++;
	/* Joined a finished probe: the answer is there, report it from the loop. */
	if (s->finished)
		engine_timer_set(e, &lp->kick, 1, on_sub_kick, lp);
	return lp;
}

int64_t ledger_probe_waited_ms(const struct ledger_probe *lp)
{
	return lp->s->p != NULL ? smtp_probe_waited_ms(lp->s->p) : lp->s->waited_ms;
}

const struct smtp_facts *ledger_probe_facts(const struct ledger_probe *lp)
{
	return lp->s->finished ? &lp->s->f : smtp_probe_facts(lp->s->p);
}

void ledger_probe_take_facts(struct ledger_probe *lp, struct smtp_facts *out)
{
	struct shared *s = lp->s;

	if (!s->finished) {
		smtp_facts_init(out);
		return;
	}
	/* Alone and never to be joined: move. Otherwise every holder gets a copy. */
	if (s->l == NULL && s->holders == 1) {
		*out = s->f;
		smtp_facts_init(&s->f);
	} else if (!smtp_facts_copy(out, &s->f)) {
		out->host = s->host ? strdup(s->host) : NULL;
		out->port = s->port;
		out->end = END_LOCAL_ERROR;
		out->end_detail = strdup("out of memory while copying the shared probe's facts");
		return;
	}
	if (s->owner != NULL && strcasecmp(s->owner, lp->owner) != 0) {
		free(out->shared_from);
		out->shared_from = strdup(s->owner);
	}
}

void ledger_probe_free(struct ledger_probe *lp)
{
	struct shared *s;

	if (lp == NULL)
		return;
	s = lp->s;
	engine_timer_clear(lp->e, &lp->kick);
	for (struct ledger_probe **pp = &s->subs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == lp) {
			*pp = lp->next;
			break;
		}
	s->holders--;
	free(lp->owner);
	free(lp);
	/* A finished probe stays for later targets; a running one nobody holds stops. */
	if (s->holders > 0 || (s->l != NULL && s->finished))
		return;
	if (s->l != NULL)
		for (struct shared **pp = &s->l->probes; *pp != NULL; pp = &(*pp)->next)
			if (*pp == s) {
				*pp = s->next;
				break;
			}
	shared_free(s);
}

void ledger_free(struct ledger *l)
{
	if (l == NULL)
		return;
	while (l->probes != NULL) {
		struct shared *s = l->probes;

		l->probes = s->next;
		/* Holders are gone by now (the contract); drop what is left. */
		for (struct ledger_probe *lp = s->subs; lp != NULL; lp = lp->next)
			lp->s = NULL;
		shared_free(s);
	}
	/* Last: stopping a probe above frees its slot, which may arm the kick. */
	engine_timer_clear(l->e, &l->kick);
	free(l->v);
	free(l);
}

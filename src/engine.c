/*
 * The engine's event loop: descriptors and timers that the caller's poll()
 * drives. Small linear tables: a diagnosis has tens of sockets, not thousands.
 */
#include "config.h"

#include <ares.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "engine.h"

struct watch {
	int fd;
	short events;
	engine_io_fn fn;
	void *arg;
	uint64_t gen;		/* tells a new watch on a reused fd from the old one */
};

struct engine {
	struct watch *w;
	size_t nw, capw;
	uint64_t next_gen;
	uint64_t *polled_gen;	/* generation of each entry handed out by engine_pollfds */
	size_t npolled;

	/* Armed timers, a binary min-heap on .at: a batch arms thousands (one
	 * deadline per DNS query), so set, clear and "the next one" stay cheap. */
	struct engine_timer **heap;
	size_t nheap, capheap;

	/* Two channels: ares hands SERVFAIL and REFUSED back as facts (the DNS
	 * checks report them); ares_hosts lets c-ares try the next server on
	 * them, as any resolver does when we only need a host's addresses. */
	ares_channel ares, ares_hosts;
	bool ares_ready, hosts_ready;
	struct engine_timer ares_timer;
	struct engine_options opt;
	char *resolver;
	struct resolve_prefetch *prefetches;	/* owned by their users (resolve.c) */
	struct engine_hook *hooks;
	uint64_t round;
	bool ares_dirty;	/* c-ares' next timeout must be asked again */
};

static struct watch *find_watch(struct engine *e, int fd)
{
	for (size_t i = 0; i < e->nw; i++)
		if (e->w[i].fd == fd)
			return &e->w[i];
	return NULL;
}

struct engine *engine_new(const struct engine_options *opt, char **cause)
{
	struct engine *e;

	*cause = NULL;
	if ((e = calloc(1, sizeof *e)) == NULL) {
		*cause = strdup("out of memory");
		return NULL;
	}
	if (opt != NULL) {
		e->opt = *opt;
		if (opt->resolver != NULL && (e->resolver = strdup(opt->resolver)) == NULL) {
			free(e);
			*cause = strdup("out of memory");
			return NULL;
		}
	}
	e->opt.resolver = e->resolver;
	e->next_gen = 1;
	return e;
}

void engine_free(struct engine *e)
{
	if (e == NULL)
		return;
	/* Completion callbacks run from here with ARES_EDESTRUCTION. */
	if (e->ares_ready) {
		ares_destroy(e->ares);
		e->ares_ready = false;
	}
	if (e->hosts_ready) {
		ares_destroy(e->ares_hosts);
		e->hosts_ready = false;
	}
	free(e->w);
	free(e->heap);
	free(e->polled_gen);
	free(e->resolver);
	free(e);
}

struct resolve_prefetch **engine_prefetches(struct engine *e)
{
	return &e->prefetches;
}

void engine_watch(struct engine *e, int fd, short events, engine_io_fn fn, void *arg)
{
	struct watch *w = find_watch(e, fd);

	if (w == NULL) {
		if (e->nw == e->capw) {
			size_t cap = e->capw ? e->capw * 2 : 16;
			struct watch *nw = realloc(e->w, cap * sizeof *nw);

			if (nw == NULL)
				abort();	/* a few bytes: nothing sensible to do */
			e->w = nw;
			e->capw = cap;
		}
		w = &e->w[e->nw++];
		w->fd = fd;
		w->gen = e->next_gen++;
	} else if (w->fn != fn || w->arg != arg)
		w->gen = e->next_gen++;
	w->events = events;
	w->fn = fn;
	w->arg = arg;
}

void engine_unwatch(struct engine *e, int fd)
{
	for (size_t i = 0; i < e->nw; i++) {
		if (e->w[i].fd == fd) {
			e->w[i] = e->w[--e->nw];
			return;
		}
	}
}

static void heap_put(struct engine *e, size_t i, struct engine_timer *t)
{
	e->heap[i] = t;
	t->slot = i;
}

static void heap_up(struct engine *e, size_t i)
{
	struct engine_timer *t = e->heap[i];

	while (i > 0 && e->heap[(i - 1) / 2]->at > t->at) {
		heap_put(e, i, e->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_put(e, i, t);
}

static void heap_down(struct engine *e, size_t i)
{
	struct engine_timer *t = e->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= e->nheap)
			break;
		if (c + 1 < e->nheap && e->heap[c + 1]->at < e->heap[c]->at)
			c++;
		if (e->heap[c]->at >= t->at)
			break;
		heap_put(e, i, e->heap[c]);
		i = c;
	}
	heap_put(e, i, t);
}

void engine_timer_set(struct engine *e, struct engine_timer *t, int64_t at_ms,
    engine_timer_fn fn, void *arg)
{
	engine_timer_clear(e, t);
	if (e->nheap == e->capheap) {
		size_t cap = e->capheap ? e->capheap * 2 : 64;
		struct engine_timer **h = realloc(e->heap, cap * sizeof *h);

		if (h == NULL)
			abort();	/* a few bytes: nothing sensible to do */
		e->heap = h;
		e->capheap = cap;
	}
	t->at = at_ms > 0 ? at_ms : 1;
	t->fn = fn;
	t->arg = arg;
	heap_put(e, e->nheap++, t);
	heap_up(e, t->slot);
}

void engine_timer_clear(struct engine *e, struct engine_timer *t)
{
	size_t i = t->slot;

	if (t->at == 0)
		return;
	t->at = 0;
	if (i >= e->nheap || e->heap[i] != t)
		return;
	if (i != --e->nheap) {
		heap_put(e, i, e->heap[e->nheap]);
		heap_down(e, i);
		heap_up(e, e->heap[i]->slot);
	}
}

size_t engine_pollfds(struct engine *e, struct pollfd *pfd, size_t cap)
{
	size_t n = e->nw < cap ? e->nw : cap;

	if (n > e->npolled) {
		uint64_t *g = realloc(e->polled_gen, n * sizeof *g);

		if (g == NULL)
			abort();
		e->polled_gen = g;
	}
	for (size_t i = 0; i < n; i++) {
		pfd[i].fd = e->w[i].fd;
		pfd[i].events = e->w[i].events;
		pfd[i].revents = 0;
		e->polled_gen[i] = e->w[i].gen;
	}
	e->npolled = n;
	return n;
}

static void ares_rearm_if_dirty(struct engine *e);

int engine_timeout(struct engine *e)
{
	int64_t now, best;

	ares_rearm_if_dirty(e);
	now = clock_now_ms();
	if (e->nheap == 0)
		return -1;
	best = e->heap[0]->at;
	if (best <= now)
		return 0;
	return best - now > INT_MAX ? INT_MAX : (int)(best - now);
}

static void run_due_timers(struct engine *e)
{
	int64_t now = clock_now_ms();

	/* A callback may set or clear any timer: the heap's top is read afresh each time. */
	while (e->nheap > 0 && e->heap[0]->at <= now) {
		struct engine_timer *t = e->heap[0];
		engine_timer_fn fn = t->fn;
		void *arg = t->arg;

		engine_timer_clear(e, t);
		fn(arg);
	}
}

void engine_hook_set(struct engine *e, struct engine_hook *h, engine_timer_fn fn, void *arg)
{
	h->fn = fn;
	h->arg = arg;
	if (h->armed)
		return;
	h->armed = true;
	h->round = e->round;	/* from the next round on */
	h->next = e->hooks;
	e->hooks = h;
}

void engine_hook_clear(struct engine *e, struct engine_hook *h)
{
	if (!h->armed)
		return;
	for (struct engine_hook **pp = &e->hooks; *pp != NULL; pp = &(*pp)->next)
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	h->armed = false;
}

static void run_hooks(struct engine *e)
{
	bool ran;

	e->round++;
	/* A hook may set or clear any hook: rescan after each one. */
	do {
		ran = false;
		for (struct engine_hook *h = e->hooks; h != NULL; h = h->next)
			if (h->round != e->round) {
				h->round = e->round;
				h->fn(h->arg);
				ran = true;
				break;
			}
	} while (ran);
}

void engine_process(struct engine *e, const struct pollfd *pfd, size_t n)
{
	if (n > e->npolled)
		n = e->npolled;
	for (size_t i = 0; i < n; i++) {
		struct watch *w;

		if (pfd[i].revents == 0)
			continue;
		/* The watch may be gone or replaced by an earlier callback. */
		w = find_watch(e, pfd[i].fd);
		if (w == NULL || w->gen != e->polled_gen[i])
			continue;
		w->fn(w->arg, pfd[i].fd, pfd[i].revents);
	}
	e->npolled = 0;
	run_due_timers(e);
	run_hooks(e);
	ares_rearm_if_dirty(e);
}

bool engine_idle(const struct engine *e)
{
	/* c-ares' own timer alone does not keep the loop alive. */
	if (e->nheap > 1 || (e->nheap == 1 && e->heap[0] != &e->ares_timer))
		return false;
	return e->nw == 0;
}

void engine_run(struct engine *e)
{
	struct pollfd pfd[256];

	while (!engine_idle(e)) {
		size_t n = engine_pollfds(e, pfd, sizeof pfd / sizeof pfd[0]);
		int timeout = engine_timeout(e);

		if (poll(pfd, n, timeout) < 0 && errno != EINTR)
			break;
		engine_process(e, pfd, n);
	}
}

/* ---- c-ares in the same loop ---- */

static void ares_arm_timer(struct engine *e);

static void ares_on_timer(void *arg)
{
	struct engine *e = arg;

	/* Without this call c-ares never notices that a query timed out. */
	if (e->ares_ready)
		ares_process_fd(e->ares, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	if (e->hosts_ready)
		ares_process_fd(e->ares_hosts, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	ares_arm_timer(e);
}

static void ares_arm_timer(struct engine *e)
{
	struct timeval tv, tv2, *tvp = NULL;

	if (e->ares_ready)
		tvp = ares_timeout(e->ares, NULL, &tv);
	/* The sooner of the two channels' next timeouts. */
	if (e->hosts_ready)
		tvp = ares_timeout(e->ares_hosts, tvp, &tv2);
	if (tvp == NULL) {
		engine_timer_clear(e, &e->ares_timer);
		return;
	}
	engine_timer_set(e, &e->ares_timer,
	    clock_now_ms() + tvp->tv_sec * 1000 + tvp->tv_usec / 1000 + 1, ares_on_timer, e);
}

/*
 * ares_timeout() walks every query in flight (c-ares 1.18): asked after each
 * answer and each new query, thousands of them in a batch cost time quadratic
 * in their number. Our timer is allowed to fire early (it then asks again),
 * never late: an armed timer stands unless a new query could time out before
 * it; the walk happens at most once per round of the loop.
 */
static int ares_try_ms(const struct engine *e)
{
	return e->opt.dns_timeout_ms > 0 ? e->opt.dns_timeout_ms : 2000;
}

static void ares_want_timer(struct engine *e)
{
	if (e->ares_timer.at == 0 || e->ares_timer.at > clock_now_ms() + ares_try_ms(e))
		e->ares_dirty = true;
}

static void ares_rearm_if_dirty(struct engine *e)
{
	if (e->ares_dirty) {
		e->ares_dirty = false;
		ares_arm_timer(e);
	}
}

static void ares_on_io(void *arg, int fd, short revents)
{
	struct engine *e = arg;
	ares_socket_t r = ARES_SOCKET_BAD, w = ARES_SOCKET_BAD;

	if (revents & (POLLIN | POLLERR | POLLHUP))
		r = fd;
	if (revents & POLLOUT)
		w = fd;
	/* A socket belongs to one channel; the other passes over it. */
	if (e->ares_ready)
		ares_process_fd(e->ares, r, w);
	if (e->hosts_ready)
		ares_process_fd(e->ares_hosts, r, w);
	/* Answers only make c-ares' next timeout later: an armed timer may stay. */
	if (e->ares_timer.at == 0)
		e->ares_dirty = true;
}

static void ares_sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct engine *e = data;
	short ev = (readable ? POLLIN : 0) | (writable ? POLLOUT : 0);

	if (ev == 0)
		engine_unwatch(e, fd);
	else
		engine_watch(e, fd, ev, ares_on_io, e);
	ares_arm_timer(e);
}

static void *channel(struct engine *e, bool failover, char **cause)
{
	ares_channel *ch = failover ? &e->ares_hosts : &e->ares;
	bool *ready = failover ? &e->hosts_ready : &e->ares_ready;
	struct ares_options o;
	int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS |
	    ARES_OPT_EDNSPSZ;
	int rc;

	*cause = NULL;
	if (*ready) {
		ares_want_timer(e);
		return *ch;
	}
	if ((rc = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS) {
		*cause = strdup(ares_strerror(rc));
		return NULL;
	}
	memset(&o, 0, sizeof o);
	o.sock_state_cb = ares_sock_state;
	o.sock_state_cb_data = e;
	o.timeout = ares_try_ms(e);
	o.tries = e->opt.dns_tries > 0 ? e->opt.dns_tries : 2;
	/* Hand SERVFAIL and REFUSED back to us: they are facts, not reasons to retry. */
	o.flags = (failover ? 0 : ARES_FLAG_NOCHECKRESP) | ARES_FLAG_EDNS;
	/* Our queries carry EDNS: without the flag c-ares 1.18 drops answers over
	 * 512 bytes and asks again over TCP, which firewalls often block. */
	o.ednspsz = 1232;
	if ((rc = ares_init_options(ch, &o, mask)) != ARES_SUCCESS) {
		if (asprintf(cause, "cannot start the DNS resolver: %s", ares_strerror(rc)) < 0)
			*cause = NULL;
		return NULL;
	}
	if (e->opt.resolver != NULL &&
	    (rc = ares_set_servers_ports_csv(*ch, e->opt.resolver)) != ARES_SUCCESS) {
		if (asprintf(cause, "bad --resolver '%s': %s", e->opt.resolver, ares_strerror(rc)) < 0)
			*cause = NULL;
		ares_destroy(*ch);
		return NULL;
	}
	*ready = true;
	return *ch;
}

void *engine_ares(struct engine *e, char **cause)
{
	return channel(e, false, cause);
}

void *engine_ares_hosts(struct engine *e, char **cause)
{
	return channel(e, true, cause);
}

/*
 * The engine's event loop, seen from the caller.
 *
 * The caller (the CLI, the wizard, a test) owns the one poll(): it asks the
 * engine for its descriptors and its next deadline, polls them together with
 * its own (the keyboard, say), and hands the results back. The engine never
 * blocks and never sleeps; every socket and every timer it owns is here.
 */
#ifndef HTLS_ENGINE_H
#define HTLS_ENGINE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct engine;

struct engine_options {
	const char *resolver;	/* "IP[:PORT]" or NULL for /etc/resolv.conf */
	int dns_timeout_ms;	/* per try, 0 for the default */
	int dns_tries;		/* 0 for the default */
};

/* Returns NULL and sets *cause (caller frees) on failure. */
struct engine *engine_new(const struct engine_options *opt, char **cause);
/* Free the probes that run on an engine before the engine itself. */
void engine_free(struct engine *e);

/* Fill at most cap entries of pfd with what the engine waits on; returns the count. */
size_t engine_pollfds(struct engine *e, struct pollfd *pfd, size_t cap);
/* Milliseconds until the engine's next deadline, or -1 when it has none. */
int engine_timeout(struct engine *e);
/*
 * Hand back the first n entries filled by the last engine_pollfds() call with
 * their revents, then run every timer that is due. Completion callbacks run
 * from here.
 */
void engine_process(struct engine *e, const struct pollfd *pfd, size_t n);
/* True when nothing is in flight: no descriptor and no timer. */
bool engine_idle(const struct engine *e);
/* Poll and process until idle: for callers with nothing else to wait on. */
void engine_run(struct engine *e);

/* ---- for engine modules (smtp, resolve, dns): not for presenters ---- */

typedef void (*engine_io_fn)(void *arg, int fd, short revents);
typedef void (*engine_timer_fn)(void *arg);

/* Watch fd for events (POLLIN/POLLOUT); replaces an existing watch on fd. */
void engine_watch(struct engine *e, int fd, short events, engine_io_fn fn, void *arg);
void engine_unwatch(struct engine *e, int fd);

/* A timer owned by its user; set again to move it, clear before freeing. */
struct engine_timer {
	int64_t at;		/* CLOCK_MONOTONIC ms; 0 = not armed */
	engine_timer_fn fn;
	void *arg;
	size_t slot;		/* its place in the engine's heap, while armed */
};
void engine_timer_set(struct engine *e, struct engine_timer *t, int64_t at_ms,
    engine_timer_fn fn, void *arg);
void engine_timer_clear(struct engine *e, struct engine_timer *t);

/*
 * A hook runs after every round of events (each engine_process) until it is
 * cleared: for a module that follows another's live facts, which has no
 * callback for them, without polling on a timer. Clear before freeing.
 */
struct engine_hook {
	engine_timer_fn fn;
	void *arg;
	uint64_t round;		/* the last round it ran in */
	bool armed;
	struct engine_hook *next;
};
void engine_hook_set(struct engine *e, struct engine_hook *h, engine_timer_fn fn, void *arg);
void engine_hook_clear(struct engine *e, struct engine_hook *h);

/* resolve.c's early lookups on this engine (a list it keeps; drop them before engine_free). */
struct resolve_prefetch **engine_prefetches(struct engine *e);

/*
 * The engine's c-ares channels (ares_channel), created on first use.
 * engine_ares: for the DNS checks; SERVFAIL and REFUSED come back as answers.
 * engine_ares_hosts: for a host's addresses; on SERVFAIL or REFUSED c-ares
 * asks the next server, as the system resolver would.
 */
void *engine_ares(struct engine *e, char **cause);
void *engine_ares_hosts(struct engine *e, char **cause);

#endif

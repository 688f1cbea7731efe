/*
 * Host name to addresses, without blocking: numeric addresses are answered at
 * once, names go through the engine's c-ares channel under our own deadline.
 */
#ifndef HTLS_RESOLVE_H
#define HTLS_RESOLVE_H

#include <stdint.h>
#include <sys/socket.h>

struct engine;

struct resolved_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/*
 * Called once, from the engine loop (never from inside resolve_host). On
 * success status is 0 and addrs holds n addresses (callee frees them after the
 * callback returns); otherwise error names what went wrong.
 */
typedef void (*resolve_fn)(void *arg, int status, const char *error,
    const struct resolved_addr *addrs, size_t n);

struct resolve_req;
struct resolve_prefetch;

/* Start resolving host (A and AAAA) for port; answers by deadline_ms at the latest. */
struct resolve_req *resolve_host(struct engine *e, const char *host, uint16_t port,
    int64_t deadline_ms, resolve_fn fn, void *arg);
/* Cancel: the callback will not be called. */
void resolve_cancel(struct resolve_req *r);

/*
 * Start resolving host before anyone asks, to take a dependent round trip off
 * the critical path (the MX answer, then the MX host's address): a later
 * resolve_host of the same name on this engine joins this lookup or takes its
 * answer. A failed prefetch is never used: resolve_host asks again. Kept until
 * resolve_prefetch_drop; NULL when the name is a literal or out of memory.
 */
struct resolve_prefetch *resolve_prefetch(struct engine *e, const char *host);
void resolve_prefetch_drop(struct resolve_prefetch *p);

#endif

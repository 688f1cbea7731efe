/*
 * The RFC 5782 self-test answers of the blocklist zones, shared by the
 * targets of a batch: "2.0.0.127.<zone>" and "1.0.0.127.<zone>" answer the
 * same whatever address is looked up, so a batch asks each name once and
 * hands every target its own copy of the one answer. A target that asks
 * while the query is in flight joins it instead of asking again. The answer
 * of the zone (a listing, NXDOMAIN, NODATA) is kept for the rest of the batch;
 * a failure (timeout, SERVFAIL, an error) goes to the targets that waited for
 * that query and is asked again by the next target, as a single check would.
 * Not to be freed from a waiter's callback.
 */
#ifndef HTLS_SELFTEST_H
#define HTLS_SELFTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "dns.h"

struct engine;
struct selftest;	/* the shared answers, owned by the batch */
struct selftest_wait;	/* one asker waiting for a query in flight */

/* NULL when out of memory. */
struct selftest *selftest_new(struct engine *e);
/* Cancels the queries still in flight. Free it after the blocklist steps
 * that use it (their waits go with it) and before the engine. NULL is fine. */
void selftest_free(struct selftest *s);

/*
 * The answer to name (type A). When it is known already: fills *out with a
 * copy (the caller frees it with dns_answer_free), sets *w = NULL and
 * returns true. Otherwise joins the query in flight for name, or starts it
 * with deadline_ms, sets *w and returns false: fn then gets its own copy from
 * the engine loop, once, unless selftest_cancel(*w) came first. Returns false
 * with *w == NULL when out of memory (nothing will be called).
 */
bool selftest_ask(struct selftest *s, const char *name, int64_t deadline_ms, struct dns_answer *out,
    struct selftest_wait **w, dns_fn fn, void *arg);
/* The waiter's callback will not be called; the query goes on for the others. */
void selftest_cancel(struct selftest_wait *w);

#endif

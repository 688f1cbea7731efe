/*
 * DNS queries on the engine's c-ares channel: any type, the raw answer parsed
 * by dnsmsg, the AD bit asked for and reported, our own deadline on top of
 * c-ares' retries. Many queries are in flight at once.
 */
#ifndef HTLS_DNS_H
#define HTLS_DNS_H

#include <stdint.h>

#include "dnsmsg.h"

struct engine;
struct dns_query;

/*
 * Called once, from the engine loop. The callback owns *a (free it with
 * dns_answer_free, or move its fields out).
 */
typedef void (*dns_fn)(void *arg, struct dns_answer *a);

/* Query name for type, answered by deadline_ms at the latest. NULL when out of memory. */
struct dns_query *dns_query_start(struct engine *e, const char *name, uint16_t type,
    int64_t deadline_ms, dns_fn fn, void *arg);
/* The callback will not be called. */
void dns_query_cancel(struct dns_query *q);

#endif

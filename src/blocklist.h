/*
 * The blocklist step: the public IP looked up in every zone of the list at
 * once, each zone's RFC 5782 test points beside it, and the reason (TXT)
 * wherever there is an answer. Collects facts; the rules judge them.
 */
#ifndef HTLS_BLOCKLIST_H
#define HTLS_BLOCKLIST_H

#include "dnsbl.h"
#include "facts.h"

struct engine;
struct blocklist;
struct selftest;

typedef void (*blocklist_fn)(void *arg, struct blocklist *b);

/*
 * Start the lookups of ip in every active zone of zones (which must outlive
 * the run). timeout_ms: deadline of each query (0: 5 s). shared: a batch's
 * self-test answers (selftest.h; it must outlive the step), or NULL to ask
 * the self-test names here. NULL when ip is not an address or out of memory.
 */
struct blocklist *blocklist_start(struct engine *e, const char *ip, const struct dnsbl_list *zones,
    const char *zones_file, int timeout_ms, struct selftest *shared, blocklist_fn done, void *arg);
void blocklist_take_facts(struct blocklist *b, struct dnsbl_facts *out);
void blocklist_free(struct blocklist *b);

/* The zones file installed with the program. */
const char *blocklist_default_zones(void);

#endif

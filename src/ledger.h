/*
 * The connection ledger of one run: how many connections every probe of the
 * run has opened to each address and port, and how many are open now.
 *
 * One run is one check, one compare, one batch, one wizard re-run. Every
 * probe of the run asks the ledger before it connects, so that a target is
 * never sent more than the run's budget however many probes reach it (compare
 * H H, --onprem equal to the target, a batch of domains on one MX).
 *
 * A batch ledger also shares probes: targets whose SMTP step would probe the
 * same host and port with the same options get the facts of one probe.
 *
 * Everything runs from the engine loop: a probe that must wait for a free
 * slot is called back from it, never from inside another probe's call.
 */
#ifndef HTLS_LEDGER_H
#define HTLS_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

#include "facts.h"
#include "smtp.h"

struct engine;
struct ledger;

#define LEDGER_DEFAULT_BUDGET 3	/* connections to one address:port in one check or compare */
#define LEDGER_DEFAULT_OPEN 3	/* open at once to one address:port in a batch */

struct ledger_options {
	int max_total;		/* connections to one address:port in the whole run; 0: no limit */
	int max_open;		/* open at once to one address:port; 0: no limit */
	bool share_probes;	/* probes of the same host, port and options are run once */
};

/* NULL only when out of memory. Free after every probe that uses it. */
struct ledger *ledger_new(struct engine *e, const struct ledger_options *opt);
void ledger_free(struct ledger *l);

enum ledger_answer {
	LEDGER_GO,		/* counted and open: ledger_release() when the connection closes */
	LEDGER_WAIT,		/* every slot is open: the waiter is called back later */
	LEDGER_SPENT,		/* the run's budget for this address:port is used up */
};

/* Called from the loop when a waiter's turn came (GO: its slot is held) or
 * the budget was spent meanwhile (SPENT). */
typedef void (*ledger_wake_fn)(void *arg, enum ledger_answer a);

/* A place in the queue for one address:port, embedded in the caller. */
struct ledger_waiter {
	struct ledger_waiter *next;
	char addr[64];
	uint16_t port;
	ledger_wake_fn fn;
	void *arg;
	enum { LW_IDLE, LW_QUEUED, LW_WOKEN } state;
	enum ledger_answer answer;
};

/*
 * Ask for one connection to addr port. On WAIT, w is queued and w->fn runs
 * from the loop later (unless ledger_leave() first); w must stay put until
 * then. Waiters are served in the order they came.
 */
enum ledger_answer ledger_take(struct ledger *l, const char *addr, uint16_t port,
    struct ledger_waiter *w, ledger_wake_fn fn, void *arg);
/* The connection a GO granted is closed. */
void ledger_release(struct ledger *l, const char *addr, uint16_t port);
/* Stop waiting; gives back a slot that was granted but not yet used. */
void ledger_leave(struct ledger *l, struct ledger_waiter *w);
/* Connections counted to addr port so far (with a whole-run budget; without
 * one, only while the address is in use), and open now. */
int ledger_used(const struct ledger *l, const char *addr, uint16_t port);
int ledger_open(const struct ledger *l, const char *addr, uint16_t port);
/* The run's budget per address:port (0: no limit). */
int ledger_budget(const struct ledger *l);

/* ---- shared probes (batch) ---- */

struct ledger_probe;

/* Called once from the loop when the probe has finished. */
typedef void (*ledger_probe_fn)(void *arg, struct ledger_probe *lp);

/*
 * Start an SMTP probe for owner (the target it is for). With share_probes,
 * a probe of the same host, port and options that this run already started
 * is joined instead, running or finished: no new connection. opt->ledger is
 * set to l. NULL only when out of memory.
 */
struct ledger_probe *ledger_probe_start(struct ledger *l, struct engine *e,
    const struct smtp_options *opt, const char *owner, ledger_probe_fn done, void *arg);
/* Time the probe has spent queued for slots (while queued too). */
int64_t ledger_probe_waited_ms(const struct ledger_probe *lp);
/* The facts so far (live while running). */
const struct smtp_facts *ledger_probe_facts(const struct ledger_probe *lp);
/* The facts, for the caller to free with smtp_facts_free: moved when nobody
 * else holds the probe, else copied; shared_from names the probe's owner when
 * it was another target's. */
void ledger_probe_take_facts(struct ledger_probe *lp, struct smtp_facts *out);
/* Let go (the done callback will not be called); the probe stops when nobody holds it. */
void ledger_probe_free(struct ledger_probe *lp);

#endif

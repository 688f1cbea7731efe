/*
 * Many targets, bounded concurrency: at most `jobs` checks run at once on one
 * engine, each under its own overall deadline, so one dead or hostile target
 * never holds up the rest. Results come back one by one, in completion order.
 * The targets are one run for the connection ledger (ledger.h): those whose
 * SMTP step reaches the same host and port share one probe, and no more than
 * three connections are open at once to one address:port.
 */
#ifndef HTLS_BATCH_H
#define HTLS_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"

struct engine;
struct batch;

enum batch_outcome {
	BATCH_DONE,		/* the check ran to its end */
	BATCH_DEADLINE,		/* the target's overall deadline passed: cancelled */
	BATCH_BAD_TARGET,	/* the line is not a host, domain or HOST:PORT */
	BATCH_CANCELLED,	/* batch_cancel() stopped it */
};

/*
 * One finished target: d is the caller's to free (diagnosis_free) and is
 * empty for BAD_TARGET. index is the target's position in the input.
 */
typedef void (*batch_item_fn)(void *arg, size_t index, const char *target, enum batch_outcome o,
    struct diagnosis *d, const char *error);

struct batch_options {
	struct check_options base;	/* mode, smtp options, zones...; target is filled per item */
	size_t jobs;			/* at most this many at once (1..256) */
	int target_timeout_ms;		/* overall deadline of one target */
};

/* targets are copied. NULL when out of memory. */
struct batch *batch_start(struct engine *e, const struct batch_options *opt, char *const *targets,
    size_t n, batch_item_fn fn, void *arg);
/* Finished, cancelled or failed: nothing running and nothing left to start. */
bool batch_done(const struct batch *b);
size_t batch_running(const struct batch *b);
size_t batch_finished(const struct batch *b);
/* Stop starting new targets and cancel those running (each reported as CANCELLED). */
void batch_cancel(struct batch *b);
void batch_free(struct batch *b);

/*
 * Read a target list: one per line; '#' starts a comment; blank lines and
 * surrounding blanks are ignored; repeated targets are kept once (each is
 * probed once: at most 3 connections a target). Returns the count, or -1 with
 * a message in err (a line too long, not text, or too many targets).
 */
long batch_read_targets(FILE *in, char ***targets, char *err, size_t errlen);
void batch_free_targets(char **targets, size_t n);

#endif

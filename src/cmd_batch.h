/* `hybridtls batch`: many targets from a file or stdin, as a table or JSON Lines. */
#ifndef HTLS_CMD_BATCH_H
#define HTLS_CMD_BATCH_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "check.h"

struct batch_cli {
	struct check_options base;
	const char *resolver;
	size_t jobs;
	int target_timeout_ms;
	bool jsonl;		/* JSON Lines instead of the table */
	bool full;		/* each line the whole report (json_report), not the lean record */
	const struct dnsbl_list *zones;
};

/* Run the targets listed in `in`; results to out, progress to err when it is a terminal.
 * Stops early, printing what finished, when *interrupted becomes true. */
int cmd_batch(const struct batch_cli *bc, FILE *in, FILE *out, FILE *err,
    volatile sig_atomic_t *interrupted);

#endif

/*
 * The curses wizard: `hybridtls` without a command, `hybridtls replay FILE`
 * on a terminal. Reaches the engine only through its public headers.
 */
#ifndef HTLS_WIZARD_H
#define HTLS_WIZARD_H

#include "run.h"

struct wizard_args {
	struct run_inputs in;	/* pre-fills the first screen; in.target may be NULL */
	const char *resolver;	/* "IP[:PORT]", NULL for the system's */
	const char *replay;	/* a capture to open instead of the first screen */
	bool start;		/* a target was given: run at once */
};

/* Runs until the admin quits; returns the exit status (as the CLI's). */
int wizard_main(const struct wizard_args *a);

#endif

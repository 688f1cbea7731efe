/*
 * The knowledge base: one entry per finding id, with the words an admin
 * reads. doc/findings.md lists the same ids; a test keeps the two in step.
 */
#ifndef HTLS_KB_H
#define HTLS_KB_H

#include <stddef.h>

#include "findings.h"

struct kb_entry {
	const char *id;		/* stable: "tls.cert-expired" */
	enum severity sev;	/* default severity */
	const char *title;	/* one line */
	const char *explanation; /* what it means for hybrid mail flow, and why */
	const char *fix;	/* concrete steps: cmdlets, device commands, where to click */
	const char *verify;	/* how to check the fix worked */
	const char *refs;	/* references, "; "-separated */
};

extern const struct kb_entry kb_entries[];
extern const size_t kb_count;

/* The entry with this id, or NULL. */
const struct kb_entry *kb_find(const char *id);

#endif

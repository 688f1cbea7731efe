/*
 * Findings: what the rules concluded from the facts. Each names a knowledge
 * base entry (its id, title, explanation and fix), a severity, a one-line
 * summary with the fact that decides it, and the evidence lines.
 */
#ifndef HTLS_FINDINGS_H
#define HTLS_FINDINGS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum severity {
	SEV_OK,
	SEV_INFO,
	SEV_WARNING,
	SEV_FAILURE,
	SEV_UNTESTED,		/* could not test */
};

struct kb_entry;

struct finding {
	const struct kb_entry *kb;
	enum severity sev;
	char *summary;		/* "certificate expired on 2026-10-01" */
	char **evidence;	/* transcript lines or certificate fields */
	size_t nevidence;
	bool root;		/* a root cause: leads the summary, its chain in the evidence */
};

struct findings {
	struct finding *v;
	size_t n, cap;
};

/*
 * Add a finding for knowledge-base id with its default severity; the summary
 * is printf-style. Returns the finding so evidence can be attached. Aborts on
 * an unknown id: ids are compile-time constants, a typo is a programming error.
 */
struct finding *findings_add(struct findings *fs, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void finding_evidence(struct finding *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The finding with this id, or NULL. */
const struct finding *findings_get(const struct findings *fs, const char *id);
void findings_free(struct findings *fs);
/* Sort: root causes first, then by severity (failures first), keeping the
 * rules' order within one rank. */
void findings_sort(struct findings *fs);

/* Exit status: 2 failures, 1 warnings, 3 could not test, 0 all good. */
int findings_exit_status(const struct findings *fs);

const char *severity_name(enum severity s);	/* "failure" */
const char *severity_label(enum severity s);	/* "FAIL" */

#endif

/* Helpers the unit tests share: building facts by hand and asserting findings. */
#ifndef HTLS_TESTUTIL_H
#define HTLS_TESTUTIL_H

#include <stdbool.h>
#include <stdint.h>

#include "facts.h"
#include "findings.h"

/* strdup that fails the test instead of returning NULL. */
char *xstrdup(const char *s);
/* Set a reply: code, time and the text of each line (NULL-terminated). */
void set_reply(struct smtp_reply_facts *r, int code, int64_t ms, ...);

/* Every finding and its evidence into the test's log. */
void dump_findings(const struct findings *fs);
/* The finding with this id, which must be there with this severity. */
const struct finding *want(const struct findings *fs, const char *id, enum severity sev);
void unwanted(const struct findings *fs, const char *id);
bool evidence_has(const struct finding *fd, const char *s);
void want_evidence(const struct finding *fd, const char *s);
void want_summary(const struct finding *fd, const char *s);

#endif

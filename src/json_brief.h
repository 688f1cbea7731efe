/*
 * The lean record of one target that `batch --json` writes by default (one
 * JSON Lines line; doc/json.md): what was judged and what was found, without
 * the knowledge-base text (doc/findings.md has it, by finding id) and without
 * the facts, except the blocklists that list the address. `batch --json
 * --full` writes json_report() instead.
 *
 * Written straight into a buffer, not built as a jansson tree: a batch
 * writes one per target, and building, dumping and freeing a tree cost
 * several times the writing (doc/performance.md).
 */
#ifndef HTLS_JSON_BRIEF_H
#define HTLS_JSON_BRIEF_H

#include "dnsbl.h"
#include "facts.h"
#include "findings.h"

/*
 * The record of target, one line of JSON without the newline: outcome
 * ("done", "deadline", ...), its exit status and error (NULL: none). d and
 * fs are the run's facts and findings (NULL when the target did not run:
 * then only those four fields); zones judges the blocklist answers (NULL:
 * none listed). Strings that are not UTF-8 have their bad bytes replaced by
 * U+FFFD. The caller frees the result; NULL when out of memory.
 */
char *json_brief(const char *target, const char *outcome, int exit_status, const char *error,
    const struct diagnosis *d, const struct findings *fs, const struct dnsbl_list *zones);

#endif

/*
 * Presenting results as Markdown for a ticket (GitHub, Azure DevOps,
 * ServiceNow): the same data as the text report, in plain ASCII. Whatever a
 * server sent (a banner, a TXT record, a certificate subject) is escaped so it
 * cannot break a table, open a code span, inject HTML or close a fence.
 */
#ifndef HTLS_REPORT_MD_H
#define HTLS_REPORT_MD_H

#include <stdbool.h>
#include <stdio.h>

#include "facts.h"
#include "findings.h"

/*
 * The whole report of one run of command ("check", "smtp", ...; NULL for a
 * generic title): title with the target and date, the result line, the most
 * likely root cause with its evidence chain, the findings table and a section
 * for each warning, failure and could-not-test finding (what it means, fix,
 * how to verify), then the SMTP conversation, TLS and the certificate chain,
 * the DNS records and the blocklists, for the steps that ran. fs should be
 * sorted (findings_sort) so that root causes come first.
 */
void report_markdown(FILE *out, const char *command, const struct diagnosis *d,
    const struct findings *fs);

/* The building blocks, for other Markdown presenters. */

/* Untrusted text as inline Markdown: special characters backslash-escaped,
 * control and non-ASCII bytes as \xNN. */
void md_text(FILE *out, const char *s);
/* The same for a table cell: '|' escaped too; never a line break. */
void md_cell(FILE *out, const char *s);
/* s as an inline code span, delimited by more backticks than any run in s. */
void md_code_span(FILE *out, const char *s);
/* Knowledge-base text: its `code` spans kept, the rest escaped; "\n" starts a
 * new paragraph or list item. Ends with a blank line. */
void md_kb_text(FILE *out, const char *s);
/* The number of backticks a fence needs so that none of lines[0..n) closes
 * it: at least 3, and more than the longest run of backticks in any line. */
size_t md_fence_len(const char *const *lines, size_t n);

#endif

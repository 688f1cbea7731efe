/* Presenting results as text for people. Renders facts and findings; decides nothing. */
#ifndef HTLS_REPORT_H
#define HTLS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "facts.h"
#include "findings.h"

/* How the picture of the mail path is drawn. */
enum report_charset {
	REPORT_CHARSET_LOCALE,	/* line drawing when the locale's codeset is UTF-8, else ASCII */
	REPORT_CHARSET_ASCII,
	REPORT_CHARSET_UTF8,
};

struct report_options {
	bool verbose;		/* explain ok and info findings too */
	int width;		/* wrap column; 0 for 80 */
	enum report_charset charset;
};

/* The transcript, as an admin would see it in telnet: time, direction, line. */
void report_transcript(FILE *out, const struct transcript *tr);
/* The whole SMTP report: transcript, timings, TLS and chain, findings, result. */
void report_smtp_text(FILE *out, const struct smtp_facts *f, const struct findings *fs,
    const struct report_options *opt);
/* The whole report of a run: each step that ran, the picture of the mail path
 * (when a probe ran), then the findings and the result. */
void report_text(FILE *out, const struct diagnosis *d, const struct findings *fs,
    const struct report_options *opt);
/* Two probes side by side: what each saw, then the differences. */
void report_compare_text(FILE *out, const struct smtp_facts *a, const struct smtp_facts *b,
    const struct findings *fs, const struct report_options *opt);
/* Direction marker: "->" sent, "<-" received, "~>" / "<~" under TLS, "**" notes. */
const char *report_dir_marker(enum tdir dir, bool tls);

#endif

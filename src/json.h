/*
 * The --json output: the report of one run as a JSON document for scripts.
 * The schema is documented in doc/json.md and doc/json-schema.json; it is
 * versioned ("version": 1): within one version fields are only ever added,
 * removing or changing the meaning of a field bumps the version.
 *
 * Every enumerated value is a stable machine token ("untested", "timeout",
 * "nxdomain"), never the human wording of the text report. Certificates
 * appear as their fields and fingerprint, never as DER bytes.
 *
 * The builders return a new reference (the caller json_decref()s it), or
 * NULL when out of memory. Nothing here prints to the terminal.
 */
#ifndef HTLS_JSON_H
#define HTLS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "facts.h"
#include "findings.h"

#define JSON_SCHEMA_NAME "hybridtls-report"
#define JSON_SCHEMA_VERSION 1

/* The whole report of one run of command ("check", "smtp", ...): the
 * findings, their counts and exit status, and the facts of the steps that ran. */
json_t *json_report(const char *command, const struct diagnosis *d, const struct findings *fs);

/* One finding with its knowledge-base text. */
json_t *json_finding(const struct finding *f);

/* The SMTP conversation, the TLS handshake and the certificate chain. */
json_t *json_smtp_facts(const struct smtp_facts *f);

/* The domain's DNS records, the public IP's PTR and the SPF evaluation. */
json_t *json_dns_facts(const struct dns_facts *d);

/* The blocklist answers for one address. */
json_t *json_dnsbl_facts(const struct dnsbl_facts *b);

/* One DNS answer ({name, type, status, ...}); JSON null when a->name is NULL
 * (the question was not asked). */
json_t *json_dns_answer(const struct dns_answer *a);

/* Write j to out: indented by 2, keys in insertion order, UTF-8, ending with a
 * newline. On failure returns false with a message in err. */
bool json_write(json_t *j, FILE *out, char *err, size_t errlen);

/* The same on one line (compact, then a newline): one record of JSON Lines. */
bool json_write_line(json_t *j, FILE *out, char *err, size_t errlen);

/* The stable tokens the schema uses. */
const char *json_severity_token(enum severity s);	/* "ok" "info" "warning" "failure" "untested" */
const char *json_connect_result_token(enum connect_result r);	/* "connected" "refused" ... */
const char *json_smtp_end_token(enum smtp_end e);	/* "ok" "timeout" "tls-failed" ... */
const char *json_phase_token(enum smtp_phase p);	/* "connect" "ehlo-tls" ... */
const char *json_dns_status_token(enum dns_status s);	/* "ok" "nxdomain" "nodata" ... */
const char *json_tdir_token(enum tdir d);		/* "sent" "received" "note" */

#endif

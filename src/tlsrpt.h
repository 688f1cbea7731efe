/*
 * SMTP TLS Reporting (RFC 8460 section 3): the parser of the TXT record at
 * _smtp._tls.<domain>. A pure function over a bounded string, no I/O.
 */
#ifndef HTLS_TLSRPT_H
#define HTLS_TLSRPT_H

#include <stdbool.h>
#include <stddef.h>

#define TLSRPT_RECORD_MAX 4096	/* longest record accepted, in bytes */
#define TLSRPT_URIS_MAX 16	/* most URIs in rua= */

/* A parsed record. Owned by the caller; release with tlsrpt_record_free(). */
struct tlsrpt_record {
	char **rua;		/* the report URIs as written ("mailto:tlsrpt@contoso.com") */
	size_t nrua;
	size_t nextensions;	/* other well-formed fields, ignored */
};

/* Does txt start with "v=TLSRPTv1" followed by ';', a blank or the end? */
bool tlsrpt_is_record(const char *txt);

/*
 * Parse txt (the TXT strings joined): "v=TLSRPTv1" first (exactly, case
 * matters), then fields separated by ';' with optional blanks: one rua=
 * (required) whose comma-separated URIs must each be mailto: with an address
 * or https:// with a host (scheme in any case), and extensions name=value.
 * On success the caller frees *out with tlsrpt_record_free(). On error
 * returns false, leaves *out empty (freeing it is still safe) and writes a
 * message naming the bad field or URI to err.
 */
bool tlsrpt_parse(const char *txt, struct tlsrpt_record *out, char *err, size_t errlen);

/* Free what *r holds and empty it; r may be NULL, and freeing twice is fine. */
void tlsrpt_record_free(struct tlsrpt_record *r);

#endif

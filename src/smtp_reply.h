/*
 * The SMTP reply parser (RFC 5321 section 4.2, enhanced status codes from
 * RFC 3463): a pure function over a bounded buffer, no I/O.
 */
#ifndef HTLS_SMTP_REPLY_H
#define HTLS_SMTP_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "facts.h"

/* RFC 5321 allows 512 octets a reply line; real servers go over it, so we
 * accept up to this much before calling a line hostile. */
#define SMTP_LINE_MAX 4096
/* Far above any real EHLO reply (tens of lines). */
#define SMTP_REPLY_MAX_LINES 256

enum reply_parse {
	RP_NEED_MORE,	/* no complete reply yet; nothing consumed */
	RP_DONE,	/* *out holds one reply; *used bytes consumed */
	RP_ERROR,	/* *err says why; *used bytes (whole lines) were examined */
};

/*
 * Parse the first reply in buf[0..len). Lines end in CRLF or a bare LF; with
 * eof set, a last line without a line ending counts as complete. On RP_DONE
 * the caller frees *out with smtp_reply_facts_free(). On RP_ERROR *out is
 * left empty.
 */
enum reply_parse smtp_reply_parse(const char *buf, size_t len, bool eof,
    struct smtp_reply_facts *out, enum reply_error *err, size_t *used);

/*
 * Find an RFC 3463 enhanced status code ("5.7.606") at the start of text;
 * copy it to esc (at least 16 bytes) and return true. The class must be 2, 4
 * or 5; subject and detail are 1 to 3 digits.
 */
bool smtp_esc_parse(const char *text, char *esc, size_t esclen);

#endif

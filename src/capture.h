/*
 * Captures: the facts of one run (struct diagnosis) saved as a JSON document
 * and read back, so that the rules of the day run on an old capture (a newer
 * knowledge base improves it) and a help-desk engineer can attach a run to a
 * ticket. The format is documented in doc/capture.md.
 *
 * A capture holds only facts, and facts never hold a private key, a PFX or
 * key password, or a DQS key. Dates are judged at the time the facts were
 * taken (tls.checked_at), so replaying a capture gives the same findings
 * on any day.
 *
 * Reading is safe on hostile input: the file is bounded (CAPTURE_MAX_FILE),
 * so is every array and string; a wrong field is named by its path
 * ("smtp.tls.chain[2].der: not base64"), a JSON syntax error by its line and
 * column, a newer format version is refused; unknown fields are ignored and
 * missing ones keep their defaults.
 */
#ifndef HTLS_CAPTURE_H
#define HTLS_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <jansson.h>

#include "facts.h"

#define CAPTURE_FORMAT "hybridtls-capture"
#define CAPTURE_VERSION 1

#define CAPTURE_MAX_FILE (8u * 1024u * 1024u)	/* bytes in a capture file */
#define CAPTURE_MAX_STRING (256u * 1024u)	/* bytes in one string (a base64 DER included) */
#define CAPTURE_MAX_ITEMS 100000u		/* items in one array (transcript lines) */

/*
 * Save the facts of d to path, atomically (a temporary file renamed into
 * place, as -o does; "-" writes to stdout). On failure returns false and sets
 * *err to a message naming the file (the caller frees it).
 */
bool capture_save(const struct diagnosis *d, const char *path, char **err);

/*
 * Read the capture at path (a regular file of at most CAPTURE_MAX_FILE
 * bytes) into *out, which the call initialises: the caller frees it with
 * diagnosis_free() after success. On failure returns false, leaves *out
 * empty (initialised) and sets *err to a message that names the file and
 * what is wrong (the caller frees it).
 */
bool capture_load(const char *path, struct diagnosis *out, char **err);

/* The same over a buffer; name is used in messages in place of a file name. */
bool capture_parse(const char *buf, size_t len, const char *name, struct diagnosis *out, char **err);

/*
 * The capture of d as a JSON document (a new reference; NULL and *err set
 * when out of memory), stamped with made as the time it was made.
 */
json_t *capture_to_json(const struct diagnosis *d, time_t made, char **err);

/* Write the document as a capture file is written: indented, keys in order. */
bool capture_write(json_t *doc, FILE *fp, char **err);

#endif

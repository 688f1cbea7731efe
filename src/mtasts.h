/*
 * MTA-STS (RFC 8461): the parsers of the TXT record at _mta-sts.<domain>
 * (section 3.1) and of the policy file served at
 * https://mta-sts.<domain>/.well-known/mta-sts.txt (section 3.2), and the MX
 * pattern match of section 4.1. Pure functions over bounded input, no I/O.
 */
#ifndef HTLS_MTASTS_H
#define HTLS_MTASTS_H

#include <stdbool.h>
#include <stddef.h>

#define MTASTS_TXT_MAX 4096		/* longest TXT record accepted, in bytes */
#define MTASTS_ID_MAX 32		/* id= is 1 to 32 letters and digits */
#define MTASTS_POLICY_MAX 65536		/* RFC 8461 3.3: senders may stop at 64 KB */
#define MTASTS_MX_MAX 64		/* most mx: lines kept */
#define MTASTS_MAX_AGE_MAX 31557600UL	/* RFC 8461 3.2: about a year */

/* The TXT record. Plain data: nothing to free. */
struct mtasts_record {
	char id[MTASTS_ID_MAX + 1];
	size_t nextensions;		/* other well-formed fields, ignored */
};

/* Does txt start with "v=STSv1" followed by ';', a blank or the end? */
bool mtasts_is_record(const char *txt);

/*
 * Parse txt (the TXT strings joined): "v=STSv1" first (exactly, case
 * matters), then fields separated by ';' with optional blanks: one id= of 1
 * to 32 letters and digits (required) and extensions name=value (kept only as
 * a count). On error returns false and writes a message naming the bad field
 * to err; *out is then empty.
 */
bool mtasts_record_parse(const char *txt, struct mtasts_record *out, char *err, size_t errlen);

enum mtasts_mode {
	MTASTS_MODE_UNSET,
	MTASTS_MODE_ENFORCE,
	MTASTS_MODE_TESTING,
	MTASTS_MODE_NONE,
};

/* A parsed policy. Owned by the caller; release with mtasts_policy_free(). */
struct mtasts_policy {
	enum mtasts_mode mode;
	unsigned long max_age;		/* seconds, at most MTASTS_MAX_AGE_MAX */
	char **mx;			/* the mx: patterns in order, lowercase ("*.mail.protection.outlook.com") */
	size_t nmx;
};

/*
 * Parse the policy body[0..len) (need not end in NUL): "key: value" lines
 * ending in LF or CRLF; blank lines are skipped. Requires version: STSv1,
 * mode: enforce|testing|none, max_age: 0 to 31557600, and at least one mx:
 * unless the mode is none. Each mx: is a host name, or "*." and a host name
 * for a wildcard of one label. A repeated field other than mx: keeps its
 * first value (RFC 8461 3.2); unknown keys are ignored. At most
 * MTASTS_POLICY_MAX bytes and MTASTS_MX_MAX mx: lines. On success the caller
 * frees *out with mtasts_policy_free(). On error returns false, leaves *out
 * empty (freeing it is still safe) and writes a message naming the line to err.
 */
bool mtasts_policy_parse(const char *body, size_t len, struct mtasts_policy *out, char *err,
    size_t errlen);

/* Free what *p holds and empty it; p may be NULL, and freeing twice is fine. */
void mtasts_policy_free(struct mtasts_policy *p);

/*
 * Does mx_host match one of p's mx: patterns (RFC 8461 4.1)? Case does not
 * matter and a trailing dot is ignored; "*.example.com" matches
 * "mx1.example.com" but neither "example.com" nor "a.b.example.com".
 */
bool mtasts_mx_matches(const struct mtasts_policy *p, const char *mx_host);

/* "enforce", "testing", "none"; "" for MTASTS_MODE_UNSET. */
const char *mtasts_mode_name(enum mtasts_mode m);

#endif

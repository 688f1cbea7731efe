/*
 * DNS blocklists (RFC 5782): the zone list (data, read from a zones file such
 * as src/dnsbl.zones), the query names, and what an answer means. Pure code:
 * no network; the only I/O is dnsbl_load_file() reading the zones file.
 *
 * A lookup of "<reversed ip>.<zone>" type A gives either NXDOMAIN/NODATA
 * (not listed) or one or more 127.0.0.x codes. Not every answer is a listing:
 * some codes say the list refused this resolver (Spamhaus 127.255.255.254 to
 * public resolvers), some are good reputation (Mailspike rep), and a dead or
 * parked zone may answer anything. dnsbl_interpret() tells them apart.
 */
#ifndef HTLS_DNSBL_H
#define HTLS_DNSBL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNSBL_MAX_ZONES		256	/* zones in one list */
#define DNSBL_MAX_CODES		64	/* code lines in one zone */
#define DNSBL_MAX_LINE		1024	/* bytes in one line of a zones file, without the newline */
#define DNSBL_MAX_FILE		(1024 * 1024)	/* bytes in a zones file */
#define DNSBL_MAX_ZONE_NAME	120	/* chars in a zone (or dqs) name, so any query name fits 253 */
#define DNSBL_MAX_KEY		63	/* chars in a DQS key (one DNS label) */
#define DNSBL_MAX_ANSWERS	16	/* answers kept in a verdict (all are judged) */
#define DNSBL_QNAME_MAX		256	/* room for any query name and its NUL */

/* How much a listing matters to Exchange Online and other large receivers. */
enum dnsbl_weight {
	DNSBL_WEIGHT_LOW = 1,	/* few large receivers use it, or lists by design with collateral */
	DNSBL_WEIGHT_MEDIUM,
	DNSBL_WEIGHT_HIGH,	/* Exchange Online rejects on it (Spamhaus) */
};

/*
 * What one answer, or a whole lookup, means. Ordered from best to worst:
 * with several answers the worst one decides the verdict.
 */
enum dnsbl_status {
	DNSBL_NOT_LISTED = 0,	/* no answer (NXDOMAIN or NODATA) */
	DNSBL_GOOD,		/* a good-reputation code (Mailspike rep H1-H5): not a listing */
	DNSBL_NEUTRAL,		/* a neutral-reputation code: not a listing */
	DNSBL_REFUSED,		/* the list refused this query (127.255.255.x): check unavailable, not a listing */
	DNSBL_UNEXPECTED,	/* outside 127.0.0.0/8, or a code the zone does not define: unknown, not a listing */
	DNSBL_LISTED_POLICY,	/* listed by policy, not for abuse (Spamhaus PBL: dynamic/residential range) */
	DNSBL_LISTED,		/* listed for abuse (spam, exploits, botnet) */
};

/* One "code" line: an inclusive range of answers (host byte order) and its meaning. */
struct dnsbl_code {
	uint32_t lo, hi;
	enum dnsbl_status kind;	/* LISTED, LISTED_POLICY, REFUSED, NEUTRAL or GOOD */
	char *meaning;
	int line;		/* where it was defined */
};

/* One blocklist zone. All strings are owned by the zone (freed by dnsbl_list_free). */
struct dnsbl_zone {
	char *id;		/* the zone as written in the file: stable, never holds a key */
	char *zone;		/* the zone to query: id, or "<key>.<dqs>" once a key is applied */
	char *name;		/* display name ("Spamhaus ZEN"); id when none was given */
	char *delist;		/* where to ask for removal, or NULL */
	char *dqs;		/* the keyed Data Query Service suffix ("zen.dq.spamhaus.net"), or NULL */
	enum dnsbl_weight weight;	/* default medium */
	bool ipv6;		/* answers IPv6 queries (default no) */
	bool selftest;		/* the RFC 5782 §5 test points apply (default yes) */
	bool needs_key;		/* answers only with a key: inactive until one is applied */
	bool needs_registration;	/* answers only resolvers registered with the operator */
	bool keyed;		/* a DQS key has been applied to zone */
	struct dnsbl_code *codes;
	size_t ncodes;
	int line;		/* line of the "zone" line */
};

/* A parsed zones file. Zero it (or let a loader fill it) before use. */
struct dnsbl_list {
	struct dnsbl_zone *v;
	size_t n;
};

/* One answer of a lookup, judged on its own. */
struct dnsbl_hit {
	char addr[48];		/* the answer as given (cut if longer) */
	enum dnsbl_status status;
	const char *meaning;	/* the zone's text for the code, or a built-in one */
};

/*
 * The verdict on one lookup. The const char pointers point into the zone
 * (valid while its list lives) or to static text; nothing needs freeing.
 */
struct dnsbl_verdict {
	enum dnsbl_status status;	/* the worst of the answers */
	char code[48];		/* the answer that decided status; "" when not listed */
	const char *meaning;	/* of that answer; NULL when not listed */
	const char *delist;	/* the zone's delist URL when listed (or listed by policy), else NULL */
	const char *note;	/* advice for the reader (static), or NULL */
	struct dnsbl_hit hits[DNSBL_MAX_ANSWERS];	/* every answer, in order, up to the cap */
	size_t nhits;
	size_t nanswers;	/* answers given (may exceed nhits) */
};

/* Result of the RFC 5782 §5 self-test of a zone. */
enum dnsbl_selftest {
	DNSBL_SELFTEST_OK,		/* 127.0.0.2 listed, 127.0.0.1 not */
	DNSBL_SELFTEST_SKIPPED,		/* the zone does not follow the test points; not judged */
	DNSBL_SELFTEST_ANSWERS_ALL,	/* 127.0.0.1 is listed: the zone answers everything */
	DNSBL_SELFTEST_REFUSED,		/* an error code (127.255.255.x): this resolver is refused */
	DNSBL_SELFTEST_NO_TEST_ENTRY,	/* 127.0.0.2 not listed: dead, emptied, or not answering us */
	DNSBL_SELFTEST_UNEXPECTED,	/* 127.0.0.2 answered with something the zone does not define */
};

/*
 * Parse a zones file (format: the comment at the top of src/dnsbl.zones).
 * On success fills out (which the caller frees with dnsbl_list_free) and
 * returns true. On error returns false, leaves out empty, and writes to err
 * a message that names the file, the line, and what was expected.
 * Refuses files over DNSBL_MAX_FILE bytes or holding NUL bytes.
 */
bool dnsbl_load_file(const char *path, struct dnsbl_list *out, char *err, size_t errlen);
/* The same parser over a string; messages begin "line N: ". */
bool dnsbl_load_string(const char *text, struct dnsbl_list *out, char *err, size_t errlen);
/* Free what a loader allocated and empty the list; NULL and empty lists are fine. */
void dnsbl_list_free(struct dnsbl_list *l);

/*
 * Apply a Spamhaus Data Query Service key: every zone with a "dqs" suffix is
 * then queried as "<key>.<dqs>" (id keeps the public name, so the key need
 * not be shown). key must be 1..DNSBL_MAX_KEY ASCII letters and digits;
 * otherwise returns false and changes nothing. Applying again replaces it.
 */
bool dnsbl_apply_dqs_key(struct dnsbl_list *l, const char *key);
/* Whether the zone should be queried: false for a needs-key zone without a key. */
bool dnsbl_zone_active(const struct dnsbl_zone *z);
/* The zone with this id (as written in the file), or NULL. */
const struct dnsbl_zone *dnsbl_list_find(const struct dnsbl_list *l, const char *id);

/*
 * The query name for ip in zone: IPv4 octets reversed ("192.0.2.99" ->
 * "99.2.0.192.<zone>"), IPv6 as 32 reversed nibbles (as in ip6.arpa).
 * An IPv4-mapped IPv6 address is queried as its IPv4 address. Returns false
 * if ip is not a numeric address or out is too small (DNSBL_QNAME_MAX is
 * always enough for a zone of at most DNSBL_MAX_ZONE_NAME + key chars).
 */
bool dnsbl_query_name(const char *ip, const char *zone, char *out, size_t outlen);

/*
 * Judge the A answers (numeric strings, as the resolver gave them) of a
 * lookup in zone z. Call with n == 0 after NXDOMAIN or NODATA (the caller
 * tells which); do not call for SERVFAIL or a timeout (nothing is known).
 * Any 127.255.255.x the zone does not define is REFUSED, never a listing.
 * Fills v; keeps every answer (up to DNSBL_MAX_ANSWERS) with its own status.
 */
void dnsbl_interpret(const struct dnsbl_zone *z, const char *const *answers, size_t n,
		     struct dnsbl_verdict *v);

/*
 * The RFC 5782 §5 test query names for zone: positive gives the 127.0.0.2
 * entry ("2.0.0.127.<zone>", which must be listed), otherwise the 127.0.0.1
 * entry ("1.0.0.127.<zone>", which must not be). False if out is too small.
 */
bool dnsbl_selftest_name(const char *zone, bool positive, char *out, size_t outlen);
/*
 * Judge the self-test from the A answers of the 127.0.0.2 query (pos) and
 * the 127.0.0.1 query (neg); n == 0 for NXDOMAIN or NODATA. Do not call when
 * either lookup failed (SERVFAIL, timeout): then the zone could not be tested.
 */
enum dnsbl_selftest dnsbl_selftest_judge(const struct dnsbl_zone *z,
					 const char *const *pos, size_t npos,
					 const char *const *neg, size_t nneg);
/* Whether listings from a zone with this self-test result can be trusted. */
bool dnsbl_selftest_usable(enum dnsbl_selftest r);
/* One sentence for the reader about a self-test result (static). */
const char *dnsbl_selftest_text(enum dnsbl_selftest r);

/* Stable names for JSON: "not-listed", "listed-policy", ...; "high", "medium", "low". */
const char *dnsbl_status_name(enum dnsbl_status s);
const char *dnsbl_weight_name(enum dnsbl_weight w);
/* Whether the status is a listing (LISTED or LISTED_POLICY). */
bool dnsbl_status_is_listing(enum dnsbl_status s);

#endif

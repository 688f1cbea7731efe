/*
 * SPF (RFC 7208): the record parser and a pure, resumable evaluator.
 *
 * Nothing here does I/O. spf_eval() asks the caller's lookup callback for
 * every DNS answer it needs; when the callback does not know an answer yet,
 * spf_eval() returns SPF_NEED with the name and type to fetch. The caller
 * fetches it (asynchronously, in its own loop), keeps it where the callback
 * will find it, and calls spf_eval() again from the start. Evaluation is
 * deterministic, so each call gets one step further:
 *
 *	for (;;) {
 *		r = spf_eval(&ctx, name, sizeof name, &type);
 *		if (r != SPF_NEED)
 *			break;
 *		fetch(name, type);	// later: the answer goes into the cache
 *	}
 */
#ifndef HTLS_SPF_H
#define HTLS_SPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* DNS types the evaluator asks for (the same numbers as the DNS itself). */
#define SPF_T_A 1
#define SPF_T_MX 15
#define SPF_T_TXT 16
#define SPF_T_AAAA 28

#define SPF_RECORD_MAX 4096	/* longest record spf_parse() accepts, in bytes */
#define SPF_TERMS_MAX 64	/* most terms spf_parse() accepts in one record */
#define SPF_DNS_LOOKUP_MAX 10	/* RFC 7208 4.6.4: include a mx ptr exists redirect */
#define SPF_VOID_LOOKUP_MAX 2	/* RFC 7208 4.6.4: NXDOMAIN or empty answers */
#define SPF_MX_NAMES_MAX 10	/* RFC 7208 4.6.4: names one mx mechanism may look up */
#define SPF_NAME_MAX 253	/* longest name asked for; need_len must exceed it */
/*
 * Most lookups one evaluation can ask for: the domain's TXT, then 10 counted
 * terms each asking at most one MX and 10 addresses. It bounds both the
 * callback calls in one spf_eval() and the distinct fetches over all of them.
 */
#define SPF_ASKS_MAX (1 + SPF_DNS_LOOKUP_MAX * (1 + SPF_MX_NAMES_MAX))

/* What a term is. The first eight are mechanisms, the rest modifiers. */
enum spf_kind {
	SPF_ALL,
	SPF_INCLUDE,
	SPF_A,
	SPF_MX,
	SPF_PTR,
	SPF_IP4,
	SPF_IP6,
	SPF_EXISTS,
	SPF_REDIRECT,		/* redirect=domain-spec */
	SPF_EXP,		/* exp=domain-spec (parsed; never fetched) */
	SPF_UNKNOWN_MOD,	/* name=value, kept and ignored as RFC 7208 6 says */
};

/* A mechanism's qualifier, as the character that writes it. */
enum spf_qualifier {
	SPF_QUAL_NONE = 0,	/* modifiers; spf_all_qualifier() when there is no all */
	SPF_QUAL_PASS = '+',
	SPF_QUAL_FAIL = '-',
	SPF_QUAL_SOFTFAIL = '~',
	SPF_QUAL_NEUTRAL = '?',
};

/* One term of a record. Every string is owned by the record. */
struct spf_term {
	enum spf_kind kind;
	enum spf_qualifier qual;	/* mechanisms: as written, '+' by default */
	char *text;		/* the term as written: "include:spf.protection.outlook.com", "-all" */
	char *name;		/* modifiers: the name as written ("redirect"); NULL for mechanisms */
	char *spec;		/* domain-spec, ip4/ip6 network text or modifier value; NULL if absent */
	int cidr4;		/* a, mx, ip4: prefix length, -1 when not written */
	int cidr6;		/* a, mx, ip6: prefix length, -1 when not written */
	unsigned char net[16];	/* ip4 (first 4 bytes) or ip6 network as written */
	bool macro;		/* spec holds a macro ("%{i}") */
};

/* A parsed record. Owned by the caller; release with spf_record_free(). */
struct spf_record {
	struct spf_term *terms;	/* in the order written */
	size_t nterms;
	int redirect;		/* index of redirect= in terms, -1 if none */
	int exp;		/* index of exp= in terms, -1 if none */
};

enum spf_result {
	SPF_NONE,		/* no SPF record (or no valid domain) */
	SPF_NEUTRAL,
	SPF_PASS,
	SPF_FAIL,
	SPF_SOFTFAIL,
	SPF_TEMPERROR,		/* a DNS error; trying later may help */
	SPF_PERMERROR,		/* the published records are broken */
	SPF_NEED,		/* not a result: fetch need_name/need_type and call again */
};

/* What the lookup callback returns. */
enum spf_dns {
	SPF_DNS_FOUND,		/* *values holds *n (>= 1) answers */
	SPF_DNS_NONE,		/* NXDOMAIN or no records of this type (*n = 0) */
	SPF_DNS_TEMPERROR,	/* SERVFAIL, timeout, ...: the evaluation gives temperror */
	SPF_DNS_UNKNOWN,	/* not fetched yet: spf_eval() returns SPF_NEED */
};

/*
 * The caller's DNS: answer name/type from what is known so far, returning an
 * enum spf_dns. name is lowercase without a trailing dot. On SPF_DNS_FOUND set
 * *values to an array of *n strings: for TXT each record's strings joined
 * into one, for A and AAAA the numeric address ("203.0.113.7", "2001:db8::1"),
 * for MX the exchange host name (no preference). The array and the strings
 * stay the callback owner's and must stay valid until spf_eval() returns.
 * SPF_DNS_FOUND with *n == 0 counts as SPF_DNS_NONE. One spf_eval() calls it
 * at most SPF_ASKS_MAX times.
 */
typedef int (*spf_lookup_fn)(void *arg, const char *name, uint16_t type,
    const char ***values, size_t *n);

/* What one evaluation found. Plain data: nothing to free. */
struct spf_outcome {
	enum spf_result r;
	/* The term of the domain's own record that decided: "include:spf.protection.outlook.com",
	 * "ip4:203.0.113.0/24", "-all", "redirect=_spf.contoso.com"; "" when none did
	 * (the default neutral, none, the errors and SPF_NEED). */
	char matched[256];
	/* When the decision came from inside an include or redirect, the term
	 * that matched there and where: "ip4:40.92.0.0/15 in spf.protection.outlook.com". */
	char via[256];
	int lookups;		/* DNS-querying terms evaluated; 11 when the limit of 10 was hit */
	int void_lookups;	/* of them, the ones answered NXDOMAIN or empty (limit 2) */
	char error[200];	/* why, for SPF_PERMERROR, SPF_TEMPERROR and SPF_NONE */
	char note[200];		/* something to tell that did not decide the result ("ptr") */
};

/*
 * What to evaluate. ip, domain and lookup are required; the strings are the
 * caller's. ip is the client address as text, IPv4 or IPv6 (IPv4-mapped
 * IPv6 counts as IPv4). sender is the MAIL FROM for the %{s} %{l} %{o}
 * macros (NULL or without '@': postmaster@domain); helo is the EHLO name for
 * %{h} (NULL: domain). out, if not NULL, receives the outcome.
 */
struct spf_ctx {
	const char *ip;
	const char *domain;
	const char *sender;
	const char *helo;
	spf_lookup_fn lookup;
	void *arg;
	struct spf_outcome *out;
};

/*
 * RFC 7208 check_host(ctx->ip, ctx->domain, sender), from the start.
 * Returns the result, also stored in ctx->out with the deciding term, the
 * lookup counts and the reason for an error. On SPF_NEED the name (lowercase,
 * at most SPF_NAME_MAX characters) is written to need_name and its type
 * (SPF_T_*) to *need_type; need_len must be more than SPF_NAME_MAX.
 *
 * What it does, per RFC 7208: at most 10 DNS-querying terms over the whole
 * evaluation, includes and redirect included (the 11th gives permerror "too
 * many DNS lookups"); at most 2 void lookups (the 3rd gives permerror); an
 * include or redirect of a domain without an SPF record gives permerror; more
 * than one SPF record gives permerror; redirect applies only when no mechanism
 * matched; an mx with more than 10 names gives permerror. Macros %{s l o d i
 * p h v} with the digit and r transformers and URL escaping for capitals are
 * expanded; %{p} expands to "unknown" (it would need PTR lookups, which RFC
 * 7208 discourages). Not done: ptr (deprecated by RFC 7208 5.5) is counted
 * as a lookup but never matches, and out->note says so; exp= is not fetched.
 * Void lookups are the a, mx and exists lookups answered NXDOMAIN or empty
 * (the addresses of MX hosts are not counted). An ip that is not an address,
 * a NULL ctx, lookup or ip, or need_len too small give SPF_PERMERROR with the
 * reason in error; an invalid domain gives SPF_NONE.
 */
enum spf_result spf_eval(const struct spf_ctx *ctx, char *need_name, size_t need_len,
    uint16_t *need_type);

/*
 * Parse txt, one SPF record with its TXT strings already joined, into *out.
 * The record must start with "v=spf1" (any case). Checks the RFC 7208 section
 * 12 grammar: mechanisms, qualifiers, CIDR lengths (a/24, a//64, a/24//64,
 * ip4:192.0.2.0/24, ip6:2001:db8::/32), domain-specs (with macros), at most
 * one redirect= and one exp=. At most SPF_TERMS_MAX terms and SPF_RECORD_MAX
 * bytes. On success the caller frees *out with spf_record_free(). On error
 * returns false, leaves *out empty (spf_record_free() is still safe) and
 * writes a message naming the bad term to err.
 */
bool spf_parse(const char *txt, struct spf_record *out, char *err, size_t errlen);

/* Free what *r holds and empty it; r may be NULL, and freeing twice is fine. */
void spf_record_free(struct spf_record *r);

/* Is this TXT string an SPF record: "v=spf1" (any case) then a space or the end. */
bool spf_is_spf(const char *txt);

/* Does r have include:domain (any case, trailing dot ignored)? */
bool spf_includes(const struct spf_record *r, const char *domain);

/* The qualifier of the first all mechanism, SPF_QUAL_NONE if there is none. */
enum spf_qualifier spf_all_qualifier(const struct spf_record *r);

/* Is the first all mechanism +all (or a bare all), authorising every host? */
bool spf_has_plus_all(const struct spf_record *r);

/* "pass", "fail", "softfail", "neutral", "none", "permerror", "temperror", "need". */
const char *spf_result_name(enum spf_result r);

#endif

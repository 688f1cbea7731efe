/*
 * DNS answers: the facts of one query, and the parser that turns a raw DNS
 * response into them. c-ares 1.18 has no parser for CNAME or TLSA answers nor
 * access to the AD bit, so this small parser reads the message itself; names
 * go through c-ares' own ares_expand_name (bounded, loop-safe).
 */
#ifndef HTLS_DNSMSG_H
#define HTLS_DNSMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_T_A 1
#define DNS_T_NS 2
#define DNS_T_CNAME 5
#define DNS_T_SOA 6
#define DNS_T_PTR 12
#define DNS_T_MX 15
#define DNS_T_TXT 16
#define DNS_T_AAAA 28
#define DNS_T_SRV 33
#define DNS_T_TLSA 52

enum dns_status {
	DNS_OK,			/* answers of the type asked */
	DNS_NXDOMAIN,		/* the name does not exist */
	DNS_NODATA,		/* the name exists, without records of this type */
	DNS_SERVFAIL,
	DNS_REFUSED,
	DNS_TIMEOUT,
	DNS_ERROR,		/* anything else: malformed answer, network error */
};

/* One resource record of the type asked. */
struct dns_rr {
	uint16_t type;
	uint32_t ttl;
	char *text;		/* presentation form: "203.0.113.7", "10 mx.example.com", the joined TXT */
	char *target;		/* MX exchange, CNAME / PTR / NS / SRV target; NULL otherwise */
	uint16_t pref;		/* MX preference, SRV priority */
	uint16_t weight, port;	/* SRV */
	uint8_t usage, selector, mtype;	/* TLSA */
	unsigned char *data;	/* TLSA association data; TXT joined bytes */
	size_t datalen;
};

struct dns_answer {
	char *name;
	uint16_t type;
	enum dns_status status;
	int rcode;
	bool ad;		/* the resolver says it validated the answer (DNSSEC) */
	struct dns_rr *rr;
	size_t n;
	char *cname;		/* where the name's CNAME chain led, NULL if none */
	int64_t ms;		/* time to answer */
	char *error;		/* for DNS_ERROR / DNS_TIMEOUT: what happened */
};

/*
 * Parse the response buf[0..len) to a query of type qtype into *out (which
 * must be zeroed; name and ms are the caller's). Records of other types
 * are skipped, except that a CNAME chain is followed into out->cname.
 * Returns false (and sets out->status = DNS_ERROR, out->error) on a
 * malformed message.
 */
bool dnsmsg_parse(const unsigned char *buf, size_t len, uint16_t qtype, struct dns_answer *out);
void dns_answer_free(struct dns_answer *a);
/* "NXDOMAIN", "no records of this type", ... */
const char *dns_status_name(enum dns_status s);
/* "MX", "TXT", ... */
const char *dns_type_name(uint16_t type);

#endif

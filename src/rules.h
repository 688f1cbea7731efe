/* Rules: read facts, emit findings. Pure functions: no I/O, no clock. */
#ifndef HTLS_RULES_H
#define HTLS_RULES_H

#include "dnsbl.h"
#include "facts.h"
#include "findings.h"

/* Findings of one SMTP/STARTTLS/TLS probe. Dates are judged at the time the
 * facts were taken (tls.checked_at), so a replayed capture gives the same answer. */
void rules_smtp(const struct smtp_facts *f, struct findings *out);

/* Findings of the DNS step; smtp (may be NULL) gives the certificate for
 * TLSA matching and the EHLO name for the PTR comparison. */
void rules_dns(const struct dns_facts *d, const struct smtp_facts *smtp, struct findings *out);
/* Findings of the blocklist step, judged with the zone knowledge in zones. */
void rules_dnsbl(const struct dnsbl_facts *b, const struct dnsbl_list *zones, struct findings *out);
/* The zone failed its RFC 5782 self-test (answers everything, or oddly): its answer does not count. */
bool rules_dnsbl_zone_broken(const struct dnsbl_result *r, const struct dnsbl_list *zones);
/* Exchange Online's block replies (5.7.606-649, 5.7.511, Spamhaus) in the conversation. */
void rules_smtp_blocks(const struct smtp_facts *f, struct findings *out);
/* Signatures of SMTP inspection by a device in the path. */
void rules_middlebox(const struct smtp_facts *f, struct findings *out);
/* Root causes over the findings and facts of every step (run last). */
void rules_causes(const struct diagnosis *d, struct findings *out);
/* Two vantage points of one service compared. */
void rules_compare(const struct smtp_facts *a, const struct smtp_facts *b, struct findings *out);
/* The connector exports and the on-premises certificate, with the public IP seen. */
void rules_connectors(const struct diagnosis *d, struct findings *out);
struct onpremcert_facts;
void rules_onpremcert(const struct onpremcert_facts *f, struct findings *out);
/* What Exchange Online will do delivering to the on-premises endpoint probed. */
void rules_onprem(const struct diagnosis *d, struct findings *out);

/* Where Exchange Online's delivery to the on-premises endpoint stops, in the
 * order it meets the stages; the certificate stages come last. */
enum onprem_stop {
	ONPREM_DELIVERS,
	ONPREM_RESOLVE,
	ONPREM_CONNECT,
	ONPREM_CUT,			/* timed out, reset or closed during a phase */
	ONPREM_GREETING,		/* not 220 */
	ONPREM_STARTTLS,		/* not offered, or refused */
	ONPREM_HANDSHAKE,
	ONPREM_CHAIN_INCOMPLETE,	/* an issuer was neither sent nor trusted */
	ONPREM_EXPIRED,			/* the leaf, or a chain that fails, out of date */
	ONPREM_NOT_YET_VALID,
	ONPREM_NAME,			/* the certificate lacks the name required */
	ONPREM_UNTRUSTED,		/* the chain does not verify otherwise */
};
enum onprem_stop rules_onprem_stop(const struct smtp_facts *f);
/* The index in the chain sent of the certificate a certificate stage is
 * about: the one whose issuer is missing, or the one out of its dates; 0 for
 * the other stages, -1 when no certificate was sent. */
int rules_onprem_cert(const struct smtp_facts *f, enum onprem_stop stop);
/* Everything that ran. */
void rules_all(const struct diagnosis *d, const struct dnsbl_list *zones, struct findings *out);

/* A time as "2026-11-24 10:00 UTC", for evidence lines. */
void rules_date(time_t t, char *buf, size_t len);

/* Days before expiry at which a certificate is reported as expiring. */
#define RULES_EXPIRY_WARN_DAYS 30
/* A greeting slower than this looks like a tarpit or a struggling server. */
#define RULES_SLOW_BANNER_MS 5000
/* Real chains are 2 to 4 certificates; more than this is a misconfiguration. */
#define RULES_CHAIN_LONG 10

#endif

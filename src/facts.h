/*
 * Facts: plain data, no behaviour. Everything a probe observed, with timings.
 * Probes fill them, rules read them, presenters and captures render them.
 * All strings are heap-allocated, NUL-terminated and printable (bytes from
 * the network are made safe before they land here). facts_*_free() frees.
 */
#ifndef HTLS_FACTS_H
#define HTLS_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dnsmsg.h"

/* ---- transcript ---- */

enum tdir {
	TDIR_SENT,	/* client -> server */
	TDIR_RECV,	/* server -> client */
	TDIR_NOTE,	/* what the probe did or saw (connect, handshake, close) */
};

struct tline {
	int64_t t_ms;		/* since the probe started */
	enum tdir dir;
	bool tls;		/* sent or received inside TLS */
	char *text;		/* without CRLF; control bytes escaped */
};

struct transcript {
	struct tline *v;
	size_t n, cap;
};

/* ---- the SMTP conversation ---- */

enum smtp_phase {
	PHASE_RESOLVE,
	PHASE_CONNECT,
	PHASE_BANNER,
	PHASE_EHLO,
	PHASE_STARTTLS,
	PHASE_HANDSHAKE,
	PHASE_EHLO_TLS,
	PHASE_ENVELOPE,		/* the opt-in MAIL FROM / RCPT TO probe */
	PHASE_QUIT,
	PHASE_COUNT
};

/* How one connection attempt to one address ended. */
enum connect_result {
	CONN_OK,
	CONN_REFUSED,
	CONN_TIMEOUT,
	CONN_UNREACHABLE,
	CONN_ERROR,
	CONN_SKIPPED,		/* not tried: the connection budget was spent (the probe's or the run's) */
};

struct connect_attempt {
	char addr[64];		/* numeric address */
	int family;		/* AF_INET or AF_INET6 */
	enum connect_result result;
	int err;		/* errno, 0 if none */
	int64_t ms;		/* how long the attempt took */
};

/* How the conversation ended. */
enum smtp_end {
	END_NONE,		/* not run */
	END_OK,			/* QUIT answered, or closed after a complete run */
	END_RESOLVE_FAILED,
	END_CONNECT_FAILED,	/* no address answered */
	END_TIMEOUT,		/* a deadline fired (end_phase says which) */
	END_CLOSED,		/* the server closed the connection early */
	END_RESET,		/* the connection was reset */
	END_REJECTED,		/* a 5xx / 4xx where the conversation could not go on */
	END_SERVICE_UNAVAILABLE, /* 421 */
	END_PROTOCOL,		/* the server broke the reply syntax */
	END_TLS_FAILED,		/* the TLS handshake failed */
	END_LOCAL_ERROR,	/* our side failed (out of memory, socket()) */
};

/* Why a reply could not be parsed. */
enum reply_error {
	REPLY_OK,
	REPLY_ERR_SYNTAX,	/* not "NNN-" / "NNN " / "NNN" */
	REPLY_ERR_CODE_MISMATCH, /* lines of one reply with different codes */
	REPLY_ERR_NUL,		/* NUL byte inside a line */
	REPLY_ERR_LINE_TOO_LONG, /* a line beyond the hard cap */
	REPLY_ERR_TOO_MANY_LINES, /* a reply that never ends */
};

struct smtp_reply_facts {
	int code;		/* 0 when there was no reply */
	char esc[16];		/* enhanced status code ("5.7.1"), "" if none */
	char **lines;		/* the text of each line, after "NNN-" */
	size_t nlines;
	int64_t ms;		/* time from command (or connect) to reply */
};

struct cert_facts {
	char *subject;		/* RFC 2253 one-line form */
	char *issuer;
	char *common_name;	/* subject CN, "" if none */
	char **san;		/* "DNS:name" / "IP:addr" */
	size_t nsan;
	time_t not_before, not_after;
	char key_type[16];	/* "RSA", "EC", "Ed25519", ... */
	int key_bits;
	char sig_alg[48];	/* "sha256WithRSAEncryption" */
	char *key_usage;	/* "Digital Signature, Key Encipherment", "" if absent */
	char *ext_key_usage;	/* "TLS Web Server Authentication", "" if absent */
	bool is_ca;		/* basicConstraints CA:TRUE */
	bool self_issued;	/* subject == issuer */
	char sha256[96];	/* "AB:CD:..." */
	unsigned char *der;	/* the certificate as sent (public: DANE matching needs it) */
	size_t derlen;
	unsigned char *spki;	/* its SubjectPublicKeyInfo, DER */
	size_t spkilen;
};

/* One problem the verifier reported, at a depth in the chain. */
struct verify_error {
	int depth;
	int code;		/* X509_V_ERR_* */
	char text[96];
};

enum name_check {
	NAME_NOT_CHECKED,	/* connected by address and no --tls-name */
	NAME_MATCH,
	NAME_MISMATCH,
};

struct tls_facts {
	bool attempted;		/* a handshake was started */
	bool ok;		/* the handshake completed */
	char version[16];	/* "TLSv1.3" */
	char cipher[64];
	char *error;		/* why the handshake failed, with the alert */
	char alert[64];		/* TLS alert received, "" if none */
	struct cert_facts *chain; /* as sent, leaf first (the first 128 at most) */
	size_t nchain;
	size_t nsent;		/* certificates the server sent: all were verified */
	bool verified;		/* chain verified against the trust store */
	struct verify_error *verr;
	size_t nverr;
	char *trust_store;	/* "system" or the --ca-file path */
	enum name_check name;
	char *name_checked;	/* the name the leaf was checked against */
	/* TLS 1.2+ failed, but a retry allowing TLS 1.0/1.1 worked. */
	bool legacy_only;
	char legacy_version[16];
	int64_t ms;		/* handshake time */
	bool client_cert_offered;	/* we had a certificate to present */
	bool client_cert_requested;	/* the server asked for one */
	char after_alert[64];	/* an alert after the handshake (TLS 1.3 client certificate refusal) */
	time_t checked_at;	/* wall clock at the handshake: dates are judged against it */
};

struct smtp_facts {
	char *host;		/* as given */
	uint16_t port;
	char *ehlo_name;	/* what we said in EHLO */
	char *tls_name;		/* name the certificate must carry */
	time_t started_at;	/* wall clock */

	struct connect_attempt *attempts;
	size_t nattempts;
	int connections;	/* connections opened for this target */
	char *resolve_error;
	char connected_addr[64];	/* the address that answered, "" if none */
	char local_addr[64];	/* our end of that connection */

	struct smtp_reply_facts banner;
	struct smtp_reply_facts ehlo;
	bool ehlo_sent;
	struct smtp_reply_facts helo;	/* only when EHLO was refused */
	char **ext;		/* EHLO keywords with parameters, e.g. "SIZE 36700160" */
	size_t next;
	bool starttls_offered;
	struct smtp_reply_facts starttls;
	struct smtp_reply_facts ehlo_tls;
	char **ext_tls;
	size_t next_tls;
	struct smtp_reply_facts quit;

	/* The opt-in envelope probe, in plaintext and over TLS. */
	bool envelope_asked;
	struct smtp_reply_facts mail_plain, rcpt_plain, mail_tls, rcpt_tls;

	/* The client address the server said it sees in its EHLO reply. */
	char observed_ip[64];	/* "" when the server did not say */

	enum smtp_end end;
	enum smtp_phase end_phase;	/* where it ended, for timeouts and errors */
	char *end_detail;	/* human detail ("Connection reset by peer") */
	enum reply_error reply_error;	/* for END_PROTOCOL */

	int64_t phase_ms[PHASE_COUNT];	/* -1 when the phase did not run */
	int64_t total_ms;

	struct transcript tr;
	struct tls_facts tls;

	/* Why the run's connection ledger kept this probe from a connection
	 * (another probe of the run had used the budget), NULL if it never did. */
	char *budget_note;
	/* Set when these facts are another target's probe of the same host and
	 * port (a batch): that target, as given. NULL: this target's own probe. */
	char *shared_from;
};

/* ---- DNS: the domain's records as Exchange Online expects them ---- */

/* The records of one domain that the DNS step looks at, each a whole answer. */
enum dns_rec {
	REC_MX,
	REC_TXT,		/* the apex TXT: SPF and the MS= proof */
	REC_AUTODISCOVER,	/* CNAME autodiscover.<domain> */
	REC_DKIM1,		/* CNAME selector1._domainkey.<domain> */
	REC_DKIM2,
	REC_DMARC,		/* TXT _dmarc.<domain> */
	REC_MTASTS,		/* TXT _mta-sts.<domain> */
	REC_TLSRPT,		/* TXT _smtp._tls.<domain> */
	REC_SIP,		/* CNAME sip.<domain> */
	REC_LYNCDISCOVER,	/* CNAME lyncdiscover.<domain> */
	REC_SRV_SIP,		/* SRV _sip._tls.<domain> */
	REC_SRV_SIPFED,		/* SRV _sipfederationtls._tcp.<domain> */
	REC_COUNT
};

/* One lookup SPF evaluation needed (name, type and what came back). */
struct spf_lookup {
	struct dns_answer a;
};

struct dns_facts {
	char *domain;
	struct dns_answer rec[REC_COUNT];
	bool asked[REC_COUNT];

	char *tlsa_host;	/* the MX host whose _25._tcp TLSA was asked */
	struct dns_answer tlsa;

	char ip[64];		/* the public IP checked: observed, or given with --ip; "" if none */
	struct dns_answer ptr;	/* PTR of ip */
	struct dns_answer ptr_fwd;	/* A or AAAA of the PTR name */

	/* SPF evaluation of ip against the domain's record. */
	bool spf_evaluated;
	int spf_result;		/* enum spf_result */
	char spf_matched[520];	/* the term that decided, and where */
	int spf_lookups;
	char spf_error[200];
	struct spf_lookup *spf_cache;
	size_t nspf_cache;
};

/* ---- blocklists ---- */

struct dnsbl_result {
	char *id;		/* the zone as the zones file names it (never holds a DQS key) */
	char *qname;		/* reversed IP + the zone queried */
	bool skipped;		/* not asked: an IPv6 address and a zone without IPv6 */
	struct dns_answer a;	/* the A lookup: the codes */
	struct dns_answer txt;	/* the reason, asked only when there was an A answer */
	struct dns_answer test_pos;	/* RFC 5782 test point 127.0.0.2: must be listed */
	struct dns_answer test_neg;	/* 127.0.0.1: must not be */
};

/* The codes are judged by the rules with the zone knowledge of the day, so an
 * old capture gets today's meanings. */
struct dnsbl_facts {
	char ip[64];
	char *zones_file;	/* where the zone list came from */
	struct dnsbl_result *v;
	size_t n;
};

/* ---- one run of hybridtls: whichever steps ran ---- */

struct connector_set;
struct onpremcert_facts;

struct diagnosis {
	char *target;		/* as given */
	bool has_smtp, has_dns, has_dnsbl;
	char *given_ip;		/* --ip, when given */

	/* Connector exports (--connector, repeatable), as read, and why any failed. */
	struct connector_set *connectors;
	char **connector_files;
	size_t nconnectors;
	char **connector_errors;	/* "file: line N: ..." */
	size_t nconnector_errors;
	/* The on-premises certificate (--cert): facts only, never the key. */
	struct onpremcert_facts *cert;
	char *cert_error;	/* why it could not be loaded */
	struct smtp_facts smtp;
	struct dns_facts dns;
	struct dnsbl_facts bl;
	char *probe_note;	/* which host the SMTP step probed, and why */
	/* The reverse direction: Exchange Online delivering to on-premises. */
	bool has_onprem;
	struct smtp_facts onprem;
	char *onprem_note;	/* which host, which name is required, and why */
	char *ip_source;	/* where the public IP came from */
};

void diagnosis_init(struct diagnosis *d);
void diagnosis_free(struct diagnosis *d);

void dns_facts_init(struct dns_facts *d);
void dns_facts_free(struct dns_facts *d);
void dnsbl_facts_free(struct dnsbl_facts *b);
const char *dns_rec_label(enum dns_rec r);	/* "MX", "autodiscover CNAME" */
/* The name a record lives at, for domain: "_dmarc.contoso.com" (caller frees). */
char *dns_rec_name(enum dns_rec r, const char *domain);
uint16_t dns_rec_type(enum dns_rec r);

/*
 * The public IP a diagnosis judges the connector, blocklists and SPF for:
 * --ip, else the address the server named unless it is a private one (a
 * server inside the NAT sees the client before translation). NULL if none.
 */
const char *diagnosis_public_ip(const struct diagnosis *d);

void transcript_add(struct transcript *tr, int64_t t_ms, enum tdir dir, bool tls,
    const char *text, size_t len);
void transcript_free(struct transcript *tr);

void smtp_reply_facts_free(struct smtp_reply_facts *r);
void cert_facts_free(struct cert_facts *c);
void tls_facts_free(struct tls_facts *t);
void smtp_facts_init(struct smtp_facts *f);
void smtp_facts_free(struct smtp_facts *f);
/* A deep copy of src into dst (free with smtp_facts_free). On false (out of
 * memory) dst is empty. */
bool smtp_facts_copy(struct smtp_facts *dst, const struct smtp_facts *src);

const char *phase_name(enum smtp_phase p);
const char *connect_result_name(enum connect_result r);
const char *smtp_end_name(enum smtp_end e);
const char *reply_error_name(enum reply_error e);

#endif

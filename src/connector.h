/*
 * Connector export reader: the output of Get-InboundConnector,
 * Get-OutboundConnector (Exchange Online), Get-SendConnector and
 * Get-ReceiveConnector (on-premises) as an admin saves it:
 *
 *   ... | ConvertTo-Json      (one object or an array; Windows PowerShell 5.1
 *                               writes enums as integers and cuts nesting at
 *                               -Depth 2, leaving a .NET type name)
 *   ... | Export-Clixml f.xml (typed <Objs><Obj><Props> ... XML)
 *   ... | Format-List > f.txt ("Name : value" lines, "{a, b}" lists,
 *                               wrapped continuation lines, "..." cut marks)
 *
 * in UTF-8 (with or without BOM) or UTF-16 (LE with BOM, BE with BOM, LE
 * without BOM). Pure code over a bounded buffer; the only I/O is
 * connector_load_file() reading at most CONNECTOR_MAX_FILE bytes.
 */
#ifndef HTLS_CONNECTOR_H
#define HTLS_CONNECTOR_H

#include <stdbool.h>
#include <stddef.h>

/* Largest export accepted, in bytes, before decoding. */
#define CONNECTOR_MAX_FILE (4u * 1024u * 1024u)
/* Most connectors in one export, and most items in one list. */
#define CONNECTOR_MAX_OBJECTS 4096
#define CONNECTOR_MAX_ITEMS 65536

enum connector_kind {
	CONNECTOR_UNKNOWN = 0,
	CONNECTOR_EXO_INBOUND,   /* Get-InboundConnector */
	CONNECTOR_EXO_OUTBOUND,  /* Get-OutboundConnector */
	CONNECTOR_ONPREM_SEND,   /* Get-SendConnector */
	CONNECTOR_ONPREM_RECEIVE /* Get-ReceiveConnector */
};

/*
 * A list of strings, each trimmed, as written in the export. Owns v[i].
 * present is false when the export did not carry the property or its value
 * was lost (then n is 0 and a warning says why); $null and {} are present
 * and empty.
 */
struct connector_list {
	char **v;
	size_t n;
	bool present;
};

/*
 * One connector. Every char * is NULL when the export did not carry the
 * property (or carried $null); every tri-state int is -1 when unknown, 0 for
 * $false, 1 for $true: a missing field is not false. Enum-typed properties
 * are the enum name; an enum that came as a bare integer is kept as
 * "unknown (N)" (with a warning), because hybridtls does not guess what the
 * integers mean. All memory belongs to the enclosing connector_set.
 */
struct connector {
	enum connector_kind kind;
	char kind_why[160]; /* how the kind was told, e.g. "has SenderDomains, ..." */
	int line;           /* line in the file where the object starts (1-based) */

	char *name;
	char *identity;
	char *comment;
	char *connector_type;   /* EXO: "Partner", "OnPremises" */
	char *connector_source; /* EXO inbound: "Default", "HybridWizard", ... */
	int enabled;
	int cloud_services_mail_enabled;
	int require_tls; /* RequireTls (EXO inbound) / RequireTLS (on-premises) */

	/* EXO inbound */
	struct connector_list sender_ip_addresses;
	struct connector_list sender_domains; /* e.g. "smtp:*;1" as written */
	char *tls_sender_certificate_name;
	int restrict_domains_to_ip_addresses;
	int restrict_domains_to_certificate;
	int treat_messages_as_internal;

	/* EXO outbound (smart_hosts and tls_domain also on-premises Send) */
	struct connector_list smart_hosts;
	struct connector_list recipient_domains;
	int use_mx_record;
	int route_all_messages_via_on_premises;
	char *tls_settings;
	char *tls_domain;

	/* on-premises Send (tls_certificate_name and fqdn also Receive) */
	struct connector_list address_spaces;
	char *tls_certificate_name; /* "<I>issuer<S>subject" */
	char *tls_auth_level;
	char *fqdn;
	int ignore_starttls;

	/* on-premises Receive */
	struct connector_list bindings;
	struct connector_list remote_ip_ranges;
	struct connector_list tls_domain_capabilities;
	char *auth_mechanism;
	char *transport_role;

	/* What was lost or doubtful in this object, one sentence each. */
	struct connector_list warnings;
};

struct connector_set {
	struct connector *v;
	size_t n;
	const char *format;   /* "ConvertTo-Json", "Export-Clixml", "Format-List" */
	const char *encoding; /* "UTF-8", "UTF-8 with BOM", "UTF-16LE with BOM", ... */
	char how[200];        /* how the file was identified, one sentence */
};

/*
 * Parse an export held in buf[0..len). On success fills *out (free it with
 * connector_set_free) and returns true. On failure returns false, leaves *out
 * empty and writes "line N: what was wrong; what was expected" into err:
 * an empty file, binary data, NUL bytes in UTF-8, truncated or malformed
 * JSON/XML, XML that is not Clixml, a CSV, or objects that are not
 * connectors (e.g. Get-Mailbox output).
 */
bool connector_parse(const unsigned char *buf, size_t len, struct connector_set *out,
		     char *err, size_t errlen);

/* Read path (at most CONNECTOR_MAX_FILE bytes) and connector_parse() it. */
bool connector_load_file(const char *path, struct connector_set *out, char *err, size_t errlen);

/*
 * An inbound connector from values typed by hand (the wizard, when the admin
 * has no export): SenderIPAddresses as a list separated by commas or spaces,
 * and TlsSenderCertificateName (NULL or "" for none). False with a message
 * when neither is given.
 */
bool connector_typed(struct connector_set *out, const char *sender_ips, const char *cert_name, char *err,
		     size_t errlen);

/* Free what a connector_set holds and empty it; NULL and empty sets are fine. */
void connector_set_free(struct connector_set *s);

/*
 * Among the connectors of this kind, the one the Hybrid Configuration Wizard
 * made (ConnectorType OnPremises, ConnectorSource HybridWizard, names
 * "Inbound from <guid>", "Outbound to <guid>", "Outbound to Office 365 -
 * <guid>", TlsDomainCapabilities "...:AcceptCloudServicesMail"; enabled ones
 * preferred). Returns NULL when none carries a hybrid sign. why (may be NULL)
 * says which one and why, or why none.
 */
const struct connector *connector_pick_hybrid(const struct connector_set *s,
					      enum connector_kind kind, char *why, size_t whylen);

/*
 * Whether ip (IPv4 or IPv6; IPv4-mapped IPv6 counts as IPv4) is listed in the
 * connector's address list: SenderIPAddresses (EXO inbound), RemoteIPRanges
 * (Receive), SmartHosts (outbound and Send). Entries may be single addresses,
 * CIDR with any prefix, "a.b.c.d/255.255.255.0" or "lo-hi" ranges. On a match
 * copies the matching entry into matched (may be NULL).
 */
bool connector_ip_listed(const struct connector *c, const char *ip, char *matched, size_t len);

/*
 * Whether Exchange Online accepts entry in SenderIPAddresses: an IPv4
 * address, or IPv4 CIDR with a prefix from /24 to /32. IPv6 and ranges are
 * refused. why (may be NULL) gets the reason either way.
 */
bool connector_sender_ip_valid(const char *entry, char *why, size_t len);

/*
 * Split a TlsCertificateName "<I>issuer<S>subject" (or "[I]issuer[S]subject")
 * at the first separator; the issuer may hold commas, quotes and
 * backslashes. False when the form is wrong, a part is empty or a buffer is
 * too small.
 */
bool tlscertname_parse(const char *s, char *issuer, size_t ilen, char *subject, size_t slen);

/* "EXO inbound", "EXO outbound", "on-premises Send", "on-premises Receive", "unknown". */
const char *connector_kind_name(enum connector_kind kind);

/*
 * ---- Internal to src/connector*.c: the raw records the three readers
 * produce and connector.c maps onto struct connector. Not for callers. ----
 */
enum connector_rawtype {
	CONNECTOR_RAW_NULL,
	CONNECTOR_RAW_BOOL,
	CONNECTOR_RAW_INT,
	CONNECTOR_RAW_STR,
	CONNECTOR_RAW_LIST,
	CONNECTOR_RAW_LOST /* s is the type name the value collapsed to */
};

struct connector_rawprop {
	char *name;
	enum connector_rawtype type;
	int b;
	long long i;
	char *s;
	struct connector_list list;
	bool truncated; /* Format-List cut the value short ("..." / "…") */
	char *note;     /* reader's remark to turn into a warning, or NULL */
	int line;
};

struct connector_raw {
	struct connector_rawprop *v;
	size_t n, cap;
	int line;
	char *type_name; /* Clixml <TN><T>, or NULL */
};

struct connector_rawset {
	struct connector_raw *v;
	size_t n, cap;
};

bool connector_list_add(struct connector_list *l, const char *s, size_t n);
void connector_list_free(struct connector_list *l);
char *connector_strndup(const char *s, size_t n);
struct connector_raw *connector_rawset_add(struct connector_rawset *rs, int line);
struct connector_rawprop *connector_raw_add(struct connector_raw *r, const char *name, size_t n,
					    int line);
void connector_rawset_free(struct connector_rawset *rs);
bool connector_fail(char *err, size_t errlen, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Whether s looks like a .NET type name left by ConvertTo-Json's depth cut. */
bool connector_is_type_name(const char *s);

bool connector_json_read(const char *text, size_t len, struct connector_rawset *out,
			 char *how, size_t howlen, char *err, size_t errlen);
bool connector_clixml_read(const char *text, size_t len, struct connector_rawset *out,
			   char *how, size_t howlen, char *err, size_t errlen);
bool connector_fl_read(const char *text, size_t len, struct connector_rawset *out,
		       char *how, size_t howlen, char *err, size_t errlen);

#endif

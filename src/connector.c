/*
 * Connector export reader: text decoding, format detection, mapping of the
 * raw records the three readers produce onto struct connector, telling the
 * kind apart, picking the hybrid connector, and the IP and
 * TlsCertificateName helpers.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connector.h"
#include "textutil.h"

#define EXPECTED_FORMS \
	"expected the output of Get-InboundConnector, Get-OutboundConnector, " \
	"Get-SendConnector or Get-ReceiveConnector piped to ConvertTo-Json, " \
	"Export-Clixml or Format-List"

bool connector_fail(char *err, size_t errlen, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (err == NULL || errlen == 0)
		return false;
	n = snprintf(err, errlen, "line %d: ", line > 0 ? line : 1);
	if (n < 0 || (size_t)n >= errlen)
		return false;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

char *connector_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Append s[0..n) trimmed of blanks; false on allocation failure or cap. */
bool connector_list_add(struct connector_list *l, const char *s, size_t n)
{
	char **nv;
	char *p;

	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (l->n >= CONNECTOR_MAX_ITEMS)
		return false;
	p = connector_strndup(s, n);
	if (p == NULL)
		return false;
	nv = realloc(l->v, (l->n + 1) * sizeof *nv);
	if (nv == NULL) {
		free(p);
		return false;
	}
	l->v = nv;
	l->v[l->n++] = p;
	l->present = true;
	return true;
}

void connector_list_free(struct connector_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
	l->present = false;
}

struct connector_raw *connector_rawset_add(struct connector_rawset *rs, int line)
{
	struct connector_raw *nv;

	if (rs->n >= CONNECTOR_MAX_OBJECTS)
		return NULL;
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 8;

		nv = realloc(rs->v, cap * sizeof *nv);
		if (nv == NULL)
			return NULL;
		rs->v = nv;
		rs->cap = cap;
	}
	memset(&rs->v[rs->n], 0, sizeof rs->v[rs->n]);
	rs->v[rs->n].line = line;
	return &rs->v[rs->n++];
}

struct connector_rawprop *connector_raw_add(struct connector_raw *r, const char *name, size_t n,
					    int line)
{
	struct connector_rawprop *nv, *p;

	if (r->n >= 4096)
		return NULL;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;

		nv = realloc(r->v, cap * sizeof *nv);
		if (nv == NULL)
			return NULL;
		r->v = nv;
		r->cap = cap;
	}
	p = &r->v[r->n];
	memset(p, 0, sizeof *p);
	p->name = connector_strndup(name, n);
	if (p->name == NULL)
		return NULL;
	p->type = CONNECTOR_RAW_NULL;
	p->line = line;
	r->n++;
	return p;
}

void connector_rawset_free(struct connector_rawset *rs)
{
	size_t i, j;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->n; i++) {
		struct connector_raw *r = &rs->v[i];

		for (j = 0; j < r->n; j++) {
			free(r->v[j].name);
			free(r->v[j].s);
			free(r->v[j].note);
			connector_list_free(&r->v[j].list);
		}
		free(r->v);
		free(r->type_name);
	}
	free(rs->v);
	rs->v = NULL;
	rs->n = rs->cap = 0;
}

/*
 * A .NET type name such as "Microsoft.Exchange.Data.MultiValuedProperty`1[...]"
 * or "System.Object[]": what ConvertTo-Json writes for objects below -Depth.
 */
bool connector_is_type_name(const char *s)
{
	size_t i, dots = 0;

	if (s == NULL)
		return false;
	if (strncmp(s, "Microsoft.", 10) != 0 && strncmp(s, "System.", 7) != 0 &&
	    strncmp(s, "Deserialized.", 13) != 0)
		return false;
	if (strchr(s, '`') != NULL)
		return true;
	for (i = 0; s[i] != '\0' && s[i] != '['; i++) {
		if (s[i] == '.')
			dots++;
		else if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '+')
			return false;
	}
	return dots >= 1;
}

/* ---- text decoding ---- */

static void put_utf8(char *o, size_t *k, uint32_t cp)
{
	if (cp < 0x80) {
		o[(*k)++] = (char)cp;
	} else if (cp < 0x800) {
		o[(*k)++] = (char)(0xC0 | (cp >> 6));
		o[(*k)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		o[(*k)++] = (char)(0xE0 | (cp >> 12));
		o[(*k)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[(*k)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		o[(*k)++] = (char)(0xF0 | (cp >> 18));
		o[(*k)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		o[(*k)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[(*k)++] = (char)(0x80 | (cp & 0x3F));
	}
}

/* UTF-16 (be: big-endian) to NUL-terminated UTF-8; rejects NUL and lone surrogates. */
static bool utf16_to_utf8(const unsigned char *b, size_t len, bool be, char **out, size_t *outlen,
			  char *err, size_t errlen)
{
	size_t i, k = 0;
	int line = 1;
	char *o;

	if (len % 2 != 0)
		return connector_fail(err, errlen, 1,
				      "UTF-16 text with an odd number of bytes (%zu): the file is "
				      "truncated; expected complete UTF-16 text", len);
	o = malloc(len / 2 * 3 + 1);
	if (o == NULL)
		return connector_fail(err, errlen, 1, "out of memory");
	for (i = 0; i + 1 < len; i += 2) {
		uint32_t u = be ? (uint32_t)(b[i] << 8 | b[i + 1]) : (uint32_t)(b[i + 1] << 8 | b[i]);

		if (u == 0) {
			free(o);
			return connector_fail(err, errlen, line,
					      "NUL character in UTF-16 text (offset %zu): binary data; "
					      "expected a text export", i);
		}
		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
			uint32_t l = be ? (uint32_t)(b[i + 2] << 8 | b[i + 3])
					: (uint32_t)(b[i + 3] << 8 | b[i + 2]);

			if (l >= 0xDC00 && l <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
				i += 2;
			}
		}
		if (u >= 0xD800 && u <= 0xDFFF) {
			free(o);
			return connector_fail(err, errlen, line,
					      "unpaired UTF-16 surrogate at offset %zu: the text is "
					      "damaged; expected valid UTF-16", i);
		}
		if (u == '\n')
			line++;
		put_utf8(o, &k, u);
	}
	o[k] = '\0';
	*out = o;
	*outlen = k;
	return true;
}

/* Length of a valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* Whether b looks like UTF-16 without BOM: most code units have a zero high byte. */
static bool looks_utf16(const unsigned char *b, size_t len, bool be)
{
	size_t i, pairs = 0, hits = 0, n = len < 2048 ? len : 2048;

	if (len < 4 || len % 2 != 0)
		return false;
	if (be ? (b[0] != 0 || b[1] == 0) : (b[1] != 0 || b[0] == 0))
		return false;
	for (i = 0; i + 1 < n; i += 2) {
		pairs++;
		if (be ? (b[i] == 0 && b[i + 1] != 0) : (b[i + 1] == 0 && b[i] != 0))
			hits++;
	}
	return hits * 10 >= pairs * 9;
}

/*
 * Decode buf into NUL-terminated UTF-8 text. UTF-8 (BOM or not), UTF-16LE/BE
 * with BOM and UTF-16LE/BE without BOM; invalid UTF-8 is read as Latin-1.
 */
static bool decode_text(const unsigned char *buf, size_t len, char **out, size_t *outlen,
			const char **enc, char *err, size_t errlen)
{
	size_t i, k;
	char *o;
	int line = 1;
	bool valid = true;

	*out = NULL;
	if (len == 0)
		return connector_fail(err, errlen, 1, "the file is empty; " EXPECTED_FORMS);
	if (len >= 2 && buf[0] == 0xFF && buf[1] == 0xFE) {
		*enc = "UTF-16LE with BOM";
		return utf16_to_utf8(buf + 2, len - 2, false, out, outlen, err, errlen);
	}
	if (len >= 2 && buf[0] == 0xFE && buf[1] == 0xFF) {
		*enc = "UTF-16BE with BOM";
		return utf16_to_utf8(buf + 2, len - 2, true, out, outlen, err, errlen);
	}
	if (looks_utf16(buf, len, false)) {
		*enc = "UTF-16LE without BOM";
		return utf16_to_utf8(buf, len, false, out, outlen, err, errlen);
	}
	if (looks_utf16(buf, len, true)) {
		*enc = "UTF-16BE without BOM";
		return utf16_to_utf8(buf, len, true, out, outlen, err, errlen);
	}
	*enc = "UTF-8";
	if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) {
		*enc = "UTF-8 with BOM";
		buf += 3;
		len -= 3;
	}
	for (i = 0; i < len; i++) {
		if (buf[i] == '\n')
			line++;
		if (buf[i] == 0)
			return connector_fail(err, errlen, line,
					      "NUL byte in UTF-8 text (offset %zu): this is binary data "
					      "or damaged text; expected a text export", i);
		if ((buf[i] < 0x20 && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r' &&
		     buf[i] != '\f') || buf[i] == 0x7F)
			return connector_fail(err, errlen, line,
					      "control byte 0x%02X (offset %zu): this is binary data, "
					      "not a text export; " EXPECTED_FORMS, buf[i], i);
	}
	for (i = 0; i < len; i += k) {
		k = utf8_seq(buf + i, len - i);
		if (k == 0) {
			valid = false;
			break;
		}
	}
	o = malloc(valid ? len + 1 : len * 2 + 1);
	if (o == NULL)
		return connector_fail(err, errlen, 1, "out of memory");
	if (valid) {
		memcpy(o, buf, len);
		k = len;
	} else {
		*enc = "Latin-1 (not valid UTF-8)";
		for (i = 0, k = 0; i < len; i++)
			put_utf8(o, &k, buf[i]);
	}
	o[k] = '\0';
	*out = o;
	*outlen = k;
	return true;
}

/* ---- mapping raw records onto struct connector ---- */

enum ftype { F_STR, F_ENUM, F_BOOL, F_LIST };

struct field {
	const char *name;
	enum ftype t;
	size_t off;
};

#define FS(n, m) { n, F_STR, offsetof(struct connector, m) }
#define FE(n, m) { n, F_ENUM, offsetof(struct connector, m) }
#define FB(n, m) { n, F_BOOL, offsetof(struct connector, m) }
#define FL(n, m) { n, F_LIST, offsetof(struct connector, m) }

static const struct field fields[] = {
	FS("Name", name),
	FS("Identity", identity),
	FS("Comment", comment),
	FE("ConnectorType", connector_type),
	FE("ConnectorSource", connector_source),
	FB("Enabled", enabled),
	FB("CloudServicesMailEnabled", cloud_services_mail_enabled),
	FB("RequireTls", require_tls),
	FL("SenderIPAddresses", sender_ip_addresses),
	FL("SenderDomains", sender_domains),
	FS("TlsSenderCertificateName", tls_sender_certificate_name),
	FB("RestrictDomainsToIPAddresses", restrict_domains_to_ip_addresses),
	FB("RestrictDomainsToCertificate", restrict_domains_to_certificate),
	FB("TreatMessagesAsInternal", treat_messages_as_internal),
	FL("SmartHosts", smart_hosts),
	FL("RecipientDomains", recipient_domains),
	FB("UseMXRecord", use_mx_record),
	FB("RouteAllMessagesViaOnPremises", route_all_messages_via_on_premises),
	FE("TlsSettings", tls_settings),
	FS("TlsDomain", tls_domain),
	FL("AddressSpaces", address_spaces),
	FS("TlsCertificateName", tls_certificate_name),
	FE("TlsAuthLevel", tls_auth_level),
	FS("Fqdn", fqdn),
	FB("IgnoreSTARTTLS", ignore_starttls),
	FL("Bindings", bindings),
	FL("RemoteIPRanges", remote_ip_ranges),
	FL("TlsDomainCapabilities", tls_domain_capabilities),
	FE("AuthMechanism", auth_mechanism),
	FE("TransportRole", transport_role),
};

static const char *const marks_in[] = {
	"SenderIPAddresses", "SenderDomains", "TlsSenderCertificateName",
	"RestrictDomainsToIPAddresses", "RestrictDomainsToCertificate", "TreatMessagesAsInternal",
	"EFSkipIPs", "TrustedOrganizations", "AssociatedAcceptedDomains", "ScanAndDropRecipients",
	NULL
};
static const char *const marks_out[] = {
	"RecipientDomains", "UseMXRecord", "TlsSettings", "RouteAllMessagesViaOnPremises",
	"AllAcceptedDomains", "IsTransportRuleScoped", "SenderRewritingEnabled",
	"LinkForModifiedConnector", "ValidationRecipients", NULL
};
static const char *const marks_send[] = {
	"AddressSpaces", "TlsAuthLevel", "IgnoreSTARTTLS", "DNSRoutingEnabled",
	"SourceTransportServers", "UseExternalDNSServersEnabled", "FrontendProxyEnabled",
	"HomeMTA", NULL
};
static const char *const marks_recv[] = {
	"Bindings", "RemoteIPRanges", "TlsDomainCapabilities", "TransportRole", "AuthMechanism",
	"PermissionGroups", "MaxInboundConnection", "Banner", NULL
};

static bool has_prop(const struct connector_raw *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcasecmp(r->v[i].name, name) == 0)
			return true;
	return false;
}

static bool warn(struct connector *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool warn(struct connector *c, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return connector_list_add(&c->warnings, buf, strlen(buf));
}

/* Score one kind: count its marker properties, list them in why. */
static int score_kind(const struct connector_raw *r, const char *const *marks, char *why,
		      size_t whylen)
{
	int n = 0;
	size_t k = 0;

	why[0] = '\0';
	for (; *marks != NULL; marks++) {
		if (!has_prop(r, *marks))
			continue;
		n++;
		if (n <= 3 && k < whylen) {
			int w = snprintf(why + k, whylen - k, "%s%s", n > 1 ? ", " : "", *marks);

			if (w > 0)
				k += (size_t)w;
		}
	}
	return n;
}

/* Tell the kind of a raw record from its properties (and Clixml type name). */
static enum connector_kind identify(const struct connector_raw *r, char *why, size_t whylen)
{
	static const char *const *const marks[] = { marks_in, marks_out, marks_send, marks_recv };
	static const char *const tn[] = { "InboundConnector", "OutboundConnector",
					  "SendConnector", "ReceiveConnector" };
	char w[4][120];
	int sc[4], best = -1, bestsc = 0, i;
	bool tie = false;

	for (i = 0; i < 4; i++) {
		sc[i] = score_kind(r, marks[i], w[i], sizeof w[i]);
		if (r->type_name != NULL && strstr(r->type_name, tn[i]) != NULL)
			sc[i] += 5;
		if (i == 2 && r->type_name != NULL && strstr(r->type_name, "SmtpSendConnector"))
			sc[i] += 5;
		if (sc[i] > bestsc) {
			bestsc = sc[i];
			best = i;
			tie = false;
		} else if (sc[i] == bestsc && sc[i] > 0) {
			tie = true;
		}
	}
	if (best < 0 || tie) {
		snprintf(why, whylen, "no distinguishing connector properties");
		return CONNECTOR_UNKNOWN;
	}
	if (r->type_name != NULL && strstr(r->type_name, tn[best]) != NULL) {
		const char *dot = strrchr(r->type_name, '.');

		snprintf(why, whylen, "Clixml type %.60s; has %s",
			 dot != NULL ? dot + 1 : r->type_name, w[best]);
	} else {
		snprintf(why, whylen, "has %s", w[best]);
	}
	return (enum connector_kind)(best + 1);
}

static bool parse_bool_text(const char *s, int *v)
{
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "$true") == 0) {
		*v = 1;
		return true;
	}
	if (strcasecmp(s, "false") == 0 || strcasecmp(s, "$false") == 0) {
		*v = 0;
		return true;
	}
	return false;
}

static char *join_list(const struct connector_list *l)
{
	size_t i, n = 1;
	char *s;

	for (i = 0; i < l->n; i++)
		n += strlen(l->v[i]) + 2;
	s = malloc(n);
	if (s == NULL)
		return NULL;
	s[0] = '\0';
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			strcat(s, ", ");
		strcat(s, l->v[i]);
	}
	return s;
}

/* Store one raw property into the connector field f. False on out of memory. */
static bool apply(struct connector *c, const struct field *f, const struct connector_rawprop *p)
{
	char **sp = (char **)((char *)c + f->off);
	int *bp = (int *)((char *)c + f->off);
	struct connector_list *lp = (struct connector_list *)((char *)c + f->off);
	char num[32];
	size_t i;

	if (p->note != NULL && !warn(c, "%s: %s", f->name, p->note))
		return false;
	if (p->type == CONNECTOR_RAW_LOST)
		return warn(c, "%s was collapsed to a type name by ConvertTo-Json (\"%.80s\"): its "
			    "value was lost; re-export with ConvertTo-Json -Depth 5",
			    f->name, p->s != NULL ? p->s : "");
	switch (f->t) {
	case F_BOOL:
		if (p->type == CONNECTOR_RAW_BOOL)
			*bp = p->b;
		else if (p->type == CONNECTOR_RAW_STR && parse_bool_text(p->s, bp))
			;
		else if (p->type == CONNECTOR_RAW_LIST && p->list.n == 1 &&
			 parse_bool_text(p->list.v[0], bp))
			;
		else if (p->type != CONNECTOR_RAW_NULL &&
			 !(p->type == CONNECTOR_RAW_STR && p->s[0] == '\0'))
			return warn(c, "%s is not a boolean (line %d); treated as unknown", f->name,
				    p->line);
		return true;
	case F_STR:
	case F_ENUM:
		free(*sp);
		*sp = NULL;
		if (p->type == CONNECTOR_RAW_STR) {
			*sp = strdup(p->s);
		} else if (p->type == CONNECTOR_RAW_BOOL) {
			*sp = strdup(p->b ? "True" : "False");
		} else if (p->type == CONNECTOR_RAW_INT && f->t == F_ENUM) {
			snprintf(num, sizeof num, "unknown (%lld)", p->i);
			*sp = strdup(num);
			if (*sp != NULL &&
			    !warn(c, "%s came as the integer %lld (an enum written without "
				  "-EnumsAsStrings); hybridtls does not guess what the number means, "
				  "kept as \"%s\"; re-export with ConvertTo-Json -EnumsAsStrings "
				  "(PowerShell 7) or Export-Clixml", f->name, p->i, num))
				return false;
		} else if (p->type == CONNECTOR_RAW_INT) {
			snprintf(num, sizeof num, "%lld", p->i);
			*sp = strdup(num);
		} else if (p->type == CONNECTOR_RAW_LIST) {
			if (p->list.n == 0)
				return true;
			*sp = join_list(&p->list);
			if (*sp != NULL && p->list.n > 1 &&
			    !warn(c, "%s held %zu values where one was expected; joined with \", \"",
				  f->name, p->list.n))
				return false;
		} else {
			return true;
		}
		return *sp != NULL;
	case F_LIST:
		connector_list_free(lp);
		lp->present = true;
		if (p->type == CONNECTOR_RAW_LIST) {
			for (i = 0; i < p->list.n; i++)
				if (!connector_list_add(lp, p->list.v[i], strlen(p->list.v[i])))
					return false;
		} else if (p->type == CONNECTOR_RAW_STR) {
			if (p->s[0] != '\0' && !connector_list_add(lp, p->s, strlen(p->s)))
				return false;
		} else if (p->type == CONNECTOR_RAW_INT) {
			snprintf(num, sizeof num, "%lld", p->i);
			if (!connector_list_add(lp, num, strlen(num)))
				return false;
		} else if (p->type == CONNECTOR_RAW_BOOL) {
			lp->present = false;
			return warn(c, "%s is a boolean where a list was expected; ignored", f->name);
		}
		if (p->truncated)
			return warn(c, "%s was cut short by Format-List (\"...\"): only the first %zu "
				    "values are known; set $FormatEnumerationLimit = -1 and export "
				    "again, or use ConvertTo-Json -Depth 5", f->name, lp->n);
		return true;
	}
	return true;
}

static void connector_free_one(struct connector *c)
{
	size_t i;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (fields[i].t == F_STR || fields[i].t == F_ENUM)
			free(*(char **)((char *)c + fields[i].off));
		else if (fields[i].t == F_LIST)
			connector_list_free((struct connector_list *)((char *)c + fields[i].off));
	}
	connector_list_free(&c->warnings);
}

static void connector_init(struct connector *c, int line)
{
	size_t i;

	memset(c, 0, sizeof *c);
	c->line = line;
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i].t == F_BOOL)
			*(int *)((char *)c + fields[i].off) = -1;
}

/* Name the first few properties of a non-connector object, with a hint. */
static void describe_other(const struct connector_raw *r, char *buf, size_t len)
{
	size_t i, k = 0;
	int w;

	buf[0] = '\0';
	for (i = 0; i < r->n && i < 4 && k < len; i++) {
		w = snprintf(buf + k, len - k, "%s%s", i ? ", " : "", r->v[i].name);
		if (w > 0)
			k += (size_t)w;
	}
	if (r->n == 0)
		snprintf(buf, len, "no properties");
}

static bool map_records(const struct connector_rawset *rs, struct connector_set *out, char *err,
			size_t errlen)
{
	size_t i, j, f;

	if (rs->n == 0)
		return connector_fail(err, errlen, 1, "no objects found; " EXPECTED_FORMS);
	out->v = calloc(rs->n, sizeof *out->v);
	if (out->v == NULL)
		return connector_fail(err, errlen, 1, "out of memory");
	for (i = 0; i < rs->n; i++) {
		const struct connector_raw *r = &rs->v[i];
		struct connector *c = &out->v[i];
		char props[200];

		connector_init(c, r->line);
		out->n = i + 1;
		c->kind = identify(r, c->kind_why, sizeof c->kind_why);
		if (c->kind == CONNECTOR_UNKNOWN) {
			describe_other(r, props, sizeof props);
			return connector_fail(err, errlen, r->line,
					      "object %zu is not a connector (it has %s%s)%s; %s", i + 1,
					      props, r->n > 4 ? ", ..." : "",
					      has_prop(r, "RecipientTypeDetails") ||
						      has_prop(r, "PrimarySmtpAddress")
						  ? ": this looks like Get-Mailbox or "
						    "Get-Recipient output"
						  : "",
					      EXPECTED_FORMS);
		}
		for (j = 0; j < r->n; j++)
			for (f = 0; f < sizeof fields / sizeof fields[0]; f++)
				if (strcasecmp(r->v[j].name, fields[f].name) == 0 &&
				    !apply(c, &fields[f], &r->v[j]))
					return connector_fail(err, errlen, r->v[j].line,
							      "out of memory");
	}
	return true;
}

/* First line of t that is not blank, as [b, e). */
static const char *first_line(const char *t, const char **e, int *line)
{
	*line = 1;
	for (;;) {
		const char *nl = strchr(t, '\n');
		const char *p = t;

		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p != '\n' && *p != '\0') {
			*e = nl != NULL ? nl : t + strlen(t);
			return p;
		}
		if (nl == NULL) {
			*e = p;
			return p;
		}
		t = nl + 1;
		(*line)++;
	}
}

/* Replace *sp by its terminal-safe form (textutil.h). False on out of memory. */
static bool escape_in_place(char **sp)
{
	char *safe;

	if (*sp == NULL)
		return true;
	if ((safe = text_escape_controls(*sp, strlen(*sp))) == NULL)
		return false;
	free(*sp);
	*sp = safe;
	return true;
}

/*
 * Every string an export brings (property names, values, list items, type
 * names) made safe for a terminal before anything reads it, as the probes do
 * with what servers send: an ESC in a connector's name must not reach the
 * report or the wizard. Well-formed UTF-8 stays: a TlsCertificateName with
 * "O=Société" must still compare equal to the certificate file's subject.
 */
static bool escape_rawset(struct connector_rawset *rs, char *err, size_t errlen)
{
	for (size_t i = 0; i < rs->n; i++) {
		struct connector_raw *r = &rs->v[i];
		bool ok = escape_in_place(&r->type_name);

		for (size_t j = 0; ok && j < r->n; j++) {
			struct connector_rawprop *p = &r->v[j];

			ok = escape_in_place(&p->name) && escape_in_place(&p->s);
			for (size_t k = 0; ok && k < p->list.n; k++)
				ok = escape_in_place(&p->list.v[k]);
		}
		if (!ok)
			return connector_fail(err, errlen, r->line, "out of memory");
	}
	return true;
}

bool connector_parse(const unsigned char *buf, size_t len, struct connector_set *out, char *err,
		     size_t errlen)
{
	struct connector_rawset rs = { 0 };
	const char *enc = "UTF-8", *b, *e, *p;
	char *text = NULL, how[150] = "";
	size_t tlen;
	int line;
	bool ok = false;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (out == NULL)
		return connector_fail(err, errlen, 1, "no output set given");
	memset(out, 0, sizeof *out);
	if (buf == NULL && len > 0)
		return connector_fail(err, errlen, 1, "no input buffer given");
	if (len > CONNECTOR_MAX_FILE)
		return connector_fail(err, errlen, 1, "the export is %zu bytes, more than the %u "
				      "accepted", len, CONNECTOR_MAX_FILE);
	if (!decode_text(buf, len, &text, &tlen, &enc, err, errlen))
		return false;
	b = first_line(text, &e, &line);
	/* A second BOM (EF BB BF) after decoding is harmless. */
	if ((unsigned char)b[0] == 0xEF && (unsigned char)b[1] == 0xBB && (unsigned char)b[2] == 0xBF)
		b += 3;
	if (*b == '\0') {
		connector_fail(err, errlen, 1, "the file holds only blank space; " EXPECTED_FORMS);
		goto out;
	}
	if (*b == '{' || *b == '[') {
		out->format = "ConvertTo-Json";
		ok = connector_json_read(text, tlen, &rs, how, sizeof how, err, errlen);
	} else if (*b == '<') {
		out->format = "Export-Clixml";
		ok = connector_clixml_read(text, tlen, &rs, how, sizeof how, err, errlen);
	} else if (strncmp(b, "#TYPE", 5) == 0 ||
		   (*b == '"' && (p = strstr(b, "\",\"")) != NULL && p < e)) {
		connector_fail(err, errlen, line,
			       "this is a CSV (Export-Csv), whose multi-valued columns hold only a "
			       "type name; %s", EXPECTED_FORMS);
		goto out;
	} else {
		out->format = "Format-List";
		ok = connector_fl_read(text, tlen, &rs, how, sizeof how, err, errlen);
	}
	if (!ok || !(ok = escape_rawset(&rs, err, errlen)))
		goto out;
	ok = map_records(&rs, out, err, errlen);
	if (ok) {
		out->encoding = enc;
		snprintf(out->how, sizeof out->how, "%s; %s", enc, how);
	}
out:
	if (!ok) {
		connector_set_free(out);
		out->format = NULL;
	}
	connector_rawset_free(&rs);
	free(text);
	return ok;
}

bool connector_load_file(const char *path, struct connector_set *out, char *err, size_t errlen)
{
	unsigned char *buf;
	size_t n = 0, r;
	FILE *fp;
	bool ok;

	if (out != NULL)
		memset(out, 0, sizeof *out);
	if (path == NULL)
		return connector_fail(err, errlen, 0, "no file name given");
	fp = fopen(path, "rb");
	if (fp == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	buf = malloc(CONNECTOR_MAX_FILE + 1);
	if (buf == NULL) {
		fclose(fp);
		return connector_fail(err, errlen, 0, "out of memory");
	}
	while (n <= CONNECTOR_MAX_FILE &&
	       (r = fread(buf + n, 1, CONNECTOR_MAX_FILE + 1 - n, fp)) > 0)
		n += r;
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: read error", path);
		fclose(fp);
		free(buf);
		return false;
	}
	fclose(fp);
	if (n > CONNECTOR_MAX_FILE) {
		snprintf(err, errlen, "%s: larger than %u bytes; a connector export is far smaller",
			 path, CONNECTOR_MAX_FILE);
		free(buf);
		return false;
	}
	ok = connector_parse(buf, n, out, err, errlen);
	free(buf);
	return ok;
}

void connector_set_free(struct connector_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		connector_free_one(&s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

const char *connector_kind_name(enum connector_kind kind)
{
	switch (kind) {
	case CONNECTOR_EXO_INBOUND:
		return "EXO inbound";
	case CONNECTOR_EXO_OUTBOUND:
		return "EXO outbound";
	case CONNECTOR_ONPREM_SEND:
		return "on-premises Send";
	case CONNECTOR_ONPREM_RECEIVE:
		return "on-premises Receive";
	case CONNECTOR_UNKNOWN:
		break;
	}
	return "unknown";
}

/* ---- picking the hybrid connector ---- */

static bool is_guid(const char *s)
{
	int i;

	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return s[36] == '\0';
}

static bool name_is(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	return name != NULL && strncasecmp(name, prefix, n) == 0 && is_guid(name + n);
}

static bool ends_with_ci(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);

	return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static bool list_has_suffix(const struct connector_list *l, const char *suf)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		char tmp[300];
		char *semi;

		snprintf(tmp, sizeof tmp, "%s", l->v[i]);
		semi = strchr(tmp, ';');
		if (semi != NULL)
			*semi = '\0';
		if (ends_with_ci(tmp, suf))
			return true;
	}
	return false;
}

/* Hybrid score of c and the signs found, appended to why. */
static int hybrid_score(const struct connector *c, char *why, size_t len)
{
	int sc = 0;
	size_t k = 0;

#define SIGN(cond, pts, text)                                                                 \
	do {                                                                                  \
		if (cond) {                                                                   \
			int w_ = snprintf(why + k, k < len ? len - k : 0, "%s%s", k ? ", " : "", \
					  text);                                              \
			sc += (pts);                                                          \
			if (w_ > 0)                                                           \
				k += (size_t)w_;                                              \
		}                                                                             \
	} while (0)

	why[0] = '\0';
	switch (c->kind) {
	case CONNECTOR_EXO_INBOUND:
	case CONNECTOR_EXO_OUTBOUND:
		SIGN(c->connector_type != NULL && strcasecmp(c->connector_type, "OnPremises") == 0,
		     4, "ConnectorType OnPremises");
		SIGN(c->connector_source != NULL &&
			     strcasecmp(c->connector_source, "HybridWizard") == 0,
		     3, "ConnectorSource HybridWizard");
		SIGN(c->kind == CONNECTOR_EXO_INBOUND && name_is(c->name, "Inbound from "), 3,
		     "HCW name \"Inbound from <guid>\"");
		SIGN(c->kind == CONNECTOR_EXO_OUTBOUND && name_is(c->name, "Outbound to "), 3,
		     "HCW name \"Outbound to <guid>\"");
		SIGN(c->cloud_services_mail_enabled == 1 && sc > 0, 1,
		     "CloudServicesMailEnabled $true");
		break;
	case CONNECTOR_ONPREM_SEND:
		SIGN(name_is(c->name, "Outbound to Office 365 - "), 3,
		     "HCW name \"Outbound to Office 365 - <guid>\"");
		SIGN(c->name != NULL && !name_is(c->name, "Outbound to Office 365 - ") &&
			     (strncasecmp(c->name, "Outbound to Office 365", 22) == 0 ||
			      strncasecmp(c->name, "Outbound to Microsoft 365", 25) == 0),
		     2, "name \"Outbound to Office 365\"");
		SIGN(list_has_suffix(&c->address_spaces, ".mail.onmicrosoft.com"), 3,
		     "address space *.mail.onmicrosoft.com");
		SIGN(list_has_suffix(&c->smart_hosts, ".mail.protection.outlook.com"), 3,
		     "smart host *.mail.protection.outlook.com");
		SIGN(c->cloud_services_mail_enabled == 1, 1, "CloudServicesMailEnabled $true");
		break;
	case CONNECTOR_ONPREM_RECEIVE:
		SIGN(list_has_suffix(&c->tls_domain_capabilities, ":AcceptCloudServicesMail"), 4,
		     "TlsDomainCapabilities ...:AcceptCloudServicesMail");
		SIGN(sc > 0 && c->transport_role != NULL &&
			     strcasecmp(c->transport_role, "FrontendTransport") == 0,
		     1, "TransportRole FrontendTransport");
		break;
	case CONNECTOR_UNKNOWN:
		break;
	}
	SIGN(sc > 0 && c->enabled == 1, 1, "enabled");
#undef SIGN
	return sc;
}

const struct connector *connector_pick_hybrid(const struct connector_set *s,
					      enum connector_kind kind, char *why, size_t whylen)
{
	const struct connector *best = NULL;
	char signs[300], bestsigns[300] = "";
	int bestsc = 0, sc;
	size_t i, n = 0, ties = 0;
	char dummy[1];

	if (why == NULL || whylen == 0) {
		why = dummy;
		whylen = sizeof dummy;
	}
	for (i = 0; s != NULL && i < s->n; i++) {
		if (s->v[i].kind != kind)
			continue;
		n++;
		sc = hybrid_score(&s->v[i], signs, sizeof signs);
		if (sc > bestsc) {
			best = &s->v[i];
			bestsc = sc;
			ties = 0;
			snprintf(bestsigns, sizeof bestsigns, "%s", signs);
		} else if (sc == bestsc && sc > 0) {
			ties++;
		}
	}
	if (n == 0) {
		snprintf(why, whylen, "the export holds no %s connector", connector_kind_name(kind));
		return NULL;
	}
	if (best == NULL) {
		snprintf(why, whylen, "none of the %zu %s connector%s looks like the Hybrid "
			 "Configuration Wizard's (no OnPremises type, HybridWizard source or HCW name)",
			 n, connector_kind_name(kind), n == 1 ? "" : "s");
		return NULL;
	}
	char where[32] = "";

	/* Typed values have no line in a file. */
	if (best->line > 0)
		snprintf(where, sizeof where, " (line %d)", best->line);
	snprintf(why, whylen, "\"%s\"%s: %s%s%s", best->name ? best->name : "(no name)",
		 where, bestsigns, best->enabled == 0 ? "; but it is DISABLED" : "",
		 ties > 0 ? "; another connector scored the same, the first was taken"
		 : n > 1 ? "; the others carry fewer hybrid signs" : "");
	return best;
}

/* ---- IP addresses ---- */

struct ipaddr {
	int fam; /* 4 or 6 */
	unsigned char b[16];
};

/* Parse an address (brackets allowed); IPv4-mapped IPv6 becomes IPv4. */
static bool ip_parse(const char *s, size_t n, struct ipaddr *a)
{
	char buf[64];

	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']')
		s++, n -= 2;
	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	memset(a, 0, sizeof *a);
	if (inet_pton(AF_INET, buf, a->b) == 1) {
		a->fam = 4;
		return true;
	}
	if (inet_pton(AF_INET6, buf, a->b) == 1) {
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

		a->fam = 6;
		if (memcmp(a->b, mapped, 12) == 0) {
			memmove(a->b, a->b + 12, 4);
			memset(a->b + 4, 0, 12);
			a->fam = 4;
		}
		return true;
	}
	return false;
}

static bool prefix_match(const struct ipaddr *net, const struct ipaddr *ip, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;

	if (memcmp(net->b, ip->b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((net->b[full] ^ ip->b[full]) & (0xFF << (8 - rest)) & 0xFF) == 0;
}

/* Prefix from "24" or from a dotted IPv4 mask; -1 if invalid. */
static int parse_prefix(const char *s, int fam)
{
	struct ipaddr m;
	int bits = 0, i;
	bool zero = false;

	if (*s == '\0')
		return -1;
	if (strchr(s, '.') != NULL) {
		if (fam != 4 || !ip_parse(s, strlen(s), &m) || m.fam != 4)
			return -1;
		for (i = 0; i < 32; i++) {
			bool one = (m.b[i / 8] >> (7 - i % 8)) & 1;

			if (one && zero)
				return -1;
			if (one)
				bits++;
			else
				zero = true;
		}
		return bits;
	}
	for (i = 0; s[i] != '\0'; i++)
		if (!isdigit((unsigned char)s[i]) || i > 2)
			return -1;
	bits = atoi(s);
	return bits <= (fam == 4 ? 32 : 128) ? bits : -1;
}

/* Whether ip falls in entry (single, CIDR, mask or lo-hi range). */
static bool entry_match(const char *entry, const struct ipaddr *ip)
{
	struct ipaddr a, b;
	const char *dash = strchr(entry, '-'), *slash = strchr(entry, '/');
	int bits;

	if (dash != NULL && slash == NULL) {
		if (!ip_parse(entry, (size_t)(dash - entry), &a) ||
		    !ip_parse(dash + 1, strlen(dash + 1), &b) || a.fam != b.fam || a.fam != ip->fam)
			return false;
		return memcmp(a.b, ip->b, 16) <= 0 && memcmp(ip->b, b.b, 16) <= 0;
	}
	if (slash != NULL) {
		char pre[48];
		size_t i;

		if (!ip_parse(entry, (size_t)(slash - entry), &a))
			return false;
		snprintf(pre, sizeof pre, "%s", slash + 1);
		for (i = strlen(pre); i > 0 && isspace((unsigned char)pre[i - 1]); i--)
			pre[i - 1] = '\0';
		/* a mapped ::ffff:a.b.c.d/120 was turned into IPv4: take 96 off */
		if (a.fam == 4 && strchr(entry, ':') != NULL) {
			bits = parse_prefix(pre, 6);
			if (bits < 96)
				return false;
			bits -= 96;
		} else {
			bits = parse_prefix(pre, a.fam);
		}
		if (bits < 0 || a.fam != ip->fam)
			return false;
		return prefix_match(&a, ip, (unsigned)bits);
	}
	if (!ip_parse(entry, strlen(entry), &a) || a.fam != ip->fam)
		return false;
	return memcmp(a.b, ip->b, 16) == 0;
}

bool connector_ip_listed(const struct connector *c, const char *ip, char *matched, size_t len)
{
	const struct connector_list *l;
	struct ipaddr a;
	size_t i;

	if (matched != NULL && len > 0)
		matched[0] = '\0';
	if (c == NULL || ip == NULL || !ip_parse(ip, strlen(ip), &a))
		return false;
	switch (c->kind) {
	case CONNECTOR_EXO_INBOUND:
		l = &c->sender_ip_addresses;
		break;
	case CONNECTOR_ONPREM_RECEIVE:
		l = &c->remote_ip_ranges;
		break;
	default:
		l = &c->smart_hosts;
		break;
	}
	for (i = 0; i < l->n; i++) {
		if (entry_match(l->v[i], &a)) {
			if (matched != NULL && len > 0)
				snprintf(matched, len, "%s", l->v[i]);
			return true;
		}
	}
	return false;
}

static bool say(char *why, size_t len, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool say(char *why, size_t len, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && len > 0) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return ok;
}

bool connector_sender_ip_valid(const char *entry, char *why, size_t len)
{
	char buf[80];
	char *slash;
	struct ipaddr a;
	size_t n;
	int bits;

	if (entry == NULL)
		return say(why, len, false, "no entry");
	while (isspace((unsigned char)*entry))
		entry++;
	n = strlen(entry);
	while (n > 0 && isspace((unsigned char)entry[n - 1]))
		n--;
	if (n == 0)
		return say(why, len, false, "empty entry");
	if (n >= sizeof buf)
		return say(why, len, false, "too long to be an IPv4 address or CIDR");
	memcpy(buf, entry, n);
	buf[n] = '\0';
	if (strchr(buf, '-') != NULL && strchr(buf, ':') == NULL)
		return say(why, len, false, "\"%s\" is a range; SenderIPAddresses takes only a "
			   "single IPv4 address or CIDR /24 to /32 (the a-b range form is for "
			   "EFSkipIPs)", buf);
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash = '\0';
	if (!ip_parse(buf, strlen(buf), &a))
		return say(why, len, false, "\"%s\" is not an IPv4 address", buf);
	if (a.fam == 6 || strchr(buf, ':') != NULL)
		return say(why, len, false, "\"%s\" is IPv6; SenderIPAddresses does not support "
			   "IPv6", buf);
	if (slash == NULL)
		return say(why, len, true, "single IPv4 address");
	if (strchr(slash + 1, '.') != NULL)
		return say(why, len, false, "\"/%s\" is a subnet mask; write the prefix length "
			   "(/24 to /32)", slash + 1);
	bits = parse_prefix(slash + 1, 4);
	if (bits < 0)
		return say(why, len, false, "\"/%s\" is not a prefix length from 0 to 32",
			   slash + 1);
	if (bits < 24)
		return say(why, len, false, "prefix /%d is wider than /24; Exchange Online accepts "
			   "/24 to /32 only", bits);
	return say(why, len, true, "IPv4 CIDR /%d", bits);
}

/* ---- TlsCertificateName ---- */

bool tlscertname_parse(const char *s, char *issuer, size_t ilen, char *subject, size_t slen)
{
	const char *sep, *b, *end;
	size_t n;

	if (issuer != NULL && ilen > 0)
		issuer[0] = '\0';
	if (subject != NULL && slen > 0)
		subject[0] = '\0';
	if (s == NULL || issuer == NULL || subject == NULL)
		return false;
	while (isspace((unsigned char)*s))
		s++;
	if (strncasecmp(s, "<I>", 3) == 0)
		sep = "<S>";
	else if (strncasecmp(s, "[I]", 3) == 0)
		sep = "[S]";
	else
		return false;
	b = s + 3;
	/* the first separator: the issuer never holds "<S>" */
	for (end = b; *end != '\0' && strncasecmp(end, sep, 3) != 0; end++)
		;
	if (*end == '\0')
		return false;
	n = (size_t)(end - b);
	while (n > 0 && isspace((unsigned char)b[n - 1]))
		n--;
	if (n == 0 || n >= ilen)
		return false;
	memcpy(issuer, b, n);
	issuer[n] = '\0';
	b = end + 3;
	while (isspace((unsigned char)*b))
		b++;
	n = strlen(b);
	while (n > 0 && isspace((unsigned char)b[n - 1]))
		n--;
	if (n == 0 || n >= slen) {
		issuer[0] = '\0';
		return false;
	}
	memcpy(subject, b, n);
	subject[n] = '\0';
	return true;
}

/* ---- values typed by hand (the wizard, when there is no export) ---- */

bool connector_typed(struct connector_set *out, const char *sender_ips, const char *cert_name, char *err,
		     size_t errlen)
{
	struct connector *c;
	char *copy, *tok, *save = NULL;

	memset(out, 0, sizeof *out);
	if ((c = calloc(1, sizeof *c)) == NULL || (copy = strdup(sender_ips ? sender_ips : "")) == NULL) {
		free(c);
		snprintf(err, errlen, "out of memory");
		return false;
	}
	connector_init(c, 0);
	c->kind = CONNECTOR_EXO_INBOUND;
	snprintf(c->kind_why, sizeof c->kind_why, "typed as the inbound connector's values");
	c->name = strdup("typed in the wizard");
	/* Typed as the hybrid connector's values: that is the one it stands for. */
	c->connector_type = strdup("OnPremises");
	c->sender_ip_addresses.present = true;
	for (tok = strtok_r(copy, ", \t{}", &save); tok != NULL; tok = strtok_r(NULL, ", \t{}", &save)) {
		char **v = realloc(c->sender_ip_addresses.v, (c->sender_ip_addresses.n + 1) * sizeof *v);

		if (v == NULL || (v[c->sender_ip_addresses.n] = text_escape_controls(tok, strlen(tok))) == NULL) {
			if (v != NULL)
				c->sender_ip_addresses.v = v;
			break;
		}
		c->sender_ip_addresses.v = v;
		c->sender_ip_addresses.n++;
	}
	free(copy);
	if (cert_name != NULL && *cert_name != '\0')
		c->tls_sender_certificate_name = text_escape_controls(cert_name, strlen(cert_name));
	if (c->sender_ip_addresses.n == 0 && c->tls_sender_certificate_name == NULL) {
		connector_free_one(c);
		free(c);
		snprintf(err, errlen, "type at least one sender IP address or the certificate name");
		return false;
	}
	out->v = c;
	out->n = 1;
	out->format = "typed in the wizard";
	out->encoding = "UTF-8";
	snprintf(out->how, sizeof out->how, "the values were typed in the wizard");
	return true;
}

#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spf.h"
#include "textutil.h"

/* Every nesting level costs a counted lookup, so the limit stops it first. */
#define MAX_DEPTH (SPF_DNS_LOOKUP_MAX + 2)
/* Room for a macro expansion before it is cut down to SPF_NAME_MAX. */
#define EXPAND_MAX 2048
/* Most parts a macro value is split into ("%{i}" of IPv6 has 32). */
#define MACRO_PARTS_MAX 256

const char *spf_result_name(enum spf_result r)
{
	switch (r) {
	case SPF_NONE:
		return "none";
	case SPF_NEUTRAL:
		return "neutral";
	case SPF_PASS:
		return "pass";
	case SPF_FAIL:
		return "fail";
	case SPF_SOFTFAIL:
		return "softfail";
	case SPF_TEMPERROR:
		return "temperror";
	case SPF_PERMERROR:
		return "permerror";
	case SPF_NEED:
		return "need";
	}
	return "?";
}

bool spf_is_spf(const char *txt)
{
	return txt != NULL && strncasecmp(txt, "v=spf1", 6) == 0 && (txt[6] == ' ' || txt[6] == '\0');
}

/* ---- the parser ---- */

static const struct {
	const char *name;
	enum spf_kind kind;
} mechanisms[] = {
	{ "all", SPF_ALL },
	{ "include", SPF_INCLUDE },
	{ "a", SPF_A },
	{ "mx", SPF_MX },
	{ "ptr", SPF_PTR },
	{ "ip4", SPF_IP4 },
	{ "ip6", SPF_IP6 },
	{ "exists", SPF_EXISTS },
};

static bool is_delimiter(char c)
{
	return c != '\0' && strchr(".-+,/_=", c) != NULL;
}

/*
 * Length of the macro-expand at s (s[0] == '%') within n bytes, 0 if it is
 * not one. exp_letters allows c, r and t, which only explanations may use.
 */
static size_t macro_len(const char *s, size_t n, bool exp_letters)
{
	size_t i = 2;
	int digits = -1;
	char c;

	if (n < 2)
		return 0;
	if (s[1] == '%' || s[1] == '_' || s[1] == '-')
		return 2;
	if (s[1] != '{' || n < 4)
		return 0;
	c = (char)tolower((unsigned char)s[i++]);
	if (c == '\0' || (strchr("slodiphv", c) == NULL && !(exp_letters && strchr("crt", c) != NULL)))
		return 0;
	while (i < n && isdigit((unsigned char)s[i])) {
		if (digits < 0)
			digits = 0;
		if (digits < 1000)
			digits = digits * 10 + (s[i] - '0');
		i++;
	}
	if (digits == 0)
		return 0;	/* RFC 7208 7.3: the digit transformer must be nonzero */
	if (i < n && (s[i] == 'r' || s[i] == 'R'))
		i++;
	while (i < n && is_delimiter(s[i]))
		i++;
	if (i >= n || s[i] != '}')
		return 0;
	return i + 1;
}

/*
 * Is s[0..n) a macro-string (RFC 7208 7.1)? Sets *has_macro if it holds a
 * macro-expand and *ends_macro if its last token is one.
 */
static bool macro_string_ok(const char *s, size_t n, bool exp_letters, bool *has_macro,
    bool *ends_macro)
{
	size_t i = 0;

	*has_macro = *ends_macro = false;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			size_t m = macro_len(s + i, n - i, exp_letters);

			if (m == 0)
				return false;
			*has_macro = *ends_macro = true;
			i += m;
			continue;
		}
		if (c < 0x21 || c > 0x7e)
			return false;
		*ends_macro = false;
		i++;
	}
	return true;
}

/* RFC 7208 toplabel: alphanumerics with a letter, or with inner hyphens. */
static bool toplabel_ok(const char *s, size_t n)
{
	bool alpha = false, hyphen = false;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '-')
			hyphen = true;
		else if (isalpha(c))
			alpha = true;
		else if (!isdigit(c))
			return false;
	}
	if (hyphen)
		return isalnum((unsigned char)s[0]) && isalnum((unsigned char)s[n - 1]);
	return alpha;
}

/* Is s[0..n) a domain-spec: a macro-string ending in a macro or "." toplabel ["."]? */
static bool domain_spec_ok(const char *s, size_t n, bool *has_macro)
{
	bool ends_macro;
	size_t dot;

	if (n == 0 || !macro_string_ok(s, n, false, has_macro, &ends_macro))
		return false;
	if (ends_macro)
		return true;
	if (s[n - 1] == '.')
		n--;
	for (dot = n; dot > 0 && s[dot - 1] != '.'; dot--)
		;
	if (dot == 0)
		return false;
	return toplabel_ok(s + dot, n - dot);
}

/* A CIDR length s[0..n): digits without a leading zero, at most max; -1 if not. */
static int cidr_value(const char *s, size_t n, int max)
{
	int v = 0;

	if (n == 0 || n > 3 || (s[0] == '0' && n > 1))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v > max ? -1 : v;
}

/* Take a trailing dual-cidr-length ("/24", "//64", "/24//64") off s[0..*n). */
static bool strip_dual_cidr(const char *s, size_t *n, int *c4, int *c6)
{
	size_t e = *n, d = e;

	while (d > 0 && isdigit((unsigned char)s[d - 1]))
		d--;
	if (d < e && d >= 2 && s[d - 1] == '/' && s[d - 2] == '/') {
		if ((*c6 = cidr_value(s + d, e - d, 128)) < 0)
			return false;
		e = d - 2;
		for (d = e; d > 0 && isdigit((unsigned char)s[d - 1]); d--)
			;
	}
	if (d < e && d >= 1 && s[d - 1] == '/' && !(d >= 2 && s[d - 2] == '/')) {
		if ((*c4 = cidr_value(s + d, e - d, 32)) < 0)
			return false;
		e = d - 1;
	}
	*n = e;
	return true;
}

/* ip4:network[/len] or ip6:network[/len]; rest starts after the mechanism name.
 * False on a syntax error; t->spec is NULL afterwards if out of memory. */
static bool parse_ip(struct spf_term *t, const char *rest, size_t n)
{
	int af = t->kind == SPF_IP4 ? AF_INET : AF_INET6;
	int max = t->kind == SPF_IP4 ? 32 : 128;
	const char *slash;
	char addr[INET6_ADDRSTRLEN];
	size_t alen;

	if (n < 2 || rest[0] != ':')
		return false;
	rest++;
	n--;
	slash = memchr(rest, '/', n);
	alen = slash != NULL ? (size_t)(slash - rest) : n;
	if (alen == 0 || alen >= sizeof addr)
		return false;
	memcpy(addr, rest, alen);
	addr[alen] = '\0';
	if (inet_pton(af, addr, t->net) != 1)
		return false;
	if (slash != NULL) {
		int v = cidr_value(slash + 1, n - alen - 1, max);

		if (v < 0)
			return false;
		if (af == AF_INET)
			t->cidr4 = v;
		else
			t->cidr6 = v;
	}
	t->spec = strndup(rest, alen);
	return true;	/* the caller checks the allocation */
}

/* The mechanism part of a term (after its qualifier); false on a syntax error. */
static bool parse_mechanism(struct spf_term *t, const char *s, size_t n, char *err, size_t errlen)
{
	size_t k = 0, rn;
	const char *rest;
	bool found = false;

	while (k < n && isalnum((unsigned char)s[k]))
		k++;
	for (size_t i = 0; i < sizeof mechanisms / sizeof mechanisms[0]; i++) {
		if (strlen(mechanisms[i].name) == k && strncasecmp(s, mechanisms[i].name, k) == 0) {
			t->kind = mechanisms[i].kind;
			found = true;
			break;
		}
	}
	if (!found) {
		text_seterr(err, errlen, "unknown mechanism in term \"%s\"", t->text);
		return false;
	}
	rest = s + k;
	rn = n - k;
	switch (t->kind) {
	case SPF_ALL:
		if (rn == 0)
			return true;
		break;
	case SPF_INCLUDE:
	case SPF_EXISTS:
		if (rn >= 2 && rest[0] == ':' && domain_spec_ok(rest + 1, rn - 1, &t->macro)) {
			t->spec = strndup(rest + 1, rn - 1);
			goto alloc;
		}
		break;
	case SPF_A:
	case SPF_MX:
		if (!strip_dual_cidr(rest, &rn, &t->cidr4, &t->cidr6)) {
			text_seterr(err, errlen, "invalid CIDR length in term \"%s\"", t->text);
			return false;
		}
		/* fall through */
	case SPF_PTR:
		if (rn == 0)
			return true;
		if (rn >= 2 && rest[0] == ':' && domain_spec_ok(rest + 1, rn - 1, &t->macro)) {
			t->spec = strndup(rest + 1, rn - 1);
			goto alloc;
		}
		break;
	case SPF_IP4:
	case SPF_IP6:
		if (!parse_ip(t, rest, rn))
			break;
		goto alloc;
	default:
		break;
	}
	text_seterr(err, errlen, "invalid term \"%s\"", t->text);
	return false;
alloc:
	if (t->spec != NULL)
		return true;
	text_seterr(err, errlen, "out of memory");
	return false;
}

/* Parse s[0..n) into the next term of r; false with err set on a syntax error. */
static bool parse_term(struct spf_record *r, const char *s, size_t n, char *err, size_t errlen)
{
	struct spf_term *t = &r->terms[r->nterms];
	size_t k = 0;

	memset(t, 0, sizeof *t);
	t->cidr4 = t->cidr6 = -1;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x21 || c > 0x7e) {
			text_seterr(err, errlen, "term %zu has an invalid character (0x%02x)", r->nterms + 1, c);
			return false;
		}
	}
	if ((t->text = strndup(s, n)) == NULL) {
		text_seterr(err, errlen, "out of memory");
		return false;
	}
	r->nterms++;	/* from here on spf_record_free() releases it */

	/* A modifier is name=value; a mechanism never has '=' right after its name. */
	if (isalpha((unsigned char)s[0])) {
		for (k = 1; k < n && (isalnum((unsigned char)s[k]) || s[k] == '-' || s[k] == '_' ||
		    s[k] == '.'); k++)
			;
	}
	if (k > 0 && k < n && s[k] == '=') {
		const char *v = s + k + 1;
		size_t vn = n - k - 1;
		bool ends_macro, ok;

		t->qual = SPF_QUAL_NONE;
		if (k == 8 && strncasecmp(s, "redirect", 8) == 0) {
			t->kind = SPF_REDIRECT;
			if (r->redirect >= 0) {
				text_seterr(err, errlen, "more than one redirect= modifier (\"%s\")", t->text);
				return false;
			}
			r->redirect = (int)(r->nterms - 1);
			ok = domain_spec_ok(v, vn, &t->macro);
		} else if (k == 3 && strncasecmp(s, "exp", 3) == 0) {
			t->kind = SPF_EXP;
			if (r->exp >= 0) {
				text_seterr(err, errlen, "more than one exp= modifier (\"%s\")", t->text);
				return false;
			}
			r->exp = (int)(r->nterms - 1);
			ok = domain_spec_ok(v, vn, &t->macro);
		} else {
			t->kind = SPF_UNKNOWN_MOD;
			ok = macro_string_ok(v, vn, true, &t->macro, &ends_macro);
		}
		if (!ok) {
			text_seterr(err, errlen, "invalid value in modifier \"%s\"", t->text);
			return false;
		}
		t->name = strndup(s, k);
		t->spec = strndup(v, vn);
		if (t->name == NULL || t->spec == NULL) {
			text_seterr(err, errlen, "out of memory");
			return false;
		}
		return true;
	}

	t->qual = SPF_QUAL_PASS;
	if (strchr("+-~?", s[0]) != NULL) {
		t->qual = (enum spf_qualifier)s[0];
		s++;
		n--;
	}
	return parse_mechanism(t, s, n, err, errlen);
}

bool spf_parse(const char *txt, struct spf_record *out, char *err, size_t errlen)
{
	const char *p;
	size_t len;

	memset(out, 0, sizeof *out);
	out->redirect = out->exp = -1;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (txt == NULL) {
		text_seterr(err, errlen, "no record");
		return false;
	}
	len = strnlen(txt, SPF_RECORD_MAX + 1);
	if (len > SPF_RECORD_MAX) {
		text_seterr(err, errlen, "the record is longer than %d bytes", SPF_RECORD_MAX);
		return false;
	}
	if (!spf_is_spf(txt)) {
		text_seterr(err, errlen, "not an SPF record: it must start with \"v=spf1\"");
		return false;
	}
	if ((out->terms = calloc(SPF_TERMS_MAX, sizeof *out->terms)) == NULL) {
		text_seterr(err, errlen, "out of memory");
		return false;
	}
	p = txt + 6;
	for (;;) {
		const char *q;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (q = p; *q != '\0' && *q != ' '; q++)
			;
		if (out->nterms == SPF_TERMS_MAX) {
			text_seterr(err, errlen, "the record has more than %d terms", SPF_TERMS_MAX);
			spf_record_free(out);
			return false;
		}
		if (!parse_term(out, p, (size_t)(q - p), err, errlen)) {
			spf_record_free(out);
			return false;
		}
		p = q;
	}
	return true;
}

void spf_record_free(struct spf_record *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nterms; i++) {
		free(r->terms[i].text);
		free(r->terms[i].name);
		free(r->terms[i].spec);
	}
	free(r->terms);
	memset(r, 0, sizeof *r);
	r->redirect = r->exp = -1;
}

bool spf_includes(const struct spf_record *r, const char *domain)
{
	size_t dn;

	if (r == NULL || domain == NULL)
		return false;
	dn = strlen(domain);
	if (dn > 0 && domain[dn - 1] == '.')
		dn--;
	for (size_t i = 0; i < r->nterms; i++) {
		const struct spf_term *t = &r->terms[i];
		size_t sn;

		if (t->kind != SPF_INCLUDE || t->spec == NULL)
			continue;
		sn = strlen(t->spec);
		if (sn > 0 && t->spec[sn - 1] == '.')
			sn--;
		if (sn == dn && strncasecmp(t->spec, domain, dn) == 0)
			return true;
	}
	return false;
}

enum spf_qualifier spf_all_qualifier(const struct spf_record *r)
{
	if (r == NULL)
		return SPF_QUAL_NONE;
	for (size_t i = 0; i < r->nterms; i++)
		if (r->terms[i].kind == SPF_ALL)
			return r->terms[i].qual;
	return SPF_QUAL_NONE;
}

bool spf_has_plus_all(const struct spf_record *r)
{
	return spf_all_qualifier(r) == SPF_QUAL_PASS;
}

/* ---- the evaluator ---- */

/* One evaluation: the client, the sender and where results go. */
struct ev {
	const struct spf_ctx *ctx;
	struct spf_outcome *out;
	int family;			/* 4 or 6 */
	unsigned char ip[16];
	char *need_name;
	size_t need_len;
	uint16_t *need_type;
	char s_local[256];		/* %{l} */
	char s_domain[SPF_NAME_MAX + 1];	/* %{o} */
	char helo[SPF_NAME_MAX + 1];	/* %{h} */
};

static const char *type_name(uint16_t type)
{
	switch (type) {
	case SPF_T_A:
		return "A";
	case SPF_T_MX:
		return "MX";
	case SPF_T_TXT:
		return "TXT";
	case SPF_T_AAAA:
		return "AAAA";
	}
	return "?";
}

/*
 * Lowercase name into buf (at least SPF_NAME_MAX + 1 bytes) without a
 * trailing dot; false if it is not a valid DNS name.
 */
static bool norm_name(const char *name, char *buf, size_t buflen)
{
	size_t n = strlen(name), label = 0;

	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0 || n > SPF_NAME_MAX || n >= buflen)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
		} else if (++label > 63 || c <= 0x20 || c >= 0x7f) {
			return false;
		}
		buf[i] = (char)tolower(c);
	}
	buf[n] = '\0';
	return true;
}

/*
 * Ask the caller's table for name/type. Returns 1 with the answers in *v and
 * *n, 0 when there are none, -1 to stop with *stop (SPF_NEED, SPF_TEMPERROR).
 */
static int ask(struct ev *e, const char *name, uint16_t type, const char ***v, size_t *n,
    enum spf_result *stop)
{
	const char **vals = NULL;
	size_t cnt = 0;

	switch (e->ctx->lookup(e->ctx->arg, name, type, &vals, &cnt)) {
	case SPF_DNS_FOUND:
		if (vals == NULL || cnt == 0)
			return 0;
		*v = vals;
		*n = cnt;
		return 1;
	case SPF_DNS_NONE:
		return 0;
	case SPF_DNS_UNKNOWN:
		snprintf(e->need_name, e->need_len, "%s", name);
		*e->need_type = type;
		*stop = SPF_NEED;
		return -1;
	default:
		text_seterr(e->out->error, sizeof e->out->error, "DNS error looking up %s %s",
		    type_name(type), name);
		*stop = SPF_TEMPERROR;
		return -1;
	}
}

/* Count a DNS-querying term; false with the permerror reason past the limit. */
static bool count_lookup(struct ev *e, const struct spf_term *t, const char *domain)
{
	if (++e->out->lookups <= SPF_DNS_LOOKUP_MAX)
		return true;
	text_seterr(e->out->error, sizeof e->out->error,
	    "too many DNS lookups: \"%s\" in %s is number %d, the limit is %d",
	    t->text, domain, e->out->lookups, SPF_DNS_LOOKUP_MAX);
	return false;
}

/* Count a term whose lookup found nothing; false with the permerror reason past the limit. */
static bool count_void(struct ev *e, const struct spf_term *t, const char *name)
{
	if (++e->out->void_lookups <= SPF_VOID_LOOKUP_MAX)
		return true;
	text_seterr(e->out->error, sizeof e->out->error,
	    "too many void lookups: \"%s\" (%s) is number %d without an answer, the limit is %d",
	    t->text, name, e->out->void_lookups, SPF_VOID_LOOKUP_MAX);
	return false;
}

/* Does the client address fall in net/prefix of this family? */
static bool in_net(const struct ev *e, int family, const unsigned char *net, int prefix)
{
	int full = prefix / 8, rem = prefix % 8;

	if (family != e->family)
		return false;
	if (memcmp(e->ip, net, (size_t)full) != 0)
		return false;
	if (rem != 0) {
		unsigned char mask = (unsigned char)(0xff << (8 - rem));

		return (e->ip[full] & mask) == (net[full] & mask);
	}
	return true;
}

/* Does any of the numeric addresses v[0..n) put the client in its prefix? */
static bool any_addr_in(const struct ev *e, const char **v, size_t n, int cidr4, int cidr6)
{
	unsigned char a[16];

	for (size_t i = 0; i < n; i++) {
		if (v[i] == NULL)
			continue;
		if (e->family == 4 && inet_pton(AF_INET, v[i], a) == 1 &&
		    in_net(e, 4, a, cidr4 < 0 ? 32 : cidr4))
			return true;
		if (e->family == 6 && inet_pton(AF_INET6, v[i], a) == 1 &&
		    in_net(e, 6, a, cidr6 < 0 ? 128 : cidr6))
			return true;
	}
	return false;
}

/* Append s[0..n) to buf at *o, URL-escaping when asked; false if it does not fit. */
static bool put(char *buf, size_t buflen, size_t *o, const char *s, size_t n, bool escape)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (escape && !isalnum(c) && c != '-' && c != '.' && c != '_' && c != '~') {
			if (*o + 3 >= buflen)
				return false;
			buf[(*o)++] = '%';
			buf[(*o)++] = hex[c >> 4];
			buf[(*o)++] = hex[c & 15];
			continue;
		}
		if (*o + 1 >= buflen)
			return false;
		buf[(*o)++] = (char)c;
	}
	buf[*o] = '\0';
	return true;
}

/* The value of macro letter c (lowercase) while evaluating domain. */
static void macro_value(const struct ev *e, char c, const char *domain, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	switch (c) {
	case 's':
		snprintf(buf, len, "%s@%s", e->s_local, e->s_domain);
		break;
	case 'l':
		snprintf(buf, len, "%s", e->s_local);
		break;
	case 'o':
		snprintf(buf, len, "%s", e->s_domain);
		break;
	case 'd':
		snprintf(buf, len, "%s", domain);
		break;
	case 'i':
		if (e->family == 4) {
			snprintf(buf, len, "%u.%u.%u.%u", e->ip[0], e->ip[1], e->ip[2], e->ip[3]);
		} else {
			/* RFC 7208 7.3: dot-separated nibbles, most significant first */
			size_t o = 0;

			for (int i = 0; i < 16 && o + 4 <= len; i++) {
				buf[o++] = hex[e->ip[i] >> 4];
				buf[o++] = '.';
				buf[o++] = hex[e->ip[i] & 15];
				buf[o++] = '.';
			}
			buf[o > 0 ? o - 1 : 0] = '\0';	/* the last dot */
		}
		break;
	case 'p':
		snprintf(buf, len, "unknown");	/* no PTR validation here */
		break;
	case 'v':
		snprintf(buf, len, "%s", e->family == 4 ? "in-addr" : "ip6");
		break;
	case 'h':
		snprintf(buf, len, "%s", e->helo);
		break;
	default:
		buf[0] = '\0';
		break;
	}
}

/*
 * Expand one %{...} at *pp (just after "%{") into buf at *o: split the value
 * on the delimiters, reverse it for r, keep the rightmost N parts for a
 * digit N, join with dots, URL-escape for a capital letter.
 */
static bool expand_one(const struct ev *e, const char **pp, const char *domain, char *buf,
    size_t buflen, size_t *o)
{
	const char *p = *pp;
	char letter = *p++, delims[8] = "", val[EXPAND_MAX];
	const char *part[MACRO_PARTS_MAX];
	size_t plen[MACRO_PARTS_MAX], np = 0, nd = 0, keep, start;
	bool escape = isupper((unsigned char)letter), reverse = false, digits = false;
	int ndigits = 0;

	while (isdigit((unsigned char)*p)) {
		digits = true;
		if (ndigits < 1000)
			ndigits = ndigits * 10 + (*p - '0');
		p++;
	}
	if (*p == 'r' || *p == 'R') {
		reverse = true;
		p++;
	}
	while (is_delimiter(*p)) {
		if (strchr(delims, *p) == NULL && nd < sizeof delims - 1) {
			delims[nd++] = *p;
			delims[nd] = '\0';
		}
		p++;
	}
	if (*p != '}' || (digits && ndigits == 0))
		return false;
	*pp = p + 1;
	if (nd == 0)
		strcpy(delims, ".");

	macro_value(e, (char)tolower((unsigned char)letter), domain, val, sizeof val);
	for (const char *s = val;;) {
		size_t n = strcspn(s, delims);

		if (np == MACRO_PARTS_MAX)
			return false;
		part[np] = s;
		plen[np++] = n;
		if (s[n] == '\0')
			break;
		s += n + 1;
	}
	keep = digits && (size_t)ndigits < np ? (size_t)ndigits : np;
	start = np - keep;
	for (size_t k = start; k < np; k++) {
		size_t idx = reverse ? np - 1 - k : k;

		if (k > start && !put(buf, buflen, o, ".", 1, false))
			return false;
		if (!put(buf, buflen, o, part[idx], plen[idx], escape))
			return false;
	}
	return true;
}

/* Expand the macros of spec (RFC 7208 7.3) for domain into buf; false if it does not fit. */
static bool expand(const struct ev *e, const char *spec, const char *domain, char *buf,
    size_t buflen)
{
	size_t o = 0;
	const char *p = spec;

	buf[0] = '\0';
	while (*p != '\0') {
		if (*p != '%') {
			if (!put(buf, buflen, &o, p++, 1, false))
				return false;
			continue;
		}
		switch (p[1]) {
		case '%':
			if (!put(buf, buflen, &o, "%", 1, false))
				return false;
			p += 2;
			break;
		case '_':
			if (!put(buf, buflen, &o, " ", 1, false))
				return false;
			p += 2;
			break;
		case '-':
			if (!put(buf, buflen, &o, "%20", 3, false))
				return false;
			p += 2;
			break;
		case '{':
			p += 2;
			if (!expand_one(e, &p, domain, buf, buflen, &o))
				return false;
			break;
		default:
			return false;	/* the parser lets nothing else through */
		}
	}
	return true;
}

/*
 * The name term t points at, for the record of domain: its domain-spec
 * expanded (cut from the left to SPF_NAME_MAX, RFC 7208 7.3), or domain.
 * False with the permerror reason if that is no valid name.
 */
static bool target_name(struct ev *e, const struct spf_term *t, const char *domain, char *name,
    size_t namelen)
{
	char buf[EXPAND_MAX];
	const char *src = domain;

	if (t->spec != NULL) {
		size_t n;
		char *s = buf;

		if (!expand(e, t->spec, domain, buf, sizeof buf)) {
			text_seterr(e->out->error, sizeof e->out->error,
			    "the macros of \"%s\" in %s cannot be expanded", t->text, domain);
			return false;
		}
		n = strlen(buf);
		if (n > 0 && buf[n - 1] == '.')
			buf[--n] = '\0';
		while (n > SPF_NAME_MAX) {
			char *dot = strchr(s, '.');

			if (dot == NULL)
				break;
			n -= (size_t)(dot + 1 - s);
			s = dot + 1;
		}
		src = s;
	}
	if (!norm_name(src, name, namelen)) {
		text_seterr(e->out->error, sizeof e->out->error,
		    "\"%s\" in %s names an invalid domain \"%.80s\"", t->text, domain, src);
		return false;
	}
	return true;
}

static enum spf_result check_host(struct ev *e, const char *domain, int depth);

/* 1 if the mechanism matches, 0 if not, -1 to stop with *stop. */
static int mech_include(struct ev *e, const struct spf_term *t, const char *domain, int depth,
    enum spf_result *stop)
{
	char name[SPF_NAME_MAX + 1];
	enum spf_result r;

	if (!count_lookup(e, t, domain) || !target_name(e, t, domain, name, sizeof name))
		return -1;
	r = check_host(e, name, depth + 1);
	switch (r) {
	case SPF_PASS:
		return 1;
	case SPF_FAIL:
	case SPF_SOFTFAIL:
	case SPF_NEUTRAL:
		e->out->via[0] = '\0';
		return 0;
	case SPF_NONE:
		text_seterr(e->out->error, sizeof e->out->error,
		    "\"%s\" in %s: %s has no SPF record", t->text, domain, name);
		return -1;
	default:
		*stop = r;
		return -1;
	}
}

/* a and exists: the addresses of the target name. */
static int mech_a(struct ev *e, const struct spf_term *t, const char *domain,
    enum spf_result *stop)
{
	char name[SPF_NAME_MAX + 1];
	uint16_t type = t->kind == SPF_EXISTS || e->family == 4 ? SPF_T_A : SPF_T_AAAA;
	const char **v = NULL;
	size_t n = 0;
	int k;

	if (!count_lookup(e, t, domain) || !target_name(e, t, domain, name, sizeof name))
		return -1;
	if ((k = ask(e, name, type, &v, &n, stop)) < 0)
		return -1;
	if (k == 0)
		return count_void(e, t, name) ? 0 : -1;
	if (t->kind == SPF_EXISTS)
		return 1;
	return any_addr_in(e, v, n, t->cidr4, t->cidr6) ? 1 : 0;
}

static int mech_mx(struct ev *e, const struct spf_term *t, const char *domain,
    enum spf_result *stop)
{
	char name[SPF_NAME_MAX + 1];
	uint16_t type = e->family == 4 ? SPF_T_A : SPF_T_AAAA;
	const char **mx = NULL;
	size_t nmx = 0;
	int k;

	if (!count_lookup(e, t, domain) || !target_name(e, t, domain, name, sizeof name))
		return -1;
	if ((k = ask(e, name, SPF_T_MX, &mx, &nmx, stop)) < 0)
		return -1;
	if (k == 0)
		return count_void(e, t, name) ? 0 : -1;
	if (nmx > SPF_MX_NAMES_MAX) {
		text_seterr(e->out->error, sizeof e->out->error,
		    "\"%s\" in %s: %s has %zu MX records, more than the %d an SPF check may look up",
		    t->text, domain, name, nmx, SPF_MX_NAMES_MAX);
		return -1;
	}
	for (size_t i = 0; i < nmx; i++) {
		char host[SPF_NAME_MAX + 1];
		const char **v = NULL;
		size_t n = 0;

		/* skip a null MX (".", RFC 7505) and anything that is no name */
		if (mx[i] == NULL || !norm_name(mx[i], host, sizeof host))
			continue;
		if ((k = ask(e, host, type, &v, &n, stop)) < 0)
			return -1;
		if (k > 0 && any_addr_in(e, v, n, t->cidr4, t->cidr6))
			return 1;
	}
	return 0;
}

static enum spf_result qualifier_result(enum spf_qualifier q)
{
	switch (q) {
	case SPF_QUAL_FAIL:
		return SPF_FAIL;
	case SPF_QUAL_SOFTFAIL:
		return SPF_SOFTFAIL;
	case SPF_QUAL_NEUTRAL:
		return SPF_NEUTRAL;
	default:
		return SPF_PASS;
	}
}

/* Evaluate the terms of rec, the record of domain (RFC 7208 4.6 and 6.1). */
static enum spf_result eval_record(struct ev *e, const struct spf_record *rec,
    const char *domain, int depth)
{
	char name[SPF_NAME_MAX + 1];
	const struct spf_term *t;
	enum spf_result r;

	for (size_t i = 0; i < rec->nterms; i++) {
		enum spf_result stop = SPF_PERMERROR;
		int m;

		t = &rec->terms[i];
		switch (t->kind) {
		case SPF_ALL:
			m = 1;
			break;
		case SPF_IP4:
			m = in_net(e, 4, t->net, t->cidr4 < 0 ? 32 : t->cidr4);
			break;
		case SPF_IP6:
			m = in_net(e, 6, t->net, t->cidr6 < 0 ? 128 : t->cidr6);
			break;
		case SPF_A:
		case SPF_EXISTS:
			m = mech_a(e, t, domain, &stop);
			break;
		case SPF_MX:
			m = mech_mx(e, t, domain, &stop);
			break;
		case SPF_PTR:
			if (!count_lookup(e, t, domain))
				return SPF_PERMERROR;
			text_seterr(e->out->note, sizeof e->out->note,
			    "\"%s\" in %s not evaluated: ptr is deprecated (RFC 7208 5.5) and "
			    "counted as not matching", t->text, domain);
			m = 0;
			break;
		case SPF_INCLUDE:
			m = mech_include(e, t, domain, depth, &stop);
			break;
		default:
			continue;	/* modifiers */
		}
		if (m < 0)
			return stop;
		if (m == 0)
			continue;
		if (depth == 0)
			snprintf(e->out->matched, sizeof e->out->matched, "%s", t->text);
		if (t->kind != SPF_INCLUDE) {
			if (depth == 0)
				e->out->via[0] = '\0';
			else
				snprintf(e->out->via, sizeof e->out->via, "%s in %s", t->text, domain);
		}
		return qualifier_result(t->qual);
	}
	if (rec->redirect < 0)
		return SPF_NEUTRAL;

	/* RFC 7208 6.1: no mechanism matched, so the redirect's record decides */
	t = &rec->terms[rec->redirect];
	if (!count_lookup(e, t, domain) || !target_name(e, t, domain, name, sizeof name))
		return SPF_PERMERROR;
	r = check_host(e, name, depth + 1);
	if (r == SPF_NONE) {
		text_seterr(e->out->error, sizeof e->out->error, "\"%s\" in %s: %s has no SPF record",
		    t->text, domain, name);
		return SPF_PERMERROR;
	}
	if (depth == 0)
		snprintf(e->out->matched, sizeof e->out->matched, "%s", t->text);
	return r;
}

/* RFC 7208 4: find the one SPF record of domain and evaluate it. */
static enum spf_result check_host(struct ev *e, const char *domain, int depth)
{
	const char **v = NULL, *txt = NULL;
	size_t n = 0;
	int nspf = 0, k;
	enum spf_result r = SPF_PERMERROR;
	struct spf_record rec;
	char perr[160];

	if (depth > MAX_DEPTH) {
		text_seterr(e->out->error, sizeof e->out->error, "includes nested too deep at %s", domain);
		return SPF_PERMERROR;
	}
	if (strchr(domain, '.') == NULL) {
		text_seterr(e->out->error, sizeof e->out->error, "%s is not a multi-label domain name",
		    domain);
		return SPF_NONE;
	}
	if ((k = ask(e, domain, SPF_T_TXT, &v, &n, &r)) < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		if (spf_is_spf(v[i])) {
			if (nspf++ == 0)
				txt = v[i];
		}
	}
	if (nspf == 0) {
		text_seterr(e->out->error, sizeof e->out->error, "no SPF record at %s", domain);
		return SPF_NONE;
	}
	if (nspf > 1) {
		text_seterr(e->out->error, sizeof e->out->error,
		    "%s has %d SPF records; RFC 7208 allows one", domain, nspf);
		return SPF_PERMERROR;
	}
	if (!spf_parse(txt, &rec, perr, sizeof perr)) {
		text_seterr(e->out->error, sizeof e->out->error, "SPF record of %s: %s", domain, perr);
		return SPF_PERMERROR;
	}
	r = eval_record(e, &rec, domain, depth);
	spf_record_free(&rec);
	return r;
}

/* Split the sender into %{l} and %{o}: postmaster@domain when there is none. */
static void set_sender(struct ev *e, const char *sender, const char *domain)
{
	const char *at = sender != NULL ? strrchr(sender, '@') : NULL;

	snprintf(e->s_local, sizeof e->s_local, "postmaster");
	snprintf(e->s_domain, sizeof e->s_domain, "%s", domain);
	if (sender == NULL || sender[0] == '\0')
		return;
	if (at == NULL) {
		snprintf(e->s_domain, sizeof e->s_domain, "%s", sender);
		return;
	}
	if (at > sender)
		snprintf(e->s_local, sizeof e->s_local, "%.*s", (int)(at - sender), sender);
	if (at[1] != '\0')
		snprintf(e->s_domain, sizeof e->s_domain, "%s", at + 1);
}

enum spf_result spf_eval(const struct spf_ctx *ctx, char *need_name, size_t need_len,
    uint16_t *need_type)
{
	struct spf_outcome local;
	struct spf_outcome *out = ctx != NULL && ctx->out != NULL ? ctx->out : &local;
	char domain[SPF_NAME_MAX + 1];
	struct in6_addr a6;
	struct ev e;
	enum spf_result r;

	memset(out, 0, sizeof *out);
	if (need_name != NULL && need_len > 0)
		need_name[0] = '\0';
	if (need_type != NULL)
		*need_type = 0;
	if (ctx == NULL || ctx->lookup == NULL || ctx->ip == NULL || need_name == NULL ||
	    need_type == NULL || need_len <= SPF_NAME_MAX) {
		text_seterr(out->error, sizeof out->error, "spf_eval: invalid arguments");
		return out->r = SPF_PERMERROR;
	}

	memset(&e, 0, sizeof e);
	e.ctx = ctx;
	e.out = out;
	e.need_name = need_name;
	e.need_len = need_len;
	e.need_type = need_type;
	if (inet_pton(AF_INET, ctx->ip, e.ip) == 1) {
		e.family = 4;
	} else if (inet_pton(AF_INET6, ctx->ip, &a6) == 1) {
		if (IN6_IS_ADDR_V4MAPPED(&a6)) {
			e.family = 4;
			memcpy(e.ip, &a6.s6_addr[12], 4);
		} else {
			e.family = 6;
			memcpy(e.ip, a6.s6_addr, 16);
		}
	} else {
		text_seterr(out->error, sizeof out->error, "client IP \"%.64s\" is not an address", ctx->ip);
		return out->r = SPF_PERMERROR;
	}
	if (ctx->domain == NULL || !norm_name(ctx->domain, domain, sizeof domain)) {
		text_seterr(out->error, sizeof out->error, "\"%.64s\" is not a valid domain name",
		    ctx->domain != NULL ? ctx->domain : "");
		return out->r = SPF_NONE;
	}
	set_sender(&e, ctx->sender, domain);
	snprintf(e.helo, sizeof e.helo, "%s", ctx->helo != NULL ? ctx->helo : domain);

	r = check_host(&e, domain, 0);
	switch (r) {
	case SPF_PASS:
	case SPF_FAIL:
	case SPF_SOFTFAIL:
	case SPF_NEUTRAL:
		out->error[0] = '\0';
		break;
	case SPF_NEED:
		out->error[0] = '\0';
		/* fall through */
	default:
		out->matched[0] = '\0';
		break;
	}
	if (out->matched[0] == '\0')
		out->via[0] = '\0';
	return out->r = r;
}

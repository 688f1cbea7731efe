#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dnsbl.h"

/* ---- the zones-file parser ---- */

enum attr {
	ATTR_NAME,
	ATTR_WEIGHT,
	ATTR_IPV6,
	ATTR_DELIST,
	ATTR_SELFTEST,
	ATTR_NEEDS_KEY,
	ATTR_NEEDS_REGISTRATION,
	ATTR_DQS,
	ATTR_CODE,
	ATTR_COUNT
};

static const struct {
	const char *word;
	const char *usage;	/* shown as "expected '<usage>'" */
	int nargs;
} attrs[ATTR_COUNT] = {
	[ATTR_NAME] = { "name", "name \"DISPLAY NAME\"", 1 },
	[ATTR_WEIGHT] = { "weight", "weight high|medium|low", 1 },
	[ATTR_IPV6] = { "ipv6", "ipv6 yes|no", 1 },
	[ATTR_DELIST] = { "delist", "delist https://URL", 1 },
	[ATTR_SELFTEST] = { "selftest", "selftest yes|no", 1 },
	[ATTR_NEEDS_KEY] = { "needs-key", "needs-key yes|no", 1 },
	[ATTR_NEEDS_REGISTRATION] = { "needs-registration", "needs-registration yes|no", 1 },
	[ATTR_DQS] = { "dqs", "dqs ZONE.NAME", 1 },
	[ATTR_CODE] = { "code", "code 127.0.0.A[-127.0.0.B] listed|listed-policy|refused|neutral|good \"MEANING\"", 3 },
};

struct parser {
	struct dnsbl_list *out;
	size_t cap;		/* zones allocated in out->v */
	size_t codecap;		/* codes allocated in the current zone */
	int attr_line[ATTR_COUNT];	/* where each attribute of the current zone was given */
	int lineno;
	char *err;
	size_t errlen;
};

/* Write "line N: <message>" to the parser's error buffer; returns false. */
static bool fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(struct parser *p, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->errlen > 0)
		snprintf(p->err, p->errlen, "line %d: %s", p->lineno, msg);
	return false;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d != NULL)
		memcpy(d, s, n);
	return d;
}

/*
 * Split line (modified in place) into words. A word is a run of non-blank
 * characters, or a double-quoted string in which \" and \\ stand for " and \.
 * Returns the number of words, or -1 after writing an error.
 */
static int split(struct parser *p, char *line, char **tok, int max)
{
	char *s = line;
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			return n;
		if (n == max) {
			fail(p, "too many words (a line holds at most %d)", max);
			return -1;
		}
		if (*s == '"') {
			char *w = ++s;

			tok[n++] = w;
			for (;;) {
				if (*s == '\0') {
					fail(p, "unterminated quoted string (expected a closing '\"')");
					return -1;
				}
				if (*s == '"')
					break;
				if (*s == '\\') {
					if (s[1] != '"' && s[1] != '\\') {
						fail(p, "unknown escape '\\%c' in a quoted string (expected \\\" or \\\\)",
						     s[1] != '\0' ? s[1] : ' ');
						return -1;
					}
					s++;
				}
				*w++ = *s++;
			}
			*w = '\0';
			s++;
			if (*s == '\0')
				return n;
			if (*s != ' ' && *s != '\t') {
				fail(p, "expected a blank after a quoted string");
				return -1;
			}
		} else {
			tok[n++] = s;
			while (*s != '\0' && *s != ' ' && *s != '\t') {
				if (*s == '"') {
					fail(p, "unexpected '\"' inside a word (quote the whole value)");
					return -1;
				}
				s++;
			}
			if (*s == '\0')
				return n;
		}
		*s++ = '\0';
	}
}

/* A DNS name of letters, digits and hyphens: labels of 1..63, at most DNSBL_MAX_ZONE_NAME in all. */
static bool valid_zone_name(const char *s)
{
	size_t len = strlen(s), label = 0;

	if (len == 0 || len > DNSBL_MAX_ZONE_NAME)
		return false;
	for (; *s != '\0'; s++) {
		if (*s == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

static bool parse_yes_no(struct parser *p, int a, const char *v, bool *out)
{
	if (strcmp(v, "yes") == 0)
		*out = true;
	else if (strcmp(v, "no") == 0)
		*out = false;
	else
		return fail(p, "expected '%s', got '%s'", attrs[a].usage, v);
	return true;
}

/* Parse "127.0.0.x" into host byte order; only 127.0.0.0/8 holds codes. */
static bool parse_code_addr(struct parser *p, const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return fail(p, "expected an IPv4 code such as 127.0.0.2, got '%s'", s);
	*out = ntohl(a.s_addr);
	if ((*out >> 24) != 127)
		return fail(p, "code '%s' is outside 127.0.0.0/8 (expected 127.x.x.x)", s);
	return true;
}

static bool parse_kind(const char *s, enum dnsbl_status *k)
{
	static const struct {
		const char *word;
		enum dnsbl_status kind;
	} kinds[] = {
		{ "listed", DNSBL_LISTED },
		{ "listed-policy", DNSBL_LISTED_POLICY },
		{ "refused", DNSBL_REFUSED },
		{ "neutral", DNSBL_NEUTRAL },
		{ "good", DNSBL_GOOD },
	};

	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(s, kinds[i].word) == 0) {
			*k = kinds[i].kind;
			return true;
		}
	return false;
}

/* "code RANGE KIND MEANING" for zone z. */
static bool parse_code(struct parser *p, struct dnsbl_zone *z, char **arg)
{
	struct dnsbl_code c = { .line = p->lineno };
	char *dash = strchr(arg[0], '-');

	if (dash != NULL)
		*dash = '\0';
	if (!parse_code_addr(p, arg[0], &c.lo))
		return false;
	c.hi = c.lo;
	if (dash != NULL) {
		if (!parse_code_addr(p, dash + 1, &c.hi))
			return false;
		if (c.hi < c.lo)
			return fail(p, "range %s-%s runs backwards (expected LOW-HIGH)", arg[0], dash + 1);
	}
	if (!parse_kind(arg[1], &c.kind))
		return fail(p, "expected listed, listed-policy, refused, neutral or good, got '%s'",
			    arg[1]);
	if (arg[2][0] == '\0')
		return fail(p, "expected a meaning after '%s' (a quoted text)", arg[1]);
	for (size_t i = 0; i < z->ncodes; i++)
		if (c.lo <= z->codes[i].hi && z->codes[i].lo <= c.hi)
			return fail(p, "code overlaps the code on line %d", z->codes[i].line);
	if (z->ncodes == DNSBL_MAX_CODES)
		return fail(p, "too many codes in zone '%s' (at most %d)", z->id, DNSBL_MAX_CODES);
	if (z->ncodes == p->codecap) {
		size_t ncap = p->codecap == 0 ? 8 : p->codecap * 2;
		struct dnsbl_code *nv = realloc(z->codes, ncap * sizeof *nv);

		if (nv == NULL)
			return fail(p, "out of memory");
		z->codes = nv;
		p->codecap = ncap;
	}
	if ((c.meaning = xstrdup(arg[2])) == NULL)
		return fail(p, "out of memory");
	z->codes[z->ncodes++] = c;
	return true;
}

/* Replace *slot with a copy of v. */
static bool set_string(struct parser *p, char **slot, const char *v)
{
	char *d = xstrdup(v);

	if (d == NULL)
		return fail(p, "out of memory");
	free(*slot);
	*slot = d;
	return true;
}

/* One indented attribute line of zone z, already split into words. */
static bool parse_attr(struct parser *p, struct dnsbl_zone *z, char **tok, int ntok)
{
	int a;

	for (a = 0; a < ATTR_COUNT; a++)
		if (strcmp(tok[0], attrs[a].word) == 0)
			break;
	if (a == ATTR_COUNT)
		return fail(p, "unknown attribute '%s' (expected name, weight, ipv6, delist, "
			    "selftest, needs-key, needs-registration, dqs or code)", tok[0]);
	if (ntok - 1 != attrs[a].nargs)
		return fail(p, "expected '%s'", attrs[a].usage);
	if (a != ATTR_CODE && p->attr_line[a] != 0)
		return fail(p, "'%s' given twice in zone '%s' (first on line %d)", tok[0], z->id,
			    p->attr_line[a]);
	p->attr_line[a] = p->lineno;

	switch (a) {
	case ATTR_NAME:
		if (tok[1][0] == '\0')
			return fail(p, "expected '%s', got an empty name", attrs[a].usage);
		return set_string(p, &z->name, tok[1]);
	case ATTR_WEIGHT:
		if (strcmp(tok[1], "high") == 0)
			z->weight = DNSBL_WEIGHT_HIGH;
		else if (strcmp(tok[1], "medium") == 0)
			z->weight = DNSBL_WEIGHT_MEDIUM;
		else if (strcmp(tok[1], "low") == 0)
			z->weight = DNSBL_WEIGHT_LOW;
		else
			return fail(p, "expected '%s', got '%s'", attrs[a].usage, tok[1]);
		return true;
	case ATTR_IPV6:
		return parse_yes_no(p, a, tok[1], &z->ipv6);
	case ATTR_DELIST:
		if (strncmp(tok[1], "https://", 8) != 0 && strncmp(tok[1], "http://", 7) != 0)
			return fail(p, "expected '%s', got '%s'", attrs[a].usage, tok[1]);
		return set_string(p, &z->delist, tok[1]);
	case ATTR_SELFTEST:
		return parse_yes_no(p, a, tok[1], &z->selftest);
	case ATTR_NEEDS_KEY:
		return parse_yes_no(p, a, tok[1], &z->needs_key);
	case ATTR_NEEDS_REGISTRATION:
		return parse_yes_no(p, a, tok[1], &z->needs_registration);
	case ATTR_DQS:
		if (!valid_zone_name(tok[1]))
			return fail(p, "expected '%s' (letters, digits, '-' and '.', at most %d chars), "
				    "got '%s'", attrs[a].usage, DNSBL_MAX_ZONE_NAME, tok[1]);
		return set_string(p, &z->dqs, tok[1]);
	default:
		return parse_code(p, z, tok + 1);
	}
}

/* Checks that need the whole zone block. */
static bool finish_zone(struct parser *p, struct dnsbl_zone *z)
{
	if (z->ncodes == 0)
		return fail(p, "zone '%s' (line %d) has no 'code' lines (expected at least one)",
			    z->id, z->line);
	if (z->needs_key && z->dqs == NULL)
		return fail(p, "zone '%s' (line %d) says 'needs-key yes' but has no 'dqs' line",
			    z->id, z->line);
	if (z->name == NULL)
		return set_string(p, &z->name, z->id);
	return true;
}

/* "zone NAME": start a new zone. */
static bool start_zone(struct parser *p, char **tok, int ntok)
{
	struct dnsbl_list *l = p->out;
	struct dnsbl_zone *z;

	if (strcmp(tok[0], "zone") != 0)
		return fail(p, "expected 'zone NAME' (attribute lines are indented), got '%s'", tok[0]);
	if (ntok != 2)
		return fail(p, "expected 'zone NAME'");
	if (!valid_zone_name(tok[1]))
		return fail(p, "expected a zone name (letters, digits, '-' and '.', at most %d chars), "
			    "got '%s'", DNSBL_MAX_ZONE_NAME, tok[1]);
	for (size_t i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i].id, tok[1]) == 0)
			return fail(p, "zone '%s' already defined on line %d", tok[1], l->v[i].line);
	if (l->n == DNSBL_MAX_ZONES)
		return fail(p, "too many zones (at most %d)", DNSBL_MAX_ZONES);
	if (l->n == p->cap) {
		size_t ncap = p->cap == 0 ? 16 : p->cap * 2;
		struct dnsbl_zone *nv = realloc(l->v, ncap * sizeof *nv);

		if (nv == NULL)
			return fail(p, "out of memory");
		l->v = nv;
		p->cap = ncap;
	}
	z = &l->v[l->n];
	memset(z, 0, sizeof *z);
	z->line = p->lineno;
	z->weight = DNSBL_WEIGHT_MEDIUM;
	z->selftest = true;
	z->id = xstrdup(tok[1]);
	z->zone = xstrdup(tok[1]);
	l->n++;		/* counted now, so dnsbl_list_free frees it on any error */
	if (z->id == NULL || z->zone == NULL)
		return fail(p, "out of memory");
	p->codecap = 0;
	memset(p->attr_line, 0, sizeof p->attr_line);
	return true;
}

/* One line, without its newline (len bytes, not NUL-terminated). */
static bool parse_line(struct parser *p, const char *s, size_t len)
{
	char buf[DNSBL_MAX_LINE + 1];
	char *tok[8];
	int ntok;
	size_t i;

	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (len > DNSBL_MAX_LINE)
		return fail(p, "line longer than %d bytes", DNSBL_MAX_LINE);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c != '\t' && (c < 0x20 || c > 0x7e))
			return fail(p, "byte 0x%02x at column %zu (expected printable ASCII text)",
				    c, i + 1);
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (i = 0; buf[i] == ' ' || buf[i] == '\t'; i++)
		;
	if (buf[i] == '\0' || buf[i] == '#')
		return true;

	ntok = split(p, buf, tok, (int)(sizeof tok / sizeof tok[0]));
	if (ntok < 0)
		return false;
	if (i == 0) {
		if (p->out->n > 0 && !finish_zone(p, &p->out->v[p->out->n - 1]))
			return false;
		return start_zone(p, tok, ntok);
	}
	if (p->out->n == 0)
		return fail(p, "expected 'zone NAME' before the first attribute, got '%s'", tok[0]);
	if (strcmp(tok[0], "zone") == 0)
		return fail(p, "'zone' lines must not be indented (expected an attribute)");
	return parse_attr(p, &p->out->v[p->out->n - 1], tok, ntok);
}

/* The parser over len bytes of text. */
static bool parse(const char *text, size_t len, struct dnsbl_list *out, char *err, size_t errlen)
{
	struct parser p = { .out = out, .err = err, .errlen = errlen };
	size_t off = 0;

	out->v = NULL;
	out->n = 0;
	if (errlen > 0)
		err[0] = '\0';
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t l = nl != NULL ? (size_t)(nl - (text + off)) : len - off;

		p.lineno++;
		if (!parse_line(&p, text + off, l))
			goto bad;
		off += l + (nl != NULL ? 1 : 0);
	}
	if (out->n == 0) {
		if (errlen > 0)
			snprintf(err, errlen, "no zones (expected at least one 'zone NAME' line)");
		goto bad;
	}
	if (!finish_zone(&p, &out->v[out->n - 1]))
		goto bad;
	return true;
bad:
	dnsbl_list_free(out);
	return false;
}

bool dnsbl_load_string(const char *text, struct dnsbl_list *out, char *err, size_t errlen)
{
	return parse(text != NULL ? text : "", text != NULL ? strlen(text) : 0, out, err, errlen);
}

bool dnsbl_load_file(const char *path, struct dnsbl_list *out, char *err, size_t errlen)
{
	char inner[600];
	const char *nul;
	char *buf = NULL;
	size_t len = 0;
	bool ok = false;
	FILE *f;

	out->v = NULL;
	out->n = 0;
	if ((f = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	if ((buf = malloc(DNSBL_MAX_FILE + 1)) == NULL) {
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	len = fread(buf, 1, DNSBL_MAX_FILE + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto out;
	}
	if (len > DNSBL_MAX_FILE) {
		snprintf(err, errlen, "%s: larger than %d bytes (expected a zones file)", path,
			 DNSBL_MAX_FILE);
		goto out;
	}
	if ((nul = memchr(buf, '\0', len)) != NULL) {
		int line = 1;

		for (const char *q = buf; q < nul; q++)
			line += *q == '\n';
		snprintf(err, errlen, "%s: line %d: NUL byte (expected a text file)", path, line);
		goto out;
	}
	ok = parse(buf, len, out, inner, sizeof inner);
	if (!ok)
		snprintf(err, errlen, "%s: %s", path, inner);
out:
	free(buf);
	fclose(f);
	return ok;
}

void dnsbl_list_free(struct dnsbl_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++) {
		struct dnsbl_zone *z = &l->v[i];

		for (size_t j = 0; j < z->ncodes; j++)
			free(z->codes[j].meaning);
		free(z->codes);
		free(z->id);
		free(z->zone);
		free(z->name);
		free(z->delist);
		free(z->dqs);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ---- keys and lookups ---- */

bool dnsbl_apply_dqs_key(struct dnsbl_list *l, const char *key)
{
	size_t klen;
	char **fresh;
	bool ok = true;

	if (l == NULL || key == NULL)
		return false;
	klen = strlen(key);
	if (klen == 0 || klen > DNSBL_MAX_KEY)
		return false;
	for (const char *s = key; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return false;

	/* Build every new name first, so a failure changes nothing. */
	if (l->n == 0)
		return true;
	if ((fresh = calloc(l->n, sizeof *fresh)) == NULL)
		return false;
	for (size_t i = 0; i < l->n && ok; i++) {
		const char *dqs = l->v[i].dqs;
		size_t n;

		if (dqs == NULL)
			continue;
		n = klen + 1 + strlen(dqs) + 1;
		if ((fresh[i] = malloc(n)) == NULL)
			ok = false;
		else
			snprintf(fresh[i], n, "%s.%s", key, dqs);
	}
	for (size_t i = 0; i < l->n; i++) {
		if (fresh[i] == NULL)
			continue;
		if (ok) {
			free(l->v[i].zone);
			l->v[i].zone = fresh[i];
			l->v[i].keyed = true;
		} else {
			free(fresh[i]);
		}
	}
	free(fresh);
	return ok;
}

bool dnsbl_zone_active(const struct dnsbl_zone *z)
{
	return z != NULL && (!z->needs_key || z->keyed);
}

const struct dnsbl_zone *dnsbl_list_find(const struct dnsbl_list *l, const char *id)
{
	if (l == NULL || id == NULL)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i].id, id) == 0)
			return &l->v[i];
	return NULL;
}

bool dnsbl_query_name(const char *ip, const char *zone, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	struct in_addr a4;
	struct in6_addr a6;
	const unsigned char *b;
	char *o;
	int n;

	if (ip == NULL || zone == NULL || *zone == '\0' || out == NULL || outlen == 0)
		return false;
	if (inet_pton(AF_INET, ip, &a4) == 1) {
		b = (const unsigned char *)&a4;
	} else if (inet_pton(AF_INET6, ip, &a6) == 1) {
		if (!IN6_IS_ADDR_V4MAPPED(&a6)) {
			/* 32 nibbles, lowest first, each followed by a dot: 64 chars. */
			if (outlen < 64 + strlen(zone) + 1)
				return false;
			o = out;
			for (int i = 15; i >= 0; i--) {
				*o++ = hex[a6.s6_addr[i] & 0xf];
				*o++ = '.';
				*o++ = hex[a6.s6_addr[i] >> 4];
				*o++ = '.';
			}
			memcpy(o, zone, strlen(zone) + 1);
			return true;
		}
		b = &a6.s6_addr[12];
	} else {
		return false;
	}
	n = snprintf(out, outlen, "%u.%u.%u.%u.%s", b[3], b[2], b[1], b[0], zone);
	return n > 0 && (size_t)n < outlen;
}

/* ---- interpreting answers ---- */

static const char text_not_v4[] =
	"not an IPv4 address: a blocklist answers with 127.x.x.x codes";
static const char text_outside[] =
	"outside 127.0.0.0/8, so not a blocklist code: a zone that expired or was parked "
	"can answer every query like this";
static const char text_error_code[] =
	"an error code (127.255.255.x): the list refused or could not answer this query; "
	"not a listing";
static const char text_undefined[] =
	"a code this list does not define: not counted as a listing (the list may have "
	"changed its codes, or answers everything)";

static const char note_registration[] =
	"This list answers only DNS resolvers registered with its operator: no answer may "
	"mean this resolver is not registered, not that the address is clean.";
static const char note_refused_dqs[] =
	"The list refused this query, usually because it came through a public, cloud or "
	"shared resolver (Google, Cloudflare, Azure and others) or too many queries. This is "
	"not a listing. Ask through your own resolver, or set a free Spamhaus DQS key.";
static const char note_refused[] =
	"The list refused this query, usually because it came through a public, cloud or "
	"shared resolver or too many queries. This is not a listing. Ask through your own "
	"resolver.";
static const char note_unexpected[] =
	"This answer is not a code the list defines, so it is not reported as a listing. "
	"A zone that expired or was parked can answer every query: run the list's self-test.";
static const char note_policy[] =
	"A policy listing, not an abuse report: the range's owner says it should not send "
	"mail directly (dynamic or residential addresses). Receivers that use this list "
	"still reject the mail. Send from a static business address or through a smart host.";
static const char note_high[] =
	"This list weighs heavily with large receivers: expect rejections until the "
	"listing is removed.";
static const char note_low[] =
	"Few large receivers use this list: on its own it rarely explains a rejection by "
	"Exchange Online.";

/* The status and meaning of one answer in zone z. */
static enum dnsbl_status judge_one(const struct dnsbl_zone *z, const char *ans,
				   const char **meaning)
{
	struct in_addr a;
	uint32_t v;

	if (ans == NULL || inet_pton(AF_INET, ans, &a) != 1) {
		*meaning = text_not_v4;
		return DNSBL_UNEXPECTED;
	}
	v = ntohl(a.s_addr);
	if ((v >> 24) != 127) {
		*meaning = text_outside;
		return DNSBL_UNEXPECTED;
	}
	for (size_t i = 0; z != NULL && i < z->ncodes; i++)
		if (v >= z->codes[i].lo && v <= z->codes[i].hi) {
			*meaning = z->codes[i].meaning;
			return z->codes[i].kind;
		}
	if ((v >> 8) == 0x7fffff) {	/* 127.255.255.x */
		*meaning = text_error_code;
		return DNSBL_REFUSED;
	}
	*meaning = text_undefined;
	return DNSBL_UNEXPECTED;
}

void dnsbl_interpret(const struct dnsbl_zone *z, const char *const *answers, size_t n,
		     struct dnsbl_verdict *v)
{
	memset(v, 0, sizeof *v);
	v->status = DNSBL_NOT_LISTED;
	v->nanswers = n;
	for (size_t i = 0; i < n; i++) {
		const char *meaning;
		enum dnsbl_status s = judge_one(z, answers != NULL ? answers[i] : NULL, &meaning);
		const char *shown = answers != NULL && answers[i] != NULL ? answers[i] : "";

		if (v->nhits < DNSBL_MAX_ANSWERS) {
			struct dnsbl_hit *h = &v->hits[v->nhits++];

			snprintf(h->addr, sizeof h->addr, "%s", shown);
			h->status = s;
			h->meaning = meaning;
		}
		if (s > v->status) {
			v->status = s;
			snprintf(v->code, sizeof v->code, "%s", shown);
			v->meaning = meaning;
		}
	}

	switch (v->status) {
	case DNSBL_NOT_LISTED:
		if (z != NULL && z->needs_registration)
			v->note = note_registration;
		break;
	case DNSBL_REFUSED:
		v->note = z != NULL && z->dqs != NULL && !z->keyed ? note_refused_dqs : note_refused;
		break;
	case DNSBL_UNEXPECTED:
		v->note = note_unexpected;
		break;
	case DNSBL_LISTED_POLICY:
		v->delist = z != NULL ? z->delist : NULL;
		v->note = note_policy;
		break;
	case DNSBL_LISTED:
		v->delist = z != NULL ? z->delist : NULL;
		if (z != NULL && z->weight == DNSBL_WEIGHT_HIGH)
			v->note = note_high;
		else if (z != NULL && z->weight == DNSBL_WEIGHT_LOW)
			v->note = note_low;
		break;
	default:
		break;
	}
}

/* ---- the RFC 5782 §5 self-test ---- */

bool dnsbl_selftest_name(const char *zone, bool positive, char *out, size_t outlen)
{
	return dnsbl_query_name(positive ? "127.0.0.2" : "127.0.0.1", zone, out, outlen);
}

enum dnsbl_selftest dnsbl_selftest_judge(const struct dnsbl_zone *z,
					 const char *const *pos, size_t npos,
					 const char *const *neg, size_t nneg)
{
	struct dnsbl_verdict v;

	if (z != NULL && !z->selftest)
		return DNSBL_SELFTEST_SKIPPED;

	/* 127.0.0.1 must not be listed: any answer but an error code means "answers all". */
	dnsbl_interpret(z, neg, nneg, &v);
	if (v.status == DNSBL_REFUSED)
		return DNSBL_SELFTEST_REFUSED;
	if (nneg > 0)
		return DNSBL_SELFTEST_ANSWERS_ALL;

	/* 127.0.0.2 must be listed with a code the zone defines. */
	dnsbl_interpret(z, pos, npos, &v);
	switch (v.status) {
	case DNSBL_NOT_LISTED:
		return DNSBL_SELFTEST_NO_TEST_ENTRY;
	case DNSBL_REFUSED:
		return DNSBL_SELFTEST_REFUSED;
	case DNSBL_UNEXPECTED:
		return DNSBL_SELFTEST_UNEXPECTED;
	default:
		return DNSBL_SELFTEST_OK;
	}
}

bool dnsbl_selftest_usable(enum dnsbl_selftest r)
{
	return r == DNSBL_SELFTEST_OK || r == DNSBL_SELFTEST_SKIPPED;
}

const char *dnsbl_selftest_text(enum dnsbl_selftest r)
{
	switch (r) {
	case DNSBL_SELFTEST_OK:
		return "The list passed its self-test: the test entry 127.0.0.2 is listed and "
		       "127.0.0.1 is not.";
	case DNSBL_SELFTEST_SKIPPED:
		return "The list does not follow the standard test entries, so it was not self-tested.";
	case DNSBL_SELFTEST_ANSWERS_ALL:
		return "The list says 127.0.0.1 is listed, which no working list does: it answers "
		       "every query (expired, parked or broken). Its answers are ignored.";
	case DNSBL_SELFTEST_REFUSED:
		return "The list refuses this resolver (it answered an error code): its answers "
		       "cannot be used from here. Query through your own resolver.";
	case DNSBL_SELFTEST_NO_TEST_ENTRY:
		return "The list does not list its test entry 127.0.0.2: it is dead, emptied, or "
		       "not answering this resolver (some lists answer only registered resolvers). "
		       "Its answers cannot be trusted.";
	case DNSBL_SELFTEST_UNEXPECTED:
		return "The list answered its test entry with a code it does not define: its "
		       "answers cannot be trusted.";
	}
	return "unknown self-test result";
}

/* ---- names ---- */

const char *dnsbl_status_name(enum dnsbl_status s)
{
	switch (s) {
	case DNSBL_NOT_LISTED:
		return "not-listed";
	case DNSBL_GOOD:
		return "good";
	case DNSBL_NEUTRAL:
		return "neutral";
	case DNSBL_REFUSED:
		return "refused";
	case DNSBL_UNEXPECTED:
		return "unexpected";
	case DNSBL_LISTED_POLICY:
		return "listed-policy";
	case DNSBL_LISTED:
		return "listed";
	}
	return "unknown";
}

const char *dnsbl_weight_name(enum dnsbl_weight w)
{
	switch (w) {
	case DNSBL_WEIGHT_LOW:
		return "low";
	case DNSBL_WEIGHT_MEDIUM:
		return "medium";
	case DNSBL_WEIGHT_HIGH:
		return "high";
	}
	return "unknown";
}

bool dnsbl_status_is_listing(enum dnsbl_status s)
{
	return s == DNSBL_LISTED || s == DNSBL_LISTED_POLICY;
}

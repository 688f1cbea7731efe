#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "json_brief.h"
#include "kb.h"
#include "rules.h"

#define MAX_DEPTH 8

/* A JSON writer into a growing buffer: commas and nesting are its business. */
struct jw {
	char *buf;
	size_t len, cap;
	bool oom;
	int depth;
	bool after_key;			/* the next value follows "key": */
	unsigned count[MAX_DEPTH];	/* members written at each level */
};

/* Append n bytes as they are; on out of memory, remember it and stop writing. */
static void raw(struct jw *w, const char *s, size_t n)
{
	if (w->oom)
		return;
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		char *nb;

		while (w->len + n + 1 > cap)
			cap *= 2;
		if ((nb = realloc(w->buf, cap)) == NULL) {
			w->oom = true;
			return;
		}
		w->buf = nb;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

/* Before a value or a key: the comma, unless it is the first or follows its key. */
static void sep(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->count[w->depth]++ > 0)
		raw(w, ",", 1);
}

/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are not UTF-8. */
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* A string value, escaped; null for NULL. */
static void str(struct jw *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *run;
	size_t n;

	sep(w);
	if (s == NULL) {
		raw(w, "null", 4);
		return;
	}
	n = strlen(s);
	raw(w, "\"", 1);
	while (n > 0) {
		size_t k;

		/* Copy the plain run in one go. */
		for (run = p; n > 0 && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\'; p++, n--)
			;
		raw(w, (const char *)run, (size_t)(p - run));
		if (n == 0)
			break;
		if (*p == '"' || *p == '\\') {
			char e[2] = { '\\', (char)*p };

			raw(w, e, 2);
			k = 1;
		} else if (*p < 0x20) {
			char e[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15] };

			if (*p == '\n')
				raw(w, "\\n", 2);
			else if (*p == '\t')
				raw(w, "\\t", 2);
			else if (*p == '\r')
				raw(w, "\\r", 2);
			else
				raw(w, e, 6);
			k = 1;
		} else if ((k = utf8_len(p, n)) > 0) {
			raw(w, (const char *)p, k);
		} else {
			raw(w, "\\ufffd", 6);
			k = 1;
		}
		p += k;
		n -= k;
	}
	raw(w, "\"", 1);
}

static void key(struct jw *w, const char *k)
{
	sep(w);
	raw(w, "\"", 1);
	raw(w, k, strlen(k));
	raw(w, "\":", 2);
	w->after_key = true;
}

static void word(struct jw *w, const char *s)
{
	sep(w);
	raw(w, s, strlen(s));
}

static void integer(struct jw *w, long long v)
{
	char b[32];

	sep(w);
	raw(w, b, (size_t)snprintf(b, sizeof b, "%lld", v));
}

static void begin(struct jw *w, char c)
{
	sep(w);
	raw(w, &c, 1);
	if (w->depth + 1 < MAX_DEPTH)
		w->count[++w->depth] = 0;
	else
		w->oom = true;	/* never: the record is three levels deep */
}

static void end(struct jw *w, char c)
{
	raw(w, &c, 1);
	if (w->depth > 0)
		w->depth--;
}

/* The findings without their knowledge-base text. */
static void findings(struct jw *w, const struct findings *fs)
{
	key(w, "root_causes");
	begin(w, '[');
	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].root)
			str(w, fs->v[i].kb->id);
	end(w, ']');
	key(w, "findings");
	begin(w, '[');
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->v[i];

		begin(w, '{');
		key(w, "id");
		str(w, f->kb->id);
		key(w, "severity");
		str(w, json_severity_token(f->sev));
		key(w, "root");
		word(w, f->root ? "true" : "false");
		key(w, "summary");
		str(w, f->summary ? f->summary : "");
		key(w, "evidence");
		begin(w, '[');
		for (size_t k = 0; k < f->nevidence; k++)
			str(w, f->evidence[k]);
		end(w, ']');
		end(w, '}');
	}
	end(w, ']');
}

/* Only the zones that list the address, as the rules judge their answer. */
static void listed(struct jw *w, const struct dnsbl_facts *b, const struct dnsbl_list *zones)
{
	key(w, "listed");
	begin(w, '[');
	for (size_t i = 0; zones != NULL && i < b->n; i++) {
		const struct dnsbl_result *r = &b->v[i];
		const struct dnsbl_zone *z;
		const char *ans[DNSBL_MAX_ANSWERS];
		struct dnsbl_verdict v;
		size_t n = 0;

		if (r->skipped || r->qname == NULL || r->a.status != DNS_OK ||
		    (z = dnsbl_list_find(zones, r->id)) == NULL || rules_dnsbl_zone_broken(r, zones))
			continue;
		for (size_t k = 0; k < r->a.n && n < DNSBL_MAX_ANSWERS; k++)
			ans[n++] = r->a.rr[k].text;
		dnsbl_interpret(z, ans, n, &v);
		if (!dnsbl_status_is_listing(v.status))
			continue;
		begin(w, '{');
		key(w, "zone");
		str(w, r->id);
		key(w, "status");
		str(w, dnsbl_status_name(v.status));
		key(w, "code");
		str(w, v.code);
		key(w, "reason");
		str(w, r->txt.status == DNS_OK && r->txt.n > 0 ? r->txt.rr[0].text : NULL);
		end(w, '}');
	}
	end(w, ']');
}

char *json_brief(const char *target, const char *outcome, int exit_status, const char *error,
    const struct diagnosis *d, const struct findings *fs, const struct dnsbl_list *zones)
{
	struct jw w = { 0 };
	const char *ip = NULL;

	begin(&w, '{');
	key(&w, "schema");
	str(&w, "hybridtls-batch");
	key(&w, "version");
	integer(&w, 1);
	key(&w, "target");
	str(&w, target);
	key(&w, "outcome");
	str(&w, outcome);
	key(&w, "exit_status");
	integer(&w, exit_status);
	if (error != NULL) {
		key(&w, "error");
		str(&w, error);
	}
	if (d != NULL && fs != NULL) {
		/* The blocklists' address, else the one the rules judged (never a private one). */
		ip = d->has_dnsbl && d->bl.ip[0] != '\0' ? d->bl.ip : diagnosis_public_ip(d);
		key(&w, "ip");
		str(&w, ip);
		key(&w, "ip_source");
		str(&w, d->ip_source);
		/* Each step that ran, in a word: how the conversation ended, or that it ran. */
		key(&w, "steps");
		begin(&w, '{');
		if (d->has_smtp) {
			key(&w, "smtp");
			str(&w, json_smtp_end_token(d->smtp.end));
		}
		if (d->has_onprem) {
			key(&w, "onprem");
			str(&w, json_smtp_end_token(d->onprem.end));
		}
		if (d->has_dns) {
			key(&w, "dns");
			str(&w, "done");
		}
		if (d->has_dnsbl) {
			key(&w, "dnsbl");
			str(&w, "done");
		}
		end(&w, '}');
		if (d->has_smtp && d->smtp.shared_from != NULL) {
			key(&w, "smtp_shared_from");
			str(&w, d->smtp.shared_from);
		}
		findings(&w, fs);
		if (d->has_dnsbl)
			listed(&w, &d->bl, zones);
	}
	end(&w, '}');
	if (w.oom) {
		free(w.buf);
		return NULL;
	}
	return w.buf;
}

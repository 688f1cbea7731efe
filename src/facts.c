#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "facts.h"

/* Printable ASCII stays, everything else becomes \xNN: the transcript must be
 * safe to print on any terminal, whatever a hostile server sends. */
static char *escape(const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char *out = malloc(len * 4 + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f) {
			*o++ = (char)c;
		} else if (c == '\t') {
			*o++ = ' ';
		} else {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

void transcript_add(struct transcript *tr, int64_t t_ms, enum tdir dir, bool tls,
    const char *text, size_t len)
{
	struct tline *l;

	if (tr->n == tr->cap) {
		size_t cap = tr->cap ? tr->cap * 2 : 32;
		struct tline *v = realloc(tr->v, cap * sizeof *v);

		if (v == NULL)
			return;
		tr->v = v;
		tr->cap = cap;
	}
	l = &tr->v[tr->n];
	if ((l->text = escape(text, len)) == NULL)
		return;
	l->t_ms = t_ms;
	l->dir = dir;
	l->tls = tls;
	tr->n++;
}

void transcript_free(struct transcript *tr)
{
	for (size_t i = 0; i < tr->n; i++)
		free(tr->v[i].text);
	free(tr->v);
	memset(tr, 0, sizeof *tr);
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void smtp_reply_facts_free(struct smtp_reply_facts *r)
{
	free_strv(r->lines, r->nlines);
	memset(r, 0, sizeof *r);
}

void cert_facts_free(struct cert_facts *c)
{
	free(c->subject);
	free(c->issuer);
	free(c->common_name);
	free_strv(c->san, c->nsan);
	free(c->key_usage);
	free(c->ext_key_usage);
	memset(c, 0, sizeof *c);
}

void tls_facts_free(struct tls_facts *t)
{
	for (size_t i = 0; i < t->nchain; i++)
		cert_facts_free(&t->chain[i]);
	free(t->chain);
	free(t->verr);
	free(t->error);
	free(t->trust_store);
	free(t->name_checked);
	memset(t, 0, sizeof *t);
}

void smtp_facts_init(struct smtp_facts *f)
{
	memset(f, 0, sizeof *f);
	for (int i = 0; i < PHASE_COUNT; i++)
		f->phase_ms[i] = -1;
}

void smtp_facts_free(struct smtp_facts *f)
{
	free(f->host);
	free(f->ehlo_name);
	free(f->tls_name);
	free(f->attempts);
	free(f->resolve_error);
	smtp_reply_facts_free(&f->banner);
	smtp_reply_facts_free(&f->ehlo);
	smtp_reply_facts_free(&f->helo);
	free_strv(f->ext, f->next);
	smtp_reply_facts_free(&f->starttls);
	smtp_reply_facts_free(&f->ehlo_tls);
	free_strv(f->ext_tls, f->next_tls);
	smtp_reply_facts_free(&f->quit);
	free(f->end_detail);
	transcript_free(&f->tr);
	tls_facts_free(&f->tls);
	smtp_facts_init(f);
}

const char *phase_name(enum smtp_phase p)
{
	static const char *const names[PHASE_COUNT] = {
		"resolve", "connect", "banner", "EHLO", "STARTTLS", "TLS handshake",
		"EHLO over TLS", "QUIT",
	};

	return (unsigned)p < PHASE_COUNT ? names[p] : "?";
}

const char *connect_result_name(enum connect_result r)
{
	switch (r) {
	case CONN_OK: return "connected";
	case CONN_REFUSED: return "refused";
	case CONN_TIMEOUT: return "timed out";
	case CONN_UNREACHABLE: return "unreachable";
	case CONN_ERROR: return "failed";
	case CONN_SKIPPED: return "not tried (connection budget spent)";
	}
	return "?";
}

const char *smtp_end_name(enum smtp_end e)
{
	switch (e) {
	case END_NONE: return "not run";
	case END_OK: return "completed";
	case END_RESOLVE_FAILED: return "name not resolved";
	case END_CONNECT_FAILED: return "no address answered";
	case END_TIMEOUT: return "timed out";
	case END_CLOSED: return "closed by the server";
	case END_RESET: return "reset";
	case END_REJECTED: return "rejected";
	case END_SERVICE_UNAVAILABLE: return "service unavailable (421)";
	case END_PROTOCOL: return "protocol error";
	case END_TLS_FAILED: return "TLS handshake failed";
	case END_LOCAL_ERROR: return "local error";
	}
	return "?";
}

const char *reply_error_name(enum reply_error e)
{
	switch (e) {
	case REPLY_OK: return "ok";
	case REPLY_ERR_SYNTAX: return "a line without a three-digit reply code";
	case REPLY_ERR_CODE_MISMATCH: return "a multi-line reply whose lines carry different codes";
	case REPLY_ERR_NUL: return "a NUL byte inside a reply line";
	case REPLY_ERR_LINE_TOO_LONG: return "a reply line far beyond the 512-octet limit";
	case REPLY_ERR_TOO_MANY_LINES: return "a reply that does not end";
	}
	return "?";
}

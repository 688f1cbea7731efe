#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connector.h"
#include "facts.h"
#include "ipclass.h"
#include "textutil.h"
#include "onpremcert.h"

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
	if ((l->text = text_escape(text, len)) == NULL)
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
	free(c->der);
	free(c->spki);
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
	smtp_reply_facts_free(&f->mail_plain);
	smtp_reply_facts_free(&f->rcpt_plain);
	smtp_reply_facts_free(&f->mail_tls);
	smtp_reply_facts_free(&f->rcpt_tls);
	free(f->end_detail);
	free(f->budget_note);
	free(f->shared_from);
	transcript_free(&f->tr);
	tls_facts_free(&f->tls);
	smtp_facts_init(f);
}

/* ---- deep copies: each mirrors its _free twin, pointer for pointer ---- */

static bool copy_str(char **dst, const char *src)
{
	*dst = src != NULL ? strdup(src) : NULL;
	return src == NULL || *dst != NULL;
}

static bool copy_mem(void **dst, const void *src, size_t n)
{
	*dst = NULL;
	if (src == NULL || n == 0)
		return true;
	if ((*dst = malloc(n)) == NULL)
		return false;
	memcpy(*dst, src, n);
	return true;
}

/* *dst and *dn are left NULL and 0 on failure, so the copy can be freed. */
static bool copy_strv(char ***dst, size_t *dn, char *const *src, size_t n)
{
	char **v;

	*dst = NULL;
	*dn = 0;
	if (n == 0)
		return true;
	if ((v = calloc(n, sizeof *v)) == NULL)
		return false;
	for (size_t i = 0; i < n; i++)
		if (src[i] != NULL && (v[i] = strdup(src[i])) == NULL) {
			free_strv(v, i);
			return false;
		}
	*dst = v;
	*dn = n;
	return true;
}

static bool reply_copy(struct smtp_reply_facts *dst, const struct smtp_reply_facts *src)
{
	*dst = *src;
	return copy_strv(&dst->lines, &dst->nlines, src->lines, src->nlines);
}

static bool cert_copy(struct cert_facts *dst, const struct cert_facts *src)
{
	bool ok;

	*dst = *src;
	dst->der = dst->spki = NULL;
	ok = copy_str(&dst->subject, src->subject) & copy_str(&dst->issuer, src->issuer) &
	    copy_str(&dst->common_name, src->common_name) & copy_strv(&dst->san, &dst->nsan, src->san, src->nsan) &
	    copy_str(&dst->key_usage, src->key_usage) & copy_str(&dst->ext_key_usage, src->ext_key_usage) &
	    copy_mem((void **)&dst->der, src->der, src->derlen) & copy_mem((void **)&dst->spki, src->spki, src->spkilen);
	if (dst->der == NULL)
		dst->derlen = 0;
	if (dst->spki == NULL)
		dst->spkilen = 0;
	return ok;
}

static bool tls_copy(struct tls_facts *dst, const struct tls_facts *src)
{
	bool ok;

	*dst = *src;
	dst->chain = NULL;
	dst->nchain = 0;
	ok = copy_str(&dst->error, src->error) & copy_str(&dst->trust_store, src->trust_store) &
	    copy_str(&dst->name_checked, src->name_checked) &
	    copy_mem((void **)&dst->verr, src->verr, src->nverr * sizeof *src->verr);
	if (dst->verr == NULL)
		dst->nverr = 0;
	if (src->nchain > 0) {
		if ((dst->chain = calloc(src->nchain, sizeof *dst->chain)) == NULL)
			return false;
		/* Each one is freeable, copied or not. */
		for (size_t i = 0; i < src->nchain; i++)
			ok &= cert_copy(&dst->chain[i], &src->chain[i]);
		dst->nchain = src->nchain;
	}
	return ok;
}

static bool transcript_copy(struct transcript *dst, const struct transcript *src)
{
	memset(dst, 0, sizeof *dst);
	if (src->n == 0)
		return true;
	if ((dst->v = calloc(src->n, sizeof *dst->v)) == NULL)
		return false;
	dst->cap = src->n;
	for (size_t i = 0; i < src->n; i++) {
		dst->v[i] = src->v[i];
		dst->v[i].text = NULL;
		dst->n = i + 1;
		if (!copy_str(&dst->v[i].text, src->v[i].text))
			return false;
	}
	return true;
}

bool smtp_facts_copy(struct smtp_facts *dst, const struct smtp_facts *src)
{
	struct smtp_reply_facts *const rd[] = { &dst->banner, &dst->ehlo, &dst->helo, &dst->starttls, &dst->ehlo_tls,
	    &dst->quit, &dst->mail_plain, &dst->rcpt_plain, &dst->mail_tls, &dst->rcpt_tls };
	const struct smtp_reply_facts *const rs[] = { &src->banner, &src->ehlo, &src->helo, &src->starttls,
	    &src->ehlo_tls, &src->quit, &src->mail_plain, &src->rcpt_plain, &src->mail_tls, &src->rcpt_tls };
	bool ok;

	*dst = *src;
	/* Own nothing of src before the copies below. */
	for (size_t i = 0; i < sizeof rd / sizeof rd[0]; i++) {
		rd[i]->lines = NULL;
		rd[i]->nlines = 0;
	}
	dst->attempts = NULL;
	dst->nattempts = 0;
	dst->ext = dst->ext_tls = NULL;
	dst->next = dst->next_tls = 0;
	memset(&dst->tr, 0, sizeof dst->tr);
	memset(&dst->tls, 0, sizeof dst->tls);
	ok = copy_str(&dst->host, src->host) & copy_str(&dst->ehlo_name, src->ehlo_name) &
	    copy_str(&dst->tls_name, src->tls_name) & copy_str(&dst->resolve_error, src->resolve_error) &
	    copy_str(&dst->end_detail, src->end_detail) & copy_str(&dst->budget_note, src->budget_note) &
	    copy_str(&dst->shared_from, src->shared_from) &
	    copy_strv(&dst->ext, &dst->next, src->ext, src->next) &
	    copy_strv(&dst->ext_tls, &dst->next_tls, src->ext_tls, src->next_tls) &
	    copy_mem((void **)&dst->attempts, src->attempts, src->nattempts * sizeof *src->attempts);
	if (dst->attempts != NULL)
		dst->nattempts = src->nattempts;
	for (size_t i = 0; i < sizeof rd / sizeof rd[0]; i++)
		ok &= reply_copy(rd[i], rs[i]);
	ok &= transcript_copy(&dst->tr, &src->tr);
	ok &= tls_copy(&dst->tls, &src->tls);
	if (!ok)
		smtp_facts_free(dst);
	return ok;
}

const char *phase_name(enum smtp_phase p)
{
	static const char *const names[PHASE_COUNT] = {
		"resolve", "connect", "banner", "EHLO", "STARTTLS", "TLS handshake",
		"EHLO over TLS", "envelope", "QUIT",
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
	case REPLY_ERR_TOO_MANY_LINES: return "a reply of more than 256 lines, or one that never ends";
	}
	return "?";
}

/* ---- DNS ---- */

static const struct {
	const char *label;
	const char *prefix;	/* the name is prefix + domain */
	uint16_t type;
} recs[REC_COUNT] = {
	[REC_MX] = { "MX", "", DNS_T_MX },
	[REC_TXT] = { "TXT (SPF)", "", DNS_T_TXT },
	[REC_AUTODISCOVER] = { "autodiscover CNAME", "autodiscover.", DNS_T_CNAME },
	[REC_DKIM1] = { "DKIM selector1 CNAME", "selector1._domainkey.", DNS_T_CNAME },
	[REC_DKIM2] = { "DKIM selector2 CNAME", "selector2._domainkey.", DNS_T_CNAME },
	[REC_DMARC] = { "DMARC TXT", "_dmarc.", DNS_T_TXT },
	[REC_MTASTS] = { "MTA-STS TXT", "_mta-sts.", DNS_T_TXT },
	[REC_TLSRPT] = { "TLS-RPT TXT", "_smtp._tls.", DNS_T_TXT },
	[REC_SIP] = { "sip CNAME", "sip.", DNS_T_CNAME },
	[REC_LYNCDISCOVER] = { "lyncdiscover CNAME", "lyncdiscover.", DNS_T_CNAME },
	[REC_SRV_SIP] = { "_sip._tls SRV", "_sip._tls.", DNS_T_SRV },
	[REC_SRV_SIPFED] = { "_sipfederationtls._tcp SRV", "_sipfederationtls._tcp.", DNS_T_SRV },
};

const char *dns_rec_label(enum dns_rec r)
{
	return (unsigned)r < REC_COUNT ? recs[r].label : "?";
}

char *dns_rec_name(enum dns_rec r, const char *domain)
{
	char *s;

	if ((unsigned)r >= REC_COUNT || asprintf(&s, "%s%s", recs[r].prefix, domain) < 0)
		return NULL;
	return s;
}

const char *diagnosis_public_ip(const struct diagnosis *d)
{
	if (d->given_ip != NULL && *d->given_ip != '\0')
		return d->given_ip;
	if (d->has_smtp && d->smtp.observed_ip[0] != '\0' && !ip_is_internal(d->smtp.observed_ip, NULL))
		return d->smtp.observed_ip;
	return NULL;
}

uint16_t dns_rec_type(enum dns_rec r)
{
	return (unsigned)r < REC_COUNT ? recs[r].type : 0;
}

void dns_facts_init(struct dns_facts *d)
{
	memset(d, 0, sizeof *d);
}

void dns_facts_free(struct dns_facts *d)
{
	free(d->domain);
	for (int i = 0; i < REC_COUNT; i++)
		dns_answer_free(&d->rec[i]);
	free(d->tlsa_host);
	dns_answer_free(&d->tlsa);
	dns_answer_free(&d->ptr);
	dns_answer_free(&d->ptr_fwd);
	for (size_t i = 0; i < d->nspf_cache; i++)
		dns_answer_free(&d->spf_cache[i].a);
	free(d->spf_cache);
	dns_facts_init(d);
}

void dnsbl_facts_free(struct dnsbl_facts *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->v[i].id);
		free(b->v[i].qname);
		dns_answer_free(&b->v[i].a);
		dns_answer_free(&b->v[i].txt);
		dns_answer_free(&b->v[i].test_pos);
		dns_answer_free(&b->v[i].test_neg);
	}
	free(b->v);
	free(b->zones_file);
	memset(b, 0, sizeof *b);
}

void diagnosis_init(struct diagnosis *d)
{
	memset(d, 0, sizeof *d);
	smtp_facts_init(&d->smtp);
	smtp_facts_init(&d->onprem);
	dns_facts_init(&d->dns);
}

void diagnosis_free(struct diagnosis *d)
{
	free(d->target);
	free(d->given_ip);
	for (size_t i = 0; i < d->nconnectors; i++) {
		connector_set_free(&d->connectors[i]);
		free(d->connector_files[i]);
	}
	free(d->connectors);
	free(d->connector_files);
	for (size_t i = 0; i < d->nconnector_errors; i++)
		free(d->connector_errors[i]);
	free(d->connector_errors);
	if (d->cert != NULL)
		onpremcert_facts_free(d->cert);
	free(d->cert);
	free(d->cert_error);
	smtp_facts_free(&d->smtp);
	dns_facts_free(&d->dns);
	dnsbl_facts_free(&d->bl);
	free(d->probe_note);
	smtp_facts_free(&d->onprem);
	free(d->onprem_note);
	free(d->ip_source);
	diagnosis_init(d);
}

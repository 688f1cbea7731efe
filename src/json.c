#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "json.h"
#include "kb.h"
#include "spf.h"

/* ---- stable tokens ---- */

const char *json_severity_token(enum severity s)
{
	switch (s) {
	case SEV_OK: return "ok";
	case SEV_INFO: return "info";
	case SEV_WARNING: return "warning";
	case SEV_FAILURE: return "failure";
	case SEV_UNTESTED: return "untested";
	}
	return "untested";
}

const char *json_connect_result_token(enum connect_result r)
{
	switch (r) {
	case CONN_OK: return "connected";
	case CONN_REFUSED: return "refused";
	case CONN_TIMEOUT: return "timeout";
	case CONN_UNREACHABLE: return "unreachable";
	case CONN_ERROR: return "error";
	case CONN_SKIPPED: return "skipped";
	}
	return "error";
}

const char *json_smtp_end_token(enum smtp_end e)
{
	switch (e) {
	case END_NONE: return "none";
	case END_OK: return "ok";
	case END_RESOLVE_FAILED: return "resolve-failed";
	case END_CONNECT_FAILED: return "connect-failed";
	case END_TIMEOUT: return "timeout";
	case END_CLOSED: return "closed";
	case END_RESET: return "reset";
	case END_REJECTED: return "rejected";
	case END_SERVICE_UNAVAILABLE: return "service-unavailable";
	case END_PROTOCOL: return "protocol-error";
	case END_TLS_FAILED: return "tls-failed";
	case END_LOCAL_ERROR: return "local-error";
	}
	return "local-error";
}

const char *json_phase_token(enum smtp_phase p)
{
	switch (p) {
	case PHASE_RESOLVE: return "resolve";
	case PHASE_CONNECT: return "connect";
	case PHASE_BANNER: return "banner";
	case PHASE_EHLO: return "ehlo";
	case PHASE_STARTTLS: return "starttls";
	case PHASE_HANDSHAKE: return "handshake";
	case PHASE_EHLO_TLS: return "ehlo-tls";
	case PHASE_ENVELOPE: return "envelope";
	case PHASE_QUIT: return "quit";
	case PHASE_COUNT: break;
	}
	return NULL;
}

const char *json_dns_status_token(enum dns_status s)
{
	switch (s) {
	case DNS_OK: return "ok";
	case DNS_NXDOMAIN: return "nxdomain";
	case DNS_NODATA: return "nodata";
	case DNS_SERVFAIL: return "servfail";
	case DNS_REFUSED: return "refused";
	case DNS_TIMEOUT: return "timeout";
	case DNS_ERROR: return "error";
	}
	return "error";
}

const char *json_tdir_token(enum tdir d)
{
	switch (d) {
	case TDIR_SENT: return "sent";
	case TDIR_RECV: return "received";
	case TDIR_NOTE: return "note";
	}
	return "note";
}

static const char *reply_error_token(enum reply_error e)
{
	switch (e) {
	case REPLY_OK: return NULL;
	case REPLY_ERR_SYNTAX: return "syntax";
	case REPLY_ERR_CODE_MISMATCH: return "code-mismatch";
	case REPLY_ERR_NUL: return "nul";
	case REPLY_ERR_LINE_TOO_LONG: return "line-too-long";
	case REPLY_ERR_TOO_MANY_LINES: return "too-many-lines";
	}
	return NULL;
}

static const char *spf_result_token(int r)
{
	switch ((enum spf_result)r) {
	case SPF_NONE: return "none";
	case SPF_NEUTRAL: return "neutral";
	case SPF_PASS: return "pass";
	case SPF_FAIL: return "fail";
	case SPF_SOFTFAIL: return "softfail";
	case SPF_TEMPERROR: return "temperror";
	case SPF_PERMERROR: return "permerror";
	case SPF_NEED: break;	/* not a result */
	}
	return NULL;
}

static const char *name_check_token(enum name_check n)
{
	switch (n) {
	case NAME_NOT_CHECKED: return "not-checked";
	case NAME_MATCH: return "match";
	case NAME_MISMATCH: return "mismatch";
	}
	return "not-checked";
}

/* The record type mnemonic; RFC 3597 "TYPEnnn" for the others. */
static json_t *type_token(uint16_t type)
{
	switch (type) {
	case DNS_T_A: return json_string("A");
	case DNS_T_NS: return json_string("NS");
	case DNS_T_CNAME: return json_string("CNAME");
	case DNS_T_SOA: return json_string("SOA");
	case DNS_T_PTR: return json_string("PTR");
	case DNS_T_MX: return json_string("MX");
	case DNS_T_TXT: return json_string("TXT");
	case DNS_T_AAAA: return json_string("AAAA");
	case DNS_T_SRV: return json_string("SRV");
	case DNS_T_TLSA: return json_string("TLSA");
	}
	return json_sprintf("TYPE%u", (unsigned)type);
}

/* ---- small builders: each returns a new reference or NULL ---- */

/* A string; null for NULL. Facts strings are printable ASCII, but should one
 * ever not be valid UTF-8, its bytes above 0x7f are written as \xNN. */
static json_t *jstr(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	json_t *j;
	char *t, *o;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	if ((t = malloc(strlen(s) * 4 + 1)) == NULL)
		return NULL;
	for (o = t; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x80) {
			*o++ = (char)c;
		} else {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	j = json_string(t);
	free(t);
	return j;
}

/* A string; null for NULL or "". */
static json_t *jopt(const char *s)
{
	return s == NULL || s[0] == '\0' ? json_null() : jstr(s);
}

static json_t *jint(long long v)
{
	return json_integer((json_int_t)v);
}

/* Milliseconds; null when negative (did not run). */
static json_t *jms(int64_t ms)
{
	return ms < 0 ? json_null() : jint(ms);
}

/* ISO 8601 UTC ("2025-11-24T04:46:00Z"). */
static json_t *jtime(time_t t)
{
	struct tm tm;
	char buf[40];

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999 ||
	    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return json_null();
	return json_string(buf);
}

/* A wall-clock moment that may be unset (0). */
static json_t *jtime_opt(time_t t)
{
	return t == 0 ? json_null() : jtime(t);
}

static json_t *jtoken(const char *token)
{
	return token ? json_string(token) : json_null();
}

/* Set o[k] = v, taking the reference; false on any failure (v NULL, o NULL). */
static bool put(json_t *o, const char *k, json_t *v)
{
	return json_object_set_new(o, k, v) == 0;
}

static bool add(json_t *a, json_t *v)
{
	return json_array_append_new(a, v) == 0;
}

/* o when ok, else NULL (dropping o). */
static json_t *done(json_t *o, bool ok)
{
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *jstrv(char *const *v, size_t n)
{
	json_t *a = json_array();
	bool ok = a != NULL;

	for (size_t i = 0; ok && i < n; i++)
		ok = add(a, jstr(v[i]));
	return done(a, ok);
}

/* ---- findings ---- */

/* The knowledge base's references, "; "-separated (not inside parentheses). */
static json_t *references(const char *refs)
{
	json_t *a = json_array();
	bool ok = a != NULL;
	const char *p = refs, *start = refs;
	int depth = 0;

	if (refs == NULL || !ok)
		return a;
	for (; ok; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		if (*p == '\0' || (depth == 0 && p[0] == ';' && p[1] == ' ')) {
			if (p > start)
				ok = add(a, json_stringn(start, (size_t)(p - start)));
			if (*p == '\0')
				break;
			start = p + 2;
			p++;
		}
	}
	return done(a, ok);
}

json_t *json_finding(const struct finding *f)
{
	const struct kb_entry *kb = f->kb;
	json_t *o = json_object();
	bool ok = true;

	ok &= put(o, "id", jstr(kb->id));
	ok &= put(o, "severity", json_string(json_severity_token(f->sev)));
	ok &= put(o, "root", json_boolean(f->root));
	ok &= put(o, "title", jstr(kb->title));
	ok &= put(o, "summary", jstr(f->summary ? f->summary : ""));
	ok &= put(o, "evidence", jstrv(f->evidence, f->nevidence));
	ok &= put(o, "explanation", jstr(kb->explanation ? kb->explanation : ""));
	ok &= put(o, "fix", jstr(kb->fix ? kb->fix : ""));
	ok &= put(o, "verify", jopt(kb->verify));
	ok &= put(o, "references", references(kb->refs));
	return done(o, ok);
}

/* ---- SMTP ---- */

static json_t *reply(const struct smtp_reply_facts *r)
{
	json_t *o;
	bool ok = true;

	if (r->code == 0)
		return json_null();
	o = json_object();
	ok &= put(o, "code", jint(r->code));
	ok &= put(o, "enhanced", jopt(r->esc));
	ok &= put(o, "lines", jstrv(r->lines, r->nlines));
	ok &= put(o, "ms", jms(r->ms));
	return done(o, ok);
}

static json_t *attempt(const struct connect_attempt *c)
{
	json_t *o = json_object();
	bool ok = true;

	ok &= put(o, "address", jstr(c->addr));
	ok &= put(o, "family", jtoken(c->family == AF_INET ? "ipv4" : c->family == AF_INET6 ? "ipv6" : NULL));
	ok &= put(o, "result", json_string(json_connect_result_token(c->result)));
	ok &= put(o, "errno", jint(c->err));
	ok &= put(o, "ms", jms(c->ms));
	return done(o, ok);
}

static json_t *transcript(const struct transcript *tr)
{
	json_t *a = json_array();
	bool ok = a != NULL;

	for (size_t i = 0; ok && i < tr->n; i++) {
		const struct tline *l = &tr->v[i];
		json_t *o = json_object();

		ok &= put(o, "t_ms", jint(l->t_ms));
		ok &= put(o, "dir", json_string(json_tdir_token(l->dir)));
		ok &= put(o, "tls", json_boolean(l->tls));
		ok &= put(o, "text", jstr(l->text ? l->text : ""));
		ok = add(a, done(o, ok)) && ok;
	}
	return done(a, ok);
}

static json_t *cert(const struct cert_facts *c)
{
	json_t *o = json_object();
	bool ok = true;

	ok &= put(o, "subject", jstr(c->subject ? c->subject : ""));
	ok &= put(o, "issuer", jstr(c->issuer ? c->issuer : ""));
	ok &= put(o, "common_name", jopt(c->common_name));
	ok &= put(o, "san", jstrv(c->san, c->nsan));
	ok &= put(o, "not_before", jtime(c->not_before));
	ok &= put(o, "not_after", jtime(c->not_after));
	ok &= put(o, "key_type", jopt(c->key_type));
	ok &= put(o, "key_bits", jint(c->key_bits));
	ok &= put(o, "signature_algorithm", jopt(c->sig_alg));
	ok &= put(o, "key_usage", jopt(c->key_usage));
	ok &= put(o, "extended_key_usage", jopt(c->ext_key_usage));
	ok &= put(o, "is_ca", json_boolean(c->is_ca));
	ok &= put(o, "self_issued", json_boolean(c->self_issued));
	ok &= put(o, "sha256", jstr(c->sha256));
	/* Never c->der nor c->spki: the report carries fields, not bytes. */
	return done(o, ok);
}

static json_t *tls(const struct tls_facts *t)
{
	json_t *o = json_object(), *verr = json_array(), *chain = json_array();
	bool ok = verr != NULL && chain != NULL;

	ok &= put(o, "attempted", json_boolean(t->attempted));
	ok &= put(o, "ok", json_boolean(t->ok));
	ok &= put(o, "version", jopt(t->version));
	ok &= put(o, "cipher", jopt(t->cipher));
	ok &= put(o, "error", jopt(t->error));
	ok &= put(o, "alert", jopt(t->alert));
	ok &= put(o, "legacy_only", json_boolean(t->legacy_only));
	ok &= put(o, "legacy_version", jopt(t->legacy_version));
	ok &= put(o, "verified", json_boolean(t->verified));
	ok &= put(o, "trust_store", jopt(t->trust_store));
	for (size_t i = 0; ok && i < t->nverr; i++) {
		json_t *e = json_object();
		bool eok = true;

		eok &= put(e, "depth", jint(t->verr[i].depth));
		eok &= put(e, "code", jint(t->verr[i].code));
		eok &= put(e, "text", jstr(t->verr[i].text));
		ok = add(verr, done(e, eok));
	}
	ok &= put(o, "verify_errors", json_incref(verr));
	ok &= put(o, "name_check", json_string(name_check_token(t->name)));
	ok &= put(o, "name_checked", jopt(t->name_checked));
	ok &= put(o, "checked_at", jtime_opt(t->checked_at));
	for (size_t i = 0; ok && i < t->nchain; i++)
		ok = add(chain, cert(&t->chain[i]));
	ok &= put(o, "chain", json_incref(chain));
	json_decref(verr);
	json_decref(chain);
	return done(o, ok);
}

static json_t *timings(const struct smtp_facts *f)
{
	static const struct {
		const char *key;
		enum smtp_phase p;
	} keys[] = {
		{ "resolve_ms", PHASE_RESOLVE }, { "connect_ms", PHASE_CONNECT },
		{ "banner_ms", PHASE_BANNER }, { "ehlo_ms", PHASE_EHLO },
		{ "starttls_ms", PHASE_STARTTLS }, { "handshake_ms", PHASE_HANDSHAKE },
		{ "ehlo_tls_ms", PHASE_EHLO_TLS }, { "envelope_ms", PHASE_ENVELOPE },
		{ "quit_ms", PHASE_QUIT },
	};
	json_t *o = json_object();
	bool ok = true;

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		ok &= put(o, keys[i].key, jms(f->phase_ms[keys[i].p]));
	ok &= put(o, "total_ms", jms(f->total_ms));
	return done(o, ok);
}

static json_t *smtp_end(const struct smtp_facts *f)
{
	json_t *o = json_object();
	bool ok = true;

	ok &= put(o, "result", json_string(json_smtp_end_token(f->end)));
	ok &= put(o, "phase", jtoken(f->end == END_NONE ? NULL : json_phase_token(f->end_phase)));
	ok &= put(o, "detail", jopt(f->end_detail));
	ok &= put(o, "reply_error", jtoken(f->end == END_PROTOCOL ? reply_error_token(f->reply_error) : NULL));
	return done(o, ok);
}

json_t *json_smtp_facts(const struct smtp_facts *f)
{
	json_t *o = json_object(), *att = json_array();
	bool ok = att != NULL;

	ok &= put(o, "host", jstr(f->host ? f->host : ""));
	ok &= put(o, "port", jint(f->port));
	ok &= put(o, "ehlo_name", jopt(f->ehlo_name));
	ok &= put(o, "tls_name", jopt(f->tls_name));
	ok &= put(o, "started", jtime_opt(f->started_at));
	ok &= put(o, "connections", jint(f->connections));
	ok &= put(o, "resolve_error", jopt(f->resolve_error));
	for (size_t i = 0; ok && i < f->nattempts; i++)
		ok = add(att, attempt(&f->attempts[i]));
	ok &= put(o, "attempts", json_incref(att));
	json_decref(att);
	ok &= put(o, "connected_address", jopt(f->connected_addr));
	ok &= put(o, "local_address", jopt(f->local_addr));
	ok &= put(o, "observed_ip", jopt(f->observed_ip));
	ok &= put(o, "banner", reply(&f->banner));
	ok &= put(o, "ehlo", reply(&f->ehlo));
	ok &= put(o, "helo", reply(&f->helo));
	ok &= put(o, "extensions", jstrv(f->ext, f->next));
	ok &= put(o, "starttls_offered", json_boolean(f->starttls_offered));
	ok &= put(o, "starttls", reply(&f->starttls));
	ok &= put(o, "ehlo_tls", reply(&f->ehlo_tls));
	ok &= put(o, "extensions_tls", jstrv(f->ext_tls, f->next_tls));
	ok &= put(o, "envelope_asked", json_boolean(f->envelope_asked));
	ok &= put(o, "mail_plain", reply(&f->mail_plain));
	ok &= put(o, "rcpt_plain", reply(&f->rcpt_plain));
	ok &= put(o, "mail_tls", reply(&f->mail_tls));
	ok &= put(o, "rcpt_tls", reply(&f->rcpt_tls));
	ok &= put(o, "quit", reply(&f->quit));
	ok &= put(o, "end", smtp_end(f));
	ok &= put(o, "timings", timings(f));
	ok &= put(o, "transcript", transcript(&f->tr));
	ok &= put(o, "tls", tls(&f->tls));
	ok &= put(o, "budget_note", jopt(f->budget_note));
	ok &= put(o, "shared_from", jopt(f->shared_from));
	return done(o, ok);
}

/* ---- DNS ---- */

static json_t *rr(const struct dns_rr *r)
{
	static const char hex[] = "0123456789abcdef";
	json_t *o = json_object();
	bool ok = true;

	ok &= put(o, "ttl", jint(r->ttl));
	ok &= put(o, "text", jstr(r->text ? r->text : ""));
	switch (r->type) {
	case DNS_T_MX:
		ok &= put(o, "preference", jint(r->pref));
		ok &= put(o, "target", jstr(r->target ? r->target : ""));
		break;
	case DNS_T_SRV:
		ok &= put(o, "priority", jint(r->pref));
		ok &= put(o, "weight", jint(r->weight));
		ok &= put(o, "port", jint(r->port));
		ok &= put(o, "target", jstr(r->target ? r->target : ""));
		break;
	case DNS_T_CNAME:
	case DNS_T_PTR:
	case DNS_T_NS:
		ok &= put(o, "target", jstr(r->target ? r->target : ""));
		break;
	case DNS_T_TLSA: {
		char *h = malloc(r->datalen * 2 + 1);

		ok &= put(o, "usage", jint(r->usage));
		ok &= put(o, "selector", jint(r->selector));
		ok &= put(o, "matching_type", jint(r->mtype));
		if (h != NULL) {
			for (size_t i = 0; i < r->datalen; i++) {
				h[2 * i] = hex[r->data[i] >> 4];
				h[2 * i + 1] = hex[r->data[i] & 15];
			}
			h[r->datalen * 2] = '\0';
		}
		ok &= put(o, "data", h ? json_string(h) : NULL);
		free(h);
		break;
	}
	default:
		break;
	}
	return done(o, ok);
}

json_t *json_dns_answer(const struct dns_answer *a)
{
	json_t *o, *recs;
	bool ok;

	if (a->name == NULL)
		return json_null();
	o = json_object();
	recs = json_array();
	ok = recs != NULL;
	ok &= put(o, "name", jstr(a->name));
	ok &= put(o, "type", type_token(a->type));
	ok &= put(o, "status", json_string(json_dns_status_token(a->status)));
	ok &= put(o, "rcode", jint(a->rcode));
	ok &= put(o, "ad", json_boolean(a->ad));
	ok &= put(o, "cname", jopt(a->cname));
	ok &= put(o, "ms", jms(a->ms));
	ok &= put(o, "error", jopt(a->error));
	for (size_t i = 0; ok && i < a->n; i++)
		ok = add(recs, rr(&a->rr[i]));
	ok &= put(o, "records", json_incref(recs));
	json_decref(recs);
	return done(o, ok);
}

json_t *json_dns_facts(const struct dns_facts *d)
{
	static const char *const keys[REC_COUNT] = {
		[REC_MX] = "mx", [REC_TXT] = "txt", [REC_AUTODISCOVER] = "autodiscover",
		[REC_DKIM1] = "dkim_selector1", [REC_DKIM2] = "dkim_selector2",
		[REC_DMARC] = "dmarc", [REC_MTASTS] = "mta_sts", [REC_TLSRPT] = "tls_rpt",
		[REC_SIP] = "sip", [REC_LYNCDISCOVER] = "lyncdiscover",
		[REC_SRV_SIP] = "srv_sip_tls", [REC_SRV_SIPFED] = "srv_sipfederationtls",
	};
	json_t *o = json_object(), *recs = json_object(), *spf = json_object();
	bool ok = recs != NULL && spf != NULL, sok = true;

	ok &= put(o, "domain", jstr(d->domain ? d->domain : ""));
	for (int r = 0; r < REC_COUNT; r++)
		ok &= put(recs, keys[r], d->asked[r] ? json_dns_answer(&d->rec[r]) : json_null());
	ok &= put(o, "records", json_incref(recs));
	json_decref(recs);
	ok &= put(o, "tlsa_host", jopt(d->tlsa_host));
	ok &= put(o, "tlsa", d->tlsa_host ? json_dns_answer(&d->tlsa) : json_null());
	ok &= put(o, "ip", jopt(d->ip));
	ok &= put(o, "ptr", json_dns_answer(&d->ptr));
	ok &= put(o, "ptr_forward", json_dns_answer(&d->ptr_fwd));
	sok &= put(spf, "evaluated", json_boolean(d->spf_evaluated));
	sok &= put(spf, "result", jtoken(d->spf_evaluated ? spf_result_token(d->spf_result) : NULL));
	sok &= put(spf, "matched", jopt(d->spf_matched));
	sok &= put(spf, "lookups", jint(d->spf_evaluated ? d->spf_lookups : 0));
	sok &= put(spf, "error", jopt(d->spf_error));
	ok &= put(o, "spf", done(spf, sok));
	return done(o, ok);
}

/* ---- blocklists ---- */

json_t *json_dnsbl_facts(const struct dnsbl_facts *b)
{
	json_t *o = json_object(), *res = json_array();
	bool ok = res != NULL;

	ok &= put(o, "ip", jstr(b->ip));
	ok &= put(o, "zones_file", jopt(b->zones_file));
	for (size_t i = 0; ok && i < b->n; i++) {
		const struct dnsbl_result *r = &b->v[i];
		json_t *z = json_object();
		bool zok = true;

		zok &= put(z, "zone", jstr(r->id ? r->id : ""));
		zok &= put(z, "query", jopt(r->qname));
		zok &= put(z, "skipped", json_boolean(r->skipped));
		zok &= put(z, "answer", json_dns_answer(&r->a));
		zok &= put(z, "reason", json_dns_answer(&r->txt));
		zok &= put(z, "test_listed", json_dns_answer(&r->test_pos));
		zok &= put(z, "test_not_listed", json_dns_answer(&r->test_neg));
		ok = add(res, done(z, zok));
	}
	ok &= put(o, "results", json_incref(res));
	json_decref(res);
	return done(o, ok);
}

/* ---- the report ---- */

json_t *json_report(const char *command, const struct diagnosis *d, const struct findings *fs)
{
	json_t *o = json_object(), *counts = json_object(), *roots = json_array(),
	    *list = json_array(), *facts = json_object();
	size_t n[SEV_UNTESTED + 1] = { 0 };
	bool ok = counts != NULL && roots != NULL && list != NULL && facts != NULL;

	for (size_t i = 0; ok && i < fs->n; i++) {
		const struct finding *f = &fs->v[i];

		/* Counted as the text report's Result line does: root causes are
		 * conclusions over other findings, not findings of their own. */
		if (!f->root && (unsigned)f->sev <= SEV_UNTESTED)
			n[f->sev]++;
		if (f->root)
			ok &= add(roots, jstr(f->kb->id));
		ok &= add(list, json_finding(f));
	}
	ok &= put(counts, "failure", jint((long long)n[SEV_FAILURE]));
	ok &= put(counts, "warning", jint((long long)n[SEV_WARNING]));
	ok &= put(counts, "untested", jint((long long)n[SEV_UNTESTED]));
	ok &= put(counts, "ok", jint((long long)n[SEV_OK]));
	ok &= put(counts, "info", jint((long long)n[SEV_INFO]));

	if (ok && d->has_smtp)
		ok &= put(facts, "smtp", json_smtp_facts(&d->smtp));
	if (ok && d->has_onprem)
		ok &= put(facts, "onprem", json_smtp_facts(&d->onprem));
	if (ok && d->has_dns)
		ok &= put(facts, "dns", json_dns_facts(&d->dns));
	if (ok && d->has_dnsbl)
		ok &= put(facts, "dnsbl", json_dnsbl_facts(&d->bl));
	ok &= put(facts, "probe_note", jopt(d->probe_note));
	ok &= put(facts, "ip_source", jopt(d->ip_source));

	ok &= put(o, "schema", json_string(JSON_SCHEMA_NAME));
	ok &= put(o, "version", jint(JSON_SCHEMA_VERSION));
	ok &= put(o, "hybridtls", json_string(PACKAGE_VERSION));
	ok &= put(o, "command", jstr(command ? command : ""));
	ok &= put(o, "target", jopt(d->target));
	ok &= put(o, "started", d->has_smtp ? jtime_opt(d->smtp.started_at) : json_null());
	ok &= put(o, "exit_status", jint(findings_exit_status(fs)));
	ok &= put(o, "counts", json_incref(counts));
	ok &= put(o, "root_causes", json_incref(roots));
	ok &= put(o, "findings", json_incref(list));
	ok &= put(o, "facts", json_incref(facts));
	json_decref(counts);
	json_decref(roots);
	json_decref(list);
	json_decref(facts);
	return done(o, ok);
}

static bool write_flags(json_t *j, FILE *out, size_t flags, char *err, size_t errlen)
{
	if (j == NULL) {
		snprintf(err, errlen, "no JSON document to write (out of memory?)");
		return false;
	}
	errno = 0;
	if (json_dumpf(j, out, flags) != 0 || fputc('\n', out) == EOF || fflush(out) != 0 || ferror(out)) {
		snprintf(err, errlen, "cannot write the JSON report: %s",
		    errno ? strerror(errno) : "write error");
		return false;
	}
	return true;
}

bool json_write(json_t *j, FILE *out, char *err, size_t errlen)
{
	return write_flags(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER, err, errlen);
}

bool json_write_line(json_t *j, FILE *out, char *err, size_t errlen)
{
	return write_flags(j, out, JSON_COMPACT | JSON_PRESERVE_ORDER, err, errlen);
}

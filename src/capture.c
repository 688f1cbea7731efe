/*
 * Captures (see capture.h and doc/capture.md): each fact struct is described
 * once, by the io_* walkers of capture_io.c, and that one description both
 * writes and reads it. A field added to the facts and to its walker here
 * round-trips at once.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sys/socket.h>

#include "capture.h"
#include "capture_io.h"
#include "connector.h"
#include "onpremcert.h"
#include "outfile.h"
#include "spf.h"

/* Bounds of numbers: seconds since 1970, milliseconds, and small counts. */
#define T_MIN (-(1LL << 40))
#define T_MAX (1LL << 40)
#define MS_MAX (1LL << 40)
#define MAX_LIST 10000u		/* certificates, verify errors, answers, zones, ... */
#define DNS_MAX_RECORDS 64u	/* records in one answer, as src/dnsmsg.c keeps them */

/* ---- the tokens of enumerations, indexed by value ---- */

static const char *const tdir_names[] = {
	[TDIR_SENT] = "sent", [TDIR_RECV] = "received", [TDIR_NOTE] = "note",
};
static const char *const phase_names[] = {
	[PHASE_RESOLVE] = "resolve", [PHASE_CONNECT] = "connect", [PHASE_BANNER] = "banner",
	[PHASE_EHLO] = "ehlo", [PHASE_STARTTLS] = "starttls", [PHASE_HANDSHAKE] = "handshake",
	[PHASE_EHLO_TLS] = "ehlo-tls", [PHASE_ENVELOPE] = "envelope", [PHASE_QUIT] = "quit",
};
static const char *const conn_names[] = {
	[CONN_OK] = "connected", [CONN_REFUSED] = "refused", [CONN_TIMEOUT] = "timeout",
	[CONN_UNREACHABLE] = "unreachable", [CONN_ERROR] = "error", [CONN_SKIPPED] = "skipped",
};
static const char *const end_names[] = {
	[END_NONE] = "none", [END_OK] = "ok", [END_RESOLVE_FAILED] = "resolve-failed",
	[END_CONNECT_FAILED] = "connect-failed", [END_TIMEOUT] = "timeout", [END_CLOSED] = "closed",
	[END_RESET] = "reset", [END_REJECTED] = "rejected",
	[END_SERVICE_UNAVAILABLE] = "service-unavailable", [END_PROTOCOL] = "protocol-error",
	[END_TLS_FAILED] = "tls-failed", [END_LOCAL_ERROR] = "local-error",
};
static const char *const reply_error_names[] = {
	[REPLY_OK] = "ok", [REPLY_ERR_SYNTAX] = "syntax", [REPLY_ERR_CODE_MISMATCH] = "code-mismatch",
	[REPLY_ERR_NUL] = "nul", [REPLY_ERR_LINE_TOO_LONG] = "line-too-long",
	[REPLY_ERR_TOO_MANY_LINES] = "too-many-lines",
};
static const char *const name_check_names[] = {
	[NAME_NOT_CHECKED] = "not-checked", [NAME_MATCH] = "match", [NAME_MISMATCH] = "mismatch",
};
static const char *const dns_status_names[] = {
	[DNS_OK] = "ok", [DNS_NXDOMAIN] = "nxdomain", [DNS_NODATA] = "nodata",
	[DNS_SERVFAIL] = "servfail", [DNS_REFUSED] = "refused", [DNS_TIMEOUT] = "timeout",
	[DNS_ERROR] = "error",
};
static const char *const spf_names[] = {
	[SPF_NONE] = "none", [SPF_NEUTRAL] = "neutral", [SPF_PASS] = "pass", [SPF_FAIL] = "fail",
	[SPF_SOFTFAIL] = "softfail", [SPF_TEMPERROR] = "temperror", [SPF_PERMERROR] = "permerror",
	[SPF_NEED] = "need",
};
static const char *const kind_names[] = {
	[CONNECTOR_UNKNOWN] = "unknown", [CONNECTOR_EXO_INBOUND] = "exo-inbound",
	[CONNECTOR_EXO_OUTBOUND] = "exo-outbound", [CONNECTOR_ONPREM_SEND] = "onprem-send",
	[CONNECTOR_ONPREM_RECEIVE] = "onprem-receive",
};
/* Keys of the DNS records, in enum dns_rec order. */
static const char *const rec_keys[REC_COUNT] = {
	[REC_MX] = "mx", [REC_TXT] = "txt", [REC_AUTODISCOVER] = "autodiscover",
	[REC_DKIM1] = "dkim_selector1", [REC_DKIM2] = "dkim_selector2", [REC_DMARC] = "dmarc",
	[REC_MTASTS] = "mta_sts", [REC_TLSRPT] = "tls_rpt", [REC_SIP] = "sip",
	[REC_LYNCDISCOVER] = "lyncdiscover", [REC_SRV_SIP] = "srv_sip", [REC_SRV_SIPFED] = "srv_sipfed",
};
/* The address family, as a token (the numbers differ between systems). */
static const char *const family_names[] = { "none", "ipv4", "ipv6" };
/* What connector_parse() names formats and encodings (static strings). */
static const char *const connector_formats[] = { "ConvertTo-Json", "Export-Clixml", "Format-List" };
static const char *const connector_encodings[] = {
	"UTF-8", "UTF-8 with BOM", "UTF-16LE with BOM", "UTF-16BE with BOM", "UTF-16LE without BOM",
	"UTF-16BE without BOM", "Latin-1 (not valid UTF-8)",
};

/* ---- the SMTP conversation ---- */

static void io_reply(struct cx *c, json_t *o, void *p)
{
	struct smtp_reply_facts *r = p;

	IO_NUM(c, o, "code", r->code, 0, 999);
	io_fixed(c, o, "esc", r->esc, sizeof r->esc);
	io_strv(c, o, "lines", &r->lines, &r->nlines, CAPTURE_MAX_ITEMS);
	IO_NUM(c, o, "ms", r->ms, -1, MS_MAX);
	/* The rules quote the first line of any reply. */
	if (c->rd && c->ok && r->code != 0 && r->nlines == 0)
		cx_fail(c, "lines", "a reply with a code has at least one line");
}

static void io_attempt(struct cx *c, json_t *o, void *p)
{
	struct connect_attempt *a = p;
	int fam = a->family == AF_INET ? 1 : a->family == AF_INET6 ? 2 : 0;

	io_fixed(c, o, "addr", a->addr, sizeof a->addr);
	if (io_enum(c, o, "family", family_names, 3, &fam))
		a->family = fam == 1 ? AF_INET : fam == 2 ? AF_INET6 : 0;
	IO_ENUM(c, o, "result", a->result, conn_names);
	IO_NUM(c, o, "errno", a->err, 0, 4095);
	IO_NUM(c, o, "ms", a->ms, -1, MS_MAX);
}

static void io_tline(struct cx *c, json_t *o, void *p)
{
	struct tline *l = p;

	IO_NUM(c, o, "t_ms", l->t_ms, -1, MS_MAX);
	IO_ENUM(c, o, "dir", l->dir, tdir_names);
	IO_BOOL(c, o, "tls", l->tls);
	io_rstr(c, o, "text", &l->text);
}

static void io_cert(struct cx *c, json_t *o, void *p)
{
	struct cert_facts *f = p;

	io_rstr(c, o, "subject", &f->subject);
	io_rstr(c, o, "issuer", &f->issuer);
	io_rstr(c, o, "common_name", &f->common_name);
	io_strv(c, o, "san", &f->san, &f->nsan, CAPTURE_MAX_ITEMS);
	IO_NUM(c, o, "not_before", f->not_before, T_MIN, T_MAX);
	IO_NUM(c, o, "not_after", f->not_after, T_MIN, T_MAX);
	io_fixed(c, o, "key_type", f->key_type, sizeof f->key_type);
	IO_NUM(c, o, "key_bits", f->key_bits, 0, 1 << 20);
	io_fixed(c, o, "sig_alg", f->sig_alg, sizeof f->sig_alg);
	io_rstr(c, o, "key_usage", &f->key_usage);
	io_rstr(c, o, "ext_key_usage", &f->ext_key_usage);
	IO_BOOL(c, o, "is_ca", f->is_ca);
	IO_BOOL(c, o, "self_issued", f->self_issued);
	io_fixed(c, o, "sha256", f->sha256, sizeof f->sha256);
	io_b64(c, o, "der", &f->der, &f->derlen);
	io_b64(c, o, "spki", &f->spki, &f->spkilen);
}

static void io_verr(struct cx *c, json_t *o, void *p)
{
	struct verify_error *v = p;

	IO_NUM(c, o, "depth", v->depth, -1, 1000);
	IO_NUM(c, o, "code", v->code, 0, 100000);
	io_fixed(c, o, "text", v->text, sizeof v->text);
}

static void io_tls(struct cx *c, json_t *o, void *p)
{
	struct tls_facts *t = p;

	IO_BOOL(c, o, "attempted", t->attempted);
	IO_BOOL(c, o, "ok", t->ok);
	io_fixed(c, o, "version", t->version, sizeof t->version);
	io_fixed(c, o, "cipher", t->cipher, sizeof t->cipher);
	io_str(c, o, "error", &t->error);
	io_fixed(c, o, "alert", t->alert, sizeof t->alert);
	io_arr(c, o, "chain", (void **)&t->chain, &t->nchain, sizeof *t->chain, MAX_LIST, io_cert, NULL);
	IO_BOOL(c, o, "verified", t->verified);
	io_arr(c, o, "verify_errors", (void **)&t->verr, &t->nverr, sizeof *t->verr, MAX_LIST, io_verr, NULL);
	io_str(c, o, "trust_store", &t->trust_store);
	IO_ENUM(c, o, "name_check", t->name, name_check_names);
	io_str(c, o, "name_checked", &t->name_checked);
	IO_BOOL(c, o, "legacy_only", t->legacy_only);
	io_fixed(c, o, "legacy_version", t->legacy_version, sizeof t->legacy_version);
	IO_NUM(c, o, "ms", t->ms, -1, MS_MAX);
	IO_BOOL(c, o, "client_cert_offered", t->client_cert_offered);
	IO_BOOL(c, o, "client_cert_requested", t->client_cert_requested);
	io_fixed(c, o, "after_alert", t->after_alert, sizeof t->after_alert);
	IO_NUM(c, o, "checked_at", t->checked_at, T_MIN, T_MAX);
}

/* phase_ms as an object keyed by phase; a phase that did not run is -1. */
static void io_phases(struct cx *c, json_t *o, void *p)
{
	int64_t *ms = p;

	for (int i = 0; i < PHASE_COUNT; i++)
		IO_NUM(c, o, phase_names[i], ms[i], -1, MS_MAX);
}

static void io_transcript(struct cx *c, json_t *o, const char *key, struct transcript *tr)
{
	io_arr(c, o, key, (void **)&tr->v, &tr->n, sizeof *tr->v, CAPTURE_MAX_ITEMS, io_tline, NULL);
	if (c->rd)
		tr->cap = tr->n;
}

static void io_smtp(struct cx *c, json_t *o, void *p)
{
	struct smtp_facts *f = p;

	io_rstr(c, o, "host", &f->host);
	IO_NUM(c, o, "port", f->port, 0, 65535);
	io_rstr(c, o, "ehlo_name", &f->ehlo_name);
	io_str(c, o, "tls_name", &f->tls_name);
	IO_NUM(c, o, "started_at", f->started_at, T_MIN, T_MAX);
	io_arr(c, o, "attempts", (void **)&f->attempts, &f->nattempts, sizeof *f->attempts, MAX_LIST,
	    io_attempt, NULL);
	IO_NUM(c, o, "connections", f->connections, 0, 1000000);
	io_str(c, o, "resolve_error", &f->resolve_error);
	io_fixed(c, o, "connected_addr", f->connected_addr, sizeof f->connected_addr);
	io_fixed(c, o, "local_addr", f->local_addr, sizeof f->local_addr);
	io_sub(c, o, "banner", io_reply, &f->banner);
	io_sub(c, o, "ehlo", io_reply, &f->ehlo);
	IO_BOOL(c, o, "ehlo_sent", f->ehlo_sent);
	io_sub(c, o, "helo", io_reply, &f->helo);
	io_strv(c, o, "extensions", &f->ext, &f->next, CAPTURE_MAX_ITEMS);
	IO_BOOL(c, o, "starttls_offered", f->starttls_offered);
	io_sub(c, o, "starttls", io_reply, &f->starttls);
	io_sub(c, o, "ehlo_tls", io_reply, &f->ehlo_tls);
	io_strv(c, o, "extensions_tls", &f->ext_tls, &f->next_tls, CAPTURE_MAX_ITEMS);
	io_sub(c, o, "quit", io_reply, &f->quit);
	IO_BOOL(c, o, "envelope_asked", f->envelope_asked);
	io_sub(c, o, "mail_plain", io_reply, &f->mail_plain);
	io_sub(c, o, "rcpt_plain", io_reply, &f->rcpt_plain);
	io_sub(c, o, "mail_tls", io_reply, &f->mail_tls);
	io_sub(c, o, "rcpt_tls", io_reply, &f->rcpt_tls);
	io_fixed(c, o, "observed_ip", f->observed_ip, sizeof f->observed_ip);
	IO_ENUM(c, o, "end", f->end, end_names);
	IO_ENUM(c, o, "end_phase", f->end_phase, phase_names);
	io_str(c, o, "end_detail", &f->end_detail);
	IO_ENUM(c, o, "reply_error", f->reply_error, reply_error_names);
	/* Written only when set: most probes have neither. */
	if (c->rd || f->budget_note != NULL)
		io_str(c, o, "budget_note", &f->budget_note);
	if (c->rd || f->shared_from != NULL)
		io_str(c, o, "shared_from", &f->shared_from);
	io_sub(c, o, "phase_ms", io_phases, f->phase_ms);
	IO_NUM(c, o, "total_ms", f->total_ms, -1, MS_MAX);
	io_transcript(c, o, "transcript", &f->tr);
	io_sub(c, o, "tls", io_tls, &f->tls);
}

/* ---- DNS ---- */

static void io_rr(struct cx *c, json_t *o, void *p)
{
	struct dns_rr *r = p;

	IO_NUM(c, o, "type", r->type, 0, 65535);
	IO_NUM(c, o, "ttl", r->ttl, 0, 4294967295LL);
	io_rstr(c, o, "text", &r->text);
	io_str(c, o, "target", &r->target);
	IO_NUM(c, o, "pref", r->pref, 0, 65535);
	IO_NUM(c, o, "weight", r->weight, 0, 65535);
	IO_NUM(c, o, "port", r->port, 0, 65535);
	IO_NUM(c, o, "usage", r->usage, 0, 255);
	IO_NUM(c, o, "selector", r->selector, 0, 255);
	IO_NUM(c, o, "mtype", r->mtype, 0, 255);
	io_b64(c, o, "data", &r->data, &r->datalen);
	/* Records that point at a name always carry it (the rules read it). */
	if (c->rd && c->ok && r->target == NULL && (r->type == DNS_T_MX || r->type == DNS_T_CNAME ||
	    r->type == DNS_T_PTR || r->type == DNS_T_NS || r->type == DNS_T_SRV) &&
	    (r->target = strdup("")) == NULL)
		cx_fail(c, "target", "out of memory");
}

static void io_answer_fields(struct cx *c, json_t *o, void *p)
{
	struct dns_answer *a = p;

	io_rstr(c, o, "name", &a->name);
	IO_NUM(c, o, "type", a->type, 0, 65535);
	IO_ENUM(c, o, "status", a->status, dns_status_names);
	IO_NUM(c, o, "rcode", a->rcode, 0, 65535);
	IO_BOOL(c, o, "ad", a->ad);
	io_arr(c, o, "records", (void **)&a->rr, &a->n, sizeof *a->rr, DNS_MAX_RECORDS, io_rr, NULL);
	io_str(c, o, "cname", &a->cname);
	IO_NUM(c, o, "ms", a->ms, -1, MS_MAX);
	io_str(c, o, "error", &a->error);
	/* The DNS parser keeps only records of the type asked; the rules rely on it. */
	for (size_t i = 0; c->rd && c->ok && i < a->n; i++) {
		if (a->rr[i].type != a->type) {
			size_t saved = cx_push(c, "records");

			cx_push_index(c, i);
			cx_fail(c, "type", "a record of type %u in an answer of type %u", a->rr[i].type, a->type);
			cx_pop(c, saved);
		}
	}
}

/* An answer; null when the question was not asked (the answer is all zero). */
static void io_answer(struct cx *c, json_t *o, const char *key, struct dns_answer *a)
{
	bool present = a->name != NULL || a->type != 0 || a->status != DNS_OK || a->rcode != 0 || a->ad ||
	    a->n != 0 || a->cname != NULL || a->ms != 0 || a->error != NULL;

	io_opt_sub(c, o, key, &present, io_answer_fields, a);
}

static void io_spf_lookup(struct cx *c, json_t *o, void *p)
{
	io_answer_fields(c, o, &((struct spf_lookup *)p)->a);
}

struct rec_io {
	struct dns_facts *d;
	enum dns_rec r;
};

/*
 * Each slot holds the answer to its own question: TXT records in the MX or
 * PTR slot would reach rules that read the targets those records lack.
 * want2 is a second type the slot may hold (A or AAAA), else 0.
 */
static void slot_type(struct cx *c, const char *key, const struct dns_answer *a, const char *what,
    unsigned want, unsigned want2)
{
	size_t saved;

	if (!c->rd || !c->ok || (a->name == NULL && a->type == 0 && a->n == 0) || a->type == want ||
	    (want2 != 0 && a->type == want2))
		return;
	saved = cx_push(c, key);
	cx_fail(c, "type", "an answer of type %u where the %s question (type %u) was asked", a->type, what,
	    want);
	cx_pop(c, saved);
}

static void io_record(struct cx *c, json_t *o, void *p)
{
	struct rec_io *ri = p;

	IO_BOOL(c, o, "asked", ri->d->asked[ri->r]);
	io_answer(c, o, "answer", &ri->d->rec[ri->r]);
	slot_type(c, "answer", &ri->d->rec[ri->r], dns_rec_label(ri->r), dns_rec_type(ri->r), 0);
}

static void io_records(struct cx *c, json_t *o, void *p)
{
	for (int i = 0; i < REC_COUNT; i++) {
		struct rec_io ri = { p, (enum dns_rec)i };

		io_sub(c, o, rec_keys[i], io_record, &ri);
	}
}

static void io_dns(struct cx *c, json_t *o, void *p)
{
	struct dns_facts *d = p;

	io_rstr(c, o, "domain", &d->domain);
	io_sub(c, o, "records", io_records, d);
	io_str(c, o, "tlsa_host", &d->tlsa_host);
	io_answer(c, o, "tlsa", &d->tlsa);
	slot_type(c, "tlsa", &d->tlsa, "TLSA", DNS_T_TLSA, 0);
	io_fixed(c, o, "ip", d->ip, sizeof d->ip);
	io_answer(c, o, "ptr", &d->ptr);
	slot_type(c, "ptr", &d->ptr, "PTR", DNS_T_PTR, 0);
	io_answer(c, o, "ptr_forward", &d->ptr_fwd);
	slot_type(c, "ptr_forward", &d->ptr_fwd, "forward (A or AAAA)", DNS_T_A, DNS_T_AAAA);
	IO_BOOL(c, o, "spf_evaluated", d->spf_evaluated);
	IO_ENUM(c, o, "spf_result", d->spf_result, spf_names);
	io_fixed(c, o, "spf_matched", d->spf_matched, sizeof d->spf_matched);
	IO_NUM(c, o, "spf_lookups", d->spf_lookups, 0, 1000);
	io_fixed(c, o, "spf_error", d->spf_error, sizeof d->spf_error);
	io_arr(c, o, "spf_cache", (void **)&d->spf_cache, &d->nspf_cache, sizeof *d->spf_cache, MAX_LIST,
	    io_spf_lookup, NULL);
}

/* ---- blocklists ---- */

static void io_dnsbl_result(struct cx *c, json_t *o, void *p)
{
	struct dnsbl_result *r = p;

	io_rstr(c, o, "zone", &r->id);
	io_str(c, o, "qname", &r->qname);
	IO_BOOL(c, o, "skipped", r->skipped);
	io_answer(c, o, "a", &r->a);
	io_answer(c, o, "txt", &r->txt);
	io_answer(c, o, "test_listed", &r->test_pos);
	io_answer(c, o, "test_not_listed", &r->test_neg);
}

static void io_dnsbl(struct cx *c, json_t *o, void *p)
{
	struct dnsbl_facts *b = p;

	io_fixed(c, o, "ip", b->ip, sizeof b->ip);
	io_str(c, o, "zones_file", &b->zones_file);
	io_arr(c, o, "results", (void **)&b->v, &b->n, sizeof *b->v, MAX_LIST, io_dnsbl_result, NULL);
}

/* ---- connector exports ---- */

/* A list; null when the export did not carry the property. */
static void io_clist(struct cx *c, json_t *o, const char *key, struct connector_list *l)
{
	json_t *v;

	if (!c->rd && !l->present) {
		json_t *n = json_null();

		if (c->ok && json_object_set_new(o, key, n) != 0)
			cx_fail(c, key, "out of memory");
		return;
	}
	if (c->rd && ((v = json_object_get(o, key)) == NULL || json_is_null(v)))
		return;
	io_strv(c, o, key, &l->v, &l->n, CONNECTOR_MAX_ITEMS);
	if (c->rd)
		l->present = true;
}

/* A tri-state (-1 unknown, 0, 1) as null, false, true. */
static void io_tri(struct cx *c, json_t *o, const char *key, int *v)
{
	json_t *j;
	bool b = *v == 1;

	if (!c->rd) {
		if (*v < 0) {
			if (c->ok && json_object_set_new(o, key, json_null()) != 0)
				cx_fail(c, key, "out of memory");
		} else
			io_bool(c, o, key, &b);
		return;
	}
	if (!c->ok || (j = json_object_get(o, key)) == NULL)
		return;
	if (json_is_null(j))
		*v = -1;
	else if (io_bool(c, o, key, &b))
		*v = b;
}

static void connector_defaults(void *p)
{
	struct connector *k = p;

	k->enabled = k->cloud_services_mail_enabled = k->require_tls = -1;
	k->restrict_domains_to_ip_addresses = k->restrict_domains_to_certificate = -1;
	k->treat_messages_as_internal = k->use_mx_record = -1;
	k->route_all_messages_via_on_premises = k->ignore_starttls = -1;
}

static void io_connector(struct cx *c, json_t *o, void *p)
{
	struct connector *k = p;

	IO_ENUM(c, o, "kind", k->kind, kind_names);
	io_fixed(c, o, "kind_why", k->kind_why, sizeof k->kind_why);
	IO_NUM(c, o, "line", k->line, 0, 1 << 30);
	io_str(c, o, "Name", &k->name);
	io_str(c, o, "Identity", &k->identity);
	io_str(c, o, "Comment", &k->comment);
	io_str(c, o, "ConnectorType", &k->connector_type);
	io_str(c, o, "ConnectorSource", &k->connector_source);
	io_tri(c, o, "Enabled", &k->enabled);
	io_tri(c, o, "CloudServicesMailEnabled", &k->cloud_services_mail_enabled);
	io_tri(c, o, "RequireTls", &k->require_tls);
	io_clist(c, o, "SenderIPAddresses", &k->sender_ip_addresses);
	io_clist(c, o, "SenderDomains", &k->sender_domains);
	io_str(c, o, "TlsSenderCertificateName", &k->tls_sender_certificate_name);
	io_tri(c, o, "RestrictDomainsToIPAddresses", &k->restrict_domains_to_ip_addresses);
	io_tri(c, o, "RestrictDomainsToCertificate", &k->restrict_domains_to_certificate);
	io_tri(c, o, "TreatMessagesAsInternal", &k->treat_messages_as_internal);
	io_clist(c, o, "SmartHosts", &k->smart_hosts);
	io_clist(c, o, "RecipientDomains", &k->recipient_domains);
	io_tri(c, o, "UseMXRecord", &k->use_mx_record);
	io_tri(c, o, "RouteAllMessagesViaOnPremises", &k->route_all_messages_via_on_premises);
	io_str(c, o, "TlsSettings", &k->tls_settings);
	io_str(c, o, "TlsDomain", &k->tls_domain);
	io_clist(c, o, "AddressSpaces", &k->address_spaces);
	io_str(c, o, "TlsCertificateName", &k->tls_certificate_name);
	io_str(c, o, "TlsAuthLevel", &k->tls_auth_level);
	io_str(c, o, "Fqdn", &k->fqdn);
	io_tri(c, o, "IgnoreSTARTTLS", &k->ignore_starttls);
	io_clist(c, o, "Bindings", &k->bindings);
	io_clist(c, o, "RemoteIPRanges", &k->remote_ip_ranges);
	io_clist(c, o, "TlsDomainCapabilities", &k->tls_domain_capabilities);
	io_str(c, o, "AuthMechanism", &k->auth_mechanism);
	io_str(c, o, "TransportRole", &k->transport_role);
	io_clist(c, o, "warnings", &k->warnings);
}

/* One of the static names connector_parse() gives (NULL stays NULL). */
static void io_static(struct cx *c, json_t *o, const char *key, const char **v, const char *const *names,
    size_t n)
{
	int i = -1;

	for (size_t k = 0; *v != NULL && k < n; k++)
		if (strcmp(*v, names[k]) == 0)
			i = (int)k;
	if (!c->rd) {
		if (*v == NULL) {
			if (c->ok && json_object_set_new(o, key, json_null()) != 0)
				cx_fail(c, key, "out of memory");
		} else if (i < 0)
			cx_fail(c, key, "\"%s\" is not a name the capture format knows", *v);
		else
			io_enum(c, o, key, names, n, &i);
		return;
	}
	if (c->ok && json_is_null(json_object_get(o, key)))
		return;
	if (io_enum(c, o, key, names, n, &i))
		*v = names[i];
}

/* One export: the file it came from and what was read from it. */
struct export_io {
	struct connector_set *set;
	char **file;
};

static void io_export(struct cx *c, json_t *o, void *p)
{
	struct export_io *e = p;
	struct connector_set *s = e->set;

	io_str(c, o, "file", e->file);
	io_static(c, o, "format", &s->format, connector_formats,
	    sizeof connector_formats / sizeof *connector_formats);
	io_static(c, o, "encoding", &s->encoding, connector_encodings,
	    sizeof connector_encodings / sizeof *connector_encodings);
	io_fixed(c, o, "how", s->how, sizeof s->how);
	io_arr(c, o, "connectors", (void **)&s->v, &s->n, sizeof *s->v, CONNECTOR_MAX_OBJECTS, io_connector,
	    connector_defaults);
}

/* The exports: connectors[i] was read from connector_files[i]. */
static void io_exports(struct cx *c, json_t *o, struct diagnosis *d)
{
	json_t *a;
	size_t saved, n;

	if (!c->ok)
		return;
	if (!c->rd) {
		if ((a = json_array()) == NULL || json_object_set_new(o, "connector_exports", a) != 0) {
			cx_fail(c, "connector_exports", "out of memory");
			return;
		}
		saved = cx_push(c, "connector_exports");
		for (size_t i = 0; c->ok && i < d->nconnectors; i++) {
			struct export_io e = { &d->connectors[i], &d->connector_files[i] };
			json_t *eo = json_object();
			size_t s2 = cx_push_index(c, i);

			if (eo == NULL || json_array_append_new(a, eo) != 0)
				cx_fail(c, NULL, "out of memory");
			else
				io_export(c, eo, &e);
			cx_pop(c, s2);
		}
		cx_pop(c, saved);
		return;
	}
	if ((a = json_object_get(o, "connector_exports")) == NULL || json_is_null(a))
		return;
	if (!json_is_array(a) || json_array_size(a) > MAX_LIST) {
		cx_fail(c, "connector_exports", "not an array of at most %u exports", MAX_LIST);
		return;
	}
	if ((n = json_array_size(a)) == 0)
		return;
	d->connectors = calloc(n, sizeof *d->connectors);
	d->connector_files = calloc(n, sizeof *d->connector_files);
	if (d->connectors == NULL || d->connector_files == NULL) {
		cx_fail(c, "connector_exports", "out of memory");
		return;
	}
	d->nconnectors = n;
	saved = cx_push(c, "connector_exports");
	for (size_t i = 0; c->ok && i < n; i++) {
		struct export_io e = { &d->connectors[i], &d->connector_files[i] };
		json_t *eo = json_array_get(a, i);
		size_t s2 = cx_push_index(c, i);

		if (!json_is_object(eo))
			cx_fail(c, NULL, "not an object");
		else
			io_export(c, eo, &e);
		cx_pop(c, s2);
	}
	cx_pop(c, saved);
}

/* ---- the on-premises certificate: facts only, never the key ---- */

static void io_onpremcert(struct cx *c, json_t *o, void *p)
{
	struct onpremcert_facts *f = p;

	io_rstr(c, o, "source", &f->source);
	io_fixed(c, o, "format", f->format, sizeof f->format);
	IO_BOOL(c, o, "password_used", f->password_used);
	io_sub(c, o, "leaf", io_cert, &f->leaf);
	io_arr(c, o, "chain", (void **)&f->chain, &f->nchain, sizeof *f->chain, MAX_LIST, io_cert, NULL);
	IO_BOOL(c, o, "key_present", f->key_present);
	IO_BOOL(c, o, "key_matches", f->key_matches);
	io_rstr(c, o, "issuer_x500", &f->issuer_x500);
	io_rstr(c, o, "subject_x500", &f->subject_x500);
	io_rstr(c, o, "tls_certificate_name", &f->tls_certificate_name);
	IO_BOOL(c, o, "checked", f->checked);
	IO_BOOL(c, o, "verified", f->verified);
	io_arr(c, o, "verify_errors", (void **)&f->verr, &f->nverr, sizeof *f->verr, MAX_LIST, io_verr, NULL);
	io_str(c, o, "trust_store", &f->trust_store);
	IO_NUM(c, o, "checked_at", f->checked_at, T_MIN, T_MAX);
	IO_BOOL(c, o, "chain_complete", f->chain_complete);
	io_str(c, o, "chain_missing", &f->chain_missing);
}

static void io_cert_opt(struct cx *c, json_t *o, struct diagnosis *d)
{
	bool present = d->cert != NULL;

	if (c->rd && c->ok) {
		json_t *j = json_object_get(o, "onprem_certificate");

		if (j == NULL || json_is_null(j))
			return;
		if ((d->cert = calloc(1, sizeof *d->cert)) == NULL) {
			cx_fail(c, "onprem_certificate", "out of memory");
			return;
		}
	}
	io_opt_sub(c, o, "onprem_certificate", &present, io_onpremcert, d->cert);
}

/* ---- the run ---- */

static void io_diagnosis(struct cx *c, json_t *o, struct diagnosis *d)
{
	io_str(c, o, "target", &d->target);
	io_str(c, o, "given_ip", &d->given_ip);
	io_str(c, o, "ip_source", &d->ip_source);
	io_str(c, o, "probe_note", &d->probe_note);
	io_opt_sub(c, o, "smtp", &d->has_smtp, io_smtp, &d->smtp);
	io_opt_sub(c, o, "dns", &d->has_dns, io_dns, &d->dns);
	io_opt_sub(c, o, "dnsbl", &d->has_dnsbl, io_dnsbl, &d->bl);
	io_str(c, o, "onprem_note", &d->onprem_note);
	io_opt_sub(c, o, "onprem", &d->has_onprem, io_smtp, &d->onprem);
	io_exports(c, o, d);
	io_strv(c, o, "connector_errors", &d->connector_errors, &d->nconnector_errors, MAX_LIST);
	io_cert_opt(c, o, d);
	io_str(c, o, "cert_error", &d->cert_error);
}

/* A copy of a message for the caller. */
static bool fail_msg(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail_msg(char **err, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL) {
		va_start(ap, fmt);
		if (vasprintf(err, fmt, ap) < 0)
			*err = NULL;
		va_end(ap);
	}
	return false;
}

json_t *capture_to_json(const struct diagnosis *d, time_t made, char **err)
{
	struct cx c = { .rd = false, .ok = true };
	json_t *o = json_object();
	char when[40] = "";
	struct tm tm;

	if (err != NULL)
		*err = NULL;
	if (o == NULL) {
		fail_msg(err, "out of memory");
		return NULL;
	}
	if (gmtime_r(&made, &tm) != NULL)
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (json_object_set_new(o, "format", json_string(CAPTURE_FORMAT)) != 0 ||
	    json_object_set_new(o, "version", json_integer(CAPTURE_VERSION)) != 0 ||
	    json_object_set_new(o, "hybridtls", json_string(PACKAGE_VERSION)) != 0 ||
	    json_object_set_new(o, "created", json_string(when)) != 0)
		cx_fail(&c, NULL, "out of memory");
	/* Writing only reads the facts: the cast does not lead to a change. */
	io_diagnosis(&c, o, (struct diagnosis *)d);
	if (!c.ok) {
		fail_msg(err, "cannot write the capture: %s", c.msg);
		json_decref(o);
		return NULL;
	}
	return o;
}

bool capture_write(json_t *doc, FILE *fp, char **err)
{
	errno = 0;
	if (json_dumpf(doc, fp, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0 || fputc('\n', fp) == EOF ||
	    fflush(fp) != 0 || ferror(fp))
		return fail_msg(err, "%s", errno ? strerror(errno) : "write error");
	return true;
}

bool capture_save(const struct diagnosis *d, const char *path, char **err)
{
	struct outfile of;
	char msg[512];
	char *why = NULL;
	json_t *doc;

	if (err != NULL)
		*err = NULL;
	if ((doc = capture_to_json(d, time(NULL), err)) == NULL)
		return false;
	if (!outfile_open(&of, path, msg, sizeof msg)) {
		json_decref(doc);
		return fail_msg(err, "%s", msg);
	}
	if (!capture_write(doc, of.fp, &why)) {
		json_decref(doc);
		outfile_abort(&of);
		fail_msg(err, "%s: cannot write the capture: %s", path, why ? why : "?");
		free(why);
		return false;
	}
	json_decref(doc);
	if (!outfile_commit(&of, msg, sizeof msg))
		return fail_msg(err, "%s", msg);
	return true;
}

bool capture_parse(const char *buf, size_t len, const char *name, struct diagnosis *out, char **err)
{
	struct cx c = { .rd = true, .ok = true };
	json_error_t je;
	json_t *doc, *v;
	const char *fmt;

	if (err != NULL)
		*err = NULL;
	diagnosis_init(out);
	if (len == 0)
		return fail_msg(err, "%s: an empty file, not a hybridtls capture", name);
	if (len > CAPTURE_MAX_FILE)
		return fail_msg(err, "%s: %zu bytes, more than the %u a capture may hold", name, len,
		    CAPTURE_MAX_FILE);
	if (memchr(buf, '\0', len) != NULL)
		return fail_msg(err, "%s: binary data (NUL bytes), not a hybridtls capture", name);
	/* No duplicate keys: one field, one value. */
	if ((doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je)) == NULL)
		return fail_msg(err, "%s: not a hybridtls capture: JSON error at line %d, column %d: %s", name,
		    je.line, je.column, je.text);
	if (!json_is_object(doc) || (fmt = json_string_value(json_object_get(doc, "format"))) == NULL ||
	    strcmp(fmt, CAPTURE_FORMAT) != 0) {
		json_decref(doc);
		return fail_msg(err, "%s: not a hybridtls capture (no \"format\": \"%s\")", name, CAPTURE_FORMAT);
	}
	v = json_object_get(doc, "version");
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		json_decref(doc);
		return fail_msg(err, "%s: version: not a capture format version (an integer from 1)", name);
	}
	if (json_integer_value(v) > CAPTURE_VERSION) {
		const char *by = json_string_value(json_object_get(doc, "hybridtls"));

		fail_msg(err, "%s: capture format version %lld (made by hybridtls %.40s) is newer than this "
		    "hybridtls %s reads (version %d); update hybridtls to replay it", name,
		    (long long)json_integer_value(v), by ? by : "?", PACKAGE_VERSION, CAPTURE_VERSION);
		json_decref(doc);
		return false;
	}
	io_diagnosis(&c, doc, out);
	json_decref(doc);
	if (!c.ok) {
		diagnosis_free(out);
		return fail_msg(err, "%s: %s", name, c.msg);
	}
	return true;
}

bool capture_load(const char *path, struct diagnosis *out, char **err)
{
	struct stat st;
	char *buf;
	size_t len = 0;
	ssize_t r;
	int fd;
	bool ok;

	if (err != NULL)
		*err = NULL;
	diagnosis_init(out);
	/* Non-blocking: opening a FIFO must not wait for a writer. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return fail_msg(err, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail_msg(err, "%s: %s, not a capture file", path,
		    S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
	}
	if ((uintmax_t)st.st_size > CAPTURE_MAX_FILE) {
		close(fd);
		return fail_msg(err, "%s: %jd bytes, more than the %u a capture may hold", path,
		    (intmax_t)st.st_size, CAPTURE_MAX_FILE);
	}
	if ((buf = malloc(CAPTURE_MAX_FILE + 1)) == NULL) {
		close(fd);
		return fail_msg(err, "%s: out of memory", path);
	}
	/* Read at most one byte beyond the limit: a file that grew is refused too. */
	while (len <= CAPTURE_MAX_FILE && (r = read(fd, buf + len, CAPTURE_MAX_FILE + 1 - len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			fail_msg(err, "%s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return false;
		}
		len += (size_t)r;
	}
	close(fd);
	ok = capture_parse(buf, len, path, out, err);
	free(buf);
	return ok;
}

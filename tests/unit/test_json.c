#include "config.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "facts.h"
#include "findings.h"
#include "json.h"
#include "jsonschema_lite.h"
#include "kb.h"
#include "spf.h"
#include "testutil.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif

#define SCHEMA_PATH SRCDIR "/doc/json-schema.json"

/* 2025-11-24T16:00:00Z */
#define T_STARTED ((time_t)1764000000)

/* ---- building facts by hand ---- */

static char **strv(size_t n, ...)
{
	char **v = calloc(n ? n : 1, sizeof *v);
	va_list ap;

	cr_assert_not_null(v);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		v[i] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
	return v;
}

static void reply_set(struct smtp_reply_facts *r, int code, const char *esc, int64_t ms, size_t n, ...)
{
	va_list ap;

	r->code = code;
	snprintf(r->esc, sizeof r->esc, "%s", esc);
	r->ms = ms;
	r->lines = calloc(n ? n : 1, sizeof *r->lines);
	cr_assert_not_null(r->lines);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++)
		r->lines[i] = xstrdup(va_arg(ap, const char *));
	va_end(ap);
	r->nlines = n;
}

static void tadd(struct transcript *tr, int64_t t, enum tdir dir, bool tls, const char *text)
{
	transcript_add(tr, t, dir, tls, text, strlen(text));
}

static void answer_set(struct dns_answer *a, const char *name, uint16_t type, enum dns_status st, int64_t ms)
{
	a->name = xstrdup(name);
	a->type = type;
	a->status = st;
	a->rcode = st == DNS_NXDOMAIN ? 3 : st == DNS_SERVFAIL ? 2 : st == DNS_REFUSED ? 5 : 0;
	a->ms = ms;
}

static struct dns_rr *answer_rr(struct dns_answer *a, uint16_t type, uint32_t ttl, const char *text,
    const char *target)
{
	struct dns_rr *v = realloc(a->rr, (a->n + 1) * sizeof *v), *r;

	cr_assert_not_null(v);
	a->rr = v;
	r = &a->rr[a->n++];
	memset(r, 0, sizeof *r);
	r->type = type;
	r->ttl = ttl;
	r->text = xstrdup(text);
	r->target = target ? xstrdup(target) : NULL;
	return r;
}

static void cert_set(struct cert_facts *c, const char *subject, const char *issuer, const char *cn,
    bool ca)
{
	static const unsigned char der[] = "\x30\x82SECRETDER-MARKER";
	static const unsigned char spki[] = "\x30\x59SPKI-MARKER";

	c->subject = xstrdup(subject);
	c->issuer = xstrdup(issuer);
	c->common_name = xstrdup(cn);
	if (!ca) {
		c->san = strv(2, "DNS:mail.protection.outlook.com", "DNS:*.mail.protection.outlook.com");
		c->nsan = 2;
	}
	c->not_before = (time_t)1735689600;	/* 2025-01-01T00:00:00Z */
	c->not_after = (time_t)1751328000;	/* 2025-07-01T00:00:00Z */
	snprintf(c->key_type, sizeof c->key_type, "RSA");
	c->key_bits = 2048;
	snprintf(c->sig_alg, sizeof c->sig_alg, "sha256WithRSAEncryption");
	c->key_usage = xstrdup(ca ? "Certificate Sign, CRL Sign" : "Digital Signature, Key Encipherment");
	c->ext_key_usage = xstrdup(ca ? "" : "TLS Web Server Authentication, TLS Web Client Authentication");
	c->is_ca = ca;
	c->self_issued = false;
	snprintf(c->sha256, sizeof c->sha256, "AB:CD:EF:01:23:45:67:89");
	c->derlen = sizeof der - 1;
	c->der = malloc(c->derlen);
	cr_assert_not_null(c->der);
	memcpy(c->der, der, c->derlen);
	c->spkilen = sizeof spki - 1;
	c->spki = malloc(c->spkilen);
	cr_assert_not_null(c->spki);
	memcpy(c->spki, spki, c->spkilen);
}

static void smtp_build(struct smtp_facts *f, const char *observed)
{
	f->host = xstrdup("contoso-com.mail.protection.outlook.com");
	f->port = 25;
	f->ehlo_name = xstrdup("mail.contoso.com");
	f->tls_name = xstrdup("contoso-com.mail.protection.outlook.com");
	f->started_at = T_STARTED;

	f->attempts = calloc(2, sizeof *f->attempts);
	cr_assert_not_null(f->attempts);
	f->nattempts = 2;
	snprintf(f->attempts[0].addr, sizeof f->attempts[0].addr, "2a01:111:f403::1");
	f->attempts[0].family = AF_INET6;
	f->attempts[0].result = CONN_TIMEOUT;
	f->attempts[0].err = 110;
	f->attempts[0].ms = 5000;
	snprintf(f->attempts[1].addr, sizeof f->attempts[1].addr, "52.101.68.1");
	f->attempts[1].family = AF_INET;
	f->attempts[1].result = CONN_OK;
	f->attempts[1].ms = 21;
	f->connections = 1;
	snprintf(f->connected_addr, sizeof f->connected_addr, "52.101.68.1");
	snprintf(f->local_addr, sizeof f->local_addr, "192.168.1.10");
	snprintf(f->observed_ip, sizeof f->observed_ip, "%s", observed);

	reply_set(&f->banner, 220, "", 30, 1,
	    "AM0PR01CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready");
	reply_set(&f->ehlo, 250, "", 40, 4, "AM0PR01CA0001.outlook.office365.com Hello [203.0.113.7]",
	    "SIZE 157286400", "PIPELINING", "XXXXXXXA");
	f->ehlo_sent = true;
	f->ext = strv(3, "SIZE 157286400", "PIPELINING", "XXXXXXXA");
	f->next = 3;
	f->starttls_offered = true;
	reply_set(&f->starttls, 220, "2.0.0", 12, 1, "SMTP server ready");
	reply_set(&f->ehlo_tls, 250, "", 35, 2, "AM0PR01CA0001.outlook.office365.com Hello [203.0.113.7]",
	    "SIZE 157286400");
	f->ext_tls = strv(1, "SIZE 157286400");
	f->next_tls = 1;
	f->envelope_asked = true;
	reply_set(&f->mail_tls, 250, "2.1.0", 15, 1, "Sender OK");
	reply_set(&f->rcpt_tls, 550, "5.7.64", 18, 1, "TenantAttribution; Relay Access Denied");
	reply_set(&f->quit, 221, "2.0.0", 9, 1, "Service closing transmission channel");

	f->end = END_OK;
	f->end_phase = PHASE_QUIT;
	f->phase_ms[PHASE_RESOLVE] = 3;
	f->phase_ms[PHASE_CONNECT] = 21;
	f->phase_ms[PHASE_BANNER] = 30;
	f->phase_ms[PHASE_EHLO] = 40;
	f->phase_ms[PHASE_STARTTLS] = 12;
	f->phase_ms[PHASE_HANDSHAKE] = 80;
	f->phase_ms[PHASE_EHLO_TLS] = 35;
	f->phase_ms[PHASE_ENVELOPE] = 33;
	/* PHASE_QUIT stays -1: null in the timings */
	f->total_ms = 254;

	tadd(&f->tr, 0, TDIR_NOTE, false, "connecting to 52.101.68.1 port 25");
	tadd(&f->tr, 51, TDIR_RECV, false,
	    "220 AM0PR01CA0001.outlook.office365.com Microsoft ESMTP MAIL Service ready");
	tadd(&f->tr, 52, TDIR_SENT, false, "EHLO mail.contoso.com");
	tadd(&f->tr, 92, TDIR_RECV, false, "250-XXXXXXXA");
	tadd(&f->tr, 93, TDIR_SENT, false, "STARTTLS");
	tadd(&f->tr, 105, TDIR_NOTE, false, "TLS handshake: TLSv1.3");
	tadd(&f->tr, 186, TDIR_SENT, true, "EHLO mail.contoso.com");
	tadd(&f->tr, 221, TDIR_RECV, true, "250 SIZE 157286400");
	tadd(&f->tr, 222, TDIR_RECV, false, "bad \x01 byte\t here");

	f->tls.attempted = true;
	f->tls.ok = true;
	snprintf(f->tls.version, sizeof f->tls.version, "TLSv1.3");
	snprintf(f->tls.cipher, sizeof f->tls.cipher, "TLS_AES_256_GCM_SHA384");
	f->tls.chain = calloc(2, sizeof *f->tls.chain);
	cr_assert_not_null(f->tls.chain);
	f->tls.nchain = 2;
	cert_set(&f->tls.chain[0], "CN=mail.protection.outlook.com,O=Microsoft Corporation",
	    "CN=DigiCert Cloud Services CA-1,O=DigiCert Inc,C=US", "mail.protection.outlook.com", false);
	cert_set(&f->tls.chain[1], "CN=DigiCert Cloud Services CA-1,O=DigiCert Inc,C=US",
	    "CN=DigiCert Global Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US", "DigiCert Cloud Services CA-1",
	    true);
	f->tls.verified = false;
	f->tls.verr = calloc(1, sizeof *f->tls.verr);
	cr_assert_not_null(f->tls.verr);
	f->tls.nverr = 1;
	f->tls.verr[0].depth = 0;
	f->tls.verr[0].code = 10;
	snprintf(f->tls.verr[0].text, sizeof f->tls.verr[0].text, "certificate has expired");
	f->tls.trust_store = xstrdup("system");
	f->tls.name = NAME_MATCH;
	f->tls.name_checked = xstrdup("contoso-com.mail.protection.outlook.com");
	f->tls.ms = 80;
	f->tls.checked_at = T_STARTED;
}

static void dns_build(struct dns_facts *d)
{
	struct dns_rr *r;

	d->domain = xstrdup("contoso.com");

	d->asked[REC_MX] = true;
	answer_set(&d->rec[REC_MX], "contoso.com", DNS_T_MX, DNS_OK, 11);
	r = answer_rr(&d->rec[REC_MX], DNS_T_MX, 3600, "0 contoso-com.mail.protection.outlook.com",
	    "contoso-com.mail.protection.outlook.com");
	r->pref = 0;

	d->asked[REC_TXT] = true;
	answer_set(&d->rec[REC_TXT], "contoso.com", DNS_T_TXT, DNS_OK, 12);
	answer_rr(&d->rec[REC_TXT], DNS_T_TXT, 3600, "v=spf1 include:spf.protection.outlook.com -all", NULL);
	answer_rr(&d->rec[REC_TXT], DNS_T_TXT, 3600, "MS=ms12345678", NULL);

	d->asked[REC_AUTODISCOVER] = true;
	answer_set(&d->rec[REC_AUTODISCOVER], "autodiscover.contoso.com", DNS_T_CNAME, DNS_OK, 9);
	answer_rr(&d->rec[REC_AUTODISCOVER], DNS_T_CNAME, 3600, "autodiscover.outlook.com",
	    "autodiscover.outlook.com");
	d->rec[REC_AUTODISCOVER].ad = true;

	d->asked[REC_DKIM1] = true;
	answer_set(&d->rec[REC_DKIM1], "selector1._domainkey.contoso.com", DNS_T_CNAME, DNS_NXDOMAIN, 8);

	d->asked[REC_DMARC] = true;
	answer_set(&d->rec[REC_DMARC], "_dmarc.contoso.com", DNS_T_TXT, DNS_NODATA, 7);

	d->asked[REC_MTASTS] = true;
	answer_set(&d->rec[REC_MTASTS], "_mta-sts.contoso.com", DNS_T_TXT, DNS_TIMEOUT, 5000);
	d->rec[REC_MTASTS].error = xstrdup("no answer within 5000 ms");

	d->asked[REC_SIP] = true;
	answer_set(&d->rec[REC_SIP], "sip.contoso.com", DNS_T_CNAME, DNS_OK, 10);
	d->rec[REC_SIP].cname = xstrdup("sipdir.online.lync.com");
	answer_rr(&d->rec[REC_SIP], DNS_T_CNAME, 3600, "sipdir.online.lync.com", "sipdir.online.lync.com");

	d->asked[REC_SRV_SIP] = true;
	answer_set(&d->rec[REC_SRV_SIP], "_sip._tls.contoso.com", DNS_T_SRV, DNS_OK, 10);
	r = answer_rr(&d->rec[REC_SRV_SIP], DNS_T_SRV, 3600, "100 1 443 sipdir.online.lync.com",
	    "sipdir.online.lync.com");
	r->pref = 100;
	r->weight = 1;
	r->port = 443;

	d->asked[REC_SRV_SIPFED] = true;
	answer_set(&d->rec[REC_SRV_SIPFED], "_sipfederationtls._tcp.contoso.com", DNS_T_SRV, DNS_SERVFAIL, 30);

	/* REC_DKIM2, REC_TLSRPT, REC_LYNCDISCOVER not asked: null */

	d->tlsa_host = xstrdup("contoso-com.mail.protection.outlook.com");
	answer_set(&d->tlsa, "_25._tcp.contoso-com.mail.protection.outlook.com", DNS_T_TLSA, DNS_OK, 14);
	d->tlsa.ad = true;
	r = answer_rr(&d->tlsa, DNS_T_TLSA, 300, "3 1 1 00ff", NULL);
	r->usage = 3;
	r->selector = 1;
	r->mtype = 1;
	r->datalen = 2;
	r->data = malloc(2);
	cr_assert_not_null(r->data);
	r->data[0] = 0x00;
	r->data[1] = 0xff;

	snprintf(d->ip, sizeof d->ip, "203.0.113.7");
	answer_set(&d->ptr, "7.113.0.203.in-addr.arpa", DNS_T_PTR, DNS_OK, 20);
	answer_rr(&d->ptr, DNS_T_PTR, 86400, "mail.contoso.com", "mail.contoso.com");
	answer_set(&d->ptr_fwd, "mail.contoso.com", DNS_T_A, DNS_OK, 6);
	answer_rr(&d->ptr_fwd, DNS_T_A, 300, "203.0.113.7", NULL);

	d->spf_evaluated = true;
	d->spf_result = SPF_FAIL;
	snprintf(d->spf_matched, sizeof d->spf_matched, "-all");
	d->spf_lookups = 2;
}

static void dnsbl_build(struct dnsbl_facts *b)
{
	struct dnsbl_result *r;

	snprintf(b->ip, sizeof b->ip, "203.0.113.7");
	b->zones_file = xstrdup("/usr/share/hybridtls/dnsbl.zones");
	b->v = calloc(2, sizeof *b->v);
	cr_assert_not_null(b->v);
	b->n = 2;

	r = &b->v[0];
	r->id = xstrdup("zen.spamhaus.org");
	r->qname = xstrdup("7.113.0.203.zen.spamhaus.org");
	answer_set(&r->a, "7.113.0.203.zen.spamhaus.org", DNS_T_A, DNS_OK, 25);
	answer_rr(&r->a, DNS_T_A, 60, "127.0.0.2", NULL);
	answer_set(&r->txt, "7.113.0.203.zen.spamhaus.org", DNS_T_TXT, DNS_OK, 26);
	answer_rr(&r->txt, DNS_T_TXT, 60, "Listed by SBL, see https://check.spamhaus.org/", NULL);
	answer_set(&r->test_pos, "2.0.0.127.zen.spamhaus.org", DNS_T_A, DNS_OK, 20);
	answer_rr(&r->test_pos, DNS_T_A, 60, "127.0.0.2", NULL);
	answer_set(&r->test_neg, "1.0.0.127.zen.spamhaus.org", DNS_T_A, DNS_NXDOMAIN, 21);

	r = &b->v[1];
	r->id = xstrdup("bl.example.org");
	r->skipped = true;	/* nothing asked: every answer null */
}

static void findings_build(struct findings *fs)
{
	struct finding *f;

	f = findings_add(fs, "smtp.starttls-missing", "the EHLO reply of %s has no STARTTLS", "contoso-com");
	finding_evidence(f, "250-XXXXXXXA");
	finding_evidence(f, "250 SIZE 157286400");
	findings_add(fs, "tls.cert-expired", "certificate expired on %s", "2025-07-01");
	findings_add(fs, "dns.mx-eop", "MX points to Exchange Online Protection");
	f = findings_add(fs, "dnsbl.listed", "203.0.113.7 is listed in %s", "zen.spamhaus.org");
	finding_evidence(f, "zen.spamhaus.org: 127.0.0.2");
	findings_add(fs, "dns.dkim-missing", "selector1 is missing");
	findings_add(fs, "dns.timeout", "_mta-sts.contoso.com timed out");
	findings_add(fs, "smtp.observed-ip", "the server sees 203.0.113.7");
	f = findings_add(fs, "cause.smtp-inspection", "a firewall inspects SMTP");
	f->root = true;
	finding_evidence(f, "smtp.starttls-missing");
	findings_sort(fs);
}

static void full_build(struct diagnosis *d, struct findings *fs, const char *observed)
{
	diagnosis_init(d);
	memset(fs, 0, sizeof *fs);
	d->target = xstrdup("contoso.com");
	d->has_smtp = d->has_dns = d->has_dnsbl = true;
	smtp_build(&d->smtp, observed);
	dns_build(&d->dns);
	dnsbl_build(&d->bl);
	d->probe_note = xstrdup("contoso-com.mail.protection.outlook.com, the MX of contoso.com");
	d->ip_source = xstrdup("the server's EHLO reply");
	findings_build(fs);
}

/* ---- the schema ---- */

static json_t *schema_load(void)
{
	json_error_t e;
	json_t *s = json_load_file(SCHEMA_PATH, 0, &e);

	cr_assert_not_null(s, "%s:%d: %s", SCHEMA_PATH, e.line, e.text);
	return s;
}

/* A schema that validates against one of schema's $defs. */
static json_t *schema_def(json_t *schema, const char *def)
{
	json_t *w = json_object();
	char ref[64];

	snprintf(ref, sizeof ref, "#/$defs/%s", def);
	cr_assert_not_null(json_object_get(json_object_get(schema, "$defs"), def), "no $defs/%s", def);
	json_object_set(w, "$defs", json_object_get(schema, "$defs"));
	json_object_set_new(w, "$ref", json_string(ref));
	return w;
}

static void assert_valid(json_t *schema, json_t *doc)
{
	char err[512];
	bool ok = jsonschema_lite_validate(schema, doc, err, sizeof err);

	cr_assert(ok, "not valid against the schema: %s", err);
}

static void assert_invalid(json_t *schema, json_t *doc, const char *path, const char *words)
{
	char err[512];
	bool ok = jsonschema_lite_validate(schema, doc, err, sizeof err);
	size_t plen = strlen(path);

	cr_assert_not(ok, "accepted a broken document (expected %s: %s)", path, words);
	cr_assert(strncmp(err, path, plen) == 0 && err[plen] == ':', "wrong path: \"%s\", expected %s", err,
	    path);
	cr_assert_not_null(strstr(err, words), "wrong message: \"%s\", expected \"%s\"", err, words);
}

/* Is there a key named key anywhere in j? */
static bool has_key(const json_t *j, const char *key, int depth)
{
	const char *k;
	json_t *v;
	size_t i;

	if (depth > 64)
		return false;
	if (json_is_object(j)) {
		json_object_foreach((json_t *)j, k, v)
			if (strcmp(k, key) == 0 || has_key(v, key, depth + 1))
				return true;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (has_key(v, key, depth + 1))
				return true;
	}
	return false;
}

static char *dump(json_t *j)
{
	char *buf = NULL, err[200];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert(json_write(j, f, err, sizeof err), "%s", err);
	fclose(f);
	return buf;
}

static const char *sget(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	cr_assert(json_is_string(v), "\"%s\" is not a string", key);
	return json_string_value(v);
}

static long long iget(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	cr_assert(json_is_integer(v), "\"%s\" is not an integer", key);
	return (long long)json_integer_value(v);
}

static json_t *path(json_t *root, const char *p)
{
	char ref[256];
	const json_t *v;

	snprintf(ref, sizeof ref, "#/%s", p);
	v = jsonschema_lite_resolve(root, ref);
	cr_assert_not_null(v, "no %s in the report", p);
	return (json_t *)v;
}

/* ---- the full report ---- */

Test(json, full_report_validates)
{
	struct diagnosis d;
	struct findings fs;
	json_t *schema = schema_load(), *j;

	full_build(&d, &fs, "203.0.113.7");
	j = json_report("check", &d, &fs);
	cr_assert_not_null(j);
	assert_valid(schema, j);
	json_decref(j);
	json_decref(schema);
	diagnosis_free(&d);
	findings_free(&fs);
}

Test(json, header_counts_and_roots)
{
	struct diagnosis d;
	struct findings fs;
	json_t *j, *c, *roots;

	full_build(&d, &fs, "203.0.113.7");
	j = json_report("check", &d, &fs);
	cr_assert_not_null(j);

	/* key order is insertion order: "schema" leads */
	cr_assert_str_eq(json_object_iter_key(json_object_iter(j)), "schema");
	cr_assert_str_eq(sget(j, "schema"), "hybridtls-report");
	cr_assert_eq(iget(j, "version"), 1);
	cr_assert_str_eq(sget(j, "hybridtls"), PACKAGE_VERSION);
	cr_assert_str_eq(sget(j, "command"), "check");
	cr_assert_str_eq(sget(j, "target"), "contoso.com");
	cr_assert_str_eq(sget(j, "started"), "2025-11-24T16:00:00Z");
	cr_assert_eq(iget(j, "exit_status"), 2);
	cr_assert_eq(iget(j, "exit_status"), findings_exit_status(&fs));

	c = json_object_get(j, "counts");
	cr_assert_eq(iget(c, "failure"), 3);	/* the root cause is not counted */
	cr_assert_eq(iget(c, "warning"), 1);
	cr_assert_eq(iget(c, "untested"), 1);
	cr_assert_eq(iget(c, "ok"), 1);
	cr_assert_eq(iget(c, "info"), 1);

	roots = json_object_get(j, "root_causes");
	cr_assert_eq(json_array_size(roots), 1);
	cr_assert_str_eq(json_string_value(json_array_get(roots, 0)), "cause.smtp-inspection");
	cr_assert_eq(json_array_size(json_object_get(j, "findings")), fs.n);

	json_decref(j);
	diagnosis_free(&d);
	findings_free(&fs);
}

Test(json, finding_fields_and_severity_tokens)
{
	struct diagnosis d;
	struct findings fs;
	json_t *j, *list, *f;
	size_t i;
	bool saw_untested = false, saw_ok = false;

	full_build(&d, &fs, "203.0.113.7");
	j = json_report("check", &d, &fs);
	list = json_object_get(j, "findings");

	f = json_array_get(list, 0);
	cr_assert_str_eq(sget(f, "id"), "cause.smtp-inspection");
	cr_assert(json_is_true(json_object_get(f, "root")));
	cr_assert_str_eq(sget(f, "severity"), "failure");
	cr_assert_str_eq(sget(f, "title"), kb_find("cause.smtp-inspection")->title);

	json_array_foreach(list, i, f) {
		const char *sev = sget(f, "severity");
		json_t *refs = json_object_get(f, "references");

		cr_assert_str_neq(sev, "could not test");
		if (strcmp(sget(f, "id"), "dns.timeout") == 0) {
			cr_assert_str_eq(sev, "untested");
			saw_untested = true;
		}
		if (strcmp(sget(f, "id"), "dns.mx-eop") == 0) {
			cr_assert_str_eq(sev, "ok");
			saw_ok = true;
		}
		if (strcmp(sget(f, "id"), "smtp.starttls-missing") == 0) {
			json_t *ev = json_object_get(f, "evidence");

			cr_assert_eq(json_array_size(ev), 2);
			cr_assert_str_eq(json_string_value(json_array_get(ev, 0)), "250-XXXXXXXA");
			cr_assert_str_eq(sget(f, "summary"), "the EHLO reply of contoso-com has no STARTTLS");
			/* the kb's paragraphs keep their "\n" */
			cr_assert_str_eq(sget(f, "fix"), kb_find("smtp.starttls-missing")->fix);
			cr_assert_not_null(strchr(sget(f, "fix"), '\n'));
		}
		cr_assert(json_is_array(refs));
		cr_assert_gt(json_array_size(refs), 0, "%s has no references", sget(f, "id"));
		for (size_t k = 0; k < json_array_size(refs); k++) {
			const char *r = json_string_value(json_array_get(refs, k));

			cr_assert(r && r[0] && r[0] != ' ' && strncmp(r, "; ", 2) != 0, "bad reference \"%s\"", r);
		}
	}
	cr_assert(saw_untested && saw_ok);
	json_decref(j);
	diagnosis_free(&d);
	findings_free(&fs);
}

Test(json, references_split_outside_parentheses)
{
	struct findings fs = { 0 };
	const struct kb_entry *kb = kb_find("smtp.resolve-failed");
	json_t *f, *refs;
	size_t total = 0;

	findings_add(&fs, "smtp.resolve-failed", "x");
	f = json_finding(&fs.v[0]);
	cr_assert_not_null(f);
	refs = json_object_get(f, "references");
	/* joined again with "; " they give back the kb string */
	for (size_t i = 0; i < json_array_size(refs); i++)
		total += strlen(json_string_value(json_array_get(refs, i))) + (i ? 2 : 0);
	cr_assert_eq(total, strlen(kb->refs));
	cr_assert_str_eq(json_string_value(json_array_get(refs, 0)),
	    "Microsoft Learn: Mail flow intelligence (connectors-mail-flow-intelligence)");
	json_decref(f);
	findings_free(&fs);
}

Test(json, smtp_facts_tokens)
{
	struct diagnosis d;
	struct findings fs;
	json_t *j, *s, *tr, *a, *t;

	full_build(&d, &fs, "");
	j = json_report("check", &d, &fs);
	s = path(j, "facts/smtp");

	/* observed_ip null when the server did not say */
	cr_assert(json_is_null(json_object_get(s, "observed_ip")));
	cr_assert_str_eq(sget(s, "connected_address"), "52.101.68.1");
	cr_assert_eq(iget(s, "port"), 25);

	a = json_object_get(s, "attempts");
	cr_assert_str_eq(sget(json_array_get(a, 0), "family"), "ipv6");
	cr_assert_str_eq(sget(json_array_get(a, 0), "result"), "timeout");
	cr_assert_eq(iget(json_array_get(a, 0), "errno"), 110);
	cr_assert_str_eq(sget(json_array_get(a, 1), "family"), "ipv4");
	cr_assert_str_eq(sget(json_array_get(a, 1), "result"), "connected");

	tr = json_object_get(s, "transcript");
	cr_assert_eq(json_array_size(tr), 9);
	cr_assert_str_eq(sget(json_array_get(tr, 0), "dir"), "note");
	cr_assert_str_eq(sget(json_array_get(tr, 1), "dir"), "received");
	cr_assert_str_eq(sget(json_array_get(tr, 2), "dir"), "sent");
	cr_assert(json_is_false(json_object_get(json_array_get(tr, 2), "tls")));
	cr_assert(json_is_true(json_object_get(json_array_get(tr, 6), "tls")));
	cr_assert_eq(iget(json_array_get(tr, 7), "t_ms"), 221);
	cr_assert_str_eq(sget(json_array_get(tr, 8), "text"), "bad \\x01 byte  here");

	/* replies: null when none came */
	cr_assert(json_is_null(json_object_get(s, "helo")));
	cr_assert(json_is_null(json_object_get(s, "mail_plain")));
	cr_assert_eq(iget(json_object_get(s, "banner"), "code"), 220);
	cr_assert(json_is_null(json_object_get(json_object_get(s, "banner"), "enhanced")));
	cr_assert_str_eq(sget(json_object_get(s, "rcpt_tls"), "enhanced"), "5.7.64");
	cr_assert_eq(json_array_size(json_object_get(json_object_get(s, "ehlo"), "lines")), 4);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(s, "extensions"), 2)), "XXXXXXXA");

	cr_assert_str_eq(sget(path(j, "facts/smtp/end"), "result"), "ok");
	cr_assert_str_eq(sget(path(j, "facts/smtp/end"), "phase"), "quit");
	cr_assert(json_is_null(path(j, "facts/smtp/end/reply_error")));
	cr_assert(json_is_null(path(j, "facts/smtp/timings/quit_ms")));
	cr_assert_eq(iget(path(j, "facts/smtp/timings"), "handshake_ms"), 80);
	cr_assert_eq(iget(path(j, "facts/smtp/timings"), "total_ms"), 254);

	t = json_object_get(s, "tls");
	cr_assert_str_eq(sget(t, "version"), "TLSv1.3");
	cr_assert(json_is_null(json_object_get(t, "error")));
	cr_assert(json_is_null(json_object_get(t, "alert")));
	cr_assert_str_eq(sget(t, "name_check"), "match");
	cr_assert_str_eq(sget(t, "checked_at"), "2025-11-24T16:00:00Z");
	cr_assert_eq(iget(json_array_get(json_object_get(t, "verify_errors"), 0), "code"), 10);
	cr_assert_str_eq(sget(path(j, "facts/smtp/tls/chain/0"), "not_after"), "2025-07-01T00:00:00Z");
	cr_assert_str_eq(sget(path(j, "facts/smtp/tls/chain/0"), "not_before"), "2025-01-01T00:00:00Z");
	cr_assert_eq(json_array_size(path(j, "facts/smtp/tls/chain/0/san")), 2);
	cr_assert(json_is_true(path(j, "facts/smtp/tls/chain/1/is_ca")));
	cr_assert(json_is_null(path(j, "facts/smtp/tls/chain/1/extended_key_usage")));

	json_decref(j);
	diagnosis_free(&d);
	findings_free(&fs);
}

Test(json, observed_ip_when_said)
{
	struct diagnosis d;
	struct findings fs;
	json_t *j;

	full_build(&d, &fs, "203.0.113.7");
	j = json_report("smtp", &d, &fs);
	cr_assert_str_eq(json_string_value(path(j, "facts/smtp/observed_ip")), "203.0.113.7");
	json_decref(j);
	diagnosis_free(&d);
	findings_free(&fs);
}

Test(json, never_der_nor_spki)
{
	struct diagnosis d;
	struct findings fs;
	json_t *j;
	char *text;

	full_build(&d, &fs, "203.0.113.7");
	j = json_report("check", &d, &fs);
	cr_assert_not(has_key(j, "der", 0));
	cr_assert_not(has_key(j, "spki", 0));
	text = dump(j);
	cr_assert_null(strstr(text, "\"der\""));
	cr_assert_null(strstr(text, "SECRETDER"));
	cr_assert_null(strstr(text, "SPKI-MARKER"));
	free(text);
	json_decref(j);
	diagnosis_free(&d);
	findings_free(&fs);
}

Test(json, dns_records)
{
	struct diagnosis d;
	struct findings fs;
	json_t *j, *recs, *mx, *srv, *tlsa, *txt;

	full_build(&d, &fs, "203.0.113.7");
	j = json_report("check", &d, &fs);
	recs = path(j, "facts/dns/records");

	mx = json_object_get(recs, "mx");
	cr_assert_str_eq(sget(mx, "type"), "MX");
	cr_assert_str_eq(sget(mx, "status"), "ok");
	cr_assert_eq(iget(json_array_get(json_object_get(mx, "records"), 0), "preference"), 0);
	cr_assert_str_eq(sget(json_array_get(json_object_get(mx, "records"), 0), "target"),
	    "contoso-com.mail.protection.outlook.com");

	/* only the fields of the type */
	txt = json_array_get(path(j, "facts/dns/records/txt/records"), 0);
	cr_assert_eq(json_object_size(txt), 2);
	cr_assert_null(json_object_get(txt, "target"));
	cr_assert_null(json_object_get(txt, "preference"));

	srv = json_array_get(path(j, "facts/dns/records/srv_sip_tls/records"), 0);
	cr_assert_eq(iget(srv, "priority"), 100);
	cr_assert_eq(iget(srv, "weight"), 1);
	cr_assert_eq(iget(srv, "port"), 443);

	cr_assert_str_eq(sget(json_object_get(recs, "dkim_selector1"), "status"), "nxdomain");
	cr_assert_eq(iget(json_object_get(recs, "dkim_selector1"), "rcode"), 3);
	cr_assert_str_eq(sget(json_object_get(recs, "dmarc"), "status"), "nodata");
	cr_assert_str_eq(sget(json_object_get(recs, "mta_sts"), "status"), "timeout");
	cr_assert_str_eq(sget(json_object_get(recs, "mta_sts"), "error"), "no answer within 5000 ms");
	cr_assert_str_eq(sget(json_object_get(recs, "srv_sipfederationtls"), "status"), "servfail");
	cr_assert_str_eq(sget(json_object_get(recs, "sip"), "cname"), "sipdir.online.lync.com");
	cr_assert(json_is_true(path(j, "facts/dns/records/autodiscover/ad")));
	/* not asked: null, but the key is there */
	cr_assert(json_is_null(json_object_get(recs, "dkim_selector2")));
	cr_assert(json_is_null(json_object_get(recs, "tls_rpt")));
	cr_assert(json_is_null(json_object_get(recs, "lyncdiscover")));

	tlsa = json_array_get(path(j, "facts/dns/tlsa/records"), 0);
	cr_assert_eq(iget(tlsa, "usage"), 3);
	cr_assert_eq(iget(tlsa, "selector"), 1);
	cr_assert_eq(iget(tlsa, "matching_type"), 1);
	cr_assert_str_eq(sget(tlsa, "data"), "00ff");

	cr_assert_str_eq(sget(path(j, "facts/dns/ptr_forward"), "type"), "A");
	cr_assert_str_eq(sget(path(j, "facts/dns/spf"), "result"), "fail");
	cr_assert_str_eq(sget(path(j, "facts/dns/spf"), "matched"), "-all");
	cr_assert(json_is_null(path(j, "facts/dns/spf/error")));
	cr_assert_eq(iget(path(j, "facts/dns/spf"), "lookups"), 2);

	json_decref(j);
	diagnosis_free(&d);
	findings_free(&fs);
}

Test(json, dnsbl_results)
{
	struct diagnosis d;
	struct findings fs;
	json_t *j, *r0, *r1, *schema = schema_load(), *def;

	full_build(&d, &fs, "203.0.113.7");
	j = json_report("check", &d, &fs);
	r0 = path(j, "facts/dnsbl/results/0");
	r1 = path(j, "facts/dnsbl/results/1");
	cr_assert_str_eq(sget(r0, "zone"), "zen.spamhaus.org");
	cr_assert_str_eq(sget(r0, "query"), "7.113.0.203.zen.spamhaus.org");
	cr_assert_str_eq(json_string_value(path(j, "facts/dnsbl/results/0/answer/records/0/text")), "127.0.0.2");
	cr_assert_str_eq(json_string_value(path(j, "facts/dnsbl/results/0/reason/records/0/text")),
	    "Listed by SBL, see https://check.spamhaus.org/");
	cr_assert_str_eq(sget(json_object_get(r0, "test_not_listed"), "status"), "nxdomain");
	cr_assert(json_is_true(json_object_get(r1, "skipped")));
	cr_assert(json_is_null(json_object_get(r1, "answer")));
	cr_assert(json_is_null(json_object_get(r1, "query")));
	json_decref(j);

	/* the builder on its own, against its $defs entry */
	j = json_dnsbl_facts(&d.bl);
	def = schema_def(schema, "dnsbl");
	assert_valid(def, j);
	json_decref(def);
	json_decref(j);
	json_decref(schema);
	diagnosis_free(&d);
	findings_free(&fs);
}

Test(json, only_the_steps_that_ran)
{
	struct diagnosis d;
	struct findings fs = { 0 };
	json_t *j, *facts, *schema = schema_load();

	diagnosis_init(&d);
	d.target = xstrdup("contoso.com");
	d.has_dns = true;
	dns_build(&d.dns);
	findings_add(&fs, "dns.mx-eop", "MX points to Exchange Online Protection");
	findings_add(&fs, "dns.dkim-missing", "selector1 is missing");

	j = json_report("dns", &d, &fs);
	assert_valid(schema, j);
	facts = json_object_get(j, "facts");
	cr_assert_null(json_object_get(facts, "smtp"));
	cr_assert_null(json_object_get(facts, "dnsbl"));
	cr_assert_not_null(json_object_get(facts, "dns"));
	cr_assert(json_is_null(json_object_get(facts, "probe_note")));
	cr_assert(json_is_null(json_object_get(j, "started")));
	cr_assert_eq(iget(j, "exit_status"), 1);
	cr_assert_eq(json_array_size(json_object_get(j, "root_causes")), 0);

	json_decref(j);
	json_decref(schema);
	diagnosis_free(&d);
	findings_free(&fs);
}

Test(json, empty_run)
{
	struct diagnosis d;
	struct findings fs = { 0 };
	json_t *j, *schema = schema_load();

	diagnosis_init(&d);
	j = json_report("check", &d, &fs);
	cr_assert_not_null(j);
	assert_valid(schema, j);
	cr_assert(json_is_null(json_object_get(j, "target")));
	cr_assert_eq(iget(j, "exit_status"), 0);
	cr_assert_eq(json_object_size(json_object_get(j, "facts")), 2);
	cr_assert_eq(json_array_size(json_object_get(j, "findings")), 0);
	json_decref(j);
	json_decref(schema);
	diagnosis_free(&d);
}

Test(json, failed_conversation)
{
	struct smtp_facts f;
	json_t *j, *schema = schema_load(), *def;

	smtp_facts_init(&f);
	f.host = xstrdup("mail.contoso.com");
	f.port = 25;
	f.started_at = T_STARTED;
	reply_set(&f.banner, 220, "", 15, 1, "**************************");
	f.end = END_PROTOCOL;
	f.end_phase = PHASE_EHLO;
	f.reply_error = REPLY_ERR_CODE_MISMATCH;
	f.end_detail = xstrdup("250-a then 251 b");
	f.tls.attempted = false;
	j = json_smtp_facts(&f);
	def = schema_def(schema, "smtp");
	assert_valid(def, j);
	cr_assert_str_eq(json_string_value(path(j, "end/result")), "protocol-error");
	cr_assert_str_eq(json_string_value(path(j, "end/phase")), "ehlo");
	cr_assert_str_eq(json_string_value(path(j, "end/reply_error")), "code-mismatch");
	cr_assert(json_is_null(path(j, "ehlo_name")));
	cr_assert(json_is_null(path(j, "tls/checked_at")));
	cr_assert(json_is_null(path(j, "tls/trust_store")));
	cr_assert(json_is_null(path(j, "timings/connect_ms")));
	cr_assert(json_is_null(path(j, "connected_address")));
	cr_assert_eq(json_array_size(path(j, "tls/chain")), 0);
	json_decref(j);

	/* not run at all: no phase */
	smtp_facts_free(&f);
	j = json_smtp_facts(&f);
	assert_valid(def, j);
	cr_assert_str_eq(json_string_value(path(j, "end/result")), "none");
	cr_assert(json_is_null(path(j, "end/phase")));
	cr_assert(json_is_null(path(j, "started")));
	json_decref(j);
	json_decref(def);
	json_decref(schema);
}

Test(json, null_answer)
{
	struct dns_answer a = { 0 };
	json_t *j = json_dns_answer(&a);

	cr_assert(json_is_null(j));
	json_decref(j);
	answer_set(&a, "x.contoso.com", 99, DNS_REFUSED, 3);
	j = json_dns_answer(&a);
	cr_assert_str_eq(json_string_value(json_object_get(j, "type")), "TYPE99");
	cr_assert_str_eq(json_string_value(json_object_get(j, "status")), "refused");
	json_decref(j);
	dns_answer_free(&a);
}

/* Every token a mapping can give is an enum value of the schema. */
static void assert_in_enum(json_t *schema, const char *ref, const char *token)
{
	const json_t *e = jsonschema_lite_resolve(schema, ref);
	size_t i;
	json_t *v;

	cr_assert_not_null(e, "no %s", ref);
	cr_assert_not_null(token, "a NULL token for %s", ref);
	json_array_foreach(e, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), token) == 0)
			return;
	cr_assert_fail("\"%s\" is not in %s", token, ref);
}

Test(json, tokens_are_in_the_schema)
{
	json_t *schema = schema_load();

	for (int s = SEV_OK; s <= SEV_UNTESTED; s++)
		assert_in_enum(schema, "#/$defs/finding/properties/severity/enum", json_severity_token(s));
	for (int r = CONN_OK; r <= CONN_SKIPPED; r++)
		assert_in_enum(schema, "#/$defs/attempt/properties/result/enum", json_connect_result_token(r));
	for (int e = END_NONE; e <= END_LOCAL_ERROR; e++)
		assert_in_enum(schema, "#/$defs/smtp_end/properties/result/enum", json_smtp_end_token(e));
	for (int p = PHASE_RESOLVE; p < PHASE_COUNT; p++)
		assert_in_enum(schema, "#/$defs/smtp_end/properties/phase/enum", json_phase_token(p));
	for (int s = DNS_OK; s <= DNS_ERROR; s++)
		assert_in_enum(schema, "#/$defs/answer/properties/status/enum", json_dns_status_token(s));
	for (int t = TDIR_SENT; t <= TDIR_NOTE; t++)
		assert_in_enum(schema, "#/$defs/transcript_line/properties/dir/enum", json_tdir_token(t));
	cr_assert_str_eq(json_severity_token(SEV_UNTESTED), "untested");
	cr_assert_str_eq(json_connect_result_token(CONN_SKIPPED), "skipped");
	cr_assert_str_eq(json_tdir_token(TDIR_RECV), "received");
	json_decref(schema);
}

/* Every property and every $defs entry of the schema has a description. */
static void assert_described(const json_t *s, const char *where, int depth)
{
	const char *k;
	json_t *v, *props, *items;
	char sub[300];

	cr_assert_lt(depth, 32);
	if (!json_is_object(s))
		return;
	if ((props = json_object_get(s, "properties")) != NULL) {
		json_object_foreach(props, k, v) {
			snprintf(sub, sizeof sub, "%s.%s", where, k);
			cr_assert(json_is_string(json_object_get(v, "description")) &&
			    json_string_length(json_object_get(v, "description")) > 0, "%s has no description", sub);
			assert_described(v, sub, depth + 1);
		}
	}
	if ((items = json_object_get(s, "items")) != NULL) {
		snprintf(sub, sizeof sub, "%s[]", where);
		assert_described(items, sub, depth + 1);
	}
}

Test(json, schema_is_documented)
{
	json_t *schema = schema_load(), *defs = json_object_get(schema, "$defs"), *v;
	const char *k;
	char where[100];

	cr_assert(json_is_string(json_object_get(schema, "description")));
	cr_assert_str_eq(json_string_value(json_object_get(schema, "$schema")),
	    "https://json-schema.org/draft/2020-12/schema");
	cr_assert_eq(json_integer_value(jsonschema_lite_resolve(schema, "#/properties/version/const")), JSON_SCHEMA_VERSION);
	assert_described(schema, "$", 0);
	json_object_foreach(defs, k, v) {
		snprintf(where, sizeof where, "$defs.%s", k);
		cr_assert(json_is_string(json_object_get(v, "description")), "%s has no description", where);
		assert_described(v, where, 0);
	}
	json_decref(schema);
}

/* ---- json_write ---- */

Test(json, write_format)
{
	struct diagnosis d;
	struct findings fs;
	json_t *j, *back;
	json_error_t e;
	char *text;
	size_t len;

	full_build(&d, &fs, "203.0.113.7");
	j = json_report("check", &d, &fs);
	text = dump(j);
	len = strlen(text);
	cr_assert_gt(len, 2);
	cr_assert_eq(text[len - 1], '\n');
	cr_assert_neq(text[len - 2], '\n');
	cr_assert_eq(strncmp(text, "{\n  \"schema\": \"hybridtls-report\",\n  \"version\": 1,\n", 49), 0,
	    "starts: %.60s", text);
	/* "\n" in kb text is escaped, not a raw newline inside a string */
	cr_assert_not_null(strstr(text, "\\n2. "));
	/* ASCII only here, so certainly valid UTF-8 */
	for (size_t i = 0; i < len; i++)
		cr_assert_lt((unsigned char)text[i], 0x80);

	back = json_loads(text, 0, &e);
	cr_assert_not_null(back, "%s", e.text);
	cr_assert(json_equal(back, j), "the written report does not read back equal");
	json_decref(back);
	free(text);
	json_decref(j);
	diagnosis_free(&d);
	findings_free(&fs);
}

Test(json, write_line)
{
	struct diagnosis d;
	struct findings fs;
	json_t *j, *back;
	json_error_t e;
	char *buf = NULL, err[200];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	full_build(&d, &fs, "203.0.113.7");
	j = json_report("batch", &d, &fs);
	cr_assert_not_null(f);
	cr_assert(json_write_line(j, f, err, sizeof err), "%s", err);
	cr_assert(json_write_line(j, f, err, sizeof err), "%s", err);
	fclose(f);
	/* two records, each exactly one line */
	cr_assert_eq(buf[len - 1], '\n');
	cr_assert_eq(strchr(buf, '\n') - buf, (ptrdiff_t)(len / 2 - 1));
	buf[len / 2 - 1] = '\0';
	back = json_loads(buf, 0, &e);
	cr_assert_not_null(back, "%s", e.text);
	cr_assert(json_equal(back, j));
	json_decref(back);
	free(buf);
	json_decref(j);
	diagnosis_free(&d);
	findings_free(&fs);
}

Test(json, write_errors)
{
	char err[200] = "";
	FILE *ro = fopen("/dev/null", "r");
	json_t *j = json_pack("{s:i}", "a", 1);

	cr_assert_not_null(ro);
	cr_assert_not(json_write(j, ro, err, sizeof err));
	cr_assert_neq(err[0], '\0');
	fclose(ro);
	err[0] = '\0';
	cr_assert_not(json_write(NULL, stdout, err, sizeof err));
	cr_assert_neq(err[0], '\0');
	json_decref(j);
}

Test(json, non_utf8_strings_are_escaped)
{
	struct dnsbl_facts b = { 0 };
	json_t *j;

	snprintf(b.ip, sizeof b.ip, "203.0.113.7");
	b.zones_file = xstrdup("/tmp/z\xff\xfeones");
	j = json_dnsbl_facts(&b);
	cr_assert_not_null(j);
	cr_assert_str_eq(json_string_value(json_object_get(j, "zones_file")), "/tmp/z\\xff\\xfeones");
	json_decref(j);
	dnsbl_facts_free(&b);
}

/* ---- the validator can fail ---- */

static json_t *full_doc(void)
{
	struct diagnosis d;
	struct findings fs;
	json_t *j;

	full_build(&d, &fs, "203.0.113.7");
	j = json_report("check", &d, &fs);
	cr_assert_not_null(j);
	diagnosis_free(&d);
	findings_free(&fs);
	return j;
}

Test(jsonschema_lite, rejects_missing_required)
{
	json_t *schema = schema_load(), *j = full_doc();

	json_object_del(j, "exit_status");
	assert_invalid(schema, j, "$", "required property \"exit_status\" is missing");
	json_decref(j);

	j = full_doc();
	json_object_del(path(j, "facts/smtp/tls"), "chain");
	assert_invalid(schema, j, "$.facts.smtp.tls", "\"chain\"");
	json_decref(j);
	json_decref(schema);
}

Test(jsonschema_lite, rejects_wrong_type)
{
	json_t *schema = schema_load(), *j = full_doc();

	json_object_set_new(path(j, "facts/smtp"), "port", json_string("25"));
	assert_invalid(schema, j, "$.facts.smtp.port", "expected integer, got string");
	json_decref(j);

	j = full_doc();
	json_object_set_new(path(j, "facts/smtp"), "observed_ip", json_integer(7));
	assert_invalid(schema, j, "$.facts.smtp.observed_ip", "expected string or null, got integer");
	json_decref(j);

	j = full_doc();
	json_object_set_new(path(j, "facts/dns/records/mx/records/0"), "preference", json_string("0"));
	assert_invalid(schema, j, "$.facts.dns.records.mx.records[0].preference", "expected integer");
	json_decref(j);

	j = full_doc();
	json_array_append_new(path(j, "findings/2/evidence"), json_true());
	assert_invalid(schema, j, "$.findings[2].evidence[0]", "expected string, got boolean");
	json_decref(j);
	json_decref(schema);
}

Test(jsonschema_lite, rejects_bad_enum_const_minimum_extra)
{
	json_t *schema = schema_load(), *j = full_doc();

	json_object_set_new(path(j, "findings/1"), "severity", json_string("could not test"));
	assert_invalid(schema, j, "$.findings[1].severity", "not one of the enum values");
	json_decref(j);

	j = full_doc();
	json_object_set_new(path(j, "facts/smtp/transcript/0"), "dir", json_string("->"));
	assert_invalid(schema, j, "$.facts.smtp.transcript[0].dir", "not one of the enum values");
	json_decref(j);

	j = full_doc();
	json_object_set_new(j, "version", json_integer(2));
	assert_invalid(schema, j, "$.version", "not the constant 1");
	json_decref(j);

	j = full_doc();
	json_object_set_new(path(j, "counts"), "failure", json_integer(-1));
	assert_invalid(schema, j, "$.counts.failure", "below the minimum");
	json_decref(j);

	j = full_doc();
	json_object_set_new(path(j, "facts/smtp/tls/chain/0"), "der", json_string("MIIB"));
	assert_invalid(schema, j, "$.facts.smtp.tls.chain[0]", "\"der\" is not allowed");
	json_decref(j);
	json_decref(schema);
}

Test(jsonschema_lite, bounded_and_strict)
{
	char err[256];
	json_error_t e;
	json_t *loop = json_loads("{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/a\"}},\"$ref\":\"#/$defs/a\"}", 0, &e);
	json_t *pattern = json_loads("{\"type\":\"string\",\"pattern\":\"^a\"}", 0, &e);
	json_t *dangling = json_loads("{\"$ref\":\"#/$defs/nope\"}", 0, &e);
	json_t *esc = json_loads("{\"$defs\":{\"a/b~c\":{\"type\":\"integer\"}},\"$ref\":\"#/$defs/a~1b~0c\"}",
	    0, &e);
	json_t *num = json_integer(5), *str = json_string("a");

	cr_assert_not_null(loop);
	cr_assert_not(jsonschema_lite_validate(loop, num, err, sizeof err));
	cr_assert_not_null(strstr(err, "deeper"), "%s", err);
	cr_assert_not(jsonschema_lite_validate(pattern, str, err, sizeof err));
	cr_assert_not_null(strstr(err, "unsupported keyword \"pattern\""), "%s", err);
	cr_assert_not(jsonschema_lite_validate(dangling, num, err, sizeof err));
	cr_assert_not_null(strstr(err, "does not resolve"), "%s", err);
	cr_assert(jsonschema_lite_validate(esc, num, err, sizeof err), "%s", err);
	cr_assert_not(jsonschema_lite_validate(esc, str, err, sizeof err));
	cr_assert_not(jsonschema_lite_validate(NULL, num, err, sizeof err));
	cr_assert(jsonschema_lite_validate(json_true(), str, err, sizeof err));
	json_decref(loop);
	json_decref(pattern);
	json_decref(dangling);
	json_decref(esc);
	json_decref(num);
	json_decref(str);
}

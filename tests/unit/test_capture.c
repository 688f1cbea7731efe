/*
 * Captures (src/capture.c): a round trip is byte-identical (for captures
 * written by real runs, committed as the fuzz seeds, and for a diagnosis with
 * every field set), the rules give the same findings on the copy read back,
 * dates are judged at the capture's own time, and every kind of bad file
 * gets its own clear message naming the file and the field.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "capture_io.h"
#include "connector.h"
#include "findings.h"
#include "kb.h"
#include "onpremcert.h"
#include "rules.h"
#include "spf.h"
#include "testutil.h"

#ifndef SRCDIR
#define SRCDIR "."
#endif
#define SEEDS SRCDIR "/tests/fixtures/captures"
#define MADE ((time_t)1795500000)

static char dir[] = "/tmp/htls-capture.XXXXXX";

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

TestSuite(capture, .init = setup, .fini = teardown);

/* ---- helpers ---- */

/* The capture of d, made at MADE, as the file holds it. */
static char *dump(const struct diagnosis *d)
{
	char *err = NULL, *s;
	json_t *j = capture_to_json(d, MADE, &err);

	cr_assert_not_null(j, "%s", err);
	s = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(j);
	cr_assert_not_null(s);
	return s;
}

static void parse_ok(const char *text, struct diagnosis *d)
{
	char *err = NULL;

	cr_assert(capture_parse(text, strlen(text), "t.json", d, &err), "%s", err);
	cr_assert_null(err);
}

/* The message capture_parse gives for text (caller frees). */
static char *parse_err(const char *text, size_t len)
{
	struct diagnosis d;
	char *err = NULL;

	cr_assert_not(capture_parse(text, len, "bad.json", &d, &err), "accepted: %.200s", text);
	cr_assert_not_null(err);
	cr_assert_not(d.has_smtp || d.has_dns || d.has_dnsbl || d.target != NULL, "not left empty");
	diagnosis_free(&d);
	return err;
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	cr_assert_not_null(fp, "%s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "w");

	cr_assert_not_null(fp, "%s", path);
	cr_assert_eq(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

/* The same findings: ids, severities, summaries, evidence, root causes, order. */
static void assert_same_findings(const struct findings *a, const struct findings *b, const char *what)
{
	cr_assert_eq(a->n, b->n, "%s: %zu findings, %zu after the round trip", what, a->n, b->n);
	for (size_t i = 0; i < a->n; i++) {
		const struct finding *x = &a->v[i], *y = &b->v[i];

		cr_assert_str_eq(x->kb->id, y->kb->id, "%s: finding %zu", what, i);
		cr_assert_eq(x->sev, y->sev, "%s: %s", what, x->kb->id);
		cr_assert_eq(x->root, y->root, "%s: %s", what, x->kb->id);
		cr_assert_str_eq(x->summary, y->summary, "%s: %s", what, x->kb->id);
		cr_assert_eq(x->nevidence, y->nevidence, "%s: %s", what, x->kb->id);
		for (size_t k = 0; k < x->nevidence; k++)
			cr_assert_str_eq(x->evidence[k], y->evidence[k], "%s: %s", what, x->kb->id);
	}
}

static void findings_of(const struct diagnosis *d, struct findings *fs)
{
	memset(fs, 0, sizeof *fs);
	rules_all(d, NULL, fs);
	findings_sort(fs);
}

/* ---- a diagnosis with every field set ---- */

static char **strv(size_t n, const char *prefix)
{
	char **v = calloc(n, sizeof *v);

	cr_assert_not_null(v);
	for (size_t i = 0; i < n; i++) {
		cr_assert(asprintf(&v[i], "%s %zu", prefix, i) > 0);
	}
	return v;
}

static void fill_reply(struct smtp_reply_facts *r, int code, const char *esc, const char *text)
{
	r->code = code;
	snprintf(r->esc, sizeof r->esc, "%s", esc);
	r->lines = strv(2, text);
	r->nlines = 2;
	r->ms = code;
}

static unsigned char *bytes(size_t n, unsigned char seed)
{
	unsigned char *p = malloc(n);

	cr_assert_not_null(p);
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i * 7);
	return p;
}

static void fill_cert(struct cert_facts *c, const char *cn, size_t derlen)
{
	char buf[200];

	snprintf(buf, sizeof buf, "CN=%s,O=Contoso", cn);
	c->subject = xstrdup(buf);
	c->issuer = xstrdup("CN=Contoso Issuing CA,O=Contoso");
	c->common_name = xstrdup(cn);
	c->san = strv(3, "DNS:name");
	c->nsan = 3;
	c->not_before = 1700000000;
	c->not_after = 1800000000;
	snprintf(c->key_type, sizeof c->key_type, "EC");
	c->key_bits = 256;
	snprintf(c->sig_alg, sizeof c->sig_alg, "ecdsa-with-SHA256");
	c->key_usage = xstrdup("Digital Signature");
	c->ext_key_usage = xstrdup("TLS Web Server Authentication, TLS Web Client Authentication");
	c->is_ca = derlen == 1;
	c->self_issued = derlen == 2;
	snprintf(c->sha256, sizeof c->sha256, "01:23:45:67:89:AB:CD:EF");
	c->der = bytes(derlen, 0x30);
	c->derlen = derlen;
	c->spki = bytes(derlen / 2 + 1, 0x80);
	c->spkilen = derlen / 2 + 1;
}

static void fill_answer(struct dns_answer *a, const char *name, uint16_t type, size_t n)
{
	a->name = xstrdup(name);
	a->type = type;
	a->status = n > 0 ? DNS_OK : DNS_NXDOMAIN;
	a->rcode = n > 0 ? 0 : 3;
	a->ad = n == 2;
	a->rr = calloc(n ? n : 1, sizeof *a->rr);
	cr_assert_not_null(a->rr);
	a->n = n;
	for (size_t i = 0; i < n; i++) {
		struct dns_rr *r = &a->rr[i];

		r->type = type;
		r->ttl = 3600 + (uint32_t)i;
		cr_assert(asprintf(&r->text, "record %zu of %s", i, name) > 0);
		r->target = xstrdup("target.contoso.com");
		r->pref = (uint16_t)(10 * i);
		r->weight = 5;
		r->port = 5061;
		r->usage = 3;
		r->selector = 1;
		r->mtype = 1;
		r->data = bytes(32, (unsigned char)i);
		r->datalen = 32;
	}
	a->cname = xstrdup("alias.contoso.com");
	a->ms = 12;
	a->error = n == 0 ? xstrdup("no such name") : NULL;
}

static void fill_smtp(struct smtp_facts *f, const char *host)
{
	static const char *const lines[] = { "220 mail ESMTP", "EHLO client.test", "250 ok" };

	f->host = xstrdup(host);
	f->port = 2525;
	f->ehlo_name = xstrdup("client.test");
	f->tls_name = xstrdup("mail.contoso.com");
	f->started_at = 1795500000;
	f->attempts = calloc(3, sizeof *f->attempts);
	cr_assert_not_null(f->attempts);
	f->nattempts = 3;
	snprintf(f->attempts[0].addr, sizeof f->attempts[0].addr, "2001:db8::25");
	f->attempts[0].family = AF_INET6;
	f->attempts[0].result = CONN_UNREACHABLE;
	f->attempts[0].err = 101;
	f->attempts[0].ms = 1;
	snprintf(f->attempts[1].addr, sizeof f->attempts[1].addr, "192.0.2.25");
	f->attempts[1].family = AF_INET;
	f->attempts[1].result = CONN_OK;
	f->attempts[1].ms = 20;
	f->attempts[2].result = CONN_SKIPPED;
	f->connections = 2;
	f->resolve_error = xstrdup("resolver note");
	snprintf(f->connected_addr, sizeof f->connected_addr, "192.0.2.25");
	snprintf(f->local_addr, sizeof f->local_addr, "10.0.0.7");
	fill_reply(&f->banner, 220, "", "mail.contoso.com ESMTP");
	fill_reply(&f->ehlo, 250, "", "mail.contoso.com Hello [203.0.113.7]");
	f->ehlo_sent = true;
	fill_reply(&f->helo, 250, "", "helo");
	f->ext = strv(4, "EXT");
	f->next = 4;
	f->starttls_offered = true;
	fill_reply(&f->starttls, 220, "2.0.0", "SMTP server ready");
	fill_reply(&f->ehlo_tls, 250, "", "after tls");
	f->ext_tls = strv(2, "TLSEXT");
	f->next_tls = 2;
	fill_reply(&f->quit, 221, "2.0.0", "bye");
	f->envelope_asked = true;
	fill_reply(&f->mail_plain, 250, "2.1.0", "sender ok");
	fill_reply(&f->rcpt_plain, 451, "5.7.3", "Must issue a STARTTLS command first");
	fill_reply(&f->mail_tls, 250, "2.1.0", "sender ok");
	fill_reply(&f->rcpt_tls, 250, "2.1.5", "recipient ok");
	snprintf(f->observed_ip, sizeof f->observed_ip, "203.0.113.7");
	f->end = END_PROTOCOL;
	f->end_phase = PHASE_EHLO_TLS;
	f->end_detail = xstrdup("the server broke the reply syntax");
	f->reply_error = REPLY_ERR_CODE_MISMATCH;
	for (int i = 0; i < PHASE_COUNT; i++)
		f->phase_ms[i] = i == PHASE_ENVELOPE ? -1 : 3 * i;
	f->total_ms = 99;
	for (size_t i = 0; i < 3; i++)
		transcript_add(&f->tr, (int64_t)i * 5, (enum tdir)i, i == 2, lines[i], strlen(lines[i]));
	f->tls.attempted = true;
	f->tls.ok = true;
	snprintf(f->tls.version, sizeof f->tls.version, "TLSv1.3");
	snprintf(f->tls.cipher, sizeof f->tls.cipher, "TLS_AES_256_GCM_SHA384");
	f->tls.error = xstrdup("an error text");
	snprintf(f->tls.alert, sizeof f->tls.alert, "bad certificate");
	f->tls.chain = calloc(3, sizeof *f->tls.chain);
	cr_assert_not_null(f->tls.chain);
	f->tls.nchain = 3;
	fill_cert(&f->tls.chain[0], "mail.contoso.com", 700);
	fill_cert(&f->tls.chain[1], "Issuing CA", 1);
	fill_cert(&f->tls.chain[2], "Root", 2);
	f->tls.verified = false;
	f->tls.verr = calloc(2, sizeof *f->tls.verr);
	cr_assert_not_null(f->tls.verr);
	f->tls.nverr = 2;
	f->tls.verr[0] = (struct verify_error){ .depth = 0, .code = 10, .text = "certificate has expired" };
	f->tls.verr[1] = (struct verify_error){ .depth = 2, .code = 19, .text = "self-signed certificate in chain" };
	f->tls.trust_store = xstrdup("/etc/ssl/certs/ca.pem");
	f->tls.name = NAME_MISMATCH;
	f->tls.name_checked = xstrdup("mail.contoso.com");
	f->tls.legacy_only = true;
	snprintf(f->tls.legacy_version, sizeof f->tls.legacy_version, "TLSv1");
	f->tls.ms = 40;
	f->tls.client_cert_offered = true;
	f->tls.client_cert_requested = true;
	snprintf(f->tls.after_alert, sizeof f->tls.after_alert, "certificate required");
	f->tls.checked_at = 1795500001;
}

static void fill(struct diagnosis *d)
{
	static const char *const exports[] = {
		SRCDIR "/tests/fixtures/connectors/inbound-hcw.json",
		SRCDIR "/tests/fixtures/connectors/outbound.fl.txt",
		SRCDIR "/tests/fixtures/connectors/receive-frontend.clixml.xml",
	};
	char err[512];

	diagnosis_init(d);
	d->target = xstrdup("contoso.com");
	d->given_ip = xstrdup("203.0.113.7");
	d->ip_source = xstrdup("named by the server");
	d->probe_note = xstrdup("the preferred MX host");
	d->has_smtp = d->has_dns = d->has_dnsbl = d->has_onprem = true;
	fill_smtp(&d->smtp, "contoso-com.mail.protection.outlook.com");
	fill_smtp(&d->onprem, "mail.contoso.com");
	d->onprem_note = xstrdup("the smart host");

	d->dns.domain = xstrdup("contoso.com");
	for (int i = 0; i < REC_COUNT; i++) {
		char *name = dns_rec_name((enum dns_rec)i, "contoso.com");

		d->dns.asked[i] = i != REC_SIP;
		if (i != REC_SIP && i != REC_DKIM2)
			fill_answer(&d->dns.rec[i], name, dns_rec_type((enum dns_rec)i), (size_t)(i % 3));
		free(name);
	}
	d->dns.tlsa_host = xstrdup("mx.contoso.com");
	fill_answer(&d->dns.tlsa, "_25._tcp.mx.contoso.com", DNS_T_TLSA, 2);
	snprintf(d->dns.ip, sizeof d->dns.ip, "203.0.113.7");
	fill_answer(&d->dns.ptr, "7.113.0.203.in-addr.arpa", DNS_T_PTR, 1);
	fill_answer(&d->dns.ptr_fwd, "mail.contoso.com", DNS_T_A, 1);
	d->dns.spf_evaluated = true;
	d->dns.spf_result = SPF_SOFTFAIL;
	snprintf(d->dns.spf_matched, sizeof d->dns.spf_matched, "~all");
	d->dns.spf_lookups = 4;
	snprintf(d->dns.spf_error, sizeof d->dns.spf_error, "an SPF note");
	d->dns.spf_cache = calloc(2, sizeof *d->dns.spf_cache);
	cr_assert_not_null(d->dns.spf_cache);
	d->dns.nspf_cache = 2;
	fill_answer(&d->dns.spf_cache[0].a, "spf.protection.outlook.com", DNS_T_TXT, 1);
	fill_answer(&d->dns.spf_cache[1].a, "mx.contoso.com", DNS_T_A, 0);

	snprintf(d->bl.ip, sizeof d->bl.ip, "203.0.113.7");
	d->bl.zones_file = xstrdup("/usr/share/hybridtls/dnsbl.zones");
	d->bl.v = calloc(2, sizeof *d->bl.v);
	cr_assert_not_null(d->bl.v);
	d->bl.n = 2;
	d->bl.v[0].id = xstrdup("zen.spamhaus.org");
	d->bl.v[0].qname = xstrdup("7.113.0.203.zen.spamhaus.org");
	fill_answer(&d->bl.v[0].a, "7.113.0.203.zen.spamhaus.org", DNS_T_A, 1);
	fill_answer(&d->bl.v[0].txt, "7.113.0.203.zen.spamhaus.org", DNS_T_TXT, 1);
	fill_answer(&d->bl.v[0].test_pos, "2.0.0.127.zen.spamhaus.org", DNS_T_A, 1);
	fill_answer(&d->bl.v[0].test_neg, "1.0.0.127.zen.spamhaus.org", DNS_T_A, 0);
	d->bl.v[1].id = xstrdup("v6only.example");
	d->bl.v[1].skipped = true;

	d->connectors = calloc(3, sizeof *d->connectors);
	d->connector_files = calloc(3, sizeof *d->connector_files);
	cr_assert(d->connectors != NULL && d->connector_files != NULL);
	for (size_t i = 0; i < 3; i++) {
		cr_assert(connector_load_file(exports[i], &d->connectors[i], err, sizeof err), "%s", err);
		d->connector_files[i] = xstrdup(exports[i]);
		d->nconnectors++;
	}
	d->connector_errors = strv(2, "bad.json: line 3: something");
	d->nconnector_errors = 2;

	d->cert = calloc(1, sizeof *d->cert);
	cr_assert_not_null(d->cert);
	d->cert->source = xstrdup("onprem.pfx");
	snprintf(d->cert->format, sizeof d->cert->format, "PKCS12");
	d->cert->password_used = true;
	fill_cert(&d->cert->leaf, "mail.contoso.com", 500);
	d->cert->chain = calloc(1, sizeof *d->cert->chain);
	cr_assert_not_null(d->cert->chain);
	d->cert->nchain = 1;
	fill_cert(&d->cert->chain[0], "Issuing CA", 300);
	d->cert->key_present = true;
	d->cert->key_matches = true;
	d->cert->issuer_x500 = xstrdup("CN=Contoso Issuing CA, O=Contoso");
	d->cert->subject_x500 = xstrdup("CN=mail.contoso.com, O=Contoso");
	d->cert->tls_certificate_name = xstrdup("<I>CN=Contoso Issuing CA, O=Contoso<S>CN=mail.contoso.com, O=Contoso");
	d->cert->checked = true;
	d->cert->verified = false;
	d->cert->verr = calloc(1, sizeof *d->cert->verr);
	cr_assert_not_null(d->cert->verr);
	d->cert->nverr = 1;
	d->cert->verr[0] = (struct verify_error){ .depth = 1, .code = 2, .text = "unable to get issuer certificate" };
	d->cert->trust_store = xstrdup("system");
	d->cert->checked_at = 1795500002;
	d->cert->chain_complete = false;
	d->cert->chain_missing = xstrdup("CN=Contoso Root");
	d->cert_error = xstrdup("another.pem: cannot read");
}

/* ---- round trips ---- */

Test(capture, every_field_round_trips_byte_identical)
{
	struct diagnosis d, back;
	struct findings a, b;
	char *s1, *s2;

	fill(&d);
	s1 = dump(&d);
	parse_ok(s1, &back);
	s2 = dump(&back);
	cr_assert_str_eq(s1, s2, "write -> read -> write changed the document");

	/* A few fields by value: what a writer alone could not prove. */
	cr_assert(back.has_smtp && back.has_dns && back.has_dnsbl && back.has_onprem);
	cr_assert_eq(back.smtp.tls.chain[0].derlen, 700);
	cr_assert_eq(memcmp(back.smtp.tls.chain[0].der, d.smtp.tls.chain[0].der, 700), 0);
	cr_assert_eq(back.smtp.attempts[0].family, AF_INET6);
	cr_assert_eq(back.smtp.phase_ms[PHASE_ENVELOPE], -1);
	cr_assert_eq(back.smtp.tr.n, 3);
	cr_assert_eq(back.smtp.tr.v[2].dir, TDIR_NOTE);
	cr_assert_eq(back.dns.rec[REC_TLSRPT].n, d.dns.rec[REC_TLSRPT].n);
	cr_assert_not(back.dns.asked[REC_SIP]);
	cr_assert_null(back.dns.rec[REC_DKIM2].name);
	cr_assert_eq(back.nconnectors, 3);
	cr_assert_str_eq(back.connectors[1].format, "Format-List");
	cr_assert_eq(back.connectors[0].v[0].enabled, d.connectors[0].v[0].enabled);
	cr_assert_eq(back.connectors[0].v[0].sender_ip_addresses.present,
	    d.connectors[0].v[0].sender_ip_addresses.present);
	cr_assert_not_null(back.cert);
	cr_assert_str_eq(back.cert->tls_certificate_name, d.cert->tls_certificate_name);
	cr_assert_eq(back.cert->checked_at, 1795500002);

	findings_of(&d, &a);
	findings_of(&back, &b);
	cr_assert_gt(a.n, 10, "the filled diagnosis gives findings to compare");
	assert_same_findings(&a, &b, "filled");
	findings_free(&a);
	findings_free(&b);
	free(s1);
	free(s2);
	diagnosis_free(&d);
	diagnosis_free(&back);
}

/* The created stamp of a capture file, as a time. */
static time_t created_of(const char *text)
{
	json_t *j = json_loads(text, 0, NULL);
	struct tm tm = { 0 };
	const char *s;

	cr_assert_not_null(j);
	s = json_string_value(json_object_get(j, "created"));
	cr_assert_not_null(s);
	cr_assert_not_null(strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm));
	json_decref(j);
	return timegm(&tm);
}

/* Captures written by real runs (tests/fixtures/captures): read and written
 * again with the same stamp, they come out as the very same bytes. */
Test(capture, real_captures_round_trip_byte_identical_with_the_same_findings)
{
	DIR *dp = opendir(SEEDS);
	struct dirent *de;
	int n = 0;

	cr_assert_not_null(dp);
	while ((de = readdir(dp)) != NULL) {
		char path[512], *text, *err = NULL, *again;
		struct diagnosis d, back;
		struct findings a, b;
		json_t *j;

		if (strstr(de->d_name, ".json") == NULL || strncmp(de->d_name, "bad-", 4) == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", SEEDS, de->d_name);
		text = slurp(path);
		cr_assert(capture_load(path, &d, &err), "%s", err);
		j = capture_to_json(&d, created_of(text), &err);
		cr_assert_not_null(j, "%s", err);
		again = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		json_decref(j);
		cr_assert_not_null(again);
		cr_assert(strlen(text) == strlen(again) + 1 && strncmp(text, again, strlen(again)) == 0,
		    "%s changed in the round trip", de->d_name);
		parse_ok(again, &back);
		findings_of(&d, &a);
		findings_of(&back, &b);
		assert_same_findings(&a, &b, de->d_name);
		findings_free(&a);
		findings_free(&b);
		diagnosis_free(&d);
		diagnosis_free(&back);
		free(again);
		free(text);
		n++;
	}
	closedir(dp);
	cr_assert_geq(n, 5, "the seed captures are there");
}

/* smtp_facts_copy (a batch's shared probe): a copy of every real capture's
 * probes writes the very same capture, and owns all of its memory. */
Test(capture, a_deep_copy_of_the_facts_writes_the_same_capture)
{
	DIR *dp = opendir(SEEDS);
	struct dirent *de;
	int n = 0;

	cr_assert_not_null(dp);
	while ((de = readdir(dp)) != NULL) {
		char path[512], *err = NULL, *s1, *s2;
		struct diagnosis d, copy;

		if (strstr(de->d_name, ".json") == NULL || strncmp(de->d_name, "bad-", 4) == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", SEEDS, de->d_name);
		cr_assert(capture_load(path, &d, &err), "%s", err);
		if (d.has_smtp) {
			d.smtp.budget_note = xstrdup("the retry allowing TLS 1.0/1.1 not tried: ...");
			d.smtp.shared_from = xstrdup("d1.example");
		}
		diagnosis_init(&copy);
		copy.has_smtp = d.has_smtp;
		copy.has_onprem = d.has_onprem;
		cr_assert(smtp_facts_copy(&copy.smtp, &d.smtp));
		cr_assert(smtp_facts_copy(&copy.onprem, &d.onprem));
		/* Only the probes are compared: the rest of the diagnosis stays in d. */
		s1 = dump(&(struct diagnosis){ .has_smtp = d.has_smtp, .has_onprem = d.has_onprem, .smtp = d.smtp,
		    .onprem = d.onprem });
		s2 = dump(&copy);
		cr_assert_str_eq(s1, s2, "%s", de->d_name);
		/* Freed apart: nothing is shared (ASan and glibc catch a double free). */
		diagnosis_free(&d);
		s2 = (free(s2), dump(&copy));
		cr_assert_str_eq(s1, s2, "%s: the copy changed when the original was freed", de->d_name);
		free(s1);
		free(s2);
		diagnosis_free(&copy);
		n++;
	}
	closedir(dp);
	cr_assert_geq(n, 5);
}

/* A string the facts should not hold (a connector export may carry an escape
 * or bytes that are not UTF-8) is written escaped, and read back as written. */
Test(capture, control_characters_and_bad_utf8_are_written_escaped)
{
	struct diagnosis d, back;
	char *s1, *s2;

	fill(&d);
	free(d.connectors[0].v[0].comment);
	d.connectors[0].v[0].comment = xstrdup("line one\nline two\x1b[2J\xc2\x9b" "31m\tend");
	free(d.probe_note);
	d.probe_note = xstrdup("caf\xe9 \x01");
	s1 = dump(&d);
	parse_ok(s1, &back);
	cr_assert_str_eq(back.connectors[0].v[0].comment, "line one\nline two\\x1b[2J\\xc2\\x9b31m\tend");
	cr_assert_str_eq(back.probe_note, "caf\\xe9 \\x01");
	s2 = dump(&back);
	cr_assert_str_eq(s1, s2);
	free(s1);
	free(s2);
	diagnosis_free(&d);
	diagnosis_free(&back);
}

Test(capture, save_then_load_through_files)
{
	struct diagnosis d, back;
	char path[128], *err = NULL;
	struct stat st;

	fill(&d);
	snprintf(path, sizeof path, "%s/c.json", dir);
	cr_assert(capture_save(&d, path, &err), "%s", err);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(capture_load(path, &back, &err), "%s", err);
	cr_assert_str_eq(back.target, "contoso.com");
	diagnosis_free(&back);
	/* A directory that does not exist: a message naming the file, nothing left. */
	snprintf(path, sizeof path, "%s/no/such/c.json", dir);
	cr_assert_not(capture_save(&d, path, &err));
	cr_assert_not_null(strstr(err, path), "%s", err);
	free(err);
	diagnosis_free(&d);
}

/* Dates are judged at the capture's tls.checked_at, not today: moving that
 * moment before the expiry makes the expired certificate valid. */
Test(capture, dates_are_judged_at_the_capture_time)
{
	struct diagnosis d;
	struct findings fs;
	char *err = NULL, *s;

	cr_assert(capture_load(SEEDS "/smtp-expired.json", &d, &err), "%s", err);
	findings_of(&d, &fs);
	cr_assert_not_null(findings_get(&fs, "tls.cert-expired"));
	findings_free(&fs);
	cr_assert_gt(d.smtp.tls.checked_at, d.smtp.tls.chain[0].not_after);
	d.smtp.tls.checked_at = d.smtp.tls.chain[0].not_after - 86400 * 60;
	s = dump(&d);
	diagnosis_free(&d);
	parse_ok(s, &d);
	findings_of(&d, &fs);
	cr_assert_null(findings_get(&fs, "tls.cert-expired"));
	findings_free(&fs);
	diagnosis_free(&d);
	free(s);
}

/* ---- bad input: each its own clear message ---- */

/* The healthy seed with one change made by a sed-like replacement. */
static char *seed_with(const char *from, const char *to)
{
	char *text = slurp(SEEDS "/smtp-healthy.json"), *p = strstr(text, from), *out;

	cr_assert_not_null(p, "'%s' not in the seed", from);
	cr_assert(asprintf(&out, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from)) > 0);
	free(text);
	return out;
}

static void assert_message(const char *text, const char *expect)
{
	char *err = parse_err(text, strlen(text));

	cr_assert_not_null(strstr(err, "bad.json: "), "the message names the file: %s", err);
	cr_assert_not_null(strstr(err, expect), "expected '%s' in: %s", expect, err);
	free(err);
}

Test(capture, wrong_fields_are_named_by_their_path)
{
	static const struct { const char *from, *to, *expect; } cases[] = {
		{ "\"port\": ", "\"port\": \"25\", \"x\": ", "smtp.port: a string where an integer was expected" },
		{ "\"port\": ", "\"port\": 70000, \"x\": ", "smtp.port: 70000 is out of range" },
		{ "\"der\": \"", "\"der\": \"!!", "smtp.tls.chain[0].der: not base64" },
		{ "\"der\": \"", "\"der\": \"A", "smtp.tls.chain[0].der: not base64" },
		{ "\"result\": \"connected\"", "\"result\": \"teleported\"", "smtp.attempts[0].result: \"teleported\" is not one" },
		{ "\"starttls_offered\": true", "\"starttls_offered\": 1", "smtp.starttls_offered: an integer where true or false" },
		{ "\"chain\": [", "\"chain\": 5, \"x\": [", "smtp.tls.chain: an integer where an array" },
		{ "\"esc\": \"\"", "\"esc\": \"0123456789abcdefXYZ\"", "smtp.banner.esc: a string of 19 bytes, longer than the 15" },
		{ "\"lines\": [\n    \"", "\"lines\": [\n    \"\\u001b[2J", "smtp.banner.lines[0]: a control character" },
		{ "\"banner\": {", "\"banner\": [1], \"x\": {", "smtp.banner: an array where an object" },
		{ "\"format\": \"hybridtls-capture\"", "\"format\": \"something-else\"", "not a hybridtls capture" },
		{ "\"version\": 1", "\"version\": 999", "capture format version 999 (made by hybridtls 0.1.0) is newer" },
		{ "\"version\": 1", "\"version\": \"1\"", "version: not a capture format version" },
		{ "\"target\": ", "\"target\": 1, \"target\": ", "JSON error at line" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *text = seed_with(cases[i].from, cases[i].to);

		assert_message(text, cases[i].expect);
		free(text);
	}
}

Test(capture, unknown_fields_are_ignored_and_missing_ones_keep_defaults)
{
	char *text = seed_with("\"target\": ", "\"from_the_future\": { \"a\": [1, 2, {\"b\": null}] }, \"target\": ");
	struct diagnosis d;

	parse_ok(text, &d);
	cr_assert(d.has_smtp);
	diagnosis_free(&d);
	free(text);
	parse_ok("{\"format\": \"hybridtls-capture\", \"version\": 1, \"smtp\": {\"host\": \"h\"}}", &d);
	cr_assert(d.has_smtp && !d.has_dns);
	cr_assert_eq(d.smtp.phase_ms[PHASE_QUIT], -1, "the default of a phase that did not run");
	cr_assert_str_eq(d.smtp.host, "h");
	diagnosis_free(&d);
}

Test(capture, not_json_truncated_empty_binary)
{
	char *text = slurp(SEEDS "/check-dane.json"), *err;
	static const unsigned char binary[] = { 0x7f, 'E', 'L', 'F', 0, 1, 2, 3 };

	err = parse_err(text, strlen(text) / 2);
	cr_assert_not_null(strstr(err, "bad.json: not a hybridtls capture: JSON error at line "), "%s", err);
	free(err);
	free(text);
	assert_message("Received: from mail.contoso.com", "JSON error at line 1, column 8: '[' or '{' expected");
	assert_message("[1, 2, 3]", "not a hybridtls capture");
	err = parse_err("", 0);
	cr_assert_not_null(strstr(err, "an empty file"), "%s", err);
	free(err);
	err = parse_err((const char *)binary, sizeof binary);
	cr_assert_not_null(strstr(err, "binary data"), "%s", err);
	free(err);
	assert_message("{\"format\": \"hybridtls-capture\", \"version\": 1, \"target\": \"\xff\xfe\"}",
	    "JSON error");
}

/* Huge arrays are refused by count, before anything is allocated for them. */
Test(capture, huge_arrays_and_strings_are_refused)
{
	size_t n = CAPTURE_MAX_ITEMS + 1, len = 200 + n * 3;
	char *text = malloc(len), *p, *big;

	cr_assert_not_null(text);
	p = text + sprintf(text, "{\"format\": \"hybridtls-capture\", \"version\": 1, \"smtp\": {\"extensions\": [");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s\"\"", i ? "," : "");
	strcpy(p, "]}}");
	assert_message(text, "smtp.extensions: 100001 items, more than the 100000");
	free(text);

	big = malloc(CAPTURE_MAX_STRING + 200);
	cr_assert_not_null(big);
	p = big + sprintf(big, "{\"format\": \"hybridtls-capture\", \"version\": 1, \"target\": \"");
	memset(p, 'a', CAPTURE_MAX_STRING + 1);
	strcpy(p + CAPTURE_MAX_STRING + 1, "\"}");
	assert_message(big, "target: a string of 262145 bytes, more than the 262144");
	free(big);

	assert_message("{\"format\": \"hybridtls-capture\", \"version\": 1, \"dns\": {\"tlsa\": {\"name\": \"x\", "
	    "\"type\": 52, \"records\": [{\"type\": 1}]}}}", "dns.tlsa.records[0].type: a record of type 1");
	assert_message("{\"format\": \"hybridtls-capture\", \"version\": 1, \"smtp\": {\"ehlo\": {\"code\": 250}}}",
	    "smtp.ehlo.lines: a reply with a code has at least one line");
}

Test(capture, files_that_are_not_captures)
{
	struct diagnosis d;
	char path[128], *err = NULL;
	static const char nul[] = "{\"format\"\0}";

	/* A directory. */
	cr_assert_not(capture_load(dir, &d, &err));
	cr_assert(strstr(err, dir) != NULL && strstr(err, "a directory") != NULL, "%s", err);
	free(err);
	/* Missing. */
	snprintf(path, sizeof path, "%s/missing.json", dir);
	cr_assert_not(capture_load(path, &d, &err));
	cr_assert(strstr(err, path) != NULL && strstr(err, "No such file") != NULL, "%s", err);
	free(err);
	/* Empty. */
	snprintf(path, sizeof path, "%s/empty.json", dir);
	write_file(path, "", 0);
	cr_assert_not(capture_load(path, &d, &err));
	cr_assert(strstr(err, path) != NULL && strstr(err, "an empty file") != NULL, "%s", err);
	free(err);
	/* NUL bytes. */
	snprintf(path, sizeof path, "%s/nul.json", dir);
	write_file(path, nul, sizeof nul);
	cr_assert_not(capture_load(path, &d, &err));
	cr_assert_not_null(strstr(err, "binary data"), "%s", err);
	free(err);
	/* A FIFO with no writer: refused at once, never waited on. */
	snprintf(path, sizeof path, "%s/fifo", dir);
	cr_assert_eq(mkfifo(path, 0600), 0);
	cr_assert_not(capture_load(path, &d, &err));
	cr_assert_not_null(strstr(err, "not a regular file"), "%s", err);
	free(err);
	/* Larger than a capture may be. */
	snprintf(path, sizeof path, "%s/big.json", dir);
	{
		int fd = open(path, O_WRONLY | O_CREAT, 0600);

		cr_assert_geq(fd, 0);
		cr_assert_eq(ftruncate(fd, CAPTURE_MAX_FILE + 1), 0);
		close(fd);
	}
	cr_assert_not(capture_load(path, &d, &err));
	cr_assert_not_null(strstr(err, "more than the 8388608"), "%s", err);
	free(err);
}

Test(capture, base64_is_strict)
{
	static const struct { const char *in; const char *out; } ok[] = {
		{ "Zg==", "f" }, { "Zm8=", "fo" }, { "Zm9v", "foo" }, { "Zm9vYg==", "foob" },
		{ "Zm9vYmE=", "fooba" }, { "Zm9vYmFy", "foobar" },
	};
	static const char *const bad[] = {
		"", "Zg", "Zg=", "Z===", "====", "Zm9v\n", "Zm 9v", "Zh==", "Zm9=", "Z=g=", "Zg==Zg==", "Zm9v!A==",
	};
	unsigned char *p;
	size_t n;

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		char *e;

		cr_assert(capture_b64_decode(ok[i].in, strlen(ok[i].in), &p, &n), "%s", ok[i].in);
		cr_assert(n == strlen(ok[i].out) && memcmp(p, ok[i].out, n) == 0, "%s", ok[i].in);
		free(p);
		e = capture_b64_encode((const unsigned char *)ok[i].out, strlen(ok[i].out));
		cr_assert_str_eq(e, ok[i].in);
		free(e);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_not(capture_b64_decode(bad[i], strlen(bad[i]), &p, &n), "'%s' accepted", bad[i]);
		cr_assert_null(p);
	}
}

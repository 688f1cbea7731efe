/* Unit tests: the SMTP/STARTTLS/TLS rules, on hand-built facts. */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <openssl/x509_vfy.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "certgen.h"
#include "facts.h"
#include "findings.h"
#include "kb.h"
#include "rules.h"
#include "testutil.h"

#define DAY 86400L
/* 2025-10-09 08:53:20 UTC: the facts are judged at a fixed time. */
#define T0 ((time_t)1760000000)

static void hand_cert(struct cert_facts *c, const char *cn, const char *issuer_cn, bool ca,
    time_t nb, time_t na)
{
	char buf[300];

	memset(c, 0, sizeof *c);
	snprintf(buf, sizeof buf, "CN=%s", cn);
	c->subject = xstrdup(buf);
	snprintf(buf, sizeof buf, "CN=%s", issuer_cn);
	c->issuer = xstrdup(buf);
	c->common_name = xstrdup(cn);
	if (!ca) {
		snprintf(buf, sizeof buf, "DNS:%s", cn);
		c->san = calloc(1, sizeof *c->san);
		cr_assert_not_null(c->san);
		c->san[0] = xstrdup(buf);
		c->nsan = 1;
	}
	c->not_before = nb;
	c->not_after = na;
	strcpy(c->key_type, "RSA");
	c->key_bits = 2048;
	strcpy(c->sig_alg, "sha256WithRSAEncryption");
	c->key_usage = xstrdup(ca ? "Certificate Sign, CRL Sign" : "Digital Signature, Key Encipherment");
	c->ext_key_usage = xstrdup(ca ? "" : "TLS Web Server Authentication");
	c->is_ca = ca;
	c->self_issued = strcmp(cn, issuer_cn) == 0;
	strcpy(c->sha256, "00:11");
}

/* Replace the chain with n empty slots. */
static void new_chain(struct tls_facts *t, size_t n)
{
	for (size_t i = 0; i < t->nchain; i++)
		cert_facts_free(&t->chain[i]);
	free(t->chain);
	t->chain = calloc(n, sizeof *t->chain);
	cr_assert_not_null(t->chain);
	t->nchain = n;
}

static void add_verr(struct tls_facts *t, int depth, int code)
{
	t->verr = realloc(t->verr, (t->nverr + 1) * sizeof *t->verr);
	cr_assert_not_null(t->verr);
	t->verr[t->nverr].depth = depth;
	t->verr[t->nverr].code = code;
	snprintf(t->verr[t->nverr].text, sizeof t->verr[t->nverr].text, "%s",
	    X509_verify_cert_error_string(code));
	t->nverr++;
	t->verified = false;
}

/* A healthy conversation: greeting, EHLO with STARTTLS, TLS 1.3, a valid chain, QUIT. */
static void healthy(struct smtp_facts *f)
{
	struct tls_facts *t = &f->tls;

	smtp_facts_init(f);
	f->host = xstrdup("mail.contoso.com");
	f->port = 25;
	f->ehlo_name = xstrdup("probe.fabrikam.test");
	f->tls_name = xstrdup("mail.contoso.com");
	f->started_at = T0;
	f->attempts = calloc(1, sizeof *f->attempts);
	cr_assert_not_null(f->attempts);
	strcpy(f->attempts[0].addr, "192.0.2.10");
	f->attempts[0].family = 2;
	f->attempts[0].result = CONN_OK;
	f->attempts[0].ms = 12;
	f->nattempts = 1;
	f->connections = 1;
	strcpy(f->connected_addr, "192.0.2.10");
	strcpy(f->local_addr, "10.0.0.5");
	set_reply(&f->banner, 220, 35,
	    "mail.contoso.com Microsoft ESMTP MAIL Service ready at Thu, 9 Oct 2025 08:53:20 +0000",
	    NULL);
	set_reply(&f->ehlo, 250, 20, "mail.contoso.com Hello", "SIZE 37748736", "PIPELINING",
	    "STARTTLS", "8BITMIME", "SMTPUTF8", NULL);
	f->ehlo_sent = true;
	f->starttls_offered = true;
	set_reply(&f->starttls, 220, 5, "2.0.0 SMTP server ready", NULL);
	set_reply(&f->ehlo_tls, 250, 8, "mail.contoso.com Hello", "SIZE 37748736", "8BITMIME", NULL);
	set_reply(&f->quit, 221, 3, "2.0.0 Service closing transmission channel", NULL);
	f->end = END_OK;
	f->end_phase = PHASE_QUIT;
	for (int i = PHASE_CONNECT; i < PHASE_COUNT; i++)
		f->phase_ms[i] = 10;
	f->total_ms = 412;

	t->attempted = true;
	t->ok = true;
	strcpy(t->version, "TLSv1.3");
	strcpy(t->cipher, "TLS_AES_256_GCM_SHA384");
	new_chain(t, 2);
	hand_cert(&t->chain[0], "mail.contoso.com", "Contoso Issuing CA", false, T0 - 30 * DAY,
	    T0 + 300 * DAY);
	hand_cert(&t->chain[1], "Contoso Issuing CA", "Contoso Root CA", true, T0 - 900 * DAY,
	    T0 + 900 * DAY);
	t->verified = true;
	t->trust_store = xstrdup("system");
	t->name = NAME_MATCH;
	t->name_checked = xstrdup("mail.contoso.com");
	t->ms = 48;
	t->checked_at = T0;
}

/* No TLS: the probe never started a handshake. */
static void no_tls(struct smtp_facts *f)
{
	tls_facts_free(&f->tls);
	smtp_reply_facts_free(&f->starttls);
	smtp_reply_facts_free(&f->ehlo_tls);
}

static void run(const struct smtp_facts *f, struct findings *fs)
{
	memset(fs, 0, sizeof *fs);
	rules_smtp(f, fs);
	dump_findings(fs);
}

/* ---- a healthy conversation ---- */

Test(rules, healthy)
{
	static const struct {
		const char *id;
		enum severity sev;
	} expect[] = {
		{ "smtp.starttls-offered", SEV_OK },
		{ "tls.handshake-ok", SEV_OK },
		{ "tls.cert-valid", SEV_OK },
		{ "smtp.observed-ip-unknown", SEV_INFO },
		{ "smtp.conversation-ok", SEV_OK },
	};
	struct smtp_facts f;
	struct findings fs;

	healthy(&f);
	run(&f, &fs);
	cr_assert_eq(fs.n, sizeof expect / sizeof expect[0], "%zu findings", fs.n);
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++)
		want(&fs, expect[i].id, expect[i].sev);
	want_summary(findings_get(&fs, "tls.handshake-ok"), "TLSv1.3");
	want_summary(findings_get(&fs, "tls.cert-valid"), "mail.contoso.com");
	cr_assert_eq(findings_exit_status(&fs), 0);
	findings_free(&fs);
	cr_assert_null(fs.v);
	cr_assert_eq(fs.n, 0);
	smtp_facts_free(&f);
}

/* The same with a chain from real certificates (certgen and cert_facts_from_x509). */
Test(rules, healthy_with_real_certificates)
{
	static const char *const sans[] = { "mail.contoso.com", NULL };
	EVP_PKEY *ck = certgen_key_ec(), *lk = certgen_key_ec();
	struct certgen_spec ca_spec = {
		.cn = "Contoso Issuing CA", .not_before_s = -365 * DAY, .not_after_s = 1000 * DAY,
		.is_ca = 1,
	};
	struct certgen_spec leaf_spec = {
		.cn = "mail.contoso.com", .dns_sans = sans, .not_before_s = -DAY,
		.not_after_s = 200 * DAY, .server_eku = 1,
	};
	X509 *ca, *leaf;
	struct smtp_facts f;
	struct findings fs;

	cr_assert_not_null(ck);
	cr_assert_not_null(lk);
	cr_assert_not_null(ca = certgen_issue(&ca_spec, ck, NULL, NULL));
	cr_assert_not_null(leaf = certgen_issue(&leaf_spec, lk, ca, ck));
	healthy(&f);
	new_chain(&f.tls, 2);
	cr_assert(cert_facts_from_x509(leaf, &f.tls.chain[0]));
	cr_assert(cert_facts_from_x509(ca, &f.tls.chain[1]));
	f.tls.checked_at = time(NULL);
	run(&f, &fs);
	cr_assert_eq(fs.n, 5);
	want(&fs, "tls.cert-valid", SEV_OK);
	cr_assert_eq(findings_exit_status(&fs), 0);
	findings_free(&fs);
	smtp_facts_free(&f);
	X509_free(leaf);
	X509_free(ca);
	EVP_PKEY_free(lk);
	EVP_PKEY_free(ck);
}

Test(rules, name_not_checked)
{
	struct smtp_facts f;
	struct findings fs;

	healthy(&f);
	f.tls.name = NAME_NOT_CHECKED;
	free(f.tls.name_checked);
	f.tls.name_checked = NULL;
	run(&f, &fs);
	want(&fs, "tls.name-not-checked", SEV_INFO);
	unwanted(&fs, "tls.cert-name-mismatch");
	cr_assert_eq(findings_exit_status(&fs), 0);
	findings_free(&fs);
	smtp_facts_free(&f);
}

/* ---- SMTP ---- */

Test(rules, starttls_missing)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	no_tls(&f);
	set_reply(&f.ehlo, 250, 20, "mail.contoso.com Hello", "SIZE 37748736", "PIPELINING",
	    "8BITMIME", NULL);
	f.starttls_offered = false;
	run(&f, &fs);
	fd = want(&fs, "smtp.starttls-missing", SEV_FAILURE);
	want_evidence(fd, "250-mail.contoso.com Hello");
	want_evidence(fd, "250-SIZE 37748736");
	want_evidence(fd, "250-PIPELINING");
	want_evidence(fd, "250 8BITMIME");
	cr_assert_eq(fd->nevidence, 4);
	fd = want(&fs, "tls.not-tested", SEV_UNTESTED);
	want_summary(fd, "STARTTLS");
	unwanted(&fs, "smtp.starttls-offered");
	unwanted(&fs, "tls.handshake-ok");
	unwanted(&fs, "tls.handshake-failed");
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, starttls_refused)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	no_tls(&f);
	set_reply(&f.starttls, 454, 5, "4.7.0 TLS not available due to local problem", NULL);
	run(&f, &fs);
	fd = want(&fs, "smtp.starttls-refused", SEV_FAILURE);
	want_summary(fd, "454");
	want_evidence(fd, "4.7.0 TLS not available");
	fd = want(&fs, "tls.not-tested", SEV_UNTESTED);
	want_summary(fd, "refused");
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, observed_ip_after_nat)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	set_reply(&f.ehlo, 250, 20, "BN8NAM12FT053.mail.protection.outlook.com Hello [203.0.113.7]",
	    "STARTTLS", NULL);
	strcpy(f.observed_ip, "203.0.113.7");
	strcpy(f.local_addr, "10.0.0.5");
	run(&f, &fs);
	fd = want(&fs, "smtp.observed-ip", SEV_INFO);
	want_summary(fd, "203.0.113.7");
	want_summary(fd, "NAT");
	want_evidence(fd, "10.0.0.5");
	want_evidence(fd, "Hello [203.0.113.7]");
	unwanted(&fs, "smtp.observed-ip-unknown");
	cr_assert_eq(findings_exit_status(&fs), 0);
	findings_free(&fs);
	smtp_facts_free(&f);
}

/* A server inside the NAT names a private address: not the public IP. */
Test(rules, observed_ip_private_is_not_the_public_ip)
{
	static const char *const internal[] = { "10.0.0.5", "192.168.10.4", "100.72.1.1", "fd00::25" };

	for (size_t i = 0; i < sizeof internal / sizeof internal[0]; i++) {
		struct smtp_facts f;
		struct findings fs;
		const struct finding *fd;

		healthy(&f);
		strcpy(f.observed_ip, internal[i]);
		strcpy(f.local_addr, internal[i]);
		run(&f, &fs);
		fd = want(&fs, "smtp.observed-ip-internal", SEV_INFO);
		want_summary(fd, internal[i]);
		want_summary(fd, "public IP is not known");
		unwanted(&fs, "smtp.observed-ip");
		unwanted(&fs, "smtp.observed-ip-unknown");
		cr_assert_eq(findings_exit_status(&fs), 0);
		findings_free(&fs);
		smtp_facts_free(&f);
	}
}

Test(rules, observed_ip_same_as_local)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	strcpy(f.observed_ip, "198.51.100.20");
	strcpy(f.local_addr, "198.51.100.20");
	run(&f, &fs);
	fd = want(&fs, "smtp.observed-ip", SEV_INFO);
	want_summary(fd, "198.51.100.20");
	cr_assert_null(strstr(fd->summary, "NAT"), "'%s'", fd->summary);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, timeout_in_banner)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	no_tls(&f);
	smtp_reply_facts_free(&f.banner);
	smtp_reply_facts_free(&f.ehlo);
	smtp_reply_facts_free(&f.quit);
	f.ehlo_sent = false;
	f.starttls_offered = false;
	f.end = END_TIMEOUT;
	f.end_phase = PHASE_BANNER;
	run(&f, &fs);
	fd = want(&fs, "smtp.timeout", SEV_FAILURE);
	want_summary(fd, "banner");
	unwanted(&fs, "smtp.conversation-ok");
	unwanted(&fs, "smtp.starttls-missing");
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, resolve_failed_only)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	smtp_facts_init(&f);
	f.host = xstrdup("mail.contoso.invalid");
	f.port = 25;
	f.resolve_error = xstrdup("Domain name not found");
	f.end = END_RESOLVE_FAILED;
	f.end_phase = PHASE_RESOLVE;
	run(&f, &fs);
	cr_assert_eq(fs.n, 1);
	fd = want(&fs, "smtp.resolve-failed", SEV_UNTESTED);
	want_summary(fd, "mail.contoso.invalid");
	want_summary(fd, "Domain name not found");
	cr_assert_eq(findings_exit_status(&fs), 3);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, not_run)
{
	struct smtp_facts f;
	struct findings fs;

	smtp_facts_init(&f);
	run(&f, &fs);
	cr_assert_eq(fs.n, 0);
	cr_assert_eq(findings_exit_status(&fs), 0);
	findings_free(&fs);
	smtp_facts_free(&f);
}

static void set_attempts(struct smtp_facts *f, size_t n)
{
	free(f->attempts);
	f->attempts = calloc(n, sizeof *f->attempts);
	cr_assert_not_null(f->attempts);
	f->nattempts = n;
}

Test(rules, connect_failed)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	smtp_facts_init(&f);
	f.host = xstrdup("mail.contoso.com");
	f.port = 25;
	set_attempts(&f, 2);
	strcpy(f.attempts[0].addr, "192.0.2.10");
	f.attempts[0].result = CONN_REFUSED;
	f.attempts[0].err = ECONNREFUSED;
	strcpy(f.attempts[1].addr, "2001:db8::10");
	f.attempts[1].result = CONN_TIMEOUT;
	f.attempts[1].err = ETIMEDOUT;
	f.end = END_CONNECT_FAILED;
	f.end_phase = PHASE_CONNECT;
	run(&f, &fs);
	cr_assert_eq(fs.n, 1);
	fd = want(&fs, "smtp.connect-failed", SEV_FAILURE);
	want_summary(fd, "mail.contoso.com");
	want_summary(fd, "25");
	cr_assert_eq(fd->nevidence, 2);
	cr_assert_not_null(strstr(fd->evidence[0], "192.0.2.10"));
	cr_assert_not_null(strstr(fd->evidence[0], "refused"));
	cr_assert_not_null(strstr(fd->evidence[1], "2001:db8::10"));
	cr_assert_not_null(strstr(fd->evidence[1], "timed out"));
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, one_address_failed)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	set_attempts(&f, 2);
	strcpy(f.attempts[0].addr, "192.0.2.11");
	f.attempts[0].result = CONN_REFUSED;
	f.attempts[0].err = ECONNREFUSED;
	strcpy(f.attempts[1].addr, "192.0.2.10");
	f.attempts[1].result = CONN_OK;
	run(&f, &fs);
	fd = want(&fs, "smtp.address-failed", SEV_WARNING);
	want_summary(fd, "192.0.2.10");
	cr_assert_eq(fd->nevidence, 2);
	want_evidence(fd, "192.0.2.11");
	unwanted(&fs, "smtp.connect-failed");
	want(&fs, "tls.cert-valid", SEV_OK);
	cr_assert_eq(findings_exit_status(&fs), 1);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, skipped_address_is_not_a_failure)
{
	struct smtp_facts f;
	struct findings fs;

	healthy(&f);
	set_attempts(&f, 2);
	strcpy(f.attempts[0].addr, "192.0.2.10");
	f.attempts[0].result = CONN_OK;
	strcpy(f.attempts[1].addr, "192.0.2.11");
	f.attempts[1].result = CONN_SKIPPED;
	run(&f, &fs);
	unwanted(&fs, "smtp.address-failed");
	cr_assert_eq(findings_exit_status(&fs), 0);
	findings_free(&fs);
	smtp_facts_free(&f);
}

/* A conversation cut short after the greeting. */
static void banner_only(struct smtp_facts *f, int code, const char *text, enum smtp_end end)
{
	healthy(f);
	no_tls(f);
	set_reply(&f->banner, code, 30, text, NULL);
	smtp_reply_facts_free(&f->ehlo);
	smtp_reply_facts_free(&f->quit);
	f->ehlo_sent = false;
	f->starttls_offered = false;
	f->end = end;
	f->end_phase = PHASE_BANNER;
}

Test(rules, banner_rejected)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	banner_only(&f, 554, "5.7.1 Service unavailable; Client host [203.0.113.7] blocked using Spamhaus",
	    END_REJECTED);
	run(&f, &fs);
	fd = want(&fs, "smtp.banner-rejected", SEV_FAILURE);
	want_summary(fd, "554");
	want_evidence(fd, "554 5.7.1 Service unavailable; Client host [203.0.113.7] blocked");
	unwanted(&fs, "smtp.conversation-ok");
	unwanted(&fs, "smtp.service-unavailable");
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, service_unavailable)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	banner_only(&f, 421, "4.3.2 Service not available, closing transmission channel",
	    END_SERVICE_UNAVAILABLE);
	run(&f, &fs);
	fd = want(&fs, "smtp.service-unavailable", SEV_FAILURE);
	want_summary(fd, "4.3.2 Service not available");
	want_evidence(fd, "421 4.3.2 Service not available");
	unwanted(&fs, "smtp.banner-rejected");
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, service_unavailable_after_ehlo)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	no_tls(&f);
	set_reply(&f.ehlo, 421, 10, "4.7.0 Too many connections", NULL);
	smtp_reply_facts_free(&f.quit);
	f.starttls_offered = false;
	f.end = END_SERVICE_UNAVAILABLE;
	f.end_phase = PHASE_EHLO;
	run(&f, &fs);
	fd = want(&fs, "smtp.service-unavailable", SEV_FAILURE);
	want_summary(fd, "EHLO");
	want_summary(fd, "Too many connections");
	unwanted(&fs, "smtp.ehlo-rejected");
	findings_free(&fs);
	smtp_facts_free(&f);
}

static void protocol_error(struct smtp_facts *f, enum reply_error e)
{
	healthy(f);
	no_tls(f);
	smtp_reply_facts_free(&f->ehlo);
	smtp_reply_facts_free(&f->quit);
	f->starttls_offered = false;
	f->end = END_PROTOCOL;
	f->end_phase = PHASE_EHLO;
	f->reply_error = e;
	transcript_add(&f->tr, 40, TDIR_RECV, false, "250-AAAAAAAA", 12);
}

Test(rules, reply_too_long)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	protocol_error(&f, REPLY_ERR_LINE_TOO_LONG);
	run(&f, &fs);
	fd = want(&fs, "smtp.reply-too-long", SEV_FAILURE);
	want_summary(fd, "EHLO");
	want_evidence(fd, "250-AAAAAAAA");
	unwanted(&fs, "smtp.reply-malformed");
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	smtp_facts_free(&f);

	protocol_error(&f, REPLY_ERR_TOO_MANY_LINES);
	run(&f, &fs);
	want(&fs, "smtp.reply-too-long", SEV_FAILURE);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, reply_malformed)
{
	static const enum reply_error errs[] = {
		REPLY_ERR_CODE_MISMATCH, REPLY_ERR_SYNTAX, REPLY_ERR_NUL,
	};

	for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
		struct smtp_facts f;
		struct findings fs;
		const struct finding *fd;

		protocol_error(&f, errs[i]);
		run(&f, &fs);
		fd = want(&fs, "smtp.reply-malformed", SEV_FAILURE);
		want_summary(fd, reply_error_name(errs[i]));
		unwanted(&fs, "smtp.reply-too-long");
		findings_free(&fs);
		smtp_facts_free(&f);
	}
}

Test(rules, banner_slow)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	f.banner.ms = 6000;
	run(&f, &fs);
	fd = want(&fs, "smtp.banner-slow", SEV_WARNING);
	want_summary(fd, "6.0 s");
	cr_assert_eq(findings_exit_status(&fs), 1);
	findings_free(&fs);
	smtp_facts_free(&f);

	healthy(&f);
	f.banner.ms = RULES_SLOW_BANNER_MS;
	run(&f, &fs);
	unwanted(&fs, "smtp.banner-slow");
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, ehlo_rejected_helo_accepted)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	no_tls(&f);
	set_reply(&f.ehlo, 502, 10, "5.5.2 Error: command not recognized", NULL);
	set_reply(&f.helo, 250, 10, "mail.contoso.com", NULL);
	f.starttls_offered = false;
	run(&f, &fs);
	fd = want(&fs, "smtp.ehlo-rejected", SEV_FAILURE);
	want_summary(fd, "502");
	want_evidence(fd, "502 5.5.2 Error: command not recognized");
	want_evidence(fd, "250 mail.contoso.com");
	unwanted(&fs, "smtp.starttls-offered");
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, connection_reset)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	no_tls(&f);
	smtp_reply_facts_free(&f.quit);
	f.end = END_RESET;
	f.end_phase = PHASE_STARTTLS;
	f.end_detail = xstrdup("Connection reset by peer");
	run(&f, &fs);
	fd = want(&fs, "smtp.connection-reset", SEV_FAILURE);
	want_summary(fd, "STARTTLS");
	want_evidence(fd, "Connection reset by peer");
	unwanted(&fs, "smtp.conversation-ok");
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, ehlo_over_tls_failed)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	set_reply(&f.ehlo_tls, 554, 10, "5.7.1 not allowed", NULL);
	run(&f, &fs);
	fd = want(&fs, "smtp.ehlo-tls-failed", SEV_FAILURE);
	want_summary(fd, "554");
	findings_free(&fs);
	smtp_facts_free(&f);
}

/* ---- TLS ---- */

Test(rules, cert_expired)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	f.tls.chain[0].not_before = T0 - 400 * DAY;
	f.tls.chain[0].not_after = T0 - 2 * DAY;
	add_verr(&f.tls, 0, X509_V_ERR_CERT_HAS_EXPIRED);
	run(&f, &fs);
	fd = want(&fs, "tls.cert-expired", SEV_FAILURE);
	want_summary(fd, "2025-10-07");
	want_summary(fd, "2 days ago");
	unwanted(&fs, "tls.cert-valid");
	unwanted(&fs, "tls.cert-expiring");
	unwanted(&fs, "tls.cert-untrusted");
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	smtp_facts_free(&f);
}

/* Dates are judged at checked_at, not at the time the rules run. */
Test(rules, dates_judged_at_checked_at)
{
	struct smtp_facts f;
	struct findings fs;

	healthy(&f);
	f.tls.checked_at = T0 + 301 * DAY;
	run(&f, &fs);
	want(&fs, "tls.cert-expired", SEV_FAILURE);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, intermediate_expired)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	f.tls.chain[1].not_after = T0 - 10 * DAY;
	add_verr(&f.tls, 1, X509_V_ERR_CERT_HAS_EXPIRED);
	run(&f, &fs);
	fd = want(&fs, "tls.cert-expired", SEV_FAILURE);
	want_summary(fd, "chain");
	want_evidence(fd, "Contoso Issuing CA");
	unwanted(&fs, "tls.cert-valid");
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, cert_not_yet_valid)
{
	struct smtp_facts f;
	struct findings fs;

	healthy(&f);
	f.tls.chain[0].not_before = T0 + 3 * DAY;
	add_verr(&f.tls, 0, X509_V_ERR_CERT_NOT_YET_VALID);
	run(&f, &fs);
	want(&fs, "tls.cert-not-yet-valid", SEV_FAILURE);
	unwanted(&fs, "tls.cert-valid");
	unwanted(&fs, "tls.cert-untrusted");
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, cert_expiring)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	f.tls.chain[0].not_after = T0 + 10 * DAY;
	run(&f, &fs);
	fd = want(&fs, "tls.cert-expiring", SEV_WARNING);
	want_summary(fd, "10 days");
	want_summary(fd, "2025-10-19");
	unwanted(&fs, "tls.cert-expired");
	cr_assert_eq(findings_exit_status(&fs), 1);
	findings_free(&fs);
	smtp_facts_free(&f);

	/* Outside the warning window: nothing. */
	healthy(&f);
	f.tls.chain[0].not_after = T0 + (RULES_EXPIRY_WARN_DAYS + 1) * DAY;
	run(&f, &fs);
	unwanted(&fs, "tls.cert-expiring");
	cr_assert_eq(findings_exit_status(&fs), 0);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, chain_incomplete)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	new_chain(&f.tls, 1);
	hand_cert(&f.tls.chain[0], "mail.contoso.com", "Contoso Issuing CA", false, T0 - DAY,
	    T0 + 300 * DAY);
	add_verr(&f.tls, 0, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	add_verr(&f.tls, 0, X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE);
	run(&f, &fs);
	fd = want(&fs, "tls.chain-incomplete", SEV_FAILURE);
	want_summary(fd, "Contoso Issuing CA");
	want_evidence(fd, "certificates sent: 1");
	unwanted(&fs, "tls.untrusted-root");
	unwanted(&fs, "tls.cert-valid");
	/* One finding however many of these errors the verifier gave. */
	{
		size_t k = 0;

		for (size_t i = 0; i < fs.n; i++)
			k += strcmp(fs.v[i].kb->id, "tls.chain-incomplete") == 0;
		cr_assert_eq(k, 1);
	}
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, chain_ends_in_ca_issuer_missing)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	add_verr(&f.tls, 1, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	run(&f, &fs);
	fd = want(&fs, "tls.untrusted-root", SEV_FAILURE);
	want_summary(fd, "Contoso Root CA");
	want_summary(fd, "system");
	unwanted(&fs, "tls.chain-incomplete");
	unwanted(&fs, "tls.cert-valid");
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, untrusted_root_in_chain)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	new_chain(&f.tls, 3);
	hand_cert(&f.tls.chain[0], "mail.contoso.com", "Contoso Issuing CA", false, T0 - DAY,
	    T0 + 300 * DAY);
	hand_cert(&f.tls.chain[1], "Contoso Issuing CA", "Contoso Private Root", true, T0 - DAY,
	    T0 + 900 * DAY);
	hand_cert(&f.tls.chain[2], "Contoso Private Root", "Contoso Private Root", true, T0 - DAY,
	    T0 + 900 * DAY);
	add_verr(&f.tls, 2, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN);
	run(&f, &fs);
	fd = want(&fs, "tls.untrusted-root", SEV_FAILURE);
	want_summary(fd, "Contoso Private Root");
	unwanted(&fs, "tls.cert-valid");
	unwanted(&fs, "tls.cert-self-signed");
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, self_signed)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	new_chain(&f.tls, 1);
	hand_cert(&f.tls.chain[0], "mail.contoso.com", "mail.contoso.com", false, T0 - DAY,
	    T0 + 300 * DAY);
	add_verr(&f.tls, 0, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
	run(&f, &fs);
	fd = want(&fs, "tls.cert-self-signed", SEV_FAILURE);
	want_summary(fd, "CN=mail.contoso.com");
	unwanted(&fs, "tls.untrusted-root");
	unwanted(&fs, "tls.chain-incomplete");
	unwanted(&fs, "tls.cert-valid");
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, other_verify_error)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	add_verr(&f.tls, 0, X509_V_ERR_INVALID_PURPOSE);
	run(&f, &fs);
	fd = want(&fs, "tls.cert-untrusted", SEV_FAILURE);
	want_summary(fd, X509_verify_cert_error_string(X509_V_ERR_INVALID_PURPOSE));
	unwanted(&fs, "tls.cert-valid");
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, name_mismatch)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	f.tls.name = NAME_MISMATCH;
	free(f.tls.name_checked);
	f.tls.name_checked = xstrdup("smtp.contoso.com");
	run(&f, &fs);
	fd = want(&fs, "tls.cert-name-mismatch", SEV_FAILURE);
	want_summary(fd, "smtp.contoso.com");
	want_evidence(fd, "DNS:mail.contoso.com");
	unwanted(&fs, "tls.cert-valid");
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, weak_key_and_signature)
{
	struct smtp_facts f;
	struct findings fs;

	healthy(&f);
	f.tls.chain[0].key_bits = 1024;
	strcpy(f.tls.chain[0].sig_alg, "sha1WithRSAEncryption");
	run(&f, &fs);
	want(&fs, "tls.weak-key", SEV_FAILURE);
	want(&fs, "tls.weak-signature", SEV_FAILURE);
	unwanted(&fs, "tls.cert-valid");
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, protocol_old)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	new_chain(&f.tls, 0);
	f.tls.ok = false;
	f.tls.legacy_only = true;
	strcpy(f.tls.legacy_version, "TLSv1");
	f.tls.error = xstrdup("tlsv1 alert protocol version");
	strcpy(f.tls.alert, "protocol version");
	smtp_reply_facts_free(&f.ehlo_tls);
	f.end = END_TLS_FAILED;
	f.end_phase = PHASE_HANDSHAKE;
	run(&f, &fs);
	fd = want(&fs, "tls.protocol-old", SEV_FAILURE);
	want_summary(fd, "TLSv1");
	unwanted(&fs, "tls.handshake-failed");
	unwanted(&fs, "tls.handshake-ok");
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, handshake_failed_with_alert)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy(&f);
	new_chain(&f.tls, 0);
	f.tls.ok = false;
	f.tls.error = xstrdup("sslv3 alert handshake failure");
	strcpy(f.tls.alert, "handshake failure");
	smtp_reply_facts_free(&f.ehlo_tls);
	f.end = END_TLS_FAILED;
	f.end_phase = PHASE_HANDSHAKE;
	run(&f, &fs);
	fd = want(&fs, "tls.handshake-failed", SEV_FAILURE);
	want_summary(fd, "sslv3 alert handshake failure");
	want_evidence(fd, "handshake failure");
	want_evidence(fd, "220 2.0.0 SMTP server ready");
	unwanted(&fs, "tls.protocol-old");
	unwanted(&fs, "tls.handshake-ok");
	unwanted(&fs, "tls.cert-valid");
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules, no_certificate)
{
	struct smtp_facts f;
	struct findings fs;

	healthy(&f);
	new_chain(&f.tls, 0);
	run(&f, &fs);
	want(&fs, "tls.cert-untrusted", SEV_FAILURE);
	unwanted(&fs, "tls.cert-valid");
	findings_free(&fs);
	smtp_facts_free(&f);
}

/* ---- findings ---- */

Test(findings, sort_failures_first_stable)
{
	struct findings fs = { 0 };

	findings_add(&fs, "smtp.conversation-ok", "ok 1");
	findings_add(&fs, "smtp.banner-slow", "warning 1");
	findings_add(&fs, "smtp.observed-ip-unknown", "info 1");
	findings_add(&fs, "tls.cert-expired", "failure 1");
	findings_add(&fs, "tls.not-tested", "untested 1");
	findings_add(&fs, "tls.handshake-ok", "ok 2");
	findings_add(&fs, "tls.cert-name-mismatch", "failure 2");
	findings_add(&fs, "tls.cert-expiring", "warning 2");
	findings_sort(&fs);
	cr_assert_eq(fs.n, 8);
	cr_assert_str_eq(fs.v[0].summary, "failure 1");
	cr_assert_str_eq(fs.v[1].summary, "failure 2");
	cr_assert_str_eq(fs.v[2].summary, "untested 1");
	cr_assert_str_eq(fs.v[3].summary, "warning 1");
	cr_assert_str_eq(fs.v[4].summary, "warning 2");
	cr_assert_str_eq(fs.v[5].summary, "info 1");
	cr_assert_str_eq(fs.v[6].summary, "ok 1");
	cr_assert_str_eq(fs.v[7].summary, "ok 2");
	findings_free(&fs);
}

Test(findings, sort_rules_output)
{
	struct smtp_facts f;
	struct findings fs;

	healthy(&f);
	f.tls.name = NAME_MISMATCH;
	free(f.tls.name_checked);
	f.tls.name_checked = xstrdup("smtp.contoso.com");
	run(&f, &fs);
	findings_sort(&fs);
	cr_assert_str_eq(fs.v[0].kb->id, "tls.cert-name-mismatch");
	for (size_t i = 1; i < fs.n; i++)
		cr_assert_neq(fs.v[i].sev, SEV_FAILURE);
	findings_free(&fs);
	smtp_facts_free(&f);
}

static int status_of(const enum severity *sev, size_t n)
{
	struct findings fs = { 0 };
	int st;

	for (size_t i = 0; i < n; i++)
		findings_add(&fs, "smtp.conversation-ok", "x")->sev = sev[i];
	st = findings_exit_status(&fs);
	findings_free(&fs);
	return st;
}

Test(findings, exit_status_order)
{
	static const enum severity all[] = { SEV_OK, SEV_INFO, SEV_UNTESTED, SEV_WARNING, SEV_FAILURE };
	static const enum severity all_rev[] = { SEV_FAILURE, SEV_WARNING, SEV_UNTESTED, SEV_INFO, SEV_OK };
	static const enum severity warn_untested[] = { SEV_UNTESTED, SEV_WARNING, SEV_OK };
	static const enum severity untested[] = { SEV_OK, SEV_UNTESTED, SEV_INFO };
	static const enum severity fine[] = { SEV_OK, SEV_INFO };
	struct findings empty = { 0 };

	cr_assert_eq(status_of(all, 5), 2);
	cr_assert_eq(status_of(all_rev, 5), 2);
	cr_assert_eq(status_of(warn_untested, 3), 1);
	cr_assert_eq(status_of(untested, 3), 3);
	cr_assert_eq(status_of(fine, 2), 0);
	cr_assert_eq(findings_exit_status(&empty), 0);
}

Test(findings, add_get_evidence)
{
	struct findings fs = { 0 };
	struct finding *fd;

	fd = findings_add(&fs, "tls.cert-expired", "expired on %s (%d days ago)", "2025-10-07", 2);
	finding_evidence(fd, "certificate %d subject: %s", 0, "CN=mail.test");
	finding_evidence(fd, "second");
	cr_assert_eq(fd->kb, kb_find("tls.cert-expired"));
	cr_assert_eq(fd->sev, SEV_FAILURE);
	cr_assert_str_eq(fd->summary, "expired on 2025-10-07 (2 days ago)");
	cr_assert_eq(fd->nevidence, 2);
	cr_assert_str_eq(fd->evidence[0], "certificate 0 subject: CN=mail.test");
	cr_assert_eq(findings_get(&fs, "tls.cert-expired"), fd);
	cr_assert_null(findings_get(&fs, "tls.cert-valid"));
	findings_free(&fs);
}

Test(findings, unknown_id_aborts, .signal = SIGABRT)
{
	struct findings fs = { 0 };

	/* The message on stderr is expected; keep the test output clean. */
	cr_assert_not_null(freopen("/dev/null", "w", stderr));
	findings_add(&fs, "tls.no-such-finding", "x");
}

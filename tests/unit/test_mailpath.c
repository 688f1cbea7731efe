/*
 * Unit tests: the picture of the mail path. Each scenario's facts are built
 * by hand, the real rules run on them, and the picture is compared byte for
 * byte with tests/fixtures/mailpath/<scenario>.<utf8|ascii>.txt at 80
 * columns. MAILPATH_REGEN=1 rewrites those files from the current code
 * (then review the diff); without it any difference fails.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <openssl/x509_vfy.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "connector.h"
#include "dnsbl.h"
#include "facts.h"
#include "findings.h"
#include "kb.h"
#include "mailpath.h"
#include "onpremcert.h"
#include "report.h"
#include "report_md.h"
#include "rules.h"
#include "testutil.h"

/* 2025-10-09 08:53:20 UTC: the facts are judged at a fixed time. */
#define T0 ((time_t)1760000000)
#define DAY 86400L
#define EOP_HOST "contoso-com.mail.protection.outlook.com"
#define FIXTURES SRCDIR "/tests/fixtures/mailpath/"

static void set_ext(struct smtp_facts *f, const char *const *ext)
{
	for (size_t i = 0; ext[i] != NULL; i++) {
		f->ext = realloc(f->ext, (f->next + 1) * sizeof *f->ext);
		cr_assert_not_null(f->ext);
		f->ext[f->next++] = xstrdup(ext[i]);
	}
}

static void set_cert(struct cert_facts *c, const char *cn, const char *issuer_cn, bool ca, time_t nb,
    time_t na)
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
	snprintf(c->key_type, sizeof c->key_type, "RSA");
	c->key_bits = 2048;
	snprintf(c->sig_alg, sizeof c->sig_alg, "sha256WithRSAEncryption");
	c->key_usage = xstrdup(ca ? "Certificate Sign, CRL Sign" : "Digital Signature, Key Encipherment");
	c->ext_key_usage = xstrdup(ca ? "" : "TLS Web Server Authentication");
	c->is_ca = ca;
	c->self_issued = strcmp(cn, issuer_cn) == 0;
	snprintf(c->sha256, sizeof c->sha256, "00:11");
}

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

/* A healthy conversation with host: STARTTLS, TLS 1.3, a verified chain with the name. */
static void conversation(struct smtp_facts *f, const char *host, const char *addr, const char *issuer)
{
	static const char *const ext[] = { "SIZE 157286400", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES",
	    "STARTTLS", "8BITMIME", "BINARYMIME", "CHUNKING", "SMTPUTF8", NULL };
	struct tls_facts *t = &f->tls;
	char hello[200];

	smtp_facts_init(f);
	f->host = xstrdup(host);
	f->port = 25;
	f->ehlo_name = xstrdup("mail.contoso.com");
	f->tls_name = xstrdup(host);
	f->started_at = T0;
	f->attempts = calloc(1, sizeof *f->attempts);
	cr_assert_not_null(f->attempts);
	snprintf(f->attempts[0].addr, sizeof f->attempts[0].addr, "%s", addr);
	f->attempts[0].family = 2;
	f->attempts[0].result = CONN_OK;
	f->attempts[0].ms = 21;
	f->nattempts = 1;
	f->connections = 1;
	snprintf(f->connected_addr, sizeof f->connected_addr, "%s", addr);
	snprintf(f->local_addr, sizeof f->local_addr, "10.0.0.5");
	snprintf(f->observed_ip, sizeof f->observed_ip, "203.0.113.7");
	set_reply(&f->banner, 220, 99, "BN8NAM11FT066.mail.protection.outlook.com Microsoft ESMTP MAIL Service "
	    "ready at Thu, 9 Oct 2025 08:53:20 +0000", NULL);
	snprintf(hello, sizeof hello, "%s Hello [203.0.113.7]", host);
	set_reply(&f->ehlo, 250, 40, hello, "SIZE 157286400", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES",
	    "STARTTLS", "8BITMIME", "BINARYMIME", "CHUNKING", "SMTPUTF8", NULL);
	set_ext(f, ext);
	f->ehlo_sent = true;
	f->starttls_offered = true;
	set_reply(&f->starttls, 220, 5, "2.0.0 SMTP server ready", NULL);
	set_reply(&f->ehlo_tls, 250, 8, hello, "SIZE 157286400", "8BITMIME", NULL);
	set_reply(&f->quit, 221, 3, "2.0.0 Service closing transmission channel", NULL);
	f->end = END_OK;
	f->end_phase = PHASE_QUIT;
	for (int i = PHASE_CONNECT; i < PHASE_COUNT; i++)
		f->phase_ms[i] = 10;
	f->total_ms = 412;

	t->attempted = true;
	t->ok = true;
	snprintf(t->version, sizeof t->version, "TLSv1.3");
	snprintf(t->cipher, sizeof t->cipher, "TLS_AES_256_GCM_SHA384");
	new_chain(t, 2);
	set_cert(&t->chain[0], host, issuer, false, T0 - 30 * DAY, T0 + 300 * DAY);
	set_cert(&t->chain[1], issuer, "Test Root CA", true, T0 - 900 * DAY, T0 + 900 * DAY);
	t->verified = true;
	t->trust_store = xstrdup("system");
	t->name = NAME_MATCH;
	t->name_checked = xstrdup(host);
	t->ms = 48;
	t->checked_at = T0;
}

static void set_answer(struct dns_answer *a, const char *name, uint16_t type, enum dns_status st,
    const char *const *texts, const char *const *targets)
{
	memset(a, 0, sizeof *a);
	a->name = xstrdup(name);
	a->type = type;
	a->status = st;
	for (size_t i = 0; texts != NULL && texts[i] != NULL; i++) {
		a->rr = realloc(a->rr, (a->n + 1) * sizeof *a->rr);
		cr_assert_not_null(a->rr);
		memset(&a->rr[a->n], 0, sizeof a->rr[a->n]);
		a->rr[a->n].type = type;
		a->rr[a->n].text = xstrdup(texts[i]);
		if (targets != NULL) {
			a->rr[a->n].target = xstrdup(targets[i]);
			a->rr[a->n].pref = 0;
		}
		a->n++;
	}
}

static void set_mx(struct diagnosis *d, const char *host)
{
	char text[300];

	snprintf(text, sizeof text, "0 %s", host);
	dns_answer_free(&d->dns.rec[REC_MX]);
	set_answer(&d->dns.rec[REC_MX], "contoso.com", DNS_T_MX, DNS_OK, (const char *const[]){ text, NULL },
	    (const char *const[]){ host, NULL });
}

static void set_spf(struct diagnosis *d, const char *spf)
{
	dns_answer_free(&d->dns.rec[REC_TXT]);
	set_answer(&d->dns.rec[REC_TXT], "contoso.com", DNS_T_TXT, DNS_OK, (const char *const[]){ spf, NULL },
	    NULL);
}

/* One blocklist zone's answer: NULL for not listed. */
static void set_zone(struct dnsbl_result *r, const char *zone, const char *code)
{
	char q[200];

	snprintf(q, sizeof q, "7.113.0.203.%s", zone);
	r->id = xstrdup(zone);
	r->qname = xstrdup(q);
	if (code != NULL)
		set_answer(&r->a, q, DNS_T_A, DNS_OK, (const char *const[]){ code, NULL }, NULL);
	else
		set_answer(&r->a, q, DNS_T_A, DNS_NXDOMAIN, NULL, NULL);
}

static void load_connectors(struct diagnosis *d, const char *json)
{
	char err[300];

	d->connectors = calloc(1, sizeof *d->connectors);
	d->connector_files = calloc(1, sizeof *d->connector_files);
	cr_assert(d->connectors && d->connector_files);
	cr_assert(connector_parse((const unsigned char *)json, strlen(json), &d->connectors[0], err, sizeof err),
	    "%s", err);
	d->connector_files[0] = xstrdup("connectors.json");
	d->nconnectors = 1;
}

#define INBOUND(ips, certname) \
	"{\"Name\":\"Inbound from 6f0c2b4a-1d3e-4f5a-9b8c-7d6e5f4a3b2c\",\"ConnectorType\":\"OnPremises\"," \
	"\"ConnectorSource\":\"HybridWizard\",\"SenderIPAddresses\":[" ips "],\"SenderDomains\":[\"smtp:*;1\"]," \
	"\"RequireTls\":true,\"RestrictDomainsToIPAddresses\":false,\"RestrictDomainsToCertificate\":false," \
	"\"CloudServicesMailEnabled\":true,\"TlsSenderCertificateName\":" certname ",\"Enabled\":true}"
#define OUTBOUND \
	"{\"Name\":\"Outbound to 6f0c2b4a-1d3e-4f5a-9b8c-7d6e5f4a3b2c\",\"ConnectorType\":\"OnPremises\"," \
	"\"ConnectorSource\":\"HybridWizard\",\"SmartHosts\":[\"mail.contoso.com\"],\"TlsDomain\":" \
	"\"mail.contoso.com\",\"TlsSettings\":\"DomainValidation\",\"UseMXRecord\":false," \
	"\"RecipientDomains\":[\"contoso.com\"],\"CloudServicesMailEnabled\":true,\"Enabled\":true}"

/*
 * A healthy hybrid: Exchange Online offers STARTTLS with a valid certificate
 * and sees 203.0.113.7, which is in the inbound connector and on no
 * blocklist; the MX and SPF are Microsoft's; the on-premises endpoint offers
 * STARTTLS with a certificate for mail.contoso.com.
 */
static void healthy(struct diagnosis *d)
{
	diagnosis_init(d);
	d->target = xstrdup("contoso.com");
	d->has_smtp = d->has_dns = d->has_dnsbl = d->has_onprem = true;
	d->ip_source = xstrdup("the address Exchange Online saw in its EHLO reply");
	conversation(&d->smtp, EOP_HOST, "52.101.68.10", "DigiCert Cloud Services CA-1");
	conversation(&d->onprem, "mail.contoso.com", "203.0.113.25", "Contoso Issuing CA");

	dns_facts_init(&d->dns);
	d->dns.domain = xstrdup("contoso.com");
	d->dns.asked[REC_MX] = d->dns.asked[REC_TXT] = true;
	set_mx(d, EOP_HOST);
	set_spf(d, "v=spf1 ip4:203.0.113.0/24 include:spf.protection.outlook.com -all");
	snprintf(d->dns.ip, sizeof d->dns.ip, "203.0.113.7");
	set_answer(&d->dns.ptr, "7.113.0.203.in-addr.arpa", DNS_T_PTR, DNS_OK,
	    (const char *const[]){ "mail.contoso.com", NULL }, (const char *const[]){ "mail.contoso.com", NULL });
	set_answer(&d->dns.ptr_fwd, "mail.contoso.com", DNS_T_A, DNS_OK, (const char *const[]){ "203.0.113.7", NULL },
	    NULL);

	snprintf(d->bl.ip, sizeof d->bl.ip, "203.0.113.7");
	d->bl.v = calloc(2, sizeof *d->bl.v);
	cr_assert_not_null(d->bl.v);
	d->bl.n = 2;
	set_zone(&d->bl.v[0], "zen.spamhaus.org", NULL);
	set_zone(&d->bl.v[1], "bl.spamcop.net", NULL);

	load_connectors(d, "[" INBOUND("\"203.0.113.0/24\"", "null") "," OUTBOUND "]");
}

/* Run the real rules, as `check` does, and sort. */
static void diagnose(const struct diagnosis *d, struct findings *fs)
{
	struct dnsbl_list zones;
	char err[300];

	cr_assert(dnsbl_load_file(SRCDIR "/src/dnsbl.zones", &zones, err, sizeof err), "%s", err);
	memset(fs, 0, sizeof *fs);
	rules_all(d, &zones, fs);
	findings_sort(fs);
	for (size_t i = 0; i < fs->n; i++)
		cr_log_info("%s%s [%s] %s", fs->v[i].root ? "ROOT " : "", fs->v[i].kb->id,
		    severity_name(fs->v[i].sev), fs->v[i].summary);
	dnsbl_list_free(&zones);
}

/* ---- the scenarios ---- */

static void s_healthy(struct diagnosis *d)
{
	healthy(d);
}

/* Spamhaus ZEN lists 203.0.113.7 (and SpamCop does not). */
static void listed(struct diagnosis *d)
{
	dnsbl_facts_free(&d->bl);
	memset(&d->bl, 0, sizeof d->bl);
	snprintf(d->bl.ip, sizeof d->bl.ip, "203.0.113.7");
	d->bl.v = calloc(2, sizeof *d->bl.v);
	cr_assert_not_null(d->bl.v);
	d->bl.n = 2;
	set_zone(&d->bl.v[0], "zen.spamhaus.org", "127.0.0.3");
	set_zone(&d->bl.v[1], "bl.spamcop.net", NULL);
}

/*
 * A server answers EHLO without STARTTLS because 203.0.113.7 is on Spamhaus
 * ZEN. Exchange Online always offers STARTTLS (the rules blame a middlebox
 * when it does not), so the server probed here is another one.
 */
static void s_blocklisted(struct diagnosis *d)
{
	static const char *const ext[] = { "SIZE 52428800", "PIPELINING", "8BITMIME", NULL };
	struct smtp_facts *f;

	healthy(d);
	f = &d->smtp;
	smtp_facts_free(f);
	conversation(f, "mx1.fabrikam.test", "192.0.2.25", "Fabrikam CA");
	for (size_t i = 0; i < f->next; i++)
		free(f->ext[i]);
	free(f->ext);
	f->ext = NULL;
	f->next = 0;
	set_ext(f, ext);
	set_reply(&f->banner, 220, 80, "mx1.fabrikam.test ESMTP", NULL);
	set_reply(&f->ehlo, 250, 40, "mx1.fabrikam.test Hello [203.0.113.7]", "SIZE 52428800", "PIPELINING",
	    "8BITMIME", NULL);
	f->starttls_offered = false;
	smtp_reply_facts_free(&f->starttls);
	smtp_reply_facts_free(&f->ehlo_tls);
	tls_facts_free(&f->tls);
	listed(d);
}

/* Exchange Online refuses 203.0.113.7 at the greeting (5.7.606), and Spamhaus lists it. */
static void s_eop_blocked(struct diagnosis *d)
{
	struct smtp_facts *f;

	healthy(d);
	f = &d->smtp;
	set_reply(&f->banner, 550, 80, "5.7.606 Access denied, banned sending IP [203.0.113.7]", NULL);
	snprintf(f->banner.esc, sizeof f->banner.esc, "5.7.606");
	smtp_reply_facts_free(&f->ehlo);
	smtp_reply_facts_free(&f->starttls);
	smtp_reply_facts_free(&f->ehlo_tls);
	smtp_reply_facts_free(&f->quit);
	for (size_t i = 0; i < f->next; i++)
		free(f->ext[i]);
	free(f->ext);
	f->ext = NULL;
	f->next = 0;
	f->ehlo_sent = false;
	f->starttls_offered = false;
	f->end = END_REJECTED;
	f->end_phase = PHASE_BANNER;
	f->observed_ip[0] = '\0';
	tls_facts_free(&f->tls);
	listed(d);
}

/* The endpoint's certificate expired on 2025-10-01. */
static void s_cert_expired(struct diagnosis *d)
{
	struct tls_facts *t;

	healthy(d);
	t = &d->smtp.tls;
	t->chain[0].not_after = (time_t)1759276800;	/* 2025-10-01 00:00 UTC */
	add_verr(t, 0, X509_V_ERR_CERT_HAS_EXPIRED);
}

/* The endpoint sends its certificate without the intermediate. */
static void s_missing_intermediate(struct diagnosis *d)
{
	struct tls_facts *t;

	healthy(d);
	t = &d->smtp.tls;
	new_chain(t, 1);
	set_cert(&t->chain[0], EOP_HOST, "DigiCert Cloud Services CA-1", false, T0 - 30 * DAY, T0 + 300 * DAY);
	add_verr(t, 0, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	add_verr(t, 0, X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE);
}

/* The public IP changed: 203.0.113.7 is not in the IP-based inbound connector. */
static void s_ip_not_in_connector(struct diagnosis *d)
{
	healthy(d);
	for (size_t i = 0; i < d->nconnectors; i++)
		connector_set_free(&d->connectors[i]);
	free(d->connectors);
	free(d->connector_files[0]);
	free(d->connector_files);
	load_connectors(d, "[" INBOUND("\"198.51.100.0/24\"", "null") "," OUTBOUND "]");
}

/* A Cisco ASA with `inspect esmtp`: masked greeting, STARTTLS turned into XXXXXXXA. */
static void s_cisco_inspection(struct diagnosis *d)
{
	static const char *const ext[] = { "SIZE 157286400", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES",
	    "XXXXXXXA", "8BITMIME", "BINARYMIME", "XXXXXXXB", "SMTPUTF8", NULL };
	struct smtp_facts *f;

	healthy(d);
	f = &d->smtp;
	set_reply(&f->banner, 220, 99, "*******************************************************************", NULL);
	for (size_t i = 0; i < f->next; i++)
		free(f->ext[i]);
	free(f->ext);
	f->ext = NULL;
	f->next = 0;
	set_ext(f, ext);
	set_reply(&f->ehlo, 250, 40, EOP_HOST " Hello [203.0.113.7]", "SIZE 157286400", "PIPELINING", "DSN",
	    "ENHANCEDSTATUSCODES", "XXXXXXXA", "8BITMIME", "BINARYMIME", "XXXXXXXB", "SMTPUTF8", NULL);
	f->starttls_offered = false;
	smtp_reply_facts_free(&f->starttls);
	smtp_reply_facts_free(&f->ehlo_tls);
	tls_facts_free(&f->tls);
}

/*
 * The on-premises receive connector presents Exchange's self-signed
 * certificate for the server's own name, not mail.contoso.com, the TlsDomain
 * Exchange Online requires.
 */
static void s_receive_certificate(struct diagnosis *d)
{
	struct tls_facts *t;

	healthy(d);
	t = &d->onprem.tls;
	new_chain(t, 1);
	set_cert(&t->chain[0], "EX01", "EX01", false, T0 - 300 * DAY, T0 + 1500 * DAY);
	add_verr(t, 0, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
	t->name = NAME_MISMATCH;
}

/* The MX still points to the retired Exchange Online (FOPE) destination, and SPF lacks Microsoft. */
static void s_dns_wrong(struct diagnosis *d)
{
	healthy(d);
	set_mx(d, "contoso-com.mail.messaging.microsoft.com");
	set_spf(d, "v=spf1 ip4:203.0.113.0/24 -all");
}

struct scenario {
	const char *name;
	void (*build)(struct diagnosis *d);
	enum mailpath_part breaks;	/* the part marked, MP_COUNT for none */
	bool root;			/* ... by a root-cause finding */
};

static const struct scenario scenarios[] = {
	{ "healthy", s_healthy, MP_COUNT, false },
	{ "blocklisted", s_blocklisted, MP_INTERNET, true },
	{ "eop-blocked", s_eop_blocked, MP_INTERNET, true },
	{ "cert-expired", s_cert_expired, MP_EOP, false },
	{ "missing-intermediate", s_missing_intermediate, MP_EOP, false },
	{ "ip-not-in-connector", s_ip_not_in_connector, MP_EOP, true },
	{ "cisco-inspection", s_cisco_inspection, MP_EDGE, true },
	{ "receive-certificate", s_receive_certificate, MP_RCERT, true },
	{ "dns-wrong", s_dns_wrong, MP_INTERNET, false },
};

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (fp == NULL)
		return NULL;
	cr_assert_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	cr_assert(n >= 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static char *joined(const struct mailpath_render *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	cr_assert_not_null(m);
	for (size_t i = 0; i < r->nlines; i++)
		fprintf(m, "%s\n", r->lines[i]);
	cr_assert_eq(fclose(m), 0);
	return buf;
}

/* The rendering must equal the expected file; MAILPATH_REGEN=1 writes the file first. */
static void compare(const char *name, const char *suffix, const char *got)
{
	char path[512];
	char *want;
	const char *regen = getenv("MAILPATH_REGEN");

	snprintf(path, sizeof path, FIXTURES "%s.%s.txt", name, suffix);
	if (regen != NULL && strcmp(regen, "1") == 0) {
		FILE *fp = fopen(path, "wb");

		cr_assert_not_null(fp, "%s: %s", path, strerror(errno));
		cr_assert_eq(fputs(got, fp) >= 0, true);
		cr_assert_eq(fclose(fp), 0);
		cr_log_warn("rewrote %s", path);
	}
	want = slurp(path);
	cr_assert_not_null(want, "%s missing: run with MAILPATH_REGEN=1 and review it", path);
	cr_expect_str_eq(got, want, "%s differs (MAILPATH_REGEN=1 rewrites it):\n--- got ---\n%s", path, got);
	free(want);
}

/* What every picture must hold, whatever the scenario. */
static void invariants(const struct mailpath *mp, const struct mailpath_render *r, int width)
{
	for (size_t i = 0; i < r->nlines; i++)
		cr_assert_leq(mailpath_display_width(r->lines[i]), (size_t)width, "line %zu is %zu columns: %s",
		    i, mailpath_display_width(r->lines[i]), r->lines[i]);
	if (width >= 80)
		cr_assert_leq(r->nlines, 18, "%zu lines", r->nlines);
	for (int p = 0; p < MP_COUNT; p++) {
		const struct mailpath_box *b = &r->box[p];
		const char *word = mailpath_status_word(mp->hop[p].status);

		/* Each part is drawn where the render says, with its status word. */
		cr_assert(b->width > 0 && b->row >= 0 && (size_t)b->row < r->nlines, "part %d not placed", p);
		cr_assert_not_null(strstr(r->lines[b->row], word), "part %d: no '%s' in line %d: %s", p, word,
		    b->row, r->lines[b->row]);
		cr_assert(mp->hop[p].fact[0] != '\0', "part %d has no fact", p);
	}
}

static void run_scenario(const struct scenario *sc)
{
	struct diagnosis d;
	struct findings fs;
	struct mailpath mp;
	struct mailpath_render r;
	static const struct { enum mailpath_charset cs; const char *suffix; } sets[] = {
		{ MAILPATH_UTF8, "utf8" }, { MAILPATH_ASCII, "ascii" },
	};

	sc->build(&d);
	diagnose(&d, &fs);
	cr_assert(mailpath_build(&mp, &d, &fs));
	for (size_t k = 0; k < 2; k++) {
		char *got;

		cr_assert(mailpath_render(&mp, 80, sets[k].cs, &r));
		invariants(&mp, &r, 80);
		got = joined(&r);
		compare(sc->name, sets[k].suffix, got);
		/* The marked part says why it is marked. */
		if (sc->breaks != MP_COUNT) {
			const struct mailpath_box *b = &r.box[sc->breaks];
			int last = b->row + b->height - 1;

			cr_assert_not_null(strstr(r.lines[last], sc->root ? "ROOT CAUSE" : "BREAKS HERE"),
			    "%s: part %d not marked: %s", sc->name, sc->breaks, r.lines[last]);
		} else {
			cr_assert_null(strstr(got, "ROOT CAUSE"));
			cr_assert_null(strstr(got, "BREAKS HERE"));
		}
		if (sets[k].cs == MAILPATH_ASCII)
			for (const char *p = got; *p; p++)
				cr_assert((unsigned char)*p < 0x80, "%s: non-ASCII byte in the ASCII picture", sc->name);
		free(got);
		mailpath_render_free(&r);
	}
	cr_assert_eq(mp.focus, sc->breaks == MP_COUNT ? MP_ONPREM : sc->breaks, "%s: focus %d", sc->name, mp.focus);
	cr_assert_eq(mp.focus_marked, sc->breaks != MP_COUNT);
	cr_assert_eq(mp.hop[sc->breaks == MP_COUNT ? MP_ONPREM : sc->breaks].root, sc->root);
	if (sc->breaks != MP_COUNT)
		cr_assert_eq(mp.hop[sc->breaks].status, MP_FAILED);
	mailpath_free(&mp);
	findings_free(&fs);
	diagnosis_free(&d);
}

Test(mailpath, healthy) { run_scenario(&scenarios[0]); }
Test(mailpath, blocklisted) { run_scenario(&scenarios[1]); }
Test(mailpath, eop_blocked) { run_scenario(&scenarios[2]); }
Test(mailpath, cert_expired) { run_scenario(&scenarios[3]); }
Test(mailpath, missing_intermediate) { run_scenario(&scenarios[4]); }
Test(mailpath, ip_not_in_connector) { run_scenario(&scenarios[5]); }
Test(mailpath, cisco_inspection) { run_scenario(&scenarios[6]); }
Test(mailpath, receive_certificate) { run_scenario(&scenarios[7]); }
Test(mailpath, dns_wrong) { run_scenario(&scenarios[8]); }

/* ---- every finding lands on exactly one part ---- */

/* A findings list with one finding of every knowledge-base id. */
static void every_id(struct findings *fs)
{
	memset(fs, 0, sizeof *fs);
	for (size_t i = 0; i < kb_count; i++)
		findings_add(fs, kb_entries[i].id, "summary of %s", kb_entries[i].id);
}

static void once_each(const struct mailpath *mp, const struct findings *fs)
{
	size_t *seen = calloc(fs->n, sizeof *seen);

	cr_assert_not_null(seen);
	for (int p = 0; p < MP_COUNT; p++)
		for (size_t k = 0; k < mp->hop[p].nfindings; k++) {
			cr_assert_lt(mp->hop[p].findings[k], fs->n);
			seen[mp->hop[p].findings[k]]++;
		}
	for (size_t i = 0; i < fs->n; i++)
		cr_assert_eq(seen[i], 1, "%s lands on %zu parts", fs->v[i].kb->id, seen[i]);
	free(seen);
}

Test(mailpath, every_kb_id_has_a_part)
{
	for (size_t i = 0; i < kb_count; i++)
		cr_assert_neq(mailpath_part_of(kb_entries[i].id), MP_COUNT, "%s has no part", kb_entries[i].id);
	cr_assert_eq(mailpath_part_of("nosuch.id"), MP_COUNT);
	cr_assert_eq(mailpath_part_of("smtp"), MP_COUNT);
}

Test(mailpath, every_finding_lands_once)
{
	struct diagnosis d;
	struct findings fs;
	struct mailpath mp;

	/* Nothing ran, then everything ran (the verdict on on-premises moves by the facts). */
	for (int k = 0; k < 2; k++) {
		if (k == 0)
			diagnosis_init(&d);
		else
			s_receive_certificate(&d);
		every_id(&fs);
		cr_assert(mailpath_build(&mp, &d, &fs));
		once_each(&mp, &fs);
		mailpath_free(&mp);
		findings_free(&fs);
		diagnosis_free(&d);
	}
}

/* The verdict on the on-premises endpoint lands where Exchange Online would stop. */
Test(mailpath, onprem_verdict_moves_to_the_failing_stage)
{
	struct diagnosis d;
	struct findings fs;
	struct mailpath mp;

	healthy(&d);
	d.onprem.end = END_CONNECT_FAILED;
	d.onprem.attempts[0].result = CONN_TIMEOUT;
	d.onprem.connected_addr[0] = '\0';
	diagnose(&d, &fs);
	cr_assert(mailpath_build(&mp, &d, &fs));
	cr_assert_eq(mp.hop[MP_RCONNECT].status, MP_FAILED);
	cr_assert_eq(mp.hop[MP_RCONNECT].nfindings, 1);
	cr_assert_str_eq(fs.v[mp.hop[MP_RCONNECT].findings[0]].kb->id, "onprem.exo-will-fail");
	cr_assert_str_eq(mp.hop[MP_RCONNECT].fact, "port 25: timed out");
	/* What comes after a failed stage was not reached: not tested, not good. */
	cr_assert_eq(mp.hop[MP_ENDPOINT].status, MP_NOT_TESTED);
	cr_assert_eq(mp.hop[MP_RTLS].status, MP_NOT_TESTED);
	cr_assert_eq(mp.hop[MP_RCERT].status, MP_NOT_TESTED);
	mailpath_free(&mp);
	findings_free(&fs);
	diagnosis_free(&d);
}

/* ---- nothing that did not run is drawn as good ---- */

Test(mailpath, nothing_run_is_all_not_tested)
{
	struct diagnosis d;
	struct findings fs = { 0 };
	struct mailpath mp;
	struct mailpath_render r;

	diagnosis_init(&d);
	cr_assert(mailpath_build(&mp, &d, &fs));
	for (int p = 0; p < MP_COUNT; p++)
		cr_assert_eq(mp.hop[p].status, MP_NOT_TESTED, "part %d is %s", p,
		    mailpath_status_word(mp.hop[p].status));
	cr_assert_not(mp.focus_marked);
	cr_assert(mailpath_render(&mp, 80, MAILPATH_UTF8, &r));
	for (size_t i = 0; i < r.nlines; i++)
		if (i < 13)	/* above the legend, which names every status */
			cr_assert_null(strstr(r.lines[i], " OK "), "line %zu: %s", i, r.lines[i]);
	mailpath_render_free(&r);
	mailpath_free(&mp);
	diagnosis_free(&d);
}

/* Only the DNS step ran: the SMTP parts and the return direction are not tested. */
Test(mailpath, dns_only_leaves_the_rest_untested)
{
	struct diagnosis d;
	struct findings fs;
	struct mailpath mp;

	healthy(&d);
	d.has_smtp = d.has_dnsbl = d.has_onprem = false;
	for (size_t i = 0; i < d.nconnectors; i++)
		connector_set_free(&d.connectors[i]);
	d.nconnectors = 0;
	diagnose(&d, &fs);
	cr_assert(mailpath_build(&mp, &d, &fs));
	cr_assert_eq(mp.hop[MP_INTERNET].status, MP_GOOD);
	for (int p = 0; p < MP_COUNT; p++)
		if (p != MP_INTERNET)
			cr_assert_eq(mp.hop[p].status, MP_NOT_TESTED, "part %d is %s: %s", p,
			    mailpath_status_word(mp.hop[p].status), mp.hop[p].fact);
	mailpath_free(&mp);
	findings_free(&fs);
	diagnosis_free(&d);
}

/* ---- widths ---- */

Test(mailpath, every_width_fits)
{
	for (size_t s = 0; s < sizeof scenarios / sizeof scenarios[0]; s++) {
		struct diagnosis d;
		struct findings fs;
		struct mailpath mp;

		scenarios[s].build(&d);
		diagnose(&d, &fs);
		cr_assert(mailpath_build(&mp, &d, &fs));
		for (int w = 20; w <= 132; w++) {
			for (int cs = 0; cs < 2; cs++) {
				struct mailpath_render r;
				int width = w < MAILPATH_MIN_WIDTH ? MAILPATH_MIN_WIDTH : w;

				cr_assert(mailpath_render(&mp, w, (enum mailpath_charset)cs, &r));
				invariants(&mp, &r, width);
				for (int p = 0; p < MP_COUNT; p++) {
					const struct mailpath_box *b = &r.box[p];

					cr_assert_leq(b->col + b->width, width);
					cr_assert_leq((size_t)(b->row + b->height), r.nlines);
				}
				mailpath_render_free(&r);
			}
		}
		mailpath_free(&mp);
		findings_free(&fs);
		diagnosis_free(&d);
	}
}

/* A fact longer than its box is cut with an ellipsis, never past the frame. */
Test(mailpath, long_fact_is_cut)
{
	struct diagnosis d;
	struct findings fs = { 0 };
	struct mailpath mp;
	struct mailpath_render r;
	char longname[200];

	diagnosis_init(&d);
	d.has_smtp = true;
	memset(longname, 'a', sizeof longname - 1);
	longname[sizeof longname - 1] = '\0';
	findings_add(&fs, "smtp.banner-slow", "%s", longname);
	cr_assert(mailpath_build(&mp, &d, &fs));
	cr_assert(mailpath_render(&mp, 80, MAILPATH_UTF8, &r));
	{
		const struct mailpath_box *b = &r.box[MP_SESSION];

		cr_assert_eq(mailpath_display_width(r.lines[b->row]), 40);
		cr_assert_not_null(strstr(r.lines[b->row], "a\u2026"), "%s", r.lines[b->row]);
	}
	mailpath_render_free(&r);
	cr_assert(mailpath_render(&mp, 80, MAILPATH_ASCII, &r));
	cr_assert_not_null(strstr(r.lines[r.box[MP_SESSION].row], "a..."));
	mailpath_render_free(&r);
	mailpath_free(&mp);
	findings_free(&fs);
	diagnosis_free(&d);
}

/* ---- the reports carry the picture ---- */

static char *text_report(const struct diagnosis *d, const struct findings *fs, enum report_charset cs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct report_options ro = { .charset = cs };

	cr_assert_not_null(m);
	report_text(m, d, fs, &ro);
	cr_assert_eq(fclose(m), 0);
	return buf;
}

Test(mailpath, text_report_shows_the_picture)
{
	struct diagnosis d;
	struct findings fs;
	char *want, *got, *p;

	s_cisco_inspection(&d);
	diagnose(&d, &fs);
	for (int k = 0; k < 2; k++) {
		got = text_report(&d, &fs, k ? REPORT_CHARSET_UTF8 : REPORT_CHARSET_ASCII);
		want = slurp(FIXTURES "cisco-inspection.ascii.txt");
		if (k) {
			free(want);
			want = slurp(FIXTURES "cisco-inspection.utf8.txt");
		}
		cr_assert_not_null(want);
		p = strstr(got, "\nMail path\n\n");
		cr_assert_not_null(p, "no picture in:\n%s", got);
		cr_assert(strncmp(p + 12, want, strlen(want)) == 0, "picture differs:\n%s", p);
		/* It comes before the findings. */
		cr_assert_lt(p, strstr(got, "Most likely root cause"));
		free(want);
		free(got);
	}
	findings_free(&fs);
	diagnosis_free(&d);
}

Test(mailpath, markdown_report_shows_the_picture_in_ascii)
{
	struct diagnosis d;
	struct findings fs;
	char *buf = NULL, *want, *p;
	size_t len = 0;
	FILE *m;

	s_cisco_inspection(&d);
	diagnose(&d, &fs);
	m = open_memstream(&buf, &len);
	cr_assert_not_null(m);
	report_markdown(m, "check", &d, &fs);
	cr_assert_eq(fclose(m), 0);
	want = slurp(FIXTURES "cisco-inspection.ascii.txt");
	cr_assert_not_null(want);
	p = strstr(buf, "## Mail path\n\n```\n");
	cr_assert_not_null(p, "no picture in:\n%s", buf);
	p += strlen("## Mail path\n\n```\n");
	cr_assert(strncmp(p, want, strlen(want)) == 0, "picture differs:\n%s", p);
	cr_assert(strncmp(p + strlen(want), "```\n", 4) == 0);
	for (const char *q = buf; *q; q++)
		cr_assert((unsigned char)*q < 0x80, "non-ASCII byte in the Markdown report");
	free(want);
	free(buf);
	findings_free(&fs);
	diagnosis_free(&d);
}

/* No probe ran: no picture (a DNS-only report is not about the path). */
Test(mailpath, no_picture_without_a_probe)
{
	struct diagnosis d;
	struct findings fs;
	char *got;

	healthy(&d);
	d.has_smtp = d.has_onprem = false;
	diagnose(&d, &fs);
	got = text_report(&d, &fs, REPORT_CHARSET_ASCII);
	cr_assert_null(strstr(got, "Mail path"));
	free(got);
	findings_free(&fs);
	diagnosis_free(&d);
}

/* ---- the demo scenarios: the captures installed with the program ---- */

/* A demo capture judged by today's rules (with the installed zone list), drawn at 80 columns. */
static void run_demo(const char *name)
{
	static const enum mailpath_charset cs[] = { MAILPATH_UTF8, MAILPATH_ASCII };
	static const char *const suffix[] = { "utf8", "ascii" };
	char path[512], fixture[128], err[256];
	struct dnsbl_list zones = { 0 };
	struct diagnosis d;
	struct findings fs = { 0 };
	struct mailpath mp;
	char *cerr = NULL;

	snprintf(path, sizeof path, SRCDIR "/ui/demos/%s.json", name);
	cr_assert(capture_load(path, &d, &cerr), "%s", cerr ? cerr : "?");
	cr_assert(dnsbl_load_file(SRCDIR "/src/dnsbl.zones", &zones, err, sizeof err), "%s", err);
	rules_all(&d, &zones, &fs);
	findings_sort(&fs);
	cr_assert(mailpath_build(&mp, &d, &fs));
	for (size_t k = 0; k < 2; k++) {
		struct mailpath_render r;
		char *got;

		cr_assert(mailpath_render(&mp, 80, cs[k], &r));
		invariants(&mp, &r, 80);
		got = joined(&r);
		snprintf(fixture, sizeof fixture, "demo-%s", name);
		compare(fixture, suffix[k], got);
		free(got);
		mailpath_render_free(&r);
	}
	/* The healthy demo has no failed or warning part; every other one has, and the cursor starts there. */
	{
		bool bad = false;

		for (int p = 0; p < MP_COUNT; p++)
			bad |= mp.hop[p].status == MP_FAILED || mp.hop[p].status == MP_WARNING;
		cr_assert_eq(bad, strcmp(name, "healthy") != 0, "%s", name);
		if (bad)
			cr_assert(mp.hop[mp.focus].status == MP_FAILED || mp.hop[mp.focus].status == MP_WARNING,
			    "%s: the cursor starts on a good part", name);
	}
	mailpath_free(&mp);
	findings_free(&fs);
	diagnosis_free(&d);
	dnsbl_list_free(&zones);
}

Test(mailpath, demo_healthy) { run_demo("healthy"); }
Test(mailpath, demo_blocklisted) { run_demo("blocklisted"); }
Test(mailpath, demo_cert_expired) { run_demo("cert-expired"); }
Test(mailpath, demo_missing_intermediate) { run_demo("missing-intermediate"); }
Test(mailpath, demo_ip_not_in_connector) { run_demo("ip-not-in-connector"); }
Test(mailpath, demo_cisco_inspection) { run_demo("cisco-inspection"); }
Test(mailpath, demo_receive_connector_cert) { run_demo("receive-connector-cert"); }
Test(mailpath, demo_dns_wrong) { run_demo("dns-wrong"); }

/* ---- the root cause of the reverse direction's certificate ---- */

/* The one cause.onprem-* finding of d, which must be id and a root cause. */
static const struct finding *onprem_cause_of(struct diagnosis *d, struct findings *fs, const char *id)
{
	const struct finding *f = NULL;
	int n = 0;

	diagnose(d, fs);
	for (size_t i = 0; i < fs->n; i++)
		if (strncmp(fs->v[i].kb->id, "cause.onprem-", 13) == 0) {
			f = &fs->v[i];
			n++;
		}
	cr_assert_eq(n, 1, "%d reverse-direction causes", n);
	cr_assert_str_eq(f->kb->id, id);
	cr_assert(f->root);
	want_evidence(f, "symptom onprem.exo-will-fail");
	return f;
}

/* Exchange's own certificates (CN=<server> from an Exchange greeting, CN=Microsoft Exchange ...) mean a binding problem. */
Test(mailpath, exchange_own_certificate_is_a_binding_problem)
{
	static const char *const names[] = { "EX01", "Microsoft Exchange Server Auth Certificate" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct diagnosis d;
		struct findings fs;
		const struct finding *f;

		s_receive_certificate(&d);
		cert_facts_free(&d.onprem.tls.chain[0]);
		set_cert(&d.onprem.tls.chain[0], names[i], names[i], false, T0 - 300 * DAY, T0 + 1500 * DAY);
		f = onprem_cause_of(&d, &fs, "cause.onprem-cert-not-bound");
		want_summary(f, "presents Exchange's self-signed certificate (CN=");
		want_summary(f, names[i]);
		want_evidence(f, i == 0 ? "named after the server (EX01)" : "one Exchange makes for itself");
		findings_free(&fs);
		diagnosis_free(&d);
	}
}

/* A one-label self-signed certificate behind another greeting is an appliance's, not Exchange's. */
Test(mailpath, one_label_self_signed_behind_another_greeting_is_not_exchanges)
{
	struct diagnosis d;
	struct findings fs;
	const struct finding *f;

	s_receive_certificate(&d);
	cert_facts_free(&d.onprem.tls.chain[0]);
	set_cert(&d.onprem.tls.chain[0], "mx1", "mx1", false, T0 - DAY, T0 + 300 * DAY);
	smtp_reply_facts_free(&d.onprem.banner);
	set_reply(&d.onprem.banner, 220, 10, "mx1.contoso.com ESMTP Postfix", NULL);
	f = onprem_cause_of(&d, &fs, "cause.onprem-cert-name");
	want_evidence(f, "the chain does not verify either");
	findings_free(&fs);
	diagnosis_free(&d);
}

/* A self-signed certificate with a real host name is not Exchange's own: the CA is the cause. */
Test(mailpath, other_self_signed_certificate_is_untrusted)
{
	struct diagnosis d;
	struct findings fs;
	const struct finding *f;

	s_receive_certificate(&d);
	cert_facts_free(&d.onprem.tls.chain[0]);
	set_cert(&d.onprem.tls.chain[0], "mail.contoso.com", "mail.contoso.com", false, T0 - DAY, T0 + 300 * DAY);
	d.onprem.tls.name = NAME_MATCH;
	f = onprem_cause_of(&d, &fs, "cause.onprem-cert-untrusted");
	want_summary(f, "presents a certificate issued by CN=mail.contoso.com");
	want_evidence(f, "verification: ");
	findings_free(&fs);
	diagnosis_free(&d);
}

/* A refused connection or a missing STARTTLS stops before the certificate: no certificate cause. */
Test(mailpath, no_certificate_cause_before_the_certificate)
{
	struct diagnosis d;
	struct findings fs;

	s_receive_certificate(&d);
	d.onprem.starttls_offered = false;
	diagnose(&d, &fs);
	want(&fs, "onprem.exo-will-fail", SEV_FAILURE);
	for (size_t i = 0; i < fs.n; i++)
		cr_assert_neq(strncmp(fs.v[i].kb->id, "cause.onprem-", 13), 0, "%s", fs.v[i].kb->id);
	findings_free(&fs);
	diagnosis_free(&d);
}

/* The failed certificate part of the mail path is the root cause's, and says what the verdict says. */
static void want_rcert_root(const struct diagnosis *d, const struct findings *fs, const char *fact)
{
	struct mailpath mp;

	cr_assert(mailpath_build(&mp, d, fs));
	cr_assert_eq(mp.hop[MP_RCERT].status, MP_FAILED);
	cr_assert(mp.hop[MP_RCERT].root, "the certificate part is not the root cause");
	cr_assert_not_null(strstr(mp.hop[MP_RCERT].fact, fact), "fact '%s', want '%s'", mp.hop[MP_RCERT].fact, fact);
	mailpath_free(&mp);
}

/* An expired intermediate is an out-of-date chain, not an untrusted CA. */
Test(mailpath, expired_intermediate_is_out_of_date)
{
	struct diagnosis d;
	struct findings fs;
	const struct finding *f;

	healthy(&d);
	d.onprem.tls.chain[1].not_after = T0 - 5 * DAY;
	add_verr(&d.onprem.tls, 1, X509_V_ERR_CERT_HAS_EXPIRED);
	f = onprem_cause_of(&d, &fs, "cause.onprem-cert-expired");
	want_summary(f, "sends an intermediate certificate (CN=Contoso Issuing CA) that expired on");
	want_evidence(f, "old intermediate");
	want(&fs, "onprem.exo-will-fail", SEV_FAILURE);
	want_summary(findings_get(&fs, "onprem.exo-will-fail"), "the intermediate certificate has expired");
	want_rcert_root(&d, &fs, "intermediate expired");
	findings_free(&fs);
	diagnosis_free(&d);
}

/* A leaf sent with another intermediate than its issuer: the issuer is what is missing. */
Test(mailpath, wrong_intermediate_is_a_missing_issuer)
{
	struct diagnosis d;
	struct findings fs;
	const struct finding *f;

	healthy(&d);
	cert_facts_free(&d.onprem.tls.chain[1]);
	set_cert(&d.onprem.tls.chain[1], "Contoso Issuing CA 2019", "Test Root CA", true, T0 - 2000 * DAY,
	    T0 + 900 * DAY);
	add_verr(&d.onprem.tls, 0, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
	f = onprem_cause_of(&d, &fs, "cause.onprem-intermediate-missing");
	want_summary(f, "without the certificate of CN=Contoso Issuing CA, which issued it");
	want_evidence(f, "CN=Contoso Issuing CA is neither sent nor in the system trust store");
	want_evidence(f, "or CN=Contoso Issuing CA is a private CA");
	want_rcert_root(&d, &fs, "intermediate certificate not sent");
	findings_free(&fs);
	diagnosis_free(&d);
}

/* A capture without fingerprints does not make the file "the same certificate". */
Test(mailpath, no_fingerprint_is_not_the_same_certificate)
{
	struct diagnosis d;
	struct findings fs;
	const struct finding *f;

	healthy(&d);
	d.onprem.tls.chain[0].not_after = T0 - DAY;
	d.onprem.tls.chain[0].sha256[0] = '\0';
	d.cert = calloc(1, sizeof *d.cert);
	cr_assert_not_null(d.cert);
	set_cert(&d.cert->leaf, "mail.contoso.com", "Contoso Issuing CA", false, T0 - 400 * DAY, T0 - DAY);
	d.cert->leaf.sha256[0] = '\0';
	d.cert->checked = true;
	d.cert->chain_complete = true;
	f = onprem_cause_of(&d, &fs, "cause.onprem-cert-expired");
	cr_assert(!evidence_has(f, "is the certificate presented"));
	want_evidence(f, "not usable either");
	want_rcert_root(&d, &fs, "certificate expired");
	findings_free(&fs);
	diagnosis_free(&d);
}

/* Unit tests: the DNS, blocklist and Exchange Online block rules, on hand-built facts. */
#include "config.h"

#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert.h"
#include "certgen.h"
#include "dnsbl.h"
#include "dnsmsg.h"
#include "facts.h"
#include "findings.h"
#include "kb.h"
#include "rules.h"
#include "testutil.h"
#include "spf.h"

#define DAY 86400L
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define DOMAIN "contoso.com"
#define EOP_MX "contoso-com.mail.protection.outlook.com"
#define IP "203.0.113.7"
#define PTR_NAME "7.113.0.203.in-addr.arpa"

/* ---- building DNS answers ---- */

/* Make a an empty answer for name/type with status st (records are added with add_rr). */
static struct dns_answer *answer(struct dns_answer *a, const char *name, uint16_t type,
    enum dns_status st)
{
	char *copy = xstrdup(name);	/* name may be a->name */

	dns_answer_free(a);
	a->name = copy;
	a->type = type;
	a->status = st;
	a->rcode = st == DNS_NXDOMAIN ? 3 : st == DNS_SERVFAIL ? 2 : st == DNS_REFUSED ? 5 : 0;
	a->ms = 7;
	if (st == DNS_TIMEOUT)
		a->error = xstrdup("no answer from 192.0.2.53 within 5000 ms");
	else if (st == DNS_ERROR)
		a->error = xstrdup("malformed answer: truncated record");
	return a;
}

/* Append one record (presentation text, and target for MX/CNAME/PTR/SRV); the answer becomes DNS_OK. */
static struct dns_rr *add_rr(struct dns_answer *a, const char *text, const char *target)
{
	struct dns_rr *rr;

	a->rr = realloc(a->rr, (a->n + 1) * sizeof *a->rr);
	cr_assert_not_null(a->rr);
	rr = &a->rr[a->n++];
	memset(rr, 0, sizeof *rr);
	rr->type = a->type;
	rr->ttl = 3600;
	rr->text = xstrdup(text);
	rr->target = target != NULL ? xstrdup(target) : NULL;
	a->status = DNS_OK;
	a->rcode = 0;
	return rr;
}

static void add_mx(struct dns_answer *a, uint16_t pref, const char *host)
{
	char text[300];

	snprintf(text, sizeof text, "%u %s", pref, host);
	add_rr(a, text, host)->pref = pref;
}

static void add_txt(struct dns_answer *a, const char *txt)
{
	struct dns_rr *rr = add_rr(a, txt, NULL);

	rr->datalen = strlen(txt);
	rr->data = malloc(rr->datalen + 1);
	cr_assert_not_null(rr->data);
	memcpy(rr->data, txt, rr->datalen + 1);
}

static void add_cname(struct dns_answer *a, const char *target)
{
	add_rr(a, target, target);
}

static void add_srv(struct dns_answer *a, uint16_t prio, uint16_t weight, uint16_t port,
    const char *target)
{
	char text[300];
	struct dns_rr *rr;

	snprintf(text, sizeof text, "%u %u %u %s", prio, weight, port, target);
	rr = add_rr(a, text, target);
	rr->pref = prio;
	rr->weight = weight;
	rr->port = port;
}

static void add_tlsa(struct dns_answer *a, uint8_t usage, uint8_t selector, uint8_t mtype,
    const unsigned char *data, size_t len)
{
	char text[300];
	size_t k;
	struct dns_rr *rr;

	k = (size_t)snprintf(text, sizeof text, "%u %u %u ", usage, selector, mtype);
	for (size_t i = 0; i < len && k + 3 < sizeof text; i++)
		k += (size_t)snprintf(text + k, sizeof text - k, "%02X", data[i]);
	rr = add_rr(a, text, NULL);
	rr->usage = usage;
	rr->selector = selector;
	rr->mtype = mtype;
	rr->data = malloc(len);
	cr_assert_not_null(rr->data);
	memcpy(rr->data, data, len);
	rr->datalen = len;
}

/* Record r of d, asked, with status st and no records yet. */
static struct dns_answer *rec(struct dns_facts *d, enum dns_rec r, enum dns_status st)
{
	char *name = dns_rec_name(r, d->domain);

	cr_assert_not_null(name);
	answer(&d->rec[r], name, dns_rec_type(r), st);
	free(name);
	d->asked[r] = true;
	return &d->rec[r];
}

static void set_cname(struct dns_facts *d, enum dns_rec r, const char *target)
{
	add_cname(rec(d, r, DNS_OK), target);
}

static void set_txt(struct dns_facts *d, enum dns_rec r, const char *txt)
{
	add_txt(rec(d, r, DNS_OK), txt);
}

/*
 * A hybrid domain as Exchange Online wants it: MX to EOP, SPF with Microsoft,
 * autodiscover on-premises, both DKIM selectors, DMARC reject, MTA-STS,
 * TLS-RPT and the Teams records. No TLSA host, no public IP.
 */
static void healthy_domain(struct dns_facts *d)
{
	struct dns_answer *a;

	dns_facts_init(d);
	d->domain = xstrdup(DOMAIN);
	add_mx(rec(d, REC_MX, DNS_OK), 0, EOP_MX);
	a = rec(d, REC_TXT, DNS_OK);
	add_txt(a, "MS=ms12345678");
	add_txt(a, "v=spf1 ip4:" IP " include:spf.protection.outlook.com -all");
	set_cname(d, REC_AUTODISCOVER, "mail.contoso.com");
	set_cname(d, REC_DKIM1, "selector1-contoso-com._domainkey.contoso.onmicrosoft.com");
	set_cname(d, REC_DKIM2, "selector2-contoso-com._domainkey.contoso.onmicrosoft.com");
	set_txt(d, REC_DMARC, "v=DMARC1; p=reject; rua=mailto:dmarc@contoso.com");
	set_txt(d, REC_MTASTS, "v=STSv1; id=20250101T000000");
	set_txt(d, REC_TLSRPT, "v=TLSRPTv1; rua=mailto:tlsrpt@contoso.com");
	set_cname(d, REC_SIP, "sipdir.online.lync.com");
	set_cname(d, REC_LYNCDISCOVER, "webdir.online.lync.com");
	add_srv(rec(d, REC_SRV_SIP, DNS_OK), 100, 1, 443, "sipdir.online.lync.com");
	add_srv(rec(d, REC_SRV_SIPFED, DNS_OK), 100, 1, 5061, "sipfed.online.lync.com");
}

/* ---- looking at findings ---- */

static void run_dns(const struct dns_facts *d, const struct smtp_facts *smtp, struct findings *fs)
{
	memset(fs, 0, sizeof *fs);
	rules_dns(d, smtp, fs);
	dump_findings(fs);
}

static size_t count_id(const struct findings *fs, const char *id)
{
	size_t n = 0;

	for (size_t i = 0; i < fs->n; i++)
		n += strcmp(fs->v[i].kb->id, id) == 0;
	return n;
}

static size_t count_sev(const struct findings *fs, enum severity sev)
{
	size_t n = 0;

	for (size_t i = 0; i < fs->n; i++)
		n += fs->v[i].sev == sev;
	return n;
}

/* No finding of this family (id prefix) at all. */
static void none_with_prefix(const struct findings *fs, const char *prefix)
{
	for (size_t i = 0; i < fs->n; i++)
		cr_assert_neq(strncmp(fs->v[i].kb->id, prefix, strlen(prefix)), 0,
		    "unexpected finding %s: %s", fs->v[i].kb->id, fs->v[i].summary);
}

/* ---- the healthy domain ---- */

Test(rules_dns, healthy_domain)
{
	static const struct {
		const char *id;
		enum severity sev;
	} expect[] = {
		{ "dns.mx-eop", SEV_OK },
		{ "dns.spf-ok", SEV_OK },
		{ "dns.autodiscover-onprem", SEV_OK },
		{ "dns.dkim-ok", SEV_OK },
		{ "dns.dmarc-ok", SEV_OK },
		{ "dns.mtasts-present", SEV_INFO },
		{ "dns.tlsrpt-ok", SEV_INFO },
		{ "dns.sip-ok", SEV_INFO },
	};
	struct dns_facts d;
	struct findings fs;

	healthy_domain(&d);
	run_dns(&d, NULL, &fs);
	cr_assert_eq(fs.n, NELEM(expect), "%zu findings", fs.n);
	for (size_t i = 0; i < NELEM(expect); i++) {
		want(&fs, expect[i].id, expect[i].sev);
		cr_assert_str_eq(fs.v[i].kb->id, expect[i].id, "finding %zu is %s", i, fs.v[i].kb->id);
	}
	cr_assert_eq(findings_exit_status(&fs), 0);
	findings_free(&fs);
	dns_facts_free(&d);
	cr_assert_null(d.domain);
}

/* ---- MX ---- */

Test(rules_dns, mx_eop)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.mx-eop", SEV_OK);
	want_summary(fd, EOP_MX);
	want_evidence(fd, "contoso.com MX 0 " EOP_MX);
	want_evidence(fd, "contoso-com.<letter>-v1.mx.microsoft");
	unwanted(&fs, "dns.mx-elsewhere");
	unwanted(&fs, "dns.mx-multiple");
	unwanted(&fs, "dns.mx-legacy");
	unwanted(&fs, "dns.mx-missing");
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, mx_eop_dnssec_form)
{
	struct dns_facts d;
	struct findings fs;

	healthy_domain(&d);
	add_mx(rec(&d, REC_MX, DNS_OK), 0, "contoso-com.j-v1.mx.microsoft");
	run_dns(&d, NULL, &fs);
	want_summary(want(&fs, "dns.mx-eop", SEV_OK), "contoso-com.j-v1.mx.microsoft");
	unwanted(&fs, "dns.mx-elsewhere");
	findings_free(&fs);

	/* With the root dot and in capitals. */
	add_mx(rec(&d, REC_MX, DNS_OK), 0, "CONTOSO-COM.J-V1.MX.MICROSOFT.");
	run_dns(&d, NULL, &fs);
	want(&fs, "dns.mx-eop", SEV_OK);
	unwanted(&fs, "dns.mx-elsewhere");
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, mx_third_party)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	add_mx(rec(&d, REC_MX, DNS_OK), 10, "mx1.filter.fabrikam.net");
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.mx-elsewhere", SEV_INFO);
	want_summary(fd, "mx1.filter.fabrikam.net");
	want_evidence(fd, "contoso.com MX 10 mx1.filter.fabrikam.net");
	unwanted(&fs, "dns.mx-eop");
	unwanted(&fs, "dns.mx-multiple");
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, mx_missing)
{
	static const enum dns_status st[] = { DNS_NXDOMAIN, DNS_NODATA };
	static const char *const shown[] = { "NXDOMAIN", "NODATA" };

	for (size_t i = 0; i < NELEM(st); i++) {
		struct dns_facts d;
		struct findings fs;
		const struct finding *fd;

		healthy_domain(&d);
		rec(&d, REC_MX, st[i]);
		run_dns(&d, NULL, &fs);
		fd = want(&fs, "dns.mx-missing", SEV_FAILURE);
		cr_assert_str_eq(fd->summary, "contoso.com has no MX record");
		want_evidence(fd, shown[i]);
		unwanted(&fs, "dns.mx-eop");
		unwanted(&fs, "dns.mx-elsewhere");
		unwanted(&fs, "dns.servfail");
		unwanted(&fs, "dns.lookup-failed");
		cr_assert_eq(findings_exit_status(&fs), 2);
		findings_free(&fs);
		dns_facts_free(&d);
	}
}

Test(rules_dns, mx_legacy)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	add_mx(rec(&d, REC_MX, DNS_OK), 0, "mail.messaging.microsoft.com");
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.mx-legacy", SEV_FAILURE);
	want_summary(fd, "mail.messaging.microsoft.com");
	want_evidence(fd, "contoso.com MX 0 mail.messaging.microsoft.com");
	unwanted(&fs, "dns.mx-eop");
	cr_assert_eq(count_id(&fs, "dns.mx-legacy"), 1);
	findings_free(&fs);

	/* A legacy host behind EOP still counts. */
	add_mx(rec(&d, REC_MX, DNS_OK), 0, EOP_MX);
	add_mx(&d.rec[REC_MX], 10, "contoso-com.mail.global.frontbridge.com");
	run_dns(&d, NULL, &fs);
	want_summary(want(&fs, "dns.mx-legacy", SEV_FAILURE), "frontbridge");
	want(&fs, "dns.mx-eop", SEV_OK);
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, mx_multiple)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	add_mx(&d.rec[REC_MX], 10, "mail.contoso.com");
	run_dns(&d, NULL, &fs);
	want(&fs, "dns.mx-eop", SEV_OK);
	fd = want(&fs, "dns.mx-multiple", SEV_INFO);
	cr_assert_str_eq(fd->summary, "contoso.com has 2 MX records");
	want_evidence(fd, "MX 0 " EOP_MX);
	want_evidence(fd, "MX 10 mail.contoso.com");
	findings_free(&fs);
	dns_facts_free(&d);
}

/* The lowest preference decides, wherever it sits in the answer. */
Test(rules_dns, mx_preference_order)
{
	struct dns_facts d;
	struct findings fs;
	struct dns_answer *a;

	healthy_domain(&d);
	a = rec(&d, REC_MX, DNS_OK);
	add_mx(a, 20, EOP_MX);
	add_mx(a, 10, "mail.contoso.com");
	run_dns(&d, NULL, &fs);
	want_summary(want(&fs, "dns.mx-elsewhere", SEV_INFO), "mail.contoso.com");
	unwanted(&fs, "dns.mx-eop");
	want(&fs, "dns.mx-multiple", SEV_INFO);
	findings_free(&fs);

	a = rec(&d, REC_MX, DNS_OK);
	add_mx(a, 30, "backup.contoso.com");
	add_mx(a, 5, EOP_MX);
	add_mx(a, 10, "mail.contoso.com");
	run_dns(&d, NULL, &fs);
	want_summary(want(&fs, "dns.mx-eop", SEV_OK), EOP_MX);
	unwanted(&fs, "dns.mx-elsewhere");
	cr_assert_str_eq(findings_get(&fs, "dns.mx-multiple")->summary, "contoso.com has 3 MX records");
	findings_free(&fs);
	dns_facts_free(&d);
}

/* ---- lookups that failed: could not test, never missing ---- */

static const struct {
	enum dns_status st;
	const char *id;
} failures[] = {
	{ DNS_SERVFAIL, "dns.servfail" },
	{ DNS_REFUSED, "dns.refused" },
	{ DNS_TIMEOUT, "dns.timeout" },
	{ DNS_ERROR, "dns.lookup-failed" },
};

/* Each record, and the findings it gives when answered (missing or present). */
static const struct {
	enum dns_rec r;
	const char *gone[2];
} records[] = {
	{ REC_MX, { "dns.mx-missing", "dns.mx-eop" } },
	{ REC_TXT, { "dns.spf-missing", "dns.spf-ok" } },
	{ REC_AUTODISCOVER, { "dns.autodiscover-missing", "dns.autodiscover-onprem" } },
	{ REC_DKIM1, { "dns.dkim-missing", "dns.dkim-ok" } },
	{ REC_DKIM2, { "dns.dkim-missing", "dns.dkim-ok" } },
	{ REC_DMARC, { "dns.dmarc-missing", "dns.dmarc-ok" } },
	{ REC_MTASTS, { "dns.mtasts-missing", "dns.mtasts-present" } },
	{ REC_TLSRPT, { "dns.tlsrpt-missing", "dns.tlsrpt-ok" } },
	{ REC_SIP, { "dns.sip-missing", "dns.sip-ok" } },
	{ REC_LYNCDISCOVER, { "dns.sip-missing", "dns.sip-ok" } },
	{ REC_SRV_SIP, { "dns.sip-missing", "dns.sip-ok" } },
	{ REC_SRV_SIPFED, { "dns.sip-missing", "dns.sip-ok" } },
};

Test(rules_dns, lookup_failures_are_untested)
{
	for (size_t i = 0; i < NELEM(failures); i++) {
		for (size_t k = 0; k < NELEM(records); k++) {
			struct dns_facts d;
			struct findings fs;
			const struct finding *fd;
			char *name;

			healthy_domain(&d);
			rec(&d, records[k].r, failures[i].st);
			name = dns_rec_name(records[k].r, DOMAIN);
			cr_assert_not_null(name);
			run_dns(&d, NULL, &fs);
			fd = want(&fs, failures[i].id, SEV_UNTESTED);
			cr_assert_eq(count_id(&fs, failures[i].id), 1, "%s for %s", failures[i].id,
			    dns_rec_label(records[k].r));
			want_summary(fd, dns_rec_label(records[k].r));
			want_summary(fd, name);
			want_summary(fd, dns_status_name(failures[i].st));
			if (failures[i].st == DNS_TIMEOUT)
				want_evidence(fd, "within 5000 ms");
			if (failures[i].st == DNS_ERROR)
				want_evidence(fd, "malformed answer");
			unwanted(&fs, records[k].gone[0]);
			unwanted(&fs, records[k].gone[1]);
			/* The other records are judged as usual. */
			if (records[k].r != REC_MX)
				want(&fs, "dns.mx-eop", SEV_OK);
			if (records[k].r != REC_DMARC)
				want(&fs, "dns.dmarc-ok", SEV_OK);
			cr_assert_eq(findings_exit_status(&fs), 3);
			free(name);
			findings_free(&fs);
			dns_facts_free(&d);
		}
	}
}

Test(rules_dns, every_lookup_failed)
{
	for (size_t i = 0; i < NELEM(failures); i++) {
		struct dns_facts d;
		struct findings fs;

		healthy_domain(&d);
		for (int r = 0; r < REC_COUNT; r++)
			rec(&d, (enum dns_rec)r, failures[i].st);
		run_dns(&d, NULL, &fs);
		cr_assert_eq(fs.n, REC_COUNT, "%zu findings", fs.n);
		cr_assert_eq(count_id(&fs, failures[i].id), REC_COUNT);
		cr_assert_eq(count_sev(&fs, SEV_UNTESTED), REC_COUNT);
		findings_free(&fs);
		dns_facts_free(&d);
	}
}

/* Records that were not asked (left zeroed) give no finding: neither missing nor failed. */
Test(rules_dns, records_not_asked)
{
	struct dns_facts d;
	struct findings fs;

	dns_facts_init(&d);
	d.domain = xstrdup(DOMAIN);
	add_mx(rec(&d, REC_MX, DNS_OK), 0, EOP_MX);
	run_dns(&d, NULL, &fs);
	cr_assert_eq(fs.n, 1, "%zu findings", fs.n);
	want(&fs, "dns.mx-eop", SEV_OK);
	findings_free(&fs);
	dns_facts_free(&d);
}

/* ---- SPF ---- */

Test(rules_dns, spf_ok)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.spf-ok", SEV_OK);
	want_summary(fd, "spf.protection.outlook.com");
	want_evidence(fd, "contoso.com TXT \"v=spf1 ip4:" IP " include:spf.protection.outlook.com -all\"");
	none_with_prefix(&fs, "dns.spf-ip");
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, spf_missing)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	set_txt(&d, REC_TXT, "MS=ms12345678");
	add_txt(&d.rec[REC_TXT], "google-site-verification=abc");
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.spf-missing", SEV_WARNING);
	cr_assert_str_eq(fd->summary, "contoso.com publishes no SPF record");
	want_evidence(fd, "MS=ms12345678");
	unwanted(&fs, "dns.spf-ok");
	findings_free(&fs);

	rec(&d, REC_TXT, DNS_NODATA);
	run_dns(&d, NULL, &fs);
	want_evidence(want(&fs, "dns.spf-missing", SEV_WARNING), "NODATA");
	findings_free(&fs);

	/* "v=spf10" is not an SPF record. */
	set_txt(&d, REC_TXT, "v=spf10 -all");
	run_dns(&d, NULL, &fs);
	want(&fs, "dns.spf-missing", SEV_WARNING);
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, spf_multiple)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	add_txt(&d.rec[REC_TXT], "v=spf1 include:_spf.fabrikam.net ~all");
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.spf-multiple", SEV_FAILURE);
	cr_assert_str_eq(fd->summary, "contoso.com publishes 2 SPF records");
	cr_assert_eq(fd->nevidence, 2);
	want_evidence(fd, "v=spf1 ip4:" IP " include:spf.protection.outlook.com -all");
	want_evidence(fd, "v=spf1 include:_spf.fabrikam.net ~all");
	unwanted(&fs, "dns.spf-ok");
	unwanted(&fs, "dns.spf-missing");
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, spf_syntax)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	set_txt(&d, REC_TXT, "v=spf1 ip4:203.0.113.300 include:spf.protection.outlook.com -all");
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.spf-syntax", SEV_FAILURE);
	want_summary(fd, "the SPF record of contoso.com is invalid: ");
	want_evidence(fd, "ip4:203.0.113.300");
	unwanted(&fs, "dns.spf-ok");
	unwanted(&fs, "dns.spf-no-microsoft");
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, spf_no_microsoft)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	set_txt(&d, REC_TXT, "v=spf1 ip4:203.0.113.0/24 include:_spf.fabrikam.net -all");
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.spf-no-microsoft", SEV_WARNING);
	want_summary(fd, "does not include spf.protection.outlook.com");
	want_evidence(fd, "include:_spf.fabrikam.net");
	unwanted(&fs, "dns.spf-ok");
	unwanted(&fs, "dns.spf-no-all");
	unwanted(&fs, "dns.spf-plus-all");
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, spf_plus_all)
{
	static const char *const txt[] = {
		"v=spf1 include:spf.protection.outlook.com +all",
		"v=spf1 include:spf.protection.outlook.com all",
	};

	for (size_t i = 0; i < NELEM(txt); i++) {
		struct dns_facts d;
		struct findings fs;

		healthy_domain(&d);
		set_txt(&d, REC_TXT, txt[i]);
		run_dns(&d, NULL, &fs);
		want_evidence(want(&fs, "dns.spf-plus-all", SEV_FAILURE), txt[i]);
		unwanted(&fs, "dns.spf-ok");
		unwanted(&fs, "dns.spf-no-all");
		unwanted(&fs, "dns.spf-no-microsoft");
		findings_free(&fs);
		dns_facts_free(&d);
	}
}

Test(rules_dns, spf_no_all)
{
	struct dns_facts d;
	struct findings fs;

	healthy_domain(&d);
	set_txt(&d, REC_TXT, "v=spf1 include:spf.protection.outlook.com");
	run_dns(&d, NULL, &fs);
	want_summary(want(&fs, "dns.spf-no-all", SEV_WARNING), "no all and no redirect");
	unwanted(&fs, "dns.spf-ok");
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, spf_redirect_without_all)
{
	struct dns_facts d;
	struct findings fs;

	healthy_domain(&d);
	set_txt(&d, REC_TXT, "v=spf1 include:spf.protection.outlook.com redirect=_spf.contoso.com");
	run_dns(&d, NULL, &fs);
	unwanted(&fs, "dns.spf-no-all");
	want(&fs, "dns.spf-ok", SEV_OK);
	findings_free(&fs);

	set_txt(&d, REC_TXT, "v=spf1 redirect=_spf.contoso.com");
	run_dns(&d, NULL, &fs);
	unwanted(&fs, "dns.spf-no-all");
	unwanted(&fs, "dns.spf-plus-all");
	findings_free(&fs);
	dns_facts_free(&d);
}

static void spf_eval_facts(struct dns_facts *d, enum spf_result r, const char *matched, int lookups,
    const char *error)
{
	d->spf_evaluated = true;
	d->spf_result = (int)r;
	snprintf(d->ip, sizeof d->ip, "%s", IP);
	snprintf(d->spf_matched, sizeof d->spf_matched, "%s", matched);
	d->spf_lookups = lookups;
	snprintf(d->spf_error, sizeof d->spf_error, "%s", error);
}

Test(rules_dns, spf_ip_authorised)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	spf_eval_facts(&d, SPF_PASS, "ip4:" IP, 1, "");
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.spf-ip-authorised", SEV_OK);
	cr_assert_str_eq(fd->summary, "SPF passes for " IP " through ip4:" IP);
	want_evidence(fd, "DNS lookups used: 1 of 10");
	want(&fs, "dns.spf-ok", SEV_OK);
	unwanted(&fs, "dns.spf-ip-not-authorised");
	findings_free(&fs);

	/* Through an include: the term and where it matched. */
	spf_eval_facts(&d, SPF_PASS, "include:spf.protection.outlook.com (ip4:40.92.0.0/15 in "
	    "spf.protection.outlook.com)", 2, "");
	run_dns(&d, NULL, &fs);
	want_summary(want(&fs, "dns.spf-ip-authorised", SEV_OK), "ip4:40.92.0.0/15 in spf.protection");
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, spf_ip_not_authorised)
{
	static const struct {
		enum spf_result r;
		const char *name, *matched;
	} cases[] = {
		{ SPF_FAIL, "fail", "-all" },
		{ SPF_SOFTFAIL, "softfail", "~all" },
		{ SPF_NEUTRAL, "neutral", "" },
	};

	for (size_t i = 0; i < NELEM(cases); i++) {
		struct dns_facts d;
		struct findings fs;
		const struct finding *fd;
		char expect[200];

		healthy_domain(&d);
		spf_eval_facts(&d, cases[i].r, cases[i].matched, 1, "");
		run_dns(&d, NULL, &fs);
		fd = want(&fs, "dns.spf-ip-not-authorised", SEV_WARNING);
		snprintf(expect, sizeof expect, "SPF gives %s for " IP "%s%s", cases[i].name,
		    cases[i].matched[0] ? " at " : "", cases[i].matched);
		cr_assert_str_eq(fd->summary, expect);
		want_evidence(fd, "DNS lookups used: 1 of 10");
		unwanted(&fs, "dns.spf-ip-authorised");
		want(&fs, "dns.spf-ok", SEV_OK);
		findings_free(&fs);
		dns_facts_free(&d);
	}
}

Test(rules_dns, spf_too_many_lookups)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	spf_eval_facts(&d, SPF_PERMERROR, "", 11, "too many DNS lookups (more than 10)");
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.spf-too-many-lookups", SEV_FAILURE);
	want_summary(fd, "more than 10 DNS lookups");
	want_evidence(fd, "too many DNS lookups (more than 10)");
	unwanted(&fs, "dns.spf-ok");
	unwanted(&fs, "dns.spf-ip-not-authorised");
	unwanted(&fs, "dns.spf-ip-authorised");
	findings_free(&fs);

	/* Another permerror is a result for the IP, not a lookup count problem. */
	spf_eval_facts(&d, SPF_PERMERROR, "", 3, "include:nospf.fabrikam.net has no SPF record");
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.spf-ip-not-authorised", SEV_WARNING);
	want_summary(fd, "permerror");
	want_evidence(fd, "has no SPF record");
	unwanted(&fs, "dns.spf-too-many-lookups");
	want(&fs, "dns.spf-ok", SEV_OK);
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, spf_temperror)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	spf_eval_facts(&d, SPF_TEMPERROR, "", 2, "SERVFAIL for _spf.fabrikam.net TXT");
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.lookup-failed", SEV_UNTESTED);
	want_summary(fd, "SPF evaluation of contoso.com for " IP);
	want_summary(fd, "SERVFAIL for _spf.fabrikam.net TXT");
	unwanted(&fs, "dns.spf-ip-authorised");
	unwanted(&fs, "dns.spf-ip-not-authorised");
	want(&fs, "dns.spf-ok", SEV_OK);
	findings_free(&fs);
	dns_facts_free(&d);
}

/* ---- autodiscover ---- */

Test(rules_dns, autodiscover)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.autodiscover-onprem", SEV_OK);
	cr_assert_str_eq(fd->summary, "autodiscover.contoso.com points to mail.contoso.com");
	want_evidence(fd, "autodiscover.contoso.com CNAME mail.contoso.com");
	findings_free(&fs);

	set_cname(&d, REC_AUTODISCOVER, "autodiscover.outlook.com");
	run_dns(&d, NULL, &fs);
	want_summary(want(&fs, "dns.autodiscover-cloud", SEV_WARNING), "autodiscover.outlook.com");
	unwanted(&fs, "dns.autodiscover-onprem");
	findings_free(&fs);

	rec(&d, REC_AUTODISCOVER, DNS_NODATA);
	run_dns(&d, NULL, &fs);
	want_summary(want(&fs, "dns.autodiscover-onprem", SEV_OK), "host record");
	unwanted(&fs, "dns.autodiscover-missing");
	findings_free(&fs);

	rec(&d, REC_AUTODISCOVER, DNS_NXDOMAIN);
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.autodiscover-missing", SEV_WARNING);
	cr_assert_str_eq(fd->summary, "autodiscover.contoso.com does not exist");
	want_evidence(fd, "NXDOMAIN");
	unwanted(&fs, "dns.autodiscover-onprem");
	findings_free(&fs);
	dns_facts_free(&d);
}

/* ---- DKIM ---- */

Test(rules_dns, dkim_ok)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.dkim-ok", SEV_OK);
	want_evidence(fd, "selector1._domainkey.contoso.com CNAME "
	    "selector1-contoso-com._domainkey.contoso.onmicrosoft.com");
	want_evidence(fd, "selector2._domainkey.contoso.com CNAME "
	    "selector2-contoso-com._domainkey.contoso.onmicrosoft.com");
	findings_free(&fs);

	/* The newer form under dkim.mail.microsoft. */
	set_cname(&d, REC_DKIM1, "selector1-contoso-com._domainkey.contoso.n-v1.dkim.mail.microsoft");
	set_cname(&d, REC_DKIM2, "selector2-contoso-com._domainkey.contoso.n-v1.dkim.mail.microsoft.");
	run_dns(&d, NULL, &fs);
	want(&fs, "dns.dkim-ok", SEV_OK);
	unwanted(&fs, "dns.dkim-elsewhere");
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, dkim_missing)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	rec(&d, REC_DKIM2, DNS_NXDOMAIN);
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.dkim-missing", SEV_WARNING);
	cr_assert_str_eq(fd->summary, "selector2 of contoso.com missing");
	want_evidence(fd, "selector2._domainkey.contoso.com CNAME: no such name (NXDOMAIN)");
	unwanted(&fs, "dns.dkim-ok");
	findings_free(&fs);

	rec(&d, REC_DKIM1, DNS_NODATA);
	run_dns(&d, NULL, &fs);
	cr_assert_str_eq(want(&fs, "dns.dkim-missing", SEV_WARNING)->summary,
	    "both DKIM selectors of contoso.com missing");
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, dkim_elsewhere)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	set_cname(&d, REC_DKIM1, "s1.domainkey.u1234.wl.sendgrid.net");
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.dkim-elsewhere", SEV_INFO);
	want_evidence(fd, "s1.domainkey.u1234.wl.sendgrid.net");
	unwanted(&fs, "dns.dkim-ok");
	unwanted(&fs, "dns.dkim-missing");
	findings_free(&fs);
	dns_facts_free(&d);
}

/* ---- DMARC ---- */

Test(rules_dns, dmarc)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.dmarc-ok", SEV_OK);
	cr_assert_str_eq(fd->summary, "DMARC policy reject");
	want_evidence(fd, "_dmarc.contoso.com TXT v=DMARC1; p=reject");
	findings_free(&fs);

	set_txt(&d, REC_DMARC, "v=DMARC1; p=none; rua=mailto:dmarc@contoso.com");
	run_dns(&d, NULL, &fs);
	cr_assert_str_eq(want(&fs, "dns.dmarc-monitor-only", SEV_INFO)->summary,
	    "DMARC policy none at 100%");
	unwanted(&fs, "dns.dmarc-ok");
	findings_free(&fs);

	set_txt(&d, REC_DMARC, "v=DMARC1; p=quarantine; pct=50");
	run_dns(&d, NULL, &fs);
	cr_assert_str_eq(want(&fs, "dns.dmarc-monitor-only", SEV_INFO)->summary,
	    "DMARC policy quarantine at 50%");
	unwanted(&fs, "dns.dmarc-ok");
	findings_free(&fs);

	set_txt(&d, REC_DMARC, "v=DMARC1; p=block");
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.dmarc-invalid", SEV_FAILURE);
	want_summary(fd, "the DMARC record of contoso.com is invalid: ");
	want_evidence(fd, "p=block");
	unwanted(&fs, "dns.dmarc-ok");
	findings_free(&fs);

	rec(&d, REC_DMARC, DNS_NXDOMAIN);
	run_dns(&d, NULL, &fs);
	cr_assert_str_eq(want(&fs, "dns.dmarc-missing", SEV_WARNING)->summary,
	    "_dmarc.contoso.com has no DMARC record");
	findings_free(&fs);

	/* A TXT that is not DMARC is no DMARC record. */
	set_txt(&d, REC_DMARC, "some-verification=xyz");
	run_dns(&d, NULL, &fs);
	want(&fs, "dns.dmarc-missing", SEV_WARNING);
	findings_free(&fs);
	dns_facts_free(&d);
}

/* ---- MTA-STS and TLS-RPT ---- */

Test(rules_dns, mtasts)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.mtasts-present", SEV_INFO);
	want_summary(fd, "id 20250101T000000");
	want_summary(fd, "https://mta-sts.contoso.com/.well-known/mta-sts.txt");
	findings_free(&fs);

	set_txt(&d, REC_MTASTS, "v=STSv1; id=2025-01-01");
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.mtasts-invalid", SEV_FAILURE);
	want_summary(fd, "the MTA-STS record of contoso.com is invalid: ");
	want_evidence(fd, "id=2025-01-01");
	unwanted(&fs, "dns.mtasts-present");
	findings_free(&fs);

	rec(&d, REC_MTASTS, DNS_NXDOMAIN);
	run_dns(&d, NULL, &fs);
	cr_assert_str_eq(want(&fs, "dns.mtasts-missing", SEV_INFO)->summary,
	    "_mta-sts.contoso.com has no MTA-STS record");
	unwanted(&fs, "dns.mtasts-present");
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, tlsrpt)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	run_dns(&d, NULL, &fs);
	cr_assert_str_eq(want(&fs, "dns.tlsrpt-ok", SEV_INFO)->summary,
	    "TLS reports go to mailto:tlsrpt@contoso.com");
	findings_free(&fs);

	set_txt(&d, REC_TLSRPT, "v=TLSRPTv1; rua=ftp://reports.contoso.com/");
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.tlsrpt-invalid", SEV_WARNING);
	want_summary(fd, "the TLS-RPT record of contoso.com is invalid: ");
	want_evidence(fd, "ftp://reports.contoso.com/");
	unwanted(&fs, "dns.tlsrpt-ok");
	findings_free(&fs);

	rec(&d, REC_TLSRPT, DNS_NODATA);
	run_dns(&d, NULL, &fs);
	cr_assert_str_eq(want(&fs, "dns.tlsrpt-missing", SEV_INFO)->summary,
	    "_smtp._tls.contoso.com has no TLS-RPT record");
	unwanted(&fs, "dns.tlsrpt-ok");
	findings_free(&fs);
	dns_facts_free(&d);
}

/* ---- TLSA / DANE ---- */

struct pki {
	EVP_PKEY *ca_key, *leaf_key;
	X509 *ca, *leaf;
};

static void pki_make(struct pki *p)
{
	static const char *const sans[] = { EOP_MX, NULL };
	struct certgen_spec ca_spec = {
		.cn = "Contoso Issuing CA", .not_before_s = -365 * DAY, .not_after_s = 1000 * DAY,
		.is_ca = 1,
	};
	struct certgen_spec leaf_spec = {
		.cn = EOP_MX, .dns_sans = sans, .not_before_s = -DAY, .not_after_s = 200 * DAY,
		.server_eku = 1,
	};

	cr_assert_not_null(p->ca_key = certgen_key_rsa(2048));
	cr_assert_not_null(p->leaf_key = certgen_key_rsa(2048));
	cr_assert_not_null(p->ca = certgen_issue(&ca_spec, p->ca_key, NULL, NULL));
	cr_assert_not_null(p->leaf = certgen_issue(&leaf_spec, p->leaf_key, p->ca, p->ca_key));
}

static void pki_free(struct pki *p)
{
	X509_free(p->leaf);
	X509_free(p->ca);
	EVP_PKEY_free(p->leaf_key);
	EVP_PKEY_free(p->ca_key);
}

/* An SMTP probe of host that completed TLS with the chain leaf, CA. */
static void smtp_with_chain(struct smtp_facts *f, const struct pki *p, const char *host)
{
	smtp_facts_init(f);
	f->host = xstrdup(host);
	f->port = 25;
	f->ehlo_name = xstrdup("probe.fabrikam.test");
	f->tls.attempted = true;
	f->tls.ok = true;
	strcpy(f->tls.version, "TLSv1.3");
	f->tls.chain = calloc(2, sizeof *f->tls.chain);
	cr_assert_not_null(f->tls.chain);
	f->tls.nchain = 2;
	cr_assert(cert_facts_from_x509(p->leaf, &f->tls.chain[0]));
	cr_assert(cert_facts_from_x509(p->ca, &f->tls.chain[1]));
	cr_assert_not_null(f->tls.chain[0].der);
	cr_assert_not_null(f->tls.chain[0].spki);
	f->tls.checked_at = time(NULL);
}

static void sha256(const unsigned char *data, size_t len, unsigned char md[32])
{
	unsigned int mdlen = 0;

	cr_assert_eq(EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL), 1);
	cr_assert_eq(mdlen, 32);
}

/* The TLSA answer at _25._tcp.<host>, with status st and the AD bit. */
static struct dns_answer *tlsa(struct dns_facts *d, const char *host, enum dns_status st, bool ad)
{
	char name[300];

	free(d->tlsa_host);
	d->tlsa_host = xstrdup(host);
	snprintf(name, sizeof name, "_25._tcp.%s", host);
	answer(&d->tlsa, name, DNS_T_TLSA, st);
	d->tlsa.ad = ad;
	return &d->tlsa;
}

Test(rules_dns, tlsa_match_spki_and_full)
{
	struct pki p = { 0 };
	struct smtp_facts f;
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;
	unsigned char md[32];

	pki_make(&p);
	smtp_with_chain(&f, &p, EOP_MX);
	healthy_domain(&d);

	/* 3 1 1: the SHA-256 of the leaf's SubjectPublicKeyInfo. */
	sha256(f.tls.chain[0].spki, f.tls.chain[0].spkilen, md);
	add_tlsa(tlsa(&d, EOP_MX, DNS_OK, true), 3, 1, 1, md, sizeof md);
	run_dns(&d, &f, &fs);
	fd = want(&fs, "dns.tlsa-match", SEV_OK);
	want_summary(fd, "_25._tcp." EOP_MX);
	want_evidence(fd, "_25._tcp." EOP_MX " TLSA 3 1 1 ");
	want_evidence(fd, "certificate: ");
	want_evidence(fd, f.tls.chain[0].sha256);
	unwanted(&fs, "dns.tlsa-mismatch");
	unwanted(&fs, "dns.tlsa-insecure");
	cr_assert_eq(count_id(&fs, "dns.tlsa-match"), 1);
	findings_free(&fs);

	/* 3 0 1: the SHA-256 of the whole certificate; the host written with a root dot. */
	sha256(f.tls.chain[0].der, f.tls.chain[0].derlen, md);
	add_tlsa(tlsa(&d, EOP_MX ".", DNS_OK, true), 3, 0, 1, md, sizeof md);
	run_dns(&d, &f, &fs);
	want(&fs, "dns.tlsa-match", SEV_OK);
	unwanted(&fs, "dns.tlsa-mismatch");
	findings_free(&fs);

	/* 3 1 0: the SPKI itself. */
	add_tlsa(tlsa(&d, EOP_MX, DNS_OK, true), 3, 1, 0, f.tls.chain[0].spki, f.tls.chain[0].spkilen);
	run_dns(&d, &f, &fs);
	want(&fs, "dns.tlsa-match", SEV_OK);
	findings_free(&fs);

	dns_facts_free(&d);
	smtp_facts_free(&f);
	pki_free(&p);
}

Test(rules_dns, tlsa_mismatch)
{
	struct pki p = { 0 };
	struct smtp_facts f;
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;
	unsigned char md[32];

	pki_make(&p);
	smtp_with_chain(&f, &p, EOP_MX);
	healthy_domain(&d);
	sha256(f.tls.chain[0].spki, f.tls.chain[0].spkilen, md);
	md[0] ^= 0xff;
	add_tlsa(tlsa(&d, EOP_MX, DNS_OK, true), 3, 1, 1, md, sizeof md);
	run_dns(&d, &f, &fs);
	fd = want(&fs, "dns.tlsa-mismatch", SEV_FAILURE);
	want_summary(fd, "_25._tcp." EOP_MX);
	want_evidence(fd, "TLSA 3 1 1 ");
	want_evidence(fd, "certificate: ");
	unwanted(&fs, "dns.tlsa-match");
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);

	/* The right hash with the wrong selector does not match either. */
	sha256(f.tls.chain[0].spki, f.tls.chain[0].spkilen, md);
	add_tlsa(tlsa(&d, EOP_MX, DNS_OK, true), 3, 0, 1, md, sizeof md);
	run_dns(&d, &f, &fs);
	want(&fs, "dns.tlsa-mismatch", SEV_FAILURE);
	findings_free(&fs);

	/* Two records, one right: a match (a key rollover publishes both). */
	md[5] ^= 0x01;
	add_tlsa(tlsa(&d, EOP_MX, DNS_OK, true), 3, 1, 1, md, sizeof md);
	md[5] ^= 0x01;
	add_tlsa(&d.tlsa, 3, 1, 1, md, sizeof md);
	run_dns(&d, &f, &fs);
	want(&fs, "dns.tlsa-match", SEV_OK);
	unwanted(&fs, "dns.tlsa-mismatch");
	findings_free(&fs);

	dns_facts_free(&d);
	smtp_facts_free(&f);
	pki_free(&p);
}

Test(rules_dns, tlsa_insecure)
{
	struct pki p = { 0 };
	struct smtp_facts f;
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;
	unsigned char md[32];

	pki_make(&p);
	smtp_with_chain(&f, &p, EOP_MX);
	healthy_domain(&d);
	sha256(f.tls.chain[0].spki, f.tls.chain[0].spkilen, md);
	add_tlsa(tlsa(&d, EOP_MX, DNS_OK, false), 3, 1, 1, md, sizeof md);
	run_dns(&d, &f, &fs);
	fd = want(&fs, "dns.tlsa-insecure", SEV_WARNING);
	want_summary(fd, "not DNSSEC-validated");
	want_evidence(fd, "the record matches the certificate");
	/* Nothing in the run was validated: the resolver itself may not validate. */
	want_evidence(fd, "may not validate DNSSEC at all");
	unwanted(&fs, "dns.tlsa-match");
	unwanted(&fs, "dns.tlsa-mismatch");
	findings_free(&fs);
	/* The MX answer was validated: the resolver does validate, the TLSA's zone is the problem. */
	d.rec[REC_MX].ad = true;
	run_dns(&d, &f, &fs);
	fd = want(&fs, "dns.tlsa-insecure", SEV_WARNING);
	for (size_t i = 0; i < fd->nevidence; i++)
		cr_assert_null(strstr(fd->evidence[i], "may not validate"), "%s", fd->evidence[i]);
	findings_free(&fs);
	d.rec[REC_MX].ad = false;

	/* Validated, but no certificate of that host to match: info. */
	tlsa(&d, "other-host.contoso.com", DNS_OK, true);
	add_tlsa(&d.tlsa, 3, 1, 1, md, sizeof md);
	run_dns(&d, &f, &fs);
	want_summary(want(&fs, "dns.tlsa-insecure", SEV_INFO), "no certificate");
	unwanted(&fs, "dns.tlsa-match");
	findings_free(&fs);
	run_dns(&d, NULL, &fs);
	want(&fs, "dns.tlsa-insecure", SEV_INFO);
	findings_free(&fs);

	dns_facts_free(&d);
	smtp_facts_free(&f);
	pki_free(&p);
}

Test(rules_dns, tlsa_none)
{
	struct dns_facts d;
	struct findings fs;

	healthy_domain(&d);
	tlsa(&d, EOP_MX, DNS_NXDOMAIN, true);
	run_dns(&d, NULL, &fs);
	cr_assert_str_eq(want(&fs, "dns.tlsa-none", SEV_INFO)->summary,
	    "no TLSA record at _25._tcp." EOP_MX ": DANE is not used");
	cr_assert_eq(count_id(&fs, "dns.tlsa-none"), 1);
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, tlsa_dane_ta)
{
	struct pki p = { 0 };
	struct smtp_facts f;
	struct dns_facts d;
	struct findings fs;
	unsigned char md[32];

	pki_make(&p);
	smtp_with_chain(&f, &p, EOP_MX);
	healthy_domain(&d);

	/* 2 0 1: the issuer in chain[1]. */
	sha256(f.tls.chain[1].der, f.tls.chain[1].derlen, md);
	add_tlsa(tlsa(&d, EOP_MX, DNS_OK, true), 2, 0, 1, md, sizeof md);
	run_dns(&d, &f, &fs);
	want(&fs, "dns.tlsa-match", SEV_OK);
	unwanted(&fs, "dns.tlsa-mismatch");
	findings_free(&fs);

	/* 2 1 1 on the issuer's key. */
	sha256(f.tls.chain[1].spki, f.tls.chain[1].spkilen, md);
	add_tlsa(tlsa(&d, EOP_MX, DNS_OK, true), 2, 1, 1, md, sizeof md);
	run_dns(&d, &f, &fs);
	want(&fs, "dns.tlsa-match", SEV_OK);
	findings_free(&fs);

	/* DANE-TA naming the leaf is not a trust anchor: no match. */
	sha256(f.tls.chain[0].spki, f.tls.chain[0].spkilen, md);
	add_tlsa(tlsa(&d, EOP_MX, DNS_OK, true), 2, 1, 1, md, sizeof md);
	run_dns(&d, &f, &fs);
	want(&fs, "dns.tlsa-mismatch", SEV_FAILURE);
	findings_free(&fs);

	/* DANE-EE naming the issuer: no match either. */
	sha256(f.tls.chain[1].spki, f.tls.chain[1].spkilen, md);
	add_tlsa(tlsa(&d, EOP_MX, DNS_OK, true), 3, 1, 1, md, sizeof md);
	run_dns(&d, &f, &fs);
	want(&fs, "dns.tlsa-mismatch", SEV_FAILURE);
	findings_free(&fs);

	dns_facts_free(&d);
	smtp_facts_free(&f);
	pki_free(&p);
}

Test(rules_dns, tlsa_servfail)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	tlsa(&d, EOP_MX, DNS_SERVFAIL, false);
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.servfail", SEV_UNTESTED);
	want_summary(fd, "TLSA at _25._tcp." EOP_MX);
	want_summary(fd, "SERVFAIL");
	cr_assert_eq(count_id(&fs, "dns.servfail"), 1);
	none_with_prefix(&fs, "dns.tlsa-");
	findings_free(&fs);

	tlsa(&d, EOP_MX, DNS_TIMEOUT, false);
	run_dns(&d, NULL, &fs);
	want(&fs, "dns.timeout", SEV_UNTESTED);
	none_with_prefix(&fs, "dns.tlsa-");
	findings_free(&fs);
	dns_facts_free(&d);
}

/* ---- Teams / Skype for Business ---- */

Test(rules_dns, sip)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.sip-ok", SEV_INFO);
	cr_assert_eq(fd->nevidence, 4);
	want_evidence(fd, "sip.contoso.com CNAME sipdir.online.lync.com");
	want_evidence(fd, "_sipfederationtls._tcp.contoso.com SRV 100 1 5061 sipfed.online.lync.com");
	findings_free(&fs);

	set_cname(&d, REC_SIP, "sip.contoso.com");
	run_dns(&d, NULL, &fs);
	cr_assert_str_eq(want(&fs, "dns.sip-elsewhere", SEV_INFO)->summary,
	    "1 of the Teams / Skype for Business records point elsewhere");
	unwanted(&fs, "dns.sip-ok");
	unwanted(&fs, "dns.sip-missing");
	findings_free(&fs);
	dns_facts_free(&d);

	healthy_domain(&d);
	rec(&d, REC_SRV_SIP, DNS_NXDOMAIN);
	rec(&d, REC_SRV_SIPFED, DNS_NODATA);
	run_dns(&d, NULL, &fs);
	cr_assert_str_eq(want(&fs, "dns.sip-missing", SEV_INFO)->summary,
	    "2 of the 4 Teams / Skype for Business records are not published");
	unwanted(&fs, "dns.sip-ok");
	unwanted(&fs, "dns.sip-elsewhere");
	findings_free(&fs);
	dns_facts_free(&d);
}

/* ---- PTR ---- */

/* The PTR of IP and the forward lookup of its name (addr, or NULL for status fwd). */
static void set_ptr(struct dns_facts *d, const char *ptr_name, const char *fwd_addr, enum dns_status fwd)
{
	snprintf(d->ip, sizeof d->ip, "%s", IP);
	add_rr(answer(&d->ptr, PTR_NAME, DNS_T_PTR, DNS_OK), ptr_name, ptr_name);
	answer(&d->ptr_fwd, ptr_name, DNS_T_A, fwd);
	if (fwd_addr != NULL)
		add_rr(&d->ptr_fwd, fwd_addr, NULL);
}

Test(rules_dns, ptr_ok)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	set_ptr(&d, "mail.contoso.com", IP, DNS_OK);
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.ptr-ok", SEV_OK);
	cr_assert_str_eq(fd->summary, IP " is mail.contoso.com, and that name resolves back to it");
	want_evidence(fd, PTR_NAME " PTR mail.contoso.com");
	want_evidence(fd, "mail.contoso.com A " IP);
	unwanted(&fs, "dns.ptr-not-confirmed");
	unwanted(&fs, "dns.ptr-ehlo-mismatch");
	findings_free(&fs);

	/* One of several addresses is enough. */
	set_ptr(&d, "mail.contoso.com", "198.51.100.9", DNS_OK);
	add_rr(&d.ptr_fwd, IP, NULL);
	run_dns(&d, NULL, &fs);
	want(&fs, "dns.ptr-ok", SEV_OK);
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, ptr_not_confirmed)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	set_ptr(&d, "mail.contoso.com", "198.51.100.9", DNS_OK);
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.ptr-not-confirmed", SEV_WARNING);
	want_summary(fd, "does not resolve back");
	want_evidence(fd, "mail.contoso.com A 198.51.100.9");
	unwanted(&fs, "dns.ptr-ok");
	findings_free(&fs);

	/* The name has no address at all. */
	set_ptr(&d, "mail.contoso.com", NULL, DNS_NXDOMAIN);
	run_dns(&d, NULL, &fs);
	want(&fs, "dns.ptr-not-confirmed", SEV_WARNING);
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, ptr_missing)
{
	struct dns_facts d;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	snprintf(d.ip, sizeof d.ip, "%s", IP);
	answer(&d.ptr, PTR_NAME, DNS_T_PTR, DNS_NXDOMAIN);
	run_dns(&d, NULL, &fs);
	fd = want(&fs, "dns.ptr-missing", SEV_WARNING);
	cr_assert_str_eq(fd->summary, IP " has no reverse DNS (PTR)");
	want_evidence(fd, PTR_NAME " PTR: no such name (NXDOMAIN)");
	unwanted(&fs, "dns.ptr-ok");
	unwanted(&fs, "dns.ptr-not-confirmed");
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, ptr_lookup_failed)
{
	struct dns_facts d;
	struct findings fs;

	healthy_domain(&d);
	snprintf(d.ip, sizeof d.ip, "%s", IP);
	answer(&d.ptr, PTR_NAME, DNS_T_PTR, DNS_SERVFAIL);
	run_dns(&d, NULL, &fs);
	want_summary(want(&fs, "dns.servfail", SEV_UNTESTED), "PTR of " IP);
	none_with_prefix(&fs, "dns.ptr-");
	findings_free(&fs);
	dns_facts_free(&d);
}

/* The PTR is there, but its name's forward lookup failed: could not test, not silence. */
Test(rules_dns, ptr_forward_lookup_failed)
{
	struct dns_facts d;
	struct findings fs;

	healthy_domain(&d);
	set_ptr(&d, "mail.contoso.com", NULL, DNS_SERVFAIL);
	run_dns(&d, NULL, &fs);
	none_with_prefix(&fs, "dns.ptr-");
	want_summary(want(&fs, "dns.servfail", SEV_UNTESTED), "mail.contoso.com");
	findings_free(&fs);
	dns_facts_free(&d);
}

Test(rules_dns, ptr_ehlo_mismatch)
{
	struct dns_facts d;
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	healthy_domain(&d);
	set_ptr(&d, "mail.contoso.com", IP, DNS_OK);
	smtp_facts_init(&f);
	f.host = xstrdup(EOP_MX);
	f.ehlo_name = xstrdup("exch01.corp.contoso.local");
	run_dns(&d, &f, &fs);
	want(&fs, "dns.ptr-ok", SEV_OK);
	fd = want(&fs, "dns.ptr-ehlo-mismatch", SEV_INFO);
	cr_assert_str_eq(fd->summary, "this client said EHLO exch01.corp.contoso.local; its IP's PTR is "
	    "mail.contoso.com");
	want_evidence(fd, PTR_NAME " PTR mail.contoso.com");
	findings_free(&fs);

	/* The same name in other case and with the root dot is no mismatch. */
	free(f.ehlo_name);
	f.ehlo_name = xstrdup("MAIL.Contoso.com.");
	run_dns(&d, &f, &fs);
	unwanted(&fs, "dns.ptr-ehlo-mismatch");
	findings_free(&fs);

	/* An address literal is not a name to compare. */
	free(f.ehlo_name);
	f.ehlo_name = xstrdup("[192.0.2.1]");
	run_dns(&d, &f, &fs);
	want(&fs, "dns.ptr-ok", SEV_OK);
	unwanted(&fs, "dns.ptr-ehlo-mismatch");
	findings_free(&fs);

	/* No SMTP facts: nothing to compare. */
	run_dns(&d, NULL, &fs);
	unwanted(&fs, "dns.ptr-ehlo-mismatch");
	findings_free(&fs);
	smtp_facts_free(&f);
	dns_facts_free(&d);
}

/* ---- blocklists ---- */

static const char zones_text[] =
    "# test zones\n"
    "zone high.test\n"
    "\tname \"High List\"\n"
    "\tweight high\n"
    "\tdelist https://high.test/remove\n"
    "\tcode 127.0.0.2 listed \"spam source\"\n"
    "\tcode 127.0.0.10 listed-policy \"dynamic range\"\n"
    "zone low.test\n"
    "\tname \"Low List\"\n"
    "\tweight low\n"
    "\tdelist https://low.test/delist\n"
    "\tcode 127.0.0.2 listed \"reported by users\"\n"
    "zone refuse.test\n"
    "\tname \"Refusing List\"\n"
    "\tcode 127.0.0.2 listed \"listed\"\n"
    "\tcode 127.255.255.254 refused \"public resolver refused\"\n";

static struct dnsbl_list zones;

static void zones_load(void)
{
	char err[300] = "";

	cr_assert(dnsbl_load_string(zones_text, &zones, err, sizeof err), "%s", err);
	cr_assert_eq(zones.n, 3);
}

static void zones_free(void)
{
	dnsbl_list_free(&zones);
}

/* Fill an A answer with addresses (NULL-terminated); no addresses: NXDOMAIN. */
static void a_answer(struct dns_answer *a, const char *name, enum dns_status st, va_list ap)
{
	const char *s;

	answer(a, name, DNS_T_A, st);
	while ((s = va_arg(ap, const char *)) != NULL)
		add_rr(a, s, NULL);
}

static void set_a(struct dns_answer *a, const char *name, enum dns_status st, ...)
{
	va_list ap;

	va_start(ap, st);
	a_answer(a, name, st, ap);
	va_end(ap);
}

/* One lookup of b->ip in zone id: status st and the answers (NULL-terminated); a passing self-test. */
static struct dnsbl_result *bl_add(struct dnsbl_facts *b, const char *id, enum dns_status st, ...)
{
	struct dnsbl_result *r;
	char q[DNSBL_QNAME_MAX];
	va_list ap;

	b->v = realloc(b->v, (b->n + 1) * sizeof *b->v);
	cr_assert_not_null(b->v);
	r = &b->v[b->n++];
	memset(r, 0, sizeof *r);
	r->id = xstrdup(id);
	cr_assert(dnsbl_query_name(b->ip, id, q, sizeof q));
	r->qname = xstrdup(q);
	va_start(ap, st);
	a_answer(&r->a, q, st, ap);
	va_end(ap);
	cr_assert(dnsbl_selftest_name(id, true, q, sizeof q));
	set_a(&r->test_pos, q, DNS_OK, "127.0.0.2", NULL);
	cr_assert(dnsbl_selftest_name(id, false, q, sizeof q));
	set_a(&r->test_neg, q, DNS_NXDOMAIN, NULL);
	return r;
}

static void bl_init(struct dnsbl_facts *b, const char *ip)
{
	memset(b, 0, sizeof *b);
	snprintf(b->ip, sizeof b->ip, "%s", ip);
	b->zones_file = xstrdup("(test)");
}

static void run_bl(const struct dnsbl_facts *b, struct findings *fs)
{
	memset(fs, 0, sizeof *fs);
	rules_dnsbl(b, &zones, fs);
	dump_findings(fs);
}

TestSuite(rules_dnsbl, .init = zones_load, .fini = zones_free);

Test(rules_dnsbl, listed)
{
	struct dnsbl_facts b;
	struct dnsbl_result *r;
	struct findings fs;
	const struct finding *fd;

	bl_init(&b, IP);
	r = bl_add(&b, "high.test", DNS_OK, "127.0.0.2", NULL);
	add_txt(answer(&r->txt, r->qname, DNS_T_TXT, DNS_OK), "Listed for spam, see https://high.test/q/" IP);
	bl_add(&b, "low.test", DNS_NXDOMAIN, NULL);
	bl_add(&b, "refuse.test", DNS_NXDOMAIN, NULL);
	run_bl(&b, &fs);
	fd = want(&fs, "dnsbl.listed", SEV_FAILURE);
	cr_assert_str_eq(fd->summary, IP " is listed on High List (127.0.0.2): spam source");
	want_evidence(fd, "query: 7.113.0.203.high.test A -> 127.0.0.2");
	want_evidence(fd, "reason (TXT): Listed for spam, see https://high.test/q/" IP);
	want_evidence(fd, "how much it matters: high");
	want_evidence(fd, "delisting: https://high.test/remove");
	cr_assert_eq(fs.n, 1, "%zu findings", fs.n);
	unwanted(&fs, "dnsbl.clean");
	cr_assert_eq(findings_exit_status(&fs), 2);
	findings_free(&fs);
	dnsbl_facts_free(&b);
	cr_assert_null(b.v);
}

Test(rules_dnsbl, listed_low_weight_is_warning)
{
	struct dnsbl_facts b;
	struct findings fs;
	const struct finding *fd;

	bl_init(&b, IP);
	bl_add(&b, "high.test", DNS_NXDOMAIN, NULL);
	bl_add(&b, "low.test", DNS_OK, "127.0.0.2", NULL);
	run_bl(&b, &fs);
	fd = want(&fs, "dnsbl.listed", SEV_WARNING);
	want_summary(fd, "Low List (127.0.0.2): reported by users");
	want_evidence(fd, "how much it matters: low");
	want_evidence(fd, "delisting: https://low.test/delist");
	unwanted(&fs, "dnsbl.clean");
	findings_free(&fs);
	dnsbl_facts_free(&b);
}

Test(rules_dnsbl, policy_listed)
{
	struct dnsbl_facts b;
	struct findings fs;
	const struct finding *fd;

	bl_init(&b, IP);
	bl_add(&b, "high.test", DNS_OK, "127.0.0.10", NULL);
	bl_add(&b, "low.test", DNS_NXDOMAIN, NULL);
	run_bl(&b, &fs);
	fd = want(&fs, "dnsbl.policy-listed", SEV_WARNING);
	cr_assert_str_eq(fd->summary, IP " is listed on High List (127.0.0.10): dynamic range");
	want_evidence(fd, "delisting: https://high.test/remove");
	unwanted(&fs, "dnsbl.listed");
	unwanted(&fs, "dnsbl.clean");
	findings_free(&fs);
	dnsbl_facts_free(&b);
}

Test(rules_dnsbl, refused_is_not_a_listing)
{
	struct dnsbl_facts b;
	struct findings fs;
	const struct finding *fd;

	bl_init(&b, IP);
	bl_add(&b, "high.test", DNS_NXDOMAIN, NULL);
	bl_add(&b, "low.test", DNS_NXDOMAIN, NULL);
	bl_add(&b, "refuse.test", DNS_OK, "127.255.255.254", NULL);
	run_bl(&b, &fs);
	fd = want(&fs, "dnsbl.refused", SEV_UNTESTED);
	want_summary(fd, "Refusing List (refuse.test) refused the query: public resolver refused");
	want_evidence(fd, "-> 127.255.255.254");
	unwanted(&fs, "dnsbl.listed");
	unwanted(&fs, "dnsbl.policy-listed");
	want_summary(want(&fs, "dnsbl.clean", SEV_OK), "any of the 2 blocklists");
	findings_free(&fs);

	/* A 127.255.255.x a zone does not define is refused as well. */
	set_a(&b.v[1].a, b.v[1].qname, DNS_OK, "127.255.255.255", NULL);
	run_bl(&b, &fs);
	cr_assert_eq(count_id(&fs, "dnsbl.refused"), 2);
	unwanted(&fs, "dnsbl.listed");
	findings_free(&fs);
	dnsbl_facts_free(&b);
}

Test(rules_dnsbl, unexpected_answer)
{
	struct dnsbl_facts b;
	struct findings fs;
	const struct finding *fd;

	bl_init(&b, IP);
	bl_add(&b, "high.test", DNS_OK, "192.0.2.1", NULL);
	run_bl(&b, &fs);
	fd = want(&fs, "dnsbl.unexpected", SEV_WARNING);
	want_summary(fd, "High List (high.test) answered 192.0.2.1");
	unwanted(&fs, "dnsbl.listed");
	unwanted(&fs, "dnsbl.clean");
	findings_free(&fs);
	dnsbl_facts_free(&b);
}

Test(rules_dnsbl, zone_answering_everything_is_ignored)
{
	struct dnsbl_facts b;
	struct dnsbl_result *r;
	struct findings fs;
	const struct finding *fd;

	bl_init(&b, IP);
	r = bl_add(&b, "high.test", DNS_OK, "127.0.0.2", NULL);
	set_a(&r->test_neg, r->test_neg.name, DNS_OK, "127.0.0.2", NULL);
	bl_add(&b, "low.test", DNS_NXDOMAIN, NULL);
	bl_add(&b, "refuse.test", DNS_NXDOMAIN, NULL);
	run_bl(&b, &fs);
	fd = want(&fs, "dnsbl.zone-broken", SEV_WARNING);
	want_summary(fd, "High List (high.test)");
	want_evidence(fd, "127.0.0.1 (must not be listed): 127.0.0.2");
	unwanted(&fs, "dnsbl.listed");
	want_summary(want(&fs, "dnsbl.clean", SEV_OK), "any of the 2 blocklists");
	findings_free(&fs);
	dnsbl_facts_free(&b);
}

Test(rules_dnsbl, timeout)
{
	static const enum dns_status st[] = { DNS_TIMEOUT, DNS_SERVFAIL };

	for (size_t i = 0; i < NELEM(st); i++) {
		struct dnsbl_facts b;
		struct findings fs;
		const struct finding *fd;

		bl_init(&b, IP);
		bl_add(&b, "low.test", st[i], NULL);
		run_bl(&b, &fs);
		fd = want(&fs, "dnsbl.timeout", SEV_UNTESTED);
		want_summary(fd, "Low List (low.test): ");
		want_summary(fd, dns_status_name(st[i]));
		want_evidence(fd, "query: 7.113.0.203.low.test A");
		cr_assert_eq(fs.n, 1);
		cr_assert_eq(findings_exit_status(&fs), 3);
		findings_free(&fs);
		dnsbl_facts_free(&b);
	}
}

Test(rules_dnsbl, clean)
{
	struct dnsbl_facts b;
	struct findings fs;
	const struct finding *fd;

	bl_init(&b, IP);
	bl_add(&b, "high.test", DNS_NXDOMAIN, NULL);
	bl_add(&b, "low.test", DNS_NODATA, NULL);
	bl_add(&b, "refuse.test", DNS_NXDOMAIN, NULL);
	run_bl(&b, &fs);
	cr_assert_eq(fs.n, 1, "%zu findings", fs.n);
	fd = want(&fs, "dnsbl.clean", SEV_OK);
	cr_assert_str_eq(fd->summary, IP " is not listed on any of the 3 blocklists that answered");
	want_evidence(fd, "high.test: not listed");
	want_evidence(fd, "low.test: not listed");
	want_evidence(fd, "refuse.test: not listed");
	cr_assert_eq(findings_exit_status(&fs), 0);
	findings_free(&fs);
	dnsbl_facts_free(&b);
}

Test(rules_dnsbl, skipped_and_unknown_zones_ignored)
{
	struct dnsbl_facts b;
	struct dnsbl_result *r;
	struct findings fs;
	const struct finding *fd;

	bl_init(&b, "2001:db8::7");
	bl_add(&b, "high.test", DNS_NXDOMAIN, NULL);
	/* Not asked: no IPv6 on this zone. Even a failed-looking answer is not judged. */
	r = bl_add(&b, "low.test", DNS_TIMEOUT, NULL);
	r->skipped = true;
	r = bl_add(&b, "refuse.test", DNS_OK, "127.0.0.2", NULL);
	r->skipped = true;
	/* A zone the list does not know (an old capture). */
	bl_add(&b, "gone.test", DNS_OK, "127.0.0.2", NULL);
	run_bl(&b, &fs);
	cr_assert_eq(fs.n, 1, "%zu findings", fs.n);
	fd = want(&fs, "dnsbl.clean", SEV_OK);
	want_summary(fd, "any of the 1 blocklists");
	want_evidence(fd, "high.test: not listed");
	cr_assert_not(evidence_has(fd, "low.test"));
	cr_assert_not(evidence_has(fd, "refuse.test"));
	findings_free(&fs);
	dnsbl_facts_free(&b);
}

Test(rules_dnsbl, no_zones)
{
	struct dnsbl_facts b;
	struct findings fs;

	bl_init(&b, IP);
	run_bl(&b, &fs);
	cr_assert_eq(fs.n, 0);
	findings_free(&fs);
	dnsbl_facts_free(&b);
}

/* ---- Exchange Online block replies ---- */

static void set_reply_esc(struct smtp_reply_facts *r, int code, const char *esc, ...)
{
	va_list ap;
	const char *s;

	smtp_reply_facts_free(r);
	r->code = code;
	snprintf(r->esc, sizeof r->esc, "%s", esc);
	va_start(ap, esc);
	while ((s = va_arg(ap, const char *)) != NULL) {
		r->lines = realloc(r->lines, (r->nlines + 1) * sizeof *r->lines);
		cr_assert_not_null(r->lines);
		r->lines[r->nlines++] = xstrdup(s);
	}
	va_end(ap);
}

static void run_blocks(const struct smtp_facts *f, struct findings *fs)
{
	memset(fs, 0, sizeof *fs);
	rules_smtp_blocks(f, fs);
	dump_findings(fs);
}

static void greeted(struct smtp_facts *f)
{
	smtp_facts_init(f);
	f->host = xstrdup(EOP_MX);
	f->port = 25;
	set_reply_esc(&f->banner, 220, "", EOP_MX " Microsoft ESMTP MAIL Service ready", NULL);
}

Test(rules_smtp_blocks, banner_eop_blocked)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	smtp_facts_init(&f);
	set_reply_esc(&f.banner, 550, "5.7.606",
	    "5.7.606 Access denied, banned sending IP [203.0.113.7]. To request removal from this list "
	    "please visit https://sender.office.com/", NULL);
	run_blocks(&f, &fs);
	cr_assert_eq(fs.n, 1);
	fd = want(&fs, "smtp.eop-blocked", SEV_FAILURE);
	want_summary(fd, "550 5.7.606");
	want_evidence(fd, "reply: 550 5.7.606 Access denied, banned sending IP [203.0.113.7]");
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules_smtp_blocks, ehlo_eop_blocked)
{
	struct smtp_facts f;
	struct findings fs;

	greeted(&f);
	set_reply_esc(&f.ehlo, 550, "5.7.606", "5.7.606 Access denied, banned sending IP [203.0.113.7]", NULL);
	run_blocks(&f, &fs);
	cr_assert_eq(fs.n, 1);
	want_evidence(want(&fs, "smtp.eop-blocked", SEV_FAILURE), "reply: 550 5.7.606 Access denied");
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules_smtp_blocks, enhanced_code_range)
{
	static const struct {
		const char *esc;
		bool blocked;
	} cases[] = {
		{ "5.7.605", false },
		{ "5.7.606", true },
		{ "5.7.620", true },
		{ "5.7.649", true },
		{ "5.7.650", false },
		{ "5.7.511", true },
		{ "5.7.1", false },
		{ "4.7.606", false },
	};

	for (size_t i = 0; i < NELEM(cases); i++) {
		struct smtp_facts f;
		struct findings fs;
		char line[100];

		greeted(&f);
		snprintf(line, sizeof line, "%s Access denied", cases[i].esc);
		set_reply_esc(&f.ehlo, cases[i].esc[0] == '4' ? 450 : 550, cases[i].esc, line, NULL);
		run_blocks(&f, &fs);
		if (cases[i].blocked) {
			want_summary(want(&fs, "smtp.eop-blocked", SEV_FAILURE), cases[i].esc);
			cr_assert_eq(fs.n, 1, "%s", cases[i].esc);
		} else {
			cr_assert_eq(fs.n, 0, "%s gave %zu findings", cases[i].esc, fs.n);
		}
		findings_free(&fs);
		smtp_facts_free(&f);
	}
}

Test(rules_smtp_blocks, spamhaus)
{
	struct smtp_facts f;
	struct findings fs;
	const struct finding *fd;

	greeted(&f);
	set_reply_esc(&f.ehlo, 550, "5.7.1",
	    "5.7.1 Service unavailable; Client host [203.0.113.7] blocked using Spamhaus", NULL);
	run_blocks(&f, &fs);
	cr_assert_eq(fs.n, 1);
	fd = want(&fs, "smtp.spamhaus-blocked", SEV_FAILURE);
	want_evidence(fd, "reply: 550 5.7.1 Service unavailable; Client host [203.0.113.7] blocked using "
	    "Spamhaus");
	unwanted(&fs, "smtp.eop-blocked");
	findings_free(&fs);
	smtp_facts_free(&f);
}

Test(rules_smtp_blocks, accepted_replies_give_nothing)
{
	struct smtp_facts f;
	struct findings fs;

	greeted(&f);
	set_reply_esc(&f.ehlo, 250, "", EOP_MX " Hello [203.0.113.7]", "SIZE 157286400", "STARTTLS", NULL);
	set_reply_esc(&f.starttls, 220, "2.0.0", "2.0.0 SMTP server ready", NULL);
	set_reply_esc(&f.quit, 221, "2.0.0", "2.0.0 Service closing transmission channel", NULL);
	run_blocks(&f, &fs);
	cr_assert_eq(fs.n, 0);
	findings_free(&fs);

	/* Words in a 2xx reply are not a block. */
	set_reply_esc(&f.ehlo, 250, "2.7.606", "2.7.606 blocked using Spamhaus, just kidding", NULL);
	run_blocks(&f, &fs);
	cr_assert_eq(fs.n, 0);
	findings_free(&fs);
	smtp_facts_free(&f);
}

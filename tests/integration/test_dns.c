/*
 * The DNS and blocklist steps against a real authoritative server (NSD) on
 * 127.0.0.1 serving tests/zones: a healthy hybrid domain, a broken one, the
 * DNSSEC MX form with a TLSA record, reverse zones and blocklist fixtures.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "env.h"
#include "kb.h"

static struct diagnosis d;
static struct findings fs;
static char *out;

static void teardown(void)
{
	findings_free(&fs);
	diagnosis_free(&d);
	free(out);
	out = NULL;
}

TestSuite(dns, .fini = teardown, .timeout = 60);

static const struct finding *get(const char *id)
{
	const struct finding *f = findings_get(&fs, id);

	cr_assert_not_null(f, "no finding %s", id);
	return f;
}

static void dns_of(const char *domain, const char *ip)
{
	struct check_options co = { .mode = CHECK_DNS, .target = domain, .ip = ip };

	run_check(&co, &d, &fs);
	cr_assert(d.has_dns);
}

Test(dns, healthy_domain_is_clean)
{
	dns_of("healthy.test", NULL);
	assert_findings(&fs, (const char *const[]){ "dns.mx-eop:ok", "dns.spf-ok:ok",
	    "dns.autodiscover-onprem:ok", "dns.dkim-ok:ok", "dns.dmarc-ok:ok", "dns.mtasts-present:info",
	    "dns.tlsrpt-ok:info", "dns.tlsa-none:info", "dns.sip-ok:info", NULL });
	cr_assert_eq(findings_exit_status(&fs), 0);
	cr_assert(strstr(get("dns.mx-eop")->summary, "healthy-test.mail.protection.outlook.com") != NULL);
	cr_assert_str_eq(d.dns.tlsa_host, "healthy-test.mail.protection.outlook.com");
	cr_assert(strstr(get("dns.autodiscover-onprem")->summary, "mail.healthy.test") != NULL);
}

Test(dns, broken_domain_names_every_problem)
{
	dns_of("broken.test", NULL);
	assert_findings(&fs, (const char *const[]){ "dns.mx-elsewhere:info", "dns.spf-multiple:failure",
	    "dns.autodiscover-cloud:warning", "dns.dkim-missing:warning", "dns.dmarc-missing:warning",
	    "dns.mtasts-invalid:failure", "dns.tlsrpt-missing:info", "dns.tlsa-none:info",
	    "dns.sip-elsewhere:info", NULL });
	cr_assert(strstr(get("dns.mx-elsewhere")->summary, "mx.thirdparty.test") != NULL);
	cr_assert_eq(get("dns.spf-multiple")->nevidence, 2, "both records are shown");
	cr_assert_eq(findings_exit_status(&fs), 2);
}

Test(dns, spf_authorises_an_address_through_the_microsoft_include)
{
	dns_of("healthy.test", "40.92.0.1");
	cr_assert(d.dns.spf_evaluated);
	cr_assert(strstr(get("dns.spf-ip-authorised")->summary, "include:spf.protection.outlook.com") != NULL,
	    "%s", get("dns.spf-ip-authorised")->summary);
	cr_assert_null(findings_get(&fs, "dns.spf-ip-not-authorised"));
}

Test(dns, spf_and_reverse_dns_of_the_public_ip)
{
	dns_of("healthy.test", "127.0.0.1");
	cr_assert_not_null(findings_get(&fs, "dns.spf-ip-not-authorised"));
	cr_assert(strstr(get("dns.ptr-ok")->summary, "mail.healthy.test") != NULL);
	cr_assert_eq(get("dns.spf-ip-not-authorised")->sev, SEV_WARNING);
}

Test(dns, ptr_that_does_not_resolve_back)
{
	dns_of("healthy.test", "127.0.0.7");
	cr_assert(strstr(get("dns.ptr-not-confirmed")->summary, "mail.broken.test") != NULL);
}

Test(dns, ptr_missing)
{
	dns_of("healthy.test", "127.0.0.3");
	cr_assert_not_null(findings_get(&fs, "dns.ptr-missing"));
}

Test(dns, spf_over_ten_lookups_is_reported_and_ten_is_not)
{
	dns_of("toomany.broken.test", "192.0.2.11");
	cr_assert_not_null(findings_get(&fs, "dns.spf-too-many-lookups"));
	findings_free(&fs);
	diagnosis_free(&d);
	dns_of("ten.broken.test", "192.0.2.11");
	cr_assert_null(findings_get(&fs, "dns.spf-too-many-lookups"));
	cr_assert_not_null(findings_get(&fs, "dns.spf-ip-authorised"), "ten lookups is within the limit");
}

static void blocklist_of(const char *ip)
{
	struct check_options co = { .mode = CHECK_BLOCKLIST, .target = ip };

	run_check(&co, &d, &fs);
	cr_assert(d.has_dnsbl);
}

Test(dns, listed_address_refusal_and_broken_zones_told_apart)
{
	blocklist_of("127.0.0.2");
	assert_findings(&fs, (const char *const[]){ "dnsbl.listed:failure", "dnsbl.refused:could not test",
	    "dnsbl.zone-broken:warning", "dnsbl.timeout:could not test", NULL });
	cr_assert(strstr(get("dnsbl.listed")->summary, "Test List") != NULL);
	{
		const struct finding *f = get("dnsbl.listed");
		bool reason = false;

		for (size_t i = 0; i < f->nevidence; i++)
			reason = reason || strstr(f->evidence[i], "Listed for testing") != NULL;
		cr_assert(reason, "the TXT reason is in the evidence");
	}
	cr_assert(strstr(get("dnsbl.timeout")->summary, "no answer in time") != NULL,
	    "dead.test never answers: %s", get("dnsbl.timeout")->summary);
	cr_assert_eq(findings_exit_status(&fs), 2);
}

Test(dns, address_not_listed_is_clean)
{
	blocklist_of("127.0.0.3");
	cr_assert_not_null(findings_get(&fs, "dnsbl.clean"));
	cr_assert_null(findings_get(&fs, "dnsbl.listed"));
	cr_assert_not_null(findings_get(&fs, "dnsbl.refused"), "a refusal is never a listing");
}

Test(dns, ipv6_listing_uses_reversed_nibbles)
{
	blocklist_of("2001:db8::25");
	cr_assert(strstr(get("dnsbl.listed")->summary, "Test List") != NULL);
	for (size_t i = 0; i < d.bl.n; i++)
		if (strcmp(d.bl.v[i].id, "bl.test") != 0)
			cr_assert(d.bl.v[i].skipped, "%s has no IPv6 and is not asked", d.bl.v[i].id);
}

Test(dns, full_check_of_a_domain_follows_its_mx)
{
	struct check_options co = { .mode = CHECK_FULL, .target = "dane.test" };

	co.smtp.port = env_port("EXIM");
	co.smtp.tls_name = "mail.test";
	run_check(&co, &d, &fs);
	cr_assert(d.has_dns && d.has_smtp && d.has_dnsbl);
	cr_assert_str_eq(d.smtp.host, "dane-test.j-v1.mx.microsoft");
	cr_assert(strstr(d.probe_note, "preferred MX") != NULL);
	cr_assert_str_eq(d.smtp.observed_ip, "127.0.0.1");
	cr_assert_str_eq(d.bl.ip, "127.0.0.1", "the blocklists check the IP the server saw");
	cr_assert_str_eq(d.dns.ip, "127.0.0.1");
	cr_assert_not_null(findings_get(&fs, "dns.mx-eop"), "the mx.microsoft form is Exchange Online");
	cr_assert_not_null(findings_get(&fs, "tls.cert-valid"));
	/* Unsigned zone: the TLSA matches, but without the AD bit DANE is not in force. */
	cr_assert_eq(get("dns.tlsa-insecure")->sev, SEV_WARNING);
	{
		const struct finding *f = get("dns.tlsa-insecure");
		bool said = false;

		for (size_t i = 0; i < f->nevidence; i++)
			said = said || strcmp(f->evidence[i], "the record matches the certificate") == 0;
		cr_assert(said, "says that the record matches");
	}
	cr_assert_not_null(findings_get(&fs, "dnsbl.clean"));
}

Test(dns, cli_dns_and_blocklist)
{
	cr_assert_eq(run_bin((const char *const[]){ "dns", "healthy.test", "--resolver", env_resolver(),
	    NULL }, &out), 0, "%s", out);
	cr_assert(strstr(out, "DNS records of healthy.test") != NULL, "%s", out);
	cr_assert(strstr(out, "OK       dns.mx-eop") != NULL, "%s", out);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "blocklist", "127.0.0.2", "--resolver", env_resolver(),
	    NULL }, &out), 2, "%s", out);
	cr_assert(strstr(out, "FAIL     dnsbl.listed") != NULL, "%s", out);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "dns", "192.0.2.1", NULL }, &out), 64, "%s", out);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "blocklist", "not-an-ip", NULL }, &out), 64, "%s", out);
}

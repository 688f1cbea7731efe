/* Rules for the DNS step: the domain's records as Exchange Online expects them. */
#include "config.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dmarc.h"
#include "mtasts.h"
#include "rules.h"
#include "spf.h"
#include "tlsrpt.h"

#define EOP_SUFFIX ".mail.protection.outlook.com"
#define EOP_DNSSEC_SUFFIX ".mx.microsoft"
#define EOP_SPF "spf.protection.outlook.com"

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	/* Names may come with or without the root dot. */
	if (a > 0 && s[a - 1] == '.')
		a--;
	return a >= b && strncasecmp(s + a - b, suffix, b) == 0;
}

/* Did the resolver mark any answer of this run as DNSSEC-validated? */
static bool any_validated(const struct dns_facts *d)
{
	for (int r = 0; r < REC_COUNT; r++)
		if (d->rec[r].ad)
			return true;
	return d->tlsa.ad || d->ptr.ad || d->ptr_fwd.ad;
}

static bool same_name(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

/* An answer that came back: a record not asked (zeroed: DNS_OK without records) is none. */
static bool answered(const struct dns_answer *a)
{
	return (a->status == DNS_OK && a->n > 0) || a->status == DNS_NXDOMAIN || a->status == DNS_NODATA;
}

static bool missing(const struct dns_answer *a)
{
	return a->status == DNS_NXDOMAIN || a->status == DNS_NODATA;
}

/* SERVFAIL, REFUSED and no answer are different facts, each with its own finding. */
static const char *lookup_failure_id(const struct dns_answer *a)
{
	switch (a->status) {
	case DNS_SERVFAIL: return "dns.servfail";
	case DNS_REFUSED: return "dns.refused";
	case DNS_TIMEOUT: return "dns.timeout";
	default: return "dns.lookup-failed";
	}
}

static void answer_evidence(struct finding *fd, const struct dns_answer *a)
{
	if (a->status != DNS_OK) {
		finding_evidence(fd, "%s %s: %s", a->name, dns_type_name(a->type), dns_status_name(a->status));
		return;
	}
	for (size_t i = 0; i < a->n && i < 10; i++)
		finding_evidence(fd, "%s %s %s", a->name, dns_type_name(a->type), a->rr[i].text);
}

/* "contoso.com" -> "contoso-com": Exchange Online's host label for a domain. */
static void dashes(const char *domain, char *out, size_t len)
{
	size_t i;

	for (i = 0; domain[i] && i + 1 < len; i++)
		out[i] = domain[i] == '.' ? '-' : domain[i];
	out[i] = '\0';
}

static void rules_mx(const struct dns_facts *d, struct findings *out)
{
	const struct dns_answer *a = &d->rec[REC_MX];
	const struct dns_rr *best = NULL;
	struct finding *fd;
	char expect[300];

	if (missing(a)) {
		fd = findings_add(out, "dns.mx-missing", "%s has no MX record", d->domain);
		answer_evidence(fd, a);
		return;
	}
	for (size_t i = 0; i < a->n; i++)
		if (best == NULL || a->rr[i].pref < best->pref)
			best = &a->rr[i];
	if (best == NULL)
		return;
	for (size_t i = 0; i < a->n; i++) {
		if (ends_with(a->rr[i].target, "mail.messaging.microsoft.com") ||
		    ends_with(a->rr[i].target, "mail.global.frontbridge.com")) {
			fd = findings_add(out, "dns.mx-legacy", "MX %s is a retired Microsoft destination",
			    a->rr[i].target);
			answer_evidence(fd, a);
		}
	}
	dashes(d->domain, expect, sizeof expect);
	if (ends_with(best->target, EOP_SUFFIX) || ends_with(best->target, EOP_DNSSEC_SUFFIX)) {
		fd = findings_add(out, "dns.mx-eop", "the preferred MX is Exchange Online Protection: %s",
		    best->target);
		answer_evidence(fd, a);
		finding_evidence(fd, "the usual form for %s: %s%s (or %s.<letter>-v1%s with DNSSEC)",
		    d->domain, expect, EOP_SUFFIX, expect, EOP_DNSSEC_SUFFIX);
	} else {
		fd = findings_add(out, "dns.mx-elsewhere", "the preferred MX is %s, not Exchange Online Protection",
		    best->target);
		answer_evidence(fd, a);
	}
	if (a->n > 1) {
		fd = findings_add(out, "dns.mx-multiple", "%s has %zu MX records", d->domain, a->n);
		answer_evidence(fd, a);
	}
}

/* The Microsoft include reached through a nested include or a redirect, as the
 * SPF evaluation fetched it. */
static bool included_further(const struct dns_facts *d)
{
	for (size_t i = 0; i < d->nspf_cache; i++) {
		const struct dns_answer *a = &d->spf_cache[i].a;

		for (size_t k = 0; a->type == DNS_T_TXT && a->status == DNS_OK && k < a->n; k++)
			if (spf_is_spf(a->rr[k].text) && strcasestr(a->rr[k].text, "include:" EOP_SPF) != NULL)
				return true;
	}
	return false;
}

static void rules_spf(const struct dns_facts *d, const struct smtp_facts *smtp, struct findings *out)
{
	const struct dns_answer *a = &d->rec[REC_TXT];
	const char *rec[8];
	size_t n = 0;
	struct spf_record r;
	struct finding *fd;
	char err[200];
	bool bad = false;

	(void)smtp;
	for (size_t i = 0; a->status == DNS_OK && i < a->n; i++)
		if (spf_is_spf(a->rr[i].text) && n < 8)
			rec[n++] = a->rr[i].text;
	if (n == 0) {
		fd = findings_add(out, "dns.spf-missing", "%s publishes no SPF record", d->domain);
		answer_evidence(fd, a);
		return;
	}
	if (n > 1) {
		fd = findings_add(out, "dns.spf-multiple", "%s publishes %zu SPF records", d->domain, n);
		for (size_t i = 0; i < n; i++)
			finding_evidence(fd, "%s TXT \"%s\"", d->domain, rec[i]);
		return;
	}
	if (!spf_parse(rec[0], &r, err, sizeof err)) {
		fd = findings_add(out, "dns.spf-syntax", "the SPF record of %s is invalid: %s", d->domain, err);
		finding_evidence(fd, "%s TXT \"%s\"", d->domain, rec[0]);
		return;
	}
	if (!spf_includes(&r, EOP_SPF) && !included_further(d) && !(r.redirect >= 0 && !d->spf_evaluated)) {
		fd = findings_add(out, "dns.spf-no-microsoft", "the SPF record of %s does not include %s",
		    d->domain, EOP_SPF);
		finding_evidence(fd, "%s TXT \"%s\"", d->domain, rec[0]);
		bad = true;
	}
	if (spf_has_plus_all(&r)) {
		fd = findings_add(out, "dns.spf-plus-all", "the SPF record of %s ends in +all", d->domain);
		finding_evidence(fd, "%s TXT \"%s\"", d->domain, rec[0]);
		bad = true;
	} else if (spf_all_qualifier(&r) == SPF_QUAL_NONE && r.redirect < 0) {
		fd = findings_add(out, "dns.spf-no-all", "the SPF record of %s has no all and no redirect",
		    d->domain);
		finding_evidence(fd, "%s TXT \"%s\"", d->domain, rec[0]);
		bad = true;
	}
	if (d->spf_evaluated && d->spf_result == SPF_PERMERROR && d->spf_lookups > SPF_DNS_LOOKUP_MAX) {
		fd = findings_add(out, "dns.spf-too-many-lookups", "evaluating the SPF record of %s needs more "
		    "than %d DNS lookups", d->domain, SPF_DNS_LOOKUP_MAX);
		finding_evidence(fd, "%s TXT \"%s\"", d->domain, rec[0]);
		finding_evidence(fd, "%s", d->spf_error);
		bad = true;
	}
	if (!bad) {
		fd = findings_add(out, "dns.spf-ok", "one SPF record, including %s", EOP_SPF);
		finding_evidence(fd, "%s TXT \"%s\"", d->domain, rec[0]);
	}
	if (d->spf_evaluated && !(d->spf_result == SPF_PERMERROR && d->spf_lookups > SPF_DNS_LOOKUP_MAX)) {
		if (d->spf_result == SPF_PASS) {
			fd = findings_add(out, "dns.spf-ip-authorised", "SPF passes for %s through %s", d->ip,
			    d->spf_matched);
		} else if (d->spf_result == SPF_TEMPERROR) {
			fd = findings_add(out, "dns.lookup-failed", "the SPF evaluation of %s for %s hit a DNS error: %s",
			    d->domain, d->ip, d->spf_error);
		} else {
			fd = findings_add(out, "dns.spf-ip-not-authorised", "SPF gives %s for %s%s%s",
			    spf_result_name((enum spf_result)d->spf_result), d->ip,
			    d->spf_matched[0] ? " at " : "", d->spf_matched);
			if (d->spf_error[0])
				finding_evidence(fd, "%s", d->spf_error);
		}
		finding_evidence(fd, "%s TXT \"%s\"", d->domain, rec[0]);
		finding_evidence(fd, "DNS lookups used: %d of %d", d->spf_lookups, SPF_DNS_LOOKUP_MAX);
	}
	spf_record_free(&r);
}

static void rules_autodiscover(const struct dns_facts *d, struct findings *out)
{
	const struct dns_answer *a = &d->rec[REC_AUTODISCOVER];
	struct finding *fd;

	if (!answered(a))
		return;
	if (a->status == DNS_OK) {
		const char *t = a->rr[0].target;

		if (ends_with(t, "autodiscover.outlook.com"))
			fd = findings_add(out, "dns.autodiscover-cloud", "autodiscover.%s points to %s",
			    d->domain, t);
		else
			fd = findings_add(out, "dns.autodiscover-onprem", "autodiscover.%s points to %s",
			    d->domain, t);
		answer_evidence(fd, a);
	} else if (a->status == DNS_NODATA) {
		/* The name exists without a CNAME: an A record, as on-premises Exchange often has. */
		fd = findings_add(out, "dns.autodiscover-onprem",
		    "autodiscover.%s exists as a host record (not a CNAME)", d->domain);
		answer_evidence(fd, a);
	} else if (a->status == DNS_NXDOMAIN) {
		fd = findings_add(out, "dns.autodiscover-missing", "autodiscover.%s does not exist", d->domain);
		answer_evidence(fd, a);
	}
}

static bool dkim_target_ok(const char *t)
{
	return strstr(t, "._domainkey.") != NULL &&
	    (ends_with(t, ".onmicrosoft.com") || ends_with(t, ".dkim.mail.microsoft"));
}

static void rules_dkim(const struct dns_facts *d, struct findings *out)
{
	const struct dns_answer *s1 = &d->rec[REC_DKIM1], *s2 = &d->rec[REC_DKIM2];
	struct finding *fd;

	if (!answered(s1) || !answered(s2))
		return;
	if (missing(s1) || missing(s2)) {
		fd = findings_add(out, "dns.dkim-missing", "%s of %s missing",
		    missing(s1) && missing(s2) ? "both DKIM selectors" : missing(s1) ? "selector1" : "selector2",
		    d->domain);
		answer_evidence(fd, s1);
		answer_evidence(fd, s2);
	} else if (dkim_target_ok(s1->rr[0].target) && dkim_target_ok(s2->rr[0].target)) {
		fd = findings_add(out, "dns.dkim-ok", "selector1 and selector2 point to Microsoft 365");
		answer_evidence(fd, s1);
		answer_evidence(fd, s2);
	} else {
		fd = findings_add(out, "dns.dkim-elsewhere", "the DKIM selectors of %s point elsewhere", d->domain);
		answer_evidence(fd, s1);
		answer_evidence(fd, s2);
	}
}

/* The first TXT of a that starts with prefix (case-insensitive), or NULL. */
static const char *txt_with(const struct dns_answer *a, const char *prefix)
{
	for (size_t i = 0; a->status == DNS_OK && i < a->n; i++)
		if (strncasecmp(a->rr[i].text, prefix, strlen(prefix)) == 0)
			return a->rr[i].text;
	return NULL;
}

static void rules_dmarc(const struct dns_facts *d, struct findings *out)
{
	const struct dns_answer *a = &d->rec[REC_DMARC];
	const char *t = txt_with(a, "v=DMARC1");
	struct dmarc_record r;
	struct finding *fd;
	char err[200];

	if (!answered(a))
		return;
	if (t == NULL) {
		fd = findings_add(out, "dns.dmarc-missing", "_dmarc.%s has no DMARC record", d->domain);
		answer_evidence(fd, a);
		return;
	}
	if (!dmarc_parse(t, &r, err, sizeof err)) {
		fd = findings_add(out, "dns.dmarc-invalid", "the DMARC record of %s is invalid: %s", d->domain, err);
		answer_evidence(fd, a);
		return;
	}
	if (r.p == DMARC_POLICY_NONE || r.pct < 100) {
		fd = findings_add(out, "dns.dmarc-monitor-only", "DMARC policy %s at %d%%",
		    dmarc_policy_name(r.p), r.pct);
	} else {
		fd = findings_add(out, "dns.dmarc-ok", "DMARC policy %s", dmarc_policy_name(r.p));
	}
	answer_evidence(fd, a);
	dmarc_record_free(&r);
}

static void rules_mtasts(const struct dns_facts *d, struct findings *out)
{
	const struct dns_answer *a = &d->rec[REC_MTASTS], *t = &d->rec[REC_TLSRPT];
	const char *s = txt_with(a, "v=STSv1");
	struct finding *fd;
	char err[200];

	if (answered(a)) {
		struct mtasts_record m;

		if (s == NULL) {
			fd = findings_add(out, "dns.mtasts-missing", "_mta-sts.%s has no MTA-STS record", d->domain);
		} else if (!mtasts_record_parse(s, &m, err, sizeof err)) {
			fd = findings_add(out, "dns.mtasts-invalid", "the MTA-STS record of %s is invalid: %s",
			    d->domain, err);
		} else {
			fd = findings_add(out, "dns.mtasts-present", "MTA-STS announced (id %s); check the policy "
			    "at https://mta-sts.%s/.well-known/mta-sts.txt", m.id, d->domain);
		}
		answer_evidence(fd, a);
	}
	s = txt_with(t, "v=TLSRPTv1");
	if (answered(t)) {
		struct tlsrpt_record r;

		if (s == NULL) {
			fd = findings_add(out, "dns.tlsrpt-missing", "_smtp._tls.%s has no TLS-RPT record", d->domain);
		} else if (!tlsrpt_parse(s, &r, err, sizeof err)) {
			fd = findings_add(out, "dns.tlsrpt-invalid", "the TLS-RPT record of %s is invalid: %s",
			    d->domain, err);
		} else {
			fd = findings_add(out, "dns.tlsrpt-ok", "TLS reports go to %s", r.nrua ? r.rua[0] : "?");
			tlsrpt_record_free(&r);
		}
		answer_evidence(fd, t);
	}
}

/* Does TLSA record rr match the certificate c (RFC 6698 selector and matching type)? */
static bool tlsa_matches(const struct dns_rr *rr, const struct cert_facts *c)
{
	const unsigned char *data = rr->selector == 0 ? c->der : rr->selector == 1 ? c->spki : NULL;
	size_t len = rr->selector == 0 ? c->derlen : c->spkilen;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (data == NULL || len == 0)
		return false;
	switch (rr->mtype) {
	case 0:
		return rr->datalen == len && memcmp(rr->data, data, len) == 0;
	case 1:
		return EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) == 1 && rr->datalen == mdlen &&
		    memcmp(rr->data, md, mdlen) == 0;
	case 2:
		return EVP_Digest(data, len, md, &mdlen, EVP_sha512(), NULL) == 1 && rr->datalen == mdlen &&
		    memcmp(rr->data, md, mdlen) == 0;
	}
	return false;
}

static void rules_tlsa(const struct dns_facts *d, const struct smtp_facts *smtp, struct findings *out)
{
	const struct dns_answer *a = &d->tlsa;
	struct finding *fd;
	bool match = false, have_cert;

	if (d->tlsa_host == NULL || a->name == NULL)
		return;
	if (!answered(a)) {
		/* SERVFAIL here is often DNSSEC failing for the MX host: DANE senders stop. */
		fd = findings_add(out, lookup_failure_id(a), "TLSA at %s: %s", a->name,
		    dns_status_name(a->status));
		return;
	}
	if (missing(a)) {
		fd = findings_add(out, "dns.tlsa-none", "no TLSA record at _25._tcp.%s: DANE is not used",
		    d->tlsa_host);
		return;
	}
	have_cert = smtp != NULL && smtp->tls.ok && smtp->tls.nchain > 0 && smtp->host != NULL &&
	    same_name(smtp->host, d->tlsa_host);
	for (size_t i = 0; have_cert && i < a->n; i++) {
		const struct dns_rr *rr = &a->rr[i];

		/* RFC 7672: SMTP uses DANE-EE (3) on the leaf and DANE-TA (2) on a chain certificate. */
		if (rr->usage == 3)
			match = match || tlsa_matches(rr, &smtp->tls.chain[0]);
		else if (rr->usage == 2)
			for (size_t k = 1; k < smtp->tls.nchain; k++)
				match = match || tlsa_matches(rr, &smtp->tls.chain[k]);
	}
	if (!a->ad) {
		fd = findings_add(out, "dns.tlsa-insecure", "TLSA at _25._tcp.%s, but the answer is not "
		    "DNSSEC-validated", d->tlsa_host);
		if (!any_validated(d))
			finding_evidence(fd, "no answer of this run carried the AD bit: the resolver may not "
			    "validate DNSSEC at all, and then this describes the resolver, not the zone");
	} else if (!have_cert) {
		fd = findings_add(out, "dns.tlsa-insecure", "TLSA at _25._tcp.%s, validated, but no certificate "
		    "of that host was seen to match it against", d->tlsa_host);
		fd->sev = SEV_INFO;
	} else if (match) {
		fd = findings_add(out, "dns.tlsa-match", "the TLSA at _25._tcp.%s matches the certificate",
		    d->tlsa_host);
	} else {
		fd = findings_add(out, "dns.tlsa-mismatch", "no TLSA at _25._tcp.%s matches the certificate "
		    "the server presents", d->tlsa_host);
	}
	answer_evidence(fd, a);
	if (have_cert)
		finding_evidence(fd, "certificate: %s (SHA-256 %s)", smtp->tls.chain[0].subject,
		    smtp->tls.chain[0].sha256);
	/* Matching a record that DNSSEC does not protect proves nothing: say what was seen. */
	if (!a->ad && have_cert)
		finding_evidence(fd, "the record %s the certificate", match ? "matches" : "does not match");
}

static void rules_sip(const struct dns_facts *d, struct findings *out)
{
	static const struct { enum dns_rec r; const char *ms; } want[] = {
		{ REC_SIP, "sipdir.online.lync.com" },
		{ REC_LYNCDISCOVER, "webdir.online.lync.com" },
		{ REC_SRV_SIP, "sipdir.online.lync.com" },
		{ REC_SRV_SIPFED, "sipfed.online.lync.com" },
	};
	size_t ok = 0, gone = 0, other = 0;
	struct finding *fd;

	for (size_t i = 0; i < 4; i++) {
		const struct dns_answer *a = &d->rec[want[i].r];

		if (!answered(a))
			return;
		if (missing(a))
			gone++;
		else if (same_name(a->rr[0].target, want[i].ms))
			ok++;
		else
			other++;
	}
	if (other > 0)
		fd = findings_add(out, "dns.sip-elsewhere", "%zu of the Teams / Skype for Business records point "
		    "elsewhere", other);
	else if (gone > 0)
		fd = findings_add(out, "dns.sip-missing", "%zu of the 4 Teams / Skype for Business records are "
		    "not published", gone);
	else
		fd = findings_add(out, "dns.sip-ok", "sip, lyncdiscover, _sip._tls and _sipfederationtls._tcp "
		    "point to Microsoft 365");
	for (size_t i = 0; i < 4; i++)
		answer_evidence(fd, &d->rec[want[i].r]);
}

static void rules_ptr(const struct dns_facts *d, const struct smtp_facts *smtp, struct findings *out)
{
	struct finding *fd;
	bool confirmed = false;

	if (d->ip[0] == '\0' || d->ptr.name == NULL)
		return;
	if (!answered(&d->ptr)) {
		findings_add(out, lookup_failure_id(&d->ptr), "PTR of %s at %s: %s", d->ip, d->ptr.name,
		    dns_status_name(d->ptr.status));
		return;
	}
	if (missing(&d->ptr)) {
		fd = findings_add(out, "dns.ptr-missing", "%s has no reverse DNS (PTR)", d->ip);
		answer_evidence(fd, &d->ptr);
		return;
	}
	for (size_t i = 0; d->ptr_fwd.status == DNS_OK && i < d->ptr_fwd.n; i++)
		confirmed = confirmed || strcmp(d->ptr_fwd.rr[i].text, d->ip) == 0;
	if (!answered(&d->ptr_fwd) && d->ptr_fwd.name != NULL) {
		fd = findings_add(out, lookup_failure_id(&d->ptr_fwd), "forward lookup of %s (the PTR name of %s): %s",
		    d->ptr_fwd.name, d->ip, dns_status_name(d->ptr_fwd.status));
		answer_evidence(fd, &d->ptr);
		if (d->ptr_fwd.error)
			finding_evidence(fd, "%s", d->ptr_fwd.error);
		return;
	}
	if (confirmed) {
		fd = findings_add(out, "dns.ptr-ok", "%s is %s, and that name resolves back to it", d->ip,
		    d->ptr.rr[0].target);
	} else {
		fd = findings_add(out, "dns.ptr-not-confirmed", "%s is %s, but that name does not resolve back to it",
		    d->ip, d->ptr.rr[0].target);
	}
	answer_evidence(fd, &d->ptr);
	answer_evidence(fd, &d->ptr_fwd);
	if (smtp != NULL && smtp->ehlo_name != NULL && smtp->ehlo_name[0] != '[' &&
	    !same_name(smtp->ehlo_name, d->ptr.rr[0].target)) {
		fd = findings_add(out, "dns.ptr-ehlo-mismatch", "this client said EHLO %s; its IP's PTR is %s",
		    smtp->ehlo_name, d->ptr.rr[0].target);
		answer_evidence(fd, &d->ptr);
	}
}

void rules_dns(const struct dns_facts *d, const struct smtp_facts *smtp, struct findings *out)
{
	/* A record that could not be asked is could-not-test, never a missing record. */
	for (int r = 0; r < REC_COUNT; r++) {
		const struct dns_answer *a = &d->rec[r];

		if (d->asked[r] && !answered(a)) {
			struct finding *fd = findings_add(out, lookup_failure_id(a), "%s at %s: %s",
			    dns_rec_label(r), a->name ? a->name : "?", dns_status_name(a->status));

			if (a->error)
				finding_evidence(fd, "%s", a->error);
		}
	}
	if (answered(&d->rec[REC_MX]))
		rules_mx(d, out);
	if (answered(&d->rec[REC_TXT]))
		rules_spf(d, smtp, out);
	rules_autodiscover(d, out);
	rules_dkim(d, out);
	rules_dmarc(d, out);
	rules_mtasts(d, out);
	rules_tlsa(d, smtp, out);
	rules_sip(d, out);
	rules_ptr(d, smtp, out);
}

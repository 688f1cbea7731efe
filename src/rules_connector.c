/*
 * Rules for the connectors and the on-premises certificate: will Exchange
 * Online attribute our mail to the hybrid inbound connector (by IP or by
 * certificate), and does what the exports say agree with what was observed?
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cert.h"
#include "connector.h"
#include "onpremcert.h"
#include "rules.h"

/* The hybrid connector of this kind among every export given, with why. */
static const struct connector *pick(const struct diagnosis *d, enum connector_kind kind, char *why,
    size_t len, bool *any)
{
	*any = false;
	for (size_t i = 0; i < d->nconnectors; i++) {
		const struct connector *c;

		for (size_t k = 0; k < d->connectors[i].n; k++)
			*any = *any || d->connectors[i].v[k].kind == kind;
		if ((c = connector_pick_hybrid(&d->connectors[i], kind, why, len)) != NULL)
			return c;
	}
	return NULL;
}

static bool all_domains(const struct connector *c)
{
	for (size_t i = 0; i < c->sender_domains.n; i++)
		if (strcmp(c->sender_domains.v[i], "*") == 0 || strncasecmp(c->sender_domains.v[i], "smtp:*;", 7) == 0)
			return true;
	return !c->sender_domains.present;
}

static void rules_inbound(const struct diagnosis *d, struct findings *out)
{
	char why[256], matched[128];
	const struct connector *c;
	const char *ip = diagnosis_public_ip(d);
	struct finding *fd;
	bool any, ip_unlisted = false, cert_ok = false, cert_known = false;

	if ((c = pick(d, CONNECTOR_EXO_INBOUND, why, sizeof why, &any)) == NULL) {
		if (any) {
			fd = findings_add(out, "connector.no-hybrid", "no OnPremises inbound connector: %s", why);
			for (size_t i = 0; i < d->nconnectors; i++)
				for (size_t k = 0; k < d->connectors[i].n; k++)
					if (d->connectors[i].v[k].kind == CONNECTOR_EXO_INBOUND)
						finding_evidence(fd, "%s (%s)", d->connectors[i].v[k].name ?
						    d->connectors[i].v[k].name : "?", d->connectors[i].v[k].connector_type ?
						    d->connectors[i].v[k].connector_type : "type unknown");
		}
		return;
	}
	fd = findings_add(out, "connector.hybrid-checked", "%s", why);
	finding_evidence(fd, "ConnectorType: %s", c->connector_type ? c->connector_type : "(not in the export)");
	if (c->connector_source)
		finding_evidence(fd, "ConnectorSource: %s", c->connector_source);
	if (c->enabled == 0)
		findings_add(out, "connector.disabled", "%s is disabled (Enabled False)", c->name ? c->name : "?");
	if (c->require_tls == 0)
		findings_add(out, "connector.require-tls-off", "%s has RequireTls False", c->name ? c->name : "?");
	if (c->cloud_services_mail_enabled == 0)
		findings_add(out, "connector.cloud-services-off", "%s has CloudServicesMailEnabled False",
		    c->name ? c->name : "?");
	if (!all_domains(c)) {
		fd = findings_add(out, "connector.sender-domains-limited", "SenderDomains of %s is not *",
		    c->name ? c->name : "?");
		for (size_t i = 0; i < c->sender_domains.n; i++)
			finding_evidence(fd, "SenderDomains: %s", c->sender_domains.v[i]);
	}
	for (size_t i = 0; i < c->sender_ip_addresses.n; i++) {
		char bad[160];

		if (!connector_sender_ip_valid(c->sender_ip_addresses.v[i], bad, sizeof bad)) {
			fd = findings_add(out, "connector.ip-entry-invalid", "SenderIPAddresses entry %s: %s",
			    c->sender_ip_addresses.v[i], bad);
		}
	}
	/* Attribution by certificate. */
	if (c->tls_sender_certificate_name != NULL && d->cert != NULL) {
		cert_known = true;
		cert_ok = onpremcert_name_matches(d->cert, c->tls_sender_certificate_name);
		fd = findings_add(out, cert_ok ? "connector.cert-name-match" : "connector.cert-name-mismatch",
		    "TlsSenderCertificateName %s %s the certificate %s", c->tls_sender_certificate_name,
		    cert_ok ? "matches" : "does not match", d->cert->leaf.subject);
		for (size_t i = 0; i < d->cert->leaf.nsan; i++)
			finding_evidence(fd, "certificate name: %s", d->cert->leaf.san[i]);
	}
	/* Attribution by IP. */
	if (ip != NULL) {
		if (connector_ip_listed(c, ip, matched, sizeof matched)) {
			fd = findings_add(out, "connector.ip-listed", "%s is in SenderIPAddresses (%s)", ip, matched);
		} else {
			ip_unlisted = true;
			fd = findings_add(out, "connector.ip-not-listed", "%s is not in SenderIPAddresses of %s", ip,
			    c->name ? c->name : "?");
			for (size_t i = 0; i < c->sender_ip_addresses.n; i++)
				finding_evidence(fd, "SenderIPAddresses: %s", c->sender_ip_addresses.v[i]);
			if (c->sender_ip_addresses.n == 0)
				finding_evidence(fd, "SenderIPAddresses: (empty)");
			/* The certificate may carry the attribution instead. */
			if (cert_ok)
				fd->sev = SEV_INFO;
			else if (c->tls_sender_certificate_name != NULL && !cert_known)
				/* A certificate-based connector (the HCW's: no IPs at all) is
				 * fine without the IP; give --cert to check the certificate. */
				fd->sev = c->sender_ip_addresses.n == 0 ? SEV_INFO : SEV_WARNING;
		}
		if (c->restrict_domains_to_ip_addresses == 1 && ip_unlisted)
			findings_add(out, "connector.restricted-ip-rejects",
			    "RestrictDomainsToIPAddresses is True and %s is not listed", ip);
	}
	if (c->restrict_domains_to_certificate == 1 && cert_known && !cert_ok && c->tls_sender_certificate_name != NULL)
		findings_add(out, "connector.restricted-cert-rejects",
		    "RestrictDomainsToCertificate is True and the certificate does not carry %s",
		    c->tls_sender_certificate_name);
	/* Neither route works: Exchange Online cannot tie the mail to the tenant's connector. */
	if (ip_unlisted && ((cert_known && !cert_ok) || c->tls_sender_certificate_name == NULL)) {
		fd = findings_add(out, "cause.connector-not-used",
		    "Exchange Online cannot attribute %s's mail to %s", ip, c->name ? c->name : "the connector");
		fd->root = true;
		finding_evidence(fd, "symptom: mail is treated as internet mail; relaying fails with 5.7.64 / ATTR35");
		finding_evidence(fd, "<- evidence connector.ip-not-listed: %s is not in SenderIPAddresses", ip);
		if (c->tls_sender_certificate_name == NULL)
			finding_evidence(fd, "<- evidence: the connector has no TlsSenderCertificateName");
		else
			finding_evidence(fd, "<- evidence connector.cert-name-mismatch: the certificate does not carry %s",
			    c->tls_sender_certificate_name);
		finding_evidence(fd, "<- cause: neither the IP nor the certificate matches the inbound connector");
	}
}

static void rules_outbound(const struct diagnosis *d, struct findings *out)
{
	char why[256];
	bool any;
	const struct connector *c = pick(d, CONNECTOR_EXO_OUTBOUND, why, sizeof why, &any);
	struct finding *fd;

	if (c == NULL)
		return;
	if (c->tls_settings == NULL || strcasecmp(c->tls_settings, "DomainValidation") != 0)
		findings_add(out, "connector.outbound-not-validating", "%s has TlsSettings %s",
		    c->name ? c->name : "?", c->tls_settings ? c->tls_settings : "(none)");
	fd = findings_add(out, "connector.outbound-tlsdomain", "Exchange Online delivers to %s and requires %s",
	    c->smart_hosts.n ? c->smart_hosts.v[0] : "the MX", c->tls_domain ? c->tls_domain : "(no TlsDomain)");
	for (size_t i = 0; i < c->smart_hosts.n; i++)
		finding_evidence(fd, "SmartHosts: %s", c->smart_hosts.v[i]);
}

/* On-premises Send and Receive connectors: IgnoreSTARTTLS, and the certificate they name. */
static void rules_onprem_connectors(const struct diagnosis *d, struct findings *out)
{
	for (size_t i = 0; i < d->nconnectors; i++) {
		for (size_t k = 0; k < d->connectors[i].n; k++) {
			const struct connector *c = &d->connectors[i].v[k];
			struct finding *fd;

			if (c->kind != CONNECTOR_ONPREM_SEND && c->kind != CONNECTOR_ONPREM_RECEIVE)
				continue;
			if (c->kind == CONNECTOR_ONPREM_SEND && c->ignore_starttls == 1)
				findings_add(out, "connector.send-ignore-starttls", "%s has IgnoreSTARTTLS True",
				    c->name ? c->name : "?");
			if (c->tls_certificate_name == NULL || d->cert == NULL)
				continue;
			if (onpremcert_tlscertname_equal(c->tls_certificate_name, d->cert->tls_certificate_name)) {
				fd = findings_add(out, "connector.send-tlscertname-ok",
				    "%s names the certificate given", c->name ? c->name : "?");
			} else {
				fd = findings_add(out, "connector.send-tlscertname-mismatch",
				    "%s names another certificate", c->name ? c->name : "?");
				finding_evidence(fd, "connector: %s", c->tls_certificate_name);
			}
			finding_evidence(fd, "certificate: %s", d->cert->tls_certificate_name);
		}
	}
}

void rules_onpremcert(const struct onpremcert_facts *f, struct findings *out)
{
	const struct cert_facts *c = &f->leaf;
	struct finding *fd;
	time_t at = f->checked_at;
	bool bad = false;

	if (c->not_after != 0 && at > c->not_after) {
		fd = findings_add(out, "onpremcert.expired", "%s expired %ld days ago", c->subject,
		    (long)((at - c->not_after) / 86400));
		bad = true;
	} else if (c->not_before != 0 && at < c->not_before) {
		fd = findings_add(out, "onpremcert.not-yet-valid", "%s is not valid yet", c->subject);
		bad = true;
	} else if (c->not_after != 0 && c->not_after - at < (time_t)RULES_EXPIRY_WARN_DAYS * 86400) {
		fd = findings_add(out, "onpremcert.expiring", "%s expires in %ld days", c->subject,
		    (long)((c->not_after - at) / 86400));
	}
	if (f->checked && !f->chain_complete) {
		fd = findings_add(out, f->chain_missing && f->chain_missing[0] ? "onpremcert.chain-incomplete" :
		    "onpremcert.untrusted", "%s%s", f->chain_missing && f->chain_missing[0] ?
		    "the file lacks the certificate of " : "the chain does not lead to a trusted root: ",
		    f->chain_missing && f->chain_missing[0] ? f->chain_missing : c->issuer);
		for (size_t i = 0; i < f->nverr; i++)
			finding_evidence(fd, "verify error at depth %d: %s", f->verr[i].depth, f->verr[i].text);
		finding_evidence(fd, "chain checked against %s", f->trust_store ? f->trust_store : "?");
		bad = true;
	} else if (f->checked && !f->verified) {
		for (size_t i = 0; i < f->nverr; i++) {
			if (f->verr[i].code == X509_V_ERR_CERT_HAS_EXPIRED || f->verr[i].code == X509_V_ERR_CERT_NOT_YET_VALID)
				continue;
			fd = findings_add(out, "onpremcert.untrusted", "%s", f->verr[i].text);
			finding_evidence(fd, "chain checked against %s", f->trust_store ? f->trust_store : "?");
			bad = true;
			break;
		}
	}
	if (cert_key_is_weak(c) || cert_sig_is_weak(c)) {
		fd = findings_add(out, "onpremcert.weak", "%d-bit %s key, %s", c->key_bits, c->key_type, c->sig_alg);
		bad = true;
	}
	if (!onpremcert_eku_ok(f))
		fd = findings_add(out, "onpremcert.eku", "extended key usage: %s", c->ext_key_usage);
	if (!bad) {
		fd = findings_add(out, "onpremcert.valid", "%s, chain complete against %s, valid until the date below",
		    c->subject, f->trust_store ? f->trust_store : "?");
		finding_evidence(fd, "TlsCertificateName: %s", f->tls_certificate_name ? f->tls_certificate_name : "?");
		for (size_t i = 0; i < c->nsan; i++)
			finding_evidence(fd, "name: %s", c->san[i]);
	}
	(void)fd;
}

/* The certificate presented as the client certificate during STARTTLS: what the server did. */
static void rules_presented(const struct smtp_facts *f, struct findings *out)
{
	const struct tls_facts *t = &f->tls;
	const char *alert = t->after_alert[0] ? t->after_alert : t->alert;
	struct finding *fd;

	/* Only a server that asked for the certificate can accept or refuse it. */
	if (!t->attempted || !t->client_cert_offered || !t->client_cert_requested)
		return;
	if (t->ok && f->ehlo_tls.code == 250) {
		fd = findings_add(out, "onpremcert.presented-accepted",
		    "the server asked for a client certificate, got it, and went on (EHLO over TLS: 250)");
	} else {
		fd = findings_add(out, "onpremcert.presented-rejected", "the server refused the session after the "
		    "certificate was presented%s%s", alert[0] ? ": " : "", alert);
		if (f->ehlo_tls.code != 0 && f->ehlo_tls.nlines > 0)
			finding_evidence(fd, "EHLO over TLS: %d %s", f->ehlo_tls.code, f->ehlo_tls.lines[0]);
		if (t->error)
			finding_evidence(fd, "handshake: %s", t->error);
		if (f->end_detail)
			finding_evidence(fd, "the connection: %s", f->end_detail);
	}
}

void rules_connectors(const struct diagnosis *d, struct findings *out)
{
	struct finding *fd;

	for (size_t i = 0; i < d->nconnector_errors; i++)
		findings_add(out, "connector.unreadable", "%s", d->connector_errors[i]);
	for (size_t i = 0; i < d->nconnectors; i++)
		for (size_t k = 0; k < d->connectors[i].n; k++) {
			const struct connector *c = &d->connectors[i].v[k];

			for (size_t w = 0; w < c->warnings.n; w++) {
				fd = findings_add(out, "connector.value-lost", "%s: %s", c->name ? c->name : "?",
				    c->warnings.v[w]);
				finding_evidence(fd, "file %s, line %d", d->connector_files[i], c->line);
			}
		}
	if (d->cert_error != NULL)
		findings_add(out, "onpremcert.unreadable", "%s", d->cert_error);
	if (d->cert != NULL)
		rules_onpremcert(d->cert, out);
	if (d->has_smtp)
		rules_presented(&d->smtp, out);
	rules_inbound(d, out);
	rules_outbound(d, out);
	rules_onprem_connectors(d, out);
}

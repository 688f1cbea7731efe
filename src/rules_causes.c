/*
 * Root causes. A symptom ("STARTTLS is not offered") has several possible
 * causes; these rules look at the other findings for the evidence that tells
 * them apart, and add the cause on top with its chain: symptom <- evidence <-
 * cause. They run last, over the findings of every step.
 */
#include "config.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "kb.h"
#include "onpremcert.h"
#include "rules.h"

/* The finding with this id, or NULL. */
static const struct finding *has(const struct findings *fs, const char *id)
{
	return findings_get(fs, id);
}

static void chain(struct finding *cause, const char *role, const struct finding *f)
{
	if (f != NULL)
		finding_evidence(cause, "%s %s: %s", role, f->kb->id, f->summary ? f->summary : "");
}

/* The symptoms a cause explains, whichever were seen. */
static const char *const symptoms[] = {
	"smtp.starttls-missing", "smtp.starttls-refused", "tls.handshake-failed", "smtp.ehlo-rejected",
	"smtp.banner-rejected", "smtp.connection-reset", "smtp.closed-early", "tls.not-tested", NULL,
};

static void add_symptoms(struct finding *cause, const struct findings *fs)
{
	for (size_t i = 0; symptoms[i] != NULL; i++)
		chain(cause, "symptom", has(fs, symptoms[i]));
}

/* The probe towards Exchange Online (or the server named). Pointers into out
 * are not kept across findings_add(): it may move the array. */
static void outbound_causes(const struct smtp_facts *smtp, struct findings *out)
{
	static const char *const signatures[] = {
		"middlebox.starttls-masked", "middlebox.starttls-stripped", "middlebox.starttls-rejected",
		"middlebox.tls-broken", "middlebox.ehlo-blocked", "middlebox.banner-masked", NULL,
	};
	static const char *const listings[] = {
		"smtp.eop-blocked", "smtp.spamhaus-blocked", "dnsbl.listed", "dnsbl.policy-listed", NULL,
	};
	const struct finding *sig = NULL, *listed = NULL;
	struct finding *cause;
	bool no_starttls = has(out, "smtp.starttls-missing") != NULL;
	bool refused = has(out, "smtp.banner-rejected") || has(out, "smtp.eop-blocked") ||
	    has(out, "smtp.spamhaus-blocked");

	for (size_t i = 0; signatures[i] != NULL && sig == NULL; i++)
		sig = has(out, signatures[i]);
	for (size_t i = 0; listings[i] != NULL && listed == NULL; i++)
		listed = has(out, listings[i]);

	if (sig != NULL) {
		cause = findings_add(out, "cause.smtp-inspection",
		    "a firewall between this machine and %s inspects SMTP",
		    smtp && smtp->host ? smtp->host : "the server");
		cause->root = true;
		add_symptoms(cause, out);
		for (size_t i = 0; signatures[i] != NULL; i++)
			chain(cause, "<- evidence", has(out, signatures[i]));
		finding_evidence(cause, "<- cause: SMTP/ESMTP inspection on a firewall in the path");
		return;
	}
	if (listed != NULL && (no_starttls || refused)) {
		cause = findings_add(out, "cause.blocklisted-ip",
		    "the public IP is on a blocklist, and the server treats it accordingly");
		cause->root = true;
		add_symptoms(cause, out);
		for (size_t i = 0; listings[i] != NULL; i++)
			chain(cause, "<- evidence", has(out, listings[i]));
		finding_evidence(cause, "<- cause: the listing of the sending address");
		return;
	}
	if (no_starttls && smtp != NULL && smtp->banner.nlines > 0 &&
	    strstr(smtp->banner.lines[0], "Microsoft ESMTP MAIL Service") != NULL) {
		cause = findings_add(out, "cause.receive-connector-certificate",
		    "Exchange at %s offers no STARTTLS and nothing in the path rewrote it",
		    smtp->host ? smtp->host : "the server");
		cause->root = true;
		add_symptoms(cause, out);
		finding_evidence(cause, "<- evidence: greeting %d %s", smtp->banner.code, smtp->banner.lines[0]);
		finding_evidence(cause, "<- evidence: no firewall inspection signature in the conversation");
		finding_evidence(cause, "<- cause: the receive connector has no usable certificate for STARTTLS");
	}
}

/*
 * Exchange's own self-signed certificate: issued to itself and named after
 * the server (one label, no dot: CN=EX01), or one of the other certificates
 * Exchange makes for itself.
 */
static bool exchange_own_cert(const struct cert_facts *c)
{
	const char *cn = c->common_name;

	if (!c->self_issued || cn == NULL || cn[0] == '\0')
		return false;
	return strchr(cn, '.') == NULL || strncmp(cn, "Microsoft Exchange", 18) == 0 ||
	    strncmp(cn, "WMSvc-", 6) == 0;
}

/* The certificate file would pass where the presented one fails: trusted,
 * complete, in its dates and carrying the name Exchange Online requires. */
static bool file_cert_good(const struct onpremcert_facts *c, const char *name, time_t at)
{
	return c->checked && c->verified && c->chain_complete &&
	    (c->leaf.not_after == 0 || at <= c->leaf.not_after) &&
	    (name == NULL || onpremcert_name_matches(c, name));
}

static void names_of(const struct cert_facts *c, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->nsan && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", c->san[i]);
	if (buf[0] == '\0')
		snprintf(buf, len, "CN=%s (no subjectAltName)", c->common_name ? c->common_name : "");
}

/* The SHA-1 thumbprint as Get-ExchangeCertificate shows it: 40 hex digits, no colons. */
static void thumbprint(const struct cert_facts *c, char *buf, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	snprintf(buf, len, "?");
	if (c->der == NULL || EVP_Digest(c->der, c->derlen, md, &n, EVP_sha1(), NULL) != 1)
		return;
	for (unsigned int i = 0; i < n && 2 * i + 2 < len; i++)
		snprintf(buf + 2 * i, len - 2 * i, "%02X", md[i]);
}

static void cert_line(struct finding *cause, const char *role, const struct cert_facts *c)
{
	char until[40], names[400], thumb[2 * EVP_MAX_MD_SIZE + 1];

	rules_date(c->not_after, until, sizeof until);
	names_of(c, names, sizeof names);
	thumbprint(c, thumb, sizeof thumb);
	finding_evidence(cause, "<- evidence: %s: %s, issued by %s, valid until %s, names %s, thumbprint %s",
	    role, c->subject, c->issuer, until, names, thumb);
}

/* A root cause of the reverse direction, on top of onprem.exo-will-fail. */
static struct finding *onprem_cause(struct findings *out, const char *id, const char *summary)
{
	struct finding *cause = findings_add(out, id, "%s", summary);

	cause->root = true;
	chain(cause, "symptom", has(out, "onprem.exo-will-fail"));
	return cause;
}

/*
 * Exchange Online to on-premises, when the delivery stops at the certificate:
 * which certificate was presented, against the file the admin gave (--cert),
 * tells a wrong binding from a certificate that is itself at fault.
 */
static void onprem_causes(const struct diagnosis *d, struct findings *out)
{
	const struct smtp_facts *f = &d->onprem;
	const struct tls_facts *t = &f->tls;
	const struct onpremcert_facts *file = d->cert;
	const struct cert_facts *leaf, *last;
	enum onprem_stop stop = rules_onprem_stop(f);
	const char *name = t->name_checked ? t->name_checked : f->tls_name;
	const char *host = f->host ? f->host : "the endpoint";
	struct finding *cause;
	bool same;
	char when[40], summary[512];

	if (stop < ONPREM_CHAIN_INCOMPLETE || t->nchain == 0)
		return;
	leaf = &t->chain[0];
	last = &t->chain[t->nchain - 1];
	same = file != NULL && strcmp(file->leaf.sha256, leaf->sha256) == 0;

	/* A certificate other than the hybrid one answers: the binding is wrong. */
	if ((file != NULL && !same && file_cert_good(file, name, t->checked_at)) || exchange_own_cert(leaf)) {
		snprintf(summary, sizeof summary, "%s presents %s, not the hybrid certificate", host,
		    exchange_own_cert(leaf) ? "Exchange's self-signed certificate" : "another certificate");
		cause = onprem_cause(out, "cause.onprem-cert-not-bound", summary);
		cert_line(cause, "presented", leaf);
		if (exchange_own_cert(leaf))
			finding_evidence(cause, "<- evidence: the presented certificate is self-signed and named "
			    "after the server (%s): the one Exchange makes for itself", leaf->common_name);
		if (file != NULL && !same)
			cert_line(cause, file_cert_good(file, name, t->checked_at) ?
			    "the hybrid certificate (--cert), which would pass" : "the certificate file (--cert)",
			    &file->leaf);
		if (f->banner.nlines > 0 && strstr(f->banner.lines[0], "Microsoft ESMTP MAIL Service") == NULL)
			finding_evidence(cause, "<- evidence: the greeting is not Exchange's (%.80s): a device in "
			    "front of Exchange may answer with its own certificate", f->banner.lines[0]);
		finding_evidence(cause, "<- cause: the receive connector Exchange Online reaches is not bound "
		    "to the hybrid certificate (TlsCertificateName, SMTP service)");
		return;
	}
	switch (stop) {
	case ONPREM_CHAIN_INCOMPLETE:
		snprintf(summary, sizeof summary, "%s sends its certificate without the intermediate", host);
		cause = onprem_cause(out, "cause.onprem-intermediate-missing", summary);
		cert_line(cause, "presented", leaf);
		finding_evidence(cause, "<- evidence: certificates sent: %zu; missing: the issuer %s", t->nsent ?
		    t->nsent : t->nchain, last->issuer);
		if (same && file->chain_complete)
			finding_evidence(cause, "<- evidence: the certificate file %s holds the intermediate, the "
			    "server does not send it", file->source ? file->source : "(--cert)");
		else if (same)
			finding_evidence(cause, "<- evidence: the certificate file %s lacks it too",
			    file->source ? file->source : "(--cert)");
		finding_evidence(cause, "<- cause: the intermediate is not in the server's Intermediate "
		    "Certification Authorities store, so Exchange cannot send it");
		break;
	case ONPREM_EXPIRED:
		rules_date(leaf->not_after, when, sizeof when);
		snprintf(summary, sizeof summary, "%s presents a certificate that expired on %s", host, when);
		cause = onprem_cause(out, "cause.onprem-cert-expired", summary);
		cert_line(cause, "presented", leaf);
		if (file != NULL)
			finding_evidence(cause, "<- evidence: the certificate file (--cert) is %s", same ?
			    "the same certificate: it has not been renewed" : "another certificate, not valid either");
		finding_evidence(cause, "<- cause: the certificate was not renewed, or the renewed one was not "
		    "enabled for SMTP on the receiving servers");
		break;
	case ONPREM_NAME:
		snprintf(summary, sizeof summary, "%s presents a certificate without %s, the name the outbound "
		    "connector requires", host, name ? name : "the name required");
		cause = onprem_cause(out, "cause.onprem-cert-name", summary);
		cert_line(cause, "presented", leaf);
		if (d->onprem_note)
			finding_evidence(cause, "<- evidence: %s", d->onprem_note);
		finding_evidence(cause, "<- cause: the outbound connector's TlsDomain and the certificate's "
		    "names disagree");
		break;
	case ONPREM_UNTRUSTED:
		snprintf(summary, sizeof summary, "%s presents a certificate from %s, a CA Exchange Online does "
		    "not trust", host, last->issuer);
		cause = onprem_cause(out, "cause.onprem-cert-untrusted", summary);
		cert_line(cause, "presented", leaf);
		if (t->nverr > 0)
			finding_evidence(cause, "<- evidence: verification: %s (certificate %d)", t->verr[0].text,
			    t->verr[0].depth);
		finding_evidence(cause, "<- cause: the certificate comes from a private or enterprise CA, or is "
		    "self-signed; Exchange Online trusts only public CAs");
		break;
	default:
		break;
	}
}

void rules_causes(const struct diagnosis *d, struct findings *out)
{
	outbound_causes(d->has_smtp ? &d->smtp : NULL, out);
	if (d->has_onprem)
		onprem_causes(d, out);
}

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
#include <strings.h>

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

/* The server greets as Exchange does. */
static bool exchange_greeting(const struct smtp_facts *f)
{
	return f->banner.nlines > 0 && strstr(f->banner.lines[0], "Microsoft ESMTP MAIL Service") != NULL;
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
	if (no_starttls && smtp != NULL && exchange_greeting(smtp)) {
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
 * Exchange's own self-signed certificate: the ones it makes for itself
 * (CN=Microsoft Exchange ...), or one named after the server (CN=EX01, a
 * single label) from a server that greets as Exchange or that lists the same
 * name with its domain (EX01.contoso.local), as Exchange's setup makes it.
 * Other appliances make one-label self-signed certificates too.
 */
static bool exchange_own_cert(const struct cert_facts *c, const struct smtp_facts *f)
{
	const char *cn = c->common_name;
	size_t n;

	if (!c->self_issued || cn == NULL || cn[0] == '\0')
		return false;
	if (strncmp(cn, "Microsoft Exchange", 18) == 0)
		return true;
	if (strchr(cn, '.') != NULL)
		return false;
	if (exchange_greeting(f))
		return true;
	n = strlen(cn);
	for (size_t i = 0; i < c->nsan; i++)
		if (strncmp(c->san[i], "DNS:", 4) == 0 && strncasecmp(c->san[i] + 4, cn, n) == 0 &&
		    c->san[i][4 + n] == '.')
			return true;
	return false;
}

/*
 * What keeps the certificate file (--cert) from passing where the endpoint's
 * certificate fails, "" when nothing does. A missing intermediate alone does
 * not count: it is imported beside the certificate (the evidence says so).
 */
static void file_fault(const struct onpremcert_facts *c, const char *name, time_t at, char *buf, size_t len)
{
	char when[40];

	buf[0] = '\0';
	if (!c->checked) {
		snprintf(buf, len, "it was not checked");
	} else if (c->leaf.not_after != 0 && at > c->leaf.not_after) {
		rules_date(c->leaf.not_after, when, sizeof when);
		snprintf(buf, len, "it expired on %s", when);
	} else if (c->leaf.not_before != 0 && at < c->leaf.not_before) {
		rules_date(c->leaf.not_before, when, sizeof when);
		snprintf(buf, len, "it is valid only from %s", when);
	} else if (name != NULL && !onpremcert_name_matches(c, name)) {
		snprintf(buf, len, "it does not carry %s", name);
	} else if (!c->verified && (c->chain_complete || c->chain_missing == NULL || c->chain_missing[0] == '\0')) {
		snprintf(buf, len, "it does not verify: %s", c->nverr ? c->verr[0].text : "untrusted");
	}
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

/* The certificate file beside the one presented: the same, or another with its fault. */
static void file_evidence(struct finding *cause, const struct onpremcert_facts *file, bool same, const char *fault)
{
	if (file == NULL)
		return;
	if (same)
		finding_evidence(cause, "<- evidence: the certificate file (--cert) is the certificate presented");
	else
		cert_line(cause, fault[0] ? "the certificate file (--cert), not usable either" :
		    "the hybrid certificate (--cert), which would pass", &file->leaf);
	if (!same && fault[0])
		finding_evidence(cause, "<- evidence: the certificate file: %s", fault);
	if (!file->chain_complete && file->chain_missing != NULL && file->chain_missing[0] != '\0')
		finding_evidence(cause, "<- evidence: the certificate file lacks the intermediate %s: import it "
		    "with the certificate", file->chain_missing);
}

static const char *store_name(const struct tls_facts *t)
{
	if (t->trust_store == NULL || strcmp(t->trust_store, "system") == 0)
		return "the system trust store";
	return t->trust_store;
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
	enum onprem_stop stop = rules_onprem_stop(f);
	int at = rules_onprem_cert(f, stop);
	const struct cert_facts *leaf = t->nchain > 0 ? &t->chain[0] : NULL, *c;
	const char *name = t->name_checked ? t->name_checked : f->tls_name;
	const char *host = f->host ? f->host : "the endpoint";
	struct finding *cause;
	bool same, own;
	char when[40], summary[600], fault[300] = "";

	if (stop < ONPREM_CHAIN_INCOMPLETE)
		return;
	if (leaf == NULL) {
		snprintf(summary, sizeof summary, "%s sent no certificate that could be checked", host);
		cause = onprem_cause(out, "cause.onprem-cert-untrusted", summary);
		finding_evidence(cause, "<- cause: the endpoint's certificate cannot be verified");
		return;
	}
	same = file != NULL && leaf->sha256[0] != '\0' && strcmp(file->leaf.sha256, leaf->sha256) == 0;
	if (file != NULL && !same)
		file_fault(file, name, t->checked_at, fault, sizeof fault);
	own = exchange_own_cert(leaf, f);
	c = at >= 0 ? &t->chain[at] : leaf;

	/* Another certificate than the hybrid one answers: the binding is wrong. */
	if ((file != NULL && !same && fault[0] == '\0') || own) {
		if (own)
			snprintf(summary, sizeof summary, "%s presents Exchange's self-signed certificate (CN=%s), not "
			    "the hybrid certificate", host, leaf->common_name);
		else
			snprintf(summary, sizeof summary, "%s presents another certificate than the hybrid one "
			    "(--cert)", host);
		cause = onprem_cause(out, "cause.onprem-cert-not-bound", summary);
		cert_line(cause, "presented", leaf);
		if (own && strncmp(leaf->common_name, "Microsoft Exchange", 18) == 0)
			finding_evidence(cause, "<- evidence: the presented certificate is one Exchange makes for "
			    "itself (%s)", leaf->common_name);
		else if (own)
			finding_evidence(cause, "<- evidence: the presented certificate is self-signed and named after "
			    "the server (%s), as Exchange's setup makes it", leaf->common_name);
		file_evidence(cause, file, same, fault);
		if (f->banner.nlines > 0 && !exchange_greeting(f))
			finding_evidence(cause, "<- evidence: the greeting is not Exchange's (%.80s): a device in "
			    "front of Exchange may answer with its own certificate", f->banner.lines[0]);
		finding_evidence(cause, "<- cause: the receive connector Exchange Online reaches is not bound "
		    "to the hybrid certificate (TlsCertificateName, SMTP service)");
		return;
	}
	switch (stop) {
	case ONPREM_CHAIN_INCOMPLETE:
		snprintf(summary, sizeof summary, "%s sends its certificate without the certificate of %s, which "
		    "issued %s", host, c->issuer, at == 0 ? "it" : c->subject);
		cause = onprem_cause(out, "cause.onprem-intermediate-missing", summary);
		cert_line(cause, "presented", leaf);
		finding_evidence(cause, "<- evidence: certificates sent: %zu; %s is neither sent nor in %s",
		    t->nchain, c->issuer, store_name(t));
		file_evidence(cause, file, same, fault);
		if (same && file->verified) {
			finding_evidence(cause, "<- evidence: the certificate file's own chain verifies: %s is a "
			    "public intermediate", c->issuer);
			finding_evidence(cause, "<- cause: the intermediate is not in the server's Intermediate "
			    "Certification Authorities store, so Exchange does not send it");
		} else {
			finding_evidence(cause, "<- cause: the intermediate is not in the server's Intermediate "
			    "Certification Authorities store, or %s is a private CA (see "
			    "cause.onprem-cert-untrusted)", c->issuer);
		}
		break;
	case ONPREM_EXPIRED:
	case ONPREM_NOT_YET_VALID:
		rules_date(stop == ONPREM_EXPIRED ? c->not_after : c->not_before, when, sizeof when);
		if (at > 0)
			snprintf(summary, sizeof summary, "%s sends an intermediate certificate (%s) that %s %s", host,
			    c->subject, stop == ONPREM_EXPIRED ? "expired on" : "is valid only from", when);
		else
			snprintf(summary, sizeof summary, "%s presents a certificate that %s %s", host,
			    stop == ONPREM_EXPIRED ? "expired on" : "is valid only from", when);
		cause = onprem_cause(out, "cause.onprem-cert-expired", summary);
		cert_line(cause, "presented", leaf);
		if (at > 0)
			cert_line(cause, "the intermediate sent", c);
		file_evidence(cause, file, same, fault);
		if (at > 0)
			finding_evidence(cause, "<- cause: the server sends an old intermediate: its Intermediate "
			    "Certification Authorities store needs the CA's current one");
		else if (stop == ONPREM_NOT_YET_VALID)
			finding_evidence(cause, "<- cause: a certificate bound before its validity starts (or this "
			    "machine's clock is wrong: check both)");
		else
			finding_evidence(cause, "<- cause: the certificate was not renewed, or the renewed one was "
			    "not enabled for SMTP on the receiving servers");
		break;
	case ONPREM_NAME:
		snprintf(summary, sizeof summary, "%s presents a certificate without %s, the name the outbound "
		    "connector requires", host, name ? name : "the name required");
		cause = onprem_cause(out, "cause.onprem-cert-name", summary);
		cert_line(cause, "presented", leaf);
		if (d->onprem_note)
			finding_evidence(cause, "<- evidence: %s", d->onprem_note);
		file_evidence(cause, file, same, fault);
		if (!t->verified)
			finding_evidence(cause, "<- evidence: the chain does not verify either (%s): the certificate "
			    "has to be replaced, not only the connector", t->nverr ? t->verr[0].text : "untrusted");
		finding_evidence(cause, "<- cause: the outbound connector's TlsDomain and the certificate's "
		    "names disagree");
		break;
	case ONPREM_UNTRUSTED: {
		int depth = t->nverr > 0 ? t->verr[0].depth : -1;
		const struct cert_facts *top = depth >= 0 && (size_t)depth < t->nchain ? &t->chain[depth] :
		    &t->chain[t->nchain - 1];

		snprintf(summary, sizeof summary, "%s presents a certificate issued by %s, a CA %s does not "
		    "trust", host, top->issuer, store_name(t));
		cause = onprem_cause(out, "cause.onprem-cert-untrusted", summary);
		cert_line(cause, "presented", leaf);
		if (t->nverr > 0)
			finding_evidence(cause, "<- evidence: verification: %s (certificate %d)", t->verr[0].text,
			    t->verr[0].depth);
		file_evidence(cause, file, same, fault);
		finding_evidence(cause, "<- cause: the certificate comes from a private or enterprise CA, or is "
		    "self-signed; Exchange Online trusts only public CAs");
		break;
	}
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

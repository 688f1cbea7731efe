/*
 * The reverse direction: Exchange Online delivering to the on-premises
 * endpoint through the outbound connector, which requires TLS and, with
 * TlsSettings DomainValidation, the TlsDomain name on the certificate. From the
 * probe's facts, what Exchange Online will do, in the words it will use.
 */
#include "config.h"

#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"

/* A verification error that says an issuer's certificate was not found. */
static bool issuer_error(int code)
{
	return code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	    code == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE || code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT;
}

/*
 * The certificate sent whose issuer was neither sent nor found in the trust
 * store, or -1. By names, not by position: a server may send its chain out of
 * order, or with an old intermediate that is not the leaf's issuer.
 */
static int unissued(const struct tls_facts *t)
{
	bool missing = false;

	for (size_t i = 0; i < t->nverr; i++)
		missing = missing || issuer_error(t->verr[i].code);
	for (size_t i = 0; missing && i < t->nchain; i++) {
		const struct cert_facts *c = &t->chain[i];
		bool sent = false;

		if (c->self_issued)
			continue;
		for (size_t k = 0; k < t->nchain && !sent; k++)
			sent = k != i && c->issuer != NULL && t->chain[k].subject != NULL &&
			    strcmp(t->chain[k].subject, c->issuer) == 0;
		if (!sent)
			return (int)i;
	}
	return -1;
}

/* The first certificate out of its dates at the handshake (expired, or not
 * yet valid), or -1. Extra certificates beside a path that verifies (an old
 * cross-sign) do not count, as in the TLS rules. */
static int dated_out(const struct tls_facts *t, bool expired)
{
	for (size_t i = 0; i < t->nchain; i++) {
		const struct cert_facts *c = &t->chain[i];

		if (i > 0 && t->verified)
			break;
		if (expired ? c->not_after != 0 && t->checked_at > c->not_after :
		    c->not_before != 0 && t->checked_at < c->not_before)
			return (int)i;
	}
	return -1;
}

int rules_onprem_cert(const struct smtp_facts *f, enum onprem_stop stop)
{
	int i = 0;

	if (stop == ONPREM_CHAIN_INCOMPLETE)
		i = unissued(&f->tls);
	else if (stop == ONPREM_EXPIRED || stop == ONPREM_NOT_YET_VALID)
		i = dated_out(&f->tls, stop == ONPREM_EXPIRED);
	return f->tls.nchain == 0 ? -1 : i < 0 ? 0 : i;
}

static bool all_refused(const struct smtp_facts *f)
{
	bool all = f->nattempts > 0;

	for (size_t i = 0; i < f->nattempts; i++)
		all = all && (f->attempts[i].result == CONN_REFUSED || f->attempts[i].result == CONN_SKIPPED);
	return all;
}

enum onprem_stop rules_onprem_stop(const struct smtp_facts *f)
{
	const struct tls_facts *t = &f->tls;

	switch (f->end) {
	case END_RESOLVE_FAILED:
		return ONPREM_RESOLVE;
	case END_CONNECT_FAILED:
		return ONPREM_CONNECT;
	case END_TIMEOUT:
	case END_RESET:
	case END_CLOSED:
		return ONPREM_CUT;
	default:
		break;
	}
	if (f->banner.code != 220)
		return ONPREM_GREETING;
	if (!f->starttls_offered || (f->starttls.code != 0 && f->starttls.code != 220))
		return ONPREM_STARTTLS;
	if (!t->ok)
		return ONPREM_HANDSHAKE;
	/* Exchange Online does not fetch intermediates: a leaf alone fails. */
	if (unissued(t) >= 0)
		return ONPREM_CHAIN_INCOMPLETE;
	if (dated_out(t, true) >= 0)
		return ONPREM_EXPIRED;
	if (dated_out(t, false) >= 0)
		return ONPREM_NOT_YET_VALID;
	if (t->name == NAME_MISMATCH)
		return ONPREM_NAME;
	if (!t->verified)
		return ONPREM_UNTRUSTED;
	return ONPREM_DELIVERS;
}

/* The reason Exchange Online would give, or NULL when it will deliver. */
static const char *exo_verdict(const struct smtp_facts *f, char *why, size_t len)
{
	const struct tls_facts *t = &f->tls;

	switch (rules_onprem_stop(f)) {
	case ONPREM_RESOLVE:
		snprintf(why, len, "the name does not resolve: %s", f->resolve_error ? f->resolve_error : "?");
		return "450 4.4.312 DNS query failed";
	case ONPREM_CONNECT:
		snprintf(why, len, "no address of %s accepted a connection", f->host);
		return all_refused(f) ? "450 4.4.316 Connection refused" : "450 4.4.315 Connection timed out";
	case ONPREM_CUT:
		if (f->end == END_TIMEOUT) {
			snprintf(why, len, "%s: %s", phase_name(f->end_phase),
			    f->end_detail ? f->end_detail : "no answer");
			return "450 4.4.315 Connection timed out";
		}
		snprintf(why, len, "the connection ended during %s", phase_name(f->end_phase));
		return "450 4.4.318 Connection was closed abruptly";
	case ONPREM_GREETING:
		snprintf(why, len, "the greeting was %d", f->banner.code);
		return "450 4.4.317 Cannot connect to remote server";
	case ONPREM_STARTTLS:
		snprintf(why, len, "STARTTLS is %s, and the connector requires TLS",
		    f->starttls_offered ? "refused" : "not offered");
		return "450 4.4.317 Cannot connect to remote server";
	case ONPREM_HANDSHAKE:
		snprintf(why, len, "the TLS handshake failed: %s", t->error ? t->error : "?");
		return t->legacy_only ? "450 4.4.317 Cannot connect to remote server (TLS 1.0/1.1 only)" :
		    "450 4.4.317 Cannot connect to remote server";
	case ONPREM_CHAIN_INCOMPLETE:
		snprintf(why, len, "the server sends its certificate without the intermediate");
		return "450 4.4.317 Cannot connect to remote server [Message=UntrustedRoot]";
	case ONPREM_EXPIRED:
		snprintf(why, len, "the %s has expired",
		    rules_onprem_cert(f, ONPREM_EXPIRED) > 0 ? "intermediate certificate" : "certificate");
		return "450 4.7.320 Certificate validation failed";
	case ONPREM_NOT_YET_VALID:
		snprintf(why, len, "the %s is not valid yet",
		    rules_onprem_cert(f, ONPREM_NOT_YET_VALID) > 0 ? "intermediate certificate" : "certificate");
		return "450 4.7.320 Certificate validation failed";
	case ONPREM_NAME:
		snprintf(why, len, "the certificate does not carry %s", t->name_checked ? t->name_checked : "?");
		return "450 4.7.320 Certificate validation failed [Message=SubjectMismatch]";
	case ONPREM_UNTRUSTED:
		snprintf(why, len, "the chain does not verify: %s", t->nverr ? t->verr[0].text : "?");
		return "450 4.4.317 Cannot connect to remote server [Message=UntrustedRoot]";
	case ONPREM_DELIVERS:
		break;
	}
	return NULL;
}

void rules_onprem(const struct diagnosis *d, struct findings *out)
{
	const struct smtp_facts *f = &d->onprem;
	char why[300];
	const char *code = exo_verdict(f, why, sizeof why);
	struct finding *fd;

	if (code != NULL) {
		fd = findings_add(out, "onprem.exo-will-fail", "Exchange Online will queue mail for %s: %s (%s)",
		    f->host, code, why);
	} else {
		fd = findings_add(out, "onprem.exo-will-deliver", "%s offers STARTTLS with a certificate for %s "
		    "that chains to a trusted root", f->host, f->tls_name ? f->tls_name : f->host);
	}
	if (d->onprem_note)
		finding_evidence(fd, "%s", d->onprem_note);
	finding_evidence(fd, "probe of %s port %u: %s", f->host, f->port, smtp_end_name(f->end));
	/* The other probe of the run took the retry that would name an old protocol. */
	if (f->budget_note != NULL)
		finding_evidence(fd, "%s", f->budget_note);
	if (f->tls.nchain > 0)
		finding_evidence(fd, "certificate: %s", f->tls.chain[0].subject);
	if (f->tls_name)
		finding_evidence(fd, "name Exchange Online requires: %s", f->tls_name);
}

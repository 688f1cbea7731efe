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

static bool has_verify_error(const struct tls_facts *t, int code)
{
	for (size_t i = 0; i < t->nverr; i++)
		if (t->verr[i].code == code)
			return true;
	return false;
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
	if (t->nchain > 0 && !t->chain[t->nchain - 1].is_ca &&
	    (has_verify_error(t, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY) ||
	    has_verify_error(t, X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE)))
		return ONPREM_CHAIN_INCOMPLETE;
	if (t->nchain > 0 && t->chain[0].not_after != 0 && t->checked_at > t->chain[0].not_after)
		return ONPREM_EXPIRED;
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
		snprintf(why, len, "the certificate has expired");
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
	if (f->tls.nchain > 0)
		finding_evidence(fd, "certificate: %s", f->tls.chain[0].subject);
	if (f->tls_name)
		finding_evidence(fd, "name Exchange Online requires: %s", f->tls_name);
}

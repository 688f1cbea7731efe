/*
 * Root causes. A symptom ("STARTTLS is not offered") has several possible
 * causes; these rules look at the other findings for the evidence that tells
 * them apart, and add the cause on top with its chain: symptom <- evidence <-
 * cause. They run last, over the findings of every step.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "kb.h"
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

/* Pointers into out are not kept across findings_add(): it may move the array. */
void rules_causes(const struct smtp_facts *smtp, struct findings *out)
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

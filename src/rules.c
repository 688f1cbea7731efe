#include "config.h"

#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cert.h"
#include "ipclass.h"
#include "rules.h"

void rules_date(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, len, "?");
}

static void reply_evidence(struct finding *fd, const char *what, const struct smtp_reply_facts *r)
{
	if (r->code == 0)
		return;
	for (size_t i = 0; i < r->nlines && i < 20; i++)
		finding_evidence(fd, "%s: %d%c%s", what, r->code,
		    i + 1 < r->nlines ? '-' : ' ', r->lines[i]);
	if (r->nlines == 0)
		finding_evidence(fd, "%s: %d", what, r->code);
}

static void cert_evidence(struct finding *fd, const struct cert_facts *c, size_t depth)
{
	char nb[40], na[40], names[512] = "";

	rules_date(c->not_before, nb, sizeof nb);
	rules_date(c->not_after, na, sizeof na);
	for (size_t i = 0; i < c->nsan && strlen(names) + strlen(c->san[i]) + 3 < sizeof names; i++) {
		strcat(names, i ? ", " : "");
		strcat(names, c->san[i]);
	}
	finding_evidence(fd, "certificate %zu subject: %s", depth, c->subject);
	finding_evidence(fd, "certificate %zu issuer: %s", depth, c->issuer);
	finding_evidence(fd, "certificate %zu valid from %s until %s", depth, nb, na);
	if (depth == 0)
		finding_evidence(fd, "certificate 0 names: %s", names[0] ? names : "(no subjectAltName)");
}

/* The end of the conversation, where it was not a normal one. */
static void rules_end(const struct smtp_facts *f, struct findings *out)
{
	const char *ph = phase_name(f->end_phase);
	struct finding *fd;

	switch (f->end) {
	case END_TIMEOUT:
		fd = findings_add(out, "smtp.timeout", "%s: %s", ph,
		    f->end_detail ? f->end_detail : "deadline passed");
		finding_evidence(fd, "phase: %s", ph);
		break;
	case END_CLOSED:
		fd = findings_add(out, "smtp.closed-early", "the server closed the connection during %s", ph);
		finding_evidence(fd, "phase: %s", ph);
		break;
	case END_RESET:
		fd = findings_add(out, "smtp.connection-reset", "the connection was reset during %s", ph);
		finding_evidence(fd, "phase: %s", ph);
		if (f->end_detail)
			finding_evidence(fd, "%s", f->end_detail);
		break;
	case END_PROTOCOL:
		fd = findings_add(out, f->reply_error == REPLY_ERR_LINE_TOO_LONG ||
		    f->reply_error == REPLY_ERR_TOO_MANY_LINES ? "smtp.reply-too-long" :
		    "smtp.reply-malformed", "%s: %s", ph, reply_error_name(f->reply_error));
		for (size_t i = f->tr.n; i > 0; i--)
			if (f->tr.v[i - 1].dir == TDIR_RECV) {
				finding_evidence(fd, "last line received: %s", f->tr.v[i - 1].text);
				break;
			}
		break;
	case END_SERVICE_UNAVAILABLE: {
		const struct smtp_reply_facts *r = f->banner.code == 421 ? &f->banner :
		    f->ehlo.code == 421 ? &f->ehlo : f->helo.code == 421 ? &f->helo :
		    f->starttls.code == 421 ? &f->starttls : &f->ehlo_tls;

		fd = findings_add(out, "smtp.service-unavailable", "421 during %s: %s", ph,
		    r->nlines ? r->lines[r->nlines - 1] : "");
		reply_evidence(fd, "reply", r);
		break;
	}
	case END_LOCAL_ERROR:
		fd = findings_add(out, "smtp.timeout", "%s: local error: %s", ph,
		    f->end_detail ? f->end_detail : "?");
		fd->sev = SEV_UNTESTED;
		break;
	default:
		break;
	}
}

/* What the verifier said, turned into the finding an admin can act on. */
static void rules_verify(const struct tls_facts *t, struct findings *out, bool *bad)
{
	const struct cert_facts *last = &t->chain[t->nchain - 1];
	bool self = false, root = false, incomplete = false;

	for (size_t i = 0; i < t->nverr; i++) {
		const struct verify_error *v = &t->verr[i];
		struct finding *fd;

		switch (v->code) {
		case X509_V_ERR_CERT_HAS_EXPIRED:
		case X509_V_ERR_CERT_NOT_YET_VALID:
			break;	/* judged from the dates */
		case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
			if (!self) {
				fd = findings_add(out, "tls.cert-self-signed",
				    "the certificate is self-signed: %s", t->chain[0].subject);
				cert_evidence(fd, &t->chain[0], 0);
			}
			self = *bad = true;
			break;
		case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
			if (!root) {
				fd = findings_add(out, "tls.untrusted-root",
				    "the chain ends in a root that %s does not trust: %s",
				    t->trust_store, last->subject);
				finding_evidence(fd, "verify error at depth %d: %s", v->depth, v->text);
			}
			root = *bad = true;
			break;
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
		case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
		case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
			/* The chain sent stops short. A leaf at the end means an intermediate is
			 * missing; a CA at the end means the missing piece is the root. */
			if (!last->is_ca) {
				if (!incomplete) {
					fd = findings_add(out, "tls.chain-incomplete",
					    "the server sent %zu certificate%s without the intermediate that issued it: %s",
					    t->nchain, t->nchain == 1 ? "" : "s", last->issuer);
					finding_evidence(fd, "certificates sent: %zu", t->nchain);
					finding_evidence(fd, "missing: the issuer of certificate %zu, %s",
					    t->nchain - 1, last->issuer);
					finding_evidence(fd, "verify error at depth %d: %s", v->depth, v->text);
				}
				incomplete = true;
			} else if (!root) {
				fd = findings_add(out, "tls.untrusted-root",
				    "the chain leads to a root that %s does not have: %s",
				    t->trust_store, last->issuer);
				finding_evidence(fd, "last certificate sent: %s", last->subject);
				finding_evidence(fd, "verify error at depth %d: %s", v->depth, v->text);
				root = true;
			}
			*bad = true;
			break;
		default:
			fd = findings_add(out, "tls.cert-untrusted", "%s (certificate %d)", v->text, v->depth);
			if (v->depth >= 0 && (size_t)v->depth < t->nchain)
				cert_evidence(fd, &t->chain[v->depth], (size_t)v->depth);
			*bad = true;
			break;
		}
	}
}

static void rules_dates(const struct tls_facts *t, struct findings *out, bool *bad)
{
	time_t at = t->checked_at;

	for (size_t i = 0; i < t->nchain; i++) {
		const struct cert_facts *c = &t->chain[i];
		char d[40];
		struct finding *fd;

		/* An extra certificate sent beside a path that verifies (an old
		 * cross-sign) does not matter: judge those only when verification failed. */
		if (i > 0 && t->verified)
			continue;

		if (c->not_after != 0 && at > c->not_after) {
			rules_date(c->not_after, d, sizeof d);
			fd = findings_add(out, "tls.cert-expired", "%s expired on %s (%ld days ago)",
			    i == 0 ? "the server's certificate" : "a certificate in its chain", d,
			    (long)((at - c->not_after) / 86400));
			cert_evidence(fd, c, i);
			*bad = true;
		} else if (c->not_before != 0 && at < c->not_before) {
			rules_date(c->not_before, d, sizeof d);
			fd = findings_add(out, "tls.cert-not-yet-valid", "%s is valid only from %s",
			    i == 0 ? "the server's certificate" : "a certificate in its chain", d);
			cert_evidence(fd, c, i);
			*bad = true;
		} else if (c->not_after != 0 &&
		    c->not_after - at < (time_t)RULES_EXPIRY_WARN_DAYS * 86400) {
			rules_date(c->not_after, d, sizeof d);
			fd = findings_add(out, "tls.cert-expiring", "%s expires on %s (in %ld days)",
			    i == 0 ? "the server's certificate" : "a certificate in its chain", d,
			    (long)((c->not_after - at) / 86400));
			cert_evidence(fd, c, i);
		}
	}
}

static void rules_strength(const struct tls_facts *t, struct findings *out, bool *bad)
{
	for (size_t i = 0; i < t->nchain; i++) {
		const struct cert_facts *c = &t->chain[i];
		struct finding *fd;

		if (cert_key_is_weak(c)) {
			fd = findings_add(out, "tls.weak-key", "certificate %zu has a %d-bit %s key",
			    i, c->key_bits, c->key_type);
			finding_evidence(fd, "certificate %zu subject: %s", i, c->subject);
			*bad = true;
		}
		if (cert_sig_is_weak(c)) {
			fd = findings_add(out, "tls.weak-signature", "certificate %zu is signed with %s",
			    i, c->sig_alg);
			finding_evidence(fd, "certificate %zu subject: %s", i, c->subject);
			*bad = true;
		}
	}
}

static void rules_tls(const struct smtp_facts *f, struct findings *out)
{
	const struct tls_facts *t = &f->tls;
	struct finding *fd;
	bool bad = false;
	char d[40];

	if (!t->attempted) {
		const char *why = f->ehlo.code == 250 && !f->starttls_offered ?
		    "the server did not offer STARTTLS" : f->starttls.code != 0 && f->starttls.code != 220 ?
		    "the server refused STARTTLS" : "the conversation ended before STARTTLS";

		if (f->banner.code != 0)
			findings_add(out, "tls.not-tested", "TLS was not tested: %s", why);
		return;
	}
	if (!t->ok) {
		if (t->legacy_only) {
			fd = findings_add(out, "tls.protocol-old",
			    "the server negotiates only %s; TLS 1.2 or newer failed", t->legacy_version);
			finding_evidence(fd, "with TLS 1.2+: %s", t->error ? t->error : "handshake failed");
			finding_evidence(fd, "allowing TLS 1.0/1.1: handshake completed with %s",
			    t->legacy_version);
			/* The retry runs at security level 0 only to name the protocol. */
			finding_evidence(fd, "the certificate was not verified: the retry at "
			    "security level 0 only names the protocol");
		} else {
			fd = findings_add(out, "tls.handshake-failed", "%s",
			    t->error ? t->error : "the handshake failed");
			if (t->alert[0])
				finding_evidence(fd, "TLS alert from the server: %s", t->alert);
			reply_evidence(fd, "STARTTLS reply", &f->starttls);
			/* Without the retry, an old-protocol server looks like this too. */
			if (f->budget_note != NULL)
				finding_evidence(fd, "%s", f->budget_note);
		}
		return;
	}
	fd = findings_add(out, "tls.handshake-ok", "%s with %s", t->version, t->cipher);
	finding_evidence(fd, "handshake took %lld ms", (long long)t->ms);
	if (t->nchain == 0) {
		findings_add(out, "tls.cert-untrusted", "the server sent no certificate");
		return;
	}
	if (t->nsent > RULES_CHAIN_LONG) {
		fd = findings_add(out, "tls.chain-long", "the server sent %zu certificates", t->nsent);
		finding_evidence(fd, "certificates sent: %zu", t->nsent);
		finding_evidence(fd, "chain %s against %s", t->verified ? "verified" : "NOT verified",
		    t->trust_store);
	}
	rules_dates(t, out, &bad);
	rules_verify(t, out, &bad);
	rules_strength(t, out, &bad);
	if (t->name == NAME_MISMATCH) {
		const struct cert_facts *c = &t->chain[0];

		fd = findings_add(out, "tls.cert-name-mismatch", "the certificate does not carry %s",
		    t->name_checked);
		finding_evidence(fd, "name expected: %s", t->name_checked);
		cert_evidence(fd, c, 0);
		bad = true;
	} else if (t->name == NAME_NOT_CHECKED) {
		findings_add(out, "tls.name-not-checked",
		    "connected by address: give --tls-name to check the certificate's name");
	}
	if (!bad && t->verified) {
		rules_date(t->chain[0].not_after, d, sizeof d);
		fd = findings_add(out, "tls.cert-valid", "%s, valid until %s, chain verified against %s",
		    t->chain[0].common_name[0] ? t->chain[0].common_name : t->chain[0].subject, d,
		    t->trust_store);
		cert_evidence(fd, &t->chain[0], 0);
	}
}

static bool reply_says(const struct smtp_reply_facts *r, const char *what)
{
	for (size_t i = 0; i < r->nlines; i++)
		if (strcasestr(r->lines[i], what) != NULL)
			return true;
	return false;
}

/* "530 5.7.0 Must issue a STARTTLS command first", EOP's "451 5.7.3 ...". */
static bool tls_required(const struct smtp_reply_facts *r)
{
	return r->code == 530 || strcmp(r->esc, "5.7.3") == 0 ||
	    (r->code >= 400 && reply_says(r, "STARTTLS"));
}

static bool attribution_failed(const struct smtp_reply_facts *r)
{
	return strcmp(r->esc, "5.7.64") == 0 || strcmp(r->esc, "4.4.62") == 0 ||
	    reply_says(r, "TenantAttribution") || reply_says(r, "ATTR35");
}

static bool relay_denied(const struct smtp_reply_facts *r)
{
	return reply_says(r, "relay access denied") || reply_says(r, "unable to relay") ||
	    reply_says(r, "relaying denied") || reply_says(r, "relay not permitted");
}

/* The opt-in envelope probe: is TLS enforced, and how is the envelope taken? */
static void rules_envelope(const struct smtp_facts *f, struct findings *out)
{
	const struct smtp_reply_facts *plain[] = { &f->mail_plain, &f->rcpt_plain };
	const struct smtp_reply_facts *all[] = { &f->mail_plain, &f->rcpt_plain, &f->mail_tls, &f->rcpt_tls };
	static const char *const names[] = { "MAIL FROM in plaintext", "RCPT TO in plaintext",
	    "MAIL FROM over TLS", "RCPT TO over TLS" };
	struct finding *fd;

	if (!f->envelope_asked || f->mail_plain.code == 0)
		return;
	if (tls_required(plain[0]) || tls_required(plain[1])) {
		const struct smtp_reply_facts *r = tls_required(plain[0]) ? plain[0] : plain[1];

		fd = findings_add(out, "smtp.tls-enforced", "without TLS the server answered %d%s%s", r->code,
		    r->esc[0] ? " " : "", r->esc);
		reply_evidence(fd, r == plain[0] ? names[0] : names[1], r);
	} else if (f->mail_plain.code == 250 && f->rcpt_plain.code == 250) {
		fd = findings_add(out, "smtp.tls-not-enforced", "MAIL FROM and RCPT TO were accepted in plaintext");
		reply_evidence(fd, names[1], &f->rcpt_plain);
	}
	for (size_t i = 0; i < 4; i++) {
		const struct smtp_reply_facts *r = all[i];
		const char *id;

		if (r->code < 400 || tls_required(r))
			continue;
		id = attribution_failed(r) ? "smtp.attribution-failed" : relay_denied(r) ? "smtp.relay-denied" :
		    "smtp.envelope-rejected";
		if (findings_get(out, id) != NULL)
			continue;
		/* The first line already starts with the enhanced code, if any. */
		fd = findings_add(out, id, "%s: %d %s", names[i], r->code, r->nlines ? r->lines[0] : "");
		reply_evidence(fd, names[i], r);
	}
}

static void smtp_findings(const struct smtp_facts *f, struct findings *out)
{
	struct finding *fd;
	bool failed_addr = false;

	if (f->end == END_NONE)
		return;
	if (f->end == END_RESOLVE_FAILED) {
		fd = findings_add(out, "smtp.resolve-failed", "%s: %s", f->host,
		    f->resolve_error ? f->resolve_error : "not resolved");
		return;
	}
	for (size_t i = 0; i < f->nattempts; i++)
		if (f->attempts[i].result != CONN_OK && f->attempts[i].result != CONN_SKIPPED)
			failed_addr = true;
	/* Not one connection, because other probes of the run used the budget:
	 * nothing is known about the server, and nothing failed. */
	if (f->end == END_CONNECT_FAILED && f->connections == 0 && !failed_addr && f->budget_note != NULL) {
		fd = findings_add(out, "smtp.not-probed", "%s port %u was not probed: %s", f->host, f->port,
		    f->budget_note);
		return;
	}
	if (f->end == END_CONNECT_FAILED || (f->connected_addr[0] == '\0' && failed_addr)) {
		fd = findings_add(out, "smtp.connect-failed", "no address of %s accepted a connection on port %u",
		    f->host, f->port);
		for (size_t i = 0; i < f->nattempts; i++)
			finding_evidence(fd, "%s port %u: %s%s%s", f->attempts[i].addr, f->port,
			    connect_result_name(f->attempts[i].result), f->attempts[i].err ? " - " : "",
			    f->attempts[i].err ? strerror(f->attempts[i].err) : "");
		if (f->budget_note != NULL)
			finding_evidence(fd, "%s", f->budget_note);
		return;
	}
	if (failed_addr) {
		fd = findings_add(out, "smtp.address-failed", "%s answered, but not every address of %s did",
		    f->connected_addr, f->host);
		for (size_t i = 0; i < f->nattempts; i++)
			finding_evidence(fd, "%s port %u: %s%s%s", f->attempts[i].addr, f->port,
			    connect_result_name(f->attempts[i].result), f->attempts[i].err ? " - " : "",
			    f->attempts[i].err ? strerror(f->attempts[i].err) : "");
	}

	/* The greeting. */
	if (f->banner.code != 0 && f->banner.code != 220 && f->banner.code != 421) {
		fd = findings_add(out, "smtp.banner-rejected", "the server greeted with %d instead of 220",
		    f->banner.code);
		reply_evidence(fd, "greeting", &f->banner);
	}
	if (f->banner.code != 0 && f->banner.ms > RULES_SLOW_BANNER_MS) {
		fd = findings_add(out, "smtp.banner-slow", "the greeting took %.1f s",
		    (double)f->banner.ms / 1000.0);
		reply_evidence(fd, "greeting", &f->banner);
	}
	rules_end(f, out);

	/* EHLO and what it tells. */
	if (f->ehlo.code != 0 && f->ehlo.code != 250 && f->ehlo.code != 421) {
		fd = findings_add(out, "smtp.ehlo-rejected", "the server answered EHLO with %d", f->ehlo.code);
		reply_evidence(fd, "EHLO reply", &f->ehlo);
		reply_evidence(fd, "HELO reply", &f->helo);
	}
	if (f->ehlo.code == 250 || f->helo.code == 250) {
		const char *range;

		if (f->observed_ip[0] != '\0' && ip_is_internal(f->observed_ip, &range)) {
			fd = findings_add(out, "smtp.observed-ip-internal",
			    "the server sees this client as %s, %s: the public IP is not known", f->observed_ip,
			    range);
			finding_evidence(fd, "EHLO reply: %d-%s", f->ehlo.code == 250 ? 250 : f->helo.code,
			    f->ehlo.code == 250 ? f->ehlo.lines[0] : f->helo.lines[0]);
			finding_evidence(fd, "local address of the connection: %s", f->local_addr);
		} else if (f->observed_ip[0] != '\0') {
			bool nat = strcmp(f->observed_ip, f->local_addr) != 0;

			fd = findings_add(out, "smtp.observed-ip", "the server sees this client as %s%s",
			    f->observed_ip, nat ? " (after NAT: not the local address)" : "");
			finding_evidence(fd, "EHLO reply: %d-%s", f->ehlo.code == 250 ? 250 : f->helo.code,
			    f->ehlo.code == 250 ? f->ehlo.lines[0] : f->helo.lines[0]);
			finding_evidence(fd, "local address of the connection: %s", f->local_addr);
		} else
			findings_add(out, "smtp.observed-ip-unknown",
			    "the server's EHLO reply does not name the client's address");
	}
	if (f->ehlo.code == 250) {
		if (f->starttls_offered) {
			fd = findings_add(out, "smtp.starttls-offered", "250-STARTTLS is in the EHLO reply");
		} else {
			fd = findings_add(out, "smtp.starttls-missing",
			    "the EHLO reply of %s has no STARTTLS", f->connected_addr);
			reply_evidence(fd, "EHLO reply", &f->ehlo);
		}
	}
	if (f->starttls.code != 0 && f->starttls.code != 220 && f->starttls.code != 421) {
		fd = findings_add(out, "smtp.starttls-refused", "STARTTLS was answered with %d",
		    f->starttls.code);
		reply_evidence(fd, "STARTTLS reply", &f->starttls);
	}
	rules_tls(f, out);
	if (f->ehlo_tls.code != 0 && f->ehlo_tls.code != 250 && f->ehlo_tls.code != 421) {
		fd = findings_add(out, "smtp.ehlo-tls-failed", "EHLO over TLS was answered with %d",
		    f->ehlo_tls.code);
		reply_evidence(fd, "EHLO reply over TLS", &f->ehlo_tls);
	}
	rules_envelope(f, out);
	if (f->end == END_OK && f->banner.code == 220 && f->ehlo.code == 250) {
		fd = findings_add(out, "smtp.conversation-ok", "greeting, EHLO%s and QUIT completed in %lld ms",
		    f->tls.ok ? ", STARTTLS, TLS, EHLO" : "", (long long)f->total_ms);
		reply_evidence(fd, "greeting", &f->banner);
	}
}

void rules_smtp(const struct smtp_facts *f, struct findings *out)
{
	size_t first = out->n;

	smtp_findings(f, out);
	/* In a batch the facts may come from another target's probe of the same server. */
	if (f->shared_from != NULL && out->n > first)
		finding_evidence(&out->v[first], "probe shared with %s: the same host and port in this batch",
		    f->shared_from);
}

void rules_all(const struct diagnosis *d, const struct dnsbl_list *zones, struct findings *out)
{
	if (d->has_smtp) {
		rules_smtp(&d->smtp, out);
		rules_smtp_blocks(&d->smtp, out);
	}
	if (d->has_dns)
		rules_dns(&d->dns, d->has_smtp ? &d->smtp : NULL, out);
	if (d->has_dnsbl)
		rules_dnsbl(&d->bl, zones, out);
	if (d->nconnectors > 0 || d->nconnector_errors > 0 || d->cert != NULL || d->cert_error != NULL)
		rules_connectors(d, out);
	if (d->has_onprem)
		rules_onprem(d, out);
	if (d->has_smtp)
		rules_middlebox(&d->smtp, out);
	rules_causes(d, out);
}

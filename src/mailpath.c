/*
 * The model of the hybrid mail path: which part of the path each finding
 * belongs to, and what each part's status and deciding fact are. Findings
 * decide a part when any landed on it; otherwise the facts of the step that
 * covers it, and a part no step covered is "not tested", never good.
 * Drawing is in mailpath_render.c.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connector.h"
#include "kb.h"
#include "mailpath.h"
#include "onpremcert.h"
#include "rules.h"

static const char *const titles[MP_COUNT] = {
	[MP_ONPREM] = "On-prem Exchange",
	[MP_SEND] = "Send connector",
	[MP_EDGE] = "Network edge",
	[MP_CONNECT] = "Port 25 out",
	[MP_INTERNET] = "DNS and blocklists",
	[MP_SESSION] = "SMTP session",
	[MP_EOP] = "Exchange Online",
	[MP_EXO] = "Exchange Online",
	[MP_RCONNECT] = "Connection",
	[MP_ENDPOINT] = "On-prem endpoint",
	[MP_RTLS] = "TLS handshake",
	[MP_RCERT] = "Certificate, name",
};

/*
 * Where the findings land, by id: exact ids first, then prefixes; the first
 * match wins, so every id lands on exactly one part. onprem.exo-will-fail is
 * moved to the stage that fails (see return_stage()).
 */
static const struct {
	const char *id;		/* an exact id, or a prefix ending in '.' or '-' */
	enum mailpath_part part;
} placement[] = {
	/* The connection and the session, between the edge and the endpoint. */
	{ "smtp.connect-failed", MP_CONNECT },
	{ "smtp.address-failed", MP_CONNECT },
	{ "smtp.not-probed", MP_CONNECT },
	{ "smtp.resolve-failed", MP_INTERNET },
	{ "smtp.timeout", MP_SESSION },
	{ "smtp.closed-early", MP_SESSION },
	{ "smtp.connection-reset", MP_SESSION },
	{ "smtp.reply-malformed", MP_SESSION },
	{ "smtp.reply-too-long", MP_SESSION },
	{ "smtp.banner-slow", MP_SESSION },
	{ "smtp.conversation-ok", MP_SESSION },
	/* What the server says about the address it sees. */
	{ "smtp.observed-ip", MP_EDGE },
	{ "smtp.observed-ip-unknown", MP_EDGE },
	{ "smtp.observed-ip-internal", MP_EDGE },
	/* Blocks for the address's reputation: the blocklist part. */
	{ "smtp.eop-blocked", MP_INTERNET },
	{ "smtp.spamhaus-blocked", MP_INTERNET },
	{ "cause.blocklisted-ip", MP_INTERNET },
	{ "cause.smtp-inspection", MP_EDGE },
	/* The receiving server's own receive connector. */
	{ "cause.receive-connector-certificate", MP_EOP },
	{ "cause.connector-not-used", MP_EOP },
	/* Why Exchange Online refuses the on-premises certificate. */
	{ "cause.onprem-", MP_RCERT },
	/* The on-premises side's connectors. */
	{ "connector.send-", MP_SEND },
	{ "connector.outbound-", MP_EXO },
	{ "onprem.exo-will-deliver", MP_RCERT },
	{ "onprem.exo-will-fail", MP_ENDPOINT },
	/* Whole families. */
	{ "smtp.", MP_EOP },
	{ "tls.", MP_EOP },
	{ "connector.", MP_EOP },
	{ "middlebox.", MP_EDGE },
	{ "compare.", MP_EDGE },
	{ "dnsbl.", MP_INTERNET },
	{ "dns.", MP_INTERNET },
	{ "onpremcert.", MP_ONPREM },
};

/* Among findings of equal status, these make the clearest fact, best first. */
static const char *const preferred[] = {
	"connector.ip-listed", "connector.cert-name-match", "tls.cert-valid", "dnsbl.clean", "dns.mx-eop",
	"smtp.observed-ip", "smtp.conversation-ok", "onpremcert.valid", "onpremcert.presented-accepted",
	"connector.send-tlscertname-ok", "connector.outbound-tlsdomain", NULL,
};

enum mailpath_part mailpath_part_of(const char *id)
{
	for (size_t i = 0; i < sizeof placement / sizeof placement[0]; i++) {
		const char *p = placement[i].id;
		size_t n = strlen(p);
		bool prefix = p[n - 1] == '.' || p[n - 1] == '-';

		if (prefix ? strncmp(id, p, n) == 0 : strcmp(id, p) == 0)
			return placement[i].part;
	}
	return MP_COUNT;
}

const char *mailpath_status_word(enum mailpath_status s)
{
	switch (s) {
	case MP_GOOD: return "OK";
	case MP_WARNING: return "WARN";
	case MP_FAILED: return "FAIL";
	case MP_NOT_TESTED: break;
	}
	return "NOT TESTED";
}

/* Worse first: failed, warning, not tested, good. */
static int rank(enum mailpath_status s)
{
	switch (s) {
	case MP_FAILED: return 3;
	case MP_WARNING: return 2;
	case MP_NOT_TESTED: return 1;
	case MP_GOOD: break;
	}
	return 0;
}

static enum mailpath_status status_of(enum severity sev)
{
	switch (sev) {
	case SEV_FAILURE: return MP_FAILED;
	case SEV_WARNING: return MP_WARNING;
	case SEV_UNTESTED: return MP_NOT_TESTED;
	case SEV_OK:
	case SEV_INFO: break;
	}
	return MP_GOOD;
}

/* printf into a fact, then keep it printable ASCII so its width is its length. */
__attribute__((format(printf, 3, 4)))
static void setf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
}

static void day(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, len, "?");
}

static bool is(const struct finding *f, const char *id)
{
	return strcmp(f->kb->id, id) == 0;
}

/* The text of s after the first occurrence of key, up to the first stop character. */
static void after(const char *s, const char *key, const char *stop, char *buf, size_t len)
{
	const char *p = s ? strstr(s, key) : NULL;

	buf[0] = '\0';
	if (p == NULL)
		return;
	p += strlen(key);
	snprintf(buf, len, "%.*s", (int)strcspn(p, stop), p);
}

/* The first certificate of a chain that is out of its dates at t, or -1. */
static int dated_out(const struct tls_facts *t, bool expired)
{
	for (size_t i = 0; i < t->nchain; i++) {
		const struct cert_facts *c = &t->chain[i];

		if (expired ? c->not_after != 0 && t->checked_at > c->not_after :
		    c->not_before != 0 && t->checked_at < c->not_before)
			return (int)i;
	}
	return -1;
}

static void fact_of(const struct finding *f, const struct diagnosis *d, const struct findings *fs,
    char *buf, size_t len);
static enum mailpath_part return_stage(const struct smtp_facts *f, char *buf, size_t len);

/* The fact of the first of these ids among the findings; false if none is there. */
static bool fact_of_first(const char *const *ids, const struct diagnosis *d, const struct findings *fs,
    char *buf, size_t len)
{
	for (size_t i = 0; ids[i] != NULL; i++) {
		const struct finding *f = findings_get(fs, ids[i]);

		if (f != NULL) {
			fact_of(f, d, fs, buf, len);
			return true;
		}
	}
	return false;
}

/* The outbound probe's TLS facts. */
static void tls_fact(const struct finding *f, const struct tls_facts *t, char *buf, size_t len)
{
	char when[16];
	int i;

	if (is(f, "tls.cert-expired") && (i = dated_out(t, true)) >= 0) {
		day(t->chain[i].not_after, when, sizeof when);
		setf(buf, len, "%s expired %s", i == 0 ? "certificate" : "intermediate", when);
	} else if (is(f, "tls.cert-not-yet-valid") && (i = dated_out(t, false)) >= 0) {
		day(t->chain[i].not_before, when, sizeof when);
		setf(buf, len, "certificate valid only from %s", when);
	} else if (is(f, "tls.cert-expiring") && t->nchain > 0) {
		day(t->chain[0].not_after, when, sizeof when);
		setf(buf, len, "certificate expires %s", when);
	} else if (is(f, "tls.cert-valid") && t->nchain > 0) {
		day(t->chain[0].not_after, when, sizeof when);
		setf(buf, len, "%s, certificate valid to %s", t->version, when);
	} else if (is(f, "tls.chain-incomplete")) {
		setf(buf, len, "intermediate certificate not sent");
	} else if (is(f, "tls.cert-name-mismatch")) {
		setf(buf, len, "certificate lacks %s", t->name_checked ? t->name_checked : "the name");
	} else if (is(f, "tls.cert-self-signed")) {
		setf(buf, len, "certificate is self-signed");
	} else if (is(f, "tls.untrusted-root")) {
		setf(buf, len, "certificate chains to an untrusted root");
	} else if (is(f, "tls.handshake-ok")) {
		setf(buf, len, "%s with %s", t->version, t->cipher);
	} else if (is(f, "tls.handshake-failed")) {
		setf(buf, len, "TLS handshake failed: %s", f->summary);
	} else {
		setf(buf, len, "%s", f->summary);
	}
}

/* The one short fact a finding stands for in the picture. */
static void fact_of(const struct finding *f, const struct diagnosis *d, const struct findings *fs,
    char *buf, size_t len)
{
	static const char *const signatures[] = { "middlebox.starttls-masked", "middlebox.starttls-stripped",
	    "middlebox.starttls-rejected", "middlebox.tls-broken", "middlebox.ehlo-blocked",
	    "middlebox.banner-masked", NULL };
	static const char *const listings[] = { "smtp.eop-blocked", "smtp.spamhaus-blocked", "dnsbl.listed",
	    "dnsbl.policy-listed", NULL };
	static const char *const unattributed[] = { "connector.ip-not-listed", "connector.cert-name-mismatch", NULL };
	const struct smtp_facts *s = &d->smtp;
	const char *id = f->kb->id;
	char part[128], when[16];

	if (strncmp(id, "tls.", 4) == 0) {
		tls_fact(f, &s->tls, buf, len);
	} else if (is(f, "cause.smtp-inspection")) {
		if (!fact_of_first(signatures, d, fs, buf, len))
			setf(buf, len, "SMTP inspection on a firewall");
	} else if (is(f, "cause.blocklisted-ip")) {
		if (!fact_of_first(listings, d, fs, buf, len))
			setf(buf, len, "the public IP is blocklisted");
	} else if (is(f, "cause.connector-not-used")) {
		if (!fact_of_first(unattributed, d, fs, buf, len))
			setf(buf, len, "inbound connector not matched");
	} else if (is(f, "cause.receive-connector-certificate")) {
		setf(buf, len, "no certificate for STARTTLS bound");
	} else if (is(f, "cause.onprem-cert-not-bound")) {
		setf(buf, len, "%s", d->onprem.tls.nchain > 0 && d->onprem.tls.chain[0].self_issued ?
		    "self-signed cert, not the hybrid" : "another cert than the hybrid one");
	} else if (strncmp(id, "cause.onprem-", 13) == 0) {
		/* The other causes of this part say what the verdict says. */
		return_stage(&d->onprem, buf, len);
	} else if (is(f, "middlebox.starttls-masked")) {
		after(f->summary, "250-", " ", part, sizeof part);
		setf(buf, len, "STARTTLS rewritten to %s", part[0] ? part : "X's");
	} else if (is(f, "middlebox.banner-masked")) {
		setf(buf, len, "greeting masked with asterisks");
	} else if (is(f, "middlebox.starttls-stripped")) {
		setf(buf, len, "STARTTLS stripped from EHLO reply");
	} else if (is(f, "middlebox.starttls-rejected")) {
		setf(buf, len, "STARTTLS offered, then refused %d", s->starttls.code);
	} else if (is(f, "middlebox.tls-broken")) {
		setf(buf, len, "TLS cut after 220 to STARTTLS");
	} else if (is(f, "middlebox.ehlo-blocked")) {
		setf(buf, len, "EHLO blocked, HELO worked");
	} else if (is(f, "smtp.observed-ip")) {
		if (strcmp(s->observed_ip, s->local_addr) != 0)
			setf(buf, len, "NAT to %s, no inspection", s->observed_ip);
		else
			setf(buf, len, "IP %s, no inspection seen", s->observed_ip);
	} else if (is(f, "smtp.observed-ip-unknown")) {
		setf(buf, len, "public IP not named by the server");
	} else if (is(f, "smtp.observed-ip-internal")) {
		setf(buf, len, "inside the NAT: server sees %s", s->observed_ip);
	} else if (is(f, "smtp.connect-failed") && s->nattempts > 0) {
		setf(buf, len, "port %u: %s", s->port, connect_result_name(s->attempts[0].result));
	} else if (is(f, "smtp.conversation-ok")) {
		setf(buf, len, "session completed in %lld ms", (long long)s->total_ms);
	} else if (is(f, "smtp.starttls-missing")) {
		setf(buf, len, "no STARTTLS in the EHLO reply");
	} else if (is(f, "smtp.starttls-offered")) {
		setf(buf, len, "STARTTLS offered");
	} else if (is(f, "smtp.eop-blocked")) {
		after(f->summary, "sending IP: ", "", part, sizeof part);
		setf(buf, len, "EOP refuses %s: %s", d->bl.ip[0] ? d->bl.ip : "the IP", part);
	} else if (is(f, "dnsbl.listed") || is(f, "dnsbl.policy-listed")) {
		char ip[64];

		after(f->summary, "", " ", ip, sizeof ip);
		after(f->summary, " listed on ", "(", part, sizeof part);
		setf(buf, len, "%s listed on %s", ip, part);
		if (len > 1 && buf[strlen(buf) - 1] == ' ')
			buf[strlen(buf) - 1] = '\0';
	} else if (is(f, "dnsbl.clean")) {
		setf(buf, len, "%s on no blocklist", d->bl.ip[0] ? d->bl.ip : "the IP");
	} else if (is(f, "dns.mx-legacy")) {
		setf(buf, len, "MX is a retired Microsoft host");
	} else if (is(f, "dns.mx-missing")) {
		setf(buf, len, "the domain has no MX record");
	} else if (is(f, "smtp.banner-rejected")) {
		setf(buf, len, "greeting %d %s", s->banner.code, s->banner.nlines ? s->banner.lines[0] : "");
	} else if (is(f, "dns.mx-eop")) {
		setf(buf, len, "MX points to Exchange Online");
	} else if (is(f, "connector.ip-listed")) {
		after(f->summary, "", " ", part, sizeof part);
		setf(buf, len, "connector matched by IP %s", part);
	} else if (is(f, "connector.ip-not-listed")) {
		after(f->summary, "", " ", part, sizeof part);
		setf(buf, len, "%s not in SenderIPAddresses", part);
	} else if (is(f, "connector.cert-name-match")) {
		setf(buf, len, "connector matched by certificate");
	} else if (is(f, "connector.cert-name-mismatch")) {
		setf(buf, len, "certificate not TlsSenderCertificateName");
	} else if (is(f, "connector.outbound-tlsdomain")) {
		after(f->summary, " requires ", "", part, sizeof part);
		setf(buf, len, "connector requires %s", part);
	} else if (is(f, "connector.outbound-not-validating")) {
		after(f->summary, " has TlsSettings ", "", part, sizeof part);
		setf(buf, len, "TlsSettings %s: no name check", part);
	} else if (is(f, "connector.send-tlscertname-ok")) {
		setf(buf, len, "TlsCertificateName matches");
	} else if (is(f, "connector.send-tlscertname-mismatch")) {
		setf(buf, len, "TlsCertificateName wrong");
	} else if (is(f, "connector.send-ignore-starttls")) {
		setf(buf, len, "IgnoreSTARTTLS is True");
	} else if (d->cert != NULL && is(f, "onpremcert.valid")) {
		day(d->cert->leaf.not_after, when, sizeof when);
		setf(buf, len, "certificate valid to %s", when);
	} else if (d->cert != NULL && is(f, "onpremcert.expired")) {
		day(d->cert->leaf.not_after, when, sizeof when);
		setf(buf, len, "certificate expired %s", when);
	} else if (d->cert != NULL && is(f, "onpremcert.expiring")) {
		day(d->cert->leaf.not_after, when, sizeof when);
		setf(buf, len, "certificate expires %s", when);
	} else if (is(f, "onpremcert.chain-incomplete")) {
		setf(buf, len, "intermediate missing from the file");
	} else if (is(f, "onpremcert.presented-accepted")) {
		setf(buf, len, "client certificate accepted");
	} else if (is(f, "onpremcert.presented-rejected")) {
		setf(buf, len, "client certificate refused");
	} else {
		setf(buf, len, "%s", f->summary ? f->summary : f->kb->title);
	}
}

/*
 * The return direction, Exchange Online delivering to the on-premises
 * endpoint, judged stage by stage from the probe's facts in the order
 * Exchange Online meets them (the order rules_onprem() uses). Returns the
 * part that fails, with its fact, or MP_COUNT when every stage passes.
 */
static enum mailpath_part return_stage(const struct smtp_facts *f, char *buf, size_t len)
{
	const struct tls_facts *t = &f->tls;
	enum onprem_stop stop = rules_onprem_stop(f);
	int i = rules_onprem_cert(f, stop);
	char when[16];

	switch (stop) {
	case ONPREM_RESOLVE:
		setf(buf, len, "%s does not resolve", f->host ? f->host : "the name");
		return MP_RCONNECT;
	case ONPREM_CONNECT:
		setf(buf, len, "port %u: %s", f->port,
		    f->nattempts ? connect_result_name(f->attempts[0].result) : "no connection");
		return MP_RCONNECT;
	case ONPREM_CUT:
		setf(buf, len, "%s during %s", f->end == END_TIMEOUT ? "timed out" : "cut off",
		    phase_name(f->end_phase));
		return f->end_phase <= PHASE_BANNER ? MP_RCONNECT :
		    f->end_phase == PHASE_HANDSHAKE ? MP_RTLS : MP_ENDPOINT;
	case ONPREM_GREETING:
		setf(buf, len, "greeting %d, not 220", f->banner.code);
		return MP_ENDPOINT;
	case ONPREM_STARTTLS:
		if (f->starttls_offered)
			setf(buf, len, "STARTTLS answered %d", f->starttls.code);
		else
			setf(buf, len, "no STARTTLS in the EHLO reply");
		return MP_ENDPOINT;
	case ONPREM_HANDSHAKE:
		if (t->legacy_only)
			setf(buf, len, "only %s works", t->legacy_version);
		else
			setf(buf, len, "handshake failed: %s", t->error ? t->error : "?");
		return MP_RTLS;
	case ONPREM_CHAIN_INCOMPLETE:
		setf(buf, len, "intermediate certificate not sent");
		return MP_RCERT;
	case ONPREM_EXPIRED:
	case ONPREM_NOT_YET_VALID:
		if (i < 0) {
			setf(buf, len, "certificate out of its dates");
		} else if (stop == ONPREM_EXPIRED) {
			day(t->chain[i].not_after, when, sizeof when);
			setf(buf, len, "%s expired %s", i == 0 ? "certificate" : "intermediate", when);
		} else {
			day(t->chain[i].not_before, when, sizeof when);
			setf(buf, len, "%s valid only from %s", i == 0 ? "certificate" : "intermediate", when);
		}
		return MP_RCERT;
	case ONPREM_NAME:
		setf(buf, len, "certificate lacks %s", t->name_checked ? t->name_checked : "the name");
		return MP_RCERT;
	case ONPREM_UNTRUSTED:
		setf(buf, len, "chain does not verify: %s", t->nverr ? t->verr[0].text : "?");
		return MP_RCERT;
	case ONPREM_DELIVERS:
		break;
	}
	return MP_COUNT;
}

/* The fact of a return-direction part that passed. */
static void return_good(enum mailpath_part p, const struct smtp_facts *f, char *buf, size_t len)
{
	switch (p) {
	case MP_RCONNECT:
		setf(buf, len, "%s port %u answered", f->connected_addr, f->port);
		break;
	case MP_ENDPOINT:
		setf(buf, len, "STARTTLS offered");
		break;
	case MP_RTLS:
		setf(buf, len, "%s handshake completed", f->tls.version);
		break;
	default:
		setf(buf, len, "carries %s, trusted", f->tls_name ? f->tls_name : f->host);
		break;
	}
}

/* The on-premises Send connector among the exports, or NULL. */
static const struct connector *send_connector(const struct diagnosis *d)
{
	for (size_t i = 0; i < d->nconnectors; i++)
		for (size_t k = 0; k < d->connectors[i].n; k++)
			if (d->connectors[i].v[k].kind == CONNECTOR_ONPREM_SEND)
				return &d->connectors[i].v[k];
	return NULL;
}

/* Status and fact of a part no finding landed on: from the facts, or not tested. */
static void baseline(struct mailpath_hop *h, const struct diagnosis *d)
{
	const struct smtp_facts *s = &d->smtp;

	h->status = MP_NOT_TESTED;
	switch (h->part) {
	case MP_ONPREM:
		setf(h->fact, sizeof h->fact, "no certificate given (--cert)");
		break;
	case MP_SEND: {
		const struct connector *c = send_connector(d);

		if (c != NULL && c->ignore_starttls == 0) {
			h->status = MP_GOOD;
			setf(h->fact, sizeof h->fact, "Send connector uses TLS");
		} else {
			setf(h->fact, sizeof h->fact, c ? "certificate unchecked" :
			    "no Send connector given");
		}
		break;
	}
	case MP_EXO:
		setf(h->fact, sizeof h->fact, "no outbound connector given");
		break;
	case MP_INTERNET:
		setf(h->fact, sizeof h->fact, "DNS and blocklist steps not run");
		break;
	case MP_CONNECT:
		if (d->has_smtp && s->connected_addr[0]) {
			h->status = MP_GOOD;
			setf(h->fact, sizeof h->fact, "%s port %u answered", s->connected_addr, s->port);
		} else {
			setf(h->fact, sizeof h->fact, d->has_smtp ? "no connection made" : "SMTP step not run");
		}
		break;
	case MP_SESSION:
		if (d->has_smtp && s->banner.code != 0) {
			h->status = MP_GOOD;
			setf(h->fact, sizeof h->fact, "greeting %d after %lld ms", s->banner.code,
			    (long long)s->banner.ms);
		} else {
			setf(h->fact, sizeof h->fact, d->has_smtp ? "no greeting" : "SMTP step not run");
		}
		break;
	case MP_EDGE:
		setf(h->fact, sizeof h->fact, d->has_smtp ? "no EHLO reply to judge" : "SMTP step not run");
		break;
	case MP_EOP:
		setf(h->fact, sizeof h->fact, d->has_smtp ? "not reached" : "SMTP step not run");
		break;
	case MP_RCONNECT:
	case MP_ENDPOINT:
	case MP_RTLS:
	case MP_RCERT:
		if (!d->has_onprem) {
			setf(h->fact, sizeof h->fact, "not probed (--onprem)");
		} else {
			enum mailpath_part fail = return_stage(&d->onprem, h->fact, sizeof h->fact);

			if (h->part < fail) {
				h->status = MP_GOOD;
				return_good(h->part, &d->onprem, h->fact, sizeof h->fact);
			} else if (h->part == fail) {
				h->status = MP_FAILED;
			} else {
				setf(h->fact, sizeof h->fact, "not reached");
			}
		}
		break;
	case MP_COUNT:
		break;
	}
}

static int pref(const char *id)
{
	for (int i = 0; preferred[i] != NULL; i++)
		if (strcmp(preferred[i], id) == 0)
			return i;
	return 1000;
}

/* Status, fact and root of a part from the findings that landed on it. */
static void decide(struct mailpath_hop *h, const struct diagnosis *d, const struct findings *fs)
{
	const struct finding *best = NULL;

	if (h->nfindings == 0) {
		baseline(h, d);
		return;
	}
	h->status = MP_GOOD;
	for (size_t k = 0; k < h->nfindings; k++) {
		const struct finding *f = &fs->v[h->findings[k]];
		enum mailpath_status st = status_of(f->sev);

		h->root = h->root || f->root;
		if (rank(st) > rank(h->status))
			h->status = st;
	}
	/* The deciding finding: of the part's status, a root first, then the preferred, then the first. */
	for (size_t k = 0; k < h->nfindings; k++) {
		const struct finding *f = &fs->v[h->findings[k]];

		if (status_of(f->sev) != h->status && !f->root)
			continue;
		if (best == NULL || (f->root && !best->root) ||
		    (f->root == best->root && pref(f->kb->id) < pref(best->kb->id)))
			best = f;
	}
	if (h->part == MP_RCONNECT || h->part == MP_ENDPOINT || h->part == MP_RTLS || h->part == MP_RCERT) {
		if (is(best, "onprem.exo-will-fail") && d->has_onprem) {
			return_stage(&d->onprem, h->fact, sizeof h->fact);
			return;
		}
		if (is(best, "onprem.exo-will-deliver") && d->has_onprem) {
			return_good(h->part, &d->onprem, h->fact, sizeof h->fact);
			return;
		}
	}
	fact_of(best, d, fs, h->fact, sizeof h->fact);
}

static bool add_index(struct mailpath_hop *h, size_t i)
{
	size_t *v = realloc(h->findings, (h->nfindings + 1) * sizeof *v);

	if (v == NULL)
		return false;
	v[h->nfindings++] = i;
	h->findings = v;
	return true;
}

static bool probed_eop(const struct smtp_facts *s)
{
	return s->host == NULL || strstr(s->host, "outlook.com") != NULL;
}

bool mailpath_build(struct mailpath *mp, const struct diagnosis *d, const struct findings *fs)
{
	enum mailpath_part failed = MP_COUNT, warned = MP_COUNT;
	int nfailed = 0;
	char scratch[8];

	memset(mp, 0, sizeof *mp);
	for (int p = 0; p < MP_COUNT; p++) {
		mp->hop[p].part = (enum mailpath_part)p;
		mp->hop[p].arrow = p == MP_SEND || p == MP_CONNECT || p == MP_SESSION || p == MP_RCONNECT ||
		    p == MP_RTLS;
		mp->hop[p].title = titles[p];
	}
	if (d->has_smtp && !probed_eop(&d->smtp))
		mp->hop[MP_EOP].title = "Server probed";

	for (size_t i = 0; i < fs->n; i++) {
		enum mailpath_part p = mailpath_part_of(fs->v[i].kb->id);

		if (p == MP_COUNT)
			p = MP_EOP;	/* unreachable while the placement test passes */
		/* Exchange Online's verdict lands on the stage that fails. */
		if (is(&fs->v[i], "onprem.exo-will-fail") && d->has_onprem) {
			p = return_stage(&d->onprem, scratch, sizeof scratch);
			if (p == MP_COUNT)
				p = MP_RCERT;
		}
		if (!add_index(&mp->hop[p], i)) {
			mailpath_free(mp);
			return false;
		}
	}
	mp->focus = MP_COUNT;
	for (int p = 0; p < MP_COUNT; p++) {
		struct mailpath_hop *h = &mp->hop[p];

		decide(h, d, fs);
		if (h->root && mp->focus == MP_COUNT)
			mp->focus = h->part;
		if (h->status == MP_FAILED && nfailed++ == 0)
			failed = h->part;
		if (h->status == MP_WARNING && warned == MP_COUNT)
			warned = h->part;
	}
	mp->focus_marked = mp->focus != MP_COUNT || nfailed == 1;
	if (mp->focus == MP_COUNT)
		mp->focus = failed != MP_COUNT ? failed : warned != MP_COUNT ? warned : MP_ONPREM;
	return true;
}

void mailpath_free(struct mailpath *mp)
{
	if (mp == NULL)
		return;
	for (int p = 0; p < MP_COUNT; p++) {
		free(mp->hop[p].findings);
		mp->hop[p].findings = NULL;
		mp->hop[p].nfindings = 0;
	}
}

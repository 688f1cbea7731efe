/*
 * The body of each step: what the probes saw, drawn from the facts (the
 * transcript as it happens, the chain, the zones, the connectors, the
 * records). The evidence of the finding selected below is highlighted.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "connector.h"
#include "kb.h"
#include "mailpath.h"
#include "onpremcert.h"
#include "report.h"
#include "spf.h"
#include "term.h"
#include "ui.h"

size_t step_findings(const struct wiz *w, enum step st, size_t *idx, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < w->s.fs.n && n < cap; i++)
		if (st == STEP_SUMMARY || step_of_finding(&w->s.fs.v[i]) == st)
			idx[n++] = i;
	return n;
}

/* The finding whose evidence is highlighted: the one selected in the list. */
static const struct finding *selected(const struct wiz *w)
{
	size_t idx[512], n = step_findings(w, w->step, idx, 512);

	return w->focus_list && w->sel < n ? &w->s.fs.v[idx[w->sel]] : NULL;
}

/* A transcript line is evidence when a line of the finding's evidence quotes it, or it quotes one. */
static bool is_evidence(const struct finding *f, const char *text)
{
	size_t tl = strlen(text);

	if (f == NULL || tl < 3)
		return false;
	for (size_t i = 0; i < f->nevidence; i++) {
		const char *e = f->evidence[i], *core = strstr(e, ": ");

		if (strstr(e, text) != NULL)
			return true;
		core = core ? core + 2 : e;
		if (strlen(core) >= 3 && strstr(text, core) != NULL)
			return true;
	}
	return false;
}

static void transcript(struct tview *tv, const struct transcript *tr, const struct finding *f)
{
	for (size_t i = 0; i < tr->n; i++) {
		const struct tline *l = &tr->v[i];
		enum role r = l->dir == TDIR_SENT ? ROLE_SENT : l->dir == TDIR_NOTE ? ROLE_NOTE : ROLE_RECV;

		if (l->dir != TDIR_NOTE && is_evidence(f, l->text))
			r = ROLE_EVIDENCE;
		tview_add(tv, r, "%7.3f %s %s", l->t_ms / 1000.0, report_dir_marker(l->dir, l->tls), l->text);
	}
}

static const char *date(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, len, "?");
	return buf;
}

static void smtp_body(struct wiz *w, struct tview *tv, const struct smtp_facts *f, const char *note)
{
	if (note != NULL)
		tview_add(tv, ROLE_NORMAL, "Probed: %s", note);
	if (f == NULL)
		return;
	if (f->connected_addr[0] != '\0')
		tview_add(tv, ROLE_NORMAL, "Connected to %s port %u from %s", f->connected_addr, f->port,
		    f->local_addr[0] ? f->local_addr : "?");
	else if (f->end != END_NONE)
		tview_add(tv, ROLE_FAIL, "No connection: %s%s%s", smtp_end_name(f->end),
		    f->end_detail ? ", " : "", f->end_detail ? f->end_detail : "");
	if (f->ehlo_sent || f->banner.code != 0)
		tview_add(tv, f->starttls_offered ? ROLE_OK : ROLE_FAIL, "STARTTLS offered: %s",
		    f->starttls_offered ? "yes" : "no");
	if (f->observed_ip[0] != '\0')
		tview_add(tv, ROLE_HEAD, "The IP the server sees: %s", f->observed_ip);
	else if (f->ehlo.code != 0)
		tview_add(tv, ROLE_DIM, "The IP the server sees: not named in its EHLO reply");
	if (f->envelope_asked)
		tview_add(tv, ROLE_NORMAL, "Envelope test: MAIL FROM %d, RCPT TO %d in plaintext; %d, %d inside TLS",
		    f->mail_plain.code, f->rcpt_plain.code, f->mail_tls.code, f->rcpt_tls.code);
	else if (f->end != END_NONE && !w->s.replay)
		tview_add(tv, ROLE_DIM, "e: test the envelope too (MAIL FROM and RCPT TO, never DATA; asks first)");
	tview_add(tv, ROLE_NORMAL, "%s", "");
	tview_add(tv, ROLE_HEAD, "Transcript (-> sent, <- received, ~> <~ inside TLS, ** what happened)");
	transcript(tv, &f->tr, selected(w));
}

static void cert_lines(struct tview *tv, const struct cert_facts *c, size_t depth)
{
	char a[32], b[32];

	tview_add(tv, ROLE_HEAD, "#%zu %s", depth, c->subject ? c->subject : "?");
	tview_add(tv, ROLE_NORMAL, "   issuer  %s", c->issuer ? c->issuer : "?");
	tview_add(tv, ROLE_NORMAL, "   valid   %s to %s   key %s %d   %s", date(c->not_before, a, sizeof a),
	    date(c->not_after, b, sizeof b), c->key_type, c->key_bits, c->sig_alg);
	for (size_t i = 0; i < c->nsan && i < 8; i++)
		tview_add(tv, ROLE_DIM, "   %s", c->san[i]);
	if (c->nsan > 8)
		tview_add(tv, ROLE_DIM, "   ... %zu more names", c->nsan - 8);
}

static void tls_body(struct tview *tv, const struct smtp_facts *f)
{
	const struct tls_facts *t;

	if (f == NULL)
		return;
	t = &f->tls;
	if (f->starttls.code != 0)
		tview_add(tv, ROLE_NORMAL, "STARTTLS answered %d %s", f->starttls.code,
		    f->starttls.nlines ? f->starttls.lines[0] : "");
	else if (!f->starttls_offered && f->ehlo.code != 0)
		tview_add(tv, ROLE_FAIL, "STARTTLS was not offered: no TLS to look at");
	if (!t->attempted)
		return;
	if (t->ok)
		tview_add(tv, ROLE_OK, "TLS: %s, %s, handshake %lld ms", t->version, t->cipher, (long long)t->ms);
	else
		tview_add(tv, ROLE_FAIL, "TLS handshake failed: %s", t->error ? t->error : "?");
	if (t->legacy_only)
		tview_add(tv, ROLE_WARN, "Only %s worked (TLS 1.2 and later failed)", t->legacy_version);
	if (t->nchain > 0) {
		tview_add(tv, t->verified ? ROLE_OK : ROLE_FAIL, "Chain %s against the %s trust store",
		    t->verified ? "verified" : "NOT verified", t->trust_store ? t->trust_store : "system");
		for (size_t i = 0; i < t->nverr; i++)
			tview_add(tv, ROLE_FAIL, "   depth %d: %s", t->verr[i].depth, t->verr[i].text);
		if (t->name != NAME_NOT_CHECKED)
			tview_add(tv, t->name == NAME_MATCH ? ROLE_OK : ROLE_FAIL, "Name %s: %s",
			    t->name_checked ? t->name_checked : "?",
			    t->name == NAME_MATCH ? "on the certificate" : "NOT on the certificate");
		tview_add(tv, ROLE_NORMAL, "%s", "");
		tview_add(tv, ROLE_HEAD, "The chain as the server sent it (leaf first)");
		for (size_t i = 0; i < t->nchain; i++)
			cert_lines(tv, &t->chain[i], i);
	}
}

static void blocklist_body(struct tview *tv, const struct diagnosis *d)
{
	size_t listed = 0;

	if (!d->has_dnsbl) {
		tview_add(tv, ROLE_DIM, "Needs the public IP: the one the server names in its EHLO reply, or one given.");
		return;
	}
	for (size_t i = 0; i < d->bl.n; i++)
		listed += d->bl.v[i].a.status == DNS_OK && d->bl.v[i].a.n > 0;
	tview_add(tv, ROLE_HEAD, "%s on %zu zones: %zu answered with a listing code", d->bl.ip, d->bl.n, listed);
	if (d->ip_source != NULL)
		tview_add(tv, ROLE_DIM, "The IP: %s", d->ip_source);
	tview_add(tv, ROLE_NORMAL, "%s", "");
	for (size_t i = 0; i < d->bl.n; i++) {
		const struct dnsbl_result *r = &d->bl.v[i];
		enum role role = r->a.status == DNS_OK && r->a.n > 0 ? ROLE_FAIL :
		    r->a.status == DNS_NXDOMAIN ? ROLE_OK : ROLE_UNTESTED;

		if (r->skipped) {
			tview_add(tv, ROLE_DIM, "%-28s skipped (no IPv6 list)", r->id);
			continue;
		}
		tview_add(tv, role, "%-28s %s%s%s", r->id,
		    r->a.status == DNS_NXDOMAIN ? "not listed" : dns_status_name(r->a.status),
		    r->a.n > 0 ? " " : "", r->a.n > 0 ? r->a.rr[0].text : "");
		if (r->txt.n > 0)
			tview_add(tv, ROLE_DIM, "   %s", r->txt.rr[0].text);
	}
}

static void list_line(struct tview *tv, const char *name, const struct connector_list *l)
{
	char line[512];
	size_t len = 0;

	if (!l->present)
		return;
	line[0] = '\0';
	for (size_t i = 0; i < l->n && len < sizeof line - 4; i++)
		len += snprintf(line + len, sizeof line - len, "%s%s", i ? ", " : "", l->v[i]);
	tview_add(tv, ROLE_NORMAL, "   %-26s %s", name, l->n ? line : "(empty)");
}

static void connector_body(struct tview *tv, const struct diagnosis *d)
{
	char a[32], b[32];

	if (d->nconnectors == 0 && d->nconnector_errors == 0 && d->cert == NULL && d->cert_error == NULL) {
		tview_add(tv, ROLE_DIM, "No connector export and no certificate were given. On the first screen name");
		tview_add(tv, ROLE_DIM, "an export: Get-InboundConnector | ConvertTo-Json -Depth 5 > inbound.json");
		tview_add(tv, ROLE_DIM, "or press e to type the connector's sender IPs and certificate name.");
		return;
	}
	for (size_t i = 0; i < d->nconnector_errors; i++)
		tview_add(tv, ROLE_FAIL, "%s", d->connector_errors[i]);
	for (size_t i = 0; i < d->nconnectors; i++) {
		const struct connector_set *set = &d->connectors[i];

		tview_add(tv, ROLE_HEAD, "%s: %s, %s", i < d->nconnectors && d->connector_files ?
		    d->connector_files[i] : "?", set->format ? set->format : "?",
		    set->encoding ? set->encoding : "?");
		for (size_t k = 0; k < set->n; k++) {
			const struct connector *c = &set->v[k];

			tview_add(tv, ROLE_NORMAL, " %s (%s)%s", c->name ? c->name : "?",
			    connector_kind_name(c->kind), c->enabled == 0 ? ", disabled" : "");
			list_line(tv, "SenderIPAddresses", &c->sender_ip_addresses);
			if (c->tls_sender_certificate_name != NULL)
				tview_add(tv, ROLE_NORMAL, "   %-26s %s", "TlsSenderCertificateName",
				    c->tls_sender_certificate_name);
			list_line(tv, "SmartHosts", &c->smart_hosts);
			if (c->tls_domain != NULL)
				tview_add(tv, ROLE_NORMAL, "   %-26s %s", "TlsDomain", c->tls_domain);
			if (c->tls_certificate_name != NULL)
				tview_add(tv, ROLE_NORMAL, "   %-26s %s", "TlsCertificateName", c->tls_certificate_name);
		}
	}
	if (d->cert_error != NULL)
		tview_add(tv, ROLE_FAIL, "Certificate: %s", d->cert_error);
	if (d->cert != NULL) {
		tview_add(tv, ROLE_NORMAL, "%s", "");
		tview_add(tv, ROLE_HEAD, "On-premises certificate %s (%s)", d->cert->source ? d->cert->source : "",
		    d->cert->format);
		tview_add(tv, ROLE_NORMAL, "   subject  %s", d->cert->leaf.subject ? d->cert->leaf.subject : "?");
		tview_add(tv, ROLE_NORMAL, "   issuer   %s", d->cert->leaf.issuer ? d->cert->leaf.issuer : "?");
		tview_add(tv, ROLE_NORMAL, "   valid    %s to %s", date(d->cert->leaf.not_before, a, sizeof a),
		    date(d->cert->leaf.not_after, b, sizeof b));
		if (d->cert->tls_certificate_name != NULL)
			tview_add(tv, ROLE_NORMAL, "   TlsCertificateName %s", d->cert->tls_certificate_name);
		tview_add(tv, d->cert->key_present && d->cert->key_matches ? ROLE_OK : ROLE_WARN, "   private key %s",
		    !d->cert->key_present ? "not in the file" : d->cert->key_matches ? "present, matches" :
		    "present, does NOT match");
	}
	if (diagnosis_public_ip(d) != NULL)
		tview_add(tv, ROLE_DIM, "Public IP compared: %s", diagnosis_public_ip(d));
	else if (d->smtp.observed_ip[0] != '\0')
		tview_add(tv, ROLE_WARN, "Public IP not known: the server sees %s, a private address (press i "
		    "to type the public one)", d->smtp.observed_ip);
}

static void answer_line(struct tview *tv, const char *label, const struct dns_answer *a)
{
	enum role r = a->status == DNS_OK ? ROLE_NORMAL : a->status == DNS_NXDOMAIN ||
	    a->status == DNS_NODATA ? ROLE_DIM : ROLE_FAIL;

	if (a->status != DNS_OK || a->n == 0) {
		tview_add(tv, r, "%-22s %s", label, dns_status_name(a->status));
		return;
	}
	for (size_t i = 0; i < a->n; i++)
		tview_add(tv, r, "%-22s %s", i == 0 ? label : "", a->rr[i].text ? a->rr[i].text : "");
}

static void dns_body(struct tview *tv, const struct diagnosis *d)
{
	const struct dns_facts *f = &d->dns;

	if (!d->has_dns) {
		tview_add(tv, ROLE_DIM, "The records of a domain: give the tenant domain, not a host, to see them.");
		return;
	}
	tview_add(tv, ROLE_HEAD, "Records of %s", f->domain ? f->domain : "?");
	for (int r = 0; r < REC_COUNT; r++)
		if (f->asked[r])
			answer_line(tv, dns_rec_label(r), &f->rec[r]);
	if (f->tlsa_host != NULL)
		answer_line(tv, "TLSA of the MX", &f->tlsa);
	if (f->ip[0] != '\0') {
		tview_add(tv, ROLE_NORMAL, "%s", "");
		tview_add(tv, ROLE_HEAD, "The public IP %s", f->ip);
		answer_line(tv, "PTR", &f->ptr);
		if (f->ptr_fwd.name != NULL)
			answer_line(tv, "PTR name's address", &f->ptr_fwd);
		if (f->spf_evaluated)
			tview_add(tv, ROLE_NORMAL, "%-22s %s %s", "SPF for this IP", spf_result_name(f->spf_result),
			    f->spf_matched);
	}
}

/* The mail path, as the reports draw it, at the width of the screen. */
static void path_picture(struct wiz *w, struct tview *tv, int width)
{
	struct diagnosis v;
	struct mailpath mp;
	struct mailpath_render r;

	session_view(&w->s, &v);
	if (!v.has_smtp && !v.has_onprem)
		return;
	if (!mailpath_build(&mp, &v, &w->s.fs))
		return;
	if (mailpath_render(&mp, width, term_caps.utf8 ? MAILPATH_UTF8 : MAILPATH_ASCII, &r)) {
		tview_add(tv, ROLE_NORMAL, "%s", "");
		for (size_t i = 0; i < r.nlines; i++)
			tview_add(tv, ROLE_NORMAL, "%s", r.lines[i]);
		mailpath_render_free(&r);
	}
	mailpath_free(&mp);
}

static void summary_body(struct wiz *w, struct tview *tv, int width)
{
	size_t count[5] = { 0 }, roots = 0;

	for (size_t i = 0; i < w->s.fs.n; i++) {
		count[w->s.fs.v[i].sev]++;
		roots += w->s.fs.v[i].root;
	}
	tview_add(tv, ROLE_HEAD, "%s", w->s.source ? w->s.source : "");
	tview_add(tv, ROLE_NORMAL, "%zu root cause%s, %zu failure%s, %zu warning%s, %zu could not be tested, %zu ok",
	    roots, roots == 1 ? "" : "s", count[SEV_FAILURE], count[SEV_FAILURE] == 1 ? "" : "s",
	    count[SEV_WARNING], count[SEV_WARNING] == 1 ? "" : "s", count[SEV_UNTESTED],
	    count[SEV_OK] + count[SEV_INFO]);
	for (size_t i = 0; i < w->s.fs.n; i++)
		if (w->s.fs.v[i].root) {
			char line[600];

			snprintf(line, sizeof line, "ROOT CAUSE: %s", w->s.fs.v[i].summary ? w->s.fs.v[i].summary :
			    w->s.fs.v[i].kb->title);
			tview_wrap(tv, ROLE_ROOT, width, 1, line);
		}
	tview_add(tv, ROLE_DIM, "p opens the picture to point at a part; x exports the report; s saves the capture.");
	path_picture(w, tv, width);
}

void content_build(struct wiz *w, struct tview *tv, enum step st, int width)
{
	struct diagnosis v;
	enum step_state state = session_state(&w->s, st);

	tview_clear(tv);
	session_view(&w->s, &v);
	if (state == ST_WAITING)
		tview_add(tv, ROLE_DIM, "%s", st == STEP_SMTP || st == STEP_TLS ? "Waiting for the MX lookup..." :
		    st == STEP_BLOCKLIST ? "Waiting for the public IP the server names..." :
		    "Waiting for the other steps...");
	else if (state == ST_CANCELLED)
		tview_add(tv, ROLE_WARN, "Cancelled. Press r to run this step again.");
	switch (st) {
	case STEP_SMTP:
		smtp_body(w, tv, session_smtp(&w->s, false), v.probe_note);
		break;
	case STEP_TLS:
		tls_body(tv, session_smtp(&w->s, false));
		break;
	case STEP_BLOCKLIST:
		blocklist_body(tv, &v);
		break;
	case STEP_CONNECTOR:
		connector_body(tv, &v);
		break;
	case STEP_ONPREM:
		if (v.onprem_note == NULL && session_smtp(&w->s, true) == NULL)
			tview_add(tv, ROLE_DIM, "Name the on-premises public host on the first screen (or give the "
			    "outbound connector's export) to test Exchange Online's side.");
		smtp_body(w, tv, session_smtp(&w->s, true), v.onprem_note);
		break;
	case STEP_DNS:
		dns_body(tv, &v);
		break;
	default:
		summary_body(w, tv, width);
		break;
	}
}

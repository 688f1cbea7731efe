#include "config.h"

#include <string.h>
#include <time.h>

#include "connector.h"
#include "kb.h"
#include "mailpath.h"
#include "onpremcert.h"
#include "spf.h"
#include "report.h"

const char *report_dir_marker(enum tdir dir, bool tls)
{
	switch (dir) {
	case TDIR_SENT: return tls ? "~>" : "->";
	case TDIR_RECV: return tls ? "<~" : "<-";
	case TDIR_NOTE: return "**";
	}
	return "??";
}

void report_transcript(FILE *out, const struct transcript *tr)
{
	for (size_t i = 0; i < tr->n; i++) {
		const struct tline *l = &tr->v[i];

		fprintf(out, "  %4lld.%03lld  %s %s\n", (long long)(l->t_ms / 1000),
		    (long long)(l->t_ms % 1000), report_dir_marker(l->dir, l->tls), l->text);
	}
}

/* Print text wrapped at width, every line indented; "\n" starts a paragraph. */
static void wrap(FILE *out, const char *text, int indent, int width)
{
	const char *p = text;
	int col = 0;

	while (*p) {
		size_t word = strcspn(p, " \n");

		if (col == 0) {
			fprintf(out, "%*s", indent, "");
			col = indent;
		} else if (col + 1 + (int)word > width) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, word, out);
		col += (int)word;
		p += word;
		if (*p == '\n') {
			fputc('\n', out);
			col = 0;
			p++;
		}
		while (*p == ' ')
			p++;
	}
	if (col != 0)
		fputc('\n', out);
}

static void date_str(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "?");
}

static void report_tls(FILE *out, const struct tls_facts *t)
{
	if (!t->attempted)
		return;
	fprintf(out, "\nTLS\n");
	if (t->ok)
		fprintf(out, "  %s, %s; handshake %lld ms\n", t->version, t->cipher, (long long)t->ms);
	else
		fprintf(out, "  handshake failed: %s\n", t->error ? t->error : "?");
	if (t->legacy_only)
		fprintf(out, "  a retry allowing TLS 1.0/1.1 completed with %s\n", t->legacy_version);
	if (t->nchain == 0)
		return;
	fprintf(out, "  certificate chain as sent (%zu), verified against %s: %s\n", t->nchain,
	    t->trust_store ? t->trust_store : "?", t->verified ? "yes" : "NO");
	for (size_t i = 0; i < t->nchain; i++) {
		const struct cert_facts *c = &t->chain[i];
		char nb[40], na[40];

		date_str(c->not_before, nb, sizeof nb);
		date_str(c->not_after, na, sizeof na);
		fprintf(out, "  [%zu] subject  %s\n", i, c->subject);
		fprintf(out, "      issuer   %s\n", c->issuer);
		fprintf(out, "      valid    %s to %s\n", nb, na);
		if (c->nsan > 0) {
			fprintf(out, "      names   ");
			for (size_t j = 0; j < c->nsan; j++)
				fprintf(out, "%s %s", j ? "," : "", c->san[j]);
			fputc('\n', out);
		}
		fprintf(out, "      key      %s %d bits, %s%s\n", c->key_type, c->key_bits, c->sig_alg,
		    c->is_ca ? ", CA" : "");
		if (c->ext_key_usage[0])
			fprintf(out, "      usage    %s\n", c->ext_key_usage);
		fprintf(out, "      sha256   %s\n", c->sha256);
	}
	if (t->name_checked)
		fprintf(out, "  name %s: %s\n", t->name_checked,
		    t->name == NAME_MATCH ? "matches" : "DOES NOT MATCH");
}

static void report_finding(FILE *out, const struct finding *f, const struct report_options *opt)
{
	int width = opt->width > 0 ? opt->width : 80;
	bool full = opt->verbose || f->sev == SEV_WARNING || f->sev == SEV_FAILURE ||
	    f->sev == SEV_UNTESTED;

	fprintf(out, "\n%-8s %s  %s\n", f->root ? "CAUSE" : severity_label(f->sev), f->kb->id, f->kb->title);
	if (f->summary && f->summary[0])
		wrap(out, f->summary, 9, width);
	for (size_t i = 0; i < f->nevidence; i++)
		fprintf(out, "%9s| %s\n", "", f->evidence[i]);
	if (!full)
		return;
	fprintf(out, "%9sWhat it means:\n", "");
	wrap(out, f->kb->explanation, 11, width);
	fprintf(out, "%9sFix:\n", "");
	wrap(out, f->kb->fix, 11, width);
	if (f->kb->verify && f->kb->verify[0]) {
		fprintf(out, "%9sVerify:\n", "");
		wrap(out, f->kb->verify, 11, width);
	}
	if (opt->verbose && f->kb->refs && f->kb->refs[0]) {
		fprintf(out, "%9sReferences:\n", "");
		wrap(out, f->kb->refs, 11, width);
	}
}

static void report_smtp_section(FILE *out, const struct smtp_facts *f, const char *note)
{
	char when[40];
	static const char *const phases_shown[] = { "connect", "banner", "EHLO", "STARTTLS",
	    "TLS handshake", "EHLO over TLS" };

	date_str(f->started_at, when, sizeof when);
	fprintf(out, "SMTP check of %s port %u, %s\n", f->host, f->port, when);
	if (note != NULL)
		fprintf(out, "Probing %s\n", note);
	fprintf(out, "EHLO name %s%s%s\n\nConversation\n", f->ehlo_name ? f->ehlo_name : "?",
	    f->tls_name ? "; certificate name expected: " : "", f->tls_name ? f->tls_name : "");
	report_transcript(out, &f->tr);

	fprintf(out, "\nTimings:");
	for (int p = PHASE_CONNECT, k = 0; p <= PHASE_EHLO_TLS; p++, k++)
		if (f->phase_ms[p] >= 0)
			fprintf(out, " %s %lld ms;", phases_shown[k], (long long)f->phase_ms[p]);
	fprintf(out, " total %lld ms; connections used: %d\n", (long long)f->total_ms, f->connections);
	if (f->connected_addr[0])
		fprintf(out, "Connected to %s from local address %s; the server sees: %s\n",
		    f->connected_addr, f->local_addr, f->observed_ip[0] ? f->observed_ip : "(not said)");
	report_tls(out, &f->tls);
}

static void report_answer(FILE *out, const char *label, const struct dns_answer *a)
{
	if (a->name == NULL)
		return;
	fprintf(out, "  %-28s %s", label, a->name);
	if (a->status != DNS_OK) {
		fprintf(out, ": %s\n", dns_status_name(a->status));
		return;
	}
	fprintf(out, "%s\n", a->ad ? " (DNSSEC validated)" : "");
	if (a->cname)
		fprintf(out, "  %-28s   -> CNAME %s\n", "", a->cname);
	for (size_t i = 0; i < a->n; i++)
		fprintf(out, "  %-28s   %s\n", "", a->rr[i].text);
}

static void report_dns_section(FILE *out, const struct dns_facts *d)
{
	fprintf(out, "\nDNS records of %s\n", d->domain);
	for (int r = 0; r < REC_COUNT; r++)
		if (d->asked[r])
			report_answer(out, dns_rec_label(r), &d->rec[r]);
	if (d->tlsa_host)
		report_answer(out, "TLSA of the MX", &d->tlsa);
	if (d->ip[0]) {
		fprintf(out, "  public IP %s\n", d->ip);
		report_answer(out, "PTR", &d->ptr);
		report_answer(out, "PTR name forward", &d->ptr_fwd);
		if (d->spf_evaluated)
			fprintf(out, "  %-28s %s%s%s (%d DNS lookups)\n", "SPF for this IP",
			    spf_result_name((enum spf_result)d->spf_result), d->spf_matched[0] ? ", matched " : "",
			    d->spf_matched, d->spf_lookups);
	}
}

static void report_dnsbl_section(FILE *out, const struct dnsbl_facts *b)
{
	fprintf(out, "\nBlocklists: %s in %zu zones\n", b->ip, b->n);
	for (size_t i = 0; i < b->n; i++) {
		const struct dnsbl_result *r = &b->v[i];

		fprintf(out, "  %-30s ", r->id);
		if (r->skipped)
			fprintf(out, "not asked (no IPv6 support)\n");
		else if (r->a.status != DNS_OK)
			fprintf(out, "%s\n", dns_status_name(r->a.status));
		else {
			for (size_t k = 0; k < r->a.n; k++)
				fprintf(out, "%s%s", k ? ", " : "answered ", r->a.rr[k].text);
			if (r->txt.status == DNS_OK && r->txt.n > 0)
				fprintf(out, " \"%s\"", r->txt.rr[0].text);
			fputc('\n', out);
		}
	}
}

static void report_inputs_section(FILE *out, const struct diagnosis *d)
{
	for (size_t i = 0; i < d->nconnectors; i++) {
		const struct connector_set *set = &d->connectors[i];

		fprintf(out, "\nConnector export %s (%s, %s)\n", d->connector_files[i], set->format, set->encoding);
		for (size_t k = 0; k < set->n; k++)
			fprintf(out, "  %-22s %s (line %d)\n", connector_kind_name(set->v[k].kind),
			    set->v[k].name ? set->v[k].name : "(no name)", set->v[k].line);
	}
	if (d->cert != NULL) {
		const struct onpremcert_facts *c = d->cert;
		char nb[40], na[40];

		date_str(c->leaf.not_before, nb, sizeof nb);
		date_str(c->leaf.not_after, na, sizeof na);
		fprintf(out, "\nOn-premises certificate %s (%s%s)\n", c->source ? c->source : "", c->format,
		    c->key_present ? ", with its key" : ", no key");
		fprintf(out, "  subject  %s\n  issuer   %s\n  valid    %s to %s\n", c->leaf.subject, c->leaf.issuer,
		    nb, na);
		for (size_t i = 0; i < c->leaf.nsan; i++)
			fprintf(out, "  name     %s\n", c->leaf.san[i]);
		fprintf(out, "  TlsCertificateName  %s\n", c->tls_certificate_name ? c->tls_certificate_name : "?");
		fprintf(out, "  chain in the file: %zu more, %s\n", c->nchain, c->chain_complete ? "complete" : "INCOMPLETE");
	}
}

static void report_findings(FILE *out, const struct findings *fs, const struct report_options *opt)
{
	size_t count[5] = { 0 };

	bool roots = fs->n > 0 && fs->v[0].root, heading = false;

	/* Root causes lead (findings_sort put them first), each with its chain. */
	fprintf(out, "\n%s\n", roots ? "Most likely root cause" : "Findings");
	for (size_t i = 0; i < fs->n; i++) {
		if (roots && !fs->v[i].root && !heading) {
			fprintf(out, "\nAll findings\n");
			heading = true;
		}
		report_finding(out, &fs->v[i], opt);
		if (!fs->v[i].root)
			count[fs->v[i].sev]++;
	}
	fprintf(out, "\nResult: %zu failed, %zu warning%s, %zu could not be tested, %zu ok, %zu info"
	    " (exit status %d)\n", count[SEV_FAILURE], count[SEV_WARNING],
	    count[SEV_WARNING] == 1 ? "" : "s", count[SEV_UNTESTED], count[SEV_OK], count[SEV_INFO],
	    findings_exit_status(fs));
}

void report_smtp_text(FILE *out, const struct smtp_facts *f, const struct findings *fs,
    const struct report_options *opt)
{
	report_smtp_section(out, f, NULL);
	report_findings(out, fs, opt);
}

void report_text(FILE *out, const struct diagnosis *d, const struct findings *fs,
    const struct report_options *opt)
{
	if (d->has_smtp)
		report_smtp_section(out, &d->smtp, d->probe_note);
	if (d->has_onprem) {
		fprintf(out, "\nExchange Online -> on-premises\n\n");
		report_smtp_section(out, &d->onprem, d->onprem_note);
	}
	if (d->has_dns)
		report_dns_section(out, &d->dns);
	if (d->has_dnsbl)
		report_dnsbl_section(out, &d->bl);
	if (d->nconnectors > 0 || d->cert != NULL)
		report_inputs_section(out, d);
	if (d->ip_source && (d->has_dns || d->has_dnsbl))
		fprintf(out, "\nThe public IP checked was %s.\n", d->ip_source);
	if (d->has_smtp || d->has_onprem) {
		enum mailpath_charset cs = opt->charset == REPORT_CHARSET_UTF8 ? MAILPATH_UTF8 :
		    opt->charset == REPORT_CHARSET_ASCII ? MAILPATH_ASCII :
		    mailpath_locale_utf8() ? MAILPATH_UTF8 : MAILPATH_ASCII;

		fprintf(out, "\nMail path\n\n");
		if (!mailpath_print(out, d, fs, opt->width > 0 ? opt->width : 80, cs, ""))
			fprintf(out, "(out of memory drawing the mail path)\n");
	}
	report_findings(out, fs, opt);
}

static void report_side(FILE *out, const char *label, const struct smtp_facts *f)
{
	fprintf(out, "%s: %s port %u (%s)\n", label, f->host, f->port, smtp_end_name(f->end));
	fprintf(out, "  greeting    %d %s\n", f->banner.code, f->banner.nlines ? f->banner.lines[0] : "");
	fprintf(out, "  extensions ");
	for (size_t i = 0; i < f->next; i++)
		fprintf(out, " %s", f->ext[i]);
	fprintf(out, "\n  TLS         %s%s%s\n", f->tls.ok ? f->tls.version : f->tls.attempted ? "failed" :
	    "not tried", f->tls.legacy_only ? "; only " : "", f->tls.legacy_only ? f->tls.legacy_version : "");
	if (f->tls.nchain > 0)
		fprintf(out, "  certificate %s\n              SHA-256 %s\n", f->tls.chain[0].subject,
		    f->tls.chain[0].sha256);
	fprintf(out, "  server sees %s\n", f->observed_ip[0] ? f->observed_ip : "(not said)");
	/* Both sides share one budget: say which went without, so a gap is not read as a difference. */
	if (f->budget_note != NULL)
		fprintf(out, "  budget      %s\n", f->budget_note);
}

void report_compare_text(FILE *out, const struct smtp_facts *a, const struct smtp_facts *b,
    const struct findings *fs, const struct report_options *opt)
{
	report_side(out, "A", a);
	report_side(out, "B", b);
	report_findings(out, fs, opt);
}

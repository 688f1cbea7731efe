#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "kb.h"
#include "mailpath.h"
#include "report.h"
#include "report_md.h"
#include "spf.h"

/* ---- escaping ---- */

static const char *nz(const char *s)
{
	return s != NULL ? s : "";
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c >= 0x7f;
}

/* A byte that is not printable ASCII, as text: a tab becomes a blank, the rest
 * \xNN (with the backslash escaped when the context reads escapes). */
static void put_ctl(FILE *out, unsigned char c, bool literal)
{
	if (c == '\t')
		fputc(' ', out);
	else
		fprintf(out, literal ? "\\x%02x" : "\\\\x%02x", c);
}

/* "&name;" or "&#123;" / "&#x1F;" at s[i]. */
static bool is_entity(const char *s, size_t n, size_t i)
{
	size_t j = i + 1, k;

	if (j < n && s[j] == '#')
		j++;
	for (k = j; k < n && k - j <= 32 && is_alnum(s[k]); k++)
		;
	return k > j && k < n && s[k] == ';';
}

static size_t backtick_run(const char *s, size_t n, size_t i)
{
	size_t r = 0;

	while (i + r < n && s[i + r] == '`')
		r++;
	return r;
}

/* Where a code span opened by a run of r backticks at i closes: the start of
 * the next run of exactly r backticks, or n if none. */
static size_t code_span_end(const char *s, size_t n, size_t i, size_t r)
{
	for (size_t j = i + r; j < n;) {
		size_t k = backtick_run(s, n, j);

		if (k == r)
			return j;
		j += k > 0 ? k : 1;
	}
	return n;
}

/*
 * Write s[0..n) as inline Markdown. cell: inside a table row (escape '|').
 * keep_code: trusted text whose `code` spans stay as they are. block_start: the
 * text starts a paragraph or a list item, where "# ", "> ", "- ", "1. " would
 * open a block.
 */
static void md_escape_n(FILE *out, const char *s, size_t n, bool cell, bool keep_code,
    bool block_start)
{
	size_t i = 0;

	if (block_start) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && strchr("#>+-", s[i]) != NULL) {
			fputc('\\', out);
			fputc(s[i++], out);
		} else {
			size_t d = i;

			/* "1. " or "1) " (up to 9 digits) opens an ordered list; "203.0.113.7" does not. */
			while (d < n && d - i < 10 && s[d] >= '0' && s[d] <= '9')
				d++;
			if (d > i && d - i <= 9 && d < n && (s[d] == '.' || s[d] == ')') &&
			    (d + 1 == n || s[d + 1] == ' ' || s[d + 1] == '\t')) {
				fwrite(s + i, 1, d - i, out);
				fputc('\\', out);
				fputc(s[d], out);
				i = d + 1;
			}
		}
	}
	for (; i < n; i++) {
		char c = s[i];

		if (c == '`') {
			size_t r = backtick_run(s, n, i), end;

			if (keep_code && (end = code_span_end(s, n, i, r)) < n) {
				for (size_t k = i; k < end + r; k++) {
					if (is_ctl((unsigned char)s[k]))
						put_ctl(out, (unsigned char)s[k], true);
					else if (cell && s[k] == '|')
						fputs("\\|", out);
					else
						fputc(s[k], out);
				}
				i = end + r - 1;
				continue;
			}
			for (size_t k = 0; k < r; k++)
				fputs("\\`", out);
			i += r - 1;
			continue;
		}
		if (is_ctl((unsigned char)c)) {
			put_ctl(out, (unsigned char)c, false);
			continue;
		}
		switch (c) {
		case '\\': case '*': case '[': case ']': case '<': case '~': case '#':
			fputc('\\', out);
			break;
		case '_':
			/* Inside a word it cannot open emphasis: keep CN_with_underscores readable. */
			if (!(i > 0 && is_alnum(s[i - 1]) && i + 1 < n && is_alnum(s[i + 1])))
				fputc('\\', out);
			break;
		case '&':
			/* Only what would read as an entity ("&amp;", "&#60;"): a URL's
			 * "?a=1&ip=..." stays as it is, so that autolinks still work. */
			if (is_entity(s, n, i))
				fputc('\\', out);
			break;
		case '|':
			if (cell)
				fputc('\\', out);
			break;
		default:
			break;
		}
		fputc(c, out);
	}
}

void md_text(FILE *out, const char *s)
{
	md_escape_n(out, nz(s), strlen(nz(s)), false, false, false);
}

void md_cell(FILE *out, const char *s)
{
	md_escape_n(out, nz(s), strlen(nz(s)), true, false, false);
}

/* Untrusted text that starts a paragraph or a list item. */
static void md_para(FILE *out, const char *s)
{
	md_escape_n(out, nz(s), strlen(nz(s)), false, false, true);
}

static size_t longest_run(const char *s)
{
	size_t best = 0, n = strlen(s);

	for (size_t i = 0; i < n;) {
		size_t r = backtick_run(s, n, i);

		if (r > best)
			best = r;
		i += r > 0 ? r : 1;
	}
	return best;
}

void md_code_span(FILE *out, const char *s)
{
	size_t n = 0, r;
	bool pad, blank = true;
	char *t;

	/* What will be shown: blanks for tabs, \xNN for other control bytes. */
	s = nz(s);
	if ((t = malloc(strlen(s) * 4 + 1)) == NULL) {
		fputs("`(out of memory)`", out);
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\t')
			t[n++] = ' ';
		else if (is_ctl(c))
			n += (size_t)sprintf(t + n, "\\x%02x", c);
		else
			t[n++] = (char)c;
		blank = blank && t[n - 1] == ' ';
	}
	t[n] = '\0';
	if (n == 0 || blank) {
		/* All blanks are shown as they are; none at all would be no span. */
		fprintf(out, "`%s`", n ? t : " ");
		free(t);
		return;
	}
	r = longest_run(t) + 1;
	/* CommonMark strips one blank on each side when both are there: pad so that
	 * a leading or trailing backtick or blank survives. */
	pad = t[0] == '`' || t[n - 1] == '`' || t[0] == ' ' || t[n - 1] == ' ';
	for (size_t k = 0; k < r; k++)
		fputc('`', out);
	fprintf(out, pad ? " %s " : "%s", t);
	for (size_t k = 0; k < r; k++)
		fputc('`', out);
	free(t);
}

void md_kb_text(FILE *out, const char *s)
{
	s = nz(s);
	while (*s) {
		size_t n = strcspn(s, "\n");

		if (n > 0) {
			md_escape_n(out, s, n, false, true, false);
			fputs("\n\n", out);
		}
		s += n;
		if (*s == '\n')
			s++;
	}
}

size_t md_fence_len(const char *const *lines, size_t n)
{
	size_t len = 3;

	for (size_t i = 0; i < n; i++)
		if (lines[i] != NULL && longest_run(lines[i]) + 1 > len)
			len = longest_run(lines[i]) + 1;
	return len;
}

static void fence(FILE *out, size_t len, const char *info)
{
	for (size_t k = 0; k < len; k++)
		fputc('`', out);
	fprintf(out, "%s\n", info);
}

/* ---- the report ---- */

static void date_str(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "?");
}

static const char *exit_meaning(int status)
{
	switch (status) {
	case 0: return "all good";
	case 1: return "warnings";
	case 2: return "failures found";
	case 3: return "could not test";
	}
	return "?";
}

static bool detailed(const struct finding *f)
{
	return f->sev == SEV_WARNING || f->sev == SEV_FAILURE || f->sev == SEV_UNTESTED;
}

static void evidence_list(FILE *out, const struct finding *f)
{
	for (size_t i = 0; i < f->nevidence; i++) {
		fputs("- ", out);
		md_code_span(out, f->evidence[i]);
		fputc('\n', out);
	}
	if (f->nevidence > 0)
		fputc('\n', out);
}

/* One finding in full: summary, evidence, what it means, fix, verify. */
static void finding_section(FILE *out, const struct finding *f, const char *evidence_label)
{
	const struct kb_entry *kb = f->kb;

	fprintf(out, "### %s", f->root ? "" : severity_label(f->sev));
	if (!f->root)
		fputs(": ", out);
	md_text(out, kb->title);
	fputs(" (", out);
	md_code_span(out, kb->id);
	fputs(")\n\n", out);
	if (f->summary != NULL && f->summary[0] != '\0') {
		md_para(out, f->summary);
		fputs("\n\n", out);
	}
	if (f->nevidence > 0) {
		fprintf(out, "**%s**\n\n", evidence_label);
		evidence_list(out, f);
	}
	if (kb->explanation != NULL && kb->explanation[0] != '\0') {
		fputs("**What it means**\n\n", out);
		md_kb_text(out, kb->explanation);
	}
	if (kb->fix != NULL && kb->fix[0] != '\0') {
		fputs("**Fix**\n\n", out);
		md_kb_text(out, kb->fix);
	}
	if (kb->verify != NULL && kb->verify[0] != '\0') {
		fputs("**How to verify**\n\n", out);
		md_kb_text(out, kb->verify);
	}
}

static void findings_part(FILE *out, const struct findings *fs)
{
	bool any_root = false;

	for (size_t i = 0; i < fs->n; i++)
		if (fs->v[i].root) {
			if (!any_root)
				fputs("## Most likely root cause\n\n", out);
			any_root = true;
			finding_section(out, &fs->v[i], "Evidence chain (symptom <- evidence <- cause)");
		}

	fputs("## Findings\n\n", out);
	if (fs->n == 0) {
		fputs("No findings.\n\n", out);
		return;
	}
	fputs("| Severity | ID | Summary |\n| --- | --- | --- |\n", out);
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->v[i];

		fprintf(out, "| %s | ", f->root ? "CAUSE" : severity_label(f->sev));
		md_code_span(out, f->kb->id);
		fputs(" | ", out);
		md_cell(out, f->summary != NULL && f->summary[0] ? f->summary : f->kb->title);
		fputs(" |\n", out);
	}
	fputc('\n', out);
	for (size_t i = 0; i < fs->n; i++)
		if (!fs->v[i].root && detailed(&fs->v[i]))
			finding_section(out, &fs->v[i], "Evidence");
}

static void row2(FILE *out, const char *k, const char *v)
{
	fputs("| ", out);
	md_cell(out, k);
	fputs(" | ", out);
	md_cell(out, v);
	fputs(" |\n", out);
}

static void tls_part(FILE *out, const struct tls_facts *t)
{
	char buf[160];

	if (!t->attempted)
		return;
	fputs("### TLS\n\n| Parameter | Value |\n| --- | --- |\n", out);
	row2(out, "Handshake", t->ok ? "completed" : "failed");
	if (t->ok) {
		row2(out, "Protocol", t->version);
		row2(out, "Cipher", t->cipher);
	} else {
		row2(out, "Error", t->error ? t->error : "?");
	}
	if (t->alert[0])
		row2(out, "TLS alert", t->alert);
	snprintf(buf, sizeof buf, "%lld ms", (long long)t->ms);
	row2(out, "Handshake time", buf);
	if (t->legacy_only) {
		snprintf(buf, sizeof buf, "completed with %s", t->legacy_version);
		row2(out, "Retry allowing TLS 1.0/1.1", buf);
	}
	if (t->nchain > 0) {
		snprintf(buf, sizeof buf, "%zu certificate%s", t->nchain, t->nchain == 1 ? "" : "s");
		row2(out, "Chain sent", buf);
		fputs("| Chain verified against ", out);
		md_cell(out, t->trust_store ? t->trust_store : "?");
		fprintf(out, " | %s |\n", t->verified ? "yes" : "**NO**");
		for (size_t i = 0; i < t->nverr; i++) {
			snprintf(buf, sizeof buf, "Verify error at depth %d", t->verr[i].depth);
			row2(out, buf, t->verr[i].text);
		}
	}
	if (t->name_checked) {
		fputs("| Name checked | ", out);
		md_cell(out, t->name_checked);
		fprintf(out, ": %s |\n", t->name == NAME_MATCH ? "matches" : "**DOES NOT MATCH**");
	}
	fputc('\n', out);
	if (t->nchain == 0)
		return;

	fputs("### Certificate chain (as sent, leaf first)\n\n"
	    "| # | Subject | Issuer | Valid from | Valid until | Names | Key | SHA-256 |\n"
	    "| --- | --- | --- | --- | --- | --- | --- | --- |\n", out);
	for (size_t i = 0; i < t->nchain; i++) {
		const struct cert_facts *c = &t->chain[i];
		char nb[40], na[40];

		date_str(c->not_before, nb, sizeof nb);
		date_str(c->not_after, na, sizeof na);
		fprintf(out, "| %zu | ", i);
		md_cell(out, c->subject);
		fputs(" | ", out);
		md_cell(out, c->issuer);
		fprintf(out, " | %s | %s | ", nb, na);
		for (size_t j = 0; j < c->nsan; j++) {
			if (j)
				fputs(", ", out);
			md_cell(out, c->san[j]);
		}
		fputs(" | ", out);
		md_cell(out, c->key_type);
		fprintf(out, " %d", c->key_bits);
		if (c->is_ca)
			fputs(", CA", out);
		fputs(" | ", out);
		md_cell(out, c->sha256);
		fputs(" |\n", out);
	}
	fputc('\n', out);
}

static size_t transcript_fence(const struct transcript *tr)
{
	size_t len = 3;

	for (size_t i = 0; i < tr->n; i++)
		if (tr->v[i].text != NULL && longest_run(tr->v[i].text) + 1 > len)
			len = longest_run(tr->v[i].text) + 1;
	return len;
}

static void smtp_part(FILE *out, const struct smtp_facts *f, const char *note)
{
	static const char *const phases_shown[] = { "connect", "banner", "EHLO", "STARTTLS",
	    "TLS handshake", "EHLO over TLS" };
	char when[40];
	size_t flen;
	bool first = true;

	date_str(f->started_at, when, sizeof when);
	fputs("## SMTP conversation\n\n- Server: ", out);
	md_text(out, f->host ? f->host : "?");
	fprintf(out, " port %u, started %s\n", f->port, when);
	if (note != NULL) {
		fputs("- Probing: ", out);
		md_text(out, note);
		fputc('\n', out);
	}
	fputs("- EHLO name: ", out);
	md_text(out, f->ehlo_name ? f->ehlo_name : "?");
	fputc('\n', out);
	if (f->tls_name) {
		fputs("- Certificate name expected: ", out);
		md_text(out, f->tls_name);
		fputc('\n', out);
	}
	fputs("- Outcome: ", out);
	md_text(out, smtp_end_name(f->end));
	if (f->end != END_OK && f->end != END_NONE) {
		fputs(" during ", out);
		md_text(out, phase_name(f->end_phase));
	}
	if (f->end_detail) {
		fputs(" (", out);
		md_text(out, f->end_detail);
		fputc(')', out);
	}
	fputc('\n', out);
	if (f->connected_addr[0]) {
		fputs("- Connected to ", out);
		md_text(out, f->connected_addr);
		fputs(" from local address ", out);
		md_text(out, f->local_addr);
		fputs("; the server sees: ", out);
		md_text(out, f->observed_ip[0] ? f->observed_ip : "(not said)");
		fputc('\n', out);
	}
	fputs("- Timings:", out);
	for (int p = PHASE_CONNECT, k = 0; p <= PHASE_EHLO_TLS; p++, k++)
		if (f->phase_ms[p] >= 0) {
			fprintf(out, "%s %s %lld ms", first ? "" : ";", phases_shown[k],
			    (long long)f->phase_ms[p]);
			first = false;
		}
	fprintf(out, "%s total %lld ms; connections used: %d\n\n", first ? "" : ";",
	    (long long)f->total_ms, f->connections);

	/* time, direction, line; the fence is longer than any backtick run inside. */
	if (f->tr.n == 0) {
		fputs("No conversation was recorded.\n\n", out);
		tls_part(out, &f->tls);
		return;
	}
	flen = transcript_fence(&f->tr);
	fence(out, flen, "text");
	for (size_t i = 0; i < f->tr.n; i++) {
		const struct tline *l = &f->tr.v[i];
		const char *s = nz(l->text);

		fprintf(out, "%4lld.%03lld  %s ", (long long)(l->t_ms / 1000),
		    (long long)(l->t_ms % 1000 < 0 ? -(l->t_ms % 1000) : l->t_ms % 1000),
		    report_dir_marker(l->dir, l->tls));
		for (; *s; s++) {
			if (is_ctl((unsigned char)*s))
				put_ctl(out, (unsigned char)*s, true);
			else
				fputc(*s, out);
		}
		fputc('\n', out);
	}
	fence(out, flen, "");
	fputs("\nMarkers: `->` sent, `<-` received, `~>` `<~` the same inside TLS, `**` what the "
	    "probe did.\n\n", out);
	tls_part(out, &f->tls);
}

static void dns_status_cell(FILE *out, const struct dns_answer *a)
{
	if (a->status == DNS_OK) {
		fputs(a->ad ? "answered (DNSSEC validated)" : "answered", out);
		return;
	}
	md_cell(out, dns_status_name(a->status));
	if (a->error) {
		fputs(": ", out);
		md_cell(out, a->error);
	}
}

/* One record: a row per value, the first with the record, name and status. */
static void dns_rows(FILE *out, const char *label, const struct dns_answer *a)
{
	size_t rows = 0;

	if (a->name == NULL)
		return;
	fputs("| ", out);
	md_cell(out, label);
	fputs(" | ", out);
	md_cell(out, a->name);
	fputs(" | ", out);
	dns_status_cell(out, a);
	fputs(" | ", out);
	if (a->status == DNS_OK && a->cname) {
		fputs("CNAME -> ", out);
		md_cell(out, a->cname);
		rows++;
	}
	for (size_t i = 0; a->status == DNS_OK && i < a->n; i++) {
		if (rows++ > 0)
			fputs(" |\n| | | | ", out);
		md_cell(out, a->rr[i].text);
	}
	fputs(" |\n", out);
}

static void dns_part(FILE *out, const struct dns_facts *d)
{
	fputs("## DNS records of ", out);
	md_text(out, d->domain ? d->domain : "?");
	fputs("\n\n| Record | Name | Status | Values |\n| --- | --- | --- | --- |\n", out);
	for (int r = 0; r < REC_COUNT; r++)
		if (d->asked[r])
			dns_rows(out, dns_rec_label(r), &d->rec[r]);
	if (d->tlsa_host)
		dns_rows(out, "TLSA of the MX", &d->tlsa);
	if (d->ip[0]) {
		char label[96];

		snprintf(label, sizeof label, "PTR of %s", d->ip);
		dns_rows(out, label, &d->ptr);
		dns_rows(out, "PTR name forward", &d->ptr_fwd);
	}
	fputc('\n', out);
	if (d->ip[0] && d->spf_evaluated) {
		fputs("SPF for ", out);
		md_text(out, d->ip);
		fputs(": ", out);
		md_text(out, spf_result_name((enum spf_result)d->spf_result));
		if (d->spf_matched[0]) {
			fputs(", matched ", out);
			md_text(out, d->spf_matched);
		}
		fprintf(out, " (%d DNS lookups)", d->spf_lookups);
		if (d->spf_error[0]) {
			fputs("; ", out);
			md_text(out, d->spf_error);
		}
		fputs(".\n\n", out);
	}
}

static void dnsbl_part(FILE *out, const struct dnsbl_facts *b)
{
	fputs("## Blocklists\n\nAddress ", out);
	md_text(out, b->ip);
	fprintf(out, " checked in %zu zone%s", b->n, b->n == 1 ? "" : "s");
	if (b->zones_file) {
		fputs(" (zones from ", out);
		md_text(out, b->zones_file);
		fputc(')', out);
	}
	fputs(".\n\n", out);
	if (b->n == 0)
		return;
	fputs("| Zone | Answer | Reason |\n| --- | --- | --- |\n", out);
	for (size_t i = 0; i < b->n; i++) {
		const struct dnsbl_result *r = &b->v[i];

		fputs("| ", out);
		md_cell(out, r->id);
		fputs(" | ", out);
		if (r->skipped)
			fputs("not asked (no IPv6 support)", out);
		else if (r->a.status != DNS_OK)
			md_cell(out, dns_status_name(r->a.status));
		else
			for (size_t k = 0; k < r->a.n; k++) {
				if (k)
					fputs(", ", out);
				md_cell(out, r->a.rr[k].text);
			}
		fputs(" | ", out);
		if (!r->skipped && r->a.status == DNS_OK && r->txt.status == DNS_OK)
			for (size_t k = 0; k < r->txt.n; k++) {
				if (k)
					fputs(" / ", out);
				md_cell(out, r->txt.rr[k].text);
			}
		fputs(" |\n", out);
	}
	fputc('\n', out);
}

/* The picture of the mail path, in ASCII at 80 columns, in a fence nothing in it can close. */
static void mailpath_part(FILE *out, const struct diagnosis *d, const struct findings *fs)
{
	struct mailpath mp;
	struct mailpath_render r;
	size_t len;

	if (!d->has_smtp && !d->has_onprem)
		return;
	if (!mailpath_build(&mp, d, fs))
		return;
	if (mailpath_render(&mp, 80, MAILPATH_ASCII, &r)) {
		len = md_fence_len((const char *const *)r.lines, r.nlines);
		fputs("## Mail path\n\n", out);
		fence(out, len, "");
		for (size_t i = 0; i < r.nlines; i++)
			fprintf(out, "%s\n", r.lines[i]);
		fence(out, len, "");
		fputc('\n', out);
		mailpath_render_free(&r);
	}
	mailpath_free(&mp);
}

static const char *target_of(const struct diagnosis *d)
{
	if (d->target)
		return d->target;
	if (d->has_smtp && d->smtp.host)
		return d->smtp.host;
	if (d->has_dns && d->dns.domain)
		return d->dns.domain;
	if (d->has_dnsbl && d->bl.ip[0])
		return d->bl.ip;
	return "(no target)";
}

void report_markdown(FILE *out, const char *command, const struct diagnosis *d,
    const struct findings *fs)
{
	size_t count[5] = { 0 }, roots = 0;
	time_t when = 0;
	char date[40];
	int status = findings_exit_status(fs);

	if (d->has_smtp)
		when = d->smtp.started_at ? d->smtp.started_at : d->smtp.tls.checked_at;
	if (when == 0)
		when = clock_wall();
	date_str(when, date, sizeof date);

	fputs("# hybridtls ", out);
	md_text(out, command && command[0] ? command : "report");
	fputs(": ", out);
	md_text(out, target_of(d));
	fprintf(out, ", %s\n\n", date);

	for (size_t i = 0; i < fs->n; i++) {
		if (fs->v[i].root)
			roots++;
		else if ((unsigned)fs->v[i].sev < 5)
			count[fs->v[i].sev]++;
	}
	fprintf(out, "**Result:** ");
	if (roots)
		fprintf(out, "%zu root cause%s; ", roots, roots == 1 ? "" : "s");
	fprintf(out, "%zu failed, %zu warning%s, %zu could not be tested, %zu ok, %zu info "
	    "(exit status %d: %s)\n\n", count[SEV_FAILURE], count[SEV_WARNING],
	    count[SEV_WARNING] == 1 ? "" : "s", count[SEV_UNTESTED], count[SEV_OK], count[SEV_INFO],
	    status, exit_meaning(status));

	mailpath_part(out, d, fs);
	findings_part(out, fs);
	if (d->has_smtp)
		smtp_part(out, &d->smtp, d->probe_note);
	if (d->has_dns)
		dns_part(out, &d->dns);
	if (d->has_dnsbl)
		dnsbl_part(out, &d->bl);
	if (d->ip_source && (d->has_dns || d->has_dnsbl)) {
		fputs("The public IP checked was ", out);
		md_text(out, d->ip_source);
		fputs(".\n\n", out);
	}
	fputs("---\n\nGenerated by hybridtls " PACKAGE_VERSION ".\n", out);
}

/* Unit tests: the Markdown report for tickets, on a hand-built diagnosis. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "findings.h"
#include "kb.h"
#include "report_md.h"
#include "testutil.h"

/* 2025-10-09 08:53:20 UTC */
#define T0 ((time_t)1760000000)
#define DAY 86400L

/* A banner a hostile server (or a middlebox) could send: pipes, backticks,
 * a run of four backticks that would close a ``` fence, HTML. */
#define EVIL_BANNER "220 ****|**** ```` `rm -rf` <b>x</b> | end"

static void tline(struct diagnosis *d, int64_t ms, enum tdir dir, bool tls, const char *s)
{
	transcript_add(&d->smtp.tr, ms, dir, tls, s, strlen(s));
}

static void set_cert(struct cert_facts *c, const char *subject, const char *issuer, const char *san,
    time_t nb, time_t na, bool ca, const char *sha)
{
	memset(c, 0, sizeof *c);
	c->subject = xstrdup(subject);
	c->issuer = xstrdup(issuer);
	c->common_name = xstrdup("");
	if (san != NULL) {
		c->san = calloc(1, sizeof *c->san);
		cr_assert_not_null(c->san);
		c->san[0] = xstrdup(san);
		c->nsan = 1;
	}
	c->not_before = nb;
	c->not_after = na;
	snprintf(c->key_type, sizeof c->key_type, "RSA");
	c->key_bits = 2048;
	snprintf(c->sig_alg, sizeof c->sig_alg, "sha256WithRSAEncryption");
	c->key_usage = xstrdup("");
	c->ext_key_usage = xstrdup("TLS Web Server Authentication");
	c->is_ca = ca;
	snprintf(c->sha256, sizeof c->sha256, "%s", sha);
}

static void set_answer(struct dns_answer *a, const char *name, uint16_t type, enum dns_status st,
    const char *const *texts)
{
	memset(a, 0, sizeof *a);
	a->name = xstrdup(name);
	a->type = type;
	a->status = st;
	for (size_t i = 0; texts != NULL && texts[i] != NULL; i++) {
		a->rr = realloc(a->rr, (a->n + 1) * sizeof *a->rr);
		cr_assert_not_null(a->rr);
		memset(&a->rr[a->n], 0, sizeof a->rr[a->n]);
		a->rr[a->n].type = type;
		a->rr[a->n].text = xstrdup(texts[i]);
		a->n++;
	}
}

static void build(struct diagnosis *d)
{
	struct smtp_facts *f = &d->smtp;
	struct tls_facts *t = &f->tls;

	diagnosis_init(d);
	d->target = xstrdup("contoso.com");
	d->has_smtp = d->has_dns = d->has_dnsbl = true;
	d->probe_note = xstrdup("contoso-com.mail.protection.outlook.com, the MX of contoso.com");
	d->ip_source = xstrdup("the address Exchange Online saw in its EHLO reply");

	f->host = xstrdup("contoso-com.mail.protection.outlook.com");
	f->port = 25;
	f->ehlo_name = xstrdup("probe.contoso.com");
	f->started_at = T0;
	f->end = END_OK;
	f->connections = 1;
	snprintf(f->connected_addr, sizeof f->connected_addr, "52.101.0.1");
	snprintf(f->local_addr, sizeof f->local_addr, "10.0.0.5");
	snprintf(f->observed_ip, sizeof f->observed_ip, "203.0.113.7");
	f->phase_ms[PHASE_CONNECT] = 21;
	f->phase_ms[PHASE_BANNER] = 99;
	f->phase_ms[PHASE_EHLO] = 40;
	f->total_ms = 1234;

	tline(d, 0, TDIR_NOTE, false, "connecting to 52.101.0.1 port 25");
	tline(d, 120, TDIR_RECV, false, EVIL_BANNER);
	tline(d, 130, TDIR_SENT, false, "EHLO probe.contoso.com");
	tline(d, 170, TDIR_RECV, false, "250-contoso-com.mail.protection.outlook.com Hello [203.0.113.7]");
	tline(d, 171, TDIR_RECV, false, "250 XXXXXXXA");
	tline(d, 1500, TDIR_SENT, true, "EHLO probe.contoso.com");
	tline(d, 1530, TDIR_RECV, true, "250 SIZE 157286400");
	tline(d, 12345, TDIR_NOTE, false, "closed");

	t->attempted = true;
	t->ok = true;
	snprintf(t->version, sizeof t->version, "TLSv1.2");
	snprintf(t->cipher, sizeof t->cipher, "ECDHE-RSA-AES256-GCM-SHA384");
	t->ms = 88;
	t->verified = true;
	t->trust_store = xstrdup("system");
	t->name = NAME_MATCH;
	t->name_checked = xstrdup("contoso-com.mail.protection.outlook.com");
	t->checked_at = T0;
	t->chain = calloc(2, sizeof *t->chain);
	cr_assert_not_null(t->chain);
	t->nchain = 2;
	set_cert(&t->chain[0], "CN=mail.protection.outlook.com,O=Microsoft Corporation",
	    "CN=DigiCert Cloud Services CA-1,O=DigiCert Inc", "DNS:*.mail.protection.outlook.com",
	    T0 - 30 * DAY, T0 + 300 * DAY, false, "AB:CD:EF:01");
	/* A hostile subject: a pipe, a newline, a backtick and HTML. */
	set_cert(&t->chain[1], "CN=Evil | CA\nsecond line `x` <script>", "CN=Root", NULL,
	    T0 - 900 * DAY, T0 + 900 * DAY, true, "12:34:56:78");

	dns_facts_init(&d->dns);
	d->dns.domain = xstrdup("contoso.com");
	d->dns.asked[REC_MX] = true;
	set_answer(&d->dns.rec[REC_MX], "contoso.com", DNS_T_MX, DNS_OK,
	    (const char *const[]){ "0 contoso-com.mail.protection.outlook.com", NULL });
	d->dns.asked[REC_TXT] = true;
	set_answer(&d->dns.rec[REC_TXT], "contoso.com", DNS_T_TXT, DNS_OK,
	    (const char *const[]){ "v=spf1 include:spf.protection.outlook.com -all",
	    "MS=ms12345678 | injected | row\n| x | y |", NULL });
	d->dns.asked[REC_DMARC] = true;
	set_answer(&d->dns.rec[REC_DMARC], "_dmarc.contoso.com", DNS_T_TXT, DNS_NXDOMAIN, NULL);

	snprintf(d->dns.ip, sizeof d->dns.ip, "203.0.113.7");
	set_answer(&d->dns.ptr, "7.113.0.203.in-addr.arpa", DNS_T_PTR, DNS_OK,
	    (const char *const[]){ "mail.contoso.com", NULL });
	set_answer(&d->dns.ptr_fwd, "mail.contoso.com", DNS_T_A, DNS_OK,
	    (const char *const[]){ "203.0.113.7", NULL });
	d->dns.ptr_fwd.ad = true;

	snprintf(d->bl.ip, sizeof d->bl.ip, "203.0.113.7");
	d->bl.v = calloc(2, sizeof *d->bl.v);
	cr_assert_not_null(d->bl.v);
	d->bl.n = 2;
	d->bl.v[0].id = xstrdup("zen.spamhaus.org");
	d->bl.v[0].qname = xstrdup("7.113.0.203.zen.spamhaus.org");
	set_answer(&d->bl.v[0].a, "7.113.0.203.zen.spamhaus.org", DNS_T_A, DNS_OK,
	    (const char *const[]){ "127.0.0.2", "127.0.0.4", NULL });
	set_answer(&d->bl.v[0].txt, "7.113.0.203.zen.spamhaus.org", DNS_T_TXT, DNS_OK,
	    (const char *const[]){ "Listed | see `https://check.spamhaus.org/`", NULL });
	d->bl.v[1].id = xstrdup("bl.spamcop.net");
	d->bl.v[1].qname = xstrdup("7.113.0.203.bl.spamcop.net");
	set_answer(&d->bl.v[1].a, "7.113.0.203.bl.spamcop.net", DNS_T_A, DNS_NXDOMAIN, NULL);
}

static void add_findings(struct findings *fs, bool with_root)
{
	struct finding *f;

	findings_add(fs, "tls.handshake-ok", "TLSv1.2 with ECDHE-RSA-AES256-GCM-SHA384");
	f = findings_add(fs, "middlebox.banner-masked", "the greeting is masked: %s", EVIL_BANNER);
	finding_evidence(f, "greeting: %s", EVIL_BANNER);
	f = findings_add(fs, "smtp.starttls-missing",
	    "the EHLO reply of contoso-com.mail.protection.outlook.com does not list STARTTLS");
	finding_evidence(f, "EHLO reply: 250 XXXXXXXA");
	findings_add(fs, "dnsbl.listed", "203.0.113.7 is listed in zen.spamhaus.org");
	if (with_root) {
		f = findings_add(fs, "cause.smtp-inspection",
		    "a firewall between this machine and contoso-com.mail.protection.outlook.com "
		    "inspects SMTP");
		f->root = true;
		finding_evidence(f, "symptom smtp.starttls-missing: the EHLO reply does not list STARTTLS");
		finding_evidence(f, "<- evidence middlebox.banner-masked: the greeting is masked: %s",
		    EVIL_BANNER);
		finding_evidence(f, "<- cause: SMTP/ESMTP inspection on a firewall in the path");
	}
	findings_sort(fs);
}

/* Render into a string (caller frees). */
static char *render(const char *command, const struct diagnosis *d, const struct findings *fs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	cr_assert_not_null(m);
	report_markdown(m, command, d, fs);
	cr_assert_eq(fclose(m), 0);
	cr_assert_not_null(buf);
	cr_assert_eq(strlen(buf), len, "no NUL inside the report");
	return buf;
}

static char *render_full(bool with_root)
{
	struct diagnosis d;
	struct findings fs = { 0 };
	char *md;

	build(&d);
	add_findings(&fs, with_root);
	md = render("check", &d, &fs);
	findings_free(&fs);
	diagnosis_free(&d);
	return md;
}

/* The unescaped '|' in a table line (a backslash escapes the next character). */
static size_t cell_pipes(const char *line, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (line[i] == '\\') {
			i++;
			continue;
		}
		if (line[i] == '|')
			n++;
	}
	return n;
}

/* Every table in md: rows are whole lines starting and ending with '|', with as
 * many cells as the header. Returns the number of table lines seen. */
static size_t check_tables(const char *md)
{
	size_t want = 0, lines = 0;
	bool in_table = false, in_fence = false;

	for (const char *p = md; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		/* A fenced code block (the mail path picture) holds no table. */
		if (len >= 3 && strncmp(p, "```", 3) == 0)
			in_fence = !in_fence;
		if (len > 0 && p[0] == '|' && !in_fence) {
			size_t pipes = cell_pipes(p, len);

			cr_assert(p[len - 1] == '|', "table line does not end with '|': %.*s", (int)len, p);
			if (!in_table)
				want = pipes;
			cr_assert_eq(pipes, want, "table line with %zu cells, header has %zu: %.*s",
			    pipes - 1, want - 1, (int)len, p);
			in_table = true;
			lines++;
		} else {
			in_table = false;
		}
		p += len;
		if (*p == '\n')
			p++;
	}
	return lines;
}

static const char *find(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);

	cr_assert_not_null(p, "not found in the report: \"%s\"", needle);
	return p;
}

/* The whole line of md holding needle. */
static char *line_with(const char *md, const char *needle)
{
	const char *p = find(md, needle), *b = p, *e;

	while (b > md && b[-1] != '\n')
		b--;
	e = strchr(p, '\n');
	return strndup(b, e ? (size_t)(e - b) : strlen(b));
}

Test(report_md, title_and_result)
{
	char *md = render_full(true);

	cr_assert(strncmp(md, "# hybridtls check: contoso.com, 2025-10-09 08:53:20 UTC\n\n",
	    strlen("# hybridtls check: contoso.com, 2025-10-09 08:53:20 UTC\n\n")) == 0,
	    "title: %.80s", md);
	/* Root causes are not counted among the failures, as in the text report. */
	find(md, "\n**Result:** 1 root cause; 2 failed, 1 warning, 0 could not be tested, 1 ok, "
	    "0 info (exit status 2: failures found)\n");
	find(md, "\nGenerated by hybridtls " PACKAGE_VERSION ".\n");
	free(md);
}

Test(report_md, root_cause_first_with_its_chain)
{
	char *md = render_full(true);
	const char *root = find(md, "\n## Most likely root cause\n");
	const char *table = find(md, "\n## Findings\n");
	const char *smtp = find(md, "\n## SMTP conversation\n");
	const char *head = find(md, "\n### Root cause: a firewall between this machine and the server "
	    "inspects SMTP (`cause.smtp-inspection`)\n");

	cr_assert(find(md, "**Result:**") < root);
	cr_assert(root < head && head < table && table < smtp);
	/* The chain as a list of code spans, in order. */
	{
		const char *a = find(head, "\n- `symptom smtp.starttls-missing: the EHLO reply does not "
		    "list STARTTLS`\n");
		const char *b = find(head, "\n- `````<- evidence middlebox.banner-masked: the greeting "
		    "is masked: " EVIL_BANNER "`````\n");
		const char *c = find(head, "\n- `<- cause: SMTP/ESMTP inspection on a firewall in the "
		    "path`\n");

		cr_assert(a < b && b < c && c < table);
	}
	/* Its explanation, fix and verification, with the knowledge base's code spans kept. */
	cr_assert(find(head, "\n**What it means**\n\n") < find(head, "\n**Fix**\n\n"));
	cr_assert(find(head, "\n**Fix**\n\n") < find(head, "\n**How to verify**\n\n"));
	cr_assert(find(head, "`no inspect esmtp`") < table);
	/* "\n" in the knowledge base: a new list item, after a blank line. */
	cr_assert(find(head, "\n\n1. Cisco ASA: in configuration mode `policy-map global_policy`")
	    < table);
	cr_assert(find(head, "\n\n2. Cisco PIX 6.x: ") < table);
	/* "edit <id>" stays inside its code span; outside one, '<' is escaped. */
	cr_assert(find(head, "`edit <id>`") < table);
	free(md);
}

Test(report_md, no_root_cause_section_without_one)
{
	char *md = render_full(false);

	cr_assert_null(strstr(md, "Most likely root cause"));
	cr_assert_null(strstr(md, "CAUSE"));
	find(md, "**Result:** 2 failed, 1 warning,");
	free(md);
}

Test(report_md, findings_table_and_sections)
{
	char *md = render_full(true);
	const char *table = find(md, "\n## Findings\n\n| Severity | ID | Summary |\n| --- | --- | --- |\n"
	    "| CAUSE | `cause.smtp-inspection` | a firewall between this machine and "
	    "contoso-com.mail.protection.outlook.com inspects SMTP |\n");

	/* Sorted: the cause, failures, warnings, then ok. */
	cr_assert(find(table, "\n| FAIL | `smtp.starttls-missing` | the EHLO reply of "
	    "contoso-com.mail.protection.outlook.com does not list STARTTLS |\n") <
	    find(table, "\n| FAIL | `dnsbl.listed` | 203.0.113.7 is listed in zen.spamhaus.org |\n"));
	cr_assert(find(table, "\n| FAIL | `dnsbl.listed` |") < find(table, "\n| WARN | `middlebox.banner-masked` |"));
	cr_assert(find(table, "\n| WARN | `middlebox.banner-masked` |") <
	    find(table, "\n| OK | `tls.handshake-ok` | TLSv1.2 with ECDHE-RSA-AES256-GCM-SHA384 |\n"));

	/* A section per failure and warning, none for ok; the cause is not repeated. */
	find(md, "\n### FAIL: STARTTLS is not offered in the EHLO reply (`smtp.starttls-missing`)\n\n"
	    "the EHLO reply of contoso-com.mail.protection.outlook.com does not list STARTTLS\n\n"
	    "**Evidence**\n\n- `EHLO reply: 250 XXXXXXXA`\n\n**What it means**\n\n");
	find(md, "\n### WARN: The greeting is masked with asterisks (Cisco ASA/PIX SMTP inspection) "
	    "(`middlebox.banner-masked`)\n");
	find(md, "\n### FAIL: ");
	cr_assert_null(strstr(md, "### OK"));
	cr_assert_null(strstr(md, "(`tls.handshake-ok`)"));
	cr_assert_null(strstr(strstr(md, "\n## Findings\n"), "(`cause.smtp-inspection`)\n"));
	free(md);
}

Test(report_md, hostile_banner_escaped_in_the_table)
{
	char *md = render_full(true);
	char *row = line_with(md, "| WARN | `middlebox.banner-masked` |");

	cr_assert_str_eq(row, "| WARN | `middlebox.banner-masked` | the greeting is masked: 220 "
	    "\\*\\*\\*\\*\\|\\*\\*\\*\\* \\`\\`\\`\\` \\`rm -rf\\` \\<b>x\\</b> \\| end |");
	cr_assert_eq(cell_pipes(row, strlen(row)), 4);
	free(row);
	/* In the section, as a paragraph, escaped the same way: no raw HTML outside
	 * code (the transcript and the evidence show it as sent, as code). */
	find(md, "(`middlebox.banner-masked`)\n\nthe greeting is masked: 220 \\*\\*\\*\\*|"
	    "\\*\\*\\*\\* \\`\\`\\`\\` \\`rm -rf\\` \\<b>x\\</b> | end\n\n");
	find(md, "\n- `````greeting: " EVIL_BANNER "`````\n");
	cr_assert_null(strstr(md, " <script>"));
	find(md, " \\<script>");
	free(md);
}

Test(report_md, tables_whole_and_no_raw_newlines_in_cells)
{
	char *md = render_full(true);

	/* findings 7, TLS 9, chain 4, DNS 8, blocklists 4 */
	cr_assert_eq(check_tables(md), 32);
	/* The TXT with a newline and pipes stays in its row. */
	find(md, "\n| | | | MS=ms12345678 \\| injected \\| row\\\\x0a\\| x \\| y \\| |\n");
	/* The certificate subject with a newline, a pipe, a backtick and HTML. */
	find(md, "\n| 1 | CN=Evil \\| CA\\\\x0asecond line \\`x\\` \\<script> | CN=Root | ");
	free(md);
}

Test(report_md, fenced_transcript)
{
	char *md = render_full(true);
	const char *open, *close;

	/* The banner holds a run of four backticks: the fence is five long. */
	open = find(md, "\n`````text\n");
	close = find(open + 1, "\n`````\n");
	cr_assert(find(open, "\n   0.000  ** connecting to 52.101.0.1 port 25\n") < close);
	/* Inside the fence the line is as sent: nothing escaped. */
	cr_assert(find(open, "\n   0.120  <- " EVIL_BANNER "\n") < close);
	cr_assert(find(open, "\n   0.130  -> EHLO probe.contoso.com\n") < close);
	cr_assert(find(open, "\n   1.500  ~> EHLO probe.contoso.com\n") < close);
	cr_assert(find(open, "\n   1.530  <~ 250 SIZE 157286400\n") < close);
	cr_assert(find(open, "\n  12.345  ** closed\n") < close);
	/* No line inside the block could close it. */
	for (const char *p = strchr(open + 1, '\n') + 1; p < close; p = strchr(p, '\n') + 1)
		cr_assert(strncmp(p, "`````", 5) != 0);
	free(md);
}

Test(report_md, smtp_tls_and_chain)
{
	char *md = render_full(true);

	find(md, "\n- Server: contoso-com.mail.protection.outlook.com port 25, started 2025-10-09 "
	    "08:53:20 UTC\n");
	find(md, "\n- Connected to 52.101.0.1 from local address 10.0.0.5; the server sees: "
	    "203.0.113.7\n");
	find(md, "\n- Timings: connect 21 ms; banner 99 ms; EHLO 40 ms; total 1234 ms; connections "
	    "used: 1\n");
	find(md, "\n### TLS\n\n| Parameter | Value |\n| --- | --- |\n| Handshake | completed |\n"
	    "| Protocol | TLSv1.2 |\n| Cipher | ECDHE-RSA-AES256-GCM-SHA384 |\n");
	find(md, "\n| Chain verified against system | yes |\n");
	find(md, "\n| Name checked | contoso-com.mail.protection.outlook.com: matches |\n");
	find(md, "\n| # | Subject | Issuer | Valid from | Valid until | Names | Key | SHA-256 |\n");
	find(md, "\n| 0 | CN=mail.protection.outlook.com,O=Microsoft Corporation | CN=DigiCert Cloud "
	    "Services CA-1,O=DigiCert Inc | 2025-09-09 08:53:20 UTC | 2026-08-05 08:53:20 UTC | "
	    "DNS:\\*.mail.protection.outlook.com | RSA 2048 | AB:CD:EF:01 |\n");
	find(md, " | RSA 2048, CA | 12:34:56:78 |\n");
	free(md);
}

Test(report_md, dns_and_blocklists)
{
	char *md = render_full(true);
	const char *dns = find(md, "\n## DNS records of contoso.com\n\n| Record | Name | Status | Values |\n"
	    "| --- | --- | --- | --- |\n");

	find(dns, "\n| MX | contoso.com | answered | 0 contoso-com.mail.protection.outlook.com |\n");
	find(dns, "\n| TXT (SPF) | contoso.com | answered | v=spf1 include:spf.protection.outlook.com "
	    "-all |\n| | | | MS=ms12345678");
	find(dns, "\n| DMARC TXT | \\_dmarc.contoso.com | no such name (NXDOMAIN) |  |\n"
	    "| PTR of 203.0.113.7 | 7.113.0.203.in-addr.arpa | answered | mail.contoso.com |\n"
	    "| PTR name forward | mail.contoso.com | answered (DNSSEC validated) | 203.0.113.7 |\n");
	find(md, "\n## Blocklists\n\nAddress 203.0.113.7 checked in 2 zones.\n\n"
	    "| Zone | Answer | Reason |\n| --- | --- | --- |\n"
	    "| zen.spamhaus.org | 127.0.0.2, 127.0.0.4 | Listed \\| see \\`https://check.spamhaus.org/\\` |\n"
	    "| bl.spamcop.net | no such name (NXDOMAIN) |  |\n");
	find(md, "\nThe public IP checked was the address Exchange Online saw in its EHLO reply.\n");
	cr_assert(find(md, "\n## SMTP conversation\n") < dns);
	cr_assert(dns < find(md, "\n## Blocklists\n"));
	free(md);
}

Test(report_md, empty_run)
{
	struct diagnosis d;
	struct findings fs = { 0 };
	char *md;

	diagnosis_init(&d);
	d.target = xstrdup("# not a heading | `x`");
	md = render(NULL, &d, &fs);
	cr_assert(strncmp(md, "# hybridtls report: \\# not a heading | \\`x\\`, ",
	    strlen("# hybridtls report: \\# not a heading | \\`x\\`, ")) == 0, "%s", md);
	find(md, "**Result:** 0 failed, 0 warnings, 0 could not be tested, 0 ok, 0 info "
	    "(exit status 0: all good)\n");
	find(md, "\n## Findings\n\nNo findings.\n");
	cr_assert_null(strstr(md, "## SMTP"));
	free(md);

	/* An SMTP step that recorded nothing: no empty code block. */
	d.has_smtp = true;
	d.smtp.host = xstrdup("mx.contoso.com");
	d.smtp.end = END_CONNECT_FAILED;
	d.smtp.end_phase = PHASE_CONNECT;
	md = render("smtp", &d, &fs);
	find(md, "\n- Outcome: no address answered during connect\n");
	find(md, "\nNo conversation was recorded.\n");
	/* The only code block is the picture of the mail path (no findings here: nothing judged). */
	find(md, "\n## Mail path\n\n```\n");
	find(md, " v ? NOT TESTED  no connection made");
	cr_assert_null(strstr(strstr(md, "## Findings"), "```"));
	cr_assert_null(strstr(md, "## DNS"));
	cr_assert_null(strstr(md, "## Blocklists"));
	free(md);
	diagnosis_free(&d);
}

/* ---- the building blocks ---- */

static char *capture(void (*fn)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	cr_assert_not_null(m);
	fn(m, s);
	fclose(m);
	return buf;
}

static void expect(void (*fn)(FILE *, const char *), const char *in, const char *want)
{
	char *got = capture(fn, in);

	cr_assert_str_eq(got, want, "for \"%s\": got \"%s\"", in, got);
	free(got);
}

Test(report_md, code_span_delimiters)
{
	expect(md_code_span, "plain", "`plain`");
	expect(md_code_span, "a `b` c", "``a `b` c``");
	expect(md_code_span, "x ``` y", "````x ``` y````");
	expect(md_code_span, "`start", "`` `start ``");
	expect(md_code_span, "end`", "`` end` ``");
	expect(md_code_span, " padded ", "`  padded  `");
	expect(md_code_span, " lead", "`  lead `");
	expect(md_code_span, "", "` `");
	expect(md_code_span, "   ", "`   `");
	expect(md_code_span, "\tx\t", "`  x  `");
	expect(md_code_span, "nl\nhere\x01", "`nl\\x0ahere\\x01`");
}

Test(report_md, cell_and_text_escaping)
{
	expect(md_cell, "a|b", "a\\|b");
	expect(md_cell, "a\\|b", "a\\\\\\|b");
	expect(md_cell, "line\nbreak\r", "line\\\\x0abreak\\\\x0d");
	expect(md_cell, "tab\there", "tab here");
	expect(md_cell, "``code``", "\\`\\`code\\`\\`");
	expect(md_cell, "<img src=x>", "\\<img src=x>");
	expect(md_cell, "[link](http://x)", "\\[link\\](http://x)");
	expect(md_cell, "AT&T &amp; &#60; &#x41; a & b", "AT&T \\&amp; \\&\\#60; \\&\\#x41; a & b");
	expect(md_text, "see http://x.org/?pr=1&ip=1.2.3.4", "see http://x.org/?pr=1&ip=1.2.3.4");
	expect(md_cell, "_dmarc sel_1 ~~s~~", "\\_dmarc sel_1 \\~\\~s\\~\\~");
	expect(md_cell, "caf\xc3\xa9", "caf\\\\xc3\\\\xa9");
	expect(md_text, "a|b *c*", "a|b \\*c\\*");
}

Test(report_md, kb_text_keeps_code_spans)
{
	expect(md_kb_text, "Run `Get-Queue | fl` then <restart>.\n1. first\n2. `a_b` and a_b\n\n",
	    "Run `Get-Queue | fl` then \\<restart>.\n\n1. first\n\n2. `a_b` and a_b\n\n");
	/* An unclosed backtick is escaped. */
	expect(md_kb_text, "odd ` here", "odd \\` here\n\n");
	expect(md_kb_text, "``x ` y``", "``x ` y``\n\n");
}

Test(report_md, summary_cannot_open_a_block)
{
	struct diagnosis d;
	struct findings fs = { 0 };
	char *md;

	diagnosis_init(&d);
	findings_add(&fs, "smtp.starttls-missing", "# heading");
	findings_add(&fs, "smtp.starttls-refused", "1. not a list");
	findings_add(&fs, "smtp.ehlo-rejected", "> quote");
	findings_add(&fs, "dnsbl.listed", "203.0.113.7 is listed");
	findings_add(&fs, "smtp.closed-early", "- not an item");
	md = render("smtp", &d, &fs);
	find(md, ")\n\n\\# heading\n\n");
	find(md, ")\n\n1\\. not a list\n\n");
	find(md, ")\n\n\\> quote\n\n");
	find(md, ")\n\n203.0.113.7 is listed\n\n");
	find(md, ")\n\n\\- not an item\n\n");
	/* In the table, the same summaries. */
	find(md, "| `smtp.starttls-missing` | \\# heading |\n");
	check_tables(md);
	free(md);
	findings_free(&fs);
	diagnosis_free(&d);
}

Test(report_md, fence_length)
{
	const char *none[] = { "no backticks", NULL };
	const char *four[] = { "a ```` b", "``", "x" };

	cr_assert_eq(md_fence_len(none, 2), 3);
	cr_assert_eq(md_fence_len(four, 3), 5);
	cr_assert_eq(md_fence_len(NULL, 0), 3);
}

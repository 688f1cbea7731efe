/*
 * Firewall SMTP inspection, reproduced by the test-only proxy in front of the
 * real Postfix: each signature is recognised, the root cause leads the
 * findings, and a healthy server raises no false alarm. Also the opt-in
 * envelope probe and the comparison of two vantage points.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "env.h"
#include "kb.h"

static struct diagnosis d;
static struct findings fs;
static char *out;

static void teardown(void)
{
	findings_free(&fs);
	diagnosis_free(&d);
	free(out);
	out = NULL;
}

TestSuite(middlebox, .fini = teardown, .timeout = 60);

static void smtp_via(const char *scenario)
{
	struct check_options co = { .mode = CHECK_SMTP, .target = "127.0.0.1" };

	co.smtp.port = env_port(scenario);
	co.smtp.tls_name = "mail.test";
	co.smtp.phase_timeout_ms = 5000;
	run_check(&co, &d, &fs);
}

static void assert_root_cause(const char *id)
{
	cr_assert(fs.n > 0);
	cr_assert(fs.v[0].root, "the first finding is a root cause: %s", fs.v[0].kb->id);
	cr_assert_str_eq(fs.v[0].kb->id, id, "transcript:\n%s", transcript_text(&d.smtp));
}

static bool has(const char *id, const char *sev)
{
	const struct finding *f = findings_get(&fs, id);

	return f != NULL && strcmp(severity_name(f->sev), sev) == 0;
}

static bool evidence_has(const char *id, const char *text)
{
	const struct finding *f = findings_get(&fs, id);

	for (size_t i = 0; f != NULL && i < f->nevidence; i++)
		if (strstr(f->evidence[i], text) != NULL)
			return true;
	return false;
}

Test(middlebox, healthy_server_raises_no_alarm)
{
	smtp_via("HEALTHY");
	for (size_t i = 0; i < fs.n; i++) {
		cr_assert(strncmp(fs.v[i].kb->id, "middlebox.", 10) != 0, "false alarm: %s", fs.v[i].kb->id);
		cr_assert(!fs.v[i].root, "false root cause: %s", fs.v[i].kb->id);
	}
	cr_assert_eq(findings_exit_status(&fs), 0);
}

Test(middlebox, masked_banner)
{
	smtp_via("MASK_BANNER");
	assert_root_cause("cause.smtp-inspection");
	cr_assert(has("middlebox.banner-masked", "warning"));
	cr_assert(evidence_has("cause.smtp-inspection", "<- evidence middlebox.banner-masked"));
	cr_assert(d.smtp.banner.code == 220 && strncmp(d.smtp.banner.lines[0], "*****", 5) == 0);
}

Test(middlebox, starttls_rewritten_to_xxxxxxxa)
{
	smtp_via("XXXXXXXA");
	assert_root_cause("cause.smtp-inspection");
	cr_assert(has("middlebox.starttls-masked", "failure"));
	cr_assert(has("smtp.starttls-missing", "failure"));
	cr_assert(evidence_has("cause.smtp-inspection", "symptom smtp.starttls-missing"));
	cr_assert(evidence_has("cause.smtp-inspection", "<- evidence middlebox.starttls-masked"));
	cr_assert(evidence_has("middlebox.starttls-masked", "XXXXXXXA"));
}

Test(middlebox, starttls_answered_500)
{
	smtp_via("STARTTLS_500");
	assert_root_cause("cause.smtp-inspection");
	cr_assert(has("middlebox.starttls-rejected", "failure"));
	cr_assert(has("smtp.starttls-refused", "failure"));
	cr_assert_eq(d.smtp.starttls.code, 500);
}

Test(middlebox, handshake_broken_after_220)
{
	smtp_via("STARTTLS_BREAK");
	assert_root_cause("cause.smtp-inspection");
	cr_assert(has("middlebox.tls-broken", "failure"));
	cr_assert(has("tls.handshake-failed", "failure"));
	cr_assert(d.smtp.connections <= 3, "the connection budget holds: %d", d.smtp.connections);
}

Test(middlebox, ehlo_refused_helo_works)
{
	smtp_via("EHLO_REFUSED");
	assert_root_cause("cause.smtp-inspection");
	cr_assert(has("middlebox.ehlo-blocked", "failure"));
	cr_assert(has("smtp.ehlo-rejected", "failure"));
	cr_assert_eq(d.smtp.helo.code, 250);
}

Test(middlebox, starttls_stripped_from_exchange_online)
{
	/* healthy.test's MX is the Exchange Online form; it always offers STARTTLS. */
	struct check_options co = { .mode = CHECK_FULL, .target = "healthy.test" };

	co.smtp.port = env_port("STRIP_STARTTLS");
	co.smtp.tls_name = "mail.test";
	run_check(&co, &d, &fs);
	cr_assert_str_eq(d.smtp.host, "healthy-test.mail.protection.outlook.com");
	assert_root_cause("cause.smtp-inspection");
	cr_assert(has("middlebox.starttls-stripped", "failure"));
}

Test(middlebox, exchange_without_certificate_points_to_the_receive_connector)
{
	smtp_via("EXCHANGE_NOTLS");
	assert_root_cause("cause.receive-connector-certificate");
	cr_assert(has("smtp.starttls-missing", "failure"));
	for (size_t i = 0; i < fs.n; i++)
		cr_assert(strncmp(fs.v[i].kb->id, "middlebox.", 10) != 0, "no firewall signature here");
}

static void envelope_via(const char *scenario)
{
	struct check_options co = { .mode = CHECK_SMTP, .target = "127.0.0.1" };

	co.smtp.port = env_port(scenario);
	co.smtp.tls_name = "mail.test";
	co.smtp.envelope_from = "postmaster@client.test";
	co.smtp.envelope_to = "user@contoso.test";
	run_check(&co, &d, &fs);
	for (size_t i = 0; i < d.smtp.tr.n; i++)
		cr_assert(strncmp(d.smtp.tr.v[i].text, "DATA", 4) != 0, "never DATA");
}

Test(middlebox, envelope_probe_sees_tls_enforced)
{
	envelope_via("ENFORCE");
	cr_assert(has("smtp.tls-enforced", "ok"));
	cr_assert(has("smtp.relay-denied", "info"));
	assert_transcript(&d.smtp, (const char *const[]){ "-> MAIL FROM:<postmaster@client.test>",
	    "<- 530 5.7.0 Must issue a STARTTLS command first", "-> RSET", "-> STARTTLS",
	    "~> MAIL FROM:<postmaster@client.test>", "~> RCPT TO:<user@contoso.test>", "<~ 554 *",
	    "~> RSET", "~> QUIT", NULL });
}

Test(middlebox, envelope_probe_sees_tls_not_enforced)
{
	envelope_via("HEALTHY");
	cr_assert(has("smtp.tls-not-enforced", "info") || has("smtp.relay-denied", "info"));
	cr_assert_null(findings_get(&fs, "smtp.tls-enforced"));
	assert_transcript(&d.smtp, (const char *const[]){ "-> MAIL FROM:<postmaster@client.test>",
	    "<- 250 *", "-> RCPT TO:<user@contoso.test>", "-> RSET", "-> STARTTLS", NULL });
}

Test(middlebox, compare_two_vantage_points)
{
	char a[64], b[64];

	snprintf(a, sizeof a, "127.0.0.1:%u", env_port("HEALTHY"));
	snprintf(b, sizeof b, "127.0.0.1:%u", env_port("XXXXXXXA"));
	cr_assert_eq(run_bin((const char *const[]){ "compare", a, b, "--tls-name", "mail.test", "--ca-file",
	    env_ca(), "--ehlo", EHLO_NAME, NULL }, &out), 1, "%s", out);
	cr_assert(strstr(out, "compare.banner-differs") != NULL, "%s", out);
	cr_assert(strstr(out, "compare.extensions-differ") != NULL, "%s", out);
	cr_assert(strstr(out, "only A") != NULL && strstr(out, "STARTTLS") != NULL, "%s", out);
	free(out);
	snprintf(b, sizeof b, "127.0.0.1:%u", env_port("RELAY"));
	cr_assert_eq(run_bin((const char *const[]){ "compare", a, b, "--tls-name", "mail.test", "--ca-file",
	    env_ca(), "--ehlo", EHLO_NAME, NULL }, &out), 0, "%s", out);
	cr_assert(strstr(out, "compare.same") != NULL, "%s", out);
}

/*
 * The SMTP probe against real servers on 127.0.0.1: a Postfix instance with
 * one smtpd per scenario, Exim for the observed-IP fact, and the test-only
 * hostile proxy for what no real server does on purpose. Each test asserts
 * the exact findings with their severities, and the transcript.
 */
#include "config.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine.h"
#include "env.h"
#include "kb.h"
#include "rules.h"
#include "smtp.h"

#define TIMEOUT_MS 5000

static struct smtp_facts f;
static struct findings fs;

static void teardown(void)
{
	findings_free(&fs);
	smtp_facts_free(&f);
}

TestSuite(smtp, .fini = teardown, .timeout = 60);

static const char *summary_of(const char *id)
{
	const struct finding *x = findings_get(&fs, id);

	cr_assert_not_null(x, "no finding %s", id);
	return x->summary;
}

Test(smtp, healthy_chain)
{
	probe_port(env_port("HEALTHY"), "mail.test", TIMEOUT_MS, &f, &fs);
	assert_findings(&fs, (const char *const[]){ "smtp.starttls-offered:ok", "tls.handshake-ok:ok",
	    "tls.cert-valid:ok", "smtp.observed-ip-unknown:info", "smtp.conversation-ok:ok", NULL });
	assert_transcript(&f, (const char *const[]){
	    "** connecting to 127.0.0.1 port *",
	    "<- 220 mail.test ESMTP",
	    "-> EHLO " EHLO_NAME,
	    "<- 250-mail.test",
	    "<- 250-STARTTLS",
	    "-> STARTTLS",
	    "<- 220 2.0.0 Ready to start TLS",
	    "** TLS established: TLSv1.3*",
	    "~> EHLO " EHLO_NAME,
	    "<~ 250-mail.test",
	    "~> QUIT",
	    "<~ 221 2.0.0 Bye",
	    NULL });
	cr_assert_eq(f.end, END_OK);
	cr_assert_eq(f.connections, 1, "one connection for a healthy server");
	cr_assert_str_eq(f.tls.version, "TLSv1.3");
	cr_assert_eq(f.tls.nchain, 2, "leaf and intermediate as sent");
	cr_assert_str_eq(f.tls.chain[0].common_name, "mail.test");
	cr_assert(f.tls.verified);
	cr_assert_eq(f.tls.name, NAME_MATCH);
	cr_assert(f.starttls_offered);
	/* TLS lines are marked apart from plaintext ones, and EHLO came back over TLS. */
	cr_assert(f.next_tls > 0, "EHLO over TLS lists extensions");
	for (int p = PHASE_CONNECT; p <= PHASE_EHLO_TLS; p++)
		cr_assert(f.phase_ms[p] >= 0, "phase %s was timed", phase_name(p));
	cr_assert_eq(findings_exit_status(&fs), 0);
}

Test(smtp, no_starttls)
{
	probe_port(env_port("NOSTARTTLS"), "mail.test", TIMEOUT_MS, &f, &fs);
	assert_findings(&fs, (const char *const[]){ "smtp.starttls-missing:failure",
	    "tls.not-tested:could not test", "smtp.observed-ip-unknown:info",
	    "smtp.conversation-ok:ok", NULL });
	assert_transcript(&f, (const char *const[]){ "-> EHLO " EHLO_NAME, "<- 250-mail.test",
	    "-> QUIT", "<- 221 2.0.0 Bye", NULL });
	/* The evidence is the EHLO reply itself. */
	cr_assert(findings_get(&fs, "smtp.starttls-missing")->nevidence >= 2);
	cr_assert_eq(findings_exit_status(&fs), 2);
}

static void cert_case(const char *scenario, const char *bad_id)
{
	probe_port(env_port(scenario), "mail.test", TIMEOUT_MS, &f, &fs);
	assert_findings(&fs, (const char *const[]){ bad_id, "smtp.starttls-offered:ok",
	    "tls.handshake-ok:ok", "smtp.observed-ip-unknown:info", "smtp.conversation-ok:ok", NULL });
	/* The handshake went on only to record the facts; the conversation still ends cleanly. */
	assert_transcript(&f, (const char *const[]){ "-> STARTTLS", "** TLS established*",
	    "** chain *", "~> EHLO " EHLO_NAME, "~> QUIT", NULL });
	cr_assert_eq(findings_exit_status(&fs), 2);
}

Test(smtp, expired_certificate)
{
	cert_case("EXPIRED", "tls.cert-expired:failure");
	cr_assert(strstr(summary_of("tls.cert-expired"), "expired on") != NULL);
}

Test(smtp, certificate_not_yet_valid)
{
	cert_case("NOTYET", "tls.cert-not-yet-valid:failure");
}

Test(smtp, wrong_name)
{
	cert_case("WRONGNAME", "tls.cert-name-mismatch:failure");
	cr_assert(strstr(summary_of("tls.cert-name-mismatch"), "mail.test") != NULL);
	cr_assert_eq(f.tls.name, NAME_MISMATCH);
}

Test(smtp, self_signed)
{
	cert_case("SELFSIGNED", "tls.cert-self-signed:failure");
	cr_assert_eq(f.tls.nchain, 1);
}

Test(smtp, missing_intermediate)
{
	cert_case("NOINTER", "tls.chain-incomplete:failure");
	cr_assert(strstr(summary_of("tls.chain-incomplete"), "Intermediate") != NULL,
	    "names the missing issuer: %s", summary_of("tls.chain-incomplete"));
}

Test(smtp, untrusted_root)
{
	cert_case("UNTRUSTED", "tls.untrusted-root:failure");
}

Test(smtp, expiring_soon)
{
	probe_port(env_port("EXPIRING"), "mail.test", TIMEOUT_MS, &f, &fs);
	assert_findings(&fs, (const char *const[]){ "tls.cert-expiring:warning",
	    "smtp.starttls-offered:ok", "tls.handshake-ok:ok", "tls.cert-valid:ok",
	    "smtp.observed-ip-unknown:info", "smtp.conversation-ok:ok", NULL });
	cr_assert_eq(findings_exit_status(&fs), 1);
}

Test(smtp, banner_554)
{
	probe_port(env_port("BANNER554"), "mail.test", TIMEOUT_MS, &f, &fs);
	assert_findings(&fs, (const char *const[]){ "smtp.banner-rejected:failure",
	    "tls.not-tested:could not test", NULL });
	assert_transcript(&f, (const char *const[]){ "<- 554 *", "-> QUIT", NULL });
	cr_assert_eq(f.banner.code, 554);
	cr_assert_eq(f.end, END_REJECTED);
}

Test(smtp, banner_421)
{
	probe_port(env_port("BANNER421"), "mail.test", TIMEOUT_MS, &f, &fs);
	assert_findings(&fs, (const char *const[]){ "smtp.service-unavailable:failure",
	    "tls.not-tested:could not test", NULL });
	assert_transcript(&f, (const char *const[]){ "<- 421 *", NULL });
	cr_assert_eq(f.end, END_SERVICE_UNAVAILABLE);
	cr_assert_eq(f.end_phase, PHASE_BANNER);
}

Test(smtp, tls10_only_server)
{
	probe_port(env_port("TLS10"), "mail.test", TIMEOUT_MS, &f, &fs);
	assert_findings(&fs, (const char *const[]){ "tls.protocol-old:failure",
	    "smtp.starttls-offered:ok", "smtp.observed-ip-unknown:info", NULL });
	assert_transcript(&f, (const char *const[]){ "** TLS handshake failed*",
	    "** connecting to 127.0.0.1 port *",
	    "** starting TLS handshake allowing TLS 1.0/1.1",
	    "** handshake completed only with TLSv1*", NULL });
	cr_assert_eq(f.connections, 2, "the retry is the second connection, within the budget");
	cr_assert(strncmp(f.tls.legacy_version, "TLSv1", 5) == 0);
}

Test(smtp, exim_names_the_client_address)
{
	probe_port(env_port("EXIM"), "exim.test", TIMEOUT_MS, &f, &fs);
	assert_findings(&fs, (const char *const[]){ "smtp.observed-ip:info",
	    "smtp.starttls-offered:ok", "tls.handshake-ok:ok", "tls.cert-valid:ok",
	    "smtp.conversation-ok:ok", NULL });
	cr_assert_str_eq(f.observed_ip, "127.0.0.1");
	cr_assert_str_eq(f.local_addr, "127.0.0.1");
	assert_transcript(&f, (const char *const[]){ "<- 250-exim.test Hello " EHLO_NAME " [127.0.0.1]",
	    NULL });
	cr_assert(strstr(summary_of("smtp.observed-ip"), "127.0.0.1") != NULL);
	cr_assert(strstr(summary_of("smtp.observed-ip"), "NAT") == NULL, "same address: no NAT");
}

Test(smtp, silent_server_hits_the_banner_deadline)
{
	probe_port(env_port("SILENT"), "mail.test", 1500, &f, &fs);
	assert_findings(&fs, (const char *const[]){ "smtp.timeout:failure", NULL });
	cr_assert_eq(f.end, END_TIMEOUT);
	cr_assert_eq(f.end_phase, PHASE_BANNER);
	cr_assert(strstr(summary_of("smtp.timeout"), "banner") != NULL);
	cr_assert(f.total_ms >= 1400 && f.total_ms < 4000, "ended by its deadline: %lld ms",
	    (long long)f.total_ms);
	cr_assert_eq(findings_exit_status(&fs), 2);
}

Test(smtp, megabyte_line_without_crlf)
{
	probe_port(env_port("HUGELINE"), "mail.test", TIMEOUT_MS, &f, &fs);
	assert_findings(&fs, (const char *const[]){ "smtp.reply-too-long:failure", NULL });
	cr_assert_eq(f.end, END_PROTOCOL);
	cr_assert_eq(f.reply_error, REPLY_ERR_LINE_TOO_LONG);
	assert_transcript(&f, (const char *const[]){ "<- AAAAAAAAAA*", NULL });
	cr_assert(f.total_ms < 4000, "recognised without waiting for the deadline");
}

Test(smtp, reset_after_ehlo)
{
	probe_port(env_port("RESET_AFTER_EHLO"), "mail.test", TIMEOUT_MS, &f, &fs);
	assert_findings(&fs, (const char *const[]){ "smtp.connection-reset:failure",
	    "smtp.starttls-offered:ok", "smtp.observed-ip-unknown:info",
	    "tls.not-tested:could not test", NULL });
	cr_assert_eq(f.end, END_RESET);
	assert_transcript(&f, (const char *const[]){ "<- 250-mail.test", "-> STARTTLS", NULL });
}

Test(smtp, tarpit_banner, .timeout = 60)
{
	probe_port(env_port("SLOWBANNER"), "mail.test", 10000, &f, &fs);
	assert_findings(&fs, (const char *const[]){ "smtp.banner-slow:warning",
	    "smtp.starttls-offered:ok", "tls.handshake-ok:ok", "tls.cert-valid:ok",
	    "smtp.observed-ip-unknown:info", "smtp.conversation-ok:ok", NULL });
	cr_assert(f.banner.ms >= 5000);
	cr_assert_eq(findings_exit_status(&fs), 1);
}

Test(smtp, through_a_plain_relay)
{
	probe_port(env_port("RELAY"), "mail.test", TIMEOUT_MS, &f, &fs);
	assert_findings(&fs, (const char *const[]){ "smtp.starttls-offered:ok", "tls.handshake-ok:ok",
	    "tls.cert-valid:ok", "smtp.observed-ip-unknown:info", "smtp.conversation-ok:ok", NULL });
}

static uint16_t closed_port(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert(fd >= 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);	/* nothing listens there now */
	return ntohs(sin.sin_port);
}

Test(smtp, connection_refused)
{
	uint16_t port = closed_port();

	probe_port(port, "mail.test", TIMEOUT_MS, &f, &fs);
	assert_findings(&fs, (const char *const[]){ "smtp.connect-failed:failure", NULL });
	cr_assert_eq(f.end, END_CONNECT_FAILED);
	cr_assert_eq(f.nattempts, 1);
	cr_assert_eq(f.attempts[0].result, CONN_REFUSED);
	cr_assert(strstr(findings_get(&fs, "smtp.connect-failed")->evidence[0], "refused") != NULL);
}

Test(smtp, every_address_of_a_name_is_tried)
{
	/* "localhost" is 127.0.0.1 and ::1 in /etc/hosts; Postfix listens on 127.0.0.1 only. */
	probe_host("localhost", env_port("HEALTHY"), "mail.test", TIMEOUT_MS, &f, &fs);
	cr_assert_str_eq(f.connected_addr, "127.0.0.1", "transcript:\n%s", transcript_text(&f));
	for (size_t i = 0; i < f.nattempts; i++)
		if (strcmp(f.attempts[i].addr, "::1") == 0)
			cr_assert_eq(f.attempts[i].result, CONN_REFUSED);
	cr_assert_not_null(findings_get(&fs, "smtp.conversation-ok"));
	cr_assert_null(findings_get(&fs, "smtp.connect-failed"));
}

static void on_done(void *arg, struct smtp_probe *p)
{
	(void)p;
	*(bool *)arg = true;
}

Test(smtp, unresolvable_name_is_could_not_test)
{
	/* A resolver address where nothing listens: the query fails fast, on loopback. */
	struct engine_options eo = { .resolver = "127.0.0.1:9", .dns_timeout_ms = 300, .dns_tries = 1 };
	struct smtp_options so = { .host = "mail.nowhere.test", .port = 25, .ehlo_name = EHLO_NAME,
	    .phase_timeout_ms = 3000 };
	char *cause = NULL;
	struct engine *e = engine_new(&eo, &cause);
	struct smtp_probe *p;
	bool done = false;

	cr_assert_not_null(e);
	p = smtp_probe_start(e, &so, on_done, &done);
	while (!done) {
		struct pollfd pfd[8];
		size_t n = engine_pollfds(e, pfd, 8);

		poll(pfd, n, engine_timeout(e));
		engine_process(e, pfd, n);
	}
	smtp_probe_take_facts(p, &f);
	smtp_probe_free(p);
	engine_free(e);
	rules_smtp(&f, &fs);
	assert_findings(&fs, (const char *const[]){ "smtp.resolve-failed:could not test", NULL });
	cr_assert_eq(findings_exit_status(&fs), 3);
	cr_assert_eq(f.connections, 0);
}

Test(smtp, ipv6_loopback_end_to_end)
{
	/* Exim listens on [::1] too: connect, observed address and certificate over IPv6. */
	probe_host("::1", env_port("EXIM"), "exim.test", TIMEOUT_MS, &f, &fs);
	cr_assert_str_eq(f.connected_addr, "::1", "transcript:\n%s", transcript_text(&f));
	cr_assert_eq(f.attempts[0].family, AF_INET6);
	cr_assert_str_eq(f.observed_ip, "::1");
	assert_findings(&fs, (const char *const[]){ "smtp.observed-ip:info",
	    "smtp.starttls-offered:ok", "tls.handshake-ok:ok", "tls.cert-valid:ok",
	    "smtp.conversation-ok:ok", NULL });
	assert_transcript(&f, (const char *const[]){ "** connecting to ::1 port *",
	    "<- 250-exim.test Hello " EHLO_NAME " [::1]", NULL });
}

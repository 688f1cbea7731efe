/*
 * Hostile peers, each reproduced by a real test-only peer on loopback (the
 * hostile proxy of tests/tools/hostile.c, the DNS forwarder
 * tests/tools/dnsdrop.c, a Postfix that sends a 100-certificate chain):
 * every one ends in a clear finding within its deadline and with bounded
 * memory. The real binary runs; its wall time and its peak RSS (wait4) are
 * measured against the budget its options give.
 *
 * Also: SIGPIPE never kills hybridtls (a reader that closes early, a server
 * that resets while it writes), it needs no root, and every way the trust
 * decision can change shows in the text, Markdown and JSON reports.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "env.h"

/* Peak RSS a hostile peer may add to a healthy conversation's: every buffer
 * the engine fills from the network is capped far below this (64 KiB of
 * replies, 256 lines a reply, OpenSSL's 100 KiB certificate message). */
#ifdef __SANITIZE_ADDRESS__
/* ASan keeps freed memory in quarantine (up to 256 MiB) and adds shadow
 * memory: the RSS it shows grows with what was ever allocated. The bound
 * that matters is the normal build's; this one still catches a runaway. */
#define RSS_SLACK_KB (64 * 1024)
#else
#define RSS_SLACK_KB (16 * 1024)
#endif
/* Process start, the report and a loaded machine, beyond the deadlines. */
#define SLACK_MS 1500

enum {
	RUN_STDOUT_CLOSED = 1,	/* stdout is a pipe whose reader is gone */
	RUN_AS_NOBODY = 2,	/* through setpriv, when we are root */
};

struct run {
	int status;		/* exit status; -1 if it died of a signal */
	int sig;		/* the signal that ended it, 0 if none */
	char *out, *err;
	long long ms;		/* wall time */
	long rss_kb;		/* peak resident set size */
	json_t *j;		/* out as JSON, when it is */
};

static struct run r, base;
static char peer[128];		/* the peer, for the figures printed */

static void run_free(struct run *x)
{
	free(x->out);
	free(x->err);
	json_decref(x->j);
	memset(x, 0, sizeof *x);
}

static void teardown(void)
{
	run_free(&r);
	run_free(&base);
}

TestSuite(hostile, .fini = teardown, .timeout = 90);

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Append what fd has to *buf; false at its end. */
static bool drain(int fd, char **buf, size_t *len, size_t *cap)
{
	ssize_t n;

	if (*len + 4096 > *cap) {
		*cap = (*cap + 4096) * 2;
		cr_assert_not_null(*buf = realloc(*buf, *cap));
	}
	n = read(fd, *buf + *len, *cap - *len - 1);
	if (n <= 0)
		return false;
	*len += (size_t)n;
	(*buf)[*len] = '\0';
	return true;
}

/*
 * Run hybridtls with args (env: one "NAME=value" to set, or NULL), SIGPIPE
 * at its default as a shell leaves it, stdout and stderr apart. Fills *x.
 */
/* The binary to run, when not env_bin() (a copy nobody can reach). */
static const char *bin_override;

static void run_env(struct run *x, const char *env, unsigned flags, const char *const *args)
{
	int outp[2], errp[2], st;
	struct rusage ru;
	size_t olen = 0, ocap = 0, elen = 0, ecap = 0;
	long long t0 = now_ms();
	bool oopen, eopen = true;
	pid_t pid;

	memset(x, 0, sizeof *x);
	cr_assert_eq(pipe(outp), 0);
	cr_assert_eq(pipe(errp), 0);
	if (flags & RUN_STDOUT_CLOSED) {
		close(outp[0]);	/* every write to stdout now fails with EPIPE */
		outp[0] = -1;
	}
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		const char *argv[48];
		size_t n = 0;
		sigset_t none;
		int null = open("/dev/null", O_RDONLY);

		if (flags & RUN_AS_NOBODY && getuid() == 0) {
			argv[n++] = "setpriv";
			argv[n++] = "--reuid=nobody";
			argv[n++] = "--regid=nogroup";
			argv[n++] = "--clear-groups";
		}
		argv[n++] = bin_override ? bin_override : env_bin();
		for (size_t i = 0; args[i] != NULL && n < 47; i++)
			argv[n++] = args[i];
		argv[n] = NULL;
		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (env != NULL)
			putenv((char *)env);
		dup2(null, 0);
		dup2(outp[1], 1);
		dup2(errp[1], 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(outp[1]);
	close(errp[1]);
	x->out = calloc(1, 1);
	x->err = calloc(1, 1);
	oopen = outp[0] >= 0;
	while (oopen || eopen) {
		struct pollfd pfd[2] = { { oopen ? outp[0] : -1, POLLIN, 0 }, { eopen ? errp[0] : -1, POLLIN, 0 } };

		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents && !drain(outp[0], &x->out, &olen, &ocap))
			oopen = false;
		if (pfd[1].revents && !drain(errp[0], &x->err, &elen, &ecap))
			eopen = false;
	}
	if (outp[0] >= 0)
		close(outp[0]);
	close(errp[0]);
	cr_assert_eq(wait4(pid, &st, 0, &ru), pid);
	x->ms = now_ms() - t0;
	x->rss_kb = ru.ru_maxrss;
	x->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	x->sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	cr_assert_eq(x->sig, 0, "hybridtls was killed by signal %d (%s); stderr: %s", x->sig,
	    strsignal(x->sig), x->err);
	if (olen > 0 && x->out[0] == '{')
		x->j = json_loads(x->out, 0, NULL);
}

#define RUN(x, ...) run_env((x), NULL, 0, (const char *const[]){ __VA_ARGS__, NULL })

static char *port_of(const char *scenario)
{
	static char buf[4][64];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "127.0.0.1:%u", env_port(scenario));
	return buf[i];
}

/* The SMTP probe of a scenario, as JSON, with a phase deadline of timeout seconds. */
static void smtp_json(struct run *x, const char *scenario, const char *timeout)
{
	snprintf(peer, sizeof peer, "%s --timeout %s", scenario, timeout);
	RUN(x, "smtp", port_of(scenario), "--tls-name", "mail.test", "--ca-file", env_ca(), "--ehlo",
	    EHLO_NAME, "--timeout", timeout, "--json");
	cr_assert_not_null(x->j, "not JSON (status %d): %.300s %s", x->status, x->out, x->err);
}

static const char *str_at(json_t *j, const char *path)
{
	char buf[256], *save = NULL, *key;

	snprintf(buf, sizeof buf, "%s", path);
	for (key = strtok_r(buf, ".", &save); key != NULL && j != NULL; key = strtok_r(NULL, ".", &save))
		j = json_object_get(j, key);
	return json_is_string(j) ? json_string_value(j) : NULL;
}

static json_t *finding(const struct run *x, const char *id)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(x->j, "findings"), i, f)
		if (strcmp(json_string_value(json_object_get(f, "id")), id) == 0)
			return f;
	return NULL;
}

static void assert_finding(const struct run *x, const char *id, const char *sev)
{
	json_t *f = finding(x, id);

	cr_assert_not_null(f, "no finding %s in:\n%.3000s", id, x->out);
	cr_assert_str_eq(json_string_value(json_object_get(f, "severity")), sev, "%s", id);
}

static bool evidence_has(const struct run *x, const char *id, const char *text)
{
	json_t *f = finding(x, id), *e;
	size_t i;

	json_array_foreach(json_object_get(f, "evidence"), i, e)
		if (strstr(json_string_value(e), text) != NULL)
			return true;
	return false;
}

static void assert_end(const struct run *x, const char *result, const char *phase)
{
	const char *res = str_at(x->j, "facts.smtp.end.result"), *ph = str_at(x->j, "facts.smtp.end.phase");

	cr_assert(res != NULL && strcmp(res, result) == 0, "end %s, not %s", res ? res : "?", result);
	cr_assert(ph != NULL && strcmp(ph, phase) == 0, "phase %s, not %s", ph ? ph : "?", phase);
}

/* Wall time within budget_ms, peak RSS within the healthy run's plus the slack. */
static void assert_bounded(const struct run *x, long long budget_ms)
{
	if (base.rss_kb == 0) {
		char keep[sizeof peer];

		memcpy(keep, peer, sizeof peer);
		smtp_json(&base, "HEALTHY", "5");
		memcpy(peer, keep, sizeof peer);
	}
	cr_assert(x->ms <= budget_ms + SLACK_MS, "took %lld ms; the budget is %lld ms", x->ms, budget_ms);
	cr_assert(x->rss_kb <= base.rss_kb + RSS_SLACK_KB, "peak RSS %ld KiB; a healthy run: %ld KiB",
	    x->rss_kb, base.rss_kb);
	/* For the table in doc/reliability.md. */
	fprintf(stderr, "hostile: %s: %lld ms, peak RSS %ld KiB (healthy %ld KiB)\n", peer, x->ms, x->rss_kb,
	    base.rss_kb);
}

/* ---- slow peers ---- */

Test(hostile, tarpit_greeting_within_the_deadline)
{
	smtp_json(&r, "SLOWBANNER", "10");	/* the greeting comes after 5.5 s */
	assert_finding(&r, "smtp.banner-slow", "warning");
	assert_finding(&r, "smtp.conversation-ok", "ok");
	cr_assert_eq(r.status, 1);
	cr_assert(r.ms >= 5500);
	assert_bounded(&r, 8 * 10000);
}

Test(hostile, tarpit_greeting_beyond_the_deadline)
{
	smtp_json(&r, "SLOWBANNER", "2");
	assert_finding(&r, "smtp.timeout", "failure");
	assert_end(&r, "timeout", "banner");
	cr_assert_eq(r.status, 2);
	cr_assert(r.ms >= 2000, "not before the deadline: %lld ms", r.ms);
	assert_bounded(&r, 2000);
}

Test(hostile, drip_within_the_deadline_succeeds)
{
	/* One byte every 20 ms: the EHLO reply takes about 3.2 s of the 6. */
	smtp_json(&r, "DRIP", "6");
	assert_finding(&r, "smtp.conversation-ok", "ok");
	assert_finding(&r, "tls.cert-valid", "ok");
	cr_assert_eq(r.status, 0, "%s", r.out);
	cr_assert(r.ms >= 3000, "the drip was real: %lld ms", r.ms);
	assert_bounded(&r, 8 * 6000);
}

Test(hostile, drip_beyond_the_deadline_times_out_cleanly)
{
	smtp_json(&r, "DRIP", "1");
	assert_finding(&r, "smtp.timeout", "failure");
	assert_end(&r, "timeout", "ehlo");
	cr_assert_eq(r.status, 2);
	/* The greeting (0.4 s) and then one phase deadline. */
	assert_bounded(&r, 400 + 1000);
}

/* ---- replies no server should send ---- */

Test(hostile, endless_multiline_reply)
{
	smtp_json(&r, "ENDLESS", "5");
	assert_finding(&r, "smtp.reply-too-long", "failure");
	assert_end(&r, "protocol-error", "ehlo");
	cr_assert(evidence_has(&r, "smtp.reply-too-long", "250-X-ENDLESS-"), "%s", r.out);
	/* Ended by the 256-line cap, not by the deadline. */
	assert_bounded(&r, 1000);
}

Test(hostile, ten_thousand_extensions)
{
	smtp_json(&r, "MANYEXT", "5");
	assert_finding(&r, "smtp.reply-too-long", "failure");
	cr_assert(strstr(json_string_value(json_object_get(finding(&r, "smtp.reply-too-long"), "summary")),
	    "more than 256 lines") != NULL);
	cr_assert(evidence_has(&r, "smtp.reply-too-long", "last line received: 250-X-EXT-00256"), "%s",
	    r.out);
	assert_bounded(&r, 1000);
}

Test(hostile, megabyte_line)
{
	smtp_json(&r, "HUGELINE", "5");
	assert_finding(&r, "smtp.reply-too-long", "failure");
	assert_end(&r, "protocol-error", "banner");
	assert_bounded(&r, 1000);
}

/* No byte a terminal could act on: only printable ASCII, tabs and line ends. */
static void assert_safe_bytes(const char *what, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		cr_assert((*p >= 0x20 && *p < 0x7f) || *p == '\n' || *p == '\t', "%s: raw byte 0x%02x at %zu",
		    what, *p, (size_t)(p - (const unsigned char *)s));
}

/* In the C locale every byte of a report is ASCII (in a UTF-8 one the mail path picture draws lines). */
static void ascii_locale(void)
{
	setenv("LC_ALL", "C", 1);
}

Test(hostile, nul_byte_in_a_reply)
{
	ascii_locale();
	smtp_json(&r, "NUL", "5");
	assert_finding(&r, "smtp.reply-malformed", "failure");
	cr_assert_str_eq(str_at(r.j, "facts.smtp.end.reply_error"), "nul");
	cr_assert(strstr(r.out, "220 mail.test\\\\x00ESMTP") != NULL, "the NUL shown escaped: %s", r.out);
	assert_safe_bytes("JSON", r.out);
	assert_bounded(&r, 1000);
	run_free(&r);
	RUN(&r, "smtp", port_of("NUL"), "--tls-name", "mail.test", "--ca-file", env_ca(), "--timeout", "5");
	assert_safe_bytes("text", r.out);
	cr_assert(strstr(r.out, "mail.test\\x00ESMTP") != NULL, "%s", r.out);
}

Test(hostile, invalid_utf8_and_terminal_escapes_are_escaped)
{
	static const char *const formats[] = { NULL, "--markdown", "--json" };

	ascii_locale();
	snprintf(peer, sizeof peer, "BADBYTES --timeout 5");
	for (size_t i = 0; i < 3; i++) {
		run_free(&r);
		RUN(&r, "smtp", port_of("BADBYTES"), "--tls-name", "mail.test", "--ca-file", env_ca(), "--ehlo",
		    EHLO_NAME, "--timeout", "5", formats[i] ? formats[i] : "--verbose");
		cr_assert_eq(r.status, 0, "the conversation itself is fine: %s", r.out);
		assert_safe_bytes(formats[i] ? formats[i] : "text", r.out);
		cr_assert(strstr(r.out, "\\xff\\xfe\\xc3(") != NULL || strstr(r.out, "\\\\xff\\\\xfe\\\\xc3(") != NULL,
		    "%s", r.out);
		cr_assert(strstr(r.out, "\\x1b[2J") != NULL || strstr(r.out, "\\\\x1b[2J") != NULL ||
		    strstr(r.out, "\\\\x1b\\[2J") != NULL, "%s", r.out);
	}
	assert_bounded(&r, 8 * 5000);
}

/* ---- resets, at every phase ---- */

static void reset_case(const char *scenario, const char *id, const char *result, const char *phase)
{
	run_free(&r);
	smtp_json(&r, scenario, "5");
	assert_finding(&r, id, "failure");
	assert_end(&r, result, phase);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(str_at(r.j, "facts.smtp.end.detail"), "reset") != NULL, "%s: %s", scenario,
	    str_at(r.j, "facts.smtp.end.detail"));
	assert_bounded(&r, 1000);
}

Test(hostile, reset_before_the_banner)
{
	reset_case("RESET_AT_CONNECT", "smtp.connection-reset", "reset", "banner");
	cr_assert_null(finding(&r, "smtp.connect-failed"), "the connection was accepted");
}

Test(hostile, reset_after_the_banner)
{
	reset_case("RESET_AFTER_BANNER", "smtp.connection-reset", "reset", "ehlo");
}

Test(hostile, reset_after_ehlo)
{
	reset_case("RESET_AFTER_EHLO", "smtp.connection-reset", "reset", "starttls");
}

Test(hostile, reset_after_starttls_220)
{
	reset_case("RESET_AFTER_220", "tls.handshake-failed", "tls-failed", "handshake");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(json_object_get(r.j, "facts"), "smtp"),
	    "connections")), 2, "one retry allowing TLS 1.0/1.1, no more");
}

Test(hostile, reset_in_the_middle_of_the_handshake)
{
	reset_case("RESET_MID_HANDSHAKE", "tls.handshake-failed", "tls-failed", "handshake");
}

Test(hostile, reset_after_ehlo_over_tls)
{
	reset_case("RESET_AFTER_EHLO_TLS", "smtp.connection-reset", "reset", "ehlo-tls");
	assert_finding(&r, "tls.handshake-ok", "ok");
}

/* ---- TLS ---- */

Test(hostile, tls_alert_answers_the_client_hello)
{
	smtp_json(&r, "TLS_ALERT", "5");
	assert_finding(&r, "tls.handshake-failed", "failure");
	cr_assert(evidence_has(&r, "tls.handshake-failed", "TLS alert from the server: handshake failure"),
	    "%s", r.out);
	cr_assert_null(finding(&r, "middlebox.tls-broken"), "a real alert is a TLS server's answer");
	assert_bounded(&r, 1000);
}

Test(hostile, plaintext_answer_to_the_client_hello)
{
	smtp_json(&r, "STARTTLS_BREAK", "5");
	assert_finding(&r, "middlebox.tls-broken", "failure");
	assert_finding(&r, "tls.handshake-failed", "failure");
	assert_bounded(&r, 2000);
}

Test(hostile, hundred_certificate_chain)
{
	json_t *chain;

	smtp_json(&r, "LONGCHAIN", "5");
	assert_finding(&r, "tls.chain-long", "warning");
	cr_assert(strstr(json_string_value(json_object_get(finding(&r, "tls.chain-long"), "summary")),
	    "100 certificates") != NULL);
	/* Every certificate sent was verified: the path is valid, not "untrusted". */
	assert_finding(&r, "tls.cert-valid", "ok");
	cr_assert_null(finding(&r, "tls.untrusted-root"));
	chain = json_object_get(json_object_get(json_object_get(json_object_get(r.j, "facts"), "smtp"), "tls"),
	    "chain");
	cr_assert_eq(json_array_size(chain), 100);
	cr_assert_eq(r.status, 1);
	assert_bounded(&r, 2000);
}

/* ---- DNS ---- */

static void dns_via(const char *resolver_env, const char *domain)
{
	char resolver[64];
	const char *port = getenv(resolver_env);

	cr_assert_not_null(port, "%s is not set: run through tests/run-integration.sh", resolver_env);
	snprintf(resolver, sizeof resolver, "127.0.0.1:%s", port);
	snprintf(peer, sizeof peer, "dns %s via %s", domain, resolver_env);
	RUN(&r, "dns", domain, "--resolver", resolver, "--timeout", "2", "--json");
	cr_assert_not_null(r.j, "%s %s", r.out, r.err);
}

/* Every finding of the run has this id (and there is one at least). */
static void assert_all(const char *id)
{
	json_t *f;
	size_t i, n = 0;

	json_array_foreach(json_object_get(r.j, "findings"), i, f) {
		cr_assert_str_eq(json_string_value(json_object_get(f, "id")), id);
		n++;
	}
	cr_assert(n > 0);
}

Test(hostile, dns_answers_that_never_come)
{
	dns_via("HTLS_DNSDROP_PORT", "dead.test");
	assert_all("dns.timeout");
	cr_assert_eq(r.status, 3);
	/* Queries run at once; a second round (the MX host's TLSA) never starts. */
	assert_bounded(&r, 2 * 2000);
}

Test(hostile, dns_servfail)
{
	dns_via("HTLS_DNSDROP_PORT", "sf.test");
	assert_all("dns.servfail");
	cr_assert_eq(r.status, 3);
	assert_bounded(&r, 2000);
}

Test(hostile, dns_truncated_then_answered_over_tcp)
{
	dns_via("HTLS_DNSDROP_PORT", "tc.test");
	assert_finding(&r, "dns.mx-eop", "ok");
	cr_assert(strstr(json_string_value(json_object_get(finding(&r, "dns.mx-eop"), "summary")),
	    "tc-test.mail.protection.outlook.com") != NULL);
	cr_assert_null(finding(&r, "dns.lookup-failed"));
	cr_assert_null(finding(&r, "dns.timeout"));
	assert_bounded(&r, 2 * 2000);
}

Test(hostile, dns_truncated_and_tcp_refused)
{
	dns_via("HTLS_DNSNOTCP_PORT", "tc.test");
	assert_all("dns.lookup-failed");
	cr_assert(evidence_has(&r, "dns.lookup-failed", "refused the connection") ||
	    strstr(r.out, "refused the connection") != NULL, "%s", r.out);
	cr_assert_eq(r.status, 3);
	assert_bounded(&r, 2 * 2000);
}

/* A first resolver that answers SERVFAIL: the DNS checks report it (a fact about
 * that resolver), but the SMTP step's host lookup moves on to the second one. */
Test(hostile, host_lookup_moves_past_a_servfail_resolver)
{
	char resolvers[96], target[64];

	snprintf(resolvers, sizeof resolvers, "127.0.0.1:%s,127.0.0.1:%s", getenv("HTLS_DNSDROP_PORT"),
	    getenv("HTLS_DNS_PORT"));
	snprintf(target, sizeof target, "mail.sf.test:%u", env_port("HEALTHY"));
	snprintf(peer, sizeof peer, "smtp %.40s via two resolvers", target);
	RUN(&r, "smtp", target, "--resolver", resolvers, "--tls-name", "mail.test", "--ca-file", env_ca(),
	    "--ehlo", EHLO_NAME, "--timeout", "3", "--json");
	cr_assert_not_null(r.j, "%s %s", r.out, r.err);
	assert_finding(&r, "smtp.conversation-ok", "ok");
	cr_assert_eq(r.status, 0, "%s", r.out);
	assert_bounded(&r, 3000);
	run_free(&r);

	RUN(&r, "dns", "sf.test", "--resolver", resolvers, "--timeout", "2", "--json");
	cr_assert_not_null(r.j, "%s %s", r.out, r.err);
	assert_all("dns.servfail");
}

/* ---- SIGPIPE ---- */

Test(hostile, closed_stdout_never_kills)
{
	static const char *const cmds[][12] = {
		{ "smtp", NULL, "--tls-name", "mail.test", "--ca-file", NULL, "--verbose", NULL },
		{ "smtp", NULL, "--tls-name", "mail.test", "--ca-file", NULL, "--json", NULL },
		{ "smtp", NULL, "--tls-name", "mail.test", "--ca-file", NULL, "--markdown", NULL },
		{ "explain", "451 5.7.3 Must issue a STARTTLS command first", NULL },
		{ "explain", "--json", "451 5.7.3 Must issue a STARTTLS command first", NULL },
	};

	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		const char *args[12];

		memcpy(args, cmds[i], sizeof args);
		if (strcmp(args[0], "smtp") == 0) {
			args[1] = port_of("HEALTHY");
			args[5] = env_ca();
		}
		run_free(&r);
		run_env(&r, NULL, RUN_STDOUT_CLOSED, args);	/* asserts: no signal */
		cr_assert_eq(r.status, 0, "%s %s: status %d, %s", args[0], args[6] ? args[6] : "", r.status, r.err);
		cr_assert(strstr(r.err, "standard output was closed before the whole report was written") != NULL,
		    "%s: %s", args[0], r.err);
	}
}

Test(hostile, reader_that_leaves_early_never_kills)
{
	char path[] = "/tmp/hybridtls-pipe-XXXXXX";
	int fd = mkstemp(path), outp[2], st;
	FILE *fp;
	char c;
	pid_t pid;

	/* A first line at once, the second after the tarpit's 5.5 s: by then the reader is gone. */
	cr_assert(fd >= 0);
	cr_assert_not_null(fp = fdopen(fd, "w"));
	fprintf(fp, "%s\n%s\n", port_of("HEALTHY"), port_of("SLOWBANNER"));
	fclose(fp);
	cr_assert_eq(pipe(outp), 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		signal(SIGPIPE, SIG_DFL);
		dup2(outp[1], 1);
		dup2(null, 2);
		dup2(null, 0);
		close(outp[0]);
		execl(env_bin(), env_bin(), "batch", path, "--json", "-j", "1", "--timeout", "10", "--tls-name",
		    "mail.test", "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--resolver", env_resolver(),
		    (char *)NULL);
		_exit(127);
	}
	close(outp[1]);
	cr_assert_eq(read(outp[0], &c, 1), 1, "the first line came");	/* head -c 1 */
	close(outp[0]);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	unlink(path);
	cr_assert(WIFEXITED(st), "killed by signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	/* Not the tarpit's warning (1): its line found no reader, so the run stopped there. */
	cr_assert_eq(WEXITSTATUS(st), 3, "a batch whose lines were not all read exits 3");
}

Test(hostile, server_resets_while_we_write_never_kills)
{
	/* SIGPIPE is at its default in the child: a write into a reset connection
	 * (plaintext or TLS) must come back as an error, never as the signal. */
	static const char *const resets[] = { "RESET_AT_CONNECT", "RESET_AFTER_BANNER", "RESET_AFTER_EHLO",
	    "RESET_AFTER_220", "RESET_MID_HANDSHAKE", "RESET_AFTER_EHLO_TLS", "TLS_ALERT", "STARTTLS_BREAK" };

	for (size_t i = 0; i < sizeof resets / sizeof resets[0]; i++) {
		for (int k = 0; k < 5; k++) {	/* the races differ from run to run */
			run_free(&r);
			RUN(&r, "smtp", port_of(resets[i]), "--tls-name", "mail.test", "--ca-file", env_ca(),
			    "--envelope", "postmaster@client.test,user@contoso.test", "--timeout", "5");
			cr_assert_eq(r.status, 2, "%s: %s %s", resets[i], r.out, r.err);
		}
	}
}

/* ---- no root ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "id:severity" of every finding, sorted, one a line. */
static char *finding_list(const struct run *x)
{
	json_t *f;
	size_t i, n = json_array_size(json_object_get(x->j, "findings"));
	char **v = calloc(n + 1, sizeof *v), *s;
	size_t len = 1;

	json_array_foreach(json_object_get(x->j, "findings"), i, f) {
		cr_assert(asprintf(&v[i], "%s:%s\n", json_string_value(json_object_get(f, "id")),
		    json_string_value(json_object_get(f, "severity"))) > 0);
		len += strlen(v[i]);
	}
	qsort(v, n, sizeof *v, cmp_str);
	s = calloc(1, len);
	for (i = 0; i < n; i++) {
		strcat(s, v[i]);
		free(v[i]);
	}
	free(v);
	return s;
}

Test(hostile, no_root_needed)
{
	const char *const args[] = { "check", "healthy.test", "--port", NULL, "--tls-name", "mail.test",
	    "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--resolver", env_resolver(), "--timeout", "5", "--json",
	    NULL };
	const char *a[16];
	char port[16], *as_root, *as_nobody;

	char dir[] = "/tmp/htls-nobody-XXXXXX", bin[128], zones_env[200], cmd[1024];
	const char *zones = getenv("HYBRIDTLS_DNSBL_ZONES");

	memcpy(a, args, sizeof args);
	snprintf(port, sizeof port, "%u", env_port("HEALTHY"));
	a[3] = port;
	/* The source tree may sit where nobody cannot go (/root): both runs use copies in /tmp. */
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_not_null(zones);
	snprintf(bin, sizeof bin, "%s/hybridtls", dir);
	snprintf(zones_env, sizeof zones_env, "HYBRIDTLS_DNSBL_ZONES=%s/zones", dir);
	snprintf(cmd, sizeof cmd, "chmod 755 %s && cp %s %s && cp %s %s/zones && chmod 644 %s/zones", dir, env_bin(),
	    bin, zones, dir, dir);
	cr_assert_eq(system(cmd), 0);
	bin_override = bin;
	run_env(&base, zones_env, 0, a);
	run_env(&r, zones_env, RUN_AS_NOBODY, a);
	bin_override = NULL;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
	cr_assert_not_null(base.j, "%s", base.err);
	cr_assert_not_null(r.j, "as nobody: %s", r.err);
	as_root = finding_list(&base);
	as_nobody = finding_list(&r);
	cr_assert(strstr(as_root, "tls.cert-valid:ok") != NULL && strstr(as_root, "dns.mx-eop:ok") != NULL,
	    "a full check: %s", as_root);
	cr_assert_str_eq(as_nobody, as_root, "the same findings without root:\n%s\nas root:\n%s\n%s", as_nobody,
	    as_root, r.err);
	cr_assert_eq(r.status, base.status);
	if (getuid() == 0)
		cr_assert(strstr(r.err, "setpriv") == NULL, "setpriv worked: %s", r.err);
	free(as_root);
	free(as_nobody);
	base.rss_kb = 0;
}

/* ---- trust: every change shows in the text, Markdown and JSON reports ---- */

static char cert_file[256];	/* --cert for in_every_report, when set */

/* The text with each line break and the indentation after it as one space:
 * the text report wraps long summaries. A static copy. */
static const char *flat(const char *s)
{
	static char *buf;
	size_t o = 0;

	free(buf);
	cr_assert_not_null(buf = malloc(strlen(s) + 1));
	for (; *s; s++) {
		if (*s == '\n') {
			while (s[1] == ' ')
				s++;
			buf[o++] = ' ';
		} else
			buf[o++] = *s;
	}
	buf[o] = '\0';
	return buf;
}

/*
 * Run smtp against a scenario in the three formats, with --ca-file or not,
 * --tls-name NAME or not, and env set; each report must contain want (the
 * JSON one json_want).
 */
static void in_every_report(const char *env, const char *scenario, bool ca, const char *name,
    const char *want, const char *json_want)
{
	static const char *const fmts[] = { "--verbose", "--markdown", "--json" };

	for (size_t i = 0; i < 3; i++) {
		const char *args[16] = { "smtp", port_of(scenario), "--ehlo", EHLO_NAME, "--timeout", "5",
		    fmts[i] };
		size_t n = 7;

		if (ca) {
			args[n++] = "--ca-file";
			args[n++] = env_ca();
		}
		if (name != NULL) {
			args[n++] = "--tls-name";
			args[n++] = name;
		}
		if (cert_file[0] != '\0') {
			args[n++] = "--cert";
			args[n++] = cert_file;
		}
		run_free(&r);
		run_env(&r, env, 0, args);
		cr_assert(strstr(flat(r.out), i == 2 ? json_want : want) != NULL, "%s: '%s' not in:\n%.4000s",
		    fmts[i], i == 2 ? json_want : want, r.out);
	}
}

Test(hostile, trust_ca_file_is_named)
{
	char want[512], jwant[600];

	snprintf(want, sizeof want, "verified against %s", env_ca());
	snprintf(jwant, sizeof jwant, "\"trust_store\": \"%s\"", env_ca());
	in_every_report(NULL, "HEALTHY", true, "mail.test", want, jwant);
}

Test(hostile, trust_system_store_is_named)
{
	/* Without --ca-file the test CA is not trusted, and the reports say against what. */
	in_every_report(NULL, "HEALTHY", false, "mail.test", "verified against system",
	    "\"trust_store\": \"system\"");
	assert_finding(&r, "tls.untrusted-root", "failure");
}

Test(hostile, trust_store_from_the_environment_is_named)
{
	static char env[600];

	snprintf(env, sizeof env, "SSL_CERT_FILE=%s", env_ca());
	in_every_report(env, "HEALTHY", false, "mail.test", "verified against the environment's SSL_CERT_FILE",
	    "\"trust_store\": \"the environment's SSL_CERT_FILE=");
	assert_finding(&r, "tls.cert-valid", "ok");
}

Test(hostile, trust_legacy_retry_is_said)
{
	in_every_report(NULL, "TLS10", true, "mail.test", "the certificate was not verified",
	    "the certificate was not verified: the retry at security level 0");
	assert_finding(&r, "tls.protocol-old", "failure");
	cr_assert_null(finding(&r, "tls.cert-valid"), "nothing is called valid after a SECLEVEL 0 handshake");
}

Test(hostile, trust_name_check_is_said)
{
	in_every_report(NULL, "HEALTHY", true, "mail.test", "mail.test", "\"name_checked\": \"mail.test\"");
	/* By address without --tls-name: the name is not checked, and the reports say so. */
	in_every_report(NULL, "HEALTHY", true, NULL, "tls.name-not-checked", "\"tls.name-not-checked\"");
}

Test(hostile, trust_store_of_the_onprem_certificate_is_named)
{
	char want[512], cmd[1024];
	int fd;

	/* The on-premises certificate (--cert) is checked against --ca-file as well. */
	snprintf(cert_file, sizeof cert_file, "/tmp/hybridtls-cert-XXXXXX");
	cr_assert((fd = mkstemp(cert_file)) >= 0);
	close(fd);
	snprintf(cmd, sizeof cmd, "cat '%s/client.key' '%s/client.chain.pem' > '%s'", getenv("HTLS_CERTS"),
	    getenv("HTLS_CERTS"), cert_file);
	cr_assert_eq(system(cmd), 0);
	snprintf(want, sizeof want, "chain complete against %s", env_ca());
	in_every_report(NULL, "HEALTHY", true, "mail.test", want, want);
	assert_finding(&r, "onpremcert.valid", "ok");
	unlink(cert_file);
	cert_file[0] = '\0';
}

/* ---- the engine's TLS writes, into a connection the server reset ---- */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "tls.h"

/* Read one line (byte by byte: nothing past it may be taken from the socket). */
static bool read_line(int fd, char *buf, size_t len)
{
	size_t n = 0;

	while (n + 1 < len && read(fd, buf + n, 1) == 1)
		if (buf[n++] == '\n') {
			buf[n] = '\0';
			return true;
		}
	return false;
}

/* Read a reply; true when its code is code. */
static bool reply_is(int fd, const char *code)
{
	char line[1024];

	while (read_line(fd, line, sizeof line))
		if (line[3] != '-')
			return strncmp(line, code, 3) == 0;
	return false;
}

/* In a child with SIGPIPE at its default: STARTTLS through reset-after-ehlo-tls,
 * which resets the connection on our EHLO over TLS; then write again, and again. */
static void write_after_reset(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(env_port("RESET_AFTER_EHLO_TLS")),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct tls_conn *c;
	char *cause = NULL;
	size_t sent;
	enum tls_io io;

	signal(SIGPIPE, SIG_DFL);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0 || !reply_is(fd, "220") ||
	    write(fd, "EHLO client.test\r\n", 18) != 18 || !reply_is(fd, "250") ||
	    write(fd, "STARTTLS\r\n", 10) != 10 || !reply_is(fd, "220"))
		_exit(10);
	if ((c = tls_conn_new(fd, "mail.test", false, NULL, &cause)) == NULL)
		_exit(11);
	while ((io = tls_conn_handshake(c, NULL, 0)) != TLS_IO_DONE)
		if (io != TLS_IO_WANT_READ && io != TLS_IO_WANT_WRITE)
			_exit(12);
	for (int i = 0; i < 4; i++) {
		io = tls_conn_write(c, "EHLO client.test\r\n", 18, &sent);
		if (i == 0 && io != TLS_IO_DONE)
			_exit(13);
		usleep(100 * 1000);	/* the reset arrives */
	}
	_exit(io == TLS_IO_RESET || io == TLS_IO_ERROR || io == TLS_IO_CLOSED ? 0 : 14);
}

Test(hostile, engine_tls_write_after_a_reset_never_raises_sigpipe)
{
	int st;
	pid_t pid = fork();

	cr_assert(pid >= 0);
	if (pid == 0)
		write_after_reset();
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(!WIFSIGNALED(st), "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "step %d failed", WEXITSTATUS(st));
}

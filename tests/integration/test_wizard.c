/*
 * The wizard, driven as an admin drives it: the real binary in tmux, keys
 * sent, the screen read back; live against the tests' Exim, Postfix and NSD.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env.h"
#include "tmux.h"

static struct tmx t;

static void teardown(void)
{
	tmx_stop(&t);
}

TestSuite(wizard, .fini = teardown, .timeout = 90);

/*
 * The wizard in a shell that records the terminal settings before and after
 * and the exit status, then stays so the files can be read.
 */
static void start(int cols, int rows, const char *env, const char *args)
{
	char cmd[4096];

	snprintf(cmd, sizeof cmd, "stty -g > before; sh -c 'echo $$ > pid; exec env %s %s --resolver %s "
	    "--ca-file %s --ehlo " EHLO_NAME " %s'; echo $? > status; stty -g > after; sleep 600",
	    env ? env : "LANG=C.UTF-8", env_bin(), env_resolver(), env_ca(), args ? args : "");
	tmx_start(&t, cols, rows, cmd);
}

/* The exit status once the wizard has gone, or -1. */
static int wait_exit(int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += 50) {
		char *s = tmx_read(tmx_path(&t, "status"));

		if (s != NULL && *s != '\0') {
			int st = atoi(s);

			free(s);
			usleep(100 * 1000);	/* the "after" stty */
			return st;
		}
		free(s);
		usleep(50 * 1000);
	}
	return -1;
}

static void assert_terminal_restored(void)
{
	char *before = tmx_read(tmx_path(&t, "before")), *after = tmx_read(tmx_path(&t, "after"));

	cr_assert_not_null(before);
	cr_assert_not_null(after);
	cr_assert_str_eq(before, after, "stty settings differ after the wizard: %s vs %s", before, after);
	free(before);
	free(after);
}

/* Page down until text shows (a long finding). */
static void scroll_to(const char *text)
{
	for (int i = 0; i < 12 && !tmx_wait(&t, text, 300); i++)
		tmx_keys(&t, "NPage");
	tmx_assert_shows(&t, text, 100);
}

static void live_exim(void)
{
	char args[256];

	snprintf(args, sizeof args, "--port %u", env_port("EXIM"));
	start(80, 24, NULL, args);
	tmx_assert_shows(&t, "What to check", 5000);
	tmx_text(&t, "healthy.test");
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "done in", 15000);
}

/* An SGR sequence that sets a colour (30-37, 40-47, 90-97, 100-107, 38;/48;), not the default (39, 49). */
static bool has_colour(const char *s)
{
	for (const char *p = s; (p = strstr(p, "\033[")) != NULL; p += 2) {
		const char *q = p + 2;

		while (*q != '\0' && *q != 'm') {
			int v = atoi(q);

			if ((v >= 30 && v <= 38) || (v >= 40 && v <= 48) || (v >= 90 && v <= 107))
				return true;
			while (*q >= '0' && *q <= '9')
				q++;
			if (*q == ';')
				q++;
			else if (*q != 'm')
				break;
		}
	}
	return false;
}

Test(wizard, first_screen_help_and_quit)
{
	start(80, 24, NULL, NULL);
	tmx_assert_shows(&t, "What to check", 5000);
	tmx_assert_shows(&t, "Tenant domain or host", 100);
	tmx_assert_shows(&t, "Explain an error", 100);
	tmx_assert_shows(&t, "Demo scenarios", 100);
	tmx_assert_shows(&t, "F1 Help", 100);
	tmx_keys(&t, "F1");
	tmx_assert_shows(&t, "Help: What to check", 3000);
	tmx_keys(&t, "End");
	tmx_assert_shows(&t, "Ctrl-C", 3000);
	tmx_keys(&t, "Escape");
	cr_assert(tmx_wait_gone(&t, "Help: What to check", 3000));
	/* q types into the field; Esc asks before quitting; n keeps the wizard. */
	tmx_keys(&t, "Escape");
	tmx_assert_shows(&t, "Quit hybridtls?", 3000);
	tmx_keys(&t, "n");
	cr_assert(tmx_wait_gone(&t, "Quit hybridtls?", 3000));
	tmx_keys(&t, "Escape");
	tmx_assert_shows(&t, "Quit hybridtls?", 3000);
	tmx_keys(&t, "y");
	cr_assert_eq(wait_exit(5000), 0);
	assert_terminal_restored();
}

Test(wizard, live_run_steps_findings_detail)
{
	char *s;

	live_exim();
	/* Step 1: the conversation as it happened, and the IP the server sees. */
	tmx_assert_shows(&t, "Step 1 of 7: Connect & EHLO (done)", 2000);
	tmx_assert_shows(&t, "The IP the server sees: 127.0.0.1", 2000);
	tmx_assert_shows(&t, "STARTTLS offered: yes", 100);
	tmx_assert_shows(&t, "<- 250-exim.test Hello", 100);
	tmx_assert_shows(&t, "Findings (", 100);
	/* Step 2: the certificate was made for mail.test, not for the MX name. */
	tmx_keys(&t, "Right");
	tmx_assert_shows(&t, "Step 2 of 7: STARTTLS & certificate", 3000);
	tmx_assert_shows(&t, "NOT on the certificate", 2000);
	tmx_assert_shows(&t, "#0 CN=mail.test", 100);
	tmx_assert_shows(&t, "FAIL the certificate does not carry", 100);
	s = tmx_screen(&t, false);
	/* The tab of a failed step says so with a symbol, not only a colour. */
	cr_assert(strstr(s, "2.TLS\xe2\x9c\x96") != NULL || strstr(s, "2 TLS \xe2\x9c\x96") != NULL, "%s", s);
	free(s);
	s = tmx_screen(&t, true);
	cr_assert(has_colour(s), "no colour on a colour terminal");
	free(s);
	/* The finding in full: explanation, evidence, fix. */
	tmx_keys(&t, "Tab");
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "The certificate does not contain the expected name", 3000);
	tmx_assert_shows(&t, "What it means", 100);
	scroll_to("How to fix it");
	scroll_to("How to verify");
	tmx_keys(&t, "t");
	tmx_assert_shows(&t, "Transcript; the evidence of", 3000);
	tmx_keys(&t, "Escape");
	tmx_assert_shows(&t, "Step 2 of 7", 3000);
	/* The summary: every finding; the number keys jump. */
	tmx_keys(&t, "7");
	tmx_assert_shows(&t, "Step 7 of 7: Summary", 3000);
	tmx_assert_shows(&t, "root cause", 100);
	tmx_keys(&t, "3");
	tmx_assert_shows(&t, "Step 3 of 7: Blocklists (done)", 3000);
	tmx_assert_shows(&t, "127.0.0.1 on ", 2000);
	tmx_keys(&t, "q");
	tmx_assert_shows(&t, "Quit hybridtls?", 3000);
	tmx_keys(&t, "y");
	cr_assert_eq(wait_exit(5000), 0);
	assert_terminal_restored();
}

Test(wizard, export_report_in_three_formats)
{
	const char *const names[] = { "report.txt", "report.md", "report.json" };
	const char *const marks[] = { "healthy.test", "# ", "\"findings\"" };

	live_exim();
	for (int i = 0; i < 3; i++) {
		char *f;

		tmx_keys(&t, "x");
		tmx_assert_shows(&t, "Export the report to", 3000);
		tmx_keys(&t, "C-u");
		tmx_text(&t, tmx_path(&t, names[i]));
		tmx_keys(&t, "Enter");
		tmx_assert_shows(&t, "Report saved to", 3000);
		f = tmx_read(tmx_path(&t, names[i]));
		cr_assert_not_null(f, "%s not written", names[i]);
		cr_assert(strstr(f, marks[i]) != NULL, "%s: %.200s", names[i], f);
		free(f);
	}
	tmx_keys(&t, "C-c");
	cr_assert_eq(wait_exit(5000), 130);
}

Test(wizard, cancel_and_rerun_a_step_that_hangs)
{
	char args[256];

	/* A server that never answers, with a long deadline: the screen must stay alive. */
	snprintf(args, sizeof args, "--timeout 60");
	start(80, 24, NULL, args);
	tmx_assert_shows(&t, "What to check", 5000);
	{
		char target[64];

		snprintf(target, sizeof target, "127.0.0.1:%u", env_port("SILENT"));
		tmx_text(&t, target);
	}
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "(running)", 5000);
	/* The spinner and the elapsed time move while it waits. */
	tmx_assert_shows(&t, "running 1.", 5000);
	tmx_keys(&t, "c");
	tmx_assert_shows(&t, "Cancelled. r runs it again.", 3000);
	tmx_assert_shows(&t, "(cancelled)", 3000);
	tmx_keys(&t, "r");
	tmx_assert_shows(&t, "running again", 3000);
	tmx_assert_shows(&t, "(running)", 3000);
	/* Help still opens while it runs. */
	tmx_keys(&t, "F1");
	tmx_assert_shows(&t, "Help: Steps", 3000);
	tmx_keys(&t, "Escape");
	tmx_keys(&t, "c");
	tmx_assert_shows(&t, "(cancelled)", 3000);
	tmx_keys(&t, "q");
	tmx_keys(&t, "y");
	cr_assert_eq(wait_exit(5000), 0);
	assert_terminal_restored();
}

Test(wizard, resize_below_the_minimum_and_back)
{
	live_exim();
	tmx_resize(&t, 50, 15);
	tmx_assert_shows(&t, "needs at least 64x20", 3000);
	tmx_resize(&t, 120, 40);
	tmx_assert_shows(&t, "Step 1 of 7: Connect & EHLO", 3000);
	/* At 120 columns the tabs have room for their long form. */
	tmx_assert_shows(&t, " 1 Connect ", 3000);
	tmx_resize(&t, 80, 24);
	tmx_assert_shows(&t, "1.Connect", 3000);
	tmx_keys(&t, "C-c");
	cr_assert_eq(wait_exit(5000), 130);
	assert_terminal_restored();
}

/* Ctrl-C, SIGTERM and SIGHUP all leave the terminal as it was. */
static void signal_case(const char *sig, int status)
{
	char cmd[256], *pid;

	live_exim();
	pid = tmx_read(tmx_path(&t, "pid"));
	cr_assert_not_null(pid);
	snprintf(cmd, sizeof cmd, "kill -%s %d", sig, atoi(pid));
	free(pid);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(wait_exit(5000), status);
	assert_terminal_restored();
}

Test(wizard, ctrl_c_restores_the_terminal)
{
	live_exim();
	tmx_keys(&t, "C-c");
	cr_assert_eq(wait_exit(5000), 130);
	assert_terminal_restored();
}

Test(wizard, sigterm_restores_the_terminal)
{
	signal_case("TERM", 143);
}

Test(wizard, sighup_restores_the_terminal)
{
	signal_case("HUP", 129);
}

Test(wizard, explain_a_pasted_error_and_go_to_its_step)
{
	start(80, 24, NULL, NULL);
	tmx_assert_shows(&t, "What to check", 5000);
	tmx_keys(&t, "Tab");	/* to the menu */
	tmx_keys(&t, "Tab");
	tmx_keys(&t, "Tab");
	tmx_keys(&t, "Tab");
	tmx_keys(&t, "Tab");
	tmx_keys(&t, "Down");
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "Paste the error", 3000);
	tmx_text(&t, "Remote Server returned '550 5.7.606 Access denied, banned sending IP [203.0.113.7]'");
	tmx_keys(&t, "C-d");
	tmx_assert_shows(&t, "5.7.606", 3000);
	tmx_assert_shows(&t, "g Go to the step", 100);
	tmx_keys(&t, "g");
	/* No run yet: back to the first screen, told which step will test it. */
	tmx_assert_shows(&t, "the Blocklists step tests", 3000);
	tmx_keys(&t, "C-c");
	cr_assert_eq(wait_exit(5000), 130);
}

Test(wizard, ascii_and_monochrome_fallbacks)
{
	char args[256], *s;

	snprintf(args, sizeof args, "--port %u", env_port("EXIM"));
	start(80, 24, "LANG=C NO_COLOR=1", args);
	tmx_assert_shows(&t, "What to check", 5000);
	tmx_text(&t, "healthy.test");
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "done in", 15000);
	tmx_keys(&t, "2");
	tmx_assert_shows(&t, "[FAIL] the certificate does not carry", 3000);
	s = tmx_screen(&t, false);
	cr_assert(strstr(s, "2.TLSX") != NULL, "%s", s);
	cr_assert(strstr(s, "\xe2") == NULL, "UTF-8 on an ASCII terminal:\n%s", s);
	free(s);
	/* NO_COLOR: attributes (bold, reverse) but no colour. */
	s = tmx_screen(&t, true);
	cr_assert(!has_colour(s), "colour escape with NO_COLOR");
	free(s);
	cr_assert(has_colour("\033[1;31mx"));	/* the check itself can fail */
	tmx_keys(&t, "C-c");
	cr_assert_eq(wait_exit(5000), 130);
}

Test(wizard, refuses_a_non_terminal)
{
	char *out = NULL;

	cr_assert_eq(run_bin((const char *const[]){ "--resolver", env_resolver(), NULL }, &out), 64);
	cr_assert(strstr(out, "the wizard needs a terminal") != NULL, "%s", out);
	free(out);
}

/* A crash: the fatal-signal path puts the terminal back before the program dies of it. */
Test(wizard, a_crash_restores_the_terminal)
{
	signal_case("SEGV", 139);
}

/* No export at hand: the connector's sender IPs typed in, judged against the IP the server saw. */
Test(wizard, typed_connector_values_are_judged)
{
	live_exim();
	tmx_keys(&t, "4");
	tmx_assert_shows(&t, "press e to type the connector's sender IPs", 3000);
	tmx_keys(&t, "e");
	tmx_assert_shows(&t, "SenderIPAddresses", 3000);
	tmx_text(&t, "198.51.100.7, 203.0.113.0/24");
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "TlsSenderCertificateName", 3000);
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "127.0.0.1 is not in SenderIPAddresses", 3000);
	tmx_assert_shows(&t, "typed in the wizard", 100);
	/* The public IP typed with i is the one compared. */
	tmx_keys(&t, "i");
	tmx_assert_shows(&t, "The public IP your on-premises servers send from", 3000);
	tmx_text(&t, "198.51.100.7");
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "198.51.100.7 is in SenderIPAddresses", 5000);
	/* The whole check again (r on the summary): the typed values and IP join the new run. */
	tmx_keys(&t, "7");
	tmx_assert_shows(&t, "Step 7 of 7: Summary", 3000);
	tmx_keys(&t, "r");
	tmx_assert_shows(&t, "Summary: running again.", 3000);
	tmx_assert_shows(&t, "done in", 15000);
	tmx_keys(&t, "4");
	tmx_assert_shows(&t, "198.51.100.7 is in SenderIPAddresses", 3000);
	tmx_assert_shows(&t, "typed in the wizard", 100);
	tmx_keys(&t, "C-c");
	cr_assert_eq(wait_exit(5000), 130);
}

/* The firewall was closed, then fixed: r on Connect runs the conversation again,
 * and the blocklists follow by themselves the public IP the server now names. */
Test(wizard, blocklists_follow_the_ip_a_rerun_brings)
{
	const char *flag = getenv("HTLS_FIREWALL_FLAG");
	char args[64], *screen;
	FILE *fp;

	cr_assert_not_null(flag, "HTLS_FIREWALL_FLAG: run through tests/run-integration.sh");
	cr_assert_not_null(fp = fopen(flag, "w"), "%s", flag);
	fclose(fp);
	snprintf(args, sizeof args, "--port %u", env_port("CLOSED_WHILE_FLAG"));
	start(80, 24, NULL, args);
	tmx_assert_shows(&t, "What to check", 5000);
	tmx_text(&t, "healthy.test");
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "done in", 15000);
	tmx_keys(&t, "3");
	tmx_assert_shows(&t, "Step 3 of 7: Blocklists", 3000);
	screen = tmx_screen(&t, false);
	cr_assert_null(strstr(screen, "127.0.0.1 on "), "no public IP yet, no blocklists: %s", screen);
	free(screen);
	/* The firewall opens; only the conversation is run again. */
	cr_assert_eq(unlink(flag), 0);
	tmx_keys(&t, "1");
	tmx_assert_shows(&t, "Step 1 of 7: Connect", 3000);
	tmx_keys(&t, "r");
	tmx_assert_shows(&t, "The IP the server sees: 127.0.0.1", 15000);
	tmx_keys(&t, "3");
	tmx_assert_shows(&t, "127.0.0.1 on ", 15000);
	tmx_assert_shows(&t, "Step 3 of 7: Blocklists (done)", 15000);
	tmx_keys(&t, "C-c");
	cr_assert_eq(wait_exit(5000), 130);
}

/* The envelope test only after consent, then the conversation again with MAIL FROM and RCPT TO. */
Test(wizard, envelope_test_asks_first)
{
	char *s;

	live_exim();
	tmx_keys(&t, "e");
	tmx_assert_shows(&t, "Send MAIL FROM and RCPT TO to this server?", 3000);
	tmx_keys(&t, "n");
	cr_assert(tmx_wait_gone(&t, "Send MAIL FROM", 3000));
	s = tmx_screen(&t, false);
	cr_assert(strstr(s, "MAIL FROM:") == NULL, "%s", s);
	free(s);
	tmx_keys(&t, "e");
	tmx_assert_shows(&t, "Send MAIL FROM and RCPT TO to this server?", 3000);
	tmx_keys(&t, "y");
	tmx_assert_shows(&t, "Sender and recipient", 3000);
	tmx_text(&t, "postmaster@client.test, user@healthy.test");
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "Envelope test: MAIL FROM 250", 15000);
	scroll_to("-> MAIL FROM:<postmaster@client.test>");
	tmx_keys(&t, "C-c");
	cr_assert_eq(wait_exit(5000), 130);
}

/* An encrypted key: the wizard asks for the password (hidden) and runs again with it. */
Test(wizard, certificate_password_prompt)
{
	char cmd[1024], *s;

	start(80, 24, NULL, "--port 1");
	snprintf(cmd, sizeof cmd, "cd %s && openssl req -x509 -newkey rsa:2048 -keyout k.pem -out c.pem -days 30 "
	    "-subj /CN=mail.contoso.test -passout pass:Sekr3t-pw >/dev/null 2>&1 && cat c.pem k.pem > cert.pem",
	    t.dir);
	cr_assert_eq(system(cmd), 0);
	tmx_assert_shows(&t, "What to check", 5000);
	tmx_text(&t, "127.0.0.1");
	tmx_keys(&t, "Tab");
	tmx_keys(&t, "Tab");
	tmx_keys(&t, "Tab");
	tmx_text(&t, tmx_path(&t, "cert.pem"));
	tmx_keys(&t, "F10");
	tmx_assert_shows(&t, "Password for", 5000);
	tmx_text(&t, "Sekr3t-pw");
	s = tmx_screen(&t, false);
	cr_assert(strstr(s, "Sekr3t") == NULL, "the password shows on the screen:\n%s", s);
	free(s);
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "done in", 15000);
	tmx_keys(&t, "4");
	tmx_assert_shows(&t, "private key present, matches", 3000);
	s = tmx_screen(&t, false);
	cr_assert(strstr(s, "Sekr3t") == NULL, "%s", s);
	free(s);
	tmx_keys(&t, "C-c");
	cr_assert_eq(wait_exit(5000), 130);
}

/* Postfix with an expired certificate: the STARTTLS & certificate step says so, with the date. */
Test(wizard, live_postfix_expired_certificate)
{
	char target[64];

	start(80, 24, NULL, "--tls-name mail.test");
	tmx_assert_shows(&t, "What to check", 5000);
	snprintf(target, sizeof target, "127.0.0.1:%u", env_port("EXPIRED"));
	tmx_text(&t, target);
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "done in", 15000);
	tmx_keys(&t, "Right");
	tmx_assert_shows(&t, "Step 2 of 7: STARTTLS & certificate (done)", 3000);
	tmx_assert_shows(&t, "FAIL the server's certificate expired on", 3000);
	tmx_keys(&t, "C-c");
	cr_assert_eq(wait_exit(5000), 130);
}

/* Behind a Cisco-style inspection: the picture marks the edge, and Enter there opens its findings. */
Test(wizard, mail_path_view_marks_the_failing_hop)
{
	char target[64];

	start(80, 24, NULL, NULL);
	tmx_assert_shows(&t, "What to check", 5000);
	snprintf(target, sizeof target, "127.0.0.1:%u", env_port("XXXXXXXA"));
	tmx_text(&t, target);
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "done in", 15000);
	tmx_keys(&t, "p");
	tmx_assert_shows(&t, "the mail path", 3000);
	tmx_assert_shows(&t, "STARTTLS rewritten to XXXXXXXA", 100);
	tmx_assert_shows(&t, "ROOT CAUSE", 100);
	/* The cursor starts on the root cause's hop. */
	tmx_assert_shows(&t, "Network edge: FAIL", 100);
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "finding 1 of", 3000);
	tmx_assert_shows(&t, "ROOT CAUSE", 100);
	tmx_keys(&t, "n");
	tmx_assert_shows(&t, "finding 2 of", 3000);
	tmx_keys(&t, "Escape");
	tmx_assert_shows(&t, "the mail path", 3000);
	tmx_keys(&t, "Escape");
	tmx_assert_shows(&t, "Step 1 of 7", 3000);
	/* The summary carries the same picture. */
	tmx_keys(&t, "7");
	tmx_assert_shows(&t, "On-premises \xe2\x86\x92 Exchange Online", 3000);
	tmx_keys(&t, "C-c");
	cr_assert_eq(wait_exit(5000), 130);
}

/* The findings ids of a report, in order, as one string ("a b c"). */
static char *finding_ids(const char *json)
{
	static char ids[8192];
	const char *p = json;
	size_t n = 0;

	ids[0] = '\0';
	while ((p = strstr(p, "\"id\": \"")) != NULL && n + 80 < sizeof ids) {
		const char *q;

		p += 7;
		q = strchr(p, '"');
		if (q == NULL)
			break;
		n += (size_t)snprintf(ids + n, sizeof ids - n, "%.*s ", (int)(q - p), p);
		p = q;
	}
	return ids;
}

/* A capture made on the command line opens in the wizard; saved again from there, it says the same. */
Test(wizard, replay_a_capture_and_save_it_again)
{
	char dir[] = "/tmp/htls-replay-XXXXXX", a[256], b[256], port[16], args[512], want[8192], *out = NULL;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(a, sizeof a, "%s/a.json", dir);
	snprintf(b, sizeof b, "%s/b.json", dir);
	snprintf(port, sizeof port, "%u", env_port("EXIM"));
	run_bin((const char *const[]){ "check", "healthy.test", "--port", port, "--resolver", env_resolver(),
	    "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--capture", a, NULL }, &out);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "replay", a, "--json", NULL }, &out), 2);
	snprintf(want, sizeof want, "%s", finding_ids(out));
	free(out);
	cr_assert(strstr(want, "tls.cert-name-mismatch") != NULL, "%s", want);

	/* replay on a terminal opens the wizard on the capture: no network, nothing to run again. */
	snprintf(args, sizeof args, "replay %s", a);
	start(80, 24, NULL, args);
	tmx_assert_shows(&t, "capture", 5000);
	tmx_assert_shows(&t, "The IP the server sees: 127.0.0.1", 3000);
	tmx_keys(&t, "r");
	tmx_assert_shows(&t, "This is a capture", 3000);
	tmx_keys(&t, "s");
	tmx_assert_shows(&t, "Save the capture", 3000);
	tmx_keys(&t, "C-u");
	tmx_text(&t, b);
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "Capture saved to", 3000);
	tmx_keys(&t, "C-c");
	cr_assert_eq(wait_exit(5000), 130);
	cr_assert_eq(run_bin((const char *const[]){ "replay", b, "--json", NULL }, &out), 2);
	cr_assert_str_eq(finding_ids(out), want);
	free(out);
	unlink(a);
	unlink(b);
	rmdir(dir);
}

/* A demo from the menu, every step walked: what a new admin sees with no network. */
static void walk_demo(int down, const char *title, const char *const *expect)
{
	start(80, 24, NULL, NULL);
	tmx_assert_shows(&t, "What to check", 5000);
	for (int i = 0; i < 5; i++)
		tmx_keys(&t, "Tab");
	tmx_keys(&t, "Down");
	tmx_keys(&t, "Down");
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, "Recorded runs", 3000);
	tmx_assert_shows(&t, "Healthy: hybrid mail flow as it should be", 100);
	for (int i = 0; i < down; i++)
		tmx_keys(&t, "Down");
	tmx_keys(&t, "Enter");
	tmx_assert_shows(&t, title, 3000);
	tmx_assert_shows(&t, "Step 1 of 7", 3000);
	for (int s = 1; s <= 7; s++) {
		char step[32];

		snprintf(step, sizeof step, "Step %d of 7", s);
		tmx_assert_shows(&t, step, 3000);
		for (size_t k = 0; expect[k] != NULL; k += 2)
			if (expect[k][0] - '0' == s)
				tmx_assert_shows(&t, expect[k + 1], 2000);
		tmx_keys(&t, "Right");
	}
	tmx_assert_shows(&t, "Step 1 of 7", 3000);
	tmx_keys(&t, "C-c");
	cr_assert_eq(wait_exit(5000), 130);
	assert_terminal_restored();
}

Test(wizard, demo_healthy_every_step)
{
	static const char *const expect[] = {
		"1", "The IP the server sees: 203.0.113.7",
		"2", "Chain verified",
		"3", "203.0.113.7 on ",
		"7", "0 root causes, 0 failures, 0 warnings",
		NULL,
	};

	walk_demo(0, "Healthy: hybrid mail flow as it should be", expect);
}

Test(wizard, demo_cisco_inspection_every_step)
{
	static const char *const expect[] = {
		"1", "STARTTLS offered: no",
		"1", "220 ********",
		"2", "XXXXXXXA",
		"7", "ROOT CAUSE",
		NULL,
	};

	walk_demo(5, "A Cisco firewall's ESMTP inspection hides STARTTLS", expect);
}

Test(wizard, demo_blocklisted_every_step)
{
	static const char *const expect[] = {
		"1", "5.7.606",
		"3", "listed",
		"7", "ROOT CAUSE",
		NULL,
	};

	walk_demo(1, "STARTTLS missing: the sending IP is on a blocklist", expect);
}

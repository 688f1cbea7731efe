/* The command line, run as a user runs it: exit statuses, usage errors, the text report. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env.h"

static char *out;

static void teardown(void)
{
	free(out);
	out = NULL;
}

TestSuite(cli, .fini = teardown, .timeout = 60);

static int run_target(const char *scenario, const char *cmd)
{
	char target[64];

	snprintf(target, sizeof target, "127.0.0.1:%u", env_port(scenario));
	return run_bin((const char *const[]){ cmd, target, "--tls-name", "mail.test", "--ca-file",
	    env_ca(), "--ehlo", EHLO_NAME, "--timeout", "5", NULL }, &out);
}

Test(cli, help_and_version)
{
	cr_assert_eq(run_bin((const char *const[]){ "--help", NULL }, &out), 0);
	cr_assert(strstr(out, "Usage: hybridtls") != NULL);
	cr_assert(strstr(out, "--tls-name") != NULL);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "--version", NULL }, &out), 0);
	cr_assert(strncmp(out, "hybridtls ", 10) == 0);
}

Test(cli, usage_errors_exit_64)
{
	cr_assert_eq(run_bin((const char *const[]){ "frobnicate", "x", NULL }, &out), 64);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "smtp", NULL }, &out), 64);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "smtp", "host:99999", NULL }, &out), 64);
	cr_assert(strstr(out, "65535") != NULL, "the message says what a port is: %s", out);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "smtp", "bad host!", NULL }, &out), 64);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "smtp", "h", "--timeout", "-1", NULL }, &out), 64);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "smtp", "h", "--ca-file", "/nonexistent/ca.pem",
	    NULL }, &out), 64);
	cr_assert(strstr(out, "/nonexistent/ca.pem") != NULL, "the message names the file: %s", out);
}

/* The DQS key from a file or the environment (out of ps's sight) is applied
 * like --dqs-key: the keyed zone lists the test point only under the key. */
Test(cli, dqs_key_from_file_or_environment)
{
	char zones[] = "/tmp/htls-dqs.XXXXXX", keyfile[64];
	const char *key = "Dqs7TestKey";
	int fd = mkstemp(zones);
	FILE *fp;

	cr_assert_geq(fd, 0);
	cr_assert_not_null(fp = fdopen(fd, "w"));
	fputs("zone bl.test\n\tname \"Keyed List\"\n\tneeds-key yes\n\tdqs dq.bl.test\n"
	    "\tcode 127.0.0.2 listed \"listed\"\n", fp);
	fclose(fp);
	snprintf(keyfile, sizeof keyfile, "%s.key", zones);
	cr_assert_not_null(fp = fopen(keyfile, "w"));
	fprintf(fp, "%s\r\n", key);
	fclose(fp);

	/* No key: the list that needs one is not asked. */
	unsetenv("HYBRIDTLS_DQS_KEY");
	cr_assert_eq(run_bin((const char *const[]){ "blocklist", "127.0.0.2", "--dnsbl-zones", zones,
	    "--resolver", env_resolver(), "--timeout", "3", NULL }, &out), 0, "%s", out);
	cr_assert_null(strstr(out, "Keyed List"), "%s", out);
	free(out);
	/* From the file (its line ending dropped). */
	cr_assert_eq(run_bin((const char *const[]){ "blocklist", "127.0.0.2", "--dnsbl-zones", zones,
	    "--resolver", env_resolver(), "--timeout", "3", "--dqs-key-file", keyfile, NULL }, &out), 2,
	    "%s", out);
	cr_assert_not_null(strstr(out, "is listed on Keyed List"), "%s", out);
	cr_assert_null(strstr(out, key), "the key is not printed: %s", out);
	free(out);
	/* From the environment. */
	setenv("HYBRIDTLS_DQS_KEY", key, 1);
	cr_assert_eq(run_bin((const char *const[]){ "blocklist", "127.0.0.2", "--dnsbl-zones", zones,
	    "--resolver", env_resolver(), "--timeout", "3", NULL }, &out), 2, "%s", out);
	cr_assert_not_null(strstr(out, "is listed on Keyed List"), "%s", out);
	free(out);
	/* --dqs-key wins over the environment: a wrong key finds nothing listed. */
	cr_assert_eq(run_bin((const char *const[]){ "blocklist", "127.0.0.2", "--dnsbl-zones", zones,
	    "--resolver", env_resolver(), "--timeout", "3", "--dqs-key", "WrongKey", NULL }, &out), 0,
	    "%s", out);
	cr_assert_null(strstr(out, "dnsbl.listed"), "%s", out);
	free(out);
	unsetenv("HYBRIDTLS_DQS_KEY");
	/* Both options, or a file that cannot be read: usage errors. */
	cr_assert_eq(run_bin((const char *const[]){ "blocklist", "127.0.0.2", "--dqs-key", key,
	    "--dqs-key-file", keyfile, NULL }, &out), 64, "%s", out);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "blocklist", "127.0.0.2", "--dqs-key-file",
	    "/nonexistent/dqs.key", NULL }, &out), 64, "%s", out);
	cr_assert_not_null(strstr(out, "/nonexistent/dqs.key"), "the message names the file: %s", out);
	unlink(keyfile);
	unlink(zones);
}

Test(cli, healthy_server_exits_0_with_transcript)
{
	cr_assert_eq(run_target("HEALTHY", "smtp"), 0, "output:\n%s", out);
	cr_assert(strstr(out, "<- 220 mail.test ESMTP") != NULL, "%s", out);
	cr_assert(strstr(out, "-> STARTTLS") != NULL);
	cr_assert(strstr(out, "~> EHLO " EHLO_NAME) != NULL);
	cr_assert(strstr(out, "OK       tls.cert-valid") != NULL, "%s", out);
	cr_assert(strstr(out, "subject  CN=mail.test") != NULL, "%s", out);
	cr_assert(strstr(out, "Result: 0 failed, 0 warnings") != NULL, "%s", out);
}

Test(cli, expired_certificate_exits_2_with_explanation_and_fix)
{
	cr_assert_eq(run_target("EXPIRED", "check"), 2, "output:\n%s", out);
	cr_assert(strstr(out, "FAIL     tls.cert-expired") != NULL, "%s", out);
	cr_assert(strstr(out, "What it means:") != NULL);
	cr_assert(strstr(out, "Fix:") != NULL);
}

Test(cli, expiring_certificate_exits_1)
{
	cr_assert_eq(run_target("EXPIRING", "smtp"), 1, "output:\n%s", out);
	cr_assert(strstr(out, "WARN     tls.cert-expiring") != NULL, "%s", out);
}

Test(cli, port_option_overrides)
{
	char port[16];

	snprintf(port, sizeof port, "%u", env_port("NOSTARTTLS"));
	cr_assert_eq(run_bin((const char *const[]){ "smtp", "127.0.0.1", "-p", port, "--ehlo",
	    EHLO_NAME, "--timeout", "5", NULL }, &out), 2, "%s", out);
	cr_assert(strstr(out, "FAIL     smtp.starttls-missing") != NULL, "%s", out);
}

Test(cli, unresolvable_exits_3)
{
	cr_assert_eq(run_bin((const char *const[]){ "smtp", "mail.nowhere.test", "--resolver",
	    "127.0.0.1:9", "--timeout", "3", NULL }, &out), 3, "%s", out);
	cr_assert(strstr(out, "smtp.resolve-failed") != NULL, "%s", out);
}

Test(cli, options_may_come_before_the_command)
{
	char target[64];

	snprintf(target, sizeof target, "127.0.0.1:%u", env_port("HEALTHY"));
	cr_assert_eq(run_bin((const char *const[]){ "--json", "--tls-name", "mail.test", "smtp", target, "--ca-file",
	    env_ca(), "--ehlo", EHLO_NAME, NULL }, &out), 0, "%s", out);
	cr_assert(strstr(out, "\"schema\": \"hybridtls-report\"") != NULL, "a JSON report, not the usage: %.300s", out);
}

Test(cli, batch_with_bad_targets_does_not_hang)
{
	char path[] = "/tmp/htls-bad.XXXXXX";
	int fd = mkstemp(path);
	FILE *fp;

	cr_assert(fd >= 0);
	cr_assert_not_null(fp = fdopen(fd, "w"));
	fprintf(fp, "bad:99999\nalso bad!\n127.0.0.1:%u\n", env_port("HEALTHY"));
	fclose(fp);
	/* "also bad!" holds a blank: the list itself is refused. */
	cr_assert_eq(run_bin((const char *const[]){ "batch", path, NULL }, &out), 64, "%s", out);
	free(out);
	cr_assert_not_null(fp = fopen(path, "w"));
	fprintf(fp, "bad:99999\nworse:0\n127.0.0.1:%u\n", env_port("HEALTHY"));
	fclose(fp);
	cr_assert_eq(run_bin((const char *const[]){ "batch", path, "-j", "1", "--tls-name", "mail.test", "--ca-file",
	    env_ca(), "--ehlo", EHLO_NAME, NULL }, &out), 3, "%s", out);
	cr_assert(strstr(out, "BAD") != NULL && strstr(out, "all good") != NULL, "every target reported: %s", out);
	cr_assert(strstr(out, "not run") == NULL, "%s", out);
	unlink(path);
}

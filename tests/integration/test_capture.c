/*
 * Captures through the real binary: a run against the tests' Postfix, Exim
 * and NSD saved with --capture and replayed gives the findings of the live
 * run; two captures compare offline; and no key, password or DQS key gets
 * into a capture, a report or the error output.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env.h"

static char *out;
static char dir[] = "/tmp/htls-cap.XXXXXX";

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	free(out);
	out = NULL;
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		cr_log_warn("could not remove %s", dir);
}

TestSuite(capture_cli, .init = setup, .fini = teardown, .timeout = 120);

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	cr_assert_not_null(fp, "%s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	cr_assert_not_null(buf = malloc((size_t)n + 1));
	cr_assert_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	cr_assert_not_null(j, "not JSON: %s\n%.2000s", e.text, text);
	return j;
}

/* Run args + "--json --capture path"; then "replay path --json": the same
 * exit status and the same findings array (everything but the timings). */
static void live_then_replay(const char *const *args, const char *name)
{
	const char *argv[40];
	char path[128];
	size_t n = 0;
	int live, again;
	json_t *a, *b;

	snprintf(path, sizeof path, "%s/%s.json", dir, name);
	for (; args[n] != NULL; n++)
		argv[n] = args[n];
	argv[n++] = "--json";
	argv[n++] = "--capture";
	argv[n++] = path;
	argv[n] = NULL;
	live = run_bin(argv, &out);
	cr_assert(access(path, R_OK) == 0, "%s: no capture written: %s", name, out);
	a = parse(out);
	free(out);
	again = run_bin((const char *const[]){ "replay", path, "--json", NULL }, &out);
	b = parse(out);
	cr_assert_eq(again, live, "%s: replay exits %d, the live run %d", name, again, live);
	cr_assert_gt(json_array_size(json_object_get(a, "findings")), 0, "%s: findings to compare", name);
	cr_assert(json_equal(json_object_get(a, "findings"), json_object_get(b, "findings")),
	    "%s: the replay's findings differ from the live run's:\n%s", name, out);
	cr_assert_str_eq(json_string_value(json_object_get(b, "command")), "replay");
	json_decref(a);
	json_decref(b);
	free(out);
	out = NULL;
	/* The text and Markdown replays exit the same. */
	cr_assert_eq(run_bin((const char *const[]){ "replay", path, NULL }, &out), live, "%s", out);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "replay", path, "--markdown", NULL }, &out), live, "%s", out);
	cr_assert_not_null(strstr(out, "# hybridtls"), "%s", out);
	free(out);
	out = NULL;
}

Test(capture_cli, replay_gives_the_findings_of_the_live_run)
{
	char exim[16], expired[32], xxxxxxxa[32], healthy[32];

	snprintf(exim, sizeof exim, "%u", env_port("EXIM"));
	snprintf(expired, sizeof expired, "127.0.0.1:%u", env_port("EXPIRED"));
	snprintf(xxxxxxxa, sizeof xxxxxxxa, "127.0.0.1:%u", env_port("XXXXXXXA"));
	snprintf(healthy, sizeof healthy, "127.0.0.1:%u", env_port("HEALTHY"));
	live_then_replay((const char *const[]){ "check", "dane.test", "--port", exim, "--tls-name", "mail.test",
	    "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--resolver", env_resolver(), "--timeout", "3", NULL },
	    "check-dane");
	live_then_replay((const char *const[]){ "smtp", expired, "--tls-name", "mail.test", "--ca-file", env_ca(),
	    "--ehlo", EHLO_NAME, "--timeout", "3", NULL }, "smtp-expired");
	live_then_replay((const char *const[]){ "smtp", xxxxxxxa, "--tls-name", "mail.test", "--ca-file", env_ca(),
	    "--ehlo", EHLO_NAME, "--timeout", "3", NULL }, "smtp-xxxxxxxa");
	live_then_replay((const char *const[]){ "check", healthy, "--tls-name", "mail.test", "--ca-file", env_ca(),
	    "--ehlo", EHLO_NAME, "--resolver", env_resolver(), "--ip", "127.0.0.2", "--timeout", "3", NULL },
	    "check-healthy-listed");
	live_then_replay((const char *const[]){ "dns", "dane.test", "--ip", "127.0.0.2", "--resolver",
	    env_resolver(), "--timeout", "3", NULL }, "dns-dane");
	live_then_replay((const char *const[]){ "blocklist", "127.0.0.2", "--resolver", env_resolver(),
	    "--timeout", "3", NULL }, "blocklist");
}

/* Capture one smtp run of a scenario into dir/name.json. */
static const char *capture(const char *scenario, const char *name)
{
	static char path[4][128];
	static int k;
	char target[32];
	char *p = path[k++ % 4];

	snprintf(p, 128, "%s/%s.json", dir, name);
	snprintf(target, sizeof target, "127.0.0.1:%u", env_port(scenario));
	run_bin((const char *const[]){ "smtp", target, "--tls-name", "mail.test", "--ca-file", env_ca(), "--ehlo",
	    EHLO_NAME, "--timeout", "3", "--capture", p, NULL }, &out);
	cr_assert(access(p, R_OK) == 0, "%s: %s", scenario, out);
	free(out);
	out = NULL;
	return p;
}

Test(capture_cli, compare_of_two_captures_names_the_differences)
{
	const char *a = capture("HEALTHY", "a"), *b = capture("XXXXXXXA", "b"), *c = capture("HEALTHY", "c");
	json_t *doc, *fs;
	bool cert = false, ext = false;
	char dnsfile[128];

	cr_assert_eq(run_bin((const char *const[]){ "compare", a, b, "--json", NULL }, &out), 1, "%s", out);
	doc = parse(out);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "schema")), "hybridtls-compare");
	fs = json_object_get(doc, "findings");
	for (size_t i = 0; i < json_array_size(fs); i++) {
		const char *id = json_string_value(json_object_get(json_array_get(fs, i), "id"));

		cert = cert || strcmp(id, "compare.certificate-differs") == 0;
		ext = ext || strcmp(id, "compare.extensions-differ") == 0;
	}
	cr_assert(cert && ext, "the certificate and the extensions differ:\n%s", out);
	json_decref(doc);
	free(out);
	/* The text report says so too, and two captures of one scenario are the same. */
	cr_assert_eq(run_bin((const char *const[]){ "compare", a, b, NULL }, &out), 1, "%s", out);
	cr_assert_not_null(strstr(out, "compare.extensions-differ"), "%s", out);
	cr_assert_not_null(strstr(out, "STARTTLS"), "%s", out);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "compare", a, c, NULL }, &out), 0, "%s", out);
	cr_assert_not_null(strstr(out, "compare.same"), "%s", out);
	free(out);
	/* A capture without an SMTP probe cannot be compared. */
	snprintf(dnsfile, sizeof dnsfile, "%s/dns.json", dir);
	run_bin((const char *const[]){ "dns", "dane.test", "--resolver", env_resolver(), "--timeout", "3",
	    "--capture", dnsfile, NULL }, &out);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "compare", a, dnsfile, NULL }, &out), 3, "%s", out);
	cr_assert_not_null(strstr(out, "holds no SMTP probe"), "%s", out);
	free(out);
	/* One file and one host is neither. */
	cr_assert_eq(run_bin((const char *const[]){ "compare", a, "mail.test", NULL }, &out), 64, "%s", out);
	cr_assert_not_null(strstr(out, "is a file and mail.test is not"), "%s", out);
}

Test(capture_cli, bad_captures_and_misuse)
{
	char bad[128];
	FILE *fp;

	cr_assert_eq(run_bin((const char *const[]){ "replay", "/nonexistent/c.json", NULL }, &out), 3, "%s", out);
	cr_assert_not_null(strstr(out, "/nonexistent/c.json: No such file"), "%s", out);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "replay", dir, NULL }, &out), 3, "%s", out);
	cr_assert_not_null(strstr(out, "a directory"), "%s", out);
	free(out);
	snprintf(bad, sizeof bad, "%s/v999.json", dir);
	cr_assert_not_null(fp = fopen(bad, "w"));
	fputs("{\"format\": \"hybridtls-capture\", \"version\": 999, \"hybridtls\": \"9.0\"}\n", fp);
	fclose(fp);
	cr_assert_eq(run_bin((const char *const[]){ "replay", bad, "--json", NULL }, &out), 3, "%s", out);
	cr_assert_not_null(strstr(out, "version 999 (made by hybridtls 9.0) is newer"), "%s", out);
	free(out);
	snprintf(bad, sizeof bad, "%s/empty-run.json", dir);
	cr_assert_not_null(fp = fopen(bad, "w"));
	fputs("{\"format\": \"hybridtls-capture\", \"version\": 1, \"target\": \"contoso.com\"}\n", fp);
	fclose(fp);
	cr_assert_eq(run_bin((const char *const[]){ "replay", bad, NULL }, &out), 3, "%s", out);
	cr_assert_not_null(strstr(out, "holds the facts of no step"), "%s", out);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "replay", NULL }, &out), 64, "%s", out);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "explain", "550 5.7.1", "--capture", bad, NULL }, &out), 64,
	    "%s", out);
	cr_assert_not_null(strstr(out, "--capture goes with check, smtp, dns or blocklist"), "%s", out);
}

/* Whether needle is in hay; for messages, which of the places it leaked into. */
static void assert_absent(const char *hay, const char *needle, const char *where, const char *what)
{
	cr_assert_null(strstr(hay, needle), "%s leaked into %s", what, where);
}

/* The body lines of a PEM file (between the BEGIN and END lines). */
static void assert_no_pem_body(const char *hay, const char *pemfile, const char *where)
{
	char *pem = slurp(pemfile), *save = NULL;

	for (char *l = strtok_r(pem, "\n", &save); l != NULL; l = strtok_r(NULL, "\n", &save))
		if (strncmp(l, "-----", 5) != 0 && strlen(l) >= 32)
			assert_absent(hay, l, where, pemfile);
	free(pem);
}

/*
 * The on-premises certificate with an encrypted key and its password file,
 * and a DQS key: the run presents the certificate (the password worked) and
 * queries the keyed zone, yet neither the password, nor the key (encrypted
 * or plain), nor the DQS key is in the capture, the text, JSON or Markdown
 * report, or the error output; nor in what replay prints.
 */
Test(capture_cli, no_key_password_or_dqs_key_in_captures_reports_or_stderr)
{
	static const char *const formats[] = { NULL, "--json", "--markdown" };
	const char *password = "Pw-0f-The-0nPrem-Key", *dqs = "DqsKeySecret0123456789";
	char pwfile[128], enckey[128], pem[128], zones[128], cap[128], target[32], cmd[1024];
	FILE *fp;

	snprintf(pwfile, sizeof pwfile, "%s/pw.txt", dir);
	snprintf(enckey, sizeof enckey, "%s/enc.key", dir);
	snprintf(pem, sizeof pem, "%s/onprem.pem", dir);
	snprintf(zones, sizeof zones, "%s/dqs.zones", dir);
	cr_assert_not_null(fp = fopen(pwfile, "w"));
	fprintf(fp, "%s\n", password);
	fclose(fp);
	snprintf(cmd, sizeof cmd, "openssl pkey -in %s/client.key -aes256 -passout file:%s -out %s 2>/dev/null && "
	    "cat %s/client.chain.pem %s > %s", getenv("HTLS_CERTS"), pwfile, enckey, getenv("HTLS_CERTS"), enckey,
	    pem);
	cr_assert_eq(system(cmd), 0, "making the encrypted key failed");
	cr_assert_not_null(fp = fopen(zones, "w"));
	fputs("zone bl.test\n\tname \"Keyed List\"\n\tdqs dq.bl.test\n\tcode 127.0.0.2 listed \"listed\"\n", fp);
	fclose(fp);
	snprintf(target, sizeof target, "127.0.0.1:%u", env_port("CCERT"));
	for (size_t i = 0; i < 3; i++) {
		char *text;

		snprintf(cap, sizeof cap, "%s/secret-%zu.json", dir, i);
		run_bin((const char *const[]){ "check", target, "--tls-name", "mail.test", "--ca-file", env_ca(),
		    "--ehlo", EHLO_NAME, "--resolver", env_resolver(), "--timeout", "3", "--ip", "127.0.0.2",
		    "--cert", pem, "--cert-password-file", pwfile, "--dqs-key", dqs, "--dnsbl-zones", zones,
		    "--capture", cap, formats[i], NULL }, &out);
		cr_assert_not_null(strstr(out, "presented-accepted"), "the key was decrypted and used: %s", out);
		text = slurp(cap);
		cr_assert_not_null(strstr(text, "\"zone\": \"bl.test\""), "the keyed zone was asked: %s", text);
		cr_assert_not_null(strstr(text, "\"password_used\": true"), "%s", text);
		for (int k = 0; k < 2; k++) {
			const char *hay = k ? text : out, *where = k ? "the capture" : "the report or stderr";

			assert_absent(hay, password, where, "the password");
			assert_absent(hay, dqs, where, "the DQS key");
			assert_absent(hay, "PRIVATE KEY", where, "a private key");
			assert_no_pem_body(hay, enckey, where);
			snprintf(cmd, sizeof cmd, "%s/client.key", getenv("HTLS_CERTS"));
			assert_no_pem_body(hay, cmd, where);
		}
		free(out);
		cr_assert_geq(run_bin((const char *const[]){ "replay", cap, "--verbose", formats[i], NULL }, &out), 0);
		assert_absent(out, password, "the replay", "the password");
		assert_absent(out, dqs, "the replay", "the DQS key");
		free(out);
		out = NULL;
		free(text);
	}
}

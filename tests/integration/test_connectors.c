/*
 * Connectors and the on-premises certificate through the real binary: the
 * tests' Postfix asks for a client certificate and hybridtls presents the
 * certificate made at test time (matching, wrong name, expired, no chain);
 * the IP that Exim names is checked against connector exports that include
 * and exclude it.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env.h"

static char *flat(const char *text);
static char *out;
static char dir[] = "/tmp/htls-conn.XXXXXX";

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

TestSuite(connectors, .init = setup, .fini = teardown, .timeout = 60);

/* Concatenate the test PKI's files into one PEM, as an admin's export would be. */
static const char *pem(const char *name, const char *const *parts)
{
	static char path[256];
	FILE *o;

	snprintf(path, sizeof path, "%s/%s.pem", dir, name);
	cr_assert_not_null(o = fopen(path, "w"));
	for (; *parts != NULL; parts++) {
		char src[256], buf[4096];
		FILE *i;
		size_t n;

		snprintf(src, sizeof src, "%s/%s", getenv("HTLS_CERTS"), *parts);
		cr_assert_not_null(i = fopen(src, "r"), "%s", src);
		while ((n = fread(buf, 1, sizeof buf, i)) > 0)
			fwrite(buf, 1, n, o);
		fclose(i);
	}
	fclose(o);
	return path;
}

/* An inbound connector as `Get-InboundConnector | ConvertTo-Json -Depth 5` writes it. */
static const char *inbound(const char *ips, const char *cert_name)
{
	static char path[256];
	FILE *o;

	snprintf(path, sizeof path, "%s/inbound-%d.json", dir, rand());
	cr_assert_not_null(o = fopen(path, "w"));
	fprintf(o, "{\n"
	    "    \"Enabled\":  true,\n"
	    "    \"ConnectorType\":  \"OnPremises\",\n"
	    "    \"ConnectorSource\":  \"HybridWizard\",\n"
	    "    \"Comment\":  null,\n"
	    "    \"SenderIPAddresses\":  [ %s ],\n"
	    "    \"SenderDomains\":  [ \"smtp:*;1\" ],\n"
	    "    \"RequireTls\":  true,\n"
	    "    \"RestrictDomainsToIPAddresses\":  false,\n"
	    "    \"RestrictDomainsToCertificate\":  false,\n"
	    "    \"CloudServicesMailEnabled\":  true,\n"
	    "    \"TreatMessagesAsInternal\":  false,\n"
	    "    \"TlsSenderCertificateName\":  %s,\n"
	    "    \"Name\":  \"Inbound from 6f0c2b4a-1d3e-4f5a-9b8c-7d6e5f4a3b2c\",\n"
	    "    \"Identity\":  \"Inbound from 6f0c2b4a-1d3e-4f5a-9b8c-7d6e5f4a3b2c\"\n"
	    "}\n", ips, cert_name);
	fclose(o);
	return path;
}

static const char *given_ip;	/* --ip, for servers that do not name the client's address */

static int smtp_with(const char *scenario, const char *cert, const char *connector)
{
	char target[64];
	const char *args[24];
	size_t n = 0;

	snprintf(target, sizeof target, "127.0.0.1:%u", env_port(scenario));
	args[n++] = "smtp";
	args[n++] = target;
	args[n++] = "--tls-name";
	args[n++] = scenario[0] == 'E' ? "exim.test" : "mail.test";
	args[n++] = "--ca-file";
	args[n++] = env_ca();
	args[n++] = "--ehlo";
	args[n++] = EHLO_NAME;
	if (cert != NULL) {
		args[n++] = "--cert";
		args[n++] = cert;
	}
	if (connector != NULL) {
		args[n++] = "--connector";
		args[n++] = connector;
	}
	if (given_ip != NULL) {
		args[n++] = "--ip";
		args[n++] = given_ip;
	}
	args[n] = NULL;
	return run_bin(args, &out);
}

static bool line(const char *label, const char *id)
{
	char want[160];

	snprintf(want, sizeof want, "%-8s %s ", label, id);
	return strstr(out, want) != NULL;
}

Test(connectors, client_certificate_with_its_chain_is_accepted)
{
	const char *cert = pem("client", (const char *const[]){ "client.key", "client.chain.pem", NULL });

	cr_assert_eq(smtp_with("CCERT", cert, inbound("\"127.0.0.1\"", "\"onprem.test\"")), 0, "%s", out);
	cr_assert(line("OK", "onpremcert.presented-accepted"), "%s", out);
	cr_assert(line("OK", "onpremcert.valid"), "%s", out);
	cr_assert(line("OK", "connector.cert-name-match"), "%s", out);
	cr_assert(strstr(flat(out), "<I>CN=hybridtls Test Intermediate CA") != NULL, "the TlsCertificateName: %s", out);
}

Test(connectors, client_certificate_without_chain_is_refused)
{
	const char *cert = pem("leaf", (const char *const[]){ "client.key", "client.crt", NULL });

	cr_assert_eq(smtp_with("CCERT", cert, NULL), 2, "%s", out);
	cr_assert(line("FAIL", "onpremcert.chain-incomplete"), "%s", out);
	cr_assert(line("FAIL", "onpremcert.presented-rejected"), "%s", out);
	cr_assert(strstr(flat(out), "Client certificate not trusted") != NULL, "the server's answer: %s", out);
}

Test(connectors, expired_client_certificate)
{
	const char *cert = pem("expired", (const char *const[]){ "expired.key", "expired.chain.pem", NULL });

	cr_assert_eq(smtp_with("CCERT", cert, NULL), 2, "%s", out);
	cr_assert(line("FAIL", "onpremcert.expired"), "%s", out);
	cr_assert(line("FAIL", "onpremcert.presented-rejected"), "%s", out);
}

Test(connectors, certificate_name_not_the_connectors)
{
	const char *cert = pem("client", (const char *const[]){ "client.key", "client.chain.pem", NULL });

	given_ip = "127.0.0.1";	/* Postfix does not name it */
	cr_assert_eq(smtp_with("CCERT", cert, inbound("\"127.0.0.1\"", "\"mail.contoso.com\"")), 2, "%s", out);
	given_ip = NULL;
	cr_assert(line("FAIL", "connector.cert-name-mismatch"), "%s", out);
	/* The IP still matches, so the connector is used: no root cause. */
	cr_assert(line("OK", "connector.ip-listed"), "%s", out);
	cr_assert(strstr(out, "cause.connector-not-used") == NULL, "%s", out);
}

Test(connectors, observed_ip_in_the_connector)
{
	cr_assert_eq(smtp_with("EXIM", NULL, inbound("\"192.0.2.10\", \"127.0.0.0/24\"", "null")), 0, "%s", out);
	cr_assert(line("OK", "connector.ip-listed"), "%s", out);
	cr_assert(strstr(flat(out), "127.0.0.1 is in SenderIPAddresses (127.0.0.0/24)") != NULL, "%s", out);
}

Test(connectors, observed_ip_outside_the_connector_is_the_root_cause)
{
	cr_assert_eq(smtp_with("EXIM", NULL, inbound("\"203.0.113.0/24\"", "null")), 2, "%s", out);
	cr_assert(strstr(out, "Most likely root cause") != NULL, "%s", out);
	cr_assert(line("CAUSE", "cause.connector-not-used"), "%s", out);
	cr_assert(line("FAIL", "connector.ip-not-listed"), "%s", out);
	cr_assert(strstr(flat(out), "127.0.0.1 is not in SenderIPAddresses") != NULL, "%s", out);
}

Test(connectors, connector_command_reads_exports_offline)
{
	char path[256];

	snprintf(path, sizeof path, "%s/tests/fixtures/connectors/inbound-hcw.fl.txt", SRCDIR);
	cr_assert_eq(run_bin((const char *const[]){ "connector", path, "--ip", "203.0.113.250", NULL }, &out), 1,
	    "%s", out);
	cr_assert(strstr(out, "Format-List") != NULL, "names the format: %s", out);
	cr_assert(line("INFO", "connector.hybrid-checked"), "%s", out);
	free(out);
	snprintf(path, sizeof path, "%s/tests/fixtures/connectors/bad-mailbox.fl.txt", SRCDIR);
	cr_assert_eq(run_bin((const char *const[]){ "connector", path, NULL }, &out), 3, "%s", out);
	cr_assert(strstr(flat(out), "line 3: object 1 is not a connector") != NULL, "says what is wrong: %s", out);
	cr_assert(strstr(flat(out), "Get-Mailbox") != NULL, "and what it looks like: %s", out);
}

/* The report with its wrapping undone: "a\n         b" -> "a b". */
static char *flat(const char *text)
{
	static char buf[65536];
	size_t o = 0;

	for (const char *p = text; *p && o + 1 < sizeof buf; p++) {
		if (*p == '\n') {
			while (p[1] == ' ')
				p++;
			buf[o++] = ' ';
		} else
			buf[o++] = *p;
	}
	buf[o] = '\0';
	return buf;
}

/* An outbound connector as the Hybrid Configuration Wizard makes it. */
static const char *outbound(const char *tls_domain)
{
	static char path[256];
	FILE *o;

	snprintf(path, sizeof path, "%s/outbound.json", dir);
	cr_assert_not_null(o = fopen(path, "w"));
	fprintf(o, "[\n  {\n"
	    "    \"Enabled\":  true,\n"
	    "    \"UseMXRecord\":  false,\n"
	    "    \"ConnectorType\":  \"OnPremises\",\n"
	    "    \"ConnectorSource\":  \"HybridWizard\",\n"
	    "    \"RecipientDomains\":  [ \"contoso.com\", \"contoso.mail.onmicrosoft.com\" ],\n"
	    "    \"SmartHosts\":  [ \"mail.contoso.com\" ],\n"
	    "    \"TlsDomain\":  \"%s\",\n"
	    "    \"TlsSettings\":  \"DomainValidation\",\n"
	    "    \"CloudServicesMailEnabled\":  true,\n"
	    "    \"RouteAllMessagesViaOnPremises\":  false,\n"
	    "    \"Name\":  \"Outbound to 6f0c2b4a-1d3e-4f5a-9b8c-7d6e5f4a3b2c\",\n"
	    "    \"Identity\":  \"Outbound to 6f0c2b4a-1d3e-4f5a-9b8c-7d6e5f4a3b2c\"\n"
	    "  }\n]\n", tls_domain);
	fclose(o);
	return path;
}

/* check --onprem: the reverse direction, with the name the outbound connector
 * requires and, when cert is not NULL, the hybrid certificate file (--cert). */
static int reverse_cert(const char *scenario, uint16_t port, const char *cert)
{
	char fwd[64], back[64];
	const char *args[24] = { "check", fwd, "--onprem", back, "--connector", outbound("mail.test"),
	    "--tls-name", "mail.test", "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--timeout", "3", NULL };
	size_t n = 14;

	snprintf(fwd, sizeof fwd, "127.0.0.1:%u", env_port("HEALTHY"));
	snprintf(back, sizeof back, "127.0.0.1:%u", scenario ? env_port(scenario) : port);
	if (cert != NULL) {
		args[n++] = "--cert";
		args[n++] = cert;
	}
	args[n] = NULL;
	return run_bin(args, &out);
}

static int reverse(const char *scenario, uint16_t port)
{
	return reverse_cert(scenario, port, NULL);
}

/* The number of root-cause lines of the report for ids starting with prefix. */
static int count_causes(const char *prefix)
{
	char want[160];
	int n = 0;

	snprintf(want, sizeof want, "\nCAUSE    %s", prefix);
	for (const char *p = out; (p = strstr(p, want)) != NULL; p++)
		n++;
	return n;
}

/* This root cause, and no other of the reverse direction. */
static void want_only_cause(const char *what, const char *id)
{
	cr_assert(line("CAUSE", id), "%s: no root cause %s in:\n%s", what, id, out);
	cr_assert_eq(count_causes("cause.onprem-"), 1, "%s: %s", what, out);
}

Test(connectors, reverse_direction_delivers)
{
	cr_assert_eq(reverse("HEALTHY", 0), 0, "%s", out);
	cr_assert(line("OK", "onprem.exo-will-deliver"), "%s", out);
	cr_assert(strstr(out, "Exchange Online -> on-premises") != NULL, "%s", out);
	cr_assert(strstr(flat(out), "TlsDomain mail.test") != NULL, "%s", out);
	cr_assert_eq(count_causes("cause.onprem-"), 0, "%s", out);
}

/* What Exchange Online will say, and why: the root cause of a certificate it refuses. */
Test(connectors, reverse_direction_names_what_exchange_online_will_say)
{
	static const struct { const char *scenario; const char *code; const char *cause; } cases[] = {
		{ "NOINTER", "4.4.317 Cannot connect to remote server [Message=UntrustedRoot]",
		    "cause.onprem-intermediate-missing" },
		{ "WRONGNAME", "4.7.320 Certificate validation failed [Message=SubjectMismatch]",
		    "cause.onprem-cert-name" },
		{ "NOSTARTTLS", "4.4.317 Cannot connect to remote server", NULL },
		{ "EXPIRED", "4.7.320 Certificate validation failed", "cause.onprem-cert-expired" },
		{ "SELFSIGNED", "4.4.317 Cannot connect to remote server [Message=UntrustedRoot]",
		    "cause.onprem-cert-untrusted" },
		{ "UNTRUSTED", "4.4.317 Cannot connect to remote server [Message=UntrustedRoot]",
		    "cause.onprem-cert-untrusted" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cr_assert_eq(reverse(cases[i].scenario, 0), 2, "%s: %s", cases[i].scenario, out);
		cr_assert(line("FAIL", "onprem.exo-will-fail"), "%s", out);
		cr_assert(strstr(flat(out), cases[i].code) != NULL, "%s: expected %s in:\n%s", cases[i].scenario,
		    cases[i].code, out);
		if (cases[i].cause != NULL) {
			/* One root cause, chained to the symptom; without --cert never a binding problem. */
			want_only_cause(cases[i].scenario, cases[i].cause);
			cr_assert(strstr(out, "symptom onprem.exo-will-fail") != NULL, "%s: %s", cases[i].scenario, out);
		} else {
			cr_assert_eq(count_causes("cause.onprem-"), 0, "%s: %s", cases[i].scenario, out);
		}
		free(out);
		out = NULL;
	}
	cr_assert_eq(reverse(NULL, 9), 2, "%s", out);
	cr_assert(strstr(flat(out), "4.4.316 Connection refused") != NULL, "%s", out);
	cr_assert_eq(count_causes("cause.onprem-"), 0, "%s", out);
}

/* The SHA-1 thumbprint of a test certificate as Windows shows it, by openssl(1). */
static const char *thumbprint_of(const char *crt)
{
	static char hex[64];
	char cmd[512], line[256];
	const char *p;
	size_t n = 0;
	FILE *fp;

	snprintf(cmd, sizeof cmd, "openssl x509 -in '%s/%s' -noout -fingerprint -sha1", getenv("HTLS_CERTS"), crt);
	cr_assert_not_null(fp = popen(cmd, "r"));
	cr_assert_not_null(fgets(line, sizeof line, fp));
	pclose(fp);
	cr_assert_not_null(p = strchr(line, '='), "%s", line);
	for (p++; *p && *p != '\n' && n + 1 < sizeof hex; p++)
		if (*p != ':')
			hex[n++] = *p;
	hex[n] = '\0';
	cr_assert_eq(n, 40, "%s", line);
	return hex;
}

/*
 * With the hybrid certificate file: an endpoint presenting another
 * certificate while the file would pass is a binding problem, whatever is
 * wrong with the one presented; the same expired certificate is not.
 */
Test(connectors, reverse_direction_tells_a_wrong_binding_from_a_bad_certificate)
{
	/* pem() returns one static path: use each before making the next. */
	const char *cert = pem("hybrid", (const char *const[]){ "healthy.key", "healthy.chain.pem", NULL });

	cr_assert_eq(reverse_cert("EXPIRED", 0, cert), 2, "%s", out);
	want_only_cause("EXPIRED", "cause.onprem-cert-not-bound");
	cr_assert(strstr(flat(out), "presents another certificate than the hybrid one (--cert)") != NULL, "%s", out);
	cr_assert(strstr(flat(out), "the hybrid certificate (--cert), which would pass") != NULL, "%s", out);
	cr_assert(strstr(flat(out), "the greeting is not Exchange's") != NULL, "%s", out);
	/* Both thumbprints, to compare with Get-ExchangeCertificate on each server. */
	cr_assert(strstr(out, thumbprint_of("expired.crt")) != NULL, "%s", out);
	cr_assert(strstr(out, thumbprint_of("healthy.crt")) != NULL, "%s", out);
	free(out);
	out = NULL;

	/* Whatever is wrong with the one presented, a good file makes it a binding problem. */
	for (size_t i = 0; i < 3; i++) {
		static const char *const scenario[] = { "SELFSIGNED", "WRONGNAME", "NOINTER" };

		cert = pem("hybrid", (const char *const[]){ "healthy.key", "healthy.chain.pem", NULL });
		cr_assert_eq(reverse_cert(scenario[i], 0, cert), 2, "%s: %s", scenario[i], out);
		want_only_cause(scenario[i], "cause.onprem-cert-not-bound");
		free(out);
		out = NULL;
	}

	/* A good certificate exported without its chain still would pass, once imported with it. */
	cert = pem("leafonly-hybrid", (const char *const[]){ "healthy.key", "healthy.crt", NULL });
	cr_assert_eq(reverse_cert("WRONGNAME", 0, cert), 2, "%s", out);
	want_only_cause("leaf-only file", "cause.onprem-cert-not-bound");
	cr_assert(strstr(flat(out), "the certificate file lacks the intermediate") != NULL, "%s", out);
	free(out);
	out = NULL;

	cert = pem("old", (const char *const[]){ "expired.key", "expired.chain.pem", NULL });
	cr_assert_eq(reverse_cert("EXPIRED", 0, cert), 2, "%s", out);
	want_only_cause("same expired file", "cause.onprem-cert-expired");
	cr_assert(strstr(flat(out), "the certificate file (--cert) is the certificate presented") != NULL, "%s", out);
	free(out);
	out = NULL;

	/* A file that is no better (another expired one) leaves the presented certificate the cause. */
	cert = pem("old", (const char *const[]){ "expired.key", "expired.chain.pem", NULL });
	cr_assert_eq(reverse_cert("WRONGNAME", 0, cert), 2, "%s", out);
	want_only_cause("no better file", "cause.onprem-cert-name");
	cr_assert(strstr(flat(out), "the certificate file: it expired on") != NULL, "%s", out);
	free(out);
	out = NULL;

	/* The file holds the intermediate the server does not send. */
	cert = pem("leafonly", (const char *const[]){ "nointer.key", "nointer.crt", "inter.pem", NULL });
	cr_assert_eq(reverse_cert("NOINTER", 0, cert), 2, "%s", out);
	want_only_cause("NOINTER", "cause.onprem-intermediate-missing");
	cr_assert(strstr(flat(out), "the certificate file's own chain verifies") != NULL, "%s", out);
	cr_assert(strstr(flat(out), "so Exchange does not send it") != NULL, "%s", out);
}

/* A PFX with its password: neither the key nor the password reaches any report. */
Test(connectors, no_key_or_password_in_any_report)
{
	char pfx[256], pwfile[256], cmd[1024], target[64];
	static const char *const formats[] = { NULL, "--json", "--markdown" };
	const char *password = "S3cret-Pfx-Passw0rd";
	FILE *fp;

	snprintf(pfx, sizeof pfx, "%s/onprem.pfx", dir);
	snprintf(pwfile, sizeof pwfile, "%s/pw.txt", dir);
	cr_assert_not_null(fp = fopen(pwfile, "w"));
	fprintf(fp, "%s\n", password);
	fclose(fp);
	snprintf(cmd, sizeof cmd, "openssl pkcs12 -export -inkey %s/client.key -in %s/client.chain.pem "
	    "-out %s -passout file:%s 2>/dev/null", getenv("HTLS_CERTS"), getenv("HTLS_CERTS"), pfx, pwfile);
	cr_assert_eq(system(cmd), 0, "openssl pkcs12 -export failed");
	snprintf(target, sizeof target, "127.0.0.1:%u", env_port("CCERT"));
	for (size_t i = 0; i < 3; i++) {
		cr_assert_eq(run_bin((const char *const[]){ "smtp", target, "--tls-name", "mail.test", "--ca-file",
		    env_ca(), "--ehlo", EHLO_NAME, "--cert", pfx, "--cert-password-file", pwfile, formats[i], NULL },
		    &out), 0, "%s", out);
		cr_assert(strstr(out, "presented-accepted") != NULL, "the PFX was read and its key used: %s", out);
		cr_assert(strstr(out, password) == NULL, "the password leaked");
		cr_assert(strstr(out, "PRIVATE KEY") == NULL, "the key leaked");
		free(out);
		out = NULL;
	}
}

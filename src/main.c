/*
 * The command-line front end: parses the command line, runs the engine in a
 * plain poll loop, and prints the report. Everything it shows comes from the
 * engine's facts and findings.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "findings.h"
#include "report.h"
#include "rules.h"
#include "smtp.h"
#include "target.h"

#define EXIT_USAGE 64

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void usage(FILE *out)
{
	fprintf(out,
"Usage: hybridtls [COMMAND] [OPTIONS] [TARGET]\n"
"\n"
"Troubleshoot TLS mail flow between on-premises Exchange and Exchange Online.\n"
"\n"
"Commands:\n"
"  check TARGET        the full diagnosis of TARGET (for now: the SMTP, STARTTLS\n"
"                      and certificate checks)\n"
"  smtp HOST[:PORT]    the SMTP conversation, STARTTLS and the TLS certificate\n"
"\n"
"Options:\n"
"  -p, --port PORT       port to connect to (default 25)\n"
"      --ehlo NAME       name to send in EHLO (default: this machine's FQDN,\n"
"                        or its address literal)\n"
"      --tls-name NAME   name the server certificate must carry (default: the\n"
"                        host name given)\n"
"      --ca-file FILE    trust these CA certificates (PEM) instead of the system's\n"
"      --timeout SECONDS deadline of each step of the conversation (default 15)\n"
"      --resolver IP[:PORT]  DNS server to use instead of /etc/resolv.conf\n"
"  -v, --verbose         explain every finding, also those that passed\n"
"  -h, --help            show this help\n"
"  -V, --version         show the version\n"
"\n"
"Exit status: 0 all good, 1 warnings, 2 failures found, 3 could not test,\n"
"64 usage error.\n"
"\n"
"Examples:\n"
"  hybridtls smtp contoso-com.mail.protection.outlook.com\n"
"  hybridtls smtp mail.contoso.com --tls-name mail.contoso.com\n"
"  hybridtls check 203.0.113.25:2525 --tls-name mail.contoso.com --ca-file ca.pem\n");
}

struct run {
	struct smtp_probe *probe;
	bool done;
};

static void on_done(void *arg, struct smtp_probe *p)
{
	struct run *r = arg;

	(void)p;
	r->done = true;
}

static int run_smtp(const struct smtp_options *so, const char *resolver, const struct report_options *ro)
{
	struct engine_options eo = { .resolver = resolver };
	struct engine *e;
	struct run r = { 0 };
	struct smtp_facts f;
	struct findings fs = { 0 };
	char *cause = NULL;
	int status;

	if ((e = engine_new(&eo, &cause)) == NULL) {
		fprintf(stderr, "hybridtls: %s\n", cause ? cause : "cannot start");
		free(cause);
		return 3;
	}
	if ((r.probe = smtp_probe_start(e, so, on_done, &r)) == NULL) {
		fprintf(stderr, "hybridtls: out of memory\n");
		engine_free(e);
		return 3;
	}
	while (!r.done && !interrupted) {
		struct pollfd pfd[64];
		size_t n = engine_pollfds(e, pfd, 64);

		if (poll(pfd, n, engine_timeout(e)) < 0 && errno != EINTR)
			break;
		engine_process(e, pfd, n);
	}
	smtp_probe_take_facts(r.probe, &f);
	smtp_probe_free(r.probe);
	engine_free(e);
	if (!r.done) {
		fprintf(stderr, "hybridtls: interrupted\n");
		smtp_facts_free(&f);
		return 3;
	}
	rules_smtp(&f, &fs);
	findings_sort(&fs);
	report_smtp_text(stdout, &f, &fs, ro);
	status = findings_exit_status(&fs);
	findings_free(&fs);
	smtp_facts_free(&f);
	return status;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "ehlo", required_argument, NULL, 'E' },
		{ "tls-name", required_argument, NULL, 'N' },
		{ "ca-file", required_argument, NULL, 'C' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "resolver", required_argument, NULL, 'R' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct smtp_options so = { 0 };
	struct report_options ro = { 0 };
	struct target t;
	const char *cmd = NULL, *resolver = NULL;
	uint16_t port = 0;
	char err[256];
	int c;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	if (argc > 1 && argv[1][0] != '-') {
		cmd = argv[1];
		argv++;
		argc--;
	}
	while ((c = getopt_long(argc, argv, "p:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!target_parse_port(optarg, &port)) {
				fprintf(stderr, "hybridtls: --port '%s': a number from 1 to 65535\n", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'E': so.ehlo_name = optarg; break;
		case 'N': so.tls_name = optarg; break;
		case 'C':
			if (access(optarg, R_OK) != 0) {
				fprintf(stderr, "hybridtls: --ca-file '%s': %s\n", optarg, strerror(errno));
				return EXIT_USAGE;
			}
			so.ca_file = optarg;
			break;
		case 'T': {
			char *end;
			double s = strtod(optarg, &end);

			if (*end != '\0' || !(s > 0 && s <= 3600)) {
				fprintf(stderr, "hybridtls: --timeout '%s': seconds, more than 0 and at most 3600\n",
				    optarg);
				return EXIT_USAGE;
			}
			so.phase_timeout_ms = (int)(s * 1000);
			break;
		}
		case 'R': resolver = optarg; break;
		case 'v': ro.verbose = true; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("hybridtls %s\n", PACKAGE_VERSION); return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (cmd == NULL) {
		/* The wizard is not there yet: show what there is. */
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "smtp") != 0 && strcmp(cmd, "check") != 0) {
		fprintf(stderr, "hybridtls: unknown command '%s' (try --help)\n", cmd);
		return EXIT_USAGE;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "hybridtls %s: give exactly one target, HOST or HOST:PORT\n", cmd);
		return EXIT_USAGE;
	}
	if (!target_parse(argv[optind], &t, err, sizeof err)) {
		fprintf(stderr, "hybridtls: %s\n", err);
		return EXIT_USAGE;
	}
	so.host = t.host;
	so.port = port ? port : t.port ? t.port : 25;
	return run_smtp(&so, resolver, &ro);
}

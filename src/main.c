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

#include <arpa/inet.h>

#include "blocklist.h"
#include "check.h"
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
"  check TARGET        the full diagnosis: for a domain, its DNS records, its\n"
"                      preferred MX host probed over SMTP, STARTTLS and TLS, and\n"
"                      the public IP on the blocklists; for a host or address\n"
"                      (or HOST:PORT), the probe and the blocklists\n"
"  smtp HOST[:PORT]    the SMTP conversation, STARTTLS and the TLS certificate\n"
"  dns DOMAIN          the DNS records Exchange Online and Microsoft 365 expect\n"
"                      (with --ip: also reverse DNS and SPF for that address)\n"
"  blocklist IP        the address on the DNS blocklists\n"
"  compare A B         the same SMTP checks of two targets at once, or of one\n"
"                      service from two vantage points, and where they differ\n"
"\n"
"Options:\n"
"  -p, --port PORT       port to connect to (default 25)\n"
"      --ehlo NAME       name to send in EHLO (default: this machine's FQDN,\n"
"                        or its address literal)\n"
"      --tls-name NAME   name the server certificate must carry (default: the\n"
"                        host name probed)\n"
"      --ca-file FILE    trust these CA certificates (PEM) instead of the system's\n"
"      --timeout SECONDS deadline of each step of the conversation and of each\n"
"                        DNS query (default 15)\n"
"      --resolver IP[:PORT]  DNS server to use instead of /etc/resolv.conf\n"
"      --ip ADDRESS      the public IP to check (blocklists, reverse DNS, SPF)\n"
"                        when the server does not name it\n"
"      --dnsbl-zones FILE    the blocklist zones to query (default: the list\n"
"                        installed with hybridtls)\n"
"      --dqs-key KEY     a Spamhaus Data Query Service key\n"
"      --envelope FROM,TO  also try MAIL FROM and RCPT TO, before and after\n"
"                        STARTTLS (then RSET; never DATA): is TLS enforced,\n"
"                        and would the envelope be taken?\n"
"  -v, --verbose         explain every finding, also those that passed\n"
"  -h, --help            show this help\n"
"  -V, --version         show the version\n"
"\n"
"Exit status: 0 all good, 1 warnings, 2 failures found, 3 could not test,\n"
"64 usage error.\n"
"\n"
"Examples:\n"
"  hybridtls check contoso.com\n"
"  hybridtls smtp contoso-com.mail.protection.outlook.com\n"
"  hybridtls smtp mail.contoso.com --tls-name mail.contoso.com\n"
"  hybridtls dns contoso.com --ip 203.0.113.7\n"
"  hybridtls blocklist 203.0.113.7\n");
}

/* "from@a,to@b" into two addresses in buf; no spaces, brackets or line breaks. */
static bool parse_envelope(const char *arg, char *buf, size_t len, const char **from, const char **to)
{
	char *comma;

	if (strlen(arg) >= len || strpbrk(arg, " <>\r\n\t") != NULL)
		return false;
	strcpy(buf, arg);
	if ((comma = strchr(buf, ',')) == NULL || strchr(comma + 1, ',') != NULL)
		return false;
	*comma = '\0';
	*from = buf;
	*to = comma + 1;
	/* An empty FROM is the null sender (<>), as NDRs use. */
	return (**from == '\0' || strchr(*from, '@') != NULL) && strchr(*to, '@') != NULL;
}

static void on_done(void *arg, struct check *c)
{
	(void)c;
	*(bool *)arg = true;
}

/* The zones file: --dnsbl-zones, the installed one, or the source tree's when run uninstalled. */
static bool load_zones(const char *file, const char *key, struct dnsbl_list *zones, const char **used)
{
	char err[512];

	if (file == NULL) {
		file = blocklist_default_zones();
		if (access(file, R_OK) != 0 && access(SRCDIR_ZONES, R_OK) == 0)
			file = SRCDIR_ZONES;
	}
	*used = file;
	if (!dnsbl_load_file(file, zones, err, sizeof err)) {
		fprintf(stderr, "hybridtls: %s\n", err);
		return false;
	}
	if (key != NULL && !dnsbl_apply_dqs_key(zones, key)) {
		fprintf(stderr, "hybridtls: --dqs-key: letters and digits only\n");
		dnsbl_list_free(zones);
		return false;
	}
	return true;
}

static int run_check(struct check_options *co, const char *resolver, int timeout_ms,
    const struct report_options *ro)
{
	struct engine_options eo = { .resolver = resolver,
	    .dns_timeout_ms = timeout_ms > 0 && timeout_ms < 2000 ? timeout_ms / 2 : 0 };
	struct engine *e;
	struct check *c;
	struct diagnosis d;
	struct findings fs = { 0 };
	char *cause = NULL;
	bool done = false;
	int status;

	if ((e = engine_new(&eo, &cause)) == NULL) {
		fprintf(stderr, "hybridtls: %s\n", cause ? cause : "cannot start");
		free(cause);
		return 3;
	}
	if ((c = check_start(e, co, on_done, &done)) == NULL) {
		fprintf(stderr, "hybridtls: out of memory\n");
		engine_free(e);
		return 3;
	}
	while (!done && !interrupted) {
		struct pollfd pfd[256];
		size_t n = engine_pollfds(e, pfd, 256);

		if (poll(pfd, n, engine_timeout(e)) < 0 && errno != EINTR)
			break;
		engine_process(e, pfd, n);
	}
	check_take(c, &d);
	check_free(c);
	engine_free(e);
	if (!done) {
		fprintf(stderr, "hybridtls: interrupted\n");
		diagnosis_free(&d);
		return 3;
	}
	rules_all(&d, co->zones, &fs);
	findings_sort(&fs);
	report_text(stdout, &d, &fs, ro);
	status = findings_exit_status(&fs);
	findings_free(&fs);
	diagnosis_free(&d);
	return status;
}

struct pair_done {
	int left;
};

static void on_pair_done(void *arg, struct check *c)
{
	(void)c;
	((struct pair_done *)arg)->left--;
}

/* Two vantage points at once: two probes on one engine, then compared. */
static int run_compare(struct check_options *a, struct check_options *b, const char *resolver,
    const struct report_options *ro)
{
	struct engine_options eo = { .resolver = resolver };
	struct engine *e;
	struct check *ca, *cb;
	struct diagnosis da, db;
	struct findings fs = { 0 };
	struct pair_done pd = { 2 };
	char *cause = NULL;
	int status;

	if ((e = engine_new(&eo, &cause)) == NULL) {
		fprintf(stderr, "hybridtls: %s\n", cause ? cause : "cannot start");
		free(cause);
		return 3;
	}
	ca = check_start(e, a, on_pair_done, &pd);
	cb = check_start(e, b, on_pair_done, &pd);
	if (ca == NULL || cb == NULL) {
		fprintf(stderr, "hybridtls: out of memory\n");
		check_free(ca);
		check_free(cb);
		engine_free(e);
		return 3;
	}
	while (pd.left > 0 && !interrupted) {
		struct pollfd pfd[64];
		size_t n = engine_pollfds(e, pfd, 64);

		if (poll(pfd, n, engine_timeout(e)) < 0 && errno != EINTR)
			break;
		engine_process(e, pfd, n);
	}
	check_take(ca, &da);
	check_take(cb, &db);
	check_free(ca);
	check_free(cb);
	engine_free(e);
	if (pd.left > 0) {
		fprintf(stderr, "hybridtls: interrupted\n");
		diagnosis_free(&da);
		diagnosis_free(&db);
		return 3;
	}
	rules_compare(&da.smtp, &db.smtp, &fs);
	findings_sort(&fs);
	report_compare_text(stdout, &da.smtp, &db.smtp, &fs, ro);
	status = findings_exit_status(&fs);
	findings_free(&fs);
	diagnosis_free(&da);
	diagnosis_free(&db);
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
		{ "ip", required_argument, NULL, 'I' },
		{ "dnsbl-zones", required_argument, NULL, 'Z' },
		{ "dqs-key", required_argument, NULL, 'K' },
		{ "envelope", required_argument, NULL, 'L' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct smtp_options so = { 0 };
	struct report_options ro = { 0 };
	struct target t;
	const char *cmd = NULL, *resolver = NULL, *ip = NULL, *zones_file = NULL, *dqs_key = NULL;
	struct check_options co = { 0 };
	struct dnsbl_list zones = { 0 };
	unsigned char addr[16];
	char envelope[600];
	int status;
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
		case 'I':
			if (inet_pton(AF_INET, optarg, addr) != 1 && inet_pton(AF_INET6, optarg, addr) != 1) {
				fprintf(stderr, "hybridtls: --ip '%s' is not an IPv4 or IPv6 address\n", optarg);
				return EXIT_USAGE;
			}
			ip = optarg;
			break;
		case 'Z': zones_file = optarg; break;
		case 'K': dqs_key = optarg; break;
		case 'L':
			if (!parse_envelope(optarg, envelope, sizeof envelope, &so.envelope_from,
			    &so.envelope_to)) {
				fprintf(stderr, "hybridtls: --envelope FROM,TO: two mail addresses, such as "
				    "postmaster@contoso.com,user@contoso.com\n");
				return EXIT_USAGE;
			}
			break;
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
	if (strcmp(cmd, "compare") == 0) {
		struct check_options cb;
		struct target tb;

		if (optind != argc - 2) {
			fprintf(stderr, "hybridtls compare: give two targets, HOST[:PORT] HOST[:PORT]\n");
			return EXIT_USAGE;
		}
		if (!target_parse(argv[optind], &t, err, sizeof err) ||
		    !target_parse(argv[optind + 1], &tb, err, sizeof err)) {
			fprintf(stderr, "hybridtls: %s\n", err);
			return EXIT_USAGE;
		}
		co.mode = CHECK_SMTP;
		co.smtp = so;
		cb = co;
		co.target = co.smtp.host = t.host;
		co.smtp.port = port ? port : t.port ? t.port : 25;
		cb.target = cb.smtp.host = tb.host;
		cb.smtp.port = port ? port : tb.port ? tb.port : 25;
		return run_compare(&co, &cb, resolver, &ro);
	}
	if (strcmp(cmd, "smtp") == 0)
		co.mode = CHECK_SMTP;
	else if (strcmp(cmd, "check") == 0)
		co.mode = CHECK_FULL;
	else if (strcmp(cmd, "dns") == 0)
		co.mode = CHECK_DNS;
	else if (strcmp(cmd, "blocklist") == 0)
		co.mode = CHECK_BLOCKLIST;
	else {
		fprintf(stderr, "hybridtls: unknown command '%s' (try --help)\n", cmd);
		return EXIT_USAGE;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "hybridtls %s: give exactly one %s\n", cmd,
		    co.mode == CHECK_BLOCKLIST ? "IP address" : co.mode == CHECK_DNS ? "domain" :
		    "target, HOST or HOST:PORT");
		return EXIT_USAGE;
	}
	if (!target_parse(argv[optind], &t, err, sizeof err)) {
		fprintf(stderr, "hybridtls: %s\n", err);
		return EXIT_USAGE;
	}
	if (co.mode == CHECK_BLOCKLIST && inet_pton(AF_INET, t.host, addr) != 1 &&
	    inet_pton(AF_INET6, t.host, addr) != 1) {
		fprintf(stderr, "hybridtls blocklist: '%s' is not an IPv4 or IPv6 address\n", t.host);
		return EXIT_USAGE;
	}
	if (co.mode == CHECK_DNS && (t.port != 0 || inet_pton(AF_INET, t.host, addr) == 1 ||
	    inet_pton(AF_INET6, t.host, addr) == 1)) {
		fprintf(stderr, "hybridtls dns: give a domain name, not an address or a port\n");
		return EXIT_USAGE;
	}
	so.host = t.host;
	so.port = port ? port : t.port ? t.port : 25;
	co.smtp = so;
	co.target = t.host;
	co.port_given = t.port != 0;
	co.ip = ip;
	co.dns_timeout_ms = so.phase_timeout_ms > 0 && so.phase_timeout_ms < 5000 ? so.phase_timeout_ms : 0;
	if (co.mode == CHECK_BLOCKLIST || co.mode == CHECK_FULL) {
		if (!load_zones(zones_file, dqs_key, &zones, &co.zones_file)) {
			if (co.mode == CHECK_BLOCKLIST)
				return 3;
			fprintf(stderr, "hybridtls: going on without the blocklist step\n");
		} else
			co.zones = &zones;
	}
	status = run_check(&co, resolver, so.phase_timeout_ms, &ro);
	dnsbl_list_free(&zones);
	return status;
}

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
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include <arpa/inet.h>

#include "blocklist.h"
#include "capture.h"
#include "check.h"
#include "connector.h"
#include "onpremcert.h"
#include "cmd_batch.h"
#include "cmd_immutableid.h"
#include "explain.h"
#include "json.h"
#include "json_explain.h"
#include "ledger.h"
#include "outfile.h"
#include "report_md.h"
#include "engine.h"
#include "findings.h"
#include "report.h"
#include "rules.h"
#include "smtp.h"
#include "sigpoll.h"
#include "target.h"
#include "wizard.h"

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
"Without a command, opens the wizard (a terminal interface); the options fill\n"
"in its first screen.\n"
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
"                      service from two vantage points, and where they differ;\n"
"                      given two capture files, compares them offline\n"
"  replay FILE         the current rules on a capture (--capture): the report\n"
"                      as if the run were now, without any network\n"
"  batch [FILE|-]      check many targets (one per line; # comments), at most\n"
"                      --jobs at once: a table, or JSON Lines with --json\n"
"  explain [TEXT|FILE|-]  what a pasted NDR, queue error, message trace, protocol\n"
"                      log or Hybrid Configuration Wizard error means\n"
"  immutableid VALUE   objectGUID <-> ImmutableID (.NET byte order)\n"
"  connector FILE...   check connector exports (Get-InboundConnector and the\n"
"                      others; ConvertTo-Json, Export-Clixml or Format-List)\n"
"                      against --ip and --cert, without connecting anywhere\n"
"\n"
"Options:\n"
"  -p, --port PORT       port to connect to (default 25)\n"
"      --ehlo NAME       name to send in EHLO (default: this machine's FQDN,\n"
"                        or its address literal)\n"
"      --tls-name NAME   name the server certificate must carry (default: the\n"
"                        host name probed)\n"
"      --ca-file FILE    trust these CA certificates (PEM) instead of the system's\n"
"      --timeout SECONDS deadline of each step of the conversation (default 15;\n"
"                        the whole conversation gets 8 times it) and of each\n"
"                        DNS query (at most 5)\n"
"      --resolver IP[:PORT]  DNS server to use instead of /etc/resolv.conf\n"
"      --ip ADDRESS      the public IP to check (blocklists, reverse DNS, SPF)\n"
"                        when the server does not name it\n"
"      --dnsbl-zones FILE    the blocklist zones to query (default: the list\n"
"                        installed with hybridtls)\n"
"      --dqs-key-file FILE  a Spamhaus Data Query Service key, on the first\n"
"                        line (or set HYBRIDTLS_DQS_KEY; --dqs-key KEY also\n"
"                        works, but shows the key to anyone who runs ps)\n"
"      --envelope FROM,TO  also try MAIL FROM and RCPT TO, before and after\n"
"                        STARTTLS (then RSET; never DATA): is TLS enforced,\n"
"                        and would the envelope be taken?\n"
"      --connector FILE  a connector export to check against what is observed\n"
"                        (repeatable: inbound, outbound, send, receive)\n"
"      --cert FILE       the on-premises Exchange certificate (PEM or PFX)\n"
"      --onprem HOST[:PORT]  check: also probe the on-premises endpoint as\n"
"                        Exchange Online delivers to it (default: the outbound\n"
"                        connector's smart host, when an export names one)\n"
"      --cert-password-file FILE  the PFX or key password, on the first line\n"
"      --json            the report as JSON (schema: doc/json.md)\n"
"      --markdown        the report as Markdown, to paste into a ticket\n"
"  -o, --output FILE     write the report to FILE (atomically) instead of stdout\n"
"      --capture FILE    check, smtp, dns, blocklist: also save the facts of the\n"
"                        run to FILE (atomically) for replay and compare; never\n"
"                        a key or a password (format: doc/capture.md)\n"
"  -j, --jobs N          batch: targets checked at once (default 10, at most 256)\n"
"      --target-timeout SECONDS  batch: overall deadline of one target (not counting\n"
"                                time queued for a connection slot)\n"
"      --full            batch --json: each line the whole report, as check\n"
"                        --json writes it (default: a lean record per target)\n"
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
"  hybridtls blocklist 203.0.113.7\n"
"  hybridtls check contoso.com --json -o report.json\n"
"  hybridtls check contoso.com --capture ticket-4711.json\n"
"  hybridtls replay ticket-4711.json --markdown\n"
"  hybridtls batch domains.txt -j 20\n"
"  hybridtls explain < ndr.txt\n"
"  hybridtls immutableid f7cc07d7-7c15-447d-876d-c01b0e5a9e38\n");
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

#define MAX_CONNECTOR_FILES 8

/* What the admin gives beside the target: connector exports and the certificate. */
struct inputs {
	const char *connector[MAX_CONNECTOR_FILES];
	size_t nconnector;
	const char *cert;
	const char *password_file;
	const char *onprem;	/* --onprem HOST[:PORT] */
};

/* The first line of the password file; the password goes nowhere else. */
static bool read_password(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "r");
	bool ok;

	if (fp == NULL)
		return false;
	ok = fgets(buf, (int)len, fp) != NULL;
	fclose(fp);
	if (ok)
		buf[strcspn(buf, "\r\n")] = '\0';
	return ok;
}

/*
 * The DQS key: --dqs-key, else the first line of --dqs-key-file, else
 * $HYBRIDTLS_DQS_KEY. The file and the variable keep the key out of ps.
 */
static bool dqs_key_choose(const char **key, const char *file, char *buf, size_t len)
{
	const char *env;

	if (*key != NULL && file != NULL) {
		fprintf(stderr, "hybridtls: --dqs-key and --dqs-key-file: give one of them\n");
		return false;
	}
	if (file != NULL) {
		if (!read_password(file, buf, len)) {
			fprintf(stderr, "hybridtls: --dqs-key-file: cannot read %s\n", file);
			return false;
		}
		*key = buf;
	} else if (*key == NULL && (env = getenv("HYBRIDTLS_DQS_KEY")) != NULL && env[0] != '\0') {
		*key = env;
	}
	return true;
}

/* The exports, the certificate and its password (read into pw) as a run takes them. */
static bool inputs_to_run(const struct inputs *in, struct run_inputs *ri, char *pw, size_t pwlen)
{
	for (size_t i = 0; i < in->nconnector && i < RUN_MAX_CONNECTORS; i++)
		ri->connector[ri->nconnector++] = in->connector[i];
	ri->cert = in->cert;
	ri->onprem = in->onprem;
	if (in->password_file == NULL)
		return true;
	if (!read_password(in->password_file, pw, pwlen)) {
		fprintf(stderr, "hybridtls: --cert-password-file: cannot read %s\n", in->password_file);
		return false;
	}
	ri->password = pw;
	return true;
}

/* Each check counts itself out when it is done. */
static void on_done(void *arg, struct check *c)
{
	(void)c;
	(*(int *)arg)--;
}

/* The CLI's event loop: poll the engine until every check is done or Ctrl-C.
 * Returns true when all finished. */
static bool drive(struct engine *e, const int *left)
{
	sigset_t saved;

	sigpoll_begin(&saved);
	while (*left > 0 && !interrupted) {
		struct pollfd pfd[256];
		size_t n = engine_pollfds(e, pfd, 256);

		if (sigpoll_wait(pfd, n, engine_timeout(e), &saved) < 0 && errno != EINTR)
			break;
		engine_process(e, pfd, n);
	}
	sigpoll_end(&saved);
	return *left == 0;
}

/* The zones file: --dnsbl-zones, the installed one, or the source tree's when run uninstalled. */
static bool load_zones(const char *file, const char *key, struct dnsbl_list *zones, const char **used)
{
	char err[512];

	if (!run_load_zones(file, key, zones, used, err, sizeof err)) {
		fprintf(stderr, "hybridtls: %s\n", err);
		return false;
	}
	return true;
}

enum format { FMT_TEXT, FMT_JSON, FMT_MARKDOWN };

struct output {
	enum format fmt;
	const char *path;	/* -o FILE; NULL for stdout */
	const char *command;
	const char *capture;	/* --capture FILE; NULL for none */
	bool full;		/* batch --json: the whole report on each line */
};

/* Finish the output: false (after saying why) when it failed; a reader
 * that closed early (| head) is said, and the status stays the diagnosis'. */
static bool commit(struct outfile *of)
{
	char err[512];

	if (!outfile_commit(of, err, sizeof err)) {
		fprintf(stderr, "hybridtls: %s\n", err);
		return false;
	}
	if (of->cut)
		fprintf(stderr, "hybridtls: standard output was closed before the whole report "
		    "was written\n");
	return true;
}

/* Render a run in the asked format, to stdout or atomically to -o FILE. */
static bool emit(const struct output *o, const struct diagnosis *d, const struct findings *fs,
    const struct report_options *ro)
{
	struct outfile of;
	char err[512];
	bool ok = true;

	if (!outfile_open(&of, o->path, err, sizeof err)) {
		fprintf(stderr, "hybridtls: %s\n", err);
		return false;
	}
	switch (o->fmt) {
	case FMT_TEXT:
		report_text(of.fp, d, fs, ro);
		break;
	case FMT_MARKDOWN:
		report_markdown(of.fp, o->command, d, fs);
		break;
	case FMT_JSON: {
		json_t *j = json_report(o->command, d, fs);

		/* On stdout, commit() tells a reader that went away from a failure. */
		ok = j != NULL && (json_write(j, of.fp, err, sizeof err) || of.fp == stdout);
		json_decref(j);
		break;
	}
	}
	if (!ok) {
		fprintf(stderr, "hybridtls: %s\n", err);
		outfile_abort(&of);
		return false;
	}
	return commit(&of);
}

static int run_check(struct run_plan *plan, const char *resolver, int timeout_ms,
    const struct report_options *ro, const struct output *o)
{
	struct engine_options eo = { .resolver = resolver,
	    .dns_timeout_ms = timeout_ms > 0 && timeout_ms < 2000 ? timeout_ms / 2 : 0 };
	struct engine *e;
	struct check *c;
	struct diagnosis d;
	struct findings fs = { 0 };
	char *cause = NULL;
	bool done;
	int left = 1;
	int status;

	if ((e = engine_new(&eo, &cause)) == NULL) {
		fprintf(stderr, "hybridtls: %s\n", cause ? cause : "cannot start");
		free(cause);
		return 3;
	}
	if ((c = check_start(e, &plan->co, on_done, &left)) == NULL) {
		fprintf(stderr, "hybridtls: out of memory\n");
		engine_free(e);
		return 3;
	}
	done = drive(e, &left);
	check_take(c, &d);
	check_free(c);
	engine_free(e);
	if (!done) {
		fprintf(stderr, "hybridtls: interrupted\n");
		diagnosis_free(&d);
		return 3;
	}
	run_complete(plan, &d);
	rules_all(&d, plan->co.zones, &fs);
	findings_sort(&fs);
	status = emit(o, &d, &fs, ro) ? findings_exit_status(&fs) : 3;
	if (o->capture != NULL && !capture_save(&d, o->capture, &cause)) {
		fprintf(stderr, "hybridtls: --capture %s\n", cause ? cause : "out of memory");
		free(cause);
		status = 3;
	}
	findings_free(&fs);
	diagnosis_free(&d);
	return status;
}

/* replay FILE: the rules of today on the facts of a capture, printed as a run would be. */
static int run_replay(const char *file, const char *zones_file, const struct report_options *ro,
    const struct output *o)
{
	struct dnsbl_list zones = { 0 };
	struct diagnosis d;
	struct findings fs = { 0 };
	const char *used;
	char *err = NULL;
	int status;

	if (!capture_load(file, &d, &err)) {
		fprintf(stderr, "hybridtls replay: %s\n", err ? err : "out of memory");
		free(err);
		return 3;
	}
	if (!d.has_smtp && !d.has_dns && !d.has_dnsbl && !d.has_onprem && d.nconnectors == 0 &&
	    d.cert == NULL) {
		fprintf(stderr, "hybridtls replay: %s holds the facts of no step: nothing to judge\n", file);
		diagnosis_free(&d);
		return 3;
	}
	/* Blocklist codes are judged with the zone knowledge of today, as the rules are. */
	if (d.has_dnsbl && !load_zones(zones_file, NULL, &zones, &used))
		fprintf(stderr, "hybridtls: judging the blocklist answers without the zone list\n");
	rules_all(&d, d.has_dnsbl ? &zones : NULL, &fs);
	findings_sort(&fs);
	status = emit(o, &d, &fs, ro) ? findings_exit_status(&fs) : 3;
	findings_free(&fs);
	diagnosis_free(&d);
	dnsbl_list_free(&zones);
	return status;
}

/* Two vantage points at once: two probes on one engine, then compared. */
static bool emit_compare(const struct output *o, const struct smtp_facts *a, const struct smtp_facts *b,
    const struct findings *fs, const struct report_options *ro)
{
	struct outfile of;
	char err[512];
	bool ok = true;

	if (!outfile_open(&of, o->path, err, sizeof err)) {
		fprintf(stderr, "hybridtls: %s\n", err);
		return false;
	}
	if (o->fmt == FMT_JSON) {
		json_t *j = json_object(), *arr = json_array();

		json_object_set_new(j, "schema", json_string("hybridtls-compare"));
		json_object_set_new(j, "version", json_integer(1));
		json_object_set_new(j, "hybridtls", json_string(PACKAGE_VERSION));
		json_object_set_new(j, "exit_status", json_integer(findings_exit_status(fs)));
		json_object_set_new(j, "a", json_smtp_facts(a));
		json_object_set_new(j, "b", json_smtp_facts(b));
		for (size_t i = 0; i < fs->n; i++)
			json_array_append_new(arr, json_finding(&fs->v[i]));
		json_object_set_new(j, "findings", arr);
		ok = json_write(j, of.fp, err, sizeof err) || of.fp == stdout;
		json_decref(j);
	} else {
		if (o->fmt == FMT_MARKDOWN)
			fprintf(of.fp, "# hybridtls compare: %s and %s\n\n```\n", a->host, b->host);
		report_compare_text(of.fp, a, b, fs, ro);
		if (o->fmt == FMT_MARKDOWN)
			fprintf(of.fp, "```\n");
	}
	if (!ok) {
		fprintf(stderr, "hybridtls: %s\n", err);
		outfile_abort(&of);
		return false;
	}
	return commit(&of);
}

/* Judge two SMTP probes side by side, print them, and free both. */
static int compare_and_emit(struct diagnosis *da, struct diagnosis *db, const struct report_options *ro,
    const struct output *o)
{
	struct findings fs = { 0 };
	int status;

	rules_compare(&da->smtp, &db->smtp, &fs);
	findings_sort(&fs);
	status = emit_compare(o, &da->smtp, &db->smtp, &fs, ro) ? findings_exit_status(&fs) : 3;
	findings_free(&fs);
	diagnosis_free(da);
	diagnosis_free(db);
	return status;
}


static int run_compare(struct check_options *a, struct check_options *b, const char *resolver,
    const struct report_options *ro, const struct output *o)
{
	struct engine_options eo = { .resolver = resolver };
	struct engine *e;
	struct check *ca, *cb;
	struct diagnosis da, db;
	struct ledger *l;
	/* One run: compare H H sends H no more than one check would. */
	struct ledger_options lo = { .max_total = LEDGER_DEFAULT_BUDGET, .max_open = LEDGER_DEFAULT_BUDGET };
	int left = 2;
	char *cause = NULL;

	if ((e = engine_new(&eo, &cause)) == NULL) {
		fprintf(stderr, "hybridtls: %s\n", cause ? cause : "cannot start");
		free(cause);
		return 3;
	}
	l = ledger_new(e, &lo);
	a->ledger = b->ledger = l;
	ca = check_start(e, a, on_done, &left);
	cb = check_start(e, b, on_done, &left);
	if (l == NULL || ca == NULL || cb == NULL) {
		fprintf(stderr, "hybridtls: out of memory\n");
		check_free(ca);
		check_free(cb);
		ledger_free(l);
		engine_free(e);
		return 3;
	}
	drive(e, &left);
	check_take(ca, &da);
	check_take(cb, &db);
	check_free(ca);
	check_free(cb);
	ledger_free(l);
	engine_free(e);
	if (left > 0) {
		fprintf(stderr, "hybridtls: interrupted\n");
		diagnosis_free(&da);
		diagnosis_free(&db);
		return 3;
	}
	return compare_and_emit(&da, &db, ro, o);
}

/* compare CAPTURE CAPTURE: the SMTP facts of two captures, offline. */
static int run_compare_captures(const char *fa, const char *fb, const struct report_options *ro,
    const struct output *o)
{
	struct diagnosis da, db;
	char *err = NULL;

	if (!capture_load(fa, &da, &err)) {
		fprintf(stderr, "hybridtls compare: %s\n", err ? err : "out of memory");
		free(err);
		return 3;
	}
	if (!capture_load(fb, &db, &err)) {
		fprintf(stderr, "hybridtls compare: %s\n", err ? err : "out of memory");
		free(err);
		diagnosis_free(&da);
		return 3;
	}
	if (!da.has_smtp || !db.has_smtp) {
		fprintf(stderr, "hybridtls compare: %s holds no SMTP probe (a capture of dns or blocklist); "
		    "compare needs two captures of check or smtp\n", !da.has_smtp ? fa : fb);
		diagnosis_free(&da);
		diagnosis_free(&db);
		return 3;
	}
	return compare_and_emit(&da, &db, ro, o);
}

/* Whether path names a regular file (then compare reads it as a capture). */
static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* batch [FILE|-]: many targets, a table or JSON Lines. */
static int run_batch(int argc, char **argv, const struct smtp_options *so, uint16_t port,
    const char *resolver, const char *ip, const char *zones_file, const char *dqs_key, size_t jobs,
    int target_timeout_ms, const struct output *o)
{
	struct batch_cli bc = { .resolver = resolver, .jobs = jobs, .jsonl = o->fmt == FMT_JSON,
	    .full = o->full };
	struct dnsbl_list zones = { 0 };
	struct outfile of;
	char err[512];
	FILE *in = stdin;
	int status;

	if (argc > 1) {
		fprintf(stderr, "hybridtls batch: give one list of targets (a file, or - for stdin)\n");
		return EXIT_USAGE;
	}
	if (o->fmt == FMT_MARKDOWN) {
		fprintf(stderr, "hybridtls batch: --json (JSON Lines) or the table; not --markdown\n");
		return EXIT_USAGE;
	}
	if (o->full && o->fmt != FMT_JSON) {
		fprintf(stderr, "hybridtls batch: --full goes with --json\n");
		return EXIT_USAGE;
	}
	if (argc == 1 && strcmp(argv[0], "-") != 0 && (in = fopen(argv[0], "r")) == NULL) {
		fprintf(stderr, "hybridtls batch: '%s': %s\n", argv[0], strerror(errno));
		return EXIT_USAGE;
	}
	bc.base.mode = CHECK_FULL;
	bc.base.smtp = *so;
	/* --port: for every target that names none (a domain's MX host, say). */
	bc.base.smtp.port = port;
	bc.base.ip = ip;
	bc.base.dns_timeout_ms = so->phase_timeout_ms > 0 && so->phase_timeout_ms < 5000 ?
	    so->phase_timeout_ms : 0;
	/* Every phase may use its whole deadline; a target that is slower is stuck. */
	bc.target_timeout_ms = target_timeout_ms > 0 ? target_timeout_ms :
	    (so->phase_timeout_ms > 0 ? so->phase_timeout_ms : 15000) * 8;
	if (load_zones(zones_file, dqs_key, &zones, &bc.base.zones_file))
		bc.zones = &zones;
	else
		fprintf(stderr, "hybridtls: going on without the blocklist step\n");
	if (!outfile_open(&of, o->path, err, sizeof err)) {
		fprintf(stderr, "hybridtls: %s\n", err);
		if (in != stdin)
			fclose(in);
		dnsbl_list_free(&zones);
		return 3;
	}
	status = cmd_batch(&bc, in, of.fp, stderr, &interrupted);
	if (in != stdin)
		fclose(in);
	dnsbl_list_free(&zones);
	if (status == EXIT_USAGE) {
		outfile_abort(&of);
		return status;
	}
	if (!commit(&of))
		return 3;
	return status;
}

/* connector FILE... [--ip] [--cert]: the exports on their own, no network. */
static int run_connector(int argc, char **argv, struct inputs *in, const char *ip, const char *ca_file,
    const struct report_options *ro, const struct output *o)
{
	struct run_inputs ri = { .ip = ip, .smtp = { .ca_file = ca_file } };
	struct run_plan plan;
	struct diagnosis d;
	struct findings fs = { 0 };
	char pw[512] = "";
	int status;

	if (argc < 1 || in->nconnector + (size_t)argc > MAX_CONNECTOR_FILES) {
		fprintf(stderr, "hybridtls connector: give the export file(s): Get-InboundConnector | "
		    "ConvertTo-Json -Depth 5, Export-Clixml or Format-List\n");
		return EXIT_USAGE;
	}
	for (int i = 0; i < argc; i++)
		in->connector[in->nconnector++] = argv[i];
	if (!inputs_to_run(in, &ri, pw, sizeof pw))
		return EXIT_USAGE;
	diagnosis_init(&d);
	d.target = strdup(argv[0]);
	run_plan_init(&plan);
	plan.co.ip = ip;
	run_load_inputs(&plan, &ri);
	explicit_bzero(pw, sizeof pw);
	run_complete(&plan, &d);
	run_plan_free(&plan);
	rules_all(&d, NULL, &fs);
	findings_sort(&fs);
	status = emit(o, &d, &fs, ro) ? findings_exit_status(&fs) : 3;
	findings_free(&fs);
	diagnosis_free(&d);
	return status;
}

#define EXPLAIN_READ_MAX (256 * 1024)

/* Read at most EXPLAIN_READ_MAX bytes of fp into a new buffer. */
static char *slurp(FILE *fp, size_t *len)
{
	char *buf = malloc(EXPLAIN_READ_MAX + 1);

	if (buf == NULL)
		return NULL;
	*len = fread(buf, 1, EXPLAIN_READ_MAX, fp);
	buf[*len] = '\0';
	return buf;
}

/* explain TEXT..., explain FILE, explain - (or a pipe on stdin): a pasted error. */
static int run_explain(int argc, char **argv, const struct output *o)
{
	struct explain_result r;
	struct outfile of;
	char *text = NULL, err[512];
	size_t len = 0;
	FILE *fp;
	int status;

	if (argc == 0 || (argc == 1 && strcmp(argv[0], "-") == 0)) {
		if (argc == 0 && isatty(fileno(stdin))) {
			fprintf(stderr, "hybridtls explain: paste the error, then Ctrl-D "
			    "(or give it as an argument or a file)\n");
		}
		text = slurp(stdin, &len);
	} else if (argc == 1 && (fp = fopen(argv[0], "r")) != NULL) {
		text = slurp(fp, &len);
		fclose(fp);
	} else {
		/* The words themselves are the error text. */
		size_t cap = 1;

		for (int i = 0; i < argc; i++)
			cap += strlen(argv[i]) + 1;
		if ((text = malloc(cap)) != NULL) {
			text[0] = '\0';
			for (int i = 0; i < argc; i++) {
				strcat(text, argv[i]);
				strcat(text, i + 1 < argc ? " " : "");
			}
			len = strlen(text);
		}
	}
	if (text == NULL) {
		fprintf(stderr, "hybridtls explain: cannot read the text\n");
		return 3;
	}
	explain_text(text, len, &r);
	free(text);
	if (!outfile_open(&of, o->path, err, sizeof err)) {
		fprintf(stderr, "hybridtls: %s\n", err);
		explain_result_free(&r);
		return 3;
	}
	if (o->fmt == FMT_JSON) {
		json_t *j = json_explain(&r);

		if (!json_write(j, of.fp, err, sizeof err) && of.fp != stdout) {
			fprintf(stderr, "hybridtls: %s\n", err);
			json_decref(j);
			outfile_abort(&of);
			explain_result_free(&r);
			return 3;
		}
		json_decref(j);
	} else {
		if (o->fmt == FMT_MARKDOWN)
			fprintf(of.fp, "# hybridtls explain\n\n```\n");
		explain_render_text(of.fp, &r, 80);
		if (o->fmt == FMT_MARKDOWN)
			fprintf(of.fp, "```\n");
	}
	status = r.recognised ? 0 : 3;
	explain_result_free(&r);
	if (!commit(&of))
		return 3;
	return status;
}

/* No command: the wizard, its first screen filled in from the options. */
static int open_wizard(const struct smtp_options *so, uint16_t port, const char *resolver, const char *ip,
    const char *zones_file, const char *dqs_key, const struct inputs *in, const char *replay)
{
	struct wizard_args a = { .resolver = resolver, .replay = replay };
	char pw[512] = "";
	int status;

	a.in.mode = CHECK_FULL;
	a.in.smtp = *so;
	a.in.port = port;
	a.in.ip = ip;
	a.in.zones_file = zones_file;
	a.in.dqs_key = dqs_key;
	if (!inputs_to_run(in, &a.in, pw, sizeof pw))
		return EXIT_USAGE;
	status = wizard_main(&a);
	explicit_bzero(pw, sizeof pw);
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
		{ "dqs-key-file", required_argument, NULL, 'k' },
		{ "envelope", required_argument, NULL, 'L' },
		{ "connector", required_argument, NULL, 'c' },
		{ "cert", required_argument, NULL, 'F' },
		{ "onprem", required_argument, NULL, 'O' },
		{ "cert-password-file", required_argument, NULL, 'P' },
		{ "json", no_argument, NULL, 'J' },
		{ "markdown", no_argument, NULL, 'M' },
		{ "output", required_argument, NULL, 'o' },
		{ "capture", required_argument, NULL, 'S' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "target-timeout", required_argument, NULL, 'X' },
		{ "full", no_argument, NULL, 'U' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct smtp_options so = { 0 };
	struct report_options ro = { 0 };
	struct target t;
	const char *cmd = NULL, *resolver = NULL, *ip = NULL, *zones_file = NULL, *dqs_key = NULL;
	const char *dqs_key_file = NULL;
	char dqs_buf[128];
	struct check_options co = { 0 };
	unsigned char addr[16];
	char envelope[600];
	int status, target_timeout_ms = 0;
	size_t jobs = 10;
	struct output out = { .fmt = FMT_TEXT };
	struct inputs in = { .nconnector = 0 };
	uint16_t port = 0;
	char err[512];
	int c;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	/* immutableid takes its value as is (an ImmutableID may hold characters getopt would see). */
	if (argc > 1 && strcmp(argv[1], "immutableid") == 0)
		return cmd_immutableid(argc - 2, argv + 2, stdout, stderr);
	/* Options may come before or after the command: the command is the first word. */
	while ((c = getopt_long(argc, argv, "p:o:j:vhV", longopts, NULL)) != -1) {
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
			/* At least a millisecond: 0 would mean "the default". */
			so.phase_timeout_ms = s * 1000 < 1 ? 1 : (int)(s * 1000);
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
		case 'k': dqs_key_file = optarg; break;
		case 'L':
			if (!parse_envelope(optarg, envelope, sizeof envelope, &so.envelope_from,
			    &so.envelope_to)) {
				fprintf(stderr, "hybridtls: --envelope FROM,TO: two mail addresses, such as "
				    "postmaster@contoso.com,user@contoso.com\n");
				return EXIT_USAGE;
			}
			break;
		case 'c':
			if (in.nconnector == MAX_CONNECTOR_FILES) {
				fprintf(stderr, "hybridtls: at most %d --connector files\n", MAX_CONNECTOR_FILES);
				return EXIT_USAGE;
			}
			in.connector[in.nconnector++] = optarg;
			break;
		case 'F': in.cert = optarg; break;
		case 'O': in.onprem = optarg; break;
		case 'P': in.password_file = optarg; break;
		case 'J': out.fmt = FMT_JSON; break;
		case 'M': out.fmt = FMT_MARKDOWN; break;
		case 'o': out.path = optarg; break;
		case 'S': out.capture = optarg; break;
		case 'U': out.full = true; break;
		case 'j': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end != '\0' || v < 1 || v > 256) {
				fprintf(stderr, "hybridtls: --jobs '%s': a number from 1 to 256\n", optarg);
				return EXIT_USAGE;
			}
			jobs = v;
			break;
		}
		case 'X': {
			char *end;
			double sec = strtod(optarg, &end);

			if (*end != '\0' || !(sec > 0 && sec <= 86400)) {
				fprintf(stderr, "hybridtls: --target-timeout '%s': seconds\n", optarg);
				return EXIT_USAGE;
			}
			target_timeout_ms = sec * 1000 < 1 ? 1 : (int)(sec * 1000);
			break;
		}
		case 'v': ro.verbose = true; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("hybridtls %s\n", PACKAGE_VERSION); return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (!dqs_key_choose(&dqs_key, dqs_key_file, dqs_buf, sizeof dqs_buf))
		return EXIT_USAGE;
	if (optind < argc)
		cmd = argv[optind++];
	if (cmd == NULL)
		return open_wizard(&so, port, resolver, ip, zones_file, dqs_key, &in, NULL);
	out.command = cmd;
	if (out.fmt == FMT_JSON && out.path == NULL)
		fflush(stdout);
	if (out.capture != NULL && strcmp(cmd, "check") != 0 && strcmp(cmd, "smtp") != 0 &&
	    strcmp(cmd, "dns") != 0 && strcmp(cmd, "blocklist") != 0) {
		fprintf(stderr, "hybridtls %s: --capture goes with check, smtp, dns or blocklist\n", cmd);
		return EXIT_USAGE;
	}
	if (out.full && strcmp(cmd, "batch") != 0) {
		fprintf(stderr, "hybridtls %s: --full goes with batch --json\n", cmd);
		return EXIT_USAGE;
	}
	if (strcmp(cmd, "replay") == 0) {
		if (optind != argc - 1) {
			fprintf(stderr, "hybridtls replay: give one capture file (made with --capture)\n");
			return EXIT_USAGE;
		}
		/* On a terminal, without --json, --markdown or -o, the wizard opens the capture. */
		if (out.fmt == FMT_TEXT && out.path == NULL && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return open_wizard(&so, port, resolver, ip, zones_file, dqs_key, &in, argv[optind]);
		return run_replay(argv[optind], zones_file, &ro, &out);
	}
	if (strcmp(cmd, "explain") == 0)
		return run_explain(argc - optind, argv + optind, &out);
	if (strcmp(cmd, "connector") == 0)
		return run_connector(argc - optind, argv + optind, &in, ip, so.ca_file, &ro, &out);
	if (strcmp(cmd, "batch") == 0)
		return run_batch(argc - optind, argv + optind, &so, port, resolver, ip, zones_file, dqs_key, jobs,
		    target_timeout_ms, &out);
	if (strcmp(cmd, "compare") == 0) {
		struct check_options cb;
		struct target tb;

		if (optind != argc - 2) {
			fprintf(stderr, "hybridtls compare: give two targets, HOST[:PORT] HOST[:PORT], "
			    "or two capture files\n");
			return EXIT_USAGE;
		}
		if (is_file(argv[optind]) && is_file(argv[optind + 1]))
			return run_compare_captures(argv[optind], argv[optind + 1], &ro, &out);
		if (is_file(argv[optind]) || is_file(argv[optind + 1])) {
			fprintf(stderr, "hybridtls compare: %s is a file and %s is not: give two capture files "
			    "or two targets\n", is_file(argv[optind]) ? argv[optind] : argv[optind + 1],
			    is_file(argv[optind]) ? argv[optind + 1] : argv[optind]);
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
		return run_compare(&co, &cb, resolver, &ro, &out);
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
	{
		struct run_inputs ri = { .mode = co.mode, .target = argv[optind], .port = port, .smtp = so,
		    .ip = ip, .zones_file = zones_file, .dqs_key = dqs_key };
		struct run_plan plan;
		char pw[512] = "";

		if (!inputs_to_run(&in, &ri, pw, sizeof pw))
			return EXIT_USAGE;
		if (!run_plan(&plan, &ri, err, sizeof err)) {
			fprintf(stderr, "hybridtls: %s\n", err);
			status = plan.zones_error != NULL ? 3 : EXIT_USAGE;
			run_plan_free(&plan);
			explicit_bzero(pw, sizeof pw);
			return status;
		}
		/* The password has served: the certificate is loaded. */
		explicit_bzero(pw, sizeof pw);
		if (plan.zones_error != NULL)
			fprintf(stderr, "hybridtls: %s\nhybridtls: going on without the blocklist step\n",
			    plan.zones_error);
		status = run_check(&plan, resolver, so.phase_timeout_ms, &ro, &out);
		run_plan_free(&plan);
	}
	return status;
}

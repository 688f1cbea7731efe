#include "config.h"

#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <criterion/internal/ordered-set.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "blocklist.h"
#include "check.h"
#include "engine.h"
#include "kb.h"
#include "report.h"
#include "rules.h"
#include "smtp.h"
#include "env.h"

uint16_t env_port(const char *scenario)
{
	char name[64];
	const char *v;

	snprintf(name, sizeof name, "HTLS_PORT_%s", scenario);
	v = getenv(name);
	cr_assert_not_null(v, "%s is not set: run through tests/run-integration.sh", name);
	return (uint16_t)atoi(v);
}

const char *env_ca(void)
{
	const char *v = getenv("HTLS_CA");

	cr_assert_not_null(v, "HTLS_CA is not set: run through tests/run-integration.sh");
	return v;
}

const char *env_bin(void)
{
	const char *v = getenv("HTLS_BIN");

	cr_assert_not_null(v, "HTLS_BIN is not set");
	return v;
}

void env_exec_bin(const char *const *args)
{
	const char *argv[64];
	size_t n = 0;
	const char *w = getenv("HTLS_WRAP");
	char *wrap = w != NULL ? strdup(w) : NULL;

	if (wrap != NULL)
		for (char *t = strtok(wrap, " "); t != NULL && n < 32; t = strtok(NULL, " "))
			argv[n++] = t;
	argv[n++] = env_bin();
	for (size_t i = 0; args[i] != NULL && n < 63; i++) {
		argv[n++] = args[i];
		/* The binary's own deadlines stretch with the tests' waits. */
		if (i > 0 && (strcmp(args[i - 1], "--timeout") == 0 || strcmp(args[i - 1], "--target-timeout") == 0) &&
		    env_ms(1) > 1) {
			static char scaled[8][32];
			static size_t k;

			snprintf(scaled[k % 8], sizeof scaled[0], "%g", strtod(args[i], NULL) * env_ms(1));
			argv[n - 1] = scaled[k++ % 8];
		}
	}
	argv[n] = NULL;
	execvp(argv[0], (char *const *)argv);
	_exit(127);
}

int env_ms(int ms)
{
	const char *v = getenv("HTLS_TIME_SCALE");
	int k = v != NULL ? atoi(v) : 1;

	return ms * (k > 0 ? k : 1);
}

/* Under HTLS_TIME_SCALE the tests' own time limits stretch too (Criterion's
 * --timeout can only shorten them): read in the runner before any test starts. */
ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
	int k = env_ms(1);

	if (k <= 1)
		return;
	FOREACH_SET(struct criterion_suite_set *s, set->suites) {
		if (s->suite.data != NULL)
			s->suite.data->timeout *= k;
		FOREACH_SET(struct criterion_test *t, s->tests) {
			if (t->data != NULL)
				t->data->timeout *= k;
		}
	}
}

static void on_done(void *arg, struct smtp_probe *p)
{
	(void)p;
	*(bool *)arg = true;
}

void probe_host(const char *host, uint16_t port, const char *tls_name, int timeout_ms,
    struct smtp_facts *f, struct findings *fs)
{
	struct engine_options eo = { 0 };
	struct smtp_options so = { .host = host, .port = port, .ehlo_name = EHLO_NAME,
	    .tls_name = tls_name, .ca_file = env_ca(), .phase_timeout_ms = timeout_ms };
	char *cause = NULL;
	struct engine *e = engine_new(&eo, &cause);
	struct smtp_probe *p;
	bool done = false;

	cr_assert_not_null(e, "engine_new: %s", cause);
	p = smtp_probe_start(e, &so, on_done, &done);
	cr_assert_not_null(p);
	while (!done) {
		struct pollfd pfd[32];
		size_t n = engine_pollfds(e, pfd, 32);

		cr_assert(n > 0 || engine_timeout(e) >= 0, "the engine has nothing to wait on");
		poll(pfd, n, engine_timeout(e));
		engine_process(e, pfd, n);
	}
	smtp_probe_take_facts(p, f);
	smtp_probe_free(p);
	engine_free(e);
	memset(fs, 0, sizeof *fs);
	rules_smtp(f, fs);
	findings_sort(fs);
}

void probe_port(uint16_t port, const char *tls_name, int timeout_ms, struct smtp_facts *f,
    struct findings *fs)
{
	probe_host("127.0.0.1", port, tls_name, timeout_ms, f, fs);
}

static char *findings_text(const struct findings *fs)
{
	static char buf[4096];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < fs->n && o < sizeof buf - 200; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, " %s:%s [%s]\n", fs->v[i].kb->id,
		    severity_name(fs->v[i].sev), fs->v[i].summary ? fs->v[i].summary : "");
	return buf;
}

void assert_findings(const struct findings *fs, const char *const *expected)
{
	size_t n = 0;

	for (; expected[n] != NULL; n++) {
		bool found = false;

		for (size_t i = 0; i < fs->n && !found; i++) {
			char pair[128];

			snprintf(pair, sizeof pair, "%s:%s", fs->v[i].kb->id, severity_name(fs->v[i].sev));
			found = strcmp(pair, expected[n]) == 0;
		}
		cr_assert(found, "expected finding %s; got:\n%s", expected[n], findings_text(fs));
	}
	cr_assert_eq(fs->n, n, "expected %zu findings, got %zu:\n%s", n, fs->n, findings_text(fs));
}

const char *transcript_text(const struct smtp_facts *f)
{
	static char buf[16384];
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < f->tr.n && o < sizeof buf - 600; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "  %s %.500s\n",
		    report_dir_marker(f->tr.v[i].dir, f->tr.v[i].tls), f->tr.v[i].text);
	return buf;
}

static bool line_matches(const char *pat, const char *marker, const char *text)
{
	char line[700];
	size_t pl = strlen(pat);

	snprintf(line, sizeof line, "%s %s", marker, text);
	if (pl > 0 && pat[pl - 1] == '*')
		return strncmp(line, pat, pl - 1) == 0;
	return strcmp(line, pat) == 0;
}

void assert_transcript(const struct smtp_facts *f, const char *const *lines)
{
	size_t at = 0;

	for (size_t k = 0; lines[k] != NULL; k++) {
		bool found = false;

		for (; at < f->tr.n && !found; at++)
			found = line_matches(lines[k], report_dir_marker(f->tr.v[at].dir, f->tr.v[at].tls),
			    f->tr.v[at].text);
		cr_assert(found, "transcript line '%s' not found (in order); transcript:\n%s", lines[k],
		    transcript_text(f));
	}
}

int run_bin(const char *const *args, char **out)
{
	return run_bin_in(args, NULL, out);
}

int run_bin_in(const char *const *args, const char *input, char **out)
{
	int pipefd[2], infd[2] = { -1, -1 }, status;
	pid_t pid;
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);

	cr_assert_not_null(buf);
	cr_assert_eq(pipe(pipefd), 0);
	if (input != NULL)
		cr_assert_eq(pipe(infd), 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		if (input != NULL) {
			dup2(infd[0], 0);
			close(infd[0]);
			close(infd[1]);
		} else {
			int null = open("/dev/null", O_RDONLY);

			dup2(null, 0);
			close(null);
		}
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);	/* errors are part of what the user sees */
		close(pipefd[0]);
		close(pipefd[1]);
		env_exec_bin(args);
	}
	close(pipefd[1]);
	if (input != NULL) {
		/* Small inputs: the pipe holds them whole. */
		close(infd[0]);
		cr_assert_eq(write(infd[1], input, strlen(input)), (ssize_t)strlen(input));
		close(infd[1]);
	}
	for (;;) {
		ssize_t r;

		if (len + 1 == cap && (buf = realloc(buf, cap *= 2)) == NULL)
			cr_assert_fail("out of memory");
		r = read(pipefd[0], buf + len, cap - len - 1);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	close(pipefd[0]);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	*out = buf;
	cr_assert(WIFEXITED(status), "hybridtls did not exit normally (signal %d)",
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return WEXITSTATUS(status);
}

const char *env_resolver(void)
{
	static char buf[64];
	/* The forwarder in front of NSD: dead.test never answers, the rest passes. */
	const char *v = getenv("HTLS_DNSDROP_PORT");

	cr_assert_not_null(v, "HTLS_DNSDROP_PORT is not set: run through tests/run-integration.sh");
	snprintf(buf, sizeof buf, "127.0.0.1:%s", v);
	return buf;
}

static void on_check_done(void *arg, struct check *c)
{
	(void)c;
	*(bool *)arg = true;
}

void run_check(struct check_options *co, struct diagnosis *d, struct findings *fs)
{
	struct engine_options eo = { .resolver = env_resolver(), .dns_timeout_ms = 1000, .dns_tries = 2 };
	struct dnsbl_list zones = { 0 };
	char err[256], *cause = NULL;
	struct engine *e = engine_new(&eo, &cause);
	struct check *c;
	bool done = false;

	cr_assert_not_null(e, "engine_new: %s", cause);
	cr_assert(dnsbl_load_file(blocklist_default_zones(), &zones, err, sizeof err), "%s", err);
	if (co->zones == NULL && (co->mode == CHECK_BLOCKLIST || co->mode == CHECK_FULL))
		co->zones = &zones;
	if (co->smtp.ehlo_name == NULL)
		co->smtp.ehlo_name = EHLO_NAME;
	if (co->smtp.ca_file == NULL)
		co->smtp.ca_file = env_ca();
	if (co->dns_timeout_ms == 0)
		co->dns_timeout_ms = 3000;
	c = check_start(e, co, on_check_done, &done);
	cr_assert_not_null(c);
	while (!done) {
		struct pollfd pfd[256];
		size_t n = engine_pollfds(e, pfd, 256);

		poll(pfd, n, engine_timeout(e));
		engine_process(e, pfd, n);
	}
	check_take(c, d);
	check_free(c);
	engine_free(e);
	memset(fs, 0, sizeof *fs);
	rules_all(d, co->zones, fs);
	findings_sort(fs);
	co->zones = NULL;
	dnsbl_list_free(&zones);
}

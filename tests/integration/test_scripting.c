/*
 * Scripting and scale, through the real binary: JSON validated against the
 * documented schema, Markdown, atomic -o, batch over 200 targets (healthy,
 * broken, dead, hostile), explain from stdin, ImmutableID, and the man page
 * kept in step with --help.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "env.h"
#include "jsonschema_lite.h"

static char *out;

static void teardown(void)
{
	free(out);
	out = NULL;
}

TestSuite(scripting, .fini = teardown, .timeout = 120);

/* doc/NAME, a JSON schema. */
static json_t *schema_file(const char *name)
{
	char path[512];
	json_error_t e;
	json_t *s;

	snprintf(path, sizeof path, SRCDIR "/doc/%s", name);
	s = json_load_file(path, 0, &e);
	cr_assert_not_null(s, "%s: %s (line %d)", path, e.text, e.line);
	return s;
}

static json_t *schema(void)
{
	return schema_file("json-schema.json");
}

static void assert_valid_with(json_t *s, json_t *doc, const char *what)
{
	char why[512];

	cr_assert(jsonschema_lite_validate(s, doc, why, sizeof why), "not valid against the schema: %s: %.300s", why,
	    what);
}

static void assert_valid(json_t *doc)
{
	json_t *s = schema();

	assert_valid_with(s, doc, "the report");
	json_decref(s);
}

Test(scripting, json_report_of_a_full_check_matches_the_schema)
{
	char port[16];
	json_error_t e;
	json_t *doc;

	snprintf(port, sizeof port, "%u", env_port("EXIM"));
	cr_assert_eq(run_bin((const char *const[]){ "check", "dane.test", "--port", port, "--tls-name", "mail.test",
	    "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--resolver", env_resolver(), "--timeout", "3", "--json",
	    NULL }, &out), 1, "%s", out);
	doc = json_loads(out, 0, &e);
	cr_assert_not_null(doc, "not JSON: %s\n%s", e.text, out);
	assert_valid(doc);
	cr_assert_str_eq(json_string_value(json_object_get(doc, "command")), "check");
	cr_assert_eq(json_integer_value(json_object_get(doc, "exit_status")), 1);
	cr_assert_not_null(json_object_get(json_object_get(doc, "facts"), "smtp"));
	cr_assert_not_null(json_object_get(json_object_get(doc, "facts"), "dns"));
	cr_assert(strstr(out, "\"der\"") == NULL, "no certificate bytes in the report");
	json_decref(doc);
}

Test(scripting, output_file_is_written_atomically)
{
	char dir[] = "/tmp/htls-out.XXXXXX", path[64], target[64];
	json_error_t e;
	json_t *doc;
	DIR *dp;
	struct dirent *de;
	int files = 0;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/report.json", dir);
	snprintf(target, sizeof target, "127.0.0.1:%u", env_port("EXPIRED"));
	cr_assert_eq(run_bin((const char *const[]){ "smtp", target, "--tls-name", "mail.test", "--ca-file",
	    env_ca(), "--ehlo", EHLO_NAME, "--json", "-o", path, NULL }, &out), 2, "%s", out);
	cr_assert_str_eq(out, "", "nothing on stdout with -o: %s", out);
	doc = json_load_file(path, 0, &e);
	cr_assert_not_null(doc, "%s", e.text);
	assert_valid(doc);
	json_decref(doc);
	cr_assert_not_null(dp = opendir(dir));
	while ((de = readdir(dp)) != NULL)
		files += de->d_name[0] != '.';
	closedir(dp);
	cr_assert_eq(files, 1, "no temporary file left beside the report");
	unlink(path);
	rmdir(dir);
}

Test(scripting, markdown_report_for_a_ticket)
{
	char target[64];

	snprintf(target, sizeof target, "127.0.0.1:%u", env_port("XXXXXXXA"));
	cr_assert_eq(run_bin((const char *const[]){ "smtp", target, "--tls-name", "mail.test", "--ca-file",
	    env_ca(), "--ehlo", EHLO_NAME, "--markdown", NULL }, &out), 2, "%s", out);
	cr_assert_eq(out[0], '#', "starts with a heading: %.80s", out);
	cr_assert(strstr(out, "cause.smtp-inspection") != NULL, "%s", out);
	cr_assert(strstr(out, "```") != NULL, "the conversation is a fenced block");
	cr_assert(strstr(out, "250-XXXXXXXA") != NULL);
}

/* What the batch's JSON Lines said about each target. */
static int status_of(json_t *lines, const char *target)
{
	json_t *v = json_object_get(lines, target);

	cr_assert_not_null(v, "no line for %s", target);
	return (int)json_integer_value(v);
}

Test(scripting, batch_of_200_targets_reports_each_exactly_once, .timeout = 180)
{
	char path[] = "/tmp/htls-batch.XXXXXX", target[80];
	uint16_t closed = 9;	/* discard: nothing listens on it here */
	static const struct { const char *prefix; const char *scenario; int count; int status; } mix[] = {
		{ "h", "HEALTHY", 80, 0 }, { "e", "EXPIRED", 40, 2 }, { "d", NULL, 54, 2 },
		{ "s", "SILENT", 6, 2 }, { "u", "HUGELINE", 20, 2 },
	};
	json_t *seen = json_object(), *why = json_object(), *record = schema_file("json-batch-schema.json");
	FILE *fp;
	int fd = mkstemp(path), total = 0;
	char *line, *save = NULL;

	cr_assert(fd >= 0);
	cr_assert_not_null(fp = fdopen(fd, "w"));
	fprintf(fp, "# 200 targets: healthy, broken, dead and hostile\n\n");
	for (size_t k = 0; k < sizeof mix / sizeof mix[0]; k++)
		for (int i = 1; i <= mix[k].count; i++)
			fprintf(fp, "%s%d.batch.test:%u\n", mix[k].prefix, i,
			    mix[k].scenario ? env_port(mix[k].scenario) : closed);
	fprintf(fp, "h1.batch.test:%u   # a repeat is checked once\n", env_port("HEALTHY"));
	fclose(fp);
	/* Deadlines generous enough for a loaded sanitizer build; silence still ends by them. The
	 * silent targets share one address, 3 at a time (the run's connection budget): two rounds. */
	cr_assert_eq(run_bin((const char *const[]){ "batch", path, "-j", "40", "--json", "--timeout", "6",
	    "--tls-name", "mail.test", "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--resolver", env_resolver(),
	    NULL }, &out), 2, "%.2000s", out);
	for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		json_error_t e;
		json_t *j = json_loads(line, 0, &e);
		const char *t;

		cr_assert_not_null(j, "a line that is not JSON: %.200s", line);
		assert_valid_with(record, j, line);
		t = json_string_value(json_object_get(j, "target"));
		cr_assert_not_null(t);
		cr_assert_null(json_object_get(seen, t), "%s reported twice", t);
		json_object_set_new(seen, t, json_integer(json_integer_value(json_object_get(j, "exit_status"))));
		/* Keep what decided each target, for the failure message. */
		json_object_set_new(why, t, json_incref(json_object_get(j, "root_causes") ?
		    json_object_get(j, "findings") : json_object_get(j, "error")));
		json_decref(j);
		total++;
	}
	json_decref(record);
	cr_assert_eq(total, 200, "every target exactly once");
	for (size_t k = 0; k < sizeof mix / sizeof mix[0]; k++)
		for (int i = 1; i <= mix[k].count; i++) {
			snprintf(target, sizeof target, "%s%d.batch.test:%u", mix[k].prefix, i,
			    mix[k].scenario ? env_port(mix[k].scenario) : closed);
			if (status_of(seen, target) != mix[k].status) {
				char *dump = json_dumps(json_object_get(why, target), JSON_COMPACT);

				cr_assert_fail("%s: exit status %d, expected %d: %.1500s", target,
				    status_of(seen, target), mix[k].status, dump ? dump : "?");
			}
		}
	json_decref(seen);
	json_decref(why);
	unlink(path);
}

Test(scripting, batch_table_and_bad_lines)
{
	char path[] = "/tmp/htls-batch.XXXXXX";
	FILE *fp;
	int fd = mkstemp(path);

	cr_assert(fd >= 0);
	cr_assert_not_null(fp = fdopen(fd, "w"));
	fprintf(fp, "127.0.0.1:%u\nnot a target\n", env_port("HEALTHY"));
	fclose(fp);
	cr_assert_eq(run_bin((const char *const[]){ "batch", path, NULL }, &out), 64, "%s", out);
	cr_assert(strstr(out, "line 2") != NULL, "names the line: %s", out);
	free(out);
	cr_assert_not_null(fp = fopen(path, "w"));
	fprintf(fp, "127.0.0.1:%u\n127.0.0.1:%u\n", env_port("HEALTHY"), env_port("NOSTARTTLS"));
	fclose(fp);
	cr_assert_eq(run_bin((const char *const[]){ "batch", path, "--tls-name", "mail.test", "--ca-file",
	    env_ca(), "--ehlo", EHLO_NAME, NULL }, &out), 2, "%s", out);
	cr_assert(strstr(out, "TARGET") != NULL && strstr(out, "smtp.starttls-missing") != NULL, "%s", out);
	unlink(path);
}

Test(scripting, explain_reads_a_paste_on_stdin)
{
	const char *ndr = "Delivery has failed to these recipients or groups:\n"
	    "Remote Server returned '451 4.4.0 Primary target IP address responded with: \"451 5.7.3 Must "
	    "issue a STARTTLS command first.\" Attempted failover to alternate host, but that did not "
	    "succeed.'\n";

	cr_assert_eq(run_bin_in((const char *const[]){ "explain", NULL }, ndr, &out), 0, "%s", out);
	cr_assert(strstr(out, "5.7.3") != NULL, "%s", out);
	cr_assert(strstr(out, "hybridtls smtp") != NULL, "suggests the check to run: %s", out);
	free(out);
	cr_assert_eq(run_bin_in((const char *const[]){ "explain", "--json", NULL }, ndr, &out), 0, "%s", out);
	{
		json_error_t e;
		json_t *j = json_loads(out, 0, &e);

		cr_assert_not_null(j, "%s", e.text);
		cr_assert(json_is_true(json_object_get(j, "recognised")));
		cr_assert(json_array_size(json_object_get(j, "replies")) >= 2, "outer and nested reply");
		json_decref(j);
	}
	free(out);
	cr_assert_eq(run_bin_in((const char *const[]){ "explain", NULL }, "\x01\x02 garbage \xff\n", &out), 3,
	    "%s", out);
}

Test(scripting, immutableid_both_ways)
{
	cr_assert_eq(run_bin((const char *const[]){ "immutableid", "f7cc07d7-7c15-447d-876d-c01b0e5a9e38", NULL },
	    &out), 0, "%s", out);
	cr_assert(strstr(out, "1wfM9xV8fUSHbcAbDlqeOA==") != NULL, "%s", out);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "immutableid", "dOXSvFiNNkGp34oZsUXbeQ==", NULL }, &out), 0,
	    "%s", out);
	cr_assert(strstr(out, "bcd2e574-8d58-4136-a9df-8a19b145db79") != NULL, "%s", out);
	free(out);
	cr_assert_eq(run_bin((const char *const[]){ "immutableid", "not-a-guid", NULL }, &out), 64, "%s", out);
}

/* Every long option in --help is documented in the man page, and back. */
Test(scripting, man_page_and_help_agree)
{
	FILE *fp = fopen(SRCDIR "/doc/hybridtls.1", "r");
	char man[65536], *p;
	size_t n;
	int checked = 0;

	cr_assert_not_null(fp);
	n = fread(man, 1, sizeof man - 1, fp);
	man[n] = '\0';
	fclose(fp);
	cr_assert_eq(run_bin((const char *const[]){ "--help", NULL }, &out), 0);
	for (p = strstr(out, "--"); p != NULL; p = strstr(p + 2, "--")) {
		char opt[64], roff[96];
		size_t k = 0;

		while (k + 1 < sizeof opt && (p[2 + k] == '-' || (p[2 + k] >= 'a' && p[2 + k] <= 'z')))
			k++;
		memcpy(opt, p + 2, k);
		opt[k] = '\0';
		if (k < 2)
			continue;
		/* roff writes each '-' as "\-". */
		snprintf(roff, sizeof roff, "\\-\\-");
		for (size_t i = 0; i < k; i++)
			strncat(roff, opt[i] == '-' ? "\\-" : (char[]){ opt[i], 0 }, sizeof roff - strlen(roff) - 1);
		cr_assert(strstr(man, roff) != NULL, "--%s is in --help but not in doc/hybridtls.1", opt);
		checked++;
	}
	cr_assert(checked >= 15, "only %d options checked", checked);
	for (p = strstr(man, ".BI \\-\\-"); p != NULL; p = strstr(p + 1, ".BI \\-\\-")) {
		char opt[64], plain[70];
		size_t k = 0;
		const char *q = p + 8;

		while (k + 1 < sizeof opt && (*q == '-' || *q == '\\' || (*q >= 'a' && *q <= 'z'))) {
			if (*q != '\\')
				opt[k++] = *q;
			q++;
		}
		opt[k] = '\0';
		snprintf(plain, sizeof plain, "--%s", opt);
		cr_assert(strstr(out, plain) != NULL, "%s is in the man page but not in --help", plain);
	}
	for (const char *const *c = (const char *const[]){ "check", "smtp", "dns", "blocklist", "compare",
	    "batch", "explain", "immutableid", NULL }; *c != NULL; c++) {
		char b[64];

		snprintf(b, sizeof b, ".BI %s", *c);
		cr_assert(strstr(man, b) != NULL || strstr(man, (snprintf(b, sizeof b, ".B %s", *c), b)) != NULL,
		    "command %s is not documented in the man page", *c);
		snprintf(b, sizeof b, "  %s ", *c);
		cr_assert(strstr(out, b) != NULL, "command %s is not in --help", *c);
	}
}

/* A batch list in path (a mkstemp template): first, then nsilent silent servers. */
static void silent_batch_list(char *path, const char *first, int nsilent)
{
	int fd = mkstemp(path);
	FILE *fp;

	cr_assert(fd >= 0);
	cr_assert_not_null(fp = fdopen(fd, "w"));
	fprintf(fp, "%s\n", first);
	for (int i = 1; i <= nsilent; i++)
		fprintf(fp, "s%d.batch.test:%u\n", i, env_port("SILENT"));
	fclose(fp);
}

/* Everything until end of file from fd (then closed), NUL-terminated in buf. */
static void read_to_end(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t r;

	while (len + 1 < size && (r = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)r;
	buf[len] = '\0';
	close(fd);
}

/* Ctrl-C during a batch: the finished targets are still reported, promptly. */
Test(scripting, batch_interrupted_prints_what_finished)
{
	char path[] = "/tmp/htls-batch.XXXXXX", buf[8192], first[64];
	int pipefd[2], status;
	pid_t pid;

	snprintf(first, sizeof first, "127.0.0.1:%u", env_port("HEALTHY"));
	silent_batch_list(path, first, 3);
	cr_assert_eq(pipe(pipefd), 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		const char *args[] = { "batch", path, "--timeout", "60", "--tls-name", "mail.test",
		    "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--resolver", env_resolver(), NULL };

		env_exec_bin(args);
	}
	close(pipefd[1]);
	usleep((useconds_t)env_ms(1500) * 1000);
	kill(pid, SIGINT);
	read_to_end(pipefd[0], buf, sizeof buf);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 3, "exit 3 when interrupted: %s", buf);
	cr_assert(strstr(buf, "interrupted; 1 of 4 targets finished") != NULL, "%s", buf);
	cr_assert(strstr(buf, "CANCELLED") != NULL, "%s", buf);
	cr_assert(strstr(strstr(buf, first) ? strstr(buf, first) : "", "ok") != NULL,
	    "the finished target is in the table: %s", buf);
	unlink(path);
}

/* batch --json | head: once nobody reads the lines, the batch stops at once
 * instead of checking every remaining target for nothing. */
Test(scripting, batch_stops_when_its_reader_goes_away)
{
	char path[] = "/tmp/htls-batch.XXXXXX", buf[4096];
	int outp[2], errp[2], status;
	struct timespec t0, t1;
	pid_t pid;

	silent_batch_list(path, "bad!host", 8);	/* reported at once: its line meets the closed pipe */
	cr_assert_eq(pipe(outp), 0);
	cr_assert_eq(pipe(errp), 0);
	close(outp[0]);	/* the reader is gone before the first line */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		dup2(outp[1], 1);
		dup2(errp[1], 2);
		close(errp[0]);
		const char *args[] = { "batch", path, "--json", "-j", "2", "--timeout", "30",
		    "--tls-name", "mail.test", "--ca-file", env_ca(), "--ehlo", EHLO_NAME,
		    "--resolver", env_resolver(), NULL };

		env_exec_bin(args);
	}
	close(outp[1]);
	close(errp[1]);
	read_to_end(errp[0], buf, sizeof buf);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* Four rounds of silent servers would take 2 minutes (the --timeout scales with
	 * HTLS_TIME_SCALE like the bound); stopping takes well under one deadline. */
	cr_assert_lt(t1.tv_sec - t0.tv_sec, env_ms(20), "the batch went on for %ld s: %s",
	    (long)(t1.tv_sec - t0.tv_sec), buf);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 3, "exit 3 (status %d): %s", status, buf);
	cr_assert_not_null(strstr(buf, "standard output was closed"), "%s", buf);
	unlink(path);
}

/* -o to a pipe or a device writes into it: it never replaces it with a file. */
Test(scripting, output_to_a_fifo_writes_through_it)
{
	char dir[] = "/tmp/htls-fifo-XXXXXX", fifo[128], got[128], cmd[512], *o = NULL, *text;
	struct stat st;
	FILE *fp;
	long n;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(fifo, sizeof fifo, "%s/report", dir);
	snprintf(got, sizeof got, "%s/got", dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	snprintf(cmd, sizeof cmd, "timeout 10 cat %s > %s &", fifo, got);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(run_bin((const char *const[]){ "explain", "451 4.7.5 STARTTLS negotiation failed", "-o", fifo,
	    NULL }, &o), 0, "%s", o);
	free(o);
	cr_assert_eq(stat(fifo, &st), 0);
	cr_assert(S_ISFIFO(st.st_mode), "the FIFO was replaced");
	for (int i = 0; i < 100; i++) {
		if ((fp = fopen(got, "r")) != NULL) {
			fseek(fp, 0, SEEK_END);
			n = ftell(fp);
			fclose(fp);
			if (n > 0)
				break;
		}
		usleep(50 * 1000);
	}
	fp = fopen(got, "r");
	cr_assert_not_null(fp);
	text = calloc(1, 65536);
	cr_assert_gt(fread(text, 1, 65535, fp), 0);
	fclose(fp);
	cr_assert(strstr(text, "4.7.5") != NULL, "%s", text);
	free(text);
	unlink(fifo);
	unlink(got);
	rmdir(dir);
}

/* Ctrl-C while a probe waits on a silent server with a long deadline: out at once, not at the deadline. */
Test(scripting, ctrl_c_ends_a_waiting_probe_at_once)
{
	char target[64], buf[4096];
	int pipefd[2], status;
	pid_t pid;
	size_t len = 0;
	ssize_t r;
	struct timespec t0, t1;

	snprintf(target, sizeof target, "127.0.0.1:%u", env_port("SILENT"));
	cr_assert_eq(pipe(pipefd), 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		const char *args[] = { "smtp", target, "--timeout", "60", "--ehlo", EHLO_NAME, NULL };

		env_exec_bin(args);
	}
	close(pipefd[1]);
	usleep((useconds_t)env_ms(700) * 1000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kill(pid, SIGINT);
	while (len + 1 < sizeof buf && (r = read(pipefd[0], buf + len, sizeof buf - 1 - len)) > 0)
		len += (size_t)r;
	buf[len] = '\0';
	close(pipefd[0]);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 3, "exit 3 when interrupted: %s", buf);
	cr_assert(strstr(buf, "interrupted") != NULL, "%s", buf);
	cr_assert_lt((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000, env_ms(2000),
	    "it waited for a deadline after Ctrl-C");
}

/* NSD's count of the queries it answered from zone (zonestats; tests/dns.sh stats). */
static long nsd_queries(const char *zone)
{
	const char *dir = getenv("HTLS_DNS_DIR");
	char cmd[512], key[256], line[512];
	long n = -1;
	FILE *p;

	cr_assert_not_null(dir, "HTLS_DNS_DIR is not set: run through tests/run-integration.sh");
	snprintf(cmd, sizeof cmd, "bash '%s/tests/dns.sh' stats '%s'", SRCDIR, dir);
	snprintf(key, sizeof key, "%s.num.queries=", zone);
	cr_assert_not_null(p = popen(cmd, "r"));
	while (fgets(line, sizeof line, p) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			n = atol(line + strlen(key));
	cr_assert_eq(pclose(p), 0, "%s failed", cmd);
	cr_assert_geq(n, 0, "NSD has no counter for %s", zone);
	return n;
}

static int strcmp_p(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The "id:severity" of every finding of a report or a batch record, sorted, one string. */
static char *finding_set(json_t *doc)
{
	json_t *f, *list = json_object_get(doc, "findings");
	size_t i, n = json_array_size(list), len = 0;
	char **v = calloc(n + 1, sizeof *v), *s;

	json_array_foreach(list, i, f)
		cr_assert(asprintf(&v[i], "%s:%s", json_string_value(json_object_get(f, "id")),
		    json_string_value(json_object_get(f, "severity"))) > 0);
	qsort(v, n, sizeof *v, strcmp_p);
	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	s = calloc(len + 1, 1);
	for (i = 0; i < n; i++) {
		strcat(s, v[i]);
		strcat(s, " ");
		free(v[i]);
	}
	free(v);
	return s;
}

/* The self-test answers each target's full report carries, shared or not.
 * Run by the test above, after its count: a test of its own would run beside
 * it and ask the same zones while it counts. */
static void full_reports_carry_the_shared_self_tests(const char *zones)
{
	char path[] = "/tmp/htls-batch.XXXXXX";
	char *line, *save = NULL;
	int fd = mkstemp(path), lines = 0, status;
	FILE *fp;

	cr_assert(fd >= 0);
	cr_assert_not_null(fp = fdopen(fd, "w"));
	for (int i = 1; i <= 3; i++)
		fprintf(fp, "full%d.batch.test:%u\n", i, env_port("HEALTHY"));
	fclose(fp);
	status = run_bin((const char *const[]){ "batch", path, "-j", "3", "--ip", "192.0.2.25", "--dnsbl-zones",
	    zones, "--timeout", "3", "--tls-name", "mail.test", "--ca-file", env_ca(), "--ehlo", EHLO_NAME,
	    "--resolver", env_resolver(), "--json", "--full", NULL }, &out);
	cr_assert(status >= 1 && status <= 3, "exit status %d: %.500s", status, out);
	for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		json_error_t e;
		json_t *j = json_loads(line, 0, &e), *r;
		size_t i, seen = 0;

		cr_assert_not_null(j, "a line that is not JSON: %.200s", line);
		json_array_foreach(json_object_get(json_object_get(json_object_get(j, "facts"), "dnsbl"), "results"),
		    i, r) {
			const char *zone = json_string_value(json_object_get(r, "zone"));
			json_t *pos = json_object_get(r, "test_listed"), *neg = json_object_get(r, "test_not_listed");
			const char *ps = json_string_value(json_object_get(pos, "status"));
			const char *ns = json_string_value(json_object_get(neg, "status"));

			cr_assert_not_null(ps, "%s: no test_listed", zone);
			cr_assert_not_null(ns, "%s: no test_not_listed", zone);
			/* Named for the zone, as a single check names them. */
			cr_assert(strncmp(json_string_value(json_object_get(pos, "name")), "2.0.0.127.", 10) == 0);
			cr_assert(strncmp(json_string_value(json_object_get(neg, "name")), "1.0.0.127.", 10) == 0);
			if (strcmp(zone, "share1.test") == 0) {
				cr_assert_str_eq(ps, "ok");
				cr_assert_str_eq(ns, "nxdomain");
			} else if (strcmp(zone, "share2.test") == 0) {
				cr_assert_str_eq(ps, "ok");
				cr_assert_str_eq(ns, "ok", "share2.test lists 127.0.0.1");
			} else {
				cr_assert_str_eq(zone, "sf.test");
				cr_assert_str_eq(ps, "servfail", "a failed self-test is kept as it came");
				cr_assert_str_eq(ns, "servfail");
			}
			seen++;
		}
		cr_assert_eq(seen, 3, "%.300s", line);
		cr_assert_not_null(json_object_get(j, "findings"));
		cr_assert_not_null(json_object_get(json_array_get(json_object_get(j, "findings"), 0), "explanation"),
		    "--full keeps the explanations");
		json_decref(j);
		lines++;
	}
	cr_assert_eq(lines, 3);
	unlink(path);
}

/*
 * The RFC 5782 self-test names answer the same for every address: a batch
 * asks each once per zone, whatever the number of targets, and every target
 * is still judged on them as a single check is. share1.test passes the
 * self-test, share2.test answers everything, sf.test answers SERVFAIL (the
 * forwarder); NSD counts the self-test queries apart (their own zones).
 */
Test(scripting, batch_asks_each_blocklist_self_test_once, .timeout = 120)
{
	char path[] = "/tmp/htls-batch.XXXXXX", zones[512], target[80];
	static const char *const counted[] = { "0.0.127.share1.test", "0.0.127.share2.test", "share1.test",
	    "share2.test" };
	long before[4];
	json_error_t e;
	json_t *single;
	int single_status;
	char *line, *save = NULL, *want;
	int fd = mkstemp(path), lines = 0;
	FILE *fp;

	snprintf(zones, sizeof zones, "%s/tests/zones/dnsbl-share.zones", SRCDIR);
	cr_assert(fd >= 0);
	cr_assert_not_null(fp = fdopen(fd, "w"));
	for (int i = 1; i <= 8; i++)
		fprintf(fp, "share%d.batch.test:%u\n", i, env_port("HEALTHY"));
	fclose(fp);

	/* What one check (no batch, nothing shared) finds for such a target. */
	snprintf(target, sizeof target, "share1.batch.test:%u", env_port("HEALTHY"));
	single_status = run_bin((const char *const[]){ "check", target, "--ip", "192.0.2.25", "--dnsbl-zones",
	    zones, "--timeout", "3", "--tls-name", "mail.test", "--ca-file", env_ca(), "--ehlo", EHLO_NAME,
	    "--resolver", env_resolver(), "--json", NULL }, &out);
	cr_assert(single_status >= 1 && single_status <= 3, "exit status %d: %.500s", single_status, out);
	single = json_loads(out, 0, &e);
	cr_assert_not_null(single, "not JSON: %s\n%.500s", e.text, out);
	want = finding_set(single);
	cr_assert(strstr(want, "dnsbl.zone-broken:") != NULL, "share2.test fails its self-test: %s", want);
	json_decref(single);
	free(out);
	out = NULL;

	for (size_t k = 0; k < 4; k++)
		before[k] = nsd_queries(counted[k]);
	/* Four at once: three of them join the first one's self-test queries in
	 * flight; the next four find the answers there. */
	cr_assert_eq(run_bin((const char *const[]){ "batch", path, "-j", "4", "--ip", "192.0.2.25", "--dnsbl-zones",
	    zones, "--timeout", "3", "--tls-name", "mail.test", "--ca-file", env_ca(), "--ehlo", EHLO_NAME,
	    "--resolver", env_resolver(), "--json", NULL }, &out), single_status, "%.1000s", out);
	/* 127.0.0.2 and 127.0.0.1 once each per zone, not once per target... */
	cr_assert_eq(nsd_queries(counted[0]) - before[0], 2, "share1.test self-test queries");
	cr_assert_eq(nsd_queries(counted[1]) - before[1], 2, "share2.test self-test queries");
	/* ...while every target still asked its own address (A and TXT). */
	cr_assert_eq(nsd_queries(counted[2]) - before[2], 16, "share1.test address queries");
	cr_assert_eq(nsd_queries(counted[3]) - before[3], 16, "share2.test address queries");

	for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		json_t *j = json_loads(line, 0, &e);
		char *got;

		cr_assert_not_null(j, "a line that is not JSON: %.200s", line);
		cr_assert_str_eq(json_string_value(json_object_get(j, "outcome")), "done", "%.300s", line);
		cr_assert_str_eq(json_string_value(json_object_get(j, "ip")), "192.0.2.25");
		got = finding_set(j);
		cr_assert_str_eq(got, want, "%s: judged unlike a single check",
		    json_string_value(json_object_get(j, "target")));
		free(got);
		json_decref(j);
		lines++;
	}
	cr_assert_eq(lines, 8);
	free(want);
	unlink(path);
	free(out);
	out = NULL;
	full_reports_carry_the_shared_self_tests(zones);
}

/* batch --json writes a lean record by default: the findings without their
 * knowledge-base text, no facts but the lists that list the address. */
Test(scripting, batch_json_is_a_lean_record_unless_full, .timeout = 60)
{
	char path[] = "/tmp/htls-batch.XXXXXX";
	const char *args[] = { "batch", path, "--ip", "127.0.0.9", "--timeout", "3", "--tls-name", "mail.test",
	    "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--resolver", env_resolver(), "--json", NULL, NULL };
	json_error_t e;
	json_t *j, *f, *listed, *x;
	size_t i, lean_len;
	bool found = false;
	int fd = mkstemp(path);
	FILE *fp;

	cr_assert(fd >= 0);
	cr_assert_not_null(fp = fdopen(fd, "w"));
	fprintf(fp, "lean.batch.test:%u\n", env_port("HEALTHY"));
	fclose(fp);
	cr_assert_eq(run_bin(args, &out), 2, "%.1000s", out);
	cr_assert_eq(strchr(out, '\n'), out + strlen(out) - 1, "one line: %.300s", out);
	lean_len = strlen(out);
	j = json_loads(out, 0, &e);
	cr_assert_not_null(j, "not JSON: %s", e.text);
	cr_assert(strncmp(json_string_value(json_object_get(j, "target")), "lean.batch.test:", 16) == 0);
	cr_assert_str_eq(json_string_value(json_object_get(j, "outcome")), "done");
	cr_assert_eq(json_integer_value(json_object_get(j, "exit_status")), 2);
	cr_assert_str_eq(json_string_value(json_object_get(j, "ip")), "127.0.0.9");
	cr_assert_null(json_object_get(j, "facts"), "no facts in the lean record");
	x = schema_file("json-batch-schema.json");
	assert_valid_with(x, j, out);
	json_decref(x);
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "steps"), "smtp")), "ok");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "steps"), "dnsbl")), "done");
	cr_assert(json_array_size(json_object_get(j, "findings")) > 0);
	json_array_foreach(json_object_get(j, "findings"), i, f) {
		cr_assert_not_null(json_object_get(f, "id"));
		cr_assert_not_null(json_object_get(f, "severity"));
		cr_assert(json_is_boolean(json_object_get(f, "root")));
		cr_assert_not_null(json_object_get(f, "summary"));
		cr_assert(json_is_array(json_object_get(f, "evidence")));
		cr_assert_null(json_object_get(f, "explanation"), "explanations are in doc/findings.md");
		cr_assert_null(json_object_get(f, "fix"));
		found |= strcmp(json_string_value(json_object_get(f, "id")), "dnsbl.listed") == 0;
	}
	cr_assert(found, "127.0.0.9 is listed on bl.test: %.1000s", out);
	/* Only the lists that list the address. */
	listed = json_object_get(j, "listed");
	cr_assert_eq(json_array_size(listed), 1, "%.1000s", out);
	x = json_array_get(listed, 0);
	cr_assert_str_eq(json_string_value(json_object_get(x, "zone")), "bl.test");
	cr_assert_str_eq(json_string_value(json_object_get(x, "status")), "listed");
	cr_assert_str_eq(json_string_value(json_object_get(x, "code")), "127.0.0.2");
	cr_assert_not_null(json_string_value(json_object_get(x, "reason")));
	json_decref(j);
	free(out);
	out = NULL;

	/* Without the blocklist step the record still names --ip, as its ip_source says. */
	cr_assert_eq(run_bin((const char *const[]){ "batch", path, "--ip", "127.0.0.9", "--timeout", "3", "--tls-name",
	    "mail.test", "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--resolver", env_resolver(), "--dnsbl-zones",
	    "/nonexistent/zones", "--json", NULL }, &out) >= 0, true);
	/* The warning about the zones comes first (standard error); the record is the line with "{". */
	cr_assert_not_null(strstr(out, "going on without the blocklist step"), "%s", out);
	j = json_loads(strchr(out, '{') ? strchr(out, '{') : out, 0, &e);
	cr_assert_not_null(j, "not JSON: %s: %.500s", e.text, out);
	cr_assert_null(json_object_get(json_object_get(j, "steps"), "dnsbl"), "%s", out);
	cr_assert_str_eq(json_string_value(json_object_get(j, "ip")), "127.0.0.9", "%s", out);
	cr_assert_str_eq(json_string_value(json_object_get(j, "ip_source")), "given with --ip", "%s", out);
	json_decref(j);
	free(out);
	out = NULL;

	/* --full: the whole report, as before; several times the size. */
	args[15] = "--full";
	cr_assert_eq(run_bin(args, &out), 2, "%.1000s", out);
	j = json_loads(out, 0, &e);
	cr_assert_not_null(j, "not JSON: %s", e.text);
	cr_assert_not_null(json_object_get(json_object_get(j, "facts"), "dnsbl"));
	cr_assert_not_null(json_object_get(json_array_get(json_object_get(j, "findings"), 0), "explanation"));
	cr_assert_str_eq(json_string_value(json_object_get(j, "outcome")), "done");
	cr_assert_gt(strlen(out), lean_len * 3, "full %zu bytes, lean %zu", strlen(out), lean_len);
	json_decref(j);
	free(out);
	out = NULL;

	/* --full without --json, or outside batch, is a usage error. */
	args[14] = "--full";
	args[15] = NULL;
	cr_assert_eq(run_bin(args, &out), 64, "%s", out);
	free(out);
	out = NULL;
	cr_assert_eq(run_bin((const char *const[]){ "blocklist", "127.0.0.9", "--json", "--full", NULL }, &out), 64,
	    "%s", out);
	unlink(path);
}

/*
 * The connection budget of one run, counted where it matters: at the server.
 * The budget-a, -b and -c Postfix services (TLS 1.0/1.1 only, so a probe of
 * one takes two connections: the first try and the retry) each serve one test
 * here, and the test counts in the Postfix log the connections its service
 * accepted. Without the run's ledger compare H H and --onprem equal to the
 * target open 4, a batch of four domains on one MX host 8.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdbool.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "env.h"

static char *out;

static void teardown(void)
{
	free(out);
	out = NULL;
}

TestSuite(budget, .fini = teardown, .timeout = 120);

/* Lines of the Postfix log from service svc's smtpd that hold what. */
static int log_count(const char *svc, const char *what)
{
	char path[512], tag[64], line[2048];
	const char *dir = getenv("HTLS_DIR");
	FILE *fp;
	int n = 0;

	cr_assert_not_null(dir, "HTLS_DIR is not set");
	snprintf(path, sizeof path, "%s/postfix.log", dir);
	snprintf(tag, sizeof tag, "postfix/%s/smtpd[", svc);
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof line, fp) != NULL)
		if (strstr(line, tag) != NULL && strstr(line, what) != NULL)
			n++;
	fclose(fp);
	return n;
}

/* Connections svc accepted so far, once every one of them is logged as ended
 * (postlogd writes a moment after the fact). */
static int accepted(const char *svc)
{
	int last = -1, same = 0;

	for (int i = 0; i < 100; i++) {
		int c = log_count(svc, ": connect from "), d = log_count(svc, ": disconnect from ");

		same = c == d && c == last ? same + 1 : 0;
		if (same >= 3)
			return c;
		last = c;
		usleep(100 * 1000);
	}
	return log_count(svc, ": connect from ");
}

static json_t *load(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	cr_assert_not_null(j, "not JSON (%s): %.1500s", e.text, text);
	return j;
}

static int conns(json_t *facts)
{
	return (int)json_integer_value(json_object_get(facts, "connections"));
}

static const char *budget_note(json_t *facts)
{
	return json_string_value(json_object_get(facts, "budget_note"));
}

/* Two probes of one run on one address:port: 3 connections in all, and the
 * probe that went without its retry says why. */
static void assert_shared_budget(json_t *a, json_t *b, const char *what)
{
	json_t *skipped = budget_note(a) != NULL ? a : b, *full = skipped == a ? b : a;

	cr_assert_eq(conns(a) + conns(b), 3, "%s: the two probes opened %d and %d", what, conns(a), conns(b));
	cr_assert_not_null(budget_note(skipped), "%s: one probe says the budget stopped it", what);
	cr_assert_null(budget_note(full), "%s: only one of them", what);
	cr_assert(strstr(budget_note(skipped), "retry allowing TLS 1.0/1.1") != NULL &&
	    strstr(budget_note(skipped), "already opened 3 connections to 127.0.0.1 port") != NULL,
	    "%s: %s", what, budget_note(skipped));
	cr_assert(json_is_true(json_object_get(json_object_get(full, "tls"), "legacy_only")),
	    "%s: the probe that had its retry found the old protocol", what);
	cr_assert(json_is_false(json_object_get(json_object_get(skipped, "tls"), "legacy_only")),
	    "%s: the other claims nothing about the protocol", what);
}

Test(budget, compare_of_one_host_opens_three_connections_in_all)
{
	char target[64];
	int before = accepted("budget-a");
	json_t *j;

	snprintf(target, sizeof target, "127.0.0.1:%u", env_port("BUDGET_A"));
	run_bin((const char *const[]){ "compare", target, target, "--json", "--tls-name", "mail.test",
	    "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--timeout", "5", NULL }, &out);
	cr_assert_eq(accepted("budget-a") - before, 3, "the server accepted %d connections",
	    accepted("budget-a") - before);
	j = load(out);
	assert_shared_budget(json_object_get(j, "a"), json_object_get(j, "b"), "compare");
	/* The one that missed its retry is still a failed handshake, never a different server. */
	cr_assert_null(strstr(out, "compare.certificate-differs"), "%.3000s", out);
	json_decref(j);
	/* The text report says it too, beside the side that went without. */
	free(out);
	out = NULL;
	run_bin((const char *const[]){ "compare", target, target, "--tls-name", "mail.test",
	    "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--timeout", "5", NULL }, &out);
	cr_assert(strstr(out, "  budget      the retry allowing TLS 1.0/1.1: not tried") != NULL, "%.3000s", out);
	cr_assert(strstr(out, "failed; only TLSv1") != NULL, "%.3000s", out);
}

Test(budget, onprem_equal_to_the_target_shares_its_budget)
{
	char target[64];
	int before = accepted("budget-b");
	json_t *j, *facts;

	snprintf(target, sizeof target, "127.0.0.1:%u", env_port("BUDGET_B"));
	run_bin((const char *const[]){ "check", target, "--onprem", target, "--json", "--tls-name", "mail.test",
	    "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--resolver", env_resolver(), "--timeout", "5", NULL },
	    &out);
	cr_assert_eq(accepted("budget-b") - before, 3, "the server accepted %d connections",
	    accepted("budget-b") - before);
	j = load(out);
	facts = json_object_get(j, "facts");
	cr_assert_not_null(json_object_get(facts, "onprem"), "%.2000s", out);
	assert_shared_budget(json_object_get(facts, "smtp"), json_object_get(facts, "onprem"), "--onprem");
	json_decref(j);
}

/* Write the lines to a new file; path is a mkstemp template. */
static void write_list(char *path, const char *const *lines)
{
	int fd = mkstemp(path);
	FILE *fp;

	cr_assert(fd >= 0);
	cr_assert_not_null(fp = fdopen(fd, "w"));
	for (; *lines != NULL; lines++)
		fprintf(fp, "%s\n", *lines);
	fclose(fp);
}

Test(budget, batch_of_domains_on_one_mx_probes_it_once)
{
	static const char *const domains[] = { "d1.share.batch.test", "d2.share.batch.test",
	    "d3.share.batch.test", "d4.share.batch.test", NULL };
	char path[] = "/tmp/htls-budget.XXXXXX", port[16], *line, *save = NULL;
	const char *owner = NULL;
	int before = accepted("budget-c"), lines = 0, shared = 0;
	json_t *from[4] = { NULL };

	write_list(path, domains);
	snprintf(port, sizeof port, "%u", env_port("BUDGET_C"));
	run_bin((const char *const[]){ "batch", path, "-j", "4", "--json", "--port", port,
	    "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--resolver", env_resolver(), "--timeout", "5", NULL },
	    &out);
	unlink(path);
	cr_assert_eq(accepted("budget-c") - before, 2, "one probe (and its retry) for the four domains, "
	    "not %d connections: %.3000s", accepted("budget-c") - before, out);
	for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		json_t *j = load(line), *s = json_object_get(j, "smtp_shared_from");
		const char *t = json_string_value(json_object_get(j, "target"));

		cr_assert_not_null(t);
		cr_assert_str_eq(json_string_value(json_object_get(j, "outcome")), "done", "%s", t);
		if (s != NULL && json_is_string(s)) {
			cr_assert_lt(shared, 3, "more than three records share a probe");
			from[shared++] = json_incref(s);
		} else {
			cr_assert_null(owner, "two targets probed the MX host: %s and %s: %.1500s", owner, t, line);
			owner = strdup(t);
		}
		json_decref(j);
		lines++;
	}
	cr_assert_eq(lines, 4);
	cr_assert_eq(shared, 3, "three targets share the first one's probe");
	cr_assert_not_null(owner);
	for (int i = 0; i < shared; i++) {
		cr_assert_str_eq(json_string_value(from[i]), owner, "the record names whose probe it shares");
		json_decref(from[i]);
	}
	free((char *)owner);

	/* The table says it too, on the three lines whose facts are another target's. */
	free(out);
	out = NULL;
	snprintf(path, sizeof path, "/tmp/htls-budget.XXXXXX");
	write_list(path, domains);
	run_bin((const char *const[]){ "batch", path, "-j", "4", "--port", port, "--ca-file", env_ca(), "--ehlo",
	    EHLO_NAME, "--resolver", env_resolver(), "--timeout", "5", NULL }, &out);
	unlink(path);
	lines = 0;
	for (const char *p = out; (p = strstr(p, "(SMTP probe shared with d")) != NULL; p++)
		lines++;
	cr_assert_eq(lines, 3, "%s", out);
}

/* Connections the process pid has open (or opening) to 127.0.0.1:port. */
static int open_to(pid_t pid, uint16_t port)
{
	char path[64], link[64], line[512];
	unsigned long inodes[512];
	bool seen[512] = { false };
	size_t ninodes = 0;
	struct dirent *de;
	DIR *d;
	FILE *fp;
	int n = 0;

	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	if ((d = opendir(path)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && ninodes < sizeof inodes / sizeof inodes[0]) {
		char fdpath[340];
		ssize_t k;

		snprintf(fdpath, sizeof fdpath, "%s/%s", path, de->d_name);
		if ((k = readlink(fdpath, link, sizeof link - 1)) <= 0)
			continue;
		link[k] = '\0';
		if (sscanf(link, "socket:[%lu]", &inodes[ninodes]) == 1)
			ninodes++;
	}
	closedir(d);
	if ((fp = fopen("/proc/net/tcp", "r")) == NULL)
		return 0;
	while (fgets(line, sizeof line, fp) != NULL) {
		unsigned rport, st;
		unsigned long inode;

		/* sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode */
		if (sscanf(line, " %*d: %*x:%*x %*x:%x %x %*x:%*x %*x:%*x %*x %*u %*u %lu", &rport, &st,
		    &inode) != 3 || rport != port || (st != 1 && st != 2))
			continue;
		/* The table may change while it is read, and show a line twice: count
		 * each socket once. */
		for (size_t i = 0; i < ninodes; i++)
			if (inodes[i] == inode && !seen[i]) {
				seen[i] = true;
				n++;
			}
	}
	fclose(fp);
	return n;
}

/* Six hosts that are one address:port: at most three connections open at
 * once, the others wait their turn (the server greets after 5.5 s). */
Test(budget, batch_keeps_three_connections_open_to_one_server, .timeout = 90)
{
	char path[] = "/tmp/htls-budget.XXXXXX", name[6][64];
	const char *list[7];
	uint16_t port = env_port("SLOWBANNER");
	int most = 0, status;
	struct timespec t0, t1;
	pid_t pid;

	for (int i = 0; i < 6; i++) {
		snprintf(name[i], sizeof name[i], "w%d.batch.test:%u", i + 1, port);
		list[i] = name[i];
	}
	list[6] = NULL;
	write_list(path, list);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		const char *args[] = { "batch", path, "-j", "6", "--json", "--timeout", "10", "--tls-name",
		    "mail.test", "--ca-file", env_ca(), "--ehlo", EHLO_NAME, "--resolver", env_resolver(), NULL };

		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		env_exec_bin(args);
	}
	while (waitpid(pid, &status, WNOHANG) == 0) {
		int k = open_to(pid, port);

		most = k > most ? k : most;
		usleep(50 * 1000);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	unlink(path);
	cr_assert(WIFEXITED(status), "the batch ended by itself");
	cr_assert_eq(most, 3, "at most three connections open at once, and three were: saw %d", most);
	/* Two rounds of the slow greeting: the second three waited for the first. */
	cr_assert_geq(t1.tv_sec - t0.tv_sec, 10, "the batch took %ld s", (long)(t1.tv_sec - t0.tv_sec));
}

/*
 * Time queued for a slot is not the target's: ten silent targets on one
 * address, three at a time, need four rounds of the 2 s greeting deadline,
 * longer than the 5 s each target is given; every one still ends by its own
 * greeting timeout, none by the batch's deadline.
 */
Test(budget, queued_time_does_not_count_against_a_target, .timeout = 90)
{
	char path[] = "/tmp/htls-budget.XXXXXX", name[10][64], *line, *save = NULL;
	const char *list[11];
	uint16_t port = env_port("SILENT");
	struct timespec t0, t1;
	int lines = 0;

	for (int i = 0; i < 10; i++) {
		snprintf(name[i], sizeof name[i], "q%d.batch.test:%u", i + 1, port);
		list[i] = name[i];
	}
	list[10] = NULL;
	write_list(path, list);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_bin((const char *const[]){ "batch", path, "-j", "10", "--json", "--timeout", "2", "--target-timeout", "5",
	    "--tls-name", "mail.test", "--ehlo", EHLO_NAME, "--resolver", env_resolver(), NULL }, &out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	unlink(path);
	for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		json_t *j = load(line);
		const char *t = json_string_value(json_object_get(j, "target"));

		cr_assert_str_eq(json_string_value(json_object_get(j, "outcome")), "done", "%s: %s", t, line);
		cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "steps"), "smtp")), "timeout",
		    "%s: %s", t, line);
		json_decref(j);
		lines++;
	}
	cr_assert_eq(lines, 10);
	cr_assert_geq(t1.tv_sec - t0.tv_sec, 7, "four rounds of 2 s: the batch took %ld s",
	    (long)(t1.tv_sec - t0.tv_sec));
}

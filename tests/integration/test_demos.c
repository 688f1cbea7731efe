/*
 * The demo scenarios (the JSON files in ui/demos, made by tests/demos/mkdemos.sh):
 * each one replays through the real binary and gives the findings its story
 * is about, and none holds an address or a name of the test machinery.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env.h"

#define DEMODIR SRCDIR "/ui/demos"
#define MAXIDS 8

struct demo {
	const char *file;
	int status;			/* exit status of replay */
	const char *must[MAXIDS];	/* finding ids that must be there */
	const char *root;		/* the root cause first in the summary, or NULL */
	const char *never[MAXIDS];	/* finding ids that must not */
};

static const struct demo demos[] = {
	{ "healthy.json", 0,
	    { "smtp.starttls-offered", "tls.cert-valid", "dns.mx-eop", "dnsbl.clean", "connector.ip-listed",
	    "onpremcert.valid", "onpremcert.presented-accepted", "onprem.exo-will-deliver" }, NULL, { NULL } },
	{ "blocklisted.json", 2,
	    { "smtp.starttls-missing", "smtp.eop-blocked", "dnsbl.listed", "cause.blocklisted-ip" },
	    "cause.blocklisted-ip", { "cause.smtp-inspection", "dnsbl.clean" } },
	{ "cert-expired.json", 2,
	    { "onpremcert.expired", "onprem.exo-will-fail", "tls.cert-valid", "cause.onprem-cert-expired" },
	    "cause.onprem-cert-expired", { "onprem.exo-will-deliver", "cause.onprem-cert-not-bound" } },
	{ "missing-intermediate.json", 2,
	    { "onpremcert.chain-incomplete", "onprem.exo-will-fail", "cause.onprem-intermediate-missing" },
	    "cause.onprem-intermediate-missing", { "onprem.exo-will-deliver", "cause.onprem-cert-not-bound" } },
	{ "ip-not-in-connector.json", 2, { "connector.ip-not-listed", "cause.connector-not-used" },
	    "cause.connector-not-used", { "connector.ip-listed" } },
	{ "cisco-inspection.json", 2,
	    { "middlebox.banner-masked", "middlebox.starttls-masked", "smtp.starttls-missing",
	    "cause.smtp-inspection" }, "cause.smtp-inspection", { "cause.blocklisted-ip" } },
	{ "receive-connector-cert.json", 2,
	    { "onprem.exo-will-fail", "connector.send-tlscertname-mismatch", "connector.outbound-tlsdomain",
	    "cause.onprem-cert-not-bound" }, "cause.onprem-cert-not-bound",
	    { "onprem.exo-will-deliver", "cause.onprem-cert-name" } },
	{ "dns-wrong.json", 1,
	    { "dns.mx-elsewhere", "dns.spf-no-microsoft", "dns.autodiscover-missing", "dns.dkim-missing",
	    "dns.dmarc-missing" }, NULL, { "dns.mx-eop", "dns.spf-ok" } },
};

static char *out;

static void teardown(void)
{
	free(out);
	out = NULL;
}

TestSuite(demos, .fini = teardown, .timeout = 60);

static const struct demo *demo_named(const char *file)
{
	for (size_t i = 0; i < sizeof demos / sizeof demos[0]; i++)
		if (strcmp(demos[i].file, file) == 0)
			return &demos[i];
	return NULL;
}

/* The finding with this id in the report, or NULL. */
static json_t *finding(json_t *report, const char *id)
{
	json_t *f;
	size_t i;

	json_array_foreach(json_object_get(report, "findings"), i, f)
		if (strcmp(json_string_value(json_object_get(f, "id")), id) == 0)
			return f;
	return NULL;
}

/* replay FILE --json, judged with the installed blocklist zones, as a user's would be. */
static json_t *replay(const char *file, int *status)
{
	char path[512], tmpl[] = "/tmp/htls-demo-XXXXXX";
	int fd = mkstemp(tmpl);
	json_error_t e;
	json_t *report;

	cr_assert(fd >= 0);
	close(fd);
	snprintf(path, sizeof path, "%s/%s", DEMODIR, file);
	const char *args[] = { "replay", path, "--json", "-o", tmpl,
		"--dnsbl-zones", SRCDIR "/src/dnsbl.zones", NULL };
	*status = run_bin(args, &out);
	report = json_load_file(tmpl, 0, &e);
	unlink(tmpl);
	cr_assert_not_null(report, "%s: no JSON report (%s); output:\n%s", file, e.text, out);
	return report;
}

static void check_demo(const char *file)
{
	const struct demo *d = demo_named(file);
	int status;
	json_t *report = replay(file, &status), *f, *roots;
	size_t i;

	cr_assert_not_null(d);
	cr_expect_eq(status, d->status, "%s: replay exit status %d, want %d", file, status, d->status);
	for (i = 0; i < MAXIDS && d->must[i] != NULL; i++)
		cr_expect_not_null(finding(report, d->must[i]), "%s: no %s", file, d->must[i]);
	for (i = 0; i < MAXIDS && d->never[i] != NULL; i++)
		cr_expect_null(finding(report, d->never[i]), "%s: unexpected %s", file, d->never[i]);
	roots = json_object_get(report, "root_causes");
	if (d->root != NULL)
		cr_expect_str_eq(json_string_value(json_array_get(roots, 0)) ?
		    json_string_value(json_array_get(roots, 0)) : "(none)", d->root, "%s: root cause", file);
	if (d->status == 0) {
		/* Healthy: nothing failed, nothing to warn about, nothing untested. */
		json_array_foreach(json_object_get(report, "findings"), i, f) {
			const char *sev = json_string_value(json_object_get(f, "severity"));

			cr_expect(strcmp(sev, "ok") == 0 || strcmp(sev, "info") == 0, "%s: %s is %s", file,
			    json_string_value(json_object_get(f, "id")), sev);
		}
		cr_expect_eq(json_array_size(roots), 0, "%s: a root cause in the healthy demo", file);
	}
	json_decref(report);
}

Test(demos, healthy) { check_demo("healthy.json"); }
Test(demos, blocklisted) { check_demo("blocklisted.json"); }
Test(demos, cert_expired) { check_demo("cert-expired.json"); }
Test(demos, missing_intermediate) { check_demo("missing-intermediate.json"); }
Test(demos, ip_not_in_connector) { check_demo("ip-not-in-connector.json"); }
Test(demos, cisco_inspection) { check_demo("cisco-inspection.json"); }
Test(demos, receive_connector_cert) { check_demo("receive-connector-cert.json"); }
Test(demos, dns_wrong) { check_demo("dns-wrong.json"); }

/* Every demo file has its story's assertions here, and every story its file. */
Test(demos, the_directory_holds_exactly_the_story)
{
	DIR *dir = opendir(DEMODIR);
	struct dirent *de;
	size_t seen = 0;

	cr_assert_not_null(dir, "no %s", DEMODIR);
	while ((de = readdir(dir)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		cr_expect_not_null(demo_named(de->d_name), "%s has no assertions in test_demos.c", de->d_name);
		seen++;
	}
	closedir(dir);
	cr_expect_eq(seen, sizeof demos / sizeof demos[0], "%zu demo files, %zu stories", seen,
	    sizeof demos / sizeof demos[0]);
}

/* Nothing of the machinery that made them: loopback addresses, .test names. */
Test(demos, no_loopback_address_or_test_name)
{
	for (size_t i = 0; i < sizeof demos / sizeof demos[0]; i++) {
		char path[512];
		FILE *fp;
		long n;
		char *text;

		snprintf(path, sizeof path, "%s/%s", DEMODIR, demos[i].file);
		fp = fopen(path, "rb");
		cr_assert_not_null(fp, "cannot open %s", path);
		fseek(fp, 0, SEEK_END);
		n = ftell(fp);
		rewind(fp);
		text = calloc(1, (size_t)n + 1);
		cr_assert_not_null(text);
		cr_assert_eq(fread(text, 1, (size_t)n, fp), (size_t)n);
		fclose(fp);
		cr_expect_null(strstr(text, "127.0.0.1"), "%s holds 127.0.0.1", demos[i].file);
		cr_expect_null(strstr(text, ".test"), "%s holds a .test name", demos[i].file);
		cr_expect_null(strstr(text, "/tmp/"), "%s holds a path of the machine that made it", demos[i].file);
		cr_expect_not_null(strstr(text, "\"format\": \"hybridtls-capture\""), "%s is not a capture",
		    demos[i].file);
		free(text);
	}
}

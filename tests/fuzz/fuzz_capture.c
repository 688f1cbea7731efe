/*
 * Fuzz harness: the capture reader (src/capture.c, src/capture_io.c). A
 * capture is outside input: an engineer replays a file attached to a ticket.
 * A capture that loads then goes where replay takes it: every rule (with a
 * small blocklist zone list), the comparison of its two SMTP probes, and the
 * text, Markdown and JSON reports. It must also round-trip: written, read
 * again and written again, the two documents are byte-identical.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "dnsbl.h"
#include "findings.h"
#include "json.h"
#include "report.h"
#include "report_md.h"
#include "rules.h"
#include "fuzz.h"

static const char zones_text[] =
	"zone bl.test\n"
	"\tname \"Test List\"\n"
	"\tweight high\n"
	"\tipv6 yes\n"
	"\tcode 127.0.0.2 listed \"listed\"\n"
	"zone refuse.test\n"
	"\tcode 127.0.0.2 listed \"listed\"\n"
	"\tcode 127.255.255.254 refused \"refused\"\n";

static struct dnsbl_list zones;
static FILE *devnull;

/* The document as a capture file holds it. */
static char *dump(const struct diagnosis *d)
{
	json_t *j = capture_to_json(d, 0, NULL);
	char *s;

	FUZZ_CHECK(j != NULL);
	s = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(j);
	FUZZ_CHECK(s != NULL);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report_options ro = { .verbose = true };
	struct findings fs = { 0 }, cmp = { 0 };
	struct diagnosis d, again;
	char *err = (char *)"x", *s1, *s2;

	if (devnull == NULL) {
		char e[256];

		FUZZ_CHECK((devnull = fopen("/dev/null", "w")) != NULL);
		FUZZ_CHECK(dnsbl_load_string(zones_text, &zones, e, sizeof e));
	}
	if (size > CAPTURE_MAX_FILE)
		return 0;
	if (!capture_parse((const char *)data, size, "fuzz.json", &d, &err)) {
		FUZZ_CHECK(err != NULL && strncmp(err, "fuzz.json: ", 11) == 0);
		FUZZ_CHECK(!d.has_smtp && !d.has_dns && !d.has_dnsbl && d.target == NULL && d.cert == NULL);
		free(err);
		diagnosis_free(&d);
		return 0;
	}
	FUZZ_CHECK(err == NULL);

	rules_all(&d, &zones, &fs);
	findings_sort(&fs);
	report_text(devnull, &d, &fs, &ro);
	report_markdown(devnull, "replay", &d, &fs);
	{
		json_t *j = json_report("replay", &d, &fs);

		FUZZ_CHECK(j != NULL);
		json_decref(j);
	}
	rules_compare(&d.smtp, &d.onprem, &cmp);
	findings_sort(&cmp);
	report_compare_text(devnull, &d.smtp, &d.onprem, &cmp, &ro);
	findings_free(&cmp);
	findings_free(&fs);

	/* write -> read -> write: byte-identical. */
	s1 = dump(&d);
	if (strlen(s1) > CAPTURE_MAX_FILE) {	/* indentation may grow a compact input */
		free(s1);
		diagnosis_free(&d);
		return 0;
	}
	FUZZ_CHECK(capture_parse(s1, strlen(s1), "again", &again, &err));
	s2 = dump(&again);
	FUZZ_CHECK(strcmp(s1, s2) == 0);
	free(s1);
	free(s2);
	diagnosis_free(&again);
	diagnosis_free(&d);
	return 0;
}

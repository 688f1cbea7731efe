/* The lean batch record (src/json_brief.c): valid JSON whatever the strings
 * hold, the fields doc/json.md lists, and nothing of the knowledge base. */
#include "config.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "dnsbl.h"
#include "facts.h"
#include "findings.h"
#include "json.h"
#include "json_brief.h"
#include "rules.h"
#include "testutil.h"

static json_t *parse(char *line)
{
	json_error_t e;
	json_t *j;

	cr_assert_not_null(line);
	cr_assert_null(strchr(line, '\n'), "one line: %s", line);
	j = json_loads(line, 0, &e);
	cr_assert_not_null(j, "not JSON (%s): %s", e.text, line);
	free(line);
	return j;
}

static const char *get_str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

Test(json_brief, a_target_that_did_not_run_has_its_schema_and_four_fields)
{
	json_t *j = parse(json_brief("bad!host", "bad-target", 3, "not a host name", NULL, NULL, NULL));

	cr_assert_eq(json_object_size(j), 6);
	cr_assert_str_eq(get_str(j, "schema"), "hybridtls-batch");
	cr_assert_eq(json_integer_value(json_object_get(j, "version")), 1);
	cr_assert_str_eq(get_str(j, "target"), "bad!host");
	cr_assert_str_eq(get_str(j, "outcome"), "bad-target");
	cr_assert_eq(json_integer_value(json_object_get(j, "exit_status")), 3);
	cr_assert_str_eq(get_str(j, "error"), "not a host name");
	json_decref(j);
}

/* One answer of type A with these codes. */
static void answer(struct dns_answer *a, const char *name, uint16_t type, const char *text)
{
	a->name = xstrdup(name);
	a->type = type;
	a->status = text ? DNS_OK : DNS_NXDOMAIN;
	if (text != NULL) {
		a->rr = calloc(1, sizeof *a->rr);
		a->rr[0].type = type;
		a->rr[0].text = xstrdup(text);
		a->n = 1;
	}
}

Test(json_brief, findings_steps_and_listings_without_the_knowledge_base)
{
	struct dnsbl_list zones = { 0 };
	struct diagnosis d;
	struct findings fs = { 0 };
	struct finding *f;
	char err[256];
	json_t *j, *x;

	cr_assert(dnsbl_load_string("zone bl.test\n\tcode 127.0.0.2 listed \"spam\"\n"
	    "zone ok.test\n\tcode 127.0.0.2 listed \"spam\"\n", &zones, err, sizeof err), "%s", err);
	diagnosis_init(&d);
	d.has_smtp = true;
	d.smtp.end = END_OK;
	snprintf(d.smtp.observed_ip, sizeof d.smtp.observed_ip, "203.0.113.7");
	d.ip_source = xstrdup("named by the server in its EHLO reply");
	d.has_dnsbl = true;
	snprintf(d.bl.ip, sizeof d.bl.ip, "203.0.113.7");
	d.bl.v = calloc(2, sizeof *d.bl.v);
	d.bl.n = 2;
	d.bl.v[0].id = xstrdup("bl.test");
	d.bl.v[0].qname = xstrdup("7.113.0.203.bl.test");
	answer(&d.bl.v[0].a, "7.113.0.203.bl.test", DNS_T_A, "127.0.0.2");
	answer(&d.bl.v[0].txt, "7.113.0.203.bl.test", DNS_T_TXT, "Listed: see \"https://bl.test/\"");
	d.bl.v[1].id = xstrdup("ok.test");
	d.bl.v[1].qname = xstrdup("7.113.0.203.ok.test");
	answer(&d.bl.v[1].a, "7.113.0.203.ok.test", DNS_T_A, NULL);

	/* Quotes, a backslash, control characters, bad UTF-8 and good UTF-8: set
	 * raw (findings_add would clean them), as a writer must never trust them. */
	f = findings_add(&fs, "dnsbl.listed", "listed");
	free(f->summary);
	f->summary = xstrdup("say \"listed\"\\ a\ttab, a\nnewline, \x01, bad \xff\xc3 and caf\xc3\xa9");
	finding_evidence(f, "query: 7.113.0.203.bl.test A -> 127.0.0.2");
	f->root = true;
	findings_add(&fs, "dnsbl.clean", "clean elsewhere");

	j = parse(json_brief("mail.test:25", "done", 2, NULL, &d, &fs, &zones));
	cr_assert_str_eq(get_str(j, "target"), "mail.test:25");
	cr_assert_null(json_object_get(j, "error"));
	cr_assert_null(json_object_get(j, "facts"));
	cr_assert_str_eq(get_str(j, "ip"), "203.0.113.7");
	cr_assert_str_eq(get_str(j, "ip_source"), "named by the server in its EHLO reply");
	x = json_object_get(j, "steps");
	cr_assert_str_eq(get_str(x, "smtp"), "ok");
	cr_assert_str_eq(get_str(x, "dnsbl"), "done");
	cr_assert_null(json_object_get(x, "dns"), "a step that did not run is absent");
	cr_assert_eq(json_array_size(json_object_get(j, "root_causes")), 1);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "root_causes"), 0)), "dnsbl.listed");
	cr_assert_eq(json_array_size(json_object_get(j, "findings")), 2);
	x = json_array_get(json_object_get(j, "findings"), 0);
	cr_assert_str_eq(get_str(x, "id"), "dnsbl.listed");
	cr_assert_str_eq(get_str(x, "severity"), "failure");
	cr_assert(json_is_true(json_object_get(x, "root")));
	cr_assert_str_eq(get_str(x, "summary"),
	    "say \"listed\"\\ a\ttab, a\nnewline, \x01, bad \xef\xbf\xbd\xef\xbf\xbd and caf\xc3\xa9");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(x, "evidence"), 0)),
	    "query: 7.113.0.203.bl.test A -> 127.0.0.2");
	cr_assert_null(json_object_get(x, "explanation"));
	cr_assert_null(json_object_get(x, "fix"));
	cr_assert_null(json_object_get(x, "title"));
	/* Only the zone that lists the address. */
	cr_assert_eq(json_array_size(json_object_get(j, "listed")), 1);
	x = json_array_get(json_object_get(j, "listed"), 0);
	cr_assert_str_eq(get_str(x, "zone"), "bl.test");
	cr_assert_str_eq(get_str(x, "status"), "listed");
	cr_assert_str_eq(get_str(x, "code"), "127.0.0.2");
	cr_assert_str_eq(get_str(x, "reason"), "Listed: see \"https://bl.test/\"");
	json_decref(j);
	findings_free(&fs);
	diagnosis_free(&d);
	dnsbl_list_free(&zones);
}

/* A zone that fails its self-test (it lists 127.0.0.1 too: it answers
 * everything) is not a listing, in the record as in the findings. */
Test(json_brief, a_zone_that_answers_everything_is_not_listed)
{
	struct dnsbl_list zones = { 0 };
	struct diagnosis d;
	struct findings fs = { 0 };
	char err[256];
	json_t *j;

	cr_assert(dnsbl_load_string("zone bl.test\n\tcode 127.0.0.2 listed \"spam\"\n", &zones, err, sizeof err),
	    "%s", err);
	diagnosis_init(&d);
	d.has_dnsbl = true;
	snprintf(d.bl.ip, sizeof d.bl.ip, "203.0.113.7");
	d.bl.v = calloc(1, sizeof *d.bl.v);
	d.bl.n = 1;
	d.bl.v[0].id = xstrdup("bl.test");
	d.bl.v[0].qname = xstrdup("7.113.0.203.bl.test");
	answer(&d.bl.v[0].a, "7.113.0.203.bl.test", DNS_T_A, "127.0.0.2");
	answer(&d.bl.v[0].test_pos, "2.0.0.127.bl.test", DNS_T_A, "127.0.0.2");
	answer(&d.bl.v[0].test_neg, "1.0.0.127.bl.test", DNS_T_A, "127.0.0.2");
	rules_dnsbl(&d.bl, &zones, &fs);
	cr_assert_not_null(findings_get(&fs, "dnsbl.zone-broken"));
	cr_assert_null(findings_get(&fs, "dnsbl.listed"));
	j = parse(json_brief("mail.test:25", "done", 1, NULL, &d, &fs, &zones));
	cr_assert_eq(json_array_size(json_object_get(j, "listed")), 0, "the record lists a broken zone");
	json_decref(j);
	findings_free(&fs);
	diagnosis_free(&d);
	dnsbl_list_free(&zones);
}

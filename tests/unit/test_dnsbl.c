/* Unit tests: the blocklist zones file, query names, and what answers mean. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dnsbl.h"

#ifndef SRCDIR
#error "build with -DSRCDIR='\"/path/to/source\"'"
#endif

#define ZONES_FILE SRCDIR "/src/dnsbl.zones"
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static struct dnsbl_list shipped;

static void load_shipped(void)
{
	char err[700] = "";

	cr_assert(dnsbl_load_file(ZONES_FILE, &shipped, err, sizeof err), "%s", err);
}

static void free_shipped(void)
{
	dnsbl_list_free(&shipped);
}

static const struct dnsbl_zone *zone(const char *id)
{
	const struct dnsbl_zone *z = dnsbl_list_find(&shipped, id);

	cr_assert_not_null(z, "zone %s is not in %s", id, ZONES_FILE);
	return z;
}

static void judge(const char *id, const char *const *ans, size_t n, struct dnsbl_verdict *v)
{
	dnsbl_interpret(zone(id), ans, n, v);
}

/* ---- the shipped zones file ---- */

TestSuite(dnsbl_shipped, .init = load_shipped, .fini = free_shipped);

Test(dnsbl_shipped, has_the_live_zones)
{
	static const char *const ids[] = {
		"zen.spamhaus.org", "bl.spamcop.net", "b.barracudacentral.org",
		"dnsbl-1.uceprotect.net", "dnsbl-2.uceprotect.net", "dnsbl-3.uceprotect.net",
		"psbl.surriel.com", "bl.mailspike.net", "rep.mailspike.net",
		"dnsbl.dronebl.org", "all.s5h.net",
	};

	cr_assert_eq(shipped.n, NELEM(ids));
	for (size_t i = 0; i < NELEM(ids); i++) {
		const struct dnsbl_zone *z = zone(ids[i]);

		cr_assert_str_eq(z->zone, z->id);
		cr_assert_not_null(z->delist, "%s has no delist URL", ids[i]);
		cr_assert_gt(z->ncodes, 0);
		cr_assert(dnsbl_zone_active(z));
		cr_assert_not(z->keyed);
	}
}

Test(dnsbl_shipped, no_sorbs)
{
	for (size_t i = 0; i < shipped.n; i++)
		cr_assert_null(strstr(shipped.v[i].zone, "sorbs"), "%s", shipped.v[i].zone);
}

Test(dnsbl_shipped, spamhaus_zen)
{
	const struct dnsbl_zone *z = zone("zen.spamhaus.org");

	cr_assert_str_eq(z->name, "Spamhaus ZEN");
	cr_assert_eq(z->weight, DNSBL_WEIGHT_HIGH);
	cr_assert(z->ipv6);
	cr_assert(z->selftest);
	cr_assert_str_eq(z->dqs, "zen.dq.spamhaus.net");
	cr_assert_not(z->needs_key);
	cr_assert_eq(z->ncodes, 10);
}

Test(dnsbl_shipped, weights_and_flags)
{
	cr_assert_eq(zone("dnsbl-1.uceprotect.net")->weight, DNSBL_WEIGHT_MEDIUM);
	cr_assert_eq(zone("dnsbl-2.uceprotect.net")->weight, DNSBL_WEIGHT_LOW);
	cr_assert_eq(zone("dnsbl-3.uceprotect.net")->weight, DNSBL_WEIGHT_LOW);
	cr_assert_eq(zone("dnsbl.dronebl.org")->weight, DNSBL_WEIGHT_LOW);
	cr_assert_eq(zone("all.s5h.net")->weight, DNSBL_WEIGHT_LOW);
	cr_assert(zone("b.barracudacentral.org")->needs_registration);
	cr_assert_not(zone("bl.spamcop.net")->needs_registration);
	cr_assert_not(zone("rep.mailspike.net")->selftest);
	cr_assert_not(zone("dnsbl.dronebl.org")->selftest);
	cr_assert_null(zone("bl.spamcop.net")->dqs);
}

Test(dnsbl_shipped, find_is_case_insensitive)
{
	cr_assert_eq(dnsbl_list_find(&shipped, "ZEN.Spamhaus.ORG"), zone("zen.spamhaus.org"));
	cr_assert_null(dnsbl_list_find(&shipped, "dnsbl.sorbs.net"));
	cr_assert_null(dnsbl_list_find(NULL, "zen.spamhaus.org"));
}

/* ---- malformed zone files: each error names its line ---- */

struct bad_case {
	const char *text;
	const char *line;	/* "line N:" expected in the message */
	const char *what;	/* and this */
};

static void expect_bad(const struct bad_case *c)
{
	struct dnsbl_list l = { 0 };
	char err[700] = "";

	cr_assert_not(dnsbl_load_string(c->text, &l, err, sizeof err), "accepted:\n%s", c->text);
	cr_assert_eq(l.n, 0);
	cr_assert_null(l.v);
	cr_assert_not_null(strstr(err, c->line), "'%s' does not name '%s'", err, c->line);
	cr_assert_not_null(strstr(err, c->what), "'%s' does not say '%s'", err, c->what);
}

#define OKZONE "zone ok.example\n\tcode 127.0.0.2 listed \"x\"\n"

Test(dnsbl_parse, errors_name_the_line)
{
	static const struct bad_case cases[] = {
		{ "\tname \"x\"\n", "line 1:", "expected 'zone NAME'" },
		{ "# c\nzone a.example\n\tfoo bar\n", "line 3:", "unknown attribute 'foo'" },
		{ "zone a.example\n\tweight huge\n", "line 2:", "weight high|medium|low" },
		{ "zone a.example\n\tipv6 maybe\n", "line 2:", "ipv6 yes|no" },
		{ "zone a.example\n\tselftest 1\n", "line 2:", "selftest yes|no" },
		{ "zone a.example\n\tweight\n", "line 2:", "expected 'weight high|medium|low'" },
		{ "zone a.example\n\tname \"A\" \"B\"\n", "line 2:", "expected 'name" },
		{ "zone a.example\n\tdelist ftp://x\n", "line 2:", "delist https://URL" },
		{ "zone a.example\n\n\tcode 10.0.0.2 listed \"x\"\n", "line 3:", "outside 127.0.0.0/8" },
		{ "zone a.example\n\tcode 127.0.0.x listed \"x\"\n", "line 2:", "expected an IPv4 code" },
		{ "zone a.example\n\tcode 127.0.0.9-127.0.0.3 listed \"x\"\n", "line 2:", "backwards" },
		{ "zone a.example\n\tcode 127.0.0.2 bad \"x\"\n", "line 2:", "expected listed, listed-policy" },
		{ "zone a.example\n\tcode 127.0.0.2 listed\n", "line 2:", "expected 'code 127.0.0.A" },
		{ "zone a.example\n\tcode 127.0.0.2 listed \"\"\n", "line 2:", "expected a meaning" },
		{ "zone a.example\n\tcode 127.0.0.2 listed \"x\n", "line 2:", "unterminated quoted string" },
		{ "zone a.example\n\tcode 127.0.0.2 listed \"x\\n\"\n", "line 2:", "unknown escape" },
		{ "zone a.example\n\tcode 127.0.0.2 listed \"x\"y\n", "line 2:", "blank after a quoted" },
		{ "zone a.example\n\tname a\"b\n", "line 2:", "inside a word" },
		{ "zone a.example\n\tcode 127.0.0.1-127.0.0.5 listed \"x\"\n"
		  "\tcode 127.0.0.5 listed \"y\"\n", "line 3:", "overlaps the code on line 2" },
		{ "zone a.example\n\tweight low\n\tweight high\n", "line 3:", "given twice" },
		{ "zone a.example\n\tname \"\"\n", "line 2:", "empty name" },
		{ "zone a.example\nzone b.example\n", "line 2:", "zone 'a.example' (line 1) has no 'code'" },
		{ "zone a.example\n", "line 1:", "has no 'code' lines" },
		{ OKZONE OKZONE, "line 3:", "already defined on line 1" },
		{ OKZONE "zone OK.example\n", "line 3:", "already defined on line 1" },
		{ OKZONE "\tzone b.example\n", "line 3:", "must not be indented" },
		{ OKZONE "name \"x\"\n", "line 3:", "expected 'zone NAME'" },
		{ "zone\n", "line 1:", "expected 'zone NAME'" },
		{ "zone a.example b\n", "line 1:", "expected 'zone NAME'" },
		{ "zone a..example\n", "line 1:", "expected a zone name" },
		{ "zone a_b.example\n", "line 1:", "expected a zone name" },
		{ "zone a.example\n\tdqs bad/name\n", "line 2:", "dqs ZONE.NAME" },
		{ "zone a.example\n\tneeds-key yes\n\tcode 127.0.0.2 listed \"x\"\n",
		  "line 3:", "'needs-key yes' but has no 'dqs'" },
		{ "zone a.example\n\tname \"caf\xc3\xa9\"\n", "line 2:", "byte 0xc3 at column 11" },
		{ OKZONE "\tname \"a\x1b[2Jb\"\n", "line 3:", "byte 0x1b" },
		{ "zone a.example\n\tcode 127.0.0.2 listed a b c d e f g\n", "line 2:", "too many words" },
	};

	for (size_t i = 0; i < NELEM(cases); i++)
		expect_bad(&cases[i]);
}

Test(dnsbl_parse, empty_text_has_no_zones)
{
	struct dnsbl_list l = { 0 };
	char err[200];

	cr_assert_not(dnsbl_load_string("", &l, err, sizeof err));
	cr_assert_not_null(strstr(err, "no zones"), "%s", err);
	cr_assert_not(dnsbl_load_string("# only a comment\n\n", &l, err, sizeof err));
	cr_assert_not(dnsbl_load_string(NULL, &l, err, sizeof err));
}

Test(dnsbl_parse, line_length_limit)
{
	char *text = malloc(4096);
	struct dnsbl_list l = { 0 };
	char err[200];
	/* "\tname \"" + fill + "\"" is exactly DNSBL_MAX_LINE bytes. */
	size_t fill = DNSBL_MAX_LINE - 8;

	cr_assert_not_null(text);
	strcpy(text, OKZONE "\tname \"");
	memset(text + strlen(text), 'n', fill);
	strcpy(text + strlen(OKZONE) + 7 + fill, "\"\n");
	cr_assert(dnsbl_load_string(text, &l, err, sizeof err), "%s", err);
	cr_assert_eq(strlen(l.v[0].name), fill);
	dnsbl_list_free(&l);

	/* One byte more, with or without a newline at the end. */
	strcpy(text, OKZONE "\tname \"");
	memset(text + strlen(text), 'n', fill + 1);
	strcpy(text + strlen(OKZONE) + 7 + fill + 1, "\"");
	cr_assert_not(dnsbl_load_string(text, &l, err, sizeof err));
	cr_assert_not_null(strstr(err, "line 3: line longer than 1024"), "%s", err);
	free(text);
}

Test(dnsbl_parse, limits_on_zones_and_codes)
{
	size_t cap = 64 * 1024;
	char *text = malloc(cap);
	struct dnsbl_list l = { 0 };
	char err[200];
	size_t off = 0;

	cr_assert_not_null(text);
	for (int i = 0; i < DNSBL_MAX_ZONES + 1; i++)
		off += (size_t)snprintf(text + off, cap - off,
					"zone z%d.example\n\tcode 127.0.0.2 listed \"x\"\n", i);
	cr_assert_not(dnsbl_load_string(text, &l, err, sizeof err));
	cr_assert_not_null(strstr(err, "line 513: too many zones"), "%s", err);

	/* Exactly the maximum loads. */
	text[off - strlen("zone z256.example\n\tcode 127.0.0.2 listed \"x\"\n")] = '\0';
	cr_assert(dnsbl_load_string(text, &l, err, sizeof err), "%s", err);
	cr_assert_eq(l.n, DNSBL_MAX_ZONES);
	dnsbl_list_free(&l);

	off = (size_t)snprintf(text, cap, "zone a.example\n");
	for (int i = 0; i < DNSBL_MAX_CODES + 1; i++)
		off += (size_t)snprintf(text + off, cap - off, "\tcode 127.0.1.%d listed \"x\"\n", i);
	cr_assert_not(dnsbl_load_string(text, &l, err, sizeof err));
	cr_assert_not_null(strstr(err, "line 66: too many codes"), "%s", err);
	free(text);
}

Test(dnsbl_parse, defaults_quotes_and_crlf)
{
	struct dnsbl_list l = { 0 };
	char err[200] = "";
	const char *text =
		"# comment\r\n"
		"zone a.example\r\n"
		"  code 127.0.0.2-127.0.0.3 listed \"say \\\"hi\\\" \\\\ # not a comment\"\r\n"
		"\r\n"
		"zone b.example\n"
		"\t# an indented comment\n"
		"\tdelist https://b.example/lookup#anchor\n"
		"\tcode 127.0.0.1 good word\n";

	cr_assert(dnsbl_load_string(text, &l, err, sizeof err), "%s", err);
	cr_assert_eq(l.n, 2);
	cr_assert_str_eq(l.v[0].name, "a.example");
	cr_assert_eq(l.v[0].weight, DNSBL_WEIGHT_MEDIUM);
	cr_assert_not(l.v[0].ipv6);
	cr_assert(l.v[0].selftest);
	cr_assert_not(l.v[0].needs_key);
	cr_assert_null(l.v[0].delist);
	cr_assert_null(l.v[0].dqs);
	cr_assert_eq(l.v[0].codes[0].lo, 0x7f000002u);
	cr_assert_eq(l.v[0].codes[0].hi, 0x7f000003u);
	cr_assert_str_eq(l.v[0].codes[0].meaning, "say \"hi\" \\ # not a comment");
	cr_assert_eq(l.v[0].codes[0].line, 3);
	cr_assert_str_eq(l.v[1].delist, "https://b.example/lookup#anchor");
	cr_assert_eq(l.v[1].codes[0].kind, DNSBL_GOOD);
	cr_assert_str_eq(l.v[1].codes[0].meaning, "word");
	cr_assert_eq(l.v[1].line, 5);
	dnsbl_list_free(&l);
	cr_assert_null(l.v);
	dnsbl_list_free(&l);
	dnsbl_list_free(NULL);
}

/* Write text (len bytes) to a new temporary file; the caller unlinks it. */
static void temp_file(char *path, const char *text, size_t len)
{
	int fd;

	strcpy(path, "/tmp/test_dnsbl.XXXXXX");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

Test(dnsbl_parse, file_errors_name_file_and_line)
{
	struct dnsbl_list l = { 0 };
	char path[64], err[700];
	static const char bad[] = OKZONE "\tweight heavy\n";
	static const char nul[] = OKZONE "\tname \"a\0b\"\n";

	temp_file(path, bad, sizeof bad - 1);
	cr_assert_not(dnsbl_load_file(path, &l, err, sizeof err));
	unlink(path);
	cr_assert_not_null(strstr(err, path), "%s", err);
	cr_assert_not_null(strstr(err, ": line 3: expected 'weight high|medium|low', got 'heavy'"),
			   "%s", err);

	temp_file(path, nul, sizeof nul - 1);
	cr_assert_not(dnsbl_load_file(path, &l, err, sizeof err));
	unlink(path);
	cr_assert_not_null(strstr(err, "line 3: NUL byte"), "%s", err);

	cr_assert_not(dnsbl_load_file("/nonexistent/dnsbl.zones", &l, err, sizeof err));
	cr_assert_not_null(strstr(err, "/nonexistent/dnsbl.zones: "), "%s", err);
	cr_assert_eq(l.n, 0);
}

/* ---- query names ---- */

static void expect_qname(const char *ip, const char *zone_name, const char *want)
{
	char out[DNSBL_QNAME_MAX];

	cr_assert(dnsbl_query_name(ip, zone_name, out, sizeof out), "%s", ip);
	cr_assert_str_eq(out, want);
}

Test(dnsbl_qname, ipv4)
{
	expect_qname("192.0.2.99", "zen.spamhaus.org", "99.2.0.192.zen.spamhaus.org");
	expect_qname("127.0.0.2", "bl.spamcop.net", "2.0.0.127.bl.spamcop.net");
	expect_qname("203.0.113.7", "in-addr.arpa", "7.113.0.203.in-addr.arpa");
}

Test(dnsbl_qname, ipv6)
{
	expect_qname("2001:db8::1", "zen.spamhaus.org",
		     "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org");
	expect_qname("2001:DB8:7CA6:22::45", "all.s5h.net",
		     "5.4.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.2.0.0.6.a.c.7.8.b.d.0.1.0.0.2.all.s5h.net");
	expect_qname("::1", "ip6.arpa",
		     "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.ip6.arpa");
}

Test(dnsbl_qname, ipv4_mapped_is_ipv4)
{
	expect_qname("::ffff:192.0.2.99", "zen.spamhaus.org", "99.2.0.192.zen.spamhaus.org");
	expect_qname("::FFFF:7F00:2", "zen.spamhaus.org", "2.0.0.127.zen.spamhaus.org");
}

Test(dnsbl_qname, not_an_address)
{
	static const char *const bad[] = {
		"", "mail.contoso.com", "192.0.2", "192.0.2.256", "192.0.2.1 ", " 192.0.2.1",
		"192.0.2.1/32", "2001:db8::1::2", "fe80::1%eth0", "[2001:db8::1]", "0x7f.1",
	};
	char out[DNSBL_QNAME_MAX];

	for (size_t i = 0; i < NELEM(bad); i++)
		cr_assert_not(dnsbl_query_name(bad[i], "zen.spamhaus.org", out, sizeof out),
			      "'%s'", bad[i]);
	cr_assert_not(dnsbl_query_name(NULL, "zen.spamhaus.org", out, sizeof out));
	cr_assert_not(dnsbl_query_name("192.0.2.1", "", out, sizeof out));
	cr_assert_not(dnsbl_query_name("192.0.2.1", NULL, out, sizeof out));
}

Test(dnsbl_qname, too_small)
{
	char out[80];

	cr_assert_not(dnsbl_query_name("192.0.2.99", "zen.spamhaus.org", out, 27));
	cr_assert(dnsbl_query_name("192.0.2.99", "zen.spamhaus.org", out, 28));
	cr_assert_not(dnsbl_query_name("2001:db8::1", "zen.spamhaus.org", out, 80));
	cr_assert_not(dnsbl_query_name("2001:db8::1", "zen.spamhaus.org", out, 0));
}

/* ---- interpreting answers ---- */

TestSuite(dnsbl_interpret, .init = load_shipped, .fini = free_shipped);

Test(dnsbl_interpret, nxdomain_is_not_listed)
{
	struct dnsbl_verdict v;

	judge("zen.spamhaus.org", NULL, 0, &v);
	cr_assert_eq(v.status, DNSBL_NOT_LISTED);
	cr_assert_eq(v.nhits, 0);
	cr_assert_str_eq(v.code, "");
	cr_assert_null(v.meaning);
	cr_assert_null(v.delist);
	cr_assert_null(v.note);
	cr_assert_not(dnsbl_status_is_listing(v.status));
}

Test(dnsbl_interpret, spamhaus_sbl)
{
	const char *ans[] = { "127.0.0.2" };
	struct dnsbl_verdict v;

	judge("zen.spamhaus.org", ans, 1, &v);
	cr_assert_eq(v.status, DNSBL_LISTED);
	cr_assert_str_eq(v.code, "127.0.0.2");
	cr_assert_not_null(strstr(v.meaning, "SBL"), "%s", v.meaning);
	cr_assert_str_eq(v.delist, "https://check.spamhaus.org/");
	cr_assert_not_null(v.note);
	cr_assert(dnsbl_status_is_listing(v.status));
	cr_assert_str_eq(dnsbl_status_name(v.status), "listed");
}

Test(dnsbl_interpret, spamhaus_xbl)
{
	const char *ans[] = { "127.0.0.4" };
	struct dnsbl_verdict v;

	judge("zen.spamhaus.org", ans, 1, &v);
	cr_assert_eq(v.status, DNSBL_LISTED);
	cr_assert_not_null(strstr(v.meaning, "XBL"), "%s", v.meaning);
}

Test(dnsbl_interpret, spamhaus_pbl_is_policy)
{
	const char *ans[] = { "127.0.0.10" };
	struct dnsbl_verdict v;

	judge("zen.spamhaus.org", ans, 1, &v);
	cr_assert_eq(v.status, DNSBL_LISTED_POLICY);
	cr_assert_not_null(strstr(v.meaning, "PBL"), "%s", v.meaning);
	cr_assert_not_null(strstr(v.meaning, "dynamic or residential"), "%s", v.meaning);
	cr_assert_str_eq(v.delist, "https://check.spamhaus.org/");
	cr_assert_not_null(strstr(v.note, "policy"), "%s", v.note);
	cr_assert(dnsbl_status_is_listing(v.status));
	cr_assert_str_eq(dnsbl_status_name(v.status), "listed-policy");
}

Test(dnsbl_interpret, spamhaus_public_resolver_is_refused)
{
	const char *ans[] = { "127.255.255.254" };
	struct dnsbl_verdict v;

	judge("zen.spamhaus.org", ans, 1, &v);
	cr_assert_eq(v.status, DNSBL_REFUSED);
	cr_assert_not(dnsbl_status_is_listing(v.status));
	cr_assert_not_null(strstr(v.meaning, "public/open resolver"), "%s", v.meaning);
	cr_assert_null(v.delist);
	cr_assert_not_null(strstr(v.note, "DQS key"), "%s", v.note);
	cr_assert_not_null(strstr(v.note, "not a listing"), "%s", v.note);
}

Test(dnsbl_interpret, spamhaus_other_errors_are_refused)
{
	const char *typo[] = { "127.255.255.252" };
	const char *limit[] = { "127.255.255.255" };
	struct dnsbl_verdict v;

	judge("zen.spamhaus.org", typo, 1, &v);
	cr_assert_eq(v.status, DNSBL_REFUSED);
	cr_assert_not_null(strstr(v.meaning, "typing error"), "%s", v.meaning);
	judge("zen.spamhaus.org", limit, 1, &v);
	cr_assert_eq(v.status, DNSBL_REFUSED);
	cr_assert_not_null(strstr(v.meaning, "too many queries"), "%s", v.meaning);
}

Test(dnsbl_interpret, any_127_255_255_x_is_never_a_listing)
{
	const char *ans[] = { "127.255.255.250" };
	struct dnsbl_verdict v;

	/* Undefined there, and in a zone that defines no error codes at all. */
	judge("zen.spamhaus.org", ans, 1, &v);
	cr_assert_eq(v.status, DNSBL_REFUSED);
	judge("bl.spamcop.net", ans, 1, &v);
	cr_assert_eq(v.status, DNSBL_REFUSED);
	cr_assert_not_null(strstr(v.meaning, "not a listing"), "%s", v.meaning);
	cr_assert_not_null(v.note);
	cr_assert_null(strstr(v.note, "DQS"), "%s", v.note);
}

Test(dnsbl_interpret, undefined_code_is_unexpected)
{
	const char *ans[] = { "127.0.0.99" };
	struct dnsbl_verdict v;

	judge("zen.spamhaus.org", ans, 1, &v);
	cr_assert_eq(v.status, DNSBL_UNEXPECTED);
	cr_assert_not(dnsbl_status_is_listing(v.status));
	cr_assert_str_eq(v.code, "127.0.0.99");
	cr_assert_not_null(strstr(v.meaning, "does not define"), "%s", v.meaning);
	cr_assert_null(v.delist);
	cr_assert_not_null(strstr(v.note, "not reported as a listing"), "%s", v.note);
}

Test(dnsbl_interpret, outside_loopback_is_unexpected)
{
	const char *parked[] = { "192.0.2.1" };
	const char *junk[] = { "not-an-address" };
	const char *v6[] = { "::1" };
	struct dnsbl_verdict v;

	judge("bl.spamcop.net", parked, 1, &v);
	cr_assert_eq(v.status, DNSBL_UNEXPECTED);
	cr_assert_not_null(strstr(v.meaning, "outside 127.0.0.0/8"), "%s", v.meaning);
	cr_assert_not_null(strstr(v.meaning, "parked"), "%s", v.meaning);
	judge("bl.spamcop.net", junk, 1, &v);
	cr_assert_eq(v.status, DNSBL_UNEXPECTED);
	judge("bl.spamcop.net", v6, 1, &v);
	cr_assert_eq(v.status, DNSBL_UNEXPECTED);
	dnsbl_interpret(zone("bl.spamcop.net"), (const char *const[]){ NULL }, 1, &v);
	cr_assert_eq(v.status, DNSBL_UNEXPECTED);
}

Test(dnsbl_interpret, multiple_codes_worst_wins_all_kept)
{
	const char *ans[] = { "127.0.0.10", "127.0.0.4", "127.0.0.2" };
	struct dnsbl_verdict v;

	judge("zen.spamhaus.org", ans, 3, &v);
	cr_assert_eq(v.status, DNSBL_LISTED);
	cr_assert_str_eq(v.code, "127.0.0.4");	/* the first of the worst */
	cr_assert_eq(v.nanswers, 3);
	cr_assert_eq(v.nhits, 3);
	cr_assert_str_eq(v.hits[0].addr, "127.0.0.10");
	cr_assert_eq(v.hits[0].status, DNSBL_LISTED_POLICY);
	cr_assert_str_eq(v.hits[1].addr, "127.0.0.4");
	cr_assert_eq(v.hits[1].status, DNSBL_LISTED);
	cr_assert_not_null(strstr(v.hits[1].meaning, "XBL"));
	cr_assert_str_eq(v.hits[2].addr, "127.0.0.2");
	cr_assert_not_null(strstr(v.hits[2].meaning, "SBL"));
}

Test(dnsbl_interpret, listing_outranks_unexpected_but_keeps_it)
{
	const char *ans[] = { "192.0.2.1", "127.0.0.2" };
	struct dnsbl_verdict v;

	judge("bl.spamcop.net", ans, 2, &v);
	cr_assert_eq(v.status, DNSBL_LISTED);
	cr_assert_eq(v.hits[0].status, DNSBL_UNEXPECTED);
	cr_assert_str_eq(v.hits[0].addr, "192.0.2.1");
}

Test(dnsbl_interpret, many_answers_are_capped_but_judged)
{
	const char *ans[DNSBL_MAX_ANSWERS + 2];
	struct dnsbl_verdict v;

	for (size_t i = 0; i < NELEM(ans); i++)
		ans[i] = "127.0.0.10";
	ans[NELEM(ans) - 1] = "127.0.0.3";
	judge("zen.spamhaus.org", ans, NELEM(ans), &v);
	cr_assert_eq(v.nanswers, NELEM(ans));
	cr_assert_eq(v.nhits, DNSBL_MAX_ANSWERS);
	cr_assert_eq(v.status, DNSBL_LISTED);
	cr_assert_str_eq(v.code, "127.0.0.3");
}

Test(dnsbl_interpret, long_answer_is_cut)
{
	char big[200];
	const char *ans[] = { big };
	struct dnsbl_verdict v;

	memset(big, '7', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	judge("zen.spamhaus.org", ans, 1, &v);
	cr_assert_eq(v.status, DNSBL_UNEXPECTED);
	cr_assert_eq(strlen(v.code), sizeof v.code - 1);
	cr_assert_eq(strlen(v.hits[0].addr), sizeof v.hits[0].addr - 1);
}

Test(dnsbl_interpret, mailspike_rep_good_and_neutral)
{
	const char *good[] = { "127.0.0.18" };
	const char *neutral[] = { "127.0.0.15" };
	const char *bad[] = { "127.0.0.10" };
	struct dnsbl_verdict v;

	judge("rep.mailspike.net", good, 1, &v);
	cr_assert_eq(v.status, DNSBL_GOOD);
	cr_assert_not(dnsbl_status_is_listing(v.status));
	cr_assert_null(v.delist);
	cr_assert_not_null(strstr(v.meaning, "good reputation"), "%s", v.meaning);
	cr_assert_str_eq(dnsbl_status_name(v.status), "good");
	judge("rep.mailspike.net", neutral, 1, &v);
	cr_assert_eq(v.status, DNSBL_NEUTRAL);
	judge("rep.mailspike.net", bad, 1, &v);
	cr_assert_eq(v.status, DNSBL_LISTED);
	/* The block list does not answer good codes: there 127.0.0.18 is unexpected. */
	judge("bl.mailspike.net", good, 1, &v);
	cr_assert_eq(v.status, DNSBL_UNEXPECTED);
}

Test(dnsbl_interpret, barracuda_empty_may_mean_unregistered)
{
	struct dnsbl_verdict v;

	judge("b.barracudacentral.org", NULL, 0, &v);
	cr_assert_eq(v.status, DNSBL_NOT_LISTED);
	cr_assert_not_null(v.note);
	cr_assert_not_null(strstr(v.note, "not registered"), "%s", v.note);
}

Test(dnsbl_interpret, low_weight_listing_says_so)
{
	const char *ans[] = { "127.0.0.2" };
	struct dnsbl_verdict v;

	judge("dnsbl-3.uceprotect.net", ans, 1, &v);
	cr_assert_eq(v.status, DNSBL_LISTED);
	cr_assert_not_null(strstr(v.meaning, "ASN"), "%s", v.meaning);
	cr_assert_not_null(strstr(v.note, "rarely"), "%s", v.note);
	judge("dnsbl-1.uceprotect.net", ans, 1, &v);
	cr_assert_null(v.note);
}

Test(dnsbl_interpret, dronebl_codes)
{
	const char *ans[] = { "127.0.0.12" };
	struct dnsbl_verdict v;

	judge("dnsbl.dronebl.org", ans, 1, &v);
	cr_assert_eq(v.status, DNSBL_LISTED);
	cr_assert_not_null(strstr(v.meaning, "open DNS resolver"), "%s", v.meaning);
}

/* ---- DQS keys ---- */

TestSuite(dnsbl_dqs, .init = load_shipped, .fini = free_shipped);

Test(dnsbl_dqs, key_rewrites_spamhaus_only)
{
	const struct dnsbl_zone *zen = zone("zen.spamhaus.org");
	char out[DNSBL_QNAME_MAX];

	cr_assert(dnsbl_apply_dqs_key(&shipped, "abcdef0123456789abcdef0123"));
	cr_assert_str_eq(zen->zone, "abcdef0123456789abcdef0123.zen.dq.spamhaus.net");
	cr_assert_str_eq(zen->id, "zen.spamhaus.org");
	cr_assert(zen->keyed);
	cr_assert_str_eq(zone("bl.spamcop.net")->zone, "bl.spamcop.net");
	cr_assert_not(zone("bl.spamcop.net")->keyed);
	cr_assert(dnsbl_query_name("192.0.2.99", zen->zone, out, sizeof out));
	cr_assert_str_eq(out, "99.2.0.192.abcdef0123456789abcdef0123.zen.dq.spamhaus.net");

	/* A second key replaces the first. */
	cr_assert(dnsbl_apply_dqs_key(&shipped, "K2"));
	cr_assert_str_eq(zen->zone, "K2.zen.dq.spamhaus.net");
}

Test(dnsbl_dqs, refused_note_drops_dqs_advice_once_keyed)
{
	const char *ans[] = { "127.255.255.254" };
	struct dnsbl_verdict v;

	cr_assert(dnsbl_apply_dqs_key(&shipped, "abc123"));
	judge("zen.spamhaus.org", ans, 1, &v);
	cr_assert_eq(v.status, DNSBL_REFUSED);
	cr_assert_null(strstr(v.note, "DQS"), "%s", v.note);
}

Test(dnsbl_dqs, bad_keys_change_nothing)
{
	static const char *const bad[] = {
		"", "abc.def", "abc-def", "abc def", "abc/..", "k\xc3\xa9y", "key\n",
		"0123456789012345678901234567890123456789012345678901234567890123",	/* 64 */
	};
	const struct dnsbl_zone *zen = zone("zen.spamhaus.org");

	for (size_t i = 0; i < NELEM(bad); i++) {
		cr_assert_not(dnsbl_apply_dqs_key(&shipped, bad[i]), "'%s'", bad[i]);
		cr_assert_str_eq(zen->zone, "zen.spamhaus.org");
		cr_assert_not(zen->keyed);
	}
	cr_assert_not(dnsbl_apply_dqs_key(&shipped, NULL));
	cr_assert_not(dnsbl_apply_dqs_key(NULL, "abc"));
	/* 63 is the most. */
	cr_assert(dnsbl_apply_dqs_key(&shipped,
		"012345678901234567890123456789012345678901234567890123456789012"));
}

Test(dnsbl_dqs, needs_key_zone_inactive_until_keyed)
{
	struct dnsbl_list l = { 0 };
	char err[200] = "";
	const char *text =
		"zone authbl.example\n"
		"\tneeds-key yes\n"
		"\tdqs authbl.dq.example\n"
		"\tcode 127.0.0.20 listed \"AuthBL\"\n";

	cr_assert(dnsbl_load_string(text, &l, err, sizeof err), "%s", err);
	cr_assert_not(dnsbl_zone_active(&l.v[0]));
	cr_assert(dnsbl_apply_dqs_key(&l, "Key1"));
	cr_assert(dnsbl_zone_active(&l.v[0]));
	cr_assert_str_eq(l.v[0].zone, "Key1.authbl.dq.example");
	cr_assert_not(dnsbl_zone_active(NULL));
	dnsbl_list_free(&l);
}

Test(dnsbl_dqs, longest_names_fit)
{
	struct dnsbl_list l = { 0 };
	char text[512], name[DNSBL_MAX_ZONE_NAME + 1], key[DNSBL_MAX_KEY + 1], err[200] = "";
	char qname[DNSBL_QNAME_MAX];

	/* The longest key on the longest zone still gives a query name that fits. */
	/* 120 chars: labels of 59 + '.' + 60. */
	memset(name, 'a', DNSBL_MAX_ZONE_NAME);
	name[59] = '.';
	name[DNSBL_MAX_ZONE_NAME] = '\0';
	memset(key, 'k', DNSBL_MAX_KEY);
	key[DNSBL_MAX_KEY] = '\0';
	snprintf(text, sizeof text, "zone %s\n\tdqs %s\n\tcode 127.0.0.2 listed \"x\"\n", name, name);
	cr_assert(dnsbl_load_string(text, &l, err, sizeof err), "%s", err);
	cr_assert(dnsbl_apply_dqs_key(&l, key));
	cr_assert(dnsbl_query_name("2001:db8::1", l.v[0].zone, qname, sizeof qname));
	cr_assert_leq(strlen(qname), 253);
	dnsbl_list_free(&l);

	/* One more char is refused. */
	snprintf(text, sizeof text, "zone a%s\n\tcode 127.0.0.2 listed \"x\"\n", name);
	cr_assert_not(dnsbl_load_string(text, &l, err, sizeof err));
	cr_assert_not_null(strstr(err, "line 1:"), "%s", err);
}

/* ---- the RFC 5782 self-test ---- */

TestSuite(dnsbl_selftest, .init = load_shipped, .fini = free_shipped);

Test(dnsbl_selftest, names)
{
	char out[DNSBL_QNAME_MAX];

	cr_assert(dnsbl_selftest_name("zen.spamhaus.org", true, out, sizeof out));
	cr_assert_str_eq(out, "2.0.0.127.zen.spamhaus.org");
	cr_assert(dnsbl_selftest_name("zen.spamhaus.org", false, out, sizeof out));
	cr_assert_str_eq(out, "1.0.0.127.zen.spamhaus.org");
	cr_assert_not(dnsbl_selftest_name("zen.spamhaus.org", true, out, 10));
}

Test(dnsbl_selftest, healthy_zone)
{
	const char *pos[] = { "127.0.0.2", "127.0.0.4", "127.0.0.10" };
	enum dnsbl_selftest r;

	r = dnsbl_selftest_judge(zone("zen.spamhaus.org"), pos, 3, NULL, 0);
	cr_assert_eq(r, DNSBL_SELFTEST_OK);
	cr_assert(dnsbl_selftest_usable(r));
	cr_assert_not_null(strstr(dnsbl_selftest_text(r), "passed"));
}

Test(dnsbl_selftest, answers_everything)
{
	const char *parked[] = { "192.0.2.1" };
	const char *two[] = { "127.0.0.2" };
	enum dnsbl_selftest r;

	/* The 2021 spamcop.net case: a parking service answers every name. */
	r = dnsbl_selftest_judge(zone("bl.spamcop.net"), parked, 1, parked, 1);
	cr_assert_eq(r, DNSBL_SELFTEST_ANSWERS_ALL);
	cr_assert_not(dnsbl_selftest_usable(r));
	/* 127.0.0.1 listed with a valid code is just as bad. */
	r = dnsbl_selftest_judge(zone("bl.spamcop.net"), two, 1, two, 1);
	cr_assert_eq(r, DNSBL_SELFTEST_ANSWERS_ALL);
	cr_assert_not_null(strstr(dnsbl_selftest_text(r), "127.0.0.1"));
}

Test(dnsbl_selftest, refused_resolver)
{
	const char *refused[] = { "127.255.255.254" };
	enum dnsbl_selftest r;

	r = dnsbl_selftest_judge(zone("zen.spamhaus.org"), refused, 1, refused, 1);
	cr_assert_eq(r, DNSBL_SELFTEST_REFUSED);
	cr_assert_not(dnsbl_selftest_usable(r));
	r = dnsbl_selftest_judge(zone("zen.spamhaus.org"), refused, 1, NULL, 0);
	cr_assert_eq(r, DNSBL_SELFTEST_REFUSED);
}

Test(dnsbl_selftest, no_test_entry)
{
	enum dnsbl_selftest r;

	r = dnsbl_selftest_judge(zone("b.barracudacentral.org"), NULL, 0, NULL, 0);
	cr_assert_eq(r, DNSBL_SELFTEST_NO_TEST_ENTRY);
	cr_assert_not(dnsbl_selftest_usable(r));
	cr_assert_not_null(strstr(dnsbl_selftest_text(r), "registered"));
}

Test(dnsbl_selftest, unexpected_test_answer)
{
	const char *odd[] = { "127.0.0.99" };
	enum dnsbl_selftest r;

	r = dnsbl_selftest_judge(zone("zen.spamhaus.org"), odd, 1, NULL, 0);
	cr_assert_eq(r, DNSBL_SELFTEST_UNEXPECTED);
	cr_assert_not(dnsbl_selftest_usable(r));
}

Test(dnsbl_selftest, skipped_when_zone_opts_out)
{
	enum dnsbl_selftest r;

	r = dnsbl_selftest_judge(zone("rep.mailspike.net"), NULL, 0, NULL, 0);
	cr_assert_eq(r, DNSBL_SELFTEST_SKIPPED);
	cr_assert(dnsbl_selftest_usable(r));
}

/* ---- names ---- */

Test(dnsbl_names, stable)
{
	cr_assert_str_eq(dnsbl_status_name(DNSBL_NOT_LISTED), "not-listed");
	cr_assert_str_eq(dnsbl_status_name(DNSBL_NEUTRAL), "neutral");
	cr_assert_str_eq(dnsbl_status_name(DNSBL_REFUSED), "refused");
	cr_assert_str_eq(dnsbl_status_name(DNSBL_UNEXPECTED), "unexpected");
	cr_assert_str_eq(dnsbl_weight_name(DNSBL_WEIGHT_HIGH), "high");
	cr_assert_str_eq(dnsbl_weight_name(DNSBL_WEIGHT_MEDIUM), "medium");
	cr_assert_str_eq(dnsbl_weight_name(DNSBL_WEIGHT_LOW), "low");
}

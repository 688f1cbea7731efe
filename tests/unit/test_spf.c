/*
 * Unit tests: the SPF parser and the resumable evaluator. Evaluation runs
 * against a fake DNS: a zone (what a fetch would return) and the set of
 * answers fetched so far. The driver loops as the engine does: spf_eval(),
 * and on SPF_NEED fetch that one name into the known set and call again.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spf.h"

/* ---- the fake DNS ---- */

#define ZVALS 24
#define ZMAX 128
#define KNOWN_MAX 128

/* One name and type in the zone. Names not in the zone are NXDOMAIN. */
struct zrec {
	const char *name;
	uint16_t type;
	enum spf_dns status;	/* FOUND, NONE (exists without this type), TEMPERROR */
	const char *v[ZVALS];	/* NULL-terminated */
};

struct fakedns {
	struct zrec zone[ZMAX];
	size_t nzone;
	struct {
		char name[SPF_NAME_MAX + 1];
		uint16_t type;
		const struct zrec *rec;	/* NULL: NXDOMAIN */
	} known[KNOWN_MAX];
	size_t nknown;
	int fetches;
	int passes;		/* calls to spf_eval */
	int calls;		/* lookup calls in this pass */
	int max_calls;		/* most lookup calls in one pass */
};

static void zadd(struct fakedns *d, const char *name, uint16_t type, enum spf_dns status, ...)
{
	struct zrec *z;
	va_list ap;
	const char *s;
	size_t n = 0;

	cr_assert_lt(d->nzone, ZMAX);
	z = &d->zone[d->nzone++];
	memset(z, 0, sizeof *z);
	z->name = name;
	z->type = type;
	z->status = status;
	va_start(ap, status);
	while ((s = va_arg(ap, const char *)) != NULL) {
		cr_assert_lt(n, ZVALS - 1);
		z->v[n++] = s;
	}
	va_end(ap);
}

#define TXT(d, name, ...) zadd(d, name, SPF_T_TXT, SPF_DNS_FOUND, __VA_ARGS__, (const char *)NULL)
#define A(d, name, ...) zadd(d, name, SPF_T_A, SPF_DNS_FOUND, __VA_ARGS__, (const char *)NULL)
#define AAAA(d, name, ...) zadd(d, name, SPF_T_AAAA, SPF_DNS_FOUND, __VA_ARGS__, (const char *)NULL)
#define MX(d, name, ...) zadd(d, name, SPF_T_MX, SPF_DNS_FOUND, __VA_ARGS__, (const char *)NULL)
#define NODATA(d, name, type) zadd(d, name, type, SPF_DNS_NONE, (const char *)NULL)
#define TEMPFAIL(d, name, type) zadd(d, name, type, SPF_DNS_TEMPERROR, (const char *)NULL)

/* The lookup callback: only what has been fetched is known. */
static int fake_lookup(void *arg, const char *name, uint16_t type, const char ***values,
    size_t *n)
{
	struct fakedns *d = arg;

	if (++d->calls > d->max_calls)
		d->max_calls = d->calls;
	for (size_t i = 0; i < d->nknown; i++) {
		const struct zrec *z = d->known[i].rec;
		size_t c = 0;

		if (d->known[i].type != type || strcmp(d->known[i].name, name) != 0)
			continue;
		if (z == NULL || z->status != SPF_DNS_FOUND) {
			*n = 0;
			return z == NULL ? SPF_DNS_NONE : (int)z->status;
		}
		while (z->v[c] != NULL)
			c++;
		*values = (const char **)z->v;
		*n = c;
		return c > 0 ? SPF_DNS_FOUND : SPF_DNS_NONE;
	}
	return SPF_DNS_UNKNOWN;
}

/* What the engine does on SPF_NEED: fetch (here from the zone) and remember. */
static void fetch(struct fakedns *d, const char *name, uint16_t type)
{
	cr_assert_lt(d->nknown, KNOWN_MAX);
	for (size_t i = 0; i < d->nknown; i++)
		cr_assert(d->known[i].type != type || strcmp(d->known[i].name, name) != 0,
		    "asked twice for %s type %u", name, type);
	snprintf(d->known[d->nknown].name, sizeof d->known[0].name, "%s", name);
	d->known[d->nknown].type = type;
	d->known[d->nknown].rec = NULL;
	for (size_t i = 0; i < d->nzone; i++) {
		if (d->zone[i].type == type && strcasecmp(d->zone[i].name, name) == 0) {
			d->known[d->nknown].rec = &d->zone[i];
			break;
		}
	}
	d->nknown++;
	d->fetches++;
}

/* Evaluate ip against domain to the end, fetching as asked. */
static enum spf_result run_full(struct fakedns *d, const char *ip, const char *domain,
    const char *sender, const char *helo, struct spf_outcome *o)
{
	struct spf_ctx ctx = {
		.ip = ip, .domain = domain, .sender = sender, .helo = helo,
		.lookup = fake_lookup, .arg = d, .out = o,
	};

	for (int i = 0; i < 200; i++) {
		char name[SPF_NAME_MAX + 1];
		uint16_t type = 0;
		enum spf_result r;

		d->calls = 0;
		r = spf_eval(&ctx, name, sizeof name, &type);
		d->passes++;
		cr_assert_eq(o->r, r);
		if (r != SPF_NEED) {
			cr_assert_str_eq(name, "");
			return r;
		}
		cr_assert_neq(name[0], '\0');
		cr_assert(type == SPF_T_TXT || type == SPF_T_A || type == SPF_T_AAAA ||
		    type == SPF_T_MX, "type %u", type);
		fetch(d, name, type);
	}
	cr_assert_fail("the evaluation never ended");
	return SPF_NONE;
}

static enum spf_result run(struct fakedns *d, const char *ip, const char *domain,
    struct spf_outcome *o)
{
	return run_full(d, ip, domain, NULL, NULL, o);
}

static struct fakedns *newdns(void)
{
	struct fakedns *d = calloc(1, sizeof *d);

	cr_assert_not_null(d);
	return d;
}

/* Microsoft's record as published (shape of it; addresses are Microsoft's ranges). */
static void add_eop(struct fakedns *d)
{
	TXT(d, "spf.protection.outlook.com",
	    "v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 ip4:52.100.0.0/15 ip4:52.102.0.0/16 "
	    "ip4:104.47.0.0/17 ip6:2a01:111:f400::/48 ip6:2a01:111:f403::/49 -all");
}

/* ---- parsing ---- */

Test(spf, is_spf)
{
	cr_assert(spf_is_spf("v=spf1 -all"));
	cr_assert(spf_is_spf("v=spf1"));
	cr_assert(spf_is_spf("V=SPF1 include:spf.protection.outlook.com -all"));
	cr_assert_not(spf_is_spf("v=spf10 -all"));
	cr_assert_not(spf_is_spf("v=spf1-all"));
	cr_assert_not(spf_is_spf("spf2.0/pra -all"));
	cr_assert_not(spf_is_spf(" v=spf1 -all"));
	cr_assert_not(spf_is_spf("MS=ms12345678"));
	cr_assert_not(spf_is_spf(""));
	cr_assert_not(spf_is_spf(NULL));
}

Test(spf, parse_microsoft)
{
	struct spf_record r;
	char err[200] = "x";

	cr_assert(spf_parse("v=spf1 include:spf.protection.outlook.com -all", &r, err, sizeof err));
	cr_assert_str_eq(err, "");
	cr_assert_eq(r.nterms, 2);
	cr_assert_eq(r.terms[0].kind, SPF_INCLUDE);
	cr_assert_eq(r.terms[0].qual, SPF_QUAL_PASS);
	cr_assert_str_eq(r.terms[0].text, "include:spf.protection.outlook.com");
	cr_assert_str_eq(r.terms[0].spec, "spf.protection.outlook.com");
	cr_assert_null(r.terms[0].name);
	cr_assert_not(r.terms[0].macro);
	cr_assert_eq(r.terms[1].kind, SPF_ALL);
	cr_assert_eq(r.terms[1].qual, SPF_QUAL_FAIL);
	cr_assert_str_eq(r.terms[1].text, "-all");
	cr_assert_null(r.terms[1].spec);
	cr_assert_eq(r.redirect, -1);
	cr_assert_eq(r.exp, -1);
	cr_assert(spf_includes(&r, "spf.protection.outlook.com"));
	cr_assert(spf_includes(&r, "SPF.Protection.Outlook.com."));
	cr_assert_not(spf_includes(&r, "protection.outlook.com"));
	cr_assert_eq(spf_all_qualifier(&r), SPF_QUAL_FAIL);
	cr_assert_not(spf_has_plus_all(&r));
	spf_record_free(&r);
	cr_assert_null(r.terms);
	cr_assert_eq(r.nterms, 0);
	spf_record_free(&r);	/* twice is fine */
	spf_record_free(NULL);
}

Test(spf, parse_cidr_and_networks)
{
	struct spf_record r;
	char err[200];

	cr_assert(spf_parse("v=spf1 a/24 a//64 a:mail.contoso.com/28//96 mx mx:contoso.com//48 "
	    "ip4:203.0.113.0/24 ip4:203.0.113.7 ip6:2001:db8::/32 ip6:2001:db8::25 ptr "
	    "ptr:contoso.com exists:%{i}.bl.contoso.com ~all", &r, err, sizeof err), "%s", err);
	cr_assert_eq(r.nterms, 13);
	cr_assert_eq(r.terms[0].kind, SPF_A);
	cr_assert_null(r.terms[0].spec);
	cr_assert_eq(r.terms[0].cidr4, 24);
	cr_assert_eq(r.terms[0].cidr6, -1);
	cr_assert_eq(r.terms[1].cidr4, -1);
	cr_assert_eq(r.terms[1].cidr6, 64);
	cr_assert_str_eq(r.terms[2].spec, "mail.contoso.com");
	cr_assert_eq(r.terms[2].cidr4, 28);
	cr_assert_eq(r.terms[2].cidr6, 96);
	cr_assert_eq(r.terms[3].kind, SPF_MX);
	cr_assert_eq(r.terms[3].cidr4, -1);
	cr_assert_str_eq(r.terms[4].spec, "contoso.com");
	cr_assert_eq(r.terms[4].cidr6, 48);
	cr_assert_eq(r.terms[5].kind, SPF_IP4);
	cr_assert_str_eq(r.terms[5].spec, "203.0.113.0");
	cr_assert_eq(r.terms[5].cidr4, 24);
	cr_assert_eq(memcmp(r.terms[5].net, "\xcb\x00\x71\x00", 4), 0);
	cr_assert_eq(r.terms[6].cidr4, -1);
	cr_assert_eq(r.terms[7].kind, SPF_IP6);
	cr_assert_str_eq(r.terms[7].spec, "2001:db8::");
	cr_assert_eq(r.terms[7].cidr6, 32);
	cr_assert_eq(memcmp(r.terms[7].net, "\x20\x01\x0d\xb8", 4), 0);
	cr_assert_eq(r.terms[8].cidr6, -1);
	cr_assert_eq(r.terms[9].kind, SPF_PTR);
	cr_assert_null(r.terms[9].spec);
	cr_assert_str_eq(r.terms[10].spec, "contoso.com");
	cr_assert_eq(r.terms[11].kind, SPF_EXISTS);
	cr_assert(r.terms[11].macro);
	cr_assert_eq(r.terms[12].qual, SPF_QUAL_SOFTFAIL);
	cr_assert_eq(spf_all_qualifier(&r), SPF_QUAL_SOFTFAIL);
	spf_record_free(&r);
}

Test(spf, parse_modifiers)
{
	struct spf_record r;
	char err[200];

	cr_assert(spf_parse("v=spf1 mx redirect=_spf.contoso.com exp=explain._spf.%{d} "
	    "moo=%{l}.cow x-tag=", &r, err, sizeof err), "%s", err);
	cr_assert_eq(r.nterms, 5);
	cr_assert_eq(r.redirect, 1);
	cr_assert_eq(r.exp, 2);
	cr_assert_eq(r.terms[1].kind, SPF_REDIRECT);
	cr_assert_eq(r.terms[1].qual, SPF_QUAL_NONE);
	cr_assert_str_eq(r.terms[1].name, "redirect");
	cr_assert_str_eq(r.terms[1].spec, "_spf.contoso.com");
	cr_assert_eq(r.terms[2].kind, SPF_EXP);
	cr_assert(r.terms[2].macro);
	cr_assert_eq(r.terms[3].kind, SPF_UNKNOWN_MOD);
	cr_assert_str_eq(r.terms[3].name, "moo");
	cr_assert_str_eq(r.terms[3].spec, "%{l}.cow");
	cr_assert_str_eq(r.terms[4].name, "x-tag");
	cr_assert_str_eq(r.terms[4].spec, "");
	cr_assert_eq(spf_all_qualifier(&r), SPF_QUAL_NONE);
	cr_assert_not(spf_has_plus_all(&r));
	spf_record_free(&r);
}

Test(spf, parse_case_insensitive)
{
	struct spf_record r;
	char err[200];

	cr_assert(spf_parse("V=SPF1 IP4:192.0.2.0/24 Include:SPF.Protection.Outlook.com MX:Contoso.COM "
	    "REDIRECT=_spf.contoso.com ~ALL", &r, err, sizeof err), "%s", err);
	cr_assert_eq(r.terms[0].kind, SPF_IP4);
	cr_assert_eq(r.terms[1].kind, SPF_INCLUDE);
	cr_assert_eq(r.terms[2].kind, SPF_MX);
	cr_assert_eq(r.terms[3].kind, SPF_REDIRECT);
	cr_assert_eq(r.redirect, 3);
	cr_assert_eq(r.terms[4].kind, SPF_ALL);
	cr_assert(spf_includes(&r, "spf.protection.outlook.com"));
	cr_assert_eq(spf_all_qualifier(&r), SPF_QUAL_SOFTFAIL);
	spf_record_free(&r);
}

Test(spf, parse_plus_all)
{
	struct spf_record r;
	char err[200];

	cr_assert(spf_parse("v=spf1 ip4:192.0.2.1 +all", &r, err, sizeof err));
	cr_assert_eq(spf_all_qualifier(&r), SPF_QUAL_PASS);
	cr_assert(spf_has_plus_all(&r));
	spf_record_free(&r);
	cr_assert(spf_parse("v=spf1 all", &r, err, sizeof err));
	cr_assert(spf_has_plus_all(&r));
	spf_record_free(&r);
	cr_assert(spf_parse("v=spf1 ?all", &r, err, sizeof err));
	cr_assert_eq(spf_all_qualifier(&r), SPF_QUAL_NEUTRAL);
	cr_assert_not(spf_has_plus_all(&r));
	spf_record_free(&r);
	/* an empty record and spaces are fine */
	cr_assert(spf_parse("v=spf1   ", &r, err, sizeof err));
	cr_assert_eq(r.nterms, 0);
	spf_record_free(&r);
}

/* Parsing in must fail with exactly this message, leaving nothing behind. */
static void parse_fails(const char *in, const char *want)
{
	struct spf_record r;
	char err[200] = "";

	cr_assert_not(spf_parse(in, &r, err, sizeof err), "'%s' parsed", in);
	cr_assert_str_eq(err, want, "'%s': got '%s'", in, err);
	cr_assert_null(r.terms);
	cr_assert_eq(r.nterms, 0);
	spf_record_free(&r);
}

Test(spf, syntax_errors)
{
	parse_fails("v=spf1 ip4:203.0.113.300", "invalid term \"ip4:203.0.113.300\"");
	parse_fails("v=spf1 ip4:203.0.113.0/33", "invalid term \"ip4:203.0.113.0/33\"");
	parse_fails("v=spf1 ip4:203.0.113.0/024", "invalid term \"ip4:203.0.113.0/024\"");
	parse_fails("v=spf1 ip4:203.0.113.0/", "invalid term \"ip4:203.0.113.0/\"");
	parse_fails("v=spf1 ip4:2001:db8::1", "invalid term \"ip4:2001:db8::1\"");
	parse_fails("v=spf1 ip6:2001:db8::/129", "invalid term \"ip6:2001:db8::/129\"");
	parse_fails("v=spf1 ip6", "invalid term \"ip6\"");
	parse_fails("v=spf1 include", "invalid term \"include\"");
	parse_fails("v=spf1 include:", "invalid term \"include:\"");
	parse_fails("v=spf1 include:localhost -all", "invalid term \"include:localhost\"");
	parse_fails("v=spf1 include:contoso.com/24", "invalid term \"include:contoso.com/24\"");
	parse_fails("v=spf1 a/33", "invalid CIDR length in term \"a/33\"");
	parse_fails("v=spf1 mx//129", "invalid CIDR length in term \"mx//129\"");
	parse_fails("v=spf1 a:1.2.3.4", "invalid term \"a:1.2.3.4\"");
	parse_fails("v=spf1 -all:x", "invalid term \"-all:x\"");
	parse_fails("v=spf1 ipv4:192.0.2.1 -all", "unknown mechanism in term \"ipv4:192.0.2.1\"");
	parse_fails("v=spf1 include:spf.protection.outlook.com, -all",
	    "invalid term \"include:spf.protection.outlook.com,\"");
	parse_fails("v=spf1 +redirect=contoso.com", "unknown mechanism in term \"+redirect=contoso.com\"");
	parse_fails("v=spf1 redirect=a.contoso.com redirect=b.contoso.com",
	    "more than one redirect= modifier (\"redirect=b.contoso.com\")");
	parse_fails("v=spf1 exp=a.contoso.com exp=b.contoso.com",
	    "more than one exp= modifier (\"exp=b.contoso.com\")");
	parse_fails("v=spf1 redirect=", "invalid value in modifier \"redirect=\"");
	parse_fails("v=spf1 exists:%{z}.contoso.com", "invalid term \"exists:%{z}.contoso.com\"");
	parse_fails("v=spf1 exists:%{d0}.contoso.com", "invalid term \"exists:%{d0}.contoso.com\"");
	parse_fails("v=spf1 exists:%{c}.contoso.com", "invalid term \"exists:%{c}.contoso.com\"");
	parse_fails("v=spf1 exists:%{d.contoso.com", "invalid term \"exists:%{d.contoso.com\"");
	parse_fails("v=spf1 a:50%.contoso.com", "invalid term \"a:50%.contoso.com\"");
	parse_fails("v=spf1 -all\t", "term 1 has an invalid character (0x09)");
	parse_fails("v=spf2 -all", "not an SPF record: it must start with \"v=spf1\"");
	parse_fails("spf1 -all", "not an SPF record: it must start with \"v=spf1\"");
	parse_fails(NULL, "no record");
}

Test(spf, parse_bounds)
{
	char *buf = malloc(SPF_RECORD_MAX + 64);
	struct spf_record r;
	char err[200];
	size_t o;

	cr_assert_not_null(buf);
	/* 64 terms: fine; 65: too many */
	o = (size_t)sprintf(buf, "v=spf1");
	for (int i = 0; i < SPF_TERMS_MAX; i++)
		o += (size_t)sprintf(buf + o, " ip4:192.0.2.%d", i);
	cr_assert(spf_parse(buf, &r, err, sizeof err), "%s", err);
	cr_assert_eq(r.nterms, SPF_TERMS_MAX);
	spf_record_free(&r);
	sprintf(buf + o, " -all");
	cr_assert_not(spf_parse(buf, &r, err, sizeof err));
	cr_assert_str_eq(err, "the record has more than 64 terms");

	/* 4096 bytes: fine; 4097: too long */
	memset(buf, ' ', SPF_RECORD_MAX + 1);
	memcpy(buf, "v=spf1", 6);
	memcpy(buf + SPF_RECORD_MAX - 4, "-all", 4);
	buf[SPF_RECORD_MAX] = '\0';
	cr_assert(spf_parse(buf, &r, err, sizeof err), "%s", err);
	cr_assert_eq(r.nterms, 1);
	spf_record_free(&r);
	buf[SPF_RECORD_MAX] = ' ';
	buf[SPF_RECORD_MAX + 1] = '\0';
	cr_assert_not(spf_parse(buf, &r, err, sizeof err));
	cr_assert_str_eq(err, "the record is longer than 4096 bytes");
	free(buf);
}

Test(spf, result_names)
{
	cr_assert_str_eq(spf_result_name(SPF_PASS), "pass");
	cr_assert_str_eq(spf_result_name(SPF_FAIL), "fail");
	cr_assert_str_eq(spf_result_name(SPF_SOFTFAIL), "softfail");
	cr_assert_str_eq(spf_result_name(SPF_NEUTRAL), "neutral");
	cr_assert_str_eq(spf_result_name(SPF_NONE), "none");
	cr_assert_str_eq(spf_result_name(SPF_PERMERROR), "permerror");
	cr_assert_str_eq(spf_result_name(SPF_TEMPERROR), "temperror");
	cr_assert_str_eq(spf_result_name(SPF_NEED), "need");
}

/* ---- evaluation ---- */

Test(spf_eval, microsoft_include_pass)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "MS=ms12345678", "v=spf1 include:spf.protection.outlook.com -all");
	add_eop(d);
	cr_assert_eq(run(d, "40.107.22.5", "contoso.com", &o), SPF_PASS);
	cr_assert_str_eq(o.matched, "include:spf.protection.outlook.com");
	cr_assert_str_eq(o.via, "ip4:40.107.0.0/16 in spf.protection.outlook.com");
	cr_assert_eq(o.lookups, 1);
	cr_assert_eq(o.void_lookups, 0);
	cr_assert_str_eq(o.error, "");
	cr_assert_str_eq(o.note, "");
	cr_assert_eq(d->fetches, 2);
	cr_assert_eq(d->passes, 3);
	free(d);
}

Test(spf_eval, microsoft_include_fail)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "v=spf1 include:spf.protection.outlook.com -all");
	add_eop(d);
	cr_assert_eq(run(d, "198.51.100.25", "contoso.com", &o), SPF_FAIL);
	cr_assert_str_eq(o.matched, "-all");
	cr_assert_str_eq(o.via, "");
	cr_assert_eq(o.lookups, 1);
	free(d);
}

Test(spf_eval, hybrid_onprem_ip)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "v=spf1 ip4:203.0.113.7 include:spf.protection.outlook.com -all");
	add_eop(d);
	/* the on-premises public IP matches before the include is ever fetched */
	cr_assert_eq(run(d, "203.0.113.7", "contoso.com", &o), SPF_PASS);
	cr_assert_str_eq(o.matched, "ip4:203.0.113.7");
	cr_assert_str_eq(o.via, "");
	cr_assert_eq(o.lookups, 0);
	cr_assert_eq(d->fetches, 1);
	free(d);

	/* Exchange Online's IPv6 range through the include */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 ip4:203.0.113.7 include:spf.protection.outlook.com -all");
	add_eop(d);
	cr_assert_eq(run(d, "2a01:111:f403:2c0a::1", "contoso.com", &o), SPF_PASS);
	cr_assert_str_eq(o.matched, "include:spf.protection.outlook.com");
	cr_assert_str_eq(o.via, "ip6:2a01:111:f403::/49 in spf.protection.outlook.com");
	cr_assert_eq(o.lookups, 1);
	free(d);

	/* the neighbour of the on-premises IP is not authorised */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 ip4:203.0.113.7 include:spf.protection.outlook.com -all");
	add_eop(d);
	cr_assert_eq(run(d, "203.0.113.8", "contoso.com", &o), SPF_FAIL);
	cr_assert_str_eq(o.matched, "-all");
	free(d);
}

Test(spf_eval, ipv4_mapped_client)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "v=spf1 ip4:203.0.113.0/24 -all");
	cr_assert_eq(run(d, "::ffff:203.0.113.9", "contoso.com", &o), SPF_PASS);
	cr_assert_str_eq(o.matched, "ip4:203.0.113.0/24");
	free(d);
}

Test(spf_eval, a_with_cidr)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "v=spf1 a/24 -all");
	A(d, "contoso.com", "198.51.100.10");
	cr_assert_eq(run(d, "198.51.100.200", "contoso.com", &o), SPF_PASS);
	cr_assert_str_eq(o.matched, "a/24");
	cr_assert_eq(o.lookups, 1);
	free(d);

	d = newdns();
	TXT(d, "contoso.com", "v=spf1 a/24 -all");
	A(d, "contoso.com", "198.51.100.10");
	cr_assert_eq(run(d, "198.51.101.10", "contoso.com", &o), SPF_FAIL);
	free(d);

	/* without a CIDR the address must be exact */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 a:mail.contoso.com -all");
	A(d, "mail.contoso.com", "198.51.100.10", "198.51.100.11");
	cr_assert_eq(run(d, "198.51.100.11", "contoso.com", &o), SPF_PASS);
	cr_assert_str_eq(o.matched, "a:mail.contoso.com");
	free(d);

	/* an IPv6 client asks AAAA and uses the //len */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 a:mail.contoso.com/24//64 -all");
	AAAA(d, "mail.contoso.com", "2001:db8:1:2::25");
	cr_assert_eq(run(d, "2001:db8:1:2:abcd::1", "contoso.com", &o), SPF_PASS);
	cr_assert_eq(d->known[1].type, SPF_T_AAAA);
	free(d);

	d = newdns();
	TXT(d, "contoso.com", "v=spf1 a:mail.contoso.com/24//64 -all");
	AAAA(d, "mail.contoso.com", "2001:db8:1:2::25");
	cr_assert_eq(run(d, "2001:db8:1:3::1", "contoso.com", &o), SPF_FAIL);
	free(d);
}

Test(spf_eval, mx_with_cidr)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "v=spf1 mx/28 -all");
	MX(d, "contoso.com", "mx1.contoso.com", "mx2.contoso.com.");
	A(d, "mx1.contoso.com", "192.0.2.1");
	A(d, "mx2.contoso.com", "198.51.100.17");
	cr_assert_eq(run(d, "198.51.100.30", "contoso.com", &o), SPF_PASS);
	cr_assert_str_eq(o.matched, "mx/28");
	cr_assert_eq(o.lookups, 1);
	cr_assert_eq(d->fetches, 4);
	free(d);

	d = newdns();
	TXT(d, "contoso.com", "v=spf1 mx:contoso.com//64 -all");
	MX(d, "contoso.com", "mx1.contoso.com");
	AAAA(d, "mx1.contoso.com", "2001:db8:25::1");
	cr_assert_eq(run(d, "2001:db8:25::ffff", "contoso.com", &o), SPF_PASS);
	free(d);

	/* an MX host without addresses just does not match */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 mx ~all");
	MX(d, "contoso.com", "gone.contoso.com", "mx.contoso.com");
	A(d, "mx.contoso.com", "192.0.2.25");
	cr_assert_eq(run(d, "192.0.2.26", "contoso.com", &o), SPF_SOFTFAIL);
	cr_assert_eq(o.void_lookups, 0);
	free(d);
}

Test(spf_eval, mx_more_than_ten_names)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "v=spf1 mx -all");
	MX(d, "contoso.com", "m1.contoso.com", "m2.contoso.com", "m3.contoso.com", "m4.contoso.com",
	    "m5.contoso.com", "m6.contoso.com", "m7.contoso.com", "m8.contoso.com", "m9.contoso.com",
	    "m10.contoso.com", "m11.contoso.com");
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_PERMERROR);
	cr_assert_str_eq(o.error,
	    "\"mx\" in contoso.com: contoso.com has 11 MX records, more than the 10 an SPF check may look up");
	free(d);
}

Test(spf_eval, most_lookups_one_evaluation_asks)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;
	static char hosts[10][10][24];
	static char mxname[10][24];
	char rec[400];
	size_t off;

	/* ten mx mechanisms, each naming ten hosts with addresses: 111 fetches */
	off = (size_t)snprintf(rec, sizeof rec, "v=spf1");
	for (int m = 0; m < 10; m++) {
		snprintf(mxname[m], sizeof mxname[m], "m%d.example.com", m);
		off += (size_t)snprintf(rec + off, sizeof rec - off, " mx:%s", mxname[m]);
		for (int h = 0; h < 10; h++) {
			snprintf(hosts[m][h], sizeof hosts[m][h], "h%d-%d.example.com", m, h);
			A(d, hosts[m][h], "198.51.100.1");
		}
		MX(d, mxname[m], hosts[m][0], hosts[m][1], hosts[m][2], hosts[m][3], hosts[m][4],
		    hosts[m][5], hosts[m][6], hosts[m][7], hosts[m][8], hosts[m][9]);
	}
	snprintf(rec + off, sizeof rec - off, " -all");
	TXT(d, "contoso.com", rec);
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_FAIL);
	cr_assert_eq(o.lookups, 10);
	cr_assert_eq(d->fetches, SPF_ASKS_MAX);
	cr_assert_eq(d->fetches, 111);
	cr_assert_eq(d->max_calls, SPF_ASKS_MAX);
	free(d);
}

Test(spf_eval, ip6)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "v=spf1 ip6:2001:db8::/32 ip4:192.0.2.0/24 -all");
	cr_assert_eq(run(d, "2001:db8:ffff::1", "contoso.com", &o), SPF_PASS);
	cr_assert_str_eq(o.matched, "ip6:2001:db8::/32");
	free(d);

	d = newdns();
	TXT(d, "contoso.com", "v=spf1 ip6:2001:db8::/32 ip4:192.0.2.0/24 -all");
	cr_assert_eq(run(d, "2001:db9::1", "contoso.com", &o), SPF_FAIL);
	free(d);

	/* an IPv4 client never matches ip6, even 0-length */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 ip6:::/0 -all");
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_FAIL);
	free(d);

	/* a /0 matches every IPv4 client */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 ip4:0.0.0.0/0 -all");
	cr_assert_eq(run(d, "198.51.100.1", "contoso.com", &o), SPF_PASS);
	free(d);
}

Test(spf_eval, redirect)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "v=spf1 redirect=_spf.contoso.com");
	TXT(d, "_spf.contoso.com", "v=spf1 ip4:192.0.2.0/24 ~all");
	cr_assert_eq(run(d, "192.0.2.5", "contoso.com", &o), SPF_PASS);
	cr_assert_str_eq(o.matched, "redirect=_spf.contoso.com");
	cr_assert_str_eq(o.via, "ip4:192.0.2.0/24 in _spf.contoso.com");
	cr_assert_eq(o.lookups, 1);
	free(d);

	d = newdns();
	TXT(d, "contoso.com", "v=spf1 redirect=_spf.contoso.com");
	TXT(d, "_spf.contoso.com", "v=spf1 ip4:192.0.2.0/24 ~all");
	cr_assert_eq(run(d, "198.51.100.5", "contoso.com", &o), SPF_SOFTFAIL);
	cr_assert_str_eq(o.matched, "redirect=_spf.contoso.com");
	cr_assert_str_eq(o.via, "~all in _spf.contoso.com");
	free(d);

	/* a matching mechanism wins; the redirect is never followed */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 ip4:198.51.100.5 redirect=_spf.contoso.com");
	cr_assert_eq(run(d, "198.51.100.5", "contoso.com", &o), SPF_PASS);
	cr_assert_str_eq(o.matched, "ip4:198.51.100.5");
	cr_assert_eq(o.lookups, 0);
	cr_assert_eq(d->fetches, 1);
	free(d);

	/* all always matches, so redirect after it is ignored */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 -all redirect=_spf.contoso.com");
	cr_assert_eq(run(d, "192.0.2.5", "contoso.com", &o), SPF_FAIL);
	cr_assert_eq(d->fetches, 1);
	free(d);

	/* redirect to a domain without SPF */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 redirect=_spf.contoso.com");
	cr_assert_eq(run(d, "192.0.2.5", "contoso.com", &o), SPF_PERMERROR);
	cr_assert_str_eq(o.error,
	    "\"redirect=_spf.contoso.com\" in contoso.com: _spf.contoso.com has no SPF record");
	cr_assert_str_eq(o.matched, "");
	free(d);
}

Test(spf_eval, softfail_neutral_and_qualifiers)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "v=spf1 ip4:192.0.2.1 ~all");
	cr_assert_eq(run(d, "192.0.2.2", "contoso.com", &o), SPF_SOFTFAIL);
	cr_assert_str_eq(o.matched, "~all");
	free(d);

	d = newdns();
	TXT(d, "contoso.com", "v=spf1 ip4:192.0.2.1 ?all");
	cr_assert_eq(run(d, "192.0.2.2", "contoso.com", &o), SPF_NEUTRAL);
	cr_assert_str_eq(o.matched, "?all");
	free(d);

	d = newdns();
	TXT(d, "contoso.com", "v=spf1 ?ip4:192.0.2.1 -ip4:192.0.2.2 ~ip4:192.0.2.3 +ip4:192.0.2.4 -all");
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_NEUTRAL);
	cr_assert_str_eq(o.matched, "?ip4:192.0.2.1");
	free(d);
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 ?ip4:192.0.2.1 -ip4:192.0.2.2 ~ip4:192.0.2.3 +ip4:192.0.2.4 -all");
	cr_assert_eq(run(d, "192.0.2.2", "contoso.com", &o), SPF_FAIL);
	cr_assert_str_eq(o.matched, "-ip4:192.0.2.2");
	free(d);
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 ?ip4:192.0.2.1 -ip4:192.0.2.2 ~ip4:192.0.2.3 +ip4:192.0.2.4 -all");
	cr_assert_eq(run(d, "192.0.2.3", "contoso.com", &o), SPF_SOFTFAIL);
	free(d);
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 ?ip4:192.0.2.1 -ip4:192.0.2.2 ~ip4:192.0.2.3 +ip4:192.0.2.4 -all");
	cr_assert_eq(run(d, "192.0.2.4", "contoso.com", &o), SPF_PASS);
	cr_assert_str_eq(o.matched, "+ip4:192.0.2.4");
	free(d);
}

Test(spf_eval, include_result_mapping)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	/* the included record failing is "no match", evaluation goes on */
	TXT(d, "contoso.com", "v=spf1 include:a.example.com include:b.example.com ~all");
	TXT(d, "a.example.com", "v=spf1 ip4:192.0.2.0/24 -all");
	TXT(d, "b.example.com", "v=spf1 ip4:198.51.100.0/24 ?all");
	cr_assert_eq(run(d, "203.0.113.1", "contoso.com", &o), SPF_SOFTFAIL);
	cr_assert_str_eq(o.matched, "~all");
	cr_assert_str_eq(o.via, "");
	cr_assert_eq(o.lookups, 2);
	free(d);

	/* a -include passing gives fail */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 -include:a.example.com +all");
	TXT(d, "a.example.com", "v=spf1 ip4:192.0.2.0/24 -all");
	cr_assert_eq(run(d, "192.0.2.9", "contoso.com", &o), SPF_FAIL);
	cr_assert_str_eq(o.matched, "-include:a.example.com");
	cr_assert_str_eq(o.via, "ip4:192.0.2.0/24 in a.example.com");
	free(d);
}

Test(spf_eval, plus_all_and_no_all)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "v=spf1 ip4:192.0.2.1 +all");
	cr_assert_eq(run(d, "198.51.100.77", "contoso.com", &o), SPF_PASS);
	cr_assert_str_eq(o.matched, "+all");
	free(d);

	d = newdns();
	TXT(d, "contoso.com", "v=spf1 ip4:192.0.2.1");
	cr_assert_eq(run(d, "198.51.100.77", "contoso.com", &o), SPF_NEUTRAL);
	cr_assert_str_eq(o.matched, "");
	cr_assert_str_eq(o.error, "");
	free(d);
}

Test(spf_eval, case_insensitive)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "V=SPF1 INCLUDE:SPF.Protection.Outlook.COM -ALL");
	add_eop(d);
	cr_assert_eq(run(d, "52.100.1.1", "Contoso.COM.", &o), SPF_PASS);
	cr_assert_str_eq(o.matched, "INCLUDE:SPF.Protection.Outlook.COM");
	/* names are asked in lowercase without the trailing dot */
	cr_assert_str_eq(d->known[0].name, "contoso.com");
	cr_assert_str_eq(d->known[1].name, "spf.protection.outlook.com");
	free(d);
}

/* A chain of includes l0 -> l1 -> ... -> l<depth>, the last authorising 192.0.2.1. */
static struct fakedns *chain(int depth, char names[][32], char recs[][96])
{
	struct fakedns *d = newdns();

	for (int i = 0; i <= depth; i++) {
		snprintf(names[i], 32, "l%d.example.com", i);
		if (i < depth)
			snprintf(recs[i], 96, "v=spf1 include:l%d.example.com -all", i + 1);
		else
			snprintf(recs[i], 96, "v=spf1 ip4:192.0.2.1 -all");
		TXT(d, names[i], recs[i]);
	}
	return d;
}

Test(spf_eval, ten_nested_includes_is_the_limit)
{
	char names[16][32], recs[16][96];
	struct fakedns *d = chain(10, names, recs);
	struct spf_outcome o;

	cr_assert_eq(run(d, "192.0.2.1", "l0.example.com", &o), SPF_PASS);
	cr_assert_eq(o.lookups, 10);
	cr_assert_str_eq(o.matched, "include:l1.example.com");
	cr_assert_str_eq(o.via, "ip4:192.0.2.1 in l10.example.com");
	free(d);
}

Test(spf_eval, eleven_nested_includes_permerror)
{
	char names[16][32], recs[16][96];
	struct fakedns *d = chain(11, names, recs);
	struct spf_outcome o;

	cr_assert_eq(run(d, "192.0.2.1", "l0.example.com", &o), SPF_PERMERROR);
	cr_assert_eq(o.lookups, 11);
	cr_assert_str_eq(o.error,
	    "too many DNS lookups: \"include:l11.example.com\" in l10.example.com is number 11, the limit is 10");
	cr_assert_str_eq(o.matched, "");
	cr_assert_str_eq(o.via, "");
	/* l11 was never fetched */
	cr_assert_eq(d->fetches, 11);
	free(d);
}

Test(spf_eval, lookup_limit_counts_every_kind)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	/* include a mx exists ptr redirect all count: 1 + 2 (+1 inside) + ... */
	TXT(d, "contoso.com", "v=spf1 a mx include:i.example.com exists:e.example.com ptr "
	    "a:a1.example.com a:a2.example.com mx:m.example.com redirect=r.example.com");
	A(d, "contoso.com", "192.0.2.10");
	MX(d, "contoso.com", "mx.contoso.com");
	A(d, "mx.contoso.com", "192.0.2.11");
	TXT(d, "i.example.com", "v=spf1 a:x.example.com ?all");
	A(d, "x.example.com", "192.0.2.12");
	NODATA(d, "e.example.com", SPF_T_A);
	A(d, "a1.example.com", "192.0.2.13");
	A(d, "a2.example.com", "192.0.2.14");
	MX(d, "m.example.com", "mx.contoso.com");
	TXT(d, "r.example.com", "v=spf1 ip4:198.51.100.1 -all");
	/* a mx include a(inside) exists ptr a a mx redirect = 10 */
	cr_assert_eq(run(d, "198.51.100.1", "contoso.com", &o), SPF_PASS);
	cr_assert_eq(o.lookups, 10);
	cr_assert_eq(o.void_lookups, 1);
	cr_assert_str_eq(o.matched, "redirect=r.example.com");
	cr_assert_str_eq(o.note,
	    "\"ptr\" in contoso.com not evaluated: ptr is deprecated (RFC 7208 5.5) and counted as not matching");
	free(d);

	/* one more a: the redirect is the 11th */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 a mx include:i.example.com exists:e.example.com ptr "
	    "a:a1.example.com a:a2.example.com a:a1.example.com mx:m.example.com redirect=r.example.com");
	A(d, "contoso.com", "192.0.2.10");
	MX(d, "contoso.com", "mx.contoso.com");
	A(d, "mx.contoso.com", "192.0.2.11");
	TXT(d, "i.example.com", "v=spf1 a:x.example.com ?all");
	A(d, "x.example.com", "192.0.2.12");
	NODATA(d, "e.example.com", SPF_T_A);
	A(d, "a1.example.com", "192.0.2.13");
	A(d, "a2.example.com", "192.0.2.14");
	MX(d, "m.example.com", "mx.contoso.com");
	TXT(d, "r.example.com", "v=spf1 ip4:198.51.100.1 -all");
	cr_assert_eq(run(d, "198.51.100.1", "contoso.com", &o), SPF_PERMERROR);
	cr_assert_eq(o.lookups, 11);
	cr_assert_str_eq(o.error,
	    "too many DNS lookups: \"redirect=r.example.com\" in contoso.com is number 11, the limit is 10");
	free(d);
}

Test(spf_eval, include_loop_stops)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "a.example.com", "v=spf1 include:b.example.com -all");
	TXT(d, "b.example.com", "v=spf1 include:a.example.com -all");
	cr_assert_eq(run(d, "192.0.2.1", "a.example.com", &o), SPF_PERMERROR);
	cr_assert_eq(o.lookups, 11);
	cr_assert_eq(d->fetches, 2);
	free(d);
}

Test(spf_eval, void_lookups)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	/* NXDOMAIN and NODATA: two are allowed */
	TXT(d, "contoso.com", "v=spf1 a:gone.example.com mx:nomx.example.com ip4:192.0.2.1 -all");
	NODATA(d, "nomx.example.com", SPF_T_MX);
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_PASS);
	cr_assert_eq(o.void_lookups, 2);
	cr_assert_eq(o.lookups, 2);
	cr_assert_str_eq(o.matched, "ip4:192.0.2.1");
	free(d);

	/* the third is a permerror */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 a:gone.example.com mx:nomx.example.com exists:%{i}.nx.example.com "
	    "ip4:192.0.2.1 -all");
	NODATA(d, "nomx.example.com", SPF_T_MX);
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_PERMERROR);
	cr_assert_eq(o.void_lookups, 3);
	cr_assert_str_eq(o.error, "too many void lookups: \"exists:%{i}.nx.example.com\" "
	    "(192.0.2.1.nx.example.com) is number 3 without an answer, the limit is 2");
	free(d);

	/* lookups that answer are not void */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 a:h1.example.com a:h2.example.com a:h3.example.com -all");
	A(d, "h1.example.com", "198.51.100.1");
	A(d, "h2.example.com", "198.51.100.2");
	A(d, "h3.example.com", "198.51.100.3");
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_FAIL);
	cr_assert_eq(o.void_lookups, 0);
	free(d);
}

Test(spf_eval, include_without_spf)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "v=spf1 include:nospf.example.com -all");
	TXT(d, "nospf.example.com", "google-site-verification=abc");
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_PERMERROR);
	cr_assert_str_eq(o.error,
	    "\"include:nospf.example.com\" in contoso.com: nospf.example.com has no SPF record");
	free(d);

	/* NXDOMAIN: the same */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 include:spf.protection.outlok.com -all");
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_PERMERROR);
	cr_assert_str_eq(o.error, "\"include:spf.protection.outlok.com\" in contoso.com: "
	    "spf.protection.outlok.com has no SPF record");
	free(d);
}

Test(spf_eval, no_record_and_multiple_records)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_NONE);
	cr_assert_str_eq(o.error, "no SPF record at contoso.com");
	cr_assert_eq(o.lookups, 0);
	free(d);

	d = newdns();
	TXT(d, "contoso.com", "MS=ms12345678", "v=spf10 -all");
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_NONE);
	free(d);

	d = newdns();
	TXT(d, "contoso.com", "v=spf1 include:spf.protection.outlook.com -all", "v=spf1 ip4:203.0.113.7 -all");
	cr_assert_eq(run(d, "203.0.113.7", "contoso.com", &o), SPF_PERMERROR);
	cr_assert_str_eq(o.error, "contoso.com has 2 SPF records; RFC 7208 allows one");
	free(d);

	/* not a domain at all */
	d = newdns();
	cr_assert_eq(run(d, "192.0.2.1", "localhost", &o), SPF_NONE);
	cr_assert_eq(d->fetches, 0);
	free(d);
}

Test(spf_eval, syntax_error_in_record)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "v=spf1 ip4:203.0.113.7 include:spf.protection.outlook.com ~all");
	TXT(d, "spf.protection.outlook.com", "v=spf1 ip4:40.92.0.0/15 ip4:999.1.1.1 -all");
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_PERMERROR);
	cr_assert_str_eq(o.error,
	    "SPF record of spf.protection.outlook.com: invalid term \"ip4:999.1.1.1\"");
	free(d);
}

Test(spf_eval, temperror)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TEMPFAIL(d, "contoso.com", SPF_T_TXT);
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_TEMPERROR);
	cr_assert_str_eq(o.error, "DNS error looking up TXT contoso.com");
	free(d);

	d = newdns();
	TXT(d, "contoso.com", "v=spf1 include:spf.protection.outlook.com -all");
	TEMPFAIL(d, "spf.protection.outlook.com", SPF_T_TXT);
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_TEMPERROR);
	cr_assert_str_eq(o.error, "DNS error looking up TXT spf.protection.outlook.com");
	cr_assert_str_eq(o.matched, "");
	free(d);

	d = newdns();
	TXT(d, "contoso.com", "v=spf1 mx -all");
	MX(d, "contoso.com", "mx.contoso.com");
	TEMPFAIL(d, "mx.contoso.com", SPF_T_A);
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_TEMPERROR);
	cr_assert_str_eq(o.error, "DNS error looking up A mx.contoso.com");
	free(d);
}

Test(spf_eval, ptr_is_not_evaluated)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "v=spf1 ptr:contoso.com ~all");
	cr_assert_eq(run(d, "192.0.2.1", "contoso.com", &o), SPF_SOFTFAIL);
	cr_assert_eq(o.lookups, 1);
	cr_assert_eq(d->fetches, 1);
	cr_assert_str_eq(o.note, "\"ptr:contoso.com\" in contoso.com not evaluated: ptr is deprecated "
	    "(RFC 7208 5.5) and counted as not matching");
	free(d);
}

Test(spf_eval, exists)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;

	TXT(d, "contoso.com", "v=spf1 exists:%{i}._spf.%{d} -all");
	A(d, "192.0.2.3._spf.contoso.com", "127.0.0.2");
	cr_assert_eq(run(d, "192.0.2.3", "contoso.com", &o), SPF_PASS);
	cr_assert_str_eq(o.matched, "exists:%{i}._spf.%{d}");
	free(d);

	/* exists asks A even for an IPv6 client */
	d = newdns();
	TXT(d, "contoso.com", "v=spf1 exists:%{ir}.%{v}._spf.%{d} -all");
	A(d, "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.contoso.com",
	    "127.0.0.2");
	cr_assert_eq(run(d, "2001:db8::cb01", "contoso.com", &o), SPF_PASS);
	cr_assert_eq(d->known[1].type, SPF_T_A);
	free(d);
}

/* The name %{...} spec asks for, per RFC 7208 7.4 (sender strong-bad@email.example.com). */
static void expands_to(const char *ip, const char *spec, const char *want)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;
	struct spf_ctx ctx = {
		.ip = ip, .domain = "email.example.com", .sender = "strong-bad@email.example.com",
		.helo = "mx.contoso.com", .lookup = fake_lookup, .arg = d, .out = &o,
	};
	char rec[256], name[SPF_NAME_MAX + 1];
	uint16_t type;

	snprintf(rec, sizeof rec, "v=spf1 exists:%s -all", spec);
	TXT(d, "email.example.com", rec);
	cr_assert_eq(spf_eval(&ctx, name, sizeof name, &type), SPF_NEED);
	cr_assert_str_eq(name, "email.example.com");
	cr_assert_eq(type, SPF_T_TXT);
	fetch(d, name, type);
	cr_assert_eq(spf_eval(&ctx, name, sizeof name, &type), SPF_NEED, "%s: %s", spec, o.error);
	cr_assert_eq(type, SPF_T_A);
	cr_assert_str_eq(name, want, "%s expands to %s, not %s", spec, name, want);
	free(d);
}

Test(spf_eval, macros_rfc_examples)
{
	const char *ip = "192.0.2.3";

	expands_to(ip, "%{s}", "strong-bad@email.example.com");
	expands_to(ip, "%{o}", "email.example.com");
	expands_to(ip, "%{d}", "email.example.com");
	expands_to(ip, "%{d4}", "email.example.com");
	expands_to(ip, "%{d3}", "email.example.com");
	expands_to(ip, "%{d2}", "example.com");
	expands_to(ip, "%{d1}", "com");
	expands_to(ip, "%{dr}", "com.example.email");
	expands_to(ip, "%{d2r}", "example.email");
	expands_to(ip, "%{l}", "strong-bad");
	expands_to(ip, "%{l-}", "strong.bad");
	expands_to(ip, "%{lr}", "strong-bad");
	expands_to(ip, "%{lr-}", "bad.strong");
	expands_to(ip, "%{l1r-}", "strong");
	expands_to(ip, "%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com");
	expands_to(ip, "%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com");
	expands_to(ip, "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}",
	    "bad.strong.lp.3.2.0.192.in-addr._spf.example.com");
	expands_to(ip, "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}",
	    "3.2.0.192.in-addr.strong.lp._spf.example.com");
	expands_to(ip, "%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net");
	expands_to("2001:db8::cb01", "%{ir}.%{v}._spf.%{d2}",
	    "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
	expands_to("2001:db8::cb01", "%{i}.x.example.com",
	    "2.0.0.1.0.d.b.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.c.b.0.1.x.example.com");
}

Test(spf_eval, macros_more)
{
	const char *ip = "192.0.2.3";

	expands_to(ip, "%{h}.helo.example.com", "mx.contoso.com.helo.example.com");
	expands_to(ip, "%{p}.example.com", "unknown.example.com");
	expands_to(ip, "%{i2}.example.com", "2.3.example.com");
	expands_to(ip, "%{S}.example.com", "strong-bad%40email.example.com.example.com");
	expands_to(ip, "%{l}%%x.example.com", "strong-bad%x.example.com");
	expands_to(ip, "%{l}%-x.example.com", "strong-bad%20x.example.com");
	expands_to(ip, "%{d99}.example.com", "email.example.com.example.com");
	expands_to(ip, "%{l+-}.example.com", "strong.bad.example.com");
	/* upper-case letter in the spec, lower-case name asked */
	expands_to(ip, "%{D}.X.Example.COM", "email.example.com.x.example.com");
}

Test(spf_eval, macro_default_sender_and_truncation)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;
	struct spf_ctx ctx = {
		.ip = "192.0.2.3", .domain = "contoso.com",
		.lookup = fake_lookup, .arg = d, .out = &o,
	};
	char name[SPF_NAME_MAX + 1], want[300], label[64];
	uint16_t type;

	/* no sender: postmaster@domain */
	TXT(d, "contoso.com", "v=spf1 exists:%{l}.%{o}.x.example.com -all");
	cr_assert_eq(spf_eval(&ctx, name, sizeof name, &type), SPF_NEED);
	fetch(d, name, type);
	cr_assert_eq(spf_eval(&ctx, name, sizeof name, &type), SPF_NEED);
	cr_assert_str_eq(name, "postmaster.contoso.com.x.example.com");
	free(d);

	/* over 253 characters: labels are dropped from the left */
	d = newdns();
	memset(label, 'a', 63);
	label[63] = '\0';
	snprintf(want, sizeof want, "%s@contoso.com", label);
	ctx.arg = d;
	ctx.sender = want;
	TXT(d, "contoso.com", "v=spf1 exists:%{l}.%{l}.%{l}.%{l}.%{d} -all");
	cr_assert_eq(spf_eval(&ctx, name, sizeof name, &type), SPF_NEED);
	fetch(d, name, type);
	cr_assert_eq(spf_eval(&ctx, name, sizeof name, &type), SPF_NEED);
	snprintf(want, sizeof want, "%s.%s.%s.contoso.com", label, label, label);
	cr_assert_str_eq(name, want);
	cr_assert_eq(strlen(name), 203);
	free(d);
}

Test(spf_eval, bad_arguments)
{
	struct fakedns *d = newdns();
	struct spf_outcome o;
	struct spf_ctx ctx = {
		.ip = "not-an-ip", .domain = "contoso.com",
		.lookup = fake_lookup, .arg = d, .out = &o,
	};
	char name[SPF_NAME_MAX + 1], small[16];
	uint16_t type = 99;

	cr_assert_eq(spf_eval(&ctx, name, sizeof name, &type), SPF_PERMERROR);
	cr_assert_str_eq(o.error, "client IP \"not-an-ip\" is not an address");
	cr_assert_eq(type, 0);
	ctx.ip = "192.0.2.1";
	cr_assert_eq(spf_eval(&ctx, small, sizeof small, &type), SPF_PERMERROR);
	cr_assert_str_eq(o.error, "spf_eval: invalid arguments");
	/* without an outcome struct it still answers */
	ctx.out = NULL;
	cr_assert_eq(spf_eval(&ctx, name, sizeof name, &type), SPF_NEED);
	cr_assert_str_eq(name, "contoso.com");
	cr_assert_eq(type, SPF_T_TXT);
	free(d);
}

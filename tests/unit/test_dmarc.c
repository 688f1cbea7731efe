/* Unit tests: the DMARC record parser (RFC 7489). */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc.h"

Test(dmarc, full_record)
{
	struct dmarc_record r;
	char err[200] = "x";

	cr_assert(dmarc_parse("v=DMARC1; p=reject; sp=quarantine; pct=50; "
	    "rua=mailto:dmarc@contoso.com, mailto:d@rua.example.net!10m; ruf=mailto:forensic@contoso.com; "
	    "adkim=s; aspf=r; fo=1:d; ri=3600; rf=afrf", &r, err, sizeof err), "%s", err);
	cr_assert_str_eq(err, "");
	cr_assert_eq(r.p, DMARC_POLICY_REJECT);
	cr_assert_eq(r.sp, DMARC_POLICY_QUARANTINE);
	cr_assert_eq(r.pct, 50);
	cr_assert(r.pct_set);
	cr_assert_eq(r.nrua, 2);
	cr_assert_str_eq(r.rua[0], "mailto:dmarc@contoso.com");
	cr_assert_str_eq(r.rua[1], "mailto:d@rua.example.net!10m");
	cr_assert_eq(r.nruf, 1);
	cr_assert_str_eq(r.ruf[0], "mailto:forensic@contoso.com");
	cr_assert_eq(r.adkim, DMARC_ALIGN_STRICT);
	cr_assert_eq(r.aspf, DMARC_ALIGN_RELAXED);
	cr_assert_str_eq(r.fo, "1:d");
	cr_assert_eq(r.ri, 3600);
	cr_assert_str_eq(r.rf, "afrf");
	cr_assert_eq(r.nunknown, 0);
	dmarc_record_free(&r);
	cr_assert_null(r.rua);
	cr_assert_eq(r.nrua, 0);
	cr_assert_null(r.fo);
	dmarc_record_free(&r);
	dmarc_record_free(NULL);
}

Test(dmarc, minimal_defaults)
{
	struct dmarc_record r;
	char err[200];

	cr_assert(dmarc_parse("v=DMARC1; p=none", &r, err, sizeof err), "%s", err);
	cr_assert_eq(r.p, DMARC_POLICY_NONE);
	cr_assert_eq(r.sp, DMARC_POLICY_UNSET);
	cr_assert_eq(r.pct, 100);
	cr_assert_not(r.pct_set);
	cr_assert_eq(r.nrua, 0);
	cr_assert_null(r.rua);
	cr_assert_eq(r.nruf, 0);
	cr_assert_eq(r.adkim, DMARC_ALIGN_RELAXED);
	cr_assert_eq(r.aspf, DMARC_ALIGN_RELAXED);
	cr_assert_null(r.fo);
	cr_assert_null(r.rf);
	cr_assert_eq(r.ri, 86400);
	dmarc_record_free(&r);
}

Test(dmarc, spacing_case_and_trailing_semicolon)
{
	struct dmarc_record r;
	char err[200];

	cr_assert(dmarc_parse("v = DMARC1 ;\tP = Quarantine ; pct=0;ADKIM=S;; ", &r, err, sizeof err),
	    "%s", err);
	cr_assert_eq(r.p, DMARC_POLICY_QUARANTINE);
	cr_assert_eq(r.pct, 0);
	cr_assert_eq(r.adkim, DMARC_ALIGN_STRICT);
	dmarc_record_free(&r);
}

Test(dmarc, unknown_tags_kept)
{
	struct dmarc_record r;
	char err[200];

	cr_assert(dmarc_parse("v=DMARC1; p=reject; np=reject; psd=n; t=y", &r, err, sizeof err), "%s",
	    err);
	cr_assert_eq(r.nunknown, 3);
	cr_assert_str_eq(r.unknown[0].name, "np");
	cr_assert_str_eq(r.unknown[0].value, "reject");
	cr_assert_str_eq(r.unknown[1].name, "psd");
	cr_assert_str_eq(r.unknown[1].value, "n");
	cr_assert_str_eq(r.unknown[2].name, "t");
	cr_assert_str_eq(r.unknown[2].value, "y");
	dmarc_record_free(&r);
	cr_assert_null(r.unknown);
	cr_assert_eq(r.nunknown, 0);
}

/* in must fail with exactly this message, leaving nothing to free. */
static void parse_fails(const char *in, const char *want)
{
	struct dmarc_record r;
	char err[200] = "";

	cr_assert_not(dmarc_parse(in, &r, err, sizeof err), "'%s' parsed", in);
	cr_assert_str_eq(err, want, "'%s': got '%s'", in, err);
	cr_assert_null(r.rua);
	cr_assert_null(r.ruf);
	cr_assert_null(r.unknown);
	cr_assert_null(r.fo);
	cr_assert_eq(r.p, DMARC_POLICY_UNSET);
	dmarc_record_free(&r);
}

Test(dmarc, errors)
{
	parse_fails("v=DMARC1; rua=mailto:dmarc@contoso.com",
	    "no p= tag: a DMARC record must say its policy (none, quarantine or reject)");
	parse_fails("v=DMARC1", "no p= tag: a DMARC record must say its policy (none, quarantine or reject)");
	parse_fails("v=DMARC1; p=block", "invalid p=block (must be none, quarantine or reject)");
	parse_fails("v=DMARC1; p=", "invalid p= (must be none, quarantine or reject)");
	parse_fails("v=DMARC1; p=none; sp=deny", "invalid sp=deny (must be none, quarantine or reject)");
	parse_fails("v=DMARC1; p=none; pct=101", "invalid pct=101 (must be 0 to 100)");
	parse_fails("v=DMARC1; p=none; pct=-1", "invalid pct=-1 (must be 0 to 100)");
	parse_fails("v=DMARC1; p=none; pct=5o", "invalid pct=5o (must be 0 to 100)");
	parse_fails("v=DMARC1; p=none; pct=", "invalid pct= (must be 0 to 100)");
	parse_fails("p=none; v=DMARC1", "not a DMARC record: it must start with v=DMARC1");
	parse_fails("v=dmarc1; p=none", "not a DMARC record: it must start with v=DMARC1");
	parse_fails("v=DMARC2; p=none", "not a DMARC record: it must start with v=DMARC1");
	parse_fails("v=spf1 -all", "not a DMARC record: it must start with v=DMARC1");
	parse_fails("", "not a DMARC record: it must start with v=DMARC1");
	parse_fails("v=DMARC1; p=none; v=DMARC1", "v= must be the first tag and appear once");
	parse_fails("v=DMARC1; p=none; p=reject", "p= appears more than once");
	parse_fails("v=DMARC1; p=none; adkim=x", "invalid adkim=x (must be r or s)");
	parse_fails("v=DMARC1; p=none; aspf=strict", "invalid aspf=strict (must be r or s)");
	parse_fails("v=DMARC1; p=none; fo=2", "invalid fo=2 (must be 0, 1, d or s, joined by ':')");
	parse_fails("v=DMARC1; p=none; fo=1:", "invalid fo=1: (must be 0, 1, d or s, joined by ':')");
	parse_fails("v=DMARC1; p=none; ri=1d", "invalid ri= (must be a number of seconds)");
	parse_fails("v=DMARC1; p=none; rua=mailto:a@contoso.com,", "rua= has an empty URI");
	parse_fails("v=DMARC1; p=none; ruf=", "ruf= has an empty URI");
	parse_fails("v=DMARC1; p=none rua=mailto:a@contoso.com",
	    "invalid p=none rua=mailto:a@contoso.com (must be none, quarantine or reject)");
	parse_fails("v=DMARC1; p=none; reject", "\"reject\" is not a tag=value pair");
	parse_fails("v=DMARC1; p=none; 1x=y", "invalid tag name \"1x\"");
	parse_fails(NULL, "no record");
	/* an error after URIs were kept frees them */
	parse_fails("v=DMARC1; rua=mailto:a@contoso.com; ruf=mailto:b@contoso.com; np=x; fo=0; p=nope",
	    "invalid p=nope (must be none, quarantine or reject)");
}

Test(dmarc, bounds)
{
	char *buf = malloc(DMARC_RECORD_MAX + 2);
	struct dmarc_record r;
	char err[200];
	size_t o;

	cr_assert_not_null(buf);
	memset(buf, ' ', DMARC_RECORD_MAX + 1);
	memcpy(buf, "v=DMARC1; p=none;", 17);
	buf[DMARC_RECORD_MAX] = '\0';
	cr_assert(dmarc_parse(buf, &r, err, sizeof err), "%s", err);
	dmarc_record_free(&r);
	buf[DMARC_RECORD_MAX] = ' ';
	buf[DMARC_RECORD_MAX + 1] = '\0';
	cr_assert_not(dmarc_parse(buf, &r, err, sizeof err));
	cr_assert_str_eq(err, "the record is longer than 4096 bytes");

	/* 17 URIs in one rua= */
	o = (size_t)sprintf(buf, "v=DMARC1; p=none; rua=mailto:a0@contoso.com");
	for (int i = 1; i <= DMARC_URIS_MAX; i++)
		o += (size_t)sprintf(buf + o, ",mailto:a%d@contoso.com", i);
	cr_assert_not(dmarc_parse(buf, &r, err, sizeof err));
	cr_assert_str_eq(err, "rua= has more than 16 URIs");

	/* 32 tags are fine, 33 are too many */
	o = (size_t)sprintf(buf, "v=DMARC1; p=none");
	for (int i = 0; i < DMARC_TAGS_MAX - 2; i++)
		o += (size_t)sprintf(buf + o, "; x%d=y", i);
	cr_assert(dmarc_parse(buf, &r, err, sizeof err), "%s", err);
	cr_assert_eq(r.nunknown, DMARC_TAGS_MAX - 2);
	cr_assert_str_eq(r.unknown[29].name, "x29");
	dmarc_record_free(&r);
	sprintf(buf + o, "; y=1");
	cr_assert_not(dmarc_parse(buf, &r, err, sizeof err));
	cr_assert_str_eq(err, "more than 32 tags");
	free(buf);
}

Test(dmarc, is_dmarc)
{
	cr_assert(dmarc_is_dmarc("v=DMARC1; p=none"));
	cr_assert(dmarc_is_dmarc("v=DMARC1"));
	cr_assert(dmarc_is_dmarc("v = DMARC1 ; p=none"));
	cr_assert_not(dmarc_is_dmarc("v=DMARC10; p=none"));
	cr_assert_not(dmarc_is_dmarc("v=spf1 -all"));
	cr_assert_not(dmarc_is_dmarc(" v=DMARC1"));
	cr_assert_not(dmarc_is_dmarc(NULL));
}

Test(dmarc, uri_ok)
{
	cr_assert(dmarc_uri_ok("mailto:dmarc@contoso.com"));
	cr_assert(dmarc_uri_ok("mailto:dmarc@contoso.com!10m"));
	cr_assert(dmarc_uri_ok("MAILTO:dmarc@contoso.com!50"));
	cr_assert(dmarc_uri_ok("https://reports.contoso.com/dmarc"));
	cr_assert_not(dmarc_uri_ok("dmarc@contoso.com"));
	cr_assert_not(dmarc_uri_ok("mailto:"));
	cr_assert_not(dmarc_uri_ok("mailto:dmarc.contoso.com"));
	cr_assert_not(dmarc_uri_ok("mailto:dmarc@contoso.com!"));
	cr_assert_not(dmarc_uri_ok("mailto:dmarc@contoso.com!10x"));
	cr_assert_not(dmarc_uri_ok("mailto:dm arc@contoso.com"));
	cr_assert_not(dmarc_uri_ok(""));
	cr_assert_not(dmarc_uri_ok(NULL));
}

Test(dmarc, policy_names)
{
	cr_assert_str_eq(dmarc_policy_name(DMARC_POLICY_NONE), "none");
	cr_assert_str_eq(dmarc_policy_name(DMARC_POLICY_QUARANTINE), "quarantine");
	cr_assert_str_eq(dmarc_policy_name(DMARC_POLICY_REJECT), "reject");
	cr_assert_str_eq(dmarc_policy_name(DMARC_POLICY_UNSET), "");
}

/* Unit tests: MTA-STS (RFC 8461) record and policy, TLS-RPT (RFC 8460) record. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mtasts.h"
#include "tlsrpt.h"

/* ---- the _mta-sts TXT record ---- */

Test(mtasts, record)
{
	struct mtasts_record r;
	char err[200] = "x";

	cr_assert(mtasts_record_parse("v=STSv1; id=20220101000000Z;", &r, err, sizeof err), "%s", err);
	cr_assert_str_eq(err, "");
	cr_assert_str_eq(r.id, "20220101000000Z");
	cr_assert_eq(r.nextensions, 0);

	cr_assert(mtasts_record_parse("v=STSv1;id=abc", &r, err, sizeof err), "%s", err);
	cr_assert_str_eq(r.id, "abc");

	cr_assert(mtasts_record_parse("v=STSv1 ;  id=1 ; ext-1=a.b:c ; x_y=z", &r, err, sizeof err),
	    "%s", err);
	cr_assert_str_eq(r.id, "1");
	cr_assert_eq(r.nextensions, 2);

	/* 32 characters is the limit */
	cr_assert(mtasts_record_parse("v=STSv1; id=0123456789abcdef0123456789ABCDEF", &r, err,
	    sizeof err), "%s", err);
	cr_assert_eq(strlen(r.id), 32);
}

static void record_fails(const char *in, const char *want)
{
	struct mtasts_record r;
	char err[200] = "";

	cr_assert_not(mtasts_record_parse(in, &r, err, sizeof err), "'%s' parsed", in);
	cr_assert_str_eq(err, want, "'%s': got '%s'", in, err);
	cr_assert_str_eq(r.id, "");
}

Test(mtasts, record_errors)
{
	record_fails("v=STSv1", "no id= field (required)");
	record_fails("v=STSv1; ext=1", "no id= field (required)");
	record_fails("v=STSv1; id=", "invalid field \"id=\"");
	record_fails("v=STSv1; id=2022-01-01", "invalid \"id=2022-01-01\": id must be 1 to 32 letters and digits");
	record_fails("v=STSv1; id=0123456789abcdef0123456789ABCDEFG",
	    "invalid \"id=0123456789abcdef0123456789ABCDEFG\": id must be 1 to 32 letters and digits");
	record_fails("v=STSv1; id=1; id=2", "id= appears more than once");
	record_fails("v=STSv2; id=1", "not an MTA-STS record: it must start with v=STSv1");
	record_fails("v=stsv1; id=1", "not an MTA-STS record: it must start with v=STSv1");
	record_fails("id=1; v=STSv1", "not an MTA-STS record: it must start with v=STSv1");
	record_fails("v=STSv1; id=1; v=STSv1", "v= must be the first field and appear once");
	record_fails("v=STSv1; id = 1", "invalid field \"id = 1\"");
	record_fails("v=STSv1; id=1; junk", "invalid field \"junk\"");
	record_fails("v=STSv1; id=1; a=b=c", "invalid field \"a=b=c\"");
	record_fails("", "not an MTA-STS record: it must start with v=STSv1");
	record_fails(NULL, "no record");
}

Test(mtasts, is_record)
{
	cr_assert(mtasts_is_record("v=STSv1; id=1"));
	cr_assert(mtasts_is_record("v=STSv1"));
	cr_assert(mtasts_is_record("v=STSv1 ;id=1"));
	cr_assert_not(mtasts_is_record("v=STSv10; id=1"));
	cr_assert_not(mtasts_is_record("v=spf1 -all"));
	cr_assert_not(mtasts_is_record(NULL));
}

/* ---- the policy file ---- */

static bool parse_str(const char *body, struct mtasts_policy *p, char *err, size_t errlen)
{
	return mtasts_policy_parse(body, strlen(body), p, err, errlen);
}

Test(mtasts, policy_exchange_online)
{
	static const char body[] = "version: STSv1\r\nmode: enforce\r\n"
	    "mx: *.mail.protection.outlook.com\r\nmax_age: 604800\r\n";
	struct mtasts_policy p;
	char err[200] = "x";

	cr_assert(parse_str(body, &p, err, sizeof err), "%s", err);
	cr_assert_str_eq(err, "");
	cr_assert_eq(p.mode, MTASTS_MODE_ENFORCE);
	cr_assert_eq(p.max_age, 604800);
	cr_assert_eq(p.nmx, 1);
	cr_assert_str_eq(p.mx[0], "*.mail.protection.outlook.com");
	cr_assert(mtasts_mx_matches(&p, "contoso-com.mail.protection.outlook.com"));
	cr_assert(mtasts_mx_matches(&p, "CONTOSO-COM.Mail.Protection.Outlook.com."));
	cr_assert_not(mtasts_mx_matches(&p, "mail.protection.outlook.com"));
	cr_assert_not(mtasts_mx_matches(&p, "a.contoso-com.mail.protection.outlook.com"));
	cr_assert_not(mtasts_mx_matches(&p, ".mail.protection.outlook.com"));
	cr_assert_not(mtasts_mx_matches(&p, "contoso-com.mail.protection.outlook.com.evil.example"));
	cr_assert_not(mtasts_mx_matches(&p, "contoso-com.j-v1.mx.microsoft"));
	cr_assert_not(mtasts_mx_matches(&p, ""));
	cr_assert_not(mtasts_mx_matches(&p, NULL));
	cr_assert_not(mtasts_mx_matches(NULL, "contoso-com.mail.protection.outlook.com"));
	mtasts_policy_free(&p);
	cr_assert_null(p.mx);
	cr_assert_eq(p.nmx, 0);
	mtasts_policy_free(&p);
	mtasts_policy_free(NULL);
}

Test(mtasts, policy_many_mx_lf_and_extensions)
{
	static const char body[] = "version: STSv1\nmode: testing\nmx: mail.contoso.com\n"
	    "mx:Contoso-com.mail.protection.outlook.com.\n\nmx:   *.contoso.net  \n"
	    "max_age:86400\nfuture-field: whatever: here";
	struct mtasts_policy p;
	char err[200];

	cr_assert(parse_str(body, &p, err, sizeof err), "%s", err);
	cr_assert_eq(p.mode, MTASTS_MODE_TESTING);
	cr_assert_eq(p.max_age, 86400);
	cr_assert_eq(p.nmx, 3);
	cr_assert_str_eq(p.mx[0], "mail.contoso.com");
	cr_assert_str_eq(p.mx[1], "contoso-com.mail.protection.outlook.com");
	cr_assert_str_eq(p.mx[2], "*.contoso.net");
	cr_assert(mtasts_mx_matches(&p, "mail.contoso.com"));
	cr_assert_not(mtasts_mx_matches(&p, "mail2.contoso.com"));
	cr_assert(mtasts_mx_matches(&p, "contoso-com.mail.protection.outlook.com"));
	cr_assert(mtasts_mx_matches(&p, "mx1.contoso.net"));
	cr_assert_not(mtasts_mx_matches(&p, "contoso.net"));
	mtasts_policy_free(&p);
}

Test(mtasts, policy_first_value_wins_and_mode_none)
{
	struct mtasts_policy p;
	char err[200];

	cr_assert(parse_str("version: STSv1\nmode: testing\nmode: enforce\nmax_age: 10\nmax_age: 20\n"
	    "mx: mx.contoso.com\n", &p, err, sizeof err), "%s", err);
	cr_assert_eq(p.mode, MTASTS_MODE_TESTING);
	cr_assert_eq(p.max_age, 10);
	mtasts_policy_free(&p);

	cr_assert(parse_str("version: STSv1\nmode: none\nmax_age: 0\n", &p, err, sizeof err), "%s", err);
	cr_assert_eq(p.mode, MTASTS_MODE_NONE);
	cr_assert_eq(p.max_age, 0);
	cr_assert_eq(p.nmx, 0);
	cr_assert_not(mtasts_mx_matches(&p, "mx.contoso.com"));
	mtasts_policy_free(&p);

	/* the upper limit of max_age itself */
	cr_assert(parse_str("version: STSv1\nmode: enforce\nmax_age: 31557600\nmx: mx.contoso.com",
	    &p, err, sizeof err), "%s", err);
	cr_assert_eq(p.max_age, 31557600);
	mtasts_policy_free(&p);
}

Test(mtasts, policy_length_is_respected)
{
	/* the body is not NUL-terminated where the length ends */
	static const char body[] = "version: STSv1\nmode: enforce\nmax_age: 60\nmx: mx.contoso.com\nmode: garbage";
	struct mtasts_policy p;
	char err[200];
	size_t len = strlen(body) - strlen("mode: garbage");

	cr_assert(mtasts_policy_parse(body, len, &p, err, sizeof err), "%s", err);
	cr_assert_eq(p.nmx, 1);
	mtasts_policy_free(&p);
	/* cut before the last LF and the 'm' before it */
	cr_assert(mtasts_policy_parse(body, len - 2, &p, err, sizeof err), "%s", err);
	cr_assert_str_eq(p.mx[0], "mx.contoso.co");
	mtasts_policy_free(&p);
}

static void policy_fails(const char *in, const char *want)
{
	struct mtasts_policy p;
	char err[200] = "";

	cr_assert_not(parse_str(in, &p, err, sizeof err), "'%s' parsed", in);
	cr_assert_str_eq(err, want, "'%s': got '%s'", in, err);
	cr_assert_null(p.mx);
	cr_assert_eq(p.nmx, 0);
	mtasts_policy_free(&p);
}

Test(mtasts, policy_errors)
{
	policy_fails("version: STSv1\nmode: enforce\nmx: mx.contoso.com\nmax_age: 31557601\n",
	    "line 4: max_age must be 0 to 31557600 seconds");
	policy_fails("version: STSv1\nmode: enforce\nmx: mx.contoso.com\nmax_age: 1w\n",
	    "line 4: max_age must be 0 to 31557600 seconds");
	policy_fails("version: STSv1\nmode: enforce\nmx: mx.contoso.com\nmax_age:\n",
	    "line 4: max_age must be 0 to 31557600 seconds");
	policy_fails("version: STSv1\nmode: enforcing\nmx: mx.contoso.com\nmax_age: 60\n",
	    "line 2: mode must be enforce, testing or none, not \"enforcing\"");
	policy_fails("version: STSv1\nmode: Enforce\nmx: mx.contoso.com\nmax_age: 60\n",
	    "line 2: mode must be enforce, testing or none, not \"Enforce\"");
	policy_fails("mode: enforce\nmx: mx.contoso.com\nmax_age: 60\n", "no version: STSv1 line");
	policy_fails("version: STSv2\nmode: enforce\nmx: mx.contoso.com\nmax_age: 60\n",
	    "line 1: version must be STSv1");
	policy_fails("version: STSv1\nmx: mx.contoso.com\nmax_age: 60\n",
	    "no mode: line (enforce, testing or none)");
	policy_fails("version: STSv1\nmode: enforce\nmx: mx.contoso.com\n", "no max_age: line");
	policy_fails("version: STSv1\nmode: enforce\nmax_age: 60\n",
	    "no mx: line; mode enforce needs at least one");
	policy_fails("version: STSv1\nmode: testing\nmax_age: 60\n",
	    "no mx: line; mode testing needs at least one");
	policy_fails("version: STSv1\nmode: enforce\nmx: *.*.contoso.com\nmax_age: 60\n",
	    "line 3: invalid mx pattern \"*.*.contoso.com\"");
	policy_fails("version: STSv1\nmode: enforce\nmx: mx.*.contoso.com\nmax_age: 60\n",
	    "line 3: invalid mx pattern \"mx.*.contoso.com\"");
	policy_fails("version: STSv1\nmode: enforce\nmx: -mx.contoso.com\nmax_age: 60\n",
	    "line 3: invalid mx pattern \"-mx.contoso.com\"");
	policy_fails("version: STSv1\nmode: enforce\nmx:\nmax_age: 60\n", "line 3: invalid mx pattern \"\"");
	policy_fails("version: STSv1\nmode enforce\n", "line 2 is not \"key: value\"");
	policy_fails("version: STSv1\n: enforce\n", "line 2: invalid key \"\"");
	policy_fails("version: STSv1\nmode: enforce\x01\n", "line 2 has a control character");
	policy_fails("", "no version: STSv1 line");
}

Test(mtasts, policy_bounds)
{
	char *buf = malloc(MTASTS_POLICY_MAX + 2);
	struct mtasts_policy p;
	char err[200];
	size_t o;

	cr_assert_not_null(buf);
	/* 64 mx lines are kept, 65 are too many */
	o = (size_t)sprintf(buf, "version: STSv1\nmode: enforce\nmax_age: 60\n");
	for (int i = 0; i < MTASTS_MX_MAX; i++)
		o += (size_t)sprintf(buf + o, "mx: mx%d.contoso.com\n", i);
	cr_assert(mtasts_policy_parse(buf, o, &p, err, sizeof err), "%s", err);
	cr_assert_eq(p.nmx, MTASTS_MX_MAX);
	cr_assert_str_eq(p.mx[63], "mx63.contoso.com");
	mtasts_policy_free(&p);
	o += (size_t)sprintf(buf + o, "mx: one-more.contoso.com\n");
	cr_assert_not(mtasts_policy_parse(buf, o, &p, err, sizeof err));
	cr_assert_str_eq(err, "more than 64 mx lines");

	/* over 64 KB */
	memset(buf, '\n', MTASTS_POLICY_MAX + 1);
	o = (size_t)sprintf(buf, "version: STSv1\nmode: none\nmax_age: 60\n");
	buf[o] = '\n';
	cr_assert(mtasts_policy_parse(buf, MTASTS_POLICY_MAX, &p, err, sizeof err), "%s", err);
	mtasts_policy_free(&p);
	cr_assert_not(mtasts_policy_parse(buf, MTASTS_POLICY_MAX + 1, &p, err, sizeof err));
	cr_assert_str_eq(err, "the policy is longer than 65536 bytes");
	free(buf);
}

Test(mtasts, mode_names)
{
	cr_assert_str_eq(mtasts_mode_name(MTASTS_MODE_ENFORCE), "enforce");
	cr_assert_str_eq(mtasts_mode_name(MTASTS_MODE_TESTING), "testing");
	cr_assert_str_eq(mtasts_mode_name(MTASTS_MODE_NONE), "none");
	cr_assert_str_eq(mtasts_mode_name(MTASTS_MODE_UNSET), "");
}

/* ---- TLS-RPT ---- */

Test(tlsrpt, record)
{
	struct tlsrpt_record r;
	char err[200] = "x";

	cr_assert(tlsrpt_parse("v=TLSRPTv1; rua=mailto:tlsrpt@contoso.com", &r, err, sizeof err), "%s",
	    err);
	cr_assert_str_eq(err, "");
	cr_assert_eq(r.nrua, 1);
	cr_assert_str_eq(r.rua[0], "mailto:tlsrpt@contoso.com");
	cr_assert_eq(r.nextensions, 0);
	tlsrpt_record_free(&r);
	cr_assert_null(r.rua);
	cr_assert_eq(r.nrua, 0);
	tlsrpt_record_free(&r);
	tlsrpt_record_free(NULL);

	cr_assert(tlsrpt_parse("v=TLSRPTv1;rua=mailto:a@contoso.com , HTTPS://reports.contoso.com/tlsrpt;"
	    " ext=1;", &r, err, sizeof err), "%s", err);
	cr_assert_eq(r.nrua, 2);
	cr_assert_str_eq(r.rua[0], "mailto:a@contoso.com");
	cr_assert_str_eq(r.rua[1], "HTTPS://reports.contoso.com/tlsrpt");
	cr_assert_eq(r.nextensions, 1);
	tlsrpt_record_free(&r);
}

static void tlsrpt_fails(const char *in, const char *want)
{
	struct tlsrpt_record r;
	char err[200] = "";

	cr_assert_not(tlsrpt_parse(in, &r, err, sizeof err), "'%s' parsed", in);
	cr_assert_str_eq(err, want, "'%s': got '%s'", in, err);
	cr_assert_null(r.rua);
	cr_assert_eq(r.nrua, 0);
	tlsrpt_record_free(&r);
}

Test(tlsrpt, errors)
{
	tlsrpt_fails("v=TLSRPTv1; rua=http://reports.contoso.com/",
	    "rua: \"http://reports.contoso.com/\" is not a mailto: or https: URI");
	tlsrpt_fails("v=TLSRPTv1; rua=mailto:a@contoso.com,ftp://contoso.com/",
	    "rua: \"ftp://contoso.com/\" is not a mailto: or https: URI");
	tlsrpt_fails("v=TLSRPTv1; rua=mailto:tlsrpt", "rua: \"mailto:tlsrpt\" is not a mailto: or https: URI");
	tlsrpt_fails("v=TLSRPTv1; rua=mailto:@contoso.com",
	    "rua: \"mailto:@contoso.com\" is not a mailto: or https: URI");
	tlsrpt_fails("v=TLSRPTv1; rua=https://", "rua: \"https://\" is not a mailto: or https: URI");
	tlsrpt_fails("v=TLSRPTv1; rua=tlsrpt@contoso.com",
	    "rua: \"tlsrpt@contoso.com\" is not a mailto: or https: URI");
	tlsrpt_fails("v=TLSRPTv1; rua=", "rua: \"\" is not a mailto: or https: URI");
	tlsrpt_fails("v=TLSRPTv1; rua=mailto:a@contoso.com,", "rua: \"\" is not a mailto: or https: URI");
	tlsrpt_fails("v=TLSRPTv1", "no rua= field: where should reports go?");
	tlsrpt_fails("v=TLSRPTv1; ext=1", "no rua= field: where should reports go?");
	tlsrpt_fails("v=TLSRPTv1; rua=mailto:a@contoso.com; rua=mailto:b@contoso.com",
	    "rua= appears more than once");
	tlsrpt_fails("rua=mailto:a@contoso.com; v=TLSRPTv1", "not a TLS-RPT record: it must start with v=TLSRPTv1");
	tlsrpt_fails("v=TLSRPTv2; rua=mailto:a@contoso.com", "not a TLS-RPT record: it must start with v=TLSRPTv1");
	tlsrpt_fails("v=tlsrptv1; rua=mailto:a@contoso.com", "not a TLS-RPT record: it must start with v=TLSRPTv1");
	tlsrpt_fails("v=TLSRPTv1; rua=mailto:a@contoso.com; v=TLSRPTv1", "v= must be the first field and appear once");
	tlsrpt_fails("v=TLSRPTv1; rua=mailto:a@contoso.com; junk", "invalid field \"junk\"");
	tlsrpt_fails("", "not a TLS-RPT record: it must start with v=TLSRPTv1");
	tlsrpt_fails(NULL, "no record");
}

Test(tlsrpt, is_record)
{
	cr_assert(tlsrpt_is_record("v=TLSRPTv1; rua=mailto:a@contoso.com"));
	cr_assert(tlsrpt_is_record("v=TLSRPTv1"));
	cr_assert_not(tlsrpt_is_record("v=TLSRPTv10;"));
	cr_assert_not(tlsrpt_is_record("v=STSv1; id=1"));
	cr_assert_not(tlsrpt_is_record(NULL));
}

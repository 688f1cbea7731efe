/* Unit tests: parsing the target the user names ("host", "host:port", "[v6]:port"). */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "target.h"

static void expect_ok(const char *spec, const char *host, unsigned port)
{
	struct target t;
	char err[256] = "";

	cr_assert(target_parse(spec, &t, err, sizeof err), "'%s' rejected: %s", spec, err);
	cr_assert_str_eq(t.host, host, "'%s'", spec);
	cr_assert_eq(t.port, port, "'%s': port %u, expected %u", spec, t.port, port);
}

/* Rejected, with a message that contains want. */
static void expect_err(const char *spec, const char *want)
{
	struct target t;
	char err[512] = "";

	cr_assert_not(target_parse(spec, &t, err, sizeof err), "'%s' accepted", spec);
	cr_assert_neq(err[0], '\0', "'%s': no message", spec);
	cr_assert_not_null(strstr(err, want), "'%s': message '%s' does not mention '%s'", spec,
	    err, want);
}

Test(target, host_only)
{
	expect_ok("mail.contoso.com", "mail.contoso.com", 0);
	expect_ok("contoso-com.mail.protection.outlook.com", "contoso-com.mail.protection.outlook.com", 0);
	expect_ok("ex01_internal", "ex01_internal", 0);
}

Test(target, host_and_port)
{
	expect_ok("mail.contoso.com:2525", "mail.contoso.com", 2525);
	expect_ok("mail.contoso.com:1", "mail.contoso.com", 1);
	expect_ok("mail.contoso.com:65535", "mail.contoso.com", 65535);
}

Test(target, ipv4)
{
	expect_ok("127.0.0.1:25", "127.0.0.1", 25);
	expect_ok("192.0.2.10", "192.0.2.10", 0);
}

Test(target, ipv6)
{
	expect_ok("[2001:db8::1]:587", "2001:db8::1", 587);
	expect_ok("[2001:db8::1]", "2001:db8::1", 0);
	expect_ok("2001:db8::1", "2001:db8::1", 0);
	expect_ok("::1", "::1", 0);
	expect_ok("[::1]:25", "::1", 25);
}

Test(target, errors)
{
	expect_err("", "");
	expect_err("host:0", "port");
	expect_err("host:65536", "port");
	expect_err("host:abc", "port");
	expect_err("host:", "port");
	expect_err("host:25x", "port");
	expect_err("host:-25", "port");
	expect_err("host:+25", "port");
	expect_err("host:25:26", "port");
	expect_err("host:99999999999999999999", "port");
	expect_err("[2001:db8::1", "]");
	expect_err("[2001:db8::1]:", "port");
	expect_err("[2001:db8::1]:0", "port");
	expect_err("[2001:db8::1]25", "port");
	expect_err("[nonsense]:25", "nonsense");
	expect_err("[192.0.2.1]:25", "192.0.2.1");
	expect_err("bad host!", "bad host!");
	expect_err("mail.contoso.com/25", "mail.contoso.com/25");
	expect_err(":25", ":25");
}

Test(target, empty_message)
{
	struct target t;
	char err[128] = "";

	cr_assert_not(target_parse("", &t, err, sizeof err));
	cr_assert_str_eq(err, "no target given");
	cr_assert_not(target_parse(NULL, &t, err, sizeof err));
	cr_assert_neq(err[0], '\0');
}

Test(target, overlong_names)
{
	char name[400];
	struct target t;
	char err[600] = "";

	/* 253 characters is the longest DNS name. */
	memset(name, 'a', 253);
	name[253] = '\0';
	for (size_t i = 60; i < 253; i += 61)
		name[i] = '.';
	expect_ok(name, name, 0);

	memset(name, 'a', 254);
	name[254] = '\0';
	cr_assert_not(target_parse(name, &t, err, sizeof err));
	cr_assert_neq(err[0], '\0');

	memset(name, 'a', 300);
	strcpy(name + 300, ":25");
	cr_assert_not(target_parse(name, &t, err, sizeof err));
	cr_assert_neq(err[0], '\0');
}

Test(target, message_is_truncated_to_the_buffer)
{
	struct target t;
	char err[16];

	memset(err, 'X', sizeof err);
	cr_assert_not(target_parse("this-is-a-long-name:0", &t, err, 8));
	cr_assert_eq(strlen(err), 7);
	cr_assert_eq(err[8], 'X');
}

Test(target_port, parse)
{
	uint16_t p = 0;

	cr_assert(target_parse_port("25", &p));
	cr_assert_eq(p, 25);
	cr_assert(target_parse_port("65535", &p));
	cr_assert_eq(p, 65535);
	cr_assert(target_parse_port("1", &p));
	cr_assert_eq(p, 1);
	cr_assert(target_parse_port("0587", &p));
	cr_assert_eq(p, 587);
}

Test(target_port, rejects)
{
	static const char *const bad[] = {
		"", "0", "65536", "99999999999999999999", "abc", "25x", "-1", "+25", " 25", "25 ",
		"2 5",
	};
	uint16_t p = 4242;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_not(target_parse_port(bad[i], &p), "'%s' accepted", bad[i]);
		cr_assert_eq(p, 4242, "'%s' wrote the port", bad[i]);
	}
	cr_assert_not(target_parse_port(NULL, &p));
}

/* Unit tests: the client address a server names in its EHLO reply. */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "greeting.h"

static void expect_ip(const char *line, const char *want)
{
	char out[64] = "";

	cr_assert(greeting_observed_ip(line, out, sizeof out), "no address found in '%s'", line);
	cr_assert_str_eq(out, want, "'%s'", line);
}

static void expect_none(const char *line)
{
	char out[64] = "";

	cr_assert_not(greeting_observed_ip(line, out, sizeof out), "'%s' gave '%s'", line, out);
}

Test(greeting, exchange_online)
{
	expect_ip("BN8NAM12FT053.mail.protection.outlook.com Hello [203.0.113.7]", "203.0.113.7");
}

Test(greeting, exchange_on_premises)
{
	expect_ip("EX01.contoso.local Hello [10.0.0.5]", "10.0.0.5");
}

Test(greeting, exim)
{
	expect_ip("exim.test Hello me [127.0.0.1]", "127.0.0.1");
}

Test(greeting, sendmail)
{
	expect_ip("mx.example.com Hello host.example [192.0.2.1], pleased to meet you",
	    "192.0.2.1");
}

Test(greeting, ipv6)
{
	expect_ip("mx.test Hello [2001:db8::1]", "2001:db8::1");
	expect_ip("mx.test Hello [IPv6:2001:db8::25]", "2001:db8::25");
	expect_ip("mx.test Hello [ipv6:2001:db8::25]", "2001:db8::25");
}

Test(greeting, ipv6_is_given_in_canonical_form)
{
	expect_ip("mx.test Hello [2001:0DB8:0000:0000:0000:0000:0000:0001]", "2001:db8::1");
}

Test(greeting, ipv4_mapped_is_given_as_ipv4)
{
	expect_ip("mx.test Hello [::ffff:198.51.100.9]", "198.51.100.9");
	expect_ip("mx.test Hello [IPv6:::ffff:198.51.100.9]", "198.51.100.9");
}

Test(greeting, postfix_names_no_address)
{
	expect_none("mail.test");
	expect_none("");
}

Test(greeting, invalid_addresses)
{
	expect_none("mx.test Hello [999.1.1.1]");
	expect_none("mx.test Hello [192.0.2]");
	expect_none("mx.test Hello [2001:db8:::1]");
	expect_none("mx.test Hello []");
	expect_none("mx.test Hello [ 192.0.2.1 ]");
}

Test(greeting, first_valid_bracket_wins)
{
	expect_ip("mx.test Hello [unknown] [192.0.2.5]", "192.0.2.5");
	expect_ip("mx.test [ESMTP] Hello host [198.51.100.1] [192.0.2.9]", "198.51.100.1");
}

Test(greeting, unterminated_bracket)
{
	expect_none("mx.test Hello [192.0.2.1");
	expect_none("mx.test Hello [");
	expect_ip("mx.test Hello [192.0.2.1] [", "192.0.2.1");
}

Test(greeting, overlong_bracket_is_skipped)
{
	char line[400];

	strcpy(line, "mx.test Hello [");
	memset(line + strlen(line), '1', 200);
	strcpy(line + 15 + 200, "] [192.0.2.77]");
	expect_ip(line, "192.0.2.77");
}

/* Which addresses the internet never sees: a server naming one sits inside the NAT. */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "ipclass.h"

Test(ipclass, private_shared_and_link_local_ranges)
{
	static const struct {
		const char *ip;
		const char *what;	/* a word of the range's name, or NULL: not internal */
	} cases[] = {
		{ "10.0.0.5", "RFC 1918" },
		{ "10.255.255.255", "RFC 1918" },
		{ "172.16.0.1", "RFC 1918" },
		{ "172.31.255.254", "RFC 1918" },
		{ "172.32.0.1", NULL },
		{ "172.15.255.255", NULL },
		{ "192.168.1.20", "RFC 1918" },
		{ "192.169.0.1", NULL },
		{ "100.64.0.1", "RFC 6598" },
		{ "100.127.255.255", "RFC 6598" },
		{ "100.128.0.1", NULL },
		{ "169.254.10.10", "link-local" },
		{ "203.0.113.7", NULL },
		{ "8.8.8.8", NULL },
		{ "127.0.0.1", NULL },	/* loopback: a server on this machine */
		{ "fd12:3456::1", "unique local" },
		{ "fc00::1", "unique local" },
		{ "fe80::1", "link-local" },
		{ "febf::1", "link-local" },
		{ "fec0::1", NULL },
		{ "::ffff:10.1.2.3", "RFC 1918" },
		{ "::ffff:203.0.113.7", NULL },
		{ "2001:db8::25", NULL },
		{ "::1", NULL },
		{ "not an address", NULL },
		{ "10.0.0.5 ", NULL },
		{ "", NULL },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *what = "unset";
		bool internal = ip_is_internal(cases[i].ip, &what);

		cr_assert_eq(internal, cases[i].what != NULL, "%s: %s", cases[i].ip, internal ? "internal" : "not");
		if (internal)
			cr_assert_not_null(strstr(what, cases[i].what), "%s: '%s'", cases[i].ip, what);
		else
			cr_assert_null(what, "%s", cases[i].ip);
	}
	cr_assert_not(ip_is_internal(NULL, NULL));
	cr_assert(ip_is_internal("192.168.0.1", NULL));
}

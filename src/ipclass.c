#include "config.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>

#include "ipclass.h"

struct range4 {
	unsigned char net[4];
	unsigned bits;
	const char *what;
};

static const struct range4 ranges4[] = {
	{ { 10, 0, 0, 0 }, 8, "a private address (RFC 1918)" },
	{ { 172, 16, 0, 0 }, 12, "a private address (RFC 1918)" },
	{ { 192, 168, 0, 0 }, 16, "a private address (RFC 1918)" },
	{ { 100, 64, 0, 0 }, 10, "a carrier-grade NAT address (RFC 6598)" },
	{ { 169, 254, 0, 0 }, 16, "a link-local address" },
};

static bool prefix_equal(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, whole) != 0)
		return false;
	return rest == 0 || ((a[whole] ^ b[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
}

static bool v4_internal(const unsigned char *a, const char **what)
{
	for (size_t i = 0; i < sizeof ranges4 / sizeof ranges4[0]; i++)
		if (prefix_equal(a, ranges4[i].net, ranges4[i].bits)) {
			*what = ranges4[i].what;
			return true;
		}
	return false;
}

bool ip_is_internal(const char *ip, const char **what)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	unsigned char a[16];
	const char *dummy;

	if (what == NULL)
		what = &dummy;
	*what = NULL;
	if (ip == NULL)
		return false;
	if (inet_pton(AF_INET, ip, a) == 1)
		return v4_internal(a, what);
	if (inet_pton(AF_INET6, ip, a) != 1)
		return false;
	if (memcmp(a, mapped, sizeof mapped) == 0)
		return v4_internal(a + 12, what);
	if ((a[0] & 0xfe) == 0xfc) {
		*what = "an IPv6 unique local address (fc00::/7)";
		return true;
	}
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) {
		*what = "an IPv6 link-local address";
		return true;
	}
	return false;
}

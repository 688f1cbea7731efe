#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "immutableid.h"

static bool fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static void strip_blanks(const char **b, size_t *n)
{
	while (*n > 0 && is_blank(**b)) {
		(*b)++;
		(*n)--;
	}
	while (*n > 0 && is_blank((*b)[*n - 1]))
		(*n)--;
}

/* The value without surrounding blanks, nor one pair of surrounding quotes. */
static void trim(const char *s, const char **b, size_t *n)
{
	*b = s != NULL ? s : "";
	*n = strlen(*b);
	strip_blanks(b, n);
	if (*n >= 2 && ((*b)[0] == '"' || (*b)[0] == '\'') && (*b)[*n - 1] == (*b)[0]) {
		(*b)++;
		*n -= 2;
		strip_blanks(b, n);
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A character for an error message: itself when printable, else \xNN. */
static const char *show(char c, char buf[8])
{
	unsigned char u = (unsigned char)c;

	if (u >= 0x20 && u < 0x7f)
		snprintf(buf, 8, "%c", c);
	else
		snprintf(buf, 8, "\\x%02x", u);
	return buf;
}

/* ---- objectGUID string ---- */

static bool guid_parse_n(const char *s, size_t n, unsigned char bytes[IMMID_GUID_BYTES], char *err,
    size_t errlen)
{
	static const size_t want[5] = { 8, 4, 4, 4, 12 };
	size_t len[5] = { 0 }, groups = 1;
	char cb[8];
	unsigned char v[16];
	size_t k = 0, at = 1;	/* character numbers in messages count from 1, braces included */

	if (n == 0)
		return fail(err, errlen, "empty value");
	if (s[0] == '{' || s[n - 1] == '}') {
		if (s[0] != '{' || s[n - 1] != '}' || n < 2)
			return fail(err, errlen, "a brace without its partner: write {GUID} or GUID");
		s++;
		n -= 2;
		at = 2;
		if (n == 0)
			return fail(err, errlen, "nothing between the braces");
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-') {
			if (groups == 5)
				return fail(err, errlen, "a GUID is 5 groups of hex digits (8-4-4-4-12) "
				    "separated by '-'; this has more");
			groups++;
		} else if (hexval(s[i]) < 0) {
			return fail(err, errlen, "'%s' (character %zu) is not a hex digit",
			    show(s[i], cb), i + at);
		} else {
			len[groups - 1]++;
		}
	}
	if (groups != 5)
		return fail(err, errlen, "a GUID is 5 groups of hex digits (8-4-4-4-12) separated by "
		    "'-'; this has %zu", groups);
	for (int g = 0; g < 5; g++)
		if (len[g] != want[g])
			return fail(err, errlen, "group %d has %zu hex digit%s, expected %zu "
			    "(a GUID is 8-4-4-4-12)", g + 1, len[g], len[g] == 1 ? "" : "s", want[g]);
	/* The 16 bytes in string order, then Data1..3 turned little-endian. */
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '-')
			continue;
		if (k % 2 == 0)
			v[k / 2] = (unsigned char)(hexval(s[i]) << 4);
		else
			v[k / 2] = (unsigned char)(v[k / 2] | hexval(s[i]));
		k++;
	}
	bytes[0] = v[3];
	bytes[1] = v[2];
	bytes[2] = v[1];
	bytes[3] = v[0];
	bytes[4] = v[5];
	bytes[5] = v[4];
	bytes[6] = v[7];
	bytes[7] = v[6];
	memcpy(bytes + 8, v + 8, 8);
	return true;
}

bool guid_parse(const char *guid, unsigned char bytes[IMMID_GUID_BYTES], char *err, size_t errlen)
{
	const char *b;
	size_t n;

	trim(guid, &b, &n);
	return guid_parse_n(b, n, bytes, err, errlen);
}

static bool too_small(char *out, size_t outlen, size_t need)
{
	if (outlen >= need)
		return false;
	if (out != NULL && outlen > 0)
		out[0] = '\0';
	return true;
}

bool guid_format(const unsigned char b[IMMID_GUID_BYTES], char *out, size_t outlen)
{
	if (too_small(out, outlen, IMMID_GUID_SIZE))
		return false;
	snprintf(out, outlen, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	    b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13],
	    b[14], b[15]);
	return true;
}

/* ---- Base64 (the ImmutableId) ---- */

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64val(char c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b64chars, c)) == NULL)
		return -1;
	return (int)(p - b64chars);
}

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (hexval(s[i]) < 0)
			return false;
	return n > 0;
}

static bool b64_decode_n(const char *s, size_t n, unsigned char bytes[IMMID_GUID_BYTES], char *err,
    size_t errlen)
{
	size_t pad = 0, nbytes, k = 0;
	uint32_t acc = 0;
	int bits = 0;
	char cb[8];

	if (n == 0)
		return fail(err, errlen, "empty value");
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '=') {
			pad++;
			continue;
		}
		if (pad > 0)
			return fail(err, errlen, "'=' (character %zu) inside the value: Base64 padding "
			    "comes only at the end", i + 1 - pad);
		if (b64val(s[i]) < 0) {
			if (s[i] == '-' || s[i] == '_')
				return fail(err, errlen, "'%c' (character %zu) is not a Base64 character "
				    "(Base64url? an ImmutableId uses '+' and '/')", s[i], i + 1);
			return fail(err, errlen, "'%s' (character %zu) is not a Base64 character",
			    show(s[i], cb), i + 1);
		}
	}
	if (pad > 2)
		return fail(err, errlen, "%zu '=' at the end: Base64 padding is at most two", pad);
	if (n == 32 && all_hex(s, n))
		return fail(err, errlen, "32 hex digits are not an ImmutableId, and without separators "
		    "it is unclear whether they are a GUID or its bytes: write the objectGUID with "
		    "dashes (8-4-4-4-12) or the bytes with blanks (D7 07 CC ...)");
	if (n % 4 != 0)
		return fail(err, errlen, "%zu characters: Base64 comes in groups of 4 (padding '=' "
		    "missing, or a character lost or added); an ImmutableId is 24 characters ending "
		    "in ==", n);
	nbytes = n / 4 * 3 - pad;
	if (nbytes != IMMID_GUID_BYTES)
		return fail(err, errlen, "decodes to %zu byte%s; an ImmutableId is the 16 bytes of a "
		    "GUID (24 characters ending in ==)", nbytes, nbytes == 1 ? "" : "s");
	for (size_t i = 0; i < n - pad; i++) {
		acc = (acc << 6) | (uint32_t)b64val(s[i]);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			bytes[k++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* 22 characters carry 132 bits: the last 4 must be zero. */
	if (acc != 0)
		return fail(err, errlen, "'%c' before the '==' sets bits beyond the 16 bytes: not a "
		    "valid ImmutableId (a character mistyped?)", s[n - pad - 1]);
	return true;
}

bool immutableid_decode(const char *b64, unsigned char bytes[IMMID_GUID_BYTES], char *err,
    size_t errlen)
{
	const char *b;
	size_t n;

	trim(b64, &b, &n);
	return b64_decode_n(b, n, bytes, err, errlen);
}

bool immutableid_encode(const unsigned char b[IMMID_GUID_BYTES], char *out, size_t outlen)
{
	size_t o = 0;

	if (too_small(out, outlen, IMMID_B64_SIZE))
		return false;
	for (size_t i = 0; i < IMMID_GUID_BYTES; i += 3) {
		uint32_t v = (uint32_t)b[i] << 16;

		if (i + 1 < IMMID_GUID_BYTES)
			v |= (uint32_t)b[i + 1] << 8;
		if (i + 2 < IMMID_GUID_BYTES)
			v |= b[i + 2];
		out[o++] = b64chars[(v >> 18) & 63];
		out[o++] = b64chars[(v >> 12) & 63];
		out[o++] = i + 1 < IMMID_GUID_BYTES ? b64chars[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < IMMID_GUID_BYTES ? b64chars[v & 63] : '=';
	}
	out[o] = '\0';
	return true;
}

/* ---- hex bytes ---- */

static bool is_hex_sep(char c)
{
	return is_blank(c) || c == '-' || c == ':' || c == ',';
}

static bool hex_parse_n(const char *s, size_t n, unsigned char bytes[IMMID_GUID_BYTES], char *err,
    size_t errlen)
{
	size_t i = 0, count = 0;

	if (n == 0)
		return fail(err, errlen, "empty value");
	while (i < n) {
		size_t start, len;
		const char *t;

		while (i < n && is_hex_sep(s[i]))
			i++;
		if (i == n)
			break;
		start = i;
		while (i < n && !is_hex_sep(s[i]))
			i++;
		t = s + start;
		len = i - start;
		if (len == 4 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
			t += 2;
			len -= 2;
		}
		if (len != 2 || hexval(t[0]) < 0 || hexval(t[1]) < 0)
			return fail(err, errlen, "byte %zu (\"%.*s\") is not two hex digits", count + 1,
			    (int)(i - start > 20 ? 20 : i - start), s + start);
		if (count < IMMID_GUID_BYTES)
			bytes[count] = (unsigned char)(hexval(t[0]) << 4 | hexval(t[1]));
		count++;
	}
	if (count != IMMID_GUID_BYTES)
		return fail(err, errlen, "%zu byte%s; a GUID is 16", count, count == 1 ? "" : "s");
	return true;
}

bool guid_hex_parse(const char *hex, unsigned char bytes[IMMID_GUID_BYTES], char *err, size_t errlen)
{
	const char *b;
	size_t n;

	trim(hex, &b, &n);
	return hex_parse_n(b, n, bytes, err, errlen);
}

bool guid_hex_format(const unsigned char b[IMMID_GUID_BYTES], char *out, size_t outlen)
{
	if (too_small(out, outlen, IMMID_HEX_SIZE))
		return false;
	for (size_t i = 0, o = 0; i < IMMID_GUID_BYTES; i++)
		o += (size_t)snprintf(out + o, outlen - o, "%s%02X", i ? " " : "", b[i]);
	return true;
}

/* ---- LDAP filter value ---- */

static bool ldap_parse_n(const char *s, size_t n, unsigned char bytes[IMMID_GUID_BYTES], char *err,
    size_t errlen)
{
	size_t count = 0;
	char cb[8];

	if (n == 0)
		return fail(err, errlen, "empty value");
	if (s[0] == '(') {
		const char *eq = memchr(s, '=', n);

		if (s[n - 1] != ')')
			return fail(err, errlen, "an LDAP filter opened with '(' must end with ')'");
		if (eq == NULL)
			return fail(err, errlen, "an LDAP filter is (attribute=value): '=' is missing");
		for (const char *p = s + 1; p < eq; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '-'))
				return fail(err, errlen, "'%s' is not allowed in an attribute name",
				    show(*p, cb));
		n = (size_t)(s + n - 1 - (eq + 1));
		s = eq + 1;
		if (n == 0)
			return fail(err, errlen, "the filter has no value after '='");
	}
	for (size_t i = 0; i < n;) {
		unsigned char v;

		if (s[i] == '\\') {
			if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
				return fail(err, errlen, "'\\' (character %zu) must be followed by two "
				    "hex digits", i + 1);
			v = (unsigned char)(hexval(s[i + 1]) << 4 | hexval(s[i + 2]));
			i += 3;
		} else {
			/* RFC 4515: bytes other than * ( ) \ NUL may stand unescaped. */
			unsigned char c = (unsigned char)s[i];

			if (c < 0x21 || c >= 0x7f || c == '*' || c == '(' || c == ')')
				return fail(err, errlen, "'%s' (character %zu) must be escaped as \\XX in "
				    "an LDAP filter value", show(s[i], cb), i + 1);
			v = c;
			i++;
		}
		if (count < IMMID_GUID_BYTES)
			bytes[count] = v;
		count++;
	}
	if (count != IMMID_GUID_BYTES)
		return fail(err, errlen, "%zu byte%s; a GUID is 16", count, count == 1 ? "" : "s");
	return true;
}

bool guid_ldap_parse(const char *ldap, unsigned char bytes[IMMID_GUID_BYTES], char *err,
    size_t errlen)
{
	const char *b;
	size_t n;

	trim(ldap, &b, &n);
	return ldap_parse_n(b, n, bytes, err, errlen);
}

bool guid_ldap_format(const unsigned char b[IMMID_GUID_BYTES], char *out, size_t outlen)
{
	if (too_small(out, outlen, IMMID_LDAP_SIZE))
		return false;
	for (size_t i = 0; i < IMMID_GUID_BYTES; i++)
		snprintf(out + i * 3, outlen - i * 3, "\\%02X", b[i]);
	return true;
}

/* ---- the conversions and the guess ---- */

bool immutableid_from_guid(const char *guid, char *out, size_t outlen, char *err, size_t errlen)
{
	unsigned char b[IMMID_GUID_BYTES];

	if (out != NULL && outlen > 0)
		out[0] = '\0';
	if (!guid_parse(guid, b, err, errlen))
		return false;
	if (!immutableid_encode(b, out, outlen))
		return fail(err, errlen, "output buffer too small (%zu bytes, %d needed)", outlen,
		    IMMID_B64_SIZE);
	return true;
}

bool immutableid_to_guid(const char *b64, char *out, size_t outlen, char *err, size_t errlen)
{
	unsigned char b[IMMID_GUID_BYTES];

	if (out != NULL && outlen > 0)
		out[0] = '\0';
	if (!immutableid_decode(b64, b, err, errlen))
		return false;
	if (!guid_format(b, out, outlen))
		return fail(err, errlen, "output buffer too small (%zu bytes, %d needed)", outlen,
		    IMMID_GUID_SIZE);
	return true;
}

enum immid_form immutableid_guess(const char *value)
{
	const char *s, *dash;
	size_t n;
	bool b64 = true;

	trim(value, &s, &n);
	if (n == 0)
		return IMMID_FORM_INVALID;
	if (s[0] == '(' || s[0] == '\\')
		return IMMID_FORM_LDAP;
	if (s[0] == '{')
		return IMMID_FORM_GUID;
	for (size_t i = 0; i < n; i++)
		if (is_blank(s[i]) || s[i] == ':' || s[i] == ',')
			return IMMID_FORM_HEX;
	if ((dash = memchr(s, '-', n)) != NULL)
		return dash - s == 2 ? IMMID_FORM_HEX : IMMID_FORM_GUID;
	for (size_t i = 0; i < n && b64; i++)
		b64 = s[i] == '=' || b64val(s[i]) >= 0;
	return b64 ? IMMID_FORM_BASE64 : IMMID_FORM_INVALID;
}

const char *immid_form_name(enum immid_form f)
{
	switch (f) {
	case IMMID_FORM_INVALID: return "not recognised";
	case IMMID_FORM_GUID: return "objectGUID";
	case IMMID_FORM_BASE64: return "ImmutableId (Base64)";
	case IMMID_FORM_HEX: return "hex bytes";
	case IMMID_FORM_LDAP: return "LDAP filter";
	}
	return "?";
}

bool immutableid_parse(const char *value, unsigned char bytes[IMMID_GUID_BYTES],
    enum immid_form *form, char *err, size_t errlen)
{
	enum immid_form f = immutableid_guess(value);
	const char *s;
	size_t n;

	if (form != NULL)
		*form = f;
	trim(value, &s, &n);
	switch (f) {
	case IMMID_FORM_GUID: return guid_parse_n(s, n, bytes, err, errlen);
	case IMMID_FORM_BASE64: return b64_decode_n(s, n, bytes, err, errlen);
	case IMMID_FORM_HEX: return hex_parse_n(s, n, bytes, err, errlen);
	case IMMID_FORM_LDAP: return ldap_parse_n(s, n, bytes, err, errlen);
	case IMMID_FORM_INVALID: break;
	}
	if (n == 0)
		return fail(err, errlen, "empty value");
	return fail(err, errlen, "not an objectGUID (f7cc07d7-7c15-447d-876d-c01b0e5a9e38), an "
	    "ImmutableId (1wfM9xV8fUSHbcAbDlqeOA==), hex bytes (D7 07 CC F7 ...) or an LDAP "
	    "filter value (\\D7\\07\\CC\\F7...)");
}

#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "textutil.h"

void text_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

bool text_is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

const char *text_trim(const char *s, size_t *n)
{
	while (*n > 0 && text_is_wsp(s[0])) {
		s++;
		(*n)--;
	}
	while (*n > 0 && text_is_wsp(s[*n - 1]))
		(*n)--;
	return s;
}

bool text_ext_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 32 || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

bool text_ext_value_ok(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x21 || c > 0x7e || c == '=' || c == ';')
			return false;
	}
	return true;
}

char *text_escape(const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char *out = malloc(len * 4 + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f) {
			*o++ = (char)c;
		} else if (c == '\t') {
			*o++ = ' ';
		} else {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}

/* Length of the well-formed UTF-8 sequence at s (of n bytes) for a code point
 * from U+00A0 that is not a bidirectional control; 0 if there is none. */
static size_t safe_utf8(const unsigned char *s, size_t n)
{
	unsigned cp;
	size_t k;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, cp = s[0] & 0x07u;
	else
		return 0;
	if (k > n)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF, C1 controls. */
	if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp > 0x10ffff || cp < 0xa0)
		return 0;
	/* LRM/RLM, embeddings and overrides, isolates: they reorder what follows. */
	if (cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return k;
}

char *text_escape_controls(const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	char *out = malloc(len * 4 + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len;) {
		size_t k;

		if (u[i] >= 0x20 && u[i] < 0x7f) {
			*o++ = (char)u[i++];
		} else if (u[i] == '\t') {
			*o++ = ' ';
			i++;
		} else if ((k = safe_utf8(u + i, len - i)) > 0) {
			while (k-- > 0)
				*o++ = (char)u[i++];
		} else {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[u[i] >> 4];
			*o++ = hex[u[i] & 15];
			i++;
		}
	}
	*o = '\0';
	return out;
}

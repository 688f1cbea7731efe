/*
 * The field primitives of src/capture.c, both directions (see capture_io.h),
 * and the strict base64 a capture holds certificates and record data in.
 */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "capture_io.h"

size_t cx_push(struct cx *c, const char *key)
{
	size_t saved = c->plen;
	int n = snprintf(c->path + c->plen, sizeof c->path - c->plen, "%s%s", c->plen ? "." : "", key);

	if (n > 0)
		c->plen += (size_t)n < sizeof c->path - c->plen ? (size_t)n : sizeof c->path - 1 - c->plen;
	return saved;
}

size_t cx_push_index(struct cx *c, size_t i)
{
	size_t saved = c->plen;
	int n = snprintf(c->path + c->plen, sizeof c->path - c->plen, "[%zu]", i);

	if (n > 0)
		c->plen += (size_t)n < sizeof c->path - c->plen ? (size_t)n : sizeof c->path - 1 - c->plen;
	return saved;
}

void cx_pop(struct cx *c, size_t saved)
{
	c->plen = saved;
	c->path[saved] = '\0';
}

void cx_fail(struct cx *c, const char *key, const char *fmt, ...)
{
	size_t saved;
	va_list ap;
	int n;

	if (!c->ok)
		return;
	c->ok = false;
	saved = key != NULL ? cx_push(c, key) : c->plen;
	n = snprintf(c->msg, sizeof c->msg, "%s: ", c->plen ? c->path : "(top level)");
	if (n < 0 || (size_t)n >= sizeof c->msg)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(c->msg + n, sizeof c->msg - (size_t)n, fmt, ap);
	va_end(ap);
	cx_pop(c, saved);
}

/* Writing: o[key] = v, taking the reference. */
static void put(struct cx *c, json_t *o, const char *key, json_t *v)
{
	if (!c->ok) {
		json_decref(v);
		return;
	}
	if (v == NULL || json_object_set_new(o, key, v) != 0)
		cx_fail(c, key, "out of memory");
}

/* Reading: o[key], NULL when absent or after an error. */
static json_t *get(struct cx *c, json_t *o, const char *key)
{
	return c->ok ? json_object_get(o, key) : NULL;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a real number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "something else";
}

void io_sub(struct cx *c, json_t *o, const char *key, cx_fn fn, void *p)
{
	size_t saved;
	json_t *sub;

	if (!c->ok)
		return;
	if (!c->rd) {
		if ((sub = json_object()) == NULL) {
			cx_fail(c, key, "out of memory");
			return;
		}
		saved = cx_push(c, key);
		fn(c, sub, p);
		cx_pop(c, saved);
		put(c, o, key, sub);
		return;
	}
	if ((sub = get(c, o, key)) == NULL || json_is_null(sub))
		return;
	if (!json_is_object(sub)) {
		cx_fail(c, key, "%s where an object was expected", type_name(sub));
		return;
	}
	saved = cx_push(c, key);
	fn(c, sub, p);
	cx_pop(c, saved);
}

void io_opt_sub(struct cx *c, json_t *o, const char *key, bool *present, cx_fn fn, void *p)
{
	json_t *sub;

	if (!c->ok)
		return;
	if (!c->rd) {
		if (*present)
			io_sub(c, o, key, fn, p);
		else
			put(c, o, key, json_null());
		return;
	}
	sub = get(c, o, key);
	*present = sub != NULL && !json_is_null(sub);
	io_sub(c, o, key, fn, p);
}

/* Reading: the array at o[key] with at most max items; NULL when absent or null. */
static json_t *get_array(struct cx *c, json_t *o, const char *key, size_t max)
{
	json_t *a = get(c, o, key);

	if (a == NULL || json_is_null(a))
		return NULL;
	if (!json_is_array(a)) {
		cx_fail(c, key, "%s where an array was expected", type_name(a));
		return NULL;
	}
	if (json_array_size(a) > max) {
		cx_fail(c, key, "%zu items, more than the %zu a capture may hold here", json_array_size(a), max);
		return NULL;
	}
	return a;
}

void io_arr(struct cx *c, json_t *o, const char *key, void **v, size_t *n, size_t elsize, size_t max,
    cx_fn fn, void (*init)(void *))
{
	size_t saved, count;
	json_t *a;
	char *base;

	if (!c->ok)
		return;
	if (!c->rd) {
		if ((a = json_array()) == NULL) {
			cx_fail(c, key, "out of memory");
			return;
		}
		saved = cx_push(c, key);
		for (size_t i = 0; c->ok && i < *n; i++) {
			json_t *e = json_object();
			size_t s2 = cx_push_index(c, i);

			if (e == NULL || json_array_append_new(a, e) != 0)
				cx_fail(c, NULL, "out of memory");
			else
				fn(c, e, (char *)*v + i * elsize);
			cx_pop(c, s2);
		}
		cx_pop(c, saved);
		put(c, o, key, a);
		return;
	}
	if ((a = get_array(c, o, key, max)) == NULL || (count = json_array_size(a)) == 0)
		return;
	/* The field is empty (a fresh struct): fill it, freeable at every step. */
	if ((base = calloc(count, elsize)) == NULL) {
		cx_fail(c, key, "out of memory");
		return;
	}
	*v = base;
	*n = count;
	if (init != NULL)
		for (size_t i = 0; i < count; i++)
			init(base + i * elsize);
	saved = cx_push(c, key);
	for (size_t i = 0; c->ok && i < count; i++) {
		json_t *e = json_array_get(a, i);
		size_t s2 = cx_push_index(c, i);

		if (!json_is_object(e))
			cx_fail(c, NULL, "%s where an object was expected", type_name(e));
		else
			fn(c, e, base + i * elsize);
		cx_pop(c, s2);
	}
	cx_pop(c, saved);
}

/* A byte of s[i..] that a capture does not carry as is: a control other than
 * tab and line feed, DEL, or the lead byte of a C1 control (U+0080..U+009F). */
static bool is_control(const char *s, size_t i)
{
	unsigned char ch = (unsigned char)s[i];

	return (ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7f ||
	    (ch == 0xc2 && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9f);
}

/*
 * Reading: whether a string from a capture is fit for the facts. Facts are
 * shown on terminals: no control characters (tab and line feed aside), no
 * DEL, no C1 controls (U+0080..U+009F). jansson already refused NUL bytes
 * and invalid UTF-8, and its strings end with a NUL (is_control may look one
 * byte ahead).
 */
static bool text_ok(struct cx *c, const char *key, const char *s, size_t len)
{
	if (len > CAPTURE_MAX_STRING) {
		cx_fail(c, key, "a string of %zu bytes, more than the %u a capture may hold", len,
		    CAPTURE_MAX_STRING);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (is_control(s, i)) {
			cx_fail(c, key, "a control character (byte %zu) in a string", i);
			return false;
		}
	}
	return true;
}

/*
 * Writing: a string. Facts strings are printable, but should one carry a
 * control character (a connector export may) its bytes are written as \xNN,
 * as the reports show them; should it not be valid UTF-8, so are all its
 * bytes above 0x7f. What is written is always what the reader takes back.
 */
static json_t *jstr(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = strlen(s);
	bool utf8, ctrl = false;
	json_t *j;
	char *t, *w;

	for (size_t i = 0; i < len && !ctrl; i++)
		ctrl = is_control(s, i);
	j = json_stringn(s, len);
	utf8 = j != NULL;
	if (utf8 && !ctrl)
		return j;
	json_decref(j);
	if ((t = malloc(len * 4 + 1)) == NULL)
		return NULL;
	w = t;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (is_control(s, i) || (!utf8 && ch >= 0x80)) {
			/* A C1 control is two bytes in UTF-8: both are escaped. */
			size_t n = utf8 && ch == 0xc2 ? 2 : 1;

			for (size_t k = 0; k < n; k++) {
				unsigned char b = (unsigned char)s[i + k];

				*w++ = '\\';
				*w++ = 'x';
				*w++ = hex[b >> 4];
				*w++ = hex[b & 15];
			}
			i += n - 1;
		} else {
			*w++ = (char)ch;
		}
	}
	*w = '\0';
	j = json_string(t);
	free(t);
	return j;
}

/* Reading: the string at o[key]; NULL when absent, null or wrong (then failed). */
static const char *get_string(struct cx *c, json_t *o, const char *key, size_t *len)
{
	json_t *v = get(c, o, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		cx_fail(c, key, "%s where a string was expected", type_name(v));
		return NULL;
	}
	*len = json_string_length(v);
	return text_ok(c, key, json_string_value(v), *len) ? json_string_value(v) : NULL;
}

void io_str(struct cx *c, json_t *o, const char *key, char **s)
{
	const char *v;
	size_t len;

	if (!c->ok)
		return;
	if (!c->rd) {
		put(c, o, key, *s != NULL ? jstr(*s) : json_null());
		return;
	}
	if ((v = get_string(c, o, key, &len)) == NULL)
		return;
	free(*s);
	if ((*s = strndup(v, len)) == NULL)
		cx_fail(c, key, "out of memory");
}

void io_rstr(struct cx *c, json_t *o, const char *key, char **s)
{
	if (!c->rd && *s == NULL) {
		char *empty = (char *)"";

		io_str(c, o, key, &empty);
		return;
	}
	io_str(c, o, key, s);
	if (c->rd && c->ok && *s == NULL && (*s = strdup("")) == NULL)
		cx_fail(c, key, "out of memory");
}

void io_strv(struct cx *c, json_t *o, const char *key, char ***v, size_t *n, size_t max)
{
	size_t saved, count;
	json_t *a;

	if (!c->ok)
		return;
	if (!c->rd) {
		if ((a = json_array()) == NULL) {
			cx_fail(c, key, "out of memory");
			return;
		}
		for (size_t i = 0; c->ok && i < *n; i++)
			if (json_array_append_new(a, jstr((*v)[i] != NULL ? (*v)[i] : "")) != 0)
				cx_fail(c, key, "out of memory");
		put(c, o, key, a);
		return;
	}
	if ((a = get_array(c, o, key, max)) == NULL || (count = json_array_size(a)) == 0)
		return;
	if ((*v = calloc(count, sizeof **v)) == NULL) {
		cx_fail(c, key, "out of memory");
		return;
	}
	*n = count;
	saved = cx_push(c, key);
	for (size_t i = 0; c->ok && i < count; i++) {
		json_t *e = json_array_get(a, i);
		size_t s2 = cx_push_index(c, i);

		if (!json_is_string(e))
			cx_fail(c, NULL, "%s where a string was expected", type_name(e));
		else if (text_ok(c, NULL, json_string_value(e), json_string_length(e)) &&
		    ((*v)[i] = strndup(json_string_value(e), json_string_length(e))) == NULL)
			cx_fail(c, NULL, "out of memory");
		cx_pop(c, s2);
	}
	cx_pop(c, saved);
}

void io_fixed(struct cx *c, json_t *o, const char *key, char *buf, size_t size)
{
	const char *v;
	size_t len;

	if (!c->ok)
		return;
	if (!c->rd) {
		put(c, o, key, jstr(buf));
		return;
	}
	if ((v = get_string(c, o, key, &len)) == NULL)
		return;
	if (len >= size || memchr(v, '\0', len) != NULL) {
		cx_fail(c, key, "a string of %zu bytes, longer than the %zu this field holds", len, size - 1);
		return;
	}
	memcpy(buf, v, len);
	buf[len] = '\0';
}

void io_b64(struct cx *c, json_t *o, const char *key, unsigned char **p, size_t *len)
{
	const char *v;
	size_t slen;
	char *s;

	if (!c->ok)
		return;
	if (!c->rd) {
		if (*p == NULL || *len == 0) {
			put(c, o, key, json_null());
			return;
		}
		s = capture_b64_encode(*p, *len);
		put(c, o, key, s != NULL ? json_string(s) : NULL);
		free(s);
		return;
	}
	if ((v = get_string(c, o, key, &slen)) == NULL)
		return;
	free(*p);
	*p = NULL;
	*len = 0;
	if (!capture_b64_decode(v, slen, p, len))
		cx_fail(c, key, "not base64");
}

bool io_num(struct cx *c, json_t *o, const char *key, long long *v, long long lo, long long hi)
{
	json_t *j;
	long long x;

	if (!c->ok)
		return false;
	if (!c->rd) {
		put(c, o, key, json_integer((json_int_t)*v));
		return false;
	}
	if ((j = get(c, o, key)) == NULL)
		return false;
	if (!json_is_integer(j)) {
		cx_fail(c, key, "%s where an integer was expected", type_name(j));
		return false;
	}
	x = (long long)json_integer_value(j);
	if (x < lo || x > hi) {
		cx_fail(c, key, "%lld is out of range (%lld to %lld)", x, lo, hi);
		return false;
	}
	*v = x;
	return true;
}

bool io_bool(struct cx *c, json_t *o, const char *key, bool *v)
{
	json_t *j;

	if (!c->ok)
		return false;
	if (!c->rd) {
		put(c, o, key, json_boolean(*v));
		return false;
	}
	if ((j = get(c, o, key)) == NULL)
		return false;
	if (!json_is_boolean(j)) {
		cx_fail(c, key, "%s where true or false was expected", type_name(j));
		return false;
	}
	*v = json_is_true(j);
	return true;
}

bool io_enum(struct cx *c, json_t *o, const char *key, const char *const *names, size_t n, int *v)
{
	const char *s;
	size_t len;

	if (!c->ok)
		return false;
	if (!c->rd) {
		if (*v < 0 || (size_t)*v >= n || names[*v] == NULL)
			cx_fail(c, key, "the value %d has no name in the capture format", *v);
		else
			put(c, o, key, json_string(names[*v]));
		return false;
	}
	if ((s = get_string(c, o, key, &len)) == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (names[i] != NULL && strlen(names[i]) == len && memcmp(names[i], s, len) == 0) {
			*v = (int)i;
			return true;
		}
	}
	cx_fail(c, key, "\"%.40s\" is not one of the values this field takes", s);
	return false;
}

/* ---- base64 ---- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *capture_b64_encode(const unsigned char *p, size_t len)
{
	char *s, *w;

	if (len > SIZE_MAX / 2 || (s = malloc((len + 2) / 3 * 4 + 1)) == NULL)
		return NULL;
	w = s;
	for (size_t i = 0; i < len; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16;
		size_t left = len - i;

		if (left > 1)
			v |= (unsigned long)p[i + 1] << 8;
		if (left > 2)
			v |= p[i + 2];
		*w++ = b64[v >> 18 & 63];
		*w++ = b64[v >> 12 & 63];
		*w++ = left > 1 ? b64[v >> 6 & 63] : '=';
		*w++ = left > 2 ? b64[v & 63] : '=';
	}
	*w = '\0';
	return s;
}

/* The value of a base64 digit, -1 for anything else. */
static int b64_value(char ch)
{
	const char *p = ch != '\0' ? strchr(b64, ch) : NULL;

	return p != NULL ? (int)(p - b64) : -1;
}

bool capture_b64_decode(const char *s, size_t slen, unsigned char **out, size_t *outlen)
{
	unsigned char *buf;
	size_t pad = 0, n = 0;

	*out = NULL;
	*outlen = 0;
	if (slen % 4 != 0)
		return false;
	if (slen > 0 && s[slen - 1] == '=')
		pad = slen > 1 && s[slen - 2] == '=' ? 2 : 1;
	/* An empty blob is written as null; "" is not something this writer makes. */
	if (slen == 0 || (buf = malloc(slen / 4 * 3)) == NULL)
		return false;
	for (size_t i = 0; i < slen; i += 4) {
		int d[4];
		bool last = i + 4 == slen;

		for (int k = 0; k < 4; k++) {
			d[k] = b64_value(s[i + k]);
			/* '=' only as the padding of the last group. */
			if (d[k] < 0 && last && s[i + k] == '=' && k >= 4 - (int)pad)
				d[k] = 0;
			else if (d[k] < 0) {
				free(buf);
				return false;
			}
		}
		buf[n++] = (unsigned char)(d[0] << 2 | d[1] >> 4);
		if (!(last && pad == 2))
			buf[n++] = (unsigned char)((d[1] & 15) << 4 | d[2] >> 2);
		if (!(last && pad >= 1))
			buf[n++] = (unsigned char)((d[2] & 3) << 6 | d[3]);
		/* Bits the padding drops must be zero (one encoding per blob). */
		if (last && ((pad == 2 && (d[1] & 15) != 0) || (pad == 1 && (d[2] & 3) != 0))) {
			free(buf);
			return false;
		}
	}
	*out = buf;
	*outlen = n;
	return true;
}

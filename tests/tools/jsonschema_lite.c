#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonschema_lite.h"

struct jsl {
	const json_t *root;
	char path[512];
	size_t plen;
	char *err;
	size_t errlen;
};

static bool fail(struct jsl *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(struct jsl *c, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (c->errlen > 0)
		snprintf(c->err, c->errlen, "%s: %s", c->path, msg);
	return false;
}

/* Append a segment to the path; returns the length to restore. */
static size_t push(struct jsl *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static size_t push(struct jsl *c, const char *fmt, ...)
{
	size_t old = c->plen;
	va_list ap;
	int n;

	if (old < sizeof c->path - 1) {
		va_start(ap, fmt);
		n = vsnprintf(c->path + old, sizeof c->path - old, fmt, ap);
		va_end(ap);
		if (n > 0)
			c->plen = old + (size_t)n < sizeof c->path ? old + (size_t)n : sizeof c->path - 1;
	}
	return old;
}

static void pop(struct jsl *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

const json_t *jsonschema_lite_resolve(const json_t *root, const char *ref)
{
	const json_t *cur = root;
	const char *p;
	char tok[256];

	if (ref == NULL || ref[0] != '#')
		return NULL;
	p = ref + 1;
	while (*p == '/' && cur != NULL) {
		size_t n = 0;

		for (p++; *p && *p != '/'; p++) {
			char ch = *p;

			if (ch == '~') {
				if (p[1] == '0')
					ch = '~';
				else if (p[1] == '1')
					ch = '/';
				else
					return NULL;
				p++;
			}
			if (n + 1 >= sizeof tok)
				return NULL;
			tok[n++] = ch;
		}
		tok[n] = '\0';
		if (json_is_object(cur)) {
			cur = json_object_get(cur, tok);
		} else if (json_is_array(cur)) {
			char *end;
			unsigned long i = strtoul(tok, &end, 10);

			if (n == 0 || *end != '\0')
				return NULL;
			cur = json_array_get(cur, i);
		} else {
			return NULL;
		}
	}
	return *p == '\0' ? cur : NULL;
}

static const char *type_of(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "number";
	case JSON_TRUE:
	case JSON_FALSE: return "boolean";
	case JSON_NULL: return "null";
	}
	return "?";
}

static bool type_is(const json_t *v, const char *t)
{
	if (strcmp(t, "number") == 0)
		return json_is_number(v);
	if (strcmp(t, "integer") == 0)
		return json_is_integer(v);
	if (strcmp(t, "boolean") == 0)
		return json_is_boolean(v);
	return strcmp(type_of(v), t) == 0;
}

static bool known_type(const char *t)
{
	static const char *const names[] = { "object", "array", "string", "integer", "number",
	    "boolean", "null" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(t, names[i]) == 0)
			return true;
	return false;
}

static bool keyword_known(const char *k)
{
	static const char *const names[] = {
		/* checked */
		"$ref", "type", "enum", "const", "minimum", "maximum", "properties", "required",
		"additionalProperties", "items",
		/* annotations */
		"$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default",
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(k, names[i]) == 0)
			return true;
	return false;
}

static bool check(struct jsl *c, const json_t *s, const json_t *v, int depth);

static bool check_type(struct jsl *c, const json_t *t, const json_t *v)
{
	char want[160] = "";
	size_t i;
	json_t *e;

	if (json_is_string(t)) {
		if (!known_type(json_string_value(t)))
			return fail(c, "schema: unknown type \"%s\"", json_string_value(t));
		if (type_is(v, json_string_value(t)))
			return true;
		return fail(c, "expected %s, got %s", json_string_value(t), type_of(v));
	}
	if (!json_is_array(t) || json_array_size(t) == 0)
		return fail(c, "schema: \"type\" must be a string or a non-empty array");
	json_array_foreach(t, i, e) {
		if (!json_is_string(e) || !known_type(json_string_value(e)))
			return fail(c, "schema: bad entry in \"type\"");
		if (type_is(v, json_string_value(e)))
			return true;
		if (strlen(want) + strlen(json_string_value(e)) + 4 < sizeof want) {
			if (i > 0)
				strcat(want, " or ");
			strcat(want, json_string_value(e));
		}
	}
	return fail(c, "expected %s, got %s", want, type_of(v));
}

/* A short rendering of v for messages. */
static void brief(const json_t *v, char *buf, size_t len)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

	if (s == NULL) {
		snprintf(buf, len, "(%s)", type_of(v));
		return;
	}
	if (strlen(s) > 60)
		snprintf(buf, len, "%.57s...", s);
	else
		snprintf(buf, len, "%s", s);
	free(s);
}

static bool check_object(struct jsl *c, const json_t *s, const json_t *v, int depth)
{
	const json_t *props = json_object_get(s, "properties");
	const json_t *req = json_object_get(s, "required");
	const json_t *addl = json_object_get(s, "additionalProperties");
	const char *key;
	json_t *val, *e;
	size_t i;

	if (props != NULL && !json_is_object(props))
		return fail(c, "schema: \"properties\" must be an object");
	if (req != NULL) {
		if (!json_is_array(req))
			return fail(c, "schema: \"required\" must be an array");
		json_array_foreach(req, i, e) {
			if (!json_is_string(e))
				return fail(c, "schema: \"required\" must hold strings");
			if (json_object_get(v, json_string_value(e)) == NULL)
				return fail(c, "required property \"%s\" is missing", json_string_value(e));
		}
	}
	json_object_foreach((json_t *)v, key, val) {
		const json_t *ps = props ? json_object_get(props, key) : NULL;
		size_t old;
		bool ok;

		if (ps == NULL) {
			if (addl == NULL || json_is_true(addl))
				continue;
			if (json_is_false(addl))
				return fail(c, "property \"%s\" is not allowed (additionalProperties is false)", key);
			ps = addl;
		}
		old = push(c, ".%s", key);
		ok = check(c, ps, val, depth + 1);
		pop(c, old);
		if (!ok)
			return false;
	}
	return true;
}

static bool check(struct jsl *c, const json_t *s, const json_t *v, int depth)
{
	const json_t *k;
	const char *key;
	json_t *val;

	if (depth > JSL_MAX_DEPTH)
		return fail(c, "nesting deeper than %d (a $ref loop?)", JSL_MAX_DEPTH);
	if (json_is_true(s))
		return true;
	if (json_is_false(s))
		return fail(c, "no value is allowed here (schema false)");
	if (!json_is_object(s))
		return fail(c, "schema: a schema must be an object or a boolean");
	json_object_foreach((json_t *)s, key, val)
		if (!keyword_known(key))
			return fail(c, "schema: unsupported keyword \"%s\"", key);

	if ((k = json_object_get(s, "$ref")) != NULL) {
		const json_t *target;

		if (!json_is_string(k))
			return fail(c, "schema: \"$ref\" must be a string");
		if ((target = jsonschema_lite_resolve(c->root, json_string_value(k))) == NULL)
			return fail(c, "schema: \"$ref\" %s does not resolve", json_string_value(k));
		if (!check(c, target, v, depth + 1))
			return false;
	}
	if ((k = json_object_get(s, "type")) != NULL && !check_type(c, k, v))
		return false;
	if ((k = json_object_get(s, "const")) != NULL && !json_equal(k, v)) {
		char got[80], want[80];

		brief(v, got, sizeof got);
		brief(k, want, sizeof want);
		return fail(c, "%s is not the constant %s", got, want);
	}
	if ((k = json_object_get(s, "enum")) != NULL) {
		bool found = false;
		size_t i;
		json_t *e;
		char got[80];

		if (!json_is_array(k))
			return fail(c, "schema: \"enum\" must be an array");
		json_array_foreach(k, i, e)
			if (json_equal(e, v))
				found = true;
		if (!found) {
			brief(v, got, sizeof got);
			return fail(c, "%s is not one of the enum values", got);
		}
	}
	if ((k = json_object_get(s, "minimum")) != NULL) {
		if (!json_is_number(k))
			return fail(c, "schema: \"minimum\" must be a number");
		if (json_is_number(v) && json_number_value(v) < json_number_value(k))
			return fail(c, "%g is below the minimum %g", json_number_value(v), json_number_value(k));
	}
	if ((k = json_object_get(s, "maximum")) != NULL) {
		if (!json_is_number(k))
			return fail(c, "schema: \"maximum\" must be a number");
		if (json_is_number(v) && json_number_value(v) > json_number_value(k))
			return fail(c, "%g is above the maximum %g", json_number_value(v), json_number_value(k));
	}
	if (json_is_object(v) && !check_object(c, s, v, depth))
		return false;
	if ((k = json_object_get(s, "items")) != NULL && json_is_array(v)) {
		size_t i;
		json_t *e;

		json_array_foreach(v, i, e) {
			size_t old = push(c, "[%zu]", i);
			bool ok = check(c, k, e, depth + 1);

			pop(c, old);
			if (!ok)
				return false;
		}
	}
	return true;
}

bool jsonschema_lite_validate(const json_t *schema, const json_t *instance, char *err, size_t errlen)
{
	struct jsl c = { .root = schema, .err = err, .errlen = errlen };

	if (errlen > 0)
		err[0] = '\0';
	if (schema == NULL || instance == NULL) {
		if (errlen > 0)
			snprintf(err, errlen, "$: no schema or no document");
		return false;
	}
	c.path[0] = '$';
	c.path[1] = '\0';
	c.plen = 1;
	return check(&c, schema, instance, 0);
}

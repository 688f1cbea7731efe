/*
 * ConvertTo-Json connector exports: one object, an array, PowerShell's
 * {"value": [...], "Count": n} wrapping, or several documents one after the
 * other. Values come as strings, numbers (enums), booleans, arrays, objects
 * (IPRange, SmartHost, SmtpX509Identifier, ADObjectId) or, below -Depth, a
 * .NET type name string.
 */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connector.h"

/* Member of o by case-insensitive name, or NULL. */
static json_t *get_ci(json_t *o, const char *name)
{
	const char *k;
	json_t *v;

	if (!json_is_object(o))
		return NULL;
	json_object_foreach(o, k, v)
		if (strcasecmp(k, name) == 0)
			return v;
	return NULL;
}

static const char *get_str(json_t *o, const char *name)
{
	json_t *v = get_ci(o, name);

	return json_is_string(v) && !connector_is_type_name(json_string_value(v))
		       ? json_string_value(v)
		       : NULL;
}

/* The text an object stands for, into buf; false if there is no telling. */
static bool object_text(json_t *o, char *buf, size_t len)
{
	const char *s, *t;
	json_t *v;

	if ((s = get_str(o, "CertificateIssuer")) != NULL &&
	    (t = get_str(o, "CertificateSubject")) != NULL) {
		snprintf(buf, len, "<I>%s<S>%s", s, t);
		return true;
	}
	if ((s = get_str(o, "Expression")) != NULL) {
		snprintf(buf, len, "%s", s);
		return true;
	}
	if ((v = get_ci(o, "IsIPAddress")) != NULL && json_is_boolean(v)) {
		json_t *a = get_ci(o, "Address");

		if (json_is_true(v) && json_is_object(a))
			s = get_str(a, "IPAddressToString");
		else if (json_is_true(v))
			s = get_str(o, "Address");
		else if (json_is_object(get_ci(o, "Domain")))
			s = get_str(get_ci(o, "Domain"), "Domain");
		else
			s = get_str(o, "Domain");
		if (s != NULL) {
			snprintf(buf, len, "%s", s);
			return true;
		}
	}
	v = get_ci(o, "value");
	if (json_is_string(v) && !connector_is_type_name(json_string_value(v))) {
		snprintf(buf, len, "%s", json_string_value(v));
		return true;
	}
	if (json_is_integer(v)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
		return true;
	}
	if ((s = get_str(o, "ToString")) != NULL) {
		snprintf(buf, len, "%s", s);
		return true;
	}
	if ((s = get_str(o, "Address")) != NULL && (t = get_str(o, "Type")) != NULL &&
	    json_is_integer(get_ci(o, "Cost"))) {
		snprintf(buf, len, "%s:%s;%lld", t, s, (long long)json_integer_value(get_ci(o, "Cost")));
		return true;
	}
	if ((s = get_str(o, "Address")) != NULL && json_is_integer(v = get_ci(o, "Port"))) {
		snprintf(buf, len, strchr(s, ':') ? "[%s]:%lld" : "%s:%lld", s,
			 (long long)json_integer_value(v));
		return true;
	}
	if ((get_ci(o, "DistinguishedName") != NULL || get_ci(o, "ObjectGuid") != NULL) &&
	    (s = get_str(o, "Name")) != NULL) {
		snprintf(buf, len, "%s", s);
		return true;
	}
	return false;
}

static bool set_note(struct connector_rawprop *p, const char *note)
{
	if (p->note != NULL)
		return true;
	p->note = strdup(note);
	return p->note != NULL;
}

/* Convert an array into p's list; a type-name item makes the whole value lost. */
static bool conv_array(json_t *a, struct connector_rawprop *p)
{
	char buf[1024];
	size_t i;
	json_t *e;

	p->type = CONNECTOR_RAW_LIST;
	p->list.present = true;
	json_array_foreach(a, i, e) {
		if (json_is_string(e)) {
			if (connector_is_type_name(json_string_value(e))) {
				connector_list_free(&p->list);
				p->type = CONNECTOR_RAW_LOST;
				p->s = strdup(json_string_value(e));
				return p->s != NULL;
			}
			if (!connector_list_add(&p->list, json_string_value(e),
						strlen(json_string_value(e))))
				return false;
		} else if (json_is_integer(e)) {
			snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(e));
			if (!connector_list_add(&p->list, buf, strlen(buf)))
				return false;
		} else if (json_is_object(e) && object_text(e, buf, sizeof buf)) {
			if (!connector_list_add(&p->list, buf, strlen(buf)))
				return false;
		} else if (!json_is_null(e)) {
			if (!set_note(p, "an item had no recognizable value and was skipped; "
				      "re-export with ConvertTo-Json -Depth 5"))
				return false;
		}
	}
	return true;
}

/* Convert one JSON member value into p. False on out of memory. */
static bool conv_value(json_t *v, struct connector_rawprop *p)
{
	char buf[1024];
	json_t *inner;

	switch (json_typeof(v)) {
	case JSON_NULL:
		p->type = CONNECTOR_RAW_NULL;
		return true;
	case JSON_TRUE:
	case JSON_FALSE:
		p->type = CONNECTOR_RAW_BOOL;
		p->b = json_is_true(v);
		return true;
	case JSON_INTEGER:
		p->type = CONNECTOR_RAW_INT;
		p->i = (long long)json_integer_value(v);
		return true;
	case JSON_REAL:
		snprintf(buf, sizeof buf, "%g", json_real_value(v));
		p->type = CONNECTOR_RAW_STR;
		p->s = strdup(buf);
		return p->s != NULL;
	case JSON_STRING:
		p->type = connector_is_type_name(json_string_value(v)) ? CONNECTOR_RAW_LOST
								      : CONNECTOR_RAW_STR;
		p->s = strdup(json_string_value(v));
		return p->s != NULL;
	case JSON_ARRAY:
		return conv_array(v, p);
	case JSON_OBJECT:
		inner = get_ci(v, "value");
		if (json_is_array(inner))
			return conv_array(inner, p);
		if (object_text(v, buf, sizeof buf)) {
			p->type = CONNECTOR_RAW_STR;
			p->s = strdup(buf);
			return p->s != NULL;
		}
		p->type = CONNECTOR_RAW_LOST;
		p->s = strdup("an object with no recognizable value");
		return p->s != NULL;
	}
	return true;
}

/* Offsets of the objects at nesting depth want (1: in the top array). */
static size_t object_starts(const char *t, size_t len, int want, size_t *offs, size_t max)
{
	size_t i, n = 0;
	int depth = 0;
	bool str = false;

	for (i = 0; i < len; i++) {
		char c = t[i];

		if (str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				str = false;
			continue;
		}
		if (c == '"') {
			str = true;
		} else if (c == '{' || c == '[') {
			if (c == '{' && depth == want && n < max)
				offs[n++] = i;
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth <= 0 && i > 0)
				return n;
		}
	}
	return n;
}

static int count_lines(const char *t, size_t n)
{
	int line = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i] == '\n')
			line++;
	return line;
}

/* Line of the first "key" after t[from], within [from, to). */
static int key_line(const char *t, size_t from, size_t to, const char *key, int base)
{
	size_t kl = strlen(key), i;

	for (i = from; i + kl + 2 <= to; i++)
		if (t[i] == '"' && strncmp(t + i + 1, key, kl) == 0 && t[i + 1 + kl] == '"')
			return base + count_lines(t + from, i - from);
	return base;
}

static bool add_object(json_t *o, const char *t, size_t from, size_t to, int line,
		       struct connector_rawset *out, char *err, size_t errlen)
{
	struct connector_raw *r = connector_rawset_add(out, line);
	const char *k;
	json_t *v;

	if (r == NULL)
		return connector_fail(err, errlen, line, "too many objects (more than %d) or out "
				      "of memory", CONNECTOR_MAX_OBJECTS);
	json_object_foreach(o, k, v) {
		int pl = key_line(t, from, to, k, line);
		struct connector_rawprop *p = connector_raw_add(r, k, strlen(k), pl);

		if (p == NULL || !conv_value(v, p))
			return connector_fail(err, errlen, pl, "out of memory or too many properties");
	}
	return true;
}

/* Turn one top-level document at t[0..len) into records. */
static bool add_document(json_t *doc, const char *t, size_t len, int base,
			 struct connector_rawset *out, size_t *nobj, char *err, size_t errlen)
{
	size_t *offs = NULL, n, i;
	json_t *e, *inner;
	bool ok = true;
	int want = 1;

	if (json_is_object(doc) && json_is_array(inner = get_ci(doc, "value")) &&
	    json_object_size(doc) <= 2) {
		doc = inner;
		want = 2;
	}
	if (json_is_object(doc)) {
		(*nobj)++;
		return add_object(doc, t, 0, len, base, out, err, errlen);
	}
	if (json_array_size(doc) == 0)
		return connector_fail(err, errlen, base, "an empty JSON array: the cmdlet returned no "
				      "connectors; expected one object or an array of objects");
	offs = calloc(json_array_size(doc), sizeof *offs);
	if (offs == NULL)
		return connector_fail(err, errlen, base, "out of memory");
	n = object_starts(t, len, want, offs, json_array_size(doc));
	json_array_foreach(doc, i, e) {
		size_t from = i < n ? offs[i] : 0;
		size_t to = i + 1 < n ? offs[i + 1] : len;
		int line = base + count_lines(t, from);

		if (!json_is_object(e)) {
			ok = connector_fail(err, errlen, line,
					    "array item %zu is a %s, not an object; expected an array "
					    "of connector objects", i + 1,
					    json_is_array(e) ? "nested array" : "plain value");
			break;
		}
		(*nobj)++;
		if (!add_object(e, t, from, to, line, out, err, errlen)) {
			ok = false;
			break;
		}
	}
	free(offs);
	return ok;
}

bool connector_json_read(const char *text, size_t len, struct connector_rawset *out, char *how,
			 size_t howlen, char *err, size_t errlen)
{
	size_t off = 0, docs = 0, nobj = 0;
	json_error_t jerr;

	for (;;) {
		json_t *doc;
		int base;

		while (off < len && (text[off] == ' ' || text[off] == '\t' || text[off] == '\r' ||
				     text[off] == '\n'))
			off++;
		if (off >= len)
			break;
		base = 1 + count_lines(text, off);
		if (text[off] != '{' && text[off] != '[')
			return connector_fail(err, errlen, base,
					      "unexpected text after the JSON %s; expected nothing, "
					      "or another ConvertTo-Json object",
					      docs ? "document" : "start");
		doc = json_loadb(text + off, len - off, JSON_DISABLE_EOF_CHECK, &jerr);
		if (doc == NULL) {
			int line = jerr.line > 0 ? base + jerr.line - 1 : base;

			return connector_fail(err, errlen, line,
					      "malformed or truncated JSON (%s); expected a complete "
					      "ConvertTo-Json object or array", jerr.text);
		}
		if (!add_document(doc, text + off, jerr.position, base, out, &nobj, err,
				  errlen)) {
			json_decref(doc);
			return false;
		}
		json_decref(doc);
		off += jerr.position;
		docs++;
	}
	snprintf(how, howlen, "ConvertTo-Json: %zu document%s, %zu object%s", docs,
		 docs == 1 ? "" : "s", nobj, nobj == 1 ? "" : "s");
	return true;
}

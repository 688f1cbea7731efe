/*
 * Format-List connector exports: "Name   : value" lines, one object per
 * block separated by blank lines; multi-valued properties as "{a, b, c}",
 * cut at $FormatEnumerationLimit with "..." (or "…"); long values wrapped
 * at the console width onto continuation lines indented to the value
 * column (PowerShell breaks them mid-word, so they are joined without a
 * space); RunspaceId / PSComputerName lines from remote sessions ignored.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connector.h"

struct fl {
	struct connector_rawset *out;
	struct connector_raw *cur;   /* record being read, or NULL */
	struct connector_rawprop *prop; /* property being read, or NULL (noise) */
	size_t col;                  /* value column of that property */
	int wraps;                   /* continuation lines of that property */
	size_t noise;
	char *err;
	size_t errlen;
};

static bool is_noise(const char *k, size_t n)
{
	static const char *const noise[] = { "RunspaceId", "PSComputerName", "PSShowComputerName",
					     "PSSourceJobInstanceId", NULL };
	size_t i;

	for (i = 0; noise[i] != NULL; i++)
		if (strlen(noise[i]) == n && strncasecmp(k, noise[i], n) == 0)
			return true;
	return false;
}

/* Append s[0..n) to the value being built in p->s. */
static bool append(struct connector_rawprop *p, const char *s, size_t n)
{
	size_t have = p->s != NULL ? strlen(p->s) : 0;
	char *ns = realloc(p->s, have + n + 1);

	if (ns == NULL)
		return false;
	memcpy(ns + have, s, n);
	ns[have + n] = '\0';
	p->s = ns;
	return true;
}

/* Turn the collected text of p into NULL, a string, or a "{a, b}" list. */
static bool finish_prop(struct fl *f)
{
	struct connector_rawprop *p = f->prop;
	char *s, *b, *e, *q;
	size_t n;

	f->prop = NULL;
	if (p == NULL)
		return true;
	s = p->s != NULL ? p->s : "";
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	b = s;
	while (isspace((unsigned char)*b))
		b++;
	if (*b == '\0') {
		free(p->s);
		p->s = NULL;
		p->type = CONNECTOR_RAW_NULL;
		return true;
	}
	if (*b != '{') {
		memmove(s, b, strlen(b) + 1);
		p->type = CONNECTOR_RAW_STR;
		return true;
	}
	p->type = CONNECTOR_RAW_LIST;
	p->list.present = true;
	e = b + strlen(b);
	if (e[-1] == '}') {
		e--;
	} else if (p->note == NULL) {
		p->note = strdup("the list has no closing '}' (cut short in the export?); read "
				 "as far as it goes");
		if (p->note == NULL)
			return false;
	}
	b++;
	*e = '\0';
	n = strlen(b);
	while (n > 0 && isspace((unsigned char)b[n - 1]))
		b[--n] = '\0';
	if (n >= 3 && strcmp(b + n - 3, "...") == 0) {
		p->truncated = true;
		b[n -= 3] = '\0';
	} else if (n >= 3 && strcmp(b + n - 3, "\xE2\x80\xA6") == 0) {
		p->truncated = true;
		b[n -= 3] = '\0';
	}
	while (*b != '\0') {
		q = strchr(b, ',');
		if (q == NULL)
			q = b + strlen(b);
		/* skip the empty tail a cut mark leaves ("{a, b, ...}") */
		if (!(q == b + strlen(b) && strspn(b, " \t") == strlen(b)) &&
		    !connector_list_add(&p->list, b, (size_t)(q - b)))
			return false;
		b = *q != '\0' ? q + 1 : q;
	}
	free(p->s);
	p->s = NULL;
	return true;
}

static bool finish_record(struct fl *f)
{
	if (!finish_prop(f))
		return false;
	f->cur = NULL;
	return true;
}

/* "Key   : value": the key length and the value column, or false. */
static bool key_line(const char *l, size_t n, size_t *klen, size_t *col)
{
	size_t i = 0;

	if (n == 0 || !(isalpha((unsigned char)l[0]) || l[0] == '_'))
		return false;
	while (i < n && (isalnum((unsigned char)l[i]) || l[i] == '_' || l[i] == '.' || l[i] == '-'))
		i++;
	*klen = i;
	while (i < n && l[i] == ' ')
		i++;
	if (i >= n || l[i] != ':')
		return false;
	i++;
	if (i < n && l[i] == ' ')
		i++;
	*col = i;
	return true;
}

static bool is_dashes(const char *l, size_t n)
{
	size_t i, d = 0;

	for (i = 0; i < n; i++) {
		if (l[i] == '-')
			d++;
		else if (l[i] != ' ')
			return false;
	}
	return d >= 3;
}

static bool one_line(struct fl *f, const char *l, size_t n, const char *next, size_t nextn,
		     int line)
{
	size_t klen, col, i;

	for (i = 0; i < n && isspace((unsigned char)l[i]); i++)
		;
	if (i == n)
		return finish_record(f);
	if (i > 0) {
		if (f->cur == NULL)
			return connector_fail(f->err, f->errlen, line,
					      "an indented line with no property before it; expected "
					      "'Property : value' (Format-List)");
		if (f->prop == NULL)
			return true; /* continuation of a noise property */
		/* strip the indentation up to the value column only */
		for (i = 0; i < n && i < f->col && l[i] == ' '; i++)
			;
		f->wraps++;
		if (!append(f->prop, l + i, n - i))
			return connector_fail(f->err, f->errlen, line, "out of memory");
		return true;
	}
	if (!key_line(l, n, &klen, &col)) {
		if (nextn > 0 && is_dashes(next, nextn))
			return connector_fail(f->err, f->errlen, line,
					      "this is Format-Table output, which cuts columns; "
					      "expected Format-List ('Property : value' lines) or "
					      "ConvertTo-Json");
		if (memchr(l, ',', n) != NULL && memchr(l, ':', n) == NULL)
			return connector_fail(f->err, f->errlen, line,
					      "this looks like CSV; expected Format-List "
					      "('Property : value' lines), ConvertTo-Json or "
					      "Export-Clixml");
		return connector_fail(f->err, f->errlen, line,
				      "expected 'Property : value' (Format-List of a connector), "
				      "found \"%.40s\"", l);
	}
	if (!finish_prop(f))
		return connector_fail(f->err, f->errlen, line, "out of memory");
	if (f->cur == NULL && (f->cur = connector_rawset_add(f->out, line)) == NULL)
		return connector_fail(f->err, f->errlen, line, "too many objects (more than %d) "
				      "or out of memory", CONNECTOR_MAX_OBJECTS);
	f->wraps = 0;
	f->col = col;
	if (is_noise(l, klen)) {
		f->noise++;
		return true;
	}
	f->prop = connector_raw_add(f->cur, l, klen, line);
	if (f->prop == NULL || !append(f->prop, l + col, n - col))
		return connector_fail(f->err, f->errlen, line, "out of memory or too many "
				      "properties");
	return true;
}

bool connector_fl_read(const char *text, size_t len, struct connector_rawset *out, char *how,
		       size_t howlen, char *err, size_t errlen)
{
	struct fl f = { .out = out, .err = err, .errlen = errlen };
	const char *p = text, *end = text + len;
	int line = 1;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl != NULL ? nl : end;
		const char *np = nl != NULL ? nl + 1 : end, *nnl, *nle;
		size_t n = (size_t)(le - p), nn;

		if (n > 0 && p[n - 1] == '\r')
			n--;
		nnl = np < end ? memchr(np, '\n', (size_t)(end - np)) : NULL;
		nle = nnl != NULL ? nnl : end;
		nn = (size_t)(nle - np);
		if (nn > 0 && np[nn - 1] == '\r')
			nn--;
		if (!one_line(&f, p, n, np, nn, line))
			return false;
		p = np;
		line++;
	}
	if (!finish_record(&f))
		return connector_fail(err, errlen, line, "out of memory");
	snprintf(how, howlen, "Format-List: %zu object%s%s", out->n, out->n == 1 ? "" : "s",
		 f.noise ? ", remote-session RunspaceId/PSComputerName lines ignored" : "");
	return true;
}

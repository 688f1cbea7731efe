#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mtasts.h"
#include "textutil.h"

const char *mtasts_mode_name(enum mtasts_mode m)
{
	switch (m) {
	case MTASTS_MODE_ENFORCE:
		return "enforce";
	case MTASTS_MODE_TESTING:
		return "testing";
	case MTASTS_MODE_NONE:
		return "none";
	case MTASTS_MODE_UNSET:
		break;
	}
	return "";
}

bool mtasts_is_record(const char *txt)
{
	return txt != NULL && strncmp(txt, "v=STSv1", 7) == 0 &&
	    (txt[7] == ';' || txt[7] == '\0' || text_is_wsp(txt[7]));
}

bool mtasts_record_parse(const char *txt, struct mtasts_record *out, char *err, size_t errlen)
{
	size_t len, nfields = 0;
	const char *p;

	memset(out, 0, sizeof *out);
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (txt == NULL) {
		text_seterr(err, errlen, "no record");
		return false;
	}
	len = strnlen(txt, MTASTS_TXT_MAX + 1);
	if (len > MTASTS_TXT_MAX) {
		text_seterr(err, errlen, "the record is longer than %d bytes", MTASTS_TXT_MAX);
		return false;
	}
	for (p = txt; p < txt + len;) {
		const char *semi = memchr(p, ';', (size_t)(txt + len - p));
		size_t n = semi != NULL ? (size_t)(semi - p) : (size_t)(txt + len - p);
		const char *f = text_trim(p, &n), *eq;
		size_t nn, vn;

		p = semi != NULL ? semi + 1 : txt + len;
		if (n == 0)
			continue;	/* a trailing ';' */
		if (nfields++ == 0) {
			if (n != 7 || strncmp(f, "v=STSv1", 7) != 0) {
				text_seterr(err, errlen, "not an MTA-STS record: it must start with v=STSv1");
				goto fail;
			}
			continue;
		}
		eq = memchr(f, '=', n);
		nn = eq != NULL ? (size_t)(eq - f) : 0;
		vn = eq != NULL ? n - nn - 1 : 0;
		if (eq == NULL || !text_ext_name_ok(f, nn) || !text_ext_value_ok(eq + 1, vn)) {
			text_seterr(err, errlen, "invalid field \"%.*s\"", (int)(n > 60 ? 60 : n), f);
			goto fail;
		}
		if (nn == 2 && strncmp(f, "id", 2) == 0) {
			if (out->id[0] != '\0') {
				text_seterr(err, errlen, "id= appears more than once");
				goto fail;
			}
			for (size_t i = 0; i < vn; i++) {
				if (!isalnum((unsigned char)eq[1 + i]))
					vn = 0;
			}
			if (vn == 0 || vn > MTASTS_ID_MAX) {
				text_seterr(err, errlen, "invalid \"%.*s\": id must be 1 to %d letters and digits",
				    (int)(n > 60 ? 60 : n), f, MTASTS_ID_MAX);
				goto fail;
			}
			memcpy(out->id, eq + 1, vn);
			out->id[vn] = '\0';
		} else if (nn == 1 && f[0] == 'v') {
			text_seterr(err, errlen, "v= must be the first field and appear once");
			goto fail;
		} else {
			out->nextensions++;
		}
	}
	if (nfields == 0) {
		text_seterr(err, errlen, "not an MTA-STS record: it must start with v=STSv1");
		goto fail;
	}
	if (out->id[0] == '\0') {
		text_seterr(err, errlen, "no id= field (required)");
		goto fail;
	}
	return true;
fail:
	memset(out, 0, sizeof *out);
	return false;
}

/* Is s[0..n) a host name (letters, digits, inner hyphens; labels 1..63)? */
static bool hostname_ok(const char *s, size_t n)
{
	size_t label = 0;

	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (label == 0 || s[i - 1] == '-' || s[i - label] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

/* Keep one mx: pattern, lowercased. */
static bool add_mx(struct mtasts_policy *out, const char *v, size_t n, size_t line, char *err,
    size_t errlen)
{
	char *s;

	if (n > 0 && v[n - 1] == '.')
		n--;
	if (!(n > 2 && v[0] == '*' && v[1] == '.' && hostname_ok(v + 2, n - 2)) &&
	    !hostname_ok(v, n)) {
		text_seterr(err, errlen, "line %zu: invalid mx pattern \"%.*s\"", line, (int)(n > 80 ? 80 : n), v);
		return false;
	}
	if (out->nmx == MTASTS_MX_MAX) {
		text_seterr(err, errlen, "more than %d mx lines", MTASTS_MX_MAX);
		return false;
	}
	if (out->mx == NULL && (out->mx = calloc(MTASTS_MX_MAX, sizeof *out->mx)) == NULL)
		goto oom;
	if ((s = strndup(v, n)) == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++)
		s[i] = (char)tolower((unsigned char)s[i]);
	out->mx[out->nmx++] = s;
	return true;
oom:
	text_seterr(err, errlen, "out of memory");
	return false;
}

/* One "key: value" line (without its line ending); false with err set. */
static bool policy_line(struct mtasts_policy *out, const char *s, size_t n, size_t line,
    bool *have_version, char *err, size_t errlen)
{
	const char *colon = memchr(s, ':', n), *v;
	size_t kn, vn;

	if (colon == NULL) {
		text_seterr(err, errlen, "line %zu is not \"key: value\"", line);
		return false;
	}
	kn = (size_t)(colon - s);
	vn = n - kn - 1;
	v = text_trim(colon + 1, &vn);
	if (!text_ext_name_ok(s, kn)) {
		text_seterr(err, errlen, "line %zu: invalid key \"%.*s\"", line, (int)(kn > 40 ? 40 : kn), s);
		return false;
	}
	if (kn == 7 && strncmp(s, "version", 7) == 0) {
		if (*have_version)
			return true;	/* RFC 8461 3.2: the first one counts */
		if (vn != 5 || strncmp(v, "STSv1", 5) != 0) {
			text_seterr(err, errlen, "line %zu: version must be STSv1", line);
			return false;
		}
		*have_version = true;
	} else if (kn == 4 && strncmp(s, "mode", 4) == 0) {
		if (out->mode != MTASTS_MODE_UNSET)
			return true;
		if (vn == 7 && strncmp(v, "enforce", 7) == 0)
			out->mode = MTASTS_MODE_ENFORCE;
		else if (vn == 7 && strncmp(v, "testing", 7) == 0)
			out->mode = MTASTS_MODE_TESTING;
		else if (vn == 4 && strncmp(v, "none", 4) == 0)
			out->mode = MTASTS_MODE_NONE;
		else {
			text_seterr(err, errlen, "line %zu: mode must be enforce, testing or none, not \"%.*s\"",
			    line, (int)(vn > 40 ? 40 : vn), v);
			return false;
		}
	} else if (kn == 7 && strncmp(s, "max_age", 7) == 0) {
		unsigned long age = 0;

		if (out->max_age != (unsigned long)-1)
			return true;
		for (size_t i = 0; i < vn; i++) {
			if (!isdigit((unsigned char)v[i]) || i >= 10) {
				vn = 0;
				break;
			}
			age = age * 10 + (unsigned long)(v[i] - '0');
		}
		if (vn == 0 || age > MTASTS_MAX_AGE_MAX) {
			text_seterr(err, errlen, "line %zu: max_age must be 0 to %lu seconds", line,
			    MTASTS_MAX_AGE_MAX);
			return false;
		}
		out->max_age = age;
	} else if (kn == 2 && strncmp(s, "mx", 2) == 0) {
		return add_mx(out, v, vn, line, err, errlen);
	}
	return true;	/* unknown keys are extensions: ignored */
}

bool mtasts_policy_parse(const char *body, size_t len, struct mtasts_policy *out, char *err,
    size_t errlen)
{
	bool have_version = false;
	size_t line = 0, off = 0;

	memset(out, 0, sizeof *out);
	out->max_age = (unsigned long)-1;	/* not seen yet */
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (body == NULL) {
		text_seterr(err, errlen, "no policy");
		goto fail;
	}
	if (len > MTASTS_POLICY_MAX) {
		text_seterr(err, errlen, "the policy is longer than %d bytes", MTASTS_POLICY_MAX);
		goto fail;
	}
	while (off < len) {
		const char *s = body + off, *nl = memchr(s, '\n', len - off);
		size_t n = nl != NULL ? (size_t)(nl - s) : len - off;

		off += n + (nl != NULL ? 1 : 0);
		line++;
		if (n > 0 && s[n - 1] == '\r')
			n--;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];

			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				text_seterr(err, errlen, "line %zu has a control character", line);
				goto fail;
			}
		}
		s = text_trim(s, &n);
		if (n == 0)
			continue;
		if (!policy_line(out, s, n, line, &have_version, err, errlen))
			goto fail;
	}
	if (!have_version) {
		text_seterr(err, errlen, "no version: STSv1 line");
		goto fail;
	}
	if (out->mode == MTASTS_MODE_UNSET) {
		text_seterr(err, errlen, "no mode: line (enforce, testing or none)");
		goto fail;
	}
	if (out->max_age == (unsigned long)-1) {
		text_seterr(err, errlen, "no max_age: line");
		goto fail;
	}
	if (out->nmx == 0 && out->mode != MTASTS_MODE_NONE) {
		text_seterr(err, errlen, "no mx: line; mode %s needs at least one", mtasts_mode_name(out->mode));
		goto fail;
	}
	return true;
fail:
	mtasts_policy_free(out);
	return false;
}

void mtasts_policy_free(struct mtasts_policy *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < p->nmx; i++)
		free(p->mx[i]);
	free(p->mx);
	memset(p, 0, sizeof *p);
}

bool mtasts_mx_matches(const struct mtasts_policy *p, const char *mx_host)
{
	size_t hn;

	if (p == NULL || mx_host == NULL)
		return false;
	hn = strlen(mx_host);
	if (hn > 0 && mx_host[hn - 1] == '.')
		hn--;
	if (hn == 0)
		return false;
	for (size_t i = 0; i < p->nmx; i++) {
		const char *pat = p->mx[i];
		size_t pn = strlen(pat);

		if (pn > 2 && pat[0] == '*' && pat[1] == '.') {
			/* one whole leftmost label, then exactly the rest */
			const char *dot = memchr(mx_host, '.', hn);
			size_t rest;

			if (dot == NULL || dot == mx_host)
				continue;
			rest = hn - (size_t)(dot + 1 - mx_host);
			if (rest == pn - 2 && strncasecmp(dot + 1, pat + 2, rest) == 0)
				return true;
		} else if (pn == hn && strncasecmp(mx_host, pat, hn) == 0) {
			return true;
		}
	}
	return false;
}

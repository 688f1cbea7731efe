#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dmarc.h"
#include "textutil.h"

const char *dmarc_policy_name(enum dmarc_policy p)
{
	switch (p) {
	case DMARC_POLICY_NONE:
		return "none";
	case DMARC_POLICY_QUARANTINE:
		return "quarantine";
	case DMARC_POLICY_REJECT:
		return "reject";
	case DMARC_POLICY_UNSET:
		break;
	}
	return "";
}

bool dmarc_is_dmarc(const char *txt)
{
	size_t i = 1;

	if (txt == NULL || (txt[0] != 'v' && txt[0] != 'V'))
		return false;
	while (text_is_wsp(txt[i]))
		i++;
	if (txt[i++] != '=')
		return false;
	while (text_is_wsp(txt[i]))
		i++;
	if (strncmp(txt + i, "DMARC1", 6) != 0)
		return false;
	i += 6;
	while (text_is_wsp(txt[i]))
		i++;
	return txt[i] == ';' || txt[i] == '\0';
}

bool dmarc_uri_ok(const char *uri)
{
	size_t i = 0, n;
	const char *bang;

	if (uri == NULL || !isalpha((unsigned char)uri[0]))
		return false;
	while (isalnum((unsigned char)uri[i]) || uri[i] == '+' || uri[i] == '-' || uri[i] == '.')
		i++;
	if (uri[i] != ':')
		return false;
	n = strlen(uri);
	bang = strrchr(uri, '!');
	if (bang != NULL) {
		const char *p = bang + 1;

		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p != '\0' && (strchr("kmgt", tolower((unsigned char)*p)) == NULL || p[1] != '\0'))
			return false;
		n = (size_t)(bang - uri);
	}
	if (n <= i + 1)
		return false;
	for (size_t k = 0; k < n; k++)
		if ((unsigned char)uri[k] <= 0x20 || (unsigned char)uri[k] >= 0x7f)
			return false;
	if (i == 6 && strncasecmp(uri, "mailto", 6) == 0 && memchr(uri, '@', n) == NULL)
		return false;
	return true;
}

/* p= or sp=: none, quarantine or reject in any case. */
static bool parse_policy(const char *v, size_t n, enum dmarc_policy *p)
{
	if (n == 4 && strncasecmp(v, "none", 4) == 0)
		*p = DMARC_POLICY_NONE;
	else if (n == 10 && strncasecmp(v, "quarantine", 10) == 0)
		*p = DMARC_POLICY_QUARANTINE;
	else if (n == 6 && strncasecmp(v, "reject", 6) == 0)
		*p = DMARC_POLICY_REJECT;
	else
		return false;
	return true;
}

/* rua= or ruf=: comma-separated URIs, each kept trimmed. */
static bool parse_uris(const char *v, size_t n, char ***list, size_t *count, const char *tag,
    char *err, size_t errlen)
{
	char **l = calloc(DMARC_URIS_MAX, sizeof *l);
	size_t c = 0;

	if (l == NULL) {
		text_seterr(err, errlen, "out of memory");
		return false;
	}
	*list = l;
	for (;;) {
		const char *comma = memchr(v, ',', n);
		size_t len = comma != NULL ? (size_t)(comma - v) : n;
		const char *u = text_trim(v, &len);

		if (len == 0) {
			text_seterr(err, errlen, "%s= has an empty URI", tag);
			return false;
		}
		if (c == DMARC_URIS_MAX) {
			text_seterr(err, errlen, "%s= has more than %d URIs", tag, DMARC_URIS_MAX);
			return false;
		}
		if ((l[c] = strndup(u, len)) == NULL) {
			text_seterr(err, errlen, "out of memory");
			return false;
		}
		*count = ++c;
		if (comma == NULL)
			break;
		n -= (size_t)(comma - v) + 1;
		v = comma + 1;
	}
	return true;
}

/* fo=: 0, 1, d or s, joined by ':' (blanks allowed around the colons). */
static bool fo_ok(const char *v, size_t n)
{
	bool want_opt = true;

	for (size_t i = 0; i < n; i++) {
		char c = v[i];

		if (text_is_wsp(c))
			continue;
		if (want_opt) {
			if (c != '0' && c != '1' && c != 'd' && c != 's' && c != 'D' && c != 'S')
				return false;
			want_opt = false;
		} else {
			if (c != ':')
				return false;
			want_opt = true;
		}
	}
	return !want_opt;
}

enum tag_id { T_V, T_P, T_SP, T_PCT, T_RUA, T_RUF, T_ADKIM, T_ASPF, T_FO, T_RI, T_RF, T_COUNT };

static const char *const tag_names[T_COUNT] = {
	"v", "p", "sp", "pct", "rua", "ruf", "adkim", "aspf", "fo", "ri", "rf",
};

/* One known tag's value into out; false with err set if it is invalid. */
static bool parse_known(enum tag_id id, const char *v, size_t n, struct dmarc_record *out,
    char *err, size_t errlen)
{
	switch (id) {
	case T_V:
		return true;	/* checked by the caller */
	case T_P:
	case T_SP:
		if (parse_policy(v, n, id == T_P ? &out->p : &out->sp))
			return true;
		text_seterr(err, errlen, "invalid %s=%.*s (must be none, quarantine or reject)",
		    tag_names[id], (int)n, v);
		return false;
	case T_PCT: {
		int pct = 0;

		for (size_t i = 0; i < n && i < 4; i++) {
			if (!isdigit((unsigned char)v[i])) {
				pct = -1;
				break;
			}
			pct = pct * 10 + (v[i] - '0');
		}
		if (n == 0 || n > 3 || pct < 0 || pct > 100) {
			text_seterr(err, errlen, "invalid pct=%.*s (must be 0 to 100)", (int)n, v);
			return false;
		}
		out->pct = pct;
		out->pct_set = true;
		return true;
	}
	case T_RUA:
		return parse_uris(v, n, &out->rua, &out->nrua, "rua", err, errlen);
	case T_RUF:
		return parse_uris(v, n, &out->ruf, &out->nruf, "ruf", err, errlen);
	case T_ADKIM:
	case T_ASPF:
		if (n == 1 && (tolower((unsigned char)v[0]) == 'r' || tolower((unsigned char)v[0]) == 's')) {
			enum dmarc_align a = tolower((unsigned char)v[0]) == 's' ?
			    DMARC_ALIGN_STRICT : DMARC_ALIGN_RELAXED;

			if (id == T_ADKIM)
				out->adkim = a;
			else
				out->aspf = a;
			return true;
		}
		text_seterr(err, errlen, "invalid %s=%.*s (must be r or s)", tag_names[id], (int)n, v);
		return false;
	case T_FO:
		if (fo_ok(v, n) && (out->fo = strndup(v, n)) != NULL)
			return true;
		text_seterr(err, errlen, "invalid fo=%.*s (must be 0, 1, d or s, joined by ':')", (int)n, v);
		return false;
	case T_RI: {
		unsigned long ri = 0;

		for (size_t i = 0; i < n; i++) {
			if (!isdigit((unsigned char)v[i]) || i >= 10) {
				n = 0;
				break;
			}
			ri = ri * 10 + (unsigned long)(v[i] - '0');
		}
		if (n == 0 || ri > 4294967295UL) {
			text_seterr(err, errlen, "invalid ri= (must be a number of seconds)");
			return false;
		}
		out->ri = ri;
		return true;
	}
	case T_RF:
		if (n > 0 && (out->rf = strndup(v, n)) != NULL)
			return true;
		text_seterr(err, errlen, "invalid rf=");
		return false;
	case T_COUNT:
		break;
	}
	return false;
}

/* An unknown tag, kept. */
static bool keep_unknown(struct dmarc_record *out, const char *name, size_t nn, const char *v,
    size_t vn, char *err, size_t errlen)
{
	struct dmarc_tag *t;

	if (out->unknown == NULL && (out->unknown = calloc(DMARC_TAGS_MAX, sizeof *t)) == NULL)
		goto oom;
	t = &out->unknown[out->nunknown];
	t->name = strndup(name, nn);
	t->value = strndup(v, vn);
	out->nunknown++;
	if (t->name != NULL && t->value != NULL)
		return true;
oom:
	text_seterr(err, errlen, "out of memory");
	return false;
}

/* Is s[0..n) a tag name: a letter, then letters, digits and '_'? */
static bool tag_name_ok(const char *s, size_t n)
{
	if (n == 0 || !isalpha((unsigned char)s[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

bool dmarc_parse(const char *txt, struct dmarc_record *out, char *err, size_t errlen)
{
	bool seen[T_COUNT] = { false };
	size_t len, ntags = 0;
	const char *p;

	memset(out, 0, sizeof *out);
	out->pct = 100;
	out->adkim = out->aspf = DMARC_ALIGN_RELAXED;
	out->ri = 86400;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (txt == NULL) {
		text_seterr(err, errlen, "no record");
		return false;
	}
	len = strnlen(txt, DMARC_RECORD_MAX + 1);
	if (len > DMARC_RECORD_MAX) {
		text_seterr(err, errlen, "the record is longer than %d bytes", DMARC_RECORD_MAX);
		return false;
	}
	for (p = txt; p < txt + len;) {
		const char *semi = memchr(p, ';', (size_t)(txt + len - p));
		size_t sn = semi != NULL ? (size_t)(semi - p) : (size_t)(txt + len - p);
		const char *s = text_trim(p, &sn), *eq, *name, *v;
		size_t nn, vn;
		int id = -1;

		p = semi != NULL ? semi + 1 : txt + len;
		if (sn == 0)
			continue;	/* "; ;" or a trailing ';' */
		for (size_t i = 0; i < sn; i++) {
			unsigned char c = (unsigned char)s[i];

			if ((c < 0x20 && c != '\t') || c == 0x7f) {
				text_seterr(err, errlen, "control character in tag %zu", ntags + 1);
				goto fail;
			}
		}
		if ((eq = memchr(s, '=', sn)) == NULL) {
			text_seterr(err, errlen, "\"%.*s\" is not a tag=value pair", (int)(sn > 60 ? 60 : sn), s);
			goto fail;
		}
		nn = (size_t)(eq - s);
		name = text_trim(s, &nn);
		vn = sn - (size_t)(eq + 1 - s);
		v = text_trim(eq + 1, &vn);
		if (!tag_name_ok(name, nn)) {
			text_seterr(err, errlen, "invalid tag name \"%.*s\"", (int)(nn > 60 ? 60 : nn), name);
			goto fail;
		}
		if (++ntags > DMARC_TAGS_MAX) {
			text_seterr(err, errlen, "more than %d tags", DMARC_TAGS_MAX);
			goto fail;
		}
		for (int k = 0; k < T_COUNT; k++)
			if (strlen(tag_names[k]) == nn && strncasecmp(name, tag_names[k], nn) == 0)
				id = k;
		if (ntags == 1) {
			if (id != T_V || vn != 6 || strncmp(v, "DMARC1", 6) != 0) {
				text_seterr(err, errlen, "not a DMARC record: it must start with v=DMARC1");
				goto fail;
			}
		} else if (id == T_V) {
			text_seterr(err, errlen, "v= must be the first tag and appear once");
			goto fail;
		}
		if (id < 0) {
			if (!keep_unknown(out, name, nn, v, vn, err, errlen))
				goto fail;
			continue;
		}
		if (seen[id]) {
			text_seterr(err, errlen, "%s= appears more than once", tag_names[id]);
			goto fail;
		}
		seen[id] = true;
		if (!parse_known((enum tag_id)id, v, vn, out, err, errlen))
			goto fail;
	}
	if (ntags == 0) {
		text_seterr(err, errlen, "not a DMARC record: it must start with v=DMARC1");
		goto fail;
	}
	if (!seen[T_P]) {
		text_seterr(err, errlen, "no p= tag: a DMARC record must say its policy (none, quarantine or reject)");
		goto fail;
	}
	return true;
fail:
	dmarc_record_free(out);
	return false;
}

void dmarc_record_free(struct dmarc_record *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nrua; i++)
		free(r->rua[i]);
	free(r->rua);
	for (size_t i = 0; i < r->nruf; i++)
		free(r->ruf[i]);
	free(r->ruf);
	for (size_t i = 0; i < r->nunknown; i++) {
		free(r->unknown[i].name);
		free(r->unknown[i].value);
	}
	free(r->unknown);
	free(r->fo);
	free(r->rf);
	memset(r, 0, sizeof *r);
	r->pct = 100;
	r->adkim = r->aspf = DMARC_ALIGN_RELAXED;
	r->ri = 86400;
}

#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tlsrpt.h"
#include "textutil.h"

bool tlsrpt_is_record(const char *txt)
{
	return txt != NULL && strncmp(txt, "v=TLSRPTv1", 10) == 0 &&
	    (txt[10] == ';' || txt[10] == '\0' || text_is_wsp(txt[10]));
}

/* mailto:local@domain or https://host[...]: visible characters only. */
static bool uri_ok(const char *u, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)u[i] <= 0x20 || (unsigned char)u[i] >= 0x7f)
			return false;
	if (n > 7 && strncasecmp(u, "mailto:", 7) == 0) {
		const char *at = memchr(u + 7, '@', n - 7);

		return at != NULL && at > u + 7 && at < u + n - 1;
	}
	if (n > 8 && strncasecmp(u, "https://", 8) == 0)
		return u[8] != '/' && u[8] != '?' && u[8] != '#';
	return false;
}

/* rua=: URIs separated by ',' with optional blanks. */
static bool parse_rua(struct tlsrpt_record *out, const char *v, size_t n, char *err,
    size_t errlen)
{
	if ((out->rua = calloc(TLSRPT_URIS_MAX, sizeof *out->rua)) == NULL) {
		text_seterr(err, errlen, "out of memory");
		return false;
	}
	for (;;) {
		const char *comma = memchr(v, ',', n);
		size_t un = comma != NULL ? (size_t)(comma - v) : n;
		const char *u = text_trim(v, &un);

		if (!uri_ok(u, un)) {
			text_seterr(err, errlen, "rua: \"%.*s\" is not a mailto: or https: URI",
			    (int)(un > 80 ? 80 : un), u);
			return false;
		}
		if (out->nrua == TLSRPT_URIS_MAX) {
			text_seterr(err, errlen, "rua= has more than %d URIs", TLSRPT_URIS_MAX);
			return false;
		}
		if ((out->rua[out->nrua] = strndup(u, un)) == NULL) {
			text_seterr(err, errlen, "out of memory");
			return false;
		}
		out->nrua++;
		if (comma == NULL)
			return true;
		n -= (size_t)(comma - v) + 1;
		v = comma + 1;
	}
}

bool tlsrpt_parse(const char *txt, struct tlsrpt_record *out, char *err, size_t errlen)
{
	size_t len, nfields = 0;
	bool have_rua = false;
	const char *p;

	memset(out, 0, sizeof *out);
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (txt == NULL) {
		text_seterr(err, errlen, "no record");
		return false;
	}
	len = strnlen(txt, TLSRPT_RECORD_MAX + 1);
	if (len > TLSRPT_RECORD_MAX) {
		text_seterr(err, errlen, "the record is longer than %d bytes", TLSRPT_RECORD_MAX);
		return false;
	}
	for (p = txt; p < txt + len;) {
		const char *semi = memchr(p, ';', (size_t)(txt + len - p));
		size_t n = semi != NULL ? (size_t)(semi - p) : (size_t)(txt + len - p);
		const char *f = text_trim(p, &n), *eq;
		size_t nn;

		p = semi != NULL ? semi + 1 : txt + len;
		if (n == 0)
			continue;	/* a trailing ';' */
		if (nfields++ == 0) {
			if (n != 10 || strncmp(f, "v=TLSRPTv1", 10) != 0) {
				text_seterr(err, errlen, "not a TLS-RPT record: it must start with v=TLSRPTv1");
				goto fail;
			}
			continue;
		}
		eq = memchr(f, '=', n);
		nn = eq != NULL ? (size_t)(eq - f) : 0;
		if (eq == NULL || !text_ext_name_ok(f, nn)) {
			text_seterr(err, errlen, "invalid field \"%.*s\"", (int)(n > 60 ? 60 : n), f);
			goto fail;
		}
		if (nn == 3 && strncmp(f, "rua", 3) == 0) {
			size_t vn = n - nn - 1;
			const char *v = text_trim(eq + 1, &vn);

			if (have_rua) {
				text_seterr(err, errlen, "rua= appears more than once");
				goto fail;
			}
			have_rua = true;
			if (!parse_rua(out, v, vn, err, errlen))
				goto fail;
		} else if (nn == 1 && f[0] == 'v') {
			text_seterr(err, errlen, "v= must be the first field and appear once");
			goto fail;
		} else if (!text_ext_value_ok(eq + 1, n - nn - 1)) {
			text_seterr(err, errlen, "invalid field \"%.*s\"", (int)(n > 60 ? 60 : n), f);
			goto fail;
		} else {
			out->nextensions++;
		}
	}
	if (nfields == 0) {
		text_seterr(err, errlen, "not a TLS-RPT record: it must start with v=TLSRPTv1");
		goto fail;
	}
	if (!have_rua) {
		text_seterr(err, errlen, "no rua= field: where should reports go?");
		goto fail;
	}
	return true;
fail:
	tlsrpt_record_free(out);
	return false;
}

void tlsrpt_record_free(struct tlsrpt_record *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nrua; i++)
		free(r->rua[i]);
	free(r->rua);
	memset(r, 0, sizeof *r);
}

/*
 * Fuzz harness: the SPF record parser and the resumable evaluator
 * (src/spf.c). The input is text in lines:
 *
 *   line 0      "IP [SENDER [HELO [DOMAIN]]]", blank-separated; a field that
 *               is missing or "-" takes a default (192.0.2.1,
 *               user@example.com, mail.example.com, example.com)
 *   line k >= 1 the DNS answer to the k-th name spf_eval() asks for, in the
 *               order it asks: "" is NXDOMAIN/NODATA, "!" a DNS error,
 *               otherwise the answers separated by '|' (TXT strings already
 *               joined, addresses, MX host names); past the last line every
 *               name is NXDOMAIN
 *
 * so line 1 is usually the domain's own TXT: "v=spf1 ...". Every line is
 * also given to spf_parse() on its own. The evaluator is driven as the
 * engine drives it (spf_eval(), fetch what it asks for, again) and held to
 * its contract: it never asks for the same name and type twice, asks a
 * lowercase name of at most SPF_NAME_MAX characters of a known type, calls
 * the callback at most SPF_ASKS_MAX times a pass, and ends within
 * SPF_ASKS_MAX fetches.
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spf.h"
#include "fuzz.h"

#define MAX_LINES 256
#define MAX_VALUES 32

/* One answer line, split. */
struct answer {
	int status;			/* enum spf_dns */
	const char *v[MAX_VALUES];
	size_t n;
};

struct fetched {
	char name[SPF_NAME_MAX + 1];
	uint16_t type;
	const struct answer *a;		/* NULL: NXDOMAIN */
};

struct dns {
	struct answer ans[MAX_LINES];
	size_t nans;
	struct fetched known[SPF_ASKS_MAX + 1];
	size_t nknown;
	int calls;			/* callback calls in this pass */
};

static int lookup(void *arg, const char *name, uint16_t type, const char ***values, size_t *n)
{
	struct dns *d = arg;

	FUZZ_CHECK(++d->calls <= SPF_ASKS_MAX);
	FUZZ_CHECK(name != NULL && strlen(name) <= SPF_NAME_MAX);
	for (size_t i = 0; i < d->nknown; i++) {
		const struct answer *a = d->known[i].a;

		if (d->known[i].type != type || strcmp(d->known[i].name, name) != 0)
			continue;
		*n = 0;
		if (a == NULL)
			return SPF_DNS_NONE;
		if (a->status != SPF_DNS_FOUND)
			return a->status;
		*values = (const char **)a->v;
		*n = a->n;
		return SPF_DNS_FOUND;
	}
	return SPF_DNS_UNKNOWN;
}

/* Split line into an answer (in place). */
static void parse_answer(char *line, struct answer *a)
{
	memset(a, 0, sizeof *a);
	if (line[0] == '\0') {
		a->status = SPF_DNS_NONE;
		return;
	}
	if (strcmp(line, "!") == 0) {
		a->status = SPF_DNS_TEMPERROR;
		return;
	}
	a->status = SPF_DNS_FOUND;
	for (char *p = line; a->n < MAX_VALUES;) {
		char *bar = strchr(p, '|');

		a->v[a->n++] = p;
		if (bar == NULL)
			break;
		*bar = '\0';
		p = bar + 1;
	}
}

/* spf_parse() on one string, and the helpers over what it gives. */
static void parse_one(const char *txt)
{
	struct spf_record r;
	char err[200];

	(void)spf_is_spf(txt);
	memset(&r, 0xa5, sizeof r);
	memset(err, 'x', sizeof err);
	if (!spf_parse(txt, &r, err, sizeof err)) {
		FUZZ_CHECK(r.terms == NULL && r.nterms == 0);
		FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
		spf_record_free(&r);
		return;
	}
	FUZZ_CHECK(r.nterms <= SPF_TERMS_MAX);
	FUZZ_CHECK(r.redirect < (int)r.nterms && r.exp < (int)r.nterms);
	if (r.redirect >= 0)
		FUZZ_CHECK(r.terms[r.redirect].kind == SPF_REDIRECT);
	if (r.exp >= 0)
		FUZZ_CHECK(r.terms[r.exp].kind == SPF_EXP);
	for (size_t i = 0; i < r.nterms; i++) {
		const struct spf_term *t = &r.terms[i];

		FUZZ_CHECK(t->text != NULL);
		FUZZ_CHECK(t->cidr4 >= -1 && t->cidr4 <= 32);
		FUZZ_CHECK(t->cidr6 >= -1 && t->cidr6 <= 128);
		if (t->spec != NULL)
			(void)strlen(t->spec);
		if (t->name != NULL)
			(void)strlen(t->name);
	}
	(void)spf_includes(&r, "spf.protection.outlook.com");
	(void)spf_includes(&r, "SPF.Protection.Outlook.com.");
	(void)spf_all_qualifier(&r);
	(void)spf_has_plus_all(&r);
	spf_record_free(&r);
	spf_record_free(&r);	/* freeing twice is allowed */
}

static void evaluate(struct dns *d, const char *params)
{
	const char *field[4] = { "192.0.2.1", "user@example.com", "mail.example.com", "example.com" };
	char *copy = strdup(params), *save = NULL, *tok;
	struct spf_outcome out;
	struct spf_ctx ctx;
	char need[SPF_NAME_MAX + 2];
	uint16_t type;
	enum spf_result r = SPF_NEED;
	size_t f = 0, next = 0;

	if (copy == NULL)
		return;
	for (tok = strtok_r(copy, " \t", &save); tok != NULL && f < 4;
	     tok = strtok_r(NULL, " \t", &save), f++)
		if (strcmp(tok, "-") != 0)
			field[f] = tok;

	memset(&ctx, 0, sizeof ctx);
	ctx.ip = field[0];
	ctx.sender = field[1];
	ctx.helo = field[2];
	ctx.domain = field[3];
	ctx.lookup = lookup;
	ctx.arg = d;
	ctx.out = &out;

	for (int pass = 0; pass <= SPF_ASKS_MAX + 1; pass++) {
		d->calls = 0;
		r = spf_eval(&ctx, need, sizeof need, &type);
		FUZZ_CHECK(out.r == r);
		FUZZ_CHECK(memchr(out.matched, '\0', sizeof out.matched) != NULL);
		FUZZ_CHECK(memchr(out.via, '\0', sizeof out.via) != NULL);
		FUZZ_CHECK(memchr(out.error, '\0', sizeof out.error) != NULL);
		FUZZ_CHECK(memchr(out.note, '\0', sizeof out.note) != NULL);
		FUZZ_CHECK(out.lookups >= 0 && out.lookups <= SPF_DNS_LOOKUP_MAX + 1);
		FUZZ_CHECK(out.void_lookups >= 0 && out.void_lookups <= SPF_VOID_LOOKUP_MAX + 1);
		(void)spf_result_name(r);
		if (r != SPF_NEED)
			break;

		/* What the engine does: fetch that one name and remember it. */
		FUZZ_CHECK(type == SPF_T_A || type == SPF_T_AAAA || type == SPF_T_MX ||
		    type == SPF_T_TXT);
		FUZZ_CHECK(need[0] != '\0' && strlen(need) <= SPF_NAME_MAX);
		for (const char *p = need; *p; p++)
			FUZZ_CHECK(!isupper((unsigned char)*p));
		FUZZ_CHECK(d->nknown < SPF_ASKS_MAX);
		for (size_t i = 0; i < d->nknown; i++)
			FUZZ_CHECK(d->known[i].type != type || strcmp(d->known[i].name, need) != 0);
		memcpy(d->known[d->nknown].name, need, strlen(need) + 1);
		d->known[d->nknown].type = type;
		d->known[d->nknown].a = next < d->nans ? &d->ans[next] : NULL;
		d->nknown++;
		next++;
	}
	FUZZ_CHECK(r != SPF_NEED);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size), *lines[MAX_LINES + 1];
	size_t nlines = 0;
	struct dns *d;

	if (text == NULL)
		return 0;
	/* The whole text, newlines and all, as one record. */
	parse_one(text);

	for (char *p = text; nlines < MAX_LINES + 1;) {
		char *nl = strchr(p, '\n');

		lines[nlines++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	for (size_t i = 1; i < nlines; i++)
		parse_one(lines[i]);

	if ((d = calloc(1, sizeof *d)) != NULL) {
		for (size_t i = 1; i < nlines; i++)
			parse_answer(lines[i], &d->ans[d->nans++]);
		evaluate(d, lines[0]);
		free(d);
	}
	free(text);
	return 0;
}

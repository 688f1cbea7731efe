/*
 * Fuzz harness: the blocklist zones file parser and the answer judge
 * (src/dnsbl.c). The zones file is outside input (--dnsbl-zones,
 * HYBRIDTLS_DNSBL_ZONES) and so are the answers of the blocklists. The
 * input is the zones file, then optionally a NUL byte and the A answers to
 * judge, one a line (the first line also serves as the client address for
 * the query name and the second as a DQS key). Without a NUL the answers
 * are a fixed set of codes.
 *
 * When the file loads, every zone judges the answers (all of them, the
 * first few, none), runs the self-test judge and builds query names; then a
 * DQS key is applied and the query names are built again.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dnsbl.h"
#include "fuzz.h"

/* More than DNSBL_MAX_ANSWERS, to cross the cap. */
#define MAX_ANS (DNSBL_MAX_ANSWERS + 4)

static const char *const fixed[] = {
	"127.0.0.2", "127.0.0.10", "127.255.255.254", "127.0.1.2", "192.0.2.1",
	"127.0.0.1", "not an address", "::1",
};

static void judge(const struct dnsbl_zone *z, const char *const *ans, size_t n)
{
	struct dnsbl_verdict v;

	memset(&v, 0xa5, sizeof v);
	dnsbl_interpret(z, ans, n, &v);
	FUZZ_CHECK(v.nanswers == n);
	FUZZ_CHECK(v.nhits <= DNSBL_MAX_ANSWERS && v.nhits <= n);
	FUZZ_CHECK(memchr(v.code, '\0', sizeof v.code) != NULL);
	FUZZ_CHECK(n > 0 || v.status == DNSBL_NOT_LISTED);
	for (size_t i = 0; i < v.nhits; i++) {
		FUZZ_CHECK(memchr(v.hits[i].addr, '\0', sizeof v.hits[i].addr) != NULL);
		FUZZ_CHECK(v.hits[i].status <= v.status);
		if (v.hits[i].meaning != NULL)
			(void)strlen(v.hits[i].meaning);
	}
	if (v.meaning != NULL)
		(void)strlen(v.meaning);
	if (v.delist != NULL)
		(void)strlen(v.delist);
	if (v.note != NULL)
		(void)strlen(v.note);
	(void)dnsbl_status_name(v.status);
	(void)dnsbl_status_is_listing(v.status);
}

static void names(const struct dnsbl_zone *z, const char *ip)
{
	char q[DNSBL_QNAME_MAX];

	if (dnsbl_query_name(ip, z->zone, q, sizeof q))
		FUZZ_CHECK(strlen(q) < sizeof q);
	(void)dnsbl_query_name("192.0.2.99", z->zone, q, sizeof q);
	(void)dnsbl_query_name("2001:db8::1", z->zone, q, sizeof q);
	(void)dnsbl_query_name("::ffff:192.0.2.99", z->zone, q, sizeof q);
	(void)dnsbl_query_name("192.0.2.99", z->zone, q, 16);	/* too small */
	(void)dnsbl_selftest_name(z->zone, true, q, sizeof q);
	(void)dnsbl_selftest_name(z->zone, false, q, sizeof q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	char *text = fuzz_strndup(data, nul != NULL ? (size_t)(nul - data) : size);
	char *rest = NULL, err[700];
	const char *ans[MAX_ANS];
	size_t n = 0;
	struct dnsbl_list l;

	if (text == NULL)
		return 0;
	if (nul != NULL) {
		size_t off = (size_t)(nul - data) + 1;

		if ((rest = fuzz_strndup(data + off, size - off)) == NULL) {
			free(text);
			return 0;
		}
		for (char *p = rest; n < MAX_ANS;) {
			char *nl = strchr(p, '\n');

			ans[n++] = p;
			if (nl == NULL)
				break;
			*nl = '\0';
			p = nl + 1;
		}
	} else {
		for (; n < sizeof fixed / sizeof fixed[0]; n++)
			ans[n] = fixed[n];
	}

	memset(&l, 0xa5, sizeof l);
	memset(err, 'x', sizeof err);
	if (!dnsbl_load_string(text, &l, err, sizeof err)) {
		FUZZ_CHECK(l.v == NULL && l.n == 0);
		FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
		dnsbl_list_free(&l);
		goto out;
	}
	FUZZ_CHECK(l.n <= DNSBL_MAX_ZONES);
	for (size_t i = 0; i < l.n; i++) {
		const struct dnsbl_zone *z = &l.v[i];
		size_t half = n / 2;

		FUZZ_CHECK(z->id != NULL && z->zone != NULL && z->name != NULL);
		FUZZ_CHECK(z->ncodes >= 1 && z->ncodes <= DNSBL_MAX_CODES);
		FUZZ_CHECK(dnsbl_list_find(&l, z->id) != NULL);
		(void)dnsbl_zone_active(z);
		(void)dnsbl_weight_name(z->weight);
		judge(z, ans, n);
		judge(z, ans, n < 3 ? n : 3);
		judge(z, ans, 0);
		(void)dnsbl_selftest_text(dnsbl_selftest_judge(z, ans, half, ans + half, n - half));
		(void)dnsbl_selftest_usable(dnsbl_selftest_judge(z, ans, n, ans, 0));
		names(z, ans[0]);
	}
	if (dnsbl_apply_dqs_key(&l, n > 1 ? ans[1] : "abcDEF123"))
		for (size_t i = 0; i < l.n; i++)
			names(&l.v[i], ans[0]);
	(void)dnsbl_apply_dqs_key(&l, "k3y");
	dnsbl_list_free(&l);
	dnsbl_list_free(&l);	/* an emptied list frees again */
out:
	free(rest);
	free(text);
	return 0;
}

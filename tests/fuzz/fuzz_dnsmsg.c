/*
 * Fuzz harness: the DNS response parser (src/dnsmsg.c). The input is a DNS
 * message as a server (or anything on the path) sent it; it is parsed as the
 * answer to each query type hybridtls asks. Checks the contract: on false
 * the status is DNS_ERROR with a reason and no records; on true every record
 * is of the type asked and has its presentation text, printable ASCII.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dnsmsg.h"
#include "fuzz.h"

static const uint16_t qtypes[] = {
	DNS_T_A, DNS_T_AAAA, DNS_T_MX, DNS_T_TXT, DNS_T_CNAME,
	DNS_T_SRV, DNS_T_PTR, DNS_T_NS, DNS_T_TLSA,
};

/* What reaches the facts is printable: names and TXT come escaped. */
static void check_printable(const char *s)
{
	for (; *s; s++)
		FUZZ_CHECK(*s >= 0x20 && *s < 0x7f);
}

static void check(const unsigned char *buf, size_t len, uint16_t qtype)
{
	struct dns_answer a;

	memset(&a, 0, sizeof a);
	if (!dnsmsg_parse(buf, len, qtype, &a)) {
		FUZZ_CHECK(a.status == DNS_ERROR);
		FUZZ_CHECK(a.n == 0 && a.rr == NULL);
		dns_answer_free(&a);
		return;
	}
	FUZZ_CHECK(dns_status_name(a.status) != NULL);
	FUZZ_CHECK(a.status != DNS_OK || a.n > 0);
	for (size_t i = 0; i < a.n; i++) {
		const struct dns_rr *rr = &a.rr[i];

		FUZZ_CHECK(rr->type == qtype);
		FUZZ_CHECK(rr->text != NULL);
		check_printable(rr->text);
		if (rr->target != NULL)
			check_printable(rr->target);
		if (rr->datalen > 0) {
			volatile unsigned char sink = rr->data[rr->datalen - 1];
			(void)sink;
		}
	}
	if (a.cname != NULL)
		check_printable(a.cname);
	dns_answer_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *buf;

	/* An exact-size copy: a read past the end is caught even where the
	 * caller's buffer would have had room. */
	if ((buf = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(buf, data, size);
	for (size_t i = 0; i < sizeof qtypes / sizeof qtypes[0]; i++) {
		FUZZ_CHECK(dns_type_name(qtypes[i]) != NULL);
		check(buf, size, qtypes[i]);
	}
	free(buf);
	return 0;
}

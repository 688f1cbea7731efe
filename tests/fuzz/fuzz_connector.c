/*
 * Fuzz harness: the connector export reader (src/connector.c and its three
 * readers connector_json.c, connector_clixml.c, connector_fl.c). The input is
 * a file an admin saved from Get-InboundConnector, Get-OutboundConnector,
 * Get-SendConnector or Get-ReceiveConnector: JSON, Clixml or Format-List, in
 * UTF-8 or UTF-16. A parsed set then goes through what the rules do with
 * it: pick the hybrid connector of each kind, match addresses against the
 * address lists, judge SenderIPAddresses entries and split
 * TlsCertificateName.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "connector.h"
#include "fuzz.h"

static const char *const ips[] = {
	"203.0.113.7", "2001:db8::1", "::ffff:203.0.113.7", "40.92.0.1", "not an address",
};

static void check_list(const struct connector_list *l)
{
	FUZZ_CHECK(l->present || l->n == 0);
	FUZZ_CHECK(l->n <= CONNECTOR_MAX_ITEMS);
	for (size_t i = 0; i < l->n; i++)
		FUZZ_CHECK(l->v[i] != NULL);
}

static void use(const struct connector *c)
{
	char buf[128], issuer[256], subject[256];

	check_list(&c->sender_ip_addresses);
	check_list(&c->sender_domains);
	check_list(&c->smart_hosts);
	check_list(&c->recipient_domains);
	check_list(&c->address_spaces);
	check_list(&c->bindings);
	check_list(&c->remote_ip_ranges);
	check_list(&c->tls_domain_capabilities);
	check_list(&c->warnings);
	FUZZ_CHECK(memchr(c->kind_why, '\0', sizeof c->kind_why) != NULL);
	(void)connector_kind_name(c->kind);
	for (size_t i = 0; i < sizeof ips / sizeof ips[0]; i++) {
		if (connector_ip_listed(c, ips[i], buf, sizeof buf))
			FUZZ_CHECK(memchr(buf, '\0', sizeof buf) != NULL);
		(void)connector_ip_listed(c, ips[i], NULL, 0);
	}
	for (size_t i = 0; i < c->sender_ip_addresses.n && i < 64; i++) {
		(void)connector_sender_ip_valid(c->sender_ip_addresses.v[i], buf, sizeof buf);
		/* An entry used as the address: CIDR and range text must be
		 * refused as an address without breaking anything. */
		(void)connector_ip_listed(c, c->sender_ip_addresses.v[i], buf, sizeof buf);
	}
	for (size_t i = 0; i < c->remote_ip_ranges.n && i < 64; i++)
		(void)connector_ip_listed(c, c->remote_ip_ranges.v[i], NULL, 0);
	if (c->tls_certificate_name != NULL) {
		(void)tlscertname_parse(c->tls_certificate_name, issuer, sizeof issuer, subject,
		    sizeof subject);
		(void)tlscertname_parse(c->tls_certificate_name, issuer, 4, subject, 4);
	}
	if (c->tls_sender_certificate_name != NULL)
		(void)tlscertname_parse(c->tls_sender_certificate_name, issuer, sizeof issuer,
		    subject, sizeof subject);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum connector_kind kinds[] = {
		CONNECTOR_EXO_INBOUND, CONNECTOR_EXO_OUTBOUND,
		CONNECTOR_ONPREM_SEND, CONNECTOR_ONPREM_RECEIVE, CONNECTOR_UNKNOWN,
	};
	struct connector_set s;
	char err[300], why[300];

	if (size > CONNECTOR_MAX_FILE)
		return 0;
	memset(&s, 0xa5, sizeof s);
	memset(err, 'x', sizeof err);
	if (!connector_parse(data, size, &s, err, sizeof err)) {
		FUZZ_CHECK(s.v == NULL && s.n == 0);
		FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
		connector_set_free(&s);
		return 0;
	}
	FUZZ_CHECK(s.n <= CONNECTOR_MAX_OBJECTS);
	FUZZ_CHECK(s.format != NULL && s.encoding != NULL);
	FUZZ_CHECK(memchr(s.how, '\0', sizeof s.how) != NULL);
	for (size_t i = 0; i < s.n; i++)
		use(&s.v[i]);
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		const struct connector *c;

		memset(why, 'x', sizeof why);
		c = connector_pick_hybrid(&s, kinds[i], why, sizeof why);

		FUZZ_CHECK(memchr(why, '\0', sizeof why) != NULL);
		FUZZ_CHECK(c == NULL || (c >= s.v && c < s.v + s.n && c->kind == kinds[i]));
		(void)connector_pick_hybrid(&s, kinds[i], NULL, 0);
	}
	connector_set_free(&s);
	connector_set_free(&s);	/* an emptied set frees again */
	return 0;
}

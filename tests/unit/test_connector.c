/* Unit tests: the connector export reader (JSON, Clixml, Format-List). */
#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connector.h"
#include "onpremcert.h"
#include "textutil.h"
#include "facts.h"
#include "findings.h"
#include "rules.h"

#define FIX(name) SRCDIR "/tests/fixtures/connectors/" name
#define HCW_IN "Inbound from 6f0c2b4a-1d3e-4f5a-9b8c-7d6e5f4a3b2c"
#define HCW_OUT "Outbound to 6f0c2b4a-1d3e-4f5a-9b8c-7d6e5f4a3b2c"
#define HCW_SEND "Outbound to Office 365 - 6f0c2b4a-1d3e-4f5a-9b8c-7d6e5f4a3b2c"

static void load_ok(const char *path, struct connector_set *s)
{
	char err[512] = "";

	cr_assert(connector_load_file(path, s, err, sizeof err), "%s: %s", path, err);
	cr_assert_gt(s->n, 0);
}

static void load_fail(const char *path, const char *want_line, const char *want_text)
{
	struct connector_set s;
	char err[512] = "";

	cr_assert_not(connector_load_file(path, &s, err, sizeof err), "%s parsed", path);
	cr_assert_eq(s.n, 0);
	cr_assert_null(s.v);
	cr_assert(strncmp(err, want_line, strlen(want_line)) == 0, "%s: '%s'", path, err);
	cr_assert(strstr(err, want_text) != NULL, "%s: '%s' lacks '%s'", path, err, want_text);
}

static bool has_warning(const struct connector *c, const char *part)
{
	size_t i;

	for (i = 0; i < c->warnings.n; i++)
		if (strstr(c->warnings.v[i], part) != NULL)
			return true;
	return false;
}

static void assert_list(const struct connector_list *l, size_t n, const char *const *want)
{
	size_t i;

	cr_assert(l->present);
	cr_assert_eq(l->n, n, "got %zu items, want %zu", l->n, n);
	for (i = 0; i < n; i++)
		cr_assert_str_eq(l->v[i], want[i]);
}

static void assert_hcw_inbound(const struct connector *c)
{
	cr_assert_eq(c->kind, CONNECTOR_EXO_INBOUND);
	cr_assert_str_eq(c->name, HCW_IN);
	cr_assert_str_eq(c->identity, HCW_IN);
	cr_assert_str_eq(c->connector_type, "OnPremises");
	cr_assert_str_eq(c->connector_source, "HybridWizard");
	cr_assert_str_eq(c->tls_sender_certificate_name, "mail.contoso.com");
	cr_assert_eq(c->enabled, 1);
	cr_assert_eq(c->require_tls, 1);
	cr_assert_eq(c->cloud_services_mail_enabled, 1);
	cr_assert_eq(c->restrict_domains_to_ip_addresses, 0);
	cr_assert_eq(c->restrict_domains_to_certificate, 0);
	cr_assert_eq(c->treat_messages_as_internal, 0);
	assert_list(&c->sender_domains, 1, (const char *const[]){ "smtp:*;1" });
	/* outbound / on-premises fields are absent, not false */
	cr_assert_eq(c->use_mx_record, -1);
	cr_assert_eq(c->ignore_starttls, -1);
	cr_assert_not(c->smart_hosts.present);
	cr_assert_null(c->tls_certificate_name);
}

Test(connector, inbound_json_one_object)
{
	struct connector_set s;
	char why[400];
	const struct connector *c;

	load_ok(FIX("inbound-hcw.json"), &s);
	cr_assert_str_eq(s.format, "ConvertTo-Json");
	cr_assert_str_eq(s.encoding, "UTF-8");
	cr_assert_eq(s.n, 1);
	assert_hcw_inbound(&s.v[0]);
	cr_assert_eq(s.v[0].line, 1);
	cr_assert(s.v[0].sender_ip_addresses.present);
	cr_assert_eq(s.v[0].sender_ip_addresses.n, 0);
	cr_assert_null(s.v[0].comment);
	cr_assert_eq(s.v[0].warnings.n, 0);
	cr_assert(strstr(s.v[0].kind_why, "SenderDomains") != NULL, "%s", s.v[0].kind_why);
	c = connector_pick_hybrid(&s, CONNECTOR_EXO_INBOUND, why, sizeof why);
	cr_assert_eq(c, &s.v[0]);
	cr_assert(strstr(why, "HybridWizard") != NULL, "%s", why);
	cr_assert_null(connector_pick_hybrid(&s, CONNECTOR_ONPREM_SEND, why, sizeof why));
	cr_assert(strstr(why, "no on-premises Send") != NULL, "%s", why);
	connector_set_free(&s);
}

Test(connector, inbound_json_three)
{
	struct connector_set s;
	char why[400], m[64];
	const struct connector *c;

	load_ok(FIX("inbound-three.json"), &s);
	cr_assert_eq(s.n, 3);
	cr_assert_eq(s.v[0].line, 2);
	cr_assert_eq(s.v[1].line, 23);
	cr_assert_eq(s.v[2].line, 35);
	/* the Partner one */
	cr_assert_str_eq(s.v[0].name, "Fabrikam partner");
	cr_assert_str_eq(s.v[0].connector_type, "Partner");
	cr_assert_str_eq(s.v[0].connector_source, "AdminUI");
	cr_assert_str_eq(s.v[0].comment, "Fabrikam relay (IP restricted)");
	cr_assert_eq(s.v[0].restrict_domains_to_ip_addresses, 1);
	cr_assert_null(s.v[0].tls_sender_certificate_name);
	assert_list(&s.v[0].sender_ip_addresses, 2,
		    (const char *const[]){ "198.51.100.0/24", "203.0.113.5" });
	/* the disabled one: enum as integer, scalars for lists, missing bools unknown */
	cr_assert_eq(s.v[1].enabled, 0);
	cr_assert_str_eq(s.v[1].connector_type, "unknown (1)");
	cr_assert(has_warning(&s.v[1], "ConnectorType came as the integer 1"));
	assert_list(&s.v[1].sender_ip_addresses, 1, (const char *const[]){ "203.0.113.77" });
	assert_list(&s.v[1].sender_domains, 1, (const char *const[]){ "smtp:*;1" });
	cr_assert_eq(s.v[1].restrict_domains_to_ip_addresses, -1);
	cr_assert_eq(s.v[1].treat_messages_as_internal, -1);
	assert_hcw_inbound(&s.v[2]);

	c = connector_pick_hybrid(&s, CONNECTOR_EXO_INBOUND, why, sizeof why);
	cr_assert_eq(c, &s.v[2]);
	cr_assert(strstr(why, HCW_IN) != NULL, "%s", why);
	cr_assert(strstr(why, "line 35") != NULL, "%s", why);
	cr_assert(strstr(why, "ConnectorType OnPremises") != NULL, "%s", why);
	cr_assert(strstr(why, "HCW name") != NULL, "%s", why);

	cr_assert(connector_ip_listed(&s.v[0], "198.51.100.77", m, sizeof m));
	cr_assert_str_eq(m, "198.51.100.0/24");
	cr_assert(connector_ip_listed(&s.v[0], "::ffff:203.0.113.5", m, sizeof m));
	cr_assert_str_eq(m, "203.0.113.5");
	cr_assert_not(connector_ip_listed(&s.v[0], "203.0.113.6", m, sizeof m));
	cr_assert_str_eq(m, "");
	cr_assert_not(connector_ip_listed(&s.v[2], "203.0.113.5", NULL, 0));
	connector_set_free(&s);
}

Test(connector, pick_none_hybrid)
{
	static const char json[] = "[{\"Name\":\"Partner A\",\"ConnectorType\":\"Partner\","
				   "\"SenderDomains\":[\"smtp:a.example;1\"],\"Enabled\":true},"
				   "{\"Name\":\"Partner B\",\"ConnectorType\":\"Partner\","
				   "\"SenderDomains\":[\"smtp:b.example;1\"],\"Enabled\":true}]";
	struct connector_set s;
	char err[256], why[400];

	cr_assert(connector_parse((const unsigned char *)json, strlen(json), &s, err, sizeof err),
		  "%s", err);
	cr_assert_null(connector_pick_hybrid(&s, CONNECTOR_EXO_INBOUND, why, sizeof why));
	cr_assert(strstr(why, "none of the 2 EXO inbound") != NULL, "%s", why);
	connector_set_free(&s);
}

Test(connector, pick_disabled_hcw_is_said)
{
	static const char json[] = "{\"Name\":\"" HCW_IN "\",\"ConnectorType\":\"OnPremises\","
				   "\"SenderDomains\":\"smtp:*;1\",\"Enabled\":false}";
	struct connector_set s;
	char err[256], why[400];

	cr_assert(connector_parse((const unsigned char *)json, strlen(json), &s, err, sizeof err),
		  "%s", err);
	cr_assert_not_null(connector_pick_hybrid(&s, CONNECTOR_EXO_INBOUND, why, sizeof why));
	cr_assert(strstr(why, "DISABLED") != NULL, "%s", why);
	connector_set_free(&s);
}

Test(connector, depth2_collapsed)
{
	struct connector_set s;
	const struct connector *c;

	load_ok(FIX("inbound-depth2.json"), &s);
	c = &s.v[0];
	cr_assert_eq(c->kind, CONNECTOR_EXO_INBOUND);
	cr_assert_not(c->sender_ip_addresses.present);
	cr_assert_not(c->sender_domains.present);
	cr_assert(has_warning(c, "SenderIPAddresses was collapsed to a type name"));
	cr_assert(has_warning(c, "-Depth 5"));
	cr_assert(has_warning(c, "SenderDomains was collapsed"));
	cr_assert_str_eq(c->connector_type, "unknown (1)");
	cr_assert_str_eq(c->connector_source, "unknown (2)");
	/* objects with a ToString / an ADObjectId Name */
	cr_assert_str_eq(c->tls_sender_certificate_name, "mail.contoso.com");
	cr_assert_str_eq(c->identity, HCW_IN);
	cr_assert_eq(c->comment[0], '\0');
	connector_set_free(&s);
}

Test(connector, utf16le_bom)
{
	struct connector_set s;

	load_ok(FIX("inbound-utf16le-bom.json"), &s);
	cr_assert_str_eq(s.encoding, "UTF-16LE with BOM");
	cr_assert(strstr(s.how, "UTF-16LE") != NULL, "%s", s.how);
	assert_hcw_inbound(&s.v[0]);
	connector_set_free(&s);
}

/* The same JSON as UTF-16LE without BOM, UTF-16BE with BOM and UTF-8 with BOM. */
Test(connector, other_encodings)
{
	static const char j[] = "{\"Name\":\"X\",\"SenderDomains\":\"smtp:*;1\",\"Enabled\":true}";
	unsigned char buf[512];
	struct connector_set s;
	char err[256];
	size_t i, n = strlen(j);

	for (i = 0; i < n; i++) {
		buf[2 * i] = (unsigned char)j[i];
		buf[2 * i + 1] = 0;
	}
	cr_assert(connector_parse(buf, 2 * n, &s, err, sizeof err), "%s", err);
	cr_assert_str_eq(s.encoding, "UTF-16LE without BOM");
	cr_assert_str_eq(s.v[0].name, "X");
	connector_set_free(&s);

	buf[0] = 0xFE;
	buf[1] = 0xFF;
	for (i = 0; i < n; i++) {
		buf[2 + 2 * i] = 0;
		buf[2 + 2 * i + 1] = (unsigned char)j[i];
	}
	cr_assert(connector_parse(buf, 2 + 2 * n, &s, err, sizeof err), "%s", err);
	cr_assert_str_eq(s.encoding, "UTF-16BE with BOM");
	connector_set_free(&s);

	memcpy(buf, "\xEF\xBB\xBF", 3);
	memcpy(buf + 3, j, n);
	cr_assert(connector_parse(buf, 3 + n, &s, err, sizeof err), "%s", err);
	cr_assert_str_eq(s.encoding, "UTF-8 with BOM");
	connector_set_free(&s);
}

Test(connector, nul_in_utf8)
{
	static const unsigned char b[] = "{\"Name\":\"X\",\n\"Sender\0Domains\":1}";
	struct connector_set s;
	char err[256];

	cr_assert_not(connector_parse(b, sizeof b - 1, &s, err, sizeof err));
	cr_assert(strncmp(err, "line 2: NUL byte in UTF-8", 25) == 0, "%s", err);
}

Test(connector, send_clixml)
{
	struct connector_set s;
	char why[400], iss[256], sub[256];
	const struct connector *c;

	load_ok(FIX("send-o365.clixml.xml"), &s);
	cr_assert_str_eq(s.format, "Export-Clixml");
	c = &s.v[0];
	cr_assert_eq(c->kind, CONNECTOR_ONPREM_SEND);
	cr_assert(strstr(c->kind_why, "SmtpSendConnectorConfig") != NULL, "%s", c->kind_why);
	cr_assert_eq(c->line, 2);
	cr_assert_str_eq(c->name, HCW_SEND);
	cr_assert_str_eq(c->identity, HCW_SEND);
	cr_assert_str_eq(c->comment, "Created by the Hybrid Configuration Wizard. Don't edit & "
				     "don't remove.");
	assert_list(&c->address_spaces, 1,
		    (const char *const[]){ "smtp:contoso.mail.onmicrosoft.com;1" });
	cr_assert(c->smart_hosts.present);
	cr_assert_eq(c->smart_hosts.n, 0);
	cr_assert_str_eq(c->tls_auth_level, "DomainValidation");
	cr_assert_str_eq(c->tls_domain, "mail.protection.outlook.com");
	cr_assert_str_eq(c->fqdn, "mail.contoso.com");
	cr_assert_eq(c->require_tls, 1);
	cr_assert_eq(c->ignore_starttls, 0);
	cr_assert_eq(c->enabled, 1);
	cr_assert_eq(c->cloud_services_mail_enabled, 1);
	cr_assert(tlscertname_parse(c->tls_certificate_name, iss, sizeof iss, sub, sizeof sub),
		  "%s", c->tls_certificate_name);
	cr_assert_str_eq(iss, "CN=Contoso Issuing CA 2, OU=\"Trust, Services\", "
			      "O=\"Contoso \\\"Test\\\" Ltd., Inc.\", C=US");
	cr_assert_str_eq(sub, "CN=mail.contoso.com, O=Contoso Ltd, L=Redmond, C=US");
	cr_assert_eq(connector_pick_hybrid(&s, CONNECTOR_ONPREM_SEND, why, sizeof why), c);
	cr_assert(strstr(why, "Outbound to Office 365 - <guid>") != NULL, "%s", why);
	cr_assert(strstr(why, "mail.onmicrosoft.com") != NULL, "%s", why);
	connector_set_free(&s);
}

Test(connector, receive_clixml)
{
	struct connector_set s;
	char why[400], m[128];
	const struct connector *c;

	load_ok(FIX("receive-frontend.clixml.xml"), &s);
	c = &s.v[0];
	cr_assert_eq(c->kind, CONNECTOR_ONPREM_RECEIVE);
	cr_assert_eq(c->line, 3);
	cr_assert_str_eq(c->name, "Default Frontend EX01");
	cr_assert_str_eq(c->identity, "EX01\\Default Frontend EX01");
	assert_list(&c->bindings, 2, (const char *const[]){ "[::]:25", "0.0.0.0:25" });
	assert_list(&c->remote_ip_ranges, 2,
		    (const char *const[]){ "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
					   "0.0.0.0-255.255.255.255" });
	assert_list(&c->tls_domain_capabilities, 1,
		    (const char *const[]){ "mail.protection.outlook.com:AcceptCloudServicesMail" });
	cr_assert_str_eq(c->tls_certificate_name, "<I>CN=GeoTrust TLS RSA CA G1, OU=www.digicert.com, "
						  "O=DigiCert Inc, C=US<S>CN=mail.contoso.com");
	cr_assert_str_eq(c->transport_role, "FrontendTransport");
	cr_assert_str_eq(c->auth_mechanism, "Tls, Integrated, BasicAuth, BasicAuthRequireTLS, "
					    "ExchangeServer");
	cr_assert_str_eq(c->fqdn, "EX01.contoso.local");
	cr_assert_eq(c->require_tls, 0);
	cr_assert_eq(c->enabled, 1);
	cr_assert_eq(c->cloud_services_mail_enabled, -1);
	cr_assert(connector_ip_listed(c, "2001:db8::1", m, sizeof m));
	cr_assert_str_eq(m, "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	cr_assert(connector_ip_listed(c, "40.107.22.1", m, sizeof m));
	cr_assert_str_eq(m, "0.0.0.0-255.255.255.255");
	cr_assert_eq(connector_pick_hybrid(&s, CONNECTOR_ONPREM_RECEIVE, why, sizeof why), c);
	cr_assert(strstr(why, "AcceptCloudServicesMail") != NULL, "%s", why);
	connector_set_free(&s);
}

Test(connector, inbound_format_list_wrapped)
{
	struct connector_set s;
	char m[64];
	const struct connector *c;

	load_ok(FIX("inbound-hcw.fl.txt"), &s);
	cr_assert_str_eq(s.format, "Format-List");
	cr_assert(strstr(s.how, "RunspaceId") != NULL, "%s", s.how);
	cr_assert_eq(s.n, 1);
	c = &s.v[0];
	assert_hcw_inbound(c);
	cr_assert_eq(c->line, 3);
	cr_assert_null(c->comment);
	assert_list(&c->sender_ip_addresses, 8,
		    (const char *const[]){ "203.0.113.10", "203.0.113.11", "203.0.113.12",
					   "203.0.113.13", "198.51.100.0/24", "203.0.113.128/25",
					   "192.0.2.1-192.0.2.20", "2001:db8:10::/48" });
	cr_assert_eq(c->warnings.n, 0);
	/* single, CIDR /25 (joined across the wrap), range, IPv6, mapped, not listed */
	cr_assert(connector_ip_listed(c, "203.0.113.12", m, sizeof m));
	cr_assert_str_eq(m, "203.0.113.12");
	cr_assert(connector_ip_listed(c, "203.0.113.200", m, sizeof m));
	cr_assert_str_eq(m, "203.0.113.128/25");
	cr_assert(connector_ip_listed(c, "192.0.2.15", m, sizeof m));
	cr_assert_str_eq(m, "192.0.2.1-192.0.2.20");
	cr_assert(connector_ip_listed(c, "2001:db8:10:ffff::25", m, sizeof m));
	cr_assert_str_eq(m, "2001:db8:10::/48");
	cr_assert(connector_ip_listed(c, "::ffff:198.51.100.9", m, sizeof m));
	cr_assert_str_eq(m, "198.51.100.0/24");
	cr_assert_not(connector_ip_listed(c, "203.0.113.127", NULL, 0));
	cr_assert_not(connector_ip_listed(c, "192.0.2.21", NULL, 0));
	cr_assert_not(connector_ip_listed(c, "2001:db8:11::1", NULL, 0));
	cr_assert_not(connector_ip_listed(c, "not-an-ip", NULL, 0));
	connector_set_free(&s);
}

Test(connector, outbound_format_list)
{
	struct connector_set s;
	char why[400], m[64];
	const struct connector *c;

	load_ok(FIX("outbound.fl.txt"), &s);
	cr_assert_eq(s.n, 2);
	c = &s.v[0];
	cr_assert_eq(c->kind, CONNECTOR_EXO_OUTBOUND);
	cr_assert_eq(s.v[1].kind, CONNECTOR_EXO_OUTBOUND);
	cr_assert_eq(c->line, 3);
	cr_assert_eq(s.v[1].line, 24);
	cr_assert_str_eq(c->name, HCW_OUT);
	cr_assert_eq(c->use_mx_record, 0);
	cr_assert_eq(c->route_all_messages_via_on_premises, 0);
	cr_assert_eq(c->cloud_services_mail_enabled, 1);
	cr_assert_eq(c->require_tls, -1);
	cr_assert_str_eq(c->tls_settings, "DomainValidation");
	cr_assert_str_eq(c->tls_domain, "mail.contoso.com");
	assert_list(&c->smart_hosts, 1, (const char *const[]){ "mail.contoso.com" });
	assert_list(&c->recipient_domains, 4,
		    (const char *const[]){ "contoso.com", "sales.contoso.com",
					   "contoso.mail.onmicrosoft.com", "fabrikam.contoso.com" });
	cr_assert(has_warning(c, "RecipientDomains was cut short by Format-List"));
	cr_assert_null(s.v[1].tls_domain);
	cr_assert_str_eq(s.v[1].tls_settings, "EncryptionOnly");
	cr_assert_str_eq(s.v[1].comment, "Outbound to the Fabrikam archive service");
	cr_assert(connector_ip_listed(&s.v[1], "203.0.113.40", m, sizeof m));
	cr_assert_eq(connector_pick_hybrid(&s, CONNECTOR_EXO_OUTBOUND, why, sizeof why), c);
	cr_assert(strstr(why, "Outbound to <guid>") != NULL, "%s", why);
	connector_set_free(&s);
}

Test(connector, malformed_fixtures)
{
	load_fail(FIX("bad-truncated.json"), "line 27:", "truncated JSON");
	load_fail(FIX("bad-mailbox.fl.txt"), "line 3:", "Get-Mailbox");
	load_fail(FIX("bad-binary.bin"), "line 1:", "binary data");
	load_fail(FIX("bad-empty.json"), "line 1:", "empty");
	load_fail(FIX("bad-not-clixml.xml"), "line 2:", "not an Export-Clixml file");
	load_fail(FIX("bad-export.csv"), "line 1:", "CSV");
	load_fail(FIX("does-not-exist.json"), SRCDIR, "No such file");
}

static void parse_fail(const char *text, const char *want_line, const char *want_text)
{
	struct connector_set s;
	char err[512] = "";

	cr_assert_not(connector_parse((const unsigned char *)text, strlen(text), &s, err,
				      sizeof err), "parsed: %s", text);
	cr_assert(strncmp(err, want_line, strlen(want_line)) == 0, "'%s'", err);
	cr_assert(strstr(err, want_text) != NULL, "'%s' lacks '%s'", err, want_text);
}

Test(connector, malformed_inline)
{
	parse_fail("\n\n   \n", "line 1:", "blank");
	parse_fail("[]", "line 1:", "empty JSON array");
	parse_fail("[{\"Name\":\"a\",\"SenderDomains\":[]}, 5]", "line 1:", "not an object");
	parse_fail("{\"Name\":\"a\",\n\"SenderDomains\":[]}\n junk", "line 3:", "unexpected text");
	parse_fail("<Objs>\n<Obj RefId=\"0\">\n<Props>\n<S N=\"Name\">x</S>\n", "line 5:",
		   "truncated");
	parse_fail("<Objs>\n<Obj>\n<Props><S N=\"Name\">x</B></Props></Obj></Objs>", "line 3:",
		   "mismatched");
	parse_fail("<Objs>\n<Obj><Props><S N=\"Name\">a &bogus; b</S></Props></Obj></Objs>",
		   "line 2:", "entity");
	parse_fail("<!DOCTYPE x [<!ENTITY a \"b\">]><Objs/>", "line 1:", "DOCTYPE");
	parse_fail("<Objs>\n</Objs>", "line 1:", "empty");
	parse_fail("<Objs>\n  <S>just a string</S>\n</Objs>", "line 2:", "not an <Obj>");
	parse_fail("Name        : x\nNot a property line\n", "line 2:", "Property : value");
	parse_fail("    indented first\n", "line 1:", "indented");
	parse_fail("Name    Enabled\n----    -------\nx       True\n", "line 1:", "Format-Table");
	parse_fail("\xFF\xFE{\0", "line 1:", "odd number of bytes");
}

Test(connector, clixml_refs_and_escapes)
{
	static const char x[] =
		"<?xml version=\"1.0\"?>\n<!-- saved by a test -->\n<Objs>\n"
		"<Obj RefId=\"0\"><TN RefId=\"0\"><T>Deserialized.Microsoft.Exchange.Data."
		"Directory.SystemConfiguration.TenantInboundConnector</T></TN>\n"
		"<Props>\n<S N=\"Name\">A_x0026_B</S>\n"
		"<Obj N=\"SenderIPAddresses\" RefId=\"1\"><LST><S>203.0.113.1</S>"
		"<![CDATA[203.0.113.2]]></LST></Obj>\n"
		"<S N=\"Comment\">caf&#xE9; &#65;</S><B N=\"RequireTls\">true</B>"
		"</Props></Obj>\n"
		"<Obj RefId=\"2\"><TNRef RefId=\"0\" /><Props><S N=\"Name\">second</S>"
		"<Ref N=\"SenderIPAddresses\" RefId=\"1\" /></Props></Obj>\n</Objs>\n";
	struct connector_set s;
	char err[256];

	cr_assert(connector_parse((const unsigned char *)x, strlen(x), &s, err, sizeof err),
		  "%s", err);
	cr_assert_eq(s.n, 2);
	cr_assert_eq(s.v[0].kind, CONNECTOR_EXO_INBOUND);
	cr_assert_eq(s.v[1].kind, CONNECTOR_EXO_INBOUND);
	cr_assert_str_eq(s.v[0].name, "A&B");
	cr_assert_str_eq(s.v[0].comment, "caf\xC3\xA9 A");
	cr_assert_eq(s.v[0].require_tls, 1);
	/* CDATA is not an item element: only the <S> item */
	assert_list(&s.v[0].sender_ip_addresses, 1, (const char *const[]){ "203.0.113.1" });
	assert_list(&s.v[1].sender_ip_addresses, 1, (const char *const[]){ "203.0.113.1" });
	connector_set_free(&s);
}

Test(connector, json_value_shapes)
{
	static const char j[] =
		"{\"Name\":\"n\",\"ConnectorType\":\"OnPremises\","
		"\"SenderIPAddresses\":{\"value\":[{\"Expression\":\"203.0.113.0/24\","
		"\"RangeFormat\":\"CIDR\"},\"198.51.100.1\"],\"Count\":2},"
		"\"SmartHosts\":[{\"Domain\":\"x\",\"IsIPAddress\":true,\"Address\":\"192.0.2.9\"}],"
		"\"TlsSenderCertificateName\":{\"CertificateIssuer\":\"CN=CA, O=\\\"A, B\\\"\","
		"\"CertificateSubject\":\"CN=mail.contoso.com\"},"
		"\"SenderDomains\":\"smtp:*;1\",\"Enabled\":\"True\",\"RequireTls\":1}\n"
		"{\"Name\":\"second\",\"RecipientDomains\":[\"contoso.com\"],\"UseMXRecord\":false}";
	struct connector_set s;
	char err[256];

	cr_assert(connector_parse((const unsigned char *)j, strlen(j), &s, err, sizeof err),
		  "%s", err);
	cr_assert_eq(s.n, 2);
	assert_list(&s.v[0].sender_ip_addresses, 2,
		    (const char *const[]){ "203.0.113.0/24", "198.51.100.1" });
	assert_list(&s.v[0].smart_hosts, 1, (const char *const[]){ "192.0.2.9" });
	cr_assert_str_eq(s.v[0].tls_sender_certificate_name,
			 "<I>CN=CA, O=\"A, B\"<S>CN=mail.contoso.com");
	cr_assert_eq(s.v[0].enabled, 1);
	cr_assert_eq(s.v[0].require_tls, -1);
	cr_assert(has_warning(&s.v[0], "RequireTls is not a boolean"));
	cr_assert_eq(s.v[1].kind, CONNECTOR_EXO_OUTBOUND);
	cr_assert_eq(s.v[1].line, 2);
	connector_set_free(&s);
}

Test(connector, ip_listed_forms)
{
	struct connector c;
	char *v[] = { "10.0.0.0/255.255.255.0", "::ffff:192.0.2.0/120", "2001:db8::5",
		      "[198.51.100.7]", "0.0.0.0/0" };
	char m[64];

	memset(&c, 0, sizeof c);
	c.kind = CONNECTOR_EXO_INBOUND;
	c.sender_ip_addresses.v = v;
	c.sender_ip_addresses.n = 4;
	cr_assert(connector_ip_listed(&c, "10.0.0.200", m, sizeof m));
	cr_assert_str_eq(m, "10.0.0.0/255.255.255.0");
	cr_assert_not(connector_ip_listed(&c, "10.0.1.1", NULL, 0));
	cr_assert(connector_ip_listed(&c, "192.0.2.77", m, sizeof m));
	cr_assert_str_eq(m, "::ffff:192.0.2.0/120");
	cr_assert(connector_ip_listed(&c, "2001:DB8:0::5", m, sizeof m));
	cr_assert(connector_ip_listed(&c, "198.51.100.7", m, sizeof m));
	cr_assert_not(connector_ip_listed(&c, "2001:db8::6", NULL, 0));
	cr_assert_not(connector_ip_listed(&c, "", NULL, 0));
	c.sender_ip_addresses.n = 5;
	cr_assert(connector_ip_listed(&c, "8.8.8.8", m, sizeof m));
	cr_assert_str_eq(m, "0.0.0.0/0");
	cr_assert_not(connector_ip_listed(&c, "::1", NULL, 0));
}

Test(connector, sender_ip_valid)
{
	static const char *const good[] = { "203.0.113.5", "192.168.0.1/25", "198.51.100.0/24",
					    "203.0.113.9/32", " 203.0.113.5 " };
	static const char *const bad[][2] = {
		{ "198.51.100.0/23", "wider than /24" },
		{ "2001:db8::/64", "IPv6" },
		{ "::ffff:203.0.113.5", "IPv6" },
		{ "192.0.2.1-192.0.2.20", "range" },
		{ "198.51.100.0/255.255.255.0", "subnet mask" },
		{ "mail.contoso.com", "not an IPv4" },
		{ "203.0.113.5/33", "not a prefix" },
		{ "", "empty" },
	};
	char why[256];
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		cr_assert(connector_sender_ip_valid(good[i], why, sizeof why), "%s: %s", good[i],
			  why);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cr_assert_not(connector_sender_ip_valid(bad[i][0], why, sizeof why), "%s",
			      bad[i][0]);
		cr_assert(strstr(why, bad[i][1]) != NULL, "%s: '%s'", bad[i][0], why);
	}
	cr_assert_not(connector_sender_ip_valid(NULL, NULL, 0));
}

Test(connector, tlscertname)
{
	char i[128], s[128];

	cr_assert(tlscertname_parse("<I>CN=GeoTrust TLS RSA CA G1, OU=www.digicert.com, "
				    "O=DigiCert Inc, C=US<S>CN=mail.contoso.com",
				    i, sizeof i, s, sizeof s));
	cr_assert_str_eq(i, "CN=GeoTrust TLS RSA CA G1, OU=www.digicert.com, O=DigiCert Inc, C=US");
	cr_assert_str_eq(s, "CN=mail.contoso.com");
	cr_assert(tlscertname_parse("<I>CN=Go Daddy Secure CA - G2, O=\"GoDaddy.com, Inc.\", "
				    "L=Scottsdale\\, AZ<S>CN=*.contoso.com",
				    i, sizeof i, s, sizeof s));
	cr_assert_str_eq(i, "CN=Go Daddy Secure CA - G2, O=\"GoDaddy.com, Inc.\", L=Scottsdale\\, AZ");
	cr_assert_str_eq(s, "CN=*.contoso.com");
	cr_assert(tlscertname_parse("[I]CN=Contoso CA, DC=contoso, DC=local[S]CN=mail.contoso.com",
				    i, sizeof i, s, sizeof s));
	cr_assert_str_eq(i, "CN=Contoso CA, DC=contoso, DC=local");
	cr_assert_str_eq(s, "CN=mail.contoso.com");
	cr_assert_not(tlscertname_parse("CN=mail.contoso.com", i, sizeof i, s, sizeof s));
	cr_assert_str_eq(i, "");
	cr_assert_not(tlscertname_parse("<I>CN=CA only", i, sizeof i, s, sizeof s));
	cr_assert_not(tlscertname_parse("<I><S>CN=x", i, sizeof i, s, sizeof s));
	cr_assert_not(tlscertname_parse("<I>CN=CA<S>", i, sizeof i, s, sizeof s));
	cr_assert_not(tlscertname_parse("<I>CN=CA<S>CN=x", i, 4, s, sizeof s));
	cr_assert_not(tlscertname_parse(NULL, i, sizeof i, s, sizeof s));
}

Test(connector, kind_names)
{
	cr_assert_str_eq(connector_kind_name(CONNECTOR_EXO_INBOUND), "EXO inbound");
	cr_assert_str_eq(connector_kind_name(CONNECTOR_EXO_OUTBOUND), "EXO outbound");
	cr_assert_str_eq(connector_kind_name(CONNECTOR_ONPREM_SEND), "on-premises Send");
	cr_assert_str_eq(connector_kind_name(CONNECTOR_ONPREM_RECEIVE), "on-premises Receive");
	cr_assert_str_eq(connector_kind_name(CONNECTOR_UNKNOWN), "unknown");
	connector_set_free(NULL);
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;

	cr_assert_not_null(f, "%s", path);
	b = malloc(65536);
	cr_assert_not_null(b);
	*n = fread(b, 1, 65536, f);
	fclose(f);
	return b;
}

/* 2000 random mutations of the fixtures: no crash, no leak (under ASan), sane results. */
Test(connector, fuzz_mutations, .timeout = 120)
{
	static const char *const files[] = {
		FIX("inbound-hcw.json"), FIX("inbound-three.json"), FIX("inbound-depth2.json"),
		FIX("inbound-utf16le-bom.json"), FIX("send-o365.clixml.xml"),
		FIX("receive-frontend.clixml.xml"), FIX("inbound-hcw.fl.txt"),
		FIX("outbound.fl.txt"),
	};
	static const char tokens[][8] = { "{", "}", "[", "]", "<", ">", "\"", ":", ",", "&",
					  "\n", " ", "...", "/>", "</", "&lt;", "\0", "\xFF",
					  "\xC3", "_x0041_" };
	unsigned int seed = 12345;
	size_t f, it, k;

	for (it = 0; it < 2000; it++) {
		struct connector_set s;
		unsigned char *b, *m;
		size_t n, mn, muts;
		char err[512], why[400];

		f = it % (sizeof files / sizeof files[0]);
		b = slurp(files[f], &n);
		m = malloc(n + 64);
		cr_assert_not_null(m);
		memcpy(m, b, n);
		mn = n;
		muts = 1 + (size_t)rand_r(&seed) % 6;
		for (k = 0; k < muts && mn > 0; k++) {
			size_t pos = (size_t)rand_r(&seed) % mn;
			const char *t = tokens[rand_r(&seed) % (sizeof tokens / sizeof tokens[0])];
			size_t tl = t[0] ? strlen(t) : 1;

			switch (rand_r(&seed) % 5) {
			case 0: /* flip a byte */
				m[pos] = (unsigned char)rand_r(&seed);
				break;
			case 1: /* truncate */
				mn = pos;
				break;
			case 2: /* delete a run */
				{
					size_t dl = 1 + (size_t)rand_r(&seed) % 16;

					if (pos + dl > mn)
						dl = mn - pos;
					memmove(m + pos, m + pos + dl, mn - pos - dl);
					mn -= dl;
				}
				break;
			default: /* insert a token, if it fits */
				if (mn + tl <= n + 64) {
					memmove(m + pos + tl, m + pos, mn - pos);
					memcpy(m + pos, t, tl);
					mn += tl;
				}
				break;
			}
		}
		if (connector_parse(m, mn, &s, err, sizeof err)) {
			cr_assert_gt(s.n, 0);
			for (k = 0; k < s.n; k++) {
				cr_assert_neq(s.v[k].kind, CONNECTOR_UNKNOWN);
				connector_ip_listed(&s.v[k], "203.0.113.200", why, sizeof why);
			}
			connector_pick_hybrid(&s, s.v[0].kind, why, sizeof why);
			connector_set_free(&s);
		} else {
			cr_assert(strncmp(err, "line ", 5) == 0, "error without a line: '%s'", err);
			cr_assert_eq(s.n, 0);
		}
		free(m);
		free(b);
	}
}

/* Terminal control sequences in an export never reach the facts raw. */
Test(connector, escapes_control_bytes_from_the_export)
{
	const char *j = "{\"Name\": \"In\\u001b[31mbound\\u0007\", \"ConnectorType\": \"OnPremises\", "
		"\"SenderIPAddresses\": [\"203.0.113.1\\u001b[2J\"], "
		"\"TlsSenderCertificateName\": \"mail.contoso.com\\u009b\", "
		"\"Odd\\u001bName\": 1, \"RequireTls\": true, \"Comment\": \"caf\u00e9\"}";
	struct connector_set s;
	char err[256];

	cr_assert(connector_parse((const unsigned char *)j, strlen(j), &s, err, sizeof err), "%s", err);
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.v[0].name, "In\\x1b[31mbound\\x07");
	assert_list(&s.v[0].sender_ip_addresses, 1, (const char *const[]){ "203.0.113.1\\x1b[2J" });
	cr_assert_str_eq(s.v[0].tls_sender_certificate_name, "mail.contoso.com\\xc2\\x9b");
	cr_assert_str_eq(s.v[0].comment, "caf\xc3\xa9");	/* well-formed UTF-8 stays */
	connector_set_free(&s);
}

/* A private address named by a server inside the NAT is not held against the
 * connector; the public one (--ip, or a server that names it) is. */
Test(connector, private_observed_ip_is_not_compared_with_sender_ips)
{
	const char *j = "{\"Name\": \"Inbound from x\", \"ConnectorType\": \"OnPremises\", "
		"\"ConnectorSource\": \"HybridWizard\", \"SenderIPAddresses\": [\"203.0.113.7\"], "
		"\"RequireTls\": true, \"Enabled\": true, \"CloudServicesMailEnabled\": true}";
	struct connector_set s;
	struct diagnosis d;
	struct findings fs;
	char err[256];

	cr_assert(connector_parse((const unsigned char *)j, strlen(j), &s, err, sizeof err), "%s", err);
	memset(&d, 0, sizeof d);
	d.connectors = &s;
	d.nconnectors = 1;
	d.has_smtp = true;
	strcpy(d.smtp.observed_ip, "10.0.0.5");
	memset(&fs, 0, sizeof fs);
	rules_connectors(&d, &fs);
	cr_assert_not_null(findings_get(&fs, "connector.hybrid-checked"));
	cr_assert_null(findings_get(&fs, "connector.ip-not-listed"), "10.0.0.5 is not the public IP");
	cr_assert_null(findings_get(&fs, "cause.connector-not-used"));
	findings_free(&fs);

	/* A public address the server names is compared. */
	strcpy(d.smtp.observed_ip, "198.51.100.9");
	memset(&fs, 0, sizeof fs);
	rules_connectors(&d, &fs);
	cr_assert_not_null(findings_get(&fs, "connector.ip-not-listed"));
	findings_free(&fs);
	strcpy(d.smtp.observed_ip, "203.0.113.7");
	memset(&fs, 0, sizeof fs);
	rules_connectors(&d, &fs);
	cr_assert_not_null(findings_get(&fs, "connector.ip-listed"));
	findings_free(&fs);
	connector_set_free(&s);
}

/* Accents in a certificate's name survive the escaping and still compare
 * equal to the certificate's own "<I>issuer<S>subject". */
Test(connector, non_ascii_tlscertificatename_still_matches)
{
	const char *name = "<I>CN=Soci\xc3\xa9t\xc3\xa9 CA, O=Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale"
		"<S>CN=mail.contoso.com, O=Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale, L=M\xc3\xbcnchen";
	char j[512];
	struct connector_set s;
	char err[256];

	snprintf(j, sizeof j, "{\"Name\": \"Outbound to O365\", \"AddressSpaces\": [\"SMTP:*.mail.onmicrosoft.com;1\"], "
		"\"SmartHosts\": [\"contoso-com.mail.protection.outlook.com\"], \"TlsCertificateName\": \"%s\", "
		"\"RequireTLS\": true, \"TlsAuthLevel\": \"DomainValidation\"}", name);
	cr_assert(connector_parse((const unsigned char *)j, strlen(j), &s, err, sizeof err), "%s", err);
	cr_assert_eq(s.n, 1);
	cr_assert_not_null(s.v[0].tls_certificate_name, "kind %d", s.v[0].kind);
	cr_assert_str_eq(s.v[0].tls_certificate_name, name);
	cr_assert(onpremcert_tlscertname_equal(s.v[0].tls_certificate_name, name));
	connector_set_free(&s);
}

Test(connector, text_escape_controls_keeps_utf8_only)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		{ "M\xc3\xbcnchen \xe4\xb8\xad \xf0\x9f\x93\xa7", "M\xc3\xbcnchen \xe4\xb8\xad \xf0\x9f\x93\xa7" },
		{ "a\x1b[31mb", "a\\x1b[31mb" },
		{ "c1 \xc2\x9b", "c1 \\xc2\\x9b" },		/* U+009B CSI */
		{ "rlo \xe2\x80\xae", "rlo \\xe2\\x80\\xae" },	/* U+202E */
		{ "bad \xc3", "bad \\xc3" },			/* cut short */
		{ "over \xc0\xaf", "over \\xc0\\xaf" },		/* overlong '/' */
		{ "sur \xed\xa0\x80", "sur \\xed\\xa0\\x80" },	/* a surrogate */
		{ "del\x7f", "del\\x7f" },
		{ "tab\there", "tab here" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *o = text_escape_controls(cases[i].in, strlen(cases[i].in));

		cr_assert_str_eq(o, cases[i].out, "case %zu", i);
		free(o);
	}
}

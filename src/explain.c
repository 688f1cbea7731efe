#include "config.h"

/*
 * The engine of `hybridtls explain`: find SMTP replies in pasted text, match
 * them against known messages, say who said what and what to check.
 *
 * How the text is read:
 * 1. normalise(): at most EXPLAIN_INPUT_MAX bytes into plain ASCII lines:
 *    CRLF and CR become LF, NUL bytes go (so UTF-16 text from PowerShell's
 *    Out-File reads as ASCII), tabs and control bytes become spaces, HTML
 *    entities and tags are decoded, typographic quotes made ASCII, other
 *    UTF-8 one '?' (a byte order mark nothing). A code cut by a line break after a dot ("5.7.\n606") is joined.
 * 2. Line by line, reply_at() finds "NNN d.d.d" (also "NNN #d.d.d", and
 *    "NNN text" with no enhanced code where a reply starts: at the start of a
 *    line, of a protocol log data field, or after a quote). reply_end() finds
 *    where its text ends: the closing quote, '}' after LED=, ']' after
 *    Message=, the protocol log field, or the end of the line and the lines
 *    that continue it (indented, lower case, or inside an open quote).
 * 3. A reply that starts inside another one's text is nested: the outer one
 *    is the local queue's verdict, the inner one the remote server's words.
 * 4. Each reply is matched on its code, enhanced code and own text (letters
 *    and digits only, so wraps inside words do not matter) against the
 *    table; the most specific entry wins.
 */

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "explain.h"
#include "smtp_reply.h"

/* A knowledge entry with how to recognise it. */
struct known {
	struct explain_entry e;	/* first: a pointer to e is a pointer to this */
	int code;		/* basic code, 0 = any */
	bool has_esc;		/* match on the enhanced code */
	char cls;		/* '4', '5', or 0 = either */
	int subject;
	int lo, hi;		/* detail range */
	int lo2, hi2;		/* a second detail range, 0..0 when none */
	const char *text[5];	/* any of these in the reply's own text */
	const char *context[3];	/* and any of these anywhere in the input */
	const char *signal[4];	/* found anywhere: applies even with no reply */
	const char *signal_also; /* ... and this too */
	bool weak;		/* a wrapper or a vague symptom: look further */
};

#define ESC(c, s, l, h)	.has_esc = true, .cls = (c), .subject = (s), .lo = (l), .hi = (h)

#define CHK_SMTP_EXO	"hybridtls smtp <tenant>.mail.protection.outlook.com (from the " \
			"Exchange server's network: is 250-STARTTLS in the EHLO reply, and " \
			"does TLS 1.2 work?)"
#define CHK_SMTP_ONPREM	"hybridtls smtp <onprem-host> --tls-name <TlsDomain of the " \
			"outbound connector> (run it from outside your network, as " \
			"Exchange Online connects)"
#define CHK_BLOCKLIST	"hybridtls blocklist <your public IP> (the address Exchange " \
			"Online sees: the [IP] in its 250 Hello line)"
#define CHK_CONNECTOR	"hybridtls connector --connector <file> (Get-InboundConnector " \
			"| ConvertTo-Json from Exchange Online PowerShell)"
#define CHK_OUTCONN	"Get-OutboundConnector | fl Name,SmartHosts,TlsSettings,TlsDomain," \
			"Enabled (Exchange Online PowerShell)"
#define CHK_SENDCONN	"Get-SendConnector | fl Name,AddressSpaces,SmartHosts,RequireTLS," \
			"IgnoreSTARTTLS,TlsCertificateName"
#define CHK_CERTS	"Get-ExchangeCertificate | fl Thumbprint,Subject,Issuer,Services," \
			"Status,NotAfter,IsSelfSigned,RootCAType"
#define CHK_PROTOLOG	"Set-SendConnector \"Outbound to Office 365 - <guid>\" " \
			"-ProtocolLoggingLevel Verbose, then read the SmtpSend protocol log"
#define CHK_FRONTEND	"Get-ReceiveConnector | where Name -like 'Default Frontend*' | fl " \
			"Identity,TlsCertificateName,TlsDomainCapabilities (on every server)"
#define CHK_HCWLOG	"Read the wizard's log: %ExchangeInstallPath%Logging\\Update-" \
			"HybridConfiguration\\ for the legacy wizard; the current wizard is " \
			"reported to log under %AppData%\\Microsoft\\Exchange Hybrid " \
			"Configuration\\ (unconfirmed)"

static const struct known known[] = {
	/* ---- on-premises to Exchange Online ---- */
	{
		.e = {
			.key = "eop.starttls-required",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_SMTP,
			.title = "Exchange Online refused mail that was not sent over TLS",
			.what = "Exchange Online expects TLS on this connection (the hybrid "
			    "inbound connector requires it) and the sending server went on "
			    "without issuing STARTTLS, so the message is deferred and the "
			    "on-premises queue keeps retrying. The wording misleads: in "
			    "Microsoft's documented case the on-premises server was willing "
			    "to use TLS, but the EHLO reply it logged from Exchange Online "
			    "did not offer STARTTLS at all.",
			.causes = {
				"A firewall inspecting SMTP (Cisco ASA 'inspect esmtp', PIX "
				"'fixup smtp' or another SMTP proxy) removed STARTTLS from "
				"Exchange Online's EHLO reply: the protocol log then shows "
				"250-XXXXXXXA (inferred)",
				"The sending public IP is on a blocklist and Exchange Online "
				"did not offer STARTTLS to it (unconfirmed)",
				"The TLS handshake failed and Exchange carried on without TLS: "
				"the server offers only TLS 1.0/1.1 or no cipher suite Exchange "
				"Online accepts (inferred)",
				"The Send connector has IgnoreSTARTTLS set to $true (inferred)",
				NULL,
			},
			.checks = {
				CHK_SMTP_EXO,
				CHK_BLOCKLIST,
				CHK_PROTOLOG ": look for 250-STARTTLS and XXXXXXXA in the "
				"EHLO reply, and for the STARTTLS command",
				CHK_SENDCONN,
				NULL,
			},
			.note = "Why Exchange Online offered no STARTTLS in Microsoft's "
			    "documented case (a blocklisted IP is suggested) is not confirmed "
			    "by the source. Do not turn TLS off: find what removes it.",
		},
		ESC('5', 7, 3, 3),
		.text = { "STARTTLS", NULL },
	},
	{
		.e = {
			.key = "onprem.remote-responded",
			.side = EXPLAIN_SIDE_LOCAL,
			.step = EXPLAIN_STEP_SMTP,
			.title = "The on-premises queue is passing on the remote server's refusal",
			.what = "Exchange transport writes this wrapper into the queue: the "
			    "first code (451 4.4.0) is the queue's own verdict, a temporary "
			    "failure, and the reply quoted after 'responded with' is what the "
			    "next hop actually said. The queue retries, also other addresses "
			    "of the next hop (the failover in the text), until the message "
			    "expires. Act on the quoted reply.",
			.causes = {
				"The next hop (for hybrid, Exchange Online) refused the "
				"session or the message: the quoted reply says why",
				"A device between the two (firewall, SMTP proxy) answered "
				"instead of the next hop or changed the conversation (inferred)",
				NULL,
			},
			.checks = {
				CHK_SMTP_EXO,
				"Get-Queue | fl Identity,NextHopDomain,Status,LastError,"
				"LastRetryTime",
				CHK_PROTOLOG,
				NULL,
			},
		},
		ESC('4', 4, 0, 0),
		.text = { "responded with", NULL },
		.weak = true,
	},
	{
		.e = {
			.key = "onprem.dns-query-failed",
			.side = EXPLAIN_SIDE_LOCAL,
			.step = EXPLAIN_STEP_DNS,
			.title = "The Exchange server could not resolve the next hop in DNS",
			.what = "The transport service asked DNS for the next hop's MX or "
			    "address records and got no usable answer, so the messages wait in "
			    "the queue. If every remote domain's queue shows this, the "
			    "server's own DNS is broken; if only some do, those domains' DNS "
			    "servers mishandle the queries.",
			.causes = {
				"The DNS servers the Exchange server (or its transport "
				"service) uses cannot resolve internet names",
				"The remote domain's DNS servers mishandle AAAA (IPv6) queries",
				"The next hop named in the Send connector is mistyped or no "
				"longer exists (inferred)",
				NULL,
			},
			.checks = {
				"hybridtls dns <domain>",
				"Resolve-DnsName <next hop> -Type MX (on the Exchange server)",
				"Get-TransportService | fl Name,ExternalDNSAdapterEnabled,"
				"ExternalDNSServers",
				"Set-SendConnector \"<name>\" -UseExternalDNSServersEnabled $true "
				"(after giving transport working external DNS servers), or route "
				"through a smart host",
				NULL,
			},
		},
		ESC('4', 4, 0, 0),
		.text = { "DNS query failed", NULL },
	},
	{
		.e = {
			.key = "onprem.tls-cert-not-found",
			.side = EXPLAIN_SIDE_LOCAL,
			.step = EXPLAIN_STEP_ONPREM,
			.title = "The Send connector names a certificate this server cannot use",
			.what = "The connector's TlsCertificateName points to a certificate "
			    "that Exchange cannot find or use on this server, so it has no "
			    "certificate to present and TLS to Exchange Online is not set "
			    "up; the protocol log says 'TLS negotiation failed with error "
			    "NoCredentials'. Without it Exchange Online cannot tie the mail "
			    "to your organisation through the hybrid connector.",
			.causes = {
				"The certificate was renewed or replaced and the connector "
				"still names the old issuer and subject",
				"The certificate is installed on some transport servers but "
				"not on this one",
				"The certificate is not assigned to the SMTP service",
				"The certificate's status is Invalid or RevocationCheckFailure "
				"(the server cannot reach the CA's revocation lists)",
				NULL,
			},
			.checks = {
				CHK_SENDCONN,
				CHK_CERTS,
				"$c = Get-ExchangeCertificate -Thumbprint <t>; Set-SendConnector "
				"\"Outbound to Office 365 - <guid>\" -TlsCertificateName "
				"('<I>'+$c.Issuer+'<S>'+$c.Subject)",
				"Do the same on the Receive connector that takes mail from "
				"Exchange Online (Set-ReceiveConnector), or rerun the Hybrid "
				"Configuration Wizard",
				CHK_SMTP_EXO,
				NULL,
			},
		},
		ESC('4', 7, 5, 5),
		.text = { "TlsCertificateName", "certificate specified", NULL },
		.signal = { "TLS negotiation failed with error NoCredentials", NULL },
	},
	{
		.e = {
			.key = "onprem.cert-not-smtp",
			.side = EXPLAIN_SIDE_LOCAL,
			.step = EXPLAIN_STEP_ONPREM,
			.title = "Exchange could not use its certificate for TLS (UnknownCredentials)",
			.what = "The Send log records that the TLS negotiation failed because "
			    "Exchange could not use the certificate it chose. In Microsoft's "
			    "documented case the third-party certificate was not enabled for "
			    "the SMTP service, so Exchange could not present it, and the "
			    "queue showed only a vague error such as 451 4.4.0 ... 421 4.4.1 "
			    "Connection timed out.",
			.causes = {
				"The certificate is not enabled for the SMTP service",
				"The private key is missing or the transport service cannot "
				"read it (inferred)",
				"TlsCertificateName names another certificate than the one "
				"installed (inferred)",
				NULL,
			},
			.checks = {
				CHK_CERTS,
				"Enable-ExchangeCertificate -Services SMTP -Thumbprint <t>",
				CHK_PROTOLOG ": verbose logging shows the thumbprint used",
				CHK_SMTP_EXO,
				NULL,
			},
		},
		.signal = { "TLS negotiation failed with error UnknownCredentials", NULL },
	},
	{
		.e = {
			.key = "onprem.connection-timed-out",
			.side = EXPLAIN_SIDE_LOCAL,
			.step = EXPLAIN_STEP_SMTP,
			.title = "The connection to the next hop timed out",
			.what = "The sending Exchange server gave up waiting on the next hop. "
			    "This reply is vague on its own: the cause is usually in the "
			    "SmtpSend protocol log of the same attempt, not in the queue.",
			.causes = {
				"TLS could not be set up because the certificate is not "
				"usable for SMTP: the Send log says 'TLS negotiation failed "
				"with error UnknownCredentials'",
				"A firewall blocks or delays outbound TCP 25 to the next hop "
				"(inferred)",
				"The next hop did not answer in time (network trouble) (inferred)",
				NULL,
			},
			.checks = {
				CHK_SMTP_EXO,
				CHK_PROTOLOG ": search for 'TLS negotiation failed'",
				"Test-NetConnection <next hop> -Port 25 (on the Exchange server)",
				NULL,
			},
		},
		ESC('4', 4, 1, 1),
		.text = { "timed out", NULL },
		.weak = true,
	},
	{
		.e = {
			.key = "eop.tenant-attribution",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_CONNECTOR,
			.title = "Exchange Online did not recognise the sender as your "
			    "on-premises organisation",
			.what = "Mail that on-premises relays through Exchange Online to "
			    "outside recipients must match an inbound connector of type "
			    "OnPremises, by the certificate the server presents or by its "
			    "public IP. No connector matched, so Exchange Online treated the "
			    "server as an anonymous relay and refused the message.",
			.causes = {
				"The certificate was renewed with another name and no longer "
				"matches the connector's TlsSenderCertificateName",
				"The public IP changed (new ISP or NAT address) and is not in "
				"the connector's SenderIPAddresses",
				"The server sends only its own certificate and the chain ends "
				"in an untrusted root (CAPI2 logs 800B0109)",
				"A device in front of Exchange presents its own certificate or "
				"address (inferred)",
				NULL,
			},
			.checks = {
				CHK_SMTP_EXO,
				CHK_CONNECTOR,
				"Get-InboundConnector | fl Name,ConnectorType,"
				"TlsSenderCertificateName,SenderIPAddresses,RequireTls "
				"(Exchange Online PowerShell)",
				"Rerun the Hybrid Configuration Wizard and pick the current "
				"certificate on the transport certificate page",
				NULL,
			},
		},
		ESC('5', 7, 64, 64),
	},
	{
		.e = {
			.key = "eop.wrong-region",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_DNS,
			.title = "Exchange Online says the mail reached it the wrong way (ATTR35)",
			.what = "The sending server reached Exchange Online through a "
			    "destination that is retired or not tied to your tenant, or "
			    "Exchange Online could not attribute the mail to your "
			    "organisation. It defers the message, so the queue retries.",
			.causes = {
				"The Send connector's smart host or the domain's MX uses a "
				"retired name (mail.messaging.microsoft.com, "
				"mail.global.frontbridge.com) or an Exchange Online IP address",
				"No inbound connector of type OnPremises matches the server "
				"(certificate or IP), so mail relayed outward is not attributed "
				"to the tenant",
				"Legacy MX values from an earlier service are still published",
				NULL,
			},
			.checks = {
				"hybridtls dns <domain>",
				CHK_SENDCONN ": the smart host should be "
				"<tenant>.mail.protection.outlook.com",
				CHK_CONNECTOR,
				NULL,
			},
			.note = "ATTR35 is Microsoft's reason tag for an attribution failure; "
			    "it is also reported appended to other attribution errors "
			    "(unconfirmed).",
		},
		ESC('4', 4, 62, 62),
	},
	{
		.e = {
			.key = "eop.banned-ip",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_BLOCKLIST,
			.title = "Exchange Online has banned the sending IP address",
			.what = "The public IP that sent this message is on Microsoft's own "
			    "blocked senders list, so Exchange Online refuses mail from it. "
			    "Any code from 5.7.606 to 5.7.649 means this same condition. "
			    "Removal goes through Microsoft's delist portal, after the cause "
			    "is fixed.",
			.causes = {
				"A compromised account, mailbox or device sent spam through "
				"this IP",
				"Another system behind the same shared NAT address sent spam",
				"The IP is new to mail or had a bad previous owner (inferred)",
				NULL,
			},
			.checks = {
				CHK_BLOCKLIST,
				"Fix the cause, then request removal at https://sender.office.com",
				CHK_SMTP_EXO,
				NULL,
			},
			.note = "No public source gives a separate meaning to each number "
			    "between 5.7.606 and 5.7.649 (unconfirmed).",
		},
		ESC('5', 7, 606, 649),
	},
	{
		.e = {
			.key = "eop.banned-sender",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_BLOCKLIST,
			.title = "Exchange Online has banned the sender; the delist portal "
			    "does not apply",
			.what = "The sending IP is banned by Exchange Online, and unlike the "
			    "5.7.606-649 ban this one cannot be lifted through the delist "
			    "portal. Microsoft has to remove it on request.",
			.causes = {
				"Spam or abuse from this IP (compromised accounts or hosts)",
				"Another system sharing the same public IP (inferred)",
				NULL,
			},
			.checks = {
				CHK_BLOCKLIST,
				"Email delist@microsoft.com with the full NDR and the IP address",
				NULL,
			},
		},
		ESC('5', 7, 511, 511),
	},
	{
		.e = {
			.key = "eop.spamhaus-listed",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_BLOCKLIST,
			.title = "The sending IP is on a Spamhaus blocklist",
			.what = "The receiving server (Exchange Online consults Spamhaus) "
			    "looked up the connecting IP and found it listed, so it refuses "
			    "mail from that address. Removal goes through Spamhaus, after the "
			    "cause is fixed.",
			.causes = {
				"Compromised accounts or infected hosts sent spam from this IP",
				"Other hosts behind the same shared NAT address",
				"The IP is in the Spamhaus PBL (an ISP's end-user range): the "
				"ISP must remove it or give you a static address",
				NULL,
			},
			.checks = {
				CHK_BLOCKLIST,
				"Look the IP up at Spamhaus and follow its removal steps",
				"For mail that leaves through a third party, find the IP's "
				"owner with WHOIS",
				NULL,
			},
		},
		ESC('5', 7, 1, 1),
		.text = { "Spamhaus", NULL },
	},
	{
		.e = {
			.key = "smtp.unable-to-relay",
			.side = EXPLAIN_SIDE_REMOTE,
			.step = EXPLAIN_STEP_CONNECTOR,
			.title = "The receiving server will not relay for this domain",
			.what = "The server that received the message does not accept mail "
			    "for the recipient's domain from this sender: the domain is not "
			    "an accepted domain there, and the sender is not allowed to "
			    "relay. In hybrid this is usually an MX, accepted-domain or "
			    "connector setting.",
			.causes = {
				"The recipient domain is not an accepted domain on the "
				"receiving server (or in Exchange Online)",
				"The MX points at a system that does not accept the domain",
				"An anonymous relay attempt: the sending server matches no "
				"connector (certificate or IP) that allows relay",
				NULL,
			},
			.checks = {
				"hybridtls dns <domain>",
				"Get-AcceptedDomain (on-premises and in Exchange Online)",
				CHK_CONNECTOR,
				NULL,
			},
		},
		ESC('5', 7, 1, 1),
		.text = { "unable to relay", NULL },
	},
	{
		.e = {
			.key = "eop.legacy-tls",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_TLS,
			.title = "Exchange Online refused TLS 1.0/1.1",
			.what = "The client tried TLS 1.0 or 1.1 on Exchange Online's client "
			    "submission endpoint (smtp.office365.com). Those versions are "
			    "disabled there (from February 2022); only TLS 1.2 is accepted.",
			.causes = {
				"The device or application (or the framework under it) can "
				"only do TLS 1.0/1.1",
				"TLS 1.2 is turned off on the sending Windows server (SCHANNEL "
				"settings) (inferred)",
				NULL,
			},
			.checks = {
				"hybridtls smtp smtp.office365.com --port 587",
				"Enable TLS 1.2 on the client; the opt-in endpoint "
				"smtp-legacy.office365.com (Set-TransportConfig "
				"-AllowLegacyTLSClients $true) was only a temporary escape",
				NULL,
			},
			.note = "The exact reply text comes from third-party quotes "
			    "(unconfirmed).",
		},
		ESC('4', 7, 66, 66),
	},
	{
		.e = {
			.key = "unconfirmed.421-4.7.68",
			.side = EXPLAIN_SIDE_UNKNOWN,
			.step = EXPLAIN_STEP_SMTP,
			.title = "421 4.7.68: no documented meaning",
			.what = "This code is reported, but hybridtls found no public source "
			    "for its meaning and does not guess one. By its class it is a "
			    "temporary refusal for a security or policy reason: the sender "
			    "keeps the message and retries.",
			.causes = {
				"Not documented: read the text after the code and note which "
				"server gave it",
				"By its class only: a temporary security or policy restriction "
				"at the receiving server",
				NULL,
			},
			.checks = {
				CHK_SMTP_EXO,
				CHK_BLOCKLIST,
				NULL,
			},
			.note = "No source found for 421 4.7.68 (unconfirmed).",
		},
		.code = 421,
		ESC('4', 7, 68, 68),
	},
	{
		.e = {
			.key = "eop.unregistered-domains",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_CONNECTOR,
			.title = "Exchange Online blocked relay from domains it does not know",
			.what = "Too much mail was relayed through Exchange Online from "
			    "sender domains that are not accepted domains of the tenant, so "
			    "Exchange Online blocked the relay. The block stays until the "
			    "cause is fixed and Microsoft support lifts it.",
			.causes = {
				"Sending domains are used that are not added and verified in "
				"the tenant",
				"An IP-based inbound connector relays mail where neither the "
				"sender nor the recipient domain is accepted",
				"A compromised on-premises server, or a connector an attacker "
				"created",
				NULL,
			},
			.checks = {
				CHK_CONNECTOR,
				"Get-AcceptedDomain (Exchange Online): add and verify every "
				"sending domain",
				"Prefer a certificate-based inbound connector whose certificate "
				"domain is an accepted domain; remove connectors you did not make",
				"Then open a support case to have the block lifted",
				NULL,
			},
		},
		ESC('5', 7, 750, 750),
	},
	{
		.e = {
			.key = "eop.tenant-threshold",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_CONNECTOR,
			.title = "Exchange Online banned outbound mail for the whole tenant",
			.what = "The tenant sent more suspicious mail than Exchange Online "
			    "allows, so it refuses outbound mail from the tenant. It stays "
			    "blocked until the cause is cleaned up and Microsoft support "
			    "removes the block.",
			.causes = {
				"Compromised accounts or a compromised on-premises server sent "
				"spam through the tenant",
				"A connector (perhaps created by an attacker) relays mail it "
				"should not",
				NULL,
			},
			.checks = {
				CHK_CONNECTOR,
				"Review recent sign-ins and outbound mail volume, then contact "
				"Microsoft support",
				NULL,
			},
		},
		ESC('5', 7, 705, 705),
	},
	{
		.e = {
			.key = "eop.ip-not-accepted",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_BLOCKLIST,
			.title = "Exchange Online does not accept traffic from this IP",
			.what = "Exchange Online refuses mail from this IP address because of "
			    "its low reputation. This is common for new or trial tenants.",
			.causes = {
				"The IP has a poor reputation with Exchange Online",
				"A new or trial tenant sending from an address Exchange Online "
				"does not trust yet",
				NULL,
			},
			.checks = {
				CHK_BLOCKLIST,
				"Contact Microsoft support; a trial tenant can ask for an IP "
				"exception",
				NULL,
			},
		},
		ESC('5', 7, 708, 708),
	},
	{
		.e = {
			.key = "eop.basic-auth-disabled",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_NONE,
			.title = "Exchange Online refused Basic authentication for SMTP AUTH",
			.what = "A device or application authenticated to smtp.office365.com "
			    "with a user name and password (Basic authentication), which "
			    "Exchange Online no longer accepts for client submission in this "
			    "tenant. Hybrid transport between servers does not use SMTP AUTH "
			    "and is not affected.",
			.causes = {
				"The device or application only knows Basic authentication",
				"Basic authentication for SMTP AUTH is off in the tenant or for "
				"the mailbox",
				NULL,
			},
			.checks = {
				"hybridtls smtp smtp.office365.com --port 587",
				"Move the device to OAuth, or relay through a connector on "
				"<tenant>.mail.protection.outlook.com port 25",
				NULL,
			},
			.note = "Timeline as of early 2026, still moving: retirement is on "
			    "hold; Basic auth is to be disabled by default for existing "
			    "tenants at the end of December 2026, final date to be announced "
			    "in 2027.",
		},
		ESC('5', 7, 30, 30),
	},
	{
		.e = {
			.key = "eop.client-not-authenticated",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_NONE,
			.title = "Anonymous mail to Exchange Online's client submission endpoint",
			.what = "A device or application sent mail to smtp.office365.com "
			    "without authenticating. That endpoint is for authenticated "
			    "clients only; anonymous relay goes to the MX endpoint with a "
			    "connector.",
			.causes = {
				"The device or application is set to send without "
				"authentication to smtp.office365.com",
				"Authentication failed silently on the device (inferred)",
				NULL,
			},
			.checks = {
				"hybridtls smtp smtp.office365.com --port 587",
				"Authenticate, or send to <tenant>.mail.protection.outlook.com "
				"on port 25 with an inbound connector for the device's IP",
				NULL,
			},
		},
		ESC('5', 7, 57, 57),
	},
	{
		.e = {
			.key = "eop.relay-access-denied",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_DNS,
			.title = "The receiving server does not accept mail for this domain",
			.what = "The server that received the message does not take mail for "
			    "the recipient's domain. This is an MX or accepted-domain "
			    "problem; in hybrid, the connectors the wizard made are also "
			    "involved.",
			.causes = {
				"The MX of the recipient's domain points to a system that does "
				"not accept the domain",
				"The domain is missing from the accepted domains",
				"The hybrid connectors are missing or changed (inferred)",
				NULL,
			},
			.checks = {
				"hybridtls dns <domain>",
				"Get-AcceptedDomain (on-premises and in Exchange Online)",
				"Rerun the Hybrid Configuration Wizard",
				NULL,
			},
		},
		ESC('5', 4, 1, 1),
		.text = { "Relay Access Denied", NULL },
	},
	{
		.e = {
			.key = "eop.dbeb-rejected",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_NONE,
			.title = "Directory-Based Edge Blocking refused an unknown recipient",
			.what = "Exchange Online did not find the recipient in its directory "
			    "and the domain is Authoritative there, so it refused the message "
			    "at the edge. In hybrid this works only when every on-premises "
			    "recipient is synchronised and the MX points to Exchange Online.",
			.causes = {
				"The recipient exists only on-premises and is not synchronised "
				"to Exchange Online",
				"The domain is Authoritative in Exchange Online while some "
				"recipients still live on-premises",
				"The recipient is a dynamic distribution group, which is not "
				"synchronised",
				NULL,
			},
			.checks = {
				"Get-AcceptedDomain | fl Name,DomainType (Exchange Online): keep "
				"the domain InternalRelay until the migration is complete",
				"Check directory synchronisation for the recipient; use a mail "
				"contact for a dynamic distribution group",
				NULL,
			},
		},
		ESC('5', 4, 1, 1),
		.text = { "Recipient address rejected", "AS(201806281)", NULL },
	},
	{
		.e = {
			.key = "exo.recipient-not-found",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_NONE,
			.title = "Exchange Online did not route to the on-premises recipient",
			.what = "A cloud user wrote to a recipient that lives on-premises, "
			    "and Exchange Online answered that the recipient does not exist "
			    "instead of passing the message to on-premises. The shared domain "
			    "is Authoritative in Exchange Online, so it never routes to "
			    "on-premises.",
			.causes = {
				"The shared domain is Authoritative in Exchange Online instead "
				"of Internal Relay",
				"The recipient is not synchronised to Exchange Online "
				"(inferred)",
				NULL,
			},
			.checks = {
				"Set-AcceptedDomain <domain> -DomainType InternalRelay (Exchange "
				"Online)",
				CHK_OUTCONN,
				NULL,
			},
		},
		ESC('5', 1, 1, 1),
		.text = { "RESOLVER.ADR.ExRecipNotFound", NULL },
	},
	{
		.e = {
			.key = "eop.deferred-suspicious",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_BLOCKLIST,
			.title = "Exchange Online is temporarily holding back mail from this sender",
			.what = "Exchange Online deferred the message while it evaluates "
			    "suspicious activity from the sender. This is temporary: the "
			    "sending server retries.",
			.causes = {
				"A sudden volume or pattern of mail from the IP or tenant",
				"The sending IP's reputation is poor",
				NULL,
			},
			.checks = {
				CHK_BLOCKLIST,
				"Wait and watch the queue; if it persists, contact Microsoft "
				"support",
				NULL,
			},
		},
		ESC('4', 7, 500, 699), .lo2 = 850, .hi2 = 899,
	},
	{
		.e = {
			.key = "eop.customer-block-list",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_NONE,
			.title = "The recipient's organisation blocks your IP",
			.what = "The recipient's Microsoft 365 tenant has your sending IP on "
			    "its own block list. Only that organisation can remove it.",
			.causes = {
				"The recipient's admins added the IP to their connection "
				"filter block list",
				"The IP once sent unwanted mail to that organisation (inferred)",
				NULL,
			},
			.checks = {
				"Ask the recipient's administrators to remove the IP",
				CHK_BLOCKLIST,
				NULL,
			},
		},
		ESC('5', 7, 513, 513),
	},

	/* ---- Exchange Online to on-premises (outbound connector) ---- */
	{
		.e = {
			.key = "exo.dns-query-failed",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_DNS,
			.title = "Exchange Online could not resolve your on-premises smart host",
			.what = "Exchange Online tried to deliver to your organisation through "
			    "the hybrid outbound connector and could not resolve the "
			    "connector's smart host in public DNS. It retries for 24 hours, "
			    "then returns the message to the sender.",
			.causes = {
				"The smart host's DNS record is missing or wrong at your public "
				"DNS host",
				"The domain has expired or its DNS hosting is failing",
				"A recent DNS change has not reached resolvers yet (stale cache)",
				NULL,
			},
			.checks = {
				"hybridtls dns <domain>",
				CHK_SMTP_ONPREM,
				CHK_OUTCONN,
				NULL,
			},
		},
		ESC(0, 4, 312, 312),
	},
	{
		.e = {
			.key = "exo.connection-timed-out",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_SMTP,
			.title = "Exchange Online could not reach your on-premises server "
			    "(connection timed out)",
			.what = "Exchange Online resolved the smart host but got no answer "
			    "from it on TCP 25. It retries for 24 hours, then returns the "
			    "message to the sender.",
			.causes = {
				"The on-premises server or its public address is down",
				"The connector's smart host resolves to the wrong IP, for "
				"example after an ISP or NAT change",
				"A firewall silently drops Exchange Online's connections on "
				"TCP 25 (inferred)",
				NULL,
			},
			.checks = {
				CHK_SMTP_ONPREM,
				"hybridtls dns <domain>",
				CHK_OUTCONN,
				NULL,
			},
		},
		ESC(0, 4, 315, 315),
	},
	{
		.e = {
			.key = "exo.connection-refused",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_SMTP,
			.title = "Your on-premises endpoint refused Exchange Online's connection",
			.what = "Exchange Online reached the smart host's address, but the "
			    "connection on TCP 25 was refused (Socket error code 10061 is "
			    "Windows' 'connection refused'). It retries for 24 hours, then "
			    "returns the message to the sender.",
			.causes = {
				"The firewall refuses Exchange Online's source addresses on "
				"TCP 25 (allow Microsoft 365 endpoint ID 10, e.g. 40.92.0.0/15, "
				"40.107.0.0/16, 52.100.0.0/14, 104.47.0.0/17 and "
				"2a01:111:f400::/48, 2a01:111:f403::/48; read the current list "
				"from endpoints.office.com)",
				"Nothing listens on port 25 behind that address (transport "
				"service stopped, wrong NAT rule) (inferred)",
				"On-premises Exchange was decommissioned but the hybrid "
				"outbound connector is still enabled",
				NULL,
			},
			.checks = {
				CHK_SMTP_ONPREM,
				CHK_OUTCONN,
				"If on-premises is gone on purpose: Set-OutboundConnector "
				"\"Outbound to <guid>\" -Enabled $false and Set-AcceptedDomain "
				"<domain> -DomainType Authoritative",
				NULL,
			},
		},
		ESC(0, 4, 316, 316),
	},
	{
		.e = {
			.key = "exo.untrusted-root",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_TLS,
			.title = "Exchange Online could not build a trusted chain for your "
			    "server's certificate",
			.what = "During TLS the peer sent its certificate without the "
			    "intermediate CA certificates. Exchange Online does not fetch "
			    "missing intermediates, so it cannot link the certificate to a "
			    "root Microsoft trusts and gives up on the connection.",
			.causes = {
				"The server sends only its own (leaf) certificate: the "
				"intermediate CA certificates are not installed on the server",
				"The certificate is from a private or internal CA (hybrid needs "
				"a public CA)",
				"A device in front of Exchange presents its own certificate "
				"(inferred)",
				NULL,
			},
			.checks = {
				CHK_SMTP_ONPREM,
				CHK_CERTS,
				"Install the issuing CA's intermediate certificates on every "
				"Exchange server (Intermediate Certification Authorities store)",
				NULL,
			},
		},
		ESC(0, 4, 317, 317),
		.text = { "UntrustedRoot", NULL },
	},
	{
		.e = {
			.key = "exo.cannot-connect",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_SMTP,
			.title = "Exchange Online connected to your server but could not deliver",
			.what = "Exchange Online reached the on-premises server but could not "
			    "hand the message over: the server answered with an error at once "
			    "(for example 'Service not available'), or the connector requires "
			    "TLS and the server did not offer STARTTLS. Any [Message=...] "
			    "part says which.",
			.causes = {
				"A firewall inspecting SMTP removed STARTTLS from your server's "
				"EHLO reply, and the hybrid connector requires TLS",
				"The Receive connector answered with an immediate error "
				"(service not available, connection limits)",
				"STARTTLS is not offered because no usable certificate is enabled "
				"for SMTP on the receiving server (inferred)",
				NULL,
			},
			.checks = {
				CHK_SMTP_ONPREM,
				CHK_FRONTEND,
				CHK_OUTCONN,
				NULL,
			},
		},
		ESC(0, 4, 317, 317),
	},
	{
		.e = {
			.key = "exo.closed-abruptly",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_SMTP,
			.title = "The connection to your on-premises server was cut in the middle",
			.what = "Exchange Online was talking to your server when the "
			    "connection closed without a proper SMTP ending. It retries for 24 "
			    "hours, then returns the message to the sender.",
			.causes = {
				"A firewall's SMTP packet inspection (Cisco ASA 'inspect esmtp' "
				"and similar) misbehaves and cuts the session",
				"The on-premises transport service hangs or runs short of "
				"resources",
				"Network trouble between Exchange Online and your site",
				NULL,
			},
			.checks = {
				CHK_SMTP_ONPREM,
				"On a Cisco ASA: show running-config all policy-map type inspect "
				"esmtp",
				"Check the transport service and the Application event log on "
				"the receiving servers",
				NULL,
			},
		},
		ESC(0, 4, 318, 318),
	},
	{
		.e = {
			.key = "exo.cert-subject-mismatch",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_TLS,
			.title = "The certificate your server presented does not carry the name "
			    "Exchange Online expects",
			.what = "The hybrid outbound connector checks the on-premises "
			    "certificate against its TlsDomain (TlsSettings DomainValidation). "
			    "The certificate presented did not contain that name, so Exchange "
			    "Online refused to deliver. When it fails only part of the time, "
			    "one of several servers presents the wrong certificate.",
			.causes = {
				"The Default Frontend Receive connector on one of several "
				"servers still presents the self-signed certificate (CN=<SERVER>): "
				"TlsCertificateName was set on only some servers",
				"The certificate's names do not include the connector's TlsDomain "
				"or smart host",
				"A device in front of Exchange presents its own certificate "
				"(inferred)",
				NULL,
			},
			.checks = {
				CHK_SMTP_ONPREM " (once per public IP, to reach every server)",
				CHK_FRONTEND,
				CHK_OUTCONN,
				"Set-ReceiveConnector \"<SERVER>\\Default Frontend <SERVER>\" "
				"-TlsCertificateName '<I>issuer<S>subject' on every server, or "
				"rerun the Hybrid Configuration Wizard",
				NULL,
			},
		},
		ESC(0, 7, 320, 320),
		.text = { "SubjectMismatch", NULL },
	},
	{
		.e = {
			.key = "exo.cert-validation-failed",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_TLS,
			.title = "Exchange Online rejected your server's certificate",
			.what = "The hybrid outbound connector validates the certificate your "
			    "server presents (TlsSettings DomainValidation against "
			    "TlsDomain). It failed that check, so Exchange Online did not "
			    "deliver; it retries for 24 hours.",
			.causes = {
				"The certificate has expired or is no longer valid",
				"One of several servers presents another certificate, typically "
				"the self-signed one on its Default Frontend Receive connector",
				"The certificate's names do not include the connector's TlsDomain",
				"A device in front of Exchange presents its own certificate "
				"(inferred)",
				NULL,
			},
			.checks = {
				CHK_SMTP_ONPREM,
				CHK_FRONTEND,
				CHK_CERTS,
				CHK_OUTCONN,
				NULL,
			},
		},
		ESC(0, 7, 320, 320),
	},
	{
		.e = {
			.key = "exo.dane-starttls-not-supported",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_SMTP,
			.title = "DANE: the destination does not offer STARTTLS",
			.what = "Exchange Online sends with DANE to a destination that "
			    "publishes TLSA records in a DNSSEC-signed zone, and that "
			    "destination did not offer STARTTLS, so it cannot be checked. The "
			    "4.7.x form is a deferral, the 5.7.x form the final NDR. This can "
			    "be your own on-premises MX if you DANE-signed it.",
			.causes = {
				"A firewall inspecting SMTP removed STARTTLS from the EHLO reply",
				"STARTTLS is turned off or has no certificate on the receiving "
				"server",
				NULL,
			},
			.checks = {
				"hybridtls smtp <destination MX>",
				"hybridtls dns <domain>",
				NULL,
			},
		},
		ESC(0, 7, 321, 321),
	},
	{
		.e = {
			.key = "exo.dane-certificate-expired",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_TLS,
			.title = "DANE: the destination's certificate has expired",
			.what = "Exchange Online sends with DANE to this destination and the "
			    "certificate its server presented has expired. The 4.7.x form is "
			    "a deferral, the 5.7.x form the final NDR.",
			.causes = {
				"The receiving server's certificate was not renewed",
				"It was renewed but the server still presents the old one",
				NULL,
			},
			.checks = {
				"hybridtls smtp <destination MX>",
				"Renew the certificate and update the TLSA records with it",
				NULL,
			},
		},
		ESC(0, 7, 322, 322),
	},
	{
		.e = {
			.key = "exo.dane-tlsa-invalid",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_DNS,
			.title = "DANE: the destination's TLSA records do not match its certificate",
			.what = "Exchange Online sends with DANE to this destination and none "
			    "of the TLSA records published for the MX host matches the "
			    "certificate its server presented. The 4.7.x form is a deferral, "
			    "the 5.7.x form the final NDR.",
			.causes = {
				"The certificate or key was renewed and the TLSA records were "
				"not updated",
				"The TLSA records are malformed or for another host",
				NULL,
			},
			.checks = {
				"hybridtls dns <domain>",
				"hybridtls smtp <destination MX>",
				NULL,
			},
		},
		ESC(0, 7, 323, 323),
	},
	{
		.e = {
			.key = "exo.dane-dnssec-invalid",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_DNS,
			.title = "DANE: the destination's DNSSEC does not validate",
			.what = "Exchange Online sends with DANE to this destination and the "
			    "DNSSEC signatures of its zone did not validate, so the TLSA "
			    "records cannot be trusted. The 4.7.x form is a deferral, the "
			    "5.7.x form the final NDR.",
			.causes = {
				"Expired signatures, or a DS record at the registrar that does "
				"not match the zone's keys",
				"A key rollover went wrong (inferred)",
				NULL,
			},
			.checks = {
				"hybridtls dns <domain>",
				NULL,
			},
		},
		ESC(0, 7, 324, 324),
	},
	{
		.e = {
			.key = "exo.dane-certificate-host-mismatch",
			.side = EXPLAIN_SIDE_EXO,
			.step = EXPLAIN_STEP_TLS,
			.title = "DANE: the destination's certificate does not name the MX host",
			.what = "Exchange Online sends with DANE to this destination and the "
			    "certificate its server presented does not carry the MX host "
			    "name. The 4.7.x form is a deferral, the 5.7.x form the final NDR.",
			.causes = {
				"The certificate was issued for another name than the MX host",
				"A device in front of the server presents its own certificate "
				"(inferred)",
				NULL,
			},
			.checks = {
				"hybridtls smtp <destination MX> --tls-name <MX host>",
				"hybridtls dns <domain>",
				NULL,
			},
		},
		ESC(0, 7, 325, 325),
	},

	/* ---- the SMTP protocol and middleboxes ---- */
	{
		.e = {
			.key = "smtp.starttls-required",
			.side = EXPLAIN_SIDE_REMOTE,
			.step = EXPLAIN_STEP_SMTP,
			.title = "The server requires STARTTLS before this command (RFC 3207)",
			.what = "The receiving server accepts mail only over TLS, and the "
			    "client sent a command such as MAIL FROM without issuing STARTTLS "
			    "first. This is the standard wording of RFC 3207, used by Postfix "
			    "and many others; Exchange Online says 451 5.7.3 instead.",
			.causes = {
				"The client never saw STARTTLS in the EHLO reply because a "
				"firewall inspecting SMTP removed it (look for XXXXXXXA)",
				"The client does not use STARTTLS or is set not to "
				"(IgnoreSTARTTLS on an Exchange Send connector)",
				"The TLS handshake failed and the client went on without TLS "
				"(inferred)",
				NULL,
			},
			.checks = {
				"hybridtls smtp <receiving host>",
				CHK_SENDCONN,
				NULL,
			},
		},
		ESC('5', 7, 0, 0),
		.text = { "STARTTLS", NULL },
	},
	{
		.e = {
			.key = "middlebox.esmtp-inspection",
			.side = EXPLAIN_SIDE_REMOTE,
			.step = EXPLAIN_STEP_SMTP,
			.title = "A firewall inspecting SMTP is breaking STARTTLS",
			.what = "A firewall between the two mail servers inspects SMTP: it "
			    "masks the banner with asterisks, shows STARTTLS in the EHLO reply "
			    "as XXXXXXXA, and rewrites the client's STARTTLS command, so the "
			    "server answers 500 5.5.1 and the session stays unencrypted. Cisco "
			    "ASA ('inspect esmtp', on by default) and PIX ('fixup smtp', "
			    "Mailguard) are the best-known cases. The fix is to let TLS "
			    "through, not to turn TLS off.",
			.causes = {
				"Cisco ASA ESMTP inspection with the default map (mask-banner, "
				"no allow-tls)",
				"Cisco PIX 'fixup smtp' (Mailguard)",
				"Another vendor's SMTP proxy or STARTTLS deep inspection "
				"(inferred)",
				NULL,
			},
			.checks = {
				CHK_SMTP_EXO,
				CHK_SMTP_ONPREM,
				"Cisco ASA: policy-map global_policy, class inspection_default, "
				"no inspect esmtp",
				"Or keep inspection and let TLS through: policy-map type inspect "
				"esmtp <name>, parameters, allow-tls; then inspect esmtp <name> "
				"under class inspection_default",
				"Cisco PIX 6.x: no fixup protocol smtp 25",
				NULL,
			},
			.note = "The exact 'no inspect esmtp' steps follow general ASA syntax "
			    "(unconfirmed); newer ASA/FTD releases may ship other defaults: "
			    "show running-config all policy-map type inspect esmtp. A Cisco "
			    "email security appliance answers unknown commands with 500 "
			    "#5.5.1 by itself: that alone is not a firewall.",
		},
		.code = 500,
		ESC('5', 5, 1, 1),
		.context = { "XXXXXXXA", "STARTTLS", NULL },
		.signal = { "XXXXXXXA", "220 *****", NULL },
	},
	{
		.e = {
			.key = "smtp.command-unrecognized",
			.side = EXPLAIN_SIDE_REMOTE,
			.step = EXPLAIN_STEP_SMTP,
			.title = "The server did not recognise a command",
			.what = "The server answered that it does not know the command it "
			    "received. Alone this is a client fault or a typo in a manual "
			    "session; right after STARTTLS it usually means a firewall "
			    "rewrote the command. Cisco email security appliances word it "
			    "'500 #5.5.1 command not recognized'.",
			.causes = {
				"A firewall inspecting SMTP replaced the command with X "
				"characters (inferred)",
				"A manual telnet session sent one character per packet through "
				"an inspecting firewall, so even EHLO became XXXX",
				"The client sent a command the server does not support",
				NULL,
			},
			.checks = {
				"hybridtls smtp <receiving host> (sends whole lines, shows the "
				"banner and EHLO reply as the client sees them)",
				NULL,
			},
		},
		.code = 500,
		ESC('5', 5, 1, 1),
		.weak = true,
	},

	/* ---- Hybrid Configuration Wizard ---- */
	{
		.e = {
			.key = "hcw.no-valid-certificate",
			.side = EXPLAIN_SIDE_LOCAL,
			.step = EXPLAIN_STEP_ONPREM,
			.hcw = true,
			.title = "Hybrid: no valid hybrid certificate found",
			.what = "The wizard found no certificate it can use for hybrid mail "
			    "transport on the on-premises servers. It needs one from a public "
			    "CA, not expired, enabled for at least IIS and SMTP.",
			.causes = {
				"The certificate is not enabled for SMTP (and IIS)",
				"The certificate is self-signed or from an internal CA",
				"The certificate has expired",
				NULL,
			},
			.checks = {
				CHK_CERTS,
				"Enable-ExchangeCertificate -Services IIS,SMTP -Thumbprint <t>",
				NULL,
			},
		},
		.signal = { "No valid hybrid certificate found", NULL },
	},
	{
		.e = {
			.key = "hcw.8010-no-receive-connector",
			.side = EXPLAIN_SIDE_LOCAL,
			.step = EXPLAIN_STEP_ONPREM,
			.hcw = true,
			.title = "Hybrid wizard HCW8010: Default Receive connector not found",
			.what = "The wizard looks for the Default Frontend Receive connector "
			    "with its usual bindings and did not find it on a server. The "
			    "documented cause is IPv6 turned off, so the [::]:25 binding is "
			    "missing.",
			.causes = {
				"IPv6 is disabled on the server and the [::]:25 binding of the "
				"Default Frontend connector is gone",
				"The Default Frontend connector was changed or removed "
				"(inferred)",
				NULL,
			},
			.checks = {
				"Get-ReceiveConnector | fl Identity,Bindings,TransportRole",
				"Enable IPv6, add the [::]:25 binding back to the Default "
				"Frontend connector, then rerun the wizard",
				NULL,
			},
		},
		.signal = { "HCW8010", NULL },
	},
	{
		.e = {
			.key = "hcw.8011-duplicate-send-connectors",
			.side = EXPLAIN_SIDE_LOCAL,
			.step = EXPLAIN_STEP_ONPREM,
			.hcw = true,
			.title = "Hybrid wizard HCW8011: several Send connectors for one "
			    "address space",
			.what = "More than one Send connector covers the same address space "
			    "(for example <tenant>.mail.onmicrosoft.com), so the wizard cannot "
			    "tell which one it manages.",
			.causes = {
				"A Send connector was created by hand next to the wizard's one",
				"An earlier wizard run left a connector behind (inferred)",
				NULL,
			},
			.checks = {
				CHK_SENDCONN,
				"Remove the duplicates (Remove-SendConnector), then rerun the "
				"wizard",
				NULL,
			},
		},
		.signal = { "HCW8011", NULL },
	},
	{
		.e = {
			.key = "hcw.tls-certificate-too-long",
			.side = EXPLAIN_SIDE_LOCAL,
			.step = EXPLAIN_STEP_ONPREM,
			.hcw = true,
			.title = "Active Directory refused the certificate name the wizard wrote",
			.what = "While configuring mail flow the wizard ran New-SendConnector, "
			    "and Active Directory refused the value of msExchSmtpTLSCertificate "
			    "(a constraint violation: the value is not in the acceptable "
			    "range). That attribute holds the '<I>issuer<S>subject' string of "
			    "the chosen certificate.",
			.causes = {
				"The '<I>issuer<S>subject' string of the certificate is too long "
				"for the attribute (inferred)",
				"Another certificate with a shorter issuer and subject would be "
				"accepted (inferred)",
				NULL,
			},
			.checks = {
				CHK_CERTS,
				CHK_HCWLOG,
				NULL,
			},
		},
		.signal = { "msExchSmtpTLSCertificate", NULL },
	},
	{
		.e = {
			.key = "hcw.configure-mail-flow",
			.side = EXPLAIN_SIDE_LOCAL,
			.step = EXPLAIN_STEP_ONPREM,
			.hcw = true,
			.title = "Hybrid wizard: configuring mail flow failed",
			.what = "The wizard failed while creating or changing the mail flow "
			    "objects (Send and Receive connectors on-premises, connectors in "
			    "Exchange Online). The exception after the subtask name says which "
			    "cmdlet failed.",
			.causes = {
				"Active Directory refused the certificate value for the Send "
				"connector (msExchSmtpTLSCertificate constraint violation)",
				"The chosen certificate is not usable for hybrid (not enabled "
				"for SMTP, self-signed, expired)",
				"Duplicate or hand-made connectors get in the way (inferred)",
				NULL,
			},
			.checks = {
				CHK_HCWLOG,
				CHK_CERTS,
				CHK_SENDCONN,
				NULL,
			},
		},
		.signal = { "Subtask Configure execution failed: Configure Mail Flow", NULL },
	},
	{
		.e = {
			.key = "hcw.validate-mail-flow",
			.side = EXPLAIN_SIDE_LOCAL,
			.step = EXPLAIN_STEP_ONPREM,
			.hcw = true,
			.title = "Hybrid wizard: validating mail flow failed",
			.what = "The wizard could not validate the mail flow configuration. "
			    "No Microsoft article covers this exact error; the documented "
			    "neighbours are about the hybrid certificate, so check it first.",
			.causes = {
				"The chosen certificate is missing on one of the sending or "
				"receiving servers (inferred)",
				"The certificate is not enabled for SMTP, is self-signed or has "
				"expired (inferred)",
				"The '<I>issuer<S>subject' string is too long for Active "
				"Directory (inferred)",
				NULL,
			},
			.checks = {
				CHK_CERTS " (on every sending and receiving server)",
				CHK_HCWLOG,
				CHK_SMTP_EXO,
				NULL,
			},
			.note = "No authoritative article for this exact error "
			    "(unconfirmed); the causes are inferred from neighbouring "
			    "documented errors.",
		},
		.signal = { "Subtask ValidateConfiguration execution failed", NULL },
		.signal_also = "Mail Flow",
	},
	{
		.e = {
			.key = "hcw.legacy-upgrade",
			.side = EXPLAIN_SIDE_LOCAL,
			.step = EXPLAIN_STEP_ONPREM,
			.hcw = true,
			.title = "Hybrid wizard: upgrading a hybrid configuration from Exchange 2010",
			.what = "The legacy wizard failed while upgrading a hybrid "
			    "configuration made with Exchange 2010.",
			.causes = {
				"An outdated Exchange cumulative update running the legacy "
				"wizard",
				"The legacy wizard itself: the current Office 365 wizard "
				"replaces it",
				NULL,
			},
			.checks = {
				"Install the latest cumulative update and run the current "
				"Hybrid Configuration Wizard",
				NULL,
			},
		},
		.signal = { "Upgrading hybrid configuration from Exchange 2010", NULL },
	},
};

#define NKNOWN (sizeof known / sizeof known[0])

/* ---- small helpers ---- */

/* Letters and digits of s[0..n) in lower case into out (at most outlen-1). */
static size_t squeeze(const char *s, size_t n, char *out, size_t outlen)
{
	size_t k = 0;

	for (size_t i = 0; i < n && s[i] != '\0' && k + 1 < outlen; i++)
		if (isalnum((unsigned char)s[i]))
			out[k++] = (char)tolower((unsigned char)s[i]);
	out[k] = '\0';
	return k;
}

/* Is pattern (natural text) in the input? Patterns of letters, digits and
 * spaces (and any pattern when low is NULL) are looked up in sq (letters and
 * digits only), others in low (lower case, whitespace collapsed). */
static bool find_pattern(const char *pattern, const char *sq, const char *low)
{
	char pat[128];
	bool plain = true;

	for (const char *p = pattern; *p && low != NULL; p++)
		if (!isalnum((unsigned char)*p) && *p != ' ')
			plain = false;
	if (plain) {
		if (squeeze(pattern, strlen(pattern), pat, sizeof pat) == 0)
			return false;
		return strstr(sq, pat) != NULL;
	}
	size_t k = 0;
	for (const char *p = pattern; *p && k + 1 < sizeof pat; p++)
		pat[k++] = (char)tolower((unsigned char)*p);
	pat[k] = '\0';
	return strstr(low, pat) != NULL;
}

/* Split "5.7.606" into its numbers; false if it is not an enhanced code. */
static bool esc_split(const char *esc, int *cls, int *subject, int *detail)
{
	char *end;
	long a, b, c;

	if (esc == NULL || !isdigit((unsigned char)esc[0]))
		return false;
	a = strtol(esc, &end, 10);
	if (*end != '.')
		return false;
	b = strtol(end + 1, &end, 10);
	if (*end != '.')
		return false;
	c = strtol(end + 1, &end, 10);
	if (*end != '\0')
		return false;
	*cls = (int)a;
	*subject = (int)b;
	*detail = (int)c;
	return true;
}

/* ---- 1. normalisation ---- */

/* Decode an HTML entity at s (s[0] == '&'); *ch gets the character. */
static size_t entity(const unsigned char *s, size_t n, char *ch)
{
	static const struct {
		const char *name;
		char ch;
	} ents[] = {
		{ "&quot;", '"' }, { "&#34;", '"' }, { "&#x22;", '"' },
		{ "&apos;", '\'' }, { "&#39;", '\'' }, { "&#x27;", '\'' },
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&nbsp;", ' ' }, { "&#160;", ' ' },
	};

	for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++) {
		size_t l = strlen(ents[i].name);

		if (l <= n && strncasecmp((const char *)s, ents[i].name, l) == 0) {
			*ch = ents[i].ch;
			return l;
		}
	}
	return 0;
}

/* An HTML tag at s (s[0] == '<')? Returns its length and whether it breaks a
 * line; 0 if it is not one ("<," of a protocol log, "<user@host>"). */
static size_t html_tag(const unsigned char *s, size_t n, bool *newline)
{
	static const char *const breaks[] = { "br", "p", "div", "tr", "li", "pre", "table" };
	size_t i = 1, name;

	if (i < n && s[i] == '/')
		i++;
	name = i;
	while (i < n && i - name < 16 && isalpha((unsigned char)s[i]))
		i++;
	if (i == name || i >= n || (s[i] != '>' && s[i] != ' ' && s[i] != '/'))
		return 0;
	size_t nl = i - name;
	*newline = false;
	for (size_t b = 0; b < sizeof breaks / sizeof breaks[0]; b++)
		if (strlen(breaks[b]) == nl && strncasecmp((const char *)s + name, breaks[b], nl) == 0)
			*newline = true;
	for (size_t k = i; k < n && k < 512; k++) {
		if (s[k] == '>')
			return k + 1;
		if (s[k] == '<' || s[k] == '\n')
			return 0;
	}
	return 0;
}

/* A UTF-8 sequence (or a stray byte) at s: its length and an ASCII stand-in. */
static size_t utf8(const unsigned char *s, size_t n, char *ch)
{
	size_t len = 1;

	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4;
	if (len > n)
		len = 1;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			len = 1;
	*ch = '?';
	if (len == 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		*ch = '\0';				/* byte order mark */
	else if (len == 2 && s[0] == 0xC2 && s[1] == 0xA0)
		*ch = ' ';				/* no-break space */
	else if (len == 3 && s[0] == 0xE2 && s[1] == 0x80) {
		if (s[2] == 0x9C || s[2] == 0x9D || s[2] == 0x9E)
			*ch = '"';			/* typographic double quotes */
		else if (s[2] == 0x98 || s[2] == 0x99)
			*ch = '\'';
		else if (s[2] == 0x93 || s[2] == 0x94)
			*ch = '-';
		else if (s[2] == 0xAF)
			*ch = ' ';
	}
	return len;
}

/* The input as plain ASCII lines (see the top of the file); out has room for
 * len + 1 bytes. Returns the length. */
static size_t normalise(const unsigned char *in, size_t len, char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < len; ) {
		unsigned char c = in[i];
		char ch;
		size_t used;
		bool nl;

		if (c == '\r') {
			out[k++] = '\n';
			i += (i + 1 < len && in[i + 1] == '\n') ? 2 : 1;
		} else if (c == '\n') {
			out[k++] = '\n';
			i++;
		} else if (c == '&' && (used = entity(in + i, len - i, &ch)) > 0) {
			out[k++] = ch;
			i += used;
		} else if (c == '<' && (used = html_tag(in + i, len - i, &nl)) > 0) {
			out[k++] = nl ? '\n' : ' ';
			i += used;
		} else if (c >= 0x80) {
			i += utf8(in + i, len - i, &ch);
			if (ch != '\0')
				out[k++] = ch;
		} else if (c == '\0') {
			i++;	/* dropped: UTF-16 text (PowerShell's Out-File) reads as ASCII */
		} else if (c < 0x20 || c == 0x7f) {
			out[k++] = ' ';
			i++;
		} else {
			out[k++] = (char)c;
			i++;
		}
	}
	out[k] = '\0';

	/* Join a code cut after a dot: "5.7.\n606" (or "5.7\n.606"). */
	size_t w = 0;
	for (size_t r = 0; r < k; r++) {
		if (out[r] == '\n') {
			size_t a = w, b = r + 1;

			while (a > 0 && out[a - 1] == ' ')
				a--;
			while (b < k && out[b] == ' ')
				b++;
			bool dot_digit = a >= 2 && out[a - 1] == '.' &&
			    isdigit((unsigned char)out[a - 2]) && b < k &&
			    isdigit((unsigned char)out[b]);
			bool digit_dot = a >= 1 && isdigit((unsigned char)out[a - 1]) &&
			    b + 1 < k && out[b] == '.' && isdigit((unsigned char)out[b + 1]);
			if (dot_digit || digit_dot) {
				w = a;
				r = b - 1;
				continue;
			}
		}
		out[w++] = out[r];
	}
	out[w] = '\0';
	return w;
}

/* ---- 2. finding replies ---- */

/* A protocol log line: "date,connector,session,seq,local,remote,<,data,ctx". */
struct plog {
	bool is;
	char dir;		/* '<' received, '>' sent, '*' information */
	size_t ds, de;		/* the data field, without its quotes */
};

static void plog_detect(const char *n, size_t ls, size_t le, struct plog *pl)
{
	size_t f = 0, fs = ls;
	bool quoted = false;

	memset(pl, 0, sizeof *pl);
	for (size_t i = ls; i <= le; i++) {
		if (i < le && n[i] == '"') {
			quoted = !quoted;
			continue;
		}
		if (i < le && (quoted || n[i] != ','))
			continue;
		/* field [fs, i) */
		if (pl->dir != '\0') {
			pl->ds = fs;
			pl->de = i;
			if (pl->de > pl->ds && n[pl->ds] == '"') {
				pl->ds++;
				if (pl->de > pl->ds && n[pl->de - 1] == '"')
					pl->de--;
			}
			pl->is = true;
			return;
		}
		if (f >= 3 && i - fs == 1 && (n[fs] == '<' || n[fs] == '>' || n[fs] == '*'))
			pl->dir = n[fs];
		f++;
		fs = i + 1;
	}
	pl->dir = '\0';
}

/* A reply candidate. */
struct cand {
	int code;
	char esc[16];
	size_t start;		/* the code */
	size_t text;		/* after the enhanced code */
	char sep;		/* ' ' or '-' (a multi-line reply goes on) */
};

/* Characters that cannot stand right before a reply code. */
static bool bad_before(const char *n, size_t i)
{
	char p;

	if (i == 0)
		return false;
	p = n[i - 1];
	if (isalnum((unsigned char)p) || strchr("._/\\@+-$%", p) != NULL)
		return true;
	return p == ':' && i >= 2 && isdigit((unsigned char)n[i - 2]);
}

/* Is there a reply at n[i] (not past lim)? bare_ok: a code with no enhanced
 * code counts too (the start of a line, a log field, or after a quote). */
static bool reply_at(const char *n, size_t i, size_t lim, bool bare_ok, struct cand *c)
{
	size_t j;

	if (i + 3 > lim || n[i] < '2' || n[i] > '5' || n[i + 1] < '0' || n[i + 1] > '5' ||
	    !isdigit((unsigned char)n[i + 2]) || bad_before(n, i))
		return false;
	memset(c, 0, sizeof *c);
	c->code = (n[i] - '0') * 100 + (n[i + 1] - '0') * 10 + (n[i + 2] - '0');
	c->start = i;
	if (i + 3 == lim) {
		c->sep = ' ';
		c->text = lim;
		return bare_ok;
	}
	c->sep = n[i + 3];
	if (c->sep != ' ' && c->sep != '-' && c->sep != '\n')
		return false;

	/* The enhanced code: after blanks and at most one line break (the
	 * indentation of a wrapped Format-List value), an optional '#'. */
	j = i + 3;
	for (int k = 0, nl = 0; k < 128 && j < lim && (n[j] == ' ' || n[j] == '\n'); k++, j++)
		if (n[j] == '\n' && ++nl > 1)
			break;
	if (j < lim && n[j] == '#')
		j++;
	char tok[16];
	size_t t = 0;
	while (j + t < lim && t < sizeof tok - 1 && (isdigit((unsigned char)n[j + t]) || n[j + t] == '.'))
		t++;
	if (t > 0 && j + t < lim && t < sizeof tok - 1 && isalnum((unsigned char)n[j + t]))
		t = 0;		/* "5.7.1abc" is no code */
	memcpy(tok, n + j, t);
	tok[t] = '\0';
	if (t > 0 && tok[t - 1] == '.')
		tok[--t] = '\0';
	if (t > 0 && smtp_esc_parse(tok, c->esc, sizeof c->esc)) {
		c->text = j + t;
		while (c->text < lim && n[c->text] == ' ')
			c->text++;
		if (c->sep == '\n')
			c->sep = ' ';
		return true;
	}
	c->esc[0] = '\0';

	/* No enhanced code: "530 Must issue...", "220 *****", "250-XXXXXXXA". */
	if (!bare_ok || c->sep == '\n')
		return false;
	j = i + 4;
	if (j < lim && !isalpha((unsigned char)n[j]) && n[j] != '*' && n[j] != '[')
		return false;
	c->text = j;
	return true;
}

static size_t line_end_at(const char *n, size_t len, size_t i)
{
	const char *nl = memchr(n + i, '\n', len - i);

	return nl ? (size_t)(nl - n) : len;
}

/* Does the reply's text run on to the line [ls, le)? open_quote: the text so
 * far has an odd number of '"'. */
static bool continues(const char *n, bool open_quote, size_t ls, size_t le)
{
	size_t f = ls;
	struct cand c;
	struct plog pl;

	while (f < le && n[f] == ' ')
		f++;
	if (f == le)
		return false;		/* a blank line ends it */
	if (reply_at(n, f, le, true, &c))
		return false;		/* a new reply */
	plog_detect(n, ls, le, &pl);
	if (pl.is)
		return false;
	return open_quote || f > ls || islower((unsigned char)n[f]);
}

/* A closing quote q at n[k]: followed by a blank, punctuation or the end. */
static bool closes(const char *n, size_t len, size_t k)
{
	return k + 1 >= len || strchr(" \n,;.:)]}>\"'", n[k + 1]) != NULL;
}

#define EXTENT_MAX 2048

/* Where the text of the reply c ends (exclusive), within limit. */
static size_t reply_end(const char *n, size_t len, const struct cand *c, size_t le,
    const struct plog *pl, size_t limit)
{
	size_t i = c->start, cap = i + EXTENT_MAX;

	if (cap > limit)
		cap = limit;
	if (pl->is && i >= pl->ds && i < pl->de)
		return pl->de < cap ? pl->de : cap;

	if (i > 0 && (n[i - 1] == '"' || n[i - 1] == '\'')) {
		char q = n[i - 1];
		bool twice = i > 1 && n[i - 2] == q;	/* ""...."" as in CSV */

		for (size_t k = c->text; k < cap; k++) {
			if (n[k] != q)
				continue;
			if (twice) {
				if (k + 1 < cap && n[k + 1] == q)
					return k;
				continue;
			}
			if (k + 1 < cap && n[k + 1] == q) {
				k++;		/* an escaped quote inside */
				continue;
			}
			if (closes(n, len, k))
				return k;
		}
	}
	if (i >= 4 && strncasecmp(n + i - 4, "LED=", 4) == 0) {
		const char *b = memchr(n + i, '}', cap - i);

		if (b != NULL)
			return (size_t)(b - n);
	}
	if (i >= 8 && strncasecmp(n + i - 8, "Message=", 8) == 0) {
		const char *b = memchr(n + i, ']', cap - i);

		if (b != NULL)
			return (size_t)(b - n);
	}

	size_t end = le < cap ? le : cap, q = 0;
	for (size_t k = c->text; k < end; k++)
		q += n[k] == '"';
	while (end < cap && n[end] == '\n') {
		size_t ls = end + 1, nle = line_end_at(n, len, ls);

		if (ls >= cap || !continues(n, q % 2 == 1, ls, nle))
			break;
		end = nle < cap ? nle : cap;
		for (size_t k = ls; k < end; k++)
			q += n[k] == '"';
	}
	return end;
}

/* What we keep of a reply while reading. */
struct found {
	struct cand c;
	size_t end;		/* end of its text */
	size_t own_end;		/* end of its own text (before a nested reply) */
	int parent, depth;
	enum explain_side side;
	int idx;		/* its index in the result, -1 if dropped */
};

/* Who said the top-level reply c, from what stands before it. */
static enum explain_side side_from_context(const char *n, const struct cand *c,
    const struct plog *pl)
{
	size_t i = c->start, from = i > 80 ? i - 80 : 0;
	char sq[96];

	if (i >= 4 && strncasecmp(n + i - 4, "LED=", 4) == 0)
		return EXPLAIN_SIDE_EXO;
	if (pl->is && i >= pl->ds && i < pl->de)
		return pl->dir == '<' ? EXPLAIN_SIDE_REMOTE :
		    pl->dir == '>' ? EXPLAIN_SIDE_LOCAL : EXPLAIN_SIDE_UNKNOWN;
	squeeze(n + from, i - from, sq, sizeof sq);
	if (strstr(sq, "returned") != NULL || strstr(sq, "diagnosticcode") != NULL ||
	    strstr(sq, "remoteserver") != NULL)
		return EXPLAIN_SIDE_REMOTE;
	if (strstr(sq, "lasterror") != NULL)
		return EXPLAIN_SIDE_LOCAL;
	return EXPLAIN_SIDE_UNKNOWN;
}

/* The reply's text as stored: collapsed whitespace, cut at EXPLAIN_TEXT_MAX. */
static char *reply_copy(const char *n, size_t from, size_t to)
{
	char *s = malloc(EXPLAIN_TEXT_MAX + 4);
	size_t k = 0;

	if (s == NULL)
		return NULL;
	for (size_t i = from; i < to; i++) {
		char ch = n[i] == '\n' ? ' ' : n[i];

		if (ch == ' ' && (k == 0 || s[k - 1] == ' '))
			continue;
		if (k == EXPLAIN_TEXT_MAX) {
			memcpy(s + k, "...", 3);
			k += 3;
			break;
		}
		s[k++] = ch;
	}
	while (k > 0 && s[k - 1] == ' ')
		k--;
	s[k] = '\0';
	return s;
}

/* The best entry for a reply, and its score; NULL when none matches. */
static const struct known *match(int code, const char *esc, const char *own_sq,
    const char *all_sq, const char *low, int *score)
{
	const struct known *best = NULL;
	int cls, subject, detail, bs = -1;
	bool have = esc_split(esc, &cls, &subject, &detail);

	for (size_t i = 0; i < NKNOWN; i++) {
		const struct known *k = &known[i];
		int s = 0;

		if (k->code == 0 && !k->has_esc)
			continue;	/* a signature, not a reply */
		if (k->code != 0) {
			if (k->code != code)
				continue;
			s += 1;
		}
		if (k->has_esc) {
			if (!have || (k->cls != 0 && k->cls - '0' != cls) || k->subject != subject)
				continue;
			if (!((detail >= k->lo && detail <= k->hi) ||
			    (k->hi2 != 0 && detail >= k->lo2 && detail <= k->hi2)))
				continue;
			s += 2;
		}
		if (k->text[0] != NULL) {
			bool any = false;

			for (size_t t = 0; t < 5 && k->text[t] != NULL && !any; t++)
				any = find_pattern(k->text[t], own_sq, NULL);
			if (!any)
				continue;
			s += 4;
		}
		if (k->context[0] != NULL) {
			bool any = false;

			for (size_t t = 0; t < 3 && k->context[t] != NULL && !any; t++)
				any = find_pattern(k->context[t], all_sq, low);
			if (!any)
				continue;
			s += 4;
		}
		if (s > bs) {
			bs = s;
			best = k;
		}
	}
	*score = bs;
	return best;
}

static bool is_weak(const struct explain_entry *e)
{
	return e != NULL && ((const struct known *)e)->weak;
}

/* Rank of a reply as the one to act on: failures, known, not a wrapper. */
static int rank(const struct explain_reply *r, int score)
{
	int k = 0;

	if (r->code >= 400)
		k += 1000;
	if (r->entry != NULL)
		k += is_weak(r->entry) ? 100 : 500;
	return k + (score > 0 ? score : 0);
}

static void pick_primary(struct explain_result *out, const int *score)
{
	int maxdepth = -1, best = -1, bestrank = -1;

	/* Only failures are acted on; among them the innermost. */
	for (size_t i = 0; i < out->nreplies; i++)
		if (out->replies[i].code >= 400 && out->replies[i].depth > maxdepth)
			maxdepth = out->replies[i].depth;
	for (size_t i = 0; i < out->nreplies; i++) {
		const struct explain_reply *r = &out->replies[i];
		int k;

		if (r->code < 400 || r->depth != maxdepth)
			continue;
		k = rank(r, score[i]);
		if (k > bestrank) {
			bestrank = k;
			best = (int)i;
		}
	}
	out->primary = best;
}

bool explain_text(const char *text, size_t len, struct explain_result *out)
{
	char *n = NULL, *sq = NULL, *low = NULL;
	struct found f[EXPLAIN_REPLIES_MAX];
	int stack[EXPLAIN_REPLIES_MAX], sp = 0, score[EXPLAIN_REPLIES_MAX];
	size_t nf = 0, nlen;
	bool ok = false;

	memset(out, 0, sizeof *out);
	out->primary = -1;
	if (text == NULL)
		len = 0;
	if (len > EXPLAIN_INPUT_MAX) {
		len = EXPLAIN_INPUT_MAX;
		out->truncated = true;
	}
	if ((n = malloc(len + 1)) == NULL || (sq = malloc(len + 1)) == NULL ||
	    (low = malloc(len + 1)) == NULL)
		goto out;
	nlen = normalise((const unsigned char *)(text ? text : ""), len, n);

	/* The whole text once squeezed and once lower-cased with blanks collapsed. */
	squeeze(n, nlen, sq, nlen + 1);
	{
		size_t k = 0;

		for (size_t i = 0; i < nlen; i++) {
			char ch = n[i] == '\n' ? ' ' : (char)tolower((unsigned char)n[i]);

			if (ch == ' ' && k > 0 && low[k - 1] == ' ')
				continue;
			low[k++] = ch;
		}
		low[k] = '\0';
	}

	/* Find the replies, line by line; nested ones inside their parents. */
	for (size_t ls = 0; ls < nlen && nf < EXPLAIN_REPLIES_MAX; ) {
		size_t le = line_end_at(n, nlen, ls);
		struct plog pl;
		size_t from = ls, to = le;

		plog_detect(n, ls, le, &pl);
		if (pl.is) {
			from = pl.ds;
			to = pl.de;
		}
		size_t first = ls;		/* the line's first non-blank */
		while (first < le && n[first] == ' ')
			first++;
		for (size_t i = from; i < to && nf < EXPLAIN_REPLIES_MAX; i++) {
			struct cand c;
			bool bare_ok = (pl.is && (i == pl.ds)) || (!pl.is && i == first) ||
			    (i > 0 && (n[i - 1] == '"' || n[i - 1] == '\''));

			if (!reply_at(n, i, pl.is ? to : nlen, bare_ok, &c))
				continue;
			/* Positive replies only while there is room to spare. */
			if (c.code < 400 && nf >= EXPLAIN_REPLIES_MAX / 2) {
				i = c.text > i ? c.text - 1 : i;
				continue;
			}
			while (sp > 0 && f[stack[sp - 1]].end <= i)
				sp--;
			int parent = sp > 0 ? stack[sp - 1] : -1;
			size_t limit = parent >= 0 ? f[parent].end : nlen;
			size_t end = reply_end(n, nlen, &c, le, &pl, limit);
			/* The lines of one multi-line reply are one reply. */
			if (nf > 0 && f[nf - 1].c.code == c.code && f[nf - 1].c.sep == '-' &&
			    f[nf - 1].parent == parent && strcmp(f[nf - 1].c.esc, c.esc) == 0) {
				f[nf - 1].c.sep = c.sep;
				f[nf - 1].end = end > f[nf - 1].end ? end : f[nf - 1].end;
				i = c.text > i ? c.text - 1 : i;
				continue;
			}
			memset(&f[nf], 0, sizeof f[nf]);
			f[nf].c = c;
			f[nf].end = end;
			f[nf].own_end = end;
			f[nf].parent = parent;
			f[nf].depth = sp;
			if (parent >= 0 && f[parent].own_end > c.start)
				f[parent].own_end = c.start;
			/* Drop the quote that opened it from the parent's own text. */
			if (parent >= 0 && f[parent].own_end > 0 &&
			    (n[f[parent].own_end - 1] == '"' || n[f[parent].own_end - 1] == '\''))
				f[parent].own_end--;
			f[nf].side = parent >= 0 ? EXPLAIN_SIDE_REMOTE : side_from_context(n, &c, &pl);
			stack[sp++] = (int)nf;
			nf++;
			i = c.text > i ? c.text - 1 : i;
		}
		ls = le + 1;
	}

	/* Match, dedupe and store. */
	for (size_t i = 0; i < nf; i++) {
		struct found *x = &f[i];
		char own[EXTENT_MAX + 1];
		const struct known *k;
		struct explain_reply *r;
		int s;

		squeeze(n + x->c.text, x->own_end > x->c.text ? x->own_end - x->c.text : 0,
		    own, sizeof own);
		k = match(x->c.code, x->c.esc, own, sq, low, &s);
		if (x->depth == 0 && x->side == EXPLAIN_SIDE_UNKNOWN && strstr(own, "respondedwith"))
			x->side = EXPLAIN_SIDE_LOCAL;
		if (x->side == EXPLAIN_SIDE_UNKNOWN && k != NULL)
			x->side = k->e.side;
		if ((x->side == EXPLAIN_SIDE_REMOTE || x->side == EXPLAIN_SIDE_UNKNOWN) &&
		    (strstr(own, "protectionoutlookcom") || strstr(own, "prodoutlookcom")))
			x->side = EXPLAIN_SIDE_EXO;

		/* The same reply again (an NDR repeats it): keep the first. */
		bool dup = false;
		for (size_t j = 0; j < out->nreplies && !dup; j++) {
			struct explain_reply *o = &out->replies[j];
			char osq[64], nsq[64];

			if (o->code != x->c.code || strcmp(o->esc, x->c.esc) != 0 || o->depth != x->depth)
				continue;
			squeeze(o->text, strlen(o->text), osq, sizeof osq);
			squeeze(n + x->c.start, x->end - x->c.start, nsq, sizeof nsq);
			if (strcmp(osq, nsq) == 0) {
				dup = true;
				if (o->side == EXPLAIN_SIDE_UNKNOWN)
					o->side = x->side;
			}
		}
		x->idx = -1;
		if (dup) {
			/* Children of a dropped reply hang on its parent. */
			for (size_t j = i + 1; j < nf; j++)
				if (f[j].parent == (int)i)
					f[j].parent = x->parent;
			continue;
		}
		r = &out->replies[out->nreplies];
		if ((r->text = reply_copy(n, x->c.start, x->end)) == NULL)
			goto out;
		r->code = x->c.code;
		memcpy(r->esc, x->c.esc, sizeof r->esc);
		r->side = x->side;
		r->depth = x->depth;
		r->parent = -1;
		r->entry = k != NULL ? &k->e : NULL;
		score[out->nreplies] = s;
		x->idx = (int)out->nreplies;
		if (x->parent >= 0)
			r->parent = f[x->parent].idx;
		out->nreplies++;
	}
	for (size_t i = 0; i < out->nreplies; i++)
		out->replies[i].depth = out->replies[i].parent >= 0 ?
		    out->replies[out->replies[i].parent].depth + 1 : 0;

	/* Signatures and HCW errors: text alone. */
	for (size_t i = 0; i < NKNOWN; i++) {
		const struct known *k = &known[i];
		bool any = false, attached = false;

		for (size_t t = 0; t < 4 && k->signal[t] != NULL && !any; t++)
			any = find_pattern(k->signal[t], sq, low);
		if (!any || (k->signal_also != NULL && !find_pattern(k->signal_also, sq, low)))
			continue;
		if (k->e.hcw) {
			if (out->hcw == NULL)
				out->hcw = &k->e;
			continue;
		}
		for (size_t j = 0; j < out->nreplies; j++)
			if (out->replies[j].entry == &k->e)
				attached = true;
		if (!attached && out->nsignals < EXPLAIN_SIGNALS_MAX)
			out->signals[out->nsignals++] = &k->e;
	}

	pick_primary(out, score);
	if (out->primary >= 0) {
		const struct explain_reply *p = &out->replies[out->primary];

		out->primary_entry = p->entry;
		if (out->primary_entry == NULL && p->parent >= 0)
			out->primary_entry = out->replies[p->parent].entry;
		if ((out->primary_entry == NULL || is_weak(out->primary_entry)) && out->nsignals > 0)
			out->primary_entry = out->signals[0];
	} else if (out->nsignals > 0) {
		out->primary_entry = out->signals[0];
	}
	if (out->primary_entry == NULL)
		out->primary_entry = out->hcw;
	if (out->primary_entry != NULL)
		out->step = out->primary_entry->step;
	else if (out->primary >= 0)
		out->step = EXPLAIN_STEP_SMTP;
	out->recognised = out->nreplies > 0 || out->nsignals > 0 || out->hcw != NULL;
	ok = true;
out:
	free(n);
	free(sq);
	free(low);
	if (!ok)
		explain_result_free(out);
	return ok;
}

void explain_result_free(struct explain_result *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nreplies && i < EXPLAIN_REPLIES_MAX; i++)
		free(r->replies[i].text);
	memset(r, 0, sizeof *r);
	r->primary = -1;
}

/* ---- the table and names ---- */

size_t explain_entry_count(void)
{
	return NKNOWN;
}

const struct explain_entry *explain_entry_at(size_t i)
{
	return i < NKNOWN ? &known[i].e : NULL;
}

const struct explain_entry *explain_entry_find(const char *key)
{
	for (size_t i = 0; key != NULL && i < NKNOWN; i++)
		if (strcmp(known[i].e.key, key) == 0)
			return &known[i].e;
	return NULL;
}

const char *explain_side_name(enum explain_side side)
{
	switch (side) {
	case EXPLAIN_SIDE_LOCAL: return "local queue";
	case EXPLAIN_SIDE_REMOTE: return "remote server";
	case EXPLAIN_SIDE_EXO: return "Exchange Online";
	case EXPLAIN_SIDE_UNKNOWN: break;
	}
	return "unknown";
}

const char *explain_side_phrase(enum explain_side side)
{
	switch (side) {
	case EXPLAIN_SIDE_LOCAL: return "the on-premises server (local queue)";
	case EXPLAIN_SIDE_REMOTE: return "the remote server";
	case EXPLAIN_SIDE_EXO: return "Exchange Online";
	case EXPLAIN_SIDE_UNKNOWN: break;
	}
	return "unknown (nothing in the text says)";
}

const char *explain_step_name(enum explain_step step)
{
	switch (step) {
	case EXPLAIN_STEP_SMTP: return "smtp";
	case EXPLAIN_STEP_TLS: return "tls";
	case EXPLAIN_STEP_BLOCKLIST: return "blocklist";
	case EXPLAIN_STEP_CONNECTOR: return "connector";
	case EXPLAIN_STEP_ONPREM: return "onprem";
	case EXPLAIN_STEP_DNS: return "dns";
	case EXPLAIN_STEP_NONE: break;
	}
	return "none";
}

const char *explain_step_title(enum explain_step step)
{
	switch (step) {
	case EXPLAIN_STEP_SMTP: return "SMTP conversation and STARTTLS";
	case EXPLAIN_STEP_TLS: return "TLS handshake and certificates";
	case EXPLAIN_STEP_BLOCKLIST: return "public IP on blocklists";
	case EXPLAIN_STEP_CONNECTOR: return "Exchange Online connectors";
	case EXPLAIN_STEP_ONPREM: return "on-premises Exchange";
	case EXPLAIN_STEP_DNS: return "DNS records";
	case EXPLAIN_STEP_NONE: break;
	}
	return "none";
}

const char *explain_code_class(int code)
{
	switch (code / 100) {
	case 2: return "2yz success: the command was accepted";
	case 3: return "3yz intermediate: the server waits for more (354 after DATA)";
	case 4: return "4yz transient failure: the sender keeps the message and "
	    "retries later";
	case 5: return "5yz permanent failure: the sender gives up and returns the "
	    "message with a non-delivery report";
	}
	return "not a valid SMTP reply code";
}

const char *explain_code_category(int code)
{
	if (code < 200 || code > 599)
		return "not a valid SMTP reply code";
	switch ((code / 10) % 10) {
	case 0: return "x0z syntax";
	case 1: return "x1z information";
	case 2: return "x2z connections";
	case 5: return "x5z mail system";
	}
	return "x3z/x4z unspecified";
}

const char *explain_esc_class(const char *esc)
{
	int c, s, d;

	if (!esc_split(esc, &c, &s, &d))
		return "no enhanced status code";
	switch (c) {
	case 2: return "class 2 success";
	case 4: return "class 4 persistent transient failure: retrying may succeed";
	case 5: return "class 5 permanent failure: retrying the same way will not succeed";
	}
	return "not a valid class";
}

const char *explain_esc_subject(const char *esc)
{
	int c, s, d;

	if (!esc_split(esc, &c, &s, &d))
		return "no enhanced status code";
	switch (s) {
	case 0: return "subject 0 other or undefined";
	case 1: return "subject 1 addressing (the address of the sender or a recipient)";
	case 2: return "subject 2 mailbox (the recipient's mailbox)";
	case 3: return "subject 3 mail system (the receiving system)";
	case 4: return "subject 4 network and routing";
	case 5: return "subject 5 mail delivery protocol";
	case 6: return "subject 6 message content or media";
	case 7: return "subject 7 security or policy";
	}
	return "subject not defined (RFC 3463 defines 0 to 7)";
}

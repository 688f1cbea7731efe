/*
 * The knowledge base: one entry per finding id, with the words an admin
 * reads. doc/findings.md carries the same text, section by section, in the
 * same order; this file is the source, keep the two in step.
 *
 * Text conventions: "\n" separates paragraphs or steps; steps start with
 * "1. ", "2. "...; commands, cmdlets and literal values are in `backticks`;
 * refs are "; "-separated. Lookup is linear, so the order is free: it follows
 * the order of the checks (SMTP conversation, then TLS).
 */
#include <string.h>

#include "kb.h"

/* Sentences many entries share. */
#define KB_RERUN_SMTP \
	"Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP " \
	"address) and check that this finding is gone.\n"

/* Paragraphs several entries share, word for word. */
#define KB_KEEP_TLS_ONPREM_CERT \
		    "Do not work around this by turning TLS off or weakening the check: " \
		    "removing TlsSettings DomainValidation or the TLS requirement from the " \
		    "outbound connector in Exchange Online makes the hybrid mail travel " \
		    "unverified, or not at all once the connector no longer matches; fix the " \
		    "certificate the endpoint presents instead."
#define KB_VERIFY_EXO_TO_ONPREM \
		    "Exchange Online to on-premises: a new test message shows as delivered " \
		    "in message trace (Exchange admin center > Mail flow > Message trace, or " \
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already " \
		    "queued in Exchange Online is retried for up to 24 hours."

const struct kb_entry kb_entries[] = {
	{
		.id = "smtp.resolve-failed",
		.sev = SEV_UNTESTED,
		.title =
		    "The host name does not resolve to any address",
		.explanation =
		    "hybridtls could not turn the host name into an IPv4 or IPv6 address, so "
		    "nothing behind it (SMTP, STARTTLS, the certificate) could be tested. "
		    "For the Exchange Online side the usual cause is a mistyped endpoint: "
		    "the tenant's endpoint is the MX host the Microsoft 365 admin center "
		    "shows for the domain (for example "
		    "contoso-com.mail.protection.outlook.com). For the on-premises side the "
		    "name is the smart host of the hybrid outbound connector in Exchange "
		    "Online; if public DNS cannot resolve it, Exchange Online cannot either "
		    "and holds mail for on-premises with 450 4.4.312 DNS query failed. When "
		    "the Exchange servers themselves cannot resolve the next hop towards "
		    "Exchange Online, their queue shows 451 4.4.0 DNS query failed.",
		.fix =
		    "1. Check the spelling against its source. Exchange Online: the MX value "
		    "in the Microsoft 365 admin center (Settings > Domains), or "
		    "`Resolve-DnsName contoso.com -Type MX`. On-premises: the smart host "
		    "Exchange Online uses, `Get-OutboundConnector \"Outbound to <guid>\" | fl "
		    "SmartHosts,TlsDomain` in Exchange Online PowerShell.\n"
		    "2. If the name is right but does not resolve from the internet, create "
		    "or repair its A record (and its AAAA record, if you publish IPv6) at "
		    "your public DNS host, and check that the domain has not expired.\n"
		    "3. If it resolves on one network but not on another, compare resolvers: "
		    "`Resolve-DnsName <host> -Server <resolver IP>` on Windows, or re-run "
		    "hybridtls with `--resolver IP`.\n"
		    "4. If the Exchange servers cannot resolve the Exchange Online host, fix "
		    "the DNS servers they use, or give transport its own external resolvers: "
		    "`Set-TransportService <SERVER> -ExternalDNSAdapterEnabled $false "
		    "-ExternalDNSServers <ip1>,<ip2>` and `Set-SendConnector \"Outbound to "
		    "Office 365 - <guid>\" -UseExternalDNSServersEnabled $true`.",
		.verify =
		    KB_RERUN_SMTP
		    "From each Exchange server: `Resolve-DnsName <host>` returns the "
		    "expected addresses.\n"
		    "Exchange Online's message trace no longer shows 450 4.4.312 for mail to "
		    "on-premises, and the on-premises queue no longer shows DNS query failed.",
		.refs =
		    "Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Microsoft Learn: DNS query failed "
		    "(exchange/troubleshoot/mailflow/dns-query-failed), KB 972744; RFC 5321 "
		    "(SMTP)",
	},
	{
		.id = "smtp.connect-failed",
		.sev = SEV_FAILURE,
		.title =
		    "No address of the host accepted a TCP connection",
		.explanation =
		    "hybridtls tried every address of the host on the SMTP port and none "
		    "accepted the connection; the evidence lists each address with the "
		    "reason. 'Refused' means something answered with a reset: nothing "
		    "listens on the port, or a firewall rejects the connection. 'Timeout' "
		    "means the packets were dropped silently, typically by a firewall or by "
		    "a provider that blocks outbound port 25; 'unreachable' means there is "
		    "no route to the address. Exchange Online reports the same conditions "
		    "when it delivers to on-premises as 450 4.4.316 Connection refused and "
		    "450 4.4.315 Connection timed out, and keeps retrying for 24 hours "
		    "before it returns an NDR. The test only proves something for the "
		    "network it ran from: run it from the Exchange servers' egress when you "
		    "test towards Exchange Online, and from outside your network when you "
		    "test your own endpoint.",
		.fix =
		    "1. Towards Exchange Online: allow outbound TCP 25 from the Exchange (or "
		    "Edge) servers to Exchange Online (`*.mail.protection.outlook.com`, "
		    "Microsoft 365 endpoint ID 10), and check with `Test-NetConnection "
		    "<host> -Port 25` on the Exchange server itself.\n"
		    "2. Towards on-premises: allow inbound TCP 25 from Exchange Online's "
		    "sending ranges (endpoint ID 10; at the time of writing 40.92.0.0/15, "
		    "40.107.0.0/16, 52.100.0.0/14, 104.47.0.0/17, 2a01:111:f400::/48 and "
		    "2a01:111:f403::/48; take the current list from endpoints.office.com "
		    "rather than copying it), and make sure the NAT or port forward goes to "
		    "a server that runs the Front End Transport service (`Get-Service "
		    "MSExchangeFrontEndTransport`; on an Edge server, `Get-Service "
		    "MSExchangeTransport`).\n"
		    "3. Check that the receiving connector listens: `Get-ReceiveConnector "
		    "\"<SERVER>\\Default Frontend <SERVER>\" | fl "
		    "Bindings,RemoteIPRanges,Enabled` (bindings `0.0.0.0:25` and `[::]:25`).\n"
		    "4. Check that Exchange Online is sending to the right place: "
		    "`Get-OutboundConnector \"Outbound to <guid>\" | fl SmartHosts` must name "
		    "your current public host, which matters after a change of provider or "
		    "public IP.\n"
		    "If on-premises Exchange was retired on purpose, disable the outbound "
		    "connector in Exchange Online and make the accepted domain Authoritative "
		    "instead of fixing the network.",
		.verify =
		    KB_RERUN_SMTP
		    "`Test-NetConnection <host> -Port 25` from the Exchange server reports "
		    "TcpTestSucceeded : True.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Microsoft Learn: Email "
		    "non-delivery reports and SMTP errors in Exchange Online; Microsoft "
		    "Learn: Microsoft 365 URLs and IP address ranges (Exchange Online, "
		    "endpoint ID 10); RFC 5321 (SMTP)",
	},
	{
		.id = "smtp.address-failed",
		.sev = SEV_WARNING,
		.title =
		    "Some of the host's addresses failed while another one answered",
		.explanation =
		    "The host has several addresses (often an IPv4 and an IPv6 address) and "
		    "at least one of them did not accept a connection, while another did; "
		    "the evidence lists which. A sending server may try the broken address "
		    "first: depending on the sender this costs a timeout on every delivery, "
		    "or a deferral when it does not move on to the next address. The common "
		    "case is an IPv6 address that is published in DNS but not allowed "
		    "through the firewall, not NATed, or not routed, while IPv4 works.",
		.fix =
		    "1. If the failing address is yours (your on-premises endpoint): either "
		    "make it work like the others (firewall rule, NAT or routing for that "
		    "address family, and the `[::]:25` binding on `Get-ReceiveConnector "
		    "\"<SERVER>\\Default Frontend <SERVER>\" | fl Bindings`), or remove that A "
		    "or AAAA record from public DNS.\n"
		    "2. If the failing address belongs to Exchange Online: the fault is on "
		    "your side of the path. Allow the Exchange Online ranges of that address "
		    "family (Microsoft 365 endpoint ID 10, including the IPv6 ranges) or fix "
		    "the network's IPv6 routing, and test from the Exchange server with "
		    "`Test-NetConnection <address> -Port 25`.\n"
		    "Do not disable IPv6 on the Exchange server to get around it: Exchange "
		    "expects it, and without IPv6 the `[::]:25` binding of the Default "
		    "Frontend connector is missing and the Hybrid Configuration Wizard fails "
		    "with HCW8010.",
		.verify =
		    KB_RERUN_SMTP
		    "Every address in the evidence answers with a 220 greeting.",
		.refs =
		    "Microsoft Learn: Microsoft 365 URLs and IP address ranges (Exchange "
		    "Online, endpoint ID 10); Microsoft Support KB 3087159: HCW8010 Default "
		    "Receive Connector cannot be found; RFC 5321 (SMTP)",
	},
	{
		.id = "smtp.banner-rejected",
		.sev = SEV_FAILURE,
		.title =
		    "The server refused the session in its greeting (5xx at connect)",
		.explanation =
		    "Instead of the 220 greeting the server answered with a permanent error "
		    "such as 554, which in SMTP means it will not talk to this client at "
		    "all; the summary quotes the reply. Usually the receiving side refuses "
		    "the client's address: a connection filter or IP block list, a receive "
		    "connector that only admits certain address ranges, a mail gateway or "
		    "firewall in front of the server, or a reputation block. When Exchange "
		    "Online meets such an answer from on-premises it reports 450 4.4.317 "
		    "Cannot connect to remote server and retries for 24 hours; when Exchange "
		    "Online is the one refusing, its reply text says why (for example a "
		    "banned sending IP).",
		.fix =
		    "1. Read the reply text in the summary; it normally names the reason.\n"
		    "2. If the on-premises endpoint refuses: look for what answers on port "
		    "25 and what it filters. On Exchange: `Get-ReceiveConnector | fl "
		    "Identity,Bindings,RemoteIPRanges,Enabled` (a connector limited to "
		    "certain RemoteIPRanges answers only those), and `Get-IPBlockListEntry` "
		    "where the anti-spam agents are installed (Edge). On a gateway or "
		    "firewall in front, allow Exchange Online's sending ranges (Microsoft "
		    "365 endpoint ID 10).\n"
		    "3. If Exchange Online refuses your address: a reply with 5.7.606 to "
		    "5.7.649 means the IP is on Microsoft's blocked senders list; remove the "
		    "cause, then request delisting at https://sender.office.com. 5.7.511 "
		    "means the delist portal does not apply; send the full reply and the IP "
		    "to delist@microsoft.com. A reply that names Spamhaus means a Spamhaus "
		    "listing; check it with `hybridtls blocklist` and delist there.",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. The greeting must start "
		    "with 220.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Microsoft Learn: Email "
		    "non-delivery reports and SMTP errors in Exchange Online; Microsoft "
		    "Learn: Use the delist portal to remove yourself from the blocked "
		    "senders list; Microsoft Learn: Error sending email: Client host blocked "
		    "using Spamhaus; RFC 5321 (SMTP)",
	},
	{
		.id = "smtp.service-unavailable",
		.sev = SEV_FAILURE,
		.title =
		    "The server answered 421: service not available right now",
		.explanation =
		    "At some point (the summary says when) the server answered 421, which in "
		    "SMTP means it will not serve this connection now and is closing it; "
		    "senders treat it as temporary and retry later, so mail is delayed and "
		    "bounces only when the retry time runs out (24 hours for Exchange "
		    "Online). Typical sources: Exchange Online throttling or temporarily "
		    "restricting an address while it evaluates suspicious traffic; the "
		    "connection limits of an Exchange receive connector, or an overloaded "
		    "Exchange server; or a firewall or mail gateway that closes the session, "
		    "for example after commands it considers bad. Read the enhanced status "
		    "code and text in the summary: they usually say which.",
		.fix =
		    "1. Exchange Online replies such as 4.7.500-699 or 4.7.850-899 (Access "
		    "denied, please try again later) are temporary restrictions: let the "
		    "sender retry, check the sending IP with `hybridtls blocklist`, and look "
		    "for unusual outbound volume (a compromised account or device relaying "
		    "through Exchange).\n"
		    "2. On an Exchange server that answers 421: check the limits with "
		    "`Get-ReceiveConnector \"<SERVER>\\Default Frontend <SERVER>\" | fl "
		    "MaxInboundConnection,MaxInboundConnectionPerSource,MaxInboundConnectionPercentagePerSource` "
		    "and raise them if Exchange Online's connections exceed them "
		    "(`Set-ReceiveConnector \"<SERVER>\\Default Frontend <SERVER>\" "
		    "-MaxInboundConnectionPerSource <n>`); check free disk space and memory, "
		    "and the Application event log for MSExchangeTransport resource pressure "
		    "(back pressure) events.\n"
		    "3. If a firewall or gateway sends the 421 (its text or banner differs "
		    "from Exchange's), check its SMTP proxy or inspection settings; a device "
		    "that mangles commands and then disconnects points to SMTP inspection.\n"
		    "421 4.7.66 (TLS 1.0 and 1.1 are not supported) belongs to client "
		    "submission at smtp.office365.com, not to hybrid transport; its fix is "
		    "TLS 1.2 (see tls.protocol-old).",
		.verify =
		    KB_RERUN_SMTP
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Email non-delivery reports and SMTP errors in Exchange "
		    "Online; Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Exchange Team Blog (2021-01-15): "
		    "Understanding email scenarios if TLS versions cannot be agreed on with "
		    "Exchange Online; RFC 5321 (SMTP); RFC 3463 (enhanced mail status codes)",
	},
	{
		.id = "smtp.banner-slow",
		.sev = SEV_WARNING,
		.title =
		    "The server took many seconds to send its greeting",
		.explanation =
		    "The 220 greeting arrived only after a long delay (the summary gives the "
		    "time). SMTP lets a client wait up to five minutes for it, so mail still "
		    "flows, but every connection ties up the sender, queues grow under load, "
		    "and a sender with a shorter timeout gives up. Common causes: the "
		    "receiving server looks up the client's reverse DNS before greeting and "
		    "its DNS servers time out; a deliberate greeting delay (tarpit) on a "
		    "gateway; an overloaded server; or a firewall or proxy that inspects the "
		    "session or opens its own connection to the server before greeting.",
		.fix =
		    "1. Test from inside the network straight to the Exchange server "
		    "(`Test-NetConnection <server> -Port 25`, then an SMTP session with a "
		    "line-based client). If the greeting is fast there, the delay comes from "
		    "a device in between.\n"
		    "2. On the receiving server, check that its DNS servers answer promptly, "
		    "including reverse lookups: `Resolve-DnsName <client IP> -Type PTR`, and "
		    "`Get-FrontendTransportService <SERVER> | fl *DNS*` for the resolvers "
		    "transport uses.\n"
		    "3. On a firewall or gateway in front, switch off greeting delays for "
		    "Exchange Online's sending ranges and avoid deep TLS inspection of SMTP "
		    "(on FortiGate, use certificate inspection rather than deep inspection "
		    "for this traffic).\n"
		    "4. If the server is overloaded, look at CPU, memory, disk and the "
		    "queues (`Get-Queue`).",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. The transcript timestamps "
		    "show the greeting within a second or two.",
		.refs =
		    "Fortinet community: inbound SMTP STARTTLS deep inspection causes "
		    "delivery or banner timeouts; RFC 5321 (SMTP)",
	},
	{
		.id = "smtp.timeout",
		.sev = SEV_FAILURE,
		.title =
		    "The server stopped answering during the conversation",
		.explanation =
		    "hybridtls connected, but then waited in vain in the phase the summary "
		    "names: for the greeting, for the reply to EHLO, or for the TLS "
		    "handshake after STARTTLS. A connection that opens but never greets "
		    "usually ends at a device that accepts TCP but does not pass the session "
		    "on (a proxy, or a port forward to the wrong host), or at a hung "
		    "transport service. Silence after EHLO or during the TLS handshake "
		    "points to a middlebox that swallows traffic it does not like, such as "
		    "SMTP inspection or deep TLS inspection. Exchange Online typically "
		    "reports timeouts towards on-premises as 450 4.4.315 Connection timed "
		    "out; hybridtls uses shorter deadlines than a mail server, so re-run "
		    "with a larger `--timeout` to tell a slow server from a silent one.",
		.fix =
		    "1. No greeting: check where the port forward or NAT leads, that "
		    "MSExchangeFrontEndTransport is running on that server, and whether a "
		    "proxy or gateway sits in front of it.\n"
		    "2. No reply to EHLO: look for SMTP inspection on the firewall. On Cisco "
		    "ASA, in configuration mode: `policy-map global_policy`, `class "
		    "inspection_default`, `no inspect esmtp`, then `write memory`. On PIX "
		    "6.x: `no fixup protocol smtp 25`. On other products, turn off the SMTP "
		    "proxy or inspection for traffic between Exchange and Exchange Online.\n"
		    "3. No TLS handshake: exempt SMTP to and from Exchange Online from TLS "
		    "deep inspection and IPS rules (FortiGate: certificate inspection "
		    "instead of deep inspection; ASA: `allow-tls` in the ESMTP inspection "
		    "map, or no ESMTP inspection).\n"
		    "4. On the Exchange side, the queue error `451 4.4.0 Primary target IP "
		    "address responded with: \"421 4.4.1 Connection timed out.\"` together "
		    "with `TLS negotiation failed with error UnknownCredentials` in the "
		    "SmtpSend log is a different cause: the certificate on the Send "
		    "connector is not enabled for SMTP. Fix it with "
		    "`Enable-ExchangeCertificate -Thumbprint <thumbprint> -Services SMTP`.",
		.verify =
		    KB_RERUN_SMTP
		    "The SmtpSend protocol log of the sending Exchange server (folder: "
		    "`Get-TransportService <SERVER> | fl SendProtocolLogPath`; turn on "
		    "logging with `Set-SendConnector \"Outbound to Office 365 - <guid>\" "
		    "-ProtocolLoggingLevel Verbose`) shows the same conversation from the "
		    "server's own point of view.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Microsoft Support KB 4051498: "
		    "Outbound email messages are not sent on the Exchange Hub Transport or "
		    "Edge server; Cisco ASA Series Firewall CLI Configuration Guide: SMTP "
		    "and Extended SMTP Inspection (Defaults for ESMTP Inspection); Microsoft "
		    "Support KB 320027 and KB 295725: SMTP fixup (Mailguard) on Cisco "
		    "PIX/ASA firewalls; Fortinet community: inbound SMTP STARTTLS deep "
		    "inspection causes delivery or banner timeouts; RFC 5321 (SMTP)",
	},
	{
		.id = "smtp.closed-early",
		.sev = SEV_FAILURE,
		.title =
		    "The server closed the connection in the middle of the conversation",
		.explanation =
		    "The server (or something in front of it) ended the TCP connection in an "
		    "orderly way but without a 421 reply, in the phase the summary names. "
		    "Senders count this as a failed attempt and retry; Exchange Online "
		    "reports it as 450 4.4.318 Connection was closed abruptly. Closing right "
		    "after the greeting or EHLO usually comes from a filtering device or a "
		    "server-side policy that drops unwanted clients silently; closing right "
		    "after STARTTLS means the server could not start TLS on its side, for "
		    "example because it has no usable certificate or no TLS version in "
		    "common with the client.",
		.fix =
		    "1. Compare with a session from inside the network straight to the "
		    "Exchange server. If it works there, the closing device is in between: "
		    "check its SMTP inspection or proxy settings (Cisco ASA: `policy-map "
		    "global_policy`, `class inspection_default`, `no inspect esmtp`).\n"
		    "2. If the close follows STARTTLS, check the server's certificate and "
		    "TLS setup: `Get-ExchangeCertificate | fl "
		    "Thumbprint,Subject,HasPrivateKey,Services,NotAfter,Status` (the "
		    "certificate used for SMTP needs a private key and the SMTP service), "
		    "and that TLS 1.2 is enabled (see tls.protocol-old).\n"
		    "3. Read the SmtpReceive protocol log on the receiving Exchange server "
		    "for the session (folder: `Get-FrontendTransportService <SERVER> | fl "
		    "ReceiveProtocolLogPath`; logging on with `Set-ReceiveConnector "
		    "\"<SERVER>\\Default Frontend <SERVER>\" -ProtocolLoggingLevel Verbose`); "
		    "it records why Exchange dropped it.\n"
		    "4. Check transport health: the Application event log "
		    "(MSExchangeTransport, MSExchangeFrontEndTransport) and free resources "
		    "on the server.",
		.verify =
		    KB_RERUN_SMTP
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Cisco ASA Series Firewall CLI "
		    "Configuration Guide: SMTP and Extended SMTP Inspection (Defaults for "
		    "ESMTP Inspection); RFC 5321 (SMTP); RFC 3207 (SMTP STARTTLS)",
	},
	{
		.id = "smtp.connection-reset",
		.sev = SEV_FAILURE,
		.title =
		    "The connection was reset (TCP RST) in the middle of the conversation",
		.explanation =
		    "The connection was torn down with a reset in the phase the summary "
		    "names, without any SMTP reply. Resets mid-session typically come from "
		    "firewalls and intrusion prevention systems whose SMTP inspection rules "
		    "misfire, from a load balancer or NAT that loses the session, or from "
		    "the receiving server hitting a protocol limit or running short of "
		    "resources. Exchange Online reports this when delivering to on-premises "
		    "as 450 4.4.318 Connection was closed abruptly, and Microsoft names "
		    "misbehaving SMTP packet inspection on firewalls as a main cause.",
		.fix =
		    "1. Turn off SMTP/ESMTP inspection for traffic between Exchange and "
		    "Exchange Online. Cisco ASA, in configuration mode: `policy-map "
		    "global_policy`, `class inspection_default`, `no inspect esmtp`, then "
		    "`write memory`; PIX 6.x: `no fixup protocol smtp 25`. To keep "
		    "inspection on an ASA, use an ESMTP inspection map with `parameters` and "
		    "`allow-tls` instead of the default map.\n"
		    "2. Add IPS exceptions for Exchange Online's sending ranges (Microsoft "
		    "365 endpoint ID 10) and check idle timeouts on firewalls and load "
		    "balancers.\n"
		    "3. On the Exchange server, check transport health: Application event "
		    "log entries from MSExchangeTransport and MSExchangeFrontEndTransport, "
		    "free disk and memory, and `Get-Queue`.\n"
		    "4. If the reset follows STARTTLS, also check TLS deep inspection "
		    "(FortiGate: certificate inspection instead of deep inspection) and the "
		    "TLS findings.",
		.verify =
		    KB_RERUN_SMTP
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Cisco ASA Series Firewall CLI "
		    "Configuration Guide: SMTP and Extended SMTP Inspection (Defaults for "
		    "ESMTP Inspection); Cisco TechNote 113423: ASA ESMTP/SMTP inspection; "
		    "Microsoft Support KB 320027 and KB 295725: SMTP fixup (Mailguard) on "
		    "Cisco PIX/ASA firewalls; Fortinet community: inbound SMTP STARTTLS deep "
		    "inspection causes delivery or banner timeouts",
	},
	{
		.id = "smtp.reply-malformed",
		.sev = SEV_FAILURE,
		.title =
		    "The server's replies break SMTP syntax",
		.explanation =
		    "Replies from the server do not follow RFC 5321: the summary names the "
		    "fault, such as a different code inside one multi-line reply, NUL bytes, "
		    "or a line without a three-digit code. A mail server such as Exchange or "
		    "Exchange Online does not produce this, and a strict sender abandons the "
		    "session, so mail in that direction fails. It usually means something "
		    "else answers on port 25: a firewall or proxy rewriting the session, or "
		    "a service that does not speak SMTP behind a wrong port forward.",
		.fix =
		    "1. Look at the transcript: identify who answers (the greeting text, the "
		    "EHLO reply).\n"
		    "2. Compare with a session from inside the network straight to the "
		    "Exchange server; if that is clean, the device in between is rewriting "
		    "replies: turn off its SMTP inspection or proxy for this traffic (Cisco "
		    "ASA: `policy-map global_policy`, `class inspection_default`, `no "
		    "inspect esmtp`).\n"
		    "3. Check that the public address and port forward for port 25 lead to "
		    "the Exchange server (or Edge server) and not to another service.",
		.verify =
		    KB_RERUN_SMTP
		    "The transcript shows well-formed replies: every line of a reply carries "
		    "the same code.",
		.refs =
		    "RFC 5321 (SMTP); Cisco ASA Series Firewall CLI Configuration Guide: "
		    "SMTP and Extended SMTP Inspection (Defaults for ESMTP Inspection); "
		    "Microsoft Support KB 320027 and KB 295725: SMTP fixup (Mailguard) on "
		    "Cisco PIX/ASA firewalls",
	},
	{
		.id = "smtp.reply-too-long",
		.sev = SEV_FAILURE,
		.title =
		    "A reply line was too long, or a reply never ended",
		.explanation =
		    "The server sent a reply line longer than SMTP allows (512 octets "
		    "including the code and line ending), or kept sending continuation lines "
		    "without ever finishing the reply; hybridtls stopped reading. A sender "
		    "cannot go on with such a session, so mail in that direction fails. "
		    "Causes are a custom greeting or reply text that is far too long, a "
		    "device in the path that corrupts the stream, or a service that is not "
		    "an SMTP server.",
		.fix =
		    "1. If the long line is the greeting of an Exchange receive connector "
		    "with a custom banner, go back to the default one: `Set-ReceiveConnector "
		    "\"<SERVER>\\Default Frontend <SERVER>\" -Banner $null` (a custom banner "
		    "must be a short line starting with 220).\n"
		    "2. If it comes from a gateway or firewall, fix its banner or reply "
		    "settings, or turn off its SMTP proxy or inspection for this traffic.\n"
		    "3. If the endpoint is not an SMTP server at all, correct the port "
		    "forward or DNS record so that port 25 reaches Exchange.",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.",
		.refs =
		    "RFC 5321 (SMTP)",
	},
	{
		.id = "smtp.ehlo-rejected",
		.sev = SEV_FAILURE,
		.title =
		    "The server refused EHLO",
		.explanation =
		    "The server answered the EHLO command with an error (the summary quotes "
		    "it). Without EHLO the client never sees the extension list, so it "
		    "cannot issue STARTTLS and hybrid mail cannot be encrypted; since the "
		    "hybrid connectors require TLS, that mail does not flow. The classic "
		    "cause is a firewall SMTP fixup (such as Cisco PIX/ASA Mailguard) that "
		    "passes only the handful of original RFC 821 commands and blocks or "
		    "blanks out everything newer, EHLO included. If instead the text "
		    "complains about the name after EHLO, the server is rejecting the "
		    "client's greeting name.",
		.fix =
		    "1. If the summary shows `500` / `Command unrecognized` or the banner is "
		    "masked with asterisks, turn off the firewall's SMTP inspection for this "
		    "traffic: Cisco ASA, in configuration mode `policy-map global_policy`, "
		    "`class inspection_default`, `no inspect esmtp`, then `write memory`; "
		    "PIX 6.x `no fixup protocol smtp 25`; other products: turn off the SMTP "
		    "proxy or fixup.\n"
		    "2. Compare with a session from inside the network straight to the "
		    "Exchange server; Exchange normally accepts EHLO on its Default Frontend "
		    "connector, so a refusal seen only from outside comes from a device in "
		    "between.\n"
		    "3. If the reply is about the EHLO name, check the server's HELO/EHLO "
		    "restrictions on that gateway.\n"
		    "Do not work around this by turning TLS off (`-IgnoreSTARTTLS $true` or "
		    "`-RequireTLS $false` on the Send connector, or removing the TLS "
		    "requirement from a connector in Exchange Online): the hybrid connectors "
		    "require TLS, so mail is then either refused or no longer matched to the "
		    "hybrid inbound connector and handled as anonymous internet mail, which "
		    "loses its internal status and cannot be relayed to external recipients "
		    "(550 5.7.64 TenantAttribution).",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. The EHLO reply must be a "
		    "250 list.\n"
		    "The SmtpSend protocol log of the sending Exchange server (folder: "
		    "`Get-TransportService <SERVER> | fl SendProtocolLogPath`; turn on "
		    "logging with `Set-SendConnector \"Outbound to Office 365 - <guid>\" "
		    "-ProtocolLoggingLevel Verbose`) shows the same conversation from the "
		    "server's own point of view.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Support KB 320027 and KB 295725: SMTP fixup (Mailguard) on "
		    "Cisco PIX/ASA firewalls; Cisco ASA Series Firewall CLI Configuration "
		    "Guide: SMTP and Extended SMTP Inspection (Defaults for ESMTP "
		    "Inspection); Cisco TechNote 113423: ASA ESMTP/SMTP inspection; RFC 5321 "
		    "(SMTP)",
	},
	{
		.id = "smtp.conversation-ok",
		.sev = SEV_OK,
		.title =
		    "SMTP conversation completed (greeting, EHLO, QUIT)",
		.explanation =
		    "The server greeted with 220, answered EHLO with its list of extensions "
		    "and closed the session cleanly after QUIT, so basic SMTP works on this "
		    "path. This holds for the network hybridtls ran from; the Exchange "
		    "servers or Exchange Online may reach the host through a different path.",
		.fix =
		    "Nothing to fix.",
		.verify =
		    "Nothing to verify. To be sure of the path mail really takes, run "
		    "hybridtls from the Exchange servers' network egress (towards Exchange "
		    "Online) or from outside your network (towards on-premises).",
		.refs =
		    "RFC 5321 (SMTP)",
	},
	{
		.id = "smtp.starttls-offered",
		.sev = SEV_OK,
		.title =
		    "The server offers STARTTLS",
		.explanation =
		    "The EHLO reply lists STARTTLS, so the server is willing to encrypt the "
		    "session, which the hybrid connectors require in both directions. "
		    "Whether encryption then works is decided by the TLS handshake and "
		    "certificate findings that follow.",
		.fix =
		    "Nothing to fix.",
		.verify =
		    "Nothing to verify.",
		.refs =
		    "RFC 3207 (SMTP STARTTLS)",
	},
	{
		.id = "smtp.starttls-missing",
		.sev = SEV_FAILURE,
		.title =
		    "STARTTLS is not offered in the EHLO reply",
		.explanation =
		    "The server's EHLO reply has no STARTTLS line, so the session cannot be "
		    "encrypted, and the hybrid connectors require TLS in both directions. "
		    "On-premises to Exchange Online this shows up in the on-premises queue "
		    "as 451 4.4.0 Primary target IP address responded with: \"451 5.7.3 Must "
		    "issue a STARTTLS command first\", which is misleading: the server never "
		    "had the chance to start TLS because STARTTLS was not offered; Exchange "
		    "Online to on-premises it shows up as 450 4.4.317 Cannot connect to "
		    "remote server. Known causes: a firewall's ESMTP inspection that strips "
		    "STARTTLS from the reply (the Cisco ASA default does, and often replaces "
		    "it with XXXXXXXA); an Exchange receive connector that has no usable "
		    "certificate or does not allow TLS; and possibly a blocklisted sending "
		    "IP, which Microsoft's own case hints at but does not confirm.",
		.fix =
		    "1. Look at the evidence: an EHLO line `250-XXXXXXXA` or a greeting of "
		    "asterisks means firewall ESMTP inspection. Turn it off for this traffic "
		    "(Cisco ASA, in configuration mode: `policy-map global_policy`, `class "
		    "inspection_default`, `no inspect esmtp`, then `write memory`; PIX 6.x: "
		    "`no fixup protocol smtp 25`), or keep inspection with a custom map "
		    "whose `parameters` include `allow-tls`. Other vendors: turn off the "
		    "SMTP proxy or fixup for traffic to and from Exchange Online.\n"
		    "2. If the host is your Exchange server: `Get-ReceiveConnector "
		    "\"<SERVER>\\Default Frontend <SERVER>\" | fl "
		    "AuthMechanism,Fqdn,TlsCertificateName` (AuthMechanism must include Tls) "
		    "and `Get-ExchangeCertificate | fl "
		    "Thumbprint,Subject,CertificateDomains,Services,NotAfter`. Exchange "
		    "offers STARTTLS only when it finds a valid SMTP certificate for the "
		    "connector (event 12014 in the Application log says when it does not); "
		    "bind one with `Enable-ExchangeCertificate -Thumbprint <thumbprint> "
		    "-Services SMTP` and name it on the connector with `Set-ReceiveConnector "
		    "\"<SERVER>\\Default Frontend <SERVER>\" -TlsCertificateName "
		    "\"<I>issuer<S>subject\"`.\n"
		    "3. If the host is Exchange Online and no device in the path rewrites "
		    "the reply, check the public sending IP (see smtp.observed-ip) with "
		    "`hybridtls blocklist` and delist it if it is listed.\n"
		    "4. Confirm what the Exchange server itself sees: turn on "
		    "`Set-SendConnector \"Outbound to Office 365 - <guid>\" "
		    "-ProtocolLoggingLevel Verbose` and look in the SmtpSend log for "
		    "`250-STARTTLS` in Exchange Online's EHLO reply and for the STARTTLS "
		    "command.\n"
		    "5. If someone already set `-IgnoreSTARTTLS $true` on the Send connector "
		    "as a workaround, set it back: `Set-SendConnector \"Outbound to Office "
		    "365 - <guid>\" -IgnoreSTARTTLS $false`.\n"
		    "Do not work around this by turning TLS off (`-IgnoreSTARTTLS $true` or "
		    "`-RequireTLS $false` on the Send connector, or removing the TLS "
		    "requirement from a connector in Exchange Online): the hybrid connectors "
		    "require TLS, so mail is then either refused or no longer matched to the "
		    "hybrid inbound connector and handled as anonymous internet mail, which "
		    "loses its internal status and cannot be relayed to external recipients "
		    "(550 5.7.64 TenantAttribution).",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. The EHLO reply must "
		    "contain 250-STARTTLS, and the TLS findings must follow.\n"
		    "The SmtpSend protocol log of the sending Exchange server (folder: "
		    "`Get-TransportService <SERVER> | fl SendProtocolLogPath`; turn on "
		    "logging with `Set-SendConnector \"Outbound to Office 365 - <guid>\" "
		    "-ProtocolLoggingLevel Verbose`) shows the same conversation from the "
		    "server's own point of view.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft archive blog (johnbai, 2013-12-06): O365 on-premises "
		    "transport queuing, lessons learned from CBL; Microsoft Learn: Mail flow "
		    "intelligence (connectors-mail-flow-intelligence); Cisco ASA Series "
		    "Firewall CLI Configuration Guide: SMTP and Extended SMTP Inspection "
		    "(Defaults for ESMTP Inspection); Cisco document 118550-qa-esa-00: Why "
		    "do you see XXXXXXXA after EHLO; Microsoft Support KB 320027 and KB "
		    "295725: SMTP fixup (Mailguard) on Cisco PIX/ASA firewalls; Microsoft "
		    "Learn: Set-SendConnector (TlsCertificateName, IgnoreSTARTTLS, "
		    "RequireTLS); Microsoft Learn: Set-ReceiveConnector (TlsCertificateName, "
		    "AuthMechanism); RFC 3207 (SMTP STARTTLS)",
	},
	{
		.id = "smtp.starttls-refused",
		.sev = SEV_FAILURE,
		.title =
		    "STARTTLS is advertised but the command is refused",
		.explanation =
		    "The server lists STARTTLS, but when hybridtls sent the command it "
		    "answered with an error instead of 220 (the summary quotes it). 454 "
		    "4.7.0 TLS not available means the server cannot start TLS right now, "
		    "usually because it cannot load its certificate or private key. 500 or "
		    "502 (command unrecognised) after an advertised STARTTLS is the mark of "
		    "a firewall's SMTP inspection that rewrote the command on its way to the "
		    "server, so the server never saw STARTTLS. Either way the session stays "
		    "unencrypted, and the hybrid connectors, which require TLS, do not "
		    "deliver.",
		.fix =
		    "1. For 500/502: turn off the firewall's SMTP inspection for this "
		    "traffic (Cisco ASA: `policy-map global_policy`, `class "
		    "inspection_default`, `no inspect esmtp`; PIX 6.x: `no fixup protocol "
		    "smtp 25`), or allow TLS through it (`allow-tls` in an ESMTP inspection "
		    "map).\n"
		    "2. For 454 on an Exchange server: check the certificate the connector "
		    "should use: `Get-ExchangeCertificate | fl "
		    "Thumbprint,Subject,HasPrivateKey,Services,Status,NotAfter` (it needs a "
		    "private key, the SMTP service and Status Valid) and "
		    "`Get-ReceiveConnector \"<SERVER>\\Default Frontend <SERVER>\" | fl "
		    "TlsCertificateName`. Repair with `Enable-ExchangeCertificate "
		    "-Thumbprint <thumbprint> -Services SMTP` and `Set-ReceiveConnector "
		    "\"<SERVER>\\Default Frontend <SERVER>\" -TlsCertificateName "
		    "\"<I>issuer<S>subject\"`; the Application event log "
		    "(MSExchangeFrontEndTransport) names the certificate it could not use.\n"
		    "3. For 454 on another server or gateway: check its TLS certificate and "
		    "key configuration.\n"
		    "Do not work around this by turning TLS off (`-IgnoreSTARTTLS $true` or "
		    "`-RequireTLS $false` on the Send connector, or removing the TLS "
		    "requirement from a connector in Exchange Online): the hybrid connectors "
		    "require TLS, so mail is then either refused or no longer matched to the "
		    "hybrid inbound connector and handled as anonymous internet mail, which "
		    "loses its internal status and cannot be relayed to external recipients "
		    "(550 5.7.64 TenantAttribution).",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. STARTTLS must be answered "
		    "with 220.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "RFC 3207 (SMTP STARTTLS); Cisco document 118550-qa-esa-00: Why do you "
		    "see XXXXXXXA after EHLO; Microsoft Support KB 320027 and KB 295725: "
		    "SMTP fixup (Mailguard) on Cisco PIX/ASA firewalls; Cisco ASA Series "
		    "Firewall CLI Configuration Guide: SMTP and Extended SMTP Inspection "
		    "(Defaults for ESMTP Inspection); Microsoft Learn: Set-ReceiveConnector "
		    "(TlsCertificateName, AuthMechanism)",
	},
	{
		.id = "smtp.ehlo-tls-failed",
		.sev = SEV_FAILURE,
		.title =
		    "EHLO after the TLS handshake was refused or not answered",
		.explanation =
		    "The TLS handshake completed, but the EHLO that SMTP requires again "
		    "inside the encrypted session was refused or went unanswered (the "
		    "summary says which). A sender cannot hand over mail without it, so "
		    "delivery fails even though TLS itself works. This usually comes from a "
		    "device that terminates TLS in front of the server (a mail gateway, a "
		    "TLS inspecting firewall or a load balancer) and then fails to continue "
		    "the session, or from a fault in the receiving server itself; the "
		    "certificate hybridtls received tells you which system answered.",
		.fix =
		    "1. Compare the certificate in the evidence with the Exchange "
		    "certificate (`Get-ExchangeCertificate | fl Thumbprint,Subject`). If "
		    "they differ, a device in front terminates TLS: exempt SMTP to and from "
		    "Exchange Online from its TLS inspection (FortiGate: certificate "
		    "inspection instead of deep inspection) or fix its SMTP relay settings.\n"
		    "2. If it is the Exchange server, read the SmtpReceive protocol log for "
		    "the session (folder: `Get-FrontendTransportService <SERVER> | fl "
		    "ReceiveProtocolLogPath`) and the Application event log.\n"
		    "Do not work around this by turning TLS off (`-IgnoreSTARTTLS $true` or "
		    "`-RequireTLS $false` on the Send connector, or removing the TLS "
		    "requirement from a connector in Exchange Online): the hybrid connectors "
		    "require TLS, so mail is then either refused or no longer matched to the "
		    "hybrid inbound connector and handled as anonymous internet mail, which "
		    "loses its internal status and cannot be relayed to external recipients "
		    "(550 5.7.64 TenantAttribution).",
		.verify =
		    KB_RERUN_SMTP
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "RFC 3207 (SMTP STARTTLS); Fortinet community: inbound SMTP STARTTLS "
		    "deep inspection causes delivery or banner timeouts",
	},
	{
		.id = "smtp.observed-ip",
		.sev = SEV_INFO,
		.title =
		    "The public IP address the server sees",
		.explanation =
		    "In its EHLO reply the server names the address the connection came from "
		    "(Exchange Online writes, for example, \"Hello [203.0.113.7]\"); the "
		    "summary gives it and compares it with the local address. This is the "
		    "public address after NAT: the one Exchange Online's inbound connector "
		    "compares with its SenderIPAddresses when it matches by IP, the one "
		    "blocklists see, and the one SPF must authorise. It is the address of "
		    "the machine running hybridtls; the Exchange servers send from the same "
		    "address only if they share its network egress.",
		.fix =
		    "Nothing needs fixing because of this finding alone; use the address to "
		    "check the following.\n"
		    "1. Make sure it is the address the Exchange servers send from: in their "
		    "SmtpSend protocol log, Exchange Online's EHLO reply names their address "
		    "the same way.\n"
		    "2. If the hybrid inbound connector matches by IP, it must list that "
		    "address: `Get-InboundConnector \"Inbound from <guid>\" | fl "
		    "SenderIPAddresses,TlsSenderCertificateName,RequireTls`; change it with "
		    "`Set-InboundConnector \"Inbound from <guid>\" -SenderIPAddresses "
		    "<address>,<address>` (the parameter replaces the whole list; IPv4 only, "
		    "single addresses or /24 to /32). Microsoft prefers matching by "
		    "certificate (TlsSenderCertificateName) to matching by IP.\n"
		    "3. Check the address with `hybridtls blocklist`, and check that your "
		    "domain's SPF record includes it.",
		.verify =
		    "Re-run `hybridtls connector` and `hybridtls blocklist` with this "
		    "address.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(TlsSenderCertificateName, SenderIPAddresses); Microsoft 365 Message "
		    "Center MC1226222: guidance for on-premises connectors configuration "
		    "(2026); Microsoft Learn: 550 5.7.64 TenantAttribution, Relay Access "
		    "Denied (KB 3212877); Exchange Team Blog (2020-05-27): Demystifying and "
		    "troubleshooting hybrid mail flow: when is a message internal?",
	},
	{
		.id = "smtp.observed-ip-unknown",
		.sev = SEV_INFO,
		.title =
		    "The server did not say which address it sees",
		.explanation =
		    "The EHLO reply does not name the client's address, so hybridtls cannot "
		    "tell which public address this connection came from; many servers, "
		    "Postfix among them, never include it. Checks that need the public "
		    "address (the inbound connector's SenderIPAddresses, blocklists, SPF) "
		    "use the address you provide instead.",
		.fix =
		    "Nothing needs fixing because of this finding alone; find the public "
		    "address another way:\n"
		    "1. Run `hybridtls smtp` against your tenant's Exchange Online endpoint "
		    "from the same network; Exchange Online names the address.\n"
		    "2. Or read it from the SmtpSend protocol log of an Exchange server: "
		    "Exchange Online's EHLO reply there contains \"Hello [address]\"; or take "
		    "it from the firewall's outbound NAT rule for the Exchange servers.\n"
		    "3. Give that address to hybridtls when it asks for it (see `hybridtls "
		    "--help`).",
		.verify =
		    "The connector and blocklist checks run with the address you gave.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(TlsSenderCertificateName, SenderIPAddresses); RFC 5321 (SMTP)",
	},
	{
		.id = "smtp.observed-ip-internal",
		.sev = SEV_INFO,
		.title =
		    "The server sees a private address: the public IP is not known",
		.explanation =
		    "The server named the client's address in its EHLO reply, but the address "
		    "is private (RFC 1918, carrier-grade NAT, link-local or IPv6 unique "
		    "local): hybridtls ran on the same side of a NAT as the server, usually "
		    "inside the network with the Exchange servers. Exchange Online, the "
		    "blocklists and SPF only ever see the public address the firewall "
		    "translates to, so hybridtls does not use the private one for the inbound "
		    "connector's SenderIPAddresses, the blocklists, reverse DNS or SPF: those "
		    "checks wait for the public address. The SMTP and TLS findings still "
		    "describe the path from here to this server, which may not be the path "
		    "Exchange Online takes (a firewall's SMTP inspection usually sits on the "
		    "internet side only).",
		.fix =
		    "Nothing is broken because of this finding; give hybridtls the public "
		    "address instead:\n"
		    "1. Find the address the Exchange servers send from: in the firewall's "
		    "outbound NAT rule for them, or in an Exchange server's SmtpSend protocol "
		    "log, where Exchange Online's EHLO reply names it (\"Hello "
		    "[203.0.113.7]\").\n"
		    "2. Re-run with `--ip ADDRESS` (in the wizard, press i).\n"
		    "3. To test the path Exchange Online takes, run hybridtls from a host "
		    "outside the network against the public name of the on-premises endpoint.",
		.verify =
		    "The report says the public IP checked was given with --ip, and the "
		    "connector, blocklist and SPF checks run with it.",
		.refs =
		    "RFC 1918 (address allocation for private internets); RFC 6598 (shared "
		    "address space for carrier-grade NAT); RFC 4193 (IPv6 unique local "
		    "addresses); Microsoft Learn: New-InboundConnector and "
		    "Set-InboundConnector (SenderIPAddresses)",
	},
	{
		.id = "tls.not-tested",
		.sev = SEV_UNTESTED,
		.title =
		    "TLS could not be tested",
		.explanation =
		    "hybridtls never got as far as a TLS handshake, because the server did "
		    "not offer STARTTLS or the conversation ended before it; the SMTP "
		    "findings say which. So nothing is known yet about the TLS version, the "
		    "cipher or the certificate on this path. Because the hybrid connectors "
		    "require TLS, mail in this direction does not flow until the earlier "
		    "problem is solved.",
		.fix =
		    "1. Fix the finding that stopped the conversation first (for example "
		    "smtp.starttls-missing, smtp.starttls-refused, smtp.timeout or "
		    "smtp.connect-failed).\n"
		    "2. Then re-run hybridtls to test TLS and the certificate.",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.",
		.refs =
		    "RFC 3207 (SMTP STARTTLS)",
	},
	{
		.id = "smtp.not-probed",
		.sev = SEV_UNTESTED,
		.title =
		    "The server was not probed: this run's connection budget for it was "
		    "spent",
		.explanation =
		    "hybridtls opens at most three connections to one address and port in a "
		    "run, so that a diagnosis never looks like an attack or trips a rate "
		    "limit (Exchange Online throttles sources that open many connections). "
		    "Other probes of the same run had used them, or, in a batch, no "
		    "connection slot to that address came free before the target's deadline. "
		    "Nothing is known about this server from this run, and nothing failed: "
		    "this is not a connection problem.",
		.fix =
		    "1. Run `hybridtls smtp HOST` (or `check`) for this server on its own.\n"
		    "2. In a batch, check fewer targets on the same server at once (`-j`), "
		    "or give targets more time (`--timeout`); targets that share an MX host "
		    "already share one probe.",
		.verify =
		    "The server's own run shows the conversation, and this finding is gone.",
		.refs =
		    "Microsoft Learn: Exchange Online limits (message and connection limits)",
	},
	{
		.id = "tls.handshake-ok",
		.sev = SEV_OK,
		.title =
		    "TLS handshake completed",
		.explanation =
		    "The TLS handshake after STARTTLS succeeded; the summary names the "
		    "protocol version and cipher suite. For hybrid mail Exchange Online "
		    "needs TLS 1.2 or later and one of the cipher suites it supports "
		    "(ECDHE_RSA with AES-GCM or AES-CBC, or RSA key exchange with AES-GCM). "
		    "The certificate is judged separately by the tls.cert findings.",
		.fix =
		    "Nothing to fix.",
		.verify =
		    "Nothing to verify.",
		.refs =
		    "Microsoft Learn: Technical reference details about encryption "
		    "(Microsoft 365); Microsoft Learn: How Exchange Online uses TLS to "
		    "secure email connections in Office 365",
	},
	{
		.id = "tls.handshake-failed",
		.sev = SEV_FAILURE,
		.title =
		    "The TLS handshake failed",
		.explanation =
		    "After the server answered 220 to STARTTLS, the TLS handshake did not "
		    "complete; the summary names the TLS alert or error. Common causes: no "
		    "protocol version or cipher suite in common (Exchange Online uses TLS "
		    "1.2 or later and only the suites in Microsoft's encryption reference, "
		    "ECDHE_RSA with AES-GCM or AES-CBC and RSA with AES-GCM, so a server "
		    "limited to DHE or 3DES suites fails); a server that cannot use its "
		    "certificate's private key; or a middlebox that lets \"220 Ready to start "
		    "TLS\" through and then breaks the handshake. Because the hybrid "
		    "connectors require TLS, mail in this direction queues: Exchange Online "
		    "retries for 24 hours before it bounces, and the on-premises queue shows "
		    "the TLS error in LastError.",
		.fix =
		    "1. Read the alert in the summary. A protocol version alert means the "
		    "server has no TLS 1.2: see tls.protocol-old.\n"
		    "2. A handshake failure or no shared cipher means the suites do not "
		    "overlap. On Windows Server 2016 and later, list the enabled suites with "
		    "`Get-TlsCipherSuite | Format-Table Name` and enable what Exchange "
		    "Online needs, for example `Enable-TlsCipherSuite -Name "
		    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384` and `Enable-TlsCipherSuite -Name "
		    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`; check that no Group Policy "
		    "overrides them (Computer Configuration > Administrative Templates > "
		    "Network > SSL Configuration Settings > SSL Cipher Suite Order) and that "
		    "no hardening tool removed them. Reboot after changing Schannel settings.\n"
		    "3. On an Exchange server, check the certificate used for SMTP has its "
		    "private key: `Get-ExchangeCertificate | fl "
		    "Thumbprint,Subject,HasPrivateKey,Services,Status`. If the SmtpSend log "
		    "shows `TLS negotiation failed with error UnknownCredentials`, bind the "
		    "certificate to SMTP: `Enable-ExchangeCertificate -Thumbprint "
		    "<thumbprint> -Services SMTP`.\n"
		    "4. If the server completes TLS from inside the network but not from "
		    "outside, a firewall, IPS or TLS inspection breaks it: exempt SMTP to "
		    "and from Exchange Online (FortiGate: certificate inspection instead of "
		    "deep inspection; Cisco ASA: `allow-tls` in the ESMTP inspection map, or "
		    "`no inspect esmtp` under `class inspection_default` of `policy-map "
		    "global_policy`).\n"
		    "Do not work around this by turning TLS off (`-IgnoreSTARTTLS $true` or "
		    "`-RequireTLS $false` on the Send connector, or removing the TLS "
		    "requirement from a connector in Exchange Online): the hybrid connectors "
		    "require TLS, so mail is then either refused or no longer matched to the "
		    "hybrid inbound connector and handled as anonymous internet mail, which "
		    "loses its internal status and cannot be relayed to external recipients "
		    "(550 5.7.64 TenantAttribution).",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. The summary of "
		    "tls.handshake-ok must show TLS 1.2 or later.\n"
		    "From a Linux machine: `openssl s_client -connect HOST:25 -starttls smtp "
		    "-tls1_2` completes.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Technical reference details about encryption "
		    "(Microsoft 365); Exchange Team Blog (2021-01-15): Understanding email "
		    "scenarios if TLS versions cannot be agreed on with Exchange Online; "
		    "Microsoft Support KB 4051498: Outbound email messages are not sent on "
		    "the Exchange Hub Transport or Edge server; Fortinet community: inbound "
		    "SMTP STARTTLS deep inspection causes delivery or banner timeouts; Cisco "
		    "ASA Series Firewall CLI Configuration Guide: SMTP and Extended SMTP "
		    "Inspection (Defaults for ESMTP Inspection); RFC 3207 (SMTP STARTTLS)",
	},
	{
		.id = "tls.protocol-old",
		.sev = SEV_FAILURE,
		.title =
		    "The server only speaks TLS 1.0 or 1.1",
		.explanation =
		    "hybridtls offered TLS 1.2 and newer, but the server agreed only to TLS "
		    "1.0 or 1.1 (the summary names the version), so it supports nothing "
		    "newer. Exchange Online never sends with TLS 1.0 or 1.1, and it stopped "
		    "accepting them on its mail endpoints in an enforcement that began in "
		    "January 2021 and was rolled out over 2021 and 2022. In hybrid this "
		    "breaks both directions: Exchange Online cannot deliver to an "
		    "on-premises server that offers nothing newer, and an on-premises server "
		    "that cannot use TLS 1.2 cannot deliver to Exchange Online; the hybrid "
		    "connectors require TLS, so the mail queues. If the host is Exchange "
		    "Online itself, a device in the path is terminating TLS with outdated "
		    "settings.",
		.fix =
		    "1. Bring the server up to date: current Windows updates, a supported "
		    "Exchange cumulative update and a .NET Framework version that supports "
		    "TLS 1.2 (Microsoft's Exchange Server TLS guidance, part 1, lists the "
		    "minimum builds).\n"
		    "2. Enable TLS 1.2 in Schannel for both directions (Exchange both "
		    "receives and sends): `reg add "
		    "\"HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS "
		    "1.2\\Server\" /v Enabled /t REG_DWORD /d 1 /f`, `reg add "
		    "\"HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS "
		    "1.2\\Server\" /v DisabledByDefault /t REG_DWORD /d 0 /f`, and the same "
		    "two values under `...\\TLS 1.2\\Client`.\n"
		    "3. Let .NET use the system's TLS versions: under both "
		    "`HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319` and "
		    "`HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319` set the "
		    "DWORD values `SystemDefaultTlsVersions` = 1 and `SchUseStrongCrypto` = "
		    "1 (for example `reg add "
		    "\"HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319\" /v "
		    "SchUseStrongCrypto /t REG_DWORD /d 1 /f`); part 2 of the guidance also "
		    "lists the `v2.0.50727` keys for older components.\n"
		    "4. Reboot the server; Schannel reads these settings only at start-up.\n"
		    "5. Run Microsoft's Exchange HealthChecker script (CSS-Exchange), which "
		    "reports the TLS settings of each server.\n"
		    "6. For a gateway or appliance in front of Exchange: enable TLS 1.2 in "
		    "its TLS settings, or update its firmware.\n"
		    "TLS 1.0 and 1.1 may stay enabled alongside 1.2 as far as hybrid is "
		    "concerned; what matters is that TLS 1.2 works.",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. The handshake must now "
		    "use TLS 1.2 or later.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Exchange Team Blog (2021-01-15): Understanding email scenarios if TLS "
		    "versions cannot be agreed on with Exchange Online; Exchange Team Blog "
		    "(2018): Exchange Server TLS guidance, parts 1-3 (Getting Ready for TLS "
		    "1.2, Enabling TLS 1.2 and Identifying Clients Not Using It, Turning Off "
		    "TLS 1.0/1.1); Microsoft Learn: Technical reference details about "
		    "encryption (Microsoft 365)",
	},
	{
		.id = "tls.cert-valid",
		.sev = SEV_OK,
		.title =
		    "The certificate is valid: chain verified, name matches, dates fine",
		.explanation =
		    "The server's certificate chain verified against the trust store "
		    "hybridtls used (the system store, or the file given with --ca-file), "
		    "the expected name is in the certificate, and today is within its "
		    "validity period. Exchange Online checks against the Microsoft Trusted "
		    "Root Program, which overlaps heavily with common trust stores but not "
		    "completely, so a chain that passes here will very probably pass there "
		    "too.",
		.fix =
		    "Nothing to fix. Plan the renewal before the expiry date shown in the "
		    "evidence.",
		.verify =
		    "Nothing to verify.",
		.refs =
		    "Microsoft Learn: How Exchange Online uses TLS to secure email "
		    "connections in Office 365; Microsoft Learn: Certificate requirements "
		    "for hybrid deployments (Exchange 2013 hybrid documentation, jj156431)",
	},
	{
		.id = "tls.cert-expired",
		.sev = SEV_FAILURE,
		.title =
		    "The server's certificate has expired",
		.explanation =
		    "The certificate the server presented is past its expiry date; the "
		    "summary names the date. hybridtls went on past this certificate only to "
		    "record the facts; a sender that validates certificates (Exchange Online "
		    "through the hybrid outbound connector, or Exchange with TlsAuthLevel "
		    "DomainValidation on its Send connector) stops at this point and "
		    "delivers nothing.\n"
		    "When Exchange Online delivers to on-premises this gives 450 4.7.320 "
		    "Certificate validation failed, and mail waits in Exchange Online for up "
		    "to 24 hours before it bounces. If the same certificate is the one your "
		    "Send connector presents to Exchange Online, that direction is at risk "
		    "as well, and the Hybrid Configuration Wizard no longer accepts it. If "
		    "the host tested is Exchange Online's own endpoint, suspect the machine "
		    "doing the check (its clock or trust store) or a device in the path that "
		    "intercepts TLS and shows its own certificate.",
		.fix =
		    "1. Check which certificate the servers use and when each expires: "
		    "`Get-ExchangeCertificate | fl Thumbprint,Subject,Services,NotAfter` "
		    "(the summary names the expiry date of the one that was presented).\n"
		    "2. Get a certificate from a public CA whose subject or SAN contains the "
		    "name Exchange Online checks (the TlsDomain of the outbound connector, "
		    "for example mail.contoso.com), with a key of at least 2048 bits and a "
		    "SHA-256 signature. Create the request in the Exchange admin center "
		    "(Servers > Certificates) or with `New-ExchangeCertificate "
		    "-GenerateRequest -SubjectName \"CN=mail.contoso.com\" -DomainName "
		    "mail.contoso.com,autodiscover.contoso.com -KeySize 2048 "
		    "-PrivateKeyExportable $true`, save the request text it returns to a "
		    "file and send it to the CA.\n"
		    "3. Complete the request on the server that made it "
		    "(`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.cer'))`), "
		    "export it with its private key as a PFX (Exchange admin center, or "
		    "`Export-ExchangeCertificate -BinaryEncoded`), and import that PFX, with "
		    "the full chain, on every other Exchange server that sends to or "
		    "receives from Exchange Online (and every Edge server, if you use Edge): "
		    "`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.pfx')) "
		    "-Password (Get-Credential).Password`.\n"
		    "4. Bind it to SMTP on each server: `Enable-ExchangeCertificate -Server "
		    "<SERVER> -Thumbprint <new thumbprint> -Services SMTP` (use `-Services "
		    "IIS,SMTP` if it also serves the other hybrid features), then check with "
		    "`Get-ExchangeCertificate -Server <SERVER> | fl "
		    "Thumbprint,Subject,CertificateDomains,Services,NotAfter`.\n"
		    "5. Build the connector value from the certificate: `$c = "
		    "Get-ExchangeCertificate -Thumbprint <thumbprint>; $n = "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"`. Then run `Set-SendConnector "
		    "\"Outbound to Office 365 - <guid>\" -TlsCertificateName $n` and, for "
		    "every receiving server, `Set-ReceiveConnector \"<SERVER>\\Default "
		    "Frontend <SERVER>\" -TlsCertificateName $n`. Re-running the Hybrid "
		    "Configuration Wizard and choosing the new certificate on its transport "
		    "certificate page does the same.\n"
		    "6. If the new certificate's subject or SAN name differs from the old "
		    "one, Exchange Online must learn it too: `Set-InboundConnector \"Inbound "
		    "from <guid>\" -TlsSenderCertificateName mail.contoso.com` and "
		    "`Set-OutboundConnector \"Outbound to <guid>\" -TlsDomain "
		    "mail.contoso.com` in Exchange Online PowerShell (the wizard does this "
		    "when re-run); otherwise the inbound connector no longer recognises your "
		    "servers.\n"
		    "7. Remove the old certificate only after no connector refers to it: "
		    "`Remove-ExchangeCertificate -Server <SERVER> -Thumbprint <old "
		    "thumbprint>` (Exchange refuses while a Send connector still names it).\n"
		    "Do not lower the outbound connector's TlsSettings (for example to "
		    "EncryptionOnly) or turn off certificate validation to make the error go "
		    "away: it hides the fault, removes the protection the hybrid connector "
		    "is there to give, and the certificate still needs fixing.",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. The finding must become "
		    "tls.cert-valid.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Microsoft archive blog (Exchange "
		    "Challenge Accepted): mail not routing to on-premises Exchange 2013 from "
		    "O365 with 450 4.7.320 certificate validation failed; Microsoft Learn: "
		    "Certificate requirements for hybrid deployments (Exchange 2013 hybrid "
		    "documentation, jj156431); Microsoft Support KB 3064938: hybrid "
		    "diagnostic \"No valid hybrid certificate found\" (certificate needs the "
		    "IIS and SMTP services); Microsoft Learn: Set-SendConnector "
		    "(TlsCertificateName, IgnoreSTARTTLS, RequireTLS); Microsoft Learn: "
		    "Set-ReceiveConnector (TlsCertificateName, AuthMechanism)",
	},
	{
		.id = "tls.cert-not-yet-valid",
		.sev = SEV_FAILURE,
		.title =
		    "The server's certificate is not valid yet",
		.explanation =
		    "The certificate's validity period starts in the future; the summary "
		    "gives the start time. Either a clock is wrong (on the machine running "
		    "hybridtls, or on the system that issued the certificate), or a newly "
		    "issued certificate was put into service before its start time. "
		    "hybridtls went on past this certificate only to record the facts; a "
		    "sender that validates certificates (Exchange Online through the hybrid "
		    "outbound connector, or Exchange with TlsAuthLevel DomainValidation on "
		    "its Send connector) stops at this point and delivers nothing. For "
		    "Exchange Online delivering to on-premises, this fails like any invalid "
		    "certificate (450 4.7.320 Certificate validation failed).",
		.fix =
		    "1. Check the clocks, here and on the Exchange servers: `w32tm /query "
		    "/status` on Windows, `timedatectl` on Linux. Correct them (`w32tm "
		    "/resync`), then re-run.\n"
		    "2. If the clocks are right, the certificate was switched on too early. "
		    "Point the connectors back to the previous, still valid certificate "
		    "until the start time has passed (with the previous certificate's "
		    "thumbprint: `$c = Get-ExchangeCertificate -Thumbprint <thumbprint>; $n "
		    "= \"<I>$($c.Issuer)<S>$($c.Subject)\"`, then `Set-ReceiveConnector "
		    "\"<SERVER>\\Default Frontend <SERVER>\" -TlsCertificateName $n` and "
		    "`Set-SendConnector \"Outbound to Office 365 - <guid>\" "
		    "-TlsCertificateName $n`), or simply wait.\n"
		    "3. If the certificate was created on a system with a wrong clock, fix "
		    "the clock and issue it again.",
		.verify =
		    KB_RERUN_SMTP
		    "`Get-ExchangeCertificate | fl Thumbprint,Subject,NotBefore,NotAfter` "
		    "shows the certificate in use has a start time in the past.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Microsoft archive blog (Exchange "
		    "Challenge Accepted): mail not routing to on-premises Exchange 2013 from "
		    "O365 with 450 4.7.320 certificate validation failed",
	},
	{
		.id = "tls.cert-expiring",
		.sev = SEV_WARNING,
		.title =
		    "The server's certificate expires within 30 days",
		.explanation =
		    "The certificate is valid today but expires within 30 days; the summary "
		    "names the date. Once it expires, Exchange Online can no longer validate "
		    "the on-premises endpoint and mail to on-premises stops with 450 "
		    "4.7.320; if the same certificate identifies your servers to Exchange "
		    "Online, mail in that direction is affected too. Renewal itself often "
		    "causes outages: if the new certificate has a different subject or SAN, "
		    "Exchange Online's connectors (TlsSenderCertificateName inbound, "
		    "TlsDomain outbound) no longer match it, and connectors whose "
		    "TlsCertificateName names the old certificate keep pointing at it.",
		.fix =
		    "1. Renew well before the date in the summary; `Get-ExchangeCertificate "
		    "| fl Thumbprint,Subject,Services,NotAfter` shows every certificate and "
		    "its expiry.\n"
		    "2. Get a certificate from a public CA whose subject or SAN contains the "
		    "name Exchange Online checks (the TlsDomain of the outbound connector, "
		    "for example mail.contoso.com), with a key of at least 2048 bits and a "
		    "SHA-256 signature. Create the request in the Exchange admin center "
		    "(Servers > Certificates) or with `New-ExchangeCertificate "
		    "-GenerateRequest -SubjectName \"CN=mail.contoso.com\" -DomainName "
		    "mail.contoso.com,autodiscover.contoso.com -KeySize 2048 "
		    "-PrivateKeyExportable $true`, save the request text it returns to a "
		    "file and send it to the CA.\n"
		    "3. Complete the request on the server that made it "
		    "(`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.cer'))`), "
		    "export it with its private key as a PFX (Exchange admin center, or "
		    "`Export-ExchangeCertificate -BinaryEncoded`), and import that PFX, with "
		    "the full chain, on every other Exchange server that sends to or "
		    "receives from Exchange Online (and every Edge server, if you use Edge): "
		    "`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.pfx')) "
		    "-Password (Get-Credential).Password`.\n"
		    "4. Bind it to SMTP on each server: `Enable-ExchangeCertificate -Server "
		    "<SERVER> -Thumbprint <new thumbprint> -Services SMTP` (use `-Services "
		    "IIS,SMTP` if it also serves the other hybrid features), then check with "
		    "`Get-ExchangeCertificate -Server <SERVER> | fl "
		    "Thumbprint,Subject,CertificateDomains,Services,NotAfter`.\n"
		    "5. Build the connector value from the certificate: `$c = "
		    "Get-ExchangeCertificate -Thumbprint <thumbprint>; $n = "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"`. Then run `Set-SendConnector "
		    "\"Outbound to Office 365 - <guid>\" -TlsCertificateName $n` and, for "
		    "every receiving server, `Set-ReceiveConnector \"<SERVER>\\Default "
		    "Frontend <SERVER>\" -TlsCertificateName $n`. Re-running the Hybrid "
		    "Configuration Wizard and choosing the new certificate on its transport "
		    "certificate page does the same.\n"
		    "6. If the new certificate's subject or SAN name differs from the old "
		    "one, Exchange Online must learn it too: `Set-InboundConnector \"Inbound "
		    "from <guid>\" -TlsSenderCertificateName mail.contoso.com` and "
		    "`Set-OutboundConnector \"Outbound to <guid>\" -TlsDomain "
		    "mail.contoso.com` in Exchange Online PowerShell (the wizard does this "
		    "when re-run); otherwise the inbound connector no longer recognises your "
		    "servers.\n"
		    "7. Remove the old certificate only after no connector refers to it: "
		    "`Remove-ExchangeCertificate -Server <SERVER> -Thumbprint <old "
		    "thumbprint>` (Exchange refuses while a Send connector still names it).",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. The expiry date must now "
		    "be the new certificate's.\n"
		    "`Get-SendConnector \"Outbound to Office 365 - <guid>\" | fl "
		    "TlsCertificateName` and `Get-ReceiveConnector \"<SERVER>\\Default "
		    "Frontend <SERVER>\" | fl TlsCertificateName` name the new certificate on "
		    "every server.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: Certificate requirements for hybrid deployments "
		    "(Exchange 2013 hybrid documentation, jj156431); Microsoft Learn: "
		    "Set-SendConnector (TlsCertificateName, IgnoreSTARTTLS, RequireTLS); "
		    "Microsoft Learn: Set-ReceiveConnector (TlsCertificateName, "
		    "AuthMechanism); Microsoft Learn: New-InboundConnector and "
		    "Set-InboundConnector (TlsSenderCertificateName, SenderIPAddresses); "
		    "Microsoft Learn: New-OutboundConnector and Set-OutboundConnector "
		    "(TlsSettings, TlsDomain); Microsoft archive blog (lalitbisht): Mailflow "
		    "issue from Exchange on-prem to Office 365",
	},
	{
		.id = "tls.cert-name-mismatch",
		.sev = SEV_FAILURE,
		.title =
		    "The certificate does not contain the expected name",
		.explanation =
		    "The name hybridtls checked (the host name, or the one given with "
		    "--tls-name) is neither in the certificate's subject alternative names "
		    "nor in its common name. hybridtls went on past this certificate only to "
		    "record the facts; a sender that validates certificates (Exchange Online "
		    "through the hybrid outbound connector, or Exchange with TlsAuthLevel "
		    "DomainValidation on its Send connector) stops at this point and "
		    "delivers nothing.\n"
		    "Exchange Online's hybrid outbound connector uses TlsSettings "
		    "DomainValidation and compares the on-premises certificate with its "
		    "TlsDomain; a mismatch gives 450 4.7.320 Certificate validation failed "
		    "[Message=SubjectMismatch], and mail to on-premises waits and then "
		    "bounces. The typical case is a Default Frontend receive connector "
		    "presenting Exchange's self-signed server certificate (CN=<server name>) "
		    "because TlsCertificateName was set on only one of several servers, so "
		    "delivery fails only part of the time.",
		.fix =
		    "1. Find the name Exchange Online checks: `Get-OutboundConnector "
		    "\"Outbound to <guid>\" | fl SmartHosts,TlsSettings,TlsDomain` in Exchange "
		    "Online PowerShell; if hybridtls checked a different name, re-run it "
		    "with `--tls-name <TlsDomain>`.\n"
		    "2. On every server that receives from Exchange Online, see what the "
		    "connector presents: `Get-ReceiveConnector \"<SERVER>\\Default Frontend "
		    "<SERVER>\" | fl Fqdn,TlsCertificateName,TlsDomainCapabilities` and "
		    "`Get-ExchangeCertificate -Server <SERVER> | fl "
		    "Thumbprint,Subject,CertificateDomains,Services,NotAfter`.\n"
		    "3. Where TlsCertificateName is empty or names another certificate, set "
		    "it on that server's connector: build the value with `$c = "
		    "Get-ExchangeCertificate -Thumbprint <thumbprint>; $n = "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"`, then `Set-ReceiveConnector "
		    "\"<SERVER>\\Default Frontend <SERVER>\" -TlsCertificateName $n` (the "
		    "Hybrid Configuration Wizard also sets `-TlsDomainCapabilities "
		    "mail.protection.outlook.com:AcceptCloudServicesMail`), or re-run the "
		    "wizard with all receiving servers selected.\n"
		    "4. If no certificate on the server contains the name, get one from a "
		    "public CA whose SAN includes it, import it on every server and bind it "
		    "with `Enable-ExchangeCertificate -Thumbprint <thumbprint> -Services "
		    "SMTP`.\n"
		    "5. If the name is right on the LAN but wrong from outside, a device in "
		    "front (load balancer, TLS-inspecting firewall, mail gateway) presents "
		    "its own certificate: exempt SMTP from TLS inspection or give that "
		    "device a certificate with the right name.\n"
		    "Do not lower the outbound connector's TlsSettings (for example to "
		    "EncryptionOnly) or turn off certificate validation to make the error go "
		    "away: it hides the fault, removes the protection the hybrid connector "
		    "is there to give, and the certificate still needs fixing.",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. Run it against each "
		    "receiving server's address (with `--tls-name`) to catch a server that "
		    "still presents the wrong certificate.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Microsoft archive blog (Exchange "
		    "Challenge Accepted): mail not routing to on-premises Exchange 2013 from "
		    "O365 with 450 4.7.320 certificate validation failed; Microsoft Learn: "
		    "New-OutboundConnector and Set-OutboundConnector (TlsSettings, "
		    "TlsDomain); Microsoft Learn: Certificate requirements for hybrid "
		    "deployments (Exchange 2013 hybrid documentation, jj156431); Microsoft "
		    "Learn: Set-ReceiveConnector (TlsCertificateName, AuthMechanism)",
	},
	{
		.id = "tls.name-not-checked",
		.sev = SEV_INFO,
		.title =
		    "Certificate name not checked (connected by IP address)",
		.explanation =
		    "hybridtls connected to an IP address and was not told which name to "
		    "expect, so it could not compare the certificate with a name; chain and "
		    "dates were still checked. Exchange Online does check the name when it "
		    "delivers to on-premises: its hybrid outbound connector compares the "
		    "certificate with the connector's TlsDomain (for example "
		    "mail.contoso.com).",
		.fix =
		    "1. Find the name: `Get-OutboundConnector \"Outbound to <guid>\" | fl "
		    "SmartHosts,TlsDomain` in Exchange Online PowerShell.\n"
		    "2. Re-run with it: `hybridtls smtp <IP address> --tls-name "
		    "mail.contoso.com`, or connect by host name.",
		.verify =
		    "The re-run reports tls.cert-valid, or a finding about the name.",
		.refs =
		    "Microsoft Learn: New-OutboundConnector and Set-OutboundConnector "
		    "(TlsSettings, TlsDomain)",
	},
	{
		.id = "tls.cert-self-signed",
		.sev = SEV_FAILURE,
		.title =
		    "The server presented a self-signed certificate",
		.explanation =
		    "The certificate is signed by itself rather than by a certificate "
		    "authority. Exchange creates such a certificate at setup (subject "
		    "CN=<server name>) and uses it when a connector has no other "
		    "certificate; hybrid mail transport needs a certificate from a public "
		    "CA, and Exchange Online does not accept the self-signed one. hybridtls "
		    "went on past this certificate only to record the facts; a sender that "
		    "validates certificates (Exchange Online through the hybrid outbound "
		    "connector, or Exchange with TlsAuthLevel DomainValidation on its Send "
		    "connector) stops at this point and delivers nothing.\n"
		    "The typical hybrid case is one of several servers whose Default "
		    "Frontend receive connector was never given the public certificate, so "
		    "Exchange Online fails (450 4.7.320 Certificate validation failed) only "
		    "when it lands on that server. If the host tested is Exchange Online's "
		    "endpoint, a device in the path is intercepting TLS.",
		.fix =
		    "1. See which certificates each server has: `Get-ExchangeCertificate "
		    "-Server <SERVER> | fl "
		    "Thumbprint,Subject,Issuer,IsSelfSigned,Services,NotAfter`.\n"
		    "2. If a public-CA certificate is already there, bind it to SMTP "
		    "(`Enable-ExchangeCertificate -Server <SERVER> -Thumbprint <thumbprint> "
		    "-Services SMTP`) and name it on the connectors: build the value with "
		    "`$c = Get-ExchangeCertificate -Thumbprint <thumbprint>; $n = "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"`, then `Set-ReceiveConnector "
		    "\"<SERVER>\\Default Frontend <SERVER>\" -TlsCertificateName $n` on every "
		    "receiving server and `Set-SendConnector \"Outbound to Office 365 - "
		    "<guid>\" -TlsCertificateName $n`; or re-run the Hybrid Configuration "
		    "Wizard and choose it on the transport certificate page.\n"
		    "3. If there is none, obtain one from a public CA whose name matches the "
		    "outbound connector's TlsDomain, import it with its chain on every "
		    "Exchange server (`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.pfx')) "
		    "-Password (Get-Credential).Password`), then do step 2.\n"
		    "4. If a device in front intercepts TLS, exempt SMTP to and from "
		    "Exchange Online from its TLS inspection.\n"
		    "Do not lower the outbound connector's TlsSettings (for example to "
		    "EncryptionOnly) or turn off certificate validation to make the error go "
		    "away: it hides the fault, removes the protection the hybrid connector "
		    "is there to give, and the certificate still needs fixing.",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. Check each receiving "
		    "server's address.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: Certificate requirements for hybrid deployments "
		    "(Exchange 2013 hybrid documentation, jj156431); Microsoft Support KB "
		    "3064938: hybrid diagnostic \"No valid hybrid certificate found\" "
		    "(certificate needs the IIS and SMTP services); Microsoft archive blog "
		    "(Exchange Challenge Accepted): mail not routing to on-premises Exchange "
		    "2013 from O365 with 450 4.7.320 certificate validation failed; "
		    "Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Microsoft Learn: "
		    "Set-ReceiveConnector (TlsCertificateName, AuthMechanism)",
	},
	{
		.id = "tls.chain-incomplete",
		.sev = SEV_FAILURE,
		.title =
		    "The server did not send the intermediate CA certificate",
		.explanation =
		    "The server sent its own certificate without the intermediate CA "
		    "certificate(s) that link it to a trusted root, so the chain could not "
		    "be built. Exchange Online does not fetch missing intermediates (it does "
		    "not follow the AIA download link the way browsers do), so it rejects "
		    "such a server: 450 4.4.317 Cannot connect to remote server "
		    "[Message=UntrustedRoot] when it delivers to on-premises, while a "
		    "leaf-only client certificate from on-premises can stop the inbound "
		    "connector from matching (550 5.7.64 TenantAttribution). hybridtls went "
		    "on past this certificate only to record the facts; a sender that "
		    "validates certificates (Exchange Online through the hybrid outbound "
		    "connector, or Exchange with TlsAuthLevel DomainValidation on its Send "
		    "connector) stops at this point and delivers nothing. On Windows, "
		    "Exchange sends the intermediates it finds in the computer's certificate "
		    "stores (Intermediate Certification Authorities), so a certificate "
		    "imported without its chain produces exactly this.",
		.fix =
		    "1. Get the intermediate certificate(s) from the CA (its download page "
		    "or the bundle it issued); the evidence names the issuer the server's "
		    "certificate needs.\n"
		    "2. Install them on every Exchange server (and Edge server): in "
		    "certlm.msc under Intermediate Certification Authorities > Certificates "
		    "(All Tasks > Import), or `Import-Certificate -FilePath "
		    "C:\\certs\\intermediate.cer -CertStoreLocation Cert:\\LocalMachine\\CA`. "
		    "Importing the certificate again as a PFX that contains the full chain "
		    "(`Import-ExchangeCertificate`) also works.\n"
		    "3. Restart transport so it sends the new chain: `Restart-Service "
		    "MSExchangeTransport, MSExchangeFrontEndTransport` (on an Edge server: "
		    "`Restart-Service MSExchangeTransport`).\n"
		    "4. On a non-Windows server or gateway, configure the full chain (the "
		    "server certificate followed by the intermediates).",
		.verify =
		    KB_RERUN_SMTP
		    "`openssl s_client -connect HOST:25 -starttls smtp -showcerts` lists the "
		    "server certificate and the intermediate(s).\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: NDR error code 450 4.4.317 \"Cannot connect to remote "
		    "server [Message=UntrustedRoot]\"; Microsoft Learn: 550 5.7.64 "
		    "TenantAttribution, Relay Access Denied (KB 3212877); Microsoft Learn: "
		    "Certificate requirements for hybrid deployments (Exchange 2013 hybrid "
		    "documentation, jj156431)",
	},
	{
		.id = "tls.chain-long",
		.sev = SEV_WARNING,
		.title =
		    "The server sends far more certificates than its chain needs",
		.explanation =
		    "A certificate chain is normally two to four certificates: the "
		    "server's own, one or two intermediates, sometimes a cross-signed root. "
		    "This server sends many more (the summary gives the number), usually "
		    "because its certificate file holds a whole CA bundle, or a chain was "
		    "pasted in several times. Every handshake carries all of them, and TLS "
		    "libraries put limits on both the size of the certificate message and "
		    "the length of a path (OpenSSL, used by many mail servers and "
		    "gateways, accepts at most 100 KiB and 100 intermediates by default), "
		    "so some senders fail to start TLS with this server while others "
		    "succeed. hybridtls verified every certificate that was sent.",
		.fix =
		    "1. Configure the server with its own certificate followed only by the "
		    "intermediates that lead to the root; leave the root itself and any "
		    "other CA certificates out.\n"
		    "2. On Exchange, Windows builds the chain it sends from the computer's "
		    "certificate stores: remove stale or duplicate certificates from "
		    "Intermediate Certification Authorities in certlm.msc, then "
		    "`Restart-Service MSExchangeTransport, MSExchangeFrontEndTransport`.\n"
		    "3. On a gateway or a non-Windows server, edit its certificate chain "
		    "file (for Postfix: `smtpd_tls_chain_files`) the same way.",
		.verify =
		    KB_RERUN_SMTP
		    "`openssl s_client -connect HOST:25 -starttls smtp -showcerts` lists "
		    "two to four certificates.",
		.refs =
		    "RFC 8446 section 4.4.2 (Certificate); OpenSSL: "
		    "SSL_CTX_set_max_cert_list, X509_VERIFY_PARAM_set_depth",
	},
	{
		.id = "tls.untrusted-root",
		.sev = SEV_FAILURE,
		.title =
		    "The certificate chain ends in an untrusted root",
		.explanation =
		    "The chain leads to a root certificate that is not in the trust store "
		    "hybridtls used (the summary names it). Either the certificate comes "
		    "from a private or internal CA, which hybrid mail transport does not "
		    "support because Exchange Online trusts only roots in the Microsoft "
		    "Trusted Root Program, or the checking side is missing a root update. "
		    "hybridtls went on past this certificate only to record the facts; a "
		    "sender that validates certificates (Exchange Online through the hybrid "
		    "outbound connector, or Exchange with TlsAuthLevel DomainValidation on "
		    "its Send connector) stops at this point and delivers nothing.\n"
		    "The second case matters in 2026: Exchange Online is moving its own "
		    "certificate to a chain under DigiCert Global Root G2 (Microsoft "
		    "required trust by mid-March 2026), so any Exchange server, gateway or "
		    "appliance that validates Exchange Online without automatic root updates "
		    "must add that root, or mail to Exchange Online stops. hybridtls checks "
		    "with this machine's store or the --ca-file you gave.",
		.fix =
		    "1. If the host is your on-premises server and its root is a private or "
		    "internal CA: replace the certificate with one from a public CA, import "
		    "it on every Exchange server, bind it with `Enable-ExchangeCertificate "
		    "-Thumbprint <thumbprint> -Services SMTP` and name it on the connectors "
		    "(`Set-ReceiveConnector \"<SERVER>\\Default Frontend <SERVER>\" "
		    "-TlsCertificateName $n`, `Set-SendConnector \"Outbound to Office 365 - "
		    "<guid>\" -TlsCertificateName $n`, with `$c = Get-ExchangeCertificate "
		    "-Thumbprint <thumbprint>; $n = \"<I>$($c.Issuer)<S>$($c.Subject)\"`), or "
		    "re-run the Hybrid Configuration Wizard.\n"
		    "2. If the root is a public one (or the host is Exchange Online): "
		    "install the latest root certificate updates on the checking side. On "
		    "this machine, update the CA bundle (Debian/Ubuntu: `apt-get update && "
		    "apt-get install ca-certificates`), or point `--ca-file` at a current "
		    "bundle.\n"
		    "3. On Windows Exchange servers, check that automatic root updates work: "
		    "`certutil -verifyctl AuthRoot | findstr /i \"lastsynctime\"` should show "
		    "a recent time. Check for DigiCert Global Root G2: `Get-ChildItem "
		    "Cert:\\LocalMachine\\Root | Where-Object Thumbprint -eq "
		    "'DF3C24F9BFD666761B268073FE06D1CC8D4F82A4'`. If it is missing and root "
		    "updates are disabled by policy, import it and its intermediates from "
		    "Microsoft's published bundle (`Import-Certificate -FilePath <file> "
		    "-CertStoreLocation Cert:\\LocalMachine\\Root` for the root).\n"
		    "4. Gateways, appliances and old Java runtimes that talk to Exchange "
		    "Online need the same root in their own trust stores.\n"
		    "Do not lower the outbound connector's TlsSettings (for example to "
		    "EncryptionOnly) or turn off certificate validation to make the error go "
		    "away: it hides the fault, removes the protection the hybrid connector "
		    "is there to give, and the certificate still needs fixing.",
		.verify =
		    KB_RERUN_SMTP
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Exchange Team Blog (2026-01-28, updated 2026-03-16): Trust DigiCert "
		    "Global Root G2 Certificate Authority to Avoid Exchange Online Email "
		    "Disruption; Microsoft 365 Message Center MC1224565; Microsoft Learn: "
		    "How Exchange Online uses TLS to secure email connections in Office 365; "
		    "Microsoft Learn: Certificate requirements for hybrid deployments "
		    "(Exchange 2013 hybrid documentation, jj156431); Microsoft Learn: NDR "
		    "error code 450 4.4.317 \"Cannot connect to remote server "
		    "[Message=UntrustedRoot]\"",
	},
	{
		.id = "tls.cert-untrusted",
		.sev = SEV_FAILURE,
		.title =
		    "The certificate failed verification",
		.explanation =
		    "The chain could not be verified for a reason other than expiry, name, "
		    "self-signing or a missing intermediate or root; the summary gives the "
		    "verification error as OpenSSL reports it (for example an unsuitable "
		    "certificate purpose, an invalid CA certificate or a bad signature). "
		    "hybridtls went on past this certificate only to record the facts; a "
		    "sender that validates certificates (Exchange Online through the hybrid "
		    "outbound connector, or Exchange with TlsAuthLevel DomainValidation on "
		    "its Send connector) stops at this point and delivers nothing. Exchange "
		    "Online will reject the certificate too, so mail to on-premises fails "
		    "with a certificate validation error; if the host is Exchange Online "
		    "itself, a device in the path is probably intercepting TLS.",
		.fix =
		    "1. Read the error in the summary. 'unsupported certificate purpose' "
		    "means the certificate lacks the Server Authentication extended key "
		    "usage: get a TLS server certificate from a public CA.\n"
		    "2. Check the certificate on Windows with `certutil -verify -urlfetch "
		    "<certificate file>`, which reports chain and revocation problems.\n"
		    "3. Replace the certificate if it is faulty, import it with its full "
		    "chain on every Exchange server, bind it with "
		    "`Enable-ExchangeCertificate -Thumbprint <thumbprint> -Services SMTP` "
		    "and name it on the connectors (`Set-ReceiveConnector \"<SERVER>\\Default "
		    "Frontend <SERVER>\" -TlsCertificateName $n`, `Set-SendConnector "
		    "\"Outbound to Office 365 - <guid>\" -TlsCertificateName $n`, with `$c = "
		    "Get-ExchangeCertificate -Thumbprint <thumbprint>; $n = "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"`), or re-run the Hybrid Configuration "
		    "Wizard.\n"
		    "Do not lower the outbound connector's TlsSettings (for example to "
		    "EncryptionOnly) or turn off certificate validation to make the error go "
		    "away: it hides the fault, removes the protection the hybrid connector "
		    "is there to give, and the certificate still needs fixing.",
		.verify =
		    KB_RERUN_SMTP
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: Certificate requirements for hybrid deployments "
		    "(Exchange 2013 hybrid documentation, jj156431); Microsoft Learn: How "
		    "Exchange Online uses TLS to secure email connections in Office 365; "
		    "Microsoft Learn: NDR error code 450 4.4.317 \"Cannot connect to remote "
		    "server [Message=UntrustedRoot]\"",
	},
	{
		.id = "tls.weak-key",
		.sev = SEV_FAILURE,
		.title =
		    "The certificate's key is too small",
		.explanation =
		    "The server's certificate has a small public key (the summary gives type "
		    "and size): RSA below 2048 bits or an elliptic-curve key below 224 bits. "
		    "Keys this small no longer give adequate protection, public CAs stopped "
		    "issuing them years ago, and many TLS stacks refuse them at their "
		    "default settings (OpenSSL at security level 2, the Debian default, "
		    "rejects RSA keys under 2048 bits). Microsoft does not publish Exchange "
		    "Online's exact minimum, but its own certificate uses a 2048-bit key. "
		    "hybridtls went on past this certificate only to record the facts; a "
		    "sender that validates certificates (Exchange Online through the hybrid "
		    "outbound connector, or Exchange with TlsAuthLevel DomainValidation on "
		    "its Send connector) stops at this point and delivers nothing.",
		.fix =
		    "1. Get a certificate from a public CA whose subject or SAN contains the "
		    "name Exchange Online checks (the TlsDomain of the outbound connector, "
		    "for example mail.contoso.com), with a key of at least 2048 bits and a "
		    "SHA-256 signature. Create the request in the Exchange admin center "
		    "(Servers > Certificates) or with `New-ExchangeCertificate "
		    "-GenerateRequest -SubjectName \"CN=mail.contoso.com\" -DomainName "
		    "mail.contoso.com,autodiscover.contoso.com -KeySize 2048 "
		    "-PrivateKeyExportable $true`, save the request text it returns to a "
		    "file and send it to the CA.\n"
		    "2. Complete the request on the server that made it "
		    "(`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.cer'))`), "
		    "export it with its private key as a PFX (Exchange admin center, or "
		    "`Export-ExchangeCertificate -BinaryEncoded`), and import that PFX, with "
		    "the full chain, on every other Exchange server that sends to or "
		    "receives from Exchange Online (and every Edge server, if you use Edge): "
		    "`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.pfx')) "
		    "-Password (Get-Credential).Password`.\n"
		    "3. Bind it to SMTP on each server: `Enable-ExchangeCertificate -Server "
		    "<SERVER> -Thumbprint <new thumbprint> -Services SMTP` (use `-Services "
		    "IIS,SMTP` if it also serves the other hybrid features), then check with "
		    "`Get-ExchangeCertificate -Server <SERVER> | fl "
		    "Thumbprint,Subject,CertificateDomains,Services,NotAfter`.\n"
		    "4. Build the connector value from the certificate: `$c = "
		    "Get-ExchangeCertificate -Thumbprint <thumbprint>; $n = "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"`. Then run `Set-SendConnector "
		    "\"Outbound to Office 365 - <guid>\" -TlsCertificateName $n` and, for "
		    "every receiving server, `Set-ReceiveConnector \"<SERVER>\\Default "
		    "Frontend <SERVER>\" -TlsCertificateName $n`. Re-running the Hybrid "
		    "Configuration Wizard and choosing the new certificate on its transport "
		    "certificate page does the same.\n"
		    "5. If the new certificate's subject or SAN name differs from the old "
		    "one, Exchange Online must learn it too: `Set-InboundConnector \"Inbound "
		    "from <guid>\" -TlsSenderCertificateName mail.contoso.com` and "
		    "`Set-OutboundConnector \"Outbound to <guid>\" -TlsDomain "
		    "mail.contoso.com` in Exchange Online PowerShell (the wizard does this "
		    "when re-run); otherwise the inbound connector no longer recognises your "
		    "servers.\n"
		    "6. Remove the old certificate only after no connector refers to it: "
		    "`Remove-ExchangeCertificate -Server <SERVER> -Thumbprint <old "
		    "thumbprint>` (Exchange refuses while a Send connector still names it).\n"
		    "Renewing with the same key does not help: create a new request (a new "
		    "key) of at least 2048 bits.",
		.verify =
		    KB_RERUN_SMTP
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: How Exchange Online uses TLS to secure email "
		    "connections in Office 365; Microsoft Learn: Certificate requirements "
		    "for hybrid deployments (Exchange 2013 hybrid documentation, jj156431)",
	},
	{
		.id = "tls.weak-signature",
		.sev = SEV_FAILURE,
		.title =
		    "A certificate in the chain is signed with SHA-1 or MD5",
		.explanation =
		    "The server's certificate or an intermediate (the summary names which) "
		    "is signed with SHA-1 or MD5. Exchange Online has not accepted SHA-1 "
		    "certificates, inbound or outbound, since 2016 and expects SHA-2 or "
		    "stronger throughout the chain; MD5 was broken long before that. "
		    "hybridtls went on past this certificate only to record the facts; a "
		    "sender that validates certificates (Exchange Online through the hybrid "
		    "outbound connector, or Exchange with TlsAuthLevel DomainValidation on "
		    "its Send connector) stops at this point and delivers nothing. The "
		    "self-signature of a root certificate does not count, because a root is "
		    "trusted as it stands.",
		.fix =
		    "If the server certificate itself is signed with SHA-1 or MD5, replace "
		    "it with a SHA-256 certificate (steps 1 to 6); if only an intermediate "
		    "is, step 7 is enough.\n"
		    "1. Get a certificate from a public CA whose subject or SAN contains the "
		    "name Exchange Online checks (the TlsDomain of the outbound connector, "
		    "for example mail.contoso.com), with a key of at least 2048 bits and a "
		    "SHA-256 signature. Create the request in the Exchange admin center "
		    "(Servers > Certificates) or with `New-ExchangeCertificate "
		    "-GenerateRequest -SubjectName \"CN=mail.contoso.com\" -DomainName "
		    "mail.contoso.com,autodiscover.contoso.com -KeySize 2048 "
		    "-PrivateKeyExportable $true`, save the request text it returns to a "
		    "file and send it to the CA.\n"
		    "2. Complete the request on the server that made it "
		    "(`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.cer'))`), "
		    "export it with its private key as a PFX (Exchange admin center, or "
		    "`Export-ExchangeCertificate -BinaryEncoded`), and import that PFX, with "
		    "the full chain, on every other Exchange server that sends to or "
		    "receives from Exchange Online (and every Edge server, if you use Edge): "
		    "`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.pfx')) "
		    "-Password (Get-Credential).Password`.\n"
		    "3. Bind it to SMTP on each server: `Enable-ExchangeCertificate -Server "
		    "<SERVER> -Thumbprint <new thumbprint> -Services SMTP` (use `-Services "
		    "IIS,SMTP` if it also serves the other hybrid features), then check with "
		    "`Get-ExchangeCertificate -Server <SERVER> | fl "
		    "Thumbprint,Subject,CertificateDomains,Services,NotAfter`.\n"
		    "4. Build the connector value from the certificate: `$c = "
		    "Get-ExchangeCertificate -Thumbprint <thumbprint>; $n = "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"`. Then run `Set-SendConnector "
		    "\"Outbound to Office 365 - <guid>\" -TlsCertificateName $n` and, for "
		    "every receiving server, `Set-ReceiveConnector \"<SERVER>\\Default "
		    "Frontend <SERVER>\" -TlsCertificateName $n`. Re-running the Hybrid "
		    "Configuration Wizard and choosing the new certificate on its transport "
		    "certificate page does the same.\n"
		    "5. If the new certificate's subject or SAN name differs from the old "
		    "one, Exchange Online must learn it too: `Set-InboundConnector \"Inbound "
		    "from <guid>\" -TlsSenderCertificateName mail.contoso.com` and "
		    "`Set-OutboundConnector \"Outbound to <guid>\" -TlsDomain "
		    "mail.contoso.com` in Exchange Online PowerShell (the wizard does this "
		    "when re-run); otherwise the inbound connector no longer recognises your "
		    "servers.\n"
		    "6. Remove the old certificate only after no connector refers to it: "
		    "`Remove-ExchangeCertificate -Server <SERVER> -Thumbprint <old "
		    "thumbprint>` (Exchange refuses while a Send connector still names it).\n"
		    "7. If only an intermediate is SHA-1, install the CA's current SHA-2 "
		    "intermediate in the Intermediate Certification Authorities store of "
		    "every Exchange server (`Import-Certificate -FilePath <file> "
		    "-CertStoreLocation Cert:\\LocalMachine\\CA`), remove the old one, and "
		    "restart transport: `Restart-Service MSExchangeTransport, "
		    "MSExchangeFrontEndTransport`; steps 1 to 6 are then not needed.",
		.verify =
		    KB_RERUN_SMTP
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: Technical reference details about encryption "
		    "(Microsoft 365); Microsoft Learn: Certificate requirements for hybrid "
		    "deployments (Exchange 2013 hybrid documentation, jj156431)",
	},
	{
		.id = "dns.servfail",
		.sev = SEV_UNTESTED,
		.title =
		    "The DNS server answered SERVFAIL, so this record could not be checked",
		.explanation =
		    "The resolver reported a server failure for the query in the summary: "
		    "it tried and could not get a trustworthy answer. When other domains "
		    "resolve fine, this almost always means a DNSSEC validation failure (a "
		    "DS record at the registrar that no longer matches the zone's keys, or "
		    "expired signatures) or a broken delegation (name servers at the "
		    "registrar that do not answer for the zone). Every validating resolver "
		    "fails the same way, Exchange Online's included: it cannot look the "
		    "record up either and defers mail (for example 450 4.4.312 DNS query "
		    "failed for an on-premises smart host), and inbound DANE breaks "
		    "completely.",
		.fix =
		    "1. Compare a public resolver with yours: `Resolve-DnsName contoso.com "
		    "-Type MX -Server 8.8.8.8`. If only your own resolver fails, fix it or "
		    "re-run with `--resolver IP`.\n2. Check DNSSEC: `dig +cd contoso.com MX "
		    "@8.8.8.8` (checking disabled) answers while the query without +cd "
		    "fails when validation is the problem. Make the DS record at the "
		    "registrar match the zone's current key, or remove the DS if the zone "
		    "is no longer signed, and let the DNS host re-sign the zone; "
		    "https://dnsviz.net shows where the chain of trust breaks.\n3. Check "
		    "the delegation: the name servers at the registrar and the NS records "
		    "in the zone must agree, and each must answer for the zone "
		    "(`Resolve-DnsName contoso.com -Type SOA -Server <each name server>`).",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is gone "
		    "and the record's own finding has taken its place. `Resolve-DnsName "
		    "<name> -Type <type> -Server 8.8.8.8` answers without an error.",
		.refs =
		    "RFC 1035 section 4.1.1 (RCODE 2); RFC 4035 section 5.5 (bogus "
		    "answers); Microsoft Learn: Mail flow insights (450 4.4.312 DNS query "
		    "failed)",
	},
	{
		.id = "dns.refused",
		.sev = SEV_UNTESTED,
		.title =
		    "The DNS server refused the query, so this record could not be checked",
		.explanation =
		    "The resolver answered REFUSED: it will not answer this client for this "
		    "name. That is a policy of the server asked, not a fact about the "
		    "domain: typically an internal DNS server that allows recursion only "
		    "for some networks, a firewall's DNS proxy, or an authoritative-only "
		    "server given as the resolver (it answers only for its own zones). "
		    "Nothing is known about the record until a resolver that serves this "
		    "machine answers.",
		.fix =
		    "1. Re-run with a resolver that answers this machine: `--resolver IP` "
		    "with your internal recursive DNS server or a public one.\n2. If this "
		    "is your own resolver, allow recursion for the network this machine is "
		    "in (Windows DNS: the server's Advanced properties and any recursion "
		    "scopes; BIND: `allow-recursion`).\n3. If the name is in your own zone "
		    "and the refusal comes from its authoritative servers, check that each "
		    "name server listed in the delegation really serves the zone "
		    "(`Resolve-DnsName contoso.com -Type SOA -Server <each name server>`).",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is "
		    "gone. `Resolve-DnsName <name> -Type <type> -Server <resolver>` answers "
		    "without \"Query refused\".",
		.refs =
		    "RFC 1035 section 4.1.1 (RCODE 5)",
	},
	{
		.id = "dns.timeout",
		.sev = SEV_UNTESTED,
		.title =
		    "The DNS server did not answer in time, so this record could not be "
		    "checked",
		.explanation =
		    "No answer came back for the query in the summary before the deadline, "
		    "after the retries. Either the resolver is unreachable or slow from "
		    "this machine (a firewall that blocks DNS on UDP or TCP 53, a resolver "
		    "that is down), or the domain's own name servers do not answer, in "
		    "which case senders on the internet, Exchange Online among them, time "
		    "out on it too and defer mail.",
		.fix =
		    "1. Check that this machine reaches its resolver: `Resolve-DnsName "
		    "microsoft.com -Server <resolver>`. Allow UDP and TCP 53 to it if a "
		    "firewall blocks them, or re-run with `--resolver IP`.\n2. If only this "
		    "domain times out, ask each of its name servers directly: "
		    "`Resolve-DnsName contoso.com -Type SOA -Server <each name server>`; a "
		    "name server that does not answer must be fixed at the DNS host or "
		    "removed from the delegation at the registrar.\n3. On a slow link, "
		    "re-run with a longer `--timeout`.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is gone "
		    "and the record's own finding has taken its place.",
		.refs =
		    "RFC 1035 section 4.2.1; RFC 7766 (DNS over TCP)",
	},
	{
		.id = "dns.lookup-failed",
		.sev = SEV_UNTESTED,
		.title =
		    "A DNS query failed, so this record could not be checked",
		.explanation =
		    "The resolver answered SERVFAIL or REFUSED, or gave no answer before the "
		    "deadline, for the query the summary names, so hybridtls cannot tell "
		    "whether the record exists or what it holds; the findings that depend on "
		    "it are missing. SERVFAIL for one domain while others resolve usually "
		    "means a DNSSEC validation failure (a DS record at the registrar that no "
		    "longer matches the zone's keys, or expired signatures) or a broken "
		    "delegation (name servers at the registrar that do not answer for the "
		    "zone). REFUSED means the resolver will not answer this client, "
		    "typically an internal DNS server that allows recursion only for some "
		    "networks, or an authoritative-only server given as resolver. If public "
		    "resolvers fail the same way, sending servers cannot look the record up "
		    "either, Exchange Online among them: it defers mail, for example with "
		    "450 4.4.312 DNS query failed when it cannot resolve the on-premises "
		    "smart host. A refused connection means nothing would take the query on "
		    "the resolver's port 53, over UDP or over TCP: an answer too large for "
		    "UDP comes back truncated and must be fetched again over TCP, so a "
		    "resolver or firewall that blocks TCP 53 breaks exactly the large "
		    "answers (long TXT and SPF sets).",
		.fix =
		    "1. Compare a public resolver with the one you use, for the name and "
		    "type in the summary: `Resolve-DnsName contoso.com -Type MX -Server "
		    "8.8.8.8` and the same query with `-Server <internal DNS server>`. If "
		    "only the internal one fails, fix it, or re-run hybridtls with "
		    "`--resolver IP` pointing at a resolver that answers.\n"
		    "2. If public resolvers answer SERVFAIL as well, check DNSSEC: the query "
		    "succeeds with checking disabled (`dig +cd contoso.com MX @8.8.8.8`) but "
		    "fails without it when validation is the problem. Make the DS record at "
		    "the registrar match the zone's current key (or remove the DS if the "
		    "zone is no longer signed) and let the DNS host re-sign the zone; "
		    "https://dnsviz.net shows where the chain of trust breaks.\n"
		    "3. Check the delegation: the name servers listed at the registrar and "
		    "those in the zone (`Resolve-DnsName contoso.com -Type NS -Server "
		    "8.8.8.8`) must agree, and each must answer for the zone "
		    "(`Resolve-DnsName contoso.com -Type SOA -Server <each name server>`).\n"
		    "4. A timeout can also be a firewall that blocks DNS (UDP and TCP 53) "
		    "from this machine, or a slow resolver: retry with a longer `--timeout`.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is gone. "
		    "The record's own finding takes its place.\n"
		    "`Resolve-DnsName <name> -Type <type> -Server 8.8.8.8` answers without "
		    "error from outside your network as well.",
		.refs =
		    "RFC 1035 (DNS); RFC 4035 (DNSSEC protocol modifications); Microsoft "
		    "Learn: Mail flow intelligence (connectors-mail-flow-intelligence); "
		    "DNSViz (dnsviz.net)",
	},
	{
		.id = "dns.mx-eop",
		.sev = SEV_OK,
		.title =
		    "The MX record points to Exchange Online Protection",
		.explanation =
		    "The domain's MX points to Exchange Online Protection, in the classic "
		    "form contoso-com.mail.protection.outlook.com or in the DNSSEC-signed "
		    "form contoso-com.<c>-v1.mx.microsoft that "
		    "Enable-DnssecForVerifiedDomain hands out. Internet mail then reaches "
		    "Exchange Online first and is filtered there; mail for mailboxes still "
		    "on-premises continues through the hybrid outbound connector, which "
		    "works as long as the accepted domain is Internal Relay in Exchange "
		    "Online. This is the layout Microsoft recommends for hybrid, and the one "
		    "in which Directory-Based Edge Blocking and the anti-spam signals work "
		    "best.",
		.fix =
		    "Nothing to fix. Keep the value exactly as the Microsoft 365 admin "
		    "center shows it (Settings > Domains > contoso.com > DNS records).",
		.verify =
		    "Nothing to verify. While mailboxes remain on-premises, "
		    "`Get-AcceptedDomain | fl DomainName,DomainType` in Exchange Online "
		    "PowerShell shows InternalRelay for the shared domain.",
		.refs =
		    "Microsoft Learn: Add DNS records to connect your domain "
		    "(create-dns-records-at-any-dns-hosting-provider); Microsoft Learn: "
		    "External Domain Name System records for Microsoft 365; Microsoft Learn: "
		    "How SMTP DANE works (how-smtp-dane-works)",
	},
	{
		.id = "dns.mx-elsewhere",
		.sev = SEV_INFO,
		.title =
		    "The MX record points somewhere other than Exchange Online Protection",
		.explanation =
		    "Internet mail for the domain does not reach Exchange Online first: the "
		    "MX points to the host the summary names, typically on-premises Exchange "
		    "(common early in a hybrid deployment) or a third-party filtering "
		    "service. That is legitimate, but Exchange Online then receives internet "
		    "mail second-hand and sees the address of the on-premises server or the "
		    "service instead of the original sender, so SPF, DMARC and IP reputation "
		    "judge the wrong hop unless it is told to look further back. Mail for "
		    "cloud mailboxes arrives through the hybrid connector (from on-premises) "
		    "or through a connector for the service, and Directory-Based Edge "
		    "Blocking does not apply.",
		.fix =
		    "1. Make sure the path is intended. If all mailboxes are in Exchange "
		    "Online, or the filtering service is gone, point the MX at Exchange "
		    "Online Protection at the DNS host of contoso.com: `contoso.com MX 0 "
		    "contoso-com.mail.protection.outlook.com` (take the exact value from "
		    "Settings > Domains in the Microsoft 365 admin center).\n"
		    "2. Third-party filtering service: create a Partner inbound connector "
		    "for it in Exchange Online (Exchange admin center > Mail flow > "
		    "Connectors, from Partner organization to Office 365; or "
		    "`New-InboundConnector -Name \"From filtering service\" -ConnectorType "
		    "Partner -SenderDomains * -SenderIPAddresses <the service's sending "
		    "ranges> -RequireTls $true`).\n"
		    "3. Turn on Enhanced Filtering for Connectors on the connector that "
		    "carries this mail (the Partner connector, or the hybrid `Inbound from "
		    "<guid>` when the MX is on-premises), so Exchange Online evaluates the "
		    "original sender: Microsoft Defender portal > Email & collaboration > "
		    "Policies & rules > Threat policies > Enhanced filtering, or "
		    "`Set-InboundConnector \"<name>\" -EFSkipLastIP $true` (skip only the "
		    "last hop) or `-EFSkipIPs <public IPs of every hop in front>`. "
		    "`-EFUsers` limits it to a few test recipients first.\n"
		    "4. With the MX on-premises, the hybrid connectors must work in both "
		    "directions (see the SMTP and TLS findings). If you also use centralized "
		    "mail transport (`Get-OutboundConnector \"Outbound to <guid>\" | fl "
		    "RouteAllMessagesViaOnPremises` is True), the internet mail of cloud "
		    "mailboxes leaves from on-premises too: the on-premises public IPs must "
		    "then be in SPF, on-premises must stay available for all mail, and the "
		    "hybrid inbound connector must recognise the servers by certificate or "
		    "IP, or the relayed mail is handled as anonymous internet mail.",
		.verify =
		    "Re-run `hybridtls dns contoso.com`: the summary names where the MX "
		    "points.\n"
		    "`Get-InboundConnector | fl "
		    "Name,ConnectorType,EFSkipIPs,EFSkipLastIP,EFUsers` shows Enhanced "
		    "Filtering on the connector, and messages from outside carry an "
		    "X-MS-Exchange-SkipListedInternetSender header naming the original "
		    "sender's IP.",
		.refs =
		    "Microsoft Learn: Enhanced Filtering for Connectors in Exchange Online; "
		    "Microsoft Learn: Set-InboundConnector (EFSkipIPs, EFSkipLastIP, "
		    "EFUsers); Microsoft Learn: New-OutboundConnector "
		    "(RouteAllMessagesViaOnPremises); Microsoft Learn: Use Directory-Based "
		    "Edge Blocking to reject messages sent to invalid recipients",
	},
	{
		.id = "dns.mx-missing",
		.sev = SEV_FAILURE,
		.title =
		    "The domain has no MX record",
		.explanation =
		    "The MX query returned no record: either the name does not exist at all "
		    "(NXDOMAIN) or it exists without an MX (NODATA). A sending server then "
		    "falls back to the domain's own A or AAAA record, usually a web server "
		    "that does not accept mail, or, without an address either, bounces the "
		    "message as undeliverable; internet mail for the domain reaches neither "
		    "Exchange Online nor on-premises. Mail between on-premises and Exchange "
		    "Online may keep flowing, because the hybrid connectors use the tenant's "
		    "routing domain (contoso.mail.onmicrosoft.com) and the smart host, which "
		    "hides the fault from internal tests.",
		.fix =
		    "1. At the DNS host of contoso.com, publish the MX: `contoso.com MX 0 "
		    "contoso-com.mail.protection.outlook.com` (take the exact value from the "
		    "Microsoft 365 admin center, Settings > Domains > contoso.com > DNS "
		    "records), or the on-premises or filtering host if internet mail must "
		    "arrive there first.\n"
		    "2. NXDOMAIN means the whole name is missing: check that the domain is "
		    "registered and not expired, and that the name servers at the registrar "
		    "are the ones that hold the zone (`Resolve-DnsName contoso.com -Type NS "
		    "-Server 8.8.8.8`).\n"
		    "3. A domain that never receives mail on purpose should publish a null "
		    "MX (`contoso.com MX 0 .`, RFC 7505) instead, and is then not a hybrid "
		    "mail domain.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is gone. "
		    "Resolvers that cached the empty answer keep it for the negative-caching "
		    "time of the zone's SOA record.\n"
		    "`Resolve-DnsName contoso.com -Type MX -Server 8.8.8.8` returns the new "
		    "record, and Settings > Domains in the Microsoft 365 admin center no "
		    "longer reports the MX as missing.",
		.refs =
		    "RFC 5321 (SMTP), section 5.1; RFC 7505 (null MX); RFC 2308 (negative "
		    "caching of DNS queries); Microsoft Learn: Add DNS records to connect "
		    "your domain (create-dns-records-at-any-dns-hosting-provider)",
	},
	{
		.id = "dns.mx-multiple",
		.sev = SEV_INFO,
		.title =
		    "The domain has more than one MX record",
		.explanation =
		    "More than one MX record is published (the summary lists them with their "
		    "preferences). Microsoft's setup for a Microsoft 365 domain asks for a "
		    "single MX to Exchange Online Protection: a second, lower-priority MX (a "
		    "backup at the provider or on-premises) receives mail whenever a sender "
		    "cannot reach the first, and spammers try it on purpose, so that mail "
		    "bypasses Exchange Online's filtering and Directory-Based Edge Blocking. "
		    "Inbound SMTP DANE with DNSSEC in Exchange Online requires that there is "
		    "no backup MX. Two MX records that both point to Exchange Online (the "
		    "mail.protection.outlook.com host and the new mx.microsoft host while "
		    "you switch to DNSSEC) are the expected, short-lived exception.",
		.fix =
		    "1. Decide which host receives internet mail, normally Exchange Online "
		    "Protection: `contoso.com MX 0 contoso-com.mail.protection.outlook.com` "
		    "(exact value from Settings > Domains in the Microsoft 365 admin "
		    "center).\n"
		    "2. Remove the other MX records at the DNS host of contoso.com. A backup "
		    "MX adds no availability: senders queue and retry for days when the MX "
		    "cannot be reached.\n"
		    "3. While moving to the DNSSEC MX, keep the old Exchange Online MX only "
		    "until `Get-DnssecStatusForVerifiedDomain -DomainName contoso.com` "
		    "reports the new one as working, then remove the old one.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is gone; "
		    "`Resolve-DnsName contoso.com -Type MX -Server 8.8.8.8` lists one "
		    "record.",
		.refs =
		    "Microsoft Learn: Add DNS records to connect your domain "
		    "(create-dns-records-at-any-dns-hosting-provider); Microsoft Learn: How "
		    "SMTP DANE works (how-smtp-dane-works); Microsoft Learn: "
		    "Get-DnssecStatusForVerifiedDomain; Exchange Team Blog (2023-09-27, "
		    "updated 2024-07-17): Implementing Inbound SMTP DANE with DNSSEC for "
		    "Exchange Online Mail Flow",
	},
	{
		.id = "dns.mx-legacy",
		.sev = SEV_FAILURE,
		.title =
		    "The MX or a smart host points to a retired Microsoft destination",
		.explanation =
		    "The MX, or the smart host the summary names, is "
		    "mail.messaging.microsoft.com or mail.global.frontbridge.com, "
		    "destinations of Forefront Online Protection for Exchange, which "
		    "Exchange Online Protection replaced. Mail sent there is no longer "
		    "accepted for your tenant: senders get 451 4.4.62 Mail sent to the wrong "
		    "Office 365 region. ATTR35, and the messages wait in their queues until "
		    "they expire. In hybrid the same deferral shows in the on-premises queue "
		    "when a Send connector still uses the old name as its smart host.",
		.fix =
		    "1. At the DNS host of contoso.com, replace the MX with the current "
		    "value and delete the old one: `contoso.com MX 0 "
		    "contoso-com.mail.protection.outlook.com` (exact value from Settings > "
		    "Domains in the Microsoft 365 admin center).\n"
		    "2. On-premises, find Send connectors that still use an old name: "
		    "`Get-SendConnector | fl "
		    "Name,AddressSpaces,SmartHosts,DNSRoutingEnabled`. The hybrid connector "
		    "`Outbound to Office 365 - <guid>` routes by DNS to the address space "
		    "contoso.mail.onmicrosoft.com and needs no smart host; re-running the "
		    "Hybrid Configuration Wizard repairs it. Another connector that must use "
		    "a smart host gets the current one: `Set-SendConnector \"<name>\" "
		    "-SmartHosts contoso-com.mail.protection.outlook.com`.\n"
		    "3. Change devices, applications and gateways that relay to the old "
		    "names as well.\n"
		    "4. If every name is current and ATTR35 remains, the on-premises servers "
		    "are not matched to the hybrid inbound connector in Exchange Online: see "
		    "the connector findings.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is "
		    "gone.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: ATTR35 response code when mail is sent to EOP/EXO "
		    "(wrong-office-365-region-exo); Microsoft Learn: Add DNS records to "
		    "connect your domain (create-dns-records-at-any-dns-hosting-provider); "
		    "Microsoft Learn: Set-SendConnector (SmartHosts, DNSRoutingEnabled)",
	},
	{
		.id = "dns.spf-ok",
		.sev = SEV_OK,
		.title =
		    "One SPF record, including Exchange Online, ending in -all or ~all",
		.explanation =
		    "The domain publishes exactly one SPF record, it includes "
		    "spf.protection.outlook.com (the addresses Exchange Online sends from), "
		    "and it ends in -all or ~all, so receivers can tell mail from Exchange "
		    "Online apart from forgeries. Whether it also covers on-premises servers "
		    "that send straight to the internet is a separate finding "
		    "(dns.spf-ip-authorised or dns.spf-ip-not-authorised).",
		.fix =
		    "Nothing to fix. When you add senders, edit this one record and stay "
		    "within 10 DNS lookups.",
		.verify =
		    "Nothing to verify. A message from Exchange Online to an outside mailbox "
		    "shows `spf=pass` in its Authentication-Results header.",
		.refs =
		    "RFC 7208 (SPF); Microsoft Learn: Set up SPF for your Microsoft 365 "
		    "domain (email-authentication-spf-configure); Microsoft Learn: External "
		    "Domain Name System records for Microsoft 365",
	},
	{
		.id = "dns.spf-missing",
		.sev = SEV_WARNING,
		.title =
		    "The domain publishes no SPF record",
		.explanation =
		    "No TXT record at the domain starts with v=spf1, so receivers get the "
		    "SPF result none for every message from it: they cannot tell mail from "
		    "Exchange Online or your on-premises servers apart from forged mail "
		    "using the domain. Many receivers score such mail down or reject it (the "
		    "large mailbox providers require SPF or DKIM from every sender, and both "
		    "plus DMARC from bulk senders), and DMARC can then pass only through "
		    "DKIM.",
		.fix =
		    "1. At the DNS host of contoso.com, publish one TXT record at the domain "
		    "itself (`@`): `v=spf1 include:spf.protection.outlook.com -all`.\n"
		    "2. In hybrid, add the on-premises servers that send straight to the "
		    "internet, before the `-all`: their public IP (`ip4:203.0.113.7`) or a "
		    "name that resolves to it (`a:mail.contoso.com`), for example `v=spf1 "
		    "ip4:203.0.113.7 include:spf.protection.outlook.com -all`. Mail that "
		    "on-premises relays out through Exchange Online is covered by the "
		    "include.\n"
		    "3. Add every other service that sends as @contoso.com with the include "
		    "its provider documents, staying within 10 DNS lookups. If you are not "
		    "sure all senders are listed, start with `~all` and change to `-all` "
		    "once DMARC reports show none missing.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is gone; "
		    "`Resolve-DnsName contoso.com -Type TXT -Server 8.8.8.8` shows one "
		    "`v=spf1` record.\n"
		    "A message to an outside mailbox shows `spf=pass` in its "
		    "Authentication-Results header.",
		.refs =
		    "RFC 7208 (SPF); Microsoft Learn: Set up SPF for your Microsoft 365 "
		    "domain (email-authentication-spf-configure); Microsoft Learn: Add DNS "
		    "records to connect your domain "
		    "(create-dns-records-at-any-dns-hosting-provider)",
	},
	{
		.id = "dns.spf-multiple",
		.sev = SEV_FAILURE,
		.title =
		    "The domain publishes more than one SPF record",
		.explanation =
		    "Two or more TXT records at the domain start with v=spf1. SPF allows "
		    "exactly one, so every receiver that checks SPF stops with permerror for "
		    "all mail from the domain, whether it comes from Exchange Online, from "
		    "on-premises or from anywhere else, and DMARC counts that as an SPF "
		    "failure. It usually happens when a new service's instructions say to "
		    "add an SPF record and a second one is created instead of merging the "
		    "new term into the first.",
		.fix =
		    "1. List them: `Resolve-DnsName contoso.com -Type TXT -Server 8.8.8.8 | "
		    "where Strings -like 'v=spf1*'`.\n"
		    "2. Merge their terms into one record, with one `v=spf1` at the start "
		    "and one `all` at the end, for example `v=spf1 ip4:203.0.113.7 "
		    "include:spf.protection.outlook.com include:<other service> -all`, and "
		    "delete the others at the DNS host of contoso.com. Other TXT records "
		    "(the MS= verification value, site verification tokens) are not SPF "
		    "records and stay.\n"
		    "3. Keep the merged record within 10 DNS lookups (see "
		    "dns.spf-too-many-lookups).",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is "
		    "gone.\n"
		    "A message to an outside mailbox shows `spf=pass` rather than "
		    "`spf=permerror` in its Authentication-Results header.",
		.refs =
		    "RFC 7208 (SPF), sections 3.2 and 4.5; Microsoft Learn: Set up SPF for "
		    "your Microsoft 365 domain (email-authentication-spf-configure)",
	},
	{
		.id = "dns.spf-syntax",
		.sev = SEV_FAILURE,
		.title =
		    "The SPF record has a syntax error",
		.explanation =
		    "The SPF record cannot be parsed (the summary names the term that breaks "
		    "it), so receivers stop with permerror and treat all mail from the "
		    "domain as failing SPF; under DMARC every message not saved by DKIM then "
		    "fails. Common causes are a misspelt mechanism (`inlcude:`, `ipv4:`), a "
		    "space after the colon (`include: spf.protection.outlook.com`), an "
		    "address or prefix length that is not valid for ip4 or ip6, typographic "
		    "quotes pasted from a document, and a record longer than 255 characters "
		    "that was split into strings so that the joined text lost a space "
		    "(`...outlook.com-all`).",
		.fix =
		    "1. Read the record as receivers see it: `Resolve-DnsName contoso.com "
		    "-Type TXT -Server 8.8.8.8` (the strings of one record are joined with "
		    "nothing in between).\n"
		    "2. Correct it at the DNS host of contoso.com: terms separated by single "
		    "spaces, mechanisms spelt as RFC 7208 defines them (`ip4:`, `ip6:`, `a`, "
		    "`mx`, `include:`, `exists:`, `redirect=`, `all`), for example `v=spf1 "
		    "ip4:203.0.113.7 include:spf.protection.outlook.com -all`.\n"
		    "3. If the record is long, make sure every string but the last ends with "
		    "a space, or shorten it (drop includes of services no longer used, use "
		    "ip4 ranges instead of single addresses).",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is "
		    "gone.\n"
		    "A message to an outside mailbox shows `spf=pass` rather than "
		    "`spf=permerror` in its Authentication-Results header.",
		.refs =
		    "RFC 7208 (SPF), sections 3.3, 4.6 and 12; Microsoft Learn: Set up SPF "
		    "for your Microsoft 365 domain (email-authentication-spf-configure)",
	},
	{
		.id = "dns.spf-no-microsoft",
		.sev = SEV_WARNING,
		.title =
		    "The SPF record does not include Exchange Online",
		.explanation =
		    "The SPF record has no include:spf.protection.outlook.com, so the "
		    "addresses Exchange Online sends from are not authorised: mail that "
		    "cloud mailboxes send to the internet, and mail that on-premises relays "
		    "out through Exchange Online, fails SPF at the receiver, and with DMARC "
		    "at quarantine or reject it is junked or refused unless DKIM passes. In "
		    "hybrid this often goes unnoticed until the first mailboxes move. The "
		    "exception is centralized mail transport or an outbound gateway: when "
		    "all outbound mail leaves through on-premises or a third-party service, "
		    "the addresses of that hop are the ones to authorise.",
		.fix =
		    "1. At the DNS host of contoso.com, add "
		    "`include:spf.protection.outlook.com` to the existing record, before its "
		    "`all`, for example `v=spf1 ip4:203.0.113.7 "
		    "include:spf.protection.outlook.com -all`. Edit the one record; do not "
		    "add a second one.\n"
		    "2. Keep the total within 10 DNS lookups (see "
		    "dns.spf-too-many-lookups).\n"
		    "3. Enable DKIM signing in Exchange Online for the domain as well (see "
		    "the dns.dkim findings), so DMARC passes even where forwarding breaks "
		    "SPF.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is "
		    "gone.\n"
		    "A message from a cloud mailbox to an outside mailbox shows `spf=pass` "
		    "in its Authentication-Results header.",
		.refs =
		    "RFC 7208 (SPF); Microsoft Learn: Set up SPF for your Microsoft 365 "
		    "domain (email-authentication-spf-configure); Microsoft Learn: External "
		    "Domain Name System records for Microsoft 365",
	},
	{
		.id = "dns.spf-plus-all",
		.sev = SEV_FAILURE,
		.title =
		    "The SPF record ends in +all and authorises every server on the internet",
		.explanation =
		    "The record ends in +all (a bare all means the same), so every IP "
		    "address on the internet passes SPF for the domain. SPF then no longer "
		    "tells your mail apart from forgeries, and anyone can send with a MAIL "
		    "FROM in the domain and get an SPF pass that DMARC accepts as aligned. "
		    "Receivers treat such a record as a sign of abuse and may score the "
		    "domain's mail down. It is usually left over from troubleshooting.",
		.fix =
		    "1. At the DNS host of contoso.com, end the record in `-all` (or `~all` "
		    "while you are still finding all your senders): `v=spf1 ip4:203.0.113.7 "
		    "include:spf.protection.outlook.com -all`.\n"
		    "2. Before the change, make sure every legitimate sender is listed: "
		    "Exchange Online (`include:spf.protection.outlook.com`), on-premises "
		    "servers that send straight to the internet (`ip4:`), and the services "
		    "that send as @contoso.com. DMARC aggregate reports (see the dns.dmarc "
		    "findings) show which sources send as the domain.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is "
		    "gone.\n"
		    "Messages from Exchange Online and from on-premises to outside mailboxes "
		    "still show `spf=pass` in their Authentication-Results header.",
		.refs =
		    "RFC 7208 (SPF), sections 4.6.2 and 5.1; Microsoft Learn: Set up SPF for "
		    "your Microsoft 365 domain (email-authentication-spf-configure)",
	},
	{
		.id = "dns.spf-no-all",
		.sev = SEV_WARNING,
		.title =
		    "The SPF record has no all mechanism and no redirect",
		.explanation =
		    "The record neither ends in an all mechanism nor hands over to another "
		    "record with redirect=, so a server it does not list gets the default "
		    "result neutral: SPF says nothing against forged mail sent from any "
		    "other address. Receivers treat neutral like having no policy, and only "
		    "DMARC, which needs a pass, still protects the domain.",
		.fix =
		    "At the DNS host of contoso.com, end the record with `-all` (fail) or "
		    "`~all` (softfail), for example `v=spf1 ip4:203.0.113.7 "
		    "include:spf.protection.outlook.com -all`. Use `~all` first if you are "
		    "not sure every sender is listed, and change to `-all` once DMARC "
		    "reports show none missing.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is gone.",
		.refs =
		    "RFC 7208 (SPF), sections 4.7 and 5.1; Microsoft Learn: Set up SPF for "
		    "your Microsoft 365 domain (email-authentication-spf-configure)",
	},
	{
		.id = "dns.spf-too-many-lookups",
		.sev = SEV_FAILURE,
		.title =
		    "The SPF record needs more than 10 DNS lookups",
		.explanation =
		    "SPF allows at most 10 terms that cause DNS queries (include, a, mx, "
		    "ptr, exists and redirect, counted through every nested include; ip4, "
		    "ip6 and all do not count). This record needs more (the summary gives "
		    "the count), so receivers stop with permerror and treat all mail from "
		    "the domain as failing SPF, including mail from Exchange Online. Records "
		    "reach the limit one service at a time, and the includes of large "
		    "providers themselves contain includes.",
		.fix =
		    "1. List what counts: every include, a, mx, ptr, exists and redirect, in "
		    "the record and in each record it includes.\n"
		    "2. Remove the includes of services that no longer send as @contoso.com, "
		    "replace `a` and `mx` terms by the `ip4:`/`ip6:` addresses of the "
		    "on-premises servers they stand for, and drop `ptr`. Includes of names "
		    "that no longer exist count against a second limit: more than two empty "
		    "answers also give permerror.\n"
		    "3. Move services that send a lot to a subdomain of their own (for "
		    "example news.contoso.com with its own SPF record), so they do not use "
		    "the main record's lookups.\n"
		    "4. Flatten (replace an include by the addresses it currently lists) "
		    "only as a last resort, and only for providers whose addresses you "
		    "track; never flatten `include:spf.protection.outlook.com`, because "
		    "Microsoft changes its ranges.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is "
		    "gone.\n"
		    "A message to an outside mailbox shows `spf=pass` rather than "
		    "`spf=permerror` in its Authentication-Results header.",
		.refs =
		    "RFC 7208 (SPF), section 4.6.4; Microsoft Learn: Set up SPF for your "
		    "Microsoft 365 domain (email-authentication-spf-configure)",
	},
	{
		.id = "dns.spf-ip-authorised",
		.sev = SEV_OK,
		.title =
		    "The SPF record authorises the observed public IP",
		.explanation =
		    "Evaluating the domain's SPF record for the public IP address the server "
		    "saw gives pass, and the summary names the term that matched. Mail that "
		    "on-premises Exchange sends straight to the internet from this address "
		    "therefore passes SPF, provided the Exchange servers really send from it "
		    "(they do when they share the network egress hybridtls ran from).",
		.fix =
		    "Nothing to fix. If the matching term is broad (a whole provider range, "
		    "or an include shared by many customers of a service), consider "
		    "narrowing it to your own addresses.",
		.verify =
		    "Nothing to verify. A message that on-premises sends straight to an "
		    "outside mailbox shows `spf=pass` for this address in its "
		    "Authentication-Results header.",
		.refs =
		    "RFC 7208 (SPF); Microsoft Learn: Set up SPF for your Microsoft 365 "
		    "domain (email-authentication-spf-configure)",
	},
	{
		.id = "dns.spf-ip-not-authorised",
		.sev = SEV_WARNING,
		.title =
		    "The SPF record does not authorise the observed public IP",
		.explanation =
		    "Evaluating the domain's SPF record for the public IP address the server "
		    "saw does not give pass (the summary gives the result). Mail that "
		    "on-premises Exchange sends straight to the internet from this address "
		    "therefore fails SPF, and with DMARC at quarantine or reject it is "
		    "junked or refused unless DKIM passes, and Exchange Server adds no DKIM "
		    "signature by itself. Mail that on-premises relays out through Exchange "
		    "Online is not affected: receivers see Exchange Online's addresses, "
		    "which the include of spf.protection.outlook.com covers.",
		.fix =
		    "1. Confirm that the address is the Exchange servers' own outbound "
		    "address (see smtp.observed-ip) and not only that of the machine that "
		    "ran hybridtls.\n"
		    "2. If on-premises sends straight to the internet, add the address at "
		    "the DNS host of contoso.com, before the `all`: `v=spf1 ip4:203.0.113.7 "
		    "include:spf.protection.outlook.com -all`, or an `a:mail.contoso.com` "
		    "term whose A record holds the address.\n"
		    "3. Or send on-premises internet mail out through Exchange Online, so "
		    "that the include is enough: a Send connector for all domains to the "
		    "tenant's endpoint, with the TLS settings of the hybrid connector: "
		    "`New-SendConnector -Name \"Internet via Exchange Online\" "
		    "-AddressSpaces * -SmartHosts contoso-com.mail.protection.outlook.com "
		    "-DNSRoutingEnabled $false -RequireTLS $true -TlsAuthLevel "
		    "DomainValidation -TlsDomain mail.protection.outlook.com "
		    "-CloudServicesMailEnabled $true -Fqdn mail.contoso.com "
		    "-TlsCertificateName (Get-SendConnector \"Outbound to Office 365 - "
		    "<guid>\").TlsCertificateName`. Exchange Online relays it only if the "
		    "hybrid inbound connector recognises the servers and the certificate "
		    "domain or sender domain is an accepted domain.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that dns.spf-ip-authorised "
		    "replaces this finding.\n"
		    "A message that on-premises sends to an outside mailbox shows `spf=pass` "
		    "in its Authentication-Results header.",
		.refs =
		    "RFC 7208 (SPF); Microsoft Learn: Set up SPF for your Microsoft 365 "
		    "domain (email-authentication-spf-configure); Microsoft Learn: Updated "
		    "requirements for SMTP relay through Exchange Online "
		    "(updated-requirements-smtp-relay); Microsoft Learn: New-SendConnector",
	},
	{
		.id = "dns.autodiscover-onprem",
		.sev = SEV_OK,
		.title =
		    "Autodiscover points to on-premises Exchange",
		.explanation =
		    "autodiscover.contoso.com leads to on-premises Exchange and not to "
		    "autodiscover.outlook.com, which is what a hybrid deployment needs: "
		    "Outlook and mobile clients find their mailbox through it, on-premises "
		    "redirects the clients of moved mailboxes to Exchange Online, and the "
		    "Hybrid Configuration Wizard and Exchange Online's free/busy lookups use "
		    "on-premises Autodiscover too. Microsoft's generic Microsoft 365 DNS "
		    "records for Autodiscover do not apply to hybrid deployments.",
		.fix =
		    "Nothing to fix. Keep autodiscover.contoso.com on the Exchange "
		    "certificate and published through the same firewall or reverse proxy as "
		    "the other Exchange web services.",
		.verify =
		    "Nothing to verify. The Microsoft Remote Connectivity Analyzer "
		    "(https://testconnectivity.microsoft.com, Outlook Autodiscover test) "
		    "succeeds for an on-premises mailbox and for a moved one.",
		.refs =
		    "Microsoft Learn: External Domain Name System records for Microsoft 365; "
		    "Microsoft Learn: Add DNS records to connect your domain "
		    "(create-dns-records-at-any-dns-hosting-provider); Microsoft Learn: "
		    "Autodiscover service in Exchange Server",
	},
	{
		.id = "dns.autodiscover-cloud",
		.sev = SEV_WARNING,
		.title =
		    "Autodiscover points to Exchange Online while mailboxes may remain "
		    "on-premises",
		.explanation =
		    "autodiscover.contoso.com is a CNAME to autodiscover.outlook.com, the "
		    "record Microsoft gives for domains whose mailboxes are all in Exchange "
		    "Online; that is right once every mailbox has moved and on-premises "
		    "Exchange is being retired. In a hybrid deployment with mailboxes still "
		    "on-premises, their Outlook and mobile clients are sent to Exchange "
		    "Online, which does not hold them: profiles cannot be created or "
		    "repaired outside the corporate network, and what relies on on-premises "
		    "Autodiscover (free/busy from the cloud, the Hybrid Configuration "
		    "Wizard's federation checks) breaks. Domain-joined Outlook inside the "
		    "network may keep working, because it asks Active Directory (the SCP) "
		    "before DNS, which hides the fault.",
		.fix =
		    "1. While mailboxes remain on-premises, point the name back to "
		    "on-premises at the DNS host of contoso.com: `autodiscover.contoso.com "
		    "CNAME mail.contoso.com` (your on-premises Exchange host name) or an A "
		    "record with its public IP, and keep autodiscover.contoso.com on the "
		    "Exchange certificate.\n"
		    "2. Check what on-premises gives clients inside the network: "
		    "`Get-ClientAccessService | fl Name,AutoDiscoverServiceInternalUri`.\n"
		    "3. Point Autodiscover to `autodiscover.outlook.com` only when all "
		    "mailboxes have moved (`Get-Mailbox -ResultSize Unlimited` on-premises "
		    "returns no user mailboxes), as part of retiring on-premises Exchange.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that "
		    "dns.autodiscover-onprem replaces this finding.\n"
		    "The Microsoft Remote Connectivity Analyzer "
		    "(https://testconnectivity.microsoft.com, Outlook Autodiscover test) "
		    "succeeds for an on-premises mailbox from outside the network; in "
		    "Outlook, Ctrl+right-click the tray icon > Test E-mail AutoConfiguration "
		    "shows where Autodiscover was found.",
		.refs =
		    "Microsoft Learn: External Domain Name System records for Microsoft 365; "
		    "Microsoft Learn: Add DNS records to connect your domain "
		    "(create-dns-records-at-any-dns-hosting-provider); Microsoft Learn: "
		    "Autodiscover service in Exchange Server",
	},
	{
		.id = "dns.autodiscover-missing",
		.sev = SEV_WARNING,
		.title =
		    "The domain has no Autodiscover record",
		.explanation =
		    "autodiscover.contoso.com does not resolve, so Outlook and mobile "
		    "clients outside the network cannot find mailboxes from the e-mail "
		    "address alone: profiles fail or must be set up by hand. In hybrid, "
		    "on-premises Autodiscover is also what redirects the clients of moved "
		    "mailboxes to Exchange Online, and what the Hybrid Configuration Wizard "
		    "and Exchange Online use to read federation information and reach "
		    "on-premises for free/busy; without it the wizard can fail with "
		    "Federation information could not be received from the external "
		    "organization.",
		.fix =
		    "1. At the DNS host of contoso.com, publish `autodiscover.contoso.com "
		    "CNAME mail.contoso.com` (your on-premises Exchange host name), or an A "
		    "record with the public IP that publishes the Exchange web services.\n"
		    "2. Make sure autodiscover.contoso.com is on the certificate bound to "
		    "IIS on the Exchange servers (`Get-ExchangeCertificate | fl "
		    "Thumbprint,CertificateDomains,Services`) and that the firewall or "
		    "reverse proxy publishes `/autodiscover` on TCP 443.\n"
		    "3. Only if every mailbox is in Exchange Online and on-premises Exchange "
		    "is being retired, publish `autodiscover.contoso.com CNAME "
		    "autodiscover.outlook.com` instead.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that "
		    "dns.autodiscover-onprem replaces this finding.\n"
		    "The Microsoft Remote Connectivity Analyzer "
		    "(https://testconnectivity.microsoft.com, Outlook Autodiscover test) "
		    "succeeds from outside the network.",
		.refs =
		    "Microsoft Learn: External Domain Name System records for Microsoft 365; "
		    "Microsoft Learn: Add DNS records to connect your domain "
		    "(create-dns-records-at-any-dns-hosting-provider); Microsoft Learn: "
		    "Autodiscover service in Exchange Server",
	},
	{
		.id = "dns.dkim-ok",
		.sev = SEV_OK,
		.title =
		    "The DKIM selectors point to Microsoft 365",
		.explanation =
		    "selector1._domainkey.contoso.com and selector2._domainkey.contoso.com "
		    "are CNAMEs to the Microsoft 365 targets, in the classic form "
		    "selector1-contoso-com._domainkey.<initial domain>.onmicrosoft.com or "
		    "the newer form "
		    "selector1-contoso-com._domainkey.<prefix>.<c>-v1.dkim.mail.microsoft. "
		    "Microsoft holds the keys behind them and rotates them, and once signing "
		    "is enabled for the domain, mail that Exchange Online sends carries a "
		    "DKIM signature with d=contoso.com, which DMARC accepts as aligned. The "
		    "records alone sign nothing: signing must also be enabled in Exchange "
		    "Online.",
		.fix =
		    "Nothing to fix in DNS. Check that signing is enabled: "
		    "`Get-DkimSigningConfig -Identity contoso.com | fl "
		    "Enabled,Status,Selector1CNAME,Selector2CNAME` must show Enabled True "
		    "and the same targets as the published CNAMEs; if Enabled is False, run "
		    "`Set-DkimSigningConfig -Identity contoso.com -Enabled $true`.",
		.verify =
		    "Nothing to verify. A message from Exchange Online to an outside mailbox "
		    "shows `dkim=pass header.d=contoso.com` in its Authentication-Results "
		    "header.",
		.refs =
		    "Microsoft Learn: Set up DKIM to sign mail from your Microsoft 365 "
		    "domain (email-authentication-dkim-configure); Microsoft Learn: "
		    "Get-DkimSigningConfig; RFC 6376 (DKIM)",
	},
	{
		.id = "dns.dkim-missing",
		.sev = SEV_WARNING,
		.title =
		    "The DKIM selector records for Microsoft 365 are missing",
		.explanation =
		    "selector1._domainkey.contoso.com, selector2._domainkey.contoso.com or "
		    "both do not exist, so Exchange Online cannot sign the domain's mail in "
		    "its own name: it signs with the tenant's onmicrosoft.com domain "
		    "instead, which is not aligned with contoso.com for DMARC. DMARC then "
		    "rests on SPF alone, which breaks when mail is forwarded, and receivers "
		    "that require DKIM treat the mail as less trustworthy. Both CNAMEs are "
		    "needed, because Microsoft switches between the two selectors when it "
		    "rotates keys.",
		.fix =
		    "1. Read the exact targets in Exchange Online PowerShell: "
		    "`Get-DkimSigningConfig -Identity contoso.com | fl "
		    "Selector1CNAME,Selector2CNAME` (if the domain has no signing "
		    "configuration yet, `New-DkimSigningConfig -DomainName contoso.com "
		    "-Enabled $false` creates one and shows them). Do not build the targets "
		    "by hand: the newer form "
		    "`selector1-contoso-com._domainkey.<prefix>.<c>-v1.dkim.mail.microsoft` "
		    "contains a partition letter that can differ between domains of the same "
		    "tenant.\n"
		    "2. At the DNS host of contoso.com, publish two CNAME records: "
		    "`selector1._domainkey.contoso.com CNAME <Selector1CNAME>` and "
		    "`selector2._domainkey.contoso.com CNAME <Selector2CNAME>`.\n"
		    "3. Once both resolve, enable signing: `Set-DkimSigningConfig -Identity "
		    "contoso.com -Enabled $true`, or in the Microsoft Defender portal, Email "
		    "& collaboration > Policies & rules > Threat policies > Email "
		    "authentication settings > DKIM, select the domain and turn signing on.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that dns.dkim-ok replaces "
		    "this finding.\n"
		    "`Get-DkimSigningConfig -Identity contoso.com | fl Enabled,Status` shows "
		    "Enabled True and Status Valid. A message from Exchange Online to an "
		    "outside mailbox shows `dkim=pass header.d=contoso.com` in its "
		    "Authentication-Results header.",
		.refs =
		    "Microsoft Learn: Set up DKIM to sign mail from your Microsoft 365 "
		    "domain (email-authentication-dkim-configure); Microsoft Learn: "
		    "New-DkimSigningConfig; Microsoft Learn: Set-DkimSigningConfig; RFC 6376 "
		    "(DKIM)",
	},
	{
		.id = "dns.dkim-elsewhere",
		.sev = SEV_INFO,
		.title =
		    "The DKIM selectors point somewhere other than Microsoft 365",
		.explanation =
		    "selector1._domainkey.contoso.com or selector2._domainkey.contoso.com "
		    "exists but is not a CNAME to Microsoft 365 (the summary shows what it "
		    "is): a TXT record with a key, or a CNAME to another provider. That can "
		    "be intended, for example a DKIM signer on-premises or a third-party "
		    "filtering or mailing service that uses these selector names, but then "
		    "Exchange Online cannot sign with them: enabling DKIM for contoso.com in "
		    "Exchange Online fails until both names point to Microsoft, and mail "
		    "from Exchange Online is signed only with the onmicrosoft.com domain.",
		.fix =
		    "1. Decide which system signs mail for contoso.com. If Exchange Online "
		    "should (the usual choice once mail leaves through Exchange Online), "
		    "replace both records at the DNS host of contoso.com with the CNAMEs "
		    "that `Get-DkimSigningConfig -Identity contoso.com | fl "
		    "Selector1CNAME,Selector2CNAME` shows, then run `Set-DkimSigningConfig "
		    "-Identity contoso.com -Enabled $true`.\n"
		    "2. If the other signer stays, give it selector names of its own (most "
		    "let you choose), so that selector1 and selector2 are free for Microsoft "
		    "365, or make sure all outbound mail passes through that signer.\n"
		    "3. Before you replace a record, check that nothing still signs with it: "
		    "the s= value of the DKIM-Signature header of recent outbound mail shows "
		    "which selectors are in use.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check the summary.\n"
		    "A message from Exchange Online to an outside mailbox shows `dkim=pass "
		    "header.d=contoso.com` in its Authentication-Results header.",
		.refs =
		    "Microsoft Learn: Set up DKIM to sign mail from your Microsoft 365 "
		    "domain (email-authentication-dkim-configure); Microsoft Learn: "
		    "Set-DkimSigningConfig; RFC 6376 (DKIM)",
	},
	{
		.id = "dns.dmarc-ok",
		.sev = SEV_OK,
		.title =
		    "DMARC is published with an enforcing policy",
		.explanation =
		    "_dmarc.contoso.com holds a valid DMARC record with p=quarantine or "
		    "p=reject applied to all mail (pct=100, or no pct), so receivers are "
		    "asked to junk or refuse mail that passes neither aligned SPF nor "
		    "aligned DKIM for the domain. For that to be safe, every legitimate "
		    "source (Exchange Online, on-premises servers that send straight to the "
		    "internet, third-party services) must pass SPF or DKIM with the domain.",
		.fix =
		    "Nothing to fix. Keep reading the aggregate reports (rua), so that a new "
		    "sender is noticed before receivers reject its mail.",
		.verify =
		    "Nothing to verify. Messages to outside mailboxes show `dmarc=pass` in "
		    "their Authentication-Results header.",
		.refs =
		    "RFC 7489 (DMARC); Microsoft Learn: Set up DMARC to validate the From "
		    "address domain (email-authentication-dmarc-configure)",
	},
	{
		.id = "dns.dmarc-missing",
		.sev = SEV_WARNING,
		.title =
		    "The domain publishes no DMARC record",
		.explanation =
		    "There is no TXT record at _dmarc.contoso.com, so receivers have no "
		    "policy from you for mail that fails SPF and DKIM for the domain and no "
		    "address to send reports to: forged mail using @contoso.com is judged by "
		    "each receiver's own rules, and you cannot see who sends as the domain. "
		    "The large mailbox providers require DMARC (at least p=none) from bulk "
		    "senders, and Microsoft recommends it for every domain that sends mail.",
		.fix =
		    "1. At the DNS host of contoso.com, publish a TXT record at "
		    "`_dmarc.contoso.com`: `v=DMARC1; p=none; "
		    "rua=mailto:dmarc-reports@contoso.com` (a mailbox or report service that "
		    "someone reads).\n"
		    "2. Read the aggregate reports for a few weeks: every legitimate source "
		    "(Exchange Online, on-premises servers sending straight to the internet, "
		    "services sending as @contoso.com) must pass SPF or DKIM aligned with "
		    "contoso.com.\n"
		    "3. Then move to `p=quarantine` and finally to `p=reject`.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is gone; "
		    "`Resolve-DnsName _dmarc.contoso.com -Type TXT -Server 8.8.8.8` returns "
		    "the record.\n"
		    "Aggregate reports start arriving at the rua address within a day or "
		    "two.",
		.refs =
		    "RFC 7489 (DMARC); Microsoft Learn: Set up DMARC to validate the From "
		    "address domain (email-authentication-dmarc-configure)",
	},
	{
		.id = "dns.dmarc-invalid",
		.sev = SEV_FAILURE,
		.title =
		    "The DMARC record is not valid",
		.explanation =
		    "The TXT record at _dmarc.contoso.com cannot be used as a DMARC policy "
		    "(the summary says why): it does not start with v=DMARC1, has no valid "
		    "p= tag (none, quarantine or reject), has a malformed tag or report "
		    "address, or there is more than one DMARC record. Receivers then ignore "
		    "it and apply no DMARC policy at all, so the domain has neither the "
		    "protection nor the reports its administrators believe it has.",
		.fix =
		    "1. Read what is published: `Resolve-DnsName _dmarc.contoso.com -Type "
		    "TXT -Server 8.8.8.8`.\n"
		    "2. At the DNS host of contoso.com, keep exactly one record at "
		    "`_dmarc.contoso.com`, starting with `v=DMARC1` followed by the `p=` "
		    "tag, tags separated by semicolons: `v=DMARC1; p=quarantine; "
		    "rua=mailto:dmarc-reports@contoso.com`.\n"
		    "3. A rua or ruf address in another domain only receives reports if that "
		    "domain agrees, with a TXT record `v=DMARC1` at "
		    "`contoso.com._report._dmarc.<other domain>`; report services publish it "
		    "for their customers.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that this finding is "
		    "gone.\n"
		    "Messages to outside mailboxes show `dmarc=pass` in their "
		    "Authentication-Results header, and aggregate reports arrive at the rua "
		    "address.",
		.refs =
		    "RFC 7489 (DMARC), sections 6.3, 6.6.3 and 7.1; Microsoft Learn: Set up "
		    "DMARC to validate the From address domain "
		    "(email-authentication-dmarc-configure)",
	},
	{
		.id = "dns.dmarc-monitor-only",
		.sev = SEV_INFO,
		.title =
		    "DMARC only monitors (p=none, or pct below 100)",
		.explanation =
		    "The DMARC record is valid but does not ask receivers to act on all "
		    "failures: p=none only collects reports, and pct below 100 applies the "
		    "policy to part of the failing mail only. That is the right first step "
		    "while you find every legitimate sender, and it meets the large mailbox "
		    "providers' minimum for bulk senders, but forged mail using @contoso.com "
		    "is still delivered. In hybrid, look in the reports for on-premises "
		    "servers that send straight to the internet: Exchange Server adds no "
		    "DKIM signature by itself, so their mail passes DMARC only through SPF.",
		.fix =
		    "1. Read the aggregate reports (rua) until every legitimate source "
		    "passes SPF or DKIM aligned with contoso.com. For on-premises, authorise "
		    "its public IP in SPF or send its internet mail out through Exchange "
		    "Online, which signs it with DKIM once signing is enabled.\n"
		    "2. Then tighten the record at the DNS host of contoso.com in steps: "
		    "`v=DMARC1; p=quarantine; pct=25; rua=mailto:dmarc-reports@contoso.com`, "
		    "then pct=100 (or no pct), then `p=reject`.",
		.verify =
		    "Re-run `hybridtls dns contoso.com`: dns.dmarc-ok replaces this finding "
		    "once the policy applies to all mail.\n"
		    "The aggregate reports show every legitimate source with DMARC pass.",
		.refs =
		    "RFC 7489 (DMARC); Microsoft Learn: Set up DMARC to validate the From "
		    "address domain (email-authentication-dmarc-configure)",
	},
	{
		.id = "dns.mtasts-present",
		.sev = SEV_INFO,
		.title =
		    "MTA-STS is announced (the policy file itself is not checked)",
		.explanation =
		    "_mta-sts.contoso.com holds a valid v=STSv1 record with an id, which "
		    "tells senders that support MTA-STS (Exchange Online among them) to "
		    "fetch the domain's policy and, in enforce mode, to deliver only over "
		    "TLS with a valid certificate to an MX the policy lists. hybridtls does "
		    "not fetch the policy file at "
		    "https://mta-sts.contoso.com/.well-known/mta-sts.txt, so check it "
		    "separately: if its mx: lines do not cover the MX hosts, or its web "
		    "certificate is not valid, enforcing senders refuse to deliver. For an "
		    "MX at Exchange Online the line is `mx: *.mail.protection.outlook.com`; "
		    "an MX on-premises must be listed by its own name and present a publicly "
		    "trusted certificate for it.",
		.fix =
		    "Nothing to fix in the record. Check the policy:\n"
		    "1. `(Invoke-WebRequest "
		    "https://mta-sts.contoso.com/.well-known/mta-sts.txt).Content` must "
		    "return, over a valid certificate for mta-sts.contoso.com, lines such as "
		    "`version: STSv1`, `mode: enforce` (or `testing` at first), `mx: "
		    "*.mail.protection.outlook.com` and `max_age: 604800`.\n"
		    "2. Every MX host must match an mx: line; a wildcard covers only the "
		    "left-most label.\n"
		    "3. When the MX moves (to the DNSSEC host under mx.microsoft, to "
		    "on-premises, or to a filtering service), add the new host to the policy "
		    "first, then change the id in the TXT record, and only then move the "
		    "MX.\n"
		    "4. Exchange Online cannot host the policy; any web server with a valid "
		    "certificate for mta-sts.contoso.com can.",
		.verify =
		    "Nothing more to verify in DNS. TLS-RPT reports (see the dns.tlsrpt "
		    "findings) show senders' MTA-STS results for the domain day by day.",
		.refs =
		    "RFC 8461 (MTA-STS), sections 3 and 4.1; Microsoft Learn: Enhancing mail "
		    "flow with MTA-STS (enhancing-mail-flow-with-mta-sts); Exchange Team "
		    "Blog (2022-02-02): Introducing MTA-STS for Exchange Online",
	},
	{
		.id = "dns.mtasts-invalid",
		.sev = SEV_FAILURE,
		.title =
		    "The MTA-STS TXT record is malformed",
		.explanation =
		    "The TXT record at _mta-sts.contoso.com is not a valid MTA-STS record "
		    "(the summary says why): it must start with v=STSv1 and carry an id of 1 "
		    "to 32 letters and digits, and there must be only one such record. "
		    "Senders that meet an invalid record, or several, treat the domain as "
		    "having no MTA-STS policy, while senders that cached the policy earlier "
		    "keep enforcing their cached copy until its max_age runs out and never "
		    "notice a change. So the protection is gone for some senders and frozen "
		    "for others, and moving the MX can then fail at the senders that still "
		    "enforce the old policy.",
		.fix =
		    "1. Read what is published: `Resolve-DnsName _mta-sts.contoso.com -Type "
		    "TXT -Server 8.8.8.8`.\n"
		    "2. At the DNS host of contoso.com, keep exactly one record: `v=STSv1; "
		    "id=20250101T000000` (1 to 32 letters and digits, no punctuation; change "
		    "it whenever the policy file changes).\n"
		    "3. To give up MTA-STS, do not just delete the record: publish the "
		    "policy with `mode: none` and a new id, wait until the old max_age has "
		    "passed, then remove both.",
		.verify =
		    "Re-run `hybridtls dns contoso.com`: dns.mtasts-present replaces this "
		    "finding. Then check the policy file as that finding describes.",
		.refs =
		    "RFC 8461 (MTA-STS), sections 3.1 and 8.3; Microsoft Learn: Enhancing "
		    "mail flow with MTA-STS (enhancing-mail-flow-with-mta-sts)",
	},
	{
		.id = "dns.mtasts-missing",
		.sev = SEV_INFO,
		.title =
		    "The domain does not publish MTA-STS",
		.explanation =
		    "There is no TXT record at _mta-sts.contoso.com, so senders use TLS to "
		    "the domain's MX opportunistically: they encrypt when they can, but an "
		    "attacker able to strip STARTTLS or redirect the connection could make "
		    "them deliver in clear text. MTA-STS is optional and has no part in the "
		    "hybrid connectors between on-premises and Exchange Online, which "
		    "require TLS on their own; Exchange Online honours other domains' "
		    "policies when it sends, whether or not you publish one. DANE (TLSA "
		    "records for a DNSSEC-signed MX) is the other way to get this "
		    "protection.",
		.fix =
		    "Optional. To publish MTA-STS:\n"
		    "1. Host the policy at "
		    "`https://mta-sts.contoso.com/.well-known/mta-sts.txt` on a web server "
		    "with a valid certificate for mta-sts.contoso.com (Exchange Online "
		    "cannot host it): `version: STSv1`, `mode: testing`, `mx: "
		    "*.mail.protection.outlook.com` (or your MX hosts), `max_age: 604800`, "
		    "one per line.\n"
		    "2. At the DNS host of contoso.com, publish `_mta-sts.contoso.com TXT "
		    "\"v=STSv1; id=20250101T000000\"`, and a TLS-RPT record to receive "
		    "reports (see dns.tlsrpt-missing).\n"
		    "3. After some weeks of clean reports, change the policy to `mode: "
		    "enforce` and the id to a new value.",
		.verify =
		    "Re-run `hybridtls dns contoso.com`: dns.mtasts-present replaces this "
		    "finding.",
		.refs =
		    "RFC 8461 (MTA-STS); Microsoft Learn: Enhancing mail flow with MTA-STS "
		    "(enhancing-mail-flow-with-mta-sts); RFC 7672 (SMTP DANE)",
	},
	{
		.id = "dns.tlsrpt-ok",
		.sev = SEV_INFO,
		.title =
		    "A TLS-RPT reporting address is published",
		.explanation =
		    "_smtp._tls.contoso.com holds a valid v=TLSRPTv1 record, so senders that "
		    "support TLS reporting (Exchange Online among them) send a daily summary "
		    "of their TLS sessions with your MX, including MTA-STS and DANE "
		    "failures, to the rua address. These reports are the early warning for "
		    "certificate and policy problems on inbound mail.",
		.fix =
		    "Nothing to fix. Make sure someone reads the reports (gzip-compressed "
		    "JSON; a report service can summarise them).",
		.verify =
		    "Nothing to verify. Reports arrive at the rua address about once a day "
		    "from each large sender.",
		.refs =
		    "RFC 8460 (SMTP TLS Reporting)",
	},
	{
		.id = "dns.tlsrpt-invalid",
		.sev = SEV_WARNING,
		.title =
		    "The TLS-RPT record is malformed",
		.explanation =
		    "The TXT record at _smtp._tls.contoso.com is not a valid TLS-RPT record "
		    "(the summary says why): it must start with v=TLSRPTv1 and have a rua= "
		    "with one or more mailto: or https: addresses separated by commas, and "
		    "there must be only one such record. Senders ignore an invalid record, "
		    "so the reports you expect never arrive, and a TLS, MTA-STS or DANE "
		    "failure on your MX goes unnoticed until mail is refused.",
		.fix =
		    "1. Read what is published: `Resolve-DnsName _smtp._tls.contoso.com "
		    "-Type TXT -Server 8.8.8.8`.\n"
		    "2. At the DNS host of contoso.com, keep exactly one record: "
		    "`v=TLSRPTv1; rua=mailto:tlsrpt@contoso.com` (or the `https:` address of "
		    "a report service).",
		.verify =
		    "Re-run `hybridtls dns contoso.com`: dns.tlsrpt-ok replaces this "
		    "finding.",
		.refs =
		    "RFC 8460 (SMTP TLS Reporting), section 3",
	},
	{
		.id = "dns.tlsrpt-missing",
		.sev = SEV_INFO,
		.title =
		    "No TLS-RPT reporting address is published",
		.explanation =
		    "There is no TXT record at _smtp._tls.contoso.com, so senders do not "
		    "report their TLS results with your MX. Nothing breaks because of it, "
		    "but with MTA-STS or DANE in use, failures (an expired certificate on "
		    "the MX, a policy that no longer lists the MX, a TLSA record that no "
		    "longer matches) are then discovered only when mail stops.",
		.fix =
		    "Optional, and recommended together with MTA-STS or DANE: at the DNS "
		    "host of contoso.com, publish `_smtp._tls.contoso.com TXT \"v=TLSRPTv1; "
		    "rua=mailto:tlsrpt@contoso.com\"`, with a mailbox or report service that "
		    "someone reads.",
		.verify =
		    "Re-run `hybridtls dns contoso.com`: dns.tlsrpt-ok replaces this "
		    "finding.",
		.refs =
		    "RFC 8460 (SMTP TLS Reporting)",
	},
	{
		.id = "dns.tlsa-match",
		.sev = SEV_OK,
		.title =
		    "The TLSA record matches the certificate, and the answer is "
		    "DNSSEC-validated",
		.explanation =
		    "A TLSA record at _25._tcp of the MX host matches the certificate the "
		    "SMTP step received, and the resolver marked the answer as "
		    "DNSSEC-validated (AD bit). Senders that use DANE, Exchange Online among "
		    "them, can therefore authenticate the MX and deliver to it only over TLS "
		    "with this certificate or key.",
		.fix =
		    "Nothing to fix. Before renewing or replacing the certificate, publish "
		    "the TLSA record of the new certificate or key next to the current one, "
		    "wait at least twice the record's TTL, and only then switch (see "
		    "dns.tlsa-mismatch). For an MX at Exchange Online, Microsoft publishes "
		    "and rolls these records.",
		.verify =
		    "Nothing to verify.",
		.refs =
		    "RFC 7672 (SMTP DANE); RFC 7671 (DANE updates and operational guidance); "
		    "Microsoft Learn: How SMTP DANE works (how-smtp-dane-works)",
	},
	{
		.id = "dns.tlsa-mismatch",
		.sev = SEV_FAILURE,
		.title =
		    "The TLSA record does not match the MX host's certificate",
		.explanation =
		    "The MX host publishes a DNSSEC-validated TLSA record at _25._tcp, but "
		    "none of its entries matches the certificate or key the server presented "
		    "in the SMTP step. Senders that use DANE treat this as a failed "
		    "authentication and do not deliver: Exchange Online, which has validated "
		    "DANE on outbound mail since 2022, defers with 4.7.323 tlsa-invalid and "
		    "returns 5.7.323 when its retries run out, and other DANE senders hold "
		    "the mail the same way. The usual cause is a certificate renewed with a "
		    "new key before the TLSA record was updated.",
		.fix =
		    "1. Compute the value for the certificate in use (exported as Base-64 "
		    "from Exchange or the certificate store): `openssl x509 -in mail.pem "
		    "-noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst "
		    "-sha256` gives the SHA-256 of the public key for a `3 1 1` record.\n"
		    "2. At the DNS host of the MX host's domain, publish "
		    "`_25._tcp.mail.contoso.com TLSA 3 1 1 <hex value>`; keep the record of "
		    "the previous key only while a server still uses it.\n"
		    "3. For every later renewal, roll TLSA first: publish the new key's "
		    "record next to the current one, wait at least twice the TTL, install "
		    "the certificate, then remove the old record. `3 1 1` records survive "
		    "renewals that keep the key; `2 1 1` records pin the issuing CA "
		    "instead.\n"
		    "4. If the MX is Exchange Online's DNSSEC host under mx.microsoft, "
		    "Microsoft publishes these records: re-test through another resolver, "
		    "and open a support case if the mismatch remains.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that dns.tlsa-match "
		    "replaces this finding.\n"
		    "Message trace in Exchange Online no longer shows 4.7.323 for mail to "
		    "the host.",
		.refs =
		    "RFC 7672 (SMTP DANE); RFC 6698 (TLSA); RFC 7671 (DANE updates and "
		    "operational guidance); Microsoft Learn: How SMTP DANE works "
		    "(how-smtp-dane-works); Microsoft Learn: Email non-delivery reports and "
		    "SMTP errors in Exchange Online",
	},
	{
		.id = "dns.tlsa-insecure",
		.sev = SEV_WARNING,
		.title =
		    "A TLSA record exists, but the answer is not DNSSEC-validated",
		.explanation =
		    "A TLSA record exists at _25._tcp of the MX host, but the resolver did "
		    "not mark the answer as DNSSEC-validated (no AD bit). DANE needs DNSSEC: "
		    "senders ignore TLSA records they cannot validate, so DANE is not in "
		    "effect and the MX is protected by opportunistic TLS only. Either the "
		    "zone is not signed (or its DS record is missing at the registrar), or "
		    "the resolver hybridtls used does not validate DNSSEC, as many internal "
		    "resolvers do not.",
		.fix =
		    "1. Ask a validating resolver: `dig +dnssec _25._tcp.mail.contoso.com "
		    "TLSA @1.1.1.1` shows the `ad` flag when the chain of trust is complete "
		    "(or re-run hybridtls with `--resolver 1.1.1.1`); https://dnsviz.net "
		    "shows where the chain breaks.\n"
		    "2. If the zone is not signed, turn on DNSSEC signing at the DNS host of "
		    "the MX host's domain and publish the DS record it gives you at the "
		    "registrar.\n"
		    "3. If only your own resolver leaves out the AD bit, the records are "
		    "fine and this finding describes that resolver.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that dns.tlsa-match "
		    "replaces this finding.",
		.refs =
		    "RFC 7672 (SMTP DANE); RFC 4035 (DNSSEC protocol modifications); DNSViz "
		    "(dnsviz.net)",
	},
	{
		.id = "dns.tlsa-none",
		.sev = SEV_INFO,
		.title =
		    "No TLSA record: DANE is not used for this MX",
		.explanation =
		    "There is no TLSA record at _25._tcp of the MX host, so DANE is not "
		    "used: senders deliver with opportunistic TLS, or under MTA-STS if the "
		    "domain publishes it. Nothing is wrong because of this. For an MX at "
		    "contoso-com.mail.protection.outlook.com it is expected: inbound DANE in "
		    "Exchange Online needs the DNSSEC-signed MX under mx.microsoft, for "
		    "which Microsoft publishes the TLSA records.",
		.fix =
		    "Optional. For inbound DANE with Exchange Online: sign the contoso.com "
		    "zone at its DNS host (DS at the registrar), run "
		    "`Enable-DnssecForVerifiedDomain -DomainName contoso.com`, publish the "
		    "MX value it returns (DnssecMxValue, contoso-com.<c>-v1.mx.microsoft) "
		    "and, once tested, make it the only MX; then run `Enable-SmtpDaneInbound "
		    "-DomainName contoso.com`. `Get-DnssecStatusForVerifiedDomain "
		    "-DomainName contoso.com` shows the progress. For an MX on-premises, "
		    "publish `_25._tcp.<MX host> TLSA 3 1 1 <SHA-256 of the public key>` in "
		    "a signed zone.",
		.verify =
		    "Re-run `hybridtls dns contoso.com`: dns.tlsa-match replaces this "
		    "finding once DANE is set up.",
		.refs =
		    "RFC 7672 (SMTP DANE); Microsoft Learn: How SMTP DANE works "
		    "(how-smtp-dane-works); Microsoft Learn: Enable-DnssecForVerifiedDomain; "
		    "Microsoft Learn: Enable-SmtpDaneInbound",
	},
	{
		.id = "dns.sip-ok",
		.sev = SEV_INFO,
		.title =
		    "The Skype for Business and Teams records point to Microsoft 365",
		.explanation =
		    "The sip and lyncdiscover CNAMEs point to sipdir.online.lync.com and "
		    "webdir.online.lync.com, and the _sip._tls and _sipfederationtls._tcp "
		    "SRV records to sipdir.online.lync.com:443 and "
		    "sipfed.online.lync.com:5061 (the summary shows what was found). These "
		    "records serve federation and a few legacy clients, not mail: they have "
		    "no effect on mail flow between on-premises Exchange and Exchange "
		    "Online.",
		.fix =
		    "Nothing to fix.",
		.verify =
		    "Nothing to verify.",
		.refs =
		    "Microsoft Learn: External Domain Name System records for Microsoft 365; "
		    "Microsoft Learn: Add DNS records to connect your domain "
		    "(create-dns-records-at-any-dns-hosting-provider)",
	},
	{
		.id = "dns.sip-missing",
		.sev = SEV_INFO,
		.title =
		    "The Skype for Business and Teams records are not published",
		.explanation =
		    "Some or all of the sip and lyncdiscover CNAMEs and the _sip._tls and "
		    "_sipfederationtls._tcp SRV records are missing. They are optional and "
		    "have nothing to do with mail flow: Microsoft lists them for federation "
		    "with other organisations, for legacy Skype for Business Online phones, "
		    "and for some PowerShell cmdlets that still use Skype for Business "
		    "Online infrastructure. A Teams-only tenant that needs none of these "
		    "works without them, so this is not an error.",
		.fix =
		    "Only if you need federation or the legacy cases, publish at the DNS "
		    "host of contoso.com: `sip.contoso.com CNAME sipdir.online.lync.com`, "
		    "`lyncdiscover.contoso.com CNAME webdir.online.lync.com`, "
		    "`_sip._tls.contoso.com SRV 100 1 443 sipdir.online.lync.com` and "
		    "`_sipfederationtls._tcp.contoso.com SRV 100 1 5061 "
		    "sipfed.online.lync.com`. With Skype for Business Server on-premises in "
		    "hybrid, point them to the on-premises Edge instead.",
		.verify =
		    "Re-run `hybridtls dns contoso.com`: dns.sip-ok (or dns.sip-elsewhere) "
		    "replaces this finding.",
		.refs =
		    "Microsoft Learn: External Domain Name System records for Microsoft 365; "
		    "Microsoft Learn: Add DNS records to connect your domain "
		    "(create-dns-records-at-any-dns-hosting-provider)",
	},
	{
		.id = "dns.sip-elsewhere",
		.sev = SEV_INFO,
		.title =
		    "The Skype for Business and Teams records point somewhere other than "
		    "Microsoft 365",
		.explanation =
		    "The sip, lyncdiscover or SRV records point to another host (the summary "
		    "names it), typically Skype for Business Server or Lync on-premises, "
		    "where they must point to the on-premises Edge as long as that "
		    "deployment is in use. They have no effect on mail flow between "
		    "on-premises Exchange and Exchange Online. If Skype for Business "
		    "on-premises has been retired and users are Teams-only, leftover records "
		    "pointing to it break federation and the sign-in of legacy clients.",
		.fix =
		    "1. If Skype for Business Server is still in use on-premises, leave them "
		    "as they are.\n"
		    "2. If it has been retired, change them at the DNS host of contoso.com "
		    "to the Microsoft 365 values, `sip.contoso.com CNAME "
		    "sipdir.online.lync.com`, `lyncdiscover.contoso.com CNAME "
		    "webdir.online.lync.com`, `_sip._tls.contoso.com SRV 100 1 443 "
		    "sipdir.online.lync.com` and `_sipfederationtls._tcp.contoso.com SRV 100 "
		    "1 5061 sipfed.online.lync.com`, or remove them if nothing uses them.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check the summary.",
		.refs =
		    "Microsoft Learn: External Domain Name System records for Microsoft 365; "
		    "Microsoft Learn: Add DNS records to connect your domain "
		    "(create-dns-records-at-any-dns-hosting-provider)",
	},
	{
		.id = "dns.ptr-ok",
		.sev = SEV_OK,
		.title =
		    "The public IP has a PTR record that resolves back to it",
		.explanation =
		    "The observed public IP has a reverse DNS (PTR) name, and that name "
		    "resolves back to the same address (forward-confirmed reverse DNS). "
		    "Receivers that check reverse DNS, as most do for mail sent straight "
		    "from on-premises to the internet, accept this.",
		.fix =
		    "Nothing to fix. Keep the name the same as the one the server gives in "
		    "EHLO (see dns.ptr-ehlo-mismatch).",
		.verify =
		    "Nothing to verify.",
		.refs =
		    "RFC 1912 (common DNS operational errors), section 2.1; RFC 8601 "
		    "(Authentication-Results, iprev)",
	},
	{
		.id = "dns.ptr-missing",
		.sev = SEV_WARNING,
		.title =
		    "The public IP has no reverse DNS (PTR) record",
		.explanation =
		    "The observed public IP has no PTR record. Many receivers reject mail "
		    "from an address without reverse DNS or score it as spam, and Exchange "
		    "Online refuses mail over IPv6 from such an address (550 5.7.25 ... must "
		    "have a reverse DNS record). For IPv4 mail that on-premises relays "
		    "through Exchange Online, receivers see Microsoft's addresses instead, "
		    "so the gap matters most for mail sent straight from on-premises to the "
		    "internet.",
		.fix =
		    "1. The PTR record lives in the reverse zone of the address, which "
		    "belongs to whoever holds the address block, not at the DNS host of "
		    "contoso.com: ask your ISP or hosting provider (for a cloud server, its "
		    "portal) to set the PTR to the mail host's name, for example "
		    "`7.113.0.203.in-addr.arpa PTR mail.contoso.com` for 203.0.113.7.\n"
		    "2. At the DNS host of contoso.com, make sure that name resolves to the "
		    "same address: `mail.contoso.com A 203.0.113.7`.\n"
		    "3. Use the same name as the Fqdn of the Send connector that sends to "
		    "the internet (see dns.ptr-ehlo-mismatch).",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that dns.ptr-ok replaces "
		    "this finding; `Resolve-DnsName 203.0.113.7 -Type PTR -Server 8.8.8.8` "
		    "returns the name.",
		.refs =
		    "RFC 1912 (common DNS operational errors), section 2.1; Microsoft Learn: "
		    "Email non-delivery reports and SMTP errors in Exchange Online (5.7.25)",
	},
	{
		.id = "dns.ptr-not-confirmed",
		.sev = SEV_WARNING,
		.title =
		    "The PTR name does not resolve back to the IP",
		.explanation =
		    "The observed public IP has a PTR name, but that name has no A or AAAA "
		    "record with the same address, so the reverse DNS is not "
		    "forward-confirmed. Many receivers treat that like missing reverse DNS, "
		    "because anyone can write any name into the PTR of an address they hold. "
		    "Usual causes are a PTR set to a name whose A record points elsewhere (a "
		    "web front end, an old address) and a provider's generic PTR name that "
		    "has no matching forward record.",
		.fix =
		    "1. Choose the mail host's name, for example mail.contoso.com, or a "
		    "dedicated one such as smtp-out.contoso.com if mail.contoso.com must "
		    "keep pointing elsewhere.\n"
		    "2. At the DNS host of contoso.com, publish its A record with the "
		    "observed address: `smtp-out.contoso.com A 203.0.113.7`.\n"
		    "3. Ask the ISP or holder of the address block to set the PTR to that "
		    "same name.\n"
		    "4. Use that name as the Fqdn of the Send connector that sends to the "
		    "internet (see dns.ptr-ehlo-mismatch).",
		.verify =
		    "Re-run `hybridtls dns contoso.com` and check that dns.ptr-ok replaces "
		    "this finding; `Resolve-DnsName 203.0.113.7 -Type PTR` and "
		    "`Resolve-DnsName <that name> -Type A` point at each other.",
		.refs =
		    "RFC 1912 (common DNS operational errors), section 2.1; RFC 8601 "
		    "(Authentication-Results, iprev)",
	},
	{
		.id = "dns.ptr-ehlo-mismatch",
		.sev = SEV_INFO,
		.title =
		    "The server's EHLO or greeting name differs from the PTR name",
		.explanation =
		    "The name the server gives in its greeting or EHLO is not the PTR name "
		    "of its public IP (the summary shows both). SMTP does not require them "
		    "to match and Exchange Online does not reject for it, but some receivers "
		    "score a mismatch as a spam signal, and one consistent name makes logs "
		    "and blocklist reports easier to follow. Exchange uses the Send "
		    "connector's Fqdn in EHLO (the server's own name when Fqdn is empty) and "
		    "the Receive connector's Fqdn in its greeting, and picks the TLS "
		    "certificate by that name when the connector names no "
		    "TlsCertificateName.",
		.fix =
		    "1. See which names the connectors use: `Get-SendConnector | fl "
		    "Name,AddressSpaces,Fqdn,TlsCertificateName` and `Get-ReceiveConnector | "
		    "fl Identity,Fqdn`.\n"
		    "2. Either ask the ISP to set the PTR to the connector's Fqdn (when that "
		    "name resolves to the address), or set the Send connector's Fqdn to the "
		    "PTR name: `Set-SendConnector \"<name>\" -Fqdn mail.contoso.com`, with a "
		    "name that is on the SMTP certificate (`Get-ExchangeCertificate | fl "
		    "Thumbprint,CertificateDomains,Services`).\n"
		    "3. On the hybrid connector `Outbound to Office 365 - <guid>`, keep the "
		    "Fqdn on the certificate name the Hybrid Configuration Wizard chose: "
		    "Exchange Online matches on-premises by that certificate.",
		.verify =
		    "Re-run `hybridtls dns contoso.com` (or `hybridtls smtp HOST` towards "
		    "the server) and check that this finding is gone.",
		.refs =
		    "RFC 5321 (SMTP), sections 4.1.1.1 and 4.1.4; Microsoft Learn: "
		    "Set-SendConnector (Fqdn); Microsoft Learn: Set-ReceiveConnector (Fqdn)",
	},
	{
		.id = "dnsbl.clean",
		.sev = SEV_OK,
		.title =
		    "The public IP is not listed on any of the blocklists checked",
		.explanation =
		    "None of the DNS blocklists queried lists the observed public IP: each "
		    "answered 'not listed'. Receivers that use these lists, Exchange Online "
		    "with Spamhaus among them, do not refuse mail from this address because "
		    "of them. Lists that refused or did not answer are reported separately "
		    "and do not count here; Exchange Online's own blocked senders list "
		    "cannot be queried through DNS, and shows only in its SMTP replies "
		    "(smtp.eop-blocked).",
		.fix =
		    "Nothing to fix.",
		.verify =
		    "Nothing to verify. Check again after an incident (a compromised "
		    "account, malware on the network) or a change of public IP.",
		.refs =
		    "RFC 5782 (DNS blacklists and whitelists)",
	},
	{
		.id = "dnsbl.listed",
		.sev = SEV_FAILURE,
		.title =
		    "The public IP is listed on a DNS blocklist",
		.explanation =
		    "A blocklist returned a listing code for the observed public IP; the "
		    "summary names the list, the code and what it means, and the reason from "
		    "the list's TXT record if it gave one. Receivers that use the list "
		    "reject or junk mail from this address: if on-premises Exchange sends "
		    "from it, its mail straight to the internet is refused, and a Spamhaus "
		    "listing also makes Exchange Online refuse it (smtp.spamhaus-blocked). "
		    "Listings follow observed abuse: a compromised mailbox or password "
		    "sending spam, malware on any host behind the same NAT address, or an "
		    "open relay. For Exchange Online's own blocked senders list, see "
		    "smtp.eop-blocked.",
		.fix =
		    "Clean up first, then ask for delisting; lists re-list quickly while the "
		    "cause remains.\n"
		    "1. Compromised accounts: look for unusual volume by sender in the "
		    "message tracking log (`Get-MessageTrackingLog -Start "
		    "(Get-Date).AddDays(-2) -EventId RECEIVE -Source STOREDRIVER -ResultSize "
		    "Unlimited | group Sender | sort Count -Descending | select -First 20 "
		    "Count,Name`), reset the passwords of the accounts involved and remove "
		    "forwarding or inbox rules the attacker added.\n"
		    "2. Open relay: list the receive connectors that let anonymous senders "
		    "relay: `Get-ReceiveConnector | Get-ADPermission -User 'NT "
		    "AUTHORITY\\ANONYMOUS LOGON' | where {$_.ExtendedRights -like "
		    "'*Accept-Any-Recipient*'} | fl Identity`; each one must limit "
		    "RemoteIPRanges to the internal hosts that need to relay.\n"
		    "3. Infected hosts behind the same public address: at the firewall, "
		    "allow outbound TCP 25 only from the Exchange (or Edge) servers, and "
		    "look in its logs for other hosts that tried.\n"
		    "4. Delist at the list's own site: Spamhaus at "
		    "https://check.spamhaus.org; SpamCop lets a listing expire by itself "
		    "about a day after reports stop; Barracuda through the removal request "
		    "form at barracudacentral.org; UCEPROTECT level 1 expires after seven "
		    "days without abuse, while levels 2 and 3 list whole networks and are "
		    "for your provider to solve.\n"
		    "5. Until the address is clean, on-premises can send its internet mail "
		    "out through Exchange Online (a Send connector for all domains to the "
		    "tenant's endpoint, see dns.spf-ip-not-authorised), as long as Exchange "
		    "Online itself accepts the address.",
		.verify =
		    "Re-run `hybridtls blocklist IP` and check that dnsbl.clean replaces "
		    "this finding. Delisting takes from minutes to a day, and resolvers keep "
		    "the old answer for the zone's TTL.\n"
		    "On-premises queues to internet domains no longer show rejections that "
		    "name the list.",
		.refs =
		    "RFC 5782 (DNS blacklists and whitelists); Spamhaus: zone return codes "
		    "(docs.spamhaus.com, Datasets: Zones); Spamhaus: IP and Domain "
		    "Reputation Checker (check.spamhaus.org); SpamCop: blocking list "
		    "(spamcop.net/bl.shtml); Barracuda Central: how to use the BRBL; "
		    "Microsoft Learn: Error sending email: Client host blocked using "
		    "Spamhaus",
	},
	{
		.id = "dnsbl.policy-listed",
		.sev = SEV_WARNING,
		.title =
		    "The public IP is on a policy list (dynamic or residential range)",
		.explanation =
		    "The address is on a policy list such as the Spamhaus PBL (127.0.0.10 "
		    "when the ISP maintains the entry, 127.0.0.11 when Spamhaus does). That "
		    "is not a sign of abuse, but a statement that the range is dynamic or "
		    "residential and should not deliver mail straight to other servers. "
		    "Receivers using Spamhaus ZEN refuse mail from it, and Exchange Online "
		    "can refuse it too (550 5.7.1 ... blocked using Spamhaus). A mail server "
		    "needs a static business address that its owner has taken out of the "
		    "policy list.",
		.fix =
		    "1. Ask the ISP for a static business address and for its removal from "
		    "the PBL: for 127.0.0.10 only the ISP can remove it; for 127.0.0.11 the "
		    "holder of a static address that runs a mail server can request removal "
		    "at https://check.spamhaus.org.\n"
		    "2. Until then, or instead, send on-premises internet mail out through "
		    "Exchange Online over the hybrid connector (a Send connector for all "
		    "domains to the tenant's endpoint, see dns.spf-ip-not-authorised), so "
		    "receivers see Microsoft's addresses; this works only as long as "
		    "Exchange Online itself accepts the address.\n"
		    "3. Check that the address hybridtls saw is the Exchange servers' "
		    "outbound address and not that of a client network (see "
		    "smtp.observed-ip).",
		.verify =
		    "Re-run `hybridtls blocklist IP` and check that this finding is gone.",
		.refs =
		    "Spamhaus: zone return codes (docs.spamhaus.com, Datasets: Zones); "
		    "Spamhaus: Policy Blocklist (PBL); Spamhaus: IP and Domain Reputation "
		    "Checker (check.spamhaus.org); Microsoft Learn: Error sending email: "
		    "Client host blocked using Spamhaus",
	},
	{
		.id = "dnsbl.refused",
		.sev = SEV_UNTESTED,
		.title =
		    "The blocklist refused this resolver (not a listing)",
		.explanation =
		    "The list answered with an error code instead of a result. For Spamhaus, "
		    "127.255.255.254 means the query came through a public or open resolver "
		    "(8.8.8.8, Cloudflare and other large providers, and since 2025-04-09 "
		    "Microsoft and Azure infrastructure too) or one without attributable "
		    "reverse DNS; 127.255.255.252 means a typing error in the list's name; "
		    "and 127.255.255.255 means the resolver went over its query limit. "
		    "Spamhaus says these answers must never be used to reject mail: "
		    "hybridtls does not count them as a listing, but the address stays "
		    "untested on this list.",
		.fix =
		    "1. Query through a resolver of your own that does its own recursion "
		    "(rather than forwarding to a public resolver), and re-run with "
		    "`--resolver IP`.\n"
		    "2. Or get a free Spamhaus Data Query Service key (register for the free "
		    "DQS account at spamhaus.com; it works through any resolver) and re-run "
		    "with the key on the first line of a file, `--dqs-key-file FILE` (or in "
		    "HYBRIDTLS_DQS_KEY): hybridtls then queries "
		    "`<key>.zen.dq.spamhaus.net`.\n"
		    "3. For 127.255.255.252, check the spelling of the zone in the "
		    "configured list.",
		.verify =
		    "Re-run `hybridtls blocklist IP` with the new resolver or key and check "
		    "that the list now answers listed or not listed.",
		.refs =
		    "Spamhaus: help for users of the legacy blocklists (spamhaus.com "
		    "resource center); Spamhaus: querying the legacy DNSBLs via Microsoft, "
		    "move to the free Data Query Service (2025-04-09); Spamhaus: zone return "
		    "codes (docs.spamhaus.com, Datasets: Zones)",
	},
	{
		.id = "dnsbl.timeout",
		.sev = SEV_UNTESTED,
		.title =
		    "The blocklist did not answer (timeout or refusal by its name servers)",
		.explanation =
		    "The query to this list got no answer before the deadline, so hybridtls "
		    "cannot tell whether the address is listed there. Common causes are a "
		    "list that is overloaded or has been shut down (SORBS, for example, was "
		    "closed in 2024), a resolver that is slow to reach the list's name "
		    "servers, or a firewall that drops DNS from this machine. A timeout is "
		    "not a listing.",
		.fix =
		    "1. Re-run later, or with a longer `--timeout`.\n"
		    "2. Try another resolver with `--resolver IP`. The list's test entry "
		    "should answer at once when the list works: `Resolve-DnsName "
		    "2.0.0.127.<zone> -Type A`.\n"
		    "3. If the list never answers, remove it from the lists hybridtls "
		    "checks: a dead list tells you nothing.",
		.verify =
		    "Re-run `hybridtls blocklist IP` and check that the list answers.",
		.refs =
		    "RFC 5782 (DNS blacklists and whitelists), section 5",
	},
	{
		.id = "dnsbl.unexpected",
		.sev = SEV_WARNING,
		.title =
		    "The blocklist gave an answer outside its documented codes",
		.explanation =
		    "The list answered with a value it does not document as a listing (the "
		    "summary shows it), such as an address outside 127.0.0.0/8 or a 127.x "
		    "code the list does not define. That is what a dead or parked zone looks "
		    "like: when the spamcop.net domain lapsed in January 2021, every name "
		    "under bl.spamcop.net resolved to a parking service and every address in "
		    "the world looked listed. hybridtls does not trust such an answer as a "
		    "listing.",
		.fix =
		    "1. Check the list's own website for its current codes and whether it "
		    "still exists.\n"
		    "2. Test it with the RFC 5782 test entries: `Resolve-DnsName "
		    "2.0.0.127.<zone> -Type A` must answer (listed) and `Resolve-DnsName "
		    "1.0.0.127.<zone> -Type A` must not.\n"
		    "3. If the list is dead or parked, remove it from the lists hybridtls "
		    "checks, and from any anti-spam system that still uses it, where it may "
		    "be rejecting every sender.",
		.verify =
		    "Re-run `hybridtls blocklist IP`: the list is gone from the results, or "
		    "answers with codes it documents.",
		.refs =
		    "RFC 5782 (DNS blacklists and whitelists), sections 2.1 and 5; SpamCop: "
		    "blocking list (spamcop.net/bl.shtml)",
	},
	{
		.id = "dnsbl.zone-broken",
		.sev = SEV_WARNING,
		.title =
		    "The blocklist fails the RFC 5782 self-test; its answers are ignored",
		.explanation =
		    "RFC 5782 requires an IPv4 blocklist to list the test address 127.0.0.2 "
		    "and never 127.0.0.1. This list answered 'listed' for 127.0.0.1, so it "
		    "lists everything (a parked or wildcard zone, or a retired list that now "
		    "answers 'listed' to make people stop querying it), and hybridtls "
		    "ignores what it says about your address. A receiver that still uses "
		    "such a zone refuses mail from every sender.",
		.fix =
		    "1. Remove the list from the lists hybridtls checks.\n"
		    "2. If one of your own systems uses it (an Edge server with the "
		    "anti-spam agents, a gateway), remove it there too: on Exchange, "
		    "`Get-IPBlockListProvider | fl Name,LookupDomain,Enabled` and "
		    "`Remove-IPBlockListProvider \"<name>\"`.\n"
		    "3. If a partner's server rejects your mail citing this list, tell its "
		    "administrator that the zone is broken.",
		.verify =
		    "Re-run `hybridtls blocklist IP`: the list is no longer queried, or "
		    "passes the self-test.",
		.refs =
		    "RFC 5782 (DNS blacklists and whitelists), section 5; Microsoft Learn: "
		    "IP Block List providers on Edge Transport servers "
		    "(Get-IPBlockListProvider)",
	},
	{
		.id = "smtp.eop-blocked",
		.sev = SEV_FAILURE,
		.title =
		    "Exchange Online refused the sending IP (Microsoft's blocked senders "
		    "list)",
		.explanation =
		    "Exchange Online answered 550 5.7.606 to 5.7.649 Access denied, banned "
		    "sending IP [a.b.c.d]: the address is on Microsoft's own blocked senders "
		    "list, which is not a DNS blocklist and cannot be queried, so this reply "
		    "is the only sign of it. Microsoft documents the whole range as one "
		    "condition, without a meaning per number. While it lasts, on-premises "
		    "Exchange cannot hand mail to Exchange Online from this address: mail "
		    "for cloud mailboxes queues on-premises and mail relayed out through "
		    "Exchange Online stops. The variant 550 5.7.511 Access denied, banned "
		    "sender means the delist portal cannot be used for this address.",
		.fix =
		    "1. Remove the cause first: compromised mailboxes or passwords, malware "
		    "behind the same NAT address, an open relay (the checks are under "
		    "dnsbl.listed), or a device or application that sent a burst of unwanted "
		    "mail.\n"
		    "2. For 5.7.606 to 5.7.649, request removal at "
		    "https://sender.office.com: enter an e-mail address and the IP from the "
		    "reply, open the confirmation link Microsoft sends, and choose Delist "
		    "IP; it can take up to 24 hours to take effect.\n"
		    "3. For 5.7.511, send the full reply or NDR text and the IP to "
		    "delist@microsoft.com.",
		.verify =
		    "Re-run `hybridtls smtp HOST` against the tenant's Exchange Online "
		    "endpoint (contoso-com.mail.protection.outlook.com) from the same "
		    "network and check that this finding is gone.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: Email non-delivery reports and SMTP errors in Exchange "
		    "Online; Microsoft Learn: Use the delist portal to remove yourself from "
		    "the blocked senders list",
	},
	{
		.id = "smtp.spamhaus-blocked",
		.sev = SEV_FAILURE,
		.title =
		    "Exchange Online refused the sending IP because of a Spamhaus listing",
		.explanation =
		    "Exchange Online answered 550 5.7.1 Service unavailable; Client host "
		    "[a.b.c.d] blocked using Spamhaus: Exchange Online Protection consults "
		    "Spamhaus, and the address is listed there. Until the listing is gone, "
		    "Exchange Online refuses mail from this address, including the mail "
		    "on-premises hands over for cloud mailboxes. An SBL, CSS or XBL listing "
		    "follows abuse seen from the address (spam, a compromised account, "
		    "malware behind the same NAT); a PBL listing means the address is in a "
		    "dynamic or residential range.",
		.fix =
		    "1. Look the address up at https://check.spamhaus.org (or run `hybridtls "
		    "blocklist IP` with your own resolver or a DQS key) to see which "
		    "Spamhaus list has it and why.\n"
		    "2. Remove the cause before asking for removal: compromised accounts, "
		    "infected hosts behind the same NAT address, an open relay (the checks "
		    "are under dnsbl.listed).\n"
		    "3. Request removal through the lookup page. For a PBL listing, the ISP "
		    "must remove the address (127.0.0.10) or give you a static business "
		    "address; the holder of a static address that runs a mail server can "
		    "remove it from the Spamhaus-maintained part (127.0.0.11) there.\n"
		    "4. If the sending address belongs to someone else (a hosted gateway or "
		    "your provider's NAT), find its owner with a WHOIS lookup of the address "
		    "and ask them to clean up.",
		.verify =
		    "Re-run `hybridtls smtp HOST` against the tenant's Exchange Online "
		    "endpoint (contoso-com.mail.protection.outlook.com) from the same "
		    "network and check that this finding is gone.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: Error sending email: Client host blocked using "
		    "Spamhaus; Spamhaus: IP and Domain Reputation Checker "
		    "(check.spamhaus.org); Spamhaus: zone return codes (docs.spamhaus.com, "
		    "Datasets: Zones)",
	},
	{
		.id = "middlebox.banner-masked",
		.sev = SEV_WARNING,
		.title =
		    "The greeting is masked with asterisks (Cisco ASA/PIX SMTP inspection)",
		.explanation =
		    "The server's 220 greeting arrived as a row of asterisks (`220 ****...`) "
		    "instead of a host name and text: a Cisco ASA, PIX or FWSM that inspects "
		    "SMTP replaced it on the way (on an ASA, the mask-banner setting, which "
		    "its default ESMTP inspection map turns on). The masked greeting does no "
		    "harm by itself, since senders, Exchange Online among them, do not depend "
		    "on its text. But it proves that the firewall inspects this SMTP traffic, "
		    "and the same default map also removes STARTTLS from the EHLO reply to "
		    "force plaintext it can read (it does not allow TLS), which the hybrid "
		    "connectors do not accept: read the STARTTLS findings next to this one. "
		    "The mask also hides which server answered, so the greeting cannot "
		    "confirm that the connection reached Exchange.",
		.fix =
		    "1. Find the firewall on the path this test took: the outbound path from "
		    "the Exchange servers towards Exchange Online, or the one that forwards "
		    "port 25 to them for mail from Exchange Online. On a Cisco ASA, `show "
		    "running-config policy-map` and `show service-policy inspect esmtp` show "
		    "the inspection.\n"
		    "2. Cisco ASA: the simplest fix is to stop inspecting SMTP; in "
		    "configuration mode `policy-map global_policy`, `class "
		    "inspection_default`, `no inspect esmtp`, then `write memory`. To keep "
		    "inspection, use a map that lets TLS and the greeting through: "
		    "`policy-map type inspect esmtp ESMTP_HYBRID`, `parameters`, `allow-tls`, "
		    "`no mask-banner`; then `policy-map global_policy`, `class "
		    "inspection_default`, `no inspect esmtp`, `inspect esmtp ESMTP_HYBRID`, "
		    "then `write memory`. On Firepower Threat Defense managed by the Firewall "
		    "Management Center, deploy the same commands through a FlexConfig policy.\n"
		    "3. Cisco PIX 6.x (and old FWSM releases): `no fixup protocol smtp 25`, "
		    "then `write memory`.\n"
		    "4. Other vendors' firewalls: turn off the SMTP proxy, \"SMTP security\" "
		    "or mail inspection for traffic between the Exchange servers and Exchange "
		    "Online. Exchange Online's addresses are Microsoft 365 endpoint ID 10 "
		    "(take the current list from endpoints.office.com).",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. The greeting shows a host "
		    "name and text again (Exchange and Exchange Online both greet with "
		    "`<host> Microsoft ESMTP MAIL Service ready at ...`), and the EHLO reply "
		    "lists 250-STARTTLS.\n"
		    "On a Cisco ASA: `show service-policy inspect esmtp` no longer lists "
		    "ESMTP inspection under class inspection_default, or lists your own map.",
		.refs =
		    "Cisco ASA Series Firewall CLI Configuration Guide: SMTP and Extended "
		    "SMTP Inspection (Defaults for ESMTP Inspection); Microsoft Support KB "
		    "320027 and KB 295725: SMTP fixup (Mailguard) on Cisco PIX/ASA firewalls; "
		    "Server Fault question 398147: SMTP banner masked with asterisks by a "
		    "Cisco FWSM; Cisco TechNote 113423: ASA ESMTP/SMTP inspection",
	},
	{
		.id = "middlebox.starttls-masked",
		.sev = SEV_FAILURE,
		.title =
		    "STARTTLS in the EHLO reply was overwritten with XXXXXXXA",
		.explanation =
		    "The EHLO reply carries `250-XXXXXXXA` (the summary quotes it) where the "
		    "server's `250-STARTTLS` line belongs: a firewall that inspects SMTP "
		    "overwrote the keyword with X's on its way to this machine. It is the "
		    "signature of Cisco ASA ESMTP inspection with its default map, which does "
		    "not allow TLS and hides STARTTLS to force the session into plaintext it "
		    "can inspect; PIX fixup and some other SMTP proxies do the same. The "
		    "server is willing to encrypt, but the sender never sees the offer: "
		    "on-premises to Exchange Online the queue shows 451 4.4.0 Primary target "
		    "IP address responded with: \"451 5.7.3 Must issue a STARTTLS command "
		    "first\", and Exchange Online to on-premises holds the mail with 450 "
		    "4.4.317 Cannot connect to remote server, because the hybrid connectors "
		    "require TLS.",
		.fix =
		    "1. Cisco ASA: turn off ESMTP inspection; in configuration mode "
		    "`policy-map global_policy`, `class inspection_default`, `no inspect "
		    "esmtp`, then `write memory`. To keep inspection, let TLS through instead "
		    "(encrypted sessions then pass uninspected): `policy-map type inspect "
		    "esmtp ESMTP_HYBRID`, `parameters`, `allow-tls`, `no mask-banner`; then "
		    "`policy-map global_policy`, `class inspection_default`, `no inspect "
		    "esmtp`, `inspect esmtp ESMTP_HYBRID`, then `write memory`. On Firepower "
		    "Threat Defense managed by the Firewall Management Center, deploy the "
		    "same commands through a FlexConfig policy.\n"
		    "2. Cisco PIX 6.x: `no fixup protocol smtp 25`, then `write memory`.\n"
		    "3. Other vendors' firewalls: turn off the SMTP proxy, \"SMTP security\" "
		    "or ESMTP command filtering for traffic between the Exchange servers and "
		    "Exchange Online. Exchange Online's addresses are Microsoft 365 endpoint "
		    "ID 10 (take the current list from endpoints.office.com).\n"
		    "4. Check both directions: the Exchange servers' outbound path to "
		    "Exchange Online and the inbound port 25 forward for mail from Exchange "
		    "Online often go through different rules or different firewalls, and each "
		    "needs the change.\n"
		    "Do not work around this by turning TLS off (`-IgnoreSTARTTLS $true` or "
		    "`-RequireTLS $false` on the Send connector, or removing the TLS "
		    "requirement from a connector in Exchange Online): the hybrid connectors "
		    "require TLS, so mail is then either refused or no longer matched to the "
		    "hybrid inbound connector and handled as anonymous internet mail, which "
		    "loses its internal status and cannot be relayed to external recipients "
		    "(550 5.7.64 TenantAttribution).",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. The EHLO reply must "
		    "contain 250-STARTTLS, and the TLS findings must follow.\n"
		    "The SmtpSend protocol log of the sending Exchange server (folder: "
		    "`Get-TransportService <SERVER> | fl SendProtocolLogPath`; turn on "
		    "logging with `Set-SendConnector \"Outbound to Office 365 - <guid>\" "
		    "-ProtocolLoggingLevel Verbose`) shows the same conversation from the "
		    "server's own point of view.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered in "
		    "message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already queued "
		    "in Exchange Online is retried for up to 24 hours.",
		.refs =
		    "Cisco ASA Series Firewall CLI Configuration Guide: SMTP and Extended "
		    "SMTP Inspection (Defaults for ESMTP Inspection); Cisco document "
		    "118550-qa-esa-00: Why do you see XXXXXXXA after EHLO; Microsoft Support "
		    "KB 320027 and KB 295725: SMTP fixup (Mailguard) on Cisco PIX/ASA "
		    "firewalls; Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Microsoft archive blog (johnbai, "
		    "2013-12-06): O365 on-premises transport queuing, lessons learned from "
		    "CBL; RFC 3207 (SMTP STARTTLS)",
	},
	{
		.id = "middlebox.starttls-rejected",
		.sev = SEV_FAILURE,
		.title =
		    "STARTTLS was advertised, but the command was answered as unknown "
		    "(500/502)",
		.explanation =
		    "The server offered STARTTLS in its EHLO reply, yet answered the STARTTLS "
		    "command itself with 500 or 502, typically `500 5.5.1 Command "
		    "unrecognized` (the summary quotes the reply). A server does not forget a "
		    "command it has just advertised: a device in between let the offer "
		    "through but rewrote or blocked the command, so the server received X's "
		    "or nothing it knows. Firewall SMTP inspection does this when its command "
		    "filter does not allow STARTTLS: Cisco ASA inspection masking the verb, "
		    "old PIX fixup that passes only the basic RFC 821 commands, other "
		    "vendors' SMTP proxies. The session stays unencrypted, and the hybrid "
		    "connectors, which require TLS, do not deliver.",
		.fix =
		    "1. Cisco ASA: turn off ESMTP inspection for this traffic; in "
		    "configuration mode `policy-map global_policy`, `class "
		    "inspection_default`, `no inspect esmtp`, then `write memory`. Or inspect "
		    "with a map that allows TLS: `policy-map type inspect esmtp "
		    "ESMTP_HYBRID`, `parameters`, `allow-tls`, `no mask-banner`; then "
		    "`policy-map global_policy`, `class inspection_default`, `no inspect "
		    "esmtp`, `inspect esmtp ESMTP_HYBRID`. If a custom ESMTP map has a `match "
		    "cmd verb` class that names STARTTLS with `mask`, `reset` or "
		    "`drop-connection`, remove that class. On Firepower Threat Defense "
		    "managed by the Firewall Management Center, deploy the same commands "
		    "through a FlexConfig policy.\n"
		    "2. Cisco PIX 6.x: `no fixup protocol smtp 25`, then `write memory`.\n"
		    "3. Other vendors' firewalls and SMTP proxies: turn off the proxy or its "
		    "command filtering for traffic between the Exchange servers and Exchange "
		    "Online, or add STARTTLS to the commands it allows.\n"
		    "Do not work around this by turning TLS off (`-IgnoreSTARTTLS $true` or "
		    "`-RequireTLS $false` on the Send connector, or removing the TLS "
		    "requirement from a connector in Exchange Online): the hybrid connectors "
		    "require TLS, so mail is then either refused or no longer matched to the "
		    "hybrid inbound connector and handled as anonymous internet mail, which "
		    "loses its internal status and cannot be relayed to external recipients "
		    "(550 5.7.64 TenantAttribution).",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. STARTTLS must be answered "
		    "with 220 and the TLS handshake must follow.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered in "
		    "message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already queued "
		    "in Exchange Online is retried for up to 24 hours.",
		.refs =
		    "Cisco ASA Series Firewall CLI Configuration Guide: SMTP and Extended "
		    "SMTP Inspection (Defaults for ESMTP Inspection); Cisco document "
		    "118550-qa-esa-00: Why do you see XXXXXXXA after EHLO; Microsoft Support "
		    "KB 320027 and KB 295725: SMTP fixup (Mailguard) on Cisco PIX/ASA "
		    "firewalls; Cisco TechNote 113423: ASA ESMTP/SMTP inspection; RFC 3207 "
		    "(SMTP STARTTLS)",
	},
	{
		.id = "middlebox.tls-broken",
		.sev = SEV_FAILURE,
		.title =
		    "220 Ready to start TLS, then the handshake broke without a TLS alert",
		.explanation =
		    "The server accepted STARTTLS with 220, but the TLS handshake then failed "
		    "without a TLS alert: the connection was closed or reset, went silent, or "
		    "plaintext came back where TLS records belong (the summary gives the "
		    "error). A TLS server that refuses a handshake says why with an alert, so "
		    "this points at a device in the path that inspects or terminates TLS and "
		    "breaks it: a firewall doing deep SSL inspection of SMTP STARTTLS, an "
		    "IPS, or an SMTP proxy that passes the STARTTLS command but not the "
		    "encrypted session. Exchange Online reports the same from its side as 450 "
		    "4.4.318 Connection was closed abruptly (Microsoft names misbehaving "
		    "firewall SMTP packet-examination rules as a cause) or 450 4.4.317 Cannot "
		    "connect to remote server, and the on-premises queue shows the TLS error "
		    "in LastError.",
		.fix =
		    "1. Fortinet FortiGate: in the firewall policy that carries this traffic, "
		    "use the `certificate-inspection` SSL/SSH profile instead of deep "
		    "inspection (CLI: `config firewall policy`, `edit <id>`, `set "
		    "ssl-ssh-profile certificate-inspection`, `end`), or exempt the Exchange "
		    "servers and Exchange Online's addresses from deep inspection. Deep "
		    "inspection of SMTP STARTTLS is a known cause of exactly this.\n"
		    "2. SonicWall: add the Exchange servers and Exchange Online's addresses "
		    "to the DPI-SSL exclusions (Client DPI-SSL for mail going out, Server "
		    "DPI-SSL for mail coming in).\n"
		    "3. Check Point: leave the traffic between Exchange and Exchange Online "
		    "out of the gateway's Mail Transfer Agent (SmartConsole: the gateway "
		    "object > Mail Transfer Agent) and out of TLS inspection, then install "
		    "the policy.\n"
		    "4. Cisco ASA or FTD: ESMTP inspection with `allow-tls` passes TLS "
		    "untouched, so look for a TLS decryption policy or an IPS that covers "
		    "port 25 and exempt this traffic there; or turn ESMTP inspection off: "
		    "`policy-map global_policy`, `class inspection_default`, `no inspect "
		    "esmtp`, then `write memory`.\n"
		    "5. If no device in the path inspects TLS, run the test from both sides "
		    "of each device (`hybridtls compare`, or `hybridtls smtp` from inside and "
		    "from outside) to find where it breaks, and check the server's own TLS "
		    "settings (see tls.handshake-failed).\n"
		    "Do not work around this by turning TLS off (`-IgnoreSTARTTLS $true` or "
		    "`-RequireTLS $false` on the Send connector, or removing the TLS "
		    "requirement from a connector in Exchange Online): the hybrid connectors "
		    "require TLS, so mail is then either refused or no longer matched to the "
		    "hybrid inbound connector and handled as anonymous internet mail, which "
		    "loses its internal status and cannot be relayed to external recipients "
		    "(550 5.7.64 TenantAttribution).",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. tls.handshake-ok must take "
		    "its place.\n"
		    "From a Linux machine on the same path: `openssl s_client -connect "
		    "HOST:25 -starttls smtp` completes and shows the server's certificate.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered in "
		    "message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already queued "
		    "in Exchange Online is retried for up to 24 hours.",
		.refs =
		    "Fortinet community: inbound SMTP STARTTLS deep inspection causes "
		    "delivery or banner timeouts; Check Point R81.10 Threat Prevention "
		    "Administration Guide: Configuring the Security Gateway as a Mail "
		    "Transfer Agent; Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Cisco ASA Series Firewall CLI "
		    "Configuration Guide: SMTP and Extended SMTP Inspection (Defaults for "
		    "ESMTP Inspection); RFC 3207 (SMTP STARTTLS)",
	},
	{
		.id = "middlebox.ehlo-blocked",
		.sev = SEV_FAILURE,
		.title =
		    "EHLO is refused while HELO works (an SMTP filter allowing only RFC 821 "
		    "commands)",
		.explanation =
		    "The server answered EHLO with an error (500 to 502, the summary gives "
		    "it) and then accepted HELO. Exchange, Exchange Online and any current "
		    "mail server answer EHLO, so a device in between filters the commands: "
		    "the classic case is Cisco PIX \"fixup protocol smtp\" (Mailguard) or a "
		    "strict SMTP proxy that passes only the seven basic RFC 821 commands "
		    "(HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and turns every other command "
		    "into X's. Without EHLO there is no extension list and so no STARTTLS: "
		    "the session can only run in plaintext, which the hybrid connectors, "
		    "requiring TLS, refuse. (A telnet session that sends one character per "
		    "packet through a Cisco ASA can fail EHLO by accident; hybridtls sends "
		    "each command in one piece, so this is not that artefact.)",
		.fix =
		    "1. Cisco PIX 6.x (and old FWSM releases): `no fixup protocol smtp 25`, "
		    "then `write memory`.\n"
		    "2. Cisco ASA: turn off ESMTP inspection; in configuration mode "
		    "`policy-map global_policy`, `class inspection_default`, `no inspect "
		    "esmtp`, then `write memory`. If a custom ESMTP map has a `match cmd "
		    "verb` class that masks or drops EHLO, remove it. On Firepower Threat "
		    "Defense managed by the Firewall Management Center, deploy the same "
		    "commands through a FlexConfig policy.\n"
		    "3. Other vendors' firewalls and SMTP proxies: turn off the command "
		    "filtering (options such as \"allow only RFC 821 commands\" or SMTP "
		    "command checking), or the SMTP proxy itself, for traffic between the "
		    "Exchange servers and Exchange Online.\n"
		    "Do not work around this by turning TLS off (`-IgnoreSTARTTLS $true` or "
		    "`-RequireTLS $false` on the Send connector, or removing the TLS "
		    "requirement from a connector in Exchange Online): the hybrid connectors "
		    "require TLS, so mail is then either refused or no longer matched to the "
		    "hybrid inbound connector and handled as anonymous internet mail, which "
		    "loses its internal status and cannot be relayed to external recipients "
		    "(550 5.7.64 TenantAttribution).",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. EHLO must be answered 250 "
		    "with a list of extensions that includes STARTTLS.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered in "
		    "message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already queued "
		    "in Exchange Online is retried for up to 24 hours.",
		.refs =
		    "Microsoft Support KB 320027 and KB 295725: SMTP fixup (Mailguard) on "
		    "Cisco PIX/ASA firewalls; Cisco TechNote 113423: ASA ESMTP/SMTP "
		    "inspection; Cisco ASA Series Firewall CLI Configuration Guide: SMTP and "
		    "Extended SMTP Inspection (Defaults for ESMTP Inspection); RFC 5321 "
		    "(SMTP)",
	},
	{
		.id = "middlebox.starttls-stripped",
		.sev = SEV_FAILURE,
		.title =
		    "STARTTLS is missing from an endpoint that always offers it",
		.explanation =
		    "The host is an Exchange Online Protection endpoint "
		    "(`*.mail.protection.outlook.com` or `*.mx.microsoft`), which offers "
		    "STARTTLS, yet the EHLO reply that arrived here lists other extensions "
		    "and not STARTTLS (the evidence shows them). Something between this "
		    "machine and Exchange Online removed the line: Cisco ASA ESMTP inspection "
		    "with its default map removes the STARTTLS offer outright rather than "
		    "masking it, and other firewalls' SMTP proxies do the same to keep the "
		    "session in plaintext. Exchange servers behind the same firewall get the "
		    "same reply, cannot start TLS, and their queue shows 451 4.4.0 Primary "
		    "target IP address responded with: \"451 5.7.3 Must issue a STARTTLS "
		    "command first\". If nothing in the path inspects SMTP, check the public "
		    "IP on blocklists: Microsoft's own case of this error hints that Exchange "
		    "Online may withhold STARTTLS from a listed address, though this is not "
		    "documented.",
		.fix =
		    "1. Cisco ASA: turn off ESMTP inspection for this traffic; in "
		    "configuration mode `policy-map global_policy`, `class "
		    "inspection_default`, `no inspect esmtp`, then `write memory`. Or keep "
		    "inspection with a map that allows TLS: `policy-map type inspect esmtp "
		    "ESMTP_HYBRID`, `parameters`, `allow-tls`, `no mask-banner`; then "
		    "`policy-map global_policy`, `class inspection_default`, `no inspect "
		    "esmtp`, `inspect esmtp ESMTP_HYBRID`. On Firepower Threat Defense "
		    "managed by the Firewall Management Center, deploy the same commands "
		    "through a FlexConfig policy.\n"
		    "2. Cisco PIX 6.x: `no fixup protocol smtp 25`, then `write memory`.\n"
		    "3. Other vendors' firewalls: turn off the SMTP proxy, \"SMTP security\" "
		    "or mail inspection for traffic from the Exchange servers to Exchange "
		    "Online. Fortinet FortiGate: in the firewall policy that carries this "
		    "traffic, use the `certificate-inspection` SSL/SSH profile instead of "
		    "deep inspection (CLI: `config firewall policy`, `edit <id>`, `set "
		    "ssl-ssh-profile certificate-inspection`, `end`), or exempt the Exchange "
		    "servers and Exchange Online's addresses from deep inspection. Check "
		    "Point: leave the traffic between Exchange and Exchange Online out of the "
		    "gateway's Mail Transfer Agent (SmartConsole: the gateway object > Mail "
		    "Transfer Agent) and out of TLS inspection, then install the policy. "
		    "Exchange Online's addresses are Microsoft 365 endpoint ID 10 (take the "
		    "current list from endpoints.office.com).\n"
		    "4. To confirm the firewall, run the same test from a network that does "
		    "not pass it (a mobile hotspot, a cloud VM): if STARTTLS appears there, "
		    "the firewall removes it.\n"
		    "5. If STARTTLS is missing from outside too, check the public IP: "
		    "`hybridtls blocklist IP`.\n"
		    "Do not work around this by turning TLS off (`-IgnoreSTARTTLS $true` or "
		    "`-RequireTLS $false` on the Send connector, or removing the TLS "
		    "requirement from a connector in Exchange Online): the hybrid connectors "
		    "require TLS, so mail is then either refused or no longer matched to the "
		    "hybrid inbound connector and handled as anonymous internet mail, which "
		    "loses its internal status and cannot be relayed to external recipients "
		    "(550 5.7.64 TenantAttribution).",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. The EHLO reply must "
		    "contain 250-STARTTLS, and the TLS findings must follow.\n"
		    "The SmtpSend protocol log of the sending Exchange server (folder: "
		    "`Get-TransportService <SERVER> | fl SendProtocolLogPath`; turn on "
		    "logging with `Set-SendConnector \"Outbound to Office 365 - <guid>\" "
		    "-ProtocolLoggingLevel Verbose`) shows the same conversation from the "
		    "server's own point of view.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Cisco ASA Series Firewall CLI Configuration Guide: SMTP and Extended "
		    "SMTP Inspection (Defaults for ESMTP Inspection); Microsoft Support KB "
		    "320027 and KB 295725: SMTP fixup (Mailguard) on Cisco PIX/ASA firewalls; "
		    "Microsoft archive blog (johnbai, 2013-12-06): O365 on-premises transport "
		    "queuing, lessons learned from CBL; Microsoft Learn: Mail flow "
		    "intelligence (connectors-mail-flow-intelligence); RFC 3207 (SMTP "
		    "STARTTLS)",
	},
	{
		.id = "cause.smtp-inspection",
		.sev = SEV_FAILURE,
		.title =
		    "Root cause: a firewall between this machine and the server inspects SMTP",
		.explanation =
		    "hybridtls found the signature of a firewall that inspects SMTP between "
		    "this machine and the server, and puts it first because it explains the "
		    "other failures. The evidence lines read `symptom <- evidence <- cause`: "
		    "each symptom seen (STARTTLS missing or refused, a failed handshake), "
		    "then the signatures that prove the inspection (a greeting of asterisks, "
		    "XXXXXXXA in the EHLO reply, 500 to STARTTLS, a handshake broken after "
		    "220, EHLO refused while HELO works, STARTTLS missing from Exchange "
		    "Online). Such inspection removes or blocks STARTTLS, or breaks TLS, so "
		    "that it can read the mail; the hybrid connectors require TLS, so mail in "
		    "this direction queues (451 4.4.0 ... 451 5.7.3 Must issue a STARTTLS "
		    "command first on-premises, 450 4.4.317 or 450 4.4.318 in Exchange "
		    "Online). Fix the firewall first: the certificate and connector checks "
		    "behind it cannot be judged until TLS gets through.",
		.fix =
		    "Turn the inspection off for the traffic between the Exchange servers and "
		    "Exchange Online, in both directions, or let TLS through it. Exchange "
		    "Online's addresses are Microsoft 365 endpoint ID 10 (take the current "
		    "list from endpoints.office.com).\n"
		    "1. Cisco ASA: in configuration mode `policy-map global_policy`, `class "
		    "inspection_default`, `no inspect esmtp`, then `write memory`. To keep "
		    "inspection, let TLS and the greeting through with your own map: "
		    "`policy-map type inspect esmtp ESMTP_HYBRID`, `parameters`, `allow-tls`, "
		    "`no mask-banner`; then `policy-map global_policy`, `class "
		    "inspection_default`, `no inspect esmtp`, `inspect esmtp ESMTP_HYBRID`, "
		    "then `write memory`; with `allow-tls`, encrypted sessions pass "
		    "uninspected. On Firepower Threat Defense managed by the Firewall "
		    "Management Center, deploy the same commands through a FlexConfig policy.\n"
		    "2. Cisco PIX 6.x: `no fixup protocol smtp 25`, then `write memory`.\n"
		    "3. Fortinet FortiGate: in the firewall policy that carries this traffic, "
		    "use the `certificate-inspection` SSL/SSH profile instead of deep "
		    "inspection (CLI: `config firewall policy`, `edit <id>`, `set "
		    "ssl-ssh-profile certificate-inspection`, `end`), or exempt the Exchange "
		    "servers and Exchange Online's addresses from deep inspection.\n"
		    "4. Check Point: leave the traffic between Exchange and Exchange Online "
		    "out of the gateway's Mail Transfer Agent (SmartConsole: the gateway "
		    "object > Mail Transfer Agent) and out of TLS inspection, then install "
		    "the policy.\n"
		    "5. SonicWall: add the Exchange servers and Exchange Online's addresses "
		    "to the DPI-SSL exclusions (Client DPI-SSL for mail going out, Server "
		    "DPI-SSL for mail coming in).\n"
		    "6. Other firewalls and SMTP proxies: turn off the SMTP proxy, \"SMTP "
		    "security\", SMTP command filtering or STARTTLS inspection for this "
		    "traffic.\n"
		    "Do not work around this by turning TLS off (`-IgnoreSTARTTLS $true` or "
		    "`-RequireTLS $false` on the Send connector, or removing the TLS "
		    "requirement from a connector in Exchange Online): the hybrid connectors "
		    "require TLS, so mail is then either refused or no longer matched to the "
		    "hybrid inbound connector and handled as anonymous internet mail, which "
		    "loses its internal status and cannot be relayed to external recipients "
		    "(550 5.7.64 TenantAttribution).",
		.verify =
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone. The middlebox findings "
		    "under it must be gone too, the EHLO reply must list 250-STARTTLS and the "
		    "TLS handshake must complete.\n"
		    "Compare both sides of the firewall. Your own server, from inside: "
		    "`hybridtls compare <internal address of the Exchange server> "
		    "mail.contoso.com --tls-name mail.contoso.com` must end in compare.same "
		    "(the second target goes through the firewall when it lets inside hosts "
		    "reach the public address); from outside, `hybridtls smtp "
		    "mail.contoso.com` on a machine outside your network must show the same "
		    "greeting, extensions and certificate. Towards Exchange Online, "
		    "`hybridtls smtp contoso-com.mail.protection.outlook.com` must show the "
		    "same from the Exchange servers' network as from a network outside the "
		    "firewall.\n"
		    "On a Cisco ASA: `show service-policy inspect esmtp` no longer lists "
		    "ESMTP inspection under class inspection_default, or lists your own map.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered in "
		    "message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already queued "
		    "in Exchange Online is retried for up to 24 hours.",
		.refs =
		    "Cisco ASA Series Firewall CLI Configuration Guide: SMTP and Extended "
		    "SMTP Inspection (Defaults for ESMTP Inspection); Cisco document "
		    "118550-qa-esa-00: Why do you see XXXXXXXA after EHLO; Microsoft Support "
		    "KB 320027 and KB 295725: SMTP fixup (Mailguard) on Cisco PIX/ASA "
		    "firewalls; Cisco TechNote 113423: ASA ESMTP/SMTP inspection; Fortinet "
		    "community: inbound SMTP STARTTLS deep inspection causes delivery or "
		    "banner timeouts; Check Point R81.10 Threat Prevention Administration "
		    "Guide: Configuring the Security Gateway as a Mail Transfer Agent; "
		    "Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Microsoft archive blog (johnbai, "
		    "2013-12-06): O365 on-premises transport queuing, lessons learned from "
		    "CBL; RFC 3207 (SMTP STARTTLS)",
	},
	{
		.id = "cause.blocklisted-ip",
		.sev = SEV_FAILURE,
		.title =
		    "Root cause: the public IP is on a blocklist",
		.explanation =
		    "The public address this machine sends from (and the Exchange servers, if "
		    "they share its network egress) is on a blocklist, a DNS blocklist or "
		    "Exchange Online's own blocked senders list, and hybridtls puts that "
		    "first because it explains why the server refused the session or did not "
		    "offer STARTTLS, while no firewall signature was seen. The evidence lines "
		    "read `symptom <- evidence <- cause`: the refusal or the missing "
		    "STARTTLS, then the listing (the list and its code, or Exchange Online's "
		    "reply). A refusal that names the listing (550 5.7.606 to 5.7.649 ... "
		    "banned sending IP, 550 5.7.1 ... blocked using Spamhaus) is conclusive; "
		    "a missing STARTTLS with a listing is a weaker link, which Microsoft's "
		    "own case of 451 5.7.3 hints at without documenting it. While the listing "
		    "lasts, mail from on-premises to Exchange Online is refused or queues.",
		.fix =
		    "Clean up first, then ask for delisting; lists re-list quickly while the "
		    "cause remains.\n"
		    "1. Stop the source: compromised accounts or passwords sending spam, an "
		    "open relay, or infected hosts behind the same NAT address (the commands "
		    "are under dnsbl.listed). At the firewall, allow outbound TCP 25 only "
		    "from the Exchange (or Edge) servers.\n"
		    "2. Delist. Exchange Online's own list (550 5.7.606 to 5.7.649): at "
		    "https://sender.office.com, enter an e-mail address and the IP, open the "
		    "confirmation link and choose Delist IP (it takes up to 24 hours); for "
		    "550 5.7.511, send the reply and the IP to delist@microsoft.com. "
		    "Spamhaus: https://check.spamhaus.org. Other lists: their own delisting "
		    "page (dnsbl.listed names the list).\n"
		    "3. Or send from a clean static address: give the Exchange servers a "
		    "dedicated public address in the firewall's outbound NAT rule, not one "
		    "shared with clients or guest networks, and update what depends on it: "
		    "the SPF record, the PTR record, and the hybrid inbound connector if it "
		    "matches by IP (`Set-InboundConnector \"Inbound from <guid>\" "
		    "-SenderIPAddresses <address>`).\n"
		    "Do not work around this by turning TLS off (`-IgnoreSTARTTLS $true` or "
		    "`-RequireTLS $false` on the Send connector, or removing the TLS "
		    "requirement from a connector in Exchange Online): the hybrid connectors "
		    "require TLS, so mail is then either refused or no longer matched to the "
		    "hybrid inbound connector and handled as anonymous internet mail, which "
		    "loses its internal status and cannot be relayed to external recipients "
		    "(550 5.7.64 TenantAttribution).",
		.verify =
		    "Re-run `hybridtls blocklist IP` and check that the listing is gone; "
		    "delisting takes from minutes to a day, and resolvers keep the old answer "
		    "for the zone's TTL.\n"
		    "Re-run `hybridtls smtp HOST` against the tenant's Exchange Online "
		    "endpoint (contoso-com.mail.protection.outlook.com) from the same "
		    "network: the session is accepted, STARTTLS is offered, and this finding "
		    "is gone.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft archive blog (johnbai, 2013-12-06): O365 on-premises transport "
		    "queuing, lessons learned from CBL; Microsoft Learn: Email non-delivery "
		    "reports and SMTP errors in Exchange Online; Microsoft Learn: Use the "
		    "delist portal to remove yourself from the blocked senders list; "
		    "Microsoft Learn: Error sending email: Client host blocked using "
		    "Spamhaus; Spamhaus: IP and Domain Reputation Checker "
		    "(check.spamhaus.org); RFC 5782 (DNS blacklists and whitelists)",
	},
	{
		.id = "cause.receive-connector-certificate",
		.sev = SEV_FAILURE,
		.title =
		    "Root cause: the Exchange receive connector has no usable certificate for "
		    "STARTTLS",
		.explanation =
		    "An Exchange server answered (its greeting reads Microsoft ESMTP MAIL "
		    "Service) without offering STARTTLS, and nothing in the conversation "
		    "shows a firewall rewriting it, so the cause is on the server: Exchange "
		    "offers STARTTLS on a receive connector only when it can load a valid "
		    "certificate for it. Typically the connector's TlsCertificateName still "
		    "names a certificate that was renewed or removed, or the certificate is "
		    "not enabled for the SMTP service, has expired or lost its private key; "
		    "Exchange then logs event 12014 in the Application log. Exchange Online, "
		    "whose hybrid outbound connector requires TLS, holds mail for on-premises "
		    "with 450 4.4.317 Cannot connect to remote server and returns it after 24 "
		    "hours. The evidence lines read `symptom <- evidence <- cause`.",
		.fix =
		    "Do this on every server that receives mail from Exchange Online (each "
		    "one behind the public address or load balancer), because Exchange Online "
		    "may reach any of them.\n"
		    "1. List the certificates: `Get-ExchangeCertificate | fl "
		    "Thumbprint,Subject,Services,NotAfter,Status`. Pick the public "
		    "certificate with the hybrid name (for example mail.contoso.com), "
		    "NotAfter in the future and Status Valid; if the server does not have it, "
		    "import it (`Import-ExchangeCertificate` with the PFX).\n"
		    "2. Enable it for SMTP: `Enable-ExchangeCertificate -Thumbprint "
		    "<thumbprint> -Services SMTP`.\n"
		    "3. Name it on the receive connector: `$c=Get-ExchangeCertificate "
		    "-Thumbprint <thumbprint>; $n=\"<I>$($c.Issuer)<S>$($c.Subject)\"`, then "
		    "`Set-ReceiveConnector \"<SERVER>\\Default Frontend <SERVER>\" "
		    "-TlsCertificateName $n`. Check that `Get-ReceiveConnector "
		    "\"<SERVER>\\Default Frontend <SERVER>\" | fl AuthMechanism` includes "
		    "Tls. After a renewal, the Send connector needs the same: "
		    "`Set-SendConnector \"Outbound to Office 365 - <guid>\" "
		    "-TlsCertificateName $n`. Re-running the Hybrid Configuration Wizard and "
		    "choosing the new certificate does both.\n"
		    "4. Restart the front end transport service: `Restart-Service "
		    "MSExchangeFrontEndTransport`.\n"
		    "5. Check the Application log: `Get-WinEvent -FilterHashtable "
		    "@{LogName='Application'; Id=12014} -MaxEvents 5 | fl "
		    "TimeCreated,ProviderName,Message`; no event 12014 should be newer than "
		    "the restart.\n"
		    "Do not work around this by turning TLS off (`-IgnoreSTARTTLS $true` or "
		    "`-RequireTLS $false` on the Send connector, or removing the TLS "
		    "requirement from a connector in Exchange Online): the hybrid connectors "
		    "require TLS, so mail is then either refused or no longer matched to the "
		    "hybrid inbound connector and handled as anonymous internet mail, which "
		    "loses its internal status and cannot be relayed to external recipients "
		    "(550 5.7.64 TenantAttribution).",
		.verify =
		    "Re-run `hybridtls smtp HOST` against each server's address (add "
		    "`--tls-name NAME` with the name on the certificate when HOST is an IP "
		    "address) and check that this finding is gone: the EHLO reply lists "
		    "250-STARTTLS, and the certificate findings show the public certificate, "
		    "not a self-signed one.\n"
		    "`Get-ReceiveConnector \"<SERVER>\\Default Frontend <SERVER>\" | fl "
		    "TlsCertificateName` shows the new value on every server.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered in "
		    "message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already queued "
		    "in Exchange Online is retried for up to 24 hours.",
		.refs =
		    "Microsoft Learn: Set-ReceiveConnector (TlsCertificateName, "
		    "AuthMechanism); Microsoft Learn: Set-SendConnector (TlsCertificateName, "
		    "IgnoreSTARTTLS, RequireTLS); Microsoft archive blog (lalitbisht): "
		    "Mailflow issue from Exchange on-prem to Office 365; Microsoft Support KB "
		    "3064938: hybrid diagnostic \"No valid hybrid certificate found\" "
		    "(certificate needs the IIS and SMTP services); Microsoft Learn: "
		    "Certificate requirements for hybrid deployments (Exchange 2013 hybrid "
		    "documentation, jj156431); Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence)",
	},
	{
		.id = "cause.onprem-cert-not-bound",
		.sev = SEV_FAILURE,
		.title =
		    "Root cause: the on-premises endpoint presents a certificate other than "
		    "the hybrid one",
		.explanation =
		    "Exchange Online delivers to on-premises through the hybrid outbound "
		    "connector, which requires TLS and checks the certificate the endpoint "
		    "presents (TlsSettings DomainValidation against the connector's "
		    "TlsDomain). The endpoint it reached presented another certificate than "
		    "the hybrid one: Exchange's own self-signed certificate (subject "
		    "CN=<server name>), or a certificate that differs from the file given "
		    "with --cert while that file would pass. The hybrid certificate is fine; "
		    "the receiving side does not use it. Typically TlsCertificateName was "
		    "set on only one of several receiving servers, a renewed certificate was "
		    "imported but not enabled for SMTP or not named on the Default Frontend "
		    "receive connector (Exchange then picks another certificate, often its "
		    "self-signed one), or a load balancer, firewall or mail gateway in front "
		    "of Exchange answers with its own certificate. When only some servers "
		    "are wrong, delivery fails only part of the time: message trace shows "
		    "450 4.7.320 Certificate validation failed or 450 4.4.317 "
		    "[Message=UntrustedRoot] for some attempts. The evidence lines read "
		    "`symptom <- evidence <- cause`.",
		.fix =
		    "Do this on every server Exchange Online may reach (each address of the "
		    "name, or each server behind the load balancer).\n"
		    "1. Find the hybrid certificate on the server: `Get-ExchangeCertificate "
		    "-Server <SERVER> | fl Thumbprint,Subject,Issuer,Services,NotAfter`. The "
		    "evidence gives the thumbprints of the certificate presented and of the "
		    "file, as this cmdlet shows them. Where it is missing, import it: "
		    "`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\hybrid.pfx')) "
		    "-Password (Get-Credential).password` (a UNC path: a local path works "
		    "only on the server itself).\n"
		    "2. Enable it for SMTP: `Enable-ExchangeCertificate -Server <SERVER> "
		    "-Thumbprint <thumbprint> -Services SMTP`. Asked whether to overwrite "
		    "the default SMTP certificate, answer No: the self-signed one keeps "
		    "serving transport between your own servers.\n"
		    "3. Name it on the receive connector: `$c = Get-ExchangeCertificate "
		    "-Server <SERVER> -Thumbprint <thumbprint>; $n = "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"`, then `Set-ReceiveConnector "
		    "\"<SERVER>\\Default Frontend <SERVER>\" -TlsCertificateName $n`. "
		    "Running the Hybrid Configuration Wizard again with this certificate "
		    "does it for the servers it lists.\n"
		    "4. Restart the front end transport service: `Restart-Service "
		    "MSExchangeFrontEndTransport`. On an Edge Transport server the connector "
		    "is \"Default internal receive connector <EDGE>\" and the service "
		    "MSExchangeTransport.\n"
		    "5. When the evidence says the greeting is not Exchange's, the "
		    "certificate comes from the device in front: install the hybrid "
		    "certificate with its intermediate there, or let the device pass SMTP "
		    "and TLS through to Exchange.\n"
		    KB_KEEP_TLS_ONPREM_CERT,
		.verify =
		    "Re-run `hybridtls check <domain> --onprem <host> --connector <outbound "
		    "export> --cert <file>` and check that this finding is gone and "
		    "onprem.exo-will-deliver is there; then once per server with `--onprem "
		    "<server address>`, so every server behind the name is checked.\n"
		    "`Get-ReceiveConnector \"<SERVER>\\Default Frontend <SERVER>\" | fl "
		    "TlsCertificateName` shows the hybrid certificate on every server.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Set-ReceiveConnector (TlsCertificateName); Microsoft "
		    "Learn: Enable-ExchangeCertificate; Microsoft Learn: "
		    "Import-ExchangeCertificate; Microsoft Learn: Certificate requirements "
		    "for hybrid deployments (Exchange 2013 hybrid documentation, jj156431); "
		    "Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Microsoft archive blog (Exchange "
		    "Challenge Accepted): Mail not routing to on-premises Exchange from O365 "
		    "with 450 4.7.320 Certificate validation failed",
	},
	{
		.id = "cause.onprem-intermediate-missing",
		.sev = SEV_FAILURE,
		.title =
		    "Root cause: the on-premises server does not have the intermediate "
		    "certificate to send",
		.explanation =
		    "The on-premises endpoint sends its certificate without the intermediate "
		    "CA certificate that issued it. Exchange Online does not fetch missing "
		    "intermediates, so it cannot build a chain to a root it trusts and holds "
		    "the mail with 450 4.4.317 Cannot connect to remote server "
		    "[Message=UntrustedRoot]. Browsers and many other clients fetch or cache "
		    "the intermediate, so the same certificate can look fine elsewhere. "
		    "Exchange sends the chain Windows builds from the computer's certificate "
		    "stores: the intermediate is missing from the server's Intermediate "
		    "Certification Authorities store (the PFX was imported without it, or it "
		    "was removed or replaced at renewal), or it sits in Trusted Root "
		    "Certification Authorities, where Windows treats it as an anchor and "
		    "does not send it. A server that sends an old intermediate, not the one "
		    "that issued its certificate, is the same case. The issuer can also be a "
		    "private CA that no trust store knows: the evidence names it, and when "
		    "--cert was given and its own chain verifies, the issuer is a public "
		    "intermediate for certain. The evidence lines read `symptom <- evidence "
		    "<- cause`.",
		.fix =
		    "On every server Exchange Online may reach:\n"
		    "1. Get the intermediate: from the CA's site (the issuer named in the "
		    "evidence), or from the certificate file when it holds the chain.\n"
		    "2. Import it into the computer's intermediate store: "
		    "`Import-Certificate -FilePath C:\\cert\\intermediate.cer "
		    "-CertStoreLocation Cert:\\LocalMachine\\CA` (or certlm.msc > "
		    "Intermediate Certification Authorities > Certificates > Import).\n"
		    "If it is under Trusted Root Certification Authorities, move it: "
		    "`Get-ChildItem Cert:\\LocalMachine\\Root | Where-Object Subject -like "
		    "'*<issuer name>*'` finds it.\n"
		    "3. Check that Windows now builds the whole chain from its stores: "
		    "`certutil -verify C:\\cert\\leaf.cer` (without -urlfetch, which would "
		    "download the intermediate and hide the gap), or open the certificate in "
		    "certlm.msc and look at Certification Path.\n"
		    "4. Restart the front end transport service so it loads the chain again: "
		    "`Restart-Service MSExchangeFrontEndTransport` (on an Edge Transport "
		    "server: MSExchangeTransport).\n"
		    "5. When a device in front of Exchange answers (the greeting is not "
		    "Exchange's), add the intermediate to the certificate bundle configured "
		    "there.\n"
		    "6. When the issuer is your own CA (an enterprise or private root, not a "
		    "public intermediate), the fix is a public certificate instead: see "
		    "cause.onprem-cert-untrusted.\n"
		    KB_KEEP_TLS_ONPREM_CERT,
		.verify =
		    "Re-run `hybridtls check <domain> --onprem <host> --connector <outbound "
		    "export>`: the transcript shows two or more certificates sent, and "
		    "onprem.exo-will-deliver replaces this finding. Check each server's own "
		    "address too.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Import-Certificate; Microsoft Learn: Certificate "
		    "requirements for hybrid deployments (send the full chain); Microsoft "
		    "Learn: Mail flow intelligence (connectors-mail-flow-intelligence); RFC "
		    "8446 section 4.4.2 (certificate_list)",
	},
	{
		.id = "cause.onprem-cert-expired",
		.sev = SEV_FAILURE,
		.title =
		    "Root cause: the on-premises certificate or its intermediate is out of "
		    "its dates, and no valid one is in use",
		.explanation =
		    "The certificate the on-premises endpoint presents to Exchange Online "
		    "has expired (or, rarely, is not valid yet), or the intermediate the "
		    "server sends with it has, so Exchange Online refuses it with 450 "
		    "4.7.320 Certificate validation failed and queues mail for on-premises, "
		    "returning it after about 24 hours. Nothing else in the certificate has "
		    "to be wrong. An expired intermediate means the server still holds the "
		    "CA's old intermediate: the CA's current one goes into the Intermediate "
		    "Certification Authorities store. Otherwise either the certificate was "
		    "not renewed, or it was renewed but the new one is not enabled for SMTP "
		    "and named on the receive connectors of every receiving server; when "
		    "--cert was given the evidence says whether the file is the same expired "
		    "certificate. The Send connector to Exchange Online names the "
		    "certificate too (TlsCertificateName), so the other direction breaks at "
		    "the same time unless it is updated. The evidence lines read `symptom <- "
		    "evidence <- cause`.",
		.fix =
		    "1. Renew the certificate with your public CA (same names, including the "
		    "TlsDomain of the outbound connector), or find the renewed one: "
		    "`Get-ExchangeCertificate | fl "
		    "Thumbprint,Subject,Issuer,Services,NotAfter`.\n"
		    "2. Import it on every server that sends or receives hybrid mail and "
		    "enable it for SMTP: `Enable-ExchangeCertificate -Server <SERVER> "
		    "-Thumbprint <new thumbprint> -Services SMTP` (answer No to overwriting "
		    "the default SMTP certificate).\n"
		    "3. Run the Hybrid Configuration Wizard again and pick the new "
		    "certificate: it updates TlsCertificateName on the receive connectors "
		    "and on the Send connector to Exchange Online. By hand: `$c = "
		    "Get-ExchangeCertificate -Thumbprint <new thumbprint>; $n = "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"`, `Set-ReceiveConnector "
		    "\"<SERVER>\\Default Frontend <SERVER>\" -TlsCertificateName $n` on each "
		    "server and `Set-SendConnector \"Outbound to Office 365 - <guid>\" "
		    "-TlsCertificateName $n`.\n"
		    "4. Restart the front end transport service: `Restart-Service "
		    "MSExchangeFrontEndTransport` (on an Edge Transport server: "
		    "MSExchangeTransport). Remove the expired certificate once nothing uses "
		    "it.\n"
		    "5. When the evidence names an expired intermediate, import the CA's "
		    "current intermediate into Cert:\\LocalMachine\\CA, remove the old one, "
		    "and restart the service.\n"
		    KB_KEEP_TLS_ONPREM_CERT,
		.verify =
		    "Re-run `hybridtls check <domain> --onprem <host> --connector <outbound "
		    "export> --cert <new file>`: the presented certificate has the new "
		    "expiry date and onprem.exo-will-deliver replaces this finding; check "
		    "each server's own address too.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Enable-ExchangeCertificate; Microsoft Learn: "
		    "Set-ReceiveConnector (TlsCertificateName); Microsoft Learn: "
		    "Set-SendConnector (TlsCertificateName); Microsoft Learn: Certificate "
		    "requirements for hybrid deployments (Exchange 2013 hybrid "
		    "documentation, jj156431); Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Microsoft archive blog (Exchange "
		    "Challenge Accepted): Mail not routing to on-premises Exchange from O365 "
		    "with 450 4.7.320 Certificate validation failed",
	},
	{
		.id = "cause.onprem-cert-name",
		.sev = SEV_FAILURE,
		.title =
		    "Root cause: the outbound connector's TlsDomain is not a name on the "
		    "on-premises certificate",
		.explanation =
		    "Exchange Online's hybrid outbound connector uses TlsSettings "
		    "DomainValidation: the on-premises certificate must carry the "
		    "connector's TlsDomain in its subject CN or subjectAltName (a wildcard "
		    "covers one label). The names of the certificate presented do not "
		    "include that name, so Exchange Online refuses it with 450 4.7.320 "
		    "Certificate validation failed [Message=SubjectMismatch]. Either the "
		    "connector names the wrong host (TlsDomain or SmartHosts changed, or the "
		    "Hybrid Configuration Wizard was run with another certificate), or the "
		    "certificate was reissued without that name. The evidence shows the "
		    "names on the certificate and where the required name came from, and "
		    "says when the chain does not verify either: then the certificate has to "
		    "be replaced as well. The evidence lines read `symptom <- evidence <- "
		    "cause`.",
		.fix =
		    "1. Compare the two: the names in the evidence, and in Exchange Online "
		    "PowerShell `Get-OutboundConnector | fl "
		    "Name,SmartHosts,TlsSettings,TlsDomain`.\n"
		    "2. When the certificate is the right one and the connector is wrong, "
		    "set TlsDomain to a name the certificate carries and that resolves to "
		    "your endpoint: `Set-OutboundConnector \"Outbound to <guid>\" -TlsDomain "
		    "mail.contoso.com` (SmartHosts should use the same name), or run the "
		    "Hybrid Configuration Wizard again.\n"
		    "3. When the connector is right, get a certificate that includes the "
		    "name (or a wildcard for its parent domain) from your public CA and bind "
		    "it as described under cause.onprem-cert-not-bound.\n"
		    KB_KEEP_TLS_ONPREM_CERT,
		.verify =
		    "Re-run `hybridtls check <domain> --onprem <host> --connector <new "
		    "outbound export>`: the name checked is on the certificate and "
		    "onprem.exo-will-deliver replaces this finding.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Set-OutboundConnector (TlsDomain, TlsSettings); "
		    "Microsoft Learn: Certificate requirements for hybrid deployments "
		    "(Exchange 2013 hybrid documentation, jj156431); Microsoft Learn: Mail "
		    "flow intelligence (connectors-mail-flow-intelligence); Microsoft "
		    "archive blog (Exchange Challenge Accepted): Mail not routing to "
		    "on-premises Exchange from O365 with 450 4.7.320 Certificate validation "
		    "failed",
	},
	{
		.id = "cause.onprem-cert-untrusted",
		.sev = SEV_FAILURE,
		.title =
		    "Root cause: the on-premises certificate comes from a CA Exchange Online "
		    "does not trust",
		.explanation =
		    "The certificate the on-premises endpoint presents chains to a root "
		    "Exchange Online does not trust: an enterprise or private CA (Active "
		    "Directory Certificate Services), a self-signed certificate, or a CA "
		    "that public trust stores have dropped. Hybrid mail transport needs a "
		    "certificate from a public CA, so Exchange Online refuses it with 450 "
		    "4.4.317 Cannot connect to remote server [Message=UntrustedRoot] or 450 "
		    "4.7.320 Certificate validation failed. Inside the organisation the same "
		    "certificate can look trusted, because the domain's computers trust the "
		    "enterprise CA. The evidence names the issuer and the verification "
		    "error, judged against the trust store hybridtls used (the system's, or "
		    "--ca-file): run it without --ca-file to judge as a public client would. "
		    "The evidence lines read `symptom <- evidence <- cause`.",
		.fix =
		    "1. Get a certificate from a public CA with the names the hybrid "
		    "connectors use (the outbound connector's TlsDomain, typically "
		    "mail.contoso.com). The same certificate, or one from the same CA with "
		    "the same subject, goes on every server that sends or receives hybrid "
		    "mail.\n"
		    "2. Import it with its intermediate on each server and enable it for "
		    "SMTP: `Enable-ExchangeCertificate -Server <SERVER> -Thumbprint "
		    "<thumbprint> -Services SMTP`.\n"
		    "3. Run the Hybrid Configuration Wizard again and pick it, or set "
		    "TlsCertificateName on the receive connectors and the Send connector to "
		    "Exchange Online by hand (see cause.onprem-cert-not-bound), then "
		    "`Restart-Service MSExchangeFrontEndTransport` (on an Edge Transport "
		    "server: MSExchangeTransport).\n"
		    KB_KEEP_TLS_ONPREM_CERT,
		.verify =
		    "Re-run `hybridtls check <domain> --onprem <host> --connector <outbound "
		    "export>` with the system trust store (no --ca-file): the chain verifies "
		    "and onprem.exo-will-deliver replaces this finding.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Certificate requirements for hybrid deployments "
		    "(Exchange 2013 hybrid documentation, jj156431); Microsoft Learn: Mail "
		    "flow intelligence (connectors-mail-flow-intelligence); Microsoft "
		    "archive blog (Exchange Challenge Accepted): Mail not routing to "
		    "on-premises Exchange from O365 with 450 4.7.320 Certificate validation "
		    "failed; Microsoft Learn: Exchange Online TLS certificate trust "
		    "(Microsoft 365 encryption: TLS)",
	},
	{
		.id = "smtp.tls-enforced",
		.sev = SEV_OK,
		.title =
		    "The server refuses mail commands before STARTTLS (TLS enforced)",
		.explanation =
		    "With `--envelope`, hybridtls sent MAIL FROM and RCPT TO before starting "
		    "TLS, and the server refused them with the reply that demands TLS first "
		    "(530 5.7.0 Must issue a STARTTLS command first, or Exchange Online's 451 "
		    "5.7.3 Must issue a STARTTLS command first; the summary quotes it). Mail "
		    "on this path cannot be handed over in plaintext: this is what Exchange "
		    "Online does when an inbound connector that requires TLS applies to the "
		    "connection, as expected with the hybrid connector. Replies to the same "
		    "commands after STARTTLS are reported separately when they are refused "
		    "for another reason.",
		.fix =
		    "Nothing to fix.",
		.verify =
		    "Nothing to verify.",
		.refs =
		    "RFC 3207 (SMTP STARTTLS); Microsoft Learn: New-InboundConnector and "
		    "Set-InboundConnector (TlsSenderCertificateName, SenderIPAddresses); "
		    "Microsoft archive blog (johnbai, 2013-12-06): O365 on-premises transport "
		    "queuing, lessons learned from CBL",
	},
	{
		.id = "smtp.tls-not-enforced",
		.sev = SEV_INFO,
		.title =
		    "MAIL FROM and RCPT TO were accepted without TLS",
		.explanation =
		    "With `--envelope`, hybridtls sent MAIL FROM and RCPT TO in plaintext, "
		    "before STARTTLS, and the server accepted both (hybridtls then reset the "
		    "transaction; it never sends a message). The server does not demand TLS "
		    "from this sender: that is normal for opportunistic TLS, which Exchange "
		    "Online and Exchange use by default so that senders that cannot encrypt "
		    "still deliver. In hybrid the sending side of each connector enforces "
		    "TLS: the on-premises Send connector to Exchange Online (RequireTLS) and "
		    "Exchange Online's outbound connector to on-premises (TlsSettings "
		    "DomainValidation) refuse to deliver without it, so plaintext acceptance "
		    "at the receiving end does not mean hybrid mail goes unencrypted. An "
		    "inbound connector that matches by certificate cannot apply before TLS "
		    "anyway, because the certificate is only presented in the handshake.",
		.fix =
		    "Nothing needs fixing because of this finding alone; check that the "
		    "sending side requires TLS.\n"
		    "1. On-premises: `Get-SendConnector \"Outbound to Office 365 - <guid>\" | "
		    "fl RequireTLS,IgnoreSTARTTLS,TlsAuthLevel,TlsDomain,TlsCertificateName` "
		    "should show RequireTLS True, IgnoreSTARTTLS False, TlsAuthLevel "
		    "DomainValidation and TlsDomain mail.protection.outlook.com. If someone "
		    "set `-IgnoreSTARTTLS $true` or `-RequireTLS $false` as a workaround, set "
		    "them back: `Set-SendConnector \"Outbound to Office 365 - <guid>\" "
		    "-IgnoreSTARTTLS $false -RequireTLS $true`.\n"
		    "2. Exchange Online: `Get-OutboundConnector \"Outbound to <guid>\" | fl "
		    "TlsSettings,TlsDomain,SmartHosts` should show TlsSettings "
		    "DomainValidation and, as TlsDomain, the name on the on-premises "
		    "certificate.",
		.verify =
		    "The connector settings show the values above.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered in "
		    "message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already queued "
		    "in Exchange Online is retried for up to 24 hours.",
		.refs =
		    "Exchange Team Blog (2021-01-15): Understanding email scenarios if TLS "
		    "versions cannot be agreed on with Exchange Online; Microsoft Learn: How "
		    "Exchange Online uses TLS to secure email connections in Office 365; "
		    "Microsoft Learn: Set-SendConnector (TlsCertificateName, IgnoreSTARTTLS, "
		    "RequireTLS); Microsoft Learn: New-OutboundConnector and "
		    "Set-OutboundConnector (TlsSettings, TlsDomain); RFC 3207 (SMTP STARTTLS)",
	},
	{
		.id = "smtp.attribution-failed",
		.sev = SEV_FAILURE,
		.title =
		    "Exchange Online did not attribute the connection to the tenant's inbound "
		    "connector",
		.explanation =
		    "RCPT TO was answered 550 5.7.64 TenantAttribution; Relay Access Denied "
		    "or 451 4.4.62 ... ATTR35 (the summary quotes it): Exchange Online could "
		    "not tie the connection to an OnPremises inbound connector of the tenant, "
		    "so it treats it as anonymous internet mail and does not relay it to "
		    "outside recipients. A connector matches either by the sending IP (the "
		    "public address must be in SenderIPAddresses) or by the certificate the "
		    "sender presents (its name must match TlsSenderCertificateName, a domain "
		    "that should be an accepted domain of the tenant); ATTR35 also appears "
		    "when mail goes to a retired Microsoft endpoint "
		    "(mail.messaging.microsoft.com, mail.global.frontbridge.com, an IP "
		    "literal). hybridtls does not present the Exchange certificate, so "
		    "against a connector that matches by certificate (the Hybrid "
		    "Configuration Wizard's default) this probe fails by design and shows "
		    "only that the IP alone does not match. For the Exchange servers "
		    "themselves the same failure bounces mail relayed to outside recipients "
		    "with 550 5.7.64, and their mail to cloud mailboxes arrives as anonymous "
		    "external mail.",
		.fix =
		    "1. In Exchange Online PowerShell: `Get-InboundConnector | fl Name,"
		    "Enabled,ConnectorType,SenderIPAddresses,TlsSenderCertificateName,"
		    "RequireTls`. The hybrid connector (`Inbound from <guid>`) must be "
		    "enabled and of type OnPremises.\n"
		    "2. Matching by IP: the public address the Exchange servers send from "
		    "(smtp.observed-ip, when hybridtls runs on their network egress) must be "
		    "listed: `Set-InboundConnector \"Inbound from <guid>\" -SenderIPAddresses "
		    "<address>,<address>` (the parameter replaces the whole list; IPv4 only, "
		    "single addresses or /24 to /32).\n"
		    "3. Matching by certificate: the certificate on the on-premises Send "
		    "connector (`Get-SendConnector \"Outbound to Office 365 - <guid>\" | fl "
		    "TlsCertificateName,Fqdn`) must carry the name in "
		    "TlsSenderCertificateName, and that domain should be an accepted domain "
		    "(`Get-AcceptedDomain`). After a renewal with a new name, re-run the "
		    "Hybrid Configuration Wizard and choose the new certificate, or "
		    "`Set-InboundConnector \"Inbound from <guid>\" -TlsSenderCertificateName "
		    "mail.contoso.com`. The server must send the full chain (see "
		    "tls.chain-incomplete).\n"
		    "4. ATTR35: the Send connector must deliver to the tenant's endpoint "
		    "(`<tenant>.mail.onmicrosoft.com` by DNS, or "
		    "contoso-com.mail.protection.outlook.com as smart host), not to a retired "
		    "one: `Get-SendConnector | fl "
		    "Name,AddressSpaces,SmartHosts,DNSRoutingEnabled`; remove legacy MX "
		    "values (see dns.mx-legacy).\n"
		    "5. Since November 2023, Exchange Online relays to outside recipients "
		    "only when the certificate domain or the MAIL FROM domain is an accepted "
		    "domain of the tenant; mail with a null sender (NDRs) depends on the "
		    "certificate.",
		.verify =
		    "With a connector that matches by IP: re-run `hybridtls smtp "
		    "contoso-com.mail.protection.outlook.com --envelope FROM,TO` from the "
		    "Exchange servers' network, FROM in an accepted domain, and check that "
		    "this finding is gone.\n"
		    "On the Exchange servers: a test message from an on-premises mailbox to "
		    "an outside recipient, relayed through Exchange Online, is delivered, and "
		    "mail from on-premises to a cloud mailbox no longer carries "
		    "`X-MS-Exchange-Organization-AuthAs: Anonymous` in its headers.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: 550 5.7.64 TenantAttribution, Relay Access Denied (KB "
		    "3212877); Microsoft Learn: ATTR35 response code when mail is sent to "
		    "EOP/EXO (wrong-office-365-region-exo); Microsoft Learn: "
		    "New-InboundConnector and Set-InboundConnector (TlsSenderCertificateName, "
		    "SenderIPAddresses); Microsoft 365 Message Center MC1226222: guidance for "
		    "on-premises connectors configuration (2026); Microsoft Learn: Updated "
		    "requirements for SMTP relay through Exchange Online "
		    "(updated-requirements-smtp-relay); Exchange Team Blog (2020-05-27): "
		    "Demystifying and troubleshooting hybrid mail flow: when is a message "
		    "internal?",
	},
	{
		.id = "smtp.relay-denied",
		.sev = SEV_INFO,
		.title =
		    "The recipient was refused as relaying (expected for an outside "
		    "recipient)",
		.explanation =
		    "RCPT TO was answered with a relay refusal such as 550 5.7.1 Unable to "
		    "relay or 554 5.7.1 Relay access denied (the summary quotes it): the "
		    "server accepts mail from an unknown client only for its own domains, and "
		    "the test recipient is not in one of them. That is the expected answer "
		    "when hybridtls tests with an outside recipient, because it connects "
		    "unauthenticated and, unless its address matches an inbound connector, "
		    "unattributed; it says nothing about TLS. It is a problem only when the "
		    "recipient is in one of your domains: then the domain is not an accepted "
		    "domain on the side that answered, or the MX points to a system that does "
		    "not accept it.",
		.fix =
		    "Nothing needs fixing because of this finding alone.\n"
		    "1. To test TLS enforcement and delivery, re-run with a recipient in an "
		    "accepted domain of the tenant: `--envelope "
		    "admin@contoso.com,user@contoso.com` (`Get-AcceptedDomain` in Exchange "
		    "Online PowerShell lists them).\n"
		    "2. If the recipient is already in one of your domains, check it with "
		    "`Get-AcceptedDomain` on the side that answered (in Exchange Online the "
		    "shared domain is Internal Relay while mailboxes remain on-premises), and "
		    "check that the domain's MX points to Exchange Online or to your Exchange "
		    "servers.",
		.verify =
		    "Re-run with `--envelope FROM,TO` and a recipient in an accepted domain: "
		    "RCPT TO is accepted, or refused only until TLS is started "
		    "(smtp.tls-enforced).",
		.refs =
		    "Microsoft Learn: Email non-delivery reports and SMTP errors in Exchange "
		    "Online; RFC 5321 (SMTP)",
	},
	{
		.id = "smtp.envelope-rejected",
		.sev = SEV_WARNING,
		.title =
		    "MAIL FROM or RCPT TO was refused for another reason",
		.explanation =
		    "The server refused the sender or the recipient of the test envelope with "
		    "a reply that is neither a demand for TLS, a relay refusal nor an "
		    "attribution failure; the summary carries the reply and says which "
		    "command got it, before or after TLS. Its meaning depends on the code, "
		    "and `hybridtls explain` interprets it: from Exchange Online, for "
		    "example, 550 5.4.1 Recipient address rejected: Access denied "
		    "(Directory-Based Edge Blocking: the recipient is not in Exchange "
		    "Online's directory), 550 5.1.10 RESOLVER.ADR.RecipientNotFound, 550 "
		    "5.7.57 Client was not authenticated (the client submission endpoint "
		    "smtp.office365.com, which is not the hybrid endpoint) or 550 5.7.606 to "
		    "5.7.649 (banned sending IP, see smtp.eop-blocked); a 4xx reply is "
		    "temporary. Until it is understood, real mail with the same sender or "
		    "recipient may be refused the same way.",
		.fix =
		    "1. Read the reply in the summary and run `hybridtls explain` with its "
		    "text, for its meaning and the check that tests its cause.\n"
		    "2. Test with addresses that should work: a sender in one of your "
		    "accepted domains and a recipient that exists on the side that answered "
		    "(`Get-Recipient user@contoso.com`); Exchange Online refuses recipients "
		    "that are not synced to its directory when Directory-Based Edge Blocking "
		    "applies.\n"
		    "3. Test the right endpoint: hybrid mail goes to "
		    "contoso-com.mail.protection.outlook.com on port 25, not to "
		    "smtp.office365.com, which is for authenticated client submission.\n"
		    "4. If the reply names the sending IP (5.7.606 to 5.7.649, Spamhaus), "
		    "follow smtp.eop-blocked or dnsbl.listed.",
		.verify =
		    "Re-run with `--envelope FROM,TO`: MAIL FROM and RCPT TO are accepted, or "
		    "refused only until TLS is started (smtp.tls-enforced).",
		.refs =
		    "Microsoft Learn: Email non-delivery reports and SMTP errors in Exchange "
		    "Online; Microsoft Learn: Use Directory-Based Edge Blocking to reject "
		    "messages sent to invalid recipients; RFC 5321 (SMTP); RFC 3463 (enhanced "
		    "mail status codes)",
	},
	{
		.id = "compare.banner-differs",
		.sev = SEV_WARNING,
		.title =
		    "The two sides saw different greetings",
		.explanation =
		    "The 220 greeting differs between A and B (the evidence shows both). When "
		    "A and B are one service seen from inside and outside, something in "
		    "between rewrites the greeting: a Cisco ASA or PIX with SMTP inspection "
		    "replaces it with asterisks, and a gateway that answers in place of the "
		    "mail server (Check Point's Mail Transfer Agent, an SMTP proxy, a "
		    "filtering service) greets with its own name. A device that rewrites the "
		    "greeting usually rewrites more, so read the extension and certificate "
		    "comparisons beside this one. For two different targets, or a pool of "
		    "servers behind one name, different host names may simply be different "
		    "servers.",
		.fix =
		    "1. Tell which greeting is the real one: Exchange and Exchange Online "
		    "greet with `<host> Microsoft ESMTP MAIL Service ready at ...`. Asterisks "
		    "point to Cisco ASA or PIX inspection; another product's name points to a "
		    "gateway or proxy that answers in place of Exchange.\n"
		    "2. Cisco ASA: in configuration mode `policy-map global_policy`, `class "
		    "inspection_default`, `no inspect esmtp`, then `write memory`. To keep "
		    "inspection, use a map that lets TLS and the greeting through: "
		    "`policy-map type inspect esmtp ESMTP_HYBRID`, `parameters`, `allow-tls`, "
		    "`no mask-banner`; then `policy-map global_policy`, `class "
		    "inspection_default`, `no inspect esmtp`, `inspect esmtp ESMTP_HYBRID`. "
		    "On Firepower Threat Defense managed by the Firewall Management Center, "
		    "deploy the same commands through a FlexConfig policy.\n"
		    "3. Cisco PIX 6.x: `no fixup protocol smtp 25`, then `write memory`.\n"
		    "4. A gateway or proxy that is not meant to be a mail hop: take the "
		    "traffic between Exchange and Exchange Online out of it. Fortinet "
		    "FortiGate: in the firewall policy that carries this traffic, use the "
		    "`certificate-inspection` SSL/SSH profile instead of deep inspection "
		    "(CLI: `config firewall policy`, `edit <id>`, `set ssl-ssh-profile "
		    "certificate-inspection`, `end`), or exempt the Exchange servers and "
		    "Exchange Online's addresses from deep inspection. Check Point: leave the "
		    "traffic between Exchange and Exchange Online out of the gateway's Mail "
		    "Transfer Agent (SmartConsole: the gateway object > Mail Transfer Agent) "
		    "and out of TLS inspection, then install the policy. SonicWall: add the "
		    "Exchange servers and Exchange Online's addresses to the DPI-SSL "
		    "exclusions (Client DPI-SSL for mail going out, Server DPI-SSL for mail "
		    "coming in).\n"
		    "5. A gateway that is meant to be a mail hop: see "
		    "compare.certificate-differs for what the connectors then need.",
		.verify =
		    "Run the same comparison again: `hybridtls compare A B` ends in "
		    "compare.same, or the greetings differ only where A and B really are "
		    "different servers.",
		.refs =
		    "Cisco ASA Series Firewall CLI Configuration Guide: SMTP and Extended "
		    "SMTP Inspection (Defaults for ESMTP Inspection); Microsoft Support KB "
		    "320027 and KB 295725: SMTP fixup (Mailguard) on Cisco PIX/ASA firewalls; "
		    "Server Fault question 398147: SMTP banner masked with asterisks by a "
		    "Cisco FWSM; Check Point R81.10 Threat Prevention Administration Guide: "
		    "Configuring the Security Gateway as a Mail Transfer Agent",
	},
	{
		.id = "compare.extensions-differ",
		.sev = SEV_WARNING,
		.title =
		    "The two sides saw different EHLO extensions",
		.explanation =
		    "One side's EHLO reply lists extensions the other's does not (the "
		    "evidence names each, with the side that saw it). For one service seen "
		    "from inside and outside, a device in between rewrites the reply: Cisco "
		    "ASA ESMTP inspection masks extensions it does not know and, unless it "
		    "allows TLS, removes STARTTLS or turns it into XXXXXXXA; PIX fixup and "
		    "other SMTP proxies cut the list down to what they support. If STARTTLS "
		    "is among the differences, the side without it cannot encrypt, and the "
		    "hybrid connectors, which require TLS, do not deliver on that path. "
		    "Receive connectors set up differently on the servers behind one name "
		    "also give different lists, so compare each server's own address as well.",
		.fix =
		    "If extensions are missing or turned into X's on the side that passes a "
		    "firewall, turn off its SMTP inspection for this traffic or let TLS "
		    "through it.\n"
		    "1. Cisco ASA: in configuration mode `policy-map global_policy`, `class "
		    "inspection_default`, `no inspect esmtp`, then `write memory`. To keep "
		    "inspection, use a map that lets TLS through: `policy-map type inspect "
		    "esmtp ESMTP_HYBRID`, `parameters`, `allow-tls`, `no mask-banner`; then "
		    "`policy-map global_policy`, `class inspection_default`, `no inspect "
		    "esmtp`, `inspect esmtp ESMTP_HYBRID`. On Firepower Threat Defense "
		    "managed by the Firewall Management Center, deploy the same commands "
		    "through a FlexConfig policy.\n"
		    "2. Cisco PIX 6.x: `no fixup protocol smtp 25`, then `write memory`.\n"
		    "3. Other vendors: turn off the SMTP proxy or its command filtering for "
		    "this traffic. Fortinet FortiGate: in the firewall policy that carries "
		    "this traffic, use the `certificate-inspection` SSL/SSH profile instead "
		    "of deep inspection (CLI: `config firewall policy`, `edit <id>`, `set "
		    "ssl-ssh-profile certificate-inspection`, `end`), or exempt the Exchange "
		    "servers and Exchange Online's addresses from deep inspection. Check "
		    "Point: leave the traffic between Exchange and Exchange Online out of the "
		    "gateway's Mail Transfer Agent (SmartConsole: the gateway object > Mail "
		    "Transfer Agent) and out of TLS inspection, then install the policy. "
		    "SonicWall: add the Exchange servers and Exchange Online's addresses to "
		    "the DPI-SSL exclusions (Client DPI-SSL for mail going out, Server "
		    "DPI-SSL for mail coming in).\n"
		    "4. If the difference is between two Exchange servers, compare their "
		    "connectors: `Get-ReceiveConnector -Server <SERVER> | fl "
		    "Identity,Bindings,AuthMechanism,TlsCertificateName,Fqdn` on each, and "
		    "align them (see cause.receive-connector-certificate when one of them "
		    "lacks STARTTLS).\n"
		    "Do not work around this by turning TLS off (`-IgnoreSTARTTLS $true` or "
		    "`-RequireTLS $false` on the Send connector, or removing the TLS "
		    "requirement from a connector in Exchange Online): the hybrid connectors "
		    "require TLS, so mail is then either refused or no longer matched to the "
		    "hybrid inbound connector and handled as anonymous internet mail, which "
		    "loses its internal status and cannot be relayed to external recipients "
		    "(550 5.7.64 TenantAttribution).",
		.verify =
		    "`hybridtls compare A B` no longer reports this finding, and both sides "
		    "list 250-STARTTLS.",
		.refs =
		    "Cisco ASA Series Firewall CLI Configuration Guide: SMTP and Extended "
		    "SMTP Inspection (Defaults for ESMTP Inspection); Cisco document "
		    "118550-qa-esa-00: Why do you see XXXXXXXA after EHLO; Microsoft Support "
		    "KB 320027 and KB 295725: SMTP fixup (Mailguard) on Cisco PIX/ASA "
		    "firewalls; Microsoft Learn: Set-ReceiveConnector (TlsCertificateName, "
		    "AuthMechanism); RFC 3207 (SMTP STARTTLS)",
	},
	{
		.id = "compare.certificate-differs",
		.sev = SEV_WARNING,
		.title =
		    "The two sides were shown different certificates",
		.explanation =
		    "The TLS certificate differs between A and B, or only one side got one "
		    "(the evidence shows subjects and SHA-256 fingerprints). For one service "
		    "seen from inside and outside, a device in between terminates TLS and "
		    "presents its own certificate: a firewall with deep SSL inspection "
		    "(Fortinet deep inspection, SonicWall DPI-SSL), a gateway acting as the "
		    "mail server (Check Point's Mail Transfer Agent, an SMTP proxy or "
		    "filtering service), or a load balancer with its own certificate. "
		    "Exchange Online then checks that certificate instead of Exchange's: mail "
		    "to on-premises fails with 450 4.7.320 Certificate validation failed when "
		    "it does not match the outbound connector's TlsDomain, and mail from "
		    "on-premises no longer matches the inbound connector's "
		    "TlsSenderCertificateName, so relaying fails with 550 5.7.64 "
		    "TenantAttribution and cloud mail loses its internal status. Servers "
		    "behind one name with different certificates give the same finding, and "
		    "delivery then fails only some of the time.",
		.fix =
		    "1. Tell which certificate is Exchange's: compare the subjects and "
		    "issuers in the evidence with `Get-ExchangeCertificate | fl "
		    "Thumbprint,Subject,Issuer,Services`. An issuer Exchange does not have, "
		    "often the firewall's own CA (such as Fortinet_CA_SSL), marks the "
		    "device's certificate.\n"
		    "2. A device that is not meant to be a mail hop: exempt the traffic "
		    "between Exchange and Exchange Online from its TLS inspection. Fortinet "
		    "FortiGate: in the firewall policy that carries this traffic, use the "
		    "`certificate-inspection` SSL/SSH profile instead of deep inspection "
		    "(CLI: `config firewall policy`, `edit <id>`, `set ssl-ssh-profile "
		    "certificate-inspection`, `end`), or exempt the Exchange servers and "
		    "Exchange Online's addresses from deep inspection. SonicWall: add the "
		    "Exchange servers and Exchange Online's addresses to the DPI-SSL "
		    "exclusions (Client DPI-SSL for mail going out, Server DPI-SSL for mail "
		    "coming in). Check Point: leave the traffic between Exchange and Exchange "
		    "Online out of the gateway's Mail Transfer Agent (SmartConsole: the "
		    "gateway object > Mail Transfer Agent) and out of TLS inspection, then "
		    "install the policy. A load balancer should pass port 25 through as TCP "
		    "instead of terminating TLS.\n"
		    "3. A gateway that is meant to stay as a mail hop: the connectors must "
		    "name its certificate, `Set-OutboundConnector \"Outbound to <guid>\" "
		    "-TlsDomain <name on its certificate>` and `Set-InboundConnector "
		    "\"Inbound from <guid>\" -TlsSenderCertificateName <name on its "
		    "certificate>` (a domain that is an accepted domain of the tenant), and "
		    "it must relay the messages unchanged.\n"
		    "4. Two Exchange servers with different certificates: bind the same "
		    "public certificate on every receiving server, "
		    "`Enable-ExchangeCertificate -Thumbprint <thumbprint> -Services SMTP` and "
		    "`Set-ReceiveConnector \"<SERVER>\\Default Frontend <SERVER>\" "
		    "-TlsCertificateName \"<I>issuer<S>subject\"` (see "
		    "cause.receive-connector-certificate).",
		.verify =
		    "`hybridtls compare A B` ends in compare.same, and the certificate both "
		    "sides get is the one the connectors name.\n"
		    "Exchange Online's message trace no longer shows 450 4.7.320 for mail to "
		    "on-premises, and mail relayed from on-premises to outside recipients no "
		    "longer bounces with 550 5.7.64.",
		.refs =
		    "Fortinet community: inbound SMTP STARTTLS deep inspection causes "
		    "delivery or banner timeouts; Check Point R81.10 Threat Prevention "
		    "Administration Guide: Configuring the Security Gateway as a Mail "
		    "Transfer Agent; Microsoft Learn: 550 5.7.64 TenantAttribution, Relay "
		    "Access Denied (KB 3212877); Microsoft archive blog (Exchange Challenge "
		    "Accepted): mail not routing to on-premises Exchange 2013 from O365 with "
		    "450 4.7.320 certificate validation failed; Microsoft Learn: "
		    "New-OutboundConnector and Set-OutboundConnector (TlsSettings, "
		    "TlsDomain); Microsoft Learn: New-InboundConnector and "
		    "Set-InboundConnector (TlsSenderCertificateName, SenderIPAddresses); "
		    "Microsoft 365 Message Center MC1226222: guidance for on-premises "
		    "connectors configuration (2026)",
	},
	{
		.id = "compare.observed-ip-differs",
		.sev = SEV_INFO,
		.title =
		    "The server saw different client addresses from the two sides",
		.explanation =
		    "The EHLO replies named different client addresses for A and B (the "
		    "summary gives both): the two connections left through different NAT "
		    "rules or internet links, as with a second provider, a failover link or "
		    "policy routing for port 25. Only the address the Exchange servers really "
		    "send from counts: Exchange Online's inbound connector compares it with "
		    "SenderIPAddresses when it matches by IP, blocklists judge it, and SPF "
		    "must authorise it. If the Exchange servers can leave through either "
		    "path, every address they may use must be in all three places.",
		.fix =
		    "Nothing needs fixing because of this finding alone; make sure the "
		    "addresses the Exchange servers use are the ones configured.\n"
		    "1. Find them: in the SmtpSend protocol log of each Exchange server, "
		    "Exchange Online's EHLO reply names the address (`Hello [address]`); or "
		    "read the firewall's outbound NAT rules for the Exchange servers.\n"
		    "2. If the hybrid inbound connector matches by IP, list every one of "
		    "them: `Set-InboundConnector \"Inbound from <guid>\" -SenderIPAddresses "
		    "<address>,<address>` (the parameter replaces the whole list; IPv4 only, "
		    "single addresses or /24 to /32).\n"
		    "3. Or pin the Exchange servers to one address with an outbound NAT rule "
		    "for port 25, and check that address with `hybridtls blocklist` and "
		    "against the domain's SPF record.",
		.verify =
		    "Re-run `hybridtls compare A B` from the Exchange servers' network: the "
		    "addresses match, or each one is in SenderIPAddresses and in the SPF "
		    "record.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(TlsSenderCertificateName, SenderIPAddresses); Microsoft 365 Message "
		    "Center MC1226222: guidance for on-premises connectors configuration "
		    "(2026); Microsoft Learn: 550 5.7.64 TenantAttribution, Relay Access "
		    "Denied (KB 3212877)",
	},
	{
		.id = "compare.same",
		.sev = SEV_OK,
		.title =
		    "Both sides saw the same greeting, extensions and certificate",
		.explanation =
		    "A and B got the same 220 greeting, the same EHLO extensions and the same "
		    "certificate. For one service seen from inside and outside, nothing in "
		    "between rewrites the SMTP conversation or terminates TLS on these paths, "
		    "so firewall inspection is not the cause of a TLS problem here; the "
		    "server's own findings are the ones to read. The comparison covers only "
		    "these two paths: a device that treats other senders, such as Exchange "
		    "Online's addresses, differently does not show in it.",
		.fix =
		    "Nothing to fix.",
		.verify =
		    "Nothing to verify.",
		.refs =
		    "RFC 5321 (SMTP); RFC 3207 (SMTP STARTTLS)",
	},
	{
		.id = "connector.unreadable",
		.sev = SEV_UNTESTED,
		.title =
		    "The connector export could not be read",
		.explanation =
		    "hybridtls could not read the connector export (the summary names the "
		    "line and what was expected there), so none of the connector checks ran: "
		    "not the public IP against SenderIPAddresses, not the certificate name "
		    "against TlsSenderCertificateName, not the TLS settings. It reads what "
		    "the cmdlets write: `ConvertTo-Json` output (one object or an array), "
		    "`Export-Clixml` files and `Format-List` text, in UTF-8 or in the UTF-16 "
		    "that Windows PowerShell's `>` writes, with or without a byte order "
		    "mark. Typical causes are a file cut off while copying, a console "
		    "transcript with prompts and error messages mixed in, an `Export-Csv` "
		    "file (which writes every list as a type name), or the output of another "
		    "cmdlet such as `Get-Mailbox`.",
		.fix =
		    "Export each kind of connector to its own file, in the shell where its "
		    "cmdlet runs (Exchange Online PowerShell for Get-InboundConnector and "
		    "Get-OutboundConnector, the Exchange Management Shell for "
		    "Get-SendConnector and Get-ReceiveConnector):\n"
		    "1. JSON (preferred): `Get-InboundConnector | ConvertTo-Json -Depth 5 | "
		    "Out-File inbound.json -Encoding utf8`; likewise `Get-OutboundConnector "
		    "| ConvertTo-Json -Depth 5 | Out-File outbound.json -Encoding utf8`, and "
		    "on-premises `Get-SendConnector | ConvertTo-Json -Depth 5 | Out-File "
		    "send.json -Encoding utf8` and `Get-ReceiveConnector | ConvertTo-Json "
		    "-Depth 5 | Out-File receive.json -Encoding utf8`. Keep `-Depth 5`: the "
		    "default depth of 2 loses nested values (see connector.value-lost).\n"
		    "2. Clixml, which keeps every value with its type: `Get-InboundConnector "
		    "| Export-Clixml inbound.xml`.\n"
		    "3. Text, when all you have is the console: run `$FormatEnumerationLimit "
		    "= -1` first (otherwise lists longer than four entries are cut off with "
		    "...), then `Get-InboundConnector | Format-List > inbound.txt`.\n"
		    "4. Copy the file as it is: one command's output per file, not edited, "
		    "not pasted together with other output. Then run `hybridtls connector "
		    "inbound.json` again.",
		.verify =
		    "`hybridtls connector inbound.json` names the format it recognised and "
		    "the connectors it found, this finding is gone, and the connector "
		    "findings follow.",
		.refs =
		    "Microsoft Learn: ConvertTo-Json (Depth, EnumsAsStrings); Microsoft "
		    "Learn: Export-Clixml; Microsoft Learn: about_Character_Encoding; "
		    "Microsoft Learn: about_Preference_Variables ($FormatEnumerationLimit); "
		    "Microsoft Learn: Get-InboundConnector",
	},
	{
		.id = "connector.value-lost",
		.sev = SEV_WARNING,
		.title =
		    "A connector property was cut off by ConvertTo-Json's depth limit",
		.explanation =
		    "`ConvertTo-Json` writes nested objects only down to a depth of 2 unless "
		    "told otherwise; deeper values, such as the items of a list of IP ranges "
		    "or the parts of a certificate identifier, come out as their ToString() "
		    "text, often no more than a .NET type name (the summary names the "
		    "property and what was written). Windows PowerShell 5.1 does this "
		    "without a warning; PowerShell 7.1 and later warn that the JSON was "
		    "truncated. hybridtls cannot judge a value it cannot see, so the checks "
		    "that depend on this property were skipped: a SenderIPAddresses list "
		    "reduced to a type name, for example, holds no address that could match.",
		.fix =
		    "1. Export again with a greater depth: `Get-InboundConnector | "
		    "ConvertTo-Json -Depth 5 | Out-File inbound.json -Encoding utf8` (the "
		    "same for `Get-OutboundConnector`, `Get-SendConnector` and "
		    "`Get-ReceiveConnector`).\n"
		    "2. On PowerShell 7, add `-EnumsAsStrings` so that settings such as "
		    "TlsSettings and TlsAuthLevel are written as names rather than numbers: "
		    "`Get-OutboundConnector | ConvertTo-Json -Depth 5 -EnumsAsStrings | "
		    "Out-File outbound.json -Encoding utf8`.\n"
		    "3. Or use `Export-Clixml`, which keeps every value with its type: "
		    "`Get-InboundConnector | Export-Clixml inbound.xml`.\n"
		    "Nothing in the connector itself needs changing because of this finding.",
		.verify =
		    "Re-run `hybridtls connector inbound.json` on the new export: this "
		    "finding is gone, and the other connector findings show real values "
		    "(addresses, names) where a type name was.",
		.refs =
		    "Microsoft Learn: ConvertTo-Json (Depth, EnumsAsStrings); PowerShell "
		    "GitHub issue 8381: ConvertTo-Json truncates silently at the default "
		    "depth; Microsoft Learn: Export-Clixml",
	},
	{
		.id = "connector.hybrid-checked",
		.sev = SEV_INFO,
		.title =
		    "The connector hybridtls checked as the hybrid connector",
		.explanation =
		    "An export can hold several connectors; hybridtls checks the one the "
		    "Hybrid Configuration Wizard made for hybrid mail flow, and the summary "
		    "names it and why it was chosen: ConnectorType OnPremises, "
		    "ConnectorSource HybridWizard, a name of the wizard's form (`Inbound "
		    "from <guid>` and `Outbound to <guid>` in Exchange Online, `Outbound to "
		    "Office 365 - <guid>` on-premises), enabled connectors before disabled "
		    "ones. Exchange Online applies an OnPremises inbound connector to mail "
		    "from your servers when the sending IP is in its SenderIPAddresses or "
		    "the certificate they present matches its TlsSenderCertificateName; only "
		    "OnPremises connectors give that mail the hybrid rights (internal "
		    "status, relaying to outside recipients), so Partner connectors and "
		    "connectors for other systems are not the ones that matter here.",
		.fix =
		    "Nothing to fix. If hybridtls picked a different connector from the one "
		    "your servers use, export only that one and check it: "
		    "`Get-InboundConnector \"<name>\" | ConvertTo-Json -Depth 5 | Out-File "
		    "inbound.json -Encoding utf8`. Several OnPremises inbound connectors "
		    "that could all match your servers make it hard to tell which one "
		    "applies; keep the wizard's connector, and review the others with "
		    "`Get-InboundConnector | fl "
		    "Name,Enabled,ConnectorType,ConnectorSource,SenderIPAddresses,TlsSenderCertificateName,WhenCreated` "
		    "before you remove any of them.",
		.verify =
		    "The summary names the connector you expected. "
		    "`Get-OnPremisesOrganization | fl InboundConnector,OutboundConnector` in "
		    "Exchange Online PowerShell names the connectors the wizard linked to "
		    "the hybrid configuration.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(TlsSenderCertificateName, SenderIPAddresses); Microsoft Learn: Hybrid "
		    "Configuration Wizard; Microsoft 365 Message Center MC1226222: guidance "
		    "for on-premises connectors configuration (2026)",
	},
	{
		.id = "connector.no-hybrid",
		.sev = SEV_FAILURE,
		.title =
		    "The export has no OnPremises inbound connector",
		.explanation =
		    "None of the inbound connectors in the export is of type OnPremises (the "
		    "summary lists what was found), so Exchange Online has no connector that "
		    "ties the on-premises servers to the tenant. Their mail is handled as "
		    "ordinary internet mail arriving through the MX: it loses its internal "
		    "status (cross-premises headers are dropped and it is filtered as "
		    "anonymous external mail), TLS is not enforced for it, and relaying to "
		    "outside recipients fails with 550 5.7.64 TenantAttribution; Relay "
		    "Access Denied or 451 4.4.62 ... ATTR35. A Partner connector for the "
		    "same servers does not stand in for it, because only OnPremises "
		    "connectors carry the hybrid rights. If the export was filtered or comes "
		    "from another tenant, the finding says more about the file than about "
		    "the tenant.",
		.fix =
		    "1. Check the tenant, not only the file: `Get-InboundConnector | fl "
		    "Name,Enabled,ConnectorType,ConnectorSource,SenderIPAddresses,TlsSenderCertificateName` "
		    "in Exchange Online PowerShell, connected to the right tenant "
		    "(`Get-AcceptedDomain` lists its domains). If the connector is there, "
		    "export all inbound connectors again and re-run.\n"
		    "2. Re-run the Hybrid Configuration Wizard (https://aka.ms/HybridWizard) "
		    "on an Exchange server and choose the public certificate your servers "
		    "present on its transport certificate page; it re-creates `Inbound from "
		    "<guid>` and `Outbound to <guid>` with the settings that belong together.\n"
		    "3. If the wizard cannot run now, create the connector in Exchange "
		    "Online PowerShell with the name on your certificate: "
		    "`New-InboundConnector -Name \"Inbound from on-premises\" -ConnectorType "
		    "OnPremises -SenderDomains * -TlsSenderCertificateName mail.contoso.com "
		    "-RequireTls $true -CloudServicesMailEnabled $true`. mail.contoso.com "
		    "must be a name on the certificate the Send connector presents and "
		    "should be an accepted domain of the tenant. Run the wizard later, so "
		    "that the rest of the hybrid configuration matches.\n"
		    "4. If a Partner connector was created for the Exchange servers as a "
		    "stopgap, review it once the OnPremises connector works.",
		.verify =
		    "Export again (`Get-InboundConnector | ConvertTo-Json -Depth 5 | "
		    "Out-File inbound.json -Encoding utf8`) and re-run `hybridtls connector "
		    "inbound.json`: connector.hybrid-checked names the connector, and the IP "
		    "or certificate findings under it are OK.\n"
		    "A test message from an on-premises mailbox to an outside recipient, "
		    "relayed through Exchange Online, is delivered, and mail from "
		    "on-premises to a cloud mailbox carries "
		    "`X-MS-Exchange-Organization-AuthAs: Internal` in its headers, not "
		    "Anonymous.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(TlsSenderCertificateName, SenderIPAddresses); Microsoft Learn: Hybrid "
		    "Configuration Wizard; Microsoft Learn: 550 5.7.64 TenantAttribution, "
		    "Relay Access Denied (KB 3212877); Microsoft Learn: ATTR35 response code "
		    "when mail is sent to EOP/EXO (wrong-office-365-region-exo); Exchange "
		    "Team Blog (2020-05-27): Demystifying and troubleshooting hybrid mail "
		    "flow: when is a message internal?",
	},
	{
		.id = "connector.disabled",
		.sev = SEV_FAILURE,
		.title =
		    "The hybrid inbound connector is disabled",
		.explanation =
		    "The hybrid inbound connector (the summary names it) has Enabled False, "
		    "so Exchange Online ignores it, however well its IP addresses and "
		    "certificate name match. Mail from the on-premises servers then arrives "
		    "as internet mail through the MX: it loses its internal status, TLS is "
		    "not enforced for it, and mail relayed to outside recipients fails with "
		    "550 5.7.64 TenantAttribution or 451 4.4.62 ... ATTR35, while mail to "
		    "cloud mailboxes keeps arriving, which is why this can go unnoticed for "
		    "a while. Connectors are usually switched off by hand during "
		    "troubleshooting or a migration and then forgotten.",
		.fix =
		    "1. Check the rest of the connector before you switch it on, so that it "
		    "matches your servers: `Get-InboundConnector \"Inbound from <guid>\" | "
		    "fl "
		    "Enabled,ConnectorType,SenderIPAddresses,TlsSenderCertificateName,RequireTls,CloudServicesMailEnabled` "
		    "(the other connector findings say what is wrong, if anything).\n"
		    "2. Enable it: `Set-InboundConnector -Identity \"Inbound from <guid>\" "
		    "-Enabled $true`, or in the Exchange admin center under Mail flow > "
		    "Connectors.\n"
		    "3. If it was switched off because of a suspected compromise, find out "
		    "why before you enable it. A connector that Exchange Online itself "
		    "blocked is listed by `Get-BlockedConnector`; release it with "
		    "`Remove-BlockedConnector -ConnectorId <guid>` only after the servers "
		    "are clean.",
		.verify =
		    "`Get-InboundConnector \"Inbound from <guid>\" | fl Enabled` shows True; "
		    "a new export run through `hybridtls connector inbound.json` no longer "
		    "reports this finding. Connector changes can take up to an hour to apply "
		    "everywhere in Exchange Online.\n"
		    "A test message from an on-premises mailbox to an outside recipient, "
		    "relayed through Exchange Online, is delivered, and mail from "
		    "on-premises to a cloud mailbox carries "
		    "`X-MS-Exchange-Organization-AuthAs: Internal` in its headers, not "
		    "Anonymous.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(TlsSenderCertificateName, SenderIPAddresses); Microsoft Learn: Remove "
		    "blocked connectors from the Restricted entities page "
		    "(Get-BlockedConnector, Remove-BlockedConnector); Microsoft Learn: 550 "
		    "5.7.64 TenantAttribution, Relay Access Denied (KB 3212877); Microsoft "
		    "Learn: Mail flow intelligence (connectors-mail-flow-intelligence)",
	},
	{
		.id = "connector.ip-listed",
		.sev = SEV_OK,
		.title =
		    "The public IP is in the hybrid connector's SenderIPAddresses",
		.explanation =
		    "The public address Exchange Online sees (the summary gives it and the "
		    "SenderIPAddresses entry that covers it, a single address or a CIDR "
		    "range) is listed on the hybrid inbound connector, so mail the Exchange "
		    "servers send from this address is tied to the connector by IP: it keeps "
		    "its internal status and may be relayed to outside recipients. That "
		    "holds only while the servers really leave through this address; a new "
		    "provider, a second internet link or a changed NAT rule breaks it "
		    "without warning. Microsoft prefers matching by certificate, and calls "
		    "IP matching on an address shared with other organisations (a hosting "
		    "provider's or a shared gateway's) an anti-pattern.",
		.fix =
		    "Nothing to fix. To stop depending on the address, make the certificate "
		    "match too (see connector.cert-name-match); a change of address then no "
		    "longer breaks attribution.",
		.verify =
		    "After any change of provider, internet link or NAT rule, re-run "
		    "`hybridtls check contoso.com --connector inbound.json` from the "
		    "Exchange servers' network.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(TlsSenderCertificateName, SenderIPAddresses); Microsoft 365 Message "
		    "Center MC1226222: guidance for on-premises connectors configuration "
		    "(2026); Microsoft Learn: 550 5.7.64 TenantAttribution, Relay Access "
		    "Denied (KB 3212877)",
	},
	{
		.id = "connector.ip-not-listed",
		.sev = SEV_FAILURE,
		.title =
		    "The public IP is not in the hybrid connector's SenderIPAddresses",
		.explanation =
		    "The public address Exchange Online sees from this network (the summary "
		    "gives it and the connector's SenderIPAddresses) is not listed on the "
		    "hybrid inbound connector. Unless the certificate matches "
		    "TlsSenderCertificateName instead (when neither does, see "
		    "cause.connector-not-used), Exchange Online does not use the connector "
		    "for mail from this address: it treats it as internet mail arriving "
		    "through the MX, enforces no TLS for it, files it as anonymous external "
		    "mail with full spam filtering and no internal status, and refuses to "
		    "relay it to outside recipients with 550 5.7.64 TenantAttribution; Relay "
		    "Access Denied or 451 4.4.62 Mail sent to the wrong Office 365 region. "
		    "ATTR35. Mail to cloud mailboxes keeps arriving, so this often shows "
		    "first as NDRs for outside recipients after a change of provider or NAT "
		    "rule. The wizard's connector often lists no address at all, because it "
		    "matches by certificate; and only the address seen from the Exchange "
		    "servers' own network egress counts.",
		.fix =
		    "1. Confirm the address Exchange Online sees from the Exchange servers: "
		    "their SmtpSend protocol log shows it in Exchange Online's EHLO reply "
		    "(`Hello [203.0.113.7]`), or run hybridtls on a machine with the same "
		    "egress.\n"
		    "2. Matching by IP: add the address (IPv4 only, a single address or a "
		    "range from /24 to /32) and keep the existing entries: "
		    "`Set-InboundConnector -Identity \"Inbound from <guid>\" "
		    "-SenderIPAddresses @{Add=\"203.0.113.7\"}`. Remove addresses you no "
		    "longer use with `@{Remove=\"198.51.100.9\"}`.\n"
		    "3. Matching by certificate, which Microsoft prefers: set "
		    "TlsSenderCertificateName to a name on the certificate your Send "
		    "connector presents, a domain that is an accepted domain of the tenant: "
		    "`Set-InboundConnector -Identity \"Inbound from <guid>\" "
		    "-TlsSenderCertificateName mail.contoso.com` (see "
		    "connector.cert-name-mismatch), or re-run the Hybrid Configuration "
		    "Wizard and choose the certificate on its transport certificate page. "
		    "Either match is enough.\n"
		    "4. Do not add an address that other organisations share with you (a "
		    "hosting provider's outbound NAT, a shared gateway or relay service): "
		    "Microsoft's MC1226222 names IP-based OnPremises connectors on shared "
		    "addresses an anti-pattern that can break without notice. Use the "
		    "certificate there.",
		.verify =
		    "Export again and re-run from the Exchange servers' network: `hybridtls "
		    "check contoso.com --connector inbound.json` reports connector.ip-listed "
		    "or connector.cert-name-match. Connector changes can take up to an hour "
		    "to apply everywhere in Exchange Online.\n"
		    "A test message from an on-premises mailbox to an outside recipient, "
		    "relayed through Exchange Online, is delivered, and mail from "
		    "on-premises to a cloud mailbox carries "
		    "`X-MS-Exchange-Organization-AuthAs: Internal` in its headers, not "
		    "Anonymous.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(TlsSenderCertificateName, SenderIPAddresses); Microsoft 365 Message "
		    "Center MC1226222: guidance for on-premises connectors configuration "
		    "(2026); Microsoft Learn: 550 5.7.64 TenantAttribution, Relay Access "
		    "Denied (KB 3212877); Microsoft Learn: ATTR35 response code when mail is "
		    "sent to EOP/EXO (wrong-office-365-region-exo); Microsoft Learn: Updated "
		    "requirements for SMTP relay through Exchange Online "
		    "(updated-requirements-smtp-relay); Exchange Team Blog (2020-05-27): "
		    "Demystifying and troubleshooting hybrid mail flow: when is a message "
		    "internal?",
	},
	{
		.id = "connector.ip-entry-invalid",
		.sev = SEV_WARNING,
		.title =
		    "A SenderIPAddresses entry has a form Exchange Online does not accept",
		.explanation =
		    "Exchange Online accepts only IPv4 in SenderIPAddresses: a single "
		    "address, or a CIDR range from /24 to /32. The entry in the summary is "
		    "an IPv6 address or range, a prefix shorter than /24, or a from-to range "
		    "(a form Exchange Online accepts for EFSkipIPs, not here), so Exchange "
		    "Online refuses it when it is set and can never match a sender by it. If "
		    "the Exchange servers really send from such an address, for example over "
		    "IPv6, IP matching cannot work for them at all, and the certificate has "
		    "to identify them.",
		.fix =
		    "1. Set the list to what Exchange Online accepts: the single IPv4 "
		    "addresses your servers send from, or ranges from /24 to /32 (split a "
		    "larger range into /24s). The parameter replaces the whole list: "
		    "`Set-InboundConnector -Identity \"Inbound from <guid>\" "
		    "-SenderIPAddresses 198.51.100.0/24,198.51.101.0/24,203.0.113.7`.\n"
		    "2. For servers that reach Exchange Online over IPv6, rely on the "
		    "certificate: TlsSenderCertificateName must match a name on the "
		    "certificate the Send connector presents (see connector.cert-name-match).",
		.verify =
		    "`Set-InboundConnector` accepts the list without an error, and a new "
		    "export run through `hybridtls connector inbound.json` no longer reports "
		    "this finding.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(TlsSenderCertificateName, SenderIPAddresses); Microsoft 365 Message "
		    "Center MC1226222: guidance for on-premises connectors configuration "
		    "(2026)",
	},
	{
		.id = "connector.cert-name-match",
		.sev = SEV_OK,
		.title =
		    "The on-premises certificate carries the connector's "
		    "TlsSenderCertificateName",
		.explanation =
		    "A name on the certificate you gave (in its subject or a subject "
		    "alternative name; the summary names it) matches the hybrid inbound "
		    "connector's TlsSenderCertificateName, exactly or under a wildcard such "
		    "as *.contoso.com. When Exchange presents this certificate to Exchange "
		    "Online, the connector applies whatever address the mail comes from: "
		    "mail from on-premises keeps its internal status and may be relayed to "
		    "outside recipients. This is the matching Microsoft recommends; it still "
		    "needs the Send connector to present this certificate with its full "
		    "chain (see connector.send-tlscertname-ok), and the name should be an "
		    "accepted domain of the tenant.",
		.fix =
		    "Nothing to fix. When you renew the certificate, keep this name on the "
		    "new one, or change TlsSenderCertificateName in the same change; "
		    "re-running the Hybrid Configuration Wizard does both ends.",
		.verify =
		    "After every renewal, re-run `hybridtls check contoso.com --connector "
		    "inbound.json --cert mail.pfx` (add `--cert-password-file FILE` for a "
		    "protected PFX) with the new certificate.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(TlsSenderCertificateName, SenderIPAddresses); Microsoft 365 Message "
		    "Center MC1226222: guidance for on-premises connectors configuration "
		    "(2026); Microsoft Learn: 550 5.7.64 TenantAttribution, Relay Access "
		    "Denied (KB 3212877)",
	},
	{
		.id = "connector.cert-name-mismatch",
		.sev = SEV_FAILURE,
		.title =
		    "The on-premises certificate does not carry the connector's "
		    "TlsSenderCertificateName",
		.explanation =
		    "None of the names on the certificate you gave (subject and subject "
		    "alternative names, listed in the summary) matches the hybrid inbound "
		    "connector's TlsSenderCertificateName, so Exchange Online cannot tie "
		    "mail sent with this certificate to the connector. Unless the sending IP "
		    "is in SenderIPAddresses, that mail is handled as internet mail: it "
		    "loses its internal status, and relaying to outside recipients fails "
		    "with 550 5.7.64 TenantAttribution. The usual story is a renewal with a "
		    "new name (mail2026.contoso.com replacing mail.contoso.com, a wildcard "
		    "replacing a named certificate or the other way round) after which "
		    "nobody updated Exchange Online; the other is that hybridtls was given a "
		    "different certificate from the one the Send connector presents.",
		.fix =
		    "1. Check which certificate Exchange presents: `Get-SendConnector "
		    "\"Outbound to Office 365 - <guid>\" | fl TlsCertificateName,Fqdn` and "
		    "`Get-ExchangeCertificate | fl "
		    "Thumbprint,Subject,CertificateDomains,Services,NotAfter`. If it is not "
		    "the certificate you gave hybridtls, export the right one and run again.\n"
		    "2. Tell Exchange Online the name on the current certificate: "
		    "`Set-InboundConnector -Identity \"Inbound from <guid>\" "
		    "-TlsSenderCertificateName mail.contoso.com` (a name in the "
		    "certificate's subject or SAN). Or re-run the Hybrid Configuration "
		    "Wizard and choose the certificate on its transport certificate page, "
		    "which updates the inbound connector, the outbound connector's TlsDomain "
		    "and the on-premises connectors together.\n"
		    "3. The name should be an accepted domain of the tenant "
		    "(`Get-AcceptedDomain`): Microsoft's MC1226222 names a certificate "
		    "domain that is not an accepted domain an anti-pattern, and since "
		    "November 2023 relaying NDRs (mail with an empty sender) to outside "
		    "recipients depends on it.\n"
		    "4. If the outbound connector's TlsDomain still names the old "
		    "certificate too, change it at the same time: `Set-OutboundConnector "
		    "-Identity \"Outbound to <guid>\" -TlsDomain mail.contoso.com`.",
		.verify =
		    "Re-run `hybridtls check contoso.com --connector inbound.json --cert "
		    "mail.pfx` (add `--cert-password-file FILE` for a protected PFX): it "
		    "reports connector.cert-name-match. Connector changes can take up to an "
		    "hour to apply everywhere in Exchange Online.\n"
		    "A test message from an on-premises mailbox to an outside recipient, "
		    "relayed through Exchange Online, is delivered, and mail from "
		    "on-premises to a cloud mailbox carries "
		    "`X-MS-Exchange-Organization-AuthAs: Internal` in its headers, not "
		    "Anonymous.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(TlsSenderCertificateName, SenderIPAddresses); Microsoft 365 Message "
		    "Center MC1226222: guidance for on-premises connectors configuration "
		    "(2026); Microsoft Learn: 550 5.7.64 TenantAttribution, Relay Access "
		    "Denied (KB 3212877); Microsoft Learn: Updated requirements for SMTP "
		    "relay through Exchange Online (updated-requirements-smtp-relay); "
		    "Microsoft Learn: Hybrid Configuration Wizard",
	},
	{
		.id = "connector.require-tls-off",
		.sev = SEV_WARNING,
		.title =
		    "RequireTls is off on the hybrid inbound connector",
		.explanation =
		    "The hybrid inbound connector (the summary names it) has RequireTls "
		    "False, while the Hybrid Configuration Wizard creates it with RequireTls "
		    "True. Exchange Online may then accept mail this connector applies to "
		    "without TLS, so hybrid mail, with the cross-premises headers that make "
		    "it internal, can cross the internet in clear text; and when a firewall "
		    "strips STARTTLS, mail keeps flowing unencrypted instead of stopping "
		    "where someone would notice. Microsoft's parameter reference describes "
		    "RequireTls for Partner connectors and does not spell out its effect on "
		    "an OnPremises one, so hybridtls holds the connector to the wizard's "
		    "setting. It is usually a leftover from working around 451 5.7.3 Must "
		    "issue a STARTTLS command first, which hides the cause instead of fixing "
		    "it.",
		.fix =
		    "1. Make sure TLS works from the Exchange servers first: `hybridtls smtp "
		    "contoso-com.mail.protection.outlook.com` from their network shows "
		    "250-STARTTLS and a completed handshake; if it does not, fix that first "
		    "(see smtp.starttls-missing and cause.smtp-inspection).\n"
		    "2. Then switch the requirement back on: `Set-InboundConnector -Identity "
		    "\"Inbound from <guid>\" -RequireTls $true`, or re-run the Hybrid "
		    "Configuration Wizard.\n"
		    "3. Check the on-premises side too: `Get-SendConnector \"Outbound to "
		    "Office 365 - <guid>\" | fl "
		    "RequireTLS,IgnoreSTARTTLS,TlsAuthLevel,TlsDomain` should show True, "
		    "False, DomainValidation and mail.protection.outlook.com.\n"
		    "Do not leave TLS off as the workaround for a STARTTLS or certificate "
		    "error (no requirement here, or `-IgnoreSTARTTLS $true` or `-RequireTLS "
		    "$false` on the Send connector): the error is the symptom of a firewall, "
		    "blocklist or certificate problem that hybridtls can find, and without "
		    "TLS hybrid mail loses the protection the connectors exist to give.",
		.verify =
		    "`Get-InboundConnector \"Inbound from <guid>\" | fl RequireTls` shows "
		    "True, and a new export run through `hybridtls connector inbound.json` "
		    "no longer reports this finding.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(RequireTls); Exchange Team Blog (2021-01-15): Understanding email "
		    "scenarios if TLS versions cannot be agreed on with Exchange Online; "
		    "Microsoft Learn: How Exchange Online uses TLS to secure email "
		    "connections in Office 365; Microsoft Learn: Set-SendConnector "
		    "(TlsCertificateName, IgnoreSTARTTLS, RequireTLS); Microsoft Learn: "
		    "Hybrid Configuration Wizard",
	},
	{
		.id = "connector.cloud-services-off",
		.sev = SEV_WARNING,
		.title =
		    "CloudServicesMailEnabled is off on a hybrid connector",
		.explanation =
		    "CloudServicesMailEnabled False on the hybrid connector (the summary "
		    "names it) means the connector no longer carries the cross-premises "
		    "headers: the X-MS-Exchange-Organization-* headers that record that a "
		    "message is internal and how its sender was authenticated are kept "
		    "across the hop (as X-MS-Exchange-CrossPremises-* headers, promoted back "
		    "on arrival) only when it is True, and are removed otherwise. Mail "
		    "between on-premises and cloud mailboxes then loses its internal status: "
		    "anti-spam, external-sender tagging and mail flow rules judge it as "
		    "outside mail, and features that depend on internal status, such as the "
		    "internal out-of-office reply, treat it the same way. The Hybrid "
		    "Configuration Wizard sets it True on the inbound connector, the "
		    "outbound connector and the on-premises Send connector, and Microsoft "
		    "says not to set it by hand.",
		.fix =
		    "1. Re-run the Hybrid Configuration Wizard "
		    "(https://aka.ms/HybridWizard); it sets CloudServicesMailEnabled True on "
		    "all three connectors together, with the settings that go with it.\n"
		    "2. Check all three afterwards: `Get-InboundConnector \"Inbound from "
		    "<guid>\" | fl CloudServicesMailEnabled` and `Get-OutboundConnector "
		    "\"Outbound to <guid>\" | fl CloudServicesMailEnabled` in Exchange "
		    "Online PowerShell, `Get-SendConnector \"Outbound to Office 365 - "
		    "<guid>\" | fl CloudServicesMailEnabled` on-premises.\n"
		    "3. The parameter exists on `Set-InboundConnector`, "
		    "`Set-OutboundConnector` and `Set-SendConnector`, but Microsoft "
		    "recommends not using it unless its support or product documentation "
		    "tells you to. TreatMessagesAsInternal is no substitute: it is meant for "
		    "on-premises systems that are not Exchange, and cannot be combined with "
		    "CloudServicesMailEnabled.",
		.verify =
		    "Mail from an on-premises mailbox to a cloud mailbox carries "
		    "`X-MS-Exchange-Organization-AuthAs: Internal` in its headers, and a new "
		    "export run through `hybridtls connector inbound.json` no longer reports "
		    "this finding.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(CloudServicesMailEnabled, TreatMessagesAsInternal); Microsoft Learn: "
		    "Set-SendConnector (CloudServicesMailEnabled); Exchange Team Blog "
		    "(2020-05-27): Demystifying and troubleshooting hybrid mail flow: when "
		    "is a message internal?; Exchange Team Blog (2019-07-11): Office 365 "
		    "Message Attribution; Microsoft Learn: Hybrid Configuration Wizard",
	},
	{
		.id = "connector.restricted-ip-rejects",
		.sev = SEV_FAILURE,
		.title =
		    "RestrictDomainsToIPAddresses is on and the public IP is not listed",
		.explanation =
		    "The hybrid inbound connector has RestrictDomainsToIPAddresses True, and "
		    "the public address Exchange Online sees from this network (in the "
		    "summary) is not in its SenderIPAddresses. With this setting Exchange "
		    "Online rejects mail from the connector's SenderDomains when it comes "
		    "from an address outside SenderIPAddresses, instead of treating it as "
		    "internet mail, so mail from the Exchange servers sent from this address "
		    "is refused outright. The Hybrid Configuration Wizard leaves it False "
		    "and Microsoft documents it as a Partner connector setting; on the "
		    "hybrid connector it turns every change of provider or NAT rule into an "
		    "outage.",
		.fix =
		    "1. If the Exchange servers send from this address, add it: "
		    "`Set-InboundConnector -Identity \"Inbound from <guid>\" "
		    "-SenderIPAddresses @{Add=\"203.0.113.7\"}` (IPv4, a single address or "
		    "/24 to /32).\n"
		    "2. Unless you need the restriction, return to the wizard's setting and "
		    "let the certificate identify your servers: `Set-InboundConnector "
		    "-Identity \"Inbound from <guid>\" -RestrictDomainsToIPAddresses "
		    "$false`, with TlsSenderCertificateName set to a name on your "
		    "certificate (see connector.cert-name-match).\n"
		    "3. Judge the address from the Exchange servers' network egress: an "
		    "address seen from another network says nothing about theirs.",
		.verify =
		    "Re-run `hybridtls check contoso.com --connector inbound.json` from the "
		    "Exchange servers' network: this finding is gone. Connector changes can "
		    "take up to an hour to apply everywhere in Exchange Online.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(RestrictDomainsToIPAddresses, SenderIPAddresses); Microsoft 365 "
		    "Message Center MC1226222: guidance for on-premises connectors "
		    "configuration (2026)",
	},
	{
		.id = "connector.restricted-cert-rejects",
		.sev = SEV_FAILURE,
		.title =
		    "RestrictDomainsToCertificate is on and the certificate name does not "
		    "match",
		.explanation =
		    "The hybrid inbound connector has RestrictDomainsToCertificate True, and "
		    "the certificate you gave does not carry its TlsSenderCertificateName "
		    "(the summary shows both). With this setting, mail from the connector's "
		    "SenderDomains may use the connector only when the sending server's "
		    "certificate matches TlsSenderCertificateName, and mail from the "
		    "Exchange servers presenting this certificate is refused; Microsoft's "
		    "wording speaks of the certificate's Subject, so a name found only in "
		    "the subject alternative names may not be enough. The Hybrid "
		    "Configuration Wizard leaves it False and Microsoft documents it for "
		    "Partner connectors; on the hybrid connector it turns a renewal with a "
		    "new name into a refusal of all on-premises mail.",
		.fix =
		    "1. Make the names agree: `Set-InboundConnector -Identity \"Inbound from "
		    "<guid>\" -TlsSenderCertificateName mail.contoso.com` with the name in "
		    "the subject of the certificate the Send connector presents, or re-run "
		    "the Hybrid Configuration Wizard and choose the certificate on its "
		    "transport certificate page.\n"
		    "2. Check that the certificate you gave is the one Exchange presents: "
		    "`Get-SendConnector \"Outbound to Office 365 - <guid>\" | fl "
		    "TlsCertificateName`.\n"
		    "3. Unless you need the restriction, return to the wizard's setting: "
		    "`Set-InboundConnector -Identity \"Inbound from <guid>\" "
		    "-RestrictDomainsToCertificate $false`.",
		.verify =
		    "Re-run `hybridtls check contoso.com --connector inbound.json --cert "
		    "mail.pfx`: this finding is gone and connector.cert-name-match is "
		    "reported. Connector changes can take up to an hour to apply everywhere "
		    "in Exchange Online.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(RestrictDomainsToCertificate, TlsSenderCertificateName); Microsoft 365 "
		    "Message Center MC1226222: guidance for on-premises connectors "
		    "configuration (2026)",
	},
	{
		.id = "connector.sender-domains-limited",
		.sev = SEV_INFO,
		.title =
		    "The hybrid inbound connector is limited to some sender domains",
		.explanation =
		    "SenderDomains on the hybrid inbound connector is not `*` (the summary "
		    "lists it; an export may show the wizard's value as `smtp:*;1`). "
		    "Microsoft describes SenderDomains as the scope of a connector: mail "
		    "whose sender domain is not listed does not use it. Mail from the "
		    "Exchange servers with other sender domains, such as accepted domains "
		    "added later, application and device mail, or NDRs with an empty sender, "
		    "may then miss the connector and be handled as internet mail, losing its "
		    "internal status or failing to relay with 550 5.7.64 TenantAttribution. "
		    "The Hybrid Configuration Wizard sets `*` and leaves the choice to the "
		    "IP address and the certificate.",
		.fix =
		    "Nothing to fix if the limit is deliberate and every domain your servers "
		    "send from is listed (`Get-AcceptedDomain` lists the tenant's domains). "
		    "Otherwise return to the wizard's setting: `Set-InboundConnector "
		    "-Identity \"Inbound from <guid>\" -SenderDomains *`, or re-run the "
		    "Hybrid Configuration Wizard.",
		.verify =
		    "`Get-InboundConnector \"Inbound from <guid>\" | fl SenderDomains` shows "
		    "only `*` (written `smtp:*;1`), or every domain your servers send from.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(SenderDomains); Microsoft Learn: 550 5.7.64 TenantAttribution, Relay "
		    "Access Denied (KB 3212877); Microsoft Learn: Hybrid Configuration Wizard",
	},
	{
		.id = "connector.outbound-not-validating",
		.sev = SEV_WARNING,
		.title =
		    "The hybrid outbound connector does not check the on-premises "
		    "certificate name",
		.explanation =
		    "The outbound connector Exchange Online uses to deliver to on-premises "
		    "(the summary gives its TlsSettings) is not set to DomainValidation with "
		    "a TlsDomain, as the Hybrid Configuration Wizard sets it. With no value, "
		    "Exchange Online uses TLS only when on-premises offers it and delivers "
		    "in clear text otherwise; with EncryptionOnly it accepts any "
		    "certificate, a self-signed one or that of a device in between; with "
		    "CertificateValidation it checks the chain but not the name, so any "
		    "publicly trusted certificate passes. Mail to on-premises keeps flowing "
		    "in each case, but is no longer protected against interception or "
		    "delivery to the wrong server. The setting is usually lowered to get rid "
		    "of 450 4.7.320 Certificate validation failed, and the certificate "
		    "problem behind that error remains.",
		.fix =
		    "1. Make sure the on-premises certificate carries the name first, or the "
		    "change turns into 450 4.7.320: `hybridtls smtp mail.contoso.com "
		    "--tls-name mail.contoso.com` from outside your network (the smart host "
		    "and the name on your certificate) must report tls.cert-valid, for every "
		    "server behind that name.\n"
		    "2. Then restore the wizard's setting: `Set-OutboundConnector -Identity "
		    "\"Outbound to <guid>\" -TlsSettings DomainValidation -TlsDomain "
		    "mail.contoso.com`, or re-run the Hybrid Configuration Wizard.\n"
		    "Do not lower the outbound connector's TlsSettings (for example to "
		    "EncryptionOnly) or turn off certificate validation to make the error go "
		    "away: it hides the fault, removes the protection the hybrid connector "
		    "is there to give, and the certificate still needs fixing.",
		.verify =
		    "`Get-OutboundConnector \"Outbound to <guid>\" | fl "
		    "TlsSettings,TlsDomain,SmartHosts` shows DomainValidation and your name; "
		    "`Validate-OutboundConnector -Identity \"Outbound to <guid>\" "
		    "-Recipients user@contoso.com` (an on-premises mailbox) succeeds.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: New-OutboundConnector and Set-OutboundConnector "
		    "(TlsSettings, TlsDomain); Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Microsoft archive blog (Exchange "
		    "Challenge Accepted): mail not routing to on-premises Exchange 2013 from "
		    "O365 with 450 4.7.320 certificate validation failed; Microsoft Learn: "
		    "Validate-OutboundConnector",
	},
	{
		.id = "connector.outbound-tlsdomain",
		.sev = SEV_INFO,
		.title =
		    "The name Exchange Online requires on the on-premises certificate",
		.explanation =
		    "The hybrid outbound connector delivers mail for on-premises recipients "
		    "to the smart host in the summary and, with TlsSettings "
		    "DomainValidation, accepts the connection only if the certificate the "
		    "on-premises server presents carries the TlsDomain name (in its subject "
		    "or a subject alternative name, or under a wildcard) and chains to a "
		    "root Microsoft trusts. This is the name to check on every server that "
		    "can receive from Exchange Online: each Default Frontend receive "
		    "connector behind the smart host's address must present a certificate "
		    "with it, or delivery fails with 450 4.7.320 Certificate validation "
		    "failed [Message=SubjectMismatch], sometimes only part of the time.",
		.fix =
		    "Nothing to fix. To test the reverse direction the way Exchange Online "
		    "does, run `hybridtls smtp <smart host> --tls-name <TlsDomain>` from "
		    "outside your network (against each server's address, if several sit "
		    "behind the name), or `check` with `--onprem <smart host>` and this "
		    "export (see onprem.exo-will-deliver and onprem.exo-will-fail).",
		.verify =
		    "The certificate findings of that probe report the name as matched "
		    "(tls.cert-valid).",
		.refs =
		    "Microsoft Learn: New-OutboundConnector and Set-OutboundConnector "
		    "(TlsSettings, TlsDomain); Microsoft archive blog (Exchange Challenge "
		    "Accepted): mail not routing to on-premises Exchange 2013 from O365 with "
		    "450 4.7.320 certificate validation failed; Microsoft Learn: Mail flow "
		    "intelligence (connectors-mail-flow-intelligence)",
	},
	{
		.id = "connector.send-ignore-starttls",
		.sev = SEV_FAILURE,
		.title =
		    "The on-premises Send connector ignores STARTTLS",
		.explanation =
		    "The Send connector (the summary names it, normally `Outbound to Office "
		    "365 - <guid>`) has IgnoreSTARTTLS True, so Exchange never starts TLS on "
		    "it, even when Exchange Online offers STARTTLS. Mail to Exchange Online "
		    "then travels in clear text, and without TLS no certificate is "
		    "presented, so Exchange Online cannot match the hybrid inbound connector "
		    "by certificate: mail that matches nothing becomes internet mail "
		    "(internal status lost, relaying to outside recipients refused with 550 "
		    "5.7.64), and mail matched by IP to a connector that requires TLS can be "
		    "refused with 451 5.7.3 Must issue a STARTTLS command first. Exchange "
		    "accepts IgnoreSTARTTLS True only with RequireTLS False, so the "
		    "connector's TLS requirement and TLS authentication level went with it. "
		    "It is the workaround often suggested for 451 5.7.3, and it was never "
		    "the fix: that error means STARTTLS was missing or failed, for a cause "
		    "that can be found.",
		.fix =
		    "1. Set it back: `Set-SendConnector \"Outbound to Office 365 - <guid>\" "
		    "-IgnoreSTARTTLS $false`.\n"
		    "2. Restore the TLS settings the Hybrid Configuration Wizard gives the "
		    "connector: `Set-SendConnector \"Outbound to Office 365 - <guid>\" "
		    "-RequireTLS $true -TlsAuthLevel DomainValidation -TlsDomain "
		    "mail.protection.outlook.com`, and check that TlsCertificateName names "
		    "your public certificate (see connector.send-tlscertname-ok). Re-running "
		    "the wizard does all of this.\n"
		    "3. Then fix what made someone switch TLS off: run `hybridtls check "
		    "contoso.com` from the Exchange servers' network and follow its root "
		    "cause (a firewall inspecting SMTP, a blocklisted IP, a certificate "
		    "problem).\n"
		    "Never leave `-IgnoreSTARTTLS $true` in place as the fix: it sends "
		    "hybrid mail unencrypted and unauthenticated, and it loses the "
		    "certificate match that ties your servers to the tenant.",
		.verify =
		    "`Get-SendConnector \"Outbound to Office 365 - <guid>\" | fl "
		    "IgnoreSTARTTLS,RequireTLS,TlsAuthLevel,TlsDomain,TlsCertificateName` "
		    "shows False, True, DomainValidation, mail.protection.outlook.com and "
		    "your certificate.\n"
		    "The SmtpSend protocol log (`Set-SendConnector \"Outbound to Office 365 "
		    "- <guid>\" -ProtocolLoggingLevel Verbose`) shows the STARTTLS command "
		    "after Exchange Online's EHLO reply.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: Set-SendConnector (TlsCertificateName, IgnoreSTARTTLS, "
		    "RequireTLS); Microsoft archive blog (johnbai, 2013-12-06): O365 "
		    "on-premises transport queuing, lessons learned from CBL; "
		    "microsoft/CSS-Exchange HealthChecker: Exchange Online connector check "
		    "(ExoConnectorCheck); Microsoft Learn: 550 5.7.64 TenantAttribution, "
		    "Relay Access Denied (KB 3212877)",
	},
	{
		.id = "connector.send-tlscertname-mismatch",
		.sev = SEV_FAILURE,
		.title =
		    "The connector's TlsCertificateName does not name the certificate given",
		.explanation =
		    "The Send or Receive connector's TlsCertificateName (the summary shows "
		    "it, in the form `<I>issuer<S>subject`) names a different certificate "
		    "from the one you gave hybridtls: the issuer or the subject differs. "
		    "Exchange looks on the server for a certificate with exactly that issuer "
		    "and subject; when there is none, the usual state after a renewal, the "
		    "Send connector fails with 454 4.7.5 The certificate specified in "
		    "TlsCertificateName of the SendConnector could not be found, and the "
		    "protocol log shows TLS negotiation failed with error NoCredentials, "
		    "while a Default Frontend receive connector stops offering STARTTLS or "
		    "presents another certificate (450 4.4.317 or 450 4.7.320 in Exchange "
		    "Online). When it names another certificate that is still installed, "
		    "that one is what Exchange Online sees, with its own name and expiry "
		    "date.",
		.fix =
		    "1. Make sure the certificate you gave is the one to use (the public "
		    "certificate with the hybrid name, enabled for SMTP): "
		    "`Get-ExchangeCertificate | fl "
		    "Thumbprint,Issuer,Subject,CertificateDomains,Services,NotAfter`.\n"
		    "2. Build the value from that certificate on the server, so that issuer "
		    "and subject are written exactly as Windows writes them: "
		    "`$c=Get-ExchangeCertificate -Thumbprint <thumbprint>; "
		    "$n=\"<I>$($c.Issuer)<S>$($c.Subject)\"`.\n"
		    "3. Set it on the Send connector, `Set-SendConnector \"Outbound to "
		    "Office 365 - <guid>\" -TlsCertificateName $n`, and on the Default "
		    "Frontend receive connector of every server that receives from Exchange "
		    "Online, `Set-ReceiveConnector \"<SERVER>\\Default Frontend <SERVER>\" "
		    "-TlsCertificateName $n`. Re-running the Hybrid Configuration Wizard and "
		    "choosing the certificate on its transport certificate page does both.\n"
		    "4. Make sure the certificate is bound to SMTP on each server, "
		    "`Enable-ExchangeCertificate -Server <SERVER> -Thumbprint <thumbprint> "
		    "-Services SMTP`, then restart transport: `Restart-Service "
		    "MSExchangeTransport, MSExchangeFrontEndTransport`.",
		.verify =
		    "`Get-SendConnector \"Outbound to Office 365 - <guid>\" | fl "
		    "TlsCertificateName` and `Get-ReceiveConnector \"<SERVER>\\Default "
		    "Frontend <SERVER>\" | fl TlsCertificateName` show the new value on "
		    "every server, and a new export checked with the certificate reports "
		    "connector.send-tlscertname-ok.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Set-SendConnector (TlsCertificateName, IgnoreSTARTTLS, "
		    "RequireTLS); Microsoft Learn: Set-ReceiveConnector (TlsCertificateName, "
		    "AuthMechanism); Microsoft archive blog (lalitbisht): Mailflow issue "
		    "from Exchange on-prem to Office 365; Petersen IT blog (2017-07): Office "
		    "365 454 4.7.5 certificate error; Microsoft Support KB 3064938: hybrid "
		    "diagnostic \"No valid hybrid certificate found\" (certificate needs the "
		    "IIS and SMTP services)",
	},
	{
		.id = "connector.send-tlscertname-ok",
		.sev = SEV_OK,
		.title =
		    "The connector's TlsCertificateName names the certificate given",
		.explanation =
		    "The issuer and subject in the Send or Receive connector's "
		    "TlsCertificateName (the summary names the connector) are those of the "
		    "certificate you gave hybridtls, so that is the certificate Exchange "
		    "presents on this connector, provided it is installed and bound to SMTP "
		    "on every server the connector runs on. Exchange Online judges your "
		    "servers by this certificate: the inbound connector matches it against "
		    "TlsSenderCertificateName, and the outbound connector checks it against "
		    "TlsDomain.",
		.fix =
		    "Nothing to fix. After a renewal, update TlsCertificateName on the Send "
		    "connector and on every Default Frontend receive connector in the same "
		    "change, or re-run the Hybrid Configuration Wizard; Exchange refuses to "
		    "remove a certificate that a Send connector still names.",
		.verify =
		    "Re-run with the new certificate after each renewal.",
		.refs =
		    "Microsoft Learn: Set-SendConnector (TlsCertificateName, IgnoreSTARTTLS, "
		    "RequireTLS); Microsoft Learn: Set-ReceiveConnector (TlsCertificateName, "
		    "AuthMechanism)",
	},
	{
		.id = "cause.connector-not-used",
		.sev = SEV_FAILURE,
		.title =
		    "Root cause: Exchange Online cannot tie on-premises mail to the hybrid "
		    "connector",
		.explanation =
		    "Neither way Exchange Online recognises your servers works: the public "
		    "address they send from is not in the hybrid inbound connector's "
		    "SenderIPAddresses, and the certificate they present does not carry its "
		    "TlsSenderCertificateName. The evidence lines read `symptom <- evidence "
		    "<- cause`, with the address, the list and the names. Exchange Online "
		    "therefore does not apply the connector: it takes the mail as ordinary "
		    "internet mail through the MX, files it as anonymous external mail "
		    "(cross-premises headers dropped, internal status lost, full spam "
		    "filtering), enforces no TLS for it, and refuses to relay it to outside "
		    "recipients with 550 5.7.64 TenantAttribution; Relay Access Denied or "
		    "451 4.4.62 ... ATTR35. Mail to cloud mailboxes still arrives, which is "
		    "why this often surfaces as NDRs for outside recipients after a "
		    "certificate renewal or a change of provider.",
		.fix =
		    "Either match is enough; Microsoft recommends the certificate.\n"
		    "1. By certificate: make TlsSenderCertificateName a name on the "
		    "certificate the Send connector presents, a domain that is an accepted "
		    "domain of the tenant: `Set-InboundConnector -Identity \"Inbound from "
		    "<guid>\" -TlsSenderCertificateName mail.contoso.com`, or re-run the "
		    "Hybrid Configuration Wizard and choose the certificate on its transport "
		    "certificate page. The Send connector must present that certificate "
		    "(`Get-SendConnector \"Outbound to Office 365 - <guid>\" | fl "
		    "TlsCertificateName`, see connector.send-tlscertname-mismatch) with its "
		    "full chain (see onpremcert.chain-incomplete).\n"
		    "2. By IP: add the address Exchange Online sees from the Exchange "
		    "servers (IPv4, a single address or /24 to /32): `Set-InboundConnector "
		    "-Identity \"Inbound from <guid>\" -SenderIPAddresses "
		    "@{Add=\"203.0.113.7\"}`. Not for an address that other organisations "
		    "share with you (MC1226222).\n"
		    "3. Check that the connector is enabled and of type OnPremises: "
		    "`Get-InboundConnector \"Inbound from <guid>\" | fl "
		    "Enabled,ConnectorType`.",
		.verify =
		    "Re-run `hybridtls check contoso.com --connector inbound.json --cert "
		    "mail.pfx` from the Exchange servers' network with a new export: "
		    "connector.ip-listed or connector.cert-name-match, and this finding is "
		    "gone. Connector changes can take up to an hour to apply everywhere in "
		    "Exchange Online.\n"
		    "A test message from an on-premises mailbox to an outside recipient, "
		    "relayed through Exchange Online, is delivered, and mail from "
		    "on-premises to a cloud mailbox carries "
		    "`X-MS-Exchange-Organization-AuthAs: Internal` in its headers, not "
		    "Anonymous.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(TlsSenderCertificateName, SenderIPAddresses); Microsoft 365 Message "
		    "Center MC1226222: guidance for on-premises connectors configuration "
		    "(2026); Microsoft Learn: 550 5.7.64 TenantAttribution, Relay Access "
		    "Denied (KB 3212877); Microsoft Learn: ATTR35 response code when mail is "
		    "sent to EOP/EXO (wrong-office-365-region-exo); Microsoft Learn: Updated "
		    "requirements for SMTP relay through Exchange Online "
		    "(updated-requirements-smtp-relay); Exchange Team Blog (2020-05-27): "
		    "Demystifying and troubleshooting hybrid mail flow: when is a message "
		    "internal?; Exchange Team Blog (2019-07-11): Office 365 Message "
		    "Attribution",
	},
	{
		.id = "onpremcert.unreadable",
		.sev = SEV_UNTESTED,
		.title =
		    "The on-premises certificate file could not be loaded",
		.explanation =
		    "hybridtls could not load the file given with --cert (the summary says "
		    "why), so it could neither check the on-premises certificate nor present "
		    "it to Exchange Online. The usual reasons: a wrong or missing password "
		    "for the PFX or the encrypted key (give it with --cert-password-file); a "
		    "file with no certificate in it (a certificate request, a key alone, an "
		    "empty export); a private key that belongs to another certificate, often "
		    "the previous one after a renewal; or a PFX written with the old RC2 "
		    "encryption, which OpenSSL 3 does not read by default. The file to give "
		    "is the certificate the Send connector presents to Exchange Online, as "
		    "Exchange holds it, with its private key and chain.",
		.fix =
		    "1. Export the certificate with its private key and chain on an Exchange "
		    "server: `Export-ExchangeCertificate -Thumbprint <thumbprint> "
		    "-BinaryEncoded -Password (Get-Credential).Password -FileName "
		    "C:\\cert.pfx` (the user name in the prompt is ignored; "
		    "`Get-ExchangeCertificate | fl Thumbprint,Subject,Services,NotAfter` "
		    "shows the thumbprint). Exchange exports only a certificate whose "
		    "private key is exportable (PrivateKeyExportable True).\n"
		    "2. Or with the certificate console (certlm.msc): Personal > "
		    "Certificates, the certificate, All Tasks > Export, Yes, export the "
		    "private key, Personal Information Exchange (PKCS #12) with Include all "
		    "certificates in the certification path if possible; choose "
		    "AES256-SHA256 encryption where the wizard offers it.\n"
		    "3. Put the password in a file only you can read and pass it with "
		    "`--cert-password-file FILE`; hybridtls never writes the password or the "
		    "private key into reports or captures.\n"
		    "4. A PFX refused because of its old encryption can be converted with "
		    "OpenSSL 3: `openssl pkcs12 -legacy -in cert.pfx -out cert.pem` (it asks "
		    "for the PFX password and a new one for the key); then give cert.pem.\n"
		    "5. A PEM file must hold the certificate, the matching private key "
		    "(needed to present it) and, after the certificate, the intermediate CA "
		    "certificates.",
		.verify =
		    "Re-run `hybridtls check contoso.com --cert cert.pfx "
		    "--cert-password-file FILE`: this finding is gone and the findings about "
		    "the certificate follow.",
		.refs =
		    "Microsoft Learn: Export-ExchangeCertificate; Microsoft Learn: "
		    "Get-ExchangeCertificate; OpenSSL documentation: openssl-pkcs12 (-legacy)",
	},
	{
		.id = "onpremcert.valid",
		.sev = SEV_OK,
		.title =
		    "The on-premises certificate is fit for hybrid mail flow",
		.explanation =
		    "The certificate you gave is within its validity dates, its chain in the "
		    "file is complete up to a root this machine trusts, it carries the "
		    "expected name, and its key size, signature and extended key usage suit "
		    "TLS in both directions. Exchange Online checks the same things: as the "
		    "client certificate when your servers deliver to it, to match the "
		    "inbound connector, and as the server certificate when it delivers to "
		    "your servers, against the outbound connector's TlsDomain. hybridtls "
		    "judges trust with this machine's store or --ca-file, which overlaps "
		    "with Microsoft's Trusted Root Program but is not the same list.",
		.fix =
		    "Nothing to fix. Renew before the end date in the summary, and keep the "
		    "same name on the new certificate.",
		.verify =
		    "Nothing to verify.",
		.refs =
		    "Microsoft Learn: Certificate requirements for hybrid deployments "
		    "(Exchange 2013 hybrid documentation, jj156431); Microsoft Learn: How "
		    "Exchange Online uses TLS to secure email connections in Office 365",
	},
	{
		.id = "onpremcert.expired",
		.sev = SEV_FAILURE,
		.title =
		    "The on-premises certificate has expired",
		.explanation =
		    "The certificate's end date (NotAfter, in the summary) has passed. "
		    "Exchange Online then stops delivering to on-premises with 450 4.7.320 "
		    "Certificate validation failed (the mail waits in Exchange Online for 24 "
		    "hours and is then returned), and may no longer accept it as the client "
		    "certificate that ties your servers to the hybrid inbound connector. The "
		    "Hybrid Configuration Wizard does not offer an expired certificate "
		    "either (No valid hybrid certificate found), and a renewal with a new "
		    "name breaks the connectors that name the old one.",
		.fix =
		    "1. Get a certificate from a public CA whose subject or SAN contains the "
		    "name Exchange Online checks (the TlsDomain of the outbound connector, "
		    "for example mail.contoso.com) and the name in the inbound connector's "
		    "TlsSenderCertificateName, with a key of at least 2048 bits and a "
		    "SHA-256 signature. Create the request in the Exchange admin center "
		    "(Servers > Certificates) or with `New-ExchangeCertificate "
		    "-GenerateRequest -SubjectName \"CN=mail.contoso.com\" -DomainName "
		    "mail.contoso.com,autodiscover.contoso.com -KeySize 2048 "
		    "-PrivateKeyExportable $true`, save the request text it returns to a "
		    "file and send it to the CA.\n"
		    "2. Complete the request on the server that made it "
		    "(`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.cer'))`), "
		    "export it with its private key as a PFX (Exchange admin center, or "
		    "`Export-ExchangeCertificate -BinaryEncoded`), and import that PFX, with "
		    "the full chain, on every other Exchange server that sends to or "
		    "receives from Exchange Online (and every Edge server, if you use Edge): "
		    "`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.pfx')) "
		    "-Password (Get-Credential).Password`.\n"
		    "3. Bind it to SMTP on each server: `Enable-ExchangeCertificate -Server "
		    "<SERVER> -Thumbprint <new thumbprint> -Services SMTP` (use `-Services "
		    "IIS,SMTP` if it also serves the other hybrid features), then check with "
		    "`Get-ExchangeCertificate -Server <SERVER> | fl "
		    "Thumbprint,Subject,CertificateDomains,Services,NotAfter`.\n"
		    "4. Build the connector value from the certificate: `$c = "
		    "Get-ExchangeCertificate -Thumbprint <thumbprint>; $n = "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"`. Then run `Set-SendConnector "
		    "\"Outbound to Office 365 - <guid>\" -TlsCertificateName $n` and, for "
		    "every receiving server, `Set-ReceiveConnector \"<SERVER>\\Default "
		    "Frontend <SERVER>\" -TlsCertificateName $n`. Re-running the Hybrid "
		    "Configuration Wizard and choosing the new certificate on its transport "
		    "certificate page does the same.\n"
		    "5. If the new certificate's subject or SAN name differs from the old "
		    "one, Exchange Online must learn it too: `Set-InboundConnector \"Inbound "
		    "from <guid>\" -TlsSenderCertificateName mail.contoso.com` and "
		    "`Set-OutboundConnector \"Outbound to <guid>\" -TlsDomain "
		    "mail.contoso.com` in Exchange Online PowerShell (the wizard does this "
		    "when re-run); otherwise the inbound connector no longer recognises your "
		    "servers.\n"
		    "6. Remove the old certificate only after no connector refers to it: "
		    "`Remove-ExchangeCertificate -Server <SERVER> -Thumbprint <old "
		    "thumbprint>` (Exchange refuses while a Send connector still names it).",
		.verify =
		    "Re-run `hybridtls check contoso.com --cert <file>` (add "
		    "`--cert-password-file FILE` for a protected PFX) with a new export of "
		    "the certificate, and check that this finding is gone.\n"
		    "`Get-SendConnector \"Outbound to Office 365 - <guid>\" | fl "
		    "TlsCertificateName` and `Get-ReceiveConnector \"<SERVER>\\Default "
		    "Frontend <SERVER>\" | fl TlsCertificateName` name the new certificate "
		    "on every server.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: Certificate requirements for hybrid deployments "
		    "(Exchange 2013 hybrid documentation, jj156431); Microsoft Support KB "
		    "3064938: hybrid diagnostic \"No valid hybrid certificate found\" "
		    "(certificate needs the IIS and SMTP services); Microsoft Learn: "
		    "Set-SendConnector (TlsCertificateName, IgnoreSTARTTLS, RequireTLS); "
		    "Microsoft Learn: Set-ReceiveConnector (TlsCertificateName, "
		    "AuthMechanism); Microsoft Learn: New-InboundConnector and "
		    "Set-InboundConnector (TlsSenderCertificateName, SenderIPAddresses); "
		    "Microsoft Learn: New-OutboundConnector and Set-OutboundConnector "
		    "(TlsSettings, TlsDomain); Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence)",
	},
	{
		.id = "onpremcert.not-yet-valid",
		.sev = SEV_FAILURE,
		.title =
		    "The on-premises certificate is not valid yet",
		.explanation =
		    "The certificate's start date (NotBefore, in the summary with the time "
		    "hybridtls judged by) is in the future. Either the clock of this machine "
		    "is wrong, or the certificate was issued to start later, which is rare. "
		    "Exchange Online refuses a certificate that is not yet valid just as it "
		    "refuses an expired one (450 4.7.320 Certificate validation failed), so "
		    "binding it to the connectors early stops mail; the same happens when an "
		    "Exchange server's own clock is off.",
		.fix =
		    "1. Check this machine's clock against a time source (`date -u`, "
		    "`timedatectl`); if it is wrong, fix it (NTP) and re-run.\n"
		    "2. Check the Exchange servers' clocks too: `w32tm /query /status` on "
		    "each.\n"
		    "3. If the clocks are right, keep the current certificate on the "
		    "connectors until NotBefore has passed. If the new one is already bound, "
		    "point the connectors back to the old one: `$c = Get-ExchangeCertificate "
		    "-Thumbprint <old thumbprint>; $n = "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"`, then `Set-SendConnector "
		    "\"Outbound to Office 365 - <guid>\" -TlsCertificateName $n` and "
		    "`Set-ReceiveConnector \"<SERVER>\\Default Frontend <SERVER>\" "
		    "-TlsCertificateName $n` on every receiving server.",
		.verify =
		    "Re-run `hybridtls check contoso.com --cert <file>` (add "
		    "`--cert-password-file FILE` for a protected PFX) with a new export of "
		    "the certificate, and check that this finding is gone.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Certificate requirements for hybrid deployments "
		    "(Exchange 2013 hybrid documentation, jj156431); Microsoft Learn: "
		    "Set-SendConnector (TlsCertificateName, IgnoreSTARTTLS, RequireTLS); "
		    "Microsoft Learn: Set-ReceiveConnector (TlsCertificateName, "
		    "AuthMechanism); Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence)",
	},
	{
		.id = "onpremcert.expiring",
		.sev = SEV_WARNING,
		.title =
		    "The on-premises certificate expires soon",
		.explanation =
		    "The certificate is valid today but its end date is near (the summary "
		    "gives the date and the days left). Once it passes, Exchange Online "
		    "stops delivering to on-premises with 450 4.7.320 and may stop tying "
		    "your servers to the hybrid inbound connector. Renewal itself is where "
		    "outages usually start: if the new certificate has a different subject "
		    "or SAN, Exchange Online's connectors (TlsSenderCertificateName inbound, "
		    "TlsDomain outbound) no longer match it, and connectors whose "
		    "TlsCertificateName names the old certificate keep pointing at it.",
		.fix =
		    "1. Get a certificate from a public CA whose subject or SAN contains the "
		    "name Exchange Online checks (the TlsDomain of the outbound connector, "
		    "for example mail.contoso.com) and the name in the inbound connector's "
		    "TlsSenderCertificateName, with a key of at least 2048 bits and a "
		    "SHA-256 signature. Create the request in the Exchange admin center "
		    "(Servers > Certificates) or with `New-ExchangeCertificate "
		    "-GenerateRequest -SubjectName \"CN=mail.contoso.com\" -DomainName "
		    "mail.contoso.com,autodiscover.contoso.com -KeySize 2048 "
		    "-PrivateKeyExportable $true`, save the request text it returns to a "
		    "file and send it to the CA.\n"
		    "2. Complete the request on the server that made it "
		    "(`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.cer'))`), "
		    "export it with its private key as a PFX (Exchange admin center, or "
		    "`Export-ExchangeCertificate -BinaryEncoded`), and import that PFX, with "
		    "the full chain, on every other Exchange server that sends to or "
		    "receives from Exchange Online (and every Edge server, if you use Edge): "
		    "`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.pfx')) "
		    "-Password (Get-Credential).Password`.\n"
		    "3. Bind it to SMTP on each server: `Enable-ExchangeCertificate -Server "
		    "<SERVER> -Thumbprint <new thumbprint> -Services SMTP` (use `-Services "
		    "IIS,SMTP` if it also serves the other hybrid features), then check with "
		    "`Get-ExchangeCertificate -Server <SERVER> | fl "
		    "Thumbprint,Subject,CertificateDomains,Services,NotAfter`.\n"
		    "4. Build the connector value from the certificate: `$c = "
		    "Get-ExchangeCertificate -Thumbprint <thumbprint>; $n = "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"`. Then run `Set-SendConnector "
		    "\"Outbound to Office 365 - <guid>\" -TlsCertificateName $n` and, for "
		    "every receiving server, `Set-ReceiveConnector \"<SERVER>\\Default "
		    "Frontend <SERVER>\" -TlsCertificateName $n`. Re-running the Hybrid "
		    "Configuration Wizard and choosing the new certificate on its transport "
		    "certificate page does the same.\n"
		    "5. If the new certificate's subject or SAN name differs from the old "
		    "one, Exchange Online must learn it too: `Set-InboundConnector \"Inbound "
		    "from <guid>\" -TlsSenderCertificateName mail.contoso.com` and "
		    "`Set-OutboundConnector \"Outbound to <guid>\" -TlsDomain "
		    "mail.contoso.com` in Exchange Online PowerShell (the wizard does this "
		    "when re-run); otherwise the inbound connector no longer recognises your "
		    "servers.\n"
		    "6. Remove the old certificate only after no connector refers to it: "
		    "`Remove-ExchangeCertificate -Server <SERVER> -Thumbprint <old "
		    "thumbprint>` (Exchange refuses while a Send connector still names it).\n"
		    "The new certificate's name must still match the inbound connector's "
		    "TlsSenderCertificateName (see connector.cert-name-match), or step 5 is "
		    "not optional.",
		.verify =
		    "Re-run `hybridtls check contoso.com --cert <file>` (add "
		    "`--cert-password-file FILE` for a protected PFX) with a new export of "
		    "the certificate, and check that this finding is gone. The end date must "
		    "now be the new certificate's.\n"
		    "`Get-SendConnector \"Outbound to Office 365 - <guid>\" | fl "
		    "TlsCertificateName` and `Get-ReceiveConnector \"<SERVER>\\Default "
		    "Frontend <SERVER>\" | fl TlsCertificateName` name the new certificate "
		    "on every server.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: Certificate requirements for hybrid deployments "
		    "(Exchange 2013 hybrid documentation, jj156431); Microsoft Learn: "
		    "Set-SendConnector (TlsCertificateName, IgnoreSTARTTLS, RequireTLS); "
		    "Microsoft Learn: Set-ReceiveConnector (TlsCertificateName, "
		    "AuthMechanism); Microsoft Learn: New-InboundConnector and "
		    "Set-InboundConnector (TlsSenderCertificateName, SenderIPAddresses); "
		    "Microsoft Learn: New-OutboundConnector and Set-OutboundConnector "
		    "(TlsSettings, TlsDomain); Microsoft archive blog (lalitbisht): Mailflow "
		    "issue from Exchange on-prem to Office 365",
	},
	{
		.id = "onpremcert.chain-incomplete",
		.sev = SEV_FAILURE,
		.title =
		    "The on-premises certificate's file lacks the intermediate CA certificate",
		.explanation =
		    "The file holds the certificate without the intermediate CA certificate "
		    "that links it to a trusted root (the summary names the issuer that is "
		    "missing). An export with the private key (Export-ExchangeCertificate "
		    "with a password, or the certificate console with Include all "
		    "certificates in the certification path) carries the chain Windows "
		    "builds on the server, so a missing intermediate in the file usually "
		    "means the server lacks it too and sends only its own certificate. "
		    "Exchange Online does not fetch missing intermediates: it refuses the "
		    "on-premises server when it delivers to it, with 450 4.4.317 Cannot "
		    "connect to remote server [Message=UntrustedRoot], and a leaf-only "
		    "client certificate can stop the inbound connector from matching (550 "
		    "5.7.64 TenantAttribution).",
		.fix =
		    "1. Get the intermediate certificate(s) from the CA (its download page "
		    "or the bundle it issued); the summary names the issuer needed.\n"
		    "2. Import them into the Intermediate Certification Authorities store of "
		    "every Exchange server (and Edge server): in certlm.msc under "
		    "Intermediate Certification Authorities > Certificates (All Tasks > "
		    "Import), or `Import-Certificate -FilePath C:\\certs\\intermediate.cer "
		    "-CertStoreLocation Cert:\\LocalMachine\\CA`.\n"
		    "3. Restart transport so it sends the new chain: `Restart-Service "
		    "MSExchangeTransport, MSExchangeFrontEndTransport` (on an Edge server: "
		    "`Restart-Service MSExchangeTransport`).\n"
		    "4. Export the certificate again (see onpremcert.unreadable); the chain "
		    "now comes with it. If only the file lacked the intermediate (a PEM put "
		    "together by hand), add the intermediate to the file after the "
		    "certificate.",
		.verify =
		    "Re-run `hybridtls check contoso.com --cert <file>` (add "
		    "`--cert-password-file FILE` for a protected PFX) with a new export of "
		    "the certificate, and check that this finding is gone.\n"
		    "From outside your network, `openssl s_client -connect "
		    "mail.contoso.com:25 -starttls smtp -showcerts` lists the server "
		    "certificate and the intermediate(s).\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: NDR error code 450 4.4.317 \"Cannot connect to remote "
		    "server [Message=UntrustedRoot]\"; Microsoft Learn: 550 5.7.64 "
		    "TenantAttribution, Relay Access Denied (KB 3212877); Microsoft Learn: "
		    "Certificate requirements for hybrid deployments (Exchange 2013 hybrid "
		    "documentation, jj156431); Microsoft Learn: Export-ExchangeCertificate",
	},
	{
		.id = "onpremcert.untrusted",
		.sev = SEV_FAILURE,
		.title =
		    "The on-premises certificate does not chain to a publicly trusted root",
		.explanation =
		    "The chain ends in a root that is not in the trust store hybridtls used "
		    "(the summary names it): a private or internal CA, such as an Active "
		    "Directory Certificate Services enterprise CA, or a self-signed "
		    "certificate, such as the one Exchange setup creates. Hybrid mail "
		    "transport needs a certificate from a public CA, because Exchange Online "
		    "trusts only roots in the Microsoft Trusted Root Program: it refuses the "
		    "server when delivering to it (450 4.4.317 [Message=UntrustedRoot] or "
		    "450 4.7.320), does not take the certificate as what ties your servers "
		    "to the hybrid inbound connector, and the Hybrid Configuration Wizard "
		    "does not offer it (No valid hybrid certificate found). If the root is "
		    "in fact a public one, this machine's trust store is out of date: update "
		    "it, or give a current bundle with --ca-file.",
		.fix =
		    "1. Get a certificate from a public CA whose subject or SAN contains the "
		    "name Exchange Online checks (the TlsDomain of the outbound connector, "
		    "for example mail.contoso.com) and the name in the inbound connector's "
		    "TlsSenderCertificateName, with a key of at least 2048 bits and a "
		    "SHA-256 signature. Create the request in the Exchange admin center "
		    "(Servers > Certificates) or with `New-ExchangeCertificate "
		    "-GenerateRequest -SubjectName \"CN=mail.contoso.com\" -DomainName "
		    "mail.contoso.com,autodiscover.contoso.com -KeySize 2048 "
		    "-PrivateKeyExportable $true`, save the request text it returns to a "
		    "file and send it to the CA.\n"
		    "2. Complete the request on the server that made it "
		    "(`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.cer'))`), "
		    "export it with its private key as a PFX (Exchange admin center, or "
		    "`Export-ExchangeCertificate -BinaryEncoded`), and import that PFX, with "
		    "the full chain, on every other Exchange server that sends to or "
		    "receives from Exchange Online (and every Edge server, if you use Edge): "
		    "`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.pfx')) "
		    "-Password (Get-Credential).Password`.\n"
		    "3. Bind it to SMTP on each server: `Enable-ExchangeCertificate -Server "
		    "<SERVER> -Thumbprint <new thumbprint> -Services SMTP` (use `-Services "
		    "IIS,SMTP` if it also serves the other hybrid features), then check with "
		    "`Get-ExchangeCertificate -Server <SERVER> | fl "
		    "Thumbprint,Subject,CertificateDomains,Services,NotAfter`.\n"
		    "4. Build the connector value from the certificate: `$c = "
		    "Get-ExchangeCertificate -Thumbprint <thumbprint>; $n = "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"`. Then run `Set-SendConnector "
		    "\"Outbound to Office 365 - <guid>\" -TlsCertificateName $n` and, for "
		    "every receiving server, `Set-ReceiveConnector \"<SERVER>\\Default "
		    "Frontend <SERVER>\" -TlsCertificateName $n`. Re-running the Hybrid "
		    "Configuration Wizard and choosing the new certificate on its transport "
		    "certificate page does the same.\n"
		    "5. If the new certificate's subject or SAN name differs from the old "
		    "one, Exchange Online must learn it too: `Set-InboundConnector \"Inbound "
		    "from <guid>\" -TlsSenderCertificateName mail.contoso.com` and "
		    "`Set-OutboundConnector \"Outbound to <guid>\" -TlsDomain "
		    "mail.contoso.com` in Exchange Online PowerShell (the wizard does this "
		    "when re-run); otherwise the inbound connector no longer recognises your "
		    "servers.\n"
		    "6. Remove the old certificate only after no connector refers to it: "
		    "`Remove-ExchangeCertificate -Server <SERVER> -Thumbprint <old "
		    "thumbprint>` (Exchange refuses while a Send connector still names it).\n"
		    "There is no way to make Exchange Online trust an internal root: the "
		    "certificate must be replaced.",
		.verify =
		    "Re-run `hybridtls check contoso.com --cert <file>` (add "
		    "`--cert-password-file FILE` for a protected PFX) with a new export of "
		    "the certificate, and check that this finding is gone.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: Certificate requirements for hybrid deployments "
		    "(Exchange 2013 hybrid documentation, jj156431); Microsoft Support KB "
		    "3064938: hybrid diagnostic \"No valid hybrid certificate found\" "
		    "(certificate needs the IIS and SMTP services); Microsoft Learn: NDR "
		    "error code 450 4.4.317 \"Cannot connect to remote server "
		    "[Message=UntrustedRoot]\"; Microsoft Learn: How Exchange Online uses "
		    "TLS to secure email connections in Office 365",
	},
	{
		.id = "onpremcert.weak",
		.sev = SEV_FAILURE,
		.title =
		    "The on-premises certificate has a weak key or a SHA-1 signature",
		.explanation =
		    "The certificate, or an intermediate in its chain, has a key that is too "
		    "small (RSA below 2048 bits, an elliptic-curve key below 224 bits) or is "
		    "signed with SHA-1 or MD5; the summary says which (a root's signature on "
		    "itself does not count). Office 365 stopped accepting SHA-1 certificates "
		    "for mail, inbound and outbound, in 2016; public CAs no longer issue "
		    "either kind, and many TLS stacks refuse them at their default settings. "
		    "Exchange Online may therefore refuse the certificate when it delivers "
		    "to on-premises or when your servers present it, and only a new "
		    "certificate helps: the same key cannot be made stronger.",
		.fix =
		    "1. Get a certificate from a public CA whose subject or SAN contains the "
		    "name Exchange Online checks (the TlsDomain of the outbound connector, "
		    "for example mail.contoso.com) and the name in the inbound connector's "
		    "TlsSenderCertificateName, with a key of at least 2048 bits and a "
		    "SHA-256 signature. Create the request in the Exchange admin center "
		    "(Servers > Certificates) or with `New-ExchangeCertificate "
		    "-GenerateRequest -SubjectName \"CN=mail.contoso.com\" -DomainName "
		    "mail.contoso.com,autodiscover.contoso.com -KeySize 2048 "
		    "-PrivateKeyExportable $true`, save the request text it returns to a "
		    "file and send it to the CA.\n"
		    "2. Complete the request on the server that made it "
		    "(`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.cer'))`), "
		    "export it with its private key as a PFX (Exchange admin center, or "
		    "`Export-ExchangeCertificate -BinaryEncoded`), and import that PFX, with "
		    "the full chain, on every other Exchange server that sends to or "
		    "receives from Exchange Online (and every Edge server, if you use Edge): "
		    "`Import-ExchangeCertificate -Server <SERVER> -FileData "
		    "([System.IO.File]::ReadAllBytes('\\\\fileserver\\share\\mail.pfx')) "
		    "-Password (Get-Credential).Password`.\n"
		    "3. Bind it to SMTP on each server: `Enable-ExchangeCertificate -Server "
		    "<SERVER> -Thumbprint <new thumbprint> -Services SMTP` (use `-Services "
		    "IIS,SMTP` if it also serves the other hybrid features), then check with "
		    "`Get-ExchangeCertificate -Server <SERVER> | fl "
		    "Thumbprint,Subject,CertificateDomains,Services,NotAfter`.\n"
		    "4. Build the connector value from the certificate: `$c = "
		    "Get-ExchangeCertificate -Thumbprint <thumbprint>; $n = "
		    "\"<I>$($c.Issuer)<S>$($c.Subject)\"`. Then run `Set-SendConnector "
		    "\"Outbound to Office 365 - <guid>\" -TlsCertificateName $n` and, for "
		    "every receiving server, `Set-ReceiveConnector \"<SERVER>\\Default "
		    "Frontend <SERVER>\" -TlsCertificateName $n`. Re-running the Hybrid "
		    "Configuration Wizard and choosing the new certificate on its transport "
		    "certificate page does the same.\n"
		    "5. If the new certificate's subject or SAN name differs from the old "
		    "one, Exchange Online must learn it too: `Set-InboundConnector \"Inbound "
		    "from <guid>\" -TlsSenderCertificateName mail.contoso.com` and "
		    "`Set-OutboundConnector \"Outbound to <guid>\" -TlsDomain "
		    "mail.contoso.com` in Exchange Online PowerShell (the wizard does this "
		    "when re-run); otherwise the inbound connector no longer recognises your "
		    "servers.\n"
		    "6. Remove the old certificate only after no connector refers to it: "
		    "`Remove-ExchangeCertificate -Server <SERVER> -Thumbprint <old "
		    "thumbprint>` (Exchange refuses while a Send connector still names it).\n"
		    "Renewing with the same key does not help: create a new request (a new "
		    "key) of at least 2048 bits, signed with SHA-256.",
		.verify =
		    "Re-run `hybridtls check contoso.com --cert <file>` (add "
		    "`--cert-password-file FILE` for a protected PFX) with a new export of "
		    "the certificate, and check that this finding is gone.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "Microsoft Learn: Technical reference details about encryption "
		    "(Microsoft 365); Microsoft Learn: How Exchange Online uses TLS to "
		    "secure email connections in Office 365; Microsoft Learn: Certificate "
		    "requirements for hybrid deployments (Exchange 2013 hybrid "
		    "documentation, jj156431)",
	},
	{
		.id = "onpremcert.eku",
		.sev = SEV_WARNING,
		.title =
		    "The on-premises certificate lacks the Server or Client Authentication "
		    "usage",
		.explanation =
		    "The certificate has an extended key usage list without Server "
		    "Authentication or without Client Authentication (the summary says "
		    "which). Exchange uses one certificate in both roles: as the server "
		    "certificate when Exchange Online delivers to on-premises, where "
		    "standard TLS validation requires Server Authentication, and as the "
		    "client certificate when your servers deliver to Exchange Online, which "
		    "is what ties them to the hybrid inbound connector and where TLS client "
		    "authentication expects Client Authentication. Microsoft does not "
		    "document whether Exchange Online insists on Client Authentication, and "
		    "public CAs are dropping it from TLS server certificates under the "
		    "Chrome Root Program's rules (by default since late 2025, for all new "
		    "certificates by March 2027 on the current timeline), so renewals are "
		    "where this shows up.",
		.fix =
		    "1. See the usages on the server: `(Get-ChildItem "
		    "Cert:\\LocalMachine\\My\\<thumbprint>).EnhancedKeyUsageList`.\n"
		    "2. Missing Server Authentication: the certificate is not a TLS server "
		    "certificate; replace it with one that is, from a public CA (the renewal "
		    "steps are under onpremcert.expiring).\n"
		    "3. Missing Client Authentication: ask the CA for both usages at the "
		    "next renewal, if it still offers them. Before you put a certificate "
		    "without it into service, test it with hybridtls against Exchange Online "
		    "(onpremcert.presented-accepted and connector.cert-name-match), and keep "
		    "the old certificate on the connectors until it passes.",
		.verify =
		    "Re-run `hybridtls check contoso.com --cert <file>` (add "
		    "`--cert-password-file FILE` for a protected PFX) with a new export of "
		    "the certificate, and check that this finding is gone. Or "
		    "onpremcert.presented-accepted and connector.cert-name-match show that "
		    "Exchange Online takes the certificate as it is.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "RFC 5280 section 4.2.1.12 (extended key usage); Microsoft Learn: "
		    "Certificate requirements for hybrid deployments (Exchange 2013 hybrid "
		    "documentation, jj156431); Microsoft Learn: How Exchange Online uses TLS "
		    "to secure email connections in Office 365; DigiCert Knowledge Base "
		    "ALERT53: Removing the client authentication EKU from public TLS "
		    "certificates",
	},
	{
		.id = "onpremcert.presented-accepted",
		.sev = SEV_OK,
		.title =
		    "The handshake completed with the on-premises certificate as client "
		    "certificate",
		.explanation =
		    "hybridtls presented the certificate you gave as its client certificate "
		    "during STARTTLS, as the Exchange Send connector does, and the server "
		    "(named in the summary) completed the TLS handshake with it. The "
		    "certificate and its private key are therefore usable as Exchange's "
		    "client certificate towards this endpoint. A completed handshake does "
		    "not by itself show that Exchange Online ties the connection to the "
		    "hybrid inbound connector: that also depends on the name "
		    "(connector.cert-name-match) and a trusted chain.",
		.fix =
		    "Nothing to fix.",
		.verify =
		    "Nothing to verify.",
		.refs =
		    "Microsoft Learn: New-InboundConnector and Set-InboundConnector "
		    "(TlsSenderCertificateName, SenderIPAddresses); RFC 8446 section 4.4.2 "
		    "(client certificate)",
	},
	{
		.id = "onpremcert.presented-rejected",
		.sev = SEV_FAILURE,
		.title =
		    "The server ended the handshake when the on-premises certificate was "
		    "presented",
		.explanation =
		    "hybridtls presented the certificate you gave as its client certificate "
		    "during STARTTLS, and the server ended the handshake with a TLS alert "
		    "(the summary names it). The alert says what the server objected to: "
		    "bad_certificate or unsupported_certificate (a certificate or key it "
		    "will not take), certificate_expired, unknown_ca (a chain it cannot "
		    "complete or trust), or decrypt_error (the signature made with the "
		    "private key did not verify). Exchange servers presenting the same "
		    "certificate meet the same refusal: TLS negotiation fails in the Send "
		    "connector's protocol log and the queue towards Exchange Online fills. "
		    "If the same endpoint completes the handshake without a client "
		    "certificate, the certificate is the cause; if not, see "
		    "tls.handshake-failed.",
		.fix =
		    "1. Read the alert together with the other findings about the "
		    "certificate: expired or not yet valid, chain incomplete or untrusted, "
		    "weak key or SHA-1, missing key usage each have their own fix.\n"
		    "2. Check that the certificate is the one Exchange uses: "
		    "`Get-SendConnector \"Outbound to Office 365 - <guid>\" | fl "
		    "TlsCertificateName` and `Get-ExchangeCertificate | fl "
		    "Thumbprint,Issuer,Subject,Services,NotAfter`.\n"
		    "3. If the certificate looks sound, run once without --cert: when that "
		    "handshake completes and this one does not, replace the certificate "
		    "(public CA, RSA 2048 bits or more, SHA-256, Server and Client "
		    "Authentication), bind it with `Enable-ExchangeCertificate -Thumbprint "
		    "<thumbprint> -Services SMTP` and update the connectors (the renewal "
		    "steps are under onpremcert.expiring).\n"
		    "4. A firewall that inspects TLS can also end the handshake when a "
		    "client certificate appears: run from the Exchange servers' network and "
		    "from outside it, and compare.",
		.verify =
		    "Re-run with --cert: onpremcert.presented-accepted.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.",
		.refs =
		    "RFC 8446 section 6.2 (error alerts); RFC 5246 section 7.2.2 (error "
		    "alerts); Microsoft Learn: Set-SendConnector (TlsCertificateName, "
		    "IgnoreSTARTTLS, RequireTLS); Microsoft Learn: Certificate requirements "
		    "for hybrid deployments (Exchange 2013 hybrid documentation, jj156431)",
	},
	{
		.id = "onprem.exo-will-deliver",
		.sev = SEV_OK,
		.title =
		    "Exchange Online can deliver to the on-premises endpoint",
		.explanation =
		    "The on-premises endpoint (the smart host of the hybrid outbound "
		    "connector; the summary names it and the name checked) offers STARTTLS, "
		    "and its certificate carries the TlsDomain name and chains to a publicly "
		    "trusted root, which is what the outbound connector's DomainValidation "
		    "checks. Seen from where hybridtls ran, Exchange Online will deliver. "
		    "Two things this test cannot see: a firewall that treats Exchange "
		    "Online's addresses differently from this machine's, and another server "
		    "behind the same name or load balancer that presents a different "
		    "certificate.",
		.fix =
		    "Nothing to fix. If several servers sit behind the smart host, test each "
		    "one's address with `--tls-name <TlsDomain>`: every Default Frontend "
		    "receive connector must present the same certificate.",
		.verify =
		    "Message trace shows mail to on-premises recipients as delivered "
		    "(Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell).",
		.refs =
		    "Microsoft Learn: New-OutboundConnector and Set-OutboundConnector "
		    "(TlsSettings, TlsDomain); Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence)",
	},
	{
		.id = "onprem.exo-will-fail",
		.sev = SEV_FAILURE,
		.title =
		    "Exchange Online will not be able to deliver to the on-premises endpoint",
		.explanation =
		    "The probe of the on-premises endpoint (the smart host of the hybrid "
		    "outbound connector) found a problem that stops Exchange Online's "
		    "delivery, and the summary gives the error Exchange Online will log, "
		    "derived from the probe's findings: a refused connection becomes 450 "
		    "4.4.316 Connection refused, a timeout 450 4.4.315 Connection timed out, "
		    "no STARTTLS 450 4.4.317 Cannot connect to remote server, a missing "
		    "intermediate 450 4.4.317 Cannot connect to remote server "
		    "[Message=UntrustedRoot], a certificate without the TlsDomain name 450 "
		    "4.7.320 Certificate validation failed [Message=SubjectMismatch], an "
		    "expired certificate 450 4.7.320 Certificate validation failed, and a "
		    "reset 450 4.4.318 Connection was closed abruptly. Exchange Online "
		    "queues such mail, retries it for 24 hours and then returns it to the "
		    "sender with an NDR.\n"
		    "A refusal or timeout seen from here is conclusive only if your firewall "
		    "treats this machine as it treats Exchange Online: one that admits only "
		    "Exchange Online's addresses on port 25 refuses hybridtls and still lets "
		    "Exchange Online in.",
		.fix =
		    "1. Follow the probe finding behind it, which has the detailed fix: "
		    "smtp.connect-failed (refused or timed out: allow Exchange Online's "
		    "addresses, Microsoft 365 endpoint ID 10, on TCP 25 and check the NAT to "
		    "the Exchange servers), smtp.starttls-missing and cause.smtp-inspection "
		    "(no STARTTLS), tls.chain-incomplete (UntrustedRoot), "
		    "tls.cert-name-mismatch (SubjectMismatch), tls.cert-expired, "
		    "smtp.connection-reset (closed abruptly).\n"
		    "2. See what Exchange Online has logged: message trace in the Exchange "
		    "admin center (Mail flow > Message trace), or `Get-MessageTraceV2 "
		    "-RecipientAddress user@contoso.com -StartDate (Get-Date).AddDays(-2) "
		    "-EndDate (Get-Date)` and then `Get-MessageTraceDetailV2 -MessageTraceId "
		    "<id> -RecipientAddress user@contoso.com`; mail flow intelligence also "
		    "raises an alert for mail queued on the connector, with the error.\n"
		    "3. When the fix is in, validate the connector: "
		    "`Validate-OutboundConnector -Identity \"Outbound to <guid>\" "
		    "-Recipients user@contoso.com` (an on-premises mailbox), or validate it "
		    "under Mail flow > Connectors in the Exchange admin center.\n"
		    "Do not lower the outbound connector's TlsSettings (for example to "
		    "EncryptionOnly) or turn off certificate validation to make the error go "
		    "away: it hides the fault, removes the protection the hybrid connector "
		    "is there to give, and the certificate still needs fixing.",
		.verify =
		    "Re-run the probe of the on-premises endpoint from outside your network "
		    "(`hybridtls smtp mail.contoso.com --tls-name <TlsDomain>`, or `check` "
		    "with `--onprem`): onprem.exo-will-deliver.\n"
		    KB_VERIFY_EXO_TO_ONPREM,
		.refs =
		    "Microsoft Learn: Mail flow intelligence "
		    "(connectors-mail-flow-intelligence); Microsoft Learn: NDR error code "
		    "450 4.4.317 \"Cannot connect to remote server "
		    "[Message=UntrustedRoot]\"; Microsoft archive blog (Exchange Challenge "
		    "Accepted): mail not routing to on-premises Exchange 2013 from O365 with "
		    "450 4.7.320 certificate validation failed; Microsoft Learn: "
		    "New-OutboundConnector and Set-OutboundConnector (TlsSettings, "
		    "TlsDomain); Microsoft Learn: Microsoft 365 URLs and IP address ranges "
		    "(Exchange Online, endpoint ID 10); Microsoft Learn: "
		    "Validate-OutboundConnector; Microsoft Learn: Get-MessageTraceV2 and "
		    "Get-MessageTraceDetailV2",
	},
};

const size_t kb_count = sizeof kb_entries / sizeof kb_entries[0];

const struct kb_entry *kb_find(const char *id)
{
	if (id == NULL)
		return NULL;
	for (size_t i = 0; i < kb_count; i++)
		if (strcmp(kb_entries[i].id, id) == 0)
			return &kb_entries[i];
	return NULL;
}

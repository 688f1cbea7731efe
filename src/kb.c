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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
		    "`Test-NetConnection <host> -Port 25` from the Exchange server reports "
		    "TcpTestSucceeded : True.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.",
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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
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
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.",
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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.",
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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
		    "The SmtpSend protocol log of the sending Exchange server (folder: "
		    "`Get-TransportService <SERVER> | fl SendProtocolLogPath`; turn on "
		    "logging with `Set-SendConnector \"Outbound to Office 365 - <guid>\" "
		    "-ProtocolLoggingLevel Verbose`) shows the same conversation from the "
		    "server's own point of view.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.",
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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
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
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.",
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
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.",
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
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.",
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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.",
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
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.",
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
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.",
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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
		    "`Get-ExchangeCertificate | fl Thumbprint,Subject,NotBefore,NotAfter` "
		    "shows the certificate in use has a start time in the past.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.",
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
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.",
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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
		    "On-premises to Exchange Online: `Get-Queue | fl "
		    "Identity,NextHopDomain,Status,MessageCount,LastError` shows no error on "
		    "the queue towards Exchange Online, and `Retry-Queue -Identity <queue "
		    "identity>` sends the waiting mail at once.\n"
		    "Exchange Online to on-premises: a new test message shows as delivered "
		    "in message trace (Exchange admin center > Mail flow > Message trace, or "
		    "`Get-MessageTraceV2` in Exchange Online PowerShell); mail already "
		    "queued in Exchange Online is retried for up to 24 hours.",
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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
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
		    "Re-run `hybridtls smtp HOST` (add `--tls-name NAME` when HOST is an IP "
		    "address) and check that this finding is gone.\n"
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

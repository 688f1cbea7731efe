/* Unit tests: `hybridtls explain`, the engine (explain.c) and its text
 * presenter (report_explain.c), over pasted NDRs, queue errors, message
 * traces, protocol logs and wizard errors. */
#include "config.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"

/* One pasted text and what the engine should make of it. key is the primary
 * entry's key (NULL: none); code, esc and side describe the primary reply
 * (code 0: no failure reply). len 0 means strlen(in). */
struct row {
	const char *name;
	const char *in;
	size_t len;
	const char *key;
	int code;
	const char *esc;
	enum explain_side side;
};

#define LOCAL	EXPLAIN_SIDE_LOCAL
#define REMOTE	EXPLAIN_SIDE_REMOTE
#define EXO	EXPLAIN_SIDE_EXO
#define UNKNOWN	EXPLAIN_SIDE_UNKNOWN

#define PLOG	"2026-03-14T09:12:04.950Z,Outbound to Office 365 - 3f1c2b7e-9d41-4c55-8a0b-" \
		"6f2e1d9c7a10,08DE62A9B1C4F7E3,"
#define EP	",10.0.0.5:28411,104.47.20.36:25,"

static const char binary[] = "\x00\x01\xff\xfe" "451\x00" "4.4.0\x00\x00\x7f\x80\x81\xc3"
    "\x28\xe2\x82\x00\x1b[0m\x00\xf0\x9f\x92\xa9 550\x00\x00x5.7\x00.60a6\xff";

/* Get-Queue | Out-File in Windows PowerShell 5: UTF-16LE with a byte order
 * mark. */
static const char utf16[] = "\xff\xfe"
    "L\0" "a\0" "s\0" "t\0" "E\0" "r\0" "r\0" "o\0" "r\0" " \0" ":\0" " \0"
    "R\0" "e\0" "m\0" "o\0" "t\0" "e\0" " \0" "S\0" "e\0" "r\0" "v\0" "e\0" "r\0"
    " \0" "r\0" "e\0" "t\0" "u\0" "r\0" "n\0" "e\0" "d\0" " \0" "'\0"
    "5\0" "5\0" "0\0" " \0" "5\0" ".\0" "7\0" ".\0" "6\0" "0\0" "6\0" " \0"
    "A\0" "c\0" "c\0" "e\0" "s\0" "s\0" " \0" "d\0" "e\0" "n\0" "i\0" "e\0" "d\0"
    "'\0" "\r\0" "\n\0";

static const struct row rows[] = {
	{ "nested_one_line",
	  "451 4.4.0 Primary target IP address responded with: \"451 5.7.3 Must issue a "
	  "STARTTLS command first.\" Attempted failover to alternate host, but that did "
	  "not succeed. Either there are no alternate hosts, or delivery failed to all "
	  "alternate hosts. The last endpoint attempted was 104.47.20.36:25",
	  0, "eop.starttls-required", 451, "5.7.3", REMOTE },
	{ "nested_wrapped_queue_viewer",
	  "451 4.4.0 Primary target IP address responded with: \"451 5.7.3 Must issue a STARTTLS\n"
	  "command first.\" Attempted failover to alternate host, but that did not succeed. Either\n"
	  "there are no alternate hosts, or delivery failed to all alternate hosts.\n",
	  0, "eop.starttls-required", 451, "5.7.3", REMOTE },
	{ "nested_get_queue_format_list",
	  "Identity         : EX01\\12\r\n"
	  "DeliveryType     : DnsConnectorDelivery\r\n"
	  "NextHopDomain    : contoso.mail.onmicrosoft.com\r\n"
	  "Status           : Retry\r\n"
	  "MessageCount     : 57\r\n"
	  "LastError        : 451 4.4.0 Primary target IP address responded with: \"451\r\n"
	  "                   5.7.3 Must issue a STARTTLS command first.\" Attempted failover to\r\n"
	  "                   alternate host, but that did not succeed. Either there are no\r\n"
	  "                   alternate hosts, or delivery failed to all alternate hosts. The last\r\n"
	  "                   endpoint attempted was 104.47.20.36:25\r\n"
	  "RetryCount       : 14\r\n",
	  0, "eop.starttls-required", 451, "5.7.3", REMOTE },
	{ "nested_timeout_unknown_credentials",
	  "451 4.4.0 Primary target IP address responded with: \"421 4.4.1 Connection timed "
	  "out.\" Attempted failover to alternate host, but that did not succeed.\n"
	  PLOG "5" EP "*,,Sending certificate\n"
	  PLOG "6" EP "*,,TLS negotiation failed with error UnknownCredentials\n",
	  0, "onprem.cert-not-smtp", 421, "4.4.1", REMOTE },
	{ "message_trace_led_subject_mismatch",
	  "Reason: [{LED=450 4.7.320 Certificate validation failed [Message=SubjectMismatch] "
	  "[LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.25:25] "
	  "[AM4PR0501MB2723.eurprd05.prod.outlook.com]};{MSG=SubjectMismatch};"
	  "{FQDN=mail.contoso.com};{IP=203.0.113.25};{LRT=3/14/2026 9:12:05 AM}]. "
	  "OutboundProxyTargetIP: 203.0.113.25. OutboundProxyTargetHostName: mail.contoso.com",
	  0, "exo.cert-subject-mismatch", 450, "4.7.320", EXO },
	{ "ndr_banned_ip",
	  "Delivery has failed to these recipients or groups:\n\n"
	  "jane@fabrikam.com\n"
	  "Your message wasn't delivered because the recipient's email provider rejected it.\n\n"
	  "Diagnostic information for administrators:\n\n"
	  "Generating server: EX01.contoso.local\n\n"
	  "jane@fabrikam.com\n"
	  "Remote Server returned '550 5.7.606 Access denied, banned sending IP [203.0.113.7]. "
	  "To request removal from this list please visit https://sender.office.com/ and "
	  "follow the directions. For more information please go to  "
	  "http://go.microsoft.com/fwlink/?LinkID=526655 AS(1430)'\n\n"
	  "Original message headers:\n\n"
	  "Received: from EX01.contoso.local (10.0.0.5) by EX01.contoso.local (10.0.0.5)\n"
	  " with Microsoft SMTP Server (version=TLS1_2,\n"
	  " cipher=TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384) id 15.2.1258.12; Sat, 14 Mar\n"
	  " 2026 09:12:05 +0100\n",
	  0, "eop.banned-ip", 550, "5.7.606", REMOTE },
	{ "banned_ip_649_eop_host",
	  "550 5.7.649 Access denied, banned sending IP [198.51.100.23]; To request removal "
	  "from this list please visit https://sender.office.com/ and follow the directions. "
	  "[BN8NAM12FT021.eop-nam12.prod.protection.outlook.com]",
	  0, "eop.banned-ip", 550, "5.7.649", EXO },
	{ "protocol_log_starttls_required",
	  "#Software: Microsoft Exchange Server\n"
	  "#Version: 15.0.0.0\n"
	  "#Log-type: SMTP Send Protocol Log\n"
	  "#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,"
	  "remote-endpoint,event,data,context\n"
	  PLOG "0,,104.47.20.36:25,*,,attempting to connect\n"
	  PLOG "1" EP "+,,\n"
	  PLOG "2" EP "<,\"220 AM4PEPF00027A6C.mail.protection.outlook.com Microsoft ESMTP MAIL "
	  "Service ready at Sat, 14 Mar 2026 09:12:04 +0000 [08DE62A9B1C4F7E3]\",\n"
	  PLOG "3" EP ">,EHLO mail.contoso.com,\n"
	  PLOG "4" EP "<,250-AM4PEPF00027A6C.mail.protection.outlook.com Hello [203.0.113.7] "
	  "SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES 8BITMIME BINARYMIME CHUNKING "
	  "SMTPUTF8,\n"
	  PLOG "5" EP ">,MAIL FROM:<postmaster@contoso.com> SIZE=4096,\n"
	  PLOG "6" EP "<,451 5.7.3 Must issue a STARTTLS command first. "
	  "[AM4PEPF00027A6C.eurprd04.prod.outlook.com 2026-03-14T09:12:05.012Z "
	  "08DE62A9B1C4F7E3],\n"
	  PLOG "7" EP "-,,Remote\n",
	  0, "eop.starttls-required", 451, "5.7.3", EXO },
	{ "protocol_log_firewall_rewrites_starttls",
	  PLOG "2" EP "<,220 ****************************************************,\n"
	  PLOG "3" EP ">,EHLO mail.contoso.com,\n"
	  PLOG "4" EP "<,250-mail.fabrikam.com Hello [203.0.113.7] SIZE 36700160 PIPELINING "
	  "DSN ENHANCEDSTATUSCODES STARTTLS 8BITMIME CHUNKING,\n"
	  PLOG "5" EP ">,STARTTLS,\n"
	  PLOG "6" EP "<,500 5.5.1 Command unrecognized,\n",
	  0, "middlebox.esmtp-inspection", 500, "5.5.1", REMOTE },
	{ "cisco_esa_hash_code_after_xxxxxxxa",
	  "$ telnet mail.fabrikam.com 25\n"
	  "220 mail.fabrikam.com ESMTP\n"
	  "EHLO test.contoso.com\n"
	  "250-mail.fabrikam.com\n"
	  "250-8BITMIME\n"
	  "250-SIZE 10485760\n"
	  "250-XXXXXXXA\n"
	  "250 OK\n"
	  "STARTTLS\n"
	  "500 #5.5.1 command not recognized\n",
	  0, "middlebox.esmtp-inspection", 500, "5.5.1", REMOTE },
	{ "tls_certificate_name_not_found",
	  "LastError : 454 4.7.5 The certificate specified in TlsCertificateName of the "
	  "SendConnector could not be found.\n"
	  PLOG "9" EP "*,,TLS negotiation failed with error NoCredentials\n",
	  0, "onprem.tls-cert-not-found", 454, "4.7.5", LOCAL },
	{ "protocol_log_no_credentials_only",
	  PLOG "7" EP ">,STARTTLS,\n"
	  PLOG "8" EP "<,220 2.0.0 SMTP server ready,\n"
	  PLOG "9" EP "*,,Sending certificate\n"
	  PLOG "10" EP "*,CN=mail.contoso.com,Certificate subject\n"
	  PLOG "11" EP "*,,TLS negotiation failed with error NoCredentials\n"
	  PLOG "12" EP "-,,Local\n",
	  0, "onprem.tls-cert-not-found", 0, "", UNKNOWN },
	{ "exo_dns_query_failed",
	  "{LED=450 4.4.312 DNS query failed [LastAttemptedServerName=mail.contoso.com] "
	  "[DB8EUR05FT011.eop-eur05.prod.protection.outlook.com]};{MSG=};{FQDN=mail.contoso.com};"
	  "{IP=};{LRT=}",
	  0, "exo.dns-query-failed", 450, "4.4.312", EXO },
	{ "onprem_dns_query_failed",
	  "451 4.4.0 DNS query failed. The error was: DNS query failed with error ErrorRetry",
	  0, "onprem.dns-query-failed", 451, "4.4.0", LOCAL },
	{ "exo_connection_timed_out",
	  "Remote Server returned '450 4.4.315 Connection timed out [Message=Socket error code "
	  "10060] [LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.25:25] "
	  "[DB8EUR05FT011.eop-eur05.prod.protection.outlook.com]'",
	  0, "exo.connection-timed-out", 450, "4.4.315", EXO },
	{ "exo_connection_refused_10061",
	  "450 4.4.316 Connection refused [Message=Socket error code 10061] "
	  "[LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.25:25]",
	  0, "exo.connection-refused", 450, "4.4.316", EXO },
	{ "exo_untrusted_root",
	  "450 4.4.317 Cannot connect to remote server [Message=UntrustedRoot] "
	  "[LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.25:25]",
	  0, "exo.untrusted-root", 450, "4.4.317", EXO },
	{ "exo_cannot_connect_nested_message",
	  "{LED=450 4.4.317 Cannot connect to remote server [Message=421 4.3.2 Service not "
	  "available] [LastAttemptedServerName=mail.contoso.com] "
	  "[LastAttemptedIP=203.0.113.25:25]};{MSG=};{FQDN=mail.contoso.com}",
	  0, "exo.cannot-connect", 421, "4.3.2", REMOTE },
	{ "exo_closed_abruptly",
	  "{LED=450 4.4.318 Connection was closed abruptly "
	  "[LastAttemptedServerName=mail.contoso.com] [LastAttemptedIP=203.0.113.25:25]};"
	  "{MSG=};{FQDN=mail.contoso.com};{IP=203.0.113.25}",
	  0, "exo.closed-abruptly", 450, "4.4.318", EXO },
	{ "tenant_attribution",
	  "Remote Server returned '550 5.7.64 TenantAttribution; Relay Access Denied "
	  "[SN1NAM02FT022.eop-nam02.prod.protection.outlook.com]'",
	  0, "eop.tenant-attribution", 550, "5.7.64", EXO },
	{ "wrong_region_attr35",
	  "451 4.4.62 Mail sent to the wrong Office 365 region. ATTR35. For more information "
	  "please go to https://go.microsoft.com/fwlink/?linkid=865268 "
	  "[SA2NAM11FT043.eop-nam11.prod.protection.outlook.com]",
	  0, "eop.wrong-region", 451, "4.4.62", EXO },
	{ "banned_sender",
	  "550 5.7.511 Access denied, banned sender[203.0.113.7]. To request removal from this "
	  "list, forward this message to delist@microsoft.com.",
	  0, "eop.banned-sender", 550, "5.7.511", EXO },
	{ "spamhaus",
	  "550 5.7.1 Service unavailable; Client host [203.0.113.7] blocked using Spamhaus. "
	  "To request removal from this list see https://www.spamhaus.org/query/ip/203.0.113.7 "
	  "(AS3130). [BN8NAM12FT064.eop-nam12.prod.protection.outlook.com]",
	  0, "eop.spamhaus-listed", 550, "5.7.1", EXO },
	{ "unable_to_relay",
	  "550 5.7.1 Unable to relay",
	  0, "smtp.unable-to-relay", 550, "5.7.1", REMOTE },
	{ "legacy_tls",
	  "421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to "
	  "support TLS 1.2. Visit https://aka.ms/smtp_auth_tls.",
	  0, "eop.legacy-tls", 421, "4.7.66", EXO },
	{ "unconfirmed_4_7_68",
	  "421 4.7.68 Service not available, closing transmission channel",
	  0, "unconfirmed.421-4.7.68", 421, "4.7.68", UNKNOWN },
	{ "unregistered_domains",
	  "550 5.7.750 Service unavailable. Client blocked from sending from unregistered "
	  "domains.",
	  0, "eop.unregistered-domains", 550, "5.7.750", EXO },
	{ "tenant_threshold",
	  "550 5.7.705 Access denied, tenant has exceeded threshold",
	  0, "eop.tenant-threshold", 550, "5.7.705", EXO },
	{ "ip_not_accepted",
	  "550 5.7.708 Access denied, traffic not accepted from this IP",
	  0, "eop.ip-not-accepted", 550, "5.7.708", EXO },
	{ "basic_auth",
	  "550 5.7.30 Basic authentication is not supported for Client Submission.",
	  0, "eop.basic-auth-disabled", 550, "5.7.30", EXO },
	{ "client_not_authenticated",
	  "530 5.7.57 Client was not authenticated to send anonymous mail during MAIL FROM "
	  "[AM0PR02CA0011.eurprd02.prod.outlook.com]",
	  0, "eop.client-not-authenticated", 530, "5.7.57", EXO },
	{ "relay_access_denied",
	  "Remote Server returned '550 5.4.1 Relay Access Denied'",
	  0, "eop.relay-access-denied", 550, "5.4.1", REMOTE },
	{ "dbeb",
	  "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) "
	  "[DM6NAM12FT055.eop-nam12.prod.protection.outlook.com]",
	  0, "eop.dbeb-rejected", 550, "5.4.1", EXO },
	{ "resolver_not_found",
	  "Remote Server returned '550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found'",
	  0, "exo.recipient-not-found", 550, "5.1.1", REMOTE },
	{ "dane_starttls_not_supported",
	  "450 4.7.321 starttls-not-supported: Destination mail server must support TLS to "
	  "receive mail.",
	  0, "exo.dane-starttls-not-supported", 450, "4.7.321", EXO },
	{ "dane_certificate_expired",
	  "550 5.7.322 certificate-expired: Destination mail server's certificate is expired.",
	  0, "exo.dane-certificate-expired", 550, "5.7.322", EXO },
	{ "dane_tlsa_invalid",
	  "450 4.7.323 tlsa-invalid: The domain failed DANE validation.",
	  0, "exo.dane-tlsa-invalid", 450, "4.7.323", EXO },
	{ "dane_dnssec_invalid",
	  "550 5.7.324 dnssec-invalid: Destination domain returned invalid DNSSEC records",
	  0, "exo.dane-dnssec-invalid", 550, "5.7.324", EXO },
	{ "dane_host_mismatch",
	  "550 5.7.325 certificate-host-mismatch: Remote certificate MUST have a common name "
	  "or subject alternative name matching the hostname (DANE)",
	  0, "exo.dane-certificate-host-mismatch", 550, "5.7.325", EXO },
	{ "rfc3207_530",
	  "<- MAIL FROM:<scanner@contoso.com>\n-> 530 5.7.0 Must issue a STARTTLS command first\n",
	  0, "smtp.starttls-required", 530, "5.7.0", REMOTE },
	{ "command_unrecognized_plain",
	  "500 5.5.1 Command unrecognized: \"XYZZY\"",
	  0, "smtp.command-unrecognized", 500, "5.5.1", REMOTE },
	{ "hcw_validate_configuration",
	  "2026.03.14 09:20:11.417 10225 [Client=UX, Thread=1] FINISH Time=1243.5ms "
	  "Results=PASS\n"
	  "2026.03.14 09:20:13.902 10332 [Client=UX, Page=UpdatingConfiguration, Thread=9] "
	  "ERROR Subtask ValidateConfiguration execution failed: Configure Mail Flow\n"
	  "Execution of the Get-ExchangeCertificate cmdlet had thrown an exception. This may "
	  "indicate invalid parameters in your Hybrid Configuration settings.\n"
	  "   at Microsoft.Online.CSE.Hybrid.Engine.ExecuteTask(ITask taskToExecute)\n",
	  0, "hcw.validate-mail-flow", 0, "", UNKNOWN },
	{ "hcw_configure_constraint_violation",
	  "Subtask Configure execution failed: Configure Mail Flow\r\n"
	  "Execution of the New-SendConnector cmdlet has thrown an exception. This may "
	  "indicate invalid parameters in your Hybrid Configuration settings.\r\n"
	  "Active Directory operation failed on DC01.contoso.local. This error is not "
	  "retriable. Additional information: A constraint violation occurred.\r\n"
	  "Active directory response: 0000215D: AtrErr: DSID-03190F80, #1:\r\n"
	  "\t0: 0000215D: DSID-03190F80, problem 1005 (CONSTRAINT_ATT_TYPE), data 0, "
	  "Att 90fab (msExchSmtpTLSCertificate):len 552\r\n",
	  0, "hcw.tls-certificate-too-long", 0, "", UNKNOWN },
	{ "hcw_configure_mail_flow",
	  "ERROR Subtask Configure execution failed: Configure Mail Flow\n"
	  "Execution of the Set-InboundConnector cmdlet has thrown an exception.\n",
	  0, "hcw.configure-mail-flow", 0, "", UNKNOWN },
	{ "hcw8010",
	  "[Client=UX, Thread=7] ERROR HCW8010 Default Receive Connector cannot be found on "
	  "server EX02.",
	  0, "hcw.8010-no-receive-connector", 0, "", UNKNOWN },
	{ "hcw8011",
	  "HCW8011 Ambiguous configuration: multiple Send Connectors found for AddressSpace "
	  "'contoso.mail.onmicrosoft.com'.",
	  0, "hcw.8011-duplicate-send-connectors", 0, "", UNKNOWN },
	{ "hcw_no_valid_certificate",
	  "Checking hybrid certificates on EX01...\nERROR: No valid hybrid certificate found\n",
	  0, "hcw.no-valid-certificate", 0, "", UNKNOWN },
	{ "unknown_code_class_only",
	  "Remote Server returned '554 5.9.999 Something nobody has documented'",
	  0, NULL, 554, "5.9.999", REMOTE },
	{ "mangled_crlf_tabs_html_quot",
	  "\tLast error:\t451 4.4.0 Primary target IP address responded with: &quot;451 "
	  "5.7.3 Must issue a STARTTLS command first.&quot;\r\n\t Attempted failover to "
	  "alternate host, but that did not succeed.\r\n",
	  0, "eop.starttls-required", 451, "5.7.3", REMOTE },
	{ "code_split_across_line_break",
	  "Remote Server returned '550 5.7.\r\n606 Access denied, banned sending IP "
	  "[203.0.113.7]. To request removal from this list please visit "
	  "https://sender.office.com/'",
	  0, "eop.banned-ip", 550, "5.7.606", REMOTE },
	{ "export_csv_doubled_quotes",
	  "\"Identity\",\"Status\",\"LastError\"\n"
	  "\"EX01\\12\",\"Retry\",\"451 4.4.0 Primary target IP address responded with: "
	  "\"\"451 5.7.3 Must issue a STARTTLS command first.\"\" Attempted failover to "
	  "alternate host, but that did not succeed.\"\n",
	  0, "eop.starttls-required", 451, "5.7.3", REMOTE },
	{ "typographic_quotes_utf8",
	  "451 4.4.0 Primary target IP address responded with: \xe2\x80\x9c" "451 5.7.3 Must "
	  "issue a STARTTLS command first.\xe2\x80\x9d Attempted failover to alternate host, "
	  "but that didn\xe2\x80\x99t succeed.",
	  0, "eop.starttls-required", 451, "5.7.3", REMOTE },
	{ "html_ndr",
	  "<html><body><p><b>Diagnostic information for administrators:</b></p>"
	  "<p>Generating server: EX01.contoso.local<br>jane@fabrikam.com<br>Remote Server "
	  "returned &#39;550 5.7.64 TenantAttribution; Relay Access Denied "
	  "[SN1NAM02FT022.eop-nam02.prod.protection.outlook.com]&#39;</p></body></html>",
	  0, "eop.tenant-attribution", 550, "5.7.64", EXO },
	{ "dsn_diagnostic_code",
	  "Reporting-MTA: dns;EX01.contoso.local\nFinal-Recipient: rfc822;jane@fabrikam.com\n"
	  "Action: failed\nStatus: 5.7.606\n"
	  "Diagnostic-Code: smtp;550 5.7.606 Access denied, banned sending IP [203.0.113.9]\n",
	  0, "eop.banned-ip", 550, "5.7.606", REMOTE },
	{ "deferred_suspicious_4_7_500",
	  "451 4.7.500 Server busy. Please try again later from [203.0.113.7]. (S77714) "
	  "[AM4PEPF00027A6C.eurprd04.prod.outlook.com]",
	  0, "eop.deferred-suspicious", 451, "4.7.500", EXO },
	{ "customer_block_list",
	  "550 5.7.513 Service unavailable, Client host [203.0.113.7] blocked by fabrikam.com "
	  "using Customer Block list (AS16012607)",
	  0, "eop.customer-block-list", 550, "5.7.513", EXO },
	{ "cert_validation_failed_generic",
	  "450 4.7.320 Certificate validation failed",
	  0, "exo.cert-validation-failed", 450, "4.7.320", EXO },
	{ "utf16le_out_file", utf16, sizeof utf16 - 1,
	  "eop.banned-ip", 550, "5.7.606", REMOTE },
	{ "garbage_binary_nul", binary, sizeof binary - 1, NULL, 0, "", UNKNOWN },
	{ "empty", "", 0, NULL, 0, "", UNKNOWN },
	{ "prose_no_codes",
	  "Hi, mail to the cloud has not worked since Tuesday. Call 555-1234 or 555 1234, "
	  "ticket 4.4.0, port 25, IP 203.0.113.7:587. Thanks!",
	  0, NULL, 0, "", UNKNOWN },
};

/* A copy in Criterion's shared memory: the test runs in another process,
 * where pointers into this one's data mean nothing. */
static const char *shared_copy(const char *s, size_t len)
{
	char *c;

	if (s == NULL)
		return NULL;
	c = cr_malloc(len + 1);
	memcpy(c, s, len);
	c[len] = '\0';
	return c;
}

static void rows_free(struct criterion_test_params *ctp)
{
	struct row *v = ctp->params;

	for (size_t i = 0; i < ctp->length; i++) {
		cr_free((void *)v[i].name);
		cr_free((void *)v[i].in);
		cr_free((void *)v[i].key);
		cr_free((void *)v[i].esc);
	}
	cr_free(v);
}

ParameterizedTestParameters(explain, rows)
{
	size_t n = sizeof rows / sizeof rows[0];
	struct row *v = cr_malloc(n * sizeof *v);

	for (size_t i = 0; i < n; i++) {
		size_t len = rows[i].len ? rows[i].len : strlen(rows[i].in);

		v[i] = rows[i];
		v[i].len = len;
		v[i].name = shared_copy(rows[i].name, strlen(rows[i].name));
		v[i].in = shared_copy(rows[i].in, len);
		v[i].key = shared_copy(rows[i].key, rows[i].key ? strlen(rows[i].key) : 0);
		v[i].esc = shared_copy(rows[i].esc, strlen(rows[i].esc));
	}
	return cr_make_param_array(struct row, v, n, rows_free);
}

ParameterizedTest(struct row *row, explain, rows)
{
	struct explain_result r;
	size_t len = row->len;
	const struct explain_entry *want = row->key ? explain_entry_find(row->key) : NULL;

	cr_assert(row->key == NULL || want != NULL, "%s: no entry %s", row->name, row->key);
	cr_assert(explain_text(row->in, len, &r), "%s", row->name);
	cr_expect_eq(r.primary_entry, want, "%s: primary entry %s, want %s", row->name,
	    r.primary_entry ? r.primary_entry->key : "(none)", row->key ? row->key : "(none)");
	if (row->code == 0) {
		cr_expect_eq(r.primary, -1, "%s: primary reply %d, want none", row->name, r.primary);
	} else {
		cr_assert_geq(r.primary, 0, "%s: no primary reply", row->name);
		const struct explain_reply *p = &r.replies[r.primary];

		cr_expect_eq(p->code, row->code, "%s: code %d, want %d", row->name, p->code, row->code);
		cr_expect_str_eq(p->esc, row->esc, "%s: esc %s, want %s", row->name, p->esc, row->esc);
		cr_expect_eq(p->side, row->side, "%s: side %s, want %s", row->name,
		    explain_side_name(p->side), explain_side_name(row->side));
		cr_expect(p->text != NULL && strncmp(p->text, "", 1) != 0);
	}
	if (want != NULL && want->hcw)
		cr_expect_eq(r.hcw, want, "%s: hcw", row->name);
	cr_expect_eq(r.recognised, row->key != NULL || row->code != 0, "%s: recognised", row->name);
	if (want != NULL)
		cr_expect_eq(r.step, want->step, "%s: step", row->name);
	explain_result_free(&r);
}

Test(explain, nested_structure)
{
	static const char in[] = "451 4.4.0 Primary target IP address responded with: "
	    "\"451 5.7.3 Must issue a STARTTLS command first.\" Attempted failover to "
	    "alternate host, but that did not succeed.";
	struct explain_result r;

	cr_assert(explain_text(in, strlen(in), &r));
	cr_assert_eq(r.nreplies, 2);
	cr_expect_eq(r.replies[0].code, 451);
	cr_expect_str_eq(r.replies[0].esc, "4.4.0");
	cr_expect_eq(r.replies[0].side, EXPLAIN_SIDE_LOCAL);
	cr_expect_eq(r.replies[0].depth, 0);
	cr_expect_eq(r.replies[0].parent, -1);
	cr_expect_eq(r.replies[0].entry, explain_entry_find("onprem.remote-responded"));
	cr_expect_eq(r.replies[1].side, EXPLAIN_SIDE_REMOTE);
	cr_expect_eq(r.replies[1].depth, 1);
	cr_expect_eq(r.replies[1].parent, 0);
	cr_expect_str_eq(r.replies[1].text, "451 5.7.3 Must issue a STARTTLS command first.");
	cr_expect_eq(r.primary, 1);
	cr_expect_eq(r.step, EXPLAIN_STEP_SMTP);
	explain_result_free(&r);
	cr_expect_eq(r.nreplies, 0);
	explain_result_free(&r);	/* twice is fine */
}

Test(explain, nested_wrapped_same_as_one_line)
{
	static const char one[] = "451 4.4.0 Primary target IP address responded with: "
	    "\"451 5.7.3 Must issue a STARTTLS command first.\" Attempted failover.";
	static const char two[] = "451 4.4.0 Primary target IP address responded with: "
	    "\"451 5.7.3 Must issue a STARTTLS\r\ncommand first.\" Attempted failover.";
	struct explain_result a, b;

	cr_assert(explain_text(one, strlen(one), &a));
	cr_assert(explain_text(two, strlen(two), &b));
	cr_assert_eq(a.nreplies, b.nreplies);
	for (size_t i = 0; i < a.nreplies; i++) {
		cr_expect_str_eq(a.replies[i].text, b.replies[i].text);
		cr_expect_eq(a.replies[i].entry, b.replies[i].entry);
		cr_expect_eq(a.replies[i].depth, b.replies[i].depth);
	}
	explain_result_free(&a);
	explain_result_free(&b);
}

Test(explain, ndr_repeats_are_one_reply)
{
	static const char in[] =
	    "Remote Server returned '550 5.7.64 TenantAttribution; Relay Access Denied "
	    "[SN1NAM02FT022.eop-nam02.prod.protection.outlook.com]'\n"
	    "#550 5.7.64 TenantAttribution; Relay Access Denied "
	    "[SN1NAM02FT022.eop-nam02.prod.protection.outlook.com] ##rfc822;jane@fabrikam.com\n";
	struct explain_result r;

	cr_assert(explain_text(in, strlen(in), &r));
	cr_expect_eq(r.nreplies, 1);
	cr_expect_eq(r.primary_entry, explain_entry_find("eop.tenant-attribution"));
	explain_result_free(&r);
}

Test(explain, xxxxxxxa_signature_beside_starttls_required)
{
	static const char in[] =
	    PLOG "4" EP "<,250-AM4PEPF00027A6C.mail.protection.outlook.com Hello [203.0.113.7] "
	    "SIZE 157286400 PIPELINING DSN ENHANCEDSTATUSCODES XXXXXXXA 8BITMIME,\n"
	    PLOG "5" EP ">,MAIL FROM:<postmaster@contoso.com> SIZE=4096,\n"
	    PLOG "6" EP "<,451 5.7.3 Must issue a STARTTLS command first.,\n";
	const struct explain_entry *fw = explain_entry_find("middlebox.esmtp-inspection");
	struct explain_result r;
	bool found = false;

	cr_assert(explain_text(in, strlen(in), &r));
	cr_expect_eq(r.primary_entry, explain_entry_find("eop.starttls-required"));
	cr_expect_eq(r.replies[r.primary].side, EXPLAIN_SIDE_REMOTE);
	for (size_t i = 0; i < r.nsignals; i++)
		found |= r.signals[i] == fw;
	cr_expect(found, "the XXXXXXXA signature is reported");
	explain_result_free(&r);
}

Test(explain, only_positive_replies)
{
	static const char in[] = "220 mail.contoso.com Microsoft ESMTP MAIL Service ready\n"
	    "250 2.0.0 OK\n";
	struct explain_result r;

	cr_assert(explain_text(in, strlen(in), &r));
	cr_expect(r.recognised);
	cr_expect_eq(r.nreplies, 2);
	cr_expect_eq(r.primary, -1);
	cr_expect_null(r.primary_entry);
	cr_expect_eq(r.step, EXPLAIN_STEP_NONE);
	explain_result_free(&r);
}

Test(explain, at_most_32_replies)
{
	char *buf = malloc(100 * 64);
	size_t k = 0;
	struct explain_result r;

	cr_assert_not_null(buf);
	for (int i = 0; i < 100; i++)
		k += (size_t)sprintf(buf + k, "550 5.7.1 Unable to relay for user%d@contoso.com\n", i);
	cr_assert(explain_text(buf, k, &r));
	cr_expect_eq(r.nreplies, EXPLAIN_REPLIES_MAX);
	cr_expect_eq(r.primary_entry, explain_entry_find("smtp.unable-to-relay"));
	explain_result_free(&r);
	free(buf);
}

Test(explain, input_over_64k_is_cut)
{
	size_t n = EXPLAIN_INPUT_MAX + 4096;
	char *buf = malloc(n);
	static const char tail[] = "\n550 5.7.606 Access denied, banned sending IP\n";
	struct explain_result r;

	cr_assert_not_null(buf);
	memset(buf, 'A', n);
	memcpy(buf + n - sizeof tail + 1, tail, sizeof tail - 1);
	cr_assert(explain_text(buf, n, &r));
	cr_expect(r.truncated);
	cr_expect_not(r.recognised);
	cr_expect_eq(r.nreplies, 0);
	explain_result_free(&r);
	free(buf);
}

Test(explain, one_long_line_of_codes)
{
	size_t n = EXPLAIN_INPUT_MAX;
	char *buf = malloc(n);
	struct explain_result r;

	cr_assert_not_null(buf);
	for (size_t i = 0; i < n; i++)
		buf[i] = "451 4.4.0 \""[i % 11];
	cr_assert(explain_text(buf, n, &r));
	cr_expect_leq(r.nreplies, EXPLAIN_REPLIES_MAX);
	cr_expect_geq(r.nreplies, 1);
	for (size_t i = 0; i < r.nreplies; i++)
		cr_expect_leq(strlen(r.replies[i].text), EXPLAIN_TEXT_MAX + 3);
	explain_result_free(&r);
	free(buf);
}

Test(explain, null_text_and_random_bytes)
{
	static const char alphabet[] = "0123456789012345.... \n\n\r\"'#<>&;=[]{},*LEDMesag"
	    "XA\t\x00\x80\xe2";
	struct explain_result r;
	unsigned int seed = 12345;
	char buf[2048];

	cr_assert(explain_text(NULL, 0, &r));
	cr_expect_not(r.recognised);
	explain_result_free(&r);
	for (int round = 0; round < 3000; round++) {
		size_t n = (size_t)(rand_r(&seed) % (int)sizeof buf);

		for (size_t i = 0; i < n; i++)
			buf[i] = (round & 1) ? (char)rand_r(&seed) :
			    alphabet[rand_r(&seed) % (int)(sizeof alphabet - 1)];
		cr_assert(explain_text(buf, n, &r));
		cr_assert_leq(r.nreplies, EXPLAIN_REPLIES_MAX);
		cr_assert(r.primary < (int)r.nreplies);
		for (size_t i = 0; i < r.nreplies; i++) {
			cr_assert_not_null(r.replies[i].text);
			cr_assert(r.replies[i].parent < (int)i);
			for (const char *p = r.replies[i].text; *p; p++)
				cr_assert(*p >= 0x20 && *p < 0x7f, "ASCII only");
		}
		explain_result_free(&r);
	}
}

/* Every entry is complete, keys are unique, text is plain ASCII. */
Test(explain, table_is_complete)
{
	static const char *const required[] = {
		"eop.starttls-required", "onprem.remote-responded", "onprem.tls-cert-not-found",
		"exo.dns-query-failed", "exo.connection-timed-out", "exo.connection-refused",
		"exo.cannot-connect", "exo.untrusted-root", "exo.closed-abruptly",
		"exo.cert-validation-failed", "exo.cert-subject-mismatch", "eop.tenant-attribution",
		"eop.wrong-region", "eop.banned-ip", "eop.banned-sender", "eop.spamhaus-listed",
		"smtp.unable-to-relay", "eop.legacy-tls", "eop.unregistered-domains",
		"eop.tenant-threshold", "eop.ip-not-accepted", "eop.basic-auth-disabled",
		"eop.client-not-authenticated", "eop.relay-access-denied", "eop.dbeb-rejected",
		"exo.recipient-not-found", "exo.dane-starttls-not-supported",
		"exo.dane-certificate-expired", "exo.dane-tlsa-invalid", "exo.dane-dnssec-invalid",
		"exo.dane-certificate-host-mismatch", "smtp.starttls-required",
		"middlebox.esmtp-inspection", "smtp.command-unrecognized", "hcw.validate-mail-flow",
		"hcw.configure-mail-flow", "hcw.tls-certificate-too-long",
		"hcw.8010-no-receive-connector", "hcw.8011-duplicate-send-connectors",
		"hcw.no-valid-certificate", "unconfirmed.421-4.7.68",
	};
	size_t n = explain_entry_count();

	cr_assert_geq(n, sizeof required / sizeof required[0]);
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		cr_expect_not_null(explain_entry_find(required[i]), "missing %s", required[i]);
	cr_expect_null(explain_entry_find("no.such-key"));
	cr_expect_null(explain_entry_at(n));
	for (size_t i = 0; i < n; i++) {
		const struct explain_entry *e = explain_entry_at(i);
		size_t nc = 0, nk = 0;
		const char *texts[2 + EXPLAIN_CAUSES_MAX + EXPLAIN_CHECKS_MAX + 2];
		size_t nt = 0;

		cr_assert_not_null(e);
		cr_expect_eq(explain_entry_find(e->key), e, "duplicate key %s", e->key);
		while (nc < EXPLAIN_CAUSES_MAX && e->causes[nc] != NULL)
			texts[nt++] = e->causes[nc++];
		while (nk < EXPLAIN_CHECKS_MAX && e->checks[nk] != NULL)
			texts[nt++] = e->checks[nk++];
		cr_expect(nc >= 2 && nc <= 5, "%s: %zu causes", e->key, nc);
		cr_expect_geq(nk, 1, "%s: no checks", e->key);
		texts[nt++] = e->title;
		texts[nt++] = e->what;
		if (e->note != NULL)
			texts[nt++] = e->note;
		for (size_t t = 0; t < nt; t++) {
			cr_assert_not_null(texts[t], "%s", e->key);
			for (const char *p = texts[t]; *p; p++)
				cr_expect(*p >= 0x20 && *p < 0x7f, "%s: not ASCII: %s", e->key, texts[t]);
		}
	}
}

Test(explain, class_meanings)
{
	cr_expect(strstr(explain_code_class(554), "permanent") != NULL);
	cr_expect(strstr(explain_code_class(451), "transient") != NULL);
	cr_expect(strstr(explain_code_class(250), "success") != NULL);
	cr_expect(strstr(explain_code_category(554), "mail system") != NULL);
	cr_expect(strstr(explain_code_category(421), "connections") != NULL);
	cr_expect(strstr(explain_code_category(500), "syntax") != NULL);
	cr_expect(strstr(explain_code_category(211), "information") != NULL);
	cr_expect(strstr(explain_esc_class("4.4.316"), "transient") != NULL);
	cr_expect(strstr(explain_esc_subject("5.7.606"), "security or policy") != NULL);
	cr_expect(strstr(explain_esc_subject("4.4.316"), "network and routing") != NULL);
	cr_expect(strstr(explain_esc_subject("5.1.1"), "addressing") != NULL);
	cr_expect(strstr(explain_esc_subject("5.9.999"), "not defined") != NULL);
	cr_expect(strstr(explain_esc_subject("5.0.0"), "other or undefined") != NULL);
	cr_expect(strstr(explain_esc_class(""), "no enhanced") != NULL);
}

/* Render into memory; NUL-terminated, caller frees. */
static char *render(const char *in, int width)
{
	struct explain_result r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert(explain_text(in, strlen(in), &r));
	explain_render_text(f, &r, width);
	fclose(f);
	explain_result_free(&r);
	return buf;
}

/* s with every run of blanks and line breaks made one space. */
static char *flat(const char *s)
{
	char *f = malloc(strlen(s) + 1);
	size_t k = 0;

	cr_assert_not_null(f);
	for (; *s; s++) {
		char c = *s == '\n' ? ' ' : *s;

		if (c == ' ' && k > 0 && f[k - 1] == ' ')
			continue;
		f[k++] = c;
	}
	f[k] = '\0';
	return f;
}

/* Every line fits width (unless it is one long word), all plain ASCII. */
static void check_layout(const char *s, int width)
{
	const char *line = s;

	for (const char *p = s; *p; p++)
		cr_expect((*p >= 0x20 && *p < 0x7f) || *p == '\n', "not ASCII: 0x%02x",
		    (unsigned char)*p);
	while (*line) {
		size_t n = strcspn(line, "\n");
		const char *word = line + n;

		while (word > line && word[-1] != ' ')
			word--;
		if (word - line > 0 && (int)n > width) {
			/* only a word that cannot be broken may overflow */
			const char *prev = word - 1;

			while (prev > line && *prev == ' ')
				prev--;
			cr_expect(prev - line < width, "line over %d: %.*s", width, (int)n, line);
		}
		line += n + (line[n] == '\n');
	}
}

Test(explain, render_nested)
{
	char *s = render("451 4.4.0 Primary target IP address responded with: \"451 5.7.3 Must "
	    "issue a STARTTLS command first.\" Attempted failover to alternate host, but that "
	    "did not succeed.", 80);

	cr_expect(strncmp(s, "Found: 2 SMTP replies.\n", 23) == 0, "%s", s);
	cr_expect(strstr(s, "The reply to act on\n") != NULL);
	cr_expect(strstr(s, "  Found: 451 5.7.3 Must issue a STARTTLS command first.\n") != NULL, "%s", s);
	cr_expect(strstr(s, "  Said by: the remote server, quoted inside the 451 4.4.0 reply") != NULL, "%s", s);
	cr_expect(strstr(s, "[eop.starttls-required]") != NULL);
	cr_expect(strstr(s, "  Likely causes, most likely first:\n    1. A firewall") != NULL, "%s", s);
	cr_expect(strstr(s, "    2. ") != NULL);
	cr_expect(strstr(s, "  Checks to run:\n    - hybridtls smtp <tenant>.mail.protection.outlook.com") != NULL, "%s", s);
	cr_expect(strstr(s, "hybridtls blocklist <your public IP>") != NULL);
	cr_expect(strstr(s, "Wizard step: SMTP conversation and STARTTLS (smtp)") != NULL);
	cr_expect(strstr(s, "(unconfirmed)") != NULL);
	/* the primary comes first, the wrapper after it */
	cr_expect(strstr(s, "[eop.starttls-required]") < strstr(s, "[onprem.remote-responded]"));
	cr_expect(strstr(s, "Other replies in the text") != NULL);
	cr_expect(strstr(s, "  Said by: the on-premises server (local queue)\n") != NULL, "%s", s);
	check_layout(s, 80);
	free(s);
}

Test(explain, render_unknown_code)
{
	char *s = render("Remote Server returned '554 5.9.999 Something nobody has documented'", 60);

	char *f = flat(s);

	cr_expect(strstr(f, "Not specifically known: hybridtls has no entry for this exact "
	    "code (554 5.9.999)") != NULL, "%s", s);
	cr_expect(strstr(f, "- RFC 5321: 554: 5yz permanent failure") != NULL, "%s", s);
	cr_expect(strstr(f, "x5z mail system") != NULL, "%s", s);
	cr_expect(strstr(f, "- RFC 3463: 5.9.999: class 5 permanent failure") != NULL, "%s", s);
	cr_expect(strstr(f, "subject not defined") != NULL, "%s", s);
	cr_expect(strstr(s, "Said by: the remote server\n") != NULL);
	check_layout(s, 60);
	free(f);
	free(s);
}

Test(explain, render_hcw_and_nothing)
{
	char *s = render("ERROR Subtask ValidateConfiguration execution failed: Configure Mail Flow", 72);

	cr_expect(strncmp(s, "Found: a Hybrid Configuration Wizard error.\n", 44) == 0, "%s", s);
	cr_expect(strstr(s, "\nHybrid Configuration Wizard error\n---") != NULL, "%s", s);
	cr_expect(strstr(s, "[hcw.validate-mail-flow]") != NULL);
	cr_expect(strstr(s, "Note: ") != NULL);
	check_layout(s, 72);
	free(s);

	s = render("\x01\x02 nothing here at all", 0);
	cr_expect(strncmp(s, "Nothing recognised.\n", 20) == 0, "%s", s);
	check_layout(s, 80);
	free(s);
}

Test(explain, render_signal_explains_vague_reply)
{
	char *s = render("451 4.4.0 Primary target IP address responded with: \"421 4.4.1 "
	    "Connection timed out.\"\n" PLOG "6" EP "*,,TLS negotiation failed with error "
	    "UnknownCredentials\n", 80);

	cr_expect(strstr(s, "Found: 421 4.4.1 Connection timed out.") != NULL, "%s", s);
	cr_expect(strstr(s, "Most likely explanation, from the rest of the text") != NULL, "%s", s);
	cr_expect(strstr(s, "[onprem.cert-not-smtp]") != NULL);
	cr_expect(strstr(s, "Enable-ExchangeCertificate -Services SMTP") != NULL);
	cr_expect(strstr(s, "What the reply itself means") != NULL, "%s", s);
	cr_expect(strstr(s, "[onprem.connection-timed-out]") != NULL);
	check_layout(s, 80);
	free(s);
}

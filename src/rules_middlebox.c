/*
 * Signatures of a device in the path that inspects SMTP (Cisco ASA "inspect
 * esmtp", PIX "fixup smtp", SMTP proxies): what it does to the conversation
 * can be seen from the client side.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rules.h"

/* Mostly asterisks: the ASA keeps the code and the line ending, nothing else. */
static bool masked(const char *text)
{
	size_t stars = 0, other = 0;

	for (const char *p = text; *p; p++) {
		if (*p == '*')
			stars++;
		else if (*p != ' ')
			other++;
	}
	return stars >= 5 && other * 10 <= stars;
}

/* "XXXXXXXA" or a keyword turned into X's. */
static bool x_masked(const char *ext)
{
	size_t n = strcspn(ext, " "), x = 0;

	if (strncasecmp(ext, "XXXXXXXA", 8) == 0)
		return true;
	for (size_t i = 0; i < n; i++)
		x += ext[i] == 'X';
	return n >= 4 && x == n;
}

static bool endpoint_always_offers_starttls(const char *host)
{
	size_t n = host ? strlen(host) : 0;
	static const char *const eop[] = { ".mail.protection.outlook.com", ".mx.microsoft", NULL };

	for (size_t i = 0; eop[i] != NULL; i++) {
		size_t k = strlen(eop[i]);

		if (n > k && strcasecmp(host + n - k, eop[i]) == 0)
			return true;
	}
	return false;
}

/* Positive evidence that something answered the ClientHello in plaintext:
 * OpenSSL's "wrong version number" / "packet length too long", or bytes that
 * followed "220 Ready to start TLS" before the handshake. A plain timeout or
 * close is not enough: Exchange does that too when its certificate key is
 * unreadable. */
static bool plaintext_after_220(const struct smtp_facts *f)
{
	const char *e = f->tls.error ? f->tls.error : "";

	if (strstr(e, "wrong version number") != NULL || strstr(e, "packet length too long") != NULL ||
	    strstr(e, "http request") != NULL)
		return true;
	for (size_t i = 0; i < f->tr.n; i++)
		if (f->tr.v[i].dir == TDIR_NOTE && strstr(f->tr.v[i].text, "followed the STARTTLS reply") != NULL)
			return true;
	return false;
}

void rules_middlebox(const struct smtp_facts *f, struct findings *out)
{
	struct finding *fd;

	if (f->banner.nlines > 0 && masked(f->banner.lines[0])) {
		fd = findings_add(out, "middlebox.banner-masked", "the greeting is masked: %d %s",
		    f->banner.code, f->banner.lines[0]);
		finding_evidence(fd, "greeting: %d %s", f->banner.code, f->banner.lines[0]);
	}
	for (size_t i = 0; i < f->next; i++) {
		if (x_masked(f->ext[i])) {
			fd = findings_add(out, "middlebox.starttls-masked",
			    "the EHLO reply carries 250-%s where STARTTLS belongs", f->ext[i]);
			finding_evidence(fd, "EHLO reply line: 250-%s", f->ext[i]);
			break;
		}
	}
	/* Not when the server itself says it refuses our IP: a banned sender gets
	 * no STARTTLS from Exchange Online, and that reply is the explanation. */
	if (f->ehlo.code == 250 && !f->starttls_offered && f->next > 0 &&
	    endpoint_always_offers_starttls(f->host) && findings_get(out, "middlebox.starttls-masked") == NULL &&
	    findings_get(out, "smtp.eop-blocked") == NULL && findings_get(out, "smtp.spamhaus-blocked") == NULL) {
		fd = findings_add(out, "middlebox.starttls-stripped",
		    "%s always offers STARTTLS, but the EHLO reply that arrived has %zu extensions and not it",
		    f->host, f->next);
		for (size_t i = 0; i < f->next && i < 12; i++)
			finding_evidence(fd, "EHLO reply line: 250-%s", f->ext[i]);
	}
	if (f->starttls_offered && (f->starttls.code == 500 || f->starttls.code == 502)) {
		fd = findings_add(out, "middlebox.starttls-rejected",
		    "STARTTLS was advertised, then the command was answered %d", f->starttls.code);
		finding_evidence(fd, "EHLO reply: 250-STARTTLS");
		if (f->starttls.nlines > 0)
			finding_evidence(fd, "STARTTLS reply: %d %s", f->starttls.code, f->starttls.lines[0]);
	}
	/* A real TLS server that refuses says so with an alert; silence or
	 * plaintext after "220 Ready to start TLS" is something in between. */
	if (f->starttls.code == 220 && f->tls.attempted && !f->tls.ok && !f->tls.legacy_only &&
	    f->tls.alert[0] == '\0' && plaintext_after_220(f)) {
		fd = findings_add(out, "middlebox.tls-broken",
		    "220 to STARTTLS, then the handshake failed without a TLS alert: %s",
		    f->tls.error ? f->tls.error : "?");
		if (f->starttls.nlines > 0)
			finding_evidence(fd, "STARTTLS reply: 220 %s", f->starttls.lines[0]);
		finding_evidence(fd, "handshake: %s", f->tls.error ? f->tls.error : "?");
	}
	if (f->ehlo.code >= 500 && f->ehlo.code <= 502 && f->helo.code == 250) {
		fd = findings_add(out, "middlebox.ehlo-blocked", "EHLO was answered %d, HELO worked",
		    f->ehlo.code);
		if (f->ehlo.nlines > 0)
			finding_evidence(fd, "EHLO reply: %d %s", f->ehlo.code, f->ehlo.lines[0]);
		if (f->helo.nlines > 0)
			finding_evidence(fd, "HELO reply: 250 %s", f->helo.lines[0]);
	}
}

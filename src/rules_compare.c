/*
 * Two vantage points of the same service (inside and outside, or two
 * targets): where they saw a different banner, extension list, certificate
 * or client address, a device in between is changing the conversation.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rules.h"

static bool has_ext(const struct smtp_facts *f, const char *ext)
{
	size_t n = strcspn(ext, " ");

	for (size_t i = 0; i < f->next; i++)
		if (strncasecmp(f->ext[i], ext, n) == 0 && (f->ext[i][n] == '\0' || f->ext[i][n] == ' '))
			return true;
	return false;
}

static const char *first_line(const struct smtp_reply_facts *r)
{
	return r->nlines > 0 ? r->lines[0] : "(none)";
}

void rules_compare(const struct smtp_facts *a, const struct smtp_facts *b, struct findings *out)
{
	struct finding *fd;
	bool same = true;

	if (a->banner.code != b->banner.code || strcmp(first_line(&a->banner), first_line(&b->banner)) != 0) {
		fd = findings_add(out, "compare.banner-differs", "the greetings differ");
		finding_evidence(fd, "A %s: %d %s", a->host, a->banner.code, first_line(&a->banner));
		finding_evidence(fd, "B %s: %d %s", b->host, b->banner.code, first_line(&b->banner));
		same = false;
	}
	{
		struct finding *ext = NULL;

		for (int side = 0; side < 2; side++) {
			const struct smtp_facts *x = side ? b : a, *y = side ? a : b;

			for (size_t i = 0; i < x->next; i++) {
				if (has_ext(y, x->ext[i]))
					continue;
				if (ext == NULL)
					ext = findings_add(out, "compare.extensions-differ",
					    "the EHLO replies offer different extensions");
				finding_evidence(ext, "only %s (%s): 250-%s", side ? "B" : "A", x->host, x->ext[i]);
			}
		}
		if (ext != NULL)
			same = false;
	}
	if (a->tls.nchain > 0 && b->tls.nchain > 0 &&
	    strcmp(a->tls.chain[0].sha256, b->tls.chain[0].sha256) != 0) {
		fd = findings_add(out, "compare.certificate-differs", "the two sides were shown different certificates");
		finding_evidence(fd, "A %s: %s (SHA-256 %s)", a->host, a->tls.chain[0].subject, a->tls.chain[0].sha256);
		finding_evidence(fd, "B %s: %s (SHA-256 %s)", b->host, b->tls.chain[0].subject, b->tls.chain[0].sha256);
		same = false;
	} else if ((a->tls.nchain > 0) != (b->tls.nchain > 0)) {
		fd = findings_add(out, "compare.certificate-differs", "only %s got a certificate",
		    a->tls.nchain > 0 ? "A" : "B");
		same = false;
	}
	if (a->observed_ip[0] && b->observed_ip[0] && strcmp(a->observed_ip, b->observed_ip) != 0) {
		fd = findings_add(out, "compare.observed-ip-differs", "the server saw %s from A and %s from B",
		    a->observed_ip, b->observed_ip);
	}
	if (same) {
		fd = findings_add(out, "compare.same", "both sides saw the same greeting, extensions and certificate");
		finding_evidence(fd, "greeting: %d %s", a->banner.code, first_line(&a->banner));
		if (a->tls.nchain > 0)
			finding_evidence(fd, "certificate: %s", a->tls.chain[0].sha256);
	}
}

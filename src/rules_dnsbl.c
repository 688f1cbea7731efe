/* Rules for the blocklist step, and for the block replies Exchange Online sends. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

static size_t answers_of(const struct dns_answer *a, const char **v, size_t cap)
{
	size_t n = 0;

	if (a->status != DNS_OK)
		return 0;
	for (size_t i = 0; i < a->n && n < cap; i++)
		v[n++] = a->rr[i].text;
	return n;
}

static bool answered(const struct dns_answer *a)
{
	return a->status == DNS_OK || a->status == DNS_NXDOMAIN || a->status == DNS_NODATA;
}

/* RFC 5782 section 5: a zone that lists 127.0.0.1 answers everything. */
static enum dnsbl_selftest selftest_of(const struct dnsbl_result *r, const struct dnsbl_zone *z)
{
	const char *pos[4], *neg[4];
	size_t np, nn;

	if (!z->selftest || !answered(&r->test_pos) || !answered(&r->test_neg))
		return DNSBL_SELFTEST_SKIPPED;
	np = answers_of(&r->test_pos, pos, 4);
	nn = answers_of(&r->test_neg, neg, 4);
	return dnsbl_selftest_judge(z, pos, np, neg, nn);
}

bool rules_dnsbl_zone_broken(const struct dnsbl_result *r, const struct dnsbl_list *zones)
{
	const struct dnsbl_zone *z = zones ? dnsbl_list_find(zones, r->id) : NULL;
	enum dnsbl_selftest st;

	if (z == NULL)
		return false;
	st = selftest_of(r, z);
	return st == DNSBL_SELFTEST_ANSWERS_ALL || st == DNSBL_SELFTEST_UNEXPECTED;
}

void rules_dnsbl(const struct dnsbl_facts *b, const struct dnsbl_list *zones, struct findings *out)
{
	size_t usable = 0, clean = 0, listed = 0;
	struct finding *fd;

	for (size_t i = 0; i < b->n; i++) {
		const struct dnsbl_result *r = &b->v[i];
		const struct dnsbl_zone *z = zones ? dnsbl_list_find(zones, r->id) : NULL;
		const char *ans[DNSBL_MAX_ANSWERS], *pos[4], *neg[4];
		struct dnsbl_verdict v;
		size_t n;

		if (r->skipped || z == NULL || r->qname == NULL)
			continue;
		if (!answered(&r->a)) {
			fd = findings_add(out, "dnsbl.timeout", "%s (%s): %s", z->name, r->id,
			    dns_status_name(r->a.status));
			finding_evidence(fd, "query: %s A", r->qname);
			continue;
		}
		if (rules_dnsbl_zone_broken(r, zones)) {
			size_t np = answers_of(&r->test_pos, pos, 4), nn = answers_of(&r->test_neg, neg, 4);

			fd = findings_add(out, "dnsbl.zone-broken", "%s (%s): %s", z->name, r->id,
			    dnsbl_selftest_text(selftest_of(r, z)));
			finding_evidence(fd, "127.0.0.1 (must not be listed): %s",
			    nn ? neg[0] : dns_status_name(r->test_neg.status));
			finding_evidence(fd, "127.0.0.2 (must be listed): %s",
			    np ? pos[0] : dns_status_name(r->test_pos.status));
			continue;
		}
		n = answers_of(&r->a, ans, DNSBL_MAX_ANSWERS);
		dnsbl_interpret(z, ans, n, &v);
		switch (v.status) {
		case DNSBL_LISTED:
		case DNSBL_LISTED_POLICY:
			fd = findings_add(out, v.status == DNSBL_LISTED ? "dnsbl.listed" : "dnsbl.policy-listed",
			    "%s is listed on %s (%s): %s", b->ip, z->name, v.code, v.meaning ? v.meaning : "listed");
			/* A list that few receivers use is a warning, not a failure. */
			if (v.status == DNSBL_LISTED && z->weight == DNSBL_WEIGHT_LOW)
				fd->sev = SEV_WARNING;
			finding_evidence(fd, "query: %s A -> %s", r->qname, v.code);
			for (size_t k = 0; r->txt.status == DNS_OK && k < r->txt.n && k < 3; k++)
				finding_evidence(fd, "reason (TXT): %s", r->txt.rr[k].text);
			finding_evidence(fd, "how much it matters: %s", dnsbl_weight_name(z->weight));
			if (v.delist)
				finding_evidence(fd, "delisting: %s", v.delist);
			if (v.note)
				finding_evidence(fd, "%s", v.note);
			listed++;
			usable++;
			break;
		case DNSBL_REFUSED:
			fd = findings_add(out, "dnsbl.refused", "%s (%s) refused the query: %s", z->name, r->id,
			    v.meaning ? v.meaning : v.code);
			finding_evidence(fd, "query: %s A -> %s", r->qname, v.code);
			if (v.note)
				finding_evidence(fd, "%s", v.note);
			break;
		case DNSBL_UNEXPECTED:
			fd = findings_add(out, "dnsbl.unexpected", "%s (%s) answered %s, which it does not define",
			    z->name, r->id, v.code);
			finding_evidence(fd, "query: %s A -> %s", r->qname, v.code);
			break;
		default:
			usable++;
			clean++;
			break;
		}
	}
	if (listed == 0 && clean > 0) {
		fd = findings_add(out, "dnsbl.clean", "%s is not listed on any of the %zu blocklists that answered",
		    b->ip, usable);
		for (size_t i = 0; i < b->n; i++)
			if (!b->v[i].skipped && answered(&b->v[i].a) && b->v[i].a.status != DNS_OK &&
			    dnsbl_list_find(zones, b->v[i].id) != NULL && !rules_dnsbl_zone_broken(&b->v[i], zones))
				finding_evidence(fd, "%s: not listed", b->v[i].id);
	}
}

/* Exchange Online's own blocks, wherever they appear in the conversation. */
void rules_smtp_blocks(const struct smtp_facts *f, struct findings *out)
{
	/* Exchange Online usually refuses a banned IP at MAIL or RCPT. */
	const struct smtp_reply_facts *replies[] = { &f->banner, &f->ehlo, &f->helo, &f->starttls,
	    &f->ehlo_tls, &f->mail_plain, &f->rcpt_plain, &f->mail_tls, &f->rcpt_tls, &f->quit };

	for (size_t i = 0; i < sizeof replies / sizeof replies[0]; i++) {
		const struct smtp_reply_facts *r = replies[i];
		int detail = -1;

		if (r->code < 400 || r->nlines == 0)
			continue;
		if (strncmp(r->esc, "5.7.", 4) == 0)
			detail = atoi(r->esc + 4);
		if ((detail >= 606 && detail <= 649) || detail == 511) {
			struct finding *fd = findings_add(out, "smtp.eop-blocked",
			    "Exchange Online refuses the sending IP: %d %s", r->code, r->esc);

			for (size_t k = 0; k < r->nlines; k++)
				finding_evidence(fd, "reply: %d %s", r->code, r->lines[k]);
			return;
		}
		for (size_t k = 0; k < r->nlines; k++) {
			if (strstr(r->lines[k], "blocked using Spamhaus") != NULL) {
				struct finding *fd = findings_add(out, "smtp.spamhaus-blocked",
				    "the server rejects the sending IP because Spamhaus lists it");

				finding_evidence(fd, "reply: %d %s", r->code, r->lines[k]);
				return;
			}
		}
	}
}

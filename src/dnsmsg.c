#include "config.h"

#include <ares.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsmsg.h"
#include "textutil.h"

#define MAX_RRS 64

const char *dns_status_name(enum dns_status s)
{
	switch (s) {
	case DNS_OK: return "answered";
	case DNS_NXDOMAIN: return "no such name (NXDOMAIN)";
	case DNS_NODATA: return "no records of this type (NODATA)";
	case DNS_SERVFAIL: return "server failure (SERVFAIL)";
	case DNS_REFUSED: return "refused (REFUSED)";
	case DNS_TIMEOUT: return "no answer in time";
	case DNS_ERROR: return "error";
	}
	return "?";
}

const char *dns_type_name(uint16_t type)
{
	switch (type) {
	case DNS_T_A: return "A";
	case DNS_T_NS: return "NS";
	case DNS_T_CNAME: return "CNAME";
	case DNS_T_SOA: return "SOA";
	case DNS_T_PTR: return "PTR";
	case DNS_T_MX: return "MX";
	case DNS_T_TXT: return "TXT";
	case DNS_T_AAAA: return "AAAA";
	case DNS_T_SRV: return "SRV";
	case DNS_T_TLSA: return "TLSA";
	}
	return "?";
}

void dns_answer_free(struct dns_answer *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->rr[i].text);
		free(a->rr[i].target);
		free(a->rr[i].data);
	}
	free(a->rr);
	free(a->name);
	free(a->cname);
	free(a->error);
	memset(a, 0, sizeof *a);
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Expand the name at p into a malloc'd string (NULL on error); *used is its encoded length. */
static char *expand(const unsigned char *p, const unsigned char *buf, size_t len, long *used)
{
	char *s = NULL, *copy;

	if (p < buf || p >= buf + len)
		return NULL;
	if (ares_expand_name(p, buf, (int)len, &s, used) != ARES_SUCCESS)
		return NULL;
	copy = text_escape(s, strlen(s));
	ares_free_string(s);
	return copy;
}

/* Printable copy of bytes: what a hostile TXT holds must not reach a terminal raw. */
static char *printable(const unsigned char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		s[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	s[n] = '\0';
	return s;
}

static bool fail(struct dns_answer *out, const char *why)
{
	for (size_t i = 0; i < out->n; i++) {
		free(out->rr[i].text);
		free(out->rr[i].target);
		free(out->rr[i].data);
	}
	free(out->rr);
	out->rr = NULL;
	out->n = 0;
	out->status = DNS_ERROR;
	free(out->error);
	out->error = strdup(why);
	return false;
}

/* Fill rr from rdata; false if the rdata is malformed. */
static bool parse_rdata(const unsigned char *buf, size_t len, const unsigned char *rd, size_t rdlen,
    struct dns_rr *rr)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	long used;

	switch (rr->type) {
	case DNS_T_A:
		if (rdlen != 4 || inet_ntop(AF_INET, rd, tmp, sizeof tmp) == NULL)
			return false;
		return (rr->text = strdup(tmp)) != NULL;
	case DNS_T_AAAA:
		if (rdlen != 16 || inet_ntop(AF_INET6, rd, tmp, sizeof tmp) == NULL)
			return false;
		return (rr->text = strdup(tmp)) != NULL;
	case DNS_T_CNAME:
	case DNS_T_PTR:
	case DNS_T_NS:
		if ((rr->target = expand(rd, buf, len, &used)) == NULL)
			return false;
		return (rr->text = strdup(rr->target)) != NULL;
	case DNS_T_MX:
		if (rdlen < 3)
			return false;
		rr->pref = get16(rd);
		if ((rr->target = expand(rd + 2, buf, len, &used)) == NULL)
			return false;
		return asprintf(&rr->text, "%u %s", rr->pref, rr->target) >= 0;
	case DNS_T_SRV:
		if (rdlen < 7)
			return false;
		rr->pref = get16(rd);
		rr->weight = get16(rd + 2);
		rr->port = get16(rd + 4);
		if ((rr->target = expand(rd + 6, buf, len, &used)) == NULL)
			return false;
		return asprintf(&rr->text, "%u %u %u %s", rr->pref, rr->weight, rr->port, rr->target) >= 0;
	case DNS_T_TXT: {
		/* RFC 7208 3.3: the strings of one record are joined with nothing between. */
		size_t o = 0;

		if ((rr->data = malloc(rdlen + 1)) == NULL)
			return false;
		for (size_t i = 0; i < rdlen;) {
			size_t sl = rd[i++];

			if (i + sl > rdlen)
				return false;
			memcpy(rr->data + o, rd + i, sl);
			o += sl;
			i += sl;
		}
		rr->data[o] = '\0';
		rr->datalen = o;
		return (rr->text = printable(rr->data, o)) != NULL;
	}
	case DNS_T_TLSA: {
		char *hex;

		if (rdlen < 4)
			return false;
		rr->usage = rd[0];
		rr->selector = rd[1];
		rr->mtype = rd[2];
		rr->datalen = rdlen - 3;
		if ((rr->data = malloc(rr->datalen)) == NULL || (hex = malloc(rr->datalen * 2 + 1)) == NULL)
			return false;
		memcpy(rr->data, rd + 3, rr->datalen);
		for (size_t i = 0; i < rr->datalen; i++)
			sprintf(hex + i * 2, "%02x", rd[3 + i]);
		if (asprintf(&rr->text, "%u %u %u %s", rr->usage, rr->selector, rr->mtype, hex) < 0)
			rr->text = NULL;
		free(hex);
		return rr->text != NULL;
	}
	default:
		return false;
	}
}

bool dnsmsg_parse(const unsigned char *buf, size_t len, uint16_t qtype, struct dns_answer *out)
{
	const unsigned char *p, *end = buf + len;
	unsigned qd, an;
	long used;

	if (len < 12)
		return fail(out, "answer shorter than a DNS header");
	out->rcode = buf[3] & 0x0f;
	out->ad = (buf[3] & 0x20) != 0;
	qd = get16(buf + 4);
	an = get16(buf + 6);
	p = buf + 12;
	for (unsigned i = 0; i < qd; i++) {
		char *q = expand(p, buf, len, &used);

		if (q == NULL || p + used + 4 > end) {
			free(q);
			return fail(out, "malformed question section");
		}
		free(q);
		p += used + 4;
	}
	switch (out->rcode) {
	case 0: break;
	case 2: out->status = DNS_SERVFAIL; return true;
	case 3: out->status = DNS_NXDOMAIN; return true;
	case 5: out->status = DNS_REFUSED; return true;
	default:
		out->status = DNS_ERROR;
		if (asprintf(&out->error, "the server answered with rcode %d", out->rcode) < 0)
			out->error = NULL;
		return true;
	}
	if ((out->rr = calloc(MAX_RRS, sizeof *out->rr)) == NULL)
		return fail(out, "out of memory");
	for (unsigned i = 0; i < an; i++) {
		char *owner = expand(p, buf, len, &used);
		uint16_t type, rdlen;
		uint32_t ttl;

		free(owner);
		if (owner == NULL || p + used + 10 > end)
			return fail(out, "malformed answer record");
		p += used;
		type = get16(p);
		ttl = get32(p + 4);
		rdlen = get16(p + 8);
		p += 10;
		if (p + rdlen > end)
			return fail(out, "answer record runs past the end of the message");
		if (type == DNS_T_CNAME && qtype != DNS_T_CNAME) {
			struct dns_rr c = { .type = DNS_T_CNAME };

			if (!parse_rdata(buf, len, p, rdlen, &c)) {
				free(c.text);
				free(c.target);
				return fail(out, "malformed CNAME record");
			}
			free(out->cname);
			out->cname = c.target;
			free(c.text);
		} else if (type == qtype && out->n < MAX_RRS) {
			struct dns_rr *rr = &out->rr[out->n++];

			rr->type = type;
			rr->ttl = ttl;
			if (!parse_rdata(buf, len, p, rdlen, rr))
				return fail(out, "malformed record data");
		}
		p += rdlen;
	}
	out->status = out->n > 0 ? DNS_OK : DNS_NODATA;
	return true;
}

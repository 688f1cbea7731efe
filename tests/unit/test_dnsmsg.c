/* The DNS answer parser over hand-built messages: every record type we read,
 * the status codes, the AD bit, CNAME chains, and malformed input. */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "dnsmsg.h"

struct msg {
	unsigned char b[1024];
	size_t n;
};

static void put16(struct msg *m, unsigned v)
{
	m->b[m->n++] = (unsigned char)(v >> 8);
	m->b[m->n++] = (unsigned char)v;
}

/* A label-encoded name ("a.b" -> 1a1b0). */
static void put_name(struct msg *m, const char *name)
{
	while (*name) {
		size_t l = strcspn(name, ".");

		m->b[m->n++] = (unsigned char)l;
		memcpy(m->b + m->n, name, l);
		m->n += l;
		name += l;
		if (*name == '.')
			name++;
	}
	m->b[m->n++] = 0;
}

/* Header and one question; flags3 is the fourth header byte (RA, AD, rcode). */
static void start(struct msg *m, const char *qname, unsigned qtype, unsigned char flags3, unsigned an)
{
	memset(m, 0, sizeof *m);
	put16(m, 0x1234);
	m->b[m->n++] = 0x81;	/* QR, RD */
	m->b[m->n++] = flags3;
	put16(m, 1);
	put16(m, an);
	put16(m, 0);
	put16(m, 0);
	put_name(m, qname);
	put16(m, qtype);
	put16(m, 1);
}

/* An answer owned by the question's name (compression pointer to offset 12). */
static void rr(struct msg *m, unsigned type, const unsigned char *rd, size_t rdlen)
{
	put16(m, 0xc00c);
	put16(m, type);
	put16(m, 1);
	put16(m, 0);
	put16(m, 300);
	put16(m, (unsigned)rdlen);
	memcpy(m->b + m->n, rd, rdlen);
	m->n += rdlen;
}

static struct dns_answer parse(struct msg *m, unsigned qtype)
{
	struct dns_answer a;

	memset(&a, 0, sizeof a);
	dnsmsg_parse(m->b, m->n, (uint16_t)qtype, &a);
	return a;
}

Test(dnsmsg, mx_records)
{
	struct msg m, rd;
	struct dns_answer a;

	start(&m, "contoso.com", DNS_T_MX, 0x80, 2);
	rd.n = 0;
	put16(&rd, 0);
	put_name(&rd, "contoso-com.mail.protection.outlook.com");
	rr(&m, DNS_T_MX, rd.b, rd.n);
	rd.n = 0;
	put16(&rd, 10);
	put_name(&rd, "backup.contoso.com");
	rr(&m, DNS_T_MX, rd.b, rd.n);
	a = parse(&m, DNS_T_MX);
	cr_assert_eq(a.status, DNS_OK);
	cr_assert_eq(a.n, 2);
	cr_assert_eq(a.rr[0].pref, 0);
	cr_assert_str_eq(a.rr[0].target, "contoso-com.mail.protection.outlook.com");
	cr_assert_str_eq(a.rr[1].text, "10 backup.contoso.com");
	cr_assert_eq(a.rr[0].ttl, 300);
	cr_assert(!a.ad);
	dns_answer_free(&a);
}

Test(dnsmsg, txt_strings_are_joined_without_separator)
{
	struct msg m;
	static const unsigned char rd[] = "\x0bv=spf1 ip4:\x0c" "192.0.2.0/24\x05 -all";
	struct dns_answer a;

	start(&m, "contoso.com", DNS_T_TXT, 0xa0, 1);	/* RA + AD */
	rr(&m, DNS_T_TXT, rd, sizeof rd - 1);
	a = parse(&m, DNS_T_TXT);
	cr_assert_eq(a.status, DNS_OK);
	cr_assert_str_eq(a.rr[0].text, "v=spf1 ip4:192.0.2.0/24 -all");
	cr_assert_eq(a.rr[0].datalen, strlen("v=spf1 ip4:192.0.2.0/24 -all"));
	cr_assert(a.ad, "the AD bit is reported");
	dns_answer_free(&a);
}

Test(dnsmsg, txt_control_bytes_are_made_printable)
{
	struct msg m;
	static const unsigned char rd[] = "\x05" "a\x1b[2J";
	struct dns_answer a;

	start(&m, "x.test", DNS_T_TXT, 0x80, 1);
	rr(&m, DNS_T_TXT, rd, sizeof rd - 1);
	a = parse(&m, DNS_T_TXT);
	cr_assert_str_eq(a.rr[0].text, "a?[2J");
	dns_answer_free(&a);
}

Test(dnsmsg, address_srv_ptr_tlsa)
{
	struct msg m, rd;
	struct dns_answer a;
	static const unsigned char v4[] = { 203, 0, 113, 7 };
	static const unsigned char v6[] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const unsigned char tlsa[] = { 3, 1, 1, 0xab, 0xcd };

	start(&m, "mail.contoso.com", DNS_T_A, 0x80, 1);
	rr(&m, DNS_T_A, v4, 4);
	a = parse(&m, DNS_T_A);
	cr_assert_str_eq(a.rr[0].text, "203.0.113.7");
	dns_answer_free(&a);

	start(&m, "mail.contoso.com", DNS_T_AAAA, 0x80, 1);
	rr(&m, DNS_T_AAAA, v6, 16);
	a = parse(&m, DNS_T_AAAA);
	cr_assert_str_eq(a.rr[0].text, "2001:db8::1");
	dns_answer_free(&a);

	start(&m, "_sip._tls.contoso.com", DNS_T_SRV, 0x80, 1);
	rd.n = 0;
	put16(&rd, 100);
	put16(&rd, 1);
	put16(&rd, 443);
	put_name(&rd, "sipdir.online.lync.com");
	rr(&m, DNS_T_SRV, rd.b, rd.n);
	a = parse(&m, DNS_T_SRV);
	cr_assert_str_eq(a.rr[0].text, "100 1 443 sipdir.online.lync.com");
	cr_assert_eq(a.rr[0].port, 443);
	dns_answer_free(&a);

	start(&m, "7.113.0.203.in-addr.arpa", DNS_T_PTR, 0x80, 1);
	rd.n = 0;
	put_name(&rd, "mail.contoso.com");
	rr(&m, DNS_T_PTR, rd.b, rd.n);
	a = parse(&m, DNS_T_PTR);
	cr_assert_str_eq(a.rr[0].target, "mail.contoso.com");
	dns_answer_free(&a);

	start(&m, "_25._tcp.mail.contoso.com", DNS_T_TLSA, 0x80, 1);
	rr(&m, DNS_T_TLSA, tlsa, sizeof tlsa);
	a = parse(&m, DNS_T_TLSA);
	cr_assert_eq(a.rr[0].usage, 3);
	cr_assert_eq(a.rr[0].selector, 1);
	cr_assert_eq(a.rr[0].mtype, 1);
	cr_assert_eq(a.rr[0].datalen, 2);
	cr_assert_str_eq(a.rr[0].text, "3 1 1 abcd");
	dns_answer_free(&a);
}

Test(dnsmsg, cname_chain_is_followed_and_cname_queries_answered)
{
	struct msg m, rd;
	struct dns_answer a;
	static const unsigned char v4[] = { 192, 0, 2, 10 };

	start(&m, "autodiscover.contoso.com", DNS_T_A, 0x80, 2);
	rd.n = 0;
	put_name(&rd, "mail.contoso.com");
	rr(&m, DNS_T_CNAME, rd.b, rd.n);
	rr(&m, DNS_T_A, v4, 4);
	a = parse(&m, DNS_T_A);
	cr_assert_str_eq(a.cname, "mail.contoso.com");
	cr_assert_eq(a.n, 1);
	dns_answer_free(&a);

	start(&m, "autodiscover.contoso.com", DNS_T_CNAME, 0x80, 1);
	rr(&m, DNS_T_CNAME, rd.b, rd.n);
	a = parse(&m, DNS_T_CNAME);
	cr_assert_eq(a.status, DNS_OK);
	cr_assert_str_eq(a.rr[0].target, "mail.contoso.com");
	cr_assert_null(a.cname);
	dns_answer_free(&a);
}

Test(dnsmsg, status_codes_are_distinct)
{
	struct msg m;
	struct dns_answer a;

	start(&m, "nx.test", DNS_T_MX, 0x83, 0);
	a = parse(&m, DNS_T_MX);
	cr_assert_eq(a.status, DNS_NXDOMAIN);
	dns_answer_free(&a);
	start(&m, "nodata.test", DNS_T_MX, 0x80, 0);
	a = parse(&m, DNS_T_MX);
	cr_assert_eq(a.status, DNS_NODATA);
	dns_answer_free(&a);
	start(&m, "sf.test", DNS_T_MX, 0x82, 0);
	a = parse(&m, DNS_T_MX);
	cr_assert_eq(a.status, DNS_SERVFAIL);
	dns_answer_free(&a);
	start(&m, "ref.test", DNS_T_MX, 0x85, 0);
	a = parse(&m, DNS_T_MX);
	cr_assert_eq(a.status, DNS_REFUSED);
	dns_answer_free(&a);
	start(&m, "odd.test", DNS_T_MX, 0x84, 0);
	a = parse(&m, DNS_T_MX);
	cr_assert_eq(a.status, DNS_ERROR);
	cr_assert_not_null(a.error);
	dns_answer_free(&a);
}

Test(dnsmsg, malformed_messages_are_errors_not_crashes)
{
	struct msg m;
	struct dns_answer a;
	static const unsigned char v4[] = { 1, 2, 3 };	/* A with 3 bytes */
	static const unsigned char txt[] = "\x09short";	/* string longer than the rdata */

	memset(&a, 0, sizeof a);
	cr_assert(!dnsmsg_parse((const unsigned char *)"\x12\x34", 2, DNS_T_A, &a));
	cr_assert_eq(a.status, DNS_ERROR);
	dns_answer_free(&a);

	start(&m, "x.test", DNS_T_A, 0x80, 1);
	rr(&m, DNS_T_A, v4, 3);
	a = parse(&m, DNS_T_A);
	cr_assert_eq(a.status, DNS_ERROR);
	dns_answer_free(&a);

	start(&m, "x.test", DNS_T_TXT, 0x80, 1);
	rr(&m, DNS_T_TXT, txt, sizeof txt - 1);
	a = parse(&m, DNS_T_TXT);
	cr_assert_eq(a.status, DNS_ERROR);
	dns_answer_free(&a);

	/* Says two answers, carries one, and the rdata length runs past the end. */
	start(&m, "x.test", DNS_T_A, 0x80, 2);
	rr(&m, DNS_T_A, (const unsigned char *)"\x01\x02\x03\x04", 4);
	m.n -= 2;
	a = parse(&m, DNS_T_A);
	cr_assert_eq(a.status, DNS_ERROR);
	dns_answer_free(&a);

	/* A compression pointer that points at itself. */
	start(&m, "x.test", DNS_T_A, 0x80, 1);
	m.b[m.n++] = 0xc0;
	m.b[m.n] = (unsigned char)m.n - 1;
	m.n++;
	a = parse(&m, DNS_T_A);
	cr_assert_eq(a.status, DNS_ERROR);
	dns_answer_free(&a);
}

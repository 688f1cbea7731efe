/* Unit tests: the SMTP reply parser and RFC 3463 enhanced status codes. */
#include "config.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "smtp_reply.h"

/* Parse a NUL-terminated buffer. */
static enum reply_parse parse(const char *buf, bool eof, struct smtp_reply_facts *r,
    enum reply_error *err, size_t *used)
{
	return smtp_reply_parse(buf, strlen(buf), eof, r, err, used);
}

/* After RP_NEED_MORE or RP_ERROR, *out must hold nothing to free. */
static void assert_empty(const struct smtp_reply_facts *r)
{
	cr_assert_eq(r->code, 0);
	cr_assert_null(r->lines);
	cr_assert_eq(r->nlines, 0);
	cr_assert_str_eq(r->esc, "");
}

static void expect_error(const char *buf, size_t len, bool eof, enum reply_error want)
{
	struct smtp_reply_facts r;
	enum reply_error err;
	size_t used = 12345;

	cr_assert_eq(smtp_reply_parse(buf, len, eof, &r, &err, &used), RP_ERROR,
	    "input '%.40s' should be an error", buf);
	cr_assert_eq(err, want, "input '%.40s': error %d (%s), expected %d (%s)", buf, err,
	    reply_error_name(err), want, reply_error_name(want));
	cr_assert_leq(used, len);
	assert_empty(&r);
}

Test(smtp_reply, single_line)
{
	static const char in[] = "220 mx.contoso.com Microsoft ESMTP MAIL Service ready\r\n";
	struct smtp_reply_facts r;
	enum reply_error err;
	size_t used;

	cr_assert_eq(parse(in, false, &r, &err, &used), RP_DONE);
	cr_assert_eq(err, REPLY_OK);
	cr_assert_eq(r.code, 220);
	cr_assert_eq(r.nlines, 1);
	cr_assert_str_eq(r.lines[0], "mx.contoso.com Microsoft ESMTP MAIL Service ready");
	cr_assert_str_eq(r.esc, "");
	cr_assert_eq(used, strlen(in));
	smtp_reply_facts_free(&r);
	cr_assert_null(r.lines);
	cr_assert_eq(r.nlines, 0);
}

Test(smtp_reply, multi_line_ehlo)
{
	static const char in[] =
	    "250-BN8NAM12FT053.mail.protection.outlook.com Hello [203.0.113.7]\r\n"
	    "250-SIZE 157286400\r\n"
	    "250-PIPELINING\r\n"
	    "250-STARTTLS\r\n"
	    "250-8BITMIME\r\n"
	    "250 SMTPUTF8\r\n";
	struct smtp_reply_facts r;
	enum reply_error err;
	size_t used;

	cr_assert_eq(parse(in, false, &r, &err, &used), RP_DONE);
	cr_assert_eq(err, REPLY_OK);
	cr_assert_eq(r.code, 250);
	cr_assert_eq(r.nlines, 6);
	cr_assert_str_eq(r.lines[0], "BN8NAM12FT053.mail.protection.outlook.com Hello [203.0.113.7]");
	cr_assert_str_eq(r.lines[1], "SIZE 157286400");
	cr_assert_str_eq(r.lines[2], "PIPELINING");
	cr_assert_str_eq(r.lines[3], "STARTTLS");
	cr_assert_str_eq(r.lines[4], "8BITMIME");
	cr_assert_str_eq(r.lines[5], "SMTPUTF8");
	cr_assert_eq(used, strlen(in));
	smtp_reply_facts_free(&r);
}

Test(smtp_reply, incomplete_needs_more_and_consumes_nothing)
{
	static const char *const ins[] = {
		"",
		"2",
		"250",
		"250-mx.test Hello\r\n",
		"250-mx.test Hello\r\n250-SIZE",
		"250-mx.test Hello\r\n250-SIZE 1000\r\n",
	};

	for (size_t i = 0; i < sizeof ins / sizeof ins[0]; i++) {
		struct smtp_reply_facts r;
		enum reply_error err;
		size_t used = 999;

		cr_assert_eq(parse(ins[i], false, &r, &err, &used), RP_NEED_MORE,
		    "input %zu '%s'", i, ins[i]);
		cr_assert_eq(used, 0, "input %zu consumed %zu bytes", i, used);
		cr_assert_eq(err, REPLY_OK);
		assert_empty(&r);
	}
}

Test(smtp_reply, last_line_without_crlf)
{
	static const char in[] = "220 mx.test ready";
	struct smtp_reply_facts r;
	enum reply_error err;
	size_t used = 999;

	cr_assert_eq(parse(in, false, &r, &err, &used), RP_NEED_MORE);
	cr_assert_eq(used, 0);
	assert_empty(&r);

	cr_assert_eq(parse(in, true, &r, &err, &used), RP_DONE);
	cr_assert_eq(r.code, 220);
	cr_assert_eq(r.nlines, 1);
	cr_assert_str_eq(r.lines[0], "mx.test ready");
	cr_assert_eq(used, strlen(in));
	smtp_reply_facts_free(&r);
}

Test(smtp_reply, eof_with_nothing_is_not_a_reply)
{
	struct smtp_reply_facts r;
	enum reply_error err;
	size_t used = 999;

	cr_assert_neq(smtp_reply_parse("", 0, true, &r, &err, &used), RP_DONE);
	cr_assert_eq(used, 0);
	assert_empty(&r);
}

Test(smtp_reply, bare_lf_line_endings)
{
	static const char in[] = "250-mx.test\n250-STARTTLS\n250 SIZE 1000\n";
	struct smtp_reply_facts r;
	enum reply_error err;
	size_t used;

	cr_assert_eq(parse(in, false, &r, &err, &used), RP_DONE);
	cr_assert_eq(r.code, 250);
	cr_assert_eq(r.nlines, 3);
	cr_assert_str_eq(r.lines[0], "mx.test");
	cr_assert_str_eq(r.lines[1], "STARTTLS");
	cr_assert_str_eq(r.lines[2], "SIZE 1000");
	cr_assert_eq(used, strlen(in));
	smtp_reply_facts_free(&r);
}

Test(smtp_reply, two_replies_only_first_consumed)
{
	static const char first[] = "250-mx.test\r\n250 OK\r\n";
	static const char in[] = "250-mx.test\r\n250 OK\r\n354 Start mail input\r\n";
	struct smtp_reply_facts r;
	enum reply_error err;
	size_t used;

	cr_assert_eq(parse(in, false, &r, &err, &used), RP_DONE);
	cr_assert_eq(r.code, 250);
	cr_assert_eq(r.nlines, 2);
	cr_assert_str_eq(r.lines[1], "OK");
	cr_assert_eq(used, strlen(first));
	smtp_reply_facts_free(&r);

	/* The rest parses as the next reply. */
	cr_assert_eq(parse(in + used, false, &r, &err, &used), RP_DONE);
	cr_assert_eq(r.code, 354);
	cr_assert_eq(r.nlines, 1);
	cr_assert_str_eq(r.lines[0], "Start mail input");
	cr_assert_eq(used, strlen("354 Start mail input\r\n"));
	smtp_reply_facts_free(&r);
}

Test(smtp_reply, code_alone)
{
	struct smtp_reply_facts r;
	enum reply_error err;
	size_t used;

	cr_assert_eq(parse("250\r\n", false, &r, &err, &used), RP_DONE);
	cr_assert_eq(r.code, 250);
	cr_assert_eq(r.nlines, 1);
	cr_assert_str_eq(r.lines[0], "");
	cr_assert_eq(used, 5);
	smtp_reply_facts_free(&r);

	/* As the last line of a multi-line reply, too. */
	cr_assert_eq(parse("250-mx.test\r\n250\r\n", false, &r, &err, &used), RP_DONE);
	cr_assert_eq(r.code, 250);
	cr_assert_eq(r.nlines, 2);
	cr_assert_str_eq(r.lines[0], "mx.test");
	cr_assert_str_eq(r.lines[1], "");
	smtp_reply_facts_free(&r);
}

Test(smtp_reply, code_mismatch)
{
	static const char in[] = "250-mx.test\r\n251 OK\r\n";

	expect_error(in, strlen(in), false, REPLY_ERR_CODE_MISMATCH);
}

Test(smtp_reply, nul_byte)
{
	static const char in[] = "250 mx\0test\r\n";

	expect_error(in, sizeof in - 1, false, REPLY_ERR_NUL);
}

Test(smtp_reply, line_too_long_without_newline)
{
	char *buf = malloc(5000);

	cr_assert_not_null(buf);
	memcpy(buf, "250 ", 4);
	memset(buf + 4, 'x', 5000 - 4);
	expect_error(buf, 5000, false, REPLY_ERR_LINE_TOO_LONG);
	expect_error(buf, 5000, true, REPLY_ERR_LINE_TOO_LONG);
	free(buf);
}

Test(smtp_reply, line_too_long_one_mib)
{
	size_t len = 1024 * 1024;
	char *buf = malloc(len);

	cr_assert_not_null(buf);
	memcpy(buf, "250-", 4);
	memset(buf + 4, 'A', len - 4);
	expect_error(buf, len, false, REPLY_ERR_LINE_TOO_LONG);
	/* The same with a line ending at the very end. */
	buf[len - 2] = '\r';
	buf[len - 1] = '\n';
	expect_error(buf, len, false, REPLY_ERR_LINE_TOO_LONG);
	free(buf);
}

/* A line of exactly SMTP_LINE_MAX octets is accepted, one more is not. */
Test(smtp_reply, line_length_boundary)
{
	size_t len = SMTP_LINE_MAX + 2;
	char *buf = malloc(len + 1);
	struct smtp_reply_facts r;
	enum reply_error err;
	size_t used;

	cr_assert_not_null(buf);
	memcpy(buf, "250 ", 4);
	memset(buf + 4, 'y', SMTP_LINE_MAX - 4);
	memcpy(buf + SMTP_LINE_MAX, "\r\n", 3);
	cr_assert_eq(smtp_reply_parse(buf, len, false, &r, &err, &used), RP_DONE);
	cr_assert_eq(used, len);
	cr_assert_eq(strlen(r.lines[0]), SMTP_LINE_MAX - 4);
	smtp_reply_facts_free(&r);
	free(buf);

	buf = malloc(len + 2);
	cr_assert_not_null(buf);
	memcpy(buf, "250 ", 4);
	memset(buf + 4, 'y', SMTP_LINE_MAX + 1 - 4);
	memcpy(buf + SMTP_LINE_MAX + 1, "\r\n", 3);
	expect_error(buf, len + 1, false, REPLY_ERR_LINE_TOO_LONG);
	free(buf);
}

/*
 * A legal line of SMTP_LINE_MAX octets whose CR has arrived but whose LF has
 * not (a read that splits CRLF) must wait for more, not be called hostile.
 */
Test(smtp_reply, max_line_split_between_cr_and_lf)
{
	size_t len = SMTP_LINE_MAX + 1;	/* the line and its CR */
	char *buf = malloc(SMTP_LINE_MAX + 2);
	struct smtp_reply_facts r;
	enum reply_error err;
	size_t used;

	cr_assert_not_null(buf);
	memcpy(buf, "250 ", 4);
	memset(buf + 4, 'z', SMTP_LINE_MAX - 4);
	buf[SMTP_LINE_MAX] = '\r';
	buf[SMTP_LINE_MAX + 1] = '\n';
	cr_expect_eq(smtp_reply_parse(buf, len, false, &r, &err, &used), RP_NEED_MORE,
	    "a %d-octet line still waiting for its LF was rejected as %s", SMTP_LINE_MAX,
	    reply_error_name(err));
	smtp_reply_facts_free(&r);
	cr_assert_eq(smtp_reply_parse(buf, len + 1, false, &r, &err, &used), RP_DONE);
	cr_assert_eq(used, len + 1);
	smtp_reply_facts_free(&r);
	free(buf);
}

Test(smtp_reply, too_many_lines)
{
	static const char line[] = "250-x\r\n";
	size_t n = 300, ll = strlen(line);
	char *buf = malloc(n * ll + sizeof "250 end\r\n");

	cr_assert_not_null(buf);
	for (size_t i = 0; i < n; i++)
		memcpy(buf + i * ll, line, ll);
	strcpy(buf + n * ll, "250 end\r\n");
	expect_error(buf, strlen(buf), false, REPLY_ERR_TOO_MANY_LINES);
	/* Without an end at all. */
	expect_error(buf, n * ll, false, REPLY_ERR_TOO_MANY_LINES);
	free(buf);
}

Test(smtp_reply, max_lines_accepted)
{
	static const char line[] = "250-x\r\n";
	size_t n = SMTP_REPLY_MAX_LINES - 1, ll = strlen(line);
	char *buf = malloc(n * ll + sizeof "250 end\r\n");
	struct smtp_reply_facts r;
	enum reply_error err;
	size_t used;

	cr_assert_not_null(buf);
	for (size_t i = 0; i < n; i++)
		memcpy(buf + i * ll, line, ll);
	strcpy(buf + n * ll, "250 end\r\n");
	cr_assert_eq(parse(buf, false, &r, &err, &used), RP_DONE);
	cr_assert_eq(r.nlines, SMTP_REPLY_MAX_LINES);
	cr_assert_str_eq(r.lines[SMTP_REPLY_MAX_LINES - 1], "end");
	cr_assert_eq(used, strlen(buf));
	smtp_reply_facts_free(&r);
	free(buf);
}

Test(smtp_reply, syntax_errors)
{
	static const char *const ins[] = {
		"hello\r\n",
		"2500 x\r\n",
		"25\r\n",
		"650 x\r\n",
		"\r\n",
		"\n",
		"050 x\r\n",
		"25a x\r\n",
		" 250 x\r\n",
		"250_x\r\n",
		"250-mx.test\r\nhello\r\n",
	};

	for (size_t i = 0; i < sizeof ins / sizeof ins[0]; i++)
		expect_error(ins[i], strlen(ins[i]), false, REPLY_ERR_SYNTAX);
}

Test(smtp_reply, syntax_error_at_eof_without_newline)
{
	expect_error("hello", 5, true, REPLY_ERR_SYNTAX);
}

Test(smtp_reply, enhanced_code_in_reply)
{
	static const struct {
		const char *in, *esc;
		int code;
	} cases[] = {
		{ "550 5.7.606 Access denied, banned sending IP [203.0.113.7]\r\n", "5.7.606", 550 },
		{ "451 4.4.0 Primary target IP address responded with: \"451 5.7.3 Must issue a "
		  "STARTTLS command first.\"\r\n", "4.4.0", 451 },
		{ "250 2.0.0 OK\r\n", "2.0.0", 250 },
		{ "550-5.7.1 Relay denied\r\n550 5.7.1 see the docs\r\n", "5.7.1", 550 },
		/* The class must agree with the reply code. */
		{ "550 4.7.1 x\r\n", "", 550 },
		{ "250 5.0.0 x\r\n", "", 250 },
		{ "550 5.7.1234 x\r\n", "", 550 },
		{ "220 mx.test ESMTP\r\n", "", 220 },
		{ "250 2.0.0\r\n", "2.0.0", 250 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct smtp_reply_facts r;
		enum reply_error err;
		size_t used;

		cr_assert_eq(parse(cases[i].in, false, &r, &err, &used), RP_DONE, "case %zu", i);
		cr_assert_eq(r.code, cases[i].code, "case %zu", i);
		cr_assert_str_eq(r.esc, cases[i].esc, "case %zu: '%s'", i, cases[i].in);
		smtp_reply_facts_free(&r);
	}
}

Test(smtp_esc, parse)
{
	char esc[16];

	cr_assert(smtp_esc_parse("5.7.606 Access denied, banned sending IP [203.0.113.7]", esc,
	    sizeof esc));
	cr_assert_str_eq(esc, "5.7.606");
	cr_assert(smtp_esc_parse("4.4.0 Primary target IP address responded with", esc, sizeof esc));
	cr_assert_str_eq(esc, "4.4.0");
	cr_assert(smtp_esc_parse("2.0.0", esc, sizeof esc));
	cr_assert_str_eq(esc, "2.0.0");
	cr_assert(smtp_esc_parse("5.1.10\tRecipient not found", esc, sizeof esc));
	cr_assert_str_eq(esc, "5.1.10");
	cr_assert(smtp_esc_parse("4.123.456 x", esc, sizeof esc));
	cr_assert_str_eq(esc, "4.123.456");
}

Test(smtp_esc, rejects)
{
	static const char *const bad[] = {
		"5.7.1234", "5.7.1234 x", "5.1234.1 x", "3.0.0 x", "6.1.1", "1.0.0", "0.0.0",
		"5.7", "5.7.", "5..1", "5.7.1x", "5.7.1.2", "55.7.1", "x5.7.1", " 5.7.1", "",
		"Access denied 5.7.1",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char esc[16] = "untouched";

		cr_assert_not(smtp_esc_parse(bad[i], esc, sizeof esc), "'%s' accepted", bad[i]);
	}
}

Test(smtp_esc, small_buffer)
{
	char esc[6];

	/* "5.7.606" needs 8 bytes with its NUL. */
	cr_assert_not(smtp_esc_parse("5.7.606 x", esc, sizeof esc));
	cr_assert(smtp_esc_parse("5.7.1 x", esc, sizeof esc));
	cr_assert_str_eq(esc, "5.7.1");
}

/* Whatever a server sends, the parsed text is safe to print on a terminal. */
Test(smtp_reply, control_bytes_are_escaped_in_the_facts)
{
	static const char buf[] = "220 \x1b]0;PWNED\x07\x1b[31mmail\x9b" "31m\r\n";
	struct smtp_reply_facts r;
	enum reply_error err;
	size_t used;

	cr_assert_eq(smtp_reply_parse(buf, sizeof buf - 1, false, &r, &err, &used), RP_DONE);
	cr_assert_str_eq(r.lines[0], "\\x1b]0;PWNED\\x07\\x1b[31mmail\\x9b31m");
	smtp_reply_facts_free(&r);
}

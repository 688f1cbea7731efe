/*
 * Fuzz harness: the SMTP reply parser (src/smtp_reply.c). The input is what
 * a server sent; it is parsed reply after reply, as the client does, with
 * eof both false and true, and each reply's first line goes through the
 * enhanced status code parser. Checks the contract of smtp_reply_parse():
 * RP_DONE consumes something within the buffer and gives a code and at
 * least one line; RP_ERROR leaves *out empty; both eof values agree on a
 * reply whose every line ended.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "smtp_reply.h"
#include "fuzz.h"

/* Far more replies than any input here can hold lines for. */
#define MAX_REPLIES 4096

static void check_esc(const char *text)
{
	char esc[16], small[6];

	if (smtp_esc_parse(text, esc, sizeof esc)) {
		FUZZ_CHECK(strlen(esc) < sizeof esc);
		FUZZ_CHECK(esc[0] == '2' || esc[0] == '4' || esc[0] == '5');
		FUZZ_CHECK(strncmp(esc, text, strlen(esc)) == 0);
	}
	/* A buffer too small for most codes: must refuse, never overflow. */
	if (smtp_esc_parse(text, small, sizeof small))
		FUZZ_CHECK(strlen(small) < sizeof small);
}

static void run(const char *buf, size_t len, bool eof)
{
	size_t off = 0;

	for (int k = 0; k < MAX_REPLIES && off < len; k++) {
		struct smtp_reply_facts r;
		enum reply_error err;
		size_t used = (size_t)-1;
		enum reply_parse rp = smtp_reply_parse(buf + off, len - off, eof, &r, &err, &used);

		if (rp == RP_NEED_MORE) {
			FUZZ_CHECK(used == 0 && r.lines == NULL && r.nlines == 0);
			break;
		}
		if (rp == RP_ERROR) {
			FUZZ_CHECK(err != REPLY_OK);
			FUZZ_CHECK(used <= len - off);
			FUZZ_CHECK(r.lines == NULL && r.nlines == 0);
			break;
		}
		FUZZ_CHECK(rp == RP_DONE);
		FUZZ_CHECK(err == REPLY_OK);
		FUZZ_CHECK(used > 0 && used <= len - off);
		FUZZ_CHECK(r.code >= 100 && r.code <= 599);
		FUZZ_CHECK(r.nlines >= 1 && r.nlines <= SMTP_REPLY_MAX_LINES);
		for (size_t i = 0; i < r.nlines; i++) {
			FUZZ_CHECK(r.lines[i] != NULL);
			/* Control bytes come back escaped as \xNN: 4 bytes each. */
			FUZZ_CHECK(strlen(r.lines[i]) <= 4 * SMTP_LINE_MAX);
			for (const char *p = r.lines[i]; *p; p++)
				FUZZ_CHECK(*p >= 0x20 && *p < 0x7f);
		}
		FUZZ_CHECK(r.esc[0] == '\0' || r.esc[0] == buf[off]);
		check_esc(r.lines[0]);

		if (!eof) {
			/* Every line ended: eof cannot change the reply. */
			struct smtp_reply_facts r2;
			enum reply_error err2;
			size_t used2 = 0;

			FUZZ_CHECK(smtp_reply_parse(buf + off, len - off, true, &r2, &err2,
			    &used2) == RP_DONE);
			FUZZ_CHECK(used2 == used && r2.code == r.code && r2.nlines == r.nlines);
			FUZZ_CHECK(strcmp(r2.esc, r.esc) == 0);
			smtp_reply_facts_free(&r2);
		}
		smtp_reply_facts_free(&r);
		off += used;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	run((const char *)data, size, false);
	run((const char *)data, size, true);

	/* The enhanced code parser reads a C string. */
	if ((s = fuzz_strndup(data, size)) != NULL) {
		check_esc(s);
		free(s);
	}
	return 0;
}

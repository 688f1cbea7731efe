#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "smtp_reply.h"
#include "textutil.h"

bool smtp_esc_parse(const char *text, char *esc, size_t esclen)
{
	const char *p = text;
	size_t n;

	if (*p != '2' && *p != '4' && *p != '5')
		return false;
	p++;
	for (int part = 0; part < 2; part++) {
		if (*p++ != '.')
			return false;
		for (n = 0; isdigit((unsigned char)p[n]); n++)
			;
		if (n < 1 || n > 3)
			return false;
		p += n;
	}
	if (*p != '\0' && *p != ' ' && *p != '\t')
		return false;
	n = (size_t)(p - text);
	if (n + 1 > esclen)
		return false;
	memcpy(esc, text, n);
	esc[n] = '\0';
	return true;
}

/* One line of buf: [start, end) without the line ending; next is after it. */
struct span {
	size_t start, end, next;
};

/* Find the next line from off; false if incomplete. */
static bool next_line(const char *buf, size_t len, size_t off, bool eof, struct span *s)
{
	const char *nl = memchr(buf + off, '\n', len - off);

	s->start = off;
	if (nl == NULL) {
		if (!eof || off == len)
			return false;
		s->end = s->next = len;
		return true;
	}
	s->next = (size_t)(nl - buf) + 1;
	s->end = (size_t)(nl - buf);
	if (s->end > off && buf[s->end - 1] == '\r')
		s->end--;
	return true;
}

static int line_code(const char *p, size_t n, char *sep)
{
	if (n < 3 || !isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) ||
	    !isdigit((unsigned char)p[2]))
		return -1;
	if (p[0] < '1' || p[0] > '5')
		return -1;
	if (n == 3)
		*sep = ' ';	/* "250" alone: a last line with no text */
	else if (p[3] == ' ' || p[3] == '-')
		*sep = p[3];
	else
		return -1;
	return (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
}

enum reply_parse smtp_reply_parse(const char *buf, size_t len, bool eof,
    struct smtp_reply_facts *out, enum reply_error *err, size_t *used)
{
	struct span s;
	size_t off = 0, nlines = 0;
	int code = -1;
	char sep;

	memset(out, 0, sizeof *out);
	*err = REPLY_OK;
	*used = 0;

	/* First pass: find the end of the reply and check its syntax. */
	for (;;) {
		size_t n;
		int c;

		if (!next_line(buf, len, off, eof, &s)) {
			/* No line ending yet: a hostile line grows without bound. */
			if (len - off > SMTP_LINE_MAX + 1) {	/* room for a CR whose LF is yet to come */
				*err = REPLY_ERR_LINE_TOO_LONG;
				*used = len;
				return RP_ERROR;
			}
			return RP_NEED_MORE;
		}
		n = s.end - s.start;
		if (n > SMTP_LINE_MAX) {
			*err = REPLY_ERR_LINE_TOO_LONG;
			*used = s.next;
			return RP_ERROR;
		}
		if (memchr(buf + s.start, '\0', n) != NULL) {
			*err = REPLY_ERR_NUL;
			*used = s.next;
			return RP_ERROR;
		}
		if ((c = line_code(buf + s.start, n, &sep)) < 0) {
			*err = REPLY_ERR_SYNTAX;
			*used = s.next;
			return RP_ERROR;
		}
		if (code >= 0 && c != code) {
			*err = REPLY_ERR_CODE_MISMATCH;
			*used = s.next;
			return RP_ERROR;
		}
		code = c;
		off = s.next;
		if (++nlines > SMTP_REPLY_MAX_LINES) {
			*err = REPLY_ERR_TOO_MANY_LINES;
			*used = off;
			return RP_ERROR;
		}
		if (sep == ' ')
			break;
	}

	/* Second pass: copy the text of each line. */
	if ((out->lines = calloc(nlines, sizeof *out->lines)) == NULL) {
		*err = REPLY_ERR_TOO_MANY_LINES;
		*used = off;
		return RP_ERROR;
	}
	out->code = code;
	for (size_t i = 0, o = 0; i < nlines; i++) {
		size_t n, skip;

		next_line(buf, len, o, eof, &s);
		n = s.end - s.start;
		skip = n > 4 ? 4 : n;
		/* Server text becomes printable here: facts never carry raw control bytes. */
		if ((out->lines[i] = text_escape(buf + s.start + skip, n - skip)) == NULL) {
			smtp_reply_facts_free(out);
			*err = REPLY_ERR_TOO_MANY_LINES;
			*used = off;
			return RP_ERROR;
		}
		out->nlines++;
		o = s.next;
	}
	if (!smtp_esc_parse(out->lines[0], out->esc, sizeof out->esc) ||
	    out->esc[0] != buf[0])
		out->esc[0] = '\0';
	*used = off;
	return RP_DONE;
}

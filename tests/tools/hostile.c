/*
 * hostile: a test-only TCP proxy/server that misbehaves on purpose, for the
 * peer behaviour no real server shows on demand (silence, endless lines,
 * resets at every phase, tarpits, drips, bad bytes, TLS alerts).
 *
 *	hostile --listen 127.0.0.1:PORT [--upstream 127.0.0.1:PORT]
 *	    --mode MODE [--delay-ms N] [--flag FILE] [--pidfile FILE]
 *
 * One process; a child per connection. Both addresses must be on loopback.
 * Every child ends by itself after HARD_LIMIT_S at most, and dies with the
 * parent, so a test can never leave one hanging.
 *
 * To add a mode: write a start hook (runs once, before relaying) and/or
 * line hooks for either direction, and add a row to modes[]. A line hook
 * may pass a line on, change it (STARTTLS -> XXXXXXXA in upstream's EHLO
 * reply, a banner masked with '*'), or answer it itself (send_all to
 * s->cfd, e.g. 500 to the client's STARTTLS). Keep per-connection state in
 * struct session.
 *
 * The firewall modes (an SMTP-inspecting middlebox such as Cisco ASA
 * "inspect esmtp" / PIX "fixup smtp") use by_line() as both line hooks: it
 * gathers whole lines, follows the dialogue (which reply answers which
 * command, the message body, STARTTLS) and hands each whole line to the
 * mode's client_line / upstream_line. Those may pass it on (to_upstream,
 * to_client), change it first, drop it, or answer a command themselves
 * (answer(), which keeps replies in order with upstream's). Once STARTTLS
 * went through, or a line is too long to judge, everything is relayed raw.
 */
#define _GNU_SOURCE		/* ppoll, accept4 */

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define HARD_LIMIT_S	55		/* a child's whole life, at most */
#define MAX_CHILDREN	64
#define MAX_DELAY_MS	50000		/* must stay well under HARD_LIMIT_S */
#define HUGE_LEN	(1024 * 1024)
#define BUF_LEN		16384
#define HEAD_LEN	16		/* enough for "STARTTLS", "250 " ... */
#define KILL_WAIT_MS	2000
#define LINE_LEN	2048		/* longest line the firewall modes judge */
#define QUEUE_LEN	64		/* commands awaiting a reply */
#define LINGER_MS	2000		/* for the client to close after us */
#define MANY_EXT	10000		/* manyext: extensions in one reply */

/* One direction of a session, seen as lines. */
struct flow {
	int	 from;
	int	 to;
	char	 head[HEAD_LEN];	/* the start of the current line */
	size_t	 headlen;
	char	 line[LINE_LEN];	/* by_line: the line gathered so far */
	size_t	 linelen;
};

/*
 * TLS records going by in one direction (RFC 8446 5.1: a 5-byte header,
 * type, version, 16-bit length, then the body). Only counted, never read.
 */
struct records {
	unsigned char	 hdr[5];
	size_t		 hdrlen;
	size_t		 left;		/* body bytes of the current record */
	unsigned	 done;		/* complete records so far */
	unsigned	 appdata;	/* of those, type 23 (encrypted) */
};

struct session;

/*
 * A line hook gets the data of one direction cut at line ends: each call
 * gets a piece of at most one line, eol set if it ends the line. f->head
 * holds the start of the current line, this piece included. The hook sends
 * what it wants (send_all) and returns 0, or -1 to end the session.
 */
typedef int	(*line_hook)(struct session *, struct flow *, const char *,
		    size_t, int);

/* What a command is, for following the dialogue (by_line). */
enum cmd {
	CMD_NONE,		/* no command: the banner, or unsolicited */
	CMD_BANNER,
	CMD_EHLO,
	CMD_STARTTLS,
	CMD_DATA,
	CMD_BDAT,
	CMD_OTHER
};

/*
 * A whole-line hook (see by_line): line is one whole line, CRLF included,
 * that the hook may change in place. kind is the command a client line is,
 * or the command an upstream line answers. 0, or -1 to end the session.
 */
typedef int	(*whole_line)(struct session *, char *, size_t, enum cmd);

struct mode {
	const char	*name;
	int		 upstream;	/* needs --upstream */
	int		(*start)(struct session *);	/* -1: end now */
	line_hook	 from_client;	/* NULL: pass unchanged */
	line_hook	 from_upstream;
	whole_line	 client_line;	/* with by_line; NULL: pass on */
	whole_line	 upstream_line;
	const char	*help;
};

/* A command passed upstream (answer NULL) or answered by us. */
struct pending {
	enum cmd	 kind;
	const char	*answer;
};

struct session {
	const struct mode	*mode;
	int			 cfd;		/* client */
	int			 ufd;		/* upstream, or -1 */
	struct flow		 c2u;
	struct flow		 u2c;
	int			 ehlo_sent;
	int			 ehlo_seen;	/* badbytes: first EHLO line done */

	/* by_line: the dialogue so far */
	struct pending		 queue[QUEUE_LEN];	/* awaiting replies */
	size_t			 qhead;
	size_t			 qlen;
	int			 banner_done;
	int			 in_data;	/* client sends a message */
	int			 tls;		/* STARTTLS went through */
	int			 raw;		/* gave up following */
	char			 held[LINE_LEN];	/* strip-starttls */
	size_t			 heldlen;

	/* After STARTTLS: the TLS records each way, seen from outside. */
	struct records		 c_rec;
	struct records		 u_rec;
};

static int		 delay_ms = 5000;
static const char	*flag_file;	/* closed-while-flag: reset while it exists */
static const char	*pidfile;

static volatile sig_atomic_t	got_chld;
static volatile sig_atomic_t	got_quit;

static pid_t	children[MAX_CHILDREN];
static size_t	nchildren;

static void __attribute__((format(printf, 1, 2)))
logmsg(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "hostile[%ld]: ", (long)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int
send_all(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read and throw away until the peer closes (or the alarm fires). */
static void
discard(int fd)
{
	char	buf[BUF_LEN];
	ssize_t	n;

	for (;;) {
		n = read(fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
	}
}

/* Close with a TCP RST instead of a FIN. */
static void
reset_close(int fd)
{
	struct linger	l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	close(fd);
}

static int
head_is(const struct flow *f, const char *word)
{
	size_t	len = strlen(word);

	return f->headlen >= len && strncasecmp(f->head, word, len) == 0;
}

/* ---- modes ---- */

static int
start_silent(struct session *s)
{
	discard(s->cfd);
	return -1;
}

static int
start_hugeline(struct session *s)
{
	char	buf[BUF_LEN];
	size_t	sent;

	memset(buf, 'A', sizeof buf);
	for (sent = 0; sent < HUGE_LEN; sent += sizeof buf) {
		if (send_all(s->cfd, buf, sizeof buf) != 0)
			return -1;
	}
	discard(s->cfd);
	return -1;
}

/* Upstream is connected already: its banner waits in the kernel. */
static int
start_slowbanner(struct session *s)
{
	(void)s;
	poll(NULL, 0, delay_ms);
	return 0;
}

static int
note_ehlo(struct session *s, struct flow *f, const char *p, size_t n, int eol)
{
	if (eol && head_is(f, "EHLO"))
		s->ehlo_sent = 1;
	return send_all(f->to, p, n);
}

static int
reset_after_ehlo(struct session *s, struct flow *f, const char *p, size_t n,
    int eol)
{
	if (send_all(f->to, p, n) != 0)
		return -1;
	if (s->ehlo_sent && eol && head_is(f, "250 ")) {
		reset_close(s->cfd);
		s->cfd = -1;
		return -1;
	}
	return 0;
}

/* ---- firewall modes: whole lines, following the dialogue ---- */

/* Send what by_line gathered of an unfinished line, unchanged. */
static int
flush_line(struct flow *f)
{
	size_t	len = f->linelen;

	f->linelen = 0;
	return len == 0 ? 0 : send_all(f->to, f->line, len);
}

/* Close after our last words without a reset: send FIN, then read what
 * the client still sends until it closes, LINGER_MS at most. */
static void
linger_close(int fd)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };
	struct timespec	t0, t;
	char		buf[BUF_LEN];
	ssize_t		n;
	long		left;

	shutdown(fd, SHUT_WR);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = LINGER_MS - ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		n = read(fd, buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
	}
	close(fd);
}

/* Does the line start with this verb (and then a space or its end)? */
static int
verb_is(const char *line, size_t len, const char *verb)
{
	size_t	vlen = strlen(verb);

	return len > vlen && strncasecmp(line, verb, vlen) == 0 &&
	    memchr(" \t\r\n", line[vlen], 4) != NULL;
}

static enum cmd
command_kind(const char *line, size_t len)
{
	if (verb_is(line, len, "EHLO"))
		return CMD_EHLO;
	if (verb_is(line, len, "STARTTLS"))
		return CMD_STARTTLS;
	if (verb_is(line, len, "DATA"))
		return CMD_DATA;
	if (verb_is(line, len, "BDAT"))
		return CMD_BDAT;
	return CMD_OTHER;
}

/* "250-STARTTLS" or "250 STARTTLS", the line an EHLO reply offers it in */
static int
is_starttls_offer(const char *line, size_t len)
{
	return len >= 13 && strncmp(line, "250", 3) == 0 &&
	    (line[3] == '-' || line[3] == ' ') &&
	    strncasecmp(line + 4, "STARTTLS", 8) == 0 &&
	    ((len == 13 && line[12] == '\n') ||
	    (len == 14 && line[12] == '\r' && line[13] == '\n'));
}

/* Replace every character from position from on by ch, but CR and LF. */
static void
mask(char *line, size_t len, size_t from, char ch)
{
	size_t	i;

	for (i = from; i < len; i++) {
		if (line[i] != '\r' && line[i] != '\n')
			line[i] = ch;
	}
}

static int
push(struct session *s, enum cmd kind, const char *answer)
{
	if (s->qlen == QUEUE_LEN) {
		s->raw = 1;	/* a client that never reads: stop following */
		return -1;
	}
	s->queue[(s->qhead + s->qlen) % QUEUE_LEN].kind = kind;
	s->queue[(s->qhead + s->qlen) % QUEUE_LEN].answer = answer;
	s->qlen++;
	return 0;
}

static void
pop(struct session *s)
{
	s->qhead = (s->qhead + 1) % QUEUE_LEN;
	s->qlen--;
}

/* Pass a client's command line on; its reply is expected in turn. */
static int
to_upstream(struct session *s, const char *line, size_t len, enum cmd kind)
{
	(void)push(s, kind, NULL);
	if (kind == CMD_BDAT)
		s->raw = 1;	/* chunks are not lines: stop following */
	return send_all(s->ufd, line, len);
}

/*
 * Answer a client's command ourselves, in turn with upstream's replies:
 * after the banner and the replies to the commands before it.
 */
static int
answer(struct session *s, const char *reply)
{
	if ((s->banner_done && s->qlen == 0) ||
	    push(s, CMD_OTHER, reply) != 0)
		return send_all(s->cfd, reply, strlen(reply));
	return 0;
}

static int
client_said(struct session *s, char *line, size_t len)
{
	enum cmd	kind;

	if (s->in_data) {
		if ((len == 3 && memcmp(line, ".\r\n", 3) == 0) ||
		    (len == 2 && memcmp(line, ".\n", 2) == 0)) {
			s->in_data = 0;
			return to_upstream(s, line, len, CMD_OTHER);
		}
		return send_all(s->ufd, line, len);
	}
	kind = command_kind(line, len);
	if (kind == CMD_EHLO)
		s->ehlo_sent = 1;
	if (s->mode->client_line != NULL)
		return s->mode->client_line(s, line, len, kind);
	return to_upstream(s, line, len, kind);
}

static int
upstream_said(struct session *s, char *line, size_t len)
{
	enum cmd	kind;
	int		final, ready, go_ahead;

	final = len < 4 || line[3] != '-';
	ready = len >= 3 && strncmp(line, "220", 3) == 0;
	go_ahead = len >= 3 && strncmp(line, "354", 3) == 0;
	kind = !s->banner_done ? CMD_BANNER :
	    s->qlen > 0 ? s->queue[s->qhead].kind : CMD_NONE;

	if (s->mode->upstream_line != NULL) {
		if (s->mode->upstream_line(s, line, len, kind) != 0)
			return -1;
	} else if (send_all(s->cfd, line, len) != 0)
		return -1;
	if (!final)
		return 0;

	if (kind == CMD_BANNER)
		s->banner_done = 1;
	else if (kind != CMD_NONE) {
		pop(s);
		if (kind == CMD_STARTTLS && ready)
			s->tls = 1;
		else if (kind == CMD_DATA && go_ahead)
			s->in_data = 1;
	}
	/* Our own answers to the commands after that one are due now. */
	while (s->qlen > 0 && s->queue[s->qhead].answer != NULL) {
		if (send_all(s->cfd, s->queue[s->qhead].answer,
		    strlen(s->queue[s->qhead].answer)) != 0)
			return -1;
		pop(s);
	}
	return 0;
}

/*
 * The line hook of the firewall modes, both ways: gathers whole lines for
 * client_said / upstream_said. After STARTTLS, or a line too long to
 * judge, relays raw.
 */
static int
by_line(struct session *s, struct flow *f, const char *p, size_t n, int eol)
{
	size_t	len;

	if (f->linelen + n > LINE_LEN)
		s->raw = 1;
	if (s->tls || s->raw) {
		if (flush_line(f) != 0)
			return -1;
		return send_all(f->to, p, n);
	}
	memcpy(f->line + f->linelen, p, n);
	f->linelen += n;
	if (!eol)
		return 0;
	len = f->linelen;
	f->linelen = 0;
	if (f == &s->c2u)
		return client_said(s, f->line, len);
	return upstream_said(s, f->line, len);
}

/* mask-banner: "220 mail.test ESMTP" -> "220 ***************" */
static int
mask_banner(struct session *s, char *line, size_t len, enum cmd kind)
{
	if (kind == CMD_BANNER)
		mask(line, len, 4, '*');
	return send_all(s->cfd, line, len);
}

/* xxxxxxxa: ASA's default map, banner masked and STARTTLS too. */
static int
asa_reply(struct session *s, char *line, size_t len, enum cmd kind)
{
	if (kind == CMD_EHLO && is_starttls_offer(line, len))
		memcpy(line + 4, "XXXXXXXA", 8);
	return mask_banner(s, line, len, kind);
}

/* ... and the client's STARTTLS reaches the server as X's. */
static int
asa_command(struct session *s, char *line, size_t len, enum cmd kind)
{
	if (kind == CMD_STARTTLS) {
		mask(line, len, 0, 'X');
		kind = CMD_OTHER;
	}
	return to_upstream(s, line, len, kind);
}

/* starttls-500: offered, but the firewall refuses the command itself. */
static int
refuse_starttls(struct session *s, char *line, size_t len, enum cmd kind)
{
	if (kind == CMD_STARTTLS)
		return answer(s, "500 5.5.1 Command unrecognized\r\n");
	return to_upstream(s, line, len, kind);
}

/* ehlo-refused: an old fixup that lets only RFC 821 commands through. */
static int
refuse_ehlo(struct session *s, char *line, size_t len, enum cmd kind)
{
	if (kind == CMD_EHLO)
		return answer(s, "500 5.5.1 Command unrecognized\r\n");
	return to_upstream(s, line, len, kind);
}

/*
 * strip-starttls: the STARTTLS line goes from the EHLO reply. Each line of
 * it waits for the next, so that if STARTTLS was the last one, the line
 * before can become the last ("250 ").
 */
static int
strip_starttls(struct session *s, char *line, size_t len, enum cmd kind)
{
	size_t	heldlen = s->heldlen;
	int	final = len < 4 || line[3] != '-';

	if (kind != CMD_EHLO)
		return send_all(s->cfd, line, len);
	if (is_starttls_offer(line, len)) {
		if (!final)
			return 0;
		if (heldlen == 0)	/* nothing else to end the reply */
			return send_all(s->cfd, line, len);
		s->held[3] = ' ';
		s->heldlen = 0;
		return send_all(s->cfd, s->held, heldlen);
	}
	s->heldlen = 0;
	if (heldlen > 0 && send_all(s->cfd, s->held, heldlen) != 0)
		return -1;
	if (final)
		return send_all(s->cfd, line, len);
	memcpy(s->held, line, len);	/* len <= LINE_LEN: by_line's */
	s->heldlen = len;
	return 0;
}

/*
 * starttls-break: STARTTLS and its 220 pass, then the firewall relays no
 * more and answers the ClientHello in plain text.
 */
static int
break_client(struct session *s, struct flow *f, const char *p, size_t n,
    int eol)
{
	static const char	msg[] = "421 4.7.0 Inspection failure\r\n";

	if (!s->tls)
		return by_line(s, f, p, n, eol);
	(void)send_all(s->cfd, msg, sizeof msg - 1);
	linger_close(s->cfd);
	s->cfd = -1;
	return -1;
}

static int
break_upstream(struct session *s, struct flow *f, const char *p, size_t n,
    int eol)
{
	if (!s->tls)
		return by_line(s, f, p, n, eol);
	return 0;		/* relayed no more */
}

/* ---- misbehaving on our own, or around the TLS handshake ---- */

/* Take one byte of a TLS stream; true when it completes a record. */
static int
record_byte(struct records *r, unsigned char c)
{
	if (r->hdrlen < sizeof r->hdr) {
		r->hdr[r->hdrlen++] = c;
		if (r->hdrlen < sizeof r->hdr)
			return 0;
		r->left = (size_t)r->hdr[3] << 8 | r->hdr[4];
		if (r->left > 0)
			return 0;
	} else if (--r->left > 0)
		return 0;
	r->done++;
	if (r->hdr[0] == 23)
		r->appdata++;
	r->hdrlen = 0;
	return 1;
}

/* reset-at-connect: a TCP RST before any greeting. */
static int
start_reset(struct session *s)
{
	reset_close(s->cfd);
	s->cfd = -1;
	return -1;
}

/* closed-while-flag: a firewall that drops the port (a reset at once) while
 * --flag FILE exists, and relays once it is gone: "the firewall was fixed". */
static int
start_closed_while_flag(struct session *s)
{
	if (flag_file != NULL && access(flag_file, F_OK) == 0)
		return start_reset(s);
	return 0;
}

/* reset-after-banner: the banner passes; the client's EHLO meets a reset. */
static int
reset_on_client(struct session *s, struct flow *f, const char *p, size_t n,
    int eol)
{
	(void)f;
	(void)p;
	(void)n;
	(void)eol;
	reset_close(s->cfd);
	s->cfd = -1;
	return -1;
}

/* reset-after-220: STARTTLS's 220 passes; the ClientHello meets a reset. */
static int
reset_hello(struct session *s, struct flow *f, const char *p, size_t n,
    int eol)
{
	if (!s->tls)
		return by_line(s, f, p, n, eol);
	return reset_on_client(s, f, p, n, eol);
}

/* reset-mid-handshake: upstream's first TLS record (the ServerHello)
 * passes, then a reset instead of the rest of the handshake. */
static int
reset_mid_upstream(struct session *s, struct flow *f, const char *p, size_t n,
    int eol)
{
	size_t	i;

	if (!s->tls)
		return by_line(s, f, p, n, eol);
	for (i = 0; i < n; i++) {
		if (record_byte(&s->u_rec, (unsigned char)p[i])) {
			(void)send_all(s->cfd, p, i + 1);
			reset_close(s->cfd);
			s->cfd = -1;
			return -1;
		}
	}
	return send_all(s->cfd, p, n);
}

/*
 * reset-after-ehlo-tls: the handshake completes; the client's second
 * encrypted record is its EHLO (TLS 1.3: its Finished is the first), and a
 * reset answers it.
 */
static int
reset_ehlo_tls(struct session *s, struct flow *f, const char *p, size_t n,
    int eol)
{
	size_t	i;

	if (!s->tls)
		return by_line(s, f, p, n, eol);
	for (i = 0; i < n; i++) {
		if (record_byte(&s->c_rec, (unsigned char)p[i]) &&
		    s->c_rec.appdata == 2) {
			reset_close(s->cfd);
			s->cfd = -1;
			return -1;
		}
	}
	return send_all(s->ufd, p, n);
}

/* tls-alert: a fatal handshake_failure alert answers the ClientHello. */
static int
alert_client(struct session *s, struct flow *f, const char *p, size_t n,
    int eol)
{
	static const unsigned char	alert[] = { 21, 3, 3, 0, 2, 2, 40 };

	if (!s->tls)
		return by_line(s, f, p, n, eol);
	(void)send_all(s->cfd, alert, sizeof alert);
	linger_close(s->cfd);
	s->cfd = -1;
	return -1;
}

/* drip: upstream's replies reach the client one byte at a time,
 * --delay-ms apart; the TLS handshake then goes at full speed. */
static int
drip_line(struct session *s, char *line, size_t len, enum cmd kind)
{
	size_t	i;

	(void)kind;
	for (i = 0; i < len; i++) {
		if (send_all(s->cfd, line + i, 1) != 0)
			return -1;
		poll(NULL, 0, delay_ms);
	}
	return 0;
}

/* nul: a NUL byte in the middle of the banner. */
static int
nul_banner(struct session *s, char *line, size_t len, enum cmd kind)
{
	static const char	banner[] = "220 mail.test\0ESMTP\r\n";

	if (kind == CMD_BANNER)
		return send_all(s->cfd, banner, sizeof banner - 1);
	return send_all(s->cfd, line, len);
}

/* badbytes: the banner and the EHLO reply's first line carry invalid
 * UTF-8, a terminal escape sequence and a right-to-left override. */
static int
bad_bytes(struct session *s, char *line, size_t len, enum cmd kind)
{
	static const char	banner[] = "220 mail.test ESMTP \xff\xfe\xc3\x28 "
	    "\x1b[2J\x1b]0;owned\x07 \xe2\x80\xae\x63\x6f\x6d\r\n";
	static const char	ehlo[] = "250-mail.test \xc0\xaf\x80 \x1b[31m\r\n";

	if (kind == CMD_BANNER)
		return send_all(s->cfd, banner, sizeof banner - 1);
	if (kind == CMD_EHLO && len > 4 && strncmp(line, "250-", 4) == 0 &&
	    !s->ehlo_seen) {
		s->ehlo_seen = 1;
		return send_all(s->cfd, ehlo, sizeof ehlo - 1);
	}
	return send_all(s->cfd, line, len);
}

/* Read from the client until a whole line came (or it closed). */
static int
read_line(int fd)
{
	char	c;
	ssize_t	n;

	for (;;) {
		n = read(fd, &c, 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		if (c == '\n')
			return 0;
	}
}

/* endless: a greeting, then "250-" lines for ever in answer to EHLO. */
static int
start_endless(struct session *s)
{
	static const char	banner[] = "220 endless.test ESMTP\r\n";
	char			buf[BUF_LEN];
	size_t			len = 0;
	unsigned long		i = 0;

	if (send_all(s->cfd, banner, sizeof banner - 1) != 0 ||
	    read_line(s->cfd) != 0)
		return -1;
	for (;;) {
		while (len + 64 < sizeof buf)
			len += (size_t)snprintf(buf + len, sizeof buf - len,
			    "250-X-ENDLESS-%lu\r\n", i++);
		if (send_all(s->cfd, buf, len) != 0)
			return -1;	/* the client gave up: good */
		len = 0;
	}
}

/* manyext: 10,000 extensions in one EHLO reply, then a proper end. */
static int
start_manyext(struct session *s)
{
	static const char	banner[] = "220 manyext.test ESMTP\r\n";
	static const char	last[] = "250 SMTPUTF8\r\n";
	char			buf[BUF_LEN];
	size_t			len;
	int			i;

	if (send_all(s->cfd, banner, sizeof banner - 1) != 0 ||
	    read_line(s->cfd) != 0)
		return -1;
	len = (size_t)snprintf(buf, sizeof buf, "250-manyext.test\r\n");
	for (i = 1; i <= MANY_EXT; i++) {
		len += (size_t)snprintf(buf + len, sizeof buf - len,
		    "250-X-EXT-%05d\r\n", i);
		if (len + 64 >= sizeof buf) {
			if (send_all(s->cfd, buf, len) != 0)
				return -1;
			len = 0;
		}
	}
	memcpy(buf + len, last, sizeof last - 1);
	if (send_all(s->cfd, buf, len + sizeof last - 1) != 0)
		return -1;
	linger_close(s->cfd);
	s->cfd = -1;
	return -1;
}

static const struct mode modes[] = {
	{ .name = "relay", .upstream = 1,
	    .help = "plain byte relay both ways" },
	{ .name = "silent", .start = start_silent,
	    .help = "accept and never send anything" },
	{ .name = "hugeline", .start = start_hugeline,
	    .help = "send 1 MiB without CRLF, then stay open" },
	{ .name = "reset-after-ehlo", .upstream = 1,
	    .from_client = note_ehlo, .from_upstream = reset_after_ehlo,
	    .help = "relay; TCP RST to the client after the EHLO reply" },
	{ .name = "slowbanner", .upstream = 1, .start = start_slowbanner,
	    .help = "hold upstream's data for --delay-ms, then relay" },
	/* An SMTP-inspecting firewall (ASA "inspect esmtp", PIX fixup). */
	{ .name = "mask-banner", .upstream = 1,
	    .from_client = by_line, .from_upstream = by_line,
	    .upstream_line = mask_banner,
	    .help = "firewall: banner text masked with '*'" },
	{ .name = "xxxxxxxa", .upstream = 1,
	    .from_client = by_line, .from_upstream = by_line,
	    .client_line = asa_command, .upstream_line = asa_reply,
	    .help = "firewall, ASA default: banner masked, STARTTLS -> "
		"XXXXXXXA, the command to X's" },
	{ .name = "starttls-500", .upstream = 1,
	    .from_client = by_line, .from_upstream = by_line,
	    .client_line = refuse_starttls,
	    .help = "firewall: STARTTLS offered, answered 500 5.5.1" },
	{ .name = "starttls-break", .upstream = 1,
	    .from_client = break_client, .from_upstream = break_upstream,
	    .help = "firewall: after STARTTLS's 220, 421 in plain text to "
		"the ClientHello" },
	{ .name = "ehlo-refused", .upstream = 1,
	    .from_client = by_line, .from_upstream = by_line,
	    .client_line = refuse_ehlo,
	    .help = "firewall: EHLO answered 500 5.5.1, HELO relayed" },
	{ .name = "strip-starttls", .upstream = 1,
	    .from_client = by_line, .from_upstream = by_line,
	    .upstream_line = strip_starttls,
	    .help = "firewall: STARTTLS removed from the EHLO reply" },
	/* Hostile peers: resets at each phase, bad bytes, endless replies. */
	{ .name = "reset-at-connect", .start = start_reset,
	    .help = "TCP RST at once, before any greeting" },
	{ .name = "closed-while-flag", .upstream = 1, .start = start_closed_while_flag,
	    .help = "TCP RST at once while --flag FILE exists, else relay" },
	{ .name = "reset-after-banner", .upstream = 1,
	    .from_client = reset_on_client,
	    .help = "relay the banner; TCP RST when the client speaks" },
	{ .name = "reset-after-220", .upstream = 1,
	    .from_client = reset_hello, .from_upstream = by_line,
	    .help = "relay up to STARTTLS's 220; TCP RST on the ClientHello" },
	{ .name = "reset-mid-handshake", .upstream = 1,
	    .from_client = by_line, .from_upstream = reset_mid_upstream,
	    .help = "relay the ServerHello only, then TCP RST" },
	{ .name = "reset-after-ehlo-tls", .upstream = 1,
	    .from_client = reset_ehlo_tls, .from_upstream = by_line,
	    .help = "relay the TLS handshake; TCP RST on EHLO over TLS "
		"(TLS 1.3)" },
	{ .name = "tls-alert", .upstream = 1,
	    .from_client = alert_client, .from_upstream = break_upstream,
	    .help = "a fatal handshake_failure alert answers the ClientHello" },
	{ .name = "drip", .upstream = 1,
	    .from_client = by_line, .from_upstream = by_line,
	    .upstream_line = drip_line,
	    .help = "relay replies one byte per --delay-ms until STARTTLS" },
	{ .name = "nul", .upstream = 1,
	    .from_client = by_line, .from_upstream = by_line,
	    .upstream_line = nul_banner,
	    .help = "a NUL byte in the banner" },
	{ .name = "badbytes", .upstream = 1,
	    .from_client = by_line, .from_upstream = by_line,
	    .upstream_line = bad_bytes,
	    .help = "invalid UTF-8 and terminal escapes in the banner and "
		"EHLO reply" },
	{ .name = "endless", .start = start_endless,
	    .help = "answer EHLO with 250- lines for ever" },
	{ .name = "manyext", .start = start_manyext,
	    .help = "answer EHLO with 10,000 extensions" },
};

static const struct mode *
find_mode(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		if (strcmp(modes[i].name, name) == 0)
			return &modes[i];
	}
	return NULL;
}

/* ---- relaying ---- */

/* Cut what was read into pieces of at most one line and hand them on. */
static int
feed(struct session *s, struct flow *f, line_hook hook, const char *buf,
    size_t len)
{
	const char	*nl;
	size_t		 n, take;
	int		 eol;

	while (len > 0) {
		nl = memchr(buf, '\n', len);
		eol = nl != NULL;
		n = eol ? (size_t)(nl - buf) + 1 : len;

		take = n;
		if (take > HEAD_LEN - f->headlen)
			take = HEAD_LEN - f->headlen;
		memcpy(f->head + f->headlen, buf, take);
		f->headlen += take;

		if (hook != NULL) {
			if (hook(s, f, buf, n, eol) != 0)
				return -1;
		} else if (send_all(f->to, buf, n) != 0)
			return -1;
		if (eol)
			f->headlen = 0;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * Relay until upstream closes or anything fails. When the client closes
 * (or only shuts down its sending side, as "printf ... | socat" does), pass
 * that on and still relay upstream's last replies to it.
 */
static void
relay(struct session *s)
{
	struct pollfd	 pfd[2];
	struct flow	*f;
	line_hook	 hook;
	char		 buf[BUF_LEN];
	ssize_t		 n;
	int		 i, client_eof = 0;

	for (;;) {
		pfd[0].fd = client_eof ? -1 : s->cfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = s->ufd;
		pfd[1].events = POLLIN;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			return;
		}
		for (i = 0; i < 2; i++) {
			if (pfd[i].revents == 0)
				continue;
			f = i == 0 ? &s->c2u : &s->u2c;
			hook = i == 0 ? s->mode->from_client :
			    s->mode->from_upstream;
			n = read(f->from, buf, sizeof buf);
			if (n == -1 && errno == EINTR)
				continue;
			if (n == 0 && i == 0) {
				client_eof = 1;
				if (flush_line(f) != 0)
					return;
				shutdown(s->ufd, SHUT_WR);
				continue;
			}
			if (n == 0 && s->cfd != -1)
				(void)flush_line(f);
			if (n <= 0)
				return;
			if (feed(s, f, hook, buf, (size_t)n) != 0)
				return;
		}
	}
}

static int
connect_upstream(const struct sockaddr_in *up)
{
	int	fd;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)up, sizeof *up) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void __attribute__((noreturn))
serve(const struct mode *mode, int cfd, const struct sockaddr_in *up)
{
	struct session	s;
	int		one = 1;

	memset(&s, 0, sizeof s);
	s.mode = mode;
	s.cfd = cfd;
	s.ufd = -1;
	/* Replies must leave at once, whole, before any reset. */
	setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

	if (mode->upstream && (s.ufd = connect_upstream(up)) == -1) {
		logmsg("connect upstream: %s", strerror(errno));
		_exit(1);
	}
	s.c2u.from = s.cfd;
	s.c2u.to = s.ufd;
	s.u2c.from = s.ufd;
	s.u2c.to = s.cfd;

	if ((mode->start == NULL || mode->start(&s) == 0) && s.ufd != -1)
		relay(&s);
	if (s.cfd != -1)
		close(s.cfd);
	if (s.ufd != -1)
		close(s.ufd);
	_exit(0);
}

/* ---- the parent ---- */

static void
on_signal(int sig)
{
	if (sig == SIGCHLD)
		got_chld = 1;
	else
		got_quit = 1;
}

static void
reap(void)
{
	pid_t	pid;
	size_t	i;

	while ((pid = waitpid(-1, NULL, WNOHANG)) > 0) {
		for (i = 0; i < nchildren; i++) {
			if (children[i] == pid) {
				children[i] = children[--nchildren];
				break;
			}
		}
	}
}

/* TERM the children, give them KILL_WAIT_MS, then KILL the rest. */
static void
kill_children(void)
{
	size_t	i;
	int	waited;

	for (i = 0; i < nchildren; i++)
		kill(children[i], SIGTERM);
	for (waited = 0; nchildren > 0 && waited < KILL_WAIT_MS; waited += 20) {
		poll(NULL, 0, 20);
		reap();
	}
	for (i = 0; i < nchildren; i++)
		kill(children[i], SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
	nchildren = 0;
}

/* Only 127.0.0.0/8: this tool must never talk to anything else. */
static int
parse_loopback(const char *arg, struct sockaddr_in *sin)
{
	char		 host[INET_ADDRSTRLEN];
	const char	*colon;
	char		*end;
	long		 port;
	size_t		 len;

	if ((colon = strrchr(arg, ':')) == NULL)
		return -1;
	len = (size_t)(colon - arg);
	if (len == 0 || len >= sizeof host)
		return -1;
	memcpy(host, arg, len);
	host[len] = '\0';

	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
		return -1;
	if ((ntohl(sin->sin_addr.s_addr) >> 24) != 127)
		return -1;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || end == colon + 1 || port < 1 ||
	    port > 65535)
		return -1;
	sin->sin_port = htons((unsigned short)port);
	return 0;
}

/* Written whole then renamed, so a reader never sees it half-written. */
static int
write_pidfile(const char *path)
{
	char	tmp[PATH_MAX];
	FILE	*fp;
	int	n, ok;

	n = snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (n < 0 || (size_t)n >= sizeof tmp)
		return -1;
	if ((fp = fopen(tmp, "w")) == NULL)
		return -1;
	ok = fprintf(fp, "%ld\n", (long)getpid()) > 0;
	if (fclose(fp) != 0)
		ok = 0;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void __attribute__((noreturn))
usage(void)
{
	size_t	i;

	fprintf(stderr, "usage: hostile --listen 127.0.0.1:PORT "
	    "[--upstream 127.0.0.1:PORT] --mode MODE\n"
	    "\t[--delay-ms N] [--flag FILE] [--pidfile FILE]\nmodes:\n");
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
		fprintf(stderr, "  %-18s %s%s\n", modes[i].name,
		    modes[i].help, modes[i].upstream ? " (--upstream)" : "");
	exit(2);
}

static int
listen_on(const struct sockaddr_in *sin)
{
	int	fd, one = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == -1 ||
	    bind(fd, (const struct sockaddr *)sin, sizeof *sin) == -1 ||
	    listen(fd, 64) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
set_handlers(void (*handler)(int))
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = handler;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void
spawn(const struct mode *mode, int lfd, int cfd, const struct sockaddr_in *up,
    const sigset_t *oldmask)
{
	pid_t	pid, parent = getpid();

	if (nchildren >= MAX_CHILDREN) {
		logmsg("too many connections, dropping one");
		close(cfd);
		return;
	}
	if ((pid = fork()) == -1) {
		logmsg("fork: %s", strerror(errno));
		close(cfd);
		return;
	}
	if (pid > 0) {
		children[nchildren++] = pid;
		close(cfd);
		return;
	}

	/* The child: default signals, and a hard end whatever happens. */
	close(lfd);
	set_handlers(SIG_DFL);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
		_exit(1);
	alarm(HARD_LIMIT_S);
	serve(mode, cfd, up);
}

int
main(int argc, char *argv[])
{
	static const struct option	 longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "upstream", required_argument, NULL, 'u' },
		{ "mode", required_argument, NULL, 'm' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "flag", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct sockaddr_in		 lsin, usin = { 0 };
	const struct mode		*mode = NULL;
	const char			*listen_arg = NULL, *up_arg = NULL;
	sigset_t			 block, oldmask;
	struct pollfd			 pfd;
	char				*end;
	long				 v;
	int				 ch, lfd, cfd;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			listen_arg = optarg;
			break;
		case 'u':
			up_arg = optarg;
			break;
		case 'm':
			if ((mode = find_mode(optarg)) == NULL) {
				logmsg("unknown mode: %s", optarg);
				usage();
			}
			break;
		case 'd':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    v < 0 || v > MAX_DELAY_MS) {
				logmsg("--delay-ms: 0 to %d", MAX_DELAY_MS);
				usage();
			}
			delay_ms = (int)v;
			break;
		case 'p':
			pidfile = optarg;
			break;
		case 'f':
			flag_file = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || listen_arg == NULL || mode == NULL)
		usage();
	if (parse_loopback(listen_arg, &lsin) != 0) {
		logmsg("--listen must be 127.x.x.x:PORT: %s", listen_arg);
		return 2;
	}
	if (mode->upstream && up_arg == NULL) {
		logmsg("mode %s needs --upstream", mode->name);
		return 2;
	}
	if (up_arg != NULL && parse_loopback(up_arg, &usin) != 0) {
		logmsg("--upstream must be 127.x.x.x:PORT: %s", up_arg);
		return 2;
	}

	/* Signals arrive only inside ppoll(): no race with the flags. */
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &oldmask);
	set_handlers(on_signal);
	signal(SIGPIPE, SIG_IGN);

	if ((lfd = listen_on(&lsin)) == -1) {
		logmsg("listen on %s: %s", listen_arg, strerror(errno));
		return 1;
	}
	if (pidfile != NULL && write_pidfile(pidfile) != 0) {
		logmsg("pidfile %s: %s", pidfile, strerror(errno));
		return 1;
	}
	logmsg("%s on %s%s%s", mode->name, listen_arg,
	    up_arg != NULL ? " -> " : "", up_arg != NULL ? up_arg : "");

	pfd.fd = lfd;
	pfd.events = POLLIN;
	while (!got_quit) {
		if (got_chld) {
			got_chld = 0;
			reap();
		}
		if (ppoll(&pfd, 1, NULL, &oldmask) == -1) {
			if (errno != EINTR) {
				logmsg("ppoll: %s", strerror(errno));
				break;
			}
			continue;
		}
		cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (cfd == -1)
			continue;	/* ECONNABORTED and friends */
		spawn(mode, lfd, cfd, &usin, &oldmask);
	}

	close(lfd);
	kill_children();
	if (pidfile != NULL)
		unlink(pidfile);
	logmsg("exiting");
	return 0;
}

/*
 * The SMTP probe's state machine. One send step and one reply handler per
 * state; every state has a deadline; bytes from the server go through the
 * bounded reply parser and into the transcript before anything else looks
 * at them.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "engine.h"
#include "greeting.h"
#include "ledger.h"
#include "resolve.h"
#include "smtp.h"
#include "smtp_reply.h"
#include "tls.h"

#define DEFAULT_PHASE_TIMEOUT_MS 15000
#define DEFAULT_MAX_CONNECTIONS 3
/* A probe waits for a free slot at most this many times its own whole deadline. */
#define WAIT_LIMIT_ROUNDS 10
#define RBUF_CAP (64 * 1024)
#define MAX_ADDRS 16
#define SHOW_MAX 300		/* longest line shown whole in the transcript */

enum state {
	S_RESOLVE,
	S_WAIT,		/* for a free slot to the address in the run's ledger */
	S_CONNECT,
	S_BANNER,
	S_EHLO,
	S_HELO,
	S_STARTTLS,
	S_HANDSHAKE,
	S_EHLO_TLS,
	S_MAIL,		/* the opt-in envelope probe: MAIL FROM, RCPT TO, RSET */
	S_RCPT,
	S_RSET,
	S_QUIT,
	S_DONE,
};

struct smtp_probe {
	struct engine *e;
	smtp_done_fn done;
	void *arg;

	char *ehlo_name, *tls_name, *ca_file;
	char *env_from, *env_to;	/* the envelope probe, when asked for */
	const struct onpremcert *client;	/* the caller's; outlives the probe */
	int phase_timeout, max_conn;
	int64_t overall_deadline;	/* no probe outlives this, however a server trickles */

	struct smtp_facts f;
	int64_t t0;		/* monotonic start */
	enum state st;
	int64_t phase_start;
	struct engine_timer deadline;
	struct engine_timer kick;	/* runs finish() from the loop */

	struct resolve_req *rr;
	struct resolved_addr addrs[MAX_ADDRS];
	size_t naddrs, next_addr;
	int connected_idx;

	/* The run's connection ledger (NULL: this probe's own budget only). */
	struct ledger *ledger;
	struct ledger_waiter lw;
	size_t wait_idx;	/* the address waited for */
	int64_t wait_start;
	int64_t waited_ms;	/* time spent queued for slots: not the server's, so not on its clock */
	bool held;		/* a ledger slot is held for the open connection */
	char held_addr[64];

	int fd;
	struct tls_conn *tls;
	bool legacy;		/* this connection retries with TLS 1.0/1.1 */
	bool legacy_done;
	char tls_err[256];

	char rbuf[RBUF_CAP];
	size_t rlen;
	bool eof;
	char wbuf[600];
	size_t wlen, woff;
	bool want_write;	/* TLS wants to write before it can read */
	bool write_wants_read;	/* TLS wants to read before it can write */
};

static void on_io(void *arg, int fd, short revents);
static void send_cmd(struct smtp_probe *p, const char *verb, const char *arg);
static void finish(struct smtp_probe *p, enum smtp_end end, const char *detail);

static int64_t since(const struct smtp_probe *p)
{
	return clock_now_ms() - p->t0;
}

static void note(struct smtp_probe *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void note(struct smtp_probe *p, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	transcript_add(&p->f.tr, since(p), TDIR_NOTE, p->tls != NULL, buf,
	    (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static enum smtp_phase state_phase(enum state st)
{
	switch (st) {
	case S_RESOLVE: return PHASE_RESOLVE;
	case S_WAIT: case S_CONNECT: return PHASE_CONNECT;
	case S_BANNER: return PHASE_BANNER;
	case S_EHLO: case S_HELO: return PHASE_EHLO;
	case S_STARTTLS: return PHASE_STARTTLS;
	case S_HANDSHAKE: return PHASE_HANDSHAKE;
	case S_EHLO_TLS: return PHASE_EHLO_TLS;
	case S_MAIL: case S_RCPT: case S_RSET: return PHASE_ENVELOPE;
	case S_QUIT: case S_DONE: return PHASE_QUIT;
	}
	return PHASE_QUIT;
}

static void on_deadline(void *arg);

/* Enter a state: close the previous phase's clock and arm the new deadline. */
static void enter(struct smtp_probe *p, enum state st)
{
	int64_t now = clock_now_ms();

	if (!p->legacy && p->st != st && p->st != S_DONE) {
		enum smtp_phase old = state_phase(p->st);

		if (old != state_phase(st) || p->f.phase_ms[old] < 0)
			p->f.phase_ms[old] = now - p->phase_start;
	}
	p->st = st;
	p->phase_start = now;
	engine_timer_set(p->e, &p->deadline, now + p->phase_timeout < p->overall_deadline ?
	    now + p->phase_timeout : p->overall_deadline, on_deadline, p);
}

static void close_conn(struct smtp_probe *p)
{
	if (p->fd >= 0) {
		engine_unwatch(p->e, p->fd);
		close(p->fd);
		p->fd = -1;
	}
	if (p->held) {
		ledger_release(p->ledger, p->held_addr, p->f.port);
		p->held = false;
	}
	tls_conn_free(p->tls);
	p->tls = NULL;
	p->rlen = 0;
	p->wlen = p->woff = 0;
	p->eof = false;
	p->want_write = false;
}

static void on_kick(void *arg)
{
	struct smtp_probe *p = arg;

	p->done(p->arg, p);
}

static void finish(struct smtp_probe *p, enum smtp_end end, const char *detail)
{
	if (p->st == S_DONE)
		return;
	/* The retry's own phases are not the target's timings. */
	if (!p->legacy && !p->legacy_done && p->st != S_QUIT)
		p->f.phase_ms[state_phase(p->st)] = clock_now_ms() - p->phase_start;
	else if (p->st == S_QUIT)
		p->f.phase_ms[PHASE_QUIT] = clock_now_ms() - p->phase_start;
	close_conn(p);
	engine_timer_clear(p->e, &p->deadline);
	if (p->f.end == END_NONE || end != END_OK) {
		if (p->f.end == END_NONE || p->f.end == END_OK) {
			p->f.end = end;
			p->f.end_phase = state_phase(p->st);
			free(p->f.end_detail);
			p->f.end_detail = detail ? strdup(detail) : NULL;
		}
	}
	p->f.total_ms = since(p);
	p->st = S_DONE;
	note(p, "end: %s", smtp_end_name(p->f.end));
	/* Report from the loop, never from inside the caller's own call. */
	engine_timer_set(p->e, &p->kick, 1, on_kick, p);
}

/* ---- connecting ---- */

static void addr_string(const struct resolved_addr *a, char *buf, size_t len)
{
	if (getnameinfo((const struct sockaddr *)&a->ss, a->len, buf, (socklen_t)len, NULL, 0,
	    NI_NUMERICHOST) != 0)
		snprintf(buf, len, "?");
}

static void try_next_address(struct smtp_probe *p);

static struct connect_attempt *current_attempt(struct smtp_probe *p)
{
	return p->f.nattempts ? &p->f.attempts[p->f.nattempts - 1] : NULL;
}

static void connect_failed(struct smtp_probe *p, enum connect_result r, int err)
{
	struct connect_attempt *a = current_attempt(p);

	a->result = r;
	a->err = err;
	a->ms = clock_now_ms() - p->phase_start;
	note(p, "%s: %s%s%s", a->addr, connect_result_name(r), err ? " - " : "",
	    err ? strerror(err) : "");
	close_conn(p);
	try_next_address(p);
}

static enum connect_result classify_errno(int err)
{
	switch (err) {
	case ECONNREFUSED: return CONN_REFUSED;
	case ETIMEDOUT: return CONN_TIMEOUT;
	case ENETUNREACH: case EHOSTUNREACH: case EADDRNOTAVAIL: case EAFNOSUPPORT:
		return CONN_UNREACHABLE;
	default: return CONN_ERROR;
	}
}

static void connected(struct smtp_probe *p)
{
	struct connect_attempt *a = current_attempt(p);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char local[64] = "?";

	a->result = CONN_OK;
	a->ms = clock_now_ms() - p->phase_start;
	if (getsockname(p->fd, (struct sockaddr *)&ss, &sl) == 0)
		getnameinfo((struct sockaddr *)&ss, sl, local, sizeof local, NULL, 0, NI_NUMERICHOST);
	if (!p->legacy) {
		snprintf(p->f.connected_addr, sizeof p->f.connected_addr, "%s", a->addr);
		snprintf(p->f.local_addr, sizeof p->f.local_addr, "%s", local);
	}
	note(p, "connected to %s port %u from %s", a->addr, p->f.port, local);
	if (p->ehlo_name[0] == '\0' || p->ehlo_name[0] == '[') {
		/* No FQDN here: greet with our address literal (RFC 5321 4.1.3). */
		free(p->ehlo_name);
		if ((strchr(local, ':') ? asprintf(&p->ehlo_name, "[IPv6:%s]", local) :
		    asprintf(&p->ehlo_name, "[%s]", local)) < 0)
			p->ehlo_name = strdup("localhost");
		free(p->f.ehlo_name);
		p->f.ehlo_name = strdup(p->ehlo_name);
	}
	engine_watch(p->e, p->fd, POLLIN, on_io, p);
	enter(p, S_BANNER);
}

static void grow_attempts(struct smtp_probe *p, const char *addr, int family)
{
	struct connect_attempt *v = realloc(p->f.attempts, (p->f.nattempts + 1) * sizeof *v);

	if (v == NULL)
		return;
	p->f.attempts = v;
	memset(&v[p->f.nattempts], 0, sizeof *v);
	snprintf(v[p->f.nattempts].addr, sizeof v->addr, "%s", addr);
	v[p->f.nattempts].family = family;
	p->f.nattempts++;
}

/* Open a non-blocking connection to addrs[idx]; false if it failed at once. */
static bool start_connect(struct smtp_probe *p, size_t idx)
{
	const struct resolved_addr *a = &p->addrs[idx];
	char addr[64];
	int fd;

	addr_string(a, addr, sizeof addr);
	grow_attempts(p, addr, a->ss.ss_family);	/* a retry is an attempt too */
	p->f.connections++;
	enter(p, S_CONNECT);
	note(p, "connecting to %s port %u%s", addr, p->f.port,
	    p->legacy ? " (retry allowing TLS 1.0/1.1)" : "");
	fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		connect_failed(p, classify_errno(errno), errno);
		return false;
	}
	p->fd = fd;
	/* Each command is one small write that waits for its reply: Nagle would
	 * hold the EHLO after TLS behind the ACK of the client's Finished. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){ 1 }, sizeof(int));
	if (connect(fd, (const struct sockaddr *)&a->ss, a->len) == 0) {
		p->connected_idx = (int)idx;
		connected(p);
		return true;
	}
	if (errno != EINPROGRESS) {
		connect_failed(p, classify_errno(errno), errno);
		return false;
	}
	p->connected_idx = (int)idx;
	engine_watch(p->e, fd, POLLOUT, on_io, p);
	return true;
}

static void on_wake(void *arg, enum ledger_answer a);

/* An attempt that was never made, listed as skipped. */
static void skipped_attempt(struct smtp_probe *p, const char *addr, int family)
{
	size_t n = p->f.nattempts;

	grow_attempts(p, addr, family);
	if (p->f.nattempts > n)
		p->f.attempts[n].result = CONN_SKIPPED;
}

/* The run's ledger kept this probe from addr: say so where the admin looks. */
static void budget_spent(struct smtp_probe *p, const char *addr, int family, const char *what)
{
	char why[320];

	int used = ledger_used(p->ledger, addr, p->f.port);

	snprintf(why, sizeof why, "%s not tried: this run has already opened %d connection%s to %s "
	    "port %u, the most it opens to one server", what, used, used == 1 ? "" : "s", addr, p->f.port);
	note(p, "%s", why);
	if (p->f.budget_note == NULL)
		p->f.budget_note = strdup(why);
	skipped_attempt(p, addr, family);
}

/*
 * Ask the run's ledger for a connection to addrs[idx]. GO: the slot is held
 * until close_conn(). WAIT: the probe sleeps in S_WAIT until on_wake() or its
 * overall deadline. SPENT: the caller records the skip.
 */
static enum ledger_answer ask_ledger(struct smtp_probe *p, size_t idx)
{
	char addr[64];
	enum ledger_answer a;

	if (p->ledger == NULL)
		return LEDGER_GO;
	addr_string(&p->addrs[idx], addr, sizeof addr);
	a = ledger_take(p->ledger, addr, p->f.port, &p->lw, on_wake, p);
	if (a == LEDGER_GO) {
		p->held = true;
		snprintf(p->held_addr, sizeof p->held_addr, "%s", addr);
	} else if (a == LEDGER_WAIT) {
		p->wait_idx = idx;
		p->wait_start = clock_now_ms();
		note(p, "waiting for a free slot: %d connections to %s port %u are open in this run",
		    ledger_open(p->ledger, addr, p->f.port), addr, p->f.port);
		enter(p, S_WAIT);
		/* A turn may take long in a big batch. The wait does not count against the
		 * probe's own deadlines (they restart at the turn); its own limit is
		 * WAIT_LIMIT_ROUNDS whole probes' time. */
		engine_timer_set(p->e, &p->deadline, p->wait_start + WAIT_LIMIT_ROUNDS *
		    (p->overall_deadline - p->t0 - p->waited_ms), on_deadline, p);
	}
	return a;
}

static void try_next_address(struct smtp_probe *p)
{
	if (p->legacy) {
		/* The retry goes to the address that answered; if it fails, so be it. */
		p->legacy = false;
		p->legacy_done = true;
		finish(p, END_TLS_FAILED, p->tls_err);
		return;
	}
	while (p->next_addr < p->naddrs) {
		size_t idx;

		if (p->f.connections >= p->max_conn) {
			/* Record what was left untried: the budget protects the target. */
			for (; p->next_addr < p->naddrs; p->next_addr++) {
				char addr[64];

				addr_string(&p->addrs[p->next_addr], addr, sizeof addr);
				grow_attempts(p, addr, p->addrs[p->next_addr].ss.ss_family);
				p->f.attempts[p->f.nattempts - 1].result = CONN_SKIPPED;
			}
			break;
		}
		idx = p->next_addr++;
		switch (ask_ledger(p, idx)) {
		case LEDGER_WAIT:
			return;
		case LEDGER_SPENT: {
			char addr[64];

			addr_string(&p->addrs[idx], addr, sizeof addr);
			budget_spent(p, addr, p->addrs[idx].ss.ss_family, "connection");
			continue;
		}
		case LEDGER_GO:
			break;
		}
		/* A failure goes on to the next address from connect_failed(). */
		start_connect(p, idx);
		return;
	}
	if (p->st == S_DONE)
		return;
	if (p->f.connections == 0 && p->f.budget_note != NULL)
		finish(p, END_CONNECT_FAILED, p->f.budget_note);
	else
		finish(p, END_CONNECT_FAILED, "no address of the host accepted a connection");
}

/* The ledger's answer after a wait, from the loop. */
static void on_wake(void *arg, enum ledger_answer a)
{
	struct smtp_probe *p = arg;
	size_t idx = p->wait_idx;
	int64_t waited;
	char addr[64];

	addr_string(&p->addrs[idx], addr, sizeof addr);
	if (p->st != S_WAIT) {
		/* Not waiting any more: a granted slot goes back at once. */
		if (a == LEDGER_GO)
			ledger_release(p->ledger, addr, p->f.port);
		return;
	}
	waited = clock_now_ms() - p->wait_start;
	p->waited_ms += waited;
	p->overall_deadline += waited;
	p->phase_start = clock_now_ms();
	note(p, "waited %lld ms for a free slot to %s", (long long)waited, addr);
	if (a == LEDGER_GO) {
		p->held = true;
		snprintf(p->held_addr, sizeof p->held_addr, "%s", addr);
		start_connect(p, idx);
		return;
	}
	if (p->legacy) {
		p->legacy = false;
		p->legacy_done = true;
		budget_spent(p, addr, p->addrs[idx].ss.ss_family, "the retry allowing TLS 1.0/1.1:");
		finish(p, END_TLS_FAILED, p->f.tls.error);
		return;
	}
	budget_spent(p, addr, p->addrs[idx].ss.ss_family, "connection");
	try_next_address(p);
}

static void on_resolved(void *arg, int status, const char *error,
    const struct resolved_addr *addrs, size_t n)
{
	struct smtp_probe *p = arg;

	p->rr = NULL;
	if (status != 0) {
		p->f.resolve_error = strdup(error ? error : "unknown error");
		note(p, "cannot resolve %s: %s", p->f.host, p->f.resolve_error);
		finish(p, END_RESOLVE_FAILED, error);
		return;
	}
	p->naddrs = n < MAX_ADDRS ? n : MAX_ADDRS;
	memcpy(p->addrs, addrs, p->naddrs * sizeof *addrs);
	if (p->naddrs > 1 || strcmp(p->f.host, p->f.connected_addr) != 0) {
		char list[512] = "", a[64];

		for (size_t i = 0; i < p->naddrs; i++) {
			addr_string(&p->addrs[i], a, sizeof a);
			if (strlen(list) + strlen(a) + 3 < sizeof list) {
				strcat(list, i ? ", " : "");
				strcat(list, a);
			}
		}
		note(p, "%s resolves to %s", p->f.host, list);
	}
	try_next_address(p);
}

/* ---- I/O ---- */

static void update_watch(struct smtp_probe *p)
{
	short ev = POLLIN;

	/* A write that waits for the peer must not spin on POLLOUT. */
	if ((p->wlen > p->woff && !p->write_wants_read) || p->want_write || p->st == S_CONNECT)
		ev |= POLLOUT;
	if (p->st == S_CONNECT)
		ev = POLLOUT;
	engine_watch(p->e, p->fd, ev, on_io, p);
}

/* Write what is queued; false when the connection failed (finish() was called). */
static bool flush(struct smtp_probe *p)
{
	while (p->woff < p->wlen) {
		size_t sent = 0;

		if (p->tls != NULL) {
			enum tls_io r = tls_conn_write(p->tls, p->wbuf + p->woff, p->wlen - p->woff, &sent);

			if (r == TLS_IO_WANT_READ || r == TLS_IO_WANT_WRITE) {
				p->want_write = r == TLS_IO_WANT_WRITE;
				p->write_wants_read = r == TLS_IO_WANT_READ;
				break;
			}
			p->write_wants_read = false;
			if (r != TLS_IO_DONE) {
				finish(p, r == TLS_IO_CLOSED ? END_CLOSED : END_RESET, r == TLS_IO_RESET ?
				    "the connection was reset by the server" :
				    "the connection failed while sending");
				return false;
			}
		} else {
			ssize_t n = send(p->fd, p->wbuf + p->woff, p->wlen - p->woff, MSG_NOSIGNAL);

			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
				break;
			if (n < 0) {
				finish(p, errno == ECONNRESET || errno == EPIPE ? END_RESET : END_CLOSED,
				    strerror(errno));
				return false;
			}
			sent = (size_t)n;
		}
		p->woff += sent;
	}
	if (p->woff == p->wlen)
		p->wlen = p->woff = 0;
	update_watch(p);
	return true;
}

/* Queue one whole command line: a middlebox that inspects SMTP mangles commands
 * that arrive in pieces, so each goes out in one write. */
static void send_cmd(struct smtp_probe *p, const char *verb, const char *arg)
{
	int n = snprintf(p->wbuf, sizeof p->wbuf - 2, "%s%s%s", verb, arg ? " " : "", arg ? arg : "");

	if (n < 0 || (size_t)n >= sizeof p->wbuf - 2)
		n = (int)sizeof p->wbuf - 3;
	transcript_add(&p->f.tr, since(p), TDIR_SENT, p->tls != NULL, p->wbuf, (size_t)n);
	memcpy(p->wbuf + n, "\r\n", 2);
	p->wlen = (size_t)n + 2;
	p->woff = 0;
	flush(p);
}

/* Put the raw lines of buf[0..len) in the transcript, long ones cut short. */
static void record_lines(struct smtp_probe *p, const char *buf, size_t len)
{
	size_t off = 0;

	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - buf) : len, n = end - off;

		if (n > 0 && buf[off + n - 1] == '\r')
			n--;
		if (n > SHOW_MAX) {
			char tmp[SHOW_MAX + 64];
			int k;

			/* The cut copy may hold NULs: escape() shows them. */
			memcpy(tmp, buf + off, SHOW_MAX);
			k = snprintf(tmp + SHOW_MAX, sizeof tmp - SHOW_MAX, "... (%zu bytes in all)", n);
			transcript_add(&p->f.tr, since(p), TDIR_RECV, p->tls != NULL, tmp,
			    SHOW_MAX + (k > 0 ? (size_t)k : 0));
		} else
			transcript_add(&p->f.tr, since(p), TDIR_RECV, p->tls != NULL, buf + off, n);
		off = nl ? end + 1 : len;
	}
}

static void handle_reply(struct smtp_probe *p, struct smtp_reply_facts *r);

/* Parse every complete reply in the buffer and act on each. */
static void drain_replies(struct smtp_probe *p)
{
	while (p->st != S_DONE && p->rlen > 0) {
		struct smtp_reply_facts r;
		enum reply_error err;
		size_t used;
		enum reply_parse rp = smtp_reply_parse(p->rbuf, p->rlen, p->eof, &r, &err, &used);

		if (rp == RP_NEED_MORE) {
			if (p->rlen == RBUF_CAP) {
				rp = RP_ERROR;
				err = REPLY_ERR_TOO_MANY_LINES;
				used = p->rlen;
			} else
				break;
		}
		if (rp == RP_ERROR) {
			record_lines(p, p->rbuf, used);
			p->f.reply_error = err;
			finish(p, END_PROTOCOL, reply_error_name(err));
			return;
		}
		r.ms = clock_now_ms() - p->phase_start;
		record_lines(p, p->rbuf, used);
		memmove(p->rbuf, p->rbuf + used, p->rlen - used);
		p->rlen -= used;
		handle_reply(p, &r);
		smtp_reply_facts_free(&r);
		/* After STARTTLS, bytes the server sent before the handshake are an attack
		 * or a broken middlebox: never carry them into the TLS session. */
		if (p->st == S_HANDSHAKE && p->rlen > 0) {
			note(p, "%zu bytes followed the STARTTLS reply before the handshake; discarded",
			    p->rlen);
			p->rlen = 0;
		}
	}
}

static void on_eof(struct smtp_probe *p, bool reset, const char *why)
{
	if (p->rlen > 0) {
		p->eof = true;
		drain_replies(p);
		if (p->st == S_DONE)
			return;
		/* What is left can never become a reply. */
		record_lines(p, p->rbuf, p->rlen);
		p->rlen = 0;
	}
	if (p->st == S_QUIT) {
		finish(p, END_OK, NULL);
		return;
	}
	note(p, "%s", why);
	finish(p, reset ? END_RESET : END_CLOSED, why);
}

static void read_some(struct smtp_probe *p)
{
	for (int rounds = 0; rounds < 64 && p->st != S_DONE; rounds++) {
		size_t room = RBUF_CAP - p->rlen, got = 0;

		if (room == 0) {
			drain_replies(p);
			if (p->st == S_DONE || p->rlen == RBUF_CAP)
				return;
			continue;
		}
		if (p->tls != NULL) {
			enum tls_io r = tls_conn_read(p->tls, p->rbuf + p->rlen, room, &got);

			if (r == TLS_IO_WANT_READ)
				break;
			if (r == TLS_IO_WANT_WRITE) {
				p->want_write = true;
				break;
			}
			if (r == TLS_IO_ERROR || r == TLS_IO_CLOSED || r == TLS_IO_RESET) {
				/* TLS 1.3 refuses a client certificate only after the handshake. */
				if (p->f.tls.after_alert[0] == '\0' && tls_conn_alert(p->tls)[0] != '\0')
					snprintf(p->f.tls.after_alert, sizeof p->f.tls.after_alert, "%s",
					    tls_conn_alert(p->tls));
			}
			if (r == TLS_IO_CLOSED) {
				on_eof(p, false, "the server closed the connection");
				return;
			}
			if (r == TLS_IO_RESET) {
				on_eof(p, true, "the connection was reset by the server");
				return;
			}
			if (r == TLS_IO_ERROR) {
				on_eof(p, true, "the TLS session failed");
				return;
			}
		} else {
			ssize_t n = recv(p->fd, p->rbuf + p->rlen, room, 0);

			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
				break;
			if (n < 0) {
				on_eof(p, errno == ECONNRESET, errno == ECONNRESET ?
				    "the connection was reset by the server" : strerror(errno));
				return;
			}
			if (n == 0) {
				on_eof(p, false, "the server closed the connection");
				return;
			}
			got = (size_t)n;
		}
		p->rlen += got;
		drain_replies(p);
		/* The handshake owns the socket now: handshake_step drives it. */
		if (p->st == S_HANDSHAKE || p->st == S_DONE)
			return;
		if (p->tls == NULL && got < room)
			break;
	}
	if (p->st != S_DONE && p->fd >= 0)
		update_watch(p);
}

/* ---- TLS ---- */

static void handshake_step(struct smtp_probe *p);

static void start_tls(struct smtp_probe *p)
{
	char *cause = NULL;
	const char *sni = p->tls_name;

	enter(p, S_HANDSHAKE);
	p->tls = tls_conn_new(p->fd, sni, p->legacy, p->legacy ? NULL : p->client, &cause);
	if (p->tls == NULL) {
		finish(p, END_LOCAL_ERROR, cause);
		free(cause);
		return;
	}
	if (!p->legacy) {
		p->f.tls.attempted = true;
		p->f.tls.client_cert_offered = p->client != NULL;
	}
	note(p, "starting TLS handshake%s", p->legacy ? " allowing TLS 1.0/1.1" : "");
	handshake_step(p);
}

static void cert_notes(struct smtp_probe *p)
{
	const struct tls_facts *t = &p->f.tls;

	for (size_t i = 0; i < t->nchain; i++)
		note(p, "certificate %zu: subject %s; issuer %s", i, t->chain[i].subject,
		    t->chain[i].issuer);
	note(p, "chain %s against %s", t->verified ? "verified" : "NOT verified",
	    t->trust_store ? t->trust_store : "?");
	for (size_t i = 0; i < t->nverr; i++)
		note(p, "verify error at depth %d: %s", t->verr[i].depth, t->verr[i].text);
}

static void handshake_done(struct smtp_probe *p)
{
	if (p->legacy) {
		struct tls_facts tmp;

		memset(&tmp, 0, sizeof tmp);
		tls_conn_facts(p->tls, NULL, NULL, &tmp);
		p->f.tls.legacy_only = true;
		snprintf(p->f.tls.legacy_version, sizeof p->f.tls.legacy_version, "%s", tmp.version);
		note(p, "handshake completed only with %s (%s)", tmp.version, tmp.cipher);
		tls_facts_free(&tmp);
		p->legacy_done = true;
		enter(p, S_QUIT);
		send_cmd(p, "QUIT", NULL);
		return;
	}
	tls_conn_facts(p->tls, p->ca_file, p->tls_name, &p->f.tls);
	p->f.tls.client_cert_requested = tls_conn_cert_requested(p->tls);
	p->f.tls.ms = clock_now_ms() - p->phase_start;
	note(p, "TLS established: %s, %s", p->f.tls.version, p->f.tls.cipher);
	cert_notes(p);
	enter(p, S_EHLO_TLS);
	send_cmd(p, "EHLO", p->ehlo_name);
}

static void handshake_failed(struct smtp_probe *p, enum tls_io r)
{
	const char *alert = tls_conn_alert(p->tls);

	if (p->legacy) {
		note(p, "the retry allowing TLS 1.0/1.1 failed too: %s", p->tls_err);
		p->legacy = false;
		p->legacy_done = true;
		/* Keep the first failure: it is the one a modern sender sees. */
		finish(p, END_TLS_FAILED, p->f.tls.error);
		return;
	}
	p->f.tls.error = strdup(p->tls_err[0] ? p->tls_err :
	    r == TLS_IO_CLOSED ? "the server closed the connection during the handshake" :
	    "handshake failed");
	snprintf(p->f.tls.alert, sizeof p->f.tls.alert, "%s", alert);
	p->f.tls.client_cert_requested = tls_conn_cert_requested(p->tls);
	p->f.tls.ms = clock_now_ms() - p->phase_start;
	note(p, "TLS handshake failed: %s", p->f.tls.error);
	p->f.phase_ms[PHASE_HANDSHAKE] = p->f.tls.ms;
	/* Tell a TLS 1.0/1.1-only server from a broken one, if the budget allows. */
	if (!p->legacy_done && p->f.connections < p->max_conn && p->connected_idx >= 0) {
		int idx = p->connected_idx;

		p->f.end = END_TLS_FAILED;
		p->f.end_phase = PHASE_HANDSHAKE;
		p->f.end_detail = strdup(p->f.tls.error);
		close_conn(p);
		p->legacy = true;
		switch (ask_ledger(p, (size_t)idx)) {
		case LEDGER_GO:
			start_connect(p, (size_t)idx);
			return;
		case LEDGER_WAIT:
			return;
		case LEDGER_SPENT: {
			char addr[64];

			/* Another probe of this run used the budget: no retry, and say why. */
			p->legacy = false;
			p->legacy_done = true;
			addr_string(&p->addrs[idx], addr, sizeof addr);
			budget_spent(p, addr, p->addrs[idx].ss.ss_family,
			    "the retry allowing TLS 1.0/1.1:");
			break;
		}
		}
	}
	finish(p, END_TLS_FAILED, p->f.tls.error);
}

static void handshake_step(struct smtp_probe *p)
{
	enum tls_io r;

	p->tls_err[0] = '\0';
	r = tls_conn_handshake(p->tls, p->tls_err, sizeof p->tls_err);
	switch (r) {
	case TLS_IO_DONE:
		handshake_done(p);
		break;
	case TLS_IO_WANT_READ:
		engine_watch(p->e, p->fd, POLLIN, on_io, p);
		break;
	case TLS_IO_WANT_WRITE:
		engine_watch(p->e, p->fd, POLLOUT, on_io, p);
		break;
	default:
		handshake_failed(p, r);
		break;
	}
}

/* ---- replies, state by state ---- */

static void copy_reply(struct smtp_reply_facts *dst, struct smtp_reply_facts *src)
{
	smtp_reply_facts_free(dst);
	*dst = *src;
	memset(src, 0, sizeof *src);
}

static void take_extensions(char ***ext, size_t *n, const struct smtp_reply_facts *r)
{
	if (r->nlines < 2 || (*ext = calloc(r->nlines - 1, sizeof **ext)) == NULL)
		return;
	for (size_t i = 1; i < r->nlines; i++)
		if (((*ext)[*n] = strdup(r->lines[i])) != NULL)
			(*n)++;
}

static bool has_starttls(char **ext, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(ext[i], "STARTTLS") == 0 || strncasecmp(ext[i], "STARTTLS ", 9) == 0)
			return true;
	return false;
}

static void quit(struct smtp_probe *p)
{
	enter(p, S_QUIT);
	send_cmd(p, "QUIT", NULL);
}

static void send_mail_from(struct smtp_probe *p)
{
	char arg[300];

	snprintf(arg, sizeof arg, "FROM:<%s>", p->env_from);
	enter(p, S_MAIL);
	send_cmd(p, "MAIL", arg);
}

/* After an EHLO (plaintext or TLS) and after the envelope probe's RSET: what next. */
static void after_ehlo(struct smtp_probe *p, bool envelope_done)
{
	if (p->env_from != NULL && !envelope_done) {
		send_mail_from(p);
		return;
	}
	if (p->tls == NULL && p->f.starttls_offered) {
		enter(p, S_STARTTLS);
		send_cmd(p, "STARTTLS", NULL);
		return;
	}
	quit(p);
}

static void handle_reply(struct smtp_probe *p, struct smtp_reply_facts *r)
{
	int code = r->code;

	/* A 421 ends the session at any point (RFC 5321 section 3.8). */
	if (code == 421 && p->st != S_QUIT) {
		if (!p->legacy) {
			struct smtp_reply_facts *slot = p->st == S_BANNER ? &p->f.banner :
			    p->st == S_EHLO ? &p->f.ehlo : p->st == S_HELO ? &p->f.helo :
			    p->st == S_STARTTLS ? &p->f.starttls : p->st == S_EHLO_TLS ?
			    &p->f.ehlo_tls : NULL;

			if (slot != NULL)
				copy_reply(slot, r);
		}
		finish(p, END_SERVICE_UNAVAILABLE, "the server answered 421 and closes the session");
		return;
	}
	switch (p->st) {
	case S_BANNER:
		if (!p->legacy)
			copy_reply(&p->f.banner, r);
		if (code != 220) {
			if (!p->legacy) {
				p->f.end = END_REJECTED;
				p->f.end_phase = PHASE_BANNER;
			}
			quit(p);
			return;
		}
		enter(p, S_EHLO);
		if (!p->legacy)
			p->f.ehlo_sent = true;
		send_cmd(p, "EHLO", p->ehlo_name);
		return;
	case S_EHLO:
		if (p->legacy) {
			if (code == 250 && r->nlines > 0) {
				enter(p, S_STARTTLS);
				send_cmd(p, "STARTTLS", NULL);
			} else
				quit(p);
			return;
		}
		copy_reply(&p->f.ehlo, r);
		if (code != 250) {
			/* EHLO refused: see whether HELO gets through (old SMTP fixups). */
			enter(p, S_HELO);
			send_cmd(p, "HELO", p->ehlo_name);
			return;
		}
		if (p->f.ehlo.nlines > 0)
			greeting_observed_ip(p->f.ehlo.lines[0], p->f.observed_ip, sizeof p->f.observed_ip);
		take_extensions(&p->f.ext, &p->f.next, &p->f.ehlo);
		p->f.starttls_offered = has_starttls(p->f.ext, p->f.next);
		after_ehlo(p, false);
		return;
	case S_HELO:
		copy_reply(&p->f.helo, r);
		if (p->f.helo.code == 250 && p->f.helo.nlines > 0 && p->f.observed_ip[0] == '\0')
			greeting_observed_ip(p->f.helo.lines[0], p->f.observed_ip, sizeof p->f.observed_ip);
		quit(p);
		return;
	case S_STARTTLS:
		if (!p->legacy)
			copy_reply(&p->f.starttls, r);
		if (code != 220) {
			quit(p);
			return;
		}
		start_tls(p);
		return;
	case S_EHLO_TLS:
		copy_reply(&p->f.ehlo_tls, r);
		if (p->f.ehlo_tls.code == 250) {
			take_extensions(&p->f.ext_tls, &p->f.next_tls, &p->f.ehlo_tls);
			if (p->f.observed_ip[0] == '\0' && p->f.ehlo_tls.nlines > 0)
				greeting_observed_ip(p->f.ehlo_tls.lines[0], p->f.observed_ip,
				    sizeof p->f.observed_ip);
			after_ehlo(p, false);
			return;
		}
		quit(p);
		return;
	case S_MAIL: {
		char arg[300];

		copy_reply(p->tls ? &p->f.mail_tls : &p->f.mail_plain, r);
		if (code == 250) {
			snprintf(arg, sizeof arg, "TO:<%s>", p->env_to);
			enter(p, S_RCPT);
			send_cmd(p, "RCPT", arg);
		} else {
			enter(p, S_RSET);
			send_cmd(p, "RSET", NULL);
		}
		return;
	}
	case S_RCPT:
		copy_reply(p->tls ? &p->f.rcpt_tls : &p->f.rcpt_plain, r);
		/* Never DATA: the probe only asks whether the envelope would be taken. */
		enter(p, S_RSET);
		send_cmd(p, "RSET", NULL);
		return;
	case S_RSET:
		after_ehlo(p, true);
		return;
	case S_QUIT:
		if (!p->legacy)
			copy_reply(&p->f.quit, r);
		finish(p, END_OK, NULL);
		return;
	default:
		return;
	}
}

/* ---- events ---- */

static void on_io(void *arg, int fd, short revents)
{
	struct smtp_probe *p = arg;

	/* Acknowledge at once: a delayed ACK would hold the server's next reply. */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &(int){ 1 }, sizeof(int));

	if (p->st == S_CONNECT) {
		int err = 0;
		socklen_t len = sizeof err;

		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
			err = errno;
		if (err == ECONNRESET) {
			/* Accepted, then reset before we saw it: a reset, not a refusal. */
			connected(p);
			note(p, "the connection was reset by the server");
			finish(p, END_RESET, "the connection was reset by the server");
			return;
		}
		if (err != 0)
			connect_failed(p, classify_errno(err), err);
		else
			connected(p);
		return;
	}
	if (p->st == S_HANDSHAKE) {
		handshake_step(p);
		return;
	}
	if ((revents & POLLOUT) && (p->wlen > p->woff || p->want_write)) {
		bool read_blocked = p->want_write;

		p->want_write = false;
		if (!flush(p))
			return;
		/* An SSL_read that wanted to write goes on now. */
		if (read_blocked && p->st != S_DONE)
			read_some(p);
	}
	if ((revents & POLLIN) && p->write_wants_read && p->wlen > p->woff) {
		p->write_wants_read = false;
		if (!flush(p))
			return;
	}
	if (p->st != S_DONE && (revents & (POLLIN | POLLHUP | POLLERR)))
		read_some(p);
	/* OpenSSL may hold decrypted bytes that poll() cannot see. */
	while (p->st != S_DONE && p->tls != NULL && tls_conn_pending(p->tls))
		read_some(p);
}

static void on_deadline(void *arg)
{
	struct smtp_probe *p = arg;
	char why[256];

	if (p->st == S_CONNECT) {
		connect_failed(p, CONN_TIMEOUT, 0);
		return;
	}
	if (p->st == S_WAIT) {
		char addr[64];

		int64_t waited = clock_now_ms() - p->wait_start;

		/* Our own queue, not the server, ran out the time: say so. */
		ledger_leave(p->ledger, &p->lw);
		addr_string(&p->addrs[p->wait_idx], addr, sizeof addr);
		p->waited_ms += waited;
		snprintf(why, sizeof why, "not tried: no free slot to %s port %u after waiting %lld.%lld s "
		    "(other probes of this run held them)", addr, p->f.port, (long long)(waited / 1000),
		    (long long)(waited % 1000 / 100));
		note(p, "%s", why);
		if (p->f.budget_note == NULL)
			p->f.budget_note = strdup(why);
		skipped_attempt(p, addr, p->addrs[p->wait_idx].ss.ss_family);
		if (p->legacy) {
			p->legacy = false;
			p->legacy_done = true;
			finish(p, END_TLS_FAILED, p->f.tls.error);
		} else
			finish(p, END_CONNECT_FAILED, why);
		return;
	}
	if (p->st == S_RESOLVE) {
		resolve_cancel(p->rr);
		p->rr = NULL;
		p->f.resolve_error = strdup("no answer from the DNS resolver in time");
		note(p, "cannot resolve %s: no answer in time", p->f.host);
		finish(p, END_RESOLVE_FAILED, p->f.resolve_error);
		return;
	}
	if (p->st == S_QUIT) {
		/* No answer to QUIT harms nothing: everything was learned. */
		note(p, "no reply to QUIT in time; closing");
		finish(p, END_OK, NULL);
		return;
	}
	if (p->st == S_HANDSHAKE && p->legacy) {
		snprintf(p->tls_err, sizeof p->tls_err, "timed out");
		handshake_failed(p, TLS_IO_ERROR);
		return;
	}
	if (clock_now_ms() >= p->overall_deadline)
		snprintf(why, sizeof why, "the whole conversation took longer than %lld s",
		    (long long)((p->overall_deadline - p->t0) / 1000));
	else
		snprintf(why, sizeof why, "no %s within %d.%d s",
		    p->st == S_BANNER ? "greeting" : p->st == S_HANDSHAKE ? "TLS handshake" : "reply",
		    p->phase_timeout / 1000, p->phase_timeout % 1000 / 100);
	if (p->rlen > 0) {
		record_lines(p, p->rbuf, p->rlen);
		note(p, "%zu bytes received without an end of line", p->rlen);
		p->rlen = 0;
	}
	note(p, "deadline: %s", why);
	if (p->legacy) {
		p->legacy = false;
		p->legacy_done = true;
		finish(p, END_TLS_FAILED, p->f.tls.error);
		return;
	}
	if (p->st == S_HANDSHAKE && p->f.tls.error == NULL)
		p->f.tls.error = strdup(why);
	finish(p, END_TIMEOUT, why);
}

/* ---- public ---- */

void smtp_default_ehlo(char *buf, size_t len)
{
	char host[256];

	/* RFC 5321: an FQDN, or failing that an address literal, which is filled
	 * in once the local address is known (an empty name means that). No DNS
	 * lookup here: the system resolver may be off limits. */
	if (gethostname(host, sizeof host) != 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	snprintf(buf, len, "%s", strchr(host, '.') != NULL ? host : "");
}

struct smtp_probe *smtp_probe_start(struct engine *e, const struct smtp_options *opt,
    smtp_done_fn done, void *arg)
{
	struct smtp_probe *p = calloc(1, sizeof *p);
	char ehlo[256];
	unsigned char tmp[16];

	if (p == NULL)
		return NULL;
	p->e = e;
	p->done = done;
	p->arg = arg;
	p->fd = -1;
	p->connected_idx = -1;
	p->phase_timeout = opt->phase_timeout_ms > 0 ? opt->phase_timeout_ms : DEFAULT_PHASE_TIMEOUT_MS;
	p->max_conn = opt->max_connections > 0 ? opt->max_connections : DEFAULT_MAX_CONNECTIONS;
	p->ledger = opt->ledger;
	smtp_facts_init(&p->f);
	if (opt->ehlo_name == NULL)
		smtp_default_ehlo(ehlo, sizeof ehlo);
	p->ehlo_name = strdup(opt->ehlo_name ? opt->ehlo_name : ehlo);
	/* The name to check: given, or the host itself unless it is an address. */
	if (opt->tls_name != NULL)
		p->tls_name = strdup(opt->tls_name);
	else if (inet_pton(AF_INET, opt->host, tmp) != 1 && inet_pton(AF_INET6, opt->host, tmp) != 1)
		p->tls_name = strdup(opt->host);
	p->ca_file = opt->ca_file ? strdup(opt->ca_file) : NULL;
	p->client = opt->client_cert;
	if (opt->envelope_from != NULL && opt->envelope_to != NULL) {
		p->env_from = strdup(opt->envelope_from);
		p->env_to = strdup(opt->envelope_to);
		p->f.envelope_asked = true;
	}
	p->f.host = strdup(opt->host);
	p->f.port = opt->port ? opt->port : 25;
	p->f.ehlo_name = p->ehlo_name ? strdup(p->ehlo_name) : NULL;
	p->f.tls_name = p->tls_name ? strdup(p->tls_name) : NULL;
	p->f.started_at = clock_wall();
	if (p->ehlo_name == NULL || p->f.host == NULL || p->f.ehlo_name == NULL) {
		smtp_probe_free(p);
		return NULL;
	}
	p->t0 = clock_now_ms();
	/* Each phase has its deadline; together they have this one. */
	p->overall_deadline = p->t0 + (opt->overall_timeout_ms > 0 ? opt->overall_timeout_ms :
	    (int64_t)p->phase_timeout * 8);
	p->st = S_RESOLVE;
	p->phase_start = p->t0;
	engine_timer_set(e, &p->deadline, p->t0 + p->phase_timeout, on_deadline, p);
	p->rr = resolve_host(e, opt->host, p->f.port, p->t0 + p->phase_timeout, on_resolved, p);
	if (p->rr == NULL) {
		smtp_probe_free(p);
		return NULL;
	}
	return p;
}

int64_t smtp_probe_waited_ms(const struct smtp_probe *p)
{
	return p->waited_ms + (p->st == S_WAIT ? clock_now_ms() - p->wait_start : 0);
}

const struct smtp_facts *smtp_probe_facts(const struct smtp_probe *p)
{
	return &p->f;
}

void smtp_probe_take_facts(struct smtp_probe *p, struct smtp_facts *out)
{
	*out = p->f;
	smtp_facts_init(&p->f);
}

void smtp_probe_free(struct smtp_probe *p)
{
	if (p == NULL)
		return;
	resolve_cancel(p->rr);
	ledger_leave(p->ledger, &p->lw);
	close_conn(p);
	engine_timer_clear(p->e, &p->deadline);
	engine_timer_clear(p->e, &p->kick);
	smtp_facts_free(&p->f);
	free(p->ehlo_name);
	free(p->tls_name);
	free(p->ca_file);
	free(p->env_from);
	free(p->env_to);
	free(p);
}

/*
 * dnsdrop: a test-only DNS forwarder on 127.0.0.1 that misbehaves for the
 * names under given suffixes and passes everything else to the real server
 * (the tests' NSD). It stands in for what no package serves on demand
 * beside zones that answer: a blocklist zone whose servers are dead, an
 * answer too big for UDP, a server failure.
 *
 *   dnsdrop --listen PORT --upstream PORT [--drop SUFFIX] [--truncate SUFFIX]
 *       [--servfail SUFFIX] [--tcp] [--pidfile FILE]
 *
 * --drop: never answered. --truncate: over UDP, an empty answer with the TC
 * bit (RFC 1035 4.1.1), which tells the client to ask again over TCP.
 * --servfail: RCODE 2. --tcp: also listen on TCP PORT and pass each query
 * there to upstream's TCP; without it nothing listens on TCP PORT, so a
 * client's TCP retry is refused. Loopback only; exits on SIGTERM.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/time.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_PENDING 65536	/* one slot per query ID: no two queries in flight share one */
#define TCP_WAIT_S 2		/* a TCP exchange with a client or upstream, at most */

struct pending {
	unsigned short id;
	struct sockaddr_in client;
	int used;
};

static volatile sig_atomic_t stop;
static struct pending pend[MAX_PENDING];

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

/* The question name of a query, dotted and lowercase; false if malformed. */
static int qname(const unsigned char *b, size_t n, char *out, size_t outlen)
{
	size_t i = 12, o = 0;

	while (i < n && b[i] != 0) {
		size_t l = b[i++];

		if (l > 63 || i + l > n || o + l + 2 > outlen)
			return 0;
		if (o > 0)
			out[o++] = '.';
		for (size_t k = 0; k < l; k++) {
			unsigned char c = b[i + k];

			out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		i += l;
	}
	out[o] = '\0';
	return i < n;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcasecmp(s + a - b, suffix) == 0 && (a == b || s[a - b - 1] == '.');
}

static int matches(const char *name, const char *suffix)
{
	return suffix != NULL && ends_with(name, suffix);
}

/* The query turned into its own answer: QR set, RCODE rcode, TC as asked,
 * the question kept and no records (the EDNS OPT record dropped). */
static size_t make_reply(unsigned char *b, size_t n, int rcode, int tc)
{
	size_t i = 12;

	while (i < n && b[i] != 0)
		i += (size_t)b[i] + 1;
	i += 5;			/* the root label, QTYPE, QCLASS */
	if (i > n)
		return 0;
	b[2] = (unsigned char)(0x80 | (b[2] & 0x79) | (tc ? 0x02 : 0));	/* QR, opcode, RD kept */
	b[3] = (unsigned char)(0x80 | rcode);	/* RA */
	memset(b + 6, 0, 6);	/* no answer, authority or additional records */
	return i;
}

/* Read exactly len bytes (blocking, bounded by SO_RCVTIMEO). */
static int read_full(int fd, unsigned char *b, size_t len)
{
	while (len > 0) {
		ssize_t n = read(fd, b, len);

		if (n <= 0)
			return -1;
		b += n;
		len -= (size_t)n;
	}
	return 0;
}

static void set_timeouts(int fd)
{
	struct timeval tv = { .tv_sec = TCP_WAIT_S };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

/*
 * One TCP client: each query (2-byte length, then the message) is sent to
 * upstream's TCP on a new connection and its answer relayed back, until the
 * client closes. Blocking, but every step is bounded by TCP_WAIT_S.
 */
static void serve_tcp(int cfd, const struct sockaddr_in *up, const char *servfail)
{
	unsigned char b[65537];
	char name[300];

	set_timeouts(cfd);
	for (;;) {
		size_t len;
		int ufd;

		if (read_full(cfd, b, 2) != 0)
			break;
		len = (size_t)b[0] << 8 | b[1];
		if (len < 12 || read_full(cfd, b + 2, len) != 0)
			break;
		if (qname(b + 2, len, name, sizeof name) && matches(name, servfail)) {
			len = make_reply(b + 2, len, 2, 0);
			b[0] = (unsigned char)(len >> 8);
			b[1] = (unsigned char)len;
			if (len == 0 || write(cfd, b, len + 2) != (ssize_t)(len + 2))
				break;
			continue;
		}
		if ((ufd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
			break;
		set_timeouts(ufd);
		if (connect(ufd, (const struct sockaddr *)up, sizeof *up) != 0 ||
		    write(ufd, b, len + 2) != (ssize_t)(len + 2) || read_full(ufd, b, 2) != 0 ||
		    read_full(ufd, b + 2, (size_t)b[0] << 8 | b[1]) != 0) {
			close(ufd);
			break;
		}
		close(ufd);
		len = (size_t)b[0] << 8 | b[1];
		if (write(cfd, b, len + 2) != (ssize_t)(len + 2))
			break;
	}
	close(cfd);
}

static int tcp_listener(unsigned short port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(fd, 16) < 0) {
		perror("dnsdrop: tcp");
		exit(1);
	}
	return fd;
}

static int udp_socket(unsigned short port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || (port && bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0)) {
		perror("dnsdrop: socket");
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	unsigned short listen_port = 0, up_port = 0;
	const char *drop = NULL, *truncate = NULL, *servfail = NULL, *pidfile = NULL;
	struct sockaddr_in up;
	int lfd, ufd, tfd = -1, tcp = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--tcp") == 0) {
			tcp = 1;
			continue;
		}
		if (i + 1 == argc)
			break;
		if (strcmp(argv[i], "--truncate") == 0)
			truncate = argv[++i];
		else if (strcmp(argv[i], "--servfail") == 0)
			servfail = argv[++i];
		else if (strcmp(argv[i], "--listen") == 0)
			listen_port = (unsigned short)atoi(argv[++i]);
		else if (strcmp(argv[i], "--upstream") == 0)
			up_port = (unsigned short)atoi(argv[++i]);
		else if (strcmp(argv[i], "--drop") == 0)
			drop = argv[++i];
		else if (strcmp(argv[i], "--pidfile") == 0)
			pidfile = argv[++i];
	}
	if (listen_port == 0 || up_port == 0) {
		fprintf(stderr, "usage: dnsdrop --listen PORT --upstream PORT [--drop SUFFIX] "
		    "[--truncate SUFFIX] [--servfail SUFFIX] [--tcp] [--pidfile FILE]\n");
		return 2;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN);	/* TCP children reap themselves */
	lfd = udp_socket(listen_port);
	ufd = udp_socket(0);
	if (tcp)
		tfd = tcp_listener(listen_port);
	memset(&up, 0, sizeof up);
	up.sin_family = AF_INET;
	up.sin_port = htons(up_port);
	up.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (pidfile != NULL) {
		FILE *fp = fopen(pidfile, "w");

		if (fp != NULL) {
			fprintf(fp, "%ld\n", (long)getpid());
			fclose(fp);
		}
	}
	/* A test tool must not outlive its test run. */
	alarm(3600);
	while (!stop) {
		struct pollfd pfd[3] = { { lfd, POLLIN, 0 }, { ufd, POLLIN, 0 }, { tfd, POLLIN, 0 } };
		unsigned char buf[4096];
		struct sockaddr_in from;
		socklen_t fl = sizeof from;
		ssize_t n;
		char name[300];

		if (poll(pfd, 3, 1000) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].revents & POLLIN) {
			n = recvfrom(lfd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
			if (n < 12 || !qname(buf, (size_t)n, name, sizeof name) || matches(name, drop)) {
				/* dropped: never answered */
			} else if (matches(name, truncate) || matches(name, servfail)) {
				size_t len = make_reply(buf, (size_t)n, matches(name, servfail) ? 2 : 0,
				    matches(name, truncate));

				if (len > 0)
					sendto(lfd, buf, len, 0, (struct sockaddr *)&from, fl);
			} else {
				unsigned short id = (unsigned short)(buf[0] << 8 | buf[1]);
				struct pending *p = &pend[id % MAX_PENDING];

				p->id = id;
				p->client = from;
				p->used = 1;
				sendto(ufd, buf, (size_t)n, 0, (struct sockaddr *)&up, sizeof up);
			}
		}
		if (pfd[1].revents & POLLIN) {
			n = recv(ufd, buf, sizeof buf, 0);
			if (n >= 12) {
				unsigned short id = (unsigned short)(buf[0] << 8 | buf[1]);
				struct pending *p = &pend[id % MAX_PENDING];

				if (p->used && p->id == id) {
					sendto(lfd, buf, (size_t)n, 0, (struct sockaddr *)&p->client, sizeof p->client);
					p->used = 0;
				}
			}
		}
		if (tfd >= 0 && (pfd[2].revents & POLLIN)) {
			int cfd = accept(tfd, NULL, NULL);

			/* A child per client: c-ares keeps its TCP connection open. */
			if (cfd >= 0 && fork() == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				alarm(30);
				close(lfd);
				close(ufd);
				close(tfd);
				serve_tcp(cfd, &up, servfail);
				_exit(0);
			}
			if (cfd >= 0)
				close(cfd);
		}
	}
	if (pidfile != NULL)
		unlink(pidfile);
	return 0;
}

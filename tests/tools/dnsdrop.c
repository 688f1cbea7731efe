/*
 * dnsdrop: a test-only DNS forwarder on 127.0.0.1 that never answers for the
 * names under one suffix and passes everything else to the real server (the
 * tests' NSD). It stands in for a blocklist zone whose servers are dead: no
 * package serves "a zone that never answers" beside zones that do.
 *
 *   dnsdrop --listen PORT --upstream PORT --drop SUFFIX [--pidfile FILE]
 *
 * UDP only (what c-ares asks first); loopback only; exits on SIGTERM.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_PENDING 65536	/* one slot per query ID: no two queries in flight share one */

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
	const char *drop = NULL, *pidfile = NULL;
	struct sockaddr_in up;
	int lfd, ufd;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--listen") == 0)
			listen_port = (unsigned short)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--upstream") == 0)
			up_port = (unsigned short)atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--drop") == 0)
			drop = argv[i + 1];
		else if (strcmp(argv[i], "--pidfile") == 0)
			pidfile = argv[i + 1];
	}
	if (listen_port == 0 || up_port == 0 || drop == NULL) {
		fprintf(stderr, "usage: dnsdrop --listen PORT --upstream PORT --drop SUFFIX [--pidfile FILE]\n");
		return 2;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	lfd = udp_socket(listen_port);
	ufd = udp_socket(0);
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
		struct pollfd pfd[2] = { { lfd, POLLIN, 0 }, { ufd, POLLIN, 0 } };
		unsigned char buf[4096];
		struct sockaddr_in from;
		socklen_t fl = sizeof from;
		ssize_t n;
		char name[300];

		if (poll(pfd, 2, 1000) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].revents & POLLIN) {
			n = recvfrom(lfd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
			if (n >= 12 && qname(buf, (size_t)n, name, sizeof name) && !ends_with(name, drop)) {
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
	}
	if (pidfile != NULL)
		unlink(pidfile);
	return 0;
}

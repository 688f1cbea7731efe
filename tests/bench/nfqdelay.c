/*
 * nfqdelay: real added latency without netem. Every packet that iptables
 * sends to NFQUEUE is held for a fixed delay, then accepted, in arrival order.
 * Run it inside the benchmark's network namespace with
 *     iptables -A OUTPUT -o lo -j NFQUEUE --queue-num N
 * and each packet on that namespace's loopback is late by the delay: one way,
 * so a round trip costs twice it (the TCP handshake included).
 *
 *   nfqdelay --queue N --delay-us US [--pidfile FILE]
 *
 * Single-threaded: one ring of held packet ids, one ppoll() whose timeout is
 * the oldest packet's release time. Stops on SIGTERM or SIGINT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#define RING 65536		/* packets held at once; the kernel queue holds as many */

struct held {
	uint32_t id;
	int64_t release_ns;
};

static struct held ring[RING];
static size_t head, count;
static int64_t delay_ns;
static volatile sig_atomic_t stop;
static unsigned long dropped;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *arg)
{
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
	uint32_t id;

	(void)msg;
	(void)arg;
	if (ph == NULL)
		return 0;
	id = ntohl(ph->packet_id);
	if (count == RING) {
		/* Full: let it through now rather than lose it. */
		dropped++;
		return nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL);
	}
	ring[(head + count) % RING] = (struct held){ id, now_ns() + delay_ns };
	count++;
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: nfqdelay --queue N --delay-us US [--pidfile FILE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct nfq_handle *h;
	struct nfq_q_handle *qh;
	const char *pidfile = NULL;
	long queue = -1, delay_us = -1;
	char buf[65536] __attribute__((aligned));
	struct sigaction sa = { .sa_handler = on_signal };
	int fd;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--queue") == 0 && i + 1 < argc)
			queue = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--delay-us") == 0 && i + 1 < argc)
			delay_us = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--pidfile") == 0 && i + 1 < argc)
			pidfile = argv[++i];
		else
			usage();
	}
	if (queue < 0 || queue > 65535 || delay_us < 0 || delay_us > 10000000)
		usage();
	delay_ns = delay_us * 1000;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if ((h = nfq_open()) == NULL) {
		perror("nfqdelay: nfq_open");
		return 1;
	}
	if ((qh = nfq_create_queue(h, (uint16_t)queue, on_packet, NULL)) == NULL) {
		perror("nfqdelay: nfq_create_queue");
		return 1;
	}
	/* Only the verdict matters: ask for no payload. */
	if (nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0 || nfq_set_queue_maxlen(qh, RING) < 0) {
		perror("nfqdelay: queue settings");
		return 1;
	}
	fd = nfq_fd(h);
	nfnl_rcvbufsiz(nfq_nfnlh(h), 8 << 20);
	if (pidfile != NULL) {
		FILE *f = fopen(pidfile, "w");

		if (f == NULL || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
			perror("nfqdelay: pidfile");
			return 1;
		}
	}

	while (!stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct timespec ts, *tp = NULL;
		int64_t now = now_ns();

		/* Release everything due, oldest first. */
		while (count > 0 && ring[head].release_ns <= now) {
			nfq_set_verdict(qh, ring[head].id, NF_ACCEPT, 0, NULL);
			head = (head + 1) % RING;
			count--;
		}
		if (count > 0) {
			int64_t wait = ring[head].release_ns - now;

			ts.tv_sec = wait / 1000000000;
			ts.tv_nsec = wait % 1000000000;
			tp = &ts;
		}
		if (ppoll(&pfd, 1, tp, NULL) < 0) {
			if (errno == EINTR)
				continue;
			perror("nfqdelay: ppoll");
			break;
		}
		if (pfd.revents & POLLIN) {
			ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);

			if (n > 0)
				nfq_handle_packet(h, buf, (int)n);
			else if (n < 0 && errno == ENOBUFS)
				dropped++;	/* the kernel had to drop: counted, reported */
		}
	}
	/* Whatever is still held goes now: nothing stays stuck after we leave. */
	while (count > 0) {
		nfq_set_verdict(qh, ring[head].id, NF_ACCEPT, 0, NULL);
		head = (head + 1) % RING;
		count--;
	}
	nfq_destroy_queue(qh);
	nfq_close(h);
	if (dropped)
		fprintf(stderr, "nfqdelay: %lu packets not delayed (queue full or dropped)\n", dropped);
	return 0;
}

/*
 * ptytime: how long a full-screen program takes to show its first screen.
 * Runs COMMAND on a new pseudo-terminal of 80x24 with TERM=xterm-256color and
 * reads what it draws until TEXT has appeared (escape sequences count as a
 * blank, runs of blanks as one, so cursor moves between words do not hide
 * them). Prints, on stdout:
 *     ptytime shown_ms=T            TEXT arrived T ms after the fork
 *     ptytime absent exit=X         the program ended without showing TEXT
 *     ptytime absent timeout        nothing within the deadline
 * then hangs up the terminal and kills what is left of the program.
 *
 *   ptytime [--timeout-ms MS] TEXT COMMAND [ARG...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The screen text so far, escape sequences and blank runs made one blank. */
struct text {
	char buf[1 << 16];
	size_t n;
	int esc;		/* 0 none, 1 after ESC, 2 in a CSI, 3 in an OSC */
};

static void add_blank(struct text *t)
{
	if (t->n > 0 && t->buf[t->n - 1] != ' ' && t->n + 1 < sizeof t->buf)
		t->buf[t->n++] = ' ';
}

static void feed(struct text *t, const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = p[i];

		switch (t->esc) {
		case 1:
			t->esc = ch == '[' ? 2 : ch == ']' ? 3 : 0;
			continue;
		case 2:
			if (ch >= 0x40 && ch <= 0x7e)
				t->esc = 0;
			continue;
		case 3:
			if (ch == 7 || ch == 0x1b)
				t->esc = ch == 0x1b ? 1 : 0;
			continue;
		}
		if (ch == 0x1b) {
			t->esc = 1;
			add_blank(t);
		} else if (ch <= ' ' || ch == 0x7f) {
			add_blank(t);
		} else if (t->n + 1 < sizeof t->buf) {
			t->buf[t->n++] = (char)ch;
		}
	}
	t->buf[t->n] = '\0';
}

int main(int argc, char **argv)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	static struct text t;
	long timeout_ms = 5000;
	const char *want;
	int64_t t0;
	int fd, status, i = 1;
	pid_t pid;

	if (argc > 3 && strcmp(argv[1], "--timeout-ms") == 0) {
		timeout_ms = strtol(argv[2], NULL, 10);
		i = 3;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: ptytime [--timeout-ms MS] TEXT COMMAND [ARG...]\n");
		return 2;
	}
	want = argv[i];
	t0 = now_us();
	pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		perror("ptytime: forkpty");
		return 2;
	}
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LINES", "24", 1);
		setenv("COLUMNS", "80", 1);
		execvp(argv[i + 1], argv + i + 1);
		perror("exec");
		_exit(127);
	}
	for (;;) {
		int64_t left = timeout_ms * 1000 - (now_us() - t0);
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		unsigned char buf[4096];
		ssize_t n;

		if (left <= 0) {
			printf("ptytime absent timeout\n");
			break;
		}
		if (poll(&pfd, 1, (int)(left / 1000) + 1) < 0 && errno != EINTR)
			break;
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(fd, buf, sizeof buf);
		if (n > 0) {
			feed(&t, buf, (size_t)n);
			if (strstr(t.buf, want) != NULL) {
				printf("ptytime shown_ms=%.2f\n", (now_us() - t0) / 1000.0);
				break;
			}
			continue;
		}
		/* EOF or EIO: the program has closed the terminal. */
		if (waitpid(pid, &status, 0) == pid) {
			printf("ptytime absent exit=%d\n",
			    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
			fflush(stdout);
			fprintf(stderr, "%s\n", t.buf);
			close(fd);
			return 0;
		}
		break;
	}
	fflush(stdout);
	close(fd);	/* SIGHUP to the program's session */
	kill(pid, SIGTERM);
	for (int k = 0; k < 50 && waitpid(pid, &status, WNOHANG) == 0; k++)
		usleep(10000);
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	return 0;
}

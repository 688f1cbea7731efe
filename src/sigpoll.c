#include "config.h"

#include <time.h>

#include "sigpoll.h"

void sigpoll_begin(sigset_t *saved)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, saved);
}

int sigpoll_wait(struct pollfd *pfd, size_t n, int timeout_ms, const sigset_t *saved)
{
	struct timespec ts = { .tv_sec = timeout_ms / 1000, .tv_nsec = (long)(timeout_ms % 1000) * 1000000L };

	return ppoll(pfd, n, timeout_ms < 0 ? NULL : &ts, saved);
}

void sigpoll_end(const sigset_t *saved)
{
	sigprocmask(SIG_SETMASK, saved, NULL);
}

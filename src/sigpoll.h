/*
 * poll() for the command line's loops that a SIGINT or SIGTERM cannot slip
 * past: the signals are blocked while the loop works and let in only inside
 * ppoll(), so one that arrives just before the wait ends it at once instead of
 * waiting for the next deadline.
 */
#ifndef HTLS_SIGPOLL_H
#define HTLS_SIGPOLL_H

#include <poll.h>
#include <signal.h>
#include <stddef.h>

/* Block SIGINT and SIGTERM; *saved gets the mask to restore. */
void sigpoll_begin(sigset_t *saved);
/* Wait as poll() does (timeout_ms -1: no deadline), the signals let in meanwhile. */
int sigpoll_wait(struct pollfd *pfd, size_t n, int timeout_ms, const sigset_t *saved);
/* Restore the mask (a signal left pending is delivered now). */
void sigpoll_end(const sigset_t *saved);

#endif

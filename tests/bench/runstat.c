/*
 * runstat: run a command and say what it cost, on one line of stderr:
 *     runstat wall_ms=W user_ms=U sys_ms=S maxrss_kib=R status=X
 * Wall time from just before exec to its exit (CLOCK_MONOTONIC); CPU and peak
 * resident set from wait4() of that one process. Its output passes through.
 *
 *   runstat COMMAND [ARG...]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static double ms(struct timeval tv)
{
	return tv.tv_sec * 1000.0 + tv.tv_usec / 1000.0;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	int64_t t0, t1;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: runstat COMMAND [ARG...]\n");
		return 2;
	}
	t0 = now_us();
	pid = fork();
	if (pid < 0) {
		perror("runstat: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror("runstat: exec");
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("runstat: wait4");
		return 2;
	}
	t1 = now_us();
	fprintf(stderr, "runstat wall_ms=%.2f user_ms=%.2f sys_ms=%.2f maxrss_kib=%ld status=%d\n",
	    (t1 - t0) / 1000.0, ms(ru.ru_utime), ms(ru.ru_stime), ru.ru_maxrss,
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

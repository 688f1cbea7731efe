/* The blocklist self-test answers a batch shares (src/selftest.c). */
#include "config.h"

#include <criterion/criterion.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "engine.h"
#include "selftest.h"

static struct engine *e;
static int answers;
static enum dns_status last;

/* A local UDP port where nothing answers: every query runs to its deadline. */
static uint16_t silent_udp_port(int *fd)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;

	*fd = socket(AF_INET, SOCK_DGRAM, 0);
	cr_assert(*fd >= 0);
	cr_assert_eq(bind(*fd, (struct sockaddr *)&sa, sizeof sa), 0);
	cr_assert_eq(getsockname(*fd, (struct sockaddr *)&sa, &len), 0);
	return ntohs(sa.sin_port);
}

static void on_answer(void *arg, struct dns_answer *a)
{
	(void)arg;
	answers++;
	last = a->status;
	dns_answer_free(a);
}

/* A self-test query that times out is not kept: the next target asks again. */
Test(selftest, a_failed_answer_is_asked_again, .timeout = 20)
{
	struct engine_options eo = { 0 };
	char *cause = NULL, resolver[32];
	struct selftest *s;
	struct selftest_wait *w1, *w2, *w3;
	struct dns_answer a;
	int fd;

	snprintf(resolver, sizeof resolver, "127.0.0.1:%u", silent_udp_port(&fd));
	eo.resolver = resolver;
	cr_assert_not_null(e = engine_new(&eo, &cause), "%s", cause ? cause : "?");
	cr_assert_not_null(s = selftest_new(e));
	answers = 0;
	/* Two targets ask at once: one query, both get its answer. */
	cr_assert(!selftest_ask(s, "2.0.0.127.bl.test", clock_now_ms() + 300, &a, &w1, on_answer, NULL));
	cr_assert(!selftest_ask(s, "2.0.0.127.bl.test", clock_now_ms() + 300, &a, &w2, on_answer, NULL));
	cr_assert_not_null(w1);
	cr_assert_not_null(w2);
	engine_run(e);
	cr_assert_eq(answers, 2);
	cr_assert_eq(last, DNS_TIMEOUT, "%s", dns_status_name(last));
	/* The next target is not handed the old timeout: it waits for a new query. */
	cr_assert(!selftest_ask(s, "2.0.0.127.bl.test", clock_now_ms() + 300, &a, &w3, on_answer, NULL),
	    "a timeout was kept for the rest of the batch");
	cr_assert_not_null(w3);
	engine_run(e);
	cr_assert_eq(answers, 3);
	selftest_free(s);
	engine_free(e);
	close(fd);
}

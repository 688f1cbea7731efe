/*
 * What lets the full check overlap its steps (doc/performance.md), against the
 * test DNS server: an early lookup that a later resolve of the same name joins
 * or takes, one dropped while others wait on it, the engine's after-events hooks,
 * and a blocklist TXT asked with the address but kept only beside a listing.
 */
#include "config.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>

#include "check.h"
#include "clock.h"
#include "engine.h"
#include "env.h"
#include "resolve.h"

TestSuite(overlap, .timeout = 60);

struct answer {
	bool called;
	int status;
	size_t n;
	char addr[64];
	uint16_t port;
};

static void on_resolved(void *arg, int status, const char *error, const struct resolved_addr *addrs,
    size_t n)
{
	struct answer *a = arg;

	(void)error;
	a->called = true;
	a->status = status;
	a->n = n;
	for (size_t i = 0; i < n; i++)
		if (addrs[i].ss.ss_family == AF_INET) {
			const struct sockaddr_in *s = (const struct sockaddr_in *)&addrs[i].ss;

			inet_ntop(AF_INET, &s->sin_addr, a->addr, sizeof a->addr);
			a->port = ntohs(s->sin_port);
		}
}

static struct engine *new_engine(void)
{
	struct engine_options eo = { .resolver = env_resolver(), .dns_timeout_ms = 1000, .dns_tries = 2 };
	char *cause = NULL;
	struct engine *e = engine_new(&eo, &cause);

	cr_assert_not_null(e, "engine_new: %s", cause);
	return e;
}

static void run_until(struct engine *e, const bool *done)
{
	int64_t end = clock_now_ms() + 10000;

	while (!*done && clock_now_ms() < end) {
		struct pollfd pfd[64];
		size_t n = engine_pollfds(e, pfd, 64);
		int t = engine_timeout(e);

		poll(pfd, n, t < 0 || t > 100 ? 100 : t);
		engine_process(e, pfd, n);
	}
	cr_assert(*done, "no answer within 10 s");
}

Test(overlap, a_resolve_joins_the_prefetch_under_way_with_its_own_port)
{
	struct engine *e = new_engine();
	struct resolve_prefetch *p = resolve_prefetch(e, "healthy-test.mail.protection.outlook.com");
	struct answer a = { 0 };
	struct resolve_req *r;

	cr_assert_not_null(p);
	r = resolve_host(e, "HEALTHY-test.mail.protection.outlook.com", 2525, clock_now_ms() + 5000,
	    on_resolved, &a);
	cr_assert_not_null(r);
	run_until(e, &a.called);
	cr_assert_eq(a.status, 0);
	cr_assert_str_eq(a.addr, "127.0.0.1");
	cr_assert_eq(a.port, 2525, "the prefetch's port is never the one used");
	/* Answered already: a second resolve takes it at once, for its own port. */
	memset(&a, 0, sizeof a);
	resolve_host(e, "healthy-test.mail.protection.outlook.com", 26, clock_now_ms() + 5000, on_resolved, &a);
	run_until(e, &a.called);
	cr_assert_eq(a.status, 0);
	cr_assert_eq(a.port, 26);
	resolve_prefetch_drop(p);
	engine_free(e);
}

Test(overlap, dropping_a_prefetch_leaves_its_waiters_to_ask_for_themselves)
{
	struct engine *e = new_engine();
	struct resolve_prefetch *p = resolve_prefetch(e, "mail.healthy.test");
	struct answer a = { 0 };

	resolve_host(e, "mail.healthy.test", 587, clock_now_ms() + 5000, on_resolved, &a);
	resolve_prefetch_drop(p);	/* while both are in flight */
	run_until(e, &a.called);
	cr_assert_eq(a.status, 0);
	cr_assert_str_eq(a.addr, "127.0.0.1");
	cr_assert_eq(a.port, 587);
	engine_free(e);
}

struct hooks {
	struct engine *e;
	struct engine_hook a, b;
	int ran_a, ran_b;
};

static void hook_b(void *arg)
{
	((struct hooks *)arg)->ran_b++;
}

/* Runs once, then sets b and clears itself. */
static void hook_a(void *arg)
{
	struct hooks *h = arg;

	h->ran_a++;
	engine_hook_clear(h->e, &h->a);
	engine_hook_set(h->e, &h->b, hook_b, h);
}

Test(overlap, hooks_run_after_each_round_until_cleared)
{
	struct hooks h = { .e = new_engine() };

	engine_hook_set(h.e, &h.a, hook_a, &h);
	engine_hook_set(h.e, &h.a, hook_a, &h);	/* setting twice arms it once */
	engine_process(h.e, NULL, 0);
	cr_assert_eq(h.ran_a, 1);
	cr_assert_eq(h.ran_b, 0, "a hook set during a round runs from the next");
	engine_process(h.e, NULL, 0);
	engine_process(h.e, NULL, 0);
	cr_assert_eq(h.ran_a, 1, "cleared");
	cr_assert_eq(h.ran_b, 2);
	engine_hook_clear(h.e, &h.b);
	engine_hook_clear(h.e, &h.b);	/* clearing twice is harmless */
	engine_process(h.e, NULL, 0);
	cr_assert_eq(h.ran_b, 2);
	cr_assert(engine_idle(h.e), "a hook does not keep the loop busy");
	engine_free(h.e);
}

Test(overlap, blocklist_reason_kept_only_beside_a_listing)
{
	struct check_options co = { .mode = CHECK_BLOCKLIST, .target = "127.0.0.3" };
	struct diagnosis d;
	struct findings fs = { 0 };
	bool seen = false;

	run_check(&co, &d, &fs);
	for (size_t i = 0; i < d.bl.n; i++) {
		if (strcmp(d.bl.v[i].id, "bl.test") != 0)
			continue;
		seen = true;
		cr_assert_eq(d.bl.v[i].a.status, DNS_NXDOMAIN);
		cr_assert_null(d.bl.v[i].txt.name, "no reason beside no listing");
	}
	cr_assert(seen);
	findings_free(&fs);
	diagnosis_free(&d);

	co.target = "127.0.0.2";
	memset(&fs, 0, sizeof fs);
	run_check(&co, &d, &fs);
	for (size_t i = 0; i < d.bl.n; i++)
		if (strcmp(d.bl.v[i].id, "bl.test") == 0) {
			cr_assert_eq(d.bl.v[i].a.status, DNS_OK);
			cr_assert_eq(d.bl.v[i].txt.status, DNS_OK);
			cr_assert_str_eq(d.bl.v[i].txt.rr[0].text, "Listed for testing, see https://bl.test/lookup");
		}
	findings_free(&fs);
	diagnosis_free(&d);
}

Test(overlap, full_check_of_an_exo_domain_checks_the_ip_named_in_ehlo)
{
	struct check_options co = { .mode = CHECK_FULL, .target = "healthy.test" };
	struct diagnosis d;
	struct findings fs = { 0 };

	co.smtp.port = env_port("EXIM");
	co.smtp.tls_name = "mail.test";
	run_check(&co, &d, &fs);
	cr_assert(d.has_smtp && d.has_dnsbl && d.has_dns);
	cr_assert_str_eq(d.smtp.host, "healthy-test.mail.protection.outlook.com");
	cr_assert_str_eq(d.smtp.observed_ip, "127.0.0.1");
	cr_assert_str_eq(d.bl.ip, "127.0.0.1");
	cr_assert_str_eq(d.dns.ip, "127.0.0.1");
	cr_assert_str_eq(d.ip_source, "named by the server in its EHLO reply");
	findings_free(&fs);
	diagnosis_free(&d);
}

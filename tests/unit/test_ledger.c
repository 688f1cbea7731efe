/*
 * The connection ledger: the run's budget per address:port, the queue for a
 * free slot (served from the loop, first come first served), and the probes
 * a batch shares. The probes here only ever reach a closed port on 127.0.0.1.
 */
#include "config.h"

#include <criterion/criterion.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture.h"
#include "engine.h"
#include "ledger.h"
#include "rules.h"
#include "smtp.h"
#include "testutil.h"

static struct engine *e;

static void setup(void)
{
	struct engine_options eo = { 0 };
	char *cause = NULL;

	e = engine_new(&eo, &cause);
	cr_assert_not_null(e, "%s", cause ? cause : "?");
}

static void teardown(void)
{
	engine_free(e);
	e = NULL;
}

TestSuite(ledger, .init = setup, .fini = teardown, .timeout = 20);

struct woke {
	int calls;
	enum ledger_answer last;
};

static void on_wake(void *arg, enum ledger_answer a)
{
	struct woke *w = arg;

	w->calls++;
	w->last = a;
}

Test(ledger, the_budget_counts_every_connection_of_the_run)
{
	struct ledger *l = ledger_new(e, &(struct ledger_options){ .max_total = 3, .max_open = 3 });
	struct ledger_waiter w;
	struct woke k = { 0 };

	for (int i = 0; i < 3; i++) {
		cr_assert_eq(ledger_take(l, "192.0.2.1", 25, &w, on_wake, &k), LEDGER_GO);
		ledger_release(l, "192.0.2.1", 25);	/* closed again: still counted */
	}
	cr_assert_eq(ledger_take(l, "192.0.2.1", 25, &w, on_wake, &k), LEDGER_SPENT);
	cr_assert_eq(ledger_used(l, "192.0.2.1", 25), 3);
	cr_assert_eq(ledger_open(l, "192.0.2.1", 25), 0);
	/* Another port, another address: budgets of their own. */
	cr_assert_eq(ledger_take(l, "192.0.2.1", 587, &w, on_wake, &k), LEDGER_GO);
	cr_assert_eq(ledger_take(l, "192.0.2.2", 25, &w, on_wake, &k), LEDGER_GO);
	cr_assert_eq(ledger_take(l, "2001:db8::1", 25, &w, on_wake, &k), LEDGER_GO);
	cr_assert_eq(ledger_used(l, "192.0.2.1", 587), 1);
	cr_assert_eq(k.calls, 0, "nobody waited");
	ledger_free(l);
}

Test(ledger, a_full_address_queues_and_wakes_from_the_loop_in_order)
{
	struct ledger *l = ledger_new(e, &(struct ledger_options){ .max_open = 2 });
	struct ledger_waiter w0, w1, w2, w3;
	struct woke k1 = { 0 }, k2 = { 0 }, k3 = { 0 };

	cr_assert_eq(ledger_take(l, "192.0.2.1", 25, &w0, on_wake, NULL), LEDGER_GO);
	cr_assert_eq(ledger_take(l, "192.0.2.1", 25, &w0, on_wake, NULL), LEDGER_GO);
	cr_assert_eq(ledger_take(l, "192.0.2.1", 25, &w1, on_wake, &k1), LEDGER_WAIT);
	cr_assert_eq(ledger_take(l, "192.0.2.1", 25, &w2, on_wake, &k2), LEDGER_WAIT);
	/* Another address is not held up by this queue. */
	cr_assert_eq(ledger_take(l, "192.0.2.9", 25, &w3, on_wake, &k3), LEDGER_GO);

	ledger_release(l, "192.0.2.1", 25);
	cr_assert_eq(k1.calls, 0, "never called from inside release");
	cr_assert_eq(ledger_open(l, "192.0.2.1", 25), 2, "the freed slot is the first waiter's at once");
	engine_run(e);
	cr_assert_eq(k1.calls, 1);
	cr_assert_eq(k1.last, LEDGER_GO);
	cr_assert_eq(k2.calls, 0, "the second waits on");

	/* A newcomer queues behind the waiter even when a slot frees first. */
	ledger_release(l, "192.0.2.1", 25);
	cr_assert_eq(ledger_take(l, "192.0.2.1", 25, &w3, on_wake, &k3), LEDGER_WAIT);
	engine_run(e);
	cr_assert_eq(k2.calls, 1);
	cr_assert_eq(k2.last, LEDGER_GO);
	cr_assert_eq(k3.calls, 0);
	cr_assert_eq(ledger_used(l, "192.0.2.1", 25), 4, "no limit on the total in this ledger");
	ledger_leave(l, &w3);
	ledger_free(l);
}

Test(ledger, leaving_gives_back_a_slot_granted_but_not_used)
{
	struct ledger *l = ledger_new(e, &(struct ledger_options){ .max_open = 1 });
	struct ledger_waiter w0, w1, w2;
	struct woke k1 = { 0 }, k2 = { 0 };

	cr_assert_eq(ledger_take(l, "192.0.2.1", 25, &w0, on_wake, NULL), LEDGER_GO);
	cr_assert_eq(ledger_take(l, "192.0.2.1", 25, &w1, on_wake, &k1), LEDGER_WAIT);
	cr_assert_eq(ledger_take(l, "192.0.2.1", 25, &w2, on_wake, &k2), LEDGER_WAIT);
	ledger_release(l, "192.0.2.1", 25);	/* granted to w1 ... */
	ledger_leave(l, &w1);			/* ... which goes away before its turn comes */
	engine_run(e);
	cr_assert_eq(k1.calls, 0, "a waiter that left is never called");
	cr_assert_eq(k2.calls, 1, "its slot went to the next one");
	cr_assert_eq(k2.last, LEDGER_GO);
	cr_assert_eq(ledger_open(l, "192.0.2.1", 25), 1);
	cr_assert_eq(ledger_used(l, "192.0.2.1", 25), 2, "the slot never used is not counted");
	ledger_free(l);
}

Test(ledger, a_waiter_learns_when_the_budget_ran_out)
{
	struct ledger *l = ledger_new(e, &(struct ledger_options){ .max_total = 2, .max_open = 1 });
	struct ledger_waiter w0, w1, w2;
	struct woke k1 = { 0 }, k2 = { 0 };

	cr_assert_eq(ledger_take(l, "192.0.2.1", 25, &w0, on_wake, NULL), LEDGER_GO);
	cr_assert_eq(ledger_take(l, "192.0.2.1", 25, &w1, on_wake, &k1), LEDGER_WAIT);
	cr_assert_eq(ledger_take(l, "192.0.2.1", 25, &w2, on_wake, &k2), LEDGER_WAIT);
	ledger_release(l, "192.0.2.1", 25);
	engine_run(e);
	cr_assert_eq(k1.last, LEDGER_GO);
	ledger_release(l, "192.0.2.1", 25);
	engine_run(e);
	cr_assert_eq(k2.calls, 1);
	cr_assert_eq(k2.last, LEDGER_SPENT, "the second of two was the last connection");
	ledger_free(l);
}

/* A TCP port on 127.0.0.1 where nothing listens: connections are refused at once. */
static uint16_t closed_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	cr_assert(fd >= 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd);
	return ntohs(sa.sin_port);
}

static int probes_done;

static void on_probe(void *arg, struct smtp_probe *p)
{
	(void)p;
	(void)arg;
	probes_done++;
}

Test(ledger, a_probe_past_the_runs_budget_says_why_and_fails_nothing)
{
	struct ledger *l = ledger_new(e, &(struct ledger_options){ .max_total = 1, .max_open = 1 });
	struct smtp_options so = { .host = "127.0.0.1", .port = closed_port(), .ehlo_name = "client.test",
	    .phase_timeout_ms = 3000, .ledger = l };
	struct smtp_probe *a, *b;
	struct smtp_facts fa, fb;
	struct findings fs = { 0 };
	const struct finding *fd;

	probes_done = 0;
	a = smtp_probe_start(e, &so, on_probe, NULL);
	b = smtp_probe_start(e, &so, on_probe, NULL);
	cr_assert(a != NULL && b != NULL);
	engine_run(e);
	cr_assert_eq(probes_done, 2);
	smtp_probe_take_facts(a, &fa);
	smtp_probe_take_facts(b, &fb);
	cr_assert_eq(ledger_used(l, "127.0.0.1", so.port), 1, "one connection in all");
	cr_assert_eq(fa.connections, 1);
	cr_assert_null(fa.budget_note);
	cr_assert_eq(fb.connections, 0);
	cr_assert_eq(fb.nattempts, 1);
	cr_assert_eq(fb.attempts[0].result, CONN_SKIPPED);
	cr_assert_not_null(fb.budget_note);
	cr_assert(strstr(fb.budget_note, "already opened 1 connection to 127.0.0.1") != NULL, "%s",
	    fb.budget_note);
	/* The refused one failed; the skipped one is untested, never "refused". */
	rules_smtp(&fb, &fs);
	unwanted(&fs, "smtp.connect-failed");
	fd = want(&fs, "smtp.not-probed", SEV_UNTESTED);
	want_summary(fd, "was not probed");
	findings_free(&fs);
	rules_smtp(&fa, &fs);
	want(&fs, "smtp.connect-failed", SEV_FAILURE);
	findings_free(&fs);
	smtp_facts_free(&fa);
	smtp_facts_free(&fb);
	smtp_probe_free(a);
	smtp_probe_free(b);
	ledger_free(l);
}

struct holder {
	struct ledger_probe *lp;
	struct smtp_facts f;
	bool done;
};

static void on_shared(void *arg, struct ledger_probe *lp)
{
	struct holder *h = arg;

	ledger_probe_take_facts(lp, &h->f);
	h->done = true;
}

Test(ledger, targets_on_one_host_share_one_probe)
{
	struct ledger *l = ledger_new(e, &(struct ledger_options){ .max_open = 3, .share_probes = true });
	struct smtp_options so = { .host = "127.0.0.1", .port = closed_port(), .ehlo_name = "client.test",
	    .tls_name = "mx.example.com", .phase_timeout_ms = 3000 };
	struct smtp_options other = so;
	struct holder h[4];

	memset(h, 0, sizeof h);
	for (int i = 0; i < 4; i++)
		smtp_facts_init(&h[i].f);
	h[0].lp = ledger_probe_start(l, e, &so, "a.example", on_shared, &h[0]);
	so.tls_name = "MX.Example.com.";	/* the same name, written otherwise */
	h[1].lp = ledger_probe_start(l, e, &so, "b.example", on_shared, &h[1]);
	other.ehlo_name = "other.test";		/* another EHLO name: another probe */
	h[2].lp = ledger_probe_start(l, e, &other, "c.example", on_shared, &h[2]);
	engine_run(e);
	cr_assert(h[0].done && h[1].done && h[2].done);
	/* One that comes after the probe ended gets its facts too, from the loop. */
	h[3].lp = ledger_probe_start(l, e, &so, "d.example", on_shared, &h[3]);
	cr_assert(!h[3].done);
	engine_run(e);
	cr_assert(h[3].done);

	/* Two probes, not four (the shared_from below); none left open. */
	cr_assert_eq(ledger_open(l, "127.0.0.1", so.port), 0);
	cr_assert_null(h[0].f.shared_from);
	cr_assert_str_eq(h[1].f.shared_from, "a.example");
	cr_assert_null(h[2].f.shared_from);
	cr_assert_str_eq(h[3].f.shared_from, "a.example");
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(h[i].f.end, END_CONNECT_FAILED);
		cr_assert_eq(h[i].f.nattempts, 1, "each holder has its own copy of the facts");
		cr_assert_eq(h[i].f.attempts[0].result, CONN_REFUSED);
		cr_assert_gt(h[i].f.tr.n, 0);
		ledger_probe_free(h[i].lp);
		smtp_facts_free(&h[i].f);
	}
	ledger_free(l);
}

Test(ledger, a_probe_nobody_holds_stops)
{
	struct ledger *l = ledger_new(e, &(struct ledger_options){ .share_probes = true });
	struct smtp_options so = { .host = "127.0.0.1", .port = closed_port(), .ehlo_name = "client.test",
	    .phase_timeout_ms = 3000 };
	struct holder h = { 0 };
	struct ledger_probe *lp = ledger_probe_start(l, e, &so, "a.example", on_shared, &h);

	cr_assert_not_null(lp);
	ledger_probe_free(lp);
	engine_run(e);
	cr_assert(!h.done, "no callback after letting go");
	cr_assert_eq(ledger_open(l, "127.0.0.1", so.port), 0, "its slot went back");
	/* Nothing of it is left to join: a new one runs. */
	lp = ledger_probe_start(l, e, &so, "b.example", on_shared, &h);
	engine_run(e);
	cr_assert(h.done);
	cr_assert_null(h.f.shared_from);
	smtp_facts_free(&h.f);
	ledger_probe_free(lp);
	ledger_free(l);
}

/* The probe that lost its TLS 1.0/1.1 retry to another probe of the run says
 * so beside its failed handshake: an old-protocol server looks like this too. */
Test(ledger, a_handshake_failure_without_its_retry_says_why)
{
	struct smtp_facts f;
	struct findings fs = { 0 };
	const struct finding *fd;

	smtp_facts_init(&f);
	f.host = xstrdup("mail.example.com");
	f.port = 25;
	f.end = END_TLS_FAILED;
	f.end_phase = PHASE_HANDSHAKE;
	f.connections = 1;
	snprintf(f.connected_addr, sizeof f.connected_addr, "192.0.2.1");
	set_reply(&f.banner, 220, 5, "mail.example.com ESMTP", NULL);
	set_reply(&f.ehlo, 250, 5, "mail.example.com", "STARTTLS", NULL);
	f.starttls_offered = true;
	set_reply(&f.starttls, 220, 5, "2.0.0 Ready to start TLS", NULL);
	f.tls.attempted = true;
	f.tls.error = xstrdup("tlsv1 alert protocol version");
	f.budget_note = xstrdup("the retry allowing TLS 1.0/1.1: not tried: this run has already opened 3 "
	    "connections to 192.0.2.1 port 25, the most it opens to one server");
	rules_smtp(&f, &fs);
	fd = want(&fs, "tls.handshake-failed", SEV_FAILURE);
	want_evidence(fd, "retry allowing TLS 1.0/1.1: not tried");
	unwanted(&fs, "tls.protocol-old");
	findings_free(&fs);
	smtp_facts_free(&f);
}

/* A capture keeps both notes, so a replay says what the run said. */
Test(ledger, captures_keep_the_budget_note_and_the_shared_probe)
{
	struct diagnosis d, back;
	json_t *j;
	char *text, *err = NULL;

	diagnosis_init(&d);
	d.target = xstrdup("d2.example");
	d.has_smtp = true;
	d.smtp.host = xstrdup("mx.example.com");
	d.smtp.port = 25;
	d.smtp.budget_note = xstrdup("connection not tried: this run has already opened 3 connections");
	d.smtp.shared_from = xstrdup("d1.example");
	cr_assert_not_null(j = capture_to_json(&d, 0, &err), "%s", err ? err : "?");
	cr_assert_not_null(text = json_dumps(j, 0));
	cr_assert(capture_parse(text, strlen(text), "test", &back, &err), "%s", err ? err : "?");
	cr_assert_str_eq(back.smtp.budget_note, d.smtp.budget_note);
	cr_assert_str_eq(back.smtp.shared_from, "d1.example");
	free(text);
	json_decref(j);
	diagnosis_free(&back);
	/* Most probes have neither: the capture does not grow for them. */
	free(d.smtp.budget_note);
	free(d.smtp.shared_from);
	d.smtp.budget_note = d.smtp.shared_from = NULL;
	cr_assert_not_null(j = capture_to_json(&d, 0, &err));
	cr_assert_null(json_object_get(json_object_get(j, "smtp"), "budget_note"));
	cr_assert_null(json_object_get(json_object_get(j, "smtp"), "shared_from"));
	json_decref(j);
	diagnosis_free(&d);
}

/* ---- leaving the queue on every path ---- */

static void never_woken(void *arg, enum ledger_answer a)
{
	(void)arg;
	(void)a;
	cr_assert_fail("the blocker was woken");
}

/* Turn the loop for about ms, one poll at a time. */
static void turn(int ms)
{
	for (int i = 0; i < ms / 10; i++) {
		struct pollfd pfd[64];
		size_t n = engine_pollfds(e, pfd, 64);
		int t = engine_timeout(e);

		(void)poll(pfd, n, t < 0 || t > 10 ? 10 : t);
		engine_process(e, pfd, n);
	}
}

/* A probe freed while it waits, or right after its turn came, holds nothing. */
Test(ledger, a_probe_freed_while_queued_or_just_granted_holds_nothing)
{
	for (int granted = 0; granted < 2; granted++) {
		struct ledger *l = ledger_new(e, &(struct ledger_options){ .max_open = 1 });
		uint16_t port = closed_port();
		struct smtp_options so = { .host = "127.0.0.1", .port = port, .ehlo_name = "client.test",
		    .phase_timeout_ms = 2000, .ledger = l };
		struct ledger_waiter blocker;
		struct smtp_probe *p;

		probes_done = 0;
		cr_assert_eq(ledger_take(l, "127.0.0.1", port, &blocker, never_woken, NULL), LEDGER_GO);
		p = smtp_probe_start(e, &so, on_probe, NULL);
		cr_assert_not_null(p);
		turn(200);
		cr_assert_eq(probes_done, 0, "it waits");
		if (granted)
			ledger_release(l, "127.0.0.1", port);	/* its turn, not yet taken up */
		smtp_probe_free(p);
		if (!granted)
			ledger_release(l, "127.0.0.1", port);
		engine_run(e);
		cr_assert_eq(probes_done, 0, "no callback after the free");
		cr_assert_eq(ledger_open(l, "127.0.0.1", port), 0, "granted %d: a slot is still held", granted);
		ledger_free(l);
	}
}

/* The wait has its own limit, and the probe says our queue, not the server, stopped it. */
Test(ledger, a_wait_that_runs_out_says_so)
{
	struct ledger *l = ledger_new(e, &(struct ledger_options){ .max_open = 1 });
	uint16_t port = closed_port();
	struct smtp_options so = { .host = "127.0.0.1", .port = port, .ehlo_name = "client.test",
	    .phase_timeout_ms = 2000, .overall_timeout_ms = 100, .ledger = l };
	struct ledger_waiter blocker;
	struct smtp_probe *p;
	struct smtp_facts f;

	probes_done = 0;
	cr_assert_eq(ledger_take(l, "127.0.0.1", port, &blocker, never_woken, NULL), LEDGER_GO);
	p = smtp_probe_start(e, &so, on_probe, NULL);
	while (probes_done == 0)
		turn(50);
	smtp_probe_take_facts(p, &f);
	cr_assert_eq(f.end, END_CONNECT_FAILED);
	cr_assert_not_null(f.budget_note);
	cr_assert(strstr(f.budget_note, "no free slot to 127.0.0.1") != NULL, "%s", f.budget_note);
	cr_assert(strstr(f.budget_note, "after waiting 1.") != NULL, "ten times the 100 ms deadline: %s",
	    f.budget_note);
	cr_assert_eq(f.connections, 0);
	smtp_facts_free(&f);
	smtp_probe_free(p);
	ledger_release(l, "127.0.0.1", port);
	cr_assert_eq(ledger_open(l, "127.0.0.1", port), 0);
	ledger_free(l);
}

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
#include "clock.h"
#include "engine.h"
#include "ledger.h"
#include "selftest.h"
#include "target.h"

#define MAX_JOBS 256
#define MAX_TARGETS 20000	/* the duplicate check is quadratic; far above any real list */
#define MAX_LINE 1024

struct slot {
	struct batch *b;
	size_t index;
	struct target t;
	struct check *c;
	struct engine_timer deadline;
	int64_t started;	/* monotonic ms */
	bool busy;
};

struct batch {
	struct engine *e;
	struct batch_options opt;
	batch_item_fn fn;
	void *arg;
	char **targets;
	size_t n, next, finished;
	struct slot *slots;
	size_t nslots;
	bool cancelled;
	struct engine_timer kick;
	struct selftest *selftests;	/* the blocklist self-tests, asked once for all targets */
	/* Targets on one MX host share its probe; at most 3 connections open at
	 * once to one address:port, the rest wait their turn. */
	struct ledger *ledger;
};

static void start_more(void *arg);

static void finish_slot(struct slot *s, enum batch_outcome o, const char *error)
{
	struct batch *b = s->b;
	struct diagnosis d;

	diagnosis_init(&d);
	engine_timer_clear(b->e, &s->deadline);
	if (s->c != NULL) {
		check_take(s->c, &d);
		check_free(s->c);
		s->c = NULL;
	}
	s->busy = false;
	b->finished++;
	b->fn(b->arg, s->index, b->targets[s->index], o, &d, error);
	/* Refill from the loop, not from inside a check's callback. */
	engine_timer_set(b->e, &b->kick, 1, start_more, b);
}

static void on_check_done(void *arg, struct check *c)
{
	struct slot *s = arg;

	(void)c;
	finish_slot(s, BATCH_DONE, NULL);
}

static void on_deadline(void *arg)
{
	struct slot *s = arg;
	int64_t waited = s->c != NULL ? check_waited_ms(s->c) : 0;
	int64_t until = s->started + s->b->opt.target_timeout_ms + waited;
	char why[160];

	/* Time queued behind other targets' connections to the same server is not this target's. */
	if (until > clock_now_ms()) {
		engine_timer_set(s->b->e, &s->deadline, until > clock_now_ms() + 100 ? until : clock_now_ms() + 100,
		    on_deadline, s);
		return;
	}
	if (waited > 0)
		snprintf(why, sizeof why, "no result within %d s (besides %lld s queued for a connection slot)",
		    s->b->opt.target_timeout_ms / 1000, (long long)(waited / 1000));
	else
		snprintf(why, sizeof why, "no result within %d s", s->b->opt.target_timeout_ms / 1000);
	finish_slot(s, BATCH_DEADLINE, why);
}

static void start_one(struct batch *b, struct slot *s, size_t index)
{
	struct check_options co = b->opt.base;
	char err[256];

	s->index = index;
	if (!target_parse(b->targets[index], &s->t, err, sizeof err)) {
		struct diagnosis d;

		diagnosis_init(&d);
		b->finished++;
		b->fn(b->arg, index, b->targets[index], BATCH_BAD_TARGET, &d, err);
		return;
	}
	co.target = s->t.host;
	co.smtp.host = s->t.host;
	if (s->t.port != 0) {
		co.smtp.port = s->t.port;
		co.port_given = true;
	}
	s->busy = true;
	s->c = check_start(b->e, &co, on_check_done, s);
	if (s->c == NULL) {
		s->busy = false;
		finish_slot(s, BATCH_CANCELLED, "out of memory");
		return;
	}
	s->started = clock_now_ms();
	engine_timer_set(b->e, &s->deadline, s->started + b->opt.target_timeout_ms, on_deadline, s);
}

static void start_more(void *arg)
{
	struct batch *b = arg;

	/* A bad target leaves its slot free at once: keep filling that slot. */
	for (size_t i = 0; i < b->nslots && !b->cancelled && b->next < b->n; i++)
		while (!b->slots[i].busy && !b->cancelled && b->next < b->n)
			start_one(b, &b->slots[i], b->next++);
}

struct batch *batch_start(struct engine *e, const struct batch_options *opt, char *const *targets,
    size_t n, batch_item_fn fn, void *arg)
{
	struct batch *b = calloc(1, sizeof *b);

	if (b == NULL)
		return NULL;
	b->e = e;
	b->opt = *opt;
	b->fn = fn;
	b->arg = arg;
	b->nslots = opt->jobs < 1 ? 1 : opt->jobs > MAX_JOBS ? MAX_JOBS : opt->jobs;
	if (b->opt.target_timeout_ms <= 0)
		b->opt.target_timeout_ms = 120000;
	if ((b->slots = calloc(b->nslots, sizeof *b->slots)) == NULL ||
	    (b->targets = calloc(n ? n : 1, sizeof *b->targets)) == NULL ||
	    (b->selftests = selftest_new(e)) == NULL ||
	    (b->ledger = ledger_new(e, &(struct ledger_options){ .max_open = LEDGER_DEFAULT_OPEN,
	    .share_probes = true })) == NULL) {
		batch_free(b);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if ((b->targets[i] = strdup(targets[i])) == NULL) {
			b->n = i;
			batch_free(b);
			return NULL;
		}
	b->n = n;
	b->opt.base.selftests = b->selftests;
	b->opt.base.ledger = b->ledger;
	for (size_t i = 0; i < b->nslots; i++)
		b->slots[i].b = b;
	engine_timer_set(e, &b->kick, 1, start_more, b);
	return b;
}

size_t batch_running(const struct batch *b)
{
	size_t k = 0;

	for (size_t i = 0; i < b->nslots; i++)
		k += b->slots[i].busy;
	return k;
}

size_t batch_finished(const struct batch *b)
{
	return b->finished;
}

bool batch_done(const struct batch *b)
{
	return batch_running(b) == 0 && (b->cancelled || b->next >= b->n);
}

void batch_cancel(struct batch *b)
{
	b->cancelled = true;
	for (size_t i = 0; i < b->nslots; i++)
		if (b->slots[i].busy)
			finish_slot(&b->slots[i], BATCH_CANCELLED, "interrupted");
}

void batch_free(struct batch *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; b->slots != NULL && i < b->nslots; i++) {
		engine_timer_clear(b->e, &b->slots[i].deadline);
		check_free(b->slots[i].c);
	}
	engine_timer_clear(b->e, &b->kick);
	/* After the checks: their blocklist steps wait on it. */
	selftest_free(b->selftests);
	ledger_free(b->ledger);
	batch_free_targets(b->targets, b->n);
	free(b->slots);
	free(b);
}

void batch_free_targets(char **targets, size_t n)
{
	for (size_t i = 0; targets != NULL && i < n; i++)
		free(targets[i]);
	free(targets);
}

long batch_read_targets(FILE *in, char ***targets, char *err, size_t errlen)
{
	char line[MAX_LINE + 2];
	char **v = NULL;
	size_t n = 0, cap = 0;
	long lineno = 0;

	*targets = NULL;
	while (fgets(line, sizeof line, in) != NULL) {
		size_t len = strlen(line);
		char *p = line, *end;

		lineno++;
		if (len == sizeof line - 1 && line[len - 1] != '\n') {
			snprintf(err, errlen, "line %ld: longer than %d characters", lineno, MAX_LINE);
			goto fail;
		}
		if (memchr(line, '\0', len) != NULL || strchr(line, '\0') != line + len) {
			snprintf(err, errlen, "line %ld: not text", lineno);
			goto fail;
		}
		line[strcspn(line, "#")] = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		end = p + strlen(p);
		while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
			*--end = '\0';
		if (*p == '\0')
			continue;
		if (strpbrk(p, " \t") != NULL) {
			snprintf(err, errlen, "line %ld: one target per line ('%.60s')", lineno, p);
			goto fail;
		}
		for (size_t i = 0; i < n; i++)
			if (strcasecmp(v[i], p) == 0)
				goto next;
		if (n == MAX_TARGETS) {
			snprintf(err, errlen, "more than %d targets", MAX_TARGETS);
			goto fail;
		}
		if (n == cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 64) * sizeof *nv);

			if (nv == NULL)
				goto oom;
			v = nv;
		}
		if ((v[n] = strdup(p)) == NULL)
			goto oom;
		n++;
next:
		;
	}
	if (ferror(in)) {
		snprintf(err, errlen, "cannot read the target list");
		goto fail;
	}
	*targets = v;
	return (long)n;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	batch_free_targets(v, n);
	return -1;
}

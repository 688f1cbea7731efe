#include "config.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "cmd_batch.h"
#include "engine.h"
#include "json.h"
#include "json_brief.h"
#include "kb.h"
#include "rules.h"
#include "sigpoll.h"

struct result {
	bool set;
	enum batch_outcome o;
	int status;		/* exit status of this target */
	char *line;		/* the table's last column */
};

struct run {
	const struct batch_cli *bc;
	FILE *out;
	struct result *res;
	size_t n;
	int worst;
	bool out_failed;	/* a JSON line could not be written: nobody is reading */
};

/* 2 failures > 1 warnings > 3 could not test > 0: as findings_exit_status. */
static int worse(int a, int b)
{
	static const int rank[] = { 0, 2, 3, 1 };

	return rank[a & 3] >= rank[b & 3] ? a : b;
}

static const char *outcome_name(enum batch_outcome o)
{
	switch (o) {
	case BATCH_DONE: return "done";
	case BATCH_DEADLINE: return "deadline";
	case BATCH_BAD_TARGET: return "bad-target";
	case BATCH_CANCELLED: return "cancelled";
	}
	return "?";
}

static void on_item(void *arg, size_t index, const char *target, enum batch_outcome o,
    struct diagnosis *d, const char *error)
{
	struct run *r = arg;
	struct findings fs = { 0 };
	struct result *res = &r->res[index];
	const struct finding *top = NULL;

	res->set = true;
	res->o = o;
	if (o == BATCH_DONE) {
		rules_all(d, r->bc->zones, &fs);
		findings_sort(&fs);
		res->status = findings_exit_status(&fs);
		if (fs.n > 0 && (fs.v[0].root || fs.v[0].sev == SEV_FAILURE || fs.v[0].sev == SEV_WARNING ||
		    fs.v[0].sev == SEV_UNTESTED))
			top = &fs.v[0];
		/* A shared probe's facts are another target's conversation: say whose. */
		if (asprintf(&res->line, "%s%s%s%s%s%s", top ? top->kb->id : "all good", top ? ": " : "",
		    top && top->summary ? top->summary : "", d->smtp.shared_from ? " (SMTP probe shared with " : "",
		    d->smtp.shared_from ? d->smtp.shared_from : "", d->smtp.shared_from ? ")" : "") < 0)
			res->line = NULL;
	} else {
		res->status = 3;
		if (asprintf(&res->line, "%s: %s", outcome_name(o), error ? error : "") < 0)
			res->line = NULL;
	}
	r->worst = worse(r->worst, res->status);
	if (r->bc->jsonl) {
		/* One line a target, as soon as it is known: by default the lean
		 * record (the full report costs most of a batch's CPU). */
		if (r->bc->full) {
			json_t *j = o == BATCH_DONE ? json_report("batch", d, &fs) : json_object();
			char werr[128];

			json_object_set_new(j, "target", json_string(target));
			json_object_set_new(j, "outcome", json_string(outcome_name(o)));
			json_object_set_new(j, "exit_status", json_integer(res->status));
			if (error != NULL)
				json_object_set_new(j, "error", json_string(error));
			if (!json_write_line(j, r->out, werr, sizeof werr) || fflush(r->out) != 0)
				r->out_failed = true;
			json_decref(j);
		} else {
			char *line = json_brief(target, outcome_name(o), res->status, error,
			    o == BATCH_DONE ? d : NULL, o == BATCH_DONE ? &fs : NULL, r->bc->zones);

			if (line == NULL || fputs(line, r->out) == EOF || fputc('\n', r->out) == EOF ||
			    fflush(r->out) != 0)
				r->out_failed = true;
			free(line);
		}
	}
	findings_free(&fs);
	diagnosis_free(d);
}

static const char *status_word(const struct result *res)
{
	if (!res->set)
		return "not run";
	if (res->o != BATCH_DONE)
		return res->o == BATCH_DEADLINE ? "TIMEOUT" : res->o == BATCH_BAD_TARGET ? "BAD" : "CANCELLED";
	switch (res->status) {
	case 0: return "ok";
	case 1: return "WARN";
	case 2: return "FAIL";
	default: return "UNTESTED";
	}
}

int cmd_batch(const struct batch_cli *bc, FILE *in, FILE *out, FILE *err,
    volatile sig_atomic_t *interrupted)
{
	struct engine_options eo = { .resolver = bc->resolver };
	struct batch_options bo = { .base = bc->base, .jobs = bc->jobs,
	    .target_timeout_ms = bc->target_timeout_ms };
	struct run r = { .bc = bc, .out = out };
	struct engine *e;
	struct batch *b;
	char **targets, msg[256], *cause = NULL;
	long n = batch_read_targets(in, &targets, msg, sizeof msg);
	bool progress = isatty(fileno(err));	/* a progress line on a terminal only */
	size_t width = 6;
	sigset_t saved;

	if (n < 0) {
		fprintf(err, "hybridtls batch: %s\n", msg);
		return 64;
	}
	if (n == 0) {
		fprintf(err, "hybridtls batch: no targets in the list\n");
		batch_free_targets(targets, 0);
		return 64;
	}
	r.n = (size_t)n;
	if ((r.res = calloc(r.n, sizeof *r.res)) == NULL ||
	    (e = engine_new(&eo, &cause)) == NULL) {
		fprintf(err, "hybridtls: %s\n", cause ? cause : "out of memory");
		free(cause);
		free(r.res);
		batch_free_targets(targets, r.n);
		return 3;
	}
	bo.base.zones = bc->zones;
	if ((b = batch_start(e, &bo, targets, r.n, on_item, &r)) == NULL) {
		fprintf(err, "hybridtls: out of memory\n");
		engine_free(e);
		free(r.res);
		batch_free_targets(targets, r.n);
		return 3;
	}
	sigpoll_begin(&saved);
	while (!batch_done(b)) {
		struct pollfd pfd[1024];
		size_t k = engine_pollfds(e, pfd, 1024);

		/* Interrupted, or the reader of the JSON Lines went away (head -n 5). */
		if (*interrupted || r.out_failed) {
			batch_cancel(b);
			break;
		}
		/* Nothing to wait on and not done would block for ever: never wait blind. */
		if (k == 0 && engine_timeout(e) < 0)
			break;
		if (sigpoll_wait(pfd, k, engine_timeout(e), &saved) < 0 && errno != EINTR)
			break;
		engine_process(e, pfd, k);
		if (progress)
			fprintf(err, "\r[%zu/%zu] %zu running ", batch_finished(b), r.n, batch_running(b));
	}
	sigpoll_end(&saved);
	if (progress)
		fprintf(err, "\r%*s\r", 40, "");
	if (*interrupted) {
		size_t done = 0;

		for (size_t i = 0; i < r.n; i++)
			done += r.res[i].set && r.res[i].o != BATCH_CANCELLED;
		fprintf(err, "hybridtls batch: interrupted; %zu of %zu targets finished\n", done, r.n);
	}
	batch_free(b);
	engine_free(e);

	if (!bc->jsonl) {
		for (size_t i = 0; i < r.n; i++)
			if (strlen(targets[i]) > width)
				width = strlen(targets[i]) < 60 ? strlen(targets[i]) : 60;
		fprintf(out, "%-*s  %-9s %s\n", (int)width, "TARGET", "RESULT", "ROOT CAUSE OR FIRST PROBLEM");
		for (size_t i = 0; i < r.n; i++)
			fprintf(out, "%-*s  %-9s %s\n", (int)width, targets[i], status_word(&r.res[i]),
			    r.res[i].line ? r.res[i].line : "");
	}
	for (size_t i = 0; i < r.n; i++)
		free(r.res[i].line);
	free(r.res);
	batch_free_targets(targets, r.n);
	return *interrupted || r.out_failed ? 3 : r.worst;
}

/*
 * The wizard's model, without curses: one diagnosis being made or replayed,
 * the checks running on the engine for it (the whole run, or one step run
 * again), and the findings of what has come in so far.
 */
#ifndef HTLS_SESSION_H
#define HTLS_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "check.h"
#include "dnsbl.h"
#include "facts.h"
#include "findings.h"
#include "run.h"

struct engine;

/* The steps, in the order an admin troubleshoots. */
enum step {
	STEP_SMTP,		/* Connect & EHLO */
	STEP_TLS,		/* STARTTLS & certificate */
	STEP_BLOCKLIST,
	STEP_CONNECTOR,
	STEP_ONPREM,		/* the on-premises endpoint, as Exchange Online sees it */
	STEP_DNS,
	STEP_SUMMARY,
	STEP_COUNT
};

enum step_state {
	ST_NOT_RUN,		/* not part of this run (no input for it), or could not start */
	ST_WAITING,		/* waits for another step's result (the MX, the public IP) */
	ST_RUNNING,
	ST_DONE,
	ST_CANCELLED,
};

#define SESSION_JOBS 4

struct session_job {
	struct check *c;
	unsigned steps;		/* bit per enum step it fills */
	bool full;		/* the whole run (its inputs are in the plan) */
	bool finished;
	int64_t started_ms;
	char target[256];	/* what a step re-run probes (the check keeps a pointer) */
	char ip[64];
};

struct session {
	struct engine *e;
	struct run_inputs in;	/* as last started (strings owned by the caller) */
	struct run_plan plan;
	bool planned;
	struct dnsbl_list zones;	/* today's zone knowledge, for judging captures */
	bool have_zones;

	struct diagnosis d;	/* what is complete */
	bool have_d;
	struct findings fs;	/* of the view: recomputed when something came in */
	struct session_job job[SESSION_JOBS];
	unsigned cancelled;	/* steps cancelled and not run again */
	bool replay;		/* from a capture: nothing to run again */
	char *source;		/* "contoso.com (live)", the capture's file name */
	int64_t started_ms, finished_ms;
	unsigned seen;		/* has_* bits already judged, to know when to judge again */
	unsigned gen;		/* counts the judgements: lists built from fs are stale when it moves */
	char *typed_ips, *typed_cert;	/* connector values typed in; kept across a whole re-run */
};

void session_init(struct session *s, struct engine *e);
void session_free(struct session *s);

/* Start the whole run of in (its strings must outlive the session's use). */
bool session_start(struct session *s, const struct run_inputs *in, char *err, size_t errlen);
/* Show a finished diagnosis (moved in) from a capture or a demo. */
void session_load(struct session *s, struct diagnosis *d, const char *source);
/* Run one step again; false with a reason when it cannot be. */
bool session_rerun(struct session *s, enum step st, char *err, size_t errlen);
struct connector_set;
/* Add an export (or typed values) to the finished diagnosis (moved in) and judge again. */
bool session_add_connectors(struct session *s, struct connector_set *set, const char *label, char *err,
    size_t errlen);
/* Connector values typed in the wizard (connector_typed()): judged now, and
 * again after each whole re-run of the same check. */
bool session_add_typed(struct session *s, const char *sender_ips, const char *cert_name, char *err,
    size_t errlen);
/* Stop whatever fills this step (the whole run when it does). */
void session_cancel(struct session *s, enum step st);
/* After engine_process(): collect finished checks. True when something changed. */
bool session_update(struct session *s);
bool session_busy(const struct session *s);

/* The diagnosis to show: a shallow composite while the whole run is going (do not free). */
void session_view(const struct session *s, struct diagnosis *out);
/* The SMTP facts of the probe of a step as they grow (NULL when none). */
const struct smtp_facts *session_smtp(const struct session *s, bool onprem);
enum step_state session_state(const struct session *s, enum step st);
/* The worst severity among the step's findings, SEV_OK when none. */
enum severity session_worst(const struct session *s, enum step st);
/* Milliseconds the current work has taken (or took). */
int64_t session_elapsed(const struct session *s);

/* Which step a finding belongs to. */
enum step step_of_finding(const struct finding *f);
const char *step_title(enum step st);	/* "Connect & EHLO" */
const char *step_short(enum step st);	/* "Connect" for the tab bar */

#endif

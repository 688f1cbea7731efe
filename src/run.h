/*
 * One run as a presenter (the CLI, the wizard) starts it: the target parsed,
 * the blocklist zones, connector exports and on-premises certificate loaded,
 * the reverse direction planned; afterwards those inputs' facts moved into
 * the run's diagnosis. No I/O beyond reading the named files.
 */
#ifndef HTLS_RUN_H
#define HTLS_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "dnsbl.h"
#include "facts.h"
#include "target.h"

#define RUN_MAX_CONNECTORS 8

struct onpremcert;

struct run_inputs {
	enum check_mode mode;
	const char *target;	/* as typed: domain, host, host:port, address */
	uint16_t port;		/* 0: the target's, else 25 */
	struct smtp_options smtp;	/* EHLO name, TLS name, CA file, deadlines, envelope */
	const char *ip;		/* the public IP when the server does not say it */
	const char *zones_file;	/* NULL: the installed list */
	const char *dqs_key;
	const char *connector[RUN_MAX_CONNECTORS];
	size_t nconnector;
	const char *cert;	/* the on-premises certificate file */
	const char *password;	/* its password, NULL for none; used once, never stored */
	const char *onprem;	/* HOST[:PORT] of the on-premises endpoint, NULL: from the exports */
};

struct run_plan {
	struct check_options co;	/* ready for check_start() */
	struct target t;
	struct dnsbl_list zones;
	bool have_zones;
	char *zones_error;	/* why the blocklist step cannot run, NULL if it can */
	struct diagnosis pre;	/* the exports as read, and why any failed */
	struct onpremcert *oc;	/* the certificate with its key, presented in STARTTLS */
	char *cert_error;
	char onprem_host[300];
	char onprem_note[400];
};

/*
 * Parse and load what in names into p (free with run_plan_free, also after a
 * failure). False with a message in err for what makes the run impossible: a
 * malformed target, a blocklist run without zones, a bad --onprem. Unreadable
 * exports and certificates are not fatal: they become findings.
 */
bool run_plan(struct run_plan *p, const struct run_inputs *in, char *err, size_t errlen);
/* An empty plan, for run_load_inputs() alone (a command that probes nothing). */
void run_plan_init(struct run_plan *p);
/* Load the certificate and the exports of in into p (what run_plan does besides the target). */
void run_load_inputs(struct run_plan *p, const struct run_inputs *in);
/* Move the exports, the certificate facts and the given IP into a finished run. */
void run_complete(struct run_plan *p, struct diagnosis *d);
void run_plan_free(struct run_plan *p);

/* The zones file used when none is named: the installed one, or the source tree's. */
const char *run_default_zones(void);
/* Load the zones of file (NULL: the default) with the DQS key applied; *used names the file. */
bool run_load_zones(const char *file, const char *dqs_key, struct dnsbl_list *zones, const char **used,
    char *err, size_t errlen);

#endif

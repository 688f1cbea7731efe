#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "blocklist.h"
#include "connector.h"
#include "onpremcert.h"
#include "run.h"

#ifndef SRCDIR_ZONES
#define SRCDIR_ZONES ""
#endif

const char *run_default_zones(void)
{
	const char *file = blocklist_default_zones();

	/* Run from the build tree before `make install`. */
	if (access(file, R_OK) != 0 && SRCDIR_ZONES[0] != '\0' && access(SRCDIR_ZONES, R_OK) == 0)
		return SRCDIR_ZONES;
	return file;
}

static bool is_address(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static bool push_str(char ***v, size_t *n, const char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof *nv);

	if (nv == NULL)
		return false;
	*v = nv;
	return (nv[(*n)++] = strdup(s)) != NULL;
}

bool run_load_zones(const char *file, const char *dqs_key, struct dnsbl_list *zones, const char **used,
    char *err, size_t errlen)
{
	if (file == NULL)
		file = run_default_zones();
	if (used != NULL)
		*used = file;
	if (!dnsbl_load_file(file, zones, err, errlen))
		return false;
	if (dqs_key != NULL && !dnsbl_apply_dqs_key(zones, dqs_key)) {
		dnsbl_list_free(zones);
		snprintf(err, errlen, "the DQS key (--dqs-key, --dqs-key-file or HYBRIDTLS_DQS_KEY): letters and digits only");
		return false;
	}
	return true;
}

static bool load_zones(struct run_plan *p, const struct run_inputs *in)
{
	char err[512];

	if (!run_load_zones(in->zones_file, in->dqs_key, &p->zones, &p->co.zones_file, err, sizeof err)) {
		p->zones_error = strdup(err);
		return false;
	}
	p->have_zones = true;
	p->co.zones = &p->zones;
	return true;
}

/* The exports, read before the run: the outbound connector names the on-premises endpoint. */
static void load_connectors(struct run_plan *p, const struct run_inputs *in)
{
	struct diagnosis *d = &p->pre;
	char err[512], *msg;

	for (size_t i = 0; i < in->nconnector; i++) {
		struct connector_set set, *v;
		size_t nfiles = d->nconnectors;

		memset(&set, 0, sizeof set);
		if (!connector_load_file(in->connector[i], &set, err, sizeof err)) {
			if (asprintf(&msg, "%s: %s", in->connector[i], err) >= 0) {
				push_str(&d->connector_errors, &d->nconnector_errors, msg);
				free(msg);
			}
			continue;
		}
		if ((v = realloc(d->connectors, (d->nconnectors + 1) * sizeof *v)) == NULL) {
			connector_set_free(&set);
			continue;
		}
		d->connectors = v;
		d->connectors[d->nconnectors] = set;
		push_str(&d->connector_files, &nfiles, in->connector[i]);
		d->nconnectors++;
	}
}

/* The certificate, loaded and judged before any probe: its key is presented in STARTTLS. */
static void load_cert(struct run_plan *p, const struct run_inputs *in)
{
	char err[512];

	if (in->cert == NULL)
		return;
	if ((p->oc = calloc(1, sizeof *p->oc)) == NULL ||
	    !onpremcert_load(in->cert, in->password, p->oc, err, sizeof err)) {
		if (asprintf(&p->cert_error, "%s: %s", in->cert, p->oc ? err : "out of memory") < 0)
			p->cert_error = NULL;
		free(p->oc);
		p->oc = NULL;
		return;
	}
	onpremcert_check(p->oc, in->smtp.ca_file, time(NULL), err, sizeof err);
	if (p->oc->key != NULL)
		p->co.smtp.client_cert = p->oc;
}

/*
 * The reverse direction: the endpoint named, or the hybrid outbound
 * connector's smart host; the name required is the connector's TlsDomain.
 */
static bool plan_onprem(struct run_plan *p, const struct run_inputs *in, char *err, size_t errlen)
{
	const struct connector *out = NULL;
	char why[256], terr[256];
	struct target t;
	size_t len;

	for (size_t i = 0; i < p->pre.nconnectors && out == NULL; i++)
		out = connector_pick_hybrid(&p->pre.connectors[i], CONNECTOR_EXO_OUTBOUND, why, sizeof why);
	if (in->onprem != NULL) {
		if (!target_parse(in->onprem, &t, terr, sizeof terr)) {
			snprintf(err, errlen, "the on-premises endpoint: %s", terr);
			return false;
		}
		snprintf(p->onprem_host, sizeof p->onprem_host, "%s", t.host);
		p->co.onprem_port = t.port;
		snprintf(p->onprem_note, sizeof p->onprem_note, "the on-premises endpoint given with --onprem");
	} else if (p->co.mode == CHECK_FULL && out != NULL && out->smart_hosts.n > 0) {
		snprintf(p->onprem_host, sizeof p->onprem_host, "%s", out->smart_hosts.v[0]);
		snprintf(p->onprem_note, sizeof p->onprem_note, "the smart host of the outbound connector %s",
		    out->name ? out->name : "?");
	} else
		return true;
	p->co.onprem_host = p->onprem_host;
	p->co.onprem_note = p->onprem_note;
	if (out != NULL && out->tls_domain != NULL) {
		p->co.onprem_tls_name = out->tls_domain;
		len = strlen(p->onprem_note);
		snprintf(p->onprem_note + len, sizeof p->onprem_note - len, "; TlsDomain %s from %s",
		    out->tls_domain, out->name ? out->name : "the outbound connector");
	}
	return true;
}

void run_plan_init(struct run_plan *p)
{
	memset(p, 0, sizeof *p);
	diagnosis_init(&p->pre);
}

bool run_plan(struct run_plan *p, const struct run_inputs *in, char *err, size_t errlen)
{
	const char *what;

	run_plan_init(p);
	p->co.mode = in->mode;
	if (in->target == NULL || !target_parse(in->target, &p->t, err, errlen))
		return in->target != NULL ? false : (snprintf(err, errlen, "no target given"), false);
	what = in->mode == CHECK_BLOCKLIST ? "an IPv4 or IPv6 address" : "a domain name";
	if ((in->mode == CHECK_BLOCKLIST && !is_address(p->t.host)) ||
	    (in->mode == CHECK_DNS && (p->t.port != 0 || is_address(p->t.host)))) {
		snprintf(err, errlen, "'%s' is not %s", in->target, what);
		return false;
	}
	p->co.smtp = in->smtp;
	p->co.smtp.host = p->t.host;
	p->co.smtp.port = in->port ? in->port : p->t.port ? p->t.port : 25;
	p->co.target = p->t.host;
	p->co.port_given = p->t.port != 0;
	p->co.ip = in->ip;
	p->co.dns_timeout_ms = in->smtp.phase_timeout_ms > 0 && in->smtp.phase_timeout_ms < 5000 ?
	    in->smtp.phase_timeout_ms : 0;
	if ((in->mode == CHECK_BLOCKLIST || in->mode == CHECK_FULL) && !load_zones(p, in) &&
	    in->mode == CHECK_BLOCKLIST) {
		snprintf(err, errlen, "%s", p->zones_error);
		return false;
	}
	run_load_inputs(p, in);
	return plan_onprem(p, in, err, errlen);
}

void run_load_inputs(struct run_plan *p, const struct run_inputs *in)
{
	load_cert(p, in);
	load_connectors(p, in);
}

void run_complete(struct run_plan *p, struct diagnosis *d)
{
	if (p->co.ip != NULL && d->given_ip == NULL)
		d->given_ip = strdup(p->co.ip);
	d->connectors = p->pre.connectors;
	d->connector_files = p->pre.connector_files;
	d->nconnectors = p->pre.nconnectors;
	d->connector_errors = p->pre.connector_errors;
	d->nconnector_errors = p->pre.nconnector_errors;
	p->pre.connectors = NULL;
	p->pre.connector_files = p->pre.connector_errors = NULL;
	p->pre.nconnectors = p->pre.nconnector_errors = 0;
	if (p->cert_error != NULL)
		d->cert_error = strdup(p->cert_error);
	else if (p->oc != NULL && (d->cert = calloc(1, sizeof *d->cert)) != NULL)
		onpremcert_facts_take(p->oc, d->cert);
}

void run_plan_free(struct run_plan *p)
{
	if (p->oc != NULL)
		onpremcert_free(p->oc);
	free(p->oc);
	free(p->cert_error);
	free(p->zones_error);
	if (p->have_zones)
		dnsbl_list_free(&p->zones);
	diagnosis_free(&p->pre);
	memset(p, 0, sizeof *p);
}

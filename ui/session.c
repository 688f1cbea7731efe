#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "connector.h"
#include "kb.h"
#include "onpremcert.h"
#include "rules.h"
#include "session.h"

#define BIT(st) (1u << (st))
#define SMTP_STEPS (BIT(STEP_SMTP) | BIT(STEP_TLS))

static const char *const titles[STEP_COUNT] = {
	"Connect & EHLO", "STARTTLS & certificate", "Blocklists", "Connector",
	"On-premises endpoint", "DNS records", "Summary",
};
static const char *const shorts[STEP_COUNT] = {
	"Connect", "TLS", "Blocklists", "Connector", "On-prem", "DNS", "Summary",
};

const char *step_title(enum step st)
{
	return st < STEP_COUNT ? titles[st] : "?";
}

const char *step_short(enum step st)
{
	return st < STEP_COUNT ? shorts[st] : "?";
}

static bool prefixed(const char *id, const char *p)
{
	return strncmp(id, p, strlen(p)) == 0;
}

enum step step_of_finding(const struct finding *f)
{
	const char *id = f->kb->id;

	if (strcmp(id, "cause.smtp-inspection") == 0)
		return STEP_SMTP;
	if (strcmp(id, "cause.blocklisted-ip") == 0)
		return STEP_BLOCKLIST;
	if (strcmp(id, "cause.receive-connector-certificate") == 0 || prefixed(id, "cause.onprem-"))
		return STEP_ONPREM;
	if (strcmp(id, "cause.connector-not-used") == 0)
		return STEP_CONNECTOR;
	if (prefixed(id, "tls.") || prefixed(id, "smtp.starttls-") || prefixed(id, "smtp.tls-") ||
	    strcmp(id, "smtp.ehlo-tls-failed") == 0 || prefixed(id, "middlebox.starttls-") ||
	    strcmp(id, "middlebox.tls-broken") == 0)
		return STEP_TLS;
	if (prefixed(id, "smtp.") || prefixed(id, "middlebox."))
		return STEP_SMTP;
	if (prefixed(id, "dnsbl."))
		return STEP_BLOCKLIST;
	if (prefixed(id, "connector.") || prefixed(id, "onpremcert."))
		return STEP_CONNECTOR;
	if (prefixed(id, "onprem."))
		return STEP_ONPREM;
	if (prefixed(id, "dns."))
		return STEP_DNS;
	return STEP_SUMMARY;
}

void session_init(struct session *s, struct engine *e)
{
	memset(s, 0, sizeof *s);
	s->e = e;
	diagnosis_init(&s->d);
}

static struct session_job *full_job(const struct session *s)
{
	for (size_t i = 0; i < SESSION_JOBS; i++)
		if (s->job[i].c != NULL && s->job[i].full)
			return (struct session_job *)&s->job[i];
	return NULL;
}

void session_view(const struct session *s, struct diagnosis *out)
{
	const struct session_job *j = full_job(s);

	if (j == NULL) {
		*out = s->d;
		return;
	}
	/* The run's facts so far with its inputs, which join them only at the end. */
	*out = *check_diagnosis(j->c);
	out->connectors = s->plan.pre.connectors;
	out->nconnectors = s->plan.pre.nconnectors;
	out->connector_files = s->plan.pre.connector_files;
	out->connector_errors = s->plan.pre.connector_errors;
	out->nconnector_errors = s->plan.pre.nconnector_errors;
	out->cert = s->plan.oc != NULL ? &s->plan.oc->facts : NULL;
	out->cert_error = s->plan.cert_error;
	out->given_ip = (char *)s->plan.co.ip;
}

static const struct dnsbl_list *judging_zones(struct session *s)
{
	if (s->planned && s->plan.have_zones)
		return &s->plan.zones;
	if (!s->have_zones) {
		char err[256];

		s->have_zones = dnsbl_load_file(run_default_zones(), &s->zones, err, sizeof err);
	}
	return s->have_zones ? &s->zones : NULL;
}

static unsigned has_bits(const struct diagnosis *d)
{
	return (d->has_smtp ? 1u : 0) | (d->has_dns ? 2u : 0) | (d->has_dnsbl ? 4u : 0) |
	    (d->has_onprem ? 8u : 0);
}

static void judge(struct session *s)
{
	struct diagnosis v;

	session_view(s, &v);
	findings_free(&s->fs);
	rules_all(&v, judging_zones(s), &s->fs);
	findings_sort(&s->fs);
	s->seen = has_bits(&v);
	s->gen++;
}

static void on_job_done(void *arg, struct check *c)
{
	struct session_job *j = arg;

	(void)c;
	j->finished = true;
}

static struct session_job *free_slot(struct session *s)
{
	for (size_t i = 0; i < SESSION_JOBS; i++)
		if (s->job[i].c == NULL)
			return &s->job[i];
	return NULL;
}

static void stop_all(struct session *s)
{
	for (size_t i = 0; i < SESSION_JOBS; i++) {
		check_free(s->job[i].c);
		memset(&s->job[i], 0, sizeof s->job[i]);
	}
}

void session_free(struct session *s)
{
	stop_all(s);
	if (s->planned)
		run_plan_free(&s->plan);
	if (s->have_zones)
		dnsbl_list_free(&s->zones);
	diagnosis_free(&s->d);
	findings_free(&s->fs);
	free(s->source);
	free(s->typed_ips);
	free(s->typed_cert);
	memset(s, 0, sizeof *s);
}

/* Start from nothing: no results, no checks. */
static void reset(struct session *s)
{
	stop_all(s);
	if (s->planned)
		run_plan_free(&s->plan);
	s->planned = false;
	diagnosis_free(&s->d);
	diagnosis_init(&s->d);
	s->have_d = false;
	findings_free(&s->fs);
	s->gen++;
	s->cancelled = 0;
	s->replay = false;
	free(s->source);
	s->source = NULL;
	s->seen = 0;
	free(s->typed_ips);
	free(s->typed_cert);
	s->typed_ips = s->typed_cert = NULL;
}

static bool is_address(const char *h)
{
	unsigned char b[16];

	return inet_pton(AF_INET, h, b) == 1 || inet_pton(AF_INET6, h, b) == 1;
}

static unsigned full_steps(const struct run_plan *p)
{
	unsigned m = BIT(STEP_SUMMARY);
	bool domain = !p->co.port_given && !is_address(p->co.target);

	if (p->co.mode == CHECK_FULL || p->co.mode == CHECK_SMTP)
		m |= SMTP_STEPS;
	if ((p->co.mode == CHECK_FULL && domain) || p->co.mode == CHECK_DNS)
		m |= BIT(STEP_DNS);
	if (p->co.zones != NULL)
		m |= BIT(STEP_BLOCKLIST);
	if (p->pre.nconnectors > 0 || p->pre.nconnector_errors > 0 || p->oc != NULL || p->cert_error != NULL)
		m |= BIT(STEP_CONNECTOR);
	if (p->co.onprem_host != NULL)
		m |= BIT(STEP_ONPREM);
	return m;
}

bool session_start(struct session *s, const struct run_inputs *in, char *err, size_t errlen)
{
	struct session_job *j;

	reset(s);
	s->in = *in;
	if (!run_plan(&s->plan, in, err, errlen)) {
		run_plan_free(&s->plan);
		return false;
	}
	s->planned = true;
	j = &s->job[0];
	if ((j->c = check_start(s->e, &s->plan.co, on_job_done, j)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	j->full = true;
	j->steps = full_steps(&s->plan);
	j->started_ms = s->started_ms = clock_now_ms();
	s->finished_ms = 0;
	if (asprintf(&s->source, "%s", s->plan.co.target) < 0)
		s->source = NULL;
	judge(s);
	return true;
}

void session_load(struct session *s, struct diagnosis *d, const char *source)
{
	reset(s);
	s->d = *d;
	diagnosis_init(d);
	s->have_d = true;
	s->replay = true;
	s->source = strdup(source);
	s->started_ms = s->finished_ms = clock_now_ms();
	judge(s);
}

static void swap_bytes(void *a, void *b, size_t n)
{
	unsigned char t[1024], *x = a, *y = b;

	while (n > 0) {
		size_t k = n < sizeof t ? n : sizeof t;

		memcpy(t, x, k);
		memcpy(x, y, k);
		memcpy(y, t, k);
		x += k, y += k, n -= k;
	}
}
#define SWAP(a, b) swap_bytes(&(a), &(b), sizeof(a))

/* Move what a step re-run found into the session's diagnosis. */
static void splice(struct session *s, struct diagnosis *t)
{
	if (t->has_smtp) {
		SWAP(s->d.smtp, t->smtp);
		s->d.has_smtp = true;
		if (t->probe_note != NULL)
			SWAP(s->d.probe_note, t->probe_note);
		if (t->ip_source != NULL)
			SWAP(s->d.ip_source, t->ip_source);
	}
	if (t->has_dns) {
		SWAP(s->d.dns, t->dns);
		s->d.has_dns = true;
	}
	if (t->has_dnsbl) {
		SWAP(s->d.bl, t->bl);
		s->d.has_dnsbl = true;
	}
	if (t->has_onprem) {
		SWAP(s->d.onprem, t->onprem);
		if (t->onprem_note != NULL)
			SWAP(s->d.onprem_note, t->onprem_note);
		s->d.has_onprem = true;
	}
}

/* The steps a finished or stopped check filled. */
static unsigned filled(const struct diagnosis *d, unsigned asked)
{
	unsigned m = BIT(STEP_SUMMARY) | BIT(STEP_CONNECTOR);

	if (d->has_smtp)
		m |= SMTP_STEPS;
	if (d->has_dns)
		m |= BIT(STEP_DNS);
	if (d->has_dnsbl)
		m |= BIT(STEP_BLOCKLIST);
	if (d->has_onprem)
		m |= BIT(STEP_ONPREM);
	return m & asked;
}

static bool add_typed(struct session *s, char *err, size_t errlen);

/*
 * A step re-run that brought a (new) public IP, the server now naming it:
 * the steps judged for the old one, or for none, follow by themselves
 * (blocklists; reverse DNS and SPF in the DNS step).
 */
static void follow_public_ip(struct session *s)
{
	const char *ip = diagnosis_public_ip(&s->d);
	char err[200];

	if (ip == NULL)
		return;
	if (s->plan.have_zones && s->plan.co.zones != NULL && (!s->d.has_dnsbl || strcmp(s->d.bl.ip, ip) != 0))
		(void)session_rerun(s, STEP_BLOCKLIST, err, sizeof err);
	if (s->d.has_dns && strcmp(s->d.dns.ip, ip) != 0)
		(void)session_rerun(s, STEP_DNS, err, sizeof err);
}

/* Take a check's facts (finished or not) into the session and drop the check. */
static void collect(struct session *s, struct session_job *j, bool stopped)
{
	struct diagnosis t;
	bool full = j->full, smtp = !j->full && (j->steps & SMTP_STEPS) != 0 && !stopped;

	check_take(j->c, &t);
	check_free(j->c);
	j->c = NULL;
	if (stopped)
		s->cancelled |= j->steps & ~filled(&t, j->steps);
	else
		s->cancelled &= ~j->steps;
	if (j->full) {
		run_complete(&s->plan, &t);
		diagnosis_free(&s->d);
		s->d = t;
		s->have_d = true;
	} else {
		splice(s, &t);
		diagnosis_free(&t);
	}
	memset(j, 0, sizeof *j);
	/* A whole run starts from the exports alone: the typed values join it again. */
	if (full && s->typed_ips != NULL) {
		char err[200];

		(void)add_typed(s, err, sizeof err);
	}
	if (smtp)
		follow_public_ip(s);
	if (!session_busy(s))
		s->finished_ms = clock_now_ms();
}

bool session_update(struct session *s)
{
	bool changed = false;
	struct diagnosis v;

	for (size_t i = 0; i < SESSION_JOBS; i++)
		if (s->job[i].c != NULL && s->job[i].finished) {
			collect(s, &s->job[i], false);
			changed = true;
		}
	session_view(s, &v);
	if (changed || has_bits(&v) != s->seen)
		judge(s), changed = true;
	return changed;
}

bool session_busy(const struct session *s)
{
	for (size_t i = 0; i < SESSION_JOBS; i++)
		if (s->job[i].c != NULL)
			return true;
	return false;
}

bool session_add_connectors(struct session *s, struct connector_set *set, const char *label, char *err,
    size_t errlen)
{
	struct connector_set *v;
	char **files;

	if (full_job(s) != NULL || !s->have_d) {
		snprintf(err, errlen, "Wait for the run to finish first.");
		return false;
	}
	v = realloc(s->d.connectors, (s->d.nconnectors + 1) * sizeof *v);
	if (v == NULL)
		return snprintf(err, errlen, "out of memory"), false;
	s->d.connectors = v;
	files = realloc(s->d.connector_files, (s->d.nconnectors + 1) * sizeof *files);
	if (files == NULL)
		return snprintf(err, errlen, "out of memory"), false;
	s->d.connector_files = files;
	files[s->d.nconnectors] = strdup(label);
	v[s->d.nconnectors++] = *set;
	memset(set, 0, sizeof *set);
	judge(s);
	return true;
}

static bool add_typed(struct session *s, char *err, size_t errlen)
{
	struct connector_set set;

	if (!connector_typed(&set, s->typed_ips, s->typed_cert, err, errlen) ||
	    !session_add_connectors(s, &set, "typed in the wizard", err, errlen)) {
		connector_set_free(&set);
		return false;
	}
	return true;
}

bool session_add_typed(struct session *s, const char *sender_ips, const char *cert_name, char *err,
    size_t errlen)
{
	char *old_ips = s->typed_ips, *old_cert = s->typed_cert;
	bool ok;

	/* The new values replace the kept ones only when they are taken. */
	s->typed_ips = strdup(sender_ips != NULL ? sender_ips : "");
	s->typed_cert = strdup(cert_name != NULL ? cert_name : "");
	ok = s->typed_ips != NULL && s->typed_cert != NULL && add_typed(s, err, errlen);
	if (!ok && (s->typed_ips == NULL || s->typed_cert == NULL))
		snprintf(err, errlen, "out of memory");
	if (ok) {
		free(old_ips);
		free(old_cert);
	} else {
		free(s->typed_ips);
		free(s->typed_cert);
		s->typed_ips = old_ips;
		s->typed_cert = old_cert;
	}
	return ok;
}

void session_cancel(struct session *s, enum step st)
{
	bool any = false;

	for (size_t i = 0; i < SESSION_JOBS; i++)
		if (s->job[i].c != NULL && (st == STEP_SUMMARY || (s->job[i].steps & BIT(st)))) {
			collect(s, &s->job[i], true);
			any = true;
		}
	if (any)
		judge(s);
}

/* The public IP the blocklists and the PTR are judged for. */
static const char *public_ip(const struct session *s)
{
	if (diagnosis_public_ip(&s->d) != NULL)
		return diagnosis_public_ip(&s->d);
	if (s->planned && s->plan.co.ip != NULL)
		return s->plan.co.ip;
	if (s->d.bl.ip[0] != '\0')
		return s->d.bl.ip;
	return NULL;
}

bool session_rerun(struct session *s, enum step st, char *err, size_t errlen)
{
	struct check_options co;
	struct session_job *j;
	const char *ip = public_ip(s);

	if (s->replay) {
		snprintf(err, errlen, "This is a capture: its facts are fixed. Start a live check from the "
		    "first screen to test again.");
		return false;
	}
	if (!s->planned) {
		snprintf(err, errlen, "Nothing has been checked yet.");
		return false;
	}
	if (st == STEP_SUMMARY) {
		/* The same check again: what was typed for it still holds. */
		char *ips = s->typed_ips, *cert = s->typed_cert;
		bool ok;

		s->typed_ips = s->typed_cert = NULL;
		ok = session_start(s, &s->in, err, errlen);
		free(s->typed_ips);
		free(s->typed_cert);
		s->typed_ips = ips;
		s->typed_cert = cert;
		return ok;
	}
	for (size_t i = 0; i < SESSION_JOBS; i++)
		if (s->job[i].c != NULL && (s->job[i].steps & BIT(st))) {
			snprintf(err, errlen, "%s is still running (c cancels it).", step_title(st));
			return false;
		}
	if (full_job(s) != NULL) {
		snprintf(err, errlen, "The whole run is still going; wait for it or cancel it first.");
		return false;
	}
	if ((j = free_slot(s)) == NULL) {
		snprintf(err, errlen, "Too many checks running; wait for one to finish.");
		return false;
	}
	co = s->plan.co;
	co.zones = NULL;
	co.onprem_host = NULL;
	co.ip = NULL;
	switch (st) {
	case STEP_SMTP:
	case STEP_TLS:
		if (s->d.has_smtp && s->d.smtp.host != NULL && s->d.smtp.host[0] != '\0') {
			snprintf(j->target, sizeof j->target, "%s", s->d.smtp.host);
			co.mode = CHECK_SMTP;
			co.smtp.port = s->d.smtp.port;
			j->steps = SMTP_STEPS;
		} else {
			/* The MX was not known: look it up again on the way. */
			snprintf(j->target, sizeof j->target, "%s", s->plan.co.target);
			co.mode = CHECK_FULL;
			j->steps = SMTP_STEPS | BIT(STEP_DNS);
		}
		co.target = co.smtp.host = j->target;
		break;
	case STEP_BLOCKLIST:
		if (ip == NULL) {
			snprintf(err, errlen, "No public IP is known: the server did not name a public address "
			    "for this client. Press i to type it.");
			return false;
		}
		if (!s->plan.have_zones) {
			snprintf(err, errlen, "No blocklist zones: %s",
			    s->plan.zones_error ? s->plan.zones_error : "none loaded");
			return false;
		}
		snprintf(j->target, sizeof j->target, "%s", ip);
		co.mode = CHECK_BLOCKLIST;
		co.target = j->target;
		co.zones = &s->plan.zones;
		j->steps = BIT(STEP_BLOCKLIST);
		break;
	case STEP_DNS:
		if (s->plan.co.port_given || is_address(s->plan.co.target)) {
			snprintf(err, errlen, "The target is a host, not a domain: there are no domain records "
			    "to check.");
			return false;
		}
		co.mode = CHECK_DNS;
		if (ip != NULL) {
			snprintf(j->ip, sizeof j->ip, "%s", ip);
			co.ip = j->ip;
		}
		j->steps = BIT(STEP_DNS);
		break;
	case STEP_ONPREM:
		if (s->plan.co.onprem_host == NULL) {
			snprintf(err, errlen, "No on-premises endpoint: name it on the first screen, or give the "
			    "outbound connector's export.");
			return false;
		}
		co.mode = CHECK_ONPREM;
		co.onprem_host = s->plan.co.onprem_host;
		j->steps = BIT(STEP_ONPREM);
		break;
	case STEP_CONNECTOR:
	default:
		snprintf(err, errlen, "This step reads the exports and the certificate; there is nothing to "
		    "run. Change them on the first screen.");
		return false;
	}
	if ((j->c = check_start(s->e, &co, on_job_done, j)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	s->cancelled &= ~j->steps;
	j->started_ms = s->started_ms = clock_now_ms();
	s->finished_ms = 0;
	return true;
}

const struct smtp_facts *session_smtp(const struct session *s, bool onprem)
{
	for (size_t i = 0; i < SESSION_JOBS; i++) {
		struct check_progress p;

		if (s->job[i].c == NULL)
			continue;
		check_progress(s->job[i].c, &p);
		if (onprem ? p.onprem != NULL && p.onprem_running : p.smtp != NULL && p.smtp_running)
			return onprem ? p.onprem : p.smtp;
	}
	if (onprem)
		return s->d.has_onprem ? &s->d.onprem : NULL;
	return s->d.has_smtp ? &s->d.smtp : NULL;
}

enum step_state session_state(const struct session *s, enum step st)
{
	for (size_t i = 0; i < SESSION_JOBS; i++) {
		const struct session_job *j = &s->job[i];
		struct check_progress p;
		const struct diagnosis *d;

		if (j->c == NULL || !(j->steps & BIT(st)))
			continue;
		check_progress(j->c, &p);
		d = check_diagnosis(j->c);
		switch (st) {
		case STEP_SMTP:
		case STEP_TLS:
			if (p.smtp_running)
				return ST_RUNNING;
			if (!d->has_smtp && p.dns_running)
				return ST_WAITING;	/* for the MX */
			break;
		case STEP_BLOCKLIST:
			if (p.bl_running)
				return ST_RUNNING;
			if (!d->has_dnsbl && (p.smtp_running || p.dns_running))
				return ST_WAITING;	/* for the public IP */
			break;
		case STEP_DNS:
			if (p.dns_running)
				return ST_RUNNING;
			break;
		case STEP_ONPREM:
			if (p.onprem_running)
				return ST_RUNNING;
			break;
		case STEP_CONNECTOR:
			return ST_WAITING;	/* for the public IP the server names */
		default:
			return ST_RUNNING;
		}
	}
	if (s->cancelled & BIT(st))
		return ST_CANCELLED;
	if (!s->have_d && !session_busy(s))
		return ST_NOT_RUN;
	switch (st) {
	case STEP_SMTP:
	case STEP_TLS:
		return s->d.has_smtp ? ST_DONE : ST_NOT_RUN;
	case STEP_BLOCKLIST:
		return s->d.has_dnsbl ? ST_DONE : ST_NOT_RUN;
	case STEP_DNS:
		return s->d.has_dns ? ST_DONE : ST_NOT_RUN;
	case STEP_ONPREM:
		return s->d.has_onprem ? ST_DONE : ST_NOT_RUN;
	case STEP_CONNECTOR:
		return s->d.nconnectors > 0 || s->d.nconnector_errors > 0 || s->d.cert != NULL ||
		    s->d.cert_error != NULL ? ST_DONE : ST_NOT_RUN;
	default:
		return session_busy(s) ? ST_RUNNING : s->have_d ? ST_DONE : ST_NOT_RUN;
	}
}

enum severity session_worst(const struct session *s, enum step st)
{
	static const int rank[] = { [SEV_OK] = 0, [SEV_INFO] = 1, [SEV_UNTESTED] = 2,
	    [SEV_WARNING] = 3, [SEV_FAILURE] = 4 };
	enum severity w = SEV_OK;

	for (size_t i = 0; i < s->fs.n; i++)
		if ((st == STEP_SUMMARY || step_of_finding(&s->fs.v[i]) == st) &&
		    rank[s->fs.v[i].sev] > rank[w])
			w = s->fs.v[i].sev;
	return w;
}

int64_t session_elapsed(const struct session *s)
{
	if (s->started_ms == 0)
		return 0;
	return (s->finished_ms ? s->finished_ms : clock_now_ms()) - s->started_ms;
}

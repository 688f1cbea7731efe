/* The wizard's model without a screen: which step each finding belongs to, a replayed diagnosis. */
#include "config.h"

#include <criterion/criterion.h>
#include <string.h>

#include "engine.h"
#include "kb.h"
#include "session.h"

/* Every finding the knowledge base knows lands on the step that tests it. */
Test(session, every_finding_has_a_step)
{
	for (size_t i = 0; i < kb_count; i++) {
		struct finding f = { .kb = &kb_entries[i] };
		enum step st = step_of_finding(&f);
		const char *id = kb_entries[i].id;

		cr_assert(st < STEP_COUNT, "%s", id);
		if (strncmp(id, "compare.", 8) != 0)
			cr_assert_neq(st, STEP_SUMMARY, "%s has no step of its own", id);
	}
}

Test(session, steps_of_typical_findings)
{
	static const struct {
		const char *id;
		enum step st;
	} cases[] = {
		{ "smtp.connect-failed", STEP_SMTP },
		{ "smtp.starttls-missing", STEP_TLS },
		{ "middlebox.banner-masked", STEP_SMTP },
		{ "middlebox.starttls-masked", STEP_TLS },
		{ "tls.cert-expired", STEP_TLS },
		{ "dnsbl.listed", STEP_BLOCKLIST },
		{ "connector.ip-not-listed", STEP_CONNECTOR },
		{ "onpremcert.expired", STEP_CONNECTOR },
		{ "onprem.exo-will-fail", STEP_ONPREM },
		{ "dns.mx-elsewhere", STEP_DNS },
		{ "cause.smtp-inspection", STEP_SMTP },
		{ "cause.blocklisted-ip", STEP_BLOCKLIST },
		{ "cause.receive-connector-certificate", STEP_ONPREM },
		{ "cause.onprem-cert-not-bound", STEP_ONPREM },
		{ "cause.onprem-cert-untrusted", STEP_ONPREM },
		{ "cause.connector-not-used", STEP_CONNECTOR },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct kb_entry *kb = kb_find(cases[i].id);
		struct finding f = { .kb = kb };

		cr_assert_not_null(kb, "%s", cases[i].id);
		cr_assert_eq(step_of_finding(&f), cases[i].st, "%s", cases[i].id);
	}
}

/* A loaded diagnosis: judged at once, nothing running, each step's state from what it holds. */
Test(session, a_loaded_diagnosis_is_judged)
{
	struct engine_options eo = { 0 };
	char *cause = NULL;
	struct engine *e = engine_new(&eo, &cause);
	struct session s;
	struct diagnosis d;
	char err[200];

	cr_assert_not_null(e, "%s", cause ? cause : "");
	session_init(&s, e);
	diagnosis_init(&d);
	d.target = strdup("contoso.com");
	d.has_smtp = true;
	d.smtp.end = END_CONNECT_FAILED;
	d.smtp.host = strdup("contoso-com.mail.protection.outlook.com");
	session_load(&s, &d, "capture.json");
	cr_assert(!session_busy(&s));
	cr_assert(s.replay);
	cr_assert_eq(session_state(&s, STEP_SMTP), ST_DONE);
	cr_assert_eq(session_state(&s, STEP_DNS), ST_NOT_RUN);
	cr_assert_eq(session_state(&s, STEP_BLOCKLIST), ST_NOT_RUN);
	cr_assert_gt(s.fs.n, 0);
	cr_assert_eq(session_worst(&s, STEP_SMTP), SEV_FAILURE);
	/* A capture's facts are fixed: no step runs again. */
	cr_assert(!session_rerun(&s, STEP_SMTP, err, sizeof err));
	cr_assert(strstr(err, "capture") != NULL, "%s", err);
	session_free(&s);
	engine_free(e);
}

#include "config.h"

#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kb.h"
#include "testutil.h"

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	cr_assert_not_null(d);
	return d;
}

void set_reply(struct smtp_reply_facts *r, int code, int64_t ms, ...)
{
	va_list ap;
	const char *s;

	smtp_reply_facts_free(r);
	r->code = code;
	r->ms = ms;
	va_start(ap, ms);
	while ((s = va_arg(ap, const char *)) != NULL) {
		r->lines = realloc(r->lines, (r->nlines + 1) * sizeof *r->lines);
		cr_assert_not_null(r->lines);
		r->lines[r->nlines++] = xstrdup(s);
	}
	va_end(ap);
}

void dump_findings(const struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		cr_log_info("%s [%s] %s", fs->v[i].kb->id, severity_name(fs->v[i].sev),
		    fs->v[i].summary);
		for (size_t j = 0; j < fs->v[i].nevidence; j++)
			cr_log_info("    %s", fs->v[i].evidence[j]);
	}
}

const struct finding *want(const struct findings *fs, const char *id, enum severity sev)
{
	const struct finding *fd = findings_get(fs, id);

	cr_assert_not_null(fd, "no finding %s", id);
	cr_assert_eq(fd->sev, sev, "%s is %s, expected %s", id, severity_name(fd->sev),
	    severity_name(sev));
	cr_assert_not_null(fd->summary);
	return fd;
}

void unwanted(const struct findings *fs, const char *id)
{
	const struct finding *fd = findings_get(fs, id);

	cr_assert_null(fd, "unexpected finding %s: %s", id, fd ? fd->summary : "");
}

bool evidence_has(const struct finding *fd, const char *s)
{
	for (size_t i = 0; i < fd->nevidence; i++)
		if (strstr(fd->evidence[i], s) != NULL)
			return true;
	return false;
}

void want_evidence(const struct finding *fd, const char *s)
{
	cr_assert(evidence_has(fd, s), "%s: no evidence line contains '%s'", fd->kb->id, s);
}

void want_summary(const struct finding *fd, const char *s)
{
	cr_assert_not_null(strstr(fd->summary, s), "%s: summary '%s' does not contain '%s'",
	    fd->kb->id, fd->summary, s);
}

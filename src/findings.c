#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "kb.h"
#include "textutil.h"

/* Summaries and evidence quote what servers sent: keep them terminal-safe. */
static char *vfmt(const char *fmt, va_list ap)
{
	char *s, *safe;
	int n;

	if ((n = vasprintf(&s, fmt, ap)) < 0)
		return NULL;
	safe = text_escape(s, (size_t)n);
	free(s);
	return safe;
}

struct finding *findings_add(struct findings *fs, const char *id, const char *fmt, ...)
{
	const struct kb_entry *kb = kb_find(id);
	struct finding *f;
	va_list ap;

	if (kb == NULL) {
		fprintf(stderr, "internal error: unknown finding id '%s'\n", id);
		abort();
	}
	if (fs->n == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 16;
		struct finding *v = realloc(fs->v, cap * sizeof *v);

		if (v == NULL)
			abort();
		fs->v = v;
		fs->cap = cap;
	}
	f = &fs->v[fs->n++];
	memset(f, 0, sizeof *f);
	f->kb = kb;
	f->sev = kb->sev;
	va_start(ap, fmt);
	f->summary = vfmt(fmt, ap);
	va_end(ap);
	return f;
}

void finding_evidence(struct finding *f, const char *fmt, ...)
{
	char **v, *s;
	va_list ap;

	va_start(ap, fmt);
	s = vfmt(fmt, ap);
	va_end(ap);
	if (s == NULL)
		return;
	if ((v = realloc(f->evidence, (f->nevidence + 1) * sizeof *v)) == NULL) {
		free(s);
		return;
	}
	f->evidence = v;
	f->evidence[f->nevidence++] = s;
}

const struct finding *findings_get(const struct findings *fs, const char *id)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].kb->id, id) == 0)
			return &fs->v[i];
	return NULL;
}

void findings_free(struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->v[i].summary);
		for (size_t j = 0; j < fs->v[i].nevidence; j++)
			free(fs->v[i].evidence[j]);
		free(fs->v[i].evidence);
	}
	free(fs->v);
	memset(fs, 0, sizeof *fs);
}

/* Failures first, then could-not-test, warnings, info, ok. */
static int rank(enum severity s)
{
	switch (s) {
	case SEV_FAILURE: return 0;
	case SEV_UNTESTED: return 1;
	case SEV_WARNING: return 2;
	case SEV_INFO: return 3;
	case SEV_OK: return 4;
	}
	return 5;
}

void findings_sort(struct findings *fs)
{
	/* Insertion sort: stable, and lists are short. */
	for (size_t i = 1; i < fs->n; i++) {
		struct finding tmp = fs->v[i];
		size_t j = i;

		while (j > 0 && (fs->v[j - 1].root ? 0 : 1 + rank(fs->v[j - 1].sev)) >
		    (tmp.root ? 0 : 1 + rank(tmp.sev))) {
			fs->v[j] = fs->v[j - 1];
			j--;
		}
		fs->v[j] = tmp;
	}
}

int findings_exit_status(const struct findings *fs)
{
	bool warn = false, untested = false;

	for (size_t i = 0; i < fs->n; i++) {
		switch (fs->v[i].sev) {
		case SEV_FAILURE: return 2;
		case SEV_WARNING: warn = true; break;
		case SEV_UNTESTED: untested = true; break;
		default: break;
		}
	}
	return warn ? 1 : untested ? 3 : 0;
}

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_OK: return "ok";
	case SEV_INFO: return "info";
	case SEV_WARNING: return "warning";
	case SEV_FAILURE: return "failure";
	case SEV_UNTESTED: return "could not test";
	}
	return "?";
}

const char *severity_label(enum severity s)
{
	switch (s) {
	case SEV_OK: return "OK";
	case SEV_INFO: return "INFO";
	case SEV_WARNING: return "WARN";
	case SEV_FAILURE: return "FAIL";
	case SEV_UNTESTED: return "UNTESTED";
	}
	return "?";
}

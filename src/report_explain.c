#include "config.h"

/*
 * The text presenter of `hybridtls explain`: renders an explain_result for a
 * person, the reply to act on first. Plain ASCII, wrapped at a given width.
 */

#include <stdbool.h>
#include <string.h>

#include "explain.h"

#define MAX_SEEN (EXPLAIN_REPLIES_MAX + EXPLAIN_SIGNALS_MAX + 2)

/* Entries already explained in full, so later mentions only point back. */
struct seen {
	const struct explain_entry *v[MAX_SEEN];
	size_t n;
};

static bool seen_has(const struct seen *s, const struct explain_entry *e)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == e)
			return true;
	return false;
}

static void seen_add(struct seen *s, const struct explain_entry *e)
{
	if (e != NULL && !seen_has(s, e) && s->n < MAX_SEEN)
		s->v[s->n++] = e;
}

/*
 * Print indent spaces and lead, then text wrapped at width; continuation
 * lines line up under the text. A word longer than the line stands alone.
 */
static void wrap(FILE *out, int indent, const char *lead, const char *text, int width)
{
	int hang = indent + (int)strlen(lead), col;
	const char *p = text;

	fprintf(out, "%*s%s", indent, "", lead);
	col = hang;
	while (*p == ' ')
		p++;
	bool first = true;
	while (*p != '\0') {
		size_t w = strcspn(p, " ");

		if (!first && col + 1 + (int)w > width) {
			fprintf(out, "\n%*s", hang, "");
			col = hang;
		} else if (!first) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, w, out);
		col += (int)w;
		first = false;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', out);
}

/* "the remote server, quoted inside the reply of the on-premises server". */
static void said_by(FILE *out, const struct explain_result *r, const struct explain_reply *rp,
    int width)
{
	char buf[512];
	size_t k;

	k = (size_t)snprintf(buf, sizeof buf, "%s", explain_side_phrase(rp->side));
	if (rp->parent >= 0 && (size_t)rp->parent < r->nreplies) {
		const struct explain_reply *pp = &r->replies[rp->parent];

		k += (size_t)snprintf(buf + k, sizeof buf - k, ", quoted inside the %d%s%s reply of %s",
		    pp->code, pp->esc[0] ? " " : "", pp->esc, explain_side_phrase(pp->side));
	}
	if (k < sizeof buf && rp->entry != NULL && rp->entry->side != EXPLAIN_SIDE_UNKNOWN &&
	    rp->entry->side != rp->side)
		snprintf(buf + k, sizeof buf - k, "; this wording is %s's",
		    rp->entry->side == EXPLAIN_SIDE_EXO ? "Exchange Online" :
		    rp->entry->side == EXPLAIN_SIDE_LOCAL ? "on-premises Exchange" :
		    "a receiving server");
	wrap(out, 2, "Said by: ", buf, width);
}

/* The whole entry: title, what happened, causes, checks, note, step. */
static void render_entry(FILE *out, const struct explain_entry *e, int width)
{
	char lead[16], title[512];

	snprintf(title, sizeof title, "%s [%s]", e->title, e->key);
	wrap(out, 2, "Meaning: ", title, width);
	fprintf(out, "  What happened:\n");
	wrap(out, 4, "", e->what, width);
	fprintf(out, "  Likely causes, most likely first:\n");
	for (int i = 0; i < EXPLAIN_CAUSES_MAX && e->causes[i] != NULL; i++) {
		snprintf(lead, sizeof lead, "%d. ", i + 1);
		wrap(out, 4, lead, e->causes[i], width);
	}
	fprintf(out, "  Checks to run:\n");
	for (int i = 0; i < EXPLAIN_CHECKS_MAX && e->checks[i] != NULL; i++)
		wrap(out, 4, "- ", e->checks[i], width);
	if (e->note != NULL)
		wrap(out, 2, "Note: ", e->note, width);
	if (e->step != EXPLAIN_STEP_NONE) {
		char step[128];

		snprintf(step, sizeof step, "%s (%s)", explain_step_title(e->step),
		    explain_step_name(e->step));
		wrap(out, 2, "Wizard step: ", step, width);
	}
}

/* What an unknown code's class says. */
static void render_class(FILE *out, const struct explain_reply *rp, int width)
{
	char buf[512];

	snprintf(buf, sizeof buf, "hybridtls has no entry for this exact code (%d%s%s); "
	    "what its class says:", rp->code, rp->esc[0] ? " " : "", rp->esc);
	wrap(out, 2, "Not specifically known: ", buf, width);
	snprintf(buf, sizeof buf, "%d: %s; %s", rp->code, explain_code_class(rp->code),
	    explain_code_category(rp->code));
	wrap(out, 4, "- RFC 5321: ", buf, width);
	if (rp->esc[0] != '\0') {
		snprintf(buf, sizeof buf, "%s: %s; %s", rp->esc, explain_esc_class(rp->esc),
		    explain_esc_subject(rp->esc));
		wrap(out, 4, "- RFC 3463: ", buf, width);
	}
}

/* One reply: as found, who said it, then its entry or its class meaning. */
static void render_reply(FILE *out, const struct explain_result *r, size_t i,
    struct seen *seen, int width)
{
	const struct explain_reply *rp = &r->replies[i];

	wrap(out, 2, "Found: ", rp->text, width);
	said_by(out, r, rp, width);
	if (rp->entry == NULL) {
		render_class(out, rp, width);
	} else if (seen_has(seen, rp->entry)) {
		char buf[512];

		snprintf(buf, sizeof buf, "%s [%s], explained above", rp->entry->title, rp->entry->key);
		wrap(out, 2, "Meaning: ", buf, width);
	} else {
		render_entry(out, rp->entry, width);
		seen_add(seen, rp->entry);
	}
}

static void heading(FILE *out, const char *title)
{
	fprintf(out, "\n%s\n", title);
	for (size_t i = 0; i < strlen(title); i++)
		fputc('-', out);
	fputc('\n', out);
}

void explain_render_text(FILE *out, const struct explain_result *r, int width)
{
	struct seen seen = { .n = 0 };

	if (width <= 0)
		width = 80;
	if (width < 40)
		width = 40;
	if (!r->recognised) {
		fprintf(out, "Nothing recognised.\n");
		wrap(out, 2, "", "No SMTP reply with an enhanced status code (such as 451 4.4.0 "
		    "or 550 5.7.606), no known log line and no Hybrid Configuration Wizard "
		    "error was found in the text. Paste the whole error: the NDR's "
		    "'Diagnostic information for administrators', the queue's LastError, "
		    "the message trace detail, or the protocol log lines of the session.", width);
		if (r->truncated)
			wrap(out, 2, "", "Only the first 64 KiB of the input were read.", width);
		return;
	}
	const char *sep = "Found: ";

	if (r->nreplies > 0) {
		fprintf(out, "%s%zu SMTP %s", sep, r->nreplies, r->nreplies == 1 ? "reply" : "replies");
		sep = ", ";
	}
	if (r->hcw != NULL) {
		fprintf(out, "%sa Hybrid Configuration Wizard error", sep);
		sep = ", ";
	}
	if (r->nsignals > 0)
		fprintf(out, "%s%zu known log %s", sep, r->nsignals, r->nsignals == 1 ? "line" : "lines");
	fprintf(out, ".\n");
	if (r->truncated)
		wrap(out, 0, "", "Only the first 64 KiB of the input were read.", width);

	/* The one to act on. */
	if (r->primary >= 0 && (size_t)r->primary < r->nreplies) {
		const struct explain_reply *p = &r->replies[r->primary];

		heading(out, "The reply to act on");
		if (p->entry != NULL && p->entry == r->primary_entry) {
			render_reply(out, r, (size_t)r->primary, &seen, width);
		} else {
			wrap(out, 2, "Found: ", p->text, width);
			said_by(out, r, p, width);
			if (p->entry == NULL)
				render_class(out, p, width);
			else {
				char buf[512];

				snprintf(buf, sizeof buf, "%s [%s]; on its own this says little, "
				    "see below", p->entry->title, p->entry->key);
				wrap(out, 2, "Meaning: ", buf, width);
			}
			if (r->primary_entry != NULL) {
				heading(out, "Most likely explanation, from the rest of the text");
				render_entry(out, r->primary_entry, width);
				seen_add(&seen, r->primary_entry);
			}
			if (p->entry != NULL && !seen_has(&seen, p->entry)) {
				heading(out, "What the reply itself means");
				render_entry(out, p->entry, width);
				seen_add(&seen, p->entry);
			}
		}
	} else if (r->primary_entry != NULL) {
		heading(out, r->primary_entry->hcw ? "Hybrid Configuration Wizard error" :
		    "Recognised in the text");
		render_entry(out, r->primary_entry, width);
		seen_add(&seen, r->primary_entry);
	}

	if (r->hcw != NULL && !seen_has(&seen, r->hcw)) {
		heading(out, "Hybrid Configuration Wizard error");
		render_entry(out, r->hcw, width);
		seen_add(&seen, r->hcw);
	}
	for (size_t i = 0; i < r->nsignals; i++) {
		if (seen_has(&seen, r->signals[i]))
			continue;
		heading(out, "Also recognised in the text");
		render_entry(out, r->signals[i], width);
		seen_add(&seen, r->signals[i]);
	}
	bool any = false;
	for (size_t i = 0; i < r->nreplies; i++) {
		if ((int)i == r->primary)
			continue;
		if (!any)
			heading(out, "Other replies in the text");
		else
			fputc('\n', out);
		any = true;
		render_reply(out, r, i, &seen, width);
	}
}

/*
 * One finding in full: its title and severity, the fact that decides it, what
 * it means, the evidence, the fix and how to verify it; t shows the
 * transcript with the evidence highlighted.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "kb.h"
#include "report.h"
#include "term.h"
#include "ui.h"

/* The finding shown, found again by id and summary after the findings were made anew. */
static const struct finding *current(struct wiz *w)
{
	const struct finding *by_id = NULL;

	for (size_t i = 0; i < w->s.fs.n; i++) {
		const struct finding *f = &w->s.fs.v[i];

		if (f->kb->id != w->detail_id)
			continue;
		if (strcmp(f->summary ? f->summary : "", w->detail_summary) == 0)
			return f;
		if (by_id == NULL)
			by_id = f;
	}
	return by_id;
}

void wiz_open_finding(struct wiz *w, size_t idx, const struct screen *back)
{
	const struct finding *f = &w->s.fs.v[idx];

	w->detail_id = f->kb->id;
	snprintf(w->detail_summary, sizeof w->detail_summary, "%s", f->summary ? f->summary : "");
	w->detail_transcript = false;
	w->detail.top = 0;
	w->detail_back = back;
	w->detail_at = 0;
	for (size_t i = 0; i < w->detail_n; i++)
		if (w->detail_list[i] == idx)
			w->detail_at = i;
	wiz_go(w, &screen_detail);
}

/* n / p: the next or the previous finding of the list the detail was opened from. */
static void step_list(struct wiz *w, int dir)
{
	size_t at;

	if (w->detail_n < 2)
		return;
	at = (w->detail_at + w->detail_n + (size_t)(dir > 0 ? 1 : w->detail_n - 1)) % w->detail_n;
	if (w->detail_list[at] >= w->s.fs.n)
		return;
	wiz_open_finding(w, w->detail_list[at], w->detail_back);
}

static void section(struct tview *tv, int width, const char *head, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	tview_add(tv, ROLE_NORMAL, "%s", "");
	tview_add(tv, ROLE_HEAD, "%s", head);
	tview_wrap(tv, ROLE_NORMAL, width, 2, text);
}

void detail_build(struct wiz *w, const struct finding *f, int width)
{
	struct tview *tv = &w->detail;
	char refs[2048];

	tview_clear(tv);
	if (f->root)
		tview_add(tv, ROLE_ROOT, " ROOT CAUSE ");
	{
		char head[600];

		snprintf(head, sizeof head, "%s  %s", sev_mark(f->sev), f->kb->title);
		tview_wrap(tv, sev_role(f->sev), width, 0, head);
	}
	tview_add(tv, ROLE_DIM, "%s  (step: %s)", f->kb->id, step_title(step_of_finding(f)));
	if (f->summary != NULL && *f->summary != '\0')
		tview_wrap(tv, ROLE_HEAD, width, 2, f->summary);
	section(tv, width, "What it means", f->kb->explanation);
	if (f->nevidence > 0) {
		tview_add(tv, ROLE_NORMAL, "%s", "");
		tview_add(tv, ROLE_HEAD, "Evidence");
		for (size_t i = 0; i < f->nevidence; i++)
			tview_wrap(tv, ROLE_EVIDENCE, width, 4, f->evidence[i]);
	}
	section(tv, width, "How to fix it", f->kb->fix);
	section(tv, width, "How to verify", f->kb->verify);
	if (f->kb->refs != NULL && *f->kb->refs != '\0') {
		snprintf(refs, sizeof refs, "%s", f->kb->refs);
		for (char *p = refs; (p = strstr(p, "; ")) != NULL; p += 2)
			p[0] = '\n', p[1] = ' ';
		section(tv, width, "References", refs);
	}
}

/* The transcript of the step with the lines the finding quotes highlighted. */
static void transcript_build(struct wiz *w, const struct finding *f)
{
	const struct smtp_facts *sf = session_smtp(&w->s, step_of_finding(f) == STEP_ONPREM);
	struct tview *tv = &w->detail;

	tview_clear(tv);
	tview_add(tv, ROLE_HEAD, "Transcript; the evidence of \"%s\" highlighted", f->kb->title);
	if (sf == NULL) {
		tview_add(tv, ROLE_DIM, "No SMTP conversation in this run.");
		return;
	}
	for (size_t i = 0; i < sf->tr.n; i++) {
		const struct tline *l = &sf->tr.v[i];
		enum role r = l->dir == TDIR_SENT ? ROLE_SENT : l->dir == TDIR_NOTE ? ROLE_NOTE : ROLE_RECV;

		for (size_t k = 0; k < f->nevidence && l->dir != TDIR_NOTE; k++) {
			const char *core = strstr(f->evidence[k], ": ");

			core = core ? core + 2 : f->evidence[k];
			if ((strlen(l->text) >= 3 && strstr(f->evidence[k], l->text) != NULL) ||
			    (strlen(core) >= 3 && strstr(l->text, core) != NULL))
				r = ROLE_EVIDENCE;
		}
		tview_add(tv, r, "%7.3f %s %s", l->t_ms / 1000.0, report_dir_marker(l->dir, l->tls), l->text);
	}
}

static void draw(struct wiz *w)
{
	static const char *const keys[] = { "Esc", "Back", "t", "Transcript", "n/p", "Next/prev",
	    "\xe2\x86\x91\xe2\x86\x93", "Scroll", "F1", "Help", "q", "Quit", NULL };
	static const char *const keys_a[] = { "Esc", "Back", "t", "Transcript", "n/p", "Next/prev", "Up/Dn",
	    "Scroll", "F1", "Help", "q", "Quit", NULL };
	const struct finding *f = current(w);
	char title[300];

	if (w->detail_n > 1)
		snprintf(title, sizeof title, "hybridtls: %s: finding %zu of %zu", w->s.source ? w->s.source : "",
		    w->detail_at + 1, w->detail_n);
	else
		snprintf(title, sizeof title, "hybridtls: %s: finding", w->s.source ? w->s.source : "");
	draw_title(w, title);
	if (f == NULL) {
		term_put(stdscr, 2, 1, "This finding is gone: the step ran again. Esc goes back.", w->cols - 2);
	} else {
		size_t top = w->detail.top;

		if (w->detail_transcript)
			transcript_build(w, f);
		else
			detail_build(w, f, w->cols - 3);
		w->detail.top = top;
		tview_draw(&w->detail, stdscr, 2, 1, w->rows - 4, w->cols - 2);
	}
	draw_message(w);
	draw_footer(w, term_caps.utf8 ? keys : keys_a);
}

static void key(struct wiz *w, int ch, bool is_key)
{
	const struct screen *back = w->detail_back ? w->detail_back : &screen_steps;

	if (is_key) {
		if (ch == KEY_BACKSPACE || ch == KEY_LEFT)
			wiz_go(w, back);
		else if (ch == KEY_RIGHT)
			step_list(w, 1);
		else
			tview_key(&w->detail, ch, w->rows - 4);
		return;
	}
	switch (ch) {
	case 27: case '\r': case '\n': case 127: case 8:
		wiz_go(w, back);
		return;
	case 'n':
		step_list(w, 1);
		return;
	case 'p':
		step_list(w, -1);
		return;
	case 't': case 'e':
		w->detail_transcript = !w->detail_transcript;
		w->detail.top = 0;
		return;
	case 'q':
		wiz_confirm(w, FOR_QUIT, "Quit hybridtls?");
		return;
	default:
		tview_key(&w->detail, ch, w->rows - 4);
		return;
	}
}

const struct screen screen_detail = {
	.name = "Finding",
	.draw = draw,
	.key = key,
	.help =
	"One finding in full: the fact that decides it, what it means for hybrid mail flow, the evidence "
	"(the lines of the conversation, the certificate fields or the DNS answers it rests on), how to fix "
	"it with the cmdlets or device commands, and how to check the fix worked.\n\n"
	"t shows the SMTP transcript with this finding's evidence highlighted; t again comes back. n and p "
	"go to the next and the previous finding of the list it was opened from. "
	"Esc returns to the step.",
};

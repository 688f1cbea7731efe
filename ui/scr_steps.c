/*
 * The steps: a tab bar with each step's state, the step's body (what the
 * probe saw, live), and its findings in a menu; Enter opens one. The summary
 * is the last step: every finding, root causes first.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb.h"
#include "term.h"
#include "ui.h"

#define MAXF 512

static struct {
	ITEM *it[MAXF + 1];
	char *names[MAXF];
	size_t idx[MAXF];
	size_t n;
	MENU *menu;
	WINDOW *mwin;
	unsigned gen;
	enum step step;
	int cols, y, h;		/* the list's place */
	int content_y, content_h;
	int tab_x[STEP_COUNT + 1];
	bool built;
} st;

static void drop_menu(void)
{
	if (st.menu != NULL) {
		unpost_menu(st.menu);
		free_menu(st.menu);
	}
	for (size_t i = 0; i < st.n; i++) {
		free_item(st.it[i]);
		free(st.names[i]);
	}
	if (st.mwin != NULL)
		delwin(st.mwin);
	st.menu = NULL;
	st.mwin = NULL;
	st.n = 0;
	st.built = false;
}

static void layout(struct wiz *w)
{
	size_t n = step_findings(w, w->step, st.idx, MAXF);
	int avail = w->rows - 3 - 2 - 1;
	int lh = n == 0 ? 1 : (int)n;
	int cap = avail / 3 + 1;

	if (lh > cap)
		lh = cap < 3 ? 3 : cap;
	st.h = lh;
	st.content_y = 3;
	st.content_h = avail - lh;
	st.y = st.content_y + st.content_h + 1;
}

/* The findings list as a menu of the form "✖ FAIL summary", rebuilt when anything it shows moved. */
static void build_menu(struct wiz *w)
{
	int width = w->cols - 2;

	drop_menu();
	st.n = step_findings(w, w->step, st.idx, MAXF);
	for (size_t i = 0; i < st.n; i++) {
		const struct finding *f = &w->s.fs.v[st.idx[i]];
		char line[1024];

		snprintf(line, sizeof line, "%s %s%s", sev_mark(f->sev), f->root ? "ROOT CAUSE: " : "",
		    f->summary && *f->summary ? f->summary : f->kb->title);
		/* The menu needs every name to fit its window. */
		if (term_width(line) > width - 3) {
			size_t k = strlen(line);

			while (k > 0 && term_width(line) > width - 6) {
				do
					k--;
				while (k > 0 && ((unsigned char)line[k] & 0xC0) == 0x80);
				line[k] = '\0';
			}
			strcat(line, "...");
		}
		st.names[i] = strdup(line);
		st.it[i] = new_item(st.names[i] ? st.names[i] : "?", "");
	}
	st.it[st.n] = NULL;
	st.gen = w->s.gen;
	st.step = w->step;
	st.cols = w->cols;
	st.built = true;
	if (st.n == 0)
		return;
	if (w->sel >= st.n)
		w->sel = st.n - 1;
	st.menu = new_menu(st.it);
	if (st.menu == NULL)
		return;
	st.mwin = derwin(stdscr, st.h, width, st.y, 1);
	set_menu_win(st.menu, stdscr);
	set_menu_sub(st.menu, st.mwin);
	set_menu_format(st.menu, st.h, 1);
	set_menu_mark(st.menu, " ");
	menu_opts_off(st.menu, O_SHOWDESC);
	set_menu_fore(st.menu, w->focus_list ? term_attr(ROLE_TAB_CUR) : (int)A_BOLD);
	post_menu(st.menu);
	set_current_item(st.menu, st.it[w->sel]);
}

static const char *tab_mark(struct wiz *w, enum step s)
{
	switch (session_state(&w->s, s)) {
	case ST_RUNNING:
	case ST_WAITING: return term_glyph("\xe2\x80\xa6", "~");
	case ST_NOT_RUN: return "-";
	case ST_CANCELLED: return "/";
	default: break;
	}
	switch (session_worst(&w->s, s)) {
	case SEV_FAILURE: return term_glyph("\xe2\x9c\x96", "X");
	case SEV_WARNING: return "!";
	case SEV_UNTESTED: return "?";
	default: return term_glyph("\xe2\x9c\x94", "+");
	}
}

static enum role tab_role(struct wiz *w, enum step s)
{
	if (s == w->step)
		return ROLE_TAB_CUR;
	return ROLE_TAB;
}

static void draw_tabs(struct wiz *w)
{
	int x = 0;

	attrset(term_attr(ROLE_TAB));
	move(1, 0);
	for (int i = 0; i < w->cols; i++)
		addch(' ');
	int full = 0;

	/* " 1 Connect ✔ " when it fits, "1.Connect✔" when it does not. */
	for (int s = 0; s < STEP_COUNT; s++)
		full += term_width(step_short(s)) + 6;
	for (int s = 0; s < STEP_COUNT; s++) {
		char t[64];

		if (full <= w->cols)
			snprintf(t, sizeof t, " %d %s %s ", s + 1, step_short(s), tab_mark(w, s));
		else
			snprintf(t, sizeof t, "%d.%s%s ", s + 1, step_short(s), tab_mark(w, s));
		st.tab_x[s] = x;
		attrset(term_attr(tab_role(w, s)));
		x += term_put(stdscr, 1, x, t, w->cols - x);
		attrset(term_attr(ROLE_TAB));
	}
	st.tab_x[STEP_COUNT] = x;
	attrset(A_NORMAL);
}

static const char *state_word(enum step_state s)
{
	switch (s) {
	case ST_RUNNING: return "running";
	case ST_WAITING: return "waiting";
	case ST_DONE: return "done";
	case ST_CANCELLED: return "cancelled";
	default: return "not tested";
	}
}

static void draw(struct wiz *w)
{
	static const char *const keys[] = { "F1", "Help", "\xe2\x86\x90\xe2\x86\x92", "Step", "Enter", "Open",
	    "r", "Re-run", "c", "Cancel", "p", "Path", "x", "Export", "s", "Save", "q", "Quit", "Tab", "Pane",
	    "n", "New", NULL };
	static const char *const keys_a[] = { "F1", "Help", "<>", "Step", "Enter", "Open", "r", "Re-run",
	    "c", "Cancel", "p", "Path", "x", "Export", "s", "Save", "q", "Quit", "Tab", "Pane", "n", "New", NULL };
	char title[400], head[200];
	size_t n;

	layout(w);
	if (!st.built || st.gen != w->s.gen || st.step != w->step || st.cols != w->cols ||
	    (st.mwin != NULL && (getbegy(st.mwin) != st.y || getmaxy(st.mwin) != st.h)))
		build_menu(w);
	snprintf(title, sizeof title, "hybridtls: %s", w->s.source ? w->s.source : "");
	draw_title(w, title);
	draw_tabs(w);
	snprintf(head, sizeof head, "Step %d of %d: %s (%s)", w->step + 1, STEP_COUNT, step_title(w->step),
	    state_word(session_state(&w->s, w->step)));
	attrset(term_attr(ROLE_HEAD));
	term_put(stdscr, 2, 1, head, w->cols - 2);
	attrset(A_NORMAL);
	content_build(w, &w->content, w->step, w->cols - 2);
	tview_draw(&w->content, stdscr, st.content_y, 1, st.content_h, w->cols - 2);
	n = st.n;
	snprintf(head, sizeof head, "Findings (%zu)%s", n, w->focus_list ? "" : "  Tab to choose one");
	attrset(term_attr(w->focus_list ? ROLE_HEAD : ROLE_DIM));
	mvhline(st.y - 1, 0, ACS_HLINE, w->cols);
	term_put(stdscr, st.y - 1, 2, head, w->cols - 4);
	attrset(A_NORMAL);
	if (st.menu != NULL) {
		set_menu_fore(st.menu, w->focus_list ? term_attr(ROLE_TAB_CUR) : (int)A_BOLD);
		unpost_menu(st.menu);
		post_menu(st.menu);
		set_current_item(st.menu, st.it[w->sel < st.n ? w->sel : 0]);
	} else {
		attrset(term_attr(ROLE_DIM));
		term_put(stdscr, st.y, 2, session_state(&w->s, w->step) == ST_DONE ? "Nothing to report here." :
		    "None yet.", w->cols - 4);
		attrset(A_NORMAL);
	}
	draw_message(w);
	draw_footer(w, term_caps.utf8 ? keys : keys_a);
}

static void enter(struct wiz *w)
{
	(void)w;
	st.built = false;
}

static void leave(struct wiz *w)
{
	(void)w;
	drop_menu();
}

static void go_step(struct wiz *w, int s)
{
	if (s < 0)
		s = STEP_COUNT - 1;
	if (s >= STEP_COUNT)
		s = 0;
	w->step = s;
	w->sel = 0;
	w->content.top = 0;
}

static void open_selected(struct wiz *w)
{
	const struct finding *f;

	if (st.n == 0 || w->sel >= st.n)
		return;
	w->detail_n = 0;
	for (size_t i = 0; i < st.n && w->detail_n < sizeof w->detail_list / sizeof w->detail_list[0]; i++)
		w->detail_list[w->detail_n++] = st.idx[i];
	f = &w->s.fs.v[st.idx[w->sel]];
	wiz_open_finding(w, (size_t)(f - w->s.fs.v), &screen_steps);
}

static void rerun(struct wiz *w)
{
	char err[300];

	if (!session_rerun(&w->s, w->step, err, sizeof err))
		wiz_message(w, ROLE_WARN, "%s", err);
	else
		wiz_message(w, ROLE_INFO, "%s: running again.", step_title(w->step));
}

static void cancel(struct wiz *w)
{
	enum step_state s = session_state(&w->s, w->step);

	if (s != ST_RUNNING && s != ST_WAITING) {
		wiz_message(w, ROLE_DIM, "Nothing is running for this step.");
		return;
	}
	session_cancel(&w->s, w->step);
	wiz_message(w, ROLE_WARN, "Cancelled. r runs it again.");
}

static void mouse(struct wiz *w)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		tview_key(&w->content, KEY_UP, st.content_h);
		return;
	}
	if (ev.bstate & BUTTON5_PRESSED) {
		tview_key(&w->content, KEY_DOWN, st.content_h);
		return;
	}
	if (ev.y == 1) {
		for (int s = 0; s < STEP_COUNT; s++)
			if (ev.x >= st.tab_x[s] && ev.x < st.tab_x[s + 1])
				go_step(w, s);
		return;
	}
	if (ev.y >= st.y && ev.y < st.y + st.h && st.menu != NULL) {
		size_t k = (size_t)top_row(st.menu) + (size_t)(ev.y - st.y);

		if (k < st.n) {
			w->focus_list = true;
			w->sel = k;
			open_selected(w);
		}
	}
}

static void key(struct wiz *w, int ch, bool is_key)
{
	if (is_key) {
		switch (ch) {
		case KEY_MOUSE: mouse(w); return;
		case KEY_LEFT: go_step(w, w->step - 1); return;
		case KEY_RIGHT: go_step(w, w->step + 1); return;
		case KEY_BTAB: w->focus_list = !w->focus_list; return;
		case KEY_ENTER:
			if (w->focus_list)
				open_selected(w);
			else
				w->focus_list = st.n > 0;
			return;
		default: break;
		}
		if (w->focus_list && st.n > 0) {
			if (ch == KEY_UP && w->sel > 0)
				w->sel--;
			else if (ch == KEY_DOWN && w->sel + 1 < st.n)
				w->sel++;
			else if (ch == KEY_HOME)
				w->sel = 0;
			else if (ch == KEY_END)
				w->sel = st.n - 1;
			else if (ch == KEY_NPAGE)
				w->sel = w->sel + st.h < st.n ? w->sel + st.h : st.n - 1;
			else if (ch == KEY_PPAGE)
				w->sel = w->sel > (size_t)st.h ? w->sel - st.h : 0;
			return;
		}
		tview_key(&w->content, ch, st.content_h);
		return;
	}
	switch (ch) {
	case '\t': w->focus_list = !w->focus_list && st.n > 0; return;
	case '\r': case '\n':
		if (w->focus_list)
			open_selected(w);
		else
			w->focus_list = st.n > 0;
		return;
	case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		go_step(w, ch - '1');
		return;
	case 'r': rerun(w); return;
	case 'c': cancel(w); return;
	case 'x':
		wiz_prompt(w, FOR_EXPORT_TEXT, "Export the report to (.txt text, .md Markdown, .json JSON)",
		    "hybridtls-report.txt", false);
		return;
	case 's': {
		char name[300];

		snprintf(name, sizeof name, "hybridtls-%s.capture.json", w->target[0] ? w->target : "run");
		wiz_prompt(w, FOR_SAVE_CAPTURE, "Save the capture (the facts, no secrets) to", name, false);
		return;
	}
	case 'e':
		if (w->step == STEP_CONNECTOR)
			wiz_prompt(w, FOR_TYPED_IPS, "The inbound connector's SenderIPAddresses (commas between)",
			    "", false);
		else if (w->step == STEP_SMTP || w->step == STEP_TLS)
			wiz_confirm(w, FOR_ENVELOPE_CONSENT, "Send MAIL FROM and RCPT TO to this server? (never DATA)");
		else
			wiz_message(w, ROLE_DIM, "e: in Connect and TLS, the envelope test; in Connector, typed values.");
		return;
	case 'i':
		wiz_prompt(w, FOR_PUBLIC_IP, "The public IP your on-premises servers send from", w->ip, false);
		return;
	case 'p': wiz_go(w, &screen_path); return;
	case 'n': case 27: wiz_go(w, &screen_start); return;
	case 'q': wiz_confirm(w, FOR_QUIT, "Quit hybridtls?"); return;
	default:
		if (!w->focus_list)
			tview_key(&w->content, ch, st.content_h);
		return;
	}
}

const struct screen screen_steps = {
	.name = "Steps",
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.help =
	"Each tab is one step, in the order an admin troubleshoots: Connect & EHLO (the SMTP conversation as "
	"it happens, whether STARTTLS is offered, the IP the server sees), STARTTLS & certificate, "
	"Blocklists (that IP on the DNS blocklists), Connector (the exports and the certificate compared with "
	"what was seen), On-premises endpoint (Exchange Online's direction), DNS records, and the Summary. "
	"All steps run at once in the background; a tab shows ... while it runs, then its worst result: "
	"a tick for good, ! warning, X failure, ? could not test, - not part of this run.\n\n"
	"Tab moves between the step's details and its findings; Enter opens a finding with what it means, "
	"the evidence and the fix. With a finding selected, its evidence is highlighted in the transcript.\n\n"
	"p shows the mail path as a picture, with the failing hop marked. "
	"r runs the step again, c cancels it, i types the public IP when the server does not name it, "
	"x exports the report (the file name's ending picks text, Markdown or JSON), s saves the capture "
	"(the facts, for a colleague or a ticket: no keys, no passwords), n goes back to the first screen.",
};

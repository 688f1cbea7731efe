/*
 * Explain an error: paste an NDR, a queue viewer "Last error", a message
 * trace detail or a Hybrid Configuration Wizard error into a field of the
 * form library; F10 explains it and offers the step that tests the causes.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "explain.h"
#include "term.h"
#include "ui.h"

static struct {
	FIELD *f[2];
	FORM *form;
	WINDOW *sub;
	int cols, rows;
	bool showing;		/* the explanation, not the paste area */
	struct tview out;
	enum explain_step step;
} st;

static void drop(void)
{
	if (st.form != NULL) {
		unpost_form(st.form);
		free_form(st.form);
		free_field(st.f[0]);
	}
	if (st.sub != NULL)
		delwin(st.sub);
	st.form = NULL;
	st.f[0] = NULL;
	st.sub = NULL;
	curs_set(0);
}

/* The pasted text: the field's rows (each padded to its width) back into lines. */
static char *text_of(size_t *len)
{
	const char *b;
	size_t wn, cap, n = 0;
	wchar_t *wb;
	char *out;
	int cols = st.cols;

	form_driver(st.form, REQ_VALIDATION);
	b = field_buffer(st.f[0], 0);
	if (b == NULL || (wn = mbstowcs(NULL, b, 0)) == (size_t)-1)
		return NULL;
	if ((wb = calloc(wn + 1, sizeof *wb)) == NULL)
		return NULL;
	mbstowcs(wb, b, wn + 1);
	cap = wn * MB_CUR_MAX + wn / (size_t)cols + 2;
	if ((out = malloc(cap)) == NULL) {
		free(wb);
		return NULL;
	}
	for (size_t row = 0; row * (size_t)cols < wn; row++) {
		size_t from = row * (size_t)cols, to = from + (size_t)cols < wn ? from + (size_t)cols : wn;

		while (to > from && wb[to - 1] == L' ')
			to--;
		for (size_t i = from; i < to; i++) {
			char mb[MB_LEN_MAX];
			int k = wctomb(mb, wb[i]);

			if (k > 0 && n + (size_t)k < cap) {
				memcpy(out + n, mb, (size_t)k);
				n += (size_t)k;
			}
		}
		if (n + 1 < cap)
			out[n++] = '\n';
	}
	out[n] = '\0';
	free(wb);
	*len = n;
	return out;
}

static void build(struct wiz *w)
{
	drop();
	st.cols = w->cols - 4;
	st.rows = w->rows - 7;
	st.f[0] = new_field(st.rows, st.cols, 0, 0, 0, 0);
	st.f[1] = NULL;
	if (st.f[0] == NULL)
		return;
	field_opts_off(st.f[0], O_STATIC | O_AUTOSKIP);
	set_max_field(st.f[0], EXPLAIN_INPUT_MAX / 16);
	set_field_back(st.f[0], A_NORMAL);
	st.form = new_form(st.f);
	st.sub = derwin(stdscr, st.rows, st.cols, 4, 2);
	set_form_win(st.form, stdscr);
	set_form_sub(st.form, st.sub);
	post_form(st.form);
}

static void enter(struct wiz *w)
{
	st.showing = false;
	build(w);
}

static void leave(struct wiz *w)
{
	(void)w;
	drop();
	tview_free(&st.out);
}

static void explain(struct wiz *w)
{
	struct explain_result r;
	size_t len = 0;
	char *text = text_of(&len), *buf = NULL;
	size_t blen = 0;
	FILE *mem;

	if (text == NULL || len == 0 || strspn(text, " \n") == len) {
		free(text);
		wiz_message(w, ROLE_WARN, "Paste the error text first.");
		return;
	}
	explain_text(text, len, &r);
	free(text);
	tview_clear(&st.out);
	st.out.top = 0;
	if ((mem = open_memstream(&buf, &blen)) != NULL) {
		explain_render_text(mem, &r, w->cols - 3);
		fclose(mem);
		tview_wrap(&st.out, ROLE_NORMAL, w->cols - 3, 0, buf ? buf : "");
		free(buf);
	}
	st.step = r.step;
	explain_result_free(&r);
	st.showing = true;
	curs_set(0);
}

/* The wizard step the explanation points to. */
static enum step target_step(enum explain_step e)
{
	switch (e) {
	case EXPLAIN_STEP_TLS: return STEP_TLS;
	case EXPLAIN_STEP_BLOCKLIST: return STEP_BLOCKLIST;
	case EXPLAIN_STEP_CONNECTOR: return STEP_CONNECTOR;
	case EXPLAIN_STEP_ONPREM: return STEP_ONPREM;
	case EXPLAIN_STEP_DNS: return STEP_DNS;
	default: return STEP_SMTP;
	}
}

static void go(struct wiz *w)
{
	if (st.step == EXPLAIN_STEP_NONE) {
		wiz_message(w, ROLE_DIM, "No step to suggest for this text.");
		return;
	}
	w->step = target_step(st.step);
	w->sel = 0;
	w->focus_list = false;
	if (w->s.have_d || session_busy(&w->s))
		wiz_go(w, &screen_steps);
	else {
		wiz_go(w, &screen_start);
		wiz_message(w, ROLE_INFO, "Run the checks first: the %s step tests the likely causes.",
		    step_title(w->step));
	}
}

static void draw(struct wiz *w)
{
	static const char *const paste_keys[] = { "F10", "Explain", "Ctrl-D", "Explain", "Esc", "Back", "F1",
	    "Help", NULL };
	static const char *const out_keys[] = { "g", "Go to the step", "Esc", "Edit", "n", "New text", "F1",
	    "Help", "q", "Quit", NULL };

	if (st.showing || st.form == NULL || w->repaint || st.cols != w->cols - 4 || st.rows != w->rows - 7)
		erase();
	if (!st.showing && (st.form == NULL || w->repaint || st.cols != w->cols - 4 || st.rows != w->rows - 7))
		build(w);
	/* Around the paste area only: the form keeps its text on the screen. */
	for (int y = 1; y < w->rows; y++)
		if (y < 4 || y >= 4 + st.rows || st.showing) {
			move(y, 0);
			clrtoeol();
		}
	draw_title(w, "hybridtls: explain an error");
	if (st.showing) {
		tview_draw(&st.out, stdscr, 2, 1, w->rows - 4, w->cols - 2);
		draw_message(w);
		draw_footer(w, out_keys);
		return;
	}
	attrset(term_attr(ROLE_HEAD));
	term_put(stdscr, 2, 2, "Paste the error: an NDR, a queue viewer Last error, a message trace "
	    "detail or a Hybrid Configuration Wizard error.", w->cols - 4);
	attrset(A_NORMAL);
	mvhline(3, 2, ACS_HLINE, w->cols - 4);
	mvhline(4 + st.rows, 2, ACS_HLINE, w->cols - 4);
	draw_message(w);
	draw_footer(w, paste_keys);
	pos_form_cursor(st.form);
	curs_set(1);
}

static void key(struct wiz *w, int ch, bool is_key)
{
	if (st.showing) {
		if (!is_key && (ch == 27 || ch == 127 || ch == 8)) {
			st.showing = false;
			w->repaint = true;
		}
		else if (!is_key && ch == 'n') {
			st.showing = false;
			build(w);
		} else if (!is_key && ch == 'g')
			go(w);
		else if (!is_key && ch == 'q')
			wiz_confirm(w, FOR_QUIT, "Quit hybridtls?");
		else
			tview_key(&st.out, ch, w->rows - 4);
		return;
	}
	if (is_key) {
		switch (ch) {
		case KEY_F(10): explain(w); break;
		case KEY_LEFT: form_driver(st.form, REQ_PREV_CHAR); break;
		case KEY_RIGHT: form_driver(st.form, REQ_NEXT_CHAR); break;
		case KEY_UP: form_driver(st.form, REQ_UP_CHAR); break;
		case KEY_DOWN: form_driver(st.form, REQ_DOWN_CHAR); break;
		case KEY_BACKSPACE: form_driver(st.form, REQ_DEL_PREV); break;
		case KEY_DC: form_driver(st.form, REQ_DEL_CHAR); break;
		case KEY_ENTER: form_driver(st.form, REQ_NEW_LINE); break;
		default: break;
		}
		return;
	}
	switch (ch) {
	case 27: wiz_go(w, &screen_start); return;
	case 4: explain(w); return;	/* Ctrl-D: the end of the paste */
	case '\r': case '\n': form_driver(st.form, REQ_NEW_LINE); return;
	case 127: case 8: form_driver(st.form, REQ_DEL_PREV); return;
	case '\t': form_driver(st.form, ' '); return;
	default:
		if (ch >= 32)
			form_driver_w(st.form, OK, (wchar_t)ch);
		return;
	}
}

const struct screen screen_explain = {
	.name = "Explain an error",
	.own_erase = true,
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.help =
	"Paste the text of an error as you have it: a non-delivery report, the Last error of a queue in "
	"Exchange's queue viewer, a message trace detail with its {LED=...}, lines of the SmtpSend or "
	"SmtpReceive protocol log, or a Hybrid Configuration Wizard error. F10 or Ctrl-D explains it: who "
	"said it (your server, the remote one, Exchange Online), what it means, the likely causes, most "
	"likely first, and what to check. g then goes to the wizard step that tests those causes.",
};

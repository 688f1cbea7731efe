/*
 * The first screen: what to check (fields of the form library), and what
 * else there is to do (a menu): run, explain an error, the demo scenarios,
 * open a capture, quit.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term.h"
#include "ui.h"

enum { F_TARGET, F_ONPREM, F_CONNECTOR, F_CERT, F_PASSWORD, NFIELDS };

static const struct {
	const char *label;
	const char *hint;
} fields[NFIELDS] = {
	{ "Tenant domain or host", "contoso.com, its MX host, or host:port" },
	{ "On-premises host", "optional: mail.contoso.com, as Exchange Online delivers to it" },
	{ "Connector export", "optional: Get-InboundConnector | ConvertTo-Json > in.json" },
	{ "On-prem certificate", "optional: the Exchange certificate, .pem or .pfx" },
	{ "Certificate password", "optional: for an encrypted key or a .pfx; never saved" },
};

static const char *const actions[] = {
	"Run the checks", "Explain an error", "Demo scenarios", "Open a capture", "Quit",
};
#define NACTIONS (sizeof actions / sizeof actions[0])

static struct {
	FIELD *f[NFIELDS + 1];
	FORM *form;
	WINDOW *fwin;
	ITEM *it[NACTIONS + 1];
	MENU *menu;
	WINDOW *mwin;
	int focus;		/* a field, or NFIELDS for the menu */
	int fy, fx, my, mx;	/* where the form and the menu are */
} st;

static char *buf_of(struct wiz *w, int i)
{
	switch (i) {
	case F_TARGET: return w->target;
	case F_ONPREM: return w->onprem;
	case F_CONNECTOR: return w->connector;
	case F_CERT: return w->cert;
	default: return w->password;
	}
}

static size_t size_of(struct wiz *w, int i)
{
	switch (i) {
	case F_TARGET: return sizeof w->target;
	case F_ONPREM: return sizeof w->onprem;
	case F_CONNECTOR: return sizeof w->connector;
	case F_CERT: return sizeof w->cert;
	default: return sizeof w->password;
	}
}

/* The fields' text into the wizard's buffers. */
static void sync(struct wiz *w)
{
	if (st.form == NULL)
		return;
	form_driver(st.form, REQ_VALIDATION);
	for (int i = 0; i < NFIELDS; i++) {
		const char *b = field_buffer(st.f[i], 0);
		size_t n = b ? strlen(b) : 0;
		const char *p = b ? b : "";

		while (n > 0 && p[n - 1] == ' ')
			n--;
		while (n > 0 && *p == ' ')
			p++, n--;
		snprintf(buf_of(w, i), size_of(w, i), "%.*s", (int)n, p);
	}
}

static void teardown(struct wiz *w)
{
	sync(w);
	if (st.form != NULL) {
		unpost_form(st.form);
		free_form(st.form);
		for (int i = 0; i < NFIELDS; i++)
			free_field(st.f[i]);
	}
	if (st.menu != NULL) {
		unpost_menu(st.menu);
		free_menu(st.menu);
		for (size_t i = 0; i < NACTIONS; i++)
			free_item(st.it[i]);
	}
	if (st.fwin != NULL)
		delwin(st.fwin);
	if (st.mwin != NULL)
		delwin(st.mwin);
	st.form = NULL;
	st.menu = NULL;
	st.fwin = st.mwin = NULL;
	curs_set(0);
}

/* Build the form and the menu for the current size (again after a resize). */
static void build(struct wiz *w)
{
	int width;

	teardown(w);
	st.fy = 4;
	st.fx = 24;
	width = w->cols - st.fx - 2;
	if (width > 60)
		width = 60;
	for (int i = 0; i < NFIELDS; i++) {
		st.f[i] = new_field(1, width, i * 2, 0, 0, 0);
		if (st.f[i] == NULL)
			return;
		field_opts_off(st.f[i], O_AUTOSKIP | O_STATIC);
		set_max_field(st.f[i], (int)size_of(w, i) - 1);
		set_field_back(st.f[i], term_attr(ROLE_FIELD));
		set_field_buffer(st.f[i], 0, buf_of(w, i));
	}
	field_opts_off(st.f[F_PASSWORD], O_PUBLIC);
	st.f[NFIELDS] = NULL;
	st.form = new_form(st.f);
	st.fwin = derwin(stdscr, NFIELDS * 2, width + 1, st.fy, st.fx);
	set_form_win(st.form, stdscr);
	set_form_sub(st.form, st.fwin);
	post_form(st.form);

	for (size_t i = 0; i < NACTIONS; i++)
		st.it[i] = new_item(actions[i], "");
	st.it[NACTIONS] = NULL;
	st.menu = new_menu(st.it);
	st.my = st.fy + NFIELDS * 2 + 1;
	st.mx = 4;
	st.mwin = derwin(stdscr, (int)NACTIONS, 30, st.my, st.mx);
	set_menu_win(st.menu, stdscr);
	set_menu_sub(st.menu, st.mwin);
	set_menu_format(st.menu, (int)NACTIONS, 1);
	set_menu_mark(st.menu, "> ");
	set_menu_fore(st.menu, term_attr(ROLE_TAB_CUR));
	post_menu(st.menu);
	set_current_field(st.form, st.f[st.focus < NFIELDS ? st.focus : 0]);
}

static void enter(struct wiz *w)
{
	st.focus = w->target[0] == '\0' ? F_TARGET : NFIELDS;
	build(w);
}

static void leave(struct wiz *w)
{
	teardown(w);
}

static void draw(struct wiz *w)
{
	static const char *const keys[] = { "F10", "Run", "Tab", "Next", "Enter", "Choose", "F1", "Help",
	    "Esc", "Quit", NULL };

	/* The form keeps its fields' text on the screen: clear around it, rebuild it when all was erased. */
	if (st.form == NULL || w->repaint)
		build(w);
	for (int y = 1; y < w->rows; y++) {
		bool field_row = y >= st.fy && y < st.fy + NFIELDS * 2 && (y - st.fy) % 2 == 0;

		move(y, 0);
		if (field_row) {
			for (int x = 0; x < st.fx; x++)
				addch(' ');
			move(y, st.fx + getmaxx(st.fwin));
		}
		clrtoeol();
	}
	draw_title(w, "hybridtls: Exchange hybrid mail flow, step by step");
	attrset(term_attr(ROLE_HEAD));
	term_put(stdscr, 2, 2, "What to check", w->cols - 4);
	attrset(A_NORMAL);
	for (int i = 0; i < NFIELDS; i++) {
		attrset(st.focus == i ? term_attr(ROLE_HEAD) : (int)A_NORMAL);
		term_put(stdscr, st.fy + i * 2, 2, fields[i].label, st.fx - 3);
		attrset(term_attr(ROLE_DIM));
		term_put(stdscr, st.fy + i * 2 + 1, st.fx, fields[i].hint, w->cols - st.fx - 1);
		attrset(A_NORMAL);
	}
	unpost_menu(st.menu);
	post_menu(st.menu);
	if (st.focus < NFIELDS) {
		set_current_field(st.form, st.f[st.focus]);
		pos_form_cursor(st.form);
		curs_set(1);
	} else
		curs_set(0);
	draw_message(w);
	draw_footer(w, keys);
	if (st.focus < NFIELDS)
		pos_form_cursor(st.form);
}

void wiz_run(struct wiz *w)
{
	char err[512];
	const struct run_inputs *a = &w->args->in;
	size_t n = 0;

	sync(w);
	if (w->target[0] == '\0') {
		st.focus = F_TARGET;
		wiz_message(w, ROLE_WARN, "Type the tenant domain (contoso.com) or a host first.");
		return;
	}
	w->in = *a;
	w->in.mode = CHECK_FULL;
	w->in.target = w->target;
	w->in.onprem = w->onprem[0] ? w->onprem : NULL;
	if (w->connector[0] != '\0')
		w->in.connector[n++] = w->connector;
	/* More exports from the command line than the one field shows. */
	for (size_t i = 1; i < a->nconnector && n < RUN_MAX_CONNECTORS; i++)
		w->in.connector[n++] = a->connector[i];
	w->in.nconnector = n;
	w->in.cert = w->cert[0] ? w->cert : NULL;
	w->in.password = w->password[0] ? w->password : NULL;
	if (!session_start(&w->s, &w->in, err, sizeof err)) {
		wiz_message(w, ROLE_FAIL, "%s", err);
		return;
	}
	w->step = STEP_SMTP;
	w->sel = 0;
	w->focus_list = false;
	wiz_go(w, &screen_steps);
	/* An encrypted key or a PFX that needs its password: ask for it and start again. */
	if (w->s.plan.cert_error != NULL && strstr(w->s.plan.cert_error, "password") != NULL) {
		char title[160];

		snprintf(title, sizeof title, "Password for %.100s (used once, never saved)", w->cert);
		wiz_prompt(w, FOR_CERT_PASSWORD, title, "", true);
	}
}

static void act(struct wiz *w, int i)
{
	switch (i) {
	case 0: wiz_run(w); break;
	case 1: wiz_go(w, &screen_explain); break;
	case 2: wiz_go(w, &screen_demo); break;
	case 3: wiz_prompt(w, FOR_OPEN_CAPTURE, "Open a capture file", "", false); break;
	default: wiz_confirm(w, FOR_QUIT, "Quit hybridtls?"); break;
	}
}

static void move_focus(int to)
{
	if (to < 0)
		to = NFIELDS;
	if (to > NFIELDS)
		to = 0;
	st.focus = to;
	if (to < NFIELDS)
		set_current_field(st.form, st.f[to]);
}

static void mouse(struct wiz *w)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return;
	if (ev.y >= st.my && ev.y < st.my + (int)NACTIONS && ev.x >= st.mx) {
		st.focus = NFIELDS;
		set_current_item(st.menu, st.it[ev.y - st.my]);
		if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))
			act(w, ev.y - st.my);
		return;
	}
	for (int i = 0; i < NFIELDS; i++)
		if (ev.y == st.fy + i * 2)
			move_focus(i);
}

static void key(struct wiz *w, int ch, bool is_key)
{
	if (is_key) {
		switch (ch) {
		case KEY_MOUSE: mouse(w); return;
		case KEY_F(10): wiz_run(w); return;
		case KEY_BTAB: move_focus(st.focus - 1); return;
		case KEY_UP:
			if (st.focus == NFIELDS && item_index(current_item(st.menu)) > 0)
				menu_driver(st.menu, REQ_UP_ITEM);
			else
				move_focus(st.focus == NFIELDS ? NFIELDS - 1 : st.focus - 1);
			return;
		case KEY_DOWN:
			if (st.focus == NFIELDS)
				menu_driver(st.menu, REQ_DOWN_ITEM);
			else
				move_focus(st.focus + 1);
			return;
		default:
			break;
		}
		if (st.focus < NFIELDS) {
			switch (ch) {
			case KEY_LEFT: form_driver(st.form, REQ_PREV_CHAR); break;
			case KEY_RIGHT: form_driver(st.form, REQ_NEXT_CHAR); break;
			case KEY_HOME: form_driver(st.form, REQ_BEG_LINE); break;
			case KEY_END: form_driver(st.form, REQ_END_LINE); break;
			case KEY_BACKSPACE: form_driver(st.form, REQ_DEL_PREV); break;
			case KEY_DC: form_driver(st.form, REQ_DEL_CHAR); break;
			case KEY_ENTER: move_focus(st.focus + 1); break;
			default: break;
			}
		} else if (ch == KEY_ENTER)
			act(w, item_index(current_item(st.menu)));
		return;
	}
	switch (ch) {
	case '\t': move_focus(st.focus + 1); return;
	case 27: wiz_confirm(w, FOR_QUIT, "Quit hybridtls?"); return;
	case '\r': case '\n':
		if (st.focus < NFIELDS) {
			/* Enter in the domain field runs at once: what most admins want. */
			if (st.focus == F_TARGET) {
				sync(w);
				if (w->target[0] != '\0') {
					wiz_run(w);
					return;
				}
			}
			move_focus(st.focus + 1);
		} else
			act(w, item_index(current_item(st.menu)));
		return;
	default:
		break;
	}
	if (st.focus == NFIELDS) {
		if (ch == 'q')
			wiz_confirm(w, FOR_QUIT, "Quit hybridtls?");
		return;
	}
	if (ch == 127 || ch == 8)
		form_driver(st.form, REQ_DEL_PREV);
	else if (ch == 21)
		form_driver(st.form, REQ_CLR_FIELD);
	else if (ch >= 32)
		form_driver_w(st.form, OK, (wchar_t)ch);
}

const struct screen screen_start = {
	.name = "What to check",
	.own_erase = true,
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.help =
	"The first screen. Type the tenant's domain (contoso.com): hybridtls looks up its MX, talks SMTP to "
	"it as the on-premises server would (EHLO, STARTTLS, the certificate), checks the public IP on the "
	"blocklists and the domain's DNS records, all at once. A host (mail.contoso.com) or host:port probes "
	"that server only.\n\n"
	"Optional: the on-premises public host tests the other direction, Exchange Online delivering to "
	"you; a connector export (Get-InboundConnector | ConvertTo-Json) lets hybridtls compare the "
	"connector with what it sees; the on-premises certificate is checked as Exchange Online will and "
	"presented in STARTTLS. Its password is used once and never saved.\n\n"
	"Enter in the domain field runs the checks. Explain an error: paste an NDR or a queue error. Demo "
	"scenarios: recorded runs of common failures, no network needed.",
};

/*
 * The demo scenarios: captures of real runs installed with the program, one
 * per failure the troubleshooting story covers, opened like any capture.
 * They need no network: the way to learn the tool.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "term.h"
#include "ui.h"

#ifndef DEMODIR
#define DEMODIR "/usr/local/share/hybridtls/demos"
#endif
#ifndef SRCDIR_DEMOS
#define SRCDIR_DEMOS ""
#endif

#define MAXDEMO 32

static const struct {
	const char *file;
	const char *title;
} known[] = {
	{ "healthy.json", "Healthy: hybrid mail flow as it should be" },
	{ "blocklisted.json", "STARTTLS missing: the sending IP is on a blocklist" },
	{ "cert-expired.json", "The certificate has expired" },
	{ "missing-intermediate.json", "The server does not send its intermediate certificate" },
	{ "ip-not-in-connector.json", "The public IP is not in the inbound connector" },
	{ "cisco-inspection.json", "A Cisco firewall's ESMTP inspection hides STARTTLS" },
	{ "receive-connector-cert.json", "The receive connector's certificate binding is broken" },
	{ "dns-wrong.json", "The domain's DNS records are wrong" },
};

static struct {
	char *path[MAXDEMO];
	char *label[MAXDEMO];
	ITEM *it[MAXDEMO + 1];
	size_t n;
	MENU *menu;
	WINDOW *sub;
	int rows;
} st;

/* Where the demos are: installed, or in the source tree when run from the build. */
const char *demo_dir(void)
{
	const char *env = getenv("HYBRIDTLS_DEMOS");

	if (env != NULL && *env != '\0')
		return env;
	if (access(DEMODIR, R_OK) == 0)
		return DEMODIR;
	if (SRCDIR_DEMOS[0] != '\0' && access(SRCDIR_DEMOS, R_OK) == 0)
		return SRCDIR_DEMOS;
	return DEMODIR;
}

static void drop(void)
{
	if (st.menu != NULL) {
		unpost_menu(st.menu);
		free_menu(st.menu);
	}
	if (st.sub != NULL)
		delwin(st.sub);
	for (size_t i = 0; i < st.n; i++) {
		free_item(st.it[i]);
		free(st.path[i]);
		free(st.label[i]);
	}
	memset(&st, 0, sizeof st);
}

static int by_order(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add(const char *dir, const char *name, const char *title)
{
	if (st.n == MAXDEMO || asprintf(&st.path[st.n], "%s/%s", dir, name) < 0)
		return;
	st.label[st.n++] = strdup(title);
}

static void load(void)
{
	const char *dir = demo_dir();
	char *names[MAXDEMO];
	size_t n = 0;
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL && n < MAXDEMO) {
		size_t len = strlen(de->d_name);

		if (len > 5 && strcmp(de->d_name + len - 5, ".json") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	/* The story's order first, then anything else by name. */
	qsort(names, n, sizeof *names, by_order);
	for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
		for (size_t i = 0; i < n; i++)
			if (names[i] != NULL && strcmp(names[i], known[k].file) == 0) {
				add(dir, names[i], known[k].title);
				free(names[i]);
				names[i] = NULL;
			}
	for (size_t i = 0; i < n; i++)
		if (names[i] != NULL)
			add(dir, names[i], names[i]);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
}

static void enter(struct wiz *w)
{
	drop();
	load();
	if (st.n == 0) {
		wiz_message(w, ROLE_WARN, "No demo scenarios found in %s.", demo_dir());
		return;
	}
	for (size_t i = 0; i < st.n; i++)
		st.it[i] = new_item(st.label[i], "");
	st.it[st.n] = NULL;
	st.menu = new_menu(st.it);
	menu_opts_off(st.menu, O_SHOWDESC);
	set_menu_mark(st.menu, "> ");
	set_menu_fore(st.menu, term_attr(ROLE_TAB_CUR));
	st.rows = 0;
}

static void leave(struct wiz *w)
{
	(void)w;
	drop();
}

static void draw(struct wiz *w)
{
	static const char *const keys[] = { "Enter", "Open", "Esc", "Back", "F1", "Help", "q", "Quit", NULL };
	int rows = (int)st.n < w->rows - 7 ? (int)st.n : w->rows - 7;

	draw_title(w, "hybridtls: demo scenarios");
	attrset(term_attr(ROLE_HEAD));
	term_put(stdscr, 2, 2, "Recorded runs of the failures hybrid mail flow meets; no network needed.",
	    w->cols - 4);
	attrset(A_NORMAL);
	if (st.menu != NULL) {
		if (rows != st.rows || st.sub == NULL) {
			unpost_menu(st.menu);
			if (st.sub != NULL)
				delwin(st.sub);
			st.sub = derwin(stdscr, rows, w->cols - 6, 4, 3);
			set_menu_win(st.menu, stdscr);
			set_menu_sub(st.menu, st.sub);
			set_menu_format(st.menu, rows, 1);
			st.rows = rows;
		}
		unpost_menu(st.menu);
		post_menu(st.menu);
	}
	draw_message(w);
	draw_footer(w, keys);
}

bool wiz_open_capture(struct wiz *w, const char *path, const char *label)
{
	struct diagnosis d;
	char *err = NULL;

	if (!capture_load(path, &d, &err)) {
		wiz_message(w, ROLE_FAIL, "%s", err ? err : "cannot read the capture");
		free(err);
		return false;
	}
	session_load(&w->s, &d, label);
	w->step = STEP_SMTP;
	w->sel = 0;
	w->focus_list = false;
	wiz_go(w, &screen_steps);
	return true;
}

static void key(struct wiz *w, int ch, bool is_key)
{
	MEVENT ev;

	if (is_key) {
		if (ch == KEY_MOUSE && st.menu != NULL && getmouse(&ev) == OK && ev.y >= 4 && ev.y < 4 + st.rows) {
			size_t k = (size_t)top_row(st.menu) + (size_t)(ev.y - 4);

			if (k < st.n)
				wiz_open_capture(w, st.path[k], st.label[k]);
		} else if (ch == KEY_ENTER && st.menu != NULL) {
			int k = item_index(current_item(st.menu));

			wiz_open_capture(w, st.path[k], st.label[k]);
		} else if (st.menu != NULL) {
			if (ch == KEY_UP)
				menu_driver(st.menu, REQ_UP_ITEM);
			else if (ch == KEY_DOWN)
				menu_driver(st.menu, REQ_DOWN_ITEM);
		}
		return;
	}
	if ((ch == '\r' || ch == '\n') && st.menu != NULL) {
		int k = item_index(current_item(st.menu));

		wiz_open_capture(w, st.path[k], st.label[k]);
	} else if (ch == 27)
		wiz_go(w, &screen_start);
	else if (ch == 'q')
		wiz_confirm(w, FOR_QUIT, "Quit hybridtls?");
}

const struct screen screen_demo = {
	.name = "Demo scenarios",
	.enter = enter,
	.draw = draw,
	.key = key,
	.leave = leave,
	.help =
	"Each demo is a capture of a real run against test servers, with the names changed to Exchange "
	"Online ones: the facts as the probes saw them, judged by today's rules. Open one and walk the steps "
	"as you would in a live run; nothing goes on the network.",
};

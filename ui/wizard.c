/*
 * The wizard's loop: one poll() over the keyboard, the signal pipe and the
 * engine's sockets, so probes run while the admin reads; screens switch,
 * dialogs sit on top, and drawing happens once per turn when something changed.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "capture.h"
#include "connector.h"
#include "engine.h"
#include "json.h"
#include "outfile.h"
#include "report.h"
#include "report_md.h"
#include "term.h"
#include "ui.h"

#define MIN_COLS 64
#define MIN_ROWS 20

void wiz_go(struct wiz *w, const struct screen *scr)
{
	if (w->scr != NULL && w->scr->leave != NULL)
		w->scr->leave(w);
	w->scr = scr;
	erase();
	w->repaint = true;
	if (scr->enter != NULL)
		scr->enter(w);
	w->dirty = true;
}

void wiz_message(struct wiz *w, enum role r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof w->msg, fmt, ap);
	va_end(ap);
	w->msg_role = r;
	w->dirty = true;
}

const char *sev_mark(enum severity s)
{
	switch (s) {
	case SEV_OK: return term_glyph("\xe2\x9c\x94 OK  ", "[OK]  ");
	case SEV_INFO: return term_glyph("\xe2\x84\xb9 INFO", "[INFO]");
	case SEV_WARNING: return term_glyph("\xe2\x9a\xa0 WARN", "[WARN]");
	case SEV_FAILURE: return term_glyph("\xe2\x9c\x96 FAIL", "[FAIL]");
	case SEV_UNTESTED: return term_glyph("? N/T ", "[N/T] ");
	}
	return "?";
}

enum role sev_role(enum severity s)
{
	switch (s) {
	case SEV_OK: return ROLE_OK;
	case SEV_INFO: return ROLE_INFO;
	case SEV_WARNING: return ROLE_WARN;
	case SEV_FAILURE: return ROLE_FAIL;
	default: return ROLE_UNTESTED;
	}
}

void draw_title(struct wiz *w, const char *left)
{
	char right[96] = "";
	static const char *const spin_u[] = { "\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb9", "\xe2\xa0\xb8",
	    "\xe2\xa0\xbc", "\xe2\xa0\xb4", "\xe2\xa0\xa6", "\xe2\xa0\xa7", "\xe2\xa0\x87", "\xe2\xa0\x8f" };
	static const char *const spin_a[] = { "|", "/", "-", "\\" };
	int64_t ms = session_elapsed(&w->s);

	if (session_busy(&w->s)) {
		long tick = (long)(ms / 100);

		snprintf(right, sizeof right, "%s running %.1f s ",
		    term_caps.utf8 ? spin_u[tick % 10] : spin_a[tick % 4], ms / 1000.0);
	} else if (w->s.replay)
		snprintf(right, sizeof right, "capture ");
	else if (w->s.have_d)
		snprintf(right, sizeof right, "done in %.1f s ", ms / 1000.0);
	attrset(term_attr(ROLE_TITLE));
	move(0, 0);
	for (int i = 0; i < w->cols; i++)
		addch(' ');
	term_put(stdscr, 0, 1, left, w->cols - term_width(right) - 2);
	term_put(stdscr, 0, w->cols - term_width(right), right, term_width(right));
	attrset(A_NORMAL);
}

/* keys: pairs of key and what it does, NULL-terminated. */
void draw_footer(struct wiz *w, const char *const *keys)
{
	int x = 0, y = w->rows - 1;

	attrset(term_attr(ROLE_FOOTER));
	move(y, 0);
	for (int i = 0; i < w->cols; i++)
		addch(' ');
	for (size_t i = 0; keys[i] != NULL && keys[i + 1] != NULL; i += 2) {
		int need = term_width(keys[i]) + term_width(keys[i + 1]) + 2;

		if (x + need > w->cols)
			break;
		attrset(term_attr(ROLE_KEY));
		x += term_put(stdscr, y, x, keys[i], w->cols - x);
		attrset(term_attr(ROLE_FOOTER));
		x += term_put(stdscr, y, x, " ", 1);
		x += term_put(stdscr, y, x, keys[i + 1], w->cols - x);
		x += term_put(stdscr, y, x, "  ", w->cols - x);
	}
	attrset(A_NORMAL);
}

void draw_message(struct wiz *w)
{
	if (w->msg[0] == '\0')
		return;
	move(w->rows - 2, 0);
	clrtoeol();
	attrset(term_attr(w->msg_role));
	term_put(stdscr, w->rows - 2, 1, w->msg, w->cols - 2);
	attrset(A_NORMAL);
}

static void too_small(struct wiz *w)
{
	char line[160];

	erase();
	snprintf(line, sizeof line, "The terminal is %dx%d:", w->cols, w->rows);
	term_put(stdscr, 0, 0, line, w->cols);
	snprintf(line, sizeof line, "hybridtls needs at least %dx%d.", MIN_COLS, MIN_ROWS);
	term_put(stdscr, 1, 0, line, w->cols);
	term_put(stdscr, 2, 0, "Make the window larger,", w->cols);
	term_put(stdscr, 3, 0, "or press q to quit.", w->cols);
}

/* ---- dialogs: a line of input (form library), a yes/no question, the help ---- */

static void dialog_close(struct wiz *w)
{
	if (w->dlg.form != NULL) {
		unpost_form(w->dlg.form);
		free_form(w->dlg.form);
		free_field(w->dlg.field[0]);
	}
	if (w->dlg.sub != NULL)
		delwin(w->dlg.sub);
	if (w->dlg.win != NULL)
		delwin(w->dlg.win);
	tview_free(&w->dlg.help);
	w->dlg.form = NULL;
	w->dlg.field[0] = NULL;
	w->dlg.sub = w->dlg.win = NULL;
	w->dlg.kind = DLG_NONE;
	curs_set(0);
	touchwin(stdscr);
	w->dirty = true;
}

static void dialog_layout(struct wiz *w)
{
	int width = w->cols - 8 < 72 ? w->cols - 8 : 72;
	int height = w->dlg.kind == DLG_HELP ? w->rows - 4 : 5;
	int y = (w->rows - height) / 2, x = (w->cols - width) / 2;

	if (w->dlg.form != NULL)
		unpost_form(w->dlg.form);
	if (w->dlg.sub != NULL)
		delwin(w->dlg.sub);
	if (w->dlg.win != NULL)
		delwin(w->dlg.win);
	w->dlg.win = newwin(height, width, y, x);
	w->dlg.sub = derwin(w->dlg.win, 1, width - 4, 2, 2);
	keypad(w->dlg.win, TRUE);
	if (w->dlg.form != NULL) {
		set_form_win(w->dlg.form, w->dlg.win);
		set_form_sub(w->dlg.form, w->dlg.sub);
		post_form(w->dlg.form);
	}
}

void wiz_prompt(struct wiz *w, enum dialog_for what, const char *title, const char *initial, bool secret)
{
	dialog_close(w);
	w->dlg.kind = DLG_PROMPT;
	w->dlg.what = what;
	snprintf(w->dlg.title, sizeof w->dlg.title, "%s", title);
	w->dlg.field[0] = new_field(1, 60, 0, 0, 0, 0);
	w->dlg.field[1] = NULL;
	if (w->dlg.field[0] == NULL) {
		dialog_close(w);
		return;
	}
	field_opts_off(w->dlg.field[0], O_AUTOSKIP | O_STATIC);
	set_max_field(w->dlg.field[0], 1000);
	if (secret)
		field_opts_off(w->dlg.field[0], O_PUBLIC);
	set_field_back(w->dlg.field[0], term_attr(ROLE_FIELD));
	set_field_buffer(w->dlg.field[0], 0, initial ? initial : "");
	w->dlg.form = new_form(w->dlg.field);
	dialog_layout(w);
	form_driver(w->dlg.form, REQ_END_LINE);
	curs_set(1);
	w->dirty = true;
}

void wiz_confirm(struct wiz *w, enum dialog_for what, const char *title)
{
	dialog_close(w);
	w->dlg.kind = DLG_CONFIRM;
	w->dlg.what = what;
	snprintf(w->dlg.title, sizeof w->dlg.title, "%s", title);
	dialog_layout(w);
}

static const char general_help[] =
"\nKeys everywhere:\n"
"  F1 or ?     this help            q           quit (asks first)\n"
"  Tab         next field or pane   Esc         back\n"
"  arrows      move, scroll         Enter       open, choose\n"
"  Ctrl-C      quit at once; the terminal is put back as it was.\n"
"The mouse works too: click a tab, a finding or a menu entry; the wheel scrolls.";

void wiz_help(struct wiz *w)
{
	int width;

	dialog_close(w);
	w->dlg.kind = DLG_HELP;
	snprintf(w->dlg.title, sizeof w->dlg.title, "Help: %s", w->scr->name);
	dialog_layout(w);
	width = getmaxx(w->dlg.win) - 4;
	tview_wrap(&w->dlg.help, ROLE_NORMAL, width, 0, w->scr->help);
	tview_wrap(&w->dlg.help, ROLE_DIM, width, 0, general_help);
	w->dirty = true;
}

static void dialog_draw(struct wiz *w)
{
	WINDOW *d = w->dlg.win;
	int h, width;

	if (d == NULL)
		return;
	getmaxyx(d, h, width);
	/* The prompt's field is part of this window: clear around it only. */
	for (int y = 0; y < h; y++)
		if (w->dlg.kind != DLG_PROMPT || y != 2) {
			wmove(d, y, 0);
			wclrtoeol(d);
		}
	box(d, 0, 0);
	wattrset(d, term_attr(ROLE_HEAD));
	term_put(d, 0, 2, w->dlg.title, width - 4);
	wattrset(d, A_NORMAL);
	switch (w->dlg.kind) {
	case DLG_PROMPT:
		wattrset(d, term_attr(ROLE_DIM));
		term_put(d, h - 2, 2, "Enter: OK   Esc: cancel", width - 4);
		wattrset(d, A_NORMAL);
		break;
	case DLG_CONFIRM:
		term_put(d, 2, 2, "y: yes   n or Esc: no", width - 4);
		break;
	case DLG_HELP:
		tview_draw(&w->dlg.help, d, 1, 2, h - 3, width - 3);
		wattrset(d, term_attr(ROLE_DIM));
		term_put(d, h - 1, 2, " arrows scroll, Esc closes ", width - 4);
		wattrset(d, A_NORMAL);
		break;
	default:
		break;
	}
	wnoutrefresh(d);
	if (w->dlg.form != NULL) {
		pos_form_cursor(w->dlg.form);
		wnoutrefresh(w->dlg.sub);
	}
}

/* The field's text without the padding the form library adds. */
static void field_text(FIELD *f, char *out, size_t len)
{
	const char *b = field_buffer(f, 0);
	size_t n = b ? strlen(b) : 0;

	while (n > 0 && b[n - 1] == ' ')
		n--;
	snprintf(out, len, "%.*s", (int)n, b ? b : "");
}

static void dialog_key(struct wiz *w, wint_t ch, bool is_key)
{
	char text[1024];
	enum dialog_for what = w->dlg.what;

	if (w->dlg.kind == DLG_HELP) {
		if ((is_key && (ch == KEY_F(1))) || (!is_key && (ch == 27 || ch == 'q' || ch == '?' || ch == '\r' ||
		    ch == '\n')))
			dialog_close(w);
		else if (is_key)
			tview_key(&w->dlg.help, ch, getmaxy(w->dlg.win) - 3);
		w->dirty = true;
		return;
	}
	if (w->dlg.kind == DLG_CONFIRM) {
		if (!is_key && (ch == 'y' || ch == 'Y')) {
			dialog_close(w);
			wiz_answer(w, what, "y");
		} else if (!is_key && (ch == 'n' || ch == 'N' || ch == 27 || ch == 'q'))
			dialog_close(w);
		return;
	}
	/* A prompt. */
	if (!is_key && ch == 27) {
		dialog_close(w);
		return;
	}
	if (!is_key && (ch == '\r' || ch == '\n')) {
		form_driver(w->dlg.form, REQ_VALIDATION);
		field_text(w->dlg.field[0], text, sizeof text);
		if (w->dlg.field[0] != NULL && !(field_opts(w->dlg.field[0]) & O_PUBLIC))
			set_field_buffer(w->dlg.field[0], 0, "");
		dialog_close(w);
		wiz_answer(w, what, text);
		explicit_bzero(text, sizeof text);
		return;
	}
	if (is_key) {
		switch (ch) {
		case KEY_LEFT: form_driver(w->dlg.form, REQ_PREV_CHAR); break;
		case KEY_RIGHT: form_driver(w->dlg.form, REQ_NEXT_CHAR); break;
		case KEY_HOME: form_driver(w->dlg.form, REQ_BEG_LINE); break;
		case KEY_END: form_driver(w->dlg.form, REQ_END_LINE); break;
		case KEY_BACKSPACE: form_driver(w->dlg.form, REQ_DEL_PREV); break;
		case KEY_DC: form_driver(w->dlg.form, REQ_DEL_CHAR); break;
		default: break;
		}
	} else if (ch == 127 || ch == 8)
		form_driver(w->dlg.form, REQ_DEL_PREV);
	else if (ch == 21)	/* Ctrl-U */
		form_driver(w->dlg.form, REQ_CLR_FIELD);
	else if (ch >= 32)
		form_driver_w(w->dlg.form, OK, (wchar_t)ch);
	w->dirty = true;
}

/* ---- what the answers do ---- */

static void export_report(struct wiz *w, enum dialog_for what, const char *path)
{
	struct outfile of;
	struct diagnosis v;
	char err[512];
	bool ok = true;

	session_view(&w->s, &v);
	if (!outfile_open(&of, path, err, sizeof err)) {
		wiz_message(w, ROLE_FAIL, "Not saved: %s", err);
		return;
	}
	if (what == FOR_EXPORT_TEXT) {
		struct report_options ro = { .verbose = false, .width = 80 };

		report_text(of.fp, &v, &w->s.fs, &ro);
	} else if (what == FOR_EXPORT_MD)
		report_markdown(of.fp, "check", &v, &w->s.fs);
	else {
		json_t *j = json_report("check", &v, &w->s.fs);

		ok = j != NULL && json_write(j, of.fp, err, sizeof err);
		json_decref(j);
	}
	if (!ok) {
		outfile_abort(&of);
		wiz_message(w, ROLE_FAIL, "Not saved: %s", err);
	} else if (!outfile_commit(&of, err, sizeof err))
		wiz_message(w, ROLE_FAIL, "Not saved: %s", err);
	else
		wiz_message(w, ROLE_OK, "Report saved to %s", path);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static void save_capture(struct wiz *w, const char *path)
{
	struct diagnosis v;
	char *err = NULL;

	if (!w->s.have_d && !session_busy(&w->s)) {
		wiz_message(w, ROLE_WARN, "Nothing to save yet: run the checks first.");
		return;
	}
	session_view(&w->s, &v);
	if (!capture_save(&v, path, &err))
		wiz_message(w, ROLE_FAIL, "Not saved: %s", err ? err : "?");
	else
		wiz_message(w, ROLE_OK, "Capture saved to %s (replay it with: hybridtls replay %s)", path, path);
	free(err);
}

/* A public IP typed by hand: the blocklists, the PTR and the connector are judged for it. */
static void set_public_ip(struct wiz *w, const char *ip)
{
	unsigned char b[16];
	char err[300];

	if (inet_pton(AF_INET, ip, b) != 1 && inet_pton(AF_INET6, ip, b) != 1) {
		wiz_message(w, ROLE_WARN, "'%s' is not an IPv4 or IPv6 address.", ip);
		return;
	}
	if (!w->s.planned || w->s.replay) {
		wiz_message(w, ROLE_WARN, "Run the checks first (a capture's facts are fixed).");
		return;
	}
	snprintf(w->ip, sizeof w->ip, "%s", ip);
	w->s.plan.co.ip = w->ip;
	w->s.in.ip = w->ip;	/* and for a whole re-run (r on the summary) */
	free(w->s.d.given_ip);
	w->s.d.given_ip = strdup(w->ip);
	if (!session_rerun(&w->s, STEP_BLOCKLIST, err, sizeof err))
		wiz_message(w, ROLE_WARN, "%s", err);
	else
		wiz_message(w, ROLE_INFO, "Checking %s on the blocklists.", w->ip);
	session_rerun(&w->s, STEP_DNS, err, sizeof err);
}

static void add_typed_connector(struct wiz *w, const char *cert_name)
{
	char err[300];

	if (!session_add_typed(&w->s, w->typed_ips, cert_name, err, sizeof err)) {
		wiz_message(w, ROLE_WARN, "%s", err);
		return;
	}
	wiz_message(w, ROLE_INFO, "The typed values are compared with what the probe saw.");
}

/* "from@a, to@b": the envelope test's two addresses; then the SMTP step runs again with them. */
static void start_envelope(struct wiz *w, const char *answer)
{
	char buf[600], *to, err[300];

	snprintf(buf, sizeof buf, "%s", answer);
	to = strpbrk(buf, ", ");
	if (to == NULL) {
		wiz_message(w, ROLE_WARN, "Type two addresses: the sender, a comma, the recipient.");
		return;
	}
	*to++ = '\0';
	to += strspn(to, ", ");
	if (strchr(buf, '@') == NULL || strchr(to, '@') == NULL || strpbrk(to, " <>\r\n") != NULL ||
	    strpbrk(buf, " <>\r\n") != NULL) {
		wiz_message(w, ROLE_WARN, "Two mail addresses, such as postmaster@contoso.com, user@contoso.com.");
		return;
	}
	snprintf(w->env_from, sizeof w->env_from, "%s", buf);
	snprintf(w->env_to, sizeof w->env_to, "%s", to);
	w->s.plan.co.smtp.envelope_from = w->env_from;
	w->s.plan.co.smtp.envelope_to = w->env_to;
	if (!session_rerun(&w->s, STEP_SMTP, err, sizeof err))
		wiz_message(w, ROLE_WARN, "%s", err);
	else
		wiz_message(w, ROLE_INFO, "Running the conversation again with MAIL FROM and RCPT TO (never DATA).");
}

void wiz_answer(struct wiz *w, enum dialog_for what, const char *answer)
{
	if (*answer == '\0' && what != FOR_QUIT && what != FOR_TYPED_CERT)
		return;
	switch (what) {
	case FOR_QUIT:
		w->quit = true;
		break;
	case FOR_EXPORT_TEXT:
	case FOR_EXPORT_MD:
	case FOR_EXPORT_JSON:
		/* The file name's ending picks the format. */
		export_report(w, ends_with(answer, ".json") ? FOR_EXPORT_JSON : ends_with(answer, ".md") ||
		    ends_with(answer, ".markdown") ? FOR_EXPORT_MD : FOR_EXPORT_TEXT, answer);
		break;
	case FOR_SAVE_CAPTURE:
		save_capture(w, answer);
		break;
	case FOR_OPEN_CAPTURE:
		wiz_open_capture(w, answer, answer);
		break;
	case FOR_PUBLIC_IP:
		set_public_ip(w, answer);
		break;
	case FOR_TYPED_IPS:
		snprintf(w->typed_ips, sizeof w->typed_ips, "%s", answer);
		wiz_prompt(w, FOR_TYPED_CERT, "TlsSenderCertificateName (empty if none)", "", false);
		break;
	case FOR_TYPED_CERT:
		add_typed_connector(w, answer);
		break;
	case FOR_ENVELOPE_CONSENT:
		wiz_prompt(w, FOR_ENVELOPE, "Sender and recipient: from@domain, to@domain", "", false);
		break;
	case FOR_ENVELOPE:
		start_envelope(w, answer);
		break;
	case FOR_CERT_PASSWORD:
		snprintf(w->password, sizeof w->password, "%s", answer);
		wiz_run(w);
		break;
	}
	w->dirty = true;
}

/* ---- the loop ---- */

static void draw(struct wiz *w)
{
	getmaxyx(stdscr, w->rows, w->cols);
	if (w->cols < MIN_COLS || w->rows < MIN_ROWS) {
		too_small(w);
		w->repaint = true;
	} else {
		if (!w->scr->own_erase)
			erase();
		w->scr->draw(w);
		w->repaint = false;
	}
	wnoutrefresh(stdscr);
	if (w->dlg.kind != DLG_NONE && w->cols >= MIN_COLS && w->rows >= MIN_ROWS)
		dialog_draw(w);
	doupdate();
	w->dirty = false;
}

static void on_key(struct wiz *w, wint_t ch, bool is_key)
{
	if (is_key && ch == KEY_RESIZE) {
		getmaxyx(stdscr, w->rows, w->cols);
		if (w->dlg.kind != DLG_NONE && w->cols >= MIN_COLS && w->rows >= MIN_ROWS)
			dialog_layout(w);
		erase();
		w->repaint = true;
		w->dirty = true;
		return;
	}
	if (w->cols < MIN_COLS || w->rows < MIN_ROWS) {
		if (!is_key && (ch == 'q' || ch == 'Q'))
			w->quit = true;
		return;
	}
	if (w->dlg.kind != DLG_NONE) {
		dialog_key(w, ch, is_key);
		return;
	}
	if (w->msg[0] != '\0') {
		w->msg[0] = '\0';
		w->dirty = true;
	}
	if ((is_key && ch == KEY_F(1)) || (!is_key && ch == '?' && w->scr != &screen_explain)) {
		wiz_help(w);
		return;
	}
	w->scr->key(w, (int)ch, is_key);
	w->dirty = true;
}

static void loop(struct wiz *w)
{
	while (!w->quit) {
		struct pollfd pfd[258];
		size_t n;
		int timeout, sig;
		wint_t ch;
		int r;

		if (w->dirty)
			draw(w);
		pfd[0] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = term_signal_fd(), .events = POLLIN };
		n = engine_pollfds(w->e, pfd + 2, 256);
		timeout = engine_timeout(w->e);
		/* The spinner and the elapsed time move while anything runs. */
		if (session_busy(&w->s) && (timeout < 0 || timeout > 100))
			timeout = 100;
		if (poll(pfd, n + 2, timeout) < 0 && errno != EINTR)
			break;
		if ((sig = term_take_signal()) != 0) {
			w->status = 128 + sig;
			break;
		}
		engine_process(w->e, pfd + 2, n);
		if (session_update(&w->s))
			w->dirty = true;
		if (session_busy(&w->s))
			w->dirty = true;
		while ((r = wget_wch(stdscr, &ch)) != ERR) {
			if (r == KEY_CODE_YES && ch == KEY_MOUSE && w->scr->key != NULL) {
				w->scr->key(w, KEY_MOUSE, true);
				w->dirty = true;
			} else
				on_key(w, ch, r == KEY_CODE_YES);
			if (w->quit)
				break;
		}
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)) {
			w->status = 3;
			break;
		}
	}
}

int wizard_main(const struct wizard_args *a)
{
	struct engine_options eo = { .resolver = a->resolver };
	struct wiz *w;
	char err[512], *cause = NULL;
	int status;

	if ((w = calloc(1, sizeof *w)) == NULL)
		return 3;
	w->args = a;
	w->in = a->in;
	if (a->in.target != NULL)
		snprintf(w->target, sizeof w->target, "%s", a->in.target);
	if (a->in.onprem != NULL)
		snprintf(w->onprem, sizeof w->onprem, "%s", a->in.onprem);
	if (a->in.nconnector > 0)
		snprintf(w->connector, sizeof w->connector, "%s", a->in.connector[0]);
	if (a->in.cert != NULL)
		snprintf(w->cert, sizeof w->cert, "%s", a->in.cert);
	if (a->in.password != NULL)
		snprintf(w->password, sizeof w->password, "%s", a->in.password);
	if ((w->e = engine_new(&eo, &cause)) == NULL) {
		fprintf(stderr, "hybridtls: %s\n", cause ? cause : "cannot start");
		free(cause);
		free(w);
		return 3;
	}
	if (!term_init(err, sizeof err)) {
		fprintf(stderr, "hybridtls: %s\n", err);
		engine_free(w->e);
		free(w);
		return 64;
	}
	session_init(&w->s, w->e);
	getmaxyx(stdscr, w->rows, w->cols);
	wiz_go(w, &screen_start);
	if (a->replay != NULL)
		wiz_open_capture(w, a->replay, a->replay);
	else if (a->start)
		wiz_run(w);
	loop(w);
	status = w->status;
	if (w->dlg.kind != DLG_NONE)
		dialog_close(w);
	if (w->scr->leave != NULL)
		w->scr->leave(w);
	term_restore();
	session_free(&w->s);
	tview_free(&w->content);
	tview_free(&w->detail);
	engine_free(w->e);
	explicit_bzero(w->password, sizeof w->password);
	free(w);
	return status;
}

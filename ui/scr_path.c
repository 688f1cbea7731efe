/*
 * The mail path as a picture: on-premises Exchange to Exchange Online and
 * back, each hop and arrow with its status and the fact that decides it. The
 * cursor moves from part to part; Enter opens the findings of the part.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "kb.h"
#include "mailpath.h"
#include "term.h"
#include "ui.h"

static struct {
	enum mailpath_part cur;
	bool placed;		/* the cursor was put on the focus part once */
	unsigned gen;
} st;

static enum role status_role(enum mailpath_status s)
{
	switch (s) {
	case MP_GOOD: return ROLE_OK;
	case MP_WARNING: return ROLE_WARN;
	case MP_FAILED: return ROLE_FAIL;
	default: return ROLE_UNTESTED;
	}
}

static void enter(struct wiz *w)
{
	if (st.gen != w->s.gen)
		st.placed = false;
}

static void draw(struct wiz *w)
{
	static const char *const keys[] = { "\xe2\x86\x90\xe2\x86\x91\xe2\x86\x93\xe2\x86\x92", "Move", "Enter",
	    "Findings", "Esc", "Back", "F1", "Help", "q", "Quit", NULL };
	static const char *const keys_a[] = { "Arrows", "Move", "Enter", "Findings", "Esc", "Back", "F1", "Help",
	    "q", "Quit", NULL };
	struct diagnosis v;
	struct mailpath mp;
	struct mailpath_render r;
	const struct mailpath_hop *h;
	char title[300], line[400];
	int top = 2;

	snprintf(title, sizeof title, "hybridtls: %s: the mail path", w->s.source ? w->s.source : "");
	draw_title(w, title);
	session_view(&w->s, &v);
	if (!mailpath_build(&mp, &v, &w->s.fs)) {
		term_put(stdscr, 2, 1, "out of memory", w->cols - 2);
		return;
	}
	if (!st.placed || st.gen != w->s.gen) {
		st.cur = mp.focus;
		st.placed = true;
		st.gen = w->s.gen;
	}
	if (!mailpath_render(&mp, w->cols - 2, term_caps.utf8 ? MAILPATH_UTF8 : MAILPATH_ASCII, &r)) {
		mailpath_free(&mp);
		return;
	}
	for (size_t i = 0; i < r.nlines && top + (int)i < w->rows - 4; i++)
		term_put(stdscr, top + (int)i, 1, r.lines[i], w->cols - 2);
	/* Colour on top of the words and symbols the picture already carries; the cursor in reverse. */
	for (int p = 0; p < MP_COUNT; p++) {
		const struct mailpath_box *b = &r.box[p];
		int attr = term_attr(status_role(mp.hop[p].status));

		if (b->width <= 0)
			continue;
		if (p == (int)st.cur)
			attr = (attr & ~A_COLOR) | A_REVERSE | A_BOLD;
		for (int y = 0; y < b->height; y++)
			if (top + b->row + y < w->rows - 4)
				mvchgat(top + b->row + y, 1 + b->col, b->width, (attr_t)(attr & ~A_COLOR),
				    (short)PAIR_NUMBER(attr), NULL);
	}
	h = &mp.hop[st.cur];
	snprintf(line, sizeof line, "%s: %s%s%s%s", h->title, mailpath_status_word(h->status),
	    h->fact[0] ? ", " : "", h->fact, h->root ? "  (ROOT CAUSE)" : "");
	attrset(term_attr(ROLE_HEAD));
	term_put(stdscr, w->rows - 4, 1, line, w->cols - 2);
	attrset(term_attr(ROLE_DIM));
	snprintf(line, sizeof line, h->nfindings == 0 ? "No finding here." : "%zu finding%s: Enter opens %s.",
	    h->nfindings, h->nfindings == 1 ? "" : "s", h->nfindings == 1 ? "it" : "them, n/p move between them");
	term_put(stdscr, w->rows - 3, 1, line, w->cols - 2);
	attrset(A_NORMAL);
	mailpath_render_free(&r);
	mailpath_free(&mp);
	draw_message(w);
	draw_footer(w, term_caps.utf8 ? keys : keys_a);
}

/* The findings of the part under the cursor, opened one after another in the detail screen. */
static void open_part(struct wiz *w)
{
	struct diagnosis v;
	struct mailpath mp;
	const struct mailpath_hop *h;

	session_view(&w->s, &v);
	if (!mailpath_build(&mp, &v, &w->s.fs))
		return;
	h = &mp.hop[st.cur];
	w->detail_n = 0;
	for (size_t i = 0; i < h->nfindings && w->detail_n < sizeof w->detail_list / sizeof w->detail_list[0]; i++)
		w->detail_list[w->detail_n++] = h->findings[i];
	mailpath_free(&mp);
	if (w->detail_n == 0) {
		wiz_message(w, ROLE_DIM, "No finding belongs to this part.");
		return;
	}
	wiz_open_finding(w, w->detail_list[0], &screen_path);
}

static void key(struct wiz *w, int ch, bool is_key)
{
	if (is_key) {
		switch (ch) {
		case KEY_LEFT: case KEY_UP:
			st.cur = st.cur == 0 ? MP_COUNT - 1 : st.cur - 1;
			return;
		case KEY_RIGHT: case KEY_DOWN:
			st.cur = st.cur + 1 == MP_COUNT ? 0 : st.cur + 1;
			return;
		case KEY_ENTER:
			open_part(w);
			return;
		default:
			return;
		}
	}
	switch (ch) {
	case '\t':
		st.cur = st.cur + 1 == MP_COUNT ? 0 : st.cur + 1;
		return;
	case '\r': case '\n':
		open_part(w);
		return;
	case 27: case 'p':
		wiz_go(w, &screen_steps);
		return;
	case 'q':
		wiz_confirm(w, FOR_QUIT, "Quit hybridtls?");
		return;
	default:
		return;
	}
}

const struct screen screen_path = {
	.name = "Mail path",
	.enter = enter,
	.draw = draw,
	.key = key,
	.help =
	"The hybrid mail path as a picture. Left, on-premises Exchange sending to Exchange Online: your "
	"server and its certificate, the network edge (the firewall, SMTP inspection, the public IP after "
	"NAT), the internet (MX, DNS, blocklists) and Exchange Online Protection (its endpoint, its "
	"certificate, the inbound connector). Right, the way back: Exchange Online's outbound connector, "
	"your public endpoint, its certificate and the name Exchange Online expects. Each box and arrow "
	"says its status in a word and a symbol (the colour only repeats it) and the one fact that decides "
	"it; the root cause stands out. Arrows move the cursor; Enter opens the findings of that part.",
};

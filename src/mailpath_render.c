/*
 * Drawing the mail path as text: boxes for the hops, arrow lines between
 * them, the outbound direction on the left and the return direction on the
 * right (one under the other when narrow). Every status is a symbol and a
 * word, the part where the path breaks has a double frame and says so, and
 * no line is wider than asked.
 */
#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mailpath.h"

struct glyphs {
	const char *tl, *tr, *bl, *br, *h, *v;	/* frame */
	const char *dtl, *dtr, *dbl, *dbr, *dh, *dv;	/* the marked part's frame */
	const char *arrow, *ellipsis;
	size_t ellipsis_w;
	const char *sym[4];	/* by enum mailpath_status */
	const char *to;		/* in the column headings */
};

static const struct glyphs glyphs_utf8 = {
	"\u250c", "\u2510", "\u2514", "\u2518", "\u2500", "\u2502",
	"\u2554", "\u2557", "\u255a", "\u255d", "\u2550", "\u2551",
	"\u25bc", "\u2026", 1,
	{ [MP_NOT_TESTED] = "?", [MP_GOOD] = "\u2713", [MP_WARNING] = "!", [MP_FAILED] = "\u2717" },
	"\u2192",
};

static const struct glyphs glyphs_ascii = {
	"+", "+", "+", "+", "-", "|",
	"#", "#", "#", "#", "=", "#",
	"v", "...", 3,
	{ [MP_NOT_TESTED] = "?", [MP_GOOD] = "*", [MP_WARNING] = "!", [MP_FAILED] = "X" },
	"->",
};

size_t mailpath_display_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* A line being built, with its width in display cells. */
struct seg {
	char *buf;
	size_t len, cap;
	size_t cols;
	bool oom;
};

static void put(struct seg *s, const char *text)
{
	size_t n = strlen(text);

	if (s->oom)
		return;
	if (s->len + n + 1 > s->cap) {
		size_t cap = (s->len + n + 1) * 2;
		char *b = realloc(s->buf, cap);

		if (b == NULL) {
			s->oom = true;
			return;
		}
		s->buf = b;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, text, n + 1);
	s->len += n;
	s->cols += mailpath_display_width(text);
}

static void repeat(struct seg *s, const char *text, size_t n)
{
	while (n-- > 0)
		put(s, text);
}

/* Put ASCII text cut to at most max cells, ending in an ellipsis when cut. */
static void put_fit(struct seg *s, const char *text, size_t max, const struct glyphs *g)
{
	char buf[256];
	size_t n = strlen(text);

	if (n <= max) {
		put(s, text);
		return;
	}
	if (max <= g->ellipsis_w) {
		repeat(s, ".", max);
		return;
	}
	n = max - g->ellipsis_w;
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	put(s, buf);
	put(s, g->ellipsis);
}

/* Pad with spaces to width cells. */
static void pad(struct seg *s, size_t width)
{
	if (s->cols < width)
		repeat(s, " ", width - s->cols);
}

static const char *mark_word(const struct mailpath *mp, enum mailpath_part p)
{
	if (mp->hop[p].root)
		return "ROOT CAUSE";
	if (mp->focus_marked && mp->focus == p)
		return "BREAKS HERE";
	return NULL;
}

/* Row r (0 top, 1 fact, 2 bottom) of a hop's box, w cells wide. */
static void box_row(struct seg *s, const struct mailpath *mp, enum mailpath_part p, int r, size_t w,
    const struct glyphs *g)
{
	const struct mailpath_hop *h = &mp->hop[p];
	const char *mark = mark_word(mp, p);
	const char *H = mark ? g->dh : g->h, *V = mark ? g->dv : g->v;
	const char *word = mailpath_status_word(h->status);
	size_t start = s->cols;

	if (r == 0) {
		/* corner, rule, title, rule, symbol and word, rule, corner */
		size_t status_w = 1 + 1 + strlen(word);
		size_t max_title = w > status_w + 9 ? w - status_w - 9 : 1;

		put(s, mark ? g->dtl : g->tl);
		put(s, H);
		put(s, " ");
		put_fit(s, h->title, max_title, g);
		put(s, " ");
		repeat(s, H, w - (s->cols - start) - status_w - 4);
		put(s, " ");
		put(s, g->sym[h->status]);
		put(s, " ");
		put(s, word);
		put(s, " ");
		put(s, H);
		put(s, mark ? g->dtr : g->tr);
	} else if (r == 1) {
		put(s, V);
		put(s, " ");
		put_fit(s, h->fact, w - 4, g);
		pad(s, start + w - 2);
		put(s, " ");
		put(s, V);
	} else {
		put(s, mark ? g->dbl : g->bl);
		if (mark != NULL && w > strlen(mark) + 5) {
			repeat(s, H, w - strlen(mark) - 5);
			put(s, " ");
			put(s, mark);
			put(s, " ");
			put(s, H);
		} else {
			repeat(s, H, w - 2);
		}
		put(s, mark ? g->dbr : g->br);
	}
}

/* An arrow's line: the arrow, the symbol and word, the fact, w cells at most. */
static void arrow_row(struct seg *s, const struct mailpath *mp, enum mailpath_part p, size_t w,
    const struct glyphs *g)
{
	const struct mailpath_hop *h = &mp->hop[p];
	const char *mark = mark_word(mp, p);
	char text[256];
	size_t start = s->cols, used;

	put(s, " ");
	put(s, g->arrow);
	put(s, " ");
	put(s, g->sym[h->status]);
	put(s, " ");
	put(s, mailpath_status_word(h->status));
	put(s, "  ");
	snprintf(text, sizeof text, "%s%s%s", mark ? mark : "", mark ? ": " : "", h->fact);
	used = s->cols - start;
	put_fit(s, text, w > used ? w - used : 0, g);
}

/* The rows of one direction, from row 0 (the heading), as parts. */
static const enum mailpath_part outbound[] = { MP_ONPREM, MP_SEND, MP_EDGE, MP_CONNECT, MP_INTERNET,
    MP_SESSION, MP_EOP };
static const enum mailpath_part inbound[] = { MP_EXO, MP_RCONNECT, MP_ENDPOINT, MP_RTLS, MP_RCERT };

/* What a direction shows on row r (from 0): a heading, a part's row, or nothing. */
struct cell {
	enum { C_NONE, C_HEADING, C_PART, C_LEGEND } kind;
	enum mailpath_part part;
	int r;
};

static struct cell direction_cell(const struct mailpath *mp, const enum mailpath_part *parts, size_t n,
    int row)
{
	struct cell c = { C_NONE, MP_COUNT, 0 };
	int y = 1;

	if (row == 0) {
		c.kind = C_HEADING;
		return c;
	}
	for (size_t i = 0; i < n; i++) {
		int height = mp->hop[parts[i]].arrow ? 1 : 3;

		if (row < y + height) {
			c.kind = C_PART;
			c.part = parts[i];
			c.r = row - y;
			return c;
		}
		y += height;
	}
	return c;
}

static int direction_height(const struct mailpath *mp, const enum mailpath_part *parts, size_t n)
{
	int h = 1;

	for (size_t i = 0; i < n; i++)
		h += mp->hop[parts[i]].arrow ? 1 : 3;
	return h;
}

static void draw_cell(struct seg *s, const struct mailpath *mp, struct cell c, const char *heading,
    int legend_line, size_t w, const struct glyphs *g)
{
	char text[160];
	size_t start = s->cols;

	switch (c.kind) {
	case C_HEADING:
		put_fit(s, heading, w, g);
		break;
	case C_PART:
		if (mp->hop[c.part].arrow)
			arrow_row(s, mp, c.part, w, g);
		else
			box_row(s, mp, c.part, c.r, w, g);
		break;
	case C_LEGEND:
		if (legend_line == 0)
			snprintf(text, sizeof text, "%s OK  %s WARN  %s FAIL  %s NOT TESTED", g->sym[MP_GOOD],
			    g->sym[MP_WARNING], g->sym[MP_FAILED], g->sym[MP_NOT_TESTED]);
		else
			snprintf(text, sizeof text, "%s%s%s frame: where it breaks", g->dtl, g->dh, g->dtr);
		/* The legend holds glyphs: cut it by cells only when it cannot fit. */
		if (mailpath_display_width(text) <= w)
			put(s, text);
		break;
	case C_NONE:
		break;
	}
	pad(s, start + w);
}

static void record(struct mailpath_render *out, const struct mailpath *mp, struct cell c, int row, int col,
    int w)
{
	struct mailpath_box *b;

	if (c.kind != C_PART || c.r != 0)
		return;
	b = &out->box[c.part];
	b->row = row;
	b->col = col;
	b->width = w;
	b->height = mp->hop[c.part].arrow ? 1 : 3;
}

static bool push_line(struct mailpath_render *out, struct seg *s)
{
	char **v;

	if (s->oom)
		return false;
	while (s->len > 0 && s->buf[s->len - 1] == ' ')
		s->buf[--s->len] = '\0';
	if ((v = realloc(out->lines, (out->nlines + 1) * sizeof *v)) == NULL)
		return false;
	out->lines = v;
	out->lines[out->nlines++] = s->buf;
	memset(s, 0, sizeof *s);
	put(s, "");
	return !s->oom;
}

bool mailpath_render(const struct mailpath *mp, int width, enum mailpath_charset cs,
    struct mailpath_render *out)
{
	const struct glyphs *g = cs == MAILPATH_UTF8 ? &glyphs_utf8 : &glyphs_ascii;
	size_t nout = sizeof outbound / sizeof outbound[0], nin = sizeof inbound / sizeof inbound[0];
	int hout = direction_height(mp, outbound, nout), hin = direction_height(mp, inbound, nin);
	char head_out[80], head_in[80];
	struct seg s = { 0 };

	memset(out, 0, sizeof *out);
	if (width < MAILPATH_MIN_WIDTH)
		width = MAILPATH_MIN_WIDTH;
	if (width > 1000)
		width = 1000;
	snprintf(head_out, sizeof head_out, "On-premises %s Exchange Online", g->to);
	snprintf(head_in, sizeof head_in, "Exchange Online %s on-premises", g->to);
	put(&s, "");

	if (width >= MAILPATH_TWO_COLUMNS) {
		int lw = width / 2, rw = width - lw - 1;

		/* The return direction is shorter: the legend goes under it, after a blank row. */
		for (int row = 0; row < hout || row < hin + 3; row++) {
			struct cell l = direction_cell(mp, outbound, nout, row);
			struct cell r = direction_cell(mp, inbound, nin, row);

			if (row == hin + 1 || row == hin + 2)
				r.kind = C_LEGEND;
			record(out, mp, l, row, 0, lw);
			record(out, mp, r, row, lw + 1, rw);
			draw_cell(&s, mp, l, head_out, 0, (size_t)lw, g);
			put(&s, " ");
			draw_cell(&s, mp, r, head_in, row - hin - 1, (size_t)rw, g);
			if (!push_line(out, &s))
				goto oom;
		}
	} else {
		/* One direction under the other, then the legend. */
		int row = 0;

		for (int y = 0; y < hout; y++, row++) {
			struct cell c = direction_cell(mp, outbound, nout, y);

			record(out, mp, c, row, 0, width);
			draw_cell(&s, mp, c, head_out, 0, (size_t)width, g);
			if (!push_line(out, &s))
				goto oom;
		}
		if (!push_line(out, &s))
			goto oom;
		row++;
		for (int y = 0; y < hin; y++, row++) {
			struct cell c = direction_cell(mp, inbound, nin, y);

			record(out, mp, c, row, 0, width);
			draw_cell(&s, mp, c, head_in, 0, (size_t)width, g);
			if (!push_line(out, &s))
				goto oom;
		}
		for (int k = -1; k < 2; k++) {
			struct cell c = { k < 0 ? C_NONE : C_LEGEND, MP_COUNT, 0 };

			draw_cell(&s, mp, c, "", k, (size_t)width, g);
			if (!push_line(out, &s))
				goto oom;
		}
	}
	free(s.buf);
	return true;
oom:
	free(s.buf);
	mailpath_render_free(out);
	return false;
}

void mailpath_render_free(struct mailpath_render *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->nlines; i++)
		free(r->lines[i]);
	free(r->lines);
	r->lines = NULL;
	r->nlines = 0;
}

/*
 * The codeset of the environment's locale. The process may still run in the
 * "C" locale (the command line never calls setlocale), so look with the
 * environment's LC_CTYPE for a moment and put the old one back.
 */
bool mailpath_locale_utf8(void)
{
	const char *cur = setlocale(LC_CTYPE, NULL);
	char *saved = cur ? strdup(cur) : NULL;
	bool utf8 = false;

	if (setlocale(LC_CTYPE, "") != NULL) {
		const char *cs = nl_langinfo(CODESET);

		utf8 = cs != NULL && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
	}
	if (saved != NULL) {
		setlocale(LC_CTYPE, saved);
		free(saved);
	}
	return utf8;
}

bool mailpath_print(FILE *out, const struct diagnosis *d, const struct findings *fs, int width,
    enum mailpath_charset cs, const char *indent)
{
	struct mailpath mp;
	struct mailpath_render r;
	int w = width - (int)strlen(indent);

	if (!d->has_smtp && !d->has_onprem)
		return true;
	if (!mailpath_build(&mp, d, fs))
		return false;
	if (!mailpath_render(&mp, w, cs, &r)) {
		mailpath_free(&mp);
		return false;
	}
	for (size_t i = 0; i < r.nlines; i++)
		fprintf(out, "%s%s\n", r.lines[i][0] ? indent : "", r.lines[i]);
	mailpath_render_free(&r);
	mailpath_free(&mp);
	return true;
}

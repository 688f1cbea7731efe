#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tview.h"

static void push(struct tview *tv, enum role r, char *text)
{
	if (text == NULL)
		return;
	if (tv->n == tv->cap) {
		size_t cap = tv->cap ? tv->cap * 2 : 64;
		struct tview_line *v = realloc(tv->v, cap * sizeof *v);

		if (v == NULL) {
			free(text);
			return;
		}
		tv->v = v;
		tv->cap = cap;
	}
	tv->v[tv->n].text = text;
	tv->v[tv->n++].role = r;
}

void tview_clear(struct tview *tv)
{
	for (size_t i = 0; i < tv->n; i++)
		free(tv->v[i].text);
	tv->n = 0;
}

void tview_free(struct tview *tv)
{
	tview_clear(tv);
	free(tv->v);
	memset(tv, 0, sizeof *tv);
}

void tview_add(struct tview *tv, enum role r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	push(tv, r, s);
}

/* Bytes of s that fit in cols display columns (UTF-8 continuation bytes take none). */
static size_t fit(const char *s, size_t n, int cols)
{
	size_t i = 0;
	int used = 0;

	while (i < n) {
		size_t k = 1;

		while (i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80)
			k++;
		if (used + 1 > cols)
			break;
		used++;
		i += k;
	}
	return i;
}

void tview_wrap(struct tview *tv, enum role r, int width, int indent, const char *text)
{
	const char *p = text;
	if (width < 20)
		width = 20;
	do {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		/* Each paragraph of text, wrapped at spaces. */
		do {
			int pad = indent;
			size_t take = fit(p, n, width - pad);
			char *line;

			if (take < n) {
				size_t sp = take;

				while (sp > 0 && p[sp] != ' ')
					sp--;
				if (sp > 0)
					take = sp;
			}
			if (asprintf(&line, "%*s%.*s", pad, "", (int)take, p) >= 0)
				push(tv, r, line);
			p += take;
			n -= take;
			while (n > 0 && *p == ' ')
				p++, n--;
		} while (n > 0);
		if (nl == NULL)
			break;
		p = nl + 1;
	} while (1);
}

void tview_draw(struct tview *tv, WINDOW *w, int y, int x, int h, int cols)
{
	if (h <= 0 || cols <= 1)
		return;
	if (tv->n <= (size_t)h)
		tv->top = 0;
	else if (tv->top > tv->n - h)
		tv->top = tv->n - h;
	for (int i = 0; i < h; i++) {
		size_t k = tv->top + i;

		wmove(w, y + i, x);
		wattrset(w, A_NORMAL);
		for (int c = 0; c < cols; c++)
			waddch(w, ' ');
		if (k >= tv->n)
			continue;
		wattrset(w, term_attr(tv->v[k].role));
		term_put(w, y + i, x, tv->v[k].text, cols - 1);
		wattrset(w, A_NORMAL);
	}
	/* A scroll mark when there is more than fits. */
	if (tv->n > (size_t)h) {
		int pos = (int)((double)tv->top / (double)(tv->n - h) * (h - 1));

		wattrset(w, term_attr(ROLE_DIM));
		mvwaddstr(w, y + pos, x + cols - 1, term_glyph("\xe2\x96\x90", "#"));
		wattrset(w, A_NORMAL);
	}
}

bool tview_key(struct tview *tv, int ch, int h)
{
	size_t max = tv->n > (size_t)h ? tv->n - h : 0;

	switch (ch) {
	case KEY_UP: case 'k': if (tv->top > 0) tv->top--; return true;
	case KEY_DOWN: case 'j': if (tv->top < max) tv->top++; return true;
	case KEY_PPAGE: tv->top = tv->top > (size_t)h ? tv->top - h : 0; return true;
	case KEY_NPAGE: case ' ': tv->top = tv->top + h < max ? tv->top + h : max; return true;
	case KEY_HOME: case 'g': tv->top = 0; return true;
	case KEY_END: case 'G': tv->top = max; return true;
	default: return false;
	}
}

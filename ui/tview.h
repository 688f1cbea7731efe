/* A scrolling view of text lines, each drawn in a role: transcripts, findings, help. */
#ifndef HTLS_TVIEW_H
#define HTLS_TVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "term.h"

struct tview_line {
	char *text;
	enum role role;
};

struct tview {
	struct tview_line *v;
	size_t n, cap;
	size_t top;		/* first line shown */
};

void tview_clear(struct tview *tv);	/* keeps the scroll position */
void tview_free(struct tview *tv);
void tview_add(struct tview *tv, enum role r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Add text word-wrapped to width columns, every line indented by indent columns. */
void tview_wrap(struct tview *tv, enum role r, int width, int indent, const char *text);
/* Draw lines from top into h rows of w from (y, x), width cols; a scroll mark at the right. */
void tview_draw(struct tview *tv, WINDOW *w, int y, int x, int h, int cols);
/* Arrows, PgUp/PgDn, Home/End over h visible rows; true when the key was one of those. */
bool tview_key(struct tview *tv, int ch, int h);

#endif

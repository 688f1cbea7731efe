/*
 * The terminal: set-up and tear-down in one place, the signals that end the
 * wizard, colours with a monochrome fallback, UTF-8 with an ASCII fallback.
 */
#ifndef HTLS_TERM_H
#define HTLS_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

/* What things are drawn as; term_attr() maps each to colour or to bold/reverse. */
enum role {
	ROLE_NORMAL,
	ROLE_TITLE,
	ROLE_TAB,
	ROLE_TAB_CUR,
	ROLE_FOOTER,
	ROLE_KEY,
	ROLE_OK,
	ROLE_INFO,
	ROLE_WARN,
	ROLE_FAIL,
	ROLE_UNTESTED,
	ROLE_ROOT,
	ROLE_HEAD,
	ROLE_DIM,
	ROLE_SENT,
	ROLE_RECV,
	ROLE_NOTE,
	ROLE_EVIDENCE,
	ROLE_FIELD,
	ROLE_COUNT
};

struct term_caps {
	bool color;		/* colours in use (a colour terminal and no NO_COLOR) */
	bool utf8;		/* the locale's codeset is UTF-8 */
};
extern struct term_caps term_caps;

/* Refuses a stdin or stdout that is not a terminal, with a message in err. */
bool term_init(char *err, size_t errlen);
/* Put the terminal back as it was; safe to call more than once, and at exit. */
void term_restore(void);
/* The read end of a pipe that becomes readable when a signal arrives. */
int term_signal_fd(void);
/* SIGINT, SIGTERM or SIGHUP if one arrived (and drain the pipe), else 0. */
int term_take_signal(void);

int term_attr(enum role r);
/* A status symbol: "✔" or "ok" and so on, by severity-like state. */
const char *term_glyph(const char *utf8, const char *ascii);

/* Draw s at (y, x), at most width columns; returns the columns used. */
int term_put(WINDOW *w, int y, int x, const char *s, int width);
/* Display columns of s (UTF-8 aware, control bytes counted as one). */
int term_width(const char *s);

#endif

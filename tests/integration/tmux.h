/*
 * Driving the real binary in tmux: a private tmux server per session (so
 * tests can run in parallel), keys in, the screen out.
 */
#ifndef HTLS_TEST_TMUX_H
#define HTLS_TEST_TMUX_H

#include <stdbool.h>

struct tmx {
	char sock[96];		/* tmux -L name */
	char dir[128];		/* a scratch directory for the session's files */
};

/* Start cmd (a shell command line) in a cols x rows window; extra env "K=V" pairs, NULL-terminated. */
void tmx_start(struct tmx *t, int cols, int rows, const char *cmd);
/* tmux send-keys: each argument is a key name (Enter, Tab, C-c, F1) or, with literal, text. */
void tmx_keys(struct tmx *t, const char *keys);
void tmx_text(struct tmx *t, const char *text);
/* The screen as text (caller frees); with escapes: colours and attributes included. */
char *tmx_screen(struct tmx *t, bool escapes);
/* Wait until the screen shows text (or, with gone, no longer shows it); false on timeout. */
bool tmx_wait(struct tmx *t, const char *text, int timeout_ms);
bool tmx_wait_gone(struct tmx *t, const char *text, int timeout_ms);
void tmx_resize(struct tmx *t, int cols, int rows);
void tmx_stop(struct tmx *t);
/* A file in the session's scratch directory. */
const char *tmx_path(struct tmx *t, const char *name);
/* The file's contents (caller frees), NULL when missing. */
char *tmx_read(const char *path);

/* Assert the screen shows text, printing the screen when it does not. */
#define tmx_assert_shows(t, text, ms)                                                   \
	do {                                                                            \
		if (!tmx_wait((t), (text), (ms))) {                                     \
			char *scr_ = tmx_screen((t), false);                            \
			cr_assert_fail("screen does not show \"%s\":\n%s", (text), scr_); \
		}                                                                       \
	} while (0)

#endif

/*
 * What the wizard's screens share: the state of the wizard and the small
 * const table of functions each screen provides (as tmux's window modes).
 * Key handlers return flags; the loop draws once when something changed.
 */
#ifndef HTLS_UI_H
#define HTLS_UI_H

#include <stdbool.h>
#include <stdint.h>

#include <curses.h>
#include <form.h>
#include <menu.h>

#include "session.h"
#include "tview.h"
#include "wizard.h"

struct wiz;

struct screen {
	const char *name;
	bool own_erase;		/* it clears the screen itself, around its form */
	void (*enter)(struct wiz *w);
	void (*draw)(struct wiz *w);
	/* ch is a key (KEY_*) when is_key, else a character. */
	void (*key)(struct wiz *w, int ch, bool is_key);
	void (*leave)(struct wiz *w);
	/* The help for this screen: what it shows and its keys. */
	const char *help;
};

extern const struct screen screen_start, screen_steps, screen_detail, screen_explain, screen_demo, screen_path;

enum dialog_kind { DLG_NONE, DLG_PROMPT, DLG_CONFIRM, DLG_HELP };

/* What a dialog's answer is for. */
enum dialog_for {
	FOR_QUIT,
	FOR_SAVE_CAPTURE,
	FOR_EXPORT_TEXT,
	FOR_EXPORT_MD,
	FOR_EXPORT_JSON,
	FOR_OPEN_CAPTURE,
	FOR_PUBLIC_IP,
	FOR_TYPED_IPS,		/* the connector's sender IPs, then ... */
	FOR_TYPED_CERT,		/* ... its certificate name */
	FOR_ENVELOPE_CONSENT,
	FOR_ENVELOPE,
	FOR_CERT_PASSWORD,
};

struct wiz {
	struct engine *e;
	struct session s;
	const struct wizard_args *args;
	int status;		/* exit status */
	bool quit;
	bool dirty;		/* draw on the next turn */
	bool repaint;		/* the whole screen was cleared: forms must be drawn again */
	int rows, cols;

	/* The first screen's fields (the strings the run's inputs point to). */
	char target[256], onprem[256], connector[1024], cert[1024], password[256], ip[64];
	char typed_ips[1024];	/* the first answer of the connector's two questions */
	char env_from[600], env_to[600];	/* the envelope test's addresses, once consented */
	struct run_inputs in;

	const struct screen *scr;
	enum step step;		/* the step shown */
	bool focus_list;	/* the findings list has the keys, not the content */
	size_t sel;		/* selected finding within the step's list */
	struct tview content;

	/* The finding shown in detail: its id and summary find it again after a re-judge. */
	const char *detail_id;
	char detail_summary[512];
	bool detail_transcript;
	struct tview detail;
	size_t detail_list[64];	/* the findings n and p move through (indices into fs) */
	size_t detail_n, detail_at;
	const struct screen *detail_back;	/* where Esc returns */

	char msg[512];		/* one line above the footer until the next key */
	enum role msg_role;

	struct {
		enum dialog_kind kind;
		enum dialog_for what;
		char title[160];
		FIELD *field[2];
		FORM *form;
		WINDOW *win, *sub;
		struct tview help;
	} dlg;
};

/* Show finding idx of w->detail_list (or of fs when the list is empty) in full; Esc returns to back. */
void wiz_open_finding(struct wiz *w, size_t idx, const struct screen *back);
/* Switch to a screen (its enter runs; the previous one's leave). */
void wiz_go(struct wiz *w, const struct screen *scr);
void wiz_message(struct wiz *w, enum role r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Start the run of the first screen's inputs and show the first step. */
void wiz_run(struct wiz *w);
/* Open a capture file in the steps (the replay), with a message on failure. */
bool wiz_open_capture(struct wiz *w, const char *path, const char *label);
/* Ask for a line of text; the answer comes to wiz_answer(). */
void wiz_prompt(struct wiz *w, enum dialog_for what, const char *title, const char *initial, bool secret);
void wiz_confirm(struct wiz *w, enum dialog_for what, const char *title);
void wiz_help(struct wiz *w);
void wiz_answer(struct wiz *w, enum dialog_for what, const char *answer);

/* Shared drawing: the title bar, the footer with keys ("F1 Help" pairs), the message line. */
void draw_title(struct wiz *w, const char *left);
void draw_footer(struct wiz *w, const char *const *keys);
void draw_message(struct wiz *w);
/* Severity as a symbol and a word, and the role to draw it in. */
const char *sev_mark(enum severity s);
enum role sev_role(enum severity s);

/* content.c: the body of a step, from the facts. */
void content_build(struct wiz *w, struct tview *tv, enum step st, int width);
/* The findings of a step (STEP_SUMMARY: all), as indices into w->s.fs. */
size_t step_findings(const struct wiz *w, enum step st, size_t *idx, size_t cap);
/* scr_demo.c: the directory the demo captures are read from. */
const char *demo_dir(void);
/* detail.c: fill w->detail for the finding f. */
void detail_build(struct wiz *w, const struct finding *f, int width);

#endif

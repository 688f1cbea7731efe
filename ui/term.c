#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "term.h"

struct term_caps term_caps;

static bool active;
static int sigpipe[2] = { -1, -1 };
static volatile sig_atomic_t pending;
static struct termios saved;
static bool have_saved;
/* What the fatal path writes: leave the alternate screen, show the cursor, reset attributes. */
static char reset_seq[128];
static size_t reset_len;

static void on_signal(int sig)
{
	int saved_errno = errno;

	pending = sig;
	if (sigpipe[1] >= 0)
		(void)!write(sigpipe[1], "s", 1);
	errno = saved_errno;
}

/* A crash: restore the terminal with async-signal-safe calls only, then die of the signal. */
static void on_fatal(int sig)
{
	if (active) {
		if (have_saved)
			tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		(void)!write(STDOUT_FILENO, reset_seq, reset_len);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void add_cap(const char *name)
{
	char *s = tigetstr((char *)name);
	size_t n;

	if (s == NULL || s == (char *)-1)
		return;
	n = strlen(s);
	if (reset_len + n < sizeof reset_seq) {
		memcpy(reset_seq + reset_len, s, n);
		reset_len += n;
	}
}

static void init_colors(void)
{
	const char *nc = getenv("NO_COLOR");

	term_caps.color = has_colors() && (nc == NULL || *nc == '\0');
	if (!term_caps.color)
		return;
	start_color();
	use_default_colors();
	init_pair(1, COLOR_WHITE, COLOR_BLUE);	/* title, footer */
	init_pair(2, COLOR_GREEN, -1);
	init_pair(3, COLOR_YELLOW, -1);
	init_pair(4, COLOR_RED, -1);
	init_pair(5, COLOR_MAGENTA, -1);
	init_pair(6, COLOR_CYAN, -1);
	init_pair(7, COLOR_WHITE, COLOR_RED);	/* root cause */
	init_pair(8, COLOR_BLACK, COLOR_YELLOW);	/* evidence */
	init_pair(9, COLOR_BLACK, COLOR_CYAN);	/* current tab */
	init_pair(10, COLOR_YELLOW, COLOR_BLUE);	/* keys in the footer */
}

int term_attr(enum role r)
{
	if (term_caps.color) {
		switch (r) {
		case ROLE_TITLE: case ROLE_FOOTER: case ROLE_TAB: return COLOR_PAIR(1);
		case ROLE_TAB_CUR: return COLOR_PAIR(9) | A_BOLD;
		case ROLE_KEY: return COLOR_PAIR(10) | A_BOLD;
		case ROLE_OK: return COLOR_PAIR(2);
		case ROLE_INFO: return COLOR_PAIR(6);
		case ROLE_WARN: return COLOR_PAIR(3) | A_BOLD;
		case ROLE_FAIL: return COLOR_PAIR(4) | A_BOLD;
		case ROLE_UNTESTED: return COLOR_PAIR(5);
		case ROLE_ROOT: return COLOR_PAIR(7) | A_BOLD;
		case ROLE_HEAD: return A_BOLD;
		case ROLE_DIM: return A_DIM;
		case ROLE_SENT: return COLOR_PAIR(6);
		case ROLE_RECV: return A_NORMAL;
		case ROLE_NOTE: return COLOR_PAIR(5);
		case ROLE_EVIDENCE: return COLOR_PAIR(8);
		case ROLE_FIELD: return A_UNDERLINE;
		default: return A_NORMAL;
		}
	}
	switch (r) {
	case ROLE_TITLE: case ROLE_FOOTER: case ROLE_TAB: case ROLE_TAB_CUR: case ROLE_EVIDENCE: case ROLE_ROOT:
		return A_REVERSE | (r == ROLE_TAB_CUR || r == ROLE_ROOT ? A_BOLD : 0);
	case ROLE_KEY: case ROLE_FAIL: case ROLE_HEAD: case ROLE_WARN: return A_BOLD;
	case ROLE_DIM: case ROLE_NOTE: return A_DIM;
	case ROLE_FIELD: return A_UNDERLINE;
	default: return A_NORMAL;
	}
}

const char *term_glyph(const char *utf8, const char *ascii)
{
	return term_caps.utf8 ? utf8 : ascii;
}

bool term_init(char *err, size_t errlen)
{
	struct sigaction sa;
	const char *cs;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "the wizard needs a terminal; for scripts use a command, such as "
		    "`hybridtls check DOMAIN` (see --help)");
		return false;
	}
	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	term_caps.utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
	have_saved = tcgetattr(STDIN_FILENO, &saved) == 0;
	if (pipe(sigpipe) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return false;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(sigpipe[i], F_SETFL, fcntl(sigpipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(sigpipe[i], F_SETFD, FD_CLOEXEC);
	}
	/* ESC alone should not wait a second for a sequence that never comes. */
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(50);
	if (newterm(NULL, stdout, stdin) == NULL) {
		snprintf(err, errlen, "cannot use the terminal type '%s' (is TERM set?)",
		    getenv("TERM") ? getenv("TERM") : "");
		return false;
	}
	active = true;
	atexit(term_restore);
	add_cap("sgr0");
	add_cap("cnorm");
	add_cap("rmcup");
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	cbreak();	/* Ctrl-C stays a signal: the way out that always works */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	init_colors();
	return true;
}

void term_restore(void)
{
	if (!active)
		return;
	active = false;
	curs_set(1);
	endwin();
	if (have_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	fflush(stdout);
}

int term_signal_fd(void)
{
	return sigpipe[0];
}

int term_take_signal(void)
{
	char buf[64];
	int sig = pending;

	while (sigpipe[0] >= 0 && read(sigpipe[0], buf, sizeof buf) > 0)
		;
	pending = 0;
	return sig;
}

int term_width(const char *s)
{
	mbstate_t st;
	int cols = 0;
	size_t n = strlen(s);

	memset(&st, 0, sizeof st);
	while (n > 0) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, n, &st);
		int w;

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof st);
			k = 1;
			w = 1;
		} else
			w = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
		cols += w;
		s += k;
		n -= k;
	}
	return cols;
}

int term_put(WINDOW *w, int y, int x, const char *s, int width)
{
	mbstate_t st;
	int used = 0;
	size_t n = strlen(s);

	memset(&st, 0, sizeof st);
	wmove(w, y, x);
	while (n > 0 && used < width) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, n, &st);
		int cw;

		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof st);
			k = 1;
			wc = L'?';
		}
		if (wc < 32 || wc == 127)
			wc = L'?';
		cw = wcwidth(wc) < 0 ? 1 : wcwidth(wc);
		if (used + cw > width)
			break;
		{
			wchar_t one[2] = { wc, 0 };

			waddnwstr(w, one, 1);
		}
		used += cw;
		s += k;
		n -= k;
	}
	return used;
}

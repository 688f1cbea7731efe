#include "config.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tmux.h"

static int counter;

static char *run_out(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	size_t n;

	cr_assert_not_null(p);
	cr_assert_not_null(buf);
	while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (len + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
	}
	buf[len] = '\0';
	pclose(p);
	return buf;
}

static void run(const char *cmd)
{
	int rc = system(cmd);

	cr_assert_eq(rc, 0, "failed: %s", cmd);
}

/* Single quotes for the shell. */
static void quote(char *out, size_t len, const char *s)
{
	size_t n = 0;

	out[n++] = '\'';
	for (; *s && n + 5 < len; s++) {
		if (*s == '\'') {
			memcpy(out + n, "'\\''", 4);
			n += 4;
		} else
			out[n++] = *s;
	}
	out[n++] = '\'';
	out[n] = '\0';
}

void tmx_start(struct tmx *t, int cols, int rows, const char *cmd)
{
	char q[4096], line[8192];

	snprintf(t->sock, sizeof t->sock, "htls-%ld-%d", (long)getpid(), counter++);
	snprintf(t->dir, sizeof t->dir, "/tmp/%s", t->sock);
	snprintf(line, sizeof line, "rm -rf %s && mkdir -p %s", t->dir, t->dir);
	run(line);
	quote(q, sizeof q, cmd);
	/* A plain shell in the pane, no user configuration, a UTF-8 terminal unless the test says otherwise. */
	snprintf(line, sizeof line, "cd %s && tmux -u -L %s -f /dev/null new-session -d -x %d -y %d -s w %s && "
	    "tmux -L %s set-option -g status off", t->dir, t->sock, cols, rows, q, t->sock);
	run(line);
}

void tmx_keys(struct tmx *t, const char *keys)
{
	char line[1024];

	snprintf(line, sizeof line, "tmux -L %s send-keys -t w %s", t->sock, keys);
	run(line);
}

void tmx_text(struct tmx *t, const char *text)
{
	char q[4096], line[8192];

	quote(q, sizeof q, text);
	snprintf(line, sizeof line, "tmux -L %s send-keys -t w -l %s", t->sock, q);
	run(line);
}

char *tmx_screen(struct tmx *t, bool escapes)
{
	char line[512];

	snprintf(line, sizeof line, "tmux -L %s capture-pane -p %s -t w 2>/dev/null", t->sock,
	    escapes ? "-e" : "");
	return run_out(line);
}

static bool wait_for(struct tmx *t, const char *text, bool present, int timeout_ms)
{
	for (int waited = 0;; waited += 50) {
		char *s = tmx_screen(t, false);
		bool has = strstr(s, text) != NULL;

		free(s);
		if (has == present)
			return true;
		if (waited >= timeout_ms)
			return false;
		usleep(50 * 1000);
	}
}

bool tmx_wait(struct tmx *t, const char *text, int timeout_ms)
{
	return wait_for(t, text, true, timeout_ms);
}

bool tmx_wait_gone(struct tmx *t, const char *text, int timeout_ms)
{
	return wait_for(t, text, false, timeout_ms);
}

void tmx_resize(struct tmx *t, int cols, int rows)
{
	char line[512];

	snprintf(line, sizeof line, "tmux -L %s resize-window -t w -x %d -y %d", t->sock, cols, rows);
	run(line);
}

void tmx_stop(struct tmx *t)
{
	char line[512];

	snprintf(line, sizeof line, "tmux -L %s kill-server >/dev/null 2>&1; rm -rf %s", t->sock, t->dir);
	if (system(line) != 0)
		return;
}

const char *tmx_path(struct tmx *t, const char *name)
{
	static char path[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof path[k], "%s/%s", t->dir, name);
	return path[k];
}

char *tmx_read(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = calloc(1, (size_t)n + 1);
	if (buf != NULL && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(fp);
	return buf;
}

/*
 * Replays fuzz corpora without libFuzzer: for every argument that is a
 * directory, calls LLVMFuzzerTestOneInput() on each regular file in it, in
 * name order, each read whole (files over 1 MiB are skipped with a note).
 * An argument that is a regular file (a crash reproducer) runs by itself;
 * one that does not exist is passed over, so an empty crashes/ glob is fine.
 * Linked with one harness at a time (tests/fuzz/replay-NAME), so that
 * `make check` runs the committed corpus and crash reproducers with the
 * ordinary compiler and the sanitizer build. Exits 0 when every input ran
 * (a bug aborts the process), 1 on a usage or I/O error.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#define REPLAY_MAX_FILE (1024 * 1024)
#define REPLAY_MAX_FILES 100000

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read path whole into *buf (malloc'd, exactly *len bytes, never NULL on
 * success). Returns 1 when read, 0 when skipped, -1 on an error. */
static int read_input(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	uint8_t *b;
	size_t got = 0;

	*buf = NULL;
	*len = 0;
	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		fclose(f);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		fclose(f);
		return 0;
	}
	if (st.st_size > REPLAY_MAX_FILE) {
		fprintf(stderr, "replay: %s: skipped, larger than %d bytes\n", path,
		    REPLAY_MAX_FILE);
		fclose(f);
		return 0;
	}
	/* Exactly the file's size, so that a read past the input is caught. */
	if ((b = malloc(st.st_size > 0 ? (size_t)st.st_size : 1)) == NULL) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		fclose(f);
		return -1;
	}
	if (st.st_size > 0)
		got = fread(b, 1, (size_t)st.st_size, f);
	fclose(f);
	if (got != (size_t)st.st_size) {
		fprintf(stderr, "replay: %s: short read\n", path);
		free(b);
		return -1;
	}
	*buf = b;
	*len = got;
	return 1;
}

/* Run every file of dir; returns the number run, or -1 on an error. */
static long replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	long ran = 0;
	bool failed = false;

	if (d == NULL) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL && n < REPLAY_MAX_FILES) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **nn = realloc(names, ncap * sizeof *nn);

			if (nn == NULL) {
				failed = true;
				break;
			}
			names = nn;
			cap = ncap;
		}
		if ((names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2)) == NULL) {
			failed = true;
			break;
		}
		sprintf(names[n], "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (!failed && n > 0)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n && !failed; i++) {
		uint8_t *buf;
		size_t len;
		int k = read_input(names[i], &buf, &len);

		if (k < 0)
			failed = true;
		else if (k > 0) {
			LLVMFuzzerTestOneInput(buf, len);
			free(buf);
			ran++;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return failed ? -1 : ran;
}

int main(int argc, char **argv)
{
	long total = 0;
	int dirs = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR...\n", argv[0]);
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		long k;

		if (stat(argv[i], &st) != 0)
			continue;	/* a missing directory holds nothing to replay */
		if (S_ISREG(st.st_mode)) {
			uint8_t *buf;
			size_t len;

			if ((k = read_input(argv[i], &buf, &len)) < 0)
				return 1;
			if (k > 0) {
				LLVMFuzzerTestOneInput(buf, len);
				free(buf);
				total++;
			}
			continue;
		}
		if (!S_ISDIR(st.st_mode))
			continue;
		if ((k = replay_dir(argv[i])) < 0)
			return 1;
		total += k;
		dirs++;
	}
	printf("%s: %ld inputs from %d directories ran\n", argv[0], total, dirs);
	return 0;
}

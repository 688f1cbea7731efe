/*
 * What every fuzz harness shares: the libFuzzer entry point (each
 * tests/fuzz/fuzz_NAME.c defines it; libFuzzer or tests/fuzz/replay.c calls
 * it) and small helpers. Header-only so that a harness is one .c file.
 */
#ifndef HTLS_FUZZ_H
#define HTLS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Run the code under test on data[0..size). Returns 0; a bug aborts. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of data[0..size) (embedded NULs end the string
 * early, as they would for a caller's C string); NULL when out of memory.
 * The caller frees it. */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		return NULL;
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* A contract of the code under test was broken: stop here so that the
 * fuzzer keeps the input (and replay fails). */
#define FUZZ_CHECK(cond) do { if (!(cond)) abort(); } while (0)

#endif

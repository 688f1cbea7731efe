/*
 * Internal to src/capture*.c: the primitives that move one field between a
 * fact struct and a JSON object, in either direction. capture.c describes
 * each struct once with them, so what is written is exactly what is read.
 *
 * Writing (rd false): each io_* puts the field into the object; the fields
 * are only read, never changed. Reading (rd true): each io_* takes the key
 * from the object, checks its type and bounds, and stores it; an absent key
 * leaves the field as it is (its default), a wrong one stops the walk with
 * a message naming the field's path. After the first error every io_* does
 * nothing.
 */
#ifndef HTLS_CAPTURE_IO_H
#define HTLS_CAPTURE_IO_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct cx {
	bool rd;		/* reading a capture, else writing one */
	bool ok;		/* no error so far */
	char path[512];		/* the field being walked: "smtp.tls.chain[2]" */
	size_t plen;
	char msg[768];		/* "smtp.tls.chain[2].der: not base64" */
};

/* Record an error at path.key (key may be NULL: at path itself). */
void cx_fail(struct cx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A sub-object, an array of sub-objects, strings, numbers, ... */
typedef void (*cx_fn)(struct cx *c, json_t *o, void *p);
void io_sub(struct cx *c, json_t *o, const char *key, cx_fn fn, void *p);
/* A sub-object that may be absent (null): *present says whether it is there. */
void io_opt_sub(struct cx *c, json_t *o, const char *key, bool *present, cx_fn fn, void *p);
/* An array of n structs of size elsize at *v, at most max; init (may be NULL)
 * gives each new element its defaults before it is read. */
void io_arr(struct cx *c, json_t *o, const char *key, void **v, size_t *n, size_t elsize, size_t max,
    cx_fn fn, void (*init)(void *));
void io_strv(struct cx *c, json_t *o, const char *key, char ***v, size_t *n, size_t max);
/* A heap string; null for NULL. */
void io_str(struct cx *c, json_t *o, const char *key, char **s);
/* A heap string the facts always carry (never NULL): null or absent reads as "". */
void io_rstr(struct cx *c, json_t *o, const char *key, char **s);
/* A string in a fixed buffer of size bytes. */
void io_fixed(struct cx *c, json_t *o, const char *key, char *buf, size_t size);
/* Bytes as base64; null when there are none. */
void io_b64(struct cx *c, json_t *o, const char *key, unsigned char **p, size_t *len);
/* A number in [lo, hi]; true when one was read into *v. */
bool io_num(struct cx *c, json_t *o, const char *key, long long *v, long long lo, long long hi);
bool io_bool(struct cx *c, json_t *o, const char *key, bool *v);
/* An enumeration as one of n tokens (names[i] is the token of value i). */
bool io_enum(struct cx *c, json_t *o, const char *key, const char *const *names, size_t n, int *v);

/* Enter and leave a field of the path (for the walkers above and callers). */
size_t cx_push(struct cx *c, const char *key);
size_t cx_push_index(struct cx *c, size_t i);
void cx_pop(struct cx *c, size_t saved);

#define IO_NUM(c, o, k, field, lo, hi) do {				\
	long long v_ = (long long)(field);				\
	if (io_num((c), (o), (k), &v_, (lo), (hi)))			\
		(field) = v_;						\
} while (0)

#define IO_BOOL(c, o, k, field) do {					\
	bool v_ = (field);						\
	if (io_bool((c), (o), (k), &v_))				\
		(field) = v_;						\
} while (0)

#define IO_ENUM(c, o, k, field, names) do {				\
	int v_ = (int)(field);						\
	if (io_enum((c), (o), (k), (names), sizeof(names) / sizeof((names)[0]), &v_)) \
		(field) = v_;						\
} while (0)

/* Base64 (RFC 4648, with padding). Encode: a new string (NULL when out of
 * memory). Decode: strict (no white space, padding only at the end); false
 * on anything else. */
char *capture_b64_encode(const unsigned char *p, size_t len);
bool capture_b64_decode(const char *s, size_t slen, unsigned char **out, size_t *outlen);

#endif

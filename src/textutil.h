/* Small text helpers shared by the record parsers (SPF, DMARC, MTA-STS, TLS-RPT). */
#ifndef HTLS_TEXTUTIL_H
#define HTLS_TEXTUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* printf into err (errlen bytes); nothing when err is NULL or errlen 0. */
void text_seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A space or a tab (RFC 5234 WSP). */
bool text_is_wsp(char c);
/* Trim WSP around s[0..*n): returns the new start, *n the new length. */
const char *text_trim(const char *s, size_t *n);

/* The extension grammar MTA-STS and TLS-RPT share (RFC 8461 3.1, RFC 8460 3):
 * a name is a letter or digit then up to 31 of those and "_-."; a value is
 * one or more visible characters other than '=' and ';'. */
bool text_ext_name_ok(const char *s, size_t n);
bool text_ext_value_ok(const char *s, size_t n);

/* A copy of s[0..len) safe for any terminal: printable ASCII kept, every other
 * byte (controls, DEL, C1, anything non-ASCII) written as \xNN. Caller frees. */
char *text_escape(const char *s, size_t len);
/* As text_escape, but well-formed UTF-8 is kept ("Société"): only controls
 * (C0, DEL, C1), bidirectional overrides and bytes that are not UTF-8 are
 * written as \xNN. For names people type, where an accent is no attack. */
char *text_escape_controls(const char *s, size_t len);

#endif

/* TEMPORARY stand-in until the capture branch merges. */
#ifndef HTLS_CAPTURE_H
#define HTLS_CAPTURE_H
#include <stdbool.h>
#include "facts.h"
bool capture_save(const struct diagnosis *d, const char *path, char **err);
bool capture_load(const char *path, struct diagnosis *out, char **err);
#endif

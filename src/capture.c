/* TEMPORARY stand-in until the capture branch merges. */
#include "config.h"
#include <stdlib.h>
#include <string.h>
#include "capture.h"
bool capture_save(const struct diagnosis *d, const char *path, char **err)
{ (void)d; (void)path; *err = strdup("captures are not built yet"); return false; }
bool capture_load(const char *path, struct diagnosis *out, char **err)
{ (void)path; diagnosis_init(out); *err = strdup("captures are not built yet"); return false; }

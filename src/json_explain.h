/* The JSON form of `hybridtls explain` (schema "hybridtls-explain", version 1). */
#ifndef HTLS_JSON_EXPLAIN_H
#define HTLS_JSON_EXPLAIN_H

#include <jansson.h>

#include "explain.h"

/* A new reference; caller json_decref()s it. */
json_t *json_explain(const struct explain_result *r);

#endif

/*
 * A small JSON Schema validator for the subset doc/json-schema.json uses
 * (test-only): type (a name or an array of names, "integer" and "number"
 * included), properties, required, additionalProperties (true, false or a
 * schema), items (one schema), enum, const, minimum, maximum, and $ref to a
 * JSON pointer in the same document ("#/$defs/name"). Annotations ($schema,
 * $id, $defs, $comment, title, description, examples, default) are ignored;
 * any other keyword is an error, so the schema cannot silently rely on a
 * keyword this validator would skip.
 *
 * It stops at the first violation. Recursion is bounded by JSL_MAX_DEPTH
 * (a $ref loop ends there with an error, never a stack overflow).
 */
#ifndef HTLS_JSONSCHEMA_LITE_H
#define HTLS_JSONSCHEMA_LITE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define JSL_MAX_DEPTH 64

/*
 * Validate instance against schema (a whole schema document: $ref pointers
 * resolve from it). Returns true when valid; otherwise false with
 * "PATH: message" in err, PATH a JSONPath-like location in the instance
 * ("$.facts.smtp.attempts[0].result: \"late\" is not one of the enum values").
 */
bool jsonschema_lite_validate(const json_t *schema, const json_t *instance, char *err, size_t errlen);

/*
 * Resolve a "#/a/b" JSON pointer (RFC 6901, ~0 and ~1 decoded) in root;
 * "#" is root itself. NULL when it does not resolve.
 */
const json_t *jsonschema_lite_resolve(const json_t *root, const char *ref);

#endif

/* `hybridtls explain --json`: the replies found in a pasted text and what they mean. */
#include "config.h"

#include <jansson.h>

#include "explain.h"
#include "json_explain.h"

static json_t *str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *entry(const struct explain_entry *e)
{
	json_t *j, *causes, *checks;

	if (e == NULL)
		return json_null();
	j = json_object();
	causes = json_array();
	checks = json_array();
	json_object_set_new(j, "key", json_string(e->key));
	json_object_set_new(j, "side", json_string(explain_side_name(e->side)));
	json_object_set_new(j, "title", str_or_null(e->title));
	json_object_set_new(j, "what_happened", str_or_null(e->what));
	for (size_t i = 0; i < EXPLAIN_CAUSES_MAX && e->causes[i] != NULL; i++)
		json_array_append_new(causes, json_string(e->causes[i]));
	for (size_t i = 0; i < EXPLAIN_CHECKS_MAX && e->checks[i] != NULL; i++)
		json_array_append_new(checks, json_string(e->checks[i]));
	json_object_set_new(j, "likely_causes", causes);
	json_object_set_new(j, "checks", checks);
	json_object_set_new(j, "step", json_string(explain_step_name(e->step)));
	return j;
}

json_t *json_explain(const struct explain_result *r)
{
	json_t *j = json_object(), *replies = json_array(), *signals = json_array();

	json_object_set_new(j, "schema", json_string("hybridtls-explain"));
	json_object_set_new(j, "version", json_integer(1));
	json_object_set_new(j, "hybridtls", json_string(PACKAGE_VERSION));
	json_object_set_new(j, "recognised", json_boolean(r->recognised));
	json_object_set_new(j, "truncated", json_boolean(r->truncated));
	for (size_t i = 0; i < r->nreplies; i++) {
		const struct explain_reply *x = &r->replies[i];
		json_t *o = json_object();

		json_object_set_new(o, "code", json_integer(x->code));
		json_object_set_new(o, "enhanced", x->esc[0] ? json_string(x->esc) : json_null());
		json_object_set_new(o, "text", json_string(x->text));
		json_object_set_new(o, "side", json_string(explain_side_name(x->side)));
		json_object_set_new(o, "depth", json_integer(x->depth));
		json_object_set_new(o, "class", str_or_null(explain_code_class(x->code)));
		json_object_set_new(o, "known", entry(x->entry));
		json_array_append_new(replies, o);
	}
	json_object_set_new(j, "replies", replies);
	json_object_set_new(j, "primary", r->primary >= 0 ? json_integer(r->primary) : json_null());
	json_object_set_new(j, "primary_entry", entry(r->primary_entry));
	json_object_set_new(j, "hcw", entry(r->hcw));
	for (size_t i = 0; i < r->nsignals; i++)
		json_array_append_new(signals, entry(r->signals[i]));
	json_object_set_new(j, "signals", signals);
	json_object_set_new(j, "step", json_string(explain_step_name(r->step)));
	return j;
}

/*
 * Fuzz harness: the pasted-error explainer (src/explain.c) and its text
 * presenter (src/report_explain.c). The input is whatever an admin pastes:
 * an NDR, a queue error, a message trace, a protocol log, an HCW error, or
 * binary junk. The result is rendered into a memory stream at two widths.
 * Checks the contract of explain_text(): replies within bounds, codes
 * 200..559, the primary reply a failure, nesting indices in range.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "fuzz.h"

static void render(const struct explain_result *r, int width)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		return;
	explain_render_text(f, r, width);
	fclose(f);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct explain_result r;

	if (!explain_text((const char *)data, size, &r))
		return 0;
	FUZZ_CHECK(r.nreplies <= EXPLAIN_REPLIES_MAX);
	FUZZ_CHECK(r.nsignals <= EXPLAIN_SIGNALS_MAX);
	FUZZ_CHECK(r.primary >= -1 && r.primary < (int)r.nreplies);
	FUZZ_CHECK(r.truncated == (size > EXPLAIN_INPUT_MAX));
	if (r.primary >= 0)
		FUZZ_CHECK(r.replies[r.primary].code >= 400);
	for (size_t i = 0; i < r.nreplies; i++) {
		const struct explain_reply *x = &r.replies[i];

		FUZZ_CHECK(x->code >= 200 && x->code <= 559);
		FUZZ_CHECK(memchr(x->esc, '\0', sizeof x->esc) != NULL);
		FUZZ_CHECK(x->text != NULL);
		FUZZ_CHECK(strlen(x->text) <= EXPLAIN_TEXT_MAX + 3);
		FUZZ_CHECK(x->parent >= -1 && x->parent < (int)i);
		FUZZ_CHECK((x->parent < 0) == (x->depth == 0));
		(void)explain_code_class(x->code);
		(void)explain_code_category(x->code);
		(void)explain_esc_class(x->esc);
		(void)explain_esc_subject(x->esc);
		(void)explain_side_phrase(x->side);
	}
	(void)explain_step_name(r.step);
	(void)explain_step_title(r.step);
	render(&r, 0);
	render(&r, 40);
	explain_result_free(&r);
	explain_result_free(&r);	/* safe on a freed result */
	return 0;
}

/* The knowledge base: complete entries, and doc/findings.md in step with it. */
#include "config.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb.h"

static bool valid_id(const char *id)
{
	const char *dot = strchr(id, '.');

	if (dot == NULL || dot == id || dot[1] == '\0')
		return false;
	for (const char *p = id; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '-' && *p != '.')
			return false;
	return true;
}

Test(kb, every_entry_is_complete_and_unique)
{
	cr_assert(kb_count > 0);
	for (size_t i = 0; i < kb_count; i++) {
		const struct kb_entry *e = &kb_entries[i];

		cr_assert(valid_id(e->id), "bad id '%s'", e->id);
		cr_assert(e->title && strlen(e->title) > 5, "%s: title", e->id);
		cr_assert(e->explanation && strlen(e->explanation) > 40, "%s: explanation", e->id);
		/* Passing checks may have nothing to fix; problems must say how. */
		cr_assert(e->fix && strlen(e->fix) > (e->sev >= SEV_WARNING ? 40u : 5u), "%s: fix", e->id);
		cr_assert(e->verify && strlen(e->verify) > 10, "%s: verify", e->id);
		cr_assert_eq(kb_find(e->id), e);
		for (size_t j = i + 1; j < kb_count; j++)
			cr_assert_str_neq(e->id, kb_entries[j].id, "duplicate id");
	}
	cr_assert_null(kb_find("no.such-id"));
}

/* Read the "## id" headings of doc/findings.md. */
static size_t doc_ids(char ids[][64], size_t cap)
{
	FILE *fp = fopen(SRCDIR "/doc/findings.md", "r");
	char line[1024];
	size_t n = 0;

	cr_assert_not_null(fp, "cannot open doc/findings.md");
	while (fgets(line, sizeof line, fp) != NULL) {
		if (strncmp(line, "## ", 3) != 0)
			continue;
		line[strcspn(line, "\r\n")] = '\0';
		cr_assert(n < cap);
		snprintf(ids[n++], 64, "%.63s", line + 3);
	}
	fclose(fp);
	return n;
}

Test(kb, findings_reference_lists_exactly_the_knowledge_base)
{
	static char ids[512][64];
	size_t n = doc_ids(ids, 512);

	for (size_t i = 0; i < n; i++)
		cr_assert_not_null(kb_find(ids[i]), "doc/findings.md has '%s', the knowledge base does not",
		    ids[i]);
	for (size_t i = 0; i < kb_count; i++) {
		bool found = false;

		for (size_t j = 0; j < n && !found; j++)
			found = strcmp(ids[j], kb_entries[i].id) == 0;
		cr_assert(found, "'%s' is missing from doc/findings.md", kb_entries[i].id);
	}
	cr_assert_eq(n, kb_count, "doc/findings.md lists an id twice");
}

/* The index at the top of doc/findings.md ("- [`id`](#anchor): title") lists
 * every entry once, with its anchor. */
Test(kb, findings_index_lists_every_entry)
{
	FILE *fp = fopen(SRCDIR "/doc/findings.md", "r");
	static char seen[512][64];
	char line[1024];
	size_t n = 0;

	cr_assert_not_null(fp, "cannot open doc/findings.md");
	while (fgets(line, sizeof line, fp) != NULL) {
		char id[64], anchor[80];
		size_t k = 0;

		if (strncmp(line, "- [`", 4) != 0 || sscanf(line + 4, "%63[^`]`](#%79[^)])", id, anchor) != 2)
			continue;
		cr_assert_not_null(kb_find(id), "the index lists '%s', the knowledge base does not", id);
		/* GitHub's anchor: the id without its dots. */
		for (const char *p = id; *p; p++)
			if (*p != '.')
				line[k++] = *p;
		line[k] = '\0';
		cr_assert_str_eq(anchor, line, "the index's anchor for %s", id);
		for (size_t i = 0; i < n; i++)
			cr_assert_str_neq(seen[i], id, "the index lists '%s' twice", id);
		cr_assert(n < 512);
		snprintf(seen[n++], sizeof seen[0], "%s", id);
	}
	fclose(fp);
	cr_assert_eq(n, kb_count, "the index lists %zu of the %zu entries", n, kb_count);
}

Test(kb, every_id_the_rules_emit_exists)
{
	FILE *fp = fopen(SRCDIR "/src/rules.c", "r");
	char line[1024];
	size_t seen = 0;

	cr_assert_not_null(fp);
	while (fgets(line, sizeof line, fp) != NULL) {
		char *p = line;

		/* Every quoted "word.word-word" literal in the rules is a finding id. */
		while ((p = strchr(p, '"')) != NULL) {
			char *q = strchr(p + 1, '"');
			char id[64];

			if (q == NULL)
				break;
			if ((size_t)(q - p - 1) < sizeof id) {
				memcpy(id, p + 1, (size_t)(q - p - 1));
				id[q - p - 1] = '\0';
				if (valid_id(id) && strchr(id, ' ') == NULL && (strncmp(id, "smtp.", 5) == 0 ||
				    strncmp(id, "tls.", 4) == 0)) {
					cr_assert_not_null(kb_find(id), "rules.c emits '%s', unknown to kb.c", id);
					seen++;
				}
			}
			p = q + 1;
		}
	}
	fclose(fp);
	cr_assert(seen >= 20, "found only %zu ids in rules.c", seen);
}

Test(kb, no_fix_tells_the_admin_to_turn_tls_off)
{
	/* The fixes may warn against these, but only inside a "do not" sentence. */
	static const char *const bad[] = { "-IgnoreSTARTTLS $true", "-RequireTLS $false", NULL };

	for (size_t i = 0; i < kb_count; i++) {
		for (size_t k = 0; bad[k]; k++) {
			const char *hit = strstr(kb_entries[i].fix, bad[k]);

			while (hit != NULL) {
				/* Look around it for the warning or the undo that frames it. */
				size_t back = (size_t)(hit - kb_entries[i].fix);
				const char *from = back > 300 ? hit - 300 : kb_entries[i].fix;
				char window[700];

				snprintf(window, sizeof window, "%.*s", (int)(hit - from) + 300, from);
				cr_assert(strstr(window, "Do not") || strstr(window, "do not") ||
				    strstr(window, "Don't") || strstr(window, "never") || strstr(window, "Never") ||
				    strstr(window, "back") || strstr(window, "instead of"),
				    "%s: the fix names '%s' without warning against it", kb_entries[i].id, bad[k]);
				hit = strstr(hit + 1, bad[k]);
			}
		}
	}
}

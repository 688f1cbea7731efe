/*
 * The picture of the hybrid mail path: the hops between on-premises Exchange
 * and Exchange Online in both directions, and the arrows between them, each
 * with a status, the one fact that decides it, and the findings that belong
 * to it. mailpath_build() makes the model from a diagnosis and its findings;
 * mailpath_render() draws it as text lines for a width, in UTF-8 line
 * drawing or ASCII, and says where each part is so a wizard can point at it.
 * Plain engine code: no curses, no I/O.
 */
#ifndef HTLS_MAILPATH_H
#define HTLS_MAILPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "facts.h"
#include "findings.h"

/* The parts of the path, in the order they are drawn. Arrows lead from the
 * hop before them to the hop after them. */
enum mailpath_part {
	/* On-premises -> Exchange Online */
	MP_ONPREM,		/* on-premises Exchange and its certificate (--cert) */
	MP_SEND,		/* arrow: its Send connector to Office 365 */
	MP_EDGE,		/* the local network edge: firewall inspection, public IP after NAT */
	MP_CONNECT,		/* arrow: the TCP connection out on port 25 */
	MP_INTERNET,		/* the internet: MX, DNS records, blocklists */
	MP_SESSION,		/* arrow: the SMTP session with the endpoint */
	MP_EOP,			/* Exchange Online Protection: endpoint, STARTTLS, certificate, inbound connector */
	/* Exchange Online -> on-premises */
	MP_EXO,			/* Exchange Online's outbound connector */
	MP_RCONNECT,		/* arrow: its connection to the on-premises endpoint */
	MP_ENDPOINT,		/* the on-premises public endpoint: greeting, STARTTLS */
	MP_RTLS,		/* arrow: the TLS handshake */
	MP_RCERT,		/* its certificate and the name Exchange Online expects */
	MP_COUNT
};

enum mailpath_status {
	MP_NOT_TESTED,		/* the step did not run, or could not test this */
	MP_GOOD,
	MP_WARNING,
	MP_FAILED,
};

struct mailpath_hop {
	enum mailpath_part part;
	bool arrow;
	const char *title;	/* "Network edge" (static) */
	enum mailpath_status status;
	char fact[160];		/* the fact that decides the status, printable ASCII */
	bool root;		/* a root-cause finding (finding.root) belongs here */
	size_t *findings;	/* indices into the findings, in their order */
	size_t nfindings;
};

struct mailpath {
	struct mailpath_hop hop[MP_COUNT];
	/*
	 * The part that stands out and where a cursor starts: the first root
	 * part in path order; else the only failed part (marked "BREAKS HERE");
	 * else the first failed, then the first warning part; else MP_ONPREM.
	 */
	enum mailpath_part focus;
	bool focus_marked;	/* focus is a root part or the only failed part */
};

/*
 * Build the model from d and fs (after rules_all and findings_sort). Every
 * finding lands on exactly one part, by its knowledge-base id. Returns false
 * when out of memory (mp is then empty). Free with mailpath_free().
 */
bool mailpath_build(struct mailpath *mp, const struct diagnosis *d, const struct findings *fs);
void mailpath_free(struct mailpath *mp);

/* The part a finding with this knowledge-base id lands on when the facts do
 * not say otherwise; MP_COUNT for an id the picture does not know. */
enum mailpath_part mailpath_part_of(const char *kb_id);

const char *mailpath_status_word(enum mailpath_status s);	/* "OK", "WARN", "FAIL", "NOT TESTED" */

enum mailpath_charset {
	MAILPATH_ASCII,		/* +-|v and words */
	MAILPATH_UTF8,		/* box drawing */
};

/* Where a part is in the rendering: rows and columns from 0, in display cells. */
struct mailpath_box {
	int row, col, width, height;
};

struct mailpath_render {
	char **lines;		/* without newline, no trailing spaces */
	size_t nlines;
	struct mailpath_box box[MP_COUNT];
};

/* The widest and the narrowest the picture is drawn; 80 is the target. */
#define MAILPATH_MIN_WIDTH 40
#define MAILPATH_TWO_COLUMNS 72	/* from this width the directions stand side by side */

/*
 * Draw mp in width display columns (clamped to at least MAILPATH_MIN_WIDTH).
 * At 80 columns and wider: two columns, at most 18 lines. No line is wider
 * than width: long facts end in an ellipsis. Returns false when out of
 * memory. Free with mailpath_render_free().
 */
bool mailpath_render(const struct mailpath *mp, int width, enum mailpath_charset cs,
    struct mailpath_render *out);
void mailpath_render_free(struct mailpath_render *r);

/* Whether the locale (LC_CTYPE from the environment) uses UTF-8. */
bool mailpath_locale_utf8(void);

/* The display width of a UTF-8 line (each code point one cell, as drawn here). */
size_t mailpath_display_width(const char *s);

/*
 * Print the picture of a run, each line prefixed by indent, for the reports.
 * Nothing when neither SMTP probe ran. Returns false when out of memory.
 */
bool mailpath_print(FILE *out, const struct diagnosis *d, const struct findings *fs, int width,
    enum mailpath_charset cs, const char *indent);

#endif

/*
 * Explain pasted error text: an NDR, a queue viewer "Last error", a message
 * trace detail with {LED=...}, a SmtpSend/SmtpReceive protocol log excerpt,
 * or a Hybrid Configuration Wizard error. A pure function over a bounded
 * buffer (no I/O, no globals written): it finds every SMTP reply code with its
 * RFC 3463 enhanced status code, tells who said each one (also a remote reply
 * quoted inside a local one), matches them against a table of known messages
 * and picks the one to act on. explain_render_text() prints the result.
 */
#ifndef HTLS_EXPLAIN_H
#define HTLS_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* At most this much of the input is read; the rest is ignored. */
#define EXPLAIN_INPUT_MAX	(64 * 1024)
/* At most this many replies are extracted (positive 2xx/3xx ones only while
 * fewer than EXPLAIN_REPLIES_MAX / 2 are stored, so failures keep room). */
#define EXPLAIN_REPLIES_MAX	32
/* At most this many text signatures (log lines with no reply code). */
#define EXPLAIN_SIGNALS_MAX	8
/* A reply's text as stored is cut at this many bytes (with "..."). */
#define EXPLAIN_TEXT_MAX	1024

/* Who said a reply, or who says the message of a knowledge entry. */
enum explain_side {
	EXPLAIN_SIDE_UNKNOWN,
	EXPLAIN_SIDE_LOCAL,	/* the on-premises Exchange server (its queue, its log) */
	EXPLAIN_SIDE_REMOTE,	/* the remote server, e.g. quoted after "responded with" */
	EXPLAIN_SIDE_EXO,	/* Exchange Online / Exchange Online Protection */
};

/* The wizard step (and CLI subcommand) that tests the likely causes. */
enum explain_step {
	EXPLAIN_STEP_NONE,
	EXPLAIN_STEP_SMTP,	/* the SMTP conversation, STARTTLS: hybridtls smtp */
	EXPLAIN_STEP_TLS,	/* the TLS handshake and certificates */
	EXPLAIN_STEP_BLOCKLIST,	/* the public IP on blocklists: hybridtls blocklist */
	EXPLAIN_STEP_CONNECTOR,	/* the Exchange Online connectors */
	EXPLAIN_STEP_ONPREM,	/* on-premises Exchange: certificates, connectors */
	EXPLAIN_STEP_DNS,	/* DNS records: hybridtls dns */
};

#define EXPLAIN_CAUSES_MAX	5
#define EXPLAIN_CHECKS_MAX	6

/*
 * One known message. All strings are static, plain ASCII. Entries live in a
 * const table inside explain.c for the life of the program.
 */
struct explain_entry {
	const char *key;	/* stable: "eop.starttls-required" */
	enum explain_side side;	/* who normally says it */
	enum explain_step step;	/* where to go next */
	bool hcw;		/* a Hybrid Configuration Wizard error */
	const char *title;	/* one line */
	const char *what;	/* what happened, 2 to 4 sentences for an Exchange admin */
	/* Likely causes, most likely first; NULL-terminated. Unconfirmed ones say
	 * "(unconfirmed)", inferred ones "(inferred)". */
	const char *causes[EXPLAIN_CAUSES_MAX + 1];
	/* Checks to run: hybridtls commands first, then cmdlets; NULL-terminated. */
	const char *checks[EXPLAIN_CHECKS_MAX + 1];
	const char *note;	/* caveat (unconfirmed parts, moving timelines), or NULL */
};

/* One reply found in the text. */
struct explain_reply {
	int code;		/* basic code, 200..559 */
	char esc[16];		/* enhanced status code "5.7.606", "" if none */
	char *text;		/* the reply as found: code, enhanced code and text,
				 * whitespace collapsed, plain ASCII; owned by the result */
	enum explain_side side;
	int depth;		/* 0 at top level; 1 quoted inside another reply ... */
	int parent;		/* index of the enclosing reply, -1 at top level */
	const struct explain_entry *entry; /* NULL: this exact code is not known */
};

struct explain_result {
	struct explain_reply replies[EXPLAIN_REPLIES_MAX]; /* in the order found */
	size_t nreplies;
	/* The reply to act on, always a failure (4xx/5xx): the innermost one when
	 * replies are nested, otherwise the most specific known one; -1 when the
	 * text holds no failure reply. */
	int primary;
	/* The entry to act on: the primary reply's entry; or, when that is
	 * unknown or only a wrapper, the enclosing reply's entry or a signature
	 * found in the text; or the HCW entry. NULL when nothing is known. */
	const struct explain_entry *primary_entry;
	const struct explain_entry *hcw;	/* the text is an HCW error, or NULL */
	/* Entries recognised by text alone (log lines such as "TLS negotiation
	 * failed with error NoCredentials", "250-XXXXXXXA"), not HCW ones, and
	 * not those already attached to a reply. */
	const struct explain_entry *signals[EXPLAIN_SIGNALS_MAX];
	size_t nsignals;
	enum explain_step step;	/* suggested wizard step for primary_entry */
	bool recognised;	/* false: no reply, signature or HCW error found */
	bool truncated;		/* the input was longer than EXPLAIN_INPUT_MAX */
};

/*
 * Explain text[0..len) (NUL bytes, binary and any line endings allowed; text
 * may be NULL when len is 0). *out is always initialised; on true the caller
 * frees it with explain_result_free(), even when nothing was recognised.
 * Returns false only when memory ran out (then *out holds nothing).
 */
bool explain_text(const char *text, size_t len, struct explain_result *out);
/* Free what explain_text() allocated; safe on a zeroed or freed result. */
void explain_result_free(struct explain_result *r);

/* The knowledge table: count, i-th entry, or the entry with this key (NULL
 * if none). */
size_t explain_entry_count(void);
const struct explain_entry *explain_entry_at(size_t i);
const struct explain_entry *explain_entry_find(const char *key);

/* Names: "local queue", "remote server", "Exchange Online", "unknown". */
const char *explain_side_name(enum explain_side side);
/* Who said it, as a phrase: "the on-premises server (local queue)". */
const char *explain_side_phrase(enum explain_side side);
/* Wizard step ids and titles: "smtp" / "SMTP conversation and STARTTLS". */
const char *explain_step_name(enum explain_step step);
const char *explain_step_title(enum explain_step step);

/*
 * Class meanings for codes that have no entry. RFC 5321 4.2.1: the first
 * digit (2 success, 3 intermediate, 4 transient, 5 permanent) and the second
 * (x0z syntax, x1z information, x2z connections, x5z mail system). RFC 3463:
 * the class and the subject of the enhanced code. Never NULL.
 */
const char *explain_code_class(int code);
const char *explain_code_category(int code);
const char *explain_esc_class(const char *esc);
const char *explain_esc_subject(const char *esc);

/*
 * Print r for a person, wrapped at width columns (80 when width <= 0; at least
 * 40): the primary reply and entry first (the reply as found, who said it,
 * what happened, likely causes numbered most likely first, the checks to
 * run), then the HCW error, signatures and the other replies. An unknown code
 * gets its class meaning and "not specifically known". Plain ASCII.
 */
void explain_render_text(FILE *out, const struct explain_result *r, int width);

#endif

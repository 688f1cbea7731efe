/*
 * DMARC (RFC 7489 section 6.3 and 6.4): the parser of the TXT record at
 * _dmarc.<domain>. A pure function over a bounded string, no I/O.
 */
#ifndef HTLS_DMARC_H
#define HTLS_DMARC_H

#include <stdbool.h>
#include <stddef.h>

#define DMARC_RECORD_MAX 4096	/* longest record dmarc_parse() accepts, in bytes */
#define DMARC_TAGS_MAX 32	/* most tags in one record */
#define DMARC_URIS_MAX 16	/* most URIs in one rua= or ruf= */

enum dmarc_policy {
	DMARC_POLICY_UNSET,	/* sp= absent: p= applies to subdomains too */
	DMARC_POLICY_NONE,
	DMARC_POLICY_QUARANTINE,
	DMARC_POLICY_REJECT,
};

/* adkim= and aspf=, as the letter that writes them. */
enum dmarc_align {
	DMARC_ALIGN_RELAXED = 'r',
	DMARC_ALIGN_STRICT = 's',
};

/* A tag this parser does not know, kept as written (RFC 7489 6.3: ignored). */
struct dmarc_tag {
	char *name;
	char *value;
};

/* A parsed record. Owned by the caller; release with dmarc_record_free(). */
struct dmarc_record {
	enum dmarc_policy p;		/* never UNSET after a successful parse */
	enum dmarc_policy sp;		/* UNSET when absent */
	int pct;			/* 0..100; 100 when absent */
	bool pct_set;			/* pct= was written */
	char **rua;			/* aggregate report URIs as written ("mailto:d@rua.example!10m") */
	size_t nrua;
	char **ruf;			/* failure report URIs */
	size_t nruf;
	enum dmarc_align adkim;		/* 'r' when absent */
	enum dmarc_align aspf;		/* 'r' when absent */
	char *fo;			/* fo= as written ("1", "d:s"); NULL when absent (means "0") */
	unsigned long ri;		/* report interval in seconds; 86400 when absent */
	char *rf;			/* rf= as written; NULL when absent (means "afrf") */
	struct dmarc_tag *unknown;	/* other tags, in order */
	size_t nunknown;
};

/*
 * Parse txt (the TXT strings joined) into *out. The tag list is "name=value"
 * separated by ';' with optional spaces or tabs. Requires v=DMARC1 as the
 * first tag (the value exactly "DMARC1") and a valid p=; checks sp= and p=
 * (none, quarantine, reject, any case), pct= (0 to 100), adkim= and aspf=
 * (r or s), fo= (0, 1, d, s joined by ':'), ri= (digits); a tag twice is an
 * error. rua= and ruf= are split on ',' and each URI kept as written (see
 * dmarc_uri_ok()); empty entries are an error. Unknown tags are kept.
 * On success the caller frees *out with dmarc_record_free(). On error returns
 * false, leaves *out holding nothing to free (dmarc_record_free() is still
 * safe) and writes a message naming the bad tag to err.
 */
bool dmarc_parse(const char *txt, struct dmarc_record *out, char *err, size_t errlen);

/* Free what *r holds and empty it; r may be NULL, and freeing twice is fine. */
void dmarc_record_free(struct dmarc_record *r);

/* Does txt look like a DMARC record: "v=DMARC1" then ';', blanks or the end? */
bool dmarc_is_dmarc(const char *txt);

/*
 * Is uri (one rua/ruf entry) a URI with a scheme and something after it, and
 * an optional "!" size limit of digits and k, m, g or t? "mailto:" and
 * "https:" are what receivers use; "mailto:" must have an '@'.
 */
bool dmarc_uri_ok(const char *uri);

/* "none", "quarantine", "reject"; "" for DMARC_POLICY_UNSET. */
const char *dmarc_policy_name(enum dmarc_policy p);

#endif

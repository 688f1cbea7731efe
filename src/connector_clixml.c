/*
 * Export-Clixml connector exports: <Objs><Obj><TN>..</TN><ToString>..
 * <Props> (and <MS>) holding <S N=..>, <B N=..>, <Nil N=..>, <Obj N=..>
 * with <LST> items or a <ToString> (SmtpX509Identifier, enums written as
 * <ToString>Name</ToString><I32>n</I32>), and <Ref RefId=..> back-references.
 * A small bounded XML reader builds a tree first: no DTDs, no external
 * entities, at most MAX_DEPTH levels and MAX_NODES elements.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connector.h"

#define MAX_DEPTH 64
#define MAX_NODES 500000
#define MAX_REF_DEPTH 8

struct xnode {
	char *name;
	char *n;     /* N="..." */
	char *refid; /* RefId="..." */
	char *text;  /* decoded character data directly inside */
	size_t textlen;
	struct xnode **kids;
	size_t nkids, cap;
	int line;
};

struct xp {
	const char *t;
	size_t len, pos;
	int line;
	size_t nodes;
	char *err;
	size_t errlen;
	bool failed;
};

static bool xfail(struct xp *x, int line, const char *what)
{
	if (!x->failed)
		connector_fail(x->err, x->errlen, line, "%s", what);
	x->failed = true;
	return false;
}

static void xnode_free(struct xnode *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		xnode_free(n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n->n);
	free(n->refid);
	free(n->text);
	free(n);
}

static bool starts(const struct xp *x, const char *s)
{
	size_t n = strlen(s);

	return x->len - x->pos >= n && memcmp(x->t + x->pos, s, n) == 0;
}

/* Advance one byte, counting lines. */
static void adv(struct xp *x)
{
	if (x->t[x->pos] == '\n')
		x->line++;
	x->pos++;
}

/* Skip up to and past s; false (and an error) if the text ends first. */
static bool skip_past(struct xp *x, const char *s, const char *what)
{
	int line = x->line;

	while (x->pos < x->len) {
		if (starts(x, s)) {
			x->pos += strlen(s);
			return true;
		}
		adv(x);
	}
	{
		char msg[160];

		snprintf(msg, sizeof msg, "the XML ends inside %s begun on line %d: the file is "
			 "truncated", what, line);
		return xfail(x, x->line, msg);
	}
}

static void put_cp(char *o, size_t *k, uint32_t cp)
{
	if (cp < 0x80) {
		o[(*k)++] = (char)cp;
	} else if (cp < 0x800) {
		o[(*k)++] = (char)(0xC0 | (cp >> 6));
		o[(*k)++] = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		o[(*k)++] = (char)(0xE0 | (cp >> 12));
		o[(*k)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[(*k)++] = (char)(0x80 | (cp & 0x3F));
	} else {
		o[(*k)++] = (char)(0xF0 | (cp >> 18));
		o[(*k)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
		o[(*k)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[(*k)++] = (char)(0x80 | (cp & 0x3F));
	}
}

/*
 * Decode s[0..n) with XML entities into a new string (output never longer
 * than input). NULL with *bad set on a bad entity.
 */
static char *decode_entities(const char *s, size_t n, size_t *outlen, bool *bad)
{
	char *o = malloc(n + 1);
	size_t i = 0, k = 0;

	*bad = false;
	if (o == NULL)
		return NULL;
	while (i < n) {
		if (s[i] != '&') {
			o[k++] = s[i++];
			continue;
		}
		const char *semi = memchr(s + i, ';', n - i < 12 ? n - i : 12);
		size_t el;

		if (semi == NULL)
			goto bad;
		el = (size_t)(semi - (s + i)) + 1;
		if (el == 4 && memcmp(s + i, "&lt;", 4) == 0)
			o[k++] = '<';
		else if (el == 4 && memcmp(s + i, "&gt;", 4) == 0)
			o[k++] = '>';
		else if (el == 5 && memcmp(s + i, "&amp;", 5) == 0)
			o[k++] = '&';
		else if (el == 6 && memcmp(s + i, "&quot;", 6) == 0)
			o[k++] = '"';
		else if (el == 6 && memcmp(s + i, "&apos;", 6) == 0)
			o[k++] = '\'';
		else if (el >= 4 && s[i + 1] == '#') {
			uint32_t cp = 0;
			size_t j = i + 2;
			bool hex = s[j] == 'x' || s[j] == 'X';

			if (hex)
				j++;
			if (s + j == semi)
				goto bad;
			for (; s + j < semi; j++) {
				int d = isdigit((unsigned char)s[j]) ? s[j] - '0'
					: hex && isxdigit((unsigned char)s[j])
						? tolower((unsigned char)s[j]) - 'a' + 10
						: -1;

				if (d < 0 || cp > 0x10FFFF)
					goto bad;
				cp = cp * (hex ? 16 : 10) + (uint32_t)d;
			}
			/* &#N; is at least 4 bytes, UTF-8 at most 4: no overflow */
			if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
				goto bad;
			put_cp(o, &k, cp);
		} else {
			goto bad;
		}
		i += el;
	}
	o[k] = '\0';
	*outlen = k;
	return o;
bad:
	free(o);
	*bad = true;
	return NULL;
}

/* PowerShell's _xHHHH_ escapes in Clixml strings, decoded in place. */
static void decode_underscore_x(char *s)
{
	char *r = s, *w = s;

	while (*r != '\0') {
		if (r[0] == '_' && r[1] == 'x' && isxdigit((unsigned char)r[2]) &&
		    isxdigit((unsigned char)r[3]) && isxdigit((unsigned char)r[4]) &&
		    isxdigit((unsigned char)r[5]) && r[6] == '_') {
			char hex[5] = { r[2], r[3], r[4], r[5], '\0' };
			uint32_t cp = (uint32_t)strtoul(hex, NULL, 16);

			if (cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) {
				size_t k = 0;
				char tmp[4];

				put_cp(tmp, &k, cp);
				if (k <= 7) {
					memcpy(w, tmp, k);
					w += k;
					r += 7;
					continue;
				}
			}
		}
		*w++ = *r++;
	}
	*w = '\0';
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == ':' || c == '-' || c == '.';
}

static bool append_text(struct xp *x, struct xnode *n, const char *s, size_t len, bool raw)
{
	char *dec, *nt;
	size_t dl;
	bool bad;

	if (raw) {
		dec = connector_strndup(s, len);
		dl = len;
		bad = false;
	} else {
		dec = decode_entities(s, len, &dl, &bad);
	}
	if (dec == NULL)
		return xfail(x, x->line, bad ? "a malformed XML entity (expected &lt; &gt; &amp; "
				  "&quot; &apos; or &#N;)" : "out of memory");
	nt = realloc(n->text, n->textlen + dl + 1);
	if (nt == NULL) {
		free(dec);
		return xfail(x, x->line, "out of memory");
	}
	memcpy(nt + n->textlen, dec, dl + 1);
	n->text = nt;
	n->textlen += dl;
	free(dec);
	return true;
}

static bool add_kid(struct xp *x, struct xnode *p, struct xnode *k)
{
	if (p->nkids == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 4;
		struct xnode **nk = realloc(p->kids, cap * sizeof *nk);

		if (nk == NULL)
			return xfail(x, x->line, "out of memory");
		p->kids = nk;
		p->cap = cap;
	}
	p->kids[p->nkids++] = k;
	return true;
}

/* Parse name="value" pairs up to '>' or '/>'; keeps N and RefId. */
static bool parse_attrs(struct xp *x, struct xnode *n, bool *empty)
{
	for (;;) {
		size_t nb, ne, vb;
		char q, *val;
		size_t vl;
		bool bad;

		while (x->pos < x->len && isspace((unsigned char)x->t[x->pos]))
			adv(x);
		if (x->pos >= x->len)
			return xfail(x, x->line, "the XML ends inside a tag: the file is truncated");
		if (starts(x, "/>")) {
			x->pos += 2;
			*empty = true;
			return true;
		}
		if (x->t[x->pos] == '>') {
			x->pos++;
			*empty = false;
			return true;
		}
		nb = x->pos;
		while (x->pos < x->len && is_name_char(x->t[x->pos]))
			x->pos++;
		ne = x->pos;
		if (ne == nb)
			return xfail(x, x->line, "a malformed XML tag (expected an attribute name, "
				     "'>' or '/>')");
		while (x->pos < x->len && isspace((unsigned char)x->t[x->pos]))
			adv(x);
		if (x->pos >= x->len || x->t[x->pos] != '=')
			return xfail(x, x->line, "a malformed XML attribute (expected '=')");
		x->pos++;
		while (x->pos < x->len && isspace((unsigned char)x->t[x->pos]))
			adv(x);
		if (x->pos >= x->len || (x->t[x->pos] != '"' && x->t[x->pos] != '\''))
			return xfail(x, x->line, "a malformed XML attribute (expected a quoted value)");
		q = x->t[x->pos++];
		vb = x->pos;
		while (x->pos < x->len && x->t[x->pos] != q) {
			if (x->t[x->pos] == '<')
				return xfail(x, x->line, "'<' inside an XML attribute value");
			adv(x);
		}
		if (x->pos >= x->len)
			return xfail(x, x->line, "the XML ends inside an attribute value: the file is "
				     "truncated");
		val = decode_entities(x->t + vb, x->pos - vb, &vl, &bad);
		x->pos++;
		if (val == NULL)
			return xfail(x, x->line, bad ? "a malformed XML entity in an attribute"
				     : "out of memory");
		if (ne - nb == 1 && x->t[nb] == 'N' && n->n == NULL) {
			decode_underscore_x(val);
			n->n = val;
		} else if (ne - nb == 5 && memcmp(x->t + nb, "RefId", 5) == 0 && n->refid == NULL) {
			n->refid = val;
		} else {
			free(val);
		}
	}
}

/* Parse one element at x->pos (which is at '<'). NULL on error. */
static struct xnode *parse_element(struct xp *x, int depth)
{
	struct xnode *n;
	size_t nb;
	bool empty;

	if (depth > MAX_DEPTH) {
		xfail(x, x->line, "XML nested too deeply for a connector export");
		return NULL;
	}
	if (++x->nodes > MAX_NODES) {
		xfail(x, x->line, "too many XML elements for a connector export");
		return NULL;
	}
	n = calloc(1, sizeof *n);
	if (n == NULL) {
		xfail(x, x->line, "out of memory");
		return NULL;
	}
	n->line = x->line;
	x->pos++; /* '<' */
	nb = x->pos;
	while (x->pos < x->len && is_name_char(x->t[x->pos]))
		x->pos++;
	if (x->pos == nb) {
		xfail(x, x->line, "a malformed XML tag (expected an element name after '<')");
		goto err;
	}
	n->name = connector_strndup(x->t + nb, x->pos - nb);
	if (n->name == NULL || !parse_attrs(x, n, &empty))
		goto err;
	if (empty)
		return n;
	for (;;) {
		size_t tb = x->pos;

		while (x->pos < x->len && x->t[x->pos] != '<')
			adv(x);
		if (x->pos > tb && !append_text(x, n, x->t + tb, x->pos - tb, false))
			goto err;
		if (x->pos >= x->len) {
			char msg[160];

			snprintf(msg, sizeof msg, "the XML ends inside <%.40s> opened on line %d: "
				 "the file is truncated", n->name, n->line);
			xfail(x, x->line, msg);
			goto err;
		}
		if (starts(x, "</")) {
			size_t l = strlen(n->name);

			x->pos += 2;
			if (x->len - x->pos < l || memcmp(x->t + x->pos, n->name, l) != 0 ||
			    (x->pos + l < x->len && is_name_char(x->t[x->pos + l]))) {
				char msg[160];

				snprintf(msg, sizeof msg, "a mismatched XML end tag (expected "
					 "</%.40s> for the tag opened on line %d)", n->name,
					 n->line);
				xfail(x, x->line, msg);
				goto err;
			}
			x->pos += l;
			while (x->pos < x->len && isspace((unsigned char)x->t[x->pos]))
				adv(x);
			if (x->pos >= x->len || x->t[x->pos] != '>') {
				xfail(x, x->line, "a malformed XML end tag (expected '>')");
				goto err;
			}
			x->pos++;
			if (strcmp(n->name, "S") == 0 && n->text != NULL) {
				decode_underscore_x(n->text);
				n->textlen = strlen(n->text);
			}
			return n;
		}
		if (starts(x, "<!--")) {
			if (!skip_past(x, "-->", "an XML comment"))
				goto err;
		} else if (starts(x, "<![CDATA[")) {
			size_t cb;

			x->pos += 9;
			cb = x->pos;
			if (!skip_past(x, "]]>", "a CDATA section") ||
			    !append_text(x, n, x->t + cb, x->pos - 3 - cb, true))
				goto err;
		} else if (starts(x, "<?")) {
			if (!skip_past(x, "?>", "an XML processing instruction"))
				goto err;
		} else if (starts(x, "<!")) {
			xfail(x, x->line, "a DOCTYPE or other <! declaration, which Clixml never has");
			goto err;
		} else {
			struct xnode *k = parse_element(x, depth + 1);

			if (k == NULL)
				goto err;
			if (!add_kid(x, n, k)) {
				xnode_free(k);
				goto err;
			}
		}
	}
err:
	xnode_free(n);
	return NULL;
}

/* Skip blanks, the XML declaration, comments and PIs before the root. */
static bool skip_prolog(struct xp *x)
{
	for (;;) {
		while (x->pos < x->len && isspace((unsigned char)x->t[x->pos]))
			adv(x);
		if (starts(x, "\xEF\xBB\xBF"))
			x->pos += 3;
		else if (starts(x, "<?")) {
			if (!skip_past(x, "?>", "the XML declaration"))
				return false;
		} else if (starts(x, "<!--")) {
			if (!skip_past(x, "-->", "an XML comment"))
				return false;
		} else if (starts(x, "<!")) {
			return xfail(x, x->line, "a DOCTYPE declaration, which Clixml never has; "
				     "expected <Objs>");
		} else {
			return true;
		}
	}
}

/* ---- Clixml semantics ---- */

struct ctx {
	struct xnode **refs; /* Obj with RefId, by RefId number when small */
	size_t nrefs;
	char **tn;           /* TN RefId -> first T */
	size_t ntn;
};

static struct xnode *kid(const struct xnode *n, const char *name)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		if (strcmp(n->kids[i]->name, name) == 0)
			return n->kids[i];
	return NULL;
}

static long refnum(const char *s)
{
	char *e;
	long v;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &e, 10);
	return *e == '\0' && v >= 0 && v < 100000 ? v : -1;
}

/* Index every <Obj RefId> and <TN RefId> below n. */
static bool index_refs(struct ctx *c, struct xnode *n, int depth)
{
	size_t i;
	long r = refnum(n->refid);

	if (depth > MAX_DEPTH)
		return true;
	if (r >= 0 && (strcmp(n->name, "Obj") == 0 || strcmp(n->name, "TN") == 0)) {
		bool obj = n->name[0] == 'O';
		size_t need = (size_t)r + 1, have = obj ? c->nrefs : c->ntn;

		if (need > have) {
			void *nv = realloc(obj ? (void *)c->refs : (void *)c->tn,
					   need * (obj ? sizeof *c->refs : sizeof *c->tn));

			if (nv == NULL)
				return false;
			if (obj) {
				c->refs = nv;
				memset(c->refs + have, 0, (need - have) * sizeof *c->refs);
				c->nrefs = need;
			} else {
				c->tn = nv;
				memset(c->tn + have, 0, (need - have) * sizeof *c->tn);
				c->ntn = need;
			}
		}
		if (obj && c->refs[r] == NULL)
			c->refs[r] = n;
		if (!obj && c->tn[r] == NULL) {
			struct xnode *t = kid(n, "T");

			if (t != NULL && t->text != NULL)
				c->tn[r] = t->text;
		}
	}
	for (i = 0; i < n->nkids; i++)
		if (!index_refs(c, n->kids[i], depth + 1))
			return false;
	return true;
}

static const char *type_of(const struct ctx *c, const struct xnode *obj)
{
	struct xnode *tn = kid(obj, "TN"), *t;
	long r;

	if (tn != NULL && (t = kid(tn, "T")) != NULL)
		return t->text;
	tn = kid(obj, "TNRef");
	if (tn != NULL && (r = refnum(tn->refid)) >= 0 && (size_t)r < c->ntn)
		return c->tn[r];
	return NULL;
}

static bool is_primitive(const char *name)
{
	static const char *const prim[] = { "S", "C", "I16", "I32", "I64", "U8", "U16", "U32",
					    "U64", "SB", "By", "Db", "Sg", "D", "DT", "TS", "G",
					    "URI", "Version", "XD", "SBK", "SS", "BA", "PR", NULL };
	size_t i;

	for (i = 0; prim[i] != NULL; i++)
		if (strcmp(name, prim[i]) == 0)
			return true;
	return false;
}

static bool is_int(const char *name)
{
	return strcmp(name, "I16") == 0 || strcmp(name, "I32") == 0 || strcmp(name, "I64") == 0 ||
	       strcmp(name, "U8") == 0 || strcmp(name, "U16") == 0 || strcmp(name, "U32") == 0 ||
	       strcmp(name, "SB") == 0;
}

static struct xnode *deref(const struct ctx *c, struct xnode *n)
{
	long r;

	if (strcmp(n->name, "Ref") == 0 && (r = refnum(n->refid)) >= 0 && (size_t)r < c->nrefs)
		return c->refs[r];
	return n;
}

static struct xnode *list_of(const struct xnode *obj)
{
	struct xnode *l = kid(obj, "LST");

	if (l == NULL)
		l = kid(obj, "IE");
	if (l == NULL)
		l = kid(obj, "STK");
	if (l == NULL)
		l = kid(obj, "QUE");
	return l;
}

/* The text an item element stands for, or NULL. */
static const char *item_text(const struct ctx *c, struct xnode *n, int depth)
{
	struct xnode *k, *props;
	size_t i;

	n = deref(c, n);
	if (n == NULL || depth > MAX_REF_DEPTH)
		return NULL;
	if (is_primitive(n->name))
		return n->text != NULL ? n->text : "";
	if (strcmp(n->name, "B") == 0)
		return n->text;
	if (strcmp(n->name, "Obj") != 0)
		return NULL;
	if ((k = kid(n, "ToString")) != NULL)
		return k->text != NULL ? k->text : "";
	props = kid(n, "Props");
	if (props != NULL)
		for (i = 0; i < props->nkids; i++)
			if (props->kids[i]->n != NULL &&
			    strcmp(props->kids[i]->n, "Expression") == 0)
				return item_text(c, props->kids[i], depth + 1);
	for (i = 0; i < n->nkids; i++)
		if (is_primitive(n->kids[i]->name))
			return n->kids[i]->text != NULL ? n->kids[i]->text : "";
	return NULL;
}

/* Convert a property element into p. False on out of memory. */
static bool conv_prop(const struct ctx *c, struct xnode *e, struct connector_rawprop *p, int depth)
{
	const char *s;
	struct xnode *l;
	size_t i;

	e = deref(c, e);
	if (e == NULL || depth > MAX_REF_DEPTH) {
		p->type = CONNECTOR_RAW_NULL;
		p->note = strdup("a <Ref> to an object not in the file; value unknown");
		return p->note != NULL;
	}
	if (strcmp(e->name, "Nil") == 0) {
		p->type = CONNECTOR_RAW_NULL;
		return true;
	}
	if (strcmp(e->name, "B") == 0) {
		p->type = CONNECTOR_RAW_BOOL;
		p->b = e->text != NULL && strcasecmp(e->text, "true") == 0;
		if (e->text == NULL || (p->b == 0 && strcasecmp(e->text, "false") != 0))
			p->type = CONNECTOR_RAW_STR, p->s = strdup(e->text ? e->text : "");
		return p->type == CONNECTOR_RAW_BOOL || p->s != NULL;
	}
	if (is_int(e->name) && e->text != NULL) {
		char *end;
		long long v = strtoll(e->text, &end, 10);

		if (end != e->text && *end == '\0') {
			p->type = CONNECTOR_RAW_INT;
			p->i = v;
			return true;
		}
	}
	if (strcmp(e->name, "Obj") == 0 && (l = list_of(e)) != NULL) {
		p->type = CONNECTOR_RAW_LIST;
		p->list.present = true;
		for (i = 0; i < l->nkids; i++) {
			s = item_text(c, l->kids[i], depth + 1);
			if (s == NULL) {
				if (strcmp(l->kids[i]->name, "Nil") != 0 && p->note == NULL &&
				    (p->note = strdup("an item had no readable value and was "
						      "skipped")) == NULL)
					return false;
				continue;
			}
			if (!connector_list_add(&p->list, s, strlen(s)))
				return false;
		}
		return true;
	}
	if (strcmp(e->name, "Obj") == 0 && kid(e, "DCT") != NULL) {
		p->type = CONNECTOR_RAW_LOST;
		p->s = strdup("a dictionary");
		return p->s != NULL;
	}
	s = item_text(c, e, depth);
	if (s == NULL) {
		p->type = CONNECTOR_RAW_NULL;
		p->note = strdup("a value with no readable text; treated as unknown");
		return p->note != NULL;
	}
	p->type = CONNECTOR_RAW_STR;
	p->s = strdup(s);
	return p->s != NULL;
}

static bool add_obj(const struct ctx *c, struct xnode *obj, struct connector_rawset *out,
		    char *err, size_t errlen)
{
	static const char *const bags[] = { "Props", "MS" };
	struct connector_raw *r = connector_rawset_add(out, obj->line);
	const char *tn;
	size_t b, i;

	if (r == NULL)
		return connector_fail(err, errlen, obj->line, "too many objects (more than %d) or "
				      "out of memory", CONNECTOR_MAX_OBJECTS);
	tn = type_of(c, obj);
	if (tn != NULL && (r->type_name = strdup(tn)) == NULL)
		return connector_fail(err, errlen, obj->line, "out of memory");
	for (b = 0; b < 2; b++) {
		struct xnode *bag = kid(obj, bags[b]);

		for (i = 0; bag != NULL && i < bag->nkids; i++) {
			struct xnode *e = bag->kids[i];
			struct connector_rawprop *p;

			if (e->n == NULL)
				continue;
			p = connector_raw_add(r, e->n, strlen(e->n), e->line);
			if (p == NULL || !conv_prop(c, e, p, 0))
				return connector_fail(err, errlen, e->line, "out of memory or too "
						      "many properties");
		}
	}
	return true;
}

bool connector_clixml_read(const char *text, size_t len, struct connector_rawset *out, char *how,
			   size_t howlen, char *err, size_t errlen)
{
	struct xp x = { .t = text, .len = len, .line = 1, .err = err, .errlen = errlen };
	struct ctx c = { 0 };
	struct xnode *root = NULL;
	size_t i, nobj = 0;
	bool ok = false;

	if (!skip_prolog(&x))
		return false;
	if (x.pos >= len || text[x.pos] != '<')
		return connector_fail(err, errlen, x.line, "no XML element after the declaration; "
				      "expected <Objs> (Export-Clixml)");
	root = parse_element(&x, 0);
	if (root == NULL)
		return false;
	if (strcmp(root->name, "Objs") != 0) {
		connector_fail(err, errlen, root->line, "the XML root element is <%.40s>, not <Objs>: "
			       "this is not an Export-Clixml file; expected Get-SendConnector "
			       "(or another connector cmdlet) | Export-Clixml", root->name);
		goto out;
	}
	while (x.pos < len && isspace((unsigned char)text[x.pos]))
		adv(&x);
	if (starts(&x, "<!--") && skip_past(&x, "-->", "an XML comment"))
		while (x.pos < len && isspace((unsigned char)text[x.pos]))
			adv(&x);
	if (x.pos < len) {
		connector_fail(err, errlen, x.line, "text after </Objs>; expected the end of the "
			       "Export-Clixml file");
		goto out;
	}
	if (!index_refs(&c, root, 0)) {
		connector_fail(err, errlen, 1, "out of memory");
		goto out;
	}
	for (i = 0; i < root->nkids; i++) {
		struct xnode *o = root->kids[i];

		if (strcmp(o->name, "Obj") != 0) {
			connector_fail(err, errlen, o->line, "item %zu of <Objs> is <%.40s>, not an "
				       "<Obj>: the export holds plain values, not connector objects",
				       i + 1, o->name);
			goto out;
		}
		if (!add_obj(&c, o, out, err, errlen))
			goto out;
		nobj++;
	}
	if (nobj == 0) {
		connector_fail(err, errlen, root->line, "<Objs> is empty: the cmdlet returned no "
			       "connectors");
		goto out;
	}
	snprintf(how, howlen, "Export-Clixml: <Objs> with %zu object%s%s%.80s", nobj,
		 nobj == 1 ? "" : "s", out->v[0].type_name ? " of type " : "",
		 out->v[0].type_name ? out->v[0].type_name : "");
	ok = true;
out:
	free(c.refs);
	free(c.tn);
	xnode_free(root);
	return ok;
}

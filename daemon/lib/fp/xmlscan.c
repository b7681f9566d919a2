// SPDX-License-Identifier: GPL-2.0-only
/*
 * Finds the text of named elements in a single XML datagram, in one linear
 * pass per lookup, without allocation or recursion.
 *
 * Why a scanner and not libxml2: the discovery payloads we read (SADP,
 * WS-Discovery, CWMP Inform) are one datagram or one HTTP body from an
 * untrusted device, and all we need is the text of a handful of leaf
 * elements. A conforming parser would buy us validation we do not want
 * (devices emit sloppy XML and we must still fingerprint them), a DOM
 * allocated per frame on the hot path, process-global state
 * (xmlInitParser, error handlers) inside what is otherwise a pure function,
 * and the attack surface of DTDs, external entities and entity expansion
 * that we would then have to switch off flag by flag (XML_PARSE_NONET,
 * no XML_PARSE_NOENT, no DTD load, huge-node limits) and keep switched off
 * across library versions. The scanner below has none of those features to
 * begin with: it never expands anything but the five predefined entities
 * and numeric character references, ignores DOCTYPE contents, matches
 * element names on their local part (namespace prefixes are decorative in
 * every capture we have seen, and a device forging its own namespaces only
 * lies about itself), keeps nesting as a counter, and touches each byte a
 * bounded number of times, so a 1 MiB nest of elements costs a linear scan.
 * It is fuzzed (tests/fuzz/fuzz_sadp_xml.c, fuzz_wsd.c). What it gives up:
 * it accepts malformed documents and does not tell a tag inside an
 * attribute value of an unrelated element from markup — acceptable for
 * fingerprint extraction, where the rule layer judges the values.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include <errno.h>
#include <string.h>

#include "xmlscan.h"

#define NPOS ((size_t)-1)

enum tok_kind { TOK_START, TOK_END, TOK_EMPTY, TOK_CDATA, TOK_OTHER };

struct tok {
	enum tok_kind kind;
	size_t begin;      /* index of '<' */
	size_t end;        /* index just after the closing '>' */
	size_t name;       /* local name: start index and length */
	size_t name_len;
};

static bool is_ws(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static size_t find(const uint8_t *p, size_t len, size_t from, const char *needle)
{
	size_t nl = strlen(needle);
	const uint8_t *hit;

	if (from > len)
		return NPOS;
	hit = memmem(p + from, len - from, needle, nl);
	return hit ? (size_t)(hit - p) : NPOS;
}

static bool has_prefix(const uint8_t *p, size_t len, size_t at, const char *s)
{
	size_t n = strlen(s);

	return at <= len && len - at >= n && !memcmp(p + at, s, n);
}

/* A comment, CDATA section or DOCTYPE after "<" at p[j] == '!': 1, or
 * -EBADMSG when it does not end in the buffer. */
static int scan_bang(const uint8_t *p, size_t len, size_t j, struct tok *t)
{
	size_t k;

	if (has_prefix(p, len, j, "!--")) {
		k = find(p, len, j + 3, "-->");
		t->kind = TOK_OTHER;
		t->end = k == NPOS ? 0 : k + 3;
	} else if (has_prefix(p, len, j, "![CDATA[")) {
		k = find(p, len, j + 8, "]]>");
		t->kind = TOK_CDATA;
		t->end = k == NPOS ? 0 : k + 3;
	} else {
		/* DOCTYPE: its internal subset may contain '>'; we
		 * only step over it, never interpret it. */
		bool subset = false;

		t->kind = TOK_OTHER;
		t->end = 0;
		for (k = j; k < len; k++) {
			if (p[k] == '[')
				subset = true;
			else if (p[k] == ']')
				subset = false;
			else if (p[k] == '>' && !subset) {
				t->end = k + 1;
				break;
			}
		}
	}
	return t->end ? 1 : -EBADMSG;
}

/* Classifies the markup starting at p[i] == '<'. -EBADMSG when it runs off
 * the end of the buffer: no later '<' can then be trusted either, so every
 * caller stops there, which is what keeps all scans linear. */
static int scan_markup(const uint8_t *p, size_t len, size_t i, struct tok *t)
{
	size_t j = i + 1, k, n0;
	bool end_tag;

	t->begin = i;
	t->name = t->name_len = 0;
	if (j >= len)
		return -EBADMSG;
	if (p[j] == '!')
		return scan_bang(p, len, j, t);
	if (p[j] == '?') {
		k = find(p, len, j + 1, "?>");
		t->kind = TOK_OTHER;
		t->end = k == NPOS ? 0 : k + 2;
		return t->end ? 1 : -EBADMSG;
	}
	end_tag = p[j] == '/';
	if (end_tag)
		j++;
	n0 = j;
	/* The name and its local part (after the last ':') in one pass:
	 * every SADP and WS-Discovery frame is mostly tags. */
	t->name = n0;
	for (; j < len; j++) {
		uint8_t c = p[j];

		if (c <= ' ' ? is_ws(c) : c == '>' || c == '/')
			break;
		if (c == ':')
			t->name = j + 1;
	}
	t->name_len = j - t->name;
	/* A '>' inside a quoted attribute value does not close the tag: a
	 * quote jumps to its closing one (memchr: namespace URIs are long). */
	for (; j < len && p[j] != '>'; j++) {
		if (p[j] == '"' || p[j] == '\'') {
			const uint8_t *q = memchr(p + j + 1, p[j], len - j - 1);

			if (!q)
				return -EBADMSG;
			j = (size_t)(q - p);
		}
	}
	if (j >= len)
		return -EBADMSG;
	t->end = j + 1;
	if (end_tag)
		t->kind = TOK_END;
	else if (j > n0 && p[j - 1] == '/')
		t->kind = TOK_EMPTY;
	else
		t->kind = TOK_START;
	return 1;
}

static bool tok_is(const uint8_t *p, const struct tok *t, const char *name, size_t nlen)
{
	/* The first byte first: most tags are not the name asked for. */
	return t->name_len == nlen && (!nlen || p[t->name] == (uint8_t)name[0]) &&
	       !memcmp(p + t->name, name, nlen);
}

bool vw_xml_span_is(struct vw_xml_span s, const char *str)
{
	size_t n = strlen(str);

	return s.len == n && (n == 0 || !memcmp(s.p, str, n));
}

int vw_xml_root(const uint8_t *p, size_t len, struct vw_xml_span *name)
{
	size_t i = 0;
	struct tok t;

	if (has_prefix(p, len, 0, "\xEF\xBB\xBF"))
		i = 3;
	while (i < len) {
		if (is_ws(p[i])) {
			i++;
			continue;
		}
		if (p[i] != '<')
			return -ENOMSG;
		if (scan_markup(p, len, i, &t) < 0)
			return -EBADMSG;
		if (t.kind == TOK_START || t.kind == TOK_EMPTY) {
			if (!t.name_len)
				return -ENOMSG;
			name->p = p + t.name;
			name->len = t.name_len;
			return 0;
		}
		if (t.kind != TOK_OTHER)
			return -ENOMSG;
		i = t.end;
	}
	return -ENOMSG;
}

int vw_xml_next(const uint8_t *p, size_t len, size_t *pos, const char *name,
		struct vw_xml_span *content)
{
	size_t i = *pos, nlen = strlen(name), depth = 0, cstart = 0;
	const uint8_t *lt;
	struct tok t;

	content->p = p + len;
	content->len = 0;
	if (!nlen)
		return 0;
	while (i < len) {
		lt = memchr(p + i, '<', len - i);
		if (!lt)
			break;
		i = (size_t)(lt - p);
		if (scan_markup(p, len, i, &t) < 0)
			break;
		i = t.end;
		if (!tok_is(p, &t, name, nlen))
			continue;
		if (depth == 0) {
			if (t.kind == TOK_EMPTY) {
				content->p = p + t.end;
				*pos = t.end;
				return 1;
			}
			if (t.kind == TOK_START) {
				depth = 1;
				cstart = t.end;
			}
			/* A stray end tag before any start is ignored. */
			continue;
		}
		if (t.kind == TOK_START) {
			depth++;
		} else if (t.kind == TOK_END && --depth == 0) {
			content->p = p + cstart;
			content->len = t.begin - cstart;
			*pos = t.end;
			return 1;
		}
	}
	*pos = len;
	if (depth) {
		content->p = p + cstart;
		content->len = len - cstart;
		return -EBADMSG;
	}
	/* Ran into unterminated markup (i < len) or simply found nothing. */
	return i < len ? -EBADMSG : 0;
}

/* One name's search in vw_xml_each: what vw_xml_next would hold. */
struct want_state {
	size_t nlen, depth, cstart;
	int rc;                  /* 1 found, 0 absent, -EBADMSG; 2 still looking */
};

/* Every lookup of vw_xml_next from position 0 walks the same tokens (the
 * tokenizer does not depend on the name) and stops at its own element,
 * so walking them once and feeding every unfinished name gives each the
 * answer it would have had alone. */
static void each_token(const uint8_t *p, const struct tok *t, const char *const *names, size_t n,
		       struct want_state *w, struct vw_xml_span *content, size_t *left)
{
	for (size_t k = 0; k < n; k++) {
		if (w[k].rc != 2 || !tok_is(p, t, names[k], w[k].nlen))
			continue;
		if (w[k].depth == 0) {
			if (t->kind == TOK_EMPTY) {
				content[k].p = p + t->end;
				content[k].len = 0;
				w[k].rc = 1;
				(*left)--;
			} else if (t->kind == TOK_START) {
				w[k].depth = 1;
				w[k].cstart = t->end;
			}
		} else if (t->kind == TOK_START) {
			w[k].depth++;
		} else if (t->kind == TOK_END && --w[k].depth == 0) {
			content[k].p = p + w[k].cstart;
			content[k].len = t->begin - w[k].cstart;
			w[k].rc = 1;
			(*left)--;
		}
	}
}

int vw_xml_each(const uint8_t *p, size_t len, const char *const *names, size_t n,
		struct vw_xml_span *content, int *rc)
{
	struct want_state w[VW_XML_EACH_MAX];
	size_t i = 0, left = 0;
	const uint8_t *lt;
	struct tok t;

	if (n > VW_XML_EACH_MAX)
		return -E2BIG;
	for (size_t k = 0; k < n; k++) {
		w[k] = (struct want_state){ .nlen = strlen(names[k]), .rc = 2 };
		content[k] = (struct vw_xml_span){ .p = p + len };
		if (!w[k].nlen)
			w[k].rc = 0;
		left += w[k].rc == 2;
	}
	while (left && i < len) {
		lt = memchr(p + i, '<', len - i);
		if (!lt)
			break;
		i = (size_t)(lt - p);
		if (scan_markup(p, len, i, &t) < 0)
			break;
		i = t.end;
		each_token(p, &t, names, n, w, content, &left);
	}
	for (size_t k = 0; k < n; k++) {
		if (w[k].rc != 2) {
			rc[k] = w[k].rc;
		} else if (w[k].depth) {
			content[k].p = p + w[k].cstart;
			content[k].len = len - w[k].cstart;
			rc[k] = -EBADMSG;
		} else {
			/* Ran into unterminated markup, or found nothing. */
			rc[k] = i < len && left ? -EBADMSG : 0;
		}
	}
	return 0;
}

int vw_xml_add_each(struct vw_fp_result *r, const uint8_t *p, size_t len,
		    const struct vw_xml_want *want, size_t n)
{
	const char *names[VW_XML_EACH_MAX] = { 0 };
	struct vw_xml_span c[VW_XML_EACH_MAX];
	int rc[VW_XML_EACH_MAX], bad = 0;

	if (n > VW_XML_EACH_MAX)
		return -E2BIG;
	for (size_t k = 0; k < n; k++)
		names[k] = want[k].elem;
	vw_xml_each(p, len, names, n, c, rc);
	for (size_t k = 0; k < n; k++) {
		if (rc[k] < 0)
			bad = -EBADMSG;
		else if (rc[k] > 0)
			vw_xml_add_span(r, want[k].field, c[k]);
	}
	return bad;
}

static void put(uint8_t *out, size_t cap, size_t *o, uint8_t c)
{
	if (*o < cap)
		out[*o] = c;
	(*o)++;
}

static void put_utf8(uint8_t *out, size_t cap, size_t *o, uint32_t cp)
{
	if (cp < 0x80) {
		put(out, cap, o, (uint8_t)cp);
	} else if (cp < 0x800) {
		put(out, cap, o, (uint8_t)(0xC0 | cp >> 6));
		put(out, cap, o, (uint8_t)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		put(out, cap, o, (uint8_t)(0xE0 | cp >> 12));
		put(out, cap, o, (uint8_t)(0x80 | ((cp >> 6) & 0x3F)));
		put(out, cap, o, (uint8_t)(0x80 | (cp & 0x3F)));
	} else {
		put(out, cap, o, (uint8_t)(0xF0 | cp >> 18));
		put(out, cap, o, (uint8_t)(0x80 | ((cp >> 12) & 0x3F)));
		put(out, cap, o, (uint8_t)(0x80 | ((cp >> 6) & 0x3F)));
		put(out, cap, o, (uint8_t)(0x80 | (cp & 0x3F)));
	}
}

/* Decodes the reference at raw[i] == '&'; returns the bytes consumed, or 0
 * when it is not a reference we know (the '&' is then kept as is). */
static size_t decode_ref(const uint8_t *raw, size_t n, size_t i, uint8_t *out, size_t cap, size_t *o)
{
	static const struct { const char *name; uint8_t c; } ent[] = {
		{ "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' }, { "apos", '\'' },
	};
	/* "&#x10FFFF;" is the longest reference we accept. */
	size_t max = n - i < 11 ? n - i : 11, semi = 0, k;
	uint32_t cp = 0;
	bool hex;

	for (k = 1; k < max; k++) {
		if (raw[i + k] == ';') {
			semi = k;
			break;
		}
	}
	if (!semi)
		return 0;
	if (raw[i + 1] != '#') {
		for (k = 0; k < sizeof(ent) / sizeof(ent[0]); k++) {
			if (strlen(ent[k].name) == semi - 1 && !memcmp(raw + i + 1, ent[k].name, semi - 1)) {
				put(out, cap, o, ent[k].c);
				return semi + 1;
			}
		}
		return 0;
	}
	hex = semi > 2 && (raw[i + 2] == 'x' || raw[i + 2] == 'X');
	k = hex ? 3 : 2;
	if (k >= semi)
		return 0;
	for (; k < semi; k++) {
		uint8_t c = raw[i + k];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (hex && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (hex && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return 0;
		cp = cp * (hex ? 16 : 10) + d;   /* at most 8 digits: no overflow */
		if (cp > 0x10FFFF)
			return 0;
	}
	if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	put_utf8(out, cap, o, cp);
	return semi + 1;
}

static void trim(const uint8_t **p, size_t *n)
{
	while (*n && is_ws((*p)[0])) {
		(*p)++;
		(*n)--;
	}
	while (*n && is_ws((*p)[*n - 1]))
		(*n)--;
}

size_t vw_xml_text(const uint8_t *raw, size_t n, uint8_t *out, size_t cap)
{
	size_t i = 0, o = 0, used, k;
	struct tok t;

	trim(&raw, &n);
	while (i < n) {
		if (raw[i] == '&') {
			used = decode_ref(raw, n, i, out, cap, &o);
			if (!used) {
				put(out, cap, &o, '&');
				used = 1;
			}
			i += used;
		} else if (raw[i] == '<') {
			if (scan_markup(raw, n, i, &t) < 0) {
				/* Unterminated markup: keep the rest verbatim
				 * rather than rescanning it for every '<'. */
				for (; i < n; i++)
					put(out, cap, &o, raw[i]);
				break;
			}
			if (t.kind == TOK_CDATA) {
				for (k = t.begin + 9; k < t.end - 3; k++)
					put(out, cap, &o, raw[k]);
			}
			i = t.end;
		} else {
			put(out, cap, &o, raw[i++]);
		}
	}
	return o;
}

int vw_xml_add_span(struct vw_fp_result *r, const char *field, struct vw_xml_span raw)
{
	uint8_t buf[VW_FP_FIELD_MAX + 1];
	const uint8_t *p = raw.p;
	size_t n = raw.len, out;

	trim(&p, &n);
	/* Plain text needs no copy: point into the frame and save the store
	 * for values that really needed decoding. */
	if (!memchr(p, '&', n) && !memchr(p, '<', n)) {
		vw_fp_add_str(r, field, p, n);
		return 1;
	}
	out = vw_xml_text(p, n, buf, sizeof(buf));
	/* Passing one byte more than the field limit lets the helper flag
	 * the truncation. */
	vw_fp_add_copy(r, field, buf, out < sizeof(buf) ? out : sizeof(buf));
	return 1;
}

int vw_xml_add_next(struct vw_fp_result *r, const char *field,
		    const uint8_t *p, size_t len, size_t *pos, const char *elem)
{
	struct vw_xml_span c;
	int rc = vw_xml_next(p, len, pos, elem, &c);

	if (rc <= 0)
		return rc;
	return vw_xml_add_span(r, field, c);
}

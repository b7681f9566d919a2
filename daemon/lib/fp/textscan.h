/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bounded line and header helpers shared by the text-protocol parsers
 * (banner, SSDP, TR-069): one CRLF/LF line at a time, HTTP-style
 * "Name: value" splitting and ASCII case-insensitive compares.
 *
 * Static inline so each parser stays a self-contained pure function; all
 * scanning is memchr over [pos, len), so cost is linear in the input.
 */
#ifndef VW_FP_TEXTSCAN_H
#define VW_FP_TEXTSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct vw_span {
	const uint8_t *p;
	size_t len;
};

enum { VW_LINE_END = 0, VW_LINE_OK = 1, VW_LINE_CUT = 2 };

/* Next line from *pos, without its CR LF (a bare LF is accepted: old
 * embedded servers send it). Returns VW_LINE_OK for a terminated line,
 * VW_LINE_CUT for bytes that end without a newline (the rest of the
 * input), VW_LINE_END when nothing is left. */
static inline int vw_next_line(const uint8_t *p, size_t len, size_t *pos, struct vw_span *line)
{
	const uint8_t *nl;
	size_t start = *pos;

	if (start >= len)
		return VW_LINE_END;
	nl = memchr(p + start, '\n', len - start);
	if (!nl) {
		line->p = p + start;
		line->len = len - start;
		*pos = len;
		return VW_LINE_CUT;
	}
	line->p = p + start;
	line->len = (size_t)(nl - (p + start));
	if (line->len && line->p[line->len - 1] == '\r')
		line->len--;
	*pos = (size_t)(nl - p) + 1;
	return VW_LINE_OK;
}

static inline uint8_t vw_lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

/* ASCII case-insensitive: does s start with the NUL-terminated lit? */
static inline bool vw_iprefix(const uint8_t *s, size_t n, const char *lit)
{
	size_t l = strlen(lit);

	if (n < l)
		return false;
	for (size_t i = 0; i < l; i++)
		if (vw_lower(s[i]) != vw_lower((uint8_t)lit[i]))
			return false;
	return true;
}

static inline bool vw_ieq(struct vw_span s, const char *lit)
{
	return s.len == strlen(lit) && vw_iprefix(s.p, s.len, lit);
}

static inline bool vw_is_ows(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static inline struct vw_span vw_trim(struct vw_span s)
{
	while (s.len && vw_is_ows(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len && vw_is_ows(s.p[s.len - 1]))
		s.len--;
	return s;
}

/* Splits "Name: value" (value trimmed). False when there is no colon or
 * the name is empty or contains whitespace, i.e. it is not a header. */
static inline bool vw_header(struct vw_span line, struct vw_span *name, struct vw_span *value)
{
	const uint8_t *colon = line.len ? memchr(line.p, ':', line.len) : NULL;

	if (!colon || colon == line.p)
		return false;
	name->p = line.p;
	name->len = (size_t)(colon - line.p);
	for (size_t i = 0; i < name->len; i++)
		if (vw_is_ows(name->p[i]))
			return false;
	value->p = colon + 1;
	value->len = line.len - name->len - 1;
	*value = vw_trim(*value);
	return true;
}

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A bounded, allocation-free, non-recursive scanner that finds the text of
 * named XML elements in one datagram (SADP, WS-Discovery, CWMP); it is not
 * a conforming XML parser — see xmlscan.c for why that is the point.
 *
 * Names are matched on their local part (the prefix before ':' is ignored,
 * namespace URIs are never resolved) and case-sensitively, as XML is.
 */
#ifndef VW_FP_XMLSCAN_H
#define VW_FP_XMLSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp.h"

/* A span inside the caller's buffer. */
struct vw_xml_span {
	const uint8_t *p;
	size_t len;
};

/* Local name of the document element: skips a UTF-8 BOM, the XML
 * declaration, processing instructions, comments, DOCTYPE and whitespace.
 * Returns 0, -ENOMSG when the bytes do not start like XML, -EBADMSG when a
 * leading construct is unterminated. */
int vw_xml_root(const uint8_t *p, size_t len, struct vw_xml_span *name);

/* Finds, from *pos, the next element whose local name is `name` and sets
 * *content to its raw content (between the start and the matching end tag;
 * empty for <x/>). Same-named nested elements are balanced with a counter.
 * Returns 1 and moves *pos past the end tag; 0 when there is no such
 * element; -EBADMSG when the element starts but never ends (then *content
 * runs to the end of the buffer so callers may keep a partial result) or
 * markup before it is unterminated. */
int vw_xml_next(const uint8_t *p, size_t len, size_t *pos, const char *name,
		struct vw_xml_span *content);

/* vw_xml_next() from position 0 for each of n names (at most
 * VW_XML_EACH_MAX) in one pass over p: content[k] and rc[k] are what that
 * call would have set and returned for names[k]. Returns 0, or -E2BIG. */
#define VW_XML_EACH_MAX 16
int vw_xml_each(const uint8_t *p, size_t len, const char *const *names, size_t n,
		struct vw_xml_span *content, int *rc);

/* An element to look for and the field its text becomes. */
struct vw_xml_want {
	const char *elem;
	const char *field;
};
/* vw_xml_add_next(r, want[k].field, p, len, &pos, want[k].elem) with pos
 * 0 for every k in order, in one pass: the same fields in the same order.
 * Returns -EBADMSG when any of those calls would have, else 0 (-E2BIG
 * for more than VW_XML_EACH_MAX). */
int vw_xml_add_each(struct vw_fp_result *r, const uint8_t *p, size_t len,
		    const struct vw_xml_want *want, size_t n);

/* Character data of raw content: the five predefined entities and numeric
 * character references decoded (as UTF-8), CDATA unwrapped, tags, comments
 * and PIs dropped, XML whitespace trimmed at both ends. Writes at most cap
 * bytes to out and returns the decoded length, which may exceed cap (the
 * caller then knows it was cut). Unknown or malformed references are kept
 * verbatim: the rule matcher sees bytes, not a validated document. */
size_t vw_xml_text(const uint8_t *raw, size_t n, uint8_t *out, size_t cap);

/* vw_xml_next() + vw_xml_text() + add the field: points into the frame when
 * nothing needed decoding, else copies into the result store. Returns 1 when
 * a field was added, 0 when absent, -EBADMSG when unterminated. */
int vw_xml_add_next(struct vw_fp_result *r, const char *field,
		    const uint8_t *p, size_t len, size_t *pos, const char *elem);

/* Adds already-found raw content as a field (as vw_xml_add_next does). */
int vw_xml_add_span(struct vw_fp_result *r, const char *field, struct vw_xml_span raw);

/* True when span equals the NUL-terminated string s. */
bool vw_xml_span_is(struct vw_xml_span s, const char *str);

#endif

// SPDX-License-Identifier: GPL-2.0-only
/* Escapes untrusted text for terminals and journal MESSAGEs (escape.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"

/* Length of the valid UTF-8 sequence at s (1..4), its code point in *cp;
 * 0 when it is not valid (overlong, surrogate, beyond U+10FFFF, cut off). */
static size_t utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, c = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, c = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static bool cp_unsafe(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The escape for the sequence at s into rep; returns the bytes consumed. */
static size_t escape_one(const unsigned char *s, size_t len, char rep[8])
{
	uint32_t cp;
	size_t n = utf8_seq(s, len, &cp);

	if (n == 0) {
		snprintf(rep, 8, "\\x%02X", (unsigned)s[0]);
		return 1;
	}
	if (cp == '\\')
		strcpy(rep, "\\\\");
	else if (cp < 0x80 && cp_unsafe(cp))
		snprintf(rep, 8, "\\x%02X", (unsigned)(cp & 0xff));
	else if (cp_unsafe(cp))
		snprintf(rep, 8, "\\u%04X", (unsigned)(cp & 0xffff));
	else {
		memcpy(rep, s, n);
		rep[n] = '\0';
	}
	return n;
}

size_t vw_escape(const char *in, size_t len, char *out, size_t outsz)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0, i = 0;

	if (outsz == 0)
		return 0;
	while (i < len) {
		char rep[8];
		size_t used = escape_one(s + i, len - i, rep), rl = strlen(rep);

		/* Room for this piece and, should the input go on, "..." after it. */
		if (o + rl + (i + used < len ? 3 : 0) >= outsz) {
			if (o + 3 < outsz) {
				memcpy(out + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(out + o, rep, rl);
		o += rl;
		i += used;
	}
	out[o] = '\0';
	return o;
}

char *vw_escape_dup(const char *s, size_t max_in)
{
	size_t len = strnlen(s, max_in + 1), cut = len > max_in;
	size_t in = cut ? max_in : len, sz = in * VW_ESCAPE_MAX_GROWTH + 4;
	char *out = malloc(sz);

	if (!out)
		return NULL;
	vw_escape(s, in, out, sz);
	if (cut)
		strcat(out, "...");
	return out;
}

bool vw_escape_is_clean(const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_seq(s + i, len - i, &cp);

		if (n == 0 || cp == '\\' || cp_unsafe(cp))
			return false;
		i += n;
	}
	return true;
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Text that devices or local users choose (evidence values, process names,
 * command names), made safe to show on a terminal or in a journal MESSAGE:
 * nothing it contains can move the cursor, clear a screen, end a line or
 * reorder what follows.
 *
 * Escaped: C0 controls and DEL as \xHH (\n, \r, \t included), C1 controls
 * (U+0080..U+009F) and the bidi embeddings, overrides and isolates
 * (U+202A..U+202E, U+2066..U+2069) as \uHHHH, bytes that are not valid
 * UTF-8 as \xHH, and the backslash itself as \\ so an escape cannot be
 * forged. Everything else (printable ASCII and valid UTF-8) is kept.
 */
#ifndef VW_ESCAPE_H
#define VW_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

/* Longest escape of one input byte ("\u202E" for three bytes, "\xHH" for one). */
#define VW_ESCAPE_MAX_GROWTH 4

/* Escapes in[0..len) into out (size outsz, always terminated when outsz > 0).
 * An escape is never cut in half: what does not fit is dropped and "..."
 * ends the output. Returns the length written, excluding the terminator. */
size_t vw_escape(const char *in, size_t len, char *out, size_t outsz);
/* The same into a new string (at most max_in bytes of s are read, then "...");
 * NULL on ENOMEM. */
char *vw_escape_dup(const char *s, size_t max_in);
/* Whether s needs no escaping (then it may be shown as it is). */
bool vw_escape_is_clean(const char *s, size_t len);

#endif

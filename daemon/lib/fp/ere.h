/* SPDX-License-Identifier: GPL-2.0-only */
/* POSIX ERE (as glibc's regcomp(REG_EXTENDED) reads it, C locale) rewritten in the PCRE syntax a multi-pattern matcher compiles, or refused where the two would not mean the same. */
#ifndef VW_FP_ERE_H
#define VW_FP_ERE_H

#include <stddef.h>

/*
 * The rule files keep POSIX ERE; the matcher speaks PCRE. What the
 * rewrite changes so a pattern keeps matching exactly the same strings:
 *   .            -> [^\x00]   (POSIX: any byte but NUL, newline included)
 *   $            -> \z        (PCRE's $ also matches before a final newline)
 *   \ in [...]   -> \\        (literal in a POSIX bracket, an escape in PCRE)
 *   bytes >= 0x80 and controls -> \xHH
 * What it refuses (why names the reason and the offset):
 *   \ before a letter or digit (GNU \w \b \< \` ... and back-references);
 *   a quantifier right after another (ERE a*+ is (a*)+, PCRE's is
 *   possessive) or with nothing before it; (* and (? openings;
 *   [. .] and [= =] collating elements; a { that does not open a valid
 *   interval {n}, {n,}, {n,m} with m < 256.
 * The caller still compiles the pattern with regcomp first, so anything
 * POSIX itself rejects is reported as POSIX reports it.
 * Returns 0 and *out (malloc'd), -EINVAL with why filled, or -ENOMEM.
 */
int vw_ere_to_pcre(const char *ere, char **out, char *why, size_t whylen);

#endif

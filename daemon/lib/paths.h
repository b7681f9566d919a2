// SPDX-License-Identifier: GPL-2.0-only
/* Where the policy is when no configuration names it. */
#ifndef VW_PATHS_H
#define VW_PATHS_H

#include <stddef.h>

#ifndef VW_POLICY_DIR
#define VW_POLICY_DIR "/usr/share/vendorwall/policy"
#endif

/* A program built in a checkout (its binary under the checkout, e.g.
 * build/ or build/asan/) uses that checkout's policy/; an installed one
 * uses VW_POLICY_DIR. Writes the directory to buf; returns 0 or -errno. */
int vw_policy_dir_default(char *buf, size_t len);

/* The same for an executable at exe (testable without /proc/self/exe). */
int vw_policy_dir_for(const char *exe, char *buf, size_t len);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/* The fingerprint rules' matcher databases compiled in a child process. */
#ifndef VWD_COMPILE_ASIDE_H
#define VWD_COMPILE_ASIDE_H

#include "state.h"

/* A vw_state_compile_fn: forks a child that writes the databases to the
 * fp-cache directory cache (vw_state_compile_rules) and exits, and waits
 * for it. The daemon keeps none of the compiler's memory; what the child
 * fails to do, the state build does itself and reports. */
void vwd_compile_aside(const char *rules_dir, const struct vw_policy *pol, const char *cache);

#endif

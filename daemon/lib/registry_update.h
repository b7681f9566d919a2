/* SPDX-License-Identifier: GPL-2.0-only */
/* Keeps the IEEE registry current: chooses the newest valid copy, checks a
 * candidate against the copy in use and swaps it in atomically. */
#ifndef VW_REGISTRY_UPDATE_H
#define VW_REGISTRY_UPDATE_H

#include <time.h>
#include "diag.h"
#include "policy.h"
#include "registry.h"

/* Below StateDirectory: "registry" is a symlink to the version in use,
 * "registry.new" the staging directory of an update in progress. */
#define VW_REGISTRY_LINK    "registry"
#define VW_REGISTRY_STAGING "registry.new"
/* A candidate with fewer rows of a kind than this share of the copy in use
 * is taken for a truncated download. */
#define VW_REGISTRY_MIN_RATIO 0.9

/* Loads state_dir/registry when it loads cleanly and is at least as new as
 * floor_dir (Debian's ieee-data), else floor_dir. *path is the directory
 * used (malloc'ed). Diagnostics of the copy not used are dropped. */
int vw_registry_load_best(struct vw_registry *reg, char **path, const char *state_dir,
			  const char *floor_dir, struct vw_diag *diag);

/* Rejects a candidate that had bad rows (cand_problems, already in diag), lost more than
 * 1 - VW_REGISTRY_MIN_RATIO of a kind's rows, or lost a block of a
 * restricted vendor group (any profile of pol) that cur has. Every reason is
 * in diag, named after cand_dir; returns 0 or -EBADMSG. */
int vw_registry_validate(const struct vw_registry *cand, size_t cand_problems,
			 const char *cand_dir, const struct vw_registry *cur,
			 const struct vw_policy *pol, struct vw_diag *diag);

/* Creates an empty state_dir/registry.new (removing a leftover one). */
int vw_registry_stage(const char *state_dir, char **staging);
/* Writes staging/.lastupdate, fsyncs the files, renames staging to a
 * versioned directory, points state_dir/registry at it with a symlink
 * renamed over the old one, fsyncs state_dir and removes versions other
 * than the new and the previous one. *installed = the versioned path. */
int vw_registry_commit(const char *state_dir, const char *staging, time_t date,
		       char **installed);
/* Removes a staging directory and its files (after a rejection). */
void vw_registry_unstage(const char *staging);

#endif

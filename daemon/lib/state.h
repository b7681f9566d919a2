/* SPDX-License-Identifier: GPL-2.0-only */
/* A complete running state built aside: config, policy, registry and the
 * compiled prefix set. A reload builds a new one and swaps it in whole. */
#ifndef VW_STATE_H
#define VW_STATE_H

#include "config.h"
#include "diag.h"
#include "ouiset.h"
#include "overrides.h"
#include "policy.h"
#include "registry.h"
#include "rules.h"

#define VW_STATE_VERSION_LEN 17

struct vw_state {
	struct vw_daemon_conf conf;
	struct vw_policy policy;
	struct vw_registry registry;
	char *registry_path;   /* the directory registry was loaded from */
	uint64_t registry_stamp;   /* of the candidate copies, before loading */
	struct vw_ouiset set;
	struct vw_fp_rules *rules;     /* fingerprint rules, PolicyDirectory/fingerprints */
	/* What st alone enforces (configuration waivers valid at build time,
	 * no operator decisions); the running version is vw_state_version's. */
	char version[VW_STATE_VERSION_LEN];
};

/* Loads everything; every problem is in diag as file:line. On error the
 * partially built state is freed and *st is untouched. */
int vw_state_build(struct vw_state **st, const char *config_path, struct vw_diag *diag);
/* Writes the rules' compiled matcher databases to the fp-cache directory
 * cache. Compiling leaves megabytes in the process that does it for good
 * (the compiler's code pages, its heap and static tables), so the daemon
 * runs this in a child (its compile_aside below). 0 or -errno. */
int vw_state_compile_rules(const char *rules_dir, const struct vw_policy *pol, const char *cache);
/* Fills cache outside the caller's memory (vw_state_compile_rules in a
 * child) and returns when it is done; what it fails to do, the build
 * then does itself and reports. */
typedef void vw_state_compile_fn(const char *rules_dir, const struct vw_policy *pol,
				 const char *cache);

/* What the daemon's builds take beyond the file; each may be NULL. */
struct vw_state_opts {
	/* In force: when the registry files are those it parsed
	 * (vw_registry_stamp), their rows are copied instead of parsed. */
	const struct vw_state *prev;
	/* Called when the fp-cache lacks a database; NULL: compiled here. */
	vw_state_compile_fn *compile_aside;
	/* config_path as the caller parsed it already (vw_config_load): the
	 * state takes it (*conf is left empty, also on error). NULL: read. */
	struct vw_daemon_conf *conf;
};
/* The same as vw_state_build, with opts (NULL: as vw_state_build). */
int vw_state_rebuild(struct vw_state **st, const char *config_path,
		     const struct vw_state_opts *opts, struct vw_diag *diag);
/* The same for --check-config: StateDirectory/fp-cache is only read (a
 * check never creates, writes or touches anything of the daemon's). */
int vw_state_check(struct vw_state **st, const char *config_path, struct vw_diag *diag);
void vw_state_free(struct vw_state *st);

/* The version of what st enforces together with the operator's decisions
 * ops (may be NULL) at time now: prefixes, profiles, fingerprint rules and
 * thresholds, segments with their effective modes, active waivers and
 * quarantines. Two different enforcements never share a version; the
 * order of operator decisions does not matter. 16 hex digits. */
void vw_state_version(const struct vw_state *st, const struct vw_overrides *ops, time_t now,
		      char out[VW_STATE_VERSION_LEN]);

/* The segment with this name, or NULL. */
const struct vw_segment_conf *vw_state_segment(const struct vw_state *st, const char *name);
/* Vendor group id for a code, "unknown" when absent. */
const char *vw_state_vendor_id(const struct vw_state *st, uint16_t code);
const char *vw_state_vendor_name(const struct vw_state *st, uint16_t code);
/* Why vendor group code is restricted: the enforced profiles that name it
 * ("us-ndaa-889 uk-telecoms-2020") and their legal bases ("us-ndaa-889: ...;
 * uk-telecoms-2020: ..."). A code no enforced profile names (an operator
 * quarantine of another device) gets every enforced profile and no basis. */
void vw_state_basis(const struct vw_state *st, uint16_t code, char *profiles, size_t plen,
		    char *basis, size_t blen);

#endif

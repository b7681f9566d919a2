/* SPDX-License-Identifier: GPL-2.0-only */
/* Vendor groups and jurisdiction profiles loaded from the policy directory. */
#ifndef VW_POLICY_H
#define VW_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "diag.h"
#include "strv.h"


struct vw_explicit_prefix {
	uint64_t prefix;   /* 48-bit value, masked */
	uint8_t plen;      /* 24, 28 or 36 */
};

/* A part of a vendor group that a profile can narrow it to
 * (Vendor=huawei:technologies): registry rows of the group whose
 * organisation also matches one of these patterns, and these blocks. */
struct vw_subgroup {
	char *id;                          /* "technologies" */
	struct vw_strv org_patterns;       /* normalised */
	struct vw_explicit_prefix *prefixes;   size_t n_prefixes;
};

struct vw_vendor {
	char *id;                          /* "huawei" */
	char *name;                        /* "Huawei Technologies" */
	uint16_t code;                     /* stable numeric id used in maps/events */
	char *file;
	struct vw_strv org_patterns;       /* normalised substrings of org names */
	struct vw_strv exclude_orgs;       /* normalised substrings that veto a match */
	struct vw_explicit_prefix *prefixes;   size_t n_prefixes;
	struct vw_explicit_prefix *excludes;   size_t n_excludes;
	uint32_t *enterprises;             size_t n_enterprises;
	struct vw_strv affiliates;         /* documentation: names covered */
	struct vw_subgroup *subgroups;     size_t n_subgroups;
};

struct vw_profile {
	char *id;                          /* "us-ndaa-889" */
	char *name;
	char *source;                      /* citation of the text the profile rests on */
	char *date;                        /* YYYY-MM-DD */
	char *basis;                       /* legal basis / instrument; NULL: not given */
	char *scope;                       /* which networks it binds; NULL: not given */
	char *note;                        /* caveats, e.g. why no vendor is named */
	char *file;
	struct vw_strv urls;               /* where the cited text can be read */
	struct vw_strv named;              /* the words by which the text names vendors */
	struct vw_strv vendors;            /* vendor ids, or "id:subgroup" when narrowed */
	bool names_none;                   /* "Vendors=" given empty: the measure names none */
};

struct vw_policy {
	struct vw_vendor *vendors;   size_t n_vendors;
	struct vw_profile *profiles; size_t n_profiles;
};

/* Loads dir/vendors/ *.conf and dir/profiles/ *.conf. Every problem is added
 * to diag as file:line; returns 0 only when there were none. */
int vw_policy_load(struct vw_policy *pol, const char *dir, struct vw_diag *diag);
void vw_policy_free(struct vw_policy *pol);
const struct vw_vendor *vw_policy_vendor(const struct vw_policy *pol, const char *id);
const struct vw_vendor *vw_policy_vendor_by_code(const struct vw_policy *pol, uint16_t code);
const struct vw_profile *vw_policy_profile(const struct vw_policy *pol, const char *id);

/* The vendor group of a profile entry ("huawei" or "huawei:technologies")
 * and its subgroup (*sub NULL: the whole group); NULL when unknown. */
const struct vw_vendor *vw_policy_selector(const struct vw_policy *pol, const char *entry,
					   const struct vw_subgroup **sub);
/* True when the profile restricts the group, whole or narrowed. */
bool vw_profile_selects(const struct vw_profile *p, const char *vendor_id);

/* True when a Named= text names the vendor group: its id or one of its
 * Organization= patterns occurs in the normalised text as whole words. */
bool vw_profile_names_vendor(const struct vw_profile *p, const struct vw_vendor *v);

/* Lower-cases and turns every run of characters other than [a-z0-9] into
 * a single space (trimmed), so that "HUAWEI TECHNOLOGIES CO.,LTD" and
 * "Huawei Technologies Co., Ltd." agree ("huawei technologies co ltd"). */
void vw_normalise_org(const char *in, char *out, size_t outlen);

/* True when the normalised pattern occurs in the normalised org as a run
 * of whole words: "zte corporation" matches "zte corporation" but
 * "zte" would not match "aztec" or "ztec instruments". */
bool vw_org_matches(const char *norm_org, const char *norm_pattern);


#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/* Fingerprint rules (policy/fingerprints/ *.conf): loading with file:line diagnostics, and matching a parser's result against them through a per-signal, per-field index. */
#ifndef VW_FP_RULES_H
#define VW_FP_RULES_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "fp.h"
#include "policy.h"

enum vw_fp_match_kind {
	VW_FP_M_EXACT = 0,
	VW_FP_M_PREFIX,
	VW_FP_M_SUBSTRING,
	VW_FP_M_ICASE_SUBSTRING,
	VW_FP_M_REGEX,          /* POSIX ERE, compiled once at load */
	VW_FP_M_ENTERPRISE,     /* number == PEN, or dotted OID under 1.3.6.1.4.1.PEN;
	                         * Pattern=@policy: the vendor's EnterpriseNumber= list */
};

enum vw_fp_level { VW_FP_LOW = 0, VW_FP_MEDIUM = 1, VW_FP_HIGH = 2 };

/* Pseudo-signal for evidence from a MAC's OUI (not a parser signal). */
#define VW_FP_SIG_OUI VW_SIG_MAX
#define VW_FP_EXPLAINS_OUI (1u << VW_FP_SIG_OUI)

/*
 * What a rule can name: a policy vendor group (restricted or not depending
 * on the active profiles) or a look-alike class declared in the rules
 * directory ([Class h3c]), which is never restricted. A class may
 * "explain" signals of the vendors it is confused with: when the class is
 * identified at least as strongly, those vendors' evidence from the
 * explained signals (e.g. the Huawei-era 00E0FC OUI in an H3C chassis, or
 * HGMP frames H3C inherited) no longer counts for them.
 */
struct vw_fp_ident {
	char *id;                 /* "huawei", "h3c" */
	char *name;
	uint16_t code;            /* policy vendor code; 0 for a class */
	bool is_class;
	uint16_t *lookalike_of;   /* vendor codes this class is mistaken for */
	size_t n_lookalike;
	uint32_t explains;        /* bit per enum vw_fp_signal, VW_FP_EXPLAINS_OUI */
	char *file;
	int line;
};

/* An enterprise pattern: a PEN (matches numeric fields and OID text under
 * it) or a dotted subtree such as 2011.2.23 (OID text only). */
struct vw_fp_pen {
	uint64_t num;
	bool num_ok;
	char *oid;                /* "1.3.6.1.4.1.<pattern>" */
	size_t oid_len;
};

struct vw_fp_rule {
	char *id;
	enum vw_fp_signal signal;
	char *field;
	enum vw_fp_match_kind match;
	char *pattern;            /* as written */
	size_t plen;
	regex_t re;               /* POSIX: validates at load; the reference in tests */
	bool have_re;
	char *expr;               /* the rule as the group matcher reads it (PCRE
	                           * syntax, see ere.h); NULL for enterprise rules */
	bool expr_caseless;
	uint64_t num;             /* exact on numeric fields */
	bool num_ok;
	struct vw_fp_pen *pens;   /* enterprise: one, or the vendor's list (@policy) */
	size_t n_pens;
	size_t ident;             /* index into vw_fp_rules.idents */
	enum vw_fp_level level;
	char *source;
	char *file;
	int line;
};

struct vw_fp_rule_group;      /* rules of one (signal, field) */
struct hs_scratch;            /* Hyperscan's scan space (hs_scratch_t) */
#define VW_FP_FIELD_CACHE 32  /* per signal, direct mapped */

struct vw_fp_rules {
	struct vw_fp_ident *idents;  size_t n_idents;
	struct vw_fp_rule *rules;    size_t n_rules;
	struct {
		struct vw_fp_rule_group *groups;
		size_t n;
	} index[VW_SIG_MAX];
	struct hs_scratch *scratch;  /* sized for every group's database */
	/* Field name -> group, by the name's address (parsers name fields
	 * with static strings): a hit costs no string compare. */
	struct vw_fp_field_slot {
		const char *name;
		const struct vw_fp_rule_group *g;   /* NULL: no rule names it */
	} (*field_cache)[VW_FP_FIELD_CACHE];
};

/* One rule that fired, and on which field of the result. */
struct vw_fp_match {
	const struct vw_fp_rule *rule;
	const struct vw_fp_field *field;
};

/*
 * Loads dir/ *.conf. Every policy vendor becomes an ident (so rules can
 * name any of them); classes come from [Class ID] sections. Every problem
 * (unknown section or key, missing key, bad regex, unknown vendor or
 * signal, duplicate id) is added to diag as file:line; returns 0 only when
 * there were none, else -EINVAL (or -errno when dir cannot be read) and
 * *out is NULL.
 */
int vw_fp_rules_load(struct vw_fp_rules **out, const char *dir,
		     const struct vw_policy *pol, struct vw_diag *diag);
/* The same, keeping the compiled matcher databases in cache_dir (an
 * existing directory; NULL: none) so a later load of unchanged rules
 * reads them instead of compiling again (~100 ms of CPU per large group).
 * The cache never changes a result: entries are checked in full against
 * what would be compiled, and any problem with it means compiling. */
int vw_fp_rules_load_cached(struct vw_fp_rules **out, const char *dir, const struct vw_policy *pol,
			    const char *cache_dir, struct vw_diag *diag);
/* The same with flags: VW_FP_CACHE_READONLY reads cache_dir and never
 * writes to it (vendorwalld --check-config). A load that wrote databases
 * prunes cache_dir to the 100 most recently used. */
#define VW_FP_CACHE_READONLY 0x1u
/* VW_FP_CACHE_ONLY: -ESTALE (and no diagnostic) instead of compiling a
 * database the cache lacks, so that the caller can compile elsewhere. */
#define VW_FP_CACHE_ONLY 0x2u
int vw_fp_rules_load_cache(struct vw_fp_rules **out, const char *dir, const struct vw_policy *pol,
			   const char *cache_dir, unsigned flags, struct vw_diag *diag);
void vw_fp_rules_free(struct vw_fp_rules *rs);

/* Matches every field of r against the rules of r's signal; writes at most
 * max matches and returns how many were written, per field in the order
 * the rules were loaded. Every string rule of a (signal, field) is found
 * by one Hyperscan scan of the value; rs carries the scan's scratch space,
 * so one rule set is matched by one thread at a time. */
size_t vw_fp_rules_match(const struct vw_fp_rules *rs, const struct vw_fp_result *r,
			 struct vw_fp_match *out, size_t max);

/* Ident by id ("huawei", "h3c"); NULL when unknown. */
const struct vw_fp_ident *vw_fp_rules_ident(const struct vw_fp_rules *rs, const char *id);

const char *vw_fp_level_name(enum vw_fp_level l);
const char *vw_fp_match_name(enum vw_fp_match_kind m);

#endif

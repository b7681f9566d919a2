/* SPDX-License-Identifier: GPL-2.0-only */
/* Loads the fingerprint rule files (two passes: collect every section, then resolve vendors and classes so order across files does not matter) and matches parser results against them. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hs/hs.h>

#include "ere.h"
#include "inifile.h"
#include "rules.h"

/* Rules of one (signal, field) beyond this are refused at load: the
 * matcher marks hits in a bitmap of this size on the stack. */
#define GROUP_MAX 1024

/* Every string rule of a group (exact, prefix, substring, icase-substring,
 * regex) is one expression of the group's Hyperscan database, with its
 * position in rules[] as id: one scan of a field value finds them all. */
struct vw_fp_rule_group {
	const char *field;       /* owned by the first rule of the group */
	size_t *rules;
	size_t n;
	hs_database_t *db;       /* NULL when the group has no string rule */
	/* Rules a scan does not decide, by position in rules[]: enterprise
	 * rules (numbers and OID text) and exact rules with a numeric
	 * pattern (numeric fields). Only those and the scan's hits are
	 * looked at, never the whole group. */
	uint64_t *ent, *num;
	struct memo *memo;       /* NULL when db is */
};

/* Devices repeat themselves: the same LLDP description every 30 s, the
 * same banner on every connection. A small direct-mapped memo per group
 * remembers which rules the last values seen matched, checked against
 * the whole value, so a repeat costs a hash and a compare instead of a
 * scan. Chosen values can only evict each other (a miss is a scan): the
 * result never depends on the memo. */
#define MEMO_SLOTS 32          /* 16 sets of 2: a few values of one field alternating do not evict each other */
#define MEMO_VAL   256        /* longer values are always scanned */
#define MEMO_HITS  6          /* values matching more rules are always scanned */

struct memo_slot {
	uint64_t h;
	uint16_t len;             /* MEMO_VAL + 1: empty slot */
	uint16_t n_hits;
	uint16_t hits[MEMO_HITS];
	uint8_t val[MEMO_VAL];
};

struct memo {
	struct memo_slot slot[MEMO_SLOTS];
	uint8_t last[MEMO_SLOTS / 2];    /* per set: the way written last */
};

/* ---- pass 1: raw sections ---- */

enum rkey { K_PROTOCOL, K_FIELD, K_MATCH, K_PATTERN, K_VENDOR, K_CONFIDENCE, K_SOURCE, K_RULE_MAX };
static const char *const rule_keys[K_RULE_MAX] = {
	"Protocol", "Field", "Match", "Pattern", "Vendor", "Confidence", "Source",
};

enum ckey { C_NAME, C_RESTRICTED, C_CLASS_MAX };

struct kv {
	char *v;
	int line;
};

struct raw {
	bool is_class;
	char *id;
	char *file;              /* shared with the ctx's file list */
	int line;
	struct kv k[K_RULE_MAX];
	/* class only: repeatable keys */
	struct kv *lookalike;  size_t n_lookalike;
	struct kv *explains;   size_t n_explains;
};

struct load_ctx {
	struct raw *raw;  size_t n, cap;
	struct raw *cur;         /* NULL outside a known section */
	struct vw_diag *diag;
	char *file;
};

static int kv_set(struct load_ctx *c, struct kv *kv, const char *key, const char *value,
		  const char *file, int line)
{
	if (kv->v) {
		vw_diag_add(c->diag, file, line, "%s= given twice (first at line %d)", key, kv->line);
		return -EINVAL;
	}
	kv->v = strdup(value);
	if (!kv->v)
		return -ENOMEM;
	kv->line = line;
	return 0;
}

static int kv_push(struct kv **a, size_t *n, const char *value, int line)
{
	struct kv *t = realloc(*a, (*n + 1) * sizeof(**a));

	if (!t)
		return -ENOMEM;
	*a = t;
	t[*n].v = strdup(value);
	if (!t[*n].v)
		return -ENOMEM;
	t[*n].line = line;
	(*n)++;
	return 0;
}

static bool valid_id(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

static int section_cb(void *user, const char *section, const char *file, int line)
{
	struct load_ctx *c = user;
	const char *id;
	bool is_class;
	struct raw *r;

	c->cur = NULL;
	if (!strncmp(section, "Rule ", 5)) {
		is_class = false;
		id = section + 5;
	} else if (!strncmp(section, "Class ", 6)) {
		is_class = true;
		id = section + 6;
	} else {
		vw_diag_add(c->diag, file, line, "unknown section [%s] (expected [Rule ID] or [Class ID])", section);
		return -EINVAL;
	}
	while (*id == ' ')
		id++;
	if (!valid_id(id)) {
		vw_diag_add(c->diag, file, line, "bad %s id '%s' (use [a-z0-9._-], max 64)",
			    is_class ? "class" : "rule", id);
		return -EINVAL;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct raw *t = realloc(c->raw, cap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		c->raw = t;
		c->cap = cap;
	}
	r = &c->raw[c->n];
	*r = (struct raw){ .is_class = is_class, .file = c->file, .line = line };
	r->id = strdup(id);
	if (!r->id)
		return -ENOMEM;
	c->n++;
	c->cur = r;
	return 0;
}

static int key_cb(void *user, const char *section, const char *key, const char *value,
		  const char *file, int line)
{
	struct load_ctx *c = user;
	struct raw *r = c->cur;

	if (!r) {
		/* The section was reported already; a key outside any section
		 * is its own mistake. */
		if (!*section) {
			vw_diag_add(c->diag, file, line, "%s= outside a [Rule] or [Class] section", key);
			return -EINVAL;
		}
		return 0;
	}
	if (r->is_class) {
		if (!strcmp(key, "Name"))
			return kv_set(c, &r->k[C_NAME], key, value, file, line);
		if (!strcmp(key, "Restricted"))
			return kv_set(c, &r->k[C_RESTRICTED], key, value, file, line);
		if (!strcmp(key, "LookAlikeOf"))
			return kv_push(&r->lookalike, &r->n_lookalike, value, line);
		if (!strcmp(key, "Explains"))
			return kv_push(&r->explains, &r->n_explains, value, line);
		vw_diag_add(c->diag, file, line, "unknown key '%s' in [Class %s]", key, r->id);
		return -EINVAL;
	}
	for (int i = 0; i < K_RULE_MAX; i++)
		if (!strcmp(key, rule_keys[i]))
			return kv_set(c, &r->k[i], key, value, file, line);
	vw_diag_add(c->diag, file, line, "unknown key '%s' in [Rule %s]", key, r->id);
	return -EINVAL;
}

static void raw_free(struct raw *r)
{
	free(r->id);
	for (int i = 0; i < K_RULE_MAX; i++)
		free(r->k[i].v);
	for (size_t i = 0; i < r->n_lookalike; i++)
		free(r->lookalike[i].v);
	free(r->lookalike);
	for (size_t i = 0; i < r->n_explains; i++)
		free(r->explains[i].v);
	free(r->explains);
}

/* ---- pass 2: resolution ---- */

static const char *const match_names[] = {
	[VW_FP_M_EXACT] = "exact",
	[VW_FP_M_PREFIX] = "prefix",
	[VW_FP_M_SUBSTRING] = "substring",
	[VW_FP_M_ICASE_SUBSTRING] = "icase-substring",
	[VW_FP_M_REGEX] = "regex",
	[VW_FP_M_ENTERPRISE] = "enterprise",
};

const char *vw_fp_match_name(enum vw_fp_match_kind m)
{
	return (unsigned)m < sizeof(match_names) / sizeof(match_names[0]) ? match_names[m] : "unknown";
}

const char *vw_fp_level_name(enum vw_fp_level l)
{
	switch (l) {
	case VW_FP_HIGH: return "high";
	case VW_FP_MEDIUM: return "medium";
	case VW_FP_LOW: return "low";
	}
	return "unknown";
}

const struct vw_fp_ident *vw_fp_rules_ident(const struct vw_fp_rules *rs, const char *id)
{
	for (size_t i = 0; rs && id && i < rs->n_idents; i++)
		if (!strcmp(rs->idents[i].id, id))
			return &rs->idents[i];
	return NULL;
}

static int ident_index(const struct vw_fp_rules *rs, const char *id, bool is_class)
{
	for (size_t i = 0; i < rs->n_idents; i++)
		if (rs->idents[i].is_class == is_class && !strcmp(rs->idents[i].id, id))
			return (int)i;
	return -1;
}

static int add_policy_idents(struct vw_fp_rules *rs, const struct vw_policy *pol)
{
	rs->idents = calloc(pol->n_vendors ? pol->n_vendors : 1, sizeof(*rs->idents));
	if (!rs->idents)
		return -ENOMEM;
	for (size_t i = 0; i < pol->n_vendors; i++) {
		struct vw_fp_ident *id = &rs->idents[rs->n_idents++];

		id->id = strdup(pol->vendors[i].id);
		id->name = strdup(pol->vendors[i].name ? pol->vendors[i].name : pol->vendors[i].id);
		if (!id->id || !id->name)
			return -ENOMEM;
		id->code = pol->vendors[i].code;
	}
	return 0;
}

/* Explains= takes signal names, comma or space separated, and "oui". */
static int parse_explains(struct vw_fp_ident *id, const struct raw *r, struct vw_diag *diag)
{
	int rc = 0;

	for (size_t i = 0; i < r->n_explains; i++) {
		char *s = r->explains[i].v, *save = NULL, *tok;

		for (tok = strtok_r(s, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
			enum vw_fp_signal sig;

			if (!strcmp(tok, "oui")) {
				id->explains |= VW_FP_EXPLAINS_OUI;
				continue;
			}
			sig = vw_fp_signal_from_name(tok);
			if (sig == VW_SIG_NONE) {
				vw_diag_add(diag, r->file, r->explains[i].line, "Explains=: unknown signal '%s'", tok);
				rc = -EINVAL;
				continue;
			}
			id->explains |= 1u << sig;
		}
	}
	return rc;
}

static int add_class(struct vw_fp_rules *rs, const struct raw *r, const struct vw_policy *pol,
		     struct vw_diag *diag)
{
	struct vw_fp_ident *t, *id;
	int rc = 0;

	if (ident_index(rs, r->id, false) >= 0 || ident_index(rs, r->id, true) >= 0) {
		vw_diag_add(diag, r->file, r->line, "[Class %s]: id already used by a %s", r->id,
			    ident_index(rs, r->id, false) >= 0 ? "policy vendor" : "class");
		return -EINVAL;
	}
	if (!r->k[C_NAME].v) {
		vw_diag_add(diag, r->file, r->line, "[Class %s] lacks Name=", r->id);
		rc = -EINVAL;
	}
	/* Restricted vendors are policy groups (policy/vendors); a class is
	 * by definition something that is not. Say so explicitly so a
	 * reader of the rule file cannot misread it. */
	if (!r->k[C_RESTRICTED].v || strcasecmp(r->k[C_RESTRICTED].v, "no")) {
		vw_diag_add(diag, r->file, r->k[C_RESTRICTED].v ? r->k[C_RESTRICTED].line : r->line,
			    "[Class %s] needs Restricted=no (restricted vendors are defined in policy/vendors/)",
			    r->id);
		rc = -EINVAL;
	}
	t = realloc(rs->idents, (rs->n_idents + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	rs->idents = t;
	id = &rs->idents[rs->n_idents];
	*id = (struct vw_fp_ident){ .is_class = true, .file = strdup(r->file), .line = r->line };
	rs->n_idents++;
	id->id = strdup(r->id);
	id->name = strdup(r->k[C_NAME].v ? r->k[C_NAME].v : r->id);
	if (!id->id || !id->name || !id->file)
		return -ENOMEM;
	if (r->n_lookalike) {
		id->lookalike_of = calloc(r->n_lookalike, sizeof(uint16_t));
		if (!id->lookalike_of)
			return -ENOMEM;
	}
	for (size_t i = 0; i < r->n_lookalike; i++) {
		const struct vw_vendor *v = vw_policy_vendor(pol, r->lookalike[i].v);

		if (!v) {
			vw_diag_add(diag, r->file, r->lookalike[i].line,
				    "LookAlikeOf=%s: no such vendor in policy/vendors/", r->lookalike[i].v);
			rc = -EINVAL;
			continue;
		}
		id->lookalike_of[id->n_lookalike++] = v->code;
	}
	if (parse_explains(id, r, diag) < 0)
		rc = -EINVAL;
	if (id->explains && !id->n_lookalike) {
		vw_diag_add(diag, r->file, r->line, "[Class %s]: Explains= without LookAlikeOf=", r->id);
		rc = -EINVAL;
	}
	return rc;
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

/* Appends one enterprise pattern; -EINVAL when it is not a number or a
 * dotted subtree. */
static int add_pen(struct vw_fp_rule *ru, const char *pat)
{
	const char *s = pat[0] == '.' ? pat + 1 : pat;
	struct vw_fp_pen *t, *p;
	bool ok = isdigit((unsigned char)*s);

	for (const char *q = s; ok && *q; q++)
		ok = isdigit((unsigned char)*q) || (*q == '.' && isdigit((unsigned char)q[1]));
	if (!ok)
		return -EINVAL;
	t = realloc(ru->pens, (ru->n_pens + 1) * sizeof(*t));
	if (!t)
		return -ENOMEM;
	ru->pens = t;
	p = &t[ru->n_pens];
	*p = (struct vw_fp_pen){ 0 };
	p->num_ok = parse_u64(s, &p->num) == 0;
	if (asprintf(&p->oid, "1.3.6.1.4.1.%s", s) < 0)
		return -ENOMEM;
	p->oid_len = strlen(p->oid);
	ru->n_pens++;
	return 0;
}

/* A literal for the matcher: letters and digits as they are (so the
 * caseless flag still applies to them), every other byte as \xHH. */
static char *literal_expr(const char *pre, const char *lit, size_t n, const char *post)
{
	static const char hex[] = "0123456789abcdef";
	char *s = malloc(strlen(pre) + 4 * n + strlen(post) + 1), *o = s;

	if (!s)
		return NULL;
	o = stpcpy(o, pre);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)lit[i];

		if (isalnum(c) && c < 0x80) {
			*o++ = (char)c;
			continue;
		}
		*o++ = '\\';
		*o++ = 'x';
		*o++ = hex[c >> 4];
		*o++ = hex[c & 15];
	}
	strcpy(o, post);
	return s;
}

/* The rule as an expression of its group's database: 0, -EINVAL with why
 * (a regex whose meaning would change), or -ENOMEM. Enterprise rules
 * are not string rules and get none. */
static int rule_expr(struct vw_fp_rule *ru, char *why, size_t whylen)
{
	switch (ru->match) {
	case VW_FP_M_EXACT:
		ru->expr = literal_expr("\\A", ru->pattern, ru->plen, "\\z");
		break;
	case VW_FP_M_PREFIX:
		ru->expr = literal_expr("\\A", ru->pattern, ru->plen, "");
		break;
	case VW_FP_M_SUBSTRING:
		ru->expr = literal_expr("", ru->pattern, ru->plen, "");
		break;
	case VW_FP_M_ICASE_SUBSTRING:
		ru->expr = literal_expr("", ru->pattern, ru->plen, "");
		ru->expr_caseless = true;
		break;
	case VW_FP_M_REGEX:
		return vw_ere_to_pcre(ru->pattern, &ru->expr, why, whylen);
	case VW_FP_M_ENTERPRISE:
		return 0;
	}
	return ru->expr ? 0 : -ENOMEM;
}

/* The rule's own id and file, its id unique, every key present: 0,
 * -EINVAL (noted in diag) or -ENOMEM. */
static int rule_head(struct vw_fp_rules *rs, struct vw_fp_rule *ru, const struct raw *r,
		     struct vw_diag *diag)
{
	int rc = 0;

	ru->id = strdup(r->id);
	ru->file = strdup(r->file);
	if (!ru->id || !ru->file)
		return -ENOMEM;
	for (size_t i = 0; i + 1 < rs->n_rules; i++) {
		if (!strcmp(rs->rules[i].id, r->id)) {
			vw_diag_add(diag, r->file, r->line, "[Rule %s] already defined at %s:%d",
				    r->id, rs->rules[i].file, rs->rules[i].line);
			rc = -EINVAL;
			break;
		}
	}
	for (int i = 0; i < K_RULE_MAX; i++) {
		if (!r->k[i].v) {
			vw_diag_add(diag, r->file, r->line, "[Rule %s] lacks %s=", r->id, rule_keys[i]);
			rc = -EINVAL;
		}
	}
	return rc;
}

/* Protocol=, Field=, Pattern= and Source=: 0, -EINVAL or -ENOMEM. */
static int rule_strings(struct vw_fp_rule *ru, const struct raw *r, struct vw_diag *diag)
{
	int rc = 0;

	ru->signal = vw_fp_signal_from_name(r->k[K_PROTOCOL].v);
	if (ru->signal == VW_SIG_NONE) {
		vw_diag_add(diag, r->file, r->k[K_PROTOCOL].line, "Protocol=%s: unknown signal",
			    r->k[K_PROTOCOL].v);
		rc = -EINVAL;
	}
	ru->field = strdup(r->k[K_FIELD].v);
	ru->pattern = strdup(r->k[K_PATTERN].v);
	ru->source = strdup(r->k[K_SOURCE].v);
	if (!ru->field || !ru->pattern || !ru->source)
		return -ENOMEM;
	ru->plen = strlen(ru->pattern);
	if (!*ru->field) {
		vw_diag_add(diag, r->file, r->k[K_FIELD].line, "Field= is empty");
		rc = -EINVAL;
	}
	if (!ru->plen) {
		vw_diag_add(diag, r->file, r->k[K_PATTERN].line, "Pattern= is empty");
		rc = -EINVAL;
	}
	return rc;
}

/* Match= and what the pattern compiles to (POSIX regex, rule engine
 * expression, number, PENs): 0, -EINVAL or -ENOMEM. */
static int rule_match(struct vw_fp_rule *ru, const struct raw *r, struct vw_diag *diag)
{
	const char *m = r->k[K_MATCH].v;
	int rc = 0, e, q;
	char msg[160];

	for (e = 0; e < (int)(sizeof(match_names) / sizeof(match_names[0])); e++)
		if (!strcmp(m, match_names[e]))
			break;
	if (e == (int)(sizeof(match_names) / sizeof(match_names[0]))) {
		vw_diag_add(diag, r->file, r->k[K_MATCH].line,
			    "Match=%s: expected exact, prefix, substring, icase-substring, regex or enterprise", m);
		rc = -EINVAL;
	}
	ru->match = (enum vw_fp_match_kind)e;
	if (ru->match == VW_FP_M_REGEX && ru->plen) {
		/* POSIX compiles it first, so a pattern POSIX refuses gets
		 * POSIX's own message. */
		q = regcomp(&ru->re, ru->pattern, REG_EXTENDED | REG_NOSUB);
		if (q) {
			regerror(q, &ru->re, msg, sizeof(msg));
			vw_diag_add(diag, r->file, r->k[K_PATTERN].line, "Pattern=: bad regular expression '%s': %s",
				    ru->pattern, msg);
			rc = -EINVAL;
		} else {
			ru->have_re = true;
		}
	}
	if (ru->plen && e < (int)(sizeof(match_names) / sizeof(match_names[0])) &&
	    (ru->match != VW_FP_M_REGEX || ru->have_re)) {
		q = rule_expr(ru, msg, sizeof(msg));
		if (q == -ENOMEM)
			return q;
		if (q < 0) {
			vw_diag_add(diag, r->file, r->k[K_PATTERN].line,
				    "Pattern=%s: %s; the rule engine would not match the same strings as POSIX ERE, rewrite it",
				    ru->pattern, msg);
			rc = -EINVAL;
		}
	}
	if (ru->match == VW_FP_M_EXACT)
		ru->num_ok = parse_u64(ru->pattern, &ru->num) == 0;
	if (ru->match == VW_FP_M_ENTERPRISE && ru->plen && strcmp(ru->pattern, "@policy")) {
		q = add_pen(ru, ru->pattern);
		if (q == -ENOMEM)
			return q;
		if (q < 0) {
			vw_diag_add(diag, r->file, r->k[K_PATTERN].line,
				    "Pattern=%s: an enterprise rule takes a number, a dotted subtree such as 2011.2.23, or @policy",
				    ru->pattern);
			rc = -EINVAL;
		}
	}
	return rc;
}

/* Confidence=: 0 or -EINVAL. */
static int rule_level(struct vw_fp_rule *ru, const struct raw *r, struct vw_diag *diag)
{
	const char *lvl = r->k[K_CONFIDENCE].v;

	if (!strcmp(lvl, "high"))
		ru->level = VW_FP_HIGH;
	else if (!strcmp(lvl, "medium"))
		ru->level = VW_FP_MEDIUM;
	else if (!strcmp(lvl, "low"))
		ru->level = VW_FP_LOW;
	else {
		vw_diag_add(diag, r->file, r->k[K_CONFIDENCE].line, "Confidence=%s: expected high, medium or low", lvl);
		return -EINVAL;
	}
	return 0;
}

/* Vendor= (a vendor or !class) and the PENs of Pattern=@policy: 0,
 * -EINVAL or -ENOMEM. */
static int rule_vendor(struct vw_fp_rules *rs, struct vw_fp_rule *ru, const struct raw *r,
		       const struct vw_policy *pol, struct vw_diag *diag)
{
	const char *vendor = r->k[K_VENDOR].v;
	bool neg = vendor[0] == '!';
	int rc = 0, idx = ident_index(rs, vendor + neg, neg);

	if (idx < 0) {
		if (neg)
			vw_diag_add(diag, r->file, r->k[K_VENDOR].line,
				    "Vendor=%s: no [Class %s] in the rules directory", vendor, vendor + 1);
		else if (ident_index(rs, vendor, true) >= 0)
			vw_diag_add(diag, r->file, r->k[K_VENDOR].line,
				    "Vendor=%s: '%s' is a class; write Vendor=!%s", vendor, vendor, vendor);
		else
			vw_diag_add(diag, r->file, r->k[K_VENDOR].line,
				    "Vendor=%s: unknown vendor (not in policy/vendors/; a look-alike class is written !ID)",
				    vendor);
		rc = -EINVAL;
	}
	ru->ident = idx < 0 ? 0 : (size_t)idx;
	if (idx >= 0 && ru->match == VW_FP_M_ENTERPRISE && !strcmp(ru->pattern, "@policy")) {
		/* The policy's EnterpriseNumber= lists stay the one place
		 * where a vendor's PENs are written down. */
		const struct vw_vendor *v = neg ? NULL : vw_policy_vendor(pol, vendor);

		if (!v || !v->n_enterprises) {
			vw_diag_add(diag, r->file, r->k[K_PATTERN].line,
				    "Pattern=@policy: vendor '%s' has no EnterpriseNumber= in policy/vendors/", vendor);
			rc = -EINVAL;
		}
		for (size_t i = 0; v && i < v->n_enterprises; i++) {
			char num[16];

			snprintf(num, sizeof(num), "%u", (unsigned)v->enterprises[i]);
			if (add_pen(ru, num) < 0)
				return -ENOMEM;
		}
	}
	return rc;
}

/* Every problem of the rule is noted in diag before -EINVAL is returned;
 * -ENOMEM stops at once. */
static int add_rule(struct vw_fp_rules *rs, const struct raw *r, const struct vw_policy *pol,
		    struct vw_diag *diag)
{
	struct vw_fp_rule *ru = &rs->rules[rs->n_rules];
	int rc, q;

	*ru = (struct vw_fp_rule){ .line = r->line };
	rs->n_rules++;   /* counted now so the cleanup path frees what is set */
	rc = rule_head(rs, ru, r, diag);
	if (rc)
		return rc;
	rc = rule_strings(ru, r, diag);
	if (rc == -ENOMEM)
		return rc;
	q = rule_match(ru, r, diag);
	if (q == -ENOMEM)
		return q;
	if (q < 0)
		rc = q;
	if (rule_level(ru, r, diag) < 0)
		rc = -EINVAL;
	q = rule_vendor(rs, ru, r, pol, diag);
	if (q == -ENOMEM)
		return q;
	return q < 0 ? q : rc;
}

static void rule_free(struct vw_fp_rule *ru)
{
	free(ru->id);
	free(ru->field);
	free(ru->pattern);
	free(ru->expr);
	for (size_t i = 0; i < ru->n_pens; i++)
		free(ru->pens[i].oid);
	free(ru->pens);
	free(ru->source);
	free(ru->file);
	if (ru->have_re)
		regfree(&ru->re);
}

/* ---- compiled databases kept between loads ---- */

/* Hyperscan spends ~100 ms of CPU on a group of a few alternations (its
 * literal analysis), so a start or a reload with unchanged rules reads
 * the databases back instead. A file is named by a hash of what was
 * compiled and holds all of it, compared in full before use: a stale or
 * colliding file is never taken for another. The cache is an
 * optimisation only; any failure falls back to compiling. */
#define CACHE_MAGIC "VWFPHS1"
/* A rule set is one file per (signal, field) group, ~30 today; this keeps
 * a few rule sets' worth, the least recently used go first. */
#define CACHE_MAX_FILES 100

/* Where a load keeps its databases: dir NULL for none; ro (check-config)
 * reads and never writes, not even a use time. */
struct cache {
	const char *dir;
	bool ro;
	bool no_compile;    /* VW_FP_CACHE_ONLY: a miss leaves the group without db */
	unsigned written;
};

struct key {
	char *s;
	size_t n;
};

static int key_of(const char *const *exprs, const unsigned *flags, const unsigned *ids, unsigned k,
		  struct key *key)
{
	hs_platform_info_t plat;
	FILE *f;

	if (hs_populate_platform(&plat) != HS_SUCCESS)
		return -EINVAL;
	f = open_memstream(&key->s, &key->n);
	if (!f)
		return -ENOMEM;
	fprintf(f, "%s\n%llx %u\n", hs_version(), (unsigned long long)plat.cpu_features, plat.tune);
	for (unsigned i = 0; i < k; i++)
		fprintf(f, "%x %u %s\n", flags[i], ids[i], exprs[i]);
	return fclose(f) ? -ENOMEM : 0;
}

static char *cache_path(const char *dir, const struct key *key)
{
	uint64_t h = 0xcbf29ce484222325ull;
	char *p;

	for (size_t i = 0; i < key->n; i++)
		h = (h ^ (unsigned char)key->s[i]) * 0x100000001b3ull;
	return asprintf(&p, "%s/fp-%016" PRIx64 ".hsdb", dir, h) < 0 ? NULL : p;
}

static hs_database_t *cache_read(const char *path, const struct key *key)
{
	hs_database_t *db = NULL;
	char magic[8], *buf = NULL;
	FILE *f = fopen(path, "rb");
	uint64_t klen, dlen;

	if (!f)
		return NULL;
	if (fread(magic, 1, 8, f) != 8 || memcmp(magic, CACHE_MAGIC, 8) ||
	    fread(&klen, 8, 1, f) != 1 || klen != key->n || fread(&dlen, 8, 1, f) != 1 ||
	    dlen > (64u << 20) || !(buf = malloc(klen + dlen + 1)) ||
	    fread(buf, 1, klen + dlen, f) != klen + dlen || memcmp(buf, key->s, klen) ||
	    hs_deserialize_database(buf + klen, dlen, &db) != HS_SUCCESS)
		db = NULL;
	free(buf);
	fclose(f);
	return db;
}

static void cache_write(const char *dir, const char *path, const struct key *key, const hs_database_t *db)
{
	char *bytes = NULL, *tmp = NULL;
	uint64_t klen = key->n, dlen;
	size_t len;
	FILE *f;
	int fd;

	if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS)
		return;
	dlen = len;
	if (asprintf(&tmp, "%s/.fp-XXXXXX", dir) < 0) {
		tmp = NULL;
		goto out;
	}
	fd = mkstemp(tmp);
	f = fd < 0 ? NULL : fdopen(fd, "wb");
	if (!f) {
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		goto out;
	}
	if (fwrite(CACHE_MAGIC, 1, 8, f) != 8 || fwrite(&klen, 8, 1, f) != 1 || fwrite(&dlen, 8, 1, f) != 1 ||
	    fwrite(key->s, 1, klen, f) != klen || fwrite(bytes, 1, len, f) != len) {
		fclose(f);
		unlink(tmp);
		goto out;
	}
	if (fclose(f) || rename(tmp, path))
		unlink(tmp);
out:
	free(tmp);
	free(bytes);
}

struct cache_file {
	char *name;
	struct timespec used;
};

static int by_use(const void *a, const void *b)
{
	const struct cache_file *x = a, *y = b;

	if (x->used.tv_sec != y->used.tv_sec)
		return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
	return (x->used.tv_nsec > y->used.tv_nsec) - (x->used.tv_nsec < y->used.tv_nsec);
}

/* Keeps the CACHE_MAX_FILES most recently used databases: every changed
 * rule set adds files, and nothing else would ever remove them. */
static void cache_prune(const char *dir)
{
	struct cache_file *v = NULL, *t;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct stat st;
		size_t l = strlen(de->d_name);

		if (strncmp(de->d_name, "fp-", 3) || l < 8 || strcmp(de->d_name + l - 5, ".hsdb") ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 128;
			t = realloc(v, cap * sizeof(*v));
			if (!t)
				break;
			v = t;
		}
		v[n].name = strdup(de->d_name);
		if (!v[n].name)
			break;
		v[n++].used = st.st_mtim;
	}
	if (n > CACHE_MAX_FILES) {
		qsort(v, n, sizeof(*v), by_use);
		for (size_t i = 0; i < n - CACHE_MAX_FILES; i++)
			unlinkat(dirfd(d), v[i].name, 0);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	closedir(d);
}

/* g->db from the cache, or compiled (and then cached). */
static hs_error_t compile_cached(struct cache *c, const char *const *exprs, const unsigned *flags,
				 const unsigned *ids, unsigned k, hs_database_t **db, hs_compile_error_t **ce)
{
	struct key key = { 0 };
	char *path = NULL;
	hs_error_t e;

	if (c->dir && key_of(exprs, flags, ids, k, &key) == 0 && (path = cache_path(c->dir, &key)))
		*db = cache_read(path, &key);
	if (*db) {
		/* The use time orders the pruning: least recently used first. */
		if (!c->ro)
			utimensat(AT_FDCWD, path, NULL, 0);
		e = HS_SUCCESS;
		goto out;
	}
	if (c->no_compile) {
		e = HS_SUCCESS;
		goto out;
	}
	e = hs_compile_multi(exprs, flags, ids, k, HS_MODE_BLOCK, NULL, db, ce);
	if (e == HS_SUCCESS && path && !c->ro) {
		cache_write(c->dir, path, &key, *db);
		c->written++;
	}
out:
	free(path);
	free(key.s);
	return e;
}

/* One database for the string rules of g. Hyperscan names the expression
 * it could not compile; that rule's Pattern= is reported. */
static int compile_group(struct vw_fp_rules *rs, struct vw_fp_rule_group *g, struct cache *cache,
			 struct vw_diag *diag)
{
	const char **exprs = calloc(g->n, sizeof(*exprs));
	unsigned *flags = calloc(g->n, sizeof(*flags)), *ids = calloc(g->n, sizeof(*ids));
	hs_compile_error_t *ce = NULL;
	unsigned k = 0;
	int rc = 0;

	g->ent = calloc((g->n + 63) / 64, sizeof(uint64_t));
	g->num = calloc((g->n + 63) / 64, sizeof(uint64_t));
	if (!exprs || !flags || !ids || !g->ent || !g->num) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t j = 0; j < g->n; j++) {
		const struct vw_fp_rule *ru = &rs->rules[g->rules[j]];

		if (ru->match == VW_FP_M_ENTERPRISE)
			g->ent[j / 64] |= 1ull << (j % 64);
		if (ru->match == VW_FP_M_EXACT && ru->num_ok)
			g->num[j / 64] |= 1ull << (j % 64);
		if (!ru->expr)
			continue;
		exprs[k] = ru->expr;
		/* Whether it matches is all a rule asks: one report per
		 * expression, and empty matches count (^ alone would). */
		flags[k] = HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY | (ru->expr_caseless ? HS_FLAG_CASELESS : 0);
		ids[k++] = (unsigned)j;
	}
	if (!k)
		goto out;
	if (compile_cached(cache, exprs, flags, ids, k, &g->db, &ce) != HS_SUCCESS) {
		const struct vw_fp_rule *ru = &rs->rules[g->rules[ce->expression >= 0 ? ids[ce->expression] : ids[0]]];

		vw_diag_add(diag, ru->file, ru->line, "[Rule %s] Pattern=%s: the rule engine cannot compile it: %s",
			    ru->id, ru->pattern, ce->message);
		hs_free_compile_error(ce);
		g->db = NULL;
		rc = -EINVAL;
		goto out;
	}
	if (!g->db) {
		rc = -ESTALE;   /* not in the cache, and not to be compiled */
		goto out;
	}
	g->memo = calloc(1, sizeof(*g->memo));
	if (!g->memo || hs_alloc_scratch(g->db, &rs->scratch) != HS_SUCCESS) {
		rc = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < MEMO_SLOTS; i++)
		g->memo->slot[i].len = MEMO_VAL + 1;
out:
	free(exprs);
	free(flags);
	free(ids);
	return rc;
}

static int build_index(struct vw_fp_rules *rs, struct cache *cache, struct vw_diag *diag)
{
	int rc = 0, q;

	for (size_t i = 0; i < rs->n_rules; i++) {
		struct vw_fp_rule *ru = &rs->rules[i];
		typeof(rs->index[0]) *ix = &rs->index[ru->signal];
		struct vw_fp_rule_group *g = NULL;
		size_t *t;

		for (size_t j = 0; j < ix->n; j++)
			if (!strcmp(ix->groups[j].field, ru->field))
				g = &ix->groups[j];
		if (!g) {
			struct vw_fp_rule_group *tg = realloc(ix->groups, (ix->n + 1) * sizeof(*tg));

			if (!tg)
				return -ENOMEM;
			ix->groups = tg;
			g = &ix->groups[ix->n++];
			*g = (struct vw_fp_rule_group){ .field = ru->field };
		}
		if (g->n == GROUP_MAX) {
			vw_diag_add(diag, ru->file, ru->line, "[Rule %s]: more than %d rules for %s %s",
				    ru->id, GROUP_MAX, vw_fp_signal_name(ru->signal), ru->field);
			return -EINVAL;
		}
		t = realloc(g->rules, (g->n + 1) * sizeof(*t));
		if (!t)
			return -ENOMEM;
		g->rules = t;
		g->rules[g->n++] = i;
	}
	for (int s = 0; s < VW_SIG_MAX; s++) {
		for (size_t j = 0; j < rs->index[s].n; j++) {
			q = compile_group(rs, &rs->index[s].groups[j], cache, diag);
			if (q == -ENOMEM)
				return q;
			if (q < 0)
				rc = q;
		}
	}
	return rc;
}

void vw_fp_rules_free(struct vw_fp_rules *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n_rules; i++)
		rule_free(&rs->rules[i]);
	free(rs->rules);
	for (size_t i = 0; i < rs->n_idents; i++) {
		free(rs->idents[i].id);
		free(rs->idents[i].name);
		free(rs->idents[i].file);
		free(rs->idents[i].lookalike_of);
	}
	free(rs->idents);
	for (int s = 0; s < VW_SIG_MAX; s++) {
		for (size_t j = 0; j < rs->index[s].n; j++) {
			free(rs->index[s].groups[j].rules);
			free(rs->index[s].groups[j].ent);
			free(rs->index[s].groups[j].num);
			free(rs->index[s].groups[j].memo);
			hs_free_database(rs->index[s].groups[j].db);
		}
		free(rs->index[s].groups);
	}
	hs_free_scratch(rs->scratch);
	free(rs->field_cache);
	free(rs);
}

int vw_fp_rules_load(struct vw_fp_rules **out, const char *dir,
		     const struct vw_policy *pol, struct vw_diag *diag)
{
	return vw_fp_rules_load_cached(out, dir, pol, NULL, diag);
}

/* The policy's vendors, then the classes, then the rules: 0, -EINVAL (each
 * problem noted in diag) or -ENOMEM. rs stays the caller's to free. */
static int rules_from_raw(struct vw_fp_rules *rs, const struct load_ctx *c, const struct vw_policy *pol,
			  struct vw_diag *diag)
{
	int rc = 0, q;

	if (add_policy_idents(rs, pol) < 0)
		return -ENOMEM;
	rs->field_cache = calloc(VW_SIG_MAX, sizeof(*rs->field_cache));
	if (!rs->field_cache)
		return -ENOMEM;
	/* Classes first: a rule may name a class declared in a later file. */
	for (size_t i = 0; i < c->n; i++) {
		if (!c->raw[i].is_class)
			continue;
		q = add_class(rs, &c->raw[i], pol, diag);
		if (q == -ENOMEM)
			return -ENOMEM;
		if (q < 0)
			rc = -EINVAL;
	}
	rs->rules = calloc(c->n ? c->n : 1, sizeof(*rs->rules));
	if (!rs->rules)
		return -ENOMEM;
	for (size_t i = 0; i < c->n; i++) {
		if (c->raw[i].is_class)
			continue;
		q = add_rule(rs, &c->raw[i], pol, diag);
		if (q == -ENOMEM)
			return -ENOMEM;
		if (q < 0)
			rc = -EINVAL;
	}
	return rc;
}

int vw_fp_rules_load_cached(struct vw_fp_rules **out, const char *dir, const struct vw_policy *pol,
			    const char *cache_dir, struct vw_diag *diag)
{
	return vw_fp_rules_load_cache(out, dir, pol, cache_dir, 0, diag);
}

int vw_fp_rules_load_cache(struct vw_fp_rules **out, const char *dir, const struct vw_policy *pol,
			   const char *cache_dir, unsigned flags, struct vw_diag *diag)
{
	static const struct vw_ini_ops ops = { .section = section_cb, .key = key_cb };
	struct cache cache = { .dir = cache_dir, .ro = flags & VW_FP_CACHE_READONLY,
			       .no_compile = flags & VW_FP_CACHE_ONLY };
	struct load_ctx c = { .diag = diag };
	struct vw_fp_rules *rs = NULL;
	char **files = NULL;
	int n = 0, rc = 0, q;

	*out = NULL;
	n = vw_ini_list_dir(dir, &files);
	if (n < 0) {
		rc = n;
		n = 0;
		vw_diag_add(diag, dir, 0, "cannot read rules directory: %s", strerror(-rc));
		goto out;
	}
	for (int i = 0; i < n; i++) {
		c.file = files[i];
		c.cur = NULL;
		q = vw_ini_parse(files[i], &ops, &c, diag);
		if (q == -ENOMEM)
			goto nomem;
		if (q < 0 && !rc)
			rc = q;
	}

	rs = calloc(1, sizeof(*rs));
	if (!rs)
		goto nomem;
	q = rules_from_raw(rs, &c, pol, diag);
	if (q == -ENOMEM)
		goto nomem;
	if (q < 0)
		rc = q;
	if (!rc && !rs->n_rules) {
		vw_diag_add(diag, dir, 0, "no [Rule] sections");
		rc = -ENOENT;
	}
	if (!rc) {
		q = build_index(rs, &cache, diag);
		if (cache.written)
			cache_prune(cache_dir);
		if (q == -ENOMEM)
			goto nomem;
		rc = q;
	}
	goto out;
nomem:
	vw_diag_add(diag, dir, 0, "out of memory");
	rc = -ENOMEM;
out:
	for (size_t i = 0; i < c.n; i++)
		raw_free(&c.raw[i]);
	free(c.raw);
	vw_ini_free_list(files, n);
	if (rc) {
		vw_fp_rules_free(rs);
		return rc;
	}
	*out = rs;
	return 0;
}

/* ---- matching ---- */

/* "1.3.6.1.4.1.2011.2.23.96" is under 2011 and 2011.2.23 but not under
 * 201 or 2011.2.2: the subtree must end at a dot or the end. */
static bool oid_under(const uint8_t *v, size_t n, const char *oid, size_t olen)
{
	if (n && v[0] == '.') {
		v++;
		n--;
	}
	return n >= olen && !memcmp(v, oid, olen) && (n == olen || v[olen] == '.');
}

static bool enterprise_matches(const struct vw_fp_rule *ru, const struct vw_fp_field *f)
{
	for (size_t i = 0; i < ru->n_pens; i++) {
		const struct vw_fp_pen *p = &ru->pens[i];

		if (f->kind == VW_FP_NUM ? p->num_ok && f->num == p->num
					 : oid_under(f->val, f->len, p->oid, p->oid_len))
			return true;
	}
	return false;
}

static int on_hit(unsigned int id, unsigned long long from, unsigned long long to,
		  unsigned int flags, void *ctx)
{
	uint64_t *hit = ctx;

	(void)from;
	(void)to;
	(void)flags;
	hit[id / 64] |= 1ull << (id % 64);
	return 0;
}

/* Sixteen bytes at a time in two independent lanes: a memo key, not a
 * defence (see struct memo). */
static uint64_t memo_hash(const uint8_t *v, size_t n)
{
	uint64_t a = n * 0x9E3779B97F4A7C15ull, b = ~a, w, x;
	size_t i = 0;

	for (; i + 16 <= n; i += 16) {
		memcpy(&w, v + i, 8);
		memcpy(&x, v + i + 8, 8);
		a = (a ^ w) * 0xff51afd7ed558ccdull;
		b = (b ^ x) * 0xc4ceb9fe1a85ec53ull;
		a ^= a >> 32;
		b ^= b >> 29;
	}
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, v + i, 8);
		a = (a ^ w) * 0xff51afd7ed558ccdull;
		a ^= a >> 32;
	}
	/* The last 0-7 bytes by overlapping loads, not a variable-length
	 * copy into w: that one stalled on store forwarding every call. */
	if (n - i >= 4) {
		uint32_t lo, hi;

		memcpy(&lo, v + i, 4);
		memcpy(&hi, v + n - 4, 4);
		w = (uint64_t)hi << 32 | lo;
	} else if (n > i) {
		w = (uint64_t)v[i] | (uint64_t)v[i + (n - i) / 2] << 8 | (uint64_t)v[n - 1] << 16 | (uint64_t)(n - i) << 24;
	} else {
		w = 0;
	}
	a = (a ^ w ^ b) * 0xc4ceb9fe1a85ec53ull;
	return a ^ a >> 29;
}

/* The string rules of g that match the value, as bits of hit (zeroed by
 * the caller): from the memo, or by one scan whose result is kept. */
static void scan_value(const struct vw_fp_rules *rs, const struct vw_fp_rule_group *g,
		       const uint8_t *v, size_t n, uint64_t *hit)
{
	uint64_t h;
	struct memo_slot *m;
	size_t words = (g->n + 63) / 64;

	if (!v)
		v = (const uint8_t *)"";    /* an empty value (len 0) */
	h = n <= MEMO_VAL ? memo_hash(v, n) : 0;
	m = &g->memo->slot[(h % (MEMO_SLOTS / 2)) * 2];
	if (!(m->len == n && m->h == h))
		m++;    /* the other way of the set */

	if (n <= MEMO_VAL && m->len == n && m->h == h && !memcmp(m->val, v, n)) {
		for (uint16_t i = 0; i < m->n_hits; i++)
			hit[m->hits[i] / 64] |= 1ull << (m->hits[i] % 64);
		return;
	}
	/* A scan error leaves no hits: the value is simply not evidence,
	 * as with a field no rule names. */
	if (hs_scan(g->db, (const char *)v, (unsigned)n, 0, rs->scratch, on_hit, hit) != HS_SUCCESS ||
	    n > MEMO_VAL)
		return;
	/* Into the way not used last; the one kept is then the newer. */
	m = &g->memo->slot[(h % (MEMO_SLOTS / 2)) * 2];
	m += g->memo->last[h % (MEMO_SLOTS / 2)] ^= 1;
	m->n_hits = 0;
	for (size_t w = 0; w < words; w++) {
		for (uint64_t b = hit[w]; b; b &= b - 1) {
			if (m->n_hits == MEMO_HITS) {
				m->len = MEMO_VAL + 1;
				return;
			}
			m->hits[m->n_hits++] = (uint16_t)(w * 64 + (size_t)__builtin_ctzll(b));
		}
	}
	m->h = h;
	m->len = (uint16_t)n;
	memcpy(m->val, v, n);
}

/* Which rules of g match f, in g's order: the scan's hits and the rules
 * a scan does not decide, nothing else. */
static size_t match_group(const struct vw_fp_rules *rs, const struct vw_fp_rule_group *g,
			  const struct vw_fp_field *f, struct vw_fp_match *out, size_t max)
{
	uint64_t hit[GROUP_MAX / 64];
	size_t k = 0, words = (g->n + 63) / 64;

	memset(hit, 0, words * sizeof(hit[0]));
	if (f->kind == VW_FP_STR && g->db)
		scan_value(rs, g, f->val, f->len, hit);
	for (size_t w = 0; w < words && k < max; w++) {
		uint64_t cand = hit[w] | g->ent[w] | (f->kind == VW_FP_NUM ? g->num[w] : 0);

		for (; cand && k < max; cand &= cand - 1) {
			size_t j = w * 64 + (size_t)__builtin_ctzll(cand);
			const struct vw_fp_rule *ru = &rs->rules[g->rules[j]];
			bool m;

			if (ru->match == VW_FP_M_ENTERPRISE)
				m = enterprise_matches(ru, f);
			else if (f->kind == VW_FP_NUM)
				m = f->num == ru->num;
			else
				m = true;    /* a hit of the scan */
			if (m) {
				out[k].rule = ru;
				out[k].field = f;
				k++;
			}
		}
	}
	return k;
}

static const struct vw_fp_rule_group *field_group(const struct vw_fp_rules *rs, enum vw_fp_signal sig,
						  const char *name)
{
	struct vw_fp_field_slot *s = &rs->field_cache[sig][((uintptr_t)name >> 3) % VW_FP_FIELD_CACHE];

	if (s->name != name) {
		s->name = name;
		s->g = NULL;
		for (size_t j = 0; j < rs->index[sig].n; j++) {
			if (!strcmp(rs->index[sig].groups[j].field, name)) {
				s->g = &rs->index[sig].groups[j];
				break;
			}
		}
	}
	return s->g;
}

size_t vw_fp_rules_match(const struct vw_fp_rules *rs, const struct vw_fp_result *r,
			 struct vw_fp_match *out, size_t max)
{
	size_t k = 0;

	if (!rs || !r || (unsigned)r->signal >= VW_SIG_MAX || !rs->index[r->signal].n)
		return 0;
	for (size_t i = 0; i < r->n && k < max; i++) {
		const struct vw_fp_field *f = &r->fields[i];
		const struct vw_fp_rule_group *g;

		if (!f->name || (f->kind == VW_FP_STR && !f->val && f->len) || f->len > UINT32_MAX)
			continue;
		g = field_group(rs, r->signal, f->name);
		if (g)
			k += match_group(rs, g, f, out + k, max - k);
	}
	return k;
}

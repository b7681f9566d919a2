// SPDX-License-Identifier: GPL-2.0-only
/* Loads vendor groups and jurisdiction profiles from the policy directory and checks them against each other. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "inifile.h"
#include "timeparse.h"
#include "policy.h"

enum key_bit {
	K_ID = 1 << 0, K_NAME = 1 << 1, K_CODE = 1 << 2,
	K_SOURCE = 1 << 3, K_DATE = 1 << 4, K_BASIS = 1 << 5, K_SCOPE = 1 << 6,
	K_NOTE = 1 << 7, K_VENDORS = 1 << 8,
};

struct pol_ctx {
	struct vw_policy *pol;
	struct vw_diag *diag;
	bool profiles;          /* parsing profiles/, not vendors/ */
	bool in_section;        /* inside the one recognised section */
	int n_sections;
	int section_line;
	unsigned seen;          /* enum key_bit already given */
	bool has_match;         /* any Organization= or Prefix= */
};

void vw_normalise_org(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	bool gap = false;

	if (!outlen)
		return;
	for (; *in && o + 1 < outlen; in++) {
		unsigned char ch = *in;

		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    (ch >= 'A' && ch <= 'Z')) {
			/* Punctuation separates words ("CO.,LTD" == "Co., Ltd."). */
			if (gap && o > 0) {
				if (o + 2 >= outlen)
					break;  /* never glue two words together */
				out[o++] = ' ';
			}
			gap = false;
			out[o++] = tolower(ch);
		} else {
			gap = true;
		}
	}
	out[o] = '\0';
}

bool vw_org_matches(const char *org, const char *pat)
{
	size_t plen = strlen(pat);

	if (!plen)
		return false;
	for (const char *p = strstr(org, pat); p; p = strstr(p + 1, pat)) {
		if ((p == org || p[-1] == ' ') && (p[plen] == '\0' || p[plen] == ' '))
			return true;
	}
	return false;
}

const struct vw_vendor *vw_policy_vendor(const struct vw_policy *pol, const char *id)
{
	for (size_t i = 0; i < pol->n_vendors; i++)
		if (pol->vendors[i].id && !strcmp(pol->vendors[i].id, id))
			return &pol->vendors[i];
	return NULL;
}

const struct vw_vendor *vw_policy_vendor_by_code(const struct vw_policy *pol, uint16_t code)
{
	for (size_t i = 0; i < pol->n_vendors; i++)
		if (pol->vendors[i].code == code)
			return &pol->vendors[i];
	return NULL;
}

const struct vw_profile *vw_policy_profile(const struct vw_policy *pol, const char *id)
{
	for (size_t i = 0; i < pol->n_profiles; i++)
		if (pol->profiles[i].id && !strcmp(pol->profiles[i].id, id))
			return &pol->profiles[i];
	return NULL;
}

static const struct vw_subgroup *find_subgroup(const struct vw_vendor *v, const char *id)
{
	for (size_t i = 0; i < v->n_subgroups; i++)
		if (!strcmp(v->subgroups[i].id, id))
			return &v->subgroups[i];
	return NULL;
}

const struct vw_vendor *vw_policy_selector(const struct vw_policy *pol, const char *entry,
					   const struct vw_subgroup **sub)
{
	const char *colon = strchr(entry, ':');
	char id[64];
	const struct vw_vendor *v;

	*sub = NULL;
	if (!colon)
		return vw_policy_vendor(pol, entry);
	if ((size_t)(colon - entry) >= sizeof(id))
		return NULL;
	snprintf(id, sizeof(id), "%.*s", (int)(colon - entry), entry);
	v = vw_policy_vendor(pol, id);
	if (v)
		*sub = find_subgroup(v, colon + 1);
	return v && *sub ? v : NULL;
}

bool vw_profile_selects(const struct vw_profile *p, const char *vendor_id)
{
	size_t n = strlen(vendor_id);

	for (size_t i = 0; i < p->vendors.n; i++)
		if (!strncmp(p->vendors.v[i], vendor_id, n) &&
		    (p->vendors.v[i][n] == '\0' || p->vendors.v[i][n] == ':'))
			return true;
	return false;
}

static bool valid_id(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 32 || *s == '-')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

static int set_once(struct pol_ctx *c, unsigned bit, const char *key, const char *file, int line)
{
	if (c->seen & bit) {
		vw_diag_add(c->diag, file, line, "%s= given more than once", key);
		return -EINVAL;
	}
	c->seen |= bit;
	return 0;
}

static int append_str(char **dst, const char *value)
{
	char *s;

	if (asprintf(&s, "%s %s", *dst, value) < 0)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

static int push_prefix(struct vw_explicit_prefix **v, size_t *n, uint64_t prefix, uint8_t plen)
{
	struct vw_explicit_prefix *nv = realloc(*v, (*n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	nv[*n] = (struct vw_explicit_prefix){ .prefix = prefix, .plen = plen };
	*v = nv;
	(*n)++;
	return 0;
}

static int section_cb(void *user, const char *section, const char *file, int line)
{
	struct pol_ctx *c = user;
	const char *want = c->profiles ? "Profile" : "Vendor";
	struct vw_policy *pol = c->pol;
	void *v;

	c->in_section = false;
	if (strcmp(section, want)) {
		vw_diag_add(c->diag, file, line, "unknown section [%s], expected [%s]", section, want);
		return -EINVAL;
	}
	if (c->n_sections++) {
		vw_diag_add(c->diag, file, line, "only one [%s] section per file", want);
		return -EINVAL;
	}
	c->section_line = line;

	if (c->profiles) {
		v = realloc(pol->profiles, (pol->n_profiles + 1) * sizeof(*pol->profiles));
		if (!v)
			return -ENOMEM;
		pol->profiles = v;
		pol->profiles[pol->n_profiles] = (struct vw_profile){ .file = strdup(file) };
		if (!pol->profiles[pol->n_profiles++].file)
			return -ENOMEM;
	} else {
		v = realloc(pol->vendors, (pol->n_vendors + 1) * sizeof(*pol->vendors));
		if (!v)
			return -ENOMEM;
		pol->vendors = v;
		pol->vendors[pol->n_vendors] = (struct vw_vendor){ .file = strdup(file) };
		if (!pol->vendors[pol->n_vendors++].file)
			return -ENOMEM;
	}
	c->in_section = true;
	return 0;
}

static struct vw_subgroup *get_subgroup(struct vw_vendor *vd, const char *id, size_t len)
{
	struct vw_subgroup *v;

	for (size_t i = 0; i < vd->n_subgroups; i++)
		if (strlen(vd->subgroups[i].id) == len && !strncmp(vd->subgroups[i].id, id, len))
			return &vd->subgroups[i];
	v = realloc(vd->subgroups, (vd->n_subgroups + 1) * sizeof(*v));
	if (!v)
		return NULL;
	vd->subgroups = v;
	v = &vd->subgroups[vd->n_subgroups];
	*v = (struct vw_subgroup){ .id = strndup(id, len) };
	if (!v->id)
		return NULL;
	vd->n_subgroups++;
	return v;
}

/* "Subgroup=ID ORGANIZATION" and "SubgroupPrefix=ID PREFIX": a part of the
 * group that a profile can narrow it to, by organisation and by block. */
static int subgroup_key(struct pol_ctx *c, struct vw_vendor *vd, const char *key,
			const char *value, const char *file, int line)
{
	size_t idlen = strcspn(value, " \t");
	const char *rest = value + idlen + strspn(value + idlen, " \t");
	struct vw_subgroup *sg;
	char id[33], norm[256];
	uint64_t prefix;
	uint8_t plen;

	snprintf(id, sizeof(id), "%.*s", (int)(idlen < 32 ? idlen : 32), value);
	if (idlen > 32 || !valid_id(id) || !*rest) {
		vw_diag_add(c->diag, file, line, "invalid %s=%s (expected: ID %s)", key, value,
			    key[8] ? "PREFIX" : "ORGANIZATION");
		return -EINVAL;
	}
	if (key[8]) {
		if (vw_parse_prefix(rest, &prefix, &plen) < 0) {
			vw_diag_add(c->diag, file, line, "invalid %s=%s", key, value);
			return -EINVAL;
		}
	} else {
		vw_normalise_org(rest, norm, sizeof(norm));
		if (!*norm || strlen(rest) >= sizeof(norm)) {
			vw_diag_add(c->diag, file, line, "invalid %s=%s", key, value);
			return -EINVAL;
		}
	}
	sg = get_subgroup(vd, value, idlen);
	if (!sg)
		return -ENOMEM;
	if (key[8])
		return push_prefix(&sg->prefixes, &sg->n_prefixes, prefix, plen);
	return vw_strv_push(&sg->org_patterns, norm);
}

static int invalid(struct pol_ctx *c, const char *key, const char *value, const char *file,
		   int line)
{
	vw_diag_add(c->diag, file, line, "invalid %s=%s", key, value);
	return -EINVAL;
}

static int vendor_id(struct pol_ctx *c, struct vw_vendor *vd, const char *key,
		     const char *value, const char *file, int line)
{
	const struct vw_vendor *other;
	int r;

	if ((r = set_once(c, K_ID, key, file, line)) < 0)
		return r;
	if (!valid_id(value))
		return invalid(c, key, value, file, line);
	other = vw_policy_vendor(c->pol, value);
	if (other) {
		vw_diag_add(c->diag, file, line, "vendor id \"%s\" already defined in %s",
			    value, other->file);
		return -EINVAL;
	}
	return vw_set_str(&vd->id, value);
}

static int vendor_name(struct pol_ctx *c, struct vw_vendor *vd, const char *key,
		       const char *value, const char *file, int line)
{
	int r;

	if ((r = set_once(c, K_NAME, key, file, line)) < 0)
		return r;
	if (!*value)
		return invalid(c, key, value, file, line);
	return vw_set_str(&vd->name, value);
}

static int vendor_code(struct pol_ctx *c, struct vw_vendor *vd, const char *key,
		       const char *value, const char *file, int line)
{
	const struct vw_vendor *other;
	uint32_t u;
	int r;

	if ((r = set_once(c, K_CODE, key, file, line)) < 0)
		return r;
	if (vw_parse_u32(value, &u) < 0 || u == 0 || u > UINT16_MAX)
		return invalid(c, key, value, file, line);
	other = vw_policy_vendor_by_code(c->pol, u);
	if (other) {
		vw_diag_add(c->diag, file, line, "vendor code %u already used by %s",
			    u, other->file);
		return -EINVAL;
	}
	vd->code = u;
	return 0;
}

/* Organization= and ExcludeOrganization=. */
static int vendor_org(struct pol_ctx *c, struct vw_vendor *vd, const char *key,
		      const char *value, const char *file, int line)
{
	char norm[256];

	vw_normalise_org(value, norm, sizeof(norm));
	if (!*norm || strlen(value) >= sizeof(norm))
		return invalid(c, key, value, file, line);
	if (key[0] == 'O')
		c->has_match = true;
	return vw_strv_push(key[0] == 'O' ? &vd->org_patterns : &vd->exclude_orgs, norm);
}

/* Prefix= and ExcludePrefix=. */
static int vendor_prefix(struct pol_ctx *c, struct vw_vendor *vd, const char *key,
			 const char *value, const char *file, int line)
{
	uint64_t prefix;
	uint8_t plen;

	if (vw_parse_prefix(value, &prefix, &plen) < 0)
		return invalid(c, key, value, file, line);
	if (prefix >> 40 & 0x03) {
		vw_diag_add(c->diag, file, line,
			    "%s=%s is a multicast or locally administered prefix", key, value);
		return -EINVAL;
	}
	if (key[0] == 'P') {
		c->has_match = true;
		return push_prefix(&vd->prefixes, &vd->n_prefixes, prefix, plen);
	}
	return push_prefix(&vd->excludes, &vd->n_excludes, prefix, plen);
}

static int vendor_enterprise(struct pol_ctx *c, struct vw_vendor *vd, const char *key,
			     const char *value, const char *file, int line)
{
	uint32_t *v;
	uint32_t u;

	if (vw_parse_u32(value, &u) < 0)
		return invalid(c, key, value, file, line);
	v = realloc(vd->enterprises, (vd->n_enterprises + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	v[vd->n_enterprises++] = u;
	vd->enterprises = v;
	return 0;
}

static int vendor_affiliate(struct pol_ctx *c, struct vw_vendor *vd, const char *key,
			    const char *value, const char *file, int line)
{
	if (!*value)
		return invalid(c, key, value, file, line);
	return vw_strv_push(&vd->affiliates, value);
}

static const struct {
	const char *key;
	int (*set)(struct pol_ctx *c, struct vw_vendor *vd, const char *key,
		   const char *value, const char *file, int line);
} vendor_keys[] = {
	{ "Id", vendor_id },
	{ "Name", vendor_name },
	{ "Code", vendor_code },
	{ "Organization", vendor_org },
	{ "ExcludeOrganization", vendor_org },
	{ "Prefix", vendor_prefix },
	{ "ExcludePrefix", vendor_prefix },
	{ "EnterpriseNumber", vendor_enterprise },
	{ "Subgroup", subgroup_key },
	{ "SubgroupPrefix", subgroup_key },
	{ "Affiliate", vendor_affiliate },
};

static int vendor_key(struct pol_ctx *c, struct vw_vendor *vd, const char *key,
		      const char *value, const char *file, int line)
{
	for (size_t i = 0; i < sizeof(vendor_keys) / sizeof(vendor_keys[0]); i++)
		if (!strcmp(key, vendor_keys[i].key))
			return vendor_keys[i].set(c, vd, key, value, file, line);
	vw_diag_add(c->diag, file, line, "unknown key %s= in [Vendor]", key);
	return -EINVAL;
}

bool vw_profile_names_vendor(const struct vw_profile *p, const struct vw_vendor *v)
{
	char norm[512];

	for (size_t i = 0; i < p->named.n; i++) {
		vw_normalise_org(p->named.v[i], norm, sizeof(norm));
		if (vw_org_matches(norm, v->id))
			return true;
		for (size_t j = 0; j < v->org_patterns.n; j++)
			if (vw_org_matches(norm, v->org_patterns.v[j]))
				return true;
	}
	return false;
}

static int profile_vendor(struct pol_ctx *c, struct vw_profile *pf, const char *value,
			  const char *file, int line)
{
	const struct vw_subgroup *sub;

	if (!vw_policy_selector(c->pol, value, &sub)) {
		vw_diag_add(c->diag, file, line, "unknown vendor \"%s\"", value);
		return -EINVAL;
	}
	if (vw_strv_contains(&pf->vendors, value)) {
		vw_diag_add(c->diag, file, line, "vendor \"%s\" listed twice", value);
		return -EINVAL;
	}
	return vw_strv_push(&pf->vendors, value);
}

/* Vendors= is the list form of Vendor=; given empty it states that the
 * measure names no vendor, which is different from forgetting Vendor=. */
static int profile_vendors(struct pol_ctx *c, struct vw_profile *pf, const char *value,
			   const char *file, int line)
{
	char *copy, *tok, *save = NULL;
	int r;

	if ((r = set_once(c, K_VENDORS, "Vendors", file, line)) < 0)
		return r;
	copy = strdup(value);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, " \t,", &save); tok && !r; tok = strtok_r(NULL, " \t,", &save))
		r = profile_vendor(c, pf, tok, file, line);
	free(copy);
	if (!r && !pf->vendors.n)
		pf->names_none = true;
	return r;
}

/* Single-valued free-text keys of [Profile]. */
static char **profile_text(struct vw_profile *pf, const char *key, unsigned *bit)
{
	static const struct { const char *key; unsigned bit; size_t off; } keys[] = {
		{ "Name", K_NAME, offsetof(struct vw_profile, name) },
		{ "Source", K_SOURCE, offsetof(struct vw_profile, source) },
		{ "Basis", K_BASIS, offsetof(struct vw_profile, basis) },
		{ "Scope", K_SCOPE, offsetof(struct vw_profile, scope) },
		{ "Note", K_NOTE, offsetof(struct vw_profile, note) },
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!strcmp(key, keys[i].key)) {
			*bit = keys[i].bit;
			return (char **)((char *)pf + keys[i].off);
		}
	}
	return NULL;
}

static int profile_key(struct pol_ctx *c, struct vw_profile *pf, const char *key,
		       const char *value, const char *file, int line)
{
	bool date_only;
	unsigned bit;
	char **text;
	time_t t;
	int r;

	if (!strcmp(key, "Id")) {
		const struct vw_profile *other;

		if ((r = set_once(c, K_ID, key, file, line)) < 0)
			return r;
		if (!valid_id(value))
			goto bad;
		other = vw_policy_profile(c->pol, value);
		if (other) {
			vw_diag_add(c->diag, file, line, "profile id \"%s\" already defined in %s",
				    value, other->file);
			return -EINVAL;
		}
		return vw_set_str(&pf->id, value);
	}
	if ((text = profile_text(pf, key, &bit))) {
		if (!*value)
			goto bad;
		/* inih limits a line to 199 bytes: a long text continues by
		 * repeating its key. Name= is short and says one thing. */
		if (*text && bit != K_NAME)
			return append_str(text, value);
		if ((r = set_once(c, bit, key, file, line)) < 0)
			return r;
		return vw_set_str(text, value);
	}
	if (!strcmp(key, "Date")) {
		if ((r = set_once(c, K_DATE, key, file, line)) < 0)
			return r;
		if (vw_parse_utc(value, &t, &date_only) < 0 || !date_only)
			goto bad;
		return vw_set_str(&pf->date, value);
	}
	if (!strcmp(key, "Url") || !strcmp(key, "Named")) {
		if (!*value || (key[0] == 'U' && strncmp(value, "https://", 8)))
			goto bad;
		return vw_strv_push(key[0] == 'U' ? &pf->urls : &pf->named, value);
	}
	if (!strcmp(key, "Vendor"))
		return profile_vendor(c, pf, value, file, line);
	if (!strcmp(key, "Vendors"))
		return profile_vendors(c, pf, value, file, line);
	vw_diag_add(c->diag, file, line, "unknown key %s= in [Profile]", key);
	return -EINVAL;
bad:
	vw_diag_add(c->diag, file, line, "invalid %s=%s", key, value);
	return -EINVAL;
}

static int key_cb(void *user, const char *section, const char *key, const char *value,
		  const char *file, int line)
{
	struct pol_ctx *c = user;
	int r;

	if (!*section) {
		vw_diag_add(c->diag, file, line, "%s= outside of a section", key);
		return -EINVAL;
	}
	if (!c->in_section)
		return -EINVAL;  /* the section header was already reported */
	if (c->profiles)
		r = profile_key(c, &c->pol->profiles[c->pol->n_profiles - 1], key, value, file, line);
	else
		r = vendor_key(c, &c->pol->vendors[c->pol->n_vendors - 1], key, value, file, line);
	if (r == -ENOMEM)
		vw_diag_add(c->diag, file, line, "out of memory");
	return r;
}

/* A profile either lists vendors or says, with a reason, that it names none;
 * every vendor it lists must be named by one of its Named= texts when it
 * quotes any, so a profile cannot claim more than the words it cites. */
static int check_profile(struct pol_ctx *c, const struct vw_profile *pf, const char *file)
{
	int r = 0;

	if (!pf->vendors.n && !pf->names_none) {
		vw_diag_add(c->diag, file, c->section_line,
			    "[Profile] lists no Vendor= (write an empty Vendors= and a Note= "
			    "when the measure names none)");
		return -EINVAL;
	}
	if (pf->names_none && !pf->note) {
		vw_diag_add(c->diag, file, c->section_line,
			    "[Profile] with an empty Vendors= needs a Note= saying why");
		return -EINVAL;
	}
	for (size_t i = 0; pf->named.n && i < pf->vendors.n; i++) {
		const struct vw_subgroup *sub;
		const struct vw_vendor *v = vw_policy_selector(c->pol, pf->vendors.v[i], &sub);

		if (v && !vw_profile_names_vendor(pf, v)) {
			vw_diag_add(c->diag, file, c->section_line,
				    "vendor \"%s\" is not named by any Named= of the profile", v->id);
			r = -EINVAL;
		}
	}
	return r;
}

/* Reports required keys that a file's section lacks. */
static int check_complete(struct pol_ctx *c, const char *file)
{
	static const struct { unsigned bit; const char *key; bool profile; } req[] = {
		{ K_ID, "Id", false }, { K_NAME, "Name", false }, { K_CODE, "Code", false },
		{ K_ID, "Id", true }, { K_NAME, "Name", true }, { K_SOURCE, "Source", true },
		{ K_DATE, "Date", true },
	};
	const char *sec = c->profiles ? "Profile" : "Vendor";
	int r = 0;

	if (!c->n_sections) {
		vw_diag_add(c->diag, file, 0, "no [%s] section", sec);
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
		if (req[i].profile == c->profiles && !(c->seen & req[i].bit)) {
			vw_diag_add(c->diag, file, c->section_line, "[%s] lacks %s=", sec, req[i].key);
			r = -EINVAL;
		}
	}
	if (!c->profiles && !c->has_match) {
		vw_diag_add(c->diag, file, c->section_line,
			    "[Vendor] needs at least one Organization= or Prefix=");
		r = -EINVAL;
	}
	if (c->profiles && c->pol->n_profiles)
		r = check_profile(c, &c->pol->profiles[c->pol->n_profiles - 1], file) ?: r;
	return r;
}

static int load_dir(struct pol_ctx *c, const char *dir, const char *sub)
{
	static const struct vw_ini_ops ops = { .section = section_cb, .key = key_cb };
	char *path = NULL, **files = NULL;
	int n = 0, r = 0;

	if (asprintf(&path, "%s/%s", dir, sub) < 0) {
		path = NULL;
		r = -ENOMEM;
		goto out;
	}
	n = vw_ini_list_dir(path, &files);
	if (n < 0) {
		r = n;
		n = 0;
		vw_diag_add(c->diag, path, 0, "cannot read directory: %s", strerror(-r));
		goto out;
	}
	if (n == 0) {
		vw_diag_add(c->diag, path, 0, "no *.conf files");
		r = -ENOENT;
		goto out;
	}
	for (int i = 0; i < n; i++) {
		int q;

		c->n_sections = 0;
		c->in_section = false;
		c->seen = 0;
		c->has_match = false;
		q = vw_ini_parse(files[i], &ops, c, c->diag);
		if (q == 0)
			q = check_complete(c, files[i]);
		if (q < 0 && r == 0)
			r = q;
	}
out:
	vw_ini_free_list(files, n);
	free(path);
	return r;
}

int vw_policy_load(struct vw_policy *pol, const char *dir, struct vw_diag *diag)
{
	struct pol_ctx c = { .pol = pol, .diag = diag };
	int r, q;

	*pol = (struct vw_policy){ 0 };
	r = load_dir(&c, dir, "vendors");
	/* Profiles are still checked after bad vendor files so that one run
	 * reports as much as possible. */
	c.profiles = true;
	q = load_dir(&c, dir, "profiles");
	if (r == 0)
		r = q;
	if (r < 0)
		vw_policy_free(pol);
	return r;
}

void vw_policy_free(struct vw_policy *pol)
{
	for (size_t i = 0; i < pol->n_vendors; i++) {
		struct vw_vendor *v = &pol->vendors[i];

		free(v->id);
		free(v->name);
		free(v->file);
		vw_strv_free(&v->org_patterns);
		vw_strv_free(&v->exclude_orgs);
		free(v->prefixes);
		free(v->excludes);
		free(v->enterprises);
		vw_strv_free(&v->affiliates);
		for (size_t j = 0; j < v->n_subgroups; j++) {
			free(v->subgroups[j].id);
			vw_strv_free(&v->subgroups[j].org_patterns);
			free(v->subgroups[j].prefixes);
		}
		free(v->subgroups);
	}
	free(pol->vendors);
	for (size_t i = 0; i < pol->n_profiles; i++) {
		struct vw_profile *p = &pol->profiles[i];

		free(p->id);
		free(p->name);
		free(p->source);
		free(p->date);
		free(p->basis);
		free(p->scope);
		free(p->note);
		free(p->file);
		vw_strv_free(&p->urls);
		vw_strv_free(&p->named);
		vw_strv_free(&p->vendors);
	}
	free(pol->profiles);
	*pol = (struct vw_policy){ 0 };
}

// SPDX-License-Identifier: GPL-2.0-only
/* Builds a complete running state aside so a reload is all or nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "registry_update.h"
#include "state.h"

/* FNV-1a: a stable fingerprint of what is enforced, for VW_POLICY_VERSION. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

#define FNV_BASIS 0xcbf29ce484222325ull

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return s ? fnv(h, s, strlen(s) + 1) : fnv(h, "", 1);
}

static uint64_t fnv_u64(uint64_t h, uint64_t v)
{
	return fnv(h, &v, sizeof(v));
}

static uint64_t hash_prefixes(uint64_t h, const struct vw_ouiset *set)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct vw_ouiset_entry *e = &set->v[i];

		h = fnv_u64(h, e->prefix);
		h = fnv_u64(h, ((uint64_t)e->plen << 32) | ((uint64_t)e->restricted << 16) | e->vendor);
	}
	return h;
}

static uint64_t hash_ident(uint64_t h, const struct vw_fp_ident *id)
{
	h = fnv_str(h, id->id);
	h = fnv_u64(h, ((uint64_t)id->code << 32) | id->explains);
	h = fnv_u64(h, id->is_class);
	for (size_t i = 0; i < id->n_lookalike; i++)
		h = fnv_u64(h, id->lookalike_of[i]);
	return h;
}

static uint64_t hash_rule(uint64_t h, const struct vw_fp_rule *r)
{
	h = fnv_str(h, r->id);
	h = fnv_u64(h, ((uint64_t)r->signal << 32) | ((uint64_t)r->match << 16) | r->level);
	h = fnv_str(h, r->field);
	h = fnv_str(h, r->pattern);
	h = fnv_u64(h, r->num_ok ? r->num : ~0ull);
	h = fnv_u64(h, r->ident);
	for (size_t i = 0; i < r->n_pens; i++) {
		h = fnv_u64(h, r->pens[i].num_ok ? r->pens[i].num : ~0ull);
		h = fnv_str(h, r->pens[i].oid);
	}
	return h;
}

static uint64_t hash_fingerprints(uint64_t h, const struct vw_state *st)
{
	if (st->rules) {
		for (size_t i = 0; i < st->rules->n_idents; i++)
			h = hash_ident(h, &st->rules->idents[i]);
		for (size_t i = 0; i < st->rules->n_rules; i++)
			h = hash_rule(h, &st->rules->rules[i]);
	}
	h = fnv(h, &st->conf.fp_threshold_monitor, sizeof(double));
	return fnv(h, &st->conf.fp_threshold_block, sizeof(double));
}

static uint64_t hash_segments(uint64_t h, const struct vw_state *st, const struct vw_overrides *ops)
{
	for (size_t i = 0; i < st->conf.n_segments; i++) {
		const struct vw_segment_conf *sc = &st->conf.segments[i];
		uint8_t mode = ops ? vw_overrides_effective(ops, sc->name, sc->mode) : sc->mode;

		h = fnv_str(h, sc->name);
		h = fnv_str(h, sc->ifname);
		h = fnv_str(h, sc->quarantine_if);
		h = fnv_u64(h, ((uint64_t)(uint32_t)sc->vlan << 32) | ((uint64_t)mode << 8) | sc->action);
		h = fnv_u64(h, sc->max_new_per_hour);
		h = fnv_u64(h, sc->cap_window_s);
		/* Only when set, so the versions of existing policies stay. */
		if (sc->lookalike_clears)
			h = fnv_str(h, "LookAlikeClears");
	}
	return h;
}

/* One decision on one MAC. Decisions are summed, so their order (which
 * the operator does not control) does not change the version. */
static uint64_t hash_decision(char kind, const uint8_t mac[6], int64_t until)
{
	uint64_t h = fnv(FNV_BASIS, &kind, 1);

	h = fnv(h, mac, 6);
	return fnv_u64(h, (uint64_t)until);
}

static uint64_t hash_decisions(const struct vw_state *st, const struct vw_overrides *ops, time_t now)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < st->conf.n_waivers; i++) {
		const struct vw_waiver_conf *w = &st->conf.waivers[i];

		if (!w->until || w->until > now)
			sum += hash_decision('w', w->mac, w->until);
	}
	for (size_t i = 0; ops && i < ops->n_waivers; i++) {
		const struct vw_mac_decision *w = &ops->waivers[i];

		if (!w->until || w->until > now)
			sum += hash_decision('w', w->mac, w->until);
	}
	for (size_t i = 0; ops && i < ops->n_quarantines; i++)
		sum += hash_decision('q', ops->quarantines[i].mac, 0);
	return sum;
}

void vw_state_version(const struct vw_state *st, const struct vw_overrides *ops, time_t now,
		      char out[VW_STATE_VERSION_LEN])
{
	uint64_t h = hash_prefixes(FNV_BASIS, &st->set);

	for (size_t i = 0; i < st->conf.profiles.n; i++)
		h = fnv_str(h, st->conf.profiles.v[i]);
	h = hash_fingerprints(h, st);
	h = hash_segments(h, st, ops);
	h = fnv_u64(h, hash_decisions(st, ops, now));
	snprintf(out, VW_STATE_VERSION_LEN, "%016llx", (unsigned long long)h);
}

void vw_state_free(struct vw_state *st)
{
	if (!st)
		return;
	vw_fp_rules_free(st->rules);
	vw_ouiset_free(&st->set);
	vw_registry_free(&st->registry);
	free(st->registry_path);
	vw_policy_free(&st->policy);
	vw_config_free(&st->conf);
	free(st);
}

int vw_state_compile_rules(const char *rules_dir, const struct vw_policy *pol, const char *cache)
{
	struct vw_fp_rules *rs = NULL;
	struct vw_diag diag = { 0 };
	int err = vw_fp_rules_load_cache(&rs, rules_dir, pol, cache, 0, &diag);

	vw_fp_rules_free(rs);
	vw_diag_free(&diag);
	return err;
}

/* The rules, with their compiled matcher databases kept in
 * StateDirectory/fp-cache: a reload or restart with unchanged rules reads
 * them back instead of compiling. No cache directory just means
 * compiling every time. */
static int load_rules(struct vw_state *st, const char *rules_dir, bool ro,
		      vw_state_compile_fn *compile_aside, struct vw_diag *diag)
{
	char *cache = NULL;
	int err = -ESTALE;

	if (st->conf.state_dir && asprintf(&cache, "%s/fp-cache", st->conf.state_dir) < 0)
		cache = NULL;
	if (cache && !ro && mkdir(cache, 0700) < 0 && errno != EEXIST) {
		free(cache);
		cache = NULL;
	}
	if (cache && !ro && compile_aside) {
		err = vw_fp_rules_load_cache(&st->rules, rules_dir, &st->policy, cache,
					     VW_FP_CACHE_ONLY, diag);
		if (err == -ESTALE)
			compile_aside(rules_dir, &st->policy, cache);
	}
	if (err == -ESTALE)
		err = vw_fp_rules_load_cache(&st->rules, rules_dir, &st->policy, cache,
					     ro ? VW_FP_CACHE_READONLY : 0, diag);
	free(cache);
	return err;
}

static int build(struct vw_state **out, const char *config_path,
		 const struct vw_state_opts *opts, bool ro, struct vw_diag *diag);

int vw_state_build(struct vw_state **out, const char *config_path, struct vw_diag *diag)
{
	return build(out, config_path, NULL, false, diag);
}

int vw_state_rebuild(struct vw_state **out, const char *config_path,
		     const struct vw_state_opts *opts, struct vw_diag *diag)
{
	return build(out, config_path, opts, false, diag);
}

int vw_state_check(struct vw_state **out, const char *config_path, struct vw_diag *diag)
{
	return build(out, config_path, NULL, true, diag);
}

/* The copies vw_registry_load_best chooses from, as they are now. */
static uint64_t registry_stamp(const struct vw_daemon_conf *conf)
{
	char link[4096] = "";

	if (conf->state_dir)
		snprintf(link, sizeof(link), "%s/%s", conf->state_dir, VW_REGISTRY_LINK);
	return vw_registry_stamp(conf->registry_dir,
				 vw_registry_stamp(conf->state_dir ? link : NULL, FNV_BASIS));
}

/* prev's rows when the files are those it parsed, else the best copy. */
static int load_registry(struct vw_state *st, const struct vw_state *prev, struct vw_diag *diag)
{
	st->registry_stamp = registry_stamp(&st->conf);
	if (prev && prev->registry_stamp == st->registry_stamp && prev->registry_path &&
	    prev->registry.n) {
		st->registry_path = strdup(prev->registry_path);
		if (!st->registry_path || vw_registry_copy(&st->registry, &prev->registry))
			return -ENOMEM;
		return 0;
	}
	/* The updater's copy in StateDirectory, unless ieee-data is newer. */
	return vw_registry_load_best(&st->registry, &st->registry_path, st->conf.state_dir,
				     st->conf.registry_dir, diag);
}

static int build(struct vw_state **out, const char *config_path,
		 const struct vw_state_opts *opts, bool ro, struct vw_diag *diag)
{
	struct vw_state *st = calloc(1, sizeof(*st));
	size_t before = diag->n;
	char rules_dir[4096];
	int err;

	if (!st) {
		if (opts && opts->conf)
			vw_config_free(opts->conf);
		return -ENOMEM;
	}
	if (opts && opts->conf) {
		st->conf = *opts->conf;
		*opts->conf = (struct vw_daemon_conf){ 0 };
		err = 0;
	} else {
		err = vw_config_load(&st->conf, config_path, diag);
	}
	if (err)
		goto fail;
	err = vw_policy_load(&st->policy, st->conf.policy_dir, diag);
	if (err)
		goto fail;
	for (size_t i = 0; i < st->conf.profiles.n; i++) {
		if (!vw_policy_profile(&st->policy, st->conf.profiles.v[i])) {
			vw_diag_add(diag, config_path, 0, "unknown profile '%s'",
				    st->conf.profiles.v[i]);
			err = -ENOENT;
		}
	}
	if (err)
		goto fail;
	snprintf(rules_dir, sizeof(rules_dir), "%s/fingerprints", st->conf.policy_dir);
	err = load_rules(st, rules_dir, ro, opts ? opts->compile_aside : NULL, diag);
	if (err)
		goto fail;
	err = load_registry(st, opts ? opts->prev : NULL, diag);
	if (err)
		goto fail;
	/* Bad registry rows are skipped, not fatal: the IEEE files are
	 * upstream data we cannot fix. Keep them as warnings only. */
	before = diag->n;
	err = vw_ouiset_build(&st->set, &st->registry, &st->policy,
			      (const char *const *)st->conf.profiles.v,
			      st->conf.profiles.n, diag);
	if (err || diag->n > before) {
		err = err ? err : -EINVAL;
		goto fail;
	}
	vw_state_version(st, NULL, time(NULL), st->version);
	*out = st;
	return 0;
fail:
	vw_state_free(st);
	return err;
}

const struct vw_segment_conf *vw_state_segment(const struct vw_state *st, const char *name)
{
	for (size_t i = 0; i < st->conf.n_segments; i++)
		if (!strcmp(st->conf.segments[i].name, name))
			return &st->conf.segments[i];
	return NULL;
}

const char *vw_state_vendor_id(const struct vw_state *st, uint16_t code)
{
	const struct vw_vendor *v = vw_policy_vendor_by_code(&st->policy, code);

	return v ? v->id : "unknown";
}

const char *vw_state_vendor_name(const struct vw_state *st, uint16_t code)
{
	const struct vw_vendor *v = vw_policy_vendor_by_code(&st->policy, code);

	return v && v->name ? v->name : "unknown vendor";
}

/* Appends "sep text" to buf, truncating (an alert field, not a record). */
static void append(char *buf, size_t len, const char *sep, const char *text)
{
	size_t n = strlen(buf);

	if (n < len)
		snprintf(buf + n, len - n, "%s%s", n ? sep : "", text);
}

void vw_state_basis(const struct vw_state *st, uint16_t code, char *profiles, size_t plen,
		    char *basis, size_t blen)
{
	const struct vw_vendor *v = vw_policy_vendor_by_code(&st->policy, code);

	profiles[0] = basis[0] = '\0';
	for (size_t i = 0; v && i < st->conf.profiles.n; i++) {
		const struct vw_profile *p = vw_policy_profile(&st->policy, st->conf.profiles.v[i]);

		if (!p || !vw_profile_selects(p, v->id))
			continue;
		append(profiles, plen, " ", p->id);
		append(basis, blen, "; ", p->id);
		append(basis, blen, ": ", p->basis ? p->basis : p->source);
	}
	if (profiles[0])
		return;
	for (size_t i = 0; i < st->conf.profiles.n; i++)
		append(profiles, plen, " ", st->conf.profiles.v[i]);
}

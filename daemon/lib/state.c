// SPDX-License-Identifier: GPL-2.0-only
/* Builds a complete running state aside so a reload is all or nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static void compute_version(struct vw_state *st)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < st->set.n; i++) {
		const struct vw_ouiset_entry *e = &st->set.v[i];

		h = fnv(h, &e->prefix, sizeof(e->prefix));
		h = fnv(h, &e->plen, sizeof(e->plen));
		h = fnv(h, &e->restricted, sizeof(e->restricted));
		h = fnv(h, &e->vendor, sizeof(e->vendor));
	}
	for (size_t i = 0; i < st->conf.profiles.n; i++)
		h = fnv(h, st->conf.profiles.v[i], strlen(st->conf.profiles.v[i]) + 1);
	snprintf(st->version, sizeof(st->version), "%016llx", (unsigned long long)h);
}

void vw_state_free(struct vw_state *st)
{
	if (!st)
		return;
	vw_fp_rules_free(st->rules);
	vw_ouiset_free(&st->set);
	vw_registry_free(&st->registry);
	vw_policy_free(&st->policy);
	vw_config_free(&st->conf);
	free(st);
}

/* The rules, with their compiled matcher databases kept in
 * StateDirectory/fp-cache: a reload or restart with unchanged rules reads
 * them back instead of compiling. No cache directory just means
 * compiling every time. */
static int load_rules(struct vw_state *st, const char *rules_dir, struct vw_diag *diag)
{
	char *cache = NULL;
	int err;

	if (st->conf.state_dir && asprintf(&cache, "%s/fp-cache", st->conf.state_dir) < 0)
		cache = NULL;
	if (cache && mkdir(cache, 0700) < 0 && errno != EEXIST) {
		free(cache);
		cache = NULL;
	}
	err = vw_fp_rules_load_cached(&st->rules, rules_dir, &st->policy, cache, diag);
	free(cache);
	return err;
}

int vw_state_build(struct vw_state **out, const char *config_path, struct vw_diag *diag)
{
	struct vw_state *st = calloc(1, sizeof(*st));
	size_t before = diag->n;
	char rules_dir[4096];
	int err;

	if (!st)
		return -ENOMEM;
	err = vw_config_load(&st->conf, config_path, diag);
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
	err = load_rules(st, rules_dir, diag);
	if (err)
		goto fail;
	err = vw_registry_load(&st->registry, st->conf.registry_dir, diag);
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
	compute_version(st);
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

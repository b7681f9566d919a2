// SPDX-License-Identifier: GPL-2.0-only
/* Parses vendorwall.conf and its drop-ins into a validated daemon configuration. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "confidence.h"
#include "config.h"
#include "inifile.h"
#include "names.h"
#include "paths.h"
#include "strv.h"
#include "vendorwall.h"
#include "timeparse.h"

#define SEGMENT_NAME_MAX 64

enum sec { SEC_NONE, SEC_DAEMON, SEC_SEGMENT, SEC_WAIVER, SEC_SWITCH, SEC_BAD };

struct cfg_ctx {
	struct vw_daemon_conf *conf;
	struct vw_diag *diag;
	enum sec sec;
	size_t idx;               /* current segment or waiver */
	const char *section;
	/* Sections opened in the current file: a repeat within one file is a
	 * mistake, a repeat in a later drop-in is an override. */
	struct vw_strv seen;
};

static const char *const action_names[] = {
	[VW_ACTION_DROP] = "drop", [VW_ACTION_REDIRECT] = "redirect",
};
static const char *const on_stop_names[] = {
	[VW_ON_STOP_KEEP] = "keep", [VW_ON_STOP_DETACH] = "detach",
};
static const char *const yes_no_names[] = { "no", "yes" };

static int name_lookup(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return (int)i;
	return -EINVAL;
}

/* AlertInterval=: a time span > 0 that fits the data plane's 32-bit seconds. */
static int parse_interval(const char *s, uint32_t *out)
{
	int64_t secs;
	int r = vw_parse_timespan(s, &secs);

	if (r < 0)
		return r;
	if (secs == 0)
		return -EINVAL;
	if (secs > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)secs;
	return 0;
}

/* The kernel's dev_valid_name(). */
static bool valid_ifname(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IF_NAMESIZE || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || *s == ' ' || *s == '\t' || *s == '\n')
			return false;
	return true;
}

static bool valid_profile_name(const char *s)
{
	if (!*s || strlen(s) > 32)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

static int bad(struct cfg_ctx *c, const char *file, int line, const char *key,
	       const char *value, const char *hint)
{
	vw_diag_add(c->diag, file, line, "invalid %s=%s (%s)", key, value, hint);
	return -EINVAL;
}

static int section_seen(struct cfg_ctx *c, const char *section, const char *file, int line)
{
	if (vw_strv_contains(&c->seen, section)) {
		vw_diag_add(c->diag, file, line, "section [%s] appears twice in this file", section);
		return -EINVAL;
	}
	return vw_strv_push(&c->seen, section);
}

static int open_segment(struct cfg_ctx *c, const char *name, const char *file, int line)
{
	struct vw_daemon_conf *conf = c->conf;
	struct vw_segment_conf *v, *s;

	for (size_t i = 0; i < conf->n_segments; i++) {
		if (!strcmp(conf->segments[i].name, name)) {
			c->idx = i;
			return 0;
		}
	}
	v = realloc(conf->segments, (conf->n_segments + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	conf->segments = v;
	s = &v[conf->n_segments];
	*s = (struct vw_segment_conf){
		.vlan = -1, .mode = VW_MODE_MONITOR, .action = VW_ACTION_DROP,
		.on_stop = VW_ON_STOP_KEEP, .line = line, .disable_vlan_offload = true,
		.name = strdup(name), .file = strdup(file),
	};
	c->idx = conf->n_segments++;
	return s->name && s->file ? 0 : -ENOMEM;
}

static int open_waiver(struct cfg_ctx *c, const uint8_t mac[6], const char *file, int line)
{
	struct vw_daemon_conf *conf = c->conf;
	struct vw_waiver_conf *v, *w;

	for (size_t i = 0; i < conf->n_waivers; i++) {
		if (!memcmp(conf->waivers[i].mac, mac, 6)) {
			c->idx = i;
			return 0;
		}
	}
	v = realloc(conf->waivers, (conf->n_waivers + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	conf->waivers = v;
	w = &v[conf->n_waivers];
	*w = (struct vw_waiver_conf){ .line = line, .file = strdup(file) };
	memcpy(w->mac, mac, 6);
	c->idx = conf->n_waivers++;
	return w->file ? 0 : -ENOMEM;
}

static int section_cb(void *user, const char *section, const char *file, int line)
{
	struct cfg_ctx *c = user;
	uint8_t mac[6];
	int r;

	c->sec = SEC_BAD;
	c->section = section;
	if (!strcmp(section, "Daemon")) {
		c->sec = SEC_DAEMON;
		return 0;
	}
	if (!strncmp(section, "Segment ", 8)) {
		const char *name = section + 8;

		if (!vw_valid_section_name(name, SEGMENT_NAME_MAX)) {
			vw_diag_add(c->diag, file, line,
				    "invalid segment name \"%s\" (1-%d of A-Z a-z 0-9 - _ .)",
				    name, SEGMENT_NAME_MAX);
			return -EINVAL;
		}
		if ((r = section_seen(c, section, file, line)) < 0 ||
		    (r = open_segment(c, name, file, line)) < 0)
			return r;
		c->sec = SEC_SEGMENT;
		return 0;
	}
	if (!strncmp(section, "Waiver ", 7)) {
		char key[32];

		if (vw_parse_mac(section + 7, mac) < 0) {
			vw_diag_add(c->diag, file, line, "invalid MAC address in [%s]", section);
			return -EINVAL;
		}
		if (VW_MAC_IS_MULTICAST(mac[0])) {
			vw_diag_add(c->diag, file, line, "[%s]: multicast address cannot be waived",
				    section);
			return -EINVAL;
		}
		/* Keyed by value so that the three notations of one MAC collide. */
		snprintf(key, sizeof(key), "Waiver %02x:%02x:%02x:%02x:%02x:%02x",
			 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
		if ((r = section_seen(c, key, file, line)) < 0 ||
		    (r = open_waiver(c, mac, file, line)) < 0)
			return r;
		c->sec = SEC_WAIVER;
		return 0;
	}
	if (!strncmp(section, "Switch ", 7)) {
		if ((r = vw_switchconf_open(&c->conf->switches, &c->conf->n_switches, section + 7,
					    file, line, &c->idx, c->diag)) < 0 ||
		    (r = section_seen(c, section, file, line)) < 0)
			return r;
		c->sec = SEC_SWITCH;
		return 0;
	}
	vw_diag_add(c->diag, file, line, "unknown section [%s]", section);
	return -EINVAL;
}

static int profile_key(struct cfg_ctx *c, const char *value, const char *file, int line)
{
	char *copy, *tok, *save = NULL;
	int r = 0;

	/* An empty assignment resets the list, so a drop-in can replace it. */
	if (!*value) {
		vw_strv_free(&c->conf->profiles);
		return 0;
	}
	copy = strdup(value);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (!valid_profile_name(tok)) {
			r = bad(c, file, line, "Profile", tok, "profile names are a-z 0-9 -");
			continue;
		}
		if (!vw_strv_contains(&c->conf->profiles, tok) &&
		    vw_strv_push(&c->conf->profiles, tok) < 0) {
			r = -ENOMEM;
			break;
		}
	}
	free(copy);
	return r;
}

/* The bounds of fingerprint verdicts: 0 or -EINVAL when key was one of
 * them, 1 when it was not. */
static int fp_verdict_key(struct cfg_ctx *c, const char *key, const char *value,
			  const char *file, int line)
{
	struct vw_daemon_conf *conf = c->conf;

	if (!strcmp(key, "MaxFingerprintVerdicts")) {
		char hint[128];
		uint32_t n;

		snprintf(hint, sizeof(hint), "expected 1..%u (the data plane keeps the rest for operator decisions)",
			 VW_MAX_FP_VERDICTS);
		if (vw_parse_u32(value, &n) < 0 || n == 0 || n > VW_MAX_FP_VERDICTS)
			return bad(c, file, line, key, value, hint);
		conf->fp_max_verdicts = n;
		return 0;
	}
	if (!strcmp(key, "FingerprintVerdictMaxAge")) {
		if (parse_interval(value, &conf->fp_verdict_max_age_s) < 0)
			return bad(c, file, line, key, value, "expected a time span > 0, e.g. 7d");
		return 0;
	}
	return 1;
}

static int daemon_key(struct cfg_ctx *c, const char *key, const char *value,
		      const char *file, int line)
{
	static const char *const dirs[] = {
		"PolicyDirectory", "RegistryDirectory", "StateDirectory",
		"RuntimeDirectory", "BpfRoot",
	};
	struct vw_daemon_conf *conf = c->conf;
	uint32_t *span;
	int r;
	char **dir_fields[] = {
		&conf->policy_dir, &conf->registry_dir, &conf->state_dir,
		&conf->runtime_dir, &conf->bpf_root,
	};

	if (!strcmp(key, "Profile"))
		return profile_key(c, value, file, line);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (strcmp(key, dirs[i]))
			continue;
		if (value[0] != '/')
			return bad(c, file, line, key, value, "expected an absolute path");
		return vw_set_str(dir_fields[i], value);
	}
	span = !strcmp(key, "AlertInterval") ? &conf->alert_interval_s :
	       !strcmp(key, "IpVerdictMaxAge") ? &conf->ip_verdict_max_age_s :
	       !strcmp(key, "CapBlockedMaxAge") ? &conf->cap_blocked_max_age_s : NULL;
	if (span)
		return parse_interval(value, span) < 0 ?
		       bad(c, file, line, key, value, "expected a time span > 0 (90, 90s, 2min, 1h, 1d)") : 0;
	if (!strcmp(key, "RouterLearnThreshold")) {
		uint32_t n;

		if (vw_parse_u32(value, &n) < 0 || n == 1 || n > VW_ROUTER_LEARN_MAX)
			return bad(c, file, line, key, value,
				   "expected 0 (never learn) or 2..64 addresses behind one MAC");
		conf->router_learn_threshold = n;
		return 0;
	}
	if (!strcmp(key, "RegistryMaxAge")) {
		if (vw_parse_u32(value, &conf->registry_max_age_days) < 0)
			return bad(c, file, line, key, value, "expected a number of days");
		return 0;
	}
	if (!strcmp(key, "InventoryMaxDevices")) {
		uint32_t n;

		if (vw_parse_u32(value, &n) < 0 || n == 0)
			return bad(c, file, line, key, value, "expected a number > 0");
		conf->inventory_max_devices = n;
		return 0;
	}
	r = fp_verdict_key(c, key, value, file, line);
	if (r <= 0)
		return r;
	if (!strcmp(key, "FingerprintMonitorThreshold") ||
	    !strcmp(key, "FingerprintBlockThreshold")) {
		char *end = NULL;
		double v = strtod(value, &end);

		if (!*value || !end || *end || !(v > 0.0 && v <= 1.0))
			return bad(c, file, line, key, value,
				   "expected a combined confidence in (0, 1], e.g. 0.9 for one high-confidence signal");
		if (key[11] == 'M')
			conf->fp_threshold_monitor = v;
		else
			conf->fp_threshold_block = v;
		return 0;
	}
	if (!strcmp(key, "ControlGroup")) {
		if (!*value || strchr(value, '/') || strlen(value) > 32)
			return bad(c, file, line, key, value, "expected a group name");
		return vw_set_str(&conf->control_group, value);
	}
	vw_diag_add(c->diag, file, line, "unknown key %s= in [Daemon]", key);
	return -EINVAL;
}

/* Router= is repeatable; an empty assignment resets the list (drop-ins). */
static int router_key(struct cfg_ctx *c, struct vw_segment_conf *s, const char *value,
		      const char *file, int line)
{
	uint8_t mac[6], (*v)[6];

	if (!*value) {
		free(s->routers);
		s->routers = NULL;
		s->n_routers = 0;
		return 0;
	}
	if (vw_parse_mac(value, mac) < 0 || VW_MAC_IS_MULTICAST(mac[0]))
		return bad(c, file, line, "Router", value, "expected a unicast MAC address");
	for (size_t i = 0; i < s->n_routers; i++)
		if (!memcmp(s->routers[i], mac, 6))
			return 0;
	v = realloc(s->routers, (s->n_routers + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memcpy(v[s->n_routers], mac, 6);
	s->routers = v;
	s->n_routers++;
	return 0;
}

static int segment_key(struct cfg_ctx *c, const char *key, const char *value,
		       const char *file, int line)
{
	struct vw_segment_conf *s = &c->conf->segments[c->idx];
	uint32_t u;
	int v;

	if (!strcmp(key, "Interface") || !strcmp(key, "QuarantineInterface")) {
		char *dst = key[0] == 'I' ? s->ifname : s->quarantine_if;

		/* Only the quarantine interface may be cleared by a drop-in. */
		if (!valid_ifname(value) && !(key[0] == 'Q' && !*value))
			return bad(c, file, line, key, value, "not a valid interface name");
		snprintf(dst, IF_NAMESIZE, "%s", value);
		return 0;
	}
	if (!strcmp(key, "VLAN")) {
		if (!*value) {
			s->vlan = -1;
			return 0;
		}
		if (vw_parse_u32(value, &u) < 0 || u < 1 || u > 4094)
			return bad(c, file, line, key, value, "expected 1..4094");
		s->vlan = (int)u;
		return 0;
	}
	if (!strcmp(key, "Mode")) {
		if ((v = vw_mode_from_name(value)) < 0) {
			char hint[80] = "expected one of ";
			size_t n = strlen(hint);

			vw_names_join(hint + n, sizeof(hint) - n, vw_mode_names, VW_N_MODES, ", ");
			return bad(c, file, line, key, value, hint);
		}
		s->mode = v;
		return 0;
	}
	if (!strcmp(key, "Action")) {
		if ((v = name_lookup(action_names, 2, value)) < 0)
			return bad(c, file, line, key, value, "expected drop or redirect");
		s->action = v;
		return 0;
	}
	if (!strcmp(key, "OnStop")) {
		if ((v = name_lookup(on_stop_names, 2, value)) < 0)
			return bad(c, file, line, key, value, "expected keep or detach");
		s->on_stop = v;
		return 0;
	}
	if (!strcmp(key, "Router"))
		return router_key(c, s, value, file, line);
	if (!strcmp(key, "DisableVlanOffload")) {
		static const char *const yes_no[] = { "no", "yes" };

		if ((v = name_lookup(yes_no, 2, value)) < 0)
			return bad(c, file, line, key, value, "expected yes or no");
		s->disable_vlan_offload = v;
		return 0;
	}
	if (!strcmp(key, "MaxNewQuarantinesPerHour")) {
		if (vw_parse_u32(value, &u) < 0)
			return bad(c, file, line, key, value, "expected a number, 0 = unlimited");
		s->max_new_per_hour = u;
		return 0;
	}
	if (!strcmp(key, "QuarantineCapWindow")) {
		if (parse_interval(value, &s->cap_window_s) < 0)
			return bad(c, file, line, key, value,
				   "expected a time span > 0 (90, 90s, 2min, 1h)");
		return 0;
	}
	if (!strcmp(key, "LookAlikeClears")) {
		if ((v = name_lookup(yes_no_names, 2, value)) < 0)
			return bad(c, file, line, key, value, "expected no or yes");
		s->lookalike_clears = v;
		return 0;
	}
	vw_diag_add(c->diag, file, line, "unknown key %s= in [%s]", key, c->section);
	return -EINVAL;
}

static int waiver_key(struct cfg_ctx *c, const char *key, const char *value,
		      const char *file, int line)
{
	struct vw_waiver_conf *w = &c->conf->waivers[c->idx];
	bool date_only;
	time_t t;

	if (!strcmp(key, "Until")) {
		if (!*value) {
			w->until = 0;
			return 0;
		}
		if (vw_parse_utc(value, &t, &date_only) < 0)
			return bad(c, file, line, key, value,
				   "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC");
		/* A bare date means "through that day": expire at the next midnight. */
		w->until = date_only ? t + 86400 : t;
		return 0;
	}
	if (!strcmp(key, "Reason")) {
		if (!*value)
			return bad(c, file, line, key, value, "must not be empty");
		return vw_set_str(&w->reason, value);
	}
	if (!strcmp(key, "Ticket"))
		return vw_set_str(&w->ticket, value);
	vw_diag_add(c->diag, file, line, "unknown key %s= in [%s]", key, c->section);
	return -EINVAL;
}

static int key_cb(void *user, const char *section, const char *key, const char *value,
		  const char *file, int line)
{
	struct cfg_ctx *c = user;
	int r;

	switch (c->sec) {
	case SEC_NONE:
		vw_diag_add(c->diag, file, line, "%s= outside of a section", key);
		return -EINVAL;
	case SEC_BAD:
		return -EINVAL;   /* the section header was already reported */
	case SEC_DAEMON:
		r = daemon_key(c, key, value, file, line);
		break;
	case SEC_SEGMENT:
		r = segment_key(c, key, value, file, line);
		break;
	case SEC_SWITCH:
		r = vw_switchconf_key(&c->conf->switches[c->idx], key, value, file, line, c->diag);
		break;
	case SEC_WAIVER:
	default:
		r = waiver_key(c, key, value, file, line);
		break;
	}
	if (r == -ENOMEM)
		vw_diag_add(c->diag, file, line, "out of memory");
	return r;
}

static int parse_file(struct cfg_ctx *c, const char *path)
{
	static const struct vw_ini_ops ops = { .section = section_cb, .key = key_cb };

	c->sec = SEC_NONE;
	vw_strv_free(&c->seen);
	return vw_ini_parse(path, &ops, c, c->diag);
}

/* Checks what only the merged result of all files can tell. */
static int validate(struct vw_daemon_conf *conf, struct vw_diag *diag)
{
	int r = 0;

	for (size_t i = 0; i < conf->n_segments; i++) {
		struct vw_segment_conf *s = &conf->segments[i];

		if (!s->ifname[0]) {
			vw_diag_add(diag, s->file, s->line, "[Segment %s] lacks Interface=", s->name);
			r = -EINVAL;
			continue;
		}
		if (s->action == VW_ACTION_REDIRECT && !s->quarantine_if[0]) {
			vw_diag_add(diag, s->file, s->line,
				    "[Segment %s] has Action=redirect but no QuarantineInterface=",
				    s->name);
			r = -EINVAL;
		}
		if (s->action != VW_ACTION_REDIRECT && s->quarantine_if[0]) {
			vw_diag_add(diag, s->file, s->line,
				    "[Segment %s] has QuarantineInterface= but Action=%s",
				    s->name, action_names[s->action]);
			r = -EINVAL;
		}
		for (size_t j = 0; j < i; j++) {
			struct vw_segment_conf *o = &conf->segments[j];

			if (o->vlan != s->vlan || strcmp(o->ifname, s->ifname))
				continue;
			if (s->vlan < 0)
				vw_diag_add(diag, s->file, s->line,
					    "[Segment %s] uses interface %s like [Segment %s] at %s:%d",
					    s->name, s->ifname, o->name, o->file, o->line);
			else
				vw_diag_add(diag, s->file, s->line,
					    "[Segment %s] uses interface %s VLAN %d like [Segment %s] at %s:%d",
					    s->name, s->ifname, s->vlan, o->name, o->file, o->line);
			r = -EINVAL;
			break;
		}
	}
	for (size_t i = 0; i < conf->n_waivers; i++) {
		struct vw_waiver_conf *w = &conf->waivers[i];

		if (!w->reason) {
			vw_diag_add(diag, w->file, w->line,
				    "[Waiver %02x:%02x:%02x:%02x:%02x:%02x] lacks Reason=",
				    w->mac[0], w->mac[1], w->mac[2], w->mac[3], w->mac[4], w->mac[5]);
			r = -EINVAL;
		}
	}
	for (size_t i = 0; i < conf->n_switches; i++)
		if (vw_switchconf_validate(&conf->switches[i], diag) < 0)
			r = -EINVAL;
	/* Configured waivers share the room kept for operator decisions. */
	if (conf->n_waivers > VW_MAX_DECISIONS) {
		struct vw_waiver_conf *w = &conf->waivers[VW_MAX_DECISIONS];

		vw_diag_add(diag, w->file, w->line,
			    "more than %u [Waiver] sections (waivers and quarantines share that room)",
			    VW_MAX_DECISIONS);
		r = -EINVAL;
	}
	return r;
}

int vw_config_load(struct vw_daemon_conf *conf, const char *path, struct vw_diag *diag)
{
	struct cfg_ctx c = { .conf = conf, .diag = diag };
	char *dropin_dir = NULL, **dropins = NULL;
	char policy_dir[PATH_MAX];
	int n = 0, r, q;

	r = vw_policy_dir_default(policy_dir, sizeof(policy_dir));
	if (r)
		return r;
	*conf = (struct vw_daemon_conf){
		.alert_interval_s = 3600,
		.registry_max_age_days = 365,
		.inventory_max_devices = 100000,
		.ip_verdict_max_age_s = 86400,
		.cap_blocked_max_age_s = 86400,
		.router_learn_threshold = 8,
		.fp_threshold_monitor = VW_CONF_HIGH,
		.fp_threshold_block = VW_CONF_HIGH,
		.fp_max_verdicts = VW_MAX_FP_VERDICTS,
		.fp_verdict_max_age_s = 7 * 86400,
		.control_group = strdup("vendorwall"),
		.policy_dir = strdup(policy_dir),
		.registry_dir = strdup("/usr/share/ieee-data"),
		.state_dir = strdup("/var/lib/vendorwall"),
		.runtime_dir = strdup("/run/vendorwall"),
		.bpf_root = strdup(VW_DEFAULT_BPF_ROOT),
	};
	if (!conf->policy_dir || !conf->registry_dir || !conf->state_dir || !conf->control_group ||
	    !conf->runtime_dir || !conf->bpf_root || asprintf(&dropin_dir, "%s.d", path) < 0) {
		dropin_dir = NULL;
		r = -ENOMEM;
		goto out;
	}

	r = parse_file(&c, path);
	if (r < 0 && r != -EINVAL)
		goto out;

	n = vw_ini_list_dir(dropin_dir, &dropins);
	if (n < 0) {
		if (n != -ENOENT) {
			vw_diag_add(diag, dropin_dir, 0, "cannot read directory: %s", strerror(-n));
			r = n;
		}
		n = 0;
	}
	for (int i = 0; i < n; i++) {
		q = parse_file(&c, dropins[i]);
		if (q < 0 && r == 0)
			r = q;
	}
	q = validate(conf, diag);
	if (q < 0 && r == 0)
		r = q;
out:
	vw_strv_free(&c.seen);
	vw_ini_free_list(dropins, n);
	free(dropin_dir);
	if (r < 0)
		vw_config_free(conf);
	return r;
}

void vw_config_free(struct vw_daemon_conf *conf)
{
	vw_strv_free(&conf->profiles);
	free(conf->policy_dir);
	free(conf->registry_dir);
	free(conf->state_dir);
	free(conf->runtime_dir);
	free(conf->bpf_root);
	free(conf->control_group);
	for (size_t i = 0; i < conf->n_segments; i++) {
		free(conf->segments[i].name);
		free(conf->segments[i].file);
		free(conf->segments[i].routers);
	}
	free(conf->segments);
	for (size_t i = 0; i < conf->n_waivers; i++) {
		free(conf->waivers[i].reason);
		free(conf->waivers[i].ticket);
		free(conf->waivers[i].file);
	}
	free(conf->waivers);
	vw_switchconf_free(conf->switches, conf->n_switches);
	*conf = (struct vw_daemon_conf){ 0 };
}

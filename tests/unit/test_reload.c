// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reload and operator changes are all or nothing (a failure injected after
 * every commit step leaves the maps, the modes and the policy version
 * exactly as they were), the policy version covers everything enforced,
 * and degraded entries clear. The rollback tests run the real manager
 * against the real data plane in a private mount and network namespace
 * with its own bpffs and veth interfaces.
 */
#include "unit.h"
#include <sched.h>
#include <sys/mount.h>
#include <time.h>

#include "commit.h"
#include "decisions.h"
#include "degraded.h"
#include "manager.h"
#include "plan.h"
#include "reload.h"
#include "state.h"

/* ---- degraded set ------------------------------------------------------ */

static void test_degraded_set_and_clear(void **unused)
{
	struct vwd_degraded s = {0};
	char key[32];

	assert_int_equal(vwd_degraded_set(&s, "generic-xdp:eth1", "slow"), 1);
	assert_int_equal(vwd_degraded_set(&s, "stale-registry", "old"), 1);
	/* The same key again updates, it does not add. */
	assert_int_equal(vwd_degraded_set(&s, "generic-xdp:eth1", "slower"), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(vwd_degraded_get(&s, "generic-xdp:eth1")->detail, "slower");
	assert_int_equal(vwd_degraded_clear(&s, "generic-xdp:eth1"), 1);
	assert_null(vwd_degraded_get(&s, "generic-xdp:eth1"));
	assert_int_equal(vwd_degraded_clear(&s, "generic-xdp:eth1"), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.v[0].key, "stale-registry");
	/* No silent limit: the old list stopped at 16. */
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "ringbuf-loss:seg%d", i);
		assert_int_equal(vwd_degraded_set(&s, key, "lost"), 1);
	}
	assert_int_equal(s.n, 1001);
	assert_non_null(vwd_degraded_get(&s, "ringbuf-loss:seg999"));
	vwd_degraded_free(&s);
}

/* ---- configurations ---------------------------------------------------- */

struct env {
	char *dir;        /* scratch: configs, state, runtime, policy copy */
	char *bpffs;      /* private bpffs mount (rollback tests) */
	char policy[512];
};

static char *conf_path(struct env *e, const char *name)
{
	char *p = NULL;

	assert_true(asprintf(&p, "%s/%s", e->dir, name) > 0);
	return p;
}

/* Writes a configuration named name from a [Daemon] tail and sections. */
static char *write_conf(struct env *e, const char *name, const char *daemon_extra,
			const char *sections)
{
	char *text = NULL, *path;

	assert_true(asprintf(&text,
			     "[Daemon]\nPolicyDirectory=%s\nRegistryDirectory=%s\n"
			     "StateDirectory=%s/state\nRuntimeDirectory=%s/run\nBpfRoot=%s/vw\n%s\n%s",
			     e->policy, ieee_dir(), e->dir, e->dir, e->bpffs ? e->bpffs : e->dir,
			     daemon_extra, sections) > 0);
	free(write_file(e->dir, name, text));
	free(text);
	path = conf_path(e, name);
	return path;
}

static void sh(const char *cmd)
{
	int r = system(cmd);

	if (r != 0)
		print_error("command failed (%d): %s\n", r, cmd);
	assert_int_equal(r, 0);
}

static int env_setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	char *cmd = NULL;

	e->dir = tmpdir_new();
	snprintf(e->policy, sizeof(e->policy), "%s/policy", e->dir);
	assert_true(asprintf(&cmd, "cp -r '%s/policy' '%s/policy'", src_dir(), e->dir) > 0);
	sh(cmd);
	free(cmd);
	*state = e;
	return 0;
}

static int env_teardown(void **state)
{
	struct env *e = *state;

	rm_rf(e->dir);
	free(e);
	return 0;
}

/* ---- policy version ---------------------------------------------------- */

#define SEGMENTS "[Segment lan]\nInterface=eth0\nMode=monitor\n"
#define WAIVER "[Waiver 00:e0:fc:00:00:01]\nReason=PBX\nUntil=2099-01-01\n"

static void version_of(struct env *e, const char *daemon_extra, const char *sections,
		       const struct vw_overrides *ops, time_t now, char out[VW_STATE_VERSION_LEN])
{
	struct vw_diag diag = {0};
	struct vw_state *st = NULL;
	char *path = write_conf(e, "version.conf", daemon_extra, sections);

	assert_int_equal(vw_state_build(&st, path, &diag), 0);
	assert_diag_empty(&diag);
	vw_state_version(st, ops, now, out);
	vw_state_free(st);
	vw_diag_free(&diag);
	free(path);
}

static void put_waiver(struct vw_overrides *o, uint8_t last, int64_t until)
{
	struct vw_mac_decision w = { .mac = { 0x00, 0xe0, 0xfc, 0, 0, last }, .until = until };
	char reason[] = "test";

	w.reason = reason;
	assert_int_equal(vw_overrides_put(&o->waivers, &o->n_waivers, &w), 0);
}

static void put_quarantine(struct vw_overrides *o, uint8_t last)
{
	struct vw_mac_decision q = { .mac = { 0x02, 0, 0, 0, 0, last } };
	char reason[] = "test";

	q.reason = reason;
	assert_int_equal(vw_overrides_put(&o->quarantines, &o->n_quarantines, &q), 0);
}

/* Every input of enforcement, changed alone, gives a new version; the
 * same inputs (in any order) give the same one. */
static void test_version_covers_everything(void **state)
{
	struct env *e = *state;
	const char *base = "Profile=us-ndaa-889\n";
	time_t now = 2000000000;
	char v0[17], v[17], seen[16][17];
	size_t n_seen = 0;
	struct vw_overrides ops = {0}, ops2 = {0}, ops3 = {0};

#define DIFFERS(what) do {						\
		for (size_t i_ = 0; i_ < n_seen; i_++)			\
			if (!strcmp(seen[i_], v))			\
				fail_msg("%s: version %s seen before", what, v); \
		memcpy(seen[n_seen++], v, 17);				\
	} while (0)

	version_of(e, base, SEGMENTS WAIVER, NULL, now, v0);
	version_of(e, base, SEGMENTS WAIVER, NULL, now, v);
	assert_string_equal(v0, v);
	memcpy(seen[n_seen++], v0, 17);
	/* Prefixes and profiles. */
	version_of(e, "Profile=uk-telecoms-2020\n", SEGMENTS WAIVER, NULL, now, v);
	DIFFERS("profile");
	/* Fingerprint thresholds and rules. */
	version_of(e, "Profile=us-ndaa-889\nFingerprintBlockThreshold=0.95\n", SEGMENTS WAIVER, NULL, now, v);
	DIFFERS("block threshold");
	version_of(e, "Profile=us-ndaa-889\nFingerprintMonitorThreshold=0.5\n", SEGMENTS WAIVER, NULL, now, v);
	DIFFERS("monitor threshold");
	{
		char *cmd = NULL;

		assert_true(asprintf(&cmd, "sed -i '0,/Confidence=high/s//Confidence=low/' '%s/fingerprints/zte.conf'",
				     e->policy) > 0);
		sh(cmd);
		free(cmd);
	}
	version_of(e, base, SEGMENTS WAIVER, NULL, now, v);
	DIFFERS("fingerprint rule");
	/* Segments: mode, interface, cap, VLAN. */
	version_of(e, base, "[Segment lan]\nInterface=eth0\nMode=block\n" WAIVER, NULL, now, v);
	DIFFERS("segment mode");
	version_of(e, base, "[Segment lan]\nInterface=eth1\nMode=monitor\n" WAIVER, NULL, now, v);
	DIFFERS("segment interface");
	version_of(e, base, SEGMENTS "MaxNewQuarantinesPerHour=3\n" WAIVER, NULL, now, v);
	DIFFERS("quarantine cap");
	version_of(e, base, SEGMENTS "[Segment voice]\nInterface=eth0\nVLAN=100\nMode=monitor\n" WAIVER,
		   NULL, now, v);
	DIFFERS("VLAN segment");
	/* Configuration waivers: none, and an expired one is none as well. */
	version_of(e, base, SEGMENTS, NULL, now, v);
	DIFFERS("configuration waiver");
	{
		char none[17];

		memcpy(none, v, 17);
		version_of(e, base, SEGMENTS "[Waiver 00:e0:fc:00:00:01]\nReason=PBX\nUntil=2001-01-01\n",
			   NULL, now, v);
		assert_string_equal(v, none);
	}
	/* Operator decisions: mode override, waivers, quarantines. (The
	 * override is "off": an override to block enforces exactly what
	 * Mode=block in the file does, and shares its version rightly.) */
	version_of(e, base, SEGMENTS WAIVER, NULL, now, v0);
	version_of(e, base, SEGMENTS WAIVER, &ops, now, v);
	assert_string_equal(v, v0);   /* no decisions is NULL */
	assert_int_equal(vw_overrides_set(&ops, "lan", VW_MODE_OFF, VW_MODE_MONITOR, now, 0), 0);
	version_of(e, base, SEGMENTS WAIVER, &ops, now, v);
	DIFFERS("operator mode");
	put_waiver(&ops, 7, now + 3600);
	version_of(e, base, SEGMENTS WAIVER, &ops, now, v);
	DIFFERS("operator waiver");
	put_quarantine(&ops, 9);
	version_of(e, base, SEGMENTS WAIVER, &ops, now, v);
	DIFFERS("quarantine");
	/* The same decisions made in another order: the same version. */
	assert_int_equal(vw_overrides_set(&ops2, "lan", VW_MODE_OFF, VW_MODE_MONITOR, now, 0), 0);
	put_quarantine(&ops2, 9);
	put_waiver(&ops2, 7, now + 3600);
	version_of(e, base, SEGMENTS WAIVER, &ops2, now, v0);
	assert_string_equal(v0, seen[n_seen - 1]);
	/* An operator waiver that has expired is not enforced. */
	version_of(e, base, SEGMENTS WAIVER, &ops2, now + 7200, v);
	assert_int_equal(vw_overrides_set(&ops3, "lan", VW_MODE_OFF, VW_MODE_MONITOR, now, 0), 0);
	put_quarantine(&ops3, 9);
	version_of(e, base, SEGMENTS WAIVER, &ops3, now + 7200, v0);
	assert_string_equal(v, v0);
	vw_overrides_free(&ops);
	vw_overrides_free(&ops2);
	vw_overrides_free(&ops3);
#undef DIFFERS
}

/* ---- the plan's decisions ------------------------------------------------ */

/* Each MAC once, its first decision (a configured waiver before an
 * operator's), in their order; expired ones left out; the lookups find
 * exactly the MACs planned. */
static void test_plan_decisions(void **state)
{
	static const uint8_t conf_mac[6] = { 0x00, 0xe0, 0xfc, 0, 0, 0x01 };
	static const uint8_t op_mac[6] = { 0x00, 0xe0, 0xfc, 0, 0, 0x07 };
	static const uint8_t gone_mac[6] = { 0x00, 0xe0, 0xfc, 0, 0, 0x09 };
	static const uint8_t q_mac[6] = { 0x02, 0, 0, 0, 0, 42 };
	struct env *e = *state;
	time_t now = 2000000000;
	char *path = write_conf(e, "plan.conf", "Profile=us-ndaa-889\n", SEGMENTS
				"[Waiver 00:e0:fc:00:00:01]\nReason=PBX\n");
	struct vw_overrides ops = {0};
	struct vw_diag diag = {0};
	struct vw_state *st = NULL;
	struct vwd_plan *p = NULL;

	assert_int_equal(vw_state_build(&st, path, &diag), 0);
	put_waiver(&ops, 0x07, 0);
	put_waiver(&ops, 0x01, now + 60);      /* the configured one comes first */
	put_waiver(&ops, 0x09, now - 1);       /* expired */
	for (uint8_t i = 100; i < 200; i++)
		put_waiver(&ops, i, 0);
	put_quarantine(&ops, 42);
	assert_int_equal(vwd_plan_build(&p, st, &ops, NULL, now), 0);
	assert_int_equal(p->n_waivers, 102);
	assert_memory_equal(p->waivers[0].mac, conf_mac, 6);
	assert_false(p->waivers[0].operator);
	assert_int_equal(p->waivers[0].until, 0);
	assert_memory_equal(p->waivers[1].mac, op_mac, 6);
	assert_true(p->waivers[1].operator);
	assert_int_equal(p->waivers[2].mac[5], 100);
	assert_int_equal(p->waivers[101].mac[5], 199);
	assert_true(vwd_plan_waived(p, conf_mac));
	assert_true(vwd_plan_waived(p, op_mac));
	assert_false(vwd_plan_waived(p, gone_mac));
	assert_false(vwd_plan_waived(p, q_mac));
	for (uint8_t i = 100; i < 200; i++)
		assert_true(vwd_plan_waived(p, (uint8_t[6]){ 0x00, 0xe0, 0xfc, 0, 0, i }));
	assert_int_equal(p->n_quarantined, 1);
	assert_true(vwd_plan_quarantined(p, q_mac));
	assert_false(vwd_plan_quarantined(p, conf_mac));
	vwd_plan_free(p);
	vw_overrides_free(&ops);
	vw_state_free(st);
	vw_diag_free(&diag);
	free(path);
}

/* ---- rollback against the real data plane ------------------------------ */

static int bpf_setup(void **state)
{
	struct env *e;
	char *cmd = NULL;

	if (unshare(CLONE_NEWNS | CLONE_NEWNET) < 0) {
		print_error("unshare: %s (needs root)\n", strerror(errno));
		return -1;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	env_setup(state);
	e = *state;
	assert_true(asprintf(&e->bpffs, "%s/bpffs", e->dir) > 0);
	assert_int_equal(mkdir(e->bpffs, 0700), 0);
	if (mount("bpf", e->bpffs, "bpf", 0, NULL) < 0) {
		print_error("mount bpffs: %s\n", strerror(errno));
		return -1;
	}
	assert_true(asprintf(&cmd, "ip link add vwa0 type veth peer name vwb0 && "
				   "ip link add vwc0 type veth peer name vwd0 && "
				   "for i in vwa0 vwb0 vwc0 vwd0; do ip link set $i up; done") > 0);
	sh(cmd);
	free(cmd);
	return 0;
}

static int bpf_teardown(void **state)
{
	struct env *e = *state;

	/* The namespaces die with the process; the mount goes first so the
	 * scratch directory can be removed. */
	umount2(e->bpffs, MNT_DETACH);
	free(e->bpffs);
	return env_teardown(state);
}

#define CONF_A "Profile=us-ndaa-889\nAlertInterval=1h\n"
#define SEGS_A "[Segment lan]\nInterface=vwa0\nMode=monitor\n" \
	       "[Segment dmz]\nInterface=vwc0\nMode=block\n"
/* Differs from A in every table a commit writes. */
#define CONF_B "Profile=uk-telecoms-2020\nAlertInterval=2h\n"
#define SEGS_B "[Segment lan]\nInterface=vwa0\nMode=block\nMaxNewQuarantinesPerHour=5\n" \
	       "[Segment voice]\nInterface=vwa0\nVLAN=100\nMode=block\n" \
	       "[Segment guest]\nInterface=vwb0\nMode=monitor\n" \
	       "[Waiver 00:e0:fc:00:00:01]\nReason=PBX\n"

struct observed {
	struct vw_datapath_snapshot *maps;
	char version[VW_STATE_VERSION_LEN];
	size_t n_segs;
	struct { char name[64]; uint8_t mode; uint32_t slot; } segs[8];
	size_t n_quarantines;
};

static void observe(struct daemon *d, struct observed *o)
{
	assert_int_equal(vw_datapath_snapshot(d->dp, VW_SNAP_ALL, &o->maps), 0);
	memcpy(o->version, vwd_policy_version(d), sizeof(o->version));
	o->n_segs = vwd_n_segs(d);
	assert_true(o->n_segs <= 8);
	for (size_t i = 0; i < o->n_segs; i++) {
		snprintf(o->segs[i].name, sizeof(o->segs[i].name), "%s", vwd_seg(d, i)->name);
		o->segs[i].mode = vwd_seg(d, i)->mode;
		o->segs[i].slot = vwd_seg(d, i)->slot;
	}
	o->n_quarantines = d->ops.n_quarantines;
}

static void assert_same(const struct observed *a, const struct observed *b, const char *when)
{
	if (!vw_datapath_snapshot_equal(a->maps, b->maps))
		fail_msg("%s: map contents differ from before", when);
	assert_string_equal(a->version, b->version);
	assert_int_equal(a->n_segs, b->n_segs);
	for (size_t i = 0; i < a->n_segs; i++) {
		assert_string_equal(a->segs[i].name, b->segs[i].name);
		assert_int_equal(a->segs[i].mode, b->segs[i].mode);
		assert_int_equal(a->segs[i].slot, b->segs[i].slot);
	}
	assert_int_equal(a->n_quarantines, b->n_quarantines);
}

static void release(struct observed *o)
{
	vw_datapath_snapshot_free(o->maps);
	o->maps = NULL;
}

static void test_reload_fails_at_every_step(void **state)
{
	struct env *e = *state;
	char *conf = write_conf(e, "vendorwall.conf", CONF_A, SEGS_A);
	struct observed before, after;
	const struct vw_state *st_before;
	struct daemon *d = NULL;

	assert_int_equal(vwd_manager_new(&d, conf), 0);
	assert_int_equal(vwd_manager_start(d), 0);
	observe(d, &before);
	st_before = d->st;
	free(write_conf(e, "vendorwall.conf", CONF_B, SEGS_B));
	for (int step = VWD_STEP_CONFIG; step <= VWD_STEP_COUNT; step++) {
		char *errmsg = NULL, when[32];

		vwd_commit_fail_after(1, step);
		assert_int_equal(vwd_reload(d, &errmsg), -EIO);
		assert_non_null(errmsg);
		free(errmsg);
		snprintf(when, sizeof(when), "failure after step %d", step);
		observe(d, &after);
		assert_same(&before, &after, when);
		assert_ptr_equal(d->st, st_before);
		release(&after);
	}
	/* The same reload without a failure changes every one of them. */
	assert_int_equal(vwd_reload(d, NULL), 0);
	observe(d, &after);
	assert_false(vw_datapath_snapshot_equal(before.maps, after.maps));
	assert_string_not_equal(before.version, after.version);
	assert_int_equal(after.n_segs, 3);
	assert_string_equal(after.segs[0].name, "lan");
	assert_int_equal(after.segs[0].mode, VW_MODE_BLOCK);
	assert_int_equal(after.segs[0].slot, before.segs[0].slot);
	release(&after);
	release(&before);
	vwd_manager_free(d);
	free(conf);
}

/* A reload that keeps every prefix (only segments and a waiver change)
 * neither reloads nor copies the bitmap and the prefix maps: a failure at
 * any step still puts back exactly what was there, the slow bit of the
 * new waiver included, and the same reload then goes through. */
static void test_same_prefixes_reload_fails_at_every_step(void **state)
{
	struct env *e = *state;
	char *conf = write_conf(e, "vendorwall.conf", CONF_A, SEGS_A);
	struct observed before, after;
	struct daemon *d = NULL;

	assert_int_equal(vwd_manager_new(&d, conf), 0);
	assert_int_equal(vwd_manager_start(d), 0);
	observe(d, &before);
	free(write_conf(e, "vendorwall.conf", CONF_A,
			"[Segment lan]\nInterface=vwa0\nMode=block\n"
			"[Segment dmz]\nInterface=vwc0\nMode=monitor\n"
			"[Waiver 02:00:5e:10:00:01]\nReason=lab\n"));
	for (int step = VWD_STEP_CONFIG; step <= VWD_STEP_COUNT; step++) {
		char when[48];

		vwd_commit_fail_after(1, step);
		assert_int_equal(vwd_reload(d, NULL), -EIO);
		snprintf(when, sizeof(when), "same prefixes, failure after step %d", step);
		observe(d, &after);
		assert_same(&before, &after, when);
		release(&after);
	}
	assert_int_equal(vwd_reload(d, NULL), 0);
	observe(d, &after);
	assert_false(vw_datapath_snapshot_equal(before.maps, after.maps));
	assert_int_equal(after.segs[0].mode, VW_MODE_BLOCK);
	release(&after);
	release(&before);
	vwd_manager_free(d);
	free(conf);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);

	assert_non_null(buf);
	if (f) {
		size_t n = fread(buf, 1, 65535, f);

		buf[n] = '\0';
		fclose(f);
	}
	return buf;
}

/* An operator decision the data plane refuses changes nothing: not the
 * maps, not the decisions in memory, not the file. */
static void test_decision_fails_at_every_step(void **state)
{
	struct env *e = *state;
	char *conf = write_conf(e, "vendorwall.conf", CONF_A, SEGS_A), *file_before, *file_after;
	struct observed before, after;
	struct daemon *d = NULL;

	assert_int_equal(vwd_manager_new(&d, conf), 0);
	assert_int_equal(vwd_manager_start(d), 0);
	{
		struct vw_overrides first = {0};

		/* One change that works, so there is a file to keep. */
		assert_int_equal(vwd_decisions_clone(&first, &d->ops), 0);
		put_waiver(&first, 5, time(NULL) + 3600);
		assert_int_equal(vwd_decisions_change(d, &first, NULL, NULL), 0);
		assert_int_equal(d->ops.n_waivers, 1);
	}
	observe(d, &before);
	file_before = slurp(d->ops_path);
	assert_non_null(strstr(file_before, "00:e0:fc:00:00:05"));
	for (int step = VWD_STEP_CONFIG; step <= VWD_STEP_COUNT; step++) {
		struct vw_overrides next = {0};

		assert_int_equal(vwd_decisions_clone(&next, &d->ops), 0);
		put_quarantine(&next, 42);
		assert_int_equal(vw_overrides_set(&next, "lan", VW_MODE_BLOCK, VW_MODE_MONITOR, 1, 0), 0);
		vwd_commit_fail_after(1, step);
		assert_int_equal(vwd_decisions_change(d, &next, "test", NULL), -EIO);
		vw_overrides_free(&next);
		observe(d, &after);
		assert_same(&before, &after, "operator change");
		file_after = slurp(d->ops_path);
		assert_string_equal(file_before, file_after);
		free(file_after);
		release(&after);
	}
	release(&before);
	free(file_before);
	vwd_manager_free(d);
	free(conf);
}

static uint32_t device_flags(struct daemon *d, const uint8_t mac[6])
{
	struct vw_device_entry *devs = NULL;
	uint32_t flags = 0;
	size_t n = 0;

	assert_int_equal(vw_datapath_list_devices(d->dp, &devs, &n), 0);
	for (size_t i = 0; i < n; i++)
		if (!memcmp(devs[i].mac, mac, 6))
			flags = devs[i].flags;
	free(devs);
	return flags;
}

/* A restart adopts the pinned maps; decisions dropped while no daemon ran
 * (a waiver taken out of the file, an operator file lost) must not stay
 * enforced from the pins. */
static void test_restart_drops_stale_decisions(void **state)
{
	static const uint8_t pbx[6] = { 0x00, 0xe0, 0xfc, 0x00, 0x00, 0x01 };
	static const uint8_t rogue[6] = { 0x02, 0, 0, 0, 0, 42 };
	struct env *e = *state;
	char *conf = write_conf(e, "vendorwall.conf", CONF_A, SEGS_A
				"[Waiver 00:e0:fc:00:00:01]\nReason=PBX\n");
	struct vw_overrides next = {0};
	struct daemon *d = NULL;

	assert_int_equal(vwd_manager_new(&d, conf), 0);
	assert_int_equal(vwd_manager_start(d), 0);
	assert_int_equal(vwd_decisions_clone(&next, &d->ops), 0);
	put_quarantine(&next, 42);
	assert_int_equal(vwd_decisions_change(d, &next, NULL, NULL), 0);
	assert_int_equal(device_flags(d, pbx), VW_DEV_WAIVED);
	assert_int_equal(device_flags(d, rogue), VW_DEV_QUARANTINED);
	assert_int_equal(unlink(d->ops_path), 0);
	vwd_manager_free(d);

	free(write_conf(e, "vendorwall.conf", CONF_A, SEGS_A));
	assert_int_equal(vwd_manager_new(&d, conf), 0);
	assert_int_equal(vwd_manager_start(d), 0);
	assert_int_equal(device_flags(d, pbx), 0);
	assert_int_equal(device_flags(d, rogue), 0);
	vwd_manager_free(d);
	free(conf);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_degraded_set_and_clear),
		cmocka_unit_test_setup_teardown(test_version_covers_everything, env_setup, env_teardown),
	};
	const struct CMUnitTest bpf[] = {
		cmocka_unit_test_setup_teardown(test_plan_decisions, env_setup, env_teardown),
		cmocka_unit_test_setup_teardown(test_reload_fails_at_every_step, bpf_setup, bpf_teardown),
		cmocka_unit_test_setup_teardown(test_same_prefixes_reload_fails_at_every_step, bpf_setup, bpf_teardown),
		cmocka_unit_test_setup_teardown(test_decision_fails_at_every_step, bpf_setup, bpf_teardown),
		cmocka_unit_test_setup_teardown(test_restart_drops_stale_decisions, bpf_setup, bpf_teardown),
	};
	int failed = cmocka_run_group_tests(pure, NULL, NULL);

	return failed | cmocka_run_group_tests(bpf, NULL, NULL);
}

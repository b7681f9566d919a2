// SPDX-License-Identifier: GPL-2.0-only
/* Owns the BPF object: load, pin, adopt, attach, and every map write. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_link.h>
#include <linux/magic.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "datapath.h"
#include "ifbenign.h"
#include "pinlayout.h"
#include "progpin.h"
#include "vendorwall.skel.h"

/* Our TC filter's identity, so a restart replaces exactly it. */
#define VW_TC_HANDLE   0x7677
#define VW_TC_PRIORITY 0x7677

#ifndef ENOTSUPP
#define ENOTSUPP 524    /* the kernel's "not supported here", not in libc */
#endif

/* One word of the bitmap: its index, when it was recorded, its value. */
struct word_bits {
	uint32_t word;
	uint32_t seq;
	uint64_t bits;
};

struct vw_datapath {
	struct vendorwall_bpf *skel;
	char *root;
	int lock_fd;
	struct vw_layout_report layout;
	int ncpus;
	/* The programs the links run: loaded by this run, or taken over from
	 * their pins when they are what it would load (progpin.h). */
	int prog_fd[VW_PROG_N];
	bool progs_reused;
	/* A snapshot without the bitmap: the words changed since are logged
	 * in it, so a restore still puts back exactly what was there. */
	struct vw_datapath_snapshot *bits_log;
	/* The non-zero words of the bitmap and their values (appended to
	 * between loads, the last entry of a word wins), so a policy load
	 * writes what differs without reading or comparing all 8 MiB. Not
	 * known: the next load reads the map once. */
	struct word_bits *live;
	size_t n_live, cap_live;
	uint32_t live_seq;
	bool live_known;
	/* vw_iface's untagged segment of each ifindex, as this daemon wrote
	 * it (it is vw_iface's only writer), so a counter read does not read
	 * the map for every segment. Not known: the next read reads it. */
	uint16_t *if_slot;
	bool if_slot_known;
};

#define VW_OUI_BYTES ((size_t)VW_OUI_WORDS * sizeof(uint64_t))

/* vw_oui is mapped only while a whole-bitmap operation runs: mapping an
 * mmapable BPF array puts all of its 8 MiB in the daemon's RSS from mmap()
 * on (bpf/PERFORMANCE.md §4.5), although it is the map's own memory. */
static int oui_map(const struct vw_datapath *dp, uint64_t **out)
{
	void *mem = mmap(NULL, VW_OUI_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
			 bpf_map__fd(dp->skel->maps.vw_oui), 0);

	if (mem == MAP_FAILED)
		return -errno;
	*out = mem;
	return 0;
}

static void oui_unmap(uint64_t *words)
{
	munmap(words, VW_OUI_BYTES);
}

static int pin_path(char *buf, size_t len, const char *root, const char *dir,
		    const char *name)
{
	int n = snprintf(buf, len, "%s/%s/%s", root, dir, name);

	return (n < 0 || (size_t)n >= len) ? -ENAMETOOLONG : 0;
}

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	size_t len = strlen(path);

	if (len >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, path, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int check_bpffs(const char *root)
{
	char parent[PATH_MAX];
	struct statfs st;
	char *slash;

	if (snprintf(parent, sizeof(parent), "%s", root) >= (int)sizeof(parent))
		return -ENAMETOOLONG;
	/* Walk up to the nearest existing directory. */
	while (statfs(parent, &st) < 0) {
		if (errno != ENOENT)
			return -errno;
		slash = strrchr(parent, '/');
		if (!slash || slash == parent)
			return -ENOENT;
		*slash = '\0';
	}
	return st.f_type == BPF_FS_MAGIC ? 0 : -ENOTSUP;
}

void vw_datapath_close(struct vw_datapath *dp)
{
	if (!dp)
		return;
	vendorwall_bpf__destroy(dp->skel);
	for (int p = 0; p < VW_PROG_N; p++)
		if (dp->prog_fd[p] >= 0)
			close(dp->prog_fd[p]);
	if (dp->lock_fd >= 0)
		close(dp->lock_fd);
	free(dp->live);
	free(dp->if_slot);
	free(dp->root);
	free(dp);
}

static int make_dirs(const char *bpf_root)
{
	char path[PATH_MAX];
	int err;

	err = pin_path(path, sizeof(path), bpf_root, VW_PIN_MAPS_DIR, "");
	if (!err)
		err = mkdir_p(path);
	if (!err)
		err = pin_path(path, sizeof(path), bpf_root, VW_PIN_LINKS_DIR, "");
	if (!err)
		err = mkdir_p(path);
	return err;
}

static int retarget_links(struct vw_datapath *dp);
static int live_read(struct vw_datapath *dp);

/* The pinned programs are taken over only from a pin set this daemon uses
 * exactly as it is: its own layout, no map converted or created. */
static int reuse_progs(struct vw_datapath *dp, const struct vw_layout_plan *plan,
		       const uint8_t ident[VW_PROG_IDENT_LEN])
{
	const struct vw_layout_report *l = &dp->layout;
	int err;

	if (l->found != l->running || l->converted || l->created || vw_layout_pending(plan))
		return 0;
	err = vw_progpin_adopt(dp->root, ident, dp->skel->obj, dp->prog_fd);
	dp->progs_reused = err == 1;
	return err;
}

/* One program, loaded by its own copy of the object on the maps of dp's
 * (created, adopted or converted there): its fd, the datapath's own. */
struct prog_load {
	const struct vw_datapath *dp;
	enum vw_prog p;
	int fd, err;
};

static int load_prog_on(const struct vw_datapath *dp, struct vendorwall_bpf *s, enum vw_prog p,
			int *fd)
{
	struct bpf_program *prog[VW_PROG_N] = { s->progs.vw_xdp_ingress, s->progs.vw_tc_egress };
	struct bpf_map *m, *src = bpf_object__next_map(dp->skel->obj, NULL);
	int err = 0;

	for (int q = 0; q < VW_PROG_N; q++)
		bpf_program__set_autoload(prog[q], q == (int)p);
	/* Two copies of one object list their maps in the same order. */
	bpf_object__for_each_map(m, s->obj) {
		if (!err && src && !bpf_map__is_internal(m))
			err = bpf_map__reuse_fd(m, bpf_map__fd(src));
		src = src ? bpf_object__next_map(dp->skel->obj, src) : NULL;
	}
	if (!err)
		err = vendorwall_bpf__load(s);
	if (!err && (*fd = fcntl(bpf_program__fd(prog[p]), F_DUPFD_CLOEXEC, 3)) < 0)
		err = -errno;
	return err;
}

static void *load_prog(void *arg)
{
	struct prog_load *l = arg;
	struct vendorwall_bpf *s = vendorwall_bpf__open();

	l->err = s ? load_prog_on(l->dp, s, l->p, &l->fd) : -errno;
	vendorwall_bpf__destroy(s);
	return NULL;
}

/* Creates (or adopts) the maps with no program, then loads the two
 * programs on them at once, one a thread: each costs the verifier tens of
 * milliseconds of one CPU, and a first start waits for them. */
static int load_progs(struct vw_datapath *dp)
{
	struct prog_load l[VW_PROG_N] = {
		{ .dp = dp, .p = VW_PROG_XDP, .fd = -1 },
		{ .dp = dp, .p = VW_PROG_TC, .fd = -1 },
	};
	pthread_t tc;
	bool threaded;
	int err;

	bpf_program__set_autoload(dp->skel->progs.vw_xdp_ingress, false);
	bpf_program__set_autoload(dp->skel->progs.vw_tc_egress, false);
	err = vendorwall_bpf__load(dp->skel);
	if (err)
		return err;
	threaded = pthread_create(&tc, NULL, load_prog, &l[VW_PROG_TC]) == 0;
	load_prog(&l[VW_PROG_XDP]);
	if (threaded)
		pthread_join(tc, NULL);
	else
		load_prog(&l[VW_PROG_TC]);
	for (int p = 0; p < VW_PROG_N; p++)
		dp->prog_fd[p] = l[p].fd;
	return l[VW_PROG_XDP].err ? l[VW_PROG_XDP].err : l[VW_PROG_TC].err;
}

/* Loads the object against the pin set, converting an older layout: the
 * new maps are filled before any program uses them, every pinned link and
 * TC filter is moved to the new programs in place, and only then does the
 * new set replace the old pins. Programs pinned by an earlier run of this
 * same daemon on these same maps are taken over instead of loaded. */
static int load(struct vw_datapath *dp)
{
	struct vw_layout_plan *plan = NULL;
	uint8_t ident[VW_PROG_IDENT_LEN];
	int err;

	vw_prog_ident(dp->skel->skeleton->data, dp->skel->skeleton->data_sz, ident);
	err = vw_layout_begin(&plan, dp->root, dp->skel->obj, dp->ncpus, &dp->layout);
	if (err)
		return err;
	err = reuse_progs(dp, plan, ident);
	if (err) {
		vw_layout_free(plan);
		return err < 0 ? err : 0;
	}
	err = load_progs(dp);
	if (!err)
		err = vw_layout_convert(plan);
	if (!err && vw_layout_pending(plan)) {
		err = vw_layout_stage(plan);
		if (!err)
			err = retarget_links(dp);
		if (!err)
			err = vw_layout_commit(plan);
		if (err && !dp->layout.detail[0])
			snprintf(dp->layout.detail, sizeof(dp->layout.detail),
				 "moving the pins under %s from layout %u to %u failed: %s",
				 dp->root, dp->layout.found, dp->layout.running, strerror(-err));
	}
	vw_layout_free(plan);
	/* Only a later start's speed depends on these pins: a failure to
	 * write them costs that start a load, nothing else. */
	if (!err)
		vw_progpin_save(dp->root, ident, dp->prog_fd);
	return err;
}

int vw_datapath_open_layout(struct vw_datapath **out, const char *bpf_root,
			    struct vw_layout_report *rep)
{
	struct vw_datapath *dp;
	int err;

	err = check_bpffs(bpf_root);
	if (err)
		return err;
	dp = calloc(1, sizeof(*dp));
	if (!dp)
		return -ENOMEM;
	dp->lock_fd = -1;
	for (int p = 0; p < VW_PROG_N; p++)
		dp->prog_fd[p] = -1;
	dp->root = strdup(bpf_root);
	if (!dp->root) {
		err = -ENOMEM;
		goto fail;
	}
	dp->ncpus = libbpf_num_possible_cpus();
	if (dp->ncpus <= 0) {
		err = dp->ncpus ? dp->ncpus : -EINVAL;
		goto fail;
	}
	err = make_dirs(bpf_root);
	if (err)
		goto fail;

	/* Two daemons writing the same maps would undo each other. */
	dp->lock_fd = open(bpf_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dp->lock_fd < 0 || flock(dp->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		err = errno == EWOULDBLOCK ? -EBUSY : -errno;
		goto fail;
	}

	dp->skel = vendorwall_bpf__open();
	if (!dp->skel) {
		err = -errno;
		goto fail;
	}
	err = load(dp);
	if (err)
		goto fail;

	/* Without any pin every map was created here: the bitmap is zero.
	 * Adopted pins are read now, on the daemon's second thread while
	 * its first builds the state; if that fails, at the first load. */
	dp->live_known = dp->layout.found == 0;
	if (!dp->live_known)
		live_read(dp);
	if (rep)
		*rep = dp->layout;
	*out = dp;
	return 0;
fail:
	if (rep)
		*rep = dp->layout;
	vw_datapath_close(dp);
	return err;
}

int vw_datapath_open(struct vw_datapath **out, const char *bpf_root)
{
	return vw_datapath_open_layout(out, bpf_root, NULL);
}

bool vw_datapath_adopted(const struct vw_datapath *dp)
{
	return dp->layout.found != 0;
}

bool vw_datapath_progs_reused(const struct vw_datapath *dp)
{
	return dp->progs_reused;
}

static int xdp_link_path(const struct vw_datapath *dp, int ifindex, char *buf,
			 size_t len)
{
	char name[32];

	snprintf(name, sizeof(name), "xdp_%d", ifindex);
	return pin_path(buf, len, dp->root, VW_PIN_LINKS_DIR, name);
}

/* Updates a pinned XDP link of an earlier run in place. Returns 1 when
 * adopted, 0 when there was nothing usable to adopt, or -errno. */
/* Opens the link pinned at path and reads its info: the link's fd, or
 * -ENOENT when nothing is pinned there, or another -errno. */
static int open_pinned_link(const char *path, struct bpf_link_info *info)
{
	__u32 len = sizeof(*info);
	int fd, err;

	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	memset(info, 0, sizeof(*info));
	if (bpf_obj_get_info_by_fd(fd, info, &len) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int adopt_xdp_link(const char *path, int ifindex, int prog_fd)
{
	struct bpf_link_info info;
	int fd, err = 0;

	fd = open_pinned_link(path, &info);
	if (fd < 0)
		return fd == -ENOENT ? 0 : fd;
	if (info.type != BPF_LINK_TYPE_XDP || (int)info.xdp.ifindex != ifindex)
		/* Defunct (its interface went away) or not ours: replace. */
		unlink(path);
	else
		err = bpf_link_update(fd, prog_fd, NULL) < 0 ? -errno : 1;
	close(fd);
	return err;
}

static int attach_xdp(struct vw_datapath *dp, int ifindex, enum vw_attach_mode *mode)
{
	int prog_fd = dp->prog_fd[VW_PROG_XDP];
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = XDP_FLAGS_DRV_MODE);
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	char path[PATH_MAX];
	int fd, err;

	err = xdp_link_path(dp, ifindex, path, sizeof(path));
	if (err)
		return err;
	err = adopt_xdp_link(path, ifindex, prog_fd);
	if (err < 0)
		return err;
	if (err == 0) {
		fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &opts);
		if (fd < 0 && (errno == EOPNOTSUPP || errno == EINVAL)) {
			opts.flags = XDP_FLAGS_SKB_MODE;
			fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &opts);
		}
		if (fd < 0)
			return -errno;
		err = bpf_obj_pin(fd, path) < 0 ? -errno : 0;
		if (err)
			bpf_link_detach(fd);
		close(fd);
		if (err)
			return err;
	}
	*mode = VW_ATTACH_NATIVE;
	if (bpf_xdp_query(ifindex, 0, &q) == 0 && q.attach_mode == XDP_ATTACHED_SKB)
		*mode = VW_ATTACH_GENERIC;
	return 0;
}

static int attach_tc(struct vw_datapath *dp, int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = VW_TC_HANDLE,
		    .priority = VW_TC_PRIORITY, .flags = BPF_TC_F_REPLACE,
		    .prog_fd = dp->prog_fd[VW_PROG_TC]);
	int err;

	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST)
		return err;
	return bpf_tc_attach(&hook, &opts);
}

/* Our filter on ifindex, if there is one, runs the new program: replaced
 * in place, so egress is never unfiltered. */
static int retarget_tc(struct vw_datapath *dp, int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, q, .handle = VW_TC_HANDLE,
		    .priority = VW_TC_PRIORITY);
	int err = bpf_tc_query(&hook, &q);

	if (err == -ENOENT || err == -EINVAL || err == -ENODEV)
		return 0;
	return err ? err : attach_tc(dp, ifindex);
}

static int retarget_one(struct vw_datapath *dp, const char *path, int ifindex)
{
	int prog_fd = dp->prog_fd[VW_PROG_XDP];
	struct bpf_link_info info;
	int fd, err = 0;

	fd = open_pinned_link(path, &info);
	if (fd < 0)
		return fd == -ENOENT ? 0 : fd;
	/* A defunct link (interface gone) is for attach and detach to clean. */
	if (info.type == BPF_LINK_TYPE_XDP && (int)info.xdp.ifindex == ifindex) {
		err = retarget_tc(dp, ifindex);
		if (!err && bpf_link_update(fd, prog_fd, NULL) < 0)
			err = -errno;
	}
	close(fd);
	return err;
}

/* Moves every pinned XDP link of an earlier run, and our TC filter on its
 * interface, to the programs just loaded (egress first, as in attach). */
static int retarget_links(struct vw_datapath *dp)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int err;

	err = pin_path(dir, sizeof(dir), dp->root, VW_PIN_LINKS_DIR, "");
	if (err)
		return err;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while (!err && (de = readdir(d))) {
		int ifindex;

		if (sscanf(de->d_name, "xdp_%d", &ifindex) != 1)
			continue;
		err = pin_path(path, sizeof(path), dp->root, VW_PIN_LINKS_DIR, de->d_name);
		if (!err)
			err = retarget_one(dp, path, ifindex);
	}
	closedir(d);
	return err;
}

int vw_datapath_attach(struct vw_datapath *dp, int ifindex, enum vw_attach_mode *mode)
{
	int err;

	/* Egress first: once XDP is in, the device may start to be cut off,
	 * and traffic towards it must be handled the same way. */
	err = attach_tc(dp, ifindex);
	if (err)
		return err;
	return attach_xdp(dp, ifindex, mode);
}

int vw_datapath_detach(struct vw_datapath *dp, int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = VW_TC_HANDLE,
		    .priority = VW_TC_PRIORITY);
	char path[PATH_MAX];
	int fd, err, first = 0;

	err = xdp_link_path(dp, ifindex, path, sizeof(path));
	if (err)
		return err;
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		if (bpf_link_detach(fd) < 0 && errno != ENOLINK)
			first = -errno;
		close(fd);
		unlink(path);
	}
	err = bpf_tc_detach(&hook, &opts);
	if (err && err != -ENOENT && err != -ENODEV && !first)
		first = err;
	return first;
}

int vw_datapath_unpin_all(struct vw_datapath *dp)
{
	char path[PATH_MAX];
	struct bpf_map *map;
	int first = 0, err;

	bpf_object__for_each_map(map, dp->skel->obj) {
		if (bpf_map__is_internal(map))
			continue;
		err = bpf_map__unpin(map, NULL);
		if (err && err != -ENOENT && !first)
			first = err;
	}
	pin_path(path, sizeof(path), dp->root, VW_PIN_MAPS_DIR, VW_PIN_META);
	if (unlink(path) < 0 && errno != ENOENT && !first)
		first = -errno;
	err = vw_progpin_remove(dp->root);
	if (err && !first)
		first = err;
	pin_path(path, sizeof(path), dp->root, VW_PIN_MAPS_DIR, "");
	rmdir(path);
	pin_path(path, sizeof(path), dp->root, VW_PIN_LINKS_DIR, "");
	rmdir(path);
	if (rmdir(dp->root) < 0 && errno != ENOENT && !first)
		first = -errno;
	return first;
}

static int update(struct bpf_map *map, const void *key, const void *val)
{
	return bpf_map_update_elem(bpf_map__fd(map), key, val, BPF_ANY) < 0 ? -errno : 0;
}

/* A vw_alert_cache entry (bpf/vw_maps.h struct vw_alert_cache_ent, which
 * the skeleton does not export). */
struct alert_cache_ent {
	__u64 mac;
	__u32 slot;
	__u32 flags;     /* a copy of vw_alert_state.flags */
	__u64 until;     /* jiffies: the end of the flood suppression */
};

/* vw_alert_cache's descriptor; -EPROTO when its entries are not the
 * mirror's size (a lookup would write past it). */
static int alert_cache_fd(struct vw_datapath *dp)
{
	struct bpf_map *map = dp->skel->maps.vw_alert_cache;

	if (bpf_map__value_size(map) != sizeof(struct alert_cache_ent))
		return -EPROTO;
	return bpf_map__fd(map);
}

/* Empties vw_alert_cache. Its entries hold the jiffy until which a flood
 * is suppressed, computed with the alert interval of their report, so a
 * changed interval must not meet them; the cache is only a front of
 * vw_alerted and vw_cap_blocked, so emptying it loses nothing. */
static int alert_cache_clear(struct vw_datapath *dp)
{
	struct bpf_map *map = dp->skel->maps.vw_alert_cache;
	__u32 n = bpf_map__max_entries(map);
	size_t vs = bpf_map__value_size(map);
	__u32 *keys = calloc(n, sizeof(*keys));
	void *vals = calloc(n, vs);
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	int err = keys && vals ? 0 : -ENOMEM;

	for (__u32 i = 0; !err && i < n; i++)
		keys[i] = i;
	if (!err && bpf_map_update_batch(bpf_map__fd(map), keys, vals, &n, &opts) < 0)
		err = -errno;
	free(keys);
	free(vals);
	return err;
}

int vw_datapath_set_config(struct vw_datapath *dp, const struct vw_config *cfg)
{
	struct vw_config was = { 0 };
	__u32 zero = 0;
	int err, fd = bpf_map__fd(dp->skel->maps.vw_config);

	if (bpf_map_lookup_elem(fd, &zero, &was) < 0)
		return -errno;
	err = update(dp->skel->maps.vw_config, &zero, cfg);
	if (!err && was.alert_interval_s != cfg->alert_interval_s)
		err = alert_cache_clear(dp);
	return err;
}

int vw_datapath_set_segment(struct vw_datapath *dp, uint32_t slot,
			    const struct vw_segment *seg)
{
	if (slot >= VW_MAX_SEGMENTS)
		return -ERANGE;
	return update(dp->skel->maps.vw_segment, &slot, seg);
}

/* Before ifindex's untagged segment becomes to: its benign frames so far
 * go to the one it leaves (daemon/lib/ifbenign.c). */
static int iface_leave(struct vw_datapath *dp, uint32_t ifindex, uint32_t to)
{
	struct vw_iface was = { 0 };

	if (bpf_map_lookup_elem(bpf_map__fd(dp->skel->maps.vw_iface), &ifindex, &was) < 0)
		return -errno;
	if (vw_ifbenign_slot(&was) == to)
		return 0;
	return vw_ifbenign_fold(bpf_map__fd(dp->skel->maps.vw_if_benign), dp->ncpus,
				ifindex, vw_ifbenign_slot(&was));
}

int vw_datapath_set_iface(struct vw_datapath *dp, uint32_t ifindex,
			  const struct vw_iface *ifc)
{
	int err;

	if (ifindex >= VW_MAX_IFINDEX)
		return update(dp->skel->maps.vw_iface_big, &ifindex, ifc);
	err = iface_leave(dp, ifindex, vw_ifbenign_slot(ifc));
	err = err ?: update(dp->skel->maps.vw_iface, &ifindex, ifc);
	if (!err && dp->if_slot_known)
		dp->if_slot[ifindex] = (uint16_t)vw_ifbenign_slot(ifc);
	return err;
}

int vw_datapath_set_vlan(struct vw_datapath *dp, uint32_t row, uint16_t vid,
			 uint16_t slot)
{
	__u32 key;

	if (row == 0 || row > VW_MAX_VLAN_IFACES || vid >= VW_VLAN_IDS)
		return -ERANGE;
	key = (row - 1) * VW_VLAN_IDS + vid;
	return update(dp->skel->maps.vw_vlan, &key, &slot);
}

/* Takes one chunk of a batch read: 0 or -errno. */
typedef int (*batch_fn)(const unsigned char *keys, const unsigned char *vals, __u32 n,
			void *ctx);

/* A hash map in batch lookups of 4096 entries through one buffer, up to
 * max of them, each chunk given to fn: key by key costs two system calls
 * per entry (~130,000 for a full vw_device; a policy's thousands of
 * prefixes). 0, 1 when the kernel cannot batch this map (the caller then
 * goes key by key and drops what fn took), or -errno. */
static int batch_read(int fd, size_t ks, size_t vs, uint32_t max, batch_fn fn, void *ctx)
{
	const __u32 chunk = 4096;
	unsigned char *keys = calloc(chunk, ks), *vals = calloc(chunk, vs);
	uint64_t in[8], out[8];     /* the kernel's opaque position (a bucket) */
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint32_t got = 0;
	__u32 count;
	bool last = false;
	int err = keys && vals ? 0 : -ENOMEM;

	while (!err && !last && got < max) {
		count = chunk;
		/* ENOENT: the last chunk, possibly with entries. */
		if (bpf_map_lookup_batch(fd, got ? in : NULL, out, keys, vals, &count, &opts) < 0) {
			err = errno == ENOENT ? 0 : errno == EINVAL || errno == ENOTSUPP ||
			      errno == EOPNOTSUPP || errno == ENOSPC ? 1 : -errno;
			last = true;
		}
		last |= !count;
		if (!err && count)
			err = fn(keys, vals, count, ctx);
		got += count;
		memcpy(in, out, sizeof(in));
	}
	free(keys);
	free(vals);
	return err;
}

struct key_list {
	size_t ks, n;
	unsigned char *keys;
};

static int take_keys(const unsigned char *keys, const unsigned char *vals, __u32 n, void *ctx)
{
	struct key_list *l = ctx;
	unsigned char *t = realloc(l->keys, (l->n + n) * l->ks);

	(void)vals;
	if (!t)
		return -ENOMEM;
	memcpy(t + l->n * l->ks, keys, n * l->ks);
	l->keys = t;
	l->n += n;
	return 0;
}

/* Collects all keys of a hash map; the caller frees *keys. */
static int map_keys(struct bpf_map *map, size_t key_size, void **keys, size_t *n)
{
	int fd = bpf_map__fd(map);
	size_t cap = 0, cnt = 0;
	char cur[32], next[32];  /* the largest key: struct vw_ip_key */
	void *arr = NULL, *tmp;
	void *prev = NULL;
	struct key_list l = { .ks = key_size };
	enum bpf_map_type t = bpf_map__type(map);
	int err = t == BPF_MAP_TYPE_HASH || t == BPF_MAP_TYPE_LRU_HASH ?
		  batch_read(fd, key_size, bpf_map__value_size(map), UINT32_MAX, take_keys, &l) : 1;

	if (!err) {
		*keys = l.keys;
		*n = l.n;
		return 0;
	}
	free(l.keys);	/* an error, or no batch: key by key */
	if (err < 0)
		return err;

	while (bpf_map_get_next_key(fd, prev, next) == 0) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 256;
			tmp = realloc(arr, cap * key_size);
			if (!tmp) {
				free(arr);
				return -ENOMEM;
			}
			arr = tmp;
		}
		memcpy((char *)arr + cnt * key_size, next, key_size);
		cnt++;
		memcpy(cur, next, key_size);
		prev = cur;
	}
	if (errno != ENOENT) {
		free(arr);
		return -errno;
	}
	*keys = arr;
	*n = cnt;
	return 0;
}

/* The (MAC, slot) keys vw_alerted and vw_cap_blocked share. */
struct slot_key {
	__u64 mac;
	__u32 slot;
	__u32 pad;
};

/* Deletes every entry of map whose key names slot. */
static int delete_slot_keys(struct bpf_map *map, uint32_t slot)
{
	struct slot_key *keys;
	int fd = bpf_map__fd(map);
	void *raw;
	size_t n;
	int err;

	err = map_keys(map, sizeof(*keys), &raw, &n);
	if (err)
		return err;
	keys = raw;
	for (size_t i = 0; i < n; i++)
		if (keys[i].slot == slot)
			bpf_map_delete_elem(fd, &keys[i]);
	free(keys);
	return 0;
}

int vw_datapath_reset_alerts(struct vw_datapath *dp, uint32_t slot)
{
	struct alert_cache_ent ent, zero = {};
	int cfd = alert_cache_fd(dp);
	int err;

	if (cfd < 0)
		return cfd;
	err = delete_slot_keys(dp->skel->maps.vw_alerted, slot);
	/* The cap's admissions belong to the segment's reported set. */
	err = err ?: delete_slot_keys(dp->skel->maps.vw_cap_blocked, slot);
	if (err)
		return err;
	for (__u32 i = 0; i < VW_ALERT_CACHE; i++) {
		if (bpf_map_lookup_elem(cfd, &i, &ent) == 0 && ent.slot == slot &&
		    ent.mac && bpf_map_update_elem(cfd, &i, &zero, BPF_ANY) < 0)
			return -errno;
	}
	return 0;
}

/* Every entry of a hash map in a few batched calls (a key at a time, a
 * full 65,536-entry map took a second of the event loop). The caller
 * frees *keys and *vals. */
static int map_dump(struct bpf_map *map, size_t ks, size_t vs, void **keys, void **vals,
		    size_t *n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	size_t max = bpf_map__max_entries(map), got = 0;
	char *k = calloc(max ? max : 1, ks), *v = calloc(max ? max : 1, vs);
	__u32 batch = 0, count;
	int err = 0;

	while (k && v && got < max) {
		count = (__u32)(max - got);
		err = bpf_map_lookup_batch(bpf_map__fd(map), got ? &batch : NULL, &batch,
					   k + got * ks, v + got * vs, &count, &opts);
		got += count;
		if (err == -ENOENT)
			err = 0;
		if (err || !count)
			break;
	}
	if (!k || !v || err) {
		free(k);
		free(v);
		return err ? err : -ENOMEM;
	}
	*keys = k;
	*vals = v;
	*n = got;
	return 0;
}

static int cmp_slot_key(const void *a, const void *b)
{
	const struct slot_key *x = a, *y = b;

	if (x->mac != y->mac)
		return x->mac < y->mac ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* vw_alerted's entries, sorted by key, for the cap's lookups. */
struct alerted_ent {
	struct slot_key k;
	struct vw_alert_state st;
};

static int alerted_sorted(struct vw_datapath *dp, struct alerted_ent **out, size_t *n)
{
	struct slot_key *keys;
	struct vw_alert_state *sts;
	struct alerted_ent *v;
	void *rk, *rv;
	int err = map_dump(dp->skel->maps.vw_alerted, sizeof(*keys), sizeof(*sts), &rk, &rv, n);

	if (err)
		return err;
	keys = rk;
	sts = rv;
	v = calloc(*n ? *n : 1, sizeof(*v));
	for (size_t i = 0; v && i < *n; i++)
		v[i] = (struct alerted_ent){ .k = keys[i], .st = sts[i] };
	free(keys);
	free(sts);
	if (!v)
		return -ENOMEM;
	qsort(v, *n, sizeof(*v), cmp_slot_key);
	*out = v;
	return 0;
}

int vw_datapath_cap_list(struct vw_datapath *dp, struct vw_cap_entry **out, size_t *n,
			 size_t *capacity)
{
	struct alerted_ent *al = NULL;
	struct vw_cap_entry *v;
	struct slot_key *keys;
	__u64 *admitted;
	size_t cnt, n_al = 0;
	void *rk, *rv;
	int err;

	err = map_dump(dp->skel->maps.vw_cap_blocked, sizeof(*keys), sizeof(*admitted), &rk, &rv,
		       &cnt);
	if (err)
		return err;
	keys = rk;
	admitted = rv;
	err = alerted_sorted(dp, &al, &n_al);
	v = err ? NULL : calloc(cnt ? cnt : 1, sizeof(*v));
	for (size_t i = 0; v && i < cnt; i++) {
		const struct alerted_ent *a = bsearch(&keys[i], al, n_al, sizeof(*al), cmp_slot_key);

		v[i] = (struct vw_cap_entry){ .mac = keys[i].mac, .slot = keys[i].slot,
					      .admitted = admitted[i],
					      .reported = a ? a->st.last : 0 };
	}
	free(al);
	free(keys);
	free(admitted);
	if (!v)
		return err ? err : -ENOMEM;
	*out = v;
	*n = cnt;
	*capacity = bpf_map__max_entries(dp->skel->maps.vw_cap_blocked);
	return 0;
}

static int cmp_cap_key(const void *a, const void *b)
{
	const struct vw_cap_entry *x = a, *y = b;

	if (x->mac != y->mac)
		return x->mac < y->mac ? -1 : 1;
	return x->slot < y->slot ? -1 : x->slot > y->slot;
}

int vw_datapath_cap_forget(struct vw_datapath *dp, const struct vw_cap_entry *v, size_t n)
{
	struct alert_cache_ent ent, zero = {};
	int fd = bpf_map__fd(dp->skel->maps.vw_cap_blocked);
	int cfd = alert_cache_fd(dp);
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	struct slot_key *keys;
	size_t done = 0;
	int err = 0;

	if (cfd < 0)
		return cfd;
	keys = calloc(n ? n : 1, sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		keys[i] = (struct slot_key){ .mac = v[i].mac, .slot = v[i].slot };
	/* A batch stops at a key gone already (a mode change): skip it. */
	while (done < n) {
		__u32 count = (__u32)(n - done);
		int r = bpf_map_delete_batch(fd, keys + done, &count, &opts);

		done += count;
		if (r == -ENOENT)
			done++;
		else if (r) {
			err = r;
			break;
		}
	}
	free(keys);
	/* Then the cache's copy of the decision (in this order: a frame in
	 * between finds the cached decision and is still blocked), or the
	 * device would never be decided again. */
	for (__u32 i = 0; n && i < VW_ALERT_CACHE; i++) {
		struct vw_cap_entry key = { 0 };

		if (bpf_map_lookup_elem(cfd, &i, &ent) || !ent.mac)
			continue;
		key.mac = ent.mac;
		key.slot = ent.slot;
		if (bsearch(&key, v, n, sizeof(*v), cmp_cap_key) &&
		    bpf_map_update_elem(cfd, &i, &zero, BPF_ANY) && !err)
			err = -errno;
	}
	return err;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Deletes the keys of map that are not among the n of want (sorted here). */
static int delete_stale(struct bpf_map *map, void *want, size_t n, size_t key_size,
			int (*cmp)(const void *, const void *))
{
	size_t n_old = 0;
	char *old;
	void *raw;
	int err;

	qsort(want, n, key_size, cmp);
	err = map_keys(map, key_size, &raw, &n_old);
	if (err)
		return err;
	old = raw;
	for (size_t i = 0; i < n_old; i++)
		if (!bsearch(old + i * key_size, want, n, key_size, cmp))
			bpf_map_delete_elem(bpf_map__fd(map), old + i * key_size);
	free(old);
	return 0;
}

static int log_word(struct vw_datapath *dp, uint32_t word, uint64_t was);

/* Records the value a word of the bitmap has now; without the memory to
 * remember it, the next load reads the whole map instead. */
static void live_set(struct vw_datapath *dp, uint32_t word, uint64_t bits)
{
	if (!dp->live_known)
		return;
	if (dp->n_live == dp->cap_live) {
		size_t cap = dp->cap_live ? dp->cap_live * 2 : 1024;
		struct word_bits *t = realloc(dp->live, cap * sizeof(*t));

		if (!t) {
			dp->live_known = false;
			return;
		}
		dp->live = t;
		dp->cap_live = cap;
	}
	dp->live[dp->n_live++] = (struct word_bits){ word, dp->live_seq++, bits };
}

/* The non-zero words of a bitmap this process did not write (adopted
 * pins): ~5 ms through a mapping, where batch lookups copy word by word
 * (~100 ms). */
static int live_read(struct vw_datapath *dp)
{
	uint64_t *oui, v;
	int err;

	dp->n_live = 0;
	err = oui_map(dp, &oui);
	dp->live_known = !err;
	if (err)
		return err;
	for (uint32_t i = 0; i < VW_OUI_WORDS; i++) {
		v = __atomic_load_n(&oui[i], __ATOMIC_RELAXED);
		if (v)
			live_set(dp, i, v);
	}
	oui_unmap(oui);
	return dp->live_known ? 0 : -ENOMEM;
}

static int cmp_word_bits(const void *a, const void *b)
{
	const struct word_bits *x = a, *y = b;

	if (x->word != y->word)
		return x->word < y->word ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void want_bits(struct word_bits *w, size_t *n, uint32_t oui, uint64_t bits)
{
	w[(*n)++] = (struct word_bits){ vw_oui_word(oui), 0, vw_oui_bits_at(oui, bits) };
}

/* Sorts and makes one entry a word: the wanted bits ORed together
 * (or_bits), or the last value recorded. Zero words are left out. */
static size_t words_merge(struct word_bits *w, size_t n, bool or_bits)
{
	size_t out = 0;

	if (n > 1)
		qsort(w, n, sizeof(*w), cmp_word_bits);
	for (size_t i = 0; i < n; i++) {
		if (out && w[out - 1].word == w[i].word)
			w[out - 1].bits = or_bits ? w[out - 1].bits | w[i].bits : w[i].bits;
		else
			w[out++] = w[i];
	}
	n = out;
	out = 0;
	for (size_t i = 0; i < n; i++)
		if (w[i].bits)
			w[out++] = w[i];
	return out;
}

/* Writes n entries in one batch update (a policy has thousands, one
 * system call each was most of its load); key by key where the kernel
 * cannot batch. */
static int update_many(struct bpf_map *map, const void *keys, const void *vals, __u32 n)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	size_t ks = bpf_map__key_size(map), vs = bpf_map__value_size(map);
	int fd = bpf_map__fd(map);
	__u32 done = n;

	if (!n || bpf_map_update_batch(fd, keys, vals, &done, &opts) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOTSUP && errno != EOPNOTSUPP)
		return -errno;
	for (__u32 i = done < n ? done : 0; i < n; i++)
		if (bpf_map_update_elem(fd, (const char *)keys + i * ks,
					(const char *)vals + i * vs, BPF_ANY) < 0)
			return -errno;
	return 0;
}

/* Makes the bitmap equal to want (sorted, one non-zero entry a word):
 * what differs from the recorded words is logged and written. */
static int write_words(struct vw_datapath *dp, const struct word_bits *want, size_t n)
{
	size_t i = 0, j = 0, n_live, n_put = 0;
	__u32 *keys = NULL;
	uint64_t *vals = NULL;
	int err = dp->live_known ? 0 : live_read(dp);

	n_live = err ? 0 : words_merge(dp->live, dp->n_live, false);
	keys = calloc(n + n_live + 1, sizeof(*keys));
	vals = calloc(n + n_live + 1, sizeof(*vals));
	if (!err && (!keys || !vals))
		err = -ENOMEM;
	while (!err && (i < n || j < n_live)) {
		uint32_t w = i == n ? dp->live[j].word : j == n_live ? want[i].word :
			     want[i].word < dp->live[j].word ? want[i].word : dp->live[j].word;
		uint64_t bits = i < n && want[i].word == w ? want[i++].bits : 0;
		uint64_t was = j < n_live && dp->live[j].word == w ? dp->live[j++].bits : 0;

		if (bits == was)
			continue;
		err = log_word(dp, w, was);
		keys[n_put] = w;
		vals[n_put++] = bits;
	}
	if (!err)
		err = update_many(dp->skel->maps.vw_oui, keys, vals, (__u32)n_put);
	free(keys);
	free(vals);
	/* After a failure the words are anything: read them next time. */
	dp->n_live = 0;
	dp->live_seq = 0;
	dp->live_known = !err;
	for (size_t k = 0; !err && k < n; k++)
		live_set(dp, want[k].word, want[k].bits);
	return err;
}


/* The set's /24 vendors and finer prefixes as map entries, and the bits
 * the bitmap wants for them (appended to want). */
struct ouiset_entries {
	uint64_t *pfx_keys;
	struct vw_prefix *pfx_vals;
	uint32_t *ven_keys;
	uint16_t *ven_vals;
	size_t n_pfx, n_ven;
};

static void ouiset_entries(const struct vw_ouiset *set, struct ouiset_entries *o,
			   struct word_bits *want, size_t *n_want)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct vw_ouiset_entry *e = &set->v[i];
		uint32_t oui = vw_oui_of_u64(e->prefix);

		if (e->plen == 24) {
			if (!e->restricted)
				continue;
			want_bits(want, n_want, oui, VW_OUI_BIT_RESTRICTED);
			o->ven_keys[o->n_ven] = oui;
			o->ven_vals[o->n_ven++] = e->vendor;
		} else {
			want_bits(want, n_want, oui, e->plen == 28 ? VW_OUI_BIT_P28 : VW_OUI_BIT_P36);
			o->pfx_keys[o->n_pfx] = vw_prefix_key(e->prefix, e->plen);
			o->pfx_vals[o->n_pfx++] = (struct vw_prefix){
				.vendor = e->vendor,
				.restricted = e->restricted,
			};
		}
	}
}

int vw_datapath_load_ouiset(struct vw_datapath *dp, const struct vw_ouiset *set)
{
	struct bpf_map *pfx_map = dp->skel->maps.vw_prefix;
	struct bpf_map *ven_map = dp->skel->maps.vw_oui_vendor;
	uint64_t *dev_keys = NULL;
	struct ouiset_entries o = { 0 };
	struct word_bits *want = NULL;
	size_t n_dev = 0, n_want = 0;
	void *raw;
	int err;

	err = map_keys(dp->skel->maps.vw_device, sizeof(uint64_t), &raw, &n_dev);
	if (err)
		return err;
	dev_keys = raw;
	want = calloc(n_dev + set->n + 1, sizeof(*want));
	o.pfx_keys = calloc(set->n + 1, sizeof(*o.pfx_keys));
	o.pfx_vals = calloc(set->n + 1, sizeof(*o.pfx_vals));
	o.ven_keys = calloc(set->n + 1, sizeof(*o.ven_keys));
	o.ven_vals = calloc(set->n + 1, sizeof(*o.ven_vals));
	if (!want || !o.pfx_keys || !o.pfx_vals || !o.ven_keys || !o.ven_vals) {
		err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n_dev; i++)
		want_bits(want, &n_want, vw_oui_of_u64(dev_keys[i]), VW_OUI_BIT_DEV);
	ouiset_entries(set, &o, want, &n_want);

	/* Adds first: a finer entry must exist before its /24 says "look". */
	err = update_many(ven_map, o.ven_keys, o.ven_vals, (__u32)o.n_ven);
	if (!err)
		err = update_many(pfx_map, o.pfx_keys, o.pfx_vals, (__u32)o.n_pfx);
	if (err)
		goto out;
	err = write_words(dp, want, words_merge(want, n_want, true));
	if (err)
		goto out;

	/* Deletes last, once no /24 points at them any more. */
	err = delete_stale(pfx_map, o.pfx_keys, o.n_pfx, sizeof(*o.pfx_keys), cmp_u64);
	if (!err)
		err = delete_stale(ven_map, o.ven_keys, o.n_ven, sizeof(*o.ven_keys), cmp_u32);
out:
	free(want);
	free(o.pfx_keys);
	free(o.pfx_vals);
	free(o.ven_keys);
	free(o.ven_vals);
	free(dev_keys);
	return err;
}

int vw_datapath_set_device(struct vw_datapath *dp, const struct vw_device_entry *dev)
{
	struct vw_device v = { .flags = dev->flags, .vendor = dev->vendor };
	uint64_t mac = vw_mac_to_u64(dev->mac), word, bit;
	uint32_t oui = vw_oui_of_u64(mac), idx = vw_oui_word(oui);
	int err;

	err = update(dp->skel->maps.vw_device, &mac, &v);
	if (err)
		return err;
	/* The entry exists before the /24 sends frames to look for it. The
	 * daemon is the bitmap's only writer, and a frame reading the word
	 * while the kernel copies it in sees each OUI's four bits whole (they
	 * share a byte), old or new. */
	if (bpf_map_lookup_elem(bpf_map__fd(dp->skel->maps.vw_oui), &idx, &word) < 0)
		return -errno;
	bit = vw_oui_bits_at(oui, VW_OUI_BIT_DEV);
	if (word & bit)
		return 0;
	err = log_word(dp, idx, word);
	if (err)
		return err;
	word |= bit;
	err = update(dp->skel->maps.vw_oui, &idx, &word);
	if (!err)
		live_set(dp, idx, word);
	return err;
}

int vw_datapath_del_device(struct vw_datapath *dp, const uint8_t mac[6])
{
	uint64_t key = vw_mac_to_u64(mac);

	/* The device bit may stay: it only costs a hash miss until the next
	 * policy load recomputes it. */
	if (bpf_map_delete_elem(bpf_map__fd(dp->skel->maps.vw_device), &key) < 0)
		return errno == ENOENT ? 0 : -errno;
	return 0;
}

/* The sums over CPUs of the n entries of a per-CPU u64 array from key
 * first on. 0, -ENOMEM or -errno. */
static int sum_percpu(const struct vw_datapath *dp, int fd, __u32 first, uint32_t n,
		      uint64_t *out)
{
	uint64_t *vals = calloc(dp->ncpus, sizeof(*vals));
	int err = 0;

	if (!vals)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		__u32 key = first + i;

		if (bpf_map_lookup_elem(fd, &key, vals) < 0) {
			err = -errno;
			break;
		}
		out[i] = 0;
		for (int cpu = 0; cpu < dp->ncpus; cpu++)
			out[i] += vals[cpu];
	}
	free(vals);
	return err;
}

int vw_datapath_budget_denied(struct vw_datapath *dp, uint64_t out[VW_BUDGET_MAX])
{
	return sum_percpu(dp, bpf_map__fd(dp->skel->maps.vw_budget_denied), 0, VW_BUDGET_MAX, out);
}

/* The benign count adds the untagged benign frames the data plane counted
 * by interface (vw_if_benign), given to segments by ifbenign.c's rule. */
int vw_datapath_read_counters(struct vw_datapath *dp, uint32_t slot, uint64_t *out)
{
	uint64_t by_iface = 0;
	int err;

	if (slot >= VW_MAX_SEGMENTS)
		return -ERANGE;
	if (!dp->if_slot && !(dp->if_slot = calloc(VW_MAX_IFINDEX, sizeof(*dp->if_slot))))
		return -ENOMEM;
	err = sum_percpu(dp, bpf_map__fd(dp->skel->maps.vw_counters), VW_COUNTER_INDEX(slot, 0),
			 VW_CTR_MAX, out);
	if (!err && !dp->if_slot_known) {
		err = vw_ifbenign_read_slots(bpf_map__fd(dp->skel->maps.vw_iface), dp->if_slot);
		dp->if_slot_known = !err;
	}
	err = err ?: vw_ifbenign_sum(bpf_map__fd(dp->skel->maps.vw_if_benign), dp->ncpus,
				     slot, dp->if_slot, &by_iface);
	if (!err)
		out[VW_REASON_BENIGN] += by_iface;
	return err;
}

static int ringbuf(struct bpf_map *map, vw_record_fn fn, void *ctx,
		   struct ring_buffer **rb)
{
	*rb = ring_buffer__new(bpf_map__fd(map), fn, ctx, NULL);
	return *rb ? 0 : -errno;
}

int vw_datapath_events(struct vw_datapath *dp, vw_record_fn fn, void *ctx,
		       struct ring_buffer **rb)
{
	return ringbuf(dp->skel->maps.vw_events, fn, ctx, rb);
}

int vw_datapath_samples(struct vw_datapath *dp, vw_record_fn fn, void *ctx,
			struct ring_buffer **rb)
{
	return ringbuf(dp->skel->maps.vw_samples, fn, ctx, rb);
}

int vw_datapath_device_flags(struct vw_datapath *dp, const uint8_t mac[6],
			     uint32_t set, uint32_t clear)
{
	return vw_datapath_device_verdict(dp, mac, set, clear, 0);
}

int vw_datapath_device_verdict(struct vw_datapath *dp, const uint8_t mac[6],
			       uint32_t set, uint32_t clear, uint16_t vendor)
{
	int fd = bpf_map__fd(dp->skel->maps.vw_device);
	uint64_t key = vw_mac_to_u64(mac);
	struct vw_device_entry e = {0};
	struct vw_device cur = {0};

	if (bpf_map_lookup_elem(fd, &key, &cur) < 0 && errno != ENOENT)
		return -errno;
	cur.flags = (cur.flags & ~clear) | set;
	if (!cur.flags)
		return vw_datapath_del_device(dp, mac);
	memcpy(e.mac, mac, 6);
	e.flags = cur.flags;
	e.vendor = vendor ? vendor : cur.vendor;
	return vw_datapath_set_device(dp, &e);
}

/* ---- snapshot and restore: a reload's rollback --------------------------
 * Everything a reload writes: the bitmap, and the maps below as sorted
 * (key, value) records, so that two images compare with memcmp and a
 * restore writes only what differs. Counters, alert state and rings are
 * not enforcement and are left alone. */

struct map_image {
	struct bpf_map *map;     /* NULL: not in the snapshot */
	bool array;
	uint32_t ks, vs;
	size_t n;
	unsigned char *rec;      /* n records of ks + vs bytes, sorted by key */
};

#define VW_SNAP_MAPS 8

struct word_was {
	uint32_t word;
	uint64_t was;
};

struct vw_datapath_snapshot {
	struct map_image maps[VW_SNAP_MAPS];
	uint64_t *oui;                /* NULL: not in the snapshot, words logged */
	struct vw_datapath *dp;       /* whose bits_log this is, while it is */
	struct word_was *log;
	size_t n_log, cap_log;
};

/* Before a word of the bitmap changes: its value, when a snapshot without
 * the bitmap is open. */
static int log_word(struct vw_datapath *dp, uint32_t word, uint64_t was)
{
	struct vw_datapath_snapshot *s = dp->bits_log;

	if (!s)
		return 0;
	if (s->n_log == s->cap_log) {
		size_t cap = s->cap_log ? s->cap_log * 2 : 256;
		struct word_was *t = realloc(s->log, cap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		s->log = t;
		s->cap_log = cap;
	}
	s->log[s->n_log++] = (struct word_was){ .word = word, .was = was };
	return 0;
}

/* In the order of enum vw_snapshot_map. */
static void snap_maps(struct vw_datapath *dp, struct bpf_map **m)
{
	m[0] = dp->skel->maps.vw_config;
	m[1] = dp->skel->maps.vw_segment;
	m[2] = dp->skel->maps.vw_iface;
	m[3] = dp->skel->maps.vw_iface_big;
	m[4] = dp->skel->maps.vw_vlan;
	m[5] = dp->skel->maps.vw_device;
	m[6] = dp->skel->maps.vw_prefix;
	m[7] = dp->skel->maps.vw_oui_vendor;
}

static int cmp_key(const void *a, const void *b, void *ks)
{
	return memcmp(a, b, *(const uint32_t *)ks);
}

/* Arrays are read in key order with batch lookups; hashes key by key. */
static int read_array(int fd, struct map_image *im, uint32_t max)
{
	unsigned char *keys = calloc(max, im->ks), *vals = calloc(max, im->vs);
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	__u32 out = 0, count;
	int err = 0;

	if (!keys || !vals) {
		err = -ENOMEM;
		goto out;
	}
	while (im->n < max) {
		count = max - im->n;
		err = bpf_map_lookup_batch(fd, im->n ? &out : NULL, &out, keys + im->n * im->ks,
					   vals + im->n * im->vs, &count, &opts);
		im->n += count;
		if (err < 0 && errno != ENOENT) {
			err = -errno;
			goto out;
		}
		err = 0;
		if (!count)
			break;
	}
	for (size_t i = 0; i < im->n; i++) {
		memcpy(im->rec + i * (im->ks + im->vs), keys + i * im->ks, im->ks);
		memcpy(im->rec + i * (im->ks + im->vs) + im->ks, vals + i * im->vs, im->vs);
	}
out:
	free(keys);
	free(vals);
	return err;
}


/* Makes room for n more records in im->rec (grown, not sized by the
 * map's max_entries: a snapshot of a nearly empty map stays small). */
static int rec_reserve(struct map_image *im, size_t *cap, size_t n)
{
	size_t rs = im->ks + im->vs, want = im->n + n;
	unsigned char *t;

	if (want <= *cap)
		return 0;
	want = want > *cap * 2 ? want : *cap * 2;
	t = realloc(im->rec, want * rs);
	if (!t)
		return -ENOMEM;
	im->rec = t;
	*cap = want;
	return 0;
}

struct record_list {
	struct map_image *im;
	size_t cap;
};

static int take_records(const unsigned char *keys, const unsigned char *vals, __u32 n,
			void *ctx)
{
	struct record_list *l = ctx;
	struct map_image *im = l->im;
	size_t rs = im->ks + im->vs;

	if (rec_reserve(im, &l->cap, n) < 0)
		return -ENOMEM;
	for (__u32 i = 0; i < n; i++) {
		memcpy(im->rec + (im->n + i) * rs, keys + i * im->ks, im->ks);
		memcpy(im->rec + (im->n + i) * rs + im->ks, vals + i * im->vs, im->vs);
	}
	im->n += n;
	return 0;
}

static int read_hash(int fd, struct map_image *im, uint32_t max)
{
	size_t rs = im->ks + im->vs;
	unsigned char *prev = NULL;
	struct record_list l = { .im = im };
	int err = im->ks <= sizeof(uint64_t) * 8 ?
		  batch_read(fd, im->ks, im->vs, max, take_records, &l) : 1;

	if (err)
		im->n = 0;
	if (err <= 0) {
		if (!err)
			qsort_r(im->rec, im->n, rs, cmp_key, &im->ks);
		return err;
	}
	/* Key by key into room for every entry the map can hold. */
	free(im->rec);
	im->rec = calloc(max, rs);
	if (!im->rec)
		return -ENOMEM;

	while (im->n < max) {
		unsigned char *r = im->rec + im->n * rs;

		if (bpf_map_get_next_key(fd, prev, r) < 0)
			break;
		prev = r;
		if (bpf_map_lookup_elem(fd, r, r + im->ks) < 0) {
			if (errno == ENOENT)
				continue;   /* deleted under us: not part of the image */
			return -errno;
		}
		im->n++;
	}
	if (im->n < max && errno != ENOENT)
		return -errno;
	qsort_r(im->rec, im->n, rs, cmp_key, &im->ks);
	return 0;
}

static int image_read(struct bpf_map *map, struct map_image *im)
{
	uint32_t max = bpf_map__max_entries(map);

	im->map = map;
	im->array = bpf_map__type(map) == BPF_MAP_TYPE_ARRAY;
	im->ks = bpf_map__key_size(map);
	im->vs = bpf_map__value_size(map);
	im->n = 0;
	/* A hash's records grow with what it holds. */
	im->rec = calloc(im->array ? max : 1, im->ks + im->vs);
	if (!im->rec)
		return -ENOMEM;
	return im->array ? read_array(bpf_map__fd(map), im, max) :
			   read_hash(bpf_map__fd(map), im, max);
}

void vw_datapath_snapshot_free(struct vw_datapath_snapshot *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < VW_SNAP_MAPS; i++)
		free(s->maps[i].rec);
	if (s->dp && s->dp->bits_log == s)
		s->dp->bits_log = NULL;
	free(s->log);
	free(s->oui);
	free(s);
}

int vw_datapath_snapshot(struct vw_datapath *dp, unsigned maps_mask,
			 struct vw_datapath_snapshot **out)
{
	struct vw_datapath_snapshot *s = calloc(1, sizeof(*s));
	struct bpf_map *maps[VW_SNAP_MAPS];
	uint64_t *oui;
	int err = -ENOMEM;

	if (!s)
		return -ENOMEM;
	if (maps_mask & VW_SNAP_OUI) {
		s->oui = malloc(VW_OUI_BYTES);
		if (!s->oui)
			goto fail;
		err = oui_map(dp, &oui);
		if (err)
			goto fail;
		for (size_t i = 0; i < VW_OUI_WORDS; i++)
			s->oui[i] = __atomic_load_n(&oui[i], __ATOMIC_RELAXED);
		oui_unmap(oui);
	}
	snap_maps(dp, maps);
	for (size_t i = 0; i < VW_SNAP_MAPS; i++) {
		if (!(maps_mask & (1u << i)))
			continue;
		err = image_read(maps[i], &s->maps[i]);
		if (err)
			goto fail;
	}
	if (!s->oui) {
		s->dp = dp;
		dp->bits_log = s;
	}
	*out = s;
	return 0;
fail:
	vw_datapath_snapshot_free(s);
	return err;
}

/* Makes one map equal to its image: a merge of two sorted record lists,
 * writing what differs and deleting what the image does not have. */
static int image_restore(const struct map_image *want)
{
	struct map_image cur = {0};
	size_t rs = want->ks + want->vs, i = 0, j = 0;
	int fd = bpf_map__fd(want->map), err, first = 0;

	err = image_read(want->map, &cur);
	while (!err && (i < want->n || j < cur.n)) {
		const unsigned char *w = want->rec + i * rs, *c = cur.rec + j * rs;
		int order = i == want->n ? 1 : j == cur.n ? -1 : memcmp(w, c, want->ks);

		if (order > 0) {
			if (bpf_map_delete_elem(fd, c) < 0 && errno != ENOENT && !first)
				first = -errno;
			j++;
			continue;
		}
		if ((order < 0 || memcmp(w + want->ks, c + want->ks, want->vs)) &&
		    bpf_map_update_elem(fd, w, w + want->ks, BPF_ANY) < 0 && !first)
			first = -errno;
		i++;
		j += order == 0;
	}
	free(cur.rec);
	return err ? err : first;
}

/* Before a rollback rewrites vw_iface: the interfaces whose untagged
 * segment it changes leave theirs (iface_leave). */
static int ifaces_leave(struct vw_datapath *dp, const struct map_image *want)
{
	size_t rs = want->ks + want->vs;
	int err, first = 0;

	for (size_t i = 0; want->map && i < want->n; i++) {
		const unsigned char *r = want->rec + i * rs;
		const struct vw_iface *ifc = (const void *)(r + want->ks);

		err = iface_leave(dp, *(const uint32_t *)r, vw_ifbenign_slot(ifc));
		if (err && !first)
			first = err;
	}
	return first;
}

int vw_datapath_restore(struct vw_datapath *dp, const struct vw_datapath_snapshot *s)
{
	uint64_t *oui;
	int err, first = 0;

	first = ifaces_leave(dp, &s->maps[2]);	/* snap_maps: vw_iface */
	dp->if_slot_known = false;
	/* Finer entries first, as in a load: the bitmap points at them last. */
	for (size_t i = 0; i < VW_SNAP_MAPS; i++) {
		err = s->maps[i].map ? image_restore(&s->maps[i]) : 0;
		if (err && !first)
			first = err;
	}
	/* The configuration may carry another alert interval. */
	err = s->maps[0].map ? alert_cache_clear(dp) : 0;
	if (err && !first)
		first = err;
	if (!s->oui && !s->n_log)
		return first;
	err = oui_map(dp, &oui);
	if (err)
		return first ? first : err;
	for (size_t i = 0; s->oui && i < VW_OUI_WORDS; i++)
		if (__atomic_load_n(&oui[i], __ATOMIC_RELAXED) != s->oui[i])
			__atomic_store_n(&oui[i], s->oui[i], __ATOMIC_RELEASE);
	if (s->oui)
		dp->live_known = false;
	/* Newest first: a word logged twice ends at its first value. */
	for (size_t i = s->n_log; i-- > 0;) {
		__atomic_store_n(&oui[s->log[i].word], s->log[i].was, __ATOMIC_RELEASE);
		live_set(dp, s->log[i].word, s->log[i].was);
	}
	oui_unmap(oui);
	return first;
}

bool vw_datapath_snapshot_equal(const struct vw_datapath_snapshot *a,
				const struct vw_datapath_snapshot *b)
{
	if (!a->oui != !b->oui || (a->oui && memcmp(a->oui, b->oui, VW_OUI_BYTES)))
		return false;
	for (size_t i = 0; i < VW_SNAP_MAPS; i++) {
		const struct map_image *x = &a->maps[i], *y = &b->maps[i];

		if (!x->map != !y->map || x->n != y->n ||
		    (x->n && memcmp(x->rec, y->rec, x->n * (x->ks + x->vs))))
			return false;
	}
	return true;
}

int vw_datapath_list_devices(struct vw_datapath *dp, struct vw_device_entry **out, size_t *n)
{
	struct map_image im = { 0 };
	struct vw_device_entry *v;
	/* In a few batch lookups, as a snapshot reads it: key by key cost two
	 * system calls per entry (8,000 for 4,000 operator decisions). */
	int err = image_read(dp->skel->maps.vw_device, &im);

	if (err) {
		free(im.rec);
		return err;
	}
	v = calloc(im.n + 1, sizeof(*v));
	if (!v) {
		free(im.rec);
		return -ENOMEM;
	}
	for (size_t i = 0; i < im.n; i++) {
		const unsigned char *r = im.rec + i * (im.ks + im.vs);
		struct vw_device d;
		uint64_t key;

		memcpy(&key, r, sizeof(key));
		memcpy(&d, r + im.ks, sizeof(d));
		for (int b = 0; b < 6; b++)
			v[i].mac[b] = (uint8_t)(key >> (40 - 8 * b));
		v[i].flags = d.flags;
		v[i].vendor = d.vendor;
	}
	*out = v;
	*n = im.n;
	free(im.rec);
	return 0;
}

int vw_datapath_set_ip(struct vw_datapath *dp, const struct vw_ip_key *k, uint32_t flags,
		       uint16_t vendor)
{
	struct vw_device v = { .flags = flags, .vendor = vendor };
	int fd = bpf_map__fd(dp->skel->maps.vw_ip);

	if (flags)
		return update(dp->skel->maps.vw_ip, k, &v);
	if (bpf_map_delete_elem(fd, k) < 0)
		return errno == ENOENT ? 0 : -errno;
	return 0;
}

int vw_datapath_list_ips(struct vw_datapath *dp, struct vw_ip_key **out, size_t *n)
{
	void *raw = NULL;
	int err = map_keys(dp->skel->maps.vw_ip, sizeof(struct vw_ip_key), &raw, n);

	*out = err ? NULL : raw;
	return err;
}

// SPDX-License-Identifier: GPL-2.0-only
/* The pinned programs and their record (see progpin.h). */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "progpin.h"
#include "siphash.h"
#include "vendorwall.h"

#define RECORD_MAGIC  0x72707776u   /* "vwpr" */
#define MAX_PROG_MAPS 64

struct record {
	__u32 magic;
	__u32 ids[VW_PROG_N];
	__u32 pad;
	__u8 ident[VW_PROG_IDENT_LEN];
};

static const char *const names[VW_PROG_N] = { "vw_xdp_ingress", "vw_tc_egress" };
static const __u32 types[VW_PROG_N] = { BPF_PROG_TYPE_XDP, BPF_PROG_TYPE_SCHED_CLS };

/* The object's maps as pinned: each map, its pin's fd and id. */
struct pinned_maps {
	struct bpf_map *map[MAX_PROG_MAPS];
	int fd[MAX_PROG_MAPS];
	__u32 id[MAX_PROG_MAPS];
	size_t n;
};

const char *vw_prog_name(enum vw_prog p)
{
	return names[p];
}

void vw_prog_ident(const void *elf, size_t len, uint8_t out[VW_PROG_IDENT_LEN])
{
	/* Fixed keys, no secret: two independent halves of one identity.
	 * Only root writes the bpffs, so this tells builds apart; it does
	 * not need to resist a forger, who could write the maps anyway. */
	static const struct vw_siphash_key keys[2] = {
		{ 0x76656e646f727761ull, 0x6c6c2070726f6773ull },
		{ 0x70696e6e65642062ull, 0x7920766572736e21ull },
	};
	char tail[160];
	uint64_t h[2];
	int n;

	for (int i = 0; i < 2; i++)
		h[i] = vw_siphash24(&keys[i], elf, len);
	/* The same object loads differently under another libbpf; an upgrade
	 * of vendorwall always loads afresh. */
	n = snprintf(tail, sizeof(tail), "%016llx%016llx libbpf %u.%u vendorwall %s layout %u",
		     (unsigned long long)h[0], (unsigned long long)h[1], libbpf_major_version(),
		     libbpf_minor_version(), VW_VERSION, (unsigned int)VW_LAYOUT_VERSION);
	if (n < 0 || (size_t)n >= sizeof(tail))
		n = (int)sizeof(tail) - 1;
	for (int i = 0; i < 2; i++) {
		uint64_t v = vw_siphash24(&keys[i], tail, (size_t)n);

		memcpy(out + 8 * i, &v, sizeof(v));
	}
}

static int path_of(char *buf, const char *root, const char *name)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s/%s", root, VW_PIN_PROGS_DIR, name);

	return (n < 0 || n >= PATH_MAX) ? -ENAMETOOLONG : 0;
}

static int read_record(const char *root, struct record *r)
{
	struct bpf_map_info info = {0};
	__u32 len = sizeof(info), zero = 0;
	char path[PATH_MAX];
	int fd, err;

	err = path_of(path, root, VW_PIN_PROG_RECORD);
	if (err)
		return err;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	err = bpf_obj_get_info_by_fd(fd, &info, &len) < 0 ? -errno : 0;
	if (!err && (info.type != BPF_MAP_TYPE_ARRAY || info.key_size != sizeof(zero) ||
		     info.value_size != sizeof(*r) || info.max_entries != 1))
		err = -EPROTO;
	if (!err && bpf_map_lookup_elem(fd, &zero, r) < 0)
		err = -errno;
	close(fd);
	if (!err && r->magic != RECORD_MAGIC)
		err = -EPROTO;
	return err;
}

static void close_maps(struct pinned_maps *pm)
{
	for (size_t i = 0; i < pm->n; i++)
		close(pm->fd[i]);
	pm->n = 0;
}

static int open_maps(struct bpf_object *obj, struct pinned_maps *pm)
{
	struct bpf_map *map;
	int err = 0;

	pm->n = 0;
	bpf_object__for_each_map(map, obj) {
		struct bpf_map_info info = {0};
		__u32 len = sizeof(info);
		const char *path = bpf_map__pin_path(map);
		int fd;

		if (err || bpf_map__is_internal(map))
			continue;
		if (!path || pm->n == MAX_PROG_MAPS) {
			err = -EINVAL;
			continue;
		}
		fd = bpf_obj_get(path);
		if (fd < 0) {
			err = -errno;
			continue;
		}
		pm->map[pm->n] = map;
		pm->fd[pm->n++] = fd;
		if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0)
			err = -errno;
		pm->id[pm->n - 1] = info.id;
	}
	if (err)
		close_maps(pm);
	return err;
}

/* A constant map of the program's own object (.kconfig, .rodata): libbpf
 * creates those read-only to the program and frozen, so they hold what
 * the object put there, never state the daemon must see. */
static bool own_constant_map(__u32 id)
{
	struct bpf_map_info info = {0};
	__u32 len = sizeof(info);
	int fd = bpf_map_get_fd_by_id(id);
	bool ok;

	if (fd < 0)
		return false;
	ok = bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && info.type == BPF_MAP_TYPE_ARRAY &&
	     info.max_entries == 1 && (info.map_flags & BPF_F_RDONLY_PROG) &&
	     (strstr(info.name, ".kconfig") || strstr(info.name, ".rodata"));
	close(fd);
	return ok;
}

static bool uses_only(const __u32 *ids, __u32 n, const struct pinned_maps *pm)
{
	for (__u32 i = 0; i < n; i++) {
		bool pinned = false;

		for (size_t j = 0; j < pm->n && !pinned; j++)
			pinned = ids[i] == pm->id[j];
		if (!pinned && !own_constant_map(ids[i]))
			return false;
	}
	return true;
}

/* The pinned program p if it is the recorded one and runs on the pinned
 * maps: its fd, or -1. */
static int check_prog(const char *root, enum vw_prog p, const struct record *r,
		      const struct pinned_maps *pm)
{
	__u32 ids[MAX_PROG_MAPS], len;
	struct bpf_prog_info info;
	char path[PATH_MAX];
	int fd;

	if (path_of(path, root, names[p]))
		return -1;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -1;
	memset(&info, 0, sizeof(info));
	len = sizeof(info);
	info.nr_map_ids = MAX_PROG_MAPS;
	info.map_ids = (__u64)(uintptr_t)ids;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0 || info.id != r->ids[p] ||
	    info.type != types[p] || info.nr_map_ids > MAX_PROG_MAPS ||
	    !uses_only(ids, info.nr_map_ids, pm)) {
		close(fd);
		return -1;
	}
	return fd;
}

int vw_progpin_adopt(const char *root, const uint8_t ident[VW_PROG_IDENT_LEN],
		     struct bpf_object *obj, int fds[VW_PROG_N])
{
	struct pinned_maps pm = { .n = 0 };
	int pfd[VW_PROG_N], err = 0;
	struct record r;
	bool ok;

	if (read_record(root, &r) || memcmp(r.ident, ident, VW_PROG_IDENT_LEN))
		return 0;
	if (open_maps(obj, &pm))
		return 0;
	ok = true;
	for (int p = 0; p < VW_PROG_N; p++) {
		pfd[p] = ok ? check_prog(root, p, &r, &pm) : -1;
		ok = pfd[p] >= 0;
	}
	/* Past this point obj is bound to the pins: a failure is an error,
	 * not a reason to load. */
	for (size_t i = 0; ok && !err && i < pm.n; i++)
		err = bpf_map__reuse_fd(pm.map[i], pm.fd[i]);
	close_maps(&pm);
	for (int p = 0; p < VW_PROG_N; p++) {
		if (ok && !err)
			fds[p] = pfd[p];
		else if (pfd[p] >= 0)
			close(pfd[p]);
	}
	return err ? err : ok;
}

/* Unlinks path; missing is fine. */
static int unlink_pin(const char *root, const char *name)
{
	char path[PATH_MAX];
	int err = path_of(path, root, name);

	if (!err && unlink(path) < 0 && errno != ENOENT)
		err = -errno;
	return err;
}

static int pin_record(const char *root, const struct record *r)
{
	char path[PATH_MAX];
	__u32 zero = 0;
	int fd, err;

	err = path_of(path, root, VW_PIN_PROG_RECORD);
	if (err)
		return err;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "vw_progs", sizeof(zero), sizeof(*r), 1, NULL);
	if (fd < 0)
		return -errno;
	err = bpf_map_update_elem(fd, &zero, r, BPF_ANY) < 0 ? -errno : 0;
	/* Nobody writes it after this. */
	if (!err && bpf_map_freeze(fd) < 0)
		err = -errno;
	if (!err && bpf_obj_pin(fd, path) < 0)
		err = -errno;
	close(fd);
	return err;
}

int vw_progpin_save(const char *root, const uint8_t ident[VW_PROG_IDENT_LEN],
		    const int fds[VW_PROG_N])
{
	struct record r = { .magic = RECORD_MAGIC };
	char path[PATH_MAX];
	int err;

	memcpy(r.ident, ident, VW_PROG_IDENT_LEN);
	err = path_of(path, root, "");
	if (!err && mkdir(path, 0700) < 0 && errno != EEXIST)
		err = -errno;
	if (!err)
		err = unlink_pin(root, VW_PIN_PROG_RECORD);
	for (int p = 0; p < VW_PROG_N && !err; p++) {
		struct bpf_prog_info info = {0};
		__u32 len = sizeof(info);

		err = bpf_obj_get_info_by_fd(fds[p], &info, &len) < 0 ? -errno : 0;
		r.ids[p] = info.id;
		if (!err)
			err = unlink_pin(root, names[p]);
		if (!err && path_of(path, root, names[p]) == 0 && bpf_obj_pin(fds[p], path) < 0)
			err = -errno;
	}
	if (!err)
		err = pin_record(root, &r);
	return err;
}

int vw_progpin_remove(const char *root)
{
	char path[PATH_MAX];
	int first, err;

	/* The record first: what is left then is never taken over. */
	first = unlink_pin(root, VW_PIN_PROG_RECORD);
	for (int p = 0; p < VW_PROG_N; p++) {
		err = unlink_pin(root, names[p]);
		if (err && !first)
			first = err;
	}
	err = path_of(path, root, "");
	if (!err && rmdir(path) < 0 && errno != ENOENT)
		err = -errno;
	return first ? first : err;
}

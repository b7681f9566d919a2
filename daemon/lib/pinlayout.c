// SPDX-License-Identifier: GPL-2.0-only
/* The pinned map set as a versioned layout: adopt, convert, stage, commit. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "pinlayout.h"
#include "vendorwall.h"

#define MAX_MAPS      64
#define MAX_NAMES     128
#define MAX_KEY       64
#define MAX_META      4096

/* The counters of layout 1 (unversioned pins, up to commit 4553099) by
 * index. That layout recorded no names, so they are spelled as today's
 * vw_counter_name() spells the same counters (its "drop" and "redirect"
 * are today's "dropped" and "redirected"). */
static const char *const layout1_counters[] = {
	"benign", "malformed", "no_oui", "waiver", "quarantine", "device",
	"device_clear", "oui", "dropped", "redirected", "redirect_fail",
	"would_drop", "off", "event", "event_lost", "event_throttled",
	"sample", "sample_lost", "sample_throttled", "capped",
};

struct map_plan {
	struct bpf_map *map;
	int old_fd;               /* old pin of a converted map, else -1 */
	struct bpf_map_info old;
	const struct converter *conv;
};

struct vw_layout_plan;

/* A map whose meaning changed at layout `since` (an encoding, an index
 * formula, a reordered value): its pins of older layouts go through fn
 * (old pin -> new map, before the programs move) even if the shape fits.
 * Shape changes that only append (value fields, entries) need no entry. */
struct converter {
	const char *map;
	unsigned int since;
	int (*fn)(struct vw_layout_plan *p, struct map_plan *mp);
};

static int oui_from_2bit(struct vw_layout_plan *p, struct map_plan *mp);

static const struct converter converters[] = {
	/* Layout 3: 4 bits per OUI, one "look closer" bit per kind of entry. */
	{ "vw_oui", 3, oui_from_2bit },
	{ NULL, 0, NULL },
};

struct vw_layout_plan {
	char root[PATH_MAX];
	int ncpus;
	struct bpf_object *obj;
	struct vw_layout_report *rep;
	struct map_plan maps[MAX_MAPS];
	size_t n;
	bool pending;
	bool staged;
	bool committed;
	char meta_val[MAX_META] __attribute__((aligned(8)));  /* old_names point here */
	const char *old_names[MAX_NAMES];
	unsigned int n_old_names;
};

static void say(struct vw_layout_report *rep, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rep->detail, sizeof(rep->detail), fmt, ap);
	va_end(ap);
}

static int path_of(char *buf, const char *root, const char *dir, const char *name)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s/%s", root, dir, name);

	return (n < 0 || n >= PATH_MAX) ? -ENAMETOOLONG : 0;
}

/* Unlinks every pin in dir and dir itself; missing is fine. */
static int remove_pin_dir(const char *dir)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);
	int first = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' &&
		    (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path))
			continue;
		if (unlink(path) < 0 && errno != ENOENT && !first)
			first = -errno;
	}
	closedir(d);
	if (rmdir(dir) < 0 && errno != ENOENT && !first)
		first = -errno;
	return first;
}

static bool dir_has_pins(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	bool any = false;

	if (!d)
		return false;
	while (!any && (de = readdir(d)))
		any = de->d_name[0] != '.';
	closedir(d);
	return any;
}

int vw_layout_meta_parse(const void *val, size_t len, const char **names,
			 unsigned int max_names, unsigned int *n_names)
{
	const struct vw_layout_meta *m = val;
	const char *p, *end;
	unsigned int n = 0;

	if (len < offsetof(struct vw_layout_meta, counters) || m->magic != VW_LAYOUT_MAGIC ||
	    m->version < 2 || m->version > INT_MAX)
		return -EPROTO;
	p = m->counters;
	end = (const char *)val + len;
	while (n < m->n_counters && n < max_names && p < end) {
		const char *nul = memchr(p, '\0', (size_t)(end - p));

		if (!nul || nul == p)
			return -EPROTO;
		names[n++] = p;
		p = nul + 1;
	}
	if (n != m->n_counters)
		return -EPROTO;
	*n_names = n;
	return (int)m->version;
}

static int meta_fill(struct vw_layout_meta *m)
{
	size_t off = 0;

	memset(m, 0, sizeof(*m));
	m->magic = VW_LAYOUT_MAGIC;
	m->version = VW_LAYOUT_VERSION;
	m->n_counters = VW_CTR_MAX;
	for (unsigned int i = 0; i < VW_CTR_MAX; i++) {
		size_t len = strlen(vw_counter_name(i)) + 1;

		if (off + len > sizeof(m->counters))
			return -ENAMETOOLONG;
		memcpy(m->counters + off, vw_counter_name(i), len);
		off += len;
	}
	return 0;
}

/* Creates a meta map holding this daemon's layout and pins it at path. */
static int meta_pin(const char *path)
{
	struct vw_layout_meta m;
	__u32 zero = 0;
	int fd, err;

	err = meta_fill(&m);
	if (err)
		return err;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, VW_PIN_META, sizeof(zero), sizeof(m), 1, NULL);
	if (fd < 0)
		return -errno;
	err = bpf_map_update_elem(fd, &zero, &m, BPF_ANY) < 0 ? -errno : 0;
	if (!err && bpf_obj_pin(fd, path) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Which layout the pins under root are: 0 none, 1 unversioned, else the
 * meta's. Records the old counter names. -EPROTO when refused. */
static int read_layout(struct vw_layout_plan *p)
{
	struct bpf_map_info info = {0};
	__u32 len = sizeof(info), zero = 0;
	char path[PATH_MAX];
	int fd, ver, err;

	err = path_of(path, p->root, VW_PIN_MAPS_DIR, VW_PIN_META);
	if (err)
		return err;
	fd = bpf_obj_get(path);
	if (fd < 0 && errno != ENOENT)
		return -errno;
	if (fd < 0) {
		path[strlen(path) - strlen(VW_PIN_META)] = '\0';
		if (!dir_has_pins(path))
			return 0;
		p->n_old_names = sizeof(layout1_counters) / sizeof(layout1_counters[0]);
		memcpy(p->old_names, layout1_counters, sizeof(layout1_counters));
		return 1;
	}
	err = bpf_obj_get_info_by_fd(fd, &info, &len) < 0 ? -errno : 0;
	if (!err && (info.type != BPF_MAP_TYPE_ARRAY || info.key_size != 4 ||
		     info.value_size > MAX_META))
		err = -EPROTO;
	if (!err && bpf_map_lookup_elem(fd, &zero, p->meta_val) < 0)
		err = -errno;
	close(fd);
	ver = err ? err : vw_layout_meta_parse(p->meta_val, info.value_size, p->old_names,
					       MAX_NAMES, &p->n_old_names);
	if (ver == -EPROTO)
		say(p->rep, "%s is not a vendorwall layout record; the pins under %s "
		    "were left as they are (enforcement unchanged). Remove them "
		    "after detaching if they are stale.", path, p->root);
	return ver;
}

static bool same_shape(const struct bpf_map *map, const struct bpf_map_info *i)
{
	return bpf_map__type(map) == i->type && bpf_map__key_size(map) == i->key_size &&
	       bpf_map__value_size(map) == i->value_size &&
	       bpf_map__max_entries(map) == i->max_entries &&
	       bpf_map__map_flags(map) == i->map_flags;
}

/* 'a'rray, 'h'ash, 'r'ingbuf; upper case when per-CPU; 0 unknown. */
static char kind(__u32 type)
{
	switch (type) {
	case BPF_MAP_TYPE_ARRAY: return 'a';
	case BPF_MAP_TYPE_PERCPU_ARRAY: return 'A';
	case BPF_MAP_TYPE_HASH: case BPF_MAP_TYPE_LRU_HASH: return 'h';
	case BPF_MAP_TYPE_PERCPU_HASH: case BPF_MAP_TYPE_LRU_PERCPU_HASH: return 'H';
	case BPF_MAP_TYPE_RINGBUF: return 'r';
	default: return 0;
	}
}

static bool is_counters(const struct bpf_map *map)
{
	return !strcmp(bpf_map__name(map), "vw_counters");
}

/* Counters have a meaning beyond their shape: same names in the same
 * order, or they are converted. */
static bool counters_renamed(const struct vw_layout_plan *p)
{
	if (p->n_old_names != VW_CTR_MAX)
		return true;
	for (unsigned int i = 0; i < VW_CTR_MAX; i++)
		if (strcmp(p->old_names[i], vw_counter_name(i)))
			return true;
	return false;
}

static bool convertible(const struct bpf_map *map, const struct bpf_map_info *i)
{
	char kn = kind(bpf_map__type(map)), ko = kind(i->type);

	if (is_counters(map))
		return true;   /* what cannot be interpreted restarts at zero */
	if (!kn || !ko || (kn == 'r') != (ko == 'r'))
		return false;
	return (kn >= 'A' && kn <= 'Z') == (ko >= 'A' && ko <= 'Z') &&
	       (kn == 'r' || (bpf_map__key_size(map) == i->key_size && i->key_size <= MAX_KEY));
}

static void refuse_map(struct vw_layout_plan *p, const struct bpf_map *map,
		       const struct bpf_map_info *i)
{
	say(p->rep, "map %s pinned under %s/%s (type %u, key %u, value %u, entries %u) "
	    "cannot be converted to this vendorwalld's (type %u, key %u, value %u, "
	    "entries %u): no conversion is known. Nothing was changed and enforcement "
	    "goes on as before; run the vendorwalld that made these pins, or add a "
	    "converter to daemon/lib/pinlayout.c.", bpf_map__name(map), p->root,
	    VW_PIN_MAPS_DIR, i->type, i->key_size, i->value_size, i->max_entries,
	    bpf_map__type(map), bpf_map__key_size(map), bpf_map__value_size(map),
	    bpf_map__max_entries(map));
}

static const struct converter *converter_for(const struct vw_layout_plan *p,
					     const struct bpf_map *map)
{
	for (const struct converter *c = converters; c->map; c++)
		if (!strcmp(c->map, bpf_map__name(map)) && p->rep->found < c->since)
			return c;
	return NULL;
}

/* Points map at its pin (reuse or create-and-pin at load) or plans its
 * conversion from the old pin. */
static int plan_map(struct vw_layout_plan *p, struct bpf_map *map)
{
	struct map_plan *mp = &p->maps[p->n < MAX_MAPS ? p->n : MAX_MAPS - 1];
	__u32 len = sizeof(mp->old);
	char path[PATH_MAX];
	int fd, err;

	if (p->n == MAX_MAPS)
		return -E2BIG;
	err = path_of(path, p->root, VW_PIN_MAPS_DIR, bpf_map__name(map));
	if (err)
		return err;
	fd = bpf_obj_get(path);
	if (fd < 0 && errno != ENOENT)
		return -errno;
	memset(&mp->old, 0, sizeof(mp->old));
	if (fd >= 0 && bpf_obj_get_info_by_fd(fd, &mp->old, &len) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	mp->conv = fd >= 0 ? converter_for(p, map) : NULL;
	if (fd < 0 || (same_shape(map, &mp->old) && !mp->conv &&
		       !(is_counters(map) && counters_renamed(p)))) {
		if (fd >= 0)
			close(fd);
		fd < 0 ? p->rep->created++ : p->rep->adopted++;
		return bpf_map__set_pin_path(map, path);
	}
	if (!mp->conv && !convertible(map, &mp->old)) {
		refuse_map(p, map, &mp->old);
		close(fd);
		return -EPROTO;
	}
	mp->map = map;
	mp->old_fd = fd;
	p->n++;
	p->rep->converted++;
	p->pending = true;
	return 0;
}

static void say_newer(struct vw_layout_plan *p, int ver)
{
	say(p->rep, "the pins under %s are layout %d, newer than this vendorwalld's "
	    "layout %d (a downgrade). They were left untouched and enforcement goes on "
	    "as the newer vendorwalld left it. Run a vendorwalld of layout %d or later; "
	    "to go back to this version anyway, stop enforcement first "
	    "(OnStop=detach, or remove the links and pins under %s).",
	    p->root, ver, VW_LAYOUT_VERSION, ver, p->root);
}

int vw_layout_begin(struct vw_layout_plan **out, const char *root,
		    struct bpf_object *obj, int ncpus, struct vw_layout_report *rep)
{
	struct vw_layout_plan *p;
	struct bpf_map *map;
	char path[PATH_MAX];
	int ver, err;

	memset(rep, 0, sizeof(*rep));
	rep->running = VW_LAYOUT_VERSION;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->obj = obj;
	p->rep = rep;
	p->ncpus = ncpus;
	if (snprintf(p->root, sizeof(p->root), "%s", root) >= (int)sizeof(p->root)) {
		err = -ENAMETOOLONG;
		goto fail;
	}
	ver = read_layout(p);
	if (ver > VW_LAYOUT_VERSION) {
		say_newer(p, ver);
		ver = -EPROTO;
	}
	err = ver < 0 ? ver : 0;
	if (err)
		goto fail;
	rep->found = (unsigned int)ver;
	/* What an interrupted upgrade staged is never the live set. */
	err = path_of(path, root, VW_PIN_STAGE_DIR, "");
	if (!err)
		err = remove_pin_dir(path);
	bpf_object__for_each_map(map, obj) {
		if (bpf_map__is_internal(map) || err)
			continue;
		err = plan_map(p, map);
	}
	if (err)
		goto fail;
	if (ver == 0) {
		/* Recorded before the maps exist, so they are never unversioned. */
		err = path_of(path, root, VW_PIN_MAPS_DIR, VW_PIN_META);
		if (!err)
			err = meta_pin(path);
		if (err)
			goto fail;
	}
	p->pending |= ver != 0 && ver != VW_LAYOUT_VERSION;
	*out = p;
	return 0;
fail:
	vw_layout_free(p);
	return err;
}

bool vw_layout_pending(const struct vw_layout_plan *p)
{
	return p->pending;
}

static size_t stride(__u32 value_size)
{
	return ((size_t)value_size + 7) & ~(size_t)7;
}

static bool all_zero(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i])
			return false;
	return true;
}

/* How one old value becomes a new one: cut or zero-extended, per CPU. */
struct copy_ctx {
	size_t cpus, os, ns, keep;
	bool array;
	int nfd;
	char *nv;
};

static int put_entry(struct vw_layout_plan *p, struct copy_ctx *c, const void *key,
		     const char *ov)
{
	memset(c->nv, 0, c->cpus * c->ns);
	for (size_t i = 0; i < c->cpus; i++)
		memcpy(c->nv + i * c->ns, ov + i * c->os, c->keep);
	/* A new array starts zeroed; only what differs is written. */
	if (c->array && all_zero(c->nv, c->cpus * c->ns))
		return 0;
	if (bpf_map_update_elem(c->nfd, key, c->nv, BPF_ANY) == 0)
		return 0;
	if (errno != E2BIG && errno != ENOSPC && errno != ENOMEM)
		return -errno;
	p->rep->lost++;
	return 0;
}

/* Arrays in chunks (the OUI bitmap has half a million words): one
 * syscall per chunk instead of two per entry. -ENOTSUP when the kernel
 * has no batch operations for this map. */
static int walk_array(struct vw_layout_plan *p, struct map_plan *mp, struct copy_ctx *c)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	const __u32 chunk = 4096;
	size_t vsz = c->cpus * c->os;
	__u32 out = 0, count, *keys = calloc(chunk, sizeof(*keys));
	char *vals = calloc(chunk, vsz ? vsz : 1);
	void *in = NULL;
	bool last = false;
	int err = keys && vals ? 0 : -ENOMEM;

	while (!err && !last) {
		count = chunk;
		if (bpf_map_lookup_batch(mp->old_fd, in, &out, keys, vals, &count, &opts) < 0) {
			if (errno != ENOENT)
				err = in ? -errno : -ENOTSUP;
			last = true;
		}
		for (__u32 i = 0; i < count && !err; i++)
			err = put_entry(p, c, &keys[i], vals + i * vsz);
		in = &out;
	}
	free(keys);
	free(vals);
	return err;
}

/* Any map, key by key. An LRU map the old program still writes may
 * restart the walk; the budget bounds it. */
static int walk_keys(struct vw_layout_plan *p, struct map_plan *mp, struct copy_ctx *c)
{
	unsigned long budget = (unsigned long)mp->old.max_entries * 2 + 1024;
	char key[MAX_KEY], next[MAX_KEY];
	char *ov = calloc(c->cpus, c->os ? c->os : 1);
	void *prev = NULL;
	int err = ov ? 0 : -ENOMEM;

	while (!err && budget && bpf_map_get_next_key(mp->old_fd, prev, next) == 0) {
		budget--;
		memcpy(key, next, mp->old.key_size);
		prev = key;
		if (bpf_map_lookup_elem(mp->old_fd, key, ov) == 0)
			err = put_entry(p, c, key, ov);
		else if (errno != ENOENT)   /* ENOENT: gone meanwhile */
			err = -errno;
	}
	if (!err && budget && errno != ENOENT)
		err = -errno;
	free(ov);
	return err;
}

/* Copies every entry of the old map into the new one: same key, value cut
 * or zero-extended (per CPU for per-CPU maps). */
static int copy_entries(struct vw_layout_plan *p, struct map_plan *mp)
{
	const struct bpf_map_info *o = &mp->old;
	__u32 nvs = bpf_map__value_size(mp->map);
	char nk = kind(bpf_map__type(mp->map)), ok = kind(o->type);
	bool percpu = ok >= 'A' && ok <= 'Z';
	struct copy_ctx c = {
		.cpus = percpu ? (size_t)p->ncpus : 1,
		.os = percpu ? stride(o->value_size) : o->value_size,
		.ns = percpu ? stride(nvs) : nvs,
		.keep = o->value_size < nvs ? o->value_size : nvs,
		.array = nk == 'a' || nk == 'A',
		.nfd = bpf_map__fd(mp->map),
	};
	int err = -ENOTSUP;

	c.nv = calloc(c.cpus, c.ns ? c.ns : 1);
	if (!c.nv)
		return -ENOMEM;
	if (ok == 'a' || ok == 'A')
		err = walk_array(p, mp, &c);
	if (err == -ENOTSUP)
		err = walk_keys(p, mp, &c);
	free(c.nv);
	return err;
}

/* The 4-bit OUI bits of a layout-2 (2 bits per OUI, 32 per word) pair:
 * its one "look closer" bit becomes all three kinds, so every lookup the
 * old bit allowed still happens until the policy load sets the exact ones. */
static __u32 oui_bits_from_2bit(__u64 word, __u32 j)
{
	__u32 b = (word >> (j * 2)) & 3;

	return (b & 1 ? VW_OUI_BIT_RESTRICTED : 0) | (b & 2 ? VW_OUI_BIT_SLOW : 0);
}

/* Reads the old bitmap key by key (it may not be mmapable; half a million
 * lookups take a fraction of a second, once per upgrade), re-encodes it in
 * memory and writes the words that are not zero into the new, zeroed map. */
static int oui_from_2bit(struct vw_layout_plan *p, struct map_plan *mp)
{
	__u32 n_old = mp->old.max_entries;
	int nfd = bpf_map__fd(mp->map);
	__u64 *words = calloc(VW_OUI_WORDS, sizeof(*words)), v;
	int err = words ? 0 : -ENOMEM;

	if (!err && (mp->old.value_size != 8 || n_old != VW_OUI_WORDS / 2))
		err = -EPROTO;
	for (__u32 k = 0; k < n_old && !err; k++) {
		if (bpf_map_lookup_elem(mp->old_fd, &k, &v) < 0) {
			err = -errno;
			break;
		}
		for (__u32 j = 0; v && j < 32; j++) {
			__u32 oui = k * 32 + j;

			words[vw_oui_word(oui)] |= vw_oui_bits_at(oui, oui_bits_from_2bit(v, j));
		}
	}
	for (__u32 i = 0; i < VW_OUI_WORDS && !err; i++)
		if (words[i] && bpf_map_update_elem(nfd, &i, &words[i], BPF_ANY) < 0)
			err = -errno;
	free(words);
	return err;
}

int vw_layout_convert(struct vw_layout_plan *p)
{
	int err = 0;

	for (size_t i = 0; i < p->n && !err; i++) {
		struct map_plan *mp = &p->maps[i];

		if (mp->conv)
			err = mp->conv->fn(p, mp);
		else if (is_counters(mp->map) || kind(mp->old.type) == 'r')
			continue;
		else
			err = copy_entries(p, mp);
		if (err)
			say(p->rep, "copying %s from its old pin failed: %s; nothing was "
			    "changed under %s", bpf_map__name(mp->map), strerror(-err), p->root);
	}
	return err;
}

int vw_layout_stage(struct vw_layout_plan *p)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct bpf_map *map;
	int err;

	err = path_of(dir, p->root, VW_PIN_STAGE_DIR, "");
	if (err)
		return err;
	if (mkdir(dir, 0700) < 0)
		return -errno;
	p->staged = true;
	bpf_object__for_each_map(map, p->obj) {
		if (bpf_map__is_internal(map))
			continue;
		err = path_of(path, p->root, VW_PIN_STAGE_DIR, bpf_map__name(map));
		if (err)
			return err;
		if (bpf_obj_pin(bpf_map__fd(map), path) < 0)
			return -errno;
	}
	err = path_of(path, p->root, VW_PIN_STAGE_DIR, VW_PIN_META);
	return err ? err : meta_pin(path);
}

/* Where counter c of slot lives: one u64 per key (key = slot * n + c) or
 * one row of n u64 per slot (key = slot). -1 for any other shape. */
struct ctr_shape {
	unsigned int n;
	bool rows;
	int fd;
	size_t cpus, vsz;
};

static int ctr_shape(struct ctr_shape *s, unsigned int n, __u32 type, __u32 max,
		     __u32 value_size, int fd, int ncpus)
{
	char k = kind(type);

	if (!n || (k != 'a' && k != 'A'))
		return -1;
	s->n = n;
	s->fd = fd;
	s->cpus = k == 'A' ? (size_t)ncpus : 1;
	s->vsz = k == 'A' ? stride(value_size) : value_size;
	if (value_size == 8 && max == VW_MAX_SEGMENTS * n)
		s->rows = false;
	else if (max == VW_MAX_SEGMENTS && value_size == 8 * n)
		s->rows = true;
	else
		return -1;
	return 0;
}

static __u32 ctr_key(const struct ctr_shape *s, __u32 slot, unsigned int c)
{
	return s->rows ? slot : slot * s->n + c;
}

static size_t ctr_off(const struct ctr_shape *s, unsigned int c)
{
	return s->rows ? (size_t)c * 8 : 0;
}

/* Adds one old counter (summed over CPUs) to the first CPU's new one. */
static int add_counter(const struct ctr_shape *os, unsigned int oc,
		       const struct ctr_shape *ns, unsigned int nc, char *ob, char *nb)
{
	__u64 sum = 0, v;

	for (__u32 slot = 0; slot < VW_MAX_SEGMENTS; slot++) {
		__u32 ok = ctr_key(os, slot, oc), nk = ctr_key(ns, slot, nc);

		if (bpf_map_lookup_elem(os->fd, &ok, ob) < 0)
			return -errno;
		sum = 0;
		for (size_t c = 0; c < os->cpus; c++) {
			memcpy(&v, ob + c * os->vsz + ctr_off(os, oc), sizeof(v));
			sum += v;
		}
		if (!sum)
			continue;
		if (bpf_map_lookup_elem(ns->fd, &nk, nb) < 0)
			return -errno;
		memcpy(&v, nb + ctr_off(ns, nc), sizeof(v));
		v += sum;
		memcpy(nb + ctr_off(ns, nc), &v, sizeof(v));
		if (bpf_map_update_elem(ns->fd, &nk, nb, BPF_ANY) < 0)
			return -errno;
	}
	return 0;
}

/* Carries the old counters over by name, once the old programs no longer
 * count into them. Counters the old set did not have start at zero. */
static int add_counters(struct vw_layout_plan *p, struct map_plan *mp)
{
	struct ctr_shape os, ns;
	char *ob = NULL, *nb = NULL;
	int err = 0;

	if (ctr_shape(&os, p->n_old_names, mp->old.type, mp->old.max_entries,
		      mp->old.value_size, mp->old_fd, p->ncpus) ||
	    ctr_shape(&ns, VW_CTR_MAX, bpf_map__type(mp->map), bpf_map__max_entries(mp->map),
		      bpf_map__value_size(mp->map), bpf_map__fd(mp->map), p->ncpus)) {
		p->rep->counters_dropped = true;
		return 0;
	}
	ob = calloc(os.cpus, os.vsz);
	nb = calloc(ns.cpus, ns.vsz);
	if (!ob || !nb)
		err = -ENOMEM;
	for (unsigned int nc = 0; nc < VW_CTR_MAX && !err; nc++) {
		for (unsigned int oc = 0; oc < p->n_old_names; oc++) {
			if (strcmp(p->old_names[oc], vw_counter_name(nc)))
				continue;
			err = add_counter(&os, oc, &ns, nc, ob, nb);
			break;
		}
	}
	free(ob);
	free(nb);
	return err;
}

int vw_layout_commit(struct vw_layout_plan *p)
{
	char live[PATH_MAX], stage[PATH_MAX], path[PATH_MAX];
	int err;

	err = path_of(live, p->root, VW_PIN_MAPS_DIR, "");
	if (!err)
		err = path_of(stage, p->root, VW_PIN_STAGE_DIR, "");
	if (err)
		return err;
	/* One rename: a crash leaves either the whole old or the whole new set. */
	if (renameat2(AT_FDCWD, stage, AT_FDCWD, live, RENAME_EXCHANGE) < 0)
		return -errno;
	p->committed = true;
	for (size_t i = 0; i < p->n; i++) {
		struct map_plan *mp = &p->maps[i];

		if (is_counters(mp->map) && !mp->conv && !err)
			err = add_counters(p, mp);
		if (path_of(path, p->root, VW_PIN_MAPS_DIR, bpf_map__name(mp->map)) == 0)
			bpf_map__set_pin_path(mp->map, path);
	}
	/* The old set, now under the staging name. */
	remove_pin_dir(stage);
	return err;
}

void vw_layout_free(struct vw_layout_plan *p)
{
	char stage[PATH_MAX];

	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		if (p->maps[i].old_fd >= 0)
			close(p->maps[i].old_fd);
	if (p->staged && !p->committed && path_of(stage, p->root, VW_PIN_STAGE_DIR, "") == 0)
		remove_pin_dir(stage);
	free(p);
}

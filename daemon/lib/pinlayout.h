/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The pinned map set as a versioned layout: which layout the pins under a
 * BPF root are, which maps can be reused as they are, which must be created
 * anew and filled from their old pin, and the atomic replacement of the
 * whole set once the programs run on the new maps.
 *
 * A map is reused when its pin has the shape the program needs (type, key,
 * value, entries, flags: what libbpf's reuse checks). Otherwise its entries
 * are copied into a new map: same key size, values cut or zero-extended to
 * the new size (fields are only ever appended). A map whose meaning changes
 * (an encoding, an index formula, a field moved) needs VW_LAYOUT_VERSION
 * bumped and an entry in pinlayout.c's converters[]; the generic copy
 * cannot tell such a change from an append. vw_counters is converted by
 * counter name, from the names the meta map of the old set records, so
 * adding, removing or reordering counters needs neither.
 */
#ifndef VW_PINLAYOUT_H
#define VW_PINLAYOUT_H

#include <stdbool.h>
#include <linux/types.h>

struct bpf_object;
struct vw_layout_plan;

/* vw_meta[0]: written by the daemon, never read by the data plane. The
 * counter names make a pin set self-describing, so a later layout maps
 * counters by name without a table of every layout before it. */
#define VW_LAYOUT_MAGIC       0x766c6179u   /* "vlay" */
#define VW_LAYOUT_NAMES_BYTES 496u

struct vw_layout_meta {
	__u32 magic;
	__u32 version;      /* VW_LAYOUT_VERSION of the daemon that wrote it */
	__u32 n_counters;   /* per segment slot */
	__u32 pad;
	char counters[VW_LAYOUT_NAMES_BYTES];  /* NUL-separated, index order */
};

struct vw_layout_report {
	unsigned int found;      /* layout of the pins: 0 none, 1 unversioned */
	unsigned int running;    /* VW_LAYOUT_VERSION */
	unsigned int adopted;    /* maps reused as they were */
	unsigned int converted;  /* maps recreated and filled from the old pin */
	unsigned int created;    /* maps that had no pin */
	unsigned long lost;      /* old entries the new maps had no room for */
	bool counters_dropped;   /* old counters could not be interpreted */
	char detail[512];        /* why a pin set was refused, or what changed */
};

/* Before the object is loaded: reads the layout under root, removes what
 * an interrupted upgrade left, and points each map at its pin or marks it
 * for conversion. -EPROTO (rep->detail says why and what to do) for a set
 * this daemon cannot take over: a newer layout, a foreign meta, a map with
 * no known conversion. Nothing under root is changed in that case. */
int vw_layout_begin(struct vw_layout_plan **out, const char *root,
		    struct bpf_object *obj, int ncpus, struct vw_layout_report *rep);
/* After load: fills the converted maps from their old pins (all but
 * counters, which are added once the old programs are gone). */
int vw_layout_convert(struct vw_layout_plan *p);
/* True when the programs must be moved to the new set and it committed. */
bool vw_layout_pending(const struct vw_layout_plan *p);
/* Pins the whole new set, with its meta, into the staging directory. */
int vw_layout_stage(struct vw_layout_plan *p);
/* Once every link runs the new programs: swaps the staged set in for the
 * old one in one rename, adds the old counters, removes the old pins. */
int vw_layout_commit(struct vw_layout_plan *p);
/* Closes the old maps; an uncommitted staging directory is removed. */
void vw_layout_free(struct vw_layout_plan *p);

/* Parses a meta value (as read from the pin) into version and names;
 * exposed for the unit test. Returns the version or -EPROTO. */
int vw_layout_meta_parse(const void *val, size_t len, const char **names,
			 unsigned int max_names, unsigned int *n_names);

#endif

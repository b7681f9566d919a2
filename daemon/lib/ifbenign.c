// SPDX-License-Identifier: GPL-2.0-only
/*
 * The data plane counts an untagged benign frame by its receiving
 * interface, not its segment (the segment lookup is the costly part of
 * such a frame). The rule that gives those counts to segments: a frame
 * counts in the segment its interface belonged to when it was counted,
 * as when the data plane counted it by segment. So the count of an
 * interface is split where its segment changes: before vw_iface changes
 * (a policy commit, a detach, a vanished link, a rollback), what the
 * interface counted since its last split goes to the slot it leaves
 * ([VW_IFB_CARRY + slot]) and the count it stood at becomes its base.
 * Only the daemon writes base and carry and the data plane only adds to
 * [ifindex], so the per-CPU read-modify-write here races with no frame.
 * A frame counted between the split and the vw_iface update goes to the
 * old segment: it may as well have arrived a moment earlier.
 */
#include <errno.h>
#include <stdlib.h>

#include <bpf/bpf.h>

#include "ifbenign.h"

/* The per-CPU values of entry key into v (ncpus of them). */
static int get(int fd, uint32_t key, uint64_t *v)
{
	return bpf_map_lookup_elem(fd, &key, v) < 0 ? -errno : 0;
}

int vw_ifbenign_fold(int ifb_fd, int ncpus, uint32_t ifindex, uint32_t slot)
{
	uint64_t *v = calloc(3 * (size_t)ncpus, sizeof(*v));
	uint64_t *cnt = v, *base = v + ncpus, *carry = v + 2 * ncpus;
	uint32_t k;
	int err;

	if (!v)
		return -ENOMEM;
	if (ifindex >= VW_MAX_IFINDEX || slot >= VW_MAX_SEGMENTS) {
		free(v);
		return -ERANGE;
	}
	err = get(ifb_fd, ifindex, cnt);
	err = err ?: get(ifb_fd, VW_IFB_BASE + ifindex, base);
	err = err ?: get(ifb_fd, VW_IFB_CARRY + slot, carry);
	if (!err) {
		for (int c = 0; c < ncpus; c++)
			carry[c] += cnt[c] - base[c];
		/* Carry first: a failure in between counts frames twice
		 * rather than losing them. */
		k = VW_IFB_CARRY + slot;
		if (bpf_map_update_elem(ifb_fd, &k, carry, BPF_ANY) < 0)
			err = -errno;
		k = VW_IFB_BASE + ifindex;
		if (!err && bpf_map_update_elem(ifb_fd, &k, cnt, BPF_ANY) < 0)
			err = -errno;
	}
	free(v);
	return err;
}

int vw_ifbenign_read_slots(int iface_fd, uint16_t *slots)
{
	struct vw_iface *vals = calloc(VW_MAX_IFINDEX, sizeof(*vals));
	uint32_t *keys = calloc(VW_MAX_IFINDEX, sizeof(*keys));
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint32_t got = 0, out = 0, count;
	int err = 0;

	for (uint32_t i = 0; i < VW_MAX_IFINDEX; i++)
		slots[i] = 0;
	while (!err && keys && vals && got < VW_MAX_IFINDEX) {
		count = VW_MAX_IFINDEX - got;
		err = bpf_map_lookup_batch(iface_fd, got ? &out : NULL, &out, keys + got,
					   vals + got, &count, &opts);
		got += count;
		if (err < 0)
			err = errno == ENOENT ? 1 : -errno;  /* ENOENT: the end */
	}
	if (!keys || !vals)
		err = -ENOMEM;
	for (uint32_t i = 0; err >= 0 && i < got; i++)
		if (keys[i] < VW_MAX_IFINDEX)
			slots[keys[i]] = (uint16_t)vw_ifbenign_slot(&vals[i]);
	free(keys);
	free(vals);
	return err < 0 ? err : 0;
}

int vw_ifbenign_sum(int ifb_fd, int ncpus, uint32_t slot, const uint16_t *slots,
		    uint64_t *out)
{
	uint64_t *v = calloc(2 * (size_t)ncpus, sizeof(*v));
	uint64_t *cnt = v, *base = v + ncpus, sum = 0;
	int err;

	if (!v)
		return -ENOMEM;
	if (slot >= VW_MAX_SEGMENTS) {
		free(v);
		return -ERANGE;
	}
	err = get(ifb_fd, VW_IFB_CARRY + slot, cnt);
	for (int c = 0; !err && c < ncpus; c++)
		sum += cnt[c];
	for (uint32_t i = 0; !err && i < VW_MAX_IFINDEX; i++) {
		if (slots[i] != slot)
			continue;
		err = get(ifb_fd, i, cnt);
		err = err ?: get(ifb_fd, VW_IFB_BASE + i, base);
		for (int c = 0; !err && c < ncpus; c++)
			sum += cnt[c] - base[c];
	}
	if (!err)
		*out = sum;
	free(v);
	return err;
}

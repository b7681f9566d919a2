// SPDX-License-Identifier: GPL-2.0-only
/*
 * Flood generator for tests/e2e/flood.sh, run by tests/helpers/flood-gen
 * through BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES: every frame
 * of the page pool passes through here, gets a new source MAC (one of
 * `distinct`, spread over restricted vendors' OUIs) and goes out with
 * XDP_TX, i.e. to the veth peer. One frame in `mgmt_every` is an LLDP
 * frame (sampled by the data plane), the others an experimental EtherType.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct vw_flood_state {
	__u64 sent;        /* frames rewritten so far */
	__u64 distinct;    /* source MACs cycle through this many */
	__u64 mgmt_every;  /* one management frame in this many; 0 = none */
	__u64 mgmt;        /* management frames sent */
	__u32 ouis[8];     /* restricted OUIs, set by flood-gen */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct vw_flood_state);
} vw_flood_state SEC(".maps");

#define N_OUIS 8   /* a power of two: the index is a mask */

SEC("xdp")
int vw_flood(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct vw_flood_state *st;
	__u32 zero = 0, oui, nic, k;
	__u64 n, idx;

	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	st = bpf_map_lookup_elem(&vw_flood_state, &zero);
	if (!st || !st->distinct)
		return XDP_ABORTED;
	/* One generator thread: a plain increment is enough. */
	n = st->sent++;
	idx = n % st->distinct;
	k = (__u32)idx & (N_OUIS - 1);
	oui = st->ouis[k];
	nic = (__u32)(idx / N_OUIS) & 0xffffff;
	eth->h_source[0] = oui >> 16;
	eth->h_source[1] = oui >> 8;
	eth->h_source[2] = oui;
	eth->h_source[3] = nic >> 16;
	eth->h_source[4] = nic >> 8;
	eth->h_source[5] = nic;
	if (st->mgmt_every && n % st->mgmt_every == 0) {
		eth->h_proto = bpf_htons(0x88cc);
		st->mgmt++;
	} else {
		eth->h_proto = bpf_htons(0x88b5);
	}
	return XDP_TX;
}

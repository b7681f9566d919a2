// SPDX-License-Identifier: GPL-2.0-only
/*
 * Floor programs for vw-bench (issue 12 §1): the least work a frame must
 * do in this product, on vendorwall's own maps, so `make bench` measures on
 * the CPU it runs on how close vw_xdp_ingress is to that least, next to
 * the ratios to the empty program. vw-bench loads this object with every
 * map replaced by the same-named map of the vendorwall object it loaded
 * (bpf_map__reuse_fd), so these programs read the same words, entries and
 * counters as the product; nothing here is attached or pinned.
 *
 * Each program passes (benign floors) or drops (hit floor) only the frame
 * it is built for and returns another verdict for anything else: vw-bench
 * checks the verdict, so a floor cannot be measured on a path it did not
 * take, and the compiler cannot drop a test whose result is unused.
 *
 * Deliberately left out of every floor, though the product does them for
 * every frame: the management test (the EtherType, the IPv4 header and
 * the port sieve, which feeds the fingerprint engine; only
 * floor_benign_mgmt has it, to show what it adds), the VLAN parse
 * (the floors take untagged frames only; the product's parser on an
 * untagged frame runs the same bounds check, 16-bit load and two TPID
 * compares as the floors), and counting malformed frames.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "vendorwall.h"
#include "vw_mgmt.h"
#include "../bpf/vw_maps.h"
#include "../bpf/vw_classify.h"

char LICENSE[] SEC("license") = "GPL";

/* Bounds check and the TPID test of the product's parser on an untagged
 * frame (vw_parse_eth's first steps; its VLAN loop is never entered),
 * shared by the three floors. A test, not a returned pointer: a NULL test
 * of the frame's pointer would be one compare the product does not make. */
static __always_inline int floor_untagged(void *data, void *data_end, __u16 *proto)
{
	if (data + sizeof(struct ethhdr) > data_end)
		return 0;
	*proto = *(const __u16 *)((const __u8 *)data + offsetof(struct ethhdr, h_proto));
	return !vw_is_tpid(*proto);
}

/* Parse and bitmap: the OUI in one 4-byte load, the group-bit test, the
 * vw_oui word and its bits (vw_oui_lookup, the product's own function),
 * then the product's benign test (VW_OUI_BENIGN: no bits, not local).
 * The product's benign frame cannot do less than this. */
SEC("xdp")
int floor_parse_bitmap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 oui, bits;
	__u16 proto;

	if (!floor_untagged(data, data_end, &proto))
		return XDP_DROP;
	bits = vw_oui_lookup(eth->h_source, &oui);
	return VW_OUI_BENIGN(oui, bits) ? XDP_PASS : XDP_DROP;
}

/* The benign floor, "one parse, one bitmap load, one counter":
 * the above, the receiving interface (ctx->ingress_ifindex, three
 * dependent loads in the JIT image) with the bound the product's
 * per-interface counter needs, and that per-CPU counter
 * (vw_if_benign[ifindex]) incremented, as vw_xdp_ingress's benign branch
 * does. */
SEC("xdp")
int floor_benign(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 oui, bits, ifindex;
	__u16 proto;
	__u64 *c;

	if (!floor_untagged(data, data_end, &proto))
		return XDP_DROP;
	ifindex = ctx->ingress_ifindex;
	bits = vw_oui_lookup(eth->h_source, &oui);
	if (!VW_OUI_BENIGN(oui, bits) || ifindex >= VW_MAX_IFINDEX)
		return XDP_DROP;
	c = bpf_map_lookup_elem(&vw_if_benign, &ifindex);
	if (c)
		*c += 1;
	return XDP_PASS;
}

/* floor_benign and the product's management test (vw_is_mgmt, its own
 * function) in the product's order, before the bitmap: on the benign
 * frame (UDP between unprivileged ports) the EtherType, one 8-byte IPv4
 * header compare, one load of both ports and the sieve test. The issue
 * asks for the test on every frame, so this is the floor of a benign frame
 * with everything it must do; the L3 offset is the constant 14 of an
 * untagged frame, where the product's parser hands over a variable. A
 * management frame returns XDP_TX (the product samples it). The benign
 * tail is written out again, not shared with floor_benign through an
 * inline helper: that helper compiled to three more instructions in
 * floor_benign, and a floor is only a floor in its cheapest form. */
SEC("xdp")
int floor_benign_mgmt(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 oui, bits, ifindex;
	struct vw_pkt p = { .l3off = sizeof(struct ethhdr) };
	__u64 *c;

	if (!floor_untagged(data, data_end, &p.proto))
		return XDP_DROP;
	if (vw_is_mgmt(data, data_end, &p))
		return XDP_TX;
	ifindex = ctx->ingress_ifindex;
	bits = vw_oui_lookup(eth->h_source, &oui);
	if (!VW_OUI_BENIGN(oui, bits) || ifindex >= VW_MAX_IFINDEX)
		return XDP_DROP;
	c = bpf_map_lookup_elem(&vw_if_benign, &ifindex);
	if (c)
		*c += 1;
	return XDP_PASS;
}

/* The floor of a frame from a restricted /24 on an untagged port in block
 * mode, the steps the product cannot skip for it:
 *  - the parse and bitmap above, finding the restricted bit alone (no
 *    "look closer" bit: no hash lookup) and a MAC that is not local;
 *  - the interface's segment: ctx->ingress_ifindex, its bound, the
 *    vw_iface entry's slot (untagged: no vw_vlan row) and the slot's bound;
 *  - the segment's mode from its vw_segment entry;
 *  - one vw_counters increment (slot x VW_CTR_MAX + VW_CTR_DROP);
 *  - the flood test of the alert cache: the MAC in one 8-byte load
 *    (vw_mac_at), its vw_alert_idx entry, the MAC and slot compare and
 *    bpf_jiffies64() against the entry's deadline;
 * then XDP_DROP. Left out, though the product does them on this path:
 * the second counter (the reason's, VW_REASON_OUI, before the mode is
 * known), the quarantine cap test (max_new_per_hour) and the redirect
 * action test (both read the same vw_segment entry), and the construction
 * of the alert context. A frame the cache would not suppress returns
 * XDP_TX: the product would report it (vw_report), which is not a floor. */
SEC("xdp")
int floor_hit(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	const struct vw_segment *seg;
	struct vw_alert_cache_ent *ce;
	struct vw_iface *ifc;
	__u32 oui, bits, ifindex, slot, k, h;
	__u16 proto;
	__u64 mac, *c;

	if (!floor_untagged(data, data_end, &proto))
		return XDP_PASS;
	bits = vw_oui_lookup(eth->h_source, &oui);
	if (bits != VW_OUI_BIT_RESTRICTED || (oui & 0x020000))
		return XDP_PASS;
	ifindex = ctx->ingress_ifindex;
	if (ifindex >= VW_MAX_IFINDEX)
		return XDP_PASS;
	ifc = bpf_map_lookup_elem(&vw_iface, &ifindex);
	if (!ifc)
		return XDP_PASS;
	slot = ifc->slot;
	if (slot >= VW_MAX_SEGMENTS)
		return XDP_PASS;
	seg = bpf_map_lookup_elem(&vw_segment, &slot);
	if (!seg || seg->mode != VW_MODE_BLOCK)
		return XDP_PASS;
	k = slot * VW_CTR_MAX + VW_CTR_DROP;
	c = bpf_map_lookup_elem(&vw_counters, &k);
	if (c)
		*c += 1;
	mac = vw_mac_at(eth->h_source);
	h = vw_alert_idx(mac, slot);
	ce = bpf_map_lookup_elem(&vw_alert_cache, &h);
	if (!ce || ce->mac != mac || ce->slot != slot || bpf_jiffies64() >= ce->until)
		return XDP_TX;
	return XDP_DROP;
}

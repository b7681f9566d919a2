/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Frames of router MACs judged by IP address: the source address on
 * ingress, the destination on egress, IPv4 and IPv6, against the exact
 * verdicts in vw_ip. Only frames whose vw_device entry carries
 * VW_DEV_ROUTER get here (VW_CLS_ROUTER), and everything below is out of
 * line: the entries keep nothing live for it, so other frames pay one
 * register test. Included after vw_restricted(), which it shares.
 */
#ifndef VW_IPVERDICT_H
#define VW_IPVERDICT_H

#define ETH_P_IP_BE   bpf_htons(0x0800)
#define ETH_P_IPV6_BE bpf_htons(0x86DD)

/* Same precedence as a MAC's exact verdict: waiver > quarantine > device. */
static __always_inline __u32 vw_ip_verdict(const struct vw_ip_key *k, __u8 *tag)
{
	struct vw_device *v = bpf_map_lookup_elem(&vw_ip, k);
	__u32 f;

	if (!v)
		return VW_REASON_BENIGN;
	f = v->flags;
	vw_ip_tag(k, tag);
	if (f & VW_DEV_WAIVED)
		return VW_CLS(VW_REASON_WAIVER, v->vendor);
	if (f & VW_DEV_QUARANTINED)
		return VW_CLS(VW_REASON_QUARANTINE, v->vendor);
	if (f & VW_DEV_RESTRICTED)
		return VW_CLS(VW_REASON_DEVICE, v->vendor);
	return VW_REASON_BENIGN;
}

/* The address's verdict. One function per program type: each may only
 * call its own load helper. Offsets of the source (ingress) or destination
 * (egress) address. */
#define VW_IP_CLASSIFY(name, ctx_t, load, dir)					\
static __attribute__((noinline)) __u32 name(ctx_t *ctx, __u32 l3off,		\
					    __u32 proto, __u8 *tag)		\
{										\
	struct vw_ip_key k = {};						\
										\
	if (proto == ETH_P_IP_BE) {						\
		k.family = 4;							\
		if (load(ctx, l3off + (dir == VW_DIR_INGRESS ? 12 : 16),	\
			 k.addr, 4))						\
			return VW_REASON_BENIGN;				\
	} else if (proto == ETH_P_IPV6_BE) {					\
		k.family = 6;							\
		if (load(ctx, l3off + (dir == VW_DIR_INGRESS ? 8 : 24),		\
			 k.addr, 16))						\
			return VW_REASON_BENIGN;				\
	} else {								\
		return VW_REASON_BENIGN;					\
	}									\
	return vw_ip_verdict(&k, tag);						\
}

VW_IP_CLASSIFY(vw_ip_classify_xdp, struct xdp_md, bpf_xdp_load_bytes, VW_DIR_INGRESS)
VW_IP_CLASSIFY(vw_ip_classify_tc, struct __sk_buff, bpf_skb_load_bytes, VW_DIR_EGRESS)

/* What a frame of a router does: VW_ACT_*, *redir set for a redirect. */
static __always_inline int vw_ip_act(struct vw_ctx_info ci, const struct vw_pkt *p,
				     __u32 verdict, const __u8 *tag, __u32 *redir)
{
	if (!vw_reason_restricts(VW_CLS_REASON(verdict)))
		return VW_ACT_PASS;
	ci.vlan = p->vlan;
	ci.ethertype = bpf_ntohs(p->proto);
	return vw_restricted(ci, tag, verdict, redir);
}

/* The headers are parsed again here rather than kept from the entry: a
 * value kept live across the common path costs every frame a spill. */
VW_VERIFIED_ALONE int vw_ip_judge_xdp(struct xdp_md *ctx, __u32 slot)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct vw_ctx_info ci = {
		.ifindex = ctx->ingress_ifindex, .slot = slot, .direction = VW_DIR_INGRESS,
	};
	__u32 verdict, redir = 0;
	struct vw_pkt p;
	__u8 tag[8] __attribute__((aligned(8)));	/* read as one u64 */
	int act;

	if (vw_parse_eth(data, data_end, &p, 0) < 0)
		return XDP_PASS;
	verdict = vw_ip_classify_xdp(ctx, p.l3off, p.proto, tag);
	act = vw_ip_act(ci, &p, verdict, tag, &redir);
	if (act == VW_ACT_PASS)
		return XDP_PASS;
	if (act == VW_ACT_REDIRECT)
		return bpf_redirect(redir, 0);
	return XDP_DROP;
}

VW_VERIFIED_ALONE int vw_ip_judge_tc(struct __sk_buff *skb, __u32 slot)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct vw_ctx_info ci = {
		.ifindex = skb->ifindex, .slot = slot, .direction = VW_DIR_EGRESS,
	};
	__u16 hw_vlan = skb->vlan_present ? (skb->vlan_tci & 0x0fff) : 0;
	__u32 verdict, redir = 0;
	struct vw_pkt p;
	__u8 tag[8] __attribute__((aligned(8)));	/* read as one u64 */
	int act;

	if (vw_parse_eth(data, data_end, &p, hw_vlan) < 0)
		return TC_ACT_OK;
	verdict = vw_ip_classify_tc(skb, p.l3off, p.proto, tag);
	act = vw_ip_act(ci, &p, verdict, tag, &redir);
	if (act == VW_ACT_PASS)
		return TC_ACT_OK;
	if (act == VW_ACT_REDIRECT)
		return bpf_redirect(redir, 0);
	return TC_ACT_SHOT;
}

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Frames of router MACs judged by IP address: the source address on
 * ingress, the destination on egress, IPv4 and IPv6, against the exact
 * verdicts in vw_ip. Only frames whose vw_device entry carries
 * VW_DEV_ROUTER get here (VW_CLS_ROUTER), so everything below is out of
 * line and costs other frames nothing.
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

/* One function per program type: each may only call its own load helper.
 * Offsets of the source (ingress) or destination (egress) address. */
#define VW_IP_CLASSIFY(name, ctx_t, load)					\
static __attribute__((noinline)) __u32 name(ctx_t *ctx, __u32 l3off,		\
					    __u32 proto, __u32 dir, __u8 *tag)	\
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

VW_IP_CLASSIFY(vw_ip_classify_xdp, struct xdp_md, bpf_xdp_load_bytes)
VW_IP_CLASSIFY(vw_ip_classify_tc, struct __sk_buff, bpf_skb_load_bytes)

#endif

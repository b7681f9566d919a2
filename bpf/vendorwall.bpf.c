// SPDX-License-Identifier: GPL-2.0-only
/*
 * vendorwall data plane: the XDP entry classifies the source MAC of every
 * received frame, the TC egress entry the destination MAC of every sent
 * frame; both share one classification core and one set of maps.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "vendorwall.h"
#include "vw_mgmt.h"
#include "vw_maps.h"
#include "vw_classify.h"

char LICENSE[] SEC("license") = "GPL";

/* What both samplers do before copying a frame's bytes: the segment
 * samples, the budget of mac allows, a ring record is free. NULL when not
 * (counted); *caplen is then within [14, VW_SAMPLE_MAX]. */
static __always_inline struct vw_sample_hdr *vw_sample_begin(__u32 slot, const __u8 *mac,
							     __u32 len, __u32 *caplen)
{
	const struct vw_segment *seg = bpf_map_lookup_elem(&vw_segment, &slot);
	struct vw_sample_hdr *s;
	struct vw_config *cfg;
	__u32 zero = 0;

	if (!seg || seg->mode == VW_MODE_OFF)
		return NULL;
	cfg = bpf_map_lookup_elem(&vw_config, &zero);
	if (!cfg)
		return NULL;
	if (!vw_sample_allowed(cfg, mac, bpf_jiffies64())) {
		vw_count(slot, VW_CTR_SAMPLE_THROTTLED);
		return NULL;
	}
	*caplen = len;
	if (*caplen > cfg->sample_snaplen)
		*caplen = cfg->sample_snaplen;
	if (*caplen > VW_SAMPLE_MAX)
		*caplen = VW_SAMPLE_MAX;
	if (*caplen < sizeof(struct ethhdr))
		return NULL;
	s = bpf_ringbuf_reserve(&vw_samples, sizeof(*s) + VW_SAMPLE_MAX, 0);
	if (!s)
		vw_count(slot, VW_CTR_SAMPLE_LOST);
	return s;
}

/* The record's header, then it goes to the daemon. */
static __always_inline void vw_sample_end(struct vw_sample_hdr *s, __u32 slot, __u32 vlan,
					  __u32 ifindex, __u32 caplen, __u32 len, __u8 flags)
{
	s->version = VW_SAMPLE_VERSION;
	s->flags = flags | (caplen < len ? VW_SAMPLE_TRUNCATED : 0);
	s->vlan = vlan;
	s->ifindex = ifindex;
	s->slot = slot;
	s->caplen = caplen;
	s->len = len;
	bpf_ringbuf_submit(s, 0);
	vw_count(slot, VW_CTR_SAMPLE);
}

/* The mask gives the verifier a bound it can see whatever registers clang
 * picks; caplen is already within [14, VW_SAMPLE_MAX]. */
#define VW_SAMPLE_COPY_LEN(caplen) ((((caplen) - 1) & (VW_SAMPLE_MAX - 1)) + 1)

/* Copies a management frame into the samples ring, whatever the verdict,
 * so a blocked device stays observable. Out of line: the common frame is
 * not a management frame and should not carry this code's registers. */
VW_VERIFIED_ALONE int vw_sample_xdp(struct xdp_md *ctx, __u32 slot, __u32 vlan)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct vw_sample_hdr *s;
	__u32 len, caplen;

	if ((void *)(eth + 1) > data_end)
		return 0;
	len = bpf_xdp_get_buff_len(ctx);
	s = vw_sample_begin(slot, eth->h_source, len, &caplen);
	if (!s)
		return 0;
	if (bpf_xdp_load_bytes(ctx, 0, s->data, VW_SAMPLE_COPY_LEN(caplen))) {
		bpf_ringbuf_discard(s, 0);
		return 0;
	}
	vw_sample_end(s, slot, vlan, ctx->ingress_ifindex, caplen, len, 0);
	return 0;
}

/* The egress twin of vw_sample_xdp, for DHCP server replies only
 * (vw_is_dhcp_reply); budgeted by the destination, the relay or client
 * the reply is for, since every egress frame has the gateway's source. */
VW_VERIFIED_ALONE int vw_sample_tc(struct __sk_buff *skb, __u32 slot, __u32 vlan)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct vw_sample_hdr *s;
	__u32 len = skb->len, caplen;

	if ((void *)(eth + 1) > data_end)
		return 0;
	s = vw_sample_begin(slot, eth->h_dest, len, &caplen);
	if (!s)
		return 0;
	if (bpf_skb_load_bytes(skb, 0, s->data, VW_SAMPLE_COPY_LEN(caplen))) {
		bpf_ringbuf_discard(s, 0);
		return 0;
	}
	vw_sample_end(s, slot, vlan, skb->ifindex, caplen, len, VW_SAMPLE_EGRESS);
	return 0;
}

enum vw_act { VW_ACT_PASS, VW_ACT_DROP, VW_ACT_REDIRECT };

/* What a restricted verdict does in this segment; counts and reports it.
 * One counter site and one alert site, whatever the outcome: each inlined
 * site is code the verifier walks and the hit path carries. */
static __always_inline int vw_enforce(struct vw_ctx_info ci,
				      const struct vw_segment *seg, __u32 reason,
				      __u16 vendor, __u32 *redirect_ifindex)
{
	__u32 ctr = VW_CTR_DROP, verdict = VW_VERDICT_DROP;
	int act = VW_ACT_DROP;

	if (ci.mode == VW_MODE_MONITOR) {
		ctr = VW_CTR_WOULD_DROP;
		verdict = VW_VERDICT_WOULD_DROP;
		act = VW_ACT_PASS;
	} else if (ci.mode != VW_MODE_BLOCK) {
		vw_count(ci.slot, VW_CTR_OFF);
		return VW_ACT_PASS;
	} else if (seg->max_new_per_hour && reason != VW_REASON_QUARANTINE &&
		   vw_capped(ci.mac, ci.slot, seg)) {
		vw_count(ci.slot, VW_CTR_CAPPED);
		ctr = VW_CTR_WOULD_DROP;
		verdict = VW_VERDICT_CAPPED;
		act = VW_ACT_PASS;
	} else if (seg->action == VW_ACTION_REDIRECT) {
		if (seg->redirect_ifindex) {
			ctr = VW_CTR_REDIRECT;
			verdict = VW_VERDICT_REDIRECT;
			act = VW_ACT_REDIRECT;
			*redirect_ifindex = seg->redirect_ifindex;
		} else {
			/* Fail closed: a missing quarantine port must not
			 * let it in. */
			vw_count(ci.slot, VW_CTR_REDIRECT_FAIL);
		}
	}
	vw_count(ci.slot, ctr);
	vw_alert(ci, reason, verdict, vendor);
	return act;
}

/* A restricted frame: what its segment does with it. Only here is the
 * segment's configuration read; a benign frame never needs it. ci by
 * value: see vw_alert. */
static __always_inline int vw_restricted(struct vw_ctx_info ci,
					 const __u8 *mac, __u32 verdict,
					 __u32 *redir)
{
	const struct vw_segment *seg;
	__u32 slot = ci.slot;

	seg = bpf_map_lookup_elem(&vw_segment, &slot);
	if (!seg)	/* cannot happen: slot < VW_MAX_SEGMENTS */
		return VW_ACT_PASS;
	ci.mode = seg->mode;
	ci.mac = vw_mac_at(mac);
	return vw_enforce(ci, seg, VW_CLS_REASON(verdict),
			  VW_CLS_VENDOR(verdict), redir);
}

#include "vw_ipverdict.h"	/* routers' frames, judged by IP; uses vw_restricted */

SEC("xdp")
int vw_xdp_ingress(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 slot, verdict, vlan_proto, oui, bits, ifindex, redir = 0;
	struct vw_ctx_info ci;
	struct vw_pkt p;
	int act;

	if (vw_parse_eth(data, data_end, &p, 0) < 0) {
		vw_count(vw_segment_slot(ctx->ingress_ifindex, 0), VW_REASON_MALFORMED);
		return XDP_PASS;
	}
	/* The management test before the segment lookup, and the VLAN and
	 * EtherType in one register: each inlined map lookup is a call to
	 * clang, and what is live across it beyond the four callee-saved
	 * registers is spilled to the stack on every frame. */
	if (unlikely(vw_is_mgmt(data, data_end, &p))) {
		vw_sample_xdp(ctx, vw_segment_slot(ctx->ingress_ifindex, p.vlan), p.vlan);
		/* The sample does not move data, but the verifier forgets
		 * packet bounds across the call: derive them again. */
		data = (void *)(long)ctx->data;
		data_end = (void *)(long)ctx->data_end;
		eth = data;
		if ((void *)(eth + 1) > data_end)
			return XDP_PASS;
	}
	vlan_proto = ((__u32)p.vlan << 16) | p.proto;
	ifindex = ctx->ingress_ifindex;
	bits = vw_oui_lookup(eth->h_source, &oui);
	if (likely(VW_OUI_BENIGN(oui, bits) && !p.vlan && ifindex < VW_MAX_IFINDEX)) {
		/* Needs no segment: counted by interface (vw_if_benign). */
		__u64 *c = bpf_map_lookup_elem(&vw_if_benign, &ifindex);

		if (c)
			*c += 1;
		return XDP_PASS;
	}
	verdict = vw_classify_bits(eth->h_source, oui, bits);
	slot = vw_segment_slot(ifindex, p.vlan);
	vw_count(slot, VW_CLS_REASON(verdict));
	if (likely(!vw_reason_restricts(VW_CLS_REASON(verdict)))) {
		if (unlikely(verdict & VW_CLS_ROUTER))
			return vw_ip_judge_xdp(ctx, slot);
		return XDP_PASS;
	}

	/* ifindex as read before the OUI lookup: ctx->ingress_ifindex again
	 * is three dependent loads on every restricted frame (vw-bench). */
	ci = (struct vw_ctx_info){
		.ifindex = ifindex,
		.slot = slot,
		.vlan = vlan_proto >> 16,
		.ethertype = bpf_ntohs((__u16)vlan_proto),
		.direction = VW_DIR_INGRESS,
	};
	act = vw_restricted(ci, eth->h_source, verdict, &redir);
	if (act == VW_ACT_PASS)
		return XDP_PASS;
	if (act == VW_ACT_REDIRECT)
		return bpf_redirect(redir, 0);
	return XDP_DROP;
}

/* Ethernet header and every tag the parser reads. */
#define VW_TAGGED_HDR (sizeof(struct ethhdr) + VW_VLAN_TAGS * sizeof(struct vw_vlan_hdr))

SEC("tc")
int vw_tc_egress(struct __sk_buff *skb)
{
	struct vw_ctx_info ci = {
		.ifindex = skb->ifindex,
		.direction = VW_DIR_EGRESS,
	};
	__u16 hw_vlan = skb->vlan_present ? (skb->vlan_tci & 0x0fff) : 0;
	void *data, *data_end;
	struct ethhdr *eth;
	__u32 verdict, redir = 0;
	struct vw_pkt p;
	int act;

	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	if (data + VW_TAGGED_HDR > data_end &&
	    skb->len > (__u32)(data_end - data)) {
		/* Headers not linear yet (rare on egress): pull in what the
		 * parser reads, or the whole frame when it is shorter. */
		bpf_skb_pull_data(skb, skb->len < VW_TAGGED_HDR ? skb->len : VW_TAGGED_HDR);
		data = (void *)(long)skb->data;
		data_end = (void *)(long)skb->data_end;
	}
	if (vw_parse_eth(data, data_end, &p, hw_vlan) < 0) {
		vw_count(vw_segment_slot(ci.ifindex, hw_vlan), VW_REASON_MALFORMED);
		return TC_ACT_OK;
	}
	ci.slot = vw_segment_slot(ci.ifindex, p.vlan);
	if (unlikely(vw_is_dhcp_reply(data, data_end, &p))) {
		vw_sample_tc(skb, ci.slot, p.vlan);
		/* The verifier forgets packet bounds across the call. */
		data = (void *)(long)skb->data;
		data_end = (void *)(long)skb->data_end;
		if (data + sizeof(*eth) > data_end)
			return TC_ACT_OK;
	}
	eth = data;
	verdict = vw_classify_mac(eth->h_dest);
	vw_count(ci.slot, VW_CLS_REASON(verdict));
	if (likely(!vw_reason_restricts(VW_CLS_REASON(verdict)))) {
		if (unlikely(verdict & VW_CLS_ROUTER))
			return vw_ip_judge_tc(skb, ci.slot);
		return TC_ACT_OK;
	}

	ci.vlan = p.vlan;
	ci.ethertype = bpf_ntohs(p.proto);
	act = vw_restricted(ci, eth->h_dest, verdict, &redir);
	if (act == VW_ACT_PASS)
		return TC_ACT_OK;
	if (act == VW_ACT_REDIRECT)
		return bpf_redirect(redir, 0);
	return TC_ACT_SHOT;
}

/* SPDX-License-Identifier: GPL-2.0-only */
/* The classification core shared by the XDP and TC entries. */
#ifndef VW_CLASSIFY_H
#define VW_CLASSIFY_H

#ifndef likely
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

#define ETH_P_8021Q_BE  bpf_htons(0x8100)
#define ETH_P_8021AD_BE bpf_htons(0x88A8)

extern unsigned long CONFIG_HZ __kconfig __weak;

static __always_inline __u64 vw_hz(void)
{
	return CONFIG_HZ ? CONFIG_HZ : 250;
}

struct vw_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

/* What the parser learned; every field is valid only when ok is set. */
struct vw_pkt {
	__u16 vlan;        /* outer VLAN id, 0 = untagged */
	__u16 proto;       /* innermost EtherType, network order */
	__u32 l3off;       /* offset of the L3 header */
};

/* Ethernet plus up to two 802.1Q/802.1ad tags. Returns 0 or -1 when the
 * headers are truncated; never reads past data_end. */
static __always_inline int vw_parse_eth(void *data, void *data_end,
					struct vw_pkt *p, __u16 hw_vlan)
{
	struct ethhdr *eth = data;
	struct vw_vlan_hdr *vh;
	__u32 off = sizeof(*eth);
	__u16 proto;

	if (data + sizeof(*eth) > data_end)
		return -1;
	proto = eth->h_proto;
	p->vlan = hw_vlan;

#pragma unroll
	for (int i = 0; i < 2; i++) {
		if (proto != ETH_P_8021Q_BE && proto != ETH_P_8021AD_BE)
			break;
		vh = data + off;
		if ((void *)(vh + 1) > data_end)
			return -1;
		if (!p->vlan)
			p->vlan = bpf_ntohs(vh->tci) & 0x0fff;
		proto = vh->proto;
		off += sizeof(*vh);
	}
	p->proto = proto;
	p->l3off = off;
	return 0;
}

/* Out of line on purpose: written inline, clang merges both lookups in
 * vw_segment_slot into one call with a selected map pointer, and the
 * verifier cannot inline a lookup whose map is not a constant, so every
 * frame paid a real bpf_map_lookup_elem call (found with vw-bench). */
static __attribute__((noinline)) struct vw_iface *vw_iface_big_lookup(__u32 ifindex)
{
	return bpf_map_lookup_elem(&vw_iface_big, &ifindex);
}

static __always_inline __u32 vw_segment_slot(__u32 ifindex, __u16 vlan)
{
	struct vw_iface *ifc;
	__u32 slot;

	if (likely(ifindex < VW_MAX_IFINDEX))
		ifc = bpf_map_lookup_elem(&vw_iface, &ifindex);
	else
		ifc = vw_iface_big_lookup(ifindex);
	if (!ifc)
		return 0;
	slot = ifc->slot;
	if (vlan && ifc->vlan_row && ifc->vlan_row <= VW_MAX_VLAN_IFACES) {
		__u32 k = (__u32)(ifc->vlan_row - 1) * VW_VLAN_IDS + vlan;
		__u16 *s = bpf_map_lookup_elem(&vw_vlan, &k);

		if (s && *s)
			slot = *s;
	}
	return slot < VW_MAX_SEGMENTS ? slot : 0;
}

static __always_inline void vw_count(__u32 slot, __u32 ctr)
{
	__u32 k = slot * VW_CTR_MAX + ctr;
	__u64 *c = bpf_map_lookup_elem(&vw_counters, &k);

	if (c)
		*c += 1;
}

/* Exact verdicts first, then MA-S/IAB and MA-M blocks, then the /24.
 * Inlined: it has one caller per program, and the call and return cost
 * 7-10 ns of the slow path under the SRSO/retpoline mitigations. */
static __always_inline __u32 vw_classify_slow(__u64 mac, __u32 bits,
					      __u16 *vendor)
{
	struct vw_device *dev;
	struct vw_prefix *pfx;
	__u64 key;

	dev = bpf_map_lookup_elem(&vw_device, &mac);
	if (dev) {
		__u32 f = dev->flags;

		*vendor = dev->vendor;
		if (f & VW_DEV_WAIVED)
			return VW_REASON_WAIVER;
		if (f & VW_DEV_QUARANTINED)
			return VW_REASON_QUARANTINE;
		if (f & VW_DEV_RESTRICTED)
			return VW_REASON_DEVICE;
		if (f & VW_DEV_CLEARED)
			return VW_REASON_DEVICE_CLEAR;
	}
	if (mac & (0x02ull << 40))
		return VW_REASON_NO_OUI;

	key = vw_prefix_key(mac, 36);
	pfx = bpf_map_lookup_elem(&vw_prefix, &key);
	if (!pfx) {
		key = vw_prefix_key(mac, 28);
		pfx = bpf_map_lookup_elem(&vw_prefix, &key);
	}
	if (pfx) {
		*vendor = pfx->vendor;
		return pfx->restricted ? VW_REASON_OUI : VW_REASON_BENIGN;
	}
	*vendor = 0;
	return (bits & VW_OUI_BIT_RESTRICTED) ? VW_REASON_OUI : VW_REASON_BENIGN;
}

/* The per-frame MAC verdict. The common case is one inlined array load. */
static __always_inline __u32 vw_classify_mac(const __u8 *m, __u16 *vendor)
{
	__u32 oui, idx, bits;
	__u64 *w;

	if (m[0] & 0x01)
		return VW_REASON_NO_OUI;
	oui = vw_oui_of(m);
	idx = vw_oui_word(oui);
	w = bpf_map_lookup_elem(&vw_oui, &idx);
	if (!w)
		return VW_REASON_BENIGN;
	bits = vw_oui_bits(*w, oui);
	if (likely(!bits))
		return (m[0] & 0x02) ? VW_REASON_NO_OUI : VW_REASON_BENIGN;
	if (bits & VW_OUI_BIT_SLOW)
		return vw_classify_slow(vw_mac_to_u64(m), bits, vendor);
	if (m[0] & 0x02)
		return VW_REASON_NO_OUI;
	*vendor = 0;
	return VW_REASON_OUI;
}

static __always_inline int vw_take_token(const struct vw_config *cfg, __u64 now)
{
	__u32 zero = 0;
	struct vw_bucket *b = bpf_map_lookup_elem(&vw_event_bucket, &zero);
	__u64 add;

	if (!b)
		return 0;
	if (now != b->last) {
		add = (now - b->last) * cfg->events_per_s / vw_hz();
		if (add) {
			b->tokens += add;
			if (b->tokens > cfg->event_burst)
				b->tokens = cfg->event_burst;
			b->last = now;
		}
	}
	if (!b->tokens)
		return 0;
	b->tokens--;
	return 1;
}

struct vw_ctx_info {
	__u32 ifindex;
	__u32 slot;
	__u16 vlan;
	__u16 ethertype;   /* host order */
	__u8 direction;
	__u8 mode;
};

static __always_inline __u32 vw_hash_mac(__u64 mac, __u32 salt)
{
	__u64 h = (mac ^ ((__u64)salt << 48)) * 0x9E3779B97F4A7C15ull;

	return (__u32)(h >> 40);
}

/* First sighting and reminders, rate-limited per (MAC, segment). */
static __attribute__((noinline)) int vw_report(const struct vw_ctx_info *ci,
					       const __u8 *m, __u32 reason,
					       __u32 verdict, __u16 vendor)
{
	__u32 zero = 0, h;
	struct vw_config *cfg = bpf_map_lookup_elem(&vw_config, &zero);
	struct vw_alert_cache_ent *c;
	struct vw_alert_key k = {};
	struct vw_alert_state *st, fresh = {};
	struct vw_event *e;
	__u64 now, interval, mac;
	__u32 kind = VW_EVENT_FIRST;

	if (!cfg)
		return 0;
	now = bpf_jiffies64();
	interval = (__u64)cfg->alert_interval_s * vw_hz();
	mac = vw_mac_to_u64(m);
	h = vw_hash_mac(mac, ci->slot) & (VW_ALERT_CACHE - 1);
	c = bpf_map_lookup_elem(&vw_alert_cache, &h);
	if (!c)
		return 0;
	if (c->mac == mac && c->slot == ci->slot && now - c->last < interval)
		return 0;

	k.mac = mac;
	k.slot = ci->slot;
	st = bpf_map_lookup_elem(&vw_alerted, &k);
	if (st && st->last) {
		if (now - st->last < interval) {
			c->mac = mac;
			c->slot = ci->slot;
			c->flags = st->flags;
			c->last = st->last;
			return 0;
		}
		kind = VW_EVENT_REMINDER;
	}
	if (!vw_take_token(cfg, now)) {
		vw_count(ci->slot, VW_CTR_EVENT_THROTTLED);
		return 0;
	}
	e = bpf_ringbuf_reserve(&vw_events, sizeof(*e), 0);
	if (!e) {
		vw_count(ci->slot, VW_CTR_EVENT_LOST);
		return 0;
	}
	if (!vendor && reason == VW_REASON_OUI) {
		__u32 oui = (__u32)(mac >> 24);
		__u16 *v = bpf_map_lookup_elem(&vw_oui_vendor, &oui);

		if (v)
			vendor = *v;
	}
	e->version = VW_EVENT_VERSION;
	e->kind = kind;
	e->direction = ci->direction;
	e->reason = reason;
	e->verdict = verdict;
	e->mode = ci->mode;
	e->vendor = vendor;
	__builtin_memcpy(e->mac, m, 6);
	e->vlan = ci->vlan;
	e->ifindex = ci->ifindex;
	e->slot = ci->slot;
	e->ethertype = ci->ethertype;
	e->jiffies = now;
	bpf_ringbuf_submit(e, 0);
	vw_count(ci->slot, VW_CTR_EVENT);

	if (st) {
		st->last = now;
	} else {
		fresh.last = now;
		bpf_map_update_elem(&vw_alerted, &k, &fresh, BPF_ANY);
	}
	c->mac = mac;
	c->slot = ci->slot;
	c->flags = st ? st->flags : 0;
	c->last = now;
	return 0;
}

/* Quarantine cap: the first time a device would be blocked on a segment,
 * decide once whether it still fits in this hour's budget; the decision
 * sticks to (MAC, segment) so the device is treated consistently. */
static __attribute__((noinline)) int vw_capped(const struct vw_ctx_info *ci,
					       const __u8 *m, __u32 cap)
{
	struct vw_alert_state *st, fresh = {};
	struct vw_alert_cache_ent *c;
	struct vw_cap_window *w;
	struct vw_alert_key k = {};
	__u32 h, flags, slot = ci->slot;
	__u64 mac = vw_mac_to_u64(m), now;

	h = vw_hash_mac(mac, slot) & (VW_ALERT_CACHE - 1);
	c = bpf_map_lookup_elem(&vw_alert_cache, &h);
	if (!c)
		return 0;
	if (c->mac == mac && c->slot == slot && (c->flags & VW_ALERT_DECIDED))
		return !!(c->flags & VW_ALERT_CAPPED);

	k.mac = mac;
	k.slot = slot;
	st = bpf_map_lookup_elem(&vw_alerted, &k);
	if (st && (st->flags & VW_ALERT_DECIDED)) {
		flags = st->flags;
	} else {
		w = bpf_map_lookup_elem(&vw_cap, &slot);
		if (!w)
			return 0;
		now = bpf_jiffies64();
		if (now - w->start >= 3600 * vw_hz()) {
			w->start = now;
			w->count = 0;
		}
		/* Not atomic: two CPUs racing may admit one device more than
		 * the cap, which is harmless for a safety valve. */
		flags = VW_ALERT_DECIDED;
		if (w->count >= cap)
			flags |= VW_ALERT_CAPPED;
		else
			w->count++;
		if (st) {
			st->flags = flags;
		} else {
			fresh.flags = flags;
			bpf_map_update_elem(&vw_alerted, &k, &fresh, BPF_NOEXIST);
		}
	}
	c->mac = mac;
	c->slot = slot;
	c->flags = flags;
	c->last = st ? st->last : 0;
	return !!(flags & VW_ALERT_CAPPED);
}

/* The flood case of vw_report (same MAC on the same segment within the
 * alert interval), inlined so a suppressed restricted frame costs no
 * BPF-to-BPF call: under SRSO/retpoline mitigations the call and return
 * were most of the +11 ns a hit cost over a benign frame (vw-bench).
 * vw_report repeats this check itself, so skipping it is never wrong. */
static __always_inline int vw_alert_suppressed(const struct vw_ctx_info *ci,
					       const __u8 *m)
{
	__u32 zero = 0, h;
	struct vw_config *cfg = bpf_map_lookup_elem(&vw_config, &zero);
	struct vw_alert_cache_ent *c;
	__u64 mac;

	if (!cfg)
		return 1;	/* vw_report would not report either */
	mac = vw_mac_to_u64(m);
	h = vw_hash_mac(mac, ci->slot) & (VW_ALERT_CACHE - 1);
	c = bpf_map_lookup_elem(&vw_alert_cache, &h);
	if (!c)
		return 1;
	return c->mac == mac && c->slot == ci->slot &&
	       bpf_jiffies64() - c->last < (__u64)cfg->alert_interval_s * vw_hz();
}

static __always_inline void vw_alert(const struct vw_ctx_info *ci,
				     const __u8 *m, __u32 reason,
				     __u32 verdict, __u16 vendor)
{
	if (!vw_alert_suppressed(ci, m))
		vw_report(ci, m, reason, verdict, vendor);
}

/* Management traffic the fingerprint engine wants (policy/fingerprints/CATALOGUE.md §13). */
static __always_inline int vw_mgmt_udp_port(__u16 p)
{
	switch (p) {
	case 67: case 68:          /* DHCPv4 */
	case 546: case 547:        /* DHCPv6 */
	case 161: case 162:        /* SNMP */
	case 1900:                 /* SSDP */
	case 5353:                 /* mDNS */
	case 3702:                 /* WS-Discovery */
	case 37020:                /* Hikvision SADP */
	case 37810:                /* Dahua DHIP */
	case 5050:                 /* Dahua legacy discovery */
	case 50000: case 50001: case 50002: /* Hytera IPSC */
		return 1;
	}
	return 0;
}

static __always_inline int vw_banner_port(__u16 p)
{
	switch (p) {
	case 21: case 22: case 23: case 80: case 554:
	case 7547: case 8000: case 37777:
		return 1;
	}
	return 0;
}

static __always_inline int vw_mgmt_l4(void *data, void *data_end, __u32 off,
				      __u8 l4proto, __u32 l4len)
{
	if (l4proto == IPPROTO_UDP) {
		struct udphdr *uh = data + off;

		if ((void *)(uh + 1) > data_end)
			return 0;
		return vw_mgmt_udp_port(bpf_ntohs(uh->dest)) ||
		       vw_mgmt_udp_port(bpf_ntohs(uh->source));
	}
	if (l4proto == IPPROTO_TCP) {
		struct tcphdr *th = data + off;

		if ((void *)(th + 1) > data_end)
			return 0;
		/* Only a server's payload is a banner: a client sending
		 * "Server: Hikvision" to port 80 proves nothing. */
		return vw_banner_port(bpf_ntohs(th->source)) &&
		       l4len > (__u32)th->doff * 4;
	}
	return 0;
}

static __always_inline int vw_is_mgmt(void *data, void *data_end,
				      const struct vw_pkt *p)
{
	struct ethhdr *eth = data;
	__u16 proto = bpf_ntohs(p->proto);
	__u32 off = p->l3off & 0xff;

	switch (proto) {
	case 0x88CC:  /* LLDP */
	case 0x9998:  /* Huawei loopback detection */
	case 0x88A7:  /* Huawei HGMP/NDP/NTDP */
	case 0x8033:  /* Hikvision SADP over Ethernet */
		return 1;
	case 0x0800: {
		struct iphdr *ip = data + off;
		__u32 ihl;

		if ((void *)(ip + 1) > data_end)
			return 0;
		if (ip->frag_off & bpf_htons(0x1fff))
			return 0;
		ihl = ip->ihl * 4;
		if (ihl < sizeof(*ip))
			return 0;
		return vw_mgmt_l4(data, data_end, off + ihl, ip->protocol,
				  bpf_ntohs(ip->tot_len) - ihl);
	}
	case 0x86DD: {
		struct ipv6hdr *ip6 = data + off;

		if ((void *)(ip6 + 1) > data_end)
			return 0;
		return vw_mgmt_l4(data, data_end, off + sizeof(*ip6),
				  ip6->nexthdr, bpf_ntohs(ip6->payload_len));
	}
	}
	/* 802.3 length frames: CDP (SNAP to 01:00:0C:CC:CC:CC) and Huawei
	 * LAD (type 0x0000 followed by "Huawei Link Search"). */
	if (proto < 0x0600)
		return proto == 0 || (eth->h_dest[0] == 0x01 &&
				       eth->h_dest[1] == 0x00 &&
				       eth->h_dest[2] == 0x0C &&
				       eth->h_dest[3] == 0xCC);
	return 0;
}

/* Per-MAC sample budget: sample_burst at once, then one per interval. */
static __always_inline int vw_sample_allowed(const struct vw_config *cfg,
					     const __u8 *src, __u64 now)
{
	__u64 mac = vw_mac_to_u64(src);
	__u32 h = vw_hash_mac(mac, 0xffff) & (VW_SAMPLE_CACHE - 1);
	struct vw_sample_ent *s = bpf_map_lookup_elem(&vw_sample_rl, &h);
	__u64 interval = (__u64)cfg->sample_interval_ms * vw_hz() / 1000;

	if (!s)
		return 0;
	if (s->mac != mac) {
		s->mac = mac;
		s->last = now;
		s->tokens = cfg->sample_burst;
	} else if (now - s->last >= interval && interval) {
		__u64 add = (now - s->last) / interval;

		s->tokens = (s->tokens + add > cfg->sample_burst) ?
			    cfg->sample_burst : s->tokens + add;
		s->last = now;
	}
	if (!s->tokens)
		return 0;
	s->tokens--;
	return 1;
}

#endif

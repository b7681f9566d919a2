/* SPDX-License-Identifier: GPL-2.0-only */
/* The classification core shared by the XDP and TC entries. */
#ifndef VW_CLASSIFY_H
#define VW_CLASSIFY_H

#ifndef likely
#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* For an out-of-line function written without `static` (a global
 * function): the verifier checks it once, against its prototype alone,
 * instead of again for every state its callers reach it in. vw_report
 * alone was a third of the XDP program's verified instructions, walked
 * once for each constant verdict vw_enforce passes down, and a first
 * start of the daemon waits for the verifier (bpf/PERFORMANCE.md §4.8).
 * Its pointer arguments may be NULL as far as the verifier knows, so such
 * a function checks them; and the memory they point to is checked whole
 * at the call, so a caller passes a struct with every byte written
 * (vw_ctx_info's padding is named and zeroed). */
#define VW_VERIFIED_ALONE __attribute__((noinline))

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

/* What the parser learned. */
struct vw_pkt {
	__u16 vlan;        /* outer non-zero VLAN id, 0 = untagged or priority
			    * tagged only, VW_VID_UNKNOWN = could not be read */
	__u16 proto;       /* innermost EtherType read, network order */
	__u32 l3off;       /* offset of the L3 header */
};

static __always_inline int vw_is_tpid(__u16 proto)
{
	return proto == ETH_P_8021Q_BE || proto == ETH_P_8021AD_BE;
}

/* Ethernet plus up to VW_VLAN_TAGS 802.1Q/802.1ad tags; the segment is
 * chosen by the first tag with a non-zero VID, so priority tags (VID 0)
 * are skipped however many precede it. When that VID cannot be read (more
 * tags than the parser reads, or a frame cut inside its tags), vlan is
 * VW_VID_UNKNOWN, whose vw_vlan entry is the interface's strictest
 * segment: the frame is still judged by its MAC. Returns -1 only when
 * even the Ethernet header is missing; never reads past data_end. */
static __always_inline int vw_parse_eth(void *data, void *data_end,
					struct vw_pkt *p, __u16 hw_vlan)
{
	struct ethhdr *eth = data;
	struct vw_vlan_hdr *vh;
	__u32 off = sizeof(*eth);
	__u16 proto, vid = hw_vlan;

	if (data + sizeof(*eth) > data_end)
		return -1;
	/* One 16-bit load: ethhdr is packed, so eth->h_proto costs two
	 * byte loads, a shift and an or. */
	proto = *(const __u16 *)((const __u8 *)data + offsetof(struct ethhdr, h_proto));
	if (likely(!vw_is_tpid(proto)))
		goto out;
#pragma unroll
	for (int i = 0; i < VW_VLAN_TAGS; i++) {
		vh = data + off;
		if ((void *)(vh + 1) > data_end)
			goto unread;
		if (!vid)
			vid = bpf_ntohs(vh->tci) & 0x0fff;
		proto = vh->proto;
		off += sizeof(*vh);
		if (!vw_is_tpid(proto))
			goto out;
	}
unread:
	if (!vid)
		vid = VW_VID_UNKNOWN;
out:
	p->vlan = vid;
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

/* The MAC at m as vw_mac_to_u64() gives it, in one 8-byte load: every m
 * here has 8 readable bytes (a source MAC is followed by the EtherType, a
 * destination MAC by the source, a router's tag is 8 bytes), where
 * vw_mac_to_u64() costs six byte loads, five shifts and five ors on the
 * restricted path. */
static __always_inline __u64 vw_mac_at(const __u8 *m)
{
	return __builtin_bswap64(*(const __u64 *)m) >> 16;
}

/* A classification in one register: the reason in the low byte, the
 * vendor code in the high half (0 = unknown), so no stack slot is passed
 * around on the per-frame path. The byte between holds VW_CLS_ROUTER in a
 * classification and the verdict in a report (vw_ctx_info.report). */
#define VW_CLS(reason, vendor) ((__u32)(reason) | ((__u32)(vendor) << 16))
#define VW_CLS_REASON(c) ((c) & 0xff)
#define VW_CLS_VENDOR(c) ((__u16)((c) >> 16))
#define VW_CLS_REPORT(reason, verdict, vendor) (VW_CLS(reason, vendor) | ((__u32)(verdict) << 8))
#define VW_CLS_VERDICT(c) (((c) >> 8) & 0xff)
/* The MAC is a router's and its own verdict does not restrict: judge the
 * frame by IP (vw_ipverdict.h). Only vw_classify_slow sets it. */
#define VW_CLS_ROUTER 0x100u

/* Exact verdicts first, then MA-S/IAB and MA-M blocks, then the /24;
 * each hash only when the /24's bits say it holds something for it.
 * Inlined: it has one caller per program, and the call and return cost
 * 7-10 ns of the slow path under the SRSO/retpoline mitigations. */
static __always_inline __u32 vw_classify_slow(__u64 mac, __u32 bits)
{
	struct vw_device *dev;
	struct vw_prefix *pfx = NULL;
	__u32 rt = 0;
	__u16 vendor = 0;
	__u64 key;

	if (bits & VW_OUI_BIT_DEV) {
		dev = bpf_map_lookup_elem(&vw_device, &mac);
		if (dev) {
			__u32 f = dev->flags;

			vendor = dev->vendor;
			if (f & VW_DEV_WAIVED)
				return VW_CLS(VW_REASON_WAIVER, vendor);
			if (f & VW_DEV_QUARANTINED)
				return VW_CLS(VW_REASON_QUARANTINE, vendor);
			if (f & VW_DEV_RESTRICTED)
				return VW_CLS(VW_REASON_DEVICE, vendor);
			if (f & VW_DEV_ROUTER)
				rt = VW_CLS_ROUTER;
			if (f & VW_DEV_CLEARED)
				return VW_CLS(VW_REASON_DEVICE_CLEAR, vendor) | rt;
		}
	}
	if (mac & (0x02ull << 40))
		return VW_CLS(VW_REASON_NO_OUI, vendor) | rt;

	if (bits & VW_OUI_BIT_P36) {
		key = vw_prefix_key(mac, 36);
		pfx = bpf_map_lookup_elem(&vw_prefix, &key);
	}
	if (!pfx && (bits & VW_OUI_BIT_P28)) {
		key = vw_prefix_key(mac, 28);
		pfx = bpf_map_lookup_elem(&vw_prefix, &key);
	}
	if (pfx)
		return VW_CLS(pfx->restricted ? VW_REASON_OUI : VW_REASON_BENIGN,
			      pfx->vendor) | rt;
	return ((bits & VW_OUI_BIT_RESTRICTED) ? VW_REASON_OUI : VW_REASON_BENIGN) | rt;
}

/* The OUI of the MAC at m and its vw_oui bits: the first half of
 * vw_classify_mac, on its own so the XDP entry can settle a benign frame
 * before it looks up the segment. m points into the frame with at least 8
 * bytes behind it (the source MAC is followed by the EtherType, the
 * destination MAC by the source), so the OUI is one 4-byte load. Bits 0
 * for a group MAC (never looked up) or a missing word. */
static __always_inline __u32 vw_oui_lookup(const __u8 *m, __u32 *ouip)
{
	__u32 oui = bpf_ntohl(*(const __u32 *)m) >> 8, idx;
	__u64 *w;

	*ouip = oui;
	if (oui & 0x010000)
		return 0;
	idx = vw_oui_word(oui);
	w = bpf_map_lookup_elem(&vw_oui, &idx);
	return w ? vw_oui_bits(*w, oui) : 0;
}

/* A benign frame by vw_oui_lookup's answer: neither group nor locally
 * administered, and nothing listed under its OUI. */
#define VW_OUI_BENIGN(oui, bits) (!(bits) && !((oui) & 0x030000))

/* The second half: the verdict of the MAC at m from its OUI and bits. */
static __always_inline __u32 vw_classify_bits(const __u8 *m, __u32 oui, __u32 bits)
{
	if (oui & 0x010000)
		return VW_REASON_NO_OUI;
	if (likely(!bits))
		return (oui & 0x020000) ? VW_REASON_NO_OUI : VW_REASON_BENIGN;
	if (bits & VW_OUI_BIT_SLOW)	/* the MAC: the OUI and bytes 3-5 */
		return vw_classify_slow(((__u64)oui << 24) |
					(bpf_ntohl(*(const __u32 *)(m + 2)) & 0xffffff),
					bits);
	if (oui & 0x020000)
		return VW_REASON_NO_OUI;
	return VW_REASON_OUI;
}

/* The per-frame MAC verdict. The common case is one inlined array load. */
static __always_inline __u32 vw_classify_mac(const __u8 *m)
{
	__u32 oui, bits = vw_oui_lookup(m, &oui);

	return vw_classify_bits(m, oui, bits);
}

/* Takes a token from the global bucket id (rate per second, at most burst
 * banked). One CPU per jiffy wins the refill with a compare-and-swap on
 * the time; a frame that finds the bucket empty only reads it, so a flood
 * costs no atomic and no written cache line. */
static __always_inline int vw_budget_take(__u32 id, __u32 rate, __u32 burst, __u64 now)
{
	struct vw_bucket *b = bpf_map_lookup_elem(&vw_budget, &id);
	__u64 last, add;
	__s64 have;
	__u64 *denied;

	if (!b)
		return 0;
	last = b->last;
	if (now != last) {
		add = (now - last) * rate / vw_hz();
		if (add && __sync_val_compare_and_swap(&b->last, last, now) == last) {
			have = b->tokens;
			if (have < 0)
				have = 0;
			if (add > burst - (__u64)have)
				add = have < (__s64)burst ? burst - (__u64)have : 0;
			if (add)
				__sync_fetch_and_add(&b->tokens, (__s64)add);
		}
	}
	if (b->tokens > 0 && __sync_fetch_and_add(&b->tokens, -1) > 0)
		return 1;
	denied = bpf_map_lookup_elem(&vw_budget_denied, &id);
	if (denied)
		*denied += 1;
	return 0;
}

static __always_inline int vw_take_token(const struct vw_config *cfg, __u64 now)
{
	return vw_budget_take(VW_BUDGET_EVENTS, cfg->events_per_s, cfg->event_burst, now);
}

struct vw_ctx_info {
	__u32 ifindex;
	__u32 slot;
	__u16 vlan;
	__u16 ethertype;   /* host order */
	__u8 direction;
	__u8 mode;
	__u16 pad0;        /* zero: see below */
	/* What vw_report needs beyond the above, kept here rather than in
	 * arguments: values live across the inlined flood check's lookups
	 * cost the restricted path spills (vw-bench). */
	__u32 report;      /* VW_CLS_REPORT(reason, verdict, vendor) */
	__u32 pad1;        /* zero: see below */
	__u64 mac;         /* the classified MAC, as vw_mac_at gives it */
};
/* vw_report is verified alone (VW_VERIFIED_ALONE): the verifier checks
 * every byte of the context its caller passes, so there is no hidden
 * padding, and every caller builds the context with an initializer, which
 * zeroes the pads. */
_Static_assert(sizeof(struct vw_ctx_info) == 32, "vw_ctx_info: no hidden padding");

static __always_inline __u32 vw_hash_mac(__u64 mac, __u32 salt)
{
	__u64 h = (mac ^ ((__u64)salt << 48)) * 0x9E3779B97F4A7C15ull;

	return (__u32)(h >> 40);
}

/* The vw_alert_cache entry of (mac, slot): the MAC's low 24 bits folded
 * twice, its OUI and the slot, xor'ed. Short on purpose: the flood check
 * waits for this index, and the multiplicative hash's multiply sat on its
 * dependent chain. Entries are a cache (a collision costs a vw_alerted
 * lookup), so nothing but the spread matters, and a NIC-specific part
 * spreads well. */
static __always_inline __u32 vw_alert_idx(__u64 mac, __u32 slot)
{
	return (__u32)(mac ^ (mac >> 12) ^ (mac >> 24) ^ ((__u64)slot << 4)) &
	       (VW_ALERT_CACHE - 1);
}

static __always_inline void vw_cache_set(struct vw_alert_cache_ent *c, __u64 mac, __u32 slot,
					 __u32 flags, __u64 until)
{
	/* Keep the cap's admission (VW_ALERT_DECIDED) of the same device. */
	if (c->mac == mac && c->slot == slot)
		flags |= c->flags & VW_ALERT_DECIDED;
	c->mac = mac;
	c->slot = slot;
	c->flags = flags;
	c->until = until;
}

/* Sends one event to user space; 0 (counted) when the ring is full. */
static __always_inline int vw_emit(const struct vw_ctx_info *ci, __u64 mac, __u32 kind,
				   __u32 reason, __u32 verdict, __u16 vendor, __u64 now)
{
	struct vw_event *e = bpf_ringbuf_reserve(&vw_events, sizeof(*e), 0);

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
	for (int i = 0; i < 6; i++)
		e->mac[i] = (__u8)(mac >> (40 - 8 * i));
	e->vlan = ci->vlan;
	e->ifindex = ci->ifindex;
	e->slot = ci->slot;
	e->ethertype = ci->ethertype;
	e->jiffies = now;
	bpf_ringbuf_submit(e, 0);
	vw_count(ci->slot, VW_CTR_EVENT);
	return 1;
}

/* First sighting and reminders, rate-limited per (MAC, segment). */
VW_VERIFIED_ALONE int vw_report(const struct vw_ctx_info *ci)
{
	__u32 reason, verdict;
	__u16 vendor;
	__u32 zero = 0, h;
	struct vw_config *cfg = bpf_map_lookup_elem(&vw_config, &zero);
	struct vw_alert_cache_ent *c;
	struct vw_alert_key k = {};
	struct vw_alert_state *st, fresh = {};
	__u64 now, interval, mac;
	__u32 kind = VW_EVENT_FIRST;

	if (!cfg || !ci)
		return 0;
	reason = VW_CLS_REASON(ci->report);
	verdict = VW_CLS_VERDICT(ci->report);
	vendor = VW_CLS_VENDOR(ci->report);
	now = bpf_jiffies64();
	interval = (__u64)cfg->alert_interval_s * vw_hz();
	mac = ci->mac;
	h = vw_alert_idx(mac, ci->slot);
	c = bpf_map_lookup_elem(&vw_alert_cache, &h);
	if (!c)
		return 0;
	if (c->mac == mac && c->slot == ci->slot && now < c->until)
		return 0;

	k.mac = mac;
	k.slot = ci->slot;
	st = bpf_map_lookup_elem(&vw_alerted, &k);
	if (st && st->last) {
		if (now - st->last < interval) {
			vw_cache_set(c, mac, ci->slot, st->flags, st->last + interval);
			return 0;
		}
		kind = VW_EVENT_REMINDER;
	}
	if (!vw_take_token(cfg, now)) {
		vw_count(ci->slot, VW_CTR_EVENT_THROTTLED);
		return 0;
	}
	if (!vw_emit(ci, mac, kind, reason, verdict, vendor, now))
		return 0;

	if (st) {
		st->last = now;
	} else {
		fresh.last = now;
		bpf_map_update_elem(&vw_alerted, &k, &fresh, BPF_ANY);
	}
	vw_cache_set(c, mac, ci->slot, st ? st->flags : 0, now + interval);
	return 0;
}

/* Quarantine cap: the first time a device would be blocked on a segment
 * it is admitted if the window's budget allows, and then stays blocked
 * (vw_cap_blocked, which frames cannot evict). A device over the cap is
 * not remembered: it stays capped while the window is full and is decided
 * again in the next window, so a capped decision ends with its window. */
static __attribute__((noinline)) int vw_capped(__u64 mac, __u32 slot,
					       const struct vw_segment *seg)
{
	struct vw_alert_cache_ent *c;
	struct vw_cap_window *w;
	struct vw_alert_key k = {};
	__u64 now, window;
	__u32 h;

	h = vw_alert_idx(mac, slot);
	c = bpf_map_lookup_elem(&vw_alert_cache, &h);
	if (!c)
		return 0;
	if (c->mac == mac && c->slot == slot && (c->flags & VW_ALERT_DECIDED))
		return 0;

	k.mac = mac;
	k.slot = slot;
	if (!bpf_map_lookup_elem(&vw_cap_blocked, &k)) {
		w = bpf_map_lookup_elem(&vw_cap, &slot);
		if (!w)
			return 0;
		now = bpf_jiffies64();
		window = (__u64)(seg->cap_window_s ? seg->cap_window_s : 3600) * vw_hz();
		if (now - w->start >= window) {
			w->start = now;
			w->count = 0;
		}
		if (w->count >= seg->max_new_per_hour)
			return 1;
		/* Not atomic: two CPUs racing may admit one device more than
		 * the cap, which is harmless for a safety valve. A full map
		 * blocks without remembering (fail closed) and counts nothing. */
		if (bpf_map_update_elem(&vw_cap_blocked, &k, &now, BPF_NOEXIST))
			return 0;
		w->count++;
	}
	if (c->mac != mac || c->slot != slot) {
		c->mac = mac;
		c->slot = slot;
		c->until = 0;
	}
	c->flags = VW_ALERT_DECIDED;
	return 0;
}

/* The flood case of vw_report (same MAC on the same segment within the
 * alert interval), inlined so a suppressed restricted frame costs no
 * BPF-to-BPF call: under SRSO/retpoline mitigations the call and return
 * were most of the +11 ns a hit cost over a benign frame (vw-bench).
 * vw_report repeats this check itself, so skipping it is never wrong. */
static __always_inline int vw_alert_suppressed(__u64 mac, __u32 slot)
{
	__u32 h = vw_alert_idx(mac, slot);
	struct vw_alert_cache_ent *c = bpf_map_lookup_elem(&vw_alert_cache, &h);

	if (!c)
		return 1;	/* vw_report would not report either */
	return c->mac == mac && c->slot == slot && bpf_jiffies64() < c->until;
}

/* ci is taken by value and copied to the stack only for the report: a
 * context built on the stack before the flood check was a dozen loads
 * and stores on every restricted frame. */
static __always_inline void vw_alert(struct vw_ctx_info ci, __u32 reason,
				     __u32 verdict, __u16 vendor)
{
	if (!vw_alert_suppressed(ci.mac, ci.slot)) {
		struct vw_ctx_info r = ci;

		r.report = VW_CLS_REPORT(reason, verdict, vendor);
		vw_report(&r);
	}
}

/* Management traffic the fingerprint engine wants (policy/fingerprints/CATALOGUE.md §13),
 * from the table in include/vw_mgmt.h. Runs for every frame, so the usual
 * answer, "no", costs an EtherType compare, three IP header fields (the
 * options are skipped by IHL, never walked), one load of both ports and
 * one sieve test per direction; exact port compares follow only when the
 * sieve lets a frame through. */
static __always_inline int vw_mgmt_ports(__u8 l4proto, const void *l4,
					 void *data_end, __u32 l4len)
{
	const struct tcphdr *th = l4;
	__u32 ports, sport, dport;

	if (l4 + sizeof(struct udphdr) > data_end)
		return 0;
	/* Both ports in one load; the sieve wants the low six bits of
	 * each, which are the low bits of its second byte. */
	ports = *(const __u32 *)l4;
	if (l4proto == IPPROTO_UDP) {
		/* Both sieve bits in one test: one branch, not two. */
		if (likely(!(((VW_MGMT_UDP_SRC_SIEVE >> ((ports >> 8) & 63)) |
			      (VW_MGMT_UDP_DST_SIEVE >> ((ports >> 24) & 63))) & 1)))
			return 0;
		sport = bpf_ntohs((__u16)ports);
		dport = bpf_ntohs((__u16)(ports >> 16));
		return vw_mgmt_udp_proto(sport, dport, 1) != VW_MGMT_NONE;
	}
	if (l4proto != IPPROTO_TCP ||
	    likely(!(((VW_MGMT_TCP_SRC_SIEVE >> ((ports >> 8) & 63)) |
		      (VW_MGMT_TCP_DST_SIEVE >> ((ports >> 24) & 63))) & 1)))
		return 0;
	if ((void *)(th + 1) > data_end)
		return 0;
	sport = bpf_ntohs((__u16)ports);
	dport = bpf_ntohs((__u16)(ports >> 16));
	return vw_mgmt_tcp_proto(sport, dport, 1) != VW_MGMT_NONE &&
	       l4len > (__u32)th->doff * 4;
}

/* The first 8 bytes of an IPv4 header without options that is not a
 * later fragment: version/IHL 0x45 and a zero fragment offset (MF may be
 * set: a first fragment carries the ports). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define VW_IP4_PLAIN_MASK 0xff1f0000000000ffull
#define VW_IP4_PLAIN      0x45ull
#else
#define VW_IP4_PLAIN_MASK 0xff00000000001fffull
#define VW_IP4_PLAIN      0x4500000000000000ull
#endif

/* IPv4 with options (or a later fragment): rare, so the header length is
 * read only here. */
static __always_inline int vw_is_mgmt_ip4(void *l3, void *data_end)
{
	struct iphdr *ip = l3;
	__u32 ihl;

	if ((void *)(ip + 1) > data_end ||
	    (ip->frag_off & bpf_htons(0x1fff)))
		return 0;
	ihl = ip->ihl * 4;
	if (ihl < sizeof(*ip))
		return 0;
	return vw_mgmt_ports(ip->protocol, l3 + ihl, data_end,
			     bpf_ntohs(ip->tot_len) - ihl);
}

/* A DHCP server's reply (IPv4 UDP from port 67) leaving through a LAN
 * port: a server beyond the gateway answering a relay on the LAN side.
 * Its ACK is what gives a client behind the relay its address and lease,
 * and it crosses the gateway only outwards, so egress samples this one
 * kind of frame; the test is one EtherType compare for every other. */
static __always_inline int vw_is_dhcp_reply(void *data, void *data_end,
					    const struct vw_pkt *p)
{
	void *l3 = data + (p->l3off & 0xff);
	struct iphdr *ip = l3;
	struct udphdr *uh = (void *)(ip + 1);

	if (likely(p->proto != bpf_htons(0x0800)) || (void *)(uh + 1) > data_end ||
	    (*(const __u64 *)l3 & VW_IP4_PLAIN_MASK) != VW_IP4_PLAIN ||
	    ip->protocol != IPPROTO_UDP)
		return 0;
	return uh->source == bpf_htons(67);
}

static __always_inline int vw_is_mgmt(void *data, void *data_end,
				      const struct vw_pkt *p)
{
	struct ethhdr *eth = data;
	void *l3 = data + (p->l3off & 0xff);
	__u16 proto = bpf_ntohs(p->proto);

	if (likely(proto == 0x0800)) {
		struct iphdr *ip = l3;

		/* The common header in one load and one compare, the ports
		 * at a fixed offset: no dependency on the IHL load. */
		if (likely(l3 + sizeof(*ip) + sizeof(struct udphdr) <= data_end &&
			   (*(const __u64 *)l3 & VW_IP4_PLAIN_MASK) == VW_IP4_PLAIN))
			return vw_mgmt_ports(ip->protocol, ip + 1, data_end,
					     bpf_ntohs(ip->tot_len) - sizeof(*ip));
		return vw_is_mgmt_ip4(l3, data_end);
	}
	if (proto == 0x86DD) {
		struct ipv6hdr *ip6 = l3;

		if ((void *)(ip6 + 1) > data_end)
			return 0;
		return vw_mgmt_ports(ip6->nexthdr, ip6 + 1, data_end,
				     bpf_ntohs(ip6->payload_len));
	}
	if (vw_mgmt_ethertype_proto(proto, 1) != VW_MGMT_NONE)
		return 1;
	/* 802.3 length frames to Cisco's SNAP multicast: CDP. */
	return proto < 0x0600 && eth->h_dest[0] == VW_MGMT_CDP_DST0 &&
	       eth->h_dest[1] == VW_MGMT_CDP_DST1 &&
	       eth->h_dest[2] == VW_MGMT_CDP_DST2 &&
	       eth->h_dest[3] == VW_MGMT_CDP_DST3;
}

/* Sample budget: per MAC, sample_burst at once and then one per interval,
 * under one global budget (a spoofed MAC always has fresh tokens). */
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
	if (!vw_budget_take(VW_BUDGET_SAMPLES, cfg->samples_per_s,
			    cfg->sample_global_burst, now))
		return 0;
	s->tokens--;
	return 1;
}

#endif

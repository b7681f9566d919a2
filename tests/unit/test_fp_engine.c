/* SPDX-License-Identifier: GPL-2.0-only */
/* Tests for daemon/lib/fp/engine.c: thresholds per mode, combination, no flapping, H3C clearing a Huawei OUI, bounded evidence and devices, addresses. */
#include "unit.h"
#include "engine.h"
#include "mac.h"
#include <sys/socket.h>
#include "fp_frames.h"

struct fx {
	struct vw_policy pol;
	struct vw_fp_rules *rs;
	struct vw_ouiset set;
	struct vw_ouiset_entry ent[1];
	struct vw_ouiset_stats stats[5];
	struct vw_fp_engine *e;
	struct vw_fp_change last;
	int changes;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vw_diag d = { 0 };
	char *pdir = NULL, *rdir = NULL;
	struct vw_fp_engine_conf c;

	assert_true(asprintf(&pdir, "%s/policy", src_dir()) > 0);
	assert_true(asprintf(&rdir, "%s/policy/fingerprints", src_dir()) > 0);
	assert_int_equal(vw_policy_load(&f->pol, pdir, &d), 0);
	assert_int_equal(vw_fp_rules_load(&f->rs, rdir, &f->pol, &d), 0);
	/* A one-entry OUI set: Huawei's historic 00E0FC; all five groups
	 * restricted. */
	f->ent[0] = (struct vw_ouiset_entry){ .prefix = 0x00E0FC000000ull, .plen = 24, .restricted = true, .vendor = 1 };
	for (int i = 0; i < 5; i++)
		f->stats[i].vendor = (uint16_t)(i + 1);
	f->set = (struct vw_ouiset){ .v = f->ent, .n = 1, .cap = 1, .stats = f->stats, .n_stats = 5 };
	vw_fp_engine_conf_default(&c);
	assert_int_equal(vw_fp_engine_new(&f->e, &c, f->rs, &f->set, &f->pol), 0);
	free(pdir);
	free(rdir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	vw_fp_engine_free(f->e);
	vw_fp_rules_free(f->rs);
	vw_policy_free(&f->pol);
	free(f);
	return 0;
}

static void reconf(struct fx *f, double mon, double blk, size_t devs, size_t ev)
{
	struct vw_fp_engine_conf c;

	vw_fp_engine_free(f->e);
	vw_fp_engine_conf_default(&c);
	c.threshold_monitor = mon;
	c.threshold_block = blk;
	c.max_devices = devs;
	c.max_evidence = ev;
	assert_int_equal(vw_fp_engine_new(&f->e, &c, f->rs, &f->set, &f->pol), 0);
}

static void on_change(void *ctx, const struct vw_fp_change *c)
{
	struct fx *f = ctx;

	f->last = *c;
	f->changes++;
}

/* Feeds one string field of one signal for mac; returns the change count. */
static int feed(struct fx *f, const uint8_t mac[6], enum vw_fp_signal sig, const char *field,
		const char *val, uint64_t t)
{
	struct vw_fp_result r;

	vw_fp_reset(&r, sig);
	if (field)
		assert_int_equal(vw_fp_add_copy(&r, field, val, strlen(val)), 0);
	f->changes = 0;
	return vw_fp_engine_result(f->e, mac, &r, t, on_change, f);
}

static const uint8_t local_mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t intel_mac[6] = { 0x00, 0x1b, 0x21, 0x0a, 0x0b, 0x0c };
static const uint8_t h3c_mac[6] = { 0x00, 0xe0, 0xfc, 0x00, 0x56, 0x00 };

static void test_one_high_signal(void **state)
{
	struct fx *f = *state;
	struct vw_fp_report r;

	assert_int_equal(feed(f, local_mac, VW_SIG_BANNER, "ssh-version", "SSH-2.0-HUAWEI-1.5", 1), 1);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_RESTRICTED);
	assert_true(f->last.dev.monitor && f->last.dev.block);
	assert_string_equal(f->last.dev.ident->id, "huawei");
	assert_int_equal(f->last.dev.vendor_code, 1);
	assert_true(f->last.what & VW_FP_CHG_STATE);
	assert_string_equal(vw_fp_change_event(&f->last), "restricted");
	assert_int_equal(f->last.dev.n_evidence, 1);
	assert_string_equal(f->last.dev.evidence[0].value, "SSH-2.0-HUAWEI-1.5");
	assert_string_equal(f->last.dev.evidence[0].rule->id, "huawei-ssh");
	/* The same evidence again adds nothing and reports nothing. */
	assert_int_equal(feed(f, local_mac, VW_SIG_BANNER, "ssh-version", "SSH-2.0-HUAWEI-1.5", 2), 0);
	assert_int_equal(vw_fp_engine_get(f->e, local_mac, &r), 0);
	assert_true(r.confidence > 0.899 && r.confidence < 0.901);
	assert_int_equal(r.n_evidence, 1);
	/* A benign device stays unknown. */
	assert_int_equal(feed(f, intel_mac, VW_SIG_BANNER, "ssh-version", "SSH-2.0-OpenSSH_9.2", 3), 0);
	assert_int_equal(vw_fp_engine_get(f->e, intel_mac, &r), 0);
	assert_int_equal(r.state, VW_FP_STATE_NONE);
	assert_null(r.ident);
}

static void test_medium_combines(void **state)
{
	struct fx *f = *state;

	/* One medium alone: a suspicion, not a verdict. */
	feed(f, local_mac, VW_SIG_LLDP, "system-name", "HUAWEI", 1);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_NONE);
	assert_string_equal(f->last.dev.ident->id, "huawei");
	/* A second, independent medium (another field): 0.91. */
	feed(f, local_mac, VW_SIG_DHCP, "hostname", "HUAWEI_P30-9e8b07efe8a355", 2);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_RESTRICTED);
	assert_true(f->last.dev.confidence > 0.905 && f->last.dev.confidence < 0.915);
}

static void test_block_needs_two(void **state)
{
	struct fx *f = *state;

	reconf(f, 0.9, 0.99, 64, 8);
	feed(f, local_mac, VW_SIG_LLDP, "system-description", "Huawei Versatile Routing Platform Software", 1);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_RESTRICTED);
	assert_true(f->last.dev.monitor);
	assert_false(f->last.dev.block);
	feed(f, local_mac, VW_SIG_BANNER, "ssh-version", "SSH-2.0-HUAWEI-1.5", 2);
	assert_true(f->last.dev.monitor && f->last.dev.block);
	assert_true(f->last.what & VW_FP_CHG_MODE);
	assert_false(f->last.what & VW_FP_CHG_STATE);
	assert_string_equal(vw_fp_change_event(&f->last), "threshold");
}

static void test_no_flapping(void **state)
{
	struct fx *f = *state;

	feed(f, local_mac, VW_SIG_LLDP, "system-description", "Huawei Versatile Routing Platform Software", 1);
	assert_string_equal(f->last.dev.ident->id, "huawei");
	/* Weaker contrary evidence: the vendor stays. */
	feed(f, local_mac, VW_SIG_WSD, "scope", "onvif://www.onvif.org/name/Dahua", 2);
	assert_int_equal(f->changes, 1);
	assert_false(f->last.what & VW_FP_CHG_VENDOR);
	assert_string_equal(f->last.dev.ident->id, "huawei");
	/* Equal contrary evidence (0.9 vs 0.9), on a second device: stays. */
	feed(f, intel_mac, VW_SIG_LLDP, "system-description", "Huawei Versatile Routing Platform Software", 1);
	feed(f, intel_mac, VW_SIG_BANNER, "server", "Dahua Rtsp Server", 3);
	assert_false(f->last.what & VW_FP_CHG_VENDOR);
	assert_string_equal(f->last.dev.ident->id, "huawei");
	/* Now 1 - 0.1*0.1 = 0.99 > 0.9: changes, and says so. */
	feed(f, intel_mac, VW_SIG_DHIP, "method", "client.notifyDevInfo", 4);
	assert_true(f->last.what & VW_FP_CHG_VENDOR);
	assert_string_equal(vw_fp_change_event(&f->last), "vendor-changed");
	assert_string_equal(f->last.old_ident->id, "huawei");
	assert_string_equal(f->last.dev.ident->id, "dahua");
	assert_int_equal(f->last.dev.vendor_code, 4);
}

static void test_h3c_clears_huawei_oui(void **state)
{
	struct fx *f = *state;
	struct ff fr;
	uint8_t src[6];

	/* First sighting: the Huawei-era OUI alone restricts at once. */
	assert_int_equal(feed(f, h3c_mac, VW_SIG_NONE, NULL, NULL, 1), 1);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_RESTRICTED);
	assert_string_equal(vw_fp_evidence_signal(&f->last.dev.evidence[0]), "oui");
	/* Then its LLDP, through the whole frame path, chassis 00e0-fc00-5600. */
	memcpy(src, h3c_mac, 6);
	src[5] = 0x01;
	ff_lldp(&fr, src, h3c_mac, "H3C",
		"H3C Comware Platform Software, Software Version 7.1.070\r\nCopyright (c) 2004-2021 New H3C Technologies Co., Ltd.");
	f->changes = 0;
	assert_int_equal(vw_fp_engine_frame(f->e, fr.b, fr.n, 2, on_change, f), 1);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_DISPUTED);
	assert_string_equal(f->last.dev.ident->id, "h3c");
	/* src's own OUI is 00e0fc too: disputed on the very first frame
	 * (the class explains a restricted OUI, it does not clear it). */
	assert_int_equal(f->last.old_state, VW_FP_STATE_NONE);
	/* The first device, once its LLDP arrives, changes and reports it. */
	f->changes = 0;
	feed(f, h3c_mac, VW_SIG_LLDP, "system-description", "H3C Comware Platform Software", 3);
	assert_string_equal(vw_fp_change_event(&f->last), "vendor-changed");
	assert_int_equal(f->last.old_state, VW_FP_STATE_RESTRICTED);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_DISPUTED);
	/* HGMP from an identified H3C does not bring Huawei back. */
	feed(f, h3c_mac, VW_SIG_HUAWEI_L2, "protocol", "hgmp", 4);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_DISPUTED);
	/* But Huawei-only text is stronger than the explained OUI. */
	feed(f, h3c_mac, VW_SIG_BANNER, "ssh-version", "SSH-2.0-HUAWEI-1.5", 5);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_DISPUTED);   /* 0.9 vs 0.9: no flap */
	feed(f, h3c_mac, VW_SIG_DHCP, "vendor-class", "HUAWEI:android:ELE", 6);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_RESTRICTED);
}

/* A look-alike that explains no restricted evidence (a locally
 * administered MAC) disputes nothing: it is simply cleared. */
static void test_lookalike_without_oui_cleared(void **state)
{
	static const uint8_t la[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct fx *f = *state;

	feed(f, la, VW_SIG_LLDP, "system-description", "H3C Comware Platform Software", 1);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_CLEARED);
	assert_string_equal(vw_fp_change_event(&f->last), "cleared");
}

static void test_evidence_capped(void **state)
{
	static const struct { enum vw_fp_signal sig; const char *field, *val; } ev[] = {
		{ VW_SIG_LLDP, "system-name", "HUAWEI" },
		{ VW_SIG_DHCP, "hostname", "HUAWEI_P30-9e8b07efe8a355" },
		{ VW_SIG_HUAWEI_L2, "protocol", "lbdt" },
		{ VW_SIG_BANNER, "ftp-banner", "120 The user queue is full, please try again later." },
		{ VW_SIG_LLDP, "system-description", "Huawei Versatile Routing Platform Software" },
		{ VW_SIG_BANNER, "ssh-version", "SSH-2.0-HUAWEI-1.5" },
		{ VW_SIG_DHCP, "vendor-class", "HUAWEI:android:ELE" },
		{ VW_SIG_BANNER, "www-authenticate-realm", "HuaweiHomeGateway" },
		{ VW_SIG_TR069, "oui", "00E0FC" },
	};
	struct fx *f = *state;
	struct vw_fp_engine_stats st;
	struct vw_fp_report r;

	reconf(f, 0.9, 0.9, 64, 4);
	for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++)
		feed(f, local_mac, ev[i].sig, ev[i].field, ev[i].val, i + 1);
	assert_int_equal(vw_fp_engine_get(f->e, local_mac, &r), 0);
	assert_int_equal(r.n_evidence, 4);
	/* The weak ones gave way to the strong ones. */
	for (size_t i = 0; i < r.n_evidence; i++)
		assert_int_equal(r.evidence[i].level, VW_FP_HIGH);
	vw_fp_engine_stats(f->e, &st);
	assert_true(st.evidence_dropped >= 5);
}

static void test_lru_bound(void **state)
{
	struct fx *f = *state;
	struct vw_fp_engine_stats st;
	struct vw_fp_report r;
	uint8_t m[6] = { 0x02, 0, 0, 0, 0, 0 };

	reconf(f, 0.9, 0.9, 3, 4);
	for (int i = 1; i <= 3; i++) {
		m[5] = (uint8_t)i;
		feed(f, m, VW_SIG_NONE, NULL, NULL, (uint64_t)i);
	}
	m[5] = 1;
	feed(f, m, VW_SIG_NONE, NULL, NULL, 10);   /* 1 is now the most recent */
	for (int i = 4; i <= 5; i++) {
		m[5] = (uint8_t)i;
		feed(f, m, VW_SIG_NONE, NULL, NULL, (uint64_t)(10 + i));
	}
	m[5] = 1; assert_int_equal(vw_fp_engine_get(f->e, m, &r), 0);
	m[5] = 2; assert_int_equal(vw_fp_engine_get(f->e, m, &r), -ENOENT);
	m[5] = 3; assert_int_equal(vw_fp_engine_get(f->e, m, &r), -ENOENT);
	m[5] = 5; assert_int_equal(vw_fp_engine_get(f->e, m, &r), 0);
	vw_fp_engine_stats(f->e, &st);
	assert_int_equal(st.devices, 3);
	assert_int_equal(st.evictions, 2);
}

/* The device table's bucket of a MAC under the hash it used before it was
 * keyed: a fixed multiplier, known to anyone reading the source. */
static uint32_t unkeyed_bucket(const uint8_t m[6], uint32_t mask)
{
	uint64_t k = (uint64_t)m[0] << 40 | (uint64_t)m[1] << 32 | (uint64_t)m[2] << 24 |
		     (uint64_t)m[3] << 16 | (uint64_t)m[4] << 8 | m[5];

	return (uint32_t)((k * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

/* Two engines draw two keys: the same MACs fall in different buckets. */
static void test_table_key_per_engine(void **state)
{
	struct fx *f = *state;
	struct vw_fp_engine *other;
	struct vw_fp_engine_conf c;
	uint8_t m[6] = { 0x02, 0x42, 0, 0, 0, 0 };
	int differ = 0;

	vw_fp_engine_conf_default(&c);
	assert_int_equal(vw_fp_engine_new(&other, &c, f->rs, &f->set, &f->pol), 0);
	for (int i = 0; i < 64; i++) {
		m[5] = (uint8_t)i;
		differ += vw_fp_engine_bucket(f->e, m) != vw_fp_engine_bucket(other, m);
	}
	/* 16,384 devices -> 32,768 buckets: equal by chance 1 in 32,768. */
	assert_true(differ >= 60);
	vw_fp_engine_free(other);
}

/* The attack the key prevents: 1,024 MACs chosen to share one bucket of
 * the unkeyed hash (found here by brute force, as an attacker would)
 * made one chain of 1,024, walked on every frame of every one of them. */
#define FLOOD 1024
/* What carrier fields' MACs were read with before vw_fp_parse_mac_text:
 * the value copied and NUL terminated, 12 bare digits or vw_parse_mac. */
static int mac_text_reference(const uint8_t *s, size_t n, uint8_t mac[6])
{
	char buf[32];

	memcpy(buf, s, n);
	buf[n] = '\0';
	if (strlen(buf) == 12)
		return vw_hex_decode(buf, mac, 6);
	return vw_parse_mac(buf, mac);
}

static void mac_text_same(const uint8_t *s, size_t n, unsigned *ok)
{
	uint8_t a[6] = { 0 }, b[6] = { 0 };
	int ra = vw_fp_parse_mac_text(s, n, a), rb = mac_text_reference(s, n, b);

	assert_int_equal(ra < 0, rb < 0);
	if (!ra) {
		assert_memory_equal(a, b, 6);
		(*ok)++;
	}
}

/* The engine's MAC reader accepts and decodes exactly what the copy and
 * vw_parse_mac did: every notation, every length up to 23, separators,
 * case, NULs inside the value, non-hex and high bytes, mixed separators. */
static void test_mac_text_as_parse_mac(void **state)
{
	static const char *const good[] = {
		"00:e0:fc:12:34:56", "00-E0-FC-12-34-56", "00e0.fc12.3456", "00E0FC123456",
		"aA:bB:cC:dD:eE:fF",
	};
	static const uint8_t alpha[] = "09afAFgG:-. \0\x80\xff/@`";
	unsigned ok = 0, seed = 12345;
	uint8_t s[24];

	(void)state;
	for (size_t g = 0; g < sizeof(good) / sizeof(good[0]); g++) {
		size_t n = strlen(good[g]);

		mac_text_same((const uint8_t *)good[g], n, &ok);
		/* every byte of a good one replaced by every probe byte */
		for (size_t i = 0; i < n; i++) {
			for (size_t a = 0; a < sizeof(alpha) - 1; a++) {
				memcpy(s, good[g], n);
				s[i] = alpha[a];
				mac_text_same(s, n, &ok);
				s[n] = 'x';    /* one more byte after, and a NUL there */
				mac_text_same(s, n + 1, &ok);
				s[n] = '\0';
				mac_text_same(s, n + 1, &ok);
			}
		}
	}
	/* every probe byte as every separator of both grouped notations */
	for (size_t a = 0; a < sizeof(alpha) - 1; a++) {
		memcpy(s, "00e0fc123456a", 13);
		mac_text_same(s, 12, &ok);
		memcpy(s, "00:e0:fc:12:34:56", 17);
		for (size_t i = 2; i < 17; i += 3)
			s[i] = alpha[a];
		mac_text_same(s, 17, &ok);
		memcpy(s, "00e0.fc12.3456", 14);
		s[4] = s[9] = alpha[a];
		mac_text_same(s, 14, &ok);
	}
	for (int r = 0; r < 200000; r++) {
		size_t n = (seed = seed * 1103515245u + 12345u) >> 16 & 15;

		n += 8;    /* 8..23: around 12, 14 and 17 */
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = (seed >> 16) % 4 ? "0123456789abcdef"[(seed >> 20) & 15] : alpha[(seed >> 24) % (sizeof(alpha) - 1)];
		}
		if (n >= 17 && (seed >> 8) % 2) {
			for (size_t i = 2; i < 17; i += 3)
				s[i] = (seed >> 9) % 3 ? ':' : '-';
		}
		mac_text_same(s, n, &ok);
	}
	assert_true(ok > 1000);
}

static void test_chosen_macs_do_not_chain(void **state)
{
	struct fx *f = *state;
	const uint32_t mask = 2 * FLOOD - 1;   /* max_devices FLOOD -> 2 * FLOOD buckets */
	uint8_t (*macs)[6] = calloc(FLOOD, 6);
	struct vw_fp_engine_stats st;
	size_t n = 0;

	assert_non_null(macs);
	for (uint32_t x = 0; n < FLOOD; x++) {
		uint8_t m[6] = { 0x02, 0x00, (uint8_t)(x >> 24), (uint8_t)(x >> 16), (uint8_t)(x >> 8), (uint8_t)x };

		if (unkeyed_bucket(m, mask) == 0)
			memcpy(macs[n++], m, 6);
	}
	reconf(f, 0.9, 0.9, FLOOD, 4);
	for (size_t i = 0; i < FLOOD; i++)
		assert_int_equal(vw_fp_engine_result(f->e, macs[i], NULL, i, NULL, NULL), 0);
	vw_fp_engine_stats(f->e, &st);
	assert_int_equal(st.devices, FLOOD);
	/* Keyed, 1,024 MACs in 2,048 buckets chain like random ones: a
	 * longest chain of about 5 (above 12 has odds below 1e-9). */
	assert_true(vw_fp_engine_longest_chain(f->e) <= 12);
	free(macs);
}

static void test_frame_path_and_addresses(void **state)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t sip[4] = { 10, 0, 0, 7 }, dip[4] = { 10, 0, 0, 1 };
	static const uint8_t sip6[16] = { 0xfe, 0x80, [15] = 7 }, dip6[16] = { 0xff, 0x02, [15] = 0xc };
	struct fx *f = *state;
	struct vw_fp_report r;
	uint8_t dhcp[400];
	struct ff fr;
	size_t n;

	/* LLDP from a locally administered MAC: no OUI to go by. */
	ff_lldp(&fr, local_mac, local_mac, "core-sw-1",
		"Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.180 (ATN 910C-B V300R003C10SPC500)");
	assert_int_equal(vw_fp_engine_frame(f->e, fr.b, fr.n, 1, on_change, f), 1);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_RESTRICTED);
	/* Addresses from its IPv4/IPv6 traffic; DHCP's 0.0.0.0 is not one. */
	n = ff_dhcp_payload(dhcp, sizeof(dhcp), local_mac, "MSFT 5.0", "pc");
	ff_ipv4(&fr, bcast, local_mac, (const uint8_t[4]){ 0 }, (const uint8_t[4]){ 255, 255, 255, 255 }, 17, 68, 67, dhcp, n);
	assert_int_equal(vw_fp_engine_frame(f->e, fr.b, fr.n, 2, on_change, f), 0);
	ff_ipv4(&fr, bcast, local_mac, sip, dip, 17, 5000, 5001, "x", 1);
	vw_fp_engine_frame(f->e, fr.b, fr.n, 3, on_change, f);
	ff_ipv6_udp(&fr, bcast, local_mac, sip6, dip6, 5000, 5001, "x", 1);
	vw_fp_engine_frame(f->e, fr.b, fr.n, 4, on_change, f);
	assert_int_equal(vw_fp_engine_get(f->e, local_mac, &r), 0);
	assert_int_equal(r.n_ipv4, 1);
	assert_memory_equal(r.ipv4[0], sip, 4);
	assert_int_equal(r.n_ipv6, 1);
	assert_memory_equal(r.ipv6[0], sip6, 16);
	/* A DHCP chaddr with a restricted OUI is OUI evidence for chaddr,
	 * not for the sender. */
	n = ff_dhcp_payload(dhcp, sizeof(dhcp), h3c_mac, NULL, NULL);
	ff_ipv4(&fr, bcast, intel_mac, (const uint8_t[4]){ 0 }, (const uint8_t[4]){ 255, 255, 255, 255 }, 17, 68, 67, dhcp, n);
	assert_int_equal(vw_fp_engine_frame(f->e, fr.b, fr.n, 5, on_change, f), 1);
	assert_string_equal(f->last.dev.evidence[0].field, "dhcp.chaddr");
	assert_memory_equal(f->last.dev.mac, h3c_mac, 6);
	assert_false(f->last.dev.by_ip);
	/* Runt frames are refused, not crashed on. */
	assert_int_equal(vw_fp_engine_frame(f->e, fr.b, 10, 6, on_change, f), -EBADMSG);
}

/* ---- evidence subjects (issue 9 §1 inner MACs, issue 11 §1) ---- */

static const uint8_t bcast6[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t zero4[4], bcast4[4] = { 255, 255, 255, 255 };

static void set_ttl(struct ff *fr, uint8_t ttl)
{
	fr->b[14 + 8] = ttl;
	ff_set16(fr, 14 + 10, 0);
	ff_set16(fr, 14 + 10, ff_csum(fr->b + 14, 20));
}

static void assert_no_verdict(struct fx *f, const uint8_t mac[6])
{
	struct vw_fp_report r;

	if (vw_fp_engine_get(f->e, mac, &r) == 0) {
		assert_int_equal(r.state, VW_FP_STATE_NONE);
		assert_false(r.monitor);
		assert_false(r.block);
		for (size_t i = 0; i < r.n_evidence; i++)
			assert_false(r.evidence[i].ident && !r.evidence[i].ident->is_class &&
				     r.evidence[i].confidence > 0);
	}
}

/* The attack of issue 9: a DHCPDISCOVER sent as the victim, naming a
 * Huawei chaddr and a Huawei option 60. Nothing convicts the victim; the
 * named MAC gets its OUI (a fact of that MAC), the options nobody. */
static void test_spoofed_dhcp_spares_sender(void **state)
{
	struct fx *f = *state;
	uint8_t dhcp[400];
	struct vw_fp_report r;
	struct ff fr;
	size_t n;

	n = ff_dhcp_payload(dhcp, sizeof(dhcp), h3c_mac, "HUAWEI:android:ELE-L29", NULL);
	ff_ipv4(&fr, bcast6, intel_mac, zero4, bcast4, 17, 68, 67, dhcp, n);
	assert_int_equal(vw_fp_engine_frame(f->e, fr.b, fr.n, 1, on_change, f), 1);
	assert_memory_equal(f->last.dev.mac, h3c_mac, 6);
	assert_no_verdict(f, intel_mac);
	assert_int_equal(vw_fp_engine_get(f->e, h3c_mac, &r), 0);
	assert_int_equal(r.n_evidence, 1);
	assert_int_equal(r.evidence[0].signal, VW_FP_SIG_OUI);
	/* The reverse: the attacker names a benign victim as chaddr with a
	 * Huawei option 60 from its own MAC: the victim gets nothing. */
	n = ff_dhcp_payload(dhcp, sizeof(dhcp), local_mac, "HUAWEI:android:ELE-L29", NULL);
	ff_ipv4(&fr, bcast6, intel_mac, zero4, bcast4, 17, 68, 67, dhcp, n);
	assert_int_equal(vw_fp_engine_frame(f->e, fr.b, fr.n, 2, on_change, f), 0);
	assert_int_equal(vw_fp_engine_get(f->e, local_mac, &r), -ENOENT);
	assert_no_verdict(f, intel_mac);
	/* The client itself (chaddr = source) is still identified by it. */
	ff_ipv4(&fr, bcast6, local_mac, zero4, bcast4, 17, 68, 67, dhcp, n);
	assert_int_equal(vw_fp_engine_frame(f->e, fr.b, fr.n, 3, on_change, f), 1);
	assert_memory_equal(f->last.dev.mac, local_mac, 6);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_RESTRICTED);
}

/* LLDP from one MAC naming another chassis MAC: evidence about the
 * chassis, not the sender. */
static void test_lldp_chassis_is_other_subject(void **state)
{
	struct fx *f = *state;
	struct vw_fp_report r;
	struct ff fr;

	ff_lldp(&fr, local_mac, h3c_mac, "sw", "Linux 6.1");
	vw_fp_engine_frame(f->e, fr.b, fr.n, 1, on_change, f);
	assert_no_verdict(f, local_mac);
	assert_int_equal(vw_fp_engine_get(f->e, h3c_mac, &r), 0);
	assert_int_equal(r.state, VW_FP_STATE_RESTRICTED);
	assert_false(r.by_ip);
}

static struct {
	int calls, family;
	uint8_t ip[16], mac[6];
	uint32_t lease;
} lease_seen;

static void on_lease(void *ctx, int family, const uint8_t ip[16], const uint8_t mac[6], uint32_t lease_s)
{
	(void)ctx;
	lease_seen.calls++;
	lease_seen.family = family;
	memcpy(lease_seen.ip, ip, 16);
	memcpy(lease_seen.mac, mac, 6);
	lease_seen.lease = lease_s;
}

/* A DHCPACK: op 2, yiaddr, msg-type 5, lease 3600 s. */
static size_t dhcp_ack(uint8_t *out, const uint8_t chaddr[6], const uint8_t yi[4], const uint8_t gi[4])
{
	size_t n = 236;

	memset(out, 0, 300);
	out[0] = 2; out[1] = 1; out[2] = 6;
	memcpy(out + 16, yi, 4);
	memcpy(out + 24, gi, 4);
	memcpy(out + 28, chaddr, 6);
	out[n++] = 99; out[n++] = 130; out[n++] = 83; out[n++] = 99;
	out[n++] = 53; out[n++] = 1; out[n++] = 5;
	out[n++] = 51; out[n++] = 4; out[n++] = 0; out[n++] = 0; out[n++] = 0x0e; out[n++] = 0x10;
	out[n++] = 255;
	return n;
}

/* Relayed DHCP (giaddr set) from a router's MAC: the client behind it is
 * the subject (by_ip, its own MAC known, via the router); neither the
 * router nor a device with the client's MAC on the segment is touched.
 * The server's ACK gives the client's IP and lease. */
static void test_relayed_dhcp_names_client(void **state)
{
	static const uint8_t relay_ip[4] = { 10, 1, 0, 1 }, srv_ip[4] = { 10, 0, 0, 2 };
	static const uint8_t yi[4] = { 10, 1, 0, 50 }, srv_mac[6] = { 0x00, 0x1b, 0x21, 0, 0, 2 };
	static const uint8_t hw_client[6] = { 0x00, 0xe0, 0xfc, 0x01, 0x02, 0x03 };
	struct fx *f = *state;
	uint8_t dhcp[400];
	struct vw_fp_report r;
	struct ff fr;
	size_t n;

	memset(&lease_seen, 0, sizeof(lease_seen));
	vw_fp_engine_set_lease_cb(f->e, on_lease, NULL);
	n = ff_dhcp_payload(dhcp, sizeof(dhcp), local_mac, "HUAWEI:android:ELE-L29", NULL);
	memcpy(dhcp + 24, relay_ip, 4);
	ff_ipv4(&fr, srv_mac, intel_mac, relay_ip, srv_ip, 17, 67, 67, dhcp, n);
	assert_int_equal(vw_fp_engine_frame(f->e, fr.b, fr.n, 1, on_change, f), 1);
	assert_true(f->last.dev.by_ip);
	assert_true(f->last.dev.has_mac);
	assert_memory_equal(f->last.dev.mac, local_mac, 6);
	assert_true(f->last.dev.has_via);
	assert_memory_equal(f->last.dev.via_mac, intel_mac, 6);
	assert_int_equal(f->last.dev.family, 0);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_RESTRICTED);
	assert_no_verdict(f, intel_mac);
	assert_int_equal(vw_fp_engine_get(f->e, local_mac, &r), -ENOENT);
	/* The ACK, server to relay: lease callback and the client's IP. */
	n = dhcp_ack(dhcp, local_mac, yi, relay_ip);
	ff_ipv4(&fr, intel_mac, srv_mac, srv_ip, relay_ip, 17, 67, 67, dhcp, n);
	assert_int_equal(vw_fp_engine_frame(f->e, fr.b, fr.n, 2, on_change, f), 1);
	assert_int_equal(lease_seen.calls, 1);
	assert_int_equal(lease_seen.family, AF_INET);
	assert_memory_equal(lease_seen.ip, yi, 4);
	assert_memory_equal(lease_seen.mac, local_mac, 6);
	assert_int_equal(lease_seen.lease, 3600);
	assert_true(f->last.dev.by_ip);
	assert_int_equal(f->last.dev.family, AF_INET);
	assert_memory_equal(f->last.dev.ip, yi, 4);
	assert_int_equal(f->last.dev.lease_s, 3600);
	assert_no_verdict(f, srv_mac);
	/* An ACK for a Huawei client as a router sends it on (TTL 63): the
	 * client's chaddr is no evidence about the sender's address. */
	n = dhcp_ack(dhcp, hw_client, yi, relay_ip);
	ff_ipv4(&fr, intel_mac, srv_mac, srv_ip, relay_ip, 17, 67, 67, dhcp, n);
	set_ttl(&fr, 63);
	vw_fp_engine_frame(f->e, fr.b, fr.n, 3, on_change, f);
	assert_int_equal(lease_seen.calls, 2);
	assert_true(vw_fp_engine_get_ip(f->e, AF_INET, srv_ip, &r) == -ENOENT ||
		    r.state != VW_FP_STATE_RESTRICTED);
	/* A non-relayed ACK calls back too. */
	n = dhcp_ack(dhcp, intel_mac, yi, zero4);
	ff_ipv4(&fr, bcast6, srv_mac, srv_ip, bcast4, 17, 67, 68, dhcp, n);
	vw_fp_engine_frame(f->e, fr.b, fr.n, 4, on_change, f);
	assert_int_equal(lease_seen.calls, 3);
	assert_memory_equal(lease_seen.mac, intel_mac, 6);
}

#define INFORM "POST /acs HTTP/1.1\r\nHost: acs\r\nContent-Type: text/xml\r\n\r\n" \
	"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" " \
	"xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\"><soap:Body><cwmp:Inform><DeviceId>" \
	"<Manufacturer>Huawei Technologies Co., Ltd</Manufacturer><OUI>00E0FC</OUI>" \
	"<ProductClass>HG8245H</ProductClass><SerialNumber>4857</SerialNumber></DeviceId>" \
	"</cwmp:Inform></soap:Body></soap:Envelope>"

static bool router_is_intel(void *ctx, const uint8_t mac[6])
{
	(void)ctx;
	return !memcmp(mac, intel_mac, 6);
}

/* A TR-069 Inform forwarded by a router (TTL 63) is about the CPE's IP,
 * never the router's MAC; with TTL 64 from a MAC the conf says is a
 * router, the same. From a host on the segment (TTL 64), it is the
 * host's own. */
static void test_routed_inform_is_about_ip(void **state)
{
	static const uint8_t cpe[4] = { 192, 168, 7, 20 }, acs[4] = { 10, 0, 0, 3 };
	static const uint8_t cpe2[4] = { 192, 168, 7, 21 }, gw[6] = { 0x00, 0x1b, 0x21, 0, 0, 1 };
	struct fx *f = *state;
	struct vw_fp_engine_conf c;
	struct vw_fp_report r;
	struct ff fr;

	ff_ipv4(&fr, gw, intel_mac, cpe, acs, 6, 40000, 7547, INFORM, strlen(INFORM));
	set_ttl(&fr, 63);
	assert_int_equal(vw_fp_engine_frame(f->e, fr.b, fr.n, 1, on_change, f), 1);
	assert_true(f->last.dev.by_ip);
	assert_false(f->last.dev.has_mac);
	assert_int_equal(f->last.dev.family, AF_INET);
	assert_memory_equal(f->last.dev.ip, cpe, 4);
	assert_memory_equal(f->last.dev.via_mac, intel_mac, 6);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_RESTRICTED);
	assert_no_verdict(f, intel_mac);
	assert_int_equal(vw_fp_engine_get_ip(f->e, AF_INET, cpe, &r), 0);
	assert_int_equal(r.state, VW_FP_STATE_RESTRICTED);
	assert_int_equal(vw_fp_engine_get(f->e, intel_mac, &r), 0);
	assert_int_equal(r.n_ipv4, 0);    /* the CPE's address is not the router's */
	/* TTL 64 from a router the conf names. */
	vw_fp_engine_free(f->e);
	vw_fp_engine_conf_default(&c);
	c.is_router = router_is_intel;
	assert_int_equal(vw_fp_engine_new(&f->e, &c, f->rs, &f->set, &f->pol), 0);
	ff_ipv4(&fr, gw, intel_mac, cpe2, acs, 6, 40000, 7547, INFORM, strlen(INFORM));
	assert_int_equal(vw_fp_engine_frame(f->e, fr.b, fr.n, 1, on_change, f), 1);
	assert_true(f->last.dev.by_ip);
	assert_memory_equal(f->last.dev.ip, cpe2, 4);
	assert_no_verdict(f, intel_mac);
	/* The same Inform from a host on the segment: its own. */
	ff_ipv4(&fr, gw, local_mac, cpe, acs, 6, 40000, 7547, INFORM, strlen(INFORM));
	assert_int_equal(vw_fp_engine_frame(f->e, fr.b, fr.n, 2, on_change, f), 1);
	assert_false(f->last.dev.by_ip);
	assert_memory_equal(f->last.dev.mac, local_mac, 6);
	assert_int_equal(f->last.dev.state, VW_FP_STATE_RESTRICTED);
	/* ... and made no device by IP. */
	assert_int_equal(vw_fp_engine_get_ip(f->e, AF_INET, cpe, &r), -ENOENT);
}

/* A camera behind a router asking for its device cloud: a DNS query is
 * evidence about the querier's IP (never the router's MAC), at medium,
 * so the query alone, or repeated, or a second cloud name of the same
 * field, does not identify (issue 11 section 1, CATALOGUE 8.1). */
static void test_routed_cloud_query_is_about_ip(void **state)
{
	static const uint8_t cam[4] = { 192, 168, 7, 30 }, dns[4] = { 10, 0, 0, 53 };
	static const uint8_t gw[6] = { 0x00, 0x1b, 0x21, 0, 0, 1 };
	static const uint8_t q1[] = "\x12\x34\x01\x00\0\1\0\0\0\0\0\0"
				    "\x07" "litedev" "\x0b" "hik-connect" "\x03" "com" "\0\0\1\0\1";
	static const uint8_t q2[] = "\x12\x35\x01\x00\0\1\0\0\0\0\0\0"
				    "\x03" "dev" "\x0b" "hik-connect" "\x03" "com" "\0\0\1\0\1";
	struct fx *f = *state;
	struct vw_fp_report r;
	struct ff fr;
	bool seen = false;

	ff_ipv4(&fr, gw, intel_mac, cam, dns, 17, 40000, 53, q1, sizeof(q1) - 1);
	set_ttl(&fr, 63);
	vw_fp_engine_frame(f->e, fr.b, fr.n, 1, on_change, f);
	ff_ipv4(&fr, gw, intel_mac, cam, dns, 17, 40001, 53, q2, sizeof(q2) - 1);
	set_ttl(&fr, 63);
	vw_fp_engine_frame(f->e, fr.b, fr.n, 2, on_change, f);
	assert_int_equal(vw_fp_engine_get_ip(f->e, AF_INET, cam, &r), 0);
	assert_int_not_equal(r.state, VW_FP_STATE_RESTRICTED);
	for (size_t i = 0; i < r.n_evidence; i++)
		if (!strcmp(vw_fp_evidence_signal(&r.evidence[i]), "dns") &&
		    !strcmp(r.evidence[i].field, "query-name")) {
			seen = true;
			assert_true(r.evidence[i].confidence < 0.9);
		}
	assert_true(seen);
	assert_no_verdict(f, intel_mac);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_one_high_signal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_medium_combines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_block_needs_two, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_flapping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_h3c_clears_huawei_oui, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookalike_without_oui_cleared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence_capped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lru_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frame_path_and_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spoofed_dhcp_spares_sender, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lldp_chassis_is_other_subject, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relayed_dhcp_names_client, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routed_inform_is_about_ip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routed_cloud_query_is_about_ip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_key_per_engine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chosen_macs_do_not_chain, setup, teardown),
		cmocka_unit_test(test_mac_text_as_parse_mac),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

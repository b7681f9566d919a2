// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/fp/dns.c: device-cloud DNS queries, mDNS/DNS-SD announcements, probes and known-answer queries, name compression (loops, forward pointers, depth, length), every truncation, and the shipped rules on what the parser extracts (device-cloud names at medium, vendor web sites and app API names not at all). */
#include "fp_unit.h"
#include "policy.h"
#include "rules.h"
#include "shipped_rules.h"

/* Appends a name as labels, "" = root; no compression. */
static void fb_name(struct fbuf *b, const char *dotted)
{
	const char *s = dotted;

	while (*s) {
		const char *dot = strchr(s, '.');
		size_t l = dot ? (size_t)(dot - s) : strlen(s);

		fb_u8(b, (uint8_t)l);
		fb_put(b, s, l);
		s += l + (dot != NULL);
	}
	fb_u8(b, 0);
}

static void fb_hdr(struct fbuf *b, uint16_t id, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns,
		   uint16_t ar)
{
	fb_u16(b, id);
	fb_u16(b, flags);
	fb_u16(b, qd);
	fb_u16(b, an);
	fb_u16(b, ns);
	fb_u16(b, ar);
}

/* A stub resolver's query as a camera sends it (RD set, one question,
 * an EDNS OPT record in the additional section); mixed case as 0x20
 * randomisation leaves it. */
static void build_query(struct fbuf *b, const char *name)
{
	fb_hdr(b, 0x3a7c, 0x0100, 1, 0, 0, 1);
	fb_name(b, name);
	fb_u16(b, 1);        /* A */
	fb_u16(b, 1);        /* IN */
	fb_u8(b, 0);         /* OPT: root owner */
	fb_u16(b, 41);
	fb_u16(b, 1232);
	fb_u32le(b, 0);
	fb_u16(b, 0);
}

/* An mDNS announcement in the shape of Avahi's / mDNSResponder's: PTR
 * service -> instance, SRV instance -> host, TXT, A host; later names
 * compressed against earlier ones. */
static void build_announce(struct fbuf *b)
{
	size_t svc, inst, host;

	fb_hdr(b, 0, 0x8400, 0, 4, 0, 0);
	svc = b->n;                                  /* _http._tcp.local */
	fb_name(b, "_http._tcp.local");
	fb_u16(b, 12); fb_u16(b, 1); fb_u16(b, 0); fb_u16(b, 4500);
	fb_u16(b, 2 + 15);                           /* rdlength */
	inst = b->n;
	fb_u8(b, 14); fb_str(b, "DS-2CD2143G0-I");
	fb_u8(b, 0xC0); fb_u8(b, (uint8_t)svc);      /* -> _http._tcp.local */
	/* SRV, owner = instance (pointer) */
	fb_u8(b, 0xC0); fb_u8(b, (uint8_t)inst);
	fb_u16(b, 33); fb_u16(b, 0x8001); fb_u16(b, 0); fb_u16(b, 120);
	fb_u16(b, 6 + 1 + 14 + 2);
	fb_u16(b, 0); fb_u16(b, 0); fb_u16(b, 80);
	host = b->n;
	fb_u8(b, 14); fb_str(b, "DS-2CD2143G0-I");
	fb_u8(b, 0xC0); fb_u8(b, (uint8_t)(svc + 11));  /* -> local */
	/* TXT */
	fb_u8(b, 0xC0); fb_u8(b, (uint8_t)inst);
	fb_u16(b, 16); fb_u16(b, 0x8001); fb_u16(b, 0); fb_u16(b, 4500);
	fb_u16(b, 1 + 20 + 1 + 7);
	fb_u8(b, 20); fb_str(b, "model=DS-2CD2143G0-I");
	fb_u8(b, 7); fb_str(b, "path=/");
	fb_u8(b, 0);   /* an empty string, as RFC 6763 allows */
	/* A, owner = host (pointer) */
	fb_u8(b, 0xC0); fb_u8(b, (uint8_t)host);
	fb_u16(b, 1); fb_u16(b, 0x8001); fb_u16(b, 0); fb_u16(b, 120);
	fb_u16(b, 4);
	fb_u8(b, 192); fb_u8(b, 168); fb_u8(b, 1); fb_u8(b, 64);
}

static void test_cloud_query(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	(void)state;
	build_query(&b, "LiTeDeV.hIK-coNNect.COM");
	fp_seed("dns", "hik-connect-query", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dns, b.p, b.n, &r), 0);
	assert_int_equal(r.signal, VW_SIG_DNS);
	assert_field(&r, "query-name", "litedev.hik-connect.com");
	assert_int_equal(count_field(&r, "query-name"), 1);
	assert_true(fp_all_prefixes(vw_fp_parse_dns, b.p, b.n) >= 1);
	fb_free(&b);
}

/* An answer names other hosts; an update is not a lookup; a header alone
 * is nothing; a response on 53 is not the querier's evidence. */
static void test_not_queries(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	(void)state;
	build_query(&b, "www.easy4ipcloud.com");
	b.p[2] |= 0x80;   /* QR: response */
	assert_int_equal(fp_parse(vw_fp_parse_dns, b.p, b.n, &r), -ENOMSG);
	b.p[2] = 0x28;    /* opcode 5: UPDATE */
	assert_int_equal(fp_parse(vw_fp_parse_dns, b.p, b.n, &r), -ENOMSG);
	assert_int_equal(fp_parse(vw_fp_parse_mdns, b.p, b.n, &r), -ENOMSG);
	assert_int_equal(fp_parse(vw_fp_parse_dns, b.p, 11, &r), -ENOMSG);
	fb_free(&b);
}

static void test_mdns_announce(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;
	size_t ok;

	(void)state;
	build_announce(&b);
	fp_seed("dns", "mdns-hikvision-announce", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_mdns, b.p, b.n, &r), 0);
	assert_int_equal(r.signal, VW_SIG_MDNS);
	assert_field(&r, "service", "_http._tcp.local");
	assert_field(&r, "instance", "ds-2cd2143g0-i._http._tcp.local");
	assert_field(&r, "host-name", "ds-2cd2143g0-i.local");
	assert_field(&r, "txt", "model=DS-2CD2143G0-I");
	/* The host name is in SRV and A: once. Empty TXT strings skipped. */
	assert_int_equal(count_field(&r, "host-name"), 1);
	assert_int_equal(count_field(&r, "instance"), 1);
	assert_int_equal(count_field(&r, "txt"), 2);
	/* Every truncation is -ENOMSG or -EBADMSG, never a crash, and no
	 * prefix but the whole is clean. */
	ok = fp_all_prefixes(vw_fp_parse_mdns, b.p, b.n);
	assert_int_equal(ok, 1);
	/* The same bytes are no DNS query (QR set). */
	assert_int_equal(fp_parse(vw_fp_parse_dns, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
}

/* A query's known answers are about other hosts: nothing. A probe's
 * authority records are the sender's own claim. */
static void test_mdns_query_and_probe(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	(void)state;
	fb_hdr(&b, 0, 0, 1, 1, 0, 0);
	fb_name(&b, "_http._tcp.local");
	fb_u16(&b, 12); fb_u16(&b, 1);
	fb_u8(&b, 0xC0); fb_u8(&b, 12);
	fb_u16(&b, 12); fb_u16(&b, 1); fb_u16(&b, 0); fb_u16(&b, 4500);
	fb_u16(&b, 2 + 12);
	fb_u8(&b, 11); fb_str(&b, "DH-IPC-HFW1"); fb_u8(&b, 0xC0); fb_u8(&b, 12);
	fp_seed("dns", "mdns-known-answer-query", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_mdns, b.p, b.n, &r), -ENOMSG);
	assert_int_equal(r.n, 0);
	fb_free(&b);

	fb_hdr(&b, 0, 0, 1, 0, 1, 0);
	fb_name(&b, "HUAWEI_P30-9e8b07efe8.local");
	fb_u16(&b, 255); fb_u16(&b, 0x8001);
	fb_u8(&b, 0xC0); fb_u8(&b, 12);
	fb_u16(&b, 1); fb_u16(&b, 1); fb_u16(&b, 0); fb_u16(&b, 120);
	fb_u16(&b, 4);
	fb_u8(&b, 10); fb_u8(&b, 0); fb_u8(&b, 0); fb_u8(&b, 7);
	fp_seed("dns", "mdns-probe", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_mdns, b.p, b.n, &r), 0);
	assert_field(&r, "host-name", "huawei_p30-9e8b07efe8.local");
	assert_int_equal(fp_all_prefixes(vw_fp_parse_mdns, b.p, b.n), 1);
	fb_free(&b);
}

/* Compression that would loop or run away: a pointer to itself, forward,
 * a chain longer than the jump limit, and a name over 255 bytes. */
static void test_compression_limits(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	(void)state;
	fb_hdr(&b, 1, 0x0100, 1, 0, 0, 0);
	fb_u8(&b, 0xC0); fb_u8(&b, 12);   /* points at itself */
	fb_u16(&b, 1); fb_u16(&b, 1);
	fp_seed("dns", "self-pointer", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dns, b.p, b.n, &r), -EBADMSG);
	b.p[13] = 14;                     /* forward, at the type field */
	assert_int_equal(fp_parse(vw_fp_parse_dns, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);

	/* A record whose rdata is a run of 20 pointers, each to the one
	 * before (the first to "x.local"); the next record's owner points at
	 * the last one: 21 jumps, over the limit. 10 deep decodes. */
	for (int depth = 20; depth >= 10; depth -= 10) {
		size_t base;

		fb_hdr(&b, 0, 0x8400, 0, 2, 0, 0);
		fb_name(&b, "x.local");                      /* offset 12 */
		fb_u16(&b, 99); fb_u16(&b, 1); fb_u16(&b, 0); fb_u16(&b, 1);
		fb_u16(&b, 40);
		base = b.n;
		fb_u8(&b, 0xC0); fb_u8(&b, 12);
		for (int i = 1; i < 20; i++) {
			fb_u8(&b, 0xC0);
			fb_u8(&b, (uint8_t)(base + 2 * (i - 1)));
		}
		fb_u8(&b, 0xC0); fb_u8(&b, (uint8_t)(base + 2 * (depth - 1)));
		fb_u16(&b, 1); fb_u16(&b, 1); fb_u16(&b, 0); fb_u16(&b, 120);
		fb_u16(&b, 4);
		fb_u32le(&b, 0x0701000a);
		if (depth == 20) {
			fp_seed("dns", "mdns-pointer-chain", b.p, b.n);
			assert_int_equal(fp_parse(vw_fp_parse_mdns, b.p, b.n, &r), -EBADMSG);
		} else {
			assert_int_equal(fp_parse(vw_fp_parse_mdns, b.p, b.n, &r), 0);
			assert_field(&r, "host-name", "x.local");
		}
		fb_free(&b);
	}

	/* A name of 5 x 63-byte labels: over 255 bytes. */
	fb_hdr(&b, 1, 0x0100, 1, 0, 0, 0);
	for (int i = 0; i < 5; i++) {
		fb_u8(&b, 63);
		for (int k = 0; k < 63; k++)
			fb_u8(&b, 'a');
	}
	fb_u8(&b, 0);
	fb_u16(&b, 1); fb_u16(&b, 1);
	fp_seed("dns", "long-name", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_dns, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
}

/* ---- the shipped rules on what the parser extracts ---- */

/* The strongest restricted match of a parsed frame: "vendor/level", or "". */
static void best_match(const struct vw_fp_rules *rs, const struct vw_fp_result *r, char *out, size_t cap)
{
	static const char *const lv[] = { "low", "medium", "high" };
	struct vw_fp_match m[32];
	size_t n = vw_fp_rules_match(rs, r, m, 32);
	const struct vw_fp_rule *best = NULL;

	for (size_t i = 0; i < n; i++)
		if (!rs->idents[m[i].rule->ident].is_class && (!best || m[i].rule->level > best->level))
			best = m[i].rule;
	snprintf(out, cap, "%s%s%s", best ? rs->idents[best->ident].id : "", best ? "/" : "",
		 best ? lv[best->level - VW_FP_LOW] : "");
}

static void test_rules_on_queries(void **state)
{
	static const struct { const char *name, *want; } cases[] = {
		/* device endpoints: medium, never high */
		{ "litedev.hik-connect.com", "hikvision/medium" },
		{ "dev.hik-connect.com", "hikvision/medium" },
		{ "vtmvirginia.ezvizlife.com", "hikvision/low" },
		{ "www.easy4ipcloud.com", "dahua/medium" },
		{ "iotaccess.easy4ipcloud.com", "dahua/medium" },
		{ "www.dahuap2pcloud.com", "dahua/medium" },
		{ "register.naas.huawei.com", "huawei/medium" },
		/* a browser on the vendor's site, the app's API: nothing */
		{ "www.hikvision.com", "" },
		{ "www.hik-connect.com", "" },
		{ "api.hik-connect.com", "" },
		{ "apiieu.hik-connect.com", "" },
		{ "ieu.hik-connect.com", "" },
		{ "www.ezvizlife.com", "" },
		{ "www.dahuasecurity.com", "" },
		{ "www.imoulife.com", "" },
		{ "consumer.huawei.com", "" },
		{ "dev.hik-connect.com.example.org", "" },
		{ "notdev.hik-connect.com", "" },
		{ "easy4ipcloud.com.evil.example", "" },
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fbuf b = { 0 };
		struct vw_fp_result r;
		char got[64];

		build_query(&b, cases[i].name);
		assert_int_equal(fp_parse(vw_fp_parse_dns, b.p, b.n, &r), 0);
		best_match(f->rs, &r, got, sizeof(got));
		if (strcmp(got, cases[i].want))
			fail_msg("%s: got '%s', want '%s'", cases[i].name, got, cases[i].want);
		fb_free(&b);
	}
}

static void test_rules_on_mdns(void **state)
{
	static const struct { const char *field, *val, *want; } cases[] = {
		{ "host-name", "ds-2cd2143g0-i.local", "hikvision/medium" },
		{ "host-name", "hwi-b121h-m.local", "hikvision/medium" },   /* HiWatch */
		{ "host-name", "dh-ipc-hfw2431s.local", "dahua/medium" },
		{ "host-name", "ipc-hdw1230t1.local", "dahua/medium" },
		{ "host-name", "huawei_p30-9e8b07efe8.local", "huawei/low" },
		{ "instance", "hikvision ds-2cd2143g0-i._http._tcp.local", "hikvision/low" },
		{ "txt", "model=DS-2CD2143G0-I", "hikvision/low" },
		{ "txt", "model=IPC-HFW2431S", "dahua/low" },
		/* look-alikes and ordinary hosts */
		{ "host-name", "honor_70-9e8b07efe8.local", "" },
		{ "host-name", "macbook-pro.local", "" },
		{ "host-name", "dsl-router.local", "" },
		{ "host-name", "ipc-server.local", "" },
		{ "txt", "model=MacBookPro18,3", "" },
		{ "txt", "ty=HP LaserJet 400 M401dne", "" },
		{ "instance", "ds-store._smb._tcp.local", "" },
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vw_fp_result r;
		char got[64];

		vw_fp_reset(&r, VW_SIG_MDNS);
		assert_int_equal(vw_fp_add_copy(&r, cases[i].field, cases[i].val, strlen(cases[i].val)), 0);
		best_match(f->rs, &r, got, sizeof(got));
		if (strcmp(got, cases[i].want))
			fail_msg("%s=%s: got '%s', want '%s'", cases[i].field, cases[i].val, got, cases[i].want);
	}
}

/* The whole announcement, parsed and matched: one medium fact (host)
 * plus low ones (instance, TXT) from one frame, below the 0.9 threshold
 * alone (1 - 0.3 * 0.7 * 0.7 = 0.853). */
static void test_rules_on_announce(void **state)
{
	struct fx *f = *state;
	struct fbuf b = { 0 };
	struct vw_fp_result r;
	struct vw_fp_match m[32];
	size_t n, medium = 0, low = 0;

	build_announce(&b);
	assert_int_equal(fp_parse(vw_fp_parse_mdns, b.p, b.n, &r), 0);
	n = vw_fp_rules_match(f->rs, &r, m, 32);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(f->rs->idents[m[i].rule->ident].id, "hikvision");
		assert_true(m[i].rule->level != VW_FP_HIGH);
		medium += m[i].rule->level == VW_FP_MEDIUM;
		low += m[i].rule->level == VW_FP_LOW;
	}
	assert_int_equal(medium, 1);
	assert_int_equal(low, 2);
	fb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cloud_query),
		cmocka_unit_test(test_not_queries),
		cmocka_unit_test(test_mdns_announce),
		cmocka_unit_test(test_mdns_query_and_probe),
		cmocka_unit_test(test_compression_limits),
		cmocka_unit_test_setup_teardown(test_rules_on_queries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_on_mdns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_on_announce, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/fp/huawei_l2.c: LBDT, HGMP and both LAD encapsulations, cut and impostor frames. */
#include "fp_unit.h"

/* The parser takes the EtherType too; the harness wants (p, len, r). */
static int lbdt(const uint8_t *p, size_t n, struct vw_fp_result *r) { return vw_fp_parse_huawei_l2(0x9998, p, n, r); }
static int hgmp(const uint8_t *p, size_t n, struct vw_fp_result *r) { return vw_fp_parse_huawei_l2(0x88A7, p, n, r); }
static int lad0(const uint8_t *p, size_t n, struct vw_fp_result *r) { return vw_fp_parse_huawei_l2(0x0000, p, n, r); }
static int lad_arp(const uint8_t *p, size_t n, struct vw_fp_result *r) { return vw_fp_parse_huawei_l2(0x0806, p, n, r); }

/* The fuzz target reads a selector byte (index into LBDT, HGMP, LAD,
 * LAD-in-ARP) before the payload; seeds carry it too. */
static void seed(const char *name, uint8_t sel, const struct fbuf *b)
{
	struct fbuf s = { 0 };

	fb_u8(&s, sel);
	fb_put(&s, b->p, b->n);
	fp_seed("huawei_l2", name, s.p, s.n);
	fb_free(&s);
}

static void build_lbdt(struct fbuf *b)
{
	/* sub-protocol 0x0001, then port info and the tagged flag 0x0004
	 * (layout past the sub-protocol is not public; filler here) */
	fb_u16(b, 0x0001);
	fb_u16(b, 0x0004);
	fb_u32le(b, 0x00000007);
	fb_zero(b, 38);
}

static void build_lad(struct fbuf *b, bool arp)
{
	if (arp) {
		fb_u16(b, 0xFFFF);
		fb_u16(b, 0xFFFF);
		fb_u8(b, 0);
		fb_u8(b, 0);
	}
	fb_cstr(b, "Huawei Link Search", 20);
	fb_str(b, "NE8000-F1A\0GigabitEthernet0/1/0");
	fb_zero(b, 8);
}

static void test_lbdt(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_lbdt(&b);
	seed("lbdt", 0, &b);
	assert_int_equal(fp_parse(lbdt, b.p, b.n, &r), 0);
	assert_int_equal(r.signal, VW_SIG_HUAWEI_L2);
	assert_field(&r, "protocol", "lbdt");
	fp_all_prefixes(lbdt, b.p, b.n);
	assert_int_equal(fp_parse(lbdt, b.p, 1, &r), -EBADMSG);
	/* Some other sub-protocol on 0x9998 is not what we catalogued. */
	b.p[1] = 0x02;
	assert_int_equal(fp_parse(lbdt, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
}

static void test_hgmp(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	fb_u8(&b, 0x01);  /* NDP hello-ish filler: the payload is not public */
	fb_zero(&b, 45);
	seed("hgmp", 1, &b);
	assert_int_equal(fp_parse(hgmp, b.p, b.n, &r), 0);
	assert_field(&r, "protocol", "hgmp");
	fp_all_prefixes(hgmp, b.p, b.n);
	fb_free(&b);
}

static void test_lad(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_lad(&b, false);
	seed("lad", 2, &b);
	assert_int_equal(fp_parse(lad0, b.p, b.n, &r), 0);
	assert_field(&r, "protocol", "lad");
	assert_field(&r, "flag", "Huawei Link Search");
	fp_all_prefixes(lad0, b.p, b.n);
	/* Cut inside the flag: still recognisably LAD, so damage */
	assert_int_equal(fp_parse(lad0, b.p, 10, &r), -EBADMSG);
	/* Flag exactly 18 bytes, no padding: fine */
	assert_int_equal(fp_parse(lad0, b.p, 18, &r), 0);
	assert_field(&r, "flag", "Huawei Link Search");
	fb_free(&b);

	build_lad(&b, true);
	seed("lad-arp", 3, &b);
	assert_int_equal(fp_parse(lad_arp, b.p, b.n, &r), 0);
	assert_field(&r, "flag", "Huawei Link Search");
	fp_all_prefixes(lad_arp, b.p, b.n);
	fb_free(&b);
}

static void test_impostors(void **state)
{
	/* a real ARP request */
	static const uint8_t arp[28] = { 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01 };
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	assert_int_equal(fp_parse(lad_arp, arp, sizeof(arp), &r), -ENOMSG);
	/* LAD-shaped ARP header without the flag: damage */
	fb_put(&b, "\xFF\xFF\xFF\xFF\x00\x00", 6);
	fb_str(&b, "Huawei Link Seerch!!");
	assert_int_equal(fp_parse(lad_arp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
	/* Type 0 with something else */
	fb_str(&b, "HUAWEI LINK SEARCH  ");
	assert_int_equal(fp_parse(lad0, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
	/* Flag with invalid UTF-8 in the padding: cut at the first NUL
	 * only, bytes otherwise kept as they are */
	fb_str(&b, "Huawei Link Search\xFF\xFE");
	assert_int_equal(fp_parse(lad0, b.p, b.n, &r), 0);
	assert_int_equal(vw_fp_get(&r, "flag")->len, 20);
	fb_free(&b);
	/* Any other EtherType */
	assert_int_equal(vw_fp_parse_huawei_l2(0x0800, arp, sizeof(arp), &r), -ENOMSG);
	assert_int_equal(vw_fp_parse_huawei_l2(0x9998, NULL, 0, &r), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lbdt),
		cmocka_unit_test(test_hgmp),
		cmocka_unit_test(test_lad),
		cmocka_unit_test(test_impostors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

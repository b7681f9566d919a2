// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/fp/snmp.c: v2c responses, v1/v2 traps, v3 engine IDs (plain and encrypted), requests, and hostile BER (lengths, nesting, OID arcs). */
#include "fp_unit.h"

static const char vrp_descr[] =
	"Huawei Versatile Routing Platform Software\r\n"
	"VRP (R) software, Version 5.170 (S5720 V200R011C10SPC500)\r\n"
	"Copyright (C) 2000-2018 HUAWEI TECH Co., Ltd";

/* ---- a tiny BER writer ---- */

static void tlv(struct fbuf *b, uint8_t tag, const void *v, size_t n)
{
	fb_u8(b, tag);
	if (n < 0x80) {
		fb_u8(b, (uint8_t)n);
	} else if (n < 0x100) {
		fb_u8(b, 0x81);
		fb_u8(b, (uint8_t)n);
	} else if (n < 0x10000) {
		fb_u8(b, 0x82);
		fb_u16(b, (uint16_t)n);
	} else {
		fb_u8(b, 0x83);
		fb_u8(b, (uint8_t)(n >> 16));
		fb_u16(b, (uint16_t)n);
	}
	fb_put(b, v, n);
}

/* Wraps (and frees) inner as the content of tag. */
static void wrap(struct fbuf *b, uint8_t tag, struct fbuf *inner)
{
	tlv(b, tag, inner->p, inner->n);
	fb_free(inner);
}

static void integer(struct fbuf *b, long v)
{
	uint8_t buf[8];
	int n = 0;

	/* minimal two's complement, big-endian */
	do {
		buf[7 - n++] = (uint8_t)(v & 0xFF);
		v >>= 8;
	} while (!((v == 0 && !(buf[8 - n] & 0x80)) || (v == -1 && (buf[8 - n] & 0x80))));
	tlv(b, 0x02, buf + 8 - n, (size_t)n);
}

static void octets(struct fbuf *b, const char *s)
{
	tlv(b, 0x04, s, strlen(s));
}

static void put_arc(struct fbuf *b, uint64_t v)
{
	uint8_t buf[10];
	int n = 0;

	do {
		buf[9 - n] = (uint8_t)((v & 0x7F) | (n ? 0x80 : 0));
		n++;
		v >>= 7;
	} while (v);
	fb_put(b, buf + 10 - n, (size_t)n);
}

static void oid_content(struct fbuf *b, const char *dotted)
{
	unsigned long long a[200] = { 0 };
	int n = 0;
	char *end;

	for (const char *s = dotted; *s; s = *end ? end + 1 : end)
		a[n++] = strtoull(s, &end, 10);
	put_arc(b, a[0] * 40 + a[1]);
	for (int i = 2; i < n; i++)
		put_arc(b, a[i]);
}

static void oid(struct fbuf *b, const char *dotted)
{
	struct fbuf c = { 0 };

	oid_content(&c, dotted);
	wrap(b, 0x06, &c);
}

static void varbind_raw(struct fbuf *b, const char *name, uint8_t tag, const void *v, size_t n)
{
	struct fbuf vb = { 0 };

	oid(&vb, name);
	tlv(&vb, tag, v, n);
	wrap(b, 0x30, &vb);
}

static void varbind_oid(struct fbuf *b, const char *name, const char *value)
{
	struct fbuf vb = { 0 };

	oid(&vb, name);
	oid(&vb, value);
	wrap(b, 0x30, &vb);
}

static void varbind_str(struct fbuf *b, const char *name, const char *s)
{
	varbind_raw(b, name, 0x04, s, strlen(s));
}

/* request-id, error-status 0, error-index 0, then varbinds. */
static void pdu(struct fbuf *b, uint8_t tag, struct fbuf *vbl)
{
	struct fbuf p = { 0 };

	integer(&p, 0x1234);
	integer(&p, 0);
	integer(&p, 0);
	wrap(&p, 0x30, vbl);
	wrap(b, tag, &p);
}

static void v2c(struct fbuf *b, long version, uint8_t tag, struct fbuf *vbl)
{
	struct fbuf m = { 0 };

	integer(&m, version);
	octets(&m, "public");
	pdu(&m, tag, vbl);
	wrap(b, 0x30, &m);
}

/* msgData is either a plaintext ScopedPDU (pdu_tag != 0) or encrypted. */
static void v3(struct fbuf *b, uint8_t flags, const uint8_t *eid, size_t eid_len,
	       uint8_t pdu_tag, struct fbuf *vbl)
{
	struct fbuf m = { 0 }, g = { 0 }, usm = { 0 }, sp = { 0 }, s = { 0 };

	integer(&m, 3);
	integer(&g, 0x4242);
	integer(&g, 65507);
	tlv(&g, 0x04, &flags, 1);
	integer(&g, 3);
	wrap(&m, 0x30, &g);
	tlv(&usm, 0x04, eid, eid_len);
	integer(&usm, 7);       /* boots */
	integer(&usm, 123456);  /* time */
	octets(&usm, flags & 1 ? "admin" : "");
	octets(&usm, flags & 1 ? "0123456789ab" : "");
	octets(&usm, flags & 2 ? "saltsalt" : "");
	wrap(&sp, 0x30, &usm);
	wrap(&m, 0x04, &sp);
	if (pdu_tag) {
		tlv(&s, 0x04, eid, eid_len);
		octets(&s, "");
		pdu(&s, pdu_tag, vbl);
		wrap(&m, 0x30, &s);
	} else {
		tlv(&m, 0x04, "\x9a\x1f\x33\x07\xc2\x5e\x81\x00\x4d\xee\x10\x2a", 12);
		fb_free(vbl);
	}
	wrap(b, 0x30, &m);
}

static const uint8_t eid_hik[] = { 0x80, 0x00, 0x98, 0xFD, 0x03, 0xC0, 0x56, 0xE3, 0x11, 0x22, 0x33 };
static const uint8_t eid_huawei[] = { 0x80, 0x00, 0x07, 0xDB, 0x03, 0x00, 0xE0, 0xFC, 0x12, 0x34, 0x56 };

/* ---- catalogued messages ---- */

static void build_vrp_response(struct fbuf *b)
{
	struct fbuf vbl = { 0 };

	varbind_str(&vbl, "1.3.6.1.2.1.1.1.0", vrp_descr);
	varbind_oid(&vbl, "1.3.6.1.2.1.1.2.0", "1.3.6.1.4.1.2011.2.23.96");
	v2c(b, 1, 0xA2, &vbl);
}

static void build_zte_trap_v1(struct fbuf *b)
{
	struct fbuf m = { 0 }, p = { 0 }, vbl = { 0 };

	integer(&m, 0);
	octets(&m, "public");
	oid(&p, "1.3.6.1.4.1.3902.1082.1001.300");
	tlv(&p, 0x40, "\x0a\x00\x00\x05", 4);
	integer(&p, 6);
	integer(&p, 1);
	tlv(&p, 0x43, "\x01\x02\x03", 3);
	varbind_raw(&vbl, "1.3.6.1.4.1.3902.1082.500.10.2.2.1", 0x02, "\x05", 1);
	wrap(&p, 0x30, &vbl);
	wrap(&m, 0xA4, &p);
	wrap(b, 0x30, &m);
}

static void build_huawei_trap_v2(struct fbuf *b)
{
	struct fbuf vbl = { 0 };

	varbind_raw(&vbl, "1.3.6.1.2.1.1.3.0", 0x43, "\x00\xbc\x61\x4e", 4);
	varbind_oid(&vbl, "1.3.6.1.6.3.1.1.4.1.0", "1.3.6.1.4.1.2011.5.25.134.2.1");
	v2c(b, 1, 0xA7, &vbl);
}

/* Answer to a v3 discovery: a Report carrying the agent's engine ID. */
static void build_hik_v3_report(struct fbuf *b)
{
	struct fbuf vbl = { 0 };

	varbind_raw(&vbl, "1.3.6.1.6.3.15.1.1.4.0", 0x41, "\x01", 1);
	v3(b, 0x00, eid_hik, sizeof(eid_hik), 0xA8, &vbl);
}

static void build_huawei_v3_encrypted(struct fbuf *b)
{
	struct fbuf vbl = { 0 };

	v3(b, 0x03, eid_huawei, sizeof(eid_huawei), 0, &vbl);
}

/* LibreNMS: Hikvision cameras answer with an empty sysObjectID but
 * implement 1.3.6.1.4.1.39165.1.1.0 (model). */
static void build_hik_camera_response(struct fbuf *b)
{
	struct fbuf vbl = { 0 };

	varbind_raw(&vbl, "1.3.6.1.2.1.1.2.0", 0x05, NULL, 0);   /* NULL */
	varbind_str(&vbl, "1.3.6.1.4.1.39165.1.1.0", "DS-2CD2143G0-I");
	varbind_raw(&vbl, "1.3.6.1.4.1.2011.2.1.0", 0x80, NULL, 0); /* noSuchObject */
	v2c(b, 1, 0xA2, &vbl);
}

static uint64_t num(const struct vw_fp_result *r, const char *name)
{
	const struct vw_fp_field *f = vw_fp_get(r, name);

	assert_non_null(f);
	assert_int_equal(f->kind, VW_FP_NUM);
	return f->num;
}

static void test_vrp_response(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_vrp_response(&b);
	fp_seed("snmp", "vrp-get-response", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_int_equal(r.signal, VW_SIG_SNMP);
	assert_int_equal(num(&r, "version"), 1);
	assert_int_equal(num(&r, "pdu-type"), 2);
	assert_field(&r, "sys-descr", vrp_descr);
	assert_field(&r, "sys-object-id", "1.3.6.1.4.1.2011.2.23.96");
	assert_int_equal(num(&r, "enterprise"), 2011);
	assert_int_equal(count_field(&r, "enterprise"), 1);
	fb_free(&b);
}

static void test_zte_trap_v1(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_zte_trap_v1(&b);
	fp_seed("snmp", "zte-trap-v1", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_int_equal(num(&r, "version"), 0);
	assert_int_equal(num(&r, "pdu-type"), 4);
	assert_field(&r, "trap-enterprise", "1.3.6.1.4.1.3902.1082.1001.300");
	assert_int_equal(num(&r, "enterprise"), 3902);
	assert_int_equal(count_field(&r, "enterprise"), 1);
	fb_free(&b);
}

static void test_huawei_trap_v2(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_huawei_trap_v2(&b);
	fp_seed("snmp", "huawei-trap-v2", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_int_equal(num(&r, "pdu-type"), 7);
	assert_field(&r, "snmp-trap-oid", "1.3.6.1.4.1.2011.5.25.134.2.1");
	assert_int_equal(num(&r, "enterprise"), 2011);
	fb_free(&b);
}

static void test_hik_v3_report(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_hik_v3_report(&b);
	fp_seed("snmp", "hik-v3-report", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_int_equal(num(&r, "version"), 3);
	assert_int_equal(num(&r, "pdu-type"), 8);
	assert_int_equal(num(&r, "engine-id-enterprise"), 39165);
	fb_free(&b);
}

static void test_v3_encrypted(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_huawei_v3_encrypted(&b);
	fp_seed("snmp", "huawei-v3-encrypted", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_int_equal(num(&r, "engine-id-enterprise"), 2011);
	assert_no_field(&r, "pdu-type");
	fb_free(&b);
}

/* Requests name the receiver's engine and the objects asked about. */
static void test_requests(void **state)
{
	struct fbuf b = { 0 }, vbl = { 0 };
	struct vw_fp_result r;

	varbind_raw(&vbl, "1.3.6.1.2.1.1.2.0", 0x05, NULL, 0);
	v2c(&b, 1, 0xA0, &vbl);
	fp_seed("snmp", "get-request", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
	/* encrypted v3 request: reportable flag set, engine ID not the sender's */
	v3(&b, 0x07, eid_huawei, sizeof(eid_huawei), 0, &vbl);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0 - ENOMSG);
	assert_no_field(&r, "engine-id-enterprise");
	fb_free(&b);
	/* plaintext v3 discovery GetRequest with an empty engine ID */
	v3(&b, 0x04, NULL, 0, 0xA0, &vbl);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
	/* a response about nothing vendor-specific */
	varbind_raw(&vbl, "1.3.6.1.2.1.1.3.0", 0x43, "\x01", 1);
	v2c(&b, 1, 0xA2, &vbl);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
}

static void test_enterprise_from_names(void **state)
{
	struct fbuf b = { 0 }, vbl = { 0 };
	struct vw_fp_result r;

	build_hik_camera_response(&b);
	fp_seed("snmp", "hik-camera-response", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_int_equal(num(&r, "enterprise"), 39165);
	/* the noSuchObject varbind under 2011 is not evidence */
	assert_int_equal(count_field(&r, "enterprise"), 1);
	assert_no_field(&r, "sys-object-id");
	fb_free(&b);

	/* Dahua's unregistered 1004849 (a three-byte arc) */
	varbind_oid(&vbl, "1.3.6.1.2.1.1.2.0", "1.3.6.1.4.1.1004849.3.2.1");
	v2c(&b, 1, 0xA2, &vbl);
	fp_seed("snmp", "dahua-nvr-response", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_field(&r, "sys-object-id", "1.3.6.1.4.1.1004849.3.2.1");
	assert_int_equal(num(&r, "enterprise"), 1004849);
	fb_free(&b);
}

static void test_engine_id_forms(void **state)
{
	static const uint8_t old12[12] = { 0x00, 0x00, 0x0F, 0x3E, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t short3[3] = { 0x80, 0x00, 0x07 };
	static const uint8_t dahua[] = { 0x80, 0x0F, 0x55, 0x31, 0x05, 'd', 'h' };
	struct fbuf b = { 0 }, vbl = { 0 };
	struct vw_fp_result r;

	/* SNMPv1-era 12-octet form: the PEN without the high bit */
	v3(&b, 0x01, old12, sizeof(old12), 0, &vbl);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_int_equal(num(&r, "engine-id-enterprise"), 3902);
	fb_free(&b);
	v3(&b, 0x01, short3, sizeof(short3), 0, &vbl);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
	v3(&b, 0x01, dahua, sizeof(dahua), 0, &vbl);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_int_equal(num(&r, "engine-id-enterprise"), 1004849);
	fb_free(&b);
}

static void test_truncated_every_length(void **state)
{
	void (*builders[])(struct fbuf *) = {
		build_vrp_response, build_zte_trap_v1, build_huawei_trap_v2,
		build_hik_v3_report, build_huawei_v3_encrypted, build_hik_camera_response,
	};

	for (size_t i = 0; i < sizeof(builders) / sizeof(builders[0]); i++) {
		struct fbuf b = { 0 };

		builders[i](&b);
		fp_all_prefixes(vw_fp_parse_snmp, b.p, b.n);
		fb_free(&b);
	}
}

static void test_truncated_keeps_prefix(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	build_vrp_response(&b);
	/* Cut inside the second varbind: the sysDescr before it is kept. */
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n - 5, &r), -EBADMSG);
	assert_field(&r, "sys-descr", vrp_descr);
	assert_no_field(&r, "sys-object-id");
	fb_free(&b);
}

static void test_length_forms(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result r;
	/* 0x84 FF FF FF FF on the message */
	fb_put(&b, "\x30\x84\xff\xff\xff\xff\x02\x01\x01\x04\x06public", 17);
	fp_seed("snmp", "len-84-ffffffff", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
	/* indefinite length */
	fb_put(&b, "\x30\x80\x02\x01\x01\x04\x06public\x00\x00", 15);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
	/* five length octets */
	fb_put(&b, "\x30\x85\x00\x00\x00\x00\x08\x02\x01\x01", 10);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
	/* a leaf (the sysDescr value) claiming 0x84 FF FF FF FF inside
	 * well-framed containers: leaves are never clamped, so no sys-descr */
	{
		struct fbuf vb = { 0 }, vbl = { 0 };

		oid(&vb, "1.3.6.1.2.1.1.1.0");
		fb_put(&vb, "\x04\x84\xff\xff\xff\xff" "Huawei", 12);
		wrap(&vbl, 0x30, &vb);
		v2c(&b, 1, 0xA2, &vbl);
		fp_seed("snmp", "leaf-len-84", b.p, b.n);
		assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), -EBADMSG);
		assert_no_field(&r, "sys-descr");
		fb_free(&b);
	}
	/* the version is not an INTEGER: not SNMP */
	fb_put(&b, "\x30\x05\x04\x03" "abc", 7);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
	/* version 2 (v2u) is not a version we read */
	fb_put(&b, "\x30\x03\x02\x01\x02", 5);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), -ENOMSG);
	fb_free(&b);
	/* high-tag-number form */
	fb_put(&b, "\x30\x05\x02\x01\x01\x1f\x00", 7);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
}

/* 10 000 nested SEQUENCEs in each position the schema could descend. */
static void test_deep_nesting(void **state)
{
	struct fbuf nest = { 0 }, b = { 0 }, vbl = { 0 }, vb = { 0 };
	struct vw_fp_result r;

	tlv(&nest, 0x05, NULL, 0);
	for (int i = 0; i < 10000; i++) {
		struct fbuf outer = { 0 };

		wrap(&outer, 0x30, &nest);
		nest = outer;
	}
	fp_seed("snmp", "deep-nest", nest.p, nest.n > 4096 ? 4096 : nest.n);
	/* as the message itself */
	assert_int_equal(fp_parse_exact(vw_fp_parse_snmp, nest.p, nest.n, &r), -ENOMSG);
	/* as the PDU */
	integer(&b, 1);
	octets(&b, "public");
	fb_put(&b, nest.p, nest.n);
	{
		struct fbuf m = { 0 };

		wrap(&m, 0x30, &b);
		assert_int_equal(fp_parse_exact(vw_fp_parse_snmp, m.p, m.n, &r), -EBADMSG);
		fb_free(&m);
	}
	/* as the varbind list and as a varbind value (skipped whole) */
	fb_put(&vbl, nest.p + 4, nest.n - 4);
	v2c(&b, 1, 0xA2, &vbl);
	assert_int_equal(fp_parse_exact(vw_fp_parse_snmp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
	oid(&vb, "1.3.6.1.4.1.2011.6.1.0");
	fb_put(&vb, nest.p, nest.n);
	wrap(&vbl, 0x30, &vb);
	varbind_str(&vbl, "1.3.6.1.2.1.1.1.0", "after the nest");
	v2c(&b, 1, 0xA2, &vbl);
	assert_int_equal(fp_parse_exact(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_int_equal(num(&r, "enterprise"), 2011);
	fb_free(&b);
	fb_free(&nest);
}

static void test_oid_arcs(void **state)
{
	static const uint8_t overflow[] = { 0x2B, 6, 1, 4, 1, 0x90, 0x80, 0x80, 0x80, 0x00 };
	static const uint8_t max32[] = { 0x2B, 6, 1, 4, 1, 0x8F, 0xFF, 0xFF, 0xFF, 0x7F };
	static const uint8_t huge[] = { 0x2B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F };
	static const uint8_t leading80[] = { 0x2B, 6, 1, 4, 1, 0x80, 0x01 };
	static const uint8_t cont_end[] = { 0x2B, 6, 1, 4, 1, 0x8F };
	static const uint8_t joint[] = { 0x88, 0x37, 0x01 };   /* 2.999.1 */
	uint8_t many[320];
	struct fbuf b = { 0 }, vbl = { 0 };
	struct vw_fp_result r;

	varbind_raw(&vbl, "1.3.6.1.2.1.1.2.0", 0x06, overflow, sizeof(overflow));
	varbind_str(&vbl, "1.3.6.1.2.1.1.1.0", "kept");
	v2c(&b, 1, 0xA2, &vbl);
	fp_seed("snmp", "oid-arc-overflow", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), -EBADMSG);
	assert_no_field(&r, "sys-object-id");
	assert_field(&r, "sys-descr", "kept");
	fb_free(&b);

	varbind_raw(&vbl, "1.3.6.1.2.1.1.2.0", 0x06, max32, sizeof(max32));
	v2c(&b, 1, 0xA2, &vbl);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_field(&r, "sys-object-id", "1.3.6.1.4.1.4294967295");
	assert_int_equal(num(&r, "enterprise"), 4294967295u);
	fb_free(&b);

	const uint8_t *bad[] = { huge, leading80, cont_end };
	size_t badn[] = { sizeof(huge), sizeof(leading80), sizeof(cont_end) };

	for (int i = 0; i < 3; i++) {
		varbind_raw(&vbl, "1.3.6.1.6.3.1.1.4.1.0", 0x06, bad[i], badn[i]);
		v2c(&b, 1, 0xA7, &vbl);
		assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), -EBADMSG);
		assert_no_field(&r, "snmp-trap-oid");
		fb_free(&b);
	}

	varbind_raw(&vbl, "1.3.6.1.6.3.1.1.4.1.0", 0x06, joint, sizeof(joint));
	v2c(&b, 1, 0xA7, &vbl);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_field(&r, "snmp-trap-oid", "2.999.1");
	fb_free(&b);

	/* 129 arcs (over the SNMP limit of 128), then exactly 128 */
	memset(many, 0x01, sizeof(many));
	many[0] = 0x2B;
	varbind_raw(&vbl, "1.3.6.1.2.1.1.2.0", 0x06, many, 128);
	v2c(&b, 1, 0xA2, &vbl);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), -EBADMSG);
	fb_free(&b);
	varbind_raw(&vbl, "1.3.6.1.2.1.1.2.0", 0x06, many, 127);
	v2c(&b, 1, 0xA2, &vbl);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_int_equal(vw_fp_get(&r, "sys-object-id")->len, 1 + 2 + 126 * 2);
	fb_free(&b);
	/* 60 arcs of 2^32-1: 663 characters, cut at the field limit */
	for (int i = 0; i < 60; i++)
		memcpy(many + 1 + 5 * i, "\x8f\xff\xff\xff\x7f", 5);
	varbind_raw(&vbl, "1.3.6.1.2.1.1.2.0", 0x06, many, 301);
	v2c(&b, 1, 0xA2, &vbl);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_true(vw_fp_get(&r, "sys-object-id")->truncated);
	fb_free(&b);
}

static void test_invalid_utf8_descr(void **state)
{
	static const uint8_t junk[] = { 'Z', 'X', 'R', '1', '0', 0xFF, 0xC0, 0x80, 0x00, 0xED, 0xA0 };
	struct fbuf b = { 0 }, vbl = { 0 };
	struct vw_fp_result r;
	const struct vw_fp_field *f;

	varbind_raw(&vbl, "1.3.6.1.2.1.1.1.0", 0x04, junk, sizeof(junk));
	v2c(&b, 1, 0xA2, &vbl);
	fp_seed("snmp", "invalid-utf8-descr", b.p, b.n);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	f = vw_fp_get(&r, "sys-descr");
	assert_int_equal(f->len, sizeof(junk));
	assert_memory_equal(f->val, junk, sizeof(junk));
	fb_free(&b);
}

static void test_huge(void **state)
{
	struct fbuf b = { 0 }, vbl = { 0 };
	struct vw_fp_result r;

	/* 1 MiB of varbinds: the cap stops the walk, the facts before it
	 * stay, nothing after is read. */
	varbind_oid(&vbl, "1.3.6.1.2.1.1.2.0", "1.3.6.1.4.1.3902.1015.3.1.220.1.2");
	for (int i = 0; i < 90000; i++)
		varbind_raw(&vbl, "1.3.6.1.2.1.2.2", 0x04, "ab", 2);
	varbind_str(&vbl, "1.3.6.1.2.1.1.1.0", "never read");
	v2c(&b, 1, 0xA2, &vbl);
	assert_true(b.n > 1000000);
	assert_int_equal(fp_parse_exact(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_int_equal(fp_parse(vw_fp_parse_snmp, b.p, b.n, &r), 0);
	assert_no_field(&r, "sys-descr");
	assert_int_equal(num(&r, "enterprise"), 3902);
	fb_free(&b);
}

static void test_random_frames(void **state)
{
	uint32_t x = 0x0badf00d;
	struct fbuf b = { 0 };
	struct vw_fp_result r;

	/* Mutate a valid message byte by byte: keeps the walk deep. */
	build_vrp_response(&b);
	for (int i = 0; i < 30000; i++) {
		uint8_t *m = malloc(b.n);

		memcpy(m, b.p, b.n);
		for (int k = 0; k < 3; k++) {
			x = x * 1103515245 + 12345;
			m[(x >> 8) % b.n] = (uint8_t)(x >> 20);
		}
		x = x * 1103515245 + 12345;
		fp_parse_exact(vw_fp_parse_snmp, m, (x >> 8) % (b.n + 1), &r);
		free(m);
	}
	fb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vrp_response),
		cmocka_unit_test(test_zte_trap_v1),
		cmocka_unit_test(test_huawei_trap_v2),
		cmocka_unit_test(test_hik_v3_report),
		cmocka_unit_test(test_v3_encrypted),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_enterprise_from_names),
		cmocka_unit_test(test_engine_id_forms),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_truncated_keeps_prefix),
		cmocka_unit_test(test_length_forms),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_oid_arcs),
		cmocka_unit_test(test_invalid_utf8_descr),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_random_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

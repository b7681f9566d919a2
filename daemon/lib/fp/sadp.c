// SPDX-License-Identifier: GPL-2.0-only
/*
 * Extracts the device facts (model description, serial, MAC, OEM code,
 * software version, device type) from Hikvision SADP announcements: the
 * XML datagrams on UDP 37020 and the binary EtherType 0x8033 frames.
 *
 * Catalogue: policy/fingerprints/CATALOGUE.md §3.5 (binary header and dev_info layout) and
 * §7.1 (XML <Hello>/<ProbeMatch>). Queries from the SADP tool (<Probe>,
 * binary inquiry and set requests) describe the tool's host, not a
 * device, and yield -ENOMSG.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fp.h"
#include "xmlscan.h"

/* ---- XML (UDP 37020) ---- */

static const struct vw_xml_want sadp_xml_fields[] = {
	{ "DeviceDescription", "device-description" },
	{ "DeviceSN",          "device-sn" },
	{ "MAC",               "mac" },
	{ "OEMCode",           "oem-code" },
	{ "SoftwareVersion",   "software-version" },
	{ "DeviceType",        "device-type" },
};

int vw_fp_parse_sadp_xml(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	struct vw_xml_span root, body;
	const char *msg;
	size_t pos = 0;
	bool bad = false;
	int rc;

	vw_fp_reset(r, VW_SIG_SADP);
	if (!p)
		return -ENOMSG;
	rc = vw_xml_root(p, len, &root);
	if (rc < 0)
		return rc;
	if (vw_xml_span_is(root, "Hello"))
		msg = "Hello";
	else if (vw_xml_span_is(root, "ProbeMatch"))
		msg = "ProbeMatch";
	else
		return -ENOMSG;
	/* An unclosed root still yields the complete children before the
	 * cut, reported as damage. */
	rc = vw_xml_next(p, len, &pos, msg, &body);
	if (rc < 0)
		bad = true;
	else if (rc == 0)
		return -EBADMSG;
	/* Values live in the frame or the store (fp.h), never in .rodata. */
	vw_fp_add_str(r, "message", root.p, root.len);
	if (vw_xml_add_each(r, body.p, body.len, sadp_xml_fields,
			    sizeof(sadp_xml_fields) / sizeof(sadp_xml_fields[0])) < 0)
		bad = true;
	return bad ? -EBADMSG : 0;
}

/* ---- Raw Ethernet (EtherType 0x8033) ---- */

#define SADP_HDR        38
#define SADP_SN_LEN     48
#define SADP_VER_LEN    48
/* dev_info after the header: serial[48], dev_type, port, encoders, disks
 * (u32 big-endian each), software version[48]. */
#define SADP_OFF_SN     SADP_HDR
#define SADP_OFF_TYPE   (SADP_OFF_SN + SADP_SN_LEN)
#define SADP_OFF_VER    (SADP_OFF_TYPE + 16)

static const struct {
	uint8_t op;
	bool from_device;
	const char *name;
} sadp_ops[] = {
	{ 0x02, true,  "device-online" },
	{ 0x03, false, "inquiry" },
	{ 0x04, true,  "inquiry-response" },
	{ 0x06, false, "update-ip" },
	{ 0x07, true,  "update-ip-response" },
	{ 0x0a, false, "reset-password" },
	{ 0x0b, true,  "reset-password-response" },
	{ 0x0c, false, "cms-info" },
	{ 0x0d, true,  "cms-info-response" },
	{ 0x10, false, "modify-net-param" },
	{ 0x11, true,  "modify-net-param-response" },
};

/* A fixed-size C string field: its bytes up to the first NUL. */
static void add_cstr(struct vw_fp_result *r, const char *name, const uint8_t *v, size_t n)
{
	const uint8_t *nul = memchr(v, 0, n);

	if (nul)
		n = (size_t)(nul - v);
	if (n)
		vw_fp_add_str(r, name, v, n);
}

int vw_fp_parse_sadp_eth(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	char buf[24];
	size_t end = len;
	bool bad = false, dev_info = false;
	const char *name = NULL;

	vw_fp_reset(r, VW_SIG_SADP);
	/* identifier 0x21, version 2, then hw/proto address lengths 6 and 4:
	 * the four bytes that make 0x8033 (not Hikvision-registered) ours. */
	if (!p || len < 10 || p[0] != 0x21 || p[1] != 0x02 || p[8] != 6 || p[9] != 4)
		return -ENOMSG;
	if (len < 11)
		return -EBADMSG;
	for (size_t i = 0; i < sizeof(sadp_ops) / sizeof(sadp_ops[0]); i++) {
		if (sadp_ops[i].op == p[10]) {
			if (!sadp_ops[i].from_device)
				return -ENOMSG;
			name = sadp_ops[i].name;
			dev_info = p[10] == 0x02 || p[10] == 0x04;
		}
	}
	if (name) {
		vw_fp_add_copy(r, "message", name, strlen(name));
	} else {
		snprintf(buf, sizeof(buf), "op-0x%02x", p[10]);
		vw_fp_add_copy(r, "message", buf, strlen(buf));
	}
	/* The one-byte length covers header + dev_info; trust it only to
	 * shorten (Ethernet padding), never to read further. */
	if (p[3] < SADP_HDR || p[3] > len)
		bad = true;
	else
		end = p[3];
	if (end < 20)
		return -EBADMSG;
	vw_fp_fmt_mac(buf, p + 14);
	vw_fp_add_copy(r, "mac", buf, VW_FP_MAC_TEXT - 1);
	if (!dev_info)
		return bad || end < SADP_HDR ? -EBADMSG : 0;
	if (end < SADP_OFF_SN + SADP_SN_LEN)
		return -EBADMSG;
	add_cstr(r, "device-sn", p + SADP_OFF_SN, SADP_SN_LEN);
	if (end < SADP_OFF_TYPE + 4)
		return -EBADMSG;
	/* Decimal text, as the XML flavour's <DeviceType> carries it. */
	vw_fp_add_copy(r, "device-type", buf,
		       vw_fp_fmt_u64(buf, (unsigned)p[SADP_OFF_TYPE] << 24 | (unsigned)p[SADP_OFF_TYPE + 1] << 16 |
					  (unsigned)p[SADP_OFF_TYPE + 2] << 8 | p[SADP_OFF_TYPE + 3]));
	if (end < SADP_OFF_VER + SADP_VER_LEN)
		return -EBADMSG;
	add_cstr(r, "software-version", p + SADP_OFF_VER, SADP_VER_LEN);
	return bad ? -EBADMSG : 0;
}

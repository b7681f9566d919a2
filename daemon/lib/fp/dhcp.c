// SPDX-License-Identifier: GPL-2.0-only
/*
 * Extracts a DHCPv4 client's self-description (chaddr, vendor class,
 * hostname, parameter request list, client identifier) from one BOOTP
 * message.
 *
 * Catalogue: policy/fingerprints/CATALOGUE.md §4 — option 60 "HUAWEI:android:<board>" and
 * option 12 "HUAWEI_<model>-<hex>" survive MAC randomisation; the PRL
 * (option 55) is a weak OS/stack hint; option 61 carries the ESN on Huawei
 * ZTP; option 43 is only recorded as present.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fp.h"

/* RFC 2131 fixed header: op .. file, then the magic cookie. */
#define BOOTP_CIADDR   12
#define BOOTP_YIADDR   16
#define BOOTP_GIADDR   24
#define BOOTP_CHADDR   28
#define BOOTP_SNAME    44
#define BOOTP_FILE     108
#define BOOTP_COOKIE   236
#define BOOTP_OPTIONS  240

enum {
	OPT_PAD = 0, OPT_HOSTNAME = 12, OPT_VENDOR_SPECIFIC = 43,
	OPT_LEASE = 51, OPT_OVERLOAD = 52, OPT_MSG_TYPE = 53, OPT_PRL = 55,
	OPT_VENDOR_CLASS = 60, OPT_CLIENT_ID = 61, OPT_END = 255,
};

static const uint8_t cookie[4] = { 0x63, 0x82, 0x53, 0x63 };

/* Options seen so far: the first instance of each wins, so a device (or an
 * attacker) appending a second option 60 cannot overwrite the first. */
struct seen {
	bool hostname, vclass, vspec, msgtype, prl, cid, overload, lease;
	uint8_t overload_val;
};

static void hex(struct vw_fp_result *r, const char *name, const uint8_t *v, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char buf[2 * 255];

	/* Options are at most 255 bytes, so the text always fits. */
	for (size_t i = 0; i < n && i < 255; i++) {
		buf[2 * i] = digits[v[i] >> 4];
		buf[2 * i + 1] = digits[v[i] & 0xF];
	}
	vw_fp_add_copy(r, name, buf, 2 * (n < 255 ? n : 255));
}

static void add_chaddr(struct vw_fp_result *r, const uint8_t *p)
{
	uint8_t htype = p[1], hlen = p[2];
	char buf[18];

	/* Ethernet: the spelling the OUI table and the LLDP parser use. */
	if (htype == 1 && hlen == 6) {
		vw_fp_fmt_mac(buf, p + BOOTP_CHADDR);
		vw_fp_add_copy(r, "chaddr", buf, 17);
		return;
	}
	/* Anything else: hlen is a claim, the field is 16 bytes. */
	hex(r, "chaddr", p + BOOTP_CHADDR, hlen < 16 ? hlen : 16);
}

/* ciaddr, yiaddr, giaddr: who the message is about (a relayed client, the
 * address a server gives) rather than how the client describes itself. */
static void add_addrs(struct vw_fp_result *r, const uint8_t *p)
{
	static const struct { size_t off; const char *name; } a[] = {
		{ BOOTP_CIADDR, "ciaddr" }, { BOOTP_YIADDR, "yiaddr" }, { BOOTP_GIADDR, "giaddr" },
	};

	for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
		const uint8_t *v = p + a[i].off;
		uint32_t ip = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];

		if (ip)
			vw_fp_add_num(r, a[i].name, ip);
	}
}

static void add_prl(struct vw_fp_result *r, const uint8_t *v, size_t n)
{
	char buf[4 * 255];
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		if (i)
			buf[o++] = ',';
		o += vw_fp_fmt_u64(buf + o, v[i]);
	}
	vw_fp_add_copy(r, "param-list", buf, o);
}

static void option(struct vw_fp_result *r, struct seen *s, uint8_t code, const uint8_t *v, size_t n)
{
	switch (code) {
	case OPT_HOSTNAME:
		if (!s->hostname)
			vw_fp_add_str(r, "hostname", v, n);
		s->hostname = true;
		break;
	case OPT_VENDOR_CLASS:
		if (!s->vclass)
			vw_fp_add_str(r, "vendor-class", v, n);
		s->vclass = true;
		break;
	case OPT_VENDOR_SPECIFIC:
		/* Presence only: the content is vendor-defined binary and, in
		 * a client message, mostly echoes what the server configured. */
		if (!s->vspec)
			vw_fp_add_num(r, "vendor-specific", 1);
		s->vspec = true;
		break;
	case OPT_MSG_TYPE:
		if (!s->msgtype && n == 1)
			vw_fp_add_num(r, "msg-type", v[0]);
		s->msgtype = true;
		break;
	case OPT_PRL:
		if (!s->prl)
			add_prl(r, v, n);
		s->prl = true;
		break;
	case OPT_CLIENT_ID:
		if (!s->cid)
			hex(r, "client-id", v, n);
		s->cid = true;
		break;
	case OPT_LEASE:
		if (!s->lease && n == 4)
			vw_fp_add_num(r, "lease-time", (uint64_t)v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3]);
		s->lease = true;
		break;
	case OPT_OVERLOAD:
		if (!s->overload && n == 1)
			s->overload_val = v[0];
		s->overload = true;
		break;
	}
}

/* Walks one option area. Each step consumes at least one byte, so the
 * loop is bounded by the area length. Returns 0 at End or at the end of
 * the area, -EBADMSG when an option's length runs past the area. */
static int walk(struct vw_fp_result *r, struct seen *s, const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint8_t code = p[i++];
		size_t n;

		if (code == OPT_PAD)
			continue;
		if (code == OPT_END)
			return 0;
		if (i >= len)
			return -EBADMSG;
		n = p[i++];
		if (n > len - i)
			return -EBADMSG;
		option(r, s, code, p + i, n);
		i += n;
	}
	/* No End option: tolerated, capture paths and sloppy clients both
	 * produce it and what we read was well-formed. */
	return 0;
}

int vw_fp_parse_dhcp(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	struct seen s = { 0 };
	int rc;

	vw_fp_reset(r, VW_SIG_DHCP);
	/* op is BOOTREQUEST or BOOTREPLY; htype/hlen must be readable for
	 * anything below to mean something. */
	if (len < 1 || (p[0] != 1 && p[0] != 2))
		return -ENOMSG;
	if (len < BOOTP_COOKIE + 4) {
		if (len < BOOTP_CHADDR + 16)
			return -EBADMSG;
		/* Cut before the cookie: the header alone still names the
		 * client hardware; keep it and report the damage. */
		vw_fp_add_num(r, "op", p[0]);
		add_chaddr(r, p);
		add_addrs(r, p);
		return -EBADMSG;
	}
	/* Plain BOOTP (no cookie) carries no options we could read. */
	if (memcmp(p + BOOTP_COOKIE, cookie, sizeof(cookie)))
		return -ENOMSG;

	vw_fp_add_num(r, "op", p[0]);
	add_chaddr(r, p);
	add_addrs(r, p);
	rc = walk(r, &s, p + BOOTP_OPTIONS, len - BOOTP_OPTIONS);
	/* Option overload (RFC 2131 §4.1): file, then sname, hold more
	 * options. Each is walked at most once, so this stays bounded. */
	if (!rc && (s.overload_val & 1))
		rc = walk(r, &s, p + BOOTP_FILE, BOOTP_COOKIE - BOOTP_FILE);
	if (!rc && (s.overload_val & 2))
		rc = walk(r, &s, p + BOOTP_SNAME, BOOTP_FILE - BOOTP_SNAME);
	return rc;
}

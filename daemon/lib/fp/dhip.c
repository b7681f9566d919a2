// SPDX-License-Identifier: GPL-2.0-only
/*
 * Extracts Dahua device facts (type, serial, vendor, MAC, version, machine
 * name) from DHIP discovery datagrams (UDP 37810: 32-byte header + JSON)
 * and from the legacy binary reply on UDP 5050.
 *
 * Catalogue: policy/fingerprints/CATALOGUE.md §7.2. The JSON body is parsed by json-c with
 * a nesting limit and a size cap; every value we keep is copied into the
 * result store before the parse tree is freed, so nothing json-c owns
 * outlives the call. Discovery searches (DHIP "DHDiscover.search", 5050
 * requests starting 0xA3) come from a client and yield -ENOMSG.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "fp.h"

/* ---- DHIP (UDP 37810) ---- */

#define DHIP_HDR        32
#define DHIP_OFF_BODYLEN 16
/* A reply is ~1 KiB; a UDP datagram cannot exceed 64 KiB anyway. */
#define DHIP_BODY_MAX   (64 * 1024)
/* notifyDevInfo nests params.deviceInfo.IPv4Address.{...}: depth 4. */
#define DHIP_JSON_DEPTH 8

static const struct {
	const char *key;
	const char *field;
} dhip_fields[] = {
	{ "DeviceType",  "device-type" },
	{ "SerialNo",    "serial" },
	{ "Vendor",      "vendor" },
	{ "Version",     "version" },
	{ "MachineName", "machine-name" },
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Copies a JSON string member into the store; other types are ignored,
 * a device that sends a number for SerialNo tells us nothing we match. */
static bool add_json_str(struct vw_fp_result *r, const char *field, json_object *obj, const char *key)
{
	json_object *v;

	if (!obj || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return false;
	vw_fp_add_copy(r, field, json_object_get_string(v), (size_t)json_object_get_string_len(v));
	return true;
}

int vw_fp_parse_dhip(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	static const uint8_t magic[8] = { 0x20, 0x00, 0x00, 0x00, 'D', 'H', 'I', 'P' };
	json_tokener *tok;
	json_object *root, *params = NULL, *info = NULL, *method;
	size_t body_len, dev_fields = 0;
	bool bad = false, search = false;
	int rc;

	vw_fp_reset(r, VW_SIG_DHIP);
	if (!p || len < sizeof(magic) || memcmp(p, magic, sizeof(magic)))
		return -ENOMSG;
	vw_fp_add_str(r, "magic", p + 4, 4);
	if (len < DHIP_HDR)
		return -EBADMSG;
	/* The header states the body length; it may only shorten what we
	 * read (trailing bytes), never extend it past the datagram. */
	body_len = le32(p + DHIP_OFF_BODYLEN);
	if (body_len > len - DHIP_HDR) {
		body_len = len - DHIP_HDR;
		bad = true;
	}
	if (body_len == 0 || body_len > DHIP_BODY_MAX)
		return -EBADMSG;
	tok = json_tokener_new_ex(DHIP_JSON_DEPTH);
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, (const char *)p + DHIP_HDR, (int)body_len);
	if (json_tokener_get_error(tok) != json_tokener_success)
		bad = true;
	if (root && json_object_is_type(root, json_type_object)) {
		if (json_object_object_get_ex(root, "method", &method) &&
		    json_object_is_type(method, json_type_string)) {
			search = !strcmp(json_object_get_string(method), "DHDiscover.search");
			add_json_str(r, "method", root, "method");
		}
		add_json_str(r, "mac", root, "mac");
		if (json_object_object_get_ex(root, "params", &params))
			json_object_object_get_ex(params, "deviceInfo", &info);
		/* json_object_object_get_ex on a non-object is false, and
		 * add_json_str checks the type: a hostile shape is ignored. */
		for (size_t i = 0; i < sizeof(dhip_fields) / sizeof(dhip_fields[0]); i++)
			dev_fields += add_json_str(r, dhip_fields[i].field, info, dhip_fields[i].key);
	}
	json_object_put(root);
	json_tokener_free(tok);
	rc = bad ? -EBADMSG : 0;
	if (search && !dev_fields)
		rc = -ENOMSG;
	return rc;
}

/* ---- Legacy reply (UDP 5050) ---- */

/* A 32-byte header whose bytes 4..7 give the length of what follows
 * (0x58 in replies), so section 1 is 120 bytes; then section 2 (its length
 * at byte 2: 17-char MAC text, optionally the device type), then section 3
 * (length at bytes 20..21: "Key:Value\r\n" lines). */
#define D5050_HDR       32
#define D5050_EXT       0x58
#define D5050_S1        (D5050_HDR + D5050_EXT)
#define D5050_OFF_TYPE  0x28
#define D5050_TYPE_LEN  16
#define D5050_MAC_LEN   17
#define D5050_MAX_LINES 64

static const struct {
	const char *key;
	const char *field;
} d5050_keys[] = {
	{ "SerialNo",    "serial" },
	{ "Vendor",      "vendor" },
	{ "Version",     "version" },
	{ "MachineName", "machine-name" },
	{ "DeviceType",  "device-type" },
};

static size_t cstr_len(const uint8_t *v, size_t n)
{
	const uint8_t *nul = memchr(v, 0, n);

	return nul ? (size_t)(nul - v) : n;
}

static void parse_kv(struct vw_fp_result *r, const uint8_t *s, size_t n, bool have_type)
{
	size_t i = 0;

	for (int line = 0; line < D5050_MAX_LINES && i < n; line++) {
		const uint8_t *eol = memchr(s + i, '\n', n - i);
		size_t e = eol ? (size_t)(eol - s) : n, l = e - i;
		const uint8_t *ln = s + i, *colon;

		i = eol ? e + 1 : n;
		if (l && ln[l - 1] == '\r')
			l--;
		colon = memchr(ln, ':', l);
		if (!colon)
			continue;
		for (size_t k = 0; k < sizeof(d5050_keys) / sizeof(d5050_keys[0]); k++) {
			size_t kl = strlen(d5050_keys[k].key), vl;

			if ((size_t)(colon - ln) != kl || memcmp(ln, d5050_keys[k].key, kl))
				continue;
			if (have_type && !strcmp(d5050_keys[k].field, "device-type"))
				continue;
			vl = cstr_len(colon + 1, l - kl - 1);
			if (vl && !vw_fp_get(r, d5050_keys[k].field))
				vw_fp_add_str(r, d5050_keys[k].field, colon + 1, vl);
		}
	}
}

int vw_fp_parse_dahua5050(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	size_t s2, s3, tl, mac_len;
	const uint8_t *type;
	bool bad = false;

	vw_fp_reset(r, VW_SIG_DHIP);
	/* Reply magic B3 00, then 58 00 00 00; requests (A3 01) are a
	 * client's search. */
	if (!p || len < 8 || p[0] != 0xB3 || p[1] != 0x00 || le32(p + 4) != D5050_EXT)
		return -ENOMSG;
	vw_fp_add_copy(r, "magic", "B3", 2);
	if (len < D5050_S1)
		bad = true;
	if (len >= D5050_OFF_TYPE + D5050_TYPE_LEN) {
		tl = cstr_len(p + D5050_OFF_TYPE, D5050_TYPE_LEN);
		type = p + D5050_OFF_TYPE;
	} else {
		tl = 0;
		type = NULL;
	}
	s2 = p[2];
	s3 = len >= 22 ? ((size_t)p[20] | (size_t)p[21] << 8) : 0;
	if (!bad) {
		const uint8_t *sec = p + D5050_S1;
		size_t avail = len - D5050_S1;

		if (s2 > avail) {
			s2 = avail;
			bad = true;
		}
		mac_len = s2 < D5050_MAC_LEN ? s2 : D5050_MAC_LEN;
		if (mac_len)
			vw_fp_add_str(r, "mac", sec, cstr_len(sec, mac_len));
		/* A device type in section 2 is the long form; prefer it. */
		if (s2 > D5050_MAC_LEN && cstr_len(sec + D5050_MAC_LEN, s2 - D5050_MAC_LEN)) {
			type = sec + D5050_MAC_LEN;
			tl = cstr_len(type, s2 - D5050_MAC_LEN);
		}
		if (tl)
			vw_fp_add_str(r, "device-type", type, tl);
		avail -= s2;
		if (s3 > avail) {
			s3 = avail;
			bad = true;
		}
		parse_kv(r, sec + s2, s3, tl != 0);
	} else if (tl) {
		vw_fp_add_str(r, "device-type", type, tl);
	}
	return bad ? -EBADMSG : 0;
}

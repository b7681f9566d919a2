/* SPDX-License-Identifier: GPL-2.0-only */
/* The fingerprint vocabulary's helpers: building a vw_fp_result field by field and naming signals. */
#include <errno.h>
#include <string.h>

#include "fp.h"

static const char *const signal_names[VW_SIG_MAX] = {
	[VW_SIG_NONE] = "none",
	[VW_SIG_LLDP] = "lldp",
	[VW_SIG_CDP] = "cdp",
	[VW_SIG_HUAWEI_L2] = "huawei-l2",
	[VW_SIG_SADP] = "sadp",
	[VW_SIG_DHIP] = "dhip",
	[VW_SIG_WSD] = "ws-discovery",
	[VW_SIG_DHCP] = "dhcp",
	[VW_SIG_DHCPV6] = "dhcpv6",
	[VW_SIG_SNMP] = "snmp",
	[VW_SIG_BANNER] = "banner",
	[VW_SIG_SSDP] = "ssdp",
	[VW_SIG_HYTERA] = "hytera",
	[VW_SIG_TR069] = "tr069",
	[VW_SIG_DNS] = "dns",
	[VW_SIG_MDNS] = "mdns",
};

/* Deliberately does not clear the 4 KiB store: this runs once per frame on
 * the hot path and nothing reads the store beyond store_used. */
void vw_fp_reset(struct vw_fp_result *r, enum vw_fp_signal sig)
{
	r->signal = sig;
	r->n = 0;
	r->store_used = 0;
}

static struct vw_fp_field *next_field(struct vw_fp_result *r, const char *name)
{
	struct vw_fp_field *f;

	if (r->n >= VW_FP_MAX_FIELDS)
		return NULL;
	f = &r->fields[r->n];
	f->name = name;
	f->kind = VW_FP_STR;
	f->val = NULL;
	f->len = 0;
	f->num = 0;
	f->truncated = false;
	return f;
}

int vw_fp_add_str(struct vw_fp_result *r, const char *name, const uint8_t *val, size_t len)
{
	struct vw_fp_field *f = next_field(r, name);

	if (!f)
		return -ENOSPC;
	if (len > VW_FP_FIELD_MAX) {
		len = VW_FP_FIELD_MAX;
		f->truncated = true;
	}
	f->val = val;
	f->len = len;
	r->n++;
	return 0;
}

int vw_fp_add_copy(struct vw_fp_result *r, const char *name, const void *val, size_t len)
{
	struct vw_fp_field *f = next_field(r, name);
	bool trunc = false;
	uint8_t *dst;

	if (!f)
		return -ENOSPC;
	if (len > VW_FP_FIELD_MAX) {
		len = VW_FP_FIELD_MAX;
		trunc = true;
	}
	/* +1: copies are NUL terminated so callers may print them directly. */
	if (r->store_used + len + 1 > VW_FP_STORE)
		return -ENOSPC;
	dst = r->store + r->store_used;
	if (len)
		memcpy(dst, val, len);
	dst[len] = '\0';
	r->store_used += len + 1;
	f->val = dst;
	f->len = len;
	f->truncated = trunc;
	r->n++;
	return 0;
}

int vw_fp_add_num(struct vw_fp_result *r, const char *name, uint64_t num)
{
	struct vw_fp_field *f = next_field(r, name);

	if (!f)
		return -ENOSPC;
	f->kind = VW_FP_NUM;
	f->num = num;
	r->n++;
	return 0;
}

const struct vw_fp_field *vw_fp_get(const struct vw_fp_result *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		/* The pointer, then the first byte: the engine asks several
		 * names of every result, names are literals the linker
		 * merges, and most fields differ in their first byte. */
		if (r->fields[i].name == name ||
		    (r->fields[i].name && r->fields[i].name[0] == name[0] &&
		     strcmp(r->fields[i].name, name) == 0))
			return &r->fields[i];
	return NULL;
}

/* A hex digit's value plus one; 0 for every other byte. */
static const uint8_t hex1[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
	['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

int vw_fp_parse_mac_text(const uint8_t *s, size_t n, uint8_t mac[6])
{
	/* Where each byte's two digits start, per notation. */
	static const uint8_t at12[6] = { 0, 2, 4, 6, 8, 10 }, at14[6] = { 0, 2, 5, 7, 10, 12 },
			     at17[6] = { 0, 3, 6, 9, 12, 15 };
	const uint8_t *nul = memchr(s, 0, n), *at;
	size_t len = nul ? (size_t)(nul - s) : n;
	uint8_t m[6];
	bool bad = false;

	if (len == 12) {
		at = at12;
	} else if (len == 17) {
		at = at17;
		bad = (s[2] != ':' && s[2] != '-') || s[5] != s[2] || s[8] != s[2] ||
		      s[11] != s[2] || s[14] != s[2];
	} else if (len == 14) {
		at = at14;
		bad = s[4] != '.' || s[9] != '.';
	} else {
		return -EINVAL;
	}
	/* No branch per digit: a bad one makes its byte's product 0. */
	for (int i = 0; i < 6; i++) {
		unsigned hi = hex1[s[at[i]]], lo = hex1[s[at[i] + 1]];

		bad |= hi * lo == 0;
		m[i] = (uint8_t)((hi - 1) << 4 | (lo - 1));
	}
	if (bad)
		return -EINVAL;
	memcpy(mac, m, 6);
	return 0;
}

const char *vw_fp_signal_name(enum vw_fp_signal s)
{
	if ((unsigned)s >= VW_SIG_MAX)
		return "unknown";
	return signal_names[s];
}

enum vw_fp_signal vw_fp_signal_from_name(const char *name)
{
	if (!name)
		return VW_SIG_NONE;
	for (unsigned i = 1; i < VW_SIG_MAX; i++)
		if (strcmp(signal_names[i], name) == 0)
			return (enum vw_fp_signal)i;
	/* Accept the short alias people write in rule files. */
	if (strcmp(name, "wsd") == 0)
		return VW_SIG_WSD;
	return VW_SIG_NONE;
}

void vw_fp_fmt_mac(char out[VW_FP_MAC_TEXT], const uint8_t m[6])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 6; i++) {
		out[3 * i] = hex[m[i] >> 4];
		out[3 * i + 1] = hex[m[i] & 15];
		out[3 * i + 2] = i < 5 ? ':' : '\0';
	}
}

size_t vw_fp_fmt_u64(char *out, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

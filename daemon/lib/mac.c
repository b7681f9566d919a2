// SPDX-License-Identifier: GPL-2.0-only
/* MAC addresses and hex digits as operators and files write them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "mac.h"

int vw_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int vw_hex_decode(const char *s, uint8_t *out, size_t n)
{
	if (strlen(s) != 2 * n)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int hi = vw_hexval(s[2 * i]), lo = vw_hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

void vw_format_mac(const uint8_t m[6], char buf[VW_MAC_STRLEN])
{
	snprintf(buf, VW_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* Reads the digits of s, skipping a separator after every `group` digits;
 * the separator must be `sep` (0: the first one seen, ':' or '-'). */
static int grouped_hex(const char *s, size_t group, char sep, int digits[12])
{
	int nd = 0;

	for (size_t i = 0; s[i]; i++) {
		if (i % (group + 1) == group) {
			if (!sep && (s[i] == ':' || s[i] == '-'))
				sep = s[i];
			if (s[i] != sep)
				return -EINVAL;
		} else if (nd == 12 || (digits[nd++] = vw_hexval(s[i])) < 0) {
			return -EINVAL;
		}
	}
	return nd == 12 ? 0 : -EINVAL;
}

int vw_parse_mac(const char *s, uint8_t mac[6])
{
	size_t len = strlen(s);
	int digits[12], r;

	if (len == 17)
		r = grouped_hex(s, 2, 0, digits);      /* aa:bb:… or aa-bb-…, one separator */
	else if (len == 14)
		r = grouped_hex(s, 4, '.', digits);    /* aabb.ccdd.eeff */
	else
		r = -EINVAL;
	if (r < 0)
		return r;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(digits[2 * i] << 4 | digits[2 * i + 1]);
	return 0;
}

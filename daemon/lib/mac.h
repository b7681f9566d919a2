/* SPDX-License-Identifier: GPL-2.0-only */
/* MAC addresses and hex digits as operators and files write them. */
#ifndef VW_MAC_H
#define VW_MAC_H

#include <stddef.h>
#include <stdint.h>

#define VW_MAC_STRLEN 18

/* aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabb.ccdd.eeff; 0 or -EINVAL. */
int vw_parse_mac(const char *s, uint8_t mac[6]);
/* The canonical text form, "aa:bb:cc:dd:ee:ff", used in alerts, state and JSON. */
void vw_format_mac(const uint8_t mac[6], char buf[VW_MAC_STRLEN]);
/* The value of one hex digit, or -1. */
int vw_hexval(char c);
/* Exactly 2*n hex digits into n bytes; 0 or -EINVAL. */
int vw_hex_decode(const char *s, uint8_t *out, size_t n);

#endif

// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_dhcp: the input is one DHCPv4 message from the BOOTP header (UDP 68 -> 67 payload). */
#include "fuzz.h"

VW_FUZZ_PARSER(vw_fp_parse_dhcp(p, size, &r))

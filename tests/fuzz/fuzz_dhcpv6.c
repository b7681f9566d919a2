// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_dhcpv6: the input is one DHCPv6 message (UDP 546 -> 547 payload). */
#include "fuzz.h"

VW_FUZZ_PARSER(vw_fp_parse_dhcpv6(p, size, &r))

// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_huawei_l2: the first input byte picks the EtherType (LBDT, HGMP, LAD, LAD-in-ARP), the rest is the payload. */
#include "fuzz.h"

static const uint16_t ethertypes[4] = { 0x9998, 0x88A7, 0x0000, 0x0806 };

/* The payload runs from p + 1 to the end of the exactly-sized copy. */
VW_FUZZ_PARSER(vw_fp_parse_huawei_l2(size ? ethertypes[p[0] & 3] : 0x9998, p + (size ? 1 : 0),
				     size ? size - 1 : 0, &r))

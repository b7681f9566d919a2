// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_dns and vw_fp_parse_mdns: the input is one UDP 53 or 5353 payload, read in both roles (one reader), each result checked. */
#include "fuzz.h"

static int both_roles(const uint8_t *p, size_t n, struct vw_fp_result *r)
{
	vw_fuzz_check(vw_fp_parse_dns(p, n, r), r, p, n);
	return vw_fp_parse_mdns(p, n, r);
}

VW_FUZZ_PARSER(both_roles(p, size, &r))

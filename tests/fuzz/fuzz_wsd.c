// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_wsd: the input is one WS-Discovery datagram (UDP 3702). */
#include "fuzz.h"

VW_FUZZ_PARSER(vw_fp_parse_wsd(p, size, &r))

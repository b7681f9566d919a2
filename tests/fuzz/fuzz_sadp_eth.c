// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_sadp_eth: the input is one SADP frame after EtherType 0x8033. */
#include "fuzz.h"

VW_FUZZ_PARSER(vw_fp_parse_sadp_eth(p, size, &r))

// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_lldp: the input is one LLDPDU (after EtherType 0x88CC). */
#include "fuzz.h"

VW_FUZZ_PARSER(vw_fp_parse_lldp(p, size, &r))

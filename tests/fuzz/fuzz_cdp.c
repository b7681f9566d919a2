// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_cdp: the input is one CDP frame from its LLC/SNAP header. */
#include "fuzz.h"

VW_FUZZ_PARSER(vw_fp_parse_cdp(p, size, &r))

// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_dahua5050: the input is one legacy Dahua reply (UDP 5050). */
#include "fuzz.h"

VW_FUZZ_PARSER(vw_fp_parse_dahua5050(p, size, &r))

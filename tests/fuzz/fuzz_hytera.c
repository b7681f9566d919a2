// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_hytera: the input is one UDP 50000-50002 payload (IPSC heartbeat). */
#include "fuzz.h"

VW_FUZZ_PARSER(vw_fp_parse_hytera(p, size, &r))

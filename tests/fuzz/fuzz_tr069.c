// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_tr069: the input is one TCP payload carrying (part of) a CWMP Inform POST. */
#include "fuzz.h"

VW_FUZZ_PARSER(vw_fp_parse_tr069(p, size, &r))

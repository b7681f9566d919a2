// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_sadp_xml: the input is one SADP XML datagram (UDP 37020). */
#include "fuzz.h"

VW_FUZZ_PARSER(vw_fp_parse_sadp_xml(p, size, &r))

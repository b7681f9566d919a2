// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_dhip: the input is one DHIP datagram (UDP 37810). */
#include "fuzz.h"

VW_FUZZ_PARSER(vw_fp_parse_dhip(p, size, &r))

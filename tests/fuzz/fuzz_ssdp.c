// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_ssdp: the input is one SSDP datagram (UDP 1900 payload). */
#include "fuzz.h"

VW_FUZZ_PARSER(vw_fp_parse_ssdp(p, size, &r))

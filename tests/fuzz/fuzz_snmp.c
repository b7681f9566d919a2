// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_snmp: the input is one SNMP v1/v2c/v3 message (UDP 161/162 payload). */
#include "fuzz.h"

VW_FUZZ_PARSER(vw_fp_parse_snmp(p, size, &r))

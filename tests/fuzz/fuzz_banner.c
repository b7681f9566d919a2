// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_fp_parse_banner: byte 0 picks the server port from the dispatcher's banner port list, the rest is the first server payload. */
#include "fuzz.h"
#include "vw_mgmt.h"

/* The ports the dispatcher hands to the banner parser (include/vw_mgmt.h);
 * the seed files written by test_fp_banner.c use the same order. */
static const uint16_t ports[] = VW_MGMT_BANNER_PORTS;

static uint16_t port_of(const uint8_t *data, size_t size)
{
	return size ? ports[data[0] % (sizeof(ports) / sizeof(ports[0]))] : 0;
}

/* The copy made by VW_FUZZ_PARSER is the payload after the port byte, so
 * it is exactly sized too. */
VW_FUZZ_PARSER(vw_fp_parse_banner(port_of(data, size), size ? p + 1 : p, size ? size - 1 : 0, &r))

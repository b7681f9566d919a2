// SPDX-License-Identifier: GPL-2.0-only
/* Bench helper: fills an inventory with N synthetic restricted devices, each
 * with a segment, an address and one piece of evidence, through the same
 * module the daemon uses. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "confidence.h"
#include "inventory.h"
#include "names.h"
#include "vendorwall.h"

int main(int argc, char **argv)
{
	struct vw_inventory_limits lim = { .max_devices = 1000000 };
	struct vw_inventory *inv;
	long n;
	int err;

	if (argc != 3 || (n = strtol(argv[2], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: vw-inventory-fill FILE COUNT\n");
		return 2;
	}
	err = vw_inventory_open(&inv, argv[1], &lim);
	if (err) {
		fprintf(stderr, "Error: %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	err = vw_inventory_begin(inv);
	for (long i = 0; i < n && !err; i++) {
		uint8_t mac[6] = { 0x00, 0xe0, 0xfc, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i };
		struct vw_evidence ev = { .signal = "oui", .field = "source-mac",
					  .value = "00:e0:fc", .rule = "registry",
					  .confidence = vw_conf_percent(VW_CONF_OUI) };
		struct in_addr a = { .s_addr = htonl(0xc6120000u + (uint32_t)i) };  /* 198.18/15 */
		bool nd, ns;
		time_t now = time(NULL);

		err = vw_inventory_observe(inv, mac, "huawei", "lan", vw_verdict_word(VW_V_RESTRICTED),
					   vw_outcome_name(VW_VERDICT_WOULD_DROP), now, &nd, &ns);
		err = err ?: vw_inventory_add_address(inv, mac, AF_INET, &a, now);
		err = err ?: vw_inventory_add_evidence(inv, mac, &ev, now);
		if (!err && i % 10000 == 9999) {
			err = vw_inventory_commit(inv);
			err = err ?: vw_inventory_begin(inv);
		}
	}
	err = err ?: vw_inventory_commit(inv);
	vw_inventory_close(inv);
	if (err) {
		fprintf(stderr, "Error: %s: %s\n", argv[1], strerror(-err));
		return 1;
	}
	return 0;
}

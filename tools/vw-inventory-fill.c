// SPDX-License-Identifier: GPL-2.0-only
/* Bench helper: fills an inventory with N synthetic restricted devices, each
 * with a segment, an address and one piece of evidence, through the same
 * module the daemon uses; optionally also an operator.json with D operator
 * decisions on those devices (waivers and quarantines, half each), through
 * the daemon's overrides module. */
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
#include "overrides.h"

/* D decisions on the first D devices: even ones waived for a year, odd
 * ones quarantined. */
static int write_decisions(const char *path, long d)
{
	struct vw_overrides o = { 0 };
	time_t now = time(NULL);
	int err = 0;

	for (long i = 0; i < d && !err; i++) {
		struct vw_mac_decision m = {
			.mac = { 0x00, 0xe0, 0xfc, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i },
			.until = i % 2 ? 0 : now + 365 * 86400, .reason = "bench", .ticket = "BENCH-1",
			.since = now, .uid = 0,
		};

		err = i % 2 ? vw_overrides_put(&o.quarantines, &o.n_quarantines, &m)
			    : vw_overrides_put(&o.waivers, &o.n_waivers, &m);
	}
	err = err ?: vw_overrides_save(&o, path);
	vw_overrides_free(&o);
	return err;
}

int main(int argc, char **argv)
{
	struct vw_inventory_limits lim = { .max_devices = 1000000 };
	struct vw_inventory *inv;
	long n, d = 0;
	int err;

	if ((argc != 3 && argc != 5) || (n = strtol(argv[2], NULL, 10)) <= 0 ||
	    (argc == 5 && ((d = strtol(argv[4], NULL, 10)) <= 0 || d > n))) {
		fprintf(stderr, "usage: vw-inventory-fill FILE|- COUNT [OPERATOR.JSON DECISIONS]\n");
		return 2;
	}
	if (d) {
		err = write_decisions(argv[3], d);
		if (err) {
			fprintf(stderr, "Error: %s: %s\n", argv[3], strerror(-err));
			return 1;
		}
	}
	if (!strcmp(argv[1], "-"))
		return 0;   /* decisions only: the inventory is there already */
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

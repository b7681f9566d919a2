/* SPDX-License-Identifier: GPL-2.0-only */
/* Journal MESSAGE_IDs, one per alert kind: the one table of them. Each row
 * gives VW_MID_<NAME> here, VW_MID_<NAME> in build/names.sh for the shell
 * (written by tools/vw-names) and must have its entry in
 * packaging/vendorwall.catalog (checked by tests/unit/test_catalog.c).
 * Never change a published id. */
#ifndef VW_ALERT_IDS_H
#define VW_ALERT_IDS_H

#include <stddef.h>

#define VW_ALERT_IDS(X)                                          \
	X(DETECTED,        "f04e1eb41c494b9fa4047041c848c6c5")   \
	X(BLOCKED,         "a295cec3bbee4ab88332ca7ce01cfc2c")   \
	X(REMINDER,        "9a9770d1b23d4781a3ba3f0d1e4b7836")   \
	X(MODE_CHANGED,    "7757db5df03745d4845b38d6ce1fde27")   \
	X(WAIVER_ADDED,    "8d88db78041347309c04d4118c921e7f")   \
	X(WAIVER_EXPIRED,  "73e32327cecb4077b5406936fe9c9241")   \
	X(POLICY_LOADED,   "c30fddc76baf4017a2f46f97a9c59731")   \
	X(RELOAD_REJECTED, "31cdf200d9194404b15218d184f8e941")   \
	X(ATTACH_FAILED,   "e7291d5954034a758860db4f675223fd")   \
	X(DEGRADED,        "79fd14442f4846898bf769027d8630e3")   \
	X(QUARANTINE_CAP,  "2edc0cc7f83c43909e6c76f77f751745")   \
	X(STARTED,         "9cd752e9465b43cc8eb07bdcd14144a7")   \
	X(STOPPED,         "d74eaec8f9c24665b06690773726d3c4")   \
	X(AUDIT,           "1a70179365bb40179cd1d5b4928897e8")   \
	X(SWITCH_FOUND,    "9a690d6739cf433f8b0a741308f1ede5")   \
	X(VENDOR_CHANGED,  "1cfb64ee93344573a23f387724ed31f4")

/* VW_MID_DETECTED etc.: the id as a string. */
#define VW_MID_DEFINE(name, id) static const char VW_MID_##name[] = id;
VW_ALERT_IDS(VW_MID_DEFINE)
#undef VW_MID_DEFINE

/* The table as data, for the shell generator and the catalog test. */
struct vw_alert_id {
	const char *name;   /* "DETECTED", as in VW_MID_DETECTED */
	const char *id;
};
extern const struct vw_alert_id vw_alert_ids[];
extern const size_t vw_n_alert_ids;

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/* Journal MESSAGE_IDs, one per alert kind; packaging/vendorwall.catalog
 * explains each. Never change a published id. */
#ifndef VW_ALERT_IDS_H
#define VW_ALERT_IDS_H

#define VW_MID_DETECTED        "f04e1eb41c494b9fa4047041c848c6c5"
#define VW_MID_BLOCKED         "a295cec3bbee4ab88332ca7ce01cfc2c"
#define VW_MID_REMINDER        "9a9770d1b23d4781a3ba3f0d1e4b7836"
#define VW_MID_MODE_CHANGED    "7757db5df03745d4845b38d6ce1fde27"
#define VW_MID_WAIVER_ADDED    "8d88db78041347309c04d4118c921e7f"
#define VW_MID_WAIVER_EXPIRED  "73e32327cecb4077b5406936fe9c9241"
#define VW_MID_POLICY_LOADED   "c30fddc76baf4017a2f46f97a9c59731"
#define VW_MID_RELOAD_REJECTED "31cdf200d9194404b15218d184f8e941"
#define VW_MID_ATTACH_FAILED   "e7291d5954034a758860db4f675223fd"
#define VW_MID_DEGRADED        "79fd14442f4846898bf769027d8630e3"
#define VW_MID_QUARANTINE_CAP  "2edc0cc7f83c43909e6c76f77f751745"
#define VW_MID_STARTED         "9cd752e9465b43cc8eb07bdcd14144a7"
#define VW_MID_STOPPED         "d74eaec8f9c24665b06690773726d3c4"
#define VW_MID_AUDIT           "1a70179365bb40179cd1d5b4928897e8"
#define VW_MID_VENDOR_CHANGED  "1cfb64ee93344573a23f387724ed31f4"

#endif

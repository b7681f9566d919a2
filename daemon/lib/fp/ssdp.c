// SPDX-License-Identifier: GPL-2.0-only
/*
 * Extracts a UPnP device's self-description (SERVER, USN, NT or ST,
 * LOCATION) from one SSDP NOTIFY or M-SEARCH response datagram.
 *
 * Catalogue: policy/fingerprints/CATALOGUE.md §7.4 and §6.3 — Huawei/ZTE CPE SERVER strings
 * ("… HUAWEI SDK for UPnP devices/", "HUAWEI_iCOS", "ZTE/1.0 UPnP/x
 * miniupnpd/x") are sourced; no Hikvision/Dahua SERVER string is (the one
 * hit is from a simulator), so those are left to the rules at Low.
 *
 * An M-SEARCH is a control point asking: its headers describe the asker's
 * wishes, not a device, so it is -ENOMSG.
 */
#include <errno.h>
#include <string.h>

#include "fp.h"
#include "textscan.h"

/* Real NOTIFYs carry under a dozen headers. */
#define SSDP_MAX_HEADERS 64

int vw_fp_parse_ssdp(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	struct vw_span line, name, value;
	size_t pos = 0;
	bool notify, server = false, usn = false, ntst = false, loc = false;
	int lrc;

	vw_fp_reset(r, VW_SIG_SSDP);
	lrc = vw_next_line(p, len, &pos, &line);
	if (lrc == VW_LINE_END)
		return -ENOMSG;
	/* Start lines are case-sensitive (HTTP methods and version). */
	if (line.len >= 9 && !memcmp(line.p, "NOTIFY * ", 9))
		notify = true;
	else if (line.len >= 12 && !memcmp(line.p, "HTTP/1.", 7) && !memcmp(line.p + 8, " 200", 4))
		notify = false;
	else
		return -ENOMSG;
	if (lrc == VW_LINE_CUT)
		return -EBADMSG;

	for (unsigned n = 0; n < SSDP_MAX_HEADERS; n++) {
		lrc = vw_next_line(p, len, &pos, &line);
		/* One datagram is the whole message: the end of the bytes ends
		 * the headers too, blank line or not, and a last line without
		 * CR LF is still a complete line. */
		if (lrc == VW_LINE_END || line.len == 0)
			break;
		if (!vw_header(line, &name, &value))
			continue;
		if (!server && vw_ieq(name, "SERVER")) {
			vw_fp_add_str(r, "server", value.p, value.len);
			server = true;
		} else if (!usn && vw_ieq(name, "USN")) {
			vw_fp_add_str(r, "usn", value.p, value.len);
			usn = true;
		} else if (!ntst && vw_ieq(name, notify ? "NT" : "ST")) {
			/* NOTIFY says what it announces in NT, a search
			 * response what it matched in ST. */
			vw_fp_add_str(r, notify ? "nt" : "st", value.p, value.len);
			ntst = true;
		} else if (!loc && vw_ieq(name, "LOCATION")) {
			vw_fp_add_str(r, "location", value.p, value.len);
			loc = true;
		}
		if (lrc == VW_LINE_CUT)
			break;
	}
	if (pos < len && lrc == VW_LINE_OK && line.len != 0)
		return r->n ? -EBADMSG : -ENOMSG;   /* header cap hit */
	return r->n ? 0 : -ENOMSG;
}

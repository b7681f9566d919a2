// SPDX-License-Identifier: GPL-2.0-only
/*
 * Recognises the Hytera IP Multi-Site Connect (IPSC) ping/pong heartbeat
 * that repeaters exchange on UDP 50000-50002.
 *
 * Catalogue: policy/fingerprints/CATALOGUE.md §9 gives one byte-exact format, the 20-byte
 * heartbeat "ZZZZ" 0A 00 00 00 14 00 00 00 <seq> 5A 59 5A 00 00 00 00
 * (OK-DMR/Hytera_Homebrew_Bridge ip_site_connect_heartbeat.ksy). That is
 * all this parser matches; it yields "magic". The catalogue gives no byte
 * offset for a radio ID in any IPSC frame, so "radio-id" is never filled
 * rather than guessed. The 1-byte 00 keepalive of the same source is not
 * taken as evidence: a lone zero byte on a configurable port says nothing
 * about who sent it.
 */
#include <errno.h>
#include <string.h>

#include "fp.h"

#define HB_LEN     20
#define HB_SEQ_OFF 12

/* Everything but the sequence byte is fixed. */
static const uint8_t heartbeat[HB_LEN] = {
	0x5A, 0x5A, 0x5A, 0x5A,                 /* "ZZZZ" */
	0x0A, 0x00, 0x00, 0x00, 0x14,           /* heartbeat identifier */
	0x00, 0x00, 0x00,
	0x00,                                   /* sequence: any value */
	0x5A, 0x59, 0x5A, 0x00, 0x00, 0x00, 0x00,
};

static bool matches(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (i != HB_SEQ_OFF && p[i] != heartbeat[i])
			return false;
	return true;
}

int vw_fp_parse_hytera(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	vw_fp_reset(r, VW_SIG_HYTERA);
	/* "ZZZZ" alone is four ASCII letters: only the whole fixed pattern
	 * is Hytera, so a prefix of it is damage without a field. */
	if (len < 4 || memcmp(p, heartbeat, 4))
		return -ENOMSG;
	if (len < HB_LEN)
		return matches(p, len) ? -EBADMSG : -ENOMSG;
	if (!matches(p, HB_LEN))
		return -ENOMSG;
	vw_fp_add_str(r, "magic", p, 4);
	/* The heartbeat has a fixed size (the .ksy switches on it): bytes
	 * after it are damage, but the pattern itself was complete. */
	return len == HB_LEN ? 0 : -EBADMSG;
}

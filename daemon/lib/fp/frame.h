/* SPDX-License-Identifier: GPL-2.0-only */
/* Frame dissection for the fingerprint engine: Ethernet/VLAN/IP/UDP/TCP headers into a vw_fp_frame, then the protocol parser each frame's EtherType or ports call for. */
#ifndef VW_FP_FRAME_H
#define VW_FP_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "fp.h"
#include "vw_mgmt.h"

/* IPv6 extension headers skipped before giving up on finding L4: real
 * traffic carries one or two; the bound keeps hostile chains cheap. */
#define VW_FP_MAX_IPV6_EXT 8

/* Fills f from an Ethernet frame. Returns 0; -EBADMSG when a header is
 * cut or inconsistent (the layers before the damage are kept: with
 * len >= 14 the MACs are always valid, so the OUI still counts); -EINVAL
 * for a NULL frame. */
int vw_fp_frame_parse(const uint8_t *data, size_t len, struct vw_fp_frame *f);

/* The row of include/vw_mgmt.h that f matches (sampled or not), after the
 * content gates of HGMP (cluster address) and ARP (LAD's hardware type);
 * VW_MGMT_NONE when no parser reads f. The dispatch of vw_fp_dissect. */
enum vw_mgmt_proto vw_fp_frame_proto(const struct vw_fp_frame *f);

/* Called once per protocol result extracted from a frame (also for a
 * damaged message that still yielded fields). r is valid only during the
 * call. A non-zero return stops the dissection and is returned. */
typedef int (*vw_fp_dissect_cb)(void *ctx, const struct vw_fp_frame *f,
				const struct vw_fp_result *r);

/* Runs the parsers that f's EtherType or ports select. Returns the number
 * of results passed to cb (0: nothing of interest), a callback's non-zero
 * return, or -ENOMEM from a parser. Uses ~5 KiB of stack for the result. */
int vw_fp_dissect(const struct vw_fp_frame *f, vw_fp_dissect_cb cb, void *ctx);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/* Fingerprint verdicts in vw_device, bounded and aged. Frames make them,
 * and anyone can send frames: at most MaxFingerprintVerdicts= of them
 * (never more than the data plane keeps beside operator decisions), the
 * least recently seen device's verdict dropped first, and a verdict whose
 * device sent nothing for FingerprintVerdictMaxAge= dropped too. A dropped
 * verdict comes back with the device's next announcement. */
#ifndef VWD_FPVERDICTS_H
#define VWD_FPVERDICTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vwd.h"

/* The table alone (no I/O): MACs as 48-bit keys, least recently seen last. */
struct vwd_fpv;
int vwd_fpv_new(struct vwd_fpv **out, size_t cap);
void vwd_fpv_free(struct vwd_fpv *t);
size_t vwd_fpv_count(const struct vwd_fpv *t);
size_t vwd_fpv_cap(const struct vwd_fpv *t);
/* Records key as seen at now. 1 and *victim when the table was full and
 * the least recently seen key made room, else 0; -ENOMEM never (the table
 * is allocated whole). */
int vwd_fpv_touch(struct vwd_fpv *t, uint64_t key, uint64_t now, uint64_t *victim);
/* Moves key to the front only if it is there; whether it was. */
bool vwd_fpv_refresh(struct vwd_fpv *t, uint64_t key, uint64_t now);
void vwd_fpv_forget(struct vwd_fpv *t, uint64_t key);
/* Removes and returns (1) the least recently seen key if it was last seen
 * before cutoff, else 0. */
int vwd_fpv_pop_older(struct vwd_fpv *t, uint64_t cutoff, uint64_t *key);

/* The daemon's side. Writes a fingerprint verdict (set/clear of
 * VW_DEV_RESTRICTED and VW_DEV_CLEARED) and keeps the table in step. */
int vwd_fp_verdict(struct daemon *d, const uint8_t mac[6], uint32_t set, uint32_t clear,
		   uint16_t vendor);
/* A frame from mac: its verdict, if any, is young again. */
void vwd_fp_verdict_seen(struct daemon *d, const uint8_t mac[6]);
/* Start and reload: the table sized by the configuration and filled with
 * the verdicts already pinned (an earlier run's). */
int vwd_fp_verdicts_sync(struct daemon *d);
/* Once a second: verdicts past their age go. */
void vwd_fp_verdicts_tick(struct daemon *d);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/* Management-frame samples -> fingerprint engine -> device verdicts. */
#ifndef VWD_SAMPLES_H
#define VWD_SAMPLES_H

#include "vwd.h"

struct vw_fp_engine;
int vwd_on_sample(void *ctx, void *data, size_t size);
int vwd_fp_start(struct daemon *d, const struct vw_state *st, struct vw_fp_engine **out);
/* The strongest fingerprint evidence of mac as text; -ENOENT if none. */
int vwd_fp_describe(struct daemon *d, const uint8_t mac[6], char *evidence, size_t elen,
		    char *confidence, size_t clen);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared body of the parser fuzz targets: parse an exactly-sized heap copy, then check the result invariants the engine relies on. */
#ifndef VW_FUZZ_H
#define VW_FUZZ_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fp.h"

/* Result invariants: a documented return code, every string inside the
 * frame or the result's store and within the field limit. A violation is
 * a crash so libFuzzer keeps the input. */
static void vw_fuzz_check(int rc, const struct vw_fp_result *r, const uint8_t *buf, size_t n)
{
	if (rc != 0 && rc != -ENOMSG && rc != -EBADMSG)
		abort();
	if (r->n > VW_FP_MAX_FIELDS || r->store_used > VW_FP_STORE)
		abort();
	for (size_t i = 0; i < r->n; i++) {
		const struct vw_fp_field *f = &r->fields[i];

		if (!f->name)
			abort();
		if (f->kind != VW_FP_STR || !f->len)
			continue;
		if (f->len > VW_FP_FIELD_MAX)
			abort();
		if (!((f->val >= buf && f->val + f->len <= buf + n) ||
		      (f->val >= r->store && f->val + f->len <= r->store + r->store_used)))
			abort();
		/* Touch every byte so ASan sees a dangling or overlong value. */
		volatile uint8_t sink = 0;
		for (size_t k = 0; k < f->len; k++)
			sink ^= f->val[k];
		(void)sink;
	}
}

/* The copy is exactly `size` bytes so any overread hits ASan's redzone. */
#define VW_FUZZ_PARSER(call)                                                  \
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);                 \
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)                  \
{                                                                             \
	static struct vw_fp_result r;                                         \
	uint8_t *p = malloc(size ? size : 1);                                 \
	int rc;                                                               \
	if (!p)                                                               \
		return 0;                                                     \
	if (size)                                                             \
		memcpy(p, data, size);                                        \
	rc = call;                                                            \
	vw_fuzz_check(rc, &r, p, size);                                       \
	free(p);                                                              \
	return 0;                                                             \
}

#endif

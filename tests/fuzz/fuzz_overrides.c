// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_overrides_parse: the input is a whole operator.json as a damaged disk or a careless edit may leave it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "overrides.h"
#include "vendorwall.h"

static void touch(const char *s)
{
	volatile char sink = 0;

	for (; s && *s; s++)
		sink ^= *s;
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vw_diag diag = {0};
	struct vw_overrides o;
	char *text = malloc(size ? size : 1);   /* exactly sized: overreads hit the redzone */
	int r;

	if (!text)
		return 0;
	memcpy(text, data, size);
	r = vw_overrides_parse(&o, text, size, "operator.json", &diag);
	if (r != 0 && r != -EBADMSG && r != -ENOMEM)
		abort();
	/* A refusal says why, once, and keeps nothing. */
	if (r == -EBADMSG && (diag.n != 1 || o.n || o.n_waivers || o.n_quarantines))
		abort();
	if (r == 0 && diag.n)
		abort();
	/* Everything loaded is owned by o and valid for the daemon. */
	for (size_t i = 0; i < o.n; i++) {
		touch(o.v[i].segment);
		if (o.v[i].mode > VW_MODE_BLOCK || o.v[i].configured > VW_MODE_BLOCK)
			abort();
	}
	for (size_t i = 0; i < o.n_waivers; i++) {
		touch(o.waivers[i].reason);
		touch(o.waivers[i].ticket);
	}
	for (size_t i = 0; i < o.n_quarantines; i++) {
		touch(o.quarantines[i].reason);
		touch(o.quarantines[i].ticket);
	}
	for (size_t i = 0; i < diag.n; i++)
		touch(diag.msgs[i]);
	vw_overrides_free(&o);
	vw_diag_free(&diag);
	free(text);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_escape: any bytes a device or a local user chose;
 * what comes out holds no control, no C1 and no bidi override, fits the
 * buffer, and is plain text unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* No C0, DEL, C1 or bidi override may survive escaping. */
static void check_safe(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			abort();
		if (s[i] == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
			abort();
		if (s[i] == 0xe2 && i + 2 < n &&
		    ((s[i + 1] == 0x80 && s[i + 2] >= 0xaa && s[i + 2] <= 0xae) ||
		     (s[i + 1] == 0x81 && s[i + 2] >= 0xa6 && s[i + 2] <= 0xa9)))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size ? size : 1), small[17], *big;
	size_t n, bigsz = size * VW_ESCAPE_MAX_GROWTH + 1;

	if (!in)
		return 0;
	memcpy(in, data, size);   /* exactly sized: overreads hit the redzone */
	big = malloc(bigsz);
	if (!big) {
		free(in);
		return 0;
	}
	n = vw_escape(in, size, big, bigsz);
	if (n != strlen(big) || n >= bigsz)
		abort();
	check_safe((const unsigned char *)big, n);
	/* Room for everything: nothing cut, and clean text comes out as it went in. */
	if (n >= 3 && !memcmp(big + n - 3, "...", 3) && (size < 3 || memcmp(in + size - 3, "...", 3)))
		abort();
	if (vw_escape_is_clean(in, size) && (n != size || memcmp(in, big, size)))
		abort();
	n = vw_escape(in, size, small, sizeof(small));
	if (n >= sizeof(small) || n != strlen(small))
		abort();
	check_safe((const unsigned char *)small, n);
	if (size && in[size - 1] == '\0') {
		char *dup = vw_escape_dup(in, 8);

		if (dup)
			check_safe((const unsigned char *)dup, strlen(dup));
		free(dup);
	}
	free(big);
	free(in);
	return 0;
}

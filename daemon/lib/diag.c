// SPDX-License-Identifier: GPL-2.0-only
/* Accumulates parser diagnostics so callers decide how and where to log. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "diag.h"

int vw_diag_add(struct vw_diag *d, const char *file, int line, const char *fmt, ...)
{
	char *msg = NULL, *full = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0) {
		msg = NULL;
		r = -ENOMEM;
		goto out;
	}

	if (!file)
		r = asprintf(&full, "%s", msg);
	else if (line > 0)
		r = asprintf(&full, "%s:%d: %s", file, line, msg);
	else
		r = asprintf(&full, "%s: %s", file, msg);
	if (r < 0) {
		full = NULL;
		r = -ENOMEM;
		goto out;
	}

	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;
		char **v = realloc(d->msgs, cap * sizeof(*v));

		if (!v) {
			r = -ENOMEM;
			goto out;
		}
		d->msgs = v;
		d->cap = cap;
	}
	d->msgs[d->n++] = full;
	full = NULL;
	r = 0;
out:
	free(full);
	free(msg);
	return r;
}

void vw_diag_free(struct vw_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	d->msgs = NULL;
	d->n = d->cap = 0;
}

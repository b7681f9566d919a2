/* SPDX-License-Identifier: GPL-2.0-only */
/* Collects "file:line: message" diagnostics from parsers that must not log. */
#ifndef VW_DIAG_H
#define VW_DIAG_H

#include <stdarg.h>
#include <stddef.h>

struct vw_diag {
	char **msgs;    /* each "file:line: message" (or "file: message") */
	size_t n;
	size_t cap;
};

/* Appends one message; line <= 0 omits the line number. Returns 0 or -ENOMEM. */
int vw_diag_add(struct vw_diag *d, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void vw_diag_free(struct vw_diag *d);

#endif

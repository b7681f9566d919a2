/* SPDX-License-Identifier: GPL-2.0-only */
/* A growable vector of owned strings. */
#ifndef VW_STRV_H
#define VW_STRV_H

#include <stdbool.h>
#include <stddef.h>

struct vw_strv { char **v; size_t n; };

/* Appends a copy of s; 0 or -ENOMEM (sv unchanged). */
int vw_strv_push(struct vw_strv *sv, const char *s);
bool vw_strv_contains(const struct vw_strv *sv, const char *s);
void vw_strv_free(struct vw_strv *sv);

/* A name an operator gives a section ([Segment NAME], [Switch NAME]):
 * 1..max characters of letters, digits, '-', '_' and '.', so it is safe
 * in journal fields, file names and table cells. */
bool vw_valid_section_name(const char *s, size_t max);

/* Replaces *dst with a copy of value; 0 or -ENOMEM (*dst unchanged). */
int vw_set_str(char **dst, const char *value);

#endif

// SPDX-License-Identifier: GPL-2.0-only
/* A growable vector of owned strings. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "strv.h"

int vw_strv_push(struct vw_strv *sv, const char *s)
{
	char *copy = strdup(s), **v;

	if (!copy)
		return -ENOMEM;
	v = realloc(sv->v, (sv->n + 1) * sizeof(*v));
	if (!v) {
		free(copy);
		return -ENOMEM;
	}
	sv->v = v;
	v[sv->n++] = copy;
	return 0;
}

bool vw_strv_contains(const struct vw_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return true;
	return false;
}

void vw_strv_free(struct vw_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

int vw_set_str(char **dst, const char *value)
{
	char *s = strdup(value);

	if (!s)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

bool vw_valid_section_name(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

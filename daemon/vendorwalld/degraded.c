// SPDX-License-Identifier: GPL-2.0-only
/* The keyed set of degraded conditions (see degraded.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "degraded.h"

static struct vwd_degraded_entry *find(const struct vwd_degraded *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].key, key))
			return &s->v[i];
	return NULL;
}

const struct vwd_degraded_entry *vwd_degraded_get(const struct vwd_degraded *s, const char *key)
{
	return find(s, key);
}

int vwd_degraded_set(struct vwd_degraded *s, const char *key, const char *detail)
{
	struct vwd_degraded_entry *e = find(s, key);
	char *d = strdup(detail), *k;

	if (!d)
		return -ENOMEM;
	if (e) {
		free(e->detail);
		e->detail = d;
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		struct vwd_degraded_entry *v = realloc(s->v, cap * sizeof(*v));

		if (!v) {
			free(d);
			return -ENOMEM;
		}
		s->v = v;
		s->cap = cap;
	}
	k = strdup(key);
	if (!k) {
		free(d);
		return -ENOMEM;
	}
	s->v[s->n++] = (struct vwd_degraded_entry){ .key = k, .detail = d };
	return 1;
}

int vwd_degraded_clear(struct vwd_degraded *s, const char *key)
{
	struct vwd_degraded_entry *e = find(s, key);

	if (!e)
		return 0;
	free(e->key);
	free(e->detail);
	/* Keep the order entries appeared in: status lists them that way. */
	memmove(e, e + 1, (size_t)(s->v + s->n - (e + 1)) * sizeof(*e));
	s->n--;
	return 1;
}

void vwd_degraded_free(struct vwd_degraded *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].key);
		free(s->v[i].detail);
	}
	free(s->v);
	*s = (struct vwd_degraded){0};
}

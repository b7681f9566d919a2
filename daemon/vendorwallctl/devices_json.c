// SPDX-License-Identifier: GPL-2.0-only
/* devices --json, page by page (see devices_json.h). Merging 100 pages into
 * one json-c tree cost ~2 KiB of small allocations per device (an object's
 * hash table, three arrays of 32 slots) and a sort whose every comparison
 * looked up two keys by name: most of the command's time. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "devices_json.h"

#define FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

struct dev_text {
	int64_t last_seen;
	char mac[32];
	size_t off, len;     /* in the text buffer */
};

struct listing {
	struct dev_text *v;
	size_t n, cap;
	char *text;
	size_t used, size;
};

/* Most recently seen first, then by MAC: vendorwallctl's order. */
static int by_last_seen(const void *a, const void *b)
{
	const struct dev_text *x = a, *y = b;

	if (x->last_seen != y->last_seen)
		return x->last_seen > y->last_seen ? -1 : 1;
	return strcmp(x->mac, y->mac);
}

static int keep(struct listing *l, struct json_object *dev)
{
	struct json_object *m = NULL, *t = NULL;
	const char *mac = "-";
	size_t len;
	const char *s = json_object_to_json_string_length(dev, FLAGS, &len);

	if (!s)
		return -ENOMEM;
	if (json_object_object_get_ex(dev, "mac", &m) && json_object_is_type(m, json_type_string))
		mac = json_object_get_string(m);
	if (strlen(mac) >= sizeof(l->v[0].mac))
		return -EBADMSG;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4096;
		struct dev_text *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	if (l->used + len > l->size) {
		size_t size = l->size ? l->size * 2 : 1u << 20;
		char *p;

		while (size < l->used + len)
			size *= 2;
		p = realloc(l->text, size);
		if (!p)
			return -ENOMEM;
		l->text = p;
		l->size = size;
	}
	memcpy(l->text + l->used, s, len);
	l->v[l->n] = (struct dev_text){
		.last_seen = json_object_object_get_ex(dev, "last_seen", &t) && t ? json_object_get_int64(t) : 0,
		.off = l->used, .len = len,
	};
	strcpy(l->v[l->n++].mac, mac);
	l->used += len;
	return 0;
}

/* Keeps the page's devices; *next = its cursor ("" on the last page). */
static int take_page(struct listing *l, struct json_object *result, char *next, size_t size)
{
	struct json_object *devs = NULL, *n = NULL;
	int r;

	if (!json_object_object_get_ex(result, "devices", &devs) ||
	    !json_object_is_type(devs, json_type_array))
		return -EBADMSG;
	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		r = keep(l, json_object_array_get_idx(devs, i));
		if (r)
			return r;
	}
	*next = '\0';
	if (!json_object_object_get_ex(result, "next", &n))
		return 0;
	if (!json_object_is_type(n, json_type_string) || (size_t)json_object_get_string_len(n) >= size ||
	    !json_object_get_string_len(n))
		return -EBADMSG;
	snprintf(next, size, "%s", json_object_get_string(n));
	return 0;
}

/* The first page's result, its devices replaced by the whole sorted list:
 * the daemon puts "devices" first, so its text starts {"devices":[]. */
static int write_all(struct listing *l, struct json_object *first, FILE *out)
{
	static const char head[] = "{\"devices\":[";
	const char *rest;

	json_object_object_del(first, "next");
	if (json_object_object_add(first, "devices", json_object_new_array()) < 0)
		return -ENOMEM;
	rest = json_object_to_json_string_ext(first, FLAGS);
	if (!rest || strncmp(rest, head, sizeof(head) - 1) || rest[sizeof(head) - 1] != ']')
		return -EBADMSG;
	qsort(l->v, l->n, sizeof(*l->v), by_last_seen);
	fputs(head, out);
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			fputc(',', out);
		fwrite(l->text + l->v[i].off, 1, l->v[i].len, out);
	}
	fputs(rest + sizeof(head) - 1, out);
	fputc('\n', out);
	return 0;
}

/* One page; an error envelope goes to *resp as the answer (-EREMOTEIO). */
static int call_page(const char *socket, struct json_object *a, int timeout_ms,
		     struct json_object **page, struct json_object **result, struct json_object **resp)
{
	const char *code, *message;
	int r = vw_control_call(socket, "devices", a, timeout_ms, page);

	if (r)
		return r;
	r = vw_control_response(*page, result, &code, &message);
	if (r == -EBADMSG || (!r && !*result))
		return -EBADMSG;
	if (r < 0) {
		*resp = *page;
		*page = NULL;
		return -EREMOTEIO;
	}
	return 0;
}

int vw_ctl_devices_json(const char *socket, struct json_object *args, int timeout_ms,
			FILE *out, struct json_object **resp)
{
	struct json_object *a = NULL, *first = NULL, *page = NULL, *result;
	struct listing l = { 0 };
	char next[64], prev[64] = "";
	int r;

	*resp = NULL;
	if (args && json_object_deep_copy(args, &a, NULL) < 0)
		return -ENOMEM;
	if (!a && !(a = json_object_new_object()))
		return -ENOMEM;
	for (;;) {
		r = call_page(socket, a, timeout_ms, &page, &result, resp);
		r = r ?: take_page(&l, result, next, sizeof(next));
		if (r)
			break;
		if (!first)
			first = json_object_get(result);
		json_object_put(page);
		page = NULL;
		if (!*next)
			break;
		/* Cursors only go forward; a daemon that repeats one would
		 * keep us here for ever. */
		if (*prev && strcmp(next, prev) <= 0) {
			r = -EBADMSG;
			break;
		}
		snprintf(prev, sizeof(prev), "%s", next);
		if (json_object_object_add(a, "after", json_object_new_string(next)) < 0) {
			r = -ENOMEM;
			break;
		}
	}
	if (!r)
		r = write_all(&l, first, out);
	json_object_put(page);
	json_object_put(first);
	json_object_put(a);
	free(l.v);
	free(l.text);
	return r;
}

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
	struct json_object *first;   /* the first page's result */
	struct json_object **resp;   /* an error envelope, the answer */
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

/* A vw_control_page_fn: keeps the page's devices; an error envelope goes
 * to *l->resp as the answer (-EREMOTEIO). */
static int take_page(void *ctx, struct json_object *page)
{
	struct listing *l = ctx;
	struct json_object *result, *devs = NULL;
	const char *code, *message;
	int r = vw_control_response(page, &result, &code, &message);

	if (r == -EBADMSG || (!r && !result))
		return -EBADMSG;
	if (r < 0) {
		*l->resp = json_object_get(page);
		return -EREMOTEIO;
	}
	if (!json_object_object_get_ex(result, "devices", &devs) ||
	    !json_object_is_type(devs, json_type_array))
		return -EBADMSG;
	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		r = keep(l, json_object_array_get_idx(devs, i));
		if (r)
			return r;
	}
	if (!l->first)
		l->first = json_object_get(result);
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

int vw_ctl_devices_json(const char *socket, struct json_object *args, int timeout_ms,
			FILE *out, struct json_object **resp)
{
	struct listing l = { .resp = resp };
	int r;

	*resp = NULL;
	r = vw_control_each_page(socket, "devices", args, timeout_ms, take_page, &l);
	if (!r)
		r = write_all(&l, l.first, out);
	json_object_put(l.first);
	free(l.v);
	free(l.text);
	return r;
}

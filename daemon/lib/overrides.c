// SPDX-License-Identifier: GPL-2.0-only
/* Operator mode overrides per segment, persisted as JSON in StateDirectory. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "config.h"
#include "overrides.h"

/* A corrupt file may be anything; more than this is not ours. */
#define OVERRIDES_MAX_BYTES (64u << 20)

static int read_all(FILE *f, char **text, size_t *len)
{
	size_t cap = 0, n = 0, got;
	char *buf = NULL, *tmp;

	do {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 16384;
			if (cap > OVERRIDES_MAX_BYTES + 1) {
				free(buf);
				return -EFBIG;
			}
			tmp = realloc(buf, cap);
			if (!tmp) {
				free(buf);
				return -ENOMEM;
			}
			buf = tmp;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		free(buf);
		return -EIO;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

static void decision_free(struct vw_mac_decision *d)
{
	free(d->reason);
	free(d->ticket);
}

void vw_overrides_free(struct vw_overrides *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->v[i].segment);
	free(o->v);
	for (size_t i = 0; i < o->n_waivers; i++)
		decision_free(&o->waivers[i]);
	free(o->waivers);
	for (size_t i = 0; i < o->n_quarantines; i++)
		decision_free(&o->quarantines[i]);
	free(o->quarantines);
	memset(o, 0, sizeof(*o));
}

struct vw_mac_decision *vw_overrides_find(struct vw_mac_decision *list, size_t n,
					  const uint8_t mac[6])
{
	for (size_t i = 0; i < n; i++)
		if (!memcmp(list[i].mac, mac, 6))
			return &list[i];
	return NULL;
}

int vw_overrides_put(struct vw_mac_decision **list, size_t *n, const struct vw_mac_decision *d)
{
	struct vw_mac_decision copy = *d, *cur, *tmp;

	copy.reason = d->reason ? strdup(d->reason) : NULL;
	copy.ticket = d->ticket ? strdup(d->ticket) : NULL;
	if ((d->reason && !copy.reason) || (d->ticket && !copy.ticket)) {
		decision_free(&copy);
		return -ENOMEM;
	}
	cur = vw_overrides_find(*list, *n, d->mac);
	if (!cur) {
		tmp = realloc(*list, (*n + 1) * sizeof(*tmp));
		if (!tmp) {
			decision_free(&copy);
			return -ENOMEM;
		}
		*list = tmp;
		cur = &tmp[(*n)++];
	} else {
		decision_free(cur);
	}
	*cur = copy;
	return 0;
}

int vw_overrides_drop(struct vw_mac_decision *list, size_t *n, const uint8_t mac[6])
{
	struct vw_mac_decision *d = vw_overrides_find(list, *n, mac);

	if (!d)
		return -ENOENT;
	decision_free(d);
	*d = list[--*n];
	return 0;
}

/* ---- loading: every value is type-checked, an error names the entry ---- */

struct load_ctx {
	const char *name;       /* the file, for messages */
	struct vw_diag *diag;   /* may be NULL */
};

static const char *type_word(struct json_object *v)
{
	return v ? json_type_to_name(json_object_get_type(v)) : "null";
}

/* -EBADMSG with "file: where: expected what, got type". */
static int bad(const struct load_ctx *lc, const char *where, const char *what,
	       struct json_object *got)
{
	if (lc->diag)
		vw_diag_add(lc->diag, lc->name, 0, "%s: expected %s, got %s",
			    where, what, type_word(got));
	return -EBADMSG;
}

/* Optional integer member KEY of E in [lo, hi]; absent leaves *out alone. */
static int get_int(const struct load_ctx *lc, struct json_object *e, const char *where,
		   const char *key, int64_t lo, int64_t hi, int64_t *out)
{
	struct json_object *v;
	char at[256];
	int64_t x;

	if (!json_object_object_get_ex(e, key, &v))
		return 0;
	snprintf(at, sizeof(at), "%s.%s", where, key);
	if (!json_object_is_type(v, json_type_int))
		return bad(lc, at, "an integer", v);
	errno = 0;
	x = json_object_get_int64(v);
	if (errno || x < lo || x > hi) {
		if (lc->diag)
			vw_diag_add(lc->diag, lc->name, 0, "%s: %s out of range",
				    at, json_object_get_string(v));
		return -EBADMSG;
	}
	*out = x;
	return 0;
}

/* Member KEY of E as a string; absent is NULL unless required. */
static int get_str(const struct load_ctx *lc, struct json_object *e, const char *where,
		   const char *key, bool required, const char **out)
{
	struct json_object *v;
	char at[256];

	*out = NULL;
	snprintf(at, sizeof(at), "%s.%s", where, key);
	if (!json_object_object_get_ex(e, key, &v)) {
		if (!required)
			return 0;
		if (lc->diag)
			vw_diag_add(lc->diag, lc->name, 0, "%s: required", at);
		return -EBADMSG;
	}
	if (!json_object_is_type(v, json_type_string))
		return bad(lc, at, "a string", v);
	*out = json_object_get_string(v);
	return 0;
}

static int load_decision(const struct load_ctx *lc, struct json_object *e, const char *where,
			 struct vw_mac_decision *d)
{
	const char *mac, *reason = NULL, *ticket = NULL;
	int64_t uid = 0;
	int err;

	if (!json_object_is_type(e, json_type_object))
		return bad(lc, where, "an object", e);
	err = get_str(lc, e, where, "mac", true, &mac);
	if (err)
		return err;
	if (vw_parse_mac(mac, d->mac) < 0) {
		if (lc->diag)
			vw_diag_add(lc->diag, lc->name, 0, "%s.mac: \"%.64s\" is not a MAC address",
				    where, mac);
		return -EBADMSG;
	}
	err = get_int(lc, e, where, "until", INT64_MIN, INT64_MAX, &d->until);
	if (!err)
		err = get_int(lc, e, where, "since", INT64_MIN, INT64_MAX, &d->since);
	if (!err)
		err = get_int(lc, e, where, "uid", 0, UINT32_MAX, &uid);
	if (!err)
		err = get_str(lc, e, where, "reason", false, &reason);
	if (!err)
		err = get_str(lc, e, where, "ticket", false, &ticket);
	d->uid = (uint32_t)uid;
	/* Our own copies: json-c's strings are not ours to hand out. */
	if (!err && reason && !(d->reason = strdup(reason)))
		err = -ENOMEM;
	if (!err && ticket && !(d->ticket = strdup(ticket)))
		err = -ENOMEM;
	return err;
}

static int load_decisions(const struct load_ctx *lc, struct json_object *root, const char *key,
			  struct vw_mac_decision **list, size_t *n)
{
	struct json_object *arr;

	if (!json_object_object_get_ex(root, key, &arr))
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return bad(lc, key, "an array", arr);
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct vw_mac_decision d = {0};   /* strings copied; put copies again */
		char where[64];
		int err;

		snprintf(where, sizeof(where), "%s[%zu]", key, i);
		err = load_decision(lc, json_object_array_get_idx(arr, i), where, &d);
		if (!err)
			err = vw_overrides_put(list, n, &d);
		free(d.reason);
		free(d.ticket);
		if (err)
			return err;
	}
	return 0;
}

static struct json_object *save_decisions(const struct vw_mac_decision *list, size_t n)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr && i < n; i++) {
		struct json_object *e = json_object_new_object();
		char mac[VW_MAC_STRLEN];

		vw_format_mac(list[i].mac, mac);
		json_object_object_add(e, "mac", json_object_new_string(mac));
		json_object_object_add(e, "until", json_object_new_int64(list[i].until));
		json_object_object_add(e, "since", json_object_new_int64(list[i].since));
		json_object_object_add(e, "uid", json_object_new_int64(list[i].uid));
		if (list[i].reason)
			json_object_object_add(e, "reason", json_object_new_string(list[i].reason));
		if (list[i].ticket)
			json_object_object_add(e, "ticket", json_object_new_string(list[i].ticket));
		json_object_array_add(arr, e);
	}
	return arr;
}

static ssize_t override_index(const struct vw_overrides *o, const char *segment)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->v[i].segment, segment))
			return (ssize_t)i;
	return -1;
}

const struct vw_mode_override *vw_overrides_get(const struct vw_overrides *o,
						const char *segment)
{
	ssize_t i = override_index(o, segment);

	return i < 0 ? NULL : &o->v[i];
}

void vw_overrides_remove(struct vw_overrides *o, const char *segment)
{
	for (size_t i = 0; i < o->n; i++) {
		if (strcmp(o->v[i].segment, segment))
			continue;
		free(o->v[i].segment);
		o->v[i] = o->v[--o->n];
		return;
	}
}

int vw_overrides_set(struct vw_overrides *o, const char *segment, uint8_t mode,
		     uint8_t configured, int64_t since, uint32_t uid)
{
	ssize_t at = override_index(o, segment);
	struct vw_mode_override *cur = at < 0 ? NULL : &o->v[at];
	struct vw_mode_override *tmp;

	if (!cur) {
		tmp = realloc(o->v, (o->n + 1) * sizeof(*tmp));
		if (!tmp)
			return -ENOMEM;
		o->v = tmp;
		cur = &o->v[o->n];
		cur->segment = strdup(segment);
		if (!cur->segment)
			return -ENOMEM;
		o->n++;
	}
	cur->mode = mode;
	cur->configured = configured;
	cur->since = since;
	cur->uid = uid;
	return 0;
}

uint8_t vw_overrides_effective(const struct vw_overrides *o, const char *segment,
			       uint8_t configured)
{
	const struct vw_mode_override *ov = vw_overrides_get(o, segment);

	return ov && ov->configured == configured ? ov->mode : configured;
}

static int load_mode(const struct load_ctx *lc, struct vw_overrides *o, const char *segment,
		     struct json_object *val)
{
	const char *mode, *conf;
	int64_t since = 0, uid = 0;
	char where[160];
	int m, c, err;

	snprintf(where, sizeof(where), "modes.%.128s", segment);
	if (!json_object_is_type(val, json_type_object))
		return bad(lc, where, "an object", val);
	err = get_str(lc, val, where, "mode", true, &mode);
	if (!err)
		err = get_str(lc, val, where, "configured", true, &conf);
	if (!err)
		err = get_int(lc, val, where, "since", INT64_MIN, INT64_MAX, &since);
	if (!err)
		err = get_int(lc, val, where, "uid", 0, UINT32_MAX, &uid);
	if (err)
		return err;
	m = vw_mode_from_name(mode);
	c = vw_mode_from_name(conf);
	if (m < 0 || c < 0) {
		if (lc->diag)
			vw_diag_add(lc->diag, lc->name, 0, "%s.%s: \"%.32s\" is not off, monitor or block",
				    where, m < 0 ? "mode" : "configured", m < 0 ? mode : conf);
		return -EBADMSG;
	}
	return vw_overrides_set(o, segment, m, c, since, (uint32_t)uid);
}

static int load_root(const struct load_ctx *lc, struct vw_overrides *o, struct json_object *root)
{
	struct json_object *modes;
	int err = 0;

	if (!json_object_is_type(root, json_type_object))
		return bad(lc, "top level", "an object", root);
	if (!json_object_object_get_ex(root, "modes", &modes)) {
		if (lc->diag)
			vw_diag_add(lc->diag, lc->name, 0, "modes: required");
		return -EBADMSG;
	}
	if (!json_object_is_type(modes, json_type_object))
		return bad(lc, "modes", "an object", modes);
	json_object_object_foreach(modes, segment, val) {
		err = load_mode(lc, o, segment, val);
		if (err)
			return err;
	}
	err = load_decisions(lc, root, "waivers", &o->waivers, &o->n_waivers);
	if (!err)
		err = load_decisions(lc, root, "quarantines", &o->quarantines, &o->n_quarantines);
	return err;
}

int vw_overrides_parse(struct vw_overrides *o, const char *text, size_t len, const char *name,
		       struct vw_diag *diag)
{
	const struct load_ctx lc = { .name = name ? name : "operator.json", .diag = diag };
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error jerr;
	size_t end;
	int err;

	memset(o, 0, sizeof(*o));
	if (len > INT_MAX - 1)
		return -EFBIG;
	/* The file is ours, but a disk or a human may have damaged it: a
	 * depth limit keeps a pathological one from exhausting the stack. */
	tok = json_tokener_new_ex(16);
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (!root && jerr == json_tokener_continue) {
		/* A top-level literal ends only at a delimiter: give it one.
		 * Whatever is still incomplete after that is cut off. */
		root = json_tokener_parse_ex(tok, " ", 1);
		jerr = json_tokener_get_error(tok);
		if (jerr == json_tokener_continue)
			jerr = json_tokener_error_parse_eof;
		end = len;
	}
	while (end < len && text[end] && strchr(" \t\r\n", text[end]))
		end++;
	json_tokener_free(tok);
	if (jerr != json_tokener_success || end < len) {
		if (diag)
			vw_diag_add(diag, lc.name, 0, "not a JSON document (%s)",
				    jerr != json_tokener_success ? json_tokener_error_desc(jerr) :
				    "trailing data after the value");
		json_object_put(root);
		return -EBADMSG;
	}
	err = load_root(&lc, o, root);
	json_object_put(root);
	if (err)
		vw_overrides_free(o);
	return err;
}

int vw_overrides_load(struct vw_overrides *o, const char *path, struct vw_diag *diag)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	memset(o, 0, sizeof(*o));
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	err = read_all(f, &text, &len);
	fclose(f);
	if (!err)
		err = vw_overrides_parse(o, text, len, path, diag);
	else if (diag)
		vw_diag_add(diag, path, 0, "%s", strerror(-err));
	free(text);
	return err;
}

/* The rename is only durable once the directory holding it is: without
 * this, a power cut after an answered command can bring back the old file. */
static int sync_dir(const char *path)
{
	char dir[4096];
	char *slash;
	int fd, err = 0;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		err = -errno;
	close(fd);
	return err;
}

int vw_overrides_save(const struct vw_overrides *o, const char *path)
{
	struct json_object *root = json_object_new_object();
	struct json_object *modes = json_object_new_object();
	char tmp[4096];
	const char *text;
	int fd, err = 0;
	size_t len;

	if (!root || !modes) {
		json_object_put(root);
		json_object_put(modes);
		return -ENOMEM;
	}
	json_object_object_add(root, "modes", modes);
	for (size_t i = 0; i < o->n; i++) {
		struct json_object *e = json_object_new_object();

		if (!e) {
			err = -ENOMEM;
			goto out;
		}
		json_object_object_add(e, "mode", json_object_new_string(vw_mode_name(o->v[i].mode)));
		json_object_object_add(e, "configured",
				       json_object_new_string(vw_mode_name(o->v[i].configured)));
		json_object_object_add(e, "since", json_object_new_int64(o->v[i].since));
		json_object_object_add(e, "uid", json_object_new_int64(o->v[i].uid));
		json_object_object_add(modes, o->v[i].segment, e);
	}
	json_object_object_add(root, "waivers", save_decisions(o->waivers, o->n_waivers));
	json_object_object_add(root, "quarantines",
			       save_decisions(o->quarantines, o->n_quarantines));
	text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY);
	len = strlen(text);
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		err = -ENAMETOOLONG;
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	errno = 0;
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd) < 0)
		err = errno ? -errno : -ENOSPC;   /* a short write: the disk is full */
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	else
		err = sync_dir(path);
out:
	json_object_put(root);
	return err;
}

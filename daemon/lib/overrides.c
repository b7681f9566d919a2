// SPDX-License-Identifier: GPL-2.0-only
/* Operator mode overrides per segment, persisted as JSON in StateDirectory. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "config.h"
#include "overrides.h"

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

static int load_decisions(struct json_object *root, const char *key,
			  struct vw_mac_decision **list, size_t *n)
{
	struct json_object *arr;

	if (!json_object_object_get_ex(root, key, &arr))
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return -EBADMSG;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *e = json_object_array_get_idx(arr, i), *v;
		struct vw_mac_decision d = {0};
		int err;

		if (!json_object_object_get_ex(e, "mac", &v) ||
		    vw_parse_mac(json_object_get_string(v), d.mac) < 0)
			return -EBADMSG;
		if (json_object_object_get_ex(e, "until", &v))
			d.until = json_object_get_int64(v);
		if (json_object_object_get_ex(e, "since", &v))
			d.since = json_object_get_int64(v);
		if (json_object_object_get_ex(e, "uid", &v))
			d.uid = (uint32_t)json_object_get_int64(v);
		/* Our own copies: json-c's strings are not ours to hand out. */
		if (json_object_object_get_ex(e, "reason", &v) && json_object_get_string(v))
			d.reason = strdup(json_object_get_string(v));
		if (json_object_object_get_ex(e, "ticket", &v) && json_object_get_string(v))
			d.ticket = strdup(json_object_get_string(v));
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

int vw_overrides_load(struct vw_overrides *o, const char *path)
{
	struct json_object *root, *modes;
	int err = 0;

	memset(o, 0, sizeof(*o));
	if (access(path, F_OK) < 0)
		return errno == ENOENT ? 0 : -errno;
	root = json_object_from_file(path);
	if (!root || !json_object_object_get_ex(root, "modes", &modes) ||
	    !json_object_is_type(modes, json_type_object)) {
		json_object_put(root);
		return -EBADMSG;
	}
	json_object_object_foreach(modes, name, val) {
		struct json_object *m, *c, *s, *u;
		int mode, conf;

		if (!json_object_object_get_ex(val, "mode", &m) ||
		    !json_object_object_get_ex(val, "configured", &c)) {
			err = -EBADMSG;
			break;
		}
		mode = vw_mode_from_name(json_object_get_string(m));
		conf = vw_mode_from_name(json_object_get_string(c));
		if (mode < 0 || conf < 0) {
			err = -EBADMSG;
			break;
		}
		err = vw_overrides_set(o, name, mode, conf,
				       json_object_object_get_ex(val, "since", &s) ?
				       json_object_get_int64(s) : 0,
				       json_object_object_get_ex(val, "uid", &u) ?
				       (uint32_t)json_object_get_int64(u) : 0);
		if (err)
			break;
	}
	if (!err)
		err = load_decisions(root, "waivers", &o->waivers, &o->n_waivers);
	if (!err)
		err = load_decisions(root, "quarantines", &o->quarantines, &o->n_quarantines);
	json_object_put(root);
	if (err)
		vw_overrides_free(o);
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
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd) < 0)
		err = errno ? -errno : -EIO;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
out:
	json_object_put(root);
	return err;
}

// SPDX-License-Identifier: GPL-2.0-only
/* The control protocol's client side and the argument validators that handlers share. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "control.h"
#include "mac.h"

int vw_control_addr(struct sockaddr_un *sa, const char *path)
{
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	*sa = (struct sockaddr_un){ .sun_family = AF_UNIX };
	strcpy(sa->sun_path, path);
	return 0;
}

/* ---- client ------------------------------------------------------------ */

/* Waits for fd to become readable within the remaining time. */
static int wait_readable(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n;

	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == 0 ? -ETIMEDOUT : 0;
}

int vw_control_call(const char *path, const char *command, struct json_object *args,
		    int timeout_ms, struct json_object **response)
{
	struct json_object *req = json_object_new_object(), *resp = NULL;
	struct sockaddr_un sa;
	const char *s;
	char *buf = NULL;
	size_t len;
	ssize_t n;
	int fd = -1, r;

	*response = NULL;
	if (!req) {
		r = -ENOMEM;
		goto out;
	}
	r = vw_control_addr(&sa, path);
	if (r < 0)
		goto out;
	if (json_object_object_add(req, "command", json_object_new_string(command)) < 0 ||
	    (args && json_object_object_add(req, "args", json_object_get(args)) < 0)) {
		r = -ENOMEM;
		goto out;
	}
	s = json_object_to_json_string_length(req, JSON_C_TO_STRING_PLAIN, &len);
	if (!s) {
		r = -ENOMEM;
		goto out;
	}
	if (len > VW_CONTROL_MAX_REQUEST) {
		r = -EMSGSIZE;
		goto out;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    send(fd, s, len, MSG_NOSIGNAL) < 0) {
		r = -errno;
		goto out;
	}
	r = wait_readable(fd, timeout_ms);
	if (r < 0)
		goto out;
	/* Learn the size first: responses may be far larger than requests. */
	n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
	if (n < 0) {
		r = errno == ECONNRESET || errno == EPIPE ? -ECONNRESET : -errno;
		goto out;
	}
	if (n == 0) {
		r = -ECONNRESET;
		goto out;
	}
	buf = malloc((size_t)n + 1);
	if (!buf) {
		r = -ENOMEM;
		goto out;
	}
	n = recv(fd, buf, (size_t)n, MSG_DONTWAIT);
	if (n <= 0) {
		r = n < 0 ? -errno : -ECONNRESET;
		goto out;
	}
	buf[n] = '\0';
	resp = json_tokener_parse(buf);
	if (!resp || !json_object_is_type(resp, json_type_object)) {
		r = -EBADMSG;
		goto out;
	}
	*response = resp;
	resp = NULL;
	r = 0;
out:
	json_object_put(resp);
	json_object_put(req);
	free(buf);
	if (fd >= 0)
		close(fd);
	return r;
}

static struct json_object *ok_result(struct json_object *response)
{
	struct json_object *ok, *result;

	if (!json_object_object_get_ex(response, "ok", &ok) || !json_object_get_boolean(ok) ||
	    !json_object_object_get_ex(response, "result", &result))
		return NULL;
	return result;
}

/* Moves page's array under key to the end of all's. */
static int append_page(struct json_object *all, struct json_object *page, const char *key)
{
	struct json_object *dst, *src;

	if (!json_object_object_get_ex(all, key, &dst) || !json_object_object_get_ex(page, key, &src) ||
	    !json_object_is_type(dst, json_type_array) || !json_object_is_type(src, json_type_array))
		return -EBADMSG;
	for (size_t i = 0; i < json_object_array_length(src); i++)
		if (json_object_array_add(dst, json_object_get(json_object_array_get_idx(src, i))) < 0)
			return -ENOMEM;
	return 0;
}

/* The cursor of the next page, copied into next; 0 when this was the last. */
static int page_next(struct json_object *response, char *next, size_t size)
{
	struct json_object *result = ok_result(response), *n;

	if (!result || !json_object_object_get_ex(result, "next", &n))
		return 0;
	if (!json_object_is_type(n, json_type_string) || !json_object_get_string_len(n) ||
	    (size_t)json_object_get_string_len(n) >= size)
		return -EBADMSG;
	snprintf(next, size, "%s", json_object_get_string(n));
	return 1;
}

int vw_control_each_page(const char *path, const char *command, struct json_object *args,
			 int timeout_ms, vw_control_page_fn *page, void *ctx)
{
	struct json_object *a = NULL, *resp = NULL;
	char next[64], prev[64] = "";
	int r;

	if (args && json_object_deep_copy(args, &a, NULL) < 0)
		return -ENOMEM;
	if (!a && !(a = json_object_new_object()))
		return -ENOMEM;
	for (;;) {
		r = vw_control_call(path, command, a, timeout_ms, &resp);
		r = r ?: page(ctx, resp);
		r = r ?: page_next(resp, next, sizeof(next));
		json_object_put(resp);
		resp = NULL;
		if (r <= 0)
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
	json_object_put(a);
	return r;
}

struct merged {
	struct json_object *all;
	const char *key;
};

/* The first response as it came with every later page's array appended;
 * an error envelope replaces it (it is the answer, and the last page). */
static int merge_page(void *ctx, struct json_object *response)
{
	struct merged *m = ctx;

	if (m->all && ok_result(response))
		return append_page(ok_result(m->all), ok_result(response), m->key);
	json_object_put(m->all);
	m->all = json_object_get(response);
	return 0;
}

int vw_control_call_pages(const char *path, const char *command, struct json_object *args,
			  const char *key, int timeout_ms, struct json_object **response)
{
	struct merged m = { .key = key };
	int r = vw_control_each_page(path, command, args, timeout_ms, merge_page, &m);

	*response = NULL;
	if (r < 0) {
		json_object_put(m.all);
		return r;
	}
	if (ok_result(m.all))
		json_object_object_del(ok_result(m.all), "next");
	*response = m.all;
	return 0;
}

static int errno_from_code(const char *code)
{
	/* The codes a daemon sends are errno names; map back the ones
	 * strerrorname_np knows, by asking it. */
	for (int e = 1; e < 134; e++) {
		const char *name = strerrorname_np(e);

		if (name && !strcmp(name, code))
			return -e;
	}
	return -EIO;
}

int vw_control_response(struct json_object *response, struct json_object **result,
			const char **code, const char **message)
{
	struct json_object *ok, *err, *c, *m;

	*result = NULL;
	*code = *message = NULL;
	if (!json_object_object_get_ex(response, "ok", &ok) || !json_object_is_type(ok, json_type_boolean))
		return -EBADMSG;
	if (json_object_get_boolean(ok)) {
		json_object_object_get_ex(response, "result", result);
		return 0;
	}
	if (!json_object_object_get_ex(response, "error", &err) ||
	    !json_object_object_get_ex(err, "code", &c) || !json_object_is_type(c, json_type_string) ||
	    !json_object_object_get_ex(err, "message", &m) || !json_object_is_type(m, json_type_string))
		return -EBADMSG;
	*code = json_object_get_string(c);
	*message = json_object_get_string(m);
	return errno_from_code(*code);
}

/* ---- validators -------------------------------------------------------- */

static int arg_error(char **errmsg, const char *key, const char *what)
{
	if (asprintf(errmsg, "args.%s: %s", key, what) < 0) {
		*errmsg = NULL;
		return -ENOMEM;
	}
	return -EINVAL;
}

/* 1 with *v set, 0 when absent (or null) and optional, -errno otherwise. */
static int arg_lookup(struct json_object *args, const char *key, bool required,
		      struct json_object **v, char **errmsg)
{
	if (!args || !json_object_object_get_ex(args, key, v) || !*v)
		return required ? arg_error(errmsg, key, "required") : 0;
	return 1;
}

int vw_json_get_string(struct json_object *args, const char *key, bool required,
		       const char **out, char **errmsg)
{
	struct json_object *v;
	int r = arg_lookup(args, key, required, &v, errmsg);

	if (r <= 0)
		return r;
	if (!json_object_is_type(v, json_type_string))
		return arg_error(errmsg, key, "expected a string");
	*out = json_object_get_string(v);
	return 0;
}

int vw_json_get_int(struct json_object *args, const char *key, bool required,
		    int64_t min, int64_t max, int64_t *out, char **errmsg)
{
	struct json_object *v;
	char what[96];
	int64_t i;
	int r = arg_lookup(args, key, required, &v, errmsg);

	if (r <= 0)
		return r;
	if (!json_object_is_type(v, json_type_int))
		return arg_error(errmsg, key, "expected an integer");
	errno = 0;
	i = json_object_get_int64(v);
	/* json-c saturates what does not fit; errno tells. */
	if (errno || i < min || i > max) {
		snprintf(what, sizeof(what), "expected an integer in %" PRId64 "..%" PRId64, min, max);
		return arg_error(errmsg, key, what);
	}
	*out = i;
	return 0;
}

int vw_json_get_bool(struct json_object *args, const char *key, bool required,
		     bool *out, char **errmsg)
{
	struct json_object *v;
	int r = arg_lookup(args, key, required, &v, errmsg);

	if (r <= 0)
		return r;
	if (!json_object_is_type(v, json_type_boolean))
		return arg_error(errmsg, key, "expected true or false");
	*out = json_object_get_boolean(v);
	return 0;
}

int vw_json_get_enum(struct json_object *args, const char *key, bool required,
		     const char *const *names, size_t n, int *out, char **errmsg)
{
	struct json_object *v;
	char what[256] = "expected one of ";
	size_t off = strlen(what);
	int r = arg_lookup(args, key, required, &v, errmsg);

	if (r <= 0)
		return r;
	if (json_object_is_type(v, json_type_string))
		for (size_t i = 0; i < n; i++)
			if (!strcmp(names[i], json_object_get_string(v))) {
				*out = (int)i;
				return 0;
			}
	for (size_t i = 0; i < n && off < sizeof(what); i++)
		off += snprintf(what + off, sizeof(what) - off, "%s%s", i ? ", " : "", names[i]);
	return arg_error(errmsg, key, what);
}

int vw_json_get_mac(struct json_object *args, const char *key, bool required,
		    uint8_t mac[6], char **errmsg)
{
	struct json_object *v;
	int r = arg_lookup(args, key, required, &v, errmsg);

	if (r <= 0)
		return r;
	if (!json_object_is_type(v, json_type_string) || vw_parse_mac(json_object_get_string(v), mac) < 0)
		return arg_error(errmsg, key, "expected a MAC address like 00:e0:fc:12:34:56");
	return 0;
}

int vw_json_check_keys(struct json_object *args, const char *const *allowed, char **errmsg)
{
	json_object_object_foreach(args, key, val) {
		size_t i;

		(void)val;
		for (i = 0; allowed[i] && strcmp(allowed[i], key); i++)
			;
		if (!allowed[i])
			return arg_error(errmsg, key, "unknown argument");
	}
	return 0;
}


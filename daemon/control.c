// SPDX-License-Identifier: GPL-2.0-only
/* Serves the control socket on sd-event: credentials, framing, JSON envelope, audit; plus its client and validators. */
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
#include "config.h"
#include "control.h"

struct conn {
	struct vw_control *ctl;
	struct conn *next, **pprev;
	int fd;
	sd_event_source *io;
	sd_event_source *timer;
	struct vw_caller caller;
	/* A response the client has not taken yet; while it is pending no new
	 * request is read, so one client holds at most one response. */
	char *out;
	size_t out_len;
	bool close_after;   /* the response ends the connection */
};

struct vw_control {
	sd_event *loop;
	int fd;
	sd_event_source *io;
	char *path;
	bool have_group;
	gid_t gid;
	const struct vw_control_command *cmds;
	size_t n_cmds;
	vw_control_audit_fn audit;
	void *ctx;
	uint64_t idle_usec;
	unsigned max_clients;
	struct conn *conns;
	size_t n_conns;
	size_t n_unpriv;   /* of n_conns, callers who will only be refused */
	/* Requests are handled one at a time, so one buffer serves all. */
	char buf[VW_CONTROL_MAX_REQUEST + 1];
};

/* ---- responses --------------------------------------------------------- */

static const char *errno_code(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "EIO";
}

/* Builds the error envelope; the message defaults to strerror. */
static struct json_object *error_envelope(int err, const char *message)
{
	struct json_object *resp = json_object_new_object(), *e = json_object_new_object();

	if (!resp || !e)
		goto fail;
	if (json_object_object_add(e, "code", json_object_new_string(errno_code(-err))) < 0 ||
	    json_object_object_add(e, "message",
				   json_object_new_string(message ? message : strerror(-err))) < 0)
		goto fail;
	if (json_object_object_add(resp, "ok", json_object_new_boolean(0)) < 0)
		goto fail;
	if (json_object_object_add(resp, "error", e) < 0)
		goto fail;
	return resp;
fail:
	json_object_put(e);
	json_object_put(resp);
	return NULL;
}

/* ---- connections ------------------------------------------------------- */

static void conn_free(struct conn *c)
{
	if (!c)
		return;
	if (c->pprev) {
		*c->pprev = c->next;
		if (c->next)
			c->next->pprev = c->pprev;
		c->ctl->n_conns--;
		c->ctl->n_unpriv -= !c->caller.privileged;
		if (c->ctl->io)
			(void)sd_event_source_set_enabled(c->ctl->io, SD_EVENT_ON);
	}
	sd_event_source_disable_unref(c->io);
	sd_event_source_disable_unref(c->timer);
	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	free(c);
}

static int conn_rearm_timer(struct conn *c)
{
	int r = sd_event_source_set_time_relative(c->timer, c->ctl->idle_usec);

	return r < 0 ? r : sd_event_source_set_enabled(c->timer, SD_EVENT_ONESHOT);
}

/* Tries to hand the pending response to the kernel. Returns 1 when it is
 * still pending (the client is not reading), 0 when sent, -errno when the
 * connection is dead. */
static int conn_flush(struct conn *c)
{
	ssize_t n;

	if (!c->out)
		return 0;
	n = send(c->fd, c->out, c->out_len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 1;
	if (n < 0)
		return -errno;
	free(c->out);
	c->out = NULL;
	c->out_len = 0;
	return 0;
}

/* Queues resp (consumed) and sends what the client will take now. */
static int conn_respond(struct conn *c, struct json_object *resp)
{
	const char *s;
	size_t len;
	int r;

	if (!resp)
		return -ENOMEM;
	s = json_object_to_json_string_length(resp, JSON_C_TO_STRING_PLAIN, &len);
	if (!s) {
		json_object_put(resp);
		return -ENOMEM;
	}
	if (len > VW_CONTROL_MAX_RESPONSE) {
		char msg[128];

		/* Bounded so one client cannot make the daemon hold (or the
		 * kernel copy) an arbitrary amount; the CLI's filters narrow it. */
		snprintf(msg, sizeof(msg), "response too large (%zu bytes, at most %u); narrow the query",
			 len, VW_CONTROL_MAX_RESPONSE);
		json_object_put(resp);
		return conn_respond(c, error_envelope(-E2BIG, msg));
	}
	c->out = malloc(len);
	if (!c->out) {
		json_object_put(resp);
		return -ENOMEM;
	}
	memcpy(c->out, s, len);
	c->out_len = len;
	json_object_put(resp);

	r = conn_flush(c);
	if (r == -EMSGSIZE || r == -ENOBUFS) {
		/* The kernel would not take a message this large on this
		 * socket; say so in a message it will take. */
		free(c->out);
		c->out = NULL;
		return conn_respond(c, error_envelope(-E2BIG, "response too large for the socket"));
	}
	return r;
}

static const struct vw_control_command *find_command(const struct vw_control *ctl, const char *name)
{
	for (size_t i = 0; i < ctl->n_cmds; i++)
		if (!strcmp(ctl->cmds[i].name, name))
			return &ctl->cmds[i];
	return NULL;
}

/* Parses one message into a request object, or explains what is wrong.
 * buf[len] must be writable. */
static int parse_request(char *buf, size_t len, struct json_object **out, char **errmsg)
{
	struct json_tokener *tok = json_tokener_new_ex(32);
	struct json_object *obj = NULL;
	enum json_tokener_error jerr;
	size_t end;
	int r = -EINVAL;

	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS |
				    JSON_TOKENER_VALIDATE_UTF8);
	/* A space after the message ends a top-level number or literal, which
	 * json-c would otherwise report as incomplete; only a truly cut-off
	 * value still asks for more. */
	buf[len] = ' ';
	obj = json_tokener_parse_ex(tok, buf, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	if (!obj && jerr == json_tokener_continue) {
		*errmsg = strdup("request: truncated JSON");
		goto out;
	}
	if (jerr != json_tokener_success) {
		if (asprintf(errmsg, "request: not JSON (%s)", json_tokener_error_desc(jerr)) < 0)
			*errmsg = NULL;
		goto out;
	}
	/* Trailing whitespace is harmless; anything else is a second value
	 * or garbage, and guessing which part was meant is unsafe. */
	for (end = json_tokener_get_parse_end(tok); end < len && isspace((unsigned char)buf[end]); end++)
		;
	if (end < len) {
		*errmsg = strdup("request: trailing data after the JSON value");
		goto out;
	}
	if (!json_object_is_type(obj, json_type_object)) {
		*errmsg = strdup("request: expected a JSON object");
		goto out;
	}
	*out = obj;
	obj = NULL;
	r = 0;
out:
	json_object_put(obj);
	json_tokener_free(tok);
	return r;
}

/* Handles one request message; returns 0 or -errno for the connection. */
static int conn_handle(struct conn *c, char *buf, size_t len)
{
	struct vw_control *ctl = c->ctl;
	struct json_object *req = NULL, *cmd_obj, *args = NULL, *result = NULL, *resp = NULL;
	const struct vw_control_command *cmd = NULL;
	const char *name;
	char *errmsg = NULL;
	int r;

	r = parse_request(buf, len, &req, &errmsg);
	if (r < 0)
		goto out;
	if (!json_object_object_get_ex(req, "command", &cmd_obj) || !cmd_obj) {
		r = -EINVAL;
		errmsg = strdup("command: required");
		goto out;
	}
	if (!json_object_is_type(cmd_obj, json_type_string)) {
		r = -EINVAL;
		errmsg = strdup("command: expected a string");
		goto out;
	}
	name = json_object_get_string(cmd_obj);
	cmd = find_command(ctl, name);
	if (!cmd) {
		r = -EOPNOTSUPP;
		if (asprintf(&errmsg, "command: unknown command \"%.64s\"", name) < 0)
			errmsg = NULL;
		goto out;
	}
	if (!json_object_object_get_ex(req, "args", &args) || !args) {
		args = json_object_new_object();
		if (!args) {
			r = -ENOMEM;
			goto out;
		}
	} else if (!json_object_is_type(args, json_type_object)) {
		args = NULL;
		r = -EINVAL;
		errmsg = strdup("args: expected an object");
		goto out;
	} else {
		json_object_get(args);
	}
	/* Before the handler sees the arguments: a refused caller learns
	 * nothing from their validation either. */
	if (!c->caller.privileged) {
		r = -EPERM;
		errmsg = strdup("permission denied: the control socket is for root and the control group");
		goto out;
	}
	r = cmd->fn(ctl->ctx, &c->caller, args, &result, &errmsg);
	if (r > 0)
		r = 0;
out:
	if (r == 0) {
		resp = json_object_new_object();
		if (resp && (json_object_object_add(resp, "ok", json_object_new_boolean(1)) < 0 ||
			     json_object_object_add(resp, "result",
						    result ? result : json_object_new_object()) < 0)) {
			json_object_put(resp);
			resp = NULL;
		}
		result = NULL;
		if (!resp)
			r = -ENOMEM;
	}
	if (r < 0)
		resp = error_envelope(r, errmsg);
	if (ctl->audit) {
		struct vw_control_audit a = {
			.caller = &c->caller, .command = cmd ? cmd->name : NULL,
			.mutating = cmd && cmd->mutating, .args = args, .result = r,
			.message = r < 0 ? (errmsg ? errmsg : strerror(-r)) : NULL,
		};

		ctl->audit(ctl->ctx, &a);
	}
	json_object_put(result);
	json_object_put(args);
	json_object_put(req);
	free(errmsg);
	return conn_respond(c, resp);
}

static int conn_update_events(struct conn *c)
{
	/* While a response is pending, wait for the client to read it and
	 * read no further requests. */
	return sd_event_source_set_io_events(c->io, c->out ? EPOLLOUT : EPOLLIN);
}

static int on_conn_io(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct conn *c = userdata;
	struct msghdr mh = {0};
	struct iovec iov;
	ssize_t n;
	int r;

	if (c->out) {
		r = conn_flush(c);
		if (r < 0 || (r == 0 && c->close_after))
			goto close;
		if (r == 0 && ((r = conn_rearm_timer(c)) < 0 || (r = conn_update_events(c)) < 0))
			goto close;
		return 0;
	}

	iov = (struct iovec){ c->ctl->buf, VW_CONTROL_MAX_REQUEST + 1 };
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	/* One message per wake-up, so a chatty client takes turns with the rest. */
	n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		goto close;
	}
	if (n == 0)
		goto close;   /* EOF (an empty message is no request either) */
	if ((mh.msg_flags & MSG_TRUNC) || (size_t)n > VW_CONTROL_MAX_REQUEST) {
		char msg[96];

		snprintf(msg, sizeof(msg), "message too large (%zd bytes, at most %u)",
			 n, VW_CONTROL_MAX_REQUEST);
		if (c->ctl->audit) {
			struct vw_control_audit a = {
				.caller = &c->caller, .result = -EMSGSIZE, .message = msg,
			};

			c->ctl->audit(c->ctl->ctx, &a);
		}
		/* The stream of requests cannot be trusted after this; answer
		 * and close. */
		c->close_after = true;
		r = conn_respond(c, error_envelope(-EMSGSIZE, msg));
	} else {
		r = conn_handle(c, c->ctl->buf, (size_t)n);
	}
	if (r < 0 || (r == 0 && c->close_after))
		goto close;
	if ((r = conn_rearm_timer(c)) < 0 || (r = conn_update_events(c)) < 0)
		goto close;
	return 0;
close:
	conn_free(c);
	return 0;
}

static int on_conn_timeout(sd_event_source *s, uint64_t usec, void *userdata)
{
	/* Silent, or not reading what it asked for: either way it holds a
	 * slot (and maybe a response) that others need. */
	conn_free(userdata);
	return 0;
}

/* The caller's supplementary groups as the kernel recorded them at
 * connect(); unlike /proc/<pid>/status this cannot race with the client
 * exiting and its PID being reused. */
static int peer_in_group(int fd, gid_t gid)
{
	gid_t small[64], *groups = small;
	socklen_t len = sizeof(small);
	int r = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0) {
		if (errno != ERANGE)
			return -errno;
		groups = malloc(len);
		if (!groups)
			return -ENOMEM;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0) {
			r = -errno;
			goto out;
		}
	}
	for (size_t i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == gid) {
			r = 1;
			break;
		}
out:
	if (groups != small)
		free(groups);
	return r;
}

static void read_comm(pid_t pid, char comm[16])
{
	char path[32];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = pid > 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		n = read(fd, comm, 15);
		close(fd);
	}
	if (n <= 0) {
		strcpy(comm, "?");
		return;
	}
	comm[n] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
}

static int conn_new(struct vw_control *ctl, int fd)
{
	struct conn *c = calloc(1, sizeof(*c));
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int sndbuf = 2 * VW_CONTROL_MAX_RESPONSE, r;

	if (!c) {
		close(fd);
		return -ENOMEM;
	}
	c->ctl = ctl;
	c->fd = fd;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
		r = -errno;
		goto fail;
	}
	c->caller.uid = cred.uid;
	c->caller.gid = cred.gid;
	c->caller.pid = cred.pid;
	read_comm(cred.pid, c->caller.comm);
	c->caller.privileged = cred.uid == 0;
	if (!c->caller.privileged && ctl->have_group) {
		r = cred.gid == ctl->gid ? 1 : peer_in_group(fd, ctl->gid);
		/* Could not tell: refuse rather than guess. */
		c->caller.privileged = r > 0;
	}
	/* Callers who can only be refused get at most half the slots, so
	 * silent connections from them cannot lock out the operators. */
	if (!c->caller.privileged && ctl->n_unpriv >= (ctl->max_clients + 1) / 2) {
		if (ctl->audit) {
			struct vw_control_audit a = {
				.caller = &c->caller, .result = -EBUSY,
				.message = "too many connections from unprivileged callers",
			};

			ctl->audit(ctl->ctx, &a);
		}
		r = -EBUSY;
		goto fail;
	}
	/* A SEQPACKET message must fit the sender's buffer whole; the daemon
	 * may raise it past wmem_max (CAP_NET_ADMIN), others get what they get
	 * and oversized responses turn into E2BIG. */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));

	r = sd_event_add_io(ctl->loop, &c->io, fd, EPOLLIN, on_conn_io, c);
	if (r < 0)
		goto fail;
	r = sd_event_add_time_relative(ctl->loop, &c->timer, CLOCK_MONOTONIC, ctl->idle_usec,
				       10000, on_conn_timeout, c);
	if (r < 0)
		goto fail;
	c->next = ctl->conns;
	if (c->next)
		c->next->pprev = &c->next;
	c->pprev = &ctl->conns;
	ctl->conns = c;
	ctl->n_conns++;
	ctl->n_unpriv += !c->caller.privileged;
	return 0;
fail:
	conn_free(c);
	return r;
}

static int on_accept(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
	struct vw_control *ctl = userdata;

	while (ctl->n_conns < ctl->max_clients) {
		int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (cfd < 0)
			return 0;   /* EAGAIN, or a client gone before we got to it */
		(void)conn_new(ctl, cfd);
	}
	/* Full: later clients wait in the listen backlog (their connect()
	 * succeeds) until a slot frees, instead of being turned away. */
	return sd_event_source_set_enabled(ctl->io, SD_EVENT_OFF);
}

/* ---- server ------------------------------------------------------------ */

int vw_control_set_group(struct vw_control *ctl, const char *group)
{
	struct group *gr;

	ctl->have_group = false;
	errno = 0;
	gr = getgrnam(group ? group : VW_CONTROL_GROUP);
	if (!gr)
		return errno && errno != ENOENT && errno != ESRCH ? -errno : -ENOENT;
	ctl->gid = gr->gr_gid;
	ctl->have_group = true;
	return 0;
}

int vw_control_group(const struct vw_control *ctl, gid_t *gid)
{
	if (!ctl->have_group)
		return -ENOENT;
	*gid = ctl->gid;
	return 0;
}

size_t vw_control_clients(const struct vw_control *ctl)
{
	return ctl->n_conns;
}

static int fill_addr(struct sockaddr_un *sa, const char *path)
{
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	*sa = (struct sockaddr_un){ .sun_family = AF_UNIX };
	strcpy(sa->sun_path, path);
	return 0;
}

/* A socket file nobody listens on is left over from a crash; one that
 * answers belongs to a running daemon, which must not lose it. */
static int remove_stale(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0), r = 0;

	if (fd < 0)
		return -errno;
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0)
		r = -EADDRINUSE;
	else if (errno == ECONNREFUSED && unlink(sa->sun_path) < 0 && errno != ENOENT)
		r = -errno;
	close(fd);
	return r;
}

int vw_control_open(struct vw_control **out, sd_event *loop, const struct vw_control_config *cfg)
{
	struct vw_control *ctl;
	struct sockaddr_un sa;
	int r;

	*out = NULL;
	r = fill_addr(&sa, cfg->path);
	if (r < 0)
		return r;
	ctl = calloc(1, sizeof(*ctl));
	if (!ctl)
		return -ENOMEM;
	ctl->fd = -1;
	ctl->loop = sd_event_ref(loop);
	ctl->cmds = cfg->cmds;
	ctl->n_cmds = cfg->n_cmds;
	ctl->audit = cfg->audit;
	ctl->ctx = cfg->ctx;
	ctl->idle_usec = cfg->idle_usec ? cfg->idle_usec : VW_CONTROL_IDLE_USEC;
	ctl->max_clients = cfg->max_clients ? cfg->max_clients : VW_CONTROL_MAX_CLIENTS;
	(void)vw_control_set_group(ctl, cfg->group);

	r = remove_stale(&sa);
	if (r < 0)
		goto fail;
	ctl->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (ctl->fd < 0) {
		r = -errno;
		goto fail;
	}
	if (bind(ctl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		goto fail;
	}
	ctl->path = strdup(cfg->path);
	if (!ctl->path) {
		unlink(cfg->path);
		r = -ENOMEM;
		goto fail;
	}
	/* Everyone may connect so that everyone reaches the credential check
	 * and every refusal is audited; the check is what protects. */
	if (chmod(ctl->path, 0666) < 0 || listen(ctl->fd, SOMAXCONN) < 0) {
		r = -errno;
		goto fail;
	}
	r = sd_event_add_io(loop, &ctl->io, ctl->fd, EPOLLIN, on_accept, ctl);
	if (r < 0)
		goto fail;
	*out = ctl;
	return 0;
fail:
	vw_control_close(ctl);
	return r;
}

void vw_control_close(struct vw_control *ctl)
{
	if (!ctl)
		return;
	while (ctl->conns)
		conn_free(ctl->conns);
	sd_event_source_disable_unref(ctl->io);
	if (ctl->fd >= 0)
		close(ctl->fd);
	if (ctl->path)
		unlink(ctl->path);
	free(ctl->path);
	sd_event_unref(ctl->loop);
	free(ctl);
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
	r = fill_addr(&sa, path);
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

/* ---- time -------------------------------------------------------------- */

/* "1d12h", "90min", "30s", "2w"; the sum in seconds. */
static int parse_duration(const char *s, int64_t *out)
{
	static const struct { const char *unit; int64_t mult; } units[] = {
		{ "min", 60 }, { "s", 1 }, { "m", 60 }, { "h", 3600 }, { "d", 86400 },
		{ "w", 7 * 86400 },
	};
	int64_t total = 0;

	if (!*s)
		return -EINVAL;
	while (*s) {
		unsigned long long v;
		char *end;
		size_t i;

		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno || v > INT32_MAX)
			return -ERANGE;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (!strncmp(end, units[i].unit, strlen(units[i].unit)))
				break;
		if (i == sizeof(units) / sizeof(units[0]))
			return -EINVAL;   /* a unit is required: "7" is ambiguous */
		total += (int64_t)v * units[i].mult;
		if (total > (int64_t)100 * 366 * 86400)
			return -ERANGE;
		s = end + strlen(units[i].unit);
	}
	*out = total;
	return 0;
}

/* Reads exactly n digits. */
static int digits(const char **s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++, (*s)++) {
		if (!isdigit((unsigned char)**s))
			return -EINVAL;
		v = v * 10 + (**s - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

static int parse_iso(const char *s, int direction, time_t *out)
{
	struct tm tm = {0};
	int y, mo, d, h = 0, mi = 0, sec = 0, oh, om, sign;
	bool date_only = true, zone = false;
	long offset = 0;
	time_t t;

	if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) || *s++ != '-' ||
	    digits(&s, 2, &d))
		return -EINVAL;
	if (*s == 'T' || *s == ' ') {
		s++;
		date_only = false;
		if (digits(&s, 2, &h) || *s++ != ':' || digits(&s, 2, &mi))
			return -EINVAL;
		if (*s == ':' && (s++, digits(&s, 2, &sec)))
			return -EINVAL;
		if (*s == 'Z') {
			s++;
			zone = true;
		} else if (*s == '+' || *s == '-') {
			sign = *s++ == '-' ? -1 : 1;
			if (digits(&s, 2, &oh))
				return -EINVAL;
			if (*s == ':')
				s++;
			if (digits(&s, 2, &om) || oh > 23 || om > 59)
				return -EINVAL;
			offset = sign * (oh * 3600L + om * 60L);
			zone = true;
		}
	}
	/* Checked here because mktime would quietly turn 31 February into March. */
	if (*s || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
	    sec > 60)
		return -EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d + (date_only && direction > 0);  /* "through that day" */
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	if (zone)
		t = timegm(&tm) - offset;
	else
		t = mktime(&tm);
	if (t == (time_t)-1)
		return -ERANGE;
	*out = t;
	return 0;
}

int vw_parse_time(const char *s, time_t now, int direction, time_t *out)
{
	int64_t secs;
	int r, sign = direction < 0 ? -1 : 1;

	if (!s || !*s)
		return -EINVAL;
	if (*s == '@') {
		char *end;
		long long v;

		if (!isdigit((unsigned char)s[1]))
			return -EINVAL;
		errno = 0;
		v = strtoll(s + 1, &end, 10);
		if (errno || *end)
			return errno ? -ERANGE : -EINVAL;
		*out = (time_t)v;
		return 0;
	}
	if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	    isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-')
		return parse_iso(s, direction, out);
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	r = parse_duration(s, &secs);
	if (r < 0)
		return r;
	*out = now + sign * secs;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/* Serves the control socket on sd-event: credentials, framing, JSON envelope, audit. */
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
#include "control_request.h"
#include "control_server.h"

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

/* Refusals of one uid, for the audit trail (control_server.h). */
struct refusal_bucket {
	bool used;
	uid_t uid;
	unsigned tokens;        /* refusals that may be audited one by one now */
	uint64_t last_usec;     /* when tokens were last topped up */
	unsigned suppressed;    /* refusals not audited since the last entry */
	struct vw_caller last;  /* the last of those, for the summary */
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
	/* The last bucket is shared by uids beyond the table. */
	struct refusal_bucket refusals[VW_CONTROL_REFUSAL_UIDS + 1];
	unsigned refusal_burst;
	uint64_t refusal_interval;
	sd_event_source *refusal_timer;
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

/* Builds the success envelope around result (consumed, NULL = {}). */
static struct json_object *ok_envelope(struct json_object *result)
{
	struct json_object *resp = json_object_new_object();

	if (resp && (json_object_object_add(resp, "ok", json_object_new_boolean(1)) < 0 ||
		     json_object_object_add(resp, "result",
					    result ? result : json_object_new_object()) < 0)) {
		json_object_put(resp);
		resp = NULL;
	}
	return resp;
}

/* ---- refusal audit ------------------------------------------------------ */

/* The control socket is 0666 so that every refusal can be audited; without
 * a bound, any local user could write journal entries as fast as they can
 * connect, into the daemon's share of journald's rate limit, and push the
 * alerts out. So per uid: a burst, then refusals are counted, and one
 * summary per interval says how many there were. */

static uint64_t now_usec(const struct vw_control *ctl)
{
	uint64_t t = 0;

	(void)sd_event_now(ctl->loop, CLOCK_MONOTONIC, &t);
	return t;
}

static void bucket_refill(const struct vw_control *ctl, struct refusal_bucket *b, uint64_t now)
{
	uint64_t add = (now - b->last_usec) / ctl->refusal_interval;

	if (b->tokens + add >= ctl->refusal_burst) {
		b->tokens = ctl->refusal_burst;
		b->last_usec = now;
	} else {
		b->tokens += (unsigned)add;
		b->last_usec += add * ctl->refusal_interval;
	}
}

/* The uid's bucket; a new uid takes a free one or one that is idle (full,
 * nothing pending), else the shared last one. */
static struct refusal_bucket *bucket_of(struct vw_control *ctl, uid_t uid, uint64_t now)
{
	struct refusal_bucket *spare = NULL;

	for (size_t i = 0; i < VW_CONTROL_REFUSAL_UIDS; i++) {
		struct refusal_bucket *b = &ctl->refusals[i];

		if (b->used && b->uid == uid)
			return b;
		if (b->used && !spare && !b->suppressed)
			bucket_refill(ctl, b, now);
		if (!spare && (!b->used || (!b->suppressed && b->tokens == ctl->refusal_burst)))
			spare = b;
	}
	if (!spare) {
		spare = &ctl->refusals[VW_CONTROL_REFUSAL_UIDS];
		if (!spare->used)
			*spare = (struct refusal_bucket){ .used = true, .uid = uid,
							  .tokens = ctl->refusal_burst, .last_usec = now };
		return spare;
	}
	*spare = (struct refusal_bucket){ .used = true, .uid = uid,
					  .tokens = ctl->refusal_burst, .last_usec = now };
	return spare;
}

static void audit_summary(struct vw_control *ctl, struct refusal_bucket *b)
{
	struct vw_control_audit a = {
		.caller = &b->last, .result = -EPERM, .suppressed = b->suppressed,
		.message = "refusals suppressed",
	};

	ctl->audit(ctl->ctx, &a);
	b->suppressed = 0;
}

/* Summaries take a token each, so a flood that goes on gets one entry per
 * interval, and its last summary comes at most an interval after it ends. */
static int on_refusal_timer(sd_event_source *s, uint64_t usec, void *userdata)
{
	struct vw_control *ctl = userdata;
	uint64_t now = now_usec(ctl);
	bool pending = false;

	for (size_t i = 0; i <= VW_CONTROL_REFUSAL_UIDS; i++) {
		struct refusal_bucket *b = &ctl->refusals[i];

		if (!b->used || !b->suppressed)
			continue;
		bucket_refill(ctl, b, now);
		if (b->tokens) {
			b->tokens--;
			audit_summary(ctl, b);
		} else {
			pending = true;
		}
	}
	if (pending && sd_event_source_set_time_relative(s, ctl->refusal_interval) >= 0)
		(void)sd_event_source_set_enabled(s, SD_EVENT_ONESHOT);
	return 0;
}

static void refusal_arm(struct vw_control *ctl)
{
	int on = SD_EVENT_OFF;

	if (!ctl->refusal_timer) {
		if (sd_event_add_time_relative(ctl->loop, &ctl->refusal_timer, CLOCK_MONOTONIC,
					       ctl->refusal_interval, 100000, on_refusal_timer, ctl) < 0)
			ctl->refusal_timer = NULL;
		return;
	}
	(void)sd_event_source_get_enabled(ctl->refusal_timer, &on);
	if (on == SD_EVENT_OFF &&
	    sd_event_source_set_time_relative(ctl->refusal_timer, ctl->refusal_interval) >= 0)
		(void)sd_event_source_set_enabled(ctl->refusal_timer, SD_EVENT_ONESHOT);
}

/* Passes a refusal (a->caller not privileged) to audit, or counts it. */
static void audit_refusal(struct vw_control *ctl, const struct vw_control_audit *a)
{
	uint64_t now;
	struct refusal_bucket *b;

	if (!ctl->audit)
		return;
	now = now_usec(ctl);
	b = bucket_of(ctl, a->caller->uid, now);
	bucket_refill(ctl, b, now);
	/* While refusals are being counted, tokens are kept for the summary. */
	if (!b->suppressed && b->tokens) {
		b->tokens--;
		ctl->audit(ctl->ctx, a);
		return;
	}
	b->suppressed++;
	b->last = *a->caller;
	refusal_arm(ctl);
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

/* A caller outside root and the control group is refused whatever it sends,
 * before its arguments are looked at (it learns nothing from their
 * validation). The audit gets the command's name only when it is one of
 * ours, never the arguments, and at a bounded rate. */
static int conn_refuse(struct conn *c, char *buf, size_t len)
{
	static const char msg[] = "permission denied: the control socket is for root and the control group";
	const struct vw_control_command *cmd = NULL;
	struct json_object *req = NULL, *cmd_obj;
	char *errmsg = NULL;

	if (vw_control_parse_request(buf, len, &req, &errmsg) == 0 &&
	    json_object_object_get_ex(req, "command", &cmd_obj) &&
	    json_object_is_type(cmd_obj, json_type_string))
		cmd = find_command(c->ctl, json_object_get_string(cmd_obj));
	audit_refusal(c->ctl, &(struct vw_control_audit){
		.caller = &c->caller, .command = cmd ? cmd->name : NULL,
		.mutating = cmd && cmd->mutating, .result = -EPERM, .message = msg,
	});
	free(errmsg);
	json_object_put(req);
	return conn_respond(c, error_envelope(-EPERM, msg));
}

/* Handles one request message; returns 0 or -errno for the connection. */
static int conn_handle(struct conn *c, char *buf, size_t len)
{
	struct vw_control *ctl = c->ctl;
	struct json_object *req = NULL, *cmd_obj, *args = NULL, *result = NULL, *resp = NULL;
	const struct vw_control_command *cmd = NULL;
	struct vw_control_change chg = {0};
	const char *name;
	char *errmsg = NULL;
	int r;

	if (!c->caller.privileged)
		return conn_refuse(c, buf, len);
	r = vw_control_parse_request(buf, len, &req, &errmsg);
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
	r = cmd->fn(ctl->ctx, &c->caller, args, &result, &chg, &errmsg);
	if (r > 0)
		r = 0;
out:
	if (r == 0) {
		resp = ok_envelope(result);
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
			.change = cmd && r == 0 ? &chg : NULL,
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
		struct vw_control_audit a = {
			.caller = &c->caller, .result = -EMSGSIZE, .message = msg,
		};

		if (!c->caller.privileged)
			audit_refusal(c->ctl, &a);
		else if (c->ctl->audit)
			c->ctl->audit(c->ctl->ctx, &a);
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
		audit_refusal(ctl, &(struct vw_control_audit){
			.caller = &c->caller, .result = -EBUSY,
			.message = "too many connections from unprivileged callers",
		});
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
	r = vw_control_addr(&sa, cfg->path);
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
	ctl->refusal_burst = cfg->refusal_burst ? cfg->refusal_burst : VW_CONTROL_REFUSAL_BURST;
	ctl->refusal_interval = cfg->refusal_interval_usec ? cfg->refusal_interval_usec
							    : VW_CONTROL_REFUSAL_INTERVAL;
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
	/* Counted refusals are not lost with the socket. */
	for (size_t i = 0; i <= VW_CONTROL_REFUSAL_UIDS && ctl->audit; i++)
		if (ctl->refusals[i].used && ctl->refusals[i].suppressed)
			audit_summary(ctl, &ctl->refusals[i]);
	sd_event_source_disable_unref(ctl->refusal_timer);
	sd_event_source_disable_unref(ctl->io);
	if (ctl->fd >= 0)
		close(ctl->fd);
	if (ctl->path)
		unlink(ctl->path);
	free(ctl->path);
	sd_event_unref(ctl->loop);
	free(ctl);
}


/* SPDX-License-Identifier: GPL-2.0-only */
/* The control socket's sd-event server; the protocol is described in control.h. */
#ifndef VW_CONTROL_SERVER_H
#define VW_CONTROL_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <json-c/json.h>
#include <systemd/sd-event.h>
#include "control.h"

struct vw_control;

/* Who is asking, as the kernel saw it when the client connected. */
struct vw_caller {
	uid_t uid;
	gid_t gid;
	pid_t pid;           /* 0 when the client is in another PID namespace */
	char comm[16];       /* /proc/<pid>/comm, "?" when unreadable; for audit only */
	bool privileged;     /* root or a member of the control group */
};

/* What a mutating command changed, as text for the audit trail. */
struct vw_control_change {
	char old_value[256];
	char new_value[256];
};

/*
 * A command handler. args is always an object (empty when the request had
 * none). On success it may set *result to a new object (ownership passes
 * to the server; NULL means {}). On failure it returns -errno and may set
 * *errmsg to a malloc'ed message (otherwise strerror is used). The
 * vw_json_get_* validators follow the same convention, so a handler can
 * return their result directly. A mutating command says in *chg what it
 * changed (zeroed before the call).
 */
typedef int (*vw_control_fn)(void *ctx, const struct vw_caller *c, struct json_object *args,
			     struct json_object **result, struct vw_control_change *chg,
			     char **errmsg);

struct vw_control_command {
	const char *name;
	bool mutating;       /* reported to the audit callback */
	vw_control_fn fn;
};

/* One request's outcome, for the audit trail. Everything is borrowed.
 * Callers outside root and the control group are refused whatever they
 * send: their refusals carry the command name only when it is a known one,
 * never args, and are rate-limited per uid. */
struct vw_control_audit {
	const struct vw_caller *caller;
	const char *command;       /* NULL when the request named no known command */
	bool mutating;
	struct json_object *args;  /* NULL when the request was not understood */
	int result;                /* 0 or -errno (-EPERM for a refusal) */
	const char *message;       /* the error message sent, NULL on success */
	const struct vw_control_change *change;  /* the handler's, NULL unless it succeeded */
	/* Nonzero: not a request but the summary of a flood of refusals from
	 * caller->uid that were not passed on one by one (the rest of the
	 * caller is that of the last one; command and args are NULL). */
	unsigned suppressed;
};
typedef void (*vw_control_audit_fn)(void *ctx, const struct vw_control_audit *a);

struct vw_control_config {
	const char *path;          /* socket path; replaced if stale */
	const char *group;         /* NULL = VW_CONTROL_GROUP */
	const struct vw_control_command *cmds;
	size_t n_cmds;
	vw_control_audit_fn audit; /* may be NULL */
	void *ctx;                 /* passed to handlers and audit */
	uint64_t idle_usec;        /* 0 = VW_CONTROL_IDLE_USEC */
	unsigned max_clients;      /* 0 = VW_CONTROL_MAX_CLIENTS */
	/* Refusals passed to audit per uid: a burst, then one per interval
	 * (token bucket); the rest are counted and summarised once the uid's
	 * bucket is full again. 0 = the defaults below. */
	unsigned refusal_burst;
	uint64_t refusal_interval_usec;
};

#define VW_CONTROL_REFUSAL_BURST     5u
#define VW_CONTROL_REFUSAL_INTERVAL  (2u * 1000000u)
#define VW_CONTROL_REFUSAL_UIDS      64u   /* uids tracked; the rest share one bucket */

/*
 * Creates the socket and adds it to loop. Fails with -EADDRINUSE when
 * another process serves path. A missing group is not an error (the
 * socket is then root-only; see vw_control_group). The group is looked up
 * here once, not per connection, so that a slow NSS cannot stall the loop.
 */
int vw_control_open(struct vw_control **out, sd_event *loop, const struct vw_control_config *cfg);
/* Closes every connection and the socket, and unlinks it. NULL is fine.
 * Not from inside a handler. */
void vw_control_close(struct vw_control *ctl);
/* Looks the control group up again (after a reload); 0 or -ENOENT (then
 * root only) or -errno from NSS. */
int vw_control_set_group(struct vw_control *ctl, const char *group);
/* The group's id, or -ENOENT when the socket is root-only. */
int vw_control_group(const struct vw_control *ctl, gid_t *gid);
/* Open connections; for tests and the daemon's status line. */
size_t vw_control_clients(const struct vw_control *ctl);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control socket between vendorwallctl and vendorwalld: the protocol,
 * the sd-event server, a blocking client, and validators for handlers.
 *
 * Transport. An AF_UNIX SOCK_SEQPACKET socket, RuntimeDirectory/control
 * (/run/vendorwall/control), mode 0666 so that every local user reaches the
 * permission check and every refusal can be audited. One JSON object per
 * message, so the kernel keeps message boundaries. A connection may carry
 * several requests, one after the other; each gets exactly one response.
 * Requests are at most VW_CONTROL_MAX_REQUEST bytes: a larger one gets an
 * EMSGSIZE error and the connection is closed. Responses are at most
 * VW_CONTROL_MAX_RESPONSE bytes: a larger result becomes an E2BIG error.
 * A connection with no request (or an unread response) for the idle
 * timeout (default 5 s) is closed.
 *
 *   request:  {"command": "<name>", "args": {...}}          args optional
 *   response: {"ok": true,  "result": {...}}
 *             {"ok": false, "error": {"code": "EINVAL", "message": "args.mode: expected one of off, monitor, block"}}
 *
 * error.code is the errno name (strerrorname_np); error.message is for
 * humans and names the offending field as "args.<key>: ..." when it can.
 *
 * Who may do what. The caller's credentials come from the kernel
 * (SO_PEERCRED, SO_PEERGROUPS), never from the request. Root and members
 * of the control group (ControlGroup=, default "vendorwall"; primary or
 * supplementary group) may run every command, reading and mutating alike:
 * the inventory of a government gateway is not public. Everybody else gets
 * EPERM for every command. When the group does not exist, only root is
 * allowed. Every request (refused, failed or done) is passed to the audit
 * callback; the daemon decides what to journal (at least every refusal
 * and every mutating command, with VW_MID_AUDIT).
 *
 * Commands and result shapes (the daemon implements exactly these; times
 * are unix seconds as integers, 0 = never; MACs are lower-case
 * aa:bb:cc:dd:ee:ff; modes are "off", "monitor", "block"):
 *
 *   status                                   read
 *     {"version": "0.1", "policy_version": "…", "profiles": ["us-ndaa-889"],
 *      "registry_date": "YYYY-MM-DD",
 *      "segments": [SEGMENT…],
 *      "ringbuf_lost": {"events": N, "samples": N},
 *      "degraded": ["human-readable reason", …]}
 *     SEGMENT = {"name", "interface", "ifindex": N (0 = absent),
 *                "vlan": N (0 = interface-wide), "mode", "configured_mode",
 *                "attach": "native|generic|absent",
 *                "counters": {"passed", "dropped", "would_drop", "redirected"},
 *                "devices": N (restricted devices seen there)}
 *   segments                                 read
 *     {"segments": [SEGMENT…]}
 *   mode        {"segment": S, "mode": M}    mutating
 *     {"segment": S, "mode": M, "previous_mode": M}
 *   devices     {"vendor"?: V, "segment"?: S, "since"?: T}   read
 *     {"devices": [DEVICE…]}
 *     DEVICE = {"mac", "vendor", "first_seen", "last_seen",
 *               "segments": ["lan", …], "verdict",
 *               "ipv4": ["192.0.2.7", …], "ipv6": [...]}
 *     verdict: "restricted", "waived", "quarantined", "cleared" or "benign".
 *   device      {"mac": MAC}                 read, ENOENT when unknown
 *     {"device": DEVICE + {
 *        "evidence": [{"signal", "field", "value", "confidence", "time"}],
 *        "decisions": [{"time", "action", "by", "reason"}],
 *        "segments": [{"name", "first_seen", "last_seen"}]}}
 *     (in "device", "segments" is the list of objects, not of names)
 *   allow       {"mac", "until": T, "reason": S, "ticket"?: S}  mutating
 *     {"mac", "until"}
 *   revoke      {"mac"}                      mutating, ENOENT without a waiver
 *   quarantine  {"mac", "reason": S}         mutating
 *   release     {"mac"}                      mutating, ENOENT when not quarantined
 *     revoke, quarantine, release: {"mac"}
 *   reload      {}                           mutating
 *     {"policy_version"}; a rejected configuration is EINVAL with the
 *     first "file:line: message" as error.message
 *   stats                                    read
 *     {"segments": [{"name", "counters": {"benign": N, …, "drop": N, …}}]}
 *     counter names: the reason and outcome names of include/vendorwall.h
 *     in lower case without prefix (benign, malformed, no_oui, waiver,
 *     quarantine, device, device_clear, oui, drop, redirect, redirect_fail,
 *     would_drop, off, event, event_lost, event_throttled, sample,
 *     sample_lost, sample_throttled, capped).
 */
#ifndef VW_CONTROL_H
#define VW_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <json-c/json.h>
#include <systemd/sd-event.h>

#define VW_CONTROL_SOCKET       "/run/vendorwall/control"
#define VW_CONTROL_SOCKET_NAME  "control"      /* inside RuntimeDirectory= */
#define VW_CONTROL_GROUP        "vendorwall"
#define VW_CONTROL_MAX_REQUEST  (64u * 1024u)
#define VW_CONTROL_MAX_RESPONSE (1024u * 1024u)
#define VW_CONTROL_IDLE_USEC    (5u * 1000000u)
#define VW_CONTROL_MAX_CLIENTS  32u

struct vw_control;

/* Who is asking, as the kernel saw it when the client connected. */
struct vw_caller {
	uid_t uid;
	gid_t gid;
	pid_t pid;           /* 0 when the client is in another PID namespace */
	char comm[16];       /* /proc/<pid>/comm, "?" when unreadable; for audit only */
	bool privileged;     /* root or a member of the control group */
};

/*
 * A command handler. args is always an object (empty when the request had
 * none). On success it may set *result to a new object (ownership passes
 * to the server; NULL means {}). On failure it returns -errno and may set
 * *errmsg to a malloc'ed message (otherwise strerror is used). The
 * vw_json_get_* validators follow the same convention, so a handler can
 * return their result directly.
 */
typedef int (*vw_control_fn)(void *ctx, const struct vw_caller *c, struct json_object *args,
			     struct json_object **result, char **errmsg);

struct vw_control_command {
	const char *name;
	bool mutating;       /* reported to the audit callback */
	vw_control_fn fn;
};

/* One request's outcome, for the audit trail. Everything is borrowed. */
struct vw_control_audit {
	const struct vw_caller *caller;
	const char *command;       /* NULL when the request named no known command */
	bool mutating;
	struct json_object *args;  /* NULL when the request was not understood */
	int result;                /* 0 or -errno (-EPERM for a refusal) */
	const char *message;       /* the error message sent, NULL on success */
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
};

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

/*
 * Blocking client: sends {"command", "args"} (args may be NULL) and waits
 * up to timeout_ms for the response envelope. Returns 0 with *response
 * set, or -errno: connect errors as they are (-ENOENT, -ECONNREFUSED,
 * -EACCES: the daemon is unreachable), -ETIMEDOUT, -ECONNRESET when the
 * daemon closed without answering, -EBADMSG for a response that is not a
 * JSON object, -EMSGSIZE for a request that is too large.
 */
int vw_control_call(const char *path, const char *command, struct json_object *args,
		    int timeout_ms, struct json_object **response);
/* Splits a response envelope. On {"ok": true} sets *result (borrowed, may
 * be NULL) and returns 0; on {"ok": false} sets *code and *message
 * (borrowed) and returns the negative errno of code (-EIO when unknown);
 * -EBADMSG when the envelope is malformed. */
int vw_control_response(struct json_object *response, struct json_object **result,
			const char **code, const char **message);

/*
 * Argument validators for handlers. A missing (or null) optional argument
 * leaves *out untouched and returns 0, so the caller presets the default.
 * On failure they return -EINVAL with *errmsg = "args.<key>: ..." (or
 * -ENOMEM).
 */
int vw_json_get_string(struct json_object *args, const char *key, bool required,
		       const char **out, char **errmsg);
int vw_json_get_int(struct json_object *args, const char *key, bool required,
		    int64_t min, int64_t max, int64_t *out, char **errmsg);
int vw_json_get_bool(struct json_object *args, const char *key, bool required,
		     bool *out, char **errmsg);
/* One of names[0..n): *out is its index. "expected one of a, b, c". */
int vw_json_get_enum(struct json_object *args, const char *key, bool required,
		     const char *const *names, size_t n, int *out, char **errmsg);
/* A MAC in any notation vw_parse_mac accepts. */
int vw_json_get_mac(struct json_object *args, const char *key, bool required,
		    uint8_t mac[6], char **errmsg);
/* Rejects keys not in allowed (NULL-terminated): "args.x: unknown argument",
 * which catches a CLI and a daemon that disagree. */
int vw_json_check_keys(struct json_object *args, const char *const *allowed, char **errmsg);

/*
 * Times as operators type them, to unix seconds:
 *   ISO 8601  2027-03-31, 2027-03-31T18:00[:SS][Z|±HH:MM] (a space may
 *             replace the T); without a zone in local time; a bare date
 *             means through that day (the next local midnight) when
 *             direction > 0 and its start otherwise
 *   relative  "+8h", "-2h", "7d", "1d12h", "90min" (s, m/min, h, d, w);
 *             with no sign, direction decides (+1: from now on, as for
 *             --until; -1: ago, as for --since)
 *   @SECONDS  unix seconds
 * Returns 0, -EINVAL or -ERANGE.
 */
int vw_parse_time(const char *s, time_t now, int direction, time_t *out);

#endif

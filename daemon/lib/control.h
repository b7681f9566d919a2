/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control socket between vendorwallctl and vendorwalld: the protocol,
 * a blocking client, and validators for handlers. The server is the
 * daemon's (daemon/vendorwalld/control_server.h).
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
 *   devices     {"vendor"?: V, "segment"?: S, "since"?: T,
 *                "after"?: MAC, "limit"?: N}                read
 *     {"devices": [DEVICE…], "next"?: MAC}
 *     One page, in MAC order, of devices with a MAC above "after": at most
 *     "limit" (default and maximum VW_CONTROL_PAGE_DEVICES) and about
 *     VW_CONTROL_PAGE_BYTES. "next" (absent on the last page) is the
 *     "after" of the next page; vw_control_call_pages() reads them all.
 *     So no inventory is too large to list, and the daemon never holds
 *     more than a page per client.
 *     DEVICE = {"mac", "vendor", "first_seen", "last_seen",
 *               "segments": ["lan", …], "verdict", "outcome",
 *               "ipv4": ["192.0.2.7", …], "ipv6": [...]}
 *     Words are those of names.h: verdict (now, operator decisions first)
 *     "restricted", "disputed", "waived", "quarantined", "cleared" or
 *     "benign";
 *     outcome (of the last frame reported, "" if none) "passed",
 *     "would-drop", "dropped", "redirected" or "capped". Counter keys are
 *     the same words in snake_case ("would_drop"). Confidences are
 *     numbers written with two decimals (0.90, confidence.h).
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
 *     {"segments": [{"name", "counters": {"benign": N, …, "dropped": N, …}}]}
 *     counter names: the reason and outcome names of include/vendorwall.h
 *     in lower case without prefix (benign, malformed, no_oui, waiver,
 *     quarantine, device, device_clear, oui, dropped, redirected, redirect_fail,
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

#define VW_CONTROL_SOCKET       "/run/vendorwall/control"
#define VW_CONTROL_SOCKET_NAME  "control"      /* inside RuntimeDirectory= */
#define VW_CONTROL_GROUP        "vendorwall"
#define VW_CONTROL_MAX_REQUEST  (64u * 1024u)
#define VW_CONTROL_MAX_RESPONSE (1024u * 1024u)
#define VW_CONTROL_IDLE_USEC    (5u * 1000000u)
#define VW_CONTROL_MAX_CLIENTS  32u
/* A page of "devices": at most this many, and it ends once past this size. */
#define VW_CONTROL_PAGE_DEVICES 1000u
#define VW_CONTROL_PAGE_BYTES   (256u * 1024u)

/* Fills a sockaddr_un for path; -ENAMETOOLONG when it does not fit. */
struct sockaddr_un;
int vw_control_addr(struct sockaddr_un *sa, const char *path);

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
/*
 * The pages of a paged command (devices): calls command with args (not
 * changed), then again with "after" set to each response's result.next
 * while there is one, and passes each response envelope to page in order
 * (borrowed: page takes a reference to keep any of it). An envelope other
 * than {"ok": true, "result": {...}} is the last one passed. Returns 0,
 * the first non-zero (negative) return of page, -EBADMSG for a "next"
 * that is not a non-empty string or does not go forward, or the errors of
 * vw_control_call.
 */
typedef int vw_control_page_fn(void *ctx, struct json_object *response);
int vw_control_each_page(const char *path, const char *command, struct json_object *args,
			 int timeout_ms, vw_control_page_fn *page, void *ctx);
/*
 * vw_control_each_page merged: one envelope whose result.<key> holds every
 * page's array, in page order. Errors as vw_control_each_page, or the
 * first error envelope as it came.
 */
int vw_control_call_pages(const char *path, const char *command, struct json_object *args,
			  const char *key, int timeout_ms, struct json_object **response);
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

#endif

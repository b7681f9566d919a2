// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/lib/control.c and daemon/vendorwalld/control_server.c: a real socket and sd-event loop, hostile and slow clients, credentials, validators, times. */
#include "unit.h"
#include <grp.h>
#include <inttypes.h>
#include <signal.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include "control_server.h"
#include "names.h"
#include "timeparse.h"

#define NOBODY 65534

struct audit_rec {
	uid_t uid;
	pid_t pid;
	char comm[16];
	char command[32];
	bool mutating;
	int result;
	bool had_args;
	unsigned suppressed;
};

struct fx {
	char *dir;
	char path[256];
	sd_event *loop;
	struct vw_control *ctl;
	struct audit_rec audits[128];
	size_t n_audits;
};

/* ---- the fake daemon side ----------------------------------------------- */

static int cmd_status(void *ctx, const struct vw_caller *c, struct json_object *args,
		      struct json_object **result, struct vw_control_change *chg,
		      char **errmsg)
{
	*result = json_object_new_object();
	json_object_object_add(*result, "version", json_object_new_string("test"));
	json_object_object_add(*result, "uid", json_object_new_int((int)c->uid));
	return 0;
}

static int cmd_mode(void *ctx, const struct vw_caller *c, struct json_object *args,
		    struct json_object **result, struct vw_control_change *chg,
		      char **errmsg)
{
	static const char *const keys[] = { "segment", "mode", NULL };
	const char *seg = NULL;
	int mode = 0, r;

	if ((r = vw_json_check_keys(args, keys, errmsg)) < 0 ||
	    (r = vw_json_get_string(args, "segment", true, &seg, errmsg)) < 0 ||
	    (r = vw_json_get_enum(args, "mode", true, vw_mode_names, VW_N_MODES, &mode,
					 errmsg)) < 0)
		return r;
	*result = json_object_new_object();
	json_object_object_add(*result, "segment", json_object_new_string(seg));
	json_object_object_add(*result, "mode", json_object_new_string(vw_mode_name(mode)));
	return 0;
}

static int cmd_big(void *ctx, const struct vw_caller *c, struct json_object *args,
		   struct json_object **result, struct vw_control_change *chg,
		      char **errmsg)
{
	int64_t size = 0;
	char *blob;
	int r = vw_json_get_int(args, "size", true, 1, 8 << 20, &size, errmsg);

	if (r < 0)
		return r;
	blob = malloc(size + 1);
	if (!blob)
		return -ENOMEM;
	memset(blob, 'x', size);
	blob[size] = '\0';
	*result = json_object_new_object();
	json_object_object_add(*result, "blob", json_object_new_string(blob));
	free(blob);
	return 0;
}

static int cmd_fail(void *ctx, const struct vw_caller *c, struct json_object *args,
		    struct json_object **result, struct vw_control_change *chg,
		      char **errmsg)
{
	*errmsg = strdup("no such device");
	return -ENOENT;
}

/* A paged listing of "a".."g", three a page; "stuck" repeats its cursor,
 * "empty" gives an empty one and "failing" fails on the second page, as a
 * broken daemon would. */
static int cmd_pages(void *ctx, const struct vw_caller *c, struct json_object *args,
		     struct json_object **result, struct vw_control_change *chg,
		     char **errmsg)
{
	static const char *const items[] = { "a", "b", "c", "d", "e", "f", "g" };
	const char *after = "", *mode = "";
	struct json_object *arr = json_object_new_array();
	size_t n = 0, i;

	vw_json_get_string(args, "after", false, &after, errmsg);
	vw_json_get_string(args, "mode", false, &mode, errmsg);
	if (!strcmp(mode, "failing") && *after) {
		json_object_put(arr);
		*errmsg = strdup("page gone");
		return -EIO;
	}
	for (i = 0; i < 7 && n < 3; i++)
		if (strcmp(items[i], after) > 0 || !strcmp(mode, "stuck")) {
			json_object_array_add(arr, json_object_new_string(items[i]));
			n++;
		}
	*result = json_object_new_object();
	json_object_object_add(*result, "items", arr);
	if (!strcmp(mode, "stuck") || !strcmp(mode, "empty"))
		json_object_object_add(*result, "next", json_object_new_string(*mode == 's' ? "c" : ""));
	else if (i < 7)
		json_object_object_add(*result, "next", json_object_new_string(items[i - 1]));
	return 0;
}

static const struct vw_control_command cmds[] = {
	{ "pages", false, cmd_pages },
	{ "status", false, cmd_status },
	{ "mode", true, cmd_mode },
	{ "big", false, cmd_big },
	{ "fail", true, cmd_fail },
};

static void on_audit(void *ctx, const struct vw_control_audit *a)
{
	struct fx *f = ctx;
	struct audit_rec *r;

	if (f->n_audits == sizeof(f->audits) / sizeof(f->audits[0]))
		return;
	r = &f->audits[f->n_audits++];
	r->uid = a->caller->uid;
	r->pid = a->caller->pid;
	snprintf(r->comm, sizeof(r->comm), "%s", a->caller->comm);
	snprintf(r->command, sizeof(r->command), "%s", a->command ? a->command : "");
	r->mutating = a->mutating;
	r->result = a->result;
	r->had_args = a->args != NULL;
	r->suppressed = a->suppressed;
}

static struct fx *server_cfg(const char *group, uint64_t idle_usec, unsigned max_clients,
			     unsigned refusal_burst, uint64_t refusal_interval_usec)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vw_control_config cfg = {
		.group = group, .cmds = cmds, .n_cmds = sizeof(cmds) / sizeof(cmds[0]),
		.audit = on_audit, .idle_usec = idle_usec, .max_clients = max_clients,
		.refusal_burst = refusal_burst, .refusal_interval_usec = refusal_interval_usec,
	};

	assert_non_null(f);
	f->dir = tmpdir_new();
	/* Unprivileged test clients must reach the socket to be refused. */
	assert_int_equal(chmod(f->dir, 0755), 0);
	snprintf(f->path, sizeof(f->path), "%s/control", f->dir);
	cfg.path = f->path;
	cfg.ctx = f;
	assert_int_equal(sd_event_new(&f->loop), 0);
	assert_int_equal(vw_control_open(&f->ctl, f->loop, &cfg), 0);
	return f;
}

static struct fx *server(const char *group, uint64_t idle_usec, unsigned max_clients)
{
	return server_cfg(group, idle_usec, max_clients, 0, 0);
}

static void server_free(struct fx *f)
{
	struct stat st;

	vw_control_close(f->ctl);
	assert_int_equal(stat(f->path, &st), -1);   /* close unlinks */
	sd_event_unref(f->loop);
	rm_rf(f->dir);
	free(f);
}

/* ---- clients ---------------------------------------------------------------- */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

static void pump(struct fx *f, unsigned ms)
{
	uint64_t end = now_ms() + ms;

	while (now_ms() < end)
		assert_true(sd_event_run(f->loop, 5000) >= 0);
}

/* Without cmocka asserts, so forked children can use it too. */
static int raw_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	strcpy(sa.sun_path, path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int client(struct fx *f)
{
	int fd = raw_connect(f->path);

	assert_true(fd >= 0);
	return fd;
}

/* Runs the loop until fd has a message (returned) or EOF (NULL). */
static char *receive(struct fx *f, int fd, unsigned timeout_ms, ssize_t *len)
{
	uint64_t end = now_ms() + timeout_ms;
	char *buf;
	ssize_t n;

	for (;;) {
		n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
		if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			break;
		if (now_ms() > end)
			fail_msg("no response within %u ms", timeout_ms);
		assert_true(sd_event_run(f->loop, 5000) >= 0);
	}
	if (n <= 0) {
		*len = n;
		return NULL;
	}
	buf = malloc(n + 1);
	assert_non_null(buf);
	assert_int_equal(recv(fd, buf, n, MSG_DONTWAIT), n);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static struct json_object *roundtrip(struct fx *f, int fd, const char *msg, size_t len)
{
	struct json_object *resp;
	ssize_t n;
	char *buf;

	assert_int_equal(send(fd, msg, len, MSG_NOSIGNAL), (ssize_t)len);
	buf = receive(f, fd, 5000, &n);
	assert_non_null(buf);
	resp = json_tokener_parse(buf);
	assert_non_null(resp);
	free(buf);
	return resp;
}

static struct json_object *request(struct fx *f, int fd, const char *msg)
{
	return roundtrip(f, fd, msg, strlen(msg));
}

/* Asserts an error envelope with code and a message starting with prefix. */
static void assert_error(struct json_object *resp, const char *code, const char *prefix)
{
	struct json_object *result;
	const char *c, *m;

	assert_true(vw_control_response(resp, &result, &c, &m) < 0);
	assert_non_null(c);
	if (strcmp(c, code) || strncmp(m, prefix, strlen(prefix)))
		fail_msg("expected %s \"%s...\", got %s \"%s\"", code, prefix, c, m);
	json_object_put(resp);
}

/* Returns result.key as a string and drops the response. */
static void assert_ok(struct json_object *resp, const char *key, const char *want)
{
	struct json_object *result, *v;
	const char *c, *m;
	int r = vw_control_response(resp, &result, &c, &m);

	if (r < 0)
		fail_msg("expected success, got %s \"%s\"", c, m);
	assert_true(json_object_object_get_ex(result, key, &v));
	assert_string_equal(json_object_get_string(v), want);
	json_object_put(resp);
}

static void assert_served(struct fx *f)
{
	int fd = client(f);

	assert_ok(request(f, fd, "{\"command\": \"status\"}"), "version", "test");
	close(fd);
}

/* Calls command as uid/gid/groups from a child, while this process runs
 * the server; returns the response. */
static struct json_object *call_as(struct fx *f, gid_t gid, const gid_t *groups, size_t n,
				   const char *command)
{
	struct json_object *resp;
	char buf[4096];
	int p[2], status;
	ssize_t len;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct json_object *r = NULL;
		const char *s;

		close(p[0]);
		if (setgroups(n, groups) < 0 || setgid(gid) < 0 || setuid(NOBODY) < 0)
			_exit(10);
		if (vw_control_call(f->path, command, NULL, 5000, &r) < 0)
			_exit(11);
		s = json_object_to_json_string(r);
		_exit(write(p[1], s, strlen(s)) == (ssize_t)strlen(s) ? 0 : 12);
	}
	close(p[1]);
	for (uint64_t end = now_ms() + 10000; waitpid(pid, &status, WNOHANG) == 0;) {
		if (now_ms() > end)
			fail_msg("client child hangs");
		assert_true(sd_event_run(f->loop, 5000) >= 0);
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	len = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	assert_true(len > 0);
	buf[len] = '\0';
	resp = json_tokener_parse(buf);
	assert_non_null(resp);
	return resp;
}

/* ---- tests ------------------------------------------------------------------- */

static void test_roundtrip(void **state)
{
	struct fx *f = server(NULL, 0, 0);
	int fd = client(f);

	assert_ok(request(f, fd, "{\"command\": \"status\"}"), "version", "test");
	/* Several requests on one connection, one response each. */
	assert_ok(request(f, fd, "{\"command\": \"mode\", \"args\": {\"segment\": \"lan\", \"mode\": \"block\"}}"),
		  "mode", "block");
	assert_error(request(f, fd, "{\"command\": \"fail\"}"), "ENOENT", "no such device");
	close(fd);

	assert_int_equal(f->n_audits, 3);
	assert_string_equal(f->audits[1].command, "mode");
	assert_true(f->audits[1].mutating);
	assert_int_equal(f->audits[1].result, 0);
	assert_int_equal(f->audits[1].uid, 0);
	assert_int_equal(f->audits[1].pid, getpid());
	assert_string_equal(f->audits[1].comm, "test_control");
	assert_false(f->audits[0].mutating);
	assert_int_equal(f->audits[2].result, -ENOENT);
	server_free(f);
}

static void test_malformed(void **state)
{
	static const struct { const char *msg, *code, *prefix; } cases[] = {
		{ "hello", "EINVAL", "request: not JSON" },
		{ "{\"command\": \"status\"", "EINVAL", "request: truncated JSON" },
		{ "{\"command\": \"status\"} {\"x\": 1}", "EINVAL", "request: trailing data" },
		{ "[1, 2]", "EINVAL", "request: expected a JSON object" },
		{ "42", "EINVAL", "request: expected a JSON object" },
		{ "{'command': 'status'}", "EINVAL", "request: not JSON" },
		{ "{\"command\": \"\xff\"}", "EINVAL", "request: not JSON" },
		{ "{}", "EINVAL", "command: required" },
		{ "{\"command\": 5}", "EINVAL", "command: expected a string" },
		{ "{\"command\": \"frobnicate\"}", "EOPNOTSUPP", "command: unknown command \"frobnicate\"" },
		{ "{\"command\": \"status\", \"args\": [1]}", "EINVAL", "args: expected an object" },
		{ "{\"command\": \"mode\", \"args\": {\"segment\": \"lan\", \"mode\": \"sideways\"}}",
		  "EINVAL", "args.mode: expected one of off, monitor, block" },
		{ "{\"command\": \"mode\", \"args\": {\"segment\": 7, \"mode\": \"block\"}}",
		  "EINVAL", "args.segment: expected a string" },
		{ "{\"command\": \"mode\", \"args\": {\"mode\": \"block\"}}", "EINVAL", "args.segment: required" },
		{ "{\"command\": \"mode\", \"args\": {\"segment\": \"a\", \"mode\": \"off\", \"x\": 1}}",
		  "EINVAL", "args.x: unknown argument" },
		{ "{\"command\": \"big\", \"args\": {\"size\": \"10\"}}", "EINVAL", "args.size: expected an integer" },
		{ "{\"command\": \"big\", \"args\": {\"size\": 0}}", "EINVAL", "args.size: expected an integer in 1..8388608" },
		{ "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		  "EINVAL", "request: not JSON" },
	};
	struct fx *f = server(NULL, 0, 0);
	int fd = client(f);
	char *huge;

	/* All on one connection: a bad request costs the client nothing but
	 * an error, and the server its next request. */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_error(request(f, fd, cases[i].msg), cases[i].code, cases[i].prefix);
	assert_ok(request(f, fd, "{\"command\": \"status\"}"), "version", "test");
	/* Every failed request was audited, the unknown command without a name. */
	assert_int_equal(f->n_audits, sizeof(cases) / sizeof(cases[0]) + 1);
	assert_string_equal(f->audits[0].command, "");
	assert_int_equal(f->audits[0].result, -EINVAL);

	/* Over the limit: an error, then the connection is closed. */
	huge = malloc(100 * 1024);
	assert_non_null(huge);
	memset(huge, ' ', 100 * 1024);
	memcpy(huge, "{\"command\": \"status\"}", 21);
	assert_error(roundtrip(f, fd, huge, 100 * 1024), "EMSGSIZE", "message too large");
	{
		ssize_t n;

		assert_null(receive(f, fd, 2000, &n));
		assert_int_equal(n, 0);
	}
	free(huge);
	close(fd);
	assert_served(f);
	server_free(f);
}

static void test_silent_client(void **state)
{
	struct fx *f = server(NULL, 300 * 1000, 0);
	int silent = client(f);
	uint64_t start = now_ms();
	ssize_t n;
	char c;

	pump(f, 20);
	assert_int_equal(vw_control_clients(f->ctl), 1);
	/* Others are served while it sits there. */
	assert_served(f);
	pump(f, 100);
	assert_int_equal(recv(silent, &c, 1, MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	assert_null(receive(f, silent, 3000, &n));
	assert_int_equal(n, 0);
	assert_true(now_ms() - start >= 290);
	assert_int_equal(vw_control_clients(f->ctl), 0);
	close(silent);
	assert_served(f);
	server_free(f);
}

static void test_unread_responses(void **state)
{
	static const char req[] = "{\"command\": \"big\", \"args\": {\"size\": 300000}}";
	struct fx *f = server(NULL, 300 * 1000, 0);
	int greedy = client(f);
	struct json_object *resp, *result, *blob;
	const char *c, *m;
	ssize_t n;
	char *buf;

	/* Asks for far more than the socket buffers hold and never reads. */
	for (int i = 0; i < 8; i++)
		assert_int_equal(send(greedy, req, sizeof(req) - 1, MSG_NOSIGNAL), (ssize_t)sizeof(req) - 1);
	pump(f, 50);
	assert_served(f);
	/* What it did get is whole. */
	buf = receive(f, greedy, 2000, &n);
	assert_non_null(buf);
	resp = json_tokener_parse(buf);
	free(buf);
	assert_int_equal(vw_control_response(resp, &result, &c, &m), 0);
	assert_true(json_object_object_get_ex(result, "blob", &blob));
	assert_int_equal(json_object_get_string_len(blob), 300000);
	json_object_put(resp);
	/* Then it stops reading, and is dropped after the idle timeout. */
	pump(f, 700);
	assert_int_equal(vw_control_clients(f->ctl), 0);
	close(greedy);
	assert_served(f);
	server_free(f);
}

static void test_response_bounds(void **state)
{
	struct fx *f = server(NULL, 0, 0);
	int fd = client(f);
	struct json_object *resp, *result, *blob;
	const char *c, *m;

	resp = request(f, fd, "{\"command\": \"big\", \"args\": {\"size\": 1000000}}");
	assert_int_equal(vw_control_response(resp, &result, &c, &m), 0);
	assert_true(json_object_object_get_ex(result, "blob", &blob));
	assert_int_equal(json_object_get_string_len(blob), 1000000);
	json_object_put(resp);
	assert_error(request(f, fd, "{\"command\": \"big\", \"args\": {\"size\": 2000000}}"),
		     "E2BIG", "response too large");
	close(fd);
	server_free(f);
}

static void test_too_many_clients(void **state)
{
	struct fx *f = server(NULL, 0, 2);
	int a = client(f), b = client(f), c;
	struct json_object *resp;
	ssize_t n;

	pump(f, 20);
	assert_int_equal(vw_control_clients(f->ctl), 2);
	/* The third waits in the backlog rather than being turned away ... */
	c = client(f);
	assert_int_equal(send(c, "{\"command\": \"status\"}", 21, MSG_NOSIGNAL), 21);
	pump(f, 50);
	assert_int_equal(recv(c, NULL, 0, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
	/* ... and is served as soon as a slot frees. */
	close(a);
	{
		char *buf = receive(f, c, 2000, &n);

		assert_non_null(buf);
		resp = json_tokener_parse(buf);
		free(buf);
	}
	assert_ok(resp, "version", "test");
	close(b);
	close(c);
	pump(f, 20);
	assert_served(f);
	server_free(f);
}

static void test_unprivileged_slots(void **state)
{
	struct fx *f = server(NULL, 0, 4);
	int p[2], status;
	char c;
	pid_t pid;

	/* Two unprivileged connections are all they get out of four: a
	 * third is closed at once and the refusal is audited. */
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0)
			_exit(10);
		for (int i = 0; i < 3; i++)
			if (raw_connect(f->path) < 0)
				_exit(11);
		(void)!write(p[1], "x", 1);
		/* Hold the connections until the parent has looked. */
		for (;;)
			pause();
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	pump(f, 50);
	assert_int_equal(vw_control_clients(f->ctl), 2);
	assert_int_equal(f->n_audits, 1);
	assert_int_equal(f->audits[0].result, -EBUSY);
	assert_int_equal(f->audits[0].uid, NOBODY);
	/* Root still gets a slot. */
	assert_served(f);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(p[0]);
	server_free(f);
}

static void test_unprivileged_refused(void **state)
{
	struct fx *f = server("vw-no-such-group-4711", 0, 0);
	gid_t gid;

	assert_int_equal(vw_control_group(f->ctl, &gid), -ENOENT);
	assert_error(call_as(f, NOBODY, NULL, 0, "mode"), "EPERM", "permission denied");
	assert_error(call_as(f, NOBODY, NULL, 0, "status"), "EPERM", "permission denied");
	assert_int_equal(f->n_audits, 2);
	assert_int_equal(f->audits[0].uid, NOBODY);
	assert_string_equal(f->audits[0].command, "mode");
	assert_true(f->audits[0].mutating);
	assert_int_equal(f->audits[0].result, -EPERM);
	assert_int_equal(f->audits[1].uid, NOBODY);
	assert_string_equal(f->audits[1].command, "status");
	assert_false(f->audits[1].mutating);
	assert_int_equal(f->audits[1].result, -EPERM);
	/* Root still is served. */
	assert_served(f);
	server_free(f);
}

/* A local user floods the socket with refused requests carrying a secret:
 * the audit gets a burst, then summaries, never the arguments, and the
 * count adds up. */
static void test_refusal_flood(void **state)
{
	struct fx *f = server_cfg("vw-no-such-group-4711", 0, 0, 3, 200000);
	const unsigned n = 300;
	unsigned individual = 0, summaries = 0, counted = 0;
	uint64_t start = now_ms(), elapsed;
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		struct json_object *args = json_object_new_object();

		json_object_object_add(args, "segment", json_object_new_string("SECRET\x1b[2J"));
		if (setgroups(0, NULL) < 0 || setgid(NOBODY) < 0 || setuid(NOBODY) < 0)
			_exit(10);
		for (unsigned i = 0; i < n; i++) {
			struct json_object *r = NULL;

			if (vw_control_call(f->path, i % 2 ? "mode" : "no-such-command", args, 5000, &r) < 0)
				_exit(11);
			json_object_put(r);
		}
		_exit(0);
	}
	for (uint64_t end = now_ms() + 30000; waitpid(pid, &status, WNOHANG) == 0;) {
		if (now_ms() > end)
			fail_msg("client child hangs");
		assert_true(sd_event_run(f->loop, 5000) >= 0);
	}
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	elapsed = now_ms() - start;
	/* The last summary comes within an interval or two of the flood's end. */
	for (uint64_t end = now_ms() + 2000; now_ms() < end && counted < n;) {
		assert_true(sd_event_run(f->loop, 50000) >= 0);
		individual = summaries = counted = 0;
		for (size_t i = 0; i < f->n_audits; i++) {
			individual += !f->audits[i].suppressed;
			summaries += !!f->audits[i].suppressed;
			counted += f->audits[i].suppressed ? f->audits[i].suppressed : 1;
		}
	}
	print_message("refusal flood: %u requests in %" PRIu64 " ms -> %zu audit entries (%u summaries)\n",
		      n, elapsed, f->n_audits, summaries);
	assert_int_equal(counted, n);
	assert_int_equal(individual, 3);
	assert_true(summaries >= 1);
	assert_true(f->n_audits <= 3 + 2 + elapsed / 200);
	for (size_t i = 0; i < f->n_audits; i++) {
		assert_int_equal(f->audits[i].uid, NOBODY);
		assert_int_equal(f->audits[i].result, -EPERM);
		assert_false(f->audits[i].had_args);
	}
	/* The unknown command is not named; the known one is. */
	assert_string_equal(f->audits[0].command, "");
	assert_string_equal(f->audits[1].command, "mode");
	/* Root is still served and audited on its own. */
	assert_served(f);
	server_free(f);
}

/* Runs vw_control_call_pages for "pages" in mode from a child while this
 * process serves; returns what it returned and the items it assembled. */
static int pages_as_child(struct fx *f, const char *mode, char *items, size_t size)
{
	int p[2], status;
	ssize_t len;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct json_object *args = json_object_new_object(), *r = NULL, *res, *arr;
		const char *code, *msg;
		char out[256] = "";
		int rc;

		close(p[0]);
		json_object_object_add(args, "mode", json_object_new_string(mode));
		rc = vw_control_call_pages(f->path, "pages", args, "items", 5000, &r);
		if (rc == 0 && vw_control_response(r, &res, &code, &msg) == 0 &&
		    json_object_object_get_ex(res, "items", &arr)) {
			for (size_t i = 0; i < json_object_array_length(arr); i++)
				strcat(out, json_object_get_string(json_object_array_get_idx(arr, i)));
			if (json_object_object_get_ex(res, "next", NULL))
				strcat(out, "+next");
		} else if (rc == 0) {
			snprintf(out, sizeof(out), "error:%s", msg ? msg : "?");
		}
		dprintf(p[1], "%d %s", rc, out);
		_exit(0);
	}
	close(p[1]);
	for (uint64_t end = now_ms() + 10000; waitpid(pid, &status, WNOHANG) == 0;) {
		if (now_ms() > end)
			fail_msg("client child hangs");
		assert_true(sd_event_run(f->loop, 5000) >= 0);
	}
	len = read(p[0], items, size - 1);
	close(p[0]);
	assert_true(len > 0);
	items[len] = '\0';
	return atoi(items);
}

/* The client follows "next" until the last page, in order, each item once;
 * a cursor that does not advance (or is empty) is a malformed response,
 * not a loop; an error on a later page is the answer. */
static void test_pages(void **state)
{
	struct fx *f = server(NULL, 0, 0);
	char got[300];

	pages_as_child(f, "", got, sizeof(got));
	assert_string_equal(got, "0 abcdefg");
	pages_as_child(f, "stuck", got, sizeof(got));
	assert_int_equal(atoi(got), -EBADMSG);
	/* "" after "" does not go forward either (the client used to loop). */
	pages_as_child(f, "empty", got, sizeof(got));
	assert_int_equal(atoi(got), -EBADMSG);
	pages_as_child(f, "failing", got, sizeof(got));
	assert_string_equal(got, "0 error:page gone");
	server_free(f);
}

static void test_group_member(void **state)
{
	struct group *gr = getgrnam("daemon");
	struct json_object *resp;
	struct fx *f;
	gid_t gid;

	if (!gr)
		skip();
	gid = gr->gr_gid;
	f = server("daemon", 0, 0);
	/* Supplementary membership. */
	resp = call_as(f, NOBODY, &gid, 1, "status");
	assert_ok(resp, "uid", "65534");
	/* Primary group. */
	assert_ok(call_as(f, gid, NULL, 0, "status"), "version", "test");
	/* Mutating commands too: the handler's own validation answers. */
	assert_error(call_as(f, NOBODY, &gid, 1, "mode"), "EINVAL", "args.segment: required");
	/* Neither: refused. */
	assert_error(call_as(f, NOBODY, NULL, 0, "status"), "EPERM", "permission denied");
	assert_int_equal(f->audits[3].result, -EPERM);
	server_free(f);
}

static void test_socket_file(void **state)
{
	struct fx *f = server(NULL, 0, 0);
	struct vw_control_config cfg = { .path = f->path, .cmds = cmds, .n_cmds = 1 };
	struct vw_control *other;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	char longpath[200];
	int fd;

	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0666);
	/* A running server keeps its socket. */
	assert_int_equal(vw_control_open(&other, f->loop, &cfg), -EADDRINUSE);
	assert_served(f);
	vw_control_close(f->ctl);
	/* A file left by a crash is replaced. */
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	strcpy(sa.sun_path, f->path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	cfg.n_cmds = sizeof(cmds) / sizeof(cmds[0]);
	assert_int_equal(vw_control_open(&f->ctl, f->loop, &cfg), 0);
	assert_served(f);
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	cfg.path = longpath;
	assert_int_equal(vw_control_open(&other, f->loop, &cfg), -ENAMETOOLONG);
	server_free(f);
}

static void test_client_errors(void **state)
{
	char *dir = tmpdir_new();
	char path[256];
	struct json_object *resp = NULL;

	snprintf(path, sizeof(path), "%s/none", dir);
	assert_int_equal(vw_control_call(path, "status", NULL, 100, &resp), -ENOENT);
	assert_null(resp);
	rm_rf(dir);
}

static void test_validators(void **state)
{
	struct json_object *args = json_tokener_parse(
		"{\"s\": \"x\", \"i\": 42, \"b\": true, \"mac\": \"00E0.FC12.3456\", \"n\": null, \"big\": 1e3}");
	static const char *const names[] = { "a", "b" };
	const char *s = "default";
	int64_t i = -1;
	bool b = false;
	uint8_t mac[6];
	char *err = NULL;
	int e = -1;

	assert_non_null(args);
	assert_int_equal(vw_json_get_string(args, "s", true, &s, &err), 0);
	assert_string_equal(s, "x");
	s = "default";
	assert_int_equal(vw_json_get_string(args, "n", false, &s, &err), 0);   /* null = absent */
	assert_int_equal(vw_json_get_string(args, "missing", false, &s, &err), 0);
	assert_string_equal(s, "default");
	assert_int_equal(vw_json_get_int(args, "i", true, 0, 100, &i, &err), 0);
	assert_int_equal(i, 42);
	assert_int_equal(vw_json_get_int(args, "i", true, 0, 10, &i, &err), -EINVAL);
	assert_string_equal(err, "args.i: expected an integer in 0..10");
	free(err);
	assert_int_equal(vw_json_get_int(args, "big", true, 0, 10000, &i, &err), -EINVAL);
	assert_string_equal(err, "args.big: expected an integer");
	free(err);
	assert_int_equal(vw_json_get_bool(args, "b", true, &b, &err), 0);
	assert_true(b);
	assert_int_equal(vw_json_get_mac(args, "mac", true, mac, &err), 0);
	assert_int_equal(mac[0], 0x00);
	assert_int_equal(mac[5], 0x56);
	assert_int_equal(vw_json_get_mac(args, "s", true, mac, &err), -EINVAL);
	assert_string_equal(err, "args.s: expected a MAC address like 00:e0:fc:12:34:56");
	free(err);
	assert_int_equal(vw_json_get_enum(args, "s", true, names, 2, &e, &err), -EINVAL);
	assert_string_equal(err, "args.s: expected one of a, b");
	free(err);
	assert_int_equal(vw_json_get_enum(args, "missing", true, names, 2, &e, &err), -EINVAL);
	assert_string_equal(err, "args.missing: required");
	free(err);
	json_object_put(args);
}

static void test_parse_time(void **state)
{
	const time_t now = 1800000000;
	struct tm tm = {0};
	time_t t;

	assert_int_equal(vw_parse_time("+8h", now, -1, &t), 0);
	assert_int_equal(t, now + 8 * 3600);
	assert_int_equal(vw_parse_time("7d", now, -1, &t), 0);
	assert_int_equal(t, now - 7 * 86400);
	assert_int_equal(vw_parse_time("7d", now, 1, &t), 0);
	assert_int_equal(t, now + 7 * 86400);
	assert_int_equal(vw_parse_time("-2h", now, 1, &t), 0);
	assert_int_equal(t, now - 7200);
	assert_int_equal(vw_parse_time("1d12h30min", now, 1, &t), 0);
	assert_int_equal(t, now + 86400 + 12 * 3600 + 1800);
	assert_int_equal(vw_parse_time("@1700000000", now, 1, &t), 0);
	assert_int_equal(t, 1700000000);
	assert_int_equal(vw_parse_time("2027-03-31T18:00Z", now, 1, &t), 0);
	assert_int_equal(t, 1806516000);
	assert_int_equal(vw_parse_time("2027-03-31T20:00:00+02:00", now, 1, &t), 0);
	assert_int_equal(t, 1806516000);
	/* A bare date is local time: through that day for --until, from its
	 * start for --since. */
	tm = (struct tm){ .tm_year = 127, .tm_mon = 3, .tm_mday = 1, .tm_isdst = -1 };
	assert_int_equal(vw_parse_time("2027-03-31", now, 1, &t), 0);
	assert_int_equal(t, mktime(&tm));
	tm = (struct tm){ .tm_year = 127, .tm_mon = 2, .tm_mday = 31, .tm_isdst = -1 };
	assert_int_equal(vw_parse_time("2027-03-31", now, -1, &t), 0);
	assert_int_equal(t, mktime(&tm));
	assert_int_equal(vw_parse_time("2028-02-29", now, 1, &t), 0);
	assert_int_equal(vw_parse_time("2027-02-29", now, 1, &t), -EINVAL);
	assert_int_equal(vw_parse_time("2027-13-01", now, 1, &t), -EINVAL);
	assert_int_equal(vw_parse_time("2027-03-31T25:00", now, 1, &t), -EINVAL);
	assert_int_equal(vw_parse_time("2027-03-31x", now, 1, &t), -EINVAL);
	assert_int_equal(vw_parse_time("7", now, 1, &t), 0);   /* seconds, as in the configuration */
	assert_int_equal(t, now + 7);
	assert_int_equal(vw_parse_time("7y", now, 1, &t), -EINVAL);
	assert_int_equal(vw_parse_time("", now, 1, &t), -EINVAL);
	assert_int_equal(vw_parse_time("+", now, 1, &t), -EINVAL);
	assert_int_equal(vw_parse_time("@", now, 1, &t), -EINVAL);
	assert_int_equal(vw_parse_time("99999999999d", now, 1, &t), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_silent_client),
		cmocka_unit_test(test_unread_responses),
		cmocka_unit_test(test_response_bounds),
		cmocka_unit_test(test_too_many_clients),
		cmocka_unit_test(test_unprivileged_slots),
		cmocka_unit_test(test_unprivileged_refused),
		cmocka_unit_test(test_refusal_flood),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_group_member),
		cmocka_unit_test(test_socket_file),
		cmocka_unit_test(test_client_errors),
		cmocka_unit_test(test_validators),
		cmocka_unit_test(test_parse_time),
	};

	/* A client that went away must not kill the server with SIGPIPE. */
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

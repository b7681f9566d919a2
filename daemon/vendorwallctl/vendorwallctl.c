// SPDX-License-Identifier: GPL-2.0-only
/*
 * vendorwallctl: asks vendorwalld over the control socket and prints the
 * answer, as JSON (-j) or as aligned tables. Exit status: 0 done, 1 the
 * daemon (or vendorwalld --check-config) said no, 2 usage, 3 the daemon
 * is unreachable.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "control.h"
#include "escape.h"
#include "commands.h"
#include "devices_json.h"
#include "classify.h"
#include "names.h"
#include "vendorwall.h"
#include "report_fmt.h"
#include "registry_cmd.h"
#include "openmetrics.h"
#include "full.h"

/* Not in the light link (full.c): present only in vendorwallctl-full. */
#pragma weak vw_ctl_classify_main
#pragma weak vw_ctl_report_main
#pragma weak vw_ctl_fetch

#define EXIT_DAEMON      1
#define EXIT_USAGE       2
#define EXIT_UNREACHABLE 3
/* reload rebuilds the whole policy inside the daemon's loop; give it time. */
#define CALL_TIMEOUT_MS  60000

static bool color;

static void usage(FILE *f, const struct vw_ctl_cmd *only)
{
	if (only) {
		fprintf(f, "Usage: vendorwallctl [OPTIONS] %s %s\n  %s\n", only->name, only->usage, only->help);
		return;
	}
	fprintf(f, "Usage: vendorwallctl [OPTIONS] COMMAND [ARGS]\n\nCommands:\n");
	for (size_t i = 0; i < vw_ctl_n_cmds; i++) {
		char left[80];

		snprintf(left, sizeof(left), "%s %s", vw_ctl_cmds[i].name, vw_ctl_cmds[i].usage);
		fprintf(f, "  %-52s %s\n", left, vw_ctl_cmds[i].help);
	}
	fprintf(f, "  %-52s %s\n", "classify [--profile P] [--all] FILE.pcap...",
		"classify devices in captures offline (no daemon, no root)");
	fprintf(f, "  %-52s %s\n", "report [--profile P] [--since TIME] [--format F]",
		"compliance report from the inventory (text|json|csv|html; no daemon)");
	fprintf(f, "  %-52s %s\n", "policy profiles", "profiles with their legal basis and vendors");
	fprintf(f, "  %-52s %s\n", "stats --openmetrics [--output FILE]",
		"counters in the OpenMetrics text format (FILE written atomically)");
	fprintf(f, "  %-52s %s\n", "registry import [--config F] [--no-reload] DIR|FILE...",
		"validate and install IEEE registry CSVs carried in");
	fprintf(f, "  %-52s %s\n", "registry fetch [--config F] [--cacert F] [--no-reload] [URL...]",
		"download, validate and install the IEEE registry (HTTPS)");
	fprintf(f, "\nOptions (before or after the command):\n"
		   "  -j, --json           print the daemon's result as JSON\n"
		   "  -p, --pretty         indent JSON (the default on a terminal)\n"
		   "      --socket PATH    control socket (default " VW_CONTROL_SOCKET ")\n"
		   "  -h, --help           this text\n"
		   "\nTIME: 2027-03-31 (through that day), 2027-03-31T18:00[Z|+01:00],\n"
		   "      +8h, 7d, 1d12h (from now for --until, ago for --since), @UNIXSECONDS\n");
}

/* ---- JSON field access with defaults, for printing ------------------------ */

static struct json_object *jget(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

#define ESC_BUF 1024

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "-";
}

/* A string value made safe for the terminal (escape.h), in buf. */
static const char *jesc(struct json_object *o, const char *key, char buf[ESC_BUF])
{
	const char *v = jstr(o, key);

	vw_escape(v, strlen(v), buf, ESC_BUF);
	return buf;
}

static int64_t jint(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);

	return v ? json_object_get_int64(v) : 0;
}

static size_t jlen(struct json_object *arr)
{
	return arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
}

/* Local ISO 8601 with offset; "-" for never. */
static const char *fmt_time(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	size_t n;

	if (t <= 0 || !localtime_r(&tt, &tm) || !(n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S%z", &tm)))
		return "-";
	/* strftime gives +0100; ISO 8601's extended format wants +01:00. */
	if (n == 24) {
		memmove(buf + 23, buf + 22, 3);
		buf[22] = ':';
	}
	return buf;
}

/* The elements of a string array joined by sep; "-" when empty. Caller frees. */
static char *join(struct json_object *arr, const char *key, const char *sep)
{
	size_t n = jlen(arr), len = 0;
	char *s;

	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);

		len += strlen(key ? jstr(e, key) : json_object_get_string(e)) + strlen(sep);
	}
	s = malloc(len + 2);
	if (!s)
		return NULL;
	strcpy(s, n ? "" : "-");
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(arr, i);

		if (i)
			strcat(s, sep);
		strcat(s, key ? jstr(e, key) : json_object_get_string(e));
	}
	return s;
}

/* ---- tables --------------------------------------------------------------- */

#define MAX_COLS 12
#define CELL_MAX 1024   /* bytes of one cell shown, before escaping */

struct table {
	size_t cols, rows, cap;
	const char *head[MAX_COLS];
	bool right[MAX_COLS];      /* numbers align right */
	char **cells;              /* rows × cols, owned */
	int oom;
	char spec[256];            /* head[] points in here */
};

static void table_init(struct table *t, const char *spec)
{
	/* spec: "NAME,>PASSED,..."; '>' marks a right-aligned column. */
	char *save = NULL;

	*t = (struct table){0};
	snprintf(t->spec, sizeof(t->spec), "%s", spec);
	for (char *tok = strtok_r(t->spec, ",", &save); tok && t->cols < MAX_COLS;
	     tok = strtok_r(NULL, ",", &save)) {
		t->right[t->cols] = *tok == '>';
		t->head[t->cols++] = tok + (*tok == '>');
	}
}

static void table_row(struct table *t, ...)
{
	va_list ap;
	char **cells;

	if (t->rows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;

		cells = realloc(t->cells, cap * t->cols * sizeof(*cells));
		if (!cells) {
			t->oom = 1;
			return;
		}
		t->cells = cells;
		t->cap = cap;
	}
	va_start(ap, t);
	for (size_t c = 0; c < t->cols; c++) {
		const char *v = va_arg(ap, const char *);

		/* Cells carry what devices and users chose: escaped here, once,
		 * so no column can hold a terminal control or a bidi override. */
		t->cells[t->rows * t->cols + c] = vw_escape_dup(v ? v : "-", CELL_MAX);
		t->oom |= !t->cells[t->rows * t->cols + c];
	}
	va_end(ap);
	t->rows++;
}

static const char *mode_color(const char *s)
{
	if (!color)
		return NULL;
	switch (vw_mode_from_name(s)) {
	case VW_MODE_BLOCK: return "\033[1;31m";
	case VW_MODE_MONITOR: return "\033[33m";
	case VW_MODE_OFF: return "\033[2m";
	}
	return NULL;
}

/* Prints and frees; color_cols marks columns holding a mode. */
static int table_print(struct table *t, unsigned color_cols)
{
	size_t w[MAX_COLS];

	for (size_t c = 0; c < t->cols; c++) {
		w[c] = strlen(t->head[c]);
		for (size_t r = 0; r < t->rows && !t->oom; r++)
			if (t->cells[r * t->cols + c] && strlen(t->cells[r * t->cols + c]) > w[c])
				w[c] = strlen(t->cells[r * t->cols + c]);
	}
	for (size_t r = 0; r <= t->rows && !t->oom; r++) {
		for (size_t c = 0; c < t->cols; c++) {
			const char *v = r ? t->cells[(r - 1) * t->cols + c] : t->head[c];
			const char *col = r && (color_cols & (1u << c)) ? mode_color(v) : NULL;
			int pad = (int)(w[c] - strlen(v));
			bool last = c + 1 == t->cols;

			/* Padding is computed on the plain text so colour codes do
			 * not skew the columns. */
			if (t->right[c])
				printf("%*s", pad, "");
			printf("%s%s%s", col ? col : "", v, col ? "\033[0m" : "");
			if (!t->right[c] && !last)
				printf("%*s", pad, "");
			if (!last)
				printf("  ");
		}
		printf("\n");
	}
	for (size_t i = 0; i < t->rows * t->cols; i++)
		free(t->cells[i]);
	free(t->cells);
	return t->oom ? -ENOMEM : 0;
}

static const char *num(int64_t v, char buf[24])
{
	snprintf(buf, 24, "%" PRId64, v);
	return buf;
}

/* Most recently seen first, then by MAC (as the daemon listed them once). */
static int by_last_seen(const void *a, const void *b)
{
	struct json_object *x = *(struct json_object *const *)a, *y = *(struct json_object *const *)b;
	int64_t tx = jint(x, "last_seen"), ty = jint(y, "last_seen");

	if (tx != ty)
		return tx > ty ? -1 : 1;
	return strcmp(jstr(x, "mac"), jstr(y, "mac"));
}

/* ---- human output per command ---------------------------------------------- */

static int print_segments(struct json_object *segs)
{
	struct table t;

	table_init(&t, "SEGMENT,INTERFACE,VLAN,MODE,CONFIGURED,ATTACH,>PASSED,>DROPPED,>WOULD-DROP,>REDIRECTED,>DEVICES");
	for (size_t i = 0; i < jlen(segs); i++) {
		struct json_object *s = json_object_array_get_idx(segs, i), *c = jget(s, "counters");
		char vlan[24], a[24], b[24], d[24], e[24], f[24];

		table_row(&t, jstr(s, "name"), jstr(s, "interface"),
			  jint(s, "vlan") ? num(jint(s, "vlan"), vlan) : "-",
			  jstr(s, "mode"), jstr(s, "configured_mode"), jstr(s, "attach"),
			  num(jint(c, vw_outcome_key(VW_VERDICT_PASS)), a),
			  num(jint(c, vw_outcome_key(VW_VERDICT_DROP)), b),
			  num(jint(c, vw_outcome_key(VW_VERDICT_WOULD_DROP)), d),
			  num(jint(c, vw_outcome_key(VW_VERDICT_REDIRECT)), e),
			  num(jint(s, "devices"), f));
	}
	return table_print(&t, 1u << 3 | 1u << 4);
}

/* Polled switches, when any: never a credential (the daemon sends none). */
static int print_switches(struct json_object *sws)
{
	struct table t;

	if (!jlen(sws))
		return 0;
	printf("\n");
	table_init(&t, "SWITCH,ADDRESS,>PORT,VERSION,STATE,LAST-ANSWER,>ROWS,TRUNCATED,>DEVICES");
	for (size_t i = 0; i < jlen(sws); i++) {
		struct json_object *s = json_object_array_get_idx(sws, i);
		char p[24], r[24], d[24], t1[32];

		table_row(&t, jstr(s, "name"), jstr(s, "address"), num(jint(s, "port"), p),
			  jstr(s, "version"), jstr(s, "state"), fmt_time(jint(s, "last_answer"), t1),
			  num(jint(s, "rows"), r), json_object_get_boolean(jget(s, "truncated")) ? "yes" : "no",
			  num(jint(s, "devices"), d));
	}
	return table_print(&t, 0);
}

/* Routers whose frames are judged by IP: named (Router=) or learned. */
static void print_routers(struct json_object *a)
{
	if (!jlen(a))
		printf("Routers:         none\n");
	for (size_t i = 0; i < jlen(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		printf("%s%s (%s)\n", i ? "                 " : "Routers:         ", jstr(e, "mac"),
		       jstr(e, "source"));
	}
}

/* Devices behind routers, known by IP address. */
static int print_ip_devices(struct json_object *devs)
{
	struct table t;
	char t1[32], t2[32];

	if (!jlen(devs))
		return 0;
	printf("\nBehind routers (by IP address):\n");
	table_init(&t, "IP,VENDOR,VERDICT,ROUTER,MAC,EVIDENCE,LAST-SEEN,EXPIRES");
	for (size_t i = 0; i < jlen(devs); i++) {
		struct json_object *d = json_object_array_get_idx(devs, i);

		table_row(&t, jstr(d, "ip"), jstr(d, "vendor"), jstr(d, "verdict"),
			  *jstr(d, "router") ? jstr(d, "router") : "-",
			  *jstr(d, "mac") ? jstr(d, "mac") : "-",
			  *jstr(d, "evidence") ? jstr(d, "evidence") : "-",
			  fmt_time(jint(d, "last_seen"), t1),
			  jint(d, "expires") ? fmt_time(jint(d, "expires"), t2) : "-");
	}
	return table_print(&t, 0);
}

static int print_ip_device(struct json_object *d)
{
	char t1[32], t2[32], t3[32];

	printf("IP:          %s\n", jstr(d, "ip"));
	printf("Vendor:      %s\n", jstr(d, "vendor"));
	printf("Verdict:     %s\n", jstr(d, "verdict"));
	printf("Router:      %s\n", *jstr(d, "router") ? jstr(d, "router") : "-");
	printf("MAC:         %s\n", *jstr(d, "mac") ? jstr(d, "mac") : "-");
	printf("Evidence:    %s\n", *jstr(d, "evidence") ? jstr(d, "evidence") : "-");
	printf("Reason:      %s\n", *jstr(d, "reason") ? jstr(d, "reason") : "-");
	printf("First seen:  %s\n", fmt_time(jint(d, "first_seen"), t1));
	printf("Last seen:   %s\n", fmt_time(jint(d, "last_seen"), t2));
	printf("Expires:     %s\n", jint(d, "expires") ? fmt_time(jint(d, "expires"), t3) : "-");
	return 0;
}

static int print_status(struct json_object *r)
{
	struct json_object *lost = jget(r, "ringbuf_lost"), *deg = jget(r, "degraded");
	char *profiles = join(jget(r, "profiles"), NULL, " ");

	char e[ESC_BUF];

	printf("Version:         %s\n", jesc(r, "version", e));
	printf("Policy version:  %s\n", jesc(r, "policy_version", e));
	printf("Profiles:        %s\n", profiles ? profiles : "?");
	printf("Registry date:   %s\n", jstr(r, "registry_date"));
	printf("Registry:        %s\n", jstr(r, "registry_path"));
	printf("Ring buffers:    %" PRId64 " events lost, %" PRId64 " samples lost\n",
	       jint(lost, "events"), jint(lost, "samples"));
	if (jget(r, "cap_blocked"))
		printf("Cap admissions:  %" PRId64 " of %" PRId64 " (%" PRId64 " forgotten)\n",
		       jint(jget(r, "cap_blocked"), "entries"), jint(jget(r, "cap_blocked"), "capacity"),
		       jint(jget(r, "cap_blocked"), "forgotten"));
	if (!jlen(deg))
		printf("Degraded:        no\n");
	for (size_t i = 0; i < jlen(deg); i++) {
		const char *v = json_object_get_string(json_object_array_get_idx(deg, i));

		vw_escape(v ? v : "", v ? strlen(v) : 0, e, sizeof(e));
		printf("%s%s\n", i ? "                 " : "Degraded:        ", e);
	}
	free(profiles);
	print_routers(jget(r, "routers"));
	printf("\n");
	return print_segments(jget(r, "segments")) ?: print_switches(jget(r, "switches"));
}

/* "sw1 Gi0/3" where the last switch poll put the device, "-" otherwise. */
static const char *switch_port(struct json_object *d, char *buf, size_t len)
{
	if (!jget(d, "switch"))
		return "-";
	snprintf(buf, len, "%s %s", jstr(d, "switch"), jstr(d, "port"));
	return buf;
}

static int print_devices(struct json_object *devs)
{
	struct table t;
	int r = 0;

	table_init(&t, "MAC,VENDOR,VERDICT,SEGMENTS,FIRST-SEEN,LAST-SEEN,ADDRESSES,SWITCH-PORT");
	for (size_t i = 0; i < jlen(devs); i++) {
		struct json_object *d = json_object_array_get_idx(devs, i);
		char *segs = join(jget(d, "segments"), NULL, ","), *v4 = join(jget(d, "ipv4"), NULL, ",");
		char *v6 = join(jget(d, "ipv6"), NULL, ","), *addrs = NULL, t1[32], t2[32], where[160];

		if (v4 && v6 && asprintf(&addrs, "%s%s%s", strcmp(v4, "-") ? v4 : "",
					 strcmp(v4, "-") && strcmp(v6, "-") ? "," : "",
					 strcmp(v6, "-") ? v6 : "") < 0)
			addrs = NULL;
		if (!segs || !addrs)
			r = -ENOMEM;
		else
			table_row(&t, jstr(d, "mac"), jstr(d, "vendor"), jstr(d, "verdict"), segs,
				  fmt_time(jint(d, "first_seen"), t1), fmt_time(jint(d, "last_seen"), t2),
				  *addrs ? addrs : "-", switch_port(d, where, sizeof(where)));
		free(segs);
		free(v4);
		free(v6);
		free(addrs);
	}
	return table_print(&t, 0) ?: r;
}

static int print_device(struct json_object *r)
{
	struct json_object *d = jget(r, "device"), *a;
	char *v4 = join(jget(d, "ipv4"), NULL, ", "), *v6 = join(jget(d, "ipv6"), NULL, ", ");
	char t1[32], t2[32], t3[32], e[ESC_BUF];
	struct table t;
	int err = 0;

	printf("MAC:         %s\n", jesc(d, "mac", e));
	printf("Vendor:      %s\n", jesc(d, "vendor", e));
	printf("Verdict:     %s\n", jesc(d, "verdict", e));
	printf("Last frame:  %s\n", *jstr(d, "outcome") ? jesc(d, "outcome", e) : "-");
	printf("First seen:  %s\n", fmt_time(jint(d, "first_seen"), t1));
	printf("Last seen:   %s\n", fmt_time(jint(d, "last_seen"), t2));
	printf("IPv4:        %s\n", v4 ? v4 : "?");
	printf("IPv6:        %s\n", v6 ? v6 : "?");
	if (jget(d, "switch"))
		printf("Switch port: %s %s\n", jstr(d, "switch"), jstr(d, "port"));
	free(v4);
	free(v6);

	a = jget(d, "segments");
	printf("\nSegments:\n");
	table_init(&t, "SEGMENT,FIRST-SEEN,LAST-SEEN");
	for (size_t i = 0; i < jlen(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		table_row(&t, jstr(e, "name"), fmt_time(jint(e, "first_seen"), t1),
			  fmt_time(jint(e, "last_seen"), t2));
	}
	err = table_print(&t, 0) ?: err;

	a = jget(d, "evidence");
	printf("\nEvidence:\n");
	table_init(&t, "SIGNAL,FIELD,VALUE,>CONFIDENCE,TIME");
	for (size_t i = 0; i < jlen(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i), *conf = jget(e, "confidence");

		table_row(&t, jstr(e, "signal"), jstr(e, "field"), jstr(e, "value"),
			  conf ? json_object_get_string(conf) : "-", fmt_time(jint(e, "time"), t3));
	}
	err = table_print(&t, 0) ?: err;

	a = jget(d, "decisions");
	printf("\nDecisions:\n");
	table_init(&t, "TIME,ACTION,BY,REASON");
	for (size_t i = 0; i < jlen(a); i++) {
		struct json_object *e = json_object_array_get_idx(a, i);

		table_row(&t, fmt_time(jint(e, "time"), t1), jstr(e, "action"), jstr(e, "by"),
			  jstr(e, "reason"));
	}
	return table_print(&t, 0) ?: err;
}

/* Counters as rows, segments as columns: the same counter lines up across
 * segments, which is what one compares. */
static int print_stats(struct json_object *r)
{
	struct json_object *segs = jget(r, "segments");
	size_t n = jlen(segs), cols = n + 1 > MAX_COLS ? MAX_COLS : n + 1;
	char spec[256] = "COUNTER";
	struct table t;
	struct json_object *first = n ? jget(json_object_array_get_idx(segs, 0), "counters") : NULL;

	for (size_t i = 0; i + 1 < cols; i++) {
		size_t off = strlen(spec);

		snprintf(spec + off, sizeof(spec) - off, ",>%s",
			 jstr(json_object_array_get_idx(segs, i), "name"));
	}
	table_init(&t, spec);
	if (!first)
		return table_print(&t, 0);
	json_object_object_foreach(first, name, val) {
		char v[MAX_COLS][24];
		const char *c[MAX_COLS] = { name };

		(void)val;
		for (size_t i = 0; i + 1 < cols; i++)
			c[i + 1] = num(jint(jget(json_object_array_get_idx(segs, i), "counters"), name), v[i]);
		table_row(&t, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11]);
	}
	return table_print(&t, 0);
}

static int print_mutation(const char *cmd, struct json_object *args, struct json_object *r)
{
	char t1[32];
	const char *who = jget(args, "ip") ? jstr(args, "ip") : jstr(args, "mac");

	if (!strcmp(cmd, "mode")) {
		const char *m = jstr(r, "mode"), *col = mode_color(m);

		printf("%s: %s%s%s (was %s)\n", jstr(r, "segment"), col ? col : "", m, col ? "\033[0m" : "",
		       jstr(r, "previous_mode"));
	} else if (!strcmp(cmd, "allow")) {
		printf("%s: allowed until %s\n", who, fmt_time(jint(r, "until"), t1));
	} else if (!strcmp(cmd, "revoke")) {
		printf("%s: waiver revoked\n", who);
	} else if (!strcmp(cmd, "quarantine")) {
		printf("%s: quarantined\n", who);
	} else if (!strcmp(cmd, "release")) {
		printf("%s: released\n", who);
	} else if (!strcmp(cmd, "reload")) {
		printf("Reloaded, policy version %s\n", jstr(r, "policy_version"));
	}
	return 0;
}

static int print_human(const struct vw_ctl_inv *inv, struct json_object *r)
{
	const char *cmd = inv->cmd->name;

	if (!strcmp(cmd, "status"))
		return print_status(r);
	if (!strcmp(cmd, "segments"))
		return print_segments(jget(r, "segments"));
	if (!strcmp(cmd, "devices"))
		return print_devices(jget(r, "devices")) ?: print_ip_devices(jget(r, "ip_devices"));
	if (!strcmp(cmd, "device") && jget(r, "ip_device"))
		return print_ip_device(jget(r, "ip_device"));
	if (!strcmp(cmd, "device"))
		return print_device(r);
	if (!strcmp(cmd, "stats"))
		return print_stats(r);
	return print_mutation(cmd, inv->args, r);
}

static void print_json(const struct vw_ctl_inv *inv, struct json_object *r)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= inv->pretty || isatty(STDOUT_FILENO) ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN;
	puts(json_object_to_json_string_ext(r, flags));
}

/* ---- policy check: relay vendorwalld --check-config --------------------- */

/* Next to our own binary first (a build tree, or /usr/sbin for both), then PATH. */
static void exec_check(const char *file)
{
	char self[PATH_MAX], path[PATH_MAX + 16];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	/* execv wants char *const[]; an owned copy, freed by the exec or _exit. */
	char *conf = file ? strdup(file) : NULL;
	char *argv[] = { "vendorwalld", "--check-config", file ? "--config" : NULL, conf, NULL };

	if (file && !conf) {
		fprintf(stderr, "Error: out of memory\n");
		_exit(127);
	}
	if (n > 0) {
		self[n] = '\0';
		snprintf(path, sizeof(path), "%s/vendorwalld", dirname(self));
		if (access(path, X_OK) == 0)
			execv(path, argv);
	}
	execvp("vendorwalld", argv);
	/* Unprivileged users often lack /usr/sbin in PATH. */
	execv("/usr/sbin/vendorwalld", argv);
	fprintf(stderr, "Error: cannot run vendorwalld (next to vendorwallctl, in PATH or /usr/sbin): %s\n",
		strerror(errno));
	_exit(127);
}

/* Runs one check; output goes to ours or, for JSON, into *out. Returns the
 * exit status or -errno. */
static int run_check(const char *file, bool capture, char **out)
{
	int fds[2] = { -1, -1 }, status, r;
	size_t len = 0, cap = 0;
	pid_t pid;

	fflush(stdout);
	if (capture && pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		goto out;
	}
	if (pid == 0) {
		if (capture && (dup2(fds[1], STDOUT_FILENO) < 0 || dup2(fds[1], STDERR_FILENO) < 0))
			_exit(127);
		exec_check(file);
	}
	if (capture) {
		char chunk[4096];
		ssize_t n;

		close(fds[1]);
		fds[1] = -1;
		while ((n = read(fds[0], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR)) {
			if (n < 0)
				continue;
			if (len + n + 1 > cap) {
				char *p = realloc(*out, cap = 2 * (len + n + 1));

				if (!p)
					break;
				*out = p;
			}
			memcpy(*out + len, chunk, n);
			len += n;
			(*out)[len] = '\0';
		}
	}
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (r < 0)
		r = -errno;
	else
		r = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
out:
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	return r;
}

static int policy_check(const struct vw_ctl_inv *inv)
{
	struct json_object *res = NULL, *files = NULL;
	int n = inv->n_files ? inv->n_files : 1, ret = 0;

	if (inv->json) {
		res = json_object_new_object();
		files = json_object_new_array();
		if (!res || !files || json_object_object_add(res, "files", files) < 0) {
			json_object_put(files);
			goto oom;
		}
	}
	for (int i = 0; i < n; i++) {
		const char *file = inv->n_files ? inv->files[i] : NULL;
		char *out = NULL;
		int r = run_check(file, inv->json, &out);

		if (r < 0) {
			fprintf(stderr, "Error: cannot run vendorwalld: %s\n", strerror(-r));
			free(out);
			json_object_put(res);
			return EXIT_DAEMON;
		}
		if (r && !ret)
			ret = r == 127 ? EXIT_DAEMON : r;
		if (inv->json) {
			struct json_object *f = json_object_new_object(), *lines = json_object_new_array();
			char *save = NULL;

			for (char *l = out ? strtok_r(out, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save))
				json_object_array_add(lines, json_object_new_string(l));
			json_object_object_add(f, "file", file ? json_object_new_string(file) : NULL);
			json_object_object_add(f, "ok", json_object_new_boolean(r == 0));
			json_object_object_add(f, "exit", json_object_new_int(r));
			json_object_object_add(f, "output", lines);
			json_object_array_add(files, f);
		}
		free(out);
	}
	if (res)
		print_json(inv, res);
	json_object_put(res);
	return ret;
oom:
	json_object_put(res);
	fprintf(stderr, "Error: %s\n", strerror(ENOMEM));
	return EXIT_DAEMON;
}

/* classify runs the daemon's OUI and fingerprint logic on captures, here,
 * with options of its own; global options before it still apply. Returns
 * -1 when the command line is not a classify. */
static int maybe_classify(int argc, char **argv)
{
	char **sub;
	int i, n = 0, json = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--socket"))
			i++;
		else if (argv[i][0] != '-')
			break;
	}
	if (i < argc && !strcmp(argv[i], "report"))
		return vw_ctl_report_main ? vw_ctl_report_main(argc - i, argv + i) :
					    vw_ctl_run_full(argv, "report");
	if (i + 1 < argc && !strcmp(argv[i], "policy") && !strcmp(argv[i + 1], "profiles"))
		return vw_ctl_profiles_main(argc - i - 1, argv + i + 1, json);
	if (i >= argc || strcmp(argv[i], "classify"))
		return -1;
	if (!vw_ctl_classify_main)
		return vw_ctl_run_full(argv, "classify");
	sub = calloc(argc - i + 2, sizeof(*sub));
	if (!sub) {
		fprintf(stderr, "Error: %s\n", strerror(ENOMEM));
		return EXIT_DAEMON;
	}
	sub[n++] = argv[i];
	if (json)
		sub[n++] = "--json";
	for (int k = i + 1; k < argc; k++)
		sub[n++] = argv[k];
	i = vw_ctl_classify_main(n, sub);
	free(sub);
	return i;
}

/* stats --openmetrics [--output FILE]: options of one command that the
 * request does not carry, so they are taken out of argv before parsing. */
struct om_opts {
	bool on;
	const char *output;
};

static int take_openmetrics(int *argc, char **argv, struct om_opts *om)
{
	int w = 1;

	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[w++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--openmetrics")) {
			om->on = true;
		} else if (!strcmp(argv[i], "--output")) {
			if (++i >= *argc)
				return -EINVAL;
			om->output = argv[i];
		} else if (!strncmp(argv[i], "--output=", 9)) {
			om->output = argv[i] + 9;
		} else {
			argv[w++] = argv[i];
		}
	}
	*argc = w;
	argv[w] = NULL;
	return om->output && !om->on ? -EINVAL : 0;
}

/* To stdout, or to FILE through FILE.tmp and a rename, so a collector
 * reading FILE never sees half of it. */
static int write_openmetrics(const struct om_opts *om, struct json_object *result)
{
	char tmp[PATH_MAX];
	FILE *f = stdout;
	int r;

	if (om->output) {
		snprintf(tmp, sizeof(tmp), "%s.tmp", om->output);
		f = fopen(tmp, "we");
		if (!f) {
			fprintf(stderr, "Error: cannot create %s: %s\n", tmp, strerror(errno));
			return EXIT_DAEMON;
		}
	}
	r = vw_openmetrics_write(f, result);
	if (r == -EBADMSG)
		fprintf(stderr, "Error: malformed stats from vendorwalld\n");
	if (!om->output)
		return r ? EXIT_DAEMON : 0;
	if (fflush(f) || fsync(fileno(f)))
		r = r ?: -errno;
	if (fclose(f) && !r)
		r = -errno;
	if (!r && rename(tmp, om->output) < 0)
		r = -errno;
	if (r) {
		if (r != -EBADMSG)
			fprintf(stderr, "Error: cannot write %s: %s\n", om->output, strerror(-r));
		unlink(tmp);
		return EXIT_DAEMON;
	}
	return 0;
}

static int parse_command_line(int argc, char **argv, struct vw_ctl_inv *inv,
			      struct om_opts *om, char **err)
{
	int r;

	if (take_openmetrics(&argc, argv, om) < 0) {
		*err = strdup("stats: --output needs a FILE and --openmetrics");
		return -EINVAL;
	}
	r = vw_ctl_parse(argc, argv, time(NULL), inv, err);
	if (r == 0 && om->on && (!inv->cmd || strcmp(inv->cmd->name, "stats"))) {
		vw_ctl_inv_free(inv);
		*err = strdup("--openmetrics applies to stats only");
		r = -EINVAL;
	}
	return r;
}

/* The command's round trip: 0 with *result (may be NULL for a bare ok),
 * or the exit status after saying what went wrong. */
static int malformed(void)
{
	fprintf(stderr, "Error: malformed response from vendorwalld\n");
	return EXIT_DAEMON;
}

/* A call that got no usable reply: the exit status, said once. */
static int call_failed(const struct vw_ctl_inv *inv, int r)
{
	if (r == -EBADMSG)
		return malformed();
	fprintf(stderr, "Error: cannot reach vendorwalld at %s: %s\n", inv->socket, strerror(-r));
	return EXIT_UNREACHABLE;
}

/* The daemon's reply: 0 with its result, or the exit status of a refusal
 * or a malformed reply, said once. */
static int check_response(struct json_object *resp, struct json_object **result)
{
	const char *code, *message;
	int r = vw_control_response(resp, result, &code, &message);

	if (r == -EBADMSG)
		return malformed();
	if (r < 0) {
		fprintf(stderr, "Error: %s (%s)\n", message, code);
		return EXIT_DAEMON;
	}
	return 0;
}

static int call_daemon(const struct vw_ctl_inv *inv, struct json_object **resp,
		       struct json_object **result)
{
	int r;

	/* The daemon lists devices in pages (MAC order); shown as one list,
	 * most recently seen first. */
	if (!strcmp(inv->cmd->name, "devices"))
		r = vw_control_call_pages(inv->socket, inv->cmd->name, inv->args, "devices",
					  CALL_TIMEOUT_MS, resp);
	else
		r = vw_control_call(inv->socket, inv->cmd->name, inv->args, CALL_TIMEOUT_MS, resp);
	if (r < 0)
		return call_failed(inv, r);
	return check_response(*resp, result);
}

/* devices --json without --pretty: streamed page by page, same text.
 * -EREMOTEIO: a page was a refusal, or a reply that is neither. */
static int devices_json(const struct vw_ctl_inv *inv, struct json_object **resp)
{
	struct json_object *result;
	int r = vw_ctl_devices_json(inv->socket, inv->args, CALL_TIMEOUT_MS, stdout, resp);

	if (r == -EREMOTEIO) {
		r = check_response(*resp, &result);
		return r ? r : malformed();
	}
	return r < 0 ? call_failed(inv, r) : 0;
}

int main(int argc, char **argv)
{
	struct om_opts om = { 0 };
	struct vw_ctl_inv inv;
	struct json_object *resp = NULL, *result = NULL;
	char *err = NULL;
	int r, ret;

	r = maybe_classify(argc, argv);
	if (r >= 0)
		return r;
	if (argc > 2 && !strcmp(argv[1], "registry") && !strcmp(argv[2], "fetch") && !vw_ctl_fetch)
		return vw_ctl_run_full(argv, "registry fetch");
	if (argc > 1 && !strcmp(argv[1], "registry"))
		return vw_ctl_registry_main(argc - 1, argv + 1);
	r = parse_command_line(argc, argv, &inv, &om, &err);
	if (r < 0) {
		fprintf(stderr, "Error: %s\nTry 'vendorwallctl --help'.\n", err ? err : strerror(-r));
		free(err);
		return EXIT_USAGE;
	}
	if (inv.help) {
		usage(stdout, inv.cmd);
		ret = 0;
		goto out;
	}
	if (inv.cmd->local) {
		ret = policy_check(&inv);
		goto out;
	}
	color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
		!(getenv("TERM") && !strcmp(getenv("TERM"), "dumb"));

	if (inv.json && !om.on && !strcmp(inv.cmd->name, "devices") &&
	    !inv.pretty && !isatty(STDOUT_FILENO)) {
		ret = devices_json(&inv, &resp);
		goto out;
	}
	ret = call_daemon(&inv, &resp, &result);
	if (ret)
		goto out;
	if (!strcmp(inv.cmd->name, "devices") && jget(result, "devices"))
		json_object_array_sort(jget(result, "devices"), by_last_seen);
	if (!result) {
		/* A bare {"ok": true} is an empty result. */
		result = json_object_new_object();
		json_object_object_add(resp, "result", result);
	}
	if (om.on)
		ret = write_openmetrics(&om, result);
	else if (inv.json)
		print_json(&inv, result);
	else if (print_human(&inv, result) < 0)
		ret = EXIT_DAEMON;
out:
	if (fflush(stdout) != 0 && ret == 0) {
		fprintf(stderr, "Error: cannot write output: %s\n", strerror(errno));
		ret = EXIT_DAEMON;
	}
	json_object_put(resp);
	vw_ctl_inv_free(&inv);
	return ret;
}

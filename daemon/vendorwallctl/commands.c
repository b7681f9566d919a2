// SPDX-License-Identifier: GPL-2.0-only
/* Turns vendorwallctl's argv into a control request, validating what can be validated before the daemon is asked. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "control.h"
#include "commands.h"
#include "timeparse.h"

#define END { NULL, NULL, VW_CTL_STR, false }

static const struct vw_ctl_param p_none[] = { END };
static const struct vw_ctl_param p_mac[] = { { "MAC", "mac", VW_CTL_MAC, true }, END };
static const struct vw_ctl_param p_mode[] = {
	{ "SEGMENT", "segment", VW_CTL_STR, true },
	{ "MODE", "mode", VW_CTL_MODE, true },
	END
};
static const struct vw_ctl_param o_devices[] = {
	{ "vendor", "vendor", VW_CTL_STR, false },
	{ "segment", "segment", VW_CTL_STR, false },
	{ "since", "since", VW_CTL_SINCE, false },
	END
};
static const struct vw_ctl_param o_allow[] = {
	{ "until", "until", VW_CTL_UNTIL, true },
	{ "reason", "reason", VW_CTL_STR, true },
	{ "ticket", "ticket", VW_CTL_STR, false },
	END
};
static const struct vw_ctl_param o_quarantine[] = {
	{ "reason", "reason", VW_CTL_STR, true },
	END
};

const struct vw_ctl_cmd vw_ctl_cmds[] = {
	{ "status", "", "daemon, policy and segment overview", p_none, p_none, false },
	{ "segments", "", "segments with mode, attachment and counters", p_none, p_none, false },
	{ "mode", "SEGMENT off|monitor|block", "set a segment's mode", p_mode, p_none, false },
	{ "devices", "[--vendor V] [--segment S] [--since TIME]", "restricted devices seen",
	  p_none, o_devices, false },
	{ "device", "MAC|IP", "one device with its evidence and decisions", p_mac, p_none, false },
	{ "allow", "MAC|IP --until TIME --reason TEXT [--ticket ID]", "add a time-limited waiver",
	  p_mac, o_allow, false },
	{ "revoke", "MAC|IP", "remove a waiver", p_mac, p_none, false },
	{ "quarantine", "MAC|IP --reason TEXT", "restrict a device by hand", p_mac, o_quarantine,
	  false },
	{ "release", "MAC|IP", "undo a quarantine", p_mac, p_none, false },
	{ "reload", "", "re-read configuration and policy", p_none, p_none, false },
	{ "stats", "", "per-segment reason and outcome counters", p_none, p_none, false },
	{ "policy check", "[FILE...]", "validate configuration files (runs vendorwalld --check-config)",
	  p_none, p_none, true },
};
const size_t vw_ctl_n_cmds = sizeof(vw_ctl_cmds) / sizeof(vw_ctl_cmds[0]);
const char *const vw_ctl_offline_cmds[] = { "report", "classify", "registry" };
const size_t vw_ctl_n_offline_cmds = sizeof(vw_ctl_offline_cmds) / sizeof(vw_ctl_offline_cmds[0]);

static int fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char **err, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(err, fmt, ap);
	va_end(ap);
	if (n < 0) {
		*err = NULL;
		return -ENOMEM;
	}
	return -EINVAL;
}

/* Matches the first word of a command name. */
static bool first_word_is(const char *name, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(name, word, n) && (name[n] == '\0' || name[n] == ' ');
}

static const struct vw_ctl_param *find_opt(const struct vw_ctl_cmd *cmd, const char *name, size_t len)
{
	for (const struct vw_ctl_param *p = cmd->opts; p->name; p++)
		if (strlen(p->name) == len && !strncmp(p->name, name, len))
			return p;
	return NULL;
}

/* Converts one value into args[p->key]; what refers to it in messages. */
static int add_value(struct json_object *args, const struct vw_ctl_param *p, const char *what,
		     const char *value, time_t now, char **err)
{
	struct json_object *v = NULL;
	uint8_t mac[6];
	time_t t;
	int r;

	if (json_object_object_get_ex(args, p->key, NULL))
		return fail(err, "%s given twice", what);
	switch (p->type) {
	case VW_CTL_STR:
		if (!*value)
			return fail(err, "%s must not be empty", what);
		v = json_object_new_string(value);
		break;
	case VW_CTL_MAC: {
		char buf[VW_MAC_STRLEN > INET6_ADDRSTRLEN ? VW_MAC_STRLEN : INET6_ADDRSTRLEN];
		uint8_t ip[16];
		int af = strchr(value, '.') ? AF_INET : AF_INET6;

		/* A device behind a router is named by its IP address. */
		if (vw_parse_mac(value, mac) < 0 && inet_pton(af, value, ip) == 1 &&
		    inet_ntop(af, ip, buf, sizeof(buf))) {
			v = json_object_new_string(buf);
			if (!v || json_object_object_add(args, "ip", v) < 0) {
				json_object_put(v);
				return -ENOMEM;
			}
			return 0;
		}
		if (vw_parse_mac(value, mac) < 0)
			return fail(err, "%s: invalid MAC address \"%s\" (expected e.g. 00:e0:fc:12:34:56, "
				    "or the IP address of a device behind a router)", what, value);
		vw_format_mac(mac, buf);
		v = json_object_new_string(buf);
		break;
	}
	case VW_CTL_MODE:
		if (vw_mode_from_name(value) < 0) {
			char modes[64];

			return fail(err, "%s: invalid mode \"%s\" (expected one of %s)", what, value,
				    vw_names_join(modes, sizeof(modes), vw_mode_names, VW_N_MODES, ", "));
		}
		v = json_object_new_string(value);
		break;
	case VW_CTL_UNTIL:
	case VW_CTL_SINCE:
		r = vw_parse_time(value, now, p->type == VW_CTL_UNTIL ? 1 : -1, &t);
		if (r < 0)
			return fail(err, "%s: invalid time \"%s\" (expected e.g. 2027-03-31, "
				    "2027-03-31T18:00, +8h, 7d or @1700000000)", what, value);
		if (p->type == VW_CTL_UNTIL && t <= now)
			return fail(err, "%s: \"%s\" is in the past", what, value);
		v = json_object_new_int64((int64_t)t);
		break;
	}
	if (!v || json_object_object_add(args, p->key, v) < 0) {
		json_object_put(v);
		return -ENOMEM;
	}
	return 0;
}

/* Handles a global option; 1 if it was one, 0 if not, -errno. */
static int global_option(struct vw_ctl_inv *inv, const char *name, size_t len, const char *value,
			 int argc, char **argv, int *i, char **err)
{
#define IS(s) (len == strlen(s) && !strncmp(name, s, len))
	if (IS("json")) {
		inv->json = true;
	} else if (IS("pretty")) {
		inv->pretty = true;
	} else if (IS("help")) {
		inv->help = true;
	} else if (IS("socket")) {
		if (!value) {
			if (*i + 1 >= argc)
				return fail(err, "--socket needs a path");
			value = argv[++*i];
		}
		if (!*value)
			return fail(err, "--socket needs a path");
		inv->socket = value;
	} else {
		return 0;
	}
	if (value && !IS("socket"))
		return fail(err, "--%.*s takes no value", (int)len, name);
	return 1;
#undef IS
}

/* Maps the collected positionals onto the command's parameters. */
static int bind_positionals(struct vw_ctl_inv *inv, char **pos, int n, time_t now, char **err)
{
	const struct vw_ctl_cmd *cmd = inv->cmd;
	int want = 0, r;

	if (cmd->local) {
		inv->files = pos;
		inv->n_files = n;
		return 0;
	}
	while (cmd->pos[want].name)
		want++;
	if (n != want)
		return fail(err, "%s: %s (usage: %s %s)", cmd->name,
			    n > want ? "too many arguments" : "missing arguments", cmd->name, cmd->usage);
	for (int i = 0; i < n; i++) {
		r = add_value(inv->args, &cmd->pos[i], cmd->pos[i].name, pos[i], now, err);
		if (r < 0)
			return r;
	}
	for (const struct vw_ctl_param *p = cmd->opts; p->name; p++)
		if (p->required && !json_object_object_get_ex(inv->args, p->key, NULL))
			return fail(err, "%s: --%s is required (usage: %s %s)", cmd->name, p->name,
				    cmd->name, cmd->usage);
	return 0;
}

/* One "--name[=value]" word: a global option or one of the command's. */
static int long_option(struct vw_ctl_inv *inv, const char *a, int argc, char **argv, int *i,
		       time_t now, char **err)
{
	const char *name = a + 2, *eq = strchr(name, '='), *value = eq ? eq + 1 : NULL;
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct vw_ctl_param *p;
	char what[64];
	int r;

	r = global_option(inv, name, len, value, argc, argv, i, err);
	if (r != 0)
		return r < 0 ? r : 0;
	p = inv->cmd ? find_opt(inv->cmd, name, len) : NULL;
	if (!p)
		return inv->cmd ? fail(err, "%s: unknown option --%.*s", inv->cmd->name, (int)len, name)
				: fail(err, "unknown option --%.*s", (int)len, name);
	if (!value) {
		if (*i + 1 >= argc)
			return fail(err, "--%s needs a value", p->name);
		value = argv[++*i];
	}
	snprintf(what, sizeof(what), "--%s", p->name);
	return add_value(inv->args, p, what, value, now, err);
}

/* Bundled short global flags: -j, -p, -h, -jp. */
static int short_flags(struct vw_ctl_inv *inv, const char *a, char **err)
{
	for (const char *c = a + 1; *c; c++) {
		if (*c == 'j')
			inv->json = true;
		else if (*c == 'p')
			inv->pretty = true;
		else if (*c == 'h')
			inv->help = true;
		else
			return fail(err, "unknown option -%c", *c);
	}
	return 0;
}

/* A word that names the command: the first word, or the second of a group
 * ("check" after "policy"). *group is set while a second word is due. */
static int command_word(struct vw_ctl_inv *inv, const char *a, const char **group, char **err)
{
	if (*group) {
		for (size_t k = 0; k < vw_ctl_n_cmds && !inv->cmd; k++)
			if (first_word_is(vw_ctl_cmds[k].name, *group) &&
			    !strcmp(vw_ctl_cmds[k].name + strlen(*group) + 1, a))
				inv->cmd = &vw_ctl_cmds[k];
		if (!inv->cmd)
			return fail(err, "%s: unknown sub-command \"%s\"", *group, a);
		*group = NULL;
		return 0;
	}
	if (!strcmp(a, "help")) {
		inv->help = true;
		return 0;
	}
	for (size_t k = 0; k < vw_ctl_n_cmds && !inv->cmd && !*group; k++) {
		if (!first_word_is(vw_ctl_cmds[k].name, a))
			continue;
		if (strchr(vw_ctl_cmds[k].name, ' '))
			*group = vw_ctl_cmds[k].name;
		else
			inv->cmd = &vw_ctl_cmds[k];
	}
	if (*group)
		*group = a;
	if (!inv->cmd && !*group)
		return fail(err, "unknown command \"%s\"", a);
	return 0;
}

int vw_ctl_parse(int argc, char **argv, time_t now, struct vw_ctl_inv *inv, char **err)
{
	char **pos = NULL;
	int n_pos = 0, r = 0;
	bool options_done = false;
	/* A group's second word ("check" of "policy check") is still to come. */
	const char *group = NULL;

	*inv = (struct vw_ctl_inv){ .socket = VW_CONTROL_SOCKET };
	*err = NULL;
	inv->args = json_object_new_object();
	/* Positionals are collected first, so options may come anywhere. */
	pos = calloc(argc > 0 ? argc : 1, sizeof(*pos));
	if (!inv->args || !pos) {
		r = -ENOMEM;
		goto out;
	}
	for (int i = 1; i < argc && r == 0; i++) {
		char *a = argv[i];

		if (!options_done && !strcmp(a, "--"))
			options_done = true;
		else if (!options_done && a[0] == '-' && a[1] == '-')
			r = long_option(inv, a, argc, argv, &i, now, err);
		else if (!options_done && a[0] == '-' && a[1])
			r = short_flags(inv, a, err);
		else if (group || !inv->cmd)
			r = command_word(inv, a, &group, err);
		else
			pos[n_pos++] = a;
	}
	if (r < 0 || inv->help)
		goto out;
	if (group) {
		r = fail(err, "%s: missing sub-command", group);
		goto out;
	}
	if (!inv->cmd) {
		r = fail(err, "missing command");
		goto out;
	}
	r = bind_positionals(inv, pos, n_pos, now, err);
	if (r == 0 && inv->files == pos)
		pos = NULL;   /* now owned by inv */
out:
	if (r < 0)
		vw_ctl_inv_free(inv);
	free(pos);
	return r;
}

void vw_ctl_inv_free(struct vw_ctl_inv *inv)
{
	json_object_put(inv->args);
	inv->args = NULL;
	free(inv->files);
	inv->files = NULL;
	inv->n_files = 0;
}

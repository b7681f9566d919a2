/* SPDX-License-Identifier: GPL-2.0-only */
/* vendorwallctl's command line: the sub-command table and the parser that turns argv into a control request. */
#ifndef VW_CTL_H
#define VW_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <json-c/json.h>

/* How a command-line value becomes a request argument. */
enum vw_ctl_type {
	VW_CTL_STR,     /* non-empty string, as given */
	VW_CTL_MAC,     /* any vw_parse_mac notation → "aa:bb:cc:dd:ee:ff" */
	VW_CTL_MODE,    /* off | monitor | block */
	VW_CTL_UNTIL,   /* vw_parse_time towards the future → unix seconds */
	VW_CTL_SINCE,   /* vw_parse_time towards the past → unix seconds */
};

struct vw_ctl_param {
	const char *name;      /* option name without "--", or the placeholder of a positional */
	const char *key;       /* key in the request's args */
	enum vw_ctl_type type;
	bool required;
};

struct vw_ctl_cmd {
	const char *name;      /* "mode", or two words for a group: "policy check" */
	const char *usage;     /* arguments, for the usage text */
	const char *help;      /* one line */
	const struct vw_ctl_param *pos;   /* positionals in order; NULL-named end */
	const struct vw_ctl_param *opts;  /* --options; NULL-named end */
	bool local;            /* runs here (policy check), takes any number of FILEs */
};

extern const struct vw_ctl_cmd vw_ctl_cmds[];
extern const size_t vw_ctl_n_cmds;
/* Commands run by vendorwallctl itself, without the daemon (after the
 * daemon's commands in help and completion). */
extern const char *const vw_ctl_offline_cmds[];
extern const size_t vw_ctl_n_offline_cmds;

/* One parsed command line. */
struct vw_ctl_inv {
	const char *socket;    /* --socket, default VW_CONTROL_SOCKET */
	bool json;             /* -j/--json */
	bool pretty;           /* -p/--pretty */
	bool help;             /* -h/--help or "help": print usage, nothing else */
	const struct vw_ctl_cmd *cmd;
	struct json_object *args;   /* request args (remote commands), owned */
	char **files;          /* local commands: operands (array owned, strings from argv) */
	int n_files;
};

/*
 * Parses argv. Global options (--socket PATH, -j/--json, -p/--pretty,
 * -h/--help) may come before or after the sub-command; "--" ends options.
 * Option values are "--opt VALUE" or "--opt=VALUE". Times are converted
 * relative to now. Returns 0, or -EINVAL with *err set to a malloc'ed
 * message for "Error: ..." (a usage error), or -ENOMEM.
 */
int vw_ctl_parse(int argc, char **argv, time_t now, struct vw_ctl_inv *inv, char **err);
void vw_ctl_inv_free(struct vw_ctl_inv *inv);

#endif

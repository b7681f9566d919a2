// SPDX-License-Identifier: GPL-2.0-only
/* vendorwallctl report and policy profiles: both run here, from the
 * configuration, the policy files, operator.json and the inventory, so
 * they work whether the daemon runs or not. */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "overrides.h"
#include "report_fmt.h"
#include "state.h"
#include "timeparse.h"

#define DEFAULT_CONFIG "/etc/vendorwall/vendorwall.conf"

struct report_opts {
	const char *config, *format, *output;
	const char **profiles; size_t n_profiles;
	time_t since, until;
};

/* What the report's input points to; one cleanup for all of it. */
struct report_ctx {
	struct vw_state *st;
	struct vw_overrides ops;
	struct vw_report_data data;
	struct vw_report_input in;
	struct vw_report_segmode *modes;
	struct vw_report_waiver *waivers;
	char (*by)[64];
	uint8_t (*quar)[6];
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: vendorwallctl report [--profile P]... [--since TIME] [--until TIME]\n"
		   "                            [--format text|json|csv|html] [--output FILE] [--config FILE]\n"
		   "  Compliance report from the inventory: per profile and segment every restricted\n"
		   "  device seen in the period, its status, waivers, and the degraded states.\n"
		   "  Runs without the daemon; needs read access to StateDirectory.\n");
}

static void print_diag(const struct vw_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "Error: %s\n", d->msgs[i]);
}

static int parse(int argc, char **argv, struct report_opts *o)
{
	static const struct option lo[] = {
		{ "profile", required_argument, NULL, 'P' }, { "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' }, { "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' }, { "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	time_t now = time(NULL);
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 'P':
			o->profiles[o->n_profiles++] = optarg;
			break;
		case 's':
		case 'u':
			if (vw_parse_time(optarg, now, c == 's' ? -1 : 1, c == 's' ? &o->since : &o->until)) {
				fprintf(stderr, "Error: --%s: invalid time \"%s\"\n",
					c == 's' ? "since" : "until", optarg);
				return 2;
			}
			break;
		case 'f': o->format = optarg; break;
		case 'o': o->output = optarg; break;
		case 'c': o->config = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "Error: unexpected argument \"%s\"\n", argv[optind]);
		return 2;
	}
	if (strcmp(o->format, "text") && strcmp(o->format, "json") && strcmp(o->format, "csv") &&
	    strcmp(o->format, "html")) {
		fprintf(stderr, "Error: --format: \"%s\" is not one of text, json, csv, html\n", o->format);
		return 2;
	}
	if (o->since && o->until && o->since > o->until) {
		fprintf(stderr, "Error: --since is after --until\n");
		return 2;
	}
	return -1;
}

static const char *uid_text(uint32_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	snprintf(buf, len, "uid %u%s%s%s", (unsigned)uid, pw ? " (" : "", pw ? pw->pw_name : "",
		 pw ? ")" : "");
	return buf;
}

/* Waivers in force: the configuration's and the operator's (which wins,
 * as in the daemon, for the same MAC: it is listed first). */
static int collect_waivers(struct report_ctx *x)
{
	const struct vw_daemon_conf *conf = &x->st->conf;
	size_t n = 0, max = x->ops.n_waivers + conf->n_waivers;

	x->waivers = calloc(max + 1, sizeof(*x->waivers));
	x->by = calloc(max + 1, sizeof(*x->by));
	if (!x->waivers || !x->by)
		return -ENOMEM;
	for (size_t i = 0; i < x->ops.n_waivers; i++, n++) {
		const struct vw_mac_decision *w = &x->ops.waivers[i];

		x->waivers[n] = (struct vw_report_waiver){ .since = w->since, .until = w->until,
			.reason = w->reason, .ticket = w->ticket,
			.by = uid_text(w->uid, x->by[n], sizeof(x->by[n])) };
		memcpy(x->waivers[n].mac, w->mac, 6);
	}
	for (size_t i = 0; i < conf->n_waivers; i++, n++) {
		const struct vw_waiver_conf *w = &conf->waivers[i];

		snprintf(x->by[n], sizeof(x->by[n]), "config %s:%d", w->file, w->line);
		x->waivers[n] = (struct vw_report_waiver){ .until = w->until, .reason = w->reason,
			.ticket = w->ticket, .by = x->by[n] };
		memcpy(x->waivers[n].mac, w->mac, 6);
	}
	x->in.waivers = x->waivers;
	x->in.n_waivers = n;
	return 0;
}

/* Modes in force and quarantines, as the daemon would apply them now. */
static int collect_ops(struct report_ctx *x)
{
	const struct vw_daemon_conf *conf = &x->st->conf;
	struct vw_diag diag = {0};
	char path[4096];
	int err;

	snprintf(path, sizeof(path), "%s/operator.json", conf->state_dir);
	err = vw_overrides_load(&x->ops, path, &diag);
	if (err) {
		/* The loader's message names the file and the entry. */
		if (diag.n)
			fprintf(stderr, "Error: %s\n", diag.msgs[0]);
		else
			fprintf(stderr, "Error: cannot read %s: %s\n", path, strerror(-err));
		vw_diag_free(&diag);
		return err;
	}
	x->modes = calloc(conf->n_segments + 1, sizeof(*x->modes));
	x->quar = calloc(x->ops.n_quarantines + 1, sizeof(*x->quar));
	if (!x->modes || !x->quar)
		return -ENOMEM;
	for (size_t i = 0; i < conf->n_segments; i++)
		x->modes[i] = (struct vw_report_segmode){ conf->segments[i].name,
			vw_overrides_effective(&x->ops, conf->segments[i].name, conf->segments[i].mode) };
	for (size_t i = 0; i < x->ops.n_quarantines; i++)
		memcpy(x->quar[i], x->ops.quarantines[i].mac, 6);
	x->in.modes = x->modes;
	x->in.n_modes = conf->n_segments;
	x->in.quarantined = (const uint8_t (*)[6])x->quar;
	x->in.n_quarantined = x->ops.n_quarantines;
	return collect_waivers(x);
}

static int load(struct report_ctx *x, const struct report_opts *o)
{
	struct vw_diag diag = { 0 };
	char path[4096];
	int err;

	err = vw_state_build(&x->st, o->config, &diag);
	if (err) {
		print_diag(&diag);
		fprintf(stderr, "Error: cannot load the configuration %s\n", o->config);
		vw_diag_free(&diag);
		return err;
	}
	vw_diag_free(&diag);
	for (size_t i = 0; i < o->n_profiles; i++) {
		if (!vw_policy_profile(&x->st->policy, o->profiles[i])) {
			fprintf(stderr, "Error: no profile '%s' in %s/profiles\n", o->profiles[i],
				x->st->conf.policy_dir);
			return -ENOENT;
		}
	}
	err = collect_ops(x);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/inventory.db", x->st->conf.state_dir);
	err = vw_report_read(path, o->since, o->until, &x->data);
	if (err)
		fprintf(stderr, "Error: cannot read the inventory %s: %s\n", path,
			err == -EPROTO ? "written by a newer vendorwall" : strerror(-err));
	return err;
}

static void ctx_free(struct report_ctx *x)
{
	vw_report_data_free(&x->data);
	free(x->modes);
	free(x->waivers);
	free(x->by);
	free(x->quar);
	vw_overrides_free(&x->ops);
	vw_state_free(x->st);
}

static int write_report(const struct vw_report *r, const struct report_opts *o)
{
	FILE *f = o->output ? fopen(o->output, "we") : stdout;
	int err;

	if (!f) {
		fprintf(stderr, "Error: cannot write %s: %s\n", o->output, strerror(errno));
		return -errno;
	}
	if (!strcmp(o->format, "json"))
		err = vw_report_write_json(f, r);
	else if (!strcmp(o->format, "csv"))
		err = vw_report_write_csv(f, r);
	else if (!strcmp(o->format, "html"))
		err = vw_report_write_html(f, r);
	else
		err = vw_report_write_text(f, r);
	if ((f != stdout ? fclose(f) : fflush(f)) != 0 && !err)
		err = -errno;
	if (err)
		fprintf(stderr, "Error: cannot write the report: %s\n", strerror(-err));
	return err;
}

int vw_ctl_report_main(int argc, char **argv)
{
	struct report_opts o = { .config = DEFAULT_CONFIG, .format = "text" };
	struct report_ctx x = { 0 };
	struct vw_report rep;
	int ret, err;

	o.profiles = calloc(argc + 1, sizeof(*o.profiles));
	if (!o.profiles)
		return 1;
	ret = parse(argc, argv, &o);
	if (ret >= 0)
		goto out;
	ret = 1;
	o.until = o.until ? o.until : time(NULL);
	if (load(&x, &o))
		goto out;
	x.in = (struct vw_report_input){ .policy = &x.st->policy,
		.profiles = o.n_profiles ? o.profiles : (const char *const *)x.st->conf.profiles.v,
		.n_profiles = o.n_profiles ? o.n_profiles : x.st->conf.profiles.n,
		.active = (const char *const *)x.st->conf.profiles.v, .n_active = x.st->conf.profiles.n,
		.modes = x.in.modes, .n_modes = x.in.n_modes, .waivers = x.in.waivers,
		.n_waivers = x.in.n_waivers, .quarantined = x.in.quarantined,
		.n_quarantined = x.in.n_quarantined, .policy_version = x.st->version,
		.registry_date = x.st->registry.date, .since = o.since, .until = o.until,
		.generated = time(NULL) };
	err = vw_report_build(&rep, &x.data, &x.in);
	if (err) {
		fprintf(stderr, "Error: cannot build the report: %s\n", strerror(-err));
		goto out;
	}
	ret = write_report(&rep, &o) ? 1 : 0;
	vw_report_free(&rep);
out:
	ctx_free(&x);
	free(o.profiles);
	return ret;
}

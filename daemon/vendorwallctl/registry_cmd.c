// SPDX-License-Identifier: GPL-2.0-only
/* vendorwallctl registry import|fetch. Both put the files in a staging
 * directory, validate them against the registry in use and the policy's
 * vendor groups, swap them in and ask the daemon to reload. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "control.h"
#include "policy.h"
#include "registry_update.h"
#include "registry_cmd.h"

/* Not in the light link of vendorwallctl, which hands fetch to
 * vendorwallctl-full (full.c) before it gets here. */
#pragma weak vw_ctl_fetch

#define EXIT_FAIL  1
#define EXIT_USAGE 2
#define FETCH_TIMEOUT_S 300

static const char *const kind_names[VW_REG_KINDS] = {
	[VW_REG_MAL] = "oui.csv", [VW_REG_MAM] = "mam.csv",
	[VW_REG_MAS] = "oui36.csv", [VW_REG_IAB] = "iab.csv",
};

static const char *const ieee_urls[] = {
	"https://standards-oui.ieee.org/oui/oui.csv",
	"https://standards-oui.ieee.org/oui28/mam.csv",
	"https://standards-oui.ieee.org/oui36/oui36.csv",
};

struct reg_opts {
	const char *config, *socket, *cacert;
	bool reload;
	bool fetch;             /* else import */
	char **operands; int n_operands;
};

int vw_ctl_registry_kind(const char *name)
{
	const char *base = strrchr(name, '/');

	base = base ? base + 1 : name;
	for (int k = 0; k < VW_REG_KINDS; k++)
		if (!strcmp(base, kind_names[k]))
			return k;
	return -1;
}

static int copy_file(const char *from, const char *to, char *err, size_t errlen)
{
	char buf[65536];
	int in, out, r = 0;
	ssize_t n;

	in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		snprintf(err, errlen, "%s: %s", from, strerror(errno));
		return -errno;
	}
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", to, strerror(errno));
		close(in);
		return r;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
		if (n > 0 && write(out, buf, n) != n) {
			r = -EIO;
			snprintf(err, errlen, "%s: short write", to);
			break;
		}
	}
	if (n < 0 && !r) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", from, strerror(errno));
	}
	close(in);
	if (close(out) < 0 && !r)
		r = -errno;
	return r;
}

static int stage_path(const char *staging, int kind, char **path)
{
	return asprintf(path, "%s/%s", staging, kind_names[kind]) < 0 ? -ENOMEM : 0;
}

/* One operand of import: a directory (every registry file in it) or a file
 * named like one. *date is the newest mtime seen: carried-in files keep it. */
static int import_operand(const char *op, const char *staging, bool have[],
			  time_t *date, char *err, size_t errlen)
{
	struct stat st;
	int found = 0;

	if (stat(op, &st) < 0) {
		snprintf(err, errlen, "%s: %s", op, strerror(errno));
		return -errno;
	}
	for (int k = 0; k < VW_REG_KINDS; k++) {
		char *from = NULL, *to = NULL;
		struct stat fs;
		int r = 0;

		if (S_ISDIR(st.st_mode)) {
			if (asprintf(&from, "%s/%s", op, kind_names[k]) < 0)
				return -ENOMEM;
		} else if (vw_ctl_registry_kind(op) == k) {
			from = strdup(op);
		}
		if (from && stat(from, &fs) == 0 && (r = stage_path(staging, k, &to)) == 0) {
			r = copy_file(from, to, err, errlen);
			have[k] = true;
			found++;
			if (fs.st_mtime > *date)
				*date = fs.st_mtime;
		}
		free(from);
		free(to);
		if (r < 0)
			return r;
	}
	if (!found) {
		snprintf(err, errlen, "%s: no registry file (expected oui.csv, mam.csv, oui36.csv or iab.csv)", op);
		return -ENOENT;
	}
	return 0;
}

static int fetch_all(const struct reg_opts *o, const char *staging, bool have[],
		     char *err, size_t errlen)
{
	const char *const *urls = o->n_operands ? (const char *const *)o->operands : ieee_urls;
	int n = o->n_operands ? o->n_operands : (int)(sizeof(ieee_urls) / sizeof(ieee_urls[0]));

	for (int i = 0; i < n; i++) {
		char *path = NULL, e[256];
		int k = vw_ctl_registry_kind(urls[i]), r;

		if (k < 0) {
			snprintf(err, errlen, "%s: the URL must end in oui.csv, mam.csv, oui36.csv or iab.csv", urls[i]);
			return -EINVAL;
		}
		if (stage_path(staging, k, &path) < 0)
			return -ENOMEM;
		r = vw_ctl_fetch(urls[i], path, o->cacert, VW_REGISTRY_MAX_BYTES, FETCH_TIMEOUT_S, e, sizeof(e));
		free(path);
		if (r < 0) {
			snprintf(err, errlen, "%s: %s", urls[i], e);
			return r;
		}
		have[k] = true;
	}
	return 0;
}

/* Kinds not brought (IAB is frozen; an import may bring only oui.csv) are
 * carried over from the registry in use, so the new copy is complete. */
static int fill_missing(const char *cur_dir, const char *staging, const bool have[],
			char *err, size_t errlen)
{
	for (int k = 0; k < VW_REG_KINDS; k++) {
		char *from = NULL, *to = NULL;
		int r = 0;

		if (have[k])
			continue;
		if (asprintf(&from, "%s/%s", cur_dir, kind_names[k]) < 0)
			return -ENOMEM;
		if (access(from, R_OK) == 0) {
			r = stage_path(staging, k, &to);
			if (r == 0)
				r = copy_file(from, to, err, errlen);
		}
		free(from);
		free(to);
		if (r < 0)
			return r;
	}
	return 0;
}

static void print_diag(const struct vw_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "%s\n", d->msgs[i]);
}

/* Asks the daemon to use the new copy; an absent daemon picks it up at start. */
static int reload_daemon(const char *socket)
{
	struct json_object *resp = NULL, *result, *args = json_object_new_object();
	const char *code, *message;
	int r;

	r = vw_control_call(socket, "reload", args, 60000, &resp);
	json_object_put(args);
	if (r < 0) {
		printf("vendorwalld not reachable at %s (%s); it uses the new registry when it starts\n",
		       socket, strerror(-r));
		return 0;
	}
	r = vw_control_response(resp, &result, &code, &message);
	if (r < 0)
		fprintf(stderr, "Error: vendorwalld did not reload: %s (%s)\n",
			message ? message : "malformed response", code ? code : "?");
	else
		printf("vendorwalld reloaded\n");
	json_object_put(resp);
	return r < 0 ? EXIT_FAIL : 0;
}

/* Candidate in staging against the registry in use; installs it when good. */
static int check_and_commit(const struct vw_daemon_conf *conf, const struct vw_policy *pol,
			    const struct vw_registry *cur, const char *staging, time_t date,
			    time_t floor_date)
{
	struct vw_registry cand = { 0 };
	struct vw_diag diag = { 0 };
	char *installed = NULL;
	int r;

	r = vw_registry_load(&cand, staging, &diag);
	if (r == 0)
		r = vw_registry_validate(&cand, diag.n, staging, cur, pol, &diag);
	/* The daemon would keep using ieee-data: refuse to pretend. */
	if (r == 0 && date < floor_date) {
		char a[32], b[32];

		strftime(a, sizeof(a), "%Y-%m-%d", gmtime(&date));
		strftime(b, sizeof(b), "%Y-%m-%d", gmtime(&floor_date));
		vw_diag_add(&diag, staging, 0, "files of %s are older than %s (%s); rejected",
			    a, conf->registry_dir, b);
		r = -EBADMSG;
	}
	print_diag(&diag);
	if (r == 0) {
		r = vw_registry_commit(conf->state_dir, staging, date, &installed);
		if (r < 0)
			fprintf(stderr, "Error: cannot install the registry in %s: %s\n",
				conf->state_dir, strerror(-r));
	} else {
		fprintf(stderr, "Error: new registry rejected; the registry in use is kept\n");
	}
	if (installed)
		printf("Registry installed: %s (%zu MA-L, %zu MA-M, %zu MA-S, %zu IAB rows)\n",
		       installed, cand.count[VW_REG_MAL], cand.count[VW_REG_MAM],
		       cand.count[VW_REG_MAS], cand.count[VW_REG_IAB]);
	free(installed);
	vw_registry_free(&cand);
	vw_diag_free(&diag);
	return r;
}

static int bring_files(const struct reg_opts *o, const char *cur_dir, const char *staging,
		       time_t *date)
{
	bool have[VW_REG_KINDS] = { false };
	char err[512] = "";
	int r = 0;

	*date = 0;
	if (o->fetch) {
		r = fetch_all(o, staging, have, err, sizeof(err));
		*date = time(NULL);
	}
	for (int i = 0; !o->fetch && r == 0 && i < o->n_operands; i++)
		r = import_operand(o->operands[i], staging, have, date, err, sizeof(err));
	if (r == 0)
		r = fill_missing(cur_dir, staging, have, err, sizeof(err));
	if (r < 0)
		fprintf(stderr, "Error: %s\n", err[0] ? err : strerror(-r));
	return r;
}

/* Date of RegistryDirectory (ieee-data): an update older than it is never used. */
static time_t floor_date(const struct vw_daemon_conf *conf, const char *cur_dir,
			 const struct vw_registry *cur)
{
	struct vw_registry reg;
	struct vw_diag diag = { 0 };
	time_t t = 0;

	if (!strcmp(cur_dir, conf->registry_dir))
		return cur->date;
	if (vw_registry_load(&reg, conf->registry_dir, &diag) == 0) {
		t = reg.date;
		vw_registry_free(&reg);
	}
	vw_diag_free(&diag);
	return t;
}

static int run(const struct reg_opts *o)
{
	struct vw_daemon_conf conf = { 0 };
	struct vw_policy pol = { 0 };
	struct vw_registry cur = { 0 };
	struct vw_diag diag = { 0 };
	char *cur_dir = NULL, *staging = NULL;
	time_t date;
	int r;

	r = vw_config_load(&conf, o->config, &diag);
	if (r == 0)
		r = vw_policy_load(&pol, conf.policy_dir, &diag);
	if (r == 0)
		r = vw_registry_load_best(&cur, &cur_dir, conf.state_dir, conf.registry_dir, &diag);
	if (r < 0) {
		print_diag(&diag);
		fprintf(stderr, "Error: cannot load the configuration, policy and registry in use\n");
		goto out;
	}
	r = vw_registry_stage(conf.state_dir, &staging);
	if (r < 0) {
		fprintf(stderr, "Error: cannot create %s/%s: %s\n", conf.state_dir,
			VW_REGISTRY_STAGING, strerror(-r));
		goto out;
	}
	r = bring_files(o, cur_dir, staging, &date);
	if (r == 0)
		r = check_and_commit(&conf, &pol, &cur, staging, date,
				     floor_date(&conf, cur_dir, &cur));
	if (r < 0)
		vw_registry_unstage(staging);
	else if (o->reload)
		r = reload_daemon(o->socket) ? -EIO : 0;
out:
	free(staging);
	free(cur_dir);
	vw_registry_free(&cur);
	vw_policy_free(&pol);
	vw_config_free(&conf);
	vw_diag_free(&diag);
	return r < 0 ? EXIT_FAIL : 0;
}

/* fmt NULL: --help, the usage on stdout. */
static int usage_error(const char *fmt, const char *arg)
{
	FILE *f = fmt ? stderr : stdout;

	if (fmt) {
		fprintf(f, "Error: ");
		fprintf(f, fmt, arg);
		fprintf(f, "\n");
	}
	fprintf(f, "Usage: vendorwallctl registry import [--config F] [--socket S] [--no-reload] DIR|FILE...\n"
		"       vendorwallctl registry fetch [--config F] [--socket S] [--cacert F] [--no-reload] [URL...]\n");
	return EXIT_USAGE;
}

int vw_ctl_registry_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "cacert", required_argument, NULL, 'a' },
		{ "no-reload", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct reg_opts o = { .config = VW_CONFIG_DEFAULT, .socket = VW_CONTROL_SOCKET, .reload = true };
	int c;

	if (argc < 2 || (strcmp(argv[1], "import") && strcmp(argv[1], "fetch")))
		return usage_error("registry: expected \"import\" or \"fetch\"%s", "");
	o.fetch = !strcmp(argv[1], "fetch");
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'c': o.config = optarg; break;
		case 's': o.socket = optarg; break;
		case 'a': o.cacert = optarg; break;
		case 'n': o.reload = false; break;
		case 'h': return usage_error(NULL, NULL) - EXIT_USAGE;
		default: return usage_error("registry: unknown option or missing value: %s", argv[optind - 1]);
		}
	}
	if (o.cacert && !o.fetch)
		return usage_error("registry import: %s", "--cacert applies to fetch only");
	o.operands = argv + optind;
	o.n_operands = argc - optind;
	if (!o.fetch && !o.n_operands)
		return usage_error("registry import: %s", "missing DIR or FILE");
	return run(&o);
}

// SPDX-License-Identifier: GPL-2.0-only
/* vendorwallctl policy profiles: every profile with its legal basis, date,
 * scope and vendor groups, read from the policy files here. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "config.h"
#include "policy.h"
#include "report_fmt.h"

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static struct json_object *jstrv(const struct vw_strv *v)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < v->n; i++)
		json_object_array_add(a, json_object_new_string(v->v[i]));
	return a;
}

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, v ? json_object_new_string(v) : NULL);
}

static int print_json(const struct vw_policy *pol, const struct vw_strv *active)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < pol->n_profiles; i++) {
		const struct vw_profile *p = &pol->profiles[i];
		struct json_object *o = json_object_new_object();

		if (!o)
			break;
		add_str(o, "id", p->id);
		add_str(o, "name", p->name);
		add_str(o, "basis", p->basis);
		add_str(o, "source", p->source);
		json_object_object_add(o, "urls", jstrv(&p->urls));
		add_str(o, "date", p->date);
		add_str(o, "scope", p->scope);
		json_object_object_add(o, "vendors", jstrv(&p->vendors));
		json_object_object_add(o, "named", jstrv(&p->named));
		add_str(o, "note", p->note);
		json_object_object_add(o, "enforced",
				       json_object_new_boolean(active && vw_strv_contains(active, p->id)));
		json_object_array_add(a, o);
	}
	if (!a)
		return 1;
	puts(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(a);
	return 0;
}

static void print_text(const struct vw_policy *pol, const struct vw_strv *active)
{
	printf("%-26s %-10s  %-8s  %s\n", "PROFILE", "DATE", "ENFORCED", "VENDORS");
	for (size_t i = 0; i < pol->n_profiles; i++) {
		const struct vw_profile *p = &pol->profiles[i];

		printf("%-26s %-10s  %-8s  ", p->id, p->date,
		       !active ? "?" : vw_strv_contains(active, p->id) ? "yes" : "no");
		for (size_t j = 0; j < p->vendors.n; j++)
			printf("%s%s", j ? " " : "", p->vendors.v[j]);
		printf("%s\n", p->vendors.n ? "" : "(names none: restricts nothing by itself)");
		printf("  %s\n  Basis:  %s\n  Scope:  %s\n", p->name, p->basis ? p->basis : "-",
		       p->scope ? p->scope : "-");
	}
}

int vw_ctl_profiles_main(int argc, char **argv, int json)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' }, { "policy-dir", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = "/etc/vendorwall/vendorwall.conf", *dir = NULL;
	struct vw_daemon_conf conf = { 0 };
	struct vw_diag diag = { 0 };
	struct vw_policy pol;
	bool have_conf = false;
	int c, ret = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", lo, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'd': dir = optarg; break;
		case 'j': json = 1; break;
		case 'h':
			printf("Usage: vendorwallctl policy profiles [--json] [--config FILE] [--policy-dir DIR]\n");
			return 0;
		default: return 2;
		}
	}
	/* The configuration says which profiles are enforced; without one
	 * (a workstation) the profiles are still listed. */
	have_conf = vw_config_load(&conf, config, &diag) == 0;
	vw_diag_free(&diag);
	diag = (struct vw_diag){ 0 };
	if (!dir)
		dir = have_conf ? conf.policy_dir :
		      is_dir(VW_POLICY_DIR) || !is_dir("policy") ? VW_POLICY_DIR : "policy";
	if (vw_policy_load(&pol, dir, &diag) < 0) {
		for (size_t i = 0; i < diag.n; i++)
			fprintf(stderr, "Error: %s\n", diag.msgs[i]);
		fprintf(stderr, "Error: cannot load the policy from %s\n", dir);
		goto out;
	}
	if (json) {
		ret = print_json(&pol, have_conf ? &conf.profiles : NULL);
	} else {
		print_text(&pol, have_conf ? &conf.profiles : NULL);
		ret = 0;
	}
	vw_policy_free(&pol);
out:
	vw_diag_free(&diag);
	if (have_conf)
		vw_config_free(&conf);
	return ret;
}

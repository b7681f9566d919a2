// SPDX-License-Identifier: GPL-2.0-only
/* Tests for daemon/lib/state.c: the running state built from the shipped
 * policy/, the real IEEE registry (/usr/share/ieee-data) and a temporary
 * configuration; its version fingerprint; lookups; and that every error
 * on the way (configuration, policy, fingerprint rules, registry, profile)
 * arrives as file:line and leaves no state behind. */
#include <dirent.h>
#include <dlfcn.h>
#include <limits.h>
#include <hs/hs.h>
#include "unit.h"
#include "compile_aside.h"
#include "state.h"
#include "vendorwall.h"

struct fx {
	char *dir;                /* temporary: configuration, policy copies, registry copies */
	char policy[PATH_MAX];    /* the checkout's policy/, absolute */
};

/* Hyperscan compilations this process ran itself (a forked child's are
 * counted in the child's copy): the library's calls come here first. */
static int n_compiles;

hs_error_t hs_compile_multi(const char *const *expressions, const unsigned *flags,
			    const unsigned *ids, unsigned elements, unsigned mode,
			    const hs_platform_info_t *platform, hs_database_t **db,
			    hs_compile_error_t **error)
{
	static hs_error_t (*real)(const char *const *, const unsigned *, const unsigned *,
				  unsigned, unsigned, const hs_platform_info_t *,
				  hs_database_t **, hs_compile_error_t **);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "hs_compile_multi");
	n_compiles++;
	return real(expressions, flags, ids, elements, mode, platform, db, error);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char rel[PATH_MAX];

	assert_non_null(f);
	f->dir = tmpdir_new();
	snprintf(rel, sizeof(rel), "%s/policy", src_dir());
	assert_non_null(realpath(rel, f->policy));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	rm_rf(f->dir);
	free(f);
	return 0;
}

/* A configuration using policy and registry directories; returns its path. */
static char *write_conf(struct fx *f, const char *name, const char *profiles,
			const char *policy, const char *registry)
{
	char *text = NULL, *path;

	assert_true(asprintf(&text,
			     "[Daemon]\n"
			     "Profile=%s\n"
			     "PolicyDirectory=%s\n"
			     "RegistryDirectory=%s\n"
			     "StateDirectory=%s\n"	/* its fp-cache: never the host's */
			     "\n"
			     "[Segment lan]\n"
			     "Interface=lan0\n"
			     "Mode=block\n"
			     "\n"
			     "[Segment cams]\n"
			     "Interface=lan0\n"
			     "VLAN=20\n",
			     profiles, policy, registry, f->dir) > 0);
	path = write_file(f->dir, name, text);
	free(text);
	return path;
}

static struct vw_state *build_ok(const char *conf)
{
	struct vw_diag diag = { 0 };
	struct vw_state *st = NULL;

	assert_int_equal(vw_state_build(&st, conf, &diag), 0);
	assert_diag_empty(&diag);
	assert_non_null(st);
	return st;
}

/* The longest-prefix entry that covers mac, or NULL: what the data plane
 * would use for it. */
static const struct vw_ouiset_entry *covering(const struct vw_state *st, uint64_t mac)
{
	const struct vw_ouiset_entry *best = NULL;

	for (size_t i = 0; i < st->set.n; i++) {
		const struct vw_ouiset_entry *e = &st->set.v[i];
		uint64_t mask = ~0ull << (48 - e->plen) & 0xffffffffffffull;

		if ((mac & mask) == e->prefix && (!best || e->plen > best->plen))
			best = e;
	}
	return best;
}

static void test_shipped_policy(void **state)
{
	struct fx *f = *state;
	char *conf = write_conf(f, "ndaa.conf", "us-ndaa-889", f->policy, ieee_dir());
	struct vw_state *st = build_ok(conf);
	const struct vw_ouiset_entry *e;
	uint16_t codes[5];
	size_t n_restricted = 0;

	/* the configuration as written */
	assert_int_equal(st->conf.n_segments, 2);
	assert_non_null(vw_state_segment(st, "lan"));
	assert_string_equal(vw_state_segment(st, "lan")->ifname, "lan0");
	assert_int_equal(vw_state_segment(st, "lan")->mode, VW_MODE_BLOCK);
	assert_int_equal(vw_state_segment(st, "cams")->vlan, 20);
	assert_null(vw_state_segment(st, "wifi"));
	/* the shipped vendor groups, by their stable codes */
	assert_string_equal(vw_state_vendor_id(st, 1), "huawei");
	assert_string_equal(vw_state_vendor_name(st, 1), "Huawei Technologies");
	assert_string_equal(vw_state_vendor_id(st, 0), "unknown");
	assert_string_equal(vw_state_vendor_name(st, 65535), "unknown vendor");
	/* the real registry, all four files */
	assert_true(st->registry.n > 30000);
	assert_true(st->registry.date > 0);
	/* the historic Huawei OUI is restricted, an Intel one is not */
	e = covering(st, 0x00e0fc123456ull);
	assert_non_null(e);
	assert_true(e->restricted);
	assert_string_equal(vw_state_vendor_id(st, e->vendor), "huawei");
	e = covering(st, 0x001b210a0b0cull);
	assert_true(!e || !e->restricted);
	/* every restricted entry belongs to one of the profile's five groups */
	for (size_t i = 0; i < 5; i++) {
		static const char *const ids[] = { "huawei", "zte", "hikvision", "dahua", "hytera" };

		assert_non_null(vw_policy_vendor(&st->policy, ids[i]));
		codes[i] = vw_policy_vendor(&st->policy, ids[i])->code;
	}
	for (size_t i = 0; i < st->set.n; i++) {
		bool known = false;

		if (!st->set.v[i].restricted)
			continue;
		n_restricted++;
		for (size_t k = 0; k < 5; k++)
			known |= st->set.v[i].vendor == codes[k];
		assert_true(known);
	}
	assert_true(n_restricted > 100);
	/* fingerprint rules from policy/fingerprints */
	assert_non_null(st->rules);
	assert_true(st->rules->n_rules > 0);
	/* the version: 16 hex digits */
	assert_int_equal(strlen(st->version), 16);
	assert_int_equal(strspn(st->version, "0123456789abcdef"), 16);
	vw_state_free(st);
	free(conf);
}

/* The version names what is enforced: the same inputs give the same
 * version, another profile another one, and segments do not count. */
static void test_version(void **state)
{
	struct fx *f = *state;
	char *a = write_conf(f, "a.conf", "us-ndaa-889", f->policy, ieee_dir());
	char *b = write_conf(f, "b.conf", "uk-telecoms-2020", f->policy, ieee_dir());
	char *c = write_file(f->dir, "c.conf", "");
	struct vw_state *sa = build_ok(a), *sa2 = build_ok(a), *sb = build_ok(b), *sc;
	char *text = NULL;

	assert_string_equal(sa->version, sa2->version);
	assert_string_not_equal(sa->version, sb->version);
	/* the UK profile covers Huawei only: fewer entries, all Huawei */
	assert_true(sb->set.n < sa->set.n);
	for (size_t i = 0; i < sb->set.n; i++)
		if (sb->set.v[i].restricted)
			assert_string_equal(vw_state_vendor_id(sb, sb->set.v[i].vendor), "huawei");
	/* the same profile without any segment enforces differently: the
	 * version covers segments too (issue 8: it names all that is enforced) */
	free(c);
	assert_true(asprintf(&text, "[Daemon]\nProfile=us-ndaa-889\nPolicyDirectory=%s\n"
			     "RegistryDirectory=%s\nStateDirectory=%s\n", f->policy, ieee_dir(),
			     f->dir) > 0);
	c = write_file(f->dir, "c.conf", text);
	sc = build_ok(c);
	assert_int_equal(sc->conf.n_segments, 0);
	assert_string_not_equal(sc->version, sa->version);
	vw_state_free(sa);
	vw_state_free(sa2);
	vw_state_free(sb);
	vw_state_free(sc);
	free(text);
	free(a);
	free(b);
	free(c);
}

/* vw_state_build fails with diag holding want (a format taking the temp
 * dir), and leaves *st as it was. */
static void build_fails(struct fx *f, const char *conf, int err, const char *want)
{
	struct vw_state *sentinel = (struct vw_state *)&sentinel, *st = sentinel;
	struct vw_diag diag = { 0 };

	assert_int_equal(vw_state_build(&st, conf, &diag), err);
	assert_ptr_equal(st, sentinel);
	assert_diag_has(&diag, want, f->dir);
	vw_diag_free(&diag);
}

/* A copy of the shipped policy to break one file of. */
static char *policy_copy(struct fx *f, const char *name)
{
	char *dst = NULL, *cmd = NULL;

	assert_true(asprintf(&dst, "%s/%s", f->dir, name) > 0);
	assert_true(asprintf(&cmd, "cp -r '%s' '%s'", f->policy, dst) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	return dst;
}

static void append(const char *dir, const char *rel, const char *text)
{
	char *path = NULL;
	FILE *fp;

	assert_true(asprintf(&path, "%s/%s", dir, rel) > 0);
	fp = fopen(path, "a");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	free(path);
}

static int count_lines(const char *path)
{
	FILE *fp = fopen(path, "r");
	int n = 0, c;

	assert_non_null(fp);
	while ((c = getc(fp)) != EOF)
		n += c == '\n';
	fclose(fp);
	return n;
}

static void test_errors_keep_file_line(void **state)
{
	struct fx *f = *state;
	char *conf, *pol, *path = NULL, want[PATH_MAX + 128];
	int line;

	/* configuration: its own file and line */
	conf = write_file(f->dir, "bad.conf", "[Daemon]\nProfile=us-ndaa-889\n[Segment lan]\nInterface=lan0\nMode=enforce\n");
	build_fails(f, conf, -EINVAL, "%s/bad.conf:5: invalid Mode=enforce (expected one of off, monitor, block)");
	free(conf);

	/* a profile no policy file defines: the configuration file names it */
	conf = write_conf(f, "noprof.conf", "us-ndaa-889 nope", f->policy, ieee_dir());
	build_fails(f, conf, -ENOENT, "%s/noprof.conf: unknown profile 'nope'");
	free(conf);

	/* policy: the vendor file and the line of the bad key */
	pol = policy_copy(f, "pol-vendor");
	assert_true(asprintf(&path, "%s/vendors/zte.conf", pol) > 0);
	line = count_lines(path) + 1;
	append(pol, "vendors/zte.conf", "Colour=blue\n");
	conf = write_conf(f, "pv.conf", "us-ndaa-889", pol, ieee_dir());
	snprintf(want, sizeof(want), "%%s/pol-vendor/vendors/zte.conf:%d: unknown key Colour= in [Vendor]", line);
	build_fails(f, conf, -EINVAL, want);
	free(conf);
	free(path);
	free(pol);

	/* fingerprint rules: the rules file and the line */
	pol = policy_copy(f, "pol-fp");
	assert_true(asprintf(&path, "%s/fingerprints/huawei.conf", pol) > 0);
	line = count_lines(path) + 2;
	append(pol, "fingerprints/huawei.conf", "\n[Sideways x]\n");
	conf = write_conf(f, "pf.conf", "us-ndaa-889", pol, ieee_dir());
	snprintf(want, sizeof(want),
		 "%%s/pol-fp/fingerprints/huawei.conf:%d: unknown section [Sideways x] (expected [Rule ID] or [Class ID])",
		 line);
	build_fails(f, conf, -EINVAL, want);
	free(conf);
	free(path);
	free(pol);

	/* a registry directory without the registry */
	assert_int_equal(mkdir(strcat(strcpy(want, f->dir), "/empty-reg"), 0755), 0);
	conf = write_conf(f, "reg.conf", "us-ndaa-889", f->policy, want);
	{
		struct vw_state *st = NULL;
		struct vw_diag diag = { 0 };
		bool named = false;

		assert_true(vw_state_build(&st, conf, &diag) < 0);
		assert_null(st);
		assert_true(diag.n > 0);
		for (size_t i = 0; i < diag.n; i++)
			named |= !strncmp(diag.msgs[i], want, strlen(want));
		if (!named)
			fail_msg("no message names %s; first: %s", want, diag.msgs[0]);
		vw_diag_free(&diag);
	}
	free(conf);
}

/* A bad row in the IEEE files (upstream data we cannot fix) is a warning
 * with its file and line, and the row is skipped: the state still builds. */
static void test_registry_row_warning(void **state)
{
	struct fx *f = *state;
	char *reg = NULL, *cmd = NULL, *conf, *csv = NULL, want[PATH_MAX + 128];
	struct vw_state *st = NULL;
	struct vw_diag diag = { 0 };
	int line;

	assert_true(asprintf(&reg, "%s/reg", f->dir) > 0);
	assert_true(asprintf(&cmd, "mkdir '%s' && cp '%s'/*.csv '%s'/.lastupdate '%s'",
			     reg, ieee_dir(), ieee_dir(), reg) > 0);
	assert_int_equal(system(cmd), 0);
	assert_true(asprintf(&csv, "%s/oui.csv", reg) > 0);
	line = count_lines(csv) + 1;
	append(reg, "oui.csv", "MA-L,00E0F,Broken Row Inc.,Nowhere\n");
	conf = write_conf(f, "rowwarn.conf", "us-ndaa-889", f->policy, reg);
	assert_int_equal(vw_state_build(&st, conf, &diag), 0);
	assert_non_null(st);
	snprintf(want, sizeof(want), "%s:%d: bad assignment \"00E0F\" (want 6 hex digits); row skipped",
		 csv, line);
	assert_diag_has(&diag, "%s", want);
	assert_int_equal(diag.n, 1);
	vw_diag_free(&diag);
	vw_state_free(st);
	free(conf);
	free(csv);
	free(cmd);
	free(reg);
}

/* A reload keeps the registry rows it parsed while the files are the same
 * (vw_state_rebuild) and reads them again once a file changes. */
static void test_registry_reused_until_changed(void **state)
{
	struct fx *f = *state;
	char *reg = NULL, *cmd = NULL, *conf;
	struct vw_state *a, *b = NULL, *c = NULL;
	struct vw_diag diag = { 0 };
	struct vw_state_opts opts = { 0 };

	assert_true(asprintf(&reg, "%s/reg", f->dir) > 0);
	assert_true(asprintf(&cmd, "mkdir '%s' && cp '%s'/*.csv '%s'/.lastupdate '%s'",
			     reg, ieee_dir(), ieee_dir(), reg) > 0);
	assert_int_equal(system(cmd), 0);
	conf = write_conf(f, "reuse.conf", "us-ndaa-889", f->policy, reg);
	a = build_ok(conf);
	opts.prev = a;
	assert_int_equal(vw_state_rebuild(&b, conf, &opts, &diag), 0);
	assert_diag_empty(&diag);
	assert_string_equal(b->registry_path, a->registry_path);
	assert_int_equal(b->registry.n, a->registry.n);
	assert_int_equal(b->registry.date, a->registry.date);
	for (size_t i = 0; i < a->registry.n; i++) {
		assert_int_equal(b->registry.rows[i].prefix, a->registry.rows[i].prefix);
		assert_int_equal(b->registry.rows[i].plen, a->registry.rows[i].plen);
		assert_string_equal(b->registry.rows[i].org, a->registry.rows[i].org);
	}
	/* Shared, not copied: a reload costs no second registry in memory. */
	assert_ptr_equal(b->registry.rows, a->registry.rows);
	assert_int_equal(*b->registry.refs, 2);
	assert_int_equal(b->set.n, a->set.n);
	assert_string_equal(b->version, a->version);
	vw_state_free(a);   /* b keeps the rows */
	assert_int_equal(*b->registry.refs, 1);
	for (size_t i = 0; i < b->registry.n; i++)
		assert_true(b->registry.rows[i].org[0] != '\0');
	/* A new Huawei block in oui.csv: parsed again, and enforced. */
	append(reg, "oui.csv", "MA-L,FCFCFD,\"Huawei Technologies Co., Ltd.\",\"Shenzhen\"\n");
	opts.prev = b;
	assert_int_equal(vw_state_rebuild(&c, conf, &opts, &diag), 0);
	assert_diag_empty(&diag);
	assert_int_equal(c->registry.n, b->registry.n + 1);
	assert_int_equal(c->set.n, b->set.n + 1);
	assert_string_not_equal(c->version, b->version);
	vw_state_free(b);
	vw_state_free(c);
	free(conf);
	free(cmd);
	free(reg);
}

/* A configuration the caller parsed already (the daemon, which needs its
 * BpfRoot before the state is built) is taken as it is, not read again:
 * the file may be gone by then. The state owns it, also when the build
 * fails (ASan sees a leak or double free otherwise). */
static void test_parsed_conf_taken(void **state)
{
	struct fx *f = *state;
	char *path = write_conf(f, "once.conf", "us-ndaa-889", f->policy, ieee_dir());
	char *bad = write_conf(f, "bad.conf", "no-such-profile", f->policy, ieee_dir());
	struct vw_daemon_conf conf = { 0 };
	struct vw_state_opts opts = { .conf = &conf };
	struct vw_diag diag = { 0 };
	struct vw_state *st = NULL, *ref = build_ok(path);

	assert_int_equal(vw_config_load(&conf, path, &diag), 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(vw_state_rebuild(&st, path, &opts, &diag), 0);
	assert_diag_empty(&diag);
	assert_null(conf.bpf_root);   /* moved into the state */
	assert_int_equal(st->conf.n_segments, 2);
	assert_string_equal(st->version, ref->version);
	vw_state_free(st);
	st = NULL;

	assert_int_equal(vw_config_load(&conf, bad, &diag), 0);
	assert_int_equal(vw_state_rebuild(&st, bad, &opts, &diag), -ENOENT);
	assert_null(st);
	assert_null(conf.bpf_root);
	assert_diag_has(&diag, "%s: unknown profile 'no-such-profile'", bad);
	vw_diag_free(&diag);
	vw_state_free(ref);
	free(path);
	free(bad);
}

/* The state of conf built as the daemon builds it: the matcher databases
 * the fp-cache lacks compiled by the daemon's child (vwd_compile_aside). */
static struct vw_state *build_aside(const char *conf)
{
	struct vw_state_opts opts = { .compile_aside = vwd_compile_aside };
	struct vw_diag diag = { 0 };
	struct vw_state *st = NULL;

	assert_int_equal(vw_state_rebuild(&st, conf, &opts, &diag), 0);
	assert_diag_empty(&diag);
	return st;
}

/* Files named *.hsdb in dir. */
static int count_hsdb(const char *dir)
{
	struct dirent *de;
	int files = 0;
	DIR *d;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)))
		files += strstr(de->d_name, ".hsdb") != NULL;
	closedir(d);
	return files;
}

/* The daemon's matcher databases are compiled in a child that writes them
 * to StateDirectory/fp-cache, never in the daemon (whose memory the
 * compiler would leave megabytes bigger); without a usable cache the
 * daemon still compiles them itself. A build without compile_aside
 * (vendorwallctl report) compiles in its own process, and fills the cache
 * as well. */
static void test_rules_compiled_aside(void **state)
{
	struct fx *f = *state;
	char *sdir = NULL, *text = NULL, *conf, *cache = NULL;
	struct vw_state *a, *b;

	assert_true(asprintf(&sdir, "%s/state", f->dir) > 0);
	assert_int_equal(mkdir(sdir, 0700), 0);
	assert_true(asprintf(&text, "[Daemon]\nProfile=us-ndaa-889\nPolicyDirectory=%s\n"
			     "RegistryDirectory=%s\nStateDirectory=%s\n\n[Segment lan]\n"
			     "Interface=lan0\nMode=block\n", f->policy, ieee_dir(), sdir) > 0);
	conf = write_file(f->dir, "aside.conf", text);
	n_compiles = 0;
	a = build_aside(conf);
	assert_int_equal(n_compiles, 0);
	assert_non_null(a->rules);
	assert_true(asprintf(&cache, "%s/fp-cache", sdir) > 0);
	assert_true(count_hsdb(cache) > 0);
	b = build_aside(conf);   /* from the cache, no child needed */
	assert_int_equal(n_compiles, 0);
	assert_string_equal(b->version, a->version);
	vw_state_free(b);

	/* No compile_aside: compiled here, into the same cache. */
	rm_rf(strdup(cache));
	b = build_ok(conf);
	assert_true(n_compiles > 0);
	assert_true(count_hsdb(cache) > 0);
	assert_string_equal(b->version, a->version);
	vw_state_free(b);
	free(conf);
	free(text);

	/* A StateDirectory that cannot hold fp-cache: compiled here. */
	rm_rf(sdir);
	sdir = NULL;
	n_compiles = 0;
	assert_true(asprintf(&sdir, "%s/state-file", f->dir) > 0);
	free(write_file(f->dir, "state-file", "not a directory\n"));
	assert_true(asprintf(&text, "[Daemon]\nProfile=us-ndaa-889\nPolicyDirectory=%s\n"
			     "RegistryDirectory=%s\nStateDirectory=%s\n\n[Segment lan]\n"
			     "Interface=lan0\nMode=block\n", f->policy, ieee_dir(), sdir) > 0);
	conf = write_file(f->dir, "here.conf", text);
	b = build_aside(conf);
	assert_true(n_compiles > 0);
	assert_string_equal(b->version, a->version);
	vw_state_free(a);
	vw_state_free(b);
	free(conf);
	free(text);
	free(cache);
	free(sdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shipped_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_keep_file_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registry_row_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_registry_reused_until_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_compiled_aside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parsed_conf_taken, setup, teardown),
	};

	vw_state_free(NULL);   /* NULL is fine, as for free() */
	return cmocka_run_group_tests(tests, NULL, NULL);
}

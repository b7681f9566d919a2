/* SPDX-License-Identifier: GPL-2.0-only */
/* Tests for `vendorwallctl classify` (daemon/vendorwallctl/classify.c): pcaps written with pcap_dump, JSON read back with json-c, --all, truncated captures, and a run as an unprivileged user. */
#include <json-c/json.h>
#include <pcap/pcap.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include "unit.h"
#include "classify.h"
#include "fp_frames.h"

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t local_mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t benign_mac[6] = { 0x00, 0x1b, 0x21, 0x0a, 0x0b, 0x0c };
static const uint8_t huawei_mac[6] = { 0x00, 0xe0, 0xfc, 0x12, 0x34, 0x56 };
static const uint8_t ip_local[4] = { 10, 0, 0, 7 }, ip_benign[4] = { 10, 0, 0, 8 };
static const uint8_t ip_huawei[4] = { 10, 0, 0, 9 }, ip_gw[4] = { 10, 0, 0, 1 };
static const uint8_t ip6_local[16] = { 0xfe, 0x80, [14] = 0xab, [15] = 7 };
static const uint8_t ip6_mc[16] = { 0xff, 0x02, [15] = 0xc };

#define SYSDESC "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.120 (CE6870EI V200R001C00SPC700)"

struct fx {
	char *dir, *policy, *pcap;
};

static void dump(pcap_dumper_t *d, const struct ff *fr, int i)
{
	struct pcap_pkthdr h = { .ts = { .tv_sec = 1700000000 + i, .tv_usec = 0 },
				 .caplen = (bpf_u_int32)fr->n, .len = (bpf_u_int32)fr->n };

	pcap_dump((u_char *)d, &h, fr->b);
}

/* Four frames: Huawei VRP LLDP from a locally administered MAC, its IPv4
 * and IPv6 traffic, a benign device, a Huawei-OUI device. */
static void write_pcap(const char *path, int frames)
{
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d;
	struct ff fr;
	int i = 0;

	assert_non_null(p);
	d = pcap_dump_open(p, path);
	assert_non_null(d);
	ff_lldp(&fr, local_mac, local_mac, "core-1", SYSDESC);
	dump(d, &fr, i++);
	ff_ipv4(&fr, bcast, local_mac, ip_local, ip_gw, 17, 5000, 5001, "x", 1);
	dump(d, &fr, i++);
	ff_ipv6_udp(&fr, bcast, local_mac, ip6_local, ip6_mc, 5000, 3702, "y", 1);
	dump(d, &fr, i++);
	ff_ipv4(&fr, bcast, benign_mac, ip_benign, ip_gw, 17, 5000, 5001, "x", 1);
	dump(d, &fr, i++);
	for (; i < frames; i++) {
		ff_ipv4(&fr, bcast, huawei_mac, ip_huawei, ip_gw, 17, 5000, 5001, "zzzz", 4);
		dump(d, &fr, i);
	}
	pcap_dump_close(d);
	pcap_close(p);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char *cmd = NULL;

	f->dir = tmpdir_new();
	assert_int_equal(chmod(f->dir, 0755), 0);
	/* A copy every user can read, for the unprivileged run. */
	assert_true(asprintf(&f->policy, "%s/policy", f->dir) > 0);
	assert_true(asprintf(&cmd, "cp -r '%s/policy' '%s' && chmod -R a+rX '%s'", src_dir(), f->dir, f->dir) > 0);
	assert_int_equal(system(cmd), 0);
	assert_true(asprintf(&f->pcap, "%s/cap.pcap", f->dir) > 0);
	write_pcap(f->pcap, 6);
	assert_int_equal(chmod(f->pcap, 0644), 0);
	free(cmd);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char *cmd = NULL;

	assert_true(asprintf(&cmd, "rm -rf '%s'", f->dir) > 0);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(f->dir);
	free(f->policy);
	free(f->pcap);
	free(f);
	return 0;
}

struct run {
	int status;
	char *out, *err;
};

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 1 << 20);
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, (1 << 20) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* Runs vw_ctl_classify_main in a child (it owns stdout/stderr there),
 * optionally as "nobody". */
static struct run classify(struct fx *f, bool unpriv, const char *a1, const char *a2, const char *file)
{
	char *out = NULL, *err = NULL;
	struct run r = { 0 };
	int st;
	pid_t pid;

	assert_true(asprintf(&out, "%s/out", f->dir) > 0);
	assert_true(asprintf(&err, "%s/err", f->dir) > 0);
	/* Created here: an unprivileged child cannot create files in our
	 * directory, but may write to these. */
	close(open(out, O_CREAT | O_TRUNC | O_WRONLY, 0666));
	close(open(err, O_CREAT | O_TRUNC | O_WRONLY, 0666));
	chmod(out, 0666);
	chmod(err, 0666);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[12];
		int n = 0;

		if (unpriv && geteuid() == 0) {
			struct passwd *pw = getpwnam("nobody");

			if (!pw || setgroups(0, NULL) || setgid(pw->pw_gid) || setuid(pw->pw_uid))
				_exit(99);
		}
		if (!freopen(out, "w", stdout) || !freopen(err, "w", stderr))
			_exit(98);
		argv[n++] = "classify";
		argv[n++] = "--policy-dir";
		argv[n++] = f->policy;
		argv[n++] = "--registry-dir";
		argv[n++] = (char *)ieee_dir();
		if (a1)
			argv[n++] = (char *)a1;
		if (a2)
			argv[n++] = (char *)a2;
		argv[n++] = (char *)file;
		argv[n] = NULL;
		st = vw_ctl_classify_main(n, argv);
		fflush(NULL);
		_exit(st);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	r.status = WEXITSTATUS(st);
	/* The child may have run as nobody: its files are still ours to read. */
	r.out = slurp(out);
	r.err = slurp(err);
	/* Shown on failure by the caller's assertions' context. */
	if (r.status && getenv("VW_TEST_VERBOSE"))
		fprintf(stderr, "classify exit %d, stderr:\n%s\n", r.status, r.err);
	unlink(out);
	unlink(err);
	free(out);
	free(err);
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static json_object *device(json_object *root, const char *mac)
{
	json_object *devs;

	assert_true(json_object_object_get_ex(root, "devices", &devs));
	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		json_object *d = json_object_array_get_idx(devs, i), *m;

		if (json_object_object_get_ex(d, "mac", &m) && !strcmp(json_object_get_string(m), mac))
			return d;
	}
	return NULL;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	assert_true(json_object_object_get_ex(o, key, &v));
	return v ? json_object_get_string(v) : NULL;
}

static size_t ndevices(json_object *root)
{
	json_object *devs;

	assert_true(json_object_object_get_ex(root, "devices", &devs));
	return json_object_array_length(devs);
}

static void check_restricted(json_object *root)
{
	json_object *d, *ev, *e0, *v4, *v6, *conf;

	d = device(root, "02:11:22:33:44:55");
	assert_non_null(d);
	assert_string_equal(str(d, "vendor"), "huawei");
	assert_string_equal(str(d, "state"), "restricted");
	assert_true(json_object_object_get_ex(d, "confidence", &conf));
	assert_true(json_object_get_double(conf) > 0.89 && json_object_get_double(conf) <= 1.0);
	assert_true(json_object_object_get_ex(d, "evidence", &ev));
	assert_true(json_object_array_length(ev) >= 1);
	e0 = json_object_array_get_idx(ev, 0);
	assert_string_equal(str(e0, "signal"), "lldp");
	assert_string_equal(str(e0, "field"), "system-description");
	assert_non_null(strstr(str(e0, "value"), "Huawei Versatile Routing Platform Software"));
	assert_true(json_object_object_get_ex(d, "ipv4", &v4));
	assert_int_equal(json_object_array_length(v4), 1);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v4, 0)), "10.0.0.7");
	assert_true(json_object_object_get_ex(d, "ipv6", &v6));
	assert_int_equal(json_object_array_length(v6), 1);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(v6, 0)), "fe80::ab07");

	d = device(root, "00:e0:fc:12:34:56");
	assert_non_null(d);
	assert_string_equal(str(d, "vendor"), "huawei");
	assert_true(json_object_object_get_ex(d, "evidence", &ev));
	assert_string_equal(str(json_object_array_get_idx(ev, 0), "signal"), "oui");
}

static void test_json(void **state)
{
	struct fx *f = *state;
	struct run r = classify(f, false, "--json", NULL, f->pcap);
	json_object *root;

	if (r.status)
		fail_msg("status %d: %s", r.status, r.err);
	assert_string_equal(r.err, "");
	root = json_tokener_parse(r.out);
	assert_non_null(root);
	assert_int_equal(ndevices(root), 2);   /* only the restricted ones */
	assert_null(device(root, "00:1b:21:0a:0b:0c"));
	check_restricted(root);
	json_object_put(root);
	run_free(&r);
}

static void test_all(void **state)
{
	struct fx *f = *state;
	struct run r = classify(f, false, "--json", "--all", f->pcap);
	json_object *root, *d, *v;

	assert_int_equal(r.status, 0);
	root = json_tokener_parse(r.out);
	assert_non_null(root);
	assert_int_equal(ndevices(root), 3);
	d = device(root, "00:1b:21:0a:0b:0c");
	assert_non_null(d);
	assert_true(json_object_object_get_ex(d, "vendor", &v));
	assert_null(v);
	assert_string_equal(str(d, "state"), "none");
	check_restricted(root);
	json_object_put(root);
	run_free(&r);

	/* The table names the same devices. */
	r = classify(f, false, "--all", NULL, f->pcap);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "02:11:22:33:44:55  huawei"));
	assert_non_null(strstr(r.out, "00:1b:21:0a:0b:0c  -"));
	assert_non_null(strstr(r.out, "addresses: 10.0.0.7 fe80::ab07"));
	run_free(&r);
}

static void test_truncated(void **state)
{
	struct fx *f = *state;
	char *cut = NULL, *want = NULL;
	struct run r;
	json_object *root;
	struct stat st;

	assert_true(asprintf(&cut, "%s/cut.pcap", f->dir) > 0);
	write_pcap(cut, 6);
	assert_int_equal(stat(cut, &st), 0);
	/* Frame 6 loses its last 10 bytes. */
	assert_int_equal(truncate(cut, st.st_size - 10), 0);
	r = classify(f, false, "--json", NULL, cut);
	assert_int_equal(r.status, 1);
	assert_true(asprintf(&want, "Error: %s: frame 6: truncated record", cut) > 0);
	if (!strstr(r.err, want))
		fail_msg("stderr: %s", r.err);
	root = json_tokener_parse(r.out);
	assert_non_null(root);
	check_restricted(root);      /* frames 1-5 still count */
	json_object_put(root);
	run_free(&r);

	/* Garbage is an error naming the file. */
	free(cut);
	cut = write_file(f->dir, "junk.pcap", "this is not a capture file at all\n");
	r = classify(f, false, NULL, NULL, cut);
	assert_int_equal(r.status, 1);
	free(want);
	assert_true(asprintf(&want, "Error: %s: ", cut) > 0);
	assert_non_null(strstr(r.err, want));
	run_free(&r);
	free(want);
	free(cut);
}

static void test_other_linktype(void **state)
{
	struct fx *f = *state;
	pcap_t *p = pcap_open_dead(DLT_RAW, 65535);
	char *path = NULL;
	pcap_dumper_t *d;
	struct run r;

	assert_true(asprintf(&path, "%s/raw.pcap", f->dir) > 0);
	d = pcap_dump_open(p, path);
	pcap_dump_close(d);
	pcap_close(p);
	r = classify(f, false, NULL, NULL, path);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "is not supported, only Ethernet"));
	run_free(&r);
	free(path);
}

static void test_unprivileged(void **state)
{
	struct fx *f = *state;
	struct run r = classify(f, true, "--json", NULL, f->pcap);
	json_object *root;

	if (r.status)
		fail_msg("status %d: %s", r.status, r.err);
	root = json_tokener_parse(r.out);
	assert_non_null(root);
	check_restricted(root);
	json_object_put(root);
	run_free(&r);
}

/* Linux cooked captures (SLL, SLL2): the link-layer source address is the
 * device's MAC; a record with another hardware type names nobody. The
 * Huawei-OUI device is found in both, the benign one is not reported. */
static void write_cooked(const char *path, int dlt)
{
	static const uint8_t other_huawei[6] = { 0x00, 0xe0, 0xfc, 0x99, 0x99, 0x99 };
	pcap_t *p = pcap_open_dead(dlt, 65535);
	pcap_dumper_t *d;
	struct ff fr;

	assert_non_null(p);
	d = pcap_dump_open(p, path);
	assert_non_null(d);
	for (int i = 0; i < 3; i++) {
		const uint8_t *mac = i == 0 ? huawei_mac : benign_mac;
		struct ff c = { 0 };

		ff_ipv4(&fr, bcast, mac, ip_huawei, ip_gw, 17, 5000, 5001, "zzzz", 4);
		if (dlt == DLT_LINUX_SLL) {
			ff_u16(&c, 4); ff_u16(&c, 1); ff_u16(&c, 6);      /* outgoing, ARPHRD_ETHER */
			ff_put(&c, mac, 6); ff_u16(&c, 0);
			ff_u16(&c, 0x0800);
		} else {
			ff_u16(&c, 0x0800); ff_u16(&c, 0);                 /* protocol, reserved */
			ff_u16(&c, 0); ff_u16(&c, 2);                      /* ifindex */
			ff_u16(&c, i == 2 ? 772 : 1);                      /* loopback: no MAC */
			ff_u8(&c, 0); ff_u8(&c, 6);
			ff_put(&c, i == 2 ? other_huawei : mac, 6); ff_u16(&c, 0);
		}
		ff_put(&c, fr.b + 14, fr.n - 14);
		dump(d, &c, i);
	}
	pcap_dump_close(d);
	pcap_close(p);
}

static void test_cooked(void **state)
{
	static const int dlts[] = { DLT_LINUX_SLL, 276 /* DLT_LINUX_SLL2 */ };
	struct fx *f = *state;

	for (size_t i = 0; i < 2; i++) {
		char *path = NULL;
		json_object *root, *d;
		struct run r;

		assert_true(asprintf(&path, "%s/cooked%zu.pcap", f->dir, i) > 0);
		write_cooked(path, dlts[i]);
		r = classify(f, false, "--json", "--all", path);
		if (r.status)
			fail_msg("status %d: %s", r.status, r.err);
		root = json_tokener_parse(r.out);
		assert_non_null(root);
		d = device(root, "00:e0:fc:12:34:56");
		assert_non_null(d);
		assert_string_equal(str(d, "state"), "restricted");
		d = device(root, "00:1b:21:0a:0b:0c");
		assert_non_null(d);
		assert_string_equal(str(d, "state"), "none");
		assert_int_equal(ndevices(root), 2);    /* not the loopback record's */
		json_object_put(root);
		run_free(&r);
		free(path);
	}
}

/* Odd bytes in every kind of string classify prints: the file name
 * (slashes, control bytes, quotes, backslash, UTF-8, DEL), an LLDP
 * description and an SSH banner (sanitised by the engine, still with
 * quotes, backslashes, slashes, UTF-8) of a device on the segment and of
 * one behind a router (ip_devices). */
static char *write_odd(struct fx *f)
{
	static const uint8_t router[6] = { 0x02, 0x99, 0x00, 0x00, 0x00, 0x01 };
	static const uint8_t ip_far[4] = { 192, 0, 2, 44 };
	static const char banner[] = "SSH-2.0-HUAWEI-1.5 \"q\"/\\x \xc3\xa9\x01\r\n";
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	char *path = NULL;
	pcap_dumper_t *d;
	struct ff fr;

	assert_true(asprintf(&path, "%s/odd \"name\" \\ \t\x01\x7f\xc3\xa9.pcap", f->dir) > 0);
	assert_non_null(p);
	d = pcap_dump_open(p, path);
	assert_non_null(d);
	ff_lldp(&fr, local_mac, local_mac, "sw \"1\"\\/\xc3\xa9",
		"Huawei Versatile Routing Platform Software \"q\" \\ / \xc3\xa9\t\x7f" "end");
	dump(d, &fr, 0);
	ff_ipv4(&fr, local_mac, router, ip_far, ip_local, 6, 22, 40000, banner, sizeof(banner) - 1);
	fr.b[14 + 8] = 61;             /* TTL: came through a router */
	ff_set16(&fr, 14 + 10, 0);
	ff_set16(&fr, 14 + 10, ff_csum(fr.b + 14, 20));
	dump(d, &fr, 1);
	pcap_dump_close(d);
	pcap_close(p);
	return path;
}

/* classify writes its JSON itself: it must be exactly what json-c prints
 * for the same document (PLAIN, no slash escapes), line by line. */
static void test_json_canonical(void **state)
{
	struct fx *f = *state;
	char *odd = write_odd(f), *line, *save = NULL;
	struct run r = classify(f, false, "-aj", "--per-file", odd);
	int lines = 0;

	if (r.status)
		fail_msg("status %d: %s", r.status, r.err);
	/* The escapes this test is about were exercised. */
	assert_non_null(strstr(r.out, "\"file\":\""));
	assert_non_null(strstr(r.out, "/odd \\\"name\\\" \\\\ \\t\\u0001\x7f\xc3\xa9.pcap"));
	assert_non_null(strstr(r.out, "Software \\\"q\\\" \\\\ / \xc3\xa9"));
	assert_non_null(strstr(r.out, "\"ip_devices\":[{\"ip\":\"192.0.2.44\""));
	assert_non_null(strstr(r.out, "HUAWEI-1.5 \\\"q\\\"/\\\\x"));
	for (line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_object *root = json_tokener_parse(line);

		assert_non_null(root);
		assert_string_equal(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
								   JSON_C_TO_STRING_NOSLASHESCAPE), line);
		json_object_put(root);
		lines++;
	}
	assert_int_equal(lines, 1);
	run_free(&r);
	/* And the usual capture, every device, one document. */
	r = classify(f, false, "--json", "--all", f->pcap);
	assert_int_equal(r.status, 0);
	{
		json_object *root = json_tokener_parse(r.out);

		assert_non_null(root);
		assert_string_equal(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
								   JSON_C_TO_STRING_NOSLASHESCAPE), strtok_r(r.out, "\n", &save));
		json_object_put(root);
	}
	run_free(&r);
	free(odd);
}

static void test_usage(void **state)
{
	struct fx *f = *state;
	struct run r = classify(f, false, "--profile", "no-such-profile", f->pcap);

	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "Error: no profile 'no-such-profile'"));
	run_free(&r);
	r = classify(f, false, "--bogus", NULL, f->pcap);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "Error: unknown option: --bogus"));
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_linktype, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unprivileged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cooked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_canonical, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usage, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

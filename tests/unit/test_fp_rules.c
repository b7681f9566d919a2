/* SPDX-License-Identifier: GPL-2.0-only */
/* Tests for daemon/lib/fp/rules.c and the shipped policy/fingerprints: loading, file:line errors, and that the catalogue's false positives never match a restricted vendor. */
#include <dirent.h>
#include <regex.h>

#include <fcntl.h>
#include "unit.h"
#include "fp.h"
#include "fp_frames.h"
#include "frame.h"
#include "policy.h"
#include "rules.h"

#include "shipped_rules.h"

static void res_str(struct vw_fp_result *r, const char *name, const char *v)
{
	assert_int_equal(vw_fp_add_copy(r, name, v, strlen(v)), 0);
}

/* The ids of the idents matched, "huawei,!h3c" style, for assertions. */
static void matched(const struct vw_fp_rules *rs, const struct vw_fp_result *r, char *out, size_t cap)
{
	struct vw_fp_match m[32];
	size_t n = vw_fp_rules_match(rs, r, m, 32);

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct vw_fp_ident *id = &rs->idents[m[i].rule->ident];
		char one[80];

		snprintf(one, sizeof(one), "%s%s%s", *out ? "," : "", id->is_class ? "!" : "", id->id);
		if (!strstr(out, one + (*out ? 1 : 0)))
			strncat(out, one, cap - strlen(out) - 1);
	}
}

static bool any_restricted(const struct vw_fp_rules *rs, const struct vw_fp_result *r)
{
	struct vw_fp_match m[32];
	size_t n = vw_fp_rules_match(rs, r, m, 32);

	for (size_t i = 0; i < n; i++)
		if (!rs->idents[m[i].rule->ident].is_class)
			return true;
	return false;
}

static void test_shipped_rules_load(void **state)
{
	struct fx *f = *state;
	size_t per_vendor[8] = { 0 };

	assert_true(f->rs->n_rules >= 60);
	for (size_t i = 0; i < f->rs->n_rules; i++) {
		const struct vw_fp_ident *id = &f->rs->idents[f->rs->rules[i].ident];

		if (!id->is_class && id->code < 8)
			per_vendor[id->code]++;
		assert_non_null(strstr(f->rs->rules[i].source, "policy/fingerprints/CATALOGUE.md"));
	}
	for (int code = 1; code <= 5; code++)
		assert_true(per_vendor[code] > 0);
	assert_non_null(vw_fp_rules_ident(f->rs, "h3c"));
	assert_true(vw_fp_rules_ident(f->rs, "h3c")->is_class);
}

static void test_positives(void **state)
{
	static const struct { enum vw_fp_signal sig; const char *field, *val, *want; } cases[] = {
		{ VW_SIG_LLDP, "system-description",
		  "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.120 (CE6870EI V200R001C00SPC700)\r\nCopyright (C) 2012-2016 Huawei Technologies Co., Ltd.", "huawei" },
		{ VW_SIG_LLDP, "system-description",
		  "ZXR10 ROS Version V4.8.01A ZXPON C220 Software, Version V2.8.01A.21", "zte" },
		{ VW_SIG_BANNER, "ssh-version", "SSH-2.0-HUAWEI-1.5", "huawei" },
		{ VW_SIG_BANNER, "ssh-version", "SSH-2.0-ZTE_SSH.2.0", "zte" },
		{ VW_SIG_BANNER, "server", "App-webs/", "hikvision" },
		{ VW_SIG_BANNER, "server", "Dahua Rtsp Server", "dahua" },
		{ VW_SIG_BANNER, "www-authenticate-realm", "cpe@zte.com", "zte" },
		{ VW_SIG_DHCP, "vendor-class", "HUAWEI:android:ELE", "huawei" },
		{ VW_SIG_SADP, "message", "ProbeMatch", "hikvision" },
		{ VW_SIG_DHIP, "method", "client.notifyDevInfo", "dahua" },
		{ VW_SIG_HUAWEI_L2, "flag", "Huawei Link Search", "huawei" },
		{ VW_SIG_SNMP, "sys-object-id", "1.3.6.1.4.1.3902.1082.1001.300.1", "zte" },
		{ VW_SIG_TR069, "oui", "00E0FC", "huawei" },
		{ VW_SIG_HYTERA, "magic", "ZZZZ", "hytera" },
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vw_fp_result r;
		char got[256];

		vw_fp_reset(&r, cases[i].sig);
		res_str(&r, cases[i].field, cases[i].val);
		matched(f->rs, &r, got, sizeof(got));
		if (strcmp(got, cases[i].want))
			fail_msg("case %zu (%s): got '%s', want '%s'", i, cases[i].val, got, cases[i].want);
	}
}

/* Every entry: a look-alike or generic value that must not name a
 * restricted vendor (policy/fingerprints/CATALOGUE.md section 12). */
static void test_false_positives(void **state)
{
	static const struct { enum vw_fp_signal sig; const char *field, *val, *want; } cases[] = {
		/* H3C Comware, whatever its chassis MAC */
		{ VW_SIG_LLDP, "system-description",
		  "H3C Comware Platform Software, Software Version 7.1.070, Release 6616\r\nH3C S6520X-30QC-EI\r\nCopyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.", "!h3c" },
		{ VW_SIG_LLDP, "system-description",
		  "Huawei-3Com Versatile Routing Platform Software\r\nVRP (tm) Software, Version 3.10, Release 0028P02\r\nCopyright (c) 2004-2008 Hangzhou H3C Tech. Co., Ltd.", "!h3c" },
		{ VW_SIG_LLDP, "system-name", "H3C", "!h3c" },
		{ VW_SIG_LLDP, "med-manufacturer", "H3C", "!h3c" },
		{ VW_SIG_SNMP, "sys-object-id", "1.3.6.1.4.1.25506.1.1234", "!h3c" },
		/* Honor */
		{ VW_SIG_DHCP, "vendor-class", "HONOR:android:NTH-AN00", "!honor" },
		{ VW_SIG_DHCP, "hostname", "HONOR_70-9e8b07efe8a355", "!honor" },
		{ VW_SIG_DHCP, "hostname", "honor-magic5", "" },
		/* Uniview */
		{ VW_SIG_SNMP, "sys-object-id", "1.3.6.1.4.1.39747.1.2", "!uniview" },
		{ VW_SIG_WSD, "scope", "onvif://www.onvif.org/name/UNV", "" },
		{ VW_SIG_WSD, "scope", "onvif://www.onvif.org/hardware/IPC322LR3-VSPF28-D", "" },
		{ VW_SIG_BANNER, "server", "Uniview", "" },
		/* generic stacks */
		{ VW_SIG_BANNER, "server", "GoAhead-Webs", "" },
		{ VW_SIG_BANNER, "server", "Webs", "" },
		{ VW_SIG_BANNER, "server", "GoAhead-Webs/2.5.0 PeerSec-MatrixSSL/3.4.2-OPEN", "" },
		{ VW_SIG_BANNER, "telnet-banner", "BusyBox v1.20.2 (2014-09-04 10:16:39 CST) built-in shell (ash)\nEnter 'help' for a list of built-in commands.\n\nlogin:", "" },
		{ VW_SIG_BANNER, "ssh-version", "SSH-2.0-dropbear_2019.78", "" },
		{ VW_SIG_SSDP, "server", "Linux/3.10 UPnP/1.0 miniupnpd/2.1", "" },
		{ VW_SIG_DHCP, "vendor-class", "udhcp 1.20.2", "" },
		/* near misses of enterprise subtrees */
		{ VW_SIG_SNMP, "sys-object-id", "1.3.6.1.4.1.20110.1", "" },
		{ VW_SIG_SNMP, "sys-object-id", "1.3.6.1.4.1.39165", "hikvision" },
		{ VW_SIG_SNMP, "sys-object-id", "1.3.6.1.4.1.391650.1", "" },
	};
	struct fx *f = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vw_fp_result r;
		char got[256];

		vw_fp_reset(&r, cases[i].sig);
		res_str(&r, cases[i].field, cases[i].val);
		matched(f->rs, &r, got, sizeof(got));
		if (strcmp(got, cases[i].want))
			fail_msg("case %zu (%s): got '%s', want '%s'", i, cases[i].val, got, cases[i].want);
	}
}

/* A squatted PEN matches, but only at low confidence: never alone. */
static void test_squatted_pen_low(void **state)
{
	struct fx *f = *state;
	struct vw_fp_match m[8];
	struct vw_fp_result r;
	size_t n;

	vw_fp_reset(&r, VW_SIG_SNMP);
	res_str(&r, "sys-object-id", "1.3.6.1.4.1.50001.1.2");
	n = vw_fp_rules_match(f->rs, &r, m, 8);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].rule->level, VW_FP_LOW);
	vw_fp_reset(&r, VW_SIG_SNMP);
	res_str(&r, "sys-object-id", "1.3.6.1.4.1.1004849.3.2.1");
	n = vw_fp_rules_match(f->rs, &r, m, 8);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].rule->level, VW_FP_LOW);
	/* The generic "enterprise" field (any OID in a response, e.g. what a
	 * manager asked about) is not evidence at all. */
	vw_fp_reset(&r, VW_SIG_SNMP);
	assert_int_equal(vw_fp_add_num(&r, "enterprise", 2011), 0);
	assert_int_equal(vw_fp_rules_match(f->rs, &r, m, 8), 0);
	/* Numeric engine-ID PENs come from the policy's EnterpriseNumber=. */
	vw_fp_reset(&r, VW_SIG_SNMP);
	assert_int_equal(vw_fp_add_num(&r, "engine-id-enterprise", 34774), 0);
	assert_int_equal(vw_fp_rules_match(f->rs, &r, m, 8), 1);
	assert_string_equal(m[0].rule->id, "huawei-snmp-engine");
}

/* Huawei-3Com era subtree 2011.10 is medium, Huawei's 2011.2 high. */
static void test_enterprise_subtrees(void **state)
{
	struct fx *f = *state;
	struct vw_fp_match m[8];
	struct vw_fp_result r;
	size_t n;
	enum vw_fp_level best = VW_FP_LOW;

	vw_fp_reset(&r, VW_SIG_SNMP);
	res_str(&r, "sys-object-id", ".1.3.6.1.4.1.2011.10.1.2");
	n = vw_fp_rules_match(f->rs, &r, m, 8);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].rule->level, VW_FP_MEDIUM);
	vw_fp_reset(&r, VW_SIG_SNMP);
	res_str(&r, "sys-object-id", "1.3.6.1.4.1.2011.2.23.96");
	n = vw_fp_rules_match(f->rs, &r, m, 8);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++)
		if (m[i].rule->level > best)
			best = m[i].rule->level;
	assert_int_equal(best, VW_FP_HIGH);
}

struct dis {
	const struct vw_fp_rules *rs;
	int results, restricted;
};

static int dis_cb(void *ctx, const struct vw_fp_frame *f, const struct vw_fp_result *r)
{
	struct dis *d = ctx;

	(void)f;
	d->results++;
	d->restricted += any_restricted(d->rs, r);
	return 0;
}

static void dissect(const struct vw_fp_rules *rs, const uint8_t *frame, size_t n, struct dis *d)
{
	struct vw_fp_frame f;

	*d = (struct dis){ .rs = rs };
	assert_int_equal(vw_fp_frame_parse(frame, n, &f), 0);
	assert_true(vw_fp_dissect(&f, dis_cb, d) >= 0);
}

static const uint8_t mac_a[6] = { 0x00, 0x1b, 0x21, 0x01, 0x02, 0x03 };
static const uint8_t mac_b[6] = { 0x3c, 0x97, 0x0e, 0x04, 0x05, 0x06 };
static const uint8_t ip_a[4] = { 192, 0, 2, 10 }, ip_b[4] = { 192, 0, 2, 20 };

/* Vendor words in an HTTP body are not headers. */
static void test_http_body_words(void **state)
{
	static const char resp[] = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\n\r\n"
				   "<html><title>Hikvision-Webs App-webs/ Dahua Rtsp Server HUAWEI ZTE</title>"
				   "Server: Hikvision-Webs\r\n</html>";
	struct fx *f = *state;
	struct ff fr;
	struct dis d;

	ff_ipv4(&fr, mac_b, mac_a, ip_a, ip_b, 6, 80, 51000, resp, sizeof(resp) - 1);
	dissect(f->rs, fr.b, fr.n, &d);
	assert_int_equal(d.results, 1);      /* the banner parser ran ... */
	assert_int_equal(d.restricted, 0);   /* ... and nothing matched */
}

/* A client may write anything in a request to a server port. */
static void test_client_request(void **state)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\nServer: Hikvision-Webs\r\nUser-Agent: Dahua Rtsp Server\r\n\r\n";
	static const char ssh[] = "SSH-2.0-HUAWEI-1.5\r\n";
	struct fx *f = *state;
	struct ff fr;
	struct dis d;

	ff_ipv4(&fr, mac_b, mac_a, ip_a, ip_b, 6, 51000, 80, req, sizeof(req) - 1);
	dissect(f->rs, fr.b, fr.n, &d);
	assert_int_equal(d.results, 0);
	/* An SSH client's identification string goes to port 22. */
	ff_ipv4(&fr, mac_b, mac_a, ip_a, ip_b, 6, 51001, 22, ssh, sizeof(ssh) - 1);
	dissect(f->rs, fr.b, fr.n, &d);
	assert_int_equal(d.results, 0);
	/* The same string from port 22 is the server's. */
	ff_ipv4(&fr, mac_b, mac_a, ip_a, ip_b, 6, 22, 51001, ssh, sizeof(ssh) - 1);
	dissect(f->rs, fr.b, fr.n, &d);
	assert_int_equal(d.results, 1);
	assert_int_equal(d.restricted, 1);
}

/* ---- bad rule files ---- */

static char *load_bad(const char *content, struct vw_diag *d, int *rc)
{
	struct vw_policy pol = { 0 };
	struct vw_fp_rules *rs = (void *)1;
	char *dir = tmpdir_new(), *pdir = NULL, *path;

	assert_true(asprintf(&pdir, "%s/policy", src_dir()) > 0);
	assert_int_equal(vw_policy_load(&pol, pdir, d), 0);
	path = write_file(dir, "bad.conf", content);
	*rc = vw_fp_rules_load(&rs, dir, &pol, d);
	assert_null(rs);
	vw_policy_free(&pol);
	unlink(path);
	rmdir(dir);
	free(dir);
	free(pdir);
	return path;
}

static bool has_msg(const struct vw_diag *d, const char *path, int line, const char *needle)
{
	char pre[512];

	snprintf(pre, sizeof(pre), "%s:%d: ", path, line);
	for (size_t i = 0; i < d->n; i++)
		if (!strncmp(d->msgs[i], pre, strlen(pre)) && strstr(d->msgs[i], needle))
			return true;
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "  diag: %s\n", d->msgs[i]);
	return false;
}

static void test_bad_files(void **state)
{
	static const char content[] =
		"# line 1\n"
		"[Rule a]\n"                                 /* 2 */
		"Protocol=lldp\n"
		"Field=system-description\n"
		"Match=regex\n"
		"Pattern=Huawei (Versatile\n"                /* 6: bad regex */
		"Vendor=huawei\n"
		"Confidence=high\n"
		"Source=test\n"
		"Colour=blue\n"                              /* 10: unknown key */
		"[Rule b]\n"                                 /* 11 */
		"Protocol=lldp\n"
		"Field=system-name\n"
		"Match=exact\n"
		"Pattern=X\n"
		"Vendor=acme\n"                              /* 16: unknown vendor */
		"Confidence=certain\n"                       /* 17: bad level */
		"Source=test\n"
		"[Rule c]\n"                                 /* 19 */
		"Protocol=carrier-pigeon\n"                  /* 20: unknown signal */
		"Field=x\n"
		"Match=fuzzy\n"                              /* 22: unknown match */
		"Pattern=x\n"
		"Vendor=!nosuch\n"                           /* 24: unknown class */
		"Confidence=low\n"
		"Source=test\n"
		"[Rule d]\n"                                 /* 27: no Pattern */
		"Protocol=dhcp\n"
		"Field=hostname\n"
		"Match=prefix\n"
		"Vendor=zte\n"
		"Confidence=low\n"
		"Source=test\n"
		"[Widget x]\n"                               /* 34: unknown section */
		"[Class evil]\n"                             /* 35 */
		"Name=Evil\n"
		"Restricted=yes\n"                           /* 37 */
		"[Rule e]\n"                                 /* 38 */
		"Protocol=snmp\n"
		"Field=sys-object-id\n"
		"Match=enterprise\n"
		"Pattern=hikvision\n"                        /* 42 */
		"Vendor=hikvision\n"
		"Confidence=high\n"
		"Source=test\n";
	struct vw_diag d = { 0 };
	char *path;
	int rc;

	(void)state;
	path = load_bad(content, &d, &rc);
	assert_int_equal(rc, -EINVAL);
	assert_true(has_msg(&d, path, 6, "bad regular expression"));
	assert_true(has_msg(&d, path, 10, "unknown key 'Colour'"));
	assert_true(has_msg(&d, path, 16, "unknown vendor"));
	assert_true(has_msg(&d, path, 17, "Confidence=certain"));
	assert_true(has_msg(&d, path, 20, "unknown signal"));
	assert_true(has_msg(&d, path, 22, "Match=fuzzy"));
	assert_true(has_msg(&d, path, 24, "no [Class nosuch]"));
	assert_true(has_msg(&d, path, 27, "lacks Pattern="));
	assert_true(has_msg(&d, path, 34, "unknown section"));
	assert_true(has_msg(&d, path, 37, "Restricted=no"));
	assert_true(has_msg(&d, path, 42, "enterprise rule"));
	vw_diag_free(&d);
	free(path);
}

/* ---- the rule engine against POSIX ---- */

/* The banner corpus of the project's shared data, when this checkout has
 * it beside it (CI and the developers' machines do). */
static FILE *open_banners(void)
{
	const char *env = getenv("VW_BANNERS_TSV");
	char *p = NULL;
	FILE *f;

	if (env && *env)
		return fopen(env, "r");
	if (asprintf(&p, "%s/../shared/data/banners.tsv", src_dir()) < 0)
		return NULL;
	f = fopen(p, "r");
	free(p);
	return f ? f : fopen("/work/shared/data/banners.tsv", "r");
}

struct corpus {
	char **s;
	size_t *len;
	size_t n, cap;
};

static void corpus_add(struct corpus *c, const char *s, size_t len)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->s = realloc(c->s, c->cap * sizeof(*c->s));
		c->len = realloc(c->len, c->cap * sizeof(*c->len));
		assert_non_null(c->s);
		assert_non_null(c->len);
	}
	c->s[c->n] = malloc(len + 1);
	assert_non_null(c->s[c->n]);
	memcpy(c->s[c->n], s, len);
	c->s[c->n][len] = '\0';
	c->len[c->n++] = len;
}

/* Each string as given, and the variants where POSIX and PCRE would part
 * if the rewrite were wrong: a trailing newline ($), a NUL inside (.),
 * a leading newline (^), a vertical tab ([[:space:]]). */
static void corpus_add_variants(struct corpus *c, const char *s)
{
	size_t n = strlen(s);
	char *b = malloc(n + 3);

	assert_non_null(b);
	corpus_add(c, s, n);
	memcpy(b, s, n);
	b[n] = '\n';
	corpus_add(c, b, n + 1);
	b[0] = '\n';
	memcpy(b + 1, s, n);
	corpus_add(c, b, n + 1);
	memcpy(b, s, n);
	if (n > 2) {
		b[n / 2] = '\0';
		corpus_add(c, b, n);
		b[n / 2] = '\v';
		corpus_add(c, b, n);
	}
	free(b);
}

static void build_corpus(struct corpus *c, bool *have_tsv)
{
	static const char *const mine[] = {
		"HUAWEI", "Quidway", "HUAWEI ", "ProbeMatch", "Hello", "inquiry-response", "00E0FC", "00e0fc",
		"SSH-2.0--", "SSH-2.0-- \t ", "SSH-2.0-HUAWEI-1.5", "SSH-1.99-VRP-3.3", "SSH-2.0-ZTE_SSH.2.0",
		"1.3.6.1.4.1.2011.2", ".1.3.6.1.4.1.2011.5.25", "1.3.6.1.4.1.2011.25", "1,148,2", "148", "1,1480",
		"F660 Login:", "  F601A   Login:", "ZTE", "ZTE-", "ZTEX", "ZTE Corporation",
		"192.0.0.64 login:", "x 192.0.0.64 login:", "x192.0.0.64 login:", "hikvision", "HIKVISION",
		"DS-2CD2143G0-I", "iDS-7204", "onvif://www.onvif.org/name/Dahua", "onvif://www.onvif.org/name/HIKVISION",
		"onvif://www.onvif.org/hardware/IPC-HFW2431S", "onvif://www.onvif.org/hardware/DS-2CD2143",
		"VRP (R) software, Version 8.180 (CE6870EI V200R005C10SPC800)",
		"VRP (RM) Software, Version 5.1 (x) V100R001", "Huawei Versatile Routing Platform Software",
		"HUAWEI_P30-9e8b07efe8a355", "HUAWEI_P30-9e8b0", "HUAWEI_nova-5T-abcdef12", "MA5600 Server",
		"MA5608T Server", "HuaweiHomeGateway", "EchoLife HG8245", "New H3C Technologies Co., Ltd.",
		"Welcome to ZXAN product C300 of ZTE Corporation", "ZXHN F660", "Mini web server 1.0 ZTE corp 2005.",
		"ZTE/1", "MF60/1.0", "cpe@zte.com", "Copyright (C) 2000-2019 Huawei Technologies Co., Ltd.",
		"120 The user queue is full, please try again later.", "", "x",
	};
	FILE *f = open_banners();
	char line[8192];

	for (size_t i = 0; i < sizeof(mine) / sizeof(mine[0]); i++)
		corpus_add_variants(c, mine[i]);
	*have_tsv = f != NULL;
	while (f && fgets(line, sizeof(line), f)) {
		char *v = line;

		/* group, lookalike, vendor, protocol, banner, ... */
		for (int k = 0; k < 4 && v; k++)
			if ((v = strchr(v, '\t')))
				v++;
		if (!v)
			continue;
		v[strcspn(v, "\t\n")] = '\0';
		corpus_add_variants(c, v);
	}
	if (f)
		fclose(f);
}

static bool engine_matches(const struct vw_fp_rules *rs, const struct vw_fp_rule *ru, const char *s, size_t n)
{
	struct vw_fp_result r;
	struct vw_fp_match m[32];
	size_t k;

	vw_fp_reset(&r, ru->signal);
	assert_int_equal(vw_fp_add_copy(&r, ru->field, s, n), 0);
	k = vw_fp_rules_match(rs, &r, m, 32);
	for (size_t i = 0; i < k; i++)
		if (m[i].rule == ru)
			return true;
	return false;
}

/* Every shipped regex rule matches exactly the strings POSIX regexec
 * matched (the engine before Hyperscan), on the corpus and its variants. */
static void test_regex_rules_match_as_posix(void **state)
{
	struct fx *f = *state;
	struct corpus c = { 0 };
	size_t n_regex = 0, compared = 0, positive = 0, wrong = 0;
	bool have_tsv;

	build_corpus(&c, &have_tsv);
	for (size_t i = 0; i < f->rs->n_rules; i++) {
		const struct vw_fp_rule *ru = &f->rs->rules[i];

		if (ru->match != VW_FP_M_REGEX)
			continue;
		assert_true(ru->have_re);
		n_regex++;
		for (size_t j = 0; j < c.n; j++) {
			regmatch_t pm = { .rm_so = 0, .rm_eo = (regoff_t)c.len[j] };
			bool want = regexec(&ru->re, c.s[j], 1, &pm, REG_STARTEND) == 0;
			bool got = engine_matches(f->rs, ru, c.s[j], c.len[j]);

			compared++;
			positive += want;
			if (want != got && wrong++ < 10)
				fprintf(stderr, "  rule %s /%s/ on '%s' (%zu bytes): POSIX %d, engine %d\n",
					ru->id, ru->pattern, c.s[j], c.len[j], want, got);
		}
	}
	fprintf(stderr, "  %zu regex rules x %zu strings (%s): %zu POSIX matches, %zu differences\n",
		n_regex, c.n, have_tsv ? "with banners.tsv" : "banners.tsv not found", positive, wrong);
	assert_true(n_regex >= 40);
	assert_true(positive >= n_regex);
	assert_int_equal(wrong, 0);
	for (size_t j = 0; j < c.n; j++)
		free(c.s[j]);
	free(c.s);
	free(c.len);
	(void)compared;
}

/* The rule engine on a rule set of its own: every kind on one field. */
static struct vw_fp_rules *load_good(const char *content, struct vw_policy *pol)
{
	struct vw_diag d = { 0 };
	struct vw_fp_rules *rs = NULL;
	char *dir = tmpdir_new(), *pdir = NULL, *path;

	assert_true(asprintf(&pdir, "%s/policy", src_dir()) > 0);
	assert_int_equal(vw_policy_load(pol, pdir, &d), 0);
	path = write_file(dir, "t.conf", content);
	if (vw_fp_rules_load(&rs, dir, pol, &d) < 0)
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "  diag: %s\n", d.msgs[i]);
	assert_non_null(rs);
	vw_diag_free(&d);
	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
	free(pdir);
	return rs;
}

#define RULE(id, match, pat) \
	"[Rule " id "]\nProtocol=banner\nField=server\nMatch=" match "\nPattern=" pat \
	"\nVendor=zte\nConfidence=low\nSource=t\n"

/* The ids that matched v, in the order the engine reports them. */
static void ids_for(const struct vw_fp_rules *rs, const char *v, size_t n, char *out, size_t cap)
{
	struct vw_fp_result r;
	struct vw_fp_match m[32];
	size_t k;

	vw_fp_reset(&r, VW_SIG_BANNER);
	assert_int_equal(vw_fp_add_copy(&r, "server", v, n), 0);
	k = vw_fp_rules_match(rs, &r, m, 32);
	out[0] = '\0';
	for (size_t i = 0; i < k; i++) {
		strncat(out, m[i].rule->id, cap - strlen(out) - 2);
		strcat(out, " ");
	}
}

static void test_multi_pattern(void **state)
{
	static const char content[] =
		RULE("z-regex-end", "regex", "web$")
		RULE("a-exact", "exact", "ZTE web")
		RULE("m-prefix", "prefix", "ZTE")
		RULE("b-substr", "substring", "E w")
		RULE("y-icase", "icase-substring", "zte WEB")
		RULE("c-regex-dot", "regex", "^ZTE.web")
		RULE("d-regex-class", "regex", "^[[:upper:]]+[[:space:]]w[^z]b")
		RULE("e-regex-brk", "regex", "[\\]x]");
	struct vw_policy pol = { 0 };
	struct vw_fp_rules *rs = load_good(content, &pol);
	char got[256];

	(void)state;
	/* Every rule that matches, in file order (not alphabetical, not by
	 * kind): evidence order follows the rule files. */
	ids_for(rs, "ZTE web", 7, got, sizeof(got));
	assert_string_equal(got, "z-regex-end a-exact m-prefix b-substr y-icase c-regex-dot d-regex-class ");
	/* Case: only icase-substring ignores it. */
	ids_for(rs, "zte WEB", 7, got, sizeof(got));
	assert_string_equal(got, "y-icase ");
	/* Anchors: $ is the end of the value, not before a final newline;
	 * exact is the whole value. */
	ids_for(rs, "ZTE web\n", 8, got, sizeof(got));
	assert_string_equal(got, "m-prefix b-substr y-icase c-regex-dot d-regex-class ");
	/* . is any byte but NUL (POSIX), a newline included; [[:space:]]
	 * takes the newline too. */
	ids_for(rs, "ZTE\nweb", 7, got, sizeof(got));
	assert_string_equal(got, "z-regex-end m-prefix c-regex-dot d-regex-class ");
	ids_for(rs, "ZTE\0web", 7, got, sizeof(got));
	assert_string_equal(got, "z-regex-end m-prefix ");
	/* A backslash inside a POSIX bracket is a literal, and the ']' after
	 * it closes the bracket: [\]x] is "\x]". */
	ids_for(rs, "a\\x]", 4, got, sizeof(got));
	assert_string_equal(got, "e-regex-brk ");
	ids_for(rs, "a]x", 3, got, sizeof(got));
	assert_string_equal(got, "");
	ids_for(rs, "nothing", 7, got, sizeof(got));
	assert_string_equal(got, "");
	vw_fp_rules_free(rs);
	vw_policy_free(&pol);
}

/* A value seen again is answered from the group's memo: the same rules,
 * in the same order, whether the memo holds it, lost it to other values
 * (64 fillers share its 32 slots), or never keeps it (matched by more
 * rules than a slot holds, longer than a slot). */
static void test_repeats_and_memo(void **state)
{
	static const char content[] =
		RULE("z-regex-end", "regex", "web$")
		RULE("a-exact", "exact", "ZTE web")
		RULE("m-prefix", "prefix", "ZTE")
		RULE("b-substr", "substring", "E w")
		RULE("y-icase", "icase-substring", "zte WEB")
		RULE("c-regex-dot", "regex", "^ZTE.web");
	static const struct { const char *v; size_t n; const char *want; } cases[] = {
		{ "ZTE web", 7, "z-regex-end a-exact m-prefix b-substr y-icase c-regex-dot " },
		{ "zte WEB", 7, "y-icase " },
		{ "ZTE\0web", 7, "z-regex-end m-prefix " },
		{ "ZTE web\n", 8, "m-prefix b-substr y-icase c-regex-dot " },
		{ "", 0, "" },
		{ "nothing", 7, "" },
	};
	struct vw_policy pol = { 0 };
	struct vw_fp_rules *rs = load_good(content, &pol);
	char got[256], fill[32], *big = malloc(501);

	(void)state;
	assert_non_null(big);
	memset(big, 'x', 500);
	memcpy(big, "ZTE", 3);
	memcpy(big + 497, "web", 3);
	for (int round = 0; round < 4; round++) {
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			ids_for(rs, cases[i].v, cases[i].n, got, sizeof(got));
			assert_string_equal(got, cases[i].want);
		}
		ids_for(rs, big, 500, got, sizeof(got));
		assert_string_equal(got, "z-regex-end m-prefix ");
		for (int k = 0; round & 1 && k < 64; k++) {
			int n = snprintf(fill, sizeof(fill), "ZTE%d web", k);

			ids_for(rs, fill, (size_t)n, got, sizeof(got));
			assert_string_equal(got, "z-regex-end m-prefix ");
		}
	}
	free(big);
	vw_fp_rules_free(rs);
	vw_policy_free(&pol);
}

/* Patterns POSIX accepts but PCRE would read differently are refused at
 * load, at the Pattern= line. */
static void test_regex_refused(void **state)
{
	static const char content[] =
		RULE("a", "regex", "\\bHuawei")            /* Pattern= at line 5 */
		RULE("b", "regex", "ZX*+")                  /* 13 */
		RULE("c", "regex", "[[.a.]]")               /* 21 */
		RULE("d", "regex", "(x)\\1");               /* 29 */
	struct vw_diag d = { 0 };
	char *path;
	int rc;

	(void)state;
	path = load_bad(content, &d, &rc);
	assert_int_equal(rc, -EINVAL);
	assert_true(has_msg(&d, path, 5, "GNU extension"));
	assert_true(has_msg(&d, path, 13, "right after another repetition"));
	assert_true(has_msg(&d, path, 21, "collating element"));
	assert_true(has_msg(&d, path, 29, "back-reference"));
	vw_diag_free(&d);
	free(path);
}

/* The compiled databases kept between loads: a second load reads them,
 * a damaged file is compiled again, and the results never differ. */
static void test_cache(void **state)
{
	struct vw_policy pol = { 0 };
	struct vw_diag d = { 0 };
	struct vw_fp_rules *rs[3] = { 0 };
	char *pdir = NULL, *rdir = NULL, *cache = tmpdir_new(), *victim = NULL;
	const char *v = "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.180 (CE6870EI V200R005C10SPC800)";
	char want[256], got[256];
	struct dirent *de;
	size_t files = 0;
	DIR *dir;

	(void)state;
	assert_true(asprintf(&pdir, "%s/policy", src_dir()) > 0);
	assert_true(asprintf(&rdir, "%s/policy/fingerprints", src_dir()) > 0);
	assert_int_equal(vw_policy_load(&pol, pdir, &d), 0);
	for (int k = 0; k < 3; k++) {
		struct vw_fp_result r;

		assert_int_equal(vw_fp_rules_load_cached(&rs[k], rdir, &pol, cache, &d), 0);
		vw_fp_reset(&r, VW_SIG_LLDP);
		res_str(&r, "system-description", v);
		matched(rs[k], &r, k ? got : want, sizeof(got));
		if (k)
			assert_string_equal(got, want);
		if (k == 1) {
			/* Damage every cached file but one: they must be
			 * recompiled, not trusted. */
			dir = opendir(cache);
			assert_non_null(dir);
			while ((de = readdir(dir))) {
				char *p;

				if (de->d_name[0] == '.')
					continue;
				files++;
				assert_true(asprintf(&p, "%s/%s", cache, de->d_name) > 0);
				if (!victim)
					victim = p;
				else
					free(write_file(cache, de->d_name, "VWFPHS1\0garbage"));
				if (p != victim)
					free(p);
			}
			closedir(dir);
		}
	}
	assert_string_equal(want, "huawei");
	assert_true(files >= 10);
	for (int k = 0; k < 3; k++)
		vw_fp_rules_free(rs[k]);
	dir = opendir(cache);
	while (dir && (de = readdir(dir))) {
		char *p;

		if (de->d_name[0] == '.' && (!de->d_name[1] || de->d_name[1] == '.'))
			continue;
		assert_true(asprintf(&p, "%s/%s", cache, de->d_name) > 0);
		unlink(p);
		free(p);
	}
	if (dir)
		closedir(dir);
	rmdir(cache);
	free(cache);
	free(victim);
	free(pdir);
	free(rdir);
	vw_policy_free(&pol);
	vw_diag_free(&d);
}

/* Files named like cache entries in dir; *oldest gets the earliest mtime. */
static size_t cache_files(const char *dir, time_t *oldest)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	size_t n = 0;

	assert_non_null(d);
	*oldest = 0;
	while ((de = readdir(d))) {
		struct stat st;

		if (strncmp(de->d_name, "fp-", 3) || fstatat(dirfd(d), de->d_name, &st, 0) < 0)
			continue;
		if (!n || st.st_mtime < *oldest)
			*oldest = st.st_mtime;
		n++;
	}
	closedir(d);
	return n;
}

static void set_mtime(const char *dir, const char *name, time_t t)
{
	struct timespec ts[2] = { { .tv_sec = t }, { .tv_sec = t } };
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	assert_true(fd >= 0);
	assert_int_equal(utimensat(fd, name, ts, 0), 0);
	close(fd);
}

/* check-config reads the daemon's databases and never writes: not into an
 * empty cache, not a use time. A load that compiles prunes the cache to
 * its 100 most recently used files, keeping the ones it uses. */
static void test_cache_readonly_and_prune(void **state)
{
	struct vw_policy pol = { 0 };
	struct vw_diag d = { 0 };
	struct vw_fp_rules *rs = NULL;
	char *pdir = NULL, *rdir = NULL, *cache = tmpdir_new(), name[64];
	struct dirent *de;
	size_t n, own;
	time_t oldest;
	DIR *dir;

	(void)state;
	assert_true(asprintf(&pdir, "%s/policy", src_dir()) > 0);
	assert_true(asprintf(&rdir, "%s/policy/fingerprints", src_dir()) > 0);
	assert_int_equal(vw_policy_load(&pol, pdir, &d), 0);
	assert_int_equal(vw_fp_rules_load_cache(&rs, rdir, &pol, cache, VW_FP_CACHE_READONLY, &d), 0);
	vw_fp_rules_free(rs);
	assert_int_equal(cache_files(cache, &oldest), 0);
	assert_int_equal(vw_fp_rules_load_cache(&rs, rdir, &pol, cache, 0, &d), 0);
	vw_fp_rules_free(rs);
	own = cache_files(cache, &oldest);
	assert_true(own >= 10);
	/* Age them; a read-only load leaves the times alone. */
	dir = opendir(cache);
	while ((de = readdir(dir)))
		if (!strncmp(de->d_name, "fp-", 3))
			set_mtime(cache, de->d_name, 1000000000);
	closedir(dir);
	assert_int_equal(vw_fp_rules_load_cache(&rs, rdir, &pol, cache, VW_FP_CACHE_READONLY, &d), 0);
	vw_fp_rules_free(rs);
	assert_int_equal(cache_files(cache, &oldest), own);
	assert_true(oldest == 1000000000);
	/* 150 entries of rule sets long gone, older still; then a load that
	 * must compile one group (its file removed) prunes. */
	for (int i = 0; i < 150; i++) {
		snprintf(name, sizeof(name), "fp-%016x.hsdb", i);
		free(write_file(cache, name, "VWFPHS1\0old"));
		set_mtime(cache, name, 900000000 + i);
	}
	dir = opendir(cache);
	while ((de = readdir(dir))) {
		if (!strncmp(de->d_name, "fp-", 3) && strlen(de->d_name) == 24 &&
		    strncmp(de->d_name, "fp-00000000", 11)) {
			assert_int_equal(unlinkat(dirfd(dir), de->d_name, 0), 0);
			break;
		}
	}
	closedir(dir);
	assert_int_equal(vw_fp_rules_load_cache(&rs, rdir, &pol, cache, 0, &d), 0);
	vw_fp_rules_free(rs);
	n = cache_files(cache, &oldest);
	assert_int_equal(n, 100);
	/* What went were the oldest strangers: the set's own files were used
	 * just now, and the strangers left are the newest of them. */
	assert_true(oldest >= 900000000 + 150 - (time_t)(100 - own));
	dir = opendir(cache);
	while ((de = readdir(dir))) {
		if (de->d_name[0] != '.')
			unlinkat(dirfd(dir), de->d_name, 0);
	}
	closedir(dir);
	rmdir(cache);
	free(cache);
	free(pdir);
	free(rdir);
	vw_policy_free(&pol);
	vw_diag_free(&d);
}

static void test_duplicate_and_class_name(void **state)
{
	static const char content[] =
		"[Class h3c2]\nName=x\nRestricted=no\n"
		"[Rule a]\nProtocol=lldp\nField=f\nMatch=exact\nPattern=x\nVendor=h3c2\nConfidence=low\nSource=t\n"
		"[Rule a]\nProtocol=lldp\nField=f\nMatch=exact\nPattern=x\nVendor=!h3c2\nConfidence=low\nSource=t\n";
	struct vw_diag d = { 0 };
	char *path;
	int rc;

	(void)state;
	path = load_bad(content, &d, &rc);
	assert_int_equal(rc, -EINVAL);
	assert_true(has_msg(&d, path, 9, "write Vendor=!h3c2"));
	assert_true(has_msg(&d, path, 12, "already defined"));
	vw_diag_free(&d);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_shipped_rules_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_positives, setup, teardown),
		cmocka_unit_test_setup_teardown(test_false_positives, setup, teardown),
		cmocka_unit_test_setup_teardown(test_squatted_pen_low, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enterprise_subtrees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_http_body_words, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_request, setup, teardown),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_duplicate_and_class_name),
		cmocka_unit_test_setup_teardown(test_regex_rules_match_as_posix, setup, teardown),
		cmocka_unit_test(test_multi_pattern),
		cmocka_unit_test(test_repeats_and_memo),
		cmocka_unit_test(test_cache_readonly_and_prune),
		cmocka_unit_test(test_regex_refused),
		cmocka_unit_test(test_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

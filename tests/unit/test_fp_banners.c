// SPDX-License-Identifier: GPL-2.0-only
/* The real identity strings of the shared banners.tsv (../shared/data beside the checkout, or /work/shared/data) against the shipped rules: every restricted string of a protocol vendorwall reads is caught for its own vendor, and no benign one (look-alikes included) matches a restricted vendor. Server greetings go through the banner parser as the payload a server sends; SNMP, DHCP, CDP, LLDP and mDNS strings are the field their parser extracts. Skips, saying so, when the file is absent. */
#include "fp_unit.h"
#include "policy.h"
#include "rules.h"

#include "shipped_rules.h"

static FILE *open_banners(char **where)
{
	const char *dirs[] = { NULL, "/work/shared/data" };
	char *p = NULL;

	assert_true(asprintf(&p, "%s/../shared/data", src_dir()) > 0);
	dirs[0] = p;
	for (size_t i = 0; i < 2; i++) {
		FILE *f;

		assert_true(asprintf(where, "%s/banners.tsv", dirs[i]) > 0);
		f = fopen(*where, "r");
		if (f) {
			free(p);
			return f;
		}
		free(*where);
		*where = NULL;
	}
	free(p);
	return NULL;
}

/* The file writes CR, LF, tab and backslash as \r \n \t \\. */
static size_t unescape(char *s)
{
	size_t o = 0;

	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '\\' && s[i + 1]) {
			char c = s[++i];

			s[o++] = c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = '\0';
	return o;
}

/* A server's first payload carrying the string, through the parser. */
static int greeting(struct vw_fp_result *r, uint16_t port, const char *head, const char *s,
		    const char *tail)
{
	static char buf[8192];   /* fields point into it until the next call */
	int n = snprintf(buf, sizeof(buf), "%s%s%s", head, s, tail);

	assert_true(n > 0 && (size_t)n < sizeof(buf));
	return vw_fp_parse_banner(port, (const uint8_t *)buf, (size_t)n, r) == 0 ? 1 : -1;
}

static int field(struct vw_fp_result *r, enum vw_fp_signal sig, const char *name, const char *s)
{
	vw_fp_reset(r, sig);
	assert_int_equal(vw_fp_add_copy(r, name, s, strlen(s)), 0);
	return 1;
}

/* Fills r as vendorwall would see the string: 1, or -1 when the parser
 * takes nothing from it, 0 when no parser reads that protocol. */
static int as_seen(struct vw_fp_result *r, const char *proto, char *s)
{
	if (!strcmp(proto, "ssh"))
		return greeting(r, 22, "SSH-2.0-", s, "\r\n");
	if (!strcmp(proto, "ssh-ident (client or server)"))
		return greeting(r, 22, "", s, "\r\n");
	if (!strcmp(proto, "telnet"))
		return greeting(r, 23, "", s, "");
	if (!strcmp(proto, "ftp"))
		return greeting(r, 21, "220 ", s, "\r\n");
	if (!strcmp(proto, "ftp-220"))
		return greeting(r, 21, strncmp(s, "220", 3) ? "220 " : "", s, "\r\n");
	if (!strcmp(proto, "http-server"))
		return greeting(r, 80, "HTTP/1.1 200 OK\r\nServer: ", s, "\r\n\r\n");
	if (!strcmp(proto, "rtsp-server"))
		return greeting(r, 554, "RTSP/1.0 200 OK\r\nCSeq: 1\r\nServer: ", s, "\r\n\r\n");
	if (!strcmp(proto, "http-www-authenticate"))
		return greeting(r, 80, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: ", s, "\r\n\r\n");
	if (!strcmp(proto, "snmp-sysdescr"))
		return field(r, VW_SIG_SNMP, "sys-descr", s);
	if (!strcmp(proto, "snmp-sysobjectid")) {
		/* "OID" or "OID sysDescr" (Recog's form) */
		char *sp = strchr(s, ' ');

		if (sp)
			*sp = '\0';
		field(r, VW_SIG_SNMP, "sys-object-id", s);
		if (sp && sp[1])
			assert_int_equal(vw_fp_add_copy(r, "sys-descr", sp + 1, strlen(sp + 1)), 0);
		return 1;
	}
	if (!strcmp(proto, "dhcp-opt60"))
		return field(r, VW_SIG_DHCP, "vendor-class", s);
	if (!strcmp(proto, "cdp-software"))
		return field(r, VW_SIG_CDP, "software-version", s);
	if (!strcmp(proto, "cdp-platform"))
		return field(r, VW_SIG_CDP, "platform", s);
	if (!strcmp(proto, "lldp-sysdescr"))
		return field(r, VW_SIG_LLDP, "system-description", s);
	if (!strcmp(proto, "mdns-device-info"))
		return field(r, VW_SIG_MDNS, "txt", s);
	return 0;   /* SIP, SMTP, HTML titles, X.509, MNDP, a walked OID: no parser */
}

/* The restricted vendor r matches best (a class never counts), or NULL. */
static const char *restricted_match(const struct vw_fp_rules *rs, const struct vw_fp_result *r,
				    const char *want)
{
	struct vw_fp_match m[32];
	size_t n = vw_fp_rules_match(rs, r, m, 32);
	const char *any = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct vw_fp_ident *id = &rs->idents[m[i].rule->ident];

		if (id->is_class)
			continue;
		if (want && !strcmp(id->id, want))
			return id->id;
		any = id->id;
	}
	return any;
}

struct tally {
	size_t restricted, caught, uncovered, benign, clean, wrong;
};

static void check_row(const struct fx *f, char **col, size_t lineno, struct tally *t)
{
	const char *group = col[0], *proto = col[3];
	bool restricted = strcmp(group, "benign") && strcmp(group, "uncertain");
	struct vw_fp_result *r = malloc(sizeof(*r));
	const char *got;
	int seen;

	assert_non_null(r);
	unescape(col[4]);
	seen = as_seen(r, proto, col[4]);
	if (!strcmp(group, "uncertain") || (seen == 0 && !restricted)) {
		free(r);
		return;
	}
	if (restricted) {
		t->restricted++;
		if (seen == 0) {
			t->uncovered++;
			fprintf(stderr, "  line %zu: %s %s: no parser reads %s (not counted)\n", lineno,
				group, col[4], proto);
		} else if ((got = seen > 0 ? restricted_match(f->rs, r, group) : NULL) &&
			   !strcmp(got, group)) {
			t->caught++;
		} else {
			t->wrong++;
			fprintf(stderr, "  line %zu: %s %s '%s' not caught (got %s)\n", lineno, group,
				proto, col[4], got ? got : "nothing");
		}
	} else {
		t->benign++;
		got = seen > 0 ? restricted_match(f->rs, r, NULL) : NULL;
		if (got) {
			t->wrong++;
			fprintf(stderr, "  line %zu: benign %s (%s) %s '%s' matched %s\n", lineno, col[2],
				col[1], proto, col[4], got);
		} else {
			t->clean++;
		}
	}
	free(r);
}

static void test_banners_tsv(void **state)
{
	struct fx *f = *state;
	struct tally t = { 0 };
	char *where = NULL, line[16384];
	size_t lineno = 0;
	FILE *in = open_banners(&where);

	if (!in) {
		fprintf(stderr, "  SKIP: banners.tsv not found (../shared/data beside the checkout, "
				"or /work/shared/data): rule test over real strings not run\n");
		skip();
	}
	while (fgets(line, sizeof(line), in)) {
		char *col[7] = { 0 }, *p = line;
		size_t k = 0;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (lineno == 1)
			continue;   /* header */
		while (k < 7 && p) {
			col[k++] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (k < 5) {
			fail_msg("%s:%zu: %zu columns, want 7", where, lineno, k);
		}
		check_row(f, col, lineno, &t);
	}
	fclose(in);
	fprintf(stderr, "  %s: %zu restricted strings read by a parser, %zu caught; %zu of no parsed "
			"protocol; %zu benign strings read, %zu clean; %zu wrong\n",
		where, t.restricted - t.uncovered, t.caught, t.uncovered, t.benign, t.clean, t.wrong);
	free(where);
	assert_true(t.restricted - t.uncovered >= 30);
	assert_true(t.benign >= 1000);
	assert_int_equal(t.wrong, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_banners_tsv, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

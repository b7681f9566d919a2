// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/fp/banner.c: catalogued SSH/Telnet/FTP/HTTP/RTSP greetings, generic stacks, requests that must not count, bodies that must not be read, and malformed input. */
#include "fp_unit.h"
#include "vw_mgmt.h"

/* fp_parse_fn adapters: the banner parser also takes the server port. */
#define PORT_ADAPTER(port) \
	static int banner_##port(const uint8_t *p, size_t n, struct vw_fp_result *r) \
	{ return vw_fp_parse_banner(port, p, n, r); }
PORT_ADAPTER(21)
PORT_ADAPTER(22)
PORT_ADAPTER(23)
PORT_ADAPTER(80)
PORT_ADAPTER(554)
PORT_ADAPTER(7547)
PORT_ADAPTER(8000)

struct sample {
	const char *name;       /* also the seed file name */
	fp_parse_fn fn;
	uint16_t port;
	const char *bytes;
	size_t len;             /* 0: strlen(bytes) */
};

#define S(n, port, str) { n, banner_##port, port, str, sizeof(str) - 1 }

static const char quidway_telnet[] =
	"\xff\xfb\x01\xff\xfb\x01\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18\xff\xfd\x1f"
	"\r\n"
	"******************************************************************************\r\n"
	"* Copyright (c) 2004-2013 Huawei Technologies Co., Ltd. All rights reserved. *\r\n"
	"******************************************************************************\r\n"
	"\r\n\r\nLogin authentication\r\n\r\n\r\nUsername:";

static const struct sample samples[] = {
	S("ssh-huawei", 22, "SSH-2.0-HUAWEI-1.5\r\n"),
	S("ssh-vrp", 22, "SSH-1.99-VRP-3.3\r\n"),
	S("ssh-dashdash", 22, "SSH-2.0--\r\n"),
	S("ssh-zte", 22, "SSH-2.0-ZTE_SSH.2.0\r\n"),
	S("ssh-dopra", 22, "SSH-2.0-DOPRA-1.5\r\n"),
	S("ssh-dropbear", 22, "SSH-2.0-dropbear_2019.78\r\n"),
	S("telnet-quidway", 23, quidway_telnet),
	S("telnet-vrp", 23, "\xff\xfb\x01\xff\xfb\x03\r\nWarning: Telnet is not a secure protocol, "
	  "and it is recommended to use Stelnet.\r\n\r\nLogin authentication\r\n\r\n\r\nUsername:"),
	S("telnet-zxhn", 23, "\xff\xfd\x01\xff\xfd\x1f\xff\xfb\x01\xff\xfb\x03ZXHN H108N V2.5\r\nLogin: "),
	S("telnet-hik", 23, "\xff\xfd\x18\xff\xfa\x18\x01\xff\xf0" "192.0.0.64 login: "),
	S("telnet-busybox", 23, "\xff\xfd\x01\xff\xfd\x1f\xff\xfb\x01\xff\xfb\x03\r\n(none) login: "),
	S("ftp-quidway-queue", 21, "120 The user queue is full, please try again later.\r\n"),
	S("ftp-hes-cpe", 21, "220 HES_CPE FTP server (GNU inetutils 1.4.1) ready.\r\n"),
	S("ftp-multiline", 21, "220-Welcome to the\r\n220-ZXHN F660 FTP service\r\n220 ready\r\n"),
	S("http-app-webs", 80, "HTTP/1.1 200 OK\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
	  "Server: App-webs/\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello"),
	S("http-hikvision-webs", 80, "HTTP/1.1 401 Unauthorized\r\nServer: Hikvision-Webs\r\n"
	  "WWW-Authenticate: Basic realm=\"hikvision\"\r\nContent-Length: 0\r\n\r\n"),
	S("rtsp-dahua", 554, "RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\n"
	  "WWW-Authenticate: Digest realm=\"device\", nonce=\"a1b2c3d4e5f6\", stale=\"FALSE\"\r\n"
	  "Server: Dahua Rtsp Server\r\n\r\n"),
	S("http-huawei-hg-7547", 7547, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n"
	  "WWW-Authenticate: Digest realm=\"HuaweiHomeGateway\", nonce=\"5f1c\", qop=\"auth\", "
	  "algorithm=\"MD5\"\r\n\r\n"),
	S("http-zte-realm-token", 80, "HTTP/1.0 401 Unauthorized\r\nserver: Mini web server 1.0 ZTE corp 2005.\r\n"
	  "www-authenticate: Basic realm=cpe@zte.com\r\n\r\n"),
	S("http-body-huawei", 80, "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\n\r\n"
	  "<html>Server: Huawei-BMC\r\nWWW-Authenticate: Basic realm=\"HuaweiHomeGateway\"\r\n</html>"),
	S("http-goahead", 80, "HTTP/1.0 302 Redirect\r\nServer: Webs\r\nLocation: http://192.0.0.64/index.asp\r\n\r\n"),
	S("http-goahead2", 8000, "HTTP/1.1 200 OK\r\nServer: GoAhead-Webs\r\n\r\n"),
};

static const struct sample *sample(const char *name)
{
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		if (!strcmp(samples[i].name, name))
			return &samples[i];
	fail_msg("no sample %s", name);
	return NULL;
}

static int parse_sample(const char *name, struct vw_fp_result *r)
{
	const struct sample *s = sample(name);

	return fp_parse(s->fn, (const uint8_t *)s->bytes, s->len, r);
}

static void test_seed_corpus(void **state)
{
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const struct sample *s = &samples[i];
		/* the fuzz target takes the port from byte 0: see fuzz_banner.c */
		static const uint16_t ports[] = VW_MGMT_BANNER_PORTS;
		uint8_t *seed = malloc(s->len + 1);

		for (size_t k = 0; k < sizeof(ports) / sizeof(ports[0]); k++)
			if (ports[k] == s->port)
				seed[0] = (uint8_t)k;
		memcpy(seed + 1, s->bytes, s->len);
		fp_seed("banner", s->name, seed, s->len + 1);
		free(seed);
	}
}

static void test_ssh(void **state)
{
	static const char *want[][2] = {
		{ "ssh-huawei", "SSH-2.0-HUAWEI-1.5" },
		{ "ssh-vrp", "SSH-1.99-VRP-3.3" },
		{ "ssh-dashdash", "SSH-2.0--" },
		{ "ssh-zte", "SSH-2.0-ZTE_SSH.2.0" },
		{ "ssh-dopra", "SSH-2.0-DOPRA-1.5" },
		{ "ssh-dropbear", "SSH-2.0-dropbear_2019.78" },
	};
	struct vw_fp_result r;

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(parse_sample(want[i][0], &r), 0);
		assert_int_equal(r.signal, VW_SIG_BANNER);
		assert_field(&r, "kind", "ssh");
		assert_field(&r, "ssh-version", want[i][1]);
	}
}

static void test_ssh_odd(void **state)
{
	static const char prelines[] = "Authorized access only\r\nSSH-2.0-HUAWEI-1.5\r\n";
	static const char nocrlf[] = "SSH-2.0-HUAWEI-1.5";
	char longline[400];
	struct vw_fp_result r;

	/* Lines before the version (RFC 4253 §4.2), server port only. */
	assert_int_equal(fp_parse(banner_22, (const uint8_t *)prelines, strlen(prelines), &r), 0);
	assert_field(&r, "ssh-version", "SSH-2.0-HUAWEI-1.5");
	assert_int_equal(fp_parse(banner_80, (const uint8_t *)prelines, strlen(prelines), &r), -ENOMSG);
	/* No CR LF: damaged, but what is there is kept. */
	assert_int_equal(fp_parse(banner_22, (const uint8_t *)nocrlf, strlen(nocrlf), &r), -EBADMSG);
	assert_field(&r, "ssh-version", "SSH-2.0-HUAWEI-1.5");
	/* LF only is accepted. */
	assert_int_equal(fp_parse(banner_22, (const uint8_t *)"SSH-2.0-VRP-3.3\n", 16, &r), 0);
	assert_field(&r, "ssh-version", "SSH-2.0-VRP-3.3");
	/* Over 255 characters: cut and flagged damaged. */
	memset(longline, 'A', sizeof(longline));
	memcpy(longline, "SSH-2.0-", 8);
	memcpy(longline + sizeof(longline) - 2, "\r\n", 2);
	assert_int_equal(fp_parse(banner_22, (const uint8_t *)longline, sizeof(longline), &r), -EBADMSG);
	assert_int_equal(vw_fp_get(&r, "ssh-version")->len, 255);
	/* No software version. */
	assert_int_equal(fp_parse(banner_22, (const uint8_t *)"SSH-2.0\r\n", 9, &r), -EBADMSG);
	/* Not SSH at all on 22. */
	assert_int_equal(fp_parse(banner_22, (const uint8_t *)"hello\r\n", 7, &r), -ENOMSG);
}

static void test_telnet(void **state)
{
	struct vw_fp_result r;
	const struct vw_fp_field *f;

	assert_int_equal(parse_sample("telnet-quidway", &r), 0);
	assert_field(&r, "kind", "telnet");
	f = vw_fp_get(&r, "telnet-banner");
	assert_non_null(f);
	assert_non_null(memmem(f->val, f->len, "Huawei Technologies Co., Ltd.", 29));
	assert_int_equal(f->val[0], '*');                 /* IAC and CR LF gone */
	assert_int_equal(f->val[f->len - 1], ':');
	assert_null(memchr(f->val, 0xFF, f->len));

	assert_int_equal(parse_sample("telnet-vrp", &r), 0);
	f = vw_fp_get(&r, "telnet-banner");
	assert_true(f->len > 20 && !memcmp(f->val, "Warning: Telnet is not a secure protocol", 40));

	assert_int_equal(parse_sample("telnet-zxhn", &r), 0);
	assert_field(&r, "telnet-banner", "ZXHN H108N V2.5\r\nLogin:");
	assert_int_equal(parse_sample("telnet-hik", &r), 0);
	assert_field(&r, "telnet-banner", "192.0.0.64 login:");
	assert_int_equal(parse_sample("telnet-busybox", &r), 0);
	assert_field(&r, "telnet-banner", "(none) login:");
}

static void test_telnet_malformed(void **state)
{
	static const uint8_t only_iac[] = { 0xFF, 0xFB, 0x01, 0xFF, 0xFD, 0x18 };
	static const uint8_t sb_open[] = { 'h', 'i', 0xFF, 0xFA, 0x18, 0x01, 'x', 'y' };
	static const uint8_t iac_cut[] = { 'h', 'i', 0xFF };
	static const uint8_t will_cut[] = { 'h', 'i', 0xFF, 0xFB };
	static const uint8_t escaped[] = { 'a', 0xFF, 0xFF, 'b', 0xFF, 0xF1, 0x07, 0x00, 'c',
					   0xFF, 0xFA, 0x18, 0xFF, 0xFF, 0x00, 0xFF, 0xF0, 'd' };
	uint8_t big[4096];
	struct vw_fp_result r;
	const struct vw_fp_field *f;

	assert_int_equal(fp_parse(banner_23, only_iac, sizeof(only_iac), &r), -ENOMSG);
	assert_int_equal(fp_parse(banner_23, sb_open, sizeof(sb_open), &r), -EBADMSG);
	assert_field(&r, "telnet-banner", "hi");
	assert_int_equal(fp_parse(banner_23, iac_cut, sizeof(iac_cut), &r), -EBADMSG);
	assert_int_equal(fp_parse(banner_23, will_cut, sizeof(will_cut), &r), -EBADMSG);
	assert_field(&r, "telnet-banner", "hi");
	assert_int_equal(fp_parse(banner_23, escaped, sizeof(escaped), &r), 0);
	assert_field(&r, "telnet-banner", "abcd");
	/* A subnegotiation longer than the search window is not skipped. */
	memset(big, 'x', sizeof(big));
	big[0] = 0xFF;
	big[1] = 0xFA;
	big[sizeof(big) - 2] = 0xFF;
	big[sizeof(big) - 1] = 0xF0;
	assert_int_equal(fp_parse(banner_23, big, sizeof(big), &r), -EBADMSG);
	/* Text longer than a field: cut and flagged. */
	memset(big, 'A', sizeof(big));
	assert_int_equal(fp_parse(banner_23, big, sizeof(big), &r), 0);
	f = vw_fp_get(&r, "telnet-banner");
	assert_int_equal(f->len, VW_FP_FIELD_MAX);
	assert_true(f->truncated);
	/* IAC first on a port without a fixed format is still Telnet. */
	assert_int_equal(fp_parse(banner_8000, (const uint8_t *)"\xff\xfb\x01hi", 5, &r), 0);
	assert_field(&r, "telnet-banner", "hi");
}

static void test_ftp(void **state)
{
	struct vw_fp_result r;

	assert_int_equal(parse_sample("ftp-quidway-queue", &r), 0);
	assert_field(&r, "kind", "ftp");
	assert_field(&r, "ftp-banner", "120 The user queue is full, please try again later.");
	assert_int_equal(parse_sample("ftp-hes-cpe", &r), 0);
	assert_field(&r, "ftp-banner", "220 HES_CPE FTP server (GNU inetutils 1.4.1) ready.");
	assert_int_equal(parse_sample("ftp-multiline", &r), 0);
	assert_field(&r, "ftp-banner", "220-Welcome to the\r\n220-ZXHN F660 FTP service\r\n220 ready");
	/* multi-line without its last line */
	assert_int_equal(fp_parse(banner_21, (const uint8_t *)"220-a\r\n220-b\r\n", 14, &r), -EBADMSG);
	assert_field(&r, "ftp-banner", "220-a\r\n220-b");
	assert_int_equal(fp_parse(banner_21, (const uint8_t *)"220 ok", 6, &r), -EBADMSG);
	assert_int_equal(fp_parse(banner_21, (const uint8_t *)"hello\r\n", 7, &r), -ENOMSG);
	assert_int_equal(fp_parse(banner_21, (const uint8_t *)"22", 2, &r), -ENOMSG);
}

static void test_http_rtsp(void **state)
{
	struct vw_fp_result r;

	assert_int_equal(parse_sample("http-app-webs", &r), 0);
	assert_field(&r, "kind", "http");
	assert_field(&r, "server", "App-webs/");
	assert_no_field(&r, "www-authenticate-realm");

	assert_int_equal(parse_sample("http-hikvision-webs", &r), 0);
	assert_field(&r, "server", "Hikvision-Webs");
	assert_field(&r, "www-authenticate-realm", "hikvision");

	assert_int_equal(parse_sample("rtsp-dahua", &r), 0);
	assert_field(&r, "kind", "rtsp");
	assert_field(&r, "server", "Dahua Rtsp Server");
	assert_field(&r, "www-authenticate-realm", "device");

	assert_int_equal(parse_sample("http-huawei-hg-7547", &r), 0);
	assert_field(&r, "www-authenticate-realm", "HuaweiHomeGateway");
	assert_no_field(&r, "server");

	assert_int_equal(parse_sample("http-zte-realm-token", &r), 0);
	assert_field(&r, "server", "Mini web server 1.0 ZTE corp 2005.");
	assert_field(&r, "www-authenticate-realm", "cpe@zte.com");
}

/* Words in the body are never fields. */
static void test_body_not_read(void **state)
{
	struct vw_fp_result r;

	assert_int_equal(parse_sample("http-body-huawei", &r), 0);
	assert_field(&r, "server", "nginx");
	assert_int_equal(count_field(&r, "server"), 1);
	assert_no_field(&r, "www-authenticate-realm");
}

static void test_generic_stacks(void **state)
{
	struct vw_fp_result r;

	assert_int_equal(parse_sample("http-goahead", &r), 0);
	assert_field(&r, "server", "Webs");
	assert_int_equal(parse_sample("http-goahead2", &r), 0);
	assert_field(&r, "server", "GoAhead-Webs");
}

/* A client's request carries whatever it likes: never a fingerprint. */
static void test_requests(void **state)
{
	static const char *req[] = {
		"GET / HTTP/1.1\r\nHost: 10.0.0.1\r\nServer: Hikvision-Webs\r\n\r\n",
		"POST /RPC2_Login HTTP/1.1\r\nHost: x\r\nServer: Dahua Rtsp Server\r\n\r\n",
		"DESCRIBE rtsp://10.0.0.5/cam/realmonitor?channel=1 RTSP/1.0\r\nCSeq: 1\r\n\r\n",
		"Server: Hikvision-Webs\r\n\r\n",
	};
	fp_parse_fn fns[] = { banner_80, banner_554, banner_7547, banner_8000 };
	struct vw_fp_result r;

	for (size_t i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		for (size_t k = 0; k < sizeof(fns) / sizeof(fns[0]); k++)
			assert_int_equal(fp_parse(fns[k], (const uint8_t *)req[i], strlen(req[i]), &r), -ENOMSG);
	/* Hikvision SDK port 8000 binary greeting: no text format to read */
	assert_int_equal(fp_parse(banner_8000, (const uint8_t *)"\x00\x00\x00\x10\x00\x00\x00\x1e", 8, &r), -ENOMSG);
}

static void test_http_malformed(void **state)
{
	static const char noblank[] = "HTTP/1.1 200 OK\r\nServer: App-webs/\r\nContent-Type: text/html";
	static const char cutval[] = "HTTP/1.1 200 OK\r\nServer: Hikv";
	static const char badstatus[] = "HTTP/1.1 2x0 OK\r\nServer: App-webs/\r\n\r\n";
	static const char openquote[] = "HTTP/1.1 401 X\r\nWWW-Authenticate: Basic realm=\"Huawei\r\n\r\n";
	static const char escaped[] = "HTTP/1.1 401 X\r\nWWW-Authenticate: Basic xrealm=\"no\", realm=\"a\\\"b\"\r\n\r\n";
	static const char junkhdr[] = "HTTP/1.1 200 OK\r\nno colon here\r\nServer: \xff\xfe\xc0\r\n\r\n";
	static const char nohdrs[] = "HTTP/1.1 204 No Content\r\n\r\n";
	static const char two[] = "HTTP/1.1 401 X\r\nWWW-Authenticate: Basic realm=\"a\"\r\n"
				  "WWW-Authenticate: Digest realm=\"b\"\r\n\r\n";
	struct vw_fp_result r;

	assert_int_equal(fp_parse(banner_80, (const uint8_t *)noblank, strlen(noblank), &r), -EBADMSG);
	assert_field(&r, "server", "App-webs/");
	assert_int_equal(fp_parse(banner_80, (const uint8_t *)cutval, strlen(cutval), &r), -EBADMSG);
	assert_no_field(&r, "server");
	assert_int_equal(fp_parse(banner_80, (const uint8_t *)badstatus, strlen(badstatus), &r), -EBADMSG);
	assert_no_field(&r, "server");
	assert_int_equal(fp_parse(banner_80, (const uint8_t *)openquote, strlen(openquote), &r), -EBADMSG);
	assert_field(&r, "www-authenticate-realm", "Huawei");
	assert_int_equal(fp_parse(banner_80, (const uint8_t *)escaped, strlen(escaped), &r), 0);
	assert_field(&r, "www-authenticate-realm", "a\"b");
	assert_int_equal(count_field(&r, "www-authenticate-realm"), 1);
	assert_int_equal(fp_parse(banner_80, (const uint8_t *)junkhdr, strlen(junkhdr), &r), -EBADMSG);
	assert_field(&r, "server", "\xff\xfe\xc0");
	assert_int_equal(fp_parse(banner_80, (const uint8_t *)nohdrs, strlen(nohdrs), &r), -ENOMSG);
	assert_int_equal(fp_parse(banner_80, (const uint8_t *)two, strlen(two), &r), 0);
	assert_int_equal(count_field(&r, "www-authenticate-realm"), 2);
}

static void test_truncated_every_length(void **state)
{
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const struct sample *s = &samples[i];
		fp_parse_fn all[] = { banner_21, banner_22, banner_23, banner_80, banner_554, banner_8000 };

		fp_all_prefixes(s->fn, (const uint8_t *)s->bytes, s->len);
		/* and the same bytes as seen on every other port */
		for (size_t k = 0; k < sizeof(all) / sizeof(all[0]); k++)
			fp_parse_exact(all[k], (const uint8_t *)s->bytes, s->len, &(struct vw_fp_result){ 0 });
	}
}

/* 1 MiB of headers: the header cap stops the walk; a Server before it is
 * kept, one after it is never reached. */
static void test_huge_headers(void **state)
{
	struct fbuf b = { 0 };
	struct vw_fp_result *r = malloc(sizeof(*r));

	fb_str(&b, "HTTP/1.1 200 OK\r\nServer: App-webs/\r\n");
	while (b.n < (1u << 20))
		fb_str(&b, "X-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
	fb_str(&b, "WWW-Authenticate: Basic realm=\"HuaweiHomeGateway\"\r\n\r\n");
	assert_int_equal(fp_parse_exact(banner_80, b.p, b.n, r), -EBADMSG);
	assert_int_equal(fp_parse(banner_80, b.p, b.n, r), -EBADMSG);
	assert_field(r, "server", "App-webs/");
	assert_no_field(r, "www-authenticate-realm");
	fb_free(&b);
	/* one 1 MiB header line, no newline */
	fb_str(&b, "HTTP/1.1 200 OK\r\nServer: ");
	while (b.n < (1u << 20))
		fb_str(&b, "Hikvision-Webs ");
	assert_int_equal(fp_parse_exact(banner_80, b.p, b.n, r), -EBADMSG);
	fb_free(&b);
	/* 1 MiB of text on telnet, and of lines before an SSH version */
	while (b.n < (1u << 20))
		fb_str(&b, "line\r\n");
	assert_int_equal(fp_parse_exact(banner_23, b.p, b.n, r), 0);
	assert_int_equal(fp_parse_exact(banner_22, b.p, b.n, r), -ENOMSG);
	fb_free(&b);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_corpus),
		cmocka_unit_test(test_ssh),
		cmocka_unit_test(test_ssh_odd),
		cmocka_unit_test(test_telnet),
		cmocka_unit_test(test_telnet_malformed),
		cmocka_unit_test(test_ftp),
		cmocka_unit_test(test_http_rtsp),
		cmocka_unit_test(test_body_not_read),
		cmocka_unit_test(test_generic_stacks),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_http_malformed),
		cmocka_unit_test(test_truncated_every_length),
		cmocka_unit_test(test_huge_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-only */
/* First server payloads of catalogued devices: the banner parser's unit
 * test asserts on them, tools/vw-fuzz-seeds writes them as fuzz seeds. */
#ifndef VW_BANNER_SAMPLES_H
#define VW_BANNER_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

struct banner_sample {
	const char *name;       /* also the seed file name */
	uint16_t port;          /* the server port it came from */
	const char *bytes;
	size_t len;
};

#define BANNER_SAMPLE(n, port, str) { n, port, str, sizeof(str) - 1 }

static const char banner_quidway_telnet[] =
	"\xff\xfb\x01\xff\xfb\x01\xff\xfb\x01\xff\xfb\x03\xff\xfd\x18\xff\xfd\x1f"
	"\r\n"
	"******************************************************************************\r\n"
	"* Copyright (c) 2004-2013 Huawei Technologies Co., Ltd. All rights reserved. *\r\n"
	"******************************************************************************\r\n"
	"\r\n\r\nLogin authentication\r\n\r\n\r\nUsername:";

static const struct banner_sample banner_samples[] = {
	BANNER_SAMPLE("ssh-huawei", 22, "SSH-2.0-HUAWEI-1.5\r\n"),
	BANNER_SAMPLE("ssh-vrp", 22, "SSH-1.99-VRP-3.3\r\n"),
	BANNER_SAMPLE("ssh-dashdash", 22, "SSH-2.0--\r\n"),
	BANNER_SAMPLE("ssh-zte", 22, "SSH-2.0-ZTE_SSH.2.0\r\n"),
	BANNER_SAMPLE("ssh-dopra", 22, "SSH-2.0-DOPRA-1.5\r\n"),
	BANNER_SAMPLE("ssh-dropbear", 22, "SSH-2.0-dropbear_2019.78\r\n"),
	BANNER_SAMPLE("telnet-quidway", 23, banner_quidway_telnet),
	BANNER_SAMPLE("telnet-vrp", 23, "\xff\xfb\x01\xff\xfb\x03\r\nWarning: Telnet is not a secure protocol, "
	  "and it is recommended to use Stelnet.\r\n\r\nLogin authentication\r\n\r\n\r\nUsername:"),
	BANNER_SAMPLE("telnet-zxhn", 23, "\xff\xfd\x01\xff\xfd\x1f\xff\xfb\x01\xff\xfb\x03ZXHN H108N V2.5\r\nLogin: "),
	BANNER_SAMPLE("telnet-hik", 23, "\xff\xfd\x18\xff\xfa\x18\x01\xff\xf0" "192.0.0.64 login: "),
	BANNER_SAMPLE("telnet-busybox", 23, "\xff\xfd\x01\xff\xfd\x1f\xff\xfb\x01\xff\xfb\x03\r\n(none) login: "),
	BANNER_SAMPLE("ftp-quidway-queue", 21, "120 The user queue is full, please try again later.\r\n"),
	BANNER_SAMPLE("ftp-hes-cpe", 21, "220 HES_CPE FTP server (GNU inetutils 1.4.1) ready.\r\n"),
	BANNER_SAMPLE("ftp-multiline", 21, "220-Welcome to the\r\n220-ZXHN F660 FTP service\r\n220 ready\r\n"),
	BANNER_SAMPLE("http-app-webs", 80, "HTTP/1.1 200 OK\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
	  "Server: App-webs/\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello"),
	BANNER_SAMPLE("http-hikvision-webs", 80, "HTTP/1.1 401 Unauthorized\r\nServer: Hikvision-Webs\r\n"
	  "WWW-Authenticate: Basic realm=\"hikvision\"\r\nContent-Length: 0\r\n\r\n"),
	BANNER_SAMPLE("rtsp-dahua", 554, "RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\n"
	  "WWW-Authenticate: Digest realm=\"device\", nonce=\"a1b2c3d4e5f6\", stale=\"FALSE\"\r\n"
	  "Server: Dahua Rtsp Server\r\n\r\n"),
	BANNER_SAMPLE("http-huawei-hg-7547", 7547, "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n"
	  "WWW-Authenticate: Digest realm=\"HuaweiHomeGateway\", nonce=\"5f1c\", qop=\"auth\", "
	  "algorithm=\"MD5\"\r\n\r\n"),
	BANNER_SAMPLE("http-zte-realm-token", 80, "HTTP/1.0 401 Unauthorized\r\nserver: Mini web server 1.0 ZTE corp 2005.\r\n"
	  "www-authenticate: Basic realm=cpe@zte.com\r\n\r\n"),
	BANNER_SAMPLE("http-body-huawei", 80, "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\n\r\n"
	  "<html>Server: Huawei-BMC\r\nWWW-Authenticate: Basic realm=\"HuaweiHomeGateway\"\r\n</html>"),
	BANNER_SAMPLE("http-goahead", 80, "HTTP/1.0 302 Redirect\r\nServer: Webs\r\nLocation: http://192.0.0.64/index.asp\r\n\r\n"),
	BANNER_SAMPLE("http-goahead2", 8000, "HTTP/1.1 200 OK\r\nServer: GoAhead-Webs\r\n\r\n"),
};

#endif

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Extracts the server's self-identification from the first payload a TCP
 * server sends: the SSH identification line, the printable Telnet
 * greeting, the FTP greeting, and the Server / WWW-Authenticate realm of an
 * HTTP or RTSP response header block.
 *
 * Catalogue: policy/fingerprints/CATALOGUE.md §6.1–§6.3 — "SSH-2.0-HUAWEI-…", "SSH-x-VRP-…",
 * "SSH-2.0--", "SSH-2.0-ZTE_SSH.2.0", "DOPRA-"; Telnet greetings of VRP,
 * ZXHN, ZXAN; HTTP Server "App-webs/", "Hikvision-Webs", RTSP "Dahua Rtsp
 * Server"; realms "HuaweiHomeGateway", "cpe@zte.com", "hikvision".
 *
 * Only responses count: the caller passes payloads from the server port,
 * and anything that does not start like a response (a request, or a client
 * that put "Server: Hikvision" in its own headers) is -ENOMSG. Only the
 * header block is read: words in an HTTP body are never fields.
 */
#include <errno.h>
#include <string.h>

#include "fp.h"
#include "textscan.h"

/* RFC 4253 §4.2: the server may send other lines before its version
 * line; real servers send none or a few (a legal notice). */
#define SSH_MAX_PRELINES    16
/* RFC 4253 §4.2: 255 characters including CR LF. */
#define SSH_MAX_LINE        255
/* A real response header block is a few dozen lines. */
#define HTTP_MAX_HEADERS    256
/* Multi-line FTP greetings (RFC 959 §4.2) are a handful of lines. */
#define FTP_MAX_LINES       32
/* Longest Telnet subnegotiation we skip looking for IAC SE (terminal
 * type, window size, environment: tens of bytes). */
#define TELNET_SB_MAX       512
/* Distinct WWW-Authenticate challenges reported (Basic + Digest + …). */
#define MAX_REALMS          4

enum {
	IAC = 255, DONT = 254, DO = 253, WONT = 252, WILL = 251, SB = 250, SE = 240,
};

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

/* ---- SSH ---- */

static int ssh_line(struct vw_fp_result *r, struct vw_span line, int lrc)
{
	const uint8_t *dash;
	int rc = 0;

	/* Copied, not pointed at: every value lives in the frame or the
	 * result's store (fp.h), so a result can be copied as a whole. */
	vw_fp_add_copy(r, "kind", "ssh", 3);
	/* Identification: SSH-protoversion-softwareversion[ SP comments]. A
	 * line without the second '-' or without its newline is damaged,
	 * but what is there still identifies the server. */
	dash = line.len > 4 ? memchr(line.p + 4, '-', line.len - 4) : NULL;
	if (!dash || lrc == VW_LINE_CUT || line.len + 2 > SSH_MAX_LINE)
		rc = -EBADMSG;
	if (line.len > SSH_MAX_LINE)
		line.len = SSH_MAX_LINE;
	vw_fp_add_str(r, "ssh-version", line.p, line.len);
	return rc;
}

static int parse_ssh(const uint8_t *p, size_t len, struct vw_fp_result *r, bool prelines)
{
	size_t pos = 0;
	struct vw_span line;

	for (int i = 0; i <= (prelines ? SSH_MAX_PRELINES : 0); i++) {
		int lrc = vw_next_line(p, len, &pos, &line);

		if (lrc == VW_LINE_END)
			return -ENOMSG;
		if (line.len >= 4 && !memcmp(line.p, "SSH-", 4))
			return ssh_line(r, line, lrc);
		if (lrc == VW_LINE_CUT)
			return -ENOMSG;
	}
	return -ENOMSG;
}

/* ---- HTTP / RTSP ---- */

/* "HTTP/1.1 200 …" or "RTSP/1.0 401 …": the prefix is checked by the
 * caller, the version and status code here. */
static bool status_line(struct vw_span l)
{
	size_t i = 5;

	if (l.len < 12 || !is_digit(l.p[i]) || l.p[i + 1] != '.' || !is_digit(l.p[i + 2]))
		return false;
	i += 3;
	return l.p[i] == ' ' && is_digit(l.p[i + 1]) && is_digit(l.p[i + 2]) &&
	       is_digit(l.p[i + 3]) && (l.len == 12 || l.p[i + 4] == ' ');
}

/* The realm auth-param of one WWW-Authenticate value (RFC 7235): a token
 * or a quoted-string. Returns -EBADMSG for an unterminated quote (what
 * was there is still added). */
static int add_realm(struct vw_fp_result *r, struct vw_span v)
{
	for (size_t i = 0; i + 5 < v.len; i++) {
		size_t j;

		if (!vw_iprefix(v.p + i, v.len - i, "realm"))
			continue;
		/* "realm" as a whole parameter name, not inside "xrealm". */
		if (i && v.p[i - 1] != ' ' && v.p[i - 1] != ',' && v.p[i - 1] != '\t')
			continue;
		j = i + 5;
		while (j < v.len && vw_is_ows(v.p[j]))
			j++;
		if (j >= v.len || v.p[j] != '=')
			continue;
		j++;
		while (j < v.len && vw_is_ows(v.p[j]))
			j++;
		if (j < v.len && v.p[j] == '"') {
			uint8_t buf[VW_FP_FIELD_MAX + 1];
			size_t o = 0, k = j + 1;
			bool esc = false;

			/* quoted-pair: copy unescaped, so the rule matcher
			 * sees the realm the user would see. */
			for (; k < v.len && v.p[k] != '"'; k++) {
				if (v.p[k] == '\\' && k + 1 < v.len) {
					k++;
					esc = true;
				}
				if (o < sizeof(buf))
					buf[o++] = v.p[k];
			}
			if (esc)
				vw_fp_add_copy(r, "www-authenticate-realm", buf, o);
			else
				vw_fp_add_str(r, "www-authenticate-realm", v.p + j + 1, k - j - 1);
			return k < v.len ? 0 : -EBADMSG;
		}
		for (size_t k = j;; k++) {
			if (k == v.len || v.p[k] == ',' || vw_is_ows(v.p[k])) {
				vw_fp_add_str(r, "www-authenticate-realm", v.p + j, k - j);
				return 0;
			}
		}
	}
	return 0;
}

static int parse_http(const uint8_t *p, size_t len, struct vw_fp_result *r, const char *kind)
{
	struct vw_span line, name, value;
	size_t pos = 0;
	unsigned realms = 0;
	bool server = false, damaged = false;
	int lrc;

	lrc = vw_next_line(p, len, &pos, &line);
	if (!status_line(line))
		return -EBADMSG;
	vw_fp_add_copy(r, "kind", kind, strlen(kind));
	if (lrc == VW_LINE_CUT)
		return -EBADMSG;
	for (unsigned n = 0;; n++) {
		/* No blank line within the cap or before the data ends: the
		 * header block continues in a later segment. Keep what the
		 * complete lines gave. */
		if (n >= HTTP_MAX_HEADERS)
			return -EBADMSG;
		lrc = vw_next_line(p, len, &pos, &line);
		/* A cut line is an incomplete value ("Server: Hikv"): not
		 * a field. */
		if (lrc != VW_LINE_OK)
			return -EBADMSG;
		/* The blank line ends the headers; the body is never read. */
		if (line.len == 0)
			break;
		if (!vw_header(line, &name, &value)) {
			damaged = true;
			continue;
		}
		if (!server && vw_ieq(name, "Server")) {
			vw_fp_add_str(r, "server", value.p, value.len);
			server = true;
		} else if (realms < MAX_REALMS && vw_ieq(name, "WWW-Authenticate")) {
			size_t before = r->n;

			if (add_realm(r, value))
				damaged = true;
			realms += r->n > before;
		}
	}
	if (damaged)
		return -EBADMSG;
	return server || realms ? 0 : -ENOMSG;
}

/* ---- FTP ---- */

static bool ftp_reply(struct vw_span l)
{
	return l.len >= 3 && is_digit(l.p[0]) && is_digit(l.p[1]) && is_digit(l.p[2]) &&
	       (l.len == 3 || l.p[3] == ' ' || l.p[3] == '-');
}

/* The whole greeting, multi-line replies included ("220-…" up to the
 * "220 " line, RFC 959 §4.2), as one span of the frame. */
static int parse_ftp(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	struct vw_span line, first;
	size_t pos = 0, end;
	int lrc;

	lrc = vw_next_line(p, len, &pos, &first);
	if (!ftp_reply(first))
		return -ENOMSG;
	vw_fp_add_copy(r, "kind", "ftp", 3);
	end = (size_t)(first.p + first.len - p);
	if (lrc == VW_LINE_CUT) {
		vw_fp_add_str(r, "ftp-banner", p, end);
		return -EBADMSG;
	}
	if (first.len < 4 || first.p[3] != '-') {
		vw_fp_add_str(r, "ftp-banner", p, end);
		return 0;
	}
	for (int i = 0; i < FTP_MAX_LINES; i++) {
		lrc = vw_next_line(p, len, &pos, &line);
		if (lrc != VW_LINE_OK)
			break;
		end = (size_t)(line.p + line.len - p);
		if (line.len >= 4 && !memcmp(line.p, first.p, 3) && line.p[3] == ' ') {
			vw_fp_add_str(r, "ftp-banner", p, end);
			return 0;
		}
	}
	/* No final line: the greeting continues beyond this segment. */
	vw_fp_add_str(r, "ftp-banner", p, end);
	return -EBADMSG;
}

/* ---- Telnet ---- */

/* Text a person would read: printable ASCII, line breaks and tabs, and
 * bytes >= 0x80 (UTF-8 or legacy code pages; left for the rules to judge).
 * NUL and other control bytes (bell, escape) are dropped. */
static bool telnet_text(uint8_t c)
{
	return (c >= 0x20 && c != 0x7F) || c == '\r' || c == '\n' || c == '\t';
}

static bool is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int parse_telnet(const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	/* One byte beyond the field limit, so add_copy flags the cut. */
	uint8_t buf[VW_FP_FIELD_MAX + 1];
	size_t o = 0, i = 0, s = 0;
	bool bad = false;

	while (i < len) {
		uint8_t c = p[i];

		if (c != IAC) {
			i++;
			if (telnet_text(c) && o < sizeof(buf))
				buf[o++] = c;
			continue;
		}
		if (len - i < 2) {
			bad = true;
			break;
		}
		c = p[i + 1];
		if (c >= WILL && c <= DONT) {
			/* IAC WILL/WONT/DO/DONT option */
			if (len - i < 3) {
				bad = true;
				break;
			}
			i += 3;
		} else if (c == SB) {
			/* IAC SB … IAC SE; IAC IAC inside is an escaped 0xFF.
			 * Searched within TELNET_SB_MAX bytes only. */
			size_t lim = len - i > TELNET_SB_MAX ? i + TELNET_SB_MAX : len;
			size_t j = i + 2;
			bool found = false;

			while (j + 1 < lim) {
				if (p[j] == IAC && p[j + 1] == SE) {
					found = true;
					break;
				}
				j += p[j] == IAC && p[j + 1] == IAC ? 2 : 1;
			}
			if (!found) {
				bad = true;
				break;
			}
			i = j + 2;
		} else {
			/* IAC IAC (a data 0xFF, not text) and the two-byte
			 * commands (NOP, GA, AYT, …). */
			i += 2;
		}
	}
	while (s < o && is_space(buf[s]))
		s++;
	while (o > s && is_space(buf[o - 1]))
		o--;
	if (o == s)
		return bad ? -EBADMSG : -ENOMSG;
	vw_fp_add_copy(r, "kind", "telnet", 6);
	vw_fp_add_copy(r, "telnet-banner", buf + s, o - s);
	return bad ? -EBADMSG : 0;
}

int vw_fp_parse_banner(uint16_t sport, const uint8_t *p, size_t len, struct vw_fp_result *r)
{
	vw_fp_reset(r, VW_SIG_BANNER);
	if (len == 0)
		return -ENOMSG;
	/* Recognised by content first: the greeting says what it is on any
	 * port; the port only decides for formats without a fixed prefix. */
	if (len >= 4 && !memcmp(p, "SSH-", 4))
		return parse_ssh(p, len, r, false);
	if (len >= 5 && !memcmp(p, "HTTP/", 5))
		return parse_http(p, len, r, "http");
	if (len >= 5 && !memcmp(p, "RTSP/", 5))
		return parse_http(p, len, r, "rtsp");
	switch (sport) {
	case 22:
		return parse_ssh(p, len, r, true);
	case 21:
		return parse_ftp(p, len, r);
	case 23:
		return parse_telnet(p, len, r);
	}
	if (p[0] == IAC)
		return parse_telnet(p, len, r);
	/* Requests, binary camera protocols (8000, 37777) and anything else. */
	return -ENOMSG;
}

// SPDX-License-Identifier: GPL-2.0-only
/* One HTTPS download with a size cap, for the registry updater. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "registry_cmd.h"

struct sink {
	int fd;
	size_t got, max;
	int err;
};

static size_t on_data(char *p, size_t size, size_t n, void *user)
{
	struct sink *s = user;
	size_t len = size * n, off = 0;

	if (s->got + len > s->max) {
		s->err = -EFBIG;
		return 0;       /* aborts the transfer */
	}
	while (off < len) {
		ssize_t w = write(s->fd, p + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			s->err = -errno;
			return 0;
		}
		off += w;
	}
	s->got += len;
	return len;
}

static int perform(CURL *c, struct sink *s, char *err, size_t errlen)
{
	char ebuf[CURL_ERROR_SIZE] = "";
	CURLcode cc;

	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	cc = curl_easy_perform(c);
	if (s->err == -EFBIG) {
		snprintf(err, errlen, "larger than %zu bytes", s->max);
		return s->err;
	}
	if (s->err) {
		snprintf(err, errlen, "cannot write: %s", strerror(-s->err));
		return s->err;
	}
	if (cc != CURLE_OK) {
		snprintf(err, errlen, "%s", ebuf[0] ? ebuf : curl_easy_strerror(cc));
		return -EIO;
	}
	return 0;
}

int vw_ctl_fetch(const char *url, const char *path, const char *cacert, size_t max,
		 long timeout_s, char *err, size_t errlen)
{
	struct sink s = { .max = max };
	CURL *c;
	int r;

	s.fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (s.fd < 0) {
		r = -errno;
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
		return r;
	}
	c = curl_easy_init();
	if (!c) {
		close(s.fd);
		snprintf(err, errlen, "cannot initialise libcurl");
		return -ENOMEM;
	}
	/* HTTPS only, also after a redirect: the registry decides what is
	 * blocked, so it must come from who the certificate says. */
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vendorwall-registry-update");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	if (cacert)
		curl_easy_setopt(c, CURLOPT_CAINFO, cacert);
	r = perform(c, &s, err, errlen);
	curl_easy_cleanup(c);
	if (fsync(s.fd) < 0 && !r) {
		r = -errno;
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
	}
	close(s.fd);
	return r;
}

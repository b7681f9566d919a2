// SPDX-License-Identifier: GPL-2.0-only
/* Runs libinih over a file with a line-counting reader so that every diagnostic names file:line. */
#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "inifile.h"
#include "mac.h"

struct ini_ctx {
	FILE *f;
	const char *path;
	const struct vw_ini_ops *ops;
	void *user;
	struct vw_diag *diag;
	char *buf;
	size_t cap;
	int line;
	int read_err;
	bool failed;
	char *section;   /* full name: inih truncates long ones */
};

/* inih hands the handler no line number and silently reinterprets indented
 * lines as continuations, so lines are vetted here before inih sees them;
 * bad ones are reported and replaced by an empty line. */
static char *vet_line(char *str, int num, void *stream)
{
	struct ini_ctx *c = stream;
	ssize_t n;

	n = getline(&c->buf, &c->cap, c->f);
	if (n < 0) {
		if (ferror(c->f))
			c->read_err = errno ? -errno : -EIO;
		return NULL;
	}
	c->line++;

	char *s = c->buf;
	if (c->line == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	while (*s == ' ' || *s == '\t')
		s++;
	size_t len = strcspn(s, "\r\n");
	s[len] = '\0';

	str[0] = '\0';
	if (len + 2 > (size_t)num) {
		vw_diag_add(c->diag, c->path, c->line, "line too long (max %d characters)", num - 2);
		c->failed = true;
		return str;
	}
	if (*s == '\0' || *s == '#' || *s == ';') {
		return str;
	} else if (*s == '[') {
		char *end = strchr(s, ']');

		if (!end) {
			vw_diag_add(c->diag, c->path, c->line, "syntax error: missing ']'");
			c->failed = true;
			return str;
		}
		*end = '\0';
		free(c->section);
		c->section = strdup(s + 1);
		if (!c->section) {
			vw_diag_add(c->diag, c->path, c->line, "out of memory");
			c->failed = true;
		} else if (c->ops->section(c->user, c->section, c->path, c->line) < 0) {
			c->failed = true;
		}
		*end = ']';
	} else if (!strpbrk(s, "=:")) {
		vw_diag_add(c->diag, c->path, c->line, "syntax error: expected Key=Value");
		c->failed = true;
		return str;
	}
	memcpy(str, s, len);
	str[len] = '\n';
	str[len + 1] = '\0';
	return str;
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct ini_ctx *c = user;

	if (c->ops->key(c->user, c->section ? c->section : "", name, value, c->path, c->line) < 0)
		c->failed = true;
	return 1;
}

int vw_ini_parse(const char *path, const struct vw_ini_ops *ops, void *user,
		 struct vw_diag *diag)
{
	struct ini_ctx c = { .path = path, .ops = ops, .user = user, .diag = diag };
	int r;

	c.f = fopen(path, "re");
	if (!c.f) {
		r = -errno;
		vw_diag_add(diag, path, 0, "cannot open: %s", strerror(-r));
		goto out;
	}

	/* inih passes the stream pointer through to both reader and handler,
	 * so one context serves as both. */
	r = ini_parse_stream(vet_line, &c, on_key, &c);
	if (c.read_err) {
		r = c.read_err;
		vw_diag_add(diag, path, c.line, "read error: %s", strerror(-r));
	} else if (r < 0) {
		r = -ENOMEM;
		vw_diag_add(diag, path, 0, "out of memory");
	} else if (r > 0 && !c.failed) {
		vw_diag_add(diag, path, r, "syntax error");
		r = -EINVAL;
	} else {
		r = c.failed ? -EINVAL : 0;
	}
out:
	if (c.f)
		fclose(c.f);
	free(c.section);
	free(c.buf);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int vw_ini_list_dir(const char *dir, char ***paths)
{
	char **v = NULL;
	int n = 0, cap = 0, r = 0;
	struct dirent *de;
	DIR *d;

	*paths = NULL;
	d = opendir(dir);
	if (!d)
		return -errno;

	while ((errno = 0, de = readdir(d))) {
		size_t len = strlen(de->d_name);

		/* Dot files are editor or package-manager leftovers. */
		if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".conf"))
			continue;
		if (n == cap) {
			int ncap = cap ? cap * 2 : 8;
			char **nv = realloc(v, ncap * sizeof(*nv));

			if (!nv) {
				r = -ENOMEM;
				goto out;
			}
			v = nv;
			cap = ncap;
		}
		if (asprintf(&v[n], "%s/%s", dir, de->d_name) < 0) {
			r = -ENOMEM;
			goto out;
		}
		n++;
	}
	if (errno)
		r = -errno;
out:
	closedir(d);
	if (r < 0) {
		vw_ini_free_list(v, n);
		return r;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*paths = v;
	return n;
}

void vw_ini_free_list(char **paths, int n)
{
	for (int i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

int vw_parse_u32(const char *s, uint32_t *v)
{
	unsigned long long x;
	char *end;

	/* strtoull accepts "-1" and leading blanks; neither is a count. */
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || x > UINT32_MAX)
		return -ERANGE;
	*v = (uint32_t)x;
	return 0;
}

int vw_parse_prefix(const char *s, uint64_t *prefix, uint8_t *plen)
{
	uint64_t v = 0;
	int digits = 0;

	for (; *s; s++) {
		int d;

		if (*s == ':' || *s == '-' || *s == '.')
			continue;
		if ((d = vw_hexval(*s)) < 0)
			return -EINVAL;
		if (++digits > 9)
			return -EINVAL;
		v = v << 4 | d;
	}
	if (digits != 6 && digits != 7 && digits != 9)
		return -EINVAL;
	*plen = digits * 4;
	*prefix = v << (48 - *plen);
	return 0;
}

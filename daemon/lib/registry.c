// SPDX-License-Identifier: GPL-2.0-only
/* Turns the IEEE MA-L/MA-M/MA-S/IAB CSV exports into prefix rows. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "registry.h"

struct reg_file {
	const char *name;
	const char *registry;   /* value of the Registry column */
	int hexlen;             /* digits in the Assignment column */
	bool required;
};

static const struct reg_file reg_files[VW_REG_KINDS] = {
	[VW_REG_MAL] = { "oui.csv",   "MA-L", 6, true },
	[VW_REG_MAM] = { "mam.csv",   "MA-M", 7, false },
	[VW_REG_MAS] = { "oui36.csv", "MA-S", 9, false },
	[VW_REG_IAB] = { "iab.csv",   "IAB",  9, false },
};

#define CSV_COLUMNS 4

struct csv {
	char *p, *end;
	int line;       /* physical line the cursor is on, 1-based */
};

/* Splits one RFC 4180 record in place: quotes are removed and fields are
 * NUL-terminated inside the file buffer. Quoted fields may hold commas and
 * line breaks (the IEEE addresses do). Returns the number of fields, or
 * -EBADMSG with the rest of the physical line skipped. */
static int csv_record(struct csv *c, char **fld, int maxf, const char **why)
{
	int n = 0, r;

	for (;;) {
		char *start = c->p, *w = c->p;
		char delim;

		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p >= c->end) {
					*why = "unterminated quoted field";
					r = -EBADMSG;
					goto out;
				}
				if (*c->p == '"') {
					if (c->p + 1 < c->end && c->p[1] == '"') {
						*w++ = '"';
						c->p += 2;
						continue;
					}
					c->p++;
					break;
				}
				if (*c->p == '\n')
					c->line++;
				*w++ = *c->p++;
			}
		} else {
			while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
				c->p++;
			w = c->p;
		}

		delim = c->p < c->end ? *c->p : '\n';
		if (delim == '\r') {
			if (c->p + 1 < c->end && c->p[1] == '\n')
				c->p++;
			delim = '\n';
		}
		if (delim != ',' && delim != '\n') {
			*why = "text after closing quote";
			r = -EBADMSG;
			goto out;
		}
		*w = '\0';
		if (n < maxf)
			fld[n] = start;
		n++;
		if (c->p < c->end)
			c->p++;
		if (delim == '\n') {
			c->line++;
			break;
		}
	}
	r = n;
out:
	if (r < 0) {
		char *nl = memchr(c->p, '\n', c->end - c->p);

		c->p = nl ? nl + 1 : c->end;
		if (nl)
			c->line++;
	}
	return r;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static int parse_assignment(const char *s, int hexlen, uint64_t *prefix)
{
	uint64_t v = 0;
	int i;

	for (i = 0; s[i]; i++) {
		int d;

		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = s[i] - 'A' + 10;
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	if (i != hexlen)
		return -EINVAL;
	*prefix = v << (48 - 4 * hexlen);
	return 0;
}

static int reg_push(struct vw_registry *reg, uint64_t prefix, int kind, const char *org)
{
	struct vw_registry_row *row;

	if (reg->n == reg->cap) {
		size_t cap = reg->cap ? reg->cap * 2 : 4096;
		struct vw_registry_row *v = realloc(reg->rows, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		reg->rows = v;
		reg->cap = cap;
	}
	row = &reg->rows[reg->n];
	row->org = strdup(org);
	if (!row->org)
		return -ENOMEM;
	row->prefix = prefix;
	row->plen = reg_files[kind].hexlen * 4;
	row->kind = kind;
	reg->n++;
	reg->count[kind]++;
	return 0;
}

static int read_all(const char *path, char **buf, size_t *len, time_t *mtime)
{
	char *b = NULL;
	struct stat st;
	size_t got = 0;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	b = malloc(st.st_size + 1);
	if (!b) {
		r = -ENOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, b + got, st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto out;
		}
		if (n == 0)
			break;
		got += n;
	}
	b[got] = '\0';
	*buf = b;
	*len = got;
	*mtime = st.st_mtime;
	b = NULL;
out:
	free(b);
	close(fd);
	return r;
}

/* Returns 0 when the file was used, -ENOENT when absent, other -errno when
 * unusable; bad rows only produce diagnostics. */
static int load_file(struct vw_registry *reg, const char *dir, int kind,
		     struct vw_diag *diag, time_t *mtime)
{
	const struct reg_file *rf = &reg_files[kind];
	char *path = NULL, *buf = NULL;
	char *fld[CSV_COLUMNS];
	const char *why = NULL;
	struct csv c;
	size_t len = 0;
	int r, n;

	if (asprintf(&path, "%s/%s", dir, rf->name) < 0) {
		path = NULL;
		r = -ENOMEM;
		goto out;
	}
	r = read_all(path, &buf, &len, mtime);
	if (r < 0) {
		if (r != -ENOENT || rf->required)
			vw_diag_add(diag, path, 0, "cannot read: %s", strerror(-r));
		goto out;
	}

	c = (struct csv){ .p = buf, .end = buf + len, .line = 1 };
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		c.p += 3;
	n = csv_record(&c, fld, CSV_COLUMNS, &why);
	if (n < 3 || strcmp(fld[0], "Registry") || strcmp(fld[1], "Assignment") ||
	    strcmp(fld[2], "Organization Name")) {
		vw_diag_add(diag, path, 1, "not an IEEE registry CSV (unexpected header)");
		r = -EBADMSG;
		goto out;
	}

	while (c.p < c.end) {
		int line = c.line;
		uint64_t prefix;
		char *org;

		n = csv_record(&c, fld, CSV_COLUMNS, &why);
		if (n == 1 && fld[0][0] == '\0')
			continue;       /* blank line */
		if (n < 0) {
			vw_diag_add(diag, path, line, "%s; row skipped", why);
			continue;
		}
		if (n != CSV_COLUMNS) {
			vw_diag_add(diag, path, line, "expected %d fields, got %d; row skipped",
				    CSV_COLUMNS, n);
			continue;
		}
		if (strcmp(trim(fld[0]), rf->registry)) {
			vw_diag_add(diag, path, line, "registry \"%s\" is not %s; row skipped",
				    fld[0], rf->registry);
			continue;
		}
		if (parse_assignment(trim(fld[1]), rf->hexlen, &prefix) < 0) {
			vw_diag_add(diag, path, line, "bad assignment \"%s\" (want %d hex digits); row skipped",
				    fld[1], rf->hexlen);
			continue;
		}
		org = trim(fld[2]);
		if (!*org) {
			vw_diag_add(diag, path, line, "empty organization name; row skipped");
			continue;
		}
		r = reg_push(reg, prefix, kind, org);
		if (r < 0)
			goto out;
	}
	r = 0;
out:
	free(buf);
	free(path);
	return r;
}

static time_t read_lastupdate(const char *dir)
{
	char *path = NULL;
	long long v = 0;
	FILE *f;

	if (asprintf(&path, "%s/.lastupdate", dir) < 0)
		return 0;
	f = fopen(path, "re");
	free(path);
	if (!f)
		return 0;
	if (fscanf(f, "%lld", &v) != 1 || v < 0)
		v = 0;
	fclose(f);
	return (time_t)v;
}

int vw_registry_load(struct vw_registry *reg, const char *dir, struct vw_diag *diag)
{
	time_t newest = 0;
	int r = 0;

	*reg = (struct vw_registry){ 0 };
	for (int k = 0; k < VW_REG_KINDS; k++) {
		time_t mtime = 0;
		int q = load_file(reg, dir, k, diag, &mtime);

		if (q == -ENOMEM || (q < 0 && reg_files[k].required)) {
			r = q;
			goto out;
		}
		if (q == 0 && mtime > newest)
			newest = mtime;
	}
	reg->date = read_lastupdate(dir);
	if (!reg->date)
		reg->date = newest;
out:
	if (r < 0)
		vw_registry_free(reg);
	return r;
}

void vw_registry_free(struct vw_registry *reg)
{
	for (size_t i = 0; i < reg->n; i++)
		free(reg->rows[i].org);
	free(reg->rows);
	*reg = (struct vw_registry){ 0 };
}

static uint64_t fold(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t stamp_file(uint64_t h, const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	int64_t v[7] = { 0 };

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path)) {
		v[0] = -ENAMETOOLONG;
	} else if (stat(path, &st) < 0) {
		v[0] = -errno;
	} else {
		v[0] = (int64_t)st.st_dev;
		v[1] = (int64_t)st.st_ino;
		v[2] = (int64_t)st.st_size;
		v[3] = st.st_mtim.tv_sec;
		v[4] = st.st_mtim.tv_nsec;
		v[5] = st.st_ctim.tv_sec;
		v[6] = st.st_ctim.tv_nsec;
	}
	h = fold(h, name, strlen(name) + 1);
	return fold(h, v, sizeof(v));
}

uint64_t vw_registry_stamp(const char *dir, uint64_t h)
{
	h = fold(h, dir ? dir : "", dir ? strlen(dir) + 1 : 1);
	if (!dir)
		return h;
	for (int k = 0; k < VW_REG_KINDS; k++)
		h = stamp_file(h, dir, reg_files[k].name);
	return stamp_file(h, dir, ".lastupdate");
}

int vw_registry_copy(struct vw_registry *dst, const struct vw_registry *src)
{
	*dst = *src;
	dst->rows = calloc(src->n ? src->n : 1, sizeof(*dst->rows));
	dst->cap = src->n;
	dst->n = 0;
	if (!dst->rows) {
		*dst = (struct vw_registry){ 0 };
		return -ENOMEM;
	}
	for (size_t i = 0; i < src->n; i++) {
		dst->rows[i] = src->rows[i];
		if (src->rows[i].org && !(dst->rows[i].org = strdup(src->rows[i].org))) {
			vw_registry_free(dst);
			return -ENOMEM;
		}
		dst->n++;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/* Turns the IEEE MA-L/MA-M/MA-S/IAB CSV exports into prefix rows. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/* One CSV field as it stands in the file buffer (which is never written):
 * esc marks a quoted field holding "" pairs, to be unescaped when copied. */
struct span {
	const char *p;
	size_t len;
	bool esc;
};

struct csv {
	const char *p, *end;
	int line;       /* physical line the cursor is on, 1-based */
};

static int count_nl(const char *p, const char *end)
{
	int n = 0;

	while ((p = memchr(p, '\n', end - p))) {
		n++;
		p++;
	}
	return n;
}

/* The quoted field at c->p (on its opening quote); c->p ends after the
 * closing quote. Line breaks inside count as lines. */
static int quoted_field(struct csv *c, struct span *s, const char **why)
{
	const char *q = c->p + 1;

	*s = (struct span){ .p = q };
	for (;;) {
		const char *e = memchr(q, '"', c->end - q);

		if (!e) {
			c->p = c->end;
			*why = "unterminated quoted field";
			return -EBADMSG;
		}
		c->line += count_nl(q, e);
		if (e + 1 < c->end && e[1] == '"') {
			s->esc = true;
			q = e + 2;
			continue;
		}
		s->len = e - s->p;
		c->p = e + 1;
		return 0;
	}
}

/* Splits one RFC 4180 record into spans of the buffer. Quoted fields may
 * hold commas and line breaks (the IEEE addresses do). Returns the number
 * of fields, or -EBADMSG with the rest of the physical line skipped. */
static int csv_record(struct csv *c, struct span *fld, int maxf, const char **why)
{
	int n = 0, r;

	for (;;) {
		struct span s = { .p = c->p };
		char delim;

		if (c->p < c->end && *c->p == '"') {
			r = quoted_field(c, &s, why);
			if (r < 0)
				goto out;
		} else {
			while (c->p < c->end && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
				c->p++;
			s.len = c->p - s.p;
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
		if (n < maxf)
			fld[n] = s;
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
		const char *nl = memchr(c->p, '\n', c->end - c->p);

		c->p = nl ? nl + 1 : c->end;
		if (nl)
			c->line++;
	}
	return r;
}

/* The field as a C string reads it: a NUL byte in the file ends it. */
static struct span cut_nul(struct span s)
{
	const char *z = memchr(s.p, '\0', s.len);

	if (z)
		s.len = z - s.p;
	return s;
}

static bool blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Without trailing blanks (the field as the diagnostics quote it). */
static struct span rtrim(struct span s)
{
	while (s.len && blank(s.p[s.len - 1]))
		s.len--;
	return s;
}

static struct span trim(struct span s)
{
	s = rtrim(cut_nul(s));
	while (s.len && blank(*s.p)) {
		s.p++;
		s.len--;
	}
	return s;
}

/* Copies the field's value (quotes unescaped) NUL-terminated to out,
 * which has room for s.len + 1 bytes; returns the end of the copy. */
static char *span_copy(struct span s, char *out)
{
	if (!s.esc) {
		memcpy(out, s.p, s.len);
		out += s.len;
	} else {
		for (size_t i = 0; i < s.len; i++) {
			*out++ = s.p[i];
			i += s.p[i] == '"';   /* "" stands for one quote */
		}
	}
	*out = '\0';
	return out;
}

static bool span_is(struct span s, const char *text)
{
	size_t n = strlen(text);

	s = cut_nul(s);
	return !s.esc && s.len == n && !memcmp(s.p, text, n);
}

static int parse_assignment(struct span s, int hexlen, uint64_t *prefix)
{
	uint64_t v = 0;

	if (s.len != (size_t)hexlen)
		return -EINVAL;
	for (size_t i = 0; i < s.len; i++) {
		char ch = s.p[i];
		int d;

		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if (ch >= 'a' && ch <= 'f')
			d = ch - 'a' + 10;
		else if (ch >= 'A' && ch <= 'F')
			d = ch - 'A' + 10;
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*prefix = v << (48 - 4 * hexlen);
	return 0;
}

/* What one load builds before it becomes the registry: the organisation
 * names go to one string table (strings) sized for the worst case, the
 * bytes of every file, so that no pointer into it moves while parsing. */
struct loader {
	struct vw_registry *reg;
	char *strings;
	size_t used;
};

static int reg_push(struct loader *ld, uint64_t prefix, int kind, struct span org)
{
	struct vw_registry *reg = ld->reg;
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
	row->org = ld->strings + ld->used;
	ld->used = span_copy(org, row->org) + 1 - ld->strings;
	row->prefix = prefix;
	row->plen = reg_files[kind].hexlen * 4;
	row->kind = kind;
	reg->n++;
	reg->count[kind]++;
	return 0;
}

/* A field quoted in a diagnostic, unescaped into the unused end of the
 * string table (room for every byte not yet parsed). */
static const char *quote_field(struct loader *ld, struct span s)
{
	span_copy(rtrim(cut_nul(s)), ld->strings + ld->used);
	return ld->strings + ld->used;
}

/* Checks one record of kind and adds its row; a bad row is only reported. */
static int parse_row(struct loader *ld, int kind, const struct span *fld, int n,
		     const char *path, int line, struct vw_diag *diag)
{
	const struct reg_file *rf = &reg_files[kind];
	uint64_t prefix;
	struct span org;

	if (n != CSV_COLUMNS) {
		vw_diag_add(diag, path, line, "expected %d fields, got %d; row skipped",
			    CSV_COLUMNS, n);
		return 0;
	}
	if (!span_is(trim(fld[0]), rf->registry)) {
		vw_diag_add(diag, path, line, "registry \"%s\" is not %s; row skipped",
			    quote_field(ld, fld[0]), rf->registry);
		return 0;
	}
	if (parse_assignment(trim(fld[1]), rf->hexlen, &prefix) < 0) {
		vw_diag_add(diag, path, line, "bad assignment \"%s\" (want %d hex digits); row skipped",
			    quote_field(ld, fld[1]), rf->hexlen);
		return 0;
	}
	org = trim(fld[2]);
	if (!org.len) {
		vw_diag_add(diag, path, line, "empty organization name; row skipped");
		return 0;
	}
	return reg_push(ld, prefix, kind, org);
}

/* One registry file, opened before any is read so that the string table
 * can be sized for all of them. */
struct reg_input {
	char *path;
	int fd;          /* -1: not opened */
	int err;         /* 0, or -errno of opening it */
	size_t size;
	time_t mtime;
};

static int open_input(struct reg_input *in, const char *dir, int kind)
{
	struct stat st;

	*in = (struct reg_input){ .fd = -1 };
	if (asprintf(&in->path, "%s/%s", dir, reg_files[kind].name) < 0) {
		in->path = NULL;
		return -ENOMEM;
	}
	in->fd = open(in->path, O_RDONLY | O_CLOEXEC);
	if (in->fd < 0 || fstat(in->fd, &st) < 0) {
		in->err = -errno;
		return 0;
	}
	in->size = st.st_size;
	in->mtime = st.st_mtime;
	return 0;
}

static void close_input(struct reg_input *in)
{
	if (in->fd >= 0)
		close(in->fd);
	free(in->path);
	*in = (struct reg_input){ .fd = -1 };
}

/* The part of a file being parsed: read in chunks into one small buffer
 * (a whole 3 MB file would cost a page fault per 4 KiB on every start). */
#define REG_CHUNK (64 * 1024)

struct window {
	const struct reg_input *in;
	char *buf;
	size_t cap;
	size_t left;     /* bytes of in->size not read yet */
	bool eof;
	int err;         /* -errno of a failed read */
};

/* Keeps the unparsed bytes from c->p, moved to the front, and reads more
 * after them; a record longer than the buffer doubles it. */
static void window_fill(struct window *w, struct csv *c)
{
	size_t keep = c->end - c->p, got = 0;

	memmove(w->buf, c->p, keep);
	if (keep == w->cap) {
		char *nb = realloc(w->buf, w->cap * 2);

		if (!nb) {
			w->err = -ENOMEM;
			w->eof = true;
			return;
		}
		w->buf = nb;
		w->cap *= 2;
	}
	while (!w->eof && !got) {
		size_t want = w->cap - keep < w->left ? w->cap - keep : w->left;
		ssize_t n = want ? read(w->in->fd, w->buf + keep, want) : 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			w->err = -errno;
		if (n <= 0)
			w->eof = true;   /* a file that shrank since fstat ends here */
		else
			got = n;
		w->left -= got;
		w->eof |= !w->left;
	}
	c->p = w->buf;
	c->end = w->buf + keep + got;
}

/* csv_record on whole records only: one that reaches the end of the
 * buffer before the end of the file is parsed again with more bytes. */
static int next_record(struct window *w, struct csv *c, struct span *fld, const char **why)
{
	for (;;) {
		struct csv before = *c;
		int n = csv_record(c, fld, CSV_COLUMNS, why);

		if (c->p < c->end || w->eof)
			return n;
		*c = before;
		window_fill(w, c);
	}
}

/* The rows of one file; -EBADMSG when it is not a registry CSV, -errno
 * when it cannot be read. */
static int parse_file(struct loader *ld, int kind, struct window *w, struct vw_diag *diag)
{
	const char *path = w->in->path;
	struct span fld[CSV_COLUMNS];
	const char *why = NULL;
	struct csv c = { .p = w->buf, .end = w->buf, .line = 1 };
	int n, r;

	window_fill(w, &c);
	if (c.end - c.p >= 3 && memcmp(c.p, "\xEF\xBB\xBF", 3) == 0)
		c.p += 3;
	n = next_record(w, &c, fld, &why);
	if (w->err)
		return w->err;
	if (n < 3 || !span_is(fld[0], "Registry") || !span_is(fld[1], "Assignment") ||
	    !span_is(fld[2], "Organization Name")) {
		vw_diag_add(diag, path, 1, "not an IEEE registry CSV (unexpected header)");
		return -EBADMSG;
	}
	for (;;) {
		int line = c.line;

		if (c.p == c.end && !w->eof)
			window_fill(w, &c);
		if (c.p == c.end)
			break;
		n = next_record(w, &c, fld, &why);
		if (w->err)
			break;
		if (n == 1 && cut_nul(fld[0]).len == 0)
			continue;       /* blank line */
		if (n < 0) {
			vw_diag_add(diag, path, line, "%s; row skipped", why);
			continue;
		}
		r = parse_row(ld, kind, fld, n, path, line, diag);
		if (r < 0)
			return r;
	}
	return w->err;
}

/* Returns 0 when the file was used, -ENOENT when absent, other -errno when
 * unusable; bad rows only produce diagnostics. A file that fails to read
 * half-way adds no rows. */
static int load_file(struct loader *ld, struct reg_input *in, int kind, char **buf,
		     struct vw_diag *diag)
{
	struct vw_registry *reg = ld->reg;
	struct window w = { .in = in, .buf = *buf, .cap = REG_CHUNK, .left = in->size };
	size_t n = reg->n, count = reg->count[kind], used = ld->used;
	int r = in->err;

	if (!r) {
		w.eof = !w.left;
		r = parse_file(ld, kind, &w, diag);
		*buf = w.buf;
		if (r < 0 && r != -EBADMSG) {
			reg->n = n;
			reg->count[kind] = count;
			ld->used = used;
		}
	}
	if (r < 0 && r != -EBADMSG) {
		if (r != -ENOENT || reg_files[kind].required)
			vw_diag_add(diag, in->path, 0, "cannot read: %s", strerror(-r));
	}
	return r;
}

/* Gives back the string table's unused end and the rows' slack, so that
 * the registry a daemon keeps holds none. The names lie back to back in
 * row order, which is how the rows find them again if it moved. */
static void registry_shrink(struct loader *ld)
{
	struct vw_registry *reg = ld->reg;
	char *strings = realloc(ld->strings, ld->used ? ld->used : 1);
	struct vw_registry_row *rows;

	if (strings) {
		ld->strings = strings;
		for (size_t i = 0; i < reg->n; i++) {
			reg->rows[i].org = strings;
			strings += strlen(strings) + 1;
		}
	}
	reg->strings = ld->strings;
	reg->strings_len = ld->used;
	*ld = (struct loader){ .reg = reg };
	rows = reg->n ? realloc(reg->rows, reg->n * sizeof(*rows)) : NULL;
	if (rows) {
		reg->rows = rows;
		reg->cap = reg->n;
	}
}

/* Faults in the whole pages of a fresh block in one call: page by page,
 * a guest pays a trap per 4 KiB, more than parsing the bytes costs. Only
 * a hint; kernels before 5.14 decline it. At most 8 MiB (the real
 * registry needs 2.2), so that an oversized file costs no more memory
 * than it holds names. */
static void prefault(void *p, size_t len)
{
	len = len < (8u << 20) ? len : (8u << 20);
	uintptr_t a = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	uintptr_t e = ((uintptr_t)p + len) & ~(uintptr_t)4095;

	if (e > a)
		(void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
}

static int load_all(struct loader *ld, struct reg_input *in, struct vw_diag *diag,
		    time_t *newest)
{
	size_t total = 1;
	char *buf;
	int r = 0;

	for (int k = 0; k < VW_REG_KINDS; k++)
		total += in[k].size;
	/* Pages of it that no name reaches are never touched. */
	ld->strings = malloc(total);
	buf = malloc(REG_CHUNK);
	/* Rows average 90 bytes of CSV; 64 leaves room for short addresses. */
	ld->reg->cap = total / 64 + 1;
	ld->reg->rows = malloc(ld->reg->cap * sizeof(*ld->reg->rows));
	if (!ld->strings || !buf || !ld->reg->rows) {
		free(buf);
		return -ENOMEM;
	}
	/* The names take about a third of the files' bytes. */
	prefault(ld->strings, total / 2);
	prefault(ld->reg->rows, ld->reg->cap * sizeof(*ld->reg->rows));
	for (int k = 0; k < VW_REG_KINDS; k++) {
		int q = load_file(ld, &in[k], k, &buf, diag);

		if (q == -ENOMEM || (q < 0 && reg_files[k].required)) {
			r = q;
			break;
		}
		if (q == 0 && in[k].mtime > *newest)
			*newest = in[k].mtime;
	}
	free(buf);
	return r;
}

time_t vw_registry_lastupdate(const char *dir)
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
	struct reg_input in[VW_REG_KINDS];
	struct loader ld = { .reg = reg };
	time_t newest = 0;
	int r = 0;

	*reg = (struct vw_registry){ 0 };
	for (int k = 0; k < VW_REG_KINDS; k++)
		in[k] = (struct reg_input){ .fd = -1 };
	for (int k = 0; k < VW_REG_KINDS && !r; k++)
		r = open_input(&in[k], dir, k);
	if (!r)
		r = load_all(&ld, in, diag, &newest);
	if (!r)
		registry_shrink(&ld);
	if (!r && !(reg->refs = malloc(sizeof(*reg->refs))))
		r = -ENOMEM;
	if (!r)
		*reg->refs = 1;
	for (int k = 0; k < VW_REG_KINDS; k++)
		close_input(&in[k]);
	free(ld.strings);
	if (r < 0) {
		vw_registry_free(reg);
		return r;
	}
	reg->date = vw_registry_lastupdate(dir);
	if (!reg->date)
		reg->date = newest;
	return 0;
}

void vw_registry_free(struct vw_registry *reg)
{
	if (!reg->refs || __atomic_sub_fetch(reg->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		free(reg->strings);
		free(reg->rows);
		free(reg->refs);
	}
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
	if (src->refs)
		__atomic_add_fetch(src->refs, 1, __ATOMIC_RELAXED);
	return 0;
}

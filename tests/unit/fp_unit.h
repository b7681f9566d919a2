/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared helpers for the protocol-parser unit tests: a frame builder, field assertions, and the truncate-at-every-length harness. */
#ifndef VW_TEST_FP_UNIT_H
#define VW_TEST_FP_UNIT_H

#include "unit.h"
#include "fp.h"

typedef int (*fp_parse_fn)(const uint8_t *p, size_t len, struct vw_fp_result *r);

/* A growable byte buffer for building frames field by field. */
struct fbuf {
	uint8_t *p;
	size_t n, cap;
};

static inline void fb_put(struct fbuf *b, const void *d, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	if (n)
		memcpy(b->p + b->n, d, n);
	b->n += n;
}

static inline void fb_u8(struct fbuf *b, uint8_t v) { fb_put(b, &v, 1); }
static inline void fb_u16(struct fbuf *b, uint16_t v) { fb_u8(b, v >> 8); fb_u8(b, v & 0xFF); }
static inline void fb_u32le(struct fbuf *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		fb_u8(b, (v >> (8 * i)) & 0xFF);
}
static inline void fb_str(struct fbuf *b, const char *s) { fb_put(b, s, strlen(s)); }
static inline void fb_zero(struct fbuf *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fb_u8(b, 0);
}
/* A fixed-width, NUL-padded C string field. */
static inline void fb_cstr(struct fbuf *b, const char *s, size_t width)
{
	size_t n = strlen(s);

	assert_true(n <= width);
	fb_put(b, s, n);
	fb_zero(b, width - n);
}
static inline void fb_free(struct fbuf *b) { free(b->p); memset(b, 0, sizeof(*b)); }

/* Every string field points into the frame or the result's own store,
 * stays within the field limit and names a field: what the engine relies
 * on whatever the input was. */
static inline void fp_check_result(const struct vw_fp_result *r, const uint8_t *buf, size_t n)
{
	assert_true(r->n <= VW_FP_MAX_FIELDS);
	assert_true(r->store_used <= VW_FP_STORE);
	for (size_t i = 0; i < r->n; i++) {
		const struct vw_fp_field *f = &r->fields[i];

		assert_non_null(f->name);
		if (f->kind != VW_FP_STR)
			continue;
		assert_true(f->len <= VW_FP_FIELD_MAX);
		if (!f->len)
			continue;
		assert_true((f->val >= buf && f->val + f->len <= buf + n) ||
			    (f->val >= r->store && f->val + f->len <= r->store + r->store_used));
	}
}

/* Parses a copy in exactly-sized heap memory, so an overread is an ASan
 * report rather than a silent read of the neighbour. */
static inline int fp_parse_exact(fp_parse_fn fn, const uint8_t *frame, size_t n, struct vw_fp_result *r)
{
	uint8_t *copy = malloc(n ? n : 1);
	int rc;

	assert_non_null(copy);
	if (n)
		memcpy(copy, frame, n);
	/* A zero-length input gets a pointer at the end of a 1-byte block
	 * so that any dereference is caught. */
	rc = fn(n ? copy : copy + 1, n, r);
	assert_true(rc == 0 || rc == -ENOMSG || rc == -EBADMSG);
	fp_check_result(r, n ? copy : copy + 1, n);
	free(copy);
	return rc;
}

/* Every prefix of the frame, 0..len: must never crash, and must return
 * one of the three documented codes. Returns how many prefixes parsed
 * cleanly (rc 0). */
static inline size_t fp_all_prefixes(fp_parse_fn fn, const uint8_t *frame, size_t len)
{
	struct vw_fp_result *r = malloc(sizeof(*r));
	size_t ok = 0;

	assert_non_null(r);
	for (size_t n = 0; n <= len; n++)
		ok += fp_parse_exact(fn, frame, n, r) == 0;
	free(r);
	return ok;
}

/* Frees the copy inside fp_parse_exact, so values pointing into the frame
 * would dangle: this variant parses in place for callers that inspect. */
static inline int fp_parse(fp_parse_fn fn, const uint8_t *frame, size_t n, struct vw_fp_result *r)
{
	int rc = fn(frame, n, r);

	assert_true(rc == 0 || rc == -ENOMSG || rc == -EBADMSG);
	fp_check_result(r, frame, n);
	return rc;
}

static inline void assert_field(const struct vw_fp_result *r, const char *name, const char *want)
{
	const struct vw_fp_field *f = vw_fp_get(r, name);

	if (!f) {
		print_error("field %s missing; have:", name);
		for (size_t i = 0; i < r->n; i++)
			print_error(" %s", r->fields[i].name);
		print_error("\n");
	}
	assert_non_null(f);
	assert_int_equal(f->kind, VW_FP_STR);
	if (f->len != strlen(want) || memcmp(f->val, want, f->len))
		print_error("field %s: got '%.*s' want '%s'\n", name, (int)f->len, (const char *)f->val, want);
	assert_int_equal(f->len, strlen(want));
	assert_memory_equal(f->val, want, f->len);
}

static inline void assert_no_field(const struct vw_fp_result *r, const char *name)
{
	assert_null(vw_fp_get(r, name));
}

/* Counts the fields called name (repeated fields such as "scope"). */
static inline size_t count_field(const struct vw_fp_result *r, const char *name)
{
	size_t c = 0;

	for (size_t i = 0; i < r->n; i++)
		c += !strcmp(r->fields[i].name, name);
	return c;
}

/* Writes a seed file for the fuzzers when VW_FUZZ_SEEDS names a corpus
 * root: the seeds are then exactly the frames the tests check. */
static inline void fp_seed(const char *parser, const char *name, const uint8_t *p, size_t n)
{
	const char *root = getenv("VW_FUZZ_SEEDS");
	char *path = NULL;
	FILE *f;

	if (!root || !*root)
		return;
	assert_true(asprintf(&path, "%s/%s", root, parser) > 0);
	mkdir(path, 0755);
	free(path);
	assert_true(asprintf(&path, "%s/%s/%s", root, parser, name) > 0);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
	free(path);
}

#endif

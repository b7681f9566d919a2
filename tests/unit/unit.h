/* SPDX-License-Identifier: GPL-2.0-only */
/* Thin helpers shared by the cmocka unit tests: temp trees, files, diagnostics. */
#ifndef VW_TEST_UNIT_H
#define VW_TEST_UNIT_H

#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "diag.h"

static inline const char *src_dir(void)
{
	const char *s = getenv("VW_SRCDIR");

	return s && *s ? s : ".";
}

static inline const char *ieee_dir(void)
{
	const char *s = getenv("VW_IEEE_DIR");

	return s && *s ? s : "/usr/share/ieee-data";
}

static inline char *tmpdir_new(void)
{
	char tmpl[] = "/tmp/vw-unit-XXXXXX";

	assert_non_null(mkdtemp(tmpl));
	return strdup(tmpl);
}

/* Writes dir/rel (creating parent directories) and returns the full path. */
static inline char *write_file(const char *dir, const char *rel, const char *content)
{
	char *path = NULL;
	FILE *f;

	assert_true(asprintf(&path, "%s/%s", dir, rel) > 0);
	for (char *p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
	return path;
}

static inline int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(p);
}

static inline void rm_rf(char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

/* Fails with the whole diagnostic list printed, so a wording change is
 * easy to see. */
static inline void assert_diag_has(const struct vw_diag *d, const char *fmt, ...)
{
	char *want = NULL;
	va_list ap;
	bool found = false;

	va_start(ap, fmt);
	assert_true(vasprintf(&want, fmt, ap) > 0);
	va_end(ap);
	for (size_t i = 0; i < d->n && !found; i++)
		found = !strcmp(d->msgs[i], want);
	if (!found) {
		print_error("expected diagnostic: %s\n", want);
		for (size_t i = 0; i < d->n; i++)
			print_error("  got: %s\n", d->msgs[i]);
	}
	free(want);
	assert_true(found);
}

static inline void assert_diag_empty(const struct vw_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		print_error("unexpected diagnostic: %s\n", d->msgs[i]);
	assert_int_equal(d->n, 0);
}

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/* libinih front end that adds line numbers, section-start callbacks and syntax errors to diag. */
#ifndef VW_INIFILE_H
#define VW_INIFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "diag.h"

/* Both callbacks report their own problems to diag (they get file and line)
 * and return 0 or a negative errno; a failure marks the file as bad but
 * parsing goes on so that one run shows every mistake. */
struct vw_ini_ops {
	int (*section)(void *user, const char *section, const char *file, int line);
	int (*key)(void *user, const char *section, const char *key,
		   const char *value, const char *file, int line);
};

/* Parses one INI file. Leading whitespace is ignored (no continuation
 * lines), '#' and ';' start comment lines, " ;" an inline comment. Returns
 * 0, -EINVAL when anything was reported, or -errno when the file could not
 * be read (also reported). */
int vw_ini_parse(const char *path, const struct vw_ini_ops *ops, void *user,
		 struct vw_diag *diag);

/* Lists dir/ *.conf in byte order (not locale order, so the result does not
 * depend on LC_COLLATE). Returns the count or -errno; -ENOENT when dir is
 * missing. Free with vw_ini_free_list. */
int vw_ini_list_dir(const char *dir, char ***paths);
void vw_ini_free_list(char **paths, int n);

/* Small value parsers shared by the config and policy files; all return
 * 0 or -EINVAL (-ERANGE when out of range). */
int vw_parse_u32(const char *s, uint32_t *v);
/* Hex digits, optionally grouped with ':', '-' or '.': 6, 7 or 9 of them
 * give a 24, 28 or 36-bit prefix. */
int vw_parse_prefix(const char *s, uint64_t *prefix, uint8_t *plen);

#endif

/* SPDX-License-Identifier: GPL-2.0-only */
/* Parses the IEEE registry CSVs (Debian ieee-data) into prefix rows. */
#ifndef VW_REGISTRY_H
#define VW_REGISTRY_H

#include <stdint.h>
#include <stddef.h>
#include <time.h>
#include "diag.h"

enum vw_registry_kind { VW_REG_MAL = 0, VW_REG_MAM, VW_REG_MAS, VW_REG_IAB, VW_REG_KINDS };

struct vw_registry_row {
	uint64_t prefix;   /* 48-bit MAC value with the bits below plen zero */
	uint8_t plen;      /* 24, 28 or 36 */
	uint8_t kind;      /* enum vw_registry_kind */
	char *org;         /* organisation name as registered, in strings */
};

struct vw_registry {
	struct vw_registry_row *rows;
	size_t n;
	size_t cap;
	time_t date;                     /* .lastupdate, else newest CSV mtime */
	size_t count[VW_REG_KINDS];
	char *strings;                   /* every row's org, NUL-terminated, one block */
	size_t strings_len;
	unsigned *refs;                  /* registries sharing rows and strings */
};

/* Loads oui.csv, mam.csv, oui36.csv and iab.csv from dir (missing optional
 * files are skipped; oui.csv is required). Bad rows are reported in diag as
 * file:line and skipped; returns 0, or -errno when nothing usable loaded. */
int vw_registry_load(struct vw_registry *reg, const char *dir, struct vw_diag *diag);
void vw_registry_free(struct vw_registry *reg);

/* The date dir's .lastupdate states (what vw_registry_load takes as the
 * registry's date when there is one), or 0. */
time_t vw_registry_lastupdate(const char *dir);

/* What vw_registry_load(dir) would read, as it is now: the directory name
 * and each file's device, inode, size, modification and change times (or
 * its absence), folded into h (FNV-1a). A file replaced or rewritten
 * changes the stamp; an unchanged stamp lets a reload keep the rows it
 * parsed (50,000 rows, the largest part of building a state). */
uint64_t vw_registry_stamp(const char *dir, uint64_t h);
/* dst shares src's rows and names (nothing changes them once loaded: a
 * reload keeps them at no cost in time or memory); each of the two is
 * freed with vw_registry_free, the last one frees the rows. Returns 0. */
int vw_registry_copy(struct vw_registry *dst, const struct vw_registry *src);

#endif

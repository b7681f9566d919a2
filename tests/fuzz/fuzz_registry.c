// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_registry_load: the input is the body of an IEEE
 * registry CSV as a damaged download may leave it. Its first byte picks
 * the file (oui.csv, mam.csv, oui36.csv or iab.csv: MA-L, MA-M, MA-S, IAB,
 * the same record parser with another registry name and assignment
 * length); beside any but oui.csv stands an oui.csv of one row, as it
 * must. The body is loaded twice: as is, and after filler rows of its kind
 * that put the parser's 64 KiB read boundary at a point inside it the next
 * two bytes choose; both loads must give the same rows. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry.h"

#define HEADER "Registry,Assignment,Organization Name,Organization Address\n"
#define OUI_ROW "MA-L,00E0FC,Fixed,x\n"   /* oui.csv beside another kind's file */

/* The files vw_registry_load reads, by enum vw_registry_kind. */
static const struct {
	const char *name;
	const char *filler;   /* one row of the kind */
	unsigned plen;
} kinds[VW_REG_KINDS] = {
	[VW_REG_MAL] = { "oui.csv",   "MA-L,000000,Filler,x\n",    24 },
	[VW_REG_MAM] = { "mam.csv",   "MA-M,0000000,Filler,x\n",   28 },
	[VW_REG_MAS] = { "oui36.csv", "MA-S,000000000,Filler,x\n", 36 },
	[VW_REG_IAB] = { "iab.csv",   "IAB,000000000,Filler,x\n",  36 },
};

static char dir_a[64], dir_b[64];

static void write_file(const char *dir, int kind, const char *head, const char *fill_row,
		       size_t fill_rows, const uint8_t *data, size_t size)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, kinds[kind].name);
	f = fopen(path, "we");
	if (!f)
		abort();
	fputs(head, f);
	for (size_t i = 0; i < fill_rows; i++)
		fputs(fill_row, f);
	if (fwrite(data, 1, size, f) != size || fclose(f))
		abort();
}

/* The files of every kind gone from dir (an earlier input's). */
static void remove_files(const char *dir)
{
	char path[96];

	for (int k = 0; k < VW_REG_KINDS; k++) {
		snprintf(path, sizeof(path), "%s/%s", dir, kinds[k].name);
		if (unlink(path) && errno != ENOENT)
			abort();
	}
}

/* The kind's file in dir, behind fill_rows filler rows, with the oui.csv
 * vw_registry_load requires when kind is another. */
static void write_registry(const char *dir, int kind, size_t fill_rows, const uint8_t *data,
			   size_t size)
{
	remove_files(dir);
	if (kind != VW_REG_MAL)
		write_file(dir, VW_REG_MAL, HEADER OUI_ROW, "", 0, NULL, 0);
	write_file(dir, kind, HEADER, kinds[kind].filler, fill_rows, data, size);
}

/* What every loaded registry holds, whatever the input: rows of oui.csv
 * first (fixed one when kind is not MA-L), then those of kind. */
static void check(const struct vw_registry *reg, int kind)
{
	size_t sum = 0, fixed = kind != VW_REG_MAL;
	const char *next = reg->strings;

	for (int k = 0; k < VW_REG_KINDS; k++)
		sum += reg->count[k];
	if (sum != reg->n || reg->n < fixed || reg->count[kind] != reg->n - fixed)
		abort();
	for (size_t i = 0; i < reg->n; i++) {
		const struct vw_registry_row *r = &reg->rows[i];
		int want = i < fixed ? VW_REG_MAL : kind;
		uint64_t low = (1ull << (48 - kinds[want].plen)) - 1;

		if (r->plen != kinds[want].plen || r->kind != want || (r->prefix & low) ||
		    r->prefix >> 48 || !r->org[0] || r->org != next)
			abort();
		next = r->org + strlen(r->org) + 1;
	}
	if (fixed && (reg->rows[0].prefix != 0x00E0FC000000ull || strcmp(reg->rows[0].org, "Fixed")))
		abort();
	if (reg->n && next != reg->strings + reg->strings_len)
		abort();
}

/* The two directories go when the fuzzer exits (a crash leaves them). */
static void cleanup(void)
{
	remove_files(dir_a);
	remove_files(dir_b);
	rmdir(dir_a);
	rmdir(dir_b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vw_registry a = { 0 }, b = { 0 };
	struct vw_diag da = { 0 }, db = { 0 };
	size_t at, fill, fixed;
	int ra, rb, kind;

	if (!dir_a[0]) {
		snprintf(dir_a, sizeof(dir_a), "/tmp/fuzz-registry-%d-a", (int)getpid());
		snprintf(dir_b, sizeof(dir_b), "/tmp/fuzz-registry-%d-b", (int)getpid());
		if ((mkdir(dir_a, 0700) && errno != EEXIST) || (mkdir(dir_b, 0700) && errno != EEXIST))
			abort();
		atexit(cleanup);
	}
	if (size < 3)
		return 0;
	kind = data[0] % VW_REG_KINDS;
	fixed = kind != VW_REG_MAL;
	/* Where in the input the first 64 KiB read ends. */
	at = (data[1] | data[2] << 8) % (size - 2);
	data += 3;
	size -= 3;
	fill = (65536 - (sizeof(HEADER) - 1) - at) / strlen(kinds[kind].filler);
	write_registry(dir_a, kind, 0, data, size);
	write_registry(dir_b, kind, fill, data, size);
	ra = vw_registry_load(&a, dir_a, &da);
	rb = vw_registry_load(&b, dir_b, &db);
	if (ra != 0 || rb != 0 || da.n != db.n)
		abort();
	check(&a, kind);
	check(&b, kind);
	if (b.n != a.n + fill)
		abort();
	for (size_t i = fixed; i < a.n; i++) {
		const struct vw_registry_row *x = &a.rows[i], *y = &b.rows[fill + i];

		if (x->prefix != y->prefix || strcmp(x->org, y->org))
			abort();
	}
	vw_registry_free(&a);
	vw_registry_free(&b);
	vw_diag_free(&da);
	vw_diag_free(&db);
	return 0;
}

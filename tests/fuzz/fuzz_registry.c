// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer target for vw_registry_load: the input is the body of an IEEE
 * registry CSV (oui.csv) as a damaged download may leave it. It is loaded
 * twice: as is, and after filler rows that put the parser's 64 KiB read
 * boundary at a point inside it the first two bytes choose; both loads
 * must give the same rows. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry.h"

#define HEADER "Registry,Assignment,Organization Name,Organization Address\n"
#define FILLER "MA-L,000000,Filler,x\n"   /* 21 bytes */

static char dir_a[64], dir_b[64];

static void write_all(const char *dir, const char *head, size_t fill_rows, const uint8_t *data,
		      size_t size)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "%s/oui.csv", dir);
	f = fopen(path, "we");
	if (!f)
		abort();
	fputs(head, f);
	for (size_t i = 0; i < fill_rows; i++)
		fputs(FILLER, f);
	if (fwrite(data, 1, size, f) != size || fclose(f))
		abort();
}

/* What every loaded registry holds, whatever the input. */
static void check(const struct vw_registry *reg)
{
	size_t sum = 0;
	const char *next = reg->strings;

	for (int k = 0; k < VW_REG_KINDS; k++)
		sum += reg->count[k];
	if (sum != reg->n)
		abort();
	for (size_t i = 0; i < reg->n; i++) {
		const struct vw_registry_row *r = &reg->rows[i];

		if (r->plen != 24 || r->kind != VW_REG_MAL || (r->prefix & 0xFFFFFF) ||
		    r->prefix >> 48 || !r->org[0] || r->org != next)
			abort();
		next = r->org + strlen(r->org) + 1;
	}
	if (reg->n && next != reg->strings + reg->strings_len)
		abort();
}

/* The two directories go when the fuzzer exits (a crash leaves them). */
static void cleanup(void)
{
	char path[96];

	snprintf(path, sizeof(path), "%s/oui.csv", dir_a);
	unlink(path);
	snprintf(path, sizeof(path), "%s/oui.csv", dir_b);
	unlink(path);
	rmdir(dir_a);
	rmdir(dir_b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vw_registry a = { 0 }, b = { 0 };
	struct vw_diag da = { 0 }, db = { 0 };
	size_t at, fill;
	int ra, rb;

	if (!dir_a[0]) {
		snprintf(dir_a, sizeof(dir_a), "/tmp/fuzz-registry-%d-a", (int)getpid());
		snprintf(dir_b, sizeof(dir_b), "/tmp/fuzz-registry-%d-b", (int)getpid());
		if ((mkdir(dir_a, 0700) && errno != EEXIST) || (mkdir(dir_b, 0700) && errno != EEXIST))
			abort();
		atexit(cleanup);
	}
	if (size < 2)
		return 0;
	/* Where in the input the first 64 KiB read ends. */
	at = (data[0] | data[1] << 8) % (size - 1);
	data += 2;
	size -= 2;
	fill = (65536 - sizeof(HEADER) + 1 - at) / (sizeof(FILLER) - 1);
	write_all(dir_a, HEADER, 0, data, size);
	write_all(dir_b, HEADER, fill, data, size);
	ra = vw_registry_load(&a, dir_a, &da);
	rb = vw_registry_load(&b, dir_b, &db);
	if (ra != 0 || rb != 0 || da.n != db.n)
		abort();
	check(&a);
	check(&b);
	if (b.n != a.n + fill)
		abort();
	for (size_t i = 0; i < a.n; i++) {
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

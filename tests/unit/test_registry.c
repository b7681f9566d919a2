// SPDX-License-Identifier: GPL-2.0-only
/* Unit tests for daemon/lib/registry.c against the real ieee-data files and crafted CSVs. */
#include "unit.h"
#include "registry.h"

static const struct vw_registry_row *find_row(const struct vw_registry *reg, uint64_t prefix,
					      uint8_t plen)
{
	for (size_t i = 0; i < reg->n; i++)
		if (reg->rows[i].prefix == prefix && reg->rows[i].plen == plen)
			return &reg->rows[i];
	return NULL;
}

static int real_setup(void **state)
{
	struct vw_registry *reg = calloc(1, sizeof(*reg));
	struct vw_diag diag = { 0 };

	if (!reg || vw_registry_load(reg, ieee_dir(), &diag) < 0)
		return -1;
	/* Any diagnostic on the real data is a parser bug. */
	for (size_t i = 0; i < diag.n; i++)
		fprintf(stderr, "# %s\n", diag.msgs[i]);
	if (diag.n) {
		vw_diag_free(&diag);
		return -1;
	}
	*state = reg;
	return 0;
}

static int real_teardown(void **state)
{
	vw_registry_free(*state);
	free(*state);
	return 0;
}

static void test_real_counts(void **state)
{
	const struct vw_registry *reg = *state;

	/* policy/fingerprints/CATALOGUE.md 2.1 (2022-08-27): 32542 MA-L lines, 4412 MA-M,
	 * 5050 MA-S, 4575 IAB; a few rows span lines in quoted addresses. */
	assert_in_range(reg->count[VW_REG_MAL], 32500, 60000);
	assert_in_range(reg->count[VW_REG_MAM], 4380, 10000);
	assert_in_range(reg->count[VW_REG_MAS], 5020, 12000);
	assert_in_range(reg->count[VW_REG_IAB], 4570, 4575);
	assert_int_equal(reg->n, reg->count[VW_REG_MAL] + reg->count[VW_REG_MAM] +
			 reg->count[VW_REG_MAS] + reg->count[VW_REG_IAB]);
	/* .lastupdate of ieee-data 20220827 or newer */
	assert_true(reg->date >= 1661630937);
	for (size_t i = 0; i < reg->n; i++) {
		const struct vw_registry_row *r = &reg->rows[i];

		assert_true(r->plen == 24 || r->plen == 28 || r->plen == 36);
		assert_int_equal(r->prefix & ((1ull << (48 - r->plen)) - 1), 0);
		assert_true(r->org[0] != '\0');
	}
}

static void test_real_known_rows(void **state)
{
	const struct vw_registry *reg = *state;
	const struct vw_registry_row *r;

	r = find_row(reg, 0x00E0FC000000ull, 24);
	assert_non_null(r);
	assert_int_equal(r->kind, VW_REG_MAL);
	assert_string_equal(r->org, "HUAWEI TECHNOLOGIES CO.,LTD");

	/* Quoted because of the comma. */
	r = find_row(reg, 0xB0B353600000ull, 28);
	assert_non_null(r);
	assert_int_equal(r->kind, VW_REG_MAM);
	assert_string_equal(r->org, "Hangzhou Hikrobot Technology Co., Ltd.");

	r = find_row(reg, 0x70B3D50AE000ull, 36);
	assert_non_null(r);
	assert_int_equal(r->kind, VW_REG_MAS);
	assert_string_equal(r->org, "Norsat International Inc.");

	/* C404D8's address holds a quoted line break; the row after it must
	 * still come out whole. */
	r = find_row(reg, 0xC404D8000000ull, 24);
	assert_non_null(r);
	assert_string_equal(r->org, "Aviva Links Inc.");
	r = find_row(reg, 0xE0CA3C000000ull, 24);
	assert_non_null(r);
	assert_string_equal(r->org, "Hangzhou Hikvision Digital Technology Co.,Ltd.");

	r = find_row(reg, 0x0050C27D5000ull, 36);
	assert_non_null(r);
	assert_int_equal(r->kind, VW_REG_IAB);
	assert_string_equal(r->org, "DEUTA-WERKE GmbH");
}

/* The reference the parser is held to: the files read one character at a
 * time by a plain RFC 4180 state machine into malloc'd fields, and a row
 * kept when it has 4 fields, the file's registry name, the right number
 * of hex digits and a non-empty name (fields trimmed of blanks). Slow and
 * obvious on purpose. */
struct ref_field { char *s; size_t n, cap; };

static void ref_putc(struct ref_field *f, int ch)
{
	if (f->n + 1 >= f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->s = realloc(f->s, f->cap);
		assert_non_null(f->s);
	}
	f->s[f->n++] = ch;
	f->s[f->n] = '\0';
}

/* Reads one record; returns its field count (0 at end of file). */
static int ref_record(FILE *f, struct ref_field *fld, int maxf)
{
	int n = 0, ch;
	bool quoted = false, was_quoted = false;

	for (int i = 0; i < maxf; i++)
		fld[i].n = 0;
	ch = fgetc(f);
	if (ch == EOF)
		return 0;
	for (;; ch = fgetc(f)) {
		if (quoted) {
			if (ch == '"') {
				int nx = fgetc(f);

				if (nx == '"') {
					ref_putc(&fld[n], '"');
					continue;
				}
				ungetc(nx, f);
				quoted = false;
				continue;
			}
			assert_int_not_equal(ch, EOF);
			ref_putc(&fld[n], ch);
			continue;
		}
		if (ch == '"' && fld[n].n == 0 && !was_quoted) {
			quoted = was_quoted = true;
			continue;
		}
		if (ch == ',') {
			n++;
			assert_true(n < maxf);
			was_quoted = false;
			continue;
		}
		if (ch == '\r')
			continue;
		if (ch == '\n' || ch == EOF)
			return n + 1;
		ref_putc(&fld[n], ch);
	}
}

static const char *ref_trim(struct ref_field *f)
{
	char *s = f->s ? f->s : "", *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static void ref_compare_file(const struct vw_registry *reg, size_t *at, const char *name,
			     const char *registry, int hexlen)
{
	struct ref_field fld[8] = { 0 };
	char path[4096];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/%s", ieee_dir(), name);
	f = fopen(path, "re");
	assert_non_null(f);
	assert_int_equal(ref_record(f, fld, 8), 4);   /* header */
	while ((n = ref_record(f, fld, 8)) > 0) {
		const char *reg_name = ref_trim(&fld[0]), *hex = ref_trim(&fld[1]);
		const char *org = ref_trim(&fld[2]);
		unsigned long long v;
		char *end;

		if (n == 1 && !*reg_name)
			continue;
		assert_int_equal(n, 4);
		assert_string_equal(reg_name, registry);
		assert_int_equal(strlen(hex), hexlen);
		v = strtoull(hex, &end, 16);
		assert_true(*end == '\0' && *org);
		assert_true(*at < reg->n);
		assert_int_equal(reg->rows[*at].prefix, (uint64_t)v << (48 - 4 * hexlen));
		assert_int_equal(reg->rows[*at].plen, 4 * hexlen);
		assert_string_equal(reg->rows[*at].org, org);
		(*at)++;
	}
	fclose(f);
	for (int i = 0; i < 8; i++)
		free(fld[i].s);
}

/* Every row of every real file, in order, as the reference reads it. */
static void test_real_matches_reference(void **state)
{
	const struct vw_registry *reg = *state;
	size_t at = 0;

	ref_compare_file(reg, &at, "oui.csv", "MA-L", 6);
	assert_int_equal(at, reg->count[VW_REG_MAL]);
	ref_compare_file(reg, &at, "mam.csv", "MA-M", 7);
	ref_compare_file(reg, &at, "oui36.csv", "MA-S", 9);
	ref_compare_file(reg, &at, "iab.csv", "IAB", 9);
	assert_int_equal(at, reg->n);
	/* The names sit in one table, back to back, with no slack. */
	assert_ptr_equal(reg->rows[0].org, reg->strings);
	assert_ptr_equal(reg->rows[reg->n - 1].org + strlen(reg->rows[reg->n - 1].org) + 1,
			 reg->strings + reg->strings_len);
}

static void test_bad_rows(void **state)
{
	char *dir = tmpdir_new(), *oui, *iab;
	struct vw_registry reg;
	struct vw_diag diag = { 0 };

	oui = write_file(dir, "oui.csv",
		"Registry,Assignment,Organization Name,Organization Address\r\n"      /* 1 */
		"MA-L,00E0FC,\"HUAWEI TECHNOLOGIES CO.,LTD\",\"Shenzhen\r\nCN\"\r\n"  /* 2-3 */
		"MA-L,00E0F,Short,addr\r\n"                                           /* 4 */
		"MA-M,00E0FD,Wrong registry,addr\r\n"                                 /* 5 */
		"MA-L,00E0FE,Too,many,fields\r\n"                                     /* 6 */
		"MA-L,00E0FF,\"Quote\"junk,addr\r\n"                                  /* 7 */
		"MA-L,00E100,  ,addr\r\n"                                             /* 8 */
		"MA-L,00E10G,Not hex,addr\r\n"                                        /* 9 */
		"\r\n"                                                                /* 10 */
		"MA-L,00E101,\"Say \"\"hi\"\"\",addr\r\n"                             /* 11 */
		"MA-L,00E102,\"Never closed,addr\r\n");                               /* 12 */
	iab = write_file(dir, "iab.csv", "Assignment,Registry\n");
	free(write_file(dir, "mam.csv",
		"Registry,Assignment,Organization Name,Organization Address\n"
		"MA-M,B0B3536,\"Hangzhou Hikrobot Technology Co., Ltd.\",x\n"));

	assert_int_equal(vw_registry_load(&reg, dir, &diag), 0);
	assert_int_equal(reg.count[VW_REG_MAL], 2);
	assert_int_equal(reg.count[VW_REG_MAM], 1);
	assert_int_equal(reg.count[VW_REG_MAS], 0);
	assert_int_equal(reg.count[VW_REG_IAB], 0);
	assert_string_equal(reg.rows[0].org, "HUAWEI TECHNOLOGIES CO.,LTD");
	assert_string_equal(reg.rows[1].org, "Say \"hi\"");
	assert_int_equal(reg.rows[1].prefix, 0x00E101000000ull);
	assert_string_equal(reg.rows[2].org, "Hangzhou Hikrobot Technology Co., Ltd.");
	assert_int_equal(reg.rows[2].plen, 28);

	assert_diag_has(&diag, "%s:4: bad assignment \"00E0F\" (want 6 hex digits); row skipped", oui);
	assert_diag_has(&diag, "%s:5: registry \"MA-M\" is not MA-L; row skipped", oui);
	assert_diag_has(&diag, "%s:6: expected 4 fields, got 5; row skipped", oui);
	assert_diag_has(&diag, "%s:7: text after closing quote; row skipped", oui);
	assert_diag_has(&diag, "%s:8: empty organization name; row skipped", oui);
	assert_diag_has(&diag, "%s:9: bad assignment \"00E10G\" (want 6 hex digits); row skipped", oui);
	assert_diag_has(&diag, "%s:12: unterminated quoted field; row skipped", oui);
	assert_diag_has(&diag, "%s:1: not an IEEE registry CSV (unexpected header)", iab);
	assert_int_equal(diag.n, 8);
	/* No .lastupdate: the newest file's mtime stands in. */
	assert_true(reg.date > 1661630937);

	vw_registry_free(&reg);
	vw_diag_free(&diag);
	free(oui);
	free(iab);
	rm_rf(dir);
}

/* Records cut by the end of the read buffer, one far longer than it, and
 * CRLF line ends: every row comes out and a late error names its line. */
static void test_chunked(void **state)
{
	char *dir = tmpdir_new(), *oui;
	size_t cap = 1 << 22, len = 0;
	char *csv = malloc(cap);
	struct vw_registry reg;
	struct vw_diag diag = { 0 };
	int line = 1;

	assert_non_null(csv);
	len += sprintf(csv + len, "Registry,Assignment,Organization Name,Organization Address\r\n");
	for (int i = 0; i < 6000; i++, line++) {
		len += sprintf(csv + len, "MA-L,%06X,\"Org %d, \"\"x\"\"\",Street %d\r\n", i, i, i);
		if (i == 3000) {
			/* 200 KiB of quoted address with a line break every 100 bytes. */
			len += sprintf(csv + len, "MA-L,ABCDEF,Long,\"");
			for (int k = 0; k < 2000; k++, line++)
				len += sprintf(csv + len, "%099d\n", k);
			len += sprintf(csv + len, "\"\r\n");
			line++;
		}
	}
	len += sprintf(csv + len, "MA-L,XYZ,Bad,addr\r\n");
	line++;
	assert_true(len < cap);
	oui = write_file(dir, "oui.csv", csv);
	assert_int_equal(vw_registry_load(&reg, dir, &diag), 0);
	assert_int_equal(reg.n, 6001);
	assert_string_equal(reg.rows[5999].org, "Org 5998, \"x\"");
	assert_int_equal(reg.rows[3001].prefix, 0xABCDEF000000ull);
	assert_string_equal(reg.rows[3001].org, "Long");
	assert_string_equal(reg.rows[3002].org, "Org 3001, \"x\"");
	assert_int_equal(diag.n, 1);
	assert_diag_has(&diag, "%s:%d: bad assignment \"XYZ\" (want 6 hex digits); row skipped",
			oui, line);
	vw_registry_free(&reg);
	vw_diag_free(&diag);
	free(csv);
	free(oui);
	rm_rf(dir);
}

static void test_missing_oui(void **state)
{
	char *dir = tmpdir_new();
	struct vw_registry reg;
	struct vw_diag diag = { 0 };

	free(write_file(dir, "mam.csv", "Registry,Assignment,Organization Name,Organization Address\n"));
	assert_int_equal(vw_registry_load(&reg, dir, &diag), -ENOENT);
	assert_int_equal(reg.n, 0);
	assert_null(reg.rows);
	assert_diag_has(&diag, "%s/oui.csv: cannot read: No such file or directory", dir);
	assert_int_equal(diag.n, 1);
	vw_diag_free(&diag);
	rm_rf(dir);
}

int main(void)
{
	const struct CMUnitTest real[] = {
		cmocka_unit_test(test_real_counts),
		cmocka_unit_test(test_real_known_rows),
		cmocka_unit_test(test_real_matches_reference),
	};
	const struct CMUnitTest crafted[] = {
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_missing_oui),
	};
	int fails = 0;

	fails += cmocka_run_group_tests_name("registry_real", real, real_setup, real_teardown);
	fails += cmocka_run_group_tests_name("registry_crafted", crafted, NULL, NULL);
	return fails ? 1 : 0;
}

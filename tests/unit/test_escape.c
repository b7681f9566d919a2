// SPDX-License-Identifier: GPL-2.0-only
/* daemon/lib/escape.c: what a device or a local user may put in a name is
 * shown without reaching the terminal as a control (C0, C1, bidi). */
#include "unit.h"
#include "escape.h"

static void check(const char *in, size_t len, const char *want)
{
	char out[256];

	assert_int_equal(vw_escape(in, len, out, sizeof(out)), strlen(want));
	assert_string_equal(out, want);
	assert_int_equal(vw_escape_is_clean(in, len), !strcmp(in, want) && strlen(in) == len);
}

static void test_plain_kept(void **state)
{
	check("Huawei S5720-28X-LI-AC", 22, "Huawei S5720-28X-LI-AC");
	check("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", 17,
	      "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
	check("", 0, "");
}

static void test_c0_and_del(void **state)
{
	check("\x1b[2Jx", 5, "\\x1B[2Jx");
	check("a\nb\rc\td", 7, "a\\x0Ab\\x0Dc\\x09d");
	check("\x7f", 1, "\\x7F");
	check("a\0b", 3, "a\\x00b");   /* a NUL does not end the escaped text early */
}

static void test_c1_and_bidi(void **state)
{
	check("\xc2\x9b" "2J", 4, "\\u009B2J");                /* CSI as C1 */
	check("\xc2\x85", 2, "\\u0085");
	check("\xc2\xa0", 2, "\xc2\xa0");                       /* NBSP is printable */
	check("abc\xe2\x80\xae" "gpj.exe", 13, "abc\\u202Egpj.exe");
	for (unsigned cp = 0x202a; cp <= 0x202e; cp++) {
		char in[4] = { (char)0xe2, (char)0x80, (char)(0x80 | (cp & 0x3f)), 0 }, want[8];

		snprintf(want, sizeof(want), "\\u%04X", cp);
		check(in, 3, want);
	}
	for (unsigned cp = 0x2066; cp <= 0x2069; cp++) {
		char in[4] = { (char)0xe2, (char)0x81, (char)(0x80 | (cp & 0x3f)), 0 }, want[8];

		snprintf(want, sizeof(want), "\\u%04X", cp);
		check(in, 3, want);
	}
	check("\xe2\x80\x8f", 3, "\xe2\x80\x8f");   /* RLM is a mark, not an override */
}

static void test_invalid_utf8_and_backslash(void **state)
{
	check("\xff\xfe", 2, "\\xFF\\xFE");
	check("\xc0\x9b", 2, "\\xC0\\x9B");          /* overlong ESC-like C1 */
	check("\xe2\x80", 2, "\\xE2\\x80");          /* cut off */
	check("\xed\xa0\x80", 3, "\\xED\\xA0\\x80"); /* surrogate */
	check("a\\x1Bb", 6, "a\\\\x1Bb");            /* a backslash cannot forge an escape */
}

static void test_bounded(void **state)
{
	char out[10], *d;

	/* Never half an escape; "..." says that something was cut. */
	assert_int_equal(vw_escape("abcdefghijkl", 12, out, sizeof(out)), 9);
	assert_string_equal(out, "abcdef...");
	vw_escape("ab\x1b\x1b\x1b", 5, out, sizeof(out));
	assert_string_equal(out, "ab\\x1B...");
	assert_int_equal(vw_escape("abc", 3, out, 1), 0);
	assert_string_equal(out, "");
	d = vw_escape_dup("\x1b\x1b\x1b\x1b\x1b", 3);
	assert_non_null(d);
	assert_string_equal(d, "\\x1B\\x1B\\x1B...");
	free(d);
	d = vw_escape_dup("\xe2\x80\xae", 64);
	assert_string_equal(d, "\\u202E");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_kept),
		cmocka_unit_test(test_c0_and_del),
		cmocka_unit_test(test_c1_and_bidi),
		cmocka_unit_test(test_invalid_utf8_and_backslash),
		cmocka_unit_test(test_bounded),
	};

	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
